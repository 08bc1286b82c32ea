//! Pass 3, warp: the previous frame drawn through the warp mesh into the
//! new frame, times decay, wrapping or clamping at the edges (MilkDrop 1's
//! fixed-function pass, or MilkDrop 2's generated warp shader), or the
//! preset's own warp shader. During a blend where a warp shader is
//! involved, MilkDrop 2 draws the outgoing preset's warp, then the incoming
//! one's over it with the blend pattern as alpha; otherwise the blend is all
//! in the mesh's UVs.
//!
//! Reads: the previous frame (with this frame's motion vectors, drawn into
//! it first by [`super::overlays`]), the mesh, last frame's blur levels (warp
//! shaders). Writes: the new frame.

use super::code::FrameCode;
use super::mesh::{MeshBuffers, MeshFrame, WarpVertex};
use super::mix::{Mix, MixAlpha};
use super::{Begin, Blend, Frames, Gpu, Recorder, Slot};
use crate::runtime::{FrameState, PassStyle, PresetRuntime};
use crate::stages::{FrameViews, StageProgram};
use crate::{FEEDBACK_FORMAT, layout};

#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
pub(crate) struct WarpUniforms {
    /// decay, wrap (0 or 1), implicit level (0 or 1, see
    /// [`crate::ButterchurnQuirks::mipmaps`]), 0
    params: [f32; 4],
}

/// The decay MilkDrop 1's fixed-function warp multiplies by: a vertex
/// colour, `((int)(decay * 255)) & 0xFF`.
fn fixed_decay(decay: f64) -> f32 {
    crate::colour_bytes::d3d_channel(decay)
}

/// A preset's warp uniforms this frame, and whether the warp wraps.
pub(crate) fn warp_uniforms(runtime: &PresetRuntime, s: &FrameState) -> (WarpUniforms, bool) {
    // MilkDrop 1's vertex colour holds decay as a byte (`D3DCOLOR_RGBA_01`:
    // truncated, and wrapping past 0..1, so 1.01 is 1/255);
    // MilkDrop 2's generated shader prints the file's decay with two
    // decimals.
    let (decay, wrap) = match runtime.warp_style() {
        // butterchurn passes decay as a float uniform ([`crate::ButterchurnQuirks::colour_clamp`]).
        PassStyle::Fixed if runtime.colours_clamped() => (s.decay as f32, s.wrap),
        PassStyle::Fixed => (fixed_decay(s.decay), s.wrap),
        PassStyle::Generated => (
            super::composite::printed(runtime.base().decay, 2),
            runtime.base().tex_wrap,
        ),
    };
    let uniforms = WarpUniforms {
        params: [decay, f32::from(u8::from(wrap)), 0.0, 0.0],
    };
    (uniforms, wrap)
}

/// The built-in warp pipeline.
pub(crate) struct WarpPass {
    bind_layout: wgpu::BindGroupLayout,
    pipeline: wgpu::RenderPipeline,
    /// A warp shader's plain `sampler_main` follows `wrap`, as in
    /// butterchurn ([`crate::ButterchurnQuirks::main_wrap`]).
    butterchurn_main_wrap: bool,
    /// The built-in warp reads the frame at the level its derivatives
    /// pick, as butterchurn's default warp shader does
    /// ([`crate::ButterchurnQuirks::mipmaps`]).
    butterchurn_mipmaps: bool,
}

/// One preset's warp this frame.
struct WarpDraw<'a> {
    program: Option<&'a StageProgram>,
    fixed: wgpu::BindGroup,
    shader: Option<wgpu::BindGroup>,
}

impl WarpPass {
    pub fn new(device: &wgpu::Device) -> Self {
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("kefir warp"),
            source: wgpu::ShaderSource::Wgsl(include_str!("warp.wgsl").into()),
        });
        let bind_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("kefir warp"),
            entries: &[
                layout::uniform(0),
                layout::texture_2d(1),
                layout::sampler(2),
            ],
        });
        let pipeline_layout = layout::pipeline_layout(device, "kefir warp", &bind_layout);
        let pipeline = layout::render_pipeline(
            device,
            layout::PipelineSpec {
                label: "kefir warp",
                layout: &pipeline_layout,
                vertex: (&module, "warp_vs"),
                buffers: &[Some(WarpVertex::LAYOUT)],
                fragment: (&module, "warp_fs"),
                target: FEEDBACK_FORMAT.into(),
            },
        );
        WarpPass {
            bind_layout,
            pipeline,
            butterchurn_main_wrap: false,
            butterchurn_mipmaps: false,
        }
    }

    pub fn set_butterchurn_main_wrap(&mut self, on: bool) {
        self.butterchurn_main_wrap = on;
    }

    pub fn set_butterchurn_mipmaps(&mut self, on: bool) {
        self.butterchurn_mipmaps = on;
    }

    /// One preset's uniforms and bind groups, reading `views.main`.
    fn prepare<'s>(
        &self,
        gpu: &Gpu<'_>,
        slot: &'s Slot,
        state: &FrameState,
        views: &FrameViews<'_>,
    ) -> WarpDraw<'s> {
        let (mut uniforms, mut wrap) = warp_uniforms(&slot.runtime, state);
        if self.butterchurn_main_wrap {
            // butterchurn's default warp shader reads the frame through the
            // sampler its shaders' `sampler_main` is (below).
            wrap = state.butterchurn_wrap();
            uniforms.params[1] = f32::from(u8::from(wrap));
        }
        uniforms.params[2] = f32::from(u8::from(self.butterchurn_mipmaps));
        gpu.queue
            .write_buffer(&slot.uniforms.warp, 0, bytemuck::bytes_of(&uniforms));
        let program = slot.shaders.warp.as_ref();
        WarpDraw {
            program,
            fixed: gpu.fixed_bind_group(
                &self.bind_layout,
                &slot.uniforms.warp,
                views.main,
                gpu.linear(wrap),
            ),
            shader: program.map(|p| {
                p.bind_group(
                    gpu.device,
                    gpu.queue,
                    &slot.uniforms.shader,
                    views,
                    gpu.samplers,
                    // The frame's wrap, as butterchurn reads it.
                    self.butterchurn_main_wrap.then_some(wrap),
                )
            }),
        }
    }

    /// Records the warp of the playing preset (and of the outgoing one
    /// during a blend) from the previous frame into the new one.
    #[allow(clippy::too_many_arguments)]
    pub fn encode(
        &self,
        rec: &mut Recorder<'_>,
        gpu: &Gpu<'_>,
        frames: &Frames,
        (slot, blend): (&Slot, Option<&Blend>),
        code: &FrameCode,
        (mesh, mesh_frame): (&MeshBuffers<'_>, MeshFrame),
        views: &FrameViews<'_>,
        mix: &Mix,
    ) {
        let (_, dst) = frames.pair();
        let new = self.prepare(gpu, slot, &code.state, views);
        let old = match (blend, &code.old) {
            (Some(b), Some((_, old))) => {
                // `WarpedBlit_NoShaders` reads the playing state whichever
                // preset it draws: MilkDrop 1's warp of the outgoing preset
                // (under an incoming warp shader) decays and wraps with the
                // blended values.
                let state = if b.slot.runtime.warp_style() == PassStyle::Fixed {
                    &code.state
                } else {
                    old
                };
                Some(self.prepare(gpu, &b.slot, state, views))
            }
            _ => None,
        };
        // MilkDrop 2 draws the two warps apart (and mixes them by the
        // pattern) unless both presets are MilkDrop 1's (`RenderFrame`'s
        // four cases by PS version: a preset without warp text has the
        // generated shader); two MilkDrop 1 warps are one pass with the
        // mixed UVs and blended values.
        let either_shader = mesh_frame.warp_shader
            || slot.runtime.warp_style() != PassStyle::Fixed
            || blend.is_some_and(|b| b.slot.runtime.warp_style() != PassStyle::Fixed);
        match (old, &frames.blend_target) {
            (Some(old), Some(blend_target)) if either_shader => {
                self.draw(rec, &dst.target, &old, mesh);
                self.draw(rec, &blend_target.target, &new, mesh);
                mix.draw(
                    rec,
                    gpu.device,
                    gpu.samplers,
                    &blend_target.view,
                    (&dst.target, FEEDBACK_FORMAT, false),
                    MixAlpha::Incoming,
                    mesh,
                );
            }
            _ => self.draw(rec, &dst.target, &new, mesh),
        }
    }

    /// One preset's warp into `view`: its warp shader, or the fixed /
    /// generated pass.
    fn draw(
        &self,
        rec: &mut Recorder<'_>,
        view: &wgpu::TextureView,
        draw: &WarpDraw<'_>,
        mesh: &MeshBuffers<'_>,
    ) {
        match (
            draw.program.and_then(|p| p.pipeline(FEEDBACK_FORMAT)),
            &draw.shader,
        ) {
            (Some(pipeline), Some(bind)) => {
                let begin = draw.program.map_or(Begin::Clear, |p| p.begin());
                let mut pass = rec.color_pass("kefir warp", view, begin);
                pass.set_pipeline(pipeline);
                pass.set_bind_group(0, bind, &[]);
                pass.set_vertex_buffer(0, mesh.shader.slice(..));
                pass.set_index_buffer(mesh.shader_indices.slice(..), wgpu::IndexFormat::Uint32);
                pass.draw_indexed(0..mesh.count, 0, 0..1);
            }
            _ => {
                // The mesh covers the frame.
                let mut pass = rec.color_pass("kefir warp", view, Begin::Overwrite);
                pass.set_pipeline(&self.pipeline);
                pass.set_bind_group(0, &draw.fixed, &[]);
                pass.set_vertex_buffer(0, mesh.fixed.slice(..));
                pass.set_index_buffer(mesh.indices.slice(..), wgpu::IndexFormat::Uint32);
                pass.draw_indexed(0..mesh.count, 0, 0..1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixed_decay;

    #[test]
    fn fixed_function_decay_is_a_wrapping_byte() {
        assert_eq!(fixed_decay(1.0), 1.0);
        assert_eq!(fixed_decay(0.98), 249.0 / 255.0);
        // Past 1 the byte wraps: MilkDrop 1's warp goes dark, not stays at 1.
        assert_eq!(fixed_decay(1.01), 1.0 / 255.0);
        assert_eq!(fixed_decay(1.5), 126.0 / 255.0);
        assert_eq!(fixed_decay(-0.1), 231.0 / 255.0);
    }
}
