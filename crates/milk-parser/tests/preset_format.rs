//! The `.milk` file format: tolerance, defaults, locations, errors, writer.

use milk_parser::Preset;
use milk_parser::preset::{
    BaseValues, BlockId, Location, MAX_FILE_BYTES, ParseError, ShapeParams, WarningKind, WaveParams,
};
use proptest::prelude::*;

/// A value as MilkDrop 2 stores a file value: a `float`.
fn md(v: f64) -> f64 {
    f64::from(v as f32)
}

fn parse(text: &str) -> Preset {
    Preset::parse(text).expect("parses")
}

fn round_trips(p: &Preset) {
    let again = Preset::parse(&p.to_milk()).expect("written file parses");
    assert_eq!(again.without_locations(), p.without_locations());
    assert!(again.warnings.is_empty(), "{:?}", again.warnings);
}

const SAMPLE: &str = "MILKDROP_PRESET_VERSION=201
PSVERSION=3
PSVERSION_WARP=2
PSVERSION_COMP=3
[preset00]
fRating=4.000
fDecay=0.900
zoom=1.01000
nWaveMode=6
bTexWrap=0
wavecode_1_enabled=1
wavecode_1_samples=100
wavecode_1_scaling=2.5
wave_1_per_point1=x = sample;
wave_1_per_point2=
wave_1_per_point3=y = 0.5;
shapecode_2_enabled=1
shapecode_2_sides=6
shapecode_2_image=texture.jpg
shape_2_per_frame1=ang = time;
per_frame_init_1=q1 = 0;
per_frame_1=zoom = zoom + 0.1*bass;
per_frame_2=rot = rot + 0.01;
per_pixel_1=zoom = zoom + rad*0.1;
warp_1=`shader_body
warp_2=`{
warp_3=`    ret = tex2D(sampler_main, uv).xyz;
warp_4=`}
comp_1=`shader_body { ret = tex2D(sampler_main, uv).xyz; }
";

#[test]
fn sample_preset_is_read_into_the_model() {
    let p = parse(SAMPLE);
    assert_eq!(p.version, 201);
    assert_eq!(
        (p.ps_version, p.ps_version_warp, p.ps_version_comp),
        (3, 2, 3)
    );
    assert_eq!(p.base.rating, 4.0);
    assert_eq!(p.base.decay, md(0.9));
    assert_eq!(p.base.zoom, md(1.01));
    assert_eq!(p.base.wave_mode, 6);
    assert!(!p.base.tex_wrap);
    let w = &p.waves[1];
    assert!(w.params.enabled);
    assert_eq!(w.params.samples, 100);
    assert_eq!(w.params.scaling, 2.5);
    assert_eq!(w.per_point.text, "x = sample;\n\ny = 0.5;");
    assert_eq!(w.per_point.lines.len(), 3);
    assert!(!p.waves[0].params.enabled);
    let s = &p.shapes[2];
    assert!(s.params.enabled);
    assert_eq!(s.params.sides, 6);
    assert_eq!(s.image.as_deref(), Some("texture.jpg"));
    assert_eq!(s.per_frame.text, "ang = time;");
    assert_eq!(p.per_frame_init.text, "q1 = 0;");
    assert_eq!(
        p.per_frame.text,
        "zoom = zoom + 0.1*bass;\nrot = rot + 0.01;"
    );
    assert_eq!(p.per_pixel.text, "zoom = zoom + rad*0.1;");
    assert_eq!(
        p.warp_shader.as_ref().unwrap().text,
        "shader_body\n{\n    ret = tex2D(sampler_main, uv).xyz;\n}"
    );
    assert_eq!(
        p.comp_shader.as_ref().unwrap().text,
        "shader_body { ret = tex2D(sampler_main, uv).xyz; }"
    );
    assert!(p.unknown.is_empty());
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    round_trips(&p);
}

#[test]
fn code_line_locations_are_file_positions() {
    let p = parse(SAMPLE);
    // per_frame_2 is on line 23; its value starts after "per_frame_2=".
    let b = &p.per_frame;
    assert_eq!(b.lines[1].origin, Location { line: 23, col: 13 });
    let offset = b.text.find("rot + 0.01").unwrap();
    assert_eq!(b.location(offset), Location { line: 23, col: 19 });
    // Shader lines: after the backtick.
    let w = p.warp_shader.as_ref().unwrap();
    assert_eq!(w.lines[2].origin, Location { line: 27, col: 9 });
    let ret = w.text.find("ret").unwrap();
    assert_eq!(w.location(ret), Location { line: 27, col: 13 });
    // Empty wave line 2 still has its own location.
    assert_eq!(
        p.waves[1].per_point.lines[1].origin,
        Location { line: 15, col: 19 }
    );
}

#[test]
fn code_blocks_are_named() {
    let p = parse(SAMPLE);
    let names: Vec<String> = p
        .code_blocks()
        .filter(|(_, b)| !b.is_empty())
        .map(|(id, _)| id.to_string())
        .collect();
    assert_eq!(
        names,
        [
            "per_frame_init",
            "per_frame",
            "per_pixel",
            "wave_1_per_point",
            "shape_2_per_frame",
            "warp",
            "comp"
        ]
    );
    assert_eq!(p.code_blocks().count(), BlockId::COUNT);
}

#[test]
fn crlf_and_lone_cr_line_endings() {
    let lf = parse(SAMPLE);
    let crlf = parse(&SAMPLE.replace('\n', "\r\n"));
    let cr = parse(&SAMPLE.replace('\n', "\r"));
    assert_eq!(crlf, lf);
    assert_eq!(cr, lf);
    assert!(!crlf.per_frame.text.contains('\r'));
}

#[test]
fn latin1_and_bom() {
    let mut bytes = b"[preset00]\nper_frame_1=x = 1; // caf\xE9\nfDecay=0.5\n".to_vec();
    let p = Preset::from_bytes(&bytes).unwrap();
    assert_eq!(p.per_frame.text, "x = 1; // café");
    assert_eq!(p.base.decay, 0.5);
    // Columns count chars: the é is one column.
    let utf8 = "[preset00]\nper_frame_1=é=1;\n";
    let p = Preset::from_bytes(utf8.as_bytes()).unwrap();
    assert_eq!(p.per_frame.location(2), Location { line: 2, col: 14 });
    // BOM, both on valid UTF-8 and on Latin-1.
    let mut with_bom = b"\xEF\xBB\xBFfDecay=0.5\n".to_vec();
    assert_eq!(Preset::from_bytes(&with_bom).unwrap().base.decay, 0.5);
    assert!(Preset::from_bytes(&with_bom).unwrap().unknown.is_empty());
    with_bom.extend_from_slice(b"per_frame_1=\xE9\n");
    assert_eq!(Preset::from_bytes(&with_bom).unwrap().per_frame.text, "é");
    assert_eq!(parse("\u{FEFF}fDecay=0.5").base.decay, 0.5);
    bytes.clear();
}

#[test]
fn missing_header_and_whitespace() {
    let p = parse("  fDecay = 0.5\nzoom\t=1.5\nper_frame_1= a;\nper_frame_2 =b;\n");
    assert_eq!(p.base.decay, 0.5);
    assert_eq!(p.base.zoom, 1.5);
    // Values are verbatim: code keeps its leading space.
    assert_eq!(p.per_frame.text, " a;\nb;");
    assert!(p.warnings.is_empty());
    round_trips(&p);
}

/// MilkDrop 2 finds keys with `strcmp` (`_GetLineByName` in state.cpp), so
/// `fwarpScale=2.331` (in `PyroCybin - Toxic Lithography`) leaves the warp
/// scale at its default there. Kefir ignores such a line too, says which
/// spelling MilkDrop 2 reads, and keeps the line as an unknown key.
#[test]
fn keys_in_other_letter_case_are_ignored_as_milkdrop_2_ignores_them() {
    let p = parse(
        "fwarpScale=2.331\nZOOM=1.5\nPER_FRAME_1=a=1;\nwavecode_0_Enabled=1\n\
         shapecode_1_IMAGE=x.png\nPSVERSION_comp=3\nMILKDROP_PRESET_VERSION=201\n\
         wave_0_Per_Point1=b=2;\nshapecode_2_sides=7\n",
    );
    assert_eq!(p.base.warp_scale, 1.0);
    assert_eq!(p.base.zoom, 1.0);
    assert!(p.per_frame.is_empty());
    assert!(!p.waves[0].params.enabled);
    assert_eq!(p.shapes[1].image, None);
    assert_eq!((p.version, p.ps_version_comp), (201, 2));
    assert!(p.waves[0].per_point.is_empty());
    // Spelled right: read.
    assert_eq!(p.shapes[2].params.sides, 7);
    let case: Vec<_> = p
        .warnings
        .iter()
        .filter_map(|w| match &w.kind {
            WarningKind::KeyCase { key, milkdrop_key } => {
                Some((w.location.line, key.as_str(), milkdrop_key.as_str()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        case,
        [
            (1, "fwarpScale", "fWarpScale"),
            (2, "ZOOM", "zoom"),
            (3, "PER_FRAME_1", "per_frame_1"),
            (4, "wavecode_0_Enabled", "wavecode_0_enabled"),
            (5, "shapecode_1_IMAGE", "shapecode_1_image"),
            (6, "PSVERSION_comp", "PSVERSION_COMP"),
            (8, "wave_0_Per_Point1", "wave_0_per_point1"),
        ]
    );
    assert_eq!(p.warnings.len(), case.len());
    assert_eq!(
        p.warnings[0].to_string(),
        "1:1: `fwarpScale` ignored: MilkDrop 2 reads `fWarpScale` (keys are case-sensitive)"
    );
    // The lines are kept, and written back, as unknown keys.
    let unknown: Vec<_> = p.unknown.iter().map(|u| u.key.as_str()).collect();
    assert_eq!(
        unknown,
        [
            "fwarpScale",
            "ZOOM",
            "PER_FRAME_1",
            "wavecode_0_Enabled",
            "shapecode_1_IMAGE",
            "PSVERSION_comp",
            "wave_0_Per_Point1"
        ]
    );
    assert!(p.to_milk().contains("\nfwarpScale=2.331\n"));
}

#[test]
fn first_occurrence_wins() {
    let p = parse("fDecay=0.5\nfDecay=0.7\nper_frame_1=a\nper_frame_1=b\nper_frame_2=c\n");
    assert_eq!(p.base.decay, 0.5);
    assert_eq!(p.per_frame.text, "a\nc");
    let dups: Vec<_> = p
        .warnings
        .iter()
        .filter(|w| matches!(w.kind, WarningKind::DuplicateKey { .. }))
        .collect();
    assert_eq!(dups.len(), 2);
    assert_eq!(dups[0].location, Location { line: 2, col: 1 });
    assert_eq!(
        dups[0].kind,
        WarningKind::DuplicateKey {
            key: "fDecay".into(),
            first_line: 1
        }
    );
}

#[test]
fn gaps_end_code_blocks() {
    let p =
        parse("per_frame_1=a\nper_frame_2=b\nper_frame_4=d\nper_frame_5=e\nwave_0_per_point2=x\n");
    assert_eq!(p.per_frame.text, "a\nb");
    // No line 1 at all: the block is empty.
    assert!(p.waves[0].per_point.lines.is_empty());
    let gaps: Vec<_> = p
        .warnings
        .iter()
        .filter_map(|w| match &w.kind {
            WarningKind::CodeGap {
                block,
                missing,
                found,
            } => Some((w.location.line, *block, *missing, *found)),
            _ => None,
        })
        .collect();
    assert_eq!(
        gaps,
        [
            (3, BlockId::PerFrame, 3, 4),
            (5, BlockId::WavePerPoint(0), 1, 2)
        ]
    );
    let msg = p
        .warnings
        .iter()
        .find(|w| w.location.line == 3)
        .unwrap()
        .to_string();
    assert!(
        msg.contains("per_frame_3") && msg.contains("per_frame_4"),
        "{msg}"
    );
    // Out-of-order lines are fine: numbering, not file order, counts.
    let p = parse("per_pixel_2=b\nper_pixel_1=a\n");
    assert_eq!(p.per_pixel.text, "a\nb");
    assert_eq!(p.per_pixel.lines[0].origin.line, 2);
}

#[test]
fn empty_values_are_present_lines() {
    let p = parse("wave_0_per_point1=a\nwave_0_per_point2=\nwave_0_per_point3=c\n");
    assert_eq!(p.waves[0].per_point.text, "a\n\nc");
    round_trips(&p);
}

#[test]
fn long_lines_are_kept_whole() {
    let long = "x = x + 1; ".repeat(500);
    let p = parse(&format!("per_frame_1={long}\nunknown_thing={long}\n"));
    assert_eq!(p.per_frame.text, long);
    assert_eq!(p.unknown[0].value, long);
    round_trips(&p);
}

#[test]
fn junk_lines_and_other_sections() {
    let p = parse(
        "some junk\n[preset00]\nfDecay=0.5\n   \n  more junk\n[preset01]\nfDecay=0.1\nzoom=2\n[PRESET00]\nrot=0.3\n",
    );
    assert_eq!(p.base.decay, 0.5);
    assert_eq!(p.base.zoom, 1.0); // in [preset01]: ignored
    assert_eq!(p.base.rot, md(0.3));
    assert!(p.unknown.is_empty());
    let kinds: Vec<_> = p
        .warnings
        .iter()
        .map(|w| (w.location, w.kind.clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            (Location { line: 1, col: 1 }, WarningKind::JunkLine),
            (Location { line: 5, col: 3 }, WarningKind::JunkLine),
            (
                Location { line: 6, col: 1 },
                WarningKind::OtherSection {
                    name: "preset01".into()
                }
            ),
        ]
    );
}

#[test]
fn unknown_keys_are_kept_and_written_back() {
    let p = parse(
        "[preset00]\nshapecode_0_tex_capture=1\nfDecay=0.5\n nEchoWrap_x = 1 \nper_frame_0=x\n=odd\n",
    );
    let keys: Vec<_> = p
        .unknown
        .iter()
        .map(|u| (u.key.as_str(), u.value.as_str(), u.line))
        .collect();
    assert_eq!(
        keys,
        [
            ("shapecode_0_tex_capture", "1", 2),
            ("nEchoWrap_x", " 1 ", 4),
            ("per_frame_0", "x", 5),
            ("", "odd", 6)
        ]
    );
    let text = p.to_milk();
    assert!(text.contains("\nshapecode_0_tex_capture=1\n"), "{text}");
    assert!(text.contains("\nnEchoWrap_x= 1 \n"));
    round_trips(&p);
}

#[test]
fn shader_backticks() {
    let p = parse("warp_1=`a\nwarp_2=b\nwarp_3=``c\ncomp_1=\n");
    assert_eq!(p.warp_shader.as_ref().unwrap().text, "a\nb\n`c");
    assert_eq!(p.comp_shader.as_ref().unwrap().text, "");
    let text = p.to_milk();
    assert!(
        text.contains("warp_1=`a\nwarp_2=`b\nwarp_3=``c\n"),
        "{text}"
    );
    assert!(text.contains("comp_1=`\n"));
    round_trips(&p);
    // Absent shaders are None and are not written.
    let p = parse("fDecay=1");
    assert!(p.warp_shader.is_none() && p.comp_shader.is_none());
    assert!(!p.to_milk().contains("warp_1"));
}

#[test]
fn nul_bytes_are_rejected() {
    let err = Preset::parse("fDecay=1\r\nzoom=\0").unwrap_err();
    assert_eq!(err, ParseError::NulByte { line: 2, col: 6 });
    let msg = err.to_string();
    assert!(
        msg.contains("NUL byte") && msg.contains("line 2, column 6"),
        "{msg}"
    );
    assert!(Preset::from_bytes(b"a=\x00").is_err());
}

#[test]
fn large_files_are_rejected() {
    let big = "x".repeat(MAX_FILE_BYTES + 1);
    let err = Preset::parse(&big).unwrap_err();
    assert_eq!(
        err,
        ParseError::TooLarge {
            bytes: MAX_FILE_BYTES + 1,
            limit: 1_048_576
        }
    );
    assert!(err.to_string().contains("too large"), "{err}");
    assert!(matches!(
        Preset::from_bytes(big.as_bytes()),
        Err(ParseError::TooLarge { .. })
    ));
    // Exactly 1 MiB is fine.
    assert!(Preset::parse(&big[1..]).is_ok());
}

#[test]
fn defaults_are_milkdrop_2s() {
    let d = Preset::default();
    assert_eq!(d.version, 100);
    assert_eq!(
        (d.ps_version, d.ps_version_warp, d.ps_version_comp),
        (0, 0, 0)
    );
    let b = &d.base;
    assert_eq!(
        (
            b.rating,
            b.gamma_adj,
            b.decay,
            b.video_echo_zoom,
            b.video_echo_alpha
        ),
        (3.0, 2.0, md(0.98), 2.0, 0.0)
    );
    assert_eq!(
        (
            b.wave_alpha,
            b.wave_scale,
            b.wave_smoothing,
            b.mod_wave_alpha_start,
            b.mod_wave_alpha_end
        ),
        (md(0.8), 1.0, 0.75, 0.75, md(0.95))
    );
    assert!(b.tex_wrap && b.maximize_wave_color && !b.additive_waves);
    assert_eq!(
        (b.zoom, b.rot, b.cx, b.cy, b.warp, b.sx, b.sy),
        (1.0, 0.0, 0.5, 0.5, 1.0, 1.0, 1.0)
    );
    assert_eq!(
        (b.ob_size, b.ib_size, b.ib_r, b.ib_a),
        (md(0.01), md(0.01), 0.25, 0.0)
    );
    assert_eq!((b.mv_x, b.mv_y, b.mv_l, b.mv_a), (12.0, 9.0, md(0.9), 1.0));
    assert_eq!(
        (b.blur1_max, b.blur3_max, b.blur1_edge_darken),
        (1.0, 1.0, 0.25)
    );
    let w = WaveParams::default();
    assert_eq!(
        (w.samples, w.sep, w.scaling, w.smoothing, w.a),
        (512, 0, 1.0, 0.5, 1.0)
    );
    let s = ShapeParams::default();
    assert_eq!(
        (s.sides, s.num_inst, s.x, s.rad, s.tex_zoom),
        (4, 1, 0.5, md(0.1), 1.0)
    );
    assert_eq!((s.r, s.g, s.g2, s.border_a), (1.0, 0.0, 1.0, md(0.1)));
    assert_eq!(BaseValues::KEYS.len(), 69);
    round_trips(&d);
}

#[test]
fn empty_file_is_defaults_with_milkdrop_1_motion_vectors() {
    let p = parse("");
    let mut expected = Preset::default();
    // No mv_a and no bMotionVectorsOn: MilkDrop imports mv_a = 0.
    expected.base.mv_a = 0.0;
    // MilkDrop 2's import defaults these five to `rot`'s value, 0.
    expected.base.wave_r = 0.0;
    expected.base.wave_g = 0.0;
    expected.base.wave_b = 0.0;
    expected.base.wave_x = 0.0;
    expected.base.wave_y = 0.0;
    assert_eq!(p, expected);
    assert_eq!(parse("bMotionVectorsOn=1").base.mv_a, 1.0);
    assert_eq!(parse("bMotionVectorsOn=1\nmv_a=0.5").base.mv_a, 0.5);
    assert_eq!(parse("mv_a=junk\nbMotionVectorsOn=1").base.mv_a, 1.0);
}

/// `CState::Import` reads `wave_r`..`wave_y` with `m_fRot.eval(-1)` as the
/// default, so a file that leaves one out gets 0 there, not `Default()`'s
/// 1, 1, 1, 0.5, 0.5: a black wave in the corner in MilkDrop 2.
#[test]
fn missing_wave_colour_and_position_are_rots_default_as_in_milkdrop_2() {
    let b = parse("wave_g=0.5\nwave_y=0.25\nrot=0.3\n").base;
    assert_eq!((b.wave_r, b.wave_g, b.wave_b), (0.0, 0.5, 0.0));
    assert_eq!((b.wave_x, b.wave_y), (0.0, 0.25));
    // `rot` is read after the wave values: its default (0) counts, not the
    // file's.
    assert_eq!(b.rot, f64::from(0.3f32));
    // A value that is not a number keeps that default too.
    assert_eq!(parse("wave_r=junk").base.wave_r, 0.0);
    // Written files carry all five, so they read back as they were.
    assert_eq!(parse(&parse("").to_milk()).base.wave_r, 0.0);
    assert_eq!(parse(&Preset::default().to_milk()).base.wave_r, 1.0);
}

#[test]
fn versions_as_milkdrop_reads_them() {
    let v = |t: &str| {
        let p = parse(t);
        (
            p.version,
            p.ps_version,
            p.ps_version_warp,
            p.ps_version_comp,
        )
    };
    assert_eq!(v("PSVERSION=3\nwarp_1=`x"), (100, 0, 0, 0));
    assert_eq!(
        v("MILKDROP_PRESET_VERSION=200\nPSVERSION=3"),
        (200, 3, 3, 3)
    );
    assert_eq!(v("MILKDROP_PRESET_VERSION=200"), (200, 2, 2, 2));
    assert_eq!(
        v("MILKDROP_PRESET_VERSION=201\nPSVERSION_COMP=4"),
        (201, 4, 2, 4)
    );
    assert_eq!(
        v("MILKDROP_PRESET_VERSION=201\nPSVERSION_WARP=0\nPSVERSION_COMP=0"),
        (201, 0, 0, 0)
    );
    // Spelled otherwise, MilkDrop 2 does not find the key.
    assert_eq!(
        v("MILKDROP_PRESET_VERSION=201\npsversion_warp=0\nPSVERSION_COMP=0"),
        (201, 2, 2, 0)
    );
}

#[test]
fn numbers_like_scanf() {
    let p = parse(
        "fDecay=0.95 // comment\nzoom=1.#INF\nrot=junk\nnWaveMode=3.7\nbTexWrap=0.000\nbDarken=2\nwavecode_0_samples= -5\nfGammaAdj=1e999\n",
    );
    assert_eq!(p.base.decay, md(0.95));
    assert_eq!(p.base.zoom, 1.0);
    assert_eq!(p.base.rot, 0.0); // not a number: default kept
    assert_eq!(p.base.wave_mode, 3);
    assert!(!p.base.tex_wrap);
    assert!(p.base.darken);
    assert_eq!(p.waves[0].params.samples, -5);
    assert_eq!(p.base.gamma_adj, f64::INFINITY);
    round_trips(&p);
}

#[test]
fn writer_layout() {
    let text = parse(SAMPLE).to_milk();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        &lines[..6],
        [
            "MILKDROP_PRESET_VERSION=201",
            "PSVERSION=3",
            "PSVERSION_WARP=2",
            "PSVERSION_COMP=3",
            "[preset00]",
            "fRating=4"
        ]
    );
    assert!(text.contains("\nfDecay=0.9\n"));
    assert!(
        text.contains("\nper_frame_1=zoom = zoom + 0.1*bass;\nper_frame_2=rot = rot + 0.01;\n")
    );
    assert!(text.contains("\nwave_1_per_point2=\n"));
    assert!(text.contains("\nshapecode_2_image=texture.jpg\n"));
    assert!(text.contains("\nwavecode_3_enabled=0\n"));
    // A MilkDrop 1 preset gets no PSVERSION lines.
    assert!(!Preset::default().to_milk().contains("PSVERSION"));
}

// ---- never panic, and round trip, on random input ----

/// Lines made from real key names and random values, with random endings.
fn preset_like_text() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("per_frame_".to_string()),
        Just("per_pixel_".to_string()),
        Just("per_frame_init_".to_string()),
        Just("warp_".to_string()),
        Just("comp_".to_string()),
        (0..5u8).prop_map(|k| format!("wave_{k}_per_point")),
        (0..5u8).prop_map(|k| format!("shape_{k}_init")),
    ];
    let code_line = (key, 0..5u32).prop_map(|(k, n)| format!("{k}{n}"));
    let param = prop_oneof![
        proptest::sample::select(BaseValues::KEYS).prop_map(str::to_string),
        (0..4u8, proptest::sample::select(WaveParams::KEYS))
            .prop_map(|(k, n)| format!("wavecode_{k}_{n}")),
        (0..4u8, proptest::sample::select(ShapeParams::KEYS))
            .prop_map(|(k, n)| format!("shapecode_{k}_{n}")),
        Just("MILKDROP_PRESET_VERSION".to_string()),
        Just("PSVERSION_WARP".to_string()),
        Just("bMotionVectorsOn".to_string()),
        "[a-zA-Z_ ]{0,6}",
    ];
    let line = prop_oneof![
        (code_line, "[ -~é`]{0,12}").prop_map(|(k, v)| format!("{k}={v}")),
        (param, "[-+ 0-9.eEinfINF#x]{0,10}").prop_map(|(k, v)| format!("{k}={v}")),
        "[ -~]{0,10}",
        Just("[preset00]".to_string()),
        Just("[preset01]".to_string()),
    ];
    let ending = prop_oneof![Just("\n"), Just("\r\n"), Just("\r")];
    proptest::collection::vec((line, ending), 0..40)
        .prop_map(|lines| lines.into_iter().map(|(l, e)| l + e).collect::<String>())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in "\\PC*") {
        let _ = Preset::parse(&text);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        if let Ok(p) = Preset::from_bytes(&bytes) {
            let _ = p.to_milk();
        }
    }

    #[test]
    fn preset_like_text_round_trips(text in preset_like_text()) {
        let p = Preset::parse(&text).unwrap();
        let again = Preset::parse(&p.to_milk()).unwrap();
        prop_assert_eq!(again.without_locations(), p.without_locations());
        for (_, block) in p.code_blocks() {
            // Every offset maps somewhere inside the file.
            for off in 0..=block.text.len() {
                let loc = block.location(off);
                prop_assert!(loc.line >= 1 && loc.col >= 1);
            }
        }
    }
}
