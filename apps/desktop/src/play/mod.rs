//! `kefir` with no subcommand: the windowed visualizer.
//!
//! It opens a window (winit) with a wgpu surface and plays presets from the
//! bundled `presets/` directory and the user's preset directory (or
//! `--presets DIR`) to what the machine plays (live capture), to audio files
//! given on the command line (played with sound), or to the built-in demo
//! signal. Module map: `config` (TOML settings and flag overrides), `app`
//! (window, surface, frame loop, hotkey actions), `keys` (the hotkey table),
//! `audio` (capture, demo, file queue), `playback` (file decoding and sound
//! output in sync with the visuals), `overlay` (egui: names, fps, help,
//! browser), `screenshot`, `state` (`--log-state` lines).

mod app;
mod audio;
mod config;
mod keys;
mod overlay;
mod playback;
mod screenshot;
mod state;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};

pub use config::{Settings, bundled_preset_dir};

/// Options of the visualizer (`kefir [OPTIONS] [FILE]...`). Each overrides
/// the config file.
#[derive(clap::Args, Debug, Default, Clone)]
#[command(next_help_heading = "Visualizer options")]
pub struct Args {
    /// Audio files to play with sound while visualizing them (WAV, FLAC,
    /// MP3, Ogg Vorbis), one after another; a .milk preset to start with; a
    /// directory of presets to play
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Preset directory, scanned recursively (repeatable; replaces the
    /// configured directories, which default to the bundled presets and
    /// ~/.local/share/kefir/presets)
    #[arg(long = "presets", value_name = "DIR")]
    pub presets: Vec<PathBuf>,
    /// Play only presets matching this glob, relative to a preset directory
    /// (repeatable)
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Skip presets matching this glob (repeatable)
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Directory searched for textures presets use (repeatable)
    #[arg(long = "textures", value_name = "DIR")]
    pub texture_dirs: Vec<PathBuf>,
    /// Play presets in random order (every preset once per round; default)
    #[arg(long)]
    pub shuffle: bool,
    /// Play presets in file order
    #[arg(long, conflicts_with = "shuffle")]
    pub sequential: bool,
    /// Seconds each preset plays before the next (0: change only on request)
    #[arg(long, value_name = "SECONDS")]
    pub preset_seconds: Option<f64>,
    /// Seconds of blending between presets (0: cut)
    #[arg(long, value_name = "SECONDS")]
    pub blend_seconds: Option<f64>,
    /// Cut to the next preset on strong beats
    #[arg(long)]
    pub hard_cuts: bool,
    /// Never cut on beats
    #[arg(long, conflicts_with = "hard_cuts")]
    pub no_hard_cuts: bool,
    /// Start with the preset locked (no automatic changes)
    #[arg(long)]
    pub lock: bool,
    /// Warp mesh size, columns x rows (default 48x36)
    #[arg(long, value_name = "COLSxROWS", value_parser = parse_size)]
    pub mesh: Option<(u32, u32)>,

    /// Capture from this input device: a name or part of one, an index
    /// from --list-devices, `default`, or `monitor` (what the machine plays,
    /// PulseAudio/PipeWire). Default: the monitor, else the default input,
    /// else the demo signal
    #[arg(long, value_name = "NAME")]
    pub device: Option<String>,
    /// List audio input devices and exit
    #[arg(long)]
    pub list_devices: bool,
    /// Visualize the built-in demo signal instead of capturing
    #[arg(long, conflicts_with = "device")]
    pub demo: bool,
    /// Play audio files without sound (still visualized)
    #[arg(long)]
    pub mute: bool,
    /// Beat detection sensitivity, 0..1 (default 0.5; + and - change it)
    #[arg(long, value_name = "X")]
    pub beat_sensitivity: Option<f32>,

    /// Start fullscreen
    #[arg(long)]
    pub fullscreen: bool,
    /// Start in a window (overrides the config file)
    #[arg(long, conflicts_with = "fullscreen")]
    pub windowed: bool,
    /// Monitor to open on and go fullscreen on (see --list-monitors)
    #[arg(long, value_name = "N")]
    pub monitor: Option<usize>,
    /// List monitors and exit
    #[arg(long)]
    pub list_monitors: bool,
    /// Window size in logical pixels (default 1280x720)
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    pub size: Option<(u32, u32)>,
    /// Do not wait for the display's refresh
    #[arg(long)]
    pub no_vsync: bool,
    /// Cap the frame rate (0: no cap)
    #[arg(long, value_name = "FPS")]
    pub max_fps: Option<f64>,
    /// Render presets at this fraction of the window's size, 0.1..1 (the
    /// highest scale when the scale is automatic; default 1)
    #[arg(long, value_name = "X")]
    pub render_scale: Option<f32>,
    /// Make the blur levels this fraction of MilkDrop's size, 0.25..1
    /// (default 1): a coarser blur of the same width, for a weak GPU
    #[arg(long, value_name = "X")]
    pub blur_scale: Option<f32>,
    /// Keep the render scale fixed (no lowering when frames miss the
    /// display's refresh, no skipping of presets too heavy)
    #[arg(long)]
    pub no_auto_scale: bool,
    /// Show the frame rate from the start
    #[arg(long)]
    pub show_fps: bool,
    /// Where `s` saves screenshots (default: ~/Pictures/Kefir)
    #[arg(long, value_name = "DIR")]
    pub screenshot_dir: Option<PathBuf>,

    /// Config file to use instead of ~/.config/kefir/kefir.toml
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore the config file
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Print the settings in effect as a config file and exit
    #[arg(long)]
    pub print_config: bool,
    /// Print what happens as JSON lines on stdout (window ready, preset
    /// switches, resizes, fullscreen, keys, fps each second, quit)
    #[arg(long)]
    pub log_state: bool,
    /// Quit after this many seconds
    #[arg(long, value_name = "SECONDS")]
    pub quit_after: Option<f64>,
    /// Seed for the preset order and the presets' random numbers (default:
    /// different each run)
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
}

/// `WxH`, both 1..=16384.
fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("expected WIDTHxHEIGHT, got {s:?}"))?;
    let parse = |v: &str| -> Result<u32, String> {
        let n: u32 = v
            .trim()
            .parse()
            .map_err(|_| format!("{v:?} is not a number"))?;
        if (1..=16384).contains(&n) {
            Ok(n)
        } else {
            Err(format!("{n} is out of range (1..16384)"))
        }
    };
    Ok((parse(w)?, parse(h)?))
}

/// Runs the visualizer as `args` say.
pub fn run(args: &Args) -> Result<ExitCode> {
    if args.list_devices {
        let devices = milk_audio::list_input_devices().map_err(|e| anyhow::anyhow!(e))?;
        if devices.is_empty() {
            println!("no audio input devices");
        }
        for d in devices {
            println!(
                "{}: {} [{}]{}",
                d.index,
                d.name,
                d.host,
                if d.is_monitor { " (monitor)" } else { "" }
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut settings = Settings::from_args(args)?;

    let mut audio_files = Vec::new();
    let mut start_preset = None;
    let mut dirs = Vec::new();
    for f in &args.files {
        if f.is_dir() {
            dirs.push(f.clone());
        } else if !f.exists() {
            bail!("{}: no such file", f.display());
        } else if f
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("milk"))
        {
            if start_preset.is_some() {
                bail!("give one .milk file to start with (or a directory of presets)");
            }
            start_preset = Some(f.clone());
        } else if playback::is_audio_file(f) {
            audio_files.push(f.clone());
        } else {
            bail!(
                "{}: not a preset (.milk), a directory or an audio file ({})",
                f.display(),
                playback::AUDIO_EXTENSIONS.join(", ")
            );
        }
    }
    if !dirs.is_empty() {
        settings.presets.dirs = dirs;
    }
    if args.print_config {
        print!("{}", settings.to_toml());
        return Ok(ExitCode::SUCCESS);
    }
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0)
    });
    let code = app::run(app::Options {
        settings,
        audio_files,
        start_preset,
        log_state: args.log_state,
        quit_after: args.quit_after,
        seed,
        silent: args.mute,
        list_monitors: args.list_monitors,
    })?;
    Ok(ExitCode::from(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1280x720"), Ok((1280, 720)));
        assert_eq!(parse_size("64X48"), Ok((64, 48)));
        assert!(parse_size("0x5").is_err());
        assert!(parse_size("5").is_err());
        assert!(parse_size("ax5").is_err());
        assert!(parse_size("99999x5").is_err());
    }
}
