# One command per job. Each target sets up .venv first if needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: help setup lab site test lint format validate codebook stats gallery bench clean

help:  ## List the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)  ## Create .venv and install everything

lab: setup  ## Open the notebooks in JupyterLab
	$(VENV)/bin/jupyter lab notebooks/

site: setup  ## Validate the data, execute the notebooks, build _build/student and _build/instructor
	$(PY) -m cyberhistory validate
	$(PY) -m cyberhistory build

test: setup  ## Lint, check the codebook, and run every test (notebooks and browser included)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(PY) -m cyberhistory validate
	$(PY) -m cyberhistory codebook --check
	$(PY) -m pytest

lint: setup  ## Lint only
	$(VENV)/bin/ruff check src tests benchmarks

format: setup  ## Format the code
	$(VENV)/bin/ruff format src tests benchmarks
	$(VENV)/bin/ruff check --fix src tests benchmarks

validate: setup  ## Check the data against the schema and content policy
	$(PY) -m cyberhistory validate

codebook: setup  ## Regenerate data/CODEBOOK.md
	$(PY) -m cyberhistory codebook

stats: setup  ## Print the dataset's figures
	$(PY) -m cyberhistory stats

gallery: setup  ## Render every figure to _build/gallery for review
	$(PY) -m cyberhistory gallery

bench: setup  ## Run the benchmarks
	$(PY) benchmarks/data.py
	$(PY) benchmarks/figures.py
	$(PY) benchmarks/site.py

clean:  ## Remove build output and caches (keeps .venv)
	rm -rf _build .cache .pytest_cache .ruff_cache .hypothesis
