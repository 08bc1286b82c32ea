//! Prints what Kefir's `.milk` reader makes of preset files, one JSON object
//! per line, for comparing against other readers (see
//! `scripts/fidelity/md2_reader.py`, a model of MilkDrop 2's reader).
//!
//! ```text
//! cargo run --release -p milk-parser --example dump_preset -- a.milk b.milk
//! cargo run --release -p milk-parser --example dump_preset -- --list files.txt
//! ```
//!
//! Each line holds `path`, then either `error` (the file could not be read)
//! or: `version`, `ps_version`, `ps_version_warp`, `ps_version_comp`;
//! `base` (every base value, keyed as MilkDrop writes the key); `waves` and
//! `shapes` (4 each: every parameter keyed the same way, shapes also
//! `image`, which is `null` when absent); `code` (the text of every
//! equation block, lines joined with `\n`, keyed `per_frame`,
//! `wave_0_init`, ...); `warp` and `comp` (shader text, `null` when the
//! file has none); `warnings` (what the reader ignored).
//!
//! Floats are the `f64` widening of the `f32` Kefir stores, printed in
//! Rust's shortest exact form (infinities as `1e999` / `-1e999`, which
//! Python's `json` reads back as infinities); booleans are `true`/`false`.
//! JSON is written by hand (milk-parser does not depend on serde_json).

use std::fmt::Write as _;

use milk_parser::Preset;
use milk_parser::preset::{BlockId, ParamValue, ShapeParams};

/// A value as JSON.
trait Json {
    fn json(&self, out: &mut String);
}

impl Json for f64 {
    fn json(&self, out: &mut String) {
        if self.is_nan() {
            out.push_str("NaN");
        } else if self.is_infinite() {
            out.push_str(if *self > 0.0 { "1e999" } else { "-1e999" });
        } else {
            let _ = write!(out, "{self:?}");
        }
    }
}

impl Json for i32 {
    fn json(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl Json for bool {
    fn json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl Json for str {
    fn json(&self, out: &mut String) {
        out.push('"');
        for c in self.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if u32::from(c) < 0x20 || c == '\u{7f}' => {
                    let _ = write!(out, "\\u{:04x}", u32::from(c));
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

impl<T: Json + ?Sized> Json for Option<&T> {
    fn json(&self, out: &mut String) {
        match self {
            Some(v) => v.json(out),
            None => out.push_str("null"),
        }
    }
}

impl Json for ParamValue {
    fn json(&self, out: &mut String) {
        match self {
            ParamValue::Float(v) => v.json(out),
            ParamValue::Int(v) => v.json(out),
            ParamValue::Bool(v) => v.json(out),
        }
    }
}

/// Writes `items` separated by commas, each with `write`.
fn comma_separated<T>(
    out: &mut String,
    items: impl IntoIterator<Item = T>,
    mut write: impl FnMut(&mut String, T),
) {
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(out, item);
    }
}

/// Writes `{"key":value,...}` for every field of a parameter table, keyed
/// as MilkDrop writes the key, leaving the object open for more entries.
fn fields_json(out: &mut String, fields: impl Iterator<Item = (&'static str, ParamValue)>) {
    out.push('{');
    comma_separated(out, fields, |out, (key, value)| {
        key.json(out);
        out.push(':');
        value.json(out);
    });
}

fn shape_json(out: &mut String, s: &ShapeParams, image: Option<&str>) {
    fields_json(out, s.fields());
    out.push_str(",\"image\":");
    image.json(out);
    out.push('}');
}

/// One file as one JSON line.
fn dump(path: &str) -> String {
    let mut out = String::new();
    out.push_str("{\"path\":");
    path.json(&mut out);
    let preset = match std::fs::read(path) {
        Err(e) => Err(format!("cannot read: {e}")),
        Ok(bytes) => Preset::from_bytes(&bytes).map_err(|e| e.to_string()),
    };
    let p = match preset {
        Ok(p) => p,
        Err(e) => {
            out.push_str(",\"error\":");
            e.json(&mut out);
            out.push('}');
            return out;
        }
    };
    for (key, v) in [
        ("version", p.version),
        ("ps_version", p.ps_version),
        ("ps_version_warp", p.ps_version_warp),
        ("ps_version_comp", p.ps_version_comp),
    ] {
        let _ = write!(out, ",\"{key}\":{v}");
    }
    out.push_str(",\"base\":");
    fields_json(&mut out, p.base.fields());
    out.push('}');
    out.push_str(",\"waves\":[");
    comma_separated(&mut out, &p.waves, |out, w| {
        fields_json(out, w.params.fields());
        out.push('}');
    });
    out.push_str("],\"shapes\":[");
    comma_separated(&mut out, &p.shapes, |out, s| {
        shape_json(out, &s.params, s.image.as_deref())
    });
    out.push_str("],\"code\":{");
    let equations = BlockId::all().filter(|id| !id.is_shader());
    comma_separated(&mut out, equations, |out, id| {
        id.to_string().json(out);
        out.push(':');
        p.block(id).map(|b| b.text.as_str()).json(out);
    });
    out.push_str("},\"warp\":");
    p.warp_shader
        .as_ref()
        .map(|b| b.text.as_str())
        .json(&mut out);
    out.push_str(",\"comp\":");
    p.comp_shader
        .as_ref()
        .map(|b| b.text.as_str())
        .json(&mut out);
    out.push_str(",\"warnings\":[");
    comma_separated(&mut out, &p.warnings, |out, w| w.to_string().json(out));
    out.push_str("]}");
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut paths = Vec::new();
    while let Some(arg) = args.next() {
        if arg == "--list" {
            let Some(list) = args.next() else {
                eprintln!("usage: dump_preset [--list FILE] [PRESET.milk ...]");
                std::process::exit(2);
            };
            match std::fs::read_to_string(&list) {
                Ok(text) => paths.extend(text.lines().filter(|l| !l.is_empty()).map(String::from)),
                Err(e) => {
                    eprintln!("dump_preset: cannot read list {list}: {e}");
                    std::process::exit(2);
                }
            }
        } else {
            paths.push(arg);
        }
    }
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    for path in &paths {
        use std::io::Write as _;
        if writeln!(stdout, "{}", dump(path)).is_err() {
            std::process::exit(1); // closed pipe
        }
    }
}
