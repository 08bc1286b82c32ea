//! The mix passes of a soft transition: one preset's picture drawn over the
//! other's through the warp mesh, with the blend pattern's per-vertex alpha
//! as MilkDrop 2 does (after the warp when a warp shader is involved, after
//! the composite when a composite shader is).
//!
//! Reads: a picture, the mesh's indices, the alpha the mesh pass filled.
//! Writes: blends into the target.

use std::collections::HashMap;

use super::mesh::MeshBuffers;
use super::{Begin, Recorder};
use crate::layout;
use crate::stages::Samplers;

/// Which alpha a mix draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MixAlpha {
    /// The incoming preset's share, `t`.
    Incoming,
    /// The outgoing preset's, `1 - t`.
    Outgoing,
}

/// Mix pipelines and the per-vertex alpha buffers.
pub(crate) struct Mix {
    /// One texture and its sampler (also the sRGB copy's layout).
    layout: wgpu::BindGroupLayout,
    /// By target format and sRGB conversion.
    pipelines: HashMap<(wgpu::TextureFormat, bool), wgpu::RenderPipeline>,
    /// `[x, y, t]` and `[x, y, 1 - t]` per mesh vertex.
    vertices: [Vec<[f32; 3]>; 2],
    buffers: [wgpu::Buffer; 2],
}

impl Mix {
    pub fn new(device: &wgpu::Device, vertex_count: usize) -> Self {
        let buffer = |label: &str| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: (vertex_count * 12) as u64,
                usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            })
        };
        Mix {
            layout: device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
                label: Some("kefir blend mix"),
                entries: &[layout::texture_2d(0), layout::sampler(1)],
            }),
            pipelines: HashMap::new(),
            vertices: [Vec::new(), Vec::new()],
            buffers: [buffer("kefir blend mix"), buffer("kefir blend mix inverse")],
        }
    }

    /// Starts this frame's alpha.
    pub fn begin_alpha(&mut self) {
        self.vertices.iter_mut().for_each(Vec::clear);
    }

    /// The next mesh vertex, at clip position `pos`, gets incoming share `t`.
    pub fn push_alpha(&mut self, pos: [f32; 2], t: f32) {
        let [mix, inverse] = &mut self.vertices;
        mix.push([pos[0], pos[1], t]);
        inverse.push([pos[0], pos[1], 1.0 - t]);
    }

    pub fn upload(&self, queue: &wgpu::Queue) {
        for (buffer, vertices) in self.buffers.iter().zip(&self.vertices) {
            queue.write_buffer(buffer, 0, bytemuck::cast_slice(vertices));
        }
    }

    /// Builds the pipeline for `format` (with sRGB conversion) once.
    pub fn ensure_pipeline(
        &mut self,
        device: &wgpu::Device,
        stage_module: &wgpu::ShaderModule,
        format: wgpu::TextureFormat,
        srgb: bool,
    ) {
        let bind_layout = &self.layout;
        self.pipelines.entry((format, srgb)).or_insert_with(|| {
            let layout = layout::pipeline_layout(device, "kefir blend mix", bind_layout);
            layout::render_pipeline(
                device,
                layout::PipelineSpec {
                    label: "kefir blend mix",
                    layout: &layout,
                    vertex: (stage_module, "mix_vs"),
                    buffers: &[Some(wgpu::VertexBufferLayout {
                        array_stride: 12,
                        step_mode: wgpu::VertexStepMode::Vertex,
                        attributes: &wgpu::vertex_attr_array![0 => Float32x2, 1 => Float32],
                    })],
                    fragment: (stage_module, if srgb { "mix_srgb_fs" } else { "mix_fs" }),
                    target: wgpu::ColorTargetState {
                        format,
                        blend: Some(wgpu::BlendState::ALPHA_BLENDING),
                        write_mask: wgpu::ColorWrites::ALL,
                    },
                },
            )
        });
    }

    /// Draws `source` over `target` through the mesh with `alpha`.
    #[allow(clippy::too_many_arguments)]
    pub fn draw(
        &self,
        rec: &mut Recorder<'_>,
        device: &wgpu::Device,
        samplers: &Samplers,
        source: &wgpu::TextureView,
        (target, format, srgb): (&wgpu::TextureView, wgpu::TextureFormat, bool),
        alpha: MixAlpha,
        mesh: &MeshBuffers<'_>,
    ) {
        let Some(pipeline) = self.pipelines.get(&(format, srgb)) else {
            return;
        };
        let bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("kefir blend mix"),
            layout: &self.layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(source),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::Sampler(
                        samplers.get(milk_hlsl::Filter::Point, milk_hlsl::Wrap::Clamp),
                    ),
                },
            ],
        });
        let which = match alpha {
            MixAlpha::Incoming => 0,
            MixAlpha::Outgoing => 1,
        };
        let mut pass = rec.color_pass("kefir blend mix", target, Begin::Keep);
        pass.set_pipeline(pipeline);
        pass.set_bind_group(0, &bind, &[]);
        pass.set_vertex_buffer(0, self.buffers[which].slice(..));
        pass.set_index_buffer(mesh.indices.slice(..), wgpu::IndexFormat::Uint32);
        pass.draw_indexed(0..mesh.count, 0, 0..1);
    }
}
