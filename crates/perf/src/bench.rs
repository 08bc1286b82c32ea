//! The benchmark behind `kefir bench`: renders presets headless, one at a
//! time, and measures what a frame costs on this device.
//!
//! Per preset a fresh [`Visualizer`] (as a player starting would have)
//! loads the preset ([`LoadReport::prepare_time`]), renders a first frame
//! (pipeline compiles, texture uploads) and then `frames - 1` more, each
//! timed from feeding its audio to the analyzer to the GPU finishing
//! (`device.poll(wait)`), like projectM's harness times `renderFrame` plus
//! `glFinish`. Per frame it records:
//!
//! - the frame time (wall clock),
//! - the process CPU time (all threads, `getrusage`; on a software
//!   rasteriser this is where the GPU work goes, and it is steadier than
//!   wall time on a loaded machine),
//! - the CPU time of each engine pass ([`milk_engine::FrameStats`]) and,
//!   where the adapter has timestamp queries, the GPU time of each.
//!
//! With a [`GovernorConfig`] the render scale follows a [`Governor`] fed the
//! frame times, and every frame's scale is in the trace.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use milk_audio::{AudioSource, FileSource, PcmFormat};
use milk_engine::headless::{Headless, HeadlessError};
use milk_engine::{Config, LoadReport, Pass, PassTimes, RenderError, Visualizer};
use serde::Serialize;

use crate::costs::{CostSource, DeviceInfo, PresetCost};
use crate::governor::{Governor, GovernorConfig};
use crate::stats::Summary;

/// How presets are benchmarked.
#[derive(Debug, Clone)]
pub struct BenchConfig {
    /// Output size.
    pub size: (u32, u32),
    /// Frames per preset, the first included (statistics leave it out).
    pub frames: u32,
    /// Frame rate of the clock the presets see and of the audio fed.
    pub fps: f64,
    /// Render scale (see [`milk_engine::Config::render_scale`]); the
    /// governor's starting point when there is one.
    pub render_scale: f32,
    /// Blur scale (see [`milk_engine::Config::blur_scale`]).
    pub blur_scale: f32,
    /// The audio fed to the analyzer, frame by frame.
    pub audio: BenchAudio,
    /// Directories searched for user textures (after the preset's own).
    pub texture_dirs: Vec<PathBuf>,
    /// Lets a governor pick the render scale as frames come.
    pub governor: Option<GovernorConfig>,
    /// Measure GPU time per pass where the adapter can.
    pub gpu_timing: bool,
    pub seed: u64,
}

impl Default for BenchConfig {
    fn default() -> Self {
        BenchConfig {
            size: (1280, 720),
            frames: 300,
            fps: 60.0,
            render_scale: 1.0,
            blur_scale: 1.0,
            audio: BenchAudio::Demo,
            texture_dirs: Vec::new(),
            governor: None,
            gpu_timing: true,
            seed: 0,
        }
    }
}

/// Where the benchmark's audio comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum BenchAudio {
    /// milk-audio's synthetic demo track.
    Demo,
    /// An audio file (WAV, FLAC, MP3, Ogg); silence after its end.
    File(PathBuf),
}

/// Why a benchmark could not run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error(transparent)]
    Gpu(#[from] HeadlessError),
    #[error(transparent)]
    Audio(#[from] milk_audio::AudioError),
    #[error(transparent)]
    Preset(#[from] milk_engine::PresetFileError),
    #[error("{path}: rendering failed: {error}", path = .0.display(), error = .1)]
    Render(PathBuf, RenderError),
    #[error("{path}: the GPU did not finish a frame: {error}", path = .0.display(), error = .1)]
    Poll(PathBuf, String),
}

/// One frame of a preset's run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FrameSample {
    /// Wall-clock ms from the audio feed to the GPU finishing.
    pub ms: f32,
    /// Process CPU ms in that time, where the platform tells.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_ms: Option<f32>,
    /// The render scale the frame used.
    pub scale: f32,
}

/// What one preset cost.
#[derive(Debug, Clone, Serialize)]
pub struct PresetReport {
    pub path: PathBuf,
    /// The preset's file name (the cost file's key).
    pub key: String,
    /// Compiling the code, translating shaders, loading textures, building
    /// pipelines ([`LoadReport::prepare_time`]), ms.
    pub prepare_ms: f32,
    /// The first frame (pipeline compiles on first use included), ms.
    pub first_frame_ms: f32,
    /// Frames 2..N, ms.
    pub frame: Summary,
    /// Process CPU time per frame, frames 2..N, ms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<Summary>,
    /// Median CPU ms per engine pass.
    pub cpu_passes: BTreeMap<&'static str, f32>,
    /// Median GPU ms per engine pass (empty without timestamp queries).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub gpu_passes: BTreeMap<&'static str, f32>,
    /// The render scale at the end of the run.
    pub render_scale: f32,
    /// Code that did not compile, shaders that fell back, missing textures.
    pub warnings: Vec<String>,
    /// Every frame, the first included.
    #[serde(skip)]
    pub trace: Vec<FrameSample>,
}

impl PresetReport {
    /// The entry for the device's cost file, for a `size` output.
    pub fn cost(&self, size: (u32, u32)) -> PresetCost {
        PresetCost {
            size: [size.0, size.1],
            render_scale: self.render_scale,
            frame_ms: self.frame.median,
            p95_ms: self.frame.p95,
            cpu_ms: self.cpu.map(|c| c.median),
            first_frame_ms: Some(self.first_frame_ms),
            prepare_ms: Some(self.prepare_ms),
            gpu_ms: self
                .gpu_passes
                .iter()
                .map(|(k, v)| ((*k).to_owned(), *v))
                .collect(),
            source: CostSource::Bench,
        }
    }
}

/// Process CPU time so far (user + system, all threads).
pub fn process_cpu_time() -> Option<Duration> {
    #[cfg(unix)]
    {
        // SAFETY: getrusage only writes the struct it is handed.
        let usage = unsafe {
            let mut usage = std::mem::zeroed::<libc::rusage>();
            (libc::getrusage(libc::RUSAGE_SELF, &mut usage) == 0).then_some(usage)
        }?;
        let time = |t: libc::timeval| {
            Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
        };
        Some(time(usage.ru_utime) + time(usage.ru_stime))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The `.milk` files among `paths` (directories searched recursively; a
/// file named directly is taken whatever its extension), sorted, each once;
/// and the paths that could not be read, with why.
pub fn collect_presets(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, std::io::Error)>) {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, std::io::Error)>) {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return errors.push((dir.to_owned(), e)),
        };
        for entry in entries {
            match entry {
                Ok(entry) if entry.path().is_dir() => walk(&entry.path(), out, errors),
                Ok(entry) if is_milk(&entry.path()) => out.push(entry.path()),
                Ok(_) => {}
                Err(e) => errors.push((dir.to_owned(), e)),
            }
        }
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => walk(path, &mut out, &mut errors),
            Ok(_) => out.push(path.clone()),
            Err(e) => errors.push((path.clone(), e)),
        }
    }
    out.sort();
    out.dedup();
    (out, errors)
}

fn is_milk(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("milk"))
}

/// Stereo PCM for the whole run, fed frame by frame.
struct Pcm {
    format: PcmFormat,
    samples: Vec<f32>,
}

impl Pcm {
    fn load(audio: &BenchAudio, seconds: f64) -> Result<Self, BenchError> {
        let mut source: Box<dyn AudioSource> = match audio {
            BenchAudio::Demo => Box::new(milk_audio::demo_track(milk_audio::ANALYSIS_RATE)),
            BenchAudio::File(path) => Box::new(FileSource::open(path)?),
        };
        let format = source.format();
        let wanted = (seconds * f64::from(format.sample_rate)) as usize
            * usize::from(format.channels.max(1));
        let mut samples = Vec::with_capacity(wanted);
        let mut buf = vec![0.0f32; 8192];
        while samples.len() < wanted {
            let n = source.read(&mut buf)?;
            if n == 0 {
                break;
            }
            samples.extend_from_slice(&buf[..n]);
        }
        samples.resize(wanted, 0.0);
        Ok(Pcm { format, samples })
    }

    /// The samples of video frame `f` at `fps`.
    fn frame(&self, f: u32, fps: f64) -> &[f32] {
        let channels = usize::from(self.format.channels.max(1));
        let at = |f: u32| {
            ((f64::from(f) * f64::from(self.format.sample_rate) / fps) as usize * channels)
                .min(self.samples.len())
        };
        &self.samples[at(f)..at(f + 1)]
    }
}

/// A headless device and the benchmark's audio, ready to run presets.
pub struct Bench {
    gpu: Headless,
    config: BenchConfig,
    pcm: Pcm,
    gpu_timing: bool,
}

impl Bench {
    /// Opens the device (with timestamp queries where the adapter has
    /// them) and reads the audio.
    pub fn new(config: BenchConfig) -> Result<Self, BenchError> {
        let gpu = Headless::with_features(wgpu::Features::TIMESTAMP_QUERY)?;
        let gpu_timing = config.gpu_timing
            && gpu
                .device
                .features()
                .contains(wgpu::Features::TIMESTAMP_QUERY);
        let pcm = Pcm::load(
            &config.audio,
            f64::from(config.frames + 1) / config.fps.max(1.0),
        )?;
        Ok(Bench {
            gpu,
            config,
            pcm,
            gpu_timing,
        })
    }

    pub fn config(&self) -> &BenchConfig {
        &self.config
    }

    /// The adapter, as cost files name it.
    pub fn device(&self) -> DeviceInfo {
        let info = self.gpu.adapter.get_info();
        DeviceInfo {
            name: info.name,
            backend: format!("{:?}", info.backend),
        }
    }

    /// "name (backend)" of the adapter.
    pub fn adapter_description(&self) -> String {
        self.gpu.adapter_description()
    }

    /// Whether GPU times per pass are measured.
    pub fn gpu_timing(&self) -> bool {
        self.gpu_timing
    }

    /// Benchmarks one preset file; `progress` gets the number of frames
    /// rendered so far.
    pub fn run(
        &mut self,
        path: &Path,
        progress: &mut dyn FnMut(u32),
    ) -> Result<PresetReport, BenchError> {
        let c = &self.config;
        let mut vis = Visualizer::new(
            self.gpu.device.clone(),
            self.gpu.queue.clone(),
            Config {
                seed: c.seed,
                render_scale: c.render_scale,
                blur_scale: c.blur_scale,
                ..Config::default()
            },
        );
        vis.set_texture_dirs(c.texture_dirs.clone());
        vis.set_gpu_timing(self.gpu_timing);
        let report = vis.load_preset_file(path)?;
        let mut governor = c.governor.clone().map(|g| {
            let mut g = Governor::new(g);
            g.start_at(c.render_scale);
            vis.set_render_scale(g.scale());
            g
        });
        let target = self.gpu.target(c.size.0, c.size.1);
        let mut analyzer = milk_audio::Analyzer::new(milk_audio::AnalyzerConfig::default());
        let dt = 1.0 / c.fps.max(1.0);
        let mut trace = Vec::with_capacity(c.frames as usize);
        let mut cpu_passes: Vec<PassTimes> = Vec::with_capacity(c.frames as usize);
        let mut gpu_passes: Vec<PassTimes> = Vec::new();
        for f in 0..c.frames.max(1) {
            let scale = vis.render_scale();
            let started = Instant::now();
            let cpu_before = process_cpu_time();
            analyzer.push_f32(self.pcm.frame(f, c.fps), self.pcm.format);
            let audio = analyzer.frame(dt as f32);
            vis.render(dt, audio, &target)
                .map_err(|e| BenchError::Render(path.to_owned(), e))?;
            self.gpu
                .device
                .poll(wgpu::PollType::wait_indefinitely())
                .map_err(|e| BenchError::Poll(path.to_owned(), e.to_string()))?;
            let elapsed = started.elapsed();
            let cpu = process_cpu_time()
                .zip(cpu_before)
                .map(|(after, before)| (after.saturating_sub(before)).as_secs_f32() * 1e3);
            trace.push(FrameSample {
                ms: elapsed.as_secs_f32() * 1e3,
                cpu_ms: cpu,
                scale,
            });
            let stats = vis.frame_stats();
            if f > 0 {
                cpu_passes.push(stats.cpu);
                gpu_passes.extend(stats.gpu);
            }
            if let Some(g) = &mut governor
                && g.observe(elapsed).is_some()
            {
                vis.set_render_scale(g.scale());
            }
            progress(f + 1);
        }
        Ok(self.report(
            path,
            &report,
            trace,
            &cpu_passes,
            &gpu_passes,
            vis.render_scale(),
        ))
    }

    fn report(
        &self,
        path: &Path,
        load: &LoadReport,
        trace: Vec<FrameSample>,
        cpu_passes: &[PassTimes],
        gpu_passes: &[PassTimes],
        render_scale: f32,
    ) -> PresetReport {
        let steady = trace.get(1..).unwrap_or_default();
        let ms: Vec<f32> = steady.iter().map(|s| s.ms).collect();
        let cpu: Option<Vec<f32>> = steady.iter().map(|s| s.cpu_ms).collect();
        let medians = |times: &[PassTimes]| -> BTreeMap<&'static str, f32> {
            if times.is_empty() {
                return BTreeMap::new();
            }
            Pass::ALL
                .iter()
                .filter(|&&pass| times.iter().any(|t| !t[pass].is_zero()))
                .map(|&pass| {
                    let v: Vec<f32> = times.iter().map(|t| t[pass].as_secs_f32() * 1e3).collect();
                    (pass.name(), Summary::of(&v).median)
                })
                .collect()
        };
        let mut warnings: Vec<String> = load.errors.iter().map(ToString::to_string).collect();
        warnings.extend(load.shader_failures.iter().map(ToString::to_string));
        warnings.extend(load.texture_warnings.iter().map(ToString::to_string));
        PresetReport {
            path: path.to_owned(),
            key: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            prepare_ms: load.prepare_time.as_secs_f32() * 1e3,
            first_frame_ms: trace.first().map_or(0.0, |s| s.ms),
            frame: Summary::of(&ms),
            cpu: cpu.filter(|c| !c.is_empty()).map(|c| Summary::of(&c)),
            cpu_passes: medians(cpu_passes),
            gpu_passes: medians(gpu_passes),
            render_scale,
            warnings,
            trace,
        }
    }
}

/// The results as a table: per preset the frame time, CPU time, first
/// frame and prepare times, then the heaviest pass; ranked slowest first,
/// with whether it fits `budget`.
pub fn table(reports: &[PresetReport], budget: Duration) -> String {
    use std::fmt::Write;
    let budget_ms = budget.as_secs_f32() * 1e3;
    let mut order: Vec<&PresetReport> = reports.iter().collect();
    order.sort_by(|a, b| b.frame.median.total_cmp(&a.frame.median));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| # | preset | median ms | p95 ms | CPU ms/frame | first frame ms | prepare ms | scale | heaviest pass | fits {budget_ms:.1} ms |"
    );
    let _ = writeln!(out, "|---:|---|---:|---:|---:|---:|---:|---:|---|---|");
    for (rank, r) in order.iter().enumerate() {
        let passes = if r.gpu_passes.is_empty() {
            &r.cpu_passes
        } else {
            &r.gpu_passes
        };
        let heaviest = passes
            .iter()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map_or_else(String::new, |(k, v)| format!("{k} {v:.2} ms"));
        let cpu = r
            .cpu
            .map_or_else(|| "-".to_owned(), |c| format!("{:.2}", c.median));
        let fits = if r.frame.p95 <= budget_ms {
            "yes"
        } else if r.frame.median <= budget_ms {
            "mostly"
        } else {
            "no"
        };
        let _ = writeln!(
            out,
            "| {} | {} | {:.2} | {:.2} | {cpu} | {:.1} | {:.1} | {:.3} | {heaviest} | {fits} |",
            rank + 1,
            r.key,
            r.frame.median,
            r.frame.p95,
            r.first_frame_ms,
            r.prepare_ms,
            r.render_scale,
        );
    }
    out
}

/// Median time per pass of each preset (CPU, and GPU where measured).
pub fn pass_table(reports: &[PresetReport]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let names: Vec<&str> = Pass::ALL.iter().map(|p| p.name()).collect();
    let _ = writeln!(out, "| preset | side | {} |", names.join(" | "));
    let _ = writeln!(out, "|---|---|{}", "---:|".repeat(names.len()));
    for r in reports {
        for (side, passes) in [("CPU", &r.cpu_passes), ("GPU", &r.gpu_passes)] {
            if passes.is_empty() {
                continue;
            }
            let cells: Vec<String> = names
                .iter()
                .map(|n| passes.get(n).map_or("-".to_owned(), |v| format!("{v:.2}")))
                .collect();
            let _ = writeln!(out, "| {} | {side} | {} |", r.key, cells.join(" | "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_collected_recursively_sorted_once() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("b");
        std::fs::create_dir(&sub).unwrap();
        for p in ["z.milk", "a.MILK", "notes.txt", "b/c.milk"] {
            std::fs::write(dir.path().join(p), "").unwrap();
        }
        let txt = dir.path().join("notes.txt");
        let missing = dir.path().join("missing.milk");
        let (found, errors) = collect_presets(&[
            dir.path().to_path_buf(),
            sub.join("c.milk"),
            txt.clone(),
            missing.clone(),
        ]);
        let names: Vec<_> = found
            .iter()
            .map(|p| {
                p.strip_prefix(dir.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["a.MILK", "b/c.milk", "notes.txt", "z.milk"]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, missing);
    }

    #[test]
    fn cpu_time_advances() {
        let before = process_cpu_time();
        let mut x = 0u64;
        for i in 0..5_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(i);
        }
        std::hint::black_box(x);
        if let (Some(a), Some(b)) = (before, process_cpu_time()) {
            assert!(b > a);
        }
    }

    #[test]
    fn pcm_frames_tile_the_track() {
        let pcm = Pcm {
            format: PcmFormat {
                sample_rate: 48_000,
                channels: 2,
            },
            samples: (0..48_000 * 2).map(|i| i as f32).collect(),
        };
        // 800 stereo frames per video frame at 60 fps, back to back.
        assert_eq!(pcm.frame(0, 60.0).len(), 1600);
        assert_eq!(pcm.frame(1, 60.0)[0], 1600.0);
        assert_eq!(pcm.frame(59, 60.0).len(), 1600);
        assert!(pcm.frame(60, 60.0).is_empty(), "past the end");
    }
}
