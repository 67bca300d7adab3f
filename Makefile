# Ideenwerk: the commands the README promises. GNU make.
#
#   make run     install, migrate, seed demo content and serve on http://127.0.0.1:5000
#   make test    the whole suite on SQLite and on PostgreSQL, browser tests included

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
# The first interpreter found; `install` checks that it is at least 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
STAMP := $(VENV)/.installed-from-pyproject
FLASK := $(BIN)/flask --app wsgi

TEST_DATABASE_URL_PG ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export TEST_DATABASE_URL_PG

TRANSLATIONS := app/translations
PO_FILES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: help venv install translations run test test-sqlite test-pg lint format messages clean bench

help:
	@echo "make run          install, migrate, seed demo data, serve on http://127.0.0.1:5000"
	@echo "make test         whole test suite on SQLite and on PostgreSQL (with browser tests)"
	@echo "make test-sqlite  the suite on SQLite only"
	@echo "make test-pg      the suite on PostgreSQL only ($(TEST_DATABASE_URL_PG))"
	@echo "make lint         ruff check and ruff format --check"
	@echo "make format       ruff format and ruff check --fix"
	@echo "make messages     extract, update and compile the translations"
	@echo "make clean        remove the virtualenv, caches and test output"

venv install: $(STAMP)

# Re-installs only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (python3.11 or python3)."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "$(PYTHON) is older than 3.11; set PYTHON=/path/to/python3.11."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@

# Compiled catalogues are build output: compile each .po that is newer than its .mo.
translations: $(MO_FILES)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

run: install translations
	$(FLASK) db upgrade
	$(FLASK) seed --demo
	$(FLASK) run --host 127.0.0.1 --port 5000 --debug

test: install translations
	bash scripts/test.sh all

test-sqlite: install translations
	bash scripts/test.sh sqlite

test-pg: install translations
	bash scripts/test.sh pg

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# --ignore-dirs replaces Babel's default, which would also skip templates/_macros/.
messages: install
	mkdir -p $(TRANSLATIONS)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs '.* __pycache__' \
	  -o $(TRANSLATIONS)/messages.pot .
	if [ -f $(TRANSLATIONS)/en/LC_MESSAGES/messages.po ]; then \
	  $(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS); \
	else \
	  $(BIN)/pybabel init -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l en; \
	fi
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS)

clean:
	rm -rf $(VENV) .ruff_cache .pytest_cache test-results *.egg-info
	find . -name __pycache__ -type d -not -path './.git/*' -prune -exec rm -rf {} +

# Seeds (or reuses) 100 000 ideas, serves them with gunicorn (and a private redis-server as
# the shared cache when installed), measures; see bench/run.py for the BENCH_* settings.
# PostgreSQL: make bench BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench
bench: install translations
	$(BIN)/python bench/run.py
