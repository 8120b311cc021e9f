"""``{% url %}`` (``ceasefire.core.templatetags.fast_url``, a template builtin) gives exactly what
Django's reverse gives, for every URL pattern of the project taking integer arguments."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from ceasefire.core.templatetags.fast_url import fast_reverse


def _named_patterns(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _int_only():
    for name, pattern in _named_patterns():
        converters = getattr(pattern.pattern, "converters", {})
        if converters and all(isinstance(c, IntConverter) for c in converters.values()):
            yield name, len(converters)


INT_ONLY = sorted(set(_int_only()))


def test_the_project_has_integer_patterns_to_check():
    assert len(INT_ONLY) > 40


@pytest.mark.parametrize(("name", "count"), INT_ONLY)
def test_the_fast_path_gives_what_reverse_gives(name, count):
    for args in ([7] * count, list(range(1, count + 1)), [123456] * count):
        assert fast_reverse(name, args) == reverse(name, args=args)


def test_the_tag_renders_as_djangos_with_every_form():
    page = Template(
        "{% url 'core:person-detail' pk %}|{% url 'core:person-detail' pk=pk %}|"
        "{% url 'core:person-detail' pk as link %}{{ link }}|{% url 'core:home' %}|"
        "{% url 'core:person-detail' text %}"
    )
    out = page.render(Context({"pk": 42, "text": "42"}))
    expected = reverse("core:person-detail", args=[42])
    assert out == "|".join([expected] * 3 + [reverse("core:home"), expected])


def test_a_negative_or_missing_argument_fails_as_djangos_does():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        Template("{% url 'core:person-detail' pk %}").render(Context({"pk": -1}))
    with pytest.raises(NoReverseMatch):
        Template("{% url 'core:person-detail' pk %}").render(Context({}))
