# Targets shared by people and CI. `make run` and `make test` work on a fresh machine.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint bench browser clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

## run: the site with demo content on the embedded database, at http://127.0.0.1:8000
## (make run PORT=8765 HOST=0.0.0.0 for another port or address; Ctrl-C stops it)
PORT ?= 8000
HOST ?= 127.0.0.1
run: $(STAMP)
	$(BIN)/newsdesk serve --host $(HOST) --port $(PORT)

## browser: Debian's Chromium for the browser tests (needs root or sudo)
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; }

## test: the whole suite (SQLite, or PostgreSQL when DATABASE_URL is set)
test: $(STAMP) browser
	$(BIN)/pytest

test-fast: $(STAMP)
	$(BIN)/pytest -m "not browser and not slow"

lint: $(STAMP)
	$(BIN)/python -m pip install -q ruff==0.17.6
	$(BIN)/ruff check src tests bench train
	$(BIN)/ruff format --check src tests bench train

bench: $(STAMP)
	$(BIN)/python bench/summaries.py

clean:
	rm -rf $(VENV) build dist *.egg-info
