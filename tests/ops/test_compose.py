"""The scale-out compose set-up, read as data (no Docker engine runs here): a proxy in front of 2+
web replicas, 2+ workers and exactly one beat, one PostgreSQL and one Redis, migrations as a
one-off job everything waits for, a healthcheck on every long-running service; and the image
never migrates on start."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP = ("web", "worker", "beat")


def _replicas(name: str) -> int:
    return int(SERVICES[name].get("deploy", {}).get("replicas", 1))


def test_the_services_of_a_scaled_out_deployment():
    assert set(SERVICES) == {"migrate", "web", "proxy", "worker", "beat", "db", "redis"}
    assert _replicas("web") >= 2
    assert _replicas("worker") >= 2
    assert _replicas("beat") == 1  # two beats would send every scheduled task twice
    assert SERVICES["db"]["image"].startswith("postgres:")
    assert SERVICES["redis"]["image"].startswith("redis:")
    assert SERVICES["proxy"]["image"].startswith("nginx:")


def test_only_the_proxy_publishes_a_port_so_replicas_do_not_clash():
    published = {name for name, svc in SERVICES.items() if svc.get("ports")}
    assert published == {"proxy"}
    assert SERVICES["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_migrations_are_a_one_off_job_that_every_app_service_waits_for():
    migrate = SERVICES["migrate"]
    assert "migrate --noinput" in migrate["command"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    for name in APP:
        depends = SERVICES[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert depends["db"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name
        assert "migrate" not in SERVICES[name]["command"], name


def test_every_long_running_service_has_a_healthcheck_and_the_web_asks_readiness():
    for name in ("web", "proxy", "worker", "beat", "db", "redis"):
        assert SERVICES[name].get("healthcheck", {}).get("test"), name
    web = " ".join(SERVICES["web"]["healthcheck"]["test"])
    assert "/health/ready/" in web and "check=database" in web
    assert "/health/" in " ".join(SERVICES["proxy"]["healthcheck"]["test"])
    assert "inspect ping" in SERVICES["worker"]["healthcheck"]["test"][1]
    assert SERVICES["beat"]["healthcheck"]["test"][-2:] == ["healthcheck", "worker"]


def test_the_app_services_share_one_database_one_redis_and_the_media_volume():
    for name in APP:
        env = SERVICES[name]["environment"]
        assert env["DATABASE_URL"].split("@")[1] == "db:5432/ceasefire", name
        assert env["REDIS_URL"] == "redis://redis:6379/0", name
        assert env["BEHIND_PROXY"] == "1" and env["LOG_FORMAT"] == "json", name
        assert "media:/app/media" in SERVICES[name]["volumes"], name
    assert "ceasefire_app" in SERVICES["web"]["environment"]["DATABASE_URL"]
    assert "ceasefire_app" not in SERVICES["migrate"]["environment"]["DATABASE_URL"]


def test_the_web_runs_gunicorn_with_threads_from_the_committed_config():
    assert SERVICES["web"]["command"].startswith("gunicorn -c docker/gunicorn.conf.py")
    config = (ROOT / "docker/gunicorn.conf.py").read_text()
    assert 'worker_class = "gthread"' in config
    assert "accesslog = None" in config  # the app's own access line leaves query strings out


def test_the_image_does_not_migrate_when_it_starts():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "ENTRYPOINT" not in dockerfile
    cmd = [line for line in dockerfile.splitlines() if line.startswith("CMD")]
    assert cmd and "migrate" not in cmd[0] and "gunicorn.conf.py" in cmd[0]
    assert "postgresql-client" in dockerfile  # pg_dump / pg_restore for backup and restore


def test_the_proxy_config_passes_the_real_address_and_the_request_id():
    nginx = (ROOT / "docker/nginx.conf").read_text()
    mounted = SERVICES["proxy"]["volumes"][0].split(":")[0]
    assert (ROOT / mounted).resolve() == (ROOT / "docker/nginx.conf").resolve()
    assert re.search(r"server web:8000 resolve", nginx)
    assert "proxy_set_header X-Real-IP $remote_addr;" in nginx
    assert "proxy_set_header X-Request-ID $ceasefire_request_id;" in nginx
    assert "listen 8080;" in nginx and SERVICES["proxy"]["ports"][0].endswith(":8080")


def _compose_works() -> bool:
    if not shutil.which("docker"):
        return False
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not _compose_works(), reason="`docker compose` is not available here")
def test_docker_compose_accepts_the_file(tmp_path):
    env = tmp_path / ".env"
    env.write_text("SECRET_KEY=x\nAPP_DB_PASSWORD=x\n")
    result = subprocess.run(
        ["docker", "compose", "--env-file", str(env), "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
