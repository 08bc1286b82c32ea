//! Shared helpers of the milk-parser benchmarks: the preset corpus and
//! short criterion settings (the benchmark machine is small and shared).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::Criterion;

/// The shared preset corpus (`/work/shared/presets`).
pub fn corpus_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/presets"
    ))
}

fn milk_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read directory {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            milk_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("milk"))
        {
            out.push(path);
        }
    }
}

/// Every `.milk` file of the corpus, read into memory, sorted by path.
pub fn corpus() -> Vec<(PathBuf, Vec<u8>)> {
    let dir = corpus_dir();
    assert!(
        dir.is_dir(),
        "the preset corpus is missing: expected a directory at {}",
        dir.display()
    );
    let mut files = Vec::new();
    milk_files(&dir, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes =
                std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            (p, bytes)
        })
        .collect()
}

/// One preset of the corpus, by path relative to the corpus directory.
pub fn corpus_file(rel: &str) -> Vec<u8> {
    let p = corpus_dir().join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// Short runs: 1 s warm-up, 3 s measurement (command-line flags still win).
pub fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20)
}
