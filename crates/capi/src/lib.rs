//! Kefir's C API: a MilkDrop visualizer for players written in C or C++.
//!
//! The library creates its own headless wgpu device (whatever adapter the
//! machine has; Mesa's lavapipe without a GPU), renders into an offscreen
//! RGBA target and copies each frame into a buffer of the caller's. Around
//! it is a whole `kefir_player::Player`: playlist, automatic changes,
//! hard cuts, favourites, background preset loading.
//!
//! The header `include/kefir.h` is generated from this file by cbindgen
//! (`build.rs`); `README.md` beside it explains building, linking and the
//! threading rules. Every entry point catches panics, checks its pointers
//! and strings and reports failures as negative return codes with a
//! message from `kefir_last_error`; nothing unwinds into C.

#![allow(non_camel_case_types)]

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use kefir_player::{Pacing, Player, PlayerConfig, PlayerEvent, WorkTimer};
use milk_engine::LoadReport;
use milk_engine::headless::{FrameReader, Headless};

mod info;
mod logging;

/// Success.
pub const KEFIR_OK: i32 = 0;
/// A required pointer was NULL.
pub const KEFIR_ERROR_NULL: i32 = -1;
/// A string was not valid UTF-8.
pub const KEFIR_ERROR_UTF8: i32 = -2;
/// A value was out of range (a size of 0, 0 channels, a buffer too small).
pub const KEFIR_ERROR_ARGUMENT: i32 = -3;
/// A preset could not be read or parsed (it was skipped).
pub const KEFIR_ERROR_PRESET: i32 = -4;
/// Rendering or reading the frame back failed.
pub const KEFIR_ERROR_RENDER: i32 = -5;
/// No GPU device could be created.
pub const KEFIR_ERROR_DEVICE: i32 = -6;
/// An internal error (a bug in Kefir), caught before it reached C. The
/// instance may still be used.
pub const KEFIR_ERROR_INTERNAL: i32 = -7;

/// Audio queued between frames is capped at this many samples (about 10 s
/// of 48 kHz stereo); older audio is dropped when the host never renders.
const MAX_QUEUED_SAMPLES: usize = 1 << 20;

/// Settings for `kefir_create`. Fill it with `kefir_config_default`
/// first, then change what you need.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct kefir_config {
    /// Size of the offscreen target in pixels (default 640 x 360).
    pub width: u32,
    pub height: u32,
    /// Directory scanned recursively for `.milk` presets, or NULL for none.
    /// UTF-8.
    pub preset_dir: *const c_char,
    /// Directory searched for the textures preset shaders name, or NULL.
    pub texture_dir: *const c_char,
    /// File keeping favourites and never-again marks, or NULL to keep them
    /// in memory only.
    pub prefs_path: *const c_char,
    /// Seconds between automatic preset changes, not counting blend and
    /// jitter (default 16; 0 turns them off).
    pub preset_seconds: f64,
    /// Up to this many random seconds added per preset (default 10).
    pub preset_seconds_jitter: f64,
    /// Blend time of automatic changes (default 2.7; 0 cuts).
    pub blend_seconds: f64,
    /// Blend time of changes the host asks for (default 1.7; 0 cuts).
    pub user_blend_seconds: f64,
    /// Random order rather than file name order (default 1).
    pub shuffle: i32,
    /// Cut to the next preset on loud beats (default 0).
    pub hard_cuts: i32,
    /// Clear to black on each change (default 0).
    pub start_clean: i32,
    /// Beat detection sensitivity, 0..1 (default 0.5).
    pub beat_sensitivity: f32,
    /// Warp mesh cells (default 48 x 36).
    pub mesh_width: u32,
    pub mesh_height: u32,
    /// Seed of the shuffle, the timer's jitter and the presets' random
    /// values (default 0): the same seed, audio and frame times give the
    /// same frames.
    pub seed: u64,
}

/// Byte order of the pixels `kefir_render_into` writes.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum kefir_pixel_format {
    /// Red, green, blue, alpha (alpha 255).
    Rgba = 0,
    /// Blue, green, red, alpha (alpha 255).
    Bgra = 1,
}

/// How much a log message matters (`kefir_set_log_callback`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum kefir_log_level {
    /// Nothing is logged.
    Off = 0,
    /// Kefir could not do what was asked (no GPU device, ...).
    Error = 1,
    /// Something to fix that does not stop playing: a preset that does not
    /// load, code that does not compile (file:line:col), a shader that fell
    /// back, a missing texture, an unreadable directory.
    Warn = 2,
    /// Presets starting, the GPU in use.
    Info = 3,
    /// Details for bug reports (from Kefir and wgpu).
    Debug = 4,
    Trace = 5,
}

/// The log callback: `user_data` as given to `kefir_set_log_callback`, the
/// message's level, the module that wrote it (e.g. "kefir", "wgpu_hal")
/// and the message, UTF-8, without a trailing newline. The strings are
/// valid only during the call. Called on whichever thread logs (render,
/// worker, GPU driver threads), possibly from several at once, sometimes
/// while Kefir holds an instance's lock: it must be thread-safe, must not
/// call kefir functions and must not unwind.
pub type kefir_log_fn = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        level: kefir_log_level,
        target: *const c_char,
        message: *const c_char,
    ),
>;

/// A preset's metadata, from `kefir_get_preset_info`. The struct and its
/// strings belong to the caller until `kefir_preset_info_free` (they stay
/// valid whatever else happens to the instance).
#[repr(C)]
#[derive(Debug)]
pub struct kefir_preset_info {
    /// The preset's name (its file name without `.milk`), UTF-8. Never NULL.
    pub name: *const c_char,
    /// Its file, or NULL for a preset loaded from text.
    pub path: *const c_char,
    /// Its position in the playlist (0-based, file name order, the index
    /// `kefir_select_index` takes), or -1 when it is not in the playlist.
    pub index: i32,
    /// 1 when it is playing now.
    pub current: i32,
    /// 1 when the user marked it a favourite.
    pub favourite: i32,
    /// 1 when the user asked never to see it again.
    pub never_again: i32,
    /// 1 when it failed to load this session (it is skipped); `problems`
    /// says why.
    pub broken: i32,
    /// 1 when the file (or text) was read and parsed for the next four
    /// fields; 0 when it could not be.
    pub parsed: i32,
    /// `MILKDROP_PRESET_VERSION`: 100 for MilkDrop 1.x presets, 200 or 201
    /// for MilkDrop 2.
    pub milkdrop_version: i32,
    /// Pixel shader versions of the warp and composite shaders (0: none,
    /// the fixed-function look of MilkDrop 1).
    pub ps_version_warp: i32,
    pub ps_version_comp: i32,
    /// The author's rating, `fRating` (0 to 5).
    pub rating: f64,
    /// For the current preset (0 for others): code blocks that did not
    /// compile (disabled), shaders that fell back to MilkDrop's defaults,
    /// textures not found.
    pub code_errors: u32,
    pub shader_failures: u32,
    pub missing_textures: u32,
    /// For the current preset: 1 when its own warp / composite shader runs.
    pub warp_shader: i32,
    pub comp_shader: i32,
    /// For the current preset: seconds it has played, and seconds until the
    /// next automatic change (-1 when none is due: locked, or automatic
    /// changes off).
    pub seconds_played: f64,
    pub seconds_left: f64,
    /// What went wrong, one problem per line (code errors and shader
    /// failures with the file's line and column, missing textures, why it
    /// failed to load), or NULL when nothing did.
    pub problems: *const c_char,
}

/// What a `kefir_event` reports.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum kefir_event_kind {
    /// A preset started (a cut, or the start of a blend).
    Switched = 1,
    /// A preset could not be read or parsed, or the GPU was lost while it
    /// played; it was skipped.
    Failed = 2,
    /// Something that does not stop playing went wrong (an unreadable
    /// preset directory or prefs file).
    Warning = 3,
}

/// An event handed to the `kefir_event_fn` callback. The strings are
/// UTF-8 and valid only during the call.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct kefir_event {
    pub kind: kefir_event_kind,
    /// The preset's name (Switched), or NULL.
    pub name: *const c_char,
    /// The preset's file, or NULL (presets loaded from text, warnings).
    pub path: *const c_char,
    /// What went wrong (Failed, Warning), or NULL.
    pub message: *const c_char,
    /// 1 when the preset blends in, 0 for a cut (Switched).
    pub blend: i32,
    /// Code blocks that did not compile (disabled; the rest runs).
    pub code_errors: u32,
    /// Shaders that fell back to MilkDrop's default shader.
    pub shader_failures: u32,
    /// Milliseconds spent preparing the preset (on a worker thread when it
    /// was preloaded).
    pub prepare_ms: f64,
}

/// The event callback: `user_data` as given to
/// `kefir_set_event_callback`. Called on the thread of the kefir call
/// that caused the event, after Kefir released its lock: it may call kefir
/// functions (even on the same instance), but must not unwind (no C++
/// exceptions, no longjmp).
pub type kefir_event_fn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, event: *const kefir_event)>;

/// The audio levels of the last frame (MilkDrop's: 1.0 is as loud as
/// usual).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct kefir_audio_levels {
    pub bass: f32,
    pub mid: f32,
    pub treb: f32,
    pub bass_att: f32,
    pub mid_att: f32,
    pub treb_att: f32,
    /// 1 when a beat was detected in the last frame.
    pub beat: i32,
    /// Tempo estimate in beats per minute, 0 while unknown.
    pub bpm: f32,
}

/// An error for C: a return code and a message.
struct Error {
    code: i32,
    message: String,
}

impl Error {
    fn new(code: i32, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }

    fn null(what: &str) -> Self {
        Error::new(KEFIR_ERROR_NULL, format!("{what} is NULL"))
    }
}

type Result<T> = std::result::Result<T, Error>;

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

fn set_last_error(message: &str) {
    let text = c_string(message);
    LAST_ERROR.with(|e| *e.borrow_mut() = text);
}

/// `text` as a C string, NULs replaced.
fn c_string(text: &str) -> CString {
    CString::new(text.replace('\0', "\u{FFFD}")).unwrap_or_default()
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_owned()
    }
}

/// Runs an entry point: panics and errors become return codes and
/// `kefir_last_error` messages.
fn guard(f: impl FnOnce() -> Result<i32>) -> i32 {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            set_last_error(&e.message);
            e.code
        }
        Err(panic) => {
            set_last_error(&format!("internal error: {}", panic_text(&*panic)));
            KEFIR_ERROR_INTERNAL
        }
    }
}

/// A UTF-8 string argument; `None` for NULL.
///
/// # Safety
/// `s` is NULL or a NUL-terminated string.
unsafe fn opt_str<'a>(s: *const c_char, what: &str) -> Result<Option<&'a str>> {
    if s.is_null() {
        return Ok(None);
    }
    // SAFETY: the caller promises a NUL-terminated string.
    let bytes = unsafe { CStr::from_ptr(s) };
    bytes
        .to_str()
        .map(Some)
        .map_err(|e| Error::new(KEFIR_ERROR_UTF8, format!("{what} is not UTF-8: {e}")))
}

/// A required UTF-8 string argument.
///
/// # Safety
/// As `opt_str`.
unsafe fn req_str<'a>(s: *const c_char, what: &str) -> Result<&'a str> {
    // SAFETY: forwarded.
    unsafe { opt_str(s, what) }?.ok_or_else(|| Error::null(what))
}

/// Interleaved PCM queued by `kefir_push_audio_f32` and
/// `kefir_push_audio_i16` (from any thread) until the next frame.
#[derive(Default)]
struct AudioQueue {
    /// Runs of samples with their format: (sample rate, channels, samples).
    chunks: Vec<(u32, u16, Vec<f32>)>,
    samples: usize,
}

impl AudioQueue {
    fn push(&mut self, rate: u32, channels: u16, samples: impl Iterator<Item = f32>) {
        match self.chunks.last_mut() {
            Some((r, c, _)) if *r == rate && *c == channels => {}
            _ => self.chunks.push((rate, channels, Vec::new())),
        }
        if let Some((_, _, buf)) = self.chunks.last_mut() {
            let before = buf.len();
            buf.extend(samples);
            self.samples += buf.len() - before;
        }
        // Drop the oldest audio past the cap, whole frames at a time.
        while self.samples > MAX_QUEUED_SAMPLES && !self.chunks.is_empty() {
            let excess = self.samples - MAX_QUEUED_SAMPLES;
            let (_, channels, buf) = &mut self.chunks[0];
            let channels = usize::from(*channels).max(1);
            if buf.len() <= excess {
                self.samples -= buf.len();
                self.chunks.remove(0);
            } else {
                let cut = excess.div_ceil(channels) * channels;
                let cut = cut.min(buf.len());
                buf.drain(..cut);
                self.samples -= cut;
            }
        }
    }
}

/// The part of an instance the render thread uses.
struct Inner {
    gpu: Headless,
    player: Player,
    target: wgpu::Texture,
    reader: FrameReader,
    callback: kefir_event_fn,
    user_data: UserData,
    /// Events not yet handed to the callback.
    pending: Vec<PlayerEvent>,
    /// What loading the current preset reported (from its `Switched`
    /// event), for `kefir_get_preset_info`.
    current_report: Option<LoadReport>,
    /// The last preset loaded from text (name, text): its metadata.
    last_text: Option<(String, String)>,
    /// Times each frame's GPU work for the automatic render scale.
    timer: WorkTimer,
    /// Set when the GPU device is lost ([`Inner::replace_lost_device`]).
    lost: Arc<AtomicBool>,
}

/// The callback's user data, passed back as given.
#[derive(Clone, Copy)]
struct UserData(*mut c_void);

// SAFETY: Kefir never dereferences the pointer; it only hands it back to
// the host's callback, which owns the thread-safety of what it points to.
unsafe impl Send for UserData {}

/// A Kefir instance (opaque).
pub struct kefir {
    /// PCM from any thread; never held while rendering.
    audio: Mutex<AudioQueue>,
    inner: Mutex<Inner>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic caught while the lock was held leaves the data usable.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Events kept for a callback set later.
const MAX_PENDING: usize = 256;

impl Inner {
    /// A headless device, the flag raised when it is lost, and a `width` x
    /// `height` target on it.
    fn open_gpu(width: u32, height: u32) -> Result<(Headless, Arc<AtomicBool>, wgpu::Texture)> {
        let gpu = Headless::new().map_err(|e| Error::new(KEFIR_ERROR_DEVICE, e.to_string()))?;
        log::info!(target: "kefir", "rendering on {}", gpu.adapter_description());
        // wgpu's default handler panics; a GPU error is reported and the
        // instance goes on.
        gpu.device
            .on_uncaptured_error(std::sync::Arc::new(|e: wgpu::Error| {
                log::error!(target: "kefir", "GPU error: {e}");
            }));
        let lost = milk_engine::gpu::loss_flag(&gpu.device, |message| {
            log::error!(target: "kefir", "the GPU device was lost: {message}");
        });
        let target = Inner::target(&gpu, width, height)?;
        Ok((gpu, lost, target))
    }

    /// The GPU device was lost (a reset: a frame past the driver's watchdog,
    /// a driver update): nothing renders on it again. Opens a new device
    /// and a new player like the old one ([`Player::reopen_on`]), skipping
    /// the preset that was playing ([`Player::gpu_lost`]); the host hears
    /// of it as a failed preset.
    fn replace_lost_device(&mut self) -> Result<()> {
        let path = self.player.current_path().map(Path::to_path_buf);
        let name = self.player.gpu_lost();
        let what = match &name {
            Some(name) => format!("the GPU was lost while \"{name}\" played"),
            None => "the GPU was lost".to_owned(),
        };
        log::warn!(target: "kefir", "{what}; opening a new device");
        let (width, height) = (self.target.width(), self.target.height());
        let (gpu, lost, target) = Inner::open_gpu(width, height)?;
        let player = self
            .player
            .reopen_on(gpu.device.clone(), gpu.queue.clone())
            .map_err(|e| Error::new(KEFIR_ERROR_DEVICE, e.to_string()))?;
        // The old player's events first, then the new one's.
        self.collect();
        self.pending.push(PlayerEvent::Failed {
            path,
            error: format!("{what}: skipped, on a new device"),
        });
        self.player = player;
        self.gpu = gpu;
        self.lost = lost;
        self.target = target;
        self.reader = FrameReader::new();
        self.timer = WorkTimer::new();
        Ok(())
    }

    /// Moves the player's events to `pending`.
    fn collect(&mut self) {
        let events = self.player.poll_events();
        for event in &events {
            logging::event(event);
            if let PlayerEvent::Switched { report, .. } = event {
                self.current_report = Some(report.clone());
            }
        }
        self.pending.extend(events);
        if self.pending.len() > MAX_PENDING {
            let excess = self.pending.len() - MAX_PENDING;
            self.pending.drain(..excess);
        }
    }

    /// The message of the last failure among the events since `from`.
    fn failure_since(&self, from: usize) -> Option<String> {
        self.pending[from.min(self.pending.len())..]
            .iter()
            .rev()
            .find_map(|e| match e {
                PlayerEvent::Failed { path, error } => Some(match path {
                    Some(p) => format!("{}: {error}", p.display()),
                    None => error.clone(),
                }),
                _ => None,
            })
    }

    fn target(gpu: &Headless, width: u32, height: u32) -> Result<wgpu::Texture> {
        let max = gpu.device.limits().max_texture_dimension_2d;
        if width == 0 || height == 0 || width > max || height > max {
            return Err(Error::new(
                KEFIR_ERROR_ARGUMENT,
                format!("size {width}x{height} is outside 1..={max}"),
            ));
        }
        Ok(gpu.target(width, height))
    }

    /// Copies the target into `out`, rows `stride` bytes apart, as RGBA
    /// or (swapping red and blue) BGRA.
    fn read(&mut self, out: &mut [u8], stride: usize, format: kefir_pixel_format) -> Result<()> {
        self.reader
            .read_into(&self.gpu.device, &self.gpu.queue, &self.target, out, stride)
            .map_err(|e| Error::new(KEFIR_ERROR_RENDER, e.to_string()))?;
        if format == kefir_pixel_format::Bgra {
            let row = self.target.width() as usize * 4;
            for y in 0..self.target.height() as usize {
                for px in out[y * stride..y * stride + row].chunks_exact_mut(4) {
                    px.swap(0, 2);
                }
            }
        }
        Ok(())
    }
}

/// A string for an event field.
fn event_string(text: Option<&str>) -> Option<CString> {
    text.map(c_string)
}

/// Hands `events` to `callback`, with no lock held.
fn dispatch(events: Vec<PlayerEvent>, callback: kefir_event_fn, user_data: UserData) {
    let Some(callback) = callback else {
        return;
    };
    for event in events {
        let (kind, name, path, message, blend, report) = match &event {
            PlayerEvent::Switched {
                path,
                name,
                blend,
                report,
            } => (
                kefir_event_kind::Switched,
                Some(name.clone()),
                path.as_ref().map(|p| p.to_string_lossy().into_owned()),
                None,
                *blend,
                Some(report),
            ),
            PlayerEvent::Failed { path, error } => (
                kefir_event_kind::Failed,
                None,
                path.as_ref().map(|p| p.to_string_lossy().into_owned()),
                Some(error.clone()),
                false,
                None,
            ),
            PlayerEvent::Warning { message } => (
                kefir_event_kind::Warning,
                None,
                None,
                Some(message.clone()),
                false,
                None,
            ),
            _ => continue,
        };
        let name = event_string(name.as_deref());
        let path = event_string(path.as_deref());
        let message = event_string(message.as_deref());
        let ptr = |s: &Option<CString>| s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr());
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let event = kefir_event {
            kind,
            name: ptr(&name),
            path: ptr(&path),
            message: ptr(&message),
            blend: i32::from(blend),
            code_errors: report.map_or(0, |r| count(r.errors.len())),
            shader_failures: report.map_or(0, |r| count(r.shader_failures.len())),
            prepare_ms: report.map_or(0.0, |r| r.prepare_time.as_secs_f64() * 1e3),
        };
        // SAFETY: the host's callback, with its own user data and an event
        // whose strings live until it returns.
        unsafe { callback(user_data.0, &event) };
    }
}

/// Runs `f` on the instance's render side, then hands the events to the
/// callback with the lock released.
///
/// # Safety
/// `k` is NULL or a live instance from `kefir_create`.
unsafe fn with_inner(k: *mut kefir, f: impl FnOnce(&mut Inner) -> Result<i32>) -> i32 {
    guard(|| {
        // SAFETY: the caller promises a live instance; only shared
        // references to it are made, the mutex guards the rest.
        let k = unsafe { k.as_ref() }.ok_or_else(|| Error::null("the kefir instance"))?;
        let (result, events, callback, user_data) = {
            let mut inner = lock(&k.inner);
            let result = f(&mut inner);
            inner.collect();
            let events = if inner.callback.is_some() {
                std::mem::take(&mut inner.pending)
            } else {
                Vec::new()
            };
            (result, events, inner.callback, inner.user_data)
        };
        dispatch(events, callback, user_data);
        result
    })
}

/// Changes the player's settings.
///
/// # Safety
/// As `with_inner`.
unsafe fn with_config(k: *mut kefir, f: impl FnOnce(&mut PlayerConfig) -> Result<()>) -> i32 {
    // SAFETY: forwarded.
    unsafe {
        with_inner(k, |inner| {
            let mut config = inner.player.config().clone();
            f(&mut config)?;
            inner
                .player
                .set_config(config)
                .map_err(|e| Error::new(KEFIR_ERROR_ARGUMENT, e.to_string()))?;
            Ok(KEFIR_OK)
        })
    }
}

/// Runs a playlist move; 1 when a preset started, 0 when nothing did.
///
/// # Safety
/// As `with_inner`.
unsafe fn with_move(k: *mut kefir, f: impl FnOnce(&mut Player)) -> i32 {
    // SAFETY: forwarded.
    unsafe {
        with_inner(k, |inner| {
            let before = inner.player.stats().switches;
            f(&mut inner.player);
            Ok(i32::from(inner.player.stats().switches > before))
        })
    }
}

fn default_config() -> kefir_config {
    let player = PlayerConfig::default();
    let engine = milk_engine::Config::default();
    kefir_config {
        width: 640,
        height: 360,
        preset_dir: std::ptr::null(),
        texture_dir: std::ptr::null(),
        prefs_path: std::ptr::null(),
        preset_seconds: player.preset_seconds,
        preset_seconds_jitter: player.preset_seconds_jitter,
        blend_seconds: player.blend_seconds,
        user_blend_seconds: player.user_blend_seconds,
        shuffle: i32::from(player.shuffle),
        hard_cuts: i32::from(player.hard_cuts),
        start_clean: i32::from(player.start_clean),
        beat_sensitivity: player.beat_sensitivity,
        mesh_width: engine.mesh.0,
        mesh_height: engine.mesh.1,
        seed: 0,
    }
}

/// Fills `config` with the defaults. Returns `KEFIR_OK`, or
/// `KEFIR_ERROR_NULL`.
///
/// # Safety
/// `config` is NULL or points to writable memory for a `kefir_config`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_config_default(config: *mut kefir_config) -> i32 {
    guard(|| {
        if config.is_null() {
            return Err(Error::null("config"));
        }
        // SAFETY: checked non-NULL; the caller promises it is writable.
        unsafe { config.write(default_config()) };
        Ok(KEFIR_OK)
    })
}

/// Creates an instance: a headless GPU device, an offscreen target of
/// `config->width` x `config->height`, and a player over
/// `config->preset_dir` with its first preset loaded. `config` may be NULL
/// for the defaults. Returns NULL on failure (see `kefir_last_error`).
///
/// # Safety
/// `config` is NULL or points to a `kefir_config` whose strings are NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_create(config: *const kefir_config) -> *mut kefir {
    let mut created: *mut kefir = std::ptr::null_mut();
    guard(|| {
        // SAFETY: the caller promises a valid config or NULL.
        let c = unsafe { config.as_ref() }
            .copied()
            .unwrap_or_else(default_config);
        // SAFETY: the caller promises NUL-terminated strings or NULL.
        let (preset_dir, texture_dir, prefs_path) = unsafe {
            (
                opt_str(c.preset_dir, "preset_dir")?,
                opt_str(c.texture_dir, "texture_dir")?,
                opt_str(c.prefs_path, "prefs_path")?,
            )
        };
        let mesh = (c.mesh_width.clamp(1, 512), c.mesh_height.clamp(1, 512));
        let config = PlayerConfig {
            engine: milk_engine::Config {
                mesh,
                seed: c.seed,
                ..milk_engine::Config::default()
            },
            preset_dirs: preset_dir.map(PathBuf::from).into_iter().collect(),
            texture_dirs: texture_dir.map(PathBuf::from).into_iter().collect(),
            prefs_path: prefs_path.map(PathBuf::from),
            preset_seconds: c.preset_seconds,
            preset_seconds_jitter: c.preset_seconds_jitter,
            blend_seconds: c.blend_seconds,
            user_blend_seconds: c.user_blend_seconds,
            shuffle: c.shuffle != 0,
            hard_cuts: c.hard_cuts != 0,
            start_clean: c.start_clean != 0,
            beat_sensitivity: c.beat_sensitivity,
            seed: c.seed,
            ..PlayerConfig::default()
        };
        let (gpu, lost, target) = Inner::open_gpu(c.width, c.height)?;
        let player = Player::new(gpu.device.clone(), gpu.queue.clone(), config)
            .map_err(|e| Error::new(KEFIR_ERROR_ARGUMENT, e.to_string()))?;
        let instance = kefir {
            audio: Mutex::new(AudioQueue::default()),
            inner: Mutex::new(Inner {
                gpu,
                player,
                target,
                reader: FrameReader::new(),
                callback: None,
                user_data: UserData(std::ptr::null_mut()),
                pending: Vec::new(),
                current_report: None,
                last_text: None,
                timer: WorkTimer::new(),
                lost,
            }),
        };
        lock(&instance.inner).collect();
        created = Box::into_raw(Box::new(instance));
        Ok(KEFIR_OK)
    });
    created
}

/// Destroys an instance (NULL is ignored). No other call on it may run or
/// follow.
///
/// # Safety
/// `k` is NULL or an instance from `kefir_create` not yet destroyed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_destroy(k: *mut kefir) {
    guard(|| {
        if !k.is_null() {
            // SAFETY: the caller hands back ownership of a live instance.
            drop(unsafe { Box::from_raw(k) });
        }
        Ok(KEFIR_OK)
    });
}

/// The message of the last failed call on this thread (empty if none).
/// Valid until the next failing call on this thread.
#[unsafe(no_mangle)]
pub extern "C" fn kefir_last_error() -> *const c_char {
    LAST_ERROR.with(|e| e.borrow().as_ptr())
}

/// Kefir's version, e.g. "0.1.0".
#[unsafe(no_mangle)]
pub extern "C" fn kefir_version() -> *const c_char {
    static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}

/// Asks Mesa's software rasterisers (llvmpipe, lavapipe), should Kefir
/// land on one, to filter textures in floating point as GPUs do: their fast
/// path rounds filtered 8-bit reads to a 255th, which changes the picture
/// of shaders that hash texture reads (noise idioms such as
/// `frac(8 * tex2D(sampler_noise_lq, uv))`). Sets the process environment
/// variable `GALLIVM_PERF=no_aos_sampling` unless it is set already (even
/// to nothing). Drivers of real GPUs ignore it.
///
/// Call it before the first `kefir_create` of the process (Mesa reads the
/// variable when its driver loads) and while no other thread reads or
/// writes the environment; the desktop app does this first thing in
/// `main`. Returns 1 if it set the variable, 0 if the host's setting
/// stands.
///
/// # Safety
/// No other thread reads or writes the process environment meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_request_exact_texture_filtering() -> i32 {
    // SAFETY: passed on to the caller (above).
    i32::from(unsafe { milk_engine::software::request_exact_texture_filtering() })
}

/// Queues PCM for the next frame.
///
/// # Safety
/// `k` is a live instance.
unsafe fn push_audio<T: Copy>(
    k: *mut kefir,
    samples: *const T,
    frames: usize,
    channels: u32,
    sample_rate: u32,
    to_f32: impl Fn(T) -> f32,
) -> i32 {
    guard(|| {
        // SAFETY: the caller promises a live instance; shared access only.
        let k = unsafe { k.as_ref() }.ok_or_else(|| Error::null("the kefir instance"))?;
        if frames == 0 {
            return Ok(KEFIR_OK);
        }
        if samples.is_null() {
            return Err(Error::null("samples"));
        }
        let channels16 = u16::try_from(channels)
            .ok()
            .filter(|&c| c > 0)
            .ok_or_else(|| Error::new(KEFIR_ERROR_ARGUMENT, format!("{channels} channels")))?;
        if sample_rate == 0 {
            return Err(Error::new(KEFIR_ERROR_ARGUMENT, "sample rate 0"));
        }
        let len = frames
            .checked_mul(channels as usize)
            .filter(|&n| n <= isize::MAX as usize / std::mem::size_of::<T>().max(1))
            .ok_or_else(|| Error::new(KEFIR_ERROR_ARGUMENT, "too many samples"))?;
        // SAFETY: the caller promises `frames * channels` readable samples.
        let samples = unsafe { std::slice::from_raw_parts(samples, len) };
        lock(&k.audio).push(sample_rate, channels16, samples.iter().map(|&s| to_f32(s)));
        Ok(KEFIR_OK)
    })
}

/// Queues `frames` frames of interleaved float PCM (nominally -1..1) with
/// `channels` channels (1 mono, 2 stereo; more: the first two are used) at
/// any `sample_rate`, for the next `kefir_render`. May be called from
/// another thread (an audio callback) while rendering: it only takes a
/// short lock of its own.
///
/// # Safety
/// `k` is a live instance; `samples` points to `frames * channels` floats.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_push_audio_f32(
    k: *mut kefir,
    samples: *const f32,
    frames: usize,
    channels: u32,
    sample_rate: u32,
) -> i32 {
    // SAFETY: forwarded.
    unsafe { push_audio(k, samples, frames, channels, sample_rate, |s| s) }
}

/// `kefir_push_audio_f32` for signed 16-bit PCM.
///
/// # Safety
/// `k` is a live instance; `samples` points to `frames * channels` values.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_push_audio_i16(
    k: *mut kefir,
    samples: *const i16,
    frames: usize,
    channels: u32,
    sample_rate: u32,
) -> i32 {
    // SAFETY: forwarded.
    unsafe {
        push_audio(k, samples, frames, channels, sample_rate, |s| {
            f32::from(s) / 32768.0
        })
    }
}

/// Renders one frame `dt` seconds after the previous one (the audio queued
/// since then is analysed first; automatic preset changes happen here) and,
/// if `rgba` is not NULL, copies it into `rgba`: `width * height * 4`
/// bytes, RGBA, rows top to bottom, no padding. `len` is the size of
/// `rgba`. Waits for the GPU when reading back. Same as
/// `kefir_render_into(k, dt, KEFIR_PIXEL_FORMAT_RGBA, rgba, width * 4, len)`.
/// After a GPU reset (the device is lost for good) the instance opens a new
/// device here, with its settings, playlist and marks, and skips the preset
/// that was playing (a `KEFIR_EVENT_KIND_FAILED` event says so).
///
/// # Safety
/// `k` is a live instance; `rgba` is NULL or points to `len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_render(k: *mut kefir, dt: f64, rgba: *mut u8, len: usize) -> i32 {
    // SAFETY: forwarded.
    unsafe { render_into(k, dt, kefir_pixel_format::Rgba, rgba, None, len) }
}

/// Renders one frame as `kefir_render` does and copies it into `pixels` in
/// `format`, row `y` starting at byte `y * stride` (`stride >= width * 4`;
/// the bytes between rows are left alone), for hosts whose images have
/// padded rows or BGRA order (Cairo, Qt's `QImage::Format_RGB32`/`ARGB32`,
/// Windows DIBs and most video APIs on little-endian machines). `len` is the
/// size of `pixels`: at least `stride * (height - 1) + width * 4`. Alpha is
/// 255. `pixels` may be NULL to render without read-back.
///
/// # Safety
/// `k` is a live instance; `pixels` is NULL or points to `len` writable
/// bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_render_into(
    k: *mut kefir,
    dt: f64,
    format: kefir_pixel_format,
    pixels: *mut u8,
    stride: usize,
    len: usize,
) -> i32 {
    // SAFETY: forwarded.
    unsafe { render_into(k, dt, format, pixels, Some(stride), len) }
}

/// Renders and reads back (`stride` `None`: tightly packed rows).
///
/// # Safety
/// As `kefir_render_into`.
unsafe fn render_into(
    k: *mut kefir,
    dt: f64,
    format: kefir_pixel_format,
    pixels: *mut u8,
    stride: Option<usize>,
    len: usize,
) -> i32 {
    // SAFETY: the caller promises a live instance.
    let Some(instance) = (unsafe { k.as_ref() }) else {
        return guard(|| Err(Error::null("the kefir instance")));
    };
    // SAFETY: forwarded.
    unsafe {
        with_inner(k, |inner| {
            let (width, height) = (
                inner.target.width() as usize,
                inner.target.height() as usize,
            );
            let row = width * 4;
            let stride = stride.unwrap_or(row);
            if stride < row {
                return Err(Error::new(
                    KEFIR_ERROR_ARGUMENT,
                    format!("stride {stride} is less than a row of {width} pixels ({row} bytes)"),
                ));
            }
            let needed = stride
                .checked_mul(height - 1)
                .and_then(|n| n.checked_add(row))
                .ok_or_else(|| Error::new(KEFIR_ERROR_ARGUMENT, "stride too large"))?;
            if !pixels.is_null() && len < needed {
                return Err(Error::new(
                    KEFIR_ERROR_ARGUMENT,
                    format!("pixel buffer of {len} bytes, the frame needs {needed}"),
                ));
            }
            if inner.lost.load(Ordering::Relaxed) {
                inner.replace_lost_device()?;
            }
            let chunks = {
                let mut queue = lock(&instance.audio);
                queue.samples = 0;
                std::mem::take(&mut queue.chunks)
            };
            for (rate, channels, samples) in &chunks {
                inner.player.push_audio_f32(samples, *channels, *rate);
            }
            // The last measured frame (its GPU work is done by now when it
            // was read back) drives the automatic render scale.
            if let Some(work) = inner.timer.take(&inner.gpu.device) {
                inner.player.report_frame_time(work);
            }
            inner.timer.begin();
            inner
                .player
                .render(dt, &inner.target)
                .map_err(|e| Error::new(KEFIR_ERROR_RENDER, e.to_string()))?;
            inner.timer.end(&inner.gpu.queue);
            if !pixels.is_null() {
                // SAFETY: the caller promises `len >= needed` writable bytes.
                let out = std::slice::from_raw_parts_mut(pixels, needed);
                inner.read(out, stride, format)?;
            }
            Ok(KEFIR_OK)
        })
    }
}

/// Changes the size of the offscreen target (the picture is rescaled by
/// the next frames).
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_resize(k: *mut kefir, width: u32, height: u32) -> i32 {
    // SAFETY: forwarded.
    unsafe {
        with_inner(k, |inner| {
            inner.target = Inner::target(&inner.gpu, width, height)?;
            Ok(KEFIR_OK)
        })
    }
}

/// The size of the offscreen target.
///
/// # Safety
/// `k` is a live instance; `width` and `height` are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_get_size(k: *mut kefir, width: *mut u32, height: *mut u32) -> i32 {
    // SAFETY: forwarded; the pointers are checked for NULL.
    unsafe {
        with_inner(k, |inner| {
            if let Some(w) = width.as_mut() {
                *w = inner.target.width();
            }
            if let Some(h) = height.as_mut() {
                *h = inner.target.height();
            }
            Ok(KEFIR_OK)
        })
    }
}

/// Loads a `.milk` file (also one outside the preset directory), blending
/// in. `KEFIR_ERROR_PRESET` when it cannot be read or parsed (the current
/// preset goes on).
///
/// # Safety
/// `k` is a live instance; `path` is a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_load_preset_file(k: *mut kefir, path: *const c_char) -> i32 {
    // SAFETY: forwarded.
    unsafe {
        with_inner(k, |inner| {
            let path = req_str(path, "path")?;
            inner.collect();
            let from = inner.pending.len();
            inner.player.load_file(std::path::Path::new(path));
            inner.collect();
            match inner.failure_since(from) {
                Some(message) => Err(Error::new(KEFIR_ERROR_PRESET, message)),
                None => Ok(KEFIR_OK),
            }
        })
    }
}

/// Loads preset text (a `.milk` file's contents) shown as `name` (NULL:
/// "untitled"), blending in. `KEFIR_ERROR_PRESET` when it does not parse.
///
/// # Safety
/// `k` is a live instance; `name` is NULL or NUL-terminated; `text` is
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_load_preset_text(
    k: *mut kefir,
    name: *const c_char,
    text: *const c_char,
) -> i32 {
    // SAFETY: forwarded.
    unsafe {
        with_inner(k, |inner| {
            let name = opt_str(name, "name")?.unwrap_or("untitled");
            let text = req_str(text, "text")?;
            inner.collect();
            let from = inner.pending.len();
            inner.last_text = Some((name.to_owned(), text.to_owned()));
            inner.player.load_text(name, text);
            inner.collect();
            match inner.failure_since(from) {
                Some(message) => Err(Error::new(KEFIR_ERROR_PRESET, message)),
                None => Ok(KEFIR_OK),
            }
        })
    }
}

/// Plays the preset at `path` from the playlist, blending in;
/// `KEFIR_ERROR_PRESET` if it is not in the playlist or does not load.
///
/// # Safety
/// `k` is a live instance; `path` is a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_select(k: *mut kefir, path: *const c_char) -> i32 {
    // SAFETY: forwarded.
    unsafe {
        with_inner(k, |inner| {
            let path = req_str(path, "path")?;
            inner.collect();
            let from = inner.pending.len();
            inner.player.select(std::path::Path::new(path));
            inner.collect();
            match inner.failure_since(from) {
                Some(message) => Err(Error::new(KEFIR_ERROR_PRESET, message)),
                None => Ok(KEFIR_OK),
            }
        })
    }
}

/// The next preset, blending in. Returns 1 when a preset started, 0 when
/// there was nothing to play, or a negative error. Works while locked.
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_next(k: *mut kefir) -> i32 {
    // SAFETY: forwarded.
    unsafe { with_move(k, Player::next) }
}

/// The previous preset in history, blending in; returns as `kefir_next`.
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_previous(k: *mut kefir) -> i32 {
    // SAFETY: forwarded.
    unsafe { with_move(k, Player::previous) }
}

/// A random preset, blending in; returns as `kefir_next`.
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_random(k: *mut kefir) -> i32 {
    // SAFETY: forwarded.
    unsafe { with_move(k, Player::random) }
}

/// The next preset at once, without a blend; returns as `kefir_next`.
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_hard_cut(k: *mut kefir) -> i32 {
    // SAFETY: forwarded.
    unsafe { with_move(k, Player::hard_cut) }
}

/// Locks (non-zero) or unlocks (0) the current preset: no automatic
/// changes or hard cuts while locked.
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_set_locked(k: *mut kefir, locked: i32) -> i32 {
    // SAFETY: forwarded.
    unsafe {
        with_inner(k, |inner| {
            inner.player.set_locked(locked != 0);
            Ok(KEFIR_OK)
        })
    }
}

/// 1 when the current preset is locked, 0 when not, or a negative error.
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_is_locked(k: *mut kefir) -> i32 {
    // SAFETY: forwarded.
    unsafe { with_inner(k, |inner| Ok(i32::from(inner.player.locked()))) }
}

/// Marks the current preset a favourite or unmarks it (saved to the prefs
/// file); returns 1 when it is a favourite now, 0 when not.
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_toggle_favourite(k: *mut kefir) -> i32 {
    // SAFETY: forwarded.
    unsafe { with_inner(k, |inner| Ok(i32::from(inner.player.toggle_favourite()))) }
}

/// Never plays the current preset again (saved to the prefs file) and
/// moves on; returns as `kefir_next`.
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_never_again(k: *mut kefir) -> i32 {
    // SAFETY: forwarded.
    unsafe { with_move(k, Player::never_again) }
}

/// Copies the current preset's name (UTF-8, NUL-terminated, cut to fit)
/// into `buf` of `len` bytes, like snprintf: returns the name's full length
/// in bytes (without the NUL; 0 when nothing plays), so a result `>= len`
/// means it was cut. `buf` may be NULL with `len` 0 to ask for the length.
///
/// # Safety
/// `k` is a live instance; `buf` is NULL or points to `len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_current_name(k: *mut kefir, buf: *mut c_char, len: usize) -> i32 {
    // SAFETY: forwarded; `buf` is checked.
    unsafe {
        with_inner(k, |inner| {
            let name = c_string(inner.player.current_name().unwrap_or(""));
            let bytes = name.as_bytes();
            if !buf.is_null() && len > 0 {
                let n = bytes.len().min(len - 1);
                std::ptr::copy_nonoverlapping(bytes.as_ptr(), buf.cast::<u8>(), n);
                *buf.add(n) = 0;
            }
            Ok(i32::try_from(bytes.len()).unwrap_or(i32::MAX))
        })
    }
}

/// The number of presets found in the preset directory.
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_preset_count(k: *mut kefir) -> i32 {
    // SAFETY: forwarded.
    unsafe {
        with_inner(k, |inner| {
            Ok(i32::try_from(inner.player.playlist().len()).unwrap_or(i32::MAX))
        })
    }
}

/// Sets the event callback (NULL to remove it) and its user data. Events
/// that happened before a callback was set (such as the first preset
/// starting) are delivered at the next call (up to 256 are kept).
///
/// # Safety
/// `k` is a live instance; `callback` is NULL or a function that can be
/// called with `user_data` from any thread that calls kefir.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_set_event_callback(
    k: *mut kefir,
    callback: kefir_event_fn,
    user_data: *mut c_void,
) -> i32 {
    // SAFETY: forwarded.
    unsafe {
        with_inner(k, |inner| {
            inner.callback = callback;
            inner.user_data = UserData(user_data);
            Ok(KEFIR_OK)
        })
    }
}

/// Seconds between automatic changes (0 turns them off) and the random
/// extra per preset.
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_set_preset_seconds(k: *mut kefir, seconds: f64, jitter: f64) -> i32 {
    // SAFETY: forwarded.
    unsafe {
        with_config(k, |c| {
            c.preset_seconds = seconds;
            c.preset_seconds_jitter = jitter;
            Ok(())
        })
    }
}

/// Blend times of automatic changes and of changes the host asks for (0
/// cuts).
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_set_blend_seconds(
    k: *mut kefir,
    auto_seconds: f64,
    user_seconds: f64,
) -> i32 {
    // SAFETY: forwarded.
    unsafe {
        with_config(k, |c| {
            c.blend_seconds = auto_seconds;
            c.user_blend_seconds = user_seconds;
            Ok(())
        })
    }
}

/// Random order (non-zero) or file name order (0).
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_set_shuffle(k: *mut kefir, on: i32) -> i32 {
    // SAFETY: forwarded.
    unsafe {
        with_config(k, |c| {
            c.shuffle = on != 0;
            Ok(())
        })
    }
}

/// Hard cuts on loud beats on (non-zero) or off (0).
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_set_hard_cuts(k: *mut kefir, on: i32) -> i32 {
    // SAFETY: forwarded.
    unsafe {
        with_config(k, |c| {
            c.hard_cuts = on != 0;
            Ok(())
        })
    }
}

/// Beat detection sensitivity, 0..1 (clamped).
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_set_beat_sensitivity(k: *mut kefir, sensitivity: f32) -> i32 {
    // SAFETY: forwarded.
    unsafe {
        with_config(k, |c| {
            c.beat_sensitivity = sensitivity;
            Ok(())
        })
    }
}

/// Renders frames at `scale` of the target's size each side (clamped to
/// 0.1..1; default 1) and scales them up to it: a quarter of the pixels at
/// 0.5, for a weak GPU. With a frame budget (`kefir_set_frame_budget`), the
/// highest scale the automatic scale uses. Applies from the next frame; the
/// picture carries over.
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_set_render_scale(k: *mut kefir, scale: f32) -> i32 {
    // SAFETY: forwarded.
    unsafe {
        with_config(k, |c| {
            if !scale.is_finite() {
                return Err(Error::new(
                    KEFIR_ERROR_ARGUMENT,
                    format!("render scale {scale} is not a number"),
                ));
            }
            c.engine.render_scale = scale.clamp(milk_engine::MIN_RENDER_SCALE, 1.0);
            Ok(())
        })
    }
}

/// Automatic render scale. With `budget_ms` above 0 (the display's refresh
/// interval: 16.7 for 60 Hz) Kefir times the GPU work of each
/// `kefir_render` (not the host's waits) and, while frames take longer,
/// lowers the render scale (down to `min_scale` of each side, clamped to
/// 0.1..1); it raises it again a step at a time at preset changes once
/// frames fit with room, and keeps away from a step that failed, so the
/// picture does not pump. 0 turns it off (frames go back to
/// `kefir_set_render_scale`'s scale). No preset is skipped for being slow.
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_set_frame_budget(
    k: *mut kefir,
    budget_ms: f64,
    min_scale: f32,
) -> i32 {
    // SAFETY: forwarded.
    unsafe {
        with_config(k, |c| {
            c.pacing = Pacing {
                heavy_seconds: 0.0,
                ..Pacing::default()
            }
            .with_budget_ms(budget_ms, min_scale);
            Ok(())
        })
    }
}

/// The render scale frames use now (see `kefir_set_render_scale` and
/// `kefir_set_frame_budget`), 0.1..1; 0 for a NULL instance.
///
/// # Safety
/// `k` is NULL or a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_get_render_scale(k: *mut kefir) -> f32 {
    // SAFETY: the caller promises NULL or a live instance.
    let Some(instance) = (unsafe { k.as_ref() }) else {
        return 0.0;
    };
    lock(&instance.inner).player.render_scale()
}

/// Scans another preset directory (NULL: none) instead; the current preset
/// plays on.
///
/// # Safety
/// `k` is a live instance; `dir` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_set_preset_dir(k: *mut kefir, dir: *const c_char) -> i32 {
    // SAFETY: forwarded; the caller promises NULL or a NUL-terminated
    // string.
    unsafe {
        with_config(k, |c| {
            let dir = opt_str(dir, "dir")?;
            c.preset_dirs = dir.map(PathBuf::from).into_iter().collect();
            Ok(())
        })
    }
}

/// Searches another directory (NULL: none) for the textures presets name,
/// after each preset's own directory; applies to presets loaded from now on.
///
/// # Safety
/// `k` is a live instance; `dir` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_set_texture_dir(k: *mut kefir, dir: *const c_char) -> i32 {
    // SAFETY: forwarded; the caller promises NULL or a NUL-terminated
    // string.
    unsafe {
        with_config(k, |c| {
            let dir = opt_str(dir, "dir")?;
            c.texture_dirs = dir.map(PathBuf::from).into_iter().collect();
            Ok(())
        })
    }
}

/// The audio levels of the last frame.
///
/// # Safety
/// `k` is a live instance; `out` points to a writable `kefir_audio_levels`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_get_audio_levels(
    k: *mut kefir,
    out: *mut kefir_audio_levels,
) -> i32 {
    // SAFETY: forwarded; `out` is checked.
    unsafe {
        with_inner(k, |inner| {
            let out = out.as_mut().ok_or_else(|| Error::null("out"))?;
            let a = inner.player.audio();
            *out = kefir_audio_levels {
                bass: a.bass,
                mid: a.mid,
                treb: a.treb,
                bass_att: a.bass_att,
                mid_att: a.mid_att,
                treb_att: a.treb_att,
                beat: i32::from(a.beat),
                bpm: a.bpm.unwrap_or(0.0),
            };
            Ok(KEFIR_OK)
        })
    }
}

/// Sets the log callback (NULL turns logging off) for the whole process:
/// every instance's messages, and those logged while none exists (device
/// creation), at `level` and more important. Kefir logs presets starting
/// (`KEFIR_LOG_LEVEL_INFO`) and every problem (`KEFIR_LOG_LEVEL_WARN`):
/// presets that do not load, code blocks that do not compile (with the
/// file's line and column), shaders that fall back, missing textures; wgpu
/// adds its own messages under its module names. See `kefir_log_fn` for
/// the threads it is called on. In a Rust program that set a `log` logger
/// of its own, that logger gets the messages instead.
///
/// # Safety
/// `callback` is NULL or a function that may be called with `user_data`
/// from any thread, concurrently, until it is replaced.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_set_log_callback(
    callback: kefir_log_fn,
    user_data: *mut c_void,
    level: kefir_log_level,
) -> i32 {
    guard(|| {
        logging::set(callback, user_data, level);
        Ok(KEFIR_OK)
    })
}

/// Metadata of a preset: the current one for a negative `index` (-1), else entry
/// `index` of the playlist (0 to `kefir_preset_count() - 1`, file name
/// order). Reads and parses the preset's file for its header (version,
/// rating), so call it when showing a preset, not every frame. Returns
/// NULL on failure (see `kefir_last_error`; an index out of range, or -1
/// before any preset played). The caller owns the result: free it with
/// `kefir_preset_info_free`.
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_get_preset_info(
    k: *mut kefir,
    index: i32,
) -> *mut kefir_preset_info {
    let mut made: *mut kefir_preset_info = std::ptr::null_mut();
    // SAFETY: forwarded.
    unsafe {
        with_inner(k, |inner| {
            made = preset_info(inner, index)?;
            Ok(KEFIR_OK)
        })
    };
    made
}

fn preset_info(inner: &Inner, index: i32) -> Result<*mut kefir_preset_info> {
    let player = &inner.player;
    let playlist = player.playlist();
    let entries = playlist.entries();
    let current_path = player.current_path();
    let prefs = playlist.prefs();
    let broken = |path: &std::path::Path| {
        playlist
            .broken()
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, reason)| reason.clone())
    };
    let facts = if index < 0 {
        let name = player
            .current_name()
            .ok_or_else(|| Error::new(KEFIR_ERROR_ARGUMENT, "no preset has played yet"))?;
        let path = current_path.map(std::path::Path::to_path_buf);
        let key = path.as_deref().map(milk_playlist::preset_key);
        let text = match (&path, &inner.last_text) {
            (None, Some((text_name, text))) if text_name == name => Some(text.as_str()),
            _ => None,
        };
        info::Facts {
            name: name.to_owned(),
            index: path
                .as_deref()
                .and_then(|p| entries.iter().position(|e| e.path == p)),
            current: true,
            favourite: key.as_deref().is_some_and(|k| prefs.is_favourite(k)),
            never_again: key.as_deref().is_some_and(|k| prefs.is_never(k)),
            broken: path.as_deref().and_then(broken),
            text,
            report: inner.current_report.as_ref(),
            seconds_played: player.preset_time(),
            seconds_left: player.time_left(),
            path,
        }
    } else {
        let i = usize::try_from(index).unwrap_or(usize::MAX);
        let entry = entries.get(i).ok_or_else(|| {
            Error::new(
                KEFIR_ERROR_ARGUMENT,
                format!("preset index {index} is outside 0..{}", entries.len()),
            )
        })?;
        let current = current_path == Some(entry.path.as_path());
        let key = entry.key();
        info::Facts {
            name: entry.name.clone(),
            path: Some(entry.path.clone()),
            index: Some(i),
            current,
            favourite: prefs.is_favourite(&key),
            never_again: prefs.is_never(&key),
            broken: broken(&entry.path),
            text: None,
            report: if current {
                inner.current_report.as_ref()
            } else {
                None
            },
            seconds_played: if current { player.preset_time() } else { 0.0 },
            seconds_left: if current { player.time_left() } else { None },
        }
    };
    Ok(info::boxed(facts))
}

/// Frees a `kefir_preset_info` (NULL is ignored).
///
/// # Safety
/// `info` is NULL or from `kefir_get_preset_info`, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_preset_info_free(info: *mut kefir_preset_info) {
    guard(|| {
        // SAFETY: forwarded.
        unsafe { info::free(info) };
        Ok(KEFIR_OK)
    });
}

/// Plays entry `index` of the playlist (see `kefir_get_preset_info`),
/// blending in; `KEFIR_ERROR_ARGUMENT` for an index out of range,
/// `KEFIR_ERROR_PRESET` if it does not load.
///
/// # Safety
/// `k` is a live instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kefir_select_index(k: *mut kefir, index: i32) -> i32 {
    // SAFETY: forwarded.
    unsafe {
        with_inner(k, |inner| {
            let path = usize::try_from(index)
                .ok()
                .and_then(|i| inner.player.playlist().entries().get(i))
                .map(|e| e.path.clone())
                .ok_or_else(|| {
                    Error::new(
                        KEFIR_ERROR_ARGUMENT,
                        format!(
                            "preset index {index} is outside 0..{}",
                            inner.player.playlist().len()
                        ),
                    )
                })?;
            inner.collect();
            let from = inner.pending.len();
            inner.player.select(&path);
            inner.collect();
            match inner.failure_since(from) {
                Some(message) => Err(Error::new(KEFIR_ERROR_PRESET, message)),
                None => Ok(KEFIR_OK),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_device_is_replaced_and_its_preset_skipped() {
        let presets = CString::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../presets")).unwrap();
        let mut config = default_config();
        config.width = 64;
        config.height = 36;
        config.mesh_width = 12;
        config.mesh_height = 9;
        config.preset_dir = presets.as_ptr();
        // SAFETY: a valid config; the instance is destroyed at the end.
        unsafe {
            let k = kefir_create(&config);
            assert!(!k.is_null(), "{:?}", CStr::from_ptr(kefir_last_error()));
            let mut rgba = vec![0u8; 64 * 36 * 4];
            assert_eq!(
                kefir_render(k, 1.0 / 30.0, rgba.as_mut_ptr(), rgba.len()),
                KEFIR_OK
            );
            let (before, path) = {
                let inner = lock(&(*k).inner);
                let name = inner.player.current_name().unwrap().to_owned();
                let path = inner.player.current_path().unwrap().to_path_buf();
                // What a GPU reset does to the device (the callback ignores
                // a destroy asked for, so the test raises the flag itself).
                inner.gpu.device.destroy();
                inner.lost.store(true, Ordering::Relaxed);
                (name, path)
            };
            let mut lit = 0;
            for _ in 0..30 {
                assert_eq!(
                    kefir_render(k, 1.0 / 30.0, rgba.as_mut_ptr(), rgba.len()),
                    KEFIR_OK,
                    "{:?}",
                    CStr::from_ptr(kefir_last_error())
                );
                lit = rgba
                    .chunks(4)
                    .filter(|p| p[..3].iter().any(|&c| c > 8))
                    .count();
            }
            let inner = lock(&(*k).inner);
            assert_ne!(inner.player.current_name(), Some(before.as_str()));
            assert!(lit > 20, "{lit} lit pixels on the new device");
            assert!(
                inner
                    .player
                    .playlist()
                    .broken()
                    .iter()
                    .any(|(p, _)| p == &path)
            );
            assert!(inner.pending.iter().any(|e| matches!(
                e,
                PlayerEvent::Failed { path: Some(p), error } if p == &path && error.contains("the GPU was lost")
            )));
            drop(inner);
            kefir_destroy(k);
        }
    }
}
