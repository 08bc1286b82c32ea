//! `kefir check PATH...`: parse and compile every preset under the paths and
//! report what fails, with file:line:col.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result};
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
    #[serde(skip)]
    warnings: Vec<String>,
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

fn check_file(path: &Path, report: &mut Report) {
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

pub fn run(args: &Args) -> Result<ExitCode> {
    let start = Instant::now();
    let mut files = Vec::new();
    for path in &args.paths {
        collect(path, &mut files)?;
    }
    let mut report = Report::default();
    for file in &files {
        check_file(file, &mut report);
    }
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
    }
    Ok(if report.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
