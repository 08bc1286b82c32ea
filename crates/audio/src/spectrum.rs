//! MilkDrop 2's spectrum: the 576-sample waveform (in MilkDrop's 8-bit units,
//! ±128), multiplied by a Hann envelope over the 576 samples, zero-padded to a
//! 1024-point FFT, magnitudes of the first 512 bins multiplied by MilkDrop's
//! equalisation `-0.02 * ln((512 - k) / 512)` (0 at DC, rising towards the
//! top bin). That is vis_milk2's `FFT::Init(576, 512, equalize = 1,
//! envelope_power = 1)`; the FFT itself is rustfft's (see `fft`).
//!
//! Two real signals go through one complex FFT (one in the real part, one in
//! the imaginary part) and are separated afterwards.

use std::sync::Arc;

use rustfft::Fft;
use rustfft::num_complex::Complex32;

/// Samples of the waveform window.
pub const WAVE_SAMPLES: usize = 576;
/// FFT length.
pub const FFT_SIZE: usize = 1024;
/// Spectrum bins kept (the lower half of the FFT).
pub const SPECTRUM_BINS: usize = 512;

/// A MilkDrop-style spectrum analyser for pairs of 576-sample windows.
pub struct SpectrumAnalyzer {
    fft: Arc<dyn Fft<f32>>,
    envelope: Vec<f32>,
    equalize: Vec<f32>,
    buf: Vec<Complex32>,
    scratch: Vec<Complex32>,
}

impl std::fmt::Debug for SpectrumAnalyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpectrumAnalyzer").finish_non_exhaustive()
    }
}

impl Default for SpectrumAnalyzer {
    fn default() -> Self {
        Self::new()
    }
}

impl SpectrumAnalyzer {
    pub fn new() -> Self {
        let fft = crate::fft::forward(FFT_SIZE);
        let scratch = vec![Complex32::default(); fft.get_inplace_scratch_len()];
        let envelope = (0..WAVE_SAMPLES)
            .map(|i| {
                let phase = i as f64 * std::f64::consts::TAU / WAVE_SAMPLES as f64;
                (0.5 + 0.5 * (phase - std::f64::consts::FRAC_PI_2).sin()) as f32
            })
            .collect();
        let equalize = (0..SPECTRUM_BINS)
            .map(|k| (-0.02 * ((SPECTRUM_BINS - k) as f64 / SPECTRUM_BINS as f64).ln()) as f32)
            .collect();
        SpectrumAnalyzer {
            fft,
            envelope,
            equalize,
            buf: vec![Complex32::default(); FFT_SIZE],
            scratch,
        }
    }

    /// Equalised magnitude spectra of two 576-sample windows `a` and `b`
    /// (already in MilkDrop units), written to `out_a` and `out_b`.
    pub fn analyze_pair(
        &mut self,
        a: &[f32; WAVE_SAMPLES],
        b: &[f32; WAVE_SAMPLES],
        out_a: &mut [f32; SPECTRUM_BINS],
        out_b: &mut [f32; SPECTRUM_BINS],
    ) {
        for (i, c) in self.buf.iter_mut().enumerate() {
            *c = if i < WAVE_SAMPLES {
                let w = self.envelope[i];
                Complex32::new(a[i] * w, b[i] * w)
            } else {
                Complex32::default()
            };
        }
        self.fft
            .process_with_scratch(&mut self.buf, &mut self.scratch);
        // Z = A + iB; A[k] = (Z[k] + conj Z[N-k]) / 2, B[k] = (Z[k] - conj Z[N-k]) / 2i.
        for k in 0..SPECTRUM_BINS {
            let z = self.buf[k];
            let zc = self.buf[(FFT_SIZE - k) % FFT_SIZE].conj();
            let x = (z + zc) * 0.5;
            let y = (z - zc) * 0.5;
            // |y / i| = |y|.
            out_a[k] = x.norm() * self.equalize[k];
            out_b[k] = y.norm() * self.equalize[k];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook DFT of MilkDrop's windowed, zero-padded input.
    fn reference(x: &[f32; WAVE_SAMPLES]) -> Vec<f32> {
        (0..SPECTRUM_BINS)
            .map(|k| {
                let (mut re, mut im) = (0.0f64, 0.0f64);
                for (n, &v) in x.iter().enumerate() {
                    let w = 0.5
                        + 0.5
                            * (n as f64 * std::f64::consts::TAU / 576.0
                                - std::f64::consts::FRAC_PI_2)
                                .sin();
                    let a = std::f64::consts::TAU * (k * n) as f64 / FFT_SIZE as f64;
                    re += v as f64 * w * a.cos();
                    im -= v as f64 * w * a.sin();
                }
                (-0.02 * ((512 - k) as f64 / 512.0).ln() * re.hypot(im)) as f32
            })
            .collect()
    }

    #[test]
    fn matches_the_direct_dft_for_both_signals_of_a_pair() {
        let a: [f32; WAVE_SAMPLES] =
            std::array::from_fn(|i| 60.0 * (i as f32 * 0.3).sin() + 10.0 * (i as f32 * 1.7).cos());
        let b: [f32; WAVE_SAMPLES] = std::array::from_fn(|i| ((i * 37) % 101) as f32 - 50.0);
        let (mut oa, mut ob) = ([0.0; SPECTRUM_BINS], [0.0; SPECTRUM_BINS]);
        SpectrumAnalyzer::new().analyze_pair(&a, &b, &mut oa, &mut ob);
        for (got, want) in [(oa, reference(&a)), (ob, reference(&b))] {
            for k in 0..SPECTRUM_BINS {
                assert!(
                    (got[k] - want[k]).abs() <= 1e-3 * want[k].abs().max(1.0),
                    "bin {k}: {} vs {}",
                    got[k],
                    want[k]
                );
            }
        }
    }

    #[test]
    fn dc_bin_is_weighted_zero_and_pairs_do_not_leak() {
        let a = [100.0; WAVE_SAMPLES];
        let (mut oa, mut ob) = ([0.0; SPECTRUM_BINS], [0.0; SPECTRUM_BINS]);
        SpectrumAnalyzer::new().analyze_pair(&a, &[0.0; WAVE_SAMPLES], &mut oa, &mut ob);
        assert_eq!(oa[0], 0.0);
        assert!(oa[1] > 0.0 && oa[1] < 1.0);
        // The silent partner of the pair stays silent (up to rounding).
        let peak = oa.iter().copied().fold(0.0, f32::max);
        assert!(ob.iter().all(|&v| v <= 1e-4 * peak), "{:?}", &ob[..4]);
    }
}
