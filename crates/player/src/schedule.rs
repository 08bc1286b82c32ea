//! When to change presets: MilkDrop 2's timer (`m_fTimeBetweenPresets`,
//! `m_fTimeBetweenPresetsRand`, `m_fBlendTimeAuto`) and its hard cuts
//! (`m_fHardCutLoudnessThresh`, `m_fHardCutHalflife`), gated here by beats.

use milk_audio::AudioFrame;

/// The player's random numbers (timer jitter): the engine's generator,
/// seeded from [`crate::PlayerConfig::seed`] so runs repeat.
pub(crate) fn rng(seed: u64) -> milk_engine::rng::Rng {
    milk_engine::rng::Rng::new(seed ^ 0x6b65_6669_725f_706c)
}

/// Seconds a preset plays before the timer moves on: MilkDrop 2 schedules
/// the next preset `m_fBlendTimeAuto + m_fTimeBetweenPresets +
/// m_fTimeBetweenPresetsRand * u` after a preset starts (the blend time
/// counts on top of the time between presets). `None`: the timer is off
/// (`preset_seconds <= 0`, as in MilkDrop 3).
pub(crate) fn preset_duration(
    preset_seconds: f64,
    jitter_seconds: f64,
    blend_seconds: f64,
    u: f64,
) -> Option<f64> {
    let finite = |v: f64| if v.is_finite() { v.max(0.0) } else { 0.0 };
    if !preset_seconds.is_finite() || preset_seconds <= 0.0 {
        return None;
    }
    Some(finite(blend_seconds) + preset_seconds + finite(jitter_seconds) * u)
}

/// MilkDrop 2's hard-cut threshold, gated by milk-audio's beats.
///
/// MilkDrop cuts when `bass + mid + treb` (each relative to its long-term
/// average) exceeds three times a threshold that starts at twice
/// `loudness`, doubles after each cut and otherwise relaxes towards
/// `loudness`, losing three quarters of its excess every `half_life`
/// seconds (MilkDrop's `k = -1.3863 / (halflife * fps)`). Here the loud frame
/// must also carry a detected beat (so the cut lands on the beat, and the
/// beat sensitivity setting matters) and come at least `min_seconds` after
/// the last change of preset.
#[derive(Debug, Clone)]
pub(crate) struct HardCuts {
    threshold: Option<f32>,
}

/// The hard-cut settings of [`HardCuts::update`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct HardCutSettings {
    pub loudness: f32,
    pub half_life: f64,
    pub min_seconds: f64,
}

impl HardCuts {
    pub(crate) fn new() -> Self {
        HardCuts { threshold: None }
    }

    /// The current threshold (per band), once a frame has been seen.
    #[cfg(test)]
    pub(crate) fn threshold(&self) -> Option<f32> {
        self.threshold
    }

    /// One frame of `dt` seconds: whether to cut now. `since_switch` is the
    /// time the current preset has played; `enabled` is false while hard
    /// cuts are off or the preset is locked (the threshold still relaxes,
    /// as MilkDrop's does only while enabled: here it keeps the same
    /// pace, which only matters for the first cut after enabling).
    pub(crate) fn update(
        &mut self,
        audio: &AudioFrame,
        dt: f64,
        since_switch: f64,
        settings: HardCutSettings,
        enabled: bool,
    ) -> bool {
        let base = if settings.loudness.is_finite() {
            settings.loudness.max(0.0)
        } else {
            2.5
        };
        let threshold = self.threshold.get_or_insert(base * 2.0);
        let loud = audio.bass + audio.mid + audio.treb;
        // MilkDrop skips the logic below 1 fps.
        let usable = dt > 0.0 && dt < 1.0;
        if enabled
            && usable
            && audio.beat
            && loud.is_finite()
            && loud > *threshold * 3.0
            && since_switch + 1e-9 >= settings.min_seconds
        {
            *threshold *= 2.0;
            return true;
        }
        if usable && settings.half_life > 0.0 {
            let keep = (-1.3863 * dt / settings.half_life).exp() as f32;
            *threshold = (*threshold - base) * keep + base;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> HardCutSettings {
        HardCutSettings {
            loudness: 2.5,
            half_life: 60.0,
            min_seconds: 0.0,
        }
    }

    fn frame(level: f32, beat: bool) -> AudioFrame {
        AudioFrame {
            bass: level,
            mid: level,
            treb: level,
            beat,
            ..AudioFrame::default()
        }
    }

    #[test]
    fn durations() {
        assert_eq!(preset_duration(16.0, 10.0, 2.7, 0.5), Some(23.7));
        assert_eq!(preset_duration(0.0, 10.0, 2.7, 0.5), None);
        assert_eq!(preset_duration(f64::NAN, 10.0, 2.7, 0.5), None);
        assert_eq!(preset_duration(1.0, f64::NAN, -1.0, 0.5), Some(1.0));
    }

    #[test]
    fn rng_is_uniform_and_repeats() {
        let mut a = rng(3);
        let mut b = rng(3);
        let xs: Vec<f64> = (0..1000).map(|_| a.next_f64()).collect();
        assert!(xs.iter().all(|&x| (0.0..1.0).contains(&x)));
        let mean = xs.iter().sum::<f64>() / 1000.0;
        assert!((mean - 0.5).abs() < 0.05, "{mean}");
        assert_eq!(xs[0], b.next_f64());
    }

    #[test]
    fn cuts_need_a_loud_beat_and_the_threshold_doubles() {
        let mut h = HardCuts::new();
        let dt = 1.0 / 60.0;
        // Starts at twice the loudness: 5 per band.
        assert!(!h.update(&frame(4.0, true), dt, 10.0, settings(), true));
        assert!(!h.update(&frame(6.0, false), dt, 10.0, settings(), true));
        assert!(h.update(&frame(6.0, true), dt, 10.0, settings(), true));
        let t = h.threshold().unwrap();
        assert!(t > 9.5 && t < 10.0, "{t}");
        // Not while disabled (locked).
        assert!(!h.update(&frame(50.0, true), dt, 10.0, settings(), false));
        // Not too soon after a switch.
        let s = HardCutSettings {
            min_seconds: 1.0,
            ..settings()
        };
        assert!(!h.update(&frame(50.0, true), dt, 0.5, s, true));
        assert!(h.update(&frame(50.0, true), dt, 1.0, s, true));
    }

    #[test]
    fn threshold_relaxes_by_three_quarters_per_half_life() {
        let mut h = HardCuts::new();
        let dt = 0.01;
        for _ in 0..6000 {
            h.update(&frame(1.0, false), dt, 10.0, settings(), true);
        }
        // 2.5 + 2.5 / 4 after 60 s.
        let t = h.threshold().unwrap();
        assert!((t - 3.125).abs() < 0.01, "{t}");
    }
}
