//! One frame of MilkDrop as named passes, each with its inputs and outputs
//! in view (the order of [`Pass`]):
//!
//! | pass | reads | writes |
//! |---|---|---|
//! | [`code`] | audio levels, clock, the presets' code | [`code::FrameCode`]: frame values, q1..q32; the shader stages' uniform block |
//! | [`mesh`] | frame values, per-vertex code | the warp mesh's UVs (and a blend's per-vertex mix) on the GPU |
//! | [`warp`] | previous frame, mesh, last frame's blur | motion vectors into the previous frame, then the new frame |
//! | blur ([`crate::blur`]) | previous frame (as MilkDrop 2's `BlurPasses`) | blur1..3 |
//! | [`overlays`] | previous frame (textured shapes), shapes' and waves' code, audio | custom shapes, custom waves, main wave, darken_center, borders on the new frame |
//! | [`composite`] | new frame, this frame's blur | the picture, in the target (or an 8-bit intermediate) |
//! | [`present`] | the intermediate | an sRGB target; submits the frame |
//!
//! During a soft transition the outgoing preset ([`Blend`]) runs its code
//! and mesh too, and its warp and composite are mixed in by the blend
//! pattern ([`mix`]). Every pass records its render passes through a
//! [`Recorder`], which tags them with the pass so [`timing`] can measure
//! each pass on the GPU.

pub(crate) mod code;
pub(crate) mod composite;
pub(crate) mod mesh;
pub(crate) mod mipmaps;
pub(crate) mod mix;
pub(crate) mod overlays;
pub(crate) mod present;
pub(crate) mod timing;
pub(crate) mod warp;

use std::time::Duration;

use crate::layout::FrameTexture;
use crate::runtime::PresetRuntime;
use crate::stages::{PresetShaders, Samplers};

/// The passes of a frame, in the order they run (see the module
/// documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pass {
    /// Per-frame code (init code on the first frame) and the shader stages'
    /// uniforms.
    Code,
    /// Per-vertex code over the warp mesh and MilkDrop's UV math.
    Mesh,
    /// Motion vectors, then the warp pass (previous frame to new frame).
    Warp,
    /// Blur levels 1..3 (only those the preset's shaders read).
    Blur,
    /// Custom shapes (with their code), custom waves (with theirs), the main
    /// wave, darken_center and the borders.
    Overlays,
    /// The composite pass into the target.
    Composite,
    /// The sRGB copy into the target, and submitting the frame.
    Present,
}

impl Pass {
    pub const COUNT: usize = 7;
    pub const ALL: [Pass; Pass::COUNT] = [
        Pass::Code,
        Pass::Mesh,
        Pass::Warp,
        Pass::Blur,
        Pass::Overlays,
        Pass::Composite,
        Pass::Present,
    ];

    /// A short name for tables and logs.
    pub fn name(self) -> &'static str {
        match self {
            Pass::Code => "code",
            Pass::Mesh => "mesh",
            Pass::Warp => "warp",
            Pass::Blur => "blur",
            Pass::Overlays => "shapes/waves",
            Pass::Composite => "composite",
            Pass::Present => "present",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A duration per [`Pass`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PassTimes([Duration; Pass::COUNT]);

impl PassTimes {
    /// Every pass with its duration, in frame order.
    pub fn iter(&self) -> impl Iterator<Item = (Pass, Duration)> + '_ {
        Pass::ALL.into_iter().zip(self.0)
    }

    /// The sum over all passes.
    pub fn total(&self) -> Duration {
        self.0.iter().sum()
    }
}

impl std::ops::Index<Pass> for PassTimes {
    type Output = Duration;
    fn index(&self, pass: Pass) -> &Duration {
        &self.0[pass.index()]
    }
}

impl std::ops::IndexMut<Pass> for PassTimes {
    fn index_mut(&mut self, pass: Pass) -> &mut Duration {
        &mut self.0[pass.index()]
    }
}

/// Where the time of a frame went, per [`Pass`].
///
/// `cpu` is wall-clock time on the calling thread inside
/// [`crate::Visualizer::render`] (code, uploads, recording, submit): render
/// does not wait for the GPU. `gpu` is what the GPU spent in each pass's
/// render passes, from timestamp queries, once
/// [`crate::Visualizer::set_gpu_timing`] turned them on and the adapter has
/// them; it belongs to the latest frame the GPU has finished, which can be
/// a frame or two behind `cpu`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FrameStats {
    pub cpu: PassTimes,
    pub gpu: Option<PassTimes>,
}

/// What one preset needs while it plays: its code, its shader stages, its
/// clock and the uniform buffers of its passes. The preset playing has one,
/// and during a blend the outgoing preset another.
pub(crate) struct Slot {
    pub runtime: PresetRuntime,
    pub shaders: PresetShaders,
    /// MilkDrop's clock: seconds and frames since the visualizer started
    /// (MilkDrop 2's `time` and `frame` do not restart with a preset), and
    /// the time this preset started at (shaders' `time` counts from it).
    pub time: f64,
    pub frame: u64,
    pub start_time: f64,
    pub uniforms: SlotUniforms,
}

/// A preset's uniform buffers: the built-in warp and composite passes', and
/// milk-hlsl's block shared by both shader stages.
pub(crate) struct SlotUniforms {
    pub warp: wgpu::Buffer,
    pub comp: wgpu::Buffer,
    /// The warp shader's block ([`milk_hlsl::MilkUniforms`]).
    pub shader: wgpu::Buffer,
    /// The composite shader's: the same values, but for a replayed
    /// `rand_frame` (another renderer may draw one per stage).
    pub comp_shader: wgpu::Buffer,
}

impl SlotUniforms {
    pub fn new(device: &wgpu::Device, label: &str) -> Self {
        let uniform = |size: usize, what: &str| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(&format!("{label} {what}")),
                size: size as u64,
                usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            })
        };
        SlotUniforms {
            warp: uniform(std::mem::size_of::<warp::WarpUniforms>(), "warp uniforms"),
            comp: uniform(
                std::mem::size_of::<composite::CompUniforms>(),
                "comp uniforms",
            ),
            shader: uniform(milk_hlsl::MilkUniforms::SIZE, "warp shader uniforms"),
            comp_shader: uniform(milk_hlsl::MilkUniforms::SIZE, "comp shader uniforms"),
        }
    }
}

impl Slot {
    /// A preset starting at `(time, frame)` of the clock.
    pub fn new(
        runtime: PresetRuntime,
        shaders: PresetShaders,
        uniforms: SlotUniforms,
        (time, frame): (f64, u64),
    ) -> Self {
        Slot {
            runtime,
            shaders,
            time,
            frame,
            start_time: time,
            uniforms,
        }
    }

    /// Seconds since the preset started.
    pub fn preset_time(&self) -> f64 {
        self.time - self.start_time
    }
}

/// The outgoing preset of a soft transition and the blend's pattern and
/// progress.
pub(crate) struct Blend {
    pub slot: Slot,
    pub seconds: f64,
    pub elapsed: f64,
    pub pattern: crate::transition::BlendPattern,
    /// `(a, c)` per warp mesh vertex (see [`crate::transition`]).
    pub coefficients: Vec<[f32; 2]>,
    /// The mesh the coefficients were made for.
    pub mesh: (u32, u32, [f32; 2]),
    pub rng: crate::rng::Rng,
}

impl Blend {
    /// How far the blend is, 0..1.
    pub fn progress(&self) -> f64 {
        (self.elapsed / self.seconds).clamp(0.0, 1.0)
    }

    /// Whether the progress has passed 1 (`m_fBlendProgress > 1`, which
    /// ends MilkDrop 2's blend before the frame draws). The time summed
    /// frame by frame may miss the duration by a rounding error either way;
    /// a frame whose clock lands on it still draws at progress 1.
    pub fn is_over(&self) -> bool {
        self.elapsed > self.seconds * (1.0 + 1e-9)
    }

    /// The progress eased along a cosine (MilkDrop 2's `CosineInterp`), as
    /// the per-frame values and the main wave's morph are mixed.
    pub fn cosine_progress(&self) -> f64 {
        0.5 - 0.5 * (self.progress() * std::f64::consts::PI).cos()
    }
}

/// The textures a frame renders into: the two feedback frames MilkDrop
/// ping-pongs between (the previous frame and the new one), where a blend's
/// second preset draws before it is mixed in, and where a composite shader
/// draws for an sRGB target.
#[derive(Default)]
pub(crate) struct Frames {
    pub feedback: [Option<FrameTexture>; 2],
    /// Index of the previous frame in `feedback`.
    pub current: usize,
    pub blend_target: Option<FrameTexture>,
    pub display: Option<FrameTexture>,
}

impl Frames {
    /// Makes the textures this frame needs at `size`: both feedback frames
    /// (the previous one only if there is none: the warp pass samples it by
    /// UV, so a resize carries the picture over), with full mip chains if
    /// `mipmaps` ([`crate::ButterchurnQuirks::mipmaps`]), the blend target
    /// and the sRGB intermediate when used.
    pub fn prepare(
        &mut self,
        device: &wgpu::Device,
        size: (u32, u32),
        (blending, via_display, mipmaps): (bool, bool, bool),
    ) {
        let make = || FrameTexture::new(device, size, "kefir frame");
        let make_feedback = || FrameTexture::feedback(device, size, mipmaps);
        if self.feedback[self.current].is_none() {
            self.feedback[self.current] = Some(make_feedback());
        }
        let stale = |t: &Option<FrameTexture>| t.as_ref().is_none_or(|f| f.size != size);
        let next = 1 - self.current;
        if stale(&self.feedback[next])
            || self.feedback[next]
                .as_ref()
                .is_some_and(|f| (f.levels() > 1) != mipmaps)
        {
            self.feedback[next] = Some(make_feedback());
        }
        if blending && stale(&self.blend_target) {
            self.blend_target = Some(make());
        }
        if via_display && stale(&self.display) {
            self.display = Some(make());
        }
    }

    /// The previous frame and the one this frame draws, after
    /// [`Frames::prepare`].
    pub fn pair(&self) -> (&FrameTexture, &FrameTexture) {
        match (
            &self.feedback[self.current],
            &self.feedback[1 - self.current],
        ) {
            (Some(src), Some(dst)) => (src, dst),
            _ => unreachable!("Frames::prepare makes both feedback textures"),
        }
    }

    /// The new frame becomes the previous one.
    pub fn flip(&mut self) {
        self.current = 1 - self.current;
    }
}

/// The device, queue and samplers every pass uses.
pub(crate) struct Gpu<'a> {
    pub device: &'a wgpu::Device,
    pub queue: &'a wgpu::Queue,
    pub samplers: &'a Samplers,
}

impl Gpu<'_> {
    /// The bilinear sampler, wrapping or clamping.
    pub fn linear(&self, wrap: bool) -> &wgpu::Sampler {
        let wrap = if wrap {
            milk_hlsl::Wrap::Repeat
        } else {
            milk_hlsl::Wrap::Clamp
        };
        self.samplers.get(milk_hlsl::Filter::Linear, wrap)
    }

    /// A bind group of the built-in warp and composite passes: uniforms,
    /// one texture, its sampler.
    pub fn fixed_bind_group(
        &self,
        layout: &wgpu::BindGroupLayout,
        uniforms: &wgpu::Buffer,
        view: &wgpu::TextureView,
        sampler: &wgpu::Sampler,
    ) -> wgpu::BindGroup {
        self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: uniforms.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::TextureView(view),
                },
                wgpu::BindGroupEntry {
                    binding: 2,
                    resource: wgpu::BindingResource::Sampler(sampler),
                },
            ],
        })
    }
}

/// What a render pass starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Begin {
    /// Black.
    Clear,
    /// What the target holds (drawing over it).
    Keep,
    /// Nothing: the pass covers every pixel without blending (a full-screen
    /// triangle, the warp mesh), so neither a clear nor a load is needed.
    /// The cheapest start on every GPU, a tiler or a software rasteriser.
    /// Not for preset shaders that may `discard` pixels
    /// ([`crate::stages::StageProgram::begin`]).
    Overwrite,
}

/// Records a frame's render passes into one command encoder, tagging each
/// with the [`Pass`] it belongs to and, with a [`timing::GpuTimer`], asking
/// the GPU for timestamps around it.
pub(crate) struct Recorder<'a> {
    pub encoder: &'a mut wgpu::CommandEncoder,
    timer: Option<&'a mut timing::GpuTimer>,
    pass: Pass,
}

impl<'a> Recorder<'a> {
    pub fn new(
        encoder: &'a mut wgpu::CommandEncoder,
        timer: Option<&'a mut timing::GpuTimer>,
    ) -> Self {
        Recorder {
            encoder,
            timer,
            pass: Pass::Code,
        }
    }

    /// Render passes from now on belong to `pass`.
    pub fn set_pass(&mut self, pass: Pass) {
        self.pass = pass;
    }

    /// A render pass drawing into one colour target, starting as `begin`
    /// says.
    pub fn color_pass(
        &mut self,
        label: &str,
        view: &wgpu::TextureView,
        begin: Begin,
    ) -> wgpu::RenderPass<'_> {
        let load = match begin {
            Begin::Clear => wgpu::LoadOp::Clear(wgpu::Color::BLACK),
            Begin::Keep => wgpu::LoadOp::Load,
            // SAFETY: `Begin::Overwrite` promises that the pass writes every
            // pixel, without blending, before anything reads the target.
            Begin::Overwrite => wgpu::LoadOp::DontCare(unsafe { wgpu::LoadOpDontCare::enabled() }),
        };
        let timestamp_writes = match &mut self.timer {
            Some(timer) => timer.writes(self.pass),
            None => None,
        };
        self.encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some(label),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view,
                depth_slice: None,
                resolve_target: None,
                ops: wgpu::Operations {
                    load,
                    store: wgpu::StoreOp::Store,
                },
            })],
            depth_stencil_attachment: None,
            timestamp_writes,
            occlusion_query_set: None,
            multiview_mask: None,
        })
    }
}
