//! Embeds every `.milk` file of the repository's `presets/` directory: writes
//! `bundled.rs` (a slice of file names and `include_bytes!`) into `OUT_DIR`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../presets");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("milk"))
        })
        .collect();
    files.sort();
    let mut out = String::from("&[\n");
    for path in &files {
        let canonical = path.canonicalize().expect("preset path");
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 file name");
        println!("cargo:rerun-if-changed={}", canonical.display());
        writeln!(
            out,
            "    BundledPreset {{ file_name: {name:?}, bytes: include_bytes!({:?}) }},",
            canonical.display().to_string()
        )
        .unwrap();
    }
    out.push_str("]\n");
    let dest = Path::new(&std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("bundled.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("writing {}: {e}", dest.display()));
}
