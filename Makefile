# One command per task; CI (.ci/run) calls the same targets.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
SHARED ?= ../shared

.PHONY: install demo test check eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed          ## the package, its dependencies and the dev tools, in .venv

demo: install                        ## compare the example story that ships with counterpoint
	$(BIN)/counterpoint demo

test: install                        ## the whole test suite (uses ../shared when it is there)
	$(BIN)/python -m pytest -q

check: install                       ## lint and type-check
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

eval: install                        ## quality figures on the shared evaluation data
	$(BIN)/counterpoint eval sentences $(SHARED)/data/quotes-de/dev.jsonl.gz
	$(BIN)/counterpoint eval ner $(SHARED)/data/germeval2014-ner/dev.tsv.gz $(SHARED)/data/germeval2014-ner/test-wikipedia.tsv.gz
	$(BIN)/counterpoint eval quotes $(SHARED)/data/quotes-de/dev.jsonl.gz
	$(BIN)/counterpoint eval tone $(SHARED)/data/gerntsa/dev.json.gz
	$(BIN)/counterpoint eval compare tests/data/stories
	$(BIN)/counterpoint eval compare tests/data/stories-heldout

bench: install                       ## speed and memory figures (see benchmarks/)
	$(BIN)/python benchmarks/bench_compare.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
