#!/usr/bin/env bash
# Fidelity of milk-engine against butterchurn (issue 5): renders every preset
# of scripts/fidelity/presets.txt with Kefir and with the butterchurn reference
# renderer (../shared/tools/refrender) on the same WAV, size, fps and frame
# count, then scores each pair with compare.py (SSIM of frames 10/30/60
# downscaled to 80x60 grayscale, and mean absolute error).
#
# NOT run in CI: it needs Chromium (apt-get install -y chromium), a copy of
# refrender with its npm packages installed, and a release build of kefir.
# Setup, once (Debian 12, as root):
#   apt-get install -y chromium
#   cp -r ../shared/tools/refrender ~/refrender && (cd ~/refrender && npm install --ignore-scripts)
#   pip install numpy Pillow
# Usage (from the repository root):
#   bash scripts/fidelity/run.sh [all|ref|kefir|compare]     (default: all)
# Environment: REFRENDER (default ~/refrender), OUT (default target/fidelity),
#   PRESETS_DIR (default ../shared/presets/butterchurn), SIZE (320x240),
#   FPS (30), FRAMES (60), SEED (12345).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
REFRENDER=${REFRENDER:-$HOME/refrender}
OUT=${OUT:-$ROOT/target/fidelity}
PRESETS_DIR=${PRESETS_DIR:-$ROOT/../shared/presets/butterchurn}
SIZE=${SIZE:-320x240}
FPS=${FPS:-30}
FRAMES=${FRAMES:-60}
SEED=${SEED:-12345}
STAGE=${1:-all}
LIST=$ROOT/scripts/fidelity/presets.txt

mkdir -p "$OUT/ref" "$OUT/kefir"
WAV=$OUT/audio.wav
python3 scripts/fidelity/make_wav.py "$WAV"

presets() { grep -v '^[[:space:]]*#' "$LIST" | grep -v '^[[:space:]]*$'; }

if [[ $STAGE == all || $STAGE == ref ]]; then
    presets | while IFS= read -r name; do
        dir="$OUT/ref/$name"
        [[ -f "$dir/frame_$(printf %06d "$FRAMES").png" ]] && continue
        # --preset: butterchurn's own conversion of the same .milk (the
        # --milk route converts HLSL in the browser; v1 presets have none, but
        # --preset is the route refrender's README recommends).
        (cd "$REFRENDER" && node render.mjs --preset "$name" --frames "$FRAMES" --fps "$FPS" \
            --size "$SIZE" --audio "wav:$WAV" --seed "$SEED" --out "$dir") </dev/null
    done
fi

if [[ $STAGE == all || $STAGE == kefir ]]; then
    cargo build --release -p kefir
    presets | while IFS= read -r name; do
        dir="$OUT/kefir/$name"
        [[ -f "$dir/frame_$(printf %05d "$FRAMES").png" ]] && continue
        target/release/kefir render --preset "$PRESETS_DIR/$name.milk" --audio "$WAV" \
            --size "$SIZE" --fps "$FPS" --frames "$FRAMES" --seed "$SEED" --out "$dir" </dev/null
    done
fi

if [[ $STAGE == all || $STAGE == compare ]]; then
    presets | python3 scripts/fidelity/compare.py --ref "$OUT/ref" --kefir "$OUT/kefir" \
        --frames 10,30,60 --sheets "$OUT/sheets"
fi
