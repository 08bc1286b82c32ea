//! Counts the presets whose per-frame, per-vertex, custom-wave per-frame or
//! custom-shape results change when
//! equation code divides by zero as butterchurn does (`x/0` is 0) instead
//! of as MilkDrop 2 does (±inf inside the expression, 0 once `=` stores it):
//! each preset runs 240 frames both ways, two seconds of silence then
//! synthetic music, on MilkDrop's 48x36 mesh at 1280x720.
//!
//! `cargo run --release -p milk-engine --example division_by_zero -- DIR...`

use std::path::{Path, PathBuf};

use milk_engine::mesh::{DEFAULT_MESH, WarpMesh};
use milk_engine::runtime::PresetRuntime;
use milk_parser::code::FrameInputs;
use milk_parser::eel::Context;
use milk_parser::eel::DivisionByZero;
use milk_parser::{CodeOptions, Preset, PresetCode};

const FRAMES: u32 = 240;
const SILENT_FRAMES: u32 = 60;
const FPS: f64 = 30.0;

fn milk_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            milk_files(&p, out);
        } else if p
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("milk"))
        {
            out.push(p);
        }
    }
}

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

/// The bits of every result a frame hands the passes.
fn frame_bits(rt: &mut PresetRuntime, mesh: &WarpMesh, frame: u32) -> (Vec<u64>, Vec<u64>) {
    let s = rt.run_frame(&inputs(frame));
    let state = format!("{s:?}").into_bytes();
    let state: Vec<u64> = state.into_iter().map(u64::from).collect();
    let vertices = if rt.has_per_vertex() {
        rt.run_vertices(mesh, &s.motion)
            .iter()
            .flat_map(|c| c.iter().map(|v| v.to_bits()))
            .collect()
    } else {
        Vec::new()
    };
    (state, vertices)
}

fn options(division_by_zero: DivisionByZero) -> CodeOptions {
    CodeOptions {
        seed: 7,
        division_by_zero,
        ..CodeOptions::default()
    }
}

fn context_bits(ctx: &Context, out: &mut Vec<u64>) {
    out.extend(ctx.iter().map(|(_, v)| v.to_bits()));
}

/// The bits of every custom wave's per-frame results and every shape
/// instance's (their per-point code is not run here).
fn overlay_bits(code: &mut PresetCode, frame: u32) -> Vec<u64> {
    let inputs = inputs(frame);
    if frame == 0 {
        code.run_init(&inputs);
    }
    code.run_frame(&inputs);
    let mut bits = Vec::new();
    for k in 0..code.waves.len() {
        code.run_wave_frame(k, &inputs);
        context_bits(&code.waves[k].frame, &mut bits);
    }
    for k in 0..code.shapes.len() {
        let instances = code.shapes[k].params.num_inst.clamp(0, 1024) as usize;
        for i in 0..instances {
            code.run_shape_instance(k, i, &inputs);
            context_bits(&code.shapes[k].frame, &mut bits);
        }
    }
    bits
}

fn main() {
    let mut files = Vec::new();
    for dir in std::env::args().skip(1) {
        milk_files(Path::new(&dir), &mut files);
    }
    files.sort();
    let mesh = WarpMesh::new(DEFAULT_MESH.0, DEFAULT_MESH.1, 1280, 720);
    let (mut differ, mut in_music, mut in_state, mut in_overlays) = (0, 0, 0, 0);
    println!("silent music state overlays  preset (frames of 60 silent, 180 musical that differ)");
    for path in &files {
        let Ok(preset) = Preset::from_bytes(&std::fs::read(path).unwrap_or_default()) else {
            continue;
        };
        let (md2, bc) = (
            options(DivisionByZero::Infinite),
            options(DivisionByZero::Zero),
        );
        let mut md2_runtime = PresetRuntime::with_options(&preset, md2);
        let mut bc_runtime = PresetRuntime::with_options(&preset, bc);
        let mut md2_code = PresetCode::compile(&preset, md2);
        let mut bc_code = PresetCode::compile(&preset, bc);
        let (mut silent, mut music, mut state, mut overlays) = (0, 0, false, false);
        for f in 0..FRAMES {
            let (sa, va) = frame_bits(&mut md2_runtime, &mesh, f);
            let (sb, vb) = frame_bits(&mut bc_runtime, &mesh, f);
            let (oa, ob) = (
                overlay_bits(&mut md2_code, f),
                overlay_bits(&mut bc_code, f),
            );
            state |= sa != sb;
            overlays |= oa != ob;
            if sa != sb || va != vb || oa != ob {
                if f < SILENT_FRAMES {
                    silent += 1;
                } else {
                    music += 1;
                }
            }
        }
        if silent + music == 0 {
            continue;
        }
        differ += 1;
        in_music += usize::from(music > 0);
        in_state += usize::from(state);
        in_overlays += usize::from(overlays);
        let yes = |b: bool| if b { "yes" } else { "no" };
        println!(
            "{silent:6} {music:5} {:>5} {:>8}  {}",
            yes(state),
            yes(overlays),
            path.file_name().unwrap_or_default().to_string_lossy()
        );
    }
    println!(
        "{} presets: {differ} differ ({in_state} in per-frame results, {in_overlays} in \
         custom waves or shapes), {in_music} of them while music plays",
        files.len()
    );
}
