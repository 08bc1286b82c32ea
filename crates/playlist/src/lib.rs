//! Playlists for Kefir: finding presets on disk and choosing which to play.
//!
//! - [`scan`] walks directories recursively and lists `.milk` files (any case
//!   of the extension) without opening them, so 10,000 presets take a few
//!   milliseconds. Unreadable directories are reported in [`Scan::errors`]
//!   and the walk goes on; symbolic links are followed and loops are safe.
//! - [`Filter`] keeps or drops presets by include/exclude globs.
//! - [`Playlist`] orders them: a fair shuffle (every preset once per round,
//!   deterministic from a seed), file order, a bounded history for
//!   previous/next, jumps, search, and presets that failed to load
//!   ([`Playlist::mark_broken`]) are skipped and reported.
//! - [`Prefs`] holds favourites, "never play again" and the favourites-only
//!   switch, saved as a small TOML file in the user's config directory
//!   ([`Prefs::default_path`]). Presets are keyed by file name, so moving the
//!   collection keeps them.
//!
//! ```
//! use milk_playlist::{Filter, Playlist, PresetEntry};
//!
//! let entries = vec![
//!     PresetEntry::new("presets/a.milk".into()),
//!     PresetEntry::new("presets/b.milk".into()),
//! ];
//! let mut list = Playlist::new(entries, 7);
//! let first = list.next().unwrap().path.clone();
//! let second = list.next().unwrap().path.clone();
//! assert_ne!(first, second); // one round plays each preset once
//! assert_eq!(list.previous().unwrap().path, first);
//! assert_eq!(list.next().unwrap().path, second); // forward through history
//! # let _ = Filter::default();
//! ```

#![warn(missing_docs)]

mod error;
mod playlist;
mod prefs;
mod rng;
mod scan;

pub use error::{PlaylistError, ScanError};
pub use playlist::{HISTORY_LIMIT, Playlist};
pub use prefs::Prefs;
pub use scan::{Filter, PresetEntry, Scan, preset_key, scan};
