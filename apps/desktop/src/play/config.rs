//! Settings of the windowed visualizer: a TOML file in the user's config
//! directory (`~/.config/kefir/kefir.toml` on Linux), overridden by
//! command-line flags.
//!
//! Every key is optional; what a file leaves out keeps its default (the
//! player's defaults for the playlist and transitions). Unknown keys are an
//! error, so a typo does not silently do nothing.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use serde::{Deserialize, Serialize};

use super::Args;

/// Everything the visualizer can be told.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub window: WindowSettings,
    pub presets: PresetSettings,
    pub audio: AudioSettings,
    pub overlay: OverlaySettings,
    pub screenshots: ScreenshotSettings,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WindowSettings {
    /// Size of the window in logical pixels (scaled on HiDPI screens).
    pub width: u32,
    pub height: u32,
    /// Start fullscreen.
    pub fullscreen: bool,
    /// Monitor to open on and go fullscreen on (0 = the first; see
    /// `kefir --list-monitors`). Unset: the primary monitor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monitor: Option<usize>,
    /// Wait for the display's refresh (no tearing, no wasted frames).
    pub vsync: bool,
    /// Frame-rate cap; 0 = none.
    pub max_fps: f64,
    /// The fraction of the window's size presets render at (the composite
    /// scales the picture up): 1 renders every pixel, 0.5 a quarter of
    /// them. With `auto_scale` the highest scale used.
    pub render_scale: f32,
    /// The blur levels' size as a fraction of MilkDrop's (0.25..1): a
    /// little speed on a weak GPU for a coarser blur of the same width.
    pub blur_scale: f32,
    /// Lower the render scale when frames miss the display's refresh and
    /// raise it again at preset changes when there is room; skip presets
    /// too heavy even at the lowest scale (noted in this device's cost
    /// file, which `kefir bench` writes too).
    pub auto_scale: bool,
}

impl Default for WindowSettings {
    fn default() -> Self {
        WindowSettings {
            width: 1280,
            height: 720,
            fullscreen: false,
            monitor: None,
            vsync: true,
            max_fps: 0.0,
            render_scale: 1.0,
            blur_scale: 1.0,
            auto_scale: true,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PresetSettings {
    /// Preset directories, scanned recursively. Empty: the presets that come
    /// with Kefir plus the user's preset directory.
    pub dirs: Vec<PathBuf>,
    /// Globs (relative to a preset directory) a preset must match...
    pub include: Vec<String>,
    /// ...and must not match.
    pub exclude: Vec<String>,
    /// Directories searched for the textures presets name.
    pub texture_dirs: Vec<PathBuf>,
    /// Random order (every preset once per round) rather than file order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shuffle: Option<bool>,
    /// Seconds a preset plays before the next one (0 = only on request).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset_seconds: Option<f64>,
    /// Random extra seconds, 0 up to this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset_seconds_jitter: Option<f64>,
    /// Seconds of blending between presets (0 = hard cuts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blend_seconds: Option<f64>,
    /// Cut to the next preset on strong beats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hard_cuts: Option<bool>,
    /// Start each preset from black instead of the previous image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_clean: Option<bool>,
    /// Warp mesh cells, `[columns, rows]` (MilkDrop's default is 48x36).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mesh: Option<[u32; 2]>,
    /// Start with the preset locked (no automatic changes).
    pub locked: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AudioSettings {
    /// Capture device: a name or part of one, an index from
    /// `kefir --list-devices`, `default` (the system's default input) or
    /// `monitor` (what the machine plays, PulseAudio/PipeWire). Unset: the
    /// output monitor where there is one, else the default input, else the
    /// demo signal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// Play the built-in demo signal instead of capturing.
    pub demo: bool,
    /// Beat detection sensitivity, 0..1 (higher finds more beats).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beat_sensitivity: Option<f32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OverlaySettings {
    /// Show the frame rate from the start.
    pub show_fps: bool,
    /// Seconds the preset name shows after a switch (0 = never).
    pub name_seconds: f64,
}

impl Default for OverlaySettings {
    fn default() -> Self {
        OverlaySettings {
            show_fps: false,
            name_seconds: 4.0,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScreenshotSettings {
    /// Where `s` saves PNGs. Unset: `Kefir` in the user's pictures folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dir: Option<PathBuf>,
}

/// Where the config file lives unless `--config` says otherwise.
pub fn default_config_path() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.config_dir().join("kefir").join("kefir.toml"))
}

/// The user's own preset directory (scanned along with the bundled ones).
pub fn user_preset_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.data_dir().join("kefir").join("presets"))
}

/// The presets that come with Kefir, as a directory the playlist can scan:
/// `KEFIR_PRESETS` when set; else `presets/` next to the executable, where
/// a package put them (`bundled_preset_dir_beside`), or in the source tree
/// around a `target/` build (so edits to the repository's presets show at
/// once); else the copies embedded in this binary, written to
/// `<data dir>/kefir/bundled-presets` (a temporary folder if that cannot be
/// written). `None` only when even that fails.
pub fn bundled_preset_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("KEFIR_PRESETS") {
        return Some(PathBuf::from(dir));
    }
    let beside_binary = std::env::current_exe()
        .ok()
        .and_then(|e| e.canonicalize().ok())
        .and_then(|e| e.parent().and_then(bundled_preset_dir_beside));
    if let Some(dir) = beside_binary {
        return Some(dir);
    }
    let installed = directories::BaseDirs::new()
        .map(|d| d.data_dir().join("kefir").join("bundled-presets"))
        .into_iter()
        .chain([std::env::temp_dir().join("kefir-bundled-presets")])
        .find_map(|dir| kefir_presets::install(&dir).ok());
    if installed.is_none() {
        eprintln!("kefir: cannot write the bundled presets to a folder; none will play");
    }
    installed
}

/// The bundled presets a package or the source tree put near the binary in
/// `exe_dir`, if any.
fn bundled_preset_dir_beside(exe_dir: &Path) -> Option<PathBuf> {
    let candidates = [
        // The Windows zip and the tarball: beside the binary.
        "presets",
        // scripts/install.sh: <prefix>/bin and <prefix>/share/kefir.
        "../share/kefir/presets",
        // The .deb: /usr/bin/kefir and /usr/lib/kefir/presets.
        "../lib/kefir/presets",
        // Kefir.app: Contents/MacOS/kefir and Contents/Resources/presets.
        "../Resources/presets",
        // target/{debug,release}/kefir and target/<triple>/debug/kefir.
        "../../presets",
        "../../../presets",
    ];
    candidates
        .into_iter()
        .map(|c| exe_dir.join(c))
        .find(|d| is_bundled_preset_dir(d))
        .map(|d| d.canonicalize().unwrap_or(d))
}

/// Whether `dir` holds Kefir's presets (not just any `presets` folder
/// beside the binary).
fn is_bundled_preset_dir(dir: &Path) -> bool {
    kefir_presets::BUNDLED
        .first()
        .is_some_and(|p| dir.join(p.file_name).is_file())
}

/// Where screenshots go by default.
pub fn default_screenshot_dir() -> PathBuf {
    match directories::UserDirs::new() {
        Some(u) => u
            .picture_dir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| u.home_dir().join("Pictures"))
            .join("Kefir"),
        None => PathBuf::from("."),
    }
}

impl Settings {
    /// Parses a config file's text (`path` is for messages).
    pub fn parse(text: &str, path: &Path) -> Result<Settings> {
        toml::from_str(text).with_context(|| format!("config file {}", path.display()))
    }

    /// Reads `path`; a missing file gives the defaults when `must_exist`
    /// is false.
    pub fn load(path: &Path, must_exist: bool) -> Result<Settings> {
        match std::fs::read_to_string(path) {
            Ok(text) => Settings::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {
                Ok(Settings::default())
            }
            Err(e) => Err(e).with_context(|| format!("reading config file {}", path.display())),
        }
    }

    /// The settings `args` ask for: the config file (unless `--no-config`),
    /// then the flags on top.
    pub fn from_args(args: &Args) -> Result<Settings> {
        let mut settings = if args.no_config {
            Settings::default()
        } else if let Some(path) = &args.config {
            Settings::load(path, true)?
        } else if let Some(path) = default_config_path() {
            Settings::load(&path, false)?
        } else {
            Settings::default()
        };
        settings.apply(args)?;
        Ok(settings)
    }

    /// Command-line flags override the file.
    pub fn apply(&mut self, args: &Args) -> Result<()> {
        let w = &mut self.window;
        if let Some((width, height)) = args.size {
            w.width = width;
            w.height = height;
        }
        if args.fullscreen {
            w.fullscreen = true;
        }
        if args.windowed {
            w.fullscreen = false;
        }
        if args.monitor.is_some() {
            w.monitor = args.monitor;
        }
        if args.no_vsync {
            w.vsync = false;
        }
        if let Some(fps) = args.max_fps {
            w.max_fps = fps;
        }
        if let Some(scale) = args.render_scale {
            w.render_scale = scale;
        }
        if let Some(scale) = args.blur_scale {
            w.blur_scale = scale;
        }
        if args.no_auto_scale {
            w.auto_scale = false;
        }
        let p = &mut self.presets;
        if !args.presets.is_empty() {
            p.dirs = args.presets.clone();
        }
        if !args.include.is_empty() {
            p.include = args.include.clone();
        }
        if !args.exclude.is_empty() {
            p.exclude = args.exclude.clone();
        }
        if !args.texture_dirs.is_empty() {
            p.texture_dirs = args.texture_dirs.clone();
        }
        if args.shuffle {
            p.shuffle = Some(true);
        }
        if args.sequential {
            p.shuffle = Some(false);
        }
        if args.preset_seconds.is_some() {
            p.preset_seconds = args.preset_seconds;
        }
        if args.blend_seconds.is_some() {
            p.blend_seconds = args.blend_seconds;
        }
        if args.hard_cuts {
            p.hard_cuts = Some(true);
        }
        if args.no_hard_cuts {
            p.hard_cuts = Some(false);
        }
        if let Some((c, r)) = args.mesh {
            p.mesh = Some([c, r]);
        }
        if args.lock {
            p.locked = true;
        }
        let a = &mut self.audio;
        if args.device.is_some() {
            a.device = args.device.clone();
            a.demo = false;
        }
        if args.demo {
            a.demo = true;
        }
        if args.beat_sensitivity.is_some() {
            a.beat_sensitivity = args.beat_sensitivity;
        }
        if args.show_fps {
            self.overlay.show_fps = true;
        }
        if args.screenshot_dir.is_some() {
            self.screenshots.dir = args.screenshot_dir.clone();
        }
        self.validate()
    }

    /// Rejects values that cannot work.
    pub fn validate(&self) -> Result<()> {
        let w = &self.window;
        if w.width == 0 || w.height == 0 || w.width > 16384 || w.height > 16384 {
            bail!(
                "window size {}x{} is out of range (1..16384)",
                w.width,
                w.height
            );
        }
        if !w.max_fps.is_finite() || w.max_fps < 0.0 {
            bail!("max_fps must be 0 (no cap) or positive, not {}", w.max_fps);
        }
        if !(w.render_scale >= milk_engine::MIN_RENDER_SCALE && w.render_scale <= 1.0) {
            bail!(
                "render_scale must be between {} and 1, not {}",
                milk_engine::MIN_RENDER_SCALE,
                w.render_scale
            );
        }
        if !(w.blur_scale >= milk_engine::blur::MIN_SCALE && w.blur_scale <= 1.0) {
            bail!(
                "blur_scale must be between {} and 1, not {}",
                milk_engine::blur::MIN_SCALE,
                w.blur_scale
            );
        }
        let p = &self.presets;
        for (name, v) in [
            ("preset_seconds", p.preset_seconds),
            ("preset_seconds_jitter", p.preset_seconds_jitter),
            ("blend_seconds", p.blend_seconds),
        ] {
            if let Some(v) = v
                && (!v.is_finite() || v < 0.0)
            {
                bail!("{name} must be 0 or more seconds, not {v}");
            }
        }
        if let Some([c, r]) = p.mesh
            && (!(4..=512).contains(&c) || !(4..=512).contains(&r))
        {
            bail!("mesh {c}x{r} is out of range (4..512 each way)");
        }
        if let Some(s) = self.audio.beat_sensitivity
            && !(0.0..=1.0).contains(&s)
        {
            bail!("beat_sensitivity must be between 0 and 1, not {s}");
        }
        if !self.overlay.name_seconds.is_finite() || self.overlay.name_seconds < 0.0 {
            bail!("overlay.name_seconds must be 0 or more");
        }
        Ok(())
    }

    /// The preset directories to scan: the configured ones, or the bundled
    /// presets plus the user's directory when it exists.
    pub fn preset_dirs(&self) -> Vec<PathBuf> {
        if !self.presets.dirs.is_empty() {
            return self.presets.dirs.clone();
        }
        let mut dirs: Vec<PathBuf> = bundled_preset_dir().into_iter().collect();
        if let Some(user) = user_preset_dir().filter(|d| d.is_dir()) {
            dirs.push(user);
        }
        dirs
    }

    pub fn screenshot_dir(&self) -> PathBuf {
        self.screenshots
            .dir
            .clone()
            .unwrap_or_else(default_screenshot_dir)
    }

    /// The settings as a config file.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn bundled_presets_are_found_in_each_package_layout() {
        let first = kefir_presets::BUNDLED[0].file_name;
        for (binary_dir, presets_dir) in [
            (
                "kefir-0.1.0-x86_64-windows",
                "kefir-0.1.0-x86_64-windows/presets",
            ),
            ("usr/bin", "usr/lib/kefir/presets"),
            ("usr/local/bin", "usr/local/share/kefir/presets"),
            (
                "Kefir.app/Contents/MacOS",
                "Kefir.app/Contents/Resources/presets",
            ),
        ] {
            let root = tempfile::tempdir().unwrap();
            let exe_dir = root.path().join(binary_dir);
            std::fs::create_dir_all(&exe_dir).unwrap();
            assert_eq!(
                bundled_preset_dir_beside(&exe_dir),
                None,
                "{binary_dir}: empty"
            );
            let presets = root.path().join(presets_dir);
            std::fs::create_dir_all(&presets).unwrap();
            // A folder without Kefir's presets is somebody else's.
            std::fs::write(presets.join("other.milk"), "").unwrap();
            assert_eq!(
                bundled_preset_dir_beside(&exe_dir),
                None,
                "{binary_dir}: foreign"
            );
            std::fs::write(presets.join(first), "").unwrap();
            assert_eq!(
                bundled_preset_dir_beside(&exe_dir),
                Some(presets.canonicalize().unwrap()),
                "{binary_dir}"
            );
        }
    }

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    fn args(flags: &[&str]) -> Args {
        let mut argv = vec!["kefir"];
        argv.extend_from_slice(flags);
        Cli::try_parse_from(argv).expect("flags parse").args
    }

    #[test]
    fn an_empty_file_gives_the_defaults() {
        let s = Settings::parse("", Path::new("k.toml")).unwrap();
        assert_eq!(s, Settings::default());
        assert_eq!((s.window.width, s.window.height), (1280, 720));
        assert!(s.window.vsync);
        assert!(!s.window.fullscreen);
        assert_eq!(s.presets.shuffle, None);
    }

    #[test]
    fn a_file_sets_what_it_names() {
        let text = r#"
            [window]
            width = 800
            height = 600
            fullscreen = true
            monitor = 1
            vsync = false

            [presets]
            dirs = ["/p/a", "/p/b"]
            exclude = ["*/broken/*"]
            shuffle = false
            preset_seconds = 30
            blend_seconds = 0.5
            hard_cuts = true
            mesh = [64, 48]

            [audio]
            device = "monitor"
            beat_sensitivity = 0.7

            [overlay]
            show_fps = true

            [screenshots]
            dir = "/shots"
        "#;
        let s = Settings::parse(text, Path::new("k.toml")).unwrap();
        assert_eq!((s.window.width, s.window.height), (800, 600));
        assert!(s.window.fullscreen);
        assert_eq!(s.window.monitor, Some(1));
        assert!(!s.window.vsync);
        assert_eq!(
            s.presets.dirs,
            vec![PathBuf::from("/p/a"), PathBuf::from("/p/b")]
        );
        assert_eq!(s.presets.exclude, vec!["*/broken/*".to_string()]);
        assert_eq!(s.presets.shuffle, Some(false));
        assert_eq!(s.presets.preset_seconds, Some(30.0));
        assert_eq!(s.presets.blend_seconds, Some(0.5));
        assert_eq!(s.presets.hard_cuts, Some(true));
        assert_eq!(s.presets.mesh, Some([64, 48]));
        assert_eq!(s.audio.device.as_deref(), Some("monitor"));
        assert_eq!(s.audio.beat_sensitivity, Some(0.7));
        assert!(s.overlay.show_fps);
        assert_eq!(s.overlay.name_seconds, 4.0);
        assert_eq!(s.screenshot_dir(), PathBuf::from("/shots"));
        s.validate().unwrap();
        // What it prints reads back the same.
        let again = Settings::parse(&s.to_toml(), Path::new("again.toml")).unwrap();
        assert_eq!(again, s);
    }

    #[test]
    fn typos_and_wrong_types_are_errors_naming_the_file() {
        let e = Settings::parse("[window]\nwidht = 3\n", Path::new("/c/kefir.toml")).unwrap_err();
        let msg = format!("{e:#}");
        assert!(msg.contains("/c/kefir.toml"), "{msg}");
        assert!(msg.contains("widht"), "{msg}");
        assert!(Settings::parse("[window]\nwidth = \"big\"\n", Path::new("k")).is_err());
        assert!(Settings::parse("[sound]\n", Path::new("k")).is_err());
    }

    #[test]
    fn flags_override_the_file() {
        let text = "[window]\nwidth = 800\nheight = 600\nfullscreen = true\n\
                    [presets]\ndirs = [\"/from/file\"]\nshuffle = true\n\
                    [audio]\ndevice = \"USB\"\n";
        let mut s = Settings::parse(text, Path::new("k")).unwrap();
        s.apply(&args(&[
            "--size",
            "640x360",
            "--windowed",
            "--presets",
            "/one",
            "--presets",
            "/two",
            "--sequential",
            "--preset-seconds",
            "5",
            "--no-hard-cuts",
            "--demo",
            "--monitor",
            "2",
            "--no-vsync",
            "--beat-sensitivity",
            "0.25",
            "--show-fps",
            "--lock",
        ]))
        .unwrap();
        assert_eq!((s.window.width, s.window.height), (640, 360));
        assert!(!s.window.fullscreen);
        assert_eq!(s.window.monitor, Some(2));
        assert!(!s.window.vsync);
        assert_eq!(s.preset_dirs(), vec![PathBuf::from("/one"), "/two".into()]);
        assert_eq!(s.presets.shuffle, Some(false));
        assert_eq!(s.presets.preset_seconds, Some(5.0));
        assert_eq!(s.presets.hard_cuts, Some(false));
        assert!(s.presets.locked);
        assert!(s.audio.demo);
        assert_eq!(s.audio.beat_sensitivity, Some(0.25));
        assert!(s.overlay.show_fps);

        // Flags the user did not give leave the file's values alone.
        let mut s = Settings::parse(text, Path::new("k")).unwrap();
        s.apply(&args(&[])).unwrap();
        assert_eq!((s.window.width, s.window.height), (800, 600));
        assert!(s.window.fullscreen);
        assert_eq!(s.preset_dirs(), vec![PathBuf::from("/from/file")]);
        assert_eq!(s.audio.device.as_deref(), Some("USB"));
        assert!(!s.audio.demo);
    }

    #[test]
    fn bad_values_are_refused() {
        let mut s = Settings::default();
        assert!(s.apply(&args(&["--beat-sensitivity", "3"])).is_err());
        let mut s = Settings::default();
        assert!(s.apply(&args(&["--blend-seconds=-1"])).is_err());
        let mut s = Settings::default();
        assert!(s.apply(&args(&["--mesh", "2x2"])).is_err());
        // Sizes are checked while parsing the flag.
        let cli =
            |a: &[&str]| Cli::try_parse_from(std::iter::once("kefir").chain(a.iter().copied()));
        assert!(cli(&["--size", "0x10"]).is_err());
        assert!(cli(&["--size", "big"]).is_err());
        assert!(cli(&["--fullscreen", "--windowed"]).is_err());
        assert!(cli(&["--shuffle", "--sequential"]).is_err());
    }

    #[test]
    fn config_files_load_from_disk_or_default_when_missing() {
        let dir = std::env::temp_dir().join(format!("kefir-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let missing = dir.join("missing.toml");
        assert_eq!(
            Settings::load(&missing, false).unwrap(),
            Settings::default()
        );
        // `--config FILE` must exist.
        assert!(Settings::load(&missing, true).is_err());
        let path = dir.join("kefir.toml");
        std::fs::write(&path, "[overlay]\nshow_fps = true\n").unwrap();
        let s = Settings::from_args(&args(&["--config", path.to_str().unwrap()])).unwrap();
        assert!(s.overlay.show_fps);
        let s = Settings::from_args(&args(&["--no-config"])).unwrap();
        assert!(!s.overlay.show_fps);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_bundled_presets_are_found() {
        let dir = bundled_preset_dir().expect("the repository's presets/ directory");
        assert!(dir.join("Kefir - First Light.milk").is_file(), "{dir:?}");
        assert!(is_bundled_preset_dir(&dir));
        assert!(!is_bundled_preset_dir(&dir.join("no-such-folder")));
    }
}
