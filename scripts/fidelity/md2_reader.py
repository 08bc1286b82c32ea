#!/usr/bin/env python3
"""A model of MilkDrop 2's `.milk` reader, and a comparison with Kefir's.

MilkDrop 2 (vis_milk2/state.cpp in the Winamp source) reads a preset with
`CState::Import`, which looks every value up by key with `_GetLineByName`
(through `GetFastInt`, `GetFastFloat` and `GetFastString`) and joins
numbered code lines with `ReadCode`. This file models that code byte for
byte, quirks included:

* `_GetLineByName`, on its first call after `GetFast_CLEAR()` (once per
  `CState::Import`; the wave/shape `Import`s get the open file and do not
  clear), scans the whole file once. A key is the text from the start of a
  "line" up to the first ' ', '=', CR, LF or EOF; keys ending at CR/LF are
  not lines at all. Only the first 124 chars of a key count
  (MAX_VARNAME_LEN). After a key the rest of the line is skipped with
  `fgets(szRet, nMaxRetChars-3, f)`: at most 251 chars (the first lookup is
  `GetFastInt`, nMaxRetChars=255), and `fgets` stops only at LF. So after a
  value longer than 251 chars, or in a file whose lines end with a lone CR,
  the scan resumes in the middle of a line and indexes whatever text sits
  there up to the next ' ' or '=' as a key. `char ch = fgetc(f)` is signed,
  so a 0xFF byte reads as EOF and ends the scan.
* Lookups compare keys with `strcmp` (case matters). The entry after the
  last one found (`MyLineNum`) is tried first, else the first entry with
  that name from the top. With duplicate keys the order of lookups decides
  which one is used, so the whole lookup sequence of `CState::Import` is
  replayed in order.
* A value is read from just after the ' ' or '=' that ended its key up to
  CR, LF, a 0xFF byte or EOF, at most nMaxRetChars-3 chars: 252 for
  numbers, 32764 for code lines (`GetFastString`, nMaxChars 32768). A NUL
  byte ends the C string.
* Numbers: `sscanf("%d")` / `_sscanf_l("%f")` (Visual C++ 2008: no `inf`
  or `nan`, no hex floats); a failed scan keeps the default; floats are
  stored as 32-bit floats. `%d` wraps on overflow (MSVC accumulates in a
  32-bit long).
* `ReadCode`: lines `prefix1`, `prefix2`, ... until one is missing or its
  value is the sentinel `~!@#$`, or until a line would not fit in the
  32768-byte buffer (`len >= MAX_BIGSTRING_LEN-1-char_pos-1`). One leading
  backtick is removed. The model returns the list of lines (MilkDrop joins
  them with LINEFEED_CONTROL_CHAR, char 1, after every line).
* Defaults are `CState::Default`'s. Note `wave_r`, `wave_g`, `wave_b`,
  `wave_x` and `wave_y` default to `m_fRot.eval(-1)`, i.e. 0, not to the
  1, 1, 1, 0.5, 0.5 that `Default` set (a copy-paste slip in `Import`).
  A missing `mv_a` is 1 if `bMotionVectorsOn` is non-zero, else 0.
* Versions: MILKDROP_PRESET_VERSION (100); < 200: shader versions 0;
  == 200: PSVERSION (2) for both; > 200: PSVERSION_WARP and PSVERSION_COMP
  (2 each). Shader text (`warp_N`, `comp_N`) is read whatever the version.
* MilkDrop ignores `[section]` headers and any key it does not look up
  (e.g. `shapecode_N_image`, which this version of MilkDrop 2 never reads).

Comparison (`compare`): runs Kefir's `dump_preset` example over the files
and this model over the same bytes, and prints every field that differs.

* Floats are compared as 32-bit floats; booleans as booleans.
* Strings: MilkDrop's bytes are decoded as Kefir decodes the file (UTF-8
  when the whole file is valid UTF-8, else Latin-1).
* Equation code: both sides' lines are put through MilkDrop 2's own
  pre-compile step, `CState::StripLinefeedCharsAndComments`: lines joined
  with char 1 after each, then `//` or `\\\\` comments removed up to the
  end of their line and the line separators deleted (not replaced by a
  space), plus `RecompileExpressions`' "only spaces and linefeeds ->
  empty" rule. That is exactly the string MilkDrop hands to
  `NSEEL_code_compile`, so two readers whose lines give the same stripped
  string make MilkDrop run the same program. (Applying it to Kefir's lines
  asks "does Kefir's reader deliver the program MilkDrop would run"; how
  Kefir itself then joins lines, `CodeBlock::equation_text`, is a compiler
  question, reported separately as `join` notes, not as reader
  differences.) Differences that vanish in this step (e.g. only inside
  comments) are counted as `code-cosmetic`.
* Shader text: line lists compared exactly (MilkDrop turns char 1 into
  CR LF and hands the text to the HLSL compiler, after `StripComments`);
  a difference that vanishes after removing `//` and `/* */` comments is
  `shader-cosmetic`. An absent shader (no `warp_1`) is `null` on both
  sides (MilkDrop then generates its default shader).

Usage:
  md2_reader.py dump FILE...            the model's reading, one JSON per line
  md2_reader.py compare DIR [DIR...]    per-file differences and a summary
      [--bin PATH]  Kefir's dump_preset (default: target/release/examples/
                    dump_preset; build it with `cargo build --release -p
                    milk-parser --example dump_preset`)
      [--quiet]     summary only
"""
import argparse
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

EOF = -1
CR, LF, SP, EQ = 13, 10, 32, 61
MAX_VARNAME_LEN = 128
MAX_BIGSTRING_LEN = 32768
SENTINEL = b"~!@#$"
LINEFEED_CONTROL_CHAR = "\x01"


def f32(x):
    """A Python float rounded to a 32-bit float (inf when too large)."""
    try:
        return struct.unpack("f", struct.pack("f", x))[0]
    except OverflowError:
        return float("inf") if x > 0 else float("-inf")


class Md2File:
    """The open FILE* and the static state of `_GetLineByName`."""

    def __init__(self, data):
        self.data = data
        self.pos = 0
        self.entries = []  # (name bytes, value byte position)
        self.first_index = {}
        self.my_line = 0
        self.scanned = False
        self.used = []  # (name, value position) of every successful lookup

    def fgetc_signed(self):
        """`char ch = fgetc(f)`: 0xFF reads as EOF (-1); true EOF does not advance."""
        if self.pos >= len(self.data):
            return EOF
        b = self.data[self.pos]
        self.pos += 1
        return b - 256 if b >= 128 else b

    def fgets(self, n):
        """`fgets(buf, n, f)` in binary mode: at most n-1 chars, through LF."""
        count = 0
        while count < n - 1 and self.pos < len(self.data):
            c = self.data[self.pos]
            self.pos += 1
            count += 1
            if c == LF:
                break

    def scan(self, n_max_ret_chars):
        """The index-building loop of `_GetLineByName` (f != fLastFilePtr)."""
        self.scanned = True
        self.my_line = 0
        self.entries = []
        self.pos = 0
        while True:
            name = bytearray()
            while True:
                ch = self.fgetc_signed()
                if ch in (CR, LF, SP, EQ, EOF):
                    break
                name.append(ch & 0xFF)
            if ch == EOF:
                break
            if ch in (EQ, SP):
                name = bytes(name[: MAX_VARNAME_LEN - 4]).split(b"\0")[0]
                self.entries.append((name, self.pos))
                self.fgets(n_max_ret_chars - 3)
            while True:
                ch = self.fgetc_signed()
                if not (ch in (CR, LF) and ch != EOF):
                    break
            if ch == EOF:
                break
            self.pos -= 1  # fseek(f, -1, SEEK_CUR)
        self.first_index = {}
        for i, (name, _) in enumerate(self.entries):
            self.first_index.setdefault(name, i)

    def get_line(self, name, n_max_ret_chars):
        """`_GetLineByName`: the value bytes, or None when the key is absent."""
        if not self.scanned:
            self.scan(n_max_ret_chars)
        n = len(self.entries)
        if not (0 <= self.my_line < n and self.entries[self.my_line][0] == name):
            i = self.first_index.get(name)
            if i is None:
                return None
            self.my_line = i
        self.pos = self.entries[self.my_line][1]
        out = bytearray()
        while len(out) < n_max_ret_chars - 3:
            ch = self.fgetc_signed()
            if ch in (CR, LF, EOF):
                break
            out.append(ch & 0xFF)
        self.used.append((name, self.entries[self.my_line][1]))
        self.my_line += 1
        return bytes(out).split(b"\0")[0]


_INT_RE = re.compile(rb"[ \t\n\v\f\r]*([+-]?)([0-9]+)")
_FLOAT_RE = re.compile(rb"[ \t\n\v\f\r]*([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")


def scan_int(buf):
    """`sscanf(buf, "%d")` as MSVC: None when it fails; wraps like a 32-bit long."""
    m = _INT_RE.match(buf)
    if not m:
        return None
    v = int(m.group(2)) & 0xFFFFFFFF
    if m.group(1) == b"-":
        v = (-v) & 0xFFFFFFFF
    return v - (1 << 32) if v >= (1 << 31) else v


def scan_float(buf):
    """`_sscanf_l(buf, "%f", C locale)` stored in a float; None when it fails."""
    m = _FLOAT_RE.match(buf)
    if not m:
        return None
    return f32(float(m.group(1)))


# CState::Default, in Import's order (key, kind, default). Kind: f float,
# i int, b bool (int != 0).
GENERAL = [
    ("fRating", "f", 3.0), ("fDecay", "f", 0.98), ("fGammaAdj", "f", 2.0),
    ("fVideoEchoZoom", "f", 2.0), ("fVideoEchoAlpha", "f", 0.0),
    ("nVideoEchoOrientation", "i", 0), ("bRedBlueStereo", "b", False),
    ("bBrighten", "b", False), ("bDarken", "b", False), ("bSolarize", "b", False),
    ("bInvert", "b", False), ("fShader", "f", 0.0),
    ("b1n", "f", 0.0), ("b2n", "f", 0.0), ("b3n", "f", 0.0),
    ("b1x", "f", 1.0), ("b2x", "f", 1.0), ("b3x", "f", 1.0), ("b1ed", "f", 0.25),
]
# wave_r..wave_y default to m_fRot.eval(-1) = 0 (see the module doc).
WAVE = [
    ("nWaveMode", "i", 0), ("bAdditiveWaves", "b", False), ("bWaveDots", "b", False),
    ("bWaveThick", "b", False), ("bModWaveAlphaByVolume", "b", False),
    ("bMaximizeWaveColor", "b", True), ("fWaveAlpha", "f", 0.8),
    ("fWaveScale", "f", 1.0), ("fWaveSmoothing", "f", 0.75), ("fWaveParam", "f", 0.0),
    ("fModWaveAlphaStart", "f", 0.75), ("fModWaveAlphaEnd", "f", 0.95),
    ("wave_r", "f", 0.0), ("wave_g", "f", 0.0), ("wave_b", "f", 0.0),
    ("wave_x", "f", 0.0), ("wave_y", "f", 0.0),
    ("nMotionVectorsX", "f", 12.0), ("nMotionVectorsY", "f", 9.0),
    ("mv_dx", "f", 0.0), ("mv_dy", "f", 0.0), ("mv_l", "f", 0.9),
    ("mv_r", "f", 1.0), ("mv_g", "f", 1.0), ("mv_b", "f", 1.0),
]
MOTION = [
    ("zoom", "f", 1.0), ("rot", "f", 0.0), ("cx", "f", 0.5), ("cy", "f", 0.5),
    ("dx", "f", 0.0), ("dy", "f", 0.0), ("warp", "f", 1.0), ("sx", "f", 1.0),
    ("sy", "f", 1.0), ("bTexWrap", "b", True), ("bDarkenCenter", "b", False),
    ("fWarpAnimSpeed", "f", 1.0), ("fWarpScale", "f", 1.0), ("fZoomExponent", "f", 1.0),
    ("ob_size", "f", 0.01), ("ob_r", "f", 0.0), ("ob_g", "f", 0.0), ("ob_b", "f", 0.0),
    ("ob_a", "f", 0.0), ("ib_size", "f", 0.01), ("ib_r", "f", 0.25),
    ("ib_g", "f", 0.25), ("ib_b", "f", 0.25), ("ib_a", "f", 0.0),
]
WAVE_PARAMS = [
    ("enabled", "b", False), ("samples", "i", 512), ("sep", "i", 0),
    ("bSpectrum", "b", False), ("bUseDots", "b", False), ("bDrawThick", "b", False),
    ("bAdditive", "b", False), ("scaling", "f", 1.0), ("smoothing", "f", 0.5),
    ("r", "f", 1.0), ("g", "f", 1.0), ("b", "f", 1.0), ("a", "f", 1.0),
]
SHAPE_PARAMS = [
    ("enabled", "b", False), ("sides", "i", 4), ("additive", "b", False),
    ("thickOutline", "b", False), ("textured", "b", False), ("num_inst", "i", 1),
    ("x", "f", 0.5), ("y", "f", 0.5), ("rad", "f", 0.1), ("ang", "f", 0.0),
    ("tex_ang", "f", 0.0), ("tex_zoom", "f", 1.0), ("r", "f", 1.0), ("g", "f", 0.0),
    ("b", "f", 0.0), ("a", "f", 1.0), ("r2", "f", 0.0), ("g2", "f", 1.0),
    ("b2", "f", 0.0), ("a2", "f", 0.0), ("border_r", "f", 1.0), ("border_g", "f", 1.0),
    ("border_b", "f", 1.0), ("border_a", "f", 0.1),
]


def decoder(data):
    """Kefir's decoding of the file (UTF-8 if valid, else Latin-1)."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        body.decode("utf-8")
        return lambda b: b.decode("utf-8", errors="replace")
    except UnicodeDecodeError:
        return lambda b: b.decode("latin-1")


def md2_read(data):
    """What MilkDrop 2's CState::Import reads from the bytes of a file.

    Returns the same structure as Kefir's dump_preset (code as text with
    lines joined by '\\n') plus `_src`: for every field, the byte position
    of the value used (None: the default).
    """
    f = Md2File(data)
    dec = decoder(data)
    src = {}

    def get_int(key, default):
        buf = f.get_line(key.encode(), 255)
        v = None if buf is None else scan_int(buf)
        src[key] = f.entries[f.my_line - 1][1] if buf is not None else None
        return default if v is None else v

    def get_float(key, default):
        buf = f.get_line(key.encode(), 255)
        v = None if buf is None else scan_float(buf)
        src[key] = f.entries[f.my_line - 1][1] if buf is not None else None
        return default if v is None else v

    def get(key, kind, default):
        if kind == "f":
            return get_float(key, f32(default))
        if kind == "i":
            return get_int(key, default)
        return get_int(key, int(default)) != 0

    def read_code(prefix):
        lines = []
        char_pos = 0
        line = 1
        while True:
            key = f"{prefix}{line}".encode()
            buf = f.get_line(key, MAX_BIGSTRING_LEN - 1)
            s = SENTINEL if buf is None else buf
            n = len(s)
            if s == SENTINEL or n >= MAX_BIGSTRING_LEN - 1 - char_pos - 1:
                if buf is not None and s != SENTINEL:
                    src[prefix + "!capped"] = line
                break
            if s[:1] == b"`":
                s = s[1:]
                n -= 1
            lines.append(dec(s))
            char_pos += n + 1
            line += 1
        return lines

    out = {}
    version = get_int("MILKDROP_PRESET_VERSION", 100)
    if version < 200:
        warp_v = comp_v = 0
    elif version == 200:
        warp_v = comp_v = get_int("PSVERSION", 2)
    else:
        warp_v = get_int("PSVERSION_WARP", 2)
        comp_v = get_int("PSVERSION_COMP", 2)
    out["version"] = version
    out["ps_version_warp"] = warp_v
    out["ps_version_comp"] = comp_v
    out["ps_version"] = max(warp_v, comp_v)
    base = {}
    for key, kind, default in GENERAL + WAVE:
        base[key] = get(key, kind, default)
    mv_a_default = 0.0 if get_int("bMotionVectorsOn", 0) == 0 else 1.0
    base["mv_a"] = get_float("mv_a", mv_a_default)
    code = {}
    waves = []
    for i in range(4):
        w = {}
        for key, kind, default in WAVE_PARAMS:
            w[key] = get(f"wavecode_{i}_{key}", kind, default)
        waves.append(w)
        for block in ("init", "per_frame", "per_point"):
            code[f"wave_{i}_{block}"] = read_code(f"wave_{i}_{block}")
    shapes = []
    for i in range(4):
        s = {}
        for key, kind, default in SHAPE_PARAMS:
            s[key] = get(f"shapecode_{i}_{key}", kind, default)
        shapes.append(s)
        for block in ("init", "per_frame"):
            code[f"shape_{i}_{block}"] = read_code(f"shape_{i}_{block}")
    for key, kind, default in MOTION:
        base[key] = get(key, kind, default)
    for block in ("per_frame_init", "per_frame", "per_pixel"):
        code[block] = read_code(block + "_")
    warp = read_code("warp_")
    comp = read_code("comp_")
    out["base"] = base
    out["waves"] = waves
    out["shapes"] = shapes
    out["code"] = {k: "\n".join(v) for k, v in code.items()}
    out["warp"] = "\n".join(warp) if warp else None
    out["comp"] = "\n".join(comp) if comp else None
    out["_src"] = src
    out["_entries"] = f.entries
    return out


# ---------------------------------------------------------------- compare


def md2_strip(lines):
    """CState::StripLinefeedCharsAndComments on ReadCode's text, plus the
    'only spaces and linefeeds -> empty' rule of RecompileExpressions."""
    src = "".join(line + LINEFEED_CONTROL_CHAR for line in lines)
    if src.strip(" " + LINEFEED_CONTROL_CHAR) == "":
        return ""
    out = []
    comment = False
    n = len(src)
    for i, c in enumerate(src):
        if comment:
            if c == LINEFEED_CONTROL_CHAR:
                comment = False
        else:
            nxt = src[i + 1] if i + 1 < n else "\0"
            if (c == "\\" and nxt == "\\") or (c == "/" and nxt == "/"):
                comment = True
            elif c != LINEFEED_CONTROL_CHAR:
                out.append(c)
    return "".join(out)


def strip_shader_comments(text):
    """`//` and `/* */` comments removed (as MilkDrop's StripComments)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


_TOKEN = re.compile(r"[A-Za-z0-9_.]+|\S")


def kefir_join_tokens(lines):
    """Tokens of the program as Kefir compiles it: CodeBlock::equation_text
    (breaks removed only between name/number chars of uncommented lines),
    comments removed, whitespace separating."""
    tok = re.compile(r"[A-Za-z0-9_.]")
    text = ""
    for i, line in enumerate(lines):
        if i > 0:
            prev = lines[i - 1]
            commented = "//" in prev or "\\\\" in prev
            glue = (not commented and prev and line
                    and tok.match(prev[-1]) and tok.match(line[0]))
            text += "" if glue else "\n"
        text += line
    text = re.sub(r"(//|\\\\)[^\n]*", "", text)
    return _TOKEN.findall(text)


def split_lines(text):
    return [] if text is None else text.split("\n")


def line_of(data, pos):
    """1-based line (LF, CRLF or lone CR end a line, as Kefir counts) of a byte."""
    before = data[:pos]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1


def kefir_lines_for(data, key):
    """Lines where Kefir would find `key` (trimmed, spelled exactly)."""
    text = data.decode("latin-1")
    found = []
    for n, line in enumerate(re.split(r"\r\n|\r|\n", text), 1):
        if "=" in line and line.split("=", 1)[0].strip() == key:
            found.append(n)
    return found


def fmt(v):
    if isinstance(v, str):
        s = json.dumps(v, ensure_ascii=False)
        return s if len(s) <= 160 else s[:150] + f'..." ({len(v)} chars)'
    return repr(v)


def compare_one(kefir, data):
    """List of (kind, field, kefir value, md2 value, where) differences."""
    diffs = []
    if "error" in kefir:
        return [("kefir-error", "file", kefir["error"], "(MilkDrop reads it)", "")]
    md2 = md2_read(data)
    src = md2["_src"]

    def where(key, full_key=None):
        pos = src.get(full_key or key)
        md2_at = "default" if pos is None else f"line {line_of(data, pos)}"
        k_at = kefir_lines_for(data, full_key or key)
        return f"md2: {md2_at}; kefir-key-lines: {k_at[:4]}"

    def value(kind, field, kv, mv, full_key):
        if isinstance(mv, bool):
            same = bool(kv) == mv
        elif isinstance(mv, float):
            same = f32(float(kv)) == mv or (kv != kv and mv != mv)
        else:
            same = kv == mv
        if not same:
            diffs.append((kind, field, kv, mv, where(field, full_key)))

    for key in ("version", "ps_version_warp", "ps_version_comp"):
        value("version", key, kefir[key], md2[key], {
            "version": "MILKDROP_PRESET_VERSION", "ps_version_warp": "PSVERSION_WARP",
            "ps_version_comp": "PSVERSION_COMP"}[key])
    for key, mv in md2["base"].items():
        value("base", key, kefir["base"][key], mv, key)
    for i in range(4):
        for key, mv in md2["waves"][i].items():
            value("wave", f"wavecode_{i}_{key}", kefir["waves"][i][key], mv,
                  f"wavecode_{i}_{key}")
        for key, mv in md2["shapes"][i].items():
            value("shape", f"shapecode_{i}_{key}", kefir["shapes"][i][key], mv,
                  f"shapecode_{i}_{key}")
        if kefir["shapes"][i].get("image") is not None:
            diffs.append(("image", f"shapecode_{i}_image", kefir["shapes"][i]["image"],
                          "(not read by MilkDrop 2)", ""))
    for block, mtext in md2["code"].items():
        ktext = kefir["code"][block]
        kl, ml = split_lines(ktext), split_lines(mtext)
        if ktext == "":
            kl = []
        if mtext == "":
            ml = []
        if kl != ml:
            kind = "code" if md2_strip(kl) != md2_strip(ml) else "code-cosmetic"
            diffs.append((kind, block, ktext, mtext, code_where(kl, ml, data, md2, block)))
        elif kl and _TOKEN.findall(md2_strip(ml)) != kefir_join_tokens(kl):
            diffs.append(("join", block, "(Kefir's equation_text)", "(StripLinefeedChars"
                          "AndComments)", join_where(kl)))
    for block in ("warp", "comp"):
        kt, mt = kefir[block], md2[block]
        if kt != mt:
            cosmetic = (kt is not None and mt is not None
                        and strip_shader_comments(kt) == strip_shader_comments(mt))
            kind = "shader-cosmetic" if cosmetic else "shader"
            diffs.append((kind, block, kt, mt,
                          code_where(split_lines(kt), split_lines(mt), data, md2, block)))
    return diffs


def code_where(kl, ml, data, md2, block):
    """The first differing line of a code block, described."""
    n = 0
    while n < min(len(kl), len(ml)) and kl[n] == ml[n]:
        n += 1
    key = (block + ("_" if block in ("per_frame_init", "per_frame", "per_pixel", "warp",
                                     "comp") else "")) + str(n + 1)
    k_at = kefir_lines_for(data, key)
    md2_pos = [line_of(data, p) for name, p in md2["_entries"] if name == key.encode()]
    return (f"lines kefir={len(kl)} md2={len(ml)}; first difference at {key}: "
            f"kefir {fmt(kl[n] if n < len(kl) else None)} vs md2 "
            f"{fmt(ml[n] if n < len(ml) else None)}; key in file (kefir rules) at "
            f"{k_at[:4]}, md2 index entries at {md2_pos[:4]}")


def join_where(lines):
    for i in range(1, len(lines)):
        a, b = lines[i - 1], lines[i]
        if ("//" in a or "\\\\" in a) and b[:1] and re.match(r"[A-Za-z0-9_.]", b[0]):
            code = re.split(r"//|\\\\", a)[0]
            if code[-1:] and re.match(r"[A-Za-z0-9_.]", code[-1]):
                return f"line {i}: {fmt(a)} + line {i + 1}: {fmt(b)}"
    return ""


def repo_root():
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def run_compare(dirs, binary, quiet):
    paths = []
    for d in dirs:
        for dp, _, fns in os.walk(d):
            paths += [os.path.join(dp, f) for f in fns if f.lower().endswith(".milk")]
    paths.sort()
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as lst:
        lst.write("".join(p + "\n" for p in paths))
    proc = subprocess.Popen([binary, "--list", lst.name], stdout=subprocess.PIPE)
    kinds = Counter()
    files_by_kind = defaultdict(list)
    n_files = n_differ = 0
    for raw in proc.stdout:
        kefir = json.loads(raw)
        path = kefir["path"]
        n_files += 1
        with open(path, "rb") as fh:
            data = fh.read()
        diffs = compare_one(kefir, data)
        reader_diffs = [d for d in diffs if d[0] not in ("join", "image")]
        if reader_diffs:
            n_differ += 1
        if diffs and not quiet:
            print(f"== {path}")
            for kind, field, kv, mv, at in diffs:
                print(f"  [{kind}] {field}: kefir={fmt(kv)} md2={fmt(mv)}  ({at})")
        for kind in sorted({d[0] for d in diffs}):
            kinds[kind] += 1
            files_by_kind[kind].append(path)
    proc.wait()
    os.unlink(lst.name)
    print(f"\nfiles: {n_files}; identical reading (ignoring join/image notes): "
          f"{n_files - n_differ}; different: {n_differ}")
    print("files per kind of difference:")
    for kind, n in kinds.most_common():
        print(f"  {kind:16} {n:5}   e.g. {files_by_kind[kind][0]}")
    if n_files != len(paths):
        print(f"WARNING: {len(paths)} files listed, {n_files} dumped", file=sys.stderr)
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("files", nargs="+")
    c = sub.add_parser("compare")
    c.add_argument("dirs", nargs="+")
    c.add_argument("--bin", default=os.path.join(repo_root(), "target", "release", "examples",
                                                  "dump_preset"))
    c.add_argument("--quiet", action="store_true")
    a = ap.parse_args()
    if a.cmd == "dump":
        for path in a.files:
            with open(path, "rb") as fh:
                r = md2_read(fh.read())
            del r["_src"], r["_entries"]
            print(json.dumps({"path": path, **r}, ensure_ascii=False))
        return 0
    if not os.path.exists(a.bin):
        sys.exit(f"{a.bin} not found: cargo build --release -p milk-parser --example dump_preset")
    return run_compare(a.dirs, a.bin, a.quiet)


if __name__ == "__main__":
    sys.exit(main())
