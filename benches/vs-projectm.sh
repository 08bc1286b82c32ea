#!/usr/bin/env bash
# Kefir against projectM 3.1.12 (Debian's libprojectM, through
# ../shared/tools/projectm-harness) on the same presets, the same audio and
# the same size, interleaved (projectM, Kefir, projectM, Kefir, ...) so both
# see the same machine load; prints the ratio table (process CPU ms per
# frame and median wall ms per frame, Kefir / projectM) and the geometric
# means. See benches/README.md ("Kefir vs projectM") for recorded figures.
#
# usage: benches/vs-projectm.sh [OUT_DIR]
#   env: FRAMES (300), SIZE (1280x720), ROUNDS (2), KEFIR (target/release/kefir),
#        PMRENDER (built from HARNESS if missing), HARNESS (../shared/tools/projectm-harness),
#        KEFIR_ARGS (extra `kefir bench` flags, e.g. "--render-scale 0.5"), PRESETS (newline-separated)
#
# Needs: apt-get install libprojectm-dev projectm-data libegl-dev libgl-dev libpng-dev
#        build-essential pkg-config; cargo build --release -p kefir.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-/tmp/kefir-vs-projectm}"
FRAMES="${FRAMES:-300}"
SIZE="${SIZE:-1280x720}"
ROUNDS="${ROUNDS:-2}"
KEFIR="${KEFIR:-$ROOT/target/release/kefir}"
HARNESS="${HARNESS:-$ROOT/../shared/tools/projectm-harness}"
KEFIR_ARGS="${KEFIR_ARGS:-}"
D=/usr/share/projectM/presets
PRESETS="${PRESETS:-$D/presets_milkdrop/Aderrasi - Airs.milk
$D/presets_milkdrop_200/EoS - glowsticks v2 02.milk
$D/presets_milkdrop_200/Aderrasi + Geiss - Airhandler (Kali Mix) - Canvas Mix.milk
$D/presets_milkdrop_200/Benski - Atom Smasher.milk
$D/presets_mischa_collection/Flexi + fiShbRaiN - operation fatcap II.milk
$ROOT/benches/empty.milk}"

[ -d "$D" ] || { echo "projectM's presets are missing: apt-get install projectm-data" >&2; exit 2; }
[ -x "$KEFIR" ] || { echo "$KEFIR is missing: cargo build --release -p kefir" >&2; exit 2; }
if [ -z "${PMRENDER:-}" ]; then
  PMRENDER="$OUT/harness/pmrender"
  if [ ! -x "$PMRENDER" ]; then
    mkdir -p "$OUT/harness"
    cp "$HARNESS"/Makefile "$HARNESS"/pmrender.cpp "$OUT/harness/"
    make -s -C "$OUT/harness" >/dev/null
  fi
fi
mkdir -p "$OUT"

# Textures: projectM scans the whole preset tree; Kefir looks in the listed
# directories (not below them), so hand it every directory holding images.
TEXTURE_ARGS=()
while IFS= read -r dir; do
  TEXTURE_ARGS+=(--textures "$dir")
done < <(find "$D" -type f \( -iname '*.jpg' -o -iname '*.png' -o -iname '*.tga' -o -iname '*.bmp' -o -iname '*.dds' \) \
           -printf '%h\n' | sort -u)

i=0
while IFS= read -r P; do
  [ -n "$P" ] || continue
  i=$((i + 1))
  for r in $(seq 1 "$ROUNDS"); do
    R="$OUT/p${i}_r${r}"
    mkdir -p "$R"
    cut -d' ' -f1-3 /proc/loadavg > "$R/loadavg_projectm.txt"
    "$PMRENDER" --preset "$P" --synth --frames "$FRAMES" --size "$SIZE" --fps 60 --out "$R" \
      --texture-dir "$D" --write-wav "$R/audio.wav" -q > "$R/projectm.txt" 2> "$R/projectm.err" || {
      echo "projectM failed on $P (see $R/projectm.err)" >&2; continue; }
    cut -d' ' -f1-3 /proc/loadavg > "$R/loadavg_kefir.txt"
    # shellcheck disable=SC2086
    "$KEFIR" bench "$P" --frames "$FRAMES" --size "$SIZE" --fps 60 --audio "$R/audio.wav" \
      "${TEXTURE_ARGS[@]}" --no-cost-file --json $KEFIR_ARGS > "$R/kefir.json" 2> "$R/kefir.err" || {
      echo "Kefir failed on $P (see $R/kefir.err)" >&2; continue; }
  done
done <<< "$PRESETS"

python3 - "$OUT" "$SIZE" "$FRAMES" <<'EOF'
import glob, json, math, os, sys
out, size, frames = sys.argv[1:4]
rows = {}
for d in sorted(glob.glob(os.path.join(out, "p*_r*"))):
    try:
        pm = json.load(open(os.path.join(d, "stats.json")))
        k = json.load(open(os.path.join(d, "kefir.json")))["presets"][0]
    except (OSError, ValueError, IndexError, KeyError):
        continue
    load = open(os.path.join(d, "loadavg_projectm.txt")).read().split()[0]
    name = os.path.basename(pm["preset"]).rsplit(".", 1)[0]
    r = rows.setdefault(name, {"pm_cpu": [], "k_cpu": [], "pm_wall": [], "k_wall": [], "load": []})
    r["pm_cpu"].append(pm["cpu_ms_per_frame_median"])
    r["k_cpu"].append(k["cpu"]["median"])
    r["pm_wall"].append(pm["frame_ms_median"])
    r["k_wall"].append(k["frame"]["median"])
    r["load"].append(load)
med = lambda v: sorted(v)[len(v) // 2]
print(f"{size}, {frames} frames, synth audio (the same samples for both), median over rounds\n")
print("| preset | projectM CPU ms/frame | Kefir CPU ms/frame | ratio | projectM median ms | Kefir median ms | ratio | load avg |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
cpu_ratios, wall_ratios = [], []
for name, r in rows.items():
    pc, kc, pw, kw = (med(r[x]) for x in ("pm_cpu", "k_cpu", "pm_wall", "k_wall"))
    if name != "empty":
        cpu_ratios.append(kc / pc)
        wall_ratios.append(kw / pw)
    print(f"| {name} | {pc:.1f} | {kc:.1f} | {kc / pc:.2f} | {pw:.1f} | {kw:.1f} | {kw / pw:.2f} | {' '.join(r['load'])} |")
geo = lambda v: math.exp(sum(map(math.log, v)) / len(v)) if v else float("nan")
print(f"| geometric mean (without empty) | | | {geo(cpu_ratios):.2f} | | | {geo(wall_ratios):.2f} | |")
EOF
