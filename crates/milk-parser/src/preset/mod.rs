//! The `.milk` preset file: model, tolerant parser and writer.

mod code;

pub use code::{CodeBlock, Location, SourceLine};

/// Placeholder until the file parser lands.
#[derive(Debug)]
pub struct Preset;
/// Placeholder until the file parser lands.
#[derive(Debug)]
pub struct ParseError;
