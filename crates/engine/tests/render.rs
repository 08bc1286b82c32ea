//! The engine on a real wgpu device: Mesa's lavapipe in CI (no GPU). These
//! tests fail, not skip, when no adapter exists: scripts/setup.sh installs
//! mesa-vulkan-drivers.

use milk_audio::AudioFrame;
use milk_engine::headless::Headless;
use milk_engine::{Config, RenderError, Visualizer};
use milk_parser::Preset;

const W: u32 = 64;
const H: u32 = 48;
const DT: f64 = 1.0 / 60.0;

fn gpu() -> Headless {
    match Headless::new() {
        Ok(h) => h,
        Err(e) => panic!("milk-engine tests need a wgpu adapter: {e}"),
    }
}

/// A MilkDrop 1.x preset from `body` lines (no waves, shapes or borders).
fn preset(body: &str) -> Preset {
    // The first occurrence of a key wins: `body` overrides these defaults.
    // No main wave or motion vectors (MilkDrop draws a wave by default).
    let text = format!(
        "[preset00]\n{body}\nfGammaAdj=1.0\nfDecay=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\nmv_a=0\n"
    );
    let p = Preset::parse(&text).expect("test preset parses");
    assert_eq!(p.ps_version_warp, 0);
    p
}

fn visualizer(gpu: &Headless, body: &str) -> Visualizer {
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    let report = vis.load_preset(&preset(body));
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    vis
}

/// A black image with a white `size`x`size` block at (`x`, `y`).
fn block(x: u32, y: u32, size: u32) -> Vec<u8> {
    let mut img = vec![0u8; (W * H * 4) as usize];
    for py in y..y + size {
        for px in x..x + size {
            let i = ((py * W + px) * 4) as usize;
            img[i..i + 4].copy_from_slice(&[255, 255, 255, 255]);
        }
    }
    img
}

fn render(vis: &mut Visualizer, gpu: &Headless, target: &wgpu::Texture) -> Vec<u8> {
    vis.render(DT, &AudioFrame::default(), target)
        .expect("frame renders");
    gpu.read_rgba(target).expect("read back")
}

/// Intensity-weighted centre of the red channel, in pixels.
fn centroid(img: &[u8]) -> (f64, f64, f64) {
    let (mut sx, mut sy, mut total) = (0.0, 0.0, 0.0);
    for (i, px) in img.chunks_exact(4).enumerate() {
        let v = f64::from(px[0]);
        let (x, y) = ((i as u32 % W) as f64 + 0.5, (i as u32 / W) as f64 + 0.5);
        sx += v * x;
        sy += v * y;
        total += v;
    }
    (sx / total, sy / total, total)
}

#[test]
fn zoom_moves_a_bright_block_outward() {
    let gpu = gpu();
    eprintln!("adapter: {}", gpu.adapter_description());
    let mut vis = visualizer(&gpu, "zoom=1.2");
    let target = gpu.target(W, H);
    // Block centred at (41, 20): 9 px right of and 4 px above the centre.
    vis.set_frame(W, H, &block(40, 19, 2));
    let (mut dx, mut dy) = (9.0, -4.0);
    for frame in 1..=3 {
        let img = render(&mut vis, &gpu, &target);
        let (cx, cy, total) = centroid(&img);
        dx *= 1.2;
        dy *= 1.2;
        let (ex, ey) = (32.0 + dx, 24.0 + dy);
        assert!(total > 0.0, "frame {frame} is black");
        assert!(
            (cx - ex).abs() < 0.6 && (cy - ey).abs() < 0.6,
            "frame {frame}: centre ({cx:.2}, {cy:.2}), expected ({ex:.2}, {ey:.2})"
        );
    }
}

#[test]
fn decay_darkens_with_milkdrop_1_precision() {
    let gpu = gpu();
    let mut vis = visualizer(&gpu, "fDecay=0.9");
    let target = gpu.target(W, H);
    vis.set_frame(W, H, &[200u8; (W * H * 4) as usize]);
    // MilkDrop 1 holds decay in an 8-bit vertex colour: 0.9 -> 229/255.
    let mut expected = 200.0;
    for frame in 1..=3 {
        let img = render(&mut vis, &gpu, &target);
        expected = (expected * 229.0 / 255.0_f64).round();
        for px in img.chunks_exact(4) {
            let v = f64::from(px[0]);
            assert!(
                (v - expected).abs() <= 1.0,
                "frame {frame}: {v}, expected {expected}"
            );
        }
    }
}

#[test]
fn per_vertex_code_moves_the_picture() {
    let gpu = gpu();
    // dx is 0 per frame; per-vertex code shifts the right half only.
    let mut vis = visualizer(&gpu, "per_pixel_1=dx = if(above(x, 0.5), 0.125, 0);");
    assert!(vis.runtime().has_per_vertex());
    let target = gpu.target(W, H);
    // One block in each half.
    let mut img = block(40, 20, 2);
    for (a, b) in img.iter_mut().zip(block(10, 20, 2)) {
        *a = (*a).max(b);
    }
    vis.set_frame(W, H, &img);
    let out = render(&mut vis, &gpu, &target);
    let half = |img: &[u8], right: bool| -> Vec<u8> {
        img.chunks_exact(4)
            .enumerate()
            .flat_map(|(i, px)| {
                let on_right = (i as u32 % W) >= W / 2;
                let px: [u8; 4] = px.try_into().expect("4 bytes");
                if on_right == right { px } else { [0; 4] }
            })
            .collect()
    };
    let (lx, _, _) = centroid(&half(&out, false));
    let (rx, _, _) = centroid(&half(&out, true));
    assert!((lx - 11.0).abs() < 0.1, "left block moved: {lx}");
    // 0.125 of 64 px = 8 px to the right.
    assert!((rx - 49.0).abs() < 0.6, "right block at {rx}, expected 49");
}

#[test]
fn wrap_and_clamp_at_the_edges() {
    let gpu = gpu();
    let target = gpu.target(W, H);
    // A bright column 4 px wide at the right edge, moved 8 px right.
    let column = |vis: &mut Visualizer| {
        let mut img = vec![0u8; (W * H * 4) as usize];
        for (i, px) in img.chunks_exact_mut(4).enumerate() {
            if i as u32 % W >= W - 4 {
                px.copy_from_slice(&[255; 4]);
            }
        }
        vis.set_frame(W, H, &img);
    };
    let at = |img: &[u8], x: u32| img[((H / 2 * W + x) * 4) as usize];

    let mut wrap = visualizer(&gpu, "bTexWrap=1\ndx=0.125");
    column(&mut wrap);
    let img = render(&mut wrap, &gpu, &target);
    assert_eq!(at(&img, 5), 255, "wrapped onto the left edge");
    assert_eq!(at(&img, W - 1), 0, "the right edge came from inside");

    let mut clamp = visualizer(&gpu, "bTexWrap=0\ndx=0.125");
    column(&mut clamp);
    let img = render(&mut clamp, &gpu, &target);
    assert_eq!(at(&img, 5), 0, "clamped: nothing wraps");

    // A per-frame change of `wrap` takes effect (MilkDrop 1.x presets).
    let mut switched = visualizer(&gpu, "bTexWrap=0\ndx=0.125\nper_frame_1=wrap = 1;");
    column(&mut switched);
    let img = render(&mut switched, &gpu, &target);
    assert_eq!(at(&img, 5), 255, "per-frame wrap = 1");
}

/// A visualizer playing `preset`, imitating butterchurn's `main-wrap` or
/// not, whose frame is black but for a 4 px bright column at the right
/// edge.
fn column_at_the_right_edge(gpu: &Headless, preset: &Preset, main_wrap: bool) -> Visualizer {
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    vis.emulate_butterchurn(milk_engine::ButterchurnQuirks {
        main_wrap,
        ..Default::default()
    });
    let report = vis.load_preset(preset);
    assert!(report.shader_failures.is_empty(), "{report:?}");
    let mut img = vec![0u8; (W * H * 4) as usize];
    for (i, px) in img.chunks_exact_mut(4).enumerate() {
        if i as u32 % W >= W - 4 {
            px.copy_from_slice(&[255; 4]);
        }
    }
    vis.set_frame(W, H, &img);
    vis
}

#[test]
fn shaders_plain_sampler_main_wraps_whatever_btexwrap_says() {
    let gpu = gpu();
    let target = gpu.target(W, H);
    // A bright column at the right edge; the warp or the composite shader
    // reads 8 px to the left of each pixel through the plain sampler_main,
    // with bTexWrap=0.
    let read = format!(
        "`shader_body {{ ret = tex2D(sampler_main, uv - float2({}, 0)).xyz; }}",
        8.0 / W as f32
    );
    let at = |img: &[u8], x: u32| img[((H / 2 * W + x) * 4) as usize];
    // The composite's case has a warp that copies through a clamping
    // sampler: without warp text, MilkDrop 2's generated warp for
    // bTexWrap=0 would not compile and its fallback would draw.
    let copy = "warp_1=`shader_body { ret = tex2D(sampler_fc_main, uv).xyz; }";
    for stage in ["warp", "comp"] {
        let warp = if stage == "comp" { copy } else { "" };
        let text = format!(
            "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
             PSVERSION_COMP=2\nbTexWrap=0\nfDecay=1.0\nfGammaAdj=1.0\nzoom=1.0\nwarp=0\n\
             fWaveAlpha=0\nmv_a=0\n{stage}_1={read}\n{warp}\n"
        );
        let preset = Preset::parse(&text).expect("parses");
        for (butterchurn, want) in [(false, 255), (true, 0)] {
            let mut vis = column_at_the_right_edge(&gpu, &preset, butterchurn);
            // The composite shader shows the warp's source: the second
            // frame shows what the first warped.
            render(&mut vis, &gpu, &target);
            let img = render(&mut vis, &gpu, &target);
            // MilkDrop 2 wraps: the column comes in at the left edge.
            assert_eq!(at(&img, 5), want, "{stage}, butterchurn {butterchurn}");
            assert_eq!(at(&img, W - 1), 0, "{stage}, butterchurn {butterchurn}");
        }
    }
}

#[test]
fn butterchurn_wraps_the_frame_whenever_wrap_is_not_zero() {
    let gpu = gpu();
    let target = gpu.target(W, H);
    let at = |img: &[u8], x: u32| img[((H / 2 * W + x) * 4) as usize];
    // The bright column at the right edge, moved 8 px right by the
    // built-in warp (a MilkDrop 1 preset) or read 8 px to the left by a
    // warp shader's plain sampler_main, with per-frame code setting wrap
    // to 0.25: below MilkDrop 2's snap point, but not 0.
    let shader = format!(
        "MILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\nPSVERSION_COMP=2\n\
         warp_1=`shader_body {{ ret = tex2D(sampler_main, uv - float2({}, 0)).xyz; }}\n",
        8.0 / W as f32
    );
    // (The composite shows a shader preset's warp a frame late: it reads
    // the warp's source, as MilkDrop 2's composite shaders do.)
    for (kind, text, frames, milkdrop) in [
        // MilkDrop 2's built-in warp clamps (0.25 < 0.5).
        ("built-in warp", "dx=0.125\n".to_string(), 1, 0),
        // MilkDrop 2 wraps a shader's plain sampler_main whatever wrap is.
        ("warp shader", shader, 2, 255),
    ] {
        for (butterchurn, want) in [(false, milkdrop), (true, 255)] {
            let text = format!(
                "[preset00]\n{text}bTexWrap=0\nfDecay=1.0\nfGammaAdj=1.0\nzoom=1.0\nwarp=0\n\
                 fWaveAlpha=0\nmv_a=0\nper_frame_1=wrap = 0.25;\n"
            );
            let preset = Preset::parse(&text).expect("parses");
            let mut vis = column_at_the_right_edge(&gpu, &preset, butterchurn);
            let mut img = render(&mut vis, &gpu, &target);
            for _ in 1..frames {
                img = render(&mut vis, &gpu, &target);
            }
            assert_eq!(at(&img, 5), want, "{kind}, butterchurn {butterchurn}");
        }
    }
}

#[test]
fn a_faint_main_wave_is_drawn_unless_gated_as_butterchurn_gates_it() {
    use milk_engine::ButterchurnQuirks;
    let gpu = gpu();
    let target = gpu.target(W, H);
    // fWaveAlpha 0.0009 or 0.001, brought up about a hundredfold by the
    // volume modulation ((vol + 1) / 0.01 with silence): MilkDrop 2 draws
    // it, butterchurn's gate (wave_a > 0.001 before the modulation) does
    // not, though Kefir keeps 0.001 as MilkDrop 2's float, a little above.
    let body = |alpha: &str| {
        format!(
            "fWaveAlpha={alpha}\nbModWaveAlphaByVolume=1\nfModWaveAlphaStart=-1\n\
             fModWaveAlphaEnd=-0.99\nbAdditiveWaves=1\nwave_r=1\nwave_g=1\nwave_b=1"
        )
    };
    for (alpha, butterchurn, lit) in [
        ("0.0009", false, true),
        ("0.0009", true, false),
        ("0.001", false, true),
        ("0.001", true, false),
    ] {
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        vis.emulate_butterchurn(ButterchurnQuirks {
            wave_gate: butterchurn,
            ..Default::default()
        });
        let report = vis.load_preset(&preset(&body(alpha)));
        assert!(report.errors.is_empty(), "{report:?}");
        let img = render(&mut vis, &gpu, &target);
        let brightest = img.chunks_exact(4).map(|p| p[0]).max().unwrap_or(0);
        assert_eq!(
            brightest > 10,
            lit,
            "{alpha}, butterchurn {butterchurn}: brightest {brightest}"
        );
    }
}

#[test]
fn textured_shapes_take_the_frame_alpha_as_butterchurn_keeps_it() {
    use milk_engine::ButterchurnQuirks;
    let gpu = gpu();
    let target = gpu.target(W, H);
    // A white disc at alpha 0.5, then a magenta-tinted textured disc over
    // its middle magnifying the middle of the previous frame.
    // MilkDrop 2's feedback texture starts black and has no alpha: the
    // middle goes black on the first frame and stays black (the textured
    // disc shows that black again). butterchurn blends the alpha channel
    // too (0.5 * 0.5 + 1 * 0.5 = 0.75 under the disc) and multiplies the
    // textured disc by the texel's alpha: 0 in the new texture on the
    // first frame (the middle stays the disc's 128), then 0.75: the tinted
    // 128 over the disc's 191 at 0.75, (144, 48, 144).
    let shape = |n: u32, textured: u32, rad: f32, g: u32, a: f32| {
        format!(
            "shapecode_{n}_enabled=1\nshapecode_{n}_sides=32\nshapecode_{n}_textured={textured}\n\
             shapecode_{n}_rad={rad}\nshapecode_{n}_r=1\nshapecode_{n}_g={g}\nshapecode_{n}_b=1\n\
             shapecode_{n}_a={a}\nshapecode_{n}_r2=1\nshapecode_{n}_g2={g}\nshapecode_{n}_b2=1\n\
             shapecode_{n}_a2={a}\nshapecode_{n}_border_a=0\n"
        )
    };
    let body = format!(
        "{}{}shapecode_1_tex_zoom=10\n",
        shape(0, 0, 0.45, 1, 0.5),
        shape(1, 1, 0.25, 0, 1.0)
    );
    for (butterchurn, frames) in [
        (false, [[0, 0, 0], [0, 0, 0]]),
        (true, [[128, 128, 128], [144, 48, 144]]),
    ] {
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        vis.emulate_butterchurn(ButterchurnQuirks {
            frame_alpha: butterchurn,
            ..Default::default()
        });
        let report = vis.load_preset(&preset(&body));
        assert!(report.errors.is_empty(), "{report:?}");
        for (n, want) in frames.iter().enumerate() {
            let got = middle(&render(&mut vis, &gpu, &target));
            for c in 0..3 {
                assert!(
                    got[c].abs_diff(want[c]) <= 2,
                    "butterchurn {butterchurn}, frame {}: {got:?}",
                    n + 1
                );
            }
        }
    }
}

#[test]
fn motion_vectors_go_through_the_warp_unless_drawn_after_it_as_butterchurn() {
    use milk_engine::ButterchurnQuirks;
    let gpu = gpu();
    let target = gpu.target(W, H);
    // A decay of 0 makes the warp erase what it reads. MilkDrop 2 draws
    // the motion vectors into the previous frame before the warp, so they
    // are gone; butterchurn draws them into the new frame after it.
    let body = "fDecay=0\nmv_a=1\nmv_x=8\nmv_y=6\nmv_l=0\nmv_r=1\nmv_g=1\nmv_b=1";
    for (butterchurn, lit) in [(false, false), (true, true)] {
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        vis.emulate_butterchurn(ButterchurnQuirks {
            mv_order: butterchurn,
            ..Default::default()
        });
        let report = vis.load_preset(&preset(body));
        assert!(report.errors.is_empty(), "{report:?}");
        let img = render(&mut vis, &gpu, &target);
        let lit_pixels = img.chunks_exact(4).filter(|p| p[0] > 100).count();
        assert_eq!(
            lit_pixels > 8,
            lit,
            "butterchurn {butterchurn}: {lit_pixels} lit"
        );
    }
}

#[test]
fn composite_gamma_echo_and_filters() {
    let gpu = gpu();
    let target = gpu.target(W, H);
    let gray = |v: u8| vec![v; (W * H * 4) as usize];
    let first = |vis: &mut Visualizer, v: u8| {
        vis.set_frame(W, H, &gray(v));
        render(vis, &gpu, &target)[0]
    };
    // Gamma 2 doubles (additive redraws, saturating).
    assert!(first(&mut visualizer(&gpu, "fGammaAdj=2"), 100).abs_diff(200) <= 1);
    assert_eq!(first(&mut visualizer(&gpu, "fGammaAdj=2"), 200), 255);
    // Filters in MilkDrop 1's order, on the saturated value.
    assert!(first(&mut visualizer(&gpu, "bInvert=1"), 100).abs_diff(155) <= 1);
    assert!(first(&mut visualizer(&gpu, "bDarken=1"), 128).abs_diff(64) <= 1);
    // Brighten: 1 - (1 - x)^2.
    assert!(first(&mut visualizer(&gpu, "bBrighten=1"), 128).abs_diff(191) <= 1);
    // Solarize: 2x(1 - x), at most half.
    assert!(first(&mut visualizer(&gpu, "bSolarize=1"), 255).abs_diff(0) <= 1);
    assert!(first(&mut visualizer(&gpu, "bSolarize=1"), 128).abs_diff(128) <= 1);
    // Per-frame gamma overrides the file's.
    assert!(first(&mut visualizer(&gpu, "per_frame_1=gamma = 0.5;"), 200).abs_diff(100) <= 1);

    // Video echo: half of a zoomed, flipped copy mixed in.
    let mut vis = visualizer(
        &gpu,
        "fVideoEchoAlpha=0.5\nfVideoEchoZoom=1\nnVideoEchoOrientation=1",
    );
    vis.set_frame(W, H, &block(0, 0, 8));
    let img = render(&mut vis, &gpu, &target);
    let at = |x: u32, y: u32| img[((y * W + x) * 4) as usize];
    assert!(at(2, 2).abs_diff(128) <= 1, "original, half: {}", at(2, 2));
    assert!(
        at(W - 3, 2).abs_diff(128) <= 1,
        "mirrored echo: {}",
        at(W - 3, 2)
    );
    assert_eq!(at(W / 2, H / 2), 0);
}

#[test]
fn milkdrop_1_filters_and_gamma_or_as_butterchurn_computes_them() {
    let gpu = gpu();
    let target = gpu.target(W, H);
    let first = |body: &str, v: u8, filters: bool| {
        let mut vis = visualizer(&gpu, body);
        vis.emulate_butterchurn(milk_engine::ButterchurnQuirks {
            filters,
            ..Default::default()
        });
        vis.set_frame(W, H, &vec![v; (W * H * 4) as usize]);
        render(&mut vis, &gpu, &target)[0]
    };
    // MilkDrop 2's blends: 1 - (1 - x)^2 and 2x(1 - x); butterchurn's
    // composite: sqrt(x) and 4x(1 - x).
    assert!(first("bBrighten=1", 64, false).abs_diff(112) <= 1);
    assert!(first("bBrighten=1", 64, true).abs_diff(128) <= 1);
    assert!(first("bSolarize=1", 64, false).abs_diff(96) <= 1);
    assert!(first("bSolarize=1", 64, true).abs_diff(191) <= 1);
    // Gamma below 1 with video echo: MilkDrop 2 draws each layer once,
    // butterchurn multiplies.
    let echo = "fVideoEchoAlpha=0.5\nfVideoEchoZoom=1\nfGammaAdj=0.5";
    assert!(first(echo, 200, false).abs_diff(200) <= 1);
    assert!(first(echo, 200, true).abs_diff(100) <= 1);
}

#[test]
fn frames_are_deterministic_and_survive_degenerate_motion() {
    let gpu = gpu();
    let body = "zoom=1.02\nrot=0.03\nwarp=1.5\nfWarpScale=1.3\nfDecay=0.97\nfShader=0.5\n\
                per_frame_1=rot = rot + 0.02*sin(time*3) + 0.01*rand(10);\n\
                per_pixel_1=zoom = zoom + 0.05*sin(ang*3 + time) * rad;\n\
                per_pixel_2=dx = 0.01*cos(y*10);";
    let run = || {
        let mut vis = visualizer(&gpu, body);
        let target = gpu.target(W, H);
        let img: Vec<u8> = (0..W * H * 4)
            .map(|i| ((i * 37 + i / 256 * 11) % 256) as u8)
            .collect();
        vis.set_frame(W, H, &img);
        let audio = AudioFrame {
            bass: 1.4,
            ..AudioFrame::default()
        };
        let mut frames = Vec::new();
        for _ in 0..8 {
            vis.render(DT, &audio, &target).expect("frame renders");
            frames.push(gpu.read_rgba(&target).expect("read back"));
        }
        frames
    };
    let a = run();
    let b = run();
    assert!(a == b, "two runs with the same seed differ");
    assert!(
        a.last().unwrap().iter().any(|&v| v > 0),
        "picture faded to black"
    );
    assert_ne!(a[0], a[7], "the picture does not move");

    // zoom 0 gives infinite UVs in MilkDrop's math: no crash, no NaN.
    let mut vis = visualizer(&gpu, "per_frame_1=zoom = 0;");
    let target = gpu.target(W, H);
    vis.set_frame(W, H, &block(30, 20, 4));
    for _ in 0..3 {
        render(&mut vis, &gpu, &target);
    }
}

#[test]
fn any_target_size_and_resizing_carries_the_picture() {
    let gpu = gpu();
    let mut vis = visualizer(&gpu, "");
    vis.set_frame(W, H, &vec![180u8; (W * H * 4) as usize]);
    for (w, h) in [(W, H), (37, 91), (W * 2, H)] {
        let target = gpu.target(w, h);
        let img = render(&mut vis, &gpu, &target);
        assert_eq!(img.len(), (w * h * 4) as usize);
        assert!(
            img.chunks_exact(4).all(|px| px[0].abs_diff(180) <= 1),
            "{w}x{h} lost the picture"
        );
    }
    // A texture without RENDER_ATTACHMENT is refused, not a panic.
    let plain = gpu.device.create_texture(&wgpu::TextureDescriptor {
        label: None,
        size: wgpu::Extent3d {
            width: 8,
            height: 8,
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: wgpu::TextureFormat::Rgba8Unorm,
        usage: wgpu::TextureUsages::COPY_SRC,
        view_formats: &[],
    });
    assert_eq!(
        vis.render(DT, &AudioFrame::default(), &plain),
        Err(RenderError::NotRenderable)
    );
}

#[test]
fn milkdrop_2_presets_use_the_generated_shaders() {
    let gpu = gpu();
    let target = gpu.target(W, H);
    let v2 = |body: &str| {
        let text = format!(
            "MILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\nPSVERSION_COMP=2\n\
             [preset00]\n{body}\nfGammaAdj=1.0\nzoom=1.0\nwarp=0\n"
        );
        let preset = Preset::parse(&text).expect("test preset parses");
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        assert!(vis.load_preset(&preset).errors.is_empty());
        vis
    };
    // The generated warp shader prints the file's decay with two decimals
    // (0.995 -> 1.00) and ignores per-frame decay, as MilkDrop 2 does.
    let mut vis = v2("fDecay=0.995\nper_frame_1=decay = 0.5;");
    vis.set_frame(W, H, &[200u8; (W * H * 4) as usize]);
    for _ in 0..3 {
        let img = render(&mut vis, &gpu, &target);
        assert_eq!(img[0], 200);
    }
    // fDecay=0.9 is exact: 200 * 0.9 = 180 (no 8-bit truncation of decay).
    // The generated composite shows the warp's source, so the first frame
    // shows the 200 set, the second what the first warp made of it.
    let mut vis = v2("fDecay=0.9");
    vis.set_frame(W, H, &[200u8; (W * H * 4) as usize]);
    assert_eq!(render(&mut vis, &gpu, &target)[0], 200);
    assert_eq!(render(&mut vis, &gpu, &target)[0], 180);
    // Brighten is a square root in the generated composite shader.
    let mut vis = v2("fDecay=1\nbBrighten=1");
    vis.set_frame(W, H, &[64u8; (W * H * 4) as usize]);
    assert!(render(&mut vis, &gpu, &target)[0].abs_diff(128) <= 1);
}

#[test]
fn srgb_targets_get_milkdrop_display_values() {
    let gpu = gpu();
    let mut vis = visualizer(&gpu, "");
    let target = gpu.device.create_texture(&wgpu::TextureDescriptor {
        label: None,
        size: wgpu::Extent3d {
            width: W,
            height: H,
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: wgpu::TextureFormat::Bgra8UnormSrgb,
        usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
        view_formats: &[],
    });
    let mut img = vec![0u8; (W * H * 4) as usize];
    for px in img.chunks_exact_mut(4) {
        px.copy_from_slice(&[128, 64, 200, 255]);
    }
    vis.set_frame(W, H, &img);
    let out = render(&mut vis, &gpu, &target);
    // Stored bytes (sRGB-encoded) equal MilkDrop's values.
    for (got, want) in out[..4].iter().zip([128u8, 64, 200, 255]) {
        assert!(got.abs_diff(want) <= 1, "{:?}", &out[..4]);
    }
}

/// Intensity-weighted horizontal centre of channel `ch`, in pixels.
fn centre_x(img: &[u8], ch: usize) -> f64 {
    let (mut sx, mut total) = (0.0, 0.0);
    for (i, px) in img.chunks_exact(4).enumerate() {
        let v = f64::from(px[ch]);
        sx += v * ((i as u32 % W) as f64 + 0.5);
        total += v;
    }
    assert!(total > 0.0, "channel {ch} is black");
    sx / total
}

/// [`visualizer`] with MilkDrop 1.x's red-blue stereo on.
fn stereo_visualizer(gpu: &Headless, body: &str) -> Visualizer {
    let config = Config {
        milkdrop1_stereo: true,
        ..Config::default()
    };
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), config);
    let report = vis.load_preset(&preset(body));
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    vis
}

#[test]
fn red_blue_stereo_splits_moving_pictures_by_eye() {
    let gpu = gpu();
    let target = gpu.target(W, H);
    // Without motion both eyes sample the same place: red (left eye) plus
    // cyan (right eye) give the picture back unchanged.
    let mut still = stereo_visualizer(&gpu, "bRedBlueStereo=1");
    let start = block(28, 20, 8);
    still.set_frame(W, H, &start);
    let img = render(&mut still, &gpu, &target);
    let differing = img
        .chunks_exact(4)
        .zip(start.chunks_exact(4))
        .filter(|(a, b)| a[..3] != b[..3])
        .count();
    assert_eq!(differing, 0, "pixels changed without motion");

    // With motion (dx = 0.1: 0.1 of a screen per frame) each eye shifts by
    // 0.3 * 0.1 of the width: red right, cyan left, 2 * 0.03 * 64 = 3.84 px.
    let mut moving = stereo_visualizer(&gpu, "bRedBlueStereo=1\ndx=0.1\nbTexWrap=0");
    moving.set_frame(W, H, &start);
    let img = render(&mut moving, &gpu, &target);
    let (red, green, blue) = (centre_x(&img, 0), centre_x(&img, 1), centre_x(&img, 2));
    assert!((green - blue).abs() < 0.01, "cyan eye: {green} vs {blue}");
    assert!(
        (red - green - 3.84).abs() < 0.5,
        "red eye at {red:.2}, cyan eye at {green:.2}"
    );
    // By default Kefir draws the preset as MilkDrop 2 does, whatever its
    // flag: one picture, the same as without the flag.
    let plain = |body: &str| {
        let mut vis = visualizer(&gpu, body);
        vis.set_frame(W, H, &start);
        render(&mut vis, &gpu, &target)
    };
    let md2 = plain("bRedBlueStereo=1\ndx=0.1\nbTexWrap=0");
    assert!(
        md2 == plain("bRedBlueStereo=0\ndx=0.1\nbTexWrap=0"),
        "bRedBlueStereo changed the picture without Config::milkdrop1_stereo"
    );
    assert!(
        (centre_x(&md2, 0) - centre_x(&md2, 1)).abs() < 0.01,
        "the eyes split without Config::milkdrop1_stereo"
    );
    // Gamma is the total gain of the passes; echo and filters do not apply.
    let mut bright = stereo_visualizer(
        &gpu,
        "bRedBlueStereo=1\nfGammaAdj=2.0\nfVideoEchoAlpha=0.5\nbInvert=1",
    );
    bright.set_frame(W, H, &[60u8; (W * H * 4) as usize]);
    let img = render(&mut bright, &gpu, &target);
    assert!(
        img[..4].iter().take(3).all(|&c| c.abs_diff(120) <= 1),
        "{:?}",
        &img[..4]
    );

    // MilkDrop 2 ignores bRedBlueStereo: the generated composite shader
    // renders the same picture with or without it.
    let v2 = |stereo: u8| {
        let text = format!(
            "MILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\nPSVERSION_COMP=2\n\
             [preset00]\nbRedBlueStereo={stereo}\nfGammaAdj=1.0\nfDecay=1.0\nzoom=1.0\n\
             dx=0.1\nwarp=0\nfWaveAlpha=0\nmv_a=0\n"
        );
        let preset = Preset::parse(&text).expect("test preset parses");
        let config = Config {
            milkdrop1_stereo: true,
            ..Config::default()
        };
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), config);
        assert!(vis.load_preset(&preset).errors.is_empty());
        vis.set_frame(W, H, &start);
        render(&mut vis, &gpu, &target)
    };
    assert!(v2(1) == v2(0), "bRedBlueStereo changed a MilkDrop 2 preset");
}

/// A MilkDrop 2 preset with the given warp and comp shader bodies (either
/// may be empty for none).
fn shader_preset(warp: &str, comp: &str) -> Preset {
    let mut text = String::from(
        "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
         PSVERSION_COMP=2\nfDecay=1.0\nfGammaAdj=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\nmv_a=0\n",
    );
    for (prefix, body) in [("warp", warp), ("comp", comp)] {
        for (i, line) in body.lines().enumerate() {
            text.push_str(&format!("{prefix}_{}=`{line}\n", i + 1));
        }
    }
    Preset::parse(&text).expect("test preset parses")
}

fn solid(rgb: [u8; 3]) -> Vec<u8> {
    let mut img = vec![0u8; (W * H * 4) as usize];
    for px in img.chunks_exact_mut(4) {
        px.copy_from_slice(&[rgb[0], rgb[1], rgb[2], 255]);
    }
    img
}

#[test]
fn shader_stages_pass_colours_through_on_linear_and_srgb_targets() {
    let gpu = gpu();
    let copy = "shader_body { ret = tex2D(sampler_main, uv).xyz; }";
    for format in [
        wgpu::TextureFormat::Rgba8Unorm,
        wgpu::TextureFormat::Bgra8UnormSrgb,
    ] {
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        let report = vis.load_preset(&shader_preset(copy, copy));
        assert!(report.warp_shader && report.comp_shader, "{report:?}");
        vis.set_frame(W, H, &solid([128, 64, 200]));
        let target = gpu.device.create_texture(&wgpu::TextureDescriptor {
            label: None,
            size: wgpu::Extent3d {
                width: W,
                height: H,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
            view_formats: &[],
        });
        for _ in 0..3 {
            let out = render(&mut vis, &gpu, &target);
            for px in out.chunks_exact(4) {
                for (got, want) in px.iter().zip([128u8, 64, 200, 255]) {
                    assert!(got.abs_diff(want) <= 1, "{format:?}: {px:?}");
                }
            }
        }
    }
}

/// A warp shader's `uv_orig` is where the pixel is on the screen (0..1,
/// y down) without the aspect correction of the per-vertex `x`/`y`, as
/// MilkDrop 2's `tu_orig`/`tv_orig`: on a 4:3 target red rises 0 -> 1
/// across the whole width and green down the whole height. (With the
/// aspect applied, as before, green spanned only 0.125..0.875.)
#[test]
fn uv_orig_spans_the_screen_without_aspect() {
    let gpu = gpu();
    let warp = "shader_body { ret = float3(uv_orig.x, uv_orig.y, 0); }";
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    let report = vis.load_preset(&shader_preset(warp, ""));
    assert!(report.warp_shader, "{report:?}");
    assert_eq!(W * 3, H * 4, "a 4:3 target");
    let target = gpu.target(W, H);
    // The composite shader shows the warp's source: the first frame's warp
    // output on the second frame.
    render(&mut vis, &gpu, &target);
    let out = render(&mut vis, &gpu, &target);
    let at = |x: u32, y: u32, ch: usize| f64::from(out[((y * W + x) * 4) as usize + ch]);
    // Pixel centres: uv_orig = (x + 0.5) / W, (y + 0.5) / H.
    for (x, y) in [(0, 0), (W - 1, H - 1), (W / 4, H / 2), (W - 5, 3)] {
        let want_r = (f64::from(x) + 0.5) / f64::from(W) * 255.0;
        let want_g = (f64::from(y) + 0.5) / f64::from(H) * 255.0;
        assert!(
            (at(x, y, 0) - want_r).abs() <= 3.0,
            "red at ({x}, {y}): {} vs {want_r}",
            at(x, y, 0)
        );
        assert!(
            (at(x, y, 1) - want_g).abs() <= 3.0,
            "green at ({x}, {y}): {} vs {want_g}",
            at(x, y, 1)
        );
    }
}

#[test]
fn presets_prepare_on_a_worker_thread() {
    let gpu = gpu();
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    let builder = vis.builder();
    let preset = shader_preset(
        "shader_body { ret = tex2D(sampler_main, uv).xyz * 0.5; }",
        "shader_body { ret = GetPixel(uv) + GetBlur1(uv) * 0.1 + q1; }",
    );
    let prepared = std::thread::spawn(move || builder.prepare(&preset, None, 7))
        .join()
        .expect("worker thread");
    assert!(prepared.report().warp_shader && prepared.report().comp_shader);
    let report = vis.load_prepared(prepared);
    assert!(report.shader_failures.is_empty());
    let target = gpu.target(W, H);
    vis.set_frame(W, H, &solid([200, 200, 200]));
    render(&mut vis, &gpu, &target);
    let out = render(&mut vis, &gpu, &target);
    // The first warp halved the frame; the second frame's composite shows
    // that (the warp's source) plus a little of blur1, made from the same
    // 100-grey image.
    let g = out[(W * H * 2 + W / 2 * 4) as usize];
    assert!((100..=125).contains(&g), "{g}");
}

#[test]
fn presets_prepare_a_step_at_a_time_as_in_one_go() {
    let gpu = gpu();
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    let builder = vis.builder();
    // A broken warp (it falls back), a working composite, broken code.
    let text = "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
                PSVERSION_COMP=2\nfDecay=1.0\nfGammaAdj=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\n\
                mv_a=0\nper_frame_1=q1 = 0.25;\nper_frame_2=x = (;\n\
                warp_1=`shader_body { ret = nope; }\n\
                comp_1=`shader_body { ret = GetPixel(uv) * 0.5 + q1; }\n";
    let preset = Preset::parse(text).expect("parses");
    let whole = builder.prepare(&preset, None, 3);
    let mut steps = builder.begin(preset.clone(), None, 3);
    let mut count = 1;
    let stepped = loop {
        if let Some(p) = steps.step() {
            break p;
        }
        count += 1;
        assert!(count <= 4, "more than four steps");
    };
    assert_eq!(count, 4, "code, warp, comp, pipelines");
    assert!(steps.is_done() && steps.step().is_none());
    let (a, b) = (whole.report(), stepped.report());
    assert_eq!((a.warp_shader, a.comp_shader), (false, true));
    assert_eq!((b.warp_shader, b.comp_shader), (false, true));
    assert_eq!(a.shader_failures, b.shader_failures);
    assert_eq!(a.errors, b.errors);
    assert_eq!(b.errors.len(), 1, "{:?}", b.errors);
    // Both render the same picture.
    let target = gpu.target(W, H);
    let mut pictures = Vec::new();
    for prepared in [whole, stepped] {
        vis.load_prepared(prepared);
        vis.set_frame(W, H, &solid([100, 100, 100]));
        pictures.push(render(&mut vis, &gpu, &target));
    }
    assert_eq!(pictures[0], pictures[1]);
    // The per-frame block does not compile, so MilkDrop 2 disables all of
    // it and q1 stays 0: the composite halves the grey.
    let g = pictures[0][(W * H * 2 + W / 2 * 4) as usize];
    assert!((48..=52).contains(&g), "{g}");
}

#[test]
fn a_broken_shader_falls_back_and_says_where() {
    let gpu = gpu();
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    let preset = shader_preset(
        "shader_body {\nret = tex2D(sampler_main, uv).xyz;\nret *= missing_name;\n}",
        "shader_body { ret = tex2D(sampler_main, uv).xyz; }",
    );
    let report = vis.load_preset(&preset);
    assert!(!report.warp_shader && report.comp_shader);
    assert_eq!(report.shader_failures.len(), 1);
    let failure = &report.shader_failures[0];
    assert_eq!(failure.stage(), milk_hlsl::Stage::Warp);
    let milk_engine::ShaderFailure::Translate { error, .. } = failure else {
        panic!("{failure:?}");
    };
    // `warp_3=`ret *= missing_name;` is line 14 of the preset file (11
    // header lines); the name starts at column 16 of that line.
    assert_eq!((error.line, error.col), (14, 16), "{error}");
    assert_eq!(vis.shader_failures(), report.shader_failures.as_slice());
    // MilkDrop 2's fallback warp (the previous frame less 0.004 a frame,
    // not the file's decay 1) and the shader composite draw.
    let target = gpu.target(W, H);
    assert_eq!(warp_fading(&mut vis, &gpu, &target), 9);
}

/// How many levels a grey of 90 loses over ten frames of the loaded
/// preset's warp (its composite a plain copy).
fn warp_fading(vis: &mut Visualizer, gpu: &Headless, target: &wgpu::Texture) -> u8 {
    vis.set_frame(W, H, &solid([90, 90, 90]));
    let mut out = Vec::new();
    for _ in 0..10 {
        out = render(vis, gpu, target);
    }
    90 - out[0]
}

#[test]
fn milkdrop_2s_fallback_warp_stands_in_where_its_shader_would_not_compile() {
    let gpu = gpu();
    let target = gpu.target(W, H);
    let copy = "shader_body { ret = tex2D(sampler_main, uv).xyz; }";
    // Warp text of white space only is a shader without `shader_body`;
    // no warp text with `bTexWrap=0` gets MilkDrop 2's generated warp,
    // which does not compile there (`sampler__main`). Both fall back.
    // Without text and with wrapping, the generated warp keeps decay 1.
    let mut unwrapped = shader_preset("", copy);
    unwrapped.base.tex_wrap = false;
    for (preset, failure, fading) in [
        (shader_preset("  ", copy), Some("no `shader_body`"), 9),
        (unwrapped, Some("sampler__main"), 9),
        (shader_preset("", copy), None, 0),
    ] {
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        let report = vis.load_preset(&preset);
        assert!(!report.warp_shader && report.comp_shader, "{report:?}");
        match failure {
            Some(text) => {
                assert_eq!(report.shader_failures.len(), 1, "{report:?}");
                let message = report.shader_failures[0].to_string();
                assert!(message.contains(text), "{message}");
            }
            None => assert!(report.shader_failures.is_empty(), "{report:?}"),
        }
        assert_eq!(warp_fading(&mut vis, &gpu, &target), fading, "{failure:?}");
    }
}

#[test]
fn a_blend_hands_the_picture_over_along_its_pattern() {
    let gpu = gpu();
    let target = gpu.target(W, H);
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    let red = shader_preset(
        "shader_body { ret = float3(1, 0, 0); }",
        "shader_body { ret = tex2D(sampler_main, uv).xyz; }",
    );
    let blue = shader_preset(
        "shader_body { ret = float3(0, 0, 1); }",
        "shader_body { ret = tex2D(sampler_main, uv).xyz; }",
    );
    vis.load_preset(&red);
    let count = |img: &[u8], ch: usize| img.chunks_exact(4).filter(|p| p[ch] > 200).count();
    // The composite shader shows the warp's source: the first frame the
    // black it started from.
    render(&mut vis, &gpu, &target);
    let out = render(&mut vis, &gpu, &target);
    assert_eq!(count(&out, 0), (W * H) as usize, "all red");
    // A blend of 10 frames.
    let prepared = vis.builder().prepare(&blue, None, 1);
    vis.switch_to(prepared, milk_engine::Switch::Blend { seconds: 10.0 * DT });
    vis.set_blend_pattern(milk_engine::transition::BlendPattern::Wipe);
    let first = render(&mut vis, &gpu, &target);
    assert!(count(&first, 0) > count(&first, 2), "starts mostly red");
    let mut reds = vec![count(&first, 0)];
    for _ in 0..5 {
        reds.push(count(&render(&mut vis, &gpu, &target), 0));
    }
    let mid = render(&mut vis, &gpu, &target);
    assert!(count(&mid, 0) > 0 && count(&mid, 2) > 0, "midway both show");
    assert!(
        reds.windows(2).all(|w| w[1] <= w[0]),
        "red only recedes: {reds:?}"
    );
    assert!(vis.blend_progress().is_some());
    for _ in 0..4 {
        render(&mut vis, &gpu, &target);
    }
    assert_eq!(vis.blend_progress(), None, "the blend ends");
    let end = render(&mut vis, &gpu, &target);
    assert_eq!(count(&end, 2), (W * H) as usize, "all blue");
}

#[test]
fn both_presets_of_a_blend_read_the_frames_one_rand_frame() {
    // MilkDrop 2 draws `m_rand_frame` once a frame for every shader: with
    // both composites showing it, the wipe between them is invisible.
    let gpu = gpu();
    let target = gpu.target(W, H);
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    let random = |warp: &str| {
        shader_preset(
            &format!("shader_body {{ ret = float3({warp}); }}"),
            "shader_body { ret = rand_frame.xyz; }",
        )
    };
    vis.load_preset(&random("1, 0, 0"));
    render(&mut vis, &gpu, &target);
    let prepared = vis.builder().prepare(&random("0, 0, 1"), None, 1);
    vis.switch_to(prepared, milk_engine::Switch::Blend { seconds: 10.0 * DT });
    vis.set_blend_pattern(milk_engine::transition::BlendPattern::Wipe);
    let mut spreads = Vec::new();
    for _ in 0..6 {
        let img = render(&mut vis, &gpu, &target);
        assert!(vis.blend_progress().is_some());
        let spread = (0..3)
            .map(|c| {
                let values = img.chunks_exact(4).map(|p| p[c]);
                values.clone().max().unwrap() - values.min().unwrap()
            })
            .max()
            .unwrap();
        spreads.push(spread);
    }
    assert!(spreads.iter().all(|&s| s <= 1), "{spreads:?}");
}

#[test]
fn render_scale_draws_a_smaller_frame_and_composites_it_up() {
    let gpu = gpu();
    let mut vis = visualizer(&gpu, "");
    vis.set_render_scale(0.5);
    assert_eq!(vis.render_scale(), 0.5);
    let target = gpu.target(W, H);
    // A 32x24 frame with a 2x2 block at (20, 9)..(22, 11): at twice the
    // size on the target, centred at (42, 20).
    let (w, h) = (W / 2, H / 2);
    let mut frame = vec![0u8; (w * h * 4) as usize];
    for y in 9..11 {
        for x in 20..22 {
            let i = ((y * w + x) * 4) as usize;
            frame[i..i + 4].copy_from_slice(&[255; 4]);
        }
    }
    vis.set_frame(w, h, &frame);
    let img = render(&mut vis, &gpu, &target);
    let texture = vis.frame_texture().expect("a frame");
    assert_eq!((texture.width(), texture.height()), (w, h));
    let (cx, cy, total) = centroid(&img);
    assert!(total > 0.0);
    assert!(
        (cx - 42.0).abs() < 0.3 && (cy - 20.0).abs() < 0.3,
        "({cx}, {cy})"
    );
    // Lit pixels cover about 4x4 of the target (bilinear edges included).
    let lit = img.chunks_exact(4).filter(|p| p[0] > 60).count();
    assert!((12..=30).contains(&lit), "{lit} lit pixels");

    // Back to full scale: the picture carries over at the target's size.
    vis.set_render_scale(1.0);
    let img = render(&mut vis, &gpu, &target);
    let texture = vis.frame_texture().expect("a frame");
    assert_eq!((texture.width(), texture.height()), (W, H));
    let (cx, cy, _) = centroid(&img);
    assert!(
        (cx - 42.0).abs() < 0.5 && (cy - 20.0).abs() < 0.5,
        "({cx}, {cy})"
    );
    // Out-of-range scales are clamped, not errors.
    vis.set_render_scale(f32::NAN);
    assert_eq!(vis.render_scale(), 1.0);
    vis.set_render_scale(0.0);
    assert_eq!(vis.render_scale(), milk_engine::MIN_RENDER_SCALE);
    assert_eq!(milk_engine::render_size((1920, 1080), 0.5), (960, 540));
    assert_eq!(milk_engine::render_size((3, 1), 0.1), (1, 1));
}

#[test]
fn frame_stats_time_every_pass() {
    let gpu = match Headless::with_features(wgpu::Features::TIMESTAMP_QUERY) {
        Ok(h) => h,
        Err(e) => panic!("milk-engine tests need a wgpu adapter: {e}"),
    };
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    vis.load_preset(&preset("per_pixel_1=dx = 0.01 * x;\nob_size=0.05\nob_a=1"));
    let timestamps = gpu
        .device
        .features()
        .contains(wgpu::Features::TIMESTAMP_QUERY);
    assert_eq!(vis.set_gpu_timing(true), timestamps);
    let target = gpu.target(W, H);
    for _ in 0..4 {
        render(&mut vis, &gpu, &target);
    }
    let stats = vis.frame_stats();
    assert!(stats.cpu[milk_engine::Pass::Mesh] > std::time::Duration::ZERO);
    assert!(stats.cpu.total() >= stats.cpu[milk_engine::Pass::Mesh]);
    match stats.gpu {
        Some(gpu_times) => {
            assert!(timestamps);
            use milk_engine::Pass;
            // Render passes ran in the warp, the borders and the composite;
            // none in the code and mesh passes or the (unused) blur.
            for pass in [Pass::Warp, Pass::Overlays, Pass::Composite] {
                assert!(gpu_times[pass] > std::time::Duration::ZERO, "{pass:?}");
            }
            for pass in [Pass::Code, Pass::Mesh, Pass::Blur] {
                assert_eq!(gpu_times[pass], std::time::Duration::ZERO, "{pass:?}");
            }
        }
        None => assert!(!timestamps, "timestamps on, but no GPU times"),
    }
    assert!(!vis.set_gpu_timing(false));
}

/// The colour of the middle pixel.
fn middle(img: &[u8]) -> [u8; 3] {
    let i = (((H / 2) * W + W / 2) * 4) as usize;
    [img[i], img[i + 1], img[i + 2]]
}

/// The middle pixel of one frame of the composite shader `comp`, with
/// Direct3D 9's math (MilkDrop 2) or, with `nan`, butterchurn's NaN.
fn composite_middle(comp: &str, nan: bool) -> [u8; 3] {
    use milk_engine::ButterchurnQuirks;
    let gpu = gpu();
    let target = gpu.target(W, H);
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    vis.emulate_butterchurn(ButterchurnQuirks {
        nan,
        ..Default::default()
    });
    let report = vis.load_preset(&shader_preset("", comp));
    assert!(report.shader_failures.is_empty(), "{report:?}");
    middle(&render(&mut vis, &gpu, &target))
}

/// Renders the composite shader `comp` once as MilkDrop 2 (Direct3D 9's
/// math) and once with butterchurn's NaN, and checks the middle pixel
/// against `d3d9` and `butterchurn` (within 1).
fn composite_middle_as_direct3d_9_and_butterchurn(comp: &str, d3d9: [u8; 3], butterchurn: [u8; 3]) {
    composite_middle_is(comp, false, d3d9);
    composite_middle_is(comp, true, butterchurn);
}

/// Renders the composite shader `comp` (with butterchurn's NaN if `nan`)
/// and checks the middle pixel against `want` (within 1).
fn composite_middle_is(comp: &str, nan: bool, want: [u8; 3]) {
    let got = composite_middle(comp, nan);
    for c in 0..3 {
        assert!(
            got[c].abs_diff(want[c]) <= 1,
            "butterchurn NaN {nan}: {got:?}"
        );
    }
}

#[test]
fn square_roots_and_logs_of_negatives_follow_direct3d_9_or_butterchurn() {
    // Direct3D 9's rsq and log take |x|: sqrt(-0.25) = 0.5, log2(-0.5) = -1
    // (so 1.5 + log2 = 0.5), rsqrt(-4) = 0.5. butterchurn's GLSL gives NaN,
    // which the render target stores as 0.
    // log2(0) is -FLT_MAX there (times 0: 0), -infinity in GLSL (times 0:
    // NaN).
    let comp = "shader_body { ret = float3(sqrt(-0.25 * uv.x / uv.x), \
                1.5 + log2(-0.5 * uv.y / uv.y), rsqrt(-4 * uv.x / uv.x)) \
                + log2(0 * uv.x) * 0; }";
    composite_middle_as_direct3d_9_and_butterchurn(comp, [128, 128, 128], [0, 0, 0]);
}

#[test]
fn powers_with_literal_exponents_are_of_the_absolute_value() {
    // Direct3D 9's pow is |x|^y, also where Kefir writes a literal 1/2 or
    // whole exponent as a square root or multiplications:
    // (-0.25)^0.5 = 0.5 (128), (-0.5)^3 = 0.125 (32), (-0.5)^2.5 = 0.177
    // (45), one exponent a component as well. butterchurn's option changes
    // none of them.
    let comp = "shader_body { float m = -0.5 * uv.x / uv.x; \
                ret = (float3(pow(m * 0.5, 0.5), pow(m, 3), pow(m, 2.5)) \
                + pow(m * float3(0.5, 1, 1), float3(0.5, 3, 2.5))) * 0.5; }";
    composite_middle_as_direct3d_9_and_butterchurn(comp, [128, 32, 45], [128, 32, 45]);
}

#[test]
fn computed_powers_of_0_and_to_0_are_as_direct3d_9s() {
    // Direct3D 9's pow is exp2(y * log2|x|) with its multiply, 0 times
    // anything being 0: 0^0 = 1 (0.5 * it: 128), 1^inf = 1 (128) and, as
    // everywhere, 0^0.5 = 0 and 0.5^2 = 0.25 (64). With IEEE's multiply
    // y * log2|x| is NaN in the first two (WGSL leaves pow(0, 0) to the
    // driver; llvmpipe gives 1 there, and NaN, a black pixel, for 1^inf).
    let comp = "shader_body { float zero = 0 * uv.x; float two = 2 * step(0, uv.x); \
                float big = 1e30 * step(0, uv.x); float inf = big * big; \
                ret = float3(0.5 * pow(zero, zero), 0.5 * pow(1 + zero, inf), \
                pow(zero, 0.5 * two) + pow(0.5 + zero, two)); }";
    composite_middle_is(comp, false, [128, 128, 64]);
}

#[test]
fn arc_cosines_outside_minus_one_to_one_follow_direct3d_9_or_butterchurn() {
    // fxc expands acos into a cubic in |x| times rcp(rsq(1 - |x|)), and rsq
    // takes |x|: acos(2) = 1.2937 (/2: 165), asin(-2) = pi/2 - acos(-2) =
    // -0.2771 (+0.5: 57); inside [-1, 1] it is acos to 7e-5 (acos(-0.5) / 3:
    // 178). butterchurn's GLSL gives NaN outside, stored as 0.
    let comp = "shader_body { float two = 2 * uv.x / uv.x; \
                ret = float3(acos(two) / 2, asin(-two) + 0.5, acos(-0.25 * two) / 3); }";
    composite_middle_as_direct3d_9_and_butterchurn(comp, [165, 57, 178], [0, 0, 178]);
}

#[test]
fn zero_times_anything_is_zero_as_in_direct3d_9() {
    // Direct3D 9 multiplies with 0 * x = 0 for any x, infinity and NaN
    // included, and fxc makes a / b of a * rcp(b) (rcp(0) = +inf, rcp(inf)
    // = 0): 0 / 0 = 0 (0.5 + it: 128), inf * 0 = 0 (128), inf / inf = 0
    // (0.25 + it: 64). A preset dividing by a `q` it never sets draws its
    // picture so. With butterchurn's IEEE arithmetic 0 / 0 and inf / inf
    // are NaN, stored as 0 (what inf * 0 gives there depends on the
    // driver's fast math: llvmpipe folds x * 0 to 0).
    let comp = "shader_body { float zero = 0 * uv.x; float inf = 1 / zero; \
                ret = float3(0.5 + zero / zero, 0.5 + inf * zero, 0.25 + inf / inf); }";
    for (nan, want) in [
        (false, &[(0, 128), (1, 128), (2, 64)][..]),
        (true, &[(0, 0), (2, 0)][..]),
    ] {
        let got = composite_middle(comp, nan);
        for &(c, v) in want {
            assert!(got[c].abs_diff(v) <= 1, "butterchurn NaN {nan}: {got:?}");
        }
    }
}

#[test]
fn remainders_by_zero_are_zero_as_in_direct3d_9() {
    // fxc writes a % b as frc(|a / b|), signed as a, times b: Direct3D 9's
    // 0 * x = 0 makes x % 0 0 (0.5 + it: 128), as for a `q` the preset
    // never sets. WGSL's a - b * trunc(a / b) depends on the driver there:
    // NaN by IEEE rules (stored as 0), `a` itself where fast math folds
    // 0 * x to 0 (llvmpipe: 0.5 + 0.75 and 0.5 + 0.375). A remainder by a
    // non-zero number is as before (0.75 % 0.5 = 0.25: 64).
    let comp = "shader_body { float zero = 0 * uv.x; float v = 0.75 * step(0, uv.x); \
                ret = float3(0.5 + v % zero, 0.5 + ((v * uv) % zero).y, v % (zero + 0.5)); }";
    composite_middle_is(comp, false, [128, 128, 64]);
}

#[test]
fn butterchurns_nan_reads_textures_at_0_for_a_nan_coordinate() {
    // With butterchurn's NaN, asin(1.5) is NaN, and SwiftShader (which
    // draws butterchurn's references) reads a texture at a NaN coordinate
    // as at 0, where llvmpipe's filter returns NaN (stored as 0): the
    // imitation reads at 0, so the difference of the two reads is 0 (0.5 +
    // it: 128).
    let comp = "shader_body { float n = asin(1.5 + 0 * uv.x); \
                ret = tex2D(sampler_noise_lq, float2(n, n)).xyz \
                - tex2D(sampler_noise_lq, float2(0, 0)).xyz + 0.5; }";
    composite_middle_is(comp, true, [128, 128, 128]);
}

#[test]
fn normalizing_a_zero_vector_gives_zero_as_in_direct3d_9() {
    // fxc writes normalize(v) as v * rsq(dot(v, v)): with Direct3D 9's
    // 0 * inf = 0 a zero vector stays zero (0.5 + it: 128), as in the
    // common `normalize(uv - uv_orig)` where the warp does not move; IEEE
    // arithmetic gives NaN, stored as 0. A non-zero vector is unchanged
    // (0.25 + 0.5 * 1: 191).
    let comp = "shader_body { float2 z = uv - uv; \
                ret = float3(0.5 + normalize(z).x, 0.5 + normalize(float3(z, 0)).y, \
                0.25 + normalize(float2(uv.x, 0)).x * 0.5); }";
    composite_middle_as_direct3d_9_and_butterchurn(comp, [128, 128, 191], [0, 0, 191]);
}

#[test]
fn round_takes_halves_up_as_direct3d_9() {
    // fxc writes ps_2/ps_3 `round(x)` as floor(x + 0.5): round(0.5) = 1
    // (/2: 128), round(2.5) = 3 (/4: 191), round(-0.5) = 0 (+0.5: 128),
    // where rounding to even gives 0, 128 and 128. A pixel centre times a
    // power-of-two size is such a half. butterchurn's option leaves it.
    let comp = "shader_body { float one = step(0, uv.x); \
                ret = float3(round(0.5 * one) / 2, round(2.5 * one) / 4, round(-0.5 * one) + 0.5); }";
    composite_middle_as_direct3d_9_and_butterchurn(comp, [128, 191, 128], [128, 191, 128]);
}

#[test]
fn shader_model_3_intrinsics_and_switch_compute_hlsls_values() {
    // isinf/isfinite of infinity and 1: 0.5 + 0.125 (159), isnan of
    // neither (a NaN made in the shader cannot be tested: drivers may
    // fold `x - x` to 0); frexp(12) = 0.75 * 2^4: 0.75 * 4 / 8 (96); lit(0.5, 0.5, 2).z
    // = 0.25, dst(..).y = 2 * 0.25, D3DCOLORtoUBYTE4 of red 0.6 = 153, and
    // the switch's `case 1: case 2:` = 0.1: 0.25 + 0.25 + 0.15 + 0.1 (191).
    let comp = "shader_body { float one = step(0, uv.x); float big = exp2(200 * one); \
                float r = isinf(big) * 0.5 + isfinite(one) * 0.125 \
                        + (isnan(big) + isnan(one) + isinf(one) + isfinite(big)) * 0.0625; \
                float e; float m = frexp(12 * one, e); \
                float4 l = lit(0.5 * one, 0.5 * one, 2); \
                float4 d = dst(float4(1, 2 * one, 3, 4), float4(5, 0.25, 7, 0.5)); \
                int4 b = D3DCOLORtoUBYTE4(float4(0.2, 0.4, 0.6, 1) * one); \
                int k = 2 * one; float s = 0; \
                switch (k) { case 0: s = 0.9; break; case 1: case 2: s = 0.1; break; default: s = 0.7; } \
                ret = float3(r, m * e / 8, l.z + d.y * 0.5 + b.x / 1020.0 + s); }";
    composite_middle_as_direct3d_9_and_butterchurn(comp, [159, 96, 191], [159, 96, 191]);
}

#[test]
fn smoothstep_and_clamp_take_their_edges_in_either_order_as_hlsl() {
    // smoothstep(1, 0, 0.25): t = (0.25 - 1) / (0 - 1) = 0.75, 0.84375
    // (215); clamp(0.5, 0.8, 0.2) = min(max(0.5, 0.8), 0.2) = 0.2 (51);
    // smoothstep(0, 1, 0.25) = 0.15625 (40).
    let comp = "shader_body { float one = step(0, uv.x); \
                ret = float3(smoothstep(one, 0, 0.25), clamp(0.5 * one, 0.8, 0.2), \
                smoothstep(0, one, 0.25)); }";
    composite_middle_as_direct3d_9_and_butterchurn(comp, [215, 51, 40], [215, 51, 40]);
}

#[test]
fn replayed_randoms_reach_the_code_and_the_shaders() {
    use milk_engine::{BlockId, FrameRandoms};
    let gpu = gpu();
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    // Wave 0 is disabled but has init code: MilkDrop 2 runs it (and so
    // draws from the generator), which must not shift shape 0's numbers.
    let text = "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
                PSVERSION_COMP=2\nfDecay=1.0\nfGammaAdj=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\n\
                mv_a=0\nper_frame_init_1=q2 = rand(100);\n\
                per_frame_1=q1 = rand(10);\nper_frame_2=q3 = reg00;\n\
                wavecode_0_enabled=0\nwave_0_init1=reg01 = rand(5);\n\
                shapecode_0_enabled=1\nshapecode_0_a=0\nshapecode_0_border_a=0\n\
                shape_0_init1=reg00 = rand(2);\n\
                warp_1=`shader_body { ret = 0; }\n\
                comp_1=`shader_body { ret = float3(rand_frame.x, rand_preset.y, q2 / 100); }\n";
    let report = vis.load_preset(&Preset::parse(text).expect("parses"));
    assert!(report.comp_shader && report.errors.is_empty(), "{report:?}");
    let target = gpu.target(W, H);
    vis.set_next_randoms(FrameRandoms {
        eel: vec![
            (BlockId::PerFrameInit, vec![0.75]),
            (BlockId::PerFrame, vec![0.25]),
            (BlockId::ShapeInit(0), vec![0.5]),
        ],
        warp_rand_frame: Some([0.9; 4]),
        comp_rand_frame: Some([0.25, 0.0, 0.0, 0.0]),
        rand_preset: Some([0.0, 0.5, 0.0, 0.0]),
        rand_start: None,
    });
    let first = render(&mut vis, &gpu, &target);
    let q = vis.frame_state().expect("a frame").q;
    // (The shapes' init code runs before the first per-frame code.)
    assert_eq!((q[0], q[1], q[2]), (2.5, 75.0, 1.0));
    // Every listed value used; the disabled wave's init drew once past its
    // (empty) list.
    assert_eq!(vis.rand_script_balance(), Some((0, 1)));
    let [r, g, b] = middle(&first);
    assert!(
        r.abs_diff(64) <= 1 && g.abs_diff(128) <= 1 && b.abs_diff(191) <= 1,
        "{r} {g} {b}"
    );

    // Without randoms: Kefir's own rand() and rand_frame again, the
    // replayed rand_preset stays (it is per preset).
    let second = render(&mut vis, &gpu, &target);
    assert_eq!(vis.rand_script_balance(), None);
    let q1 = vis.frame_state().expect("a frame").q[0];
    assert!((0.0..=10.0).contains(&q1) && q1 != 2.5, "{q1}");
    let [r, g, _] = middle(&second);
    assert!(r.abs_diff(64) > 1, "rand_frame replayed twice: {r}");
    assert!(g.abs_diff(128) <= 1, "{g}");
}

#[test]
fn discarded_warp_pixels_are_black_whatever_the_target_held() {
    // Frames 1 and 2 write white everywhere into both feedback textures;
    // from frame 3 the warp shader discards the left half, which must then
    // be black (MilkDrop clears the target), not what the texture held.
    // The composite shader shows the warp's source: frame n shows what the
    // warp of frame n - 1 drew (frame 1 the black it started from).
    let gpu = gpu();
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    let text = "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
                PSVERSION_COMP=2\nfDecay=1.0\nfGammaAdj=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\n\
                mv_a=0\nper_frame_1=n = n + 1; q1 = n;\n\
                warp_1=`shader_body { ret = 1; if (q1 > 2.5 && uv.x < 0.5) discard; }\n\
                comp_1=`shader_body { ret = tex2D(sampler_main, uv).xyz; }\n";
    let report = vis.load_preset(&Preset::parse(text).expect("parses"));
    assert!(report.warp_shader && report.comp_shader, "{report:?}");
    let target = gpu.target(W, H);
    let at = |img: &[u8], x: u32| img[(((H / 2) * W + x) * 4) as usize];
    for frame in 1..=5 {
        let img = render(&mut vis, &gpu, &target);
        let (left, right) = (at(&img, W / 4), at(&img, 3 * W / 4));
        assert_eq!(right, if frame == 1 { 0 } else { 255 }, "frame {frame}");
        let left_white = (2..=3).contains(&frame);
        assert_eq!(left, if left_white { 255 } else { 0 }, "frame {frame}");
    }
}

#[test]
fn replayed_hue_phases_replace_the_seeded_ones() {
    use milk_engine::FrameRandoms;
    // The hue shader's corner colours, read by a composite shader and by
    // the built-in composite: their phases come from the seed unless a
    // replay gives them.
    let shader = "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
                  PSVERSION_COMP=2\nfDecay=1.0\nfGammaAdj=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\n\
                  mv_a=0\nwarp_1=`shader_body { ret = 0; }\n\
                  comp_1=`shader_body { ret = hue_shader; }\n";
    let fixed = "[preset00]\nfDecay=1.0\nfGammaAdj=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\n\
                 mv_a=0\nob_size=0.5\nob_a=1\nob_r=1\nob_g=1\nob_b=1\nfShader=1\n";
    let gpu = gpu();
    let target = gpu.target(W, H);
    let frame = |seed: u64, rand_start: Option<[f32; 4]>, text: &str| {
        let config = Config {
            seed,
            ..Config::default()
        };
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), config);
        let report = vis.load_preset(&Preset::parse(text).expect("parses"));
        assert!(report.errors.is_empty(), "{report:?}");
        vis.set_next_randoms(FrameRandoms {
            rand_start,
            ..FrameRandoms::default()
        });
        render(&mut vis, &gpu, &target)
    };
    let phases = Some([0.25, 0.5, 0.75, 0.125]);
    for text in [shader, fixed] {
        assert_ne!(
            frame(1, None, text),
            frame(2, None, text),
            "seeds give other hues"
        );
        assert_eq!(
            frame(1, phases, text),
            frame(2, phases, text),
            "replayed hues"
        );
    }
}

/// MilkDrop 2's hue colours (`shade[4]`) at `time` for random phases `r`.
fn milkdrop_shades(time: f32, r: [f32; 4]) -> [[f32; 3]; 4] {
    std::array::from_fn(|i| {
        let i = i as f32;
        let t = time * 30.0;
        let c = [
            0.6 + 0.3 * (t * 0.0143 + 3.0 + i * 21.0 + r[3]).sin(),
            0.6 + 0.3 * (t * 0.0107 + 1.0 + i * 13.0 + r[1]).sin(),
            0.6 + 0.3 * (t * 0.0129 + 6.0 + i * 9.0 + r[2]).sin(),
        ];
        let max = c[0].max(c[1]).max(c[2]);
        c.map(|v| 0.5 + 0.5 * v / max)
    })
}

#[test]
fn hue_colours_sit_on_the_corners_milkdrop_2_gives_them() {
    use milk_engine::{ButterchurnQuirks, FrameRandoms};
    let phases = [0.0, 2.0, 4.0, 1.0];
    let shades = milkdrop_shades(DT as f32, phases);
    // A white frame (the outer border covers it) under the hue shader,
    // through the built-in composite (MilkDrop 2's ShowToUser_NoShaders)
    // and through a composite shader (ShowToUser_Shaders).
    let fixed = "[preset00]\nfDecay=1.0\nfGammaAdj=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\n\
                 mv_a=0\nob_size=0.5\nob_a=1\nob_r=1\nob_g=1\nob_b=1\nfShader=1\n";
    let shader = "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
                  PSVERSION_COMP=2\nfDecay=1.0\nfGammaAdj=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\n\
                  mv_a=0\nwarp_1=`shader_body { ret = 0; }\n\
                  comp_1=`shader_body { ret = hue_shader; }\n";
    let gpu = gpu();
    let target = gpu.target(W, H);
    // Which shade each corner shows (top-left, top-right, bottom-left,
    // bottom-right), and the colour at (0.9, 0.1) near the top-right
    // corner (inside the white border).
    let corners = |text: &str, butterchurn: bool| -> ([usize; 4], [f32; 3]) {
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        vis.emulate_butterchurn(ButterchurnQuirks {
            hue: butterchurn,
            ..Default::default()
        });
        let report = vis.load_preset(&Preset::parse(text).expect("parses"));
        assert!(report.errors.is_empty(), "{report:?}");
        vis.set_next_randoms(FrameRandoms {
            rand_start: Some(phases),
            ..FrameRandoms::default()
        });
        let img = render(&mut vis, &gpu, &target);
        let i = (((H / 10) * W + W * 9 / 10) * 4) as usize;
        let diagonal = [img[i], img[i + 1], img[i + 2]].map(|v| f32::from(v) / 255.0);
        let corners = [(1, 1), (W - 2, 1), (1, H - 2), (W - 2, H - 2)].map(|(x, y)| {
            let i = ((y * W + x) * 4) as usize;
            let px = [img[i], img[i + 1], img[i + 2]].map(|v| f32::from(v) / 255.0);
            let dist = |s: &[f32; 3]| s.iter().zip(px).map(|(a, b)| (a - b).abs()).sum::<f32>();
            let nearest = (0..4)
                .min_by(|&a, &b| dist(&shades[a]).total_cmp(&dist(&shades[b])))
                .expect("four shades");
            assert!(
                dist(&shades[nearest]) < 0.1,
                "{px:?} is no shade of {shades:?}"
            );
            nearest
        });
        (corners, diagonal)
    };
    // The shades mixed with these weights.
    let mix = |weights: [(usize, f32); 4]| -> [f32; 3] {
        std::array::from_fn(|c| weights.iter().map(|&(s, w)| shades[s][c] * w).sum())
    };
    let near = |got: [f32; 3], want: [f32; 3]| {
        let far = got.iter().zip(want).any(|(g, w)| (g - w).abs() > 0.02);
        assert!(!far, "{got:?} is not {want:?}");
    };
    // ShowToUser_NoShaders: shade[i] on vertex i of its quad, drawn under
    // MilkDrop's 2D projection (y down): vertices 0..3 are the bottom-left,
    // bottom-right, top-left and top-right corners, a strip of two
    // triangles split from top-left to bottom-right, so (0.9, 0.1) mixes
    // the top-right corner with a tenth of each end of that diagonal.
    let (fixed_corners, fixed_diagonal) = corners(fixed, false);
    assert_eq!(fixed_corners, [2, 3, 0, 1]);
    near(
        fixed_diagonal,
        mix([(2, 0.1), (3, 0.8), (1, 0.1), (0, 0.0)]),
    );
    // ShowToUser_Shaders: shade[0] x y + shade[1] (1 - x) y + ..., y up.
    assert_eq!(corners(shader, false).0, [1, 0, 3, 2]);
    // butterchurn: the same with y down, on both paths, mixed bilinearly
    // (all four corners reach the diagonal).
    assert_eq!(corners(shader, true).0, [3, 2, 1, 0]);
    let (bc_corners, bc_diagonal) = corners(fixed, true);
    assert_eq!(bc_corners, [3, 2, 1, 0]);
    near(
        bc_diagonal,
        mix([(3, 0.09), (2, 0.81), (1, 0.01), (0, 0.09)]),
    );
}

#[test]
fn composite_shaders_without_grid_values_see_the_grids_uv() {
    // A composite shader reading only uv is drawn over one full-screen
    // triangle, one reading rad over MilkDrop 2's composite grid; both
    // must see the same uv (a tex2D of a steep gradient would show any
    // shift).
    let preset = |comp: &str| {
        format!(
            "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
             PSVERSION_COMP=2\nfDecay=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\nmv_a=0\n\
             warp_1=`shader_body {{ ret = 0; }}\ncomp_1=`shader_body {{ {comp} }}\n"
        )
    };
    let gpu = gpu();
    let target = gpu.target(W, H);
    let draw = |comp: &str| {
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        let report = vis.load_preset(&Preset::parse(&preset(comp)).expect("parses"));
        assert!(report.comp_shader, "{report:?}");
        render(&mut vis, &gpu, &target)
    };
    let plain = draw("ret = float3(frac(uv * 7.3), 0.5);");
    let gridded = draw("ret = float3(frac(uv * 7.3), 0.5) + rad * 0.0;");
    let far = plain
        .iter()
        .zip(&gridded)
        .filter(|(a, b)| a.abs_diff(**b) > 1)
        .count();
    assert_eq!(far, 0, "{far} channels differ by more than 1");
    // And the picture is the gradient: top-left dark, red rising to the right.
    assert!(
        plain[0] < 20 && plain[4 * 5] > plain[0],
        "{:?}",
        &plain[..24]
    );
}

#[test]
fn replayed_noise_replaces_the_generated_texture() {
    use milk_engine::textures::NoiseKind;
    let gpu = gpu();
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    let err = vis.set_noise_texture(NoiseKind::Lq, &[0; 16]).unwrap_err();
    assert_eq!((err.got, err.expected), (16, 256 * 256 * 4));
    let flat: Vec<u8> = [200, 100, 50, 255].repeat(256 * 256);
    vis.set_noise_texture(NoiseKind::Lq, &flat)
        .expect("right size");
    let text = "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
                PSVERSION_COMP=2\nfDecay=1.0\nfGammaAdj=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\n\
                mv_a=0\nwarp_1=`shader_body { ret = 0; }\n\
                comp_1=`shader_body { ret = tex2D(sampler_noise_lq, uv).xyz; }\n";
    let report = vis.load_preset(&Preset::parse(text).expect("parses"));
    assert!(report.comp_shader, "{report:?}");
    let target = gpu.target(W, H);
    let img = render(&mut vis, &gpu, &target);
    assert_eq!(middle(&img), [200, 100, 50]);
}

/// RGBA pixels of a `width` x `height` image in one-pixel columns of 255
/// (even x) and 0 (odd x); `width` is even.
fn columns_of_white_and_black(width: u32, height: u32) -> Vec<u8> {
    (0..width * height)
        .flat_map(|i| {
            let v = if i % 2 == 0 { 255 } else { 0 };
            [v, v, v, 255]
        })
        .collect()
}

#[test]
fn noise_read_across_fewer_rows_than_texels_is_trilinear_or_as_butterchurn_anisotropic() {
    use milk_engine::ButterchurnQuirks;
    use milk_engine::textures::NoiseKind;
    // noise_lq in columns of 255 and 0, read through `uv` at 256x192: one
    // column a pixel, 4/3 rows a pixel. MilkDrop 2's trilinear filter takes
    // level log2(4/3) = 0.415, mixing the columns' 2x2 mean (127.5) into
    // level 0's 255 and 0: 202 and 53. butterchurn's anisotropic filter
    // takes the level of the shorter side, 0: 255 and 0.
    let columns = columns_of_white_and_black(256, 256);
    let text = "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
                PSVERSION_COMP=2\nfDecay=1.0\nfGammaAdj=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\n\
                mv_a=0\nwarp_1=`shader_body { ret = 0; }\n\
                comp_1=`shader_body { ret = tex2D(sampler_noise_lq, uv).xyz; }\n";
    let gpu = gpu();
    let target = gpu.target(256, 192);
    for (anisotropic, want) in [(false, [202, 53]), (true, [255, 0])] {
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        vis.set_noise_texture(NoiseKind::Lq, &columns)
            .expect("right size");
        vis.emulate_butterchurn(ButterchurnQuirks {
            anisotropic,
            ..ButterchurnQuirks::default()
        });
        let report = vis.load_preset(&Preset::parse(text).expect("parses"));
        assert!(report.comp_shader, "{report:?}");
        let img = render(&mut vis, &gpu, &target);
        let at = |x: usize| img[(96 * 256 + x) * 4];
        for x in [100, 101, 180, 181] {
            let w = want[x % 2];
            assert!(
                at(x).abs_diff(w) <= 4,
                "anisotropic {anisotropic}: column {x} is {}, want {w}",
                at(x)
            );
        }
    }
}

#[test]
fn frame_reads_are_sharp_or_as_butterchurn_at_the_level_the_derivatives_pick() {
    use milk_engine::ButterchurnQuirks;
    // A frame of columns of 255 and 0, read by the composite shader two
    // texels a pixel across, each read at the centre of an odd texel:
    // MilkDrop 2's frame has one level, so every read is 0. butterchurn's
    // frame has mip levels (made from the previous frame before the warp)
    // and reads level log2(2) = 1, the columns' mean.
    let (w, h) = (256u32, 192u32);
    let columns = columns_of_white_and_black(w, h);
    let text = "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
                PSVERSION_COMP=2\nfDecay=1.0\nfGammaAdj=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\n\
                mv_a=0\nwarp_1=`shader_body { ret = 0; }\n\
                comp_1=`shader_body { ret = tex2D(sampler_main, uv * float2(2, 1) + \
                float2(0.5, 0) * texsize.zw).xyz; }\n";
    let gpu = gpu();
    let target = gpu.target(w, h);
    for (mipmaps, want) in [(false, 0), (true, 128)] {
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        vis.emulate_butterchurn(ButterchurnQuirks {
            mipmaps,
            ..ButterchurnQuirks::default()
        });
        let report = vis.load_preset(&Preset::parse(text).expect("parses"));
        assert!(report.comp_shader, "{report:?}");
        vis.set_frame(w, h, &columns);
        let img = render(&mut vis, &gpu, &target);
        for x in [40, 41, 100, 101] {
            let v = img[(96 * w as usize + x) * 4];
            assert!(
                v.abs_diff(want) <= 4,
                "mipmaps {mipmaps}: column {x} is {v}, want {want}"
            );
        }
    }
}

#[test]
fn blur_levels_come_from_the_previous_frame_or_as_butterchurn_the_one_before() {
    use milk_engine::ButterchurnQuirks;
    // The warp draws flat grey every frame, the composite shows blur1.
    let text = "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
                PSVERSION_COMP=2\nfDecay=1.0\nfGammaAdj=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\n\
                mv_a=0\nwarp_1=`shader_body { ret = 0.6; }\n\
                comp_1=`shader_body { ret = GetBlur1(uv); }\n";
    let preset = Preset::parse(text).expect("parses");
    let gpu = gpu();
    let target = gpu.target(W, H);
    let frames = |quirks: Option<ButterchurnQuirks>| {
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        if let Some(quirks) = quirks {
            vis.emulate_butterchurn(quirks);
        }
        let report = vis.load_preset(&preset);
        assert!(report.comp_shader && report.warp_shader, "{report:?}");
        (0..3)
            .map(|_| middle(&render(&mut vis, &gpu, &target))[0])
            .collect::<Vec<_>>()
    };
    let grey = 153; // 0.6 * 255
    let near = |v: u8| v.abs_diff(grey) <= 2;
    // MilkDrop 2: frame 1 blurs the black frame before it, frame 2 frame 1.
    let milkdrop = frames(None);
    assert!(
        milkdrop[0] == 0 && near(milkdrop[1]) && near(milkdrop[2]),
        "{milkdrop:?}"
    );
    assert_eq!(frames(Some(ButterchurnQuirks::default())), milkdrop);
    // butterchurn: a frame later.
    let butterchurn = frames(Some(ButterchurnQuirks {
        late_blur: true,
        ..Default::default()
    }));
    assert!(
        butterchurn[0] == 0 && butterchurn[1] == 0 && near(butterchurn[2]),
        "{butterchurn:?}"
    );
}

/// The second frame of `preset` with butterchurn's `quirks` imitated.
fn frame_imitating(
    gpu: &Headless,
    target: &wgpu::Texture,
    preset: &Preset,
    quirks: milk_engine::ButterchurnQuirks,
) -> Vec<u8> {
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    vis.emulate_butterchurn(quirks);
    let report = vis.load_preset(preset);
    assert!(report.warp_shader && report.comp_shader, "{report:?}");
    render(&mut vis, gpu, target);
    render(&mut vis, gpu, target)
}

/// Asserts red and green at (x, y) are `want` (fractions of 255) within 8
/// levels.
fn assert_red_green(img: &[u8], (x, y): (u32, u32), want: [f64; 2]) {
    let i = ((y * W + x) * 4) as usize;
    let got = [img[i], img[i + 1]];
    let near = got
        .iter()
        .zip(want)
        .all(|(&g, w)| (f64::from(g) - w * 255.0).abs() <= 8.0);
    assert!(near, "at ({x}, {y}): {got:?}, want {want:?} of 255");
}

#[test]
fn warp_shaders_read_milkdrops_rad_and_ang_or_butterchurns() {
    use milk_engine::ButterchurnQuirks;
    // The warp writes rad and ang/2pi + 0.5 into red and green.
    let text = "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
                PSVERSION_COMP=2\nfDecay=1.0\nfGammaAdj=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\n\
                mv_a=0\nwarp_1=`shader_body { ret = float3(rad, ang / 6.2831853 + 0.5, 0); }\n\
                comp_1=`shader_body { ret = tex2D(sampler_main, uv).xyz; }\n";
    let preset = Preset::parse(text).expect("parses");
    let gpu = gpu();
    let target = gpu.target(W, H);
    // Halfway from the centre to the right edge, on the middle row.
    let at = (W * 3 / 4, H / 2);
    // MilkDrop 2: the mesh's rad (1 at the middle of the longer side) and
    // atan2(y, x) (0 to the right).
    let milkdrop = frame_imitating(&gpu, &target, &preset, ButterchurnQuirks::default());
    assert_red_green(&milkdrop, at, [0.5, 0.5]);
    // butterchurn: length(uv_orig - 0.5), atan(x, y) (a quarter turn on).
    let quirks = ButterchurnQuirks {
        warp_rad_ang: true,
        ..Default::default()
    };
    assert_red_green(
        &frame_imitating(&gpu, &target, &preset, quirks),
        at,
        [0.25, 0.75],
    );
}

#[test]
fn butterchurns_load_run_leaves_the_codes_variables_and_draws_its_randoms() {
    use milk_engine::BlockId;
    // n counts per-frame runs; the first run draws a random number.
    let text = "[preset00]\nper_frame_1=n = n + 1; q1 = n;\n\
                per_frame_2=first = if(equal(n, 1), rand(1000), first); q2 = first;\n";
    let preset = Preset::parse(text).expect("parses");
    let gpu = gpu();
    let target = gpu.target(W, H);
    let first_frame = |load_run: Option<Vec<f64>>| {
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        vis.load_preset(&preset);
        if let Some(randoms) = load_run {
            vis.replay_butterchurn_load_run((W, H), vec![(BlockId::PerFrame, randoms)]);
        }
        render(&mut vis, &gpu, &target);
        let q = vis.frame_state().expect("a frame ran").q;
        (q[0], q[1])
    };
    // MilkDrop 2: the first frame is the code's first run.
    assert_eq!(first_frame(None).0, 1.0);
    // butterchurn: its load run came first and drew the given number.
    assert_eq!(first_frame(Some(vec![0.5])), (2.0, 500.0));
}

#[test]
fn composite_shaders_read_milkdrops_rad_and_ang_or_butterchurns() {
    use milk_engine::ButterchurnQuirks;
    // The composite writes rad and frac(ang/2pi) into red and green.
    let text = "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
                PSVERSION_COMP=2\nfWaveAlpha=0\nmv_a=0\nwarp_1=`shader_body { ret = 0; }\n\
                comp_1=`shader_body { ret = float3(rad, frac(ang / 6.2831853), 0); }\n";
    let preset = Preset::parse(text).expect("parses");
    let gpu = gpu();
    let target = gpu.target(W, H);
    // Just right of the middle column, a quarter of the way down: uv about
    // (0.516, 0.26).
    let at = (W / 2 + 1, H / 4);
    // MilkDrop 2's UvToMathSpace: (px, py) = (0.03, -0.48 * 0.75), rad
    // |(px, py)| / |(1, 0.75)| = 0.29, atan2(py, px) + 2pi: 0.76 of a turn.
    let milkdrop = frame_imitating(&gpu, &target, &preset, ButterchurnQuirks::default());
    assert_red_green(&milkdrop, at, [0.29, 0.76]);
    // butterchurn: length(uv - 0.5) = 0.24, atan(0.016, -0.24) just under
    // pi: 0.49 of a turn.
    let quirks = ButterchurnQuirks {
        comp_rad_ang: true,
        ..Default::default()
    };
    assert_red_green(
        &frame_imitating(&gpu, &target, &preset, quirks),
        at,
        [0.24, 0.49],
    );
}

#[test]
fn shader_matrices_are_hlsls_or_as_butterchurn_transposed() {
    use milk_engine::ButterchurnQuirks;
    // HLSL fills rows: mul((1, 0), float2x2(float4(0.2, 0.8, 0.4, 0.6))) =
    // (0.2, 0.8).
    let text = "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
                PSVERSION_COMP=2\nfWaveAlpha=0\nmv_a=0\nwarp_1=`shader_body { ret = 0; }\n\
                comp_1=`shader_body { ret = float3(mul(float2(1, 0), \
                float2x2(float4(0.2, 0.8, 0.4, 0.6))), 0); }\n";
    let preset = Preset::parse(text).expect("parses");
    let gpu = gpu();
    let target = gpu.target(W, H);
    let red_green = |quirks| {
        let img = frame_imitating(&gpu, &target, &preset, quirks);
        [middle(&img)[0], middle(&img)[1]]
    };
    assert_eq!(red_green(ButterchurnQuirks::default()), [51, 204]);
    // butterchurn's presets' converter makes the float4's halves columns:
    // (0.2, 0.4).
    let quirks = ButterchurnQuirks {
        matrices: true,
        ..Default::default()
    };
    assert_eq!(red_green(quirks), [51, 102]);
}

#[test]
fn noise_reads_that_never_minify_match_the_mipmapped_read_through_level_0() {
    // The composite reads noise_lq at `scale` texels a pixel, once where the
    // translator follows the coordinate (its footprint binding: level 0
    // alone at one texel a pixel, the whole texture at three) and once
    // through a branch it does not follow (the ordinary mipmapped binding).
    let gpu = gpu();
    let target = gpu.target(W, H);
    let frame = |body: &str| {
        let preset = shader_preset(
            "shader_body { ret = 0; }",
            &format!("shader_body {{ {body} }}"),
        );
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        let report = vis.load_preset(&preset);
        assert!(report.comp_shader, "{report:?}");
        render(&mut vis, &gpu, &target)
    };
    let mut pictures = Vec::new();
    for scale in ["1", "3"] {
        let coord = format!("uv*texsize.xy*texsize_noise_lq.zw*{scale} + float2(0.3, 0.1)");
        let followed = frame(&format!("ret = tex2D(sampler_noise_lq, {coord}).xyz;"));
        let hidden = frame(&format!(
            "float2 p = {coord}; if (time > -1) p = p*1; ret = tex2D(sampler_noise_lq, p).xyz;"
        ));
        assert!(followed == hidden, "scale {scale}: the two reads differ");
        pictures.push(followed);
    }
    // At three texels a pixel the mip levels average the noise: flatter.
    let spread = |img: &[u8]| {
        let (min, max) = img
            .chunks_exact(4)
            .fold((255, 0), |(lo, hi), p| (lo.min(p[0]), hi.max(p[0])));
        max - min
    };
    assert!(
        spread(&pictures[1]) < spread(&pictures[0]),
        "{} {}",
        spread(&pictures[1]),
        spread(&pictures[0])
    );
}

#[test]
fn user_textures_drawn_smaller_than_their_texels_average_through_mip_levels() {
    // A 200x200 checkerboard of single black and white texels, read at the
    // composite's uv on a 64x48 frame: three to four texels a pixel.
    // MilkDrop 2 loads user textures with a full mip chain, so the read
    // lands between levels 1 and 2, whose texels are the board's mean
    // grey; one level alone gives whatever mix of black and white texels
    // the bilinear taps hit.
    let side = 200;
    let rgba: Vec<u8> = (0..side * side)
        .flat_map(|i| {
            let v = if (i % side + i / side) % 2 == 0 {
                255
            } else {
                0
            };
            [v, v, v, 255]
        })
        .collect();
    let gpu = gpu();
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    let image = milk_engine::textures::Image {
        width: side,
        height: side,
        rgba,
    };
    assert!(vis.add_texture("checker.png", image));
    // The read sits behind a branch, where the footprint analysis does not
    // follow it: the ordinary mipmapped binding.
    let preset = shader_preset(
        "shader_body { ret = 0; }",
        "sampler sampler_checker;\n\
         shader_body { float2 p = uv; if (time > -1) p = p*1; ret = tex2D(sampler_checker, p).xyz; }",
    );
    let report = vis.load_preset(&preset);
    assert!(report.comp_shader, "{report:?}");
    assert!(
        report.texture_warnings.is_empty(),
        "{:?}",
        report.texture_warnings
    );
    let target = gpu.target(W, H);
    let img = render(&mut vis, &gpu, &target);
    let (lo, hi) = img
        .chunks_exact(4)
        .fold((255, 0), |(lo, hi), p| (lo.min(p[0]), hi.max(p[0])));
    assert!(
        lo >= 112 && hi <= 143,
        "levels {lo}..{hi}: not the mean grey"
    );
}

#[test]
fn a_smaller_blur_scale_keeps_the_blur_as_wide_on_the_screen() {
    // A bright vertical stripe, a tenth of the width; the composite shows
    // blur2 of it.
    let preset = shader_preset(
        "shader_body { ret = abs(uv.x - 0.5) < 0.05 ? 1.0 : 0.0; }",
        "shader_body { ret = GetBlur2(uv); }",
    );
    let gpu = gpu();
    let (w, h) = (512, 384);
    let target = gpu.target(w, h);
    let row = |blur_scale: f32| {
        let config = Config {
            blur_scale,
            ..Config::default()
        };
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), config);
        let report = vis.load_preset(&preset);
        assert!(report.warp_shader && report.comp_shader, "{report:?}");
        render(&mut vis, &gpu, &target);
        let img = render(&mut vis, &gpu, &target);
        let y = (h / 2) as usize;
        (0..w as usize)
            .map(|x| f64::from(img[(y * w as usize + x) * 4]))
            .collect::<Vec<_>>()
    };
    // Centre and spread of the row's brightness, in pixels.
    let moments = |v: &[f64]| {
        let total: f64 = v.iter().sum();
        let mean = v.iter().enumerate().map(|(x, a)| x as f64 * a).sum::<f64>() / total;
        let var = v
            .iter()
            .enumerate()
            .map(|(x, a)| (x as f64 - mean).powi(2) * a)
            .sum::<f64>()
            / total;
        (mean, var.sqrt())
    };
    let (full, half) = (row(1.0), row(0.5));
    assert_ne!(full, half, "the blur scale changes the sampling");
    let ((m1, s1), (m2, s2)) = (moments(&full), moments(&half));
    // blur2 is made of 64x48 texels at scale 1 and 32x24 at 0.5, yet it
    // spreads the stripe as far, in the same place.
    assert!((m1 - m2).abs() < 8.0, "centre {m1:.1} vs {m2:.1}");
    assert!(
        (0.85..1.15).contains(&(s2 / s1)),
        "spread {s1:.1} vs {s2:.1}"
    );
    // The stripe alone spreads 51 / sqrt(12) = 14.8 pixels.
    assert!(s1 > 17.0, "blurred: spread {s1:.1}");
}

/// MilkDrop 2's composite shaders (the preset's or the generated one) read
/// `sampler_main` as `ApplyShaderParams` binds it for both stages: the
/// warp's source, the previous frame. A shape drawn into this frame shows
/// on the next; MilkDrop 1's composite shows the new frame at once, and so
/// does butterchurn's composite shader (`comp_frame`).
#[test]
fn composite_shaders_show_the_warps_source_milkdrop_1_the_new_frame() {
    let gpu = gpu();
    let target = gpu.target(W, H);
    let square = "shapecode_0_enabled=1\nshapecode_0_sides=4\nshapecode_0_rad=0.3\n\
                  shapecode_0_r=1\nshapecode_0_g=1\nshapecode_0_b=1\nshapecode_0_a=1\n\
                  shapecode_0_r2=1\nshapecode_0_g2=1\nshapecode_0_b2=1\nshapecode_0_a2=1\n\
                  shapecode_0_border_a=0\n";
    let common = "fDecay=0.0\nfGammaAdj=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\nmv_a=0\n\
                  ob_a=0\nib_a=0\n";
    let milkdrop_1 = format!("[preset00]\n{common}{square}");
    let shader = format!(
        "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
         PSVERSION_COMP=2\n{common}{square}\
         comp_1=`shader_body {{ ret = tex2D(sampler_main, uv).xyz; }}\n"
    );
    let generated = format!(
        "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
         PSVERSION_COMP=2\n{common}{square}"
    );
    let centre = |img: &[u8]| img[(((H / 2) * W + W / 2) * 4) as usize];
    for (name, text, comp_frame, first) in [
        ("MilkDrop 1", &milkdrop_1, false, 255),
        ("composite shader", &shader, false, 0),
        ("generated composite", &generated, false, 0),
        ("composite shader, butterchurn", &shader, true, 255),
    ] {
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        vis.emulate_butterchurn(milk_engine::ButterchurnQuirks {
            comp_frame,
            ..Default::default()
        });
        let report = vis.load_preset(&Preset::parse(text).expect("parses"));
        assert!(report.shader_failures.is_empty(), "{name}: {report:?}");
        let frames: Vec<u8> = (0..3)
            .map(|_| centre(&render(&mut vis, &gpu, &target)))
            .collect();
        // The warp decays everything each frame; only the square is drawn.
        assert_eq!(frames, [first, 255, 255], "{name}");
    }
}

/// A warp shader's `ang` over the cells just below the middle row, left of
/// the centre, runs from `-pi` as the rows below it (MilkDrop 2's
/// `WarpedBlit_Shaders` draws the lower half with the seam at `-pi`), not
/// from the seam's `+pi` through 0.
#[test]
fn warp_shader_ang_has_no_band_along_its_seam() {
    let gpu = gpu();
    let warp = "shader_body { ret = float3(ang / 6.2831853 + 0.5, 0, 0); }";
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    let report = vis.load_preset(&shader_preset(warp, ""));
    assert!(report.warp_shader, "{report:?}");
    let target = gpu.target(W, H);
    // The composite shows the warp's source: the first warp on frame 2.
    render(&mut vis, &gpu, &target);
    let out = render(&mut vis, &gpu, &target);
    let red = |x: u32, y: u32| out[((y * W + x) * 4) as usize];
    // Row 24 is just below the middle (48 rows, 36 mesh rows: the cell
    // below the middle row spans rows 24 and 25); left of the centre ang
    // is near -pi (red near 0), right of it near 0 (red near 128).
    for x in [2, W / 4, W / 2 - 4] {
        assert!(
            red(x, 24) <= 12,
            "left, below the middle, x {x}: {}",
            red(x, 24)
        );
        // Just above the middle: near +pi.
        assert!(
            red(x, 23) >= 243,
            "left, above the middle, x {x}: {}",
            red(x, 23)
        );
    }
    assert!(red(3 * W / 4, 24).abs_diff(128) <= 12);
}

/// Shaders' `vol` is MilkDrop 2's `0.3333f*(bass, mid, treb)`: C's comma
/// operator makes it a third of `treb` (and `vol_att` of `treb_att`);
/// butterchurn's is the mean of the three (`vol` quirk).
#[test]
fn shader_vol_is_a_third_of_treb_as_milkdrop_2_computes_it() {
    let gpu = gpu();
    let target = gpu.target(W, H);
    let preset = shader_preset(
        "shader_body { ret = 0; }",
        "shader_body { ret = float3(vol, vol_att, 0); }",
    );
    let audio = AudioFrame {
        bass: 0.3,
        mid: 0.6,
        treb: 1.5,
        bass_att: 0.9,
        mid_att: 0.0,
        treb_att: 0.6,
        vol: 0.8,
        vol_att: 0.5,
        ..AudioFrame::default()
    };
    for (vol, want) in [(false, [127, 51]), (true, [204, 127])] {
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        vis.emulate_butterchurn(milk_engine::ButterchurnQuirks {
            vol,
            ..Default::default()
        });
        assert!(vis.load_preset(&preset).shader_failures.is_empty());
        vis.render(DT, &audio, &target).expect("renders");
        let img = gpu.read_rgba(&target).expect("read back");
        let got = [img[0], img[1]];
        assert!(
            got.iter().zip(want).all(|(&g, w)| g.abs_diff(w) <= 1),
            "butterchurn's vol {vol}: {got:?}, want {want:?}"
        );
    }
}

/// MilkDrop 2's `time` and `frame` count from the visualizer's start and go
/// on across presets (`GetTime() - m_fStartTime`, `GetFrame()`), while
/// shaders' `time` counts from the preset's start
/// (`time_since_preset_start`).
#[test]
fn time_goes_on_across_presets_and_shaders_count_from_the_preset() {
    let gpu = gpu();
    let target = gpu.target(W, H);
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    vis.load_preset(&shader_preset("shader_body { ret = 0; }", ""));
    for _ in 0..3 {
        render(&mut vis, &gpu, &target);
    }
    let text = "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
                PSVERSION_COMP=2\nfDecay=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\nmv_a=0\n\
                per_frame_1=q1 = time; q2 = frame;\n\
                comp_1=`shader_body { ret = float3(time * 10, q1 * 10, 0); }\n";
    let report = vis.load_preset(&Preset::parse(text).expect("parses"));
    assert!(report.shader_failures.is_empty(), "{report:?}");
    let img = render(&mut vis, &gpu, &target);
    let state = vis.frame_state().expect("a frame");
    // The fourth frame: time 4/60 s, frame 3 (counted from 0).
    assert!((state.q[0] - 4.0 * DT).abs() < 1e-9, "time {}", state.q[0]);
    assert_eq!(state.q[1], 3.0);
    assert!((vis.time() - 4.0 * DT).abs() < 1e-9 && (vis.preset_time() - DT).abs() < 1e-9);
    // The shader's time is the preset's: 1/60 s (red 42); q1 its per-frame
    // time (green 170).
    assert!(
        img[0].abs_diff(42) <= 1 && img[1].abs_diff(170) <= 1,
        "{:?}",
        &img[..3]
    );
}

#[test]
fn progress_is_what_the_host_says_and_restarts_with_a_preset() {
    let gpu = gpu();
    let target = gpu.target(W, H);
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    let text = "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
                PSVERSION_COMP=2\nfDecay=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\nmv_a=0\n\
                per_frame_1=q1 = progress;\n\
                comp_1=`shader_body { ret = float3(progress, q1, 0); }\n";
    let preset = Preset::parse(text).expect("parses");
    vis.load_preset(&preset);
    // No timer: 0.
    let img = render(&mut vis, &gpu, &target);
    assert_eq!(vis.frame_state().expect("a frame").q[0], 0.0);
    assert_eq!(img[..2], [0, 0]);
    // A quarter of the way: equations and shaders both see it.
    vis.set_progress(0.25);
    let img = render(&mut vis, &gpu, &target);
    assert_eq!(vis.frame_state().expect("a frame").q[0], 0.25);
    assert!(
        img[0].abs_diff(64) <= 1 && img[1].abs_diff(64) <= 1,
        "{:?}",
        &img[..3]
    );
    // A new preset starts at 0 again.
    vis.load_preset(&preset);
    render(&mut vis, &gpu, &target);
    assert_eq!(vis.frame_state().expect("a frame").q[0], 0.0);
    // Nonsense from the host reads as 0.
    vis.set_progress(f64::NAN);
    render(&mut vis, &gpu, &target);
    assert_eq!(vis.frame_state().expect("a frame").q[0], 0.0);
}

#[test]
fn a_blend_fades_the_echo_through_zero_when_its_orientation_changes() {
    // Two MilkDrop 1 presets with half-strength echo, unmirrored and
    // mirrored left to right, over a still frame white on the left. MilkDrop
    // 2 fades the echo out in the old orientation towards mid-blend and in
    // again in the new one (by the blend's cosine), where a plain blend of
    // the values would flip the mirrored half in at once.
    let gpu = gpu();
    let target = gpu.target(W, H);
    let echo = |orient: u32| {
        preset(&format!(
            "fVideoEchoAlpha=0.5\nfVideoEchoZoom=1\nnVideoEchoOrientation={orient}"
        ))
    };
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    vis.load_preset(&echo(0));
    let mut left_white = vec![0u8; (W * H * 4) as usize];
    for (i, px) in left_white.chunks_exact_mut(4).enumerate() {
        if (i as u32 % W) < W / 2 {
            px.copy_from_slice(&[255, 255, 255, 255]);
        }
    }
    vis.set_frame(W, H, &left_white);
    let img = render(&mut vis, &gpu, &target);
    assert!(img[0] > 250, "unmirrored echo of the same picture");
    let prepared = vis.builder().prepare(&echo(1), None, 1);
    vis.switch_to(prepared, milk_engine::Switch::Blend { seconds: 8.0 * DT });
    // Progress 1/8, 2/8, ... on the blend's frames.
    let levels: Vec<u8> = (0..8).map(|_| render(&mut vis, &gpu, &target)[0]).collect();
    // At mid-blend no echo (left white); three quarters in, the mirrored
    // echo at 0.5 * (2 * 0.854 - 1) = 0.354 (left 0.646 of white).
    assert!(levels[3] > 250, "{levels:?}");
    assert!((levels[5] as i32 - 165).abs() <= 3, "{levels:?}");
    // Before mid-blend the old orientation: the picture itself.
    assert!(levels[..3].iter().all(|&l| l > 250), "{levels:?}");
}

#[test]
fn a_comp_shaders_uv_orig_is_its_uv_as_milkdrop_2_defines_it() {
    // MilkDrop 2's comp shader defines `uv` and `uv_orig` both as `_uv.xy`
    // ("//[sic]"): after `uv = 0.25` both read 0.25. The warp shader's
    // `uv_orig` is its own (`_uv.zw`): the pixel's place, left to right.
    let gpu = gpu();
    let target = gpu.target(W, H);
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    let report = vis.load_preset(&shader_preset(
        "shader_body { ret = float3(uv_orig.x, 0, 0); uv = 0.25; ret.y = uv_orig.x; }",
        "shader_body { uv = 0.25; ret = float3(uv_orig, 0); }",
    ));
    assert!(report.shader_failures.is_empty(), "{report:?}");
    let img = render(&mut vis, &gpu, &target);
    for x in [1, W / 2, W - 2] {
        let i = ((H / 2 * W + x) * 4) as usize;
        assert!(
            img[i].abs_diff(64) <= 1 && img[i + 1].abs_diff(64) <= 1,
            "comp at x {x}: {:?}",
            &img[i..i + 3]
        );
    }
    // Two frames on, the composite shows the warp's output of the frame
    // before (red and green both the pixel's x), sampled at uv = 0.25.
    render(&mut vis, &gpu, &target);
    let frame = vis.frame_texture().expect("a frame");
    let px = gpu.read_rgba(frame).expect("read back");
    let at = |x: u32| {
        let i = ((H / 2 * W + x) * 4) as usize;
        (px[i], px[i + 1])
    };
    for x in [4, W / 2, W - 4] {
        let (r, g) = at(x);
        let expect = ((x as f32 + 0.5) / W as f32 * 255.0) as u8;
        assert!(
            r.abs_diff(expect) <= 2 && g.abs_diff(expect) <= 2,
            "warp at x {x}: {r} {g} (expected {expect})"
        );
    }
    // butterchurn's comp `uv_orig` is a varying of its own: the screen
    // position whatever `uv` becomes.
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    vis.emulate_butterchurn(milk_engine::ButterchurnQuirks {
        comp_uv_orig: true,
        ..Default::default()
    });
    vis.load_preset(&shader_preset(
        "shader_body { ret = 0; }",
        "shader_body { uv = 0.25; ret = float3(uv_orig, 0); }",
    ));
    let img = render(&mut vis, &gpu, &target);
    let red = |x: u32| img[((H / 2 * W + x) * 4) as usize];
    assert!(red(1) < 10 && red(W - 2) > 245, "{} {}", red(1), red(W - 2));
}

#[test]
fn every_loop_of_a_shader_run_shares_one_iteration_budget() {
    use milk_hlsl::translate::MAX_LOOP_ITERATIONS;
    assert_eq!(
        MAX_LOOP_ITERATIONS, 4096,
        "the expectations below are for 4096"
    );
    // Loops within the budget run whole: 10 x 10 inner iterations count to
    // 100 (the 10 outer ones take 10 more from the budget).
    composite_middle_is(
        "shader_body { float c = 0; for (int i = 0; i < 10; i++) \
         { for (int j = 0; j < 10; j++) { c += 1; } } ret = c / 255; }",
        false,
        [100, 100, 100],
    );
    // Nested loops past it stop together (a guard per loop would let three
    // loops of 1,000 run a billion times a pixel): 40 outer iterations of
    // 1 + 100 spend 4,040, the 41st takes 1 and its inner loop the last 55,
    // so the inner body counts 4,055 (4055 / 8192 * 255 = 126.2) and the
    // outer loop stops at its next iteration.
    composite_middle_is(
        "shader_body { float c = 0; for (int i = 0; i < 1000; i++) \
         { for (int j = 0; j < 100; j++) { c += 1; } } \
         ret = c / 8192; }",
        false,
        [126, 126, 126],
    );
    // A loop that never ends stops too, and so does a helper's loop called
    // after the budget is spent (it returns at once).
    composite_middle_is(
        "float f() { float n = 0; while (true) { n += 1; } return n; } \
         shader_body { float a = f(); float b = f(); ret = float3(a / 8192, b, 0); }",
        false,
        [128, 0, 0],
    );
}
