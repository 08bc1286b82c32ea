//! What a preset change costs on the render thread, with the next preset
//! prepared on the worker thread (`preload: true`) and without it, over a
//! preset directory (default: the shared corpus, `../shared/presets`).
//!
//! ```text
//! cargo run --release -p kefir-player --example switch_cost -- [dir] [switches]
//! ```
//!
//! For each mode it plays the presets in a fixed shuffled order, changing
//! every 15 frames (1/60 s each, cuts), waits for the GPU after every frame
//! (as a host presenting frames would), and prints the median, p95 and max
//! of: the switch itself on the render thread ([`PlayerStats::last_switch`]:
//! waiting for or preparing the preset, plus `switch_to`) and the whole
//! `render` call of the frame that switched, against the median frame
//! without a switch. Then it times the playlist look-ahead that finds the
//! next preset (a clone of the playlist and `next`, which the worker thread
//! does) at 10,000 presets.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use kefir_player::{Player, PlayerConfig, PlayerEvent, PlayerStats};
use milk_engine::headless::Headless;
use milk_playlist::{Playlist, PresetEntry};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Median, p95, max.
fn stats(mut v: Vec<f64>) -> String {
    if v.is_empty() {
        return "-".into();
    }
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    format!("{:7.2} {:7.2} {:7.2}", at(0.5), at(0.95), at(1.0))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(kefir_corpus::presets_dir);
    let switches: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(40);
    let gpu = Headless::new().expect("a wgpu adapter");
    println!("adapter: {}", gpu.adapter_description());
    let target = gpu.target(320, 240);
    println!("{:<34} {:>23} {:>23}", "", "median     p95     max", "");
    for preload in [true, false] {
        let config = PlayerConfig {
            preset_dirs: vec![dir.clone()],
            texture_dirs: vec![dir.join("textures")],
            preset_seconds: 0.25,
            preset_seconds_jitter: 0.0,
            blend_seconds: 0.0,
            seed: 11,
            preload,
            ..PlayerConfig::default()
        };
        let mut player = Player::new(gpu.device.clone(), gpu.queue.clone(), config)
            .expect("player over the preset directory");
        player.poll_events();
        let (mut switch, mut switch_frames, mut frames, mut prepare) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let started = Instant::now();
        while switch.len() < switches {
            let t = Instant::now();
            player.render(1.0 / 60.0, &target).expect("frame");
            let frame = ms(t.elapsed());
            let _ = gpu.device.poll(wgpu::PollType::wait_indefinitely());
            let mut switched = false;
            for event in player.poll_events() {
                if let PlayerEvent::Switched { report, .. } = event {
                    switched = true;
                    prepare.push(ms(report.prepare_time));
                }
            }
            if switched {
                switch.push(ms(player.stats().last_switch));
                switch_frames.push(frame);
            } else {
                frames.push(frame);
            }
        }
        let s: PlayerStats = player.stats();
        println!(
            "preload {preload:<5} ({} switches: {} preloaded, {} waited for, {} prepared here, {} failed; {:.1} s)",
            s.switches,
            s.preloaded,
            s.waited,
            s.prepared_here,
            s.failed,
            started.elapsed().as_secs_f64()
        );
        println!("  {:<32} {}", "prepare (any thread), ms", stats(prepare));
        println!(
            "  {:<32} {}",
            "switch on the render thread, ms",
            stats(switch)
        );
        println!(
            "  {:<32} {}",
            "render() of a switch frame, ms",
            stats(switch_frames)
        );
        println!("  {:<32} {}", "render() of other frames, ms", stats(frames));
    }

    let entries: Vec<PresetEntry> = (0..10_000)
        .map(|i| {
            PresetEntry::new(PathBuf::from(format!(
                "presets/dir{}/Preset {i:05}.milk",
                i % 50
            )))
        })
        .collect();
    let mut playlist = Playlist::new(entries, 1);
    playlist.next();
    let times: Vec<f64> = (0..50)
        .map(|_| {
            let t = Instant::now();
            let mut probe = playlist.clone();
            std::hint::black_box(probe.next().map(|e| e.path.clone()));
            ms(t.elapsed())
        })
        .collect();
    println!(
        "  {:<32} {}",
        "look-ahead (worker), 10k presets",
        stats(times)
    );
}
