# Two entry points a newcomer needs: `make demo` and `make test`. Both create or update .venv.
# `make test-fast` is the quick loop while coding (docs/development.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

TOOLS := .tools
SARIF_MULTITOOL := $(TOOLS)/node_modules/@microsoft/sarif-multitool/package.json
GCL_VERSION := 4.73.0
GCL_STAMP := $(TOOLS)/.gitlab-ci-local-$(GCL_VERSION)
AXE_VERSION := 4.14.1
AXE := $(TOOLS)/node_modules/axe-core/axe.min.js

.PHONY: demo test test-fast lint typecheck unit bench clean tools rego-builtins dist

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[mlflow]'
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev,mlflow]'
	touch $@ $(STAMP)

demo: $(STAMP)
	@bash examples/run-demo.sh $(BIN)/govgate

# The import graph: no cycle, no edge against the flow (scripts/import_graph.py names the layers).
lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/python scripts/import_graph.py --packages > /dev/null

typecheck: $(DEV_STAMP)
	$(BIN)/mypy --strict src

$(SARIF_MULTITOOL):
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --prefix $(TOOLS) --no-audit --no-fund @microsoft/sarif-multitool@5.7.0; \
	else echo "npm not found: the SARIF multitool test will be skipped"; fi

# gitlab-ci-local runs the GitLab template for real (4.74+ needs Node 22); it needs rsync.
$(GCL_STAMP):
	@command -v rsync >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq rsync; }
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --prefix $(TOOLS) --no-audit --no-fund --loglevel=error \
	    gitlab-ci-local@$(GCL_VERSION) && touch $@; \
	else echo "no npm: the GitLab template tests will be skipped"; fi

# report.html is opened in a real browser (tests/browser): Debian's chromium, driven by the
# playwright package of the dev extra (never `playwright install`), with axe-core injected.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && apt-get install -y -qq chromium; \
	else echo "apt-get not found: the report.html browser tests will be skipped"; fi

$(AXE):
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --prefix $(TOOLS) --no-audit --no-fund --loglevel=error axe-core@$(AXE_VERSION); \
	else echo "npm not found: the report.html accessibility test will be skipped"; fi

tools: $(SARIF_MULTITOOL) $(GCL_STAMP) $(CHROMIUM) $(AXE)

# Every test, with coverage: below `fail_under` in pyproject.toml the run fails.
unit: $(DEV_STAMP) tools
	$(BIN)/python -m pytest -q --durations=10 --cov --cov-report=term:skip-covered

test: lint typecheck unit

# The sdist and the wheel a release publishes, checked as PyPI checks them (docs/release.md).
dist: $(DEV_STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/python -m twine check --strict dist/*

# The quick tier: no MLflow server, OPA, CI runner, npm tool or Rego parity run (`-m "not slow"`).
test-fast: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/mlflow_check.py
	$(BIN)/python benchmarks/mlflow_paging.py
	$(BIN)/python benchmarks/rego_engines.py

# The built-in functions a Rego policy may call, from the OPA the tests use (committed; a test
# holds the file to that OPA when it is there).
OPA ?= ../shared/tools/opa/opa
rego-builtins:
	$(OPA) capabilities --current | $(PYTHON) scripts/rego_builtins.py > src/govgate/rules/rego_builtins.txt

clean:
	rm -rf $(VENV) $(TOOLS) govgate-report build dist .mypy_cache .pytest_cache .ruff_cache .coverage
