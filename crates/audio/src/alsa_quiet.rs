//! Keeps libasound's own error lines ("ALSA lib confmisc.c:855:
//! (snd_func_card_inum) cannot find card '0'", ...) off the user's terminal.
//! Kefir says what matters in its own words (no input device: the demo
//! signal plays); cpal still returns every error. Set `KEFIR_ALSA_ERRORS=1`
//! to see ALSA's lines when debugging a sound setup.

/// Swaps libasound's error printer for one that ignores errors, once per
/// process (unless `KEFIR_ALSA_ERRORS` is set). Capture calls it before it
/// touches a device; hosts that open sound output through cpal themselves
/// call it first too. Does nothing off Linux.
pub fn silence_alsa_errors() {
    #[cfg(target_os = "linux")]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            if std::env::var_os("KEFIR_ALSA_ERRORS").is_some_and(|v| !v.is_empty() && v != "0") {
                return;
            }
            unsafe extern "C" {
                fn kefir_alsa_silence() -> std::ffi::c_int;
            }
            // SAFETY: sets libasound's global error handler to a C function
            // with the exact variadic signature it expects; called once,
            // before this crate opens any device.
            unsafe {
                kefir_alsa_silence();
            }
        });
    }
}
