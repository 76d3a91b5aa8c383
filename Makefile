# `make demo` sets everything up and runs the main job; `make test` runs every test and check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DB := data/tracker.db

.PHONY: demo test lint bench clean

# Editable install in compat mode: a plain .pth path entry, where the default import
# hook costs every command about 12 ms of start-up.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		--config-settings editable_mode=compat -e '.[dev,serve]'
	touch $(STAMP)

$(DB): data/demo.json $(STAMP)
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/tracker --db $(DB) import json data/demo.json

demo: $(DB)
	@echo '$$ tracker --today 2020-10-15 upcoming'
	@$(BIN)/tracker --db $(DB) --today 2020-10-15 upcoming
	@echo
	@echo '$$ tracker history "Mission: Impossible 7"'
	@$(BIN)/tracker --db $(DB) history "Mission: Impossible 7"
	@echo
	@echo '$$ tracker timeline "Mission: Impossible 7"'
	@$(BIN)/tracker --db $(DB) timeline "Mission: Impossible 7"

lint: $(STAMP)
	$(BIN)/ruff check tracker tests scripts
	$(BIN)/ruff format --check tracker tests scripts
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

# Builds (once; cached in .bench/) a 1M-film and a 1k-film database, times the commands on
# both and writes the table into docs/benchmarks.md. The first run takes several minutes.
# Byte-compile first: a real install has .pyc files, and where PYTHONDONTWRITEBYTECODE is
# set every timed start would otherwise compile tracker's modules again.
bench: $(STAMP)
	$(BIN)/python -m compileall -q tracker
	$(BIN)/python scripts/bench.py --write

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
