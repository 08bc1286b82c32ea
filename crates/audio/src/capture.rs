//! Live capture with cpal: list input devices, pick one by name, index, the
//! default input, or what the machine plays ("what you hear": a PulseAudio
//! or PipeWire monitor on Linux, WASAPI loopback of an output on Windows, a
//! CoreAudio process tap on macOS 14.6+, or a loopback driver; see
//! [`crate::loopback`]), and keep capturing across device loss.
//!
//! The device's callback converts and resamples into a lock-free ring
//! ([`crate::ring`]); the render thread drains a [`CaptureReader`]. A
//! supervisor thread owns the stream: when the backend reports the device
//! gone (USB unplugged), it drops the stream, reports [`CaptureStatus::Lost`]
//! and retries every `retry_interval` until the device is back, then hands
//! the render thread a fresh ring. The visuals never wait for any of this:
//! while the device is lost the reader simply has no new audio.
//!
//! Machines without sound hardware are a normal case: opening fails with
//! [`AudioError::NoInputDevice`] or [`AudioError::DeviceNotFound`], never a
//! panic.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{Sample, SampleFormat};

use crate::analyzer::Analyzer;
use crate::error::AudioError;
use crate::loopback::Platform;
use crate::ring::{PcmReader, pcm_ring};

/// One capture device as [`list_input_devices`] reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputDevice {
    /// Position in the list (what [`DeviceSelector::Index`] takes).
    pub index: usize,
    /// Display name.
    pub name: String,
    /// Backend-specific identifier (stable across runs where possible).
    pub id: String,
    /// The audio backend (ALSA, PulseAudio, ...).
    pub host: String,
    /// A monitor of an output: captures what the machine plays.
    pub is_monitor: bool,
    /// An output device recorded in loopback mode (Windows, macOS 14.6+)
    /// rather than an input; its name ends in "(what you hear)".
    pub is_loopback: bool,
}

/// Which device to capture from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DeviceSelector {
    /// The system's default input.
    #[default]
    Default,
    /// The device at this index of [`list_input_devices`].
    Index(usize),
    /// The device with exactly this name or id, else the first whose name or
    /// id contains it (case-insensitive).
    Name(String),
    /// What the machine plays: the first monitor source (the default
    /// output's loopback where outputs can be recorded).
    Monitor,
}

impl std::fmt::Display for DeviceSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeviceSelector::Default => f.write_str("default input"),
            DeviceSelector::Index(i) => write!(f, "device #{i}"),
            DeviceSelector::Name(n) => f.write_str(n),
            DeviceSelector::Monitor => f.write_str("output monitor"),
        }
    }
}

/// Settings of a [`Capture`].
#[derive(Debug, Clone)]
pub struct CaptureConfig {
    pub device: DeviceSelector,
    /// Seconds of audio the ring holds (the render thread may stall this
    /// long without losing audio).
    pub ring_seconds: f32,
    /// How often to try to reopen a lost device.
    pub retry_interval: Duration,
}

impl Default for CaptureConfig {
    fn default() -> Self {
        CaptureConfig {
            device: DeviceSelector::Default,
            ring_seconds: 0.5,
            retry_interval: Duration::from_secs(1),
        }
    }
}

/// What the capture is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureStatus {
    /// Audio is flowing from `device`.
    Running { device: String },
    /// The device went away; retrying.
    Lost { device: String, error: String },
    /// [`Capture::stop`] was called.
    Stopped,
}

fn is_monitor(name: &str, id: &str) -> bool {
    crate::loopback::is_monitor_name(name, id)
}

fn backend_error(device: &str, e: impl std::fmt::Display) -> AudioError {
    AudioError::Backend {
        device: device.to_string(),
        message: e.to_string(),
    }
}

fn all_input_devices() -> Result<Vec<(InputDevice, cpal::Device)>, AudioError> {
    crate::silence_alsa_errors();
    let mut out = Vec::new();
    let mut last_error = None;
    for host_id in cpal::available_hosts() {
        let host = match cpal::host_from_id(host_id) {
            Ok(h) => h,
            Err(e) => {
                last_error = Some(e.to_string());
                continue;
            }
        };
        let devices = match host.input_devices() {
            Ok(d) => d,
            Err(e) => {
                last_error = Some(e.to_string());
                continue;
            }
        };
        for device in devices {
            let name = device.to_string();
            let id = device.id().map(|i| i.to_string()).unwrap_or_default();
            out.push((
                InputDevice {
                    index: out.len(),
                    is_monitor: is_monitor(&name, &id),
                    is_loopback: false,
                    name,
                    id,
                    host: host_id.to_string(),
                },
                device,
            ));
        }
        if Platform::current().records_outputs() {
            add_loopbacks(&host, &mut out);
        }
    }
    match (out.is_empty(), last_error) {
        (true, Some(reason)) => Err(AudioError::NoInputDevice { reason }),
        _ => Ok(out),
    }
}

/// Lists `host`'s output devices as loopback sources after its inputs, the
/// default output first (Windows, macOS 14.6+).
fn add_loopbacks(host: &cpal::Host, out: &mut Vec<(InputDevice, cpal::Device)>) {
    let Ok(outputs) = host.output_devices() else {
        return;
    };
    let outputs: Vec<cpal::Device> = outputs.collect();
    let named: Vec<(String, String)> = outputs
        .iter()
        .map(|d| {
            let id = d.id().map(|i| i.to_string()).unwrap_or_default();
            (d.to_string(), id)
        })
        .collect();
    let default_id = host
        .default_output_device()
        .and_then(|d| d.id().ok())
        .map(|i| i.to_string());
    for i in crate::loopback::loopback_order(&named, default_id.as_deref()) {
        let (name, id) = &named[i];
        out.push((
            InputDevice {
                index: out.len(),
                name: crate::loopback::loopback_name(name),
                id: format!("loopback:{id}"),
                host: host.id().to_string(),
                is_monitor: true,
                is_loopback: true,
            },
            outputs[i].clone(),
        ));
    }
}

/// Every capture device of every available backend.
pub fn list_input_devices() -> Result<Vec<InputDevice>, AudioError> {
    Ok(all_input_devices()?.into_iter().map(|(d, _)| d).collect())
}

/// Chooses a device from a listing; pure, so it is testable without
/// hardware. `None` for [`DeviceSelector::Default`].
pub fn select_device<'a>(
    devices: &'a [InputDevice],
    selector: &DeviceSelector,
) -> Result<Option<&'a InputDevice>, AudioError> {
    let not_found = || AudioError::DeviceNotFound {
        query: selector.to_string(),
        available: devices.iter().map(|d| d.name.clone()).collect(),
    };
    match selector {
        DeviceSelector::Default => Ok(None),
        DeviceSelector::Index(i) => devices.get(*i).map(Some).ok_or_else(not_found),
        DeviceSelector::Monitor => {
            devices
                .iter()
                .find(|d| d.is_monitor)
                .map(Some)
                .ok_or_else(|| AudioError::NoMonitor {
                    help: Platform::current().monitor_help(),
                    available: devices.iter().map(|d| d.name.clone()).collect(),
                })
        }
        DeviceSelector::Name(query) => {
            let q = query.to_lowercase();
            devices
                .iter()
                .find(|d| d.name == *query || d.id == *query)
                .or_else(|| {
                    devices.iter().find(|d| {
                        d.name.to_lowercase().contains(&q) || d.id.to_lowercase().contains(&q)
                    })
                })
                .map(Some)
                .ok_or_else(not_found)
        }
    }
}

/// Sent to the supervisor: from the stream's error callback and from
/// [`Capture::stop`].
#[derive(Debug)]
enum Event {
    /// The stream of this generation lost its device.
    Lost {
        generation: u64,
        error: String,
    },
    Stop,
}

/// An open stream plus the reading end of its ring.
struct Opened<S> {
    stream: S,
    device: String,
    reader: PcmReader,
}

/// Opens streams; cpal in real use, a fake in tests.
trait Backend: Send + 'static {
    type Stream: Send + 'static;
    fn open(
        &mut self,
        generation: u64,
        events: Sender<Event>,
    ) -> Result<Opened<Self::Stream>, AudioError>;
}

struct CpalBackend {
    selector: DeviceSelector,
    ring_seconds: f32,
}

impl CpalBackend {
    /// The device to open, its name, and whether it is an output recorded
    /// in loopback mode.
    fn find(&self) -> Result<(cpal::Device, String, bool), AudioError> {
        crate::silence_alsa_errors();
        if self.selector == DeviceSelector::Default {
            let host = cpal::default_host();
            let device = host
                .default_input_device()
                .ok_or_else(|| AudioError::NoInputDevice {
                    reason: format!("{} has no default input device", host.id()),
                })?;
            let name = device.to_string();
            return Ok((device, name, false));
        }
        let mut all = all_input_devices()?;
        let listing: Vec<InputDevice> = all.iter().map(|(d, _)| d.clone()).collect();
        let index = select_device(&listing, &self.selector)?
            .map(|d| d.index)
            .unwrap_or(0);
        let (info, device) = all.swap_remove(index);
        Ok((device, info.name, info.is_loopback))
    }
}

/// Converts one callback's samples into the ring.
fn write_data(
    writer: &mut crate::ring::PcmWriter,
    data: &cpal::Data,
    format: SampleFormat,
    channels: u16,
) {
    fn go<T: cpal::SizedSample + Sample>(
        w: &mut crate::ring::PcmWriter,
        data: &cpal::Data,
        channels: u16,
    ) {
        if let Some(samples) = data.as_slice::<T>() {
            w.write(samples, channels, |s: T| {
                s.to_float_sample().to_sample::<f32>()
            });
        }
    }
    match format {
        SampleFormat::F32 => go::<f32>(writer, data, channels),
        SampleFormat::F64 => go::<f64>(writer, data, channels),
        SampleFormat::I8 => go::<i8>(writer, data, channels),
        SampleFormat::I16 => go::<i16>(writer, data, channels),
        SampleFormat::I24 => go::<cpal::I24>(writer, data, channels),
        SampleFormat::I32 => go::<i32>(writer, data, channels),
        SampleFormat::I64 => go::<i64>(writer, data, channels),
        SampleFormat::U8 => go::<u8>(writer, data, channels),
        SampleFormat::U16 => go::<u16>(writer, data, channels),
        SampleFormat::U24 => go::<cpal::U24>(writer, data, channels),
        SampleFormat::U32 => go::<u32>(writer, data, channels),
        SampleFormat::U64 => go::<u64>(writer, data, channels),
        _ => {}
    }
}

/// Whether [`write_data`] converts `format`: every PCM format cpal has.
/// Sound cards with 24-bit converters (USB interfaces, a Raspberry Pi's ADC
/// boards) may offer 24- or 32-bit samples only, and as their default.
fn supported(format: SampleFormat) -> bool {
    matches!(
        format,
        SampleFormat::F32
            | SampleFormat::F64
            | SampleFormat::I8
            | SampleFormat::I16
            | SampleFormat::I24
            | SampleFormat::I32
            | SampleFormat::I64
            | SampleFormat::U8
            | SampleFormat::U16
            | SampleFormat::U24
            | SampleFormat::U32
            | SampleFormat::U64
    )
}

impl Backend for CpalBackend {
    type Stream = cpal::Stream;

    fn open(
        &mut self,
        generation: u64,
        events: Sender<Event>,
    ) -> Result<Opened<cpal::Stream>, AudioError> {
        let (device, name, loopback) = self.find()?;
        // A loopback records the output in the output's own format.
        let config = if loopback {
            device.default_output_config()
        } else {
            device.default_input_config()
        };
        // A refused loopback (macOS without the System Audio Recording
        // permission, or too old for process taps) says what to do.
        let refused = |e: cpal::Error| {
            if loopback && e.kind() == cpal::ErrorKind::PermissionDenied {
                AudioError::NoMonitor {
                    help: format!("{name}: {e}; {}", Platform::current().monitor_help()),
                    available: Vec::new(),
                }
            } else {
                backend_error(&name, e)
            }
        };
        let config = config.map_err(|e| match e.kind() {
            cpal::ErrorKind::DeviceNotAvailable => AudioError::NoInputDevice {
                reason: format!("{name}: {e}"),
            },
            _ => refused(e),
        })?;
        let format = config.sample_format();
        if !supported(format) {
            return Err(AudioError::UnsupportedSampleFormat {
                device: name,
                format: format.to_string(),
            });
        }
        let stream_config = config.config();
        let channels = stream_config.channels;
        let capacity = (self.ring_seconds.clamp(0.05, 10.0) * crate::ANALYSIS_RATE as f32) as usize;
        let (mut writer, reader) = pcm_ring(capacity, stream_config.sample_rate);
        let stream = device
            .build_input_stream_raw(
                stream_config,
                format,
                move |data: &cpal::Data, _: &cpal::InputCallbackInfo| {
                    write_data(&mut writer, data, format, channels)
                },
                move |e: cpal::Error| {
                    let lost = matches!(
                        e.kind(),
                        cpal::ErrorKind::DeviceNotAvailable
                            | cpal::ErrorKind::StreamInvalidated
                            | cpal::ErrorKind::DeviceChanged
                            | cpal::ErrorKind::BackendError
                    );
                    if lost {
                        let _ = events.send(Event::Lost {
                            generation,
                            error: e.to_string(),
                        });
                    }
                },
                Some(Duration::from_secs(5)),
            )
            .map_err(&refused)?;
        stream.play().map_err(&refused)?;
        Ok(Opened {
            stream,
            device: name,
            reader,
        })
    }
}

/// The render thread's end of a capture: survives device restarts.
#[derive(Debug)]
pub struct CaptureReader {
    current: PcmReader,
    next: Receiver<PcmReader>,
}

impl CaptureReader {
    /// Moves all captured audio into `analyzer`; returns the number of
    /// frames (at 44.1 kHz). Never blocks.
    pub fn drain_into(&mut self, analyzer: &mut Analyzer) -> usize {
        let mut n = 0;
        while let Ok(fresh) = self.next.try_recv() {
            n += self.current.drain_into(analyzer);
            self.current = fresh;
        }
        n + self.current.drain_into(analyzer)
    }

    /// Frames dropped by the current stream because the ring was full.
    pub fn dropped(&self) -> u64 {
        self.current.dropped()
    }
}

/// A running capture. Dropping it stops the capture.
pub struct Capture {
    status: Arc<Mutex<CaptureStatus>>,
    restarts: Arc<Mutex<u64>>,
    events: Sender<Event>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Capture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Capture")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

impl Capture {
    /// Opens the device and starts capturing. Fails at once, with a clear
    /// error, when the device does not exist or cannot be opened.
    pub fn start(config: CaptureConfig) -> Result<(Capture, CaptureReader), AudioError> {
        let backend = CpalBackend {
            selector: config.device.clone(),
            ring_seconds: config.ring_seconds,
        };
        Self::start_with(backend, config.retry_interval)
    }

    fn start_with<B: Backend>(
        mut backend: B,
        retry: Duration,
    ) -> Result<(Capture, CaptureReader), AudioError> {
        let (events_tx, events_rx) = mpsc::channel();
        let opened = backend.open(0, events_tx.clone())?;
        let (readers_tx, readers_rx) = mpsc::channel();
        let status = Arc::new(Mutex::new(CaptureStatus::Running {
            device: opened.device.clone(),
        }));
        let restarts = Arc::new(Mutex::new(0));
        let supervisor = Supervisor {
            backend,
            stream: Some(opened.stream),
            device: opened.device,
            generation: 0,
            events_tx: events_tx.clone(),
            events_rx,
            readers: readers_tx,
            status: status.clone(),
            restarts: restarts.clone(),
            retry,
        };
        let thread = std::thread::Builder::new()
            .name("kefir-capture".into())
            .spawn(move || supervisor.run())
            .map_err(|e| backend_error("capture supervisor", e))?;
        Ok((
            Capture {
                status,
                restarts,
                events: events_tx,
                thread: Some(thread),
            },
            CaptureReader {
                current: opened.reader,
                next: readers_rx,
            },
        ))
    }

    /// What the capture is doing now.
    pub fn status(&self) -> CaptureStatus {
        self.status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// How many times the device was reopened after a loss.
    pub fn restarts(&self) -> u64 {
        *self.restarts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stops capturing and closes the device.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let _ = self.events.send(Event::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        self.shutdown();
    }
}

struct Supervisor<B: Backend> {
    backend: B,
    stream: Option<B::Stream>,
    device: String,
    generation: u64,
    events_tx: Sender<Event>,
    events_rx: Receiver<Event>,
    readers: Sender<PcmReader>,
    status: Arc<Mutex<CaptureStatus>>,
    restarts: Arc<Mutex<u64>>,
    retry: Duration,
}

impl<B: Backend> Supervisor<B> {
    fn set_status(&self, s: CaptureStatus) {
        *self.status.lock().unwrap_or_else(PoisonError::into_inner) = s;
    }

    fn run(mut self) {
        loop {
            let wait = if self.stream.is_some() {
                Duration::from_secs(3600)
            } else {
                self.retry
            };
            match self.events_rx.recv_timeout(wait) {
                Ok(Event::Stop) | Err(RecvTimeoutError::Disconnected) => break,
                Ok(Event::Lost { generation, error }) => {
                    if generation == self.generation && self.stream.is_some() {
                        self.stream = None;
                        self.set_status(CaptureStatus::Lost {
                            device: self.device.clone(),
                            error,
                        });
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    if self.stream.is_none() {
                        self.generation += 1;
                        if let Ok(opened) =
                            self.backend.open(self.generation, self.events_tx.clone())
                        {
                            if self.readers.send(opened.reader).is_err() {
                                // The reader is gone: nobody listens any more.
                                break;
                            }
                            self.stream = Some(opened.stream);
                            self.device = opened.device.clone();
                            *self.restarts.lock().unwrap_or_else(PoisonError::into_inner) += 1;
                            self.set_status(CaptureStatus::Running {
                                device: opened.device,
                            });
                        }
                    }
                }
            }
        }
        self.stream = None;
        self.set_status(CaptureStatus::Stopped);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ring::PcmWriter;
    use std::time::Instant;

    fn devices() -> Vec<InputDevice> {
        [
            "Built-in Microphone",
            "USB Audio CODEC",
            "Monitor of Built-in Audio",
        ]
        .iter()
        .enumerate()
        .map(|(i, n)| InputDevice {
            index: i,
            name: n.to_string(),
            id: format!("dev{i}"),
            host: "Test".into(),
            is_monitor: is_monitor(n, ""),
            is_loopback: false,
        })
        .collect()
    }

    /// A listing as `all_input_devices` builds it: inputs (name, id), then
    /// the outputs recorded in loopback mode, default output first.
    fn listing(
        host: &str,
        inputs: &[(&str, &str)],
        outputs: &[(&str, &str)],
        default_output: Option<&str>,
    ) -> Vec<InputDevice> {
        let mut out: Vec<InputDevice> = inputs
            .iter()
            .enumerate()
            .map(|(i, (name, id))| InputDevice {
                index: i,
                name: name.to_string(),
                id: id.to_string(),
                host: host.into(),
                is_monitor: is_monitor(name, id),
                is_loopback: false,
            })
            .collect();
        let named: Vec<(String, String)> = outputs
            .iter()
            .map(|(n, i)| (n.to_string(), i.to_string()))
            .collect();
        for i in crate::loopback::loopback_order(&named, default_output) {
            out.push(InputDevice {
                index: out.len(),
                name: crate::loopback::loopback_name(&named[i].0),
                id: format!("loopback:{}", named[i].1),
                host: host.into(),
                is_monitor: true,
                is_loopback: true,
            });
        }
        out
    }

    fn pick(devices: &[InputDevice], selector: DeviceSelector) -> &str {
        select_device(devices, &selector)
            .unwrap_or_else(|e| panic!("{selector}: {e}"))
            .map_or("(default input)", |d| d.name.as_str())
    }

    #[test]
    fn windows_records_the_default_output_in_loopback() {
        let d = listing(
            "WASAPI",
            &[
                ("Microphone (Realtek(R) Audio)", "{0.0.1.00000000}.{m}"),
                ("Line In (USB Audio CODEC)", "{0.0.1.00000000}.{l}"),
            ],
            &[
                ("Speakers (Realtek(R) Audio)", "{0.0.0.00000000}.{s}"),
                (
                    "LG TV (NVIDIA High Definition Audio)",
                    "{0.0.0.00000000}.{t}",
                ),
            ],
            Some("{0.0.0.00000000}.{t}"),
        );
        assert_eq!(
            pick(&d, DeviceSelector::Monitor),
            "LG TV (NVIDIA High Definition Audio) (what you hear)"
        );
        assert!(
            select_device(&d, &DeviceSelector::Monitor)
                .unwrap()
                .unwrap()
                .is_loopback
        );
        assert_eq!(pick(&d, DeviceSelector::Default), "(default input)");
        // Names match inputs before the loopbacks of outputs.
        assert_eq!(
            pick(&d, DeviceSelector::Name("realtek".into())),
            "Microphone (Realtek(R) Audio)"
        );
        assert_eq!(
            pick(&d, DeviceSelector::Name("speakers".into())),
            "Speakers (Realtek(R) Audio) (what you hear)"
        );
        assert_eq!(
            pick(&d, DeviceSelector::Index(1)),
            "Line In (USB Audio CODEC)"
        );
        // Stereo Mix is a monitor, but the default output's loopback comes
        // first only when listed first; an old card's mixer input alone works.
        let mix = listing(
            "WASAPI",
            &[("Stereo Mix (Realtek(R) Audio)", "{0.0.1.00000000}.{x}")],
            &[],
            None,
        );
        assert_eq!(
            pick(&mix, DeviceSelector::Monitor),
            "Stereo Mix (Realtek(R) Audio)"
        );
    }

    #[test]
    fn macos_records_outputs_or_a_loopback_driver() {
        // macOS 14.6+: the output is listed as a loopback source.
        let d = listing(
            "CoreAudio",
            &[("MacBook Pro Microphone", "BuiltInMicrophoneDevice")],
            &[("MacBook Pro Speakers", "BuiltInSpeakerDevice")],
            Some("BuiltInSpeakerDevice"),
        );
        assert_eq!(
            pick(&d, DeviceSelector::Monitor),
            "MacBook Pro Speakers (what you hear)"
        );
        // Older macOS: no loopbacks listed; BlackHole is the monitor.
        let old = listing(
            "CoreAudio",
            &[
                ("MacBook Pro Microphone", "BuiltInMicrophoneDevice"),
                ("BlackHole 2ch", "BlackHole2ch_UID"),
            ],
            &[],
            None,
        );
        assert_eq!(pick(&old, DeviceSelector::Monitor), "BlackHole 2ch");
        assert_eq!(
            pick(&old, DeviceSelector::Name("blackhole".into())),
            "BlackHole 2ch"
        );
        // Nothing at all: the error says what to do on this OS.
        let bare = listing("CoreAudio", &[("MacBook Pro Microphone", "mic")], &[], None);
        let err = select_device(&bare, &DeviceSelector::Monitor).unwrap_err();
        assert!(matches!(&err, AudioError::NoMonitor { .. }), "{err}");
        let text = err.to_string();
        assert!(
            text.contains("records what the machine plays")
                && text.contains("MacBook Pro Microphone"),
            "{text}"
        );
        assert!(text.contains(&Platform::current().monitor_help()), "{text}");
    }

    #[test]
    fn linux_records_a_pulseaudio_or_pipewire_monitor() {
        let d = listing(
            "PulseAudio",
            &[
                (
                    "Built-in Audio Analog Stereo",
                    "alsa_input.pci-0000_00_1f.3.analog-stereo",
                ),
                (
                    "Monitor of Built-in Audio Analog Stereo",
                    "alsa_output.pci-0000_00_1f.3.analog-stereo.monitor",
                ),
                (
                    "USB Audio CODEC Analog Stereo",
                    "alsa_input.usb-Burr-Brown_USB_Audio_CODEC",
                ),
            ],
            &[],
            None,
        );
        assert_eq!(
            pick(&d, DeviceSelector::Monitor),
            "Monitor of Built-in Audio Analog Stereo"
        );
        assert!(
            !select_device(&d, &DeviceSelector::Monitor)
                .unwrap()
                .unwrap()
                .is_loopback
        );
        assert_eq!(
            pick(
                &d,
                DeviceSelector::Name("alsa_input.usb-Burr-Brown_USB_Audio_CODEC".into())
            ),
            "USB Audio CODEC Analog Stereo"
        );
        assert_eq!(
            pick(&d, DeviceSelector::Name("codec".into())),
            "USB Audio CODEC Analog Stereo"
        );
        // ALSA alone (no sound server): no monitor, and the error says so.
        let alsa = listing(
            "ALSA",
            &[("default", "default"), ("hw:CARD=PCH,DEV=0", "hw:0")],
            &[],
            None,
        );
        assert!(matches!(
            select_device(&alsa, &DeviceSelector::Monitor),
            Err(AudioError::NoMonitor { .. })
        ));
    }

    #[test]
    fn selects_by_index_name_and_monitor() {
        let d = devices();
        assert_eq!(select_device(&d, &DeviceSelector::Default).unwrap(), None);
        assert_eq!(
            select_device(&d, &DeviceSelector::Index(1))
                .unwrap()
                .unwrap()
                .index,
            1
        );
        assert_eq!(
            select_device(&d, &DeviceSelector::Name("usb".into()))
                .unwrap()
                .unwrap()
                .index,
            1
        );
        assert_eq!(
            select_device(&d, &DeviceSelector::Name("dev0".into()))
                .unwrap()
                .unwrap()
                .index,
            0
        );
        assert_eq!(
            select_device(&d, &DeviceSelector::Monitor)
                .unwrap()
                .unwrap()
                .index,
            2
        );
        assert!(is_monitor("x", "alsa_output.pci.analog-stereo.monitor"));
        let err = select_device(&d, &DeviceSelector::Index(7)).unwrap_err();
        assert!(matches!(err, AudioError::DeviceNotFound { .. }));
        let msg = select_device(&d, &DeviceSelector::Name("nope".into()))
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("\"nope\"") && msg.contains("USB Audio CODEC"),
            "{msg}"
        );
        let none = select_device(&[], &DeviceSelector::Monitor)
            .unwrap_err()
            .to_string();
        assert!(none.contains("inputs: none"), "{none}");
    }

    /// The streams a fake backend opened: generation, writer, events.
    type Opens = Arc<Mutex<Vec<(u64, PcmWriter, Sender<Event>)>>>;

    /// A device that can be unplugged and plugged back in.
    struct FakeBackend {
        present: Arc<Mutex<bool>>,
        writers: Opens,
    }

    impl Backend for FakeBackend {
        type Stream = ();
        fn open(
            &mut self,
            generation: u64,
            events: Sender<Event>,
        ) -> Result<Opened<()>, AudioError> {
            if !*self.present.lock().unwrap() {
                return Err(AudioError::NoInputDevice {
                    reason: "unplugged".into(),
                });
            }
            let (writer, reader) = pcm_ring(44_100, 44_100);
            self.writers
                .lock()
                .unwrap()
                .push((generation, writer, events));
            Ok(Opened {
                stream: (),
                device: "fake".into(),
                reader,
            })
        }
    }

    fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !cond() {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn device_loss_is_reported_and_capture_restarts_when_it_returns() {
        let present = Arc::new(Mutex::new(true));
        let writers = Arc::new(Mutex::new(Vec::new()));
        let backend = FakeBackend {
            present: present.clone(),
            writers: writers.clone(),
        };
        let (capture, mut reader) =
            Capture::start_with(backend, Duration::from_millis(10)).unwrap();
        assert_eq!(
            capture.status(),
            CaptureStatus::Running {
                device: "fake".into()
            }
        );
        let mut analyzer = Analyzer::default();
        writers.lock().unwrap()[0].1.write_f32(&[0.25; 200], 2);
        assert_eq!(reader.drain_into(&mut analyzer), 100);

        // Unplug: the stream reports its device gone.
        *present.lock().unwrap() = false;
        {
            let w = writers.lock().unwrap();
            w[0].2
                .send(Event::Lost {
                    generation: 0,
                    error: "device gone".into(),
                })
                .unwrap();
        }
        wait_for("lost", || {
            matches!(capture.status(), CaptureStatus::Lost { .. })
        });
        // Meanwhile the render side keeps going with no audio.
        assert_eq!(reader.drain_into(&mut analyzer), 0);
        assert!(analyzer.frame(1.0 / 60.0).bass.is_finite());

        // Plug back in: capture resumes on a fresh stream.
        *present.lock().unwrap() = true;
        wait_for("restart", || capture.restarts() == 1);
        assert_eq!(
            capture.status(),
            CaptureStatus::Running {
                device: "fake".into()
            }
        );
        {
            let mut w = writers.lock().unwrap();
            assert_eq!(w.len(), 2);
            w[1].1.write_f32(&[0.5; 300], 2);
            // A late error from the old stream is ignored.
            w[1].2
                .send(Event::Lost {
                    generation: 0,
                    error: "stale".into(),
                })
                .unwrap();
        }
        wait_for("audio from the new stream", || {
            reader.drain_into(&mut analyzer) > 0
        });
        std::thread::sleep(Duration::from_millis(50));
        assert!(matches!(capture.status(), CaptureStatus::Running { .. }));
        capture.stop();
    }

    #[test]
    fn every_pcm_sample_format_reaches_the_ring_as_floats() {
        /// Writes frames of half scale up (left) and down (right) in `T`'s
        /// format through the callback's conversion; the ring holds them
        /// as +-0.5 (after the resampler's delay line).
        fn check<T: cpal::SizedSample + std::fmt::Debug>(up: T, down: T) {
            let format = T::FORMAT;
            assert!(supported(format), "{format}");
            let mut samples: Vec<T> = [up, down].repeat(256);
            // SAFETY: `samples` holds `samples.len()` values of `format`'s
            // type and outlives `data`.
            let data = unsafe {
                cpal::Data::from_parts(samples.as_mut_ptr().cast(), samples.len(), format)
            };
            let (mut writer, mut reader) = pcm_ring(1024, crate::ANALYSIS_RATE);
            write_data(&mut writer, &data, format, 2);
            let frames = reader.take_all();
            assert_eq!(frames.len(), 256, "{format}");
            let [l, r] = frames[frames.len() - 1];
            assert!(
                (l - 0.5).abs() < 1e-3 && (r + 0.5).abs() < 1e-3,
                "{format}: {up:?} {down:?} -> {l} {r}"
            );
        }
        check(0.5f32, -0.5);
        check(0.5f64, -0.5);
        check(64i8, -64);
        check(16_384i16, -16_384);
        check(
            cpal::I24::new(1 << 22).unwrap(),
            cpal::I24::new(-(1 << 22)).unwrap(),
        );
        check(1i32 << 30, -(1 << 30));
        check(1i64 << 62, -(1 << 62));
        check(192u8, 64);
        check(49_152u16, 16_384);
        check(
            cpal::U24::new((1 << 23) + (1 << 22)).unwrap(),
            cpal::U24::new(1 << 22).unwrap(),
        );
        check(3u32 << 30, 1 << 30);
        check(3u64 << 62, 1 << 62);
    }

    #[test]
    fn stopping_closes_the_stream() {
        let backend = FakeBackend {
            present: Arc::new(Mutex::new(true)),
            writers: Arc::new(Mutex::new(Vec::new())),
        };
        let (capture, _reader) = Capture::start_with(backend, Duration::from_millis(10)).unwrap();
        let status = capture.status.clone();
        capture.stop();
        assert_eq!(*status.lock().unwrap(), CaptureStatus::Stopped);
    }
}
