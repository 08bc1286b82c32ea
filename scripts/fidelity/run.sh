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
# Environment:
#   MODE     replay (default): Kefir replays the reference run's input (per
#            frame time step, bass/mid/treb and _att, waveform and spectrum
#            from refrender's state.jsonl and audio.bin: `kefir render
#            --replay`), so the scores measure the renderers; it also dumps
#            Kefir's per-frame values next to its frames (state.jsonl, compare
#            with state_diff.py).
#            audio: Kefir analyses the WAV itself at a fixed 1/fps (the first
#            harness; its time, levels and waveform differ from butterchurn's).
#   SIZE     (512x384: from 512 pixels wide MilkDrop draws thick and dotted
#            waves 2x2 and its faint wave modes use the 512 alpha, as
#            butterchurn does at every size; below it they differ on purpose),
#   OUT      (target/fidelity/SIZE; frames in OUT/ref, OUT/kefir-MODE, sheets
#            in OUT/sheets-MODE, the table in OUT/scores-MODE.md),
#   REFRENDER (~/refrender), PRESETS_DIR (../shared/presets/butterchurn),
#   FPS (30), FRAMES (60), SEED (12345),
#   TEXTURES (../shared/presets/textures: MilkDrop's texture pack, whose
#            images butterchurn has built in; empty for none),
#   KEFIR (a kefir binary to use instead of building target/release/kefir),
#   ONLY (only the presets whose name contains this text).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
REFRENDER=${REFRENDER:-$HOME/refrender}
PRESETS_DIR=${PRESETS_DIR:-$ROOT/../shared/presets/butterchurn}
TEXTURES=${TEXTURES-$ROOT/../shared/presets/textures}
SIZE=${SIZE:-512x384}
FPS=${FPS:-30}
FRAMES=${FRAMES:-60}
SEED=${SEED:-12345}
MODE=${MODE:-replay}
# llvmpipe's float texture filtering, as a GPU filters (see names.sh).
export GALLIVM_PERF=${GALLIVM_PERF-no_aos_sampling}
OUT=${OUT:-$ROOT/target/fidelity/$SIZE}
KOUT=$OUT/kefir-$MODE
case $MODE in replay|audio) ;; *) echo "MODE must be replay or audio" >&2; exit 2 ;; esac
STAGE=${1:-all}
LIST=$ROOT/scripts/fidelity/presets.txt

mkdir -p "$OUT/ref" "$KOUT"
WAV=$OUT/audio.wav
python3 scripts/fidelity/make_wav.py "$WAV"

presets() { grep -v '^[[:space:]]*#' "$LIST" | grep -v '^[[:space:]]*$' | grep -F -- "${ONLY:-}"; }

if [[ $STAGE == all || $STAGE == ref ]]; then
    # butterchurn's random numbers (rand.jsonl) and noise textures
    # (ref/noise.bin) go to Kefir's replay too: see tap_refrender.py.
    python3 scripts/fidelity/tap_refrender.py "$REFRENDER" >/dev/null
    if [[ ! -f $OUT/ref/noise.bin ]]; then
        (cd "$REFRENDER" && node render.mjs --preset "Geiss - Spiral Artifact" --frames 1 \
            --size 64x48 --seed "$SEED" --dump-noise --out "$OUT/noise-run") >/dev/null
        mv "$OUT/noise-run/noise.bin" "$OUT/ref/noise.bin"
        rm -rf "$OUT/noise-run"
    fi
    presets | while IFS= read -r name; do
        dir="$OUT/ref/$name"
        [[ -f "$dir/frame_$(printf %06d "$FRAMES").png" && -f "$dir/rand.jsonl" ]] && continue
        # --preset: butterchurn's own conversion of the same .milk (the
        # --milk route converts HLSL in the browser; v1 presets have none, but
        # --preset is the route refrender's README recommends).
        (cd "$REFRENDER" && node render.mjs --preset "$name" --frames "$FRAMES" --fps "$FPS" \
            --size "$SIZE" --audio "wav:$WAV" --seed "$SEED" --dump-rand --out "$dir") </dev/null
    done
fi

if [[ $STAGE == all || $STAGE == kefir ]]; then
    if [[ -z ${KEFIR:-} ]]; then
        cargo build --release -p kefir
        KEFIR=target/release/kefir
    fi
    presets | while IFS= read -r name; do
        dir="$KOUT/$name"
        rm -rf "$dir"
        if [[ $MODE == replay ]]; then
            "$KEFIR" render --preset "$PRESETS_DIR/$name.milk" --replay "$OUT/ref/$name" \
                --size "$SIZE" --frames "$FRAMES" --seed "$SEED" --out "$dir" \
                ${TEXTURES:+--textures "$TEXTURES"} --dump-state "$dir/state.jsonl" </dev/null
        else
            "$KEFIR" render --preset "$PRESETS_DIR/$name.milk" --audio "$WAV" \
                --size "$SIZE" --fps "$FPS" --frames "$FRAMES" --seed "$SEED" --out "$dir" \
                ${TEXTURES:+--textures "$TEXTURES"} </dev/null
        fi
    done
fi

if [[ $STAGE == all || $STAGE == compare ]]; then
    presets | python3 scripts/fidelity/compare.py --ref "$OUT/ref" --kefir "$KOUT" \
        --frames 10,30,60 --sheets "$OUT/sheets-$MODE" | tee "$OUT/scores-$MODE.md"
fi
