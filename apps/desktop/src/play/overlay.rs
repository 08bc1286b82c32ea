//! What is drawn over the visuals (egui): the preset name after a switch,
//! the track, the frame rate, messages, the help and a searchable preset
//! browser. The visualizer keeps rendering underneath.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::{Align2, Color32, FontId, Key, RichText};
use kefir_hud::{Level, Toasts};
use kefir_player::Playlist;
use winit::window::Window;

use super::keys::HELP;

/// How long a message stays.
const TOAST_SECONDS: f64 = 4.0;
/// Messages shown at once.
const MAX_TOASTS: usize = 6;

/// What the overlay shows this frame.
pub struct Hud<'a> {
    pub preset: Option<&'a str>,
    pub locked: bool,
    pub favourite: bool,
    /// Title, seconds played, length.
    pub track: Option<(String, f64, Option<f64>)>,
    pub fps: f64,
    pub playlist: &'a Playlist,
    pub current: Option<&'a std::path::Path>,
}

/// What the user did in the overlay.
#[derive(Debug, Default)]
pub struct UiOutput {
    /// A preset picked in the browser.
    pub select: Option<PathBuf>,
}

struct Browser {
    query: String,
    /// Index into the matches of the highlighted row.
    highlighted: usize,
    focus: bool,
    scroll: bool,
}

pub struct Overlay {
    ctx: egui::Context,
    state: egui_winit::State,
    renderer: egui_wgpu::Renderer,
    pub show_help: bool,
    pub show_fps: bool,
    /// The name stays up (`i` / F3).
    pub show_name: bool,
    name_until: Option<Instant>,
    name_seconds: f64,
    /// Messages (kefir-hud's queue: more than [`MAX_TOASTS`] wait their
    /// turn, repeats count up).
    toasts: Toasts,
    browser: Option<Browser>,
}

impl Overlay {
    pub fn new(
        window: &Window,
        device: &wgpu::Device,
        format: wgpu::TextureFormat,
        name_seconds: f64,
        show_fps: bool,
    ) -> Overlay {
        let ctx = egui::Context::default();
        ctx.set_visuals(egui::Visuals::dark());
        let max_texture = device.limits().max_texture_dimension_2d as usize;
        let state = egui_winit::State::new(
            ctx.clone(),
            egui::ViewportId::ROOT,
            window,
            Some(window.scale_factor() as f32),
            None,
            Some(max_texture),
        );
        let renderer = kefir_hud::renderer(device, format);
        Overlay {
            ctx,
            state,
            renderer,
            show_help: false,
            show_fps,
            show_name: false,
            name_until: None,
            name_seconds,
            toasts: Toasts::new(MAX_TOASTS),
            browser: None,
        }
    }

    /// Passes a window event to egui; true when egui used it (typing in the
    /// browser's search field, clicking a row).
    pub fn on_event(&mut self, window: &Window, event: &winit::event::WindowEvent) -> bool {
        let response = self.state.on_window_event(window, event);
        response.consumed && self.wants_keyboard()
    }

    /// The browser has the keyboard.
    pub fn wants_keyboard(&self) -> bool {
        self.browser.is_some()
    }

    /// Shows the preset name for a while (after a switch).
    pub fn flash_name(&mut self) {
        if self.name_seconds > 0.0 {
            self.name_until = Some(Instant::now() + Duration::from_secs_f64(self.name_seconds));
        }
    }

    /// Shows a message for a few seconds.
    pub fn toast(&mut self, text: impl Into<String>, error: bool) {
        let level = if error { Level::Error } else { Level::Info };
        self.toasts.push(
            level,
            text,
            Duration::from_secs_f64(TOAST_SECONDS),
            Instant::now(),
        );
    }

    pub fn toggle_browser(&mut self) {
        self.browser = match self.browser {
            Some(_) => None,
            None => Some(Browser {
                query: String::new(),
                highlighted: 0,
                focus: true,
                scroll: true,
            }),
        };
    }

    /// Escape: closes what is open; false when nothing was.
    pub fn close_one(&mut self) -> bool {
        if self.browser.take().is_some() {
            return true;
        }
        if self.show_help {
            self.show_help = false;
            return true;
        }
        false
    }

    /// Draws the overlay over `view` (which holds the frame).
    #[allow(clippy::too_many_arguments)]
    pub fn draw(
        &mut self,
        window: &Window,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        view: &wgpu::TextureView,
        size: [u32; 2],
        hud: &Hud<'_>,
    ) -> UiOutput {
        let now = Instant::now();
        self.toasts.update(now);
        let raw = self.state.take_egui_input(window);
        let mut out = UiOutput::default();
        let ctx = self.ctx.clone();
        let full = ctx.run_pass(raw, |ctx| self.ui(ctx, hud, now, &mut out));
        self.state
            .handle_platform_output(window, full.platform_output);
        let target = kefir_hud::Target {
            view,
            size,
            label: "kefir overlay",
        };
        kefir_hud::paint_output(
            &mut self.renderer,
            &self.ctx,
            (device, queue, encoder),
            &target,
            full.shapes,
            full.pixels_per_point,
            full.textures_delta,
        );
        out
    }

    fn ui(&mut self, ctx: &egui::Context, hud: &Hud<'_>, now: Instant, out: &mut UiOutput) {
        let panel = egui::Frame::new()
            .fill(Color32::from_black_alpha(150))
            .corner_radius(4.0)
            .inner_margin(egui::Margin::symmetric(10, 6));

        // Preset name (and track), top left.
        let name_visible = self.show_name || self.name_until.is_some_and(|t| now < t);
        if name_visible {
            egui::Area::new(egui::Id::unique("kefir name"))
                .anchor(Align2::LEFT_TOP, [12.0, 12.0])
                .interactable(false)
                .show(ctx, |ui| {
                    panel.show(ui, |ui| {
                        let mut name = hud.preset.unwrap_or("(default preset)").to_string();
                        if hud.favourite {
                            name.push_str("  [favourite]");
                        }
                        if hud.locked {
                            name.push_str("  [locked]");
                        }
                        ui.add(
                            egui::Label::new(
                                RichText::new(name)
                                    .font(FontId::proportional(22.0))
                                    .color(Color32::WHITE),
                            )
                            .extend(),
                        );
                        if let Some((title, pos, len)) = &hud.track {
                            ui.add(
                                egui::Label::new(
                                    RichText::new(format!("{title}  {}", time_text(*pos, *len)))
                                        .font(FontId::proportional(15.0))
                                        .color(Color32::LIGHT_GRAY),
                                )
                                .extend(),
                            );
                        }
                    });
                });
        }

        // Frame rate, top right.
        if self.show_fps {
            egui::Area::new(egui::Id::unique("kefir fps"))
                .anchor(Align2::RIGHT_TOP, [-12.0, 12.0])
                .interactable(false)
                .show(ctx, |ui| {
                    panel.show(ui, |ui| {
                        ui.add(
                            egui::Label::new(
                                RichText::new(format!("{:.1} fps", hud.fps))
                                    .font(FontId::monospace(16.0))
                                    .color(Color32::WHITE),
                            )
                            .extend(),
                        );
                    });
                });
        }

        // Messages, bottom left.
        if !self.toasts.is_empty() {
            egui::Area::new(egui::Id::unique("kefir toasts"))
                .anchor(Align2::LEFT_BOTTOM, [12.0, -12.0])
                .interactable(false)
                .show(ctx, |ui| {
                    panel.show(ui, |ui| {
                        for t in self.toasts.visible(now) {
                            let base = if t.level == Level::Error {
                                Color32::from_rgb(255, 150, 130)
                            } else {
                                Color32::WHITE
                            };
                            let text = if t.count > 1 {
                                format!("{}  (×{})", t.text, t.count)
                            } else {
                                t.text.to_string()
                            };
                            ui.add(
                                egui::Label::new(
                                    RichText::new(text)
                                        .font(FontId::proportional(15.0))
                                        .color(base.gamma_multiply(t.alpha)),
                                )
                                .extend(),
                            );
                        }
                    });
                });
        }

        if self.show_help {
            let screen = ctx.content_rect();
            egui::Window::new("Kefir keys")
                .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
                .collapsible(false)
                .resizable(false)
                .max_height((screen.height() - 60.0).max(60.0))
                // A window holding a scroll area is only as tall as its
                // default height: ask for the whole screen, the scroll area
                // shrinks it to the rows (and scrolls only on a small window).
                .default_height(screen.height())
                .frame(panel)
                .show(ctx, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        egui::Grid::new("kefir help grid")
                            .num_columns(2)
                            .spacing([24.0, 4.0])
                            .show(ui, |ui| {
                                for (key, what) in HELP {
                                    ui.label(RichText::new(*key).monospace().color(Color32::WHITE));
                                    ui.label(*what);
                                    ui.end_row();
                                }
                            });
                    });
                });
        }

        if let Some(browser) = &mut self.browser {
            browser_ui(ctx, panel, browser, hud, out);
        }
    }
}

fn browser_ui(
    ctx: &egui::Context,
    panel: egui::Frame,
    browser: &mut Browser,
    hud: &Hud<'_>,
    out: &mut UiOutput,
) {
    let matches = hud.playlist.search(&browser.query);
    let (down, up, enter) = ctx.input(|i| {
        (
            i.key_pressed(Key::ArrowDown),
            i.key_pressed(Key::ArrowUp),
            i.key_pressed(Key::Enter),
        )
    });
    if down {
        browser.highlighted += 1;
        browser.scroll = true;
    }
    if up {
        browser.highlighted = browser.highlighted.saturating_sub(1);
        browser.scroll = true;
    }
    browser.highlighted = browser.highlighted.min(matches.len().saturating_sub(1));
    if enter && let Some(entry) = matches.get(browser.highlighted) {
        out.select = Some(entry.path.clone());
    }
    let screen = ctx.content_rect();
    egui::Window::new("Presets")
        .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
        .collapsible(false)
        .resizable(false)
        .fixed_size([
            (screen.width() * 0.6).clamp(240.0, 720.0),
            (screen.height() * 0.6).clamp(120.0, 640.0),
        ])
        .frame(panel)
        .show(ctx, |ui| {
            let edit = ui.add(
                egui::TextEdit::singleline(&mut browser.query)
                    .hint_text("search presets")
                    .desired_width(f32::INFINITY),
            );
            if browser.focus {
                edit.request_focus();
                browser.focus = false;
            }
            if edit.changed() {
                browser.highlighted = 0;
                browser.scroll = true;
            }
            ui.label(format!(
                "{} of {} presets  (up/down, enter: play, esc: close)",
                matches.len(),
                hud.playlist.len()
            ));
            ui.separator();
            let row = ui.text_style_height(&egui::TextStyle::Body);
            let scroll_to = browser.scroll.then_some(browser.highlighted);
            browser.scroll = false;
            let mut area = egui::ScrollArea::vertical().auto_shrink([false, false]);
            if let Some(i) = scroll_to {
                let spacing = ui.spacing().item_spacing.y;
                let y = i as f32 * (row + spacing);
                let visible = ui.available_height();
                area = area.vertical_scroll_offset((y - visible * 0.5).max(0.0));
            }
            area.show_rows(ui, row, matches.len(), |ui, range| {
                for i in range {
                    let entry = matches[i];
                    let playing = hud.current == Some(entry.path.as_path());
                    let mut text = RichText::new(&entry.name);
                    if playing {
                        text = text.strong().color(Color32::from_rgb(140, 220, 255));
                    }
                    let r = ui.selectable_label(i == browser.highlighted, text);
                    if r.clicked() {
                        out.select = Some(entry.path.clone());
                        browser.highlighted = i;
                    }
                }
            });
        });
}

/// `m:ss / m:ss`.
fn time_text(pos: f64, len: Option<f64>) -> String {
    let mmss = |s: f64| {
        let s = s.max(0.0) as u64;
        format!("{}:{:02}", s / 60, s % 60)
    };
    match len {
        Some(l) => format!("{} / {}", mmss(pos), mmss(l)),
        None => mmss(pos),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn times() {
        assert_eq!(super::time_text(65.4, Some(200.0)), "1:05 / 3:20");
        assert_eq!(super::time_text(5.0, None), "0:05");
    }
}
