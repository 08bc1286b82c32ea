//! The tolerant `.milk` reader (nom for lines, keys and numbers).

use nom::{
    IResult, Parser,
    branch::alt,
    character::complete::{char, digit1, one_of},
    combinator::{all_consuming, rest, verify},
    sequence::preceded,
};

use super::code::{CodeBlock, Location};
use super::model::{BaseValues, ShapeParams, WaveParams};
use super::value::parse_int;
use super::{BlockId, NUM_SHAPES, NUM_WAVES, ParseError, Preset, UnknownKey, Warning, WarningKind};

const NUM_BASE: usize = BaseValues::KEYS.len();
const NUM_WAVE_PARAMS: usize = WaveParams::KEYS.len();
const NUM_SHAPE_PARAMS: usize = ShapeParams::KEYS.len();

/// What a key names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Code(BlockId, u32),
    Base(usize),
    Wave(usize, usize),
    Shape(usize, usize),
    ShapeImage(usize),
    Single(Single),
    Unknown,
}

/// Keys read once, outside the parameter tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Single {
    Version = 0,
    PsVersion = 1,
    PsVersionWarp = 2,
    PsVersionComp = 3,
    MotionVectorsOn = 4,
}
const NUM_SINGLE: usize = 5;

/// A value seen in the file: text and where it starts.
#[derive(Clone, Copy)]
struct Seen<'a> {
    value: &'a str,
    line: u32,
}

/// One numbered code line seen in the file.
struct CodeLine<'a> {
    n: u32,
    value: &'a str,
    origin: Location,
    /// Column of the key (for warnings).
    key_col: u32,
}

struct Reader<'a> {
    base: [Option<Seen<'a>>; NUM_BASE],
    waves: [[Option<Seen<'a>>; NUM_WAVE_PARAMS]; NUM_WAVES],
    shapes: [[Option<Seen<'a>>; NUM_SHAPE_PARAMS]; NUM_SHAPES],
    images: [Option<Seen<'a>>; NUM_SHAPES],
    singles: [Option<Seen<'a>>; NUM_SINGLE],
    code: [Vec<CodeLine<'a>>; BlockId::COUNT],
    unknown: Vec<UnknownKey>,
    warnings: Vec<Warning>,
    /// False inside a `[section]` other than `[preset00]`.
    in_preset: bool,
}

/// Parses a whole file (size already checked).
pub(crate) fn parse_text(text: &str) -> Result<Preset, ParseError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if let Some(pos) = text.find('\0') {
        let loc = location_of(text, pos);
        return Err(ParseError::NulByte {
            line: loc.line,
            col: loc.col,
        });
    }
    let mut reader = Reader {
        base: [None; NUM_BASE],
        waves: [[None; NUM_WAVE_PARAMS]; NUM_WAVES],
        shapes: [[None; NUM_SHAPE_PARAMS]; NUM_SHAPES],
        images: [None; NUM_SHAPES],
        singles: [None; NUM_SINGLE],
        code: std::array::from_fn(|_| Vec::new()),
        unknown: Vec::new(),
        warnings: Vec::new(),
        in_preset: true,
    };
    for (line, line_no) in Lines::new(text).zip(1u32..) {
        reader.line(line, line_no);
    }
    Ok(reader.finish())
}

/// The lines of a text, split at LF, CRLF or a lone CR (a final line
/// ending gives a final empty line). This is the hot loop, so it finds line
/// ends with `str::find(char)` (core's word-at-a-time memchr, fast even in
/// unoptimized builds) and remembers the next CR and LF so that files with
/// only one kind of line ending are scanned once.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    next_cr: Option<usize>,
    next_lf: Option<usize>,
    done: bool,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text,
            pos: 0,
            next_cr: text.find('\r'),
            next_lf: text.find('\n'),
            done: false,
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.done {
            return None;
        }
        let (text, pos) = (self.text, self.pos);
        let refresh = |cached: Option<usize>, c: char| match cached {
            Some(p) if p < pos => text[pos..].find(c).map(|i| i + pos),
            other => other,
        };
        self.next_cr = refresh(self.next_cr, '\r');
        self.next_lf = refresh(self.next_lf, '\n');
        let end = match (self.next_cr, self.next_lf) {
            (Some(cr), Some(lf)) => cr.min(lf),
            (Some(e), None) | (None, Some(e)) => e,
            (None, None) => text.len(),
        };
        let line = &text[pos..end];
        if end == text.len() {
            self.done = true;
        } else {
            let crlf = self.next_cr == Some(end) && self.next_lf == Some(end + 1);
            self.pos = end + if crlf { 2 } else { 1 };
        }
        Some(line)
    }
}

/// `key=value`: the raw key (untrimmed) and the value after the first `=`.
fn key_value(i: &str) -> IResult<&str, (&str, &str)> {
    (until_char('='), preceded(char('='), rest)).parse(i)
}

/// Everything up to (not including) `c`, or all of the input. Like nom's
/// `take_till(|x| x == c)` but with `str::find`, which stays fast in
/// unoptimized builds (this runs on every line).
fn until_char<'a>(c: char) -> impl Fn(&'a str) -> IResult<&'a str, &'a str> {
    move |i: &'a str| {
        let end = i.find(c).unwrap_or(i.len());
        Ok((&i[end..], &i[..end]))
    }
}

/// Case-insensitive (ASCII) tag. nom's `tag_no_case` compares Unicode
/// lowercase mappings char by char, which dominated the parse time of
/// unoptimized builds. `tag` must be ASCII (all key names are).
fn tag_ci<'a>(tag: &'static str) -> impl Fn(&'a str) -> IResult<&'a str, &'a str> {
    move |i: &'a str| {
        let n = tag.len();
        // Bytes equal to ASCII bytes (ignoring case) are ASCII themselves,
        // so `n` is then a char boundary of `i`.
        if i.len() >= n && i.as_bytes()[..n].eq_ignore_ascii_case(tag.as_bytes()) {
            Ok((&i[n..], &i[..n]))
        } else {
            Err(nom::Err::Error(nom::error::Error::new(
                i,
                nom::error::ErrorKind::Tag,
            )))
        }
    }
}

/// A code line number as MilkDrop writes it (`%d`, from 1): no sign, no
/// leading zero.
fn line_number(i: &str) -> IResult<&str, u32> {
    verify(digit1, |d: &str| !d.starts_with('0'))
        .map_opt(|d: &str| d.parse::<u32>().ok())
        .parse(i)
}

/// A custom wave/shape number, `0`..`3`.
fn slot(i: &str) -> IResult<&str, usize> {
    one_of("0123").map(|c| c as usize - '0' as usize).parse(i)
}

/// Numbered code keys: `per_frame_3`, `wave_1_per_point12`, `warp_4`...
fn code_key(i: &str) -> IResult<&str, (BlockId, u32)> {
    all_consuming(alt((
        preceded(tag_ci("per_frame_init_"), line_number).map(|n| (BlockId::PerFrameInit, n)),
        preceded(tag_ci("per_frame_"), line_number).map(|n| (BlockId::PerFrame, n)),
        preceded(tag_ci("per_pixel_"), line_number).map(|n| (BlockId::PerPixel, n)),
        preceded(tag_ci("warp_"), line_number).map(|n| (BlockId::WarpShader, n)),
        preceded(tag_ci("comp_"), line_number).map(|n| (BlockId::CompShader, n)),
        (
            tag_ci("wave_"),
            slot,
            alt((
                tag_ci("_init").map(|_| BlockId::WaveInit as fn(usize) -> BlockId),
                tag_ci("_per_frame").map(|_| BlockId::WavePerFrame as fn(usize) -> BlockId),
                tag_ci("_per_point").map(|_| BlockId::WavePerPoint as fn(usize) -> BlockId),
            )),
            line_number,
        )
            .map(|(_, k, block, n)| (block(k), n)),
        (
            tag_ci("shape_"),
            slot,
            alt((
                tag_ci("_init").map(|_| BlockId::ShapeInit as fn(usize) -> BlockId),
                tag_ci("_per_frame").map(|_| BlockId::ShapePerFrame as fn(usize) -> BlockId),
            )),
            line_number,
        )
            .map(|(_, k, block, n)| (block(k), n)),
    )))
    .parse(i)
}

/// `wavecode_K_name` / `shapecode_K_name`: which and the name.
fn param_key(i: &str) -> IResult<&str, (bool, usize, &str)> {
    (
        alt((
            tag_ci("wavecode_").map(|_| true),
            tag_ci("shapecode_").map(|_| false),
        )),
        slot,
        preceded(char('_'), rest),
    )
        .parse(i)
}

fn classify(key: &str) -> Key {
    if let Ok((_, (block, n))) = code_key(key) {
        return Key::Code(block, n);
    }
    if let Ok((_, (is_wave, k, name))) = param_key(key) {
        return if is_wave {
            WaveParams::field_index(name).map_or(Key::Unknown, |i| Key::Wave(k, i))
        } else if name.eq_ignore_ascii_case("image") {
            Key::ShapeImage(k)
        } else {
            ShapeParams::field_index(name).map_or(Key::Unknown, |i| Key::Shape(k, i))
        };
    }
    if let Some(i) = BaseValues::field_index(key) {
        return Key::Base(i);
    }
    const SINGLES: [Single; NUM_SINGLE] = [
        Single::Version,
        Single::PsVersion,
        Single::PsVersionWarp,
        Single::PsVersionComp,
        Single::MotionVectorsOn,
    ];
    SINGLES
        .into_iter()
        .find(|&s| SINGLE_KEYS[s as usize].eq_ignore_ascii_case(key))
        .map_or(Key::Unknown, Key::Single)
}

/// The names of [`Single`] keys, as MilkDrop 2 spells them.
const SINGLE_KEYS: [&str; NUM_SINGLE] = [
    "MILKDROP_PRESET_VERSION",
    "PSVERSION",
    "PSVERSION_WARP",
    "PSVERSION_COMP",
    "bMotionVectorsOn",
];

/// Whether `key`, which [`classify`] (ignoring case) found to be `class`,
/// is spelled exactly as MilkDrop 2 looks it up. Allocates nothing: this
/// runs on every line.
fn spelled_as_milkdrop(key: &str, class: Key) -> bool {
    match class {
        // Code keys are all lower case (`per_frame_1`, `wave_0_per_point3`).
        Key::Code(..) => !key.bytes().any(|b| b.is_ascii_uppercase()),
        Key::Base(i) => key == BaseValues::KEYS[i],
        // `wavecode_K_` is 11 bytes, `shapecode_K_` 12.
        Key::Wave(_, i) => key.starts_with("wavecode_") && &key[11..] == WaveParams::KEYS[i],
        Key::Shape(_, i) => key.starts_with("shapecode_") && &key[12..] == ShapeParams::KEYS[i],
        Key::ShapeImage(_) => key.starts_with("shapecode_") && &key[12..] == "image",
        Key::Single(s) => key == SINGLE_KEYS[s as usize],
        Key::Unknown => true,
    }
}

/// The key as MilkDrop 2 spells it, for a warning.
fn milkdrop_spelling(class: Key) -> String {
    match class {
        Key::Code(block, n) => block.line_key(n),
        Key::Base(i) => BaseValues::KEYS[i].to_string(),
        Key::Wave(k, i) => format!("wavecode_{k}_{}", WaveParams::KEYS[i]),
        Key::Shape(k, i) => format!("shapecode_{k}_{}", ShapeParams::KEYS[i]),
        Key::ShapeImage(k) => format!("shapecode_{k}_image"),
        Key::Single(s) => SINGLE_KEYS[s as usize].to_string(),
        Key::Unknown => String::new(),
    }
}

/// 1-based column (in chars) of byte offset `byte` of `line`.
fn col_of(line: &str, byte: usize) -> u32 {
    line[..byte].chars().count() as u32 + 1
}

/// Line and column of a byte offset in the whole text.
fn location_of(text: &str, pos: usize) -> Location {
    let before = &text.as_bytes()[..pos];
    let mut line = 1u32;
    let mut line_start = 0usize;
    let mut i = 0;
    while i < before.len() {
        match before[i] {
            b'\r' => {
                if before.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                line += 1;
                line_start = i + 1;
            }
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    // `pos` is a char boundary (it is where a '\0' is), so is `line_start`.
    Location {
        line,
        col: text[line_start.min(pos)..pos].chars().count() as u32 + 1,
    }
}

impl<'a> Reader<'a> {
    fn warn(&mut self, line: u32, col: u32, kind: WarningKind) {
        self.warnings.push(Warning {
            location: Location { line, col },
            kind,
        });
    }

    fn line(&mut self, line: &'a str, line_no: u32) {
        let body = line.trim_start();
        if body.is_empty() {
            return;
        }
        let start_col = col_of(line, line.len() - body.len());
        if let Some(header) = body.strip_prefix('[') {
            let name = header.split(']').next().unwrap_or("").trim();
            self.in_preset = name.eq_ignore_ascii_case("preset00");
            if !self.in_preset {
                self.warn(
                    line_no,
                    start_col,
                    WarningKind::OtherSection {
                        name: name.to_string(),
                    },
                );
            }
            return;
        }
        if !self.in_preset {
            return;
        }
        let Ok((_, (raw_key, value))) = key_value(line) else {
            self.warn(line_no, start_col, WarningKind::JunkLine);
            return;
        };
        let key = raw_key.trim();
        let seen = Seen {
            value,
            line: line_no,
        };
        let mut class = classify(key);
        if class != Key::Unknown && !spelled_as_milkdrop(key, class) {
            // MilkDrop 2 looks keys up with `strcmp`: it never reads this
            // line. It is kept (and written back) as an unknown key.
            self.warn(
                line_no,
                start_col,
                WarningKind::KeyCase {
                    key: key.to_string(),
                    milkdrop_key: milkdrop_spelling(class),
                },
            );
            class = Key::Unknown;
        }
        match class {
            Key::Code(block, n) => {
                let mut value = value;
                let mut value_start = raw_key.len() + 1;
                if let Some(v) = value.strip_prefix('`') {
                    value = v;
                    value_start += 1;
                }
                self.code[block.index()].push(CodeLine {
                    n,
                    value,
                    origin: Location {
                        line: line_no,
                        col: col_of(line, value_start),
                    },
                    key_col: start_col,
                });
            }
            Key::Base(i) => self.first(key, seen, start_col, |r| &mut r.base[i]),
            Key::Wave(k, i) => self.first(key, seen, start_col, |r| &mut r.waves[k][i]),
            Key::Shape(k, i) => self.first(key, seen, start_col, |r| &mut r.shapes[k][i]),
            Key::ShapeImage(k) => self.first(key, seen, start_col, |r| &mut r.images[k]),
            Key::Single(s) => self.first(key, seen, start_col, |r| &mut r.singles[s as usize]),
            Key::Unknown => self.unknown.push(UnknownKey {
                key: key.to_string(),
                value: value.to_string(),
                line: line_no,
            }),
        }
    }

    /// Stores a value unless the key was seen before (then warns).
    fn first(
        &mut self,
        key: &str,
        seen: Seen<'a>,
        col: u32,
        slot: impl FnOnce(&mut Self) -> &mut Option<Seen<'a>>,
    ) {
        let s = slot(self);
        match s {
            None => *s = Some(seen),
            Some(first) => {
                let first_line = first.line;
                self.warn(
                    seen.line,
                    col,
                    WarningKind::DuplicateKey {
                        key: key.to_string(),
                        first_line,
                    },
                );
            }
        }
    }

    fn finish(mut self) -> Preset {
        let mut p = Preset::default();

        // Versions, as CState::Import interprets them.
        let int =
            |s: &Option<Seen<'_>>, def: i32| s.and_then(|s| parse_int(s.value)).unwrap_or(def);
        p.version = int(&self.singles[Single::Version as usize], 100);
        let (warp, comp) = if p.version < 200 {
            (0, 0)
        } else if p.version == 200 {
            let v = int(&self.singles[Single::PsVersion as usize], 2);
            (v, v)
        } else {
            (
                int(&self.singles[Single::PsVersionWarp as usize], 2),
                int(&self.singles[Single::PsVersionComp as usize], 2),
            )
        };
        p.ps_version_warp = warp;
        p.ps_version_comp = comp;
        p.ps_version = warp.max(comp);

        // MilkDrop 1.x: without `mv_a`, motion vectors are opaque only when
        // `bMotionVectorsOn` is non-zero.
        let mv_on = int(&self.singles[Single::MotionVectorsOn as usize], 0) != 0;
        p.base.mv_a = if mv_on { 1.0 } else { 0.0 };

        // `CState::Import` reads `wave_r`, `wave_g`, `wave_b`, `wave_x` and
        // `wave_y` with `m_fRot.eval(-1)` as the default (a copy-paste slip):
        // `rot`'s value after `Default()`, 0, not the 1, 1, 1, 0.5, 0.5 that
        // `Default()` gave them. A file without them (or with a value that is
        // not a number) has a black wave at the corner in MilkDrop 2.
        let b = &mut p.base;
        (b.wave_r, b.wave_g, b.wave_b, b.wave_x, b.wave_y) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (i, seen) in self.base.iter().enumerate() {
            if let Some(s) = seen {
                p.base.set_field(i, s.value);
            }
        }
        for k in 0..NUM_WAVES {
            for (i, seen) in self.waves[k].iter().enumerate() {
                if let Some(s) = seen {
                    p.waves[k].params.set_field(i, s.value);
                }
            }
        }
        for k in 0..NUM_SHAPES {
            for (i, seen) in self.shapes[k].iter().enumerate() {
                if let Some(s) = seen {
                    p.shapes[k].params.set_field(i, s.value);
                }
            }
            p.shapes[k].image = self.images[k].map(|s| s.value.to_string());
        }

        // Code blocks: lines 1, 2, ... up to the first missing number.
        let mut gap_warnings = Vec::new();
        for (index, lines) in self.code.iter_mut().enumerate() {
            if lines.is_empty() {
                continue;
            }
            let id = BlockId::from_index(index);
            // Stable: among equal numbers the first occurrence stays first.
            lines.sort_by_key(|l| l.n);
            let mut block = CodeBlock::default();
            let mut next = 1u32;
            for l in lines.iter() {
                if l.n == next {
                    block.push_line(l.value, l.origin);
                    next += 1;
                } else if l.n < next {
                    gap_warnings.push(Warning {
                        location: Location {
                            line: l.origin.line,
                            col: l.key_col,
                        },
                        kind: WarningKind::DuplicateKey {
                            key: id.line_key(l.n),
                            first_line: block.lines[l.n as usize - 1].origin.line,
                        },
                    });
                } else {
                    gap_warnings.push(Warning {
                        location: Location {
                            line: l.origin.line,
                            col: l.key_col,
                        },
                        kind: WarningKind::CodeGap {
                            block: id,
                            missing: next,
                            found: l.n,
                        },
                    });
                    break;
                }
            }
            if block.lines.is_empty() {
                // Only lines after a gap (no line 1): the block is absent.
                continue;
            }
            match id {
                BlockId::WarpShader => p.warp_shader = Some(block),
                BlockId::CompShader => p.comp_shader = Some(block),
                _ => {
                    if let Some(b) = p.block_mut(id) {
                        *b = block;
                    }
                }
            }
        }
        self.warnings.extend(gap_warnings);
        p.unknown = self.unknown;
        p.warnings = self.warnings;
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_keys() {
        assert_eq!(classify("per_frame_1"), Key::Code(BlockId::PerFrame, 1));
        assert_eq!(
            classify("PER_FRAME_INIT_12"),
            Key::Code(BlockId::PerFrameInit, 12)
        );
        assert_eq!(classify("per_pixel_3"), Key::Code(BlockId::PerPixel, 3));
        assert_eq!(
            classify("wave_3_per_point10"),
            Key::Code(BlockId::WavePerPoint(3), 10)
        );
        assert_eq!(classify("wave_0_init1"), Key::Code(BlockId::WaveInit(0), 1));
        assert_eq!(
            classify("shape_2_per_frame4"),
            Key::Code(BlockId::ShapePerFrame(2), 4)
        );
        assert_eq!(classify("warp_1"), Key::Code(BlockId::WarpShader, 1));
        assert_eq!(classify("comp_99"), Key::Code(BlockId::CompShader, 99));
        assert_eq!(classify("per_frame_0"), Key::Unknown);
        assert_eq!(classify("per_frame_01"), Key::Unknown);
        assert_eq!(classify("per_frame_1x"), Key::Unknown);
        assert_eq!(classify("per_frame_99999999999"), Key::Unknown);
        assert_eq!(classify("wave_4_init1"), Key::Unknown);
        assert_eq!(classify("wave_0_per_point_1"), Key::Unknown);
        assert_eq!(classify("shape_0_per_point1"), Key::Unknown);
        assert_eq!(
            classify("warp"),
            Key::Base(BaseValues::field_index("warp").unwrap())
        );
        assert_eq!(classify("fdecay"), Key::Base(2));
        assert_eq!(classify("wavecode_1_bSpectrum"), Key::Wave(1, 3));
        assert_eq!(classify("shapecode_3_num_inst"), Key::Shape(3, 5));
        assert_eq!(classify("shapecode_0_image"), Key::ShapeImage(0));
        assert_eq!(classify("shapecode_0_tex_capture"), Key::Unknown);
        assert_eq!(classify("wavecode_0_x"), Key::Unknown);
        assert_eq!(
            classify("PSVERSION_comp"),
            Key::Single(Single::PsVersionComp)
        );
        assert_eq!(
            classify("bMotionVectorsOn"),
            Key::Single(Single::MotionVectorsOn)
        );
        assert_eq!(classify(""), Key::Unknown);
    }

    #[test]
    fn splits_lines_at_lf_crlf_and_cr() {
        let lines: Vec<_> = Lines::new("a\r\nb\rc\n\rd\n\ne").collect();
        assert_eq!(lines, ["a", "b", "c", "", "d", "", "e"]);
        assert_eq!(Lines::new("").collect::<Vec<_>>(), [""]);
        assert_eq!(Lines::new("x\n").collect::<Vec<_>>(), ["x", ""]);
        assert_eq!(Lines::new("\r\r\n").collect::<Vec<_>>(), ["", "", ""]);
    }

    #[test]
    fn nul_location() {
        assert_eq!(
            location_of("ab\r\ncd\re\0", 8),
            Location { line: 3, col: 2 }
        );
        assert_eq!(location_of("\0", 0), Location { line: 1, col: 1 });
        assert_eq!(location_of("é\0", 2), Location { line: 1, col: 2 });
    }

    #[test]
    fn origin_columns_count_chars_and_skip_backtick() {
        let p = parse_text("  é_x=1\n  per_frame_1 =a\nwarp_1=`b\nwarp_2=c").unwrap();
        assert_eq!(p.per_frame.lines[0].origin, Location { line: 2, col: 16 });
        let w = p.warp_shader.unwrap();
        assert_eq!(w.text, "b\nc");
        assert_eq!(w.lines[0].origin, Location { line: 3, col: 9 });
        assert_eq!(w.lines[1].origin, Location { line: 4, col: 8 });
        assert_eq!(p.unknown[0].key, "é_x");
    }
}
