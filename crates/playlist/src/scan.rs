//! Finding presets on disk: [`scan`], [`Filter`], [`PresetEntry`].

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

#[cfg(feature = "globs")]
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::error::{PlaylistError, ScanError};

/// One preset file. Scanning never opens it: whether it loads is found out
/// when it is played (see [`Playlist::mark_broken`](crate::Playlist::mark_broken)).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PresetEntry {
    /// Where the file is.
    pub path: PathBuf,
    /// The file stem, for display and search, e.g. `"Geiss - Hurricane"`.
    pub name: String,
}

impl PresetEntry {
    /// An entry for `path`, named after its file stem (lossily converted to
    /// UTF-8; empty when the path has no file name).
    pub fn new(path: PathBuf) -> Self {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        PresetEntry { path, name }
    }

    /// The key under which [`Prefs`](crate::Prefs) remembers this preset:
    /// its file name, see [`preset_key`].
    pub fn key(&self) -> Cow<'_, str> {
        preset_key(&self.path)
    }
}

/// The key under which [`Prefs`](crate::Prefs) remembers the preset at
/// `path`: its file name with extension (e.g. `"Geiss - Hurricane.milk"`),
/// so that favourites survive moving or re-rooting the collection. Empty when
/// the path has no file name.
pub fn preset_key(path: &Path) -> Cow<'_, str> {
    path.file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or(Cow::Borrowed(""))
}

/// Which presets a [`scan`] keeps, by include and exclude globs.
///
/// Patterns use [globset](https://docs.rs/globset) syntax (`*`, `?`, `[a-z]`,
/// `{a,b}`, `**`), matched case-insensitively. `*` also matches `/`, so
/// `"Geiss/*"` takes everything below a `Geiss` directory. Each preset is
/// tested against:
///
/// - its path relative to the scanned root, with `/` separators
///   (`"cream-of-the-crop/Dancer/Geiss - Hurricane.milk"`),
/// - its file name (`"Geiss - Hurricane.milk"`),
/// - and the same two for every directory between the root and it
///   (`"cream-of-the-crop/Dancer"` and `"Dancer"`).
///
/// A backslash is a literal character, not an escape, on every platform: use
/// `[*]` or `[?]` to match those characters literally.
///
/// A preset is kept when there are no include patterns or one of them
/// matches, and no exclude pattern matches. Excluded directories are not
/// walked at all.
///
/// Without the `globs` feature (the browser build) only the empty filter
/// exists: [`Filter::new`] refuses any pattern.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    include: Option<Patterns>,
    exclude: Option<Patterns>,
}

#[cfg(feature = "globs")]
type Patterns = GlobSet;

/// Never made: no patterns without the `globs` feature.
#[cfg(not(feature = "globs"))]
#[derive(Debug, Clone)]
enum Patterns {}

#[cfg(not(feature = "globs"))]
impl Patterns {
    fn is_match(&self, _: &Path) -> bool {
        match *self {}
    }
}

impl Filter {
    /// A filter from include and exclude patterns; either list may be empty.
    ///
    /// # Errors
    /// [`PlaylistError::Glob`] naming the first invalid pattern.
    pub fn new(include: &[&str], exclude: &[&str]) -> Result<Self, PlaylistError> {
        Ok(Filter {
            include: build_set(include)?,
            exclude: build_set(exclude)?,
        })
    }

    /// A filter that keeps every preset (the same as `Filter::default()`).
    pub fn all() -> Self {
        Filter::default()
    }

    /// Whether a preset at `relative` (to its scanned root) is kept. The
    /// same test [`scan`] applies; useful for presets found some other way.
    pub fn matches(&self, relative: &Path) -> bool {
        let mut included = self.include.is_none();
        let mut prefix = PathBuf::new();
        for component in relative.components() {
            prefix.push(component);
            let name = Path::new(component.as_os_str());
            if self.excludes(&prefix, name) {
                return false;
            }
            included = included || self.includes(&prefix, name);
        }
        included
    }

    fn includes(&self, relative: &Path, name: &Path) -> bool {
        self.include
            .as_ref()
            .is_some_and(|set| set.is_match(relative) || set.is_match(name))
    }

    fn excludes(&self, relative: &Path, name: &Path) -> bool {
        self.exclude
            .as_ref()
            .is_some_and(|set| set.is_match(relative) || set.is_match(name))
    }
}

#[cfg(not(feature = "globs"))]
fn build_set(patterns: &[&str]) -> Result<Option<Patterns>, PlaylistError> {
    match patterns.first() {
        None => Ok(None),
        Some(pattern) => Err(PlaylistError::NoGlobs {
            pattern: (*pattern).to_owned(),
        }),
    }
}

#[cfg(feature = "globs")]
fn build_set(patterns: &[&str]) -> Result<Option<GlobSet>, PlaylistError> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = GlobBuilder::new(pattern)
            .case_insensitive(true)
            .backslash_escape(false)
            .build()
            .map_err(|error| PlaylistError::Glob {
                pattern: (*pattern).to_owned(),
                error,
            })?;
        builder.add(glob);
    }
    builder
        .build()
        .map(Some)
        .map_err(|error| PlaylistError::Glob {
            pattern: patterns.join(", "),
            error,
        })
}

/// The result of a [`scan`].
#[derive(Debug, Default)]
pub struct Scan {
    /// The presets found, sorted by name (case-insensitively, then exactly),
    /// then by path; each path once.
    pub entries: Vec<PresetEntry>,
    /// Roots, directories and links that could not be read, in the order
    /// met. The scan went on without them.
    pub errors: Vec<ScanError>,
}

/// Lists the `.milk` files (extension in any case) under `roots`,
/// recursively, keeping those `filter` accepts. Files are not opened.
///
/// A root may also be a single `.milk` file. Symbolic links are followed;
/// each directory is walked once however many links lead to it, so link
/// loops and overlapping roots are harmless. A root, directory or link that
/// cannot be read is recorded in [`Scan::errors`] and skipped. Never panics.
pub fn scan(roots: &[PathBuf], filter: &Filter) -> Scan {
    let mut walker = Walker {
        filter,
        visited: HashSet::new(),
        out: Scan::default(),
        stack: Vec::new(),
        linked: Vec::new(),
    };
    for root in roots {
        match fs::metadata(root) {
            Err(source) => walker.error(root.clone(), source),
            Ok(meta) if meta.is_dir() => walker.walk_root(root, &meta),
            Ok(meta) if meta.is_file() => {
                if is_milk(root) {
                    let relative = root.file_name().map(Path::new).unwrap_or(root);
                    if filter.matches(relative) {
                        walker.out.entries.push(PresetEntry::new(root.clone()));
                    }
                }
            }
            Ok(_) => {}
        }
    }
    let mut out = walker.out;
    out.entries.sort_by(compare_entries);
    out.entries.dedup_by(|a, b| a.path == b.path);
    out
}

fn compare_entries(a: &PresetEntry, b: &PresetEntry) -> Ordering {
    let folded = if a.name.is_ascii() && b.name.is_ascii() {
        // For ASCII, byte-wise lowercase is the same order as the general
        // case below, without allocating.
        a.name
            .bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.name.bytes().map(|c| c.to_ascii_lowercase()))
    } else {
        let fold = |s: &str| s.chars().flat_map(char::to_lowercase).collect::<Vec<_>>();
        fold(&a.name).cmp(&fold(&b.name))
    };
    folded
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.path.cmp(&b.path))
}

fn is_milk(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("milk"))
}

/// Identity of a directory, to walk each once.
#[cfg(unix)]
type DirId = (u64, u64);
#[cfg(not(unix))]
type DirId = PathBuf;

#[cfg(unix)]
fn dir_id(_path: &Path, meta: &fs::Metadata) -> DirId {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

/// Where there is no inode number, the canonical path; failing that the path
/// itself (a loop then ends when the path grows too long to read).
#[cfg(not(unix))]
fn dir_id(path: &Path, _meta: &fs::Metadata) -> DirId {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

struct Walker<'a> {
    filter: &'a Filter,
    visited: HashSet<DirId>,
    out: Scan,
    /// Directories to walk.
    stack: Vec<Pending>,
    /// Directories reached through symbolic links, walked after the real
    /// tree of the root so that a preset found both ways gets its real path.
    linked: Vec<(Pending, fs::Metadata)>,
}

/// A directory waiting to be walked.
struct Pending {
    path: PathBuf,
    /// An include pattern matched this directory or one above it.
    included: bool,
}

impl Walker<'_> {
    fn error(&mut self, path: PathBuf, error: std::io::Error) {
        self.out.errors.push(ScanError { path, error });
    }

    /// Marks a directory visited; false when it was already.
    fn first_visit(&mut self, path: &Path, meta: &fs::Metadata) -> bool {
        self.visited.insert(dir_id(path, meta))
    }

    fn walk_root(&mut self, root: &Path, meta: &fs::Metadata) {
        if !self.first_visit(root, meta) {
            return;
        }
        self.stack.push(Pending {
            path: root.to_path_buf(),
            included: self.filter.include.is_none(),
        });
        loop {
            while let Some(dir) = self.stack.pop() {
                self.walk_dir(root, dir);
            }
            let Some((dir, meta)) = self.linked.pop() else {
                break;
            };
            if self.first_visit(&dir.path, &meta) {
                self.stack.push(dir);
            }
        }
    }

    fn walk_dir(&mut self, root: &Path, dir: Pending) {
        let read = match fs::read_dir(&dir.path) {
            Ok(read) => read,
            Err(source) => return self.error(dir.path, source),
        };
        for item in read {
            let item = match item {
                Ok(item) => item,
                Err(source) => {
                    self.error(dir.path.clone(), source);
                    break;
                }
            };
            let path = item.path();
            let file_type = match item.file_type() {
                Ok(t) => t,
                Err(source) => {
                    self.error(path, source);
                    continue;
                }
            };
            if file_type.is_symlink() {
                match fs::metadata(&path) {
                    Ok(meta) if meta.is_file() => self.consider_file(root, &dir, path),
                    Ok(meta) if meta.is_dir() => {
                        if let Some(pending) = self.consider_dir(root, &dir, path) {
                            self.linked.push((pending, meta));
                        }
                    }
                    Ok(_) => {}
                    Err(source) => self.error(path, source),
                }
            } else if file_type.is_file() {
                self.consider_file(root, &dir, path);
            } else if file_type.is_dir()
                && let Some(pending) = self.consider_dir(root, &dir, path)
            {
                match fs::metadata(&pending.path) {
                    Ok(meta) => {
                        if self.first_visit(&pending.path, &meta) {
                            self.stack.push(pending);
                        }
                    }
                    Err(source) => self.error(pending.path, source),
                }
            }
        }
    }

    /// Keeps a file if it is a preset and the filter accepts it.
    fn consider_file(&mut self, root: &Path, dir: &Pending, path: PathBuf) {
        if !is_milk(&path) {
            return;
        }
        let filter = self.filter;
        if filter.include.is_some() || filter.exclude.is_some() {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let name = Path::new(path.file_name().unwrap_or_default());
            if filter.excludes(relative, name) || !(dir.included || filter.includes(relative, name))
            {
                return;
            }
        }
        self.out.entries.push(PresetEntry::new(path));
    }

    /// A subdirectory to walk, unless the filter excludes it.
    fn consider_dir(&self, root: &Path, parent: &Pending, path: PathBuf) -> Option<Pending> {
        let filter = self.filter;
        let mut included = parent.included;
        if filter.include.is_some() || filter.exclude.is_some() {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let name = Path::new(path.file_name().unwrap_or_default());
            if filter.excludes(relative, name) {
                return None;
            }
            included = included || filter.includes(relative, name);
        }
        Some(Pending { path, included })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_name_and_key() {
        let e = PresetEntry::new(PathBuf::from("a/b/Geiss - Hurricane.MILK"));
        assert_eq!(e.name, "Geiss - Hurricane");
        assert_eq!(e.key(), "Geiss - Hurricane.MILK");
        let odd = PresetEntry::new(PathBuf::from("/"));
        assert_eq!(odd.name, "");
        assert_eq!(odd.key(), "");
    }

    #[cfg(feature = "globs")]
    #[test]
    fn filter_matches_relative_path_name_and_directories() {
        let f = Filter::new(&["geiss*"], &["*/old/*"]).unwrap();
        assert!(f.matches(Path::new("x/Geiss - Hurricane.milk")));
        assert!(f.matches(Path::new("GEISS/anything.milk")));
        assert!(!f.matches(Path::new("x/Flexi - a.milk")));
        assert!(!f.matches(Path::new("x/old/Geiss - b.milk")));
        let none = Filter::all();
        assert!(none.matches(Path::new("a/b.milk")));
    }

    #[cfg(feature = "globs")]
    #[test]
    fn bad_glob_is_an_error_naming_it() {
        let err = Filter::new(&["[abc"], &[]).unwrap_err();
        assert!(matches!(&err, PlaylistError::Glob { pattern, .. } if pattern == "[abc"));
        assert!(err.to_string().contains("[abc"), "{err}");
    }

    #[cfg(not(feature = "globs"))]
    #[test]
    fn without_globs_only_the_empty_filter_exists() {
        assert!(
            Filter::new(&[], &[])
                .unwrap()
                .matches(Path::new("a/b.milk"))
        );
        let err = Filter::new(&["a*"], &[]).unwrap_err();
        assert!(matches!(&err, PlaylistError::NoGlobs { pattern } if pattern == "a*"));
    }

    #[test]
    fn sort_is_case_insensitive_then_exact_then_path() {
        let mut v = [
            PresetEntry::new("z/b.milk".into()),
            PresetEntry::new("a/B.milk".into()),
            PresetEntry::new("a/b.milk".into()),
            PresetEntry::new("y/A.milk".into()),
            PresetEntry::new("y/Ä.milk".into()),
        ];
        v.sort_by(compare_entries);
        let got: Vec<_> = v.iter().map(|e| e.path.to_str().unwrap()).collect();
        assert_eq!(
            got,
            ["y/A.milk", "a/B.milk", "a/b.milk", "z/b.milk", "y/Ä.milk"]
        );
    }
}
