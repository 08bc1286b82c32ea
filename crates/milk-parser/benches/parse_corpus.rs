//! Parsing and compiling the whole preset corpus.
//!
//! - `parse_corpus/from_bytes`: `Preset::from_bytes` over every `.milk` file
//!   (throughput in bytes, so criterion prints MB/s).
//! - `compile_corpus/parse_compile`: parse + `PresetCode::compile` of every
//!   preset (throughput in presets; per-preset time = iteration time / n).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use milk_parser::{CodeOptions, Preset, PresetCode};

mod common;

fn parse_corpus(c: &mut Criterion) {
    let files = kefir_corpus::read_all();
    let total: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
    eprintln!(
        "corpus: {} .milk files, {} bytes ({:.1} MiB)",
        files.len(),
        total,
        total as f64 / (1024.0 * 1024.0)
    );

    let mut g = c.benchmark_group("parse_corpus");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(total));
    g.bench_function("from_bytes", |b| {
        b.iter(|| {
            for (_, bytes) in &files {
                let _ = black_box(Preset::from_bytes(black_box(bytes)));
            }
        })
    });
    g.finish();

    // Compile what parses (every corpus file does; see tests/preset_corpus.rs).
    let n = files
        .iter()
        .filter(|(_, b)| Preset::from_bytes(b).is_ok())
        .count();
    eprintln!("compile_corpus: {n} presets per iteration (per-preset time = time / {n})");
    let mut g = c.benchmark_group("compile_corpus");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("parse_compile", |b| {
        b.iter(|| {
            for (_, bytes) in &files {
                if let Ok(preset) = Preset::from_bytes(black_box(bytes)) {
                    black_box(PresetCode::compile(&preset, CodeOptions::default()));
                }
            }
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = parse_corpus
}
criterion_main!(benches);
