//! The main wave, custom waves, borders, motion vectors and darken_center
//! drawn into the frame, on a real wgpu device (lavapipe in CI).

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

/// A MilkDrop 1.x preset: `body`, then defaults that keep the frame still
/// and draw nothing (the first occurrence of a key wins), and the wave
/// colour and position MilkDrop 2's `Default()` gives (a file must spell
/// them out: its import reads a missing one as 0).
fn preset(body: &str) -> Preset {
    let text = format!(
        "[preset00]\n{body}\nfGammaAdj=1.0\nfDecay=1.0\nzoom=1.0\nwarp=0\nfWaveAlpha=0\n\
         bMaximizeWaveColor=0\nob_a=0\nib_a=0\nmv_a=0\nbDarkenCenter=0\n\
         wave_r=1\nwave_g=1\nwave_b=1\nwave_x=0.5\nwave_y=0.5\n"
    );
    let p = Preset::parse(&text).expect("test preset parses");
    assert_eq!(p.ps_version_warp, 0);
    p
}

struct Image {
    w: u32,
    h: u32,
    px: Vec<u8>,
}

impl Image {
    fn at(&self, x: u32, y: u32) -> [u8; 4] {
        let i = ((y * self.w + x) * 4) as usize;
        self.px[i..i + 4].try_into().unwrap()
    }

    fn lit(&self, x: u32, y: u32) -> bool {
        self.at(x, y)[..3].iter().any(|&c| c > 8)
    }

    /// Lit pixels as (x, y).
    fn lit_pixels(&self) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for y in 0..self.h {
            for x in 0..self.w {
                if self.lit(x, y) {
                    out.push((x, y));
                }
            }
        }
        out
    }

    /// Lit rows in column `x`.
    fn lit_rows(&self, x: u32) -> Vec<u32> {
        (0..self.h).filter(|&y| self.lit(x, y)).collect()
    }
}

struct Scene {
    gpu: Headless,
    vis: Visualizer,
}

impl Scene {
    fn new() -> Self {
        let gpu = gpu();
        let vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
        Scene { gpu, vis }
    }

    fn load(&mut self, body: &str) {
        let report = self.vis.load_preset(&preset(body));
        assert!(report.errors.is_empty(), "{:?}", report.errors);
    }

    /// One frame at `w` x `h` over a uniform background `bg`.
    fn frame(&mut self, w: u32, h: u32, bg: u8, audio: &AudioFrame) -> Image {
        let target = self.gpu.target(w, h);
        let fill = [bg, bg, bg, 255];
        let img: Vec<u8> = fill
            .iter()
            .copied()
            .cycle()
            .take((w * h * 4) as usize)
            .collect();
        self.vis.set_frame(w, h, &img);
        self.vis.render(DT, audio, &target).expect("frame renders");
        let px = self.gpu.read_rgba(&target).expect("read back");
        Image { w, h, px }
    }
}

fn draw(body: &str, w: u32, h: u32, audio: &AudioFrame) -> Image {
    let mut scene = Scene::new();
    scene.load(body);
    scene.frame(w, h, 0, audio)
}

/// The second frame of `body` over black: MilkDrop 2 draws motion vectors
/// from the last frame's mesh, so the first frame has none.
fn draw_second(body: &str, w: u32, h: u32) -> Image {
    let mut scene = Scene::new();
    scene.load(body);
    let audio = AudioFrame::default();
    let first = scene.frame(w, h, 0, &audio);
    assert!(first.lit_pixels().is_empty(), "{:?}", first.lit_pixels());
    scene.frame(w, h, 0, &audio)
}

fn constant_wave(left: f32, right: f32) -> AudioFrame {
    let mut a = AudioFrame::default();
    a.wave[0].fill(left);
    a.wave[1].fill(right);
    a
}

const RED_MODE6: &str = "nWaveMode=6\nfWaveAlpha=1\nwave_r=1\nwave_g=0\nwave_b=0\n\
                         fWaveSmoothing=0\nfWaveScale=1\nfWaveParam=0\nwave_x=0.5\nwave_y=0.5";

#[test]
fn mode_6_is_a_horizontal_line_at_the_waveform_level() {
    // Left channel 0.5 -> 0.25 * 0.5 = 0.125 above the centre (y = 1 is
    // the top, as for shapes): row (1 - 0.125) / 2 * 48 = 21.
    let img = draw(RED_MODE6, 64, 48, &constant_wave(0.5, 0.0));
    for x in 1..63 {
        let rows = img.lit_rows(x);
        assert!(!rows.is_empty(), "column {x} has no wave");
        for y in rows {
            assert!((20..=21).contains(&y), "column {x}: lit row {y}");
            let [r, g, b, _] = img.at(x, y);
            assert!(r > 240 && g == 0 && b == 0, "colour at ({x},{y})");
        }
    }
}

#[test]
fn mode_0_is_a_circle_around_the_centre() {
    // Radius 0.5, times aspect 0.75 in x: 12 pixels both ways at 64x48.
    let body = "nWaveMode=0\nfWaveAlpha=1\nfWaveParam=0\nwave_x=0.5\nwave_y=0.5";
    let img = draw(body, 64, 48, &AudioFrame::default());
    let lit = img.lit_pixels();
    assert!(lit.len() > 50, "{} pixels", lit.len());
    for (x, y) in lit {
        let d = ((x as f64 + 0.5 - 32.0).powi(2) + (y as f64 + 0.5 - 24.0).powi(2)).sqrt();
        assert!((10.5..=13.5).contains(&d), "({x},{y}) at distance {d}");
    }
}

#[test]
fn every_wave_mode_draws_inside_the_frame() {
    let mut audio = AudioFrame::default();
    for i in 0..audio.wave[0].len() {
        audio.wave[0][i] = (i as f32 * 0.1).sin() * 0.5;
        audio.wave[1][i] = (i as f32 * 0.13).cos() * 0.5;
    }
    let mut scene = Scene::new();
    for mode in 0..8 {
        scene.load(&format!(
            "nWaveMode={mode}\nfWaveAlpha=1\nwave_x=0.5\nwave_y=0.5"
        ));
        let img = scene.frame(64, 48, 0, &audio);
        // Modes 2, 3 and 5 are faint by design (alpha times 0.07..0.13).
        let lit = img
            .px
            .chunks_exact(4)
            .filter(|p| p[..3].iter().any(|&c| c > 4))
            .count();
        assert!(lit > 10, "mode {mode}: {lit} pixels");
    }
    // Negative modes draw nothing (and do not crash).
    scene.load("nWaveMode=-3\nfWaveAlpha=1");
    assert!(scene.frame(64, 48, 0, &audio).lit_pixels().is_empty());
}

#[test]
fn brighten_maximizes_and_volume_modulates_the_wave_colour() {
    let mut scene = Scene::new();
    let quiet = AudioFrame::default();
    scene.load(&format!(
        "wave_r=0.5\nwave_g=0.25\nwave_b=0\nbMaximizeWaveColor=1\n{RED_MODE6}"
    ));
    let img = scene.frame(64, 48, 0, &quiet);
    let rows = img.lit_rows(32);
    assert_eq!(img.at(32, rows[0])[..3], [255, 127, 0]);

    // Alpha times (vol - start) / (end - start): levels of 1.0 give more
    // than full alpha (clamped); levels of 0.5 give none.
    let body = format!(
        "bModWaveAlphaByVolume=1\nfModWaveAlphaStart=0.75\nfModWaveAlphaEnd=0.95\n{RED_MODE6}"
    );
    scene.load(&body);
    let img = scene.frame(64, 48, 0, &quiet);
    assert_eq!(img.at(32, img.lit_rows(32)[0])[0], 255);
    let mut soft = AudioFrame::default();
    (soft.bass, soft.mid, soft.treb) = (0.5, 0.5, 0.5);
    scene.load(&body);
    assert!(scene.frame(64, 48, 0, &soft).lit_pixels().is_empty());
}

/// The brightest pixel of column `x` (by red).
fn line_pixel(img: &Image, x: u32) -> [u8; 4] {
    (0..img.h)
        .map(|y| img.at(x, y))
        .max_by_key(|p| p[0])
        .unwrap()
}

#[test]
fn additive_adds_and_alpha_blends() {
    let audio = AudioFrame::default();
    let mut scene = Scene::new();
    // Red at alpha 0.5 over grey 128.
    scene.load(&format!("fWaveAlpha=0.5\nbAdditiveWaves=0\n{RED_MODE6}"));
    let img = scene.frame(64, 48, 128, &audio);
    let [r, g, b, _] = line_pixel(&img, 32);
    assert!(
        (186..=196).contains(&r) && (60..=68).contains(&g),
        "{r} {g} {b}"
    );
    assert_eq!(img.at(32, 5), [128, 128, 128, 255], "background untouched");

    scene.load(&format!("fWaveAlpha=0.5\nbAdditiveWaves=1\n{RED_MODE6}"));
    let img = scene.frame(64, 48, 128, &audio);
    let [r, g, b, _] = line_pixel(&img, 32);
    assert!(r >= 250 && (124..=132).contains(&g), "{r} {g} {b}");
}

/// A custom wave of `samples` points with per-point code `per_point`.
fn custom_wave(extra: &str, per_point: &str) -> String {
    format!(
        "{extra}\nwavecode_0_enabled=1\nwavecode_0_samples=8\nwavecode_0_r=0\nwavecode_0_g=1\n\
         wavecode_0_b=0\nwavecode_0_a=1\nwavecode_0_smoothing=0\nwave_0_per_point1={per_point}"
    )
}

#[test]
fn custom_wave_dots_versus_lines() {
    let audio = AudioFrame::default();
    // y = 0.49, y = 1 at the top; aspect-corrected (times 1 / 0.75):
    // y (1 + 0.02 / 0.75) / 2 * 48 = 24.6, in row 25 by Direct3D 9's
    // pixel centres (on integer coordinates: a pixel wide from 24.1 to
    // 25.1 covers 25, not 24.5).
    let code = "x = 0.1 + sample * 0.8; y = 0.49;";
    let mut scene = Scene::new();
    scene.load(&custom_wave("wavecode_0_bUseDots=1", code));
    let dots = scene.frame(64, 48, 0, &audio).lit_pixels();
    assert_eq!(dots.len(), 8, "{dots:?}");
    assert!(dots.iter().all(|&(_, y)| y == 25), "{dots:?}");

    scene.load(&custom_wave(
        "wavecode_0_bUseDots=1\nwavecode_0_bDrawThick=1",
        code,
    ));
    let fat = scene.frame(64, 48, 0, &audio).lit_pixels();
    assert_eq!(fat.len(), 32, "thick dots are 2x2: {fat:?}");

    scene.load(&custom_wave("wavecode_0_bUseDots=0", code));
    let img = scene.frame(64, 48, 0, &audio);
    let line = img.lit_pixels();
    assert!(line.len() >= 45, "{} pixels", line.len());
    for x in 8..56 {
        assert_eq!(img.lit_rows(x), vec![25], "column {x}");
        assert_eq!(img.at(x, 25)[..3], [0, 255, 0]);
    }

    scene.load(&custom_wave("wavecode_0_bDrawThick=1", code));
    let img = scene.frame(64, 48, 0, &audio);
    // MilkDrop's brush steps along its +y, down in our picture.
    assert_eq!(img.lit_rows(32), vec![25, 26], "thick lines are 2 pixels");
}

#[test]
fn butterchurn_draws_sep_fewer_custom_wave_points() {
    // MilkDrop 2's `nSamples -= sep` is overwritten by the per-frame
    // code's `samples` (8 dots); butterchurn keeps it (8 - 3 = 5 dots).
    let audio = AudioFrame::default();
    let code = "x = 0.1 + sample * 0.8; y = 0.49;";
    let body = custom_wave("wavecode_0_bUseDots=1\nwavecode_0_sep=3", code);
    let dots = |wave_window: bool| {
        let mut scene = Scene::new();
        scene
            .vis
            .emulate_butterchurn(milk_engine::ButterchurnQuirks {
                wave_window,
                ..Default::default()
            });
        scene.load(&body);
        scene.frame(64, 48, 0, &audio).lit_pixels().len()
    };
    assert_eq!(dots(false), 8);
    assert_eq!(dots(true), 5);
}

#[test]
fn thick_lines_blend_once_per_brush_copy() {
    // MilkDrop draws a thick line four times (its 2x2 brush), each copy
    // blended: green at alpha 0.5 over black is 255 (1 - 0.5^k) where k
    // copies cover a pixel (128, 191, 223, 239); added at alpha 0.25 (63 as
    // MilkDrop's 8-bit vertex colour) it is 63 k.
    let audio = AudioFrame::default();
    let mut scene = Scene::new();
    let levels = |img: &Image, want: [u8; 4]| {
        let lit = img.lit_pixels();
        assert!(lit.len() > 40, "{} pixels", lit.len());
        for (x, y) in lit {
            let g = img.at(x, y)[1];
            assert!(
                want.iter().any(|w| w.abs_diff(g) <= 1),
                "({x}, {y}): {g} is none of {want:?}"
            );
        }
    };
    let flat = "x = 0.1 + sample * 0.8; y = 0.49; a = 0.5;";
    scene.load(&custom_wave("wavecode_0_bDrawThick=1", flat));
    let img = scene.frame(64, 48, 0, &audio);
    for x in 10..54 {
        // Two copies on each row (the line and the one a step right).
        assert_eq!(img.lit_rows(x), vec![25, 26], "column {x}");
        assert!(img.at(x, 25)[1].abs_diff(191) <= 1, "{:?}", img.at(x, 25));
    }
    let diagonal = "x = 0.1 + sample * 0.8; y = 0.2 + sample * 0.5; a = 0.5;";
    scene.load(&custom_wave("wavecode_0_bDrawThick=1", diagonal));
    levels(&scene.frame(64, 48, 0, &audio), [128, 191, 223, 239]);
    let added = "x = 0.1 + sample * 0.8; y = 0.2 + sample * 0.5; a = 0.25;";
    scene.load(&custom_wave(
        "wavecode_0_bDrawThick=1\nwavecode_0_bAdditive=1",
        added,
    ));
    levels(&scene.frame(64, 48, 0, &audio), [63, 126, 189, 252]);
}

#[test]
fn thick_main_wave_dots_are_2x2_brushes() {
    // From 512 pixels wide MilkDrop draws the main wave's dots thick: each
    // dot four times (its 2x2 brush). Red at alpha 0.5 (127 as a vertex
    // colour) over black: a pixel that n copies cover (of this dot and its
    // neighbours, 480 dots across 640 pixels) is 255 (1 - (1 - 127/255)^n).
    let body = format!("{RED_MODE6}\nbWaveDots=1\nfWaveAlpha=0.5");
    let img = draw(&body, 640, 480, &constant_wave(0.5, 0.0));
    let level = |n: i32| (255.0 * (1.0 - (1.0 - 127.0 / 255.0f64).powi(n))).round() as u8;
    let levels: Vec<u8> = (1..=8).map(level).collect();
    let lit = img.lit_pixels();
    assert!(lit.len() > 600, "{} pixels", lit.len());
    for &(x, y) in &lit {
        let r = img.at(x, y)[0];
        assert!(
            levels.iter().any(|l| l.abs_diff(r) <= 1),
            "({x}, {y}): {r} is none of {levels:?}"
        );
    }
    // Two rows wherever a dot is (the brush steps down one pixel).
    for x in (40..600).step_by(37) {
        let rows = img.lit_rows(x);
        assert_eq!(rows.len(), 2, "column {x}: {rows:?}");
        assert_eq!(rows[1], rows[0] + 1, "column {x}: {rows:?}");
    }
}

#[test]
fn custom_wave_per_point_code_places_and_colours_points() {
    let body = custom_wave(
        "wavecode_0_samples=64\nwavecode_0_b=1",
        "x = sample; y = 0.5; r = sample; g = 0;",
    );
    let img = draw(&body, 64, 48, &AudioFrame::default());
    for x in 1..63 {
        let rows = img.lit_rows(x);
        assert!(
            rows.len() == 1 && (23..=24).contains(&rows[0]),
            "column {x}: {rows:?}"
        );
    }
    // Red follows `sample`; blue comes from the wave's per-frame value.
    let left = line_pixel(&img, 4);
    let right = line_pixel(&img, 60);
    assert!(left[0] < 30 && right[0] > 220, "{left:?} {right:?}");
    assert!(left[2] > 250 && right[2] > 250 && left[1] == 0);
}

#[test]
fn custom_wave_reads_the_spectrum() {
    // The upper 256 bins at 2.0: value1 = 0.15 * 2 = 0.3 there.
    let mut audio = AudioFrame::default();
    for bin in 256..512 {
        audio.spectrum[0][bin] = 2.0;
    }
    let body = "wavecode_0_enabled=1\nwavecode_0_samples=512\nwavecode_0_bSpectrum=1\n\
                wavecode_0_smoothing=0\nwavecode_0_scaling=1\nfWaveScale=1\n\
                wave_0_per_point1=x = sample; y = 0.6 - value1;";
    let img = draw(body, 64, 48, &audio);
    // Custom waves are aspect-corrected (y times 1 / 0.75 at 4:3) and
    // y = 1 is the top: y = 0.6 -> y 17.6; y = 0.3 -> y 36.8; the one-pixel
    // lines cover rows 18 and 37 by Direct3D 9's integer pixel centres.
    for x in 2..28 {
        assert_eq!(img.lit_rows(x), vec![18], "column {x}");
    }
    for x in 36..62 {
        assert_eq!(img.lit_rows(x), vec![37], "column {x}");
    }
}

#[test]
fn custom_wave_points_start_at_half_plus_value() {
    // Per-point code that leaves x alone: x = 0.5 + value1 (0.5, or 0.8
    // where the spectrum is 2.0), colour from the per-frame values.
    let mut audio = AudioFrame::default();
    for bin in 256..512 {
        audio.spectrum[0][bin] = 2.0;
    }
    let body = "wavecode_0_enabled=1\nwavecode_0_samples=16\nwavecode_0_bSpectrum=1\n\
                wavecode_0_bUseDots=1\nwavecode_0_smoothing=0\nwavecode_0_r=1\n\
                wavecode_0_g=0\nwavecode_0_b=0\nwave_0_per_point1=y = 0.49;";
    let img = draw(body, 64, 48, &audio);
    let lit = img.lit_pixels();
    // One-pixel dots at x 32 and 51.2, y 24.6 (as in
    // `custom_wave_dots_versus_lines`): the pixels whose integer centres
    // (Direct3D 9's) they cover.
    assert_eq!(lit, [(32, 25), (51, 25)]);
    assert_eq!(img.at(51, 25)[..3], [255, 0, 0]);
}

#[test]
fn borders_fill_exactly_the_border_area() {
    // 0.125 of the half-width: 4 pixels across, 3 down at 64x48.
    let body = "ob_size=0.125\nob_r=1\nob_g=0\nob_b=0\nob_a=1\n\
                ib_size=0.125\nib_r=0\nib_g=1\nib_b=0\nib_a=0.5";
    let img = draw(body, 64, 48, &AudioFrame::default());
    for y in 0..48 {
        for x in 0..64 {
            let [r, g, b, _] = img.at(x, y);
            let outer = !(4..60).contains(&x) || !(3..45).contains(&y);
            let inner = !(8..56).contains(&x) || !(6..42).contains(&y);
            if outer {
                assert_eq!([r, g, b], [255, 0, 0], "outer border at ({x},{y})");
            } else if inner {
                assert!(
                    r == 0 && (125..=129).contains(&g) && b == 0,
                    "inner at ({x},{y})"
                );
            } else {
                assert_eq!([r, g, b], [0, 0, 0], "inside at ({x},{y})");
            }
        }
    }
}

#[test]
fn a_border_thinner_than_a_pixel_lights_what_direct3d_9_centres_cover() {
    // At 160 pixels an inner border 0.005 wide inside an outer one 0.01
    // wide spans x 158.8..159.2 (and 0.8..1.2): it covers the integer
    // centres of columns 159 and 1, where MilkDrop 2 (Direct3D 9) lights
    // it, and no half-integer centre, where WebGL (butterchurn) lights
    // nothing. Across, 0.6..0.9 and 119.1..119.4 cover neither.
    let body = "ob_size=0.01\nob_a=0\nib_size=0.005\nib_r=1\nib_g=1\nib_b=1\nib_a=1";
    let mut scene = Scene::new();
    scene.load(body);
    let img = scene.frame(160, 120, 0, &AudioFrame::default());
    let columns: std::collections::BTreeSet<u32> =
        img.lit_pixels().into_iter().map(|(x, _)| x).collect();
    assert_eq!(columns.into_iter().collect::<Vec<_>>(), [1, 159]);
    for y in 2..118 {
        assert_eq!(img.at(159, y)[..3], [255, 255, 255], "row {y}");
    }
    scene
        .vis
        .emulate_butterchurn(milk_engine::ButterchurnQuirks {
            pixel_centres: true,
            ..Default::default()
        });
    let img = scene.frame(160, 120, 0, &AudioFrame::default());
    assert!(img.lit_pixels().is_empty(), "{:?}", img.lit_pixels());
}

#[test]
fn motion_vectors_form_a_grid() {
    // Each vector is the warp's motion at its point (here none, plus
    // MilkDrop 2's half texel up and right) times mv_l, stretched to
    // MilkDrop's minimum length of one texel, and lights the pixels
    // Direct3D 9's diamond rule gives it (diamonds around its integer pixel
    // centres): one or two, or none where a vector that short starts
    // between diamonds and ends inside one, as all but the left column's
    // do here.
    let body = "nMotionVectorsX=4\nnMotionVectorsY=3\nmv_dx=0\nmv_dy=0\nmv_l=1\nmv_r=1\nmv_g=1\nmv_b=1\nmv_a=1";
    let img = draw_second(body, 64, 48);
    // MilkDrop's grid: (i + 0.25) / (n - 0.75), inside (0, 1) only; rows
    // count from the top.
    let mut expected = Vec::new();
    for j in 0..3 {
        let fy = (j as f64 + 0.25) / 2.25;
        for i in 0..4 {
            let fx = (i as f64 + 0.25) / 3.25;
            if fx < 0.9999 && fy < 0.9999 {
                expected.push((fx * 64.0, fy * 48.0));
            }
        }
    }
    assert_eq!(expected.len(), 6);
    let lit = img.lit_pixels();
    let near = |(x, y): (u32, u32), (ex, ey): (f64, f64), r: f64| {
        (x as f64 + 0.5 - ex).abs() <= r && (y as f64 + 0.5 - ey).abs() <= r
    };
    let shown = expected
        .iter()
        .filter(|e| lit.iter().any(|&p| near(p, **e, 1.5)))
        .count();
    assert_eq!(shown, 2, "{lit:?}");
    assert!(lit.len() <= 2 * shown, "{lit:?}");
    for p in &lit {
        assert!(
            expected.iter().any(|e| near(*p, *e, 1.5)),
            "stray pixel {p:?}"
        );
    }
}

#[test]
fn motion_vectors_show_the_last_frames_motion_half_a_texel_up_right() {
    use milk_engine::ButterchurnQuirks;
    // One vector at (0.2, 0.2) of a 64 x 48 frame (12.8, 9.6), eight times
    // its motion. The per-frame code starts pushing the picture sideways
    // (dx 0.1) on the second frame.
    let body = "nMotionVectorsX=2\nnMotionVectorsY=2\nmv_dx=0\nmv_dy=0\nmv_l=8\n\
                mv_r=1\nmv_g=1\nmv_b=1\nmv_a=1\n\
                per_frame_1=n = n + 1; dx = if(above(n, 1.5), 0.1, 0);";
    let frames = |quirks: ButterchurnQuirks| {
        let mut scene = Scene::new();
        scene.vis.emulate_butterchurn(quirks);
        scene.load(body);
        let audio = AudioFrame::default();
        [0; 3].map(|_| scene.frame(64, 48, 0, &audio).lit_pixels())
    };
    let span = |lit: &[(u32, u32)]| {
        let xs = lit.iter().map(|p| p.0);
        xs.clone().max().unwrap() - xs.min().unwrap()
    };
    // MilkDrop 2: none on the first frame; on the second the first
    // frame's still mesh, whose half-texel offset (0.5 / 64 right, 0.5 /
    // 48 up) times 8 is a diagonal 4 pixels right and 4 up (moved by this
    // frame's warp, 6.4 pixels right); on the third the second frame's
    // push, 0.8 of the width to the left (cut at the edge, then moved
    // right by the warp).
    let [first, second, third] = frames(ButterchurnQuirks::default());
    assert!(first.is_empty(), "{first:?}");
    assert!((3..=8).contains(&span(&second)), "{second:?}");
    let rows: Vec<u32> = second.iter().map(|p| p.1).collect();
    assert!(
        rows.iter().max().unwrap() - rows.iter().min().unwrap() >= 3,
        "a diagonal: {second:?}"
    );
    let (left, right) = (
        second.iter().min_by_key(|p| p.0).unwrap(),
        second.iter().max_by_key(|p| p.0).unwrap(),
    );
    assert!(right.1 < left.1, "rising to the right: {second:?}");
    assert!(span(&third) >= 10, "{third:?}");
    assert!(third.iter().all(|p| p.0 < 21), "{third:?}");
    // butterchurn's order: this frame's mesh, after the warp: the still
    // diagonal on the first frame, the push already on the second.
    let [first, second, _] = frames(ButterchurnQuirks {
        mv_order: true,
        ..Default::default()
    });
    assert!((3..=5).contains(&span(&first)), "{first:?}");
    assert!(span(&second) >= 10, "{second:?}");
    assert!(second.iter().any(|p| p.0 <= 1), "{second:?}");
}

#[test]
fn motion_vectors_start_at_the_top_and_mv_dy_moves_them_up() {
    // Two rows: (j + 0.25) / 1.25 puts the first at 0.2 from the top and the
    // second at 1.0, outside. mv_dy = 0.1 moves them up to 0.1 and 0.9.
    let lit_rows = |dy: f64| {
        let body = format!(
            "nMotionVectorsX=4\nnMotionVectorsY=2\nmv_dx=0\nmv_dy={dy}\nmv_l=1\n\
             mv_r=1\nmv_g=1\nmv_b=1\nmv_a=1"
        );
        let img = draw_second(&body, 64, 48);
        let mut rows: Vec<u32> = img.lit_pixels().iter().map(|p| p.1).collect();
        rows.sort_unstable();
        rows.dedup();
        rows
    };
    let still = lit_rows(0.0);
    assert!(
        !still.is_empty() && still.iter().all(|y| (8..=11).contains(y)),
        "{still:?}"
    );
    let moved = lit_rows(0.1);
    assert!(
        moved.iter().any(|y| (3..=6).contains(y))
            && moved.iter().any(|y| (42..=45).contains(y))
            && moved
                .iter()
                .all(|y| (3..=6).contains(y) || (42..=45).contains(y)),
        "{moved:?}"
    );
}

#[test]
fn per_frame_overrides_take_effect() {
    let audio = AudioFrame::default();
    let mut scene = Scene::new();
    // The file says circle at full alpha; per-frame code says mode 6 at half.
    scene.load(
        "nWaveMode=0\nfWaveAlpha=1\nwave_r=1\nwave_g=0\nwave_b=0\n\
         per_frame_1=wave_mode = 6; wave_a = 0.5;",
    );
    let img = scene.frame(64, 48, 0, &audio);
    let rows = img.lit_rows(32);
    assert!(rows.len() == 1 && (23..=24).contains(&rows[0]), "{rows:?}");
    let r = img.at(32, rows[0])[0];
    assert!((124..=130).contains(&r), "half alpha: {r}");
    assert!(!img.lit(32, 12), "no circle");

    scene.load("nWaveMode=0\nfWaveAlpha=1\nper_frame_1=wave_a = 0;");
    assert!(scene.frame(64, 48, 0, &audio).lit_pixels().is_empty());

    scene.load("per_frame_1=ob_a = 1; ob_r = 1; ob_size = 0.25; mv_a = 0;");
    let img = scene.frame(64, 48, 0, &audio);
    assert_eq!(img.at(0, 0)[..3], [255, 0, 0]);
    assert_eq!(img.at(32, 24)[..3], [0, 0, 0]);
}

#[test]
fn darken_center_darkens_only_the_centre() {
    let mut scene = Scene::new();
    scene.load("bDarkenCenter=1");
    let img = scene.frame(256, 192, 128, &AudioFrame::default());
    let centre = img.at(127, 95)[0];
    assert!(centre < 124, "centre {centre}");
    assert_eq!(img.at(0, 0)[0], 128);
    assert_eq!(img.at(127 + 10, 95)[0], 128);
}

#[test]
fn lines_get_thicker_at_larger_resolutions() {
    let body = custom_wave("wavecode_0_samples=32", "x = sample; y = 0.49;");
    let mut scene = Scene::new();
    scene.load(&body);
    let small = scene.frame(128, 96, 0, &AudioFrame::default());
    let big = scene.frame(1536, 1536, 0, &AudioFrame::default());
    assert_eq!(small.lit_rows(64).len(), 1);
    assert_eq!(big.lit_rows(768).len(), 2, "2 pixels at 1536 (scale 2)");
}

#[test]
fn non_finite_and_far_points_are_safe() {
    let body = format!(
        "{}\nwavecode_1_enabled=1\nwavecode_1_samples=16\n\
         wave_1_per_point1=x = sample; y = 1e30 * sample - 1e29;\n\
         wavecode_2_enabled=1\nwavecode_2_samples=100000\nwavecode_2_smoothing=-1\n\
         fWaveAlpha=1\nper_frame_1=wave_x = 1e30; wave_mystery = 1e300 * 1e300;",
        custom_wave("", "x = sample * 1e300 * 1e300; y = 0.5;")
    );
    let img = draw(&body, 64, 48, &AudioFrame::default());
    assert_eq!(img.px.len(), 64 * 48 * 4);
}

#[test]
fn mode_3_alpha_follows_the_absolute_treble_level() {
    // MilkDrop 2's mode 3 multiplies its alpha by 1.3 * imm[2]^2, the
    // treble band's absolute level (tens to hundreds with any treble), not
    // by treb: any audible treble draws it at full alpha, silence not at
    // all. At 64 pixels wide the alpha starts from fWaveAlpha (0.5).
    let body = "nWaveMode=3\nfWaveAlpha=0.5\nwave_r=1\nwave_g=1\nwave_b=1\nfWaveSmoothing=0\n\
                fWaveScale=1\nbModWaveAlphaByVolume=0\nbMaximizeWaveColor=0";
    let brightest = |imm: f32| {
        // A circle-ish figure: the right channel is x, the left y.
        let mut audio = AudioFrame::default();
        for i in 0..audio.wave[0].len() {
            let t = i as f32 * 0.01;
            audio.wave[0][i] = 0.3 * t.sin();
            audio.wave[1][i] = 0.3 * t.cos();
        }
        audio.treb = 0.5;
        audio.imm = [40.0, 30.0, imm];
        let img = draw(body, 64, 48, &audio);
        img.px.chunks_exact(4).map(|p| p[0]).max().unwrap()
    };
    assert!(
        brightest(25.0) >= 250,
        "audible treble: full alpha, {}",
        brightest(25.0)
    );
    // 0.5 * 1.3 * 0.6^2 = 0.234 of white (a pixel where segments meet
    // gets two or three coats).
    let faint = brightest(0.6);
    assert!((55..=170).contains(&faint), "{faint}");
    assert_eq!(brightest(0.0), 0, "silence: not drawn");
}
