//! Prints a hash of every rendered frame for a fixed set of runs (presets
//! from the shared corpus, hard cuts, blends, sRGB and BGRA targets, a
//! resize), so a refactor can prove it changed no pixel: run it before and
//! after and `diff` the outputs.
//!
//! `cargo run -p milk-engine --example frame_hashes > before.txt`

use std::hash::Hasher;

use milk_audio::AudioFrame;
use milk_engine::headless::{Headless, read_rgba};
use milk_engine::transition::BlendPattern;
use milk_engine::{Config, Switch, Visualizer};
use milk_parser::Preset;

const PRESETS: [&str; 10] = [
    "cream-of-the-crop/Supernova/Radiate/Geiss - Flower Blossom.milk",
    "cream-of-the-crop/Waveform/Wire Circular/Geiss - Mega Swirl 3.milk",
    "cream-of-the-crop/Waveform/Wire Tangle/Geiss - 3D - Cosmic Dust.milk",
    "cream-of-the-crop/Dancer/Aurora/shifter - urchin kali echos.milk",
    "cream-of-the-crop/Dancer/Blobby Mirror/ORB - Radiation.milk",
    "cream-of-the-crop/Dancer/Whirl Mirror/ORB - Angry Christmas Tree.milk",
    "cream-of-the-crop/Dancer/Blobby Mirror/LuxXx - Benefiscient Prescience.milk",
    "cream-of-the-crop/Dancer/Glowsticks/Tripgnosis - Glitterave.milk",
    "cream-of-the-crop/Dancer/Whirl Mirror/ORB - Super Snake.milk",
    "cream-of-the-crop/Dancer/Blobby Mirror/Bdrv et AL Aderrasi - Accelerator (Orbital Migraine) bdvr xxx2_1 - mrt sth.milk",
];

fn audio(f: u32) -> AudioFrame {
    let beat = f % 12 < 2;
    let mut a = AudioFrame {
        bass: if beat { 2.0 } else { 0.8 },
        mid: 1.0 + 0.3 * (f as f32 * 0.7).sin(),
        treb: 1.0,
        bass_att: 1.1,
        mid_att: 1.0,
        treb_att: 1.0,
        ..AudioFrame::default()
    };
    for (i, s) in a.wave[0].iter_mut().enumerate() {
        *s = (i as f32 * 0.05 + f as f32).sin() * 0.4;
    }
    for (i, s) in a.spectrum[0].iter_mut().enumerate() {
        *s = 1.0 / (1.0 + i as f32 * 0.1);
    }
    a.wave[1] = a.wave[0].map(|s| -s);
    a.spectrum[1] = a.spectrum[0];
    a
}

fn target(gpu: &Headless, (w, h): (u32, u32), format: wgpu::TextureFormat) -> wgpu::Texture {
    gpu.device.create_texture(&wgpu::TextureDescriptor {
        label: None,
        size: wgpu::Extent3d {
            width: w,
            height: h,
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format,
        usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
        view_formats: &[],
    })
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

fn load(path: &str) -> Preset {
    Preset::from_bytes(&kefir_corpus::read(path)).expect("preset parses")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let gpu = Headless::new()?;
    let dir = kefir_corpus::presets_dir();
    let formats = [
        wgpu::TextureFormat::Rgba8Unorm,
        wgpu::TextureFormat::Bgra8UnormSrgb,
    ];
    for (run, pair) in PRESETS.chunks(2).chain(PRESETS[1..].chunks(3)).enumerate() {
        let format = formats[run % 2];
        let size = if run % 3 == 0 { (160, 120) } else { (200, 112) };
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        vis.set_texture_dirs(vec![dir.join("textures")]);
        let first = load(pair[0]);
        vis.load_preset_in(&first, dir.join(pair[0]).parent());
        let (w, h) = size;
        vis.set_frame(w, h, &milk_engine::pattern::rings_and_grid(w, h));
        let mut tex = target(&gpu, size, format);
        let mut line = String::new();
        for f in 0..24u32 {
            if f == 6 {
                let next = load(pair[1]);
                let p = vis.builder().prepare(&next, dir.join(pair[1]).parent(), 1);
                vis.switch_to(p, Switch::Blend { seconds: 0.2 });
                vis.set_blend_pattern(BlendPattern::RANDOM[run % 3]);
            }
            if f == 14 {
                tex = target(&gpu, (size.0 + 16, size.1 + 8), format);
                if let Some(third) = pair.get(2) {
                    let p = vis
                        .builder()
                        .prepare(&load(third), dir.join(third).parent(), 2);
                    vis.switch_to(p, Switch::Cut);
                }
            }
            vis.render(1.0 / 60.0, &audio(f), &tex)?;
            let rgba = read_rgba(&gpu.device, &gpu.queue, &tex)?;
            line.push_str(&format!(" {:016x}", hash(&rgba)));
        }
        println!("run {run} {format:?}:{line}");
    }
    Ok(())
}
