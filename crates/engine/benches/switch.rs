//! Preset switch cost over the whole shared corpus, on the headless adapter
//! (lavapipe without a GPU). For every preset:
//!
//! - parse: bytes to `Preset`;
//! - prepare: `PresetBuilder::prepare` (compile the code, translate the
//!   shaders, look up and upload textures, build the pipelines), the part a
//!   player runs on a worker thread while the current preset plays;
//! - longest step: the same preparation a step at a time
//!   (`PresetBuilder::begin`, `Preparation::step`, as the browser does one
//!   step per frame), its longest step;
//! - load: `Visualizer::load_prepared`, the only part on the render thread;
//! - first frame: the CPU time of the first `render` after the switch
//!   (composite grid, bind groups, first use of the pipelines), against the
//!   median steady frame of the same preset.
//!
//! Prints a table of median, p95 and max. Frames are 320x240 so the GPU
//! (software) wait does not dominate; the CPU split is what a switch costs.
//!
//! `cargo bench -p milk-engine --bench switch` (`SWITCH_LIMIT=N` for the
//! first N presets only)

use std::time::{Duration, Instant};

use milk_audio::AudioFrame;
use milk_engine::headless::Headless;
use milk_engine::{Config, Visualizer};
use milk_parser::Preset;

const SIZE: (u32, u32) = (320, 240);

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Median, p95, max of `values` (sorted in place).
fn stats(values: &mut [f64]) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.95), at(1.0))
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let gpu = Headless::new().unwrap_or_else(|e| panic!("needs a wgpu adapter: {e}"));
    println!("adapter: {}", gpu.adapter_description());
    let target = gpu.target(SIZE.0, SIZE.1);
    let audio = AudioFrame::default();
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    vis.set_texture_dirs(vec![kefir_corpus::presets_dir().join("textures")]);
    // The builder targets the format of the last rendered target.
    vis.render(1.0 / 60.0, &audio, &target)
        .expect("frame renders");
    let builder = vis.builder();

    let limit = std::env::var("SWITCH_LIMIT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    let files: Vec<_> = kefir_corpus::milk_files().into_iter().take(limit).collect();
    let (mut parse, mut prepare, mut load, mut first, mut steady) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut prepare_shaders = Vec::new();
    let mut longest_step = Vec::new();
    let (mut shader_presets, mut fallbacks) = (0, 0);
    let started = Instant::now();
    for (n, path) in files.iter().enumerate() {
        let bytes = std::fs::read(path).expect("readable preset");
        let t = Instant::now();
        let Ok(preset) = Preset::from_bytes(&bytes) else {
            continue;
        };
        parse.push(ms(t.elapsed()));
        let t = Instant::now();
        let prepared = builder.prepare(&preset, path.parent(), n as u64);
        let prepare_ms = ms(t.elapsed());
        prepare.push(prepare_ms);
        let report = prepared.report();
        if report.warp_shader || report.comp_shader {
            shader_presets += 1;
            prepare_shaders.push(prepare_ms);
        }
        fallbacks += report.shader_failures.len();
        let mut steps = builder.begin(
            preset.clone(),
            path.parent().map(|p| p.to_path_buf()),
            n as u64,
        );
        let mut longest = 0.0f64;
        while !steps.is_done() {
            let t = Instant::now();
            steps.step();
            longest = longest.max(ms(t.elapsed()));
        }
        longest_step.push(longest);
        let t = Instant::now();
        vis.load_prepared(prepared);
        load.push(ms(t.elapsed()));
        let t = Instant::now();
        vis.render(1.0 / 60.0, &audio, &target)
            .expect("frame renders");
        first.push(ms(t.elapsed()));
        let mut frames = Vec::new();
        for _ in 0..3 {
            let t = Instant::now();
            vis.render(1.0 / 60.0, &audio, &target)
                .expect("frame renders");
            frames.push(ms(t.elapsed()));
        }
        steady.push(stats(&mut frames).0);
        // Keep the GPU queue short.
        let _ = gpu.device.poll(wgpu::PollType::wait_indefinitely());
    }
    println!(
        "{} presets ({shader_presets} with shaders, {fallbacks} shader fallbacks) in {:.1} s",
        parse.len(),
        started.elapsed().as_secs_f64()
    );
    println!("| step | median | p95 | max |");
    println!("|---|---:|---:|---:|");
    for (name, values) in [
        ("parse", &mut parse),
        ("prepare (all presets)", &mut prepare),
        ("prepare (presets with shaders)", &mut prepare_shaders),
        ("prepare a step at a time: longest step", &mut longest_step),
        ("load_prepared (render thread)", &mut load),
        ("first frame after the switch (CPU)", &mut first),
        ("steady frame (CPU)", &mut steady),
    ] {
        if values.is_empty() {
            continue;
        }
        let (median, p95, max) = stats(values);
        println!("| {name} | {median:.3} ms | {p95:.3} ms | {max:.3} ms |");
    }
}
