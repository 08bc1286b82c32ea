//! MilkDrop presets without a GPU: the `.milk` file format and the ns-eel2
//! equation language that presets are programmed in.
//!
//! - [`preset`]: `.milk` text <-> [`Preset`] model (base values, code blocks,
//!   custom waves and shapes, shader text), tolerant of real-world files.
//! - [`eel`]: the equation language: nom parser -> AST -> compiler -> VM, with
//!   a batched (structure-of-arrays) path for per-vertex code.
//! - [`code`]: a preset's code blocks compiled into MilkDrop's code contexts.

pub mod code;
pub mod eel;
pub mod preset;

pub use code::{BlockError, CodeOptions, PresetCode};
pub use preset::{ParseError, Preset};
