//! What a front-end listens to: live capture when a device opens, otherwise
//! the built-in [`demo_track`], played in real time so the
//! visuals always have music.

use crate::analyzer::Analyzer;
#[cfg(feature = "capture")]
use crate::capture::{Capture, CaptureConfig, CaptureReader};
#[cfg(feature = "capture")]
use crate::error::AudioError;
use crate::resample::ANALYSIS_RATE;
use crate::synth::{Synth, demo_track};

/// The demo track, paced by the frame clock.
#[derive(Debug)]
pub struct DemoInput {
    synth: Synth,
    /// Frames owed from fractional frame times.
    carry: f64,
    buf: Vec<[f32; 2]>,
}

impl Default for DemoInput {
    fn default() -> Self {
        DemoInput {
            synth: demo_track(ANALYSIS_RATE),
            carry: 0.0,
            buf: Vec::new(),
        }
    }
}

impl DemoInput {
    /// Pushes the next `dt` seconds of the track into `analyzer` (at most one
    /// second at a time, so a stalled frame does not flood it).
    pub fn feed(&mut self, analyzer: &mut Analyzer, dt: f64) -> usize {
        let dt = if dt.is_finite() {
            dt.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.carry += dt * ANALYSIS_RATE as f64;
        let n = self.carry.floor() as usize;
        self.carry -= n as f64;
        self.buf.clear();
        self.buf
            .extend((0..n).map_while(|_| self.synth.next_frame()));
        analyzer.push_analysis_rate(&self.buf);
        n
    }
}

/// Live capture, or the demo track when no device could be opened.
#[cfg(feature = "capture")]
#[derive(Debug)]
pub enum Input {
    Live {
        capture: Capture,
        reader: CaptureReader,
    },
    Demo(DemoInput),
}

#[cfg(feature = "capture")]
impl Input {
    /// Opens capture as `config` says; on failure plays the demo track and
    /// also returns the error, for the front-end to show.
    pub fn open_or_demo(config: CaptureConfig) -> (Input, Option<AudioError>) {
        match Capture::start(config) {
            Ok((capture, reader)) => (Input::Live { capture, reader }, None),
            Err(e) => (Input::Demo(DemoInput::default()), Some(e)),
        }
    }

    /// Moves the audio of the last `dt` seconds into `analyzer`; returns the
    /// number of frames (at 44.1 kHz). Never blocks.
    pub fn feed(&mut self, analyzer: &mut Analyzer, dt: f64) -> usize {
        match self {
            Input::Live { reader, .. } => reader.drain_into(analyzer),
            Input::Demo(demo) => demo.feed(analyzer, dt),
        }
    }

    pub fn is_demo(&self) -> bool {
        matches!(self, Input::Demo(_))
    }
}

#[cfg(all(test, feature = "capture"))]
mod tests {
    use super::*;
    use crate::capture::DeviceSelector;

    #[test]
    fn no_device_falls_back_to_the_demo_track_in_real_time() {
        let config = CaptureConfig {
            device: DeviceSelector::Name("kefir-no-such-device-0xbeef".into()),
            ..CaptureConfig::default()
        };
        let (mut input, error) = Input::open_or_demo(config);
        assert!(input.is_demo());
        assert!(error.is_some());
        let mut analyzer = Analyzer::default();
        let mut beats = 0;
        let mut fed = 0;
        for _ in 0..600 {
            fed += input.feed(&mut analyzer, 1.0 / 60.0);
            beats += analyzer.frame(1.0 / 60.0).beat as usize;
        }
        // 10 s of frames is 10 s of music, to the sample.
        assert_eq!(fed, 441_000);
        // 124 BPM: 20.7 beats in 10 s, at most one per eighth note (the
        // bass pulses on the off-beats).
        assert!((19..=42).contains(&beats), "{beats}");
        assert!(analyzer.bpm().is_some_and(|b| (b - 124.0).abs() < 2.0));
    }
}
