#!/usr/bin/env bash
# Kefir in the browser: builds apps/web into apps/web/dist/ and serves it.
#
#   bash scripts/web.sh            build, then serve on http://127.0.0.1:8080/
#   bash scripts/web.sh build      build only (a static folder any server hosts)
#   bash scripts/web.sh serve      serve what was built
#
# Installs the wasm32 target and wasm-bindgen-cli (the exact version of the
# wasm-bindgen crate in Cargo.lock) only when missing. Runs wasm-opt: the
# system's (binaryen 116 or later), else binaryen from npm installed into
# target/web-tools when missing (skipped, with a message, without npm).
# Brotli when installed; gzip always. Environment: KEFIR_WEB_PORT (8080),
# KEFIR_WEB_PROFILE (cargo profile, default "web": lto, opt-level "z"),
# KEFIR_WEB_OPT (wasm-opt passes; default -Oz without binaryen's inlining:
# 3 % smaller raw than -O2, 0.6 % larger after brotli, frame rates the same
# within noise; see benches/README.md "Web"),
# KEFIR_WEB_NO_WASM_OPT=1 to skip it.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=${1:-all}
PORT=${KEFIR_WEB_PORT:-8080}
PROFILE=${KEFIR_WEB_PROFILE:-web}
OPT=${KEFIR_WEB_OPT:--Oz --always-inline-max-function-size=0 --one-caller-inline-max-function-size=0 --flexible-inline-max-function-size=0}
BINARYEN_VERSION=132.0.0
WEB_TOOLS=target/web-tools
DIST=apps/web/dist
TARGET_DIR=${CARGO_TARGET_DIR:-target}

need_tools() {
    if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
        echo "web: adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
    local want
    want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
    if [ -z "$want" ]; then
        echo "web: wasm-bindgen is not in Cargo.lock" >&2
        exit 1
    fi
    if ! wasm-bindgen --version 2>/dev/null | grep -q " $want\$"; then
        echo "web: installing wasm-bindgen-cli $want (several minutes, once)"
        # --locked fails on this registry mirror (see docs); the version is pinned.
        cargo install wasm-bindgen-cli --version "$want"
    fi
}

# The wasm-opt to run, or nothing. Debian 12's binaryen (wasm-opt 108) turns
# wasm-bindgen 0.2.130's output into a module that fails at start
# ("WebAssembly.Table.set(): Argument 1 is invalid"): only 116 or later is
# used, else npm's binaryen (its wasm-opt runs on node: -O2 takes ~16 s).
wasm_opt_bin() {
    [ -n "${KEFIR_WEB_NO_WASM_OPT:-}" ] && { echo "web: wasm-opt skipped (KEFIR_WEB_NO_WASM_OPT)" >&2; return; }
    local v
    v=$(wasm-opt --version 2>/dev/null | grep -oE '[0-9]+' | head -1 || true)
    if [ -n "$v" ] && [ "$v" -ge 116 ]; then
        echo wasm-opt
        return
    fi
    local npm_opt="$WEB_TOOLS/node_modules/.bin/wasm-opt"
    if ! "$npm_opt" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*} "; then
        if ! command -v npm >/dev/null; then
            echo "web: no wasm-opt 116+ and no npm to fetch binaryen: the wasm is not optimised further" >&2
            return
        fi
        echo "web: installing binaryen $BINARYEN_VERSION (npm) into $WEB_TOOLS" >&2
        npm install --no-audit --no-fund --no-save --prefix "$WEB_TOOLS" "binaryen@$BINARYEN_VERSION" >&2 || {
            echo "web: binaryen did not install: the wasm is not optimised further" >&2
            return
        }
    fi
    echo "$npm_opt"
}

build() {
    need_tools
    echo "web: cargo build --profile $PROFILE (wasm32)"
    # Panic locations name their source files: with this checkout's and the
    # registry's prefixes cut off, the wasm carries `naga-30.0.2/src/...`
    # rather than absolute paths (9 KB smaller, and the same on every
    # machine). Flags of your own (RUSTFLAGS) replace these.
    local flags=() d
    if [ -z "${RUSTFLAGS:-}${CARGO_ENCODED_RUSTFLAGS:-}" ]; then
        flags=("--remap-path-prefix=$PWD/=")
        for d in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
            [ -d "$d" ] && flags+=("--remap-path-prefix=$d=")
        done
        local CARGO_ENCODED_RUSTFLAGS
        CARGO_ENCODED_RUSTFLAGS=$(IFS=$'\x1f'; echo "${flags[*]}")
        export CARGO_ENCODED_RUSTFLAGS
    fi
    cargo build --target wasm32-unknown-unknown -p kefir-web --profile "$PROFILE"
    local wasm="$TARGET_DIR/wasm32-unknown-unknown/$PROFILE/kefir_web.wasm"
    rm -rf "$DIST.tmp"
    mkdir -p "$DIST.tmp/pkg"
    wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --out-dir "$DIST.tmp/pkg" --out-name kefir_web "$wasm"
    local out="$DIST.tmp/pkg/kefir_web_bg.wasm"
    local opt
    opt=$(wasm_opt_bin)
    if [ -n "$opt" ]; then
        echo "web: $opt $OPT"
        # shellcheck disable=SC2086 # OPT is a list of flags
        "$opt" $OPT --enable-bulk-memory --enable-nontrapping-float-to-int \
            --enable-sign-ext --enable-mutable-globals --enable-reference-types \
            --enable-multivalue "$out" -o "$out.opt"
        mv "$out.opt" "$out"
    fi
    cp apps/web/www/*.html apps/web/www/*.js apps/web/www/*.css "$DIST.tmp/"
    # Precompressed copies for servers that serve them (nginx gzip_static,
    # brotli_static; the test server below does).
    find "$DIST.tmp" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.html' -o -name '*.css' \) |
        while read -r f; do
            gzip -9 -k -f "$f"
            if command -v brotli >/dev/null; then brotli -q 11 -k -f "$f"; fi
        done
    rm -rf "$DIST"
    mv "$DIST.tmp" "$DIST"
    local raw gz br=""
    raw=$(stat -c %s "$DIST/pkg/kefir_web_bg.wasm")
    gz=$(stat -c %s "$DIST/pkg/kefir_web_bg.wasm.gz")
    [ -f "$DIST/pkg/kefir_web_bg.wasm.br" ] && br=", $(stat -c %s "$DIST/pkg/kefir_web_bg.wasm.br") brotli"
    echo "web: built $DIST: kefir_web_bg.wasm $raw bytes ($gz gzip$br)"
}

serve() {
    echo "web: serving $DIST on http://127.0.0.1:$PORT/ (ctrl-c stops)"
    exec python3 apps/web/serve.py "$DIST" "$PORT"
}

case "$MODE" in
    build) build ;;
    serve) serve ;;
    all) build && serve ;;
    *) echo "usage: $0 [build|serve]" >&2; exit 2 ;;
esac
