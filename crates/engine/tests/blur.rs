//! MilkDrop 2's blur levels on a real wgpu device (lavapipe in CI): level
//! sizes, where a blurred square lands, value ranges through scale and bias,
//! edge darkening, and every level against a CPU model of MilkDrop's passes.

use milk_engine::FEEDBACK_FORMAT;
use milk_engine::blur::{BlurChain, BlurParams, level_size};
use milk_engine::headless::{Headless, read_rgba};

const W: u32 = 256;
const H: u32 = 192;

fn gpu() -> Headless {
    match Headless::new() {
        Ok(h) => h,
        Err(e) => panic!("milk-engine tests need a wgpu adapter: {e}"),
    }
}

/// A single-channel picture, values 0..1, rows top to bottom.
#[derive(Clone)]
struct Grey {
    w: usize,
    h: usize,
    px: Vec<f64>,
}

impl Grey {
    fn new(w: u32, h: u32, f: impl Fn(usize, usize) -> f64) -> Self {
        let (w, h) = (w as usize, h as usize);
        let px = (0..w * h).map(|i| f(i % w, i / w)).collect();
        Grey { w, h, px }
    }

    fn at(&self, x: usize, y: usize) -> f64 {
        self.px[y * self.w + x]
    }

    /// As an 8-bit texture stores it.
    fn quantized(mut self) -> Self {
        for v in &mut self.px {
            *v = (v.clamp(0.0, 1.0) * 255.0).round() / 255.0;
        }
        self
    }

    /// Bilinear sample with clamping, texel centres at (i + 0.5) / w.
    fn sample(&self, u: f64, v: f64) -> f64 {
        let x = u * self.w as f64 - 0.5;
        let y = v * self.h as f64 - 0.5;
        let (x0, y0) = (x.floor(), y.floor());
        let (fx, fy) = (x - x0, y - y0);
        let get = |i: f64, j: f64| {
            let i = (i as i64).clamp(0, self.w as i64 - 1) as usize;
            let j = (j as i64).clamp(0, self.h as i64 - 1) as usize;
            self.at(i, j)
        };
        let top = get(x0, y0) * (1.0 - fx) + get(x0 + 1.0, y0) * fx;
        let bottom = get(x0, y0 + 1.0) * (1.0 - fx) + get(x0 + 1.0, y0 + 1.0) * fx;
        top * (1.0 - fy) + bottom * fy
    }

    fn rgba(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.px.len() * 4);
        for v in &self.px {
            let b = (v.clamp(0.0, 1.0) * 255.0).round() as u8;
            out.extend_from_slice(&[b, b, b, 255]);
        }
        out
    }

    fn from_rgba(w: u32, h: u32, rgba: &[u8]) -> Self {
        // All channels are equal in these tests; check, then keep red.
        for px in rgba.chunks_exact(4) {
            assert!(px[0] == px[1] && px[1] == px[2], "grey expected: {px:?}");
        }
        let px = rgba
            .chunks_exact(4)
            .map(|p| f64::from(p[0]) / 255.0)
            .collect();
        Grey {
            w: w as usize,
            h: h as usize,
            px,
        }
    }
}

/// MilkDrop's weights and the taps `BlurPasses` derives from them.
const WEIGHTS: [f64; 8] = [4.0, 3.8, 3.5, 2.9, 1.9, 1.2, 0.7, 0.3];

/// A CPU model of MilkDrop's blur passes as Direct3D 9 runs them: pixel
/// (x, y) of a `dw` x `dh` target gets texture coordinate (x / dw,
/// 1 - y / dh) from the full-screen quad; outputs are stored in 8 bits.
fn model_pass(src: &Grey, (dw, dh): (u32, u32), pass: usize, p: &BlurParams) -> Grey {
    let w = WEIGHTS;
    let (sw, sh) = (src.w as f64, src.h as f64);
    let horizontal = pass.is_multiple_of(2);
    let (scale, bias) = {
        let e = p.encode_scale_bias()[pass / 2];
        (f64::from(e[0]), f64::from(e[1]))
    };
    let ed = if pass == 1 {
        f64::from(p.edge_darken)
    } else {
        0.0
    };
    Grey::new(dw, dh, |x, y| {
        let u = x as f64 / f64::from(dw);
        let v = 1.0 - y as f64 / f64::from(dh);
        if horizontal {
            let (u2, v2) = (u + 1.0 / sw, v + 1.0 / sh);
            let mut sum = 0.0;
            let mut total = 0.0;
            for k in 0..4 {
                let wk = w[2 * k] + w[2 * k + 1];
                let d = (2 * k) as f64 + 2.0 * w[2 * k + 1] / wk;
                sum += (src.sample(u2 + d / sw, v2) + src.sample(u2 - d / sw, v2)) * wk;
                total += 2.0 * wk;
            }
            (sum / total) * scale + bias
        } else {
            let u2 = u + 1.0 / sw;
            let w1 = w[0] + w[1] + w[2] + w[3];
            let w2 = w[4] + w[5] + w[6] + w[7];
            let d1 = 2.0 * (w[2] + w[3]) / w1;
            let d2 = 2.0 + 2.0 * (w[6] + w[7]) / w2;
            let s = |d: f64| src.sample(u2, v + d / sh) + src.sample(u2, v - d / sh);
            let blur = (s(d1) * w1 + s(d2) * w2) / (2.0 * (w1 + w2));
            let t = u.min(v).min(1.0 - u.max(v)).max(0.0).sqrt();
            blur * ((1.0 - ed) + ed * (t * 5.0).clamp(0.0, 1.0))
        }
    })
    .quantized()
}

/// The three levels the model gives for `src` (a `W` x `H` frame).
fn model_levels(src: &Grey, p: &BlurParams) -> Vec<Grey> {
    let sizes = milk_engine::blur::texture_sizes(src.w as u32, src.h as u32);
    let mut cur = src.clone();
    let mut levels = Vec::new();
    for (pass, &size) in sizes.iter().enumerate() {
        cur = model_pass(&cur, size, pass, p);
        if pass % 2 == 1 {
            levels.push(cur.clone());
        }
    }
    levels
}

struct Rig {
    gpu: Headless,
    chain: BlurChain,
    source: wgpu::Texture,
}

impl Rig {
    fn new() -> Self {
        let gpu = gpu();
        let chain = BlurChain::new(&gpu.device);
        let source = Self::source_texture(&gpu, W, H);
        Rig { gpu, chain, source }
    }

    fn source_texture(gpu: &Headless, w: u32, h: u32) -> wgpu::Texture {
        gpu.device.create_texture(&wgpu::TextureDescriptor {
            label: Some("blur test source"),
            size: wgpu::Extent3d {
                width: w,
                height: h,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: FEEDBACK_FORMAT,
            usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
            view_formats: &[],
        })
    }

    /// Uploads `img` as the source, runs `levels` levels, reads them back.
    fn blur(&mut self, img: &Grey, levels: u8, p: &BlurParams) -> Vec<Grey> {
        let (w, h) = (img.w as u32, img.h as u32);
        if (self.source.width(), self.source.height()) != (w, h) {
            self.source = Self::source_texture(&self.gpu, w, h);
        }
        self.gpu.queue.write_texture(
            self.source.as_image_copy(),
            &img.rgba(),
            wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(w * 4),
                rows_per_image: Some(h),
            },
            self.source.size(),
        );
        let view = self.source.create_view(&Default::default());
        let mut encoder = self.gpu.device.create_command_encoder(&Default::default());
        self.chain.encode(
            &self.gpu.device,
            &self.gpu.queue,
            &mut encoder,
            &view,
            (w, h),
            levels,
            p,
        );
        self.gpu.queue.submit([encoder.finish()]);
        (1..=3).map(|level| self.read(level)).collect()
    }

    fn read(&self, level: u8) -> Grey {
        let tex = self.chain.texture(level);
        let rgba = read_rgba(&self.gpu.device, &self.gpu.queue, tex).expect("read back");
        Grey::from_rgba(tex.width(), tex.height(), &rgba)
    }
}

/// Largest difference between two pictures of the same size, and where.
fn max_diff(a: &Grey, b: &Grey) -> (f64, usize, usize) {
    assert_eq!((a.w, a.h), (b.w, b.h));
    let mut worst = (0.0, 0, 0);
    for y in 0..a.h {
        for x in 0..a.w {
            let d = (a.at(x, y) - b.at(x, y)).abs();
            if d > worst.0 {
                worst = (d, x, y);
            }
        }
    }
    worst
}

/// Mean absolute difference between two pictures of the same size.
fn mean_diff(a: &Grey, b: &Grey) -> f64 {
    assert_eq!((a.w, a.h), (b.w, b.h));
    let sum: f64 = a.px.iter().zip(&b.px).map(|(x, y)| (x - y).abs()).sum();
    sum / a.px.len() as f64
}

#[test]
fn level_sizes_follow_milkdrop_and_follow_resizes() {
    let mut rig = Rig::new();
    // Before any encode: a 1x1 black texture per level.
    for level in 1..=3 {
        assert_eq!(rig.chain.size(level), (1, 1));
        let px = rig.read(level);
        assert_eq!(px.px, vec![0.0]);
    }
    let levels = rig.blur(&Grey::new(W, H, |_, _| 0.5), 3, &BlurParams::default());
    // 256x192: blur1 a quarter, blur2 an eighth, blur3 16 at least.
    let want = [(64, 48), (32, 24), (16, 16)];
    for (level, (img, size)) in (1u8..).zip(levels.iter().zip(want)) {
        assert_eq!(rig.chain.size(level), size);
        assert_eq!((img.w as u32, img.h as u32), size);
        assert_eq!(level_size(W, H, level), size);
    }
    // A different frame size reallocates.
    rig.blur(&Grey::new(320, 200, |_, _| 0.5), 1, &BlurParams::default());
    for level in 1..=3 {
        assert_eq!(rig.chain.size(level), level_size(320, 200, level));
    }
    assert_eq!(rig.chain.size(1), (80, 52));
    // So does `prepare`, ahead of an encode; the new textures are black.
    rig.chain.prepare(&rig.gpu.device, (1024, 768));
    assert_eq!(rig.chain.size(1), (256, 192));
    assert!(rig.read(1).px.iter().all(|&v| v == 0.0));
}

#[test]
fn square_blurs_into_a_symmetric_peak_at_its_place() {
    let mut rig = Rig::new();
    // A 4x4 white square covering exactly blur1 texel (32, 24).
    let img = Grey::new(W, H, |x, y| {
        f64::from(u8::from((128..132).contains(&x) && (96..100).contains(&y)))
    });
    let levels = rig.blur(&img, 1, &BlurParams::default());
    let b1 = &levels[0];
    let (peak, px, py) = (0..b1.h)
        .flat_map(|y| (0..b1.w).map(move |x| (x, y)))
        .map(|(x, y)| (b1.at(x, y), x, y))
        .fold((-1.0, 0, 0), |a, b| if b.0 > a.0 { b } else { a });
    assert_eq!((px, py), (32, 24), "peak {peak}");
    assert!(peak > 0.02, "peak {peak}");
    let tol = 2.0 / 255.0;
    for k in 1..8 {
        // Symmetric along the row and the column through the peak ...
        let (l, r) = (b1.at(32 - k, 24), b1.at(32 + k, 24));
        assert!((l - r).abs() <= tol, "row: {k}: {l} vs {r}");
        let (u, d) = (b1.at(32, 24 - k), b1.at(32, 24 + k));
        assert!((u - d).abs() <= tol, "column: {k}: {u} vs {d}");
        // ... and falling off away from it.
        assert!(b1.at(32 + k, 24) <= b1.at(32 + k - 1, 24) + tol);
        assert!(b1.at(32, 24 + k) <= b1.at(32, 24 + k - 1) + tol);
    }
    // Nothing far away.
    assert_eq!(b1.at(0, 0), 0.0);
    assert_eq!(b1.at(63, 47), 0.0);
}

#[test]
fn butterchurn_blur_repeats_past_the_edges_when_asked() {
    // A white column at the right edge: blur1's leftmost texels see it
    // only when the passes repeat their source (butterchurn's blur reads
    // through the frame's sampler, wrapping whenever `wrap` is not 0);
    // MilkDrop 2's BlurPasses clamps.
    let mut rig = Rig::new();
    let img = Grey::new(W, H, |x, _| f64::from(u8::from(x >= W as usize - 4)));
    let left = |rig: &mut Rig| rig.blur(&img, 1, &BlurParams::default())[0].at(0, 24);
    let clamped = left(&mut rig);
    rig.chain.set_wrap(true);
    let repeated = left(&mut rig);
    rig.chain.set_wrap(false);
    assert_eq!(clamped, 0.0);
    assert!(repeated > 0.05, "{repeated}");
    assert_eq!(left(&mut rig), 0.0, "back to clamping");
}

#[test]
fn all_levels_match_a_model_of_milkdrops_passes() {
    let mut rig = Rig::new();
    // Gradients, a checker and bright squares, to catch any shift, flip or
    // wrong weight.
    let img = Grey::new(W, H, |x, y| {
        let base = 0.15 + 0.5 * (x as f64 / W as f64) * (1.0 - y as f64 / H as f64);
        let checker = if (x / 8 + y / 8) % 2 == 0 { 0.25 } else { 0.0 };
        let square = if (40..60).contains(&x) && (20..28).contains(&y) {
            0.6
        } else if (200..204).contains(&x) && (150..170).contains(&y) {
            0.8
        } else {
            0.0
        };
        base + checker + square
    })
    .quantized();
    // lavapipe filters 8-bit textures at 8-bit precision, and ties round
    // either way: a level may be a few 1/255 off the model, more on later
    // levels (they blur earlier ones' errors), but a shift of half a texel
    // anywhere or a wrong weight is far more.
    let params = [
        BlurParams::default(),
        BlurParams {
            min: [0.1, 0.2, 0.25],
            max: [0.9, 0.8, 0.7],
            edge_darken: 0.6,
        },
    ];
    for p in &params {
        let gpu = rig.blur(&img, 3, p);
        let model = model_levels(&img, p);
        for (level, (g, m)) in gpu.iter().zip(&model).enumerate() {
            let (max_tol, mean_tol) = [(2.5, 1.0), (3.5, 1.75), (4.5, 2.5)][level];
            let (d, x, y) = max_diff(g, m);
            let mean = mean_diff(g, m);
            assert!(
                d <= max_tol / 255.0 && mean <= mean_tol / 255.0,
                "blur{} with {p:?}: off by {:.1}/255 at ({x}, {y}) (gpu {}, model {}), \
                 {:.2}/255 on average",
                level + 1,
                d * 255.0,
                g.at(x, y),
                m.at(x, y),
                mean * 255.0
            );
        }
    }
}

#[test]
fn flat_grey_decodes_to_itself_through_scale_and_bias() {
    let mut rig = Rig::new();
    let p = BlurParams {
        min: [0.2, 0.3, 0.35],
        max: [0.9, 0.8, 0.6],
        edge_darken: 0.0,
    };
    let (c5, c6, c13) = p.shader_constants();
    let decode = [(c5[0], c5[1]), (c5[2], c5[3]), (c6[0], c6[1])];
    // blur_min/max as shaders see them.
    assert_eq!([c6[2], c6[3]], [0.2, 0.9]);
    assert_eq!(c13, [0.3, 0.8, 0.35, 0.6]);
    for grey in [0.5, 0.4] {
        let levels = rig.blur(&Grey::new(W, H, |_, _| grey), 3, &p);
        for (level, img) in levels.iter().enumerate() {
            let (scale, bias) = decode[level];
            for v in &img.px {
                // GetBlurN(uv) = tex2D(sampler_blurN, uv) * scale + bias.
                let got = v * f64::from(scale) + f64::from(bias);
                assert!(
                    (got - grey).abs() <= 2.0 / 255.0,
                    "blur{}: stored {v}, decoded {got}, want {grey}",
                    level + 1
                );
            }
        }
    }
    // Values outside a level's range clip to it.
    let levels = rig.blur(&Grey::new(W, H, |_, _| 0.1), 3, &p);
    for (level, img) in levels.iter().enumerate() {
        let (scale, bias) = decode[level];
        for v in &img.px {
            let got = v * f64::from(scale) + f64::from(bias);
            assert!((got - f64::from(bias)).abs() <= 1.0 / 255.0, "{got}");
        }
    }
}

#[test]
fn edge_darkening_applies_to_level_1_only() {
    let mut rig = Rig::new();
    let white = Grey::new(W, H, |_, _| 1.0);
    // Without darkening, white stays white everywhere on every level.
    let plain = BlurParams {
        edge_darken: 0.0,
        ..Default::default()
    };
    for (level, img) in rig.blur(&white, 3, &plain).iter().enumerate() {
        assert!(img.px.iter().all(|&v| v == 1.0), "blur{}", level + 1);
    }
    let p = BlurParams {
        edge_darken: 0.5,
        ..Default::default()
    };
    let levels = rig.blur(&white, 3, &p);
    let b1 = &levels[0];
    // MilkDrop's factor: (1 - d) + d * saturate(5 * sqrt(distance to the
    // nearest edge in texture coordinates)), with Direct3D 9's coordinates
    // (u = x / w, v = 1 - y / h): the top row and left column get the full
    // 1 - d, the interior none.
    let factor = |x: usize, y: usize| {
        let u = x as f64 / b1.w as f64;
        let v = 1.0 - y as f64 / b1.h as f64;
        let t = u.min(v).min(1.0 - u.max(v)).sqrt();
        0.5 + 0.5 * (5.0 * t).min(1.0)
    };
    for y in 0..b1.h {
        for x in 0..b1.w {
            let (got, want) = (b1.at(x, y), factor(x, y));
            assert!(
                (got - want).abs() <= 1.0 / 255.0,
                "({x}, {y}): {got} vs {want}"
            );
        }
    }
    assert!((b1.at(0, 0) - 0.5).abs() <= 1.0 / 255.0);
    assert!((b1.at(0, 20) - 0.5).abs() <= 1.0 / 255.0);
    assert!((b1.at(30, 0) - 0.5).abs() <= 1.0 / 255.0);
    assert_eq!(b1.at(32, 24), 1.0);
    // Levels 2 and 3 only blur level 1's dark border further (the model
    // darkens no other pass): their centres stay white.
    let model = model_levels(&white, &p);
    for level in 1..3 {
        let (d, x, y) = max_diff(&levels[level], &model[level]);
        assert!(d <= 3.0 / 255.0, "blur{}: {d} at ({x}, {y})", level + 1);
        let img = &levels[level];
        assert_eq!(img.at(img.w / 2, img.h / 2), 1.0);
    }
    // Darkened a second time, blur2's corner would be far below the model.
    assert!(levels[1].at(0, 0) > 0.45, "{}", levels[1].at(0, 0));
}

#[test]
fn fewer_levels_leave_the_others_alone() {
    let mut rig = Rig::new();
    let grey = Grey::new(W, H, |_, _| 0.6);
    let levels = rig.blur(&grey, 1, &BlurParams::default());
    assert!((levels[0].at(30, 20) - 0.6).abs() <= 1.0 / 255.0);
    // Allocated but never drawn: black.
    assert!(levels[1].px.iter().all(|&v| v == 0.0));
    assert!(levels[2].px.iter().all(|&v| v == 0.0));
    let levels = rig.blur(&grey, 3, &BlurParams::default());
    assert!((levels[2].at(8, 8) - 0.6).abs() <= 2.0 / 255.0);
    // Level 0 records nothing: the last results stay.
    let levels = rig.blur(&Grey::new(W, H, |_, _| 0.0), 0, &BlurParams::default());
    assert!((levels[2].at(8, 8) - 0.6).abs() <= 2.0 / 255.0);
}

#[test]
fn shader_constants_match_hand_computed_values() {
    let (c5, c6, c13) = BlurParams::default().shader_constants();
    assert_eq!(c5, [1.0, 0.0, 1.0, 0.0]);
    assert_eq!(c6, [1.0, 0.0, 0.0, 1.0]);
    assert_eq!(c13, [0.0, 1.0, 0.0, 1.0]);

    // blur2's range is clipped to blur1's (0.2..0.7), blur3's to that
    // (0.3..0.7); all gaps are at least 0.1.
    let p = BlurParams {
        min: [0.2, 0.1, 0.3],
        max: [0.7, 0.9, 0.8],
        edge_darken: 0.25,
    };
    let (c5, c6, c13) = p.shader_constants();
    let close = |a: [f32; 4], b: [f32; 4]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-6);
    assert!(close(c5, [0.5, 0.2, 0.5, 0.2]), "{c5:?}");
    assert!(close(c6, [0.4, 0.3, 0.2, 0.7]), "{c6:?}");
    assert!(close(c13, [0.2, 0.7, 0.3, 0.7]), "{c13:?}");

    // A range narrower than 0.1 collapses to its middle minus 0.05
    // (MilkDrop's GetSafeBlurMinMax), so GetBlur2 and GetBlur3 read
    // constants.
    let p = BlurParams {
        min: [0.0, 0.5, 0.0],
        max: [1.0, 0.55, 1.0],
        edge_darken: 0.25,
    };
    let (c5, c6, c13) = p.shader_constants();
    assert!(close(c5, [1.0, 0.0, 0.0, 0.475]), "{c5:?}");
    // blur3 clipped to blur2's empty range at 0.475 collapses again.
    assert!(close(c6, [0.0, 0.425, 0.0, 1.0]), "{c6:?}");
    assert!(close(c13, [0.475, 0.475, 0.425, 0.425]), "{c13:?}");
}
