//! Pass 7, present: the last step before the frame is submitted. When the
//! composite drew into an 8-bit intermediate ([`super::composite::Output`]:
//! a render scale below 1, or a composite shader on an sRGB target), this
//! pass copies it into the target, scaled up bilinearly, and for an sRGB
//! target decoded so that the target's encoding gives MilkDrop's display
//! values back.
//!
//! Reads: the intermediate. Writes: the host's target.

use super::{Begin, Gpu, Recorder};
use crate::layout;

/// The copy's pipeline (for the last target format).
pub(crate) struct PresentPass {
    bind_layout: wgpu::BindGroupLayout,
    blit: Option<(wgpu::TextureFormat, wgpu::RenderPipeline)>,
}

impl PresentPass {
    pub fn new(device: &wgpu::Device) -> Self {
        PresentPass {
            bind_layout: device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
                label: Some("kefir srgb blit"),
                entries: &[layout::texture_2d(0), layout::sampler(1)],
            }),
            blit: None,
        }
    }

    /// Copies `source` (MilkDrop's display values) into `target`, a texture
    /// of `format`.
    pub fn encode(
        &mut self,
        rec: &mut Recorder<'_>,
        gpu: &Gpu<'_>,
        stage_module: &wgpu::ShaderModule,
        source: &wgpu::TextureView,
        (target, format): (&wgpu::TextureView, wgpu::TextureFormat),
    ) {
        if self.blit.as_ref().is_some_and(|(f, _)| *f != format) {
            self.blit = None;
        }
        let bind_layout = &self.bind_layout;
        let (_, pipeline) = self.blit.get_or_insert_with(|| {
            let layout = layout::pipeline_layout(gpu.device, "kefir srgb blit", bind_layout);
            let pipeline = layout::render_pipeline(
                gpu.device,
                layout::PipelineSpec {
                    label: "kefir srgb blit",
                    layout: &layout,
                    vertex: (stage_module, "blit_vs"),
                    buffers: &[],
                    fragment: (
                        stage_module,
                        if format.is_srgb() {
                            "blit_srgb_fs"
                        } else {
                            "blit_fs"
                        },
                    ),
                    target: format.into(),
                },
            );
            (format, pipeline)
        });
        let bind = gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("kefir srgb blit"),
            layout: bind_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(source),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::Sampler(gpu.linear(false)),
                },
            ],
        });
        let mut pass = rec.color_pass("kefir srgb blit", target, Begin::Overwrite);
        pass.set_pipeline(pipeline);
        pass.set_bind_group(0, &bind, &[]);
        pass.draw(0..3, 0..1);
    }
}
