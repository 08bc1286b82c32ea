//! `kefir showcase`: a short video of presets playing one after another with
//! MilkDrop's blends, to the built-in demo track, with its sound. The main
//! job on a machine without a display (`scripts/run.sh`), and a quick way
//! to see a preset folder.
//!
//! It drives the same [`Player`] as the window (playlist, timer, blends),
//! headless, with fixed frame times, so the same presets, size, fps and seed
//! give the same video.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result, ensure};
use kefir_player::{Player, PlayerConfig, PlayerEvent};
use milk_audio::{AudioSource, demo_track};
use milk_engine::headless::Headless;

use super::render::output::{self, FrameSink, Video};

/// The demo track's sample rate (what the video's sound is encoded from).
const SAMPLE_RATE: u32 = 44_100;

#[derive(clap::Args)]
pub struct Args {
    /// The video to write (mp4, mkv, webm...: ffmpeg picks the format from
    /// the name).
    #[arg(long, default_value = "kefir-showcase.mp4")]
    out: PathBuf,
    /// Preset directories or files (repeatable); default: the bundled
    /// presets.
    #[arg(long = "presets", value_name = "DIR")]
    presets: Vec<PathBuf>,
    /// Directories searched for the textures presets use.
    #[arg(long = "textures", value_name = "DIR")]
    texture_dirs: Vec<PathBuf>,
    /// Length of the video in seconds.
    #[arg(long, default_value_t = 20.0)]
    seconds: f64,
    /// Frame size, WIDTHxHEIGHT.
    #[arg(long, default_value = "1280x720", value_parser = super::render::parse_size)]
    size: (u32, u32),
    /// Frames per second.
    #[arg(long, default_value_t = 30.0)]
    fps: f64,
    /// Seconds each preset plays before the next one blends in.
    #[arg(long, default_value_t = 3.0)]
    preset_seconds: f64,
    /// Seconds of each blend.
    #[arg(long, default_value_t = 1.5)]
    blend_seconds: f64,
    /// Seed of the preset order and the presets' random values.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// `seconds` of the demo track as interleaved stereo at [`SAMPLE_RATE`].
fn demo_pcm(seconds: f64) -> Result<Vec<f32>> {
    let frames = (seconds * f64::from(SAMPLE_RATE)).ceil() as usize;
    let mut track = demo_track(SAMPLE_RATE);
    let mut pcm = vec![0.0f32; frames * 2];
    let mut filled = 0;
    while filled < pcm.len() {
        let n = track
            .read(&mut pcm[filled..])
            .context("generating the demo track")?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    Ok(pcm)
}

/// Writes interleaved stereo PCM as a 16-bit WAV file (ffmpeg's sound input).
fn write_wav(path: &Path, pcm: &[f32]) -> Result<()> {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: SAMPLE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut wav = hound::WavWriter::create(path, spec)
        .with_context(|| format!("creating {}", path.display()))?;
    for &s in pcm {
        wav.write_sample((s.clamp(-1.0, 1.0) * f32::from(i16::MAX)) as i16)?;
    }
    wav.finalize()
        .with_context(|| format!("writing {}", path.display()))
}

/// A temporary file removed when dropped.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `m:ss` of a time in seconds.
fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

pub fn run(args: &Args) -> Result<ExitCode> {
    ensure!(
        args.fps.is_finite() && (1.0..=240.0).contains(&args.fps),
        "--fps must be between 1 and 240"
    );
    ensure!(
        args.seconds.is_finite() && args.seconds > 0.0 && args.seconds <= 3600.0,
        "--seconds must be more than 0 and at most 3600"
    );
    ensure!(
        args.preset_seconds.is_finite() && args.preset_seconds > 0.0,
        "--preset-seconds must be more than 0"
    );
    ensure!(
        args.blend_seconds.is_finite() && args.blend_seconds >= 0.0,
        "--blend-seconds must be 0 or more"
    );
    let ffmpeg = output::require_ffmpeg(
        "kefir showcase",
        "render PNG frames of one preset with `kefir render --preset FILE --synth --out DIR`",
    )?;
    let preset_dirs = if args.presets.is_empty() {
        crate::play::bundled_preset_dir().into_iter().collect()
    } else {
        args.presets.clone()
    };

    let frames = (args.seconds * args.fps).round().max(1.0) as u64;
    let pcm = demo_pcm(frames as f64 / args.fps)?;
    let wav =
        TempFile(std::env::temp_dir().join(format!("kefir-showcase-{}.wav", std::process::id())));
    write_wav(&wav.0, &pcm)?;

    let gpu = Headless::new().context("creating a headless GPU device")?;
    let (width, height) = args.size;
    let max = gpu.device.limits().max_texture_dimension_2d;
    ensure!(
        width <= max && height <= max,
        "--size {width}x{height} is larger than this adapter allows ({max}x{max})"
    );
    let config = PlayerConfig {
        engine: milk_engine::Config {
            seed: args.seed,
            ..milk_engine::Config::default()
        },
        preset_dirs,
        texture_dirs: args.texture_dirs.clone(),
        shuffle: true,
        preset_seconds: args.preset_seconds,
        preset_seconds_jitter: 0.0,
        blend_seconds: args.blend_seconds,
        seed: args.seed,
        ..PlayerConfig::default()
    };
    let mut player = Player::new(gpu.device.clone(), gpu.queue.clone(), config)?;
    ensure!(
        !player.playlist().is_empty(),
        "no presets found in {}",
        player
            .config()
            .preset_dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let video = Video::start(&ffmpeg, args.size, args.fps, Some((&wav.0, 0.0)), &args.out)?;
    let sink = FrameSink::start(None, args.size, Some(video))?;
    let target = gpu.target(width, height);

    eprintln!(
        "kefir: rendering a {:.0} s showcase of {} presets at {width}x{height}, {} fps, \
         with the demo track, on {}",
        args.seconds,
        player.playlist().len(),
        args.fps,
        gpu.adapter_description()
    );
    let bar = output::frame_progress(frames);
    let started = Instant::now();
    let mut shown = 0usize;
    let mut fed = 0usize;
    let dt = 1.0 / args.fps;
    let result = (|| -> Result<()> {
        for index in 0..frames {
            // The demo track up to the end of this frame.
            let until = (((index + 1) as f64 * dt * f64::from(SAMPLE_RATE)).round() as usize * 2)
                .min(pcm.len());
            player.push_audio_f32(&pcm[fed..until], 2, SAMPLE_RATE);
            fed = until;
            player
                .render(dt, &target)
                .with_context(|| format!("rendering frame {}", index + 1))?;
            for event in player.poll_events() {
                let at = clock(index as f64 * dt);
                match event {
                    PlayerEvent::Switched { name, blend, .. } => {
                        shown += 1;
                        let how = if blend { "blends in" } else { "starts" };
                        bar.suspend(|| eprintln!("kefir: {at} {name} {how}"));
                        bar.set_message(name);
                    }
                    PlayerEvent::Failed { path, error } => {
                        let which = path.map(|p| p.display().to_string()).unwrap_or_default();
                        bar.suspend(|| eprintln!("kefir: {at} skipped {which}: {error}"));
                    }
                    PlayerEvent::Warning { message } => {
                        bar.suspend(|| eprintln!("kefir: {message}"));
                    }
                    _ => {}
                }
            }
            let rgba = gpu
                .read_rgba(&target)
                .with_context(|| format!("reading frame {} back", index + 1))?;
            sink.send(index, rgba)?;
            bar.inc(1);
        }
        Ok(())
    })();
    // The writer's own error (ffmpeg failing) explains a failed send best.
    let written = sink.finish();
    bar.finish_and_clear();
    written?;
    result?;
    eprintln!(
        "kefir: wrote {} ({:.1} s, {width}x{height}, {} fps, {shown} presets) in {:.0} s",
        args.out.display(),
        frames as f64 / args.fps,
        args.fps,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
