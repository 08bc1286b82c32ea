//! What the page and the JS module are told, as plain data (serialized to
//! JSON for JavaScript): preset load reports with file line:col, player
//! events, the preset list and stats. Target-independent, so it is tested
//! natively.

use std::path::Path;

use kefir_player::{PlayerEvent, Playlist};
use milk_engine::{LoadReport, ShaderFailure};
use serde::Serialize;

/// One problem in a preset, located in its file where that is known.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// Where: `per_frame`, `warp shader`, `texture`, `file`.
    pub part: String,
    /// 1-based line and column in the preset file (0 when unknown).
    pub line: u32,
    pub col: u32,
    pub message: String,
}

/// What loading one preset gave, as `loadPreset` resolves it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// The preset's name.
    pub name: String,
    /// Its playlist path (`bundled/…`, `dropped/…`), or `None` for text
    /// loaded by `loadPreset`.
    pub path: Option<String>,
    /// False when the preset did not load at all (the previous one plays
    /// on); true when it plays, perhaps with some blocks disabled.
    pub ok: bool,
    /// Code blocks that did not compile (they do not run), shaders that did
    /// not translate (MilkDrop's default shader stands in), or why the file
    /// did not load.
    pub errors: Vec<Problem>,
    /// Textures that were not found (a neutral texture stands in).
    pub warnings: Vec<Problem>,
    /// Whether the preset's own warp and composite shaders run.
    pub warp_shader: bool,
    pub comp_shader: bool,
    /// Whether it blends in (false: a cut).
    pub blend: bool,
    /// Milliseconds spent preparing it (code, shaders, pipelines).
    pub prepare_ms: f64,
    /// The `loadPreset`/`select` request this report answers, when it came
    /// after the call returned (the preset was prepared a step per frame).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<u64>,
}

impl Report {
    /// The report of a preset that played.
    pub fn loaded(name: &str, path: Option<&Path>, blend: bool, report: &LoadReport) -> Self {
        let mut errors: Vec<Problem> = report
            .errors
            .iter()
            .map(|e| Problem {
                part: e.block.to_string(),
                line: e.location.line,
                col: e.location.col,
                message: e.message.clone(),
            })
            .collect();
        errors.extend(report.shader_failures.iter().map(shader_problem));
        let warnings = report
            .texture_warnings
            .iter()
            .map(|w| Problem {
                part: "texture".into(),
                line: 0,
                col: 0,
                message: w.to_string(),
            })
            .collect();
        Report {
            name: name.to_owned(),
            path: path.map(|p| p.to_string_lossy().into_owned()),
            ok: true,
            errors,
            warnings,
            warp_shader: report.warp_shader,
            comp_shader: report.comp_shader,
            blend,
            prepare_ms: report.prepare_time.as_secs_f64() * 1000.0,
            request: None,
        }
    }

    /// The report of a preset that did not load.
    pub fn failed(name: &str, path: Option<&Path>, error: &str) -> Self {
        Report {
            name: name.to_owned(),
            path: path.map(|p| p.to_string_lossy().into_owned()),
            ok: false,
            errors: vec![Problem {
                part: "file".into(),
                line: 0,
                col: 0,
                message: error.to_owned(),
            }],
            warnings: Vec::new(),
            warp_shader: false,
            comp_shader: false,
            blend: false,
            prepare_ms: 0.0,
            request: None,
        }
    }
}

fn shader_problem(failure: &ShaderFailure) -> Problem {
    let part = format!("{} shader", failure.stage().as_str());
    match failure {
        ShaderFailure::Translate { error, .. } => Problem {
            part,
            line: error.line,
            col: error.col,
            message: error.message.clone(),
        },
        ShaderFailure::Pipeline { message, .. } => Problem {
            part,
            line: 0,
            col: 0,
            message: message.clone(),
        },
        ShaderFailure::UnwrappedGeneratedWarp => Problem {
            part,
            line: 0,
            col: 0,
            message: failure.to_string(),
        },
    }
}

/// A player event for the page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Event {
    /// A preset started, or failed to (see [`Report::ok`]).
    Preset(Report),
    /// Something went wrong that does not stop the player.
    Warning { message: String },
    /// The render scale changed.
    RenderScale { scale: f32 },
}

impl Event {
    /// The page's view of a player event; `None` for events it ignores.
    pub fn from_player(event: &PlayerEvent) -> Option<Event> {
        Some(match event {
            PlayerEvent::Switched {
                path,
                name,
                blend,
                report,
            } => Event::Preset(Report::loaded(name, path.as_deref(), *blend, report)),
            PlayerEvent::Failed { path, error } => {
                let name = path
                    .as_deref()
                    .and_then(Path::file_stem)
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                Event::Preset(Report::failed(&name, path.as_deref(), error))
            }
            PlayerEvent::TooHeavy { name, .. } => Event::Warning {
                message: format!("{name}: skipped, too heavy for this device"),
            },
            PlayerEvent::RenderScale { scale } => Event::RenderScale { scale: *scale },
            PlayerEvent::Warning { message } => Event::Warning {
                message: message.clone(),
            },
            _ => return None,
        })
    }
}

/// One preset of the browser list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListEntry {
    pub path: String,
    pub name: String,
    pub favourite: bool,
    pub broken: bool,
}

/// The playlist's presets matching `query` (every word, any case), for the
/// preset browser.
pub fn list(playlist: &Playlist, query: &str) -> Vec<ListEntry> {
    playlist
        .search(query)
        .into_iter()
        .map(|entry| ListEntry {
            path: entry.path.to_string_lossy().into_owned(),
            name: entry.name.clone(),
            favourite: playlist.prefs().is_favourite(&entry.key()),
            broken: !playlist.is_playable(&entry.path) && !playlist.prefs().is_never(&entry.key()),
        })
        .collect()
}

/// Where a preset given as text is kept in the playlist: `folder/NAME.milk`
/// (`NAME` without any directories, `.milk` added when missing), so that
/// favourites, which go by file name, survive a reload.
pub fn text_path(folder: &str, name: &str) -> std::path::PathBuf {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let base = if base.is_empty() { "untitled" } else { base };
    let file = if base.to_ascii_lowercase().ends_with(".milk") {
        base.to_owned()
    } else {
        format!("{base}.milk")
    };
    Path::new(folder).join(file)
}

/// Frames per second, smoothed over about a second of frames.
#[derive(Debug, Clone, Copy, Default)]
pub struct FpsMeter {
    fps: f64,
}

impl FpsMeter {
    /// Counts a frame that came `dt` seconds after the previous one.
    pub fn frame(&mut self, dt: f64) {
        if !(dt.is_finite() && dt > 0.0) {
            return;
        }
        let now = 1.0 / dt;
        self.fps = if self.fps == 0.0 {
            now
        } else {
            // Weight by time: about one second of memory at any frame rate.
            let w = dt.min(1.0);
            self.fps * (1.0 - w) + now * w
        };
    }

    pub fn fps(&self) -> f64 {
        self.fps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_paths_keep_the_file_name() {
        assert_eq!(
            text_path("dropped", "a/b/Cool.milk"),
            Path::new("dropped/Cool.milk")
        );
        assert_eq!(text_path("dropped", "Cool"), Path::new("dropped/Cool.milk"));
        assert_eq!(text_path("dropped", "X.MILK"), Path::new("dropped/X.MILK"));
        assert_eq!(text_path("d", ""), Path::new("d/untitled.milk"));
    }

    #[test]
    fn fps_settles_on_the_frame_rate() {
        let mut m = FpsMeter::default();
        m.frame(0.0);
        m.frame(f64::NAN);
        assert_eq!(m.fps(), 0.0);
        for _ in 0..120 {
            m.frame(1.0 / 30.0);
        }
        assert!((m.fps() - 30.0).abs() < 0.01, "{}", m.fps());
        for _ in 0..300 {
            m.frame(1.0 / 60.0);
        }
        assert!((m.fps() - 60.0).abs() < 0.5, "{}", m.fps());
    }

    #[test]
    fn code_errors_carry_line_and_column() {
        let text = "[preset00]\nzoom=1\nper_frame_1=zoom = zoom +* ;\n";
        let preset = milk_parser::Preset::parse(text).unwrap();
        let runtime = milk_engine::runtime::PresetRuntime::new(&preset, 0);
        let load = LoadReport {
            errors: runtime.errors().to_vec(),
            ..LoadReport::default()
        };
        assert!(!load.errors.is_empty());
        let report = Report::loaded("x", None, false, &load);
        let e = &report.errors[0];
        assert_eq!(e.part, "per_frame");
        assert_eq!(e.line, 3, "{e:?}");
        assert!(e.col > 0);
        let json = serde_json::to_string(&Event::Preset(report)).unwrap();
        assert!(json.contains("\"kind\":\"preset\""), "{json}");
        assert!(json.contains("\"line\":3"), "{json}");
    }

    #[test]
    fn the_list_searches_and_marks_favourites() {
        let entries = ["bundled/Alpha One.milk", "bundled/Beta Two.milk"]
            .map(|p| milk_playlist::PresetEntry::new(p.into()))
            .to_vec();
        let mut playlist = Playlist::new(entries, 1);
        playlist.prefs_mut().set_favourite("Beta Two.milk", true);
        let all = list(&playlist, "");
        assert_eq!(all.len(), 2);
        let hits = list(&playlist, "two BETA");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].name, "Beta Two");
        assert!(hits[0].favourite);
        assert!(!hits[0].broken);
    }
}
