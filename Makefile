# Two commands set everything up on a fresh Debian/Ubuntu machine with Python 3.11+:
#   make demo   — venv + runtime deps, bundled demo ward site, a real refresh, UI on http://127.0.0.1:5000
#   make test   — venv + runtime and test deps, ruff, the import contracts (lint-imports), the whole test suite

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: demo test lint clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

demo: $(VENV)/.runtime
	$(BIN)/python -m demo.run_demo

test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: $(VENV)/.runtime
	$(BIN)/python -m benchmarks.eval_quality
	$(BIN)/python -m benchmarks.bench_index
	$(BIN)/python -m benchmarks.bench_search
	$(BIN)/python -m benchmarks.bench_components

clean:
	rm -rf $(VENV) demo/data .pytest_cache .ruff_cache .import_linter_cache
