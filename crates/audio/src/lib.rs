//! `milk-audio`: Kefir's audio side. It knows nothing of presets or GPUs.
//!
//! - [`Analyzer`] turns PCM (any rate, mono or stereo, f32 or i16, chunks of
//!   any size) into one [`AudioFrame`] per video frame: MilkDrop 2's
//!   576-sample waveform, 512-bin spectrum, bass/mid/treb and their `_att`
//!   versions (frame-time corrected), vol, beats and a tempo estimate.
//! - [`pcm_ring`] hands PCM from an audio thread to the render thread
//!   without locks; [`Capture`] fills one from a cpal input device and
//!   survives device loss.
//! - [`FileSource`] decodes WAV, FLAC, MP3 and Ogg Vorbis as a stream;
//!   [`Synth`] makes deterministic test signals and the [`demo_track`];
//!   [`Input`] is live capture or, without a device, the demo track.
//!
//! Module map: `analyzer` (the frame pipeline), `resample` (to 44.1 kHz),
//! `spectrum` (MilkDrop's FFT), `levels` (bass/mid/treb), `beat` (onsets,
//! beats, tempo), `ring` (lock-free hand-off), `capture` (cpal), `decode`
//! (symphonia), `synth` (signals), `source` (the pull-source trait),
//! `input` (capture or demo fallback), `loopback` ("what you hear" per OS),
//! `alsa_quiet` (libasound's stderr).
//!
//! Features (all on by default): `capture` (cpal: [`Capture`], [`Input`],
//! device lists, loopback), `decode` (symphonia: [`FileSource`]) and
//! `pulseaudio`. Without them (the browser build) the analysis, the ring,
//! the synthetic signals and [`DemoInput`] remain.

pub mod align;
#[cfg(feature = "capture")]
mod alsa_quiet;
pub mod analyzer;
pub mod beat;
#[cfg(feature = "capture")]
pub mod capture;
#[cfg(feature = "capture")]
pub mod card_match;
#[cfg(feature = "decode")]
pub mod decode;
pub mod error;
mod fft;
pub mod input;
pub mod levels;
#[cfg(feature = "capture")]
pub mod loopback;
pub mod resample;
pub mod ring;
pub mod source;
pub mod spectrum;
pub mod synth;

#[cfg(feature = "capture")]
pub use alsa_quiet::silence_alsa_errors;
pub use analyzer::{Analyzer, AnalyzerConfig, AudioFrame, MILKDROP_WAVE_SCALE, PcmFormat};
#[cfg(feature = "capture")]
pub use capture::{
    Capture, CaptureConfig, CaptureReader, CaptureStatus, DeviceSelector, InputDevice,
    list_input_devices, select_device,
};
#[cfg(feature = "capture")]
pub use card_match::{CardMatch, match_card};
#[cfg(feature = "decode")]
pub use decode::FileSource;
pub use error::AudioError;
pub use input::DemoInput;
#[cfg(feature = "capture")]
pub use input::Input;
pub use resample::ANALYSIS_RATE;
pub use ring::{PcmReader, PcmWriter, pcm_ring};
pub use source::{AudioSource, analyze_source};
pub use spectrum::{FFT_SIZE, SPECTRUM_BINS, WAVE_SAMPLES};
pub use synth::{Rng, Synth, Voice, demo_track};

#[cfg(all(test, feature = "capture", feature = "decode"))]
mod tests {
    /// The audio thread gets a writer, the render thread the rest.
    #[test]
    fn handles_cross_threads() {
        fn send<T: Send>() {}
        send::<crate::Analyzer>();
        send::<crate::PcmWriter>();
        send::<crate::PcmReader>();
        send::<crate::Capture>();
        send::<crate::CaptureReader>();
        send::<crate::Input>();
        send::<crate::FileSource>();
    }
}
