/*
 * Kefir from C: renders a few frames headless from a preset directory with
 * a synthetic signal (a 440 Hz tone over a pulsing 55 Hz bass), checks that
 * they are not blank, and writes the last one as a PPM image.
 *
 *   render <preset-dir> <out.ppm>
 *
 * Exit status 0 when everything worked, 1 when a check failed, 2 when no
 * instance could be created. Build it against an installed Kefir with
 *
 *   cc -std=c99 render.c $(pkg-config --cflags --libs kefir) -lm -o render
 *
 * (crates/capi/tests/install.rs installs into a temporary prefix, builds it
 * that way and runs it in CI).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kefir.h"

#define WIDTH 160
#define HEIGHT 120
#define RATE 48000
#define FPS 30
#define FRAMES 45

struct counts {
    int switches;
    int failures;
};

struct logs {
    int warnings;
    int code_error_lines; /* warnings that locate a code error: "name: line:col: ..." */
};

/* The log callback may run on any thread, several at once: a real player
 * would use atomics or a lock here; this example renders on one thread and
 * Kefir's worker threads log nothing at these levels. */
static void on_log(void *user_data, kefir_log_level level, const char *target,
                   const char *message) {
    struct logs *logs = user_data;
    if (level == KEFIR_LOG_LEVEL_WARN) {
        logs->warnings++;
        if (strstr(message, "typed-broken: 2:")) {
            logs->code_error_lines++;
        }
    }
    printf("log %d %s: %s\n", (int)level, target, message);
}

static void on_event(void *user_data, const kefir_event *event) {
    struct counts *counts = user_data;
    switch (event->kind) {
    case KEFIR_EVENT_KIND_SWITCHED:
        counts->switches++;
        printf("switch: %s (%s, prepared in %.1f ms)\n", event->name,
               event->blend ? "blend" : "cut", event->prepare_ms);
        break;
    case KEFIR_EVENT_KIND_FAILED:
        counts->failures++;
        printf("failed: %s: %s\n", event->path ? event->path : "(text)", event->message);
        break;
    case KEFIR_EVENT_KIND_WARNING:
        printf("warning: %s\n", event->message);
        break;
    }
}

static int check(int ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "check failed: %s (last error: %s)\n", what, kefir_last_error());
    }
    return ok;
}

static int write_ppm(const char *path, const uint8_t *rgba, int width, int height) {
    FILE *f = fopen(path, "wb");
    if (!f) {
        return 0;
    }
    fprintf(f, "P6\n%d %d\n255\n", width, height);
    for (int i = 0; i < width * height; i++) {
        fwrite(rgba + 4 * i, 1, 3, f);
    }
    return fclose(f) == 0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s <preset-dir> <out.ppm>\n", argv[0]);
        return 1;
    }
    /* First, before any thread starts: on a machine without a GPU, Mesa's
     * llvmpipe then filters textures as a GPU does. */
    kefir_request_exact_texture_filtering();
    printf("kefir %s\n", kefir_version());

    kefir_config config;
    kefir_config_default(&config);
    config.width = WIDTH;
    config.height = HEIGHT;
    config.preset_dir = argv[1];
    config.preset_seconds = 0.5; /* change every 0.75 s: blend + 0.5 s */
    config.preset_seconds_jitter = 0.0;
    config.blend_seconds = 0.25;
    config.mesh_width = 24;
    config.mesh_height = 18;
    config.seed = 1;

    kefir *k = kefir_create(&config);
    if (!k) {
        fprintf(stderr, "kefir_create: %s\n", kefir_last_error());
        return 2;
    }
    struct counts counts = {0, 0};
    int ok = 1;
    ok &= check(kefir_set_event_callback(k, on_event, &counts) == KEFIR_OK, "callback");
    int presets = kefir_preset_count(k);
    printf("presets: %d\n", presets);
    ok &= check(presets > 0, "presets found");

    size_t size = (size_t)WIDTH * HEIGHT * 4;
    uint8_t *rgba = malloc(size);
    float stereo[2 * RATE / FPS];
    int16_t mono[RATE / FPS];
    size_t frames_per_video_frame = RATE / FPS;
    double t = 0.0;
    for (int frame = 0; frame < FRAMES; frame++) {
        for (size_t i = 0; i < frames_per_video_frame; i++, t += 1.0 / RATE) {
            double beat = fmod(t * 2.0, 1.0) < 0.25 ? 1.0 : 0.2; /* 120 BPM pulses */
            double s = 0.25 * sin(2 * M_PI * 440.0 * t) + 0.5 * beat * sin(2 * M_PI * 55.0 * t);
            stereo[2 * i] = (float)s;
            stereo[2 * i + 1] = (float)(0.8 * s);
            mono[i] = (int16_t)(s * 32767.0);
        }
        /* Alternate float stereo and 16-bit mono, as a host might. */
        int pushed = frame % 2 == 0
                         ? kefir_push_audio_f32(k, stereo, frames_per_video_frame, 2, RATE)
                         : kefir_push_audio_i16(k, mono, frames_per_video_frame, 1, RATE);
        ok &= check(pushed == KEFIR_OK, "push audio");
        if (kefir_render(k, 1.0 / FPS, rgba, size) != KEFIR_OK) {
            check(0, "render");
            ok = 0;
            break;
        }
    }

    /* The picture: some lit pixels, not one flat colour. */
    size_t lit = 0, differing = 0;
    for (size_t i = 0; i < (size_t)WIDTH * HEIGHT; i++) {
        const uint8_t *p = rgba + 4 * i;
        if (p[0] > 16 || p[1] > 16 || p[2] > 16) {
            lit++;
        }
        if (memcmp(p, rgba, 3) != 0) {
            differing++;
        }
    }
    printf("lit pixels: %zu of %d, differing from the first: %zu\n", lit, WIDTH * HEIGHT,
           differing);
    ok &= check(lit > WIDTH * HEIGHT / 100, "frame is not blank");
    ok &= check(differing > 0, "frame is not one colour");
    ok &= check(write_ppm(argv[2], rgba, WIDTH, HEIGHT), "write the PPM");

    kefir_audio_levels levels;
    ok &= check(kefir_get_audio_levels(k, &levels) == KEFIR_OK, "levels");
    printf("bass %.2f mid %.2f treb %.2f\n", levels.bass, levels.mid, levels.treb);

    /* Playlist controls and names. */
    char name[256];
    ok &= check(kefir_next(k) == 1, "next");
    ok &= check(kefir_hard_cut(k) == 1, "hard cut");
    ok &= check(kefir_previous(k) == 1, "previous");
    ok &= check(kefir_set_locked(k, 1) == KEFIR_OK && kefir_is_locked(k) == 1, "lock");
    int len = kefir_current_name(k, name, sizeof name);
    ok &= check(len > 0 && (size_t)len < sizeof name, "current name");
    printf("current: %s\n", name);
    ok &= check(kefir_current_name(k, name, 4) == len && strlen(name) == 3, "name cut to fit");
    ok &= check(kefir_set_preset_seconds(k, 5.0, 1.0) == KEFIR_OK, "settings");
    ok &= check(kefir_set_hard_cuts(k, 1) == KEFIR_OK, "hard cuts");
    ok &= check(kefir_set_beat_sensitivity(k, 0.7f) == KEFIR_OK, "sensitivity");

    /* Presets from text, and failures that must be errors, not crashes. */
    ok &= check(kefir_load_preset_text(k, "typed", "[preset00]\nzoom=1.05\nwave_r=1\n") ==
                    KEFIR_OK,
                "load text");
    ok &= check(kefir_load_preset_file(k, "/nonexistent/preset.milk") == KEFIR_ERROR_PRESET,
                "missing file is an error");
    printf("expected error: %s\n", kefir_last_error());
    ok &= check(kefir_render(k, 1.0 / FPS, rgba, 16) == KEFIR_ERROR_ARGUMENT, "small buffer");
    ok &= check(kefir_render(NULL, 1.0 / FPS, rgba, size) == KEFIR_ERROR_NULL, "NULL instance");
    ok &= check(kefir_load_preset_file(k, "\xff\xfe.milk") == KEFIR_ERROR_UTF8, "bad UTF-8");
    ok &= check(kefir_resize(k, 0, 10) == KEFIR_ERROR_ARGUMENT, "bad size");
    ok &= check(kefir_resize(k, 64, 48) == KEFIR_OK, "resize");
    ok &= check(kefir_render(k, 1.0 / FPS, rgba, size) == KEFIR_OK, "render after resize");
    uint32_t w = 0, h = 0;
    ok &= check(kefir_get_size(k, &w, &h) == KEFIR_OK && w == 64 && h == 48, "size");

    printf("switches: %d, failures: %d\n", counts.switches, counts.failures);
    ok &= check(counts.switches >= 5, "switch events");
    ok &= check(counts.failures == 1, "one failure event");

    /* What a player needs beyond frames: logs, preset metadata, audio at
     * any rate, frames into padded BGRA images. */
    struct logs logs = {0, 0};
    ok &= check(kefir_set_log_callback(on_log, &logs, KEFIR_LOG_LEVEL_WARN) == KEFIR_OK, "log");
    ok &= check(kefir_load_preset_text(k, "typed-broken",
                                       "[preset00]\nper_frame_1=zoom = zoom + ;\n") == KEFIR_OK,
                "a preset with a broken code block still loads");
    ok &= check(logs.code_error_lines == 1, "the code error is logged with its line");
    kefir_preset_info *info = kefir_get_preset_info(k, -1);
    ok &= check(info != NULL, "current preset info");
    if (info) {
        printf("current: %s, MilkDrop %d, rating %.1f, %u code errors\n%s\n", info->name,
               info->milkdrop_version, info->rating, info->code_errors,
               info->problems ? info->problems : "");
        ok &= check(info->current == 1 && info->path == NULL && info->index == -1, "text preset");
        ok &= check(info->code_errors == 1 && info->problems != NULL, "its problem");
        kefir_preset_info_free(info);
    }
    ok &= check(kefir_set_log_callback(NULL, NULL, KEFIR_LOG_LEVEL_OFF) == KEFIR_OK, "log off");
    ok &= check(kefir_select_index(k, 1) == KEFIR_OK, "select by index");
    ok &= check(kefir_select_index(k, presets) == KEFIR_ERROR_ARGUMENT, "index out of range");
    info = kefir_get_preset_info(k, 1);
    ok &= check(info != NULL, "playlist entry info");
    if (info) {
        printf("entry 1: %s (%s), MilkDrop %d, rating %.1f\n", info->name, info->path,
               info->milkdrop_version, info->rating);
        ok &= check(info->index == 1 && info->current == 1 && info->parsed == 1, "entry 1 plays");
        ok &= check(info->milkdrop_version >= 100, "its version");
        kefir_preset_info_free(info);
    }
    ok &= check(kefir_get_preset_info(k, presets) == NULL, "no entry past the end");

    /* 22.05 kHz mono, then 96 kHz stereo, as different decoders give. */
    static float pcm[2 * 96000 / FPS];
    const uint32_t rates[] = {22050, 96000};
    const uint32_t channels[] = {1, 2};
    for (int r = 0; r < 2; r++) {
        size_t n = rates[r] / FPS;
        for (int frame = 0; frame < 8; frame++) {
            for (size_t i = 0; i < n; i++, t += 1.0 / rates[r]) {
                float s = (float)(0.6 * sin(2 * M_PI * 60.0 * t));
                for (uint32_t c = 0; c < channels[r]; c++) {
                    pcm[i * channels[r] + c] = s;
                }
            }
            ok &= check(kefir_push_audio_f32(k, pcm, n, channels[r], rates[r]) == KEFIR_OK,
                        "push at any rate");
            ok &= check(kefir_render(k, 1.0 / FPS, NULL, 0) == KEFIR_OK, "render, no read-back");
        }
        ok &= check(kefir_get_audio_levels(k, &levels) == KEFIR_OK, "levels");
        printf("%u Hz: bass %.2f treb %.2f\n", rates[r], levels.bass, levels.treb);
        ok &= check(levels.bass > levels.treb, "a 60 Hz tone is bass at any rate");
    }

    /* BGRA into rows with padding (64 x 48 now). */
    size_t stride = 64 * 4 + 32;
    size_t image_len = stride * 48;
    uint8_t *image = malloc(image_len);
    memset(image, 0xab, image_len);
    ok &= check(kefir_render_into(k, 1.0 / FPS, KEFIR_PIXEL_FORMAT_BGRA, image, stride,
                                  image_len) == KEFIR_OK,
                "render into a padded BGRA image");
    int padding_kept = 1, opaque = 1;
    for (int y = 0; y < 48; y++) {
        for (size_t x = 64 * 4; x < stride; x++) {
            padding_kept &= image[y * stride + x] == 0xab;
        }
        for (int x = 0; x < 64; x++) {
            opaque &= image[y * stride + 4 * x + 3] == 255;
        }
    }
    ok &= check(padding_kept, "the padding between rows is left alone");
    ok &= check(opaque, "alpha is 255");
    ok &= check(kefir_render_into(k, 0.0, KEFIR_PIXEL_FORMAT_BGRA, image, 64 * 4 - 4, image_len) ==
                    KEFIR_ERROR_ARGUMENT,
                "a stride shorter than a row");
    free(image);

    kefir_destroy(k);
    free(rgba);
    printf(ok ? "ok\n" : "FAILED\n");
    return ok ? 0 : 1;
}
