#!/usr/bin/env python3
"""The whole corpus at a glance (issue 16's long tail): which presets render,
which come out black or washed out, and whether a reference draws them so.

The pack sweep (sweep.sh) compares Kefir with butterchurn preset by preset;
this looks at every preset of a directory (by default all of
../shared/presets/cream-of-the-crop) cheaply, to find the ones worth that
closer look. Stages, each resumable:

  render   Kefir in audio mode (sweep.sh's WAV, 30 fps, 60 frames, seed
           12345, SIZE 160x120) and projectM 3.1 (pmrender, same WAV, size,
           fps and seed), keeping frames 30 and 60 (OUT/kefir, OUT/pm).
  score    Per preset: mean grey, lit share (a channel above 12), washed-out
           share, SSIM of Kefir against projectM (OUT/look.csv); flags
           Kefir black at both frames, Kefir black where projectM draws, and
           Kefir washed out (mean above 225) where projectM is not.
  refs     butterchurn references (refrender `render.mjs --milk`, frames 30
           and 60 with state.jsonl and audio.bin) for every flagged preset.
  replay   Kefir replaying each reference's input (`kefir render --replay`),
           as it is and with every butterchurn difference imitated
           (ALL_QUIRKS of names.sh); SSIM against the reference; the summary
           sorts the flagged presets by what the reference says.
  sheet    `look.py sheet OUT.png KEY...`: rows of Kefir (audio mode),
           projectM, Kefir's replay, Kefir's replay with every quirk, and
           butterchurn, frames 30 and 60 each.

Below 512 pixels MilkDrop 2 and butterchurn draw the main wave by
different size rules (butterchurn draws dots and thick waves four times at
any size, MilkDrop 2 only from 512; the faint modes' alpha factors go by
butterchurn's size ranges but by MilkDrop 2's exact 256/512/1024/2048): the
plain replay at 160x120 shows those differences too, the replay with every
difference imitated does not (ALL_QUIRKS holds wave-size).

projectM is a weak reference here (its own HLSL translation falls back on
many shader presets, its own audio analysis), so a flag is a lead, not a
verdict; the replay against butterchurn is what tells a Kefir bug from a
known difference. Keys are the preset's path below PRESETS_DIR with `/` as
`__`. Needs numpy, Pillow, pmrender (see pm_sweep.sh) and refrender's npm
packages; not run in CI.

Usage: python3 scripts/fidelity/look.py [render|score|refs|replay|all]
Environment: PRESETS_DIR, OUT (target/fidelity/look-SIZE), SIZE (160x120),
  JOBS (2), KEFIR (target/release/kefir), PMRENDER (~/pm/pmrender),
  REFRENDER (~/refrender), TEXTURES (../shared/presets/textures).
"""
import csv
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from compare import gray_small, ssim  # noqa: E402
from sweep_csv import bc_failure  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SHARED = os.path.join(ROOT, "..", "shared", "presets")
SIZE = os.environ.get("SIZE", "160x120")
PRESETS_DIR = os.environ.get("PRESETS_DIR", os.path.join(SHARED, "cream-of-the-crop"))
OUT = os.path.abspath(os.environ.get("OUT", os.path.join(ROOT, "target", "fidelity", f"look-{SIZE}")))
JOBS = int(os.environ.get("JOBS", "2"))
KEFIR = os.environ.get("KEFIR", os.path.join(ROOT, "target", "release", "kefir"))
PMRENDER = os.environ.get("PMRENDER", os.path.expanduser("~/pm/pmrender"))
HARNESS = os.environ.get("HARNESS", os.path.join(ROOT, "..", "shared", "tools", "projectm-harness"))
REFRENDER = os.environ.get("REFRENDER", os.path.expanduser("~/refrender"))
TEXTURES = os.environ.get("TEXTURES", os.path.join(SHARED, "textures"))
FRAMES = (30, 60)
SEED = "12345"
LIT = 12  # a pixel is lit when a channel is above this
BLACK = 0.005  # lit share below which a frame counts as black
WASHED = 225  # mean grey above which a frame counts as washed out


def all_quirks():
    for line in open(os.path.join(HERE, "names.sh")):
        if line.startswith("export ALL_QUIRKS="):
            return line.split("=", 1)[1].strip()
    raise SystemExit("names.sh has no ALL_QUIRKS")


def wav():
    path = os.path.join(OUT, "audio.wav")
    if not os.path.exists(path):
        os.makedirs(OUT, exist_ok=True)
        subprocess.run([sys.executable, os.path.join(HERE, "make_wav.py"), path], check=True)
    return path


def presets():
    found = []
    for top, _, files in os.walk(PRESETS_DIR):
        found += [os.path.join(top, f) for f in files if f.lower().endswith(".milk")]
    return sorted(found)


def key_of(path):
    return os.path.relpath(path, PRESETS_DIR)[: -len(".milk")].replace(os.sep, "__")


_PATHS = {}


def path_of(key):
    # A file name may hold `__` itself, so look the key up rather than
    # turning `__` back into `/`.
    if not _PATHS:
        _PATHS.update((key_of(p), p) for p in presets())
    return _PATHS.get(key) or os.path.join(PRESETS_DIR, key.replace("__", os.sep) + ".milk")


def frame(kind, key, n):
    """The path of frame n of `kind` (kefir, pm, ref, replay, replay-all)."""
    digits = 6 if kind in ("pm", "ref") else 5
    return os.path.join(OUT, kind, key, f"frame_{n:0{digits}d}.png")


def render_env(out):
    """The environment for the renderers: an XDG_RUNTIME_DIR under `out`
    when none is set, and GALLIVM_PERF=no_aos_sampling unless set (even to
    nothing): llvmpipe's fast path filters RGBA8 textures in 8-bit fixed
    point and hands the shader the result rounded to a 255th, where GPUs
    (and butterchurn's SwiftShader) keep the fraction; presets that hash
    texture reads (`frac(8 * tex2D(sampler_noise_lq, uv))`) then draw
    another picture (benches/README.md, fifteenth session). Chromium does
    not read it; Kefir gets slower (up to 3x on shader-heavy presets)."""
    e = dict(os.environ)
    if not e.get("XDG_RUNTIME_DIR"):
        e["XDG_RUNTIME_DIR"] = os.path.join(out, "xdg")
        os.makedirs(e["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
    e.setdefault("GALLIVM_PERF", "no_aos_sampling")
    return e


def env():
    return render_env(OUT)


def kefir_render(key, out, extra):
    """Runs `kefir render` into out, keeping only FRAMES and the log."""
    if os.path.exists(os.path.join(out, "done")):
        return
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    args = [KEFIR, "render", "--preset", path_of(key), "--size", SIZE, "--out", tmp,
            "--textures", TEXTURES] + extra
    try:
        r = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env())
        rc, log = r.returncode, r.stderr
    except subprocess.TimeoutExpired:
        rc, log = "timeout", ""
    os.makedirs(out, exist_ok=True)
    for n in FRAMES:
        name = f"frame_{n:05d}.png"
        if os.path.exists(os.path.join(tmp, name)):
            shutil.move(os.path.join(tmp, name), os.path.join(out, name))
    shutil.rmtree(tmp)
    open(os.path.join(out, "log"), "w").write(log)
    open(os.path.join(out, "done"), "w").write(str(rc))


def render_one(path, audio):
    key = key_of(path)
    kefir_render(key, os.path.join(OUT, "kefir", key),
                 ["--audio", audio, "--fps", "30", "--frames", str(max(FRAMES)), "--seed", SEED])
    pm = os.path.join(OUT, "pm", key)
    if not os.path.exists(os.path.join(pm, "done")):
        os.makedirs(pm, exist_ok=True)
        try:
            r = subprocess.run(
                [PMRENDER, "--preset", path, "--wav", audio, "--frames", str(max(FRAMES)),
                 "--size", SIZE, "--fps", "30", "--png-frames", ",".join(map(str, FRAMES)),
                 "--seed", SEED, "--texture-dir", "/usr/share/projectM/presets", "--out", pm,
                 "-q"], capture_output=True, text=True, timeout=300)
            rc = r.returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
        open(os.path.join(pm, "done"), "w").write(str(rc))
    return key


def build_pmrender():
    """Builds pmrender from the harness, as pm_sweep.sh does, when missing."""
    if os.access(PMRENDER, os.X_OK):
        return
    where = os.path.dirname(PMRENDER)
    os.makedirs(where, exist_ok=True)
    for f in ("Makefile", "pmrender.cpp"):
        shutil.copy(os.path.join(HARNESS, f), where)
    subprocess.run(["make", "-s", "-C", where], check=True)


def render():
    build_pmrender()
    audio = wav()
    todo = presets()
    with ThreadPoolExecutor(JOBS) as pool:
        for i, _ in enumerate(pool.map(lambda p: render_one(p, audio), todo)):
            if i % 200 == 0:
                print(f"render: {i} of {len(todo)}", flush=True)
    failed = [k for k in map(key_of, todo)
              if open(os.path.join(OUT, "kefir", k, "done")).read() != "0"]
    print(f"render: {len(todo)} presets, Kefir failed on {len(failed)}: {failed[:10]}")


def load(path):
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.float64)


def stats(rgb):
    return {"mean": rgb.mean(), "lit": (rgb.max(axis=2) > LIT).mean(),
            "washed": (rgb.min(axis=2) > 245).mean()}


def score():
    rows = []
    for path in presets():
        key = key_of(path)
        row = {"key": key}
        for n in FRAMES:
            try:
                k, p = load(frame("kefir", key, n)), load(frame("pm", key, n))
            except OSError:
                row["missing"] = 1
                continue
            for name, v in stats(k).items():
                row[f"kefir_{name}{n}"] = round(v, 4)
            for name, v in stats(p).items():
                row[f"pm_{name}{n}"] = round(v, 4)
            row[f"ssim_pm{n}"] = round(ssim(gray_small(k), gray_small(p)), 4)
        if "missing" not in row:
            black = all(row[f"kefir_lit{n}"] < BLACK for n in FRAMES)
            row["flag"] = (
                "black, projectM draws" if black and row["pm_lit60"] > 0.1 else
                "black" if black else
                "washed out" if row["kefir_mean60"] > WASHED and row["pm_mean60"] < 170 else "")
        rows.append(row)
    fields = ["key", "flag"] + sorted({f for r in rows for f in r} - {"key", "flag"})
    with open(os.path.join(OUT, "look.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fields)
        w.writeheader()
        w.writerows(rows)
    done = [r for r in rows if "missing" not in r]
    flags = [r.get("flag", "") for r in done]
    print(f"score: {len(done)} of {len(rows)} presets with both engines' frames")
    for f in ("black", "black, projectM draws", "washed out"):
        print(f"  Kefir {f}: {flags.count(f)}")
    s = np.array([r["ssim_pm60"] for r in done])
    print(f"  Kefir against projectM, SSIM@60: median {np.median(s):.3f}, mean {s.mean():.3f}")


def flagged():
    with open(os.path.join(OUT, "look.csv")) as f:
        return [r["key"] for r in csv.DictReader(f) if r.get("flag")]


def refs():
    keys = flagged()
    for i, key in enumerate(keys):
        out = os.path.join(OUT, "ref", key)
        if os.path.exists(frame("ref", key, max(FRAMES))) or os.path.exists(out + ".failed"):
            continue
        r = subprocess.run(
            ["node", "render.mjs", "--milk", path_of(key), "--frames", str(max(FRAMES)),
             "--fps", "30", "--size", SIZE, "--audio", "wav:" + wav(), "--seed", SEED,
             "--skip", str(min(FRAMES) - 1), "--every", str(FRAMES[1] - FRAMES[0]), "--out", out],
            cwd=REFRENDER, capture_output=True, text=True, timeout=300)
        os.makedirs(out, exist_ok=True)
        open(os.path.join(out, "log"), "w").write(r.stdout + r.stderr)
        if r.returncode:
            open(out + ".failed", "w").write(r.stderr)
        if i % 20 == 0:
            print(f"refs: {i} of {len(keys)}", flush=True)


def ref_trouble(key):
    """Why butterchurn's picture is not the preset's, if it says so."""
    ref_dir = os.path.join(OUT, "ref", key)
    if not os.path.exists(os.path.join(ref_dir, "log")):
        return "no reference"
    return bc_failure(ref_dir, os.path.join(ref_dir, "log")) or ""


def replay():
    quirks = all_quirks()
    rows = []
    for key in flagged():
        ref_dir = os.path.join(OUT, "ref", key)
        if not os.path.exists(frame("ref", key, max(FRAMES))):
            continue
        row = {"key": key, "trouble": ref_trouble(key)}
        for kind, extra in (("replay", []), ("replay-all", ["--butterchurn", quirks])):
            kefir_render(key, os.path.join(OUT, kind, key), ["--replay", ref_dir] + extra)
            for n in FRAMES:
                try:
                    row[f"{kind}{n}"] = round(ssim(gray_small(load(frame(kind, key, n))),
                                                   gray_small(load(frame("ref", key, n)))), 3)
                except OSError:
                    row[f"{kind}{n}"] = ""
        ref = load(frame("ref", key, max(FRAMES)))
        row["ref_lit60"] = round(stats(ref)["lit"], 4)
        rows.append(row)
    fields = ["key", "trouble", "ref_lit60"] + [f"{k}{n}" for k in ("replay", "replay-all")
                                               for n in FRAMES]
    with open(os.path.join(OUT, "replay.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fields)
        w.writeheader()
        w.writerows(rows)
    clean = [r for r in rows if not r["trouble"]]
    best = lambda r: max(r[f"replay-all{n}"] or 0 for n in FRAMES)  # noqa: E731
    left = [r for r in clean if best(r) < 0.6]
    print(f"replay: {len(rows)} flagged presets with a reference, {len(clean)} that butterchurn "
          f"draws as written; {len(left)} of those stay under SSIM 0.6 at both frames with every "
          "known difference imitated (worth a look):")
    for r in sorted(left, key=best):
        print(f"  {best(r):.3f}  {r['key']}")


def sheet(out, keys):
    w, h = (int(v) for v in SIZE.split("x"))
    cols = [("kefir", n) for n in FRAMES] + [("pm", n) for n in FRAMES] + \
        [("replay", n) for n in FRAMES] + [("replay-all", n) for n in FRAMES] + \
        [("ref", n) for n in FRAMES]
    img = Image.new("RGB", (len(cols) * w + 40, len(keys) * (h + 12)), (40, 40, 40))
    draw = ImageDraw.Draw(img)
    for i, key in enumerate(keys):
        y = i * (h + 12)
        draw.text((2, y), key[-150:], fill=(255, 255, 0))
        for j, (kind, n) in enumerate(cols):
            if os.path.exists(frame(kind, key, n)):
                img.paste(Image.open(frame(kind, key, n)).convert("RGB"),
                          (j * w + 10 * (j // 2), y + 12))
    img.save(out)


def main():
    stage = sys.argv[1] if len(sys.argv) > 1 else "all"
    if stage == "sheet":
        return sheet(sys.argv[2], sys.argv[3:])
    stages = {"render": render, "score": score, "refs": refs, "replay": replay}
    for name in (stages if stage == "all" else [stage]):
        stages[name]()


if __name__ == "__main__":
    main()
