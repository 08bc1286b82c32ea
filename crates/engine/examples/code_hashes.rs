//! Prints, for every preset under the given directories, hashes of what its
//! equation code hands the renderer over 240 frames (two seconds of silence,
//! then six of synthetic music; MilkDrop's 48x36 mesh at 1280x720): the
//! per-frame results, the per-vertex motion, and the custom waves'
//! per-frame and every shape instance's results (wave per-point code is not
//! run). Run it before and after a change to the equation language and
//! `compare` the two outputs to list the presets it changes, or with
//! `--butterchurn-division` / `--butterchurn-rand` to see what those
//! imitations change.
//!
//! ```sh
//! cargo run --release -p milk-engine --example code_hashes -- DIR... > a.txt
//! cargo run --release -p milk-engine --example code_hashes -- --butterchurn-division DIR... > b.txt
//! cargo run --release -p milk-engine --example code_hashes -- compare a.txt b.txt
//! ```

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

use milk_engine::mesh::{DEFAULT_MESH, WarpMesh};
use milk_engine::runtime::PresetRuntime;
use milk_parser::code::FrameInputs;
use milk_parser::eel::{Context, DivisionByZero, RandScale};
use milk_parser::{CodeOptions, Preset, PresetCode};

const FRAMES: u32 = 240;
const SILENT_FRAMES: u32 = 60;
const FPS: f64 = 30.0;

fn inputs(frame: u32) -> FrameInputs {
    let (bass, mid, treb) = if frame < SILENT_FRAMES {
        (0.0, 0.0, 0.0)
    } else {
        let f = f64::from(frame);
        let beat = frame % 12 < 2;
        (
            if beat { 2.0 } else { 0.8 },
            1.0 + 0.3 * (f * 0.7).sin(),
            1.0 + 0.2 * (f * 1.3).cos(),
        )
    };
    FrameInputs {
        time: f64::from(frame) / FPS,
        fps: FPS,
        frame: f64::from(frame),
        progress: 0.5,
        bass,
        mid,
        treb,
        bass_att: bass,
        mid_att: mid,
        treb_att: treb,
        meshx: f64::from(DEFAULT_MESH.0),
        meshy: f64::from(DEFAULT_MESH.1),
        pixelsx: 1280.0,
        pixelsy: 720.0,
        aspectx: 720.0 / 1280.0,
        aspecty: 1.0,
    }
}

/// One hasher per kind of result; `music` sees everything from the first
/// musical frame on.
#[derive(Default)]
struct Hashes {
    frame: DefaultHasher,
    vertices: DefaultHasher,
    overlays: DefaultHasher,
    music: DefaultHasher,
}

fn hash_bits(values: impl Iterator<Item = f64>, into: &mut [&mut DefaultHasher]) {
    for v in values {
        for h in into.iter_mut() {
            v.to_bits().hash(*h);
        }
    }
}

/// Runs `preset` for [`FRAMES`] frames and hashes what its code gives.
fn hash_preset(preset: &Preset, options: CodeOptions, mesh: &WarpMesh) -> Hashes {
    let mut runtime = PresetRuntime::with_options(preset, options);
    let mut code = PresetCode::compile(preset, options);
    let mut h = Hashes::default();
    for f in 0..FRAMES {
        let inputs = inputs(f);
        let musical = f >= SILENT_FRAMES;
        let Hashes {
            frame,
            vertices,
            overlays,
            music,
        } = &mut h;
        let s = runtime.run_frame(&inputs);
        // Debug prints every field; floats as their shortest exact text.
        let text = format!("{s:?}");
        text.hash(frame);
        if musical {
            text.hash(music);
        }
        if runtime.has_per_vertex() {
            let columns = runtime.run_vertices(mesh, &s.motion);
            let targets: &mut [&mut DefaultHasher] = if musical {
                &mut [vertices, music]
            } else {
                &mut [vertices]
            };
            hash_bits(columns.iter().flatten().copied(), targets);
        }
        // Waves and shapes from a second copy of the code (the runtime
        // keeps them for the passes).
        if f == 0 {
            code.run_init(&inputs);
        }
        code.run_frame(&inputs);
        let targets: &mut [&mut DefaultHasher] = if musical {
            &mut [overlays, music]
        } else {
            &mut [overlays]
        };
        let context = |c: &Context| c.iter().map(|(_, v)| v).collect::<Vec<_>>();
        for k in 0..code.waves.len() {
            code.run_wave_frame(k, &inputs);
            hash_bits(context(&code.waves[k].frame).into_iter(), targets);
        }
        for k in 0..code.shapes.len() {
            let instances = code.shapes[k].params.num_inst.clamp(0, 1024) as usize;
            for i in 0..instances {
                code.run_shape_instance(k, i, &inputs);
                hash_bits(context(&code.shapes[k].frame).into_iter(), targets);
            }
        }
    }
    h
}

fn hashes(args: &[String]) {
    let mut options = CodeOptions {
        seed: 7,
        ..CodeOptions::default()
    };
    let mut files = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--butterchurn-division" => options.division_by_zero = DivisionByZero::Zero,
            "--butterchurn-rand" => options.rand_scale = RandScale::AsGiven,
            dir => files.extend(kefir_corpus::milk_files_in(Path::new(dir))),
        }
    }
    files.sort();
    let mesh = WarpMesh::new(DEFAULT_MESH.0, DEFAULT_MESH.1, 1280, 720);
    println!("# frame vertices overlays music  preset");
    for path in &files {
        let Ok(preset) = Preset::from_bytes(&std::fs::read(path).unwrap_or_default()) else {
            continue;
        };
        let h = hash_preset(&preset, options, &mesh);
        println!(
            "{:016x} {:016x} {:016x} {:016x}  {}",
            h.frame.finish(),
            h.vertices.finish(),
            h.overlays.finish(),
            h.music.finish(),
            path.display()
        );
    }
}

/// Lines of a `hashes` output: preset path -> its four hashes.
fn read_hashes(path: &str) -> HashMap<String, [String; 4]> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (hashes, preset) = l.split_once("  ")?;
            let h: Vec<String> = hashes.split(' ').map(str::to_owned).collect();
            Some((preset.to_owned(), h.try_into().ok()?))
        })
        .collect()
}

fn compare(a: &str, b: &str) {
    let (a, b) = (read_hashes(a), read_hashes(b));
    let mut names: Vec<&String> = a.keys().filter(|k| b.contains_key(*k)).collect();
    names.sort();
    let [mut differ, mut frame, mut vertices, mut overlays, mut music] = [0; 5];
    println!("frame vertices overlays music  preset (x: differs)");
    for name in &names {
        let d: Vec<bool> = (0..4).map(|i| a[*name][i] != b[*name][i]).collect();
        if !d.contains(&true) {
            continue;
        }
        differ += 1;
        for (count, changed) in [&mut frame, &mut vertices, &mut overlays, &mut music]
            .into_iter()
            .zip(&d)
        {
            *count += usize::from(*changed);
        }
        let mark = |c: bool| if c { "x" } else { "." };
        println!(
            "{:>5} {:>8} {:>8} {:>5}  {name}",
            mark(d[0]),
            mark(d[1]),
            mark(d[2]),
            mark(d[3])
        );
    }
    println!(
        "{} presets in both: {differ} differ ({frame} in per-frame results, {vertices} per \
         vertex, {overlays} in custom waves or shapes), {music} of them while music plays",
        names.len()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [cmd, a, b] if cmd == "compare" => compare(a, b),
        _ => hashes(&args),
    }
}
