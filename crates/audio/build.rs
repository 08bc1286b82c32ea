//! On Linux, compiles `src/alsa_quiet.c` (see `alsa_quiet.rs`), which
//! silences libasound's error printer.

fn main() {
    println!("cargo:rerun-if-changed=src/alsa_quiet.c");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        cc::Build::new()
            .file("src/alsa_quiet.c")
            .warnings(true)
            .compile("kefir_alsa_quiet");
        println!("cargo:rustc-link-lib=dylib=asound");
    }
}
