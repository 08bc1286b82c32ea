//! Pass 2, mesh: the per-vertex code over MilkDrop's warp mesh, then its UV
//! math ([`crate::mesh`]), giving each vertex the place in the previous
//! frame it samples. During a blend the outgoing preset's mesh too, mixed
//! per vertex along the blend pattern (MilkDrop 2's
//! `ComputeGridAlphaValues`), and the per-vertex alpha of the mix passes.
//!
//! Reads: [`FrameCode`] (motion values), each preset's per-vertex code.
//! Writes: the mesh's vertex buffers (plain, and with `uv_orig`, `rad` and
//! `ang` when a warp shader runs) and the mix alpha ([`Mix`]).

use wgpu::util::DeviceExt;

use super::code::FrameCode;
use super::mix::Mix;
use super::{Blend, Slot};
use crate::mesh::{Motion, WarpMesh, WarpTerms};
use crate::runtime::{FrameState, PresetRuntime};
use crate::stages::ShaderVertex;

/// A warp mesh vertex of the built-in passes: clip position and the UV it
/// samples.
#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
pub(crate) struct WarpVertex {
    pub pos: [f32; 2],
    pub uv: [f32; 2],
}

impl WarpVertex {
    pub const LAYOUT: wgpu::VertexBufferLayout<'static> = wgpu::VertexBufferLayout {
        array_stride: std::mem::size_of::<WarpVertex>() as u64,
        step_mode: wgpu::VertexStepMode::Vertex,
        attributes: &wgpu::vertex_attr_array![0 => Float32x2, 1 => Float32x2],
    };
}

/// The warp mesh's buffers, for the passes that draw through it.
pub(crate) struct MeshBuffers<'a> {
    /// [`WarpVertex`]es.
    pub fixed: &'a wgpu::Buffer,
    /// [`ShaderVertex`]es (only filled while a warp shader runs).
    pub shader: &'a wgpu::Buffer,
    pub indices: &'a wgpu::Buffer,
    pub count: u32,
    /// The indices warp shaders draw [`MeshBuffers::shader`] with
    /// ([`WarpMesh::shader_indices`]: `ang`'s seam drawn as MilkDrop 2
    /// draws it).
    pub shader_indices: &'a wgpu::Buffer,
}

/// What the mesh pass did this frame.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MeshFrame {
    /// A blend mixed two meshes (and filled the mix alpha).
    pub blending: bool,
    /// Either preset runs a warp shader (the shader vertices are filled).
    pub warp_shader: bool,
}

/// The warp mesh, its vertices on the CPU and their buffers.
pub(crate) struct MeshPass {
    cells: (u32, u32),
    mesh: WarpMesh,
    /// The target size the mesh was made for.
    size: (u32, u32),
    vertices: Vec<WarpVertex>,
    /// The UVs of the last frame's mesh (empty before the first frame and
    /// after a resize), for MilkDrop 2's motion vectors.
    previous_uvs: Vec<[f32; 2]>,
    vertex_buffer: wgpu::Buffer,
    index_buffer: wgpu::Buffer,
    index_count: u32,
    shader_index_buffer: wgpu::Buffer,
    shader_vertices: Vec<ShaderVertex>,
    shader_vertex_buffer: wgpu::Buffer,
    /// Warp shaders get butterchurn's `rad` and `ang`
    /// ([`crate::ButterchurnQuirks::warp_rad_ang`]).
    butterchurn_rad_ang: bool,
}

impl MeshPass {
    /// A mesh of `cells` (columns, rows).
    pub fn new(device: &wgpu::Device, cells: (u32, u32)) -> Self {
        let mesh = WarpMesh::new(cells.0, cells.1, 1, 1);
        let vertex_buffer = |count: usize, size: usize, label: &str| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: (count * size) as u64,
                usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            })
        };
        let index_buffer = |indices: &[u32], label: &str| {
            device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(label),
                contents: bytemuck::cast_slice(indices),
                usage: wgpu::BufferUsages::INDEX,
            })
        };
        // The mesh's cells never change (a resize changes its aspect only):
        // so do its indices and its seam.
        let indices = mesh.indices();
        let shader_vertex_count = mesh.vertex_count() + mesh.ang_seam().len();
        MeshPass {
            cells,
            vertex_buffer: vertex_buffer(
                mesh.vertex_count(),
                std::mem::size_of::<WarpVertex>(),
                "kefir warp mesh",
            ),
            shader_vertex_buffer: vertex_buffer(
                shader_vertex_count,
                std::mem::size_of::<ShaderVertex>(),
                "kefir shader warp mesh",
            ),
            index_buffer: index_buffer(&indices, "kefir warp mesh indices"),
            index_count: indices.len() as u32,
            shader_index_buffer: index_buffer(
                &mesh.shader_indices(),
                "kefir shader warp mesh indices",
            ),
            vertices: Vec::with_capacity(mesh.vertex_count()),
            previous_uvs: Vec::with_capacity(mesh.vertex_count()),
            shader_vertices: Vec::with_capacity(shader_vertex_count),
            mesh,
            size: (1, 1),
            butterchurn_rad_ang: false,
        }
    }

    pub fn set_butterchurn_rad_ang(&mut self, on: bool) {
        self.butterchurn_rad_ang = on;
    }

    /// Remakes the mesh for a `size` frame (its aspect factors) if needed.
    /// The last frame's mesh is forgotten then: MilkDrop 2 clears the
    /// motion vectors of the first frame after a resize
    /// (`m_nFramesSinceResize == 0`).
    pub fn resize(&mut self, size: (u32, u32)) {
        if self.size != size {
            self.mesh = WarpMesh::new(self.cells.0, self.cells.1, size.0, size.1);
            self.size = size;
            self.vertices.clear();
        }
    }

    pub fn mesh(&self) -> &WarpMesh {
        &self.mesh
    }

    pub fn buffers(&self) -> MeshBuffers<'_> {
        MeshBuffers {
            fixed: &self.vertex_buffer,
            shader: &self.shader_vertex_buffer,
            indices: &self.index_buffer,
            count: self.index_count,
            shader_indices: &self.shader_index_buffer,
        }
    }

    /// The UV vertex `n` samples this frame (`[0, 0]` past the end).
    pub fn uv(&self, n: usize) -> [f32; 2] {
        self.vertices.get(n).map_or([0.0; 2], |v| v.uv)
    }

    /// The UV vertex `n` sampled the frame before (after both presets'
    /// mix during a blend), if there was one of this size.
    pub fn previous_uv(&self, n: usize) -> Option<[f32; 2]> {
        self.previous_uvs.get(n).copied()
    }

    /// Runs the per-vertex code of the playing preset (and of the outgoing
    /// one during a blend) and uploads the mesh.
    pub fn run(
        &mut self,
        queue: &wgpu::Queue,
        slot: &mut Slot,
        blend: Option<&mut Blend>,
        code: &FrameCode,
        mix: &mut Mix,
    ) -> MeshFrame {
        let warp_shader = slot.shaders.warp.is_some()
            || blend
                .as_ref()
                .is_some_and(|b| b.slot.shaders.warp.is_some());
        // Both meshes animate their warp with the playing preset's speed
        // and scale (MilkDrop 2 computes `fWarpTime` and `fWarpScaleInv`
        // from `m_pState` once for both of `ComputeGridAlphaValues`' runs).
        let terms = WarpTerms::new(
            slot.time,
            slot.runtime.warp_anim_speed(),
            slot.runtime.warp_scale(),
        );
        let uvs = warp_uvs(&mut slot.runtime, &self.mesh, &code.state, &terms);
        self.previous_uvs.clear();
        self.previous_uvs.extend(self.vertices.iter().map(|v| v.uv));
        self.vertices.clear();
        self.vertices.extend(
            self.mesh
                .clip_positions()
                .iter()
                .zip(&uvs)
                .map(|(pos, uv)| WarpVertex { pos: *pos, uv: *uv }),
        );
        let blending = match (blend, &code.old) {
            (Some(b), Some((_, old))) => {
                self.mix_in(b, old, &terms, mix);
                true
            }
            _ => false,
        };
        if warp_shader {
            // Warp shaders also read uv_orig, rad and ang per vertex.
            // uv_orig is the vertex's place on the screen, 0..1 with y down
            // and no aspect correction (MilkDrop 2's `tu_orig`/`tv_orig`),
            // unlike the per-vertex code's x and y; rad and ang are the
            // code's (`m_vertinfo`, aspect-corrected).
            let [_, _, rad, ang] = self.mesh.inputs();
            let butterchurn = self.butterchurn_rad_ang;
            self.shader_vertices.clear();
            self.shader_vertices
                .extend(self.vertices.iter().enumerate().map(|(n, v)| {
                    let [u_orig, v_orig] = WarpMesh::uv_orig(v.pos);
                    let rad_ang = if butterchurn {
                        let (dx, dy) = (u_orig - 0.5, v_orig - 0.5);
                        [dx.hypot(dy), dx.atan2(dy)]
                    } else {
                        [rad[n] as f32, ang[n] as f32]
                    };
                    ShaderVertex {
                        pos: v.pos,
                        uv: [v.uv[0], v.uv[1], u_orig, v_orig],
                        rad_ang,
                        hue: [1.0; 4],
                    }
                }));
            // The seam's copies for the cells below it: `-pi` (butterchurn
            // computes its own `ang`, which has no seam there).
            for v in self.mesh.ang_seam() {
                let mut copy = self.shader_vertices[v as usize];
                if !butterchurn {
                    copy.rad_ang[1] = -std::f32::consts::PI;
                }
                self.shader_vertices.push(copy);
            }
            queue.write_buffer(
                &self.shader_vertex_buffer,
                0,
                bytemuck::cast_slice(&self.shader_vertices),
            );
        }
        queue.write_buffer(&self.vertex_buffer, 0, bytemuck::cast_slice(&self.vertices));
        if blending {
            mix.upload(queue);
        }
        MeshFrame {
            blending,
            warp_shader,
        }
    }

    /// The outgoing preset's motion, mixed into the vertices per vertex
    /// along the blend pattern, and the mix passes' alpha.
    fn mix_in(&mut self, b: &mut Blend, old: &FrameState, terms: &WarpTerms, mix: &mut Mix) {
        let old_uvs = warp_uvs(&mut b.slot.runtime, &self.mesh, old, terms);
        let shape = (self.mesh.cols(), self.mesh.rows(), self.mesh.aspect());
        if b.mesh != shape || b.coefficients.len() != self.vertices.len() {
            b.coefficients = b
                .pattern
                .coefficients(shape.0, shape.1, shape.2, &mut b.rng);
            b.mesh = shape;
        }
        let progress = b.progress() as f32;
        mix.begin_alpha((self.mesh.cols(), self.mesh.rows()));
        for ((v, old), c) in self.vertices.iter_mut().zip(&old_uvs).zip(&b.coefficients) {
            let t = crate::transition::mix(*c, progress);
            v.uv = [
                v.uv[0] * t + old[0] * (1.0 - t),
                v.uv[1] * t + old[1] * (1.0 - t),
            ];
            mix.push_alpha(v.pos, t);
        }
    }
}

/// The warp mesh's texture coordinates for one preset: its per-vertex code
/// over `mesh`, then MilkDrop's UV math with the warp animation `terms`.
fn warp_uvs(
    runtime: &mut PresetRuntime,
    mesh: &WarpMesh,
    state: &FrameState,
    terms: &WarpTerms,
) -> Vec<[f32; 2]> {
    let columns = runtime.run_vertices(mesh, &state.motion);
    (0..mesh.vertex_count())
        .map(|n| {
            let m = Motion::from_array(std::array::from_fn(|k| columns[k][n]));
            // A non-finite UV (zoom 0, ...) samples the corner, as a GPU
            // would sample something; never NaN into the pipeline.
            mesh.warp_uv(n, &m, terms)
                .map(|c| if c.is_finite() { c } else { 0.0 })
        })
        .collect()
}
