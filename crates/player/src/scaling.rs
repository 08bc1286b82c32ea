//! How frame times reach the render scale: the pacing's advice for a
//! preset that starts, the governor's verdict after each frame (a new
//! scale, or a preset too heavy for the device, skipped and recorded), and
//! the scale the host reads back.

use std::path::Path;
use std::time::Duration;

use kefir_perf::Advice;
use milk_engine::Switch;
use milk_playlist::preset_key;

use crate::pacing::Verdict;
use crate::worker;
#[cfg(doc)]
use crate::{Pacing, PlayerConfig, WorkTimer};
use crate::{Player, PlayerEvent, Step};

impl Player {
    /// Sets the render scale for a preset that starts (from the cost file's
    /// advice, or the governor's scale).
    pub(crate) fn pace_new_preset(&mut self, path: Option<&Path>) {
        let key = path.map(|p| preset_key(p).into_owned()).unwrap_or_default();
        let advice = match self.pacer.advise(&key, self.target_size) {
            // Chosen by hand (or the only one left): the lowest scale.
            Advice::Skip => Advice::Downscale(self.pacer.lowest()),
            other => other,
        };
        let scale = self.pacer.preset_started(&key, advice);
        self.set_scale(scale);
    }

    pub(crate) fn set_scale(&mut self, scale: f32) {
        if self.apply_scale(scale) {
            self.push_event(PlayerEvent::RenderScale {
                scale: self.render_scale(),
            });
        }
    }

    /// Moves the paced scale (the host's or the engine's) to `scale`;
    /// whether it changed.
    pub(crate) fn apply_scale(&mut self, scale: f32) -> bool {
        if (scale - self.paced_scale()).abs() <= 1e-4 {
            return false;
        }
        if self.config.pacing.host_scales {
            self.output_scale = scale.clamp(milk_engine::MIN_RENDER_SCALE, 1.0);
        } else {
            self.vis.set_render_scale(scale);
        }
        true
    }

    /// The scale the pacing moves: the host's target, or the engine's.
    pub(crate) fn paced_scale(&self) -> f32 {
        if self.config.pacing.host_scales {
            self.output_scale
        } else {
            self.vis.render_scale()
        }
    }

    /// Marks `path` too heavy in the playlist (so it does not come round
    /// again) and says so; a preset the GPU was lost with before is a
    /// failure of its own ([`PlayerEvent::Failed`]).
    pub(crate) fn skip_heavy(&mut self, path: &Path, frame_ms: Option<f32>) {
        if frame_ms.is_none() && self.pacer.lost_gpu(&preset_key(path)) {
            let error = "the GPU was lost while it played on this device (its cost \
                         file says so; `kefir bench` measures it again)"
                .to_owned();
            self.list().mark_broken(path, error.clone());
            self.push_event(PlayerEvent::Failed {
                path: Some(path.to_path_buf()),
                error,
            });
            return;
        }
        let reason = match frame_ms {
            Some(ms) => format!("too heavy for this device ({ms:.1} ms per frame)"),
            None => "too heavy for this device (cost file)".to_owned(),
        };
        self.list().mark_broken(path, reason);
        self.push_event(PlayerEvent::TooHeavy {
            path: Some(path.to_path_buf()),
            name: worker::display_name(path),
            frame_ms,
        });
    }

    /// Tells the player that the host's GPU device was lost (a GPU reset)
    /// while the current preset played. A frame that ran too long is the
    /// likeliest cause, so the preset is noted in the cost file as
    /// [`kefir_perf::CostSource::GpuLost`] (saved at once: a host started
    /// again skips it on this device) and marked broken. The device is
    /// gone: the host opens a new one and a new player (the Raspberry Pi
    /// box exits and systemd starts it again). Returns the preset's name.
    pub fn gpu_lost(&mut self) -> Option<String> {
        let path = self.current_path()?.to_path_buf();
        let size = self.target_size.unwrap_or((0, 0));
        let scale = self.paced_scale();
        if let Some(error) = self.pacer.record_gpu_lost(&preset_key(&path), size, scale) {
            self.warn(error);
        }
        self.list()
            .mark_broken(&path, "the GPU was lost while it played".into());
        self.current_name().map(str::to_owned)
    }

    /// Tells the player how long the last frame took to render (from the
    /// start of [`Player::render`] to the GPU finishing it, not counting a
    /// wait for the display; [`WorkTimer`] measures that). With a budget
    /// ([`PlayerConfig::pacing`]) it moves the render scale and skips
    /// presets too heavy for the device. Frames of a blend are not counted
    /// (two presets render then).
    pub fn report_frame_time(&mut self, work: Duration) {
        if self.vis.blend_progress().is_some() {
            return;
        }
        let verdict = self.pacer.frame(work, self.paced_scale());
        self.follow(verdict);
    }

    /// For hosts that cannot time the GPU's work (a page on WebGL2): tells
    /// the player how long after the previous frame the last one was
    /// presented (requestAnimationFrame's time stamps). Frames that keep up
    /// with the budget ([`Pacing::budget`], the display's refresh interval)
    /// let the render scale go up a step at a preset switch; frames that
    /// miss it lower the scale, unless lowering did not make them come any
    /// faster (a display or browser holding the page to a lower frame rate,
    /// frames bound by the CPU): then the scale goes back and the longer
    /// interval becomes the budget until frames come faster again. Frames of
    /// a blend are not counted.
    pub fn report_frame_interval(&mut self, interval: Duration) {
        if self.vis.blend_progress().is_some() {
            return;
        }
        let verdict = self.pacer.interval(interval, self.paced_scale());
        self.follow(verdict);
    }

    /// Does what the pacing decided after a frame.
    pub(crate) fn follow(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::Fine => {}
            Verdict::Scale(scale) => self.set_scale(scale),
            Verdict::TooHeavy { frame_ms, scale } => {
                let Some(path) = self.current_path().map(Path::to_path_buf) else {
                    return;
                };
                let size = self.target_size.unwrap_or((0, 0));
                if let Some(error) =
                    self.pacer
                        .record_heavy(&preset_key(&path), size, scale, frame_ms)
                {
                    self.warn(error);
                }
                self.skip_heavy(&path, Some(frame_ms));
                self.advance(Step::Next, Switch::Cut);
                self.refresh_preload();
            }
        }
    }

    /// The fraction of the output's size frames render at now (see
    /// [`Pacing`]): the engine's render scale, times
    /// [`Player::output_scale`] where the host scales.
    pub fn render_scale(&self) -> f32 {
        self.vis.render_scale() * self.output_scale
    }

    /// With [`Pacing::host_scales`], the fraction of the display's size the
    /// host should give its target now (it changes with the pacing; the
    /// host resizes the target before the next frame). 1 otherwise.
    pub fn output_scale(&self) -> f32 {
        self.output_scale
    }
}
