//! Playing an audio file with sound while the visualizer watches the same
//! samples.
//!
//! A decoder thread (milk-audio's symphonia [`FileSource`]) fills a ring of
//! stereo frames at the file's rate. The sound card's callback (cpal) takes
//! frames from it, resamples them to the device's rate, plays them and hands
//! exactly the frames it just played to a second ring that the render thread
//! drains into the visualizer: what you see is what you hear, a callback
//! buffer late at most.
//!
//! Without a usable output device (a machine without sound, CI) the render
//! thread takes the frames itself at the pace of its clock, silently.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use milk_audio::{AudioSource, FileSource};
use rtrb::{Consumer, Producer, RingBuffer};

/// Frames of decoded audio queued ahead of the sound card.
const AHEAD_SECONDS: f64 = 0.5;
/// Frames played but not yet seen by the render thread.
const SEEN_SECONDS: f64 = 2.0;

/// Audio file extensions `kefir` plays (symphonia's formats as built).
pub const AUDIO_EXTENSIONS: &[&str] = &["wav", "flac", "mp3", "ogg", "oga"];

/// Whether `path` looks like an audio file we can play.
pub fn is_audio_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| AUDIO_EXTENSIONS.iter().any(|a| a.eq_ignore_ascii_case(e)))
}

/// State shared with the decoder thread and the audio callback.
struct Shared {
    stop: AtomicBool,
    /// The decoder reached the end of the file (or failed).
    decoded: AtomicBool,
    /// The sound card took the last decoded frame.
    drained: AtomicBool,
    /// Frames played (or consumed silently) so far.
    played: AtomicU64,
    error: Mutex<Option<String>>,
}

/// Where played frames go.
enum Output {
    /// The sound card pulls; `seen` receives what it played.
    Device {
        _stream: cpal::Stream,
        seen: Consumer<[f32; 2]>,
        device: String,
    },
    /// No sound: the render thread pulls, paced by frame time.
    Silent {
        ahead: Consumer<[f32; 2]>,
        /// Frames owed from fractional frame times.
        carry: f64,
        why: String,
    },
}

/// One file playing.
pub struct FilePlayback {
    path: PathBuf,
    rate: u32,
    total_frames: Option<u64>,
    shared: Arc<Shared>,
    output: Output,
    decoder: Option<JoinHandle<()>>,
    scratch: Vec<[f32; 2]>,
}

impl std::fmt::Debug for FilePlayback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePlayback")
            .field("path", &self.path)
            .field("rate", &self.rate)
            .finish_non_exhaustive()
    }
}

impl FilePlayback {
    /// Opens `path` and starts playing it, on the default output device
    /// unless `silent`.
    pub fn start(path: &Path, silent: bool) -> Result<FilePlayback> {
        let mut source = FileSource::open(path).map_err(|e| anyhow!(e))?;
        // The first packet tells the real format.
        let mut first = vec![0.0f32; 8192];
        let n = source.read(&mut first).map_err(|e| anyhow!(e))?;
        first.truncate(n);
        let format = source.format();
        let rate = format.sample_rate.max(1);
        let channels = usize::from(format.channels.max(1));
        let total_frames = source.frames_hint();

        let ahead_cap = ((rate as f64 * AHEAD_SECONDS) as usize).max(4096);
        let (mut ahead_tx, ahead_rx) = RingBuffer::<[f32; 2]>::new(ahead_cap);
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(false),
            decoded: AtomicBool::new(false),
            drained: AtomicBool::new(false),
            played: AtomicU64::new(0),
            error: Mutex::new(None),
        });

        let decoder = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("kefir decode".into())
                .spawn(move || {
                    let mut buf = first;
                    let mut frames = Vec::new();
                    loop {
                        if buf.is_empty() {
                            break;
                        }
                        frames.clear();
                        frames.extend(
                            buf.chunks_exact(channels)
                                .map(|f| [f[0], if channels > 1 { f[1] } else { f[0] }]),
                        );
                        if !push_all(&mut ahead_tx, &frames, &shared.stop) {
                            return;
                        }
                        buf.resize(8192, 0.0);
                        match source.read(&mut buf) {
                            Ok(n) => buf.truncate(n),
                            Err(e) => {
                                *shared.error.lock().unwrap_or_else(|p| p.into_inner()) =
                                    Some(e.to_string());
                                break;
                            }
                        }
                    }
                    shared.decoded.store(true, Ordering::Release);
                })
                .context("starting the decoder thread")?
        };

        let output = if silent {
            Output::Silent {
                ahead: ahead_rx,
                carry: 0.0,
                why: "sound off".into(),
            }
        } else {
            match open_device(rate, ahead_rx, shared.clone()) {
                Ok(o) => o,
                Err((e, ahead)) => Output::Silent {
                    ahead,
                    carry: 0.0,
                    why: format!("no sound: {e:#}"),
                },
            }
        };
        Ok(FilePlayback {
            path: path.to_path_buf(),
            rate,
            total_frames,
            shared,
            output,
            decoder: Some(decoder),
            scratch: Vec::new(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file name without its extension, for the overlay.
    pub fn title(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// Seconds played so far and the length when known.
    pub fn position(&self) -> (f64, Option<f64>) {
        let played = self.shared.played.load(Ordering::Relaxed) as f64 / self.rate as f64;
        (
            played,
            self.total_frames.map(|t| t as f64 / self.rate as f64),
        )
    }

    /// Where the sound goes ("device name", or why it is silent).
    pub fn output_description(&self) -> String {
        match &self.output {
            Output::Device { device, .. } => device.clone(),
            Output::Silent { why, .. } => why.clone(),
        }
    }

    /// The decoder's error, if it failed.
    pub fn error(&self) -> Option<String> {
        self.shared
            .error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Whether everything was played.
    pub fn finished(&self) -> bool {
        match &self.output {
            // The callback empties `ahead`; done when it took the last
            // frame and the visualizer has seen it.
            Output::Device { seen, .. } => {
                self.shared.drained.load(Ordering::Acquire) && seen.is_empty()
            }
            Output::Silent { ahead, .. } => {
                self.shared.decoded.load(Ordering::Acquire) && ahead.is_empty()
            }
        }
    }

    /// The frames played since the last call (stereo, at [`Self::rate`]):
    /// for the visualizer. In silent mode this also advances playback by
    /// `dt` seconds.
    pub fn take_played(&mut self, dt: f64) -> &[[f32; 2]] {
        self.scratch.clear();
        match &mut self.output {
            Output::Device { seen, .. } => {
                let n = seen.slots();
                if let Ok(chunk) = seen.read_chunk(n) {
                    let (a, b) = chunk.as_slices();
                    self.scratch.extend_from_slice(a);
                    self.scratch.extend_from_slice(b);
                    chunk.commit_all();
                }
            }
            Output::Silent { ahead, carry, .. } => {
                let dt = if dt.is_finite() {
                    dt.clamp(0.0, 0.5)
                } else {
                    0.0
                };
                *carry += dt * self.rate as f64;
                let want = carry.floor() as usize;
                let n = want.min(ahead.slots());
                // Owe nothing for frames the decoder has not made yet.
                *carry -= want as f64;
                if let Ok(chunk) = ahead.read_chunk(n) {
                    let (a, b) = chunk.as_slices();
                    self.scratch.extend_from_slice(a);
                    self.scratch.extend_from_slice(b);
                    chunk.commit_all();
                }
                self.shared.played.fetch_add(n as u64, Ordering::Relaxed);
            }
        }
        &self.scratch
    }

    /// Sample rate of [`Self::take_played`]'s frames.
    pub fn rate(&self) -> u32 {
        self.rate
    }
}

impl Drop for FilePlayback {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        if let Some(decoder) = self.decoder.take() {
            let _ = decoder.join();
        }
    }
}

/// Pushes every frame, waiting while the ring is full; false when told to
/// stop.
fn push_all(tx: &mut Producer<[f32; 2]>, mut frames: &[[f32; 2]], stop: &AtomicBool) -> bool {
    while !frames.is_empty() {
        if stop.load(Ordering::Acquire) || tx.is_abandoned() {
            return false;
        }
        let (pushed, rest) = tx.push_partial_slice(frames);
        if pushed.is_empty() {
            std::thread::sleep(Duration::from_millis(5));
        }
        frames = rest;
    }
    true
}

/// Linear resampling from the file's rate to the device's, frame by frame.
struct Resample {
    step: f64,
    pos: f64,
    prev: [f32; 2],
    cur: [f32; 2],
}

impl Resample {
    fn new(from: u32, to: u32) -> Self {
        Resample {
            step: from as f64 / to.max(1) as f64,
            pos: 1.0,
            prev: [0.0; 2],
            cur: [0.0; 2],
        }
    }

    /// The next output frame, pulling input frames with `next` (which
    /// records what it hands out). None when the input ran dry.
    fn next(&mut self, mut pull: impl FnMut() -> Option<[f32; 2]>) -> Option<[f32; 2]> {
        while self.pos >= 1.0 {
            let f = pull()?;
            self.prev = self.cur;
            self.cur = f;
            self.pos -= 1.0;
        }
        let t = self.pos as f32;
        let out = [
            self.prev[0] + (self.cur[0] - self.prev[0]) * t,
            self.prev[1] + (self.cur[1] - self.prev[1]) * t,
        ];
        self.pos += self.step;
        Some(out)
    }
}

/// Opens the default output device and starts a stream that plays `ahead`.
/// On failure gives the ring back.
fn open_device(
    rate: u32,
    ahead: Consumer<[f32; 2]>,
    shared: Arc<Shared>,
) -> std::result::Result<Output, (anyhow::Error, Consumer<[f32; 2]>)> {
    milk_audio::silence_alsa_errors();
    let host = cpal::default_host();
    let Some(device) = host.default_output_device() else {
        return Err((anyhow!("{} has no output device", host.id()), ahead));
    };
    let name = device.to_string();
    let config = match pick_config(&device, rate) {
        Ok(c) => c,
        Err(e) => return Err((e, ahead)),
    };
    let seen_cap = ((rate as f64 * SEEN_SECONDS) as usize).max(8192);
    let (seen_tx, seen_rx) = RingBuffer::<[f32; 2]>::new(seen_cap);
    // The ring moves into the callback; if building the stream fails it is
    // lost, so build with a shared slot we can take it back from.
    let slot = Arc::new(Mutex::new(Some((ahead, seen_tx))));
    let stream = build_stream(&device, &config, rate, slot.clone(), shared);
    match stream {
        Ok(stream) => {
            if let Err(e) = stream.play() {
                drop(stream);
                return Err((anyhow!("{name}: {e}"), take_back(&slot)));
            }
            Ok(Output::Device {
                _stream: stream,
                seen: seen_rx,
                device: name,
            })
        }
        Err(e) => Err((anyhow!("{name}: {e:#}"), take_back(&slot))),
    }
}

type Rings = Arc<Mutex<Option<(Consumer<[f32; 2]>, Producer<[f32; 2]>)>>>;

fn take_back(slot: &Rings) -> Consumer<[f32; 2]> {
    match slot.lock().unwrap_or_else(|p| p.into_inner()).take() {
        Some((ahead, _)) => ahead,
        // The callback took it before failing: an empty ring plays silence.
        None => RingBuffer::new(1).1,
    }
}

fn pick_config(device: &cpal::Device, rate: u32) -> Result<cpal::SupportedStreamConfig> {
    use cpal::SampleFormat as F;
    let usable = |f: F| matches!(f, F::F32 | F::I16 | F::U16 | F::I32);
    if let Ok(configs) = device.supported_output_configs() {
        let mut best: Option<cpal::SupportedStreamConfig> = None;
        for range in configs {
            if !usable(range.sample_format()) || range.channels() == 0 {
                continue;
            }
            if let Some(c) = range.try_with_sample_rate(rate) {
                let better = match &best {
                    None => true,
                    Some(b) => {
                        // Prefer stereo, then f32.
                        let score = |c: &cpal::SupportedStreamConfig| {
                            (c.channels() == 2) as u8 * 2 + (c.sample_format() == F::F32) as u8
                        };
                        score(&c) > score(b)
                    }
                };
                if better {
                    best = Some(c);
                }
            }
        }
        if let Some(c) = best {
            return Ok(c);
        }
    }
    let c = device
        .default_output_config()
        .map_err(|e| anyhow!("no output configuration: {e}"))?;
    if !usable(c.sample_format()) {
        bail!("unsupported output sample format {}", c.sample_format());
    }
    Ok(c)
}

fn build_stream(
    device: &cpal::Device,
    config: &cpal::SupportedStreamConfig,
    rate: u32,
    slot: Rings,
    shared: Arc<Shared>,
) -> Result<cpal::Stream> {
    use cpal::SampleFormat as F;
    match config.sample_format() {
        F::F32 => stream_of::<f32>(device, config, rate, slot, shared),
        F::I16 => stream_of::<i16>(device, config, rate, slot, shared),
        F::U16 => stream_of::<u16>(device, config, rate, slot, shared),
        F::I32 => stream_of::<i32>(device, config, rate, slot, shared),
        other => bail!("unsupported output sample format {other}"),
    }
}

fn stream_of<T>(
    device: &cpal::Device,
    config: &cpal::SupportedStreamConfig,
    rate: u32,
    slot: Rings,
    shared: Arc<Shared>,
) -> Result<cpal::Stream>
where
    T: cpal::SizedSample + cpal::FromSample<f32> + Send + 'static,
{
    let stream_config = config.config();
    let channels = usize::from(stream_config.channels.max(1));
    let mut resample = Resample::new(rate, stream_config.sample_rate);
    let mut rings = None;
    let silence = T::from_sample(0.0f32);
    let stream = device.build_output_stream::<T, _, _>(
        stream_config,
        move |out: &mut [T], _| {
            if rings.is_none() {
                rings = slot.lock().ok().and_then(|mut s| s.take());
            }
            let Some((ahead, seen)) = rings.as_mut() else {
                out.fill(silence);
                return;
            };
            let mut played = 0u64;
            for frame in out.chunks_exact_mut(channels) {
                let pulled = resample.next(|| {
                    let f = ahead.pop().ok()?;
                    let _ = seen.push(f);
                    played += 1;
                    Some(f)
                });
                let [l, r] = pulled.unwrap_or([0.0; 2]);
                for (c, s) in frame.iter_mut().enumerate() {
                    *s = T::from_sample(match c {
                        0 => l,
                        1 => r,
                        _ => 0.0,
                    });
                }
                if channels == 1 {
                    frame[0] = T::from_sample((l + r) * 0.5);
                }
            }
            shared.played.fetch_add(played, Ordering::Relaxed);
            // `decoded` is set after the last push: read it first.
            if shared.decoded.load(Ordering::Acquire) && ahead.is_empty() {
                shared.drained.store(true, Ordering::Release);
            }
        },
        |e| eprintln!("kefir: audio output: {e}"),
        None,
    )?;
    Ok(stream)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resampling_keeps_the_rate_and_the_signal() {
        // 1 s at 48 kHz becomes 1 s at 44.1 kHz.
        let input: Vec<[f32; 2]> = (0..48_000).map(|i| [i as f32, -(i as f32)]).collect();
        let mut it = input.iter().copied();
        let mut r = Resample::new(48_000, 44_100);
        let mut out = Vec::new();
        while let Some(f) = r.next(|| it.next()) {
            out.push(f);
        }
        assert!((out.len() as i64 - 44_100).abs() <= 2, "{}", out.len());
        // A ramp stays a ramp with slope 48/44.1.
        let k = 1000;
        let slope = out[k + 1][0] - out[k][0];
        assert!((slope - 48_000.0 / 44_100.0).abs() < 1e-3, "{slope}");
        assert_eq!(out[k][0], -out[k][1]);
    }

    #[test]
    fn audio_files_are_recognised_by_extension() {
        assert!(is_audio_file(Path::new("a/song.FLAC")));
        assert!(is_audio_file(Path::new("x.mp3")));
        assert!(!is_audio_file(Path::new("x.milk")));
        assert!(!is_audio_file(Path::new("noext")));
    }

    #[test]
    fn a_file_plays_silently_at_the_frame_clock() {
        let dir = std::env::temp_dir().join(format!("kefir-playback-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("tone.wav");
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 22_050,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&path, spec).unwrap();
        for i in 0..22_050 {
            let v = ((i as f32 * 0.05).sin() * 8000.0) as i16;
            w.write_sample(v).unwrap();
        }
        w.finalize().unwrap();

        let mut p = FilePlayback::start(&path, true).unwrap();
        assert_eq!(p.rate(), 22_050);
        assert_eq!(p.title(), "tone");
        let mut total = 0;
        let mut frames = 0;
        while !p.finished() && frames < 600 {
            // Let the decoder run ahead.
            std::thread::sleep(Duration::from_millis(2));
            let got = p.take_played(0.1);
            if let Some(f) = got.first() {
                assert_eq!(f[0], f[1], "mono plays on both sides");
            }
            total += got.len();
            frames += 1;
        }
        assert!(p.finished());
        assert_eq!(total, 22_050);
        let (pos, len) = p.position();
        assert!((pos - 1.0).abs() < 1e-6, "{pos}");
        assert_eq!(len, Some(1.0));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
