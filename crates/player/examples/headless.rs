//! A player without a window: the bundled presets, the built-in demo track
//! as audio, N frames at 60 fps, and the switches printed as they happen.
//!
//! ```text
//! cargo run -p kefir-player --example headless -- [frames] [width]x[height]
//! ```
//!
//! Defaults: 600 frames (10 s) at 320x180, presets changing every 2 s (plus
//! up to 1 s of jitter) with a 1 s blend, hard cuts on. On a machine
//! without a GPU it runs on Mesa's lavapipe.

use std::path::PathBuf;
use std::time::Instant;

use kefir_player::{Player, PlayerConfig, PlayerEvent};
use milk_audio::{ANALYSIS_RATE, demo_track};
use milk_engine::headless::Headless;

fn main() {
    let mut args = std::env::args().skip(1);
    let frames: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(600);
    let (width, height) = args
        .next()
        .and_then(|a| {
            let (w, h) = a.split_once('x')?;
            Some((w.parse().ok()?, h.parse().ok()?))
        })
        .unwrap_or((320, 180));

    let gpu = match Headless::new() {
        Ok(gpu) => gpu,
        Err(e) => {
            eprintln!("no GPU device: {e}");
            std::process::exit(1);
        }
    };
    println!("adapter: {}", gpu.adapter_description());
    let presets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../presets");
    let config = PlayerConfig {
        preset_dirs: vec![presets],
        preset_seconds: 2.0,
        preset_seconds_jitter: 1.0,
        blend_seconds: 1.0,
        hard_cuts: true,
        seed: 7,
        ..PlayerConfig::default()
    };
    let mut player = match Player::new(gpu.device.clone(), gpu.queue.clone(), config) {
        Ok(player) => player,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    println!("{} presets", player.playlist().len());
    let target = gpu.target(width, height);

    let fps = 60.0;
    let dt = 1.0 / fps;
    let mut track = demo_track(ANALYSIS_RATE);
    let per_frame = (f64::from(ANALYSIS_RATE) / fps).round() as usize;
    let mut pcm = Vec::with_capacity(per_frame * 2);
    let started = Instant::now();
    for frame in 0..frames {
        pcm.clear();
        for _ in 0..per_frame {
            let [l, r] = track.next_frame().unwrap_or([0.0; 2]);
            pcm.extend([l, r]);
        }
        player.push_audio_f32(&pcm, 2, ANALYSIS_RATE);
        if let Err(e) = player.render(dt, &target) {
            eprintln!("frame {frame}: {e}");
            std::process::exit(1);
        }
        for event in player.poll_events() {
            let t = f64::from(frame) * dt;
            match event {
                PlayerEvent::Switched {
                    name,
                    blend,
                    report,
                    ..
                } => println!(
                    "{t:6.2}s  {} {name}  (prepared in {:.1} ms, switch took {:.2} ms here)",
                    if blend { "blend to" } else { "cut to  " },
                    report.prepare_time.as_secs_f64() * 1e3,
                    player.stats().last_switch.as_secs_f64() * 1e3,
                ),
                PlayerEvent::Failed { path, error } => {
                    println!("{t:6.2}s  failed {path:?}: {error}")
                }
                other => println!("{t:6.2}s  {other:?}"),
            }
        }
    }
    // Wait for the GPU so the time covers the frames.
    let _ = gpu.read_rgba(&target);
    let elapsed = started.elapsed().as_secs_f64();
    let stats = player.stats();
    println!(
        "{frames} frames in {elapsed:.1} s ({:.1} ms/frame); {} switches: {} preloaded ({} waited for), {} prepared on the render thread, {} failed",
        elapsed * 1e3 / f64::from(frames.max(1)),
        stats.switches,
        stats.preloaded,
        stats.waited,
        stats.prepared_here,
        stats.failed
    );
}
