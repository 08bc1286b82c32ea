//! [`Playlist`]: which preset plays next.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};

use crate::prefs::Prefs;
use crate::rng::Rng;
use crate::scan::PresetEntry;

/// How many presets [`Playlist::previous`] can go back.
pub const HISTORY_LIMIT: usize = 1000;

/// An ordered set of presets and the state of playing through them.
///
/// **Playable** presets are those not marked broken and not banned by
/// [`Prefs::is_never`]; in favourites-only mode ([`Prefs::favourites_only`]),
/// only favourites are playable as long as at least one favourite is
/// otherwise playable (when none is, every preset is).
///
/// In shuffle mode (the default) presets play in rounds: each round visits
/// every playable preset once in a random order, and a new round is
/// reshuffled so that it does not start with the preset just played. Without
/// shuffle, presets play in the order given (a [`scan`](crate::scan) sorts
/// them by name), wrapping around. Both are deterministic from the seed.
///
/// Every preset that becomes current is pushed on a history of up to
/// [`HISTORY_LIMIT`] entries: [`previous`](Self::previous) walks back
/// through it and [`next`](Self::next) walks forward again before choosing
/// new presets. Choosing a new preset (or [`select`](Self::select)ing one)
/// while back in history drops the history ahead, as a web browser does.
///
/// No method panics or loops forever, whatever is broken or banned: with
/// nothing playable, [`next`](Self::next) and friends return `None`.
#[derive(Debug, Clone)]
pub struct Playlist {
    entries: Vec<PresetEntry>,
    /// `entries[i].key()`, owned.
    keys: Vec<String>,
    /// `entries[i].name`, lowercased, for search.
    names_lower: Vec<String>,
    by_path: HashMap<PathBuf, usize>,
    by_key: HashMap<String, Vec<usize>>,
    is_broken: Vec<bool>,
    broken: Vec<(PathBuf, String)>,
    prefs: Prefs,
    shuffle: bool,
    rng: Rng,
    /// The current round's order (indices into `entries`) and how far it has
    /// been taken.
    order: Vec<usize>,
    order_pos: usize,
    /// Which entries have been current in this round.
    played: Vec<bool>,
    history: VecDeque<usize>,
    /// Index into `history` of the current preset.
    cursor: Option<usize>,
}

impl Playlist {
    /// A playlist of `entries` (kept in the order given), shuffling, with
    /// empty prefs and nothing current. The same `entries` and `seed` give
    /// the same choices.
    pub fn new(entries: Vec<PresetEntry>, seed: u64) -> Self {
        let n = entries.len();
        let keys: Vec<String> = entries.iter().map(|e| e.key().into_owned()).collect();
        let names_lower = entries.iter().map(|e| e.name.to_lowercase()).collect();
        let mut by_path = HashMap::with_capacity(n);
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::with_capacity(n);
        for (i, (entry, key)) in entries.iter().zip(&keys).enumerate() {
            by_path.entry(entry.path.clone()).or_insert(i);
            by_key.entry(key.clone()).or_default().push(i);
        }
        let mut rng = Rng::new(seed);
        let mut order: Vec<usize> = (0..n).collect();
        rng.shuffle(&mut order);
        Playlist {
            entries,
            keys,
            names_lower,
            by_path,
            by_key,
            is_broken: vec![false; n],
            broken: Vec::new(),
            prefs: Prefs::default(),
            shuffle: true,
            rng,
            order,
            order_pos: 0,
            played: vec![false; n],
            history: VecDeque::new(),
            cursor: None,
        }
    }

    /// How many presets the playlist holds, playable or not.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the playlist holds no presets.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// All presets, in the order given to [`new`](Self::new).
    pub fn entries(&self) -> &[PresetEntry] {
        &self.entries
    }

    /// The preset playing now, if any.
    pub fn current(&self) -> Option<&PresetEntry> {
        self.cursor.map(|c| &self.entries[self.history[c]])
    }

    /// Whether shuffle mode is on.
    pub fn shuffle(&self) -> bool {
        self.shuffle
    }

    /// Turns shuffle on (random rounds) or off (the order given, wrapping
    /// around from the current preset). The shuffle round in progress is kept.
    pub fn set_shuffle(&mut self, on: bool) {
        self.shuffle = on;
    }

    /// Moves to the next preset and returns it: forward through history if
    /// [`previous`](Self::previous) went back, otherwise a playable preset
    /// not yet played in this round (shuffle) or the next playable one in
    /// order (no shuffle). `None`, with the current preset unchanged, when
    /// nothing is playable.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<&PresetEntry> {
        let fav = self.favourites_only_active();
        if let Some(c) = self.cursor
            && let Some(j) =
                (c + 1..self.history.len()).find(|&j| self.playable(self.history[j], fav))
        {
            self.cursor = Some(j);
            return self.current();
        }
        let pick = if self.shuffle {
            self.pick_shuffled(fav)
        } else {
            self.pick_in_order(fav)
        }?;
        self.push(pick);
        self.current()
    }

    /// Moves back to the preset played before the current one (skipping any
    /// that have since become unplayable) and returns it; `None`, with the
    /// current preset unchanged, at the start of history.
    pub fn previous(&mut self) -> Option<&PresetEntry> {
        let fav = self.favourites_only_active();
        let c = self.cursor?;
        let j = (0..c)
            .rev()
            .find(|&j| self.playable(self.history[j], fav))?;
        self.cursor = Some(j);
        self.current()
    }

    /// Jumps to the preset at `path`, which becomes current and is pushed on
    /// history (even if banned or outside favourites-only: the user asked
    /// for it). `None`, with nothing changed, when the path is not in the
    /// playlist or was marked broken.
    pub fn select(&mut self, path: &Path) -> Option<&PresetEntry> {
        let i = *self.by_path.get(path)?;
        if self.is_broken[i] {
            return None;
        }
        if self.cursor.map(|c| self.history[c]) != Some(i) {
            self.push(i);
        }
        self.current()
    }

    /// Moves to a new preset chosen at random and returns it. In shuffle
    /// mode this is the next preset of the round, as [`next`](Self::next)
    /// would choose it, except that it never replays forward history; without
    /// shuffle it is any playable preset other than the current one (when
    /// there is another). `None` when nothing is playable.
    pub fn random(&mut self) -> Option<&PresetEntry> {
        let fav = self.favourites_only_active();
        let pick = if self.shuffle {
            self.pick_shuffled(fav)
        } else {
            let current = self.cursor.map(|c| self.history[c]);
            let mut candidates: Vec<usize> = (0..self.entries.len())
                .filter(|&i| self.playable(i, fav))
                .collect();
            if candidates.len() > 1 {
                candidates.retain(|&i| Some(i) != current);
            }
            (!candidates.is_empty()).then(|| candidates[self.rng.below(candidates.len())])
        }?;
        self.push(pick);
        self.current()
    }

    /// Records that the preset at `path` failed to load, and why: it is
    /// skipped from now on (also in history) and listed by
    /// [`broken`](Self::broken). The current preset stays current until the
    /// player moves on. Marking a preset again keeps the first reason; a path
    /// not in the playlist is still reported.
    pub fn mark_broken(&mut self, path: &Path, reason: String) {
        if let Some(&i) = self.by_path.get(path) {
            self.is_broken[i] = true;
        }
        if !self.broken.iter().any(|(p, _)| p == path) {
            self.broken.push((path.to_path_buf(), reason));
        }
    }

    /// The presets marked broken, with their reasons, in the order marked.
    pub fn broken(&self) -> &[(PathBuf, String)] {
        &self.broken
    }

    /// Whether the preset at `path` is in the playlist and would be played
    /// now: not broken, not banned, and a favourite if favourites-only mode
    /// is in effect.
    pub fn is_playable(&self, path: &Path) -> bool {
        let fav = self.favourites_only_active();
        self.by_path
            .get(path)
            .is_some_and(|&i| self.playable(i, fav))
    }

    /// Replaces the prefs (favourites, never-again, favourites-only).
    pub fn set_prefs(&mut self, prefs: Prefs) {
        self.prefs = prefs;
    }

    /// The prefs in effect.
    pub fn prefs(&self) -> &Prefs {
        &self.prefs
    }

    /// The prefs, to change; changes take effect on the next move.
    pub fn prefs_mut(&mut self) -> &mut Prefs {
        &mut self.prefs
    }

    /// Presets whose name contains every word of `query`, ignoring case, in
    /// playlist order; all presets for a blank query. Broken and banned
    /// presets are included (a browser can show them as such).
    pub fn search(&self, query: &str) -> Vec<&PresetEntry> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        self.entries
            .iter()
            .zip(&self.names_lower)
            .filter(|(_, name)| words.iter().all(|w| name.contains(w.as_str())))
            .map(|(entry, _)| entry)
            .collect()
    }

    /// Whether favourites-only mode is on and some favourite is playable.
    fn favourites_only_active(&self) -> bool {
        self.prefs.favourites_only()
            && self.prefs.favourites().any(|key| {
                !self.prefs.is_never(key)
                    && self
                        .by_key
                        .get(key)
                        .is_some_and(|ids| ids.iter().any(|&i| !self.is_broken[i]))
            })
    }

    fn playable(&self, i: usize, favourites_only: bool) -> bool {
        let key = &self.keys[i];
        !self.is_broken[i]
            && !self.prefs.is_never(key)
            && (!favourites_only || self.prefs.is_favourite(key))
    }

    /// A playable preset not yet played in this round, starting a new round
    /// when there is none.
    fn pick_shuffled(&mut self, fav: bool) -> Option<usize> {
        // At most two passes: the rest of this round, then a new round,
        // which finds something unless nothing is playable at all.
        for _ in 0..2 {
            while self.order_pos < self.order.len() {
                let i = self.order[self.order_pos];
                self.order_pos += 1;
                if !self.played[i] && self.playable(i, fav) {
                    return Some(i);
                }
            }
            // Presets passed over while unplayable that have become playable
            // since still belong to this round.
            let left: Vec<usize> = (0..self.entries.len())
                .filter(|&i| !self.played[i] && self.playable(i, fav))
                .collect();
            if !left.is_empty() {
                return Some(left[self.rng.below(left.len())]);
            }
            if !(0..self.entries.len()).any(|i| self.playable(i, fav)) {
                return None;
            }
            self.new_round(fav);
        }
        None
    }

    /// Reshuffles; the round does not start with the current preset when
    /// another is playable.
    fn new_round(&mut self, fav: bool) {
        self.played.fill(false);
        self.order.clear();
        self.order.extend(0..self.entries.len());
        self.rng.shuffle(&mut self.order);
        self.order_pos = 0;
        let Some(current) = self.cursor.map(|c| self.history[c]) else {
            return;
        };
        let playable: Vec<usize> = (0..self.order.len())
            .filter(|&p| self.playable(self.order[p], fav))
            .collect();
        if playable.len() > 1 && self.order[playable[0]] == current {
            let other = playable[1 + self.rng.below(playable.len() - 1)];
            self.order.swap(playable[0], other);
        }
    }

    /// The next playable preset after the current one in order, wrapping.
    fn pick_in_order(&self, fav: bool) -> Option<usize> {
        let n = self.entries.len();
        let start = self.cursor.map_or(0, |c| self.history[c] + 1);
        (0..n)
            .map(|k| (start + k) % n)
            .find(|&i| self.playable(i, fav))
    }

    /// Makes `i` current: drops forward history, pushes, bounds the history.
    fn push(&mut self, i: usize) {
        match self.cursor {
            Some(c) => self.history.truncate(c + 1),
            None => self.history.clear(),
        }
        self.history.push_back(i);
        if self.history.len() > HISTORY_LIMIT {
            self.history.pop_front();
        }
        self.cursor = Some(self.history.len() - 1);
        self.played[i] = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(n: usize, seed: u64) -> Playlist {
        let entries = (0..n)
            .map(|i| PresetEntry::new(PathBuf::from(format!("p/{i:03}.milk"))))
            .collect();
        Playlist::new(entries, seed)
    }

    #[test]
    fn history_is_bounded() {
        let mut l = list(10, 3);
        for _ in 0..HISTORY_LIMIT + 50 {
            l.next().unwrap();
        }
        assert_eq!(l.history.len(), HISTORY_LIMIT);
        let mut back = 0;
        while l.previous().is_some() {
            back += 1;
        }
        assert_eq!(back, HISTORY_LIMIT - 1);
    }

    #[test]
    fn empty_playlist_gives_none() {
        let mut l = list(0, 1);
        assert!(l.is_empty());
        assert!(l.next().is_none());
        assert!(l.previous().is_none());
        assert!(l.random().is_none());
        l.set_shuffle(false);
        assert!(l.next().is_none());
        assert!(l.random().is_none());
        assert!(l.current().is_none());
    }

    #[test]
    fn single_preset_repeats() {
        let mut l = list(1, 1);
        for _ in 0..3 {
            assert_eq!(l.next().unwrap().name, "000");
        }
        assert_eq!(l.random().unwrap().name, "000");
    }

    #[test]
    fn select_while_back_in_history_drops_forward_history() {
        let mut l = list(5, 9);
        let a = l.next().unwrap().path.clone();
        l.next().unwrap();
        l.next().unwrap();
        l.previous().unwrap();
        l.previous().unwrap();
        assert_eq!(l.current().unwrap().path, a);
        let other = if a == Path::new("p/004.milk") {
            "p/003.milk"
        } else {
            "p/004.milk"
        };
        l.select(Path::new(other)).unwrap();
        assert_eq!(l.history.len(), 2);
        assert_eq!(l.previous().unwrap().path, a);
    }
}
