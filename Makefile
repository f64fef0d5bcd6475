# The two commands of the README:
#   make demo   install the package with the embedded server and JupyterLab, start the demo
#   make test   install everything (Python extras, npm ci, Debian chromium) and run every check
# Everything lives in .venv/ and js/node_modules/; nothing is installed by hand.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# apt-get needs root; use sudo when we are not.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test install install-all chromium lint typecheck js-test pytest screenshots bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[server,lab]'

demo: install
	$(BIN)/lgwidget demo

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium; }

install-all: $(BIN)/python chromium
	cd js && npm ci --no-audit --no-fund
	$(BIN)/pip install --quiet -e '.[dev]'

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy
	cd js && npm run --silent typecheck

js-test:
	cd js && npm test

pytest:
	$(BIN)/pytest

test: install-all lint typecheck js-test pytest

# Refresh the README's screenshots from the browser tests.
screenshots:
	LGWIDGET_SCREENSHOT_DIR=docs $(BIN)/pytest tests/browser -k 'quickstart_shows or readable_in_each_theme'

# The side-by-side benchmark of issue 5 (README's table): raw httpx-sse, the SDK print loop, lgwidget.
bench:
	$(BIN)/python benchmarks/run.py
