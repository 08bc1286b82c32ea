#!/usr/bin/env bash
# The main job: Kefir, the visualizer.
#
# With a display (X11 or Wayland) it opens the `kefir` window: the bundled
# presets, to what the machine plays (or the demo signal when there is no
# sound input). Without one (a server, a container, CI) it renders a 20 s
# showcase of the bundled presets, blends included, with the demo track's
# sound, to kefir-showcase.mp4. Extra arguments go to `kefir` (window) or to
# `kefir showcase` (video); KEFIR_SHOWCASE=1 makes the video even with a
# display.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
# Mesa wants a private runtime dir; without one it prints a warning per device.
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -d "$XDG_RUNTIME_DIR" ]; then
    export XDG_RUNTIME_DIR="$(mktemp -d)"
    chmod 700 "$XDG_RUNTIME_DIR"
fi

echo "run: building kefir (the first build takes several minutes)"
cargo build --quiet -p kefir
kefir=target/debug/kefir

if [ -z "${KEFIR_SHOWCASE:-}" ] && { [ -n "${WAYLAND_DISPLAY:-}" ] || [ -n "${DISPLAY:-}" ]; }; then
    echo "run: opening the Kefir window (F1: keys, n: next preset, f: fullscreen, q: quit)"
    exec "$kefir" "$@"
fi

out=kefir-showcase.mp4
echo "run: no display here (neither DISPLAY nor WAYLAND_DISPLAY is set)"
echo "run: rendering a 20 s showcase of the bundled presets to $out"
"$kefir" showcase --out "$out" "$@"
echo "run: done: $(pwd)/$out (play it with any video player: mpv, vlc, ffplay, a browser)"
echo "run: on a desktop, the same command opens the window instead:"
echo "     bash scripts/run.sh        (or: cargo run --release -p kefir)"
