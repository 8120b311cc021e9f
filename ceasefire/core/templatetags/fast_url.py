"""``{% url %}`` as Django's, but a row's link costs a string join instead of a reverse.

A meeting page draws hundreds of links that differ only in a primary key (a person's, a
shooting's); Django's ``reverse`` walks the resolver for each, and on the coordination page that
was a third of the rendering. For a view name with positional non-negative integer arguments
only, this tag reverses once with placeholder numbers, keeps the pieces between them (per URLconf,
script prefix and current app) and joins the real numbers in. Anything else -- keyword arguments,
strings, ``as var`` with a name that may not reverse -- goes through Django's own tag. Registered as
a template builtin (``settings.TEMPLATES``), so every ``{% url %}`` uses it.
"""

from __future__ import annotations

import functools
import re

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

_PLACEHOLDER = 987_654_321_000  # no primary key reaches it; each argument gets its own


@functools.lru_cache(maxsize=1024)
def _pieces(urlconf, prefix: str, view_name: str, count: int, current_app) -> tuple | None:
    """The URL around ``count`` integer arguments, as (text, index, text, index, ..., text), or
    None when the placeholders do not come back one each, in order (then reverse every time)."""
    placeholders = [str(_PLACEHOLDER + i) for i in range(count)]
    try:
        url = reverse(view_name, args=placeholders, current_app=current_app, urlconf=urlconf)
    except NoReverseMatch:  # e.g. a pattern taking four digits: reverse each time (or fail there)
        return None
    parts = re.split("(" + "|".join(placeholders) + ")", url) if count else [url]
    found = parts[1::2]
    if found != placeholders:
        return None
    return tuple(parts)


def fast_reverse(view_name: str, args: list, current_app=None) -> str:
    """``reverse(view_name, args=args)`` for non-negative integer ``args``."""
    pieces = _pieces(get_urlconf(), get_script_prefix(), view_name, len(args), current_app)
    if pieces is None:
        return reverse(view_name, args=args, current_app=current_app)
    out = [pieces[0]]
    for value, text in zip(args, pieces[2::2], strict=True):
        out.append(str(value))
        out.append(text)
    return "".join(out)


class FastURLNode(URLNode):
    def render(self, context):
        if self.kwargs or self.asvar:
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        if not all(type(a) is int and a >= 0 for a in args):
            return super().render(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        url = fast_reverse(self.view_name.resolve(context), args, current_app)
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return FastURLNode(node.view_name, node.args, node.kwargs, node.asvar)
