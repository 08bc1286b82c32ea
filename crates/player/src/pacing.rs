//! Keeping frames inside the display's budget: the render scale governor
//! (kefir-perf), the device's cost file, and presets found too heavy while
//! they play. See [`Pacing`].

use std::path::PathBuf;
use std::time::Duration;

use kefir_perf::costs::{Advice, CostFile, CostSource, DeviceInfo, PresetCost};
use kefir_perf::governor::{Governor, GovernorConfig};
use kefir_perf::stats::percentile;

/// How a [`crate::Player`] keeps frames inside the display's budget. Off
/// (no budget) by default; a host turns it on with the display's refresh
/// interval and reports each frame's render time with
/// [`crate::Player::report_frame_time`].
#[derive(Debug, Clone, PartialEq)]
pub struct Pacing {
    /// The time a frame may take (the display's refresh interval). `None`
    /// turns everything below off.
    pub budget: Option<Duration>,
    /// Let kefir-perf's governor pick the render scale, between
    /// [`milk_engine::Config::render_scale`] (the highest) and `min_scale`:
    /// lower as soon as frames miss the budget, higher again only at preset
    /// changes, with hysteresis.
    pub auto_scale: bool,
    /// The lowest render scale the governor and the cost file may choose.
    pub min_scale: f32,
    /// The device's cost file (`kefir bench` writes it; see
    /// [`CostFile::default_path`]): a preset it says cannot fit the budget
    /// even at `min_scale` is skipped, one that fits lower starts lower.
    /// Presets found too heavy while playing are added to it.
    pub cost_file: Option<PathBuf>,
    /// A preset whose frames miss the budget this many seconds in a row at
    /// the lowest scale is skipped (and noted in the cost file); 0 never
    /// skips.
    pub heavy_seconds: f64,
    /// The host applies the render scale by sizing its target: a page whose
    /// canvas drawing buffer the browser's compositor stretches to the
    /// element at no cost. The engine then keeps its configured scale and
    /// [`crate::Player::output_scale`] is the fraction of the display's size
    /// the host gives its target; without it the engine renders the scaled
    /// frame and copies it up to the target (a full-screen pass).
    pub host_scales: bool,
}

impl Default for Pacing {
    fn default() -> Self {
        Pacing {
            budget: None,
            auto_scale: true,
            min_scale: 0.25,
            cost_file: None,
            heavy_seconds: 5.0,
            host_scales: false,
        }
    }
}

impl Pacing {
    /// These settings with a budget of `budget_ms` milliseconds (0, less or
    /// not a number turn pacing off; at most 10 s) and a lowest scale of
    /// `min_scale` (clamped to 0.1..1; not a number keeps the default), as
    /// hosts outside Rust give them.
    pub fn with_budget_ms(self, budget_ms: f64, min_scale: f32) -> Pacing {
        let budget = (budget_ms.is_finite() && budget_ms > 0.0)
            .then(|| Duration::from_secs_f64(budget_ms.min(10_000.0) / 1e3));
        let min_scale = if min_scale.is_finite() {
            min_scale.clamp(milk_engine::MIN_RENDER_SCALE, 1.0)
        } else {
            Pacing::default().min_scale
        };
        Pacing {
            budget,
            min_scale,
            ..self
        }
    }
}

/// Frames after a switch that are not counted (pipeline compiles, texture
/// uploads).
const SETTLE_FRAMES: u32 = 5;
/// Frames in the window the heavy check looks at.
const WINDOW: usize = 30;
/// A presented frame whose interval is within this factor of the budget
/// kept up (display refresh intervals jitter, and a display at 50 Hz is
/// held to 60 fps's budget).
const KEPT_UP: f32 = 1.25;
/// An interval longer than this says nothing about the preset (the page was
/// hidden, the machine stalled): it is not counted, seconds.
const STALL: f32 = 1.0;

/// What the pacing wants the player to do after a frame.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Verdict {
    Fine,
    /// Render at this scale from now on.
    Scale(f32),
    /// The preset is too heavy: skip it (the cost was recorded).
    TooHeavy {
        frame_ms: f32,
        scale: f32,
    },
}

/// The pacing state of a player.
pub(crate) struct Pacer {
    pub config: Pacing,
    /// The engine's configured (highest) render scale.
    max_scale: f32,
    governor: Option<Governor>,
    costs: Option<CostFile>,
    window: Vec<f32>,
    /// Seconds the current preset has missed the budget at the lowest scale.
    heavy_for: f64,
    /// Frames since the preset started.
    frames: u32,
    /// What frames judged by their present intervals have shown.
    presents: Presents,
}

/// The state of [`Pacer::interval`]: frames judged by the time between
/// presents, for hosts that cannot time the GPU's work (WebGL2 has no
/// dependable timer). An interval that kept up says nothing of the room
/// left, so it reports half the budget: enough for the governor to try one
/// step up at the next preset switch, and its back-off keeps a step that
/// fails away for longer each time. A lowering that did not shorten the
/// intervals is undone and their length taken as a cap on the frame rate
/// (a display at 30 Hz, a browser's power saving, frames bound by the
/// CPU): more lowering would cost picture for nothing. The cap is
/// forgotten when frames come faster again.
#[derive(Debug, Default)]
struct Presents {
    /// The last [`WINDOW`] intervals, seconds.
    recent: Vec<f32>,
    /// Intervals counted since the last change of scale or cap.
    since_change: usize,
    /// A lowering on trial: the scale before it and the 75th percentile
    /// interval that caused it.
    lowered: Option<(f32, f32)>,
    /// The learned cap on the frame rate (an interval, seconds).
    cap: Option<f32>,
}

impl Presents {
    fn push(&mut self, interval: f32) {
        if self.recent.len() == WINDOW {
            self.recent.remove(0);
        }
        self.recent.push(interval);
        self.since_change += 1;
    }

    /// The intervals since the last change (the last [`WINDOW`] of them).
    fn since_change(&self) -> &[f32] {
        let n = self.since_change.min(self.recent.len());
        &self.recent[self.recent.len() - n..]
    }

    /// The 75th percentile of the intervals since the last change.
    fn slow(&self) -> f32 {
        percentile(&mut self.since_change().to_vec(), 75.0)
    }

    /// Whether the intervals since the last change make a window the
    /// governor would judge (its windows are the same for any budget).
    fn window_full(&self) -> bool {
        let seconds = self.since_change().iter().sum();
        GovernorConfig::default().window_full(self.since_change, seconds)
    }
}

/// The governor for `config` at `budget` (none without auto scale).
fn governor(config: &Pacing, max_scale: f32, budget: Duration) -> Option<Governor> {
    config.auto_scale.then(|| {
        Governor::new(GovernorConfig {
            max_scale,
            min_scale: config.min_scale.min(max_scale),
            ..GovernorConfig::for_budget(budget)
        })
    })
}

impl Pacer {
    /// `warnings` gets a cost file that would not load.
    pub fn new(
        config: Pacing,
        max_scale: f32,
        device: DeviceInfo,
        warnings: &mut Vec<String>,
    ) -> Self {
        let costs = config
            .cost_file
            .as_ref()
            .and_then(|path| load_costs(path, device, warnings));
        let max_scale = if config.host_scales { 1.0 } else { max_scale };
        let governor = config
            .budget
            .and_then(|budget| governor(&config, max_scale, budget));
        Pacer {
            config,
            max_scale,
            governor,
            costs,
            window: Vec::with_capacity(WINDOW),
            heavy_for: 0.0,
            frames: 0,
            presents: Presents::default(),
        }
    }

    /// The frame time to fit: the configured budget, or the frame rate's
    /// learned cap where that is longer.
    fn budget(&self) -> Option<f32> {
        let budget = self.config.budget?.as_secs_f32();
        Some(self.presents.cap.map_or(budget, |cap| cap.max(budget)))
    }

    /// Starts the governor over at `budget` seconds, at `scale`.
    fn rebudget(&mut self, budget: f32, scale: f32) {
        self.governor = governor(
            &self.config,
            self.max_scale,
            Duration::from_secs_f32(budget),
        );
        if let Some(g) = &mut self.governor {
            g.start_at(scale);
        }
        self.presents.since_change = 0;
        self.presents.lowered = None;
    }

    pub fn lowest(&self) -> f32 {
        self.config.min_scale.clamp(0.05, self.max_scale)
    }

    /// What the cost file says of preset `key` on a `size` target. A
    /// preset the GPU was lost with is skipped before the size is known
    /// (a host's first preset), and whatever the budget.
    pub fn advise(&self, key: &str, size: Option<(u32, u32)>) -> Advice {
        if self.lost_gpu(key) {
            return Advice::Skip;
        }
        match (&self.costs, self.config.budget, size) {
            (Some(costs), Some(budget), Some(size)) => costs.advise(
                key,
                size,
                budget.as_secs_f32() * 1e3,
                (self.max_scale, self.lowest()),
            ),
            _ => Advice::Play,
        }
    }

    /// A preset starts with `advice` for it; returns the scale to render
    /// it at.
    pub fn preset_started(&mut self, key: &str, advice: Advice) -> f32 {
        self.window.clear();
        self.presents.lowered = None;
        self.presents.recent.clear();
        self.presents.since_change = 0;
        self.heavy_for = 0.0;
        self.frames = 0;
        let known = self
            .costs
            .as_ref()
            .is_some_and(|c| c.presets.contains_key(key));
        let start = match advice {
            Advice::Downscale(s) => Some(s),
            Advice::Play if known => Some(self.max_scale),
            _ => None,
        };
        match (&mut self.governor, start) {
            (Some(g), Some(s)) => {
                g.start_at(s);
                g.scale()
            }
            (Some(g), None) => {
                g.preset_changed();
                g.scale()
            }
            (None, Some(s)) => s,
            (None, None) => self.max_scale,
        }
    }

    /// One frame of the current preset took `work` to render at `scale`
    /// (frames of a blend are not reported: two presets render).
    pub fn frame(&mut self, work: Duration, scale: f32) -> Verdict {
        let Some(budget) = self.budget() else {
            return Verdict::Fine;
        };
        self.frames += 1;
        if self.frames <= SETTLE_FRAMES {
            return Verdict::Fine;
        }
        let mut verdict = Verdict::Fine;
        if let Some(g) = &mut self.governor
            && g.observe(work).is_some()
        {
            verdict = Verdict::Scale(g.scale());
        }
        if self.window.len() == WINDOW {
            self.window.remove(0);
        }
        self.window.push(work.as_secs_f32());
        let mut window = self.window.clone();
        let slow = percentile(&mut window, 75.0);
        let at_lowest = scale <= self.lowest() + 1e-3;
        if self.window.len() == WINDOW && slow > budget && at_lowest {
            self.heavy_for += work.as_secs_f64();
        } else {
            self.heavy_for = 0.0;
        }
        let limit = self.config.heavy_seconds;
        if limit > 0.0 && self.heavy_for >= limit {
            self.heavy_for = 0.0;
            return Verdict::TooHeavy {
                frame_ms: slow * 1e3,
                scale,
            };
        }
        verdict
    }

    /// One frame of the current preset was presented `interval` after the
    /// one before, at `scale` (see [`Presents`] for how that is judged).
    pub fn interval(&mut self, interval: Duration, scale: f32) -> Verdict {
        let Some(budget) = self.budget() else {
            return Verdict::Fine;
        };
        let t = interval.as_secs_f32();
        if t.is_nan() || t > STALL {
            return Verdict::Fine;
        }
        if self.frames >= SETTLE_FRAMES {
            let p = &mut self.presents;
            p.push(t);
            if p.window_full() {
                let slow = p.slow();
                if let Some((before, caused)) = p.lowered.take() {
                    let pixels = (scale / before).powi(2);
                    if pixels <= 0.7 && slow >= caused * 0.9 && slow > budget * KEPT_UP {
                        // Far fewer pixels, the same rate: it is held
                        // elsewhere.
                        p.cap = Some(slow);
                        self.rebudget(slow, before);
                        return Verdict::Scale(before);
                    }
                }
                if let Some(cap) = p.cap
                    && slow < cap * 0.8
                {
                    p.cap = None;
                    let budget = self.config.budget.map_or(cap, |b| b.as_secs_f32());
                    self.rebudget(budget, scale);
                }
            }
        }
        let budget = self.budget().unwrap_or(budget);
        let work = if t <= budget * KEPT_UP {
            budget * 0.5
        } else {
            t
        };
        let verdict = self.frame(Duration::from_secs_f32(work), scale);
        if let Verdict::Scale(to) = verdict {
            let p = &mut self.presents;
            p.lowered = (to < scale).then(|| (scale, p.slow()));
            p.since_change = 0;
        }
        verdict
    }

    /// Whether the cost file says the GPU was lost while `key` played.
    pub fn lost_gpu(&self, key: &str) -> bool {
        self.costs.as_ref().is_some_and(|costs| {
            costs
                .presets
                .get(key)
                .is_some_and(|c| c.source == CostSource::GpuLost)
        })
    }

    /// Notes in the cost file (and saves it) that `key` took `frame_ms`
    /// per frame at `scale` on a `size` target; the error of a failed save.
    pub fn record_heavy(
        &mut self,
        key: &str,
        size: (u32, u32),
        scale: f32,
        frame_ms: f32,
    ) -> Option<String> {
        self.record(key, size, scale, frame_ms, CostSource::Learned)
    }

    /// Notes in the cost file (and saves it) that the GPU was lost while
    /// `key` played at `scale` on a `size` target
    /// ([`CostSource::GpuLost`]: skipped from then on); the error of a
    /// failed save.
    pub fn record_gpu_lost(&mut self, key: &str, size: (u32, u32), scale: f32) -> Option<String> {
        self.record(key, size, scale, 0.0, CostSource::GpuLost)
    }

    /// Records `key`'s frame times so far (the median of the window, and
    /// at least `p95_ms` as its 95th percentile) with `source`, and saves.
    fn record(
        &mut self,
        key: &str,
        size: (u32, u32),
        scale: f32,
        p95_ms: f32,
        source: CostSource,
    ) -> Option<String> {
        let (costs, path) = (self.costs.as_mut()?, self.config.cost_file.as_ref()?);
        let mut window = self.window.clone();
        let median = percentile(&mut window, 50.0) * 1e3;
        costs.record(
            key,
            PresetCost {
                size: [size.0, size.1],
                render_scale: scale,
                frame_ms: median,
                p95_ms: p95_ms.max(median),
                cpu_ms: None,
                first_frame_ms: None,
                prepare_ms: None,
                gpu_ms: Default::default(),
                source,
            },
        );
        save_costs(costs, path)
    }
}

/// The cost file at `path` (a new one if there is none), or a warning.
#[cfg(feature = "cost-file")]
fn load_costs(
    path: &std::path::Path,
    device: DeviceInfo,
    warnings: &mut Vec<String>,
) -> Option<CostFile> {
    CostFile::load_or_new(path, device)
        .map_err(|e| warnings.push(format!("{e}; preset costs are not used")))
        .ok()
}

#[cfg(not(feature = "cost-file"))]
fn load_costs(
    path: &std::path::Path,
    _device: DeviceInfo,
    warnings: &mut Vec<String>,
) -> Option<CostFile> {
    warnings.push(format!(
        "{}: this build reads no cost files (kefir-player's cost-file feature); \
         preset costs are not used",
        path.display()
    ));
    None
}

/// Saves `costs` to `path`; the error, if any.
#[cfg(feature = "cost-file")]
fn save_costs(costs: &CostFile, path: &std::path::Path) -> Option<String> {
    costs.save(path).err().map(|e| e.to_string())
}

#[cfg(not(feature = "cost-file"))]
fn save_costs(_costs: &CostFile, _path: &std::path::Path) -> Option<String> {
    None
}

/// Measures what [`crate::Player::report_frame_time`] wants: from
/// [`WorkTimer::begin`] (before the frame renders) until the GPU has
/// finished the work submitted before [`WorkTimer::end`], through
/// `Queue::on_submitted_work_done`, so a wait for the display (vsync) is
/// not counted. One measurement is in flight at a time; read it a frame or
/// two later with [`WorkTimer::take`].
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Default)]
pub struct WorkTimer {
    started: Option<std::time::Instant>,
    pending: bool,
    done: std::sync::Arc<std::sync::Mutex<Option<Duration>>>,
}

#[cfg(not(target_arch = "wasm32"))]
impl WorkTimer {
    pub fn new() -> Self {
        Self::default()
    }

    /// The frame starts (call before rendering it).
    pub fn begin(&mut self) {
        if !self.pending {
            self.started = Some(std::time::Instant::now());
        }
    }

    /// The frame's work is submitted to `queue`.
    pub fn end(&mut self, queue: &wgpu::Queue) {
        let Some(started) = self.started.take() else {
            return;
        };
        self.pending = true;
        let done = self.done.clone();
        queue.on_submitted_work_done(move || {
            let mut slot = done.lock().unwrap_or_else(|e| e.into_inner());
            *slot = Some(started.elapsed());
        });
    }

    /// The time of the last measured frame, once the GPU has finished it
    /// (polls `device` without waiting).
    pub fn take(&mut self, device: &wgpu::Device) -> Option<Duration> {
        if self.pending {
            let _ = device.poll(wgpu::PollType::Poll);
        }
        let time = self.done.lock().unwrap_or_else(|e| e.into_inner()).take();
        if time.is_some() {
            self.pending = false;
        }
        time
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device() -> DeviceInfo {
        DeviceInfo {
            name: "test".into(),
            backend: "Vulkan".into(),
        }
    }

    fn pacing(auto: bool) -> Pacing {
        Pacing {
            budget: Some(Duration::from_millis(16)),
            auto_scale: auto,
            ..Pacing::default()
        }
    }

    #[test]
    fn without_a_budget_nothing_happens() {
        let mut p = Pacer::new(Pacing::default(), 1.0, device(), &mut Vec::new());
        for _ in 0..1000 {
            assert_eq!(p.frame(Duration::from_millis(100), 1.0), Verdict::Fine);
        }
    }

    #[test]
    fn slow_frames_lower_the_scale_then_mark_the_preset_heavy() {
        let mut p = Pacer::new(pacing(true), 1.0, device(), &mut Vec::new());
        assert_eq!(p.preset_started("a.milk", Advice::Play), 1.0);
        let mut scale = 1.0;
        let mut heavy = None;
        for f in 0..2000 {
            // 100 ms at any scale: hopeless.
            match p.frame(Duration::from_millis(100), scale) {
                Verdict::Scale(s) => scale = s,
                Verdict::TooHeavy { frame_ms, scale } => {
                    heavy = Some((f, frame_ms, scale));
                    break;
                }
                Verdict::Fine => {}
            }
        }
        let (frame, ms, at) = heavy.expect("marked heavy");
        assert_eq!(at, 0.25);
        assert!((ms - 100.0).abs() < 1.0);
        // 5 s of 100 ms frames at the lowest scale is 50 frames after
        // reaching it (and filling the window).
        assert!(frame < 200, "{frame}");
    }

    #[test]
    fn a_fixed_scale_preset_is_marked_heavy_at_that_scale() {
        let mut p = Pacer::new(pacing(false), 0.25, device(), &mut Vec::new());
        assert_eq!(p.preset_started("a.milk", Advice::Play), 0.25);
        let verdicts: Vec<_> = (0..300)
            .map(|_| p.frame(Duration::from_millis(40), 0.25))
            .collect();
        assert!(
            verdicts
                .iter()
                .any(|v| matches!(v, Verdict::TooHeavy { .. }))
        );
        // Frames that fit never are.
        p.preset_started("b.milk", Advice::Play);
        for _ in 0..1000 {
            assert_eq!(p.frame(Duration::from_millis(10), 0.25), Verdict::Fine);
        }
    }

    /// Presents `frames` frames whose work takes `cost(scale)` ms on a
    /// display refreshing every 16.67 ms (each present waits for the next
    /// refresh); returns the scales the pacing moved to.
    fn present(
        p: &mut Pacer,
        scale: &mut f32,
        frames: usize,
        cost: impl Fn(f32) -> f32,
    ) -> Vec<f32> {
        let refresh = 1000.0 / 60.0;
        let mut moves = Vec::new();
        for _ in 0..frames {
            let interval = (cost(*scale) / refresh).ceil().max(1.0) * refresh;
            if let Verdict::Scale(s) = p.interval(Duration::from_secs_f32(interval / 1e3), *scale) {
                *scale = s;
                moves.push(s);
            }
        }
        moves
    }

    fn interval_pacing() -> Pacing {
        Pacing {
            budget: Some(Duration::from_micros(16_667)),
            heavy_seconds: 0.0,
            host_scales: true,
            ..Pacing::default()
        }
    }

    #[test]
    fn presents_that_keep_up_never_lower_the_scale() {
        let mut p = Pacer::new(interval_pacing(), 1.0, device(), &mut Vec::new());
        let mut scale = p.preset_started("a.milk", Advice::Play);
        // 12 ms of work: every refresh presents a frame.
        assert_eq!(
            present(&mut p, &mut scale, 2000, |_| 12.0),
            Vec::<f32>::new()
        );
        assert_eq!(scale, 1.0);
        // A page hidden for seconds is no slow frame.
        assert_eq!(p.interval(Duration::from_secs(5), 1.0), Verdict::Fine);
    }

    #[test]
    fn missed_presents_lower_the_scale_and_a_preset_switch_tries_one_step_up() {
        let mut p = Pacer::new(interval_pacing(), 1.0, device(), &mut Vec::new());
        let mut scale = p.preset_started("a.milk", Advice::Play);
        // Work in proportion to pixels: 28 ms at full scale, so every
        // frame misses a refresh until the scale is under about 0.75.
        let heavy = |s: f32| 28.0 * s * s;
        let moves = present(&mut p, &mut scale, 600, heavy);
        assert!(
            !moves.is_empty() && (0.5..0.78).contains(&scale),
            "{moves:?}"
        );
        let settled = scale;
        // It holds there: 10 s at 60 fps without a change.
        assert_eq!(present(&mut p, &mut scale, 600, heavy), Vec::<f32>::new());
        // A lighter preset: after a switch, one step up at a time.
        p.preset_started("b.milk", Advice::Play);
        let moves = present(&mut p, &mut scale, 400, |s| 12.0 * s * s);
        assert_eq!(moves.len(), 1, "{moves:?}");
        assert!(scale > settled);
    }

    #[test]
    fn very_slow_presents_go_down_and_stay_down_when_that_helps() {
        let mut p = Pacer::new(interval_pacing(), 1.0, device(), &mut Vec::new());
        let mut scale = p.preset_started("a.milk", Advice::Play);
        // 400 ms a frame at full scale, 150 of them whatever the scale:
        // still slow after lowering, but faster. Windows close by time, and
        // the trial of a lowering sees only the frames after it.
        let moves = present(&mut p, &mut scale, 300, |s| 150.0 + 250.0 * s * s);
        assert!(!moves.is_empty(), "{moves:?}");
        assert!(moves.windows(2).all(|w| w[1] < w[0]), "{moves:?}");
        assert_eq!(scale, 0.25);
    }

    #[test]
    fn a_frame_rate_held_low_elsewhere_keeps_the_scale_once_lowering_proves_useless() {
        let mut p = Pacer::new(interval_pacing(), 1.0, device(), &mut Vec::new());
        let mut scale = p.preset_started("a.milk", Advice::Play);
        // The browser presents every other refresh whatever the work (a
        // power-saving mode, a 30 Hz display).
        let moves = present(&mut p, &mut scale, 900, |_| 20.0);
        assert!(moves.len() >= 2 && moves[0] < 1.0, "{moves:?}");
        assert_eq!(*moves.last().unwrap(), 1.0, "{moves:?}");
        assert_eq!(scale, 1.0);
        let budget = p.budget().unwrap();
        assert!((budget - 1.0 / 30.0).abs() < 1e-3, "{budget}");
        // Frames come at 60 fps again: the cap is forgotten, and frames
        // that miss 60 fps lower the scale again.
        present(&mut p, &mut scale, 60, |_| 10.0);
        assert!((p.budget().unwrap() - 1.0 / 60.0).abs() < 1e-3);
        let moves = present(&mut p, &mut scale, 300, |s| 28.0 * s * s);
        assert!(!moves.is_empty() && scale < 0.78, "{moves:?}");
    }

    proptest::proptest! {
        /// Whatever the page reports (NaN, zero, stalls, jitter, preset
        /// switches), the scale stays on the ladder between the lowest and
        /// the highest, and changes at most once per window of frames.
        #[test]
        fn any_intervals_keep_the_scale_in_range(
            intervals in proptest::collection::vec(
                proptest::prop_oneof![
                    0.0f32..0.2,
                    proptest::strategy::Just(f32::NAN),
                    proptest::strategy::Just(f32::INFINITY),
                    proptest::strategy::Just(5.0f32),
                ],
                1..600,
            ),
            switches in proptest::collection::vec(0usize..600, 0..5),
        ) {
            let mut p = Pacer::new(interval_pacing(), 1.0, device(), &mut Vec::new());
            let mut scale = p.preset_started("a.milk", Advice::Play);
            let mut since_change = usize::MAX;
            for (i, &t) in intervals.iter().enumerate() {
                if switches.contains(&i) {
                    scale = p.preset_started("b.milk", Advice::Play);
                    since_change = usize::MAX;
                }
                let interval = Duration::try_from_secs_f32(t).unwrap_or(Duration::MAX);
                since_change = since_change.saturating_add(1);
                if let Verdict::Scale(s) = p.interval(interval, scale) {
                    proptest::prop_assert!((0.25..=1.0).contains(&s), "{s}");
                    proptest::prop_assert!(since_change >= 8, "changed {since_change} frames after the last change");
                    since_change = 0;
                    scale = s;
                }
            }
        }
    }

    #[test]
    #[cfg(feature = "cost-file")]
    fn the_cost_file_decides_before_a_preset_plays_and_learns() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("costs.json");
        let mut file = CostFile::new(device());
        let cost = |p95: f32| PresetCost {
            size: [1280, 720],
            render_scale: 1.0,
            frame_ms: p95,
            p95_ms: p95,
            cpu_ms: None,
            first_frame_ms: None,
            prepare_ms: None,
            gpu_ms: Default::default(),
            source: CostSource::Bench,
        };
        file.record("heavy.milk", cost(32.0));
        file.record("hopeless.milk", cost(1000.0));
        file.save(&path).unwrap();
        let config = Pacing {
            cost_file: Some(path.clone()),
            ..pacing(true)
        };
        let mut p = Pacer::new(config, 1.0, device(), &mut Vec::new());
        let size = Some((1280, 720));
        assert_eq!(p.advise("other.milk", size), Advice::Play);
        assert_eq!(p.advise("hopeless.milk", size), Advice::Skip);
        let Advice::Downscale(s) = p.advise("heavy.milk", size) else {
            panic!("heavy.milk should be down-scaled");
        };
        // The governor starts at its step at or below the advice.
        let started = p.preset_started("heavy.milk", Advice::Downscale(s));
        assert!(started <= s && started > 0.5, "{started} for {s}");
        for _ in 0..40 {
            p.frame(Duration::from_millis(30), 0.25);
        }
        assert_eq!(p.record_heavy("new.milk", (1280, 720), 0.25, 30.0), None);
        let saved = CostFile::load(&path).unwrap();
        assert_eq!(saved.presets["new.milk"].source, CostSource::Learned);
        assert_eq!(saved.presets.len(), 3);
        // A broken cost file is a warning, not an error.
        std::fs::write(&path, "{").unwrap();
        let mut warnings = Vec::new();
        let config = Pacing {
            cost_file: Some(path),
            ..pacing(true)
        };
        let p = Pacer::new(config, 1.0, device(), &mut warnings);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(p.advise("hopeless.milk", size), Advice::Play);
    }
}
