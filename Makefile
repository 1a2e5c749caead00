# Two commands for everyone: `make serve` (preview) and `make test` (every check).
# Every target sets up .venv from the hashed lock first; setup is skipped while
# requirements.txt and pyproject.toml are unchanged (the stamp file below).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The lock to install: every dependency group (requirements.txt) unless told otherwise; the
# deploy builds with the docs group alone (`make build DEPS=requirements-docs.txt`).
DEPS ?= requirements.txt
STAMP := $(VENV)/.installed-$(basename $(notdir $(DEPS)))
HOST ?= 127.0.0.1
PORT ?= 8000
# Material 9.8 prints a notice about MkDocs 2.0 on every run; we pin mkdocs<2 already.
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
# Browser tests drive a Chromium found or installed by `make chromium` (Debian's package
# first); Playwright never downloads one behind our back.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: help setup serve build check gate chromium test test-fast lint linkcheck linkcheck-external \
	screenshots bench lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

$(STAMP): $(DEPS) pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(DEPS)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

setup: $(STAMP) ## Create .venv and install the locked dependencies (quick when nothing changed)

serve: $(STAMP) ## Preview on http://127.0.0.1:8000 with live reload
	@$(BIN)/python -m ketamine_tools.check --only encoding --quiet
	$(BIN)/mkdocs serve --dev-addr $(HOST):$(PORT) --livereload

build: $(STAMP) ## Strict build into site/, then the Content Security Policy on every page
	@# A file that is not UTF-8 would stop MkDocs with a traceback naming another page.
	@$(BIN)/python -m ketamine_tools.check --only encoding --quiet
	$(BIN)/mkdocs build --strict --clean
	$(BIN)/python -m ketamine_tools.csp site

check: $(STAMP) ## The fast static gate: strict build, then every content and link check (no browser)
	@# The source files first: what would stop the build with a traceback (a page that is not
	@# UTF-8, a front-matter key that picks a template) gets its one-line message instead.
	@$(BIN)/python -m ketamine_tools.check --only encoding,frontmatter --quiet
	@# A strict build that fails still writes the site, and MkDocs names the file but not the
	@# line: the checks run on it anyway and point to the line. The exit status is the worst.
	@status=0; \
	$(BIN)/mkdocs build --strict --clean || status=$$?; \
	$(BIN)/python -m ketamine_tools.csp site || status=$$?; \
	$(BIN)/python -m ketamine_tools.check || status=$$?; \
	exit $$status

gate: build ## The security gate on the built HTML alone (what the deploy runs, docs group only)
	$(BIN)/python -m ketamine_tools.check --only published

lint: $(STAMP) ## ruff and mypy on the Python code
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

chromium: $(STAMP) ## Find a Chromium for the browser tests, or install one (says which)
	$(BIN)/python -m ketamine_tools.localsite --ensure-chromium

test: $(STAMP) chromium ## Every test, browser tests included; non-zero exit on any failure
	@$(BIN)/python -m ketamine_tools.check --only encoding --quiet
	$(BIN)/python -m pytest

test-fast: $(STAMP) ## Every test except the browser ones
	$(BIN)/python -m pytest -m "not browser"

linkcheck: build ## Internal links and anchors in the built site (offline)
	$(BIN)/python -m ketamine_tools.check --only links

linkcheck-external: build ## Every external link, online, with a cache (needs network)
	$(BIN)/python -m ketamine_tools.linkcheck_external

screenshots: build ## Phone and desktop screenshots, light and dark, into screenshots/
	$(BIN)/python -m ketamine_tools.screenshots

# Lighthouse CI (pinned in bench/package-lock.json, installed by the benchmark with npm ci) and
# Debian's hyperfine and Chromium. PAGES=/,/research/ limits the pages (default: the sitemap).
bench: $(STAMP) ## Benchmark against stock Material (lhci, hyperfine); non-zero past a budget or behind it
	$(BIN)/python -m ketamine_tools.bench $(if $(PAGES),--pages $(PAGES))

lock: ## Regenerate requirements.txt (every group) and requirements-docs.txt (docs only), hashed
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --upgrade --extra docs --extra test --extra lint --extra bench \
		--generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links --strip-extras \
		-o requirements.txt pyproject.toml
	@# The docs lock starts from the full one, so both pin the same versions.
	cp requirements.txt requirements-docs.txt
	$(BIN)/pip-compile --quiet --extra docs --generate-hashes --allow-unsafe --no-emit-index-url \
		--no-emit-find-links --strip-extras -o requirements-docs.txt pyproject.toml

clean: ## Remove the build, caches and .venv
	rm -rf site .venv .pytest_cache .ruff_cache .mypy_cache .lycheecache screenshots bench/results.json bench/summary.md bench/work
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
