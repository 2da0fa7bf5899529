# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test install install-dev bench completions

$(BIN)/ameli: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev: $(BIN)/ameli
	$(BIN)/python -m pip install --quiet -e '.[dev,mcp]'
	@touch $@

install: $(BIN)/ameli

install-dev: $(VENV)/.dev

demo: install
	@PATH="$(abspath $(BIN)):$$PATH" ./scripts/demo.sh

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy ameli_cli ameli_sandbox ameli_rules
	$(BIN)/lint-imports --no-logo
	$(BIN)/python -m pytest -n auto --dist worksteal

bench: install-dev
	$(BIN)/python bench/startup.py

completions: install
	$(BIN)/python -m ameli_cli.runtime.completion_scripts completions
