//! Streaming sample-rate conversion to the analysis rate (44.1 kHz, the rate
//! MilkDrop's 576-sample window was made for), so analysis behaves the same
//! whatever the input rate.
//!
//! A windowed-sinc interpolator (Blackman window, 8 zero crossings each
//! side, kernel tabulated and linearly interpolated). Output sample `n` is the
//! input signal at time `(n - DELAY) / 44100` s, computed exactly from integer
//! sample positions (no drift), so every input rate yields samples at the same
//! instants with the same fixed latency of [`DELAY`] output samples (1.6 ms).
//! Input is consumed one frame at a time: the output does not depend on how
//! the input is split into chunks (bit-identical), and nothing allocates after
//! construction. At 44.1 kHz the input passes through unchanged (only delayed).
//!
//! Why not `rubato`: it works on fixed-size blocks (extra buffering, output
//! that depends on block boundaries) and allocates per configuration; this
//! visualizer needs chunk invariance, a fixed latency common to all rates and
//! an allocation-free path for the audio callback, in ~150 lines.

use std::sync::OnceLock;

/// The rate every analysis runs at.
pub const ANALYSIS_RATE: u32 = 44_100;

/// Fixed latency of the resampler, in output samples (about 1.6 ms).
pub const DELAY: u64 = 72;

/// Zero crossings of the sinc on each side: flat to about 17 kHz, far
/// above the 11 kHz MilkDrop's bands reach, at two-thirds of the cost of 12.
const ZEROS: f64 = 8.0;
/// Table resolution: samples per zero crossing.
const TABLE_RES: usize = 512;
/// Cut-off as a fraction of the lower Nyquist frequency.
const ROLLOFF: f64 = 0.95;

/// Lowest and highest input rates handled; others are clamped to these.
pub const MIN_RATE: u32 = 1_000;
pub const MAX_RATE: u32 = 1_536_000;

fn kernel_table() -> &'static [f32] {
    static TABLE: OnceLock<Vec<f32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let n = (ZEROS as usize) * TABLE_RES + 2;
        (0..n)
            .map(|i| {
                let x = i as f64 / TABLE_RES as f64;
                if x >= ZEROS {
                    return 0.0;
                }
                let sinc = if i == 0 {
                    1.0
                } else {
                    (std::f64::consts::PI * x).sin() / (std::f64::consts::PI * x)
                };
                // Blackman window over [-ZEROS, ZEROS].
                let t = 0.5 + 0.5 * x / ZEROS;
                let w = 0.42 - 0.5 * (2.0 * std::f64::consts::PI * t).cos()
                    + 0.08 * (4.0 * std::f64::consts::PI * t).cos();
                (sinc * w) as f32
            })
            .collect()
    })
}

/// Most distinct fractional positions for which weights are precomputed
/// (every rate sharing a factor of 100 with 44100 Hz has at most 441).
const MAX_PHASES: u64 = 4096;

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Converts stereo frames at any rate to [`ANALYSIS_RATE`].
#[derive(Debug, Clone)]
pub struct Resampler {
    in_rate: u64,
    /// Kernel argument per input sample (zero crossings per input sample).
    step: f64,
    /// Kernel support on each side, in input samples; taps = 2 * reach.
    reach: i64,
    /// Gain of each tap (the step), so DC passes at unit gain.
    gain: f32,
    /// `num % 44100` of an output position divided by this is its phase.
    phase_unit: u64,
    /// Weights per phase (`2 * reach` each), when there are few phases.
    weights: Option<Vec<f32>>,
    /// Input history; `history[0]` is input frame number `base` (negative
    /// numbers are the silence before the stream).
    history: Vec<[f32; 2]>,
    base: i64,
    /// Input frames received so far.
    received: u64,
    /// Output frames produced so far.
    produced: u64,
}

impl Resampler {
    /// A resampler from `in_rate` Hz (clamped to [`MIN_RATE`]..=[`MAX_RATE`]).
    pub fn new(in_rate: u32) -> Self {
        let in_rate = in_rate.clamp(MIN_RATE, MAX_RATE) as u64;
        let out = ANALYSIS_RATE as f64;
        let cutoff_hz = 0.5 * ROLLOFF * (in_rate as f64).min(out);
        // Zero crossings of sinc(2 fc t) are 1 / (2 fc) apart.
        let step = 2.0 * cutoff_hz / in_rate as f64;
        // Fit the kernel into the fixed delay: the newest input an output
        // needs, (D + 1) output samples' worth after the instant it stands
        // for, must have arrived when it is emitted.
        let ratio = in_rate as f64 / out;
        let delay_in = DELAY as f64 * ratio;
        let zeros = ZEROS.min((delay_in + ratio - 1.0) * step - 1e-9);
        let reach = if in_rate == ANALYSIS_RATE as u64 {
            1
        } else {
            (zeros / step).floor() as i64
        };
        let phase_unit = gcd(in_rate, ANALYSIS_RATE as u64);
        let phases = ANALYSIS_RATE as u64 / phase_unit;
        let mut r = Resampler {
            in_rate,
            step,
            reach,
            gain: step as f32,
            phase_unit,
            weights: None,
            history: Vec::with_capacity(HISTORY_COMPACT + 2 * reach as usize + 2),
            base: -reach,
            received: 0,
            produced: 0,
        };
        r.history.resize(reach as usize, [0.0; 2]);
        if phases <= MAX_PHASES && !r.identity() {
            let mut w = Vec::with_capacity(phases as usize * 2 * reach as usize);
            for p in 0..phases {
                let frac = (p * phase_unit) as f64 / ANALYSIS_RATE as f64;
                for t in 0..2 * reach {
                    w.push(r.weight(t - reach + 1, frac));
                }
            }
            r.weights = Some(w);
        }
        r
    }

    /// The input rate this resampler converts from.
    pub fn in_rate(&self) -> u32 {
        self.in_rate as u32
    }

    fn identity(&self) -> bool {
        self.in_rate == ANALYSIS_RATE as u64
    }

    /// Weight of the input `offset` samples after the integer part of a
    /// position with fractional part `frac`.
    fn weight(&self, offset: i64, frac: f64) -> f32 {
        let table = kernel_table();
        let t = (offset as f64 - frac).abs() * self.step * TABLE_RES as f64;
        let i = t as usize;
        if i + 1 >= table.len() {
            return 0.0;
        }
        let f = (t - i as f64) as f32;
        (table[i] + (table[i + 1] - table[i]) * f) * self.gain
    }

    /// Position of output `n` in input samples, as integer part and
    /// `num % 44100` (the fraction times 44100); `None` while it lies before
    /// the start of the stream.
    fn position(&self, n: u64) -> Option<(i64, u64)> {
        let n = n.checked_sub(DELAY)?;
        let num = n * self.in_rate;
        Some((
            (num / ANALYSIS_RATE as u64) as i64,
            num % ANALYSIS_RATE as u64,
        ))
    }

    /// Feeds one input frame and calls `out` for every output frame that
    /// became available.
    #[inline]
    pub fn push(&mut self, frame: [f32; 2], out: &mut impl FnMut([f32; 2])) {
        self.history.push(frame);
        self.received += 1;
        if self.identity() {
            // Same rate: a delay line of DELAY samples, one out per one in.
            let n = self.produced;
            self.produced += 1;
            out(match n.checked_sub(DELAY) {
                Some(i) => self.history[(i as i64 - self.base) as usize],
                None => [0.0; 2],
            });
            if self.history.len() >= HISTORY_COMPACT {
                let drop = self.produced as i64 - DELAY as i64 - self.base;
                let drop = drop.clamp(0, self.history.len() as i64);
                self.history.drain(..drop as usize);
                self.base += drop;
            }
            return;
        }
        // Output n stands for the instant n / 44100 s: emit it once the input
        // has reached that instant, so every input rate yields the same number
        // of output frames for the same duration.
        while (self.produced + 1) * self.in_rate <= self.received * ANALYSIS_RATE as u64 {
            let value = match self.position(self.produced) {
                // Before the stream started: silence.
                None => [0.0; 2],
                Some((whole, rem)) => self.interpolate(whole, rem),
            };
            self.produced += 1;
            out(value);
        }
        // Forget input no later output can reach (in batches: a memmove).
        if self.history.len() >= HISTORY_COMPACT
            && let Some((whole, _)) = self.position(self.produced)
        {
            let drop = (whole - self.reach + 1 - self.base).clamp(0, self.history.len() as i64);
            self.history.drain(..drop as usize);
            self.base += drop;
        }
    }

    fn interpolate(&self, whole: i64, rem: u64) -> [f32; 2] {
        let taps = 2 * self.reach as usize;
        let start = (whole - self.reach + 1 - self.base) as usize;
        let input = &self.history[start..start + taps];
        let mut acc = [0.0f32; 2];
        match &self.weights {
            Some(weights) => {
                let phase = (rem / self.phase_unit) as usize;
                let row = &weights[phase * taps..(phase + 1) * taps];
                // Four independent sums, so the multiply-adds overlap.
                let mut part = [[0.0f32; 2]; 4];
                let (ins, ws) = (input.chunks_exact(4), row.chunks_exact(4));
                let (in_rest, w_rest) = (ins.remainder(), ws.remainder());
                for (s4, w4) in ins.zip(ws) {
                    for j in 0..4 {
                        part[j][0] += s4[j][0] * w4[j];
                        part[j][1] += s4[j][1] * w4[j];
                    }
                }
                for (s, w) in in_rest.iter().zip(w_rest) {
                    part[0][0] += s[0] * w;
                    part[0][1] += s[1] * w;
                }
                acc[0] = (part[0][0] + part[1][0]) + (part[2][0] + part[3][0]);
                acc[1] = (part[0][1] + part[1][1]) + (part[2][1] + part[3][1]);
            }
            None => {
                let frac = rem as f64 / ANALYSIS_RATE as f64;
                for (t, s) in input.iter().enumerate() {
                    let w = self.weight(t as i64 - self.reach + 1, frac);
                    acc[0] += s[0] * w;
                    acc[1] += s[1] * w;
                }
            }
        }
        acc
    }
}

/// History length at which consumed input is dropped.
const HISTORY_COMPACT: usize = 4096;

#[cfg(test)]
mod tests {
    use super::*;

    fn run(rate: u32, input: &[[f32; 2]]) -> Vec<[f32; 2]> {
        let mut r = Resampler::new(rate);
        let mut out = Vec::new();
        for &f in input {
            r.push(f, &mut |o| out.push(o));
        }
        out
    }

    #[test]
    fn identity_rate_is_a_pure_delay() {
        let input: Vec<[f32; 2]> = (0..500).map(|i| [i as f32, -(i as f32)]).collect();
        let out = run(44_100, &input);
        assert_eq!(out.len(), 500);
        assert!(out[..DELAY as usize].iter().all(|f| *f == [0.0, 0.0]));
        assert_eq!(out[DELAY as usize], [0.0, 0.0]);
        assert_eq!(out[DELAY as usize + 10], [10.0, -10.0]);
    }

    #[test]
    fn output_count_follows_the_rate_ratio() {
        for rate in [8_000u32, 22_050, 48_000, 96_000, 192_000] {
            let out = run(rate, &vec![[0.5, 0.5]; rate as usize]);
            // One second in, exactly one second out (the latency is leading
            // silence), whatever the rate.
            assert_eq!(out.len(), 44_100, "{rate}");
        }
    }

    #[test]
    fn sines_keep_amplitude_and_timing() {
        // A 1 kHz sine at 48 and 96 kHz lands on the same 44.1 kHz samples
        // as the sine generated at 44.1 kHz, delayed by DELAY.
        let f = 1000.0f64;
        // 44 056 Hz has too many phases to tabulate: weights computed per tap.
        for rate in [32_000u32, 44_056, 48_000, 96_000] {
            let input: Vec<[f32; 2]> = (0..rate / 10)
                .map(|i| {
                    let v = (2.0 * std::f64::consts::PI * f * i as f64 / rate as f64).sin() as f32;
                    [v, 0.5 * v]
                })
                .collect();
            let out = run(rate, &input);
            for (n, o) in out.iter().enumerate().skip(400).take(2000) {
                let t = (n as f64 - DELAY as f64) / 44_100.0;
                let want = (2.0 * std::f64::consts::PI * f * t).sin() as f32;
                assert!(
                    (o[0] - want).abs() < 2e-3,
                    "{rate} n={n}: {} vs {want}",
                    o[0]
                );
                assert!((o[1] - 0.5 * want).abs() < 1e-3);
            }
        }
    }

    #[test]
    fn removes_content_above_the_analysis_nyquist() {
        // 30 kHz at 96 kHz would alias to 14.1 kHz; it must be filtered out.
        let rate = 96_000u32;
        let input: Vec<[f32; 2]> = (0..rate / 10)
            .map(|i| {
                let v = (2.0 * std::f64::consts::PI * 30_000.0 * i as f64 / rate as f64).sin();
                [v as f32; 2]
            })
            .collect();
        let out = run(rate, &input);
        let peak = out[400..].iter().map(|o| o[0].abs()).fold(0.0, f32::max);
        assert!(peak < 0.01, "aliased peak {peak}");
    }
}
