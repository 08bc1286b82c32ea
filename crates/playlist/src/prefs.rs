//! Favourites, "never play again" and the favourites-only switch, kept in a
//! small TOML file (feature `toml`) or anywhere serde can write them.

use std::collections::BTreeSet;
#[cfg(feature = "toml")]
use std::fs;
#[cfg(feature = "toml")]
use std::io::{self, Write};
#[cfg(feature = "toml")]
use std::path::Path;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

#[cfg(feature = "toml")]
use crate::error::PlaylistError;

/// The user's preset preferences. Presets are keyed by file name (see
/// [`preset_key`](crate::preset_key) and
/// [`PresetEntry::key`](crate::PresetEntry::key)), so moving the collection
/// keeps them.
///
/// Stored as TOML:
///
/// ```toml
/// favourites_only = false
/// favourites = ["Geiss - Hurricane.milk"]
/// never = ["Too Bright.milk"]
/// ```
///
/// Missing keys take their defaults and unknown keys are ignored, so files
/// written by older or newer versions load.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Play only favourites (when any are playable).
    favourites_only: bool,
    favourites: BTreeSet<String>,
    never: BTreeSet<String>,
}

impl Prefs {
    /// Empty prefs: no favourites, nothing banned, favourites-only off.
    pub fn new() -> Self {
        Prefs::default()
    }

    /// Reads prefs from `path`. A missing file gives empty prefs.
    ///
    /// # Errors
    /// [`PlaylistError::Read`] when the file exists but cannot be read
    /// (or is not UTF-8); [`PlaylistError::Syntax`] with line and column
    /// when it is not valid TOML or a value has the wrong type.
    #[cfg(feature = "toml")]
    pub fn load(path: &Path) -> Result<Self, PlaylistError> {
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Prefs::default()),
            Err(error) => {
                return Err(PlaylistError::Read {
                    path: path.to_path_buf(),
                    error,
                });
            }
        };
        let text = String::from_utf8(bytes).map_err(|e| PlaylistError::Read {
            path: path.to_path_buf(),
            error: io::Error::new(io::ErrorKind::InvalidData, e),
        })?;
        Prefs::parse(&text, path)
    }

    /// Parses prefs from TOML text; `path` only names the source in errors.
    ///
    /// # Errors
    /// [`PlaylistError::Syntax`] with line and column.
    #[cfg(feature = "toml")]
    pub fn parse(text: &str, path: &Path) -> Result<Self, PlaylistError> {
        toml::from_str(text).map_err(|e: toml::de::Error| {
            let (line, column) = match e.span() {
                Some(span) => line_column(text, span.start),
                None => (1, 1),
            };
            PlaylistError::Syntax {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().trim().to_owned(),
            }
        })
    }

    /// The prefs as TOML text, as [`save`](Self::save) writes them (one
    /// preset per line, for hand editing).
    #[cfg(feature = "toml")]
    pub fn to_toml(&self) -> String {
        // Serializing bools and string sets cannot fail; fall back to an
        // empty document rather than panic all the same.
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// Writes the prefs to `path` atomically (a temporary file beside it,
    /// then a rename), creating the directory if needed.
    ///
    /// # Errors
    /// [`PlaylistError::Write`] naming the directory or file that failed.
    #[cfg(feature = "toml")]
    pub fn save(&self, path: &Path) -> Result<(), PlaylistError> {
        let write_err = |path: &Path| {
            let path = path.to_path_buf();
            move |error| PlaylistError::Write { path, error }
        };
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        fs::create_dir_all(dir).map_err(write_err(dir))?;
        let file_name = path.file_name().ok_or_else(|| PlaylistError::Write {
            path: path.to_path_buf(),
            error: io::Error::new(io::ErrorKind::InvalidInput, "no file name"),
        })?;
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(file_name);
        tmp_name.push(format!(".{}.tmp", std::process::id()));
        let tmp = dir.join(tmp_name);
        let result = (|| {
            let mut file = fs::File::create(&tmp)?;
            file.write_all(self.to_toml().as_bytes())?;
            file.sync_all()?;
            drop(file);
            fs::rename(&tmp, path)
        })();
        if let Err(error) = result {
            let _ = fs::remove_file(&tmp);
            return Err(write_err(path)(error));
        }
        Ok(())
    }

    /// `<user config dir>/kefir/presets.toml` (e.g.
    /// `~/.config/kefir/presets.toml` on Linux, `%APPDATA%\kefir\presets.toml`
    /// on Windows, `~/Library/Application Support/kefir/presets.toml` on
    /// macOS); `None` when the platform has no home directory.
    pub fn default_path() -> Option<PathBuf> {
        directories::BaseDirs::new().map(|d| d.config_dir().join("kefir").join("presets.toml"))
    }

    /// Whether `key` is a favourite.
    pub fn is_favourite(&self, key: &str) -> bool {
        self.favourites.contains(key)
    }

    /// Whether `key` is never to be played again.
    pub fn is_never(&self, key: &str) -> bool {
        self.never.contains(key)
    }

    /// Makes `key` a favourite or not.
    pub fn set_favourite(&mut self, key: &str, on: bool) {
        if on {
            self.favourites.insert(key.to_owned());
        } else {
            self.favourites.remove(key);
        }
    }

    /// Flips `key`'s favourite mark; returns whether it is a favourite now.
    pub fn toggle_favourite(&mut self, key: &str) -> bool {
        let on = !self.is_favourite(key);
        self.set_favourite(key, on);
        on
    }

    /// Bans `key` from playing (or lifts the ban).
    pub fn set_never(&mut self, key: &str, on: bool) {
        if on {
            self.never.insert(key.to_owned());
        } else {
            self.never.remove(key);
        }
    }

    /// The favourite keys, sorted.
    pub fn favourites(&self) -> impl Iterator<Item = &str> {
        self.favourites.iter().map(String::as_str)
    }

    /// The never-again keys, sorted.
    pub fn never(&self) -> impl Iterator<Item = &str> {
        self.never.iter().map(String::as_str)
    }

    /// Whether only favourites are played (when any are playable).
    pub fn favourites_only(&self) -> bool {
        self.favourites_only
    }

    /// Turns favourites-only mode on or off.
    pub fn set_favourites_only(&mut self, on: bool) {
        self.favourites_only = on;
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
#[cfg(feature = "toml")]
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The browser keeps prefs as JSON through serde (apps/web): the same
    /// fields, missing ones default, unknown ones are ignored.
    #[test]
    fn json_round_trip() {
        let mut p = Prefs::new();
        p.set_favourite("a.milk", true);
        p.set_never("b.milk", true);
        p.set_favourites_only(true);
        let text = serde_json::to_string(&p).unwrap();
        assert_eq!(
            text,
            r#"{"favourites_only":true,"favourites":["a.milk"],"never":["b.milk"]}"#
        );
        assert_eq!(serde_json::from_str::<Prefs>(&text).unwrap(), p);
        let partial: Prefs = serde_json::from_str(r#"{"favourites":["c.milk"],"x":1}"#).unwrap();
        assert!(partial.is_favourite("c.milk") && !partial.favourites_only());
        assert!(serde_json::from_str::<Prefs>("favourites = []").is_err());
    }

    #[test]
    #[cfg(feature = "toml")]
    fn line_column_counts_from_one() {
        let text = "a = 1\nbé = x\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        // 'x' is at byte 12 (é is two bytes) but character column 6.
        assert_eq!(line_column(text, 12), (2, 6));
        assert_eq!(line_column(text, 999), (3, 1));
    }

    #[test]
    #[cfg(feature = "toml")]
    fn file_format() {
        let mut p = Prefs::new();
        p.set_favourite("b.milk", true);
        p.set_favourite("a.milk", true);
        p.set_never("c \"q\".milk", true);
        assert_eq!(
            p.to_toml(),
            "favourites_only = false\nfavourites = [\n    \"a.milk\",\n    \"b.milk\",\n]\nnever = ['c \"q\".milk']\n"
        );
    }

    #[test]
    fn toggles() {
        let mut p = Prefs::new();
        assert!(p.toggle_favourite("a.milk"));
        assert!(p.is_favourite("a.milk"));
        assert!(!p.toggle_favourite("a.milk"));
        assert!(!p.is_favourite("a.milk"));
        p.set_never("b.milk", true);
        assert!(p.is_never("b.milk"));
        assert_eq!(p.never().collect::<Vec<_>>(), ["b.milk"]);
        p.set_never("b.milk", false);
        assert!(!p.is_never("b.milk"));
    }

    #[test]
    #[cfg(feature = "toml")]
    fn parse_errors_name_position() {
        let err = Prefs::parse(
            "favourites = [\"a.milk\"]\nnever = 3\n",
            Path::new("p.toml"),
        )
        .unwrap_err();
        match &err {
            PlaylistError::Syntax { line, column, .. } => assert_eq!((*line, *column), (2, 9)),
            other => panic!("unexpected {other:?}"),
        }
        assert!(err.to_string().starts_with("p.toml:2:9: "), "{err}");
    }
}
