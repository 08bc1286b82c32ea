//! `kefir showcase` (the main job without a display), run as an installed
//! binary would be: copied to a folder with nothing beside it, so the
//! presets it plays are the ones embedded in it. Needs ffmpeg and ffprobe
//! (scripts/setup.sh installs them).

use std::path::{Path, PathBuf};
use std::process::Command;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kefir-showcase-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The kefir binary copied into `dir/bin`, away from the source tree.
fn installed_kefir(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let exe = bin.join("kefir");
    std::fs::copy(env!("CARGO_BIN_EXE_kefir"), &exe).unwrap();
    exe
}

fn tool(name: &str) -> Command {
    let probe = Command::new(name).arg("-version").output();
    assert!(
        probe.is_ok_and(|o| o.status.success()),
        "this test needs {name} on PATH (Debian: apt-get install ffmpeg; scripts/setup.sh does it)"
    );
    Command::new(name)
}

/// Grey levels of every frame of `video`, scaled to 32x18.
fn grey_frames(video: &Path) -> Vec<Vec<u8>> {
    let out = tool("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(video)
        .args([
            "-vf",
            "scale=32:18",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "gray",
            "-",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout.chunks(32 * 18).map(<[u8]>::to_vec).collect()
}

#[test]
fn showcase_plays_the_embedded_presets_with_blends_into_a_video_with_sound() {
    let dir = temp_dir("video");
    let kefir = installed_kefir(&dir);
    let data = dir.join("data");
    let video = dir.join("show.mp4");
    let out = Command::new(&kefir)
        .env("XDG_DATA_HOME", &data)
        .env("HOME", &dir)
        .env_remove("KEFIR_PRESETS")
        .current_dir(&dir)
        .args([
            "showcase",
            "--seconds",
            "3",
            "--size",
            "96x64",
            "--fps",
            "15",
        ])
        .args(["--preset-seconds", "0.6", "--blend-seconds", "0.4", "--out"])
        .arg(&video)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");

    // The embedded presets were written out and played.
    let installed = data.join("kefir/bundled-presets");
    for preset in kefir_presets::BUNDLED {
        assert_eq!(
            std::fs::read(installed.join(preset.file_name)).unwrap(),
            preset.bytes,
            "{}",
            preset.file_name
        );
    }
    assert!(stderr.contains("blends in"), "{stderr}");
    assert!(stderr.contains("Kefir - "), "{stderr}");

    // A video and a sound track, 3 s long.
    let probe = tool("ffprobe")
        .args(["-v", "error", "-show_entries", "stream=codec_type,duration"])
        .args(["-of", "csv=p=0"])
        .arg(&video)
        .output()
        .unwrap();
    let streams = String::from_utf8_lossy(&probe.stdout);
    let mut kinds = Vec::new();
    for line in streams.lines() {
        let (kind, duration) = line.split_once(',').expect("kind,duration");
        let duration: f64 = duration.parse().unwrap();
        assert!((duration - 3.0).abs() < 0.15, "{streams}");
        kinds.push(kind.to_owned());
    }
    kinds.sort();
    assert_eq!(kinds, ["audio", "video"], "{streams}");

    // 45 frames that are not black and change.
    let frames = grey_frames(&video);
    assert_eq!(frames.len(), 45);
    let lit = frames.iter().filter(|f| f.iter().any(|&v| v > 40)).count();
    assert!(lit >= 35, "only {lit} of 45 frames show something");
    let changes = frames
        .windows(2)
        .filter(|w| w[0].iter().zip(&w[1]).any(|(a, b)| a.abs_diff(*b) > 8))
        .count();
    assert!(changes >= 30, "only {changes} frame changes");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn showcase_without_ffmpeg_says_so_before_rendering() {
    let dir = temp_dir("no-ffmpeg");
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kefir"))
        .env("PATH", &empty)
        .args(["showcase", "--out"])
        .arg(dir.join("x.mp4"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("needs ffmpeg") && stderr.contains("apt-get install ffmpeg"),
        "{stderr}"
    );
    assert!(!dir.join("x.mp4").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
