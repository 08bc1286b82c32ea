//! Golden-image tests, ruffle-style: every directory under `tests/golden/`
//! is a case with a `test.toml`, a preset and the `expected.png` its last
//! frame must match within a tolerance.
//!
//! ```toml
//! # preset.milk in the case directory, or a path from the repository root:
//! # preset = "presets/Kefir - First Light.milk"
//! frames = 10            # frames to render; the last one is compared
//! size = [160, 120]
//! fps = 60               # fixed frame time 1/fps
//! seed = 0
//! audio = "silence"      # "silence" | "demo" (the demo track) | "beat:120" (kicks at 120 BPM)
//! start = "black"        # "black" | "pattern" (rings and a grid, so motion shows)
//! texture_dirs = []      # user texture directories, from the repository root
//!                        # (the case directory is searched first)
//! shader_failures = []   # stages expected to fall back: "warp", "comp"
//! texture_warnings = 0   # missing textures expected
//! milkdrop1_stereo = false # Config::milkdrop1_stereo (MilkDrop 1.x's red-blue stereo)
//! # a transition: after `switch_at` frames, blend to `next` (a preset file
//! # in the case directory or from the repository root) over
//! # `blend_seconds` with `blend_pattern` ("uniform"|"wipe"|"plasma"|"radial")
//! next = "next.milk"
//! switch_at = 4
//! blend_seconds = 1.0
//! blend_pattern = "radial"
//! [tolerance]
//! threshold = 2          # a channel may differ by this much (0..255)
//! max_pixels = 0         # pixels allowed past the threshold
//! ```
//!
//! On a mismatch the test writes `actual.png` and `diff.png` (differing
//! pixels red over a dimmed expected picture) next to `expected.png`.
//! `UPDATE_GOLDEN=1 cargo test -p milk-engine --test golden` rewrites every
//! `expected.png`; `GOLDEN=substring` limits the run to matching cases.
//! Cases run on one device; the test fails, not skips, without an adapter.
//! `KEFIR_GOLDEN_WEBGL2=1` runs them on the GL backend within WebGL2's
//! limits (`Headless::webgl2`, what the browser build gets; the web tests
//! in CI do). On llvmpipe/lavapipe the cases render with float texture
//! filtering, as the apps do (`software::request_exact_texture_filtering`,
//! which leaves a `GALLIVM_PERF` already set alone: with another value some
//! cases fail).

use std::path::{Path, PathBuf};
use std::time::Instant;

use milk_audio::{ANALYSIS_RATE, Analyzer, AnalyzerConfig, Synth, Voice, demo_track};
use milk_engine::headless::Headless;
use milk_engine::transition::BlendPattern;
use milk_engine::{Config, Switch, Visualizer};
use milk_parser::Preset;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    preset: Option<String>,
    frames: u32,
    size: [u32; 2],
    #[serde(default = "default_fps")]
    fps: f64,
    #[serde(default)]
    seed: u64,
    #[serde(default = "default_audio")]
    audio: String,
    #[serde(default)]
    start: Start,
    /// `Config::milkdrop1_stereo` (MilkDrop 1.x's red-blue stereo).
    #[serde(default)]
    milkdrop1_stereo: bool,
    #[serde(default)]
    texture_dirs: Vec<String>,
    #[serde(default)]
    shader_failures: Vec<String>,
    #[serde(default)]
    texture_warnings: usize,
    next: Option<String>,
    #[serde(default)]
    switch_at: u32,
    #[serde(default)]
    blend_seconds: f64,
    blend_pattern: Option<String>,
    #[serde(default)]
    tolerance: Tolerance,
}

#[derive(Debug, Default, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Start {
    #[default]
    Black,
    Pattern,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct Tolerance {
    threshold: u8,
    max_pixels: usize,
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance {
            threshold: 2,
            max_pixels: 0,
        }
    }
}

fn default_fps() -> f64 {
    60.0
}

fn default_audio() -> String {
    "silence".into()
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The deterministic audio of a case, at the analysis rate.
fn audio_source(name: &str) -> Result<Synth, String> {
    let rate = ANALYSIS_RATE;
    match name {
        "silence" => Ok(Synth::new(rate)),
        "demo" => Ok(demo_track(rate)),
        _ => {
            let bpm = name
                .strip_prefix("beat:")
                .and_then(|b| b.parse::<f32>().ok())
                .filter(|b| (1.0..=1000.0).contains(b))
                .ok_or_else(|| {
                    format!("audio {name:?}: expected \"silence\", \"demo\" or \"beat:BPM\"")
                })?;
            Ok(Synth::new(rate).with(Voice::Kicks { bpm, amp: 0.8 }))
        }
    }
}

fn read_png(path: &Path) -> Result<(u32, u32, Vec<u8>), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut reader = decoder
        .read_info()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut buf = vec![0; reader.output_buffer_size().unwrap_or(0)];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if info.color_type != png::ColorType::Rgba || info.bit_depth != png::BitDepth::Eight {
        return Err(format!("{}: not 8-bit RGBA", path.display()));
    }
    buf.truncate(info.buffer_size());
    Ok((info.width, info.height, buf))
}

fn write_png(path: &Path, (w, h): (u32, u32), rgba: &[u8]) {
    let file = std::io::BufWriter::new(std::fs::File::create(path).expect("create png"));
    let mut enc = png::Encoder::new(file, w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::High);
    let mut writer = enc.write_header().expect("png header");
    writer.write_image_data(rgba).expect("png data");
    writer.finish().expect("png end");
}

/// Renders a case and returns its last frame.
fn render(gpu: &Headless, dir: &Path, case: &Case) -> Result<Vec<u8>, String> {
    let preset_path = match &case.preset {
        Some(p) => repo_root().join(p),
        None => dir.join("preset.milk"),
    };
    let preset_dir = preset_path.parent().unwrap_or(dir).to_owned();
    let bytes =
        std::fs::read(&preset_path).map_err(|e| format!("{}: {e}", preset_path.display()))?;
    let preset =
        Preset::from_bytes(&bytes).map_err(|e| format!("{}: {e}", preset_path.display()))?;
    let [width, height] = case.size;
    if width == 0 || height == 0 || case.frames == 0 || !(1.0..=1000.0).contains(&case.fps) {
        return Err("size, frames and fps must be positive".into());
    }
    let mut vis = Visualizer::new(
        gpu.device.clone(),
        gpu.queue.clone(),
        Config {
            seed: case.seed,
            milkdrop1_stereo: case.milkdrop1_stereo,
            ..Config::default()
        },
    );
    vis.set_texture_dirs(
        case.texture_dirs
            .iter()
            .map(|d| repo_root().join(d))
            .collect(),
    );
    let report = vis.load_preset_in(&preset, Some(&preset_dir));
    if !report.errors.is_empty() {
        return Err(format!("preset errors: {:?}", report.errors));
    }
    let failed: Vec<&str> = report
        .shader_failures
        .iter()
        .map(|f| f.stage().as_str())
        .collect();
    if failed != case.shader_failures {
        return Err(format!(
            "shader failures {failed:?}, expected {:?}: {:?}",
            case.shader_failures, report.shader_failures
        ));
    }
    // Every stage with shader text that is not expected to fail runs it.
    for (has_text, runs, stage) in [
        (
            preset.warp_shader.is_some() && preset.ps_version_warp > 0,
            report.warp_shader,
            "warp",
        ),
        (
            preset.comp_shader.is_some() && preset.ps_version_comp > 0,
            report.comp_shader,
            "comp",
        ),
    ] {
        if has_text && !runs && !case.shader_failures.iter().any(|s| s == stage) {
            return Err(format!("the {stage} shader does not run"));
        }
    }
    if report.texture_warnings.len() != case.texture_warnings {
        return Err(format!(
            "{} texture warnings, expected {}: {:?}",
            report.texture_warnings.len(),
            case.texture_warnings,
            report.texture_warnings
        ));
    }
    if case.start == Start::Pattern {
        vis.set_frame(
            width,
            height,
            &milk_engine::pattern::rings_and_grid(width, height),
        );
    }
    let target = gpu.target(width, height);
    let mut synth = audio_source(&case.audio)?;
    let mut analyzer = Analyzer::new(AnalyzerConfig::default());
    let mut samples = Vec::new();
    let mut pushed = 0u64;
    let dt = 1.0 / case.fps;
    for f in 0..case.frames {
        let until = ((f64::from(f) + 1.0) * dt * f64::from(ANALYSIS_RATE)).round() as u64;
        samples.clear();
        samples.extend((pushed..until).map_while(|_| synth.next_frame()));
        pushed = until;
        analyzer.push_analysis_rate(&samples);
        let audio = analyzer.frame(dt as f32);
        if let Some(next) = case.next.as_deref().filter(|_| f == case.switch_at) {
            switch(&mut vis, dir, next, case)?;
        }
        vis.render(dt, audio, &target)
            .map_err(|e| format!("frame {f}: {e}"))?;
    }
    gpu.read_rgba(&target).map_err(|e| e.to_string())
}

/// Starts the case's transition to `next`.
fn switch(vis: &mut Visualizer, dir: &Path, next: &str, case: &Case) -> Result<(), String> {
    let path = [dir.join(next), repo_root().join(next)]
        .into_iter()
        .find(|p| p.is_file())
        .ok_or_else(|| format!("next preset {next:?} not found"))?;
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let preset = Preset::from_bytes(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let prepared = vis.builder().prepare(&preset, path.parent(), 1);
    vis.switch_to(
        prepared,
        Switch::Blend {
            seconds: case.blend_seconds,
        },
    );
    if let Some(name) = &case.blend_pattern {
        let pattern = match name.as_str() {
            "uniform" => BlendPattern::Uniform,
            "wipe" => BlendPattern::Wipe,
            "plasma" => BlendPattern::Plasma,
            "radial" => BlendPattern::Radial,
            other => return Err(format!("unknown blend_pattern {other:?}")),
        };
        vis.set_blend_pattern(pattern);
    }
    if vis.blend_progress().is_none() {
        return Err("the switch did not start a blend".into());
    }
    Ok(())
}

/// Pixels with a channel past `threshold`, and a picture of them.
fn compare(expected: &[u8], actual: &[u8], threshold: u8) -> (usize, u8, Vec<u8>) {
    let mut count = 0;
    let mut worst = 0u8;
    let mut diff = Vec::with_capacity(expected.len());
    for (e, a) in expected.chunks_exact(4).zip(actual.chunks_exact(4)) {
        let d = e
            .iter()
            .zip(a)
            .map(|(x, y)| x.abs_diff(*y))
            .max()
            .unwrap_or(0);
        worst = worst.max(d);
        if d > threshold {
            count += 1;
            diff.extend_from_slice(&[255, 0, 0, 255]);
        } else {
            let grey = ((u16::from(e[0]) + u16::from(e[1]) + u16::from(e[2])) / 12) as u8;
            diff.extend_from_slice(&[grey, grey, grey, 255]);
        }
    }
    (count, worst, diff)
}

fn run_case(gpu: &Headless, dir: &Path, update: bool) -> Result<String, String> {
    let toml_path = dir.join("test.toml");
    let text =
        std::fs::read_to_string(&toml_path).map_err(|e| format!("{}: {e}", toml_path.display()))?;
    let case: Case = toml::from_str(&text).map_err(|e| format!("{}: {e}", toml_path.display()))?;
    let actual = render(gpu, dir, &case)?;
    let size = (case.size[0], case.size[1]);
    let (expected_path, actual_path, diff_path) = (
        dir.join("expected.png"),
        dir.join("actual.png"),
        dir.join("diff.png"),
    );
    let _ = std::fs::remove_file(&actual_path);
    let _ = std::fs::remove_file(&diff_path);
    if update {
        write_png(&expected_path, size, &actual);
        return Ok("updated".into());
    }
    if !expected_path.exists() {
        write_png(&actual_path, size, &actual);
        return Err("no expected.png (UPDATE_GOLDEN=1 makes it; actual.png written)".into());
    }
    let (w, h, expected) = read_png(&expected_path)?;
    if (w, h) != size {
        write_png(&actual_path, size, &actual);
        return Err(format!(
            "expected.png is {w}x{h}, the case renders {size:?}"
        ));
    }
    let tol = case.tolerance;
    let (count, worst, diff) = compare(&expected, &actual, tol.threshold);
    if count > tol.max_pixels {
        write_png(&actual_path, size, &actual);
        write_png(&diff_path, size, &diff);
        return Err(format!(
            "{count} pixels differ by more than {} (budget {}; worst {worst}); see actual.png, diff.png",
            tol.threshold, tol.max_pixels
        ));
    }
    Ok(format!("{count} px over threshold, worst {worst}"))
}

#[test]
fn golden_images() {
    // SAFETY: the only test of this binary, run before any wgpu or Mesa
    // thread exists; the goldens are drawn as the apps draw them.
    unsafe { milk_engine::software::request_exact_texture_filtering() };
    let webgl2 = std::env::var_os("KEFIR_GOLDEN_WEBGL2").is_some_and(|v| v != "0" && !v.is_empty());
    let gpu = if webgl2 {
        Headless::webgl2()
    } else {
        Headless::new()
    }
    .unwrap_or_else(|e| panic!("golden tests need a wgpu adapter: {e}"));
    eprintln!("adapter: {}", gpu.adapter_description());
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v != "0" && !v.is_empty());
    let filter = std::env::var("GOLDEN").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(golden_dir())
        .expect("tests/golden exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("test.toml").is_file())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().contains(&filter))
        })
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no golden cases match {filter:?}");
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap_or_default().to_string_lossy();
        let started = Instant::now();
        let result = run_case(&gpu, dir, update);
        let ms = started.elapsed().as_millis();
        match result {
            Ok(msg) => eprintln!("ok   {name} ({ms} ms): {msg}"),
            Err(msg) => {
                eprintln!("FAIL {name} ({ms} ms): {msg}");
                failures.push(format!("{name}: {msg}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} golden cases failed (UPDATE_GOLDEN=1 regenerates after a deliberate change):\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
}
