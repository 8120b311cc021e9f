"""Page-or-fragment rendering for htmx, and a service's refusal as text for the user.

One URL serves a page and its fragments: a plain request gets the whole template, an htmx
request the named partial of the same template (django-template-partials on Django 5.2, built
into Django 6). Every such response varies on ``HX-Request`` so caches keep the two apart.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect

from .concurrency import ConcurrentEditError


def render_page(
    request: HttpRequest, template: str, ctx: dict, *, partial: str | None = None, status: int = 200
) -> HttpResponse:
    """``template`` for a page; ``template#partial`` for an htmx request when a partial is named."""
    name = f"{template}#{partial}" if partial and getattr(request, "htmx", False) else template
    response = render(request, name, ctx, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def go_to(request: HttpRequest, to: str, *args, **kwargs) -> HttpResponse:
    """After a POST, the page ``to`` (a URL name and its arguments, or a URL): a redirect, or for
    htmx a client-side redirect (htmx would follow a plain one and swap the page into the form)."""
    url = resolve_url(to, *args, **kwargs)
    if getattr(request, "htmx", False):
        return vary_on_htmx(HttpResponseClientRedirect(url))
    return vary_on_htmx(redirect(url))


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """For responses built another way (redirects, files) on a URL that also serves fragments."""
    patch_vary_headers(response, ["HX-Request"])
    return response


def refusal_messages(exc: ValidationError | ConcurrentEditError) -> list[str]:
    """Every message of a service's refusal, field errors included, in order."""
    if isinstance(exc, ConcurrentEditError):
        return [exc.message]
    if hasattr(exc, "error_dict"):
        return [message for messages in exc.message_dict.values() for message in messages]
    return list(exc.messages)


def refusal_text(exc: ValidationError | ConcurrentEditError) -> str:
    """A service's refusal as one line for a flash message or an inline error."""
    return " ".join(refusal_messages(exc))


def form_errors_text(form) -> str:
    """A bound form's errors as one line (for a fragment that shows no form)."""
    return " ".join(message for messages in form.errors.values() for message in messages)
