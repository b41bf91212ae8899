# Two commands set everything up on a fresh machine (see README.md):
#   make book   build the website into _build/html (make serve: build, then serve it on 127.0.0.1:8000)
#   make pdf    build the book as one PDF with LaTeX, into the website (_build/html/calcml-book.pdf)
#   make test   everything: lint, unit tests, doctests, notebooks (strict nbval), browser, Binder env
PY       := python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
VENDOR   := _vendor/.vendored
CHROMIUM := /usr/bin/chromium
BWRAP    := /usr/bin/bwrap
LATEXMK  := /usr/bin/latexmk
PDF      := _build/html/calcml-book.pdf
PORT     ?= 8000
export DEBIAN_FRONTEND := noninteractive

# The book is built from the outputs committed in the notebooks (execute_notebooks: "off");
# nbval re-runs every notebook and compares its outputs with the committed ones.
NOTEBOOKS := chapters exercises solutions
NBVAL     := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
PYTEST    := $(BIN)/pytest -n 2 --dist loadfile --durations=15 $(NBVAL) tests calcml $(NOTEBOOKS)

.PHONY: book pdf serve test lint notebooks lab clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $(STAMP)

# JavaScript the site serves itself (MathJax 3, require.js, widget manager): pinned in
# package-lock.json, fetched from the npm registry, never committed.
$(VENDOR): package.json package-lock.json tools/vendor_js.sh
	command -v npm >/dev/null || (apt-get update -q && apt-get install -y -q nodejs npm)
	tools/vendor_js.sh
	touch $(VENDOR)

# Debian's Chromium for the browser tests (Playwright drives it; never `playwright install`).
$(CHROMIUM):
	apt-get update -q && apt-get install -y -q chromium

# Debian's bubblewrap: calcml-grade runs every student's notebook inside it.
$(BWRAP):
	apt-get update -q && apt-get install -y -q bubblewrap

book: $(STAMP) $(VENDOR)
	$(BIN)/jupyter-book build . -W --keep-going --all

# Debian's TeX Live for the PDF edition: XeLaTeX (the notebooks' output is Unicode) and the
# LaTeX packages Sphinx's LaTeX writer uses; FreeFont is XeLaTeX's default font in Sphinx;
# poppler-utils' pdfinfo lets the browser tests count the PDF's pages.
$(LATEXMK):
	apt-get update -q && apt-get install -y -q --no-install-recommends latexmk texlive-xetex \
	  texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended tex-gyre \
	  fonts-freefont-otf poppler-utils

# The whole book as one PDF, built with LaTeX and served with the website (every page links it).
pdf: book $(LATEXMK)
	$(BIN)/jupyter-book build . -W --keep-going --builder pdflatex
	! grep -n "There were undefined references" _build/latex/book.log
	cp _build/latex/book.pdf $(PDF)

serve: book
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(STAMP) lint book pdf $(CHROMIUM) $(BWRAP)
	$(PYTEST)

# JupyterLab on the course's notebooks (requirements-lab.txt). Jupyter refuses to run as root
# unless told to: as root (containers, this project's CI machines) it gets --allow-root.
LAB := $(VENV)/.lab
$(LAB): $(STAMP) requirements-lab.txt
	$(BIN)/pip install -q -r requirements-lab.txt
	touch $(LAB)

lab: $(LAB)
	$(BIN)/jupyter lab --ip 127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root) chapters/01_partial_derivatives.ipynb

# Re-execute every notebook in place and save its outputs (what the site shows, what nbval checks).
notebooks: $(STAMP)
	$(BIN)/python tools/run_notebooks.py $(foreach d,$(NOTEBOOKS),$(wildcard $(d)/*.ipynb))

clean:
	rm -rf _build
