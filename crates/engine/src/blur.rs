//! MilkDrop 2's blur levels: `sampler_blur1..3` (`GetBlur1(uv)` etc.) of
//! preset shaders.
//!
//! What MilkDrop 2 does (`CPlugin::BlurPasses`, `GetSafeBlurMinMax` and the
//! blur textures of `AllocateMyDX9Stuff`; shaders `blur_vs.fx`,
//! `blur1_ps.fx`, `blur2_ps.fx`), and this module with it:
//!
//! - Six 8-bit textures, two per level. Starting from the frame size, the
//!   size is halved (integer division, at least 16) before textures 0, 1, 2
//!   and 4; each texture is that size with the width rounded as
//!   `(w + 3) / 16 * 16` and the height as `(h + 3) / 4 * 4`. So blur1 is a
//!   quarter of the frame, blur2 an eighth and blur3 a sixteenth
//!   ([`texture_sizes`]).
//! - Per level a long horizontal pass (the previous level, or the frame for
//!   blur1, into the even texture: 8 bilinear taps) then a short vertical
//!   pass (the even texture into the odd one, the level the shaders see:
//!   4 bilinear taps), from the weights [`WEIGHTS`]
//!   ([`horizontal_taps`], [`vertical_taps`]). Sampling clamps and filters
//!   linearly.
//! - The horizontal pass maps the level's value range `[min, max]` to
//!   `[0, 1]` (levels after the first from the previous level's range,
//!   which the 8-bit texture holds); shaders undo it with the scale and bias
//!   of [`BlurParams::shader_constants`]. Before that MilkDrop narrows each
//!   range to the previous one and pushes ranges closer than 0.1 apart
//!   ([`BlurParams::safe_range`]).
//! - The vertical pass of blur1 only darkens the edges by
//!   `blur1_edge_darken`.
//! - The passes use the texture coordinates Direct3D 9 gives MilkDrop's
//!   quad: pixel centres on integer coordinates and `v` running bottom to
//!   top, which flips each pass (and each level back). MilkDrop's one-texel
//!   offsets in the shaders compensate the half-pixel convention, so blur1
//!   lines up with the frame; blur2 and blur3 end up half a texel up and
//!   left, as in MilkDrop.
//!
//! MilkDrop runs the passes right after the warp pass, before custom shapes,
//! waves and sprites, and the source is `m_lpVS[0]`: the texture the warp
//! pass just read (the previous frame with this frame's motion vectors),
//! not the one it wrote. The composite shader sees this frame's blur; the
//! warp shader, running before the blur passes, sees last frame's.
//!
//! Below a blur scale of 1 ([`BlurChain::set_scale`], a speed setting for
//! weak GPUs) the six textures are sized as for a frame that much smaller,
//! and the taps keep MilkDrop's distances on the screen (they are given in
//! texels of the textures MilkDrop would have): the same blur, sampled more
//! coarsely.
//!
//! With [`crate::ButterchurnQuirks::late_blur`] the frame before that is
//! blurred instead, as butterchurn 3 ends up doing; only for comparing with
//! it.

use std::num::NonZeroU64;

use crate::FEEDBACK_FORMAT;
use crate::layout::FrameTexture;
use crate::passes::{Begin, Recorder};

/// MilkDrop's blur weights (`w[8]` of `BlurPasses`, "user can specify
/// these", but no preset can).
pub const WEIGHTS: [f32; 8] = [4.0, 3.8, 3.5, 2.9, 1.9, 1.2, 0.7, 0.3];

/// Blur textures (two per level), MilkDrop's `NUM_BLUR_TEX`.
pub const TEXTURES: usize = 6;

/// The lowest blur scale ([`BlurChain::set_scale`]).
pub const MIN_SCALE: f32 = 0.25;

/// Smallest gap between a level's min and max (`fMinDist`).
const MIN_GAP: f32 = 0.1;

/// Per-frame blur settings: the per-frame variables `blur1_min`,
/// `blur2_min`, `blur3_min` (`min`), `blur1_max`.. (`max`) and
/// `blur1_edge_darken` (preset keys `b1n`.., `b1x`.., `b1ed`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlurParams {
    pub min: [f32; 3],
    pub max: [f32; 3],
    pub edge_darken: f32,
}

impl Default for BlurParams {
    /// MilkDrop's defaults: ranges 0..1, edge darkening 0.25.
    fn default() -> Self {
        BlurParams {
            min: [0.0; 3],
            max: [1.0; 3],
            edge_darken: 0.25,
        }
    }
}

/// C's `min` macro, `a < b ? a : b` (differs from `f32::min` for NaN).
fn c_min(a: f32, b: f32) -> f32 {
    if a < b { a } else { b }
}

/// C's `max` macro, `a > b ? a : b`.
fn c_max(a: f32, b: f32) -> f32 {
    if a > b { a } else { b }
}

impl BlurParams {
    /// The ranges MilkDrop actually uses (`GetSafeBlurMinMax`): each level's
    /// range is clipped to the previous level's, and a range narrower than
    /// 0.1 is replaced. MilkDrop means to widen it to 0.1 around its middle
    /// but sets both ends to `middle - 0.05`, so such a level (and every
    /// level after it) has an empty range: its `GetBlurN` reads a constant.
    /// Kept as MilkDrop has it (butterchurn and projectM do the same).
    pub fn safe_range(&self) -> ([f32; 3], [f32; 3]) {
        let (mut min, mut max) = (self.min, self.max);
        for i in 0..3 {
            if i > 0 {
                max[i] = c_min(max[i - 1], max[i]);
                min[i] = c_max(min[i - 1], min[i]);
            }
            if max[i] - min[i] < MIN_GAP {
                let avg = (min[i] + max[i]) * 0.5;
                min[i] = avg - MIN_GAP * 0.5;
                max[i] = avg - MIN_GAP * 0.5;
            }
        }
        (min, max)
    }

    /// The constants preset shaders read (MilkDrop's `ApplyShaderParams`):
    /// `c5` = blur1 scale, bias, blur2 scale, bias; `c6` = blur3 scale,
    /// bias, `blur1_min`, `blur1_max`; `c13` = `blur2_min`, `blur2_max`,
    /// `blur3_min`, `blur3_max`, all from [`BlurParams::safe_range`]. A
    /// shader's `GetBlurN(uv)` is `tex2D(sampler_blurN, uv).xyz * scale +
    /// bias` with scale = max - min and bias = min.
    pub fn shader_constants(&self) -> ([f32; 4], [f32; 4], [f32; 4]) {
        let (min, max) = self.safe_range();
        (
            [max[0] - min[0], min[0], max[1] - min[1], min[1]],
            [max[2] - min[2], min[2], min[0], max[0]],
            [min[1], max[1], min[2], max[2]],
        )
    }

    /// Scale and bias the horizontal pass of each level applies: level 1
    /// maps `[min1, max1]` to `[0, 1]`; levels 2 and 3 map the previous
    /// level's stored `[0, 1]` (its range) to their own.
    ///
    /// For a level with an empty range (see [`BlurParams::safe_range`])
    /// MilkDrop divides by zero and its GPU writes whatever infinities give;
    /// shaders reading it through `GetBlurN` see a constant either way. We
    /// write black there: (0, 0).
    pub fn encode_scale_bias(&self) -> [[f32; 2]; 3] {
        let (min, max) = self.safe_range();
        let mut out = [[0.0; 2]; 3];
        let scale = 1.0 / (max[0] - min[0]);
        out[0] = [scale, -min[0] * scale];
        for i in 1..3 {
            let range = max[i - 1] - min[i - 1];
            let lo = (min[i] - min[i - 1]) / range;
            let hi = (max[i] - min[i - 1]) / range;
            let scale = 1.0 / (hi - lo);
            out[i] = [scale, -lo * scale];
        }
        for sb in &mut out {
            if !(sb[0].is_finite() && sb[1].is_finite()) {
                *sb = [0.0, 0.0];
            }
        }
        out
    }
}

/// Sizes of MilkDrop's six blur textures for a `width` x `height` frame:
/// odd indices are blur1..3 (`1 + 2 * (level - 1)`), even ones the
/// horizontal passes' scratch textures.
pub fn texture_sizes(width: u32, height: u32) -> [(u32, u32); TEXTURES] {
    let (mut w, mut h) = (width, height);
    std::array::from_fn(|i| {
        if i.is_multiple_of(2) || i < 2 {
            w = (w / 2).max(16);
            h = (h / 2).max(16);
        }
        // (w + 3) / 16 * 16 and (h + 3) / 4 * 4 in MilkDrop.
        ((w + 3) / 16 * 16, h.div_ceil(4) * 4)
    })
}

/// Size of blur level `level` (1..=3) for a `width` x `height` frame.
///
/// # Panics
/// If `level` is not 1, 2 or 3.
pub fn level_size(width: u32, height: u32, level: u8) -> (u32, u32) {
    assert!((1..=3).contains(&level), "blur levels are 1..=3");
    texture_sizes(width, height)[usize::from(level) * 2 - 1]
}

/// The horizontal pass's taps: weights `w1..w4`, distances `d1..d4` (in
/// source texels, each sampled on both sides) and the normaliser `w_div`.
/// Each bilinear tap stands for two of the eight [`WEIGHTS`].
pub fn horizontal_taps() -> ([f32; 4], [f32; 4], f32) {
    let w = WEIGHTS;
    let ws = [w[0] + w[1], w[2] + w[3], w[4] + w[5], w[6] + w[7]];
    let ds = std::array::from_fn(|k| 2.0 * k as f32 + 2.0 * w[2 * k + 1] / ws[k]);
    let w_div = 0.5 / (ws[0] + ws[1] + ws[2] + ws[3]);
    (ws, ds, w_div)
}

/// The vertical pass's taps: weights `w1, w2`, distances `d1, d2` (source
/// texels, both sides) and `w_div`. Each tap stands for four [`WEIGHTS`].
pub fn vertical_taps() -> ([f32; 2], [f32; 2], f32) {
    let w = WEIGHTS;
    let ws = [w[0] + w[1] + w[2] + w[3], w[4] + w[5] + w[6] + w[7]];
    let ds = [
        2.0 * ((w[2] + w[3]) / ws[0]),
        2.0 + 2.0 * ((w[6] + w[7]) / ws[1]),
    ];
    let w_div = 1.0 / ((ws[0] + ws[1]) * 2.0);
    (ws, ds, w_div)
}

/// Uniforms of one pass (`BlurUniforms` in blur.wgsl).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
struct PassUniforms {
    src: [f32; 4],
    dst: [f32; 4],
    taps: [f32; 4],
    dist: [f32; 4],
    params: [f32; 4],
}

fn size_vec((w, h): (u32, u32)) -> [f32; 4] {
    let (w, h) = (w as f32, h as f32);
    [w, h, 1.0 / w, 1.0 / h]
}

/// The uniforms of pass `i` (0..6) reading a `src` texture into a `dst` one,
/// where MilkDrop's source would be `nominal` (the taps' distances are in its
/// texels; `src` itself below a blur scale of 1).
fn pass_uniforms(
    i: usize,
    src: (u32, u32),
    nominal: (u32, u32),
    dst: (u32, u32),
    params: &BlurParams,
) -> PassUniforms {
    // Distances in `src` texels covering what they cover in `nominal` ones.
    let across = src.0 as f32 / nominal.0.max(1) as f32;
    let down = src.1 as f32 / nominal.1.max(1) as f32;
    let (src, dst) = (size_vec(src), size_vec(dst));
    if i.is_multiple_of(2) {
        let (ws, ds, w_div) = horizontal_taps();
        let ds = ds.map(|d| d * across);
        let [scale, bias] = params.encode_scale_bias()[i / 2];
        PassUniforms {
            src,
            dst,
            taps: ws,
            dist: ds,
            params: [scale, bias, w_div, 0.0],
        }
    } else {
        let (ws, ds, w_div) = vertical_taps();
        let ds = ds.map(|d| d * down);
        // MilkDrop darkens the edges on the first vertical pass only ("if you
        // do it many times, the super-blurred levels will have big black
        // lines along the top & left sides").
        let (c1, c2) = if i == 1 {
            (1.0 - params.edge_darken, params.edge_darken)
        } else {
            (1.0, 0.0)
        };
        PassUniforms {
            src,
            dst,
            taps: [ws[0], ws[1], ds[0], ds[1]],
            dist: [0.0; 4],
            params: [w_div, c1, c2, 5.0],
        }
    }
}

/// The frame before last, which butterchurn 3 in effect blurs
/// ([`crate::ButterchurnQuirks::late_blur`]): its first blur pass draws the
/// just-warped texture at half its size, so the GPU samples the texture's
/// mip level 1, and that level was made when the texture last was the
/// previous frame (`generateMipmap(prevTexture)` at the top of
/// `Renderer.render`), two frames earlier. Taken before the warp pass draws
/// over it, at half its size and box-filtered as that mip level.
#[derive(Default)]
pub(crate) struct HeldFrame {
    half: Option<FrameTexture>,
    downsample: Option<crate::passes::present::PresentPass>,
}

impl HeldFrame {
    /// Records the half-size copy of `frame` (the feedback texture the warp
    /// is about to draw into, which still holds the frame before last): a
    /// bilinear draw at half size reads each 2x2 block's middle, so each
    /// texel is the block's average.
    pub(crate) fn hold(
        &mut self,
        rec: &mut Recorder<'_>,
        gpu: &crate::passes::Gpu<'_>,
        stage_module: &wgpu::ShaderModule,
        frame: &FrameTexture,
    ) {
        let size = ((frame.size.0 / 2).max(1), (frame.size.1 / 2).max(1));
        if self.half.as_ref().map(|t| t.size) != Some(size) {
            self.half = Some(FrameTexture::new(gpu.device, size, "frame before last"));
        }
        let half = self.half.as_ref().expect("made above");
        self.downsample
            .get_or_insert_with(|| crate::passes::present::PresentPass::new(gpu.device))
            .encode(
                rec,
                gpu,
                stage_module,
                &frame.view,
                (&half.target, FEEDBACK_FORMAT),
            );
    }

    /// The copy, once one was taken.
    pub(crate) fn view(&self) -> Option<&wgpu::TextureView> {
        self.half.as_ref().map(|t| &t.view)
    }

    pub(crate) fn release(&mut self) {
        self.half = None;
        self.downsample = None;
    }
}

/// The six textures for one frame size, and the bind groups of the passes
/// that read one of them (passes 1..6; pass 0 reads the frame).
struct Targets {
    frame_size: (u32, u32),
    scale: f32,
    /// Whether `binds` read with the repeating sampler.
    wrap: bool,
    textures: Vec<FrameTexture>,
    binds: Vec<wgpu::BindGroup>,
}

/// MilkDrop 2's blur levels on the GPU: owns the six blur textures and
/// records the passes that fill them. See the module documentation.
pub struct BlurChain {
    layout: wgpu::BindGroupLayout,
    h_pipeline: wgpu::RenderPipeline,
    v_pipeline: wgpu::RenderPipeline,
    sampler: wgpu::Sampler,
    /// The passes' sampler while [`BlurChain::set_wrap`] is on.
    repeat_sampler: wgpu::Sampler,
    /// Whether the passes read their sources repeating past the edges.
    wrap: bool,
    /// One uniform slot per pass, `stride` bytes apart.
    uniforms: wgpu::Buffer,
    stride: u64,
    /// 1x1 black, what [`BlurChain::view`] returns before the first encode.
    black: FrameTexture,
    targets: Option<Targets>,
    /// The blur scale ([`BlurChain::set_scale`]).
    scale: f32,
}

impl BlurChain {
    pub fn new(device: &wgpu::Device) -> Self {
        let shader = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("kefir blur"),
            source: wgpu::ShaderSource::Wgsl(include_str!("blur.wgsl").into()),
        });
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("kefir blur"),
            entries: &[
                wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Uniform,
                        has_dynamic_offset: false,
                        min_binding_size: NonZeroU64::new(
                            std::mem::size_of::<PassUniforms>() as u64
                        ),
                    },
                    count: None,
                },
                crate::layout::texture_2d(1),
                crate::layout::sampler(2),
            ],
        });
        let pipeline_layout = crate::layout::pipeline_layout(device, "kefir blur", &layout);
        let pipeline = |entry: &str, label: &str| {
            crate::layout::render_pipeline(
                device,
                crate::layout::PipelineSpec {
                    label,
                    layout: &pipeline_layout,
                    vertex: (&shader, "blur_vs"),
                    buffers: &[],
                    fragment: (&shader, entry),
                    target: FEEDBACK_FORMAT.into(),
                },
            )
        };
        let h_pipeline = pipeline("blur_h_fs", "kefir blur horizontal");
        let v_pipeline = pipeline("blur_v_fs", "kefir blur vertical");
        let sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("kefir blur"),
            address_mode_u: wgpu::AddressMode::ClampToEdge,
            address_mode_v: wgpu::AddressMode::ClampToEdge,
            address_mode_w: wgpu::AddressMode::ClampToEdge,
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            ..Default::default()
        });
        let repeat_sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("kefir blur (repeating)"),
            address_mode_u: wgpu::AddressMode::Repeat,
            address_mode_v: wgpu::AddressMode::Repeat,
            address_mode_w: wgpu::AddressMode::Repeat,
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            ..Default::default()
        });
        let align = u64::from(device.limits().min_uniform_buffer_offset_alignment).max(1);
        let stride = (std::mem::size_of::<PassUniforms>() as u64).div_ceil(align) * align;
        let uniforms = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("kefir blur uniforms"),
            size: stride * TEXTURES as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        // New textures read as zero: black.
        let black = FrameTexture::new(device, (1, 1), "kefir blur (none yet)");
        BlurChain {
            layout,
            h_pipeline,
            v_pipeline,
            sampler,
            repeat_sampler,
            wrap: false,
            uniforms,
            stride,
            black,
            targets: None,
            scale: 1.0,
        }
    }

    fn bind_group(
        &self,
        device: &wgpu::Device,
        pass: usize,
        source: &wgpu::TextureView,
    ) -> wgpu::BindGroup {
        device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("kefir blur pass"),
            layout: &self.layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                        buffer: &self.uniforms,
                        offset: pass as u64 * self.stride,
                        size: NonZeroU64::new(std::mem::size_of::<PassUniforms>() as u64),
                    }),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::TextureView(source),
                },
                wgpu::BindGroupEntry {
                    binding: 2,
                    resource: wgpu::BindingResource::Sampler(if self.wrap {
                        &self.repeat_sampler
                    } else {
                        &self.sampler
                    }),
                },
            ],
        })
    }

    /// Creates the textures for a `frame_size` frame now, if they are not
    /// there yet ([`BlurChain::encode`] does it too). Call it before taking
    /// [`BlurChain::view`]s for bind groups of a frame whose `encode` may be
    /// the first at this size, or those bind groups get the old textures.
    pub fn prepare(&mut self, device: &wgpu::Device, frame_size: (u32, u32)) {
        if frame_size.0 > 0 && frame_size.1 > 0 {
            self.allocate(device, frame_size);
        }
    }

    /// Sizes the textures as for a frame `scale` times as large each side
    /// (clamped to 0.25..=1; 1, MilkDrop's sizes, by default), from the
    /// next frame on: fewer pixels to blur on a weak GPU, with the taps at
    /// MilkDrop's distances on the screen.
    pub fn set_scale(&mut self, scale: f32) {
        self.scale = if scale.is_nan() {
            1.0
        } else {
            scale.clamp(MIN_SCALE, 1.0)
        };
    }

    /// Makes the passes read their sources repeating past the edges, as
    /// butterchurn's do whenever the frame's `wrap` is not 0 (its blur
    /// shaders bind no sampler and read through the one its warp left on
    /// unit 0, the frame's), from the next frame on; MilkDrop 2's
    /// `BlurPasses` clamps (off, the default). Part of
    /// [`crate::ButterchurnQuirks::late_blur`].
    pub fn set_wrap(&mut self, wrap: bool) {
        self.wrap = wrap;
    }

    /// The blur scale in use.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// The sizes of the textures for a `frame_size` frame at `scale`.
    fn sizes(frame_size: (u32, u32), scale: f32) -> [(u32, u32); TEXTURES] {
        let at = |v: u32| ((v as f32 * scale).round() as u32).max(1);
        texture_sizes(at(frame_size.0), at(frame_size.1))
    }

    /// (Re)creates the textures for a `frame_size` frame if needed.
    fn allocate(&mut self, device: &wgpu::Device, frame_size: (u32, u32)) {
        let (scale, wrap) = (self.scale, self.wrap);
        if self
            .targets
            .as_ref()
            .is_some_and(|t| t.frame_size == frame_size && t.scale == scale && t.wrap == wrap)
        {
            return;
        }
        let textures: Vec<FrameTexture> = Self::sizes(frame_size, scale)
            .iter()
            .enumerate()
            .map(|(i, &size)| {
                let label = if i % 2 == 1 {
                    format!("kefir blur{}", i / 2 + 1)
                } else {
                    format!("kefir blur{} horizontal", i / 2 + 1)
                };
                FrameTexture::new(device, size, &label)
            })
            .collect();
        let binds = (1..TEXTURES)
            .map(|pass| self.bind_group(device, pass, &textures[pass - 1].view))
            .collect();
        self.targets = Some(Targets {
            frame_size,
            scale,
            wrap,
            textures,
            binds,
        });
    }

    /// Records the passes that fill blur levels 1..=`levels` (0..=3; more
    /// counts as 3, 0 records nothing) from `source`, a [`FEEDBACK_FORMAT`]
    /// view with `TEXTURE_BINDING` usage of a `size` frame (MilkDrop's
    /// source is the frame the warp pass read; see the module
    /// documentation). Resizes the textures when `size` changes; levels
    /// above `levels` keep their old contents.
    ///
    /// The passes' uniforms are written with `queue.write_buffer`, so
    /// record at most one `encode` per queue submission.
    #[allow(clippy::too_many_arguments)]
    pub fn encode(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        source: &wgpu::TextureView,
        size: (u32, u32),
        levels: u8,
        params: &BlurParams,
    ) {
        let mut rec = Recorder::new(encoder, None);
        self.record(device, queue, &mut rec, source, size, levels, params);
    }

    /// [`BlurChain::encode`] through the frame's [`Recorder`].
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn record(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        rec: &mut Recorder<'_>,
        source: &wgpu::TextureView,
        size: (u32, u32),
        levels: u8,
        params: &BlurParams,
    ) {
        let passes = usize::from(levels.min(3)) * 2;
        if passes == 0 || size.0 == 0 || size.1 == 0 {
            return;
        }
        self.allocate(device, size);
        let first = self.bind_group(device, 0, source);
        let Some(targets) = &self.targets else {
            unreachable!("allocate creates the targets");
        };
        let mut data = vec![0u8; (self.stride * TEXTURES as u64) as usize];
        let nominal = texture_sizes(size.0, size.1);
        for i in 0..passes {
            let (src, nominal_src) = if i == 0 {
                (size, size)
            } else {
                (targets.textures[i - 1].size, nominal[i - 1])
            };
            let u = pass_uniforms(i, src, nominal_src, targets.textures[i].size, params);
            let at = i * self.stride as usize;
            data[at..at + std::mem::size_of::<PassUniforms>()]
                .copy_from_slice(bytemuck::bytes_of(&u));
        }
        queue.write_buffer(&self.uniforms, 0, &data);
        for i in 0..passes {
            let bind = if i == 0 {
                &first
            } else {
                &targets.binds[i - 1]
            };
            let (label, pipeline) = if i.is_multiple_of(2) {
                ("kefir blur horizontal", &self.h_pipeline)
            } else {
                ("kefir blur vertical", &self.v_pipeline)
            };
            // A full-screen triangle draws every pixel.
            let mut pass = rec.color_pass(label, &targets.textures[i].target, Begin::Overwrite);
            pass.set_pipeline(pipeline);
            pass.set_bind_group(0, bind, &[]);
            pass.draw(0..3, 0..1);
        }
    }

    fn level_texture(&self, level: u8) -> &FrameTexture {
        assert!((1..=3).contains(&level), "blur levels are 1..=3");
        match &self.targets {
            Some(t) => &t.textures[usize::from(level) * 2 - 1],
            None => &self.black,
        }
    }

    /// The view of blur level `level` (1..=3), for `sampler_blurN`. Before
    /// the first [`BlurChain::encode`] a 1x1 black texture, so a shader can
    /// always bind it.
    ///
    /// # Panics
    /// If `level` is not 1, 2 or 3.
    pub fn view(&self, level: u8) -> &wgpu::TextureView {
        &self.level_texture(level).view
    }

    /// The texture behind [`BlurChain::view`] (with `COPY_SRC` usage).
    pub fn texture(&self, level: u8) -> &wgpu::Texture {
        &self.level_texture(level).texture
    }

    /// Size of the texture behind [`BlurChain::view`].
    pub fn size(&self, level: u8) -> (u32, u32) {
        self.level_texture(level).size
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn sizes_halve_then_round_like_milkdrop() {
        // MilkDrop's own comment: VS 1024 -> 512, 256 (blur1), 128, 128
        // (blur2), 64, 64 (blur3).
        let s = texture_sizes(1024, 768);
        assert_eq!(
            s,
            [
                (512, 384),
                (256, 192),
                (128, 96),
                (128, 96),
                (64, 48),
                (64, 48)
            ]
        );
        // Rounding is of the unrounded halves: 720 -> 360, 180, 90 (stored
        // 92), then 45 (stored 48).
        let s = texture_sizes(1280, 720);
        assert_eq!(
            s,
            [
                (640, 360),
                (320, 180),
                (160, 92),
                (160, 92),
                (80, 48),
                (80, 48)
            ]
        );
        // Widths round to 16 (down as well as up), at least 16 before rounding.
        assert_eq!(texture_sizes(112, 40)[0], (48, 20));
        assert_eq!(texture_sizes(64, 48)[1], (16, 16));
        assert_eq!(texture_sizes(1, 1), [(16, 16); 6]);
        assert_eq!(level_size(1024, 768, 1), (256, 192));
        assert_eq!(level_size(1024, 768, 2), (128, 96));
        assert_eq!(level_size(1024, 768, 3), (64, 48));
    }

    #[test]
    fn taps_match_milkdrops_formulas() {
        let (ws, ds, w_div) = horizontal_taps();
        assert_eq!(ws, [7.8, 6.4, 3.1, 1.0]);
        assert!(close(ds[0], 7.6 / 7.8));
        assert!(close(ds[1], 2.0 + 5.8 / 6.4));
        assert!(close(ds[2], 4.0 + 2.4 / 3.1));
        assert!(close(ds[3], 6.6));
        assert!(close(w_div, 0.5 / 18.3));
        // The 8 taps sum to 1.
        assert!(close(2.0 * ws.iter().sum::<f32>() * w_div, 1.0));

        let (ws, ds, w_div) = vertical_taps();
        assert!(close(ws[0], 14.2) && close(ws[1], 4.1));
        assert!(close(ds[0], 12.8 / 14.2));
        assert!(close(ds[1], 2.0 + 2.0 / 4.1));
        assert!(close(w_div, 1.0 / 36.6));
        assert!(close(2.0 * (ws[0] + ws[1]) * w_div, 1.0));
    }

    #[test]
    fn default_constants() {
        let p = BlurParams::default();
        assert_eq!(p.edge_darken, 0.25);
        let (c5, c6, c13) = p.shader_constants();
        assert_eq!(c5, [1.0, 0.0, 1.0, 0.0]);
        assert_eq!(c6, [1.0, 0.0, 0.0, 1.0]);
        assert_eq!(c13, [0.0, 1.0, 0.0, 1.0]);
        assert_eq!(p.encode_scale_bias(), [[1.0, 0.0]; 3]);
    }

    #[test]
    fn ranges_narrow_to_the_previous_level() {
        let p = BlurParams {
            min: [0.1, 0.0, 0.3],
            max: [0.9, 1.0, 0.7],
            edge_darken: 0.0,
        };
        let (min, max) = p.safe_range();
        assert_eq!(min, [0.1, 0.1, 0.3]);
        assert_eq!(max, [0.9, 0.9, 0.7]);
        let (c5, c6, c13) = p.shader_constants();
        let c = [c5, c6, c13].concat();
        let want = [
            0.8, 0.1, 0.8, 0.1, // c5
            0.4, 0.3, 0.1, 0.9, // c6
            0.1, 0.9, 0.3, 0.7, // c13
        ];
        for (got, want) in c.iter().zip(want) {
            assert!(close(*got, want), "{c:?}");
        }
        // Level 1: (x - 0.1) / 0.8. Level 2 has level 1's range: identity.
        // Level 3: stored level-2 values s = (x - 0.1) / 0.8, wanted
        // (x - 0.3) / 0.4 = (0.8 s - 0.2) / 0.4 = 2 s - 0.5.
        let e = p.encode_scale_bias();
        assert!(close(e[0][0], 1.25) && close(e[0][1], -0.125), "{e:?}");
        assert!(close(e[1][0], 1.0) && close(e[1][1], 0.0), "{e:?}");
        assert!(close(e[2][0], 2.0) && close(e[2][1], -0.5), "{e:?}");
    }

    #[test]
    fn close_ranges_collapse_as_in_milkdrop() {
        // blur3 0.3..0.35 narrower than 0.1: both ends become
        // 0.325 - 0.05 (MilkDrop's slip; it meant + 0.05 for the max).
        let p = BlurParams {
            min: [0.1, 0.0, 0.3],
            max: [0.9, 1.0, 0.35],
            edge_darken: 0.25,
        };
        let (c5, c6, c13) = p.shader_constants();
        assert!(close(c5[0], 0.8) && close(c5[1], 0.1));
        assert!(close(c6[0], 0.0) && close(c6[1], 0.275), "{c6:?}");
        assert!(close(c13[2], 0.275) && close(c13[3], 0.275), "{c13:?}");
        let e = p.encode_scale_bias();
        assert_eq!(e[2], [0.0, 0.0]);
        assert!(close(e[0][0], 1.25));

        // An empty blur1 range empties the later ones too.
        let p = BlurParams {
            min: [0.5, 0.0, 0.0],
            max: [0.5, 1.0, 1.0],
            edge_darken: 0.25,
        };
        let (min, max) = p.safe_range();
        assert!(close(min[0], 0.45) && close(max[0], 0.45));
        assert!(close(min[1], 0.4) && close(max[1], 0.4));
        assert!(close(min[2], 0.35) && close(max[2], 0.35));
        assert_eq!(p.encode_scale_bias(), [[0.0, 0.0]; 3]);
        let (c5, c6, _) = p.shader_constants();
        assert_eq!([c5[0], c5[2], c6[0]], [0.0; 3]);
    }

    #[test]
    fn edge_darkening_is_on_the_first_vertical_pass_only() {
        let p = BlurParams {
            edge_darken: 0.4,
            ..Default::default()
        };
        let u = |i| pass_uniforms(i, (64, 48), (64, 48), (32, 24), &p).params;
        assert!(close(u(1)[1], 0.6) && close(u(1)[2], 0.4) && u(1)[3] == 5.0);
        assert_eq!(&u(3)[1..], &[1.0, 0.0, 5.0]);
        assert_eq!(&u(5)[1..], &[1.0, 0.0, 5.0]);
        // Horizontal passes carry scale, bias, w_div.
        assert_eq!(u(0)[..2], [1.0, 0.0]);
        assert_eq!(
            pass_uniforms(0, (64, 48), (64, 48), (32, 24), &p).src,
            [64.0, 48.0, 1.0 / 64.0, 1.0 / 48.0]
        );
    }

    #[test]
    fn taps_of_a_smaller_source_cover_milkdrops_distances_on_the_screen() {
        let p = BlurParams::default();
        for i in 0..TEXTURES {
            let full = pass_uniforms(i, (64, 48), (64, 48), (32, 24), &p);
            let half = pass_uniforms(i, (32, 24), (64, 48), (16, 12), &p);
            // Distance times texel size: the same fraction of the screen.
            let (a, b) = if i % 2 == 0 {
                (
                    full.dist.map(|d| d * full.src[2]),
                    half.dist.map(|d| d * half.src[2]),
                )
            } else {
                (
                    [
                        full.taps[2] * full.src[3],
                        full.taps[3] * full.src[3],
                        0.0,
                        0.0,
                    ],
                    [
                        half.taps[2] * half.src[3],
                        half.taps[3] * half.src[3],
                        0.0,
                        0.0,
                    ],
                )
            };
            for (x, y) in a.iter().zip(&b) {
                assert!(close(*x, *y), "pass {i}: {a:?} vs {b:?}");
            }
            assert!(a.iter().any(|&x| x > 0.0), "pass {i}");
        }
    }
}
