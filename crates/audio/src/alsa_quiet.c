/* libasound prints its errors ("cannot find card '0'", "Unknown PCM ...") to
 * stderr through a global handler. Kefir reports audio problems itself, in
 * one line, so it swaps that handler for one that ignores them. The handler
 * is variadic, which Rust cannot define on stable, hence this file. */
#include <stdarg.h>

typedef void (*kefir_alsa_error_handler)(const char *file, int line, const char *function, int err,
                                         const char *fmt, ...);

int snd_lib_error_set_handler(kefir_alsa_error_handler handler);

static void kefir_alsa_ignore(const char *file, int line, const char *function, int err,
                              const char *fmt, ...) {
    (void)file;
    (void)line;
    (void)function;
    (void)err;
    (void)fmt;
}

int kefir_alsa_silence(void) { return snd_lib_error_set_handler(kefir_alsa_ignore); }
