//! butterchurn's mip levels of the previous frame, for
//! [`crate::ButterchurnQuirks::mipmaps`]: before the warp reads the
//! previous frame, each of its levels is made anew from the one above
//! (WebGL's `generateMipmap`, which butterchurn calls on its previous frame
//! at the top of every frame). MilkDrop 2's frames have one level, so
//! nothing here runs without the quirk.
//!
//! Reads and writes: the previous frame's levels.

use super::{Begin, Gpu, Recorder};
use crate::FEEDBACK_FORMAT;
use crate::layout::{self, FrameTexture};

/// The pipeline drawing one level from the level above it.
pub(crate) struct MipmapPass {
    bind_layout: wgpu::BindGroupLayout,
    pipeline: Option<wgpu::RenderPipeline>,
}

impl MipmapPass {
    pub fn new(device: &wgpu::Device) -> Self {
        MipmapPass {
            bind_layout: device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
                label: Some("kefir mipmaps"),
                entries: &[layout::texture_2d(0), layout::sampler(1)],
            }),
            pipeline: None,
        }
    }

    /// Makes levels 1.. of `frame` from its level 0 (nothing for a texture
    /// of one level).
    pub fn encode(
        &mut self,
        rec: &mut Recorder<'_>,
        gpu: &Gpu<'_>,
        stage_module: &wgpu::ShaderModule,
        frame: &FrameTexture,
    ) {
        if frame.levels() < 2 {
            return;
        }
        let bind_layout = &self.bind_layout;
        let pipeline = self.pipeline.get_or_insert_with(|| {
            let layout = layout::pipeline_layout(gpu.device, "kefir mipmaps", bind_layout);
            layout::render_pipeline(
                gpu.device,
                layout::PipelineSpec {
                    label: "kefir mipmaps",
                    layout: &layout,
                    vertex: (stage_module, "blit_vs"),
                    buffers: &[],
                    fragment: (stage_module, "mip_fs"),
                    target: FEEDBACK_FORMAT.into(),
                },
            )
        });
        let level_view = |level: u32| {
            frame.texture.create_view(&wgpu::TextureViewDescriptor {
                label: Some("kefir mip level"),
                base_mip_level: level,
                mip_level_count: Some(1),
                ..Default::default()
            })
        };
        let mut above = level_view(0);
        for level in 1..frame.levels() {
            let view = level_view(level);
            let bind = gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("kefir mipmaps"),
                layout: bind_layout,
                entries: &[
                    wgpu::BindGroupEntry {
                        binding: 0,
                        resource: wgpu::BindingResource::TextureView(&above),
                    },
                    wgpu::BindGroupEntry {
                        binding: 1,
                        resource: wgpu::BindingResource::Sampler(gpu.linear(false)),
                    },
                ],
            });
            let mut pass = rec.color_pass("kefir mip level", &view, Begin::Overwrite);
            pass.set_pipeline(pipeline);
            pass.set_bind_group(0, &bind, &[]);
            pass.draw(0..3, 0..1);
            drop(pass);
            above = view;
        }
    }
}
