# Seoul Sensor Lab — one Makefile for teachers, students and CI.
# `make lab` and `make test` are all anybody needs; both install first.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TOOLS_PTH := $(VENV)/.tools-on-path
LOCK   := requirements/lock.txt
# `make test` adds the test stack (pytest, nbval, Playwright, JupyterHub, ruff, pre-commit) and the
# site builder (Sphinx, MyST-NB) on top of the classroom's pins; a classroom (`make lab`,
# environment.yml, the hub) never installs them.
TEST_STAMP := $(VENV)/.installed-test
TEST_LOCK  := requirements/lock-test.txt
PORT   ?= 8888
# `make lab ROLE=teacher` shows nbgrader's formgrader and create-assignment tools.
ROLE   ?= student
# `make install INSTALLER=pip` skips uv and installs with plain pip (slower, same pins).
INSTALLER ?= uv
# pytest workers: 2 on this machine; override with `make test JOBS=1`
JOBS   ?= auto

.PHONY: help install install-test lab test site bench data clean-venv lock hooks

help: ## show this help
	@echo "Seoul Sensor Lab"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(STAMP) $(TOOLS_PTH) ## create ./.venv with the pinned dependencies and the package (idempotent)

# `python -m tools.lessons` (lessons/CONTRIBUTING.md) works from any folder with this venv's python: a .pth
# appends the checkout to the venv's path. Only a checkout's venv gets it; the wheel never carries tools/.
$(TOOLS_PTH): $(STAMP)
	@$(PY) -c 'import pathlib, sys, sysconfig; pathlib.Path(sysconfig.get_path("purelib"), "sensorlab-checkout-tools.pth").write_text(sys.argv[1] + "\n")' "$(CURDIR)"
	@touch $(TOOLS_PTH)

# Re-runs only when the pins or the package metadata change, so a second `make install` takes seconds.
$(STAMP): pyproject.toml $(LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(MAKE) --no-print-directory _pip REQS=$(LOCK)
	@$(PY) -m tools.setup_env
	@touch $(STAMP)

install-test: $(TEST_STAMP) ## install, plus the test stack (pytest, nbval, Playwright, JupyterHub, ruff, pre-commit)

$(TEST_STAMP): $(STAMP) $(TOOLS_PTH) $(TEST_LOCK)
	@$(MAKE) --no-print-directory _pip REQS=$(TEST_LOCK)
	@touch $(TEST_STAMP)

# uv installs the same pins in about a third of pip's time; pip is the fallback where uv cannot be had.
_pip:
	@if [ "$(INSTALLER)" = uv ] && $(PY) -m pip install -q --disable-pip-version-check uv==0.13.8 >/dev/null 2>&1; then \
	  echo "installing $(REQS) with uv"; \
	  $(VENV)/bin/uv pip install -q --python $(PY) -r $(REQS) -e . ; \
	else \
	  echo "installing $(REQS) with pip"; \
	  $(PY) -m pip install -q -r $(REQS) -e . ; \
	fi

lab: install ## install, then open the curriculum in JupyterLab (ROLE=teacher for nbgrader's instructor tools)
	$(PY) -m sensorlab.lab --root . --port $(PORT) --role $(ROLE)

# The lesson run (nbval) saves every lesson it executed in build/executed/; the site test that
# follows builds the site from those runs (tools/build_site.py) instead of executing them again.
SITE_TEST := tests/browser/test_site.py

# The suite hands whole files to its workers, longest first: tools/heaviest_first.py orders them,
# and xdist must not re-sort them by their number of tests.
test: install-test ## install (with the test stack), then run the whole test suite, then build and test the site
	$(PY) -m tools.setup_env --test
	$(PY) -m pytest -n $(JOBS) --dist loadfile --no-loadscope-reorder --ignore=$(SITE_TEST)
	$(PY) -m pytest -n 0 $(SITE_TEST)

site: install-test ## build the rendered curriculum, English and Korean, into build/site/ (offline)
	$(PY) tools/build_site.py

bench: install-test ## print the benchmark figures
	@for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

data: install ## rebuild the bundled datasets and their registry
	$(PY) datasets/rebuild.py

lock: ## re-resolve the classroom pins, then the test pins on top of them (same versions for shared packages)
	$(PY) -m uv pip compile pyproject.toml -p 3.11 -o $(LOCK) --no-header
	$(PY) -m uv pip compile pyproject.toml --extra test --extra site -c $(LOCK) -p 3.11 -o $(TEST_LOCK) --no-header

hooks: install-test ## run ruff and the lesson-notebook checks before every commit (local hooks, nothing downloaded)
	$(VENV)/bin/pre-commit install

clean-venv: ## remove the virtual environment
	rm -rf $(VENV)
