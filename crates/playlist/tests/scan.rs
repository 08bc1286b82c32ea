//! `scan` and `Filter` on temporary trees and on the shared corpus.

use std::fs;
use std::path::{Path, PathBuf};

use milk_playlist::{Filter, Scan, scan};

fn touch(path: &Path) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, "not parsed by scan").unwrap();
}

/// A tree with nested directories, other files and odd extensions.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    for f in [
        "a.milk",
        "B.MILK",
        "notes.txt",
        "a.milk.bak",
        "milk",
        "sub/c.milk",
        "sub/deeper/d.Milk",
        "sub/deeper/image.png",
        "old/e.milk",
        "Old Stuff/f.milk",
    ] {
        touch(&r.join(f));
    }
    // A directory named like a preset is not one.
    fs::create_dir_all(r.join("folder.milk")).unwrap();
    dir
}

fn names(s: &Scan) -> Vec<&str> {
    s.entries.iter().map(|e| e.name.as_str()).collect()
}

#[test]
fn finds_milk_files_recursively_in_any_case_sorted_by_name() {
    let dir = tree();
    let s = scan(&[dir.path().to_path_buf()], &Filter::default());
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(names(&s), ["a", "B", "c", "d", "e", "f"]);
    let d = &s.entries[3];
    assert_eq!(d.path, dir.path().join("sub/deeper/d.Milk"));
    assert_eq!(d.key(), "d.Milk");
}

#[test]
fn include_and_exclude_globs_case_insensitive() {
    let dir = tree();
    let root = vec![dir.path().to_path_buf()];
    let run = |inc: &[&str], exc: &[&str]| {
        let s = scan(&root, &Filter::new(inc, exc).unwrap());
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        names(&s).iter().map(|n| n.to_string()).collect::<Vec<_>>()
    };
    // Relative path, any case, `*` crossing directories.
    assert_eq!(run(&["SUB/*"], &[]), ["c", "d"]);
    // File name alone.
    assert_eq!(run(&["b.milk"], &[]), ["B"]);
    assert_eq!(run(&["[a-c].milk"], &[]), ["a", "B", "c"]);
    // A directory name includes everything below it.
    assert_eq!(run(&["deeper"], &[]), ["d"]);
    // Excluding a directory by name prunes it; by path too.
    assert_eq!(run(&[], &["old*"]), ["a", "B", "c", "d"]);
    assert_eq!(run(&[], &["sub/deeper"]), ["a", "B", "c", "e", "f"]);
    // Exclusion wins over inclusion.
    assert_eq!(
        run(&["sub/*", "*.milk"], &["*D.MILK"]),
        ["a", "B", "c", "e", "f"]
    );
    // Nothing matches.
    assert!(run(&["nothing*"], &[]).is_empty());
}

#[test]
fn invalid_glob_is_reported() {
    assert!(Filter::new(&[], &["a{b"]).is_err());
}

#[test]
fn roots_may_be_files_missing_or_overlapping() {
    let dir = tree();
    let r = dir.path();
    let missing = r.join("no such dir");
    let roots = vec![
        r.to_path_buf(),
        r.join("sub"),
        r.join("a.milk"),
        r.join("notes.txt"),
        missing.clone(),
    ];
    let s = scan(&roots, &Filter::default());
    assert_eq!(names(&s), ["a", "B", "c", "d", "e", "f"], "each path once");
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert_eq!(s.errors[0].path, missing);
    assert_eq!(s.errors[0].error.kind(), std::io::ErrorKind::NotFound);
    assert!(s.errors[0].to_string().contains("no such dir"));

    // A single file root is filtered by its name.
    let only = scan(&[r.join("a.milk")], &Filter::new(&[], &["A.MILK"]).unwrap());
    assert!(only.entries.is_empty());
    assert!(scan(&[], &Filter::default()).entries.is_empty());
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_loops_are_safe_dangling_links_reported() {
    use std::os::unix::fs::symlink;
    let dir = tree();
    let r = dir.path();
    symlink(r, r.join("sub/deeper/loop")).unwrap();
    symlink(r.join("sub"), r.join("sub-again")).unwrap();
    let outside = tempfile::tempdir().unwrap();
    touch(&outside.path().join("linked/g.milk"));
    symlink(outside.path().join("linked"), r.join("linked")).unwrap();
    symlink(outside.path().join("linked/g.milk"), r.join("h.milk")).unwrap();
    symlink(r.join("gone"), r.join("dangling.milk")).unwrap();

    let s = scan(&[r.to_path_buf()], &Filter::default());
    assert_eq!(names(&s), ["a", "B", "c", "d", "e", "f", "g", "h"]);
    // Found both directly and through `sub-again`: the real path wins.
    assert_eq!(s.entries[2].path, r.join("sub/c.milk"));
    assert_eq!(s.entries[6].path, r.join("linked/g.milk"));
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert_eq!(s.errors[0].path, r.join("dangling.milk"));
}

#[cfg(unix)]
#[test]
fn unreadable_directory_is_reported_and_scanning_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree();
    let r = dir.path();
    let locked = r.join("locked");
    touch(&locked.join("x.milk"));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    // Root (as in CI containers) reads it anyway; then it is simply scanned.
    let readable = fs::read_dir(&locked).is_ok();

    let s = scan(&[r.to_path_buf()], &Filter::default());
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();

    if readable {
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(names(&s), ["a", "B", "c", "d", "e", "f", "x"]);
    } else {
        assert_eq!(names(&s), ["a", "B", "c", "d", "e", "f"]);
        assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
        assert_eq!(s.errors[0].path, locked);
        assert_eq!(
            s.errors[0].error.kind(),
            std::io::ErrorKind::PermissionDenied
        );
    }
}

/// A root that is a file, not a directory, given where a directory is
/// expected through a path below it: reported, not a panic, for root too.
#[test]
fn path_through_a_file_is_reported() {
    let dir = tree();
    let bad: PathBuf = dir.path().join("notes.txt/inside");
    let s = scan(&[bad.clone(), dir.path().join("sub")], &Filter::default());
    assert_eq!(names(&s), ["c", "d"]);
    assert_eq!(s.errors.len(), 1);
    assert_eq!(s.errors[0].path, bad);
}

#[test]
fn corpus_has_3433_presets() {
    let Some(root) = kefir_corpus::dir_or_skip("milk-playlist corpus_has_3433_presets") else {
        return;
    };
    let s = scan(std::slice::from_ref(&root), &Filter::default());
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert_eq!(s.entries.len(), 3433);
    assert_eq!(s.entries.len(), kefir_corpus::milk_files_in(&root).len());
    assert!(s.entries.iter().all(|e| !e.name.is_empty()));
    assert!(
        s.entries
            .windows(2)
            .all(|w| w[0].name.to_lowercase() <= w[1].name.to_lowercase()),
        "sorted by name"
    );

    let butterchurn = scan(
        std::slice::from_ref(&root),
        &Filter::new(&["butterchurn/*"], &[]).unwrap(),
    );
    assert_eq!(butterchurn.entries.len(), 404);
    let crop = scan(
        std::slice::from_ref(&root),
        &Filter::new(&[], &["BUTTERCHURN"]).unwrap(),
    );
    assert_eq!(crop.entries.len(), 3029);
}
