//! The shared preset corpus (`../shared/presets` beside the repository, or
//! `$KEFIR_CORPUS`) for tests and benchmarks: where it is and which `.milk`
//! files it holds.
//!
//! A plain clone has no corpus beside it, so tests that need it call
//! [`dir_or_skip`]: it says on stderr that the test is skipped, why and how to
//! run it, and records the skip in `$KEFIR_SKIP_LOG` (the test script counts
//! those lines). Where `KEFIR_REQUIRE_CORPUS` is set (CI), a missing corpus is
//! a failure instead, so nothing is skipped silently. Benchmarks need the
//! corpus and use [`presets_dir`], which panics with the same explanation.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The environment variable naming the corpus directory.
pub const CORPUS_VAR: &str = "KEFIR_CORPUS";
/// Set (to anything but `0` or empty) to make a missing corpus fail tests.
pub const REQUIRE_VAR: &str = "KEFIR_REQUIRE_CORPUS";
/// A file each skipped corpus test appends one line to.
pub const SKIP_LOG_VAR: &str = "KEFIR_SKIP_LOG";

/// Where the corpus should be: `$KEFIR_CORPUS`, else `../shared/presets`
/// beside the repository.
pub fn expected_dir() -> PathBuf {
    match std::env::var_os(CORPUS_VAR) {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/presets"),
    }
}

/// The corpus directory when it exists.
pub fn find() -> Option<PathBuf> {
    let dir = expected_dir();
    dir.is_dir().then_some(dir)
}

fn required() -> bool {
    std::env::var_os(REQUIRE_VAR).is_some_and(|v| !v.is_empty() && v != "0")
}

fn missing_message(dir: &Path) -> String {
    format!(
        "the shared preset corpus is missing at {} (a plain clone has none; set {CORPUS_VAR}=DIR \
         to a folder of .milk files with `butterchurn/`, `cream-of-the-crop/` and `textures/`)",
        dir.display()
    )
}

/// The corpus directory for the test `test`, or `None` when it is missing:
/// then the skip is reported on stderr and logged to `$KEFIR_SKIP_LOG`, and
/// the caller returns. Panics instead when `KEFIR_REQUIRE_CORPUS` is set.
pub fn dir_or_skip(test: &str) -> Option<PathBuf> {
    if let Some(dir) = find() {
        return Some(dir);
    }
    let why = missing_message(&expected_dir());
    assert!(
        !required(),
        "{test}: {why}; {REQUIRE_VAR} is set, so this fails"
    );
    eprintln!("skipped {test}: {why}");
    if let Some(log) = std::env::var_os(SKIP_LOG_VAR) {
        // Each line is short and written with one call: concurrent test
        // threads and processes append whole lines.
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
        {
            let _ = f.write_all(format!("{test}\n").as_bytes());
        }
    }
    None
}

/// The corpus directory; panics with a clear message when it is missing
/// (benchmarks and tools that cannot do without it).
pub fn presets_dir() -> PathBuf {
    let dir = expected_dir();
    assert!(dir.is_dir(), "{}", missing_message(&dir));
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

/// Every `.milk` file of the corpus, sorted (panics when it is missing).
pub fn milk_files() -> Vec<PathBuf> {
    milk_files_in(&presets_dir())
}

/// Every `.milk` file under `dir` with its bytes, sorted by path.
pub fn read_all_in(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    milk_files_in(dir)
        .into_iter()
        .map(|p| {
            let bytes =
                std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            (p, bytes)
        })
        .collect()
}

/// Every `.milk` file of the corpus with its bytes, sorted by path (panics
/// when it is missing).
pub fn read_all() -> Vec<(PathBuf, Vec<u8>)> {
    read_all_in(&presets_dir())
}

/// One corpus file by its path relative to the corpus directory.
pub fn read(relative: &str) -> Vec<u8> {
    let p = presets_dir().join(relative);
    std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}
