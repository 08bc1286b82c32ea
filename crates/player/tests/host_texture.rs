//! Rendering into a host's own wgpu texture, from Rust: a host that draws
//! with wgpu hands the player its device and queue and renders into a
//! texture of its own (here in each 8-bit colour format a window surface
//! offers, with the usages a host samples or presents it with). The
//! picture is the same in every format, and the host's texture stays its
//! own (the host can draw into it between frames).

use std::path::Path;

use kefir_player::{Player, PlayerConfig};
use milk_engine::headless::{Headless, read_rgba};

fn host_texture(gpu: &Headless, format: wgpu::TextureFormat) -> wgpu::Texture {
    gpu.device.create_texture(&wgpu::TextureDescriptor {
        label: Some("the host's texture"),
        size: wgpu::Extent3d {
            width: 80,
            height: 60,
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format,
        usage: wgpu::TextureUsages::RENDER_ATTACHMENT
            | wgpu::TextureUsages::TEXTURE_BINDING
            | wgpu::TextureUsages::COPY_SRC
            | wgpu::TextureUsages::COPY_DST,
        view_formats: &[],
    })
}

/// 30 frames of a preset to a 2 Hz kick into `texture`, on the host's device.
fn render(gpu: &Headless, texture: &wgpu::Texture) -> Vec<u8> {
    let preset =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../presets/Kefir - Bass Tunnel.milk");
    let config = PlayerConfig {
        preset_dirs: vec![preset],
        preset_seconds: 0.0,
        seed: 4,
        ..PlayerConfig::default()
    };
    let mut player = Player::new(gpu.device.clone(), gpu.queue.clone(), config).unwrap();
    let rate = 44_100;
    for frame in 0..30 {
        let pcm: Vec<f32> = (0..rate / 30)
            .map(|i| {
                let t = (frame * rate / 30 + i) as f32 / rate as f32;
                let beat = t % 0.5;
                (-beat * 16.0).exp() * (std::f32::consts::TAU * 50.0 * beat).sin()
            })
            .collect();
        player.push_audio_f32(&pcm, 1, rate as u32);
        player.render(1.0 / 30.0, texture).unwrap();
    }
    read_rgba(&gpu.device, &gpu.queue, texture).unwrap()
}

#[test]
fn the_picture_is_the_same_in_every_host_texture_format() {
    let gpu = Headless::new().expect("a wgpu adapter (lavapipe without a GPU)");
    let reference = render(&gpu, &host_texture(&gpu, wgpu::TextureFormat::Rgba8Unorm));
    let lit = reference
        .chunks_exact(4)
        .filter(|p| p[..3].iter().any(|&c| c > 16))
        .count();
    assert!(lit > 80 * 60 / 20, "{lit} lit pixels");
    for format in [
        wgpu::TextureFormat::Bgra8Unorm,
        wgpu::TextureFormat::Rgba8UnormSrgb,
        wgpu::TextureFormat::Bgra8UnormSrgb,
    ] {
        let picture = render(&gpu, &host_texture(&gpu, format));
        let diffs: Vec<u8> = picture
            .iter()
            .zip(&reference)
            .map(|(a, b)| a.abs_diff(*b))
            .collect();
        let max = diffs.iter().copied().max().unwrap_or(0);
        let mean = diffs.iter().map(|&d| f64::from(d)).sum::<f64>() / diffs.len() as f64;
        // sRGB targets store MilkDrop's display values too (8-bit rounding
        // through the encode/decode).
        assert!(
            max <= 3 && mean < 0.5,
            "{format:?}: max {max}, mean {mean:.3}"
        );
    }
}
