# Two commands for a newcomer: `make run` (the site with demo data) and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Finds Python 3.12+ (honours PYTHON=...); see scripts/find_python.sh.
PYTHON ?= $(shell scripts/find_python.sh)

.PHONY: install install-dev run test test-fast lint format messages demo clean check-deploy

$(VENV)/.installed: requirements.txt
	@test -n "$(PYTHON)" || { echo "This project needs Python 3.12 or newer. Set PYTHON=/path/to/python3.12."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(PY) scripts/run_local.py

test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: install-dev
	$(PY) -m pytest -m "not browser and not e2e" $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Refresh the catalogues after changing strings; the compiled .mo files are committed so a
# fresh clone needs no gettext tools.
messages: install
	$(PY) manage.py makemessages -l ja -l en --no-obsolete --ignore=.venv --ignore=var --ignore=bench --ignore=tests
	# English is the source language: its catalogue is complete when msgstr = msgid.
	# msgen leaves msgmerge's fuzzy guesses alone; empty them first so changed msgids are refilled.
	msgattrib --no-wrap --clear-fuzzy --empty --clear-previous locale/en/LC_MESSAGES/django.po -o locale/en/LC_MESSAGES/django.po
	msgen --no-wrap locale/en/LC_MESSAGES/django.po -o locale/en/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages --ignore=.venv

check-deploy: install
	DEBUG=false SECRET_KEY=$$(openssl rand -hex 40) ALLOWED_HOSTS=portal.example.jp \
	  DATABASE_URL=postgres://portal@db.example.jp/portal CELERY_BROKER_URL=redis://redis.example.jp:6379/0 \
	  REDIS_URL=redis://redis.example.jp:6379/1 $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var/broker var/celerybeat-schedule*
