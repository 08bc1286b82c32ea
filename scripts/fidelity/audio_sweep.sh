#!/usr/bin/env bash
# Issue 16's audio mode over the pack: Kefir analysing sweep.sh's WAV itself
# (as users run it, no replayed input) against the butterchurn references
# sweep.sh left in OUT/ref, scored by sweep_csv.py into a CSV of its own.
#
# Renders `kefir render --audio OUT/audio.wav --fps 30 --frames 60 --seed
# 12345` into OUT/kefir-audio/<name> (frames 10..60 kept, resumable,
# KEFIR_REDO=1 renders again), then scores them through OUT/audio-mode, a
# directory of links (ref, logs, and kefir -> kefir-audio) that sweep_csv.py
# reads as a sweep of its own. The classes in that CSV mostly say "input":
# the two engines' levels differ from the first frame (benches/README.md,
# "Audio analysis against butterchurn").
#
# Run sweep.sh first (its references and WAV). Not run in CI.
# Usage: OUT=target/fidelity/sweep-512x384 bash scripts/fidelity/audio_sweep.sh
# Environment: as sweep.sh (OUT, SIZE, JOBS, PRESETS_DIR, TEXTURES, KEFIR,
#   NAMES, ONLY, KEFIR_REDO, STAGE render|csv|all), CSV
#   (benches/fidelity/butterchurn-audio.csv).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export PRESETS_DIR=${PRESETS_DIR:-$ROOT/../shared/presets/butterchurn}
export TEXTURES=${TEXTURES:-$ROOT/../shared/presets/textures}
export SIZE=${SIZE:-512x384}
JOBS=${JOBS:-2}
export OUT=${OUT:-$ROOT/target/fidelity/sweep-$SIZE}
CSV=${CSV:-$ROOT/benches/fidelity/butterchurn-audio.csv}
STAGE=${STAGE:-all}
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$HOME/.cache/xdg}
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
export WAV=$OUT/audio.wav
[[ -f $WAV ]] || { echo "no $WAV: run sweep.sh first" >&2; exit 1; }
# shellcheck source=names.sh
source "$ROOT/scripts/fidelity/names.sh"
use_kefir

audio_run() {
    local name=$1 kef=$OUT/kefir-audio/$1
    [[ ${KEFIR_REDO:-0} == 1 ]] && rm -rf "$kef"
    [[ -f $kef/frame_00060.png ]] && return 0
    mkdir -p "$kef"
    if timeout 300 "$KEFIR" render --preset "$PRESETS_DIR/$name.milk" --audio "$WAV" --fps 30 \
        --frames 60 --seed 12345 --size "$SIZE" --out "$kef" --dump-state "$kef/state.jsonl" \
        --textures "$OUT/bc-stand-ins" ${TEXTURES:+--textures "$TEXTURES"} \
        </dev/null >"$kef/kefir.log" 2>&1; then
        find "$kef" -name 'frame_*.png' ! -name 'frame_000[1-6]0.png' -delete
    else
        echo "KEFIR FAILED: $name (see $kef/kefir.log)"
    fi
}
export -f audio_run

if [[ $STAGE == all || $STAGE == render ]]; then
    t0=$(date +%s)
    names | tr '\n' '\0' | xargs -0 -P "$JOBS" -I{} bash -c 'audio_run "$1"' _ {}
    echo "audio render stage: $(($(date +%s) - t0)) s wall, $(names | wc -l) presets, JOBS=$JOBS"
fi
if [[ $STAGE == all || $STAGE == csv ]]; then
    view=$OUT/audio-mode
    mkdir -p "$view"
    ln -sfn "$OUT/ref" "$view/ref"
    ln -sfn "$OUT/logs" "$view/logs"
    ln -sfn "$OUT/kefir-audio" "$view/kefir"
    names | python3 scripts/fidelity/sweep_csv.py --out "$view" --presets "$PRESETS_DIR" \
        --csv "$CSV" --no-sheets
fi
