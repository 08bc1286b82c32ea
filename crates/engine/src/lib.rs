//! Kefir's MilkDrop renderer on wgpu.
//!
//! A [`Visualizer`] is handed a host's `wgpu::Device` and `wgpu::Queue` (it
//! never opens a window) and renders a preset, frame by frame, into any
//! texture the host gives it, at any size. Each frame is a row of named
//! passes ([`Pass`]; the `passes` module has one file per pass, with what
//! each reads and writes), and [`FrameStats`] times each of them:
//!
//! 1. code: per-frame code (milk-parser's VM) with the audio levels as
//!    inputs;
//! 2. mesh: per-vertex code over the warp mesh ([`mesh`], 48x36 cells by
//!    default) giving each vertex its motion, then MilkDrop's UV math;
//! 3. warp: motion vectors into the previous frame, then the previous frame
//!    through the mesh, times decay (or the preset's warp shader), into the
//!    next frame (ping-pong between two 8-bit textures, as MilkDrop's are),
//!    wrapping or clamping at the edges;
//! 4. blur: the blur levels the preset's shaders read ([`blur`]), from the
//!    previous frame as MilkDrop 2's `BlurPasses` does;
//! 5. shapes/waves: custom shapes, custom waves, the main wave and borders
//!    ([`shapes`], [`waves`], [`borders`]);
//! 6. composite: into the host's texture: video echo, gamma, hue shader,
//!    brighten/darken/solarize/invert, or MilkDrop 1.x's red-blue stereo
//!    (`bRedBlueStereo` on the fixed-function path, when
//!    [`Config::milkdrop1_stereo`] asks for it: MilkDrop 2 ignores it),
//!    or the preset's composite shader over MilkDrop 2's composite grid;
//! 7. present: the copy up to the target's size below a render scale of 1
//!    ([`Config::render_scale`]) or for a composite shader on an sRGB
//!    target, and the submit.
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
mod colour_bytes;
pub mod gpu;
pub mod headless;
mod layout;
pub mod mesh;
mod passes;
pub mod pattern;
mod prepare;
mod replay;
pub mod rng;
pub mod runtime;
pub mod shapes;
pub mod software;
pub mod stages;
pub mod stand_in;
pub mod textures;
pub mod transition;
pub mod waves;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use milk_audio::AudioFrame;
use milk_parser::Preset;

use crate::layout::FrameTexture;
use crate::mesh::DEFAULT_MESH;
use crate::passes::code;
use crate::passes::composite::{CompositePass, Output, comp_format};
use crate::passes::mesh::MeshPass;
use crate::passes::mipmaps::MipmapPass;
use crate::passes::mix::Mix;
use crate::passes::overlays::OverlayPass;
use crate::passes::present::PresentPass;
use crate::passes::timing::GpuTimer;
use crate::passes::warp::WarpPass;
use crate::passes::{Blend, Frames, Gpu, Recorder, Slot, SlotUniforms};
use crate::runtime::{FrameState, PresetRuntime};
use crate::stages::{FrameViews, PresetShaders};
use crate::textures::TextureStore;
// `std::time::Instant` panics in the browser (wasm32); web-time is std's
// elsewhere.
use web_time::Instant;

pub use milk_parser::BlockError;
pub use milk_parser::preset::BlockId;
pub use passes::{FrameStats, Pass, PassTimes};
pub use prepare::{LoadReport, Preparation, PreparedPreset, PresetBuilder};
pub use replay::{ButterchurnQuirks, FrameRandoms};
pub use stages::ShaderFailure;

/// Format of the feedback textures: 8 bits per channel, as MilkDrop's.
pub const FEEDBACK_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8Unorm;

/// The format a host should give its window or canvas surface, of those it
/// offers: a non-sRGB 8-bit format when there is one, else any non-sRGB
/// one, else the first. MilkDrop's colours are display values, so a
/// non-sRGB target takes the composite as it is; an sRGB one costs the
/// frame a copy that undoes the encoding (the present pass).
pub fn surface_format(formats: &[wgpu::TextureFormat]) -> Option<wgpu::TextureFormat> {
    use wgpu::TextureFormat as F;
    [F::Bgra8Unorm, F::Rgba8Unorm]
        .into_iter()
        .find(|f| formats.contains(f))
        .or_else(|| formats.iter().copied().find(|f| !f.is_srgb()))
        .or_else(|| formats.first().copied())
}

/// How a [`Visualizer`] is set up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    /// Warp mesh cells, columns x rows (MilkDrop's default is 48x36).
    pub mesh: (u32, u32),
    /// Seed of the presets' `rand()` and of MilkDrop's random phases, so
    /// the same preset, audio, frame times and seed give the same frames.
    pub seed: u64,
    /// The fraction of the target's size the frame renders at: feedback
    /// frames, warp, blur levels, shapes, waves and the composite (MilkDrop's
    /// texture size, butterchurn's `textureRatio`); a last pass scales the
    /// picture up to the target, bilinearly. 1 renders every pixel; 0.5 a
    /// quarter of them. Clamped to
    /// [`MIN_RENDER_SCALE`]..=1; see [`Visualizer::set_render_scale`].
    pub render_scale: f32,
    /// The blur levels' size as a fraction of MilkDrop's for the frame
    /// (each side; [`blur::MIN_SCALE`]..=1, default 1): a speed setting for
    /// weak GPUs on top of the render scale. The taps keep MilkDrop's
    /// distances on the screen, so the blur keeps its width and is sampled
    /// more coarsely. See [`Visualizer::set_blur_scale`].
    pub blur_scale: f32,
    /// MilkDrop 1.x's red-blue stereo, for red/blue glasses: presets of
    /// the fixed-function path (`PSVERSION` 0) with `bRedBlueStereo=1` are
    /// drawn once per eye, offset by their motion, and their main wave is
    /// lightened towards white, as MilkDrop 1.x drew them. Off by default:
    /// MilkDrop 2 dropped the effect (its `m_bRedBlueStereo` is read and
    /// saved but never drawn; the wave-colour override in `RunPerFrameEquations`
    /// is commented out), and so do butterchurn and projectM.
    pub milkdrop1_stereo: bool,
}

/// The lowest render scale ([`Config::render_scale`]).
pub const MIN_RENDER_SCALE: f32 = 0.1;

impl Default for Config {
    fn default() -> Self {
        Config {
            mesh: DEFAULT_MESH,
            seed: 0,
            render_scale: 1.0,
            blur_scale: 1.0,
            milkdrop1_stereo: false,
        }
    }
}

/// The size frames render at for a `target` size and a render `scale`
/// (rounded, at least 1x1).
pub fn render_size(target: (u32, u32), scale: f32) -> (u32, u32) {
    let scale = clamp_render_scale(scale);
    if scale >= 1.0 {
        return target;
    }
    let at = |v: u32| ((v as f32 * scale).round() as u32).max(1);
    (at(target.0), at(target.1))
}

fn clamp_render_scale(scale: f32) -> f32 {
    if scale.is_nan() {
        1.0
    } else {
        scale.clamp(MIN_RENDER_SCALE, 1.0)
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

/// Renders presets into host textures. See the crate documentation.
pub struct Visualizer {
    device: wgpu::Device,
    queue: wgpu::Queue,
    config: Config,
    /// The preset playing.
    slot: Slot,
    /// The preset being blended out, during a soft transition.
    blend: Option<Blend>,
    frames: Frames,
    mesh: MeshPass,
    warp: WarpPass,
    blur: blur::BlurChain,
    /// The butterchurn differences imitated ([`Visualizer::emulate_butterchurn`]).
    butterchurn: ButterchurnQuirks,
    held_frame: blur::HeldFrame,
    /// The previous frame's mip levels (butterchurn's, [`ButterchurnQuirks::mipmaps`]).
    mipmaps: MipmapPass,
    overlays: OverlayPass,
    composite: CompositePass,
    mix: Mix,
    present: PresentPass,
    samplers: stages::Samplers,
    /// The vertex stage of every preset shader ([`stages`]), and the mix
    /// and sRGB copy passes.
    stage_module: wgpu::ShaderModule,
    textures: Arc<Mutex<TextureStore>>,
    /// `rand_frame` and `rot_rand*`.
    shader_rng: rng::Rng,
    /// Presets loaded so far (varies their random values).
    serial: u64,
    /// The last target's format (composite pipelines are prepared for it).
    output_format: wgpu::TextureFormat,
    /// The clock the next frame's code sees, for replays (see
    /// [`Visualizer::set_next_clock`]).
    next_clock: Option<(f64, f64, u64)>,
    /// Random numbers the next frame uses, for replays (see
    /// [`Visualizer::set_next_randoms`]).
    next_randoms: Option<FrameRandoms>,
    /// How far the playing preset is through its planned display time
    /// ([`Visualizer::set_progress`]).
    progress: f64,
    stats: FrameStats,
    /// Per-frame results of the last frame.
    last_state: Option<FrameState>,
    /// GPU time per pass, when turned on ([`Visualizer::set_gpu_timing`]).
    timer: Option<GpuTimer>,
}

impl Visualizer {
    /// A visualizer on the host's device and queue, showing an empty
    /// preset (MilkDrop's defaults) until [`Visualizer::load_preset`].
    pub fn new(device: wgpu::Device, queue: wgpu::Queue, mut config: Config) -> Self {
        config.render_scale = clamp_render_scale(config.render_scale);
        // MilkDrop's random start phases of the hue shader, from the seed.
        let mut rng = rng::Rng::new(config.seed);
        let rand_start = std::array::from_fn(|_| (rng.next_u64() % 64_000) as f32 * 0.01);
        let mesh = MeshPass::new(&device, config.mesh);
        let stage_module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("kefir shader stages"),
            source: wgpu::ShaderSource::Wgsl(
                concat!(include_str!("common.wgsl"), include_str!("stages.wgsl")).into(),
            ),
        });
        let slot = Slot::new(
            PresetRuntime::new(&Preset::default(), config.seed),
            PresetShaders::none(config.seed),
            SlotUniforms::new(&device, "kefir"),
            (0.0, 0),
        );
        Visualizer {
            slot,
            blend: None,
            frames: Frames::default(),
            warp: WarpPass::new(&device),
            blur: {
                let mut chain = blur::BlurChain::new(&device);
                chain.set_scale(config.blur_scale);
                chain
            },
            butterchurn: ButterchurnQuirks::default(),
            held_frame: blur::HeldFrame::default(),
            mipmaps: MipmapPass::new(&device),
            overlays: OverlayPass::new(&device),
            composite: CompositePass::new(&device, rand_start),
            mix: Mix::new(&device, mesh.mesh().vertex_count()),
            present: PresentPass::new(&device),
            mesh,
            samplers: stages::Samplers::new(&device),
            stage_module,
            textures: Arc::new(Mutex::new(TextureStore::new(config.seed, Vec::new()))),
            shader_rng: rng::Rng::new(config.seed ^ 0x7261_6e64),
            serial: 0,
            output_format: wgpu::TextureFormat::Rgba8Unorm,
            next_clock: None,
            next_randoms: None,
            progress: 0.0,
            stats: FrameStats::default(),
            last_state: None,
            timer: None,
            device,
            queue,
            config,
        }
    }

    pub fn config(&self) -> Config {
        self.config
    }

    /// The preset now playing.
    pub fn runtime(&self) -> &PresetRuntime {
        &self.slot.runtime
    }

    /// MilkDrop's `time`: seconds rendered since the visualizer started
    /// (it goes on across presets, as MilkDrop 2's and butterchurn's).
    pub fn time(&self) -> f64 {
        self.slot.time
    }

    /// Seconds rendered since the playing preset started (what its shaders
    /// see as `time`).
    pub fn preset_time(&self) -> f64 {
        self.slot.preset_time()
    }

    /// Tells the presets how far the playing one is through the time the
    /// host plans to show it (0 at its start, 1 when the next one is due):
    /// the equations' and shaders' `progress`, MilkDrop 2's `(GetTime() -
    /// m_fPresetStartTime) / (m_fNextPresetTime - m_fPresetStartTime)`,
    /// kept at 0 while the preset is locked (MilkDrop 2 restarts the
    /// preset's timer every frame then). Stays until set again; a preset
    /// load sets it to 0, which is also what presets see when the host has
    /// no timer.
    pub fn set_progress(&mut self, progress: f64) {
        self.progress = if progress.is_finite() { progress } else { 0.0 };
    }

    /// The per-frame results (motion, decay, gamma, echo, filters, main
    /// wave and borders) of the last rendered frame, if any.
    pub fn frame_state(&self) -> Option<&FrameState> {
        self.last_state.as_ref()
    }

    /// Where the time of the last rendered frame went, per pass (see
    /// [`FrameStats`]).
    pub fn frame_stats(&self) -> FrameStats {
        self.stats
    }

    /// Turns GPU timing per pass on or off (off by default: it costs a
    /// query resolve and a small read-back per frame). Returns whether GPU
    /// times will be measured, which needs a device created with
    /// `wgpu::Features::TIMESTAMP_QUERY`.
    pub fn set_gpu_timing(&mut self, on: bool) -> bool {
        if !on {
            self.timer = None;
        } else if self.timer.is_none() {
            self.timer = GpuTimer::new(&self.device, &self.queue);
        }
        self.timer.is_some()
    }

    /// Changes the render scale ([`Config::render_scale`]) from the next
    /// frame on. The picture carries over (the warp samples the previous
    /// frame by UV), so a change shows as a change of sharpness only; a
    /// host changing it often should do so at preset switches (see
    /// kefir-perf's governor).
    pub fn set_render_scale(&mut self, scale: f32) {
        self.config.render_scale = clamp_render_scale(scale);
    }

    /// Changes the blur scale ([`Config::blur_scale`]) from the next frame
    /// on (the blur levels are made again from that frame).
    pub fn set_blur_scale(&mut self, scale: f32) {
        self.blur.set_scale(scale);
        self.config.blur_scale = self.blur.scale();
    }

    /// The blur scale in use.
    pub fn blur_scale(&self) -> f32 {
        self.blur.scale()
    }

    /// The render scale in use.
    pub fn render_scale(&self) -> f32 {
        clamp_render_scale(self.config.render_scale)
    }

    /// Frames rendered since the preset started.
    pub fn frame(&self) -> u64 {
        self.slot.frame
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
            shader_options: milk_hlsl::Options {
                butterchurn_matrices: self.butterchurn.matrices,
                butterchurn_nan: self.butterchurn.nan,
                butterchurn_mod: self.butterchurn.float_mod,
                butterchurn_uv_orig: self.butterchurn.comp_uv_orig,
                butterchurn_anisotropic: self.butterchurn.anisotropic,
                butterchurn_mipmaps: self.butterchurn.mipmaps,
            },
            milkdrop1_stereo: self.config.milkdrop1_stereo,
            butterchurn: self.butterchurn,
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
        self.frames.feedback = [None, None];
    }

    /// Switches to a preset made by [`PresetBuilder::prepare`] with a hard
    /// cut: no compiling or pipeline building happens here.
    pub fn load_prepared(&mut self, prepared: PreparedPreset) -> LoadReport {
        self.blend = None;
        self.slot.runtime = prepared.runtime;
        self.slot.shaders = prepared.shaders;
        // MilkDrop's clock goes on; the preset's own starts now.
        self.slot.start_time = self.slot.time;
        self.progress = 0.0;
        self.serial += 1;
        self.last_state = None;
        prepared.report
    }

    /// Starts a soft transition: the preset playing becomes the outgoing
    /// one (an earlier blend still running is cut short, as in MilkDrop).
    fn blend_to(&mut self, prepared: PreparedPreset, seconds: f64) -> LoadReport {
        if seconds.is_nan() || seconds <= 0.0 || self.last_state.is_none() {
            // Nothing on screen to blend from (or no time): a cut.
            return self.load_prepared(prepared);
        }
        let mut incoming = Slot::new(
            prepared.runtime,
            prepared.shaders,
            SlotUniforms::new(&self.device, "kefir blend"),
            (self.slot.time, self.slot.frame),
        );
        // Its file values glide in from the outgoing preset's
        // (`CState::StartBlendFrom`).
        incoming
            .runtime
            .blend_file_values_from(&self.slot.runtime, self.slot.time, seconds);
        let mut rng =
            rng::Rng::new(self.config.seed ^ self.serial.wrapping_mul(0xA076_1D64_78BD_642F));
        let pattern = transition::BlendPattern::random(&mut rng);
        self.blend = Some(Blend {
            slot: std::mem::replace(&mut self.slot, incoming),
            seconds,
            elapsed: 0.0,
            pattern,
            coefficients: Vec::new(),
            mesh: (0, 0, [0.0; 2]),
            rng,
        });
        self.progress = 0.0;
        self.serial += 1;
        self.last_state = None;
        prepared.report
    }

    /// Sets the clock the next frame's code sees (MilkDrop's `time`, fps,
    /// frame number; the playing preset counts as started at 0), for
    /// replaying another renderer's run frame for frame (`kefir render
    /// --replay`); later frames go on from it.
    pub fn set_next_clock(&mut self, time: f64, fps: f64, frame: u64) {
        self.next_clock = Some((time, fps, frame));
    }

    /// Sets the random numbers the next frame uses in place of Kefir's own,
    /// for replaying another renderer's run (`kefir render --replay`): the
    /// playing preset's `rand()` calls draw [`FrameRandoms::eel`] first, and
    /// the shader values given replace `rand_frame` (this frame),
    /// `rand_preset` and the hue shader's `rand_start` (from now on).
    pub fn set_next_randoms(&mut self, randoms: FrameRandoms) {
        self.next_randoms = Some(randoms);
    }

    /// Runs the playing preset's init code (if it has not run) and then its
    /// per-frame code once, dropping the results, as butterchurn does while
    /// it loads a preset: with its clock at 0, 30 fps, bass/mid/treb 0
    /// and their attenuated values 1, for a `target_size` target. MilkDrop 2 has no such run, but the
    /// preset's own variables keep what it left, so replaying butterchurn's
    /// input starts with it. `randoms` are the values the `rand()` calls of
    /// each code block draw, as in [`FrameRandoms::eel`] (then the seeded
    /// generator's): [`BlockId::PerFrame`] for this run, the init blocks
    /// for the init code.
    pub fn replay_butterchurn_load_run(
        &mut self,
        target_size: (u32, u32),
        randoms: Vec<(BlockId, Vec<f64>)>,
    ) {
        let size = render_size(target_size, self.config.render_scale);
        self.mesh.resize(size);
        // butterchurn's levels before any audio: bass, mid and treb 0, the
        // attenuated ones 1.
        let silent = AudioFrame {
            bass: 0.0,
            mid: 0.0,
            treb: 0.0,
            ..AudioFrame::default()
        };
        let inputs = code::frame_inputs((0.0, 0), 1.0 / 30.0, &silent, self.mesh.mesh(), size);
        let runtime = &mut self.slot.runtime;
        runtime.set_rand_scripts(randoms);
        runtime.run_load_frame(&inputs);
        runtime.clear_rand_scripts();
    }

    /// How the last frame's [`FrameRandoms::eel`] fared, if it had any:
    /// values the preset's code did not use, and `rand()` calls that found
    /// their block's list used up. (0, 0) means the two engines drew alike.
    pub fn rand_script_balance(&self) -> Option<(usize, usize)> {
        let runtime = &self.slot.runtime;
        runtime
            .rand_scripted()
            .then(|| runtime.rand_script_balance())
    }

    /// Imitates the given differences of butterchurn from MilkDrop 2 from
    /// the next frame on (none by default); for comparisons with it.
    pub fn emulate_butterchurn(&mut self, quirks: ButterchurnQuirks) {
        self.butterchurn = quirks;
        if !quirks.late_blur {
            self.held_frame.release();
        }
        self.mesh.set_butterchurn_rad_ang(quirks.warp_rad_ang);
        self.composite.set_butterchurn_rad_ang(quirks.comp_rad_ang);
        self.composite.set_butterchurn_hue(quirks.hue);
        self.composite.set_butterchurn_filters(quirks.filters);
        self.composite.set_butterchurn_comp_frame(quirks.comp_frame);
        self.warp.set_butterchurn_main_wrap(quirks.main_wrap);
        self.composite.set_butterchurn_main_wrap(quirks.main_wrap);
        self.warp.set_butterchurn_mipmaps(quirks.mipmaps);
    }

    /// Replaces the built-in noise texture `kind` with `rgba` (its size:
    /// [`textures::NoiseKind::size`], 4 bytes a texel, x fastest, then y,
    /// then z), for presets loaded from now on until
    /// [`Visualizer::set_texture_dirs`]; for replaying another renderer's
    /// noise.
    pub fn set_noise_texture(
        &mut self,
        kind: textures::NoiseKind,
        rgba: &[u8],
    ) -> Result<(), textures::NoiseSizeError> {
        let mut store = self.textures.lock().unwrap_or_else(|e| e.into_inner());
        store.set_noise(&self.device, &self.queue, kind, rgba)
    }

    /// Whether a soft transition is running, and how far (0..1).
    pub fn blend_progress(&self) -> Option<f64> {
        self.blend.as_ref().map(Blend::progress)
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
        store.set_texture_dirs(dirs);
    }

    /// Adds a decoded picture as the user texture `file_name` (see
    /// [`TextureStore::add_image`]) for presets loaded from now on: for
    /// hosts that decode images themselves, such as the browser page.
    /// False, adding nothing, for a name without an image extension or an
    /// empty image.
    pub fn add_texture(&mut self, file_name: &str, image: textures::Image) -> bool {
        let mut store = self.textures.lock().unwrap_or_else(|e| e.into_inner());
        store.add_image(file_name, image)
    }

    /// The file names of the pictures added with [`Visualizer::add_texture`].
    pub fn added_textures(&self) -> Vec<String> {
        let store = self.textures.lock().unwrap_or_else(|e| e.into_inner());
        store.added_images().map(str::to_string).collect()
    }

    /// Shader failures of the preset playing.
    pub fn shader_failures(&self) -> &[ShaderFailure] {
        &self.slot.shaders.failures
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
        let fb = FrameTexture::feedback(&self.device, (width, height), self.butterchurn.mipmaps);
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
        self.frames.feedback[self.frames.current] = Some(fb);
    }

    /// The texture holding the current picture before the composite (8-bit
    /// RGBA, the last target's size times the render scale), if a frame
    /// exists.
    pub fn frame_texture(&self) -> Option<&wgpu::Texture> {
        self.frames.feedback[self.frames.current]
            .as_ref()
            .map(|f| &f.texture)
    }

    /// Renders one frame `dt` seconds after the previous one into `target`
    /// (any size; a 2D, single-sample texture with `RENDER_ATTACHMENT`
    /// usage and a color format; sRGB formats get MilkDrop's display values).
    ///
    /// The frame runs the passes of [`Pass`] in order; [`FrameStats`] says
    /// how long each took.
    pub fn render(
        &mut self,
        dt: f64,
        audio: &AudioFrame,
        target: &wgpu::Texture,
    ) -> Result<(), RenderError> {
        let format = check_target(target)?;
        // Everything renders at the render size; below a render scale of 1
        // the present pass scales the picture up to the target's.
        let target_size = (target.width(), target.height());
        let size = render_size(target_size, self.config.render_scale);
        self.output_format = format;
        self.mesh.resize(size);

        // MilkDrop advances its clock before drawing (`DoTime`): a preset's
        // first frame sees time = 1/fps.
        self.slot.time += dt;
        if let Some(b) = &mut self.blend {
            b.slot.time += dt;
            b.elapsed += dt;
        }
        // The blend's progress is updated after the clock too: its first
        // frame draws at `dt / seconds`, and once past 1 it is over.
        if self.blend.as_ref().is_some_and(Blend::is_over) {
            self.blend = None;
        }
        let replay_fps = self.next_clock.take().map(|(time, fps, frame)| {
            self.slot.time = time;
            self.slot.frame = frame;
            self.slot.start_time = 0.0;
            fps
        });
        let randoms = self.next_randoms.take();
        match &randoms {
            Some(r) => self.slot.runtime.set_rand_scripts(r.eel.iter().cloned()),
            None if self.slot.runtime.rand_scripted() => self.slot.runtime.clear_rand_scripts(),
            None => {}
        }
        let randoms = randoms.unwrap_or_default();
        if let Some(p) = randoms.rand_preset {
            self.slot.shaders.randoms.rand_preset = p;
        }
        if let Some(r) = randoms.rand_start {
            self.composite.set_rand_start(r);
        }
        let mut laps = Laps::start();

        // 1: per-frame code.
        let code = code::run(
            &mut self.slot,
            self.blend.as_mut(),
            dt,
            audio,
            self.mesh.mesh(),
            size,
            replay_fps,
            self.progress,
        );
        let aspect = self.mesh.mesh().aspect();
        code::write_shader_uniforms(
            &self.queue,
            &self.slot,
            self.blend.as_ref(),
            &code,
            audio,
            aspect,
            size,
            &mut self.shader_rng,
            [randoms.warp_rand_frame, randoms.comp_rand_frame],
            &self.butterchurn,
        );
        laps.lap(Pass::Code);

        // 2: per-vertex code and the mesh's UVs.
        let mesh_frame = self.mesh.run(
            &self.queue,
            &mut self.slot,
            self.blend.as_mut(),
            &code,
            &mut self.mix,
        );
        laps.lap(Pass::Mesh);

        // The textures this frame draws into.
        let via_display =
            size != target_size || (self.slot.shaders.comp.is_some() && format.is_srgb());
        self.frames.prepare(
            &self.device,
            size,
            (mesh_frame.blending, via_display, self.butterchurn.mipmaps),
        );
        let blur_levels = self.slot.shaders.blur_levels().max(
            self.blend
                .as_ref()
                .map_or(0, |b| b.slot.shaders.blur_levels()),
        );
        if blur_levels > 0 {
            // Before the warp shader binds the levels (last frame's).
            self.blur.prepare(&self.device, size);
        }
        if mesh_frame.blending {
            self.mix
                .ensure_pipeline(&self.device, &self.stage_module, FEEDBACK_FORMAT, false);
        }
        let gpu = Gpu {
            device: &self.device,
            queue: &self.queue,
            samplers: &self.samplers,
        };
        let mut encoder = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("kefir frame"),
            });
        if let Some(timer) = &mut self.timer {
            timer.begin_frame();
        }
        let mut rec = Recorder::new(&mut encoder, self.timer.as_mut());
        let blur_views =
            |blur: &blur::BlurChain| [1, 2, 3].map(|n| (blur.view(n).clone(), blur.size(n)));

        // 3: motion vectors into the previous frame, then the warp pass.
        // The warp shader reads the previous frame and last frame's blur
        // levels.
        rec.set_pass(Pass::Warp);
        self.overlays.begin_frame();
        let mv_after_warp = self.butterchurn.mv_order;
        if !mv_after_warp {
            self.overlays.motion_vectors(
                &mut rec,
                &gpu,
                (&self.frames, false),
                &code,
                &self.mesh,
                &self.butterchurn,
            );
        }
        let (src, dst) = self.frames.pair();
        if self.butterchurn.mipmaps {
            self.mipmaps.encode(&mut rec, &gpu, &self.stage_module, src);
        }
        if self.butterchurn.late_blur && blur_levels > 0 {
            // Until the warp draws into it, `dst` holds the frame before last.
            self.held_frame
                .hold(&mut rec, &gpu, &self.stage_module, dst);
        }
        let warp_blur = blur_views(&self.blur);
        let warp_views = FrameViews {
            main: &src.view,
            main_size: src.size,
            target_size: dst.size,
            blur: warp_blur.each_ref().map(|(v, s)| (v, *s)),
        };
        self.warp.encode(
            &mut rec,
            &gpu,
            &self.frames,
            (&self.slot, self.blend.as_ref()),
            &code,
            (&self.mesh.buffers(), mesh_frame),
            &warp_views,
            &self.mix,
        );
        laps.lap(Pass::Warp);

        // 4 (MilkDrop 2 order): the blur levels the shaders read, right
        // after the warp and from the texture the warp read (`m_lpVS[0]` in
        // `BlurPasses`: the previous frame with this frame's motion
        // vectors), before the shapes and waves are drawn.
        rec.set_pass(Pass::Blur);
        if blur_levels > 0 {
            self.blur
                .set_wrap(self.butterchurn.late_blur && code.state.butterchurn_wrap());
            self.blur.record(
                &self.device,
                &self.queue,
                &mut rec,
                match (self.butterchurn.late_blur, self.held_frame.view()) {
                    (true, Some(held)) => held,
                    _ => &src.view,
                },
                size,
                blur_levels,
                &code.blur_params(),
            );
        }
        laps.lap(Pass::Blur);

        // 5: custom shapes, custom waves, main wave, darken_center, borders
        // (butterchurn: its motion vectors first).
        rec.set_pass(Pass::Overlays);
        if mv_after_warp {
            self.overlays.motion_vectors(
                &mut rec,
                &gpu,
                (&self.frames, true),
                &code,
                &self.mesh,
                &self.butterchurn,
            );
        }
        // The address mode textured shapes sample with (see
        // `ButterchurnQuirks::shape_wrap`): `None` for the warp's `wrap`.
        let shape_wrap = if self.butterchurn.shape_wrap {
            Some(code.state.butterchurn_wrap())
        } else if blur_levels > 0 {
            Some(false)
        } else if self.slot.runtime.warp_style() == runtime::PassStyle::Generated {
            Some(true)
        } else {
            None
        };
        self.overlays.encode(
            &mut rec,
            &gpu,
            &self.frames,
            (&mut self.slot, self.blend.as_mut()),
            &code,
            audio,
            aspect,
            (self.butterchurn.frame_alpha, shape_wrap),
            self.butterchurn.pixel_centres(),
        );
        laps.lap(Pass::Overlays);

        // 6: the composite, into the target (or, for a composite shader on
        // an sRGB target, into an 8-bit texture copied over at the end).
        // MilkDrop 1's path reads the new frame; a composite shader reads
        // the warp's source, as the blur levels made this frame do.
        rec.set_pass(Pass::Composite);
        let target_view = target.create_view(&Default::default());
        let output = Output {
            target: &target_view,
            format,
            via_display,
        };
        self.composite.prepare(
            &gpu,
            &self.stage_module,
            (&mut self.slot, self.blend.as_mut()),
            &output,
            mesh_frame,
            aspect,
            &mut self.mix,
        );
        let comp_blur = blur_views(&self.blur);
        // The composite draws at the render size (into the display texture
        // when it differs from the target's).
        let comp_target_size = if via_display { size } else { target_size };
        let new_frame_views = FrameViews {
            main: &dst.view,
            main_size: dst.size,
            target_size: comp_target_size,
            blur: comp_blur.each_ref().map(|(v, s)| (v, *s)),
        };
        let warp_source_views = FrameViews {
            main: &src.view,
            main_size: src.size,
            ..new_frame_views
        };
        self.composite.encode(
            &mut rec,
            &gpu,
            &self.frames,
            (&self.slot, self.blend.as_ref()),
            &code,
            &self.mesh.buffers(),
            (&new_frame_views, &warp_source_views),
            &self.mix,
            &output,
        );
        laps.lap(Pass::Composite);

        // 7: the sRGB copy, and the submit.
        rec.set_pass(Pass::Present);
        if let (true, Some(display)) = (via_display, &self.frames.display) {
            self.present.encode(
                &mut rec,
                &gpu,
                &self.stage_module,
                &display.view,
                (&target_view, format),
            );
        }
        if let Some(timer) = &mut self.timer {
            timer.end_frame(&mut encoder);
        }
        self.queue.submit([encoder.finish()]);
        let gpu_times = self.timer.as_mut().and_then(|timer| {
            timer.after_submit();
            timer.collect()
        });
        laps.lap(Pass::Present);

        self.stats = FrameStats {
            cpu: laps.times,
            gpu: gpu_times,
        };
        self.last_state = Some(code.state);
        self.frames.flip();
        self.slot.frame += 1;
        if let Some(b) = &mut self.blend {
            b.slot.frame += 1;
        }
        Ok(())
    }
}

/// The target's format, if [`Visualizer::render`] can draw into it.
fn check_target(target: &wgpu::Texture) -> Result<wgpu::TextureFormat, RenderError> {
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
    Ok(format)
}

/// CPU time per pass: each lap ends one pass.
struct Laps {
    last: Instant,
    times: PassTimes,
}

impl Laps {
    fn start() -> Self {
        Laps {
            last: Instant::now(),
            times: PassTimes::default(),
        }
    }

    fn lap(&mut self, pass: Pass) {
        let now = Instant::now();
        self.times[pass] += now - self.last;
        self.last = now;
    }
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

#[cfg(test)]
mod tests {
    use super::surface_format;
    use wgpu::TextureFormat as F;

    #[test]
    fn surfaces_get_a_non_srgb_format_when_they_have_one() {
        assert_eq!(
            surface_format(&[F::Bgra8UnormSrgb, F::Bgra8Unorm]),
            Some(F::Bgra8Unorm)
        );
        // WebGL2 canvases list the sRGB one first.
        assert_eq!(
            surface_format(&[F::Rgba8UnormSrgb, F::Rgba8Unorm]),
            Some(F::Rgba8Unorm)
        );
        assert_eq!(
            surface_format(&[F::Rgba16Float, F::Rgba8UnormSrgb, F::Rgba8Unorm]),
            Some(F::Rgba8Unorm)
        );
        assert_eq!(
            surface_format(&[F::Bgra8UnormSrgb, F::Rgb10a2Unorm]),
            Some(F::Rgb10a2Unorm)
        );
        assert_eq!(
            surface_format(&[F::Rgba8UnormSrgb]),
            Some(F::Rgba8UnormSrgb)
        );
        assert_eq!(surface_format(&[]), None);
    }
}
