//! Render cost per frame at 1280x720 on the headless adapter (lavapipe in
//! CI) for five MilkDrop 1.x corpus presets with per-pixel code, waves and
//! shapes, and five MilkDrop 2 presets running their own warp and composite
//! shaders (blur levels, noise, volume noise, user textures). Criterion times whole frames: `Visualizer::render` plus the wait
//! for the GPU. After each preset the bench prints the split from
//! [`milk_engine::FrameStats`]: CPU time per pass (code, mesh, warp, blur,
//! shapes/waves, composite, present) and the GPU wait.
//!
//! `cargo bench -p milk-engine --bench render -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use milk_audio::{ANALYSIS_RATE, Analyzer, AnalyzerConfig, AudioFrame, demo_track};
use milk_engine::headless::Headless;
use milk_engine::{Config, FrameStats, PassTimes, Visualizer};
use milk_parser::Preset;

const SIZE: (u32, u32) = (1280, 720);
const FPS: f64 = 60.0;

/// Typical MilkDrop 1.x presets, relative to the shared corpus.
const PRESETS: [(&str, &str); 5] = [
    (
        "flower_blossom",
        "cream-of-the-crop/Supernova/Radiate/Geiss - Flower Blossom.milk",
    ),
    (
        "mega_swirl_3",
        "cream-of-the-crop/Waveform/Wire Circular/Geiss - Mega Swirl 3.milk",
    ),
    (
        "cosmic_dust",
        "cream-of-the-crop/Waveform/Wire Tangle/Geiss - 3D - Cosmic Dust.milk",
    ),
    (
        "urchin_kali_echos",
        "cream-of-the-crop/Dancer/Aurora/shifter - urchin kali echos.milk",
    ),
    (
        "orb_radiation",
        "cream-of-the-crop/Dancer/Blobby Mirror/ORB - Radiation.milk",
    ),
];

/// MilkDrop 2 presets with warp and comp shaders.
const SHADER_PRESETS: [(&str, &str); 5] = [
    (
        "angry_christmas_tree",
        "cream-of-the-crop/Dancer/Whirl Mirror/ORB - Angry Christmas Tree.milk",
    ),
    (
        "benefiscient_prescience",
        "cream-of-the-crop/Dancer/Blobby Mirror/LuxXx - Benefiscient Prescience.milk",
    ),
    (
        "glitterave",
        "cream-of-the-crop/Dancer/Glowsticks/Tripgnosis - Glitterave.milk",
    ),
    (
        "super_snake",
        "cream-of-the-crop/Dancer/Whirl Mirror/ORB - Super Snake.milk",
    ),
    (
        "accelerator",
        "cream-of-the-crop/Dancer/Blobby Mirror/Bdrv et AL Aderrasi - Accelerator (Orbital Migraine) bdvr xxx2_1 - mrt sth.milk",
    ),
];

/// A second of the demo track's analysed frames, cycled through.
fn audio_frames() -> Vec<AudioFrame> {
    let mut synth = demo_track(ANALYSIS_RATE);
    let mut analyzer = Analyzer::new(AnalyzerConfig::default());
    let per_frame = (f64::from(ANALYSIS_RATE) / FPS).round() as usize;
    (0..FPS as usize * 2)
        .map(|_| {
            let samples: Vec<[f32; 2]> = (0..per_frame).map_while(|_| synth.next_frame()).collect();
            analyzer.push_analysis_rate(&samples);
            analyzer.frame((1.0 / FPS) as f32).clone()
        })
        .skip(FPS as usize)
        .collect()
}

#[derive(Default)]
struct Split {
    frames: u32,
    cpu: PassTimes,
    gpu: Duration,
}

impl Split {
    fn add(&mut self, s: FrameStats, gpu: Duration) {
        self.frames += 1;
        for (pass, d) in s.cpu.iter() {
            self.cpu[pass] += d;
        }
        self.gpu += gpu;
    }

    fn report(&self, name: &str) {
        if self.frames == 0 {
            // Filtered out by the bench's command line.
            return;
        }
        let ms = |d: Duration| d.as_secs_f64() * 1e3 / f64::from(self.frames.max(1));
        let passes: Vec<String> = self
            .cpu
            .iter()
            .map(|(pass, d)| format!("{} {:.3}", pass.name(), ms(d)))
            .collect();
        println!(
            "{name}: CPU ms per pass: {}; GPU wait {:.3} ms ({} frames)",
            passes.join(", "),
            ms(self.gpu),
            self.frames
        );
    }
}

fn render(c: &mut Criterion) {
    let gpu = Headless::new().unwrap_or_else(|e| panic!("needs a wgpu adapter: {e}"));
    println!("adapter: {}", gpu.adapter_description());
    let target = gpu.target(SIZE.0, SIZE.1);
    let audio = audio_frames();
    for (group, presets) in [
        ("render_1280x720", PRESETS),
        ("render_shaders_1280x720", SHADER_PRESETS),
    ] {
        bench_group(c, &gpu, &target, &audio, group, &presets);
    }
}

fn bench_group(
    c: &mut Criterion,
    gpu: &Headless,
    target: &wgpu::Texture,
    audio: &[AudioFrame],
    group: &str,
    presets: &[(&str, &str)],
) {
    let mut g = c.benchmark_group(group);
    g.sample_size(10);
    for &(name, path) in presets {
        let preset = Preset::from_bytes(&kefir_corpus::read(path)).expect("preset parses");
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        vis.set_texture_dirs(vec![kefir_corpus::presets_dir().join("textures")]);
        let full = kefir_corpus::presets_dir().join(path);
        let report = vis.load_preset_in(&preset, full.parent());
        assert!(report.shader_failures.is_empty(), "{name}: {report:?}");
        let mut split = Split::default();
        let mut n = 0usize;
        g.bench_function(name, |b| {
            b.iter(|| {
                vis.render(1.0 / FPS, &audio[n % audio.len()], target)
                    .expect("frame renders");
                let wait = Instant::now();
                gpu.device
                    .poll(wgpu::PollType::wait_indefinitely())
                    .expect("GPU finishes");
                split.add(vis.frame_stats(), wait.elapsed());
                n += 1;
                black_box(vis.frame());
            })
        });
        split.report(name);
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = render
}
criterion_main!(benches);
