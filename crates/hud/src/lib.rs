//! Kefir's heads-up display: text drawn over the visuals with egui on any
//! wgpu texture view and format, for front-ends with or without a window
//! system (the Raspberry Pi box draws straight to KMS/DRM, where there is no
//! winit). Three things show:
//!
//! - messages ([`Toasts`]): a queue with levels and lifetimes, at most a few
//!   on screen, bottom left;
//! - the caption: the preset name (and a detail line), top left, for a few
//!   seconds or until cleared;
//! - the status line: one persistent indicator ("No audio input — playing
//!   the demo signal"), bottom left under the messages.
//!
//! Everything is sized relative to the output's height (a 720-line layout
//! scaled up or down, times [`HudOptions::text_scale`]) and kept inside a
//! title-safe margin, so it reads the same on a 1080p TV across the room as
//! in a small window. The HUD takes no input. Nothing is drawn, and no
//! render pass recorded, while there is nothing to show.

mod toasts;

use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::epaint::Galley;
use egui::{Color32, FontId, Pos2, Rect, Vec2};

pub use toasts::{FADE, Level, Toasts, VisibleToast};

/// Why a HUD cannot draw to a format.
#[derive(Debug, thiserror::Error)]
pub enum HudError {
    #[error(
        "the HUD cannot draw to {0:?}: it is not a blendable colour format this device renders to"
    )]
    Format(wgpu::TextureFormat),
}

/// How the HUD looks.
#[derive(Debug, Clone, PartialEq)]
pub struct HudOptions {
    /// Text size relative to the default (1: a caption of 1/21 and messages
    /// of 1/33 of the output's height). Clamped to 0.25..4.
    pub text_scale: f32,
    /// Messages on screen at once.
    pub max_toasts: usize,
    /// The margin kept free at each edge, as a fraction of the output's
    /// height (TVs may crop the edges).
    pub margin: f32,
}

impl Default for HudOptions {
    fn default() -> Self {
        HudOptions {
            text_scale: 1.0,
            max_toasts: 4,
            margin: 0.045,
        }
    }
}

/// A persistent indicator on the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub level: Level,
    pub text: String,
}

#[derive(Debug, Clone)]
struct Caption {
    text: String,
    detail: Option<String>,
    until: Option<Instant>,
}

/// A rectangle of the output in pixels (top left origin).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    pub min: [f32; 2],
    pub max: [f32; 2],
}

impl Region {
    /// Whether pixel (`x`, `y`) (its centre) lies inside.
    pub fn contains(&self, x: u32, y: u32) -> bool {
        let (x, y) = (x as f32 + 0.5, y as f32 + 0.5);
        x >= self.min[0] && x <= self.max[0] && y >= self.min[1] && y <= self.max[1]
    }
}

/// Where the last [`Hud::draw`] put things, in pixels.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Drawn {
    pub caption: Option<Region>,
    pub toasts: Option<Region>,
    pub status: Option<Region>,
}

impl Drawn {
    pub fn is_empty(&self) -> bool {
        self.caption.is_none() && self.toasts.is_none() && self.status.is_none()
    }
}

/// The layout's reference height in points: sizes are chosen for 720 lines
/// and scaled to the output.
const REFERENCE_LINES: f32 = 720.0;
const CAPTION_SIZE: f32 = 34.0;
const DETAIL_SIZE: f32 = 20.0;
const MESSAGE_SIZE: f32 = 22.0;
const PADDING: Vec2 = Vec2::new(14.0, 8.0);
const GAP: f32 = 8.0;
/// The coloured bar at the left of messages and the status line.
const BAR: f32 = 5.0;

fn level_colour(level: Level) -> Color32 {
    match level {
        Level::Info => Color32::from_rgb(140, 200, 255),
        Level::Warning => Color32::from_rgb(255, 200, 70),
        Level::Error => Color32::from_rgb(255, 100, 90),
    }
}

fn text_colour(level: Level) -> Color32 {
    match level {
        Level::Info => Color32::WHITE,
        Level::Warning => Color32::from_rgb(255, 236, 190),
        Level::Error => Color32::from_rgb(255, 205, 195),
    }
}

fn panel_colour(alpha: f32) -> Color32 {
    Color32::from_black_alpha((175.0 * alpha) as u8)
}

/// The HUD; see the crate documentation.
pub struct Hud {
    ctx: egui::Context,
    renderer: egui_wgpu::Renderer,
    options: HudOptions,
    format: wgpu::TextureFormat,
    toasts: Toasts,
    caption: Option<Caption>,
    status: Option<Status>,
    started: Instant,
    max_texture_side: usize,
}

impl Hud {
    /// A HUD drawing to views of `format` on `device`.
    pub fn new(
        device: &wgpu::Device,
        format: wgpu::TextureFormat,
        options: HudOptions,
    ) -> Result<Hud, HudError> {
        let features = format.guaranteed_format_features(device.features());
        if !features
            .allowed_usages
            .contains(wgpu::TextureUsages::RENDER_ATTACHMENT)
            || !features
                .flags
                .contains(wgpu::TextureFormatFeatureFlags::BLENDABLE)
            || format.has_depth_aspect()
            || format.has_stencil_aspect()
        {
            return Err(HudError::Format(format));
        }
        let ctx = egui::Context::default();
        ctx.set_visuals(egui::Visuals::dark());
        let renderer = renderer(device, format);
        let options = HudOptions {
            text_scale: if options.text_scale.is_finite() {
                options.text_scale.clamp(0.25, 4.0)
            } else {
                1.0
            },
            max_toasts: options.max_toasts.max(1),
            margin: if options.margin.is_finite() {
                options.margin.clamp(0.0, 0.2)
            } else {
                0.045
            },
        };
        Ok(Hud {
            ctx,
            renderer,
            toasts: Toasts::new(options.max_toasts),
            options,
            format,
            caption: None,
            status: None,
            started: Instant::now(),
            max_texture_side: device.limits().max_texture_dimension_2d as usize,
        })
    }

    /// The format it draws to.
    pub fn format(&self) -> wgpu::TextureFormat {
        self.format
    }

    /// Shows a message for its level's default lifetime.
    pub fn toast(&mut self, level: Level, text: impl Into<String>) {
        self.toast_at(level, text, level.default_lifetime(), Instant::now());
    }

    /// Shows a message for `lifetime`, as if it were `now`.
    pub fn toast_at(
        &mut self,
        level: Level,
        text: impl Into<String>,
        lifetime: Duration,
        now: Instant,
    ) {
        self.toasts.push(level, text, lifetime, now);
    }

    /// The message queue.
    pub fn toasts(&self) -> &Toasts {
        &self.toasts
    }

    /// Shows `text` (a preset name) top left, with an optional smaller
    /// `detail` line under it, for `show_for` from `now` (`None`: until
    /// [`Hud::clear_caption`] or the next caption).
    pub fn caption_at(
        &mut self,
        text: impl Into<String>,
        detail: Option<String>,
        show_for: Option<Duration>,
        now: Instant,
    ) {
        self.caption = Some(Caption {
            text: text.into(),
            detail,
            until: show_for.map(|d| now + d),
        });
    }

    /// [`Hud::caption_at`] from now.
    pub fn caption(
        &mut self,
        text: impl Into<String>,
        detail: Option<String>,
        show_for: Option<Duration>,
    ) {
        self.caption_at(text, detail, show_for, Instant::now());
    }

    pub fn clear_caption(&mut self) {
        self.caption = None;
    }

    /// Whether the caption shows at `now`.
    pub fn caption_visible(&self, now: Instant) -> bool {
        self.caption
            .as_ref()
            .is_some_and(|c| c.until.is_none_or(|t| now < t))
    }

    /// The caption's text, while it shows.
    pub fn caption_text(&self, now: Instant) -> Option<&str> {
        self.caption
            .as_ref()
            .filter(|_| self.caption_visible(now))
            .map(|c| c.text.as_str())
    }

    /// Sets (or with `None` clears) the status line.
    pub fn set_status(&mut self, status: Option<Status>) {
        self.status = status;
    }

    pub fn status(&self) -> Option<&Status> {
        self.status.as_ref()
    }

    /// Whether anything shows at `now`.
    pub fn is_active(&mut self, now: Instant) -> bool {
        self.toasts.update(now);
        self.status.is_some() || self.caption_visible(now) || self.toasts.visible(now).count() > 0
    }

    /// The scale from layout points to pixels for an output `height`
    /// pixels tall.
    pub fn pixels_per_point(&self, height: u32) -> f32 {
        (height.max(1) as f32 / REFERENCE_LINES * self.options.text_scale).max(0.05)
    }

    /// Draws what shows now over `view` (a `size` pixel target of the
    /// HUD's format, whose content is kept). See [`Hud::draw_at`].
    pub fn draw(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        view: &wgpu::TextureView,
        size: [u32; 2],
    ) -> Drawn {
        self.draw_at(device, queue, encoder, view, size, Instant::now())
    }

    /// Draws what shows at `now` over `view`: records a render pass into
    /// `encoder` (none when nothing shows); texture and buffer uploads go
    /// through `queue`. Returns where things went.
    pub fn draw_at(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        view: &wgpu::TextureView,
        size: [u32; 2],
        now: Instant,
    ) -> Drawn {
        if size[0] == 0 || size[1] == 0 || !self.is_active(now) {
            return Drawn::default();
        }
        let ppp = self.pixels_per_point(size[1]);
        let screen = Rect::from_min_size(
            Pos2::ZERO,
            Vec2::new(size[0] as f32 / ppp, size[1] as f32 / ppp),
        );
        let mut raw = egui::RawInput {
            screen_rect: Some(screen),
            max_texture_side: Some(self.max_texture_side),
            time: Some(now.saturating_duration_since(self.started).as_secs_f64()),
            ..Default::default()
        };
        raw.viewports
            .entry(egui::ViewportId::ROOT)
            .or_default()
            .native_pixels_per_point = Some(ppp);
        let mut drawn = PointsDrawn::default();
        let ctx = self.ctx.clone();
        let full = ctx.run_pass(raw, |ctx| drawn = self.paint(ctx, screen, now));
        let to_pixels = |r: Rect| Region {
            min: [r.min.x * ppp, r.min.y * ppp],
            max: [r.max.x * ppp, r.max.y * ppp],
        };
        let drawn = Drawn {
            caption: drawn.caption.map(to_pixels),
            toasts: drawn.toasts.map(to_pixels),
            status: drawn.status.map(to_pixels),
        };
        paint_output(
            &mut self.renderer,
            &self.ctx,
            (device, queue, encoder),
            &Target {
                view,
                size,
                label: "kefir hud",
            },
            full.shapes,
            full.pixels_per_point,
            full.textures_delta,
        );
        drawn
    }

    /// Lays out and paints this frame's shapes, in points.
    fn paint(&mut self, ctx: &egui::Context, screen: Rect, now: Instant) -> PointsDrawn {
        let painter = ctx.layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("kefir hud"),
        ));
        let margin = self.options.margin * screen.height();
        let safe = screen.shrink(margin);
        // Text wraps at most this wide (the panel adds padding and the bar).
        let wrap = (safe.width() - 2.0 * PADDING.x - BAR).max(40.0);
        let mut out = PointsDrawn::default();

        // The caption, top left.
        if self.caption_visible(now)
            && let Some(c) = &self.caption
        {
            let title = painter.layout(
                c.text.clone(),
                FontId::proportional(CAPTION_SIZE),
                Color32::WHITE,
                wrap,
            );
            let detail = c.detail.as_ref().map(|d| {
                painter.layout(
                    d.clone(),
                    FontId::proportional(DETAIL_SIZE),
                    Color32::from_gray(215),
                    wrap,
                )
            });
            let mut inner = title.size();
            if let Some(d) = &detail {
                inner.x = inner.x.max(d.size().x);
                inner.y += d.size().y + 2.0;
            }
            let panel = Rect::from_min_size(safe.min, inner + 2.0 * PADDING);
            painter.rect_filled(panel, 6.0, panel_colour(1.0));
            let mut at = panel.min + PADDING;
            let title_height = title.size().y;
            painter.galley(at, title, Color32::WHITE);
            if let Some(d) = detail {
                at.y += title_height + 2.0;
                painter.galley(at, d, Color32::WHITE);
            }
            out.caption = Some(panel);
        }

        // From the bottom up: the status line, then the messages, newest
        // lowest.
        let mut bottom = safe.max.y;
        if let Some(s) = &self.status {
            let galley = painter.layout(
                s.text.clone(),
                FontId::proportional(MESSAGE_SIZE),
                text_colour(s.level),
                wrap,
            );
            let panel = line_panel(&painter, safe.min.x, bottom, galley, s.level, 1.0);
            bottom = panel.min.y - GAP * 1.5;
            out.status = Some(panel);
        }
        let visible: Vec<VisibleToast<'_>> = self.toasts.visible(now).collect();
        let mut toasts: Option<Rect> = None;
        for t in visible.iter().rev() {
            if bottom <= safe.min.y {
                break;
            }
            let text = if t.count > 1 {
                format!("{}  (×{})", t.text, t.count)
            } else {
                t.text.to_string()
            };
            let galley = painter.layout(
                text,
                FontId::proportional(MESSAGE_SIZE),
                text_colour(t.level).gamma_multiply(t.alpha),
                wrap,
            );
            let panel = line_panel(&painter, safe.min.x, bottom, galley, t.level, t.alpha);
            bottom = panel.min.y - GAP;
            toasts = Some(toasts.map_or(panel, |r| r.union(panel)));
        }
        out.toasts = toasts;
        out
    }
}

/// One message panel whose bottom edge is at `bottom`: a dark box with a
/// coloured bar on its left.
fn line_panel(
    painter: &egui::Painter,
    left: f32,
    bottom: f32,
    galley: Arc<Galley>,
    level: Level,
    alpha: f32,
) -> Rect {
    let inner = galley.size();
    let size = Vec2::new(inner.x + 2.0 * PADDING.x + BAR, inner.y + 2.0 * PADDING.y);
    let panel = Rect::from_min_size(Pos2::new(left, bottom - size.y), size);
    painter.rect_filled(panel, 6.0, panel_colour(alpha));
    let bar = Rect::from_min_size(panel.min, Vec2::new(BAR, size.y));
    painter.rect_filled(
        bar,
        egui::CornerRadius {
            nw: 6,
            sw: 6,
            ne: 0,
            se: 0,
        },
        level_colour(level).gamma_multiply(alpha),
    );
    painter.galley(
        panel.min + Vec2::new(BAR + PADDING.x, PADDING.y),
        galley,
        Color32::WHITE,
    );
    panel
}

#[derive(Default)]
struct PointsDrawn {
    caption: Option<Rect>,
    toasts: Option<Rect>,
    status: Option<Rect>,
}

/// An egui-wgpu renderer for targets of `format`, set up as Kefir's
/// overlays want it (dithering only on sRGB targets, which egui's dithering
/// assumes).
pub fn renderer(device: &wgpu::Device, format: wgpu::TextureFormat) -> egui_wgpu::Renderer {
    egui_wgpu::Renderer::new(
        device,
        format,
        egui_wgpu::RendererOptions {
            dithering: format.is_srgb(),
            ..Default::default()
        },
    )
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
