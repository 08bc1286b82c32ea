//! The box's settings: `kefir.toml` on the boot partition
//! (`/boot/firmware/kefir.toml`, editable from any PC), over
//! `/etc/kefir/kefir.toml`, over the defaults; `--config FILE` reads that
//! file instead of both, and command-line flags win over all.
//!
//! A box has no one at a terminal to read an error and try again, so a bad
//! file never stops it: each bad value (or unknown key, or a line TOML
//! cannot read) becomes a [`Problem`] naming the file, line and column, and
//! the value it would have set keeps its default. The app prints the
//! problems to the journal and on screen.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Serialize;
use toml::de::{DeTable, DeValue};

/// Where the box looks for its config, most important first.
pub const CONFIG_PATHS: [&str; 2] = ["/boot/firmware/kefir.toml", "/etc/kefir/kefir.toml"];

/// Everything `kefir.toml` can set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    pub audio: AudioConfig,
    pub presets: PresetConfig,
    pub display: DisplayConfig,
    pub overlay: OverlayConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AudioConfig {
    /// Capture device: `auto` (the default input), `demo` (the built-in
    /// demo signal), an exact device name or ALSA PCM id
    /// (`plughw:CARD=Device,DEV=0`), or part of a card id (`hifiberry`).
    pub device: String,
    /// What plays while no input device is there: `demo` (the demo signal)
    /// or `silence` (the presets react to nothing; "no input" shows).
    pub fallback: Fallback,
    /// Beat detection sensitivity, 0..1.
    pub beat_sensitivity: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PresetConfig {
    /// Extra preset directories (a USB stick mounted at boot, say).
    pub dirs: Vec<PathBuf>,
    /// Play the presets that come with Kefir too.
    pub bundled: bool,
    /// Seconds a preset plays before the next (0: only on request).
    pub duration: f64,
    /// Seconds of blending between presets (0: cut).
    pub blend: f64,
    /// Random order rather than file order.
    pub shuffle: bool,
    /// Cut to the next preset on loud beats.
    pub hard_cuts: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisplayConfig {
    /// `auto` (the display straight through KMS/DRM, else a window),
    /// `drm` or `window`.
    #[serde(serialize_with = "display")]
    pub output: Output,
    /// `auto` (the connector's preferred mode, at most 1920x1080 at 60 Hz),
    /// `WIDTHxHEIGHT` or `WIDTHxHEIGHT@HZ`.
    #[serde(serialize_with = "display")]
    pub mode: ModeRequest,
    /// DRM connector by name (`HDMI-A-1`), or `auto` (the first connected).
    pub connector: String,
    /// `auto` (lowered when frames miss the refresh; heavy presets skipped)
    /// or a fixed fraction of the screen's size, 0.1..1.
    #[serde(serialize_with = "display")]
    pub render_scale: RenderScale,
    /// The blur levels' size as a fraction of MilkDrop's, 0.25..1: a coarser
    /// blur of the same width, a little faster.
    pub blur_scale: f64,
    /// Frames per second to aim for (0: the display's refresh).
    pub target_fps: f64,
    /// Graphics API: `auto`, `vulkan` or `gl` (windows only; KMS needs
    /// Vulkan).
    #[serde(serialize_with = "display")]
    pub backend: Backend,
}

/// What is written over the visuals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverlayConfig {
    /// Seconds the preset's name shows after each switch (0: only when
    /// asked for with the show-name key).
    pub preset_name: f64,
    /// Messages on screen (bad settings, skipped presets, audio devices);
    /// false: only in the journal. The status line ("no audio input")
    /// shows either way.
    pub messages: bool,
    /// Text size, relative to the default (which suits a TV across the
    /// room): 0.5..3.
    pub text_size: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            audio: AudioConfig {
                device: "auto".into(),
                fallback: Fallback::Demo,
                beat_sensitivity: 0.5,
            },
            presets: PresetConfig {
                dirs: Vec::new(),
                bundled: true,
                duration: 16.0,
                blend: 2.7,
                shuffle: true,
                hard_cuts: false,
            },
            display: DisplayConfig {
                output: Output::Auto,
                mode: ModeRequest::Auto,
                connector: "auto".into(),
                render_scale: RenderScale::Auto,
                blur_scale: 1.0,
                target_fps: 0.0,
                backend: Backend::Auto,
            },
            overlay: OverlayConfig {
                preset_name: 0.0,
                messages: true,
                text_size: 1.0,
            },
        }
    }
}

fn display<T: fmt::Display, S: serde::Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// Keywords of a setting, for `FromStr` of the small enums.
macro_rules! keywords {
    ($ty:ident { $($variant:ident = $word:literal),+ $(,)? }) => {
        impl FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s.trim().to_ascii_lowercase().as_str() {
                    $($word => Ok($ty::$variant),)+
                    _ => Err(format!(
                        "expected one of {}, got {s:?}",
                        [$(concat!("\"", $word, "\"")),+].join(", ")
                    )),
                }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(match self { $($ty::$variant => $word,)+ })
            }
        }
        impl Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    Demo,
    Silence,
}
keywords!(Fallback {
    Demo = "demo",
    Silence = "silence"
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Auto,
    Drm,
    Window,
}
keywords!(Output {
    Auto = "auto",
    Drm = "drm",
    Window = "window"
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Auto,
    Vulkan,
    Gl,
}
keywords!(Backend {
    Auto = "auto",
    Vulkan = "vulkan",
    Gl = "gl"
});

/// A display mode the config asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ModeRequest {
    Auto,
    /// Width, height and, if given, the refresh rate in Hz.
    Size {
        width: u32,
        height: u32,
        hz: Option<f64>,
    },
}

impl FromStr for ModeRequest {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("auto") {
            return Ok(ModeRequest::Auto);
        }
        let bad =
            || format!("expected \"auto\", \"WIDTHxHEIGHT\" or \"WIDTHxHEIGHT@HZ\", got {s:?}");
        let (size, hz) = match t.split_once('@') {
            Some((size, hz)) => {
                let hz: f64 = hz.trim().parse().map_err(|_| bad())?;
                if !(hz.is_finite() && (1.0..=1000.0).contains(&hz)) {
                    return Err(format!("refresh rate {hz} is out of range (1..1000 Hz)"));
                }
                (size, Some(hz))
            }
            None => (t, None),
        };
        let (w, h) = size.split_once(['x', 'X']).ok_or_else(bad)?;
        let w: u32 = w.trim().parse().map_err(|_| bad())?;
        let h: u32 = h.trim().parse().map_err(|_| bad())?;
        if !(1..=16384).contains(&w) || !(1..=16384).contains(&h) {
            return Err(format!("{w}x{h} is out of range (1..16384)"));
        }
        Ok(ModeRequest::Size {
            width: w,
            height: h,
            hz,
        })
    }
}

impl fmt::Display for ModeRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModeRequest::Auto => f.write_str("auto"),
            ModeRequest::Size {
                width,
                height,
                hz: None,
            } => write!(f, "{width}x{height}"),
            ModeRequest::Size {
                width,
                height,
                hz: Some(hz),
            } => write!(f, "{width}x{height}@{hz}"),
        }
    }
}

/// The render scale: automatic or fixed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RenderScale {
    Auto,
    Fixed(f32),
}

impl fmt::Display for RenderScale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderScale::Auto => f.write_str("auto"),
            RenderScale::Fixed(x) => write!(f, "{x}"),
        }
    }
}

impl RenderScale {
    fn parse(v: &DeValue<'_>) -> Result<Self, String> {
        if let Some(s) = v.as_str() {
            // "auto", or a number written as a string ("0.5", as
            // `--print-config` prints it).
            return s.parse();
        }
        let x = number(v)?;
        if (0.1..=1.0).contains(&x) {
            Ok(RenderScale::Fixed(x as f32))
        } else {
            Err(format!("{x} is out of range (0.1..1)"))
        }
    }
}

impl FromStr for RenderScale {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.trim().eq_ignore_ascii_case("auto") {
            return Ok(RenderScale::Auto);
        }
        match s.trim().parse::<f64>() {
            Ok(x) if (0.1..=1.0).contains(&x) => Ok(RenderScale::Fixed(x as f32)),
            _ => Err(format!("expected \"auto\" or a number 0.1..1, got {s:?}")),
        }
    }
}

/// Something wrong in a config file; the setting keeps its earlier value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    /// 1-based line and column, where TOML could tell.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((line, col)) => {
                write!(f, "{}:{line}:{col}: {}", self.file.display(), self.message)
            }
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// 1-based line and column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn number(v: &DeValue<'_>) -> Result<f64, String> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .map(|n| n as f64)
            .map_err(|e| e.to_string()),
        DeValue::Float(x) => x
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .map_err(|e| e.to_string()),
        other => Err(format!("expected a number, got {}", kind(other))),
    }
}

fn kind(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

fn ranged(v: &DeValue<'_>, lo: f64, hi: f64) -> Result<f64, String> {
    let x = number(v)?;
    if x.is_finite() && (lo..=hi).contains(&x) {
        Ok(x)
    } else {
        Err(format!("{x} is out of range ({lo}..{hi})"))
    }
}

fn boolean(v: &DeValue<'_>) -> Result<bool, String> {
    v.as_bool()
        .ok_or_else(|| format!("expected true or false, got {}", kind(v)))
}

fn string(v: &DeValue<'_>) -> Result<String, String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("expected a string, got {}", kind(v)))
}

fn keyword<T: FromStr<Err = String>>(v: &DeValue<'_>) -> Result<T, String> {
    string(v)?.parse()
}

/// Sets `section.key` from `v`; `Err` leaves the config as it was.
fn set(config: &mut Config, section: &str, key: &str, v: &DeValue<'_>) -> Result<(), String> {
    let a = &mut config.audio;
    let p = &mut config.presets;
    let d = &mut config.display;
    let o = &mut config.overlay;
    match (section, key) {
        ("audio", "device") => a.device = string(v)?,
        ("audio", "fallback") => a.fallback = keyword(v)?,
        ("audio", "beat_sensitivity") => a.beat_sensitivity = ranged(v, 0.0, 1.0)?,
        ("presets", "dirs") => {
            let DeValue::Array(items) = v else {
                return Err(format!("expected a list of directories, got {}", kind(v)));
            };
            p.dirs = items
                .iter()
                .map(|i| string(i.get_ref()).map(PathBuf::from))
                .collect::<Result<_, _>>()?;
        }
        ("presets", "bundled") => p.bundled = boolean(v)?,
        ("presets", "duration") => p.duration = ranged(v, 0.0, 86_400.0)?,
        ("presets", "blend") => p.blend = ranged(v, 0.0, 60.0)?,
        ("presets", "shuffle") => p.shuffle = boolean(v)?,
        ("presets", "hard_cuts") => p.hard_cuts = boolean(v)?,
        ("display", "output") => d.output = keyword(v)?,
        ("display", "mode") => d.mode = keyword(v)?,
        ("display", "connector") => d.connector = string(v)?,
        ("display", "render_scale") => d.render_scale = RenderScale::parse(v)?,
        ("display", "blur_scale") => {
            d.blur_scale = ranged(v, f64::from(milk_engine::blur::MIN_SCALE), 1.0)?;
        }
        ("display", "target_fps") => d.target_fps = ranged(v, 0.0, 1000.0)?,
        ("display", "backend") => d.backend = keyword(v)?,
        ("overlay", "preset_name") => o.preset_name = ranged(v, 0.0, 3600.0)?,
        ("overlay", "messages") => o.messages = boolean(v)?,
        ("overlay", "text_size") => o.text_size = ranged(v, 0.5, 3.0)?,
        _ => return Err(format!("unknown setting `{section}.{key}`")),
    }
    Ok(())
}

/// The keys of each section, for messages about unknown ones.
const SECTIONS: [(&str, &str); 4] = [
    ("audio", "device, fallback, beat_sensitivity"),
    (
        "presets",
        "dirs, bundled, duration, blend, shuffle, hard_cuts",
    ),
    (
        "display",
        "output, mode, connector, render_scale, blur_scale, target_fps, backend",
    ),
    ("overlay", "preset_name, messages, text_size"),
];

impl Config {
    /// Applies the settings of one file's `text` over `self`; returns what
    /// was wrong (those settings are left as they were).
    pub fn apply(&mut self, file: &Path, text: &str) -> Vec<Problem> {
        let problem = |span: Option<std::ops::Range<usize>>, message: String| Problem {
            file: file.to_path_buf(),
            at: span.map(|s| line_col(text, s.start)),
            message,
        };
        let (table, errors) = DeTable::parse_recoverable(text);
        let mut problems: Vec<Problem> = errors
            .iter()
            .map(|e| {
                problem(
                    e.span(),
                    format!("not valid TOML: {}", e.message().trim_end()),
                )
            })
            .collect();
        for (section, value) in table.get_ref().iter() {
            let name = section.get_ref().as_ref();
            let Some((_, keys)) = SECTIONS.iter().find(|(s, _)| *s == name) else {
                problems.push(problem(
                    Some(section.span()),
                    format!(
                        "unknown section [{name}] (known: [audio], [presets], [display], [overlay])"
                    ),
                ));
                continue;
            };
            let DeValue::Table(entries) = value.get_ref() else {
                problems.push(problem(
                    Some(section.span()),
                    format!("`{name}` must be a section ([{name}])"),
                ));
                continue;
            };
            for (key, v) in entries.iter() {
                let key_name = key.get_ref().as_ref();
                if let Err(e) = set(self, name, key_name, v.get_ref()) {
                    let (span, message) = if e.starts_with("unknown setting") {
                        (key.span(), format!("{e} (known in [{name}]: {keys})"))
                    } else {
                        (
                            v.span(),
                            format!(
                                "{name}.{key_name}: {e}; using {}",
                                self.value_of(name, key_name)
                            ),
                        )
                    };
                    problems.push(problem(Some(span), message));
                }
            }
        }
        problems
    }

    /// A setting's current value as TOML, for messages.
    fn value_of(&self, section: &str, key: &str) -> String {
        toml::Table::try_from(self)
            .ok()
            .and_then(|t| t.get(section)?.get(key).map(|v| v.to_string()))
            .unwrap_or_else(|| "the default".into())
    }

    /// Reads `paths` (the first is the most important; missing files are
    /// skipped) over the defaults. Returns the config, the files read and
    /// the problems found.
    pub fn load(paths: &[PathBuf]) -> (Config, Vec<PathBuf>, Vec<Problem>) {
        let mut config = Config::default();
        let mut read = Vec::new();
        let mut problems = Vec::new();
        for path in paths.iter().rev() {
            match std::fs::read_to_string(path) {
                Ok(text) => {
                    problems.extend(config.apply(path, &text));
                    read.push(path.clone());
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => problems.push(Problem {
                    file: path.clone(),
                    at: None,
                    message: format!("cannot read it ({e}); its settings are not used"),
                }),
            }
        }
        read.reverse();
        (config, read, problems)
    }

    /// The config as a `kefir.toml` file.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_else(|e| format!("# cannot print the config: {e}\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str) -> (Config, Vec<String>) {
        let mut c = Config::default();
        let problems = c.apply(Path::new("/boot/firmware/kefir.toml"), text);
        (c, problems.iter().map(|p| p.to_string()).collect())
    }

    #[test]
    fn a_full_file_sets_everything() {
        let (c, problems) = apply(
            r#"
[audio]
device = "hifiberry"
fallback = "silence"
beat_sensitivity = 0.7
[presets]
dirs = ["/media/usb/presets", "/home/kefir/presets"]
bundled = false
duration = 30
blend = 0.5
shuffle = false
hard_cuts = true
[display]
output = "drm"
mode = "1280x720@60"
connector = "HDMI-A-2"
render_scale = 0.5
blur_scale = 0.5
target_fps = 30
backend = "vulkan"
[overlay]
preset_name = 5
messages = false
text_size = 1.5
"#,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(c.audio.device, "hifiberry");
        assert_eq!(c.audio.fallback, Fallback::Silence);
        assert_eq!(c.audio.beat_sensitivity, 0.7);
        assert_eq!(c.presets.dirs.len(), 2);
        assert!(!c.presets.bundled && !c.presets.shuffle && c.presets.hard_cuts);
        assert_eq!((c.presets.duration, c.presets.blend), (30.0, 0.5));
        assert_eq!(c.display.output, Output::Drm);
        assert_eq!(
            c.display.mode,
            ModeRequest::Size {
                width: 1280,
                height: 720,
                hz: Some(60.0)
            }
        );
        assert_eq!(c.display.connector, "HDMI-A-2");
        assert_eq!(c.display.render_scale, RenderScale::Fixed(0.5));
        assert_eq!(c.display.blur_scale, 0.5);
        assert_eq!(c.display.target_fps, 30.0);
        assert_eq!(c.display.backend, Backend::Vulkan);
        assert_eq!(c.overlay.preset_name, 5.0);
        assert!(!c.overlay.messages);
        assert_eq!(c.overlay.text_size, 1.5);
        // Printing and reading again gives the same config.
        let (again, problems) = apply(&c.to_toml());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(again, c);
    }

    #[test]
    fn bad_values_are_reported_where_they_are_and_keep_the_default() {
        let (c, problems) = apply(
            "[display]\nmode = \"1920x\"\nrender_scale = 3\n[presets]\nduration = \"long\"\nblend = 1.5\n",
        );
        assert_eq!(c.display.mode, ModeRequest::Auto);
        assert_eq!(c.display.render_scale, RenderScale::Auto);
        assert_eq!(c.presets.duration, 16.0);
        // The good value next to them is taken.
        assert_eq!(c.presets.blend, 1.5);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[0].starts_with("/boot/firmware/kefir.toml:2:8: display.mode:"),
            "{problems:?}"
        );
        assert!(problems[0].contains("using \"auto\""), "{problems:?}");
        assert!(
            problems[1].starts_with(
                "/boot/firmware/kefir.toml:3:16: display.render_scale: 3 is out of range"
            ),
            "{problems:?}"
        );
        assert!(problems[2].starts_with("/boot/firmware/kefir.toml:5:12: presets.duration: expected a number, got a string; using 16.0"), "{problems:?}");
    }

    #[test]
    fn unknown_keys_and_sections_are_named() {
        let (c, problems) = apply("[display]\nmod = \"auto\"\n[sound]\ndevice = \"x\"\n");
        assert_eq!(c, Config::default());
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].contains(":2:1: unknown setting `display.mod`"),
            "{problems:?}"
        );
        assert!(
            problems[0].contains("known in [display]: output, mode"),
            "{problems:?}"
        );
        assert!(
            problems[1].contains(":3:2: unknown section [sound]"),
            "{problems:?}"
        );
    }

    #[test]
    fn broken_toml_is_reported_and_the_rest_is_read() {
        let (c, problems) = apply("[audio]\ndevice = \"usb\"\nbeat_sensitivity = = 2\n");
        assert_eq!(c.audio.device, "usb");
        assert!(!problems.is_empty());
        assert!(
            problems[0].starts_with("/boot/firmware/kefir.toml:3:"),
            "{problems:?}"
        );
        assert!(problems[0].contains("not valid TOML"), "{problems:?}");
    }

    #[test]
    fn the_boot_partition_wins_over_etc() {
        let dir = std::env::temp_dir().join(format!("kefir-pi-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let boot = dir.join("boot.toml");
        let etc = dir.join("etc.toml");
        std::fs::write(&boot, "[presets]\nduration = 5\n").unwrap();
        std::fs::write(&etc, "[presets]\nduration = 9\nblend = 0\n").unwrap();
        let missing = dir.join("missing.toml");
        let (c, read, problems) = Config::load(&[boot.clone(), missing, etc.clone()]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(read, vec![boot, etc]);
        assert_eq!(c.presets.duration, 5.0);
        assert_eq!(c.presets.blend, 0.0);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn modes_and_scales_parse() {
        assert_eq!("auto".parse(), Ok(ModeRequest::Auto));
        assert_eq!(
            "1920X1080".parse(),
            Ok(ModeRequest::Size {
                width: 1920,
                height: 1080,
                hz: None
            })
        );
        assert_eq!(
            "1280x720@59.94".parse::<ModeRequest>().unwrap().to_string(),
            "1280x720@59.94"
        );
        for bad in ["", "x", "0x10", "10x10@0", "10x10@fast", "99999x5"] {
            assert!(bad.parse::<ModeRequest>().is_err(), "{bad}");
        }
        assert_eq!("0.5".parse(), Ok(RenderScale::Fixed(0.5)));
        assert_eq!("AUTO".parse(), Ok(RenderScale::Auto));
        assert!("2".parse::<RenderScale>().is_err());
        assert_eq!("GL".parse(), Ok(Backend::Gl));
        assert!(
            "metal"
                .parse::<Backend>()
                .unwrap_err()
                .contains("\"vulkan\"")
        );
    }

    #[test]
    fn the_shipped_example_is_the_defaults() {
        let text = include_str!("../packaging/kefir.toml");
        let (c, problems) = apply(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(c, Config::default());
        // Uncommented, every key is known and says its default (but the
        // example directory).
        let uncommented = text
            .lines()
            .map(|l| match l.strip_prefix('#') {
                Some(rest) if rest.contains(" = ") && !rest.starts_with(' ') => rest,
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let (mut c, problems) = apply(&uncommented);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(c.presets.dirs, [PathBuf::from("/media/usb/presets")]);
        c.presets.dirs.clear();
        assert_eq!(c, Config::default());
        let keys = uncommented.lines().filter(|l| l.contains(" = ")).count();
        let known: usize = SECTIONS.iter().map(|(_, k)| k.split(", ").count()).sum();
        assert_eq!(keys, known, "every key is in the example");
    }

    #[test]
    fn line_and_column() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab\ncd", 99), (2, 3));
    }
}
