//! Text over the visuals for hosts without a window toolkit: the Raspberry
//! Pi box draws straight to a KMS display, so there is no egui-winit to
//! feed. A [`Hud`] keeps three kinds of text and paints them with egui onto
//! any wgpu texture view, after the frame is rendered:
//!
//! - **messages** ([`Hud::message`]): a short queue, newest last, bottom
//!   left, each for a while (errors longer), e.g. "bad value in kefir.toml,
//!   using the default" or "skipped Foo.milk: ...";
//! - the **caption** ([`Hud::caption`]): one line top left for a few
//!   seconds, e.g. the preset name after the remote's "next";
//! - the **status** ([`Hud::set_status`]): one line top right that stays
//!   until cleared, e.g. "No audio input: playing the demo signal".
//!
//! Text is sized for a screen across the room: egui's points are scaled
//! with the output's height (one point per pixel at 540 lines, two at 1080,
//! four at 2160). Nothing is drawn, and no GPU work is recorded, when there
//! is nothing to show.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use egui::{Align2, Color32, FontId, RichText};

/// How urgent a message is: it sets the colour and how long it stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    fn colour(self) -> Color32 {
        match self {
            Level::Info => Color32::from_gray(235),
            Level::Warning => Color32::from_rgb(255, 210, 90),
            Level::Error => Color32::from_rgb(255, 120, 110),
        }
    }
}

/// How long things stay up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    /// Info messages.
    pub message: Duration,
    /// Warnings and errors (read from across the room, they stay longer).
    pub problem: Duration,
    /// The caption.
    pub caption: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            message: Duration::from_secs(4),
            problem: Duration::from_secs(12),
            caption: Duration::from_secs(4),
        }
    }
}

/// Messages shown at once; older ones give way.
pub const MAX_MESSAGES: usize = 5;
/// Longest text kept per message or line, in characters.
const MAX_CHARS: usize = 300;

#[derive(Debug, Clone, PartialEq)]
struct Message {
    text: String,
    level: Level,
    until: Instant,
}

/// What is shown over the visuals, and the egui painter for it.
pub struct Hud {
    ctx: egui::Context,
    renderer: egui_wgpu::Renderer,
    timing: Timing,
    messages: VecDeque<Message>,
    caption: Option<(String, Instant)>,
    status: Option<String>,
}

impl Hud {
    /// A HUD painting onto textures of `format`.
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat) -> Hud {
        let ctx = egui::Context::default();
        ctx.set_visuals(egui::Visuals::dark());
        let renderer = egui_wgpu::Renderer::new(
            device,
            format,
            egui_wgpu::RendererOptions {
                // egui's dithering assumes an sRGB target.
                dithering: format.is_srgb(),
                ..Default::default()
            },
        );
        Hud {
            ctx,
            renderer,
            timing: Timing::default(),
            messages: VecDeque::new(),
            caption: None,
            status: None,
        }
    }

    /// Changes how long things stay up (from now on).
    pub fn set_timing(&mut self, timing: Timing) {
        self.timing = timing;
    }

    /// Shows `text` for a while. The same text again only renews it.
    pub fn message(&mut self, level: Level, text: &str, now: Instant) {
        let text = clip(text);
        let stay = match level {
            Level::Info => self.timing.message,
            Level::Warning | Level::Error => self.timing.problem,
        };
        self.messages.retain(|m| m.text != text);
        self.messages.push_back(Message {
            text,
            level,
            until: now + stay,
        });
        while self.messages.len() > MAX_MESSAGES {
            self.messages.pop_front();
        }
    }

    /// Shows `text` top left for a few seconds (replacing the caption up).
    pub fn caption(&mut self, text: &str, now: Instant) {
        self.caption = Some((clip(text), now + self.timing.caption));
    }

    /// Sets or clears the line that stays top right.
    pub fn set_status(&mut self, status: Option<&str>) {
        self.status = status.map(clip);
    }

    /// The messages up at `now`, oldest first.
    pub fn messages(&self, now: Instant) -> impl Iterator<Item = (&str, Level)> {
        self.messages
            .iter()
            .filter(move |m| m.until > now)
            .map(|m| (m.text.as_str(), m.level))
    }

    /// Whether anything is up at `now`.
    pub fn is_showing(&self, now: Instant) -> bool {
        self.messages(now).next().is_some()
            || self.caption.as_ref().is_some_and(|(_, until)| *until > now)
            || self.status.is_some()
    }

    /// Records into `encoder` the drawing of what is up at `now` over
    /// `view` (a texture of the format given to [`Hud::new`], `size`
    /// pixels), keeping what is already there. Records nothing when
    /// nothing is up.
    pub fn paint(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        view: &wgpu::TextureView,
        size: [u32; 2],
        now: Instant,
    ) {
        self.messages.retain(|m| m.until > now);
        if self
            .caption
            .as_ref()
            .is_some_and(|(_, until)| *until <= now)
        {
            self.caption = None;
        }
        if !self.is_showing(now) || size[0] == 0 || size[1] == 0 {
            return;
        }
        let pixels_per_point = points_scale(size);
        let mut raw = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(size[0] as f32, size[1] as f32) / pixels_per_point,
            )),
            max_texture_side: Some(device.limits().max_texture_dimension_2d as usize),
            ..Default::default()
        };
        raw.viewports
            .entry(egui::ViewportId::ROOT)
            .or_default()
            .native_pixels_per_point = Some(pixels_per_point);
        let ctx = self.ctx.clone();
        // egui measures a new area in one pass and shows it in the next:
        // run two, so text shows on the frame it is asked for (a few
        // labels cost well under a millisecond).
        let first = ctx.run_pass(raw.clone(), |ctx| self.ui(ctx));
        let full = ctx.run_pass(raw, |ctx| self.ui(ctx));
        let mut textures = first.textures_delta;
        textures.append(full.textures_delta);
        let target = Target {
            view,
            size,
            label: "kefir hud",
        };
        paint_output(
            &mut self.renderer,
            &self.ctx,
            (device, queue, encoder),
            &target,
            full.shapes,
            full.pixels_per_point,
            textures,
        );
    }

    fn ui(&self, ctx: &egui::Context) {
        let panel = egui::Frame::new()
            .fill(Color32::from_black_alpha(170))
            .corner_radius(4.0)
            .inner_margin(egui::Margin::symmetric(12, 6));
        let big = FontId::proportional(22.0);
        let small = FontId::proportional(16.0);
        if let Some((text, _)) = &self.caption {
            egui::Area::new(egui::Id::unique("kefir hud caption"))
                .anchor(Align2::LEFT_TOP, [16.0, 16.0])
                .fade_in(false)
                .show(ctx, |ui| {
                    panel.show(ui, |ui| {
                        ui.label(RichText::new(text).font(big.clone()).color(Color32::WHITE));
                    });
                });
        }
        if let Some(text) = &self.status {
            egui::Area::new(egui::Id::unique("kefir hud status"))
                .anchor(Align2::RIGHT_TOP, [-16.0, 16.0])
                .fade_in(false)
                .show(ctx, |ui| {
                    panel.show(ui, |ui| {
                        ui.label(
                            RichText::new(text)
                                .font(small.clone())
                                .color(Level::Warning.colour()),
                        );
                    });
                });
        }
        if !self.messages.is_empty() {
            let width = ctx.content_rect().width() * 0.6;
            egui::Area::new(egui::Id::unique("kefir hud messages"))
                .anchor(Align2::LEFT_BOTTOM, [16.0, -16.0])
                .fade_in(false)
                .show(ctx, |ui| {
                    ui.set_max_width(width);
                    panel.show(ui, |ui| {
                        for m in &self.messages {
                            ui.label(
                                RichText::new(&m.text)
                                    .font(small.clone())
                                    .color(m.level.colour()),
                            );
                        }
                    });
                });
        }
    }
}

/// egui pixels per point for an output of `size`: text keeps its share of
/// the screen's height (1 at 540 lines, 2 at 1080), at least 1, at most 4.
pub fn points_scale(size: [u32; 2]) -> f32 {
    (size[1] as f32 / 540.0).clamp(1.0, 4.0)
}

/// Where [`paint_output`] draws: a view of `size` pixels, kept and drawn
/// over; `label` names the render pass.
pub struct Target<'a> {
    pub view: &'a wgpu::TextureView,
    pub size: [u32; 2],
    pub label: &'a str,
}

/// Paints one frame of egui output over `target` (the painting half of
/// egui-wgpu, shared by [`Hud`] and the desktop app's overlay): uploads the
/// textures egui changed, tessellates `shapes` and records one render pass
/// that loads what is there; frees the textures egui let go of. Records no
/// pass when there is nothing to draw.
pub fn paint_output(
    renderer: &mut egui_wgpu::Renderer,
    ctx: &egui::Context,
    (device, queue, encoder): (&wgpu::Device, &wgpu::Queue, &mut wgpu::CommandEncoder),
    target: &Target<'_>,
    shapes: Vec<egui::epaint::ClippedShape>,
    pixels_per_point: f32,
    mut textures: egui::TexturesDelta,
) {
    let jobs = ctx.tessellate(shapes, pixels_per_point);
    for (id, deltas) in textures.set.drain() {
        for delta in &deltas {
            renderer.update_texture(device, queue, id, delta);
        }
    }
    let screen = egui_wgpu::ScreenDescriptor {
        size_in_pixels: target.size,
        pixels_per_point,
    };
    if !jobs.is_empty() {
        let extra = renderer.update_buffers(device, queue, encoder, &jobs, &screen);
        if !extra.is_empty() {
            queue.submit(extra);
        }
        let mut pass = encoder
            .begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some(target.label),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: target.view,
                    depth_slice: None,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        load: wgpu::LoadOp::Load,
                        store: wgpu::StoreOp::Store,
                    },
                })],
                depth_stencil_attachment: None,
                timestamp_writes: None,
                occlusion_query_set: None,
                multiview_mask: None,
            })
            .forget_lifetime();
        renderer.render(&mut pass, &jobs, &screen);
    }
    for id in textures.free.drain() {
        renderer.free_texture(&id);
    }
}

/// `text` on one line (newlines become spaces), at most [`MAX_CHARS`].
fn clip(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match one_line.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}...", &one_line[..cut]),
        None => one_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_one_bounded_line() {
        assert_eq!(clip("a\nb\tc"), "a b c");
        let long = "é".repeat(400);
        let c = clip(&long);
        assert_eq!(c.chars().count(), MAX_CHARS + 3);
        assert!(c.ends_with("..."));
    }

    #[test]
    fn scale_follows_the_height() {
        assert_eq!(points_scale([1920, 1080]), 2.0);
        assert_eq!(points_scale([640, 360]), 1.0);
        assert_eq!(points_scale([7680, 4320]), 4.0);
    }
}
