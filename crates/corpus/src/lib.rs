//! The shared preset corpus (`../shared/presets` beside the repository) for
//! tests and benchmarks: where it is and which `.milk` files it holds.
//!
//! A missing corpus is an error, not a reason to skip: CI and developers
//! have it. `KEFIR_PRESETS` points elsewhere if needed.

use std::path::{Path, PathBuf};

/// The corpus directory; panics with a clear message when it is missing.
pub fn presets_dir() -> PathBuf {
    let dir = match std::env::var_os("KEFIR_PRESETS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/presets"),
    };
    assert!(
        dir.is_dir(),
        "the preset corpus is missing at {} (expected ../shared/presets beside the repository, \
         or set KEFIR_PRESETS)",
        dir.display()
    );
    dir
}

/// Every `.milk` file (any case of the extension) under `dir`, sorted.
pub fn milk_files_in(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot read directory {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("milk"))
            {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// Every `.milk` file of the corpus, sorted.
pub fn milk_files() -> Vec<PathBuf> {
    milk_files_in(&presets_dir())
}

/// Every `.milk` file of the corpus with its bytes, sorted by path.
pub fn read_all() -> Vec<(PathBuf, Vec<u8>)> {
    milk_files()
        .into_iter()
        .map(|p| {
            let bytes =
                std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            (p, bytes)
        })
        .collect()
}

/// One corpus file by its path relative to the corpus directory.
pub fn read(relative: &str) -> Vec<u8> {
    let p = presets_dir().join(relative);
    std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}
