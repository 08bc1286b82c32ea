#!/usr/bin/env bash
# Browser tests of apps/web (CI runs this after the main tests): builds the
# page (scripts/web.sh build), serves it on 127.0.0.1 and drives Debian's
# headless Chromium (WebGL2 on SwiftShader) with playwright-core: the page,
# the demo signal, keys, presets with shaders and with errors, drops, the
# preset browser, favourites, and the microphone path fed a WAV of kicks.
# First the engine's golden images on GL within WebGL2's limits.
#
#   bash scripts/test-web.sh            build, then test
#   KEFIR_WEB_SKIP_BUILD=1 bash scripts/test-web.sh   test what is built
#
# Needs chromium, nodejs and npm (scripts/setup.sh); installs playwright-core
# into apps/web/tests/node_modules only when missing. KEFIR_CHROMIUM picks
# another browser binary; KEFIR_WEB_TEST_PORT the port (8765).
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=${KEFIR_CHROMIUM:-/usr/bin/chromium}
PORT=${KEFIR_WEB_TEST_PORT:-8765}
TESTS=apps/web/tests
PLAYWRIGHT_VERSION=1.65.1

for tool in node npm python3; do
    command -v "$tool" >/dev/null || { echo "test-web: $tool is missing (bash scripts/setup.sh)" >&2; exit 1; }
done
[ -x "$CHROMIUM" ] || { echo "test-web: no browser at $CHROMIUM (bash scripts/setup.sh)" >&2; exit 1; }

if [ ! -f "$TESTS/node_modules/playwright-core/package.json" ] ||
    ! grep -q "\"version\": \"$PLAYWRIGHT_VERSION\"" "$TESTS/node_modules/playwright-core/package.json"; then
    echo "test-web: installing playwright-core $PLAYWRIGHT_VERSION into $TESTS/node_modules"
    npm install --no-audit --no-fund --no-save --prefix "$TESTS" "playwright-core@$PLAYWRIGHT_VERSION"
fi

# The engine within what the browser gets: every golden case on wgpu's GL
# backend (llvmpipe through EGL) with WebGL2's limits.
echo "== golden images on GL within WebGL2 limits"
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -d "$XDG_RUNTIME_DIR" ]; then
    export XDG_RUNTIME_DIR="$(mktemp -d)"
    chmod 700 "$XDG_RUNTIME_DIR"
fi
KEFIR_GOLDEN_WEBGL2=1 cargo test -p milk-engine --test golden --quiet

if [ -z "${KEFIR_WEB_SKIP_BUILD:-}" ]; then
    bash scripts/web.sh build
    echo "== cargo clippy (wasm32, apps/web)"
    # Two lints fire only on wasm32, in crates shared with the desktop: wgpu's
    # objects are not Send there (Arc<Mutex<..>> of them), and File has no
    # Drop there.
    cargo clippy --target wasm32-unknown-unknown -p kefir-web --quiet -- -D warnings \
        -A clippy::arc_with_non_send_sync -A clippy::drop_non_drop
fi
[ -f apps/web/dist/index.html ] || { echo "test-web: apps/web/dist is not built" >&2; exit 1; }

work=$(mktemp -d)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
python3 "$TESTS/kicks.py" "$work/kicks.wav"
python3 apps/web/serve.py apps/web/dist "$PORT" &
server=$!
for _ in $(seq 50); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/')" 2>/dev/null && break
    sleep 0.1
done
node "$TESTS/web.mjs" "http://127.0.0.1:$PORT/" "$CHROMIUM" "$work/kicks.wav" "presets/Kefir - Glass Shader.milk"
