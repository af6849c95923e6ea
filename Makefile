# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= heyi.settings.dev

.PHONY: run test install migrate demo check lint messages vendor worker clean

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Heyi is running at http://127.0.0.1:$(PORT)/ (Ctrl+C to stop); jobs and events log to var/"
	@$(PY) manage.py db_worker > var/worker.log 2>&1 & worker=$$!; \
	$(PY) manage.py dispatch_events --loop > var/dispatcher.log 2>&1 & dispatcher=$$!; \
	$(PY) manage.py approval_deadlines --loop > var/deadlines.log 2>&1 & deadlines=$$!; \
	trap 'kill $$worker $$dispatcher $$deadlines 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	DJANGO_SETTINGS_MODULE=heyi.settings.test $(PY) -m pytest $(PYTEST_ARGS)

worker: install
	$(PY) manage.py db_worker

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# Each app keeps its own catalogue in heyi/<app>/locale/zh_Hans/; English is the source language.
messages: install
	for app in heyi/*/; do [ -d $$app/locale ] || continue; \
	  (cd $$app && ../../$(PY) ../../manage.py makemessages -l zh_Hans --no-obsolete --no-location --ignore=tests \
	   && ../../$(PY) ../../manage.py compilemessages -l zh_Hans) || exit 1; done

vendor:
	$(PYTHON) scripts/vendor.py

clean:
	rm -rf $(VENV) var
