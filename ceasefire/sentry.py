"""Opt-in error tracking (sentry-sdk), with person data kept home.

``init_sentry`` runs only when ``SENTRY_DSN`` is set (settings). The SDK is told not to send what
it could know about people (``send_default_pii=False``, no request bodies, no local variables) and
``scrub_event`` — a pure function, tested as one — removes what could still carry a name before
any event or transaction leaves: request bodies, cookies, query strings (a search is a name),
headers other than a few harmless ones, the user beyond their numeric id, frame variables, SQL
parameters and the query strings of breadcrumbs' URLs. It adds the request id as a tag, so an
event can be matched with the JSON logs.
"""

from __future__ import annotations

from typing import Any

from ceasefire.logs import request_id_var

FILTERED = "[Filtered]"
# Headers that say nothing about who is asking or about whom.
SAFE_HEADERS = {
    "accept",
    "content-length",
    "content-type",
    "hx-request",
    "hx-target",
    "user-agent",
    "x-request-id",
}


def _strip_query(url: Any) -> Any:
    if isinstance(url, str) and "?" in url:
        return url.split("?", 1)[0]
    return url


def _scrub_request(request: dict) -> None:
    for key in ("data", "cookies", "env"):
        if request.get(key):
            request[key] = FILTERED
    if request.get("query_string"):
        request["query_string"] = FILTERED
    request["url"] = _strip_query(request.get("url"))
    headers = request.get("headers")
    if isinstance(headers, dict):
        request["headers"] = {
            name: value if name.lower() in SAFE_HEADERS else FILTERED
            for name, value in headers.items()
        }


def _scrub_frames(event: dict) -> None:
    exceptions = (event.get("exception") or {}).get("values") or []
    threads = (event.get("threads") or {}).get("values") or []
    for holder in (*exceptions, *threads):
        for frame in (holder.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)


def _scrub_breadcrumbs(event: dict) -> None:
    crumbs = event.get("breadcrumbs")
    values = crumbs.get("values") if isinstance(crumbs, dict) else crumbs
    for crumb in values or []:
        data = crumb.get("data")
        if crumb.get("category") == "query" or crumb.get("type") == "query":
            crumb.pop("data", None)  # SQL parameters: names, dates of birth
        elif isinstance(data, dict):
            if "url" in data:
                data["url"] = _strip_query(data["url"])
            data.pop("http.query", None)


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """``before_send``/``before_send_transaction``: the event without person data."""
    if isinstance(event.get("request"), dict):
        _scrub_request(event["request"])
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    _scrub_frames(event)
    _scrub_breadcrumbs(event)
    if isinstance(event.get("extra"), dict):
        event["extra"].pop("sys.argv", None)  # a command's arguments may name someone
    request_id = request_id_var.get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def init_sentry(
    dsn: str,
    *,
    environment: str = "production",
    release: str | None = None,
    traces_sample_rate: float = 0.0,
) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=traces_sample_rate,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        integrations=[DjangoIntegration(), CeleryIntegration()],
    )
