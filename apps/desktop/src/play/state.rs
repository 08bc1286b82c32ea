//! `--log-state`: one JSON object per line on stdout for each thing that
//! happens (window ready, preset switched, resize, fullscreen, hotkey,
//! frame rate once a second, screenshot, quit), for scripts and tests.

use std::io::Write as _;
use std::time::Instant;

pub struct StateLog {
    on: bool,
    started: Instant,
}

impl StateLog {
    pub fn new(on: bool) -> Self {
        StateLog {
            on,
            started: Instant::now(),
        }
    }

    /// Prints `value` (an object) with the seconds since start as `t`.
    pub fn emit(&self, mut value: serde_json::Value) {
        if !self.on {
            return;
        }
        if let Some(map) = value.as_object_mut() {
            let t = (self.started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
            map.insert("t".into(), t.into());
        }
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{value}");
        let _ = out.flush();
    }
}
