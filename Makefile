# Team Mirror. `make run` and `make test` work from a fresh clone.
.DEFAULT_GOAL := help
.PHONY: help run test test-browser lint format migrate seed worker clean messages compilemessages

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev
BROWSER_STAMP := $(VENV)/.installed-browser
HOST_PORT ?= 127.0.0.1:8000
# Links in invitations, the stakeholder link and emails point here. Follows HOST_PORT
# unless set: `make run HOST_PORT=127.0.0.1:8101` gives links to port 8101.
SITE_URL ?= http://$(HOST_PORT)

help:
	@echo "make run           set everything up and serve http://$(HOST_PORT) with demo data"
	@echo "make test          install and run the whole test suite"
	@echo "make test-browser  real-browser journeys and accessibility checks (Chromium)"
	@echo "make lint          ruff and mypy"
	@echo "make messages      update locale/*/django.po from the source (then translate, no fuzzy)"
	@echo "make worker        the task worker (emails) and the scheduled work"

# The project is installed as a plain (not editable) package: it has no importable
# package of its own (it runs from this folder), so an editable install only adds
# setuptools' "Editable installation" warning box.
# Find Python >= 3.12: on PATH, or installed through pyenv.
$(PY):
	@py=""; \
	for c in python3.13 python3.12 python3.14 python3 \
	         "$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)"/versions/3.13*/bin/python \
	         "$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)"/versions/3.12*/bin/python; do \
	  if "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then py="$$c"; break; fi; \
	done; \
	if [ -z "$$py" ]; then \
	  echo "Team Mirror needs Python 3.12 or newer, and none was found: install Python 3.13 (for example 'pyenv install 3.13') and run make again."; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$py"; \
	"$$py" -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml constraints.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt '.[dev]'
	@touch $(STAMP)

$(BROWSER_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -c constraints.txt '.[dev,browser]'
	@touch $(BROWSER_STAMP)

# Translations (docs/languages.md). The .po catalogs are committed; the compiled .mo
# files are not: they are built here whenever a catalog is newer, with GNU gettext's
# msgfmt when it is installed, else with polib (config/msgfmt.py), so a fresh
# clone needs nothing more than its Python packages.
LOCALES := de fr es
PO_FILES := $(foreach l,$(LOCALES),locale/$(l)/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)
MAKEMESSAGES_IGNORE := --ignore=.venv --ignore=tests --ignore=benchmarks \
  --ignore=wip --ignore=var --ignore=staticfiles --ignore=static/vendor

messages: $(STAMP)
	$(PY) manage.py makemessages $(foreach l,$(LOCALES),-l $(l)) \
	  $(MAKEMESSAGES_IGNORE) --no-obsolete --add-location=file
	$(PY) config/msgfmt.py --tidy $(PO_FILES)
	$(MAKE) compilemessages

compilemessages: $(MO_FILES)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(PY)
	$(PY) config/msgfmt.py $<

migrate: $(STAMP) compilemessages
	$(PY) manage.py migrate --no-input

seed: migrate
	$(PY) manage.py seed_demo --skip-if-not-demo

run: seed
	@echo ""
	@echo "Team Mirror is at http://$(HOST_PORT)/  (Ctrl-C stops it)"
	@SITE_URL=$(SITE_URL) $(PY) manage.py seed_demo --print-accounts
	@echo ""
	@# Scheduled work (rounds closed by their date release their results) runs
	@# beside the server, every minute, and stops with it.
	$(PY) manage.py run_schedule --every 60 & trap 'kill $$!' EXIT INT TERM; \
	  SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST_PORT)

test: $(STAMP) compilemessages
	$(PY) -m pytest -n 2

# Debian's Chromium, installed with apt if missing; Playwright never downloads one.
# A failing test leaves a screenshot and the page's trace in var/browser-results/.
test-browser: $(BROWSER_STAMP) compilemessages
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)
	BROWSER_TESTS=1 $(PY) -m pytest tests/browser -p no:xdist \
	  --screenshot only-on-failure --tracing retain-on-failure --output var/browser-results

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The task worker (emails; rounds closed at their date) and the scheduled work.
worker: $(STAMP)
	$(PY) manage.py run_schedule --every 60 & trap 'kill $$!' EXIT INT TERM; \
	  SITE_URL=$(SITE_URL) $(PY) manage.py db_worker

clean:
	rm -rf $(VENV) var staticfiles
