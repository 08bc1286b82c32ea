//! bass/mid/treb and their `_att` versions, as vis_milk2's
//! `CPlugin::DoCustomSoundAnalysis` computes them.
//!
//! Per frame, `imm[b]` sums the equalised spectrum over MilkDrop's bands:
//! bins 0..85, 85..170 and 170..256 of 512 (only the lower half of the
//! spectrum: 0-3.7 kHz, 3.7-7.3 kHz, 7.3-11 kHz at 44.1 kHz). Kefir sums both
//! channels where MilkDrop used the left one only. Then
//! - `avg` follows `imm` with rate 0.2 when rising and 0.5 when falling,
//! - `long_avg` follows `imm` with rate 0.992 (0.9 during warm-up),
//! - `bass = imm / long_avg` and `bass_att = avg / long_avg`, both 1.0 while
//!   `long_avg < 0.001` (silence): 1.0 means "as loud as usual".
//!
//! MilkDrop tuned the rates per frame at 30 fps and corrects them for the
//! real frame rate: `rate ^ (30 * dt)`. Kefir does the same with each frame's
//! own `dt`, so 30 fps and 144 fps give the same response over time. MilkDrop
//! warms up for its first 50 frames, which depends on the frame rate; Kefir
//! warms up for 50/30 s instead. As in MilkDrop, `long_avg` starts at 0, so
//! the first frames with sound read high (about `1 / (1 - 0.9^(30 t))` at
//! time `t` into a steady sound: 3.7 after 0.1 s) and settle within ~2 s.

use crate::spectrum::SPECTRUM_BINS;

/// First bin of each band and the end of the last one.
pub const BAND_EDGES: [usize; 4] = [
    0,
    SPECTRUM_BINS / 6,
    SPECTRUM_BINS * 2 / 6,
    SPECTRUM_BINS * 3 / 6,
];

/// Warm-up time, in seconds (MilkDrop: 50 frames at its reference 30 fps).
pub const WARMUP_SECONDS: f64 = 50.0 / 30.0;

/// The three band levels and their smoothed versions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Levels {
    /// bass, mid, treb.
    pub imm_rel: [f32; 3],
    /// bass_att, mid_att, treb_att.
    pub avg_rel: [f32; 3],
}

impl Default for Levels {
    fn default() -> Self {
        Levels {
            imm_rel: [1.0; 3],
            avg_rel: [1.0; 3],
        }
    }
}

/// The smoothing state.
#[derive(Debug, Clone, Default)]
pub struct LevelTracker {
    avg: [f32; 3],
    long_avg: [f32; 3],
    elapsed: f64,
}

/// MilkDrop's `AdjustRateToFPS(rate, 30, fps)` for a frame lasting `dt` s.
fn adjust(rate: f32, dt: f32) -> f32 {
    rate.powf(30.0 * dt)
}

impl LevelTracker {
    /// Band sums of one frame's spectra (left and right, MilkDrop units).
    pub fn band_energy(left: &[f32; SPECTRUM_BINS], right: &[f32; SPECTRUM_BINS]) -> [f32; 3] {
        std::array::from_fn(|b| {
            (BAND_EDGES[b]..BAND_EDGES[b + 1])
                .map(|k| 0.5 * (left[k] + right[k]))
                .sum()
        })
    }

    /// Advances by one frame of `dt` seconds with this frame's band sums.
    pub fn update(&mut self, imm: [f32; 3], dt: f32) -> Levels {
        let dt = if dt.is_finite() {
            dt.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let mut levels = Levels::default();
        let warm = self.elapsed < WARMUP_SECONDS;
        for (b, &imm_b) in imm.iter().enumerate() {
            let imm_b = if imm_b.is_finite() {
                imm_b.max(0.0)
            } else {
                0.0
            };
            let rate = adjust(if imm_b > self.avg[b] { 0.2 } else { 0.5 }, dt);
            self.avg[b] = self.avg[b] * rate + imm_b * (1.0 - rate);
            let rate = adjust(if warm { 0.9 } else { 0.992 }, dt);
            self.long_avg[b] = self.long_avg[b] * rate + imm_b * (1.0 - rate);
            if self.long_avg[b].abs() >= 0.001 {
                levels.imm_rel[b] = imm_b / self.long_avg[b];
                levels.avg_rel[b] = self.avg[b] / self.long_avg[b];
            }
        }
        self.elapsed += dt as f64;
        levels
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steady_input_settles_at_one() {
        let mut t = LevelTracker::default();
        let mut l = Levels::default();
        for _ in 0..2000 {
            l = t.update([5.0, 2.0, 0.5], 1.0 / 60.0);
        }
        for b in 0..3 {
            assert!((l.imm_rel[b] - 1.0).abs() < 1e-3, "{l:?}");
            assert!((l.avg_rel[b] - 1.0).abs() < 1e-3, "{l:?}");
        }
    }

    #[test]
    fn silence_is_neutral() {
        let mut t = LevelTracker::default();
        for _ in 0..100 {
            assert_eq!(t.update([0.0; 3], 1.0 / 60.0), Levels::default());
        }
    }

    #[test]
    fn frame_rate_is_corrected() {
        // The same loudness step seen at 30 and at 144 fps: compare at the
        // instants both frame clocks share (every 1/6 s).
        let run = |fps: u32| {
            let mut t = LevelTracker::default();
            let mut out = Vec::new();
            for i in 0..fps * 12 {
                let time = i as f32 / fps as f32;
                let imm = if time < 6.0 { 1.0 } else { 4.0 };
                let l = t.update([imm; 3], 1.0 / fps as f32);
                if i % (fps / 6) == 0 {
                    out.push(l);
                }
            }
            out
        };
        let (a, b) = (run(30), run(144));
        for (x, y) in a.iter().zip(&b).skip(12) {
            assert!(
                (x.imm_rel[0] - y.imm_rel[0]).abs() < 0.03 * x.imm_rel[0],
                "{x:?} {y:?}"
            );
        }
    }
}
