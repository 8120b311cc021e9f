"""API v1 fixtures: a client that calls with a token, as a real integration does."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from ceasefire.core.models import ApiToken
from ceasefire.core.tokens import api_token_create


@pytest.fixture(autouse=True)
def _fresh_throttles():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token_client(users):
    """``token_client(role, scope="read")``: an APIClient sending a new token of that user."""

    def make(role: str, scope: str = ApiToken.Scope.READ, days: int = 30):
        user = users[role]
        _token, raw = api_token_create(user=user, owner=user, name="test", scope=scope, days=days)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        client.raw_token = raw
        return client

    return make
