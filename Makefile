# Sa Bàn Một Cửa — `make run` to start the sandbox, `make test` to run every check.
# Targets with a "##" comment are listed by `make help`.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PROFILE ?= demo
SEED    ?= 2026
# app processes for `make run`: a class of 300 needs more than one (1 = waitress only, as on Windows)
WORKERS ?= 2

.DEFAULT_GOAL := help
.PHONY: help install run serve seed seed-force world-stats test test-postgres lint layers browser pytest loadtest clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $@

install: $(STAMP) ## Create the virtualenv and install the project (once; again when pyproject.toml changes)

run: install ## Set everything up, seed the demo world if there is none, and start the server
	$(VENV)/bin/sandbox seed --profile $(PROFILE) --seed $(SEED) --if-empty
	$(VENV)/bin/sandbox run --workers $(WORKERS)

serve: install ## Start the server on the existing world (no seeding)
	$(VENV)/bin/sandbox run --workers $(WORKERS)

seed: install ## Build a world if none exists (PROFILE=tiny|demo|load SEED=N)
	$(VENV)/bin/sandbox seed --profile $(PROFILE) --seed $(SEED) --if-empty

seed-force: install ## Drop the current world and build a new one (PROFILE=… SEED=…)
	$(VENV)/bin/sandbox seed --profile $(PROFILE) --seed $(SEED) --force

world-stats: install ## Print the world's figures as JSON
	$(VENV)/bin/sandbox world stats --json

lint: install ## Ruff lint
	$(VENV)/bin/ruff check sandbox tests bench seed/tools loadtests

layers: install ## Check the import layers (import-linter contracts in pyproject.toml)
	$(VENV)/bin/lint-imports

browser: ## Install Debian's Chromium for the end-to-end tests (skipped with a reason when impossible)
	@bash scripts/install-browser.sh

pytest: install browser ## Run the pytest suite only (end-to-end tests included)
	$(PY) -m pytest

test: lint layers pytest ## Set up and run every check: lint, layers, the whole test suite

test-postgres: install ## The test suite on PostgreSQL: make test-postgres PG_URL=postgresql+psycopg://u:p@127.0.0.1/db (wiped!)
	@test -n "$(PG_URL)" || (echo "PG_URL is required, e.g. postgresql+psycopg://sandbox:sandbox@127.0.0.1:5432/sandbox_test"; exit 2)
	$(PY) -m pip install --quiet -e ".[test,postgres]"
	SANDBOX_TEST_DATABASE_URL="$(PG_URL)" $(PY) -m pytest

SHAPE ?= smoke
LOAD_PROFILE ?= load
LOADTEST_ARGS ?=

loadtest: install ## Go-live load run: SHAPE=smoke|golive-morning|peak-hour|soak|spike [LOAD_PROFILE=load] [LOADTEST_ARGS=...]
	$(PY) -m loadtests run --shape $(SHAPE) --profile $(LOAD_PROFILE) --workers $(WORKERS) $(LOADTEST_ARGS)

clean: ## Remove the virtualenv, caches and the local database (instance/)
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .hypothesis build *.egg-info
