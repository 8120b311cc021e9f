"""The OpenAPI schema covers API v1 only (the old endpoints are undocumented aliases)."""


def only_v1(endpoints, **kwargs):
    return [e for e in endpoints if e[0].startswith("/api/v1/")]
