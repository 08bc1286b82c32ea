//! The window: winit events, the wgpu surface, the frame loop.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow};
use kefir_player::{Player, PlayerConfig, PlayerEvent, WorkTimer};
use serde_json::json;
use winit::application::ApplicationHandler;
use winit::dpi::{LogicalSize, PhysicalPosition, PhysicalSize};
use winit::event::{ElementState, WindowEvent};
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop};
use winit::keyboard::{Key, ModifiersState, NamedKey};
use winit::monitor::MonitorHandle;
use winit::window::{Fullscreen, Window, WindowId};

use super::audio::{Audio, Notice};
use super::config::Settings;
use super::keys::{self, Action};
use super::overlay::{Hud, Overlay};
use super::playback::is_audio_file;
use super::screenshot;
use super::state::StateLog;

/// Beat sensitivity steps of `+` / `-`.
const SENSITIVITY_STEP: f32 = 0.05;
/// The longest frame time handed to the player (a stall does not make the
/// presets jump).
const MAX_DT: f64 = 0.25;
/// How long a window manager gets to make a window fullscreen before we
/// size it ourselves (X without a window manager ignores the request).
const FULLSCREEN_GRACE: Duration = Duration::from_millis(400);

/// What `run` was asked to do.
pub struct Options {
    pub settings: Settings,
    /// Audio files to play, in order.
    pub audio_files: Vec<PathBuf>,
    /// A preset to start with.
    pub start_preset: Option<PathBuf>,
    pub log_state: bool,
    pub quit_after: Option<f64>,
    pub seed: u64,
    /// Play audio files without sound.
    pub silent: bool,
    pub list_monitors: bool,
}

/// Opens the window and runs until it closes; returns the exit code.
pub fn run(options: Options) -> Result<u8> {
    let event_loop = EventLoop::new().context(
        "cannot open a window (no display?): `kefir` needs a desktop session; \
         for headless use see `kefir render --help`",
    )?;
    event_loop.set_control_flow(ControlFlow::Poll);
    let mut app = App::new(options);
    event_loop
        .run_app(&mut app)
        .map_err(|e| anyhow!("event loop: {e}"))?;
    match app.fatal.take() {
        Some(e) => Err(e),
        None => Ok(0),
    }
}

struct Gpu {
    device: wgpu::Device,
    queue: wgpu::Queue,
    surface: wgpu::Surface<'static>,
    config: wgpu::SurfaceConfiguration,
    /// The surface can be read back (screenshots straight from the frame).
    copy_src: bool,
    adapter: String,
    /// Raised when the device is lost ([`App::recover_from_gpu_loss`]).
    lost: Arc<AtomicBool>,
}

impl Gpu {
    /// Configures the surface for `size` (when it changed, or always with
    /// `force`) and logs the new size.
    fn resize(&mut self, size: PhysicalSize<u32>, log: &StateLog, force: bool) {
        if size.width == 0 || size.height == 0 {
            return;
        }
        let changed = (self.config.width, self.config.height) != (size.width, size.height);
        if changed || force {
            self.config.width = size.width;
            self.config.height = size.height;
            self.surface.configure(&self.device, &self.config);
        }
        if changed {
            log.emit(json!({
                "event": "resize",
                "width": size.width,
                "height": size.height,
            }));
        }
    }
}

/// Fullscreen we asked for and are watching.
struct FullscreenRequest {
    since: Instant,
    monitor: Option<MonitorHandle>,
    /// Where the window was, for going back.
    windowed: (Option<PhysicalPosition<i32>>, PhysicalSize<u32>),
    /// We sized the window ourselves.
    forced: bool,
}

struct Fps {
    since: Instant,
    frames: u32,
    value: f64,
}

struct App {
    options: Options,
    window: Option<Arc<Window>>,
    gpu: Option<Gpu>,
    player: Option<Player>,
    overlay: Option<Overlay>,
    audio: Audio,
    log: StateLog,
    modifiers: ModifiersState,
    last_frame: Option<Instant>,
    started: Instant,
    frames: u64,
    fps: Fps,
    fullscreen: Option<FullscreenRequest>,
    screenshot: bool,
    fatal: Option<anyhow::Error>,
    render_error: bool,
    next_frame_at: Option<Instant>,
    cursor_hidden: bool,
    /// No frames until then (the window is hidden).
    idle_until: Option<Instant>,
    /// GPU time of frames, for the player's render scale governor.
    work_timer: WorkTimer,
    /// When devices were lost lately.
    gpu_losses: Vec<Instant>,
    /// `KEFIR_TEST_GPU_LOSS_SECONDS`: when to lose the device on purpose
    /// (`device.destroy()`), for the test of what follows a loss.
    test_gpu_loss: Option<Duration>,
}

impl App {
    fn new(options: Options) -> App {
        let log = StateLog::new(options.log_state);
        let audio = if options.list_monitors {
            // Only listing: open no device.
            let demo = super::config::AudioSettings {
                demo: true,
                ..Default::default()
            };
            Audio::new(&demo, Vec::new(), true)
        } else {
            Audio::new(
                &options.settings.audio,
                options.audio_files.clone(),
                options.silent,
            )
        };
        let now = Instant::now();
        App {
            options,
            window: None,
            gpu: None,
            player: None,
            overlay: None,
            audio,
            log,
            modifiers: ModifiersState::empty(),
            last_frame: None,
            started: now,
            frames: 0,
            fps: Fps {
                since: now,
                frames: 0,
                value: 0.0,
            },
            fullscreen: None,
            screenshot: false,
            fatal: None,
            render_error: false,
            next_frame_at: None,
            cursor_hidden: false,
            idle_until: None,
            work_timer: WorkTimer::new(),
            gpu_losses: Vec::new(),
            test_gpu_loss: std::env::var("KEFIR_TEST_GPU_LOSS_SECONDS")
                .ok()
                .and_then(|s| s.parse::<f64>().ok())
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(Duration::from_secs_f64),
        }
    }

    fn fail(&mut self, event_loop: &ActiveEventLoop, e: anyhow::Error) {
        self.fatal = Some(e);
        event_loop.exit();
    }

    /// The monitor `--monitor N` names, else the primary one.
    fn monitor(&self, event_loop: &ActiveEventLoop) -> Option<MonitorHandle> {
        if let Some(n) = self.options.settings.window.monitor {
            match event_loop.available_monitors().nth(n) {
                Some(m) => return Some(m),
                None => eprintln!(
                    "kefir: no monitor {n} ({} found); using the primary monitor",
                    event_loop.available_monitors().count()
                ),
            }
        }
        event_loop
            .primary_monitor()
            .or_else(|| event_loop.available_monitors().next())
    }

    fn start(&mut self, event_loop: &ActiveEventLoop) -> Result<()> {
        let ws = self.options.settings.window.clone();
        let monitor = self.monitor(event_loop);
        let mut attrs = Window::default_attributes()
            .with_title("Kefir")
            .with_inner_size(LogicalSize::new(ws.width, ws.height))
            .with_min_inner_size(LogicalSize::new(64, 36))
            .with_resizable(true);
        if let Some(m) = &monitor {
            // Centred on the chosen monitor.
            let scale = m.scale_factor();
            let size = LogicalSize::new(ws.width, ws.height).to_physical::<i32>(scale);
            let (mx, my) = (m.position().x, m.position().y);
            let (mw, mh) = (m.size().width as i32, m.size().height as i32);
            attrs = attrs.with_position(PhysicalPosition::new(
                mx + ((mw - size.width) / 2).max(0),
                my + ((mh - size.height) / 2).max(0),
            ));
        }
        if ws.fullscreen {
            attrs = attrs.with_fullscreen(Some(Fullscreen::Borderless(monitor.clone())));
        }
        let window = Arc::new(
            event_loop
                .create_window(attrs)
                .context("creating the window")?,
        );

        let (gpu, player, overlay) = self.open_gpu(event_loop, &window, monitor.as_ref(), None)?;
        let (config, format) = (&gpu.config, gpu.config.format);
        self.log.emit(json!({
            "event": "ready",
            "width": config.width,
            "height": config.height,
            "scale": window.scale_factor(),
            "format": format!("{format:?}"),
            "present_mode": format!("{:?}", config.present_mode),
            "adapter": gpu.adapter,
            "window": x11_window_id(&window),
            "monitor": monitor.as_ref().and_then(|m| m.name()),
            "presets": player.playlist().len(),
            "audio": self.audio.kind(),
        }));
        self.gpu = Some(gpu);
        self.player = Some(player);
        self.overlay = Some(overlay);
        if let Some(p) = self.options.start_preset.clone()
            && let Some(player) = &mut self.player
        {
            player.load_file(&p);
        }
        if self.options.settings.presets.locked
            && let Some(player) = &mut self.player
        {
            player.set_locked(true);
        }
        if ws.fullscreen {
            // Watched like a toggle, for X without a window manager.
            self.fullscreen = Some(FullscreenRequest {
                since: Instant::now(),
                monitor,
                windowed: (
                    window.outer_position().ok(),
                    LogicalSize::new(ws.width, ws.height).to_physical(window.scale_factor()),
                ),
                forced: false,
            });
            self.log.emit(json!({"event": "fullscreen", "on": true}));
        }
        self.window = Some(window);
        Ok(())
    }

    /// Opens the GPU on `window`: instance, surface, adapter, device, the
    /// player and the overlay (at start, and again after a lost device).
    fn open_gpu(
        &mut self,
        event_loop: &ActiveEventLoop,
        window: &Arc<Window>,
        monitor: Option<&MonitorHandle>,
        previous: Option<&Player>,
    ) -> Result<(Gpu, Player, Overlay)> {
        let ws = self.options.settings.window.clone();
        let mut desc = wgpu::InstanceDescriptor::new_with_display_handle_from_env(Box::new(
            event_loop.owned_display_handle(),
        ));
        desc.flags = milk_engine::gpu::playback_instance_flags();
        let instance = wgpu::Instance::new(desc);
        let surface = instance
            .create_surface(window.clone())
            .context("creating the wgpu surface")?;
        let adapter = pollster::block_on(
            instance.request_adapter(&milk_engine::gpu::adapter_options(&surface)),
        )
        .map_err(|e| {
            anyhow!(
                "no graphics adapter can draw to this window ({e}); without a GPU install \
                 Mesa's software Vulkan (apt-get install mesa-vulkan-drivers) or try WGPU_BACKEND=gl"
            )
        })?;
        let info = adapter.get_info();
        let adapter_name = format!("{} ({:?})", info.name, info.backend);
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("kefir"),
            required_limits: milk_engine::gpu::native_limits(&adapter),
            ..Default::default()
        }))
        .context("the graphics adapter refused a device")?;
        // A GPU error must not take the visualizer down (wgpu's default
        // handler panics): say it and keep going.
        device.on_uncaptured_error(std::sync::Arc::new(|e: wgpu::Error| {
            eprintln!("kefir: GPU error: {e}");
        }));
        let lost = milk_engine::gpu::loss_flag(&device, |message| {
            eprintln!("kefir: the GPU device was lost: {message}");
        });

        let size = window.inner_size();
        let request = milk_engine::gpu::SurfaceRequest {
            size: (size.width, size.height),
            present_mode: if ws.vsync {
                wgpu::PresentMode::AutoVsync
            } else {
                wgpu::PresentMode::AutoNoVsync
            },
            readable: true,
        };
        let config = milk_engine::gpu::configure_surface(&surface, &adapter, &device, request)
            .context("setting up the window's surface")?;
        let format = config.format;
        let copy_src = config.usage.contains(wgpu::TextureUsages::COPY_SRC);

        let mut player_config = player_config(&self.options.settings, self.options.seed);
        if ws.auto_scale {
            // Frames must fit the display's refresh (or the frame cap).
            let hz = monitor
                .as_ref()
                .and_then(|m| m.refresh_rate_millihertz())
                .map_or(60.0, |mhz| f64::from(mhz) / 1000.0);
            let hz = if ws.max_fps > 0.0 {
                ws.max_fps.min(hz)
            } else {
                hz
            };
            player_config.pacing.budget = Some(Duration::from_secs_f64(1.0 / hz.max(1.0)));
            player_config.pacing.cost_file =
                kefir_perf::CostFile::default_path(&kefir_perf::DeviceInfo {
                    name: info.name.clone(),
                    backend: format!("{:?}", info.backend),
                });
        }
        let player = match previous {
            Some(previous) => previous.reopen_on(device.clone(), queue.clone()),
            None => Player::new(device.clone(), queue.clone(), player_config),
        }
        .map_err(|e| anyhow!(e))?;
        let overlay = Overlay::new(
            window,
            &device,
            format,
            self.options.settings.overlay.name_seconds,
            self.options.settings.overlay.show_fps,
        );
        let gpu = Gpu {
            device,
            queue,
            surface,
            config,
            copy_src,
            adapter: adapter_name,
            lost,
        };
        Ok((gpu, player, overlay))
    }

    /// The GPU device was lost: a reset, e.g. Windows stopping a frame
    /// that ran past its 2 s watchdog, after which nothing draws on that
    /// device again. Notes the preset that was playing (skipped from then
    /// on, [`Player::gpu_lost`]), opens a new device and player on the same
    /// window and goes on with another preset, keeping the lock. A third
    /// loss within a minute ends Kefir with the reason.
    fn recover_from_gpu_loss(&mut self, event_loop: &ActiveEventLoop) {
        let Some(window) = self.window.clone() else {
            return;
        };
        let now = Instant::now();
        self.gpu_losses
            .retain(|t| now.duration_since(*t) < Duration::from_secs(60));
        self.gpu_losses.push(now);
        let mut old = self.player.take();
        let (path, name) = match &mut old {
            Some(p) => (p.current_path().map(Path::to_path_buf), p.gpu_lost()),
            None => (None, None),
        };
        let what = match &name {
            Some(name) => format!("the GPU was lost while \"{name}\" played"),
            None => "the GPU was lost".to_owned(),
        };
        eprintln!("kefir: {what}");
        self.log
            .emit(json!({"event": "gpu_lost", "preset": name, "path": path}));
        if self.gpu_losses.len() > 2 {
            self.fail(
                event_loop,
                anyhow!("{what}, the third time within a minute"),
            );
            return;
        }
        // What the old device made goes before a new one comes (the old
        // player only lends its settings and marks to the new one).
        self.overlay = None;
        self.gpu = None;
        self.work_timer = WorkTimer::new();
        let monitor = self.monitor(event_loop);
        let (gpu, player, mut overlay) =
            match self.open_gpu(event_loop, &window, monitor.as_ref(), old.as_ref()) {
                Ok(opened) => opened,
                Err(e) => {
                    self.fail(event_loop, e.context(what));
                    return;
                }
            };
        drop(old);
        overlay.toast(format!("{what}: skipped it"), true);
        self.log.emit(json!({
            "event": "gpu_restored",
            "adapter": gpu.adapter,
            "preset": player.current_name(),
        }));
        self.gpu = Some(gpu);
        self.player = Some(player);
        self.overlay = Some(overlay);
        self.last_frame = None;
    }

    fn resize(&mut self, size: PhysicalSize<u32>) {
        if let Some(gpu) = &mut self.gpu {
            gpu.resize(size, &self.log, false);
        }
    }

    fn toast(&mut self, text: impl Into<String>, error: bool) {
        let text = text.into();
        if error {
            eprintln!("kefir: {text}");
        }
        if let Some(o) = &mut self.overlay {
            o.toast(text, error);
        }
    }

    fn toggle_fullscreen(&mut self, event_loop: &ActiveEventLoop) {
        let Some(window) = self.window.clone() else {
            return;
        };
        if window.fullscreen().is_some() || self.fullscreen.is_some() {
            self.leave_fullscreen();
        } else {
            let monitor = if self.options.settings.window.monitor.is_some() {
                self.monitor(event_loop)
            } else {
                window.current_monitor()
            };
            let windowed = (window.outer_position().ok(), window.inner_size());
            window.set_fullscreen(Some(Fullscreen::Borderless(monitor.clone())));
            self.fullscreen = Some(FullscreenRequest {
                since: Instant::now(),
                monitor,
                windowed,
                forced: false,
            });
            self.log.emit(json!({"event": "fullscreen", "on": true}));
        }
    }

    fn leave_fullscreen(&mut self) {
        let Some(window) = self.window.clone() else {
            return;
        };
        window.set_fullscreen(None);
        if let Some(req) = self.fullscreen.take()
            && req.forced
        {
            let (pos, size) = req.windowed;
            let _ = window.request_inner_size(size);
            if let Some(p) = pos {
                window.set_outer_position(p);
            }
        }
        self.log.emit(json!({"event": "fullscreen", "on": false}));
    }

    /// Without a window manager, X ignores fullscreen requests: size the
    /// window to the monitor ourselves.
    fn check_fullscreen(&mut self) {
        let (Some(window), Some(req)) = (&self.window, &mut self.fullscreen) else {
            return;
        };
        if req.forced || req.since.elapsed() < FULLSCREEN_GRACE {
            return;
        }
        let Some(monitor) = req.monitor.clone().or_else(|| window.current_monitor()) else {
            return;
        };
        if window.inner_size() != monitor.size() {
            window.set_outer_position(monitor.position());
            let _ = window.request_inner_size(monitor.size());
        }
        req.forced = true;
    }

    fn act(&mut self, action: Action, event_loop: &ActiveEventLoop) {
        self.log
            .emit(json!({"event": "action", "action": format!("{action:?}")}));
        let Some(player) = &mut self.player else {
            return;
        };
        match action {
            Action::Next => player.next(),
            Action::Previous => player.previous(),
            Action::Random => player.random(),
            Action::HardCut => player.hard_cut(),
            Action::ToggleLock => {
                let on = !player.locked();
                player.set_locked(on);
                self.log.emit(json!({"event": "locked", "on": on}));
                self.toast(
                    if on {
                        "preset locked"
                    } else {
                        "preset unlocked"
                    },
                    false,
                );
            }
            Action::SensitivityUp | Action::SensitivityDown => {
                let mut config = player.config().clone();
                let step = if action == Action::SensitivityUp {
                    SENSITIVITY_STEP
                } else {
                    -SENSITIVITY_STEP
                };
                config.beat_sensitivity =
                    ((config.beat_sensitivity + step) * 100.0).round() / 100.0;
                config.beat_sensitivity = config.beat_sensitivity.clamp(0.0, 1.0);
                let value = config.beat_sensitivity;
                let shown = (f64::from(value) * 100.0).round() / 100.0;
                if let Err(e) = player.set_config(config) {
                    self.toast(e.to_string(), true);
                } else {
                    self.log
                        .emit(json!({"event": "sensitivity", "value": shown}));
                    self.toast(format!("beat sensitivity {value:.2}"), false);
                }
            }
            Action::ToggleFavourite => {
                let on = player.toggle_favourite();
                let name = player.current_name().unwrap_or("preset").to_string();
                self.log.emit(json!({"event": "favourite", "on": on}));
                self.toast(
                    if on {
                        format!("{name} is a favourite")
                    } else {
                        format!("{name} is no longer a favourite")
                    },
                    false,
                );
            }
            Action::NeverAgain => {
                let name = player.current_name().unwrap_or("preset").to_string();
                player.never_again();
                self.toast(format!("{name} will not play again"), false);
            }
            Action::ToggleName => {
                if let Some(o) = &mut self.overlay {
                    o.show_name = !o.show_name;
                }
            }
            Action::ToggleFps => {
                if let Some(o) = &mut self.overlay {
                    o.show_fps = !o.show_fps;
                }
            }
            Action::ToggleHelp => {
                if let Some(o) = &mut self.overlay {
                    o.show_help = !o.show_help;
                }
            }
            Action::ToggleBrowser => {
                if let Some(o) = &mut self.overlay {
                    o.toggle_browser();
                }
            }
            Action::ToggleFullscreen => self.toggle_fullscreen(event_loop),
            Action::Back => {
                let closed = self.overlay.as_mut().is_some_and(|o| o.close_one());
                let full = self
                    .window
                    .as_ref()
                    .is_some_and(|w| w.fullscreen().is_some())
                    || self.fullscreen.is_some();
                if !closed && full {
                    self.leave_fullscreen();
                }
            }
            Action::Screenshot => self.screenshot = true,
            Action::Quit => event_loop.exit(),
        }
    }

    fn dropped(&mut self, path: PathBuf) {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if ext.as_deref() == Some("milk") {
            if let Some(p) = &mut self.player {
                p.load_file(&path);
            }
            self.log
                .emit(json!({"event": "dropped", "kind": "preset", "path": path}));
        } else if is_audio_file(&path) {
            self.audio.play_files(vec![path.clone()]);
            self.log
                .emit(json!({"event": "dropped", "kind": "audio", "path": path}));
        } else {
            self.toast(
                format!(
                    "{}: not a preset (.milk) or an audio file",
                    path.file_name().unwrap_or_default().to_string_lossy()
                ),
                true,
            );
        }
    }

    fn frame(&mut self, event_loop: &ActiveEventLoop) {
        let now = Instant::now();
        let dt = match self.last_frame {
            Some(t) => (now - t).as_secs_f64().min(MAX_DT),
            None => 1.0 / 60.0,
        };
        self.last_frame = Some(now);
        self.check_fullscreen();
        if let (Some(t), Some(gpu)) = (self.test_gpu_loss, &self.gpu)
            && self.started.elapsed() >= t
        {
            self.test_gpu_loss = None;
            gpu.device.destroy();
            gpu.lost.store(true, Ordering::Relaxed);
        }
        if self
            .gpu
            .as_ref()
            .is_some_and(|gpu| gpu.lost.load(Ordering::Relaxed))
        {
            self.recover_from_gpu_loss(event_loop);
            return;
        }

        let (Some(window), Some(gpu), Some(player), Some(overlay)) = (
            self.window.clone(),
            &mut self.gpu,
            &mut self.player,
            &mut self.overlay,
        ) else {
            return;
        };

        // How long the GPU took for an earlier frame: the render scale
        // governor and the heavy-preset check work from it.
        if let Some(work) = self.work_timer.take(&gpu.device) {
            player.report_frame_time(work);
        }

        // Audio of the last dt seconds.
        self.audio.pump(player, dt);
        for notice in self.audio.notices() {
            match notice {
                Notice::Source(s) => {
                    self.log.emit(json!({"event": "audio", "source": s}));
                    overlay.toast(s, false);
                }
                Notice::Warning(w) => {
                    eprintln!("kefir: {w}");
                    self.log.emit(json!({"event": "warning", "message": w}));
                    overlay.toast(w, true);
                }
            }
        }

        let mut suboptimal = false;
        let texture = match gpu.surface.get_current_texture() {
            wgpu::CurrentSurfaceTexture::Success(t) => t,
            wgpu::CurrentSurfaceTexture::Suboptimal(t) => {
                // Use it, and reconfigure for the next frame.
                suboptimal = true;
                t
            }
            wgpu::CurrentSurfaceTexture::Timeout | wgpu::CurrentSurfaceTexture::Occluded => {
                // Hidden or minimised: look again a little later instead of
                // spinning.
                self.idle_until = Some(now + Duration::from_millis(50));
                return;
            }
            wgpu::CurrentSurfaceTexture::Outdated | wgpu::CurrentSurfaceTexture::Lost => {
                gpu.resize(window.inner_size(), &self.log, true);
                return;
            }
            wgpu::CurrentSurfaceTexture::Validation => return,
        };

        let mut shot = None;
        if self.screenshot && !gpu.copy_src {
            // The surface cannot be read: draw this frame offscreen too.
            let size = texture.texture.size();
            let offscreen = milk_engine::gpu::offscreen_target(
                &gpu.device,
                (size.width, size.height),
                "kefir screenshot",
            );
            if player.render(dt, &offscreen).is_ok() {
                shot = Some(screenshot::save(
                    &gpu.device,
                    &gpu.queue,
                    &offscreen,
                    &self.options.settings.screenshot_dir(),
                    player.current_name(),
                ));
            }
            if let Err(e) = player.render(0.0, &texture.texture) {
                report_render_error(&mut self.render_error, e);
            }
        } else {
            self.work_timer.begin();
            let rendered = player.render(dt, &texture.texture);
            self.work_timer.end(&gpu.queue);
            match rendered {
                Err(e) => report_render_error(&mut self.render_error, e),
                Ok(()) if self.screenshot => {
                    shot = Some(screenshot::save(
                        &gpu.device,
                        &gpu.queue,
                        &texture.texture,
                        &self.options.settings.screenshot_dir(),
                        player.current_name(),
                    ));
                }
                Ok(()) => {}
            }
        }
        self.screenshot = false;
        match shot {
            Some(Ok(path)) => {
                self.log.emit(json!({"event": "screenshot", "path": path}));
                overlay.toast(format!("saved {}", path.display()), false);
            }
            Some(Err(e)) => {
                eprintln!("kefir: screenshot: {e:#}");
                overlay.toast(format!("screenshot failed: {e:#}"), true);
            }
            None => {}
        }

        for event in player.poll_events() {
            match event {
                PlayerEvent::Switched {
                    path, name, blend, ..
                } => {
                    self.log.emit(json!({
                        "event": "preset",
                        "name": name,
                        "path": path,
                        "blend": blend,
                    }));
                    overlay.flash_name();
                    window.set_title(&format!("{name} - Kefir"));
                }
                PlayerEvent::Failed { path, error } => {
                    let what = path
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|| "preset".into());
                    eprintln!("kefir: {what}: {error}");
                    self.log.emit(json!({
                        "event": "preset_failed",
                        "path": path,
                        "error": error,
                    }));
                    overlay.toast(format!("{what}: {error}"), true);
                }
                PlayerEvent::TooHeavy {
                    path,
                    name,
                    frame_ms,
                } => {
                    let why = frame_ms.map_or_else(
                        || "the cost file says it cannot keep up".to_owned(),
                        |ms| format!("{ms:.1} ms per frame at the lowest render scale"),
                    );
                    self.log.emit(json!({
                        "event": "preset_too_heavy",
                        "path": path,
                        "frame_ms": frame_ms,
                    }));
                    overlay.toast(format!("skipped {name}: {why}"), false);
                }
                PlayerEvent::RenderScale { scale } => {
                    self.log
                        .emit(json!({"event": "render_scale", "scale": scale}));
                }
                PlayerEvent::Warning { message } => {
                    eprintln!("kefir: {message}");
                    self.log
                        .emit(json!({"event": "warning", "message": message}));
                    overlay.toast(message, true);
                }
                other => {
                    self.log
                        .emit(json!({"event": "player", "detail": format!("{other:?}")}));
                }
            }
        }

        // The overlay on top.
        let view = texture
            .texture
            .create_view(&wgpu::TextureViewDescriptor::default());
        let mut encoder = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("kefir overlay"),
            });
        let hud = Hud {
            preset: player.current_name(),
            locked: player.locked(),
            favourite: player.is_favourite(),
            track: self.audio.track(),
            fps: self.fps.value,
            playlist: player.playlist(),
            current: player.current_path(),
        };
        let ui = overlay.draw(
            &window,
            &gpu.device,
            &gpu.queue,
            &mut encoder,
            &view,
            [gpu.config.width, gpu.config.height],
            &hud,
        );
        gpu.queue.submit([encoder.finish()]);
        window.pre_present_notify();
        gpu.queue.present(texture);
        if suboptimal {
            gpu.resize(window.inner_size(), &self.log, true);
        }
        if let Some(path) = ui.select {
            player.select(&path);
        }
        // No mouse pointer over a fullscreen picture, unless the help or
        // the browser is up.
        let hide = (window.fullscreen().is_some() || self.fullscreen.is_some())
            && !overlay.wants_keyboard()
            && !overlay.show_help;
        if hide != self.cursor_hidden {
            window.set_cursor_visible(!hide);
            self.cursor_hidden = hide;
        }

        self.frames += 1;
        self.fps.frames += 1;
        let elapsed = self.fps.since.elapsed().as_secs_f64();
        if elapsed >= 1.0 {
            self.fps.value = f64::from(self.fps.frames) / elapsed;
            self.log.emit(json!({
                "event": "fps",
                "fps": (self.fps.value * 10.0).round() / 10.0,
                "frames": self.frames,
                "width": gpu.config.width,
                "height": gpu.config.height,
            }));
            self.fps.since = Instant::now();
            self.fps.frames = 0;
        }
        if let Some(limit) = self.options.quit_after
            && self.started.elapsed().as_secs_f64() >= limit
        {
            event_loop.exit();
        }
    }
}

fn report_render_error(reported: &mut bool, e: milk_engine::RenderError) {
    if !*reported {
        eprintln!("kefir: cannot render to the window: {e}");
        *reported = true;
    }
}

impl ApplicationHandler for App {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.options.list_monitors {
            let primary = event_loop.primary_monitor();
            for (i, m) in event_loop.available_monitors().enumerate() {
                let size = m.size();
                let pos = m.position();
                println!(
                    "{i}: {} {}x{} at {},{} scale {}{}",
                    m.name().unwrap_or_else(|| "(unnamed)".into()),
                    size.width,
                    size.height,
                    pos.x,
                    pos.y,
                    m.scale_factor(),
                    if primary.as_ref() == Some(&m) {
                        " (primary)"
                    } else {
                        ""
                    }
                );
            }
            event_loop.exit();
            return;
        }
        if self.window.is_none()
            && let Err(e) = self.start(event_loop)
        {
            self.fail(event_loop, e);
        }
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, _id: WindowId, event: WindowEvent) {
        let Some(window) = self.window.clone() else {
            return;
        };
        let consumed = self
            .overlay
            .as_mut()
            .is_some_and(|o| o.on_event(&window, &event));
        match event {
            WindowEvent::CloseRequested => event_loop.exit(),
            WindowEvent::Resized(size) => self.resize(size),
            WindowEvent::ModifiersChanged(m) => self.modifiers = m.state(),
            WindowEvent::KeyboardInput {
                event,
                is_synthetic: false,
                ..
            } if event.state == ElementState::Pressed => {
                let Some(action) = keys::action(&event.logical_key, self.modifiers) else {
                    return;
                };
                // While the browser has the keyboard (typing a search), only
                // escape and the F-keys are hotkeys.
                let browsing = self.overlay.as_ref().is_some_and(|o| o.wants_keyboard());
                if (consumed || browsing)
                    && !matches!(
                        event.logical_key,
                        Key::Named(NamedKey::Escape | NamedKey::F1 | NamedKey::F3 | NamedKey::F4)
                    )
                {
                    return;
                }
                // Holding a key repeats only what makes sense to repeat.
                let repeats = matches!(
                    action,
                    Action::SensitivityUp
                        | Action::SensitivityDown
                        | Action::Next
                        | Action::Previous
                        | Action::Random
                );
                if event.repeat && !repeats {
                    return;
                }
                self.act(action, event_loop);
            }
            WindowEvent::DroppedFile(path) => self.dropped(path),
            WindowEvent::RedrawRequested => self.frame(event_loop),
            _ => {}
        }
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        let Some(window) = &self.window else { return };
        if let Some(until) = self.idle_until {
            if Instant::now() < until {
                event_loop.set_control_flow(ControlFlow::WaitUntil(until));
                return;
            }
            self.idle_until = None;
            event_loop.set_control_flow(ControlFlow::Poll);
        }
        let max_fps = self.options.settings.window.max_fps;
        if max_fps > 0.0 {
            let period = Duration::from_secs_f64(1.0 / max_fps);
            let now = Instant::now();
            let due = self.next_frame_at.unwrap_or(now);
            if now >= due {
                window.request_redraw();
                let next = due + period;
                self.next_frame_at = Some(if next < now { now + period } else { next });
            }
            event_loop.set_control_flow(ControlFlow::WaitUntil(
                self.next_frame_at.unwrap_or(now + period),
            ));
        } else {
            window.request_redraw();
        }
    }

    fn exiting(&mut self, _event_loop: &ActiveEventLoop) {
        let adapter = self.gpu.as_ref().map(|g| g.adapter.clone());
        let seconds = self.started.elapsed().as_secs_f64();
        self.log.emit(json!({
            "event": "quit",
            "frames": self.frames,
            "seconds": (seconds * 100.0).round() / 100.0,
            "adapter": adapter,
        }));
        // The player (and its worker thread) before the device.
        self.overlay = None;
        self.player = None;
        self.gpu = None;
    }
}

/// The X11 window id, for tests that drive the window with xdotool.
fn x11_window_id(window: &Window) -> Option<u64> {
    use winit::raw_window_handle::{HasWindowHandle, RawWindowHandle};
    match window.window_handle().ok()?.as_raw() {
        // c_ulong: 64 bits on 64-bit Linux, 32 elsewhere.
        #[allow(clippy::unnecessary_cast)]
        RawWindowHandle::Xlib(h) => Some(h.window as u64),
        RawWindowHandle::Xcb(h) => Some(u64::from(h.window.get())),
        _ => None,
    }
}

/// The player's settings from ours.
pub fn player_config(settings: &Settings, seed: u64) -> PlayerConfig {
    let p = &settings.presets;
    let mut c = PlayerConfig {
        preset_dirs: settings.preset_dirs(),
        include: p.include.clone(),
        exclude: p.exclude.clone(),
        texture_dirs: p.texture_dirs.clone(),
        prefs_path: milk_playlist::Prefs::default_path(),
        seed,
        // Previous, picks and dropped files are prepared on the worker
        // thread; the window never waits for one.
        defer_switches: true,
        ..PlayerConfig::default()
    };
    c.engine.seed = seed;
    c.engine.render_scale = settings.window.render_scale;
    c.engine.blur_scale = settings.window.blur_scale;
    if let Some([cols, rows]) = p.mesh {
        c.engine.mesh = (cols, rows);
    }
    if let Some(v) = p.shuffle {
        c.shuffle = v;
    }
    if let Some(v) = p.preset_seconds {
        c.preset_seconds = v;
    }
    if let Some(v) = p.preset_seconds_jitter {
        c.preset_seconds_jitter = v;
    }
    if let Some(v) = p.blend_seconds {
        c.blend_seconds = v;
    }
    if let Some(v) = p.hard_cuts {
        c.hard_cuts = v;
    }
    if let Some(v) = p.start_clean {
        c.start_clean = v;
    }
    if let Some(v) = settings.audio.beat_sensitivity {
        c.beat_sensitivity = v;
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_become_player_settings() {
        let mut s = Settings::default();
        s.presets.dirs = vec!["/p".into()];
        s.presets.shuffle = Some(false);
        s.presets.blend_seconds = Some(0.0);
        s.presets.mesh = Some([32, 24]);
        s.audio.beat_sensitivity = Some(0.8);
        let c = player_config(&s, 42);
        assert_eq!(c.preset_dirs, vec![PathBuf::from("/p")]);
        assert!(!c.shuffle);
        assert_eq!(c.blend_seconds, 0.0);
        assert_eq!(c.engine.mesh, (32, 24));
        assert_eq!(c.engine.seed, 42);
        assert_eq!(c.beat_sensitivity, 0.8);
        // What the settings leave alone keeps the player's defaults.
        let d = PlayerConfig::default();
        assert_eq!(c.preset_seconds, d.preset_seconds);
        assert_eq!(c.hard_cuts, d.hard_cuts);
    }
}
