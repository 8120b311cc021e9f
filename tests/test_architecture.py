"""The rooms of the house (docs/architecture.md) stay as drawn: who may import whom, how big a
module may grow, and where roles may be named."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("ceasefire", "reviews", "coordination", "performance", "demo")
MEETING_APPS = ("reviews", "coordination", "performance")
MAX_LINES = 600
ROLE_VALUES = (
    "admin|auditor|police_facilitator|police_viewer|partner_lead|partner_staff|"
    "community_partner|executive"
)
ROLE_LITERAL = re.compile(rf'(?<![\w.])Role\.[A-Z_]+|["\']({ROLE_VALUES})["\']')


def _sources(*roots: str, suffixes=(".py",)) -> list[Path]:
    return sorted(
        path
        for root in roots
        for path in (ROOT / root).rglob("*")
        if path.suffix in suffixes and "migrations" not in path.parts
    )


def _imported_apps(path: Path) -> set[str]:
    """The top-level packages a module imports (absolute imports only; relative stay inside)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & set(APPS)


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("app", ["ceasefire", *MEETING_APPS])
def test_no_app_imports_the_demo_city(app):
    offenders = [_relative(p) for p in _sources(app) if "demo" in _imported_apps(p)]
    assert offenders == []


def test_core_imports_no_meeting_app():
    offenders = {
        _relative(p): sorted(_imported_apps(p) - {"ceasefire"}) for p in _sources("ceasefire")
    }
    assert {path: apps for path, apps in offenders.items() if apps} == {}


@pytest.mark.parametrize("app", MEETING_APPS)
def test_a_meeting_app_imports_only_core_and_itself(app):
    allowed = {"ceasefire", app}
    offenders = {_relative(p): sorted(_imported_apps(p) - allowed) for p in _sources(app)}
    assert {path: apps for path, apps in offenders.items() if apps} == {}


def test_no_module_is_longer_than_a_reader_can_hold():
    long = {
        _relative(p): n
        for p in _sources(*APPS)
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_roles_are_named_only_where_access_is_decided():
    """Access decisions live in ceasefire/core/permissions/; the Role definition names roles, and
    the demo city names its one user per role in demo/users.py."""
    allowed = {
        ROOT / "ceasefire/core/models/accounts.py",
        ROOT / "demo/users.py",
    }
    offenders = [
        f"{_relative(p)}:{number}: {line.strip()}"
        for p in _sources(*APPS, "templates", suffixes=(".py", ".html"))
        if p not in allowed and "permissions" not in p.relative_to(ROOT).parts
        for number, line in enumerate(p.read_text().splitlines(), 1)
        if any(m.group(0).startswith("Role.") or m.group(1) for m in ROLE_LITERAL.finditer(line))
        and "Involvement.Role" not in line
    ]
    assert offenders == []
