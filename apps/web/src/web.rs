//! The wasm-bindgen side: a [`Core`] owns a wgpu device on a canvas (WebGPU
//! where an adapter exists, else WebGL2) and a [`Player`] on it. The JS
//! module (`www/kefir.js`) wraps it in the butterchurn-like API and feeds it
//! audio and animation frames.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use kefir_player::{Pacing, Player, PlayerConfig};
use milk_audio::DemoInput;
use milk_playlist::Prefs;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::report::{Event, FpsMeter, Report, list, text_path};

/// Which graphics API to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Api {
    WebGpu,
    WebGl2,
}

/// Panics go to the console (once).
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            web_sys::console::error_1(&format!("kefir: {info}").into());
        }));
    });
}

fn js_error(message: impl std::fmt::Display) -> JsValue {
    js_sys::Error::new(&message.to_string()).into()
}

/// What `loadPreset` and `select` return while the preset is prepared.
#[derive(serde::Serialize)]
struct PendingRequest {
    pending: bool,
    request: u64,
}

/// `value` as a plain JS object (maps as objects, as JSON would have it).
pub(crate) fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// Whether the browser offers a WebGPU adapter (Chrome on Linux has
/// `navigator.gpu` but no adapter).
#[wasm_bindgen(js_name = webgpuAvailable)]
pub async fn webgpu_available() -> bool {
    wgpu::util::is_browser_webgpu_supported().await
}

/// The engine behind one canvas.
#[wasm_bindgen]
pub struct Core {
    player: Player,
    device: wgpu::Device,
    queue: wgpu::Queue,
    surface: wgpu::Surface<'static>,
    surface_config: wgpu::SurfaceConfiguration,
    /// The canvas the surface draws on: with automatic scaling its drawing
    /// buffer is the display size times the player's output scale, and the
    /// browser stretches it to the element.
    canvas: HtmlCanvasElement,
    /// The drawing buffer size asked for (`setSize`), device pixels.
    display: (u32, u32),
    backend: &'static str,
    adapter: String,
    /// The demo track while no audio is pushed.
    demo: Option<DemoInput>,
    last_ms: Option<f64>,
    frames: u64,
    fps: FpsMeter,
    events: Vec<Event>,
    /// The last report of a preset that started or failed.
    last_report: Option<Report>,
    /// The `loadPreset`/`select` request whose preset is being prepared
    /// (its report event carries the number), and the last number given.
    waiting: Option<u64>,
    requests: u64,
    /// Set when the browser loses the device: nothing touches it after
    /// that (wgpu's WebGPU backend panics on calls to a lost device).
    lost: Arc<AtomicBool>,
}

const LOST: &str = "the graphics device was lost";

#[wasm_bindgen]
impl Core {
    /// Opens `api` ("webgpu" or "webgl2") on `canvas` and starts a player
    /// with the bundled presets. A failed WebGPU attempt may have claimed
    /// the canvas: retry WebGL2 on a fresh one. `lost_with`: the playlist
    /// path of a preset that was playing when the page lost its graphics
    /// context, marked broken before anything plays.
    pub async fn create(
        canvas: HtmlCanvasElement,
        api: String,
        seed: f64,
        lost_with: Option<String>,
    ) -> Result<Core, JsValue> {
        install_panic_hook();
        let api = match api.as_str() {
            "webgpu" => Api::WebGpu,
            "webgl2" => Api::WebGl2,
            other => return Err(js_error(format!("unknown graphics API {other:?}"))),
        };
        let width = canvas.width().max(1);
        let height = canvas.height().max(1);
        let mut desc = wgpu::InstanceDescriptor::new_without_display_handle();
        desc.backends = match api {
            Api::WebGpu => wgpu::Backends::BROWSER_WEBGPU,
            Api::WebGl2 => wgpu::Backends::GL,
        };
        let instance = wgpu::Instance::new(desc);
        let surface = instance
            .create_surface(wgpu::SurfaceTarget::Canvas(canvas.clone()))
            .map_err(|e| js_error(format!("cannot draw on the canvas: {e}")))?;
        let adapter = instance
            .request_adapter(&milk_engine::gpu::adapter_options(&surface))
            .await
            .map_err(|e| js_error(format!("no graphics adapter: {e}")))?;
        // The engine runs within WebGL2's limits; only the texture size is
        // raised to what the adapter offers.
        let limits = milk_engine::gpu::webgl2_limits(&adapter);
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("kefir"),
                required_features: wgpu::Features::empty(),
                required_limits: limits,
                ..Default::default()
            })
            .await
            .map_err(|e| js_error(format!("no graphics device: {e}")))?;
        // Errors WebGPU reports late (the page never blocks on an error
        // scope) are logged, not fatal.
        device.on_uncaptured_error(Arc::new(|error| {
            web_sys::console::error_1(&format!("kefir: wgpu: {error}").into());
        }));
        // Any reason counts here: browsers report a device they lost (not
        // one the page destroyed) as "destroyed" too, and wgpu's WebGPU
        // backend panics on calls to a lost device.
        let lost = Arc::new(AtomicBool::new(false));
        let flag = lost.clone();
        device.set_device_lost_callback(move |reason, message| {
            flag.store(true, Ordering::Relaxed);
            web_sys::console::error_1(&format!("kefir: {LOST} ({reason:?}): {message}").into());
        });
        let mut surface_config = surface
            .get_default_config(&adapter, width, height)
            .ok_or_else(|| js_error("the canvas offers no usable surface format"))?;
        // WebGL2 canvases list their sRGB format first; a non-sRGB one
        // takes MilkDrop's display values without the present pass's copy.
        let formats = surface.get_capabilities(&adapter).formats;
        if let Some(format) = milk_engine::surface_format(&formats) {
            surface_config.format = format;
        }
        surface_config.present_mode = wgpu::PresentMode::Fifo;
        surface.configure(&device, &surface_config);
        let info = adapter.get_info();
        let backend = match info.backend {
            wgpu::Backend::BrowserWebGpu => "WebGPU",
            wgpu::Backend::Gl => "WebGL2",
            _ => "other",
        };
        let seed = if seed.is_finite() { seed as u64 } else { 0 };
        let config = PlayerConfig {
            // No threads in the page: the next preset is prepared a step a
            // frame on the page's thread (kefir-player's stepping worker),
            // and so is any other preset asked for (previous, a pick,
            // loadPreset, a drop): it starts once prepared, the frames go
            // on meanwhile.
            preload: true,
            defer_switches: true,
            seed,
            engine: milk_engine::Config {
                seed,
                ..milk_engine::Config::default()
            },
            // The render scale is applied to the canvas's drawing buffer
            // (`setPacing` turns the governor on): the browser's compositor
            // stretches it for free, where the engine would add a
            // full-screen copy. A page cannot tell a preset too heavy for
            // the device from a browser holding frames back, so none is
            // skipped.
            pacing: Pacing {
                budget: None,
                host_scales: true,
                heavy_seconds: 0.0,
                ..Pacing::default()
            },
            ..PlayerConfig::default()
        };
        let mut player = Player::new(device.clone(), queue.clone(), config)
            .map_err(|e| js_error(e.to_string()))?;
        player.add_texts(
            kefir_presets::BUNDLED
                .iter()
                .map(|p| (text_path("bundled", p.file_name), p.text().into_owned())),
        );
        let mut core = Core {
            player,
            device,
            queue,
            surface,
            surface_config,
            canvas,
            display: (width, height),
            backend,
            adapter: info.name,
            demo: Some(DemoInput::default()),
            last_ms: None,
            frames: 0,
            fps: FpsMeter::default(),
            events: Vec::new(),
            last_report: None,
            waiting: None,
            requests: 0,
            lost,
        };
        if let Some(path) = lost_with {
            core.player.mark_broken(
                Path::new(&path),
                "the graphics context was lost while it played",
            );
        }
        core.player.next();
        core.drain_events();
        Ok(core)
    }

    /// "WebGPU" or "WebGL2".
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> String {
        self.backend.to_owned()
    }

    /// Whether the browser lost the graphics device (the visualizer then
    /// stops; make a new one on a fresh canvas).
    #[wasm_bindgen(getter)]
    pub fn lost(&self) -> bool {
        self.lost.load(Ordering::Relaxed)
    }

    /// Sets the canvas's drawing buffer size (device pixels); the next
    /// frame draws at the new size. With automatic scaling the buffer is
    /// this size times the render scale.
    #[wasm_bindgen(js_name = setSize)]
    pub fn set_size(&mut self, width: u32, height: u32) {
        self.display = (width.max(1), height.max(1));
        self.fit_canvas();
    }

    /// Automatic render scale: with `auto_scale`, the drawing buffer
    /// shrinks (down to `min_scale` of the size asked for, each side) while
    /// frames miss `budget_ms` (the display's refresh interval; 16.7 for
    /// 60 Hz) and grows back a step at preset switches while they keep up.
    /// The canvas must be sized by CSS, since its buffer size changes. Off
    /// by default.
    #[wasm_bindgen(js_name = setPacing)]
    pub fn set_pacing(&mut self, auto_scale: bool, budget_ms: f64, min_scale: f64) {
        let mut config = self.player.config().clone();
        let budget_ms = if auto_scale { budget_ms } else { 0.0 };
        config.pacing = config.pacing.with_budget_ms(budget_ms, min_scale as f32);
        if config.pacing != self.player.config().pacing {
            if let Err(e) = self.player.set_config(config) {
                web_sys::console::error_1(&format!("kefir: {e}").into());
            }
            self.drain_events();
            self.fit_canvas();
        }
    }

    /// Renders one frame at `now_ms` (requestAnimationFrame's time stamp).
    pub fn frame(&mut self, now_ms: f64) -> Result<(), JsValue> {
        if self.lost() {
            return Err(js_error(LOST));
        }
        if let Some(last) = self.last_ms
            && let Ok(interval) = Duration::try_from_secs_f64((now_ms - last) / 1000.0)
        {
            self.player.report_frame_interval(interval);
            self.fit_canvas();
        }
        let dt = match self.last_ms {
            Some(last) if now_ms > last => ((now_ms - last) / 1000.0).min(0.25),
            Some(_) => 0.0,
            None => 1.0 / 60.0,
        };
        self.last_ms = Some(now_ms);
        if let Some(demo) = &mut self.demo {
            self.player.feed_demo(demo, dt);
        }
        let frame = match self.surface.get_current_texture() {
            wgpu::CurrentSurfaceTexture::Success(t)
            | wgpu::CurrentSurfaceTexture::Suboptimal(t) => t,
            wgpu::CurrentSurfaceTexture::Outdated | wgpu::CurrentSurfaceTexture::Lost => {
                self.surface.configure(&self.device, &self.surface_config);
                return Ok(());
            }
            _ => return Ok(()),
        };
        let result = self.player.render(dt, &frame.texture);
        self.queue.present(frame);
        result.map_err(js_error)?;
        self.frames += 1;
        self.fps.frame(dt);
        self.drain_events();
        Ok(())
    }

    /// Interleaved f32 PCM from Web Audio (any rate, 1 or 2 channels).
    /// Stops the demo signal.
    #[wasm_bindgen(js_name = pushAudio)]
    pub fn push_audio(&mut self, samples: &[f32], channels: u32, sample_rate: u32) {
        self.demo = None;
        let channels = channels.clamp(1, 8) as u16;
        self.player
            .push_audio_f32(samples, channels, sample_rate.max(1));
    }

    /// Plays the built-in demo signal (silent, no permission needed) until
    /// audio is pushed.
    #[wasm_bindgen(js_name = useDemo)]
    pub fn use_demo(&mut self) {
        if self.demo.is_none() {
            self.demo = Some(DemoInput::default());
        }
    }

    /// Whether the demo signal plays.
    #[wasm_bindgen(getter, js_name = demoPlaying)]
    pub fn demo_playing(&self) -> bool {
        self.demo.is_some()
    }

    /// Plays preset text shown as `name`, blending in over `blend_seconds`
    /// (0: a cut). Returns its report ([`Report`]).
    #[wasm_bindgen(js_name = loadPreset)]
    pub fn load_preset(&mut self, name: String, text: String, blend_seconds: f64) -> JsValue {
        if self.lost() {
            return to_js(&Report::failed(&name, None, LOST));
        }
        self.drain_events();
        self.with_blend(blend_seconds, |player| player.load_text(&name, &text));
        self.report_or_request(&name)
    }

    /// Adds presets (file names and texts, e.g. dropped files) to the
    /// playlist under `dropped/`; returns their playlist paths.
    #[wasm_bindgen(js_name = addPresets)]
    pub fn add_presets(&mut self, names: Vec<String>, texts: Vec<String>) -> Vec<String> {
        let entries: Vec<_> = names
            .iter()
            .zip(texts)
            .map(|(name, text)| (text_path("dropped", name), text))
            .collect();
        let paths = entries
            .iter()
            .map(|(p, _)| p.to_string_lossy().into_owned())
            .collect();
        self.player.add_texts(entries);
        paths
    }

    /// Adds a picture the page decoded (`rgba`: `width` x `height` texels,
    /// 4 bytes each, rows top to bottom) as the texture `name`
    /// (`clouds.png` is what `sampler_clouds` reads) for presets loaded from
    /// now on; false for a name without an image extension or a short
    /// buffer.
    #[wasm_bindgen(js_name = addTexture)]
    pub fn add_texture(&mut self, name: String, width: u32, height: u32, rgba: Vec<u8>) -> bool {
        let image = milk_engine::textures::Image {
            width,
            height,
            rgba,
        };
        self.player.visualizer_mut().add_texture(&name, image)
    }

    /// The names of the textures added so far.
    pub fn textures(&self) -> Vec<String> {
        self.player.visualizer().added_textures()
    }

    /// Plays the playlist's preset at `path`, blending in; returns its
    /// report.
    pub fn select(&mut self, path: String, blend_seconds: f64) -> JsValue {
        if self.lost() {
            return to_js(&Report::failed(&path, None, LOST));
        }
        self.drain_events();
        self.with_blend(blend_seconds, |player| player.select(Path::new(&path)));
        self.report_or_request(&path)
    }

    /// Makes a switch still being prepared now (for a page that is not
    /// rendering); its report comes with the next `takeEvents`.
    pub fn settle(&mut self) {
        if self.lost() {
            return;
        }
        self.player.settle();
        self.drain_events();
    }

    /// Next preset (blend), previous, random, or a hard cut.
    pub fn next(&mut self) {
        if self.lost() {
            return;
        }
        self.waiting = None;
        self.player.next();
        self.drain_events();
    }

    pub fn previous(&mut self) {
        if self.lost() {
            return;
        }
        self.waiting = None;
        self.player.previous();
        self.drain_events();
    }

    pub fn random(&mut self) {
        if self.lost() {
            return;
        }
        self.waiting = None;
        self.player.random();
        self.drain_events();
    }

    #[wasm_bindgen(js_name = hardCut)]
    pub fn hard_cut(&mut self) {
        if self.lost() {
            return;
        }
        self.waiting = None;
        self.player.hard_cut();
        self.drain_events();
    }

    /// Locks the preset (no automatic changes) or unlocks it.
    #[wasm_bindgen(js_name = setLocked)]
    pub fn set_locked(&mut self, locked: bool) {
        self.player.set_locked(locked);
    }

    #[wasm_bindgen(getter)]
    pub fn locked(&self) -> bool {
        self.player.locked()
    }

    /// Seconds between automatic changes (0: off) and of their blend.
    #[wasm_bindgen(js_name = setTiming)]
    pub fn set_timing(&mut self, preset_seconds: f64, blend_seconds: f64) {
        let mut config = self.player.config().clone();
        config.preset_seconds = preset_seconds;
        config.blend_seconds = blend_seconds;
        let _ = self.player.set_config(config);
    }

    /// Toggles the current preset's favourite mark; returns the new state.
    #[wasm_bindgen(js_name = toggleFavourite)]
    pub fn toggle_favourite(&mut self) -> bool {
        self.player.toggle_favourite()
    }

    /// Favourites only (when there are any) or all presets.
    #[wasm_bindgen(js_name = setFavouritesOnly)]
    pub fn set_favourites_only(&mut self, on: bool) {
        self.player.set_favourites_only(on);
    }

    /// Never play the current preset again (and go to the next).
    #[wasm_bindgen(js_name = neverAgain)]
    pub fn never_again(&mut self) {
        if self.lost() {
            return;
        }
        self.player.never_again();
        self.drain_events();
    }

    /// Favourites and never-again marks as JSON (for localStorage):
    /// `{"favourites_only": false, "favourites": [...], "never": [...]}`.
    #[wasm_bindgen(js_name = prefsJson)]
    pub fn prefs_json(&self) -> String {
        js_sys::JSON::stringify(&to_js(self.player.playlist().prefs()))
            .map(String::from)
            .unwrap_or_default()
    }

    /// Restores [`Core::prefs_json`]'s text (missing keys take their
    /// defaults); false if it does not parse, and nothing changes.
    #[wasm_bindgen(js_name = setPrefsJson)]
    pub fn set_prefs_json(&mut self, text: String) -> bool {
        let parsed = js_sys::JSON::parse(&text)
            .ok()
            .and_then(|v| serde_wasm_bindgen::from_value::<Prefs>(v).ok());
        match parsed {
            Some(prefs) => {
                self.player.set_prefs(prefs);
                true
            }
            None => false,
        }
    }

    /// The presets whose names contain every word of `query`:
    /// `[{path, name, favourite, broken}]`.
    pub fn presets(&self, query: String) -> JsValue {
        to_js(&list(self.player.playlist(), &query))
    }

    /// Events since the last call: `[{kind: "preset", ...report} |
    /// {kind: "warning", message} | {kind: "renderScale", scale}]`.
    #[wasm_bindgen(js_name = takeEvents)]
    pub fn take_events(&mut self) -> JsValue {
        to_js(&std::mem::take(&mut self.events))
    }

    /// `{backend, adapter, fps, frames, preset, path, locked, favourite,
    /// renderScale, autoScale, blending, demo, width, height}` (width and
    /// height: the drawing buffer, which automatic scaling shrinks).
    pub fn stats(&self) -> JsValue {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Stats<'a> {
            backend: &'a str,
            adapter: &'a str,
            fps: f64,
            frames: u64,
            preset: Option<&'a str>,
            path: Option<String>,
            locked: bool,
            favourite: bool,
            render_scale: f32,
            auto_scale: bool,
            blending: bool,
            demo: bool,
            width: u32,
            height: u32,
            last_report: Option<&'a Report>,
        }
        to_js(&Stats {
            backend: self.backend,
            adapter: &self.adapter,
            fps: self.fps.fps(),
            frames: self.frames,
            preset: self.player.current_name(),
            path: self
                .player
                .current_path()
                .map(|p| p.to_string_lossy().into_owned()),
            locked: self.player.locked(),
            favourite: self.player.is_favourite(),
            render_scale: self.player.render_scale(),
            auto_scale: self.player.config().pacing.budget.is_some(),
            blending: self.player.visualizer().blend_progress().is_some(),
            demo: self.demo.is_some(),
            width: self.surface_config.width,
            height: self.surface_config.height,
            last_report: self.last_report.as_ref(),
        })
    }

    /// The audio analysis of the last frame: `{bass, mid, treb, bassAtt,
    /// midAtt, trebAtt, vol, beat}`.
    pub fn levels(&self) -> JsValue {
        let a = self.player.audio();
        let obj = js_sys::Object::new();
        for (key, value) in [
            ("bass", a.bass),
            ("mid", a.mid),
            ("treb", a.treb),
            ("bassAtt", a.bass_att),
            ("midAtt", a.mid_att),
            ("trebAtt", a.treb_att),
            ("vol", a.vol),
        ] {
            let _ = js_sys::Reflect::set(&obj, &key.into(), &f64::from(value).into());
        }
        let _ = js_sys::Reflect::set(&obj, &"beat".into(), &a.beat.into());
        obj.into()
    }
}

impl Core {
    /// Gives the canvas's drawing buffer (and the surface) the display size
    /// times the player's output scale, where it differs.
    fn fit_canvas(&mut self) {
        if self.lost() {
            return;
        }
        let max = self.device.limits().max_texture_dimension_2d;
        let scale = f64::from(self.player.output_scale());
        let side = |n: u32| ((f64::from(n) * scale).round() as u32).clamp(1, max);
        let (w, h) = (side(self.display.0), side(self.display.1));
        if (w, h) != (self.surface_config.width, self.surface_config.height) {
            self.canvas.set_width(w);
            self.canvas.set_height(h);
            self.surface_config.width = w;
            self.surface_config.height = h;
            self.surface.configure(&self.device, &self.surface_config);
        }
    }

    /// Runs `f` with the user blend time set to `seconds` (when finite and
    /// not negative).
    fn with_blend(&mut self, seconds: f64, f: impl FnOnce(&mut Player)) {
        if seconds.is_finite()
            && seconds >= 0.0
            && seconds != self.player.config().user_blend_seconds
        {
            let mut config = self.player.config().clone();
            config.user_blend_seconds = seconds;
            let _ = self.player.set_config(config);
        }
        f(&mut self.player);
    }

    fn drain_events(&mut self) {
        for event in self.player.poll_events() {
            if let Some(mut event) = Event::from_player(&event) {
                if let Event::Preset(report) = &mut event {
                    report.request = self.waiting.take();
                    self.last_report = Some(report.clone());
                }
                if self.events.len() >= 256 {
                    self.events.remove(0);
                }
                self.events.push(event);
            }
        }
    }

    /// The report of the switch just asked for, or, while its preset is
    /// prepared a step per frame, `{pending: true, request}`: the report
    /// comes as a `preset` event carrying `request`.
    fn report_or_request(&mut self, name: &str) -> JsValue {
        if self.player.switch_pending() {
            self.requests += 1;
            self.waiting = Some(self.requests);
            return to_js(&PendingRequest {
                pending: true,
                request: self.requests,
            });
        }
        self.waiting = None;
        self.drain_events();
        self.last_report_or(name)
    }

    /// The report of the switch just asked for.
    fn last_report_or(&self, name: &str) -> JsValue {
        match &self.last_report {
            Some(report) => to_js(report),
            None => to_js(&Report::failed(name, None, "nothing was loaded")),
        }
    }
}
