//! MilkDrop 2 preset shaders on the GPU: the warp and composite stages that
//! run a preset's own HLSL (translated by milk-hlsl into a validated naga
//! module) instead of MilkDrop's default passes.
//!
//! - [`PresetShaders::build`] translates both shaders, resolves the
//!   textures they read (noise and user textures come from the caller; the
//!   previous frame and the blur levels are bound per frame) and creates the
//!   pipelines. It needs only a `&wgpu::Device`, so it can run on a worker
//!   thread while the visualizer keeps rendering. A shader that fails to
//!   translate or whose pipeline the device rejects is reported as a
//!   [`ShaderFailure`] and its stage falls back to MilkDrop's default.
//! - [`comp_grid`] is MilkDrop 2's composite grid (32x24 vertices squished
//!   towards the centre, with `rad`/`ang` per vertex and the `ang` seam
//!   fixed up) and [`ShaderUniforms`] fills milk-hlsl's uniform block the way
//!   MilkDrop 2's `ApplyShaderParams` does (time, audio, aspect, texsize,
//!   roam, mip, blur ranges, q1..q32, rand_frame/rand_preset and the 24
//!   `rot_*` matrices).

use std::borrow::Cow;

use milk_hlsl::{Filter, MilkUniforms, SamplerDim, Stage, TextureSource, Translation, Wrap};
use milk_parser::Preset;

use crate::passes::Begin;

pub use crate::rng::Rng;

/// One vertex of a shader stage: clip position, (warped) uv and `uv_orig`,
/// `rad`/`ang`, and the `hue_shader` colour.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct ShaderVertex {
    pub pos: [f32; 2],
    pub uv: [f32; 4],
    pub rad_ang: [f32; 2],
    pub hue: [f32; 4],
}

const VERTEX_ATTRIBUTES: [wgpu::VertexAttribute; 4] = wgpu::vertex_attr_array![
    0 => Float32x2, 1 => Float32x4, 2 => Float32x2, 3 => Float32x4
];

fn vertex_layout() -> wgpu::VertexBufferLayout<'static> {
    wgpu::VertexBufferLayout {
        array_stride: std::mem::size_of::<ShaderVertex>() as u64,
        step_mode: wgpu::VertexStepMode::Vertex,
        attributes: &VERTEX_ATTRIBUTES,
    }
}

/// Why a preset's shader does not run (its stage falls back to MilkDrop's
/// default for that stage).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShaderFailure {
    /// The shader did not translate or validate; the error has the line and
    /// column in the preset file.
    #[error("{} shader: {error}", .stage.as_str())]
    Translate {
        stage: Stage,
        error: milk_hlsl::Error,
    },
    /// The device rejected the shader module or the pipeline (for example a
    /// shader that reads more textures than the adapter allows).
    #[error("{} shader: the GPU rejected the pipeline: {message}", .stage.as_str())]
    Pipeline { stage: Stage, message: String },
    /// A MilkDrop 2 preset without warp shader text and with `bTexWrap=0`:
    /// the warp shader MilkDrop 2 writes for it (`GenWarpPShaderText`)
    /// names `sampler__main` (a wide string printed with `%s`), which does
    /// not compile there, so its fallback warp draws.
    #[error(
        "warp shader: MilkDrop 2's generated warp for bTexWrap=0 does not compile \
         (it reads `sampler__main`), so its fallback warp draws"
    )]
    UnwrappedGeneratedWarp,
}

impl ShaderFailure {
    pub fn stage(&self) -> Stage {
        match self {
            ShaderFailure::Translate { stage, .. } | ShaderFailure::Pipeline { stage, .. } => {
                *stage
            }
            ShaderFailure::UnwrappedGeneratedWarp => Stage::Warp,
        }
    }
}

/// MilkDrop 2's fallback shaders (its `data/warp_ps.fx` and
/// `data/comp_ps.fx`), which draw where a preset's shader does not compile:
/// the previous frame darkened by 0.004 a frame, and the picture as it is
/// (no gamma, echo or hue).
const FALLBACK_WARP: &str = "shader_body { ret = tex2D(sampler_main, uv).xyz; ret -= 0.004; }";
const FALLBACK_COMP: &str = "shader_body { ret = tex2D(sampler_main, uv).xyz; }";

/// The translation of MilkDrop 2's fallback shader for `stage`.
fn fallback_translation(stage: Stage) -> Result<Translation, ShaderFailure> {
    let text = match stage {
        Stage::Warp => FALLBACK_WARP,
        Stage::Comp => FALLBACK_COMP,
    };
    milk_hlsl::translate_str(text, stage).map_err(|error| ShaderFailure::Translate { stage, error })
}

/// The four samplers the `sampler_[fc_|fw_|pc_|pw_]` prefixes choose.
#[derive(Debug, Clone)]
pub struct Samplers {
    /// Indexed by [`Samplers::index`].
    samplers: [wgpu::Sampler; 4],
}

impl Samplers {
    pub fn new(device: &wgpu::Device) -> Self {
        let make = |filter: Filter, wrap: Wrap| {
            let mode = match wrap {
                Wrap::Repeat => wgpu::AddressMode::Repeat,
                Wrap::Clamp => wgpu::AddressMode::ClampToEdge,
            };
            // The mip filter follows the sampler's filter, as in MilkDrop 2
            // (it matters for the noise textures only: they alone have
            // mip levels).
            let (f, mip) = match filter {
                Filter::Linear => (wgpu::FilterMode::Linear, wgpu::MipmapFilterMode::Linear),
                Filter::Point => (wgpu::FilterMode::Nearest, wgpu::MipmapFilterMode::Nearest),
            };
            device.create_sampler(&wgpu::SamplerDescriptor {
                label: Some("kefir shader sampler"),
                address_mode_u: mode,
                address_mode_v: mode,
                address_mode_w: mode,
                mag_filter: f,
                min_filter: f,
                mipmap_filter: mip,
                ..Default::default()
            })
        };
        Samplers {
            samplers: [
                make(Filter::Linear, Wrap::Repeat),
                make(Filter::Linear, Wrap::Clamp),
                make(Filter::Point, Wrap::Repeat),
                make(Filter::Point, Wrap::Clamp),
            ],
        }
    }

    fn index(filter: Filter, wrap: Wrap) -> usize {
        let f = match filter {
            Filter::Linear => 0,
            Filter::Point => 2,
        };
        let w = match wrap {
            Wrap::Repeat => 0,
            Wrap::Clamp => 1,
        };
        f + w
    }

    pub fn get(&self, filter: Filter, wrap: Wrap) -> &wgpu::Sampler {
        &self.samplers[Self::index(filter, wrap)]
    }
}

/// A texture a stage reads that is not the frame or a blur level: its view
/// and size, resolved when the preset loads.
#[derive(Debug, Clone)]
pub struct FixedTexture {
    pub view: wgpu::TextureView,
    pub size: (u32, u32),
    /// A view of level 0 alone where the texture has mip levels.
    pub level0: Option<wgpu::TextureView>,
    /// 1 for 2D textures.
    pub depth: u32,
}

/// Where one texture binding's view comes from each frame.
#[derive(Debug, Clone)]
enum BoundView {
    /// The previous frame (warp) or the frame just drawn (composite).
    Main,
    Blur(u8),
    Fixed(wgpu::TextureView),
    /// A texture with mip levels read only where the translator knows how
    /// far each read's coordinate moves a pixel
    /// ([`milk_hlsl::TextureBinding::footprints`]): its level 0 alone
    /// while none of them minifies, else the whole texture.
    Footprint {
        full: wgpu::TextureView,
        level0: wgpu::TextureView,
        footprints: Vec<milk_hlsl::Footprint>,
        texels: [u32; 3],
    },
}

impl BoundView {
    /// The view to bind for a frame of `views`.
    fn view<'v>(&'v self, views: &'v FrameViews<'_>) -> &'v wgpu::TextureView {
        match self {
            BoundView::Main => views.main,
            BoundView::Blur(n) => views.blur[usize::from(n.clamp(&1, &3) - 1)].0,
            BoundView::Fixed(v) => v,
            BoundView::Footprint {
                full,
                level0,
                footprints,
                texels,
            } => {
                let magnified = footprints
                    .iter()
                    .all(|f| f.magnifies(views.main_size, views.target_size, *texels));
                if magnified { level0 } else { full }
            }
        }
    }
}

/// Where one `texsize_NAME` value comes from each frame.
#[derive(Debug, Clone, Copy)]
enum TexSize {
    Main,
    Blur(u8),
    Fixed((u32, u32)),
}

/// What the frame provides to bind a stage: the main view, the blur views
/// and their sizes.
pub struct FrameViews<'a> {
    pub main: &'a wgpu::TextureView,
    pub main_size: (u32, u32),
    /// The size of the target the stage draws into (what `uv_orig` spans).
    pub target_size: (u32, u32),
    pub blur: [(&'a wgpu::TextureView, (u32, u32)); 3],
}

/// One translated preset shader with its pipeline.
#[derive(Debug)]
pub struct StageProgram {
    stage: Stage,
    module: wgpu::ShaderModule,
    pipeline_layout: wgpu::PipelineLayout,
    /// Pipelines by target format (usually one).
    pipelines: Vec<(wgpu::TextureFormat, wgpu::RenderPipeline)>,
    bind_layout: wgpu::BindGroupLayout,
    /// `(texture binding, view, sampler index)`, in layout order.
    textures: Vec<(u32, BoundView, usize)>,
    /// The filter of a plain `sampler_main` (no prefix) when the shader
    /// reads one, and its binding: for [`StageProgram::bind_group`]'s
    /// `main_wrap`.
    plain_main: Option<(u32, Filter)>,
    texsizes: Vec<TexSize>,
    texsize_buffer: Option<wgpu::Buffer>,
    /// Highest blur level the shader reads (0 = none).
    blur_levels: u8,
    /// Whether the shader can discard pixels (see [`StageProgram::begin`]).
    discards: bool,
    /// Whether the shader reads `rad`, `ang` or `hue_shader` (see
    /// [`StageProgram::needs_grid`]).
    reads_grid_values: bool,
    /// Whether this is MilkDrop 2's fallback shader, drawn in place of the
    /// preset's, which failed.
    fallback: bool,
}

impl StageProgram {
    /// Creates the pipeline for `translation` drawing into `format`;
    /// `resolve` gives the view and size of every noise or user texture.
    fn build(
        device: &wgpu::Device,
        vertex_module: &wgpu::ShaderModule,
        stage: Stage,
        translation: &Translation,
        format: wgpu::TextureFormat,
        resolve: &mut dyn FnMut(&TextureSource) -> FixedTexture,
    ) -> Result<Self, ShaderFailure> {
        let layout = &translation.layout;
        let mut blur_levels = 0;
        let mut view_of = |source: &TextureSource, footprints: &[milk_hlsl::Footprint]| match source
        {
            TextureSource::Main => (BoundView::Main, TexSize::Main),
            TextureSource::Blur(n) => {
                blur_levels = blur_levels.max(*n);
                (BoundView::Blur(*n), TexSize::Blur(*n))
            }
            other => {
                let t = resolve(other);
                let view = match t.level0 {
                    Some(level0) if !footprints.is_empty() => BoundView::Footprint {
                        full: t.view,
                        level0,
                        footprints: footprints.to_vec(),
                        texels: [t.size.0, t.size.1, t.depth],
                    },
                    _ => BoundView::Fixed(t.view),
                };
                (view, TexSize::Fixed(t.size))
            }
        };
        let mut textures = Vec::with_capacity(layout.textures.len());
        let mut plain_main = None;
        let mut entries = vec![crate::layout::uniform(milk_hlsl::env::UNIFORMS_BINDING)];
        for t in &layout.textures {
            if t.sampler_name.eq_ignore_ascii_case("sampler_main") {
                plain_main = Some((t.texture_binding, t.filter));
            }
            // Two views of one texture with different levels in one draw
            // are one texture object on WebGL2 (wgpu sets its base and max
            // level at each bind: the last one would hold for both), so a
            // texture the stage also reads through its whole chain keeps
            // it for the followed reads too.
            let shared = !t.footprints.is_empty()
                && layout
                    .textures
                    .iter()
                    .any(|o| o.footprints.is_empty() && o.source == t.source);
            let footprints = if shared { &[][..] } else { &t.footprints[..] };
            let (view, _) = view_of(&t.source, footprints);
            textures.push((t.texture_binding, view, Samplers::index(t.filter, t.wrap)));
            entries.push(wgpu::BindGroupLayoutEntry {
                binding: t.texture_binding,
                visibility: wgpu::ShaderStages::FRAGMENT,
                ty: wgpu::BindingType::Texture {
                    sample_type: wgpu::TextureSampleType::Float { filterable: true },
                    view_dimension: match t.dim {
                        SamplerDim::D3 => wgpu::TextureViewDimension::D3,
                        _ => wgpu::TextureViewDimension::D2,
                    },
                    multisampled: false,
                },
                count: None,
            });
            entries.push(crate::layout::sampler(t.sampler_binding));
        }
        let texsizes: Vec<TexSize> = layout
            .texsizes
            .iter()
            .map(|name| {
                let source = milk_hlsl::env::builtin_source(name)
                    .map(|(s, _)| s)
                    .unwrap_or_else(|| TextureSource::User(name.clone()));
                view_of(&source, &[]).1
            })
            .collect();
        let texsize_buffer = (!texsizes.is_empty()).then(|| {
            entries.push(crate::layout::uniform(milk_hlsl::env::TEXSIZES_BINDING));
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("kefir texsizes"),
                size: (texsizes.len() * 16) as u64,
                usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            })
        });

        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let label = match stage {
            Stage::Warp => "kefir warp shader",
            Stage::Comp => "kefir comp shader",
        };
        // Natively the validated module itself; in the browser the text
        // naga validated (see Cargo.toml: no `naga-ir` there).
        #[cfg(not(target_arch = "wasm32"))]
        let source = wgpu::ShaderSource::Naga(Cow::Owned(translation.module.clone()));
        #[cfg(target_arch = "wasm32")]
        let source = wgpu::ShaderSource::Wgsl(Cow::Borrowed(&translation.source_wgsl));
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some(label),
            source,
        });
        let bind_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some(label),
            entries: &entries,
        });
        let pipeline_layout = crate::layout::pipeline_layout(device, label, &bind_layout);
        let pipeline = create_pipeline(device, vertex_module, &module, &pipeline_layout, format);
        if let Some(error) = pop_error_scope(scope) {
            return Err(ShaderFailure::Pipeline {
                stage,
                message: error.to_string(),
            });
        }
        Ok(StageProgram {
            stage,
            module,
            pipeline_layout,
            pipelines: vec![(format, pipeline)],
            bind_layout,
            textures,
            plain_main,
            texsizes,
            texsize_buffer,
            blur_levels,
            discards: translation.discards(),
            reads_grid_values: translation.layout.reads_grid_values,
            fallback: false,
        })
    }

    /// This program marked as MilkDrop 2's fallback shader.
    fn into_fallback(self) -> Self {
        StageProgram {
            fallback: true,
            ..self
        }
    }

    /// Whether this is MilkDrop 2's fallback shader, drawn because the
    /// preset's failed (see [`PresetShaders::failures`]).
    pub fn is_fallback(&self) -> bool {
        self.fallback
    }

    /// How a pass drawing this shader over the whole target starts: from
    /// black where the shader may discard pixels (they stay black, as in
    /// MilkDrop, whose targets start each pass cleared), from nothing
    /// otherwise (every pixel is written: no clear to pay for).
    pub(crate) fn begin(&self) -> Begin {
        if self.discards {
            Begin::Clear
        } else {
            Begin::Overwrite
        }
    }

    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// Whether the shader must be drawn over its grid: it reads values
    /// MilkDrop 2 interpolates between the grid's vertices (`rad`, `ang`,
    /// `hue_shader`). The rest of its inputs are affine in the screen
    /// position, the same over one full-screen triangle, which a software
    /// rasteriser draws for much less than the composite grid's 1,320
    /// triangles.
    pub fn needs_grid(&self) -> bool {
        self.reads_grid_values
    }

    /// The formats pipelines exist for.
    pub fn formats(&self) -> impl Iterator<Item = wgpu::TextureFormat> + '_ {
        self.pipelines.iter().map(|(f, _)| *f)
    }

    /// Highest blur level the shader reads (0 = none).
    pub fn blur_levels(&self) -> u8 {
        self.blur_levels
    }

    /// Builds the pipeline drawing into `format` if it does not exist yet
    /// (a host that changes its target format pays for it once).
    pub(crate) fn ensure_pipeline(
        &mut self,
        device: &wgpu::Device,
        vertex_module: &wgpu::ShaderModule,
        format: wgpu::TextureFormat,
    ) {
        if self.pipelines.iter().all(|(f, _)| *f != format) {
            let p = create_pipeline(
                device,
                vertex_module,
                &self.module,
                &self.pipeline_layout,
                format,
            );
            self.pipelines.push((format, p));
        }
    }

    /// The pipeline drawing into `format` (see
    /// [`StageProgram::ensure_pipeline`]).
    pub(crate) fn pipeline(&self, format: wgpu::TextureFormat) -> Option<&wgpu::RenderPipeline> {
        self.pipelines
            .iter()
            .find_map(|(f, p)| (*f == format).then_some(p))
    }

    /// Writes the `texsize_NAME` table and creates this frame's bind group.
    /// With `main_wrap` (butterchurn's reading, for comparisons) a plain
    /// `sampler_main` wraps or clamps as the frame's `wrap` says; MilkDrop
    /// 2 gives it WRAP whatever `bTexWrap` is (plugin.cpp `CacheParams`:
    /// `bWrap = true` unless a `fc_`/`pc_` prefix says otherwise).
    pub(crate) fn bind_group(
        &self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        uniforms: &wgpu::Buffer,
        views: &FrameViews<'_>,
        samplers: &Samplers,
        main_wrap: Option<bool>,
    ) -> wgpu::BindGroup {
        if let Some(buffer) = &self.texsize_buffer {
            let table: Vec<[f32; 4]> = self
                .texsizes
                .iter()
                .map(|t| {
                    let (w, h) = match t {
                        TexSize::Main => views.main_size,
                        TexSize::Blur(n) => views.blur[usize::from(n.clamp(&1, &3) - 1)].1,
                        TexSize::Fixed(size) => *size,
                    };
                    let (w, h) = (w.max(1) as f32, h.max(1) as f32);
                    [w, h, 1.0 / w, 1.0 / h]
                })
                .collect();
            queue.write_buffer(buffer, 0, bytemuck::cast_slice(&table));
        }
        let mut entries = vec![wgpu::BindGroupEntry {
            binding: milk_hlsl::env::UNIFORMS_BINDING,
            resource: uniforms.as_entire_binding(),
        }];
        if let Some(buffer) = &self.texsize_buffer {
            entries.push(wgpu::BindGroupEntry {
                binding: milk_hlsl::env::TEXSIZES_BINDING,
                resource: buffer.as_entire_binding(),
            });
        }
        for (binding, view, sampler) in &self.textures {
            let sampler = match (main_wrap, self.plain_main) {
                (Some(wrap), Some((b, filter))) if b == *binding => {
                    Samplers::index(filter, if wrap { Wrap::Repeat } else { Wrap::Clamp })
                }
                _ => *sampler,
            };
            entries.push(wgpu::BindGroupEntry {
                binding: *binding,
                resource: wgpu::BindingResource::TextureView(view.view(views)),
            });
            entries.push(wgpu::BindGroupEntry {
                binding: binding + 1,
                resource: wgpu::BindingResource::Sampler(&samplers.samplers[sampler]),
            });
        }
        device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("kefir shader stage"),
            layout: &self.bind_layout,
            entries: &entries,
        })
    }
}

fn create_pipeline(
    device: &wgpu::Device,
    vertex_module: &wgpu::ShaderModule,
    module: &wgpu::ShaderModule,
    layout: &wgpu::PipelineLayout,
    format: wgpu::TextureFormat,
) -> wgpu::RenderPipeline {
    crate::layout::render_pipeline(
        device,
        crate::layout::PipelineSpec {
            label: "kefir shader stage",
            layout,
            vertex: (vertex_module, "stage_vs"),
            buffers: &[Some(vertex_layout())],
            fragment: (module, "fs_main"),
            target: format.into(),
        },
    )
}

/// A preset's two shader stages, ready to draw. A stage is `None` when the
/// preset has no shader for it (MilkDrop 1.x presets, or no shader text) or
/// its shader failed (see `failures`).
#[derive(Debug)]
pub struct PresetShaders {
    pub warp: Option<StageProgram>,
    pub comp: Option<StageProgram>,
    pub failures: Vec<ShaderFailure>,
    /// The per-preset random values of the `rot_*` matrices and
    /// `rand_preset`.
    pub randoms: PresetRandoms,
}

/// One stage's shader translated (or why not), before its pipeline is
/// built: the CPU half of [`PresetShaders::build`], which
/// [`crate::Preparation`] runs as a step of its own.
pub type TranslatedStage = Result<milk_hlsl::Translation, ShaderFailure>;

/// Translates the shader the preset's `PSVERSION_WARP`/`_COMP` enable for
/// `stage`; `None` when there is none (MilkDrop 1.x presets, or no text:
/// the shader MilkDrop 2 generates from the file values draws).
///
/// As in MilkDrop 2, text that is only white space is a shader (one that
/// fails: no `shader_body`), and a preset without warp text whose
/// `bTexWrap` is 0 gets the fallback warp
/// ([`ShaderFailure::UnwrappedGeneratedWarp`]).
pub fn translate_stage(
    preset: &Preset,
    stage: Stage,
    options: &milk_hlsl::Options,
) -> Option<TranslatedStage> {
    let (version, block) = match stage {
        Stage::Warp => (preset.ps_version_warp, preset.warp_shader.as_ref()),
        Stage::Comp => (preset.ps_version_comp, preset.comp_shader.as_ref()),
    };
    if version <= 0 {
        return None;
    }
    match block.filter(|b| !b.text.is_empty()) {
        Some(block) => Some(
            milk_hlsl::translate_with(block, stage, options)
                .map_err(|error| ShaderFailure::Translate { stage, error }),
        ),
        None if stage == Stage::Warp && !preset.base.tex_wrap => {
            Some(Err(ShaderFailure::UnwrappedGeneratedWarp))
        }
        None => None,
    }
}

impl PresetShaders {
    /// Translates and builds the preset's shaders (those its
    /// `PSVERSION_WARP`/`_COMP` enable) for a composite drawn into
    /// `comp_format`.
    pub fn build(
        device: &wgpu::Device,
        vertex_module: &wgpu::ShaderModule,
        preset: &Preset,
        comp_format: wgpu::TextureFormat,
        seed: u64,
        resolve: &mut dyn FnMut(&TextureSource) -> FixedTexture,
    ) -> Self {
        let options = milk_hlsl::Options::default();
        let warp = translate_stage(preset, Stage::Warp, &options);
        let comp = translate_stage(preset, Stage::Comp, &options);
        Self::build_translated(
            device,
            vertex_module,
            [warp, comp],
            comp_format,
            seed,
            resolve,
        )
    }

    /// Builds the pipelines of stages already translated (warp, then comp).
    pub fn build_translated(
        device: &wgpu::Device,
        vertex_module: &wgpu::ShaderModule,
        [warp, comp]: [Option<TranslatedStage>; 2],
        comp_format: wgpu::TextureFormat,
        seed: u64,
        resolve: &mut dyn FnMut(&TextureSource) -> FixedTexture,
    ) -> Self {
        let mut failures = Vec::new();
        let mut stage = |stage: Stage, translated: Option<TranslatedStage>| {
            let format = match stage {
                Stage::Warp => crate::FEEDBACK_FORMAT,
                Stage::Comp => comp_format,
            };
            let mut build = |t: &Translation| {
                StageProgram::build(device, vertex_module, stage, t, format, resolve)
            };
            match translated?.and_then(|t| build(&t)) {
                Ok(program) => Some(program),
                Err(failure) => {
                    // MilkDrop 2 draws its fallback shader instead.
                    failures.push(failure);
                    let fallback = fallback_translation(stage).and_then(|t| build(&t));
                    fallback
                        .map(|p| p.into_fallback())
                        .map_err(|f| failures.push(f))
                        .ok()
                }
            }
        };
        let warp = stage(Stage::Warp, warp);
        let comp = stage(Stage::Comp, comp);
        PresetShaders {
            warp,
            comp,
            failures,
            randoms: PresetRandoms::new(seed),
        }
    }

    /// No shaders (MilkDrop 1.x presets, or before the first load).
    pub fn none(seed: u64) -> Self {
        PresetShaders {
            warp: None,
            comp: None,
            failures: Vec::new(),
            randoms: PresetRandoms::new(seed),
        }
    }

    /// Highest blur level either stage reads.
    pub fn blur_levels(&self) -> u8 {
        let w = self.warp.as_ref().map_or(0, |p| p.blur_levels);
        let c = self.comp.as_ref().map_or(0, |p| p.blur_levels);
        w.max(c)
    }
}

/// MilkDrop's "2 pi" in its random angles (`FRAND * 6.28f`).
#[allow(clippy::approx_constant)]
pub(crate) const MILKDROP_TWO_PI: f32 = 6.28;

/// Per-preset random values: `rand_preset` and the centres, speeds and
/// offsets of the 20 slowly turning `rot_*` matrices (MilkDrop 2 picks them
/// when a preset loads; the speed grows with the matrix index, from
/// `rot_s*` (slow) to `rot_uf*` (ultra fast)).
#[derive(Debug, Clone, PartialEq)]
pub struct PresetRandoms {
    pub rand_preset: [f32; 4],
    centres: [[f32; 3]; 20],
    speeds: [[f32; 3]; 20],
    offsets: [[f32; 3]; 20],
}

impl PresetRandoms {
    pub fn new(seed: u64) -> Self {
        let mut rng = Rng::new(seed ^ 0x6b65_6669_725f_7368);
        let rand_preset = std::array::from_fn(|_| rng.next_f32());
        let mut centres = [[0.0; 3]; 20];
        let mut speeds = [[0.0; 3]; 20];
        let mut offsets = [[0.0; 3]; 20];
        for (i, ((offset, centre), speed)) in offsets
            .iter_mut()
            .zip(&mut centres)
            .zip(&mut speeds)
            .enumerate()
        {
            let rate = 0.9 * (i as f32 / 8.0).powf(3.2);
            for k in 0..3 {
                offset[k] = rng.next_f32() * 2.0 - 1.0;
                centre[k] = rng.next_f32() * MILKDROP_TWO_PI;
                speed[k] = (rng.next_f32() * 2.0 - 1.0) * rate;
            }
        }
        PresetRandoms {
            rand_preset,
            centres,
            speeds,
            offsets,
        }
    }

    /// The 24 `rot_*` matrices at `time`: 20 turning at their speeds, the
    /// last 4 (`rot_rand*`) new random ones every frame from `rng`.
    pub fn matrices(&self, time: f32, rng: &mut Rng) -> [[[f32; 3]; 4]; 24] {
        let mut out = [[[0.0; 3]; 4]; 24];
        for (i, m) in out.iter_mut().enumerate() {
            let (angles, offset) = if i < 20 {
                let a = std::array::from_fn(|k| self.centres[i][k] + self.speeds[i][k] * time);
                (a, self.offsets[i])
            } else {
                let a = std::array::from_fn(|_| rng.next_f32() * MILKDROP_TWO_PI);
                (a, std::array::from_fn(|_| rng.next_f32()))
            };
            *m = rotation(angles, offset);
        }
        out
    }
}

/// MilkDrop 2's `rot_*` matrix for `angles` and `offset`: in Direct3D's
/// row-vector convention (`v' = v * M`) it rotates about x, moves by
/// `offset`, rotates about z, then about y; the rows of its first three
/// columns (`float4x3`). In glam's column-vector convention the same
/// transform is `Ry * Rz * T * Rx`, and Direct3D's rows are glam's columns.
fn rotation([ax, ay, az]: [f32; 3], offset: [f32; 3]) -> [[f32; 3]; 4] {
    use glam::{Mat4, Vec3};
    let m = Mat4::from_rotation_y(ay)
        * (Mat4::from_rotation_z(az)
            * (Mat4::from_translation(Vec3::from(offset)) * Mat4::from_rotation_x(ax)));
    std::array::from_fn(|r| m.col(r).truncate().to_array())
}

/// The frame values that go into the shaders' uniform block.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ShaderUniforms {
    /// MilkDrop's clock (seconds since the visualizer started): the roam
    /// values and `rot_*` matrices turn with it.
    pub time: f64,
    /// Seconds since the preset started: the shaders' `time`.
    pub preset_time: f64,
    pub fps: f64,
    pub frame: f64,
    pub progress: f64,
    /// bass, mid, treb, vol.
    pub levels: [f32; 4],
    /// The `_att` versions.
    pub levels_att: [f32; 4],
    /// MilkDrop's aspect factors (`m_fAspectX`, `m_fAspectY`).
    pub aspect: [f32; 2],
    /// Size of the frame texture.
    pub size: (u32, u32),
    /// `c5`, `c6`, `c13`: blur scale/bias and ranges.
    pub blur: ([f32; 4], [f32; 4], [f32; 4]),
    pub q: [f64; 32],
    /// roam_cos/sin and slow_roam_cos/sin as butterchurn computes them
    /// ([`crate::ButterchurnQuirks::roam`]).
    pub butterchurn_roam: bool,
}

impl ShaderUniforms {
    /// The block, with `rand_frame` and the `rot_rand*` matrices drawn from
    /// `rng`.
    pub fn to_block(&self, randoms: &PresetRandoms, rng: &mut Rng) -> MilkUniforms {
        let mut u = MilkUniforms::default();
        // Shaders' `time` is the preset's (`time_since_preset_start`),
        // wrapped at 10000 s; the roam values and matrices turn with
        // MilkDrop's clock (`GetTime() - m_fStartTime`), a float.
        let preset_t = (self.preset_time - (self.preset_time / 10000.0).trunc() * 10000.0) as f32;
        let t = self.time as f32;
        let [ax, ay] = self.aspect;
        u.c[0] = [ax, ay, 1.0 / ax, 1.0 / ay];
        u.c[2] = [
            preset_t,
            self.fps as f32,
            self.frame as f32,
            self.progress as f32,
        ];
        u.c[3] = self.levels;
        u.c[4] = self.levels_att;
        u.c[5] = self.blur.0;
        u.c[6] = self.blur.1;
        let (w, h) = (self.size.0.max(1) as f32, self.size.1.max(1) as f32);
        u.c[7] = [w, h, 1.0 / w, 1.0 / h];
        let roam = |rates: [f32; 4], phases: [f32; 4], f: fn(f32) -> f32| {
            std::array::from_fn(|i| 0.5 + 0.5 * f(t * rates[i] + phases[i]))
        };
        // MilkDrop 2's rates and phases (`ApplyShaderParams`), or
        // butterchurn's: rounded rates, no phases.
        let ((fast, fast_phase), (slow, slow_phase)) = if self.butterchurn_roam {
            (
                ([0.3, 1.3, 5.0, 20.0], [0.0; 4]),
                ([0.005, 0.008, 0.013, 0.022], [0.0; 4]),
            )
        } else {
            (
                ([0.329, 1.293, 5.070, 20.051], [1.2, 3.9, 2.5, 5.4]),
                ([0.0050, 0.0085, 0.0133, 0.0217], [2.7, 5.3, 4.5, 3.8]),
            )
        };
        u.c[8] = roam(fast, fast_phase, f32::cos);
        u.c[9] = roam(fast, fast_phase, f32::sin);
        u.c[10] = roam(slow, slow_phase, f32::cos);
        u.c[11] = roam(slow, slow_phase, f32::sin);
        // `mip_y` is the width's too (`ApplyShaderParams` takes
        // `GetWidth()` for both: a slip, but what MilkDrop 2 shaders read).
        let mip = w.log2();
        u.c[12] = [mip, mip, mip, 0.0];
        u.c[13] = self.blur.2;
        u.set_q(&self.q);
        u.rand_frame = std::array::from_fn(|_| rng.next_f32());
        u.rand_preset = randoms.rand_preset;
        u.rot = randoms.matrices(t, rng);
        u
    }
}

/// MilkDrop 2's composite grid size (`FCGSX` x `FCGSY` vertices; the middle
/// column and row are doubled so `ang` never interpolates across its seam).
pub const COMP_GRID: (u32, u32) = (32, 24);

/// Pushes `x` towards the middle of 0..1 (MilkDrop's `SquishToCenter`):
/// more composite grid vertices near the centre, where `ang` changes fast.
fn squish_to_centre(x: f32, exponent: f32) -> f32 {
    if x > 0.5 {
        (x * 2.0 - 1.0).powf(exponent) * 0.5 + 0.5
    } else {
        (1.0 - (1.0 - x * 2.0).powf(exponent)) * 0.5
    }
}

/// `rad` (1 at the corners) and `ang` (0 at three o'clock, 0..2pi) of a uv
/// position, as MilkDrop's `UvToMathSpace`.
pub fn uv_to_math_space(u: f32, v: f32, aspect: [f32; 2]) -> (f32, f32) {
    let px = (u * 2.0 - 1.0) * aspect[0];
    let py = (v * 2.0 - 1.0) * aspect[1];
    let rad = (px * px + py * py).sqrt() / (aspect[0] * aspect[0] + aspect[1] * aspect[1]).sqrt();
    let mut ang = py.atan2(px);
    if ang < 0.0 {
        ang += std::f32::consts::TAU;
    }
    (rad, ang)
}

/// The composite grid's vertices (hue colours white; see
/// [`apply_hue_corners`]) and triangle indices, for MilkDrop's aspect
/// factors.
pub fn comp_grid(aspect: [f32; 2]) -> (Vec<ShaderVertex>, Vec<u32>) {
    use std::f32::consts::PI;
    let (w, h) = (COMP_GRID.0 as i32, COMP_GRID.1 as i32);
    let mut vertices = Vec::with_capacity((w * h) as usize);
    for j in 0..h {
        let v = squish_to_centre((j - j / (h / 2)) as f32 / (h - 2) as f32, 3.0);
        for i in 0..w {
            let u = squish_to_centre((i - i / (w / 2)) as f32 / (w - 2) as f32, 3.0);
            let (rad, mut ang) = uv_to_math_space(u, v, aspect);
            // The doubled middle column and row get angles that keep each
            // quadrant's triangles on one side of the seam.
            let (mid_x, mid_y) = (w / 2, h / 2);
            if i == mid_x - 1 || i == mid_x {
                let left = i == mid_x - 1;
                ang = if j < mid_y - 1 {
                    PI * 1.5
                } else if j == mid_y - 1 {
                    if left { PI * 1.25 } else { PI * 1.75 }
                } else if j == mid_y {
                    if left { PI * 0.75 } else { PI * 0.25 }
                } else {
                    PI * 0.5
                };
            } else if j == mid_y - 1 {
                ang = if i < mid_x - 1 { PI } else { PI * 2.0 };
            } else if j == mid_y {
                ang = if i < mid_x - 1 { PI } else { 0.0 };
            }
            vertices.push(ShaderVertex {
                pos: [u * 2.0 - 1.0, 1.0 - v * 2.0],
                uv: [u, v, u, v],
                rad_ang: [rad, ang],
                hue: [1.0; 4],
            });
        }
    }
    let mut indices = Vec::with_capacity(((w - 1) * (h - 1) * 6) as usize);
    let at = |i: i32, j: i32| (j * w + i) as u32;
    for j in 0..h - 1 {
        if j == h / 2 - 1 {
            continue;
        }
        for i in 0..w - 1 {
            if i == w / 2 - 1 {
                continue;
            }
            let left = i < w / 2;
            let top = j < h / 2;
            let centre = (i == w / 2 || i == w / 2 - 1) && (j == h / 2 || j == h / 2 - 1);
            // Split each quad along the diagonal that keeps `ang`
            // interpolation friendly.
            if (u8::from(left) + u8::from(top) + u8::from(centre)) % 2 == 1 {
                indices.extend([
                    at(i, j),
                    at(i + 1, j),
                    at(i + 1, j + 1),
                    at(i + 1, j + 1),
                    at(i, j + 1),
                    at(i, j),
                ]);
            } else {
                indices.extend([
                    at(i, j + 1),
                    at(i, j),
                    at(i + 1, j),
                    at(i + 1, j),
                    at(i + 1, j + 1),
                    at(i, j + 1),
                ]);
            }
        }
    }
    (vertices, indices)
}

/// Gives the composite grid from [`comp_grid`] butterchurn's `rad` and `ang`
/// ([`crate::ButterchurnQuirks::comp_rad_ang`]): `length(uv - 0.5)` and
/// `atan(uv.x - 0.5, uv.y - 0.5)`, its seam above the centre falling between
/// the doubled middle columns.
pub fn butterchurn_comp_rad_ang(vertices: &mut [ShaderVertex]) {
    let w = COMP_GRID.0 as usize;
    for (n, vertex) in vertices.iter_mut().enumerate() {
        let [u, v, ..] = vertex.uv;
        let mut dx = u - 0.5;
        if n % w == w / 2 - 1 && dx == 0.0 {
            // The left copy of the middle column: -pi above the centre.
            dx = -0.0;
        }
        let dy = v - 0.5;
        vertex.rad_ang = [dx.hypot(dy), dx.atan2(dy)];
    }
}

/// Sets each grid vertex's `hue_shader` colour: the four colours mixed by
/// position as `ShowToUser_Shaders` does, `shade[0] x y + shade[1] (1 - x)
/// y + shade[2] x (1 - y) + shade[3] (1 - x) (1 - y)` with x and y in 0..1
/// from the vertex's clip position (so top-right, top-left, bottom-right,
/// bottom-left); `butterchurn` turns it upside down, as butterchurn's grid
/// has it (its y runs down the screen:
/// [`crate::ButterchurnQuirks::hue`]).
pub fn apply_hue_corners(
    vertices: &mut [ShaderVertex],
    corners: &[[f32; 4]; 4],
    butterchurn: bool,
) {
    for v in vertices {
        let x = v.pos[0] * 0.5 + 0.5;
        let up = v.pos[1] * 0.5 + 0.5;
        let y = if butterchurn { 1.0 - up } else { up };
        let weights = [x * y, (1.0 - x) * y, x * (1.0 - y), (1.0 - x) * (1.0 - y)];
        for (c, out) in v.hue[..3].iter_mut().enumerate() {
            *out = corners.iter().zip(weights).map(|(k, w)| k[c] * w).sum();
        }
        v.hue[3] = 1.0;
    }
}

/// The validation error a pushed error scope caught, if any. Native
/// backends report at once; in the browser the WebGPU backend answers
/// asynchronously and the page cannot block, so an answer not ready at once
/// counts as none (the device's uncaptured-error handler sees it instead;
/// WebGL2 answers at once).
fn pop_error_scope(scope: wgpu::ErrorScopeGuard) -> Option<wgpu::Error> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        pollster::block_on(scope.pop())
    }
    #[cfg(target_arch = "wasm32")]
    {
        let mut future = std::pin::pin!(scope.pop());
        let mut context = std::task::Context::from_waker(std::task::Waker::noop());
        match future.as_mut().poll(&mut context) {
            std::task::Poll::Ready(error) => error,
            std::task::Poll::Pending => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn math_space_matches_milkdrop() {
        let (rad, ang) = uv_to_math_space(1.0, 0.5, [1.0, 0.75]);
        assert!((rad - 1.0 / 1.25).abs() < 1e-6);
        assert!(ang.abs() < 1e-6);
        let (rad, _) = uv_to_math_space(0.0, 1.0, [1.0, 0.75]);
        assert!((rad - 1.0).abs() < 1e-6, "rad is 1 in the corners");
        // v = 0 is the top of the texture: math y negative, ang 3pi/2.
        let (_, ang) = uv_to_math_space(0.5, 0.0, [1.0, 1.0]);
        assert!((ang - 1.5 * std::f32::consts::PI).abs() < 1e-6);
    }

    #[test]
    fn comp_grid_covers_the_screen_once() {
        let (vertices, indices) = comp_grid([1.0, 0.75]);
        assert_eq!(vertices.len(), 32 * 24);
        // 31 x 23 cells minus the doubled middle column and row.
        assert_eq!(indices.len(), 30 * 22 * 6);
        let area: f32 = indices
            .chunks(3)
            .map(|t| {
                let [a, b, c] = [0, 1, 2].map(|k| vertices[t[k] as usize].pos);
                ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
            })
            .sum();
        assert!(
            (area - 4.0).abs() < 1e-3,
            "triangles cover clip space: {area}"
        );
        for v in &vertices {
            assert!((v.pos[0] - (v.uv[0] * 2.0 - 1.0)).abs() < 1e-6);
            assert!((v.pos[1] - (1.0 - v.uv[1] * 2.0)).abs() < 1e-6);
        }
    }

    #[test]
    fn squish_keeps_ends_and_middle() {
        for (x, y) in [(0.0, 0.0), (0.5, 0.5), (1.0, 1.0)] {
            assert!((squish_to_centre(x, 3.0) - y).abs() < 1e-6);
        }
        assert!(squish_to_centre(0.25, 3.0) > 0.25);
    }

    #[test]
    fn rotations_are_orthonormal_and_deterministic() {
        let a = PresetRandoms::new(7);
        assert_eq!(a, PresetRandoms::new(7));
        assert_ne!(a, PresetRandoms::new(8));
        let mats = a.matrices(12.5, &mut Rng::new(1));
        for m in &mats {
            for row in &m[..3] {
                let len: f32 = row.iter().map(|v| v * v).sum();
                assert!((len - 1.0).abs() < 1e-4);
            }
        }
        // Slow matrices turn slowly: rot_s1 barely moves in a second.
        let later = a.matrices(13.5, &mut Rng::new(1));
        let d: f32 = (0..3).map(|c| (mats[0][0][c] - later[0][0][c]).abs()).sum();
        assert!(d < 1e-3, "rot_s1 moved {d}");
    }

    #[test]
    fn rotations_follow_milkdrops_order() {
        // A point through MilkDrop's matrix (row vector times float4x3)
        // lands where rotating about x, moving, rotating about z and then
        // about y puts it.
        let (angles, offset) = ([0.3f32, -1.1, 2.0], [0.25f32, -0.5, 0.75]);
        let m = rotation(angles, offset);
        let turn = |p: [f32; 3], axis: usize, a: f32| {
            let (s, c) = a.sin_cos();
            let (i, j) = match axis {
                0 => (1, 2),
                1 => (2, 0),
                _ => (0, 1),
            };
            let mut q = p;
            q[i] = p[i] * c - p[j] * s;
            q[j] = p[i] * s + p[j] * c;
            q
        };
        let p = [0.4f32, -0.7, 1.3];
        let mut want = turn(p, 0, angles[0]);
        for (w, o) in want.iter_mut().zip(offset) {
            *w += o;
        }
        let want = turn(turn(want, 2, angles[2]), 1, angles[1]);
        let got: [f32; 3] =
            std::array::from_fn(|c| p[0] * m[0][c] + p[1] * m[1][c] + p[2] * m[2][c] + m[3][c]);
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-5, "{got:?} vs {want:?}");
        }
        // No rotation: identity rows and the offset as the last row.
        let m = rotation([0.0; 3], offset);
        assert_eq!(
            m,
            [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], offset]
        );
    }

    #[test]
    fn roam_follows_milkdrop_2_or_butterchurn() {
        let at_start = |butterchurn_roam| {
            let u = ShaderUniforms {
                butterchurn_roam,
                ..Default::default()
            };
            u.to_block(&PresetRandoms::new(1), &mut Rng::new(2))
        };
        // MilkDrop 2's phases: roam_cos.x = 0.5 + 0.5 cos(1.2) at time 0.
        let milkdrop = at_start(false);
        assert!((milkdrop.c[8][0] - (0.5 + 0.5 * 1.2f32.cos())).abs() < 1e-6);
        assert!((milkdrop.c[11][3] - (0.5 + 0.5 * 3.8f32.sin())).abs() < 1e-6);
        // butterchurn's have none.
        let butterchurn = at_start(true);
        assert_eq!(butterchurn.c[8], [1.0; 4]);
        assert_eq!(butterchurn.c[11], [0.5; 4]);
    }

    #[test]
    fn uniform_block_layout() {
        let u = ShaderUniforms {
            time: 12345.0,
            preset_time: 10001.5,
            fps: 60.0,
            frame: 3.0,
            levels: [1.0, 2.0, 3.0, 2.0],
            aspect: [1.0, 0.75],
            size: (320, 240),
            q: std::array::from_fn(|i| i as f64 + 1.0),
            ..Default::default()
        };
        let block = u.to_block(&PresetRandoms::new(1), &mut Rng::new(2));
        assert!(
            (block.c[2][0] - 1.5).abs() < 1e-3,
            "the preset's time, wrapped at 10000 s"
        );
        assert_eq!(block.c[0], [1.0, 0.75, 1.0, 1.0 / 0.75]);
        assert_eq!(block.c[7], [320.0, 240.0, 1.0 / 320.0, 1.0 / 240.0]);
        // mip_x, mip_y and mip_avg: all the width's, as in MilkDrop 2.
        let mip = 320f32.log2();
        assert_eq!(&block.c[12][..3], &[mip, mip, mip]);
        assert_eq!(block.q[7], [29.0, 30.0, 31.0, 32.0]);
        assert!(block.rand_frame.iter().all(|r| (0.0..1.0).contains(r)));
    }
}
