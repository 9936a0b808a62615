# Seedtrace developer workflow. `make run` and `make test` are the two commands a new machine needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL pass of the test suite (pytest-django creates and drops test_<name>).
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/seedtrace

.PHONY: install run test test-sqlite test-postgres lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The first `make run` evolves seeding rules for about two minutes (a finished demo run is kept);
# SEEDTRACE_DEMO=0 skips it. DEBUG is on for this local demo only (static files, readable errors);
# DEBUG=0 make run serves it as a deployment would.
run: install
	$(BIN)/python manage.py migrate --noinput
	@if [ "$${SEEDTRACE_DEMO:-1}" != "0" ]; then $(BIN)/python manage.py demo; fi
	@echo "Seedtrace: http://$(HOST):$(PORT)/"
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# SQLite + eager Celery first, then PostgreSQL; each pass also runs the tests that start a
# real Celery worker on Redis and on RabbitMQ. The solver tests touch no database: run once.
test: test-sqlite test-postgres

test-sqlite: install
	env -u DATABASE_URL -u CELERY_BROKER_URL $(BIN)/python -m pytest

test-postgres: install
	env -u CELERY_BROKER_URL DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest --ignore=tests/solver

lint: install
	$(BIN)/python -m ruff check .

clean:
	rm -rf $(VENV) var/test-*.sqlite3 .pytest_cache
