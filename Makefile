# Two commands from a fresh clone: `make run` and `make test`.
# Both create .venv and install the pinned dependencies themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# make test's parallel workers (pytest-xdist); PYTEST_WORKERS=0 runs the suite in one process.
PYTEST_WORKERS ?= 2
export DJANGO_SETTINGS_MODULE := ceasefire.settings

.PHONY: run test lint bench loadtest worker clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/base.txt requirements/dev.txt $(VENV)/.base-installed
	$(BIN)/pip install --quiet -r requirements/base.txt -r requirements/dev.txt
	touch $@

## make run: SQLite, demo data on first start, Celery tasks in-process, http://$(HOST):$(PORT)
run: $(VENV)/.base-installed
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo --if-empty
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py prepare_reviews
	DEBUG=$${DEBUG:-1} TASKS_IN_BACKGROUND_THREAD=$${TASKS_IN_BACKGROUND_THREAD:-1} \
		$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: lint, then the whole suite on $(PYTEST_WORKERS) workers (browser tests need
## /usr/bin/chromium; benchmarks are `make bench`)
test: $(VENV)/.dev-installed lint
	SECRET_KEY=$${SECRET_KEY:-test-only-secret-key} DB_CONN_MAX_AGE=0 $(BIN)/pytest -m "not benchmark" \
		-n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## make bench: the quality-bar benchmarks (set DATABASE_URL for PostgreSQL); they print their numbers
bench: $(VENV)/.dev-installed
	SECRET_KEY=$${SECRET_KEY:-bench-only-secret-key} $(BIN)/pytest -m benchmark -s $(PYTEST_ARGS)

.venv-loadtest/.installed: requirements/loadtest.txt
	$(PYTHON) -m venv .venv-loadtest
	.venv-loadtest/bin/pip install --quiet -r requirements/loadtest.txt
	touch $@

## make loadtest: 20 signed-in sessions on gunicorn for 60 s (locust, loopback); prints p50/p95/p99 per page
loadtest: $(VENV)/.base-installed .venv-loadtest/.installed
	tests/load/run.sh

## make worker: a Celery worker and beat (needs REDIS_URL)
worker: $(VENV)/.base-installed
	$(BIN)/celery -A ceasefire worker --beat --loglevel=info

clean:
	rm -rf $(VENV) .venv-loadtest .loadtest db.sqlite3 media staticfiles
