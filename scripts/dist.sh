#!/usr/bin/env bash
# The release build in dist/ (`make dist`): Trunk builds the UI's wasm and
# the engine's worker wasm from www/index.html.
#
# Release wasm is built smaller than a development build: the standard
# library is rebuilt (-Zbuild-std, needs the rust-src component that
# scripts/setup.sh installs) with panics that abort at once
# (-Cpanic=immediate-abort: no panic message formatting is linked) and no
# source locations (-Zlocation-detail=none), and derived Debug impls that
# print only the type or variant name (-Zfmt-debug=shallow: `{:?}` of a
# string, number or list is unchanged; the engine's user-facing sentences
# use Display; measured on the worker: 518.4 → 505.7 KB gzipped). All are
# unstable flags, so the stable compiler is told to accept them with
# RUSTC_BOOTSTRAP=1, as the
# Debian route of setup already does for -Zbuild-std. Measured on the
# worker: 564 KB → 518 KB gzipped. A panic cannot be caught in wasm either
# way; `make serve` (a development build) keeps the messages.
#
# It builds in its own target directory so these flags do not rebuild the
# tests' wasm (which keep panic messages) and the other way round.
set -euo pipefail
export RUSTC_BOOTSTRAP=1
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
# `--cfg erase_components` is Leptos's own switch that erases each
# component's view type behind its boundary (AnyView): the same views with
# far fewer monomorphised render functions. Measured on the UI: 296.4 →
# 256.6 KB gzipped; the worker (no Leptos) is unchanged.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zlocation-detail=none -Zfmt-debug=shallow -Zunstable-options -Cpanic=immediate-abort --cfg erase_components"
export CARGO_TARGET_DIR="${KPLAY_HOME:-$HOME/.cache/kafka-playground}/target-dist"
exec trunk build --release --offline "$@"
