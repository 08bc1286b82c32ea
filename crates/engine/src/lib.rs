//! Kefir's MilkDrop renderer on wgpu.
//!
//! A [`Visualizer`] is handed a host's `wgpu::Device` and `wgpu::Queue` (it
//! never opens a window) and renders a preset, frame by frame, into any
//! texture the host gives it, at any size. Each frame:
//!
//! 1. per-frame code (milk-parser's VM) with the audio levels as inputs;
//! 2. per-vertex code over the warp mesh ([`mesh`], 48x36 cells by default)
//!    giving each vertex its motion, then MilkDrop's UV math;
//! 3. the warp pass: the previous frame through the mesh, times decay (or
//!    the preset's warp shader), into the next frame (ping-pong between two
//!    8-bit textures, as MilkDrop's are), wrapping or clamping at the edges;
//! 4. the blur levels the preset's shaders read ([`blur`]), from the
//!    previous frame as MilkDrop 2's `BlurPasses` does;
//! 5. custom shapes, custom waves, the main wave, borders and motion
//!    vectors ([`shapes`], [`waves`], [`borders`]);
//! 6. the composite pass into the host's texture: video echo, gamma, hue
//!    shader, brighten/darken/solarize/invert, or MilkDrop 1.x's red-blue
//!    stereo (`bRedBlueStereo`, fixed-function path only: MilkDrop 2
//!    ignores it), or the preset's composite shader over MilkDrop 2's
//!    composite grid.
//!
//! MilkDrop 1.x presets use MilkDrop's fixed-function path, where per-frame
//! changes to decay, wrap, gamma, echo and the filters take effect. MilkDrop
//! 2 presets run their own warp and composite shaders ([`stages`]: HLSL
//! translated by milk-hlsl, with the blur levels of [`blur`] and the noise
//! and user textures of [`textures`]); a stage without shader text, or whose
//! shader fails, uses the shader MilkDrop 2 generates, which bakes in the
//! preset's file values (see [`runtime::PassStyle`]).
//!
//! Loading a preset has two halves: [`PresetBuilder::prepare`] compiles the
//! code, translates the shaders and builds the pipelines, on any thread (a
//! player prepares the next preset while the current one plays), and
//! [`Visualizer::load_prepared`] swaps it in without stalling a frame.
//!
//! [`headless`] creates a device without a window (Mesa's lavapipe in CI)
//! and reads textures back.

pub mod blur;
pub mod borders;
pub mod headless;
mod layout;
pub mod mesh;
pub mod pattern;
pub mod rng;
pub mod runtime;
pub mod shapes;
pub mod stages;
pub mod textures;
pub mod transition;
pub mod waves;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use milk_audio::AudioFrame;
use milk_parser::Preset;
use milk_parser::code::FrameInputs;
use wgpu::util::DeviceExt;

use crate::layout::FrameTexture;
use crate::mesh::{DEFAULT_MESH, Motion, WarpMesh, WarpTerms};
use crate::runtime::{FrameState, PassStyle, PresetRuntime};
use crate::stages::{PresetShaders, ShaderVertex};
use crate::textures::{TextureStore, TextureWarning};

pub use milk_parser::BlockError;
pub use stages::ShaderFailure;

/// Format of the feedback textures: 8 bits per channel, as MilkDrop's.
pub const FEEDBACK_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8Unorm;

/// How a [`Visualizer`] is set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Warp mesh cells, columns x rows (MilkDrop's default is 48x36).
    pub mesh: (u32, u32),
    /// Seed of the presets' `rand()` and of MilkDrop's random phases, so
    /// the same preset, audio, frame times and seed give the same frames.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            mesh: DEFAULT_MESH,
            seed: 0,
        }
    }
}

/// Why a frame was not rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("the target texture lacks RENDER_ATTACHMENT usage")]
    NotRenderable,
    #[error("the target texture is not a single-sample 2D texture")]
    UnsupportedTarget,
    #[error("the target format {0:?} cannot be rendered to")]
    UnsupportedFormat(wgpu::TextureFormat),
}

/// What loading a preset reported.
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    /// Code blocks that failed to compile; they are disabled, the rest of
    /// the preset runs (as in MilkDrop 2).
    pub errors: Vec<BlockError>,
    /// Shaders that did not translate or build; their stage runs MilkDrop's
    /// default shader instead.
    pub shader_failures: Vec<ShaderFailure>,
    /// Textures the shaders name that were not found or did not load; a
    /// neutral texture stands in.
    pub texture_warnings: Vec<TextureWarning>,
    /// Whether the warp and composite stages run the preset's own shaders.
    pub warp_shader: bool,
    pub comp_shader: bool,
    /// Time spent in [`PresetBuilder::prepare`] (code, shader translation,
    /// textures, pipelines).
    pub prepare_time: Duration,
}

/// A preset compiled and its pipelines built by [`PresetBuilder::prepare`],
/// ready for [`Visualizer::load_prepared`]. It can be made on another
/// thread and sent to the render thread.
pub struct PreparedPreset {
    runtime: PresetRuntime,
    shaders: PresetShaders,
    report: LoadReport,
}

impl PreparedPreset {
    /// What loading it will report.
    pub fn report(&self) -> &LoadReport {
        &self.report
    }
}

/// Prepares presets for a [`Visualizer`] on any thread: a cheap handle
/// (clones of the device, queue and shared texture cache) from
/// [`Visualizer::builder`].
#[derive(Clone)]
pub struct PresetBuilder {
    device: wgpu::Device,
    queue: wgpu::Queue,
    stage_module: wgpu::ShaderModule,
    textures: Arc<Mutex<TextureStore>>,
    seed: u64,
    comp_format: wgpu::TextureFormat,
}

impl PresetBuilder {
    /// Compiles `preset`'s code and builds its shader stages; `preset_dir`
    /// (the preset file's directory) is searched first for user textures.
    /// `serial` varies the preset's random values between loads (MilkDrop
    /// picks new ones each time a preset loads).
    pub fn prepare(
        &self,
        preset: &Preset,
        preset_dir: Option<&Path>,
        serial: u64,
    ) -> PreparedPreset {
        let started = Instant::now();
        let seed = self.seed ^ serial.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let runtime = PresetRuntime::new(preset, self.seed);
        let mut warnings = Vec::new();
        let shaders = {
            let mut store = self.textures.lock().unwrap_or_else(|e| e.into_inner());
            store.begin_preset(seed);
            let mut resolve = |source: &milk_hlsl::TextureSource| {
                let (texture, warning) = store.get(&self.device, &self.queue, source, preset_dir);
                // Both stages may name the same texture: one warning.
                if let Some(w) = warning.filter(|w| !warnings.contains(w)) {
                    warnings.push(w);
                }
                stages::FixedTexture {
                    view: texture.view,
                    size: texture.size,
                }
            };
            PresetShaders::build(
                &self.device,
                &self.stage_module,
                preset,
                self.comp_format,
                seed,
                &mut resolve,
            )
        };
        let report = LoadReport {
            errors: runtime.errors().to_vec(),
            shader_failures: shaders.failures.clone(),
            texture_warnings: warnings,
            warp_shader: shaders.warp.is_some(),
            comp_shader: shaders.comp.is_some(),
            prepare_time: started.elapsed(),
        };
        PreparedPreset {
            runtime,
            shaders,
            report,
        }
    }
}

#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct WarpVertex {
    pos: [f32; 2],
    uv: [f32; 2],
}

impl WarpVertex {
    const LAYOUT: wgpu::VertexBufferLayout<'static> = wgpu::VertexBufferLayout {
        array_stride: std::mem::size_of::<WarpVertex>() as u64,
        step_mode: wgpu::VertexStepMode::Vertex,
        attributes: &wgpu::vertex_attr_array![0 => Float32x2, 1 => Float32x2],
    };
}

#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct WarpUniforms {
    params: [f32; 4],
}

#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct CompUniforms {
    echo: [f32; 4],
    gain: [f32; 4],
    filters: [f32; 4],
    hue: [[f32; 4]; 4],
}

/// Where the CPU time of the last [`Visualizer::render`] went (wall-clock
/// durations, measured with [`Instant`]). `render` does not wait for the
/// GPU: a host that wants the GPU's share times its own wait (for example
/// `device.poll(wgpu::PollType::wait_indefinitely())` after `render`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FrameStats {
    /// Init code (first frame) and per-frame code.
    pub per_frame: Duration,
    /// Per-vertex code over the warp mesh and MilkDrop's UV math.
    pub per_vertex: Duration,
    /// Uploads of the mesh and uniforms, custom shapes' and custom waves'
    /// code and geometry, the main wave, motion vectors, borders and
    /// darken_center on the CPU.
    pub overlays: Duration,
    /// Overlay uploads, recording the passes and `Queue::submit`.
    pub submit: Duration,
}

/// Renders presets into host textures. See the crate documentation.
pub struct Visualizer {
    device: wgpu::Device,
    queue: wgpu::Queue,
    config: Config,
    shader: wgpu::ShaderModule,
    warp_pipeline: wgpu::RenderPipeline,
    comp_layout: wgpu::PipelineLayout,
    /// Composite pipelines by target format and red-blue stereo.
    comp_pipelines: HashMap<(wgpu::TextureFormat, bool), wgpu::RenderPipeline>,
    bind_layout: wgpu::BindGroupLayout,
    sampler_wrap: wgpu::Sampler,
    sampler_clamp: wgpu::Sampler,
    warp_uniforms: wgpu::Buffer,
    comp_uniforms: wgpu::Buffer,
    mesh: WarpMesh,
    mesh_size: (u32, u32),
    vertices: Vec<WarpVertex>,
    vertex_buffer: wgpu::Buffer,
    index_buffer: wgpu::Buffer,
    index_count: u32,
    feedback: [Option<FrameTexture>; 2],
    current: usize,
    runtime: PresetRuntime,
    time: f64,
    frame: u64,
    rand_start: [f32; 4],
    /// Custom shapes (step 4).
    shapes: shapes::ShapeRenderer,
    /// Waves, motion vectors, borders, darken_center (steps 3-4).
    overlay: waves::Overlay,
    stats: FrameStats,
    /// Per-frame results of the last frame.
    last_state: Option<FrameState>,
    /// MilkDrop 2 shader stages of the preset playing.
    shaders: PresetShaders,
    /// The vertex stage of every preset shader ([`stages`]).
    stage_module: wgpu::ShaderModule,
    samplers: stages::Samplers,
    /// milk-hlsl's uniform block, shared by both stages.
    shader_uniforms: wgpu::Buffer,
    /// The warp mesh as [`ShaderVertex`]es, when the warp stage is a shader.
    shader_vertices: Vec<ShaderVertex>,
    shader_vertex_buffer: wgpu::Buffer,
    /// MilkDrop 2's composite grid, built for the current aspect.
    comp_grid: Option<CompGrid>,
    blur: blur::BlurChain,
    textures: Arc<Mutex<TextureStore>>,
    /// `rand_frame` and `rot_rand*`.
    shader_rng: rng::Rng,
    /// Presets loaded so far (varies their random values).
    serial: u64,
    /// The last target's format (composite pipelines are prepared for it).
    output_format: wgpu::TextureFormat,
    /// Where a composite shader draws when the target is sRGB, and the pass
    /// that copies it to the target.
    display: Option<FrameTexture>,
    srgb_blit: Option<(wgpu::TextureFormat, wgpu::RenderPipeline)>,
    /// The preset being blended out, during a soft transition.
    blend: Option<Blend>,
    /// The clock the next frame's code sees, for replays (see
    /// [`Visualizer::set_next_clock`]).
    next_clock: Option<(f64, f64, u64)>,
    /// Per-vertex blend alpha for the mix passes: `[x, y, mix]` and
    /// `[x, y, 1 - mix]`.
    mix_vertices: [Vec<[f32; 3]>; 2],
    mix_vertex_buffers: [wgpu::Buffer; 2],
    /// Where the second preset of a blend draws before it is mixed in.
    blend_target: Option<FrameTexture>,
    /// One texture and its sampler: the mix and sRGB copy passes.
    mix_layout: wgpu::BindGroupLayout,
    /// Mix pipelines by target format and sRGB conversion.
    mix_pipelines: HashMap<(wgpu::TextureFormat, bool), wgpu::RenderPipeline>,
}

/// The outgoing preset of a soft transition: its code, shaders, clock and
/// uniform buffers, and the blend's pattern and progress.
struct Blend {
    runtime: PresetRuntime,
    shaders: PresetShaders,
    time: f64,
    frame: u64,
    warp_uniforms: wgpu::Buffer,
    comp_uniforms: wgpu::Buffer,
    shader_uniforms: wgpu::Buffer,
    seconds: f64,
    elapsed: f64,
    pattern: transition::BlendPattern,
    /// `(a, c)` per warp mesh vertex (see [`transition`]).
    coefficients: Vec<[f32; 2]>,
    /// The mesh the coefficients were made for.
    mesh: (u32, u32, [f32; 2]),
    rng: rng::Rng,
}

/// The composite grid's buffers.
struct CompGrid {
    aspect: [f32; 2],
    vertices: Vec<ShaderVertex>,
    vertex_buffer: wgpu::Buffer,
    index_buffer: wgpu::Buffer,
    index_count: u32,
}

/// `value` as C's `printf("%.{digits}f")` of a float prints it: MilkDrop 2
/// writes its generated shaders that way.
fn printed(value: f64, digits: usize) -> f32 {
    format!("{:.*}", digits, value as f32)
        .parse()
        .unwrap_or(0.0)
}

impl Visualizer {
    /// A visualizer on the host's device and queue, showing an empty
    /// preset (MilkDrop's defaults) until [`Visualizer::load_preset`].
    pub fn new(device: wgpu::Device, queue: wgpu::Queue, config: Config) -> Self {
        let shader = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("kefir passes"),
            source: wgpu::ShaderSource::Wgsl(
                concat!(include_str!("common.wgsl"), include_str!("shaders.wgsl")).into(),
            ),
        });
        let bind_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("kefir pass"),
            entries: &[
                layout::uniform(0),
                layout::texture_2d(1),
                layout::sampler(2),
            ],
        });
        let layout = layout::pipeline_layout(&device, "kefir pass", &bind_layout);
        let warp_pipeline = layout::render_pipeline(
            &device,
            layout::PipelineSpec {
                label: "kefir warp",
                layout: &layout,
                vertex: (&shader, "warp_vs"),
                buffers: &[Some(WarpVertex::LAYOUT)],
                fragment: (&shader, "warp_fs"),
                target: FEEDBACK_FORMAT.into(),
            },
        );
        let sampler = |mode: wgpu::AddressMode, label: &str| {
            device.create_sampler(&wgpu::SamplerDescriptor {
                label: Some(label),
                address_mode_u: mode,
                address_mode_v: mode,
                address_mode_w: mode,
                mag_filter: wgpu::FilterMode::Linear,
                min_filter: wgpu::FilterMode::Linear,
                ..Default::default()
            })
        };
        let sampler_wrap = sampler(wgpu::AddressMode::Repeat, "kefir wrap");
        let sampler_clamp = sampler(wgpu::AddressMode::ClampToEdge, "kefir clamp");
        let uniform = |size: usize, label: &str| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: size as u64,
                usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            })
        };
        let warp_uniforms = uniform(std::mem::size_of::<WarpUniforms>(), "kefir warp uniforms");
        let comp_uniforms = uniform(std::mem::size_of::<CompUniforms>(), "kefir comp uniforms");

        // MilkDrop's random start phases of the hue shader, from the seed.
        let mut rng = rng::Rng::new(config.seed);
        let rand_start = std::array::from_fn(|_| (rng.next_u64() % 64_000) as f32 * 0.01);
        let (cols, rows) = config.mesh;
        let mesh = WarpMesh::new(cols, rows, 1, 1);
        let (vertex_buffer, index_buffer, index_count) = Self::mesh_buffers(&device, &mesh);
        let runtime = PresetRuntime::new(&Preset::default(), config.seed);
        let shapes = shapes::ShapeRenderer::new(&device);
        let overlay = waves::Overlay::new(&device);
        let stage_module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("kefir shader stages"),
            source: wgpu::ShaderSource::Wgsl(
                concat!(include_str!("common.wgsl"), include_str!("stages.wgsl")).into(),
            ),
        });
        let shader_uniforms = uniform(milk_hlsl::MilkUniforms::SIZE, "kefir shader uniforms");
        let shader_vertex_buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("kefir shader warp mesh"),
            size: (mesh.vertex_count() * std::mem::size_of::<ShaderVertex>()) as u64,
            usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mix_buffer = |label: &str| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: (mesh.vertex_count() * 12) as u64,
                usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            })
        };
        let mix_vertex_buffers = [
            mix_buffer("kefir blend mix"),
            mix_buffer("kefir blend mix inverse"),
        ];
        let mix_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("kefir blend mix"),
            entries: &[layout::texture_2d(0), layout::sampler(1)],
        });
        Visualizer {
            blend: None,
            next_clock: None,
            mix_vertices: [Vec::new(), Vec::new()],
            mix_vertex_buffers,
            blend_target: None,
            mix_layout,
            mix_pipelines: HashMap::new(),
            shaders: PresetShaders::none(config.seed),
            samplers: stages::Samplers::new(&device),
            stage_module,
            shader_uniforms,
            shader_vertices: Vec::with_capacity(mesh.vertex_count()),
            shader_vertex_buffer,
            comp_grid: None,
            blur: blur::BlurChain::new(&device),
            textures: Arc::new(Mutex::new(TextureStore::new(config.seed, Vec::new()))),
            shader_rng: rng::Rng::new(config.seed ^ 0x7261_6e64),
            serial: 0,
            output_format: wgpu::TextureFormat::Rgba8Unorm,
            display: None,
            srgb_blit: None,
            comp_layout: layout,
            comp_pipelines: HashMap::new(),
            device,
            queue,
            config,
            shader,
            warp_pipeline,
            bind_layout,
            sampler_wrap,
            sampler_clamp,
            warp_uniforms,
            comp_uniforms,
            vertices: Vec::with_capacity(mesh.vertex_count()),
            mesh,
            mesh_size: (1, 1),
            vertex_buffer,
            index_buffer,
            index_count,
            feedback: [None, None],
            current: 0,
            runtime,
            time: 0.0,
            frame: 0,
            rand_start,
            shapes,
            overlay,
            stats: FrameStats::default(),
            last_state: None,
        }
    }

    fn mesh_buffers(device: &wgpu::Device, mesh: &WarpMesh) -> (wgpu::Buffer, wgpu::Buffer, u32) {
        let vertex_buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("kefir warp mesh"),
            size: (mesh.vertex_count() * std::mem::size_of::<WarpVertex>()) as u64,
            usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let indices = mesh.indices();
        let index_buffer = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("kefir warp mesh indices"),
            contents: bytemuck::cast_slice(&indices),
            usage: wgpu::BufferUsages::INDEX,
        });
        (vertex_buffer, index_buffer, indices.len() as u32)
    }

    pub fn config(&self) -> Config {
        self.config
    }

    /// The preset now playing.
    pub fn runtime(&self) -> &PresetRuntime {
        &self.runtime
    }

    /// Seconds rendered since the preset started.
    pub fn time(&self) -> f64 {
        self.time
    }

    /// The per-frame results (motion, decay, gamma, echo, filters, main
    /// wave and borders) of the last rendered frame, if any.
    pub fn frame_state(&self) -> Option<&FrameState> {
        self.last_state.as_ref()
    }

    /// CPU timings of the last rendered frame.
    pub fn frame_stats(&self) -> FrameStats {
        self.stats
    }

    /// Frames rendered since the preset started.
    pub fn frame(&self) -> u64 {
        self.frame
    }

    /// Switches to `preset` (immediately; transitions come later). The
    /// picture carries over, as in MilkDrop. User textures are looked up in
    /// the texture directories only; see [`Visualizer::load_preset_file`].
    pub fn load_preset(&mut self, preset: &Preset) -> LoadReport {
        self.load_preset_in(preset, None)
    }

    /// [`Visualizer::load_preset`], looking for user textures in
    /// `preset_dir` first.
    pub fn load_preset_in(&mut self, preset: &Preset, preset_dir: Option<&Path>) -> LoadReport {
        let prepared = self.builder().prepare(preset, preset_dir, self.serial);
        self.load_prepared(prepared)
    }

    /// Reads, parses and loads a preset file (user textures are looked up
    /// next to it first).
    pub fn load_preset_file(&mut self, path: &Path) -> Result<LoadReport, PresetFileError> {
        let bytes = std::fs::read(path).map_err(|e| PresetFileError::Read(path.to_owned(), e))?;
        let preset =
            Preset::from_bytes(&bytes).map_err(|e| PresetFileError::Parse(path.to_owned(), e))?;
        Ok(self.load_preset_in(&preset, path.parent()))
    }

    /// A handle that prepares presets on any thread (see
    /// [`PresetBuilder::prepare`]); its composite pipelines target the
    /// format of the last rendered target (RGBA8 before the first frame).
    pub fn builder(&self) -> PresetBuilder {
        self.builder_for(self.output_format)
    }

    /// A [`PresetBuilder`] whose composite pipelines target `format` (the
    /// format the host will render into), before any frame exists.
    pub fn builder_for(&self, format: wgpu::TextureFormat) -> PresetBuilder {
        PresetBuilder {
            device: self.device.clone(),
            queue: self.queue.clone(),
            stage_module: self.stage_module.clone(),
            textures: self.textures.clone(),
            seed: self.config.seed,
            comp_format: comp_format(format),
        }
    }

    /// Switches to a preset made by [`PresetBuilder::prepare`], as a hard
    /// cut or a MilkDrop 2 blend (see [`Switch`]). No compiling or
    /// pipeline building happens here.
    pub fn switch_to(&mut self, prepared: PreparedPreset, switch: Switch) -> LoadReport {
        match switch {
            Switch::Cut => self.load_prepared(prepared),
            Switch::Blend { seconds } => self.blend_to(prepared, seconds),
        }
    }

    /// Clears the picture to black ("start clean" instead of carrying the
    /// previous preset's image over).
    pub fn clear_frame(&mut self) {
        self.feedback = [None, None];
    }

    /// Switches to a preset made by [`PresetBuilder::prepare`] with a hard
    /// cut: no compiling or pipeline building happens here.
    pub fn load_prepared(&mut self, prepared: PreparedPreset) -> LoadReport {
        self.blend = None;
        self.runtime = prepared.runtime;
        self.shaders = prepared.shaders;
        self.serial += 1;
        self.last_state = None;
        self.time = 0.0;
        self.frame = 0;
        prepared.report
    }

    /// Starts a soft transition: the preset playing becomes the outgoing
    /// one (an earlier blend still running is cut short, as in MilkDrop).
    fn blend_to(&mut self, prepared: PreparedPreset, seconds: f64) -> LoadReport {
        if seconds.is_nan() || seconds <= 0.0 || self.last_state.is_none() {
            // Nothing on screen to blend from (or no time): a cut.
            return self.load_prepared(prepared);
        }
        let uniform = |size: usize, label: &str| {
            self.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: size as u64,
                usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            })
        };
        let warp_uniforms = uniform(std::mem::size_of::<WarpUniforms>(), "kefir blend warp");
        let comp_uniforms = uniform(std::mem::size_of::<CompUniforms>(), "kefir blend comp");
        let shader_uniforms = uniform(milk_hlsl::MilkUniforms::SIZE, "kefir blend shaders");
        let mut rng =
            rng::Rng::new(self.config.seed ^ self.serial.wrapping_mul(0xA076_1D64_78BD_642F));
        let pattern = transition::BlendPattern::random(&mut rng);
        let outgoing = Blend {
            runtime: std::mem::replace(&mut self.runtime, prepared.runtime),
            shaders: std::mem::replace(&mut self.shaders, prepared.shaders),
            time: self.time,
            frame: self.frame,
            warp_uniforms,
            comp_uniforms,
            shader_uniforms,
            seconds,
            elapsed: 0.0,
            pattern,
            coefficients: Vec::new(),
            mesh: (0, 0, [0.0; 2]),
            rng,
        };
        self.blend = Some(outgoing);
        self.serial += 1;
        self.last_state = None;
        self.time = 0.0;
        self.frame = 0;
        prepared.report
    }

    /// Sets the clock the next frame's code sees (time since the preset
    /// started, fps, frame number), for replaying another renderer's run
    /// frame for frame (`kefir render --replay`); later frames go on from
    /// it.
    pub fn set_next_clock(&mut self, time: f64, fps: f64, frame: u64) {
        self.next_clock = Some((time, fps, frame));
    }

    /// Whether a soft transition is running, and how far (0..1).
    pub fn blend_progress(&self) -> Option<f64> {
        self.blend
            .as_ref()
            .map(|b| (b.elapsed / b.seconds).clamp(0.0, 1.0))
    }

    /// Forces the blend pattern of the running transition (tests and
    /// hosts that want a particular look); no effect without a blend.
    pub fn set_blend_pattern(&mut self, pattern: transition::BlendPattern) {
        if let Some(b) = &mut self.blend {
            b.pattern = pattern;
            b.coefficients.clear();
        }
    }

    /// Directories searched for the user textures preset shaders name
    /// (after the preset's own directory), for presets loaded from now on.
    pub fn set_texture_dirs(&mut self, dirs: Vec<PathBuf>) {
        let mut store = self.textures.lock().unwrap_or_else(|e| e.into_inner());
        *store = TextureStore::new(self.config.seed, dirs);
    }

    /// Shader failures of the preset playing.
    pub fn shader_failures(&self) -> &[ShaderFailure] {
        &self.shaders.failures
    }

    fn feedback_texture(&self, width: u32, height: u32) -> FrameTexture {
        FrameTexture::new(&self.device, (width, height), "kefir frame")
    }

    /// Replaces the current picture (the "previous frame" the next warp
    /// pass reads) with `rgba`, `width` x `height` pixels, 4 bytes each,
    /// rows top to bottom. Useful to start from an image, and for tests.
    ///
    /// # Panics
    /// If `rgba` is not `width * height * 4` bytes or a size is 0.
    pub fn set_frame(&mut self, width: u32, height: u32, rgba: &[u8]) {
        assert!(width > 0 && height > 0, "empty frame");
        assert_eq!(rgba.len(), width as usize * height as usize * 4);
        let fb = self.feedback_texture(width, height);
        self.queue.write_texture(
            fb.texture.as_image_copy(),
            rgba,
            wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(width * 4),
                rows_per_image: Some(height),
            },
            fb.texture.size(),
        );
        self.feedback[self.current] = Some(fb);
    }

    /// The texture holding the current picture before the composite (8-bit
    /// RGBA, the size of the last target), if a frame exists.
    pub fn frame_texture(&self) -> Option<&wgpu::Texture> {
        self.feedback[self.current].as_ref().map(|f| &f.texture)
    }

    /// The composite pipeline for `format`: the full-screen pass, or with
    /// `stereo` MilkDrop 1.x's red-blue stereo drawn through the warp mesh.
    fn comp_pipeline(
        &mut self,
        format: wgpu::TextureFormat,
        stereo: bool,
    ) -> &wgpu::RenderPipeline {
        let (device, shader, layout) = (&self.device, &self.shader, &self.comp_layout);
        self.comp_pipelines
            .entry((format, stereo))
            .or_insert_with(|| {
                let mesh_layout = [Some(WarpVertex::LAYOUT)];
                let (vs, fs, buffers): (_, _, &[Option<wgpu::VertexBufferLayout>]) = if stereo {
                    ("stereo_vs", "stereo_fs", &mesh_layout)
                } else {
                    ("comp_vs", "comp_fs", &[])
                };
                layout::render_pipeline(
                    device,
                    layout::PipelineSpec {
                        label: "kefir composite",
                        layout,
                        vertex: (shader, vs),
                        buffers,
                        fragment: (shader, fs),
                        target: format.into(),
                    },
                )
            })
    }

    /// The per-frame inputs of a preset at `time`, `frame`.
    fn frame_inputs(
        &self,
        (time, frame): (f64, u64),
        dt: f64,
        audio: &AudioFrame,
        width: u32,
        height: u32,
    ) -> FrameInputs {
        let [ax, ay] = self.mesh.aspect();
        FrameInputs {
            time,
            fps: if dt > 0.0 { 1.0 / dt } else { 0.0 },
            frame: frame as f64,
            progress: 0.0,
            bass: f64::from(audio.bass),
            mid: f64::from(audio.mid),
            treb: f64::from(audio.treb),
            bass_att: f64::from(audio.bass_att),
            mid_att: f64::from(audio.mid_att),
            treb_att: f64::from(audio.treb_att),
            meshx: f64::from(self.mesh.cols()),
            meshy: f64::from(self.mesh.rows()),
            pixelsx: f64::from(width),
            pixelsy: f64::from(height),
            // MilkDrop hands presets the inverse aspect factors.
            aspectx: f64::from(1.0 / ax),
            aspecty: f64::from(1.0 / ay),
        }
    }

    /// Renders one frame `dt` seconds after the previous one into `target`
    /// (any size; a 2D, single-sample texture with `RENDER_ATTACHMENT`
    /// usage and a color format; sRGB formats get MilkDrop's display values).
    pub fn render(
        &mut self,
        dt: f64,
        audio: &AudioFrame,
        target: &wgpu::Texture,
    ) -> Result<(), RenderError> {
        let format = target.format();
        if !target
            .usage()
            .contains(wgpu::TextureUsages::RENDER_ATTACHMENT)
        {
            return Err(RenderError::NotRenderable);
        }
        if target.dimension() != wgpu::TextureDimension::D2 || target.sample_count() != 1 {
            return Err(RenderError::UnsupportedTarget);
        }
        let float_output = matches!(
            format.sample_type(None, None),
            Some(wgpu::TextureSampleType::Float { .. })
        );
        if !format.has_color_aspect() || format.is_compressed() || !float_output {
            return Err(RenderError::UnsupportedFormat(format));
        }
        let (width, height) = (target.width(), target.height());
        self.output_format = format;

        if self.mesh_size != (width, height) {
            let (cols, rows) = self.config.mesh;
            self.mesh = WarpMesh::new(cols, rows, width, height);
            self.mesh_size = (width, height);
        }

        // MilkDrop advances its clock before drawing (`DoTime`): a preset's
        // first frame sees time = 1/fps.
        self.time += dt;
        if let Some(b) = &mut self.blend {
            b.time += dt;
        }
        if let Some((time, _, frame)) = self.next_clock {
            self.time = time;
            self.frame = frame;
        }

        // 1-2: per-frame and per-vertex code, then the mesh's UVs.
        let started = Instant::now();
        let mut inputs = self.frame_inputs((self.time, self.frame), dt, audio, width, height);
        if let Some((_, fps, _)) = self.next_clock.take() {
            inputs.fps = fps;
        }
        let state = self.runtime.run_frame(&inputs);
        let old_inputs = self
            .blend
            .as_ref()
            .map(|b| self.frame_inputs((b.time, b.frame), dt, audio, width, height));
        let old_state = match (&mut self.blend, &old_inputs) {
            (Some(b), Some(i)) => Some(b.runtime.run_frame(i)),
            _ => None,
        };
        // During a blend the values that do not move pixels (wave, border,
        // motion vector colours, decay, gamma, echo, blur ranges, flags) go
        // from the old preset's to the new one's along a cosine, as
        // MilkDrop 2 does; flags switch at its snap point.
        let state = match (&self.blend, &old_state) {
            (Some(b), Some(old)) => {
                let progress = (b.elapsed / b.seconds).clamp(0.0, 1.0);
                let mix = 0.5 - 0.5 * (progress * std::f64::consts::PI).cos();
                let new_shader = self.runtime.comp_style() == PassStyle::Generated;
                let old_shader = b.runtime.comp_style() == PassStyle::Generated;
                let snap = match (old_shader, new_shader) {
                    (true, false) => -0.01,
                    (false, true) => 1.01,
                    _ => 0.5,
                };
                state.blended(old, mix, snap)
            }
            _ => state,
        };
        let per_frame_done = Instant::now();
        let uvs = warp_uvs(&mut self.runtime, &self.mesh, &state, self.time);
        self.vertices.clear();
        self.vertices.extend(
            self.mesh
                .clip_positions()
                .iter()
                .zip(&uvs)
                .map(|(pos, uv)| WarpVertex { pos: *pos, uv: *uv }),
        );
        // A blend: the outgoing preset's motion too, mixed per vertex along
        // the blend pattern (MilkDrop 2's `ComputeGridAlphaValues`).
        let blending = match (&mut self.blend, &old_state) {
            (Some(b), Some(old)) => {
                let old_uvs = warp_uvs(&mut b.runtime, &self.mesh, old, b.time);
                let shape = (self.mesh.cols(), self.mesh.rows(), self.mesh.aspect());
                if b.mesh != shape || b.coefficients.len() != self.vertices.len() {
                    b.coefficients = b
                        .pattern
                        .coefficients(shape.0, shape.1, shape.2, &mut b.rng);
                    b.mesh = shape;
                }
                let progress = (b.elapsed / b.seconds).clamp(0.0, 1.0) as f32;
                let [mix, inverse] = &mut self.mix_vertices;
                mix.clear();
                inverse.clear();
                for ((v, old), c) in self.vertices.iter_mut().zip(&old_uvs).zip(&b.coefficients) {
                    let t = transition::mix(*c, progress);
                    v.uv = [
                        v.uv[0] * t + old[0] * (1.0 - t),
                        v.uv[1] * t + old[1] * (1.0 - t),
                    ];
                    mix.push([v.pos[0], v.pos[1], t]);
                    inverse.push([v.pos[0], v.pos[1], 1.0 - t]);
                }
                true
            }
            _ => false,
        };
        let any_warp_shader = self.shaders.warp.is_some()
            || self
                .blend
                .as_ref()
                .is_some_and(|b| b.shaders.warp.is_some());
        if any_warp_shader {
            // Warp shaders also read uv_orig, rad and ang per vertex.
            let [x, y, rad, ang] = self.mesh.inputs();
            self.shader_vertices.clear();
            self.shader_vertices
                .extend(self.vertices.iter().enumerate().map(|(n, v)| ShaderVertex {
                    pos: v.pos,
                    uv: [v.uv[0], v.uv[1], x[n] as f32, y[n] as f32],
                    rad_ang: [rad[n] as f32, ang[n] as f32],
                    hue: [1.0; 4],
                }));
        }
        let per_vertex_done = Instant::now();
        if any_warp_shader {
            self.queue.write_buffer(
                &self.shader_vertex_buffer,
                0,
                bytemuck::cast_slice(&self.shader_vertices),
            );
        }
        self.queue
            .write_buffer(&self.vertex_buffer, 0, bytemuck::cast_slice(&self.vertices));
        if blending {
            for (buffer, vertices) in self.mix_vertex_buffers.iter().zip(&self.mix_vertices) {
                self.queue
                    .write_buffer(buffer, 0, bytemuck::cast_slice(vertices));
            }
        }

        // 5a: custom shapes' per-frame code (per instance) and geometry.
        self.shapes.prepare(
            &self.device,
            &self.queue,
            &mut self.runtime,
            &inputs,
            (width, height),
            self.mesh.aspect(),
        );

        let (warp, comp, comp_wrap) = pass_uniforms(
            &self.runtime,
            &state,
            format.is_srgb(),
            self.time,
            self.rand_start,
        );
        self.queue
            .write_buffer(&self.warp_uniforms, 0, bytemuck::bytes_of(&warp));
        self.queue
            .write_buffer(&self.comp_uniforms, 0, bytemuck::bytes_of(&comp));
        let blur_levels = self
            .shaders
            .blur_levels()
            .max(self.blend.as_ref().map_or(0, |b| b.shaders.blur_levels()));
        let blur_params = blur::BlurParams {
            min: state.blur_min.map(|v| v as f32),
            max: state.blur_max.map(|v| v as f32),
            edge_darken: state.blur1_edge_darken as f32,
        };
        let shader_uniforms =
            |time: f64, inputs: &FrameInputs, s: &FrameState| stages::ShaderUniforms {
                time,
                fps: inputs.fps,
                frame: inputs.frame,
                progress: inputs.progress,
                levels: [audio.bass, audio.mid, audio.treb, audio.vol],
                levels_att: [audio.bass_att, audio.mid_att, audio.treb_att, audio.vol_att],
                aspect: self.mesh.aspect(),
                size: (width, height),
                blur: blur_params.shader_constants(),
                q: s.q,
            };
        if self.shaders.warp.is_some() || self.shaders.comp.is_some() {
            let block = shader_uniforms(self.time, &inputs, &state)
                .to_block(&self.shaders.randoms, &mut self.shader_rng);
            self.queue
                .write_buffer(&self.shader_uniforms, 0, &block.to_bytes());
        }
        let mut old_comp_wrap = false;
        if let (Some(b), Some(old), Some(old_inputs)) = (&self.blend, &old_state, &old_inputs) {
            // The outgoing composite draws into an 8-bit linear texture.
            let (warp, comp, wrap) = pass_uniforms(&b.runtime, old, false, b.time, self.rand_start);
            old_comp_wrap = wrap;
            self.queue
                .write_buffer(&b.warp_uniforms, 0, bytemuck::bytes_of(&warp));
            self.queue
                .write_buffer(&b.comp_uniforms, 0, bytemuck::bytes_of(&comp));
            if b.shaders.warp.is_some() || b.shaders.comp.is_some() {
                let block = shader_uniforms(b.time, old_inputs, old)
                    .to_block(&b.shaders.randoms, &mut self.shader_rng);
                self.queue
                    .write_buffer(&b.shader_uniforms, 0, &block.to_bytes());
            }
        }
        let any_comp_shader = self.shaders.comp.is_some()
            || self
                .blend
                .as_ref()
                .is_some_and(|b| b.shaders.comp.is_some());
        if any_comp_shader {
            let aspect = self.mesh.aspect();
            if self.comp_grid.as_ref().is_none_or(|g| g.aspect != aspect) {
                self.comp_grid = Some(self.make_comp_grid(aspect));
            }
            let corners = hue_corners(self.time, self.rand_start, 1.0);
            if let Some(grid) = &mut self.comp_grid {
                stages::apply_hue_corners(&mut grid.vertices, &corners);
                self.queue.write_buffer(
                    &grid.vertex_buffer,
                    0,
                    bytemuck::cast_slice(&grid.vertices),
                );
            }
        }
        // Pipelines for this frame's formats (built once per format).
        let comp_target = comp_format(format);
        if let Some(p) = &mut self.shaders.comp {
            p.ensure_pipeline(&self.device, &self.stage_module, comp_target);
        }
        if let Some(p) = self.blend.as_mut().and_then(|b| b.shaders.comp.as_mut()) {
            p.ensure_pipeline(&self.device, &self.stage_module, FEEDBACK_FORMAT);
        }
        let stereo =
            self.runtime.red_blue_stereo() && self.runtime.comp_style() == PassStyle::Fixed;
        self.comp_pipeline(format, stereo);
        let old_stereo = self.blend.as_ref().is_some_and(|b| {
            b.runtime.red_blue_stereo() && b.runtime.comp_style() == PassStyle::Fixed
        });
        let srgb_display = self.shaders.comp.is_some() && format.is_srgb();
        let out_format = if srgb_display {
            FEEDBACK_FORMAT
        } else {
            format
        };
        if blending {
            self.comp_pipeline(FEEDBACK_FORMAT, old_stereo);
            self.mix_pipeline(FEEDBACK_FORMAT, false);
            self.mix_pipeline(out_format, out_format.is_srgb());
        }

        // Feedback textures at the target's size; the warp pass samples the
        // previous frame by UV, so a resize carries the picture over.
        if self.feedback[self.current].is_none() {
            self.feedback[self.current] = Some(self.feedback_texture(width, height));
        }
        let next = 1 - self.current;
        if self.feedback[next]
            .as_ref()
            .is_none_or(|f| f.size != (width, height))
        {
            self.feedback[next] = Some(self.feedback_texture(width, height));
        }
        if blending
            && self
                .blend_target
                .as_ref()
                .is_none_or(|f| f.size != (width, height))
        {
            self.blend_target = Some(self.feedback_texture(width, height));
        }
        if srgb_display
            && self
                .display
                .as_ref()
                .is_none_or(|d| d.size != (width, height))
        {
            self.display = Some(self.feedback_texture(width, height));
        }
        if blur_levels > 0 {
            self.blur.prepare(&self.device, (width, height));
        }
        let (Some(src), Some(dst)) = (&self.feedback[self.current], &self.feedback[next]) else {
            unreachable!("both feedback textures exist");
        };

        let sampler_for = |wrap: bool| {
            if wrap {
                &self.sampler_wrap
            } else {
                &self.sampler_clamp
            }
        };
        let bind = |buffer: &wgpu::Buffer, view: &wgpu::TextureView, sampler: &wgpu::Sampler| {
            self.device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: None,
                layout: &self.bind_layout,
                entries: &[
                    wgpu::BindGroupEntry {
                        binding: 0,
                        resource: buffer.as_entire_binding(),
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
        };
        let blur_views = [1, 2, 3].map(|n| (self.blur.view(n), self.blur.size(n)));
        // The warp shader reads the previous frame and last frame's blur
        // levels; the composite shader the new frame and this frame's blur
        // levels (made from the previous frame, see step 4).
        let warp_views = stages::FrameViews {
            main: &src.view,
            main_size: src.size,
            blur: blur_views,
        };
        let comp_views = stages::FrameViews {
            main: &dst.view,
            main_size: dst.size,
            blur: blur_views,
        };
        let stage_bind = |program: &Option<stages::StageProgram>,
                          uniforms: &wgpu::Buffer,
                          views: &stages::FrameViews<'_>| {
            program
                .as_ref()
                .map(|p| p.bind_group(&self.device, &self.queue, uniforms, views, &self.samplers))
        };
        let new_warp = WarpDraw {
            fixed: bind(
                &self.warp_uniforms,
                &src.view,
                sampler_for(warp.params[1] > 0.5),
            ),
            shader: stage_bind(&self.shaders.warp, &self.shader_uniforms, &warp_views),
        };
        let new_comp_bind = bind(&self.comp_uniforms, &dst.view, sampler_for(comp_wrap));
        let new_comp_shader_bind =
            stage_bind(&self.shaders.comp, &self.shader_uniforms, &comp_views);
        let old_draws = self.blend.as_ref().map(|b| {
            let old_wrap = old_state
                .as_ref()
                .is_some_and(|s| match b.runtime.warp_style() {
                    PassStyle::Fixed => s.wrap,
                    PassStyle::Generated => b.runtime.base().tex_wrap,
                });
            (
                WarpDraw {
                    fixed: bind(&b.warp_uniforms, &src.view, sampler_for(old_wrap)),
                    shader: stage_bind(&b.shaders.warp, &b.shader_uniforms, &warp_views),
                },
                bind(&b.comp_uniforms, &dst.view, sampler_for(old_comp_wrap)),
                stage_bind(&b.shaders.comp, &b.shader_uniforms, &comp_views),
            )
        });
        // Textured shapes sample the previous frame (MilkDrop's VS[0]).
        let shapes_bind =
            self.shapes
                .bind_group(&self.device, &src.view, sampler_for(warp.params[1] > 0.5));
        let dst_view = dst.view.clone();
        let src_view = src.view.clone();
        let target_view = target.create_view(&Default::default());
        let blend_view = self.blend_target.as_ref().map(|f| f.view.clone());
        let display_view = srgb_display
            .then(|| self.display.as_ref().map(|d| d.view.clone()))
            .flatten();

        // Motion vectors go into the previous frame, before the warp (as in
        // MilkDrop 2); custom waves, the main wave, darken_center and the
        // borders into the new frame after the custom shapes. During a
        // blend only the incoming preset draws them.
        let aspect = self.mesh.aspect();
        let mut vectors = waves::Canvas::new(width, height);
        let vertices = &self.vertices;
        borders::draw_motion_vectors(&mut vectors, &state.draw, &self.mesh, &|n| {
            vertices.get(n).map_or([0.0; 2], |v| v.uv)
        });
        let mut drawing = waves::Canvas::new(width, height);
        {
            let (code, overruns) = self.runtime.waves_mut();
            waves::draw_custom_waves(&mut drawing, code, overruns, &inputs, audio, aspect);
        }
        let base = self.runtime.base();
        waves::draw_main_wave(&mut drawing, &state.draw, base, audio, self.time, aspect);
        borders::draw_sprites(&mut drawing, &state.draw, aspect);
        let overlays_done = Instant::now();
        self.overlay.begin_frame();

        let mut encoder = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("kefir frame"),
            });
        let mesh = MeshBuffers {
            fixed: &self.vertex_buffer,
            shader: &self.shader_vertex_buffer,
            indices: &self.index_buffer,
            count: self.index_count,
        };
        // 3: motion vectors into the previous frame, then the warp pass.
        self.overlay
            .encode(&self.device, &self.queue, &mut encoder, &src_view, &vectors);
        let new_warp_program = self.shaders.warp.as_ref();
        match (&old_draws, &self.blend) {
            (Some((old_warp, ..)), Some(b)) if any_warp_shader => {
                // MilkDrop 2 draws the old preset's warp, then the new one's
                // over it with the blend pattern as alpha.
                let Some(blend_view) = &blend_view else {
                    unreachable!("the blend target is made above");
                };
                draw_warp(
                    &mut encoder,
                    &dst_view,
                    &self.warp_pipeline,
                    b.shaders.warp.as_ref(),
                    old_warp,
                    &mesh,
                );
                draw_warp(
                    &mut encoder,
                    blend_view,
                    &self.warp_pipeline,
                    new_warp_program,
                    &new_warp,
                    &mesh,
                );
                self.draw_mix(
                    &mut encoder,
                    blend_view,
                    &dst_view,
                    FEEDBACK_FORMAT,
                    false,
                    0,
                );
            }
            // Without warp shaders the blend is all in the mesh's UVs.
            _ => draw_warp(
                &mut encoder,
                &dst_view,
                &self.warp_pipeline,
                new_warp_program,
                &new_warp,
                &mesh,
            ),
        }
        // 4 (MilkDrop 2 order): the blur levels the shaders read, right after
        // the warp and from the texture the warp read (`m_lpVS[0]` in
        // `BlurPasses`: the previous frame with this frame's motion vectors),
        // before the shapes and waves are drawn.
        if blur_levels > 0 {
            self.blur.encode(
                &self.device,
                &self.queue,
                &mut encoder,
                &src_view,
                (width, height),
                blur_levels,
                &blur_params,
            );
        }
        // 5: custom shapes, drawn first of the overlays as in MilkDrop 2
        // (`DrawCustomShapes` before `DrawCustomWaves` and `DrawWave`).
        if self.shapes.has_draws() {
            let mut pass = color_pass(&mut encoder, "kefir shapes", &dst_view, false);
            self.shapes.draw(&mut pass, &shapes_bind);
        }
        // 5: custom waves, main wave, darken_center, borders.
        self.overlay
            .encode(&self.device, &self.queue, &mut encoder, &dst_view, &drawing);
        // 6: the composite, into the target (or, for a composite shader on
        // an sRGB target, into an 8-bit texture copied over at the end).
        let out_view = display_view.as_ref().unwrap_or(&target_view);
        let grid = self.comp_grid.as_ref();
        self.draw_comp(
            &mut encoder,
            out_view,
            out_format,
            CompDraw {
                runtime_stereo: stereo,
                program: self.shaders.comp.as_ref(),
                shader_bind: new_comp_shader_bind.as_ref(),
                fixed_bind: &new_comp_bind,
            },
            grid,
        );
        // Two MilkDrop 1.x presets share one composite with the blended
        // values (MilkDrop's `ShowToUser_NoShaders`); where a composite
        // shader is involved the outgoing composite is drawn too and mixed
        // over the new one by the pattern.
        let both_fixed = self.runtime.comp_style() == PassStyle::Fixed
            && self
                .blend
                .as_ref()
                .is_some_and(|b| b.runtime.comp_style() == PassStyle::Fixed);
        if let (Some((_, old_comp_bind, old_comp_shader_bind)), Some(b), Some(blend_view), false) =
            (&old_draws, &self.blend, &blend_view, both_fixed)
        {
            // The outgoing composite, mixed over the new one where the
            // pattern has not reached yet.
            self.draw_comp(
                &mut encoder,
                blend_view,
                FEEDBACK_FORMAT,
                CompDraw {
                    runtime_stereo: old_stereo,
                    program: b.shaders.comp.as_ref(),
                    shader_bind: old_comp_shader_bind.as_ref(),
                    fixed_bind: old_comp_bind,
                },
                grid,
            );
            let srgb = out_format.is_srgb();
            self.draw_mix(&mut encoder, blend_view, out_view, out_format, srgb, 1);
        }
        if let Some(display) = &display_view {
            self.blit_srgb(&mut encoder, display, &target_view, format);
        }
        self.finish_frame(
            encoder,
            state,
            next,
            dt,
            started,
            per_frame_done,
            per_vertex_done,
            overlays_done,
        );
        Ok(())
    }

    /// Submits the frame and advances the clock.
    #[allow(clippy::too_many_arguments)]
    fn finish_frame(
        &mut self,
        encoder: wgpu::CommandEncoder,
        state: FrameState,
        next: usize,
        dt: f64,
        started: Instant,
        per_frame_done: Instant,
        per_vertex_done: Instant,
        overlays_done: Instant,
    ) {
        self.queue.submit([encoder.finish()]);
        let submitted = Instant::now();
        // Shapes' code ran between the per-vertex code and the overlays.
        self.stats = FrameStats {
            per_frame: per_frame_done - started,
            per_vertex: per_vertex_done - per_frame_done,
            overlays: overlays_done - per_vertex_done,
            submit: submitted - overlays_done,
        };
        self.last_state = Some(state);
        self.current = next;
        self.frame += 1;
        if let Some(b) = &mut self.blend {
            b.frame += 1;
            b.elapsed += dt;
            if b.elapsed >= b.seconds {
                self.blend = None;
            }
        }
    }

    /// Builds the mix pipeline for `format` (with sRGB conversion) once.
    fn mix_pipeline(&mut self, format: wgpu::TextureFormat, srgb: bool) {
        if self.mix_pipelines.contains_key(&(format, srgb)) {
            return;
        }
        let layout = layout::pipeline_layout(&self.device, "kefir blend mix", &self.mix_layout);
        let pipeline = layout::render_pipeline(
            &self.device,
            layout::PipelineSpec {
                label: "kefir blend mix",
                layout: &layout,
                vertex: (&self.stage_module, "mix_vs"),
                buffers: &[Some(wgpu::VertexBufferLayout {
                    array_stride: 12,
                    step_mode: wgpu::VertexStepMode::Vertex,
                    attributes: &wgpu::vertex_attr_array![0 => Float32x2, 1 => Float32],
                })],
                fragment: (
                    &self.stage_module,
                    if srgb { "mix_srgb_fs" } else { "mix_fs" },
                ),
                target: wgpu::ColorTargetState {
                    format,
                    blend: Some(wgpu::BlendState::ALPHA_BLENDING),
                    write_mask: wgpu::ColorWrites::ALL,
                },
            },
        );
        self.mix_pipelines.insert((format, srgb), pipeline);
    }

    /// Draws `source` over `target` with the blend pattern's per-vertex
    /// alpha (`which`: 0 = mix, 1 = 1 - mix).
    fn draw_mix(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        source: &wgpu::TextureView,
        target: &wgpu::TextureView,
        format: wgpu::TextureFormat,
        srgb: bool,
        which: usize,
    ) {
        let Some(pipeline) = self.mix_pipelines.get(&(format, srgb)) else {
            return;
        };
        let bind = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("kefir blend mix"),
            layout: &self.mix_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(source),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::Sampler(
                        self.samplers
                            .get(milk_hlsl::Filter::Point, milk_hlsl::Wrap::Clamp),
                    ),
                },
            ],
        });
        let mut pass = color_pass(encoder, "kefir blend mix", target, false);
        pass.set_pipeline(pipeline);
        pass.set_bind_group(0, &bind, &[]);
        pass.set_vertex_buffer(0, self.mix_vertex_buffers[which].slice(..));
        pass.set_index_buffer(self.index_buffer.slice(..), wgpu::IndexFormat::Uint32);
        pass.draw_indexed(0..self.index_count, 0, 0..1);
    }

    /// One preset's composite into `view`: its shader over the composite
    /// grid, or the fixed-function / generated pass.
    fn draw_comp(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        view: &wgpu::TextureView,
        format: wgpu::TextureFormat,
        draw: CompDraw<'_>,
        grid: Option<&CompGrid>,
    ) {
        let mut pass = color_pass(encoder, "kefir composite", view, true);
        if let (Some(pipeline), Some(bind), Some(grid)) = (
            draw.program.and_then(|p| p.pipeline(format)),
            draw.shader_bind,
            grid,
        ) {
            pass.set_pipeline(pipeline);
            pass.set_bind_group(0, bind, &[]);
            pass.set_vertex_buffer(0, grid.vertex_buffer.slice(..));
            pass.set_index_buffer(grid.index_buffer.slice(..), wgpu::IndexFormat::Uint32);
            pass.draw_indexed(0..grid.index_count, 0, 0..1);
            return;
        }
        let Some(pipeline) = self.comp_pipelines.get(&(format, draw.runtime_stereo)) else {
            return;
        };
        pass.set_pipeline(pipeline);
        pass.set_bind_group(0, draw.fixed_bind, &[]);
        if draw.runtime_stereo {
            pass.set_vertex_buffer(0, self.vertex_buffer.slice(..));
            pass.set_index_buffer(self.index_buffer.slice(..), wgpu::IndexFormat::Uint32);
            pass.draw_indexed(0..self.index_count, 0, 0..1);
        } else {
            pass.draw(0..3, 0..1);
        }
    }

    fn make_comp_grid(&self, aspect: [f32; 2]) -> CompGrid {
        let (vertices, indices) = stages::comp_grid(aspect);
        let vertex_buffer = self
            .device
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some("kefir composite grid"),
                contents: bytemuck::cast_slice(&vertices),
                usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
            });
        let index_buffer = self
            .device
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some("kefir composite grid indices"),
                contents: bytemuck::cast_slice(&indices),
                usage: wgpu::BufferUsages::INDEX,
            });
        CompGrid {
            aspect,
            vertices,
            vertex_buffer,
            index_buffer,
            index_count: indices.len() as u32,
        }
    }

    /// Copies `source` (MilkDrop's display values) into an sRGB target.
    fn blit_srgb(
        &mut self,
        encoder: &mut wgpu::CommandEncoder,
        source: &wgpu::TextureView,
        target: &wgpu::TextureView,
        format: wgpu::TextureFormat,
    ) {
        let device = &self.device;
        let module = &self.stage_module;
        let bind_layout = &self.mix_layout;
        if self.srgb_blit.as_ref().is_some_and(|(f, _)| *f != format) {
            self.srgb_blit = None;
        }
        let (_, pipeline) = self.srgb_blit.get_or_insert_with(|| {
            let layout = layout::pipeline_layout(device, "kefir srgb blit", bind_layout);
            let pipeline = layout::render_pipeline(
                device,
                layout::PipelineSpec {
                    label: "kefir srgb blit",
                    layout: &layout,
                    vertex: (module, "blit_vs"),
                    buffers: &[],
                    fragment: (module, "blit_srgb_fs"),
                    target: format.into(),
                },
            );
            (format, pipeline)
        });
        let bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("kefir srgb blit"),
            layout: bind_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(source),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::Sampler(&self.sampler_clamp),
                },
            ],
        });
        let mut pass = color_pass(encoder, "kefir srgb blit", target, true);
        pass.set_pipeline(pipeline);
        pass.set_bind_group(0, &bind, &[]);
        pass.draw(0..3, 0..1);
    }
}

/// The uniforms of both passes for this frame, and whether the
/// composite samples with wrapping.
fn pass_uniforms(
    runtime: &PresetRuntime,
    s: &FrameState,
    srgb: bool,
    time: f64,
    rand_start: [f32; 4],
) -> (WarpUniforms, CompUniforms, bool) {
    let base = runtime.base();
    // Warp: MilkDrop 1's vertex colour holds decay as an 8-bit value
    // (truncated); MilkDrop 2's generated shader prints the file's decay
    // with two decimals.
    let (decay, wrap) = match runtime.warp_style() {
        PassStyle::Fixed => {
            let d = (s.decay * 255.0).clamp(0.0, 255.0).trunc() / 255.0;
            (d as f32, s.wrap)
        }
        PassStyle::Generated => (printed(base.decay, 2), base.tex_wrap),
    };
    let warp = WarpUniforms {
        params: [decay, f32::from(u8::from(wrap)), 0.0, 0.0],
    };

    let hue_amount = runtime.hue_amount();
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
                } else if alpha > 0.001 {
                    g.max(1.0)
                } else {
                    g.max(0.0)
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
                let h = printed(hue_amount, 2);
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
    let hue = hue_corners(time, rand_start, hue_amount);
    let comp = CompUniforms {
        echo,
        gain: [gain, gain, style, f32::from(u8::from(srgb))],
        filters: filters.map(|f| f32::from(u8::from(f))),
        hue,
    };
    (warp, comp, comp_wrap)
}

/// MilkDrop's hue shader: four slowly cycling corner colours, mixed in
/// by `amount` (the preset's `fShader`).
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

/// The warp mesh's texture coordinates for one preset: its per-vertex code
/// over `mesh`, then MilkDrop's UV math.
fn warp_uvs(
    runtime: &mut PresetRuntime,
    mesh: &WarpMesh,
    state: &FrameState,
    time: f64,
) -> Vec<[f32; 2]> {
    let terms = WarpTerms::new(time, runtime.warp_anim_speed(), runtime.warp_scale());
    let columns = runtime.run_vertices(mesh, &state.motion);
    (0..mesh.vertex_count())
        .map(|n| {
            let m = Motion::from_array(std::array::from_fn(|k| columns[k][n]));
            // A non-finite UV (zoom 0, ...) samples the corner, as a GPU
            // would sample something; never NaN into the pipeline.
            mesh.warp_uv(n, &m, &terms)
                .map(|c| if c.is_finite() { c } else { 0.0 })
        })
        .collect()
}

/// A preset's warp bind groups for this frame.
struct WarpDraw {
    fixed: wgpu::BindGroup,
    shader: Option<wgpu::BindGroup>,
}

/// The warp mesh's buffers.
struct MeshBuffers<'a> {
    fixed: &'a wgpu::Buffer,
    shader: &'a wgpu::Buffer,
    indices: &'a wgpu::Buffer,
    count: u32,
}

/// What one preset's composite draws with.
struct CompDraw<'a> {
    runtime_stereo: bool,
    program: Option<&'a stages::StageProgram>,
    shader_bind: Option<&'a wgpu::BindGroup>,
    fixed_bind: &'a wgpu::BindGroup,
}

/// One preset's warp pass into `view`: its warp shader, or the fixed /
/// generated pass.
fn draw_warp(
    encoder: &mut wgpu::CommandEncoder,
    view: &wgpu::TextureView,
    fixed_pipeline: &wgpu::RenderPipeline,
    program: Option<&stages::StageProgram>,
    draw: &WarpDraw,
    mesh: &MeshBuffers<'_>,
) {
    let mut pass = color_pass(encoder, "kefir warp", view, true);
    match (
        program.and_then(|p| p.pipeline(FEEDBACK_FORMAT)),
        &draw.shader,
    ) {
        (Some(pipeline), Some(bind)) => {
            pass.set_pipeline(pipeline);
            pass.set_bind_group(0, bind, &[]);
            pass.set_vertex_buffer(0, mesh.shader.slice(..));
        }
        _ => {
            pass.set_pipeline(fixed_pipeline);
            pass.set_bind_group(0, &draw.fixed, &[]);
            pass.set_vertex_buffer(0, mesh.fixed.slice(..));
        }
    }
    pass.set_index_buffer(mesh.indices.slice(..), wgpu::IndexFormat::Uint32);
    pass.draw_indexed(0..mesh.count, 0, 0..1);
}

/// How [`Visualizer::switch_to`] brings in the next preset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Switch {
    /// At once (MilkDrop's hard cut).
    Cut,
    /// Both presets render for `seconds` while a random MilkDrop 2 blend
    /// pattern (directional wipe, plasma, radial) hands the warp mesh, and
    /// with it the picture, over from the old preset to the new one.
    Blend { seconds: f64 },
}

/// Why a preset file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum PresetFileError {
    #[error("{path}: {error}", path = .0.display(), error = .1)]
    Read(PathBuf, std::io::Error),
    #[error("{path}: {error}", path = .0.display(), error = .1)]
    Parse(PathBuf, milk_parser::ParseError),
}

/// The format composite shaders draw into for a target of `format`: sRGB
/// targets get MilkDrop's values through an 8-bit intermediate.
fn comp_format(format: wgpu::TextureFormat) -> wgpu::TextureFormat {
    if format.is_srgb() {
        FEEDBACK_FORMAT
    } else {
        format
    }
}

/// A render pass drawing into one colour target, clearing it to black
/// (`clear`) or keeping what is there.
pub(crate) fn color_pass<'e>(
    encoder: &'e mut wgpu::CommandEncoder,
    label: &str,
    view: &wgpu::TextureView,
    clear: bool,
) -> wgpu::RenderPass<'e> {
    let load = if clear {
        wgpu::LoadOp::Clear(wgpu::Color::BLACK)
    } else {
        wgpu::LoadOp::Load
    };
    encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
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
        timestamp_writes: None,
        occlusion_query_set: None,
        multiview_mask: None,
    })
}
