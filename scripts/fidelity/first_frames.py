#!/usr/bin/env python3
"""Score first_frames.sh's renders: SSIM (compare.py's) of Kefir's frames
1-3 against butterchurn's, as MilkDrop 2 (`kefir`) and imitating every known
difference (`all`); writes OUT/first.csv and prints the presets whose first
frame differs even with everything imitated, with the sweep's class.

    python3 scripts/fidelity/first_frames.py OUT [--csv benches/fidelity/butterchurn-replay.csv] [--under 0.9]
"""
import argparse
import csv
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import gray_small, load, ssim  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--csv", default="benches/fidelity/butterchurn-replay.csv")
    ap.add_argument("--under", type=float, default=0.9)
    a = ap.parse_args()
    rows = []
    for name in sorted(os.listdir(os.path.join(a.out, "all"))):
        try:
            ref = [gray_small(load(os.path.join(a.out, "ref", name, f"frame_{f:06d}.png"))) for f in (1, 2, 3)]
            got = {m: [gray_small(load(os.path.join(a.out, m, name, f"frame_{f:05d}.png"))) for f in (1, 2, 3)]
                   for m in ("kefir", "all")}
        except (FileNotFoundError, OSError):
            continue
        rows.append((name, [ssim(r, k) for r, k in zip(ref, got["kefir"])],
                     [ssim(r, k) for r, k in zip(ref, got["all"])]))
    if not rows:
        print("no presets scored")
        return 1
    with open(os.path.join(a.out, "first.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["preset", "kefir1", "kefir2", "kefir3", "all1", "all2", "all3"])
        for name, k, al in rows:
            w.writerow([name] + [f"{v:.3f}" for v in k + al])
    print(f"{len(rows)} presets; frame 1 median SSIM: Kefir {np.median([r[1][0] for r in rows]):.3f}, "
          f"imitating everything {np.median([r[2][0] for r in rows]):.3f}; "
          f"under {a.under} imitating everything: {sum(r[2][0] < a.under for r in rows)}")
    sweep = {}
    if os.path.exists(a.csv):
        sweep = {r["preset"]: r for r in csv.DictReader(open(a.csv, encoding="utf-8"))}
    print("kefir1 all1 | ssim10 class | preset | reason")
    for name, k, al in sorted(rows, key=lambda r: r[2][0]):
        if al[0] >= a.under:
            break
        r = sweep.get(name, {})
        print(f"{k[0]:.3f} {al[0]:.3f} | {r.get('ssim10', '?')} {r.get('class', '?')} | {name[:60]} | "
              f"{r.get('reason', '')[:100]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
