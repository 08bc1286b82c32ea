//! Prints the WGSL for a preset's warp and comp shaders (or the error):
//! `cargo run -p milk-hlsl --example hlsl2wgsl -- PRESET.milk [--source]`.

use milk_hlsl::{Stage, translate};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let source = args.iter().any(|a| a == "--source");
    for path in args.iter().filter(|a| !a.starts_with("--")) {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let preset = match milk_parser::Preset::from_bytes(&bytes) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        for (stage, block) in [
            (Stage::Warp, &preset.warp_shader),
            (Stage::Comp, &preset.comp_shader),
        ] {
            let Some(block) = block else { continue };
            println!("// ---- {path}: {}", stage.as_str());
            match translate(block, stage) {
                Ok(t) if source => println!("{}", t.source_wgsl),
                Ok(t) => match t.naga_wgsl() {
                    Ok(wgsl) => println!("{wgsl}"),
                    Err(e) => println!("// naga's WGSL writer: {e}"),
                },
                Err(e) => println!("// error: {e}"),
            }
        }
    }
}
