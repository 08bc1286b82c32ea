#!/usr/bin/env python3
"""Score Kefir frames against butterchurn reference frames (issue 5).

Reads preset names (one per line) from stdin or --list, and for each one
compares  REF/<name>/frame_NNNNNN.png  (refrender, 6 digits)  with
KEFIR/<name>/frame_NNNNN.png  (kefir render, 5 digits); both are 1-based
render-call numbers. For each requested frame it computes

  * SSIM of the two frames converted to grayscale (ITU-R 601 luma) and
    downscaled to 80x60 (box filter), with a 7x7 uniform window, the usual
    constants (K1=0.01, K2=0.03, L=255); 1 = identical structure;
  * MAE: mean absolute difference of the full-size RGB values (0..255).

It prints a markdown table, worst (lowest mean SSIM) first. With --sheets DIR
it also writes DIR/<name>.png: reference (top row) above Kefir (bottom row)
for each frame, for looking at the differences. Needs numpy and Pillow.
Not run in CI (see run.sh).
"""
import argparse
import os
import sys

import numpy as np
from PIL import Image

SMALL = (80, 60)


def load(path):
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.float64)


def gray_small(rgb):
    img = Image.fromarray(rgb.astype(np.uint8), "RGB").convert("L")
    img = img.resize(SMALL, Image.Resampling.BOX)
    return np.asarray(img, dtype=np.float64)


def box(a, k):
    """Mean over every k x k window (valid positions only)."""
    c = np.cumsum(np.cumsum(np.pad(a, ((1, 0), (1, 0))), axis=0), axis=1)
    s = c[k:, k:] - c[:-k, k:] - c[k:, :-k] + c[:-k, :-k]
    return s / (k * k)


def ssim(x, y, k=7, data_range=255.0):
    c1 = (0.01 * data_range) ** 2
    c2 = (0.03 * data_range) ** 2
    mx, my = box(x, k), box(y, k)
    n = k * k
    cov_norm = n / (n - 1)  # sample covariance, as skimage
    vx = cov_norm * (box(x * x, k) - mx * mx)
    vy = cov_norm * (box(y * y, k) - my * my)
    vxy = cov_norm * (box(x * y, k) - mx * my)
    s = ((2 * mx * my + c1) * (2 * vxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
    return float(s.mean())


def ref_path(root, name, n):
    return os.path.join(root, name, f"frame_{n:06d}.png")


def kefir_path(root, name, n):
    return os.path.join(root, name, f"frame_{n:05d}.png")


def sheet(path, refs, kefs):
    h, w = refs[0].shape[:2]
    out = np.zeros((2 * h + 4, len(refs) * (w + 4), 3), dtype=np.uint8)
    out[:] = 128
    for i, (r, k) in enumerate(zip(refs, kefs)):
        x = i * (w + 4)
        out[:h, x:x + w] = r.astype(np.uint8)
        out[h + 4:, x:x + w] = k.astype(np.uint8)
    Image.fromarray(out, "RGB").save(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", required=True, help="refrender output root")
    ap.add_argument("--kefir", required=True, help="kefir render output root")
    ap.add_argument("--frames", default="10,30,60")
    ap.add_argument("--list", help="preset list file (default: stdin)")
    ap.add_argument("--sheets", help="write side-by-side PNGs here")
    args = ap.parse_args()
    frames = [int(f) for f in args.frames.split(",")]
    src = open(args.list, encoding="utf-8") if args.list else sys.stdin
    names = [l.strip() for l in src if l.strip() and not l.lstrip().startswith("#")]
    if args.sheets:
        os.makedirs(args.sheets, exist_ok=True)

    rows, missing = [], []
    for name in names:
        try:
            refs = [load(ref_path(args.ref, name, n)) for n in frames]
            kefs = [load(kefir_path(args.kefir, name, n)) for n in frames]
        except FileNotFoundError as e:
            missing.append(f"{name}: {e.filename}")
            continue
        if refs[0].shape != kefs[0].shape:
            missing.append(f"{name}: size {refs[0].shape} vs {kefs[0].shape}")
            continue
        ss = [ssim(gray_small(r), gray_small(k)) for r, k in zip(refs, kefs)]
        mae = float(np.mean([np.abs(r - k).mean() for r, k in zip(refs, kefs)]))
        rows.append((float(np.mean(ss)), name, ss, mae))
        if args.sheets:
            sheet(os.path.join(args.sheets, f"{name}.png"), refs, kefs)

    rows.sort(key=lambda r: r[0])
    head = " | ".join(f"SSIM@{n}" for n in frames)
    print(f"| preset | {head} | mean SSIM | MAE |")
    print("|---|" + "---:|" * (len(frames) + 2))
    for mean, name, ss, mae in rows:
        cells = " | ".join(f"{s:.3f}" for s in ss)
        print(f"| {name} | {cells} | {mean:.3f} | {mae:.1f} |")
    if rows:
        print(f"\n{len(rows)} presets, mean SSIM {np.mean([r[0] for r in rows]):.3f}, "
              f"mean MAE {np.mean([r[3] for r in rows]):.1f}")
    for m in missing:
        print(f"missing: {m}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
