//! The subcommands of `kefir`.

pub mod check;
pub mod eval;
