"""Behind the compose set-up's proxy the caller's address comes from X-Real-IP, and only then: a
caller reaching gunicorn directly cannot choose the address lockouts and the audit log see."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import RequestFactory

from ceasefire.core.edge import RealIpMiddleware


def _seen_address(**headers) -> str:
    seen = {}

    def view(request):
        seen["addr"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    request = RequestFactory().get("/", REMOTE_ADDR="172.18.0.5", **headers)
    RealIpMiddleware(view)(request)
    return seen["addr"]


def test_behind_the_proxy_the_real_address_is_the_callers(settings):
    settings.BEHIND_PROXY = True
    assert _seen_address(HTTP_X_REAL_IP="203.0.113.7") == "203.0.113.7"
    assert _seen_address() == "172.18.0.5"  # a request that did not come through the proxy


def test_without_the_proxy_the_header_is_ignored(settings):
    settings.BEHIND_PROXY = False
    assert _seen_address(HTTP_X_REAL_IP="203.0.113.7") == "172.18.0.5"


def test_the_middleware_order_puts_the_edge_first(settings):
    assert settings.MIDDLEWARE[:4] == [
        "ceasefire.core.edge.RealIpMiddleware",
        "ceasefire.core.edge.RequestIdMiddleware",
        "ceasefire.core.health.HealthCheckMiddleware",
        "django.middleware.security.SecurityMiddleware",
    ]
