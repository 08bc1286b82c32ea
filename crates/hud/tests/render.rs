//! The HUD drawn into an offscreen texture on the headless adapter (Mesa's
//! lavapipe on machines without a GPU): text lands where the layout says
//! and nowhere else, goes when its time is up, and scales with the output.
//! Like the engine's tests these fail, not skip, when no adapter exists.
//! `KEFIR_HUD_SHOTS=DIR` saves each frame as a PNG there, to look at.

use std::time::{Duration, Instant};

use kefir_hud::{Drawn, Hud, HudError, HudOptions, Level, Region, Status};
use milk_engine::headless::Headless;

fn gpu() -> Headless {
    match Headless::new() {
        Ok(g) => g,
        Err(e) => panic!("{e}"),
    }
}

/// Clears `target` to black, draws the HUD as it is at `now`, reads it back.
fn frame(gpu: &Headless, hud: &mut Hud, target: &wgpu::Texture, now: Instant) -> (Drawn, Vec<u8>) {
    let view = target.create_view(&wgpu::TextureViewDescriptor::default());
    let mut encoder = gpu
        .device
        .create_command_encoder(&wgpu::CommandEncoderDescriptor::default());
    encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
        label: Some("clear"),
        color_attachments: &[Some(wgpu::RenderPassColorAttachment {
            view: &view,
            depth_slice: None,
            resolve_target: None,
            ops: wgpu::Operations {
                load: wgpu::LoadOp::Clear(wgpu::Color::BLACK),
                store: wgpu::StoreOp::Store,
            },
        })],
        depth_stencil_attachment: None,
        timestamp_writes: None,
        occlusion_query_set: None,
        multiview_mask: None,
    });
    let size = [target.width(), target.height()];
    let drawn = hud.draw_at(&gpu.device, &gpu.queue, &mut encoder, &view, size, now);
    gpu.queue.submit([encoder.finish()]);
    let pixels = gpu.read_rgba(target).expect("read back");
    if let Some(dir) = std::env::var_os("KEFIR_HUD_SHOTS") {
        save(&std::path::PathBuf::from(dir), size, &pixels);
    }
    (drawn, pixels)
}

fn save(dir: &std::path::Path, size: [u32; 2], pixels: &[u8]) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let _ = std::fs::create_dir_all(dir);
    let path = dir.join(format!("hud-{n}-{}x{}.png", size[0], size[1]));
    let Ok(file) = std::fs::File::create(&path) else {
        return;
    };
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), size[0], size[1]);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    if let Ok(mut writer) = encoder.write_header() {
        let _ = writer.write_image_data(pixels);
    }
}

/// Pixels brighter than the dark panels (text and the level bars).
fn lit(pixels: &[u8], width: u32) -> Vec<(u32, u32)> {
    pixels
        .chunks_exact(4)
        .enumerate()
        .filter(|(_, p)| p[0].max(p[1]).max(p[2]) > 60)
        .map(|(i, _)| (i as u32 % width, i as u32 / width))
        .collect()
}

/// Near-white pixels: the strokes of white text.
fn white(pixels: &[u8]) -> usize {
    pixels
        .chunks_exact(4)
        .filter(|p| p[0].min(p[1]).min(p[2]) > 180)
        .count()
}

fn outside(points: &[(u32, u32)], regions: &[Region]) -> Vec<(u32, u32)> {
    points
        .iter()
        .copied()
        .filter(|&(x, y)| !regions.iter().any(|r| r.contains(x, y)))
        .collect()
}

#[test]
fn the_caption_shows_top_left_then_goes() {
    let gpu = gpu();
    let (w, h) = (640, 360);
    let target = gpu.target(w, h);
    let mut hud = Hud::new(&gpu.device, target.format(), HudOptions::default()).unwrap();
    let t0 = Instant::now();
    hud.caption_at(
        "Kefir - Vortex Bloom",
        Some("locked".into()),
        Some(Duration::from_secs(5)),
        t0,
    );
    let (drawn, pixels) = frame(&gpu, &mut hud, &target, t0);
    let caption = drawn.caption.expect("a caption");
    assert!(
        drawn.toasts.is_none() && drawn.status.is_none(),
        "{drawn:?}"
    );
    // Inside the title-safe margin, in the top left part of the screen.
    let margin = 0.045 * h as f32;
    assert!((caption.min[0] - margin).abs() < 1.0, "{caption:?}");
    assert!((caption.min[1] - margin).abs() < 1.0, "{caption:?}");
    assert!(caption.max[0] < 0.6 * w as f32, "{caption:?}");
    assert!(caption.max[1] < 0.3 * h as f32, "{caption:?}");
    let points = lit(&pixels, w);
    assert!(points.len() > 150, "too few text pixels: {}", points.len());
    assert!(white(&pixels) > 50, "no white text");
    let stray = outside(&points, &[caption]);
    assert!(
        stray.is_empty(),
        "pixels outside the caption: {:?}",
        &stray[..stray.len().min(10)]
    );

    // Its five seconds are up: nothing is drawn at all.
    let (drawn, pixels) = frame(&gpu, &mut hud, &target, t0 + Duration::from_secs(6));
    assert!(drawn.is_empty(), "{drawn:?}");
    assert!(lit(&pixels, w).is_empty());
    assert!(!hud.is_active(t0 + Duration::from_secs(6)));
}

#[test]
fn messages_sit_above_the_status_line_and_expire() {
    let gpu = gpu();
    let (w, h) = (640, 360);
    let target = gpu.target(w, h);
    let mut hud = Hud::new(&gpu.device, target.format(), HudOptions::default()).unwrap();
    let t0 = Instant::now();
    hud.set_status(Some(Status {
        level: Level::Warning,
        text: "No audio input on 'hw:1' — playing the demo signal".into(),
    }));
    hud.toast_at(
        Level::Error,
        "kefir.toml:4:8: display.mode: expected \"auto\", \"WIDTHxHEIGHT\" or \"WIDTHxHEIGHT@HZ\", got \"1920x\"; using \"auto\"",
        Duration::from_secs(2),
        t0,
    );
    let (drawn, pixels) = frame(&gpu, &mut hud, &target, t0);
    let status = drawn.status.expect("a status line");
    let toasts = drawn.toasts.expect("a message");
    assert!(drawn.caption.is_none());
    // Bottom left, the message above the status line.
    assert!(
        (status.max[1] - (h as f32 - 0.045 * h as f32)).abs() < 1.0,
        "{status:?}"
    );
    assert!(toasts.max[1] < status.min[1], "{toasts:?} {status:?}");
    assert!(toasts.min[1] > 0.5 * h as f32, "{toasts:?}");
    let points = lit(&pixels, w);
    let in_status = points
        .iter()
        .filter(|&&(x, y)| status.contains(x, y))
        .count();
    let in_toast = points
        .iter()
        .filter(|&&(x, y)| toasts.contains(x, y))
        .count();
    assert!(in_status > 100 && in_toast > 100, "{in_status} {in_toast}");
    let stray = outside(&points, &[status, toasts]);
    assert!(
        stray.is_empty(),
        "stray pixels: {:?}",
        &stray[..stray.len().min(10)]
    );
    // Nothing in the top half.
    assert!(points.iter().all(|&(_, y)| y > h / 2));

    // Two seconds on the message has gone; the status line stays.
    let later = t0 + Duration::from_millis(2100);
    let (drawn, pixels) = frame(&gpu, &mut hud, &target, later);
    assert!(drawn.toasts.is_none(), "{drawn:?}");
    assert_eq!(drawn.status, Some(status));
    let points = lit(&pixels, w);
    assert!(points.iter().all(|&(x, y)| status.contains(x, y)));
    assert!(points.iter().all(|&(x, y)| !toasts.contains(x, y)));

    // Cleared: a black screen again.
    hud.set_status(None);
    let (drawn, pixels) = frame(&gpu, &mut hud, &target, later);
    assert!(drawn.is_empty());
    assert!(lit(&pixels, w).is_empty());
}

#[test]
fn text_scales_with_the_output_height() {
    let gpu = gpu();
    let mut heights = Vec::new();
    for (w, h) in [(640, 360), (1280, 720)] {
        let target = gpu.target(w, h);
        let mut hud = Hud::new(&gpu.device, target.format(), HudOptions::default()).unwrap();
        let t0 = Instant::now();
        hud.caption_at("Kefir", None, None, t0);
        let (drawn, pixels) = frame(&gpu, &mut hud, &target, t0);
        let c = drawn.caption.unwrap();
        heights.push(c.max[1] - c.min[1]);
        let points = lit(&pixels, w);
        let top = points.iter().map(|p| p.1).min().unwrap();
        let bottom = points.iter().map(|p| p.1).max().unwrap();
        assert!(c.contains(0, top) || (top as f32) >= c.min[1]);
        assert!((bottom as f32) <= c.max[1]);
    }
    let ratio = heights[1] / heights[0];
    assert!((ratio - 2.0).abs() < 0.1, "{heights:?}");
}

#[test]
fn formats_it_cannot_draw_to_are_refused() {
    let gpu = gpu();
    for f in [
        wgpu::TextureFormat::Depth32Float,
        wgpu::TextureFormat::Rgba8Uint,
    ] {
        assert!(matches!(
            Hud::new(&gpu.device, f, HudOptions::default()),
            Err(HudError::Format(_))
        ));
    }
    // Silly options are clamped, not trusted.
    let hud = Hud::new(
        &gpu.device,
        wgpu::TextureFormat::Bgra8Unorm,
        HudOptions {
            text_scale: f32::NAN,
            max_toasts: 0,
            margin: -1.0,
        },
    )
    .unwrap();
    assert_eq!(hud.pixels_per_point(720), 1.0);
}
