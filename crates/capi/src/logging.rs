//! The log callback (`kefir_set_log_callback`): a `log` logger that hands
//! records (Kefir's own and wgpu's) to the host, and the log lines Kefir
//! writes for player events.

use std::ffi::c_void;
use std::sync::{Once, RwLock};

use kefir_player::PlayerEvent;

use crate::{c_string, kefir_log_fn, kefir_log_level};

/// The host's callback.
#[derive(Clone, Copy)]
struct Sink {
    callback: unsafe extern "C" fn(
        *mut c_void,
        kefir_log_level,
        *const std::ffi::c_char,
        *const std::ffi::c_char,
    ),
    /// The user data pointer, never dereferenced by Kefir.
    user_data: usize,
    level: kefir_log_level,
}

static SINK: RwLock<Option<Sink>> = RwLock::new(None);

struct Bridge;

static BRIDGE: Bridge = Bridge;

fn level_of(level: log::Level) -> kefir_log_level {
    match level {
        log::Level::Error => kefir_log_level::Error,
        log::Level::Warn => kefir_log_level::Warn,
        log::Level::Info => kefir_log_level::Info,
        log::Level::Debug => kefir_log_level::Debug,
        log::Level::Trace => kefir_log_level::Trace,
    }
}

fn filter_of(level: kefir_log_level) -> log::LevelFilter {
    match level {
        kefir_log_level::Off => log::LevelFilter::Off,
        kefir_log_level::Error => log::LevelFilter::Error,
        kefir_log_level::Warn => log::LevelFilter::Warn,
        kefir_log_level::Info => log::LevelFilter::Info,
        kefir_log_level::Debug => log::LevelFilter::Debug,
        kefir_log_level::Trace => log::LevelFilter::Trace,
    }
}

fn sink() -> Option<Sink> {
    *SINK.read().unwrap_or_else(|e| e.into_inner())
}

impl log::Log for Bridge {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        sink().is_some_and(|s| level_of(metadata.level()) <= s.level)
    }

    fn log(&self, record: &log::Record) {
        // Copied out of the lock: the callback runs with no lock of ours.
        let Some(sink) = sink() else {
            return;
        };
        let level = level_of(record.level());
        if level > sink.level {
            return;
        }
        let target = c_string(record.target());
        let message = c_string(&record.args().to_string());
        // SAFETY: the host's callback with its user data; the strings live
        // until it returns.
        unsafe {
            (sink.callback)(
                sink.user_data as *mut c_void,
                level,
                target.as_ptr(),
                message.as_ptr(),
            )
        };
    }

    fn flush(&self) {}
}

/// Installs (or with `None`, removes) the host's callback.
pub(crate) fn set(callback: kefir_log_fn, user_data: *mut c_void, level: kefir_log_level) {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Fails only if a Rust program linking this crate set a logger of
        // its own first; its logger then gets the records.
        let _ = log::set_logger(&BRIDGE);
    });
    let sink = callback.map(|callback| Sink {
        callback,
        user_data: user_data as usize,
        level,
    });
    *SINK.write().unwrap_or_else(|e| e.into_inner()) = sink;
    log::set_max_level(if sink.is_some() {
        filter_of(level)
    } else {
        log::LevelFilter::Off
    });
}

/// Logs what a player event says: presets starting (info), and every
/// problem (warn): failures to load, code that did not compile, shaders
/// that fell back, missing textures, unreadable directories.
pub(crate) fn event(event: &PlayerEvent) {
    match event {
        PlayerEvent::Switched {
            path,
            name,
            blend,
            report,
        } => {
            log::info!(
                target: "kefir",
                "preset {name} started ({}; prepared in {:.1} ms)",
                if *blend { "blending in" } else { "cut" },
                report.prepare_time.as_secs_f64() * 1e3
            );
            let place = path
                .as_ref()
                .map_or_else(|| name.clone(), |p| p.display().to_string());
            for e in &report.errors {
                log::warn!(target: "kefir", "{place}: {e} (block disabled)");
            }
            for f in &report.shader_failures {
                log::warn!(target: "kefir", "{place}: {f} (default shader used)");
            }
            for t in &report.texture_warnings {
                log::warn!(target: "kefir", "{place}: {t}");
            }
        }
        PlayerEvent::Failed { path, error } => {
            let place = path
                .as_ref()
                .map_or_else(|| "preset text".to_owned(), |p| p.display().to_string());
            log::warn!(target: "kefir", "{place}: {error} (skipped)");
        }
        PlayerEvent::Warning { message } => log::warn!(target: "kefir", "{message}"),
        _ => {}
    }
}
