//! Analysis cost per video frame: pushing one frame's worth of PCM (60 fps)
//! and computing the `AudioFrame`, on the demo track, at three input rates.
//!
//! `cargo bench -p milk-audio --bench analysis`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use milk_audio::{Analyzer, PcmFormat, Synth, demo_track};

fn pcm(mut synth: Synth, seconds: usize) -> Vec<f32> {
    let frames = synth.sample_rate() as usize * seconds;
    let mut out = Vec::with_capacity(frames * 2);
    for _ in 0..frames {
        out.extend_from_slice(&synth.next_frame().unwrap());
    }
    out
}

fn per_frame(c: &mut Criterion) {
    for rate in [44_100u32, 48_000, 96_000] {
        let audio = pcm(demo_track(rate), 8);
        let chunk = (rate / 60) as usize * 2;
        let mut analyzer = Analyzer::default();
        let format = PcmFormat::new(rate, 2);
        // Warm up past the first tempo estimate.
        for c in audio.chunks(chunk).take(300) {
            analyzer.push_f32(c, format);
            analyzer.frame(1.0 / 60.0);
        }
        let mut chunks = audio.chunks(chunk).cycle();
        let mut step = move || {
            analyzer.push_f32(chunks.next().unwrap(), format);
            black_box(analyzer.frame(1.0 / 60.0).bass);
        };
        let name = format!("frame_60fps_{}k", rate / 1000);
        c.bench_function(&name, |b| b.iter(&mut step));
    }
    let mut analyzer = Analyzer::default();
    analyzer.push_f32(&pcm(demo_track(44_100), 1), PcmFormat::new(44_100, 2));
    c.bench_function("frame_only", |b| {
        b.iter(|| black_box(analyzer.frame(1.0 / 60.0).bass))
    });
}

criterion_group!(benches, per_frame);
criterion_main!(benches);
