PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUNTIME := $(VENV)/.runtime
PREFIX ?= $(HOME)/.local
APP_VENV ?= $(PREFIX)/share/tandem/venv

.PHONY: demo install uninstall test lint typecheck bench clean

# The editable install puts this folder on sys.path (setuptools' "compat" mode): its
# default, an import finder, costs every `tandem` command 9 ms more to start.
EDITABLE := --config-settings editable_mode=compat

# The app and the test tools (lint, types, tests, snapshots).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]' $(EDITABLE)
	touch $(RUNTIME) $(STAMP)

# The app alone, for `make demo` (the test tools only come with `make test`).
$(RUNTIME): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e . $(EDITABLE)
	touch $(RUNTIME)

demo: $(RUNTIME)
	$(BIN)/tandem demo

# `tandem` on the PATH: its own venv (like pipx), linked into $(PREFIX)/bin.
install:
	$(PYTHON) -m venv $(APP_VENV)
	$(APP_VENV)/bin/pip install --quiet --upgrade pip
	$(APP_VENV)/bin/pip install --quiet .
	mkdir -p $(PREFIX)/bin
	ln -sf $(APP_VENV)/bin/tandem $(PREFIX)/bin/tandem
	@echo "tandem is in $(PREFIX)/bin (add it to your PATH if 'tandem' is not found)"

uninstall:
	rm -rf $(APP_VENV) $(PREFIX)/bin/tandem

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
	$(BIN)/python bench/trust.py
	$(BIN)/python bench/data.py
	$(BIN)/python bench/caseload.py

# jrnl 4.x, the peer the bench compares with, in its own venv (never in .venv).
.venv-bench/.installed:
	$(PYTHON) -m venv .venv-bench && echo '*' > .venv-bench/.gitignore
	.venv-bench/bin/pip install --quiet --disable-pip-version-check 'jrnl>=4,<5'
	touch $@

clean:
	rm -rf $(VENV) .venv-bench .pytest_cache .mypy_cache .ruff_cache
