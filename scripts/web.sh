#!/usr/bin/env bash
# Kefir in the browser: builds apps/web into apps/web/dist/ and serves it.
#
#   bash scripts/web.sh            build, then serve on http://127.0.0.1:8080/
#   bash scripts/web.sh build      build only (a static folder any server hosts)
#   bash scripts/web.sh serve      serve what was built
#
# Installs the wasm32 target and wasm-bindgen-cli (the exact version of the
# wasm-bindgen crate in Cargo.lock) only when missing. Uses wasm-opt
# (binaryen 116 or later) and brotli when installed; gzip always. Environment:
# KEFIR_WEB_PORT (8080), KEFIR_WEB_PROFILE (cargo profile, default "web":
# lto, opt-level "z"), KEFIR_WEB_OPT (wasm-opt level, default -Oz).
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=${1:-all}
PORT=${KEFIR_WEB_PORT:-8080}
PROFILE=${KEFIR_WEB_PROFILE:-web}
OPT=${KEFIR_WEB_OPT:--Oz}
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

build() {
    need_tools
    echo "web: cargo build --profile $PROFILE (wasm32)"
    cargo build --target wasm32-unknown-unknown -p kefir-web --profile "$PROFILE"
    local wasm="$TARGET_DIR/wasm32-unknown-unknown/$PROFILE/kefir_web.wasm"
    rm -rf "$DIST.tmp"
    mkdir -p "$DIST.tmp/pkg"
    wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --out-dir "$DIST.tmp/pkg" --out-name kefir_web "$wasm"
    local out="$DIST.tmp/pkg/kefir_web_bg.wasm"
    # Debian 12's binaryen (wasm-opt 108) turns wasm-bindgen 0.2.130's
    # output into a module that fails at start ("WebAssembly.Table.set():
    # Argument 1 is invalid"), before or after wasm-bindgen: only a newer
    # wasm-opt is used.
    local opt_version
    opt_version=$(wasm-opt --version 2>/dev/null | grep -oE '[0-9]+' | head -1 || true)
    if [ -n "$opt_version" ] && [ "$opt_version" -ge "${KEFIR_WEB_WASM_OPT_MIN:-116}" ]; then
        echo "web: wasm-opt $OPT"
        wasm-opt "$OPT" --enable-bulk-memory --enable-nontrapping-float-to-int \
            --enable-sign-ext --enable-mutable-globals --enable-reference-types \
            --enable-multivalue "$out" -o "$out.opt"
        mv "$out.opt" "$out"
    else
        echo "web: no wasm-opt of version ${KEFIR_WEB_WASM_OPT_MIN:-116} or later (have: ${opt_version:-none}): skipping it"
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
