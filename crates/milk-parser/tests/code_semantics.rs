//! How values flow between a preset's code contexts, frame after frame:
//! q1..q32, t1..t8, reg00..reg99, megabuf and gmegabuf, as in MilkDrop 2.

use milk_parser::code::{FrameInputs, PresetCode};
use milk_parser::eel::{VarId, VertexJob, VertexMode};
use milk_parser::preset::BlockId;
use milk_parser::{CodeOptions, Preset};

fn compile(text: &str) -> PresetCode {
    let preset = Preset::parse(text).expect("parses");
    let code = PresetCode::compile(&preset, CodeOptions::default());
    assert!(code.errors.is_empty(), "{:?}", code.errors);
    code
}

fn inputs(frame: f64) -> FrameInputs {
    FrameInputs {
        time: frame / 60.0,
        fps: 60.0,
        frame,
        bass: 1.0,
        mid: 1.0,
        treb: 1.0,
        bass_att: 1.0,
        mid_att: 1.0,
        treb_att: 1.0,
        meshx: 48.0,
        meshy: 36.0,
        ..FrameInputs::default()
    }
}

/// Runs per-vertex code over two vertices and returns `var` per vertex.
fn vertex_values(code: &mut PresetCode, var: &str) -> Vec<f64> {
    let xs = [0.25, 0.75];
    let zero = [0.0, 0.0];
    let ids = code.vertex_inputs.clone();
    let varying = [
        (ids[0], &xs[..]),
        (ids[1], &xs[..]),
        (ids[2], &zero[..]),
        (ids[3], &zero[..]),
    ];
    let resets = code.vertex_resets();
    let out_id: VarId = code.vertex.var(var);
    let mut out = vec![0.0; 2];
    let mut outputs = [(out_id, &mut out[..])];
    let mut job = VertexJob {
        count: 2,
        varying: &varying,
        reset: &resets,
        outputs: &mut outputs,
    };
    let program = code.per_vertex.as_ref().expect("per-vertex code");
    program
        .run(
            &mut code.vertex,
            &mut code.globals,
            &mut job,
            VertexMode::Auto,
        )
        .unwrap();
    out
}

#[test]
fn q_vars_reset_to_their_post_init_values_every_frame() {
    let mut code = compile(
        "[preset00]\nper_frame_init_1=q1 = 5; q2 = 1;\nper_frame_1=q1 = q1 + 1; n = n + 1;\n",
    );
    code.run_init(&inputs(0.0));
    for f in 1..=3 {
        code.run_frame(&inputs(f as f64));
        assert_eq!(code.frame.get_named("q1"), 6.0, "q1 does not accumulate");
        assert_eq!(code.frame.get_named("q2"), 1.0);
        assert_eq!(
            code.frame.get_named("n"),
            f as f64,
            "user variables carry over"
        );
    }
}

#[test]
fn per_frame_variables_start_from_the_preset_values_every_frame() {
    let mut code = compile(
        "[preset00]\nzoom=1.01\nfDecay=0.9\nper_frame_1=zoom = zoom * 2; decay = decay - 0.1; monitor = monitor + 1;\n",
    );
    code.run_init(&inputs(0.0));
    for _ in 0..3 {
        code.run_frame(&inputs(1.0));
        // File values are f32s widened back, as in MilkDrop 2.
        assert_eq!(code.frame.get_named("zoom"), 2.0 * f64::from(1.01f32));
        assert_ne!(code.frame.get_named("zoom"), 2.02);
        assert_eq!(code.frame.get_named("decay"), f64::from(0.9f32) - 0.1);
    }
    assert_eq!(code.frame.get_named("monitor"), 3.0, "monitor carries over");
    assert_eq!(code.frame.get_named("time"), 1.0 / 60.0);
}

#[test]
fn a_blended_in_preset_starts_from_the_outgoing_file_values() {
    // MilkDrop 2's CBlendableFloats: during a blend of 1 s starting at 1 s
    // the incoming preset's per-frame variables start from a linear glide
    // from the outgoing preset's file values to its own (ints and flags
    // switch at once, the motion values are the file's own), and so do the
    // values the renderer reads.
    let outgoing = compile(
        "[preset00]\nzoom=1.2\nfDecay=0.5\nwave_r=0\nnWaveMode=2\nfWaveScale=3\nmv_a=1\n\
         nMotionVectorsX=30\nmv_r=0.25\n",
    );
    let mut code = compile(
        "[preset00]\nzoom=1.0\nfDecay=1.0\nwave_r=1\nnWaveMode=5\nfWaveScale=1\nmv_a=0\n\
         nMotionVectorsX=4\nmv_r=1\nper_frame_1=q1 = zoom; q2 = decay; q3 = wave_mode; q4 = mv_x; q5 = mv_r;\n",
    );
    code.blend_file_values_from(&outgoing.base, 1.0, 1.0);
    code.run_init(&inputs(60.0));
    let at = |code: &mut PresetCode, time: f64| {
        code.run_frame(&FrameInputs {
            time,
            ..inputs(0.0)
        });
        code.q_values()
    };
    let q = at(&mut code, 1.25);
    assert_eq!(q[0], 1.0, "zoom");
    assert!((q[1] - 0.625).abs() < 1e-12, "decay {}", q[1]);
    assert_eq!(q[2], 5.0, "wave mode switches at once");
    // Without motion vectors after a preset with them, the outgoing grid
    // and colour stay for good (its alpha fades).
    assert_eq!((q[3], q[4]), (30.0, 0.25));
    assert!((code.file_values().wave_scale - 2.5).abs() < 1e-12);
    assert!((code.file_values().mv_a - 0.75).abs() < 1e-12);
    let q = at(&mut code, 1.75);
    assert!((q[1] - 0.875).abs() < 1e-12, "decay {}", q[1]);
    // Past the blend: the preset's own values, for good.
    let q = at(&mut code, 2.5);
    assert_eq!((q[0], q[1], q[3], q[4]), (1.0, 1.0, 30.0, 0.25));
    assert_eq!(code.file_values().wave_scale, 1.0);
    let q = at(&mut code, 1.5);
    assert_eq!(q[1], 1.0, "a blend once over does not come back");
}

#[test]
fn per_vertex_code_sees_q_and_its_own_variables_only() {
    let mut code = compile(
        "[preset00]\nper_frame_1=q3 = 0.5; secret = 7; zoom = 1.5; reg01 = 3; megabuf(0) = 9; gmegabuf(0) = 4;\n\
         per_pixel_1=rot = q3 + secret;\nper_pixel_2=dx = reg01 + megabuf(0);\nper_pixel_3=dy = gmegabuf(0) + meshx;\n",
    );
    code.run_init(&inputs(0.0));
    code.run_frame(&inputs(1.0));
    assert_eq!(
        vertex_values(&mut code, "rot"),
        [0.5, 0.5],
        "q flows, user vars do not"
    );
    assert_eq!(
        vertex_values(&mut code, "dx"),
        [3.0, 3.0],
        "registers are shared, megabuf is not"
    );
    assert_eq!(
        vertex_values(&mut code, "dy"),
        [52.0, 52.0],
        "gmegabuf is shared"
    );
    assert_eq!(
        vertex_values(&mut code, "zoom"),
        [1.5, 1.5],
        "motion vars reset to per-frame results"
    );
}

#[test]
fn per_vertex_code_runs_per_vertex() {
    let mut code = compile("[preset00]\nper_pixel_1=zoom = zoom + x;\n");
    code.run_init(&inputs(0.0));
    code.run_frame(&inputs(1.0));
    // Reset before every vertex: no accumulation across vertices or frames.
    assert_eq!(vertex_values(&mut code, "zoom"), [1.25, 1.75]);
    assert_eq!(vertex_values(&mut code, "zoom"), [1.25, 1.75]);
}

#[test]
fn wave_t_vars_reset_every_frame_and_reach_per_point_code() {
    let mut code = compile(
        "[preset00]\nwavecode_0_enabled=1\nwavecode_0_r=0.25\nper_frame_init_1=q1 = 2;\nper_frame_1=q1 = q1 * 10;\n\
         wave_0_init1=t1 = 10 + q1; t2 = 1;\nwave_0_per_frame1=t1 = t1 + 1; r = r * 2; q1 = q1 + 1;\n\
         wave_0_per_point1=x = t1 + q1; y = r;\n",
    );
    code.run_init(&inputs(0.0));
    assert_eq!(
        code.waves[0].t_after_init[0], 12.0,
        "init sees q after per-frame init"
    );
    for _ in 0..3 {
        code.run_frame(&inputs(1.0));
        code.run_wave_frame(0, &inputs(1.0));
        let w = &code.waves[0];
        assert_eq!(w.frame.get_named("t1"), 13.0);
        assert_eq!(w.frame.get_named("r"), 0.5);
        assert_eq!(w.point.get_named("t1"), 13.0);
        assert_eq!(
            w.point.get_named("q1"),
            21.0,
            "q as the wave's per-frame code left it"
        );
    }
}

#[test]
fn wave_per_point_variables_are_its_own_unless_shared_as_in_butterchurn() {
    let text = "[preset00]\nwavecode_0_enabled=1\nwave_0_init1=mx = 0.5;\n\
                wave_0_per_frame1=n = n + 1; seen = mx;\nwave_0_per_point1=x = mx + n;\n";
    // MilkDrop 2: the per-point code runs in a VM of its own, where mx and
    // n are never set.
    let mut md2 = compile(text);
    md2.run_init(&inputs(0.0));
    for _ in 0..2 {
        md2.run_frame(&inputs(1.0));
        md2.run_wave_frame(0, &inputs(1.0));
        assert_eq!(md2.waves[0].point.get_named("mx"), 0.0);
        assert_eq!(md2.waves[0].point.get_named("n"), 0.0);
    }
    // butterchurn: one pool, both ways.
    let mut bc = compile(text);
    bc.share_wave_variables();
    bc.run_init(&inputs(0.0));
    for f in 1..=3 {
        bc.run_frame(&inputs(f as f64));
        bc.run_wave_frame(0, &inputs(f as f64));
        let w = &mut bc.waves[0];
        let mx = 0.5 + (f - 1) as f64;
        assert_eq!(w.point.get_named("mx"), mx, "frame {f}");
        assert_eq!(w.point.get_named("n"), f as f64, "frame {f}");
        assert_eq!(w.frame.get_named("seen"), mx, "frame {f}");
        // As if the per-point code had set mx = mx + 1.
        let id = w.point.lookup("mx").expect("declared");
        w.point.set(id, mx + 1.0);
    }
}

#[test]
fn shape_instances_start_from_the_file_values() {
    let mut code = compile(
        "[preset00]\nshapecode_0_enabled=1\nshapecode_0_num_inst=3\nshapecode_0_x=0.1\n\
         shape_0_init1=t1 = 1;\nshape_0_per_frame1=x = x + instance; t1 = t1 * 2;\n",
    );
    code.run_init(&inputs(0.0));
    code.run_frame(&inputs(1.0));
    for i in 0..3 {
        code.run_shape_instance(0, i, &inputs(1.0));
        let s = &code.shapes[0].frame;
        assert_eq!(s.get_named("x"), f64::from(0.1f32) + i as f64);
        assert_eq!(s.get_named("t1"), 2.0);
        assert_eq!(s.get_named("num_inst"), 3.0);
    }
}

#[test]
fn a_block_past_its_budget_stops_and_is_reported_while_the_rest_runs() {
    let mut code = compile(
        "[preset00]\nper_frame_1=a = 1; loop(1e9, loop(1e9, b += 1)); c = 1;\nper_pixel_1=zoom = 2;\n",
    );
    assert!(code.run_init(&inputs(0.0)).is_empty());
    let overruns = code.run_frame(&inputs(1.0));
    assert_eq!(overruns, [BlockId::PerFrame]);
    assert_eq!(code.frame.get_named("a"), 1.0);
    assert_eq!(vertex_values(&mut code, "zoom"), [2.0, 2.0]);
}

#[test]
fn milkdrop1_presets_get_integer_rand() {
    let mut v1 = compile("[preset00]\nper_frame_1=r = rand(10) + rand(10) * 0;\n");
    let mut v2 = compile("MILKDROP_PRESET_VERSION=201\n[preset00]\nper_frame_1=r = rand(10);\n");
    let mut fractional = false;
    for f in 0..50 {
        v1.run_frame(&inputs(f as f64));
        v2.run_frame(&inputs(f as f64));
        assert_eq!(v1.frame.get_named("r").fract(), 0.0);
        fractional |= v2.frame.get_named("r").fract() != 0.0;
    }
    assert!(fractional);
}
