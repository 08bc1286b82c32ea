//! `kefir analyze` as a user runs it.

use std::path::PathBuf;
use std::process::Command;

fn kefir(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kefir"))
        .args(args)
        .output()
        .expect("kefir runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A 48 kHz stereo WAV of kicks at `bpm` for `seconds`.
fn kick_wav(name: &str, bpm: f64, seconds: f64) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kefir-analyze-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let rate = 48_000u32;
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&path, spec).unwrap();
    let period = 60.0 / bpm;
    for i in 0..(seconds * rate as f64) as usize {
        let t = i as f64 / rate as f64;
        let local = t % period;
        // A decaying low sweep: a kick.
        let phase = std::f64::consts::TAU * (45.0 * local + 3.15 * (1.0 - (-local / 0.03).exp()));
        let v = 0.7 * (-local / 0.12).exp() * phase.sin();
        let s = (v * 32767.0) as i16;
        w.write_sample(s).unwrap();
        w.write_sample(s).unwrap();
    }
    w.finalize().unwrap();
    path
}

#[test]
fn analyze_json_has_the_documented_shape_and_finds_the_tempo() {
    let wav = kick_wav("kicks.wav", 128.0, 12.0);
    let (code, out, err) = kefir(&["analyze", wav.to_str().unwrap(), "--fps", "30", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let bpm = v["bpm"].as_f64().expect("a tempo");
    assert!((bpm - 128.0).abs() < 2.0, "{bpm}");
    let frames = v["frames"].as_array().unwrap();
    assert_eq!(frames.len(), 360);
    for f in frames {
        let obj = f.as_object().unwrap();
        let keys: Vec<&str> = obj.keys().map(|k| k.as_str()).collect();
        for k in [
            "t", "bass", "mid", "treb", "bass_att", "mid_att", "treb_att", "vol", "beat",
        ] {
            assert!(keys.contains(&k), "{k} missing");
        }
        assert!(obj["beat"].is_boolean());
        assert!(obj["bass"].as_f64().unwrap().is_finite());
    }
    assert!((frames[29]["t"].as_f64().unwrap() - 1.0).abs() < 1e-3);
    let beats = frames.iter().filter(|f| f["beat"] == true).count();
    let kicks = (12.0 * 128.0 / 60.0) as usize;
    assert!(beats.abs_diff(kicks) <= 2, "{beats} beats, {kicks} kicks");
}

#[test]
fn analyze_prints_a_table_and_the_bpm() {
    let wav = kick_wav("table.wav", 100.0, 8.0);
    let (code, out, _) = kefir(&["analyze", wav.to_str().unwrap()]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].split_whitespace().eq([
        "t", "bass", "mid", "treb", "bass_att", "mid_att", "treb_att", "vol", "beat"
    ]));
    assert_eq!(lines.len(), 1 + 480 + 2);
    assert!(lines.iter().filter(|l| l.ends_with('*')).count() >= 10);
    let bpm: f64 = lines[481].strip_prefix("bpm: ").unwrap().parse().unwrap();
    assert!((bpm - 100.0).abs() < 2.0, "{bpm}");
    assert!(lines[482].starts_with("beats: "));
}

#[test]
fn analyze_runs_the_demo_track_and_reports_bad_input() {
    let (code, out, err) = kefir(&["analyze", "--demo", "6", "--json", "--fps", "144"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["frames"].as_array().unwrap().len(), 864);
    assert!(
        (v["bpm"].as_f64().unwrap() - 124.0).abs() < 2.0,
        "{}",
        v["bpm"]
    );

    let (code, _, err) = kefir(&["analyze", "/no/such/file.flac"]);
    assert_eq!(code, 2);
    assert!(err.contains("/no/such/file.flac"), "{err}");
    let (code, _, err) = kefir(&["analyze", "x.wav", "--fps", "0"]);
    assert_ne!(code, 0);
    assert!(err.contains("--fps"), "{err}");
}
