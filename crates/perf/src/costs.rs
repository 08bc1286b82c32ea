//! What each preset costs to render on one device: written by `kefir
//! bench`, added to by a player that finds a preset too heavy while playing,
//! and read by the player to skip or down-scale presets before they
//! stutter.
//!
//! A cost file is JSON, one per device (adapter name and backend; see
//! [`CostFile::default_path`]):
//!
//! ```json
//! {
//!   "version": 1,
//!   "device": { "name": "llvmpipe (LLVM 15.0.6, 256 bits)", "backend": "Vulkan" },
//!   "presets": {
//!     "Geiss - Hurricane.milk": {
//!       "size": [1280, 720], "render_scale": 1.0,
//!       "frame_ms": 21.4, "p95_ms": 25.0, "cpu_ms": 30.1,
//!       "first_frame_ms": 140.2, "prepare_ms": 35.0,
//!       "gpu_ms": { "warp": 5.1, "composite": 3.2 },
//!       "source": "bench"
//!     }
//!   }
//! }
//! ```
//!
//! Presets are keyed by file name (as favourites are, see
//! `milk_playlist::preset_key`). A cost measured at one size and scale is
//! carried to another by the number of pixels rendered, which is what a
//! fill-rate-bound device pays for.

use std::collections::BTreeMap;
#[cfg(feature = "files")]
use std::path::Path;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The cost file format this crate writes.
pub const VERSION: u32 = 1;

/// Why a cost file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum CostError {
    #[error("{path}: {error}", path = .0.display(), error = .1)]
    Io(PathBuf, std::io::Error),
    #[cfg(feature = "files")]
    #[error("{path}: line {line}, column {column}: {error}", path = .0.display(),
            line = .1.line(), column = .1.column(), error = .1)]
    Json(PathBuf, serde_json::Error),
    #[error("{path}: cost file version {version}, this build reads version {VERSION}",
            path = .0.display(), version = .1)]
    Version(PathBuf, u32),
}

/// The adapter a cost file was measured on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceInfo {
    /// wgpu's adapter name (`AdapterInfo::name`).
    pub name: String,
    /// `Vulkan`, `Gl`, `Metal`, ...
    pub backend: String,
}

impl DeviceInfo {
    /// A file name for this device: letters and digits, the rest `-`.
    pub fn slug(&self) -> String {
        let mut slug = String::new();
        for c in format!("{} {}", self.name, self.backend).chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.ends_with('-') {
                slug.push('-');
            }
        }
        slug.trim_matches('-').to_owned()
    }
}

/// Where a cost came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CostSource {
    /// Measured by `kefir bench`.
    Bench,
    /// Seen by a player: the preset missed the frame budget for a while.
    Learned,
    /// The GPU was lost (reset) while the preset played, most likely by a
    /// frame that ran too long: the preset is skipped on this device until
    /// `kefir bench` measures it again.
    #[serde(rename = "gpu-lost")]
    GpuLost,
}

/// One preset's cost on the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PresetCost {
    /// Output size and render scale it was measured at.
    pub size: [u32; 2],
    pub render_scale: f32,
    /// Median and 95th percentile frame time (render + GPU), ms.
    pub frame_ms: f32,
    pub p95_ms: f32,
    /// Median process CPU time per frame, ms (all threads), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_ms: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_frame_ms: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prepare_ms: Option<f32>,
    /// Median GPU time per pass, ms, where the adapter has timestamps.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub gpu_ms: BTreeMap<String, f32>,
    pub source: CostSource,
}

impl PresetCost {
    /// Rendered pixels per frame when it was measured.
    fn pixels(&self) -> f32 {
        let s = self.render_scale.clamp(0.01, 1.0);
        self.size[0] as f32 * self.size[1] as f32 * s * s
    }

    /// The frame time (95th percentile) expected for a `size` output at
    /// `scale`, carried over by rendered pixels.
    pub fn predict_ms(&self, size: (u32, u32), scale: f32) -> f32 {
        let s = scale.clamp(0.01, 1.0);
        let pixels = size.0 as f32 * size.1 as f32 * s * s;
        self.p95_ms * pixels / self.pixels().max(1.0)
    }
}

/// What to do with a preset on this device.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Advice {
    /// No cost known, or it fits at the scale asked for.
    Play,
    /// It fits at this lower render scale.
    Downscale(f32),
    /// Too heavy even at the lowest scale.
    Skip,
}

/// A device's cost file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostFile {
    pub version: u32,
    pub device: DeviceInfo,
    pub presets: BTreeMap<String, PresetCost>,
}

impl CostFile {
    pub fn new(device: DeviceInfo) -> Self {
        CostFile {
            version: VERSION,
            device,
            presets: BTreeMap::new(),
        }
    }

    #[cfg(feature = "files")]
    /// `<data dir>/kefir/costs/<device slug>.json` (`~/.local/share` on
    /// Linux), or `None` where the platform has no data directory.
    pub fn default_path(device: &DeviceInfo) -> Option<PathBuf> {
        let dirs = directories::ProjectDirs::from("", "", "kefir")?;
        Some(
            dirs.data_local_dir()
                .join("costs")
                .join(format!("{}.json", device.slug())),
        )
    }

    #[cfg(feature = "files")]
    /// Reads a cost file.
    pub fn load(path: &Path) -> Result<Self, CostError> {
        let text = std::fs::read_to_string(path).map_err(|e| CostError::Io(path.into(), e))?;
        let file: CostFile =
            serde_json::from_str(&text).map_err(|e| CostError::Json(path.into(), e))?;
        if file.version != VERSION {
            return Err(CostError::Version(path.into(), file.version));
        }
        Ok(file)
    }

    #[cfg(feature = "files")]
    /// Reads `path` if it exists; a new file for `device` if it does not.
    pub fn load_or_new(path: &Path, device: DeviceInfo) -> Result<Self, CostError> {
        match Self::load(path) {
            Err(CostError::Io(_, e)) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok(Self::new(device))
            }
            other => other,
        }
    }

    #[cfg(feature = "files")]
    /// Writes the file (through a temporary file and a rename, so a reader
    /// never sees half of it), creating its directory.
    pub fn save(&self, path: &Path) -> Result<(), CostError> {
        let io = |e| CostError::Io(path.into(), e);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let text =
            serde_json::to_string_pretty(self).map_err(|e| CostError::Json(path.into(), e))?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text + "\n").map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Records `cost` for the preset `key`. A bench result replaces
    /// anything; a learned one does not replace a bench result measured
    /// with fewer pixels per frame than it (the bench knows better).
    pub fn record(&mut self, key: &str, cost: PresetCost) {
        let keep = self.presets.get(key).is_some_and(|old| {
            cost.source == CostSource::Learned
                && old.source == CostSource::Bench
                && old.predict_ms((cost.size[0], cost.size[1]), cost.render_scale) >= cost.p95_ms
        });
        if !keep {
            self.presets.insert(key.to_owned(), cost);
        }
    }

    /// What to do with preset `key` on a `size` output with frames due
    /// every `budget_ms`, at render scales from `max_scale` down to
    /// `min_scale`.
    pub fn advise(
        &self,
        key: &str,
        size: (u32, u32),
        budget_ms: f32,
        (max_scale, min_scale): (f32, f32),
    ) -> Advice {
        let Some(cost) = self.presets.get(key) else {
            return Advice::Play;
        };
        if cost.source == CostSource::GpuLost {
            return Advice::Skip;
        }
        if cost.predict_ms(size, max_scale) <= budget_ms {
            return Advice::Play;
        }
        // Pixels (so cost) go with the square of the scale.
        let fit = max_scale * (budget_ms / cost.predict_ms(size, max_scale)).sqrt();
        if fit >= min_scale {
            // Down to a 1/64 step, so the fit holds after rounding.
            Advice::Downscale(((fit * 64.0).floor() / 64.0).max(min_scale))
        } else {
            Advice::Skip
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device() -> DeviceInfo {
        DeviceInfo {
            name: "llvmpipe (LLVM 15.0.6, 256 bits)".into(),
            backend: "Vulkan".into(),
        }
    }

    fn cost(p95: f32, source: CostSource) -> PresetCost {
        PresetCost {
            size: [1280, 720],
            render_scale: 1.0,
            frame_ms: p95 * 0.9,
            p95_ms: p95,
            cpu_ms: Some(p95),
            first_frame_ms: None,
            prepare_ms: Some(3.0),
            gpu_ms: [("warp".to_owned(), 2.5)].into(),
            source,
        }
    }

    #[test]
    fn slug_is_a_file_name() {
        assert_eq!(device().slug(), "llvmpipe-llvm-15-0-6-256-bits-vulkan");
    }

    #[test]
    fn round_trip_through_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/costs.json");
        let mut file = CostFile::new(device());
        file.record("A.milk", cost(20.0, CostSource::Bench));
        file.save(&path).unwrap();
        assert_eq!(CostFile::load(&path).unwrap(), file);
        let missing = dir.path().join("none.json");
        assert!(
            CostFile::load_or_new(&missing, device())
                .unwrap()
                .presets
                .is_empty()
        );
    }

    #[test]
    fn bad_files_say_where() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.json");
        std::fs::write(&path, "{\n  \"version\": 1,\n  \"device\": 3\n}").unwrap();
        let e = CostFile::load(&path).unwrap_err().to_string();
        assert!(e.contains("bad.json: line 3, column"), "{e}");
        std::fs::write(
            &path,
            r#"{"version": 9, "device": {"name": "x", "backend": "y"}, "presets": {}}"#,
        )
        .unwrap();
        let e = CostFile::load(&path).unwrap_err().to_string();
        assert!(e.contains("version 9"), "{e}");
        // A file that is not there is an error for load, not for load_or_new.
        assert!(CostFile::load(&dir.path().join("x.json")).is_err());
    }

    #[test]
    fn advice_scales_by_pixels() {
        let mut file = CostFile::new(device());
        file.record("cheap.milk", cost(10.0, CostSource::Bench));
        file.record("heavy.milk", cost(40.0, CostSource::Bench));
        file.record("hopeless.milk", cost(400.0, CostSource::Bench));
        let advise = |k| file.advise(k, (1280, 720), 16.7, (1.0, 0.25));
        assert_eq!(advise("cheap.milk"), Advice::Play);
        assert_eq!(advise("unknown.milk"), Advice::Play);
        // 40 ms -> sqrt(16.7 / 40) = 0.646 -> 41/64.
        assert_eq!(advise("heavy.milk"), Advice::Downscale(41.0 / 64.0));
        assert_eq!(advise("hopeless.milk"), Advice::Skip);
        // At 1080p the cheap one costs 2.25x: 22.5 ms, so it is scaled.
        assert!(matches!(
            file.advise("cheap.milk", (1920, 1080), 16.7, (1.0, 0.25)),
            Advice::Downscale(s) if (0.8..0.87).contains(&s)
        ));
        let heavy = &file.presets["heavy.milk"];
        assert!((heavy.predict_ms((640, 360), 1.0) - 10.0).abs() < 1e-3);
        assert!((heavy.predict_ms((1280, 720), 0.5) - 10.0).abs() < 1e-3);
    }

    #[test]
    fn a_preset_that_lost_the_gpu_is_skipped_until_benched_again() {
        let mut file = CostFile::new(device());
        file.record("fast.milk", cost(1.0, CostSource::Bench));
        file.record("fast.milk", cost(1.0, CostSource::GpuLost));
        let advice = |file: &CostFile| file.advise("fast.milk", (1280, 720), 16.7, (1.0, 0.25));
        assert_eq!(advice(&file), Advice::Skip);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("costs.json");
        file.save(&path).unwrap();
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .contains("\"gpu-lost\"")
        );
        let mut file = CostFile::load(&path).unwrap();
        assert_eq!(advice(&file), Advice::Skip);
        file.record("fast.milk", cost(1.0, CostSource::Bench));
        assert_eq!(advice(&file), Advice::Play);
    }

    #[test]
    fn learned_costs_do_not_override_better_bench_figures() {
        let mut file = CostFile::new(device());
        file.record("a.milk", cost(40.0, CostSource::Bench));
        // A player saw it take 30 ms where the bench predicts 40: keep.
        file.record("a.milk", cost(30.0, CostSource::Learned));
        assert_eq!(file.presets["a.milk"].source, CostSource::Bench);
        // It saw worse than the bench (a slower song): take it.
        file.record("a.milk", cost(60.0, CostSource::Learned));
        assert_eq!(file.presets["a.milk"].p95_ms, 60.0);
        file.record("a.milk", cost(20.0, CostSource::Bench));
        assert_eq!(file.presets["a.milk"].p95_ms, 20.0);
    }
}
