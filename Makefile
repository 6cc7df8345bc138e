# gridvoice — the two commands of the README are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# SKIP_SLOW=1 skips the slow suites (browser, fuzzing, load); CI runs everything
PYTEST_MARKERS := $(if $(SKIP_SLOW),-m "not slow",)

.PHONY: install chromium demo test test-fast bench lint lock clean

install: $(STAMP) chromium

$(STAMP): pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -c requirements.lock -e ".[test]"
	touch $(STAMP)

# The browser suite drives Debian's Chromium (never Playwright's browser downloads). Installed with apt-get when
# missing (as root, or with password-less sudo); without it nothing fails: the browser suite skips itself.
chromium:
	@if [ -x /usr/bin/chromium ]; then \
	  :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then AS_ROOT=; else AS_ROOT="sudo -n"; fi; \
	  ( $$AS_ROOT apt-get update -q && \
	    $$AS_ROOT env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk ) \
	  || echo "chromium: apt-get could not install it; the browser tests will be skipped"; \
	else \
	  echo "chromium: no /usr/bin/chromium and no apt-get; the browser tests will be skipped"; \
	fi

demo: install
	$(BIN)/gridvoice demo

test: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/pytest -n 2 --dist loadfile $(PYTEST_MARKERS)

test-fast:
	$(MAKE) test SKIP_SLOW=1

bench: install
	$(BIN)/python -m bench

lint: install
	$(BIN)/ruff check src tests bench scripts

# refresh the lock file after changing dependency ranges in pyproject.toml
lock:
	rm -rf /tmp/gridvoice-lock && $(PYTHON) -m venv /tmp/gridvoice-lock
	/tmp/gridvoice-lock/bin/python -m pip install -q --upgrade "pip>=24"
	/tmp/gridvoice-lock/bin/python -m pip install -q -e ".[test]"
	/tmp/gridvoice-lock/bin/python -m pip freeze --exclude-editable | grep -v '^gridvoice' > requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
