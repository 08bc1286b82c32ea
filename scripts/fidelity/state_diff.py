#!/usr/bin/env python3
"""Per-frame variables of Kefir against butterchurn, frame by frame.

    python3 scripts/fidelity/state_diff.py REF_DIR KEFIR_DIR [--tol 1e-4] [--all]

REF_DIR/state.jsonl is refrender's (its `frameVars`, the per-frame variables
after the frame equations); KEFIR_DIR/state.jsonl is what `kefir render
--replay REF_DIR --dump-state` wrote (same names). For every variable both
have, prints the largest absolute difference, the frame where it occurs and
the first frame that differs by more than --tol; only differing variables
unless --all. A variable that drifts from frame 1 points at an equation or
input difference; one that starts equal and drifts later at accumulated
state (or at time, which Kefir starts one frame later: see
benches/README.md). Not run in CI (see run.sh).
"""
import argparse
import json
import os
import sys


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ref")
    ap.add_argument("kefir")
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--all", action="store_true")
    a = ap.parse_args()
    ref = load(os.path.join(a.ref, "state.jsonl"))
    kef = load(os.path.join(a.kefir, "state.jsonl"))
    n = min(len(ref), len(kef))
    if n == 0:
        sys.exit("no frames to compare")
    frames_ref = []
    for r in ref[:n]:
        v = dict(r.get("frameVars", {}))
        v["time"] = r.get("time")
        v["fps"] = r.get("fps")
        frames_ref.append(v)
    names = [k for k in kef[0] if k in frames_ref[0]]
    print(f"{'variable':<16} {'max |diff|':>12} {'at':>4} {'first>tol':>9}  ref/kefir at max")
    for k in names:
        worst, at, first = 0.0, 0, None
        for i in range(n):
            x, y = frames_ref[i].get(k), kef[i].get(k)
            if not isinstance(x, (int, float)) or not isinstance(y, (int, float)):
                continue
            d = abs(float(x) - float(y))
            if d > worst:
                worst, at = d, i
            if first is None and d > a.tol:
                first = i + 1
        if first is None and not a.all:
            continue
        print(f"{k:<16} {worst:12.6g} {at + 1:4d} {str(first or '-'):>9}  "
              f"{frames_ref[at].get(k)!r} / {kef[at].get(k)!r}")


if __name__ == "__main__":
    main()
