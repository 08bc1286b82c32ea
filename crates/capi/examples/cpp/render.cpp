// Kefir from C++: a small RAII wrapper over the C API, rendering the
// presets that come with Kefir (installed in share/kefir/presets) into a
// BGRA image with padded rows, as a Qt or Cairo host would. Checks that the
// frames are not blank and that they change, then prints "ok".
//
//   render_cpp [preset-dir]
#include <kefir.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct Destroy {
    void operator()(kefir *k) const { kefir_destroy(k); }
};
using Instance = std::unique_ptr<kefir, Destroy>;

struct InfoFree {
    void operator()(kefir_preset_info *info) const { kefir_preset_info_free(info); }
};
using PresetInfo = std::unique_ptr<kefir_preset_info, InfoFree>;

void check(int code, const char *what) {
    if (code < 0) {
        throw std::runtime_error(std::string(what) + ": " + kefir_last_error());
    }
}

// Pixels that are not black, in a BGRA image with rows `stride` bytes apart.
size_t lit(const std::vector<uint8_t> &image, int width, int height, size_t stride) {
    size_t n = 0;
    for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
            const uint8_t *p = &image[y * stride + 4 * x];
            n += p[0] > 16 || p[1] > 16 || p[2] > 16;
        }
    }
    return n;
}

}  // namespace

int main(int argc, char **argv) try {
    const std::string presets = argc > 1 ? argv[1] : KEFIR_PRESETS;
    const int width = 96, height = 64, fps = 30, rate = 44100;

    kefir_config config;
    check(kefir_config_default(&config), "defaults");
    config.width = width;
    config.height = height;
    config.mesh_width = 16;
    config.mesh_height = 12;
    config.preset_dir = presets.c_str();
    config.preset_seconds = 0.0;  // no automatic changes
    config.seed = 7;
    Instance k(kefir_create(&config));
    if (!k) {
        std::fprintf(stderr, "kefir_create: %s\n", kefir_last_error());
        return 2;
    }
    std::printf("kefir %s, %d presets from %s\n", kefir_version(), kefir_preset_count(k.get()),
                presets.c_str());
    if (kefir_preset_count(k.get()) < 1) {
        throw std::runtime_error("no presets installed");
    }

    const size_t stride = width * 4 + 16;
    std::vector<uint8_t> first(stride * height), image(stride * height);
    std::vector<float> pcm(2 * rate / fps);
    double t = 0;
    for (int frame = 0; frame < 30; frame++) {
        for (size_t i = 0; i < pcm.size() / 2; i++, t += 1.0 / rate) {
            // A kick, and a 9 kHz tone for treble (a preset's wave may
            // follow the treble, as MilkDrop 2's wave mode 3 does).
            const double kick = std::fmod(t * 2, 1.0) < 0.2 ? 0.9 : 0.1;
            const double hiss = 0.1 * std::sin(2 * M_PI * 9000 * t);
            pcm[2 * i] = pcm[2 * i + 1] = float(kick * std::sin(2 * M_PI * 50 * t) + hiss);
        }
        check(kefir_push_audio_f32(k.get(), pcm.data(), pcm.size() / 2, 2, rate), "audio");
        check(kefir_render_into(k.get(), 1.0 / fps, KEFIR_PIXEL_FORMAT_BGRA, image.data(), stride,
                                image.size()),
              "render");
        if (frame == 10) {
            first = image;
        }
    }
    PresetInfo info(kefir_get_preset_info(k.get(), -1));
    if (!info) {
        throw std::runtime_error(std::string("preset info: ") + kefir_last_error());
    }
    const size_t on = lit(image, width, height, stride);
    std::printf("preset %s (index %d, rating %.1f): %zu of %d pixels lit\n", info->name,
                info->index, info->rating, on, width * height);
    if (on < size_t(width * height / 50)) {
        throw std::runtime_error("the frame is blank");
    }
    if (image == first) {
        throw std::runtime_error("the picture does not move");
    }
    std::printf("ok\n");
    return 0;
} catch (const std::exception &e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
}
