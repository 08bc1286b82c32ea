//! The batched per-vertex VM gives bit-identical results to the scalar VM.

use milk_parser::eel::{
    CompileOptions, Context, Globals, Limits, VarId, VertexJob, VertexMode, VertexProgram,
};
use proptest::prelude::*;

const INPUTS: [&str; 6] = ["x", "y", "rad", "ang", "zoom", "rot"];
const READ_ONLY: [&str; 3] = ["q1", "time", "reg05"];
const USER: [&str; 3] = ["a", "b", "c"];

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "0", "1", "-1", "0.5", "2", "0.00001", "0.000005", "1e-3", "3.75", "100", "$PI",
        ])
        .prop_map(str::to_owned),
        (-50.0f64..50.0).prop_map(|v| format!("{v:.4}")),
        prop::sample::select(INPUTS.to_vec()).prop_map(str::to_owned),
        prop::sample::select(READ_ONLY.to_vec()).prop_map(str::to_owned),
        prop::sample::select(USER.to_vec()).prop_map(str::to_owned),
    ]
}

fn expr() -> impl Strategy<Value = String> {
    leaf().prop_recursive(5, 48, 3, |inner| {
        let bin_ops = vec![
            "+", "-", "*", "/", "%", "^", "|", "&", "==", "!=", "<", ">", "<=", ">=", "&&", "||",
        ];
        let f1 = vec![
            "sin", "cos", "abs", "sqrt", "sqr", "bnot", "int", "sign", "log", "exp", "asin",
            "floor", "invsqrt", "atan",
        ];
        let f2 = vec![
            "min", "max", "above", "below", "equal", "band", "bor", "sigmoid", "atan2", "pow",
        ];
        let targets: Vec<&str> = USER.iter().chain(&INPUTS).copied().collect();
        prop_oneof![
            (inner.clone(), prop::sample::select(bin_ops), inner.clone())
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            (prop::sample::select(f1), inner.clone()).prop_map(|(f, a)| format!("{f}({a})")),
            (prop::sample::select(f2), inner.clone(), inner.clone())
                .prop_map(|(f, a, b)| format!("{f}({a}, {b})")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("if({c}, {a}, {b})")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("({c} ? {a} : {b})")),
            (prop::sample::select(targets.clone()), inner.clone())
                .prop_map(|(t, v)| format!("({t} = {v})")),
            (
                prop::sample::select(targets),
                prop::sample::select(vec!["+=", "-=", "*=", "/="]),
                inner.clone()
            )
                .prop_map(|(t, op, v)| format!("({t} {op} {v})")),
            prop::sample::select(vec!["-", "!"])
                .prop_flat_map(move |op| inner.clone().prop_map(move |a| format!("{op}{a}"))),
        ]
    })
}

/// A per-vertex program: user variables are set first most of the time, so
/// many generated programs are batchable.
fn program() -> impl Strategy<Value = String> {
    let stmt = (
        prop::sample::select(USER.iter().chain(&INPUTS).copied().collect::<Vec<_>>()),
        expr(),
    )
        .prop_map(|(t, e)| format!("{t} = {e};"));
    (any::<bool>(), prop::collection::vec(stmt, 1..6)).prop_map(|(init, stmts)| {
        let mut s = String::new();
        if init {
            s.push_str("a = x * 2; b = rad; c = 0.25;\n");
        }
        s.push_str(&stmts.join("\n"));
        s
    })
}

struct Outcome {
    outputs: Vec<Vec<f64>>,
    context: Vec<(String, f64)>,
    batched: bool,
}

fn run(src: &str, mode: VertexMode, xs: &[f64], ys: &[f64]) -> Outcome {
    let mut ctx = Context::new();
    let inputs: Vec<VarId> = INPUTS.iter().map(|n| ctx.var(n)).collect();
    let q1 = ctx.var("q1");
    ctx.set(q1, 0.7);
    let time = ctx.var("time");
    ctx.set(time, 12.5);
    let mut globals = Globals::new(7, Limits::default());
    globals.regs[5] = -3.0;
    let program = VertexProgram::compile(src, &mut ctx, CompileOptions::default(), &inputs)
        .expect("generated code compiles");
    let n = xs.len();
    let rad: Vec<f64> = xs
        .iter()
        .zip(ys)
        .map(|(x, y)| (x * x + y * y).sqrt())
        .collect();
    let ang: Vec<f64> = xs.iter().zip(ys).map(|(x, y)| y.atan2(*x)).collect();
    let varying = [
        (inputs[0], xs),
        (inputs[1], ys),
        (inputs[2], rad.as_slice()),
        (inputs[3], ang.as_slice()),
    ];
    let reset = [(inputs[4], 1.01), (inputs[5], 0.02)];
    let out_vars: Vec<VarId> = ["zoom", "rot", "a", "b", "x"]
        .iter()
        .map(|n| ctx.var(n))
        .collect();
    let mut cols = vec![vec![f64::NAN; n]; out_vars.len()];
    {
        let mut outputs: Vec<(VarId, &mut [f64])> = out_vars
            .iter()
            .copied()
            .zip(cols.iter_mut().map(|c| c.as_mut_slice()))
            .collect();
        let mut job = VertexJob {
            count: n,
            varying: &varying,
            reset: &reset,
            outputs: &mut outputs,
        };
        program
            .run(&mut ctx, &mut globals, &mut job, mode)
            .expect("runs");
    }
    Outcome {
        outputs: cols,
        context: ctx.iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        batched: program.is_batched(),
    }
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn batched_equals_scalar(
        src in program(),
        points in prop::collection::vec((-1.0f64..1.0, -1.0f64..1.0), 1..200),
    ) {
        let (xs, ys): (Vec<f64>, Vec<f64>) = points.into_iter().unzip();
        let batched = run(&src, VertexMode::Auto, &xs, &ys);
        let scalar = run(&src, VertexMode::Scalar, &xs, &ys);
        for (col_b, col_s) in batched.outputs.iter().zip(&scalar.outputs) {
            for (i, (b, s)) in col_b.iter().zip(col_s).enumerate() {
                prop_assert!(same(*b, *s), "vertex {i}: batched {b} vs scalar {s}\n{src}");
            }
        }
        for ((name, b), (_, s)) in batched.context.iter().zip(&scalar.context) {
            prop_assert!(same(*b, *s), "context {name}: batched {b} vs scalar {s}\n{src}");
        }
    }
}

#[test]
fn generated_programs_are_mostly_batchable() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = program();
    let mut batched = 0;
    for _ in 0..200 {
        let src = strategy.new_tree(&mut runner).unwrap().current();
        batched += usize::from(run(&src, VertexMode::Auto, &[0.1, 0.2], &[0.3, 0.4]).batched);
    }
    assert!(
        batched > 60,
        "only {batched} of 200 generated programs were batched"
    );
}

#[test]
fn carried_variables_force_the_scalar_path() {
    let mut ctx = Context::new();
    let inputs: Vec<VarId> = INPUTS.iter().map(|n| ctx.var(n)).collect();
    let o = CompileOptions::default();
    let carried = VertexProgram::compile("n = n + 1; zoom = n", &mut ctx, o, &inputs).unwrap();
    assert!(!carried.is_batched());
    let pure =
        VertexProgram::compile("t = x * 2; zoom = zoom + t * q1", &mut ctx, o, &inputs).unwrap();
    assert!(pure.is_batched());
    let side = VertexProgram::compile("zoom = rand(2)", &mut ctx, o, &inputs).unwrap();
    assert!(!side.is_batched());
    let mem = VertexProgram::compile("zoom = megabuf(3)", &mut ctx, o, &inputs).unwrap();
    assert!(!mem.is_batched());
    let cond = VertexProgram::compile("if(x, k = 1, 0); zoom = k", &mut ctx, o, &inputs).unwrap();
    assert!(!cond.is_batched());
    let both =
        VertexProgram::compile("if(x, k = 1, k = 2); zoom = k", &mut ctx, o, &inputs).unwrap();
    assert!(both.is_batched());
    // Scalar and batched agree on a carried counter's effect.
    let xs: Vec<f64> = (0..130).map(|i| i as f64 / 130.0).collect();
    let a = run("a = a + 1; zoom = a", VertexMode::Auto, &xs, &xs);
    assert!(!a.batched);
    assert_eq!(a.outputs[0][129], 130.0);
}

#[test]
fn huge_trig_arguments_batched_as_scalar() {
    // `sin(sample * pow(2*pi, 21))`-style code: arguments near 1e17 take
    // the exact path in both VMs (and are not flattened to 0).
    let src = "a = sin(x * 5.4e16 + 0.3); b = cos(y * 3.0e17); zoom = sin(x);";
    let xs = [0.1, 0.25, -0.7, 0.9, 0.0, 0.33];
    let ys = [0.2, -0.5, 0.6, 0.05, 1.0, -0.9];
    let batched = run(src, VertexMode::Auto, &xs, &ys);
    let scalar = run(src, VertexMode::Scalar, &xs, &ys);
    assert!(batched.batched);
    for (col_b, col_s) in batched.outputs.iter().zip(&scalar.outputs) {
        for (b, s) in col_b.iter().zip(col_s) {
            assert!(same(*b, *s), "batched {b} vs scalar {s}");
        }
    }
    // outputs: zoom, rot, a, b, x
    for (i, x) in xs.iter().enumerate().filter(|(_, x)| **x != 0.0) {
        assert_eq!(batched.outputs[2][i], (x * 5.4e16 + 0.3).sin());
    }
    assert!(batched.outputs[3].iter().any(|v| v.abs() > 0.1));
}
