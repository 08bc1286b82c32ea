//! The C library as users get it: `scripts/install.sh` installs the
//! libraries this test run built (`cargo test` builds `libkefir.so` and
//! `libkefir.a` into `deps/` beside this test) into a temporary prefix;
//! then the C example is built with pkg-config and the C++ example with
//! CMake from copies outside the source tree, against the installed files
//! only, and run on the installed presets.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The directory holding the libraries `cargo test` built for this
/// package: `deps/` beside this test executable.
fn built_libs() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let deps = exe.parent().expect("target/<profile>/deps").to_path_buf();
    for lib in ["libkefir.so", "libkefir.a"] {
        assert!(
            deps.join(lib).is_file(),
            "{} missing: cargo test builds it with the test (crate-type cdylib + staticlib)",
            deps.join(lib).display()
        );
    }
    deps
}

fn run(command: &mut Command) -> Output {
    let shown = format!("{command:?}");
    let out = command.output().unwrap_or_else(|e| panic!("{shown}: {e}"));
    assert!(
        out.status.success(),
        "{shown} exited with {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The dynamic section entries of `lib` with `tag` (SONAME, NEEDED).
fn dynamic(lib: &Path, tag: &str) -> Vec<String> {
    let out = run(Command::new("readelf").arg("-d").arg(lib));
    stdout(&out)
        .lines()
        .filter(|l| l.contains(&format!("({tag})")))
        .filter_map(|l| l.split('[').nth(1)?.split(']').next().map(str::to_owned))
        .collect()
}

#[test]
fn installed_library_builds_and_runs_the_c_and_cpp_examples() {
    let libs = built_libs();
    let tmp = tempfile::tempdir().expect("temp dir");
    let prefix = tmp.path().join("prefix");
    run(Command::new("bash")
        .arg(repo().join("scripts/install.sh"))
        .arg("--prefix")
        .arg(&prefix)
        .arg("--from")
        .arg(&libs));

    // The files, the soname and its links.
    let lib = prefix.join("lib");
    let version = env!("CARGO_PKG_VERSION");
    let abi = format!(
        "0.{}",
        env!("CARGO_PKG_VERSION_MINOR") // 0.x: minor versions break the ABI
    );
    let real = lib.join(format!("libkefir.so.{version}"));
    assert!(real.is_file());
    assert_eq!(
        std::fs::read_link(lib.join(format!("libkefir.so.{abi}"))).unwrap(),
        Path::new(&format!("libkefir.so.{version}"))
    );
    assert_eq!(
        std::fs::read_link(lib.join("libkefir.so")).unwrap(),
        Path::new(&format!("libkefir.so.{abi}"))
    );
    assert_eq!(dynamic(&real, "SONAME"), vec![format!("libkefir.so.{abi}")]);
    assert!(lib.join("libkefir.a").is_file());
    assert!(prefix.join("include/kefir/kefir.h").is_file());
    assert!(lib.join("cmake/Kefir/KefirConfig.cmake").is_file());
    let presets = prefix.join("share/kefir/presets");
    assert_eq!(
        std::fs::read_dir(&presets).unwrap().count(),
        std::fs::read_dir(repo().join("presets")).unwrap().count()
    );

    // Sources copied out of the tree: nothing can reach the build tree.
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("cpp")).unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    std::fs::copy(examples.join("render.c"), src.join("render.c")).unwrap();
    for f in ["CMakeLists.txt", "render.cpp"] {
        std::fs::copy(examples.join("cpp").join(f), src.join("cpp").join(f)).unwrap();
    }

    // C through pkg-config, linked to the shared library.
    let pkg_config = |args: &[&str]| {
        let out = run(Command::new("pkg-config")
            .env("PKG_CONFIG_PATH", lib.join("pkgconfig"))
            .args(args)
            .arg("kefir"));
        stdout(&out).trim().to_owned()
    };
    assert_eq!(pkg_config(&["--modversion"]), version);
    let flags = pkg_config(&["--cflags", "--libs"]);
    assert!(flags.contains(&prefix.display().to_string()), "{flags}");
    let preset_dir = pkg_config(&["--variable=presetdir"]);
    assert_eq!(Path::new(&preset_dir), presets);
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let exe = tmp.path().join("render");
    run(Command::new(&cc)
        .current_dir(&src)
        .args([
            "-std=c99",
            "-D_DEFAULT_SOURCE",
            "-Wall",
            "-Wextra",
            "-Werror",
            "render.c",
        ])
        .args(flags.split_whitespace())
        .args(["-lm", "-o"])
        .arg(&exe));
    assert_eq!(
        dynamic(&exe, "NEEDED")
            .iter()
            .filter(|n| n.starts_with("libkefir"))
            .collect::<Vec<_>>(),
        vec![&format!("libkefir.so.{abi}")]
    );
    let ppm = tmp.path().join("frame.ppm");
    let out = run(Command::new(&exe)
        .env("LD_LIBRARY_PATH", &lib)
        .arg(&preset_dir)
        .arg(&ppm));
    let text = stdout(&out);
    let presets_count = std::fs::read_dir(&presets).unwrap().count();
    assert!(
        text.contains(&format!("presets: {presets_count}")),
        "{text}"
    );
    assert!(text.contains("switch: Kefir - "), "{text}");
    assert!(text.contains("log 2 kefir: typed-broken: 2:"), "{text}");
    assert!(text.contains("entry 1: "), "{text}");
    assert_eq!(text.lines().last(), Some("ok"), "{text}");
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

    // C++ through CMake: find_package(Kefir), shared and static targets.
    let build = tmp.path().join("build");
    run(Command::new("cmake")
        .arg("-S")
        .arg(src.join("cpp"))
        .arg("-B")
        .arg(&build)
        .arg(format!("-DCMAKE_PREFIX_PATH={}", prefix.display()))
        .arg("-DCMAKE_BUILD_TYPE=Release"));
    run(Command::new("cmake").arg("--build").arg(&build));
    let shared = build.join("render_cpp");
    let statik = build.join("render_cpp_static");
    assert!(
        dynamic(&shared, "NEEDED").contains(&format!("libkefir.so.{abi}")),
        "render_cpp links the versioned soname"
    );
    assert!(
        !dynamic(&statik, "NEEDED")
            .iter()
            .any(|n| n.starts_with("libkefir")),
        "render_cpp_static needs no libkefir at run time"
    );
    // CMake's build rpath finds the installed library: no LD_LIBRARY_PATH.
    for exe in [&shared, &statik] {
        let text = stdout(&run(Command::new(exe).env_remove("LD_LIBRARY_PATH")));
        assert!(
            text.contains(&format!("presets from {}", presets.display())),
            "{text}"
        );
        assert_eq!(text.lines().last(), Some("ok"), "{text}");
    }
}
