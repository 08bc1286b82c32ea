//! Decoding files as a stream, and analysing them.

use std::path::PathBuf;

use milk_audio::{Analyzer, AudioError, AudioSource, FileSource, Synth, Voice, analyze_source};

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("milk-audio-decode-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn read_all(source: &mut dyn AudioSource) -> Vec<f32> {
    let mut out = Vec::new();
    let mut buf = vec![0.0; 1000];
    loop {
        let n = source.read(&mut buf).unwrap();
        if n == 0 {
            return out;
        }
        assert_eq!(
            n % source.format().channels as usize,
            0,
            "whole frames only"
        );
        out.extend_from_slice(&buf[..n]);
    }
}

#[test]
fn wav_16_bit_stereo_decodes_sample_exact() {
    let path = temp("s16.wav");
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 48_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&path, spec).unwrap();
    let samples: Vec<i16> = (0..48_000 * 2)
        .map(|i| ((i * 37 % 2001) as i16 - 1000) * 16)
        .collect();
    for &s in &samples {
        w.write_sample(s).unwrap();
    }
    w.finalize().unwrap();

    let mut src = FileSource::open(&path).unwrap();
    assert_eq!(src.format().sample_rate, 48_000);
    assert_eq!(src.format().channels, 2);
    let got = read_all(&mut src);
    assert_eq!(got.len(), samples.len());
    for (g, s) in got.iter().zip(&samples) {
        assert!((g - *s as f32 / 32768.0).abs() < 1e-6);
    }
}

#[test]
fn wav_float_mono_analyses_like_the_signal_itself() {
    let path = temp("f32.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 44_100,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(&path, spec).unwrap();
    let mut synth = Synth::new(44_100)
        .with(Voice::Kicks {
            bpm: 120.0,
            amp: 0.7,
        })
        .duration(10.0);
    while let Some([l, _]) = synth.next_frame() {
        w.write_sample(l).unwrap();
    }
    w.finalize().unwrap();

    let mut from_file = Vec::new();
    let n = analyze_source(
        &mut FileSource::open(&path).unwrap(),
        &mut Analyzer::default(),
        30.0,
        |_, f| from_file.push(f.clone()),
    )
    .unwrap();
    assert_eq!(n, 300);
    let mut direct = Vec::new();
    let mut synth = Synth::new(44_100)
        .with(Voice::Kicks {
            bpm: 120.0,
            amp: 0.7,
        })
        .duration(10.0);
    analyze_source(&mut synth, &mut Analyzer::default(), 30.0, |_, f| {
        direct.push(f.clone())
    })
    .unwrap();
    assert!(
        from_file == direct,
        "mono file = the same sound on both channels"
    );
    let bpm = from_file.last().unwrap().bpm.unwrap();
    assert!((bpm - 120.0).abs() < 2.0, "{bpm}");
}

#[test]
fn a_truncated_wav_yields_what_it_has() {
    let path = temp("cut.wav");
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 22_050,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&path, spec).unwrap();
    for i in 0..20_000 {
        w.write_sample((i % 300) as i16).unwrap();
    }
    w.finalize().unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() - 10_001]).unwrap();
    let got = read_all(&mut FileSource::open(&path).unwrap());
    assert!(got.len() > 10_000 && got.len() < 20_000, "{}", got.len());
}

#[test]
fn missing_and_non_audio_files_are_clear_errors() {
    let err = FileSource::open(temp("nope.wav")).unwrap_err();
    assert!(matches!(err, AudioError::Io { .. }), "{err}");
    assert!(err.to_string().contains("nope.wav"));
    // The message names the cause, and a reporter that prints the whole
    // chain (anyhow's `{:#}`) says it once.
    let mut chain = err.to_string();
    let mut cause = std::error::Error::source(&err);
    while let Some(c) = cause {
        chain = format!("{chain}: {c}");
        cause = c.source();
    }
    let reason = std::fs::File::open(temp("nope.wav"))
        .unwrap_err()
        .to_string();
    assert_eq!(chain.matches(&reason).count(), 1, "{chain}");

    let path = temp("notes.mp3");
    std::fs::write(
        &path,
        "these are not the samples you are looking for\n".repeat(50),
    )
    .unwrap();
    let err = FileSource::open(&path).unwrap_err();
    assert!(matches!(err, AudioError::Decode { .. }), "{err}");
    assert!(err.to_string().contains("notes.mp3"), "{err}");

    let path = temp("empty.flac");
    std::fs::write(&path, b"").unwrap();
    assert!(FileSource::open(&path).is_err());
}

/// The fixtures hold 0.5 s of 44.1 kHz stereo: a 440 Hz sine at half scale
/// on the left, 1 kHz on the right (made with flac, oggenc -q 2, lame -b 128
/// from the same 16-bit WAV).
fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")).join(name)
}

fn expected_sample(channel: usize, i: usize) -> f32 {
    let f = if channel == 0 { 440.0 } else { 1000.0 };
    let v = (0.5 * 32767.0 * (2.0 * std::f64::consts::PI * f * i as f64 / 44100.0).sin()).round();
    (v / 32768.0) as f32
}

/// Frequency of one channel from its rising zero crossings, and its RMS.
fn tone(samples: &[f32], channel: usize) -> (f64, f64) {
    let ch: Vec<f32> = samples.iter().skip(channel).step_by(2).copied().collect();
    // Skip the encoders' start-up (MP3 priming) and the fade at the end.
    let body = &ch[4000..ch.len() - 4000];
    let crossings: Vec<usize> = (1..body.len())
        .filter(|&i| body[i - 1] < 0.0 && body[i] >= 0.0)
        .collect();
    let periods = (crossings.len() - 1) as f64;
    let freq = periods * 44100.0 / (crossings[crossings.len() - 1] - crossings[0]) as f64;
    let rms = (body.iter().map(|v| f64::from(*v).powi(2)).sum::<f64>() / body.len() as f64).sqrt();
    (freq, rms)
}

#[test]
fn flac_decodes_sample_exact() {
    let mut src = FileSource::open(fixture("tone.flac")).unwrap();
    assert_eq!(
        (src.format().sample_rate, src.format().channels),
        (44100, 2)
    );
    let samples = read_all(&mut src);
    assert_eq!(samples.len(), 44100);
    for (i, frame) in samples.chunks(2).enumerate() {
        for (c, v) in frame.iter().enumerate() {
            assert_eq!(*v, expected_sample(c, i), "frame {i} channel {c}");
        }
    }
}

#[test]
fn lossy_formats_decode_to_the_right_tones() {
    for name in ["tone.ogg", "tone.mp3"] {
        let mut src = FileSource::open(fixture(name)).unwrap();
        assert_eq!(
            (src.format().sample_rate, src.format().channels),
            (44100, 2),
            "{name}"
        );
        let samples = read_all(&mut src);
        let frames = samples.len() / 2;
        // Encoders pad: MP3 adds up to ~2 frames of 1152 samples.
        assert!(
            (22050..22050 + 3000).contains(&frames),
            "{name}: {frames} frames"
        );
        for (channel, want) in [(0, 440.0), (1, 1000.0)] {
            let (freq, rms) = tone(&samples, channel);
            assert!(
                (freq - want).abs() < want * 0.01,
                "{name} ch{channel}: {freq} Hz"
            );
            assert!(
                (rms - 0.5 / 2f64.sqrt()).abs() < 0.03,
                "{name} ch{channel}: rms {rms}"
            );
        }
    }
}
