# Given Python 3.10+ with venv and make, two commands do the rest: `make run` and `make test`
# (which also needs the system packages that .ci/run installs).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Tests, benchmarks and screenshots need no screen; `make run` uses the real one.
HEADLESS := QT_QPA_PLATFORM=offscreen

.PHONY: run test lint typecheck pytest benchmarks screenshots sandbox clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project's metadata changed.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/kombo-desktop --demo

sandbox: $(VENV)/.installed-run
	$(BIN)/kombo-desktop sandbox --port 8765

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test
	$(HEADLESS) PATH="$(abspath $(BIN)):$$PATH" tests/session.sh $(BIN)/python -m pytest

test: lint typecheck pytest

benchmarks: $(VENV)/.installed-test
	$(BIN)/python benchmarks/client_overhead.py
	$(HEADLESS) $(BIN)/python benchmarks/startup.py
	$(HEADLESS) $(BIN)/python benchmarks/responsiveness.py
	$(HEADLESS) $(BIN)/python benchmarks/remote_fields_typing.py
	$(HEADLESS) $(BIN)/python benchmarks/typing_with_many_rows.py
	$(HEADLESS) $(BIN)/python benchmarks/editing_many_rows.py
	$(HEADLESS) $(BIN)/python benchmarks/find_results.py
	$(BIN)/python benchmarks/pretty_json.py
	$(BIN)/python benchmarks/profiles_import.py

screenshots: $(VENV)/.installed-test
	$(HEADLESS) $(BIN)/python tools/screenshots.py docs/screenshots

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
