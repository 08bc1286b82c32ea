//! Where the visualizer's audio comes from: a file playing with sound (its
//! played frames go to [`kefir_player::Player::push_audio_f32`]), or
//! milk-audio's live capture (which reopens a lost device by itself) or
//! demo signal, fed with [`kefir_player::Player::feed`].

use std::collections::VecDeque;
use std::path::PathBuf;

use milk_audio::{
    Capture, CaptureConfig, CaptureReader, CaptureStatus, DemoInput, DeviceSelector, Input,
};

use super::config::AudioSettings;
use super::playback::FilePlayback;

/// What the audio side tells the user.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// Now listening to this (a file, a device, the demo).
    Source(String),
    /// Something went wrong but the visuals go on.
    Warning(String),
}

/// The device a `--device` value names.
pub fn selector(device: Option<&str>) -> Option<DeviceSelector> {
    let d = device?.trim();
    Some(match d.to_ascii_lowercase().as_str() {
        "" | "auto" => return None,
        "default" => DeviceSelector::Default,
        "monitor" => DeviceSelector::Monitor,
        _ => match d.parse::<usize>() {
            Ok(i) => DeviceSelector::Index(i),
            Err(_) => DeviceSelector::Name(d.to_string()),
        },
    })
}

/// Where audio goes: the player (its analysis), or a bare analyzer in
/// tests.
pub trait Sink {
    /// Interleaved stereo f32 frames at `rate`.
    fn push_stereo(&mut self, frames: &[[f32; 2]], rate: u32);
    /// What milk-audio's capture (or demo signal) has for the last `dt`
    /// seconds; returns the frames moved (at 44.1 kHz).
    fn feed(&mut self, input: &mut Input, dt: f64) -> usize;
}

impl Sink for kefir_player::Player {
    fn push_stereo(&mut self, frames: &[[f32; 2]], rate: u32) {
        self.push_audio_f32(frames.as_flattened(), 2, rate);
    }
    fn feed(&mut self, input: &mut Input, dt: f64) -> usize {
        kefir_player::Player::feed(self, input, dt)
    }
}

impl Sink for milk_audio::Analyzer {
    fn push_stereo(&mut self, frames: &[[f32; 2]], rate: u32) {
        self.push_f32(frames.as_flattened(), milk_audio::PcmFormat::new(rate, 2));
    }
    fn feed(&mut self, input: &mut Input, dt: f64) -> usize {
        input.feed(self, dt)
    }
}

enum Source {
    File(Box<FilePlayback>),
    /// milk-audio's live capture (which reopens a lost device by itself)
    /// or its demo signal.
    Input {
        input: Input,
        /// The capture status last reported, to tell the user of changes.
        status: Option<CaptureStatus>,
    },
}

/// The demo signal, played at the pace of the frame clock.
fn demo() -> Source {
    Source::Input {
        input: Input::Demo(DemoInput::default()),
        status: None,
    }
}

/// The audio of the visualizer: a queue of files, then live capture or the
/// demo.
pub struct Audio {
    source: Source,
    queue: VecDeque<PathBuf>,
    settings: AudioSettings,
    /// Play files without sound.
    silent: bool,
    notices: Vec<Notice>,
}

impl Audio {
    /// Starts with the first of `files`, or live input as `settings` say.
    pub fn new(settings: &AudioSettings, files: Vec<PathBuf>, silent: bool) -> Audio {
        let mut audio = Audio {
            source: demo(),
            queue: files.into(),
            settings: settings.clone(),
            silent,
            notices: Vec::new(),
        };
        audio.advance();
        audio
    }

    /// Replaces the queue with `files` and plays the first now.
    pub fn play_files(&mut self, files: Vec<PathBuf>) {
        self.queue = files.into();
        self.advance();
    }

    /// The next file that opens, else live input.
    fn advance(&mut self) {
        while let Some(path) = self.queue.pop_front() {
            match FilePlayback::start(&path, self.silent) {
                Ok(p) => {
                    self.notices.push(Notice::Source(format!(
                        "playing {} ({})",
                        p.title(),
                        p.output_description()
                    )));
                    self.source = Source::File(Box::new(p));
                    return;
                }
                Err(e) => self
                    .notices
                    .push(Notice::Warning(format!("{}: {e:#}", path.display()))),
            }
        }
        self.source = self.open_live();
    }

    fn open_live(&mut self) -> Source {
        if self.settings.demo {
            self.notices.push(Notice::Source("demo signal".to_string()));
            return demo();
        }
        match self.try_live() {
            Ok((capture, reader)) => {
                let status = capture.status();
                if let CaptureStatus::Running { device } = &status {
                    self.notices
                        .push(Notice::Source(format!("capturing {device}")));
                }
                Source::Input {
                    input: Input::Live { capture, reader },
                    status: Some(status),
                }
            }
            Err(errors) => {
                self.notices.push(Notice::Warning(format!(
                    "no sound input found, so the demo signal plays (--list-devices shows \
                     the inputs, --device picks one; tried {})",
                    errors.join("; ")
                )));
                demo()
            }
        }
    }

    /// Opens the configured device: the output monitor where there is one,
    /// else the default input, unless the settings name one.
    fn try_live(&self) -> Result<(Capture, CaptureReader), Vec<String>> {
        let tries = match selector(self.settings.device.as_deref()) {
            Some(s) => vec![s],
            None if cfg!(target_os = "linux") => {
                vec![DeviceSelector::Monitor, DeviceSelector::Default]
            }
            None => vec![DeviceSelector::Default],
        };
        let mut errors = Vec::new();
        for s in &tries {
            let config = CaptureConfig {
                device: s.clone(),
                ..CaptureConfig::default()
            };
            match Capture::start(config) {
                Ok(started) => return Ok(started),
                Err(e) => errors.push(format!("{s}: {e}")),
            }
        }
        Err(errors)
    }

    /// Moves the audio of the last `dt` seconds into `sink`; returns the
    /// frames moved.
    pub fn pump(&mut self, sink: &mut dyn Sink, dt: f64) -> usize {
        // Move on when a file ended; tell the user when capture comes and
        // goes (milk-audio reopens a lost device by itself).
        let mut next = false;
        match &mut self.source {
            Source::File(p) => {
                if let Some(e) = p.error() {
                    self.notices
                        .push(Notice::Warning(format!("{}: {e}", p.path().display())));
                    next = true;
                } else if p.finished() {
                    next = true;
                }
            }
            Source::Input {
                input: Input::Live { capture, .. },
                status,
            } => {
                let now = capture.status();
                if status.as_ref() != Some(&now) {
                    match &now {
                        CaptureStatus::Running { device } => {
                            self.notices.push(Notice::Source(format!("capturing {device}")))
                        }
                        CaptureStatus::Lost { device, error } => {
                            self.notices.push(Notice::Warning(format!(
                                "capture from {device} stopped: {error}; waiting for it to come back"
                            )))
                        }
                        CaptureStatus::Stopped => {}
                    }
                    *status = Some(now);
                }
            }
            Source::Input { .. } => {}
        }
        if next {
            self.advance();
        }
        match &mut self.source {
            Source::File(p) => {
                let rate = p.rate();
                let frames = p.take_played(dt);
                sink.push_stereo(frames, rate);
                frames.len()
            }
            Source::Input { input, .. } => sink.feed(input, dt),
        }
    }

    /// What happened since the last call.
    pub fn notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    /// The file playing: title, seconds played, length.
    pub fn track(&self) -> Option<(String, f64, Option<f64>)> {
        match &self.source {
            Source::File(p) => {
                let (pos, len) = p.position();
                Some((p.title(), pos, len))
            }
            _ => None,
        }
    }

    /// A word for the source, for state lines.
    pub fn kind(&self) -> &'static str {
        match &self.source {
            Source::File(_) => "file",
            Source::Input { input, .. } if input.is_demo() => "demo",
            Source::Input { .. } => "live",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_flags() {
        assert_eq!(selector(None), None);
        assert_eq!(selector(Some("auto")), None);
        assert_eq!(selector(Some("default")), Some(DeviceSelector::Default));
        assert_eq!(selector(Some("Monitor")), Some(DeviceSelector::Monitor));
        assert_eq!(selector(Some("3")), Some(DeviceSelector::Index(3)));
        assert_eq!(
            selector(Some("USB Audio")),
            Some(DeviceSelector::Name("USB Audio".into()))
        );
    }

    #[test]
    fn the_demo_plays_in_real_time() {
        let mut audio = Audio::new(
            &AudioSettings {
                demo: true,
                ..AudioSettings::default()
            },
            Vec::new(),
            true,
        );
        assert_eq!(audio.kind(), "demo");
        let mut analyzer = milk_audio::Analyzer::default();
        let mut total = 0;
        for _ in 0..60 {
            total += audio.pump(&mut analyzer, 1.0 / 60.0);
        }
        assert!((total as i64 - 44_100).abs() <= 1, "{total}");
        assert_eq!(audio.notices(), vec![Notice::Source("demo signal".into())]);
    }

    #[test]
    fn a_missing_file_falls_through_to_live_input() {
        let settings = AudioSettings {
            demo: true,
            ..AudioSettings::default()
        };
        let audio = &mut Audio::new(&settings, vec!["/no/such/song.flac".into()], true);
        assert_eq!(audio.kind(), "demo");
        let notices = audio.notices();
        assert!(matches!(&notices[0], Notice::Warning(w) if w.contains("song.flac")));
    }
}
