//! Pass 5, shapes/waves: what MilkDrop draws into the new frame after the
//! warp and blur passes, in MilkDrop 2's order: custom shapes (their
//! per-frame code per instance; textured ones sample the previous frame),
//! custom waves (their code), the main wave, darken_center and the borders
//! ([`crate::shapes`], [`crate::waves`], [`crate::borders`]). Also the
//! motion vectors, which MilkDrop draws into the *previous* frame before
//! the warp (recorded as part of the warp pass), from the blended values.
//! During a blend both presets draw their shapes and custom waves (MilkDrop
//! 2's `num_reps`): the incoming preset's first, at the blend's progress,
//! then the outgoing one's at one minus it; the main wave and the borders
//! come from the blended values, the main wave morphing from the outgoing
//! preset's wave mode.
//!
//! Reads: [`FrameCode`], the shapes' and waves' code, audio, the previous
//! frame. Writes: the new frame (and motion vectors into the previous one).

use milk_audio::AudioFrame;

use super::code::FrameCode;
use super::mesh::MeshPass;
use super::{Begin, Blend, Frames, Gpu, Recorder, Slot};
use crate::{ButterchurnQuirks, borders, shapes, waves};

/// Custom shapes and the line/triangle overlays.
pub(crate) struct OverlayPass {
    shapes: shapes::ShapeRenderer,
    lines: waves::Overlay,
}

impl OverlayPass {
    pub fn new(device: &wgpu::Device) -> Self {
        OverlayPass {
            shapes: shapes::ShapeRenderer::new(device),
            lines: waves::Overlay::new(device),
        }
    }

    /// Starts a frame (before the motion vectors).
    pub fn begin_frame(&mut self) {
        self.lines.begin_frame();
    }

    /// Draws the motion vectors, from the previous frame's warp mesh into
    /// the previous frame (MilkDrop 2, before the warp: none on the first
    /// frame) or, with `(frames, true)`, from this frame's mesh into the
    /// new one (butterchurn, after the warp);
    /// `quirks`: butterchurn's frame alpha (as in [`OverlayPass::encode`]),
    /// clamped colours and vector lengths, where imitated.
    pub fn motion_vectors(
        &mut self,
        rec: &mut Recorder<'_>,
        gpu: &Gpu<'_>,
        (frames, into_new_frame): (&Frames, bool),
        code: &FrameCode,
        mesh: &MeshPass,
        quirks: &ButterchurnQuirks,
    ) {
        let frame_alpha = quirks.frame_alpha;
        // Sized as the new frame (the previous one keeps its old size for a
        // frame after a resize).
        let (src, dst) = frames.pair();
        let mut vectors = waves::Canvas::new(dst.size.0, dst.size.1);
        vectors.set_pixel_centres(quirks.pixel_centres());
        if !into_new_frame && mesh.previous_uv(0).is_none() {
            return;
        }
        let uv = |n| {
            if into_new_frame {
                mesh.uv(n)
            } else {
                mesh.previous_uv(n).unwrap_or_default()
            }
        };
        borders::draw_motion_vectors(
            &mut vectors,
            &code.state.draw,
            mesh.mesh(),
            &uv,
            borders::MotionVectorRules {
                clamp_colours: quirks.colour_clamp,
                butterchurn_lengths: quirks.mv_length,
            },
        );
        if frame_alpha {
            self.lines.ensure_frame_alpha(gpu.device);
        }
        let target = if into_new_frame {
            &dst.target
        } else {
            &src.target
        };
        self.lines
            .encode(rec, gpu.device, gpu.queue, target, &vectors, frame_alpha);
    }

    /// Runs the shapes' and custom waves' code (of both presets during a
    /// blend) and draws everything into the new frame. `shape_wrap`: how
    /// textured shapes address the previous frame past its edges (repeat
    /// or clamp; `None`: as the MilkDrop 1 warp, by `wrap`).
    #[allow(clippy::too_many_arguments)]
    pub fn encode(
        &mut self,
        rec: &mut Recorder<'_>,
        gpu: &Gpu<'_>,
        frames: &Frames,
        (slot, blend): (&mut Slot, Option<&mut Blend>),
        code: &FrameCode,
        audio: &AudioFrame,
        aspect: [f32; 2],
        (frame_alpha, shape_wrap): (bool, Option<bool>),
        centres: waves::PixelCentres,
    ) {
        let (src, dst) = frames.pair();
        let size = dst.size;
        if frame_alpha {
            self.shapes.ensure_frame_alpha(gpu.device);
            self.lines.ensure_frame_alpha(gpu.device);
        }
        // The main wave morphs from the outgoing preset's mode.
        let morph = match (&blend, &code.old) {
            (Some(b), Some(_)) => Some(waves::WaveMorph {
                from_mode: i64::from(b.slot.runtime.base().wave_mode),
                mix: b.cosine_progress() as f32,
            }),
            _ => None,
        };
        // The presets drawing shapes and custom waves, each with its frame's
        // inputs and its share of the blend (MilkDrop 2's linear progress).
        let mut layers = vec![shapes::ShapeLayer {
            runtime: &mut slot.runtime,
            inputs: &code.inputs,
            alpha_mult: 1.0,
        }];
        if let (Some(b), Some((old_inputs, _))) = (blend, &code.old) {
            let progress = b.progress();
            layers[0].alpha_mult = progress;
            layers.push(shapes::ShapeLayer {
                runtime: &mut b.slot.runtime,
                inputs: old_inputs,
                alpha_mult: 1.0 - progress,
            });
        }
        self.shapes
            .prepare(gpu.device, gpu.queue, &mut layers, size, aspect, centres);
        let mut drawing = waves::Canvas::new(size.0, size.1);
        drawing.set_pixel_centres(centres);
        for layer in &mut layers {
            let clamp_colours = layer.runtime.colours_clamped();
            let window = layer.runtime.wave_window();
            let (code_, overruns) = layer.runtime.waves_mut();
            waves::draw_custom_waves(
                &mut drawing,
                code_,
                overruns,
                layer.inputs,
                audio,
                aspect,
                clamp_colours,
                window,
                layer.alpha_mult,
            );
        }
        drop(layers);
        if !slot.runtime.main_wave_gated(code.state.draw.wave_a) {
            waves::draw_main_wave(
                &mut drawing,
                &code.state.draw,
                slot.runtime.file_values(),
                audio,
                slot.time,
                aspect,
                slot.runtime.main_wave_rules(),
                morph,
            );
        }
        borders::draw_sprites(
            &mut drawing,
            &code.state.draw,
            aspect,
            slot.runtime.colours_clamped(),
        );
        let lines = self.lines.upload(gpu.device, gpu.queue, &drawing);
        // Textured shapes sample the previous frame (MilkDrop's VS[0]).
        let shapes_bind = self.shapes.has_draws().then(|| {
            let wrap = shape_wrap
                .unwrap_or_else(|| super::warp::warp_uniforms(&slot.runtime, &code.state).1);
            self.shapes
                .bind_group(gpu.device, &src.view, gpu.linear(wrap))
        });
        if shapes_bind.is_none() && lines.is_none() {
            return;
        }
        // One render pass: shapes first, then waves and borders over them.
        let mut pass = rec.color_pass("kefir shapes and waves", &dst.target, Begin::Keep);
        if let Some(bind) = &shapes_bind {
            self.shapes.draw(&mut pass, bind, frame_alpha);
        }
        if let Some(slice) = lines {
            self.lines.draw(&mut pass, slice, &drawing, frame_alpha);
        }
    }
}
