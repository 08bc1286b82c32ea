//! MilkDrop 2's waveform alignment (`CPluginShell::AlignWaves`, run on every
//! frame right after the sound is read): of the 576 newest samples it keeps
//! a 480-sample window, shifted (by 0..95 samples, each channel on its own)
//! to where it best matches the window shown on the previous frame, so a
//! steady tone draws a standing wave instead of one that slides and jitters.
//!
//! The match is searched coarse to fine: both signals are halved in length
//! five times (averaging pairs), the best of the few offsets at the
//! coarsest level is found, and each finer level searches only around
//! twice the offset found above it. The error is the sum of absolute
//! differences weighted by a flat-topped pyramid over the window (its
//! middle counts fully, its outer parts not at all). The chosen window is
//! moved to the front of the buffer and the samples after it are zeroed,
//! "so that it is visually evident that these samples are now bogus"
//! (MilkDrop 2's comment); an offset of 0 leaves the buffer as it is.
//!
//! MilkDrop 2's waves draw the aligned buffer; the spectrum of custom waves
//! is made before it, from the buffer as read. Its `bass`/`mid`/`treb`
//! (`DoCustomSoundAnalysis`) come from the aligned buffer too; Kefir's
//! from the samples as read (see [`crate::analyzer`]).

use crate::spectrum::WAVE_SAMPLES;

/// The samples the waves draw from (MilkDrop 2's `NUM_WAVEFORM_SAMPLES`).
pub const ALIGNED_SAMPLES: usize = 480;

/// The offsets searched: 0..SLACK.
const SLACK: usize = WAVE_SAMPLES - ALIGNED_SAMPLES;

/// Levels of the coarse-to-fine search: floor(log2(SLACK)), 6 for a slack
/// of 96 (MilkDrop 2 gives up below 4 and caps at 10).
const LEVELS: usize = SLACK.ilog2() as usize;

/// One level of the search: its sample count, the offsets it tries, and
/// the weights of the compared window.
#[derive(Debug, Clone)]
struct Level {
    samples: usize,
    slack: usize,
    weights: Vec<f32>,
    /// The weights' nonzero range (the only samples compared).
    compared: std::ops::RangeInclusive<usize>,
}

impl Level {
    fn new(level: usize) -> Self {
        let samples = WAVE_SAMPLES >> level;
        let slack = SLACK >> level;
        let window = samples - slack;
        // A pyramid 0..1..0 over the window, then steepened about 0.8 and
        // clipped: only its top counts, the middle fully.
        let weights: Vec<f32> = (0..window)
            .map(|n| {
                let ramp = if n < window / 2 {
                    n as f32 * 2.0 / window as f32
                } else {
                    (window - 1 - n) as f32 * 2.0 / window as f32
                };
                ((ramp - 0.8) * 5.0 + 0.8).clamp(0.0, 1.0)
            })
            .collect();
        let first = weights.iter().position(|&w| w != 0.0).unwrap_or(0);
        let last = weights.iter().rposition(|&w| w != 0.0).unwrap_or(0);
        Level {
            samples,
            slack,
            weights,
            compared: first..=last,
        }
    }
}

/// Aligns each frame's waveform with the previous frame's.
#[derive(Debug, Clone)]
pub struct WaveAligner {
    levels: Vec<Level>,
    /// The previous frame's buffer as read, and where its window started.
    previous: [[f32; WAVE_SAMPLES]; 2],
    previous_offset: [usize; 2],
    // Scratch: each level's halved signals.
    new_levels: Vec<Vec<f32>>,
    old_levels: Vec<Vec<f32>>,
}

impl Default for WaveAligner {
    fn default() -> Self {
        Self::new()
    }
}

impl WaveAligner {
    pub fn new() -> Self {
        let levels: Vec<Level> = (0..LEVELS).map(Level::new).collect();
        WaveAligner {
            new_levels: levels.iter().map(|l| vec![0.0; l.samples]).collect(),
            old_levels: levels.iter().map(|l| vec![0.0; l.samples]).collect(),
            levels,
            previous: [[0.0; WAVE_SAMPLES]; 2],
            previous_offset: [0; 2],
        }
    }

    /// Aligns `wave` (left and right, the newest samples last) in place and
    /// returns the offset chosen for each channel.
    pub fn align(&mut self, wave: &mut [[f32; WAVE_SAMPLES]; 2]) -> [usize; 2] {
        let offsets = [0, 1].map(|ch| self.best_offset(&wave[ch], ch));
        self.previous = *wave;
        self.previous_offset = offsets;
        for (samples, &offset) in wave.iter_mut().zip(&offsets) {
            if offset > 0 {
                samples.copy_within(offset..offset + ALIGNED_SAMPLES, 0);
                samples[ALIGNED_SAMPLES..].fill(0.0);
            }
        }
        offsets
    }

    /// Where channel `ch`'s window in `new` best matches the previous
    /// frame's window.
    fn best_offset(&mut self, new: &[f32; WAVE_SAMPLES], ch: usize) -> usize {
        let start = self.previous_offset[ch];
        self.new_levels[0].copy_from_slice(new);
        self.old_levels[0][..ALIGNED_SAMPLES]
            .copy_from_slice(&self.previous[ch][start..start + ALIGNED_SAMPLES]);
        for level in 1..LEVELS {
            let samples = self.levels[level].samples;
            let window = samples - self.levels[level].slack;
            for (halves, len) in [
                (&mut self.new_levels, samples),
                (&mut self.old_levels, window),
            ] {
                let (finer, coarser) = halves.split_at_mut(level);
                let (finer, coarser) = (&finer[level - 1], &mut coarser[0]);
                for n in 0..len {
                    coarser[n] = 0.5 * (finer[2 * n] + finer[2 * n + 1]);
                }
            }
        }
        let mut range = 0..self.levels[LEVELS - 1].slack;
        for level in (0..LEVELS).rev() {
            let l = &self.levels[level];
            let (new, old) = (&self.new_levels[level], &self.old_levels[level]);
            let error = |offset: usize| -> f32 {
                l.compared
                    .clone()
                    .map(|i| ((new[i + offset] - old[i]) * l.weights[i]).abs())
                    .sum()
            };
            // The first of the lowest errors (NaN never wins).
            let mut best = range.start;
            let mut lowest = f32::INFINITY;
            for offset in range.clone() {
                let e = error(offset);
                if e < lowest {
                    lowest = e;
                    best = offset;
                }
            }
            if level == 0 {
                return best;
            }
            // Around twice the offset at the next finer level.
            let finer_slack = self.levels[level - 1].slack;
            range = (2 * best).saturating_sub(1)..(2 * best + 3).min(finer_slack);
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sine of `period` samples starting at phase `phase` (in samples).
    fn sine(period: f32, phase: f32) -> [f32; WAVE_SAMPLES] {
        std::array::from_fn(|i| ((i as f32 + phase) / period * std::f32::consts::TAU).sin() * 0.5)
    }

    #[test]
    fn the_search_has_six_levels_with_windows_of_480_down_to_15() {
        let aligner = WaveAligner::new();
        let shape: Vec<(usize, usize)> = aligner
            .levels
            .iter()
            .map(|l| (l.samples, l.slack))
            .collect();
        assert_eq!(
            shape,
            [(576, 96), (288, 48), (144, 24), (72, 12), (36, 6), (18, 3)]
        );
        // Only the window's middle counts: weights 1 from 0.42 to 0.58 of
        // the way across, 0 outside 0.32..0.68.
        let top = &aligner.levels[0];
        assert_eq!(top.weights[240], 1.0);
        assert_eq!(top.weights[100], 0.0);
        assert_eq!(*top.compared.start(), 154);
        assert_eq!(*top.compared.end(), 325);
    }

    #[test]
    fn a_steady_tone_stands_still() {
        // A 64-sample period (shorter than the 96 offsets searched) read at
        // a phase that moves 37 samples a frame: the aligned windows all
        // start at the same phase.
        let mut aligner = WaveAligner::new();
        let mut shown = Vec::new();
        for frame in 0..8 {
            let mut wave = [sine(64.0, frame as f32 * 37.0); 2];
            let [offset, right] = aligner.align(&mut wave);
            assert_eq!(offset, right, "both channels alike");
            if frame > 0 {
                shown.push(wave[0]);
            }
        }
        for w in &shown[1..] {
            for (a, b) in w[..ALIGNED_SAMPLES]
                .iter()
                .zip(&shown[0][..ALIGNED_SAMPLES])
            {
                assert!((a - b).abs() < 0.02, "the window moved: {a} vs {b}");
            }
        }
    }

    #[test]
    fn the_window_moves_to_the_front_and_the_rest_is_zeroed() {
        let mut aligner = WaveAligner::new();
        let mut first = [sine(64.0, 0.0); 2];
        aligner.align(&mut first);
        // The same tone 20 samples on: the window found shows what the
        // first frame showed, moved to the front, zeros after it.
        let mut wave = [sine(64.0, 20.0); 2];
        let [offset, _] = aligner.align(&mut wave);
        assert!(offset > 0 && offset < SLACK, "offset {offset}");
        for (a, b) in wave[0][..ALIGNED_SAMPLES].iter().zip(&first[0]) {
            assert!((a - b).abs() < 1e-3, "{a} vs {b}");
        }
        assert!(wave[0][ALIGNED_SAMPLES..].iter().all(|&v| v == 0.0));
        assert_eq!(wave[0][0], sine(64.0, 20.0)[offset]);
    }

    #[test]
    fn silence_and_non_finite_input_stay_put() {
        let mut aligner = WaveAligner::new();
        let mut wave = [[0.0; WAVE_SAMPLES]; 2];
        assert_eq!(aligner.align(&mut wave), [0, 0]);
        let mut wave = [[f32::NAN; WAVE_SAMPLES]; 2];
        let offsets = aligner.align(&mut wave);
        assert!(offsets.iter().all(|&o| o < SLACK));
    }
}
