//! Corpus smoke test: every preset of the butterchurn sample of the shared
//! corpus, and deterministic samples of ~100 MilkDrop 1.x and ~60 MilkDrop
//! 2 presets from cream-of-the-crop, render a few frames with real audio
//! (the demo track's waveform and spectrum) without an error, a panic, a
//! GPU validation error or non-finite per-frame results; every shader in
//! the sample runs (no fallback); and presets that draw something (a main
//! wave, custom waves or shapes, borders) put at least one non-black pixel
//! on a black start.

use std::path::{Path, PathBuf};
use std::time::Instant;

use milk_audio::{ANALYSIS_RATE, Analyzer, AnalyzerConfig, AudioFrame, demo_track};
use milk_engine::headless::Headless;
use milk_engine::runtime::FrameState;
use milk_engine::{Config, Visualizer};
use milk_parser::Preset;

const W: u32 = 64;
const H: u32 = 48;
const FRAMES: usize = 3;
/// MilkDrop 1.x's default mesh (48x36 is MilkDrop 2's): the same code paths
/// at half the per-vertex cost, to keep the test fast on lavapipe.
const MESH: (u32, u32) = (32, 24);
const FPS: f64 = 60.0;
/// Cream-of-the-crop MilkDrop 1.x and 2 presets to sample.
const V1_SAMPLE: usize = 100;
const V2_SAMPLE: usize = 60;

/// `FRAMES` analysed frames of the demo track, starting one second in (so
/// the waveform, spectrum and levels are not silent).
fn audio_frames() -> Vec<AudioFrame> {
    let mut synth = demo_track(ANALYSIS_RATE);
    let mut analyzer = Analyzer::new(AnalyzerConfig::default());
    let per_frame = (f64::from(ANALYSIS_RATE) / FPS).round() as usize;
    let mut frames = Vec::new();
    for f in 0..FPS as usize + FRAMES {
        let samples: Vec<[f32; 2]> = (0..per_frame).map_while(|_| synth.next_frame()).collect();
        analyzer.push_analysis_rate(&samples);
        let audio = analyzer.frame((1.0 / FPS) as f32);
        if f >= FPS as usize {
            frames.push(audio.clone());
        }
    }
    let loud = frames
        .iter()
        .any(|a| a.bass > 0.1 && a.wave[0].iter().any(|&s| s.abs() > 0.01));
    assert!(loud, "demo track audio is silent");
    frames
}

/// The `MILKDROP_PRESET_VERSION` of a file (100 when absent), without
/// parsing the whole preset.
fn file_version(bytes: &[u8]) -> i32 {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    text.lines()
        .find_map(|l| l.trim().strip_prefix("MILKDROP_PRESET_VERSION="))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(100)
}

/// Every `n`th MilkDrop 1.x (`v2` false) or 2 preset of cream-of-the-crop,
/// about `count`.
fn cream_sample(corpus: &Path, v2: bool, count: usize) -> Vec<PathBuf> {
    let cream: Vec<PathBuf> = kefir_corpus::milk_files_in(corpus)
        .into_iter()
        .filter(|p| p.components().any(|c| c.as_os_str() == "cream-of-the-crop"))
        .filter(|p| std::fs::read(p).is_ok_and(|b| (file_version(&b) >= 200) == v2))
        .collect();
    assert!(cream.len() >= count, "cream-of-the-crop presets missing");
    let step = cream.len() / count;
    cream.into_iter().step_by(step).take(count).collect()
}

/// Whether the preset surely draws something visible within a few frames:
/// a main wave whose alpha does not depend on the volume (and is not
/// vanishingly faint or small), custom waves or
/// shapes, or a non-black border at least 2% of the screen thick (thinner
/// ones can fall between the pixel centres at 64x48). Motion vectors do not
/// count (they can sit off-screen).
fn draws_something(p: &Preset) -> bool {
    let b = &p.base;
    let border =
        |size: f64, a: f64, rgb: [f64; 3]| size >= 0.02 && a > 0.0 && rgb.iter().sum::<f64>() > 0.0;
    (b.wave_alpha >= 0.02 && b.wave_scale >= 0.05 && !b.mod_wave_alpha_by_volume)
        || p.waves.iter().any(|w| w.params.enabled)
        || p.shapes.iter().any(|s| s.params.enabled)
        || border(b.ob_size, b.ob_a, [b.ob_r, b.ob_g, b.ob_b])
        || border(b.ib_size, b.ib_a, [b.ib_r, b.ib_g, b.ib_b])
}

fn finite(s: &FrameState) -> bool {
    s.motion.to_array().iter().all(|v| v.is_finite())
        && [s.decay, s.gamma, s.echo_alpha, s.echo_zoom]
            .iter()
            .all(|v| v.is_finite())
}

#[test]
fn corpus_presets_render_and_draw() {
    let Some(corpus) = kefir_corpus::dir_or_skip("milk-engine corpus_presets_render_and_draw")
    else {
        return;
    };
    let started = Instant::now();
    let gpu = Headless::new().unwrap_or_else(|e| panic!("needs a wgpu adapter: {e}"));
    let butterchurn = kefir_corpus::milk_files_in(&corpus.join("butterchurn"));
    assert!(butterchurn.len() > 100, "corpus sample missing");
    let v1 = cream_sample(&corpus, false, V1_SAMPLE);
    let v2 = cream_sample(&corpus, true, V2_SAMPLE);
    let audio = audio_frames();
    let target = gpu.target(W, H);
    let black = vec![0u8; (W * H * 4) as usize];
    let config = Config {
        mesh: MESH,
        ..Config::default()
    };
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), config);
    vis.set_texture_dirs(vec![corpus.join("textures")]);

    let (mut rendered, mut unparsed) = (0, Vec::new());
    let (mut non_finite, mut fallbacks, mut gpu_errors) = (Vec::new(), Vec::new(), Vec::new());
    let mut shaders_run = 0;
    // [without shader text, with shader text]
    let (mut drawing, mut blank) = ([0usize; 2], [Vec::new(), Vec::new()]);
    let files: Vec<&PathBuf> = butterchurn.iter().chain(&v1).chain(&v2).collect();
    for path in &files {
        let bytes = std::fs::read(path).expect("readable preset");
        let Ok(preset) = Preset::from_bytes(&bytes) else {
            unparsed.push(path.display().to_string());
            continue;
        };
        let report = vis.load_preset_in(&preset, path.parent());
        shaders_run += usize::from(report.warp_shader) + usize::from(report.comp_shader);
        fallbacks.extend(
            report
                .shader_failures
                .iter()
                .map(|f| format!("{}: {f}", path.display())),
        );
        vis.set_frame(W, H, &black);
        let (mut lit, mut ok) = (false, true);
        let scope = gpu.device.push_error_scope(wgpu::ErrorFilter::Validation);
        for frame in &audio {
            vis.render(1.0 / FPS, frame, &target)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            ok &= vis.frame_state().is_some_and(finite);
            if !lit {
                let img = gpu.read_rgba(&target).expect("read back");
                assert_eq!(img.len(), (W * H * 4) as usize);
                lit = img.chunks_exact(4).any(|px| px[..3].iter().any(|&c| c > 0));
            }
        }
        if let Some(e) = pollster::block_on(scope.pop()) {
            gpu_errors.push(format!("{}: {e}", path.display()));
        }
        rendered += 1;
        if !ok {
            non_finite.push(path.display().to_string());
        }
        // Presets with shader text are counted apart: a shader may draw
        // nothing on a black start for a few frames.
        let shaders = usize::from(preset.warp_shader.is_some() || preset.comp_shader.is_some());
        if draws_something(&preset) {
            drawing[shaders] += 1;
            if !lit {
                blank[shaders].push(path.display().to_string());
            }
        }
    }
    let elapsed = started.elapsed();
    eprintln!(
        "{rendered} presets rendered ({} butterchurn, {} cream-of-the-crop v1, {} v2) x \
         {FRAMES} frames in {elapsed:.1?}; {shaders_run} preset shaders ran",
        butterchurn.len(),
        v1.len(),
        v2.len()
    );
    eprintln!("shader fallbacks: {fallbacks:#?}");
    eprintln!("GPU errors: {gpu_errors:#?}");
    eprintln!("unparsed: {unparsed:#?}");
    eprintln!("non-finite per-frame results: {non_finite:#?}");
    for (kind, n) in [("without", 0), ("with", 1)] {
        eprintln!(
            "presets {kind} shader text that draw something: {} of {} drew; blank: {:#?}",
            drawing[n] - blank[n].len(),
            drawing[n],
            blank[n]
        );
    }
    assert!(
        rendered * 100 >= files.len() * 95,
        "{rendered} of {}",
        files.len()
    );
    assert!(
        non_finite.len() * 100 <= rendered * 2,
        "non-finite: {non_finite:?}"
    );
    assert!(gpu_errors.is_empty(), "GPU errors: {gpu_errors:?}");
    // Every shader of the corpus translates and builds (kefir check
    // --render reports the same over the whole corpus).
    assert!(fallbacks.is_empty(), "shader fallbacks: {fallbacks:?}");
    assert!(shaders_run > 600, "only {shaders_run} preset shaders ran");
    // Nearly every preset that draws something must show it within a few
    // frames.
    let drew = |n: usize| (drawing[n] - blank[n].len()) * 100;
    assert!(
        drew(0) >= drawing[0] * 90,
        "without shaders: blank {:?}",
        blank[0]
    );
    assert!(
        drew(1) >= drawing[1] * 90,
        "with shaders: blank {:?}",
        blank[1]
    );
}
