# Two commands from a fresh clone: `make run` and `make test`. Only python3 is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in mails must point at the server that `make run` starts, wherever it listens;
# an explicit SITE_URL (environment or command line) still wins.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test test-later lint migrate translations messages worker beat vendor clean bench

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --domain django --directory locale --statistics

migrate: translations
	$(BIN)/python manage.py migrate --no-input

run: migrate
	SITE_URL='$(SITE_URL)' $(BIN)/python manage.py seed_demo
	@echo "Serving the demo on http://$(HOST):$(PORT)/"
	SITE_URL='$(SITE_URL)' $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(VENV)/.installed-test translations lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The demo and the browser journeys again with the clock a year ahead (Debian's libfaketime):
# a fresh clone passes on any date. CI runs it after `make test`.
FAKETIME_LIB ?= /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
LATER ?= +365d
# The demo, and every journey that plans, holds, registers, votes or records on a date; the
# layout and accessibility sweeps (axe, phone layout, map picker, body lists) read no clock.
LATER_TESTS ?= tests/portal/test_seed_demo.py tests/spaces/test_demo.py tests/oparl/test_walk.py \
	tests/e2e/test_persona_journeys.py tests/e2e/test_members_journey.py \
	tests/e2e/test_registration_journey.py tests/e2e/test_room_journey.py \
	tests/e2e/test_votes_journey.py tests/e2e/test_pdf_journey.py \
	tests/e2e/test_keyboard_journey.py tests/e2e/test_spaces_journey.py
test-later: $(VENV)/.installed-test translations
	@test -e $(FAKETIME_LIB) || { echo "test-later needs libfaketime ($(FAKETIME_LIB)): apt-get install faketime"; exit 1; }
	FAKETIME=$(LATER) FAKETIME_DONT_FAKE_MONOTONIC=1 LD_PRELOAD=$(FAKETIME_LIB) \
		$(BIN)/python -m pytest $(LATER_TESTS) $(PYTEST_ARGS)

worker: $(VENV)/.installed
	$(BIN)/celery -A aks worker --loglevel=info --queues=celery,render \
		--max-memory-per-child=524288 --soft-time-limit=300 --time-limit=360

beat: $(VENV)/.installed
	$(BIN)/celery -A aks beat --loglevel=info

# Load test on PostgreSQL (scale-1 bulk district, gunicorn, wrk): writes var/bench.json.
# BENCH_DATABASE_URL picks the database (default postgres://postgres@127.0.0.1:5432/aks_bench).
bench: $(VENV)/.installed translations
	command -v wrk >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

# Developers only (needs GNU gettext): refresh the German catalogue from the code.
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages --locale de --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'node_modules/*'

# Developers only (needs npm): refresh the vendored front-end files in static/vendor.
vendor:
	npm install --no-save --no-audit --no-fund
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	mkdir -p static/vendor/leaflet/images
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/LICENSE static/vendor/leaflet/
	cp node_modules/leaflet/dist/images/*.png static/vendor/leaflet/images/

clean:
	rm -rf $(VENV) var
