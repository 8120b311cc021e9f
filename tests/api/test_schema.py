"""The OpenAPI schema of API v1 builds without a warning, and its docs page needs no CDN."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse


def test_the_schema_builds_without_warnings_or_errors(tmp_path, capsys):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert "/api/v1/incidents/" in (tmp_path / "s.yml").read_text()


def test_the_schema_covers_v1_only(tmp_path):
    call_command("spectacular", "--file", str(tmp_path / "s.yml"))
    text = (tmp_path / "s.yml").read_text()
    assert "/reviews/api/" not in text and "/api/people/" not in text


@pytest.mark.django_db
def test_the_docs_page_loads_swagger_from_our_own_static_files(client):
    html = client.get(reverse("api:docs")).content.decode()
    assert "drf_spectacular_sidecar" in html or "/static/" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
