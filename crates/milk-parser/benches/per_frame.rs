//! A typical per-frame program run 1000 times (1000 frames) on the scalar VM.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use milk_parser::{CodeOptions, Preset, PresetCode};

mod common;

const FRAMES: u64 = 1000;

/// (bench id, corpus path).
const PROGRAMS: &[(&str, &str)] = &[
    (
        "redi_jedi_traffic_jam",
        "cream-of-the-crop/Drawing/Trails Mirror/Redi Jedi - Time travling through a traffic jam.milk",
    ),
    (
        "suksma_spincycle",
        "cream-of-the-crop/Dancer/Blobby/suksma - shifter - spincycle + labor of others.milk",
    ),
];

fn per_frame(c: &mut Criterion) {
    let mut g = c.benchmark_group("per_frame");
    g.throughput(Throughput::Elements(FRAMES));
    for &(id, path) in PROGRAMS {
        let preset = Preset::from_bytes(&kefir_corpus::read(path)).expect("preset parses");
        let mut code = PresetCode::compile(&preset, CodeOptions::default());
        assert!(code.errors.is_empty(), "{path}: {:?}", code.errors);
        let len = preset
            .block(milk_parser::preset::BlockId::PerFrame)
            .map_or(0, |b| b.text.len());
        eprintln!(
            "{id}: {path}\n  per_frame: {len} bytes, {} nodes",
            code.per_frame.nodes()
        );
        let time = code.frame.var("time");
        g.bench_function(id, |b| {
            b.iter(|| {
                for f in 0..FRAMES {
                    code.frame.set(time, f as f64 / 60.0);
                    black_box(code.per_frame.run(&mut code.frame, &mut code.globals).ok());
                }
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = per_frame
}
criterion_main!(benches);
