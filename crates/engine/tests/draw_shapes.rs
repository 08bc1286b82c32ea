//! Custom shapes on a real wgpu device (lavapipe in CI): fill colours,
//! instances, blending, outlines, textured shapes, per-frame code, and
//! non-finite values.

use milk_audio::AudioFrame;
use milk_engine::headless::Headless;
use milk_engine::{Config, Visualizer};
use milk_parser::Preset;

const DT: f64 = 1.0 / 60.0;

fn gpu() -> Headless {
    match Headless::new() {
        Ok(h) => h,
        Err(e) => panic!("milk-engine tests need a wgpu adapter: {e}"),
    }
}

/// A MilkDrop 1.x preset from `body` lines: the frame decays to black every
/// frame (unless `body` sets fDecay) and nothing but the shapes draws.
fn preset(body: &str) -> Preset {
    // The first occurrence of a key wins: `body` overrides these defaults.
    let text = format!(
        "[preset00]\n{body}\nfGammaAdj=1.0\nfDecay=0.0\nzoom=1.0\nwarp=0\n\
         fWaveAlpha=0.0\nmv_a=0.0\nob_a=0.0\nib_a=0.0\n"
    );
    Preset::parse(&text).expect("test preset parses")
}

/// Shape `k` enabled with `keys` (`name=value` lines without the
/// `shapecode_K_` prefix) and per-frame `code` (one line, may be empty).
fn shape(k: usize, keys: &[&str], code: &str) -> String {
    let mut out = format!("shapecode_{k}_enabled=1\n");
    for kv in keys {
        out.push_str(&format!("shapecode_{k}_{kv}\n"));
    }
    if !code.is_empty() {
        out.push_str(&format!("shape_{k}_per_frame1={code}\n"));
    }
    out
}

/// Shape keys `keys`, opaque white inside and out, no border.
fn white_fill<'a>(keys: &[&'a str]) -> Vec<&'a str> {
    let fill = [
        "r=1",
        "g=1",
        "b=1",
        "a=1",
        "r2=1",
        "g2=1",
        "b2=1",
        "a2=1",
        "border_a=0",
    ];
    keys.iter().copied().chain(fill).collect()
}

struct Scene {
    gpu: Headless,
    vis: Visualizer,
    target: wgpu::Texture,
    w: u32,
}

impl Scene {
    fn new(w: u32, h: u32, body: &str) -> Self {
        let gpu = gpu();
        let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        let report = vis.load_preset(&preset(body));
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        let target = gpu.target(w, h);
        Scene {
            gpu,
            vis,
            target,
            w,
        }
    }

    fn frame(&mut self) -> Image {
        self.vis
            .render(DT, &AudioFrame::default(), &self.target)
            .expect("frame renders");
        Image {
            px: self.gpu.read_rgba(&self.target).expect("read back"),
            w: self.w,
        }
    }
}

struct Image {
    px: Vec<u8>,
    w: u32,
}

impl Image {
    fn at(&self, x: u32, y: u32) -> [u8; 4] {
        let i = ((y * self.w + x) * 4) as usize;
        [self.px[i], self.px[i + 1], self.px[i + 2], self.px[i + 3]]
    }

    fn lit(&self, x: u32, y: u32) -> bool {
        self.at(x, y)[..3].iter().any(|&c| c > 8)
    }

    /// Pixels where `pred` holds on the RGB values.
    fn count(&self, pred: impl Fn([u8; 3]) -> bool) -> usize {
        self.px
            .chunks_exact(4)
            .filter(|p| pred([p[0], p[1], p[2]]))
            .count()
    }

    /// Bounding box (x0, y0, x1, y1) of lit pixels.
    fn bbox(&self) -> (u32, u32, u32, u32) {
        let h = self.px.len() as u32 / 4 / self.w;
        let mut b = (u32::MAX, u32::MAX, 0, 0);
        for y in 0..h {
            for x in 0..self.w {
                if self.lit(x, y) {
                    b = (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y));
                }
            }
        }
        b
    }

    /// Intensity-weighted centre of the green channel.
    fn centroid_green(&self) -> (f64, f64) {
        let (mut sx, mut sy, mut t) = (0.0, 0.0, 0.0);
        for (i, p) in self.px.chunks_exact(4).enumerate() {
            let v = f64::from(p[1]);
            let (x, y) = (
                (i as u32 % self.w) as f64 + 0.5,
                (i as u32 / self.w) as f64 + 0.5,
            );
            sx += v * x;
            sy += v * y;
            t += v;
        }
        assert!(t > 0.0, "nothing green");
        (sx / t, sy / t)
    }
}

const SQUARE: &[&str] = &[
    "sides=4",
    "x=0.5",
    "y=0.5",
    "rad=0.5",
    "ang=0",
    "r=1",
    "g=0",
    "b=0",
    "a=1",
    "r2=0",
    "g2=0",
    "b2=1",
    "a2=1",
    "border_a=0",
];

#[test]
fn a_square_fills_with_centre_and_rim_colours_aspect_corrected() {
    // 64x48: MilkDrop's aspect_y is 0.75, so the square is square in
    // pixels: corners at +-rad*cos(45deg) * (0.75 * 32, 24) = +-8.5 px.
    let mut s = Scene::new(64, 48, &shape(0, SQUARE, ""));
    let img = s.frame();
    let (x0, y0, x1, y1) = img.bbox();
    assert!(
        (23..=24).contains(&x0) && (39..=40).contains(&x1),
        "x {x0}..{x1}"
    );
    assert!(
        (15..=16).contains(&y0) && (31..=32).contains(&y1),
        "y {y0}..{y1}"
    );
    let area = img.count(|p| p.iter().any(|&c| c > 8));
    assert!((250..=300).contains(&area), "area {area}");
    // Centre: the centre colour; near the rim: the rim colour.
    let c = img.at(32, 24);
    assert!(c[0] > 200 && c[2] < 50, "centre {c:?}");
    let rim = img.at(39, 24);
    assert!(rim[2] > 180 && rim[0] < 60, "rim {rim:?}");
    let corner = img.at(24, 16);
    assert!(corner[2] > 200 && corner[0] < 40, "corner {corner:?}");
    // Outside: the decayed (black) frame.
    assert_eq!(&img.at(42, 24)[..3], &[0, 0, 0]);
    assert_eq!(&img.at(32, 12)[..3], &[0, 0, 0]);
}

#[test]
fn instances_place_themselves_with_instance() {
    let keys = [
        "num_inst=3",
        "rad=0.2",
        "y=0.75",
        "r=1",
        "g=1",
        "b=1",
        "a=1",
        "a2=1",
        "r2=1",
    ];
    let body = shape(0, &keys, "x = 0.2 + 0.3*instance;");
    let mut s = Scene::new(96, 48, &body);
    let img = s.frame();
    // y = 0.75 is the upper half (MilkDrop's shape y grows upwards).
    for x in [19, 48, 77] {
        assert!(img.lit(x, 12), "instance at x={x}");
        assert!(!img.lit(x, 36), "nothing below at x={x}");
    }
    for x in [5, 34, 62, 90] {
        assert!(!img.lit(x, 12), "gap at x={x}");
    }
}

#[test]
fn additive_adds_and_alpha_blending_covers() {
    let keys = |additive: &str| {
        let mut k = vec!["num_inst=2", "rad=0.4", "r=0.5", "g=0", "b=0", "a=1"];
        k.extend(["r2=0.5", "g2=0", "b2=0", "a2=1", "border_a=0", additive]);
        shape(0, &k, "")
    };
    let mut alpha = Scene::new(64, 48, &keys("additive=0"));
    let mut add = Scene::new(64, 48, &keys("additive=1"));
    let a = alpha.frame().at(32, 24);
    let b = add.frame().at(32, 24);
    // 0.5 -> 127 as MilkDrop's D3DCOLOR; two instances on top of each other.
    assert!((a[0] as i32 - 127).abs() <= 1, "alpha {a:?}");
    assert!((b[0] as i32 - 254).abs() <= 1, "additive {b:?}");

    // Half-transparent red (alpha 127/255), twice: alpha blending gives
    // 127 over black, then 255 * 0.5 + 127 * 0.5; additive 127 + 127.
    let half = |additive: &str| {
        let k = [
            "num_inst=2",
            "rad=0.4",
            "r=1",
            "g=0",
            "b=0",
            "a=0.5",
            "r2=1",
            "g2=0",
            "b2=0",
            "a2=0.5",
            "border_a=0",
            additive,
        ];
        shape(0, &k, "")
    };
    let c = Scene::new(64, 48, &half("additive=0")).frame().at(32, 24);
    let d = Scene::new(64, 48, &half("additive=1")).frame().at(32, 24);
    assert!((c[0] as i32 - 191).abs() <= 2, "alpha half {c:?}");
    assert!((d[0] as i32 - 254).abs() <= 2, "additive half {d:?}");
}

/// A square's green outline (no fill) with `border_a` and `thick` given as
/// they appear in the file (`thick`: a whole `thickOutline=N` line).
fn green_outline(border_a: &str, thick: &str) -> String {
    let border_a = format!("border_a={border_a}");
    let k = [
        "sides=4",
        "rad=0.5",
        "a=0",
        "a2=0",
        "border_r=0",
        "border_g=1",
        "border_b=0",
        &border_a,
        thick,
    ];
    shape(0, &k, "")
}

#[test]
fn border_takes_the_border_colour_and_thick_is_wider() {
    let keys = |thick: &str| green_outline("1", thick);
    let green = |p: [u8; 3]| p[1] > 200 && p[0] < 20 && p[2] < 20;
    let mut thin = Scene::new(96, 96, &keys("thickOutline=0"));
    let img = thin.frame();
    // Square corners at 48 +- 16.97 px: the left edge is near x = 31.
    assert!((30..=32).any(|x| green(img.at(x, 48)[..3].try_into().unwrap())));
    assert!((64..=66).any(|x| green(img.at(x, 48)[..3].try_into().unwrap())));
    assert!((30..=32).any(|y| green(img.at(48, y)[..3].try_into().unwrap())));
    assert_eq!(&img.at(48, 48)[..3], &[0, 0, 0], "the fill is transparent");
    assert_eq!(&img.at(40, 48)[..3], &[0, 0, 0]);
    let n_thin = img.count(green);
    // 4 edges of ~34 px, 1 px wide.
    assert!((120..=160).contains(&n_thin), "thin outline {n_thin} px");
    let n_thick = Scene::new(96, 96, &keys("thickOutline=1"))
        .frame()
        .count(green);
    assert!(
        n_thick as f64 > 1.7 * n_thin as f64,
        "thick {n_thick} vs thin {n_thin}"
    );
}

#[test]
fn a_thick_outline_is_four_copies_blended_one_by_one() {
    // A half-transparent green outline: MilkDrop 2 draws a thick one four
    // times a pixel apart, so along an edge most pixels are blended twice
    // (0.5 then 0.5 over that: 191 over black), a thin one once (127).
    let keys = |thick: &str| green_outline("0.5", thick);
    let twice = |p: [u8; 3]| (185..=197).contains(&p[1]);
    let once = |p: [u8; 3]| (121..=133).contains(&p[1]);
    let thin = Scene::new(96, 96, &keys("thickOutline=0")).frame();
    let thick = Scene::new(96, 96, &keys("thickOutline=1")).frame();
    let (thin_once, thin_twice) = (thin.count(once), thin.count(twice));
    assert!(
        thin_once >= 120 && thin_twice <= 8,
        "thin: {thin_once} once, {thin_twice} twice"
    );
    // Four edges of ~34 px, each two copies deep.
    let thick_twice = thick.count(twice);
    assert!(
        thick_twice >= 110,
        "thick: {thick_twice} pixels blended twice"
    );
    // The copies go right and down from the thin outline: the left edge's
    // column gains the one to its right, not the one to its left.
    let column = |img: &Image, x: u32| (40..56).filter(|&y| img.lit(x, y)).count();
    let left = (28..=34)
        .find(|&x| column(&thin, x) > 8)
        .expect("the thin left edge");
    assert!(column(&thick, left + 1) > 8 && column(&thick, left - 1) == 0);
}

#[test]
fn a_blend_fades_the_old_shapes_out_and_the_new_ones_in() {
    // MilkDrop 2 draws both presets' shapes (and custom waves) during a
    // blend: the incoming one's alphas times the progress, the outgoing
    // one's times one minus it. White squares over a frame that decays to
    // black each frame: the centre's level is the drawing's alpha.
    let white = white_fill(&["sides=4", "rad=0.3"]);
    let wave = "wavecode_0_enabled=1\nwavecode_0_samples=64\nwavecode_0_bUseDots=0\n\
                wavecode_0_r=0\nwavecode_0_g=1\nwavecode_0_b=0\nwavecode_0_a=1\n\
                wave_0_per_point1=x = 0.05 + sample * 0.9; y = 0.7;";
    let old_body = format!("{}{wave}", shape(0, &white, "x = 0.3;"));
    let new_body = shape(1, &white, "x = 0.7;");
    let mut s = Scene::new(96, 48, &old_body);
    let before = s.frame();
    assert!(before.at(29, 24)[0] > 250 && !before.lit(67, 24));
    // y = 0.7 on a 2:1 frame: clip y 0.4 / 0.5, row 4.8.
    let wave_at = |img: &Image| (2..8).map(|y| img.at(48, y)[1]).max().unwrap();
    assert!(wave_at(&before) > 250, "the old preset's custom wave");
    let builder = s.vis.builder();
    let prepared = builder.prepare(&preset(&new_body), None, 1);
    s.vis
        .switch_to(prepared, milk_engine::Switch::Blend { seconds: 10.0 * DT });
    // Progress 0.1, ..., 0.5 on the blend's first five frames (MilkDrop 2
    // advances the clock before it updates the progress).
    let mut levels = Vec::new();
    for _ in 0..5 {
        let img = s.frame();
        levels.push((img.at(29, 24)[0], img.at(67, 24)[0], wave_at(&img)));
    }
    let (first_old, first_new, _) = levels[0];
    assert!(
        (first_old as i32 - 230).abs() <= 3 && (first_new as i32 - 25).abs() <= 3,
        "the first frame at 0.1: {levels:?}"
    );
    let (old, new, wave_level) = levels[4];
    assert!(
        (old as i32 - 127).abs() <= 3,
        "old shape at half: {levels:?}"
    );
    assert!(
        (new as i32 - 127).abs() <= 3,
        "new shape at half: {levels:?}"
    );
    assert!(
        (wave_level as i32 - 127).abs() <= 3,
        "old wave at half: {levels:?}"
    );
    assert!(
        levels
            .windows(2)
            .all(|w| w[1].0 < w[0].0 && w[1].1 > w[0].1),
        "the old one fades out as the new one fades in: {levels:?}"
    );
}

#[test]
fn textured_shape_shows_the_previous_frame_rotated_by_tex_ang() {
    // rad * tex_zoom = 1: the texture maps 1:1, turned by tex_ang.
    let keys = white_fill(&["textured=1", "rad=0.5", "tex_zoom=2", "tex_ang=1.5707963"]);
    let mut s = Scene::new(96, 96, &shape(0, &keys, ""));
    // The previous frame: a green block 10 px right of the centre.
    let mut seed = vec![0u8; 96 * 96 * 4];
    for y in 46..50 {
        for x in 56..60 {
            let i = (y * 96 + x) * 4;
            seed[i..i + 4].copy_from_slice(&[0, 255, 0, 255]);
        }
    }
    s.vis.set_frame(96, 96, &seed);
    let img = s.frame();
    // The frame decays to black; inside the shape the previous frame shows,
    // turned a quarter: the block is now 10 px above the centre. MilkDrop 2
    // gives the shape's texture coordinates no half-texel offset, so with
    // Direct3D 9's pixel centres the picture lands half a pixel right and
    // down, each texel shared out bilinearly over four pixels.
    let (cx, cy) = img.centroid_green();
    assert!(
        (cx - 48.5).abs() < 0.1 && (cy - 38.5).abs() < 0.1,
        "block at ({cx:.2}, {cy:.2})"
    );
    assert!(img.at(48, 38)[1] > 250, "{:?}", img.at(48, 38));
    assert!(img.at(48, 36)[1].abs_diff(128) <= 2, "{:?}", img.at(48, 36));
    assert_eq!(&img.at(58, 48)[..3], &[0, 0, 0]);
    let n = img.count(|p| p[1] > 8);
    assert_eq!(n, 25, "the 4x4 block, once, spread over 5x5");

    // Without rotation it stays in place.
    let keys = white_fill(&["textured=1", "rad=0.5", "tex_zoom=2"]);
    let mut s = Scene::new(96, 96, &shape(0, &keys, ""));
    s.vis.set_frame(96, 96, &seed);
    let (cx, cy) = s.frame().centroid_green();
    assert!(
        (cx - 58.5).abs() < 0.1 && (cy - 48.5).abs() < 0.1,
        "({cx}, {cy})"
    );
}

#[test]
fn per_frame_changes_take_effect() {
    let keys = [
        "rad=0.3", "r=1", "g=1", "b=1", "a=1", "r2=1", "g2=1", "b2=1", "a2=1",
    ];
    // q1 from the preset's per-frame code reaches the shape.
    let body = format!(
        "per_frame_1=q1 = frame;\n{}",
        shape(
            0,
            &keys,
            "x = if(above(q1, 0.5), 0.75, 0.25); g = 1 - q1; g2 = g;"
        )
    );
    let mut s = Scene::new(64, 48, &body);
    let first = s.frame();
    assert!(first.lit(16, 24) && !first.lit(48, 24));
    assert!(first.at(16, 24)[1] > 200);
    let second = s.frame();
    assert!(!second.lit(16, 24) && second.lit(48, 24));
    let p = second.at(48, 24);
    assert!(p[0] > 200 && p[1] < 10, "g = 0 on frame 1: {p:?}");
}

#[test]
fn non_finite_values_break_nothing() {
    let nan = "exp(1000) - exp(1000)";
    let inf = "exp(1000)";
    let body = [
        // NaN position, infinite radius: skipped.
        shape(0, &["a=1", "a2=1"], &format!("x = {nan}; rad = {inf};")),
        // NaN colour and sides, zero tex_zoom: drawn (NaN colour counts as 0).
        shape(
            1,
            &[
                "x=0.5", "y=0.5", "rad=0.3", "r=1", "g=1", "b=1", "a=1", "r2=1", "g2=1", "b2=1",
                "a2=1",
            ],
            &format!("r = {nan}; r2 = {nan}; sides = {nan}; tex_zoom = 0; border_a = {nan};"),
        ),
        // A huge, invisible shape and an absurd instance count.
        shape(
            2,
            &["a=0", "a2=0", "border_a=0", "num_inst=100000"],
            "rad = 1e30; x = 0.5 + instance;",
        ),
        // Textured with a zero tex_zoom and infinite tex_ang.
        shape(
            3,
            &["textured=1", "x=0.1", "y=0.1", "rad=0.05", "a=1", "a2=1"],
            &format!("tex_zoom = 0; tex_ang = {inf};"),
        ),
    ]
    .concat();
    let mut s = Scene::new(64, 48, &body);
    for _ in 0..2 {
        let img = s.frame();
        let p = img.at(32, 24);
        assert!(p[0] < 10 && p[1] > 200 && p[2] > 200, "shape 1: {p:?}");
        assert!(!img.lit(2, 24) && !img.lit(62, 24));
    }
}

#[test]
fn textured_shapes_clamp_after_the_blur_passes_and_wrap_after_a_shader_warp() {
    // A textured disc across the whole frame showing twice the frame's
    // width (rad 1, tex_zoom 0.5: its rim samples u from -0.5 to 1.5): at
    // x = 0.9 it samples u = 1.3, which repeats to the red left half or
    // clamps to the blue right edge. MilkDrop 2 leaves the address mode to
    // whatever sampler 0 was set to last.
    let keys = white_fill(&["textured=1", "sides=40", "rad=1", "tex_zoom=0.5"]);
    let v2 = "MILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\nPSVERSION_COMP=2\n";
    let plain = "comp_1=`shader_body { ret = tex2D(sampler_main, uv).xyz; }\n";
    let blurred =
        "comp_1=`shader_body { ret = tex2D(sampler_main, uv).xyz + GetBlur1(uv) * 0.001; }\n";
    let mut seed = vec![0u8; 64 * 64 * 4];
    for (i, px) in seed.chunks_exact_mut(4).enumerate() {
        let colour = if i % 64 < 32 {
            [255, 0, 0, 255]
        } else {
            [0, 0, 255, 255]
        };
        px.copy_from_slice(&colour);
    }
    let right_edge = |head: &str, quirk: bool| {
        let mut s = Scene::new(64, 64, &format!("{head}{}", shape(0, &keys, "")));
        s.vis.emulate_butterchurn(milk_engine::ButterchurnQuirks {
            shape_wrap: quirk,
            ..Default::default()
        });
        s.vis.set_frame(64, 64, &seed);
        let first = s.frame();
        // A shader composite shows the warp's source: the new frame a
        // frame later.
        let img = if head.contains("comp_1") {
            s.frame()
        } else {
            first
        };
        let [r, _, b, _] = img.at(57, 32);
        match (r > 200, b > 200) {
            (true, false) => "repeat",
            (false, true) => "clamp",
            _ => panic!("{head}: {:?}", img.at(57, 32)),
        }
    };
    // MilkDrop 1's warp sets the address mode from `wrap`.
    assert_eq!(right_edge("bTexWrap=1\n", false), "repeat");
    assert_eq!(right_edge("bTexWrap=0\n", false), "clamp");
    // After a shader warp, wrap (RestoreShaderParams), whatever bTexWrap.
    assert_eq!(
        right_edge(&format!("{v2}bTexWrap=0\n{plain}"), false),
        "repeat"
    );
    // After the blur passes, clamp.
    assert_eq!(
        right_edge(&format!("{v2}bTexWrap=1\n{blurred}"), false),
        "clamp"
    );
    // butterchurn repeats whenever the frame's wrap is not 0, and clamps
    // where it is, after a shader warp too.
    assert_eq!(
        right_edge(&format!("{v2}bTexWrap=1\n{blurred}"), true),
        "repeat"
    );
    assert_eq!(
        right_edge(&format!("{v2}bTexWrap=0\n{plain}"), true),
        "clamp"
    );
    assert_eq!(right_edge("bTexWrap=0\n", true), "clamp");
    assert_eq!(
        right_edge("bTexWrap=0\nper_frame_1=wrap = 0.25;\n", true),
        "repeat"
    );
    assert_eq!(
        right_edge("bTexWrap=0\nper_frame_1=wrap = 0.25;\n", false),
        "clamp"
    );
}

#[test]
fn butterchurn_shape_colours_past_one_stay_floats_that_the_gpu_clamps() {
    // A textured shape at colour 2 over a grey 100 frame, and a plain one
    // at colour 1.5. MilkDrop 2 turns each channel into a byte,
    // `((int)(v * 255)) & 0xFF`: 2 is 254/255 (the grey stays), 1.5 is
    // 126/255. butterchurn hands the floats to WebGL, which clamps what the
    // fragment shader writes: the texel times 2 (200) and 1.5 as 1 (255).
    let rest = ["a=1", "a2=1", "border_a=0", "rad=0.15"];
    let textured = [
        "textured=1",
        "x=0.25",
        "y=0.5",
        "r=2",
        "g=2",
        "b=2",
        "r2=2",
        "g2=2",
        "b2=2",
    ];
    let plain = [
        "x=0.75", "y=0.5", "r=1.5", "g=1.5", "b=1.5", "r2=1.5", "g2=1.5", "b2=1.5",
    ];
    let body = format!(
        "{}{}",
        shape(0, &[&textured[..], &rest].concat(), ""),
        shape(1, &[&plain[..], &rest].concat(), "")
    );
    let centres = |quirk: bool| {
        let mut s = Scene::new(64, 64, &body);
        s.vis.emulate_butterchurn(milk_engine::ButterchurnQuirks {
            colour_clamp: quirk,
            ..Default::default()
        });
        // The quirk holds for presets loaded after it.
        s.vis.load_preset(&preset(&body));
        s.vis
            .set_frame(64, 64, &[100, 100, 100, 255].repeat(64 * 64));
        let img = s.frame();
        (img.at(16, 32)[0], img.at(48, 32)[0])
    };
    let (textured, plain) = centres(false);
    assert!(
        textured.abs_diff(100) <= 2,
        "MilkDrop 2, textured: {textured}"
    );
    assert!(plain.abs_diff(126) <= 1, "MilkDrop 2, plain: {plain}");
    let (textured, plain) = centres(true);
    assert!(
        textured.abs_diff(200) <= 2,
        "butterchurn, textured: {textured}"
    );
    assert_eq!(plain, 255, "butterchurn, plain");
}
