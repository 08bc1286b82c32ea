//! Known signals give known results: the analyzer's behaviour end to end.

use milk_audio::{Analyzer, AnalyzerConfig, AudioFrame, PcmFormat, Synth, Voice, analyze_source};

/// All frames of `synth` analysed at `fps`.
fn frames(mut synth: Synth, fps: f64) -> Vec<AudioFrame> {
    frames_with(&mut synth, fps, AnalyzerConfig::default())
}

fn frames_with(synth: &mut Synth, fps: f64, config: AnalyzerConfig) -> Vec<AudioFrame> {
    let mut analyzer = Analyzer::new(config);
    let mut out = Vec::new();
    analyze_source(synth, &mut analyzer, fps, |_, f| out.push(f.clone())).unwrap();
    out
}

fn levels(f: &AudioFrame) -> [f32; 8] {
    [
        f.bass, f.mid, f.treb, f.bass_att, f.mid_att, f.treb_att, f.vol, f.vol_att,
    ]
}

#[test]
fn low_tone_bursts_lift_bass_well_above_one_while_treb_stays_near_one() {
    // 250 Hz bursts, 100 ms every 500 ms, over faint white noise.
    let synth = Synth::new(44_100)
        .with(Voice::Bursts {
            freq: 250.0,
            amp: 0.5,
            on: 0.1,
            period: 0.5,
        })
        .with(Voice::Noise {
            amp: 0.003,
            seed: 1,
        })
        .duration(20.0);
    let fps = 60.0;
    let all = frames(synth, fps);
    // After the long-term average has settled (5 s), look at each burst.
    let mut burst_peaks = Vec::new();
    let mut trebs = Vec::new();
    for burst in 10..40 {
        let start = (burst as f64 * 0.5 * fps) as usize;
        let window = &all[start..start + 15];
        burst_peaks.push(window.iter().map(|f| f.bass).fold(0.0, f32::max));
        let gap = &all[start + 15..start + 30];
        assert!(
            gap.iter().all(|f| f.bass < 1.0),
            "bass falls between bursts"
        );
        trebs.extend(all[start..start + 30].iter().map(|f| f.treb));
    }
    let min_peak = burst_peaks.iter().copied().fold(f32::MAX, f32::min);
    assert!(
        min_peak > 2.0,
        "every burst lifts bass well above 1: {burst_peaks:?}"
    );
    let mean_treb = trebs.iter().sum::<f32>() / trebs.len() as f32;
    assert!((mean_treb - 1.0).abs() < 0.1, "treb mean {mean_treb}");
    assert!(trebs.iter().all(|&t| (0.5..1.6).contains(&t)), "treb range");
    // bass_att follows more slowly: high during bursts, never above the peak.
    let att_peak = all[400..].iter().map(|f| f.bass_att).fold(0.0, f32::max);
    assert!(att_peak > 1.3 && att_peak <= all[400..].iter().map(|f| f.bass).fold(0.0, f32::max));
}

#[test]
fn silence_gives_neutral_values_and_never_nan() {
    let all = frames(Synth::new(48_000).duration(5.0), 60.0);
    assert_eq!(all.len(), 300);
    for f in &all {
        assert_eq!(levels(f), [1.0; 8]);
        assert!(!f.beat);
        assert_eq!(f.bpm, None);
        assert!(f.wave.iter().flatten().all(|&v| v == 0.0));
        assert!(f.spectrum.iter().flatten().all(|&v| v == 0.0));
    }
}

#[test]
fn hostile_input_never_gives_nan() {
    let mut a = Analyzer::default();
    let fmt = PcmFormat::new(44_100, 2);
    let check = |a: &mut Analyzer, dt: f32| {
        let f = a.frame(dt).clone();
        assert!(levels(&f).iter().all(|v| v.is_finite()), "{:?}", levels(&f));
        assert!(
            f.spectrum
                .iter()
                .flatten()
                .chain(f.wave.iter().flatten())
                .all(|v| v.is_finite())
        );
    };
    for i in 0..200 {
        let junk: Vec<f32> = (0..1470)
            .map(|j| match (i + j) % 7 {
                0 => f32::NAN,
                1 => f32::INFINITY,
                2 => -1e30,
                3 => 1e30,
                _ => 0.0,
            })
            .collect();
        a.push_f32(&junk, fmt);
        check(&mut a, 1.0 / 60.0);
    }
    // Odd frame times, odd formats, empty pushes.
    for dt in [0.0, -1.0, f32::NAN, f32::INFINITY, 1e-9, 10.0] {
        a.push_f32(&[0.5; 3], PcmFormat::new(0, 3));
        a.push_f32(&[0.5; 10], PcmFormat::new(7, 0));
        a.push_i16(&[i16::MIN, i16::MAX], PcmFormat::new(u32::MAX, 1));
        a.push_f32(&[], fmt);
        check(&mut a, dt);
    }
    // Loud music, then silence: levels drop to 0 (no energy now, as in
    // MilkDrop), stay finite, and return to the neutral 1.0 once the
    // long-term average has decayed away.
    let mut a = Analyzer::default();
    let mut s = Synth::new(44_100).with(Voice::Drums {
        bpm: 120.0,
        amp: 0.8,
        seed: 3,
    });
    let mut buf = vec![0.0f32; 1470];
    for _ in 0..600 {
        for f in buf.chunks_exact_mut(2) {
            let v = s.next_frame().unwrap();
            f.copy_from_slice(&v);
        }
        a.push_f32(&buf, fmt);
        check(&mut a, 1.0 / 60.0);
    }
    let silence = vec![0.0f32; 1470];
    let mut last = a.last_frame().clone();
    for _ in 0..60 * 120 {
        a.push_f32(&silence, fmt);
        last = a.frame(1.0 / 60.0).clone();
        assert!(levels(&last).iter().all(|v| v.is_finite()));
    }
    assert_eq!(levels(&last), [1.0; 8]);
}

fn kick_run(bpm: f32) -> (usize, usize, Option<f32>) {
    let seconds = 30.0;
    let synth = Synth::new(44_100)
        .with(Voice::Kicks { bpm, amp: 0.7 })
        .with(Voice::Noise {
            amp: 0.002,
            seed: 9,
        })
        .duration(seconds);
    let all = frames(synth, 60.0);
    let beats = all.iter().filter(|f| f.beat).count();
    let kicks = (seconds * bpm as f64 / 60.0).ceil() as usize;
    (beats, kicks, all.last().unwrap().bpm)
}

#[test]
fn kick_patterns_from_80_to_160_bpm_give_one_beat_per_kick_and_the_tempo() {
    for bpm in [80.0, 97.0, 120.0, 133.0, 160.0] {
        let (beats, kicks, estimate) = kick_run(bpm);
        let err = (beats as f64 - kicks as f64).abs() / kicks as f64;
        assert!(err <= 0.05, "{bpm} BPM: {beats} beats for {kicks} kicks");
        let estimate = estimate.unwrap_or_else(|| panic!("{bpm} BPM: no tempo"));
        assert!(
            (estimate - bpm).abs() <= 2.0,
            "{bpm} BPM: estimated {estimate}"
        );
    }
}

#[test]
fn a_full_drum_pattern_gives_its_tempo() {
    for bpm in [90.0, 124.0, 150.0] {
        let synth = Synth::new(48_000)
            .with(Voice::Drums {
                bpm,
                amp: 0.7,
                seed: 5,
            })
            .duration(20.0);
        let all = frames(synth, 60.0);
        let estimate = all.last().unwrap().bpm.expect("a tempo");
        assert!((estimate - bpm).abs() <= 2.0, "{bpm}: {estimate}");
        // Kicks and snares are beats, one per beat at most.
        let beats = all.iter().filter(|f| f.beat).count();
        let expected = (20.0 * bpm / 60.0) as usize;
        assert!(
            beats >= expected * 9 / 10 && beats <= expected * 11 / 10,
            "{bpm}: {beats} vs {expected}"
        );
    }
}

#[test]
fn steady_sounds_have_no_beats_and_no_tempo() {
    for voice in [
        Voice::Noise { amp: 0.3, seed: 4 },
        Voice::Sine {
            freq: 440.0,
            amp: 0.5,
        },
    ] {
        let all = frames(Synth::new(44_100).with(voice.clone()).duration(15.0), 60.0);
        let beats = all[60..].iter().filter(|f| f.beat).count();
        assert!(beats <= 2, "{voice:?}: {beats} beats");
        assert_eq!(all.last().unwrap().bpm, None, "{voice:?}");
    }
}

#[test]
fn sensitivity_trades_beats_for_strictness() {
    // Kick and snare on the beats, quieter hi-hats on the off-beats: the
    // least sensitive setting takes the beats only, the most sensitive the
    // hi-hats too.
    let count = |s: f32| {
        let mut synth = Synth::new(44_100)
            .with(Voice::Drums {
                bpm: 90.0,
                amp: 0.7,
                seed: 5,
            })
            .duration(20.0);
        frames_with(
            &mut synth,
            60.0,
            AnalyzerConfig {
                beat_sensitivity: s,
            },
        )
        .iter()
        .filter(|f| f.beat)
        .count()
    };
    let (low, default, high) = (count(0.0), count(0.5), count(1.0));
    // 30 beats in 20 s at 90 BPM, within 10%.
    assert!((27..=33).contains(&low), "beats at sensitivity 0: {low}");
    assert!(
        (27..=33).contains(&default),
        "beats at sensitivity 0.5: {default}"
    );
    assert!(high >= 50, "beats at sensitivity 1: {high}");
}

#[test]
fn chunk_size_does_not_change_anything() {
    // Tolerance: none. Analysis is per sample, so results are bit-identical.
    let mut synth = Synth::new(48_000)
        .with(Voice::Drums {
            bpm: 128.0,
            amp: 0.6,
            seed: 11,
        })
        .duration(6.0);
    let mut pcm = Vec::new();
    while let Some(f) = synth.next_frame() {
        pcm.extend_from_slice(&f);
    }
    let per_frame = 800 * 2; // 60 fps at 48 kHz
    let run = |chunk: usize| {
        let mut a = Analyzer::default();
        let mut out = Vec::new();
        for frame in pcm.chunks(per_frame) {
            for c in frame.chunks(chunk) {
                a.push_f32(c, PcmFormat::new(48_000, 2));
            }
            out.push(a.frame(1.0 / 60.0).clone());
        }
        out
    };
    let reference = run(per_frame);
    for chunk in [2, 14, 512, 1000] {
        assert!(run(chunk) == reference, "chunks of {chunk} samples differ");
    }
}

#[test]
fn sample_rate_does_not_change_the_analysis() {
    // The same continuous-time sound at 44.1, 48 and 96 kHz. Tolerance:
    // levels within 3% (or 0.03 absolute) frame by frame, spectra within 3%
    // of their peak, identical beat frames, tempo within 0.5 BPM.
    let make = |rate: u32| {
        Synth::new(rate)
            .with(Voice::Kicks {
                bpm: 120.0,
                amp: 0.6,
            })
            .with(Voice::Bursts {
                freq: 5000.0,
                amp: 0.1,
                on: 0.05,
                period: 0.25,
            })
            .with(Voice::Bursts {
                freq: 9000.0,
                amp: 0.05,
                on: 0.1,
                period: 0.375,
            })
            .with(Voice::Sine {
                freq: 440.0,
                amp: 0.1,
            })
            .duration(12.0)
    };
    let base = frames(make(44_100), 60.0);
    for rate in [48_000, 96_000] {
        let other = frames(make(rate), 60.0);
        assert_eq!(other.len(), base.len());
        for (i, (a, b)) in base.iter().zip(&other).enumerate() {
            for (x, y) in levels(a).iter().zip(levels(b)) {
                assert!(
                    (x - y).abs() <= 0.03 * x.abs().max(1.0),
                    "{rate} Hz frame {i}: {x} vs {y}"
                );
            }
            let peak = a.spectrum[0].iter().copied().fold(0.0, f32::max);
            for (x, y) in a.spectrum[0].iter().zip(&b.spectrum[0]) {
                assert!(
                    (x - y).abs() <= 0.03 * peak + 1e-3,
                    "{rate} Hz frame {i} spectrum"
                );
            }
            assert_eq!(a.beat, b.beat, "{rate} Hz frame {i} beat");
        }
        let (x, y) = (
            base.last().unwrap().bpm.unwrap(),
            other.last().unwrap().bpm.unwrap(),
        );
        assert!((x - y).abs() < 0.5, "{x} vs {y}");
    }
}

#[test]
fn frame_rate_does_not_change_the_musical_response() {
    // 30 and 144 fps, compared at the instants both have a frame (every
    // 1/6 s). Tolerance: att within 10% (the window of 576 samples sees a
    // slightly different slice of each burst at the two frame clocks).
    let make = || {
        Synth::new(44_100)
            .with(Voice::Bursts {
                freq: 300.0,
                amp: 0.5,
                on: 1.0,
                period: 3.0,
            })
            .with(Voice::Noise { amp: 0.01, seed: 6 })
            .duration(15.0)
    };
    let slow = frames(make(), 30.0);
    let fast = frames(make(), 144.0);
    let mut compared = 0;
    for m in 12..(15 * 6) {
        // Frame i ends at (i + 1) / fps.
        let (a, b) = (&slow[m * 5 - 1], &fast[m * 24 - 1]);
        assert!((a.time - b.time).abs() < 1e-9);
        assert!(
            (a.bass_att - b.bass_att).abs() <= 0.1 * a.bass_att.max(1.0),
            "t={}: {} vs {}",
            a.time,
            a.bass_att,
            b.bass_att
        );
        compared += 1;
    }
    assert!(compared > 50);
}

#[test]
fn both_channels_count_and_formats_agree() {
    // A burst in the right channel only moves bass (MilkDrop used the left).
    let synth = Synth::new(44_100)
        .with_panned(
            Voice::Bursts {
                freq: 250.0,
                amp: 0.5,
                on: 0.1,
                period: 0.5,
            },
            0.0,
            1.0,
        )
        .with(Voice::Noise {
            amp: 0.003,
            seed: 1,
        })
        .duration(8.0);
    let all = frames(synth, 60.0);
    assert!(all[300..].iter().map(|f| f.bass).fold(0.0, f32::max) > 2.0);
    assert!(
        all[300..]
            .iter()
            .all(|f| f.wave[0].iter().all(|v| v.abs() < 0.01))
    );

    // Mono equals stereo with both sides the same; i16 equals f32 within
    // 16-bit quantisation.
    let mono: Vec<f32> = (0..44_100).map(|i| 0.5 * (i as f32 * 0.07).sin()).collect();
    let stereo: Vec<f32> = mono.iter().flat_map(|&v| [v, v]).collect();
    let ints: Vec<i16> = mono.iter().map(|&v| (v * 32768.0).round() as i16).collect();
    let (mut a, mut b, mut c) = (
        Analyzer::default(),
        Analyzer::default(),
        Analyzer::default(),
    );
    a.push_f32(&mono, PcmFormat::new(44_100, 1));
    b.push_f32(&stereo, PcmFormat::new(44_100, 2));
    c.push_i16(&ints, PcmFormat::new(44_100, 1));
    let (fa, fb, fc) = (
        a.frame(0.02).clone(),
        b.frame(0.02).clone(),
        c.frame(0.02).clone(),
    );
    assert_eq!(fa, fb);
    for (x, y) in fa.wave[0].iter().zip(&fc.wave[0]) {
        assert!((x - y).abs() <= 1.0 / 32768.0);
    }
    assert_eq!(fa.wave[0], fa.wave[1]);
}

#[test]
fn a_steady_tone_draws_a_standing_wave() {
    // 689.0625 Hz is a period of 64 samples at 44.1 kHz; at 60 fps each
    // frame reads 735 samples on, 31 samples of phase further. MilkDrop 2's
    // alignment picks the window that continues the last frame's picture:
    // the waveform the waves draw stands still, where the samples as read
    // move by 31 a frame.
    let synth = Synth::new(44_100)
        .with(Voice::Sine {
            freq: 44_100.0 / 64.0,
            amp: 0.5,
        })
        .duration(1.0);
    let frames = frames(synth, 60.0);
    let shown: Vec<&[f32]> = frames[5..].iter().map(|f| &f.wave[0][..480]).collect();
    let moves: Vec<f32> = shown
        .windows(2)
        .map(|w| {
            w[1].iter()
                .zip(w[0])
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f32::max)
        })
        .collect();
    // The coarse-to-fine search misses now and then (the tone is all but
    // averaged away at its coarsest levels), as MilkDrop 2's does; read
    // as they come, every frame would move by 31 samples (up to 0.98).
    let still = moves.iter().filter(|&&m| m < 0.01).count();
    assert!(
        still * 10 >= moves.len() * 9,
        "{still} of {} frames still: {moves:?}",
        moves.len()
    );
    // The aligned window leaves zeros behind it once it moved.
    assert!(
        frames[5..]
            .iter()
            .any(|f| f.wave[0][480..].iter().all(|&v| v == 0.0))
    );
}
