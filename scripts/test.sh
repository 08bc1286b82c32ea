#!/usr/bin/env bash
# The whole test suite: formatting, lints, and every test of the workspace
# (unit, conformance, property, corpus and CLI tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
# Mesa wants a private runtime dir; without one it prints a warning per device.
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -d "$XDG_RUNTIME_DIR" ]; then
    export XDG_RUNTIME_DIR="$(mktemp -d)"
    chmod 700 "$XDG_RUNTIME_DIR"
fi

echo "== cargo fmt --check"
cargo fmt --all --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings
echo "== cargo doc (a broken or private intra-doc link is an error)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet
echo "== cargo test"
# Tests that need the shared preset corpus (../shared/presets, or
# KEFIR_CORPUS=DIR) skip without it and log one line each here; CI sets
# KEFIR_REQUIRE_CORPUS=1, which turns a missing corpus into a failure.
export KEFIR_SKIP_LOG="${KEFIR_SKIP_LOG:-$(mktemp)}"
: >"$KEFIR_SKIP_LOG"
cargo test --workspace
skipped=$(wc -l <"$KEFIR_SKIP_LOG")
if [ "$skipped" -gt 0 ]; then
    echo "== $skipped corpus tests skipped: the shared preset corpus is not here"
    sed 's/^/   skipped: /' "$KEFIR_SKIP_LOG"
    echo "   run them with KEFIR_CORPUS=DIR (a folder with butterchurn/, cream-of-the-crop/, textures/)"
else
    echo "== every corpus test ran"
fi
