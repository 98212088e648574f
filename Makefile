# Ruspolitikk: set-up, tests and benchmark. `make run` and `make test` work on a fresh clone:
# every target installs what it needs, and file stamps keep repeated runs fast.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
INSTALLED := $(VENV)/.installed
BROWSER_DIR := tests/browser
NODE_INSTALLED := $(BROWSER_DIR)/node_modules/.installed
FIXTURES := fixtures/parties.json fixtures/positions.json
MIGRATIONS := $(wildcard */migrations/0*.py)
HOST ?= 127.0.0.1
PORT ?= 8000
# Extra pytest arguments for both legs, e.g. `make test PYTEST_ARGS="-x tests/site"`.
PYTEST_ARGS ?=

# The caller's shell must not choose the database or debug mode behind a target's back: each
# recipe sets what it needs (the PostgreSQL leg gets DATABASE_URL from .ci/with-postgres).
unexport DATABASE_URL DEBUG

.PHONY: FORCE help install run db serve test gate test-sqlite test-postgres browser-deps browser-system-deps bench bench-deps fmt clean

help:
	@echo "make run     set up .venv and db.sqlite3 with the fixtures, serve http://$(HOST):$(PORT)"
	@echo "make serve   production: gunicorn, DEBUG off, settings from the environment (README: Production)"
	@echo "make test    gate + the suite on SQLite (with browser tests) and on a throwaway PostgreSQL 15"
	@echo "make bench   the served app under wrk, cached and uncached, on SQLite and PostgreSQL"
	@echo "make fmt     ruff format + ruff check --fix"

# --- Python environment -------------------------------------------------------------------

$(INSTALLED): pyproject.toml
	@test -x $(PY) || { echo "Creating $(VENV) with $$(.ci/find-python)"; "$$(.ci/find-python)" -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(INSTALLED)

# --- Local server -----------------------------------------------------------------------------

# The local database is built from the fixtures. A new migration is applied to it; a changed
# fixture file, a missing or an empty db.sqlite3 (any manage.py command creates a 0-byte file
# just by connecting) rebuilds it from scratch, so rows dropped from the fixtures go too.
ifneq ($(shell test -s db.sqlite3 && echo yes),yes)
db.sqlite3: FORCE
endif
REBUILD_DB = $(filter $(FIXTURES) FORCE,$?)
db.sqlite3: $(INSTALLED) $(MIGRATIONS) $(FIXTURES)
	$(if $(REBUILD_DB),rm -f $@)
	DEBUG=1 $(MANAGE) migrate --no-input -v 0
	$(if $(REBUILD_DB),DEBUG=1 $(MANAGE) load_data)
	@touch $@

db: db.sqlite3

run: db.sqlite3
	DEBUG=1 exec $(MANAGE) runserver $(HOST):$(PORT)

# --- Production server ----------------------------------------------------------------------

# Production, configured by the environment (README, "Production"): DATABASE_URL passes through
# here, DEBUG is always off. Reports what check --deploy finds, collects the hashed, compressed
# static files, applies migrations (MIGRATE=0 skips them: with several app servers, migrate once
# per release instead), then gunicorn replaces make, so the process manager's signals reach it.
MIGRATE ?= 1
ifdef DATABASE_URL
serve: export DATABASE_URL := $(value DATABASE_URL)
endif
serve: $(INSTALLED)
	DEBUG=0 STATIC_MANIFEST=1 $(MANAGE) check --deploy
	DEBUG=0 STATIC_MANIFEST=1 $(MANAGE) collectstatic --no-input -v 0
	$(if $(filter 1,$(MIGRATE)),DEBUG=0 STATIC_MANIFEST=1 $(MANAGE) migrate --no-input)
	DEBUG=0 STATIC_MANIFEST=1 exec $(PY) -m gunicorn --config ruspolitikk/gunicorn.conf.py ruspolitikk.wsgi:application

# --- Tests ----------------------------------------------------------------------------------

test: gate test-sqlite test-postgres

# The CI gate: Django's checks, no missing migrations, lint and formatting. An in-memory
# database, so the gate never creates or touches db.sqlite3.
gate: $(INSTALLED)
	DEBUG=1 DATABASE_URL=sqlite:///:memory: $(MANAGE) check
	DEBUG=1 DATABASE_URL=sqlite:///:memory: $(MANAGE) makemigrations --check --dry-run
	DEBUG=1 DATABASE_URL=sqlite:///:memory: $(MANAGE) build_fixtures --check
	@for po in locale/*/LC_MESSAGES/*.po; do msgfmt --check -o - "$$po" | cmp -s - "$${po%.po}.mo" \
	  || { echo "$$po: its .mo is stale: msgfmt -o $${po%.po}.mo $$po"; exit 1; }; done
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Browser tests need Debian's Chromium and Java (apt, only if missing) and the npm checkers.
$(NODE_INSTALLED): $(BROWSER_DIR)/package.json $(BROWSER_DIR)/package-lock.json
	cd $(BROWSER_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

browser-system-deps:
	@.ci/install-browser-deps

browser-deps: browser-system-deps $(NODE_INSTALLED)

# The whole suite, browser tests included (they must run: a missing browser fails, not skips).
test-sqlite: $(INSTALLED) browser-deps bench-deps
	@echo "=== pytest on SQLite (with browser tests) ==="
	BROWSER_TESTS_REQUIRED=1 BENCH_TESTS_REQUIRED=1 .ci/pytest $(PYTEST_ARGS)

# The same suite on a real PostgreSQL 15 with the page cache in a real Redis (as several app
# servers would share it); browser tests run in the SQLite leg only, to save time.
test-postgres: $(INSTALLED)
	@echo "=== pytest on PostgreSQL 15 + Redis (browser tests run in the SQLite leg) ==="
	ALLOW_NO_TESTS=1 .ci/with-postgres .ci/with-redis .ci/pytest -m "not browser" $(PYTEST_ARGS)

# --- Benchmark ------------------------------------------------------------------------------

# wrk drives the load (apt, only if missing); the benchmark's real-run test needs it too.
bench-deps:
	@.ci/install-bench-deps

# One leg per database (the second inside a throwaway PostgreSQL), each printing its rows as it
# goes and saving them; then one table of both. About 12 minutes. Options:
# `make bench BENCH_ARGS="--duration 10 --long-duration 0"` (python -m ruspolitikk.bench run --help).
#
# `make bench SIZE=national` (or SIZE=small, minutes): how cost grows with the data (issue 8), the
# seed against a synthetic set generated once per size and generator version (kept under
# .tmp/bench/ on SQLite; regenerated in the throwaway PostgreSQL), uncached, with the targets.
# `SCALE_ARGS="--organisations 500 --statements 30000"` overrides the size; `--requests N` the
# timed requests per page (100).
BENCH_ARGS ?=
BENCH_RESULTS := .tmp/bench
SIZE ?=
SCALE_ARGS ?=
bench: $(INSTALLED) bench-deps
ifdef SIZE
	mkdir -p $(BENCH_RESULTS)
	$(PY) -m ruspolitikk.bench.scale --size $(SIZE) $(SCALE_ARGS) | tee $(BENCH_RESULTS)/scale-sqlite.txt
	.ci/with-postgres $(PY) -m ruspolitikk.bench.scale --size $(SIZE) $(SCALE_ARGS) | tee $(BENCH_RESULTS)/scale-postgresql.txt
	@echo
	@grep -hv '^\[' $(BENCH_RESULTS)/scale-sqlite.txt $(BENCH_RESULTS)/scale-postgresql.txt
else
	rm -rf $(BENCH_RESULTS)
	$(PY) -m ruspolitikk.bench run --results $(BENCH_RESULTS)/sqlite.json $(BENCH_ARGS)
	.ci/with-postgres $(PY) -m ruspolitikk.bench run --results $(BENCH_RESULTS)/postgresql.json $(BENCH_ARGS)
	@echo
	$(PY) -m ruspolitikk.bench report $(BENCH_RESULTS)/sqlite.json $(BENCH_RESULTS)/postgresql.json
endif

# --- Conveniences ---------------------------------------------------------------------------

fmt: $(INSTALLED)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf .tmp staticfiles .pytest_cache .ruff_cache

FORCE:
