//! `.milk` files: reading any bytes must not panic, a preset must survive a
//! round trip through the writer, and its code must compile and run (within
//! a small budget) without panicking.

#![no_main]

use libfuzzer_sys::fuzz_target;
use milk_parser::eel::{Context, Globals, Limits, VarId, VertexJob, VertexMode, VertexProgram};
use milk_parser::{CodeOptions, Preset, PresetCode};

const VERTICES: usize = 70;

fn run_vertex(p: &VertexProgram, ctx: &mut Context, globals: &mut Globals, inputs: &[VarId]) {
    let xs: Vec<f64> = (0..VERTICES).map(|i| i as f64 / 35.0 - 1.0).collect();
    let varying: Vec<(VarId, &[f64])> =
        inputs.iter().take(2).map(|&v| (v, xs.as_slice())).collect();
    let reset: Vec<(VarId, f64)> = inputs.iter().skip(2).map(|&v| (v, 0.5)).collect();
    let mut col = vec![0.0; VERTICES];
    let mut outputs: Vec<(VarId, &mut [f64])> = Vec::new();
    if let Some(&first) = inputs.first() {
        outputs.push((first, col.as_mut_slice()));
    }
    let mut job = VertexJob {
        count: VERTICES,
        varying: &varying,
        reset: &reset,
        outputs: &mut outputs,
    };
    let _ = p.run(ctx, globals, &mut job, VertexMode::Auto);
}

fuzz_target!(|data: &[u8]| {
    let Ok(p) = Preset::from_bytes(data) else {
        return;
    };

    let text = p.to_milk();
    let again = Preset::parse(&text).expect("the writer's output parses");
    assert_eq!(
        again.without_locations(),
        p.without_locations(),
        "round trip changed the preset; written as:\n{text}"
    );

    let options = CodeOptions {
        seed: 0,
        limits: Limits {
            instructions: 100_000,
            memory_bytes: 8 << 20,
        },
        ..CodeOptions::default()
    };
    let mut code = PresetCode::compile(&p, options);
    let globals = &mut code.globals;
    let _ = code.frame_init.run(&mut code.frame, globals);
    let _ = code.per_frame.run(&mut code.frame, globals);
    if let Some(pv) = &code.per_vertex {
        run_vertex(pv, &mut code.vertex, globals, &code.vertex_inputs);
    }
    for w in &mut code.waves {
        let _ = w.init.run(&mut w.frame, globals);
        let _ = w.per_frame.run(&mut w.frame, globals);
        if let Some(pp) = &w.per_point {
            run_vertex(pp, &mut w.point, globals, &w.point_inputs);
        }
    }
    for s in &mut code.shapes {
        let _ = s.init.run(&mut s.frame, globals);
        let _ = s.per_frame.run(&mut s.frame, globals);
    }
});
