#!/usr/bin/env bash
# Installs what Kefir needs to build and test on Debian (run as root or with
# sudo available). Safe to run again: it only installs what is missing.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

# Debian packages: a C toolchain, libasound2-dev (ALSA headers for cpal,
# milk-audio's capture), and Mesa's software Vulkan driver (lavapipe) with the
# Vulkan loader, which milk-engine's tests render on when there is no GPU.
# The desktop app's window test (apps/desktop/tests/window.rs) runs `kefir` on
# a virtual X display: Xvfb, ImageMagick (`import`, screenshots) and xdotool
# (key presses), plus the X libraries winit loads at run time. ffmpeg encodes
# the main job's showcase video when there is no display (`kefir showcase`).
APT_PACKAGES=(gcc pkg-config ca-certificates curl libasound2-dev mesa-vulkan-drivers libvulkan1
    xvfb xauth imagemagick xdotool libxkbcommon-x11-0 libxcursor1 libxrandr2 libxi6 ffmpeg)
# The GStreamer element (crates/gst): headers to build it, gst-launch-1.0 and
# gst-inspect-1.0 and the plugins its README pipelines use in its tests
# (base: decodebin, playbin, opusenc; good: flacenc, mp4mux; ugly: x264enc).
# The C library's install test (crates/capi/tests/install.rs) builds its
# C++ example with CMake.
APT_PACKAGES+=(libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev gstreamer1.0-tools
    gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly g++ cmake)
# Installed for this machine's architecture (or arch "all"): with arm64 added
# for the Pi's cross build, a bare `dpkg -s NAME` is ambiguous.
native=$(dpkg --print-architecture)
installed() {
    dpkg-query -W -f='${Architecture} ${Status}\n' "$1" 2>/dev/null |
        grep -qE "^($native|all) install ok installed"
}
missing=()
for p in "${APT_PACKAGES[@]}"; do
    installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# --- web (apps/web) ---
# The browser tests (scripts/test-web.sh) drive Debian's Chromium headless
# with playwright-core (npm, installed into apps/web/tests/node_modules by
# the script); brotli precompresses the built page (scripts/web.sh).
# Node and npm count when present from any source (NodeSource's nodejs
# carries npm, and Debian's npm package would conflict with it).
web_missing=()
for p in chromium brotli; do
    installed "$p" || web_missing+=("$p")
done
command -v node >/dev/null 2>&1 || web_missing+=(nodejs)
command -v npm >/dev/null 2>&1 || web_missing+=(npm)
if [ ${#web_missing[@]} -gt 0 ]; then
    echo "setup: installing ${web_missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${web_missing[@]}"
fi
# --- end web ---

# Rust: rustup's stable toolchain with rustfmt and clippy.
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
    echo "setup: installing rustup"
    if apt-cache show rustup >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq rustup
    else
        curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
        export PATH="$HOME/.cargo/bin:$PATH"
    fi
    rustup default stable
fi
# The workspace needs Rust 1.95 (rust-version in Cargo.toml; egui 0.37).
rust_minor=$(rustc --version 2>/dev/null | sed -n 's/^rustc 1\.\([0-9]*\).*/\1/p')
if command -v rustup >/dev/null 2>&1 && [ "${rust_minor:-0}" -lt 95 ]; then
    echo "setup: rustc 1.${rust_minor:-?} is older than 1.95; updating the stable toolchain"
    rustup update stable
    rustup default stable
fi
if command -v rustup >/dev/null 2>&1; then
    cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
    cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
fi
