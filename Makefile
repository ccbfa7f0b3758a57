# Relais — two commands: `make run` (platform + demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
TEST_WORKERS ?= 2

.PHONY: run test lint format install db-start db-stop db-status demo migrate browser bench bench-load bench-pathways bench-fairness bench-national clean

$(STAMP): requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

## Start the platform with the demo data on http://127.0.0.1:8000 (Ctrl-C stops it and the database).
run: install browser
	@scripts/run

## Run the whole test suite in parallel on the embedded PostgreSQL (test databases are reused).
test: install browser
	$(BIN)/pytest -n $(TEST_WORKERS)

## Linters: ruff, djlint, layers and import cycles (import-linter), types (mypy on relais/:
## strict on core, matching and the apps' services, selectors, perms and workflows, gradual
## elsewhere; what is left out is listed in pyproject.toml), missing migrations.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint relais/www/templates --lint
	$(BIN)/lint-imports
	$(BIN)/mypy relais
	$(MANAGE) makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Debian packages pip cannot bring: chromium (browser journeys), Pango and fonts (PDF).
browser:
	@scripts/ensure-system-packages

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

db-start: install
	$(BIN)/python -m relais.core.embedded_db start

db-stop: install
	$(BIN)/python -m relais.core.embedded_db stop

db-status: install
	$(BIN)/python -m relais.core.embedded_db status

## Benchmarks (by hand, not in CI): figures go to the README.
bench: install
	$(BIN)/python bench/bench_imports.py
	nice -n 10 $(BIN)/python bench/bench_matching.py

## Load test at académie scale (by hand): the data once, then locust at 1 and 20 users, then SQL
## queries per page at two sizes (bench/README.md).
bench-load: install
	nice -n 10 $(BIN)/python bench/generate_academie.py --if-missing
	$(BIN)/python bench/bench_load.py
	$(BIN)/python bench/bench_queries.py

## Parcours Avenir at académie and national scale (by hand): the data once, then the measures.
bench-pathways: install
	$(BIN)/python bench/bench_pathways.py

## Fairness, flag safety and stability of the placement engine on the study scenario, and its
## time at national scale (by hand; bench/README.md).
bench-fairness: install
	nice -n 10 $(BIN)/python bench/bench_fairness.py --national

## National steering and open data at national scale (by hand): the data once (its own
## cluster), then the pages of /pilotage/ and the open data snapshot of the whole country.
bench-national: install
	nice -n 10 $(BIN)/python bench/bench_national.py

clean: db-stop
	rm -rf $(VENV) .data staticfiles
