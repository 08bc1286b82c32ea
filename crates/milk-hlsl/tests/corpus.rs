//! Translates and validates every warp and comp shader of the shared preset
//! corpus (only where the preset's PSVERSION_WARP/COMP is above 0: MilkDrop
//! ignores the shader text otherwise). Prints the counts and every failure
//! with its reason, and fails unless every shader translates but those
//! MilkDrop 2 itself cannot compile.

use std::collections::BTreeMap;

use milk_hlsl::{Stage, translate};
use milk_parser::Preset;

/// Shaders of the corpus MilkDrop 2 does not compile either (it draws its
/// fallback shader), as `file name: stage`: a commented-out `for (...) {`
/// whose `}` remains, so the text's last `}` (where MilkDrop 2 closes the
/// shader) leaves the rest of the body outside the function.
const MILKDROP_2_FAILS: &[&str] =
    &["shifter + flexi - liquid circuitry from the fractalism hive --- Isosceles edit1.milk: comp"];

#[test]
fn corpus_shaders_translate() {
    let Some(root) = kefir_corpus::dir_or_skip("milk-hlsl corpus_shaders_translate") else {
        return;
    };
    let files = kefir_corpus::milk_files_in(&root);
    assert!(files.len() > 1000, "corpus too small: {}", files.len());
    let (mut total, mut ok) = (0usize, 0usize);
    let (mut presets_with, mut presets_ok) = (0usize, 0usize);
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        let Ok(p) = Preset::from_bytes(&bytes) else {
            continue;
        };
        let mut any = false;
        let mut all_ok = true;
        for (stage, block, ver) in [
            (Stage::Warp, &p.warp_shader, p.ps_version_warp),
            (Stage::Comp, &p.comp_shader, p.ps_version_comp),
        ] {
            let Some(block) = block.as_ref().filter(|_| ver > 0) else {
                continue;
            };
            if block.is_empty() {
                continue;
            }
            any = true;
            total += 1;
            match translate(block, stage) {
                Ok(_) => ok += 1,
                Err(e) => {
                    all_ok = false;
                    *by_kind.entry(e.kind.to_string()).or_default() += 1;
                    let name = f.file_name().unwrap_or_default().to_string_lossy();
                    failures.push((format!("{name}: {}", stage.as_str()), e.to_string()));
                }
            }
        }
        if any {
            presets_with += 1;
            presets_ok += all_ok as usize;
        }
    }
    for (f, e) in &failures {
        println!("{f}: {e}");
    }
    let rate = ok as f64 / total.max(1) as f64;
    println!(
        "shaders: {ok}/{total} translated ({:.2}%); presets with shaders: {presets_ok}/{presets_with}; failures by kind: {by_kind:?}",
        rate * 100.0
    );
    assert!(total > 1000, "too few shaders found: {total}");
    let mut failed: Vec<&str> = failures.iter().map(|(f, _)| f.as_str()).collect();
    failed.sort_unstable();
    assert_eq!(
        failed, MILKDROP_2_FAILS,
        "only the shaders MilkDrop 2 cannot compile may fail"
    );
}
