//! Where the visualizer's audio comes from: a file playing with sound, live
//! capture, or the built-in demo track. Every source hands the render
//! thread stereo frames at some rate, which go to
//! [`kefir_player::Player::push_audio_f32`].

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use milk_audio::{ANALYSIS_RATE, DeviceSelector, Synth, demo_track};
use rtrb::{Consumer, RingBuffer};

use super::config::AudioSettings;
use super::playback::FilePlayback;

/// How often a lost capture device is looked for.
const RETRY: Duration = Duration::from_secs(2);

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

/// Live capture from a cpal input device, into a ring of stereo frames at
/// the device's rate. Devices are listed and chosen by milk-audio's rules
/// ([`milk_audio::list_input_devices`], [`milk_audio::select_device`]).
pub struct LiveInput {
    _stream: cpal::Stream,
    frames: Consumer<[f32; 2]>,
    rate: u32,
    pub device: String,
    lost: Arc<AtomicBool>,
    error: Arc<Mutex<Option<String>>>,
    scratch: Vec<[f32; 2]>,
}

impl LiveInput {
    /// Opens the device `selector` names.
    pub fn open(selector: &DeviceSelector) -> Result<LiveInput> {
        let (device, name) = find_device(selector)?;
        let config = device
            .default_input_config()
            .map_err(|e| anyhow!("{name}: {e}"))?;
        let format = config.sample_format();
        let stream_config = config.config();
        let channels = usize::from(stream_config.channels.max(1));
        let rate = stream_config.sample_rate;
        let (mut tx, rx) = RingBuffer::<[f32; 2]>::new((rate as usize).max(8192));
        let lost = Arc::new(AtomicBool::new(false));
        let error = Arc::new(Mutex::new(None));
        let (lost2, error2) = (lost.clone(), error.clone());
        let stream = device
            .build_input_stream_raw(
                stream_config,
                format,
                move |data: &cpal::Data, _: &cpal::InputCallbackInfo| {
                    let mut push = |l: f32, r: f32| {
                        let _ = tx.push([l, r]);
                    };
                    convert(data, channels, &mut push);
                },
                move |e: cpal::Error| {
                    lost2.store(true, Ordering::Release);
                    *error2.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string());
                },
                None,
            )
            .map_err(|e| anyhow!("{name}: {e}"))?;
        stream.play().map_err(|e| anyhow!("{name}: {e}"))?;
        Ok(LiveInput {
            _stream: stream,
            frames: rx,
            rate,
            device: name,
            lost,
            error,
            scratch: Vec::new(),
        })
    }

    fn take(&mut self) -> &[[f32; 2]] {
        self.scratch.clear();
        let n = self.frames.slots();
        if let Ok(chunk) = self.frames.read_chunk(n) {
            let (a, b) = chunk.as_slices();
            self.scratch.extend_from_slice(a);
            self.scratch.extend_from_slice(b);
            chunk.commit_all();
        }
        &self.scratch
    }

    /// The stream reported an error (device unplugged...).
    fn take_error(&self) -> Option<String> {
        if self.lost.swap(false, Ordering::AcqRel) {
            self.error
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take()
                .or_else(|| Some("capture failed".into()))
        } else {
            None
        }
    }
}

fn convert(data: &cpal::Data, channels: usize, push: &mut impl FnMut(f32, f32)) {
    use cpal::{FromSample, SampleFormat as F};
    fn go<T>(data: &cpal::Data, channels: usize, push: &mut impl FnMut(f32, f32))
    where
        T: cpal::SizedSample + cpal::Sample,
        f32: FromSample<T>,
    {
        if let Some(s) = data.as_slice::<T>() {
            for f in s.chunks_exact(channels) {
                let l = f[0].to_sample::<f32>();
                let r = if channels > 1 {
                    f[1].to_sample::<f32>()
                } else {
                    l
                };
                push(l, r);
            }
        }
    }
    match data.sample_format() {
        F::F32 => go::<f32>(data, channels, push),
        F::F64 => go::<f64>(data, channels, push),
        F::I8 => go::<i8>(data, channels, push),
        F::I16 => go::<i16>(data, channels, push),
        F::I32 => go::<i32>(data, channels, push),
        F::U8 => go::<u8>(data, channels, push),
        F::U16 => go::<u16>(data, channels, push),
        F::U32 => go::<u32>(data, channels, push),
        _ => {}
    }
}

/// The cpal device for `selector`, found as milk-audio lists devices.
fn find_device(selector: &DeviceSelector) -> Result<(cpal::Device, String)> {
    if *selector == DeviceSelector::Default {
        let host = cpal::default_host();
        let device = host
            .default_input_device()
            .ok_or_else(|| anyhow!("{} has no default input device", host.id()))?;
        let name = device.to_string();
        return Ok((device, name));
    }
    let listing = milk_audio::list_input_devices().map_err(|e| anyhow!(e))?;
    let chosen = milk_audio::select_device(&listing, selector)
        .map_err(|e| anyhow!(e))?
        .ok_or_else(|| anyhow!("no device chosen"))?
        .clone();
    for host_id in cpal::available_hosts() {
        if host_id.to_string() != chosen.host {
            continue;
        }
        let Ok(host) = cpal::host_from_id(host_id) else {
            continue;
        };
        let Ok(devices) = host.input_devices() else {
            continue;
        };
        for device in devices {
            let id = device.id().map(|i| i.to_string()).unwrap_or_default();
            if id == chosen.id && device.to_string() == chosen.name {
                return Ok((device, chosen.name));
            }
        }
    }
    Err(anyhow!("{} disappeared", chosen.name))
}

/// The demo track, played at the pace of the frame clock.
pub struct Demo {
    synth: Synth,
    carry: f64,
    buf: Vec<[f32; 2]>,
}

impl Default for Demo {
    fn default() -> Self {
        Demo {
            synth: demo_track(ANALYSIS_RATE),
            carry: 0.0,
            buf: Vec::new(),
        }
    }
}

impl Demo {
    fn take(&mut self, dt: f64) -> &[[f32; 2]] {
        let dt = if dt.is_finite() {
            dt.clamp(0.0, 0.5)
        } else {
            0.0
        };
        self.carry += dt * f64::from(ANALYSIS_RATE);
        let n = self.carry.floor() as usize;
        self.carry -= n as f64;
        self.buf.clear();
        self.buf
            .extend((0..n).map_while(|_| self.synth.next_frame()));
        &self.buf
    }
}

enum Source {
    File(Box<FilePlayback>),
    Live(LiveInput),
    Demo(Demo),
}

/// The audio of the visualizer: a queue of files, then live capture or the
/// demo.
pub struct Audio {
    source: Source,
    queue: VecDeque<PathBuf>,
    settings: AudioSettings,
    /// Play files without sound.
    silent: bool,
    /// When to try to reopen a capture device that went away.
    retry_live: Option<Instant>,
    notices: Vec<Notice>,
}

impl Audio {
    /// Starts with the first of `files`, or live input as `settings` say.
    pub fn new(settings: &AudioSettings, files: Vec<PathBuf>, silent: bool) -> Audio {
        let mut audio = Audio {
            source: Source::Demo(Demo::default()),
            queue: files.into(),
            settings: settings.clone(),
            silent,
            retry_live: None,
            notices: Vec::new(),
        };
        audio.advance();
        audio
    }

    /// Replaces the queue with `files` and plays the first now.
    pub fn play_files(&mut self, files: Vec<PathBuf>) {
        self.queue = files.into();
        self.retry_live = None;
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
            return Source::Demo(Demo::default());
        }
        match self.try_live() {
            Ok(live) => {
                self.notices
                    .push(Notice::Source(format!("capturing {}", live.device)));
                Source::Live(live)
            }
            Err(errors) => {
                self.notices.push(Notice::Warning(format!(
                    "no audio input ({}); playing the demo signal",
                    errors.join("; ")
                )));
                Source::Demo(Demo::default())
            }
        }
    }

    /// Opens the configured device: the output monitor where there is one,
    /// else the default input, unless the settings name one.
    fn try_live(&self) -> Result<LiveInput, Vec<String>> {
        let tries = match selector(self.settings.device.as_deref()) {
            Some(s) => vec![s],
            None if cfg!(target_os = "linux") => {
                vec![DeviceSelector::Monitor, DeviceSelector::Default]
            }
            None => vec![DeviceSelector::Default],
        };
        let mut errors = Vec::new();
        for s in &tries {
            match LiveInput::open(s) {
                Ok(live) => return Ok(live),
                Err(e) => errors.push(format!("{s}: {e:#}")),
            }
        }
        Err(errors)
    }

    /// The frames of the last `dt` seconds and their rate.
    pub fn take(&mut self, dt: f64) -> (&[[f32; 2]], u32) {
        // Move on when a file ended or capture failed.
        let mut next = false;
        match &self.source {
            Source::File(p) => {
                if let Some(e) = p.error() {
                    self.notices
                        .push(Notice::Warning(format!("{}: {e}", p.path().display())));
                    next = true;
                } else if p.finished() {
                    next = true;
                }
            }
            Source::Live(live) => {
                if let Some(e) = live.take_error() {
                    self.notices.push(Notice::Warning(format!(
                        "capture from {} stopped: {e}; playing the demo signal until it is back",
                        live.device
                    )));
                    self.source = Source::Demo(Demo::default());
                    self.retry_live = Some(Instant::now() + RETRY);
                }
            }
            Source::Demo(_) => {
                // A lost device may come back (USB plugged in again).
                if let Some(at) = self.retry_live
                    && Instant::now() >= at
                {
                    match self.try_live() {
                        Ok(live) => {
                            self.notices
                                .push(Notice::Source(format!("capturing {}", live.device)));
                            self.source = Source::Live(live);
                            self.retry_live = None;
                        }
                        Err(_) => self.retry_live = Some(Instant::now() + RETRY),
                    }
                }
            }
        }
        if next {
            self.advance();
        }
        match &mut self.source {
            Source::File(p) => {
                let rate = p.rate();
                (p.take_played(dt), rate)
            }
            Source::Live(live) => {
                let rate = live.rate;
                (live.take(), rate)
            }
            Source::Demo(d) => (d.take(dt), ANALYSIS_RATE),
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
            Source::Live(_) => "live",
            Source::Demo(_) => "demo",
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
        let mut total = 0;
        for _ in 0..60 {
            let (frames, rate) = audio.take(1.0 / 60.0);
            assert_eq!(rate, ANALYSIS_RATE);
            total += frames.len();
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
