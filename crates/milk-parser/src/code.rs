//! A preset's equation code compiled into MilkDrop 2's code contexts.
//!
//! MilkDrop runs each kind of code in a VM of its own: per-frame code (with
//! its init code), per-vertex code, and for each custom wave its per-frame
//! code (with init) and its per-point code, and for each custom shape its
//! per-frame code (with init). User variables of one context are invisible to
//! the others; q1..q32 and t1..t8 are copied between them by the engine, and
//! `reg00`..`reg99` and `gmegabuf` are shared through [`Globals`].
//!
//! A block that fails to compile is reported with its file position and does
//! not run, while the rest of the preset does: this is what MilkDrop 2 does,
//! so a preset looks the way its author saw it.

use crate::eel::{
    CodeError, CodeErrorKind, CompileOptions, Context, DivisionByZero, Globals, Limits, Program,
    RandScale, RunError, VarId, VertexProgram,
};
use crate::preset::{
    BaseValues, BlockId, CodeBlock, Location, NUM_SHAPES, NUM_WAVES, Preset, ShapeParams,
    WaveParams,
};

/// Number of `q` variables.
pub const Q_VARS: usize = 32;
/// Number of `t` variables of waves and shapes.
pub const T_VARS: usize = 8;

/// Variables every context sees (set by the engine each frame).
pub const COMMON_INPUTS: &[&str] = &[
    "time", "fps", "frame", "progress", "bass", "mid", "treb", "bass_att", "mid_att", "treb_att",
    "meshx", "meshy", "pixelsx", "pixelsy", "aspectx", "aspecty",
];

/// The motion variables per-vertex code reads and writes; MilkDrop resets
/// them to the per-frame results before every vertex.
pub const MOTION_VARS: &[&str] = &[
    "zoom", "zoomexp", "rot", "warp", "cx", "cy", "dx", "dy", "sx", "sy",
];

/// Per-vertex inputs: the vertex position, then [`MOTION_VARS`].
pub const VERTEX_INPUTS: &[&str] = &[
    "x", "y", "rad", "ang", "zoom", "zoomexp", "rot", "warp", "cx", "cy", "dx", "dy", "sx", "sy",
];

/// Per-frame variables besides [`COMMON_INPUTS`] and the q variables.
pub const FRAME_VARS: &[&str] = &[
    "zoom",
    "zoomexp",
    "rot",
    "warp",
    "cx",
    "cy",
    "dx",
    "dy",
    "sx",
    "sy",
    "decay",
    "wave_r",
    "wave_g",
    "wave_b",
    "wave_a",
    "wave_x",
    "wave_y",
    "wave_mode",
    "wave_mystery",
    "wave_usedots",
    "wave_thick",
    "wave_additive",
    "wave_brighten",
    "ob_size",
    "ob_r",
    "ob_g",
    "ob_b",
    "ob_a",
    "ib_size",
    "ib_r",
    "ib_g",
    "ib_b",
    "ib_a",
    "mv_x",
    "mv_y",
    "mv_dx",
    "mv_dy",
    "mv_l",
    "mv_r",
    "mv_g",
    "mv_b",
    "mv_a",
    "echo_zoom",
    "echo_alpha",
    "echo_orient",
    "darken_center",
    "gamma",
    "wrap",
    "invert",
    "brighten",
    "darken",
    "solarize",
    "blur1_min",
    "blur2_min",
    "blur3_min",
    "blur1_max",
    "blur2_max",
    "blur3_max",
    "blur1_edge_darken",
    "monitor",
];

/// Custom wave per-point inputs, reset before every point.
pub const WAVE_POINT_INPUTS: &[&str] =
    &["sample", "value1", "value2", "x", "y", "r", "g", "b", "a"];

/// Custom wave per-frame variables.
pub const WAVE_FRAME_VARS: &[&str] = &["r", "g", "b", "a", "samples"];

/// Custom shape per-frame variables.
pub const SHAPE_FRAME_VARS: [&str; 24] = [
    "x", "y", "rad", "ang", "tex_ang", "tex_zoom", "sides", "textured", "instance", "num_inst",
    "additive", "thick", "r", "g", "b", "a", "r2", "g2", "b2", "a2", "border_r", "border_g",
    "border_b", "border_a",
];

/// Names `q1`..`q32`.
pub const Q_NAMES: [&str; Q_VARS] = [
    "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10", "q11", "q12", "q13", "q14", "q15",
    "q16", "q17", "q18", "q19", "q20", "q21", "q22", "q23", "q24", "q25", "q26", "q27", "q28",
    "q29", "q30", "q31", "q32",
];

/// Names `t1`..`t8`.
pub const T_NAMES: [&str; T_VARS] = ["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"];

/// A code block that did not compile, located in the preset file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {block}: {message}")]
pub struct BlockError {
    pub block: BlockId,
    pub location: Location,
    pub message: String,
    pub kind: CodeErrorKind,
}

/// Options for compiling a preset's code.
#[derive(Debug, Clone, Copy, Default)]
pub struct CodeOptions {
    /// Seed of `rand()`.
    pub seed: u64,
    pub limits: Limits,
    /// What `/` gives for a divisor of 0: MilkDrop 2's ±inf by default.
    pub division_by_zero: DivisionByZero,
    /// What `rand(n)` scales by: MilkDrop 2's `max(floor(n), 1)` by default.
    pub rand_scale: RandScale,
}

/// Slots of the variables every used context shares, resolved once so the
/// frame-by-frame runner never looks a name up.
#[derive(Debug, Clone, Copy)]
struct StdSlots {
    common: [VarId; 16],
    q: [VarId; Q_VARS],
    t: [VarId; T_VARS],
}

impl StdSlots {
    fn of(ctx: &mut Context) -> Self {
        StdSlots {
            common: std::array::from_fn(|i| ctx.var(COMMON_INPUTS[i])),
            q: Q_NAMES.map(|n| ctx.var(n)),
            t: T_NAMES.map(|n| ctx.var(n)),
        }
    }
}

/// Slots of a used wave's contexts.
#[derive(Debug, Clone, Copy)]
struct WaveSlots {
    frame: StdSlots,
    point: StdSlots,
    /// [`WAVE_FRAME_VARS`] in the frame context.
    values: [VarId; 5],
}

/// Slots of a used shape's context.
#[derive(Debug, Clone, Copy)]
struct ShapeSlots {
    std: StdSlots,
    /// [`SHAPE_FRAME_VARS`].
    values: [VarId; 24],
}

/// Index of `instance` in [`SHAPE_FRAME_VARS`].
const SHAPE_INSTANCE: usize = 8;

fn set_slots(ctx: &mut Context, ids: &[VarId], values: impl IntoIterator<Item = f64>) {
    for (id, v) in ids.iter().zip(values) {
        ctx.set(*id, v);
    }
}

fn get_slots<const N: usize>(ctx: &Context, ids: &[VarId; N]) -> [f64; N] {
    ids.map(|id| ctx.get(id))
}

impl ShapeCode {
    /// The shape's variables after its last instance ran, in the order of
    /// [`SHAPE_FRAME_VARS`]; its file values when it has no code.
    pub fn values(&self) -> [f64; 24] {
        match self.slots {
            Some(slots) => get_slots(&self.frame, &slots.values),
            None => shape_file_values(&self.params),
        }
    }
}

/// Code of one custom wave.
#[derive(Debug)]
pub struct WaveCode {
    /// The wave's values from the file; per-frame variables start from them
    /// every frame.
    pub params: WaveParams,
    /// t1..t8 as the init code left them.
    pub t_after_init: [f64; T_VARS],
    /// Context of the wave's init and per-frame code.
    pub frame: Context,
    pub init: Program,
    pub per_frame: Program,
    /// Context of the per-point code (a VM of its own in MilkDrop 2).
    pub point: Context,
    pub per_point: Option<VertexProgram>,
    /// Per-point inputs in the order of [`WAVE_POINT_INPUTS`].
    pub point_inputs: Vec<VarId>,
    /// Variables both contexts name, as (per-frame id, per-point id), kept
    /// equal between the blocks when imitating butterchurn
    /// ([`PresetCode::share_wave_variables`]); empty otherwise.
    shared: Vec<(VarId, VarId)>,
    /// `None` when the wave has no code.
    slots: Option<WaveSlots>,
}

impl WaveCode {
    /// Copies the shared variables' values from the per-frame context to
    /// the per-point one (`to_point`) or back.
    fn sync_shared(&mut self, to_point: bool) {
        for &(f, p) in &self.shared {
            if to_point {
                self.point.set(p, self.frame.get(f));
            } else {
                self.frame.set(f, self.point.get(p));
            }
        }
    }
}

/// Code of one custom shape.
#[derive(Debug)]
pub struct ShapeCode {
    /// The shape's values from the file; every instance starts from them.
    pub params: ShapeParams,
    /// t1..t8 as the init code left them.
    pub t_after_init: [f64; T_VARS],
    pub frame: Context,
    pub init: Program,
    pub per_frame: Program,
    /// `None` when the shape has no code.
    slots: Option<ShapeSlots>,
}

/// All equation code of a preset, compiled.
#[derive(Debug)]
pub struct PresetCode {
    /// The preset's base values; per-frame variables start from them every
    /// frame.
    pub base: BaseValues,
    /// q1..q32 as the per-frame init code left them; they are reset to
    /// these values before every frame.
    pub q_after_init: [f64; Q_VARS],
    /// Context of per-frame and per-frame-init code.
    pub frame: Context,
    pub frame_init: Program,
    pub per_frame: Program,
    /// Context of per-vertex code.
    pub vertex: Context,
    pub per_vertex: Option<VertexProgram>,
    /// Per-vertex inputs in the order of [`VERTEX_INPUTS`].
    pub vertex_inputs: Vec<VarId>,
    pub waves: Vec<WaveCode>,
    pub shapes: Vec<ShapeCode>,
    pub globals: Globals,
    /// Blocks that failed to compile (they do not run).
    pub errors: Vec<BlockError>,
    frame_slots: StdSlots,
    vertex_slots: StdSlots,
    /// Per-frame variables (not q, not `monitor`) with the file's values,
    /// restored before every frame.
    frame_defaults: Vec<(VarId, f64)>,
    /// A soft transition's glide from the outgoing preset's file values
    /// ([`PresetCode::blend_file_values_from`]), while it lasts.
    file_blend: Option<FileBlend>,
    /// The file values as of the last frame run: [`PresetCode::base`], or
    /// on their way to it from the outgoing preset's during a blend.
    current: BaseValues,
}

/// MilkDrop 2's `CBlendableFloat`s of a preset that starts with a soft
/// transition: from the outgoing preset's file values to its own, linearly
/// over the blend's time (`CState::StartBlendFrom`).
#[derive(Debug, Clone)]
struct FileBlend {
    from: BaseValues,
    start: f64,
    seconds: f64,
}

/// The file values MilkDrop 2 blends in over a soft transition, mixed `mix`
/// of the way from `from` to `to`; the rest are `to`'s. These are the
/// `CBlendableFloat`s it reads at the current time (`eval(GetTime())`):
/// not the integers and flags (wave mode, echo orientation, `bTexWrap`,
/// the filters, the wave flags, `fWarpAnimSpeed`), and not the ten that
/// move pixels (`zoom`, `zoomexp`, `rot`, `warp`, `cx`, `cy`, `dx`, `dy`,
/// `sx`, `sy`), which `LoadPerFrameEvallibVars` reads with `eval(-1)`, the
/// file's own (the blend mixes the two meshes instead).
fn blend_file_values(from: &BaseValues, to: &BaseValues, mix: f64) -> BaseValues {
    let mut out = to.clone();
    let lerp = |a: f64, b: f64| a * (1.0 - mix) + b * mix;
    macro_rules! blend {
        ($($field:ident),* $(,)?) => {
            $(out.$field = lerp(from.$field, to.$field);)*
        };
    }
    blend!(
        gamma_adj,
        video_echo_zoom,
        video_echo_alpha,
        decay,
        wave_alpha,
        wave_scale,
        wave_smoothing,
        wave_param,
        warp_scale,
        shader,
        mod_wave_alpha_start,
        mod_wave_alpha_end,
        wave_r,
        wave_g,
        wave_b,
        wave_x,
        wave_y,
        ob_size,
        ob_r,
        ob_g,
        ob_b,
        ob_a,
        ib_size,
        ib_r,
        ib_g,
        ib_b,
        ib_a,
        mv_x,
        mv_y,
        mv_dx,
        mv_dy,
        mv_l,
        mv_r,
        mv_g,
        mv_b,
        mv_a,
        blur1_min,
        blur2_min,
        blur3_min,
        blur1_max,
        blur2_max,
        blur3_max,
        blur1_edge_darken,
    );
    out
}

/// The per-frame variables of `frame` that start every frame from the file
/// values (not q, not `monitor`), with their values from `base`.
fn frame_defaults_of(base: &BaseValues, frame: &mut Context) -> Vec<(VarId, f64)> {
    frame_context(base)
        .iter()
        .filter(|(n, _)| !n.starts_with('q') && *n != "monitor")
        .map(|(n, v)| (frame.var(n), v))
        .collect()
}

/// Declares `names` in `ctx`.
fn declare(ctx: &mut Context, names: impl IntoIterator<Item = impl AsRef<str>>) -> Vec<VarId> {
    names.into_iter().map(|n| ctx.var(n.as_ref())).collect()
}

/// A per-frame context with MilkDrop's variables set from `base`, as at the
/// start of a preset (used by the engine and by `kefir eval`).
pub fn frame_context(base: &BaseValues) -> Context {
    let mut ctx = Context::with_capacity(160);
    declare(&mut ctx, COMMON_INPUTS);
    declare(&mut ctx, FRAME_VARS);
    declare(&mut ctx, Q_NAMES);
    let b = |v: bool| if v { 1.0 } else { 0.0 };
    let values: &[(&str, f64)] = &[
        ("zoom", base.zoom),
        ("zoomexp", base.zoom_exponent),
        ("rot", base.rot),
        ("warp", base.warp),
        ("cx", base.cx),
        ("cy", base.cy),
        ("dx", base.dx),
        ("dy", base.dy),
        ("sx", base.sx),
        ("sy", base.sy),
        ("decay", base.decay),
        ("wave_r", base.wave_r),
        ("wave_g", base.wave_g),
        ("wave_b", base.wave_b),
        ("wave_a", base.wave_alpha),
        ("wave_x", base.wave_x),
        ("wave_y", base.wave_y),
        ("wave_mode", f64::from(base.wave_mode)),
        ("wave_mystery", base.wave_param),
        ("wave_usedots", b(base.wave_dots)),
        ("wave_thick", b(base.wave_thick)),
        ("wave_additive", b(base.additive_waves)),
        ("wave_brighten", b(base.maximize_wave_color)),
        ("ob_size", base.ob_size),
        ("ob_r", base.ob_r),
        ("ob_g", base.ob_g),
        ("ob_b", base.ob_b),
        ("ob_a", base.ob_a),
        ("ib_size", base.ib_size),
        ("ib_r", base.ib_r),
        ("ib_g", base.ib_g),
        ("ib_b", base.ib_b),
        ("ib_a", base.ib_a),
        ("mv_x", base.mv_x),
        ("mv_y", base.mv_y),
        ("mv_dx", base.mv_dx),
        ("mv_dy", base.mv_dy),
        ("mv_l", base.mv_l),
        ("mv_r", base.mv_r),
        ("mv_g", base.mv_g),
        ("mv_b", base.mv_b),
        ("mv_a", base.mv_a),
        ("echo_zoom", base.video_echo_zoom),
        ("echo_alpha", base.video_echo_alpha),
        ("echo_orient", f64::from(base.video_echo_orientation)),
        ("darken_center", b(base.darken_center)),
        ("gamma", base.gamma_adj),
        ("wrap", b(base.tex_wrap)),
        ("invert", b(base.invert)),
        ("brighten", b(base.brighten)),
        ("darken", b(base.darken)),
        ("solarize", b(base.solarize)),
        ("blur1_min", base.blur1_min),
        ("blur2_min", base.blur2_min),
        ("blur3_min", base.blur3_min),
        ("blur1_max", base.blur1_max),
        ("blur2_max", base.blur2_max),
        ("blur3_max", base.blur3_max),
        ("blur1_edge_darken", base.blur1_edge_darken),
    ];
    for (name, v) in values {
        let id = ctx.var(name);
        ctx.set(id, *v);
    }
    ctx
}

/// Compiles blocks, collecting errors; a failed block becomes empty code.
struct BlockCompiler<'p> {
    preset: &'p Preset,
    opts: CompileOptions,
    errors: Vec<BlockError>,
}

impl BlockCompiler<'_> {
    /// `e`, found in `block`'s equation text (which left out the line
    /// breaks at `removed`, see [`CodeBlock::equation_text`]).
    fn error(&mut self, id: BlockId, block: &CodeBlock, removed: &[usize], e: CodeError) {
        self.errors.push(BlockError {
            block: id,
            location: block.equation_location(removed, e.offset),
            message: e.message,
            kind: e.kind,
        });
    }

    fn program(&mut self, id: BlockId, ctx: &mut Context) -> Program {
        let Some(block) = self.preset.block(id) else {
            return Program::empty();
        };
        if block.is_empty() {
            return Program::empty();
        }
        let (text, removed) = block.equation_text();
        match Program::compile(&text, ctx, self.opts) {
            Ok(p) => p,
            Err(e) => {
                self.error(id, block, &removed, e);
                Program::empty()
            }
        }
    }

    fn vertex_program(
        &mut self,
        id: BlockId,
        ctx: &mut Context,
        inputs: &[VarId],
    ) -> Option<VertexProgram> {
        let block = self.preset.block(id)?;
        if block.is_empty() {
            return None;
        }
        let (text, removed) = block.equation_text();
        match VertexProgram::compile(&text, ctx, self.opts, inputs) {
            Ok(p) => Some(p),
            Err(e) => {
                self.error(id, block, &removed, e);
                None
            }
        }
    }
}

impl PresetCode {
    /// Compiles every code block of `preset`. Blocks that fail are listed in
    /// [`PresetCode::errors`] and left out; everything else still runs.
    pub fn compile(preset: &Preset, options: CodeOptions) -> PresetCode {
        let mut c = BlockCompiler {
            preset,
            opts: CompileOptions {
                integer_rand: preset.version < 200,
                division_by_zero: options.division_by_zero,
                rand_scale: options.rand_scale,
            },
            errors: Vec::new(),
        };
        let mut frame = frame_context(&preset.base);
        let frame_init = c.program(BlockId::PerFrameInit, &mut frame);
        let per_frame = c.program(BlockId::PerFrame, &mut frame);

        let mut vertex = Context::with_capacity(96);
        let vertex_inputs = declare(&mut vertex, VERTEX_INPUTS);
        declare(&mut vertex, COMMON_INPUTS);
        declare(&mut vertex, Q_NAMES);
        let per_vertex = c.vertex_program(BlockId::PerPixel, &mut vertex, &vertex_inputs);

        // Contexts of waves and shapes without code stay empty: most presets
        // use few of them, and declaring variables is most of the cost of
        // compiling a preset.
        let has_code = |ids: &[BlockId]| {
            ids.iter()
                .any(|id| preset.block(*id).is_some_and(|b| !b.is_empty()))
        };
        let waves = (0..NUM_WAVES)
            .map(|k| {
                let used = has_code(&[
                    BlockId::WaveInit(k),
                    BlockId::WavePerFrame(k),
                    BlockId::WavePerPoint(k),
                ]);
                let mut frame = Context::new();
                let mut point = Context::new();
                let point_inputs = declare(&mut point, WAVE_POINT_INPUTS);
                if used {
                    for ctx in [&mut frame, &mut point] {
                        declare(ctx, COMMON_INPUTS);
                        declare(ctx, Q_NAMES);
                        declare(ctx, T_NAMES);
                    }
                    declare(&mut frame, WAVE_FRAME_VARS);
                }
                let init = c.program(BlockId::WaveInit(k), &mut frame);
                let per_frame = c.program(BlockId::WavePerFrame(k), &mut frame);
                let per_point =
                    c.vertex_program(BlockId::WavePerPoint(k), &mut point, &point_inputs);
                let slots = used.then(|| WaveSlots {
                    frame: StdSlots::of(&mut frame),
                    point: StdSlots::of(&mut point),
                    values: std::array::from_fn(|i| frame.var(WAVE_FRAME_VARS[i])),
                });
                WaveCode {
                    params: preset.waves[k].params.clone(),
                    t_after_init: [0.0; T_VARS],
                    frame,
                    init,
                    per_frame,
                    point,
                    per_point,
                    point_inputs,
                    shared: Vec::new(),
                    slots,
                }
            })
            .collect();

        let shapes = (0..NUM_SHAPES)
            .map(|k| {
                let mut frame = Context::new();
                let used = has_code(&[BlockId::ShapeInit(k), BlockId::ShapePerFrame(k)]);
                if used {
                    declare(&mut frame, COMMON_INPUTS);
                    declare(&mut frame, SHAPE_FRAME_VARS);
                    declare(&mut frame, Q_NAMES);
                    declare(&mut frame, T_NAMES);
                }
                let init = c.program(BlockId::ShapeInit(k), &mut frame);
                let per_frame = c.program(BlockId::ShapePerFrame(k), &mut frame);
                let slots = used.then(|| ShapeSlots {
                    std: StdSlots::of(&mut frame),
                    values: SHAPE_FRAME_VARS.map(|n| frame.var(n)),
                });
                ShapeCode {
                    params: preset.shapes[k].params.clone(),
                    t_after_init: [0.0; T_VARS],
                    frame,
                    init,
                    per_frame,
                    slots,
                }
            })
            .collect();

        let frame_slots = StdSlots::of(&mut frame);
        let vertex_slots = StdSlots::of(&mut vertex);
        let frame_defaults = frame_defaults_of(&preset.base, &mut frame);
        PresetCode {
            base: preset.base.clone(),
            current: preset.base.clone(),
            file_blend: None,
            q_after_init: [0.0; Q_VARS],
            frame_slots,
            vertex_slots,
            frame_defaults,
            frame,
            frame_init,
            per_frame,
            vertex,
            per_vertex,
            vertex_inputs,
            waves,
            shapes,
            globals: Globals::new(options.seed, options.limits),
            errors: c.errors,
        }
    }

    /// Number of per-vertex programs (per-pixel and wave per-point code)
    /// and how many of them run on the batched VM.
    pub fn vertex_program_counts(&self) -> (usize, usize) {
        let programs = self
            .per_vertex
            .iter()
            .chain(self.waves.iter().filter_map(|w| w.per_point.as_ref()));
        programs.fold((0, 0), |(n, b), p| (n + 1, b + usize::from(p.is_batched())))
    }
}

/// Values the host sets before running code each frame.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FrameInputs {
    pub time: f64,
    pub fps: f64,
    pub frame: f64,
    pub progress: f64,
    pub bass: f64,
    pub mid: f64,
    pub treb: f64,
    pub bass_att: f64,
    pub mid_att: f64,
    pub treb_att: f64,
    pub meshx: f64,
    pub meshy: f64,
    pub pixelsx: f64,
    pub pixelsy: f64,
    pub aspectx: f64,
    pub aspecty: f64,
}

impl FrameInputs {
    /// The values in the order of [`COMMON_INPUTS`].
    fn array(&self) -> [f64; 16] {
        self.values().map(|(_, v)| v)
    }

    fn values(&self) -> [(&'static str, f64); 16] {
        [
            ("time", self.time),
            ("fps", self.fps),
            ("frame", self.frame),
            ("progress", self.progress),
            ("bass", self.bass),
            ("mid", self.mid),
            ("treb", self.treb),
            ("bass_att", self.bass_att),
            ("mid_att", self.mid_att),
            ("treb_att", self.treb_att),
            ("meshx", self.meshx),
            ("meshy", self.meshy),
            ("pixelsx", self.pixelsx),
            ("pixelsy", self.pixelsy),
            ("aspectx", self.aspectx),
            ("aspecty", self.aspecty),
        ]
    }
}

/// The wave's file values in the order of [`WAVE_FRAME_VARS`].
fn wave_frame_values(p: &WaveParams) -> [f64; 5] {
    [p.r, p.g, p.b, p.a, f64::from(p.samples)]
}

/// A shape's file values in the order of [`SHAPE_FRAME_VARS`], with
/// `instance` 0: what every instance starts from, and what a shape without
/// code draws.
pub fn shape_file_values(p: &ShapeParams) -> [f64; 24] {
    let b = |v: bool| if v { 1.0 } else { 0.0 };
    [
        p.x,
        p.y,
        p.rad,
        p.ang,
        p.tex_ang,
        p.tex_zoom,
        f64::from(p.sides),
        b(p.textured),
        0.0,
        f64::from(p.num_inst),
        b(p.additive),
        b(p.thick_outline),
        p.r,
        p.g,
        p.b,
        p.a,
        p.r2,
        p.g2,
        p.b2,
        p.a2,
        p.border_r,
        p.border_g,
        p.border_b,
        p.border_a,
    ]
}

/// Runs `program` and notes `block` when it ran past its budget.
fn run_block(
    program: &Program,
    ctx: &mut Context,
    globals: &mut Globals,
    block: BlockId,
    overruns: &mut Vec<BlockId>,
) {
    globals.select_rand_script(block.index());
    if let Err(RunError::BudgetExceeded(_)) = program.run(ctx, globals) {
        overruns.push(block);
    }
}

/// Running the code frame by frame, with MilkDrop 2's rules for what each
/// context sees: per-frame variables start from the preset's values every
/// frame, q1..q32 are reset to their values after the init code before
/// every frame and flow from per-frame code to per-vertex, wave and shape
/// code; t1..t8 of a wave or shape are reset to their values after its init
/// code every frame (and every shape instance) and flow to per-point code.
impl PresetCode {
    /// Runs the init code once, as MilkDrop does when a preset starts:
    /// per-frame init first, then each wave's and shape's init code, which
    /// see q1..q32 as per-frame init left them. Returns the blocks that ran
    /// past their budget.
    pub fn run_init(&mut self, inputs: &FrameInputs) -> Vec<BlockId> {
        let mut overruns = Vec::new();
        let common = inputs.array();
        set_slots(&mut self.frame, &self.frame_slots.common, common);
        run_block(
            &self.frame_init,
            &mut self.frame,
            &mut self.globals,
            BlockId::PerFrameInit,
            &mut overruns,
        );
        self.q_after_init = get_slots(&self.frame, &self.frame_slots.q);
        for (k, w) in self.waves.iter_mut().enumerate() {
            let Some(slots) = w.slots else {
                continue;
            };
            set_slots(&mut w.frame, &slots.frame.common, common);
            set_slots(&mut w.frame, &slots.frame.q, self.q_after_init);
            set_slots(&mut w.frame, &slots.values, wave_frame_values(&w.params));
            run_block(
                &w.init,
                &mut w.frame,
                &mut self.globals,
                BlockId::WaveInit(k),
                &mut overruns,
            );
            w.t_after_init = get_slots(&w.frame, &slots.frame.t);
            w.sync_shared(true);
        }
        for (k, s) in self.shapes.iter_mut().enumerate() {
            let Some(slots) = s.slots else {
                continue;
            };
            set_slots(&mut s.frame, &slots.std.common, common);
            set_slots(&mut s.frame, &slots.std.q, self.q_after_init);
            set_slots(&mut s.frame, &slots.values, shape_file_values(&s.params));
            run_block(
                &s.init,
                &mut s.frame,
                &mut self.globals,
                BlockId::ShapeInit(k),
                &mut overruns,
            );
            s.t_after_init = get_slots(&s.frame, &slots.std.t);
        }
        overruns
    }

    /// Runs the per-frame code for one frame, then hands q1..q32 and the
    /// frame inputs to the per-vertex context. Returns the blocks that ran
    /// past their budget.
    pub fn run_frame(&mut self, inputs: &FrameInputs) -> Vec<BlockId> {
        let mut overruns = Vec::new();
        // Everything but q (reset below) and `monitor` (which carries over)
        // starts from the preset's values (on their way there during a
        // blend).
        if let Some(b) = &self.file_blend {
            // Over for good once past (or before) its span, as MilkDrop 2's.
            if !(inputs.time >= b.start && inputs.time <= b.start + b.seconds) {
                self.file_blend = None;
            }
        }
        self.current = self.file_values_at(inputs.time);
        if self.file_blend.is_some() {
            let defaults = frame_defaults_of(&self.current, &mut self.frame);
            for (id, v) in defaults {
                self.frame.set(id, v);
            }
        } else {
            for &(id, v) in &self.frame_defaults {
                self.frame.set(id, v);
            }
        }
        let common = inputs.array();
        set_slots(&mut self.frame, &self.frame_slots.common, common);
        set_slots(&mut self.frame, &self.frame_slots.q, self.q_after_init);
        run_block(
            &self.per_frame,
            &mut self.frame,
            &mut self.globals,
            BlockId::PerFrame,
            &mut overruns,
        );
        let q = self.q_values();
        set_slots(&mut self.vertex, &self.vertex_slots.common, common);
        set_slots(&mut self.vertex, &self.vertex_slots.q, q);
        overruns
    }

    /// Starts this preset's file values from `from` (the outgoing preset's)
    /// for a soft transition of `seconds` starting at `time`: MilkDrop 2's
    /// `CState::StartBlendFrom`. Its per-frame code then sees `decay`,
    /// `gamma`, `wave_r`, `ob_a`, `mv_l`, ... (not integers and flags, nor
    /// the motion values, see `blend_file_values`) gliding linearly from
    /// the outgoing preset's file values to its own, and the renderer
    /// the same for the main wave's scale, smoothing and volume alpha
    /// range, the warp scale and the hue amount ([`PresetCode::file_values`]).
    /// As in MilkDrop 2, a preset without motion vectors (`mv_a` < 0.001)
    /// following one with them takes the outgoing grid, length and colour
    /// for good, so the old grid fades out where it is.
    pub fn blend_file_values_from(&mut self, from: &BaseValues, time: f64, seconds: f64) {
        if seconds.is_nan() || seconds < 0.001 {
            return;
        }
        if (self.base.mv_a as f32) < 0.001 && from.mv_a as f32 >= 0.001 {
            let b = &mut self.base;
            (b.mv_x, b.mv_y, b.mv_dx, b.mv_dy) = (from.mv_x, from.mv_y, from.mv_dx, from.mv_dy);
            (b.mv_l, b.mv_r, b.mv_g, b.mv_b) = (from.mv_l, from.mv_r, from.mv_g, from.mv_b);
            self.frame_defaults = frame_defaults_of(&self.base, &mut self.frame);
        }
        self.file_blend = Some(FileBlend {
            from: from.clone(),
            start: time,
            seconds,
        });
        self.current = self.file_values_at(time);
    }

    /// The file values at `time` (MilkDrop 2's `CBlendableFloat::eval`):
    /// [`PresetCode::base`], or during a blend the glide to it.
    pub fn file_values_at(&self, time: f64) -> BaseValues {
        match &self.file_blend {
            Some(b) if time >= b.start && time <= b.start + b.seconds => {
                blend_file_values(&b.from, &self.base, (time - b.start) / b.seconds)
            }
            _ => self.base.clone(),
        }
    }

    /// The file values as of the last frame run (see
    /// [`PresetCode::file_values_at`]).
    pub fn file_values(&self) -> &BaseValues {
        &self.current
    }

    /// Scripts of uniform values in [0, 1) for the `rand()` calls of each
    /// code block, replacing earlier ones: a block draws its script's
    /// values in order, then from the seeded generator. For replaying the
    /// numbers another engine drew (see [`Globals::set_rand_scripts`]).
    pub fn set_rand_scripts(&mut self, scripts: impl IntoIterator<Item = (BlockId, Vec<f64>)>) {
        self.globals
            .set_rand_scripts(scripts.into_iter().map(|(b, v)| (b.index(), v)));
    }

    /// Whether `rand()` scripts are set and not cleared since.
    pub fn rand_scripted(&self) -> bool {
        self.globals.rand_scripted()
    }

    /// Ends the `rand()` scripts: the seeded generator only.
    pub fn clear_rand_scripts(&mut self) {
        self.globals.clear_rand_scripts();
    }

    /// How the `rand()` scripts fared: values not used, and calls that
    /// found their block's script used up.
    pub fn rand_script_balance(&self) -> (usize, usize) {
        self.globals.rand_script_balance()
    }

    /// q1..q32 after this frame's per-frame code.
    pub fn q_values(&self) -> [f64; Q_VARS] {
        get_slots(&self.frame, &self.frame_slots.q)
    }

    /// Per-vertex resets for this frame: each motion variable with its
    /// per-frame result, in the order of [`MOTION_VARS`].
    pub fn vertex_resets(&self) -> Vec<(VarId, f64)> {
        self.vertex_inputs[4..]
            .iter()
            .zip(MOTION_VARS)
            .map(|(id, name)| (*id, self.frame.get_named(name)))
            .collect()
    }

    /// Runs wave `k`'s per-frame code (after [`PresetCode::run_frame`]) and
    /// hands q1..q32, t1..t8 and the inputs to its per-point context.
    /// Returns the blocks that ran past their budget.
    pub fn run_wave_frame(&mut self, k: usize, inputs: &FrameInputs) -> Vec<BlockId> {
        let mut overruns = Vec::new();
        let q = self.q_values();
        let Some(w) = self.waves.get_mut(k) else {
            return overruns;
        };
        let Some(slots) = w.slots else {
            return overruns;
        };
        let common = inputs.array();
        // What the per-point code left (only when imitating butterchurn's
        // shared variables; the inputs below are set over it).
        w.sync_shared(false);
        set_slots(&mut w.frame, &slots.frame.common, common);
        set_slots(&mut w.frame, &slots.frame.q, q);
        set_slots(&mut w.frame, &slots.frame.t, w.t_after_init);
        set_slots(&mut w.frame, &slots.values, wave_frame_values(&w.params));
        run_block(
            &w.per_frame,
            &mut w.frame,
            &mut self.globals,
            BlockId::WavePerFrame(k),
            &mut overruns,
        );
        w.sync_shared(true);
        let t = get_slots(&w.frame, &slots.frame.t);
        let q = get_slots(&w.frame, &slots.frame.q);
        set_slots(&mut w.point, &slots.point.common, common);
        set_slots(&mut w.point, &slots.point.q, q);
        set_slots(&mut w.point, &slots.point.t, t);
        overruns
    }

    /// Imitates butterchurn, whose custom wave runs its init, per-frame and
    /// per-point code on one set of variables: what the init or per-frame
    /// code sets, the per-point code reads, and the other way round.
    /// MilkDrop 2 gives a wave two VMs (`m_pf_eel` for init and per-frame,
    /// `m_pp_eel` for per-point, state.cpp), which share only q1..q32 and
    /// t1..t8, so a per-point variable starts at 0 whatever the init code
    /// set. Call before the init code runs; for comparisons with
    /// butterchurn only.
    pub fn share_wave_variables(&mut self) {
        for w in &mut self.waves {
            w.shared = w
                .point
                .iter()
                .zip(0..)
                .filter_map(|((name, _), i)| Some((w.frame.lookup(name)?, VarId(i))))
                .collect();
        }
    }

    /// Runs shape `k`'s per-frame code for one instance (after
    /// [`PresetCode::run_frame`]): the shape's variables start from its file
    /// values, t1..t8 from their values after init. The results are in
    /// `self.shapes[k].frame`. Returns the blocks that ran past their budget.
    pub fn run_shape_instance(
        &mut self,
        k: usize,
        instance: usize,
        inputs: &FrameInputs,
    ) -> Vec<BlockId> {
        let mut overruns = Vec::new();
        let q = self.q_values();
        let Some(s) = self.shapes.get_mut(k) else {
            return overruns;
        };
        let Some(slots) = s.slots else {
            return overruns;
        };
        set_slots(&mut s.frame, &slots.std.common, inputs.array());
        set_slots(&mut s.frame, &slots.std.q, q);
        set_slots(&mut s.frame, &slots.std.t, s.t_after_init);
        set_slots(&mut s.frame, &slots.values, shape_file_values(&s.params));
        s.frame.set(slots.values[SHAPE_INSTANCE], instance as f64);
        run_block(
            &s.per_frame,
            &mut s.frame,
            &mut self.globals,
            BlockId::ShapePerFrame(k),
            &mut overruns,
        );
        overruns
    }
}
