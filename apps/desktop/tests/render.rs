//! `kefir render` as a user runs it (headless: lavapipe in CI).

use std::path::{Path, PathBuf};
use std::process::Command;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kefir-render-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn bundled(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../presets")
        .join(name)
}

fn read_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

#[test]
fn render_writes_moving_frames() {
    let dir = temp_dir("frames");
    let preset = bundled("Kefir - First Light.milk");
    let out = Command::new(env!("CARGO_BIN_EXE_kefir"))
        .arg("render")
        .arg("--preset")
        .arg(&preset)
        .args(["--synth", "--size", "64x48", "--fps", "60", "--frames", "3"])
        .args(["--seed", "7", "--start", "pattern", "--out"])
        .arg(&dir)
        .output()
        .expect("kefir runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("rendered 3 frames"), "{stderr}");
    let frames: Vec<_> = (1..=3)
        .map(|i| read_png(&dir.join(format!("frame_{i:05}.png"))))
        .collect();
    for (w, h, rgba) in &frames {
        assert_eq!((*w, *h), (64, 48));
        assert_eq!(rgba.len(), 64 * 48 * 4);
    }
    assert!(!dir.join("frame_00004.png").exists());
    // The preset zooms and warps: every frame differs from the one before.
    assert_ne!(frames[0].2, frames[1].2);
    assert_ne!(frames[1].2, frames[2].2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn render_video_without_ffmpeg_says_so() {
    let dir = temp_dir("video");
    // A PATH with no ffmpeg on it.
    let empty = dir.join("bin");
    std::fs::create_dir_all(&empty).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kefir"))
        .env("PATH", &empty)
        .arg("render")
        .arg("--preset")
        .arg(bundled("Kefir - First Light.milk"))
        .args(["--synth", "--size", "64x48", "--frames", "3", "--out"])
        .arg(dir.join("frames"))
        .arg("--video")
        .arg(dir.join("out.mp4"))
        .output()
        .expect("kefir runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("ffmpeg") && stderr.contains("PATH"),
        "{stderr}"
    );
    // It stops before rendering anything.
    assert!(!dir.join("frames").exists());
    assert!(!dir.join("out.mp4").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn render_reports_broken_blocks_and_goes_on() {
    let dir = temp_dir("broken");
    let preset = dir.join("broken.milk");
    std::fs::write(
        &preset,
        "[preset00]\nzoom=1.05\nper_frame_1=zoom = (1 +;\nper_pixel_1=rot = 0.1*rad;\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kefir"))
        .arg("render")
        .arg("--preset")
        .arg(&preset)
        .args(["--synth", "--size", "32x24", "--seconds", "0.05", "--out"])
        .arg(dir.join("frames"))
        .output()
        .expect("kefir runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("broken.milk:3:") && stderr.contains("block disabled"),
        "{stderr}"
    );
    assert!(dir.join("frames/frame_00003.png").exists(), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A refrender-style replay directory: `frames` frames of a 441 Hz sine at
/// butterchurn's 30 fps clock, levels rising from 1.
fn replay_dir(dir: &Path, frames: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut state = String::new();
    let mut audio = Vec::new();
    let mut time = 0.0;
    for n in 1..=frames {
        time += 1.0 / 30.0;
        let level = 1.0 + n as f64 * 0.1;
        state.push_str(&format!(
            "{{\"frame\":{n},\"time\":{time},\"fps\":30,\"globals\":{{\"bass\":{level},\
             \"mid\":1,\"treb\":1,\"bass_att\":{level},\"mid_att\":1,\"treb_att\":1}},\
             \"frameVars\":{{}}}}\n"
        ));
        for _channel in 0..3 {
            for i in 0..1024 {
                let x = (i as f64 * std::f64::consts::TAU / 100.0 + n as f64).sin() * 0.5;
                audio.push((128.0 * (1.0 + x)).floor().clamp(0.0, 255.0) as u8);
            }
        }
    }
    std::fs::write(dir.join("state.jsonl"), state).unwrap();
    std::fs::write(dir.join("audio.bin"), audio).unwrap();
}

#[test]
fn render_replays_a_reference_run_and_dumps_state() {
    let dir = temp_dir("replay");
    let reference = dir.join("ref");
    replay_dir(&reference, 4);
    let dump = dir.join("state.jsonl");
    let out = Command::new(env!("CARGO_BIN_EXE_kefir"))
        .arg("render")
        .arg("--preset")
        .arg(bundled("Kefir - First Light.milk"))
        .arg("--replay")
        .arg(&reference)
        .args(["--size", "64x48", "--out"])
        .arg(dir.join("frames"))
        .arg("--dump-state")
        .arg(&dump)
        .arg("--dump-main")
        .output()
        .expect("kefir runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // As many frames as the reference has.
    assert!(stderr.contains("rendered 4 frames"), "{stderr}");
    assert!(dir.join("frames/frame_00004.png").exists());
    // The feedback texture of every frame, at the frame's size.
    for n in 1..=4 {
        let main = dir.join(format!("frames/main_{n:05}.png"));
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&main).unwrap()));
        let info = decoder.read_info().unwrap();
        assert_eq!(
            (info.info().width, info.info().height),
            (64, 48),
            "{}",
            main.display()
        );
    }
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&dump)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 4);
    // The levels and the clock come from the reference.
    let bass = lines[2]["bass"].as_f64().unwrap();
    assert!((bass - 1.3).abs() < 1e-6, "{bass}");
    let fps = lines[1]["fps"].as_f64().unwrap();
    assert!((fps - 30.0).abs() < 1e-6, "{fps}");
    for key in ["zoom", "rot", "decay", "gammaadj", "wave_r", "wave_mode"] {
        assert!(lines[0][key].is_number(), "{key} missing");
    }

    // --replay and --audio do not mix.
    let clash = Command::new(env!("CARGO_BIN_EXE_kefir"))
        .arg("render")
        .arg("--preset")
        .arg(bundled("Kefir - First Light.milk"))
        .arg("--replay")
        .arg(&reference)
        .args(["--synth", "--out"])
        .arg(dir.join("x"))
        .output()
        .expect("kefir runs");
    assert!(!clash.status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--audio-start`: the analysis runs over the audio before the start, so
/// the first frame sees settled levels, not MilkDrop 2's warm-up from
/// silence (whose first frame with sound reads about 10), and the preset's
/// clock still starts at 0.
#[test]
fn render_from_an_audio_start_sees_a_settled_analysis() {
    let dir = temp_dir("audio-start");
    let first_frame = |start: &str| {
        let dump = dir.join(format!("state-{start}.jsonl"));
        let out = Command::new(env!("CARGO_BIN_EXE_kefir"))
            .arg("render")
            .arg("--preset")
            .arg(bundled("Kefir - First Light.milk"))
            .args(["--synth", "--size", "32x24", "--fps", "30", "--frames", "2"])
            .args(["--audio-start", start, "--dump-state"])
            .arg(&dump)
            .arg("--out")
            .arg(dir.join(format!("frames-{start}")))
            .output()
            .expect("kefir runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        let line = std::fs::read_to_string(&dump).unwrap();
        let first: serde_json::Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
        (
            first["bass"].as_f64().unwrap(),
            first["time"].as_f64().unwrap(),
        )
    };
    let (cold_bass, cold_time) = first_frame("0");
    let (warm_bass, warm_time) = first_frame("4");
    assert!(cold_bass > 5.0, "cold start: bass {cold_bass}");
    assert!(warm_bass < 4.0, "after 4 s of music: bass {warm_bass}");
    assert!(
        cold_time < 0.1 && warm_time < 0.1,
        "{cold_time} {warm_time}"
    );

    let bad = Command::new(env!("CARGO_BIN_EXE_kefir"))
        .arg("render")
        .arg("--preset")
        .arg(bundled("Kefir - First Light.milk"))
        .args(["--synth", "--frames", "1", "--audio-start=-1", "--out"])
        .arg(dir.join("frames-bad"))
        .output()
        .expect("kefir runs");
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("--audio-start"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
