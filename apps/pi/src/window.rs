//! The fallback display: a winit window (fullscreen unless `--size` is
//! given), for a Wayland kiosk (cage), a desktop during development, or
//! when KMS cannot be driven. `display.backend = "gl"` uses OpenGL where
//! Vulkan misbehaves.

use std::sync::Arc;
use std::sync::mpsc::Receiver;

use anyhow::{Context as _, Result, anyhow};
use serde_json::json;
use winit::application::ApplicationHandler;
use winit::event::{ElementState, WindowEvent};
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop};
use winit::keyboard::Key;
use winit::window::{Fullscreen, Window, WindowId};

use crate::config::Backend;
use crate::input::Action;
use crate::show::{Show, ShowOptions, surface_config};

/// Window size in pixels; `None`: fullscreen.
pub type Size = Option<(u32, u32)>;

struct App {
    options: Option<ShowOptions>,
    size: Size,
    backend: Backend,
    actions: Receiver<Action>,
    window: Option<Arc<Window>>,
    surface: Option<(wgpu::Surface<'static>, wgpu::SurfaceConfiguration)>,
    show: Option<Show>,
    fatal: Option<anyhow::Error>,
}

/// Runs the show in a window until it is closed or told to quit.
pub fn run(
    options: ShowOptions,
    size: Size,
    backend: Backend,
    actions: Receiver<Action>,
) -> Result<()> {
    let event_loop = EventLoop::new()
        .context("cannot open a window (no X or Wayland display, and KMS did not work)")?;
    event_loop.set_control_flow(ControlFlow::Poll);
    let mut app = App {
        options: Some(options),
        size,
        backend,
        actions,
        window: None,
        surface: None,
        show: None,
        fatal: None,
    };
    event_loop
        .run_app(&mut app)
        .map_err(|e| anyhow!("event loop: {e}"))?;
    if let Some(mut show) = app.show.take() {
        show.finish();
        app.note_failure(&mut show);
    }
    match app.fatal.take() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

impl App {
    /// Keeps why the show ended when it must be started again (the GPU was
    /// lost): `run` returns it as the error, so the process fails.
    fn note_failure(&mut self, show: &mut Show) {
        if let Some(why) = show.failure.take() {
            self.fatal
                .get_or_insert_with(|| anyhow!("{why}; exiting to be started again"));
        }
    }

    fn start(&mut self, event_loop: &ActiveEventLoop) -> Result<()> {
        let Some(mut options) = self.options.take() else {
            return Ok(());
        };
        let mut attrs = Window::default_attributes().with_title("Kefir");
        attrs = match self.size {
            Some((w, h)) => attrs.with_inner_size(winit::dpi::PhysicalSize::new(w, h)),
            None => attrs.with_fullscreen(Some(Fullscreen::Borderless(None))),
        };
        let window = Arc::new(
            event_loop
                .create_window(attrs)
                .context("creating the window")?,
        );
        let mut desc = wgpu::InstanceDescriptor::new_with_display_handle_from_env(Box::new(
            event_loop.owned_display_handle(),
        ));
        match self.backend {
            Backend::Vulkan => desc.backends = wgpu::Backends::VULKAN,
            Backend::Gl => desc.backends = wgpu::Backends::GL,
            Backend::Auto => {}
        }
        desc.flags = milk_engine::gpu::playback_instance_flags();
        let instance = wgpu::Instance::new(desc);
        let surface = instance
            .create_surface(window.clone())
            .context("creating the wgpu surface")?;
        let adapter = pollster::block_on(
            instance.request_adapter(&milk_engine::gpu::adapter_options(&surface)),
        )
        .map_err(|e| anyhow!("no graphics adapter can draw to this window ({e})"))?;
        let info = adapter.get_info();
        options.refresh_hz = window
            .current_monitor()
            .and_then(|m| m.refresh_rate_millihertz())
            .map_or(60.0, |mhz| f64::from(mhz) / 1000.0);
        let log = options.log;
        let show = Show::new(&adapter, options)?;
        let size = window.inner_size();
        let config = surface_config(&surface, &adapter, &show.device, size.width, size.height)?;
        log.emit(json!({
            "event": "ready",
            "display": "window",
            "width": config.width,
            "height": config.height,
            "format": format!("{:?}", config.format),
            "adapter": format!("{} ({:?})", info.name, info.backend),
            "window": x11_window_id(&window),
            "presets": show.presets(),
            "audio": show.audio_kind(),
        }));
        self.surface = Some((surface, config));
        self.show = Some(show);
        self.window = Some(window);
        Ok(())
    }
}

impl ApplicationHandler for App {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.window.is_none()
            && let Err(e) = self.start(event_loop)
        {
            self.fatal = Some(e);
            event_loop.exit();
        }
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, _id: WindowId, event: WindowEvent) {
        let Some(show) = &mut self.show else { return };
        match event {
            WindowEvent::CloseRequested => event_loop.exit(),
            WindowEvent::Resized(size) if size.width > 0 && size.height > 0 => {
                if let Some((surface, config)) = &mut self.surface {
                    config.width = size.width;
                    config.height = size.height;
                    surface.configure(&show.device, config);
                }
            }
            WindowEvent::KeyboardInput { event, .. } if event.state == ElementState::Pressed => {
                let text = match &event.logical_key {
                    Key::Character(c) => c.to_string(),
                    Key::Named(n) => format!("{n:?}"),
                    _ => return,
                };
                if let Some(action) = Action::for_char(&text) {
                    show.act(action);
                }
            }
            WindowEvent::RedrawRequested => {
                while let Ok(a) = self.actions.try_recv() {
                    show.act(a);
                }
                if let Some((surface, config)) = &self.surface {
                    show.frame(surface, config);
                }
                if show.quit {
                    event_loop.exit();
                }
            }
            _ => {}
        }
    }

    fn about_to_wait(&mut self, _event_loop: &ActiveEventLoop) {
        if let Some(w) = &self.window {
            w.request_redraw();
        }
    }

    fn exiting(&mut self, _event_loop: &ActiveEventLoop) {
        if let Some(mut show) = self.show.take() {
            show.finish();
            self.note_failure(&mut show);
        }
        self.surface = None;
    }
}

/// The X11 window id, for tests that capture the window.
fn x11_window_id(window: &Window) -> Option<u64> {
    use winit::raw_window_handle::{HasWindowHandle, RawWindowHandle};
    match window.window_handle().ok()?.as_raw() {
        #[allow(clippy::unnecessary_cast)]
        RawWindowHandle::Xlib(h) => Some(h.window as u64),
        RawWindowHandle::Xcb(h) => Some(u64::from(h.window.get())),
        _ => None,
    }
}
