# Kafka Playground. Quick start: `make serve`, `make test` (see README.md).
# Every target first runs scripts/setup.sh, which installs what is missing
# and writes $(KPLAY_HOME)/env.sh: PATH to the pinned tools, and the extra
# environment wasm builds need on this machine ($$KPLAY_WASM_ENV).

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
KPLAY_HOME ?= $(HOME)/.cache/kafka-playground
# Builds live outside the checkout so fresh clones (CI) reuse them.
export CARGO_TARGET_DIR ?= $(KPLAY_HOME)/target
export KPLAY_HOME
ENV := . $(KPLAY_HOME)/env.sh
WASM := wasm32-unknown-unknown

FUZZ_SECONDS ?= 60
# The build machine's target: naming it keeps fuzz instrumentation out of build scripts.
HOST = $(shell rustc -vV | sed -n 's/^host: //p')

.PHONY: serve serve-native dist size bench fuzz lint test test-engine test-server test-wasm test-e2e setup setup-test setup-bench clean

## serve: build and serve the app on http://127.0.0.1:8080 (rebuilds on change)
serve: setup
	$(ENV) && env $$KPLAY_WASM_ENV trunk serve --offline

## serve-native: the native backend: Kafka on 127.0.0.1:9092 (brokers 1-3 on 9092-9094),
## Schema Registry on :8081, Kafka Connect on :8083, the site in dist/ and the live feed on :8080 (Ctrl-C stops)
serve-native: setup
	@[ -f dist/index.html ] || $(MAKE) --no-print-directory dist
	$(ENV) && cargo run --profile native -p kafka-playground-server --bin kafka-playground -- serve --dist dist

## dist: release build in dist/, hostable under any sub-path
dist: setup
	$(ENV) && scripts/dist.sh

## size: wasm size, raw and gzipped, against the budget
size: dist
	node scripts/size.mjs dist

## bench: engine throughput, assignor times and the Avro codec natively (cargo bench) and as wasm in headless Chromium (Avro against avsc); the native backend with kcat (1,000,000 × 100 B), against tansu when installed; the UI's frame times under 5,000 records/s in local and live mode
bench: setup-bench
	$(ENV) && cargo bench -p engine --bench throughput
	$(ENV) && cargo bench -p engine --bench assignors
	$(ENV) && cargo bench -p engine --bench avro
	$(ENV) && env $$KPLAY_WASM_ENV cargo build -p bench-web --profile bench-web --target $(WASM)
	$(ENV) && wasm-bindgen --target web --out-dir $(CARGO_TARGET_DIR)/bench-web \
	  $(CARGO_TARGET_DIR)/$(WASM)/bench-web/bench_web.wasm
	node scripts/bench-web.mjs $(CARGO_TARGET_DIR)/bench-web
	$(ENV) && cargo build --profile native -p kafka-playground-server
	$(ENV) && scripts/bench-native.sh $(CARGO_TARGET_DIR)/native/kafka-playground
	@[ -f dist/index.html ] || $(MAKE) --no-print-directory dist
	$(ENV) && node scripts/bench-ui.mjs dist $(CARGO_TARGET_DIR)/native/kafka-playground

## fuzz: the Kafka listener's fuzz targets (libFuzzer, coverage-instrumented on the
## stable toolchain): request_decoder, then request_handler, FUZZ_SECONDS each
## (default 60); the corpus grows in $(KPLAY_HOME)/fuzz-corpus, crashes land in
## $(KPLAY_HOME)/fuzz-artifacts
fuzz: setup
	$(ENV) && cd crates/server/fuzz && CARGO_TARGET_DIR=$(KPLAY_HOME)/target-fuzz \
	  RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
	  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
	  -Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks" \
	  cargo build --release --bins --target $(HOST)
	for t in request_decoder request_handler; do \
	  mkdir -p $(KPLAY_HOME)/fuzz-corpus/$$t $(KPLAY_HOME)/fuzz-artifacts/$$t; \
	  $(KPLAY_HOME)/target-fuzz/$(HOST)/release/$$t -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=4096 -max_len=4096 \
	    -artifact_prefix=$(KPLAY_HOME)/fuzz-artifacts/$$t/ $(KPLAY_HOME)/fuzz-corpus/$$t; \
	done

## lint: clippy, warnings as errors: natively every crate and target; for wasm32
## the UI and the worker with their tests, engine, host, port and the
## console --lib --bins
## only (their tests use proptest, whose getrandom does not build for wasm32)
lint: setup-test
	$(ENV) && cargo clippy --workspace --all-targets -- -D warnings
	$(ENV) && env $$KPLAY_WASM_ENV cargo clippy --target $(WASM) -p kafka-playground -p kplay-worker --all-targets -- -D warnings
	$(ENV) && env $$KPLAY_WASM_ENV cargo clippy --target $(WASM) -p engine -p engine-host -p port -p kplay-console --lib --bins -- -D warnings

## test: lint, then every test: engine (native), UI in headless Chromium, release build, e2e
test: setup-test
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory lint test-engine test-server test-wasm dist test-e2e; \
	echo "[make test] all tests passed in $$(( $$(date +%s) - start )) s"

## test-engine: the I/O-free engine's native tests (no Leptos, no web-sys)
## with the port's messages, the host's view models and the Console's tools
## (driven against the engine), then the engine again
## with the browser's `compact` feature (sorted-vector maps, one shared sort),
## so the engine the browser runs passes the same tests
test-engine: setup-test
	$(ENV) && cargo test -p engine -p port -p engine-host -p kplay-console
	$(ENV) && cargo test -p engine --features compact

## test-server: the native backend against real clients (confluent-kafka, kafka-python, kcat)
test-server: setup-test
	$(ENV) && cargo test -p kafka-playground-server

## test-wasm: the UI's wasm-bindgen tests in headless Chromium
test-wasm: setup-test
	$(ENV) && env $$KPLAY_WASM_ENV \
	  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=60 \
	  cargo test -p kafka-playground --target $(WASM) --test web

## test-e2e: Playwright against the built site, served from a sub-path (local
## mode), and against the native server with real clients (live mode)
test-e2e: setup-test
	$(ENV) && cargo build -p kafka-playground-server --bin kafka-playground
	$(ENV) && KPLAY_SERVER=$(CARGO_TARGET_DIR)/debug/kafka-playground node --test --test-concurrency=1 tests/e2e/

setup:
	bash scripts/setup.sh build

setup-test:
	bash scripts/setup.sh test

setup-bench:
	bash scripts/setup.sh bench

clean:
	rm -rf dist tests/e2e/artifacts
