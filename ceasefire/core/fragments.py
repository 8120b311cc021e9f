"""A page rendered once and shared by every reader who may read the same (issue 14).

A live meeting's page is opened by everyone in the room at once and again after each save.
``shared_render`` renders a template -- or one of its partials -- once per RECORDS data version
for each key the view gives, and hands every later reader with that key the same text. The key
must name everything the text depends on: the object and its version, the reader's scope
(``permissions.reader_scope``: the role, the organisation and the rows the rules give them),
the query parameters, the day. Any write to a table a meeting page shows is a new version
(``RECORD_VERSION_TABLES``), so what is read is never stale.

The text is rendered with a placeholder where the CSRF token goes; each reader gets it back
with their own token put in, so a form on a shared page posts as its reader. Kept compressed
(a 95 KB page is about 10 KB) for the scope's ten minutes.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from . import permissions
from .dataversion import cached_on_tables
from .htmx import vary_on_htmx

# what a shared text holds where a CSRF token goes (letters only: escaping leaves it as it is)
CSRF_PLACEHOLDER = "sharedRenderCsrfTokenPlaceholder"


def request_key(request) -> str:
    """A digest of the request's query parameters, in a fixed order (a page's list pages, the
    projector view): part of every shared page's key."""
    items = sorted((k, request.GET.getlist(k)) for k in request.GET)
    return hashlib.blake2s(repr(items).encode(), digest_size=8).hexdigest()


def with_csrf_token(request, text: str) -> SafeString:
    """A shared text with the reader's own CSRF token where the placeholder is."""
    return mark_safe(text.replace(CSRF_PLACEHOLDER, get_token(request)))


def shared_render(
    request,
    template_name: str,
    build: Callable[[], tuple[dict, Any]],
    *,
    key: str | None,
    token: bool = True,
) -> tuple[SafeString, Any]:
    """``template_name`` rendered with the context ``build()`` returns, and what else ``build``
    returns beside it (e.g. the people shown, for the audit): read from the cache under ``key``
    and the versions of the tables it read, or rendered and kept there. ``key=None`` renders
    afresh and keeps nothing (a page with a form's errors, a reply to a save). ``extra`` must
    pickle. ``token=False`` leaves the CSRF placeholder in, for a part of a larger shared text
    (which puts the token in once: ``with_csrf_token``); rendered inside that text's ``build``,
    the part's tables count as the larger text's (``cached_on_tables``), so the larger text is
    put together again when a part changes, from the parts that did not."""

    def render() -> tuple[bytes, Any]:
        ctx, extra = build()
        text = render_to_string(template_name, {**ctx, "csrf_token": CSRF_PLACEHOLDER}, request)
        return zlib.compress(text.encode(), 1), extra

    if key is None:
        packed, extra = render()
    else:
        packed, extra = cached_on_tables(f"fragment:{template_name}:{key}", render)
    text = zlib.decompress(packed).decode()
    return with_csrf_token(request, text) if token else mark_safe(text), extra


def reading_key(request, obj: Model, part: str, *, params: bool = True) -> str:
    """What a plain reading of ``obj``'s page (or its ``part``) depends on: the object and its
    version, the part, the reader's scope, the day and (``params``, for a part that reads them)
    the query parameters."""
    return ":".join(
        [
            obj._meta.label_lower,
            str(obj.pk),
            str(getattr(obj, "version", "")),
            part,
            permissions.reader_scope(request.user),
            timezone.localdate().isoformat(),
            request_key(request) if params else "",
        ]
    )


def shared_page(
    request,
    template: str,
    build: Callable[[], tuple[dict, Any]],
    *,
    obj: Model,
    around: dict,
    partial: str | None = None,
    shareable: bool = True,
    status: int = 200,
) -> tuple[HttpResponse, Any]:
    """A page whose ``body`` partial fills base.html's content block -- or, for htmx, its
    ``partial`` -- shared by the readers of one scope when ``shareable`` and the request is a
    GET (see ``shared_render``); the page around the body (title, navigation, messages, the
    sign-out form) is rendered for each reader, with ``around`` (what its title names). Returns
    the response and ``build``'s extra."""
    part = partial if partial and getattr(request, "htmx", False) else "body"
    key = reading_key(request, obj, part) if shareable and request.method == "GET" else None
    text, extra = shared_render(request, f"{template}#{part}", build, key=key)
    if part == "body":
        response = render(request, template, {**around, "body": text}, status=status)
    else:
        response = HttpResponse(text, status=status)
    return vary_on_htmx(response), extra
