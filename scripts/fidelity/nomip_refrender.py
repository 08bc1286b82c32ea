#!/usr/bin/env python3
"""Make a copy of refrender whose butterchurn samples its frame textures
without mipmaps, as MilkDrop 2 does (issue 16).

    python3 scripts/fidelity/nomip_refrender.py SRC DST

butterchurn's warp and composite shaders sample the frame with
LINEAR_MIPMAP_LINEAR (NEAREST_MIPMAP_NEAREST for the pw_/pc_ samplers) and
it calls generateMipmap on the previous frame at the top of every render.
Where a shader's texture coordinates change fast from pixel to pixel (noise
or tan offsets), the GPU picks a higher level: a blurred previous frame in
the warp shader, and in the composite shader a level made two frames
earlier (the current frame's levels above 0 are those of when the texture
was last the previous frame). MilkDrop 2's render targets have one level.
Rendering the pack with this copy (`NOMIP=1 sweep.sh`, into OUT/ref-nomip)
shows which differences that is: where Kefir is much closer to the
mipmap-free butterchurn than to the real one.

Copies SRC to DST (output folders of earlier runs left out), then in DST's
`node_modules/butterchurn/dist/butterchurn.js` turns the minifying filters of
the samplers that the WarpShader and CompShader classes create into their
mipmap-free forms (LINEAR, NEAREST); the shapes', blur and image samplers
stay. Stops if the classes or the five samplers each are not found (the
text of butterchurn 3.0.0-beta.5). Run tap_refrender.py on SRC first: the
copy keeps its tap.
"""
import os
import re
import shutil
import sys

BUNDLE = "node_modules/butterchurn/dist/butterchurn.js"
CLASSES = ("WarpShader", "CompShader")
SAMPLERS = ("mainSampler", "mainSamplerFW", "mainSamplerFC", "mainSamplerPW", "mainSamplerPC")


def class_span(text, name):
    start = text.find(f"\nclass {name} {{")
    if start < 0:
        sys.exit(f"nomip_refrender: class {name} not found in {BUNDLE}")
    end = text.find("\nclass ", start + 1)
    return start, len(text) if end < 0 else end


def patch(text):
    for name in CLASSES:
        start, end = class_span(text, name)
        body = text[start:end]
        for sampler in SAMPLERS:
            pattern = re.compile(
                r"(samplerParameteri\(\s*this\." + sampler + r",\s*gl\.TEXTURE_MIN_FILTER,\s*gl\.)"
                r"(LINEAR_MIPMAP_LINEAR|NEAREST_MIPMAP_NEAREST)")
            body, n = pattern.subn(lambda m: m.group(1) + m.group(2).split("_")[0], body)
            if n != 1:
                sys.exit(f"nomip_refrender: {name}.{sampler}: {n} mipmap filters found, expected 1")
        text = text[:start] + body + text[end:]
    return text


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    src, dst = sys.argv[1], sys.argv[2]
    if not os.path.isfile(os.path.join(src, "render.mjs")):
        sys.exit(f"nomip_refrender: {src} is not a refrender folder")
    if not os.path.isdir(dst):
        keep = {"node_modules", "page", "lib"}
        os.makedirs(dst)
        for entry in os.listdir(src):
            path = os.path.join(src, entry)
            if os.path.isdir(path):
                if entry in keep:
                    shutil.copytree(path, os.path.join(dst, entry), symlinks=True)
            elif entry.endswith((".mjs", ".json", ".md")):
                shutil.copy2(path, dst)
    bundle = os.path.join(dst, BUNDLE)
    with open(bundle, encoding="utf-8") as f:
        text = f.read()
    if "gl.LINEAR_MIPMAP_LINEAR" not in text[slice(*class_span(text, "WarpShader"))]:
        print(f"{dst}: already without mipmaps")
        return 0
    with open(bundle, "w", encoding="utf-8") as f:
        f.write(patch(text))
    print(f"{dst}: butterchurn's warp and composite samplers without mipmaps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
