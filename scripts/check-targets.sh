#!/usr/bin/env bash
# Type-checks and lints the desktop app, the C library and the player (with
# every crate below them) for Windows and macOS, as CI does: `cargo clippy`
# (a check plus lints, -D warnings) needs no linker and no vendor SDK, and it
# covers every cfg(windows) and cfg(target_os = "macos") path of ours and of
# cpal, wgpu and winit.
#
#   bash scripts/check-targets.sh [TARGET...]
#
# Default targets: x86_64-pc-windows-gnu aarch64-apple-darwin. Not checked:
# crates/gst (it needs the target's GStreamer through pkg-config).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(x86_64-pc-windows-gnu aarch64-apple-darwin)
for t in "${targets[@]}"; do
    rustup target list --installed | grep -qx "$t" || rustup target add "$t"
    echo "== cargo clippy --target $t -p kefir -p kefir-capi -p kefir-player"
    cargo clippy --quiet --target "$t" -p kefir -p kefir-capi -p kefir-player -- -D warnings
done
