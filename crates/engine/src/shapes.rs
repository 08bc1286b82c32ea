//! MilkDrop's 4 custom shapes, drawn into the new frame after the warp pass
//! (MilkDrop 2's `DrawCustomShapes` in `milkdropfs.cpp`).
//!
//! For each enabled shape, `num_inst` instances (the file's value, at most
//! [`MAX_INSTANCES`]; per-frame code cannot change it, as in MilkDrop) each run the
//! shape's per-frame code with `instance` set, then draw:
//!
//! - a fan of `sides` (3..100) triangles around (`x`, `y`) with radius
//!   `rad`, turned by `ang`; the centre has colour `r g b a`, the rim
//!   `r2 g2 b2 a2`. Colours become 8-bit values as in MilkDrop
//!   (`(int)(v * 255) & 0xFF`, so values outside 0..1 wrap around);
//! - blended with `src_alpha, 1 - src_alpha`, or `src_alpha, one` when
//!   `additive`;
//! - when `textured`, modulating the previous frame (MilkDrop's `VS[0]`, the
//!   warp pass's source), which the fan maps with the rim's texture
//!   coordinates `0.5 + 0.5 * (cos, sin)(angle + tex_ang) / tex_zoom`
//!   around the texture's centre;
//! - when `border_a > 0`, the outline in the border colour, with the same
//!   blending; `thick` draws it four times, a pixel apart (right, down,
//!   left), each copy blended on its own, as MilkDrop 2 does.
//!
//! During a blend both presets' shapes are drawn, the incoming preset's
//! first, their alphas times the blend's progress (linear) and one minus
//! it, each preset's code running with its own values.
//!
//! Geometry follows MilkDrop: the first corner sits at `ang + pi/4`, and
//! x offsets (positions and texture coordinates) are multiplied by
//! MilkDrop's `m_fAspectY` (shorter/longer side on wide images, 1 on tall
//! ones), so shapes are round on wide images and stretched on tall ones as
//! in MilkDrop. Shape `y` is 0 at the bottom and 1 at the top, and angles
//! turn clockwise on screen (MilkDrop's clip space is flipped relative to
//! its texture rows).
//!
//! Booleans (`additive`, `textured`, `thick`) are C's `(int)v != 0`. An
//! instance whose position or radius is not finite is skipped; non-finite
//! colours count as 0 and non-finite texture coordinates sample the
//! corner.
//!
//! Outline width: MilkDrop draws 1-pixel lines (thick: the line 4 times, 1
//! pixel apart, so 2 pixels wide) at the resolutions of its day. Here an
//! outline is a quad strip [`line_scale`] pixels wide (its thick copies
//! that far apart), where the scale is the shorter side of the image over
//! 540 pixels, at least 1: 1 px up to 540p, 2 px at 1080p, 4 px at 2160p.

use std::ops::Range;

use milk_parser::code::FrameInputs;

use crate::colour_bytes::{d3d_channel, unclamped_channel};
use crate::runtime::PresetRuntime;
use crate::waves::PixelCentres;

/// The most instances a shape draws: the top of MilkDrop 2's editor range
/// (1..1024). MilkDrop 2 loads a larger `num_inst` from a file as it is;
/// Kefir caps it so that a preset cannot make a frame arbitrarily slow (no
/// preset of the corpus asks for more).
pub const MAX_INSTANCES: usize = 1024;

/// Image height (shorter side) at which lines are 1 pixel wide.
pub const LINE_REFERENCE_PX: f32 = 540.0;

/// Width in pixels of a 1-pixel MilkDrop line on a `width` x `height`
/// image: the shorter side over [`LINE_REFERENCE_PX`], at least 1.
pub fn line_scale(width: u32, height: u32) -> f32 {
    (width.min(height) as f32 / LINE_REFERENCE_PX).max(1.0)
}

#[repr(C)]
#[derive(Clone, Copy, Debug, bytemuck::Pod, bytemuck::Zeroable)]
struct ShapeVertex {
    pos: [f32; 2],
    uv: [f32; 2],
    /// MilkDrop 2's byte channels (as the 0..1 values Direct3D 9 reads
    /// them as), or butterchurn's floats, which the GPU clamps after
    /// interpolating them.
    color: [f32; 4],
}

/// One draw call: a vertex range with one pipeline.
#[derive(Clone, Debug, PartialEq)]
struct Draw {
    range: Range<u32>,
    textured: bool,
    additive: bool,
}

// Indices into `SHAPE_FRAME_VARS`.
const X: usize = 0;
const Y: usize = 1;
const RAD: usize = 2;
const ANG: usize = 3;
const TEX_ANG: usize = 4;
const TEX_ZOOM: usize = 5;
const SIDES: usize = 6;
const TEXTURED: usize = 7;
const ADDITIVE: usize = 10;
const THICK: usize = 11;
const COLOR: usize = 12;
const COLOR2: usize = 16;
const BORDER: usize = 20;
const NVARS: usize = 24;

/// The four channels from `v[at..]`, the alpha times `alpha_mult` (a
/// preset's share of a blend), as MilkDrop 2's wrapped bytes or (with
/// `butterchurn`, [`crate::ButterchurnQuirks::colour_clamp`]) as
/// butterchurn's floats, which the GPU clamps after interpolating them:
/// there `a2 = 0.01` is 0.01 (MilkDrop 2's 2/255) and 1.5 stays 1.5 (126/255).
fn color(v: &[f64; NVARS], at: usize, butterchurn: bool, alpha_mult: f64) -> [f32; 4] {
    [v[at], v[at + 1], v[at + 2], v[at + 3] * alpha_mult].map(|c| {
        if butterchurn {
            unclamped_channel(c)
        } else {
            d3d_channel(c)
        }
    })
}

/// C's `(int)v != 0`.
fn flag(v: f64) -> bool {
    v.abs() >= 1.0
}

/// Clip-space coordinates far outside the screen are clamped so the
/// rasterizer never sees huge values.
const CLIP_LIMIT: f32 = 1.0e6;

/// Builds the vertices and draws of one frame's shapes.
struct Builder {
    vertices: Vec<ShapeVertex>,
    draws: Vec<Draw>,
    aspect_y: f64,
    /// Half a 1-pixel line's width in clip units, x and y.
    half_px: [f32; 2],
    /// The move in clip units for the pixel centres drawn for.
    shift: [f32; 2],
    scale: f32,
    /// Colours as butterchurn's floats (the GPU clamps them), not
    /// MilkDrop 2's wrapped bytes.
    clamp_colours: bool,
    /// What alphas are multiplied by: the preset's share of a blend (1
    /// outside blends).
    alpha_mult: f64,
}

impl Builder {
    fn push_draw(&mut self, start: usize, textured: bool, additive: bool) {
        let end = self.vertices.len() as u32;
        let start = start as u32;
        if start == end {
            return;
        }
        if let Some(last) = self.draws.last_mut()
            && last.textured == textured
            && last.additive == additive
            && last.range.end == start
        {
            last.range.end = end;
            return;
        }
        self.draws.push(Draw {
            range: start..end,
            textured,
            additive,
        });
    }

    /// One instance with its values after per-frame code.
    fn instance(&mut self, v: &[f64; NVARS]) {
        let (x, y, rad, ang) = (v[X], v[Y], v[RAD], v[ANG]);
        if !(x.is_finite() && y.is_finite() && rad.is_finite() && ang.is_finite()) {
            return;
        }
        let sides = if v[SIDES].is_nan() {
            3
        } else {
            (v[SIDES].clamp(-1.0e9, 1.0e9) as i32).clamp(3, 100) as usize
        };
        let textured = flag(v[TEXTURED]);
        let additive = flag(v[ADDITIVE]);
        // Moved for the pixel centres drawn for ([`PixelCentres`]): the
        // fill, its texture coordinates unmoved, and the outline with it.
        let centre = [
            (x * 2.0 - 1.0) as f32 + self.shift[0],
            (y * 2.0 - 1.0) as f32 + self.shift[1],
        ];
        let (tex_ang, tex_zoom) = (v[TEX_ANG], v[TEX_ZOOM]);
        let quarter = std::f64::consts::FRAC_PI_4;
        let tau = std::f64::consts::TAU;
        // MilkDrop's rim; its clip y points the other way from wgpu's
        // relative to texture rows, hence `-sin` for the position and `+sin`
        // for the texture coordinate (v grows downwards).
        let rim: Vec<([f32; 2], [f32; 2])> = (0..sides)
            .map(|j| {
                let t = j as f64 / sides as f64 * tau;
                let a = t + ang + quarter;
                let p = [
                    centre[0] as f64 + rad * a.cos() * self.aspect_y,
                    centre[1] as f64 - rad * a.sin(),
                ];
                let ta = t + tex_ang + quarter;
                let uv = [
                    0.5 + 0.5 * ta.cos() / tex_zoom * self.aspect_y,
                    0.5 + 0.5 * ta.sin() / tex_zoom,
                ];
                let clip = |c: f64| (c as f32).clamp(-CLIP_LIMIT, CLIP_LIMIT);
                let tex = |c: f64| if c.is_finite() { c as f32 } else { 0.0 };
                ([clip(p[0]), clip(p[1])], [tex(uv[0]), tex(uv[1])])
            })
            .collect();
        if rim.iter().any(|(p, _)| p.iter().any(|c| c.is_nan())) {
            return;
        }

        let c1 = color(v, COLOR, self.clamp_colours, self.alpha_mult);
        let c2 = color(v, COLOR2, self.clamp_colours, self.alpha_mult);
        // Blended by its own alpha (`src_alpha` as the source factor, also
        // for the frame's alpha channel), a fill whose alpha is 0 at the
        // centre and the rim leaves every pixel as it was: not drawn (many
        // presets hide instances with `a = 0`, and fill is what costs).
        if c1[3] > 0.0 || c2[3] > 0.0 {
            let start = self.vertices.len();
            for j in 0..sides {
                let (p0, uv0) = rim[j];
                let (p1, uv1) = rim[(j + 1) % sides];
                self.vertices.extend_from_slice(&[
                    ShapeVertex {
                        pos: centre,
                        uv: [0.5, 0.5],
                        color: c1,
                    },
                    ShapeVertex {
                        pos: p0,
                        uv: uv0,
                        color: c2,
                    },
                    ShapeVertex {
                        pos: p1,
                        uv: uv1,
                        color: c2,
                    },
                ]);
            }
            self.push_draw(start, textured, additive);
        }

        if v[BORDER + 3] > 0.0 {
            let c = color(v, BORDER, self.clamp_colours, self.alpha_mult);
            let start = self.vertices.len();
            // MilkDrop 2 draws a thick outline four times, moved a pixel
            // right, then down, then back left, each copy blended on its
            // own: most of its pixels are blended twice.
            let copies: &[[f32; 2]] = if flag(v[THICK]) {
                &[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
            } else {
                &[[0.0, 0.0]]
            };
            // One pixel is two half-pixels in clip units; clip y is up.
            let [px, py] = self.half_px.map(|h| 2.0 * h * self.scale);
            for &[right, down] in copies {
                let shift = |p: [f32; 2]| [p[0] + right * px, p[1] - down * py];
                for j in 0..sides {
                    self.line(shift(rim[j].0), shift(rim[(j + 1) % sides].0), c);
                }
            }
            self.push_draw(start, false, additive);
        }
    }

    /// A segment one (MilkDrop) pixel wide as a quad, extended by half its
    /// width at both ends so consecutive segments join.
    fn line(&mut self, a: [f32; 2], b: [f32; 2], color: [f32; 4]) {
        let [hx, hy] = self.half_px.map(|h| h * self.scale);
        // Direction in pixel units (clip / half_px).
        let d = [(b[0] - a[0]) / hx, (b[1] - a[1]) / hy];
        let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
        if !len.is_finite() || len <= 1.0e-6 {
            return;
        }
        let (ux, uy) = (d[0] / len, d[1] / len);
        let along = [ux * hx, uy * hy];
        let across = [-uy * hx, ux * hy];
        let a = [a[0] - along[0], a[1] - along[1]];
        let b = [b[0] + along[0], b[1] + along[1]];
        let corner = |p: [f32; 2], s: f32| ShapeVertex {
            pos: [p[0] + across[0] * s, p[1] + across[1] * s],
            uv: [0.0, 0.0],
            color,
        };
        let (a0, a1, b0, b1) = (
            corner(a, 1.0),
            corner(a, -1.0),
            corner(b, 1.0),
            corner(b, -1.0),
        );
        self.vertices.extend_from_slice(&[a0, a1, b0, b0, a1, b1]);
    }
}

/// One preset's shapes in a frame: its runtime, its frame's inputs, and
/// what its alphas are multiplied by (its share of a blend, 1 outside one).
pub(crate) struct ShapeLayer<'a> {
    pub runtime: &'a mut PresetRuntime,
    pub inputs: &'a FrameInputs,
    pub alpha_mult: f64,
}

/// Draws the custom shapes: pipelines, and the geometry of the current
/// frame.
pub(crate) struct ShapeRenderer {
    /// [plain alpha, plain additive, textured alpha, textured additive]
    pipelines: [wgpu::RenderPipeline; 4],
    /// The same for [`crate::ButterchurnQuirks::frame_alpha`], built when
    /// first drawn with it.
    frame_alpha_pipelines: Option<[wgpu::RenderPipeline; 4]>,
    shader: wgpu::ShaderModule,
    layout: wgpu::PipelineLayout,
    bind_layout: wgpu::BindGroupLayout,
    vertex_buffer: Option<wgpu::Buffer>,
    vertices: Vec<ShapeVertex>,
    draws: Vec<Draw>,
}

/// The four shape pipelines, in [`ShapeRenderer::pipelines`]' order;
/// `frame_alpha` blends the frame's alpha channel as the colour and has
/// textured shapes multiply by the texel's alpha, as butterchurn.
fn shape_pipelines(
    device: &wgpu::Device,
    shader: &wgpu::ShaderModule,
    layout: &wgpu::PipelineLayout,
    frame_alpha: bool,
) -> [wgpu::RenderPipeline; 4] {
    let pipeline = |textured: bool, additive: bool| {
        let dst = if additive {
            wgpu::BlendFactor::One
        } else {
            wgpu::BlendFactor::OneMinusSrcAlpha
        };
        crate::layout::render_pipeline(
            device,
            crate::layout::PipelineSpec {
                label: "kefir shape",
                layout,
                vertex: (shader, "shape_vs"),
                buffers: &[Some(wgpu::VertexBufferLayout {
                    array_stride: std::mem::size_of::<ShapeVertex>() as u64,
                    step_mode: wgpu::VertexStepMode::Vertex,
                    attributes: &wgpu::vertex_attr_array![
                        0 => Float32x2, 1 => Float32x2, 2 => Float32x4
                    ],
                })],
                fragment: (
                    shader,
                    match (textured, frame_alpha) {
                        (false, _) => "shape_fs",
                        (true, false) => "shape_textured_fs",
                        (true, true) => "shape_textured_frame_alpha_fs",
                    },
                ),
                target: crate::layout::overlay_target(dst, frame_alpha),
            },
        )
    };
    [
        pipeline(false, false),
        pipeline(false, true),
        pipeline(true, false),
        pipeline(true, true),
    ]
}

impl ShapeRenderer {
    pub(crate) fn new(device: &wgpu::Device) -> Self {
        let shader = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("kefir shapes"),
            source: wgpu::ShaderSource::Wgsl(include_str!("shapes.wgsl").into()),
        });
        let bind_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("kefir shapes"),
            entries: &[crate::layout::texture_2d(0), crate::layout::sampler(1)],
        });
        let layout = crate::layout::pipeline_layout(device, "kefir shapes", &bind_layout);
        ShapeRenderer {
            pipelines: shape_pipelines(device, &shader, &layout, false),
            frame_alpha_pipelines: None,
            shader,
            layout,
            bind_layout,
            vertex_buffer: None,
            vertices: Vec::new(),
            draws: Vec::new(),
        }
    }

    /// Builds the pipelines of [`crate::ButterchurnQuirks::frame_alpha`]
    /// if they do not exist yet.
    pub(crate) fn ensure_frame_alpha(&mut self, device: &wgpu::Device) {
        if self.frame_alpha_pipelines.is_none() {
            self.frame_alpha_pipelines =
                Some(shape_pipelines(device, &self.shader, &self.layout, true));
        }
    }

    /// True when [`ShapeRenderer::prepare`] left something to draw.
    pub(crate) fn has_draws(&self) -> bool {
        !self.draws.is_empty()
    }

    /// Runs the enabled shapes' per-frame code (after the preset's
    /// per-frame code) for every instance of every preset in `layers` (the
    /// playing one, then the one blending out) and uploads their geometry
    /// for a `size` image with MilkDrop's aspect factors `aspect`.
    pub(crate) fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        layers: &mut [ShapeLayer<'_>],
        size: (u32, u32),
        aspect: [f32; 2],
        centres: PixelCentres,
    ) {
        let half_px = [1.0 / size.0.max(1) as f32, 1.0 / size.1.max(1) as f32];
        // Half a pixel is `half_px`; clip y is up.
        let shift = [half_px[0], -half_px[1]].map(|h| h * 2.0 * centres.shift());
        let mut b = Builder {
            vertices: std::mem::take(&mut self.vertices),
            draws: std::mem::take(&mut self.draws),
            aspect_y: f64::from(aspect[1]),
            half_px,
            shift,
            scale: line_scale(size.0, size.1),
            clamp_colours: false,
            alpha_mult: 1.0,
        };
        b.vertices.clear();
        b.draws.clear();
        for layer in layers.iter_mut() {
            b.clamp_colours = layer.runtime.colours_clamped();
            b.alpha_mult = layer.alpha_mult;
            let (code, overruns) = layer.runtime.shapes_mut();
            for k in 0..code.shapes.len() {
                let shape = &mut code.shapes[k];
                if !shape.params.enabled {
                    continue;
                }
                let instances = shape.params.num_inst.clamp(0, MAX_INSTANCES as i32) as usize;
                let has_code = !shape.frame.is_empty();
                for instance in 0..instances {
                    if has_code {
                        overruns.extend(code.run_shape_instance(k, instance, layer.inputs));
                    }
                    b.instance(&code.shapes[k].values());
                }
            }
        }
        self.vertices = b.vertices;
        self.draws = b.draws;
        if self.vertices.is_empty() {
            return;
        }
        let bytes: &[u8] = bytemuck::cast_slice(&self.vertices);
        let needed = bytes.len() as u64;
        if self
            .vertex_buffer
            .as_ref()
            .is_none_or(|b| b.size() < needed)
        {
            self.vertex_buffer = Some(device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("kefir shapes"),
                size: needed.next_power_of_two(),
                usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            }));
        }
        if let Some(buffer) = &self.vertex_buffer {
            queue.write_buffer(buffer, 0, bytes);
        }
    }

    /// The bind group textured shapes sample: the previous frame.
    pub(crate) fn bind_group(
        &self,
        device: &wgpu::Device,
        prev: &wgpu::TextureView,
        sampler: &wgpu::Sampler,
    ) -> wgpu::BindGroup {
        device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("kefir shapes"),
            layout: &self.bind_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(prev),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::Sampler(sampler),
                },
            ],
        })
    }

    /// Records the prepared shapes into `pass` (a pass on the new frame).
    /// Records the frame's shape draws; `frame_alpha` blends the frame's
    /// alpha channel and modulates textured shapes by it, as butterchurn
    /// ([`crate::ButterchurnQuirks::frame_alpha`]; after
    /// [`ShapeRenderer::ensure_frame_alpha`]).
    pub(crate) fn draw(
        &self,
        pass: &mut wgpu::RenderPass<'_>,
        bind: &wgpu::BindGroup,
        frame_alpha: bool,
    ) {
        let Some(buffer) = &self.vertex_buffer else {
            return;
        };
        if self.draws.is_empty() {
            return;
        }
        pass.set_bind_group(0, bind, &[]);
        pass.set_vertex_buffer(0, buffer.slice(..));
        for d in &self.draws {
            let p = usize::from(d.textured) * 2 + usize::from(d.additive);
            let pipelines = match (&self.frame_alpha_pipelines, frame_alpha) {
                (Some(butterchurn), true) => butterchurn,
                _ => &self.pipelines,
            };
            pass.set_pipeline(&pipelines[p]);
            pass.draw(d.range.clone(), 0..1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use milk_parser::code::shape_file_values;
    use milk_parser::preset::ShapeParams;

    #[test]
    fn colours_are_milkdrop_bytes() {
        // Past 0..1 they wrap; butterchurn's reading clamps instead.
        let mut v = [0.0; NVARS];
        v[COLOR..COLOR + 4].copy_from_slice(&[1.5, -0.5, 0.5, f64::NAN]);
        let bytes = |c: [f32; 4]| c.map(|x| x * 255.0);
        assert_eq!(
            bytes(color(&v, COLOR, false, 1.0)),
            [126.0, 129.0, 127.0, 0.0]
        );
        assert_eq!(color(&v, COLOR, true, 1.0), [1.5, -0.5, 0.5, 0.0]);
        // A blend's share multiplies the alpha before the conversion.
        v[COLOR + 3] = 0.8;
        assert_eq!(bytes(color(&v, COLOR, false, 0.5))[3], 102.0);
        // MilkDrop 2 truncates to bytes; butterchurn's floats stay floats.
        v[COLOR + 3] = 0.01;
        assert_eq!(bytes(color(&v, COLOR, false, 1.0))[3], 2.0);
        assert_eq!(color(&v, COLOR, true, 1.0)[3], 0.01);
    }

    #[test]
    fn flags_truncate_like_c() {
        assert!(!flag(0.99) && flag(1.0) && flag(-1.5) && !flag(f64::NAN));
    }

    #[test]
    fn lines_scale_with_the_shorter_side() {
        assert_eq!(line_scale(64, 48), 1.0);
        assert_eq!(line_scale(1280, 540), 1.0);
        assert_eq!(line_scale(1920, 1080), 2.0);
        assert_eq!(line_scale(3840, 2160), 4.0);
    }

    fn builder() -> Builder {
        Builder {
            vertices: Vec::new(),
            draws: Vec::new(),
            aspect_y: 1.0,
            half_px: [1.0 / 64.0; 2],
            shift: [0.0; 2],
            scale: 1.0,
            clamp_colours: false,
            alpha_mult: 1.0,
        }
    }

    #[test]
    fn a_square_is_a_fan_of_four_and_draws_merge() {
        let mut b = builder();
        let mut v = shape_file_values(&ShapeParams::default());
        v[BORDER + 3] = 0.0;
        b.instance(&v);
        b.instance(&v);
        assert_eq!(b.vertices.len(), 24);
        assert_eq!(b.draws.len(), 1, "same pipeline: one draw");
        // First corner at 45 degrees: x offset rad*cos(pi/4).
        let c = b.vertices[1].pos;
        let r = (0.1 * std::f64::consts::FRAC_PI_4.cos()) as f32;
        assert!((c[0] - r).abs() < 1e-6 && (c[1] + r).abs() < 1e-6, "{c:?}");
    }

    #[test]
    fn fills_without_alpha_are_not_drawn_borders_still_are() {
        let mut b = builder();
        let mut v = shape_file_values(&ShapeParams::default());
        v[SIDES] = 4.0;
        v[BORDER + 3] = 0.0;
        // (int)(1.004 * 255) = 256: the byte wraps to 0 (invisible in MilkDrop 2).
        for (a, a2, drawn) in [(0.0, 0.0, false), (1.004, 0.0, false), (0.0, 0.5, true)] {
            v[COLOR + 3] = a;
            v[COLOR2 + 3] = a2;
            b.vertices.clear();
            b.instance(&v);
            assert_eq!(
                b.vertices.len(),
                if drawn { 4 * 3 } else { 0 },
                "a {a}, a2 {a2}"
            );
        }
        v[COLOR + 3] = 0.0;
        v[COLOR2 + 3] = 0.0;
        v[BORDER + 3] = 1.0;
        b.vertices.clear();
        b.instance(&v);
        assert_eq!(b.vertices.len(), 4 * 6, "the border's four segments");
    }

    #[test]
    fn non_finite_instances_are_skipped() {
        let mut b = builder();
        let mut v = shape_file_values(&ShapeParams::default());
        v[X] = f64::NAN;
        b.instance(&v);
        v[X] = 0.5;
        v[RAD] = f64::INFINITY;
        b.instance(&v);
        assert!(b.vertices.is_empty() && b.draws.is_empty());
        v[RAD] = 0.1;
        v[SIDES] = f64::NAN;
        v[TEX_ZOOM] = 0.0;
        b.instance(&v);
        assert!(
            b.vertices
                .iter()
                .all(|v| v.pos[0].is_finite() && v.uv[0].is_finite())
        );
    }
}
