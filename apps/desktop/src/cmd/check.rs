//! `kefir check PATH...`: parse and compile every preset under the paths and
//! report what fails, with file:line:col. Warp and comp shaders (where the
//! preset's PSVERSION_WARP/COMP enables them) are translated to WGSL and
//! validated too; a shader failure is reported but does not fail the preset
//! (the engine falls back to the default shader, as MilkDrop does).
//!
//! With `--render`, every preset is also loaded into a headless visualizer
//! (Mesa's lavapipe without a GPU): its pipelines are built on the adapter,
//! its textures looked up (`--textures DIR`), and two small frames rendered
//! under a wgpu error scope, so what the GPU rejects is reported too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result};
use milk_hlsl::Stage;
use milk_parser::{CodeOptions, ParseError, Preset, PresetCode};
use serde::Serialize;

#[derive(clap::Args)]
pub struct Args {
    /// Preset files or directories (searched recursively for .milk files).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Also list presets that load with warnings (ignored lines, gaps).
    #[arg(long)]
    warnings: bool,
    /// Build every preset's pipelines on the GPU (or lavapipe) and render
    /// two small frames; report what fails.
    #[arg(long)]
    render: bool,
    /// Directories searched for user textures (with --render), after the
    /// preset's own directory.
    #[arg(long = "textures", value_name = "DIR")]
    texture_dirs: Vec<PathBuf>,
}

#[derive(Serialize, Default)]
struct RenderReport {
    /// Presets loaded into the visualizer.
    loaded: usize,
    /// Presets whose shaders all run (no fallback) and whose frames
    /// rendered without a GPU error.
    ok: usize,
    /// Stages running the preset's own shader.
    warp_shaders: usize,
    comp_shaders: usize,
    /// Shader stages that fell back to MilkDrop's default, by reason
    /// (translation failures are also in `shader_failures`).
    fallbacks: usize,
    failures: Vec<RenderFailure>,
    /// User textures not found or not loadable (a neutral texture stands in).
    texture_warnings: Vec<String>,
    /// Preparing a preset (code, shaders, textures, pipelines), ms.
    prepare_ms_median: f64,
    prepare_ms_p95: f64,
    prepare_ms_max: f64,
    adapter: String,
}

#[derive(Serialize)]
struct RenderFailure {
    file: String,
    /// `pipeline` (the device rejected a shader stage) or `frame` (a GPU
    /// error while rendering).
    kind: &'static str,
    message: String,
}

#[derive(Serialize)]
struct Failure {
    file: String,
    line: u32,
    col: u32,
    /// `file` (the preset could not be read), `syntax` or `semantic`.
    kind: &'static str,
    /// The code block, e.g. `per_frame` (empty for file errors).
    block: String,
    message: String,
}

#[derive(Serialize)]
struct ShaderFailure {
    file: String,
    /// `warp` or `comp`.
    stage: &'static str,
    line: u32,
    col: u32,
    /// `syntax`, `type`, `unsupported` or `validation`.
    kind: &'static str,
    message: String,
}

#[derive(Serialize, Default)]
struct StageCounts {
    total: usize,
    ok: usize,
}

#[derive(Serialize, Default)]
struct Report {
    total: usize,
    ok: usize,
    failed: usize,
    /// Failures counted by kind.
    by_kind: BTreeMap<&'static str, usize>,
    /// Presets with ignored lines (junk, duplicate keys, numbering gaps).
    with_warnings: usize,
    /// Per-vertex programs (per-pixel and per-point) and how many batch.
    vertex_programs: usize,
    vertex_programs_batched: usize,
    failures: Vec<Failure>,
    /// Warp and comp shaders found (enabled by PSVERSION_WARP/COMP).
    shaders_total: usize,
    /// Shaders translated to WGSL and validated.
    shaders_ok: usize,
    /// The same counts per stage.
    shaders_warp: StageCounts,
    shaders_comp: StageCounts,
    /// Shader failures counted by kind.
    shader_failures_by_kind: BTreeMap<&'static str, usize>,
    shader_failures: Vec<ShaderFailure>,
    #[serde(skip)]
    warnings: Vec<String>,
    /// With `--render`.
    #[serde(skip_serializing_if = "Option::is_none")]
    render: Option<RenderReport>,
}

/// `--render`: a headless visualizer that loads and draws presets.
struct RenderCheck {
    gpu: milk_engine::headless::Headless,
    vis: milk_engine::Visualizer,
    target: wgpu::Texture,
    prepare_ms: Vec<f64>,
    report: RenderReport,
}

impl RenderCheck {
    fn new(texture_dirs: Vec<PathBuf>) -> Result<Self> {
        let gpu = milk_engine::headless::Headless::new().context("--render needs a GPU adapter")?;
        let mut vis = milk_engine::Visualizer::new(
            gpu.device.clone(),
            gpu.queue.clone(),
            milk_engine::Config::default(),
        );
        vis.set_texture_dirs(texture_dirs);
        let target = gpu.target(64, 48);
        let info = gpu.adapter.get_info();
        Ok(RenderCheck {
            report: RenderReport {
                adapter: format!("{} ({:?})", info.name, info.backend),
                ..RenderReport::default()
            },
            gpu,
            vis,
            target,
            prepare_ms: Vec::new(),
        })
    }

    fn check(&mut self, file: &str, path: &Path, preset: &Preset) {
        let load = self.vis.load_preset_in(preset, path.parent());
        let r = &mut self.report;
        r.loaded += 1;
        self.prepare_ms
            .push(load.prepare_time.as_secs_f64() * 1000.0);
        r.warp_shaders += usize::from(load.warp_shader);
        r.comp_shaders += usize::from(load.comp_shader);
        r.fallbacks += load.shader_failures.len();
        r.texture_warnings
            .extend(load.texture_warnings.iter().map(|w| format!("{file}: {w}")));
        let mut ok = load.shader_failures.is_empty();
        for f in &load.shader_failures {
            if let milk_engine::ShaderFailure::Pipeline { .. } = f {
                r.failures.push(RenderFailure {
                    file: file.to_string(),
                    kind: "pipeline",
                    message: f.to_string(),
                });
            }
        }
        let scope = self
            .gpu
            .device
            .push_error_scope(wgpu::ErrorFilter::Validation);
        let audio = milk_audio::AudioFrame::default();
        let mut frame_error = None;
        for _ in 0..2 {
            if let Err(e) = self.vis.render(1.0 / 60.0, &audio, &self.target) {
                frame_error = Some(e.to_string());
            }
        }
        if let Some(e) = pollster::block_on(scope.pop()) {
            frame_error = Some(e.to_string());
        }
        if let Some(message) = frame_error {
            ok = false;
            r.failures.push(RenderFailure {
                file: file.to_string(),
                kind: "frame",
                message,
            });
        }
        r.ok += usize::from(ok);
    }

    fn finish(mut self) -> RenderReport {
        let mut ms = std::mem::take(&mut self.prepare_ms);
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| {
            ms.get(((ms.len() as f64 - 1.0) * q).round() as usize)
                .copied()
        };
        self.report.prepare_ms_median = at(0.5).unwrap_or(0.0);
        self.report.prepare_ms_p95 = at(0.95).unwrap_or(0.0);
        self.report.prepare_ms_max = ms.last().copied().unwrap_or(0.0);
        // Let the GPU finish before the device goes away.
        let _ = self.gpu.device.poll(wgpu::PollType::wait_indefinitely());
        self.report
    }
}

/// Every `.milk` file under `path`, sorted.
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if meta.is_file() {
        out.push(path.to_owned());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("cannot list {}", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect(&entry, out)?;
        } else if entry
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("milk"))
        {
            out.push(entry);
        }
    }
    Ok(())
}

fn check_file(path: &Path, report: &mut Report, render: Option<&mut RenderCheck>) {
    let file = path.display().to_string();
    report.total += 1;
    let preset = std::fs::read(path)
        .map_err(|e| (1, 1, format!("cannot read file: {e}")))
        .and_then(|bytes| {
            Preset::from_bytes(&bytes).map_err(|e| {
                let (line, col) = match &e {
                    ParseError::NulByte { line, col } => (*line, *col),
                    _ => (1, 1),
                };
                (line, col, e.to_string())
            })
        });
    let preset = match preset {
        Ok(p) => p,
        Err((line, col, message)) => {
            report.failed += 1;
            *report.by_kind.entry("file").or_default() += 1;
            report.failures.push(Failure {
                file,
                line,
                col,
                kind: "file",
                block: String::new(),
                message,
            });
            return;
        }
    };
    if !preset.warnings.is_empty() {
        report.with_warnings += 1;
        report
            .warnings
            .extend(preset.warnings.iter().map(|w| format!("{file}:{w}")));
    }
    check_shaders(&file, &preset, report);
    if let Some(render) = render {
        render.check(&file, path, &preset);
    }
    let code = PresetCode::compile(&preset, CodeOptions::default());
    let (programs, batched) = code.vertex_program_counts();
    report.vertex_programs += programs;
    report.vertex_programs_batched += batched;
    if code.errors.is_empty() {
        report.ok += 1;
        return;
    }
    report.failed += 1;
    for e in code.errors {
        *report.by_kind.entry(e.kind.as_str()).or_default() += 1;
        report.failures.push(Failure {
            file: file.clone(),
            line: e.location.line,
            col: e.location.col,
            kind: e.kind.as_str(),
            block: e.block.to_string(),
            message: e.message,
        });
    }
}

/// Translates the preset's enabled warp and comp shaders.
fn check_shaders(file: &str, preset: &Preset, report: &mut Report) {
    for (stage, block, version) in [
        (Stage::Warp, &preset.warp_shader, preset.ps_version_warp),
        (Stage::Comp, &preset.comp_shader, preset.ps_version_comp),
    ] {
        let Some(block) = block.as_ref().filter(|b| version > 0 && !b.is_empty()) else {
            continue;
        };
        let counts = match stage {
            Stage::Warp => &mut report.shaders_warp,
            Stage::Comp => &mut report.shaders_comp,
        };
        counts.total += 1;
        report.shaders_total += 1;
        match milk_hlsl::translate(block, stage) {
            Ok(_) => {
                counts.ok += 1;
                report.shaders_ok += 1;
            }
            Err(e) => {
                *report
                    .shader_failures_by_kind
                    .entry(e.kind.as_str())
                    .or_default() += 1;
                report.shader_failures.push(ShaderFailure {
                    file: file.to_string(),
                    stage: stage.as_str(),
                    line: e.line,
                    col: e.col,
                    kind: e.kind.as_str(),
                    message: e.message,
                });
            }
        }
    }
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let start = Instant::now();
    let mut files = Vec::new();
    for path in &args.paths {
        collect(path, &mut files)?;
    }
    let mut report = Report::default();
    let mut render = if args.render {
        Some(RenderCheck::new(args.texture_dirs.clone())?)
    } else {
        None
    };
    for file in &files {
        check_file(file, &mut report, render.as_mut());
    }
    report.render = render.map(RenderCheck::finish);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for f in &report.failures {
            let block = if f.block.is_empty() {
                String::new()
            } else {
                format!(" in {}", f.block)
            };
            println!(
                "{}:{}:{}: {} error{block}: {}",
                f.file, f.line, f.col, f.kind, f.message
            );
        }
        for f in &report.shader_failures {
            println!(
                "{}:{}:{}: {} shader {} error: {}",
                f.file, f.line, f.col, f.stage, f.kind, f.message
            );
        }
        if args.warnings {
            for w in &report.warnings {
                println!("{w}");
            }
        }
        let kinds: Vec<String> = report
            .by_kind
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        println!(
            "{} presets: {} ok, {} failed{}; {} with ignored lines; {} of {} per-vertex programs batched ({:.2} s)",
            report.total,
            report.ok,
            report.failed,
            if kinds.is_empty() {
                String::new()
            } else {
                format!(" ({})", kinds.join(", "))
            },
            report.with_warnings,
            report.vertex_programs_batched,
            report.vertex_programs,
            start.elapsed().as_secs_f64()
        );
        println!(
            "{} of {} shaders translated (warp {}/{}, comp {}/{}){}",
            report.shaders_ok,
            report.shaders_total,
            report.shaders_warp.ok,
            report.shaders_warp.total,
            report.shaders_comp.ok,
            report.shaders_comp.total,
            if report.shader_failures_by_kind.is_empty() {
                String::new()
            } else {
                let kinds: Vec<String> = report
                    .shader_failures_by_kind
                    .iter()
                    .map(|(k, n)| format!("{n} {k}"))
                    .collect();
                format!("; failed: {}", kinds.join(", "))
            }
        );
        if let Some(r) = &report.render {
            for f in &r.failures {
                println!("{}: {} error: {}", f.file, f.kind, f.message);
            }
            if args.warnings {
                for w in &r.texture_warnings {
                    println!("{w}");
                }
            }
            println!(
                "rendered on {}: {} of {} presets ok; {} warp and {} comp shaders run, {} fell back; {} texture warnings; prepare median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
                r.adapter,
                r.ok,
                r.loaded,
                r.warp_shaders,
                r.comp_shaders,
                r.fallbacks,
                r.texture_warnings.len(),
                r.prepare_ms_median,
                r.prepare_ms_p95,
                r.prepare_ms_max
            );
        }
    }
    Ok(if report.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
