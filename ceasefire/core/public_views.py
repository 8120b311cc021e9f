"""The public transparency page and its JSON feed: no sign-in, cached, rate-limited per address,
and absent (404) until an administrator switches it on (partnership settings)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from . import permissions
from .transparency import public_feed


def _rate_limited(request) -> bool:
    """At most ``PUBLIC_RATE_LIMIT_PER_MINUTE`` requests a minute from one address."""
    key = f"public-rate:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 60)
        count = 1
    return count > settings.PUBLIC_RATE_LIMIT_PER_MINUTE


def _open_or_404(request) -> HttpResponse | None:
    if not permissions.public_page_open():
        raise Http404("There is no public page.")
    if _rate_limited(request):
        response = HttpResponse("Too many requests; try again in a minute.", status=429)
        response["Retry-After"] = "60"
        return response
    return None


@require_GET
@cache_control(public=True, max_age=300)
def public_page(request):
    if refused := _open_or_404(request):
        return refused
    return render(request, "core/public.html", {"feed": public_feed()})


@require_GET
@cache_control(public=True, max_age=300)
def public_feed_json(request):
    if refused := _open_or_404(request):
        return refused
    return JsonResponse(public_feed())
