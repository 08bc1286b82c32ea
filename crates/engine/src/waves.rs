//! What MilkDrop draws into the feedback frame after the warp pass, and the
//! small renderer all of it shares.
//!
//! MilkDrop 2's order (vis_milk2 `RenderFrame`): motion vectors are drawn
//! into the *previous* frame before the warp pass (so they are warped and
//! decayed with it; see [`crate::borders`]); after the warp pass come custom
//! shapes, then custom waves (MilkDrop draws shapes first so the waves sit on
//! top of them), then the main wave, then `DrawSprites`: darken_center and
//! then the outer and inner borders.
//!
//! Everything is drawn as coloured triangles through one small pipeline
//! (`Overlay`) with MilkDrop's two blend modes (alpha and additive); lines
//! and dots are expanded into quads on the CPU ([`Canvas`]). MilkDrop's
//! thick lines and dots (below) are one quad per segment or dot whose
//! fragment shader counts the four brush copies covering each pixel and
//! blends that many times over ([`Canvas::brushed_line_strip`]): the four
//! draws' picture at a quarter of the triangles.
//!
//! # Line width and dot size
//!
//! MilkDrop draws 1-pixel lines and points and makes "thick" ones by drawing
//! four times, offset by one pixel right, up and back left (a 2x2 brush).
//! That looks right at the resolutions MilkDrop ran at (about 768 pixels
//! high); at 4K the same lines would be hair-thin. Kefir keeps MilkDrop's
//! geometry and multiplies every width, dot size and brush offset by
//! [`pixel_scale`]: `max(1, min(width, height) / 768)`. So a thin line is 1
//! pixel up to 768p, 1.4 pixels at 1080p and 2.8 at 2160p; thick lines and
//! dots are twice that, and MilkDrop's own size rules (thick main wave only
//! from 512 pixels wide, 2-pixel custom-wave dots from 1024) are kept.

use milk_audio::{AudioFrame, MILKDROP_WAVE_SCALE};
use milk_parser::code::{FrameInputs, PresetCode};
use milk_parser::eel::{VarId, VertexJob, VertexMode};
use milk_parser::preset::{BaseValues, BlockId};

use crate::colour_bytes::{self, quantize};
use crate::passes::{Begin, Recorder};

/// The image size (shorter side, in pixels) at which MilkDrop's 1-pixel
/// lines are drawn 1 pixel wide; see the module documentation.
pub const REFERENCE_SIZE: f32 = 768.0;

/// How many pixels one of MilkDrop's pixels is at `width` x `height`.
pub fn pixel_scale(width: u32, height: u32) -> f32 {
    (width.min(height) as f32 / REFERENCE_SIZE).max(1.0)
}

/// The window of waveform samples the main wave and waveform custom waves
/// are drawn from: each takes its samples from the window's middle (or
/// start), so a different window shows another stretch of the same sound.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum WaveWindow {
    /// MilkDrop 2's `NUM_WAVEFORM_SAMPLES` (480; its buffer holds 576 so
    /// that modes reading 32 samples ahead can peek past the window).
    #[default]
    MilkDrop,
    /// butterchurn's 512 samples, with its point counts (mode 0 draws 256
    /// points and closes the loop with one more, over 2 pi where MilkDrop 2
    /// spreads 240 over 6.28) and reads past the end wrapping to the start,
    /// and custom waves drawing `sep` fewer points
    /// ([`crate::ButterchurnQuirks::wave_window`]).
    Butterchurn,
}

impl WaveWindow {
    /// Samples in the window.
    pub fn samples(self) -> usize {
        match self {
            WaveWindow::MilkDrop => 480,
            WaveWindow::Butterchurn => 512,
        }
    }
}

/// How the main wave follows the width of the texture it is drawn into.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum WaveSizes {
    /// MilkDrop 2's `DrawWave`: dots and thick waves are drawn four times a
    /// pixel apart only from `m_nTexSizeX` 512 up, and the faint modes'
    /// alpha factors are a `switch` on exactly 256, 512, 1024 and 2048
    /// (mode 3 replacing `wave_a`, modes 2 and 5 multiplying it).
    #[default]
    MilkDrop,
    /// butterchurn's `drawWave`: dots and thick waves four times at any
    /// width, and the faint modes' factors picked by range (below 1024,
    /// below 2048, from 2048 up), mode 3's multiplying `wave_a` too
    /// ([`crate::ButterchurnQuirks::wave_size`]).
    Butterchurn,
}

/// Which renderer's rules the main wave follows where MilkDrop 2 and
/// butterchurn part (MilkDrop 2's unless a replay imitates butterchurn).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MainWaveRules {
    /// Where its samples come from.
    pub window: WaveWindow,
    /// How it follows the texture width.
    pub sizes: WaveSizes,
    /// Mode 5 scaled by `aspect + wave_x` (and `aspect + wave_y`), as
    /// butterchurn draws it, where MilkDrop 2 scales by the aspect and adds
    /// the position ([`crate::ButterchurnQuirks::wave_mode5`]).
    pub mode5_scaled_by_position: bool,
}

/// The per-frame variables of the drawing steps, read back after per-frame
/// code (so per-frame overrides take effect), in this order.
pub const DRAW_VARS: [&str; 32] = [
    "wave_r",
    "wave_g",
    "wave_b",
    "wave_a",
    "wave_x",
    "wave_y",
    "wave_mode",
    "wave_mystery",
    "wave_usedots",
    "wave_thick",
    "wave_additive",
    "wave_brighten",
    "ob_size",
    "ob_r",
    "ob_g",
    "ob_b",
    "ob_a",
    "ib_size",
    "ib_r",
    "ib_g",
    "ib_b",
    "ib_a",
    "mv_x",
    "mv_y",
    "mv_dx",
    "mv_dy",
    "mv_l",
    "mv_r",
    "mv_g",
    "mv_b",
    "mv_a",
    "darken_center",
];

/// Per-frame values of the main wave, borders, motion vectors and
/// darken_center (see [`DRAW_VARS`]). MilkDrop tests the flags
/// (`wave_usedots`, `wave_thick`, `wave_additive`, `wave_brighten`,
/// `darken_center`) as "not zero".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DrawVars {
    pub wave_r: f64,
    pub wave_g: f64,
    pub wave_b: f64,
    pub wave_a: f64,
    pub wave_x: f64,
    pub wave_y: f64,
    pub wave_mode: f64,
    pub wave_mystery: f64,
    pub wave_usedots: f64,
    pub wave_thick: f64,
    pub wave_additive: f64,
    pub wave_brighten: f64,
    pub ob_size: f64,
    pub ob_r: f64,
    pub ob_g: f64,
    pub ob_b: f64,
    pub ob_a: f64,
    pub ib_size: f64,
    pub ib_r: f64,
    pub ib_g: f64,
    pub ib_b: f64,
    pub ib_a: f64,
    pub mv_x: f64,
    pub mv_y: f64,
    pub mv_dx: f64,
    pub mv_dy: f64,
    pub mv_l: f64,
    pub mv_r: f64,
    pub mv_g: f64,
    pub mv_b: f64,
    pub mv_a: f64,
    pub darken_center: f64,
}

impl DrawVars {
    /// The values in the order of [`DRAW_VARS`].
    pub fn from_array(v: [f64; 32]) -> Self {
        DrawVars {
            wave_r: v[0],
            wave_g: v[1],
            wave_b: v[2],
            wave_a: v[3],
            wave_x: v[4],
            wave_y: v[5],
            wave_mode: v[6],
            wave_mystery: v[7],
            wave_usedots: v[8],
            wave_thick: v[9],
            wave_additive: v[10],
            wave_brighten: v[11],
            ob_size: v[12],
            ob_r: v[13],
            ob_g: v[14],
            ob_b: v[15],
            ob_a: v[16],
            ib_size: v[17],
            ib_r: v[18],
            ib_g: v[19],
            ib_b: v[20],
            ib_a: v[21],
            mv_x: v[22],
            mv_y: v[23],
            mv_dx: v[24],
            mv_dy: v[25],
            mv_l: v[26],
            mv_r: v[27],
            mv_g: v[28],
            mv_b: v[29],
            mv_a: v[30],
            darken_center: v[31],
        }
    }
}

/// How a draw blends into the frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blend {
    /// `src * a + dst * (1 - a)`.
    Alpha,
    /// `src * a + dst`.
    Additive,
}

impl Blend {
    pub fn additive(on: bool) -> Self {
        if on { Blend::Additive } else { Blend::Alpha }
    }
}

/// A point in clip space (x right, y up, -1..1 across the frame) with a
/// colour (RGBA, 0..1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
    pub color: [f32; 4],
}

impl Point {
    pub fn new(x: f32, y: f32, color: [f32; 4]) -> Self {
        Point { x, y, color }
    }
}

#[repr(C)]
#[derive(Debug, Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct OverlayVertex {
    pos: [f32; 2],
    color: [f32; 4],
    /// For a brushed segment ([`Canvas::brushed_line_strip`]): its ends in
    /// framebuffer pixels (x right, y down), `a.x, a.y, b.x, b.y`; for a
    /// brushed dot ([`Canvas::brushed_dots`]) its centre in `x, y`.
    segment: [f32; 4],
    /// How the fragment is drawn: x [`PLAIN`], [`BRUSH_ALPHA`],
    /// [`BRUSH_ADDITIVE`], [`BRUSH_DOT_ALPHA`] or [`BRUSH_DOT_ADDITIVE`];
    /// when brushed y is the line's half width (the dot's half size) and z
    /// the brush step, in pixels.
    brush: [f32; 4],
}

/// An [`OverlayVertex`] of an ordinary triangle: its colour as it is.
const PLAIN: f32 = 0.0;
/// A brushed segment blended with alpha.
const BRUSH_ALPHA: f32 = 1.0;
/// A brushed segment blended additively.
const BRUSH_ADDITIVE: f32 = 2.0;
/// A brushed dot blended with alpha ([`Canvas::brushed_dots`]).
const BRUSH_DOT_ALPHA: f32 = 3.0;
/// A brushed dot blended additively.
const BRUSH_DOT_ADDITIVE: f32 = 4.0;

/// Coordinates beyond this (in clip units) are clamped: far off screen, and
/// the quad math stays finite.
const FAR: f32 = 1.0e4;

/// How a run of a [`Canvas`]'s triangles is drawn: its blend, and whether
/// its fragments count brush copies ([`Canvas::brushed_line_strip`],
/// [`Canvas::brushed_dots`]) or are plain colour. Each gets its own
/// pipeline, so plain triangles (borders, thin waves, motion vectors) run
/// no brush code: a software rasteriser runs both sides of a branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DrawKind {
    blend: Blend,
    brushed: bool,
}

impl DrawKind {
    /// Index into [`Overlay`]'s pipelines.
    fn index(self) -> usize {
        usize::from(self.blend == Blend::Additive) + 2 * usize::from(self.brushed)
    }
}

/// Where the rasteriser samples pixels, for geometry given in clip space.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PixelCentres {
    /// On integer coordinates, as Direct3D 9 has them. MilkDrop 2 draws its
    /// waves, shapes, borders and motion vectors in clip space with no
    /// half-pixel correction, so there they light the pixels whose
    /// integer-coordinate centres they cover; here the geometry moves half
    /// a pixel right and down to light the same ones (a border 0.4 pixels
    /// wide at x = 158.8..159.2 lights column 159 as in MilkDrop 2, where
    /// wgpu's own centres at 158.5 and 159.5 would light none).
    #[default]
    Direct3D9,
    /// On half-integer coordinates (wgpu, WebGL: butterchurn); the
    /// geometry as given ([`crate::ButterchurnQuirks::pixel_centres`]).
    HalfInteger,
}

impl PixelCentres {
    /// How far, in pixels right and down, geometry given in clip space
    /// moves to light the pixels these centres would.
    pub fn shift(self) -> f32 {
        match self {
            PixelCentres::Direct3D9 => 0.5,
            PixelCentres::HalfInteger => 0.0,
        }
    }
}

/// Triangles to draw into one frame, in order, each run with its blend.
#[derive(Debug, Clone)]
pub struct Canvas {
    width: u32,
    height: u32,
    scale: f32,
    /// [`PixelCentres::shift`] of the centres the geometry is drawn for.
    shift: f32,
    vertices: Vec<OverlayVertex>,
    batches: Vec<(DrawKind, std::ops::Range<u32>)>,
}

impl Canvas {
    /// An empty canvas for a `width` x `height` frame.
    pub fn new(width: u32, height: u32) -> Self {
        Canvas {
            width: width.max(1),
            height: height.max(1),
            scale: pixel_scale(width, height),
            shift: PixelCentres::default().shift(),
            vertices: Vec::new(),
            batches: Vec::new(),
        }
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    /// Draws what follows for `centres` (MilkDrop 2's Direct3D 9 ones
    /// unless told).
    pub fn set_pixel_centres(&mut self, centres: PixelCentres) {
        self.shift = centres.shift();
    }

    /// The colours of the vertices drawn so far, in order (for tests).
    #[cfg(test)]
    pub(crate) fn vertex_colours(&self) -> Vec<[f32; 4]> {
        self.vertices.iter().map(|v| v.color).collect()
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    /// Pixels per MilkDrop pixel ([`pixel_scale`]).
    pub fn scale(&self) -> f32 {
        self.scale
    }

    pub fn is_empty(&self) -> bool {
        self.vertices.is_empty()
    }

    /// Number of triangles so far.
    pub fn triangle_count(&self) -> usize {
        self.vertices.len() / 3
    }

    fn vertex(&mut self, blend: Blend, x: f32, y: f32, color: [f32; 4]) {
        self.push(
            blend,
            OverlayVertex {
                pos: [x, y],
                color,
                segment: [0.0; 4],
                brush: [PLAIN, 0.0, 0.0, 0.0],
            },
        );
    }

    /// Appends `v`, extending the last batch when it has the same blend.
    fn push(&mut self, blend: Blend, v: OverlayVertex) {
        let n = self.vertices.len() as u32;
        let kind = DrawKind {
            blend,
            brushed: v.brush[0] != PLAIN,
        };
        match self.batches.last_mut() {
            Some((k, range)) if *k == kind && range.end == n => range.end += 1,
            _ => self.batches.push((kind, n..n + 1)),
        }
        self.vertices.push(v);
    }

    /// Clip coordinates (y up) in framebuffer pixels (y down).
    fn to_pixels(&self, x: f32, y: f32) -> (f32, f32) {
        let (w, h) = (self.width as f32, self.height as f32);
        (
            (x + 1.0) * 0.5 * w + self.shift,
            (1.0 - y) * 0.5 * h + self.shift,
        )
    }

    /// Framebuffer pixels (y down) in clip coordinates (y up).
    fn to_clip(&self, px: f32, py: f32) -> [f32; 2] {
        let (w, h) = (self.width as f32, self.height as f32);
        [px / w * 2.0 - 1.0, 1.0 - py / h * 2.0]
    }

    /// One triangle; skipped when a corner is not finite.
    pub fn triangle(&mut self, blend: Blend, t: [Point; 3]) {
        if t.iter().any(|p| !finite(p)) {
            return;
        }
        let (sx, sy) = self.clip_offset(self.shift, -self.shift);
        for p in t {
            self.vertex(blend, clamp_far(p.x) + sx, clamp_far(p.y) + sy, p.color);
        }
    }

    /// Pixel offset to clip offset.
    fn clip_offset(&self, px: f32, py: f32) -> (f32, f32) {
        (px * 2.0 / self.width as f32, py * 2.0 / self.height as f32)
    }

    /// A line from `a` to `b`, `width` pixels wide, shifted by `offset`
    /// pixels (x right, y up); colours interpolate along it.
    pub fn line(&mut self, blend: Blend, a: Point, b: Point, width: f32, offset: [f32; 2]) {
        self.segment(blend, a, b, width, offset, false);
    }

    /// A one-pixel line as Direct3D 9 rasterises one (its "diamond exit"
    /// rule): a pixel lights where the line leaves the diamond `|x - cx| +
    /// |y - cy| < 1/2` around its centre, that is where the line passes
    /// through the diamond and does not end inside it. So a line a pixel
    /// long lights one pixel (or two where it crosses a diamond's corner),
    /// where a quad with caps would light two or three. Each lit pixel is
    /// drawn as its own square. For lines up to [`Canvas::MAX_DIAMOND_LINE`]
    /// pixels (MilkDrop's motion vectors); longer ones as
    /// [`Canvas::line`] one pixel wide.
    pub fn diamond_line(&mut self, blend: Blend, a: Point, b: Point) {
        if !finite(&a) || !finite(&b) {
            return;
        }
        let (ax, ay) = self.to_pixels(clamp_far(a.x), clamp_far(a.y));
        let (bx, by) = self.to_pixels(clamp_far(b.x), clamp_far(b.y));
        let (dx, dy) = (bx - ax, by - ay);
        if dx.abs().max(dy.abs()) > Self::MAX_DIAMOND_LINE {
            self.line(blend, a, b, 1.0, [0.0, 0.0]);
            return;
        }
        // L1 distance from (cx, cy) to the segment: convex and piecewise
        // linear along it, so least at an end or where x or y passes cx, cy.
        let l1 = |t: f32, cx: f32, cy: f32| (ax + dx * t - cx).abs() + (ay + dy * t - cy).abs();
        let nearest = |cx: f32, cy: f32| {
            let mut best = l1(0.0, cx, cy).min(l1(1.0, cx, cy));
            if dx != 0.0 {
                best = best.min(l1(((cx - ax) / dx).clamp(0.0, 1.0), cx, cy));
            }
            if dy != 0.0 {
                best = best.min(l1(((cy - ay) / dy).clamp(0.0, 1.0), cx, cy));
            }
            best
        };
        let (x0, x1) = (ax.min(bx).floor() as i64 - 1, ax.max(bx).floor() as i64 + 1);
        let (y0, y1) = (ay.min(by).floor() as i64 - 1, ay.max(by).floor() as i64 + 1);
        for py in y0.max(0)..=y1.min(i64::from(self.height) - 1) {
            for px in x0.max(0)..=x1.min(i64::from(self.width) - 1) {
                let (cx, cy) = (px as f32 + 0.5, py as f32 + 0.5);
                let ends_inside = (bx - cx).abs() + (by - cy).abs() < 0.5;
                if ends_inside || nearest(cx, cy) >= 0.5 {
                    continue;
                }
                // The colour where the line is nearest the pixel.
                let t = if dx.abs() >= dy.abs() && dx != 0.0 {
                    ((cx - ax) / dx).clamp(0.0, 1.0)
                } else if dy != 0.0 {
                    ((cy - ay) / dy).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let color = std::array::from_fn(|i| a.color[i] + (b.color[i] - a.color[i]) * t);
                // The pixel's square, as the two triangles of `quad`.
                let [left, top] = self.to_clip(px as f32, py as f32);
                let [right, bottom] = self.to_clip(px as f32 + 1.0, py as f32 + 1.0);
                for (x, y) in [
                    (left, top),
                    (right, top),
                    (left, bottom),
                    (left, bottom),
                    (right, top),
                    (right, bottom),
                ] {
                    self.vertex(blend, x, y, color);
                }
            }
        }
    }

    /// The longest line (pixels across or down) [`Canvas::diamond_line`]
    /// rasterises itself.
    pub const MAX_DIAMOND_LINE: f32 = 8.0;

    /// A line extended by half its width at both ends (square caps).
    pub fn capped_line(&mut self, blend: Blend, a: Point, b: Point, width: f32) {
        self.segment(blend, a, b, width, [0.0, 0.0], true);
    }

    fn segment(
        &mut self,
        blend: Blend,
        a: Point,
        b: Point,
        width: f32,
        offset: [f32; 2],
        cap: bool,
    ) {
        if !finite(&a) || !finite(&b) {
            return;
        }
        let (ox, oy) = self.clip_offset(offset[0] + self.shift, offset[1] - self.shift);
        let (ax, ay) = (clamp_far(a.x) + ox, clamp_far(a.y) + oy);
        let (bx, by) = (clamp_far(b.x) + ox, clamp_far(b.y) + oy);
        let (w, h) = (self.width as f32, self.height as f32);
        let (dx, dy) = ((bx - ax) * w * 0.5, (by - ay) * h * 0.5);
        let len = (dx * dx + dy * dy).sqrt();
        if len.is_nan() || len < 1e-6 {
            return;
        }
        // A hair over half the width so a line on a pixel boundary never
        // falls between two rows.
        let half = width * 0.5 + 1e-3;
        let (nx, ny) = self.clip_offset(-dy / len * half, dx / len * half);
        let (ax, ay, bx, by) = if cap {
            let (cx, cy) = self.clip_offset(dx / len * half, dy / len * half);
            (ax - cx, ay - cy, bx + cx, by + cy)
        } else {
            (ax, ay, bx, by)
        };
        let (c1, c2) = (a.color, b.color);
        self.vertex(blend, ax + nx, ay + ny, c1);
        self.vertex(blend, ax - nx, ay - ny, c1);
        self.vertex(blend, bx + nx, by + ny, c2);
        self.vertex(blend, bx + nx, by + ny, c2);
        self.vertex(blend, ax - nx, ay - ny, c1);
        self.vertex(blend, bx - nx, by - ny, c2);
    }

    /// A line strip through `points`.
    pub fn line_strip(&mut self, blend: Blend, points: &[Point], width: f32, offset: [f32; 2]) {
        for pair in points.windows(2) {
            self.line(blend, pair[0], pair[1], width, offset);
        }
    }

    /// A line strip through `points` drawn with MilkDrop's thick brush: what
    /// [`Canvas::line_strip`] draws four times, shifted by `step` pixels
    /// right, then down, then back left (MilkDrop's 2x2 brush: one pixel
    /// along its +x, its +y, which is down in our picture, and back), in
    /// one quad per segment. The fragment shader counts how many of the
    /// four copies cover each pixel (the copies' own coverage: centre
    /// within half the width of the shifted segment, between its ends) and
    /// blends that many times over: alpha `1 - (1 - a)^k` (k draws of `c`
    /// over `dst` at alpha `a`), or `k a c` added. So the picture is the
    /// four draws' (up to the 8-bit rounding between them, and where two
    /// segments of the strip overlap) at a quarter of the triangles, which
    /// is what a software rasteriser spends its time on for thick waves.
    pub fn brushed_line_strip(&mut self, blend: Blend, points: &[Point], width: f32, step: f32) {
        let mode = match blend {
            Blend::Alpha => BRUSH_ALPHA,
            Blend::Additive => BRUSH_ADDITIVE,
        };
        let half = width * 0.5 + 1e-3;
        // How far the quad reaches past the segment from the brush's
        // middle: each copy is at most half a diagonal step away from it
        // (the width comes on top across the segment), and a little more
        // so no pixel centre on a copy's edge falls outside.
        let brush_reach = step * std::f32::consts::FRAC_1_SQRT_2 + 0.01;
        let (along_reach, across_reach) = (brush_reach, brush_reach + half);
        for pair in points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if !finite(&a) || !finite(&b) {
                continue;
            }
            let (ax, ay) = self.to_pixels(clamp_far(a.x), clamp_far(a.y));
            let (bx, by) = self.to_pixels(clamp_far(b.x), clamp_far(b.y));
            let (dx, dy) = (bx - ax, by - ay);
            let len = (dx * dx + dy * dy).sqrt();
            if len.is_nan() || len < 1e-6 {
                continue;
            }
            let (ux, uy) = (dx / len, dy / len);
            // Around the middle of the brush's span.
            let (cx, cy) = (step * 0.5, step * 0.5);
            let corner = |along: f32, across: f32| {
                let x = ax + cx + ux * along - uy * across;
                let y = ay + cy + uy * along + ux * across;
                // The colour interpolates along the segment, as on the
                // copies' quads.
                let t = along / len;
                let color = std::array::from_fn(|i| a.color[i] + (b.color[i] - a.color[i]) * t);
                OverlayVertex {
                    pos: self.to_clip(x, y),
                    color,
                    segment: [ax, ay, bx, by],
                    brush: [mode, half, step, 0.0],
                }
            };
            let v0 = corner(-along_reach, -across_reach);
            let v1 = corner(-along_reach, across_reach);
            let v2 = corner(len + along_reach, -across_reach);
            let v3 = corner(len + along_reach, across_reach);
            self.quad(blend, [v0, v1, v2, v3]);
        }
    }

    /// MilkDrop's thick dots: [`Canvas::dots`] drawn four times, shifted by
    /// `step` pixels right, down and back left, in one quad per dot whose
    /// fragments count the copies covering them, as
    /// [`Canvas::brushed_line_strip`] does.
    pub fn brushed_dots(&mut self, blend: Blend, points: &[Point], size: f32, step: f32) {
        let mode = match blend {
            Blend::Alpha => BRUSH_DOT_ALPHA,
            Blend::Additive => BRUSH_DOT_ADDITIVE,
        };
        let half = size * 0.5;
        for p in points {
            if !finite(p) {
                continue;
            }
            let (cx, cy) = self.to_pixels(clamp_far(p.x), clamp_far(p.y));
            // The copies span [c - half, c + half + step] on both axes.
            let corner = |x: f32, y: f32| OverlayVertex {
                pos: self.to_clip(x, y),
                color: p.color,
                segment: [cx, cy, 0.0, 0.0],
                brush: [mode, half, step, 0.0],
            };
            let (lo, hi) = (-half - 0.01, half + step + 0.01);
            self.quad(
                blend,
                [
                    corner(cx + lo, cy + lo),
                    corner(cx + hi, cy + lo),
                    corner(cx + lo, cy + hi),
                    corner(cx + hi, cy + hi),
                ],
            );
        }
    }

    /// Two triangles, `v[0] v[1] v[2]` and `v[2] v[1] v[3]`.
    fn quad(&mut self, blend: Blend, v: [OverlayVertex; 4]) {
        for v in [v[0], v[1], v[2], v[2], v[1], v[3]] {
            self.push(blend, v);
        }
    }

    /// A square dot `size` pixels wide centred on each point.
    pub fn dots(&mut self, blend: Blend, points: &[Point], size: f32, offset: [f32; 2]) {
        // Exactly `size`: a 1-pixel dot covers the one pixel it falls in.
        let half = size * 0.5;
        let (hx, hy) = self.clip_offset(half, half);
        let (ox, oy) = self.clip_offset(offset[0] + self.shift, offset[1] - self.shift);
        for p in points {
            if !finite(p) {
                continue;
            }
            let (x, y) = (clamp_far(p.x) + ox, clamp_far(p.y) + oy);
            let c = p.color;
            self.vertex(blend, x - hx, y - hy, c);
            self.vertex(blend, x + hx, y - hy, c);
            self.vertex(blend, x + hx, y + hy, c);
            self.vertex(blend, x - hx, y - hy, c);
            self.vertex(blend, x + hx, y + hy, c);
            self.vertex(blend, x - hx, y + hy, c);
        }
    }
}

fn finite(p: &Point) -> bool {
    p.x.is_finite() && p.y.is_finite() && p.color.iter().all(|c| c.is_finite())
}

fn clamp_far(v: f32) -> f32 {
    v.clamp(-FAR, FAR)
}

/// The draw pipelines and a vertex buffer for [`Canvas`]es.
pub(crate) struct Overlay {
    /// By [`DrawKind::index`]: plain alpha, plain additive, brushed alpha,
    /// brushed additive.
    pipelines: [wgpu::RenderPipeline; 4],
    /// The same four for [`crate::ButterchurnQuirks::frame_alpha`], built
    /// when first drawn with it.
    frame_alpha: Option<[wgpu::RenderPipeline; 4]>,
    shader: wgpu::ShaderModule,
    layout: wgpu::PipelineLayout,
    buffer: wgpu::Buffer,
    capacity: u64,
    used: u64,
}

/// The overlay pipelines for each [`DrawKind`], in [`DrawKind::index`]
/// order; with `frame_alpha` the frame's alpha channel blends as the colour
/// does (as butterchurn's WebGL blending; thick lines' copies blend it once
/// with their combined coverage), else it stays as the warp pass wrote it.
fn overlay_pipelines(
    device: &wgpu::Device,
    shader: &wgpu::ShaderModule,
    layout: &wgpu::PipelineLayout,
    frame_alpha: bool,
) -> [wgpu::RenderPipeline; 4] {
    std::array::from_fn(|i| {
        let dst = if i % 2 == 0 {
            wgpu::BlendFactor::OneMinusSrcAlpha
        } else {
            wgpu::BlendFactor::One
        };
        let fragment = if i >= 2 {
            "overlay_brushed_fs"
        } else {
            "overlay_fs"
        };
        overlay_pipeline(device, (shader, fragment), layout, dst, frame_alpha)
    })
}

/// One overlay pipeline: `fragment` blending with `dst` (alpha or
/// additive), `frame_alpha` as in [`overlay_pipelines`].
fn overlay_pipeline(
    device: &wgpu::Device,
    (shader, fragment): (&wgpu::ShaderModule, &str),
    layout: &wgpu::PipelineLayout,
    dst: wgpu::BlendFactor,
    frame_alpha: bool,
) -> wgpu::RenderPipeline {
    crate::layout::render_pipeline(
        device,
        crate::layout::PipelineSpec {
            label: "kefir overlay",
            layout,
            vertex: (shader, "overlay_vs"),
            buffers: &[Some(wgpu::VertexBufferLayout {
                array_stride: std::mem::size_of::<OverlayVertex>() as u64,
                step_mode: wgpu::VertexStepMode::Vertex,
                attributes: &wgpu::vertex_attr_array![
                    0 => Float32x2,
                    1 => Float32x4,
                    2 => Float32x4,
                    3 => Float32x4
                ],
            })],
            fragment: (shader, fragment),
            target: crate::layout::overlay_target(dst, frame_alpha),
        },
    )
}

impl Overlay {
    pub fn new(device: &wgpu::Device) -> Self {
        let shader = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("kefir overlay"),
            source: wgpu::ShaderSource::Wgsl(include_str!("overlay.wgsl").into()),
        });
        let layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("kefir overlay"),
            bind_group_layouts: &[],
            immediate_size: 0,
        });
        let pipelines = overlay_pipelines(device, &shader, &layout, false);
        let capacity = 64 * 1024;
        Overlay {
            pipelines,
            frame_alpha: None,
            shader,
            layout,
            buffer: Self::buffer(device, capacity),
            capacity,
            used: 0,
        }
    }

    /// Builds the pipelines of [`crate::ButterchurnQuirks::frame_alpha`]
    /// if they do not exist yet.
    pub(crate) fn ensure_frame_alpha(&mut self, device: &wgpu::Device) {
        if self.frame_alpha.is_none() {
            self.frame_alpha = Some(overlay_pipelines(device, &self.shader, &self.layout, true));
        }
    }

    fn buffer(device: &wgpu::Device, size: u64) -> wgpu::Buffer {
        device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("kefir overlay vertices"),
            size,
            usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        })
    }

    /// Starts a frame: the vertex buffer is reused from its start (call
    /// once per submitted frame, before any [`Overlay::encode`]).
    pub fn begin_frame(&mut self) {
        self.used = 0;
    }

    /// Records `canvas`'s draws into `view` (a feedback texture), on top of
    /// what is there, in one render pass; `frame_alpha` as in
    /// [`Overlay::draw`].
    pub(crate) fn encode(
        &mut self,
        rec: &mut Recorder<'_>,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        view: &wgpu::TextureView,
        canvas: &Canvas,
        frame_alpha: bool,
    ) {
        if let Some(slice) = self.upload(device, queue, canvas) {
            let mut pass = rec.color_pass("kefir overlay", view, Begin::Keep);
            self.draw(&mut pass, slice, canvas, frame_alpha);
        }
    }

    /// Writes `canvas`'s vertices into the frame's buffer; the byte range
    /// for [`Overlay::draw`], `None` when there is nothing to draw.
    pub(crate) fn upload(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        canvas: &Canvas,
    ) -> Option<std::ops::Range<u64>> {
        if canvas.vertices.is_empty() {
            return None;
        }
        let bytes: &[u8] = bytemuck::cast_slice(&canvas.vertices);
        let size = bytes.len() as u64;
        if self.used + size > self.capacity {
            // Earlier passes this frame keep the old buffer alive.
            self.capacity = (self.used + size).max(size * 2).next_power_of_two();
            self.buffer = Self::buffer(device, self.capacity);
            self.used = 0;
        }
        let start = self.used;
        queue.write_buffer(&self.buffer, start, bytes);
        self.used += size;
        Some(start..start + size)
    }

    /// Records `canvas`'s draws (uploaded to `slice`) into `pass`, one draw
    /// per run of triangles with the same blend; `frame_alpha` blends the
    /// frame's alpha channel too, as butterchurn (after
    /// [`Overlay::ensure_frame_alpha`]).
    pub(crate) fn draw(
        &self,
        pass: &mut wgpu::RenderPass<'_>,
        slice: std::ops::Range<u64>,
        canvas: &Canvas,
        frame_alpha: bool,
    ) {
        pass.set_vertex_buffer(0, self.buffer.slice(slice));
        let pipelines = match &self.frame_alpha {
            Some(butterchurn) if frame_alpha => butterchurn,
            _ => &self.pipelines,
        };
        for (kind, range) in &canvas.batches {
            pass.set_pipeline(&pipelines[kind.index()]);
            pass.draw(range.clone(), 0..1);
        }
    }
}

/// MilkDrop's `SmoothWave`: a 4-tap spline through the points, inserting
/// one point between each pair (n points become 2n - 1).
pub fn smooth_wave(points: &[Point]) -> Vec<Point> {
    const C1: f32 = -0.15;
    const C2: f32 = 1.15;
    const C3: f32 = 1.15;
    const C4: f32 = -0.15;
    let inv_sum = 1.0 / (C1 + C2 + C3 + C4);
    let n = points.len();
    if n < 2 {
        return points.to_vec();
    }
    let mut out = Vec::with_capacity(n * 2);
    let mut below = 0;
    for i in 0..n - 1 {
        let above = i + 1;
        let above2 = (i + 2).min(n - 1);
        let (p0, p1, p2, p3) = (points[below], points[i], points[above], points[above2]);
        out.push(p1);
        out.push(Point {
            x: (C1 * p0.x + C2 * p1.x + C3 * p2.x + C4 * p3.x) * inv_sum,
            y: (C1 * p0.y + C2 * p1.y + C3 * p2.y + C4 * p3.y) * inv_sum,
            color: p1.color,
        });
        below = i;
    }
    out.push(points[n - 1]);
    out
}

/// Which of MilkDrop 2's alpha factors the faint modes (2, 3 and 5) take at
/// a texture `width`: `DrawWave` switches on `m_nTexSizeX` with cases for
/// 256, 512, 1024 and 2048 only. MilkDrop 2's default texture size is the
/// window's (`m_bTexSizeWasAutoExact`, snapped up to 16 pixels), so at any
/// other width no case matches and the wave keeps `wave_a` (mode 3: `wave_a
/// * 1.3 * treb^2`), as most MilkDrop 2 users saw it.
fn size_bucket(width: u32) -> Option<usize> {
    match width {
        256 => Some(0),
        512 => Some(1),
        1024 => Some(2),
        2048 => Some(3),
        _ => None,
    }
}

/// Which of butterchurn's alpha factors the faint modes take at a texture
/// `width`: one below 1024, one below 2048, one from there up.
fn butterchurn_size_range(width: u32) -> usize {
    match width {
        ..1024 => 0,
        1024..2048 => 1,
        _ => 2,
    }
}

/// One wave mode's drawing: its points (a second line from the index given
/// on, if any) and its alpha.
type WaveShape = (Vec<(f32, f32)>, Option<usize>, f32);

/// A blend's morph of the main wave from the outgoing preset's wave mode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaveMorph {
    /// The outgoing preset's wave mode: its file's `nWaveMode` (MilkDrop
    /// 2's `m_nOldWaveMode`).
    pub from_mode: i64,
    /// How far the blend is along its cosine, 0..1 (MilkDrop 2's
    /// `CosineInterp(m_fBlendProgress)`).
    pub mix: f32,
}

/// The main waveform ("DrawWave"), in wave mode `wave_mode % 8`; during a
/// blend (`morph`), morphed from the outgoing preset's mode as MilkDrop 2
/// does, and a mode 0 circle left open.
///
/// `base` gives the values MilkDrop reads from the file rather than per
/// frame (wave scale and smoothing, alpha by volume); `aspect` is
/// MilkDrop's `m_fAspectX/Y` ([`crate::mesh::aspect`]).
// MilkDrop's own 6.28 and 3.1416, not TAU and PI.
#[allow(clippy::approx_constant, clippy::too_many_arguments)]
pub fn draw_main_wave(
    canvas: &mut Canvas,
    v: &DrawVars,
    base: &BaseValues,
    audio: &AudioFrame,
    time: f64,
    aspect: [f32; 2],
    rules: MainWaveRules,
    morph: Option<WaveMorph>,
) {
    let [aspect_x, aspect_y] = aspect;
    let window = rules.window;
    let butterchurn = window == WaveWindow::Butterchurn;
    let samples = window.samples();
    let time = time as f32;
    // Scale and smooth the samples as MilkDrop does before drawing.
    let scale = base.wave_scale as f32 / 128.0;
    let smooth = base.wave_smoothing as f32;
    let prepare = |raw: &[f32]| -> Vec<f32> {
        let mut f = Vec::with_capacity(raw.len());
        let mut prev = 0.0;
        for (i, &s) in raw.iter().enumerate() {
            let s = s * MILKDROP_WAVE_SCALE;
            let value = if i == 0 {
                s * scale
            } else {
                s * scale * (1.0 - smooth) + prev * smooth
            };
            f.push(value);
            prev = value;
        }
        f
    };
    let fl = prepare(&audio.wave[0]);
    let fr = prepare(&audio.wave[1]);
    // butterchurn wraps reads past its window ("(i + 32) % length").
    let sample = |f: &[f32], i: usize| {
        let i = if butterchurn { i % samples } else { i };
        f.get(i).copied().unwrap_or(0.0)
    };

    let clamp01 = |c: f64| (c as f32).clamp(0.0, 1.0);
    let (mut cr, mut cg, mut cb) = (clamp01(v.wave_r), clamp01(v.wave_g), clamp01(v.wave_b));
    if cr.is_nan() || cg.is_nan() || cb.is_nan() {
        return;
    }
    if v.wave_brighten != 0.0 {
        let max = cr.max(cg).max(cb);
        if max > 0.01 {
            cr /= max;
            cg /= max;
            cb /= max;
        }
    }
    let pos_x = v.wave_x as f32 * 2.0 - 1.0;
    let pos_y = v.wave_y as f32 * 2.0 - 1.0;
    let wave = (v.wave_mode as i64) % 8; // C's truncating `(int)x % 8`
    if wave < 0 {
        return;
    }
    let bucket = size_bucket(canvas.width());
    let tex_w = canvas.width() as usize;
    // One wave mode's points (a second line from `split` on, if any) and
    // its alpha, clamped (MilkDrop 2's `DrawWave` loop over `its`).
    let shape = |wave: i64| -> Option<WaveShape> {
        let mut param = v.wave_mystery as f32;
        if matches!(wave, 0 | 1 | 4) && !(-1.0..=1.0).contains(&param) {
            param = param * 0.5 + 0.5;
            param -= param.floor();
            param = param.abs() * 2.0 - 1.0;
        }
        let mut alpha = v.wave_a as f32;
        let mut verts: Vec<(f32, f32)> = Vec::with_capacity(samples + 1);
        let mut split = None;
        match wave {
            0 => {
                // MilkDrop 2: n points over 6.28 rad, the first tenth blended
                // with the samples n further on, and the first point again to
                // close the loop. butterchurn: the same with n + 1 points, the
                // last being the first, over 2 pi, centred on n + 1 samples.
                let n = samples / 2;
                let (count, inv, turn) = if butterchurn {
                    (n + 1, 1.0 / n as f32, std::f32::consts::TAU)
                } else {
                    (n, 1.0 / (n - 1) as f32, 6.28)
                };
                let offset = (samples - count) / 2;
                for i in 0..n {
                    let mut rad = 0.5 + 0.4 * sample(&fr, i + offset) + param;
                    let ang = i as f32 * inv * turn + time * 0.2;
                    if (i as f32) < count as f32 / 10.0 {
                        let mix = i as f32 / (count as f32 * 0.1);
                        let mix = 0.5 - 0.5 * (mix * 3.1416).cos();
                        let rad2 = 0.5 + 0.4 * sample(&fr, i + count + offset) + param;
                        rad = rad2 * (1.0 - mix) + rad * mix;
                    }
                    verts.push((
                        rad * ang.cos() * aspect_y + pos_x,
                        rad * ang.sin() * aspect_x + pos_y,
                    ));
                }
                // (Left open during a blend, as MilkDrop 2 does.)
                if morph.is_none() {
                    verts.push(verts[0]);
                }
            }
            1 => {
                alpha *= 1.25;
                for i in 0..samples / 2 {
                    let rad = 0.53 + 0.43 * sample(&fr, i) + param;
                    let ang = sample(&fl, i + 32) * 1.57 + time * 2.3;
                    verts.push((
                        rad * ang.cos() * aspect_y + pos_x,
                        rad * ang.sin() * aspect_x + pos_y,
                    ));
                }
            }
            2 | 3 | 5 => {
                match (rules.sizes, wave == 3) {
                    (WaveSizes::MilkDrop, true) => {
                        if let Some(bucket) = bucket {
                            alpha = [0.075, 0.150, 0.220, 0.330][bucket];
                        }
                    }
                    (WaveSizes::MilkDrop, false) => {
                        if let Some(bucket) = bucket {
                            alpha *= [0.07, 0.09, 0.11, 0.13][bucket];
                        }
                    }
                    (WaveSizes::Butterchurn, true) => {
                        alpha *= [0.15, 0.22, 0.33][butterchurn_size_range(canvas.width())];
                    }
                    (WaveSizes::Butterchurn, false) => {
                        alpha *= [0.09, 0.11, 0.13][butterchurn_size_range(canvas.width())];
                    }
                }
                if wave == 3 {
                    // MilkDrop 2's `treble_rel` is `mysound.imm[2]`, the
                    // absolute treble level (tens to hundreds), not `treb`: the
                    // alpha is clamped to 1 for any audible treble.
                    alpha *= 1.3;
                    alpha *= audio.imm[2] * audio.imm[2];
                }
                let (cos_rot, sin_rot) = ((time * 0.3).cos(), (time * 0.3).sin());
                for i in 0..samples {
                    let (l0, r0) = (sample(&fl, i), sample(&fr, i));
                    let (l1, r1) = (sample(&fl, i + 32), sample(&fr, i + 32));
                    if wave == 5 {
                        let x0 = r0 * l1 + l0 * r1;
                        let y0 = r0 * r0 - l1 * l1;
                        let x = x0 * cos_rot - y0 * sin_rot;
                        let y = x0 * sin_rot + y0 * cos_rot;
                        verts.push(if rules.mode5_scaled_by_position {
                            (x * (aspect_y + pos_x), y * (aspect_x + pos_y))
                        } else {
                            (x * aspect_y + pos_x, y * aspect_x + pos_y)
                        });
                    } else {
                        verts.push((r0 * aspect_y + pos_x, l1 * aspect_x + pos_y));
                    }
                }
            }
            4 => {
                let n = samples.min(tex_w / 3);
                if n < 2 {
                    return None;
                }
                let offset = (samples - n) / 2;
                let w1 = 0.45 + 0.5 * (param * 0.5 + 0.5);
                let w2 = 1.0 - w1;
                let inv = 1.0 / n as f32;
                for i in 0..n {
                    let mut x = -1.0 + 2.0 * (i as f32 * inv) + pos_x;
                    let mut y = sample(&fl, i + offset) * 0.47 + pos_y;
                    x += sample(&fr, i + 25 + offset) * 0.44;
                    if i > 1 {
                        // momentum
                        x = x * w2 + w1 * (verts[i - 1].0 * 2.0 - verts[i - 2].0);
                        y = y * w2 + w1 * (verts[i - 1].1 * 2.0 - verts[i - 2].1);
                    }
                    verts.push((x, y));
                }
            }
            _ => {
                // 6: one channel along a line at angle `param`, slid by
                // wave_x; 7: both channels, wave_y setting their separation.
                let n = (samples / 2).min(tex_w / 3);
                if n < 2 {
                    return None;
                }
                let offset = (samples - n) / 2;
                let ang = 1.57 * param;
                let (dx, dy) = (ang.cos(), ang.sin());
                let (px, py) = ((ang + 1.57).cos(), (ang + 1.57).sin());
                let mut ex = [pos_x * px - dx * 3.0, pos_x * px + dx * 3.0];
                let mut ey = [pos_x * py - dy * 3.0, pos_x * py + dy * 3.0];
                for i in 0..2 {
                    // Clip each end against the screen, a bit leniently.
                    for edge in 0..4 {
                        let (value, other, limit) = match edge {
                            0 | 1 => (ex[i], ex[1 - i], if edge == 0 { 1.1 } else { -1.1 }),
                            _ => (ey[i], ey[1 - i], if edge == 2 { 1.1 } else { -1.1 }),
                        };
                        let outside = if limit > 0.0 {
                            value > limit
                        } else {
                            value < limit
                        };
                        if outside {
                            let t = (limit - other) / (value - other);
                            let (ddx, ddy) = (ex[i] - ex[1 - i], ey[i] - ey[1 - i]);
                            ex[i] = ex[1 - i] + ddx * t;
                            ey[i] = ey[1 - i] + ddy * t;
                        }
                    }
                }
                let dx = (ex[1] - ex[0]) / n as f32;
                let dy = (ey[1] - ey[0]) / n as f32;
                let ang2 = dy.atan2(dx);
                let (perp_x, perp_y) = ((ang2 + 1.57).cos(), (ang2 + 1.57).sin());
                let along = |i: usize, d: f32| {
                    (
                        ex[0] + dx * i as f32 + perp_x * d,
                        ey[0] + dy * i as f32 + perp_y * d,
                    )
                };
                if wave == 6 {
                    for i in 0..n {
                        verts.push(along(i, 0.25 * sample(&fl, i + offset)));
                    }
                } else {
                    let sep = (pos_y * 0.5 + 0.5).powi(2);
                    for i in 0..n {
                        verts.push(along(i, 0.25 * sample(&fl, i + offset) + sep));
                    }
                    for i in 0..n {
                        verts.push(along(i, 0.25 * sample(&fr, i + offset) - sep));
                    }
                    split = Some(n);
                }
            }
        }
        if base.mod_wave_alpha_by_volume {
            let vol = (audio.bass + audio.mid + audio.treb) * 0.333;
            let start = base.mod_wave_alpha_start as f32;
            let end = base.mod_wave_alpha_end as f32;
            alpha *= (vol - start) / (end - start);
        }
        if alpha.is_nan() {
            return None;
        }
        Some((verts, split, alpha.clamp(0.0, 1.0)))
    };
    let Some((mut verts, mut split, mut alpha)) = shape(wave) else {
        return;
    };
    // During a blend from another wave mode MilkDrop 2 draws the new mode's
    // points moved towards the old mode's (resampled to as many) and mixes
    // the alphas, along the blend's cosine.
    if let Some(WaveMorph { from_mode, mix }) = morph
        && from_mode >= 0
        && from_mode % 8 != wave
        && let Some((old, old_split, old_alpha)) = shape(from_mode % 8)
        && old.len() >= 2
    {
        let step = (old.len() - 1) as f32 / verts.len() as f32;
        for (i, vert) in verts.iter_mut().enumerate() {
            let at = i as f32 * step;
            let k = (at as usize).min(old.len() - 2);
            let (x, y) = if old_split.is_some_and(|b| k + 1 == b) {
                // The old wave's break: its last point before it, and the
                // new wave breaks there too.
                split = Some(i + 1);
                old[k]
            } else {
                let t = at - k as f32;
                (
                    old[k].0 * (1.0 - t) + old[k + 1].0 * t,
                    old[k].1 * (1.0 - t) + old[k + 1].1 * t,
                )
            };
            *vert = (
                vert.0 * mix + x * (1.0 - mix),
                vert.1 * mix + y * (1.0 - mix),
            );
        }
        alpha = alpha * mix + old_alpha * (1.0 - mix);
    }
    if alpha < 0.004 {
        return;
    }
    let color = [quantize(cr), quantize(cg), quantize(cb), quantize(alpha)];
    // MilkDrop negates y here ("to stay consistent with the pre-VMS
    // milkdrop"), which makes its main wave use the same `1 - 2y` clip
    // mapping as custom waves and shapes. MilkDrop's clip y points the other
    // way from ours relative to the picture (see `crate::shapes`), so the
    // two negations cancel: wave_y = 1 is the top, as a shape's y = 1.
    let points: Vec<Point> = verts
        .iter()
        .map(|&(x, y)| Point::new(x, y, color))
        .collect();
    let parts = match split {
        Some(n) => vec![smooth_wave(&points[..n]), smooth_wave(&points[n..])],
        None => vec![smooth_wave(&points)],
    };

    let blend = Blend::additive(v.wave_additive != 0.0);
    let dots = v.wave_usedots != 0.0;
    let thick = (v.wave_thick != 0.0 || dots)
        && (rules.sizes == WaveSizes::Butterchurn || canvas.width() >= 512);
    let s = canvas.scale();
    if dots && thick {
        for part in &parts {
            canvas.brushed_dots(blend, part, s, s);
        }
    } else if dots {
        for part in &parts {
            canvas.dots(blend, part, s, [0.0, 0.0]);
        }
    } else if thick {
        // (MilkDrop draws the whole wave once per brush step; the parts
        // of a split wave do not overlap.)
        for part in &parts {
            canvas.brushed_line_strip(blend, part, s, s);
        }
    } else {
        for part in &parts {
            canvas.line_strip(blend, part, s, [0.0, 0.0]);
        }
    }
}

/// The 4 custom waves ("DrawCustomWaves"): each enabled wave's per-frame
/// code, its samples (waveform or spectrum, smoothed), its per-point code,
/// then lines or dots. Blocks that run past their budget are added to
/// `overruns`. Colour channels past 0..1 wrap as in MilkDrop 2, or with
/// `clamp_colours` are clamped as in butterchurn; alphas are multiplied by
/// `alpha_mult` first (a preset's share of a blend, 1 outside one).
#[allow(clippy::too_many_arguments)]
pub fn draw_custom_waves(
    canvas: &mut Canvas,
    code: &mut PresetCode,
    overruns: &mut Vec<BlockId>,
    inputs: &FrameInputs,
    audio: &AudioFrame,
    aspect: [f32; 2],
    clamp_colours: bool,
    window: WaveWindow,
    alpha_mult: f64,
) {
    let channel = |v: f64| colour_bytes::channel(v, clamp_colours);
    let wave_scale = code.base.wave_scale;
    for k in 0..code.waves.len() {
        let params = code.waves[k].params.clone();
        if !params.enabled {
            continue;
        }
        overruns.extend(code.run_wave_frame(k, inputs));
        let PresetCode { waves, globals, .. } = &mut *code;
        let w = &mut waves[k];
        // Waves without code have no per-frame context: their file values.
        let [r, g, b, a, samples] = if w.frame.is_empty() {
            [
                params.r,
                params.g,
                params.b,
                params.a,
                f64::from(params.samples),
            ]
        } else {
            ["r", "g", "b", "a", "samples"].map(|n| w.frame.get_named(n))
        };
        let sep = i64::from(params.sep);
        // butterchurn draws `sep` fewer points (`this.samples -= sep`);
        // MilkDrop 2's `nSamples -= sep` is overwritten by the per-frame
        // code's `samples` before it is used.
        let n = match window {
            WaveWindow::MilkDrop => (samples as i64).min(512),
            WaveWindow::Butterchurn => (samples as i64).min(512) - sep,
        };
        if !(n >= 2 || (params.use_dots && n >= 1)) {
            continue;
        }
        let n = n as usize;

        // The samples, as MilkDrop picks, smooths and scales them.
        let spectrum = params.spectrum;
        let max_samples: i64 = if spectrum {
            512
        } else {
            window.samples() as i64
        };
        let mult = if spectrum { 0.15 } else { 0.004 } * params.scaling * wave_scale;
        let (j0, j1) = if spectrum {
            (0, 0)
        } else if window == WaveWindow::Butterchurn {
            // `Math.floor((maxSamples - samples) / 2 -+ sep / 2)`.
            let mid = (max_samples - n as i64) as f64 / 2.0;
            let half = sep as f64 / 2.0;
            ((mid - half).floor() as i64, (mid + half).floor() as i64)
        } else {
            let mid = (max_samples - n as i64) / 2;
            (mid - sep / 2, mid + sep / 2)
        };
        let step = if spectrum {
            (max_samples - sep) as f32 / n as f32
        } else {
            1.0
        };
        let source = |ch: usize, idx: i64| -> f64 {
            if spectrum {
                let s = &audio.spectrum[ch];
                f64::from(s[idx.clamp(0, s.len() as i64 - 1) as usize])
            } else {
                let s = &audio.wave[ch];
                f64::from(s[idx.clamp(0, s.len() as i64 - 1) as usize] * MILKDROP_WAVE_SCALE)
            }
        };
        let mix1 = (params.smoothing as f32 * 0.98).powf(0.5) as f64;
        let mix2 = 1.0 - mix1;
        let mut data = [vec![0.0f64; n], vec![0.0f64; n]];
        for (ch, start) in [(0, j0), (1, j1)] {
            let d = &mut data[ch];
            d[0] = source(ch, start);
            for j in 1..n {
                let idx = (j as f32 * step) as i64 + start;
                d[j] = source(ch, idx) * mix2 + d[j - 1] * mix1;
            }
            for j in (0..n - 1).rev() {
                d[j] = d[j] * mix2 + d[j + 1] * mix1;
            }
            for v in d.iter_mut() {
                *v *= mult;
            }
        }
        let [value1, value2] = data;

        // Per-point code.
        let j_mult = if n > 1 { 1.0 / (n - 1) as f64 } else { 0.0 };
        let sample: Vec<f64> = (0..n).map(|j| j as f64 * j_mult).collect();
        let mut xs: Vec<f64> = value1.iter().map(|v| 0.5 + v).collect();
        let mut ys: Vec<f64> = value2.iter().map(|v| 0.5 + v).collect();
        let mut rs = vec![r; n];
        let mut gs = vec![g; n];
        let mut bs = vec![b; n];
        let mut as_ = vec![a; n];
        if let Some(program) = &w.per_point {
            let ids: &[VarId] = &w.point_inputs;
            let (x0, y0) = (xs.clone(), ys.clone());
            let varying = [
                (ids[0], sample.as_slice()),
                (ids[1], value1.as_slice()),
                (ids[2], value2.as_slice()),
                (ids[3], x0.as_slice()),
                (ids[4], y0.as_slice()),
            ];
            let reset = [(ids[5], r), (ids[6], g), (ids[7], b), (ids[8], a)];
            let mut outputs = [
                (ids[3], xs.as_mut_slice()),
                (ids[4], ys.as_mut_slice()),
                (ids[5], rs.as_mut_slice()),
                (ids[6], gs.as_mut_slice()),
                (ids[7], bs.as_mut_slice()),
                (ids[8], as_.as_mut_slice()),
            ];
            let mut job = VertexJob {
                count: n,
                varying: &varying,
                reset: &reset,
                outputs: &mut outputs,
            };
            globals.select_rand_script(BlockId::WavePerPoint(k).index());
            if program
                .run(&mut w.point, globals, &mut job, VertexMode::Auto)
                .is_err()
            {
                overruns.push(BlockId::WavePerPoint(k));
            }
        }

        let (inv_ax, inv_ay) = (1.0 / aspect[0], 1.0 / aspect[1]);
        let points: Vec<Point> = (0..n)
            .map(|j| {
                Point::new(
                    (xs[j] as f32 * 2.0 - 1.0) * inv_ax,
                    // MilkDrop's `y * -2 + 1`, in our clip y (see the
                    // main wave): y = 1 is the top, as for shapes.
                    (ys[j] as f32 * 2.0 - 1.0) * inv_ay,
                    [
                        channel(rs[j]),
                        channel(gs[j]),
                        channel(bs[j]),
                        channel(as_[j] * alpha_mult),
                    ],
                )
            })
            .collect();

        let blend = Blend::additive(params.additive);
        let s = canvas.scale();
        if params.use_dots {
            let size = if canvas.width() >= 1024 { 2.0 } else { 1.0 }
                + if params.draw_thick { 1.0 } else { 0.0 };
            canvas.dots(blend, &points, size * s, [0.0, 0.0]);
        } else {
            let points = smooth_wave(&points);
            if params.draw_thick {
                canvas.brushed_line_strip(blend, &points, s, s);
            } else {
                canvas.line_strip(blend, &points, s, [0.0, 0.0]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pixels `diamond_line` lights for a line between two points in
    /// framebuffer pixels, on a 64x48 canvas whose pixel centres are at
    /// half-integer coordinates (the rule's own geometry; Direct3D 9's
    /// integer centres are the same rule moved half a pixel).
    fn diamond_pixels(a: (f32, f32), b: (f32, f32)) -> Vec<(i32, i32)> {
        let mut canvas = Canvas::new(64, 48);
        canvas.set_pixel_centres(PixelCentres::HalfInteger);
        let at =
            |(x, y): (f32, f32)| Point::new(x / 64.0 * 2.0 - 1.0, 1.0 - y / 48.0 * 2.0, [1.0; 4]);
        canvas.diamond_line(Blend::Alpha, at(a), at(b));
        // Each pixel a quad (six vertices); its top-left corner.
        canvas
            .vertices
            .chunks(6)
            .map(|q| {
                let (x, y) = canvas.to_pixels(q[0].pos[0], q[0].pos[1]);
                (x.round() as i32, y.round() as i32)
            })
            .collect()
    }

    #[test]
    fn short_lines_light_the_pixels_direct3d_9s_diamond_rule_lights() {
        // A minimum motion vector, one pixel right and down from a pixel
        // centre: it leaves only the first pixel's diamond.
        assert_eq!(diamond_pixels((10.5, 10.5), (11.5, 11.5)), [(10, 10)]);
        // Three pixels across from a centre: the last one is where it ends.
        assert_eq!(
            diamond_pixels((10.5, 20.5), (13.5, 20.5)),
            [(10, 20), (11, 20), (12, 20)]
        );
        // Inside one diamond throughout: nothing.
        assert!(diamond_pixels((30.4, 5.5), (30.6, 5.5)).is_empty());
        // Starting off-centre, the same vector lights one or two pixels.
        let lit = diamond_pixels((40.9, 40.1), (41.9, 41.1));
        assert!(!lit.is_empty() && lit.len() <= 2, "{lit:?}");
        // Longer lines are ordinary one-pixel quads.
        let mut canvas = Canvas::new(64, 48);
        canvas.diamond_line(
            Blend::Alpha,
            Point::new(-0.9, 0.0, [1.0; 4]),
            Point::new(0.9, 0.0, [1.0; 4]),
        );
        assert_eq!(canvas.vertices.len(), 6);
    }

    #[test]
    fn brushed_and_plain_triangles_go_to_separate_draws_in_order() {
        let p = |x: f32, y: f32| Point {
            x,
            y,
            color: [1.0, 0.5, 0.25, 1.0],
        };
        let strip = [p(-0.5, 0.0), p(0.0, 0.2), p(0.5, 0.0)];
        let mut canvas = Canvas::new(64, 48);
        canvas.triangle(Blend::Alpha, [p(0.0, 0.0), p(1.0, 0.0), p(0.0, 1.0)]);
        canvas.brushed_line_strip(Blend::Alpha, &strip, 2.0, 1.0);
        canvas.line_strip(Blend::Alpha, &strip, 1.0, [0.0; 2]);
        canvas.brushed_dots(Blend::Additive, &strip, 2.0, 1.0);
        let kinds: Vec<(Blend, bool)> = canvas
            .batches
            .iter()
            .map(|(k, _)| (k.blend, k.brushed))
            .collect();
        assert_eq!(
            kinds,
            [
                (Blend::Alpha, false),
                (Blend::Alpha, true),
                (Blend::Alpha, false),
                (Blend::Additive, true)
            ]
        );
        // The runs cover every vertex, in order, and each run's vertices
        // are of its kind.
        let mut next = 0;
        for (kind, range) in &canvas.batches {
            assert_eq!(range.start, next);
            next = range.end;
            let brushed = canvas.vertices[range.start as usize..range.end as usize]
                .iter()
                .all(|v| (v.brush[0] != PLAIN) == kind.brushed);
            assert!(brushed, "{kind:?}");
        }
        assert_eq!(next as usize, canvas.vertices.len());
        let indices: Vec<usize> = canvas.batches.iter().map(|(k, _)| k.index()).collect();
        assert_eq!(indices, [0, 2, 0, 3]);
    }

    /// The main wave in `mode` on a `width` x 240 canvas, with `wave_a` 0.5,
    /// `wave_thick` as given and treble at 2 (relative and absolute), drawn
    /// by `sizes`' rules.
    fn main_wave(mode: f64, width: u32, thick: bool, sizes: WaveSizes) -> Canvas {
        let mut canvas = Canvas::new(width, 240);
        let mut vars = [0.0; 32];
        vars[..7].copy_from_slice(&[1.0, 1.0, 1.0, 0.5, 0.5, 0.5, mode]);
        vars[9] = if thick { 1.0 } else { 0.0 };
        let mut audio = AudioFrame {
            treb: 2.0,
            imm: [1.0, 1.0, 2.0],
            ..AudioFrame::default()
        };
        for (i, s) in audio.wave[0].iter_mut().enumerate() {
            *s = (i as f32 * 0.05).sin() * 0.5;
        }
        audio.wave[1] = audio.wave[0];
        let base = BaseValues::default();
        draw_main_wave(
            &mut canvas,
            &DrawVars::from_array(vars),
            &base,
            &audio,
            0.0,
            [1.0, 1.0],
            MainWaveRules {
                window: WaveWindow::MilkDrop,
                sizes,
                mode5_scaled_by_position: false,
            },
            None,
        );
        canvas
    }

    /// The alpha of [`main_wave`]'s vertices (not thick).
    fn main_wave_alpha(mode: f64, width: u32, sizes: WaveSizes) -> f32 {
        main_wave(mode, width, false, sizes).vertices[0].color[3]
    }

    /// How far from the centre the mode-0 (circle) main wave reaches with
    /// silence but for one right-channel sample `spike`, read from `window`.
    fn circle_reach(spike: Option<usize>, window: WaveWindow) -> f32 {
        let mut canvas = Canvas::new(320, 240);
        let mut vars = [0.0; 32];
        vars[..7].copy_from_slice(&[1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.0]);
        let mut audio = AudioFrame::default();
        if let Some(i) = spike {
            audio.wave[1][i] = 0.5;
        }
        let base = BaseValues {
            wave_smoothing: 0.0,
            ..BaseValues::default()
        };
        let vars = DrawVars::from_array(vars);
        let rules = MainWaveRules {
            window,
            sizes: WaveSizes::MilkDrop,
            mode5_scaled_by_position: false,
        };
        draw_main_wave(
            &mut canvas,
            &vars,
            &base,
            &audio,
            0.0,
            [1.0, 1.0],
            rules,
            None,
        );
        canvas
            .vertices
            .iter()
            .map(|v| v.pos[0].hypot(v.pos[1]))
            .fold(0.0, f32::max)
    }

    /// The vertical reach (largest |clip y|) and the alpha of the main wave
    /// in `mode`, morphing from `morph` (silence: mode 0 a circle of radius
    /// 0.5, mode 6 a flat line through the centre).
    fn morphed(mode: f64, morph: Option<WaveMorph>) -> (f32, f32, usize) {
        let mut canvas = Canvas::new(320, 240);
        let mut vars = [0.0; 32];
        vars[..7].copy_from_slice(&[1.0, 1.0, 1.0, 1.0, 0.5, 0.5, mode]);
        let base = BaseValues {
            wave_smoothing: 0.0,
            ..BaseValues::default()
        };
        let rules = MainWaveRules {
            window: WaveWindow::MilkDrop,
            sizes: WaveSizes::MilkDrop,
            mode5_scaled_by_position: false,
        };
        let vars = DrawVars::from_array(vars);
        let audio = AudioFrame::default();
        draw_main_wave(
            &mut canvas,
            &vars,
            &base,
            &audio,
            0.0,
            [1.0, 1.0],
            rules,
            morph,
        );
        let reach = canvas
            .vertices
            .iter()
            .map(|v| v.pos[1].abs())
            .fold(0.0, f32::max);
        let alpha = canvas.vertices.first().map_or(0.0, |v| v.color[3]);
        (reach, alpha, canvas.vertices.len())
    }

    #[test]
    fn a_blend_morphs_the_main_wave_from_the_old_mode() {
        let from_circle = |mix: f32| morphed(6.0, Some(WaveMorph { from_mode: 0, mix }));
        let (line, line_alpha, _) = morphed(6.0, None);
        let (circle, _, _) = morphed(0.0, None);
        assert!(
            line < 0.02 && (circle - 0.5).abs() < 0.02,
            "{line} {circle}"
        );
        // All the way: the new mode; not at all: the old one's points.
        assert!((from_circle(1.0).0 - line).abs() < 1e-3);
        assert!(
            (from_circle(0.0).0 - circle).abs() < 0.03,
            "{:?}",
            from_circle(0.0)
        );
        // Half way: half way between them.
        let (half, half_alpha, _) = from_circle(0.5);
        assert!((half - 0.25).abs() < 0.03, "{half}");
        // Alphas mix too (mode 6 and mode 0 draw at the same alpha here).
        assert!((half_alpha - line_alpha).abs() < 0.01);
        // The same mode: no morph, but MilkDrop 2 leaves a circle open
        // while blending (one point fewer, one segment fewer).
        let closed = morphed(0.0, None).2;
        let open = morphed(
            0.0,
            Some(WaveMorph {
                from_mode: 0,
                mix: 0.3,
            }),
        )
        .2;
        assert!(open < closed, "{open} vs {closed}");
    }

    #[test]
    fn the_circle_wave_reads_milkdrops_or_butterchurns_window() {
        use WaveWindow::{Butterchurn, MilkDrop};
        // MilkDrop 2 reads samples 120..384 of its 480 (240 points from
        // the middle, the first tenth blended with those 240 on);
        // butterchurn 127..410 of its 512 (256 points from the middle of
        // 257, blended with those 257 on).
        for window in [MilkDrop, Butterchurn] {
            let quiet = circle_reach(None, window);
            assert!((quiet - 0.5).abs() < 0.02, "{window:?}: {quiet}");
            let moved = |i| circle_reach(Some(i), window) > quiet + 0.05;
            // 395: butterchurn's blend only; 360: MilkDrop 2's first
            // point (all blend), butterchurn's point 233.
            assert_eq!(moved(395), window == Butterchurn, "{window:?}");
            assert!(moved(360) && moved(250), "{window:?}");
            assert!(!moved(100) && !moved(420), "{window:?}");
        }
    }

    #[test]
    fn faint_modes_scale_alpha_only_at_milkdrops_four_texture_widths() {
        // Within one step of 255: colours become bytes on the way.
        let alpha_is = |mode: f64, width: u32, want: f32| {
            let got = main_wave_alpha(mode, width, WaveSizes::MilkDrop);
            assert!(
                (got - want).abs() <= 1.0 / 255.0,
                "mode {mode} at {width}: {got}, want {want}"
            );
        };
        // Mode 3 replaces wave_a at 256/512/1024/2048 and keeps it at any
        // other width (MilkDrop 2's switch on m_nTexSizeX has no default);
        // then times 1.3 treb^2.
        alpha_is(3.0, 512, 0.150 * 1.3 * 4.0);
        alpha_is(3.0, 256, 0.075 * 1.3 * 4.0);
        alpha_is(3.0, 320, 1.0);
        alpha_is(3.0, 1920, 1.0);
        // Modes 2 and 5 multiply wave_a.
        alpha_is(2.0, 1024, 0.5 * 0.11);
        alpha_is(5.0, 2048, 0.5 * 0.13);
        alpha_is(2.0, 640, 0.5);
        alpha_is(5.0, 1280, 0.5);
    }

    #[test]
    fn butterchurns_faint_modes_scale_alpha_by_width_range() {
        let alpha_is = |mode: f64, width: u32, want: f32| {
            let got = main_wave_alpha(mode, width, WaveSizes::Butterchurn);
            assert!(
                (got - want).abs() <= 1.0 / 255.0,
                "mode {mode} at {width}: {got}, want {want}"
            );
        };
        // Mode 3 multiplies wave_a (0.5), then times 1.3 treb^2.
        alpha_is(3.0, 512, 0.5 * 0.15 * 1.3 * 4.0);
        alpha_is(3.0, 320, 0.5 * 0.15 * 1.3 * 4.0);
        alpha_is(3.0, 1920, 0.5 * 0.22 * 1.3 * 4.0);
        alpha_is(2.0, 256, 0.5 * 0.09);
        alpha_is(5.0, 1280, 0.5 * 0.11);
        alpha_is(2.0, 4096, 0.5 * 0.13);
    }

    #[test]
    fn butterchurns_mode_5_grows_with_the_position_where_milkdrop_2s_moves() {
        // wave_x 0.75 puts the figure's centre half a screen right in
        // MilkDrop 2; butterchurn scales it by 1 + 0.5 about the centre.
        let extent = |scaled: bool| {
            let mut canvas = Canvas::new(320, 240);
            let mut vars = [0.0; 32];
            vars[..7].copy_from_slice(&[1.0, 1.0, 1.0, 1.0, 0.75, 0.5, 5.0]);
            let mut audio = AudioFrame::default();
            for (i, s) in audio.wave[0].iter_mut().enumerate() {
                *s = (i as f32 * 0.05).sin() * 0.5;
            }
            for (i, s) in audio.wave[1].iter_mut().enumerate() {
                *s = (i as f32 * 0.031).cos() * 0.5;
            }
            let rules = MainWaveRules {
                mode5_scaled_by_position: scaled,
                ..MainWaveRules::default()
            };
            let base = BaseValues::default();
            let vars = DrawVars::from_array(vars);
            draw_main_wave(
                &mut canvas,
                &vars,
                &base,
                &audio,
                0.0,
                [1.0, 1.0],
                rules,
                None,
            );
            let xs = canvas.vertices.iter().map(|v| v.pos[0]);
            let (lo, hi) = xs.fold((f32::MAX, f32::MIN), |(lo, hi), x| (lo.min(x), hi.max(x)));
            (lo, hi)
        };
        let (md_lo, md_hi) = extent(false);
        let (bc_lo, bc_hi) = extent(true);
        let ratio = (bc_hi - bc_lo) / (md_hi - md_lo);
        assert!((ratio - 1.5).abs() < 0.1, "{ratio}");
        let (md_mid, bc_mid) = ((md_lo + md_hi) / 2.0, (bc_lo + bc_hi) / 2.0);
        assert!(md_mid - bc_mid > 0.3, "{md_mid} {bc_mid}");
    }

    #[test]
    fn thick_main_waves_are_brushed_from_512_in_milkdrop_2_and_always_in_butterchurn() {
        let brushed = |width: u32, sizes: WaveSizes| {
            let canvas = main_wave(0.0, width, true, sizes);
            assert!(!canvas.is_empty());
            canvas.vertices.iter().any(|v| v.brush[0] != PLAIN)
        };
        assert!(!brushed(320, WaveSizes::MilkDrop));
        assert!(brushed(512, WaveSizes::MilkDrop));
        assert!(brushed(320, WaveSizes::Butterchurn));
        assert!(brushed(512, WaveSizes::Butterchurn));
    }

    #[test]
    fn pixel_scale_follows_the_shorter_side() {
        assert_eq!(pixel_scale(64, 48), 1.0);
        assert_eq!(pixel_scale(1024, 768), 1.0);
        assert!((pixel_scale(1920, 1080) - 1.40625).abs() < 1e-6);
        assert!((pixel_scale(3840, 2160) - 2.8125).abs() < 1e-6);
        assert!((pixel_scale(1080, 1920) - 1.40625).abs() < 1e-6);
    }

    #[test]
    fn smooth_wave_doubles_points_and_keeps_ends() {
        let c = [1.0; 4];
        let pts: Vec<Point> = (0..5).map(|i| Point::new(i as f32, 0.0, c)).collect();
        let s = smooth_wave(&pts);
        assert_eq!(s.len(), 9);
        assert_eq!(s[0].x, 0.0);
        assert_eq!(s[8].x, 4.0);
        // A straight line stays straight: the midpoint lies halfway.
        assert!((s[3].x - 1.5).abs() < 1e-6);
    }

    #[test]
    fn canvas_skips_non_finite_points() {
        let mut c = Canvas::new(64, 48);
        let ok = Point::new(0.0, 0.0, [1.0; 4]);
        let bad = Point::new(f32::NAN, 0.0, [1.0; 4]);
        let inf = Point::new(f32::INFINITY, 0.0, [1.0; 4]);
        c.line(Blend::Alpha, ok, bad, 1.0, [0.0, 0.0]);
        c.line(Blend::Alpha, inf, ok, 1.0, [0.0, 0.0]);
        c.dots(Blend::Alpha, &[bad], 1.0, [0.0, 0.0]);
        c.brushed_line_strip(Blend::Alpha, &[ok, bad, inf, ok], 1.0, 1.0);
        assert!(c.is_empty());
        let far = Point::new(1e30, 1e30, [1.0; 4]);
        c.line(Blend::Additive, ok, far, 1.0, [0.0, 0.0]);
        assert_eq!(c.triangle_count(), 2);
        // A brushed segment is one quad, whatever the brush.
        c.brushed_line_strip(Blend::Additive, &[ok, far], 1.0, 2.0);
        assert_eq!(c.triangle_count(), 4);
        assert!(
            c.vertices
                .iter()
                .all(|v| v.pos.iter().all(|p| p.is_finite()))
        );
    }
}
