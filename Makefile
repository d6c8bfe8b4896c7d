# One command per job. Each target sets up .venv first if needed: `site` and `lab` install the runtime
# only (requirements.txt); `check`, `test` and `bench` add the development tools (requirements-dev.txt).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed

.PHONY: help setup lab lab-es lab-instructor site check test lint format validate codebook stats gallery bench clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUNTIME): requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DEV): requirements-dev.txt $(RUNTIME)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(DEV)  ## Create .venv and install everything (runtime and development tools)

lab: $(RUNTIME)  ## Student copies of the notebooks (no solutions) in lab/, opened in JupyterLab; keeps your edits
	$(PY) -m cyberhistory student-notebooks --out lab
	$(VENV)/bin/jupyter lab lab/

lab-es: $(RUNTIME)  ## Spanish student copies of the lessons in lab-es/, opened in JupyterLab
	$(PY) -m cyberhistory student-notebooks --notebooks notebooks/es --out lab-es
	$(VENV)/bin/jupyter lab lab-es/

lab-instructor: $(RUNTIME)  ## Open the original notebooks (with solutions) in JupyterLab
	$(VENV)/bin/jupyter lab notebooks/

site: $(RUNTIME)  ## Validate the data, execute the notebooks, build _build/student and _build/instructor
	$(PY) -m cyberhistory validate
	$(PY) -m cyberhistory build

check: $(DEV)  ## The quick loop (under a minute): lint, data checks, every test that needs no kernel or browser
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(PY) -m cyberhistory validate
	$(PY) -m cyberhistory codebook --check
	$(VENV)/bin/frictionless validate data/datapackage.json
	$(PY) -m cyberhistory lessons --notebooks notebooks
	$(PY) -m cyberhistory translations --check --complete
	$(PY) -m pytest -m "not browser and not notebooks and not slow"

test: $(DEV)  ## Everything: lint, data checks, and every test (notebooks, a real browser, the wheel)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(PY) -m cyberhistory validate
	$(PY) -m cyberhistory codebook --check
	$(VENV)/bin/frictionless validate data/datapackage.json
	$(PY) -m cyberhistory lessons --notebooks notebooks
	$(PY) -m cyberhistory translations --check --complete
	$(PY) -m pytest

lint: $(DEV)  ## Lint only
	$(VENV)/bin/ruff check src tests benchmarks

format: $(DEV)  ## Format the code
	$(VENV)/bin/ruff format src tests benchmarks
	$(VENV)/bin/ruff check --fix src tests benchmarks

validate: $(RUNTIME)  ## Check the data against the schema and content policy
	$(PY) -m cyberhistory validate

codebook: $(RUNTIME)  ## Regenerate data/CODEBOOK.md
	$(PY) -m cyberhistory codebook

stats: $(RUNTIME)  ## Print the dataset's figures
	$(PY) -m cyberhistory stats

gallery: $(RUNTIME)  ## Render every figure to _build/gallery for review
	$(PY) -m cyberhistory gallery

bench: $(DEV)  ## Run the benchmarks
	$(PY) benchmarks/data.py
	$(PY) benchmarks/figures.py
	$(PY) benchmarks/site.py
	$(PY) benchmarks/pages.py
	$(PY) benchmarks/explore.py

clean:  ## Remove build output and caches (keeps .venv)
	rm -rf _build .cache .pytest_cache .ruff_cache .hypothesis
