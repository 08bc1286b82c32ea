//! Where the box's audio comes from: the ALSA capture device the config
//! names (milk-audio's [`match_card`]: exact name, part of a card id, else
//! the default input), through milk-audio's capture, whose supervisor
//! reopens a device that goes away. With nothing to capture from, the demo
//! signal plays (or silence, as the config says) and the box looks for a
//! device again every few seconds: plugging one in later works. What is
//! missing shows on the screen's status line ([`AudioIn::indicator`]): no
//! device, a device gone, or a device that has delivered only silence for a
//! while (nothing plugged into the line input).

use std::time::{Duration, Instant};

use kefir_hud::{Level, Status};
use milk_audio::{Capture, CaptureConfig, CaptureStatus, DemoInput, Input, match_card};

use crate::config::{AudioConfig, Fallback};

/// How often to look for an input device while there is none.
const PROBE_EVERY: Duration = Duration::from_secs(5);
/// A live input whose peak stays under this (about -50 dBFS) ...
const SILENT_PEAK: f32 = 0.003;
/// ... for this long gets the "no signal" indicator.
const SILENT_FOR: f64 = 8.0;

/// Something to tell about the audio: always the journal, on screen when
/// `screen` (what the status line does not already say).
pub struct Notice {
    pub text: String,
    pub screen: bool,
}

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
    notices: Vec<Notice>,
    /// Seconds the live input has been silent.
    silent: f64,
}

impl AudioIn {
    pub fn new(config: &AudioConfig) -> AudioIn {
        let mut a = AudioIn {
            config: config.clone(),
            source: Source::Silence,
            next_probe: None,
            notices: Vec::new(),
            silent: 0.0,
        };
        if config.device.trim().eq_ignore_ascii_case("demo") {
            a.source = Source::Demo(Input::Demo(DemoInput::default()));
            a.notice("audio: the demo signal (audio.device = \"demo\")", false);
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
                self.notice(format!("audio: capturing {why}"), true);
                self.silent = 0.0;
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
                self.notice(
                    format!(
                        "audio: {why}: {e}; {fallback} until an input device appears \
                         (kefir-pi --list-devices shows them)"
                    ),
                    false,
                );
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
                        let notice = match &now {
                            CaptureStatus::Running { device } => Notice {
                                text: format!("audio: capturing {device}"),
                                screen: true,
                            },
                            CaptureStatus::Lost { device, error } => Notice {
                                text: format!(
                                    "audio: {device} went away ({error}); waiting for it to come back"
                                ),
                                screen: false,
                            },
                            CaptureStatus::Stopped => Notice {
                                text: "audio: capture stopped".into(),
                                screen: false,
                            },
                        };
                        self.notices.push(notice);
                        self.silent = 0.0;
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
        if let Source::Capture { .. } = self.source {
            self.watch_silence(player.audio(), dt);
        }
    }

    /// Counts the seconds a live input has delivered only silence.
    fn watch_silence(&mut self, frame: &milk_audio::AudioFrame, dt: f64) {
        let peak = frame.wave.iter().flatten().fold(0.0f32, |m, x| {
            if x.is_finite() { m.max(x.abs()) } else { m }
        });
        if peak >= SILENT_PEAK {
            self.silent = 0.0;
            return;
        }
        let was = self.silent;
        self.silent += dt.max(0.0);
        if was < SILENT_FOR && self.silent >= SILENT_FOR {
            self.notice("audio: the input has been silent for a while", false);
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

    fn notice(&mut self, text: impl Into<String>, screen: bool) {
        self.notices.push(Notice {
            text: text.into(),
            screen,
        });
    }

    /// What happened since the last call.
    pub fn notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    /// What the status line says about the audio: nothing while a device
    /// delivers sound (or the demo signal plays because the config asks
    /// for it).
    pub fn indicator(&self) -> Option<Status> {
        let wanted = self.config.device.trim();
        let on = if wanted.is_empty() || wanted.eq_ignore_ascii_case("auto") {
            String::new()
        } else {
            format!(" matching \"{wanted}\"")
        };
        let (level, text) = match &self.source {
            Source::Demo(_) if self.next_probe.is_none() => return None,
            Source::Demo(_) => (
                Level::Warning,
                format!("No audio input{on} — playing the demo signal"),
            ),
            Source::Silence => (Level::Warning, format!("No audio input{on}")),
            Source::Capture { status, .. } => match status {
                CaptureStatus::Running { device } if self.silent >= SILENT_FOR => (
                    Level::Info,
                    format!("No sound on {device} — is the source playing?"),
                ),
                CaptureStatus::Running { .. } => return None,
                CaptureStatus::Lost { device, .. } => (
                    Level::Warning,
                    format!("Audio input {device} went away — waiting for it"),
                ),
                CaptureStatus::Stopped => (Level::Warning, "Audio capture stopped".into()),
            },
        };
        Some(Status { level, text })
    }
}
