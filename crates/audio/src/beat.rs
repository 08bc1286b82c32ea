//! Beat detection (for hard cuts) and tempo estimation.
//!
//! Runs on the whole 44.1 kHz stream, independent of the video frame rate:
//! - onset strength: every 10 ms (441 samples), a 1024-sample Hann-windowed
//!   FFT of the mono mix; the onset function is the spectral flux of the
//!   log-compressed magnitudes (sum of increases over bins up to 11 kHz, bins
//!   below 520 Hz weighted 4x so kicks dominate hi-hats);
//! - beats: a local maximum of the onset function (decided one hop late) that
//!   exceeds `a * mean + b * std` of the last 1.5 s, exceeds a tenth of the
//!   recent peak level and comes at least 120 ms after the previous beat;
//!   as the sensitivity rises from 0 to 1, `a` falls from 2.4 to 0.6 and `b`
//!   from 3.0 to 0.8 (at the default 0.5: `1.5 * mean + 1.9 * std`);
//! - tempo: every 0.5 s, the autocorrelation of the last 8 s of the onset
//!   function (smoothed) over lags of 60..200 BPM, preferring half the best
//!   lag when it correlates at least half as well; that lag is refined from the
//!   peaks near its first four multiples (parabolic interpolation, least
//!   squares through the origin). No tempo while the best peak is weak or
//!   fewer than 4 beats fell in the window.

use std::collections::VecDeque;
use std::sync::Arc;

use rustfft::Fft;
use rustfft::num_complex::Complex32;

/// Hop between onset-function values, in samples at 44.1 kHz (10 ms).
pub const HOP: usize = 441;
/// Onset-function values per second.
pub const ODF_RATE: f32 = 100.0;
const WINDOW: usize = 1024;
/// Bins used: 1..=256 (43 Hz .. 11 kHz).
const TOP_BIN: usize = 256;
/// Bins at or below this get `LOW_WEIGHT`.
const LOW_BINS: usize = 12;
const LOW_WEIGHT: f32 = 4.0;
/// Log compression `ln(1 + c |X|)`: a full-scale sine peaks near |X| = 256,
/// so quiet broadband sounds (hi-hats, hiss) stay in the near-linear part
/// and weigh little against kicks and snares.
const COMPRESSION: f32 = 0.1;
/// Threshold statistics window, in hops (1.5 s).
const STATS_HOPS: usize = 150;
/// Minimum time between beats, in hops.
const MIN_GAP: u64 = 12;
/// Onset history kept for the tempo, in hops (8 s).
const TEMPO_HOPS: usize = 800;
/// First tempo estimate after this many hops (4 s), then every `TEMPO_EVERY`.
const TEMPO_MIN_HOPS: usize = 400;
const TEMPO_EVERY: u64 = 50;
/// Correlation at the best lag, relative to lag 0, below which the onset
/// function counts as aperiodic (noise reaches about 0.1 by chance).
const MIN_CONFIDENCE: f32 = 0.3;
const MIN_BPM: f32 = 60.0;
/// Beats needed in the tempo window (8 s) for a tempo.
const MIN_TEMPO_BEATS: usize = 4;
const MAX_BPM: f32 = 200.0;

/// Onset detection, beat picking and tempo estimation over a mono stream.
pub struct BeatTracker {
    sensitivity: f32,
    /// Half-length complex FFT computing the real FFT of the window.
    fft: Arc<dyn Fft<f32>>,
    /// `e^{-2 pi i k / WINDOW}` for k = 0..=TOP_BIN.
    twiddles: Vec<Complex32>,
    window: Vec<f32>,
    /// The last `WINDOW` mono samples, circular.
    samples: Vec<f32>,
    write: usize,
    since_hop: usize,
    buf: Vec<Complex32>,
    scratch: Vec<Complex32>,
    prev_log: Vec<f32>,
    odf: VecDeque<f32>,
    hops: u64,
    last_beat_hop: Option<u64>,
    /// Hops of the beats within the tempo window.
    recent_beats: VecDeque<u64>,
    peak_level: f32,
    beats: u64,
    pending_beats: u32,
    bpm: Option<f32>,
    acf: Vec<f32>,
    smoothed: Vec<f32>,
}

impl std::fmt::Debug for BeatTracker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BeatTracker")
            .field("sensitivity", &self.sensitivity)
            .field("beats", &self.beats)
            .field("bpm", &self.bpm)
            .finish_non_exhaustive()
    }
}

impl BeatTracker {
    /// `sensitivity` in 0..=1 (clamped): higher finds more beats.
    pub fn new(sensitivity: f32) -> Self {
        let fft = crate::fft::forward(WINDOW / 2);
        let twiddles = (0..=TOP_BIN)
            .map(|k| {
                let a = -std::f64::consts::TAU * k as f64 / WINDOW as f64;
                Complex32::new(a.cos() as f32, a.sin() as f32)
            })
            .collect();
        let scratch = vec![Complex32::default(); fft.get_inplace_scratch_len()];
        let window = (0..WINDOW)
            .map(|i| (0.5 - 0.5 * (std::f64::consts::TAU * i as f64 / WINDOW as f64).cos()) as f32)
            .collect();
        let mut t = BeatTracker {
            sensitivity: 0.5,
            fft,
            twiddles,
            window,
            samples: vec![0.0; WINDOW],
            write: 0,
            since_hop: 0,
            buf: vec![Complex32::default(); WINDOW / 2],
            scratch,
            prev_log: vec![0.0; TOP_BIN + 1],
            odf: VecDeque::with_capacity(TEMPO_HOPS + 1),
            hops: 0,
            last_beat_hop: None,
            recent_beats: VecDeque::new(),
            peak_level: 0.0,
            beats: 0,
            pending_beats: 0,
            bpm: None,
            acf: Vec::with_capacity(TEMPO_HOPS),
            smoothed: Vec::with_capacity(TEMPO_HOPS),
        };
        t.set_sensitivity(sensitivity);
        t
    }

    /// Changes the sensitivity (0..=1, clamped; NaN counts as 0.5).
    pub fn set_sensitivity(&mut self, sensitivity: f32) {
        self.sensitivity = if sensitivity.is_nan() {
            0.5
        } else {
            sensitivity.clamp(0.0, 1.0)
        };
    }

    pub fn sensitivity(&self) -> f32 {
        self.sensitivity
    }

    /// Feeds one mono sample at 44.1 kHz.
    #[inline]
    pub fn push(&mut self, sample: f32) {
        self.samples[self.write] = if sample.is_finite() { sample } else { 0.0 };
        self.write = (self.write + 1) % WINDOW;
        self.since_hop += 1;
        if self.since_hop == HOP {
            self.since_hop = 0;
            self.hop();
        }
    }

    /// Beats found since the last call.
    pub fn take_beats(&mut self) -> u32 {
        std::mem::take(&mut self.pending_beats)
    }

    /// All beats found so far.
    pub fn total_beats(&self) -> u64 {
        self.beats
    }

    /// The tempo estimate in beats per minute, once there is one.
    pub fn bpm(&self) -> Option<f32> {
        self.bpm
    }

    fn hop(&mut self) {
        // Real FFT of the windowed samples: even samples in the real part,
        // odd ones in the imaginary part of a half-length complex FFT.
        for (n, c) in self.buf.iter_mut().enumerate() {
            let i = 2 * n;
            let a = self.samples[(self.write + i) % WINDOW] * self.window[i];
            let b = self.samples[(self.write + i + 1) % WINDOW] * self.window[i + 1];
            *c = Complex32::new(a, b);
        }
        self.fft
            .process_with_scratch(&mut self.buf, &mut self.scratch);
        let half = WINDOW / 2;
        let mut flux = 0.0f32;
        for k in 1..=TOP_BIN {
            let z = self.buf[k % half];
            let zc = self.buf[(half - k) % half].conj();
            let even = (z + zc) * 0.5;
            let odd = (z - zc) * Complex32::new(0.0, -0.5);
            let x = even + self.twiddles[k] * odd;
            let l = (1.0 + COMPRESSION * x.norm()).ln();
            let rise = l - self.prev_log[k];
            if rise > 0.0 {
                flux += if k <= LOW_BINS {
                    LOW_WEIGHT * rise
                } else {
                    rise
                };
            }
            self.prev_log[k] = l;
        }
        self.push_odf(flux);
    }

    fn push_odf(&mut self, value: f32) {
        self.hops += 1;
        if self.odf.len() == TEMPO_HOPS {
            self.odf.pop_front();
        }
        self.odf.push_back(value);
        // Peak level: follows peaks at once, halves in about 4 s.
        self.peak_level = value.max(self.peak_level * 0.99827);
        self.pick_beat();
        if self.odf.len() >= TEMPO_MIN_HOPS && self.hops.is_multiple_of(TEMPO_EVERY) {
            self.estimate_tempo();
        }
    }

    /// Is the previous value a beat? (Needs the current one to see a peak.)
    fn pick_beat(&mut self) {
        let n = self.odf.len();
        if n < 2 {
            return;
        }
        // Before the stream there was silence: a sound right at the start is
        // a beat too.
        let before = if n >= 3 { self.odf[n - 3] } else { 0.0 };
        let (cand, after) = (self.odf[n - 2], self.odf[n - 1]);
        if !(cand > before && cand >= after) {
            return;
        }
        let cand_hop = self.hops - 1;
        if let Some(last) = self.last_beat_hop
            && cand_hop - last < MIN_GAP
        {
            return;
        }
        // Statistics of the values before the candidate.
        let start = n.saturating_sub(2 + STATS_HOPS);
        let past = self.odf.range(start..n - 2);
        let count = past.len().max(1) as f32;
        let (sum, sum_sq) = past.fold((0.0f32, 0.0f32), |(s, q), &v| (s + v, q + v * v));
        let mean = sum / count;
        let std = (sum_sq / count - mean * mean).max(0.0).sqrt();
        let s = self.sensitivity;
        let threshold = mean * (2.4 - 1.8 * s) + std * (3.0 - 2.2 * s);
        let floor = 0.1 * self.peak_level;
        // An absolute floor keeps silence and dither from ever beating.
        if cand > threshold && cand > floor && cand > 0.5 {
            self.last_beat_hop = Some(cand_hop);
            self.recent_beats.push_back(cand_hop);
            self.beats += 1;
            self.pending_beats += 1;
        }
    }

    fn estimate_tempo(&mut self) {
        // A tempo needs beats: steady sounds have periodic ripples, not beats.
        while let Some(&first) = self.recent_beats.front()
            && first + (TEMPO_HOPS as u64) < self.hops
        {
            self.recent_beats.pop_front();
        }
        if self.recent_beats.len() < MIN_TEMPO_BEATS {
            self.bpm = None;
            return;
        }
        let n = self.odf.len();
        let mean = self.odf.iter().sum::<f32>() / n as f32;
        // Smooth with a 5-tap triangle so that a period falling between two
        // lags still correlates as strongly as one falling on a lag.
        let odf = &self.odf;
        let at = |i: isize| odf[i.clamp(0, n as isize - 1) as usize] - mean;
        self.smoothed.clear();
        self.smoothed.extend((0..n as isize).map(|i| {
            (at(i - 2) + 2.0 * at(i - 1) + 3.0 * at(i) + 2.0 * at(i + 1) + at(i + 2)) / 9.0
        }));
        self.bpm = tempo(&self.smoothed, &mut self.acf);
    }
}

/// Dot product with eight independent sums (so it vectorises).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut part = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for j in 0..8 {
            part[j] += x[j] * y[j];
        }
    }
    part.iter().sum::<f32>() + tail
}

/// Tempo of a mean-free onset function `x`, in BPM; `memo` is scratch.
fn tempo(x: &[f32], memo: &mut Vec<f32>) -> Option<f32> {
    let n = x.len();
    let max_lag = (n / 2).min(4 * (60.0 * ODF_RATE / MIN_BPM) as usize + 8);
    // Autocorrelation, computed only at the lags looked at.
    memo.clear();
    memo.resize(max_lag + 1, f32::NAN);
    let mut acf = |lag: usize| -> f32 {
        if memo[lag].is_nan() {
            memo[lag] = dot(&x[..n - lag], &x[lag..]);
        }
        memo[lag]
    };
    let zero = acf(0);
    if zero <= 0.0 {
        return None;
    }
    let lo = (60.0 * ODF_RATE / MAX_BPM).floor() as usize;
    let hi = ((60.0 * ODF_RATE / MIN_BPM).ceil() as usize).min(max_lag);
    let argmax = |acf: &mut dyn FnMut(usize) -> f32, from: usize, to: usize| {
        let mut best = (from, f32::NEG_INFINITY);
        for lag in from..=to {
            let v = acf(lag);
            if v > best.1 {
                best = (lag, v);
            }
        }
        best.0
    };
    let mut best = argmax(&mut acf, lo, hi);
    if acf(best) < MIN_CONFIDENCE * zero {
        return None;
    }
    // Octave check: when half the lag correlates nearly as well, the pulse
    // is twice as fast and the longer lag is its multiple.
    let half = best / 2;
    if half >= lo {
        let h = argmax(&mut acf, half.saturating_sub(1), half + 1);
        if acf(h) > 0.5 * acf(best) {
            best = h;
        }
    }
    // Refine from the peaks near the multiples of the best lag.
    let (mut num, mut den) = (0.0f64, 0.0f64);
    for k in 1..=4usize {
        let centre = k * best;
        let reach = k + 1;
        if centre + reach + 1 > max_lag {
            break;
        }
        let peak = argmax(&mut acf, centre - reach, centre + reach);
        let (a, b, c) = (acf(peak - 1), acf(peak), acf(peak + 1));
        let denom = a - 2.0 * b + c;
        let offset = if denom.abs() > f32::EPSILON {
            (0.5 * (a - c) / denom).clamp(-0.5, 0.5)
        } else {
            0.0
        };
        num += k as f64 * (peak as f64 + offset as f64);
        den += (k * k) as f64;
    }
    (den > 0.0).then(|| (60.0 * ODF_RATE as f64 * den / num) as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_half_length_real_fft_matches_a_direct_dft() {
        let mut t = BeatTracker::new(0.5);
        let signal: Vec<f32> = (0..WINDOW)
            .map(|i| (i as f32 * 0.37).sin() + ((i * 13) % 7) as f32 * 0.1)
            .collect();
        for &s in &signal {
            t.push(s);
        }
        // After WINDOW pushes (not a multiple of HOP) the last hop saw the
        // window ending at sample WINDOW - WINDOW % HOP; check that window.
        let end = WINDOW - WINDOW % HOP;
        let start = end as isize - WINDOW as isize;
        let x = |i: usize| {
            let j = start + i as isize;
            if j < 0 {
                0.0
            } else {
                signal[j as usize] as f64
            }
        };
        for k in [1usize, 5, 12, 100, 256] {
            let (mut re, mut im) = (0.0f64, 0.0f64);
            for i in 0..WINDOW {
                let w = t.window[i] as f64;
                let a = std::f64::consts::TAU * (k * i) as f64 / WINDOW as f64;
                re += x(i) * w * a.cos();
                im -= x(i) * w * a.sin();
            }
            let want = (1.0 + COMPRESSION as f64 * re.hypot(im)).ln() as f32;
            assert!(
                (t.prev_log[k] - want).abs() < 1e-3,
                "bin {k}: {} vs {want}",
                t.prev_log[k]
            );
        }
    }
}
