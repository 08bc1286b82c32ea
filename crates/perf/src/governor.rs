//! The render scale governor: picks the fraction of the output size the
//! feedback, warp and blur textures render at so that frames fit the
//! display's refresh interval, lowering it when frames miss and raising it
//! again when there is room, without visible pumping.
//!
//! How it decides (all time is the sum of the frame times it is fed, so it
//! behaves the same on any clock and in tests):
//!
//! - Scales come from a ladder of steps, each about 20% fewer pixels than
//!   the one above, on 1/16ths ([`GovernorConfig::ladder`]).
//! - **Down**: when a window of frames ([`GovernorConfig::window`] frames, or
//!   fewer but at least [`GovernorConfig::min_window`] once they add up to
//!   [`GovernorConfig::window_time`], so slow frames are judged as soon) has its
//!   75th percentile over the budget, it steps down at once, as far as the
//!   window says is needed (frame cost assumed proportional to pixels, which
//!   overestimates the gain and so errs towards lower scales).
//! - **Up**: only after [`GovernorConfig::raise_after`] of frames whose 95th
//!   percentile, grown by the next step's extra pixels, stays under
//!   [`GovernorConfig::headroom`] of the budget; and, unless
//!   [`GovernorConfig::raise_anytime`], only at a preset switch
//!   ([`Governor::preset_changed`]), where a change of resolution cannot be
//!   seen.
//! - **Hysteresis**: after any change the window starts over; a step that
//!   had to be left again within [`GovernorConfig::raise_after`] is not
//!   tried again for twice as long as last time (up to
//!   [`GovernorConfig::max_backoff`]), so the scale settles instead of
//!   oscillating between two steps.

use std::time::Duration;

use crate::stats::percentile;

/// How a [`Governor`] behaves.
#[derive(Debug, Clone, PartialEq)]
pub struct GovernorConfig {
    /// The frame time to fit in (the display's refresh interval).
    pub budget: Duration,
    /// Highest and lowest scale.
    pub max_scale: f32,
    pub min_scale: f32,
    /// Frames per decision window.
    pub window: usize,
    /// A window of at least `min_window` frames also closes once its frames
    /// add up to this (frames at 3 fps are judged in 3 s, not 10).
    pub window_time: Duration,
    pub min_window: usize,
    /// How long frames must show room before the scale goes up.
    pub raise_after: Duration,
    /// Raising needs the predicted frame time at the next step under this
    /// fraction of the budget.
    pub headroom: f32,
    /// Raise whenever there is room, not only at preset switches.
    pub raise_anytime: bool,
    /// Longest a failed step is blocked.
    pub max_backoff: Duration,
}

impl GovernorConfig {
    /// Settings for a display refreshing every `budget`.
    pub fn for_budget(budget: Duration) -> Self {
        GovernorConfig {
            budget,
            max_scale: 1.0,
            min_scale: 0.25,
            window: 30,
            window_time: Duration::from_secs(1),
            min_window: 8,
            raise_after: Duration::from_secs(3),
            headroom: 0.8,
            raise_anytime: false,
            max_backoff: Duration::from_secs(120),
        }
    }

    /// Whether a window of `frames` frames adding up to `seconds` is
    /// complete.
    pub fn window_full(&self, frames: usize, seconds: f32) -> bool {
        frames >= self.window.max(1)
            || (frames >= self.min_window.max(1) && seconds >= self.window_time.as_secs_f32())
    }

    /// The scales the governor moves between, highest first: from
    /// `max_scale` down, each step with about 80% of the pixels of the one
    /// above (rounded to 1/16, so 0.5 is a step), ending at `min_scale`.
    pub fn ladder(&self) -> Vec<f32> {
        let max = self.max_scale.clamp(0.05, 1.0);
        let min = self.min_scale.clamp(0.05, max);
        let mut steps = vec![max];
        let mut s = max;
        loop {
            s *= 0.8f32.sqrt();
            let rounded = (s * 16.0).round() / 16.0;
            if rounded <= min + 1e-4 {
                break;
            }
            if steps.last().is_some_and(|&l| l - rounded > 1e-4) {
                steps.push(rounded);
            }
        }
        if steps.last().is_some_and(|&l| l > min + 1e-4) {
            steps.push(min);
        }
        steps
    }
}

impl Default for GovernorConfig {
    /// A 60 Hz display.
    fn default() -> Self {
        GovernorConfig::for_budget(Duration::from_micros(16_667))
    }
}

/// A change the governor made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScaleChange {
    pub from: f32,
    pub to: f32,
    /// The window's frame time (75th percentile going down, 95th going up)
    /// that decided it.
    pub frame_time: Duration,
}

/// Picks the render scale from frame times; see the module documentation.
#[derive(Debug, Clone)]
pub struct Governor {
    config: GovernorConfig,
    ladder: Vec<f32>,
    step: usize,
    window: Vec<f32>,
    /// Time fed so far (the governor's clock), seconds.
    now: f64,
    /// Since when frames have shown room for the next step up.
    room_since: Option<f64>,
    /// When the scale last went up, and to which step.
    raised: Option<(f64, usize)>,
    /// Per step: blocked until, and for how long last time (seconds).
    blocked: Vec<(f64, f64)>,
    /// A preset switch happened since the last raise check.
    switch_pending: bool,
}

impl Governor {
    /// A governor starting at the highest scale.
    pub fn new(config: GovernorConfig) -> Self {
        let ladder = config.ladder();
        Governor {
            blocked: vec![(0.0, 0.0); ladder.len()],
            ladder,
            step: 0,
            window: Vec::with_capacity(config.window.max(1)),
            now: 0.0,
            room_since: None,
            raised: None,
            switch_pending: false,
            config,
        }
    }

    pub fn config(&self) -> &GovernorConfig {
        &self.config
    }

    /// The scale frames should render at now.
    pub fn scale(&self) -> f32 {
        self.ladder[self.step]
    }

    /// Starts at the highest step at or below `scale` (a starting point
    /// known from a cost file, say).
    pub fn start_at(&mut self, scale: f32) {
        self.step = self
            .ladder
            .iter()
            .position(|&s| s <= scale + 1e-4)
            .unwrap_or(self.ladder.len() - 1);
        self.window.clear();
        self.room_since = None;
    }

    /// A new preset starts: the next raise the frames allow may happen now.
    pub fn preset_changed(&mut self) {
        self.switch_pending = true;
    }

    /// Feeds the time one frame took (its rendering, not a wait for the
    /// display); returns the change if the scale moved.
    pub fn observe(&mut self, frame_time: Duration) -> Option<ScaleChange> {
        let t = frame_time.as_secs_f32();
        self.now += f64::from(t);
        self.window.push(t);
        let seconds = self.window.iter().sum();
        if !self.config.window_full(self.window.len(), seconds) {
            return None;
        }
        let budget = self.config.budget.as_secs_f32();
        let slow = percentile(&mut self.window, 75.0);
        let worst = percentile(&mut self.window, 95.0);
        self.window.clear();
        if slow > budget {
            self.room_since = None;
            return self.lower(slow, budget);
        }
        self.consider_raise(worst, budget)
    }

    fn lower(&mut self, slow: f32, budget: f32) -> Option<ScaleChange> {
        if self.step + 1 >= self.ladder.len() {
            return None;
        }
        let from = self.scale();
        // Cost taken as proportional to pixels: the scale that would fit
        // with 10% to spare.
        let wanted = from * (0.9 * budget / slow).sqrt();
        let mut step = self.step + 1;
        while step + 1 < self.ladder.len() && self.ladder[step] > wanted {
            step += 1;
        }
        // The step just left failed soon after being reached: keep away from
        // it, for longer each time.
        if let Some((at, raised_to)) = self.raised
            && raised_to == self.step
            && self.now - at < self.config.raise_after.as_secs_f64() * 2.0
        {
            let (_, last) = self.blocked[self.step];
            let backoff = (last * 2.0)
                .max(self.config.raise_after.as_secs_f64() * 4.0)
                .min(self.config.max_backoff.as_secs_f64());
            self.blocked[self.step] = (self.now + backoff, backoff);
        }
        self.raised = None;
        self.step = step;
        Some(ScaleChange {
            from,
            to: self.scale(),
            frame_time: Duration::from_secs_f32(slow),
        })
    }

    fn consider_raise(&mut self, worst: f32, budget: f32) -> Option<ScaleChange> {
        if self.step == 0 {
            self.switch_pending = false;
            return None;
        }
        let from = self.scale();
        let next = self.ladder[self.step - 1];
        let predicted = worst * (next / from).powi(2);
        let blocked = self.now < self.blocked[self.step - 1].0;
        if predicted > budget * self.config.headroom || blocked {
            self.room_since = None;
            return None;
        }
        let since = *self.room_since.get_or_insert(self.now);
        let waited = self.now - since >= self.config.raise_after.as_secs_f64();
        let allowed = self.config.raise_anytime || self.switch_pending;
        if !(waited && allowed) {
            return None;
        }
        self.switch_pending = false;
        self.room_since = None;
        self.step -= 1;
        self.raised = Some((self.now, self.step));
        Some(ScaleChange {
            from,
            to: self.scale(),
            frame_time: Duration::from_secs_f32(worst),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUDGET: Duration = Duration::from_micros(16_667);

    /// A renderer whose frame time is `fixed + per_pixel * scale^2` ms.
    fn run(g: &mut Governor, frames: usize, fixed: f32, full: f32) -> Vec<f32> {
        (0..frames)
            .map(|_| {
                let s = g.scale();
                let ms = fixed + full * s * s;
                g.observe(Duration::from_secs_f32(ms / 1000.0));
                g.scale()
            })
            .collect()
    }

    #[test]
    fn ladder_steps_by_a_fifth_of_the_pixels() {
        let ladder = GovernorConfig::default().ladder();
        assert_eq!(ladder[0], 1.0);
        assert_eq!(*ladder.last().unwrap(), 0.25);
        for pair in ladder.windows(2) {
            let area = (pair[1] / pair[0]).powi(2);
            assert!((0.6..0.9).contains(&area), "{ladder:?}");
        }
        assert!(ladder.contains(&0.5), "{ladder:?}");
        let narrow = GovernorConfig {
            max_scale: 0.5,
            min_scale: 0.5,
            ..GovernorConfig::default()
        };
        assert_eq!(narrow.ladder(), vec![0.5]);
    }

    #[test]
    fn fast_frames_stay_at_full_scale() {
        let mut g = Governor::new(GovernorConfig::default());
        let trace = run(&mut g, 600, 2.0, 8.0);
        assert!(trace.iter().all(|&s| s == 1.0));
    }

    #[test]
    fn slow_frames_settle_at_a_scale_that_fits_and_stay() {
        let mut g = Governor::new(GovernorConfig::default());
        // 40 ms at full scale: needs about 0.6 (fixed cost 4 ms).
        let trace = run(&mut g, 3000, 4.0, 36.0);
        let settled = *trace.last().unwrap();
        let cost = 4.0 + 36.0 * settled * settled;
        assert!(cost <= 16.667, "settled at {settled}: {cost} ms");
        assert!(settled >= 0.5, "not lower than needed: {settled}");
        // It got there within the first second (60 frames at ~40 ms means
        // 2 windows), and never moved in the last half.
        assert!(trace[90] < 1.0);
        let tail = &trace[1500..];
        assert!(tail.iter().all(|&s| s == settled), "pumping: {tail:?}");
    }

    #[test]
    fn room_raises_only_at_a_preset_switch_then_settles() {
        let mut g = Governor::new(GovernorConfig::default());
        run(&mut g, 600, 4.0, 40.0);
        let low = g.scale();
        assert!(low < 1.0);
        // The music calms down (cheaper frames): no change mid-preset.
        let trace = run(&mut g, 600, 2.0, 10.0);
        assert!(trace.iter().all(|&s| s == low));
        // A switch lets it go up one step.
        g.preset_changed();
        let trace = run(&mut g, 400, 2.0, 10.0);
        assert!(trace.last().unwrap() > &low);
        let steps: std::collections::BTreeSet<_> =
            trace.iter().map(|s| (s * 1000.0) as u32).collect();
        assert!(steps.len() <= 2, "one step per switch: {steps:?}");
    }

    #[test]
    fn a_step_that_fails_is_not_retried_at_once() {
        let config = GovernorConfig {
            raise_anytime: true,
            ..GovernorConfig::default()
        };
        let mut g = Governor::new(config);
        // Frames that fit at a step but whose 95th percentile says there is
        // room above, where they do not fit: the spiky case that pumps.
        let mut changes = 0;
        let mut spikes = 0u32;
        for _ in 0..20_000 {
            let s = g.scale();
            spikes = spikes.wrapping_add(1);
            let base = 30.0 * s * s;
            let ms = if spikes.is_multiple_of(7) {
                base * 1.15
            } else {
                base * 0.6
            };
            if g.observe(Duration::from_secs_f32(ms / 1000.0)).is_some() {
                changes += 1;
            }
        }
        // 20000 frames of ~12 ms = 4 minutes: a few probes, not one every
        // few seconds.
        assert!(changes < 30, "{changes} changes");
    }

    #[test]
    fn very_slow_frames_are_judged_within_a_few_seconds() {
        let mut g = Governor::new(GovernorConfig::default());
        // 300 ms a frame: a window closes after 8 frames (2.4 s), not 30.
        let trace = run(&mut g, 8, 0.0, 300.0);
        assert_eq!(trace[6], 1.0);
        assert!(trace[7] < 1.0, "{trace:?}");
    }

    #[test]
    fn never_below_the_lowest_step() {
        let mut g = Governor::new(GovernorConfig::default());
        let trace = run(&mut g, 1000, 50.0, 50.0);
        assert_eq!(*trace.last().unwrap(), 0.25);
    }

    #[test]
    fn start_at_picks_the_step_at_or_below() {
        let mut g = Governor::new(GovernorConfig::default());
        g.start_at(0.52);
        assert_eq!(g.scale(), 0.5);
        g.start_at(0.0);
        assert_eq!(g.scale(), 0.25);
        assert_eq!(GovernorConfig::default().budget, BUDGET);
    }
}
