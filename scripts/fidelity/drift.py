#!/usr/bin/env python3
"""The pack over ten seconds (issue 16): where Kefir's picture drifts from
butterchurn's once a preset has run for a while.

The pack sweep (sweep.sh) stops at frame 60 (two seconds); many presets only
reach their look later, and a wrong decay, gamma, clamp or feedback rounding
shows as a frame that slowly darkens, brightens, changes colour or goes
blank. This renders every preset of PRESETS_DIR (by default the butterchurn
pack) for 300 frames (30 fps, sweep.sh's WAV and seed), keeps frames 60,
120, ..., 300 of butterchurn (refrender) and of Kefir replaying
butterchurn's input with every known difference imitated (`kefir render
--replay --butterchurn ALL_QUIRKS`), and compares what survives chaos: the
mean grey, each channel's mean, the lit and washed-out shares, and SSIM.
Stages, each resumable:

  refs     butterchurn's frames, state, audio and random numbers
           (`render.mjs --preset NAME --dump-rand`, OUT/ref/NAME).
  replay   Kefir replaying them (OUT/kefir/NAME).
  score    OUT/drift.csv, a row per preset, and a summary; flags a preset
           whose last two frames (240, 300) are both black where
           butterchurn draws, washed out where it is not, darker or
           brighter by more than DARKER grey levels the same way, or off in
           a colour channel by more than COLOUR levels while the grey
           agrees; each flag is printed with the class and reason the
           pack's triage (PACK_CSV) gives the preset over two seconds.
  sheet    `drift.py sheet OUT.png NAME...`: butterchurn above Kefir,
           frames 60 to 300, a pair of rows a preset.

A flag is a lead: a chaotic preset can end up darker or brighter by
chance, so look at the sheet (and at how the difference grows frame by
frame in the CSV) before calling it a bug. SIZE 256x192 keeps a run near
half an hour on 2 cores; MilkDrop 2's main wave follows the texture size
below 512 pixels where butterchurn's does not, which ALL_QUIRKS' wave-size
imitates. Needs numpy, Pillow and refrender's npm packages (tapped by
tap_refrender.py); not run in CI.

Usage: python3 scripts/fidelity/drift.py [refs|replay|score|all]
Environment: PRESETS_DIR (../shared/presets/butterchurn), OUT
  (target/fidelity/drift-SIZE), SIZE (256x192), JOBS (2), KEFIR
  (target/release/kefir), REFRENDER (~/refrender), TEXTURES
  (../shared/presets/textures), NAMES (a file of preset names instead of
  the whole directory), PACK_CSV (benches/fidelity/butterchurn-replay.csv).
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
from compare import gray_small, load, ssim  # noqa: E402
from look import BLACK, WASHED, all_quirks, render_env, stats  # noqa: E402
from sweep_csv import bc_failure  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SHARED = os.path.join(ROOT, "..", "shared", "presets")
SIZE = os.environ.get("SIZE", "256x192")
PRESETS_DIR = os.environ.get("PRESETS_DIR", os.path.join(SHARED, "butterchurn"))
OUT = os.environ.get("OUT", os.path.join(ROOT, "target", "fidelity", f"drift-{SIZE}"))
JOBS = int(os.environ.get("JOBS", "2"))
KEFIR = os.environ.get("KEFIR", os.path.join(ROOT, "target", "release", "kefir"))
REFRENDER = os.environ.get("REFRENDER", os.path.expanduser("~/refrender"))
TEXTURES = os.environ.get("TEXTURES", os.path.join(SHARED, "textures"))
PACK_CSV = os.environ.get("PACK_CSV",
                          os.path.join(ROOT, "benches", "fidelity", "butterchurn-replay.csv"))
EVERY = 60
FRAMES = tuple(range(EVERY, 301, EVERY))
LAST = FRAMES[-2:]
SEED = "12345"
DARKER = 40  # grey levels: darker or brighter than butterchurn
COLOUR = 50  # levels: a channel off while the grey agrees


def names():
    if os.environ.get("NAMES"):
        return [n.strip() for n in open(os.environ["NAMES"]) if n.strip()]
    return sorted(f[: -len(".milk")] for f in os.listdir(PRESETS_DIR) if f.endswith(".milk"))


def ref_frame(name, n):
    return os.path.join(OUT, "ref", name, f"frame_{n:06d}.png")


def kefir_frame(name, n):
    return os.path.join(OUT, "kefir", name, f"frame_{n:05d}.png")


def env():
    return render_env(OUT)


def setup():
    """The WAV, refrender's tap, butterchurn's noise and its stand-in images."""
    os.makedirs(os.path.join(OUT, "ref"), exist_ok=True)
    wav = os.path.join(OUT, "audio.wav")
    if not os.path.exists(wav):
        subprocess.run([sys.executable, os.path.join(HERE, "make_wav.py"), wav], check=True)
    subprocess.run([sys.executable, os.path.join(HERE, "tap_refrender.py"), REFRENDER],
                   check=True, capture_output=True)
    noise = os.path.join(OUT, "ref", "noise.bin")  # replay finds it beside each reference
    if not os.path.exists(noise):
        run = os.path.join(OUT, "noise-run")
        subprocess.run(["node", "render.mjs", "--preset", "Geiss - Spiral Artifact", "--frames",
                        "1", "--size", "64x48", "--seed", SEED, "--dump-noise", "--out", run],
                       cwd=REFRENDER, check=True, capture_output=True, env=env())
        shutil.move(os.path.join(run, "noise.bin"), noise)
        shutil.rmtree(run)
    stand_ins = os.path.join(OUT, "bc-stand-ins")
    if not os.path.isdir(stand_ins):
        subprocess.run([sys.executable, os.path.join(HERE, "bc_stand_ins.py"), REFRENDER,
                        PRESETS_DIR, stand_ins], check=True, capture_output=True)
    return wav


def ref_one(name, wav):
    out = os.path.join(OUT, "ref", name)
    if os.path.exists(ref_frame(name, FRAMES[-1])) or os.path.exists(out + ".failed"):
        return
    try:
        r = subprocess.run(
            ["node", "render.mjs", "--preset", name, "--frames", str(FRAMES[-1]), "--fps", "30",
             "--size", SIZE, "--audio", "wav:" + wav, "--seed", SEED, "--skip", str(EVERY - 1),
             "--every", str(EVERY), "--dump-rand", "--out", out],
            cwd=REFRENDER, capture_output=True, text=True, timeout=900, env=env())
        rc, log = r.returncode, r.stdout + r.stderr
    except subprocess.TimeoutExpired:
        rc, log = "timeout", ""
    os.makedirs(out, exist_ok=True)
    open(os.path.join(out, "log"), "w").write(log)
    if rc:
        open(out + ".failed", "w").write(f"{rc}\n{log[-2000:]}")


def each(stage, todo, work, every):
    """Runs work(name) for every name of todo, JOBS at a time, saying how far
    it got every `every` names."""
    with ThreadPoolExecutor(JOBS) as pool:
        for i, _ in enumerate(pool.map(work, todo)):
            if i % every == 0:
                print(f"{stage}: {i} of {len(todo)}", flush=True)


def refs():
    wav = setup()
    todo = names()
    each("refs", todo, lambda n: ref_one(n, wav), 25)
    failed = [n for n in todo if os.path.exists(os.path.join(OUT, "ref", n + ".failed"))]
    print(f"refs: {len(todo)} presets, refrender failed on {len(failed)}: {failed[:10]}")


def replay_one(name, quirks):
    out = os.path.join(OUT, "kefir", name)
    if os.path.exists(os.path.join(out, "done")) or not os.path.exists(ref_frame(name, 300)):
        return
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    args = [KEFIR, "render", "--preset", os.path.join(PRESETS_DIR, name + ".milk"), "--replay",
            os.path.join(OUT, "ref", name), "--size", SIZE, "--frames", str(FRAMES[-1]),
            "--seed", SEED, "--out", tmp, "--butterchurn", quirks,
            "--textures", os.path.join(OUT, "bc-stand-ins"), "--textures", TEXTURES]
    try:
        r = subprocess.run(args, capture_output=True, text=True, timeout=600, env=env())
        rc, log = r.returncode, r.stderr
    except subprocess.TimeoutExpired:
        rc, log = "timeout", ""
    os.makedirs(out, exist_ok=True)
    for n in FRAMES:
        f = f"frame_{n:05d}.png"
        if os.path.exists(os.path.join(tmp, f)):
            shutil.move(os.path.join(tmp, f), os.path.join(out, f))
    shutil.rmtree(tmp)
    open(os.path.join(out, "log"), "w").write(log)
    open(os.path.join(out, "done"), "w").write(str(rc))


def replay():
    setup()
    quirks = all_quirks()
    each("replay", names(), lambda n: replay_one(n, quirks), 50)


def measures(rgb):
    """look.py's lit and washed-out shares, the mean grey (ITU-R 601 luma)
    and each channel's mean."""
    m = stats(rgb)
    del m["mean"]
    m["grey"] = (rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114).mean()
    for i, c in enumerate("rgb"):
        m[c] = rgb[..., i].mean()
    return m


def flag(row):
    """Why the last frames look wrong, if they do ("" if not)."""
    def both(test):
        return all(test(n) for n in LAST)

    if both(lambda n: row[f"kefir_lit{n}"] < BLACK and row[f"ref_lit{n}"] > 0.1):
        return "black where butterchurn draws"
    if both(lambda n: row[f"kefir_grey{n}"] > WASHED and row[f"ref_grey{n}"] < 170):
        return "washed out where butterchurn is not"
    if both(lambda n: row[f"grey_diff{n}"] < -DARKER):
        return "darker"
    if both(lambda n: row[f"grey_diff{n}"] > DARKER):
        return "brighter"
    for c in "rgb":
        d = [row[f"kefir_{c}{n}"] - row[f"ref_{c}{n}"] for n in LAST]
        if all(abs(row[f"grey_diff{n}"]) < DARKER / 2 for n in LAST) and (
                all(x > COLOUR for x in d) or all(x < -COLOUR for x in d)):
            return f"{'more' if d[0] > 0 else 'less'} {dict(r='red', g='green', b='blue')[c]}"
    return ""


def score_one(name):
    row = {"preset": name}
    ref_dir = os.path.join(OUT, "ref", name)
    if not os.path.exists(ref_frame(name, FRAMES[-1])):
        row["trouble"] = "no reference"
        return row
    row["trouble"] = bc_failure(ref_dir, os.path.join(ref_dir, "log")) or ""
    for n in FRAMES:
        try:
            k, b = load(kefir_frame(name, n)), load(ref_frame(name, n))
        except OSError:
            row["trouble"] = row["trouble"] or "no Kefir frames"
            return row
        mk, mb = measures(k), measures(b)
        for m in mk:
            row[f"kefir_{m}{n}"] = round(mk[m], 4)
            row[f"ref_{m}{n}"] = round(mb[m], 4)
        row[f"grey_diff{n}"] = round(mk["grey"] - mb["grey"], 2)
        row[f"ssim{n}"] = round(ssim(gray_small(k), gray_small(b)), 4)
    row["flag"] = flag(row)
    return row


def score():
    with ThreadPoolExecutor(JOBS) as pool:
        rows = list(pool.map(score_one, names()))
    fields = ["preset", "flag", "trouble"] + [f"ssim{n}" for n in FRAMES] + \
        [f"grey_diff{n}" for n in FRAMES]
    fields += sorted({f for r in rows for f in r} - set(fields))
    with open(os.path.join(OUT, "drift.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fields)
        w.writeheader()
        w.writerows(rows)
    done = [r for r in rows if "ssim300" in r]
    clean = [r for r in done if not r["trouble"]]
    print(f"score: {len(rows)} presets, {len(done)} with both engines' frames, {len(clean)} "
          "that butterchurn draws as written")
    print("frame  SSIM median  mean  >=0.8   grey diff median  mean |diff|  |diff|>20")
    for n in FRAMES:
        s = np.array([r[f"ssim{n}"] for r in clean])
        d = np.array([r[f"grey_diff{n}"] for r in clean])
        print(f"{n:5d}  {np.median(s):11.3f}  {s.mean():.3f}  {(s >= 0.8).sum():5d}   "
              f"{np.median(d):16.2f}  {np.abs(d).mean():11.2f}  {(np.abs(d) > 20).sum():9d}")
    flagged = [r for r in clean if r["flag"]]
    triage = pack_triage()
    print(f"flagged at frames {LAST[0]} and {LAST[1]}: {len(flagged)}")
    for r in sorted(flagged, key=lambda r: (r["flag"], r["preset"])):
        diffs = " ".join(f"{r[f'grey_diff{n}']:+.0f}" for n in FRAMES)
        print(f"  {r['flag']:36s} grey diff {diffs:28s} {r['preset']}")
        if r["preset"] in triage:
            print(f"      pack triage: {triage[r['preset']][:160]}")


def pack_triage():
    """The pack sweep's class and reason per preset, where it has them."""
    try:
        with open(PACK_CSV, newline="") as f:
            return {r["preset"]: f"{r['class']}: {r['reason']}" for r in csv.DictReader(f)
                    if r.get("class")}
    except OSError:
        return {}


def sheet(out, keys):
    w, h = (int(v) for v in SIZE.split("x"))
    img = Image.new("RGB", (len(FRAMES) * (w + 4) + 4, len(keys) * (2 * h + 16)), (40, 40, 40))
    draw = ImageDraw.Draw(img)
    for i, name in enumerate(keys):
        y = i * (2 * h + 16)
        draw.text((2, y), name[-120:], fill=(255, 255, 0))
        for j, n in enumerate(FRAMES):
            for row, path in enumerate((ref_frame(name, n), kefir_frame(name, n))):
                if os.path.exists(path):
                    img.paste(Image.open(path).convert("RGB"), (4 + j * (w + 4), y + 14 + row * h))
    img.save(out)


def main():
    stage = sys.argv[1] if len(sys.argv) > 1 else "all"
    if stage == "sheet":
        return sheet(sys.argv[2], sys.argv[3:])
    stages = {"refs": refs, "replay": replay, "score": score}
    for name in (stages if stage == "all" else [stage]):
        stages[name]()


if __name__ == "__main__":
    main()
