//! MilkDrop presets without a GPU: the `.milk` file format and the ns-eel2
//! equation language that presets are programmed in.
//!
//! - [`preset`]: `.milk` text <-> [`Preset`] model (base values, code blocks,
//!   custom waves and shapes, shader text), tolerant of real-world files.
//! - [`eel`]: the equation language: nom parser -> AST -> compiler -> VM, with
//!   a batched (structure-of-arrays) path for per-vertex code.

pub mod eel;
pub mod preset;

pub use preset::{ParseError, Preset};
