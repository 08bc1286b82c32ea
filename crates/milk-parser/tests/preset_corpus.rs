//! Every `.milk` file of the shared corpus parses, and survives a round trip
//! through the writer. Without the corpus the tests are skipped and say so
//! (CI sets `KEFIR_REQUIRE_CORPUS`, which makes that a failure).

use std::time::{Duration, Instant};

use milk_parser::Preset;
use milk_parser::preset::WarningKind;

/// The corpus files with their bytes, or `None` (skip reported) without one.
fn corpus(test: &str) -> Option<Vec<(std::path::PathBuf, Vec<u8>)>> {
    kefir_corpus::dir_or_skip(test).map(|dir| kefir_corpus::read_all_in(&dir))
}

#[test]
fn corpus_parses_and_round_trips() {
    let Some(files) = corpus("milk-parser corpus_parses_and_round_trips") else {
        return;
    };
    println!("corpus: {} .milk files", files.len());
    assert!(
        files.len() >= 3400,
        "expected at least 3,400 .milk files in the corpus, found {}",
        files.len()
    );

    let total_bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let mut parse_time = Duration::ZERO;
    let mut failures = Vec::new();
    let mut with_code = 0usize;
    let mut with_shaders = 0usize;
    let mut warnings = 0usize;
    let mut warning_kinds = std::collections::BTreeMap::<String, usize>::new();
    for (path, bytes) in &files {
        let start = Instant::now();
        let parsed = Preset::from_bytes(bytes);
        parse_time += start.elapsed();
        let preset = match parsed {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        warnings += preset.warnings.len();
        for w in &preset.warnings {
            let kind = format!("{:?}", w.kind);
            let kind = kind.split([' ', '{', '(']).next().unwrap_or("").to_string();
            *warning_kinds.entry(kind).or_default() += 1;
        }
        if !preset.warnings.is_empty() && std::env::var_os("SHOW_WARNINGS").is_some() {
            for w in &preset.warnings {
                println!("{}:{w}", path.display());
            }
        }
        if !preset.per_frame.is_empty() || !preset.per_pixel.is_empty() {
            with_code += 1;
        }
        if preset.warp_shader.is_some() || preset.comp_shader.is_some() {
            with_shaders += 1;
        }
        let text = preset.to_milk();
        match Preset::parse(&text) {
            Ok(again) => {
                if again.without_locations() != preset.without_locations() {
                    failures.push(format!("{}: round trip changed the model", path.display()));
                } else if let Some(w) = again
                    .warnings
                    .iter()
                    // A key in other letter case is kept as an unknown key,
                    // so the written file carries it (and its warning) on.
                    .find(|w| !matches!(w.kind, WarningKind::KeyCase { .. }))
                {
                    failures.push(format!(
                        "{}: written file has warnings: {w}",
                        path.display()
                    ));
                }
            }
            Err(e) => failures.push(format!("{}: written file fails: {e}", path.display())),
        }
    }
    println!(
        "parsed {} files, {:.1} MB, in {:?} ({:.0} MB/s); {with_code} with per-frame/pixel code, \
         {with_shaders} with shaders, {warnings} warnings {warning_kinds:?}",
        files.len(),
        total_bytes as f64 / 1e6,
        parse_time,
        total_bytes as f64 / 1e6 / parse_time.as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} of {} files failed:\n{}",
        failures.len(),
        files.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}

#[test]
fn corpus_spot_checks() {
    let Some(files) = corpus("milk-parser corpus_spot_checks") else {
        return;
    };
    let mut v2 = 0;
    let mut v1 = 0;
    for (path, bytes) in &files {
        let p = Preset::from_bytes(bytes).unwrap();
        if p.version >= 200 {
            v2 += 1;
            assert!(p.ps_version >= p.ps_version_warp.min(p.ps_version_comp));
        } else {
            v1 += 1;
            assert_eq!(p.ps_version, 0, "{}", path.display());
        }
        // Code line origins point at the right file lines.
        let text = String::from_utf8_lossy(bytes);
        let lines: Vec<&str> = text.split(['\n']).collect();
        for (id, block) in p.code_blocks() {
            for (n, line) in block.lines.iter().enumerate() {
                let file_line = lines[line.origin.line as usize - 1].trim_end_matches('\r');
                let key = id.line_key(n as u32 + 1);
                assert!(
                    file_line
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with(&key),
                    "{}: line {} is {file_line:?}, expected key {key}",
                    path.display(),
                    line.origin.line
                );
            }
        }
    }
    println!("{v2} MilkDrop 2 presets, {v1} MilkDrop 1 presets");
    assert!(v2 > 2000 && v1 > 100);
}
