//! Preparing presets: compiling a preset's equations, translating its
//! shaders and building its textures and pipelines, on any thread
//! ([`PresetBuilder::prepare`]) or a step at a time on the render thread
//! ([`PresetBuilder::begin`], for the browser), into a [`PreparedPreset`]
//! that [`Visualizer::load_prepared`](crate::Visualizer::load_prepared)
//! swaps in without stalling a frame.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use milk_parser::eel::{DivisionByZero, RandScale};
use milk_parser::{BlockError, CodeOptions, Preset};
// `std::time::Instant` panics in the browser (wasm32); web-time is std's
// elsewhere.
use web_time::Instant;

use crate::replay::ButterchurnQuirks;
use crate::runtime::PresetRuntime;
use crate::stages::{self, PresetShaders, ShaderFailure};
use crate::textures::{TextureStore, TextureWarning};
#[cfg(doc)]
use crate::{Config, Visualizer};

/// What loading a preset reported.
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    /// Code blocks that failed to compile; they are disabled, the rest of
    /// the preset runs (as in MilkDrop 2).
    pub errors: Vec<BlockError>,
    /// Shaders that did not translate or build; their stage runs MilkDrop
    /// 2's fallback shader instead (the previous frame darkened by 0.004 a
    /// frame for the warp, the picture as it is for the composite).
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
    pub(crate) runtime: PresetRuntime,
    pub(crate) shaders: PresetShaders,
    pub(crate) report: LoadReport,
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
    pub(crate) device: wgpu::Device,
    pub(crate) queue: wgpu::Queue,
    pub(crate) stage_module: wgpu::ShaderModule,
    pub(crate) textures: Arc<Mutex<TextureStore>>,
    pub(crate) seed: u64,
    pub(crate) comp_format: wgpu::TextureFormat,
    /// How shaders are read ([`ButterchurnQuirks::matrices`]).
    pub(crate) shader_options: milk_hlsl::Options,
    /// [`Config::milkdrop1_stereo`].
    pub(crate) milkdrop1_stereo: bool,
    /// The butterchurn differences a preset's code and drawing imitate
    /// (wave-vars, colour-clamp, wave-gate, the main wave's rules,
    /// pixel-ang); see [`ButterchurnQuirks`].
    pub(crate) butterchurn: ButterchurnQuirks,
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
        let seed = self.preset_seed(serial);
        let runtime = self.runtime(preset);
        let translated = [
            stages::translate_stage(preset, milk_hlsl::Stage::Warp, &self.shader_options),
            stages::translate_stage(preset, milk_hlsl::Stage::Comp, &self.shader_options),
        ];
        self.finish(
            runtime,
            translated,
            preset_dir,
            seed,
            started.elapsed(),
            started,
        )
    }

    /// Starts preparing `preset` a step at a time (see [`Preparation`]):
    /// the same result as [`PresetBuilder::prepare`], for a thread that
    /// must not stall for the whole of it.
    pub fn begin(&self, preset: Preset, preset_dir: Option<PathBuf>, serial: u64) -> Preparation {
        Preparation {
            builder: self.clone(),
            seed: self.preset_seed(serial),
            preset,
            preset_dir,
            runtime: None,
            warp: None,
            comp: None,
            next: PrepStep::Code,
            spent: Duration::ZERO,
        }
    }

    /// `preset`'s code compiled (with butterchurn's division and `rand`
    /// when asked).
    fn runtime(&self, preset: &Preset) -> PresetRuntime {
        PresetRuntime::with_options(
            preset,
            CodeOptions {
                seed: self.seed,
                division_by_zero: if self.butterchurn.division {
                    DivisionByZero::Zero
                } else {
                    DivisionByZero::Infinite
                },
                rand_scale: if self.butterchurn.rand {
                    RandScale::AsGiven
                } else {
                    RandScale::FlooredAtLeastOne
                },
                ..CodeOptions::default()
            },
        )
    }

    fn preset_seed(&self, serial: u64) -> u64 {
        self.seed ^ serial.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }

    /// The last step: textures and pipelines (both stages at once, so the
    /// texture store's per-preset picks of `randNN` stay one preset's).
    fn finish(
        &self,
        mut runtime: PresetRuntime,
        translated: [Option<stages::TranslatedStage>; 2],
        preset_dir: Option<&Path>,
        seed: u64,
        spent: Duration,
        started: Instant,
    ) -> PreparedPreset {
        if !self.milkdrop1_stereo {
            runtime.ignore_red_blue_stereo();
        }
        if self.butterchurn.wave_vars {
            runtime.share_wave_variables();
        }
        if self.butterchurn.colour_clamp {
            runtime.clamp_colours();
        }
        if self.butterchurn.wave_gate {
            runtime.gate_main_wave();
        }
        if self.butterchurn.wave_window {
            runtime.use_butterchurn_wave_window();
        }
        if self.butterchurn.wave_size {
            runtime.use_butterchurn_wave_sizes();
        }
        if self.butterchurn.wave_mode5 {
            runtime.use_butterchurn_wave_mode5();
        }
        if self.butterchurn.pixel_ang {
            runtime.wrap_vertex_ang();
        }
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
                    level0: texture.level0_view(),
                    depth: texture.depth,
                    view: texture.view,
                    size: texture.size,
                }
            };
            PresetShaders::build_translated(
                &self.device,
                &self.stage_module,
                translated,
                self.comp_format,
                seed,
                &mut resolve,
            )
        };
        let report = LoadReport {
            errors: runtime.errors().to_vec(),
            shader_failures: shaders.failures.clone(),
            texture_warnings: warnings,
            warp_shader: shaders.warp.as_ref().is_some_and(|p| !p.is_fallback()),
            comp_shader: shaders.comp.as_ref().is_some_and(|p| !p.is_fallback()),
            prepare_time: spent + started.elapsed(),
        };
        PreparedPreset {
            runtime,
            shaders,
            report,
        }
    }
}

/// What [`Preparation::step`] does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PrepStep {
    /// Compile the equations.
    Code,
    /// Translate the warp shader (HLSL to a validated naga module).
    Warp,
    /// Translate the composite shader.
    Comp,
    /// Textures and pipelines.
    Build,
    /// Handed out.
    Done,
}

/// A preset being prepared a step at a time, from [`PresetBuilder::begin`]:
/// for hosts that cannot prepare on another thread (the browser, where
/// wgpu's objects stay on the page's thread) and must not stall a frame for
/// the whole preparation. Each [`Preparation::step`] does one part (the
/// equations, each shader's translation, then textures and pipelines: a
/// quarter or so of [`PresetBuilder::prepare`]'s time each); the result is
/// the same as `prepare`'s.
pub struct Preparation {
    builder: PresetBuilder,
    preset: Preset,
    preset_dir: Option<PathBuf>,
    seed: u64,
    runtime: Option<PresetRuntime>,
    warp: Option<stages::TranslatedStage>,
    comp: Option<stages::TranslatedStage>,
    next: PrepStep,
    /// Time spent in the steps so far (not the time between them).
    spent: Duration,
}

impl Preparation {
    /// Does the next step; the prepared preset once the last one is done
    /// (and `None` from then on).
    pub fn step(&mut self) -> Option<PreparedPreset> {
        let started = Instant::now();
        match self.next {
            PrepStep::Code => {
                self.runtime = Some(self.builder.runtime(&self.preset));
                self.next = PrepStep::Warp;
            }
            PrepStep::Warp => {
                self.warp = stages::translate_stage(
                    &self.preset,
                    milk_hlsl::Stage::Warp,
                    &self.builder.shader_options,
                );
                self.next = PrepStep::Comp;
            }
            PrepStep::Comp => {
                self.comp = stages::translate_stage(
                    &self.preset,
                    milk_hlsl::Stage::Comp,
                    &self.builder.shader_options,
                );
                self.next = PrepStep::Build;
            }
            PrepStep::Done => return None,
            PrepStep::Build => {
                self.next = PrepStep::Done;
                let runtime = self
                    .runtime
                    .take()
                    .unwrap_or_else(|| self.builder.runtime(&self.preset));
                let translated = [self.warp.take(), self.comp.take()];
                return Some(self.builder.finish(
                    runtime,
                    translated,
                    self.preset_dir.as_deref(),
                    self.seed,
                    self.spent,
                    started,
                ));
            }
        }
        self.spent += started.elapsed();
        None
    }

    /// Whether [`Preparation::step`] has handed the preset out.
    pub fn is_done(&self) -> bool {
        self.next == PrepStep::Done
    }

    /// Does the remaining steps at once; `None` if the preset was already
    /// handed out.
    pub fn finish(mut self) -> Option<PreparedPreset> {
        while !self.is_done() {
            if let Some(prepared) = self.step() {
                return Some(prepared);
            }
        }
        None
    }
}
