//! The forward FFT both analysers use (power-of-two lengths only). Natively,
//! rustfft's planner picks the fastest algorithm for the CPU (AVX, SSE,
//! NEON); in the browser one scalar radix-4 FFT is linked instead of every
//! algorithm the planner could choose, which keeps the WebAssembly small.

use std::sync::Arc;

use rustfft::Fft;

/// A forward FFT of `len` points (a power of two).
pub(crate) fn forward(len: usize) -> Arc<dyn Fft<f32>> {
    debug_assert!(len.is_power_of_two());
    #[cfg(target_arch = "wasm32")]
    {
        radix4(len)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        rustfft::FftPlanner::new().plan_fft_forward(len)
    }
}

#[cfg(any(target_arch = "wasm32", test))]
fn radix4(len: usize) -> Arc<dyn Fft<f32>> {
    Arc::new(rustfft::algorithm::Radix4::new(
        len,
        rustfft::FftDirection::Forward,
    ))
}

#[cfg(test)]
mod tests {
    use rustfft::num_complex::Complex32;

    /// The browser's radix-4 FFT gives the planner's results (the analysers'
    /// lengths, a signal with every bin busy).
    #[test]
    fn radix4_matches_the_planner() {
        for len in [512, 1024] {
            let signal: Vec<Complex32> = (0..len)
                .map(|i| {
                    let t = i as f32;
                    Complex32::new((t * 0.37).sin() + (t * t * 0.001).cos(), (t * 1.3).cos())
                })
                .collect();
            let mut by_planner = signal.clone();
            super::forward(len).process(&mut by_planner);
            let mut by_radix4 = signal;
            super::radix4(len).process(&mut by_radix4);
            let peak = by_planner.iter().map(|c| c.norm()).fold(0.0, f32::max);
            assert!(peak > 10.0);
            for (k, (a, b)) in by_planner.iter().zip(&by_radix4).enumerate() {
                assert!(
                    (a - b).norm() <= peak * 1e-5,
                    "len {len} bin {k}: {a} vs {b}"
                );
            }
        }
    }
}
