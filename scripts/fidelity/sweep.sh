#!/usr/bin/env bash
# The whole-pack fidelity sweep (issue 16): every preset of PRESETS_DIR
# rendered by butterchurn (refrender) and replayed into Kefir (`kefir render
# --replay`), then scored by sweep_csv.py into one CSV row per preset.
#
# Resumable: a preset whose reference frames already exist is not rendered
# again, nor are Kefir frames that exist (KEFIR_REDO=1 renders Kefir again for
# every preset, e.g. after an engine fix; it takes a few minutes). Parallel:
# JOBS presets at a time (one Chromium per preset; refrender has no
# multi-preset mode). Only frames 10, 20, ..., 60 are kept (refrender
# --skip 9 --every 10; Kefir's other frames are deleted), the state of every
# frame is kept for state_diff.py and the triage. Presets that a difference
# of butterchurn from MilkDrop 2 can touch are also rendered with Kefir
# imitating it (`kefir render --butterchurn QUIRK`, into
# OUT/kefir-bc-QUIRK), so the triage can tell it from others: late-blur for
# shaders that read a blur level, warp-rad-ang and comp-rad-ang for warp or
# composite shaders that read rad or ang, roam for shaders that read roam_*,
# matrices for shaders that build matrices, hue for presets that show the
# hue shader (a composite shader reading hue_shader, or fShader above 0),
# wave-vars for presets with custom-wave per-point code and wave init or
# per-frame code, nan for shaders that take sqrt, rsqrt, log, acos, asin,
# normalize or pow or divide (or take a remainder) by anything but a number,
# colour-clamp for presets whose shape or custom-wave code sets colours or
# whose per-frame code sets border or motion-vector colours or decay,
# main-wrap for shaders reading the plain sampler_main (or GetPixel) with
# bTexWrap=0 and for per-frame code that sets wrap (butterchurn wraps
# whenever it is not 0, MilkDrop 2's built-in warp above 0.5), wave-gate
# for presets whose fWaveAlpha is 0.001 or less,
# frame-alpha for presets with textured shapes, mv-order and mv-length
# for presets that draw motion vectors, wave-window for every
# preset (butterchurn's 512 waveform samples, MilkDrop 2's 480), wave-size for presets whose main wave
# may be in mode 3 (at 512 pixels the only mode whose alpha the two size
# rules part on), wave-mode5 for presets whose main wave may be in mode 5,
# float-mod for shaders that take a %,
# pixel-ang for per-pixel code that reads ang, division for equation code
# that divides, rand for equation code whose rand() takes anything but a
# whole number, filters for presets without a composite shader that
# brighten, solarize or set a gamma below 1 with video echo, comp-frame
# for presets with a composite shader stage (PSVERSION or PSVERSION_COMP),
# vol for shaders that read vol or vol_att, anisotropic for shaders that
# read a noise or user texture with tex2D, mipmaps for every preset (every
# warp reads the frame);
# and all of them at once for every preset (OUT/kefir-bc-all). NOMIP=1 also
# renders every reference again with a copy of refrender whose butterchurn
# samples its frames without mipmaps (nomip_refrender.py; OUT/ref-nomip),
# as MilkDrop 2 does (about 40 more minutes at JOBS=2): the check of the
# mipmaps imitation, and what sweep_csv.py scores the mipmaps difference
# by where Kefir's imitation was not rendered (sweeps before it).
#
# Not run in CI (needs Chromium and refrender's npm packages; see run.sh).
# Usage (from the repository root):
#   nohup nice -n 10 bash scripts/fidelity/sweep.sh > target/fidelity/sweep.log 2>&1 &
# Environment: SIZE (512x384), JOBS (2), OUT (target/fidelity/sweep-SIZE),
#   PRESETS_DIR (../shared/presets/butterchurn), REFRENDER (~/refrender),
#   TEXTURES (../shared/presets/textures, given to Kefir after butterchurn's
#   stand-ins for the textures it lacks, see bc_stand_ins.py; empty: none),
#   KEFIR (this checkout's dev build, built now), ONLY (substring filter),
#   NAMES (a file of preset names, one a line, instead of the whole pack),
#   KEFIR_REDO (1: render Kefir again), REF_TIMEOUT (300 s per preset),
#   CSV (benches/fidelity/butterchurn-replay.csv), STAGE (all|render|csv),
#   NOMIP (1: the mipmap-free references too), REF_MILK (1: butterchurn
#   converts each .milk itself, `render.mjs --milk`, for presets outside its
#   pack, e.g. a sample of cream-of-the-crop; a shader its converter fails on
#   is drawn with its default shader, and sweep_csv.py says so).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export REFRENDER=${REFRENDER:-$HOME/refrender}
export PRESETS_DIR=${PRESETS_DIR:-$ROOT/../shared/presets/butterchurn}
# MilkDrop's texture pack: butterchurn has its images (seaweed, lichen,
# cells, clouds2, ...) built in, so Kefir gets them too.
export TEXTURES=${TEXTURES:-$ROOT/../shared/presets/textures}
export SIZE=${SIZE:-512x384}
JOBS=${JOBS:-2}
export OUT=${OUT:-$ROOT/target/fidelity/sweep-$SIZE}
export FPS=30 FRAMES=60 SEED=12345
export REF_TIMEOUT=${REF_TIMEOUT:-300}
CSV=${CSV:-$ROOT/benches/fidelity/butterchurn-replay.csv}
STAGE=${STAGE:-all}
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$HOME/.cache/xdg}
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
mkdir -p "$OUT/ref" "$OUT/kefir" "$OUT/logs"
# butterchurn's random numbers and noise textures go to Kefir too
# (rand.jsonl per preset, one ref/noise.bin): see tap_refrender.py.
python3 scripts/fidelity/tap_refrender.py "$REFRENDER" >/dev/null
if [[ ! -f $OUT/ref/noise.bin ]]; then
    (cd "$REFRENDER" && node render.mjs --preset "Geiss - Spiral Artifact" --frames 1 --size 64x48 \
        --seed "$SEED" --dump-noise --out "$OUT/noise-run") >/dev/null
    mv "$OUT/noise-run/noise.bin" "$OUT/ref/noise.bin"
    rm -rf "$OUT/noise-run"
fi
# butterchurn samples its clouds2 image for textures it lacks: Kefir gets the
# same under those names, ahead of the texture pack.
python3 scripts/fidelity/bc_stand_ins.py "$REFRENDER" "$PRESETS_DIR" "$OUT/bc-stand-ins" >/dev/null
if [[ ${NOMIP:-0} == 1 ]]; then
    python3 scripts/fidelity/nomip_refrender.py "$REFRENDER" "$OUT/refrender-nomip" >/dev/null
fi
export WAV=$OUT/audio.wav
[[ -f $WAV ]] || python3 scripts/fidelity/make_wav.py "$WAV"
# shellcheck source=names.sh
source "$ROOT/scripts/fidelity/names.sh"
use_kefir

if [[ ${KEFIR_REDO:-0} == 1 ]]; then
    # Only the Kefir frames of the presets this run works on (NAMES, ONLY);
    # the references stay.
    names | while IFS= read -r name; do
        for dir in "$OUT"/kefir "$OUT"/kefir-bc-*; do
            rm -rf "${dir:?}/$name"
        done
    done
fi

one() {
    name=$1
    log="$OUT/logs/$name.log"
    ref="$OUT/ref/$name"
    kef="$OUT/kefir/$name"
    # rand.jsonl only matters to presets that draw random numbers or noise.
    want_rand=0
    grep -qiE 'rand|noise' "$PRESETS_DIR/$name.milk" && want_rand=1
    source_args=(--preset "$name")
    [[ ${REF_MILK:-0} == 1 ]] && source_args=(--milk "$PRESETS_DIR/$name.milk")
    if [[ ! -f $ref/frame_000060.png || ! -f $ref/state.jsonl ]] ||
        [[ $want_rand == 1 && ! -f $ref/rand.jsonl ]]; then
        t0=$(date +%s.%N)
        if (cd "$REFRENDER" && timeout "$REF_TIMEOUT" node render.mjs "${source_args[@]}" --frames "$FRAMES" \
            --fps "$FPS" --size "$SIZE" --audio "wav:$WAV" --seed "$SEED" --skip 9 --every 10 \
            --dump-rand --out "$ref") </dev/null >"$log" 2>&1; then
            echo "ref $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s: $name"
        else
            echo "REF FAILED: $name (see $log)"
            return 0
        fi
    fi
    if [[ ${NOMIP:-0} == 1 && ! -f $OUT/ref-nomip/$name/frame_000060.png ]]; then
        (cd "$OUT/refrender-nomip" && timeout "$REF_TIMEOUT" node render.mjs "${source_args[@]}" \
            --frames "$FRAMES" --fps "$FPS" --size "$SIZE" --audio "wav:$WAV" --seed "$SEED" \
            --skip 9 --every 10 --out "$OUT/ref-nomip/$name") </dev/null >>"$log" 2>&1 ||
            echo "NOMIP REF FAILED: $name (see $log)"
    fi
    kefir_run "$name" "$kef" --dump-state "$kef/state.jsonl"
    if grep -qiE 'getblur|sampler_blur' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-late-blur/$name" --butterchurn late-blur
    fi
    if grep -qiE '^warp_[0-9]+=.*\b(rad|ang)\b' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-warp-rad-ang/$name" --butterchurn warp-rad-ang
    fi
    if grep -qiE '^comp_[0-9]+=.*\b(rad|ang)\b' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-comp-rad-ang/$name" --butterchurn comp-rad-ang
    fi
    if grep -qiE '^(warp|comp)_[0-9]+=.*roam_' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-roam/$name" --butterchurn roam
    fi
    if grep -qiE '^(warp|comp)_[0-9]+=.*float[234]x[234]' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-matrices/$name" --butterchurn matrices
    fi
    if grep -qiE '^(warp|comp)_[0-9]+=.*hue_shader|^fShader=([1-9]|0*\.0*[1-9])' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-hue/$name" --butterchurn hue
    fi
    if grep -qiE '^wave_[0-9]+_per_point[0-9]+=.*[a-z]' "$PRESETS_DIR/$name.milk" &&
        grep -qiE '^wave_[0-9]+_(init|per_frame)[0-9]+=.*[a-z]' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-wave-vars/$name" --butterchurn wave-vars
    fi
    if grep -qiE '^(warp|comp)_[0-9]+=.*(\b(sqrt|rsqrt|log|log2|log10|acos|asin|normalize|pow)[[:space:]]*\(|[/%][[:space:]]*[a-z_(])' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-nan/$name" --butterchurn nan
    fi
    if grep -qiE '^(shape|wave)_[0-9]+_per_(frame|point)[0-9]+=.*\b(r|g|b|a|r2|g2|b2|a2|border_[rgba])[[:space:]]*=[^=]|^per_frame_[0-9]+=.*\b((ob|ib|mv)_[rgba]|decay)[[:space:]]*=[^=]' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-colour-clamp/$name" --butterchurn colour-clamp
    fi
    if { grep -qiE '^(warp|comp)_[0-9]+=.*(\bsampler_main\b|GetPixel)' "$PRESETS_DIR/$name.milk" &&
        grep -qiE '^bTexWrap=0' "$PRESETS_DIR/$name.milk"; } ||
        grep -qiE '^per_frame_[0-9]+=.*\bwrap[[:space:]]*=[^=]' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-main-wrap/$name" --butterchurn main-wrap
    fi
    if grep -qE '^fWaveAlpha=0*(\.0*1?0*)?[[:space:]]*$' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-wave-gate/$name" --butterchurn wave-gate
    fi
    if grep -qiE '^shapecode_[0-9]+_textured=[1-9]|^shape_[0-9]+_(init|per_frame)[0-9]+=.*\btextured[[:space:]]*=[^=]' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-frame-alpha/$name" --butterchurn frame-alpha
    fi
    if grep -qiE '^mv_a=0*([1-9]|\.0*[1-9])|^per_frame_[0-9]+=.*\bmv_a[[:space:]]*=[^=]' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-mv-order/$name" --butterchurn mv-order
        kefir_run "$name" "$OUT/kefir-bc-mv-length/$name" --butterchurn mv-length
    fi
    if grep -qiE '^nWaveMode=3|^per_frame_[0-9]+=.*\bwave_mode[[:space:]]*=[^=]' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-wave-size/$name" --butterchurn wave-size
    fi
    if grep -qiE '^nWaveMode=5|^per_frame_[0-9]+=.*\bwave_mode[[:space:]]*=[^=]' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-wave-mode5/$name" --butterchurn wave-mode5
    fi
    if grep -qE '^(warp|comp)_[0-9]+=[^/]*[A-Za-z0-9_).][[:space:]]*%' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-float-mod/$name" --butterchurn float-mod
    fi
    if grep -qiE '^per_pixel_[0-9]+=[^/]*\bang\b' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-pixel-ang/$name" --butterchurn pixel-ang
    fi
    if grep -qiE '^(per_|wave_[0-9]+_|shape_[0-9]+_)[a-z_]*[0-9]+=[^/]*/[^/]' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-division/$name" --butterchurn division
    fi
    if grep -qiE '^(per_|wave_[0-9]+_|shape_[0-9]+_)[a-z_]*[0-9]+=[^/]*\brand[[:space:]]*\([[:space:]]*([0-9]*\.[0-9]*[1-9]|[^0-9 ])' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-rand/$name" --butterchurn rand
    fi
    if ! grep -qiE '^comp_[0-9]+=' "$PRESETS_DIR/$name.milk" &&
        { grep -qiE '^b(Brighten|Solarize)=[1-9]|^per_frame_[0-9]+=.*\b(brighten|solarize|gamma)[[:space:]]*=[^=]' "$PRESETS_DIR/$name.milk" ||
          { grep -qiE '^fGammaAdj=0*\.' "$PRESETS_DIR/$name.milk" && grep -qiE '^fVideoEchoAlpha=0*\.0*[1-9]|^fVideoEchoAlpha=[1-9]' "$PRESETS_DIR/$name.milk"; }; }; then
        kefir_run "$name" "$OUT/kefir-bc-filters/$name" --butterchurn filters
    fi
    if grep -qiE '^PSVERSION(_COMP)?=[1-9]' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-comp-frame/$name" --butterchurn comp-frame
    fi
    if grep -qiE '^(warp|comp)_[0-9]+=.*\bvol(_att)?\b' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-vol/$name" --butterchurn vol
    fi
    if grep -qiE '^shapecode_[0-9]+_textured=[1-9]|^shape_[0-9]+_(init|per_frame)[0-9]+=.*\btextured[[:space:]]*=[^=]' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-shape-wrap/$name" --butterchurn shape-wrap
    fi
    if grep -qiE '^comp_[0-9]+=.*\buv_orig\b' "$PRESETS_DIR/$name.milk"; then
        kefir_run "$name" "$OUT/kefir-bc-comp-uv-orig/$name" --butterchurn comp-uv-orig
    fi
    if grep -iE '^(warp|comp)_[0-9]+=' "$PRESETS_DIR/$name.milk" |
        grep -ioE 'tex2D[[:space:]]*\([[:space:]]*sampler_[a-z0-9_]+' |
        grep -qviE 'sampler_(f[wc]_|p[wc]_)?(main|blur[123])$|sampler_p[wc]_'; then
        kefir_run "$name" "$OUT/kefir-bc-anisotropic/$name" --butterchurn anisotropic
    fi
    # Nearly every preset draws a main wave or a waveform custom wave.
    kefir_run "$name" "$OUT/kefir-bc-wave-window/$name" --butterchurn wave-window
    # Nearly every preset draws waves, shapes or borders.
    kefir_run "$name" "$OUT/kefir-bc-pixel-centres/$name" --butterchurn pixel-centres
    # Every preset's warp reads the frame (the built-in one too).
    kefir_run "$name" "$OUT/kefir-bc-mipmaps/$name" --butterchurn mipmaps
    # All of them at once, for every preset: how close Kefir comes to
    # butterchurn when it imitates every difference known.
    kefir_run "$name" "$OUT/kefir-bc-all/$name" \
        --butterchurn "$ALL_QUIRKS"
}

# kefir_run NAME DIR [ARGS...]: Kefir replays NAME's reference into DIR.
kefir_run() {
    local name=$1 kef=$2
    shift 2
    [[ -f $kef/frame_00060.png ]] && return 0
    rm -rf "$kef"
    mkdir -p "$kef"
    if timeout 300 "$KEFIR" render --preset "$PRESETS_DIR/$name.milk" --replay "$OUT/ref/$name" \
        --size "$SIZE" --frames "$FRAMES" --seed "$SEED" --out "$kef" "$@" \
        --textures "$OUT/bc-stand-ins" ${TEXTURES:+--textures "$TEXTURES"} </dev/null >"$kef/kefir.log" 2>&1; then
        find "$kef" -name 'frame_*.png' ! -name 'frame_000[1-6]0.png' -delete
    else
        echo "KEFIR FAILED: $name (see $kef/kefir.log)"
    fi
}
export -f one kefir_run

if [[ $STAGE == all || $STAGE == render ]]; then
    t0=$(date +%s)
    names | tr '\n' '\0' | xargs -0 -P "$JOBS" -I{} bash -c 'one "$1"' _ {}
    echo "render stage: $(($(date +%s) - t0)) s wall, $(names | wc -l) presets, JOBS=$JOBS, SIZE=$SIZE"
fi
if [[ $STAGE == all || $STAGE == csv ]]; then
    mkdir -p "$(dirname "$CSV")"
    names | python3 scripts/fidelity/sweep_csv.py --out "$OUT" --presets "$PRESETS_DIR" --csv "$CSV"
fi
