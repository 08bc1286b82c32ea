//! `kefir`: the Kefir command line.
//!
//! - `kefir check PATH...` parses and compiles presets and reports failures.
//! - `kefir eval 'CODE'` runs one piece of equation code and prints the result.
//! - `kefir analyze FILE` prints the audio analysis presets would see, per frame.
//! - `kefir render --preset FILE ...` renders a preset offline into PNG frames
//!   and/or a video.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "kefir",
    version,
    about = "Kefir, a MilkDrop-compatible music visualizer"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => cmd::check::run(&args),
        Command::Eval(args) => cmd::eval::run(&args),
        Command::Analyze(args) => cmd::analyze::run(&args),
        Command::Render(args) => cmd::render::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kefir: {e:#}");
            ExitCode::from(2)
        }
    }
}
