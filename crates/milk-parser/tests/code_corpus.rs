//! Every preset of the shared corpus parses and its code compiles, except
//! three blocks with errors that MilkDrop 2 rejects as well.

use milk_parser::{CodeOptions, Preset, PresetCode};

/// (file name, block, line, col): genuine errors in the corpus. MilkDrop 2
/// fails these blocks too (a constant as assignment target, a statement
/// starting with `*`, a number glued to a name) and runs the rest.
const KNOWN_ERRORS: &[(&str, &str, u32, u32)] = &[
    (
        "EoS_Phat_PeterP_Sentinel_Aware_6 EoS edit C.milk",
        "shape_0_per_frame",
        505,
        53,
    ),
    ("Nivush - Crazy Diamonds.milk", "per_frame", 830, 69),
    (
        "martin - beamer code 22h - lines - rhythmic and fast.milk",
        "per_frame",
        434,
        60,
    ),
];

#[test]
fn every_corpus_preset_parses_and_compiles() {
    let Some(dir) =
        kefir_corpus::dir_or_skip("milk-parser every_corpus_preset_parses_and_compiles")
    else {
        return;
    };
    let files = kefir_corpus::milk_files_in(&dir);
    assert!(files.len() >= 3400, "only {} presets found", files.len());
    let mut errors = Vec::new();
    let (mut vertex_programs, mut batched, mut blocks) = (0, 0, 0);
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let preset = Preset::from_bytes(&bytes)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
        blocks += preset
            .code_blocks()
            .filter(|(id, b)| !id.is_shader() && !b.is_empty())
            .count();
        let code = PresetCode::compile(&preset, CodeOptions::default());
        let (n, b) = code.vertex_program_counts();
        vertex_programs += n;
        batched += b;
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for e in code.errors {
            errors.push((
                name.clone(),
                e.block.to_string(),
                e.location.line,
                e.location.col,
                e.message,
            ));
        }
    }
    println!(
        "{} presets, {blocks} code blocks, {} block errors; {batched} of {vertex_programs} per-vertex programs batched",
        files.len(),
        errors.len()
    );
    let found: Vec<(&str, &str, u32, u32)> = errors
        .iter()
        .map(|(f, b, l, c, _)| (f.as_str(), b.as_str(), *l, *c))
        .collect();
    assert_eq!(found, KNOWN_ERRORS, "block errors changed: {errors:#?}");
    // Most per-pixel programs run batched (most per-point programs carry
    // state from point to point and cannot).
    assert!(
        batched * 3 > vertex_programs,
        "{batched} of {vertex_programs} batched"
    );
}
