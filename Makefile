# SINASEC: two commands on a fresh machine.
#   make run   the app on the embedded SQLite database, with demo data, at http://127.0.0.1:8000,
#              served by the production server (granian) with the background task worker
#   make test  lint, types, the whole suite on SQLite and on PostgreSQL, and the browser tests
# And for a deployment (the SINASEC_* variables set, see the README's "Deploying"):
#   make serve migrate, collect the static files and serve with the worker (no demo data)

VENV ?= .venv
PY := $(VENV)/bin/python
SINASEC := $(VENV)/bin/sinasec
HOST ?= 127.0.0.1:8000
export SINASEC_TEST_DATABASE_URL ?= postgres://sinasec:sinasec@127.0.0.1:5432/sinasec

.PHONY: run serve test lint typecheck test-sqlite test-postgres install messages bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $$(scripts/find-python) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(SINASEC) migrate --no-input
	$(SINASEC) demo
	$(SINASEC) collectstatic --no-input --verbosity 0
	@echo "SINASEC en http://$(HOST)/  (Ctrl+C para detener)"
	$(SINASEC) serve --demo --with-worker --bind $(HOST)

serve: install
	$(SINASEC) migrate --no-input
	$(SINASEC) collectstatic --no-input --verbosity 0
	$(SINASEC) serve --with-worker

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: install
	$(VENV)/bin/mypy sinasec

test-sqlite: install
	SINASEC_DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(VENV)/bin/pytest -q

test-postgres: install
	scripts/ensure-postgres
	SINASEC_DATABASE_URL=$(SINASEC_TEST_DATABASE_URL) $(VENV)/bin/pytest -q

test: lint typecheck test-sqlite test-postgres

messages: install
	cd sinasec && ../$(SINASEC) makemessages -l es --no-obsolete && ../$(SINASEC) compilemessages -l es

bench: install
	bench/run

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
