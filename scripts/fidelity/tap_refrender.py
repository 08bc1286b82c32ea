#!/usr/bin/env python3
"""Teach a writable refrender copy to record butterchurn's random input
(issue 16), so `kefir render --replay` can feed Kefir the same numbers.

    python3 scripts/fidelity/tap_refrender.py [REFRENDER]   (default ~/refrender)

Adds to refrender's `render.mjs` and `page/page.js`:

  --dump-rand   rand.jsonl, a line per render call N (1-based):
                {"frame": N, "eel": {PHASE: [u, ...], ...},
                 "warp_rand_frame": [4], "comp_rand_frame": [4], "rand_preset": [4],
                 "rand_start": [4]}
                `eel` holds every Math.random() value the equations drew
                (EEL rand), by the code block that drew it, in drawing order:
                init, load_frame (butterchurn's extra per-frame run while
                loading), wave_initK, shape_initK (all three only in line 1:
                loading happens before the first render call), frame, pixel,
                shape_frameK, wave_frameK, wave_pointK. The shader values are
                read back from the warp and comp programs after the frame
                (butterchurn draws a separate rand_frame for each;
                null where the shader has none); rand_start is the
                hue shader's phases (MilkDrop 2's m_fRandStart).
  --dump-noise  noise.bin: butterchurn's six noise textures as uploaded,
                RGBA8, in this order: noise_lq 256x256, noise_lq_lite 32x32,
                noise_mq 256x256, noise_hq 256x256, noisevol_lq 32x32x32,
                noisevol_hq 32x32x32 (1,052,672 bytes). They depend on the
                seed only: one file serves every preset of a run.

The phase names come from one-line markers put before each equation call in
the copy's `node_modules/butterchurn/dist/butterchurn.js` (exact text of
butterchurn 3.0.0-beta.5; the script stops if a call is not found once).
Math.random is only wrapped, so frames, state and audio stay bit-identical
to an untapped run. Idempotent: a patched file is left alone.
"""
import os
import sys

MARK = "/* kefir-tap */"

BUTTERCHURN = [
    # (text, phase expression, occurrence): the marker goes before the call.
    ("this.preset.init_eqs();", "'init'", 1),
    ("this.preset.frame_eqs();", "'load_frame'", 1),
    ("wave.init_eqs();", "'wave_init' + i", 1),
    ("shape.init_eqs();", "'shape_init' + i", 1),
    ("this.preset.frame_eqs();", "'frame'", 2),
    ("this.preset.waves[waveIdx].frame_eqs();", "'wave_frame' + waveIdx", 1),
    ("presetEquationRunner.preset.waves[this.index].point_eqs();", "'wave_point' + this.index", 1),
    ("presetEquationRunner.preset.shapes[this.index].frame_eqs();", "'shape_frame' + this.index", 1),
    ("presetEquationRunner.preset.pixel_eqs_wasm(", "'pixel'", 1),
]

PAGE_INIT_OLD = """    gl = viz.gl;
"""
PAGE_INIT_NEW = """    gl = viz.gl;
    """ + MARK + """
    if (o.tapRand) {
      // Every Math.random() the equations draw (EEL rand), with the code
      // block butterchurn's patched bundle says is running.
      const drawn = Math.random;
      window.__rrTap = [];
      window.__rrPhase = "?";
      Math.random = () => {
        const v = drawn();
        window.__rrTap.push([window.__rrPhase, v]);
        return v;
      };
    }
"""

PAGE_RET_OLD = """    return {
      images: want,"""
PAGE_RET_NEW = """    """ + MARK + """
    let noise = null;
    if (o.dumpNoise) {
      const n = viz.renderer.noise;
      const parts = [n.nTexArrLQ, n.nTexArrLQLite, n.nTexArrMQ, n.nTexArrHQ, n.nTexArrVolLQ, n.nTexArrVolHQ];
      const all = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
      let at = 0;
      for (const p of parts) { all.set(p, at); at += p.length; }
      noise = b64(all);
    }
    return {
      noise,
      images: want,"""

PAGE_STATE_OLD = """      if (o.wantState) {"""
PAGE_STATE_NEW = """      """ + MARK + """
      if (o.tapRand) {
        const eel = {};
        for (const [phase, v] of window.__rrTap) (eel[phase] = eel[phase] || []).push(v);
        window.__rrTap = [];
        const uniform = (s) => {
          if (!s || !s.shaderProgram || !s.randFrameLoc) return null;
          const v = gl.getUniform(s.shaderProgram, s.randFrameLoc);
          return v ? Array.from(v) : null;
        };
        const runner = r.presetEquationRunner;
        f.rand = {
          eel,
          warp_rand_frame: uniform(r.warpShader),
          comp_rand_frame: uniform(r.compShader),
          rand_preset: runner && runner.rand_preset ? Array.from(runner.rand_preset) : null,
          rand_start: runner && runner.rand_start ? Array.from(runner.rand_start) : null,
        };
      }
      if (o.wantState) {"""

RENDER = [
    ("""  --no-state           do not write state.jsonl
""", """  --no-state           do not write state.jsonl
  --dump-rand          """ + MARK + """ write rand.jsonl: the random numbers butterchurn drew per frame
  --dump-noise         """ + MARK + """ write noise.bin: butterchurn's noise textures (RGBA8)
"""),
    ("""      case "--no-state": a.state = false; break;
""", """      case "--no-state": a.state = false; break;
      case "--dump-rand": a.dumpRand = true; break; """ + MARK + """
      case "--dump-noise": a.dumpNoise = true; break;
"""),
    ("""      extraImages: args.extraImages,
    });""", """      extraImages: args.extraImages,
      tapRand: !!args.dumpRand, dumpNoise: !!args.dumpNoise, """ + MARK + """
    });
    if (info.noise) fs.writeFileSync(path.join(outDir, "noise.bin"), Buffer.from(info.noise, "base64"));
    delete info.noise;"""),
    ("""    const stateOut = args.state ? fs.openSync(path.join(outDir, "state.jsonl"), "w") : null;
""", """    const stateOut = args.state ? fs.openSync(path.join(outDir, "state.jsonl"), "w") : null;
    const randOut = args.dumpRand ? fs.openSync(path.join(outDir, "rand.jsonl"), "w") : null; """ + MARK + """
"""),
    ("""wantState: args.state, checkCanvas""", """wantState: args.state, tapRand: !!args.dumpRand, checkCanvas"""),
    ("""        if (stateOut !== null) fs.writeSync(stateOut, JSON.stringify({ frame: frameNum, ...r.state }) + "\\n");
""", """        if (stateOut !== null) fs.writeSync(stateOut, JSON.stringify({ frame: frameNum, ...r.state }) + "\\n");
        if (randOut !== null) fs.writeSync(randOut, JSON.stringify({ frame: frameNum, ...r.rand }) + "\\n"); """ + MARK + """
"""),
    ("""    if (stateOut !== null) fs.closeSync(stateOut);
""", """    if (stateOut !== null) fs.closeSync(stateOut);
    if (randOut !== null) fs.closeSync(randOut); """ + MARK + """
"""),
]


def patch(path, edits):
    text = open(path, encoding="utf-8").read()
    if MARK in text:
        print(f"{path}: already tapped")
        return
    for old, new in edits:
        if text.count(old) != 1:
            sys.exit(f"{path}: expected one {old.strip()[:60]!r}, found {text.count(old)}")
        text = text.replace(old, new)
    open(path, "w", encoding="utf-8").write(text)
    print(f"{path}: tapped")


def patch_butterchurn(path):
    text = open(path, encoding="utf-8").read()
    if MARK in text:
        print(f"{path}: already tapped")
        return
    for call, phase, occurrence in BUTTERCHURN:
        at = -1
        for _ in range(occurrence):
            at = text.find(call, at + 1)
            if at < 0:
                sys.exit(f"{path}: call {call!r} #{occurrence} not found (not butterchurn 3.0.0-beta.5?)")
        text = text[:at] + f"{MARK}window.__rrPhase = {phase}; " + text[at:]
    open(path, "w", encoding="utf-8").write(text)
    print(f"{path}: tapped")


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser("~/refrender")
    for call in {c for c, _, _ in BUTTERCHURN}:
        want = max(o for c, _, o in BUTTERCHURN if c == call)
        bundle = os.path.join(root, "node_modules/butterchurn/dist/butterchurn.js")
        found = open(bundle, encoding="utf-8").read().count(call)
        if MARK not in open(bundle, encoding="utf-8").read() and found != want:
            sys.exit(f"{bundle}: {call!r} occurs {found} times, expected {want}")
    patch_butterchurn(os.path.join(root, "node_modules/butterchurn/dist/butterchurn.js"))
    patch(os.path.join(root, "page/page.js"),
          [(PAGE_INIT_OLD, PAGE_INIT_NEW), (PAGE_RET_OLD, PAGE_RET_NEW), (PAGE_STATE_OLD, PAGE_STATE_NEW)])
    patch(os.path.join(root, "render.mjs"), RENDER)


if __name__ == "__main__":
    main()
