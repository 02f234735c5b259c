# The two README commands, `make demo` and `make test`, do every set-up step themselves.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=

.PHONY: help install prereqs launcher browser db demo test reliability lint format generate bench bench-large bench-small bench-peers bench-startup reports-doc clean

help:
	@echo "make demo    set up everything, start the embedded Neo4j, run the guided tour"
	@echo "make test    set up everything, lint, type-check and run the whole test suite"
	@echo "make lint    ruff + mypy          make bench / bench-large / bench-small   the benchmark"
	@echo "make reliability   the fuzz, concurrency, soak and fault tests; their figures into docs/reliability.md"

prereqs:
	@command -v java >/dev/null || { echo "error: Java 17+ is needed (apt-get install openjdk-17-jdk-headless)"; exit 1; }
	@command -v mvn >/dev/null || { echo "error: Maven is needed (apt-get install maven)"; exit 1; }
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) (3.11+) is needed"; exit 1; }

# uv installs what pip would (the same resolution: docs/decisions.md), in seconds instead of
# 70-90 on a fresh machine, where pip's resolving and unpacking is CPU-bound on two cores
UV_VERSION ?= 0.13.10
$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): pyproject.toml | $(BIN)/uv
	$(PYTHON) tools/devlink.py
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# build/dev/mutuals: the package as the editable install imports it (links into engine/ and cli/)
install: prereqs $(STAMP)
	@$(PYTHON) tools/devlink.py

# Build the embedded Neo4j launcher once (cached by the hash of its sources).
launcher: install
	$(BIN)/python -c "from mutuals.io.embedded import launcher_jar; print('launcher:', launcher_jar(quiet=True))"

db: launcher
	$(BIN)/mutuals db start

DEMO_CHART ?= build/demo-audience.png

demo: db
	$(BIN)/mutuals demo
	@mkdir -p $(dir $(DEMO_CHART))
	$(BIN)/mutuals report run audience_breakdown -p user=alice --chart $(DEMO_CHART)

lint: install
	$(BIN)/ruff check engine cli tests bench tools examples
	$(BIN)/ruff format --check engine cli tests bench tools examples
	$(BIN)/mypy

format: install
	$(BIN)/ruff format engine cli tests bench tools examples
	$(BIN)/ruff check --fix engine cli tests bench tools examples

# Debian's Chromium and its chromedriver, for the console's browser tests (tests/test_console.py);
# Selenium comes with the dev extra. Without them those tests fail, they never skip.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; } || \
		{ echo "error: the console tests need chromium and chromedriver (apt-get install chromium chromium-driver)"; exit 1; }

# Most of the tests' own servers live for seconds: the JIT's first tier alone (C1) nearly halves
# their CPU time on two cores (the shared session server keeps the optimising tier:
# docs/decisions.md); the soak runs 20 s here, a minute under `make reliability`.
TEST_JAVA_OPTS ?= -XX:TieredStopAtLevel=1
TEST_SOAK_SECONDS ?= 20

# lint (one core: mypy) and the launcher (Maven, then its class-data archive) side by side
test: install
	@$(MAKE) --no-print-directory -j2 lint launcher browser
	MUTUALS_JAVA_OPTS="$(TEST_JAVA_OPTS)" MUTUALS_SOAK_SECONDS=$(TEST_SOAK_SECONDS) $(BIN)/pytest $(PYTEST_ARGS)

# The tests behind docs/reliability.md (marked `reliability`), then their figures into its table.
reliability: launcher
	$(BIN)/pytest -m reliability $(PYTEST_ARGS)
	$(BIN)/python -m bench.reliability --write docs/reliability.md

# The benchmark (docs/performance.md): S and M side by side (load, latency, writes, throughput,
# offline load). Figures go to bench/results/bench.json, charts beside it, and the tables of
# docs/performance.md are regenerated from them. About 45 minutes; keep the machine quiet.
BENCH_SIZES ?= S,M
BENCH_SECONDS ?= 1
bench: launcher
	$(BIN)/python -m bench.run --sizes $(BENCH_SIZES) --offline $(BENCH_SIZES) --seconds $(BENCH_SECONDS)
	$(BIN)/python -m bench.report --write docs/performance.md --charts bench/results

# The load of L (1M accounts, 20M follows), online and offline, merged into the same results.
# Hours (generation, an online load of about 50 minutes, the offline load): apart from `make bench`
# so that the routine benchmark stays under an hour (docs/decisions.md).
BENCH_LOAD_SIZES ?= L
bench-large: launcher
	$(BIN)/python -m bench.run --sizes $(BENCH_LOAD_SIZES) --load-only --offline $(BENCH_LOAD_SIZES) --raw-rows 1000000
	$(BIN)/python -m bench.report --write docs/performance.md --charts bench/results

# The same benchmark on a tiny graph, as a smoke test (CI runs it; its figures mean nothing).
bench-small: launcher
	rm -f build/bench-small/bench.json
	$(BIN)/python -m bench.run --sizes XS --offline XS --seconds 0.1 --clients 1,4 --out build/bench-small/bench.json
	$(BIN)/python -m bench.report --results build/bench-small/bench.json --charts build/bench-small > build/bench-small/table.md

# mutuals and SpiceDB side by side (docs/performance.md, "The leading peer"): not in CI. Sets up
# what it needs: Debian's postgresql (a throw-away cluster on 127.0.0.1 per run), spicedb built
# from the Go module proxy at a pinned version into a cache (about 9 minutes the first time), the
# `peers` extra (its Python client); then loads the same graph into both, stops on any
# disagreement, measures, merges into bench/results/bench.json and regenerates the tables.
SPICEDB_VERSION ?= v1.56.2
SPICEDB_BIN     ?= $(HOME)/.cache/mutuals/spicedb-$(SPICEDB_VERSION)/spicedb
PEERS_SIZE      ?= S
PEERS_SECONDS   ?= 1
bench-peers: launcher
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update && apt-get install -y postgresql; }
	@test -x $(SPICEDB_BIN) || { command -v go >/dev/null || { echo "error: Go is needed to build spicedb"; exit 1; }; \
	  GOFLAGS=-mod=mod GOBIN=$(dir $(SPICEDB_BIN)) go install github.com/authzed/spicedb/cmd/spicedb@$(SPICEDB_VERSION); }
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev,peers]'
	SPICEDB_BIN=$(SPICEDB_BIN) $(BIN)/python -m bench.peers.spicedb --size $(PEERS_SIZE) --seconds $(PEERS_SECONDS)
	$(BIN)/python -m bench.report --write docs/performance.md --charts bench/results

# How fast the CLI answers: `mutuals --help` and a read against `python -c pass` (docs/performance.md,
# "CLI start-up"); noisy on a loaded machine: run it several times.
BENCH_STARTUP_RUNS ?= 15
bench-startup: launcher
	$(BIN)/python -m bench.startup --runs $(BENCH_STARTUP_RUNS) --json bench/results/startup.json

# The list of built-in reports in docs/reports.md, from the reports' headers (a test checks it).
reports-doc: install
	$(BIN)/python tools/reportdoc.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache neo4j-embedded/target

# AsyncEngine's verbs are generated from Engine (tests fail when this is stale).
generate: install
	$(BIN)/python tools/unasync.py
