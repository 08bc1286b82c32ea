//! Per-vertex (per-pixel) code of real corpus presets over MilkDrop's default
//! 48x36 warp mesh (49 * 37 = 1813 vertices), batched (`VertexMode::Auto`)
//! and scalar (`VertexMode::Scalar`). Throughput is in vertices, so
//! ns/vertex = 1000 / (Melem/s).

use std::hint::black_box;
use std::time::Instant;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use milk_parser::Preset;
use milk_parser::code::{COMMON_INPUTS, MOTION_VARS, Q_NAMES, VERTEX_INPUTS};
use milk_parser::eel::{
    CompileOptions, Context, Globals, Limits, RunError, VarId, VertexJob, VertexMode, VertexProgram,
};
use milk_parser::preset::BlockId;

mod common;

const MESH_X: usize = 48;
const MESH_Y: usize = 36;
const VERTICES: usize = (MESH_X + 1) * (MESH_Y + 1);

/// (bench id, corpus path, why it was picked).
const PROGRAMS: &[(&str, &str, &str)] = &[
    (
        "short_xtramartin453",
        "cream-of-the-crop/Geometric/Tunnel Spheres/xtramartin (453).milk",
        "one-line zoom tweak",
    ),
    (
        "medium_redi_jedi_traffic_jam",
        "cream-of-the-crop/Drawing/Trails Mirror/Redi Jedi - Time travling through a traffic jam.milk",
        "rot/zoom with if/equal/%/sin (corpus median length)",
    ),
    (
        "medium_suksma_dr_horicon",
        "cream-of-the-crop/Drawing/Trails/suksma + flexi geiss rovastar roosta demonld shifter - dr horicon willn't ignore - flx chr roam.milk",
        "dx/dy/rot with if/above/sin/cos/tan",
    ),
    (
        "long_suksma_spincycle",
        "cream-of-the-crop/Dancer/Blobby/suksma - shifter - spincycle + labor of others.milk",
        "long: pow/acos/sign/sin/cos over several attractors",
    ),
    (
        "long_carried_fwen_wallet",
        "cream-of-the-crop/Reaction/Liquid Blobby/f wen blew my wallet nz.milk",
        "long, reads 'thresh' before writing it (not batchable)",
    ),
];

/// The mesh as MilkDrop builds it: x, y in [0, 1], rad and ang from the
/// centred coordinates (rad = |(2x-1, 2y-1)| * 0.7071).
// MilkDrop writes 0.7071, not 1/sqrt(2): keep its constant.
#[allow(clippy::approx_constant)]
fn mesh() -> [Vec<f64>; 4] {
    let (mut xs, mut ys, mut rads, mut angs) = (vec![], vec![], vec![], vec![]);
    for j in 0..=MESH_Y {
        for i in 0..=MESH_X {
            let x = i as f64 / MESH_X as f64;
            let y = j as f64 / MESH_Y as f64;
            let (u, v) = ((x - 0.5) * 2.0, (y - 0.5) * 2.0);
            xs.push(x);
            ys.push(y);
            rads.push((u * u + v * v).sqrt() * 0.7071);
            angs.push(v.atan2(u));
        }
    }
    [xs, ys, rads, angs]
}

/// Per-frame defaults the motion variables are reset to before each vertex.
const MOTION_DEFAULTS: [f64; 10] = [1.0, 1.0, 0.0, 1.0, 0.5, 0.5, 0.0, 0.0, 1.0, 1.0];

struct Setup {
    ctx: Context,
    globals: Globals,
    program: VertexProgram,
    inputs: Vec<VarId>,
    outputs: Vec<VarId>,
}

/// A vertex context as `PresetCode::compile` builds it, with plausible
/// frame inputs (time, audio levels, q variables).
fn setup(src: &str) -> Setup {
    let mut ctx = Context::with_capacity(96);
    let inputs: Vec<VarId> = VERTEX_INPUTS.iter().map(|n| ctx.var(n)).collect();
    for n in COMMON_INPUTS {
        ctx.var(n);
    }
    let frame_values = [
        ("time", 12.34),
        ("fps", 60.0),
        ("frame", 740.0),
        ("progress", 0.3),
        ("bass", 1.2),
        ("mid", 0.9),
        ("treb", 1.05),
        ("bass_att", 1.1),
        ("mid_att", 0.95),
        ("treb_att", 1.0),
        ("meshx", MESH_X as f64),
        ("meshy", MESH_Y as f64),
        ("pixelsx", 1280.0),
        ("pixelsy", 720.0),
        ("aspectx", 0.5625),
        ("aspecty", 1.0),
    ];
    for (n, v) in frame_values {
        let id = ctx.var(n);
        ctx.set(id, v);
    }
    for (k, n) in Q_NAMES.iter().enumerate() {
        let id = ctx.var(n);
        ctx.set(id, 0.3 + 0.05 * k as f64);
    }
    let program = VertexProgram::compile(src, &mut ctx, CompileOptions::default(), &inputs)
        .expect("per-pixel code compiles");
    let outputs = MOTION_VARS.iter().map(|n| ctx.var(n)).collect();
    Setup {
        ctx,
        globals: Globals::new(0, Limits::default()),
        program,
        inputs,
        outputs,
    }
}

fn run_once(s: &mut Setup, mesh: &[Vec<f64>; 4], cols: &mut [Vec<f64>], mode: VertexMode) {
    try_run(s, mesh, cols, mode).expect("runs within budget");
}

fn try_run(
    s: &mut Setup,
    mesh: &[Vec<f64>; 4],
    cols: &mut [Vec<f64>],
    mode: VertexMode,
) -> Result<(), RunError> {
    let varying = [
        (s.inputs[0], mesh[0].as_slice()),
        (s.inputs[1], mesh[1].as_slice()),
        (s.inputs[2], mesh[2].as_slice()),
        (s.inputs[3], mesh[3].as_slice()),
    ];
    let reset: [(VarId, f64); 10] = std::array::from_fn(|k| (s.inputs[4 + k], MOTION_DEFAULTS[k]));
    let mut outputs: Vec<(VarId, &mut [f64])> = s
        .outputs
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
    s.program.run(&mut s.ctx, &mut s.globals, &mut job, mode)
}

fn per_vertex(c: &mut Criterion) {
    let mesh = mesh();
    assert_eq!(mesh[0].len(), VERTICES);
    let mut g = c.benchmark_group("per_vertex");
    g.throughput(Throughput::Elements(VERTICES as u64));
    for &(id, path, why) in PROGRAMS {
        let preset = Preset::from_bytes(&kefir_corpus::read(path)).expect("preset parses");
        let src = preset
            .block(BlockId::PerPixel)
            .map(|b| b.text.clone())
            .unwrap_or_default();
        let mut s = setup(&src);
        eprintln!(
            "{id}: {path}\n  {why}; {} bytes, {} nodes, batched: {}{}",
            src.len(),
            milk_parser::eel::parse(&src).map_or(0, |a| a.size()),
            s.program.is_batched(),
            match s.program.scalar_reason() {
                Some(r) => format!(" (scalar because {r})"),
                None => format!(" ({} batch instructions)", s.program.batch_instructions()),
            }
        );
        let mut cols = vec![vec![0.0; VERTICES]; MOTION_VARS.len()];
        for (mode, name) in [(VertexMode::Auto, "auto"), (VertexMode::Scalar, "scalar")] {
            g.bench_function(BenchmarkId::new(name, id), |b| {
                b.iter(|| {
                    run_once(&mut s, &mesh, &mut cols, mode);
                    black_box(&cols);
                })
            });
        }
    }
    g.finish();
}

/// Every batchable per-pixel program of the corpus: first a one-off
/// distribution of ns/vertex (best of 5 runs per program, printed), then
/// criterion over all of them in turn, batched and scalar (throughput in
/// vertices, so 1000 / (Melem/s) is the corpus-wide mean ns/vertex).
fn per_vertex_corpus(c: &mut Criterion) {
    let mesh = mesh();
    let mut cols = vec![vec![0.0; VERTICES]; MOTION_VARS.len()];
    let (mut with_code, mut failed) = (0, 0);
    let mut batched = Vec::new();
    for (_, bytes) in kefir_corpus::read_all() {
        let Ok(preset) = Preset::from_bytes(&bytes) else {
            continue;
        };
        let Some(block) = preset.block(BlockId::PerPixel).filter(|b| !b.is_empty()) else {
            continue;
        };
        with_code += 1;
        let mut ctx = Context::new();
        let inputs: Vec<VarId> = VERTEX_INPUTS.iter().map(|n| ctx.var(n)).collect();
        match VertexProgram::compile(&block.text, &mut ctx, CompileOptions::default(), &inputs) {
            Ok(p) if p.is_batched() => {
                let mut s = setup(&block.text);
                if try_run(&mut s, &mesh, &mut cols, VertexMode::Scalar).is_ok() {
                    batched.push(s);
                } else {
                    failed += 1;
                }
            }
            Ok(_) => {}
            Err(_) => failed += 1,
        }
    }
    let best_ns = |s: &mut Setup, cols: &mut [Vec<f64>], mode| {
        (0..5)
            .map(|_| {
                let t = Instant::now();
                let _ = try_run(s, &mesh, cols, mode);
                t.elapsed().as_nanos() as f64 / VERTICES as f64
            })
            .fold(f64::INFINITY, f64::min)
    };
    let mut auto: Vec<f64> = Vec::new();
    let mut scalar: Vec<f64> = Vec::new();
    for s in &mut batched {
        auto.push(best_ns(s, &mut cols, VertexMode::Auto));
        scalar.push(best_ns(s, &mut cols, VertexMode::Scalar));
    }
    let pct = |v: &mut Vec<f64>, name: &str| {
        v.sort_by(f64::total_cmp);
        let p = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
        let under = v.iter().filter(|&&x| x < 20.0).count();
        eprintln!(
            "  {name:6}: ns/vertex p10 {:.1}, p25 {:.1}, median {:.1}, p75 {:.1}, p90 {:.1}; \
             under 20 ns: {under}/{} ({:.0}%)",
            p(0.1),
            p(0.25),
            p(0.5),
            p(0.75),
            p(0.9),
            v.len(),
            100.0 * under as f64 / v.len() as f64
        );
    };
    eprintln!(
        "per_vertex_corpus: {with_code} presets with per-pixel code, {} batched \
         ({failed} failed to compile or run)",
        batched.len()
    );
    pct(&mut auto, "auto");
    pct(&mut scalar, "scalar");

    let mut g = c.benchmark_group("per_vertex_corpus");
    g.sample_size(10);
    g.throughput(Throughput::Elements((VERTICES * batched.len()) as u64));
    for (mode, name) in [(VertexMode::Auto, "auto"), (VertexMode::Scalar, "scalar")] {
        g.bench_function(name, |b| {
            b.iter(|| {
                for s in batched.iter_mut() {
                    let _ = try_run(s, &mesh, &mut cols, mode);
                }
                black_box(&cols);
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = per_vertex, per_vertex_corpus
}
criterion_main!(benches);
