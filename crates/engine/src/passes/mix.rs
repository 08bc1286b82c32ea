//! The mix passes of a soft transition: one preset's picture drawn over the
//! other's with the blend pattern's alpha as MilkDrop 2 does: after the warp
//! (when a warp shader is involved) through the warp mesh with its
//! per-vertex alpha, and after the composite (when a composite shader is)
//! through the composite grid, whose alphas MilkDrop 2 reads off the warp
//! mesh's ([`composite_alpha`]).
//!
//! Reads: a picture, the mesh's indices, the alpha the mesh pass filled.
//! Writes: blends into the target.

use std::collections::HashMap;

use wgpu::util::DeviceExt;

use super::mesh::MeshBuffers;
use super::{Begin, Recorder};
use crate::layout;
use crate::stages::Samplers;

/// Which alpha a mix draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MixAlpha {
    /// The incoming preset's share, `t`.
    Incoming,
    /// The outgoing preset's over the composite grid, as MilkDrop 2 mixes
    /// two composites ([`composite_alpha`]).
    OutgoingComposite,
}

/// Mix pipelines and the per-vertex alpha buffers.
pub(crate) struct Mix {
    /// One texture and its sampler (also the sRGB copy's layout).
    layout: wgpu::BindGroupLayout,
    /// By target format and sRGB conversion.
    pipelines: HashMap<(wgpu::TextureFormat, bool), wgpu::RenderPipeline>,
    /// `[x, y, t]` per mesh vertex.
    vertices: Vec<[f32; 3]>,
    buffer: wgpu::Buffer,
    /// The warp mesh's columns and rows this frame's alphas are for.
    mesh_shape: (u32, u32),
    /// `[x, y, 1 - a]` per composite grid vertex, `a` read off the mesh.
    composite: Vec<[f32; 3]>,
    composite_buffer: wgpu::Buffer,
    composite_indices: wgpu::Buffer,
    composite_index_count: u32,
}

impl Mix {
    pub fn new(device: &wgpu::Device, vertex_count: usize) -> Self {
        let buffer = |label: &str, count: usize| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: (count * 12) as u64,
                usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            })
        };
        let (grid, indices) = crate::stages::comp_grid([1.0, 1.0]);
        let composite: Vec<[f32; 3]> = grid.iter().map(|v| [v.pos[0], v.pos[1], 0.0]).collect();
        Mix {
            layout: device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
                label: Some("kefir blend mix"),
                entries: &[layout::texture_2d(0), layout::sampler(1)],
            }),
            pipelines: HashMap::new(),
            vertices: Vec::new(),
            buffer: buffer("kefir blend mix", vertex_count),
            mesh_shape: (0, 0),
            composite_buffer: buffer("kefir blend mix composite", composite.len()),
            composite,
            composite_indices: device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some("kefir blend mix composite indices"),
                contents: bytemuck::cast_slice(&indices),
                usage: wgpu::BufferUsages::INDEX,
            }),
            composite_index_count: indices.len() as u32,
        }
    }

    /// Starts this frame's alpha for a warp mesh of `cols` x `rows` cells.
    pub fn begin_alpha(&mut self, (cols, rows): (u32, u32)) {
        self.vertices.clear();
        self.mesh_shape = (cols, rows);
    }

    /// The next mesh vertex, at clip position `pos`, gets incoming share `t`.
    pub fn push_alpha(&mut self, pos: [f32; 2], t: f32) {
        self.vertices.push([pos[0], pos[1], t]);
    }

    pub fn upload(&mut self, queue: &wgpu::Queue) {
        queue.write_buffer(&self.buffer, 0, bytemuck::cast_slice(&self.vertices));
        for v in &mut self.composite {
            v[2] = 1.0 - composite_alpha(&self.vertices, self.mesh_shape, [v[0], v[1]]);
        }
        queue.write_buffer(
            &self.composite_buffer,
            0,
            bytemuck::cast_slice(&self.composite),
        );
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

    /// Draws `source` over `target` with `alpha`: through the warp mesh or the
    /// composite grid.
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
        let (vertices, indices, count) = match alpha {
            MixAlpha::Incoming => (&self.buffer, mesh.indices, mesh.count),
            MixAlpha::OutgoingComposite => (
                &self.composite_buffer,
                &self.composite_indices,
                self.composite_index_count,
            ),
        };
        let mut pass = rec.color_pass("kefir blend mix", target, Begin::Keep);
        pass.set_pipeline(pipeline);
        pass.set_bind_group(0, &bind, &[]);
        pass.set_vertex_buffer(0, vertices.slice(..));
        pass.set_index_buffer(indices.slice(..), wgpu::IndexFormat::Uint32);
        pass.draw_indexed(0..count, 0, 0..1);
    }
}

/// The incoming preset's share at a composite grid vertex (clip position
/// `px`, `py`), read off the warp mesh's `[x, y, share]` vertices (`cols +
/// 1` by `rows + 1`, row 0 at the top) as `ShowToUser_Shaders` does: each
/// share stored as a byte (`(DWORD)(mix * 255)`), and the grid's place
/// scaled by `cols + 1` and `rows + 1` where the mesh has `cols` and `rows`
/// cells, clamped to the last cell but one: the composite's pattern sits a
/// little up and left of the warp's and stops short of the right and top
/// edges.
pub(crate) fn composite_alpha(
    mesh: &[[f32; 3]],
    (cols, rows): (u32, u32),
    [px, py]: [f32; 2],
) -> f32 {
    let (cols, rows) = (cols as usize, rows as usize);
    if cols == 0 || rows == 0 || mesh.len() != (cols + 1) * (rows + 1) {
        return 1.0;
    }
    // MilkDrop 2's mesh rows count up from the bottom.
    let byte = |i: usize, up: usize| (mesh[(rows - up) * (cols + 1) + i][2] * 255.0) as u8 as f64;
    let x = (f64::from(px) * 0.5 + 0.5) * (cols + 1) as f64;
    let y = (f64::from(py) * 0.5 + 0.5) * (rows + 1) as f64;
    let x = x.clamp(0.0, (cols - 1) as f64);
    let y = y.clamp(0.0, (rows - 1) as f64);
    let (i, up) = (x as usize, y as usize);
    let (dx, dy) = (x - i as f64, y - up as f64);
    let alpha = byte(i, up) * (1.0 - dx) * (1.0 - dy)
        + byte(i + 1, up) * dx * (1.0 - dy)
        + byte(i, up + 1) * (1.0 - dx) * dy
        + byte(i + 1, up + 1) * dx * dy;
    (alpha / 255.0) as f32
}

#[cfg(test)]
mod tests {
    use super::composite_alpha;

    /// A 4 x 2 mesh's vertices with these shares (positions unused).
    fn mesh(shares: &[f32]) -> Vec<[f32; 3]> {
        shares.iter().map(|&t| [0.0, 0.0, t]).collect()
    }

    /// A 4 x 2 mesh whose share is its column / 4 everywhere.
    fn columns() -> Vec<[f32; 3]> {
        let shares: Vec<f32> = (0..3)
            .flat_map(|_| (0..5).map(|i| i as f32 / 4.0))
            .collect();
        mesh(&shares)
    }

    #[test]
    fn the_composite_reads_the_mesh_scaled_by_one_cell_more() {
        let shares = columns();
        // Left edge: column 0. The middle (x = 0.5 of the screen) reads
        // column 2.5 of 4 (0.625 rather than 0.5); from 3/5 of the screen
        // on, column 3 (0.75), never the last.
        let at = |x: f32| composite_alpha(&shares, (4, 2), [x * 2.0 - 1.0, 0.0]);
        assert_eq!(at(0.0), 0.0);
        assert!((at(0.5) - 0.625).abs() < 0.003, "{}", at(0.5));
        assert!((at(0.6) - 0.75).abs() < 0.003, "{}", at(0.6));
        assert!((at(1.0) - 0.75).abs() < 0.003, "{}", at(1.0));
    }

    #[test]
    fn shares_are_bytes_and_rows_count_from_the_bottom() {
        // Rows top to bottom: 0, 1, 0.3. The bottom of the screen reads
        // 0.3 as a byte (76 / 255); a quarter up, 0.75 of the way to the
        // middle row; from half way up the middle row, never the top one.
        let mut shares = vec![0.0; 5];
        shares.extend([1.0; 5]);
        shares.extend([0.3; 5]);
        let shares = mesh(&shares);
        let at = |y: f32| composite_alpha(&shares, (4, 2), [0.0, y * 2.0 - 1.0]);
        assert_eq!(at(0.0), 76.0 / 255.0);
        let quarter = (76.0 * 0.25 + 255.0 * 0.75) / 255.0;
        assert!((at(0.25) - quarter).abs() < 1e-6, "{}", at(0.25));
        assert_eq!(at(0.5), 1.0);
        assert_eq!(at(1.0), 1.0);
    }
}
