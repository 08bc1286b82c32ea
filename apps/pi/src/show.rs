//! The show itself, whatever it draws to (a KMS display or a window):
//! kefir-player on the adapter's device, the audio input, the render scale
//! governor and the device's cost file, the actions of keys and remotes,
//! and what it tells the journal (or, with `--log-state`, JSON lines) and
//! the screen (kefir-hud: messages, the preset name, the status line).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use kefir_hud::{Hud, HudOptions, Level};
use kefir_player::{Player, PlayerConfig, PlayerEvent, WorkTimer};
use serde_json::{Value, json};

use crate::audio::AudioIn;
use crate::config::{Config, OverlayConfig, RenderScale};
use crate::input::Action;

/// v3dv's largest 2D texture (Pi 4 and 5): the box never asks for more, so
/// what works here works there.
pub const MAX_TEXTURE: u32 = 4096;
/// The longest frame time handed to the player.
const MAX_DT: f64 = 0.25;
/// How long the show-name key shows the name (when `overlay.preset_name`
/// is shorter).
const NAME_SECONDS: f64 = 6.0;
/// Messages on screen at once.
const MAX_TOASTS: usize = 4;
/// The longest message put on screen (the journal gets all of it).
const MAX_MESSAGE: usize = 200;

/// Messages for the journal (stderr), and state lines on stdout with
/// `--log-state`.
#[derive(Clone, Copy)]
pub struct Log {
    pub json: bool,
}

impl Log {
    pub fn emit(&self, v: Value) {
        if self.json {
            println!("{v}");
        }
    }
    /// A line for the journal.
    pub fn say(&self, text: &str) {
        eprintln!("kefir-pi: {text}");
        self.emit(json!({"event": "notice", "message": text}));
    }
}

/// The device's limits for the box: wgpu's downlevel defaults raised to the
/// adapter's resolution limits, capped at v3dv's.
pub fn limits(adapter: &wgpu::Adapter) -> wgpu::Limits {
    let mut l = milk_engine::gpu::native_limits(adapter);
    l.max_texture_dimension_1d = l.max_texture_dimension_1d.min(MAX_TEXTURE);
    l.max_texture_dimension_2d = l.max_texture_dimension_2d.min(MAX_TEXTURE);
    l
}

/// Where favourites and the cost file live: systemd's `StateDirectory`
/// (`/var/lib/kefir-pi`), else `~/.local/state/kefir-pi`.
pub fn state_dir() -> Option<PathBuf> {
    std::env::var_os("STATE_DIRECTORY")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state/kefir-pi"))
        })
}

/// The bundled presets as a directory: the package's copy
/// (`/usr/share/kefir-pi/presets`, or beside the binary), else the copies
/// embedded in the binary written to the state directory.
fn bundled_dir() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?.canonicalize().ok()?;
    let dir = exe.parent()?;
    for candidate in [
        dir.join("../share/kefir-pi/presets"),
        dir.join("presets"),
        dir.join("../../presets"),
        dir.join("../../../presets"),
    ] {
        if candidate.join("Kefir - Vortex Bloom.milk").is_file() {
            return Some(candidate);
        }
    }
    state_dir()
        .map(|d| d.join("bundled-presets"))
        .into_iter()
        .chain([std::env::temp_dir().join("kefir-pi-presets")])
        .find_map(|d| kefir_presets::install(&d).ok())
}

/// What a [`Show`] needs to start.
pub struct ShowOptions {
    pub config: Config,
    pub seed: u64,
    pub log: Log,
    pub quit_after: Option<f64>,
    /// The display's refresh, Hz.
    pub refresh_hz: f64,
    /// Bad settings found while reading the config, for the screen.
    pub problems: Vec<String>,
}

/// The player's settings from the box's.
pub fn player_config(config: &Config, seed: u64, refresh_hz: f64) -> PlayerConfig {
    let p = &config.presets;
    let mut dirs = Vec::new();
    if p.bundled {
        dirs.extend(bundled_dir());
    }
    dirs.extend(p.dirs.iter().cloned());
    let mut c = PlayerConfig {
        preset_dirs: dirs,
        shuffle: p.shuffle,
        preset_seconds: p.duration,
        // A preset plays exactly `duration` seconds (plus the blend).
        preset_seconds_jitter: 0.0,
        blend_seconds: p.blend,
        hard_cuts: p.hard_cuts,
        beat_sensitivity: config.audio.beat_sensitivity as f32,
        prefs_path: state_dir().map(|d| d.join("prefs.toml")),
        seed,
        // Previous on a remote is prepared on the worker thread: on a Pi a
        // preset takes far longer to prepare than a frame lasts.
        defer_switches: true,
        ..PlayerConfig::default()
    };
    c.engine.seed = seed;
    let fps = if config.display.target_fps > 0.0 {
        config.display.target_fps.min(refresh_hz.max(1.0))
    } else {
        refresh_hz.max(1.0)
    };
    c.engine.blur_scale = config.display.blur_scale as f32;
    match config.display.render_scale {
        RenderScale::Auto => {
            c.pacing.budget = Some(Duration::from_secs_f64(1.0 / fps));
            c.pacing.auto_scale = true;
        }
        RenderScale::Fixed(x) => {
            c.engine.render_scale = x;
            c.pacing.auto_scale = false;
        }
    }
    c
}

/// The running show.
pub struct Show {
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
    player: Player,
    audio: AudioIn,
    log: Log,
    started: Instant,
    last: Option<Instant>,
    frames: u64,
    fps_since: Instant,
    fps_frames: u32,
    work: WorkTimer,
    quit_after: Option<f64>,
    render_error: bool,
    overlay: OverlayConfig,
    /// Made at the first frame, for the surface's format.
    hud: Option<Hud>,
    /// Messages from before the HUD was made.
    early: Vec<(Level, String)>,
    /// The surface's format cannot take the HUD (said once).
    no_hud: bool,
    /// What the screen showed last, for `--log-state`.
    shown: Option<Value>,
    /// Set when the GPU device is lost (see [`Show::end_after_gpu_loss`]).
    gpu_lost: Arc<AtomicBool>,
    /// `KEFIR_PI_TEST_GPU_LOSS_SECONDS`: when to lose the device on purpose
    /// (`device.destroy()`), for the test of what follows a loss.
    test_gpu_loss: Option<Duration>,
    /// Why the show ended when it must be started again: `main` exits with
    /// a failure, and systemd starts it again (`Restart=on-failure`).
    pub failure: Option<String>,
    pub quit: bool,
}

impl Show {
    /// Opens the device on `adapter` and starts the player and the audio.
    pub fn new(adapter: &wgpu::Adapter, options: ShowOptions) -> Result<Show> {
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("kefir-pi"),
            required_limits: limits(adapter),
            ..Default::default()
        }))
        .map_err(|e| anyhow!("the graphics adapter refused a device: {e}"))?;
        device.on_uncaptured_error(std::sync::Arc::new(|e: wgpu::Error| {
            eprintln!("kefir-pi: GPU error: {e}");
        }));
        // A GPU reset (the driver recovering from a job that hung) loses the
        // device for good: the next frame sees the flag and ends the show.
        let gpu_lost = milk_engine::gpu::loss_flag(&device, |message| {
            eprintln!("kefir-pi: the GPU device was lost: {message}");
        });
        let test_gpu_loss = std::env::var("KEFIR_PI_TEST_GPU_LOSS_SECONDS")
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Duration::from_secs_f64);
        let info = adapter.get_info();
        let mut pc = player_config(&options.config, options.seed, options.refresh_hz);
        if pc.pacing.budget.is_some() {
            let device_info = kefir_perf::DeviceInfo {
                name: info.name.clone(),
                backend: format!("{:?}", info.backend),
            };
            pc.pacing.cost_file =
                state_dir().map(|d| d.join(format!("costs-{}.json", device_info.slug())));
        }
        let player = Player::new(device.clone(), queue.clone(), pc).map_err(|e| anyhow!(e))?;
        let audio = AudioIn::new(&options.config.audio);
        let now = Instant::now();
        let mut show = Show {
            device,
            queue,
            player,
            audio,
            log: options.log,
            started: now,
            last: None,
            frames: 0,
            fps_since: now,
            fps_frames: 0,
            work: WorkTimer::new(),
            quit_after: options.quit_after,
            render_error: false,
            overlay: options.config.overlay.clone(),
            hud: None,
            early: Vec::new(),
            no_hud: false,
            shown: None,
            gpu_lost,
            test_gpu_loss,
            failure: None,
            quit: false,
        };
        for p in options.problems {
            show.screen(Level::Warning, p);
        }
        Ok(show)
    }

    /// A message on screen (when `overlay.messages`; the caller tells the
    /// journal).
    fn screen(&mut self, level: Level, text: impl Into<String>) {
        if !self.overlay.messages {
            return;
        }
        let mut text: String = text.into();
        if text.chars().count() > MAX_MESSAGE {
            text = text.chars().take(MAX_MESSAGE - 1).collect::<String>() + "…";
        }
        match &mut self.hud {
            Some(hud) => hud.toast(level, text),
            None => self.early.push((level, text)),
        }
    }

    /// The preset name top left for `seconds`, with what is special about
    /// it under it.
    fn caption(&mut self, seconds: f64) {
        let p = &self.player;
        let name = p.current_name().unwrap_or("(no preset)").to_string();
        let detail = [(p.locked(), "locked"), (p.is_favourite(), "favourite")]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, w)| *w)
            .collect::<Vec<_>>()
            .join(" · ");
        if let Some(hud) = &mut self.hud {
            hud.caption(
                name,
                (!detail.is_empty()).then_some(detail),
                Some(Duration::from_secs_f64(seconds)),
            );
        }
    }

    /// The HUD for `format`, made (or remade) when needed.
    fn hud_for(&mut self, format: wgpu::TextureFormat) -> Option<&mut Hud> {
        if self.no_hud {
            return None;
        }
        if self.hud.as_ref().is_none_or(|h| h.format() != format) {
            let options = HudOptions {
                text_scale: self.overlay.text_size as f32,
                max_toasts: MAX_TOASTS,
                ..HudOptions::default()
            };
            match Hud::new(&self.device, format, options) {
                Ok(mut hud) => {
                    for (level, text) in self.early.drain(..) {
                        hud.toast(level, text);
                    }
                    self.hud = Some(hud);
                }
                Err(e) => {
                    self.log
                        .say(&format!("nothing can be written on screen: {e}"));
                    self.hud = None;
                    self.early.clear();
                    self.overlay.messages = false;
                    self.no_hud = true;
                    return None;
                }
            }
        }
        self.hud.as_mut()
    }

    /// Draws the HUD over the frame in `texture`.
    fn draw_hud(&mut self, texture: &wgpu::Texture) {
        let status = self.audio.indicator();
        let device = self.device.clone();
        let queue = self.queue.clone();
        if self.hud_for(texture.format()).is_none() {
            return;
        }
        let log = self.log;
        let Some(hud) = self.hud.as_mut() else {
            return;
        };
        hud.set_status(status);
        let now = Instant::now();
        if !hud.is_active(now) {
            if self.shown.take().is_some() {
                log.emit(json!({"event": "overlay", "shown": null}));
            }
            return;
        }
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("kefir-pi hud"),
        });
        let drawn = hud.draw_at(
            &device,
            &queue,
            &mut encoder,
            &view,
            [texture.width(), texture.height()],
            now,
        );
        queue.submit([encoder.finish()]);
        if log.json {
            // What is on screen, when it changes (tests look for it).
            let region = |r: Option<kefir_hud::Region>| {
                r.map(|r| {
                    [
                        r.min[0].round(),
                        r.min[1].round(),
                        r.max[0].round(),
                        r.max[1].round(),
                    ]
                })
            };
            let shown = json!({
                "caption": hud.caption_text(now),
                "toasts": hud.toasts().visible(now).map(|t| t.text.to_string()).collect::<Vec<_>>(),
                "status": hud.status().map(|s| s.text.clone()),
                "regions": {
                    "caption": region(drawn.caption),
                    "toasts": region(drawn.toasts),
                    "status": region(drawn.status),
                },
            });
            let key = json!([shown["caption"], shown["toasts"], shown["status"]]);
            if self.shown.as_ref() != Some(&key) {
                log.emit(json!({"event": "overlay", "shown": shown}));
                self.shown = Some(key);
            }
        }
    }

    pub fn presets(&self) -> usize {
        self.player.playlist().len()
    }

    pub fn audio_kind(&self) -> &'static str {
        self.audio.kind()
    }

    /// Does what a key or remote asked.
    pub fn act(&mut self, action: Action) {
        self.log
            .emit(json!({"event": "action", "action": format!("{action:?}")}));
        let p = &mut self.player;
        match action {
            Action::Next => p.next(),
            Action::Previous => p.previous(),
            Action::HardCut => p.hard_cut(),
            Action::Lock => {
                let locked = !p.locked();
                p.set_locked(locked);
                let text = if locked {
                    "preset locked"
                } else {
                    "preset unlocked"
                };
                self.log.say(text);
                self.screen(Level::Info, capitalised(text));
            }
            Action::Favourite => {
                let on = p.toggle_favourite();
                let name = p.current_name().unwrap_or("?").to_string();
                let text = format!(
                    "{name}: {}",
                    if on { "favourite" } else { "not a favourite" }
                );
                self.log.say(&text);
                self.screen(Level::Info, text);
            }
            Action::ShowName => {
                let name = p.current_name().unwrap_or("(none)").to_string();
                self.log.say(&format!("playing {name}"));
                self.caption(self.overlay.preset_name.max(NAME_SECONDS));
            }
            Action::Quit => self.quit = true,
        }
    }

    /// Renders one frame to `surface` (configured with `config`) and
    /// presents it. Waits for the display's refresh (FIFO).
    pub fn frame(&mut self, surface: &wgpu::Surface<'_>, config: &wgpu::SurfaceConfiguration) {
        if self
            .test_gpu_loss
            .is_some_and(|t| self.started.elapsed() >= t)
        {
            self.test_gpu_loss = None;
            self.device.destroy();
            self.gpu_lost.store(true, Ordering::Relaxed);
        }
        if self.gpu_lost.load(Ordering::Relaxed) {
            self.end_after_gpu_loss();
            return;
        }
        let now = Instant::now();
        let dt = self
            .last
            .map_or(1.0 / 60.0, |t| (now - t).as_secs_f64().min(MAX_DT));
        self.last = Some(now);
        if let Some(work) = self.work.take(&self.device) {
            self.player.report_frame_time(work);
        }
        self.audio.pump(&mut self.player, dt);
        for n in self.audio.notices() {
            self.log.say(&n.text);
            self.log
                .emit(json!({"event": "audio", "source": self.audio.kind()}));
            if n.screen {
                self.screen(
                    Level::Info,
                    capitalised(n.text.trim_start_matches("audio: ")),
                );
            }
        }
        let texture = match surface.get_current_texture() {
            wgpu::CurrentSurfaceTexture::Success(t)
            | wgpu::CurrentSurfaceTexture::Suboptimal(t) => t,
            wgpu::CurrentSurfaceTexture::Timeout | wgpu::CurrentSurfaceTexture::Occluded => {
                std::thread::sleep(Duration::from_millis(20));
                return;
            }
            wgpu::CurrentSurfaceTexture::Outdated | wgpu::CurrentSurfaceTexture::Lost => {
                surface.configure(&self.device, config);
                return;
            }
            wgpu::CurrentSurfaceTexture::Validation => return,
        };
        self.work.begin();
        let rendered = self.player.render(dt, &texture.texture);
        if rendered.is_ok() {
            self.draw_hud(&texture.texture);
        }
        self.work.end(&self.queue);
        if let Err(e) = rendered
            && !self.render_error
        {
            self.log.say(&format!("cannot render: {e}"));
            self.render_error = true;
        }
        self.queue.present(texture);
        self.events();

        self.frames += 1;
        self.fps_frames += 1;
        let elapsed = self.fps_since.elapsed().as_secs_f64();
        if elapsed >= 1.0 {
            let fps = f64::from(self.fps_frames) / elapsed;
            self.log.emit(json!({
                "event": "fps",
                "fps": (fps * 10.0).round() / 10.0,
                "frames": self.frames,
                "scale": self.player.render_scale(),
                "width": config.width,
                "height": config.height,
            }));
            self.fps_since = Instant::now();
            self.fps_frames = 0;
        }
        if let Some(limit) = self.quit_after
            && self.started.elapsed().as_secs_f64() >= limit
        {
            self.quit = true;
        }
    }

    fn events(&mut self) {
        for event in self.player.poll_events() {
            match event {
                PlayerEvent::Switched {
                    path, name, blend, ..
                } => {
                    eprintln!("kefir-pi: playing {name}");
                    self.log.emit(json!({
                        "event": "preset", "name": name, "path": path, "blend": blend,
                    }));
                    if self.overlay.preset_name > 0.0 {
                        self.caption(self.overlay.preset_name);
                    }
                }
                PlayerEvent::Failed { path, error } => {
                    let what = path
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    self.log.say(&format!("skipped {what}: {error}"));
                    let name = path
                        .as_ref()
                        .and_then(|p| p.file_stem())
                        .map_or("a preset".into(), |n| n.to_string_lossy().into_owned());
                    let first = error.lines().next().unwrap_or("").trim();
                    self.screen(Level::Error, format!("Skipped {name}: {first}"));
                }
                PlayerEvent::TooHeavy { name, frame_ms, .. } => {
                    self.screen(
                        Level::Info,
                        format!("Skipped {name}: too heavy for this device"),
                    );
                    self.log.say(&format!(
                        "skipped {name}: too heavy for this device ({})",
                        frame_ms.map_or("the cost file says so".into(), |ms| format!(
                            "{ms:.1} ms a frame at the lowest scale"
                        ))
                    ));
                }
                PlayerEvent::RenderScale { scale } => {
                    self.log
                        .emit(json!({"event": "render_scale", "scale": scale}));
                }
                PlayerEvent::Warning { message } => {
                    self.log.say(&message);
                    self.screen(Level::Warning, capitalised(&message));
                }
                other => self
                    .log
                    .emit(json!({"event": "player", "detail": format!("{other:?}")})),
            }
        }
    }

    /// The GPU device is gone: notes the preset that was playing (skipped
    /// on this device from then on, [`Player::gpu_lost`]) and ends the show
    /// with a failure, so that systemd starts it again on a new device
    /// instead of a black screen staying until someone pulls the plug.
    fn end_after_gpu_loss(&mut self) {
        if self.quit {
            return;
        }
        let preset = self.player.gpu_lost();
        let text = match &preset {
            Some(name) => {
                format!("the GPU was lost while \"{name}\" played; it is skipped from now on")
            }
            None => "the GPU was lost".to_owned(),
        };
        self.log.say(&text);
        self.log
            .emit(json!({"event": "gpu_lost", "preset": preset}));
        self.failure = Some(text);
        self.quit = true;
    }

    pub fn finish(&self) {
        self.log.emit(json!({
            "event": "quit",
            "frames": self.frames,
            "seconds": (self.started.elapsed().as_secs_f64() * 100.0).round() / 100.0,
        }));
    }
}

/// `text` with its first letter in upper case (journal lines start in
/// lower case after `kefir-pi: `; messages on screen stand alone).
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Configures `surface` for the box: a non-sRGB format, FIFO (no tearing),
/// opaque.
pub fn surface_config(
    surface: &wgpu::Surface<'_>,
    adapter: &wgpu::Adapter,
    device: &wgpu::Device,
    width: u32,
    height: u32,
) -> Result<wgpu::SurfaceConfiguration> {
    let request = milk_engine::gpu::SurfaceRequest {
        size: (width, height),
        present_mode: wgpu::PresentMode::Fifo,
        readable: false,
    };
    Ok(milk_engine::gpu::configure_surface(
        surface, adapter, device, request,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitals() {
        assert_eq!(capitalised("preset locked"), "Preset locked");
        assert_eq!(capitalised("éa"), "Éa");
        assert_eq!(capitalised(""), "");
    }

    #[test]
    fn scale_and_budget() {
        let mut c = Config::default();
        c.presets.bundled = false;
        let p = player_config(&c, 3, 60.0);
        assert_eq!(p.pacing.budget, Some(Duration::from_secs_f64(1.0 / 60.0)));
        assert!(p.pacing.auto_scale);
        c.display.target_fps = 30.0;
        let p = player_config(&c, 3, 60.0);
        assert_eq!(p.pacing.budget, Some(Duration::from_secs_f64(1.0 / 30.0)));
        c.display.render_scale = RenderScale::Fixed(0.5);
        let p = player_config(&c, 3, 60.0);
        assert_eq!(p.engine.render_scale, 0.5);
        assert!(!p.pacing.auto_scale);
        assert_eq!(p.preset_seconds, 16.0);
        assert_eq!(p.engine.seed, 3);
        assert!(p.preset_dirs.is_empty());
    }
}
