//! The plugin file as GStreamer's tools load it: the `libgstkefir.so` that
//! `cargo test` built beside this test, in a plugin directory of its own
//! (`GST_PLUGIN_PATH`, with a private registry), through `gst-inspect-1.0`
//! and the pipelines of `crates/gst/README.md` run by `gst-launch-1.0` on
//! a generated song. Where the README shows a window, raw RGBA frames go to
//! files instead (checked: not blank, moving); playbin's sinks are
//! `fakesink`s; the MP4 is rendered at 320x180 instead of 1280x720 (CI
//! time) and demuxed back (an H.264 and an Opus track, the frame count, and
//! frame sizes that only a moving picture gives; no H.264 decoder is in
//! Debian's base/good/ugly plugins).

use std::path::Path;
use std::process::{Command, Output};

use gst::prelude::*;
use gst_app::AppSink;

/// A plugin directory holding only the plugin this test run built.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let exe = std::env::current_exe().expect("test executable");
        let deps = exe.parent().expect("target/<profile>/deps");
        let plugin = deps.join("libgstkefir.so");
        assert!(
            plugin.is_file(),
            "{} missing: cargo test builds it with the test (crate-type cdylib)",
            plugin.display()
        );
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("plugins")).unwrap();
        std::fs::copy(&plugin, dir.path().join("plugins/libgstkefir.so")).unwrap();
        Env { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A command with the plugin directory and a private registry, killed
    /// if it runs for more than three minutes (a stuck pipeline fails the
    /// test instead of hanging CI).
    fn command(&self, program: &str) -> Command {
        let mut c = Command::new("timeout");
        c.args(["-k", "10", "180", program]);
        c.current_dir(self.path())
            .env("GST_PLUGIN_PATH", self.path().join("plugins"))
            .env("GST_REGISTRY", self.path().join("registry.bin"))
            .env_remove("GST_PLUGIN_PATH_1_0")
            .env_remove("KEFIR_PRESETS");
        c
    }
}

fn run(mut command: Command) -> String {
    let shown = format!("{command:?}");
    let out: Output = command.output().unwrap_or_else(|e| {
        panic!("{shown}: {e} (gstreamer1.0-tools installed? scripts/setup.sh)")
    });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The status says how it ended (an exit code, or the signal of a crash).
    assert!(
        out.status.success(),
        "{shown} failed ({}):\n{text}",
        out.status
    );
    text
}

/// The `gst-launch-1.0` commands of the README's "Pipelines" section, with
/// continuation lines joined.
fn readme_pipelines() -> Vec<String> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("## Pipelines")
        .nth(1)
        .and_then(|s| s.split("```sh").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("a sh block under ## Pipelines");
    let joined = section.replace("\\\n", " ");
    joined
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("gst-launch-1.0"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn gst_inspect_lists_the_element_and_its_properties() {
    let env = Env::new();
    let mut c = env.command("gst-inspect-1.0");
    c.arg("kefirvis");
    let text = run(c);
    for expected in [
        "Kefir MilkDrop visualizer",
        "Visualization",
        "libgstkefir.so",
        "audio/x-raw",
        "video/x-raw",
    ] {
        assert!(text.contains(expected), "{expected:?} missing:\n{text}");
    }
    for property in [
        "preset",
        "preset-dir",
        "texture-dir",
        "preset-duration",
        "preset-jitter",
        "blend-duration",
        "shuffle",
        "hard-cuts",
        "beat-sensitivity",
        "locked",
        "render-scale",
        "mesh-size",
        "seed",
        "current-preset",
    ] {
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(&format!("{property} "))),
            "property {property} missing:\n{text}"
        );
    }
    for signal in ["preset-changed", "preset-failed", "next-preset"] {
        assert!(
            text.contains(&format!("\"{signal}\"")),
            "signal {signal} missing:\n{text}"
        );
    }
}

/// The sizes of the compressed video frames of an MP4, in order.
fn video_frame_sizes(mp4: &Path) -> Vec<usize> {
    gst::init().unwrap();
    let pipeline = gst::parse::launch(&format!(
        "filesrc location={} ! qtdemux name=d d.video_0 ! appsink name=sink sync=false",
        mp4.display()
    ))
    .unwrap()
    .downcast::<gst::Pipeline>()
    .unwrap();
    let sink = pipeline
        .by_name("sink")
        .unwrap()
        .downcast::<AppSink>()
        .unwrap();
    pipeline.set_state(gst::State::Playing).unwrap();
    let mut sizes = Vec::new();
    while let Ok(sample) = sink.pull_sample() {
        let caps = sample
            .caps()
            .unwrap()
            .structure(0)
            .unwrap()
            .name()
            .to_string();
        assert_eq!(caps, "video/x-h264");
        sizes.push(sample.buffer().unwrap().size());
    }
    pipeline.set_state(gst::State::Null).unwrap();
    sizes
}

fn lit(frame: &[u8]) -> f64 {
    let n = frame
        .chunks_exact(4)
        .filter(|p| p[..3].iter().any(|&c| c > 24))
        .count();
    n as f64 / (frame.len() / 4) as f64
}

#[test]
fn the_readme_pipelines_run_and_the_video_moves() {
    let env = Env::new();
    // A 2 s song: a 55 Hz tone and a 440 Hz one on top.
    let mut c = env.command("gst-launch-1.0");
    c.args([
        "-q",
        "audiotestsrc",
        "wave=sine",
        "freq=55",
        "volume=0.6",
        "num-buffers=20",
        "samplesperbuffer=4410",
        "!",
        "audio/x-raw,rate=44100,channels=2",
        "!",
        "audioconvert",
        "!",
        "flacenc",
        "!",
        "filesink",
        "location=song.flac",
    ]);
    run(c);

    let pipelines = readme_pipelines();
    assert_eq!(pipelines.len(), 3, "{pipelines:#?}");
    for pipeline in &pipelines {
        let mut line = pipeline
            .replace(
                "autovideosink",
                "video/x-raw,format=RGBA,width=160,height=90 ! multifilesink location=frame-%03d.rgba",
            )
            .replace("width=1280,height=720", "width=320,height=180")
            // -m prints the bus messages: kefirvis's own show it ran.
            .replacen("gst-launch-1.0", "gst-launch-1.0 -m", 1);
        if line.contains(" playbin ") {
            line.push_str(" video-sink=fakesink audio-sink=fakesink");
        }
        let mut c = env.command("bash");
        c.args(["-c", &line]);
        let text = run(c);
        assert!(!text.contains("WARNING"), "{line}\n{text}");
        assert!(!text.contains("ERROR"), "{line}\n{text}");
        assert!(
            text.contains("kefir-preset"),
            "kefirvis played a preset:\n{line}\n{text}"
        );
    }

    // The first pipeline's frames: 2 s at 30 fps, lit, moving.
    let mut files: Vec<_> = std::fs::read_dir(env.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rgba"))
        .collect();
    files.sort();
    let frames: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    assert_eq!(frames.len(), 60, "frames of the window pipeline");
    for (k, frame) in frames.iter().enumerate() {
        assert_eq!(frame.len(), 160 * 90 * 4);
        if k >= 10 {
            assert!(lit(frame) > 0.02, "frame {k}: {:.3} lit", lit(frame));
        }
    }
    let moving = frames.windows(2).skip(10).filter(|w| w[0] != w[1]).count();
    assert!(
        moving >= 45,
        "{moving} of 49 frames differ from the one before"
    );

    // The MP4.
    let mp4 = env.path().join("song.mp4");
    let bytes = std::fs::read(&mp4).expect("song.mp4");
    let has = |tag: &[u8]| bytes.windows(4).any(|w| w == tag);
    assert!(has(b"avc1") && has(b"Opus"), "an H.264 and an Opus track");
    let sizes = video_frame_sizes(&mp4);
    assert_eq!(sizes.len(), 60, "2 s at 30 fps");
    // A still or blank picture encodes to P-frames of a few dozen bytes.
    let big = sizes.iter().skip(10).filter(|&&n| n > 300).count();
    assert!(big >= 40, "frame sizes {sizes:?}");
}
