//! The player on the headless adapter (Mesa's lavapipe without a GPU):
//! timer, lock, history, broken presets, events, prefs, preloading, audio.
//! Small targets and meshes, fixed frame times.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kefir_player::{Player, PlayerConfig, PlayerEvent};
use milk_audio::{ANALYSIS_RATE, demo_track};
use milk_engine::headless::Headless;

fn gpu() -> &'static Headless {
    static GPU: OnceLock<Headless> = OnceLock::new();
    GPU.get_or_init(|| Headless::new().expect("a wgpu adapter (lavapipe: mesa-vulkan-drivers)"))
}

/// A small valid preset whose wave colour depends on `n`.
fn preset_text(n: usize) -> String {
    format!(
        "MILKDROP_PRESET_VERSION=201\n[preset00]\nfDecay=0.95\nzoom=1.02\nnWaveMode={}\n\
         wave_r={}\nper_frame_1=rot = 0.01*sin(time);\n",
        n % 8,
        (n % 10) as f64 / 10.0
    )
}

/// A directory of presets named `00 good.milk`, `01 good.milk`, ... (in
/// that order without shuffle); `bad` indices get a NUL byte instead.
fn preset_dir(count: usize, bad: &[usize]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for i in 0..count {
        let path = dir.path().join(format!("{i:02} preset.milk"));
        if bad.contains(&i) {
            std::fs::write(&path, b"[preset00]\nzoom=1\x00\x01\x02garbage\xff\xfe").unwrap();
        } else {
            std::fs::write(&path, preset_text(i)).unwrap();
        }
        paths.push(path);
    }
    (dir, paths)
}

fn config(dir: &Path) -> PlayerConfig {
    PlayerConfig {
        engine: milk_engine::Config {
            mesh: (16, 12),
            seed: 1,
            ..milk_engine::Config::default()
        },
        preset_dirs: vec![dir.to_path_buf()],
        shuffle: false,
        preset_seconds: 1.0,
        preset_seconds_jitter: 0.0,
        blend_seconds: 0.5,
        prefs_path: None,
        ..PlayerConfig::default()
    }
}

/// [`config`] with changes only by hand: no timer, and cuts.
fn by_hand(dir: &Path) -> PlayerConfig {
    PlayerConfig {
        preset_seconds: 0.0,
        user_blend_seconds: 0.0,
        ..config(dir)
    }
}

fn player(config: PlayerConfig) -> Player {
    let gpu = gpu();
    Player::new(gpu.device.clone(), gpu.queue.clone(), config).expect("player")
}

fn target() -> wgpu::Texture {
    gpu().target(64, 48)
}

/// Switches among `events`: (name, blend).
fn switches(events: &[PlayerEvent]) -> Vec<(String, bool)> {
    events
        .iter()
        .filter_map(|e| match e {
            PlayerEvent::Switched { name, blend, .. } => Some((name.clone(), *blend)),
            _ => None,
        })
        .collect()
}

/// Renders `frames` frames of `dt`; returns the frame indices at which a
/// switch happened, with the preset's name.
fn run(
    player: &mut Player,
    target: &wgpu::Texture,
    frames: usize,
    dt: f64,
) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for frame in 0..frames {
        player.render(dt, target).expect("frame renders");
        for (name, _) in switches(&player.poll_events()) {
            out.push((frame, name));
        }
    }
    out
}

#[test]
fn auto_advance_after_the_preset_time() {
    let (dir, _) = preset_dir(3, &[]);
    let mut p = player(config(dir.path()));
    let first = p.poll_events();
    assert_eq!(switches(&first), vec![("00 preset".to_owned(), false)]);
    assert_eq!(p.current_name(), Some("00 preset"));
    let t = target();
    // blend 0.5 + preset 1.0 = 1.5 s = 15 frames of 0.1 s per preset.
    let got = run(&mut p, &t, 50, 0.1);
    assert_eq!(
        got,
        vec![
            (15, "01 preset".to_owned()),
            (30, "02 preset".to_owned()),
            (45, "00 preset".to_owned()),
        ]
    );
    // Automatic changes blend.
    p.render(0.1, &t).unwrap();
    assert!(p.preset_time() > 0.0);
}

#[test]
fn automatic_changes_blend_and_jitter_is_seeded() {
    let (dir, _) = preset_dir(4, &[]);
    let cfg = PlayerConfig {
        preset_seconds_jitter: 1.0,
        seed: 42,
        ..config(dir.path())
    };
    let t = target();
    let mut a = player(cfg.clone());
    a.poll_events();
    let mut events = Vec::new();
    let mut frames = Vec::new();
    for frame in 0..120 {
        a.render(0.05, &t).unwrap();
        for e in a.poll_events() {
            frames.push(frame);
            events.push(e);
        }
    }
    assert!(switches(&events).iter().all(|(_, blend)| *blend));
    // Each preset plays 1.5 s plus up to 1 s: 30..=50 frames of 0.05 s.
    let mut last = 0;
    for &f in &frames {
        assert!((30..=50).contains(&(f - last)), "{frames:?}");
        last = f;
    }
    assert!(frames.len() >= 2, "{frames:?}");
    // The same seed gives the same times; another seed other times.
    let mut b = player(cfg.clone());
    b.poll_events();
    let again: Vec<usize> = run(&mut b, &t, 120, 0.05)
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(again, frames);
    let mut c = player(PlayerConfig { seed: 43, ..cfg });
    c.poll_events();
    let other: Vec<usize> = run(&mut c, &t, 120, 0.05)
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_ne!(other, frames);
}

#[test]
fn timer_off_never_advances() {
    let (dir, _) = preset_dir(2, &[]);
    let mut p = player(PlayerConfig {
        preset_seconds: 0.0,
        ..config(dir.path())
    });
    p.poll_events();
    assert_eq!(p.time_left(), None);
    assert!(run(&mut p, &target(), 40, 0.5).is_empty());
}

#[test]
fn lock_stops_automatic_changes_but_not_manual_ones() {
    let (dir, _) = preset_dir(3, &[]);
    let mut p = player(PlayerConfig {
        hard_cuts: true,
        ..config(dir.path())
    });
    p.poll_events();
    let t = target();
    p.set_locked(true);
    assert!(p.locked());
    assert_eq!(p.time_left(), None);
    assert!(run(&mut p, &t, 40, 0.1).is_empty());
    p.next();
    assert_eq!(
        switches(&p.poll_events()),
        vec![("01 preset".to_owned(), true)]
    );
    assert!(run(&mut p, &t, 40, 0.1).is_empty());
    // Unlocked, the preset's time starts over from the last locked frame
    // (as MilkDrop restarts it every frame while locked): 1.5 s later.
    p.set_locked(false);
    let got = run(&mut p, &t, 20, 0.1);
    assert_eq!(got, vec![(14, "02 preset".to_owned())]);
}

#[test]
fn next_previous_and_history() {
    let (dir, _) = preset_dir(4, &[]);
    let mut p = player(by_hand(dir.path()));
    let t = target();
    let mut names = vec![p.current_name().unwrap().to_owned()];
    for step in [
        "next", "next", "previous", "previous", "previous", "next", "hard", "random",
    ] {
        match step {
            "next" => p.next(),
            "previous" => p.previous(),
            "hard" => p.hard_cut(),
            _ => p.random(),
        }
        p.render(0.02, &t).unwrap();
        names.push(p.current_name().unwrap().to_owned());
    }
    assert_eq!(
        &names[..8],
        [
            "00 preset",
            "01 preset",
            "02 preset",
            "01 preset",
            "00 preset",
            // At the start of history: stays.
            "00 preset",
            "01 preset",
            // Forward through history.
            "02 preset",
        ]
    );
    // Random picks another preset.
    assert_ne!(names[8], names[7]);
    // User changes with user_blend_seconds = 0 cut.
    let events = p.poll_events();
    assert!(switches(&events).iter().all(|(_, blend)| !blend));
    // Select and load_file.
    let path = dir.path().join("03 preset.milk");
    p.select(&path);
    assert_eq!(p.current_path(), Some(path.as_path()));
    p.select(Path::new("/nowhere/x.milk"));
    let events = p.poll_events();
    assert!(matches!(
        events.last(),
        Some(PlayerEvent::Failed { error, .. }) if error.contains("not in the playlist")
    ));
    assert_eq!(p.current_path(), Some(path.as_path()));
    let outside = tempfile::tempdir().unwrap();
    let file = outside.path().join("Outside.milk");
    std::fs::write(&file, preset_text(5)).unwrap();
    p.load_file(&file);
    assert_eq!(p.current_name(), Some("Outside"));
    // The playlist goes on from where it was.
    p.next();
    assert_eq!(p.current_name(), Some("00 preset"));
}

#[test]
fn broken_presets_are_skipped_and_reported() {
    // 1 has a NUL byte, 3 is over the 1 MiB limit, 4 vanishes after the scan.
    let (dir, paths) = preset_dir(6, &[1]);
    std::fs::write(&paths[3], vec![b'a'; 1_100_000]).unwrap();
    let mut p = player(PlayerConfig {
        preset_seconds: 0.0,
        ..config(dir.path())
    });
    std::fs::remove_file(&paths[4]).unwrap();
    let t = target();
    let mut events = p.poll_events();
    for _ in 0..6 {
        p.next();
        p.render(0.02, &t).unwrap();
        events.extend(p.poll_events());
    }
    let failed: Vec<(PathBuf, String)> = events
        .iter()
        .filter_map(|e| match e {
            PlayerEvent::Failed { path, error } => Some((path.clone().unwrap(), error.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(failed.len(), 3, "{failed:?}");
    assert_eq!(failed[0].0, paths[1]);
    assert!(failed[0].1.contains("NUL"), "{}", failed[0].1);
    assert_eq!(failed[1].0, paths[3]);
    assert!(failed[1].1.contains("too large"), "{}", failed[1].1);
    assert_eq!(failed[2].0, paths[4]);
    assert!(failed[2].1.contains("cannot read"), "{}", failed[2].1);
    let played: Vec<String> = switches(&events).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        played,
        [
            "00 preset",
            "02 preset",
            "05 preset",
            "00 preset",
            "02 preset",
            "05 preset",
            "00 preset"
        ]
    );
    let broken: Vec<&Path> = p
        .playlist()
        .broken()
        .iter()
        .map(|(p, _)| p.as_path())
        .collect();
    assert_eq!(broken, [&paths[1], &paths[3], &paths[4]]);
    assert_eq!(p.stats().failed, 3);
}

#[test]
fn a_preset_the_host_marks_broken_is_skipped_and_refused() {
    let (dir, paths) = preset_dir(4, &[]);
    let mut p = player(by_hand(dir.path()));
    let t = target();
    assert_eq!(p.current_name(), Some("00 preset"));
    // The one playing plays on; the one after it is marked too.
    p.mark_broken(&paths[0], "the graphics context was lost while it played");
    p.mark_broken(&paths[1], "the graphics context was lost while it played");
    p.render(0.02, &t).unwrap();
    assert_eq!(p.current_name(), Some("00 preset"));
    let mut played = Vec::new();
    for _ in 0..4 {
        p.next();
        p.render(0.02, &t).unwrap();
        played.push(p.current_name().unwrap().to_owned());
    }
    assert_eq!(played, ["02 preset", "03 preset", "02 preset", "03 preset"]);
    p.poll_events();
    p.select(&paths[1]);
    let events = p.poll_events();
    assert!(matches!(
        events.last(),
        Some(PlayerEvent::Failed { error, .. })
            if error.contains("marked broken: the graphics context was lost")
    ));
    assert_eq!(p.current_name(), Some("03 preset"));
    let broken: Vec<&Path> = p
        .playlist()
        .broken()
        .iter()
        .map(|(p, _)| p.as_path())
        .collect();
    assert_eq!(broken, [&paths[0], &paths[1]]);
}

#[test]
fn all_broken_or_empty_keeps_rendering() {
    let (dir, _) = preset_dir(3, &[0, 1, 2]);
    let mut p = player(config(dir.path()));
    let events = p.poll_events();
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, PlayerEvent::Failed { .. }))
            .count(),
        3
    );
    assert_eq!(p.current_name(), None);
    let t = target();
    assert!(run(&mut p, &t, 40, 0.1).is_empty());
    p.next();
    p.previous();
    p.random();
    p.hard_cut();
    p.never_again();
    assert!(!p.toggle_favourite());
    p.render(0.1, &t).unwrap();

    let empty = tempfile::tempdir().unwrap();
    let mut p = player(config(empty.path()));
    assert!(p.poll_events().is_empty());
    assert!(run(&mut p, &t, 20, 0.1).is_empty());
    // A missing directory is a warning.
    let mut p = player(config(&empty.path().join("missing")));
    assert!(matches!(
        p.poll_events().as_slice(),
        [PlayerEvent::Warning { .. }]
    ));
}

#[test]
fn load_text_events() {
    let (dir, _) = preset_dir(1, &[]);
    let mut p = player(config(dir.path()));
    p.poll_events();
    p.load_text("Typed in", &preset_text(3));
    match p.poll_events().as_slice() {
        [
            PlayerEvent::Switched {
                path: None,
                name,
                blend: true,
                report,
            },
        ] => {
            assert_eq!(name, "Typed in");
            assert!(report.errors.is_empty());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(p.current_name(), Some("Typed in"));
    assert_eq!(p.current_path(), None);
    // Code that does not compile still loads, and says so.
    p.load_text("Bad code", "[preset00]\nper_frame_1=x = (1 + ;\n");
    match p.poll_events().as_slice() {
        [PlayerEvent::Switched { report, .. }] => assert!(!report.errors.is_empty()),
        other => panic!("{other:?}"),
    }
    p.load_text("NUL", "[preset00]\nzoom=1\0");
    assert!(matches!(
        p.poll_events().as_slice(),
        [PlayerEvent::Failed { path: None, .. }]
    ));
    assert_eq!(p.current_name(), Some("Bad code"));
    p.render(0.02, &target()).unwrap();
}

#[test]
fn favourites_and_never_again_are_saved() {
    let (dir, paths) = preset_dir(3, &[]);
    let prefs_dir = tempfile::tempdir().unwrap();
    let prefs = prefs_dir.path().join("sub/presets.toml");
    let cfg = PlayerConfig {
        preset_seconds: 0.0,
        prefs_path: Some(prefs.clone()),
        ..config(dir.path())
    };
    let mut p = player(cfg.clone());
    assert_eq!(p.current_path(), Some(paths[0].as_path()));
    assert!(p.toggle_favourite());
    assert!(p.is_favourite());
    let saved = std::fs::read_to_string(&prefs).unwrap();
    assert!(saved.contains("00 preset.milk"), "{saved}");
    p.next();
    assert_eq!(p.current_path(), Some(paths[1].as_path()));
    p.never_again();
    assert_eq!(p.current_path(), Some(paths[2].as_path()));
    let saved = std::fs::read_to_string(&prefs).unwrap();
    assert!(saved.contains("01 preset.milk"), "{saved}");
    for _ in 0..6 {
        p.next();
        assert_ne!(p.current_path(), Some(paths[1].as_path()));
    }
    // A new player reads them back.
    let mut q = player(cfg.clone());
    assert!(q.playlist().prefs().is_favourite("00 preset.milk"));
    assert!(q.playlist().prefs().is_never("01 preset.milk"));
    assert!(q.is_favourite());
    assert!(!q.toggle_favourite());
    assert!(
        !std::fs::read_to_string(&prefs)
            .unwrap()
            .contains("00 preset.milk")
    );
    // A prefs file that does not parse is reported and never overwritten.
    std::fs::write(&prefs, "favourites = [unclosed").unwrap();
    let mut r = player(cfg);
    assert!(
        r.poll_events()
            .iter()
            .any(|e| matches!(e, PlayerEvent::Warning { .. }))
    );
    r.toggle_favourite();
    assert!(
        r.poll_events().iter().any(
            |e| matches!(e, PlayerEvent::Warning { message } if message.contains("not saved"))
        )
    );
    assert_eq!(
        std::fs::read_to_string(&prefs).unwrap(),
        "favourites = [unclosed"
    );
}

#[test]
fn the_next_preset_is_prepared_in_the_background() {
    let (dir, _) = preset_dir(4, &[2]);
    let mut p = player(PlayerConfig {
        preset_seconds: 0.0,
        ..config(dir.path())
    });
    let t = target();
    // The first preset is prepared here.
    assert_eq!(p.stats().prepared_here, 1);
    assert_eq!(p.stats().preloaded, 0);
    for _ in 0..3 {
        p.render(0.02, &t).unwrap();
    }
    p.next();
    let s = p.stats();
    assert_eq!(
        (s.switches, s.preloaded, s.prepared_here),
        (2, 1, 1),
        "{s:?}"
    );
    // The broken preset 2 fails on the worker; the switch skips it and
    // prepares 3 here.
    p.next();
    let s = p.stats();
    assert_eq!(
        (s.switches, s.preloaded, s.prepared_here, s.failed),
        (3, 1, 2, 1),
        "{s:?}"
    );
    assert_eq!(p.current_name(), Some("03 preset"));
    // Previous is not preloaded.
    p.previous();
    assert_eq!(p.stats().prepared_here, 3);
    // Forward again: 03 was preloaded meanwhile.
    p.next();
    assert_eq!(p.stats().preloaded, 2);
    assert_eq!(p.current_name(), Some("03 preset"));
    // A shuffled run over many automatic changes uses the preload for all.
    let (dir, _) = preset_dir(6, &[]);
    let mut q = player(PlayerConfig {
        shuffle: true,
        preset_seconds: 0.2,
        blend_seconds: 0.0,
        ..config(dir.path())
    });
    q.poll_events();
    let got = run(&mut q, &t, 60, 0.05);
    assert_eq!(got.len(), 14, "{got:?}");
    let s = q.stats();
    assert_eq!(
        (s.switches, s.preloaded, s.prepared_here),
        (15, 14, 1),
        "{s:?}"
    );
}

/// Renders until a switch or failure event arrives (at most `limit`
/// frames); the events and how many frames it took.
fn render_until_switch(
    p: &mut Player,
    t: &wgpu::Texture,
    limit: usize,
) -> (Vec<PlayerEvent>, usize) {
    let mut events = Vec::new();
    for frame in 1..=limit {
        p.render(0.02, t).unwrap();
        events.extend(p.poll_events());
        if events
            .iter()
            .any(|e| matches!(e, PlayerEvent::Switched { .. } | PlayerEvent::Failed { .. }))
        {
            return (events, frame);
        }
    }
    (events, limit)
}

/// Renders until `name` plays (at most 500 frames); the events on the way.
fn render_until_playing(p: &mut Player, t: &wgpu::Texture, name: &str) -> Vec<PlayerEvent> {
    let mut events = Vec::new();
    for _ in 0..500 {
        p.render(0.02, t).unwrap();
        events.extend(p.poll_events());
        if p.current_name() == Some(name) {
            break;
        }
    }
    events
}

#[test]
fn deferred_switches_wait_for_the_worker_and_keep_playing_meanwhile() {
    let (dir, paths) = preset_dir(5, &[2]);
    let mut p = player(PlayerConfig {
        preset_seconds: 0.0,
        defer_switches: true,
        ..config(dir.path())
    });
    let t = target();
    // The first preset is prepared at once.
    assert_eq!(p.current_name(), Some("00 preset"));
    p.poll_events();
    // A pick the worker has not prepared: nothing changes on the call...
    p.select(&paths[3]);
    assert_eq!(p.current_name(), Some("00 preset"));
    assert!(p.poll_events().is_empty());
    // ...the switch comes from a later frame, prepared by the worker.
    let (events, _) = render_until_switch(&mut p, &t, 500);
    assert_eq!(switches(&events), [("03 preset".to_owned(), true)]);
    assert_eq!(p.current_name(), Some("03 preset"));
    let s = p.stats();
    assert_eq!((s.deferred, s.prepared_here), (1, 1), "{s:?}");
    // A broken preset reached by previous/next is skipped when the worker
    // finds it broken: the switch goes on to the one after it.
    p.select(&paths[1]);
    render_until_switch(&mut p, &t, 500);
    assert_eq!(p.current_name(), Some("01 preset"));
    p.poll_events();
    p.next();
    let events = render_until_playing(&mut p, &t, "03 preset");
    let failed: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            PlayerEvent::Failed { path, .. } => path.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(failed, [paths[2].clone()]);
    assert_eq!(switches(&events), [("03 preset".to_owned(), true)]);
    // Text that does not parse: the failure arrives later, the preset
    // playing goes on.
    p.load_text("junk", "\u{0}\u{1}garbage");
    let (events, _) = render_until_switch(&mut p, &t, 500);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, PlayerEvent::Failed { path: None, .. })),
        "{events:?}"
    );
    assert_eq!(p.current_name(), Some("03 preset"));
    // A second request replaces the first if that is not made yet (with a
    // worker thread it may be: then both switches happen, in order).
    p.select(&paths[0]);
    p.select(&paths[4]);
    let got = switches(&render_until_playing(&mut p, &t, "04 preset"));
    assert!(
        got == [("04 preset".to_owned(), true)]
            || got
                == [
                    ("00 preset".to_owned(), true),
                    ("04 preset".to_owned(), true)
                ],
        "{got:?}"
    );
    // settle() makes a pending switch at once.
    p.select(&paths[1]);
    assert!(p.switch_pending());
    p.settle();
    assert!(!p.switch_pending());
    assert_eq!(p.current_name(), Some("01 preset"));
    assert_eq!(switches(&p.poll_events()), [("01 preset".to_owned(), true)]);
    // Turning preloading off settles a pending switch here.
    p.select(&paths[0]);
    let config = PlayerConfig {
        preload: false,
        ..p.config().clone()
    };
    p.set_config(config).unwrap();
    assert_eq!(p.current_name(), Some("00 preset"));
}

#[test]
fn audio_in_every_format_reaches_the_analysis() {
    let (dir, _) = preset_dir(1, &[]);
    let t = target();
    // A 1 s, 80 Hz tone at half scale, in four formats.
    let tone = |rate: u32, n: usize| -> Vec<f32> {
        (0..n)
            .map(|i| 0.5 * (std::f32::consts::TAU * 80.0 * i as f32 / rate as f32).sin())
            .collect()
    };
    let mut results = Vec::new();
    for (format, rate) in [
        ("f32 stereo", 44_100),
        ("f32 mono", 48_000),
        ("i16 stereo", 22_050),
        ("i16 mono", 32_000),
    ] {
        let mut p = player(config(dir.path()));
        assert_eq!(p.audio().bass, 1.0);
        let per_frame = rate as usize / 50;
        let mono = tone(rate, per_frame * 50);
        for frame in 0..50 {
            let chunk = &mono[frame * per_frame..(frame + 1) * per_frame];
            match format {
                "f32 stereo" => {
                    let pcm: Vec<f32> = chunk.iter().flat_map(|&s| [s, s]).collect();
                    p.push_audio_f32(&pcm, 2, rate);
                }
                "f32 mono" => p.push_audio_f32(chunk, 1, rate),
                "i16 stereo" => {
                    let pcm: Vec<i16> = chunk
                        .iter()
                        .flat_map(|&s| [(s * 32767.0) as i16; 2])
                        .collect();
                    p.push_audio_i16(&pcm, 2, rate);
                }
                _ => {
                    let pcm: Vec<i16> = chunk.iter().map(|&s| (s * 32767.0) as i16).collect();
                    p.push_audio_i16(&pcm, 1, rate);
                }
            }
            p.render(0.02, &t).unwrap();
        }
        let a = p.audio();
        let peak = a.wave[0].iter().fold(0.0f32, |m, &v| m.max(v.abs()));
        assert!((0.45..0.55).contains(&peak), "{format}: peak {peak}");
        assert_eq!(a.wave[0], a.wave[1], "{format}: both sides");
        let spectrum_peak = (0..40)
            .max_by(|&i, &j| a.spectrum[0][i].total_cmp(&a.spectrum[0][j]))
            .unwrap();
        // 80 Hz is bin 80 / 43.07 = 1.86.
        assert!(
            (1..=3).contains(&spectrum_peak),
            "{format}: bin {spectrum_peak}"
        );
        assert!((a.time - 1.0).abs() < 0.01, "{format}: {}", a.time);
        results.push(a.bass);
    }
    // Odd inputs are ignored, not fatal.
    let mut p = player(config(dir.path()));
    p.push_audio_f32(&[f32::NAN, f32::INFINITY, 1.0], 0, 44_100);
    p.push_audio_f32(&[f32::NAN, f32::INFINITY, 1.0], 2, 0);
    p.push_audio_i16(&[1, 2, 3], 7, u32::MAX);
    p.render(f64::NAN, &t).unwrap();
    p.render(-1.0, &t).unwrap();
    assert!(p.audio().bass.is_finite());
}

/// The demo track at 60 fps, `frames` frames; returns (frame, name, blend).
fn play_demo(p: &mut Player, frames: usize) -> Vec<(usize, String, bool)> {
    let t = target();
    let mut track = demo_track(ANALYSIS_RATE);
    let per_frame = (ANALYSIS_RATE / 60) as usize;
    let mut out = Vec::new();
    for frame in 0..frames {
        let pcm: Vec<f32> = (0..per_frame)
            .flat_map(|_| track.next_frame().unwrap_or([0.0; 2]))
            .collect();
        p.push_audio_f32(&pcm, 2, ANALYSIS_RATE);
        p.render(1.0 / 60.0, &t).unwrap();
        for (name, blend) in switches(&p.poll_events()) {
            out.push((frame, name, blend));
        }
    }
    out
}

#[test]
fn hard_cuts_on_loud_beats_repeatably() {
    let (dir, _) = preset_dir(5, &[]);
    let cfg = PlayerConfig {
        shuffle: true,
        preset_seconds: 0.0,
        hard_cuts: true,
        seed: 3,
        ..config(dir.path())
    };
    let mut a = player(cfg.clone());
    a.poll_events();
    // 20 s of the demo track.
    let cuts = play_demo(&mut a, 1200);
    assert!(!cuts.is_empty(), "no hard cut in 20 s of the demo track");
    assert!(cuts.iter().all(|(_, _, blend)| !blend));
    // At least a second apart, the threshold doubling after each.
    for pair in cuts.windows(2) {
        assert!(pair[1].0 - pair[0].0 >= 60, "{cuts:?}");
    }
    // Same audio, frame times and seed: same cuts.
    let mut b = player(cfg.clone());
    b.poll_events();
    assert_eq!(play_demo(&mut b, 1200), cuts);
    // None when off or locked.
    let mut c = player(PlayerConfig {
        hard_cuts: false,
        ..cfg.clone()
    });
    c.poll_events();
    assert!(play_demo(&mut c, 600).is_empty());
    let mut d = player(cfg);
    d.poll_events();
    d.set_locked(true);
    assert!(play_demo(&mut d, 600).is_empty());
}

#[test]
fn set_config_rescans_and_applies() {
    let (dir_a, _) = preset_dir(2, &[]);
    let (dir_b, _) = preset_dir(5, &[]);
    let mut p = player(config(dir_a.path()));
    assert_eq!(p.playlist().len(), 2);
    let mut cfg = p.config().clone();
    cfg.preset_dirs = vec![dir_b.path().to_path_buf()];
    cfg.exclude = vec!["04*".into()];
    cfg.preset_seconds = 0.0;
    p.set_config(cfg.clone()).unwrap();
    assert_eq!(p.playlist().len(), 4);
    assert_eq!(p.time_left(), None);
    // The current preset keeps playing until the next change.
    assert_eq!(p.current_name(), Some("00 preset"));
    p.next();
    assert!(p.current_path().unwrap().starts_with(dir_b.path()));
    cfg.include = vec!["[".into()];
    assert!(p.set_config(cfg).is_err());
    assert_eq!(p.playlist().len(), 4);
    // Invalid globs are refused at creation too.
    let gpu = gpu();
    let bad = PlayerConfig {
        exclude: vec!["{".into()],
        ..config(dir_a.path())
    };
    assert!(Player::new(gpu.device.clone(), gpu.queue.clone(), bad).is_err());
}

#[test]
fn start_clean_and_render_formats() {
    let (dir, _) = preset_dir(3, &[]);
    let mut p = player(PlayerConfig {
        start_clean: true,
        ..config(dir.path())
    });
    // A BGRA target: the builder follows the target's format and the
    // next preset is prepared again for it.
    let bgra = gpu().device.create_texture(&wgpu::TextureDescriptor {
        label: None,
        size: wgpu::Extent3d {
            width: 32,
            height: 24,
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: wgpu::TextureFormat::Bgra8Unorm,
        usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
        view_formats: &[],
    });
    p.poll_events();
    let got = run(&mut p, &bgra, 40, 0.1);
    assert_eq!(got.len(), 2);
    assert!(p.stats().preloaded >= 2);
    let pixels = gpu().read_rgba(&bgra).unwrap();
    assert_eq!(pixels.len(), 32 * 24 * 4);
    // A target that cannot be rendered to is an error, not a panic.
    let bad = gpu().device.create_texture(&wgpu::TextureDescriptor {
        label: None,
        size: wgpu::Extent3d {
            width: 8,
            height: 8,
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: wgpu::TextureFormat::Rgba8Unorm,
        usage: wgpu::TextureUsages::COPY_SRC,
        view_formats: &[],
    });
    assert!(p.render(0.1, &bad).is_err());
}

#[test]
fn milk_audio_input_feeds_the_analysis() {
    let (dir, _) = preset_dir(1, &[]);
    let t = target();
    let mut p = player(config(dir.path()));
    // The demo signal stands in for a capture device here.
    let mut input = milk_audio::Input::Demo(milk_audio::DemoInput::default());
    for _ in 0..30 {
        p.feed(&mut input, 0.05);
        p.render(0.05, &t).unwrap();
    }
    let peak = p.audio().wave[0]
        .iter()
        .fold(0.0f32, |m, &v| m.max(v.abs()));
    assert!(peak > 0.01, "the demo signal reached the waveform: {peak}");
}

#[test]
#[cfg(feature = "cost-file")]
fn pacing_lowers_the_scale_then_skips_a_preset_too_heavy_and_uses_the_cost_file() {
    use std::time::Duration;
    let (dir, paths) = preset_dir(3, &[]);
    let costs = dir.path().join("costs.json");
    let mut c = config(dir.path());
    c.preset_seconds = 0.0; // only the pacing changes presets here
    c.pacing = kefir_player::Pacing {
        budget: Some(Duration::from_millis(16)),
        cost_file: Some(costs.clone()),
        heavy_seconds: 2.0,
        ..kefir_player::Pacing::default()
    };
    let mut p = player(c.clone());
    p.poll_events();
    let t = target();
    let mut scales = Vec::new();
    let mut heavy = Vec::new();
    for _ in 0..400 {
        p.render(1.0 / 60.0, &t).unwrap();
        // Every frame of this preset takes 50 ms, whatever the scale.
        p.report_frame_time(Duration::from_millis(50));
        for e in p.poll_events() {
            match e {
                PlayerEvent::RenderScale { scale } => scales.push(scale),
                PlayerEvent::TooHeavy { name, frame_ms, .. } => heavy.push((name, frame_ms)),
                _ => {}
            }
        }
        if !heavy.is_empty() {
            break;
        }
    }
    assert!(
        !scales.is_empty() && scales.windows(2).all(|w| w[1] < w[0]),
        "{scales:?}"
    );
    assert_eq!(*scales.last().unwrap(), 0.25);
    assert_eq!(heavy.len(), 1, "{heavy:?}");
    assert_eq!(heavy[0].0, "00 preset");
    assert!(heavy[0].1.is_some_and(|ms| (ms - 50.0).abs() < 1.0));
    assert_eq!(p.current_name(), Some("01 preset"), "skipped to the next");
    assert!(
        p.playlist()
            .broken()
            .iter()
            .any(|(path, _)| path == &paths[0])
    );

    // The cost file remembers it: a new player (a later run) skips it before
    // it plays, once it knows the target's size.
    let saved = kefir_perf::CostFile::load(&costs).expect("cost file saved");
    assert!(saved.presets.contains_key("00 preset.milk"));
    let mut p = player(c);
    p.poll_events();
    p.render(1.0 / 60.0, &t).unwrap();
    p.next(); // 01
    p.next(); // 02
    p.next(); // 00 again? It is too heavy: 01.
    let events = p.poll_events();
    assert!(
        events
            .iter()
            .any(|e| matches!(e, PlayerEvent::TooHeavy { frame_ms: None, .. })),
        "{events:?}"
    );
    assert_eq!(p.current_name(), Some("01 preset"));
}

#[test]
fn a_preset_playing_when_the_gpu_was_lost_is_skipped_from_then_on() {
    use std::time::Duration;
    let (dir, paths) = preset_dir(3, &[]);
    let costs = dir.path().join("costs.json");
    let mut c = config(dir.path());
    c.preset_seconds = 0.0;
    c.user_blend_seconds = 0.0;
    c.pacing = kefir_player::Pacing {
        budget: Some(Duration::from_millis(16)),
        cost_file: Some(costs.clone()),
        ..kefir_player::Pacing::default()
    };
    let t = target();
    let mut p = player(c.clone());
    p.render(1.0 / 60.0, &t).unwrap();
    assert_eq!(p.gpu_lost().as_deref(), Some("00 preset"));
    assert!(
        p.playlist()
            .broken()
            .iter()
            .any(|(path, _)| path == &paths[0])
    );
    let saved = kefir_perf::CostFile::load(&costs).expect("cost file saved");
    assert_eq!(
        saved.presets["00 preset.milk"].source,
        kefir_perf::CostSource::GpuLost
    );
    // The host starts again with a new player: it never plays the preset,
    // not even as the first one (the playlist's first), chosen before the
    // target's size is known.
    let mut p = player(c);
    assert!(
        p.poll_events().iter().any(|e| matches!(
            e,
            PlayerEvent::Failed { path: Some(path), error }
                if path == &paths[0] && error.contains("the GPU was lost while it played")
        )),
        "the skip says why"
    );
    let mut played = vec![p.current_name().unwrap().to_owned()];
    for _ in 0..4 {
        p.render(1.0 / 60.0, &t).unwrap();
        p.next();
        played.push(p.current_name().unwrap().to_owned());
    }
    assert_eq!(
        played,
        [
            "01 preset",
            "02 preset",
            "01 preset",
            "02 preset",
            "01 preset"
        ]
    );
}

#[test]
fn a_player_reopened_on_a_new_device_keeps_what_the_host_gave_it() {
    let (dir, paths) = preset_dir(3, &[]);
    let mut p = player(by_hand(dir.path()));
    let t = target();
    p.add_texts([(PathBuf::from("held/Text Preset.milk"), preset_text(7))]);
    p.render(1.0 / 60.0, &t).unwrap();
    assert_eq!(p.current_name(), Some("00 preset"));
    p.toggle_favourite();
    p.set_locked(true);
    p.mark_broken(&paths[1], "a reason");
    // The device is lost while 00 plays.
    assert_eq!(p.gpu_lost().as_deref(), Some("00 preset"));
    let gpu = gpu();
    let mut q = p.reopen_on(gpu.device.clone(), gpu.queue.clone()).unwrap();
    // The first preset is chosen with the marks in place: neither 00 nor 01
    // ever starts, not even for a moment.
    let started: Vec<String> = q
        .poll_events()
        .into_iter()
        .filter_map(|e| match e {
            PlayerEvent::Switched { name, .. } => Some(name),
            _ => None,
        })
        .collect();
    assert_eq!(started, ["02 preset"]);
    assert!(q.locked());
    assert_eq!(q.config().preset_seconds, 0.0);
    assert!(q.playlist().prefs().is_favourite("00 preset.milk"));
    let broken: Vec<&Path> = q
        .playlist()
        .broken()
        .iter()
        .map(|(p, _)| p.as_path())
        .collect();
    assert_eq!(broken, [&paths[1], &paths[0]], "in the order marked");
    q.next();
    q.render(1.0 / 60.0, &t).unwrap();
    assert_eq!(
        q.current_name(),
        Some("Text Preset"),
        "presets held as text come along"
    );
}

#[test]
fn presets_held_as_text_play_from_the_playlist_and_the_worker() {
    let (dir, _) = preset_dir(1, &[]);
    let t = target();
    let mut p = player(config(dir.path()));
    run(&mut p, &t, 2, 0.05);
    p.add_texts([
        (PathBuf::from("mem/Alpha.milk"), preset_text(3)),
        (
            PathBuf::from("mem/Broken.milk"),
            "[preset00]\nzoom=1\0garbage".to_owned(),
        ),
    ]);
    assert_eq!(p.playlist().len(), 3);
    // Round the playlist twice (the worker prepares what comes next, from
    // the texts too): the text preset plays, the broken one is reported.
    let mut played = Vec::new();
    let mut failed = Vec::new();
    for _ in 0..6 {
        p.next();
        p.render(0.05, &t).unwrap();
        for e in p.poll_events() {
            match e {
                PlayerEvent::Switched { name, path, .. } => played.push((name, path)),
                PlayerEvent::Failed { path, .. } => failed.push(path),
                _ => {}
            }
        }
    }
    assert!(
        played
            .iter()
            .any(|(n, path)| n == "Alpha" && path.as_deref() == Some(Path::new("mem/Alpha.milk"))),
        "{played:?}"
    );
    assert!(played.iter().all(|(n, _)| n != "Broken"), "{played:?}");
    assert_eq!(failed, vec![Some(PathBuf::from("mem/Broken.milk"))]);
    // Prefs from the host (the browser's localStorage): favourites only.
    let mut prefs = milk_playlist::Prefs::default();
    prefs.set_favourite("Alpha.milk", true);
    prefs.set_favourites_only(true);
    p.set_prefs(prefs);
    for _ in 0..3 {
        p.next();
        assert_eq!(p.current_name(), Some("Alpha"));
    }
    // The demo track feeds the analysis without a capture device.
    let mut demo = milk_audio::DemoInput::default();
    assert_eq!(p.feed_demo(&mut demo, 0.5), ANALYSIS_RATE as usize / 2);
}

#[test]
fn a_host_that_scales_its_target_gets_the_scale_and_the_engine_keeps_its_own() {
    use std::time::Duration;
    let (dir, _) = preset_dir(2, &[]);
    // A 60 Hz budget, no preset changes, the host scaling or not.
    let paced = |host_scales: bool| {
        let mut c = config(dir.path());
        c.preset_seconds = 0.0;
        c.pacing = kefir_player::Pacing {
            budget: Some(Duration::from_micros(16_667)),
            heavy_seconds: 0.0,
            host_scales,
            ..kefir_player::Pacing::default()
        };
        player(c)
    };
    let mut p = paced(true);
    p.poll_events();
    let t = target();
    let mut scales = Vec::new();
    for _ in 0..120 {
        p.render(1.0 / 60.0, &t).unwrap();
        // Presented every third refresh of a 60 Hz display at any size the
        // host picks: missed frames lower the scale, ...
        p.report_frame_interval(Duration::from_micros(50_000));
        for e in p.poll_events() {
            if let PlayerEvent::RenderScale { scale } = e {
                scales.push(scale);
            }
        }
    }
    assert!(scales.first().is_some_and(|&s| s < 1.0), "{scales:?}");
    // ... through the host's target: the engine renders at its own scale.
    assert_eq!(p.visualizer().render_scale(), 1.0);
    // ... and since a smaller target did not make frames come faster, the
    // scale went back.
    assert_eq!(scales.last(), Some(&1.0), "{scales:?}");
    assert_eq!(p.output_scale(), 1.0);
    assert_eq!(p.render_scale(), 1.0);
    // Without host scaling the engine's scale moves.
    let mut p = paced(false);
    for _ in 0..40 {
        p.render(1.0 / 60.0, &t).unwrap();
        p.report_frame_time(Duration::from_millis(50));
    }
    assert!(p.visualizer().render_scale() < 1.0);
    assert_eq!(p.output_scale(), 1.0);
}

#[test]
fn presets_see_their_progress_through_the_planned_time() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a", "b"] {
        std::fs::write(
            dir.path().join(format!("{name}.milk")),
            "[preset00]\nper_frame_1=q1 = progress;\n",
        )
        .unwrap();
    }
    let mut p = player(config(dir.path()));
    let t = target();
    let progress = |p: &Player| p.visualizer().frame_state().expect("a frame").q[0];
    // blend 0.5 + preset 1.0 = 1.5 s planned: frames of 0.1 s add 1/15.
    p.render(0.1, &t).unwrap();
    let start = progress(&p);
    for _ in 0..6 {
        p.render(0.1, &t).unwrap();
    }
    assert!(
        (progress(&p) - start - 6.0 / 15.0).abs() < 1e-6,
        "{start} -> {}",
        progress(&p)
    );
    // Locked: MilkDrop 2 restarts the preset's timer every frame.
    p.set_locked(true);
    p.render(0.1, &t).unwrap();
    assert_eq!(progress(&p), 0.0);
    p.set_locked(false);
    // No timer: 0 throughout.
    let mut config = config(dir.path());
    config.preset_seconds = 0.0;
    let mut p = player(config);
    for _ in 0..3 {
        p.render(0.1, &t).unwrap();
    }
    assert_eq!(progress(&p), 0.0);
}
