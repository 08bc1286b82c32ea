//! The subcommands of `kefir`.

pub mod analyze;
pub mod bench;
pub mod check;
pub mod eval;
pub mod render;
pub mod showcase;
