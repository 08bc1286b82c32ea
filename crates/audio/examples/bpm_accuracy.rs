//! Prints beat counts and tempo estimates for kick patterns and a full drum
//! pattern from 80 to 160 BPM (30 s each), the numbers recorded in
//! benches/README.md.
//!
//! `cargo run --release -p milk-audio --example bpm_accuracy`

use milk_audio::{Analyzer, Synth, Voice, analyze_source};

fn run(mut synth: Synth) -> (usize, Option<f32>) {
    let mut analyzer = Analyzer::default();
    let mut beats = 0;
    analyze_source(&mut synth, &mut analyzer, 60.0, |_, f| {
        beats += f.beat as usize
    })
    .expect("synthetic sources cannot fail");
    (beats, analyzer.bpm())
}

fn main() {
    println!("  bpm | kicks | beats (kicks) | bpm est. (kicks) | beats (drums) | bpm est. (drums)");
    let (mut worst_count, mut worst_bpm) = (0.0f64, 0.0f32);
    for bpm in (80..=160).step_by(5) {
        let bpm = bpm as f32;
        let kicks = (30.0 * bpm / 60.0).ceil() as usize;
        let (kb, ke) = run(Synth::new(44_100)
            .with(Voice::Kicks { bpm, amp: 0.7 })
            .with(Voice::Noise {
                amp: 0.002,
                seed: 9,
            })
            .duration(30.0));
        let (db, de) = run(Synth::new(48_000)
            .with(Voice::Drums {
                bpm,
                amp: 0.7,
                seed: 5,
            })
            .duration(30.0));
        let ke = ke.unwrap_or(f32::NAN);
        worst_count = worst_count.max((kb as f64 - kicks as f64).abs() / kicks as f64);
        worst_bpm = worst_bpm.max((ke - bpm).abs());
        println!(
            "{bpm:>5} | {kicks:>5} | {kb:>13} | {ke:>16.2} | {db:>13} | {:>16.2}",
            de.unwrap_or(f32::NAN)
        );
    }
    println!(
        "kicks: worst beat-count error {:.1}%, worst tempo error {worst_bpm:.2} BPM",
        worst_count * 100.0
    );
}
