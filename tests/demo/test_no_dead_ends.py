"""No dead ends: every link and ``hx-get`` the demo city shows a role answers that role.

For every demo user (one per role), a crawler starts at the home page and follows every link
and htmx GET it is shown, to depth 2. Whatever it is shown must answer with a page (200, or a
redirect that ends in one) — never a 404, a 403 or a 500 that the app itself led to. Links of
the same route are sampled (a few per URL name), so the walk stays bounded however big the city.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from ceasefire.core.models import User
from demo.users import DEMO_USERS

pytestmark = pytest.mark.usefixtures("city")

DEPTH = 2
PER_ROUTE = 3  # URLs sampled per URL name (and query-string shape)
NOT_PAGES = ("/static/", "/media/")


class Links(HTMLParser):
    """The GET targets a page shows: ``<a href>`` and any element's ``hx-get``."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.found.append(attrs["href"])
        if attrs.get("hx-get"):
            self.found.append(attrs["hx-get"])


def links_on(page_url: str, html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    urls = []
    for href in parser.found:
        if href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(page_url, href)
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or parts.path.startswith(NOT_PAGES):
            continue
        urls.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return urls


def route_of(url: str) -> tuple[str, tuple[str, ...]]:
    parts = urlsplit(url)
    try:
        name = resolve(parts.path).view_name
    except Resolver404:
        name = parts.path
    keys = tuple(sorted(pair.split("=")[0] for pair in parts.query.split("&") if pair))
    return name, keys


def crawl(client: Client) -> dict[str, tuple[int, str]]:
    """Every URL reached (to DEPTH) → (final status, the page that showed it)."""
    seen: dict[str, tuple[int, str]] = {}
    sampled: Counter = Counter()
    frontier = [("/", "(start)")]
    for _ in range(DEPTH + 1):
        following = []
        for url, shown_on in frontier:
            if url in seen:
                continue
            route = route_of(url)
            if sampled[route] >= PER_ROUTE:
                continue
            sampled[route] += 1
            response = client.get(url, follow=True)
            seen[url] = (response.status_code, shown_on)
            content_type = response.get("Content-Type", "")
            if response.status_code == 200 and content_type.startswith("text/html"):
                final = response.redirect_chain[-1][0] if response.redirect_chain else url
                following += [(link, url) for link in links_on(final, response.content.decode())]
        frontier = following
    return seen


@pytest.mark.parametrize("username", [row[0] for row in DEMO_USERS])
def test_every_link_a_role_is_shown_answers_with_a_page(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    reached = crawl(client)
    dead = {url: result for url, result in reached.items() if result[0] != 200}
    assert len(reached) >= 4, f"the crawl found almost nothing: {sorted(reached)}"
    assert not dead, "\n".join(
        f"{status} at {url} (linked from {shown_on})" for url, (status, shown_on) in dead.items()
    )
