//! The analyzer: PCM in (any rate, mono or stereo or more, f32 or i16, chunks
//! of any size), one [`AudioFrame`] out per video frame.
//!
//! Input is converted to stereo f32, resampled to 44.1 kHz (see
//! [`crate::resample`]) and fed sample by sample to a 576-sample history and
//! to the beat tracker, so results do not depend on how the input is chunked.
//! [`Analyzer::frame`] then reads the newest 576 samples: spectrum
//! (MilkDrop's, from the 2-tap "damped" waveform as vis_milk2's shell does),
//! waveform (aligned with the previous frame's as MilkDrop 2's `AlignWaves`
//! does, [`crate::align`]), band levels (from the undamped waveform as
//! `DoCustomSoundAnalysis` does, but before the alignment) and the beats
//! found since the previous frame.

use crate::align::WaveAligner;
use crate::beat::BeatTracker;
use crate::levels::LevelTracker;
use crate::resample::{ANALYSIS_RATE, Resampler};
use crate::spectrum::{SPECTRUM_BINS, SpectrumAnalyzer, WAVE_SAMPLES};

/// MilkDrop's waveform was 8-bit: one unit of our [-1, 1] samples is 128 of
/// MilkDrop's. The spectrum and band levels are computed in MilkDrop's units.
pub const MILKDROP_WAVE_SCALE: f32 = 128.0;

/// Layout of interleaved PCM handed to the analyzer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PcmFormat {
    /// Frames per second.
    pub sample_rate: u32,
    /// Interleaved channels: 1 (mono, used for both sides), 2 (left, right),
    /// more (the first two are used). 0 is ignored.
    pub channels: u16,
}

impl PcmFormat {
    pub const fn new(sample_rate: u32, channels: u16) -> Self {
        PcmFormat {
            sample_rate,
            channels,
        }
    }
}

/// Settings of an [`Analyzer`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnalyzerConfig {
    /// Beat detection sensitivity, 0..=1 (0.5 by default): higher finds more
    /// beats (softer onsets count).
    pub beat_sensitivity: f32,
}

impl Default for AnalyzerConfig {
    fn default() -> Self {
        AnalyzerConfig {
            beat_sensitivity: 0.5,
        }
    }
}

/// Everything a preset sees of the audio in one video frame.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioFrame {
    /// The newest 576 samples at 44.1 kHz, left and right, oldest first, in
    /// [-1, 1] (multiply by [`MILKDROP_WAVE_SCALE`] for MilkDrop's units),
    /// aligned with the previous frame's as MilkDrop 2 does
    /// ([`crate::align`]): each channel's 480 samples that best continue
    /// the last frame's picture moved to the front (by up to 95 samples,
    /// the rest then 0).
    pub wave: [[f32; WAVE_SAMPLES]; 2],
    /// Left and right spectra, 512 bins over 0..22.05 kHz, MilkDrop's units
    /// (Hann envelope, 1024-point FFT, MilkDrop's equalisation).
    pub spectrum: [[f32; SPECTRUM_BINS]; 2],
    /// Band energy over its long-term average: 1.0 = as loud as usual.
    pub bass: f32,
    pub mid: f32,
    pub treb: f32,
    /// The same, smoothed (fast attack, slower release).
    pub bass_att: f32,
    pub mid_att: f32,
    pub treb_att: f32,
    /// `(bass + mid + treb) / 3`, as projectM and butterchurn define it.
    pub vol: f32,
    /// The bass, mid and treble band sums before the division by their
    /// long-term averages (MilkDrop 2's "absolute" `mysound.imm`, in
    /// MilkDrop's units: tens for quiet music, hundreds for loud). MilkDrop
    /// 2's wave mode 3 takes its alpha from the treble one. 1.0 each in the
    /// default frame.
    pub imm: [f32; 3],
    /// `(bass_att + mid_att + treb_att) / 3`.
    pub vol_att: f32,
    /// A beat (onset) was detected since the previous frame.
    pub beat: bool,
    /// Tempo estimate in beats per minute, once the analyzer has one.
    pub bpm: Option<f32>,
    /// Seconds of input analysed so far (the end of the waveform window).
    pub time: f64,
}

impl Default for AudioFrame {
    /// MilkDrop's neutral values: flat waveform, empty spectrum, levels 1.0.
    fn default() -> Self {
        AudioFrame {
            wave: [[0.0; WAVE_SAMPLES]; 2],
            spectrum: [[0.0; SPECTRUM_BINS]; 2],
            bass: 1.0,
            mid: 1.0,
            treb: 1.0,
            bass_att: 1.0,
            mid_att: 1.0,
            treb_att: 1.0,
            vol: 1.0,
            vol_att: 1.0,
            imm: [1.0; 3],
            beat: false,
            bpm: None,
            time: 0.0,
        }
    }
}

/// History kept at the analysis rate (a power of two above 576).
const HISTORY: usize = 1024;

/// The 44.1 kHz side: sample history and beat tracking.
#[derive(Debug)]
struct Sink {
    history: Box<[[f32; 2]; HISTORY]>,
    write: usize,
    produced: u64,
    beats: BeatTracker,
}

impl Sink {
    #[inline]
    fn push(&mut self, frame: [f32; 2]) {
        let clean = |v: f32| if v.is_finite() { v } else { 0.0 };
        let frame = [clean(frame[0]), clean(frame[1])];
        self.history[self.write] = frame;
        self.write = (self.write + 1) % HISTORY;
        self.produced += 1;
        self.beats.push(0.5 * (frame[0] + frame[1]));
    }
}

/// Turns PCM into [`AudioFrame`]s. Lives on the render thread; feed it from
/// a [`crate::PcmReader`] (live capture) or push PCM directly.
#[derive(Debug)]
pub struct Analyzer {
    resampler: Resampler,
    sink: Sink,
    spectrum: SpectrumAnalyzer,
    levels: LevelTracker,
    aligner: WaveAligner,
    frame: Box<AudioFrame>,
    band_spectra: Box<[[f32; SPECTRUM_BINS]; 2]>,
    scratch: Box<[[f32; WAVE_SAMPLES]; 4]>,
    convert: Vec<[f32; 2]>,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new(AnalyzerConfig::default())
    }
}

impl Analyzer {
    pub fn new(config: AnalyzerConfig) -> Self {
        Analyzer {
            resampler: Resampler::new(ANALYSIS_RATE),
            sink: Sink {
                history: Box::new([[0.0; 2]; HISTORY]),
                write: 0,
                produced: 0,
                beats: BeatTracker::new(config.beat_sensitivity),
            },
            spectrum: SpectrumAnalyzer::new(),
            levels: LevelTracker::default(),
            aligner: WaveAligner::new(),
            frame: Box::default(),
            band_spectra: Box::new([[0.0; SPECTRUM_BINS]; 2]),
            scratch: Box::new([[0.0; WAVE_SAMPLES]; 4]),
            convert: Vec::with_capacity(4096),
        }
    }

    /// Beat detection sensitivity, 0..=1.
    pub fn set_beat_sensitivity(&mut self, sensitivity: f32) {
        self.sink.beats.set_sensitivity(sensitivity);
    }

    pub fn beat_sensitivity(&self) -> f32 {
        self.sink.beats.sensitivity()
    }

    /// The current tempo estimate in BPM.
    pub fn bpm(&self) -> Option<f32> {
        self.sink.beats.bpm()
    }

    /// Beats detected since the analyzer started.
    pub fn total_beats(&self) -> u64 {
        self.sink.beats.total_beats()
    }

    /// Seconds of input analysed so far.
    pub fn time(&self) -> f64 {
        self.sink.produced as f64 / ANALYSIS_RATE as f64
    }

    /// Forgets all audio and state (e.g. when the song changes).
    pub fn reset(&mut self) {
        let sensitivity = self.sink.beats.sensitivity();
        *self = Analyzer::new(AnalyzerConfig {
            beat_sensitivity: sensitivity,
        });
    }

    /// Interleaved f32 samples (nominally in [-1, 1]; NaN and infinities
    /// count as 0).
    pub fn push_f32(&mut self, samples: &[f32], format: PcmFormat) {
        self.push_converted(samples, format, |s| s);
    }

    /// Interleaved signed 16-bit samples.
    pub fn push_i16(&mut self, samples: &[i16], format: PcmFormat) {
        self.push_converted(samples, format, |s| s as f32 / 32768.0);
    }

    fn push_converted<T: Copy>(
        &mut self,
        samples: &[T],
        format: PcmFormat,
        to_f32: impl Fn(T) -> f32,
    ) {
        let channels = format.channels as usize;
        if channels == 0 {
            return;
        }
        let mut frames = std::mem::take(&mut self.convert);
        for chunk in samples.chunks(4096 * channels) {
            frames.clear();
            frames.extend(chunk.chunks_exact(channels).map(|f| {
                let l = to_f32(f[0]);
                let r = if channels > 1 { to_f32(f[1]) } else { l };
                [l, r]
            }));
            self.push_frames(&frames, format.sample_rate);
        }
        self.convert = frames;
    }

    /// Stereo frames at `sample_rate`.
    pub fn push_frames(&mut self, frames: &[[f32; 2]], sample_rate: u32) {
        if self.resampler.in_rate()
            != sample_rate.clamp(crate::resample::MIN_RATE, crate::resample::MAX_RATE)
        {
            self.resampler = Resampler::new(sample_rate);
        }
        let sink = &mut self.sink;
        for &frame in frames {
            self.resampler.push(frame, &mut |f| sink.push(f));
        }
    }

    /// Stereo frames already at 44.1 kHz (what [`crate::PcmReader`] delivers):
    /// no resampling, no added latency.
    pub fn push_analysis_rate(&mut self, frames: &[[f32; 2]]) {
        for &frame in frames {
            self.sink.push(frame);
        }
    }

    /// Analyses the newest audio for a video frame that lasted `dt` seconds
    /// (the smoothing rates are corrected for it).
    pub fn frame(&mut self, dt: f32) -> &AudioFrame {
        let start = (self.sink.write + HISTORY - WAVE_SAMPLES) % HISTORY;
        let [raw_l, raw_r, damp_l, damp_r] = &mut *self.scratch;
        for i in 0..WAVE_SAMPLES {
            let [l, r] = self.sink.history[(start + i) % HISTORY];
            self.frame.wave[0][i] = l;
            self.frame.wave[1][i] = r;
            raw_l[i] = l * MILKDROP_WAVE_SCALE;
            raw_r[i] = r * MILKDROP_WAVE_SCALE;
            let prev = i.saturating_sub(1);
            damp_l[i] = 0.5 * (raw_l[i] + raw_l[prev]);
            damp_r[i] = 0.5 * (raw_r[i] + raw_r[prev]);
        }
        // The waves draw the aligned samples (MilkDrop 2's `AlignWaves`);
        // the spectrum and the band levels come from the samples as read.
        // (MilkDrop 2 takes its levels from the aligned buffer, whose
        // choice of window leans towards quiet slices of noise and depends
        // on how far the sound moved since the last frame: its levels then
        // change with the frame rate, which Kefir's do not.)
        self.aligner.align(&mut self.frame.wave);
        let [spec_l, spec_r] = &mut self.frame.spectrum;
        self.spectrum.analyze_pair(damp_l, damp_r, spec_l, spec_r);
        let [band_l, band_r] = &mut *self.band_spectra;
        self.spectrum.analyze_pair(raw_l, raw_r, band_l, band_r);

        let imm = LevelTracker::band_energy(band_l, band_r)
            .map(|v| if v.is_finite() { v.max(0.0) } else { 0.0 });
        let levels = self.levels.update(imm, dt);
        let f = &mut *self.frame;
        f.imm = imm;
        [f.bass, f.mid, f.treb] = levels.imm_rel;
        [f.bass_att, f.mid_att, f.treb_att] = levels.avg_rel;
        f.vol = (f.bass + f.mid + f.treb) / 3.0;
        f.vol_att = (f.bass_att + f.mid_att + f.treb_att) / 3.0;
        f.beat = self.sink.beats.take_beats() > 0;
        f.bpm = self.sink.beats.bpm();
        f.time = self.sink.produced as f64 / ANALYSIS_RATE as f64;
        &self.frame
    }

    /// The frame computed by the last [`Analyzer::frame`] call.
    pub fn last_frame(&self) -> &AudioFrame {
        &self.frame
    }
}
