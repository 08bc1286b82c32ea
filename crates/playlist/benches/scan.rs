//! Scanning speed: 10,000 presets (the issue asks for under a second) in 100
//! directories with some other files beside them, plus the shared corpus.
//!
//! `cargo bench -p milk-playlist --bench scan`. The first scan of the fresh
//! tree is printed separately; criterion then measures warm scans.

use std::fs;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use milk_playlist::{Filter, Playlist, scan};

const DIRS: usize = 100;
const PER_DIR: usize = 100;

fn make_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for d in 0..DIRS {
        let sub = dir.path().join(format!("Author {d:03}/Sub"));
        fs::create_dir_all(&sub).expect("mkdir");
        for f in 0..PER_DIR {
            fs::write(sub.join(format!("Author {d:03} - Preset {f:03}.milk")), "").expect("write");
        }
        fs::write(sub.join("readme.txt"), "").expect("write");
        fs::write(sub.join("texture.jpg"), "").expect("write");
    }
    dir
}

fn bench(c: &mut Criterion) {
    let tree = make_tree();
    let roots = vec![tree.path().to_path_buf()];
    let all = Filter::default();

    let start = Instant::now();
    let first = scan(&roots, &all);
    let first_time = start.elapsed();
    assert_eq!(first.entries.len(), DIRS * PER_DIR);
    assert!(first.errors.is_empty());
    println!(
        "first scan of {} presets: {:.1} ms",
        first.entries.len(),
        first_time.as_secs_f64() * 1e3
    );

    let filter = Filter::new(&["*preset 05*"], &["author 001"]).expect("globs");
    let filtered = scan(&roots, &filter).entries.len();
    assert_eq!(filtered, (DIRS - 1) * PER_DIR / 10);
    println!("filtered scan keeps {filtered} presets");

    let mut group = c.benchmark_group("scan");
    group.sample_size(20);
    group.bench_function("10k presets", |b| {
        b.iter(|| black_box(scan(black_box(&roots), &all)))
    });
    group.bench_function("10k presets, include+exclude globs", |b| {
        b.iter(|| black_box(scan(black_box(&roots), &filter)))
    });
    group.bench_function("10k presets, Playlist::new + 10k next()", |b| {
        b.iter(|| {
            let mut list = Playlist::new(first.entries.clone(), 1);
            for _ in 0..DIRS * PER_DIR {
                black_box(list.next());
            }
        })
    });
    let corpus: Vec<PathBuf> = vec![kefir_corpus::presets_dir()];
    group.bench_function("corpus (3,433 presets)", |b| {
        b.iter(|| black_box(scan(black_box(&corpus), &all)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
