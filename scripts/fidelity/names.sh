# Sourced by sweep.sh, pm_sweep.sh, first_frames.sh and audio_sweep.sh.
# Every butterchurn difference `kefir render --butterchurn` imitates, for
# the runs that imitate them all at once.
# llvmpipe filters RGBA8 textures in 8-bit fixed point unless told not to,
# and a shader that hashes a texture read (frac(8 * tex2D(noise, uv)))
# then draws another picture than on a GPU or in butterchurn's SwiftShader:
# Kefir's renders for comparisons take the float path (look.py render_env).
export GALLIVM_PERF=${GALLIVM_PERF-no_aos_sampling}
export ALL_QUIRKS=late-blur,warp-rad-ang,comp-rad-ang,roam,matrices,hue,wave-vars,nan,colour-clamp,main-wrap,wave-gate,frame-alpha,mv-order,mv-length,wave-window,wave-size,wave-mode5,float-mod,pixel-ang,division,rand,filters,comp-frame,vol,shape-wrap,comp-uv-orig,pixel-centres,anisotropic,mipmaps

# `names` prints the presets to work on, one name a line (without `.milk`):
# the lines of the file NAMES, or else every preset of PRESETS_DIR whose name
# holds ONLY, sorted.
names() {
    if [[ -n ${NAMES:-} ]]; then
        grep -v '^$' "$NAMES"
        return
    fi
    find "$PRESETS_DIR" -maxdepth 1 -name '*.milk' -printf '%f\n' | sed 's/\.milk$//' | LC_ALL=C sort |
        grep -F -- "${ONLY:-}"
}

# `use_kefir` sets and exports KEFIR, the kefir binary the runs use: the
# one given, or else this checkout's dev build (optimised, see Cargo.toml;
# built now, so it is never older than the source, and it shares the
# tests' build). Call it from the repository root.
use_kefir() {
    if [[ -z ${KEFIR:-} ]]; then
        cargo build --quiet -p kefir
        KEFIR=$PWD/target/debug/kefir
    fi
    export KEFIR
}
