//! Error types.
//!
//! Each message already ends with its cause's text, so the cause is a plain
//! field (`error`), not a `source()`: reporters that print the chain
//! (`anyhow`'s `{:#}`) would say it twice.

use std::io;
use std::path::PathBuf;

/// What can go wrong building filters or reading and writing prefs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlaylistError {
    /// An include or exclude pattern is not a valid glob.
    #[cfg(feature = "globs")]
    #[error("invalid glob pattern {pattern:?}: {error}")]
    Glob {
        /// The pattern as given.
        pattern: String,
        /// What globset found wrong with it.
        error: globset::Error,
    },
    /// A pattern was given to a build without the `globs` feature.
    #[cfg(not(feature = "globs"))]
    #[error("preset filter {pattern:?}: this build has no glob support (feature `globs`)")]
    NoGlobs {
        /// The first pattern given.
        pattern: String,
    },
    /// A file could not be read (a missing prefs file is not an error).
    #[error("cannot read {}: {error}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        error: io::Error,
    },
    /// The prefs file is not valid TOML or has values of the wrong type.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line of the error (1 when the position is unknown).
        line: usize,
        /// 1-based column, in characters, of the error (1 when unknown).
        column: usize,
        /// What is wrong there.
        message: String,
    },
    /// A file or its directory could not be written.
    #[error("cannot write {}: {error}", path.display())]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        error: io::Error,
    },
}

/// A directory (or root, or link) that [`scan`](crate::scan) could not read;
/// the scan goes on without it.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {}: {error}", path.display())]
pub struct ScanError {
    /// The path that could not be read.
    pub path: PathBuf,
    /// The underlying error.
    pub error: io::Error,
}
