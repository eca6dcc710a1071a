# The public interface of medux-contract. Every target bootstraps its own pinned environment:
# uv (pinned) into .tools/, the locked Python env into .venv/ (uv.lock), npm tools into
# node_modules/ (package-lock.json). Nothing is installed globally.
.DEFAULT_GOAL := all
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

UV_VERSION := 0.13.9
UV := .tools/uv/bin/uv
PY := .venv/bin/python
PYENV := .venv/.synced-$(UV_VERSION)
NODE := node_modules/.installed
BASE ?= HEAD~1
MEDUX_MOCK_PORT ?= 4010
MOCK_ARGS ?=

.PHONY: all test lint style generate check-generated mock conformance docs bench breaking changelog help env clean

all: $(PYENV) $(NODE) ## The main job: lint, regenerate + drift check, tests, conformance, docs, summary
	@$(PY) -m scripts.pipeline main

test: $(PYENV) $(NODE) ## The test command (CI runs this): spec lint, style, drift gate, every test suite
	@$(PY) -m scripts.pipeline test

lint: $(PYENV) $(NODE) ## Lint openapi.yaml: openapi-spec-validator, Redocly CLI, our own spec rules
	@$(PY) -m scripts.lint_spec

style: $(PYENV) ## ruff (lint + format check) and mypy --strict on our code and generated/
	@$(PY) -m scripts.pipeline style

generate: $(PYENV) ## Regenerate generated/ from openapi.yaml
	@$(PY) -m scripts.generate

check-generated: $(PYENV) ## Drift gate: fail if generated/ differs from a fresh regeneration
	@$(PY) -m scripts.check_generated

mock: $(PYENV) ## Serve the embedded mock on 127.0.0.1:4010 (MEDUX_MOCK_PORT=, MOCK_ARGS= to change)
	@.venv/bin/medux-mock --port $(MEDUX_MOCK_PORT) $(MOCK_ARGS)

conformance: $(PYENV) ## Conformance suite; against MEDUX_BASE_URL when set, else the embedded mock
	@$(PY) -m scripts.conformance

docs: $(PYENV) $(NODE) ## Build site/: HTML reference, Markdown reference, MCP tool descriptor
	@$(PY) -m scripts.build_docs

breaking: $(PYENV) ## Classify spec changes since BASE (default HEAD~1); fail on an unbumped break
	@$(PY) -m scripts.breaking --base $(BASE)

changelog: $(PYENV) ## Add a CHANGELOG.md entry for info.version from the diff against BASE
	@$(PY) -m scripts.changelog --base $(BASE)

bench: $(PYENV) $(NODE) ## Benchmarks (bench/results.json and a printed table)
	@$(PY) -m bench

env: $(PYENV) $(NODE) ## Only install the pinned environments

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 18

clean: ## Remove environments, caches and build output
	rm -rf .tools .venv node_modules site reports .pytest_cache .mypy_cache .ruff_cache

$(UV):
	@echo "==> bootstrapping uv $(UV_VERSION) into .tools/"
	@python3 -m venv .tools/uv
	@.tools/uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The generated client is installed editable beside the locked env, not locked: its version is the
# spec's info.version, and a locked path dependency would make every version bump stale uv.lock.
$(PYENV): $(UV) pyproject.toml uv.lock generated/pyproject.toml
	@echo "==> installing the locked Python environment into .venv/"
	@$(UV) sync --locked --inexact --quiet
	@$(UV) pip install --quiet --no-deps --editable ./generated
	@rm -f .venv/.synced-* && touch $@

$(NODE): package.json package-lock.json
	@echo "==> installing pinned npm tools into node_modules/"
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@
