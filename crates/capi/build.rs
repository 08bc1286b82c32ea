//! Generates the C header with cbindgen: always into `OUT_DIR/kefir.h`, and
//! into the committed `include/kefir.h` when it changed, except in CI
//! (`CI` set), where `tests/header.rs` checks that the committed header is
//! up to date instead.
//!
//! On ELF platforms it also gives `libkefir.so` its versioned soname,
//! `libkefir.so.MAJOR` (`libkefir.so.0.MINOR` while the major version is
//! 0, when minor versions break the ABI), which `scripts/install.sh` installs
//! it under.

use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    println!("cargo:rerun-if-changed=src/lib.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=include/kefir.h");
    println!("cargo:rerun-if-env-changed=CI");

    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if matches!(
        os.as_str(),
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly" | "illumos"
    ) {
        let major = std::env::var("CARGO_PKG_VERSION_MAJOR").expect("CARGO_PKG_VERSION_MAJOR");
        let minor = std::env::var("CARGO_PKG_VERSION_MINOR").expect("CARGO_PKG_VERSION_MINOR");
        let abi = if major == "0" {
            format!("0.{minor}")
        } else {
            major
        };
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libkefir.so.{abi}");
    }

    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml"))
        .unwrap_or_else(|e| panic!("cbindgen.toml: {e}"));
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/lib.rs"))
        .generate()
        .unwrap_or_else(|e| panic!("generating the C header: {e}"));
    let mut header = Vec::new();
    bindings.write(&mut header);
    std::fs::write(out.join("kefir.h"), &header).expect("writing OUT_DIR/kefir.h");

    let committed = dir.join("include/kefir.h");
    let stale = std::fs::read(&committed).ok().as_ref() != Some(&header);
    if std::env::var_os("CI").is_none()
        && stale
        && let Err(e) = std::fs::write(&committed, &header)
    {
        println!(
            "cargo:warning=could not update {}: {e}",
            committed.display()
        );
    }
}
