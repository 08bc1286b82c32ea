#!/usr/bin/env python3
"""Score the whole-pack sweep (sweep.sh) into one CSV row per preset, with a
first triage by rules (issue 16).

Reads preset names on stdin. For each one, from OUT (sweep.sh's layout):

  * SSIM (compare.py's: 80x60 grey, 7x7 window) of Kefir against butterchurn
    at frames 10, 30, 60, their mean, and MAE (0..255, full-size RGB);
  * with projectM frames under OUT/pm/<name>/ (pm_sweep.sh), SSIM of
    projectM against butterchurn and of Kefir against projectM (frames 10
    and 60);
  * the mean grey level of both pictures at frame 10 and 60 (blank, washed
    out or dark pictures show there even at middling SSIM);
  * the first frame at which a per-frame variable (or q1..q32) of Kefir's
    --dump-state differs from butterchurn's state.jsonl (the preset's equations ran on
    different input or state), and which;
  * with Kefir frames under OUT/kefir-bc-all/<name>/ (Kefir imitating all
    of them at once), SSIM of those against butterchurn at frames 10 and 60
    (bc_all10/60) and a summary line of how close that comes;
  * with Kefir frames under OUT/kefir-bc-QUIRK/<name>/ (Kefir imitating one
    of butterchurn's differences from MilkDrop 2, `kefir render
    --butterchurn QUIRK`: sweep.sh renders them for the presets each can
    touch, see QUIRKS), SSIM of those against butterchurn at frames 10
    and 60;
  * with frames of a butterchurn without mipmaps under OUT/ref-nomip/<name>/
    (NOMIP=1 sweep.sh, nomip_refrender.py) and none of Kefir imitating its
    mipmaps (OUT/kefir-bc-mipmaps, sweeps before that imitation), SSIM of
    Kefir against those stands for the `mipmaps` entry of QUIRKS;
  * what the preset's text uses that two engines cannot agree on: rand() in
    its equations, rand_frame/rand_preset or noise textures in its shaders,
    textures butterchurn does not have.

and a class with its reason. The rules, first match wins:

  ok            SSIM@10 >= 0.8 and SSIM@60 >= 0.6
  butterchurn   butterchurn's shader failed to link (its console says so)
  butterchurn   Kefir imitating one of butterchurn's differences (QUIRKS:
                its blur levels a frame late, its warp and composite
                shaders' rad/ang, its roam uniforms, its transposed
                matrices, its hue shader upside down, its custom waves'
                variables shared between init/per-frame and per-point,
                NaN from sqrt/log/acos out of range, shape and wave
                colours clamped, sampler_main clamped with bTexWrap=0,
                the main wave gated on wave_a, textured shapes times
                the frame's alpha, motion vectors after the warp, its
                mipmapped frame; in sweeps before that imitation,
                butterchurn without mipmaps rendering the reference
                again),
                closes at least a quarter of the gap to it at frame 10 or
                60 and is not further at the other. Where an imitation
                moves a preset without explaining it, the reason says so.
  butterchurn   no one imitation does, all of them at once do (and at
                least two move it)
  kefir-bug?    Kefir blank (grey < 2) where butterchurn draws (grey > 10),
                or projectM agrees with butterchurn (>= 0.7 at frame 10)
                while Kefir is under 0.5 against both
  butterchurn   projectM agrees with Kefir (>= 0.5, 0.2 better than with
                butterchurn), or the only state difference is a switch (wrap,
                invert, ...) that butterchurn reads as on when non-zero and
                MilkDrop 2 (and Kefir) above 0.5
  input         the per-frame state differs from frame 1..10 (the equations
                saw different input: rand() streams, its 1-based frame
                counter; butterchurn's extra per-frame run while loading is
                replayed since 2026-12-04), or the
                preset uses rand()/rand_frame/noise textures and SSIM@10 < 0.8.
                With butterchurn's random numbers replayed (refrender tapped,
                Kefir's state.jsonl has rand_unused) only randNN textures
                and rand() values Kefir's code left unused count; with
                butterchurn's stand-ins for the textures it lacks given to
                Kefir too (OUT/bc-stand-ins, bc_stand_ins.py), those do not.
  chaos         SSIM@10 >= 0.8 but it falls by frame 60 (feedback amplifies
                the last bits), or the state agrees and the code is
                sensitive (no other lead)
  butterchurn   (after the above) the per-pixel code reads ang, which
                butterchurn wraps into [0, 2pi) and MilkDrop 2 does not; or
                the composite shader reads ang, which butterchurn turns by
                90 degrees; or an enabled custom wave has sep (butterchurn
                draws samples - sep points, MilkDrop 2 samples).
  kefir-bug?    otherwise: same input, same state, different picture

A manual verdict in scripts/fidelity/triage.tsv (name TAB class TAB reason,
written after looking at the sheets) replaces the rule's class; its reason
comes first. Also writes OUT/sheets/<name>.png (butterchurn on top, Kefir
below, then projectM if present, frames 10/30/60) and prints a summary.
Needs numpy and Pillow. Not run in CI (see sweep.sh).
"""
import argparse
import csv
import json
import os
import re
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import gray_small, load, ssim  # noqa: E402

FRAMES = (10, 30, 60)
SKIP_VARS = {"time", "fps", "frame", "dt", "time_audio", "bass", "mid", "treb", "bass_att",
             "mid_att", "treb_att", "vol", "vol_att", "beat", "progress", "meshx", "meshy",
             "pixelsx", "pixelsy", "aspectx", "aspecty"}
BC_TEXTURES = {"clouds2", "lichen", "seaweed", "cells", "fw_lichen", "fw_seaweed", "fw_cells",
               "noise_lq", "noise_mq", "noise_hq", "noise_lq_lite", "noisevol_lq", "noisevol_hq",
               "pw_noise_lq", "pw_noise_mq", "pw_noise_hq", "pw_noisevol_lq", "pw_noisevol_hq",
               "fc_noise_lq", "fc_noise_mq", "fc_noise_hq", "main", "fw_main", "fc_main", "pw_main",
               "pc_main", "blur1", "blur2", "blur3", "fw_blur1", "fw_blur2", "fw_blur3",
               "fc_blur1", "fc_blur2", "fc_blur3", "pw_blur1", "pw_blur2", "pw_blur3",
               "clouds", "pc_clouds2", "fw_clouds2", "pw_clouds2", "fc_clouds2", "rand00",
               # butterchurn-presets' extra images (refrender's manifest:
               # browser.images)
               "empty", "smalltiled_lizard_scales", "prayerwheel"}


def read_state(path):
    rows = []
    try:
        with open(path) as f:
            for line in f:
                if line.strip():
                    rows.append(json.loads(line))
    except (OSError, ValueError):
        return None
    return rows


BOOL_VARS = {"wrap", "invert", "brighten", "darken", "solarize", "additivewave", "wave_dots",
             "wave_thick", "wave_brighten", "darken_center", "modwavealphabyvolume"}


def state_first_diff(ref_dir, kef_dir, upto=10, snapped=None):
    """(first differing frame, [vars]) over frames 1..upto, or (None, []).

    A switch (wrap, invert, ...) that Kefir reads as on above 0.5 (MilkDrop
    2's snap point) where butterchurn's value is another non-zero number is
    not a difference of the equations: its name goes into `snapped`."""
    ref = read_state(os.path.join(ref_dir, "state.jsonl"))
    kef = read_state(os.path.join(kef_dir, "state.jsonl"))
    if not ref or not kef:
        return None, ["no state"]
    for i in range(min(upto, len(ref), len(kef))):
        # q1..q32 too, where Kefir's state has them (since 2026-12-04).
        rv = {**ref[i].get("qAfterFrame", {}), **ref[i].get("frameVars", {})}
        kv = kef[i]
        bad = []
        for k, y in kv.items():
            if k in SKIP_VARS or k not in rv:
                continue
            x = rv[k]
            if not isinstance(x, (int, float)) or not isinstance(y, (int, float)):
                continue
            if abs(float(x) - float(y)) > 1e-3 * max(1.0, abs(float(x))):
                if k in BOOL_VARS and float(y) == float(float(x) > 0.5):
                    if snapped is not None and k not in snapped:
                        snapped.append(k)
                    continue
                bad.append(k)
        if bad:
            return i + 1, bad
    return None, []


def rand_replay(kef_dir, upto=10):
    """Whether Kefir drew butterchurn's random numbers (rand.jsonl replayed:
    its state.jsonl has rand_unused), and the first frame in 1..upto where
    butterchurn drew rand() values Kefir's code did not use (None if none)."""
    kef = read_state(os.path.join(kef_dir, "state.jsonl")) or []
    if not kef or "rand_unused" not in kef[0]:
        return False, None
    for i, row in enumerate(kef[:upto]):
        if row.get("rand_unused", 0) > 0:
            return True, i + 1
    return True, None


def preset_traits(path):
    try:
        text = open(path, encoding="latin-1").read()
    except OSError:
        return {}
    eq, sh = [], []
    for line in text.splitlines():
        m = re.match(r"\s*([A-Za-z_0-9]+)\s*=(.*)", line)
        if not m:
            continue
        key, val = m.group(1).lower(), m.group(2)
        if key.startswith(("warp_", "comp_")):
            sh.append(val)
        elif re.search(r"(per_frame|per_pixel|per_point|init|_code|point)", key) or re.match(
                r"(shape|wave)_?\d+_(per_frame|per_point|init)", key):
            eq.append(val)
    eqs, shs = "\n".join(eq).lower(), "\n".join(sh).lower()
    warp = "\n".join(
        line.split("=", 1)[1] for line in text.splitlines() if line.lower().startswith("warp_")).lower()
    tex = set(re.findall(r"sampler_([a-z0-9_]+)", shs))
    missing = sorted(t for t in tex if t not in BC_TEXTURES and not t.startswith("rand"))
    return {
        "rand_eq": bool(re.search(r"\brand\s*\(", eqs)),
        "rand_sh": bool(re.search(r"rand_(frame|preset)", shs)),
        "noise_tex": any(t.startswith(("noise", "pw_noise", "fw_noise", "fc_noise", "noisevol", "rand"))
                         for t in tex),
        # randNN: a random user texture; butterchurn has none to pick from.
        "rand_tex": any(re.match(r"(\w\w_)?rand\d\d", t) for t in tex),
        "missing_tex": missing,
        "shaders": bool(sh),
        "frame_eq": bool(re.search(r"\bframe\b", eqs)),
        # `&` or `|` beside another operator with no bracket between them:
        # butterchurn's EEL parser (eel-wasm) binds & and | tighter than
        # every other operator, unary minus included (refrender, per-frame
        # q's: 8-3&1 = 7, 2*3&1 = 2, 6|1*2 = 14, -2.5&3 = -2); MilkDrop 2's
        # ns-eel2 grammar puts them below + and - ((8-3)&1 = 1,
        # (-2)&3 = 2), as Kefir.
        "bitop_mixed": any(BITOP_MIXED.search(line.split("//")[0]) for line in eq),
        # a code block numbered with a gap (per_frame_1..15, then 24..48):
        # MilkDrop 2 reads lines 1, 2, ... up to the first missing number
        # (as Kefir, which warns); butterchurn-presets' converter kept the
        # lines after the gap.
        "code_gap": code_gaps(text),
        # the code uses b1n, b1x, b2n, b2x, b3n, b3x or b1ed as variables:
        # in butterchurn those are the file's blur settings under their file
        # names, preset variables reset to the file's value every frame; in
        # MilkDrop 2 (and Kefir) the settings are blur1_min ... and b1x is
        # an ordinary variable of the code (0 until set, kept across frames).
        "blur_key_vars": sorted(set(re.findall(r"\b(b[123][nx]|b1ed)\b", eqs))),
        # the code sets `gamma`: MilkDrop 2's per-frame name for the
        # display gamma (var_pf_gamma in state.cpp), as in Kefir;
        # butterchurn's is `gammaadj` alone, so `gamma = 2` does nothing.
        "gamma_var": bool(re.search(r"\bgamma\s*=(?!=)", eqs)),
        # rad/ang in a shader: butterchurn computes them per pixel, MilkDrop 2
        # interpolates the mesh's per-vertex values (as Kefir).
        "radang_sh": bool(re.search(r"\b(rad|ang)\b", shs)),
        # the composite shader reads ang: butterchurn's is turned 90 degrees
        # (atan(uv.x - 0.5, uv.y - 0.5)); MilkDrop 2's comp grid has
        # atan2(y, x), as Kefir (and projectM).
        "ang_comp": bool(re.search(r"\bang\b", "\n".join(
            line.split("=", 1)[1] for line in text.splitlines()
            if line.lower().startswith("comp_")).lower())),
        # per-pixel code reads ang: butterchurn wraps it into [0, 2pi), MilkDrop
        # 2 keeps atan2f's (-pi, pi] (as Kefir); differs in the lower half.
        "ang_pp": bool(re.search(r"\bang\b", "\n".join(
            line.split("=", 1)[1] for line in text.splitlines()
            if line.lower().startswith("per_pixel_")).lower())),
        # the warp shader reads a blur: feedback through a blur level (see
        # BLUR_LAG for how butterchurn's differ).
        "blur_warp": bool(re.search(r"getblur|sampler_blur", warp)),
        # an enabled custom wave with sep: butterchurn (and projectM 4) draw
        # samples - sep points; MilkDrop 2 recomputes nSamples = min(512,
        # samples) after the wave's per-frame code, so sep only shifts the
        # window (as in Kefir).
        "wave_sep": any(
            float((re.search(rf"^wavecode_{k}_enabled=(\S+)", text, re.M | re.I) or [0, "0"])[1]) != 0
            and float((re.search(rf"^wavecode_{k}_sep=(\S+)", text, re.M | re.I) or [0, "0"])[1]) != 0
            for k in range(4)),
    }


def bc_failure(ref_dir, log_path=None):
    """What butterchurn's browser console (or, for `render.mjs --milk`, its
    HLSL converter) says went wrong with its shaders."""
    try:
        with open(log_path, errors="replace") as log:
            m = re.search(r"(\w+) shader HLSL->GLSL conversion failed", log.read())
        if m:
            return f"its converter failed on the {m.group(1)} shader, default drawn"
    except (OSError, TypeError):
        pass
    try:
        log = json.load(open(os.path.join(ref_dir, "manifest.json"))).get("consoleLog", [])
    except (OSError, ValueError):
        return None
    for line in log:
        if "not linked" in line or "compile" in line.lower() and "error" in line.lower():
            return "program not linked" if "not linked" in line else line[:60]
    return None


def pm_failure(pm_dir):
    try:
        return "Failed to compile" in open(os.path.join(pm_dir, "pmrender.log"),
                                           errors="replace").read()
    except OSError:
        return False


def grey_mean(rgb):
    return float((rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114).mean())


def frames_of(root, name, digits):
    out = []
    for n in FRAMES:
        p = os.path.join(root, name, f"frame_{n:0{digits}d}.png")
        out.append(load(p))
    return out


def sheet(path, rows):
    h, w = rows[0][0].shape[:2]
    out = np.full((len(rows) * (h + 4), len(rows[0]) * (w + 4), 3), 128, dtype=np.uint8)
    for j, row in enumerate(rows):
        for i, img in enumerate(row):
            if img.shape[:2] != (h, w):
                img = np.asarray(Image.fromarray(img.astype(np.uint8)).resize((w, h)), dtype=np.float64)
            out[j * (h + 4):j * (h + 4) + h, i * (w + 4):i * (w + 4) + w] = img.astype(np.uint8)
    Image.fromarray(out, "RGB").save(path)


# butterchurn's differences from MilkDrop 2 that `kefir render --butterchurn
# QUIRK` imitates (sweep.sh renders them into OUT/kefir-bc-QUIRK), and why.
QUIRKS = {
    "late-blur": (
        "butterchurn's blur levels are a frame late: its blur1 pass draws the just-warped texture "
        "at half size, so the GPU samples its mip level 1, made two frames earlier "
        "(generateMipmap(prevTexture) at the top of render); MilkDrop 2 blurs the previous frame "
        "(BlurPasses reads m_lpVS[0]), as Kefir"),
    "warp-rad-ang": (
        "the warp shader reads rad/ang: butterchurn computes them as length(uv_orig - 0.5) (half "
        "MilkDrop 2's scale, no aspect) and atan(uv_orig.x - 0.5, uv_orig.y - 0.5) (a quarter "
        "turn on); MilkDrop 2 passes the mesh's per-vertex rad/ang (m_verts[].rad/ang: "
        "aspect-corrected, atan2(y, x)), as Kefir"),
    "comp-rad-ang": (
        "the composite shader reads rad/ang: butterchurn computes them as length(uv - 0.5) "
        "(0.71 at the corners, no aspect) and atan(uv.x - 0.5, uv.y - 0.5); MilkDrop 2's "
        "composite grid has UvToMathSpace's (aspect-corrected, 1 at the corners, atan2(y, x) "
        "in 0..2pi), as Kefir"),
    "roam": (
        "roam uniforms: MilkDrop 2 sets roam_cos/roam_sin to 0.5+0.5*cos/sin(time*{0.329,1.293,"
        "5.070,20.051}+{1.2,3.9,2.5,5.4}) and slow_roam_* with rates {0.0050,0.0085,0.0133,"
        "0.0217} and phases {2.7,5.3,4.5,3.8} (ApplyShaderParams), as Kefir; butterchurn drops "
        "the phases and rounds the rates"),
    "matrices": (
        "the shaders build matrices: butterchurn's converter turns float2x2(...)/float3x3(...) "
        "into GLSL's column-major mat2/mat3 and keeps mul's operand order, so its matrices are "
        "transposed (mul(float2(1,0), float2x2(.2,.8,.4,.6)) is (.2,.4) in butterchurn, (.2,.8) "
        "in HLSL, MilkDrop 2 and Kefir)"),
    "hue": (
        "the hue shader's four colours: butterchurn mixes them over its composite grid with y "
        "running down the screen, so its tint is MilkDrop 2's upside down (ShowToUser_Shaders "
        "weighs shade[0] by x*y with y up, as Kefir; without a composite shader "
        "ShowToUser_NoShaders puts shade[i] on corner i of a two-triangle quad, as Kefir)"),
    "wave-vars": (
        "a custom wave's per-point code reads variables its init or per-frame code sets: "
        "butterchurn runs all three on one variable pool a wave, MilkDrop 2 runs per-point code "
        "in a VM of its own (m_pp_eel beside m_pf_eel, state.cpp) that shares only q1..q32 and "
        "t1..t8, so there such a variable starts at 0 (as in Kefir)"),
    "nan": (
        "a shader takes sqrt, rsqrt or log of a negative number, or acos/asin outside -1..1: "
        "NaN in butterchurn's GLSL (a black pixel once stored); MilkDrop 2's shaders run on "
        "Direct3D 9, whose rsq and log instructions take the absolute value (sqrt compiles to "
        "rcp(rsq(x)), acos to a cubic times rcp(rsq(1-|x|))), so it gets sqrt(|x|), log(|x|) "
        "and a finite arc cosine, as Kefir; likewise a shader dividing 0 by 0 (an unset q), "
        "multiplying an infinity by 0, taking a remainder by 0 or normalizing a zero vector: "
        "NaN in GLSL, 0 in Direct3D 9, whose multiply makes 0 times anything 0 (fxc writes a/b "
        "as a*rcp(b) and a%b as frc(|a/b|)*b)"),
    "colour-clamp": (
        "shape, custom-wave, border or motion-vector colours, or MilkDrop 1's warp decay, go past "
        "0..1: MilkDrop 2 turns them into bytes as ((int)(v*255)) & 0xFF (milkdropfs.cpp "
        "DrawCustomShapes/DrawCustomWaves/DrawSprites/DrawMotionVectors, WarpedBlit_NoShaders' "
        "cDecay), so 1.5 wraps to 126/255, -0.1 to 230/255 and a decay of 8 to 248/255, as Kefir; "
        "butterchurn passes floats, colours clamped (Kefir's imitation clamps per vertex, "
        "butterchurn after interpolating), decay not"),
    "main-wrap": (
        "a shader reads the plain sampler_main with bTexWrap=0: MilkDrop 2 binds it with WRAP "
        "whatever bTexWrap says (plugin.cpp CacheParams: bWrap = true unless an fc_/pc_ prefix; "
        "bTexWrap only picks the generated warp shader's sampler_fc_main), as Kefir; butterchurn "
        "sets sampler_main's wrap from the frame's wrap value, so it clamps (and wraps whenever "
        "wrap is not 0, where MilkDrop 2's built-in warp wraps above 0.5)"),
    "wave-gate": (
        "the main wave with wave_a at 0.001 or less: butterchurn draws it only when wave_a > 0.001 "
        "before the volume modulation (its drawWave gate); MilkDrop 2's DrawWave multiplies wave_a "
        "by the unclamped volume factor ((vol - start) / (end - start)) and draws, as Kefir"),
    "frame-alpha": (
        "textured shapes: butterchurn's shape shader multiplies the vertex colour by the texel, "
        "alpha included, and its frame's alpha is 0 in the new texture of frame 1 (so textured "
        "shapes are not drawn there) and below 1 wherever translucent shapes or waves were "
        "blended the frame before (WebGL blends the alpha channel as the colour); MilkDrop 2's "
        "feedback texture has no alpha channel (X8R8G8B8, read as 1), so its textured shapes "
        "take the vertex alpha alone, as Kefir"),
    "mv-order": (
        "motion vectors: MilkDrop 2 draws them into the previous frame before the warp "
        "(DrawMotionVectors into VS[0], then WarpedBlitFromVS0ToVS1), so they go through the "
        "warp in the frame they are drawn, as in Kefir; butterchurn draws them into the new frame "
        "after the warp"),
    "mv-length": (
        "motion vectors: MilkDrop 2 draws each as long as mv_l times the warp's motion "
        "(DrawMotionVectors stretches only those shorter than a texel), as Kefir; butterchurn's "
        "generateMotionVectors sets every longer one to one texel across and keeps its height "
        "(dxi = minLen twice, where dyi was meant), so its vectors are vertical strokes"),
    "wave-window": (
        "the waves' samples: MilkDrop 2 draws the main wave and waveform custom waves from "
        "NUM_WAVEFORM_SAMPLES = 480 (DrawWave takes nVerts from (480 - nVerts)/2, mode 0 240 "
        "points over 6.28 rad; DrawCustomWaves centres on 480), as Kefir; butterchurn from its "
        "512 (mode 0 256 points over 2 pi, reads past the end wrapping), so its waves show "
        "another stretch of the sound, drawn wider"),
    "wave-size": (
        "the main wave's size rules: MilkDrop 2's DrawWave draws dots and thick waves four times "
        "only from m_nTexSizeX 512 up and switches on exactly 256/512/1024/2048 for the faint "
        "modes' alpha (mode 3 setting alpha = 0.15 at 512, whatever wave_a), as Kefir; "
        "butterchurn's drawWave draws the four copies at any size and picks the factors by "
        "range, mode 3's multiplying wave_a"),
    "wave-mode5": (
        "the main wave in mode 5: MilkDrop 2's DrawWave scales the figure by the aspect and adds "
        "the position (x*m_fAspectY + fWavePosX), as Kefir; butterchurn's drawWave multiplies by "
        "(aspecty + wavePosX), so wave_x and wave_y grow the figure about the centre instead of "
        "moving it"),
    "float-mod": (
        "a shader takes the float remainder % of a negative number: HLSL's % truncates as C's "
        "fmod (-3 % 2 is -1; fxc compiles it to frc(|a/b|)*|b| with a's sign), in MilkDrop 2 as "
        "in Kefir (WGSL's % is the same); butterchurn's converter writes GLSL's mod(), which "
        "floors (-3 % 2 is 1)"),
    "pixel-ang": (
        "per-pixel code reads ang: butterchurn hands it atan2 wrapped into [0, 2pi) (its "
        "Utils.atan2 adds 2pi to negative angles), MilkDrop 2 atan2f's (-pi, pi] "
        "(m_vertinfo[].ang), as Kefir"),
    "division": (
        "equation code divides by 0 inside a larger expression: MilkDrop 2's ns-eel2 divides "
        "with a plain fdiv (nseel_asm_div), so x/0 is +-inf there (min(1, .05/0) is 1, "
        "above(1/0, 5) is 1, 2 + 1/0 is stored as 0 by =), as Kefir; butterchurn's div gives 0 "
        "for any divisor of 0 (min(1, .05/0) is 0)"),
    "rand": (
        "equation code calls rand() with a number that is not whole (rand(0.8), rand(q1)): MilkDrop 2's "
        "nseel_int_rand scales its uniform number by max(floor(n), 1), so rand(0.8) reaches 1, as "
        "Kefir; butterchurn's eel-wasm shim by n itself (Math.random() * n)"),
    "filters": (
        "no composite shader, and brighten, solarize or a gamma below 1 with video echo: MilkDrop "
        "2's ShowToUser_NoShaders filters with blends (brighten: invert, square, invert, so "
        "1 - (1 - x)^2; solarize 2x(1 - x)) and applies gamma as additive redraws, each echo "
        "layer drawn at least once, as Kefir; butterchurn's built-in composite takes sqrt(x), "
        "4x(1 - x) and multiplies by gamma"),
    "comp-frame": (
        "a composite shader (the preset's, or the one MilkDrop 2 generates): MilkDrop 2's reads "
        "sampler_main as ApplyShaderParams binds it for both stages, m_lpVS[0], the warp's "
        "source (the previous frame with this frame's motion vectors, the image the blur levels "
        "are made from), so the picture is a frame behind the shapes and waves, as Kefir; "
        "butterchurn's reads the new frame"),
    "vol": (
        "a shader reads vol or vol_att: MilkDrop 2's ApplyShaderParams writes "
        "0.3333f*(bass, mid, treb), which C's comma operator makes a third of treb (of "
        "treb_att), as Kefir; butterchurn's is the mean of the three"),
    "shape-wrap": (
        "textured shapes: MilkDrop 2 sets no address mode for them, so they sample the previous "
        "frame as Direct3D 9's sampler 0 was left: clamped after the blur passes (when a shader "
        "reads a blur level), wrapped after a shader warp (RestoreShaderParams), else by the "
        "MilkDrop 1 warp's wrap, as Kefir; butterchurn's shape sampler always repeats"),
    "comp-uv-orig": (
        "a composite shader reads uv_orig: MilkDrop 2 defines it as a second name of uv "
        "(szCompDefines: #define uv_orig _uv.xy //[sic]), so after uv = ... it reads the new "
        "value, as Kefir; butterchurn's uv_orig is a varying of its own, the screen position"),
    "pixel-centres": (
        "waves, shapes, borders or motion vectors: MilkDrop 2 draws them in clip space on "
        "Direct3D 9, whose pixel centres sit on integer coordinates, with no half-pixel "
        "correction, so the same geometry lights pixels half a pixel further right and down "
        "than in WebGL (thin geometry other pixels or none), as Kefir; butterchurn's are WebGL's"),
    "anisotropic": (
        "a shader reads a noise or user texture with tex2D: MilkDrop 2's ApplyShaderParams "
        "filters linearly within and between mip levels (bAniso = false), taking the level from "
        "the read's longer side, as Kefir; butterchurn sets the maximum anisotropy on its "
        "textures, and SwiftShader then takes the level from the shorter side and averages "
        "reads along the longer one, so minified reads are sharper there"),
    # Imitated by `--butterchurn mipmaps`; in sweeps before that, scored
    # against the reference rendered again by a butterchurn without mipmaps
    # (nomip_refrender.py, NOMIP=1 sweep.sh).
    "mipmaps": (
        "butterchurn samples the frame with mipmaps (LINEAR_MIPMAP_LINEAR, generateMipmap on "
        "the previous frame at the top of render): where a read's texture coordinates change "
        "fast from pixel to pixel (a zoom below 1, noise or tan offsets), the GPU reads a "
        "higher level, a blurred previous frame in the warp (its default warp shader too) and "
        "in the composite a level made two frames earlier; MilkDrop 2's render targets have one "
        "level, as Kefir's"),
}


def quirk_gain(r, quirk):
    """How Kefir imitating a butterchurn quirk scores: (explains, text). It
    explains the difference when it closes at least a quarter of the gap at
    frame 10 or 60 and is no further at the other."""
    if quirk not in r["quirks"]:
        return False, ""
    e10, e60 = r["quirks"][quirk]
    how = ("against butterchurn without mipmaps (nomip_refrender.py)"
           if quirk == "mipmaps" and r.get("mipmaps_by_nomip")
           else f"with it imitated (kefir render --replay --butterchurn {quirk})")
    return closes_gap(r, e10, e60), (
        f"{how} SSIM@10 {r['ssim10']:.2f} -> {e10:.2f}, @60 {r['ssim60']:.2f} -> {e60:.2f}")


def closes_gap(r, e10, e60):
    """Whether an imitation scoring e10/e60 closes at least a quarter of the
    gap at frame 10 or 60 and is no further at the other."""
    s10, s60 = r["ssim10"], r["ssim60"]
    closes = (e10 - s10 >= max(0.02, (1 - s10) / 4)) or (e60 - s60 >= max(0.05, (1 - s60) / 4))
    return closes and e10 >= s10 - 0.01 and e60 >= s60 - 0.02


def quirk_explaining(r):
    """The quirk whose imitation explains the difference best, or None."""
    best = None
    for quirk in QUIRKS:
        if quirk_gain(r, quirk)[0]:
            e10, e60 = r["quirks"][quirk]
            gain = max(e10 - r["ssim10"], e60 - r["ssim60"])
            if best is None or gain > best[0]:
                best = (gain, quirk)
    return best and best[1]


def quirk_notes(r):
    """What imitating each quirk changed where it moved the picture without
    explaining it."""
    notes = []
    for quirk, (e10, e60) in r["quirks"].items():
        if abs(e10 - r["ssim10"]) >= 0.02 or abs(e60 - r["ssim60"]) >= 0.05:
            notes.append(f"; {quirk}: {quirk_gain(r, quirk)[1]} (not the main difference)")
    return "".join(notes)


CODE_LINE = re.compile(
    r"^(per_frame_init_|per_frame_|per_pixel_|warp_|comp_|"
    r"(?:wave|shape)_\d+_(?:per_frame|per_point|init))(\d+)\s*=", re.I)


def code_gaps(text):
    """The code blocks whose line numbers skip one with lines after it."""
    numbers = {}
    for line in text.splitlines():
        m = CODE_LINE.match(line.strip())
        if m:
            numbers.setdefault(m.group(1).lower(), set()).add(int(m.group(2)))
    gaps = []
    for base, ns in sorted(numbers.items()):
        run = 0
        while run + 1 in ns:
            run += 1
        if max(ns) > run:
            gaps.append(f"{base}{run + 1}")
    return gaps


# An `&`/`|` (not `&&`, `||`, `&=`, `|=`) with an operand and another
# operator on either side of it.
BITOP_MIXED = re.compile(
    r"[-+*/%^]\s*[\w.]+\s*(?<![&|])[&|](?![&|=])"
    r"|(?<![&|])[&|](?![&|=])\s*[\w.]+\s*[-+*/%^]")


def classify(r):
    cls, why = classify_by_rules(r)
    if cls != "ok" and not r.get("quirk"):
        why += quirk_notes(r)
    return cls, why


def classify_by_rules(r):
    s10, s60 = r["ssim10"], r["ssim60"]
    pm10 = r.get("pm_vs_bc10")
    kpm10 = r.get("kefir_vs_pm10")
    if s10 >= 0.8 and s60 >= 0.6:
        return "ok", "close at frames 10 and 60"
    if r.get("bc_failed"):
        return "butterchurn", "butterchurn's shader did not compile/link (" + r["bc_failed"] + \
            "): it draws without it, MilkDrop 2 would run it"
    r["quirk"] = quirk_explaining(r)
    if r["quirk"]:
        return "butterchurn", f"{QUIRKS[r['quirk']]}; {quirk_gain(r, r['quirk'])[1]}"
    # No one difference explains it, but the ones that touch this preset
    # together do (e.g. per-pixel rad/ang in the warp shader and NaN from
    # acos of numbers past 1 in the composite).
    # (Imitations only: the mipmap-free reference is not part of kefir-bc-all.)
    moved = [q for q, (e10, e60) in r["quirks"].items()
             if not (q == "mipmaps" and r.get("mipmaps_by_nomip"))
             and (abs(e10 - r["ssim10"]) >= 0.02 or abs(e60 - r["ssim60"]) >= 0.05)]
    if "all_quirks" in r and len(moved) >= 2 and closes_gap(r, *r["all_quirks"]):
        a10, a60 = r["all_quirks"]
        r["quirk"] = "several"
        return "butterchurn", (
            f"several of butterchurn's differences at once ({', '.join(moved)}; each alone "
            f"moves it): with all imitated (kefir render --replay --butterchurn "
            f"all of them) SSIM@10 {r['ssim10']:.2f} -> {a10:.2f}, @60 {r['ssim60']:.2f} -> "
            f"{a60:.2f}" + "".join(f"; {q}: {quirk_gain(r, q)[1]}" for q in moved))
    if r["bc_grey10"] > 10 and r["kefir_grey10"] < 2:
        return "kefir-bug?", "Kefir blank where butterchurn draws"
    if pm10 is not None and pm10 >= 0.7 and s10 < 0.5 and (kpm10 is None or kpm10 < 0.5):
        return "kefir-bug?", f"projectM agrees with butterchurn ({pm10:.2f}), Kefir differs from both"
    if kpm10 is not None and kpm10 >= 0.5 and kpm10 > pm10 + 0.2:
        return "butterchurn", f"projectM sides with Kefir ({kpm10:.2f}) against butterchurn ({pm10:.2f})"
    if r.get("snapped") and not r["state_diff_frame"]:
        return "butterchurn", (f"butterchurn reads {'/'.join(r['snapped'])} as on when non-zero, "
                               "MilkDrop 2 above 0.5 (m_fSnapPoint), as Kefir")
    if (r["traits"].get("gamma_var") and r["state_diff_frame"]
            and set(r["state_diff_vars"]) <= {"gammaadj"}):
        return "butterchurn", ("its per-frame code sets gamma, MilkDrop 2's per-frame name for the "
                               "display gamma (var_pf_gamma, state.cpp), which Kefir follows; "
                               "butterchurn reads only gammaadj, so the line does nothing there")
    why = []
    if r["state_diff_frame"]:
        why.append(f"per-frame state differs from frame {r['state_diff_frame']} "
                   f"({' '.join(r['state_diff_vars'][:4])})")
    t = r["traits"]
    if r.get("rand_replayed"):
        # Kefir drew butterchurn's numbers and noise: only a mismatch counts.
        uses = ["rand textures"] if t.get("rand_tex") else []
        if r.get("rand_unused_frame"):
            why.append(f"butterchurn's code drew rand() values Kefir's did not use "
                       f"(frame {r['rand_unused_frame']})")
    else:
        uses = [n for n, k in (("rand()", "rand_eq"), ("rand_frame/rand_preset", "rand_sh"),
                               ("noise/rand textures", "noise_tex")) if t.get(k)]
    if t.get("missing_tex") and not r.get("stand_ins"):
        uses.append("textures butterchurn lacks (" + " ".join(t["missing_tex"][:3]) + ")")
    if s10 >= 0.8:
        return "chaos", f"close at frame 10 ({s10:.2f}), diverges by frame 60 ({s60:.2f})" + (
            "; " + "; ".join(why) if why else "")
    if t.get("blur_key_vars"):
        return "butterchurn", ("its code uses " + ", ".join(t["blur_key_vars"]) + " as variables: "
                               "butterchurn has the file's blur settings under these names as "
                               "preset variables, reset to the file's value every frame; MilkDrop 2 "
                               "calls them blur1_min ... and leaves b1x etc. to the code (0 until "
                               "set, kept across frames), as Kefir"
                               + ("; " + "; ".join(why) if why else ""))
    if t.get("code_gap"):
        return "butterchurn", ("a code block skips a line number (" + ", ".join(t["code_gap"][:3]) +
                               " missing): MilkDrop 2 reads up to the first missing number, as "
                               "Kefir (which warns), butterchurn-presets kept the lines after it"
                               + ("; " + "; ".join(why) if why else ""))
    if t.get("bitop_mixed"):
        return "butterchurn", ("its code mixes & or | with other operators unbracketed: "
                               "butterchurn's EEL parser binds & and | tighter than any other "
                               "operator, unary minus included (8-3&1 is 7, -2.5&3 is -2), "
                               "MilkDrop 2's ns-eel2 grammar below + and - ((8-3)&1 is 1), "
                               "as Kefir" + ("; " + "; ".join(why) if why else ""))
    if why or uses:
        return "input", "; ".join(why + (["uses " + ", ".join(uses)] if uses else []))
    if t.get("ang_pp"):
        return "butterchurn", ("per-pixel code reads ang: butterchurn wraps it into [0, 2pi), "
                               "MilkDrop 2 keeps atan2f's (-pi, pi] (m_vertinfo[].ang), as Kefir")
    if t.get("wave_sep"):
        return "butterchurn", ("a custom wave has sep: butterchurn draws samples - sep points, "
                               "MilkDrop 2 min(512, samples) (DrawCustomWaves recomputes nSamples "
                               "after the wave's per-frame code; sep only shifts the window), as Kefir; "
                               "imitated by wave-window (kefir render --replay --butterchurn wave-window)")
    if t.get("ang_comp"):
        return "butterchurn", ("the composite shader reads ang: butterchurn's is turned 90 degrees "
                               "(atan(uv.x - 0.5, uv.y - 0.5)), MilkDrop 2's comp grid has "
                               "atan2(y, x), as Kefir and projectM")
    return "kefir-bug?", "same per-frame state, different picture" + (
        " (its shaders read rad/ang: per pixel in butterchurn, per vertex in MilkDrop 2)"
        if t.get("radang_sh") else "") + (
        " (its warp shader feeds back a blur)" if t.get("blur_warp") else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--presets", required=True)
    ap.add_argument("--csv", required=True)
    ap.add_argument("--triage", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                     "triage.tsv"))
    ap.add_argument("--no-sheets", action="store_true")
    a = ap.parse_args()
    # Only the line break goes: five names of the pack end in a space.
    names = [l.rstrip("\r\n") for l in sys.stdin if l.strip()]
    manual = {}
    if os.path.exists(a.triage):
        for line in open(a.triage, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 3:
                    manual[parts[0]] = (parts[1], parts[2])
    sheets = os.path.join(a.out, "sheets")
    os.makedirs(sheets, exist_ok=True)
    rows, missing = [], []
    for name in names:
        ref_dir = os.path.join(a.out, "ref", name)
        kef_dir = os.path.join(a.out, "kefir", name)
        try:
            refs = frames_of(os.path.join(a.out, "ref"), name, 6)
        except (FileNotFoundError, OSError):
            why = "no butterchurn frames"
            try:
                for line in open(os.path.join(a.out, "logs", name + ".log"), errors="replace"):
                    if "Error" in line:
                        why = "butterchurn failed: " + line.strip()[:120]
                        break
            except OSError:
                pass
            missing.append((name, why))
            continue
        try:
            kefs = frames_of(os.path.join(a.out, "kefir"), name, 5)
        except (FileNotFoundError, OSError):
            missing.append((name, "no Kefir frames"))
            continue
        gr = [gray_small(x) for x in refs]
        gk = [gray_small(x) for x in kefs]
        ss = [ssim(x, y) for x, y in zip(gr, gk)]
        r = {
            "preset": name, "ssim10": ss[0], "ssim30": ss[1], "ssim60": ss[2],
            "ssim_mean": float(np.mean(ss)),
            "mae": float(np.mean([np.abs(x - y).mean() for x, y in zip(refs, kefs)])),
            "bc_grey10": grey_mean(refs[0]), "kefir_grey10": grey_mean(kefs[0]),
            "bc_grey60": grey_mean(refs[2]), "kefir_grey60": grey_mean(kefs[2]),
        }
        pms = None
        try:
            pms = frames_of(os.path.join(a.out, "pm"), name, 6)
        except (FileNotFoundError, OSError):
            pass
        if pms is not None:
            gp = [gray_small(np.asarray(Image.fromarray(p.astype(np.uint8)).resize(
                (refs[0].shape[1], refs[0].shape[0])), dtype=np.float64)) for p in pms]
            r["pm_vs_bc10"] = ssim(gp[0], gr[0])
            r["pm_vs_bc60"] = ssim(gp[2], gr[2])
            r["kefir_vs_pm10"] = ssim(gk[0], gp[0])
            r["kefir_vs_pm60"] = ssim(gk[2], gp[2])
        r["quirks"] = {}
        for quirk in QUIRKS:
            try:
                emu = [gray_small(x) for x in frames_of(os.path.join(a.out, "kefir-bc-" + quirk), name, 5)]
            except (FileNotFoundError, OSError):
                continue
            r["quirks"][quirk] = (ssim(gr[0], emu[0]), ssim(gr[2], emu[2]))
        # Kefir against butterchurn without mipmaps (NOMIP=1 sweep.sh), where
        # Kefir's imitation of them was not rendered.
        if "mipmaps" not in r["quirks"]:
            try:
                nomip = [gray_small(x) for x in frames_of(os.path.join(a.out, "ref-nomip"), name, 6)]
                r["quirks"]["mipmaps"] = (ssim(nomip[0], gk[0]), ssim(nomip[2], gk[2]))
                r["mipmaps_by_nomip"] = True
            except (FileNotFoundError, OSError):
                pass
        r["bc_failed"] = bc_failure(ref_dir, os.path.join(a.out, "logs", name + ".log"))
        if pms is not None and pm_failure(os.path.join(a.out, "pm", name)):
            r["pm_failed"] = True
            for k in ("pm_vs_bc10", "pm_vs_bc60", "kefir_vs_pm10", "kefir_vs_pm60"):
                r.pop(k, None)
        snapped = []
        f, vs = state_first_diff(ref_dir, kef_dir, snapped=snapped)
        r["snapped"] = snapped
        r["state_diff_frame"], r["state_diff_vars"] = f, vs
        r["traits"] = preset_traits(os.path.join(a.presets, name + ".milk"))
        try:
            emu = [gray_small(x) for x in frames_of(os.path.join(a.out, "kefir-bc-all"), name, 5)]
            r["all_quirks"] = (ssim(gr[0], emu[0]), ssim(gr[2], emu[2]))
        except (FileNotFoundError, OSError):
            pass
        r["rand_replayed"], r["rand_unused_frame"] = rand_replay(kef_dir)
        # Kefir had butterchurn's stand-in (its clouds2) for the textures
        # butterchurn lacks (bc_stand_ins.py, sweep.sh).
        r["stand_ins"] = os.path.isdir(os.path.join(a.out, "bc-stand-ins"))
        cls, why = classify(r)
        if name in manual:
            mc, mw = manual[name]
            cls, why = mc, mw + " [rule: " + why + "]"
        r["class"], r["reason"] = cls, why
        rows.append(r)
        if not a.no_sheets and (r["ssim10"] < 0.8 or cls != "ok"):
            sheet(os.path.join(sheets, name + ".png"), [refs, kefs] + ([pms] if pms else []))

    def fmt(v):
        return "" if v is None else f"{v:.3f}"

    with open(a.csv, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["preset", "ssim10", "ssim30", "ssim60", "ssim_mean", "mae",
                    "bc_grey10", "kefir_grey10", "pm_vs_bc10", "pm_vs_bc60", "kefir_vs_pm10",
                    "kefir_vs_pm60"] + [f"bc_{q.replace('-', '_')}{n}" for q in QUIRKS for n in (10, 60)] +
                   ["bc_all10", "bc_all60", "state_diff_frame", "state_diff_vars", "uses", "class", "reason"])
        for r in sorted(rows, key=lambda r: r["preset"].lower()):
            t = r["traits"]
            uses = " ".join(k for k in ("rand_eq", "rand_sh", "noise_tex", "frame_eq", "bitop_mixed", "code_gap", "blur_key_vars", "radang_sh", "ang_pp", "blur_warp",
                                           "shaders")
                            if t.get(k))
            w.writerow([r["preset"], fmt(r["ssim10"]), fmt(r["ssim30"]), fmt(r["ssim60"]),
                        fmt(r["ssim_mean"]), f"{r['mae']:.1f}", f"{r['bc_grey10']:.1f}",
                        f"{r['kefir_grey10']:.1f}", fmt(r.get("pm_vs_bc10")),
                        fmt(r.get("pm_vs_bc60")), fmt(r.get("kefir_vs_pm10")),
                        fmt(r.get("kefir_vs_pm60"))] +
                       [fmt(v) for q in QUIRKS for v in r["quirks"].get(q, (None, None))] +
                       [fmt(v) for v in r.get("all_quirks", (None, None))] +
                       [r["state_diff_frame"] or "",
                        " ".join(r["state_diff_vars"][:6]), uses, r["class"], r["reason"]])
        for name, why in missing:
            w.writerow([name] + [""] * (16 + 2 * len(QUIRKS)) + ["butterchurn" if why.startswith("butterchurn failed")
                                              else "missing", why])

    if not rows:
        print("no presets scored")
        return 1
    s = {n: np.array([r[f"ssim{n}"] for r in rows]) for n in FRAMES}
    print(f"{len(rows)} presets scored, {len(missing)} missing")
    for n in FRAMES:
        print(f"SSIM@{n}: median {np.median(s[n]):.3f} mean {s[n].mean():.3f} "
              f"> 0.5: {(s[n] > 0.5).sum()}  >= 0.8: {(s[n] >= 0.8).sum()}")
    print(f"mean SSIM {np.mean([r['ssim_mean'] for r in rows]):.3f}, "
          f"mean MAE {np.mean([r['mae'] for r in rows]):.1f}")
    classes = {}
    for r in rows:
        classes[r["class"]] = classes.get(r["class"], 0) + 1
    print("classes: " + ", ".join(f"{k} {v}" for k, v in sorted(classes.items())))
    rest = [r for r in rows if r["class"] not in ("butterchurn", "chaos")]
    if rest:
        print(f"issue 16 goal set (not butterchurn/chaos, {len(rest)} presets): mean SSIM@10 "
              f"{np.mean([r['ssim10'] for r in rest]):.3f}, @60 {np.mean([r['ssim60'] for r in rest]):.3f}")
    allq = [r["all_quirks"] for r in rows if "all_quirks" in r]
    if allq:
        q10, q60 = np.array([q[0] for q in allq]), np.array([q[1] for q in allq])
        print(f"with every known butterchurn difference imitated ({len(allq)} presets): SSIM@10 "
              f"median {np.median(q10):.3f} mean {q10.mean():.3f} >= 0.8: {(q10 >= 0.8).sum()}; "
              f"@60 median {np.median(q60):.3f} mean {q60.mean():.3f}")
    pm = [r for r in rows if "pm_vs_bc10" in r]
    if pm:
        print(f"projectM on {len(pm)}: median SSIM@10 projectM vs butterchurn "
              f"{np.median([r['pm_vs_bc10'] for r in pm]):.3f}, Kefir vs projectM "
              f"{np.median([r['kefir_vs_pm10'] for r in pm]):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
