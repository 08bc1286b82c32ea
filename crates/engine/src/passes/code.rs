//! Pass 1, code: the preset's per-frame code (its init code on the first
//! frame) with the audio levels and the clock as inputs; during a blend the
//! outgoing preset's too, and the values that do not move pixels mixed
//! between them. Then the uniform block the shader stages read.
//!
//! Reads: audio levels, the clock, the warp mesh's size and aspect.
//! Writes: [`FrameCode`], and each preset's milk-hlsl uniform block.

use milk_audio::AudioFrame;
use milk_parser::code::FrameInputs;

use super::{Blend, Slot};
use crate::blur::BlurParams;
use crate::mesh::WarpMesh;
use crate::rng::Rng;
use crate::runtime::{FrameState, PassStyle, PresetRuntime};
use crate::stages::ShaderUniforms;
use milk_hlsl::MilkUniforms;

/// What per-frame code gave this frame.
pub(crate) struct FrameCode {
    /// The playing preset's inputs.
    pub inputs: FrameInputs,
    /// Its frame values (mixed with the outgoing preset's during a blend).
    pub state: FrameState,
    /// The outgoing preset's inputs and (unmixed) values, during a blend.
    pub old: Option<(FrameInputs, FrameState)>,
}

impl FrameCode {
    /// The blur ranges and edge darkening this frame (blended during a
    /// blend): what the blur levels are made with.
    pub fn blur_params(&self) -> BlurParams {
        blur_params_of(&self.state)
    }
}

/// The blur ranges and edge darkening of a preset's frame values.
fn blur_params_of(s: &FrameState) -> BlurParams {
    BlurParams {
        min: s.blur_min.map(|v| v as f32),
        max: s.blur_max.map(|v| v as f32),
        edge_darken: s.blur1_edge_darken as f32,
    }
}

/// The per-frame inputs of a preset at `time`, `frame`, for a `size`
/// target.
pub(crate) fn frame_inputs(
    (time, frame): (f64, u64),
    dt: f64,
    audio: &AudioFrame,
    mesh: &WarpMesh,
    (width, height): (u32, u32),
) -> FrameInputs {
    let [ax, ay] = mesh.aspect();
    FrameInputs {
        time,
        fps: if dt > 0.0 { 1.0 / dt } else { 0.0 },
        frame: frame as f64,
        progress: 0.0,
        bass: f64::from(audio.bass),
        mid: f64::from(audio.mid),
        treb: f64::from(audio.treb),
        bass_att: f64::from(audio.bass_att),
        mid_att: f64::from(audio.mid_att),
        treb_att: f64::from(audio.treb_att),
        meshx: f64::from(mesh.cols()),
        meshy: f64::from(mesh.rows()),
        pixelsx: f64::from(width),
        pixelsy: f64::from(height),
        // MilkDrop hands presets the inverse aspect factors.
        aspectx: f64::from(1.0 / ax),
        aspecty: f64::from(1.0 / ay),
    }
}

/// Runs both presets' per-frame code. `fps` replaces the inputs' frame
/// rate (replays); both presets see the same `progress` (MilkDrop 2's is
/// the plugin's, not a preset's).
#[allow(clippy::too_many_arguments)]
pub(crate) fn run(
    slot: &mut Slot,
    blend: Option<&mut Blend>,
    dt: f64,
    audio: &AudioFrame,
    mesh: &WarpMesh,
    size: (u32, u32),
    fps: Option<f64>,
    progress: f64,
) -> FrameCode {
    let mut inputs = frame_inputs((slot.time, slot.frame), dt, audio, mesh, size);
    if let Some(fps) = fps {
        inputs.fps = fps;
    }
    inputs.progress = progress;
    let state = slot.runtime.run_frame(&inputs);
    let Some(b) = blend else {
        return FrameCode {
            inputs,
            state,
            old: None,
        };
    };
    let mut old_inputs = frame_inputs((b.slot.time, b.slot.frame), dt, audio, mesh, size);
    old_inputs.progress = progress;
    let old = b.slot.runtime.run_frame(&old_inputs);
    // During a blend the values that do not move pixels (wave, border,
    // motion vector colours, decay, gamma, echo, blur ranges, flags) go
    // from the old preset's to the new one's along a cosine, as MilkDrop 2
    // does; flags switch at its snap point.
    let mix = b.cosine_progress();
    let new_shader = slot.runtime.comp_style() == PassStyle::Generated;
    let old_shader = b.slot.runtime.comp_style() == PassStyle::Generated;
    let snap = match (old_shader, new_shader) {
        (true, false) => -0.01,
        (false, true) => 1.01,
        _ => 0.5,
    };
    let mut state = state.blended(&old, mix, snap);
    fade_echo(
        &mut state,
        (&slot.runtime, &b.slot.runtime),
        (b.progress(), mix),
        snap,
    );
    FrameCode {
        inputs,
        state,
        old: Some((old_inputs, old)),
    }
}

/// MilkDrop 2's echo cross-fade (`ShowToUser_NoShaders` while blending):
/// when both presets' files have video echo and their orientations differ,
/// the echo fades out in the old orientation until the snap point and back
/// in in the new one after it (by the blend's cosine), instead of flipping.
/// An echo alpha that falls to 0 or below draws no echo. `progress`: the
/// blend's, linear and eased.
fn fade_echo(
    state: &mut FrameState,
    (new, old): (&PresetRuntime, &PresetRuntime),
    (progress, cosine): (f64, f64),
    snap: f64,
) {
    let old_file = old.base();
    if new.file_values().video_echo_alpha as f32 > 0.01
        && old_file.video_echo_alpha as f32 > 0.01
        && new.base().video_echo_orientation != old_file.video_echo_orientation
    {
        if progress < snap {
            state.echo_orient = old_file.video_echo_orientation % 4;
            state.echo_alpha *= 1.0 - 2.0 * cosine;
        } else {
            state.echo_alpha *= 2.0 * cosine - 1.0;
        }
    }
}

/// Writes the shader stages' uniform block of each preset that has a
/// shader stage (the playing preset's first: `rng` gives `rand_frame` and
/// the `rot_rand*` matrices in that order). `rand_frame` replaces the
/// playing preset's warp and composite `rand_frame` (replays); the two
/// stages see the same block otherwise. `vol` and `vol_att` are MilkDrop
/// 2's: `ApplyShaderParams` writes `0.3333f*(bass, mid, treb)`, C's comma
/// operator, so a third of `treb` (and of `treb_att`); butterchurn's mean
/// of the three where imitated ([`crate::ButterchurnQuirks::vol`]).
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_shader_uniforms(
    queue: &wgpu::Queue,
    slot: &Slot,
    blend: Option<&Blend>,
    code: &FrameCode,
    audio: &AudioFrame,
    aspect: [f32; 2],
    size: (u32, u32),
    rng: &mut Rng,
    rand_frame: [Option<[f32; 4]>; 2],
    quirks: &crate::ButterchurnQuirks,
) {
    let (vol, vol_att) = if quirks.vol {
        (audio.vol, audio.vol_att)
    } else {
        (0.3333 * audio.treb, 0.3333 * audio.treb_att)
    };
    // Each preset's shaders decode the blur levels with its own ranges
    // (`ApplyShaderParams` calls `GetSafeBlurMinMax` with the state it
    // draws), though the levels are made with the blended ones: during a
    // blend the outgoing preset's `GetBlur` reads shift where the two
    // presets' ranges differ, as in MilkDrop 2.
    let uniforms =
        |(time, preset_time): (f64, f64), inputs: &FrameInputs, s: &FrameState| ShaderUniforms {
            time,
            preset_time,
            fps: inputs.fps,
            frame: inputs.frame,
            progress: inputs.progress,
            levels: [audio.bass, audio.mid, audio.treb, vol],
            levels_att: [audio.bass_att, audio.mid_att, audio.treb_att, vol_att],
            aspect,
            size,
            blur: blur_params_of(s).shader_constants(),
            q: s.q,
            butterchurn_roam: quirks.roam,
        };
    let has_stage = |s: &Slot| s.shaders.warp.is_some() || s.shaders.comp.is_some();
    // One `rand_frame` a frame (`m_rand_frame`, drawn at the top of
    // `RenderFrame`): during a blend both presets' shaders read the same.
    let mut frame_random = None;
    let mut write = |slot: &Slot, mut block: MilkUniforms| {
        let drawn = *frame_random.get_or_insert(block.rand_frame);
        block.rand_frame = rand_frame[0].unwrap_or(drawn);
        queue.write_buffer(&slot.uniforms.shader, 0, &block.to_bytes());
        block.rand_frame = rand_frame[1].unwrap_or(drawn);
        queue.write_buffer(&slot.uniforms.comp_shader, 0, &block.to_bytes());
    };
    if has_stage(slot) {
        let block = uniforms((slot.time, slot.preset_time()), &code.inputs, &code.state)
            .to_block(&slot.shaders.randoms, rng);
        write(slot, block);
    }
    if let (Some(b), Some((inputs, state))) = (blend, &code.old)
        && has_stage(&b.slot)
    {
        let block = uniforms((b.slot.time, b.slot.preset_time()), inputs, state)
            .to_block(&b.slot.shaders.randoms, rng);
        write(&b.slot, block);
    }
}
