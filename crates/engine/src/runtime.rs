//! A preset at run time: its compiled code run frame by frame, and the
//! values the passes need.

use milk_parser::code::{FrameInputs, MOTION_VARS};
use milk_parser::eel::{VarId, VertexJob, VertexMode};
use milk_parser::preset::BlockId;
use milk_parser::{BlockError, CodeOptions, Preset, PresetCode};

use crate::mesh::{Motion, WarpMesh};
use crate::waves::{DRAW_VARS, DrawVars, MainWaveRules, WaveSizes, WaveWindow};

/// How a pass is drawn, as MilkDrop 2 decides it per preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassStyle {
    /// MilkDrop 1.x presets (`PSVERSION_WARP`/`_COMP` 0): the fixed-function
    /// path (`WarpedBlit_NoShaders`, `ShowToUser_NoShaders`). Per-frame
    /// values of decay, wrap, gamma, echo and the filters take effect.
    Fixed,
    /// MilkDrop 2 presets: the shader MilkDrop generates when the preset has
    /// no shader text (`GenWarpPShaderText`, `GenCompPShaderText`), with the
    /// preset's *file* values baked in, as MilkDrop 2 does. Presets with
    /// shader text use it too until shader translation is wired in.
    Generated,
}

/// Per-frame results the passes use (besides motion).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameState {
    pub motion: Motion,
    pub decay: f64,
    /// Whether MilkDrop 1's warp wraps: `wrap` above the snap point (0.5,
    /// or during a blend the one MilkDrop 2 picks, see
    /// [`FrameState::blended`]).
    pub wrap: bool,
    /// The `wrap` variable as the code left it.
    pub wrap_value: f64,
    pub gamma: f64,
    pub echo_alpha: f64,
    pub echo_zoom: f64,
    pub echo_orient: i32,
    pub brighten: bool,
    pub darken: bool,
    pub solarize: bool,
    pub invert: bool,
    /// Main wave, borders, motion vectors and darken_center.
    pub draw: DrawVars,
    /// `blur1_min`, `blur2_min`, `blur3_min`.
    pub blur_min: [f64; 3],
    /// `blur1_max`, `blur2_max`, `blur3_max`.
    pub blur_max: [f64; 3],
    pub blur1_edge_darken: f64,
    /// q1..q32 after the per-frame code (what the shaders read).
    pub q: [f64; 32],
}

impl FrameState {
    /// Whether butterchurn's frame sampler wraps: `wrap` read as JavaScript
    /// reads a switch, on whenever it is not 0 (NaN too), where MilkDrop 2
    /// compares it with the snap point ([`FrameState::wrap`]).
    pub fn butterchurn_wrap(&self) -> bool {
        self.wrap_value != 0.0
    }

    /// MilkDrop 2's blend of the per-frame results that do not move pixels
    /// (`RunPerFrameEquations` while blending): numbers mixed as
    /// `mix * self + (1 - mix) * old`, flags and modes taken from `old`
    /// while `mix < snap`, motion, q and the wave mode from `self` (motion
    /// is blended per vertex, in UV space).
    pub fn blended(&self, old: &FrameState, mix: f64, snap: f64) -> FrameState {
        let num = |new: f64, old: f64| mix * new + (1.0 - mix) * old;
        let flag = |new: f64, old: f64| if mix < snap { old } else { new };
        let pick = |new: bool, old: bool| if mix < snap { old } else { new };
        let (n, o) = (&self.draw, &old.draw);
        let draw = DrawVars {
            wave_r: num(n.wave_r, o.wave_r),
            wave_g: num(n.wave_g, o.wave_g),
            wave_b: num(n.wave_b, o.wave_b),
            wave_a: num(n.wave_a, o.wave_a),
            wave_x: num(n.wave_x, o.wave_x),
            wave_y: num(n.wave_y, o.wave_y),
            wave_mode: n.wave_mode,
            wave_mystery: num(n.wave_mystery, o.wave_mystery),
            wave_usedots: flag(n.wave_usedots, o.wave_usedots),
            wave_thick: flag(n.wave_thick, o.wave_thick),
            wave_additive: flag(n.wave_additive, o.wave_additive),
            wave_brighten: flag(n.wave_brighten, o.wave_brighten),
            ob_size: num(n.ob_size, o.ob_size),
            ob_r: num(n.ob_r, o.ob_r),
            ob_g: num(n.ob_g, o.ob_g),
            ob_b: num(n.ob_b, o.ob_b),
            ob_a: num(n.ob_a, o.ob_a),
            ib_size: num(n.ib_size, o.ib_size),
            ib_r: num(n.ib_r, o.ib_r),
            ib_g: num(n.ib_g, o.ib_g),
            ib_b: num(n.ib_b, o.ib_b),
            ib_a: num(n.ib_a, o.ib_a),
            mv_x: num(n.mv_x, o.mv_x),
            mv_y: num(n.mv_y, o.mv_y),
            mv_dx: num(n.mv_dx, o.mv_dx),
            mv_dy: num(n.mv_dy, o.mv_dy),
            mv_l: num(n.mv_l, o.mv_l),
            mv_r: num(n.mv_r, o.mv_r),
            mv_g: num(n.mv_g, o.mv_g),
            mv_b: num(n.mv_b, o.mv_b),
            mv_a: num(n.mv_a, o.mv_a),
            darken_center: flag(n.darken_center, o.darken_center),
        };
        FrameState {
            motion: self.motion,
            decay: num(self.decay, old.decay),
            // `WarpedBlit_NoShaders` compares the picked value with the
            // snap point itself: while blending into a composite shader
            // (snap 1.01) MilkDrop 1's warp clamps, out of one (-0.01) it
            // wraps.
            wrap: flag(self.wrap_value, old.wrap_value) > snap,
            wrap_value: flag(self.wrap_value, old.wrap_value),
            gamma: num(self.gamma, old.gamma),
            echo_alpha: num(self.echo_alpha, old.echo_alpha),
            echo_zoom: num(self.echo_zoom, old.echo_zoom),
            echo_orient: if mix < snap {
                old.echo_orient
            } else {
                self.echo_orient
            },
            brighten: pick(self.brighten, old.brighten),
            darken: pick(self.darken, old.darken),
            solarize: pick(self.solarize, old.solarize),
            invert: pick(self.invert, old.invert),
            draw,
            blur_min: std::array::from_fn(|i| num(self.blur_min[i], old.blur_min[i])),
            blur_max: std::array::from_fn(|i| num(self.blur_max[i], old.blur_max[i])),
            blur1_edge_darken: num(self.blur1_edge_darken, old.blur1_edge_darken),
            q: self.q,
        }
    }
}

/// Variables read back after per-frame code, in this order.
const STATE_VARS: [&str; 17] = [
    "decay",
    "wrap",
    "gamma",
    "echo_alpha",
    "echo_zoom",
    "echo_orient",
    "brighten",
    "darken",
    "solarize",
    "invert",
    "blur1_min",
    "blur2_min",
    "blur3_min",
    "blur1_max",
    "blur2_max",
    "blur3_max",
    "blur1_edge_darken",
];

/// MilkDrop's threshold for boolean per-frame variables (`m_fSnapPoint`).
const SNAP: f64 = 0.5;

/// A compiled preset and its state between frames.
pub struct PresetRuntime {
    code: PresetCode,
    warp_style: PassStyle,
    comp_style: PassStyle,
    warp_anim_speed: f64,
    /// `bRedBlueStereo` (MilkDrop 1.x only).
    red_blue_stereo: bool,
    frame_motion: Vec<VarId>,
    frame_state: Vec<VarId>,
    frame_draw: Vec<VarId>,
    /// Per-vertex motion results, one column per motion variable.
    columns: [Vec<f64>; 10],
    overruns: Vec<BlockId>,
    initialised: bool,
    /// Shape and custom-wave colour channels past 0..1 are clamped as
    /// butterchurn does ([`crate::ButterchurnQuirks::colour_clamp`]), not
    /// wrapped as MilkDrop 2's byte conversion does.
    clamp_colours: bool,
    /// The main wave is skipped unless `wave_a` > 0.001 before the volume
    /// modulation, as butterchurn does ([`crate::ButterchurnQuirks::wave_gate`]).
    wave_gate: bool,
    /// The rules the main wave is drawn by, and (its `window`) the samples
    /// the waveform custom waves are drawn from
    /// ([`crate::ButterchurnQuirks::wave_window`], `wave_size`,
    /// `wave_mode5`).
    wave_rules: MainWaveRules,
    /// The per-vertex code's `ang` in [0, 2pi), as butterchurn hands it
    /// ([`crate::ButterchurnQuirks::pixel_ang`]), kept here when asked for.
    wrapped_ang: Option<Vec<f64>>,
}

impl std::fmt::Debug for PresetRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PresetRuntime")
            .field("warp_style", &self.warp_style)
            .field("comp_style", &self.comp_style)
            .field("errors", &self.code.errors.len())
            .finish_non_exhaustive()
    }
}

fn truthy(v: f64) -> bool {
    v > SNAP
}

/// C's truth of a double, as MilkDrop 2 tests the filter flags
/// (`if (*m_pState->var_pf_brighten && ...)`): anything but 0, NaN included.
fn nonzero(v: f64) -> bool {
    v != 0.0
}

/// MilkDrop 2's range checks after the per-frame code, `max(lo, min(hi,
/// v))` with C's macros (so a NaN passes through).
fn c_clamp(v: f64, lo: f64, hi: f64) -> f64 {
    let v = if hi < v { hi } else { v };
    if lo > v { lo } else { v }
}

impl PresetRuntime {
    /// Compiles `preset`'s code; blocks that fail are reported in
    /// [`PresetRuntime::errors`] and do not run.
    pub fn new(preset: &Preset, seed: u64) -> Self {
        Self::with_options(
            preset,
            CodeOptions {
                seed,
                ..CodeOptions::default()
            },
        )
    }

    /// [`PresetRuntime::new`] with the code compiled as `options` say.
    pub fn with_options(preset: &Preset, options: CodeOptions) -> Self {
        let mut code = PresetCode::compile(preset, options);
        let frame_motion = MOTION_VARS.iter().map(|n| code.frame.var(n)).collect();
        let frame_state = STATE_VARS.iter().map(|n| code.frame.var(n)).collect();
        let frame_draw = DRAW_VARS.iter().map(|n| code.frame.var(n)).collect();
        let style = |v: i32| {
            if v > 0 {
                PassStyle::Generated
            } else {
                PassStyle::Fixed
            }
        };
        PresetRuntime {
            warp_style: style(preset.ps_version_warp),
            comp_style: style(preset.ps_version_comp),
            warp_anim_speed: preset.base.warp_anim_speed,
            red_blue_stereo: preset.base.red_blue_stereo,
            code,
            frame_motion,
            frame_state,
            frame_draw,
            columns: Default::default(),
            overruns: Vec::new(),
            initialised: false,
            clamp_colours: false,
            wave_gate: false,
            wave_rules: MainWaveRules::default(),
            wrapped_ang: None,
        }
    }

    /// Code blocks that failed to compile.
    pub fn errors(&self) -> &[BlockError] {
        &self.code.errors
    }

    /// Blocks that ran past their instruction budget (and were stopped) in
    /// the last frame.
    pub fn overruns(&self) -> &[BlockId] {
        &self.overruns
    }

    pub fn warp_style(&self) -> PassStyle {
        self.warp_style
    }

    pub fn comp_style(&self) -> PassStyle {
        self.comp_style
    }

    pub fn warp_anim_speed(&self) -> f64 {
        self.warp_anim_speed
    }

    /// `fWarpScale` as of the last frame (gliding in during a blend).
    pub fn warp_scale(&self) -> f64 {
        self.code.file_values().warp_scale
    }

    /// The `fShader` (hue shader) amount as of the last frame (gliding in
    /// during a blend).
    pub fn hue_amount(&self) -> f64 {
        self.code.file_values().shader
    }

    /// Whether the preset is drawn with MilkDrop 1.x's red-blue stereo: it
    /// asks for it (`bRedBlueStereo`) and the host opted in
    /// ([`crate::Config::milkdrop1_stereo`]). MilkDrop 1.x draws it (and
    /// lightens the main wave, see [`PresetRuntime::run_frame`]); MilkDrop 2
    /// ignores it, so it applies on the [`PassStyle::Fixed`] composite only.
    pub fn red_blue_stereo(&self) -> bool {
        self.red_blue_stereo
    }

    /// Runs custom waves' code on one set of variables a wave, as
    /// butterchurn does ([`PresetCode::share_wave_variables`]).
    pub(crate) fn share_wave_variables(&mut self) {
        self.code.share_wave_variables();
    }

    /// Clamps shape and custom-wave colours to 0..1 as butterchurn does.
    pub(crate) fn clamp_colours(&mut self) {
        self.clamp_colours = true;
    }

    /// True when shape and custom-wave colours are clamped, not wrapped.
    pub(crate) fn colours_clamped(&self) -> bool {
        self.clamp_colours
    }

    /// Gates the main wave on `wave_a` > 0.001 as butterchurn does.
    pub(crate) fn gate_main_wave(&mut self) {
        self.wave_gate = true;
    }

    /// Hands the per-vertex code butterchurn's `ang`, wrapped into [0, 2pi).
    pub(crate) fn wrap_vertex_ang(&mut self) {
        self.wrapped_ang = Some(Vec::new());
    }

    /// Draws the waves from butterchurn's window of samples.
    pub(crate) fn use_butterchurn_wave_window(&mut self) {
        self.wave_rules.window = WaveWindow::Butterchurn;
    }

    /// The samples the waves are drawn from.
    pub(crate) fn wave_window(&self) -> WaveWindow {
        self.wave_rules.window
    }

    /// Draws the main wave by butterchurn's texture-size rules.
    pub(crate) fn use_butterchurn_wave_sizes(&mut self) {
        self.wave_rules.sizes = WaveSizes::Butterchurn;
    }

    /// Places mode 5 of the main wave as butterchurn does.
    pub(crate) fn use_butterchurn_wave_mode5(&mut self) {
        self.wave_rules.mode5_scaled_by_position = true;
    }

    /// The rules the main wave is drawn by.
    pub(crate) fn main_wave_rules(&self) -> MainWaveRules {
        self.wave_rules
    }

    /// True when butterchurn's gate would skip the main wave this frame.
    pub(crate) fn main_wave_gated(&self, wave_a: f64) -> bool {
        // In single precision: butterchurn reads `fWaveAlpha=0.001` as the
        // double 0.001, which its gate shuts; Kefir as MilkDrop 2's float,
        // a little above.
        self.wave_gate && (wave_a.is_nan() || wave_a as f32 <= 0.001)
    }

    /// Draws the preset as MilkDrop 2 does whatever its `bRedBlueStereo`
    /// says (see [`crate::Config::milkdrop1_stereo`]).
    pub(crate) fn ignore_red_blue_stereo(&mut self) {
        self.red_blue_stereo = false;
    }

    /// The preset's file values (what MilkDrop 2 bakes into generated
    /// shaders).
    pub fn base(&self) -> &milk_parser::preset::BaseValues {
        &self.code.base
    }

    /// The file values as of the last frame: [`PresetRuntime::base`], or on
    /// their way to it from the outgoing preset's while this one blends in
    /// ([`PresetRuntime::blend_file_values_from`]). What MilkDrop 2 reads
    /// with `eval(GetTime())`: the per-frame code's starting values, the
    /// main wave's scale, smoothing and volume alpha range, the warp scale,
    /// the hue amount of MilkDrop 1's composite.
    pub fn file_values(&self) -> &milk_parser::preset::BaseValues {
        self.code.file_values()
    }

    /// Lets this preset's file values glide in from `from`'s (the outgoing
    /// preset's, as they are at `time`) over a blend of `seconds`, as
    /// MilkDrop 2's `CState::StartBlendFrom` (see
    /// [`milk_parser::code::PresetCode::blend_file_values_from`]).
    pub fn blend_file_values_from(&mut self, from: &PresetRuntime, time: f64, seconds: f64) {
        let from = from.code.file_values_at(time);
        self.code.blend_file_values_from(&from, time, seconds);
    }

    /// Runs the init code (first frame only) and the per-frame code.
    pub fn run_frame(&mut self, inputs: &FrameInputs) -> FrameState {
        self.overruns.clear();
        self.run_init_and_frame_code(inputs);
        let get = |id: &VarId| self.code.frame.get(*id);
        let m: Vec<f64> = self.frame_motion.iter().map(get).collect();
        let s: Vec<f64> = self.frame_state.iter().map(get).collect();
        FrameState {
            motion: Motion::from_array(std::array::from_fn(|i| m[i])),
            decay: s[0],
            wrap: truthy(s[1]),
            wrap_value: s[1],
            // (MilkDrop 2's "few range checks" after the code.)
            gamma: c_clamp(s[2], 0.0, 8.0),
            echo_alpha: s[3],
            echo_zoom: c_clamp(s[4], 0.001, 1000.0),
            // MilkDrop: `(int)(echo_orient) % 4`, C truncation.
            echo_orient: (s[5] as i32) % 4,
            brighten: nonzero(s[6]),
            darken: nonzero(s[7]),
            solarize: nonzero(s[8]),
            invert: nonzero(s[9]),
            draw: self.draw_vars(),
            blur_min: [s[10], s[11], s[12]],
            blur_max: [s[13], s[14], s[15]],
            blur1_edge_darken: s[16],
            q: self.code.q_values(),
        }
    }

    /// Runs the init code if it has not run yet, then the per-frame code
    /// once with `inputs`, its results dropped: butterchurn's run of the
    /// per-frame code while it loads a preset, which leaves the code's own
    /// variables (and megabuf) as that run set them.
    pub fn run_load_frame(&mut self, inputs: &FrameInputs) {
        self.overruns.clear();
        self.run_init_and_frame_code(inputs);
    }

    fn run_init_and_frame_code(&mut self, inputs: &FrameInputs) {
        if !self.initialised {
            self.initialised = true;
            let o = self.code.run_init(inputs);
            self.overruns.extend(o);
        }
        let o = self.code.run_frame(inputs);
        self.overruns.extend(o);
    }

    /// The main wave, border, motion vector and darken_center values after
    /// per-frame code. With red-blue stereo on the fixed-function path, the
    /// wave colour is lightened towards white as MilkDrop 1.x does
    /// (`0.35 * c + 0.65`; MilkDrop 2 comments this out).
    fn draw_vars(&self) -> DrawVars {
        let mut draw = DrawVars::from_array(std::array::from_fn(|i| {
            self.code.frame.get(self.frame_draw[i])
        }));
        if self.red_blue_stereo && self.comp_style == PassStyle::Fixed {
            for c in [&mut draw.wave_r, &mut draw.wave_g, &mut draw.wave_b] {
                *c = 0.35 * *c + 0.65;
            }
        }
        draw
    }

    /// The compiled code and the overrun list of this frame, for the custom
    /// shapes pass ([`crate::shapes`]), which runs the shapes' per-frame
    /// code itself.
    pub(crate) fn shapes_mut(&mut self) -> (&mut PresetCode, &mut Vec<BlockId>) {
        (&mut self.code, &mut self.overruns)
    }

    /// The compiled code and the overrun list of this frame, for the custom
    /// waves ([`crate::waves`]), which run the waves' code themselves.
    pub(crate) fn waves_mut(&mut self) -> (&mut PresetCode, &mut Vec<BlockId>) {
        (&mut self.code, &mut self.overruns)
    }

    /// Per code block, the uniform values in [0, 1) its `rand()` calls use
    /// before the preset's own generator takes over again (replays; see
    /// [`milk_parser::code::PresetCode::set_rand_scripts`]).
    pub fn set_rand_scripts(&mut self, scripts: impl IntoIterator<Item = (BlockId, Vec<f64>)>) {
        self.code.set_rand_scripts(scripts);
    }

    /// Whether `rand()` scripts are set and not cleared since.
    pub fn rand_scripted(&self) -> bool {
        self.code.rand_scripted()
    }

    /// Ends the `rand()` scripts: the preset's own generator only.
    pub fn clear_rand_scripts(&mut self) {
        self.code.clear_rand_scripts();
    }

    /// Values of the last `rand()` scripts not used, and calls that found
    /// their block's script used up.
    pub fn rand_script_balance(&self) -> (usize, usize) {
        self.code.rand_script_balance()
    }

    /// True when the preset has per-vertex code.
    pub fn has_per_vertex(&self) -> bool {
        self.code.per_vertex.is_some()
    }

    /// Runs the per-vertex code (after [`PresetRuntime::run_frame`]) over
    /// `mesh` and returns each vertex's motion, one column per motion
    /// variable in the order of `MOTION_VARS`; without per-vertex code, or
    /// for vertices the code did not reach because it ran past its budget,
    /// the per-frame values. The code visits the vertices in MilkDrop 2's
    /// order ([`WarpMesh::code_inputs`]: bottom row first); the columns
    /// come back in the mesh's.
    pub fn run_vertices(&mut self, mesh: &WarpMesh, frame: &Motion) -> &[Vec<f64>; 10] {
        let count = mesh.vertex_count();
        let defaults = frame.to_array();
        for (col, v) in self.columns.iter_mut().zip(defaults) {
            col.clear();
            col.resize(count, v);
        }
        let resets = self.code.vertex_resets();
        let PresetCode {
            per_vertex,
            vertex,
            globals,
            vertex_inputs,
            ..
        } = &mut self.code;
        let Some(program) = per_vertex else {
            return &self.columns;
        };
        let [x, y, rad, mut ang] = mesh.code_inputs().each_ref();
        if let Some(wrapped) = &mut self.wrapped_ang {
            wrapped.clear();
            wrapped.extend(ang.iter().map(|&a| {
                if a < 0.0 {
                    a + std::f64::consts::TAU
                } else {
                    a
                }
            }));
            ang = &*wrapped;
        }
        let varying = [
            (vertex_inputs[0], x.as_slice()),
            (vertex_inputs[1], y.as_slice()),
            (vertex_inputs[2], rad.as_slice()),
            (vertex_inputs[3], ang.as_slice()),
        ];
        let mut outputs: Vec<(VarId, &mut [f64])> = vertex_inputs[4..]
            .iter()
            .copied()
            .zip(self.columns.iter_mut().map(|c| c.as_mut_slice()))
            .collect();
        let mut job = VertexJob {
            count,
            varying: &varying,
            reset: &resets,
            outputs: &mut outputs,
        };
        globals.select_rand_script(BlockId::PerPixel.index());
        if program
            .run(vertex, globals, &mut job, VertexMode::Auto)
            .is_err()
        {
            self.overruns.push(BlockId::PerPixel);
        }
        for column in &mut self.columns {
            mesh.from_code_order(column);
        }
        &self.columns
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use milk_parser::eel::DivisionByZero;

    fn runtime(text: &str) -> PresetRuntime {
        PresetRuntime::new(&Preset::parse(text).expect("parses"), 1)
    }

    #[test]
    fn frame_state_reads_per_frame_results() {
        let mut rt = runtime(
            "[preset00]\nfDecay=0.9\nbTexWrap=1\n\
             per_frame_1=zoom = 1.5; echo_orient = -3.7; invert = 0.6; wrap = 0.4;",
        );
        assert_eq!(rt.warp_style(), PassStyle::Fixed);
        let s = rt.run_frame(&FrameInputs::default());
        assert_eq!(s.motion.zoom, 1.5);
        assert_eq!(s.decay, f64::from(0.9f32));
        // C's `(int)(-3.7) % 4` is -3; booleans snap at 0.5.
        assert_eq!(s.echo_orient, -3);
        assert!(s.invert && !s.wrap);
    }

    #[test]
    fn per_vertex_columns_default_to_per_frame_motion() {
        let mesh = WarpMesh::new(4, 4, 64, 64);
        let mut plain = runtime("[preset00]\nzoom=1.1\nrot=0.2");
        let s = plain.run_frame(&FrameInputs::default());
        let cols = plain.run_vertices(&mesh, &s.motion);
        // File values are MilkDrop 2's 32-bit floats.
        assert!(cols[0].iter().all(|&z| z == f64::from(1.1f32)));
        assert!(cols[2].iter().all(|&r| r == f64::from(0.2f32)));

        let mut pv = runtime("[preset00]\nzoom=1.1\nper_pixel_1=zoom = zoom + x; sx = 2;");
        let s = pv.run_frame(&FrameInputs::default());
        let cols = pv.run_vertices(&mesh, &s.motion);
        let [x, ..] = mesh.inputs();
        for (n, &z) in cols[0].iter().enumerate() {
            assert!((z - (f64::from(1.1f32) + x[n])).abs() < 1e-12);
        }
        assert!(cols[8].iter().all(|&v| v == 2.0));
        // Untouched variables keep the per-frame value.
        assert!(cols[2].iter().all(|&r| r == 0.0));
    }

    #[test]
    fn butterchurn_hands_per_vertex_code_ang_in_zero_to_two_pi() {
        let mesh = WarpMesh::new(8, 6, 64, 48);
        let text = "[preset00]\nper_pixel_1=rot = ang;";
        let [.., ang] = mesh.inputs();
        let mut milkdrop = runtime(text);
        let s = milkdrop.run_frame(&FrameInputs::default());
        assert_eq!(milkdrop.run_vertices(&mesh, &s.motion)[2], *ang);
        assert!(ang.iter().any(|&a| a < 0.0));
        let mut butterchurn = runtime(text);
        butterchurn.wrap_vertex_ang();
        let s = butterchurn.run_frame(&FrameInputs::default());
        let rot = &butterchurn.run_vertices(&mesh, &s.motion)[2];
        for (&b, &a) in rot.iter().zip(ang) {
            let want = if a < 0.0 {
                a + std::f64::consts::TAU
            } else {
                a
            };
            assert!((b - want).abs() < 1e-12 && (0.0..std::f64::consts::TAU).contains(&b));
        }
    }

    /// MilkDrop 2's `x/0` is ±inf inside the expression: `min(1, .05/0)`
    /// is 1 (a preset's q30 before its first beat), and per-vertex code
    /// dividing by `x` (0 in the left column) gets `cos(inf)`, stored as 0
    /// by `=`. butterchurn's is 0 at once: 0, and `cos(0)`.
    #[test]
    fn division_by_zero_follows_milkdrop_2_unless_imitating_butterchurn() {
        let text = "[preset00]\nper_frame_1=q30 = min(1, .05/mzoom);\n\
                    per_pixel_1=dy = cos(1000/x)/200;";
        let mesh = WarpMesh::new(8, 6, 64, 48);
        let [x, ..] = mesh.inputs();
        let left: Vec<usize> = (0..x.len()).filter(|&n| x[n] == 0.0).collect();
        assert!(!left.is_empty());
        for (division_by_zero, q30, left_dy) in [
            (DivisionByZero::Infinite, 1.0, 0.0),
            (DivisionByZero::Zero, 0.0, 1.0 / 200.0),
        ] {
            let options = CodeOptions {
                seed: 1,
                division_by_zero,
                ..CodeOptions::default()
            };
            let mut rt = PresetRuntime::with_options(&Preset::parse(text).unwrap(), options);
            let s = rt.run_frame(&FrameInputs::default());
            assert_eq!(s.q[29], q30, "{division_by_zero:?}");
            let dy = &rt.run_vertices(&mesh, &s.motion)[7];
            for &n in &left {
                assert_eq!(dy[n], left_dy, "{division_by_zero:?}");
            }
            assert!(dy.iter().all(|v| v.is_finite()));
        }
    }

    /// A value carried from vertex to vertex sees MilkDrop 2's order: the
    /// bottom-left vertex runs first, the top-right one last.
    #[test]
    fn per_vertex_code_runs_from_the_bottom_row_up() {
        let mesh = WarpMesh::new(4, 3, 64, 64);
        let mut rt = runtime("[preset00]\nper_pixel_1=n = n + 1; zoom = n;");
        let s = rt.run_frame(&FrameInputs::default());
        let zoom = &rt.run_vertices(&mesh, &s.motion)[0];
        let [x, y, ..] = mesh.inputs();
        let first = zoom.iter().position(|&z| z == 1.0).unwrap();
        let last = zoom.iter().position(|&z| z == 20.0).unwrap();
        assert_eq!((x[first], y[first]), (0.0, 1.0));
        assert_eq!((x[last], y[last]), (1.0, 0.0));
        // Along a row, left to right.
        assert_eq!(zoom[first + 1], 2.0);
    }

    #[test]
    fn per_vertex_code_sees_q_from_per_frame_code() {
        let mesh = WarpMesh::new(4, 4, 64, 64);
        let mut rt = runtime("[preset00]\nper_frame_1=q6 = 0.5;\nper_pixel_1=zoom = 1 + Q6;");
        for _ in 0..2 {
            let s = rt.run_frame(&FrameInputs::default());
            let cols = rt.run_vertices(&mesh, &s.motion);
            assert!(cols[0].iter().all(|&z| (z - 1.5).abs() < 1e-12));
        }
    }

    #[test]
    fn gamma_and_echo_zoom_are_range_checked_and_filters_are_c_truths() {
        let mut rt = runtime(
            "[preset00]\nper_frame_1=gamma = 12; echo_zoom = 0; brighten = 0.2; \
             darken = -1; solarize = 0; invert = 0.0001;",
        );
        let s = rt.run_frame(&FrameInputs::default());
        assert_eq!((s.gamma, s.echo_zoom), (8.0, 0.001));
        assert_eq!(
            [s.brighten, s.darken, s.solarize, s.invert],
            [true, true, false, true]
        );
        let mut rt = runtime("[preset00]\nper_frame_1=gamma = -3; echo_zoom = 5000;");
        let s = rt.run_frame(&FrameInputs::default());
        assert_eq!((s.gamma, s.echo_zoom), (0.0, 1000.0));
    }

    #[test]
    fn blending_mixes_numbers_and_snaps_flags() {
        let mut a = runtime("[preset00]\nfDecay=0.9\nfGammaAdj=1\nbInvert=0\nwave_r=0");
        let mut b = runtime("[preset00]\nfDecay=0.5\nfGammaAdj=3\nbInvert=1\nwave_r=1\nzoom=2");
        let old = a.run_frame(&FrameInputs::default());
        let new = b.run_frame(&FrameInputs::default());
        let early = new.blended(&old, 0.25, 0.5);
        assert!((early.decay - (0.25 * 0.5 + 0.75 * f64::from(0.9f32))).abs() < 1e-12);
        assert!((early.gamma - 1.5).abs() < 1e-12);
        assert!((early.draw.wave_r - 0.25).abs() < 1e-12);
        assert!(
            !early.invert,
            "flags keep the old value before the snap point"
        );
        assert_eq!(early.motion.zoom, 2.0, "motion is not blended here");
        assert!(new.blended(&old, 0.75, 0.5).invert);
        assert!(
            new.blended(&old, 0.0, -0.01).invert,
            "snap below 0: the new flags at once"
        );
    }

    #[test]
    fn milkdrop_1_wrap_compares_with_the_snap_point_while_blending() {
        // `WarpedBlit_NoShaders`: `wrap > m_fSnapPoint`. Into a composite
        // shader (snap 1.01) MilkDrop 1's warp clamps whatever the presets
        // say; out of one (-0.01) it wraps.
        let mut a = runtime(
            "[preset00]
bTexWrap=1",
        );
        let mut b = runtime(
            "[preset00]
bTexWrap=0",
        );
        let wrapping = a.run_frame(&FrameInputs::default());
        let clamping = b.run_frame(&FrameInputs::default());
        assert!(wrapping.wrap && !clamping.wrap);
        assert!(!wrapping.blended(&wrapping, 0.5, 1.01).wrap);
        assert!(clamping.blended(&clamping, 0.5, -0.01).wrap);
        assert!(wrapping.blended(&clamping, 0.75, 0.5).wrap);
        assert!(!wrapping.blended(&clamping, 0.25, 0.5).wrap);
    }
}
