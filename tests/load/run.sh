#!/usr/bin/env bash
# make loadtest: gunicorn on loopback against the seeded demo city, then locust headless.
#   LOADTEST_USERS (20) sessions, LOADTEST_SECONDS (60) long, LOADTEST_THINK (1) s between clicks,
#   LOADTEST_PORT (8765), LOADTEST_WARMUP (10) s of the same mix first, not counted (the room
#   sitting down: every page opened once, its caches filled; 0 counts from the first click);
#   DATABASE_URL / REDIS_URL as for the app (PostgreSQL for the issue's
#   figures: seed it first with `manage.py seed_demo --scale 10`). WEB_CONCURRENCY and
#   GUNICORN_THREADS choose gunicorn's processes and threads (docker/gunicorn.conf.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=.venv/bin
LOAD=.venv-loadtest/bin
USERS=${LOADTEST_USERS:-20}
SECONDS_=${LOADTEST_SECONDS:-60}
PORT=${LOADTEST_PORT:-8765}
WARMUP=${LOADTEST_WARMUP:-10}
PLAN=.loadtest/plan.json
export SECRET_KEY=${SECRET_KEY:-loadtest-only-secret-key} DEBUG=0 ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 LOG_LEVEL=WARNING
export DB_CONN_MAX_AGE=${DB_CONN_MAX_AGE:-600}

$BIN/python manage.py migrate --noinput -v0
$BIN/python manage.py seed_demo --if-empty
$BIN/python manage.py collectstatic --noinput -v0
$BIN/python manage.py loadtest_prepare --sessions "$USERS" --out "$PLAN"

GUNICORN_BIND=127.0.0.1:$PORT $BIN/gunicorn -c docker/gunicorn.conf.py ceasefire.wsgi:application \
  >.loadtest/gunicorn.log 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  $BIN/python manage.py loadtest_prepare --revoke --out "$PLAN" >/dev/null
}
trap cleanup EXIT
for _ in $(seq 60); do
  curl -fsS "http://127.0.0.1:$PORT/health/" >/dev/null 2>&1 && break
  sleep 1
done
if [ "$WARMUP" -gt 0 ]; then
  LOADTEST_PLAN=$PLAN timeout $((WARMUP + 60)) $LOAD/locust -f tests/load/locustfile.py --headless \
    --host "http://127.0.0.1:$PORT" -u "$USERS" -r "$USERS" -t "${WARMUP}s" --stop-timeout 5 \
    --only-summary --loglevel ERROR >/dev/null 2>&1 || true
fi
echo "gunicorn: ${WEB_CONCURRENCY:-2} processes x ${GUNICORN_THREADS:-4} threads (gthread), $(nproc) cores; warm-up ${WARMUP} s; $(uptime)"
LOADTEST_PLAN=$PLAN timeout $((SECONDS_ + 120)) $LOAD/locust -f tests/load/locustfile.py --headless \
  --host "http://127.0.0.1:$PORT" -u "$USERS" -r "$USERS" -t "${SECONDS_}s" --stop-timeout 10 --only-summary \
  --loglevel WARNING
