//! Playlist behaviour: shuffle fairness, history, skipping, prefs, search.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use milk_playlist::{Playlist, Prefs, PresetEntry};

fn entries(n: usize) -> Vec<PresetEntry> {
    (0..n)
        .map(|i| PresetEntry::new(PathBuf::from(format!("presets/p{i:02}.milk"))))
        .collect()
}

fn path(i: usize) -> PathBuf {
    PathBuf::from(format!("presets/p{i:02}.milk"))
}

/// The index of a preset from its path.
fn idx(e: &PresetEntry) -> usize {
    e.name[1..].parse().unwrap()
}

fn play(list: &mut Playlist, count: usize) -> Vec<usize> {
    (0..count).map(|_| idx(list.next().unwrap())).collect()
}

#[test]
fn every_round_plays_each_preset_once_and_never_repeats_at_the_seam() {
    for seed in [0, 1, 42, 0xDEAD_BEEF] {
        let n = 13;
        let mut list = Playlist::new(entries(n), seed);
        let rounds = 60;
        let order = play(&mut list, n * rounds);
        for (r, round) in order.chunks(n).enumerate() {
            let set: HashSet<_> = round.iter().collect();
            assert_eq!(set.len(), n, "seed {seed}: round {r} repeats: {round:?}");
        }
        for w in order.chunks(n).collect::<Vec<_>>().windows(2) {
            assert_ne!(w[0][n - 1], w[1][0], "seed {seed}: repeat across rounds");
        }
        // Rounds are reshuffled, not replayed.
        let distinct: HashSet<_> = order.chunks(n).collect();
        assert!(distinct.len() > rounds - 2, "seed {seed}");
    }
}

#[test]
fn seeds_decide_the_order() {
    let first = |seed| play(&mut Playlist::new(entries(20), seed), 20);
    assert_eq!(first(5), first(5));
    assert_ne!(first(5), first(6));
    assert_ne!(first(1), first(2));
    // Not the file order either.
    assert_ne!(first(5), (0..20).collect::<Vec<_>>());
}

/// Position of each preset within its round, counted over many rounds, is
/// close to uniform. Pearson's chi-square over the n x n table has
/// (n-1)^2 = 81 degrees of freedom (mean 81, sd 12.7); the bound is far
/// above anything a fair shuffle produces, and the seeds are fixed, so this
/// cannot fail by chance: only a biased shuffle fails it.
#[test]
fn positions_are_roughly_uniform() {
    let n = 10;
    let rounds = 3000;
    for seed in [3, 77] {
        let mut list = Playlist::new(entries(n), seed);
        let mut counts = vec![vec![0u32; n]; n];
        for round in play(&mut list, n * rounds).chunks(n) {
            for (pos, &p) in round.iter().enumerate() {
                counts[p][pos] += 1;
            }
        }
        let expected = rounds as f64 / n as f64;
        let chi2: f64 = counts
            .iter()
            .flatten()
            .map(|&c| (f64::from(c) - expected).powi(2) / expected)
            .sum();
        assert!(
            chi2 < 160.0,
            "seed {seed}: chi-square {chi2:.1}: {counts:?}"
        );
        // And no preset is stuck at the start or the end of rounds.
        for row in &counts {
            for &c in row {
                assert!(
                    (f64::from(c) - expected).abs() < expected * 0.3,
                    "{counts:?}"
                );
            }
        }
    }
}

#[test]
fn previous_and_next_walk_history_both_ways() {
    let mut list = Playlist::new(entries(10), 11);
    assert!(list.previous().is_none(), "no history yet");
    let played = play(&mut list, 5);
    let mut back = vec![idx(list.current().unwrap())];
    while let Some(e) = list.previous() {
        back.push(idx(e));
    }
    back.reverse();
    assert_eq!(back, played);
    assert_eq!(idx(list.current().unwrap()), played[0]);
    // Forward again through the same presets.
    assert_eq!(play(&mut list, 4), played[1..]);
    // Then new ones, still from the same round.
    let more = play(&mut list, 5);
    let all: HashSet<_> = played.iter().chain(&more).collect();
    assert_eq!(all.len(), 10);
}

#[test]
fn select_jumps_and_goes_on_history() {
    let mut list = Playlist::new(entries(10), 4);
    let a = idx(list.next().unwrap());
    let target = (a + 3) % 10;
    assert_eq!(idx(list.select(&path(target)).unwrap()), target);
    assert_eq!(idx(list.current().unwrap()), target);
    assert_eq!(idx(list.previous().unwrap()), a);
    assert_eq!(idx(list.next().unwrap()), target);
    // Unknown paths change nothing.
    assert!(list.select(Path::new("elsewhere/x.milk")).is_none());
    assert_eq!(idx(list.current().unwrap()), target);
    // A selected preset counts as played in this round.
    let rest = play(&mut list, 8);
    assert!(!rest.contains(&target) && !rest.contains(&a), "{rest:?}");
}

#[test]
fn broken_presets_are_skipped_and_reported() {
    let mut list = Playlist::new(entries(8), 9);
    let first = idx(list.next().unwrap());
    let broken = [(first + 1) % 8, (first + 2) % 8, first];
    for b in broken {
        list.mark_broken(&path(b), format!("cannot compile p{b:02}"));
    }
    list.mark_broken(&path(first), "again".into());
    assert_eq!(list.broken().len(), 3);
    assert_eq!(
        list.broken()[2],
        (path(first), format!("cannot compile p{first:02}"))
    );
    assert!(!list.is_playable(&path(first)));
    for p in play(&mut list, 50) {
        assert!(!broken.contains(&p), "{p} is broken");
    }
    // History skips them too.
    while list.previous().is_some() {
        assert!(!broken.contains(&idx(list.current().unwrap())));
    }
    // And selecting one is refused.
    assert!(list.select(&path(first)).is_none());
    list.set_shuffle(false);
    for p in play(&mut list, 20) {
        assert!(!broken.contains(&p));
    }
    assert!(list.random().is_some());
}

#[test]
fn all_broken_gives_none_without_looping() {
    let mut list = Playlist::new(entries(5), 1);
    list.next().unwrap();
    for i in 0..5 {
        list.mark_broken(&path(i), "bad".into());
    }
    for shuffle in [true, false] {
        list.set_shuffle(shuffle);
        assert!(list.next().is_none());
        assert!(list.random().is_none());
        assert!(list.previous().is_none());
    }
    assert_eq!(list.broken().len(), 5);
}

#[test]
fn never_again_presets_are_skipped() {
    let mut list = Playlist::new(entries(6), 2);
    let mut prefs = Prefs::new();
    prefs.set_never("p01.milk", true);
    prefs.set_never("p04.milk", true);
    list.set_prefs(prefs);
    let played = play(&mut list, 40);
    assert!(!played.contains(&1) && !played.contains(&4), "{played:?}");
    for round in played.chunks(4) {
        assert_eq!(round.iter().collect::<HashSet<_>>().len(), 4, "{played:?}");
    }
    // Lifting the ban brings it back.
    list.prefs_mut().set_never("p01.milk", false);
    assert!(play(&mut list, 10).contains(&1));
    // Everything banned: nothing to play.
    for i in 0..6 {
        list.prefs_mut().set_never(&format!("p{i:02}.milk"), true);
    }
    assert!(list.next().is_none());
}

#[test]
fn favourites_only_plays_favourites_while_any_are_playable() {
    let mut list = Playlist::new(entries(10), 8);
    list.prefs_mut().toggle_favourite("p02.milk");
    list.prefs_mut().toggle_favourite("p07.milk");
    // Off: everything plays.
    assert_eq!(play(&mut list, 10).iter().collect::<HashSet<_>>().len(), 10);
    list.prefs_mut().set_favourites_only(true);
    let favs = play(&mut list, 20);
    assert!(favs.iter().all(|p| [2, 7].contains(p)), "{favs:?}");
    assert!(favs.contains(&2) && favs.contains(&7));
    list.set_shuffle(false);
    assert!(play(&mut list, 6).iter().all(|p| [2, 7].contains(p)));
    list.set_shuffle(true);
    // With every favourite broken or banned, all others play again.
    list.mark_broken(&path(2), "x".into());
    list.prefs_mut().set_never("p07.milk", true);
    let rest: HashSet<_> = play(&mut list, 30).into_iter().collect();
    assert_eq!(rest.len(), 8);
}

#[test]
fn in_order_mode_wraps_and_continues_from_the_current_preset() {
    let mut list = Playlist::new(entries(4), 0);
    list.set_shuffle(false);
    assert!(!list.shuffle());
    assert_eq!(play(&mut list, 6), [0, 1, 2, 3, 0, 1]);
    list.select(&path(3)).unwrap();
    assert_eq!(play(&mut list, 2), [0, 1]);
    list.mark_broken(&path(2), "bad".into());
    assert_eq!(play(&mut list, 3), [3, 0, 1]);
    // random() picks another playable preset.
    for _ in 0..20 {
        let before = idx(list.current().unwrap());
        let now = idx(list.random().unwrap());
        assert_ne!(now, before);
        assert_ne!(now, 2);
    }
}

#[test]
fn random_in_shuffle_mode_continues_the_round() {
    let mut list = Playlist::new(entries(6), 21);
    let mut seen: Vec<usize> = (0..6).map(|_| idx(list.random().unwrap())).collect();
    seen.sort_unstable();
    assert_eq!(seen, [0, 1, 2, 3, 4, 5]);
    // After going back, random() takes a new preset rather than history.
    list.previous().unwrap();
    list.previous().unwrap();
    let back_at = idx(list.current().unwrap());
    let r = idx(list.random().unwrap());
    assert_ne!(r, back_at);
    assert!(list.next().is_some());
}

#[test]
fn search_matches_all_words_case_insensitively() {
    let names = [
        "Geiss - Hurricane",
        "geiss - Cosmic Dust",
        "Flexi - hurricane remix",
        "Martin - Stormy",
    ];
    let list = Playlist::new(
        names
            .iter()
            .map(|n| PresetEntry::new(PathBuf::from(format!("x/{n}.milk"))))
            .collect(),
        0,
    );
    let found = |q: &str| -> Vec<&str> { list.search(q).iter().map(|e| e.name.as_str()).collect() };
    assert_eq!(found("GEISS"), ["Geiss - Hurricane", "geiss - Cosmic Dust"]);
    assert_eq!(found("hurricane geiss"), ["Geiss - Hurricane"]);
    assert_eq!(
        found("  hURRi  "),
        ["Geiss - Hurricane", "Flexi - hurricane remix"]
    );
    assert_eq!(found("").len(), 4);
    assert!(found("geiss storm").is_empty());
    assert_eq!(list.len(), 4);
    assert_eq!(list.entries()[3].name, "Martin - Stormy");
}
