//! `kefir-pi`: the Raspberry Pi box. Line-in (ALSA capture) to HDMI
//! visuals, drawn straight to the display through KMS/DRM (no desktop),
//! with a window as the fallback. Module map: `config` (kefir.toml),
//! `kms` (DRM device, connector and mode; the Vulkan display surface),
//! `window` (winit fallback), `show` (player, audio, frame loop), `audio`
//! (capture device, demo signal), `input` (keyboards, remotes, gamepads).

mod audio;
mod config;
mod input;
#[cfg(target_os = "linux")]
mod kms;
mod show;
mod window;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use anyhow::{Result, anyhow};
use clap::Parser;
use serde_json::json;

use config::{Backend, Config, ModeRequest, Output, RenderScale};
use show::{Log, ShowOptions};

/// Kefir on a Raspberry Pi: MilkDrop visuals for the music on the line
/// input, straight to the HDMI display.
#[derive(Parser, Debug)]
#[command(name = "kefir-pi", version)]
struct Args {
    /// Config file to read instead of /boot/firmware/kefir.toml and
    /// /etc/kefir/kefir.toml
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Print the settings in effect (files and flags merged) as TOML and exit
    #[arg(long)]
    print_config: bool,
    /// Where to draw: auto (KMS, else a window), drm or window
    #[arg(long, value_name = "OUTPUT")]
    display: Option<Output>,
    /// Display mode: auto, WIDTHxHEIGHT or WIDTHxHEIGHT@HZ
    #[arg(long, value_name = "MODE")]
    mode: Option<ModeRequest>,
    /// DRM connector, e.g. HDMI-A-1 (default: the first connected)
    #[arg(long, value_name = "NAME")]
    connector: Option<String>,
    /// Graphics API: auto, vulkan or gl (windows only)
    #[arg(long, value_name = "API")]
    backend: Option<Backend>,
    /// Window size in pixels (default: fullscreen)
    #[arg(long, value_name = "WxH")]
    size: Option<ModeRequest>,
    /// Capture device: a name, an ALSA id, part of a card id, or auto
    #[arg(long, value_name = "NAME")]
    device: Option<String>,
    /// Play the built-in demo signal instead of capturing
    #[arg(long, conflicts_with = "device")]
    demo: bool,
    /// Preset directory (repeatable; replaces the configured ones)
    #[arg(long = "presets", value_name = "DIR")]
    presets: Vec<PathBuf>,
    /// Play only the given preset directories, not the bundled presets
    #[arg(long)]
    no_bundled: bool,
    /// Seconds each preset plays (0: change only on request)
    #[arg(long, value_name = "SECONDS")]
    preset_seconds: Option<f64>,
    /// Render scale: auto or 0.1..1
    #[arg(long, value_name = "X")]
    render_scale: Option<RenderScale>,
    /// List audio input devices and exit
    #[arg(long)]
    list_devices: bool,
    /// List DRM devices, connectors and modes and exit
    #[arg(long)]
    list_modes: bool,
    /// Print what happens as JSON lines on stdout
    #[arg(long)]
    log_state: bool,
    /// Quit after this many seconds
    #[arg(long, value_name = "SECONDS")]
    quit_after: Option<f64>,
    /// Seed of the preset order (default: different each run)
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
}

/// Set by SIGTERM/SIGINT: the KMS loop ends cleanly (releasing the display).
static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

fn catch_signals() {
    // SAFETY: the handler only stores to an atomic.
    unsafe {
        libc::signal(libc::SIGTERM, on_signal as *const () as libc::sighandler_t);
        libc::signal(libc::SIGINT, on_signal as *const () as libc::sighandler_t);
    }
}

/// The files, then the flags.
fn settings(args: &Args) -> (Config, Vec<PathBuf>, Vec<config::Problem>) {
    let paths: Vec<PathBuf> = match &args.config {
        Some(p) => vec![p.clone()],
        None => config::CONFIG_PATHS.iter().map(PathBuf::from).collect(),
    };
    let (mut c, read, mut problems) = Config::load(&paths);
    if let Some(p) = &args.config
        && !read.contains(p)
        && problems.is_empty()
    {
        problems.push(config::Problem {
            file: p.clone(),
            at: None,
            message: "no such file; using the defaults".into(),
        });
    }
    if let Some(v) = args.display {
        c.display.output = v;
    }
    if let Some(v) = args.mode {
        c.display.mode = v;
    }
    if let Some(v) = &args.connector {
        c.display.connector = v.clone();
    }
    if let Some(v) = args.backend {
        c.display.backend = v;
    }
    if let Some(v) = &args.device {
        c.audio.device = v.clone();
    }
    if args.demo {
        c.audio.device = "demo".into();
    }
    if !args.presets.is_empty() {
        c.presets.dirs = args.presets.clone();
    }
    if args.no_bundled {
        c.presets.bundled = false;
    }
    if let Some(v) = args.preset_seconds {
        c.presets.duration = v.max(0.0);
    }
    if let Some(v) = args.render_scale {
        c.display.render_scale = v;
    }
    (c, read, problems)
}

fn main() -> ExitCode {
    // SAFETY: first thing in main, before any other thread exists.
    unsafe { milk_engine::software::request_exact_texture_filtering() };
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kefir-pi: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<()> {
    let log = Log {
        json: args.log_state,
    };
    if args.list_devices {
        match milk_audio::list_input_devices() {
            Ok(list) if !list.is_empty() => {
                for d in list {
                    println!("{}: {} [{}]", d.index, d.name, d.id);
                }
            }
            Ok(_) => println!("no audio input devices"),
            Err(e) => println!("no audio input devices: {e}"),
        }
        return Ok(());
    }
    if args.list_modes {
        #[cfg(target_os = "linux")]
        print!("{}", kms::describe());
        return Ok(());
    }
    let (config, read, problems) = settings(args);
    // Bad settings never stop the box: they are reported and the defaults
    // are used.
    for p in &problems {
        eprintln!("kefir-pi: config: {p}");
        log.emit(json!({"event": "config_problem", "message": p.to_string()}));
    }
    if args.print_config {
        if read.is_empty() {
            println!("# no config file read; defaults and flags");
        }
        for f in &read {
            println!("# read {}", f.display());
        }
        print!("{}", config.to_toml());
        return Ok(());
    }
    catch_signals();
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    });
    let (tx, rx) = mpsc::channel();
    for name in input::start(tx) {
        log.say(&format!("input: {name}"));
    }
    let options = ShowOptions {
        config: config.clone(),
        seed,
        log,
        quit_after: args.quit_after,
        refresh_hz: 60.0,
        problems: problems.iter().map(|p| p.to_string()).collect(),
    };
    let window_size = args.size.map(|m| match m {
        ModeRequest::Size { width, height, .. } => (width, height),
        ModeRequest::Auto => (1280, 720),
    });
    #[cfg(target_os = "linux")]
    if config.display.output != Output::Window {
        match kms::open(&config.display) {
            Ok(display) => return run_kms(display, options, rx),
            Err(e) if config.display.output == Output::Drm => return Err(e),
            Err(e) => log.say(&format!("{e:#}; trying a window instead")),
        }
    }
    window::run(options, window_size, config.display.backend, rx)
}

/// The KMS loop: one frame per refresh until SIGTERM.
#[cfg(target_os = "linux")]
fn run_kms(
    display: kms::KmsDisplay,
    mut options: ShowOptions,
    actions: mpsc::Receiver<input::Action>,
) -> Result<()> {
    let log = options.log;
    options.refresh_hz = f64::from(display.refresh_mhz) / 1000.0;
    let mut show = show::Show::new(&display.adapter, options)?;
    let config = show::surface_config(
        &display.surface,
        &display.adapter,
        &show.device,
        display.width,
        display.height,
    )?;
    let info = display.adapter.get_info();
    log.say(&format!(
        "drawing to {} with {}",
        display.description, info.name
    ));
    log.emit(json!({
        "event": "ready",
        "display": "drm",
        "output": display.description,
        "width": config.width,
        "height": config.height,
        "presets": show.presets(),
        "audio": show.audio_kind(),
    }));
    while !STOP.load(Ordering::SeqCst) && !show.quit {
        while let Ok(a) = actions.try_recv() {
            show.act(a);
        }
        show.frame(&display.surface, &config);
    }
    show.finish();
    let failure = show.failure.take();
    // The player before the surface, the surface before the DRM device.
    drop(show);
    drop(display);
    match failure {
        Some(why) => Err(anyhow!("{why}; exiting to be started again")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_files() {
        let args = Args::parse_from([
            "kefir-pi",
            "--config",
            "/nonexistent/kefir.toml",
            "--display",
            "window",
            "--mode",
            "1280x720@50",
            "--demo",
            "--render-scale",
            "0.5",
            "--preset-seconds",
            "3",
        ]);
        let (c, read, problems) = settings(&args);
        assert!(read.is_empty());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].to_string().contains("no such file"));
        assert_eq!(c.display.output, Output::Window);
        assert_eq!(c.display.mode.to_string(), "1280x720@50");
        assert_eq!(c.audio.device, "demo");
        assert_eq!(c.display.render_scale, RenderScale::Fixed(0.5));
        assert_eq!(c.presets.duration, 3.0);
    }

    #[test]
    fn bad_flags_are_refused() {
        assert!(Args::try_parse_from(["kefir-pi", "--display", "hdmi"]).is_err());
        assert!(Args::try_parse_from(["kefir-pi", "--mode", "big"]).is_err());
        assert!(Args::try_parse_from(["kefir-pi", "--render-scale", "7"]).is_err());
    }
}
