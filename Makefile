# diag — set-up and checks. `make demo` and `make test` are the only commands a new user needs.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Python's bytecode cache (and pytest's cache of rewritten test modules) stays on even where the
# environment turns it off: without it every test process recompiles the kit and the tests (~7 s CPU).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo test test-fast install clean bench check-code lint

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	$(BIN)/python -m diag.charts
	touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/diag batch briefs --out outputs

# The live page's browser test drives Debian's Chromium: apt installs it when absent and possible, else that test skips.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	-@if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; else echo "no chromium and no apt as root: the live page's browser test will skip" >&2; fi

# The code's own checks: ruff (pyflakes, pycodestyle errors, import order) and the import layers.
check-code: $(STAMP)
	$(BIN)/ruff check diag tests bench
	$(BIN)/lint-imports

test: check-code | $(CHROMIUM)
	$(BIN)/python -m pytest

# Everything but the tests marked slow (kernels, browser, LibreOffice): under 30 s on two pytest-xdist
# workers (`make test-fast WORKERS=0` runs them in one process, kinder to a busy machine).
WORKERS ?= 2
test-fast: check-code
	$(BIN)/python -m pytest -m "not slow" -n $(WORKERS)

lint: check-code
	$(BIN)/mypy diag

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) outputs/*/ outputs/index.*
