//! Errors of the audio crate: capture devices and file decoding. Analysis
//! itself never fails (any PCM is accepted), so it has no error type.

use std::path::PathBuf;

/// What went wrong with a capture device or an audio file.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// No capture device could be opened at all (typical on machines without
    /// sound hardware, e.g. CI). `reason` says what the audio backend said.
    #[error("no usable audio input device: {reason}")]
    NoInputDevice { reason: String },
    /// The device asked for by name or index does not exist.
    #[error("no audio input device matches {query:?}; available: {}", list_or_none(.available))]
    DeviceNotFound {
        query: String,
        available: Vec<String>,
    },
    /// Nothing records what the machine plays ([`crate::DeviceSelector::Monitor`]):
    /// `help` says what to do on this OS (see [`crate::loopback`]).
    #[error("nothing here records what the machine plays: {help}; inputs: {}", list_or_none(.available))]
    NoMonitor {
        help: String,
        available: Vec<String>,
    },
    /// The audio backend failed (building or starting a stream, listing
    /// devices, ...).
    #[error("audio backend error on {device:?}: {message}")]
    Backend { device: String, message: String },
    /// The device only offers a sample format this crate does not convert.
    #[error("device {device:?} uses an unsupported sample format {format}")]
    UnsupportedSampleFormat { device: String, format: String },
    /// The file could not be opened or read.
    /// (The cause is a plain field: the message already ends with it.)
    #[error("cannot read {path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The file is not a supported audio format, or has no audio track.
    #[error("cannot decode {path}: {message}")]
    Decode { path: PathBuf, message: String },
}

fn list_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}
