//! `kefir check` and `kefir eval` as a user runs them.

use std::path::PathBuf;
use std::process::Command;

fn kefir(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kefir"))
        .args(args)
        .output()
        .expect("kefir runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kefir-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    dir
}

#[test]
fn eval_prints_value_then_assigned_variables() {
    let (code, out, _) = kefir(&["eval", "x = 3*2%5*7; y = x/0; reg03 = .5; y + 1"]);
    assert_eq!(code, 0);
    assert_eq!(out, "1\nx = 42\ny = 0\nreg03 = 0.5\n");
    // Per-frame context: MilkDrop's variables start at the preset defaults,
    // 32-bit floats as MilkDrop 2 keeps them (decay 0.98 is
    // 0.9800000190734863).
    let (_, out, _) = kefir(&["eval", "zoom * 10 + decay"]);
    assert_eq!(out, "10.980000019073486\n");
    let (_, out, _) = kefir(&["eval", "a = 0.1 + 0.2"]);
    assert_eq!(out, "0.30000000000000004\na = 0.30000000000000004\n");
}

#[test]
fn eval_reports_syntax_errors_with_line_and_column() {
    let (code, _, err) = kefir(&["eval", "x = 1;\ny = (2 +;"]);
    assert_eq!(code, 1);
    assert!(err.contains("2:9"), "{err}");
    let (code, _, err) = kefir(&["eval", "x = nosuch(1)"]);
    assert_eq!(code, 1);
    assert!(err.contains("1:5") && err.contains("nosuch"), "{err}");
}

#[test]
fn eval_stops_runaway_code() {
    let (code, _, err) = kefir(&["eval", "loop(1e9, loop(1e9, x += 1))"]);
    assert_eq!(code, 1);
    assert!(err.contains("budget"), "{err}");
}

#[test]
fn check_reports_failures_with_positions() {
    let dir = temp_dir("check");
    std::fs::write(
        dir.join("good.milk"),
        "[preset00]\nper_frame_1=zoom = 1.01;\nper_pixel_1=rot = rad*0.1;\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("sub/bad.MILK"),
        "[preset00]\r\nper_frame_1=x = 1;\r\nper_frame_2=y = sin(;\r\nper_pixel_1=zoom = 1;\r\n",
    )
    .unwrap();
    std::fs::write(dir.join("sub/binary.milk"), b"[preset00]\nzo\0om=1\n").unwrap();
    std::fs::write(dir.join("notes.txt"), "not a preset").unwrap();

    let (code, out, _) = kefir(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("bad.MILK:3:22: syntax error in per_frame"),
        "{out}"
    );
    assert!(out.contains("binary.milk:2:3: file error"), "{out}");
    assert!(out.contains("3 presets: 1 ok, 2 failed"), "{out}");

    let (code, out, _) = kefir(&["check", "--json", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["total"], 3);
    assert_eq!(json["ok"], 1);
    assert_eq!(json["failed"], 2);
    let failures = json["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 2);
    let bad = failures
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with("bad.MILK"))
        .unwrap();
    assert_eq!(
        (bad["line"].as_u64(), bad["col"].as_u64()),
        (Some(3), Some(22))
    );
    assert!(
        bad["message"]
            .as_str()
            .unwrap()
            .contains("expected ',' or ')'")
    );

    let (code, out, _) = kefir(&["check", dir.join("good.milk").to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_passes_on_the_bundled_presets() {
    let presets = concat!(env!("CARGO_MANIFEST_DIR"), "/../../presets");
    let (code, out, _) = kefir(&["check", presets]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(" 0 failed"), "{out}");
}

#[test]
fn check_reports_shader_translation() {
    let dir = temp_dir("shaders");
    std::fs::write(
        dir.join("good.milk"),
        "MILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\nPSVERSION_COMP=2\n[preset00]\n\
         warp_1=`shader_body {\nwarp_2=`  ret = tex2D(sampler_main, uv).xyz * 0.98;\nwarp_3=`}\n\
         comp_1=`shader_body { ret = GetPixel(uv) + GetBlur1(uv)*0.2; }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("bad.milk"),
        "MILKDROP_PRESET_VERSION=201\nPSVERSION_WARP=2\nPSVERSION_COMP=0\n[preset00]\n\
         warp_1=`shader_body {\nwarp_2=`  ret = nosuchfunction(uv);\nwarp_3=`}\n\
         comp_1=`this is ignored: PSVERSION_COMP is 0\n",
    )
    .unwrap();
    let (code, out, _) = kefir(&["check", "--json", dir.to_str().unwrap()]);
    // A bad shader falls back to the default one: it is reported, and the
    // preset itself still counts as ok.
    assert_eq!(code, 0, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["shaders_total"], 3);
    assert_eq!(json["shaders_ok"], 2);
    let failures = json["shader_failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1);
    let f = &failures[0];
    assert!(f["file"].as_str().unwrap().ends_with("bad.milk"));
    assert_eq!(f["stage"], "warp");
    assert_eq!(f["line"], 6, "{f}");
    assert!(
        f["message"].as_str().unwrap().contains("nosuchfunction"),
        "{f}"
    );
    let (_, out, _) = kefir(&["check", dir.to_str().unwrap()]);
    assert!(out.contains("2 of 3 shaders translated"), "{out}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_render_builds_pipelines_and_reports_fallbacks_and_textures() {
    let dir = temp_dir("render");
    let head = "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\nPSVERSION_COMP=2\n";
    std::fs::write(
        dir.join("good.milk"),
        format!(
            "{head}warp_1=`shader_body {{ ret = GetPixel(uv) * 0.9 + GetBlur2(uv) * 0.1; }}\n\
             comp_1=`sampler sampler_moon;\ncomp_2=`shader_body {{ ret = tex2D(sampler_moon, uv).xyz; }}\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("broken.milk"),
        format!("{head}comp_1=`shader_body {{ ret = nope; }}\n"),
    )
    .unwrap();
    std::fs::write(dir.join("v1.milk"), "[preset00]\nzoom=1.01\n").unwrap();
    let (code, out, err) = kefir(&["check", "--render", "--json", dir.to_str().unwrap()]);
    // Shader fallbacks and missing textures do not fail a preset.
    assert_eq!(code, 0, "{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON report");
    let render = &report["render"];
    assert_eq!(render["loaded"], 3, "{render}");
    assert_eq!(render["ok"], 2, "{render}");
    assert_eq!(render["warp_shaders"], 1);
    assert_eq!(render["comp_shaders"], 1);
    assert_eq!(render["fallbacks"], 1);
    let warnings = render["texture_warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].as_str().unwrap().contains("moon"));
    assert!(render["prepare_ms_median"].as_f64().unwrap() > 0.0);
}
