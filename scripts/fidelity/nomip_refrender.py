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
was last the previous frame). Its textured custom shapes sample the
previous frame with LINEAR_MIPMAP_LINEAR too, so a shape whose tex_zoom
shows the frame smaller than the shape reads it blurred, where MilkDrop 2
reads its one level (sharp, aliased). MilkDrop 2's render targets have one
level.
Rendering the pack with this copy (`NOMIP=1 sweep.sh`, into OUT/ref-nomip)
shows which differences that is: where Kefir is much closer to the
mipmap-free butterchurn than to the real one.

Copies SRC to DST (output folders of earlier runs left out), then in DST's
`node_modules/butterchurn/dist/butterchurn.js` turns the minifying filters of
the samplers that the WarpShader and CompShader classes create, and the
custom shapes' (`CustomShape$1`) one, into their mipmap-free forms (LINEAR,
NEAREST); the blur and image samplers stay. Stops if the classes or their
samplers are not found (the text of butterchurn 3.0.0-beta.5). A DST made
before the shapes were patched gets their patch. Run tap_refrender.py on
SRC first: the copy keeps its tap.
"""
import os
import re
import shutil
import sys

BUNDLE = "node_modules/butterchurn/dist/butterchurn.js"
# The classes (as their declarations start) and the samplers each creates.
SHADER_SAMPLERS = ("mainSampler", "mainSamplerFW", "mainSamplerFC", "mainSamplerPW", "mainSamplerPC")
CLASSES = (
    ("\nclass WarpShader {", SHADER_SAMPLERS),
    ("\nclass CompShader {", SHADER_SAMPLERS),
    ("\nlet CustomShape$1 = class CustomShape {", ("mainSampler",)),
)
MIPMAPPED = r"(LINEAR_MIPMAP_LINEAR|NEAREST_MIPMAP_NEAREST)"


def class_span(text, declaration):
    start = text.find(declaration)
    if start < 0:
        sys.exit(f"nomip_refrender: {declaration.strip()!r} not found in {BUNDLE}")
    end = min((i for i in (text.find("\nclass ", start + 1), text.find("\nlet ", start + 1)) if i >= 0),
              default=len(text))
    return start, end


def sampler_pattern(sampler, filters):
    return re.compile(
        r"(samplerParameteri\(\s*this\." + sampler + r",\s*gl\.TEXTURE_MIN_FILTER,\s*gl\.)" + filters)


def patch(text):
    """`text` with every listed sampler mipmap-free (those already so stay)."""
    for declaration, samplers in CLASSES:
        start, end = class_span(text, declaration)
        body = text[start:end]
        for sampler in samplers:
            done = len(sampler_pattern(sampler, r"(LINEAR|NEAREST)\b").findall(body))
            body, n = sampler_pattern(sampler, MIPMAPPED).subn(
                lambda m: m.group(1) + m.group(2).split("_")[0], body)
            if n + done != 1:
                sys.exit(f"nomip_refrender: {declaration.strip()} {sampler}: "
                         f"{n} mipmap filters found, expected 1")
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
    patched = patch(text)
    if patched == text:
        print(f"{dst}: already without mipmaps")
        return 0
    with open(bundle, "w", encoding="utf-8") as f:
        f.write(patched)
    print(f"{dst}: butterchurn's warp, composite and custom-shape samplers without mipmaps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
