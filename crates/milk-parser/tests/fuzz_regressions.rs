//! Inputs found by the fuzz targets in `fuzz/` (see `fuzz/README.md`),
//! minimized, with the behaviour they must have.

use milk_parser::eel::{
    CompileOptions, Context, Globals, Limits, Program, VarId, VertexJob, VertexMode, VertexProgram,
};
use milk_parser::{CodeOptions, Preset, PresetCode};

const INPUTS: [&str; 5] = ["x", "y", "rad", "ang", "zoom"];
const VERTICES: usize = 70;

fn small_limits() -> Limits {
    Limits {
        instructions: 100_000,
        memory_bytes: 8 << 20,
    }
}

/// Runs `src` as per-vertex code over 70 vertices (as the `eel` fuzz target
/// does); returns whether it ran batched, the output columns of the inputs
/// and the final context.
fn run_vertex(src: &str, mode: VertexMode) -> (bool, Vec<Vec<f64>>, Vec<(String, f64)>) {
    let mut ctx = Context::new();
    let inputs: Vec<VarId> = INPUTS.iter().map(|n| ctx.var(n)).collect();
    let program = VertexProgram::compile(src, &mut ctx, CompileOptions::default(), &inputs)
        .expect("compiles");
    let mut globals = Globals::new(1, small_limits());
    let xs: Vec<f64> = (0..VERTICES).map(|i| i as f64 / 35.0 - 1.0).collect();
    let ys: Vec<f64> = (0..VERTICES)
        .map(|i| ((i * 7) % 13) as f64 / 6.5 - 1.0)
        .collect();
    let rad: Vec<f64> = xs
        .iter()
        .zip(&ys)
        .map(|(x, y)| (x * x + y * y).sqrt())
        .collect();
    let ang: Vec<f64> = xs.iter().zip(&ys).map(|(x, y)| y.atan2(*x)).collect();
    let varying = [
        (inputs[0], xs.as_slice()),
        (inputs[1], ys.as_slice()),
        (inputs[2], rad.as_slice()),
        (inputs[3], ang.as_slice()),
    ];
    let reset = [(inputs[4], 1.01)];
    let mut cols = vec![vec![f64::NAN; VERTICES]; inputs.len()];
    {
        let mut outputs: Vec<(VarId, &mut [f64])> = inputs
            .iter()
            .copied()
            .zip(cols.iter_mut().map(|c| c.as_mut_slice()))
            .collect();
        let mut job = VertexJob {
            count: VERTICES,
            varying: &varying,
            reset: &reset,
            outputs: &mut outputs,
        };
        program
            .run(&mut ctx, &mut globals, &mut job, mode)
            .expect("runs within budget");
    }
    let context = ctx.iter().map(|(k, v)| (k.to_owned(), v)).collect();
    (program.is_batched(), cols, context)
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// The batched and the scalar VM agree bit for bit on `src`.
fn assert_batched_equals_scalar(src: &str) {
    let (_, auto, auto_ctx) = run_vertex(src, VertexMode::Auto);
    let (_, scalar, scalar_ctx) = run_vertex(src, VertexMode::Scalar);
    for (k, (ca, cs)) in auto.iter().zip(&scalar).enumerate() {
        for (i, (a, s)) in ca.iter().zip(cs).enumerate() {
            assert!(
                same(*a, *s),
                "{src:?}: output {} of vertex {i}: auto {a:?} vs scalar {s:?}",
                INPUTS[k]
            );
        }
    }
    assert_eq!(auto_ctx.len(), scalar_ctx.len());
    for ((name, a), (_, s)) in auto_ctx.iter().zip(&scalar_ctx) {
        assert!(
            same(*a, *s),
            "{src:?}: context {name}: auto {a:?} vs scalar {s:?}"
        );
    }
}

/// Parses, round-trips, compiles and runs a preset as the `preset_file`
/// fuzz target does.
#[allow(dead_code)]
fn check_preset(bytes: &[u8]) {
    let Ok(p) = Preset::from_bytes(bytes) else {
        return;
    };
    let again = Preset::parse(&p.to_milk()).expect("the writer's output parses");
    assert_eq!(again.without_locations(), p.without_locations());
    let mut code = PresetCode::compile(
        &p,
        CodeOptions {
            seed: 0,
            limits: small_limits(),
            ..CodeOptions::default()
        },
    );
    let _ = code.frame_init.run(&mut code.frame, &mut code.globals);
    let _ = code.per_frame.run(&mut code.frame, &mut code.globals);
}

#[allow(dead_code)]
fn check_eel(src: &str) {
    let mut ctx = Context::new();
    if let Ok(p) = Program::compile(src, &mut ctx, CompileOptions::default()) {
        let _ = p.run(&mut ctx, &mut Globals::new(0, small_limits()));
    }
}

// Found by review while fuzzing (the `eel` target's batched-vs-scalar
// check): the batched VM computed `min`/`max` with `f64::min`/`f64::max`,
// which ignore a NaN operand, while the scalar VM computed them otherwise.
// Both now follow MilkDrop 2's x87 compare (an unordered `fcomp` sets C0):
// `min(a, b)` keeps `a` and `max(a, b)` `b` when one is NaN.
#[test]
fn min_max_with_nan_agree_between_batched_and_scalar() {
    // `exp(1000) - exp(1000)` is inf - inf = NaN (a variable cannot hold
    // NaN: assignment stores it as 0).
    let src = "zoom = min(1, exp(1000) - exp(1000)) + 1; y = max(exp(1000) - exp(1000), x) + 1; \
               rad = max(1, exp(1000) - exp(1000)) * 2; ang = min(exp(1000) - exp(1000), x) * 3;";
    assert!(run_vertex(src, VertexMode::Auto).0, "should run batched");
    assert_batched_equals_scalar(src);
    let (_, scalar, _) = run_vertex(src, VertexMode::Scalar);
    // min(1, NaN) is 1, so zoom is 2; max(NaN, x) is x.
    assert_eq!(scalar[4][0], 2.0);
}

#[test]
fn min_max_of_signed_zeros_agree_between_batched_and_scalar() {
    let src = "zoom = atan2(min(0, -0), -1); y = atan2(max(-0, 0), -1); \
               rad = atan2(min(-0, 0), -1); ang = atan2(max(0, -0), -1);";
    assert!(run_vertex(src, VertexMode::Auto).0, "should run batched");
    assert_batched_equals_scalar(src);
}

// Variable names count only up to 16 characters, so these two names are the
// same variable, which carries its value from one vertex to the next; the
// batching analysis compared full names and batched the code anyway.
#[test]
fn names_equal_in_16_chars_alias_in_the_batching_analysis() {
    let src = "zoom = abcdefghijklmnopX; abcdefghijklmnopY = x;";
    assert_batched_equals_scalar(src);
}

// Found by the `eel` target (2026-12-06, from `pow(2.718, sin(... / !rad))`
// in a cream-of-the-crop preset's per-pixel code): the batched VM's `sin`
// and `cos` sent NaN lanes down the fast kernel, which gives 0 for them,
// while the scalar VM (as x87's `fsin`) gives NaN. `=` stores either as 0,
// so only a NaN that went on into another function showed it:
// `pow(2.718, sin(0/0))` was 1 batched, NaN (stored as 0) scalar.
#[test]
fn sine_of_nan_is_nan_in_the_batched_vm_too() {
    // At vertices away from the centre `!rad` is 0, so `bass / !rad` is
    // 0/0, NaN.
    let src = "zoom = pow(2.718, sin(bass / !rad)); y = pow(2, cos(bass / !rad)) + 1; \
               ang = pow(2, sin(1 / !rad));";
    assert!(run_vertex(src, VertexMode::Auto).0, "should run batched");
    assert_batched_equals_scalar(src);
    let (_, scalar, _) = run_vertex(src, VertexMode::Scalar);
    // NaN all the way, stored as 0; sin(1/0) = sin(inf) is NaN too.
    assert_eq!((scalar[4][0], scalar[1][0], scalar[3][0]), (0.0, 0.0, 0.0));
}
