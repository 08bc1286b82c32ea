#!/usr/bin/env bash
# Frames 1-3 of every preset, butterchurn against Kefir's replay (issue 16):
# a difference on the first frames is no accumulated chaos, so this finds
# what the sweep's frame-10 scores blur (it found butterchurn's frame alpha
# and its stale mipmaps). Small and quick: 256x192, three frames, about 15
# minutes for the pack at JOBS=2. Kefir renders each preset twice, as
# MilkDrop 2 (OUT/kefir) and imitating every known butterchurn difference
# (OUT/all); first_frames.py scores both and lists the presets whose first
# frame differs even with everything imitated, with the sweep's class.
#
# Not run in CI (needs Chromium and refrender; see sweep.sh).
# Usage (from the repository root, after sweep.sh has made OUT_SWEEP):
#   bash scripts/fidelity/first_frames.sh && python3 scripts/fidelity/first_frames.py target/fidelity/first-256x192
# Environment: as sweep.sh (REFRENDER, PRESETS_DIR, TEXTURES, KEFIR, JOBS,
#   NAMES, ONLY), OUT (target/fidelity/first-256x192), OUT_SWEEP (the
#   sweep's OUT, for its audio, noise textures and stand-ins:
#   target/fidelity/sweep-512x384).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export REFRENDER=${REFRENDER:-$HOME/refrender}
export PRESETS_DIR=${PRESETS_DIR:-$ROOT/../shared/presets/butterchurn}
export TEXTURES=${TEXTURES:-$ROOT/../shared/presets/textures}
export OUT=${OUT:-$ROOT/target/fidelity/first-256x192}
export OUT_SWEEP=${OUT_SWEEP:-$ROOT/target/fidelity/sweep-512x384}
JOBS=${JOBS:-2}
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$HOME/.cache/xdg}
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
for f in audio.wav ref/noise.bin bc-stand-ins; do
    [[ -e $OUT_SWEEP/$f ]] || { echo "first_frames.sh: $OUT_SWEEP/$f missing: run sweep.sh first" >&2; exit 1; }
done
mkdir -p "$OUT/ref"
cp "$OUT_SWEEP/ref/noise.bin" "$OUT/ref/noise.bin"
python3 scripts/fidelity/tap_refrender.py "$REFRENDER" >/dev/null
# shellcheck source=names.sh
source "$ROOT/scripts/fidelity/names.sh"
use_kefir

first() {
    name=$1
    ref="$OUT/ref/$name"
    if [[ ! -f $ref/frame_000003.png ]]; then
        (cd "$REFRENDER" && timeout 120 node render.mjs --preset "$name" --frames 3 --fps 30 \
            --size 256x192 --audio "wav:$OUT_SWEEP/audio.wav" --seed 12345 --dump-rand --out "$ref") \
            </dev/null >/dev/null 2>&1 || { echo "REF FAILED: $name"; return 0; }
    fi
    for mode in kefir all; do
        d="$OUT/$mode/$name"
        [[ -f $d/frame_00003.png ]] && continue
        rm -rf "$d"
        mkdir -p "$d"
        quirks=()
        [[ $mode == all ]] && quirks=(--butterchurn "$ALL_QUIRKS")
        timeout 120 "$KEFIR" render --preset "$PRESETS_DIR/$name.milk" --replay "$ref" \
            --size 256x192 --frames 3 --seed 12345 --out "$d" --textures "$OUT_SWEEP/bc-stand-ins" \
            ${TEXTURES:+--textures "$TEXTURES"} "${quirks[@]}" </dev/null >"$d/kefir.log" 2>&1 ||
            echo "KEFIR FAILED: $name ($mode, see $d/kefir.log)"
    done
}
export -f first

t0=$(date +%s)
names | tr '\n' '\0' | xargs -0 -P "$JOBS" -I{} bash -c 'first "$1"' _ {}
echo "first frames: $(($(date +%s) - t0)) s wall, $(names | wc -l) presets, JOBS=$JOBS"
