//! What the engine's passes share: bind group layout entries (every binding
//! is read by fragment shaders only), pipeline construction, and the 8-bit
//! RGBA textures frames and blur levels live in.

/// How shapes and waves draw into a feedback frame: MilkDrop's
/// `src_alpha, dst` blend on the colour (`dst` is `1 - src_alpha` or one,
/// for additive), the frame's alpha left as the warp wrote it; or, with
/// `frame_alpha` (butterchurn's WebGL blending,
/// [`crate::ButterchurnQuirks::frame_alpha`]), the alpha blended as the
/// colour.
pub(crate) fn overlay_target(dst: wgpu::BlendFactor, frame_alpha: bool) -> wgpu::ColorTargetState {
    let color = wgpu::BlendComponent {
        src_factor: wgpu::BlendFactor::SrcAlpha,
        dst_factor: dst,
        operation: wgpu::BlendOperation::Add,
    };
    wgpu::ColorTargetState {
        format: crate::FEEDBACK_FORMAT,
        blend: Some(wgpu::BlendState {
            color,
            alpha: if frame_alpha {
                color
            } else {
                wgpu::BlendComponent::OVER
            },
        }),
        write_mask: if frame_alpha {
            wgpu::ColorWrites::ALL
        } else {
            wgpu::ColorWrites::COLOR
        },
    }
}

/// A uniform buffer at `binding`, read by fragment shaders.
pub(crate) fn uniform(binding: u32) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        visibility: wgpu::ShaderStages::FRAGMENT,
        ..uniform_in_both_stages(binding)
    }
}

/// A uniform buffer at `binding`, read by vertex and fragment shaders.
pub(crate) fn uniform_in_both_stages(binding: u32) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::VERTEX_FRAGMENT,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Uniform,
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}

/// A filterable float 2D texture at `binding`.
pub(crate) fn texture_2d(binding: u32) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::FRAGMENT,
        ty: wgpu::BindingType::Texture {
            sample_type: wgpu::TextureSampleType::Float { filterable: true },
            view_dimension: wgpu::TextureViewDimension::D2,
            multisampled: false,
        },
        count: None,
    }
}

/// A filtering sampler at `binding`.
pub(crate) fn sampler(binding: u32) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::FRAGMENT,
        ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
        count: None,
    }
}

/// A pipeline layout with one bind group.
pub(crate) fn pipeline_layout(
    device: &wgpu::Device,
    label: &str,
    bind_layout: &wgpu::BindGroupLayout,
) -> wgpu::PipelineLayout {
    device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some(label),
        bind_group_layouts: &[Some(bind_layout)],
        immediate_size: 0,
    })
}

/// What differs between the engine's render pipelines; the rest is wgpu's
/// default (triangle lists, no depth, one sample).
pub(crate) struct PipelineSpec<'a> {
    pub label: &'a str,
    pub layout: &'a wgpu::PipelineLayout,
    /// Module and entry point of the vertex stage.
    pub vertex: (&'a wgpu::ShaderModule, &'a str),
    pub buffers: &'a [Option<wgpu::VertexBufferLayout<'a>>],
    /// Module and entry point of the fragment stage.
    pub fragment: (&'a wgpu::ShaderModule, &'a str),
    pub target: wgpu::ColorTargetState,
}

pub(crate) fn render_pipeline(
    device: &wgpu::Device,
    spec: PipelineSpec<'_>,
) -> wgpu::RenderPipeline {
    render_pipeline_with(device, spec, &[])
}

/// [`render_pipeline`] with values for the fragment stage's
/// pipeline-overridable constants (WGSL `override`).
pub(crate) fn render_pipeline_with(
    device: &wgpu::Device,
    spec: PipelineSpec<'_>,
    constants: &[(&str, f64)],
) -> wgpu::RenderPipeline {
    device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
        label: Some(spec.label),
        layout: Some(spec.layout),
        vertex: wgpu::VertexState {
            module: spec.vertex.0,
            entry_point: Some(spec.vertex.1),
            compilation_options: Default::default(),
            buffers: spec.buffers,
        },
        primitive: wgpu::PrimitiveState::default(),
        depth_stencil: None,
        multisample: wgpu::MultisampleState::default(),
        fragment: Some(wgpu::FragmentState {
            module: spec.fragment.0,
            entry_point: Some(spec.fragment.1),
            compilation_options: wgpu::PipelineCompilationOptions {
                constants,
                ..Default::default()
            },
            targets: &[Some(spec.target)],
        }),
        multiview_mask: None,
        cache: None,
    })
}

/// An 8-bit RGBA texture ([`crate::FEEDBACK_FORMAT`], as MilkDrop's) that
/// passes render into and sample: a frame, a blur level, an intermediate.
pub(crate) struct FrameTexture {
    pub texture: wgpu::Texture,
    /// Every level, for sampling.
    pub view: wgpu::TextureView,
    /// Level 0, for drawing into (the same view without mip levels).
    pub target: wgpu::TextureView,
    pub size: (u32, u32),
}

impl FrameTexture {
    /// A texture of one level, as MilkDrop 2's render targets are.
    pub(crate) fn new(device: &wgpu::Device, size: (u32, u32), label: &str) -> Self {
        Self::with_levels(device, size, label, 1)
    }

    /// A feedback frame: one level, or with `mipmaps` the full chain
    /// ([`crate::ButterchurnQuirks::mipmaps`]).
    pub(crate) fn feedback(device: &wgpu::Device, size: (u32, u32), mipmaps: bool) -> Self {
        let levels = if mipmaps { full_mip_chain(size) } else { 1 };
        Self::with_levels(device, size, "kefir frame", levels)
    }

    /// A texture with `levels` mip levels (see [`full_mip_chain`]).
    pub(crate) fn with_levels(
        device: &wgpu::Device,
        (width, height): (u32, u32),
        label: &str,
        levels: u32,
    ) -> Self {
        let texture = device.create_texture(&wgpu::TextureDescriptor {
            label: Some(label),
            size: wgpu::Extent3d {
                width,
                height,
                depth_or_array_layers: 1,
            },
            mip_level_count: levels,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: crate::FEEDBACK_FORMAT,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT
                | wgpu::TextureUsages::TEXTURE_BINDING
                | wgpu::TextureUsages::COPY_DST
                | wgpu::TextureUsages::COPY_SRC,
            view_formats: &[],
        });
        let view = texture.create_view(&Default::default());
        let target = if levels > 1 {
            texture.create_view(&wgpu::TextureViewDescriptor {
                label: Some("level 0"),
                mip_level_count: Some(1),
                ..Default::default()
            })
        } else {
            view.clone()
        };
        FrameTexture {
            texture,
            view,
            target,
            size: (width, height),
        }
    }

    /// The number of mip levels.
    pub(crate) fn levels(&self) -> u32 {
        self.texture.mip_level_count()
    }
}

/// The number of levels down to 1x1 of a `width` x `height` texture.
pub(crate) fn full_mip_chain((width, height): (u32, u32)) -> u32 {
    32 - width.max(height).max(1).leading_zeros()
}
