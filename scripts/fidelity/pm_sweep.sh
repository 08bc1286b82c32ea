#!/usr/bin/env bash
# projectM as a third opinion for the whole-pack sweep (issue 16): renders
# every preset of PRESETS_DIR with Debian's projectM 3.1 through
# ../shared/tools/projectm-harness (pmrender) on sweep.sh's WAV, size and fps,
# saving frames 10, 30 and 60 into OUT/pm/<name>/ (1-based, like refrender),
# where sweep_csv.py finds them (columns pm_vs_bc*, kefir_vs_pm*).
# Resumable (presets with frame 60 are skipped). projectM differs from
# MilkDrop 2 too (its own HLSL translation, a render texture rounded to
# multiples of 16, time in whole ms, its own rand()), so it is an opinion,
# not a reference: where it agrees with butterchurn and Kefir differs from
# both, Kefir is the suspect.
# Not run in CI (needs libprojectm-dev projectm-data and the harness).
# Usage: bash scripts/fidelity/pm_sweep.sh   (after or while sweep.sh runs)
# Environment: SIZE (512x384), OUT (target/fidelity/sweep-SIZE), PMRENDER
#   (~/pm/pmrender, built from HARNESS if missing), HARNESS
#   (../shared/tools/projectm-harness), PRESETS_DIR, ONLY, NAMES (a file of
#   preset names, one a line, instead of the whole pack; as in sweep.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PRESETS_DIR=${PRESETS_DIR:-$ROOT/../shared/presets/butterchurn}
SIZE=${SIZE:-512x384}
OUT=${OUT:-$ROOT/target/fidelity/sweep-$SIZE}
HARNESS=${HARNESS:-$ROOT/../shared/tools/projectm-harness}
PMRENDER=${PMRENDER:-$HOME/pm/pmrender}
if [[ ! -x $PMRENDER ]]; then
    mkdir -p "$(dirname "$PMRENDER")"
    cp "$HARNESS"/Makefile "$HARNESS"/pmrender.cpp "$(dirname "$PMRENDER")/"
    make -s -C "$(dirname "$PMRENDER")"
fi
mkdir -p "$OUT/pm"
WAV=$OUT/audio.wav
[[ -f $WAV ]] || python3 scripts/fidelity/make_wav.py "$WAV"
# shellcheck source=names.sh
source "$ROOT/scripts/fidelity/names.sh"
t0=$(date +%s)
names | while IFS= read -r name; do
    d="$OUT/pm/$name"
    [[ -f $d/frame_000060.png ]] && continue
    mkdir -p "$d"
    timeout 120 "$PMRENDER" --preset "$PRESETS_DIR/$name.milk" --wav "$WAV" --frames 60 --size "$SIZE" \
        --fps 30 --png-frames 10,30,60 --seed 12345 --texture-dir /usr/share/projectM/presets \
        --out "$d" -q </dev/null >"$d/pmrender.log" 2>&1 || echo "PROJECTM FAILED: $name"
done
echo "projectM stage: $(($(date +%s) - t0)) s wall"
