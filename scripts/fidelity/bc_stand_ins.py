#!/usr/bin/env python3
"""Write butterchurn's stand-in for the textures it lacks, for Kefir's replay.

butterchurn samples its built-in `clouds2` image (128x128) for any texture a
preset names that it does not have (`ImageTextures.getTexture`), where
MilkDrop 2 (and Kefir) would load the file from the texture directory. To
give Kefir butterchurn's input, this writes that image under every such
name into OUT (`OUT/<name>.jpg`), for `kefir render --textures OUT` ahead
of the texture pack (sweep.sh does).

Usage: bc_stand_ins.py REFRENDER PRESETS_DIR OUT
"""
import base64
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_csv import preset_traits  # noqa: E402

FILTER_PREFIXES = ("fw_", "fc_", "pw_", "pc_")


def clouds2_jpeg(refrender):
    """butterchurn's built-in clouds2 image, as the JPEG bytes it embeds."""
    bundle = os.path.join(refrender, "node_modules", "butterchurn", "dist", "butterchurn.js")
    text = open(bundle, encoding="utf-8").read()
    m = re.search(r'clouds2Image\.src\s*=\s*"data:image/jpeg;base64,([A-Za-z0-9+/=]+)"', text)
    if not m:
        sys.exit(f"{bundle}: no built-in clouds2 image found (another butterchurn version?)")
    return base64.b64decode(m.group(1))


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[-1])
    refrender, presets, out = sys.argv[1:]
    jpeg = clouds2_jpeg(refrender)
    names = set()
    for f in sorted(os.listdir(presets)):
        if f.endswith(".milk"):
            names.update(preset_traits(os.path.join(presets, f)).get("missing_tex", []))
    os.makedirs(out, exist_ok=True)
    # ("sampler_x" is a declaration matched twice, not a name.)
    names = {n for n in names if not n.startswith("sampler_")}
    for name in sorted(names):
        for p in FILTER_PREFIXES:
            if name.startswith(p):
                name = name[len(p):]
        with open(os.path.join(out, name + ".jpg"), "wb") as f:
            f.write(jpeg)
    print(f"{len(names)} texture names butterchurn lacks -> its clouds2 in {out}")


if __name__ == "__main__":
    main()
