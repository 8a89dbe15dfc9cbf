#!/usr/bin/env bash
# Installs whatever of Kafka Playground's toolchain is missing, then writes
# "$KPLAY_HOME/env.sh", which the Makefile sources before every build.
#
#   scripts/setup.sh build   what `make serve` / `make dist` need
#   scripts/setup.sh test    the above, plus clippy, headless Chromium and its driver,
#                            kcat (Debian's package), and a Python virtualenv
#                            ("$KPLAY_HOME/venv") with the pinned packages of
#                            tests/python/requirements.txt
#   scripts/setup.sh bench   the above, plus tansu (crates.io, memory storage),
#                            the broker `make bench` compares the native
#                            backend with (about an hour to build on 2 cores,
#                            once; its build directory is kept in
#                            "$KPLAY_HOME/target-tansu" so an interrupted
#                            install resumes)
#
# Idempotent: every step first checks what exists and does nothing if it is
# there, so a second run with everything installed takes a few seconds.
# Tools go to "$KPLAY_HOME" (default ~/.cache/kafka-playground), outside the
# checkout, so fresh clones (CI) reuse them.
#
# The wasm32 standard library is found in this order (see README; set
# KPLAY_WASM_ROUTE=debian-build-std to force the third):
#   1. the active Rust toolchain already has it (an ordinary rustup machine
#      after `rustup target add wasm32-unknown-unknown`);
#   2. `rustup target add wasm32-unknown-unknown` succeeds within 60 s;
#   3. Debian's rustc-web with its library sources, building std from source
#      (-Zbuild-std) — the route for machines without network access to
#      rustup's servers.
set -euo pipefail

purpose=${1:-build}
case "$purpose" in build | test | bench) ;; *) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;; esac
# `bench` needs everything `test` does.
testing=false
[ "$purpose" != build ] && testing=true

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KPLAY_HOME=${KPLAY_HOME:-$HOME/.cache/kafka-playground}
tools="$KPLAY_HOME/tools"
mkdir -p "$tools/bin" "$KPLAY_HOME/logs"

# Versions: the wasm-bindgen CLI must equal the crate pinned in Cargo.toml.
WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14
TANSU_VERSION=0.6.0

started=$(date +%s)
say() { printf '[setup] %s\n' "$*"; }
apt_updated=
apt_install() {
    if [ -z "$apt_updated" ]; then
        say "apt-get update"
        apt-get update -qq >"$KPLAY_HOME/logs/apt-update.log" 2>&1
        apt_updated=1
    fi
    say "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$KPLAY_HOME/logs/apt-install.log" 2>&1 || {
        tail -n 30 "$KPLAY_HOME/logs/apt-install.log" >&2
        exit 1
    }
}
as_root() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: installing $* needs root (or install it yourself and rerun)" >&2
        exit 1
    fi
}

# --- 1. A Rust toolchain that can build for wasm32-unknown-unknown ---------
has_wasm_std() { # $1: rustc
    local libdir
    libdir=$("$1" --print target-libdir --target wasm32-unknown-unknown 2>/dev/null) || return 1
    compgen -G "$libdir/libstd-*.rlib" >/dev/null
}
debian_route_ready() {
    dpkg -s rustc-web cargo-web rust-web-src lld-22 >/dev/null 2>&1 &&
        [ -d /usr/lib/rustlib/src/rust/library/std ]
}

rust_path=""      # prepended to PATH for builds
wasm_env=""       # extra environment for wasm builds only
route_stamp="$KPLAY_HOME/wasm-route"
default_rustc=$(command -v rustc || true)

if [ "${KPLAY_WASM_ROUTE:-}" = debian-build-std ]; then
    route=debian-build-std # forced, e.g. to check that route on a rustup machine
elif [ -n "$default_rustc" ] && has_wasm_std "$default_rustc"; then
    route=installed-std
elif [ -f "$route_stamp" ] && [ "$(cat "$route_stamp")" = "debian-build-std" ] && debian_route_ready; then
    route=debian-build-std # decided on an earlier run: rustup cannot fetch the target here
elif command -v rustup >/dev/null 2>&1 && [ ! -f "$route_stamp" ] &&
    say "trying: rustup target add wasm32-unknown-unknown (60 s at most)" &&
    timeout 60 rustup target add wasm32-unknown-unknown >"$KPLAY_HOME/logs/rustup.log" 2>&1 &&
    has_wasm_std "$default_rustc"; then
    route=installed-std
else
    route=debian-build-std
fi

if [ "$route" = debian-build-std ]; then
    if ! debian_route_ready; then
        as_root "Debian's rustc-web"
        apt_install rustc-web cargo-web rust-web-src lld-22
    fi
    echo debian-build-std >"$route_stamp"
    rust_path=/usr/bin
    wasm_env="RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort"
fi
say "wasm32 std: $route"

# Release wasm rebuilds the standard library smaller (scripts/dist.sh): it
# needs the library's sources, which the Debian route has and rustup adds.
if [ "$route" = installed-std ] && ! [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library/std" ]; then
    say "rustup component add rust-src"
    timeout 120 rustup component add rust-src >"$KPLAY_HOME/logs/rustup-src.log" 2>&1 || {
        tail -n 20 "$KPLAY_HOME/logs/rustup-src.log" >&2
        exit 1
    }
fi

# `make lint` runs clippy: Debian's, on its route (the same toolchain as its
# cargo), else rustup's component.
if $testing; then
    if [ "$route" = debian-build-std ]; then
        if ! dpkg -s rust-web-clippy >/dev/null 2>&1; then
            as_root "Debian's clippy"
            apt_install rust-web-clippy
        fi
    elif ! cargo clippy --version >/dev/null 2>&1; then
        say "rustup component add clippy"
        timeout 120 rustup component add clippy >"$KPLAY_HOME/logs/rustup-clippy.log" 2>&1 || {
            tail -n 20 "$KPLAY_HOME/logs/rustup-clippy.log" >&2
            exit 1
        }
    fi
fi

# --- 2. wasm-bindgen CLI and Trunk, at pinned versions --------------------
tool_version() { "$1" --version 2>/dev/null | awk '{print $2}'; }
cargo_install() { # crate version extra-args...
    local crate=$1 version=$2
    shift 2
    say "cargo install $crate $version (several minutes, once)"
    cargo install "$crate" --version "$version" --root "$tools" "$@" \
        >"$KPLAY_HOME/logs/install-$crate.log" 2>&1 || {
        tail -n 30 "$KPLAY_HOME/logs/install-$crate.log" >&2
        exit 1
    }
}
if [ "$(tool_version "$tools/bin/wasm-bindgen")" != "$WASM_BINDGEN_VERSION" ]; then
    # No --locked: the registry mirror lacks a locked transitive version.
    cargo_install wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
fi
if [ "$(tool_version "$tools/bin/trunk")" != "$TRUNK_VERSION" ]; then
    # --locked: newer transitive crates of 0.21.14 need a newer rustc.
    cargo_install trunk "$TRUNK_VERSION" --locked
fi

# --- 3. Node tools from the npm registry (wasm-opt, Playwright core) -------
if ! command -v npm >/dev/null 2>&1; then
    as_root "Node.js"
    apt_install nodejs npm
fi
stamp="$here/node_modules/.package-lock-stamp"
if [ ! -f "$stamp" ] || ! cmp -s "$here/package-lock.json" "$stamp"; then
    say "npm ci"
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$here/package-lock.json" "$stamp"
fi

# --- 4. Headless Chromium and ChromeDriver, for tests ----------------------
if $testing && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
    as_root "Chromium"
    apt_install chromium chromium-driver
fi

# --- 4b. kcat, for the native backend's client tests -----------------------
if $testing && ! command -v kcat >/dev/null 2>&1; then
    as_root "kcat"
    apt_install kcat
fi

# --- 4c. tansu, for `make bench` only --------------------------------------
# The `dynostore` feature carries its memory storage engine (memory://).
tansu_root="$KPLAY_HOME/tools-tansu"
if [ "$purpose" = bench ] && [ "$(tool_version "$tansu_root/bin/tansu")" != "$TANSU_VERSION" ]; then
    say "cargo install tansu $TANSU_VERSION --features dynostore (about an hour on 2 cores, once)"
    cargo install tansu --version "$TANSU_VERSION" --features dynostore --locked --root "$tansu_root" \
        --target-dir "$KPLAY_HOME/target-tansu" >"$KPLAY_HOME/logs/install-tansu.log" 2>&1 || {
        tail -n 30 "$KPLAY_HOME/logs/install-tansu.log" >&2
        exit 1
    }
fi

# --- 5. A Python virtualenv with the cross-implementation test tools ---------
# The official Apache Avro package (its compatibility checker is a port of
# Java's) and fastavro, at the versions pinned in tests/python/requirements.txt.
# A copy of that file inside the venv marks it as up to date.
venv="$KPLAY_HOME/venv"
python_env=""
if $testing; then
    requirements="$here/tests/python/requirements.txt"
    venv_stamp="$venv/.requirements-stamp"
    if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$venv_stamp"; then
        if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
            as_root "Python 3 with venv"
            apt_install python3 python3-venv
        fi
        if [ ! -x "$venv/bin/python" ]; then
            say "python3 -m venv $venv"
            python3 -m venv "$venv"
        fi
        say "pip install -r tests/python/requirements.txt"
        "$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$requirements" \
            >"$KPLAY_HOME/logs/pip-install.log" 2>&1 || {
            tail -n 30 "$KPLAY_HOME/logs/pip-install.log" >&2
            exit 1
        }
        cp "$requirements" "$venv_stamp"
    fi
    python_env="$venv/bin/python"
elif [ -x "$venv/bin/python" ]; then
    python_env="$venv/bin/python" # keep what an earlier `setup.sh test` installed
fi

# --- 6. The environment every make target runs in --------------------------
cat >"$KPLAY_HOME/env.sh.tmp" <<EOF
# Written by scripts/setup.sh; sourced by the Makefile.
export PATH="${rust_path:+$rust_path:}$tools/bin:$here/node_modules/.bin:\$PATH"
export KPLAY_WASM_ENV="$wasm_env"
export KPLAY_ACTIVE_WASM_ROUTE="$route"
EOF
if [ -x "$tansu_root/bin/tansu" ]; then
    printf 'export KPLAY_TANSU="%s"\n' "$tansu_root/bin/tansu" >>"$KPLAY_HOME/env.sh.tmp"
fi
if [ -n "$python_env" ]; then
    printf 'export KPLAY_PYTHON="%s"\n' "$python_env" >>"$KPLAY_HOME/env.sh.tmp"
fi
mv "$KPLAY_HOME/env.sh.tmp" "$KPLAY_HOME/env.sh"
say "ready in $(($(date +%s) - started)) s"
