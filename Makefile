# The two commands a new user needs:  make demo   and   make test
# Both create and use a local virtual environment (.venv) pinned by requirements-lock.txt.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed

.PHONY: install demo test test-fast lint generated lab room hub-proxy summary bench bench-quick lock clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements-lock.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -U pip
	$(PY) -m pip install -q --disable-pip-version-check -c requirements-lock.txt -e ".[dev]"
	touch $(STAMP)

## The main job: the demo client's report (HTML, calendar files, manifest) in reports/demo-cafe/
demo: $(STAMP)
	$(PY) -m workshop report data/clients/demo-cafe.yaml --out reports

## The demo plan's answers as tables in the terminal (no kernel)
summary: $(STAMP)
	$(PY) -m workshop summary data/clients/demo-cafe.yaml

## Every test: lint, generated files current, unit + property tests, notebooks (nbval,
## papermill), reports, real browser (about 15 minutes on 2 cores)
test: lint
	$(PY) -m pytest tests notebooks --nbval-lax --nbval-current-env -q

## Lint and format check (ruff, rules in pyproject.toml) and the generated files current
lint: $(STAMP)
	$(VENV)/bin/ruff check --no-cache workshop tests benchmarks tools
	$(VENV)/bin/ruff format --check --no-cache workshop tests benchmarks tools
	$(PY) tools/generate.py --check

## Unit and property tests without kernels or a browser (about a minute on 2 cores)
test-fast: $(STAMP)
	$(PY) -m pytest tests -q -m "not slow and not browser"

## Rewrite every generated file from its source (schema, docs/model.md, notebooks from their
## .py twins, the failing-template fixture; holidays when the holidays package is installed)
generated: $(STAMP)
	$(PY) tools/generate.py

## Open the workshop in JupyterLab from a working copy outside the repository
## (~/workshop-toolkit/vi; `make lab WORKSHOP_LANG=en` for English): code collapsed, the plan
## remembered between notebooks, the interface in the chosen language (workshop lab --help)
WORKSHOP_LANG ?= vi
lab: $(STAMP)
	$(VENV)/bin/workshop lab --language $(WORKSHOP_LANG)

## Serve the workshop to a room with Voilà (participants need only a browser; workshop room --help)
room: $(STAMP)
	$(VENV)/bin/workshop room --language $(WORKSHOP_LANG)

## JupyterHub's proxy (configurable-http-proxy, from npm) for the room on JupyterHub and its
## test, in build/chp (workshop hub-config --proxy build/chp/node_modules/.bin/configurable-http-proxy)
CHP_VERSION ?= 5.3.0
hub-proxy:
	npm install --silent --no-audit --no-fund --prefix build/chp configurable-http-proxy@$(CHP_VERSION)

bench: $(STAMP)
	$(PY) -m benchmarks

bench-quick: $(STAMP)
	$(PY) -m benchmarks --quick

## Refresh the lock file after changing dependencies in pyproject.toml
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv && .lockenv/bin/pip install -q -U pip && \
	.lockenv/bin/pip install -q -e ".[dev]" && \
	.lockenv/bin/pip freeze --exclude-editable | grep -v '^-e ' > requirements-lock.txt && rm -rf .lockenv

clean:
	rm -rf reports .pytest_cache tests/artifacts benchmarks/results
