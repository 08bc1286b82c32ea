//! The prefs file: round trip, missing and corrupt files, atomic save.

use std::fs;

use milk_playlist::{PlaylistError, Prefs, PresetEntry, preset_key};

#[test]
fn round_trip_through_a_new_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config/kefir/presets.toml");
    let mut prefs = Prefs::new();
    let entry = PresetEntry::new("somewhere/Geiss - Hurricane.milk".into());
    prefs.toggle_favourite(&entry.key());
    prefs.set_favourite("Ünïcode \"quoted\" = name.milk", true);
    prefs.set_never("Too Bright.MILK", true);
    prefs.set_favourites_only(true);
    prefs.save(&path).unwrap();

    let loaded = Prefs::load(&path).unwrap();
    assert_eq!(loaded, prefs);
    assert!(loaded.is_favourite("Geiss - Hurricane.milk"));
    assert!(loaded.is_never("Too Bright.MILK"));
    assert!(loaded.favourites_only());
    // Keys are file names, so a moved collection keeps its prefs.
    let moved = PresetEntry::new("/elsewhere/Geiss - Hurricane.milk".into());
    assert!(loaded.is_favourite(&moved.key()));
    assert_eq!(
        preset_key(std::path::Path::new("a/b/Too Bright.MILK")),
        "Too Bright.MILK"
    );

    // Saving again replaces the file and leaves no temporary file behind.
    let mut changed = loaded.clone();
    changed.set_never("Too Bright.MILK", false);
    changed.save(&path).unwrap();
    assert_eq!(Prefs::load(&path).unwrap(), changed);
    let files: Vec<_> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files, ["presets.toml"]);
}

#[test]
fn missing_file_is_empty_prefs() {
    let dir = tempfile::tempdir().unwrap();
    let prefs = Prefs::load(&dir.path().join("nothing.toml")).unwrap();
    assert_eq!(prefs, Prefs::default());
    assert!(!prefs.favourites_only());
    assert_eq!(prefs.favourites().count(), 0);
}

#[test]
fn partial_and_unknown_keys_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.toml");
    fs::write(&path, "never = [\"x.milk\"]\nfuture_option = 3\n").unwrap();
    let prefs = Prefs::load(&path).unwrap();
    assert!(prefs.is_never("x.milk"));
    assert!(!prefs.is_favourite("x.milk"));
}

#[test]
fn corrupt_file_error_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("presets.toml");
    fs::write(&path, "favourites = [\"a.milk\"]\nnever = [\"b.milk\"\nfoo").unwrap();
    let err = Prefs::load(&path).unwrap_err();
    let PlaylistError::Syntax {
        path: p,
        line,
        column,
        message,
    } = &err
    else {
        panic!("expected a syntax error, got {err:?}");
    };
    assert_eq!(p, &path);
    assert_eq!(*line, 3, "{err}");
    assert!(*column >= 1);
    assert!(!message.is_empty());
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!("{}:3:", path.display())),
        "{shown}"
    );

    // A value of the wrong type points at the value.
    fs::write(&path, "favourites_only = true\nfavourites = \"a.milk\"\n").unwrap();
    match Prefs::load(&path).unwrap_err() {
        PlaylistError::Syntax { line, column, .. } => assert_eq!((line, column), (2, 14)),
        other => panic!("{other:?}"),
    }

    // Not UTF-8.
    fs::write(&path, [0xff, 0xfe, 0x00]).unwrap();
    assert!(matches!(
        Prefs::load(&path).unwrap_err(),
        PlaylistError::Read { .. }
    ));
}

#[test]
fn save_reports_unwritable_places() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    fs::write(&file, "x").unwrap();
    // The "directory" is a file: cannot be created.
    let err = Prefs::new().save(&file.join("presets.toml")).unwrap_err();
    assert!(matches!(err, PlaylistError::Write { .. }), "{err:?}");
    // The target is a directory: the rename fails, no temp file remains.
    let target = dir.path().join("is-a-dir");
    fs::create_dir(&target).unwrap();
    fs::write(target.join("keep"), "x").unwrap();
    assert!(Prefs::new().save(&target).is_err());
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn default_path_is_in_the_config_dir() {
    if let Some(path) = Prefs::default_path() {
        assert!(path.ends_with("kefir/presets.toml"), "{}", path.display());
        assert!(path.is_absolute());
    }
}
