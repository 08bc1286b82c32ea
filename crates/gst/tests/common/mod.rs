//! Helpers shared by the element's test binaries.

use std::sync::{Arc, Mutex};

use gst::prelude::*;

/// Fraction of pixels (4 bytes each) with a channel above 16.
pub fn lit(frame: &[u8]) -> f64 {
    let n = frame
        .chunks_exact(4)
        .filter(|p| p[..3].iter().any(|&c| c > 16))
        .count();
    n as f64 / (frame.len() / 4) as f64
}

/// A `preset-failed` signal: the preset's path (if a file) and the error.
pub type Failure = (Option<String>, String);

/// What the element's preset signals said.
#[derive(Default, Clone)]
pub struct PresetSignals {
    /// `preset-failed`.
    pub failed: Arc<Mutex<Vec<Failure>>>,
    /// `preset-changed`: names.
    pub changed: Arc<Mutex<Vec<String>>>,
}

impl PresetSignals {
    /// Records `element`'s `preset-failed` and `preset-changed` signals.
    pub fn watch(element: &gst::Element) -> PresetSignals {
        let signals = PresetSignals::default();
        let failed = signals.failed.clone();
        element.connect("preset-failed", false, move |args| {
            failed
                .lock()
                .unwrap()
                .push((args[1].get().unwrap(), args[2].get().unwrap()));
            None
        });
        let changed = signals.changed.clone();
        element.connect("preset-changed", false, move |args| {
            changed.lock().unwrap().push(args[1].get().unwrap());
            None
        });
        signals
    }
}
