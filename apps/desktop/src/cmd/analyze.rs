//! `kefir analyze FILE`: run an audio file through the analyzer the way the
//! visualizer would at a given frame rate, and print what presets would see
//! each frame (bass, mid, treb, their _att, vol, beats) and the tempo.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use milk_audio::{Analyzer, AnalyzerConfig, AudioSource, FileSource, analyze_source, demo_track};
use serde::Serialize;

#[derive(clap::Args)]
pub struct Args {
    /// Audio file (WAV, FLAC, MP3, Ogg Vorbis).
    #[arg(required_unless_present = "demo", conflicts_with = "demo")]
    file: Option<PathBuf>,
    /// Video frames per second.
    #[arg(long, default_value_t = 60.0)]
    fps: f64,
    /// Beat detection sensitivity, 0 (fewest beats) to 1 (most).
    #[arg(long, default_value_t = 0.5)]
    sensitivity: f32,
    /// Analyse this many seconds of the built-in demo track instead of a file.
    #[arg(long, value_name = "SECONDS")]
    demo: Option<f64>,
    /// Print JSON: {"bpm": .., "frames": [{"t", "bass", ..., "beat"}]}.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Frame {
    t: f64,
    bass: f32,
    mid: f32,
    treb: f32,
    bass_att: f32,
    mid_att: f32,
    treb_att: f32,
    vol: f32,
    beat: bool,
}

#[derive(Serialize)]
struct Report {
    bpm: Option<f32>,
    frames: Vec<Frame>,
}

/// Limits the demo track to a duration.
struct Take<S> {
    inner: S,
    samples_left: usize,
}

impl<S: AudioSource> AudioSource for Take<S> {
    fn format(&self) -> milk_audio::PcmFormat {
        self.inner.format()
    }

    fn read(&mut self, buf: &mut [f32]) -> Result<usize, milk_audio::AudioError> {
        let room = buf.len().min(self.samples_left);
        let n = self.inner.read(&mut buf[..room])?;
        self.samples_left -= n;
        Ok(n)
    }
}

pub fn run(args: &Args) -> Result<ExitCode> {
    anyhow::ensure!(
        args.fps.is_finite() && (1.0..=1000.0).contains(&args.fps),
        "--fps must be between 1 and 1000"
    );
    anyhow::ensure!(
        (0.0..=1.0).contains(&args.sensitivity),
        "--sensitivity must be between 0 and 1"
    );
    let mut source: Box<dyn AudioSource> = match (&args.file, args.demo) {
        (Some(path), _) => Box::new(FileSource::open(path)?),
        (None, Some(seconds)) => {
            anyhow::ensure!(
                seconds.is_finite() && seconds >= 0.0,
                "--demo takes seconds"
            );
            let rate = 44_100;
            Box::new(Take {
                inner: demo_track(rate),
                samples_left: (seconds.min(3600.0) * rate as f64) as usize * 2,
            })
        }
        (None, None) => unreachable!("clap requires FILE or --demo"),
    };
    let mut analyzer = Analyzer::new(AnalyzerConfig {
        beat_sensitivity: args.sensitivity,
    });
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut frames = Vec::new();
    let mut beats = 0u64;
    if !args.json {
        writeln!(
            out,
            "{:>9} {:>7} {:>7} {:>7} {:>8} {:>8} {:>8} {:>7} beat",
            "t", "bass", "mid", "treb", "bass_att", "mid_att", "treb_att", "vol"
        )?;
    }
    let mut write_error = None;
    analyze_source(source.as_mut(), &mut analyzer, args.fps, |_, f| {
        beats += f.beat as u64;
        let frame = Frame {
            t: f.time,
            bass: f.bass,
            mid: f.mid,
            treb: f.treb,
            bass_att: f.bass_att,
            mid_att: f.mid_att,
            treb_att: f.treb_att,
            vol: f.vol,
            beat: f.beat,
        };
        if args.json {
            frames.push(frame);
        } else if write_error.is_none()
            && let Err(e) = writeln!(
                out,
                "{:>9.4} {:>7.3} {:>7.3} {:>7.3} {:>8.3} {:>8.3} {:>8.3} {:>7.3} {}",
                frame.t,
                frame.bass,
                frame.mid,
                frame.treb,
                frame.bass_att,
                frame.mid_att,
                frame.treb_att,
                frame.vol,
                if frame.beat { "*" } else { "" }
            )
        {
            write_error = Some(e);
        }
    })
    .with_context(|| match &args.file {
        Some(p) => format!("analysing {}", p.display()),
        None => "analysing the demo track".to_string(),
    })?;
    if let Some(e) = write_error {
        return Err(e.into());
    }
    let bpm = analyzer.bpm();
    if args.json {
        serde_json::to_writer(&mut out, &Report { bpm, frames })?;
        writeln!(out)?;
    } else {
        match bpm {
            Some(bpm) => writeln!(out, "bpm: {bpm:.1}")?,
            None => writeln!(out, "bpm: unknown")?,
        }
        writeln!(out, "beats: {beats}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
