"""Headers on every response: a strict Content-Security-Policy, ``no-store`` for signed-in users,
HSTS outside debug; no inline script, handler or style in any template; ``check --deploy`` clean
under the README's production environment."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db

# WeasyPrint renders this one to PDF on the server; it never reaches a browser.
NOT_SERVED = {"performance/worksheet_pdf.html", "core/papers/base.html"}  # PDFs only (WeasyPrint)
INLINE = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "<style> element": re.compile(r"<style\b", re.IGNORECASE),
    "style= attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "on*= handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "htmx eval (hx-on, js:, trigger filter)": re.compile(
        r"hx-on|hx-vals=['\"]js:|hx-trigger=\"[^\"]*\[", re.IGNORECASE
    ),
}


def _templates():
    for folder in [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("*/*/templates")]:
        for path in folder.rglob("*.html"):
            yield path.relative_to(folder).as_posix(), path


def test_no_template_has_inline_script_handlers_or_styles():
    found = []
    templates = list(_templates())
    assert len(templates) > 40
    for name, path in templates:
        if name in NOT_SERVED:
            continue
        text = path.read_text()
        found += [f"{name}: {what}" for what, rule in INLINE.items() if rule.search(text)]
    assert found == []


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/person", "/admin/", "/reviews/"])
def test_every_page_carries_the_strict_policy(client_for, path):
    client = client_for("police_facilitator")
    target = f"/people/{f.PersonFactory().pk}/" if path == "/person" else path
    response = client.get(target)
    policy = _policy(response)
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_the_anonymous_sign_in_page_carries_the_policy_and_the_warning_banner(client):
    response = client.get("/accounts/login/")
    assert "unsafe" not in response["Content-Security-Policy"]
    assert b"Restricted system" in response.content and b"monitored" in response.content


@pytest.mark.parametrize("path", ["/", "/person", "/api/people/", "/api/person"])
def test_responses_to_a_signed_in_user_are_never_stored(client_for, path):
    person = f.PersonFactory()
    target = {"/person": f"/people/{person.pk}/", "/api/person": f"/api/people/{person.pk}/"}
    response = client_for("police_viewer").get(target.get(path, path))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_htmx_is_configured_without_eval(client_for):
    page = client_for("police_viewer").get("/").content.decode()
    assert '"allowEval": false' in page and '"includeIndicatorStyles": false' in page


def _production_env() -> dict[str, str]:
    """The README's production environment block, with a real secret key."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- production-env -->\s*```(?:\w+)?\n(.*?)```", readme, re.DOTALL)
    assert block, "README.md has no production environment block"
    env = {}
    for line in block.group(1).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def _run(args, env):
    clean = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "VIRTUAL_ENV")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_has_zero_warnings_under_the_readme_production_env():
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], _production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_hsts_is_on_by_default_outside_debug_with_include_subdomains():
    probe = (
        "import ceasefire.settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    )
    clean = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    off = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": "x", "DEBUG": "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert off.stdout.split() == ["31536000", "True", "False"]
    debug = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**clean, "DEBUG": "1", "SECURE_HSTS_PRELOAD": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert debug.stdout.split() == ["0", "True", "True"]
