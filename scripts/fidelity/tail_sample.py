#!/usr/bin/env python3
"""Draws a random sample of the long tail for the fidelity sweep.

Picks COUNT presets of cream-of-the-crop that are not in butterchurn's pack
(nor in the samples given with --exclude), shuffled with SEED, and writes
DIR/names.txt (one name a line, as sweep.sh's NAMES reads it) and
DIR/links/NAME.milk (symlinks, for sweep.sh's PRESETS_DIR). The same seed
over the same corpus gives the same sample, so a sweep can be repeated
after a change. Then, from the repository root:

    OUT=DIR/out SIZE=512x384 REF_MILK=1 PRESETS_DIR=DIR/links \\
        NAMES=DIR/names.txt CSV=DIR/tail.csv bash scripts/fidelity/sweep.sh

(REF_MILK=1: butterchurn converts each preset itself.) The sixteenth
session's samples: `--seed 20261206 --count 150`, then `--seed 20261207
--count 100 --exclude` the first one's names.txt (benches/README.md).

Usage: tail_sample.py DIR [--seed N] [--count N] [--exclude NAMES.txt]...
"""
import argparse
import glob
import os
import random

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SHARED = os.path.join(ROOT, "..", "shared", "presets")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--count", type=int, default=150)
    ap.add_argument("--exclude", action="append", default=[],
                    help="a names.txt of an earlier sample to leave out")
    ap.add_argument("--corpus", default=os.path.join(SHARED, "cream-of-the-crop"))
    ap.add_argument("--pack", default=os.path.join(SHARED, "butterchurn"))
    a = ap.parse_args()

    leave_out = {os.path.basename(p)[:-len(".milk")] for p in glob.glob(os.path.join(a.pack, "*.milk"))}
    for path in a.exclude:
        with open(path, encoding="utf-8") as f:
            leave_out.update(line.rstrip("\r\n") for line in f if line.strip())
    # The first file of each name, in path order (a name can sit in two folders).
    paths = {}
    for path in sorted(glob.glob(os.path.join(a.corpus, "**", "*.milk"), recursive=True)):
        name = os.path.basename(path)[:-len(".milk")]
        if name not in leave_out:
            paths.setdefault(name, path)
    names = sorted(paths)
    random.Random(a.seed).shuffle(names)
    pick = names[:a.count]

    links = os.path.join(a.dir, "links")
    os.makedirs(links, exist_ok=True)
    with open(os.path.join(a.dir, "names.txt"), "w", encoding="utf-8") as f:
        f.writelines(name + "\n" for name in pick)
    for name in pick:
        link = os.path.join(links, name + ".milk")
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(os.path.abspath(paths[name]), link)
    print(f"{len(pick)} of {len(names)} presets -> {a.dir}/names.txt, {links}/")


if __name__ == "__main__":
    main()
