# The two commands of the README: `make run` (the demo archive) and `make test` (the test suite).
VENV ?= .venv
DEMO_HOME ?= demo-home
HOST ?= 127.0.0.1
# `make run PORT=8081` (or ARCHIVE_PORT=8081 make run) when 8080 is taken.
PORT ?= $(or $(ARCHIVE_PORT),8080)
PYTHON ?= python3

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[test]"
	touch $@

.PHONY: user install run test lint bench bench-import bench-zip bench-rebuild bench-load bench-search bench-metadata bench-abuse bench-previews bench-cli bench-answers bench-growth
install: $(VENV)/.installed

run: install
	$(VENV)/bin/archive --home $(DEMO_HOME) import papers papers-ru --metadata papers/metadata.csv
	$(VENV)/bin/archive --home $(DEMO_HOME) serve --host $(HOST) --port $(PORT)

# A staff account in the demo home that `make run` serves: `make user NAME=alice`.
user: install
	$(VENV)/bin/archive --home $(DEMO_HOME) user add $(or $(NAME),$(error give NAME=, e.g. make user NAME=alice))

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/python -m pytest

# Every benchmark, one after the other (many minutes; figures printed, nothing asserted).
bench: bench-import bench-rebuild bench-load bench-zip

# Import vs bare pypdf extraction, 1 vs all cores, unchanged re-import, peak memory.
bench-import: install
	$(VENV)/bin/python -m benchmarks.import_bench $(ARGS)

# /search.zip over 500 MB of PDFs (built under /tmp) against cat; add ARGS=--serve for HTTP.
bench-zip: install
	$(VENV)/bin/python -m benchmarks.zip_bench $(ARGS)

# Rebuilding the index of the shared corpus (imported once under /tmp/archive-bench).
bench-rebuild: install
	$(VENV)/bin/python -m benchmarks.rebuild $(ARGS)

# 8 concurrent clients for 20 s against archive serve over the shared corpus (loopback only).
bench-load: install
	$(VENV)/bin/python -m benchmarks.load $(ARGS)

# Search latency over a ~100,000-page index built from ../shared/corpus (prints figures);
# ARGS="--reuse --before REV" reuses the index and times REV's code beside this tree's.
bench-search: install
	$(VENV)/bin/python -m benchmarks.search_bench $(ARGS)

# Title / authors / year accuracy on the labelled scholarly papers of ../shared/corpus, every miss.
bench-metadata: install
	$(VENV)/bin/python -m benchmarks.metadata_bench $(ARGS)

# Searches while 32 slow readers and 4 wildcard floods hit archive serve (under /tmp/bench-13).
bench-abuse: install
	$(VENV)/bin/python -m benchmarks.abuse $(ARGS)

# Page preview drawing time over the corpus home that bench-import builds (p50/p95).
bench-previews: install
	$(VENV)/bin/python -m benchmarks.preview_bench $(ARGS)

# Start-up of the archive command (--help, search, stats on the demo home): this tree vs main.
bench-cli: install
	$(VENV)/bin/python -m benchmarks.cli_startup $(ARGS)

# Answer@1 and answer@3 on the question set of tests/answer_set.py (tuned and held out), before
# and after answers and the glossary, with time per question and memory.
bench-answers: install
	$(VENV)/bin/python -m benchmarks.answers_bench $(ARGS)

# Index size, build time and memory, search p50/p95 per kind at 10k, 30k, 100k pages (issue 23).
bench-growth: install
	$(VENV)/bin/python -m benchmarks.growth_bench $(ARGS)
