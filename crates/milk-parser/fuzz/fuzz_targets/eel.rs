//! Equation code: the parser and compiler must not panic on any text, a
//! compiled program must run within its budget, and per-vertex code must give
//! bit-identical results on the batched and the scalar VM.

#![no_main]

use libfuzzer_sys::fuzz_target;
use milk_parser::eel::{
    CompileOptions, Context, Globals, Limits, Program, VarId, VertexJob, VertexMode, VertexProgram,
};

const INPUTS: [&str; 5] = ["x", "y", "rad", "ang", "zoom"];
/// More than one batch of 64 lanes, and a partial second batch.
const VERTICES: usize = 70;

fn limits() -> Limits {
    Limits {
        instructions: 100_000,
        memory_bytes: 8 << 20,
    }
}

struct Outcome {
    ok: bool,
    outputs: Vec<Vec<f64>>,
    context: Vec<(String, f64)>,
}

fn run_vertex(src: &str, mode: VertexMode) -> Option<Outcome> {
    let mut ctx = Context::new();
    let inputs: Vec<VarId> = INPUTS.iter().map(|n| ctx.var(n)).collect();
    let q1 = ctx.var("q1");
    ctx.set(q1, 0.7);
    let program = VertexProgram::compile(src, &mut ctx, CompileOptions::default(), &inputs).ok()?;
    let mut globals = Globals::new(
        1,
        Limits {
            instructions: 1_000_000,
            memory_bytes: 8 << 20,
        },
    );
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
    let ok = {
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
        program.run(&mut ctx, &mut globals, &mut job, mode).is_ok()
    };
    Some(Outcome {
        ok,
        outputs: cols,
        context: ctx.iter().map(|(k, v)| (k.to_owned(), v)).collect(),
    })
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);

    let mut ctx = Context::new();
    if let Ok(program) = Program::compile(&src, &mut ctx, CompileOptions::default()) {
        let mut globals = Globals::new(0, limits());
        let _ = program.run(&mut ctx, &mut globals);
    }

    let Some(auto) = run_vertex(&src, VertexMode::Auto) else {
        return;
    };
    let scalar = run_vertex(&src, VertexMode::Scalar).expect("compiles the second time too");
    // The batched VM has no instruction budget (batched code has no loops);
    // compare only when the scalar run finished within its budget.
    if !scalar.ok {
        return;
    }
    assert!(auto.ok, "auto failed where scalar succeeded\n{src}");
    for (k, (ca, cs)) in auto.outputs.iter().zip(&scalar.outputs).enumerate() {
        for (i, (a, s)) in ca.iter().zip(cs).enumerate() {
            assert!(
                same(*a, *s),
                "output {} vertex {i}: auto {a:?} vs scalar {s:?}\n{src}",
                INPUTS[k]
            );
        }
    }
    assert_eq!(
        auto.context.len(),
        scalar.context.len(),
        "context sizes\n{src}"
    );
    for ((name, a), (name_s, s)) in auto.context.iter().zip(&scalar.context) {
        assert_eq!(name, name_s);
        assert!(
            same(*a, *s),
            "context {name}: auto {a:?} vs scalar {s:?}\n{src}"
        );
    }
});
