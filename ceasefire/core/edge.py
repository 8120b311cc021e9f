"""What a request brings from the edge of the deployment: its id and its caller's address.

``RequestIdMiddleware`` (first in ``settings.MIDDLEWARE``) takes the ``X-Request-ID`` the reverse
proxy or the caller sent (when it is a short plain string) or makes one, puts it on every log
record of the request (``ceasefire.logs``), answers with it, and writes one access line per
request: method, path without the query string (a search may hold a name), status, duration.

``RealIpMiddleware``: behind our reverse proxy every request arrives from the proxy's address,
so the lockout (django-axes), the audit log and the public page's rate limit would all see one
caller. With ``BEHIND_PROXY`` on, the address the proxy puts in ``X-Real-IP`` becomes
``REMOTE_ADDR``; off (the default), the header is ignored, so a caller cannot forge it.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver

from ceasefire.logs import clean_request_id, request_id_var

logger = logging.getLogger("ceasefire.request")
HEADER = "X-Request-ID"


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = clean_request_id(request.headers.get(HEADER))
        request.request_id = request_id
        # Kept until the response is closed (request_finished), so Django's own "Not Found" and
        # "Bad Request" lines, written after the middleware returns, carry the id too.
        request_id_var.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response[HEADER] = request_id
        quiet = request.path_info.startswith("/health/")
        logger.log(
            logging.DEBUG if quiet else logging.INFO,
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


@receiver(request_finished)
def _forget_request_id(**_kwargs) -> None:
    request_id_var.set("")


class RealIpMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.BEHIND_PROXY:
            real = request.META.get("HTTP_X_REAL_IP", "").strip()
            if real:
                request.META["REMOTE_ADDR"] = real
        return self.get_response(request)
