//! The `.milk` preset file: model, tolerant parser and writer.
//!
//! ```
//! use milk_parser::Preset;
//! let p = Preset::parse("[preset00]\nfDecay=0.9\nper_frame_1=zoom = zoom*1.01;\n").unwrap();
//! assert_eq!(p.base.decay, f64::from(0.9f32)); // a `float`, as in MilkDrop 2
//! assert_eq!(p.per_frame.text, "zoom = zoom*1.01;");
//! assert_eq!(Preset::parse(&p.to_milk()).unwrap().without_locations(), p.without_locations());
//! ```
//!
//! How files are read (MilkDrop 2's `CState::Import` plus the tolerance of
//! `GetPrivateProfileString`):
//! - a line is `key=value`; the key is trimmed and must be spelled as
//!   MilkDrop 2 spells it (it looks keys up with `strcmp`): a known key in
//!   other letter case is ignored, with a [`WarningKind::KeyCase`] warning.
//!   The value is everything after the first `=`, verbatim (code keeps its
//!   spaces). The first occurrence of a key wins.
//! - a file without `wave_r`, `wave_g`, `wave_b`, `wave_x` or `wave_y` gets
//!   0 for each missing one, as MilkDrop 2's import gives it (see
//!   [`Preset::default`]).
//! - lines end with LF, CRLF or a lone CR. Lines without `=` are ignored
//!   (with a [`WarningKind::JunkLine`] warning). A `[section]` header other
//!   than `[preset00]` starts a section whose keys are ignored, as MilkDrop 1
//!   does; keys before any header belong to the preset.
//! - code blocks are the lines `prefix1`, `prefix2`, ... up to the first
//!   missing number; an empty value is a present (empty) line. One leading
//!   backtick is removed from every code line (MilkDrop 2 does so in
//!   `ReadCode`; shader lines always have one).
//! - numbers are read like `sscanf` (see [`value`]); a value that is not a
//!   number keeps the default. Float values are kept as MilkDrop 2 keeps
//!   them, as 32-bit floats (widened back to `f64`).

mod code;
mod model;
mod parse;
pub mod value;
mod write;

use std::borrow::Cow;
use std::fmt;

pub use code::{CodeBlock, Location, SourceLine};
pub use model::{BaseValues, CustomShape, CustomWave, ShapeParams, WaveParams};
pub use value::ParamValue;

/// Files larger than this (1 MiB) are rejected: no real preset comes close.
pub const MAX_FILE_BYTES: usize = 1_048_576;

/// Number of custom waves in a preset.
pub const NUM_WAVES: usize = 4;
/// Number of custom shapes in a preset.
pub const NUM_SHAPES: usize = 4;

/// Why a file could not be read as a preset at all. (Anything else is
/// tolerated and at most reported in [`Preset::warnings`].)
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error(
        "preset file is too large: {bytes} bytes (the limit is {limit} bytes = 1 MiB); is this really a .milk preset?"
    )]
    TooLarge { bytes: usize, limit: usize },
    #[error(
        "preset file contains a NUL byte at line {line}, column {col}: this is a binary file, not a .milk preset"
    )]
    NulByte { line: u32, col: u32 },
}

/// Names one code block of a preset. `Display` gives the key prefix without
/// the line number: `per_frame`, `wave_2_per_point`, `shape_0_init`, `warp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BlockId {
    PerFrameInit,
    PerFrame,
    PerPixel,
    WaveInit(usize),
    WavePerFrame(usize),
    WavePerPoint(usize),
    ShapeInit(usize),
    ShapePerFrame(usize),
    /// Warp pixel shader (`warp_N`).
    WarpShader,
    /// Composite pixel shader (`comp_N`).
    CompShader,
}

impl BlockId {
    /// Number of distinct blocks (3 + 4*3 + 4*2 + 2).
    pub const COUNT: usize = 25;

    /// All blocks, in the order [`Preset::code_blocks`] yields them.
    pub fn all() -> impl Iterator<Item = BlockId> {
        (0..Self::COUNT).map(Self::from_index)
    }

    /// Dense index 0..[`BlockId::COUNT`].
    pub fn index(self) -> usize {
        match self {
            BlockId::PerFrameInit => 0,
            BlockId::PerFrame => 1,
            BlockId::PerPixel => 2,
            BlockId::WaveInit(k) => 3 + 3 * k,
            BlockId::WavePerFrame(k) => 4 + 3 * k,
            BlockId::WavePerPoint(k) => 5 + 3 * k,
            BlockId::ShapeInit(k) => 15 + 2 * k,
            BlockId::ShapePerFrame(k) => 16 + 2 * k,
            BlockId::WarpShader => 23,
            BlockId::CompShader => 24,
        }
    }

    /// Inverse of [`BlockId::index`]; panics when `i >= COUNT`.
    pub fn from_index(i: usize) -> BlockId {
        match i {
            0 => BlockId::PerFrameInit,
            1 => BlockId::PerFrame,
            2 => BlockId::PerPixel,
            3..=14 => match (i - 3) % 3 {
                0 => BlockId::WaveInit((i - 3) / 3),
                1 => BlockId::WavePerFrame((i - 3) / 3),
                _ => BlockId::WavePerPoint((i - 3) / 3),
            },
            15..=22 => match (i - 15) % 2 {
                0 => BlockId::ShapeInit((i - 15) / 2),
                _ => BlockId::ShapePerFrame((i - 15) / 2),
            },
            23 => BlockId::WarpShader,
            24 => BlockId::CompShader,
            _ => panic!("BlockId index {i} out of range"),
        }
    }

    /// True for the pixel shader blocks (lines written with a backtick).
    pub fn is_shader(self) -> bool {
        matches!(self, BlockId::WarpShader | BlockId::CompShader)
    }

    /// The key of line `n` of this block, e.g. `per_frame_3`, `wave_1_per_point3`.
    pub fn line_key(self, n: u32) -> String {
        match self {
            BlockId::PerFrameInit
            | BlockId::PerFrame
            | BlockId::PerPixel
            | BlockId::WarpShader
            | BlockId::CompShader => format!("{self}_{n}"),
            _ => format!("{self}{n}"),
        }
    }
}

impl fmt::Display for BlockId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BlockId::PerFrameInit => f.write_str("per_frame_init"),
            BlockId::PerFrame => f.write_str("per_frame"),
            BlockId::PerPixel => f.write_str("per_pixel"),
            BlockId::WaveInit(k) => write!(f, "wave_{k}_init"),
            BlockId::WavePerFrame(k) => write!(f, "wave_{k}_per_frame"),
            BlockId::WavePerPoint(k) => write!(f, "wave_{k}_per_point"),
            BlockId::ShapeInit(k) => write!(f, "shape_{k}_init"),
            BlockId::ShapePerFrame(k) => write!(f, "shape_{k}_per_frame"),
            BlockId::WarpShader => f.write_str("warp"),
            BlockId::CompShader => f.write_str("comp"),
        }
    }
}

/// A key the parser does not know, kept so the writer can write it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    /// The key as written in the file (trimmed).
    pub key: String,
    /// Everything after the `=`, verbatim.
    pub value: String,
    /// 1-based line in the file.
    pub line: u32,
}

/// Something in the file that was ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where: the start of the offending line (first non-blank char).
    pub location: Location,
    pub kind: WarningKind,
}

/// What a [`Warning`] is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WarningKind {
    /// A non-blank line without `=` (and not a `[section]` header).
    JunkLine,
    /// A key seen before: this later occurrence is ignored.
    DuplicateKey { key: String, first_line: u32 },
    /// Line `missing` of `block` is absent, so this line (numbered `found`)
    /// and every later-numbered line of the block are ignored.
    CodeGap {
        block: BlockId,
        missing: u32,
        found: u32,
    },
    /// A `[section]` other than `[preset00]`: its keys are ignored.
    OtherSection { name: String },
    /// A known key in other letter case (`fwarpScale`): MilkDrop 2 compares
    /// keys case-sensitively, so it never reads the line, and neither does
    /// Kefir (the line is kept as an unknown key).
    KeyCase { key: String, milkdrop_key: String },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.location)?;
        match &self.kind {
            WarningKind::JunkLine => f.write_str("line without `=` ignored"),
            WarningKind::DuplicateKey { key, first_line } => write!(
                f,
                "duplicate key `{key}` ignored (first set on line {first_line})"
            ),
            WarningKind::CodeGap {
                block,
                missing,
                found,
            } => write!(
                f,
                "`{}` is missing, so `{}` and later lines of {block} are ignored",
                block.line_key(*missing),
                block.line_key(*found)
            ),
            WarningKind::OtherSection { name } => {
                write!(f, "section [{name}] ignored (only [preset00] is read)")
            }
            WarningKind::KeyCase { key, milkdrop_key } => write!(
                f,
                "`{key}` ignored: MilkDrop 2 reads `{milkdrop_key}` (keys are case-sensitive)"
            ),
        }
    }
}

/// A MilkDrop 1.x / 2.x preset.
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    /// `MILKDROP_PRESET_VERSION` (100 when absent, as MilkDrop assumes: a
    /// MilkDrop 1 preset; 200 and 201 are MilkDrop 2).
    pub version: i32,
    /// The highest pixel shader version the preset uses:
    /// `max(ps_version_warp, ps_version_comp)` (MilkDrop's `m_nMaxPSVersion`).
    pub ps_version: i32,
    /// Warp shader version as MilkDrop uses it: 0 when `version < 200`,
    /// `PSVERSION` (default 2) when `version == 200`, else `PSVERSION_WARP`
    /// (default 2).
    pub ps_version_warp: i32,
    /// Composite shader version, like [`Preset::ps_version_warp`] with
    /// `PSVERSION_COMP`.
    pub ps_version_comp: i32,
    pub base: BaseValues,
    pub per_frame_init: CodeBlock,
    pub per_frame: CodeBlock,
    pub per_pixel: CodeBlock,
    pub waves: [CustomWave; NUM_WAVES],
    pub shapes: [CustomShape; NUM_SHAPES],
    /// Warp shader text (`warp_N` lines, backtick removed); `None` when the
    /// file has no `warp_1` line.
    pub warp_shader: Option<CodeBlock>,
    /// Composite shader text (`comp_N` lines); `None` when absent.
    pub comp_shader: Option<CodeBlock>,
    /// Keys the parser does not know, in file order.
    pub unknown: Vec<UnknownKey>,
    /// Ignored lines, in file order (gap warnings come last).
    pub warnings: Vec<Warning>,
}

impl Default for Preset {
    /// MilkDrop 2's defaults (`CState::Default`): no code, no shaders,
    /// version 100 with pixel shader versions 0.
    ///
    /// Note `Preset::parse("")` differs in six values, as MilkDrop 2's
    /// `CState::Import` does: `base.mv_a` is 0 there, because the import
    /// derives a missing `mv_a` from the missing (so false) MilkDrop 1 key
    /// `bMotionVectorsOn`; and `wave_r`, `wave_g`, `wave_b`, `wave_x` and
    /// `wave_y` are 0, because the import reads them with `rot`'s value as
    /// their default (a slip in MilkDrop 2's code, which it plays by).
    fn default() -> Self {
        Preset {
            version: 100,
            ps_version: 0,
            ps_version_warp: 0,
            ps_version_comp: 0,
            base: BaseValues::default(),
            per_frame_init: CodeBlock::default(),
            per_frame: CodeBlock::default(),
            per_pixel: CodeBlock::default(),
            waves: Default::default(),
            shapes: Default::default(),
            warp_shader: None,
            comp_shader: None,
            unknown: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

impl Preset {
    /// Parses the text of a `.milk` file. Never panics; fails only for
    /// files over [`MAX_FILE_BYTES`] or containing NUL. A leading BOM is
    /// skipped.
    pub fn parse(text: &str) -> Result<Preset, ParseError> {
        if text.len() > MAX_FILE_BYTES {
            return Err(ParseError::TooLarge {
                bytes: text.len(),
                limit: MAX_FILE_BYTES,
            });
        }
        parse::parse_text(text)
    }

    /// Parses the bytes of a `.milk` file: UTF-8 when valid, else Latin-1
    /// (each byte is one char); a UTF-8 BOM is skipped.
    pub fn from_bytes(bytes: &[u8]) -> Result<Preset, ParseError> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(ParseError::TooLarge {
                bytes: bytes.len(),
                limit: MAX_FILE_BYTES,
            });
        }
        parse::parse_text(&decode(bytes))
    }

    /// The preset as a MilkDrop 2 style `.milk` file. Numbers are written in
    /// their shortest exact form, so `Preset::parse(&p.to_milk())` gives back
    /// the same model (see [`Preset::without_locations`]).
    pub fn to_milk(&self) -> String {
        write::to_milk(self)
    }

    /// Every code block with its name: per_frame_init, per_frame, per_pixel,
    /// then each wave's init/per_frame/per_point, each shape's
    /// init/per_frame, then the warp and comp shaders when present. Empty
    /// blocks are included.
    pub fn code_blocks(&self) -> impl Iterator<Item = (BlockId, &CodeBlock)> {
        BlockId::all().filter_map(move |id| self.block(id).map(|b| (id, b)))
    }

    /// One code block; `None` only for an absent shader (or a wave/shape
    /// number over 3).
    pub fn block(&self, id: BlockId) -> Option<&CodeBlock> {
        match id {
            BlockId::PerFrameInit => Some(&self.per_frame_init),
            BlockId::PerFrame => Some(&self.per_frame),
            BlockId::PerPixel => Some(&self.per_pixel),
            BlockId::WaveInit(k) => self.waves.get(k).map(|w| &w.init),
            BlockId::WavePerFrame(k) => self.waves.get(k).map(|w| &w.per_frame),
            BlockId::WavePerPoint(k) => self.waves.get(k).map(|w| &w.per_point),
            BlockId::ShapeInit(k) => self.shapes.get(k).map(|s| &s.init),
            BlockId::ShapePerFrame(k) => self.shapes.get(k).map(|s| &s.per_frame),
            BlockId::WarpShader => self.warp_shader.as_ref(),
            BlockId::CompShader => self.comp_shader.as_ref(),
        }
    }

    /// Mutable access to a code block; shader blocks are created (empty)
    /// when absent. `None` only for a wave/shape number over 3.
    pub fn block_mut(&mut self, id: BlockId) -> Option<&mut CodeBlock> {
        match id {
            BlockId::PerFrameInit => Some(&mut self.per_frame_init),
            BlockId::PerFrame => Some(&mut self.per_frame),
            BlockId::PerPixel => Some(&mut self.per_pixel),
            BlockId::WaveInit(k) => self.waves.get_mut(k).map(|w| &mut w.init),
            BlockId::WavePerFrame(k) => self.waves.get_mut(k).map(|w| &mut w.per_frame),
            BlockId::WavePerPoint(k) => self.waves.get_mut(k).map(|w| &mut w.per_point),
            BlockId::ShapeInit(k) => self.shapes.get_mut(k).map(|s| &mut s.init),
            BlockId::ShapePerFrame(k) => self.shapes.get_mut(k).map(|s| &mut s.per_frame),
            BlockId::WarpShader => Some(self.warp_shader.get_or_insert_with(CodeBlock::default)),
            BlockId::CompShader => Some(self.comp_shader.get_or_insert_with(CodeBlock::default)),
        }
    }

    /// A copy without file positions: code line origins become line N
    /// column 1 of their block, unknown keys get line 0, warnings are
    /// dropped. Two presets with equal content compare equal this way
    /// (used for the `parse(to_milk(p)) == p` round trip).
    pub fn without_locations(&self) -> Preset {
        let mut p = self.clone();
        for i in 0..BlockId::COUNT {
            if let Some(b) = p.block_mut_if_present(BlockId::from_index(i)) {
                for (n, line) in b.lines.iter_mut().enumerate() {
                    line.origin = Location {
                        line: n as u32 + 1,
                        col: 1,
                    };
                }
            }
        }
        for u in &mut p.unknown {
            u.line = 0;
        }
        p.warnings.clear();
        p
    }

    fn block_mut_if_present(&mut self, id: BlockId) -> Option<&mut CodeBlock> {
        match id {
            BlockId::WarpShader => self.warp_shader.as_mut(),
            BlockId::CompShader => self.comp_shader.as_mut(),
            _ => self.block_mut(id),
        }
    }
}

/// UTF-8 if valid, else Latin-1; a UTF-8 BOM is removed.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_ids_round_trip_and_display() {
        for (i, id) in BlockId::all().enumerate() {
            assert_eq!(id.index(), i);
            assert_eq!(BlockId::from_index(i), id);
        }
        assert_eq!(BlockId::PerFrame.to_string(), "per_frame");
        assert_eq!(BlockId::WavePerPoint(2).to_string(), "wave_2_per_point");
        assert_eq!(BlockId::ShapeInit(3).line_key(7), "shape_3_init7");
        assert_eq!(BlockId::PerFrameInit.line_key(1), "per_frame_init_1");
        assert_eq!(BlockId::WarpShader.line_key(2), "warp_2");
    }

    #[test]
    fn decode_utf8_latin1_bom() {
        assert_eq!(decode(b"\xEF\xBB\xBFa=\xC3\xA9"), "a=é");
        assert_eq!(decode(b"a=\xE9"), "a=é");
        assert_eq!(decode(b"\xEF\xBB\xBFa=\xE9"), "a=é");
    }

    #[test]
    fn code_blocks_lists_all_blocks() {
        let mut p = Preset::default();
        assert_eq!(p.code_blocks().count(), 23);
        p.warp_shader = Some(CodeBlock::from_text("x"));
        let ids: Vec<_> = p.code_blocks().map(|(id, _)| id).collect();
        assert_eq!(ids.len(), 24);
        assert_eq!(ids[0], BlockId::PerFrameInit);
        assert_eq!(ids[5], BlockId::WavePerPoint(0));
        assert_eq!(*ids.last().unwrap(), BlockId::WarpShader);
    }
}
