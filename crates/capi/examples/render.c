/*
 * Kefir from C: renders a few frames headless from a preset directory with
 * a synthetic signal (a 440 Hz tone over a pulsing 55 Hz bass), checks that
 * they are not blank, and writes the last one as a PPM image.
 *
 *   render <preset-dir> <out.ppm>
 *
 * Exit status 0 when everything worked, 1 when a check failed, 2 when no
 * instance could be created. See README.md beside this directory for how
 * to build it; crates/capi/tests/c_example.rs builds and runs it in CI.
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

    kefir_destroy(k);
    free(rgba);
    printf(ok ? "ok\n" : "FAILED\n");
    return ok ? 0 : 1;
}
