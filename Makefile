# The commands of the README:
#   make book   installs what the book needs and builds the executed book into _build/html
#   make test   installs what the tests need and runs the whole suite (what CI runs)
#   make unit   the fast part: helper unit tests, notebook hygiene, style (no chapter runs)
#   make student writes the student edition (_build/student/ and _build/student.zip)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# torch is pinned to 2.13.0; where pip would take a CUDA build, point it at the CPU wheels:
#   make book TORCH_INDEX=https://download.pytorch.org/whl/cpu
TORCH_INDEX ?=
TORCH_FLAGS := $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX),)

.PHONY: install install-test book test unit browser student bench clean

$(VENV)/.book-installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $(TORCH_FLAGS) torch==2.13.0
	$(BIN)/python -m pip install --quiet $(TORCH_FLAGS) -r requirements.txt
	touch $@

$(VENV)/.test-installed: $(VENV)/.book-installed requirements-test.txt
	$(BIN)/python -m pip install --quiet $(TORCH_FLAGS) -r requirements-test.txt
	touch $@

install: $(VENV)/.book-installed
install-test: $(VENV)/.test-installed

# the chapters execute two at a time into the build's cache first (tools/execute_book.py);
# the build then executes nothing
book: install
	$(BIN)/python tools/execute_book.py
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "The book is in _build/html/index.html"

# The student edition: every chapter as nbgrader's generate_assignment releases it (solutions
# replaced by stubs, hidden tests removed, outputs cleared), with the helpers, zipped. The
# book build ships the same zip as _build/html/student.zip (book/_ext/student_edition.py).
student: install
	$(BIN)/python tools/student.py _build/student

# Each chapter alone, in build mode, timed (tools/bench.py); rewrites the timing table of
# README.md and the "runs in" column of book/teachers.md from what it measured.
bench: install
	$(BIN)/python tools/bench.py --update-docs

# Headless Chromium for the browser test, from Debian's packages (no browser download).
browser:
	@if command -v chromedriver >/dev/null && (command -v chromium || command -v google-chrome) >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "Install chromium and chromium-driver for the browser test (it is skipped without them)."; fi

# Two stages: every (chapter, seed) executed once, in parallel with the unit tests (one
# torch thread per chapter, so -n 2 uses both cores): SEED=0 by tests/test_chapters.py for
# the book, the held-out seed by nbval on the copies tests/conftest.py writes into
# $(NBVAL_COPIES) (--dist loadscope keeps each notebook's cells on one worker); then the
# book is built from the SEED=0 executions (no chapter runs twice), once, and checked in the
# browser on two workers (two Chromiums: axe-core is the slowest part, 5-15 s a long page).
NBVAL_COPIES := _build/test-book/nbval
test: install-test browser
	tests/offline.sh $(BIN)/python -m pytest -n 2 --dist loadscope --no-loadscope-reorder --nbval-lax --nbval-current-env \
	  -m "not book" tests $(NBVAL_COPIES)
	DNL_EXPECT_REUSE=1 tests/offline.sh $(BIN)/python tests/build_book.py
	DNL_EXPECT_REUSE=1 DNL_BOOK_PREBUILT=1 tests/offline.sh $(BIN)/python -m pytest -n 2 --dist load -m book

unit: install-test
	tests/offline.sh $(BIN)/python -m pytest -n 2 -m "not book and not chapter"

clean:
	rm -rf _build
