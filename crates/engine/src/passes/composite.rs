//! Pass 6, composite: the picture onto the target. MilkDrop 1's
//! fixed-function path (video echo, gamma as additive redraws, the hue
//! shader, brighten/darken/solarize/invert, or red-blue stereo through the
//! warp mesh), MilkDrop 2's generated composite shader (the file's values
//! baked in), or the preset's own composite shader over MilkDrop 2's
//! composite grid ([`crate::stages::comp_grid`]).
//!
//! Which frame: MilkDrop 1's path shows the new frame (`m_lpVS[1]` in
//! `ShowToUser_NoShaders`). MilkDrop 2's shader composites (generated or the
//! preset's) read `sampler_main` as `ApplyShaderParams` binds it for both
//! stages, `m_lpVS[0]`: the warp's source, the previous frame with this
//! frame's motion vectors, which is also what the blur levels are made
//! from, so `GetPixel` and `GetBlur1` show the same image; the shapes and
//! waves drawn this frame reach the screen a frame later. (butterchurn
//! reads the new frame: [`crate::ButterchurnQuirks::comp_frame`].)
//!
//! During a blend two MilkDrop 1.x presets share one composite with the
//! mixed values (MilkDrop's `ShowToUser_NoShaders`); where a composite
//! shader is involved the outgoing composite is drawn too and mixed over
//! the new one by the pattern.
//!
//! Reads: the new frame or the warp's source, this frame's blur levels
//! (made from the warp's source), [`FrameCode`]. Writes:
//! the target, or for a composite shader on an sRGB target an 8-bit
//! intermediate that [`super::present`] copies over.

use std::collections::HashMap;

use wgpu::util::DeviceExt;

use super::code::FrameCode;
use super::mesh::{MeshBuffers, MeshFrame, WarpVertex};
use super::mix::{Mix, MixAlpha};
use super::{Begin, Blend, Frames, Gpu, Recorder, Slot};
use crate::runtime::{FrameState, PassStyle, PresetRuntime};
use crate::stages::{self, FrameViews, ShaderVertex, StageProgram};
use crate::{FEEDBACK_FORMAT, layout};

#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
pub(crate) struct CompUniforms {
    echo: [f32; 4],
    gain: [f32; 4],
    /// The hue colours' cross term (times u * v): nothing over MilkDrop's
    /// two triangles, what bilinear mixing adds to the affine part. `w`:
    /// 1 when the quad's triangles share the diagonal from its top-left to
    /// its bottom-right corner (MilkDrop 1's strip as MilkDrop 2 draws
    /// it), 0 for the one from top-right to bottom-left.
    hue_cross: [f32; 4],
    /// The hue colours' affine part at the top-left, top-right,
    /// bottom-left and bottom-right corners (the vertices of the composite
    /// quad's two triangles). On MilkDrop 1's path (hue shader on, fixed,
    /// over two triangles) the frame layer's vertex colours summed over its
    /// draws, echo mix and gamma included ([`milkdrop1_layers`]).
    hue: [[f32; 4]; 4],
    /// On MilkDrop 1's path, the echo layer's (else unused).
    hue_echo: [[f32; 4]; 4],
}

/// The hue shader over the composite quad, the colours `corners` at its
/// top-left, top-right, bottom-left and bottom-right: mixed bilinearly
/// (`bilinear`) or over two triangles split from top-right to bottom-left.
/// Returns the values at the corners of the part affine in u and v, which
/// the two triangles interpolate exactly, and the cross term (times u * v)
/// that bilinear mixing adds.
fn hue_terms(corners: [[f32; 4]; 4], bilinear: bool) -> ([[f32; 4]; 4], [f32; 4]) {
    if !bilinear {
        return (corners, [0.0; 4]);
    }
    let [tl, tr, bl, br] = corners;
    let affine_br = std::array::from_fn(|c| tr[c] + bl[c] - tl[c]);
    let cross = std::array::from_fn(|c| br[c] - affine_br[c]);
    ([tl, tr, bl, affine_br], cross)
}

/// `value` as C's `printf("%.{digits}f")` of a float prints it: MilkDrop 2
/// writes its generated shaders that way.
pub(crate) fn printed(value: f64, digits: usize) -> f32 {
    format!("{:.*}", digits, value as f32)
        .parse()
        .unwrap_or(0.0)
}

/// The format composite shaders draw into for a target of `format`: sRGB
/// targets get MilkDrop's values through an 8-bit intermediate.
pub(crate) fn comp_format(format: wgpu::TextureFormat) -> wgpu::TextureFormat {
    if format.is_srgb() {
        FEEDBACK_FORMAT
    } else {
        format
    }
}

/// What a built-in composite pipeline does (its WGSL `override`s): each
/// combination in use gets a pipeline, so the shader runs only what the
/// frame needs (on a software rasteriser branches not taken cost about as
/// much as taken ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct CompVariant {
    stereo: bool,
    echo: bool,
    hue: bool,
    /// The hue colours mix bilinearly (not over two triangles).
    hue_cross: bool,
    generated: bool,
    /// brighten, darken, solarize, invert
    filters: [bool; 4],
    /// The filters as the generated shader (and butterchurn's built-in
    /// composite) compute them, for the fixed-function path too
    /// ([`crate::ButterchurnQuirks::filters`]).
    shader_filters: bool,
    srgb: bool,
}

impl CompVariant {
    fn constants(&self) -> [(&'static str, f64); 10] {
        let f = |b: bool| f64::from(u8::from(b));
        [
            ("ECHO", f(self.echo)),
            ("HUE", f(self.hue)),
            ("HUE_CROSS", f(self.hue_cross)),
            ("GENERATED", f(self.generated)),
            ("SHADER_FILTERS", f(self.shader_filters)),
            ("BRIGHTEN", f(self.filters[0])),
            ("DARKEN", f(self.filters[1])),
            ("SOLARIZE", f(self.filters[2])),
            ("INVERT", f(self.filters[3])),
            ("SRGB", f(self.srgb)),
        ]
    }
}

/// The hue shader's random phases and which of butterchurn's composite
/// rules the composite imitates.
#[derive(Debug, Clone, Copy)]
struct ButterchurnComposite {
    rand_start: [f32; 4],
    /// [`crate::ButterchurnQuirks::hue`]
    hue: bool,
    /// [`crate::ButterchurnQuirks::filters`]
    filters: bool,
}

/// A preset's composite uniforms this frame (for an sRGB target when
/// `srgb`), whether the composite samples with wrapping, and the pipeline
/// variant it needs.
fn comp_uniforms(
    runtime: &PresetRuntime,
    (s, hue_amount): (&FrameState, Option<f64>),
    srgb: bool,
    time: f64,
    imitate: ButterchurnComposite,
) -> (CompUniforms, bool, CompVariant) {
    let ButterchurnComposite {
        rand_start,
        hue: butterchurn_hue,
        filters: butterchurn_filters,
    } = imitate;
    let base = runtime.base();
    let hue_amount = hue_amount.unwrap_or_else(|| runtime.hue_amount());
    let (echo_alpha, echo_zoom, orient, gain, filters, style, hue_amount, comp_wrap) =
        match runtime.comp_style() {
            PassStyle::Fixed => {
                let alpha = s.echo_alpha as f32;
                let g = s.gamma as f32;
                // Gamma is additive redraws: with echo, values below 1
                // still draw each layer once.
                let gain = if runtime.red_blue_stereo() {
                    // Stereo draws ceil(gamma) passes of min(1, gamma - pass).
                    g.max(0.0)
                } else {
                    // butterchurn multiplies by gamma whatever the echo: as
                    // MilkDrop 2 without echo (a sum of draws that adds up
                    // to gamma).
                    milkdrop1_draws(alpha > 0.001 && !butterchurn_filters, g)
                        .iter()
                        .map(|(count, g)| count * g)
                        .sum::<f32>()
                        .max(0.0)
                };
                let filters = [s.brighten, s.darken, s.solarize, s.invert];
                (
                    alpha,
                    s.echo_zoom as f32,
                    s.echo_orient,
                    gain,
                    filters,
                    0.0,
                    hue_amount as f32,
                    s.wrap,
                )
            }
            PassStyle::Generated => {
                let filters = [base.brighten, base.darken, base.solarize, base.invert];
                // Baked into the generated shader: the file's own.
                let h = printed(base.shader, 2);
                (
                    printed(base.video_echo_alpha, 2),
                    base.video_echo_zoom as f32,
                    base.video_echo_orientation,
                    printed(base.gamma_adj, 2),
                    filters,
                    1.0,
                    if h >= 1.0 { 1.0 } else { h },
                    true,
                )
            }
        };
    let echo = if echo_alpha > 0.001 {
        let flip_x = if orient % 2 != 0 { -1.0 } else { 1.0 };
        let flip_y = if orient >= 2 { -1.0 } else { 1.0 };
        let inv_zoom = if style > 0.5 {
            printed(f64::from(1.0 / echo_zoom), 3)
        } else {
            1.0 / echo_zoom
        };
        let inv_zoom = if inv_zoom.is_finite() { inv_zoom } else { 0.0 };
        [echo_alpha, inv_zoom, flip_x, flip_y]
    } else {
        [0.0, 1.0, 1.0, 1.0]
    };
    let shades = hue_corners(time, rand_start, hue_amount);
    // The colours on the top-left, top-right, bottom-left and bottom-right
    // corners, and whether they mix bilinearly.
    let mut hue_echo = [[0.0; 4]; 4];
    let (hue, bilinear) = if butterchurn_hue {
        // butterchurn's composite grid: MilkDrop 2's (below) upside down.
        ([shades[3], shades[2], shades[1], shades[0]], true)
    } else if style > 0.5 {
        // The generated shader runs over MilkDrop 2's composite grid
        // (`ShowToUser_Shaders`, see `stages::apply_hue_corners`).
        ([shades[1], shades[0], shades[3], shades[2]], true)
    } else {
        // ShowToUser_NoShaders: shade[i] on vertex i of its quad, as the
        // vertex colours of each draw. The quad is drawn under MilkDrop's
        // 2D projection, whose y points down (`PrepareFor2DDrawing`), so
        // its vertices 0..3 at y = +1, +1, -1, -1 are the bottom-left,
        // bottom-right, top-left and top-right corners (the texture
        // coordinates agree: v = 1 on vertices 0 and 1), and the strip's
        // two triangles share the diagonal from vertex 1 to 2.
        let echo_alpha = (echo[0] > 0.0).then_some(echo[0]);
        let (frame, echo_layer) =
            milkdrop1_layers(&shades, echo_alpha, s.gamma as f32, butterchurn_filters);
        let on_corners = |by_vertex: [[f32; 4]; 4]| {
            let [bottom_left, bottom_right, top_left, top_right] = by_vertex;
            [top_left, top_right, bottom_left, bottom_right]
        };
        hue_echo = on_corners(echo_layer);
        (on_corners(frame), false)
    };
    let (hue, mut hue_cross) = hue_terms(hue, bilinear);
    if style <= 0.5 && !butterchurn_hue {
        hue_cross[3] = 1.0;
    }
    let uniforms = CompUniforms {
        echo,
        gain: [gain, gain, style, f32::from(u8::from(srgb))],
        hue_cross,
        hue,
        hue_echo,
    };
    let variant = CompVariant {
        stereo: stereo(runtime),
        echo: echo[0] > 0.0,
        hue: hue_amount > 0.001,
        hue_cross: bilinear,
        generated: style > 0.5,
        filters,
        shader_filters: butterchurn_filters,
        srgb,
    };
    (uniforms, comp_wrap, variant)
}

/// MilkDrop's hue shader: four slowly cycling colours (`shade[4]` of
/// `ShowToUser_Shaders` and `ShowToUser_NoShaders`), mixed in by `amount`
/// (the preset's `fShader`). Which corner each goes to depends on the path:
/// see [`stages::apply_hue_corners`] and [`comp_uniforms`].
fn hue_corners(time: f64, rand_start: [f32; 4], amount: f32) -> [[f32; 4]; 4] {
    if amount <= 0.001 {
        return [[1.0; 4]; 4];
    }
    let t = time as f32 * 30.0;
    let r = rand_start;
    std::array::from_fn(|i| {
        let i = i as f32;
        let mut c = [
            0.6 + 0.3 * (t * 0.0143 + 3.0 + i * 21.0 + r[3]).sin(),
            0.6 + 0.3 * (t * 0.0107 + 1.0 + i * 13.0 + r[1]).sin(),
            0.6 + 0.3 * (t * 0.0129 + 6.0 + i * 9.0 + r[2]).sin(),
        ];
        let max = c[0].max(c[1]).max(c[2]);
        for v in &mut c {
            *v = 0.5 + 0.5 * (*v / max);
            *v = *v * amount + (1.0 - amount);
        }
        [c[0], c[1], c[2], 1.0]
    })
}

/// The draws of each layer of MilkDrop 1's composite
/// (`ShowToUser_NoShaders`) as (count, gamma) pairs: `count` draws at that
/// gamma, added up. Without echo the frame is drawn `(int)(gamma - 0.001) +
/// 1` times, the last with the fraction left; with echo each layer is drawn
/// once and redrawn `(int)(gamma - 0.0001)` times, the last redraw with the
/// fraction left (so below 1 it is drawn once).
fn milkdrop1_draws(echo: bool, gamma: f32) -> [(f32, f32); 2] {
    if echo {
        let redraws = if gamma > 0.001 {
            (gamma - 0.0001) as i32
        } else {
            0
        };
        if redraws >= 1 {
            [(redraws as f32, 1.0), (1.0, gamma - redraws as f32)]
        } else {
            [(1.0, 1.0), (0.0, 0.0)]
        }
    } else {
        let passes = (gamma - 0.001) as i32 + 1;
        if passes >= 1 {
            [
                ((passes - 1) as f32, 1.0),
                (1.0, gamma - (passes - 1) as f32),
            ]
        } else {
            [(0.0, 0.0), (0.0, 0.0)]
        }
    }
}

/// The vertex colours of MilkDrop 1's composite at the quad's corners,
/// summed over its draws ([`milkdrop1_draws`]), for the frame layer and the
/// echo layer (`echo_alpha`; none: no echo). Every draw's colour is
/// `gamma * mix * shade` (mix: `1 - alpha` for the frame, `alpha` for the
/// echo) handed to Direct3D as bytes (`D3DCOLOR_RGBA_01`:
/// `((int)(v * 255)) & 0xFF`), so with `fShader` above 1, whose shades go
/// below 0, a draw's channel wraps to a bright byte (-0.5 is 129/255)
/// instead of darkening. The draws add up (the framebuffer saturates, which
/// the shader's clamp does at the end). `gamma_as_factor`: gamma scales
/// each layer as without echo, as butterchurn's multiply does
/// ([`crate::ButterchurnQuirks::filters`]).
fn milkdrop1_layers(
    shades: &[[f32; 4]; 4],
    echo_alpha: Option<f32>,
    gamma: f32,
    gamma_as_factor: bool,
) -> ([[f32; 4]; 4], [[f32; 4]; 4]) {
    let draws = milkdrop1_draws(echo_alpha.is_some() && !gamma_as_factor, gamma);
    let layer = |mix: f32| -> [[f32; 4]; 4] {
        shades.map(|shade| {
            let mut c = [0.0, 0.0, 0.0, 1.0];
            for (k, channel) in c.iter_mut().take(3).enumerate() {
                *channel = draws
                    .iter()
                    .filter(|(count, _)| *count > 0.0)
                    .map(|&(count, g)| {
                        count * crate::colour_bytes::d3d_channel(f64::from(g * mix * shade[k]))
                    })
                    .sum();
            }
            c
        })
    };
    match echo_alpha {
        Some(alpha) => (layer(1.0 - alpha), layer(alpha)),
        None => (layer(1.0), [[0.0; 4]; 4]),
    }
}

/// Whether a preset composites with MilkDrop 1.x's red-blue stereo.
fn stereo(runtime: &PresetRuntime) -> bool {
    runtime.red_blue_stereo() && runtime.comp_style() == PassStyle::Fixed
}

/// The composite grid's buffers.
struct CompGrid {
    aspect: [f32; 2],
    /// With butterchurn's `rad` and `ang`.
    butterchurn: bool,
    vertices: Vec<ShaderVertex>,
    vertex_buffer: wgpu::Buffer,
    index_buffer: wgpu::Buffer,
    index_count: u32,
    /// One triangle covering the screen, for composite shaders that do
    /// not need the grid ([`StageProgram::needs_grid`]).
    fullscreen: wgpu::Buffer,
}

impl CompGrid {
    fn new(device: &wgpu::Device, aspect: [f32; 2], butterchurn: bool) -> Self {
        let (mut vertices, indices) = stages::comp_grid(aspect);
        if butterchurn {
            stages::butterchurn_comp_rad_ang(&mut vertices);
        }
        let vertex_buffer = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("kefir composite grid"),
            contents: bytemuck::cast_slice(&vertices),
            usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
        });
        let index_buffer = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("kefir composite grid indices"),
            contents: bytemuck::cast_slice(&indices),
            usage: wgpu::BufferUsages::INDEX,
        });
        // uv is affine in the position (as on the grid), so over this
        // triangle the screen shows u, v from 0 to 1.
        let corner = |pos: [f32; 2], u: f32, v: f32| ShaderVertex {
            pos,
            uv: [u, v, u, v],
            rad_ang: [0.0; 2],
            hue: [1.0; 4],
        };
        let fullscreen = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("kefir composite triangle"),
            contents: bytemuck::cast_slice(&[
                corner([-1.0, 1.0], 0.0, 0.0),
                corner([3.0, 1.0], 2.0, 0.0),
                corner([-1.0, -3.0], 0.0, 2.0),
            ]),
            usage: wgpu::BufferUsages::VERTEX,
        });
        CompGrid {
            aspect,
            butterchurn,
            vertices,
            vertex_buffer,
            index_buffer,
            index_count: indices.len() as u32,
            fullscreen,
        }
    }
}

/// Where this frame's composite goes.
pub(crate) struct Output<'a> {
    /// The host's target.
    pub target: &'a wgpu::TextureView,
    pub format: wgpu::TextureFormat,
    /// The composite draws into [`Frames::display`] (8-bit, MilkDrop's
    /// display values, at the render size) for [`super::present`] to copy
    /// into the target: when the render scale is below 1 (the composite
    /// runs at the render size, and the copy scales it up), or when a
    /// composite shader draws for an sRGB target.
    pub via_display: bool,
}

impl Output<'_> {
    /// The view and format the composite draws into.
    pub fn view<'f>(&'f self, frames: &'f Frames) -> (&'f wgpu::TextureView, wgpu::TextureFormat) {
        match (&frames.display, self.via_display) {
            (Some(display), true) => (&display.target, FEEDBACK_FORMAT),
            _ => (self.target, self.format),
        }
    }
}

/// What one preset's composite draws with.
struct CompDraw<'a> {
    variant: CompVariant,
    program: Option<&'a StageProgram>,
    shader_bind: Option<wgpu::BindGroup>,
    fixed_bind: wgpu::BindGroup,
}

/// The built-in composite pipelines and the composite grid.
pub(crate) struct CompositePass {
    module: wgpu::ShaderModule,
    bind_layout: wgpu::BindGroupLayout,
    pipeline_layout: wgpu::PipelineLayout,
    /// By target format and variant.
    pipelines: HashMap<(wgpu::TextureFormat, CompVariant), wgpu::RenderPipeline>,
    /// MilkDrop 2's composite grid, built for the current aspect.
    grid: Option<CompGrid>,
    /// The grid gets butterchurn's `rad` and `ang`
    /// ([`crate::ButterchurnQuirks::comp_rad_ang`]).
    butterchurn_rad_ang: bool,
    /// MilkDrop's random start phases of the hue shader.
    rand_start: [f32; 4],
    /// The hue colours placed as butterchurn places them
    /// ([`crate::ButterchurnQuirks::hue`]).
    butterchurn_hue: bool,
    /// A composite shader's plain `sampler_main` follows `wrap`
    /// ([`crate::ButterchurnQuirks::main_wrap`]).
    butterchurn_main_wrap: bool,
    /// The built-in composite filters as butterchurn's
    /// ([`crate::ButterchurnQuirks::filters`]).
    butterchurn_filters: bool,
    /// Shader composites read the new frame
    /// ([`crate::ButterchurnQuirks::comp_frame`]).
    butterchurn_comp_frame: bool,
}

impl CompositePass {
    pub fn set_butterchurn_rad_ang(&mut self, on: bool) {
        self.butterchurn_rad_ang = on;
    }

    pub fn set_butterchurn_hue(&mut self, on: bool) {
        self.butterchurn_hue = on;
    }

    pub fn set_butterchurn_main_wrap(&mut self, on: bool) {
        self.butterchurn_main_wrap = on;
    }

    pub fn set_butterchurn_comp_frame(&mut self, on: bool) {
        self.butterchurn_comp_frame = on;
    }

    pub fn set_butterchurn_filters(&mut self, on: bool) {
        self.butterchurn_filters = on;
    }

    /// Replaces the hue shader's random start phases (another renderer's,
    /// for a replay).
    pub fn set_rand_start(&mut self, rand_start: [f32; 4]) {
        self.rand_start = rand_start;
    }

    pub fn new(device: &wgpu::Device, rand_start: [f32; 4]) -> Self {
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("kefir composite"),
            source: wgpu::ShaderSource::Wgsl(
                concat!(
                    include_str!("../common.wgsl"),
                    include_str!("composite.wgsl")
                )
                .into(),
            ),
        });
        let bind_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("kefir composite"),
            entries: &[
                layout::uniform_in_both_stages(0),
                layout::texture_2d(1),
                layout::sampler(2),
            ],
        });
        let pipeline_layout = layout::pipeline_layout(device, "kefir composite", &bind_layout);
        CompositePass {
            module,
            bind_layout,
            pipeline_layout,
            pipelines: HashMap::new(),
            grid: None,
            butterchurn_rad_ang: false,
            rand_start,
            butterchurn_hue: false,
            butterchurn_main_wrap: false,
            butterchurn_filters: false,
            butterchurn_comp_frame: false,
        }
    }

    /// The built-in pipeline for `format` and `variant` (built once): the
    /// full-screen pass, or MilkDrop 1.x's red-blue stereo drawn through the
    /// warp mesh.
    fn ensure_pipeline(
        &mut self,
        device: &wgpu::Device,
        format: wgpu::TextureFormat,
        variant: CompVariant,
    ) {
        let (module, layout) = (&self.module, &self.pipeline_layout);
        self.pipelines.entry((format, variant)).or_insert_with(|| {
            let mesh_layout = [Some(WarpVertex::LAYOUT)];
            let (vs, fs, buffers): (_, _, &[Option<wgpu::VertexBufferLayout>]) = if variant.stereo {
                ("stereo_vs", "stereo_fs", &mesh_layout)
            } else {
                ("comp_vs", "comp_fs", &[])
            };
            layout::render_pipeline_with(
                device,
                layout::PipelineSpec {
                    label: "kefir composite",
                    layout,
                    vertex: (module, vs),
                    buffers,
                    fragment: (module, fs),
                    target: format.into(),
                },
                &variant.constants(),
            )
        });
    }

    /// Builds what this frame's composite needs (preset shader pipelines
    /// for the formats they draw into, once; the composite grid with this
    /// frame's hue colours when a composite shader runs) and the mix
    /// pipeline that puts the outgoing composite over the new one. The
    /// built-in pipelines are made as [`CompositePass::encode`] needs them.
    #[allow(clippy::too_many_arguments)]
    pub fn prepare(
        &mut self,
        gpu: &Gpu<'_>,
        stage_module: &wgpu::ShaderModule,
        (slot, blend): (&mut Slot, Option<&mut Blend>),
        output: &Output<'_>,
        mesh_frame: MeshFrame,
        aspect: [f32; 2],
        mix: &mut Mix,
    ) {
        let old_comp_shader = blend
            .as_ref()
            .is_some_and(|b| b.slot.shaders.comp.is_some());
        if slot.shaders.comp.is_some() || old_comp_shader {
            let butterchurn = self.butterchurn_rad_ang;
            if self
                .grid
                .as_ref()
                .is_none_or(|g| g.aspect != aspect || g.butterchurn != butterchurn)
            {
                self.grid = Some(CompGrid::new(gpu.device, aspect, butterchurn));
            }
            // The grid's hue colours, for the shaders drawn over it.
            let over_grid = |s: &Slot| s.shaders.comp.as_ref().is_some_and(|p| p.needs_grid());
            let hue_read = over_grid(slot) || blend.as_ref().is_some_and(|b| over_grid(&b.slot));
            let corners = hue_corners(slot.time, self.rand_start, 1.0);
            if let Some(grid) = self.grid.as_mut().filter(|_| hue_read) {
                stages::apply_hue_corners(&mut grid.vertices, &corners, self.butterchurn_hue);
                gpu.queue.write_buffer(
                    &grid.vertex_buffer,
                    0,
                    bytemuck::cast_slice(&grid.vertices),
                );
            }
        }
        if let Some(p) = &mut slot.shaders.comp {
            let format = if output.via_display {
                FEEDBACK_FORMAT
            } else {
                comp_format(output.format)
            };
            p.ensure_pipeline(gpu.device, stage_module, format);
        }
        let Some(b) = blend else {
            return;
        };
        if let Some(p) = &mut b.slot.shaders.comp {
            p.ensure_pipeline(gpu.device, stage_module, FEEDBACK_FORMAT);
        }
        if mesh_frame.blending {
            let out_format = if output.via_display {
                FEEDBACK_FORMAT
            } else {
                output.format
            };
            mix.ensure_pipeline(gpu.device, stage_module, out_format, out_format.is_srgb());
        }
    }

    /// One preset's uniforms and bind groups, reading the new frame
    /// (`views.0`) or, for MilkDrop 2's shader composites, the warp's source
    /// (`views.1`); `hue_amount` replaces the preset's own.
    fn draw_of<'s>(
        &self,
        gpu: &Gpu<'_>,
        slot: &'s Slot,
        state: &FrameState,
        srgb: bool,
        (new_frame, warp_source): (&FrameViews<'_>, &FrameViews<'_>),
        hue_amount: Option<f64>,
    ) -> CompDraw<'s> {
        let shader_composite =
            slot.shaders.comp.is_some() || slot.runtime.comp_style() == PassStyle::Generated;
        let views = if shader_composite && !self.butterchurn_comp_frame {
            warp_source
        } else {
            new_frame
        };
        let (uniforms, wrap, variant) = comp_uniforms(
            &slot.runtime,
            (state, hue_amount),
            srgb,
            slot.time,
            ButterchurnComposite {
                rand_start: self.rand_start,
                hue: self.butterchurn_hue,
                filters: self.butterchurn_filters,
            },
        );
        gpu.queue
            .write_buffer(&slot.uniforms.comp, 0, bytemuck::bytes_of(&uniforms));
        let program = slot.shaders.comp.as_ref();
        CompDraw {
            variant,
            program,
            shader_bind: program.map(|p| {
                p.bind_group(
                    gpu.device,
                    gpu.queue,
                    &slot.uniforms.comp_shader,
                    views,
                    gpu.samplers,
                    // The frame's wrap, as butterchurn reads it (the
                    // composite itself always wraps its shader's main).
                    self.butterchurn_main_wrap.then(|| state.butterchurn_wrap()),
                )
            }),
            fixed_bind: gpu.fixed_bind_group(
                &self.bind_layout,
                &slot.uniforms.comp,
                views.main,
                gpu.linear(wrap),
            ),
        }
    }

    /// Records the composite of the playing preset (and the outgoing one's,
    /// mixed over it, during a blend) into the output; `views`: the new
    /// frame and the warp's source (see the module docs).
    #[allow(clippy::too_many_arguments)]
    pub fn encode(
        &mut self,
        rec: &mut Recorder<'_>,
        gpu: &Gpu<'_>,
        frames: &Frames,
        (slot, blend): (&Slot, Option<&Blend>),
        code: &FrameCode,
        mesh: &MeshBuffers<'_>,
        views: (&FrameViews<'_>, &FrameViews<'_>),
        mix: &Mix,
        output: &Output<'_>,
    ) {
        let (out_view, out_format) = output.view(frames);
        let new = self.draw_of(gpu, slot, &code.state, out_format.is_srgb(), views, None);
        // The outgoing composite draws into an 8-bit linear texture. A
        // MilkDrop 1 composite under an incoming shader one draws with what
        // `ShowToUser_NoShaders` reads: the playing state, its blended
        // values (echo fade included) and gliding hue amount.
        let old = match (blend, &code.old) {
            (Some(b), Some((_, old))) => {
                let as_playing = b.slot.runtime.comp_style() == PassStyle::Fixed
                    && slot.runtime.comp_style() != PassStyle::Fixed;
                let (state, hue) = if as_playing {
                    (&code.state, Some(slot.runtime.hue_amount()))
                } else {
                    (old, None)
                };
                Some(self.draw_of(gpu, &b.slot, state, false, views, hue))
            }
            _ => None,
        };
        self.ensure_pipeline(gpu.device, out_format, new.variant);
        self.draw(rec, out_view, out_format, &new, mesh);
        let both_fixed = slot.runtime.comp_style() == PassStyle::Fixed
            && blend.is_some_and(|b| b.slot.runtime.comp_style() == PassStyle::Fixed);
        if let (Some(old), Some(blend_target), false) = (old, &frames.blend_target, both_fixed) {
            // The outgoing composite, mixed over the new one where the
            // pattern has not reached yet.
            self.ensure_pipeline(gpu.device, FEEDBACK_FORMAT, old.variant);
            self.draw(rec, &blend_target.target, FEEDBACK_FORMAT, &old, mesh);
            mix.draw(
                rec,
                gpu.device,
                gpu.samplers,
                &blend_target.view,
                (out_view, out_format, out_format.is_srgb()),
                MixAlpha::OutgoingComposite,
                mesh,
            );
        }
    }

    /// One preset's composite into `view`: its shader over the composite
    /// grid, or the fixed-function / generated pass.
    fn draw(
        &self,
        rec: &mut Recorder<'_>,
        view: &wgpu::TextureView,
        format: wgpu::TextureFormat,
        draw: &CompDraw<'_>,
        mesh: &MeshBuffers<'_>,
    ) {
        if let (Some(program), Some(bind), Some(grid)) =
            (draw.program, &draw.shader_bind, &self.grid)
            && let Some(pipeline) = program.pipeline(format)
        {
            let mut pass = rec.color_pass("kefir composite", view, program.begin());
            pass.set_pipeline(pipeline);
            pass.set_bind_group(0, bind, &[]);
            if program.needs_grid() {
                pass.set_vertex_buffer(0, grid.vertex_buffer.slice(..));
                pass.set_index_buffer(grid.index_buffer.slice(..), wgpu::IndexFormat::Uint32);
                pass.draw_indexed(0..grid.index_count, 0, 0..1);
            } else {
                pass.set_vertex_buffer(0, grid.fullscreen.slice(..));
                pass.draw(0..3, 0..1);
            }
            return;
        }
        let Some(pipeline) = self.pipelines.get(&(format, draw.variant)) else {
            // Not reached: `encode` builds the pipeline first.
            rec.color_pass("kefir composite", view, Begin::Clear);
            return;
        };
        // The composite quad (or the warp mesh, for stereo) covers every
        // pixel.
        let mut pass = rec.color_pass("kefir composite", view, Begin::Overwrite);
        pass.set_pipeline(pipeline);
        pass.set_bind_group(0, &draw.fixed_bind, &[]);
        if draw.variant.stereo {
            pass.set_vertex_buffer(0, mesh.fixed.slice(..));
            pass.set_index_buffer(mesh.indices.slice(..), wgpu::IndexFormat::Uint32);
            pass.draw_indexed(0..mesh.count, 0, 0..1);
        } else {
            pass.draw(0..6, 0..1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{hue_corners, hue_terms, milkdrop1_layers};

    /// MilkDrop's `D3DCOLOR_RGBA_01` channel.
    fn byte(v: f32) -> f32 {
        crate::colour_bytes::d3d_channel(f64::from(v))
    }

    #[test]
    fn milkdrop_1_hue_colours_are_bytes_summed_over_the_draws() {
        let close = |got: f32, want: f32| assert!((got - want).abs() < 1e-5, "{got} vs {want}");
        let shades = [[-0.5, 0.8, 0.25, 1.0]; 4];
        // No echo, gamma 1: one draw of the shade as bytes; -0.5 wraps to
        // 129/255, a bright channel, not black.
        let (frame, _) = milkdrop1_layers(&shades, None, 1.0, false);
        close(frame[0][0], 129.0 / 255.0);
        close(frame[0][1], byte(0.8));
        // Gamma 1.5: a full draw and a half one, each rounded and wrapped.
        let (frame, _) = milkdrop1_layers(&shades, None, 1.5, false);
        close(frame[2][0], byte(-0.5) + byte(-0.25));
        close(frame[2][2], byte(0.25) + byte(0.125));
        // Echo at 0.5, gamma 2: each layer drawn twice at mix 0.5; the
        // product wraps, not the shade: 2 * byte(-0.25), not
        // 0.5 * 2 * byte(-0.5).
        let (frame, echo) = milkdrop1_layers(&shades, Some(0.5), 2.0, false);
        close(frame[1][0], 2.0 * byte(-0.25));
        close(echo[1][0], 2.0 * byte(-0.25));
        close(frame[1][1], 2.0 * byte(0.4));
        // Echo, gamma below 1: each layer still drawn once.
        let (frame, echo) = milkdrop1_layers(&shades, Some(0.25), 0.5, false);
        close(frame[3][1], byte(0.75 * 0.8));
        close(echo[3][1], byte(0.25 * 0.8));
        // As butterchurn scales (ButterchurnQuirks::filters): gamma is a
        // plain factor, below 1 with echo too.
        let (frame, echo) = milkdrop1_layers(&shades, Some(0.25), 0.5, true);
        close(frame[3][1], byte(0.5 * 0.75 * 0.8));
        close(echo[3][1], byte(0.5 * 0.25 * 0.8));
        // No echo, gamma 0 or below: nothing drawn.
        let (frame, _) = milkdrop1_layers(&shades, None, -3.0, false);
        close(frame[0][1], 0.0);
        // Within 0..1 the sum is the float product but for byte rounding.
        let rand_start = [0.3, 1.1, 2.5, 4.2];
        let mild = hue_corners(7.0, rand_start, 0.5);
        let (frame, echo) = milkdrop1_layers(&mild, Some(0.3), 2.6, false);
        for k in 0..3 {
            assert!((frame[0][k] - 2.6 * 0.7 * mild[0][k]).abs() <= 3.0 / 255.0);
            assert!((echo[0][k] - 2.6 * 0.3 * mild[0][k]).abs() <= 3.0 / 255.0);
        }
        // fShader 10 takes some channels below 0: drawn, they come out bright.
        let strong = hue_corners(7.0, rand_start, 10.0);
        let (frame, _) = milkdrop1_layers(&strong, None, 1.0, false);
        let wrapped = (0..4)
            .flat_map(|i| (0..3).map(move |k| (i, k)))
            .filter(|&(i, k)| strong[i][k] < -1.0 / 255.0 && frame[i][k] > 0.0)
            .count();
        assert!(wrapped > 0);
    }

    /// The hue colour at (u, v) as the composite's vertex and fragment
    /// shaders make it from [`hue_terms`]: the affine part interpolated
    /// over the triangle holding the point, plus the cross term.
    fn shaded(terms: &([[f32; 4]; 4], [f32; 4]), u: f32, v: f32, c: usize) -> f32 {
        let ([tl, tr, bl, br], cross) = terms;
        let affine = if u + v <= 1.0 {
            tl[c] * (1.0 - u - v) + tr[c] * u + bl[c] * v
        } else {
            br[c] * (u + v - 1.0) + tr[c] * (1.0 - v) + bl[c] * (1.0 - u)
        };
        affine + cross[c] * u * v
    }

    #[test]
    fn hue_terms_give_bilinear_mixing_or_milkdrops_two_triangles() {
        let corners = [
            [0.9, 0.2, 0.5, 1.0],
            [0.3, 0.8, 0.6, 1.0],
            [0.55, 0.4, 1.0, 1.0],
            [0.7, 0.95, 0.1, 1.0],
        ];
        let [tl, tr, bl, br] = corners;
        let bilinear = hue_terms(corners, true);
        let triangles = hue_terms(corners, false);
        for (u, v) in [
            (0.0, 0.0),
            (1.0, 1.0),
            (0.5, 0.5),
            (0.2, 0.7),
            (0.9, 0.6),
            (0.1, 0.05),
        ] {
            for c in 0..3 {
                let top = tl[c] + (tr[c] - tl[c]) * u;
                let bottom = bl[c] + (br[c] - bl[c]) * u;
                let want = top + (bottom - top) * v;
                let got = shaded(&bilinear, u, v, c);
                assert!(
                    (got - want).abs() < 1e-6,
                    "bilinear at ({u}, {v}): {got} vs {want}"
                );
            }
        }
        // Over two triangles the centre is the top-right and bottom-left
        // colours' mean, not all four's.
        let centre = shaded(&triangles, 0.5, 0.5, 0);
        assert!((centre - (tr[0] + bl[0]) / 2.0).abs() < 1e-6, "{centre}");
        assert_eq!(triangles.0, corners);
        assert_eq!(triangles.1, [0.0; 4]);
    }
}
