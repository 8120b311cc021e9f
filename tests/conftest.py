"""Shared fixtures: one organisation per kind, one user per role, clients signed in as each."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from django.db.backends.signals import connection_created
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from ceasefire.core.models import Organisation, Role
from tests import factories as f

ALL_ROLES = [r.value for r in Role]


# --- Parallel runs (pytest-xdist, ``make test``) --------------------------------------------
# Each worker is a process of its own: its own test database (pytest-django names it
# test_<name>_gw0, _gw1 ...), its own temporary folders, live servers on free ports. Redis is the
# one thing they would share: the cache (emptied at the start of a session and around tests), the
# Celery broker and the result backend all come from REDIS_URL. So each worker gets its own Redis
# database, set in its environment before its Django settings are read: gw0 the URL's database,
# gw1 the next, and so on.


def redis_url_for_worker(url: str, index: int) -> str:
    """``url`` with its database number (``/N`` or ``?db=N``, 0 if absent) moved up by ``index``."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    in_query = [value for key, value in query if key == "db"]
    in_path = parts.path.strip("/") if parts.scheme in ("redis", "rediss") else ""
    db = int(in_query[0] if in_query else in_path or 0) + index
    if in_query or parts.scheme not in ("redis", "rediss"):  # unix:///path/redis.sock?db=N
        query = [(key, value) for key, value in query if key != "db"] + [("db", str(db))]
        return f"{url.split('?', 1)[0]}?{urlencode(query)}"
    return urlunsplit(parts._replace(path=f"/{db}"))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config, specs):
    """Before the workers start (the controller): each worker's REDIS_URL in its environment."""
    url = os.environ.get("REDIS_URL")
    if not url:
        return
    import redis

    for spec in specs:
        if "REDIS_URL" in spec.env:  # chosen on the command line (--tx popen//env:REDIS_URL=...)
            continue
        worker_url = redis_url_for_worker(url, int(spec.id.removeprefix("gw")))
        try:
            redis.Redis.from_url(worker_url, socket_connect_timeout=5).ping()
        except redis.RedisError as exc:  # "DB index is out of range": past the server's databases
            error = " ".join(map(str, exc.args)) or type(exc).__name__
            raise pytest.UsageError(
                f"worker {spec.id} would use {worker_url} (REDIS_URL {url} + {spec.id}): {error}. "
                "A lower database number in REDIS_URL or fewer workers (PYTEST_WORKERS) may do."
            ) from None
        spec.env["REDIS_URL"] = worker_url


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups (--dist loadgroup, pyproject)
def pytest_collection_modifyitems(config, items):
    """Tests that share a fixture wider than a test stay on one worker, so it is built once: a
    package's (tests/demo's seeded city, tests/perf's lists) keeps the package together, a
    module's (an access table's world) the module; every other test goes wherever a worker is free.
    """
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        fixturedefs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
        # ours only, defined under tests/ (a plugin's have no baseid: pytest-django's class-scoped
        # autouse fixture is in every test)
        ours = [defs[-1] for defs in fixturedefs.values() if defs and defs[-1].baseid]
        packages = sorted(d.baseid for d in ours if d.scope == "package")
        if packages:
            item.add_marker(pytest.mark.xdist_group(packages[0]))  # the outermost package
        elif any(d.scope in ("module", "class") for d in ours):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.fixture(scope="session", autouse=True)
def _media_root_of_the_run(tmp_path_factory):
    """Files that tests store without choosing a MEDIA_ROOT go to a folder of this run (of this
    worker), not to the project's media/ that ``make run`` serves and another worker also writes."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


def pytest_sessionstart(session):
    """Start from an empty cache. The test database is new and its data versions begin again
    where an earlier run's did, so what that run cached under them (Redis keeps it between runs)
    would be read as this run's figures."""
    from django.core.cache import cache

    cache.clear()


PASSWORD = "correct horse battery staple"


def make_orgs() -> dict:
    """One organisation per kind, keyed by a short name (the ``orgs`` fixture)."""
    return {
        "police": f.OrganisationFactory(
            name="Oakland Police Department", kind=Organisation.Kind.POLICE
        ),
        "hsd": f.OrganisationFactory(
            name="Human Services Department", kind=Organisation.Kind.HUMAN_SERVICES
        ),
        "cbo": f.OrganisationFactory(name="Youth Alive", kind=Organisation.Kind.COMMUNITY_BASED),
        "other_cbo": f.OrganisationFactory(
            name="Roots Community Health", kind=Organisation.Kind.COMMUNITY_BASED
        ),
        "probation": f.OrganisationFactory(
            name="Probation Department", kind=Organisation.Kind.PROBATION
        ),
        "faith": f.OrganisationFactory(
            name="Faith in Action", kind=Organisation.Kind.FAITH_COMMUNITY
        ),
        "mayor": f.OrganisationFactory(name="Mayor's Office", kind=Organisation.Kind.MAYORS_OFFICE),
    }


ROLE_ORG = {
    Role.ADMIN: "mayor",
    Role.AUDITOR: "mayor",
    Role.POLICE_FACILITATOR: "police",
    Role.POLICE_VIEWER: "police",
    Role.PARTNER_LEAD: "hsd",
    Role.PARTNER_STAFF: "cbo",
    Role.COMMUNITY_PARTNER: "faith",
    Role.EXECUTIVE: "mayor",
}


def make_users(orgs: dict) -> dict:
    """One user per role, in the organisation that role typically belongs to (``users``)."""
    made = {}
    for role, org_key in ROLE_ORG.items():
        made[role.value] = f.UserFactory(
            username=role.value, role=role, organisation=orgs[org_key], is_staff=role == Role.ADMIN
        )
    return made


# --- The second factor in tests -------------------------------------------------------------
# ``Client.force_login`` (and ``Client.login``) also pass the second step with a confirmed TOTP
# device of the user, so every test signs in as before. The gate's own tests opt out with
# ``@pytest.mark.real_second_factor``: their signed-in clients still face the second step.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test secret, tests only
_verify_forced_logins = True
_original_client_login = Client._login


def verified_device_for(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(
        user=user, name="Test authenticator", key=TEST_TOTP_KEY, confirmed=True
    )


def _login_verified(self, user, backend=None):
    _original_client_login(self, user, backend)
    if _verify_forced_logins:
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = verified_device_for(user).persistent_id
        session.save()


Client._login = _login_verified


@pytest.fixture(autouse=True)
def _second_factor_in_tests(request):
    global _verify_forced_logins
    if request.node.get_closest_marker("real_second_factor"):
        _verify_forced_logins = False
        yield
        _verify_forced_logins = True
    else:
        yield


def current_totp(key: str = TEST_TOTP_KEY) -> str:
    from binascii import unhexlify

    from django_otp.oath import TOTP

    return f"{TOTP(unhexlify(key)).token():06d}"


def _allow_test_database_flush(sender, connection, **kwargs):
    """Transactional tests empty the test database with TRUNCATE, which the audit table's trigger
    refuses unless its owner sets this (the application role owns nothing, see README)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET ceasefire.audit_maintenance = 'on'")


connection_created.connect(_allow_test_database_flush, dispatch_uid="ceasefire-test-flush")


@pytest.fixture
def empty_cache():
    """The cache emptied before and after the test (``usefixtures``): what a test reads is
    computed from its own data, and nothing it cached reaches the next test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def orgs(db):
    return make_orgs()


@pytest.fixture
def users(orgs):
    """One user per role, in the organisation that role typically belongs to."""
    return make_users(orgs)


@pytest.fixture
def client_for(users):
    """client_for("partner_lead") → a test client signed in as that role."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(users[role])
        return client

    return make


@contextmanager
def tasks_in_process():
    """Celery tasks run eagerly, in-process, inside the block (whatever REDIS_URL says)."""
    from ceasefire.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Run Celery tasks in-process in every test, even when REDIS_URL is set (CI's second run).

    Only tests marked ``celery_worker`` talk to a real worker through the broker. Fixtures wider
    than a test (a module's world) use ``tasks_in_process()`` themselves: this one starts later.
    """
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    with tasks_in_process():
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The reset throttle counts in the cache, which outlives a test: tests that mean to reach the
    # limit set their own.
    settings.PASSWORD_RESET_ATTEMPTS = 10_000


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session", autouse=True)
def _serial_live_server_on_sqlite():
    """On SQLite the live server's threads share the test database's one in-memory connection,
    so two requests at once (a page polling while another saves) fail with "database table is
    locked". There the live server answers one request at a time (Django then closes each
    connection after its response, so browsers do not hold it), and an in-process background
    task (``TASKS_IN_BACKGROUND_THREAD``, a paper or PDF job) waits for the request being
    answered, and the next request for it: a job claiming its row while the page polled failed
    at once (shared-cache table locks do not wait). PostgreSQL keeps the threads."""
    from django.core.servers.basehttp import WSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    import ceasefire.celery

    one_at_a_time = threading.Lock()

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

        def process_request(self, request, client_address):
            with one_at_a_time:
                super().process_request(request, client_address)

    run_task = ceasefire.celery._eagerly

    def task_between_requests(*args, **kwargs):
        with one_at_a_time:
            return run_task(*args, **kwargs)

    if connection.vendor == "sqlite":
        LiveServerThread.server_class = SerialWSGIServer
        ceasefire.celery._eagerly = task_between_requests
    yield
    ceasefire.celery._eagerly = run_task


@pytest.fixture
def browser_page(live_server):
    """A Playwright page in Debian's headless Chromium (never a downloaded browser).

    ``browser_page(viewport={"width": 390, "height": 844})`` for a phone. Skips when Chromium
    is absent (CI installs it); sync Playwright beside live_server needs DJANGO_ALLOW_ASYNC_UNSAFE.
    """
    import os
    from pathlib import Path

    from django.db import connections

    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-gpu",
            "--disable-component-update",
        ],
    )
    pages = []

    def open_page(*, viewport=None):
        context = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 900}, base_url=live_server.url
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        # ends keep-alive connections, so server threads release their DB connections
        page.context.close()
    browser.close()
    # Playwright's sync API runs an event loop on this thread, and Django keeps separate
    # connections per async context: close the ones opened while it ran, or the test database
    # cannot be dropped.
    connections.close_all()
    pw.stop()


def browser_login(page, username: str, password: str = PASSWORD) -> None:
    """Password, then the second step with the user's test authenticator."""
    from ceasefire.core.models import User

    device = verified_device_for(User.objects.get(username=username))
    # a second sign-in within the same 30 s may reuse the code (django-otp refuses a replay)
    type(device).objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/verify/**")
    page.fill("#id_token", current_totp())
    page.click("#mfa-form button[type=submit]")
    page.wait_for_url("**/")


@pytest.fixture(autouse=True)
def _no_memos_on_close(request, settings):
    """Closing a meeting renders every audience's memo PDF: only tests marked ``papers`` do."""
    if not request.node.get_closest_marker("papers"):
        settings.MEETING_PAPERS_MEMO_ON_CLOSE = False
