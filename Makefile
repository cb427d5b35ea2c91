# The README's commands. Each target sets up what it needs, idempotently.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
E2E_HARD_DATE ?= 2028-02-29
export DJANGO_SETTINGS_MODULE := perfmgmt.settings

.PHONY: help run test worker lint format bench setup frontend migrate e2e screenshots clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The CSS is purged of the classes no template, app or script names
# (scripts/build-frontend.mjs), so it is rebuilt when any of them changes.
static/dist/.built: node_modules/.installed $(VENV)/.installed scripts/build-frontend.mjs $(wildcard static/scss/*.scss static/js/*.js) \
		$(shell find templates appraisals core demo insights organisations perfmgmt -name '*.html' -o -name '*.py' 2>/dev/null)
	npm run build
	touch $@

setup: $(VENV)/.installed static/dist/.built ## Install Python and npm packages, build the front end

frontend: static/dist/.built

migrate: setup
	$(PY) manage.py migrate --noinput

run: migrate ## Set up, seed the demo once and serve it at http://127.0.0.1:8000
	$(PY) manage.py seed_demo --if-empty
	@echo ""
	@echo "Serving at http://127.0.0.1:$(PORT)/ - sign in as demo-director, demo-manager,"
	@echo "demo-staff, demo-officer, demo-admin or demo-other-org with the password demo-password."
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup ## Set up and run the whole test suite
	$(PY) manage.py makemigrations --check --dry-run >/dev/null || { echo "Missing migrations: run makemigrations"; exit 1; }
	$(PY) -m pytest -m "not e2e" -n 2 $(PYTEST_ARGS)
	$(PY) -m pytest -m e2e -p no:xdist $(PYTEST_ARGS)
	@# The accessibility sweep once more with the server living on a hard date (a leap day).
	E2E_TODAY=$(E2E_HARD_DATE) $(PY) -m pytest -m e2e -p no:xdist tests/e2e/test_accessibility.py $(PYTEST_ARGS)

e2e: setup ## Run only the browser tests
	$(PY) -m pytest -m e2e $(PYTEST_ARGS)

screenshots: migrate ## Each persona's home page at 1366 and 390 px into docs/screenshots/, with the flag figures (needs Chromium)
	$(PY) manage.py seed_demo --if-empty
	$(PY) scripts/screenshots.py

worker: setup ## Celery worker (every queue) and beat against REDIS_URL, for one machine
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL, e.g. redis://127.0.0.1:6379/0"; exit 1; }
	$(VENV)/bin/celery -A perfmgmt worker --beat --loglevel=info --concurrency=2 -Q default,recompute,email

lint: $(VENV)/.installed ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed ## ruff fix and format
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: migrate ## Seed a large organisation into PostgreSQL and measure (needs DATABASE_URL)
	$(PY) -m bench.run $(BENCH_ARGS)

clean: ## Remove the virtualenv, node_modules, built assets and the SQLite database
	rm -rf $(VENV) node_modules static/dist db.sqlite3 db.sqlite3-* staticfiles
