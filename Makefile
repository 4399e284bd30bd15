PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/tandem demo

lint: $(STAMP)
	$(BIN)/ruff check journal screens widgets tests bench
	$(BIN)/ruff format --check journal screens widgets tests bench
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest

bench: $(STAMP)
	@$(MAKE) --no-print-directory .venv-bench/.installed || echo "jrnl: not installed (the bench runs without it)"
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/merge.py
	$(BIN)/python bench/app_startup.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/goals.py
	$(BIN)/python bench/data.py
	$(BIN)/python bench/caseload.py

# jrnl 4.x, the peer the bench compares with, in its own venv (never in .venv).
.venv-bench/.installed:
	$(PYTHON) -m venv .venv-bench && echo '*' > .venv-bench/.gitignore
	.venv-bench/bin/pip install --quiet --disable-pip-version-check 'jrnl>=4,<5'
	touch $@

clean:
	rm -rf $(VENV) .venv-bench .pytest_cache .mypy_cache .ruff_cache
