//! `kefir`: the Kefir command line.
//!
//! - `kefir [OPTIONS] [FILE]...` (no subcommand) opens a window and
//!   visualizes what the machine plays, audio files, or the demo signal
//!   (see `play`).
//! - `kefir check PATH...` parses and compiles presets and reports failures.
//! - `kefir eval 'CODE'` runs one piece of equation code and prints the result.
//! - `kefir analyze FILE` prints the audio analysis presets would see, per frame.
//! - `kefir render --preset FILE ...` renders a preset offline into PNG frames
//!   and/or a video.
//! - `kefir showcase` renders a short video of the bundled presets (or
//!   others) with blends and the demo track's sound.
//! - `kefir bench PRESET|DIR...` measures how fast this machine renders
//!   presets and writes the device's cost file.

mod cmd;
mod play;
#[cfg(windows)]
mod windows_console;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "kefir",
    version,
    about = "Kefir, a MilkDrop-compatible music visualizer",
    long_about = "Kefir, a MilkDrop-compatible music visualizer.\n\n\
        With no subcommand, opens a window and visualizes what the machine \
        plays (or the audio files given, played with sound, or a demo \
        signal), cycling through the presets. Settings come from \
        ~/.config/kefir/kefir.toml (see --print-config); flags override them.",
    after_help = "Keys in the window: n/space next, p/backspace previous, r random, \
        h hard cut, l lock, b browser, * favourite, delete never again, +/- beat \
        sensitivity, i/F3 name, F4/` fps, s screenshot, f or alt+enter fullscreen, \
        F1 help, escape back, q quit.",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    play: play::Args,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and compile every preset under the given files or directories.
    Check(cmd::check::Args),
    /// Compile and run equation code in a per-frame context and print the
    /// value of the last statement and every variable it assigned.
    Eval(cmd::eval::Args),
    /// Analyse an audio file as the visualizer would at a frame rate and
    /// print bass/mid/treb, their _att, vol and beats per frame, and the BPM.
    Analyze(cmd::analyze::Args),
    /// Render a preset offline (headless) into PNG frames and/or a video,
    /// with fixed frame times so runs are reproducible.
    Render(cmd::render::Args),
    /// Render a short video of presets playing one after another with
    /// blends, to the built-in demo track with its sound (needs ffmpeg).
    Showcase(cmd::showcase::Args),
    /// Measure how fast this machine renders presets: frame times, CPU
    /// time, time per pass, first-frame and prepare times, ranked; updates
    /// this device's cost file (which the player reads to skip or
    /// down-scale presets too heavy for it).
    Bench(cmd::bench::Args),
}

fn main() -> ExitCode {
    // SAFETY: first thing in main, before any other thread exists.
    unsafe { milk_engine::software::request_exact_texture_filtering() };
    #[cfg(windows)]
    let detached = windows_console::detach_own_console();
    let cli = Cli::parse();
    let result = match cli.command {
        None => play::run(&cli.play),
        Some(Command::Check(args)) => cmd::check::run(&args),
        Some(Command::Eval(args)) => cmd::eval::run(&args),
        Some(Command::Analyze(args)) => cmd::analyze::run(&args),
        Some(Command::Render(args)) => cmd::render::run(&args),
        Some(Command::Showcase(args)) => cmd::showcase::run(&args),
        Some(Command::Bench(args)) => cmd::bench::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kefir: {e:#}");
            #[cfg(windows)]
            if detached {
                windows_console::show_error(&format!("{e:#}"));
            }
            ExitCode::from(2)
        }
    }
}
