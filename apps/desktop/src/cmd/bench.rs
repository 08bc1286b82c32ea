//! `kefir bench`: how fast this machine renders presets (kefir-perf's
//! `bench` does the work): per preset the median and 95th percentile frame
//! time, CPU time per frame, time per pass (GPU where the adapter has
//! timestamps), first-frame and prepare times, ranked slowest first. The
//! results go into the device's cost file, which the player reads to skip
//! or down-scale presets the device cannot play in time.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use kefir_perf::CostFile;
use kefir_perf::bench::{
    Bench, BenchAudio, BenchConfig, PresetReport, collect_presets, pass_table, table,
};
use kefir_perf::governor::GovernorConfig;

use super::render::parse_size;

#[derive(clap::Args)]
pub struct Args {
    /// Presets (.milk files) and directories of presets (searched
    /// recursively).
    #[arg(required = true, value_name = "PRESET|DIR")]
    paths: Vec<PathBuf>,
    /// Output size, WIDTHxHEIGHT.
    #[arg(long, default_value = "1280x720", value_parser = parse_size)]
    size: (u32, u32),
    /// Frames per preset (the first, with its pipeline compiles, is
    /// reported apart).
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(2..))]
    frames: u32,
    /// Frame rate of the presets' clock and of the audio fed.
    #[arg(long, default_value_t = 60.0)]
    fps: f64,
    /// Render scale: the fraction of the output size frames render at.
    #[arg(long, default_value_t = 1.0)]
    render_scale: f32,
    /// Blur scale: the blur levels' size as a fraction of MilkDrop's
    /// (0.25..1).
    #[arg(long, default_value_t = 1.0)]
    blur_scale: f32,
    /// Let the render scale governor pick the scale as frames come (from
    /// --render-scale down) to fit the frame budget.
    #[arg(long)]
    governor: bool,
    /// The frame budget in ms (default: one frame at --fps).
    #[arg(long)]
    budget_ms: Option<f32>,
    /// Audio file to feed (default: the built-in demo track).
    #[arg(long)]
    audio: Option<PathBuf>,
    /// Directories searched for the user textures presets name.
    #[arg(long = "textures", value_name = "DIR")]
    texture_dirs: Vec<PathBuf>,
    /// Print the results as JSON instead of tables.
    #[arg(long)]
    json: bool,
    /// Write every frame (preset, frame, ms, CPU ms, scale) to this CSV file.
    #[arg(long, value_name = "FILE")]
    trace: Option<PathBuf>,
    /// The cost file to update (default: this device's, in the data
    /// directory).
    #[arg(long, value_name = "FILE", conflicts_with = "no_cost_file")]
    cost_file: Option<PathBuf>,
    /// Do not update any cost file.
    #[arg(long)]
    no_cost_file: bool,
    /// Skip the GPU timestamp queries.
    #[arg(long)]
    no_gpu_timing: bool,
    /// Seed of the presets' random numbers.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let (presets, unreadable) = collect_presets(&args.paths);
    for (path, e) in &unreadable {
        eprintln!("kefir bench: {}: {e}", path.display());
    }
    if presets.is_empty() {
        bail!("no presets to benchmark");
    }
    let fps = if args.fps.is_finite() && args.fps > 0.0 {
        args.fps
    } else {
        bail!("--fps must be a positive number");
    };
    let budget =
        Duration::from_secs_f64(args.budget_ms.map_or(1.0 / fps, |ms| f64::from(ms) / 1e3));
    let config = BenchConfig {
        size: args.size,
        frames: args.frames,
        fps,
        render_scale: args.render_scale,
        blur_scale: args.blur_scale,
        audio: args
            .audio
            .clone()
            .map_or(BenchAudio::Demo, BenchAudio::File),
        texture_dirs: args.texture_dirs.clone(),
        governor: args.governor.then(|| GovernorConfig {
            max_scale: args.render_scale.clamp(0.1, 1.0),
            ..GovernorConfig::for_budget(budget)
        }),
        gpu_timing: !args.no_gpu_timing,
        seed: args.seed,
    };
    let mut bench = Bench::new(config).context("opening a GPU adapter")?;
    if !args.json {
        println!(
            "{} presets at {}x{}, {} frames each, on {}{}",
            presets.len(),
            args.size.0,
            args.size.1,
            args.frames,
            bench.adapter_description(),
            if bench.gpu_timing() {
                " (GPU time per pass from timestamp queries)"
            } else {
                " (no GPU timestamps: CPU time per pass only)"
            }
        );
    }

    let bar = ProgressBar::new(presets.len() as u64 * u64::from(args.frames));
    bar.set_style(
        ProgressStyle::with_template("{wide_bar} {pos}/{len} frames  {eta} left  {msg}")
            .expect("valid progress template"),
    );
    let mut reports = Vec::new();
    let mut failures: Vec<(PathBuf, String)> = unreadable
        .iter()
        .map(|(p, e)| (p.clone(), e.to_string()))
        .collect();
    for (n, path) in presets.iter().enumerate() {
        bar.set_message(
            path.file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        let done = n as u64 * u64::from(args.frames);
        match bench.run(path, &mut |f| bar.set_position(done + u64::from(f))) {
            Ok(report) => reports.push(report),
            Err(e) => {
                bar.suspend(|| eprintln!("kefir bench: {e}"));
                failures.push((path.clone(), e.to_string()));
            }
        }
    }
    bar.finish_and_clear();

    if let Some(path) = &args.trace {
        write_trace(path, &reports).with_context(|| format!("writing {}", path.display()))?;
    }
    let cost_path = if args.no_cost_file {
        None
    } else {
        args.cost_file
            .clone()
            .or_else(|| CostFile::default_path(&bench.device()))
    };
    if let Some(path) = &cost_path {
        let mut file = CostFile::load_or_new(path, bench.device())?;
        for r in &reports {
            file.record(&r.key, r.cost(args.size));
        }
        file.save(path)?;
    }

    if args.json {
        let json = serde_json::json!({
            "device": bench.device(),
            "size": [args.size.0, args.size.1],
            "frames": args.frames,
            "fps": fps,
            "budget_ms": budget.as_secs_f64() * 1e3,
            "gpu_timing": bench.gpu_timing(),
            "cost_file": cost_path,
            "presets": reports,
            "failures": failures
                .iter()
                .map(|(p, e)| serde_json::json!({ "path": p, "error": e }))
                .collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&json)?);
    } else {
        print_tables(&reports, budget);
        if let Some(path) = &cost_path {
            println!("\ncosts written to {}", path.display());
        }
        if !failures.is_empty() {
            println!("\n{} presets failed (see above)", failures.len());
        }
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_tables(reports: &[PresetReport], budget: Duration) {
    println!("\n{}", table(reports, budget));
    println!("median ms per pass:\n\n{}", pass_table(reports));
    let scaled: Vec<_> = reports
        .iter()
        .filter(|r| r.trace.iter().any(|s| s.scale < 1.0))
        .collect();
    for r in scaled {
        let changes: Vec<String> = r
            .trace
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[0].scale != w[1].scale)
            .map(|(f, w)| format!("frame {}: {:.3} -> {:.3}", f + 1, w[0].scale, w[1].scale))
            .collect();
        if !changes.is_empty() {
            println!("{}: render scale {}", r.key, changes.join(", "));
        }
    }
}

fn write_trace(path: &std::path::Path, reports: &[PresetReport]) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "preset,frame,ms,cpu_ms,scale")?;
    for r in reports {
        for (f, s) in r.trace.iter().enumerate() {
            let cpu = s.cpu_ms.map_or(String::new(), |c| format!("{c:.3}"));
            writeln!(
                out,
                "\"{}\",{},{:.3},{cpu},{:.4}",
                r.key.replace('"', "\"\""),
                f + 1,
                s.ms,
                s.scale
            )?;
        }
    }
    out.flush()
}
