//! The show itself, whatever it draws to (a KMS display or a window):
//! kefir-player on the adapter's device, the audio input, the render scale
//! governor and the device's cost file, the actions of keys and remotes,
//! and what it tells the journal (or, with `--log-state`, JSON lines) and
//! the screen (kefir-hud: config problems, skipped presets, the preset name
//! after "next"/"show name", "no audio input").

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use kefir_hud::{Hud, Level};
use kefir_player::{Player, PlayerConfig, PlayerEvent, WorkTimer};
use serde_json::{Value, json};

use crate::audio::AudioIn;
use crate::config::{Config, RenderScale};
use crate::input::Action;

/// v3dv's largest 2D texture (Pi 4 and 5): the box never asks for more, so
/// what works here works there.
pub const MAX_TEXTURE: u32 = 4096;
/// The longest frame time handed to the player.
const MAX_DT: f64 = 0.25;

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
    let mut l = wgpu::Limits::downlevel_defaults().using_resolution(adapter.limits());
    l.max_texture_dimension_1d = l.max_texture_dimension_1d.min(MAX_TEXTURE);
    l.max_texture_dimension_2d = l.max_texture_dimension_2d.min(MAX_TEXTURE);
    l
}

/// A non-sRGB 8-bit format when the surface has one (MilkDrop's colours are
/// display values), else the first.
pub fn pick_format(formats: &[wgpu::TextureFormat]) -> Option<wgpu::TextureFormat> {
    use wgpu::TextureFormat as F;
    [F::Bgra8Unorm, F::Rgba8Unorm]
        .into_iter()
        .find(|f| formats.contains(f))
        .or_else(|| formats.iter().copied().find(|f| !f.is_srgb()))
        .or_else(|| formats.first().copied())
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
    /// Problems found in the config files (shown on screen at the start).
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
        ..PlayerConfig::default()
    };
    c.engine.seed = seed;
    let fps = if config.display.target_fps > 0.0 {
        config.display.target_fps.min(refresh_hz.max(1.0))
    } else {
        refresh_hz.max(1.0)
    };
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
    /// What is shown over the visuals (made at the first frame, for the
    /// surface's format).
    hud: Option<Hud>,
    /// Messages for the screen until the HUD exists.
    pending: Vec<(Level, String)>,
    /// Show the name of the next preset that starts (after next/previous).
    caption_next: bool,
    /// The configured audio device is "demo".
    demo_asked: bool,
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
        let demo_asked = options
            .config
            .audio
            .device
            .trim()
            .eq_ignore_ascii_case("demo");
        let pending = options
            .problems
            .iter()
            .map(|p| (Level::Error, format!("config: {p}")))
            .collect();
        let now = Instant::now();
        Ok(Show {
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
            hud: None,
            pending,
            caption_next: false,
            demo_asked,
            quit: false,
        })
    }

    /// A message for the journal and the screen.
    fn tell(&mut self, level: Level, text: &str) {
        self.log.say(text);
        match &mut self.hud {
            Some(hud) => hud.message(level, text, Instant::now()),
            None => self.pending.push((level, text.to_owned())),
        }
    }

    /// The preset name top left for a few seconds.
    fn show_name(&mut self) {
        let name = self.player.current_name().unwrap_or("(none)").to_string();
        self.log.say(&format!("playing {name}"));
        if let Some(hud) = &mut self.hud {
            hud.caption(&name, Instant::now());
        }
    }

    /// The line that stays while there is no audio input.
    fn audio_status(&self) -> Option<&'static str> {
        match self.audio.kind() {
            "demo" if !self.demo_asked => Some("No audio input: playing the demo signal"),
            "none" => Some("No audio input"),
            _ => None,
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
        match action {
            Action::Next => {
                self.caption_next = true;
                self.player.next();
            }
            Action::Previous => {
                self.caption_next = true;
                self.player.previous();
            }
            Action::HardCut => {
                self.caption_next = true;
                self.player.hard_cut();
            }
            Action::Lock => {
                let locked = !self.player.locked();
                self.player.set_locked(locked);
                self.tell(
                    Level::Info,
                    if locked {
                        "preset locked"
                    } else {
                        "preset unlocked"
                    },
                );
            }
            Action::Favourite => {
                let on = self.player.toggle_favourite();
                let name = self.player.current_name().unwrap_or("?").to_string();
                let text = format!(
                    "{name}: {}",
                    if on { "favourite" } else { "not a favourite" }
                );
                self.tell(Level::Info, &text);
            }
            Action::ShowName => self.show_name(),
            Action::Quit => self.quit = true,
        }
    }

    /// Renders one frame to `surface` (configured with `config`) and
    /// presents it. Waits for the display's refresh (FIFO).
    pub fn frame(&mut self, surface: &wgpu::Surface<'_>, config: &wgpu::SurfaceConfiguration) {
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
            self.tell(Level::Info, &n);
            self.log
                .emit(json!({"event": "audio", "source": self.audio.kind()}));
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
        self.work.end(&self.queue);
        if let Err(e) = rendered
            && !self.render_error
        {
            self.tell(Level::Error, &format!("cannot render: {e}"));
            self.render_error = true;
        }
        self.events();
        self.paint_hud(&texture.texture, config);
        self.queue.present(texture);

        self.frames += 1;
        self.fps_frames += 1;
        let elapsed = self.fps_since.elapsed().as_secs_f64();
        if elapsed >= 1.0 {
            let fps = f64::from(self.fps_frames) / elapsed;
            let now = Instant::now();
            let on_screen: Vec<&str> = self
                .hud
                .as_ref()
                .map(|h| h.messages(now).map(|(text, _)| text).collect())
                .unwrap_or_default();
            self.log.emit(json!({
                "event": "fps",
                "fps": (fps * 10.0).round() / 10.0,
                "frames": self.frames,
                "scale": self.player.render_scale(),
                "width": config.width,
                "height": config.height,
                "on_screen": on_screen,
                "status": self.audio_status(),
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

    /// Draws the HUD over the frame in `texture`.
    fn paint_hud(&mut self, texture: &wgpu::Texture, config: &wgpu::SurfaceConfiguration) {
        let now = Instant::now();
        let status = self.audio_status();
        let hud = self
            .hud
            .get_or_insert_with(|| Hud::new(&self.device, config.format));
        for (level, text) in self.pending.drain(..) {
            hud.message(level, &text, now);
        }
        hud.set_status(status);
        if !hud.is_showing(now) {
            return;
        }
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        let mut encoder = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("kefir-pi hud"),
            });
        hud.paint(
            &self.device,
            &self.queue,
            &mut encoder,
            &view,
            [texture.width(), texture.height()],
            now,
        );
        self.queue.submit([encoder.finish()]);
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
                    if std::mem::take(&mut self.caption_next)
                        && let Some(hud) = &mut self.hud
                    {
                        hud.caption(&name, Instant::now());
                    }
                }
                PlayerEvent::Failed { path, error } => {
                    let what = path
                        .map(|p| {
                            p.file_name().map_or_else(
                                || p.display().to_string(),
                                |f| f.to_string_lossy().into(),
                            )
                        })
                        .unwrap_or_default();
                    self.tell(Level::Warning, &format!("skipped {what}: {error}"));
                }
                PlayerEvent::TooHeavy { name, frame_ms, .. } => {
                    self.tell(
                        Level::Info,
                        &format!(
                            "skipped {name}: too heavy for this device ({})",
                            frame_ms.map_or("the cost file says so".into(), |ms| format!(
                                "{ms:.1} ms a frame at the lowest scale"
                            ))
                        ),
                    );
                }
                PlayerEvent::RenderScale { scale } => {
                    self.log
                        .emit(json!({"event": "render_scale", "scale": scale}));
                }
                PlayerEvent::Warning { message } => self.tell(Level::Warning, &message),
                other => self
                    .log
                    .emit(json!({"event": "player", "detail": format!("{other:?}")})),
            }
        }
    }

    pub fn finish(&self) {
        self.log.emit(json!({
            "event": "quit",
            "frames": self.frames,
            "seconds": (self.started.elapsed().as_secs_f64() * 100.0).round() / 100.0,
        }));
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
    let caps = surface.get_capabilities(adapter);
    let format =
        pick_format(&caps.formats).ok_or_else(|| anyhow!("the surface offers no format"))?;
    let mut config = surface
        .get_default_config(adapter, width.max(1), height.max(1))
        .ok_or_else(|| anyhow!("the adapter cannot present to this surface"))?;
    config.format = format;
    config.present_mode = wgpu::PresentMode::Fifo;
    config.desired_maximum_frame_latency = 2;
    if caps.alpha_modes.contains(&wgpu::CompositeAlphaMode::Opaque) {
        config.alpha_mode = wgpu::CompositeAlphaMode::Opaque;
    }
    surface.configure(device, &config);
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wgpu::TextureFormat as F;

    #[test]
    fn formats() {
        assert_eq!(
            pick_format(&[F::Bgra8UnormSrgb, F::Bgra8Unorm]),
            Some(F::Bgra8Unorm)
        );
        assert_eq!(pick_format(&[F::Rgba8UnormSrgb]), Some(F::Rgba8UnormSrgb));
        assert_eq!(pick_format(&[]), None);
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
