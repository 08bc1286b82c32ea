//! Where the box's audio comes from: the ALSA capture device the config
//! names (milk-audio's [`match_card`]: exact name, part of a card id, else
//! the default input), through milk-audio's capture, whose supervisor
//! reopens a device that goes away. With nothing to capture from, the demo
//! signal plays (or silence, as the config says) and the box looks for a
//! device again every few seconds: plugging one in later works.

use std::time::{Duration, Instant};

use milk_audio::{Capture, CaptureConfig, CaptureStatus, DemoInput, Input, match_card};

use crate::config::{AudioConfig, Fallback};

/// How often to look for an input device while there is none.
const PROBE_EVERY: Duration = Duration::from_secs(5);

enum Source {
    Capture { input: Input, status: CaptureStatus },
    Demo(Input),
    Silence,
}

/// The box's audio input.
pub struct AudioIn {
    config: AudioConfig,
    source: Source,
    next_probe: Option<Instant>,
    notices: Vec<String>,
}

impl AudioIn {
    pub fn new(config: &AudioConfig) -> AudioIn {
        let mut a = AudioIn {
            config: config.clone(),
            source: Source::Silence,
            next_probe: None,
            notices: Vec::new(),
        };
        if config.device.trim().eq_ignore_ascii_case("demo") {
            a.source = Source::Demo(Input::Demo(DemoInput::default()));
            a.notices
                .push("audio: the demo signal (audio.device = \"demo\")".into());
        } else {
            a.probe();
        }
        a
    }

    /// Tries to open the configured device; on failure the fallback plays.
    fn probe(&mut self) {
        let devices = milk_audio::list_input_devices().unwrap_or_default();
        let matched = match_card(&devices, &self.config.device);
        let why = match &matched {
            milk_audio::CardMatch::Default {
                missing: Some(missing),
            } => format!("no input device matches {missing:?}; trying the default input"),
            milk_audio::CardMatch::Card { card, device } => {
                format!("card {card}: {}", device.id)
            }
            other => match other.device() {
                Some(d) => format!("{} ({})", d.name, d.id),
                None => "the default input".into(),
            },
        };
        let config = CaptureConfig {
            device: matched.selector(),
            ..CaptureConfig::default()
        };
        match Capture::start(config) {
            Ok((capture, reader)) => {
                let status = capture.status();
                self.notices.push(format!("audio: capturing {why}"));
                self.source = Source::Capture {
                    input: Input::Live { capture, reader },
                    status,
                };
                self.next_probe = None;
            }
            Err(e) => {
                let first = self.next_probe.is_none();
                self.next_probe = Some(Instant::now() + PROBE_EVERY);
                if !first {
                    return;
                }
                let fallback = match self.config.fallback {
                    Fallback::Demo => {
                        self.source = Source::Demo(Input::Demo(DemoInput::default()));
                        "the demo signal plays"
                    }
                    Fallback::Silence => {
                        self.source = Source::Silence;
                        "no input"
                    }
                };
                self.notices.push(format!(
                    "audio: {why}: {e}; {fallback} until an input device appears \
                     (kefir-pi --list-devices shows them)"
                ));
            }
        }
    }

    /// Moves the last `dt` seconds of audio into the player.
    pub fn pump(&mut self, player: &mut kefir_player::Player, dt: f64) {
        if self.next_probe.is_some_and(|t| Instant::now() >= t) {
            self.probe();
        }
        match &mut self.source {
            Source::Capture { input, status } => {
                if let Input::Live { capture, .. } = input {
                    let now = capture.status();
                    if now != *status {
                        self.notices.push(match &now {
                            CaptureStatus::Running { device } => {
                                format!("audio: capturing {device}")
                            }
                            CaptureStatus::Lost { device, error } => format!(
                                "audio: {device} went away ({error}); waiting for it to come back"
                            ),
                            CaptureStatus::Stopped => "audio: capture stopped".into(),
                        });
                        *status = now;
                    }
                }
                player.feed(input, dt);
            }
            Source::Demo(input) => {
                player.feed(input, dt);
            }
            Source::Silence => {}
        }
    }

    /// `live`, `demo` or `none`.
    pub fn kind(&self) -> &'static str {
        match &self.source {
            Source::Capture {
                status: CaptureStatus::Running { .. },
                ..
            } => "live",
            Source::Capture { .. } | Source::Silence => "none",
            Source::Demo(_) => "demo",
        }
    }

    /// What happened since the last call.
    pub fn notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }
}
