//! Builds `examples/render.c` with the system C compiler against the
//! static library (the one `cargo test` builds into deps/, or one built here
//! with cargo) and runs it headless on the bundled presets: it must exit 0,
//! report switches and write a PPM that is not blank.

use std::path::{Path, PathBuf};
use std::process::Command;

/// This package's static library: the one `cargo test` built into `deps/`
/// beside this test, or else one built now with the cargo that runs this
/// test (`libkefir.a` in the profile directory above `deps/`).
fn static_lib() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let profile = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<test>");
    // `cargo test` builds the library with every crate type it declares,
    // into deps/ next to this test: use that (same build, same features).
    let built_by_test = profile.join("deps").join("libkefir.a");
    if built_by_test.exists() {
        return built_by_test;
    }
    let target_dir = profile.parent().expect("target directory");
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "build",
            "--quiet",
            "--lib",
            "-p",
            "kefir-capi",
            "--target-dir",
        ])
        .arg(target_dir);
    if profile.file_name().is_some_and(|n| n == "release") {
        cargo.arg("--release");
    }
    let built = cargo.output().expect("running cargo build");
    assert!(
        built.status.success(),
        "cargo build -p kefir-capi failed:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let lib = profile.join("libkefir.a");
    assert!(lib.exists(), "{} missing after cargo build", lib.display());
    lib
}

fn compiler() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".to_owned())
}

#[test]
fn c_example_renders_frames() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let presets = crate_dir.join("../../presets");
    let out = tempfile::tempdir().expect("temp dir");
    let exe = out.path().join("render");
    let lib = static_lib();
    // The link line of README.md.
    let compiled = Command::new(compiler())
        .args([
            "-std=c99",
            "-D_DEFAULT_SOURCE",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-I",
        ])
        .arg(crate_dir.join("include"))
        .arg(crate_dir.join("examples/render.c"))
        .arg(&lib)
        .args([
            "-lasound",
            "-lgcc_s",
            "-lutil",
            "-lrt",
            "-lpthread",
            "-lm",
            "-ldl",
            "-o",
        ])
        .arg(&exe)
        .output()
        .expect("a C compiler (cc; scripts/setup.sh installs gcc)");
    assert!(
        compiled.status.success(),
        "compiling render.c against {} failed:\n{}",
        lib.display(),
        String::from_utf8_lossy(&compiled.stderr)
    );

    let ppm = out.path().join("frame.ppm");
    let run = Command::new(&exe)
        .arg(&presets)
        .arg(&ppm)
        .output()
        .expect("running the example");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "render exited with {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        run.status.code()
    );
    assert!(stdout.contains("presets: 12"), "{stdout}");
    assert!(stdout.contains("switch: Kefir - "), "{stdout}");
    assert!(stdout.lines().last() == Some("ok"), "{stdout}");

    // The PPM: 160x120, not black.
    let image = std::fs::read(&ppm).expect("the PPM");
    let header = b"P6\n160 120\n255\n";
    assert!(image.starts_with(header), "PPM header");
    let pixels = &image[header.len()..];
    assert_eq!(pixels.len(), 160 * 120 * 3);
    let lit = pixels
        .chunks(3)
        .filter(|p| p.iter().any(|&c| c > 16))
        .count();
    assert!(lit > 160 * 120 / 100, "{lit} lit pixels");
}
