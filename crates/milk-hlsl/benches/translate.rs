//! Translation time per shader: every enabled warp/comp shader of the
//! shared corpus, translated (parse, check, WGSL, naga parse + validate +
//! WGSL out) one after the other; per-shader time = iteration time / n.
//!
//! `cargo bench -p milk-hlsl --bench translate`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use milk_hlsl::{Stage, translate};
use milk_parser::Preset;
use milk_parser::preset::CodeBlock;

fn shaders() -> Vec<(CodeBlock, Stage)> {
    let files = kefir_corpus::milk_files();
    let mut out = Vec::new();
    for f in files {
        let Ok(bytes) = std::fs::read(&f) else {
            continue;
        };
        let Ok(p) = Preset::from_bytes(&bytes) else {
            continue;
        };
        if let Some(b) = p
            .warp_shader
            .filter(|b| p.ps_version_warp > 0 && !b.is_empty())
        {
            out.push((b, Stage::Warp));
        }
        if let Some(b) = p
            .comp_shader
            .filter(|b| p.ps_version_comp > 0 && !b.is_empty())
        {
            out.push((b, Stage::Comp));
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let all = shaders();
    assert!(!all.is_empty(), "no shaders in the preset corpus");
    eprintln!("{} shaders", all.len());
    // Per-shader distribution (best of 3 runs each), which the batch
    // benchmark below cannot show.
    let mut times: Vec<f64> = all
        .iter()
        .map(|(block, stage)| {
            (0..3)
                .map(|_| {
                    let t = std::time::Instant::now();
                    let _ = black_box(translate(black_box(block), *stage));
                    t.elapsed().as_secs_f64() * 1e3
                })
                .fold(f64::INFINITY, f64::min)
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    eprintln!(
        "per shader (ms): p10 {:.2}, median {:.2}, p90 {:.2}, p99 {:.2}, max {:.2}",
        pct(0.1),
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0)
    );
    let mut g = c.benchmark_group("translate");
    g.sample_size(10);
    g.throughput(Throughput::Elements(all.len() as u64));
    g.bench_function("corpus", |b| {
        b.iter(|| {
            for (block, stage) in &all {
                let _ = black_box(translate(black_box(block), *stage));
            }
        })
    });
    // The largest shader on its own.
    let (big, stage) = all
        .iter()
        .max_by_key(|(b, _)| b.text.len())
        .cloned()
        .unwrap_or_else(|| (CodeBlock::from_text("shader_body {}"), Stage::Warp));
    eprintln!("largest shader: {} bytes", big.text.len());
    g.throughput(Throughput::Elements(1));
    g.sample_size(50);
    g.bench_function("largest", |b| {
        b.iter(|| black_box(translate(black_box(&big), stage)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
