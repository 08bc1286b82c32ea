//! insta snapshots of naga's WGSL for representative shaders (the uniform
//! block's members are left out: they are the same in every shader).

use milk_hlsl::{Stage, translate_str};

fn wgsl(src: &str, stage: Stage) -> String {
    let t = translate_str(src, stage).unwrap_or_else(|e| panic!("{e}"));
    let mut out = String::new();
    let mut in_uniforms = false;
    let naga_wgsl = t.naga_wgsl().unwrap_or_else(|e| panic!("{e}"));
    for line in naga_wgsl.lines() {
        if line.starts_with("struct MilkUniforms") {
            in_uniforms = true;
            out.push_str("struct MilkUniforms { ... }\n");
            continue;
        }
        if in_uniforms {
            in_uniforms = line != "}";
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&format!("\n// layout: {:?}\n", t.layout));
    out
}

#[test]
fn default_warp() {
    insta::assert_snapshot!(wgsl(
        "shader_body {\n  ret = tex2D(sampler_main, uv).xyz;\n  ret -= 0.004;\n}",
        Stage::Warp
    ));
}

#[test]
fn comp_with_blur_and_hue() {
    insta::assert_snapshot!(wgsl(
        "shader_body {\n  float3 b = GetBlur1(uv) + GetBlur2(uv)*0.5;\n  ret = lerp(GetPixel(uv), b, 0.3) * hue_shader;\n  ret *= 1 + q1;\n}",
        Stage::Comp
    ));
}

#[test]
fn functions_loops_and_noise() {
    insta::assert_snapshot!(wgsl(
        "float2 rotate(float2 p, float a) { float c = cos(a), s = sin(a); return mul(p, float2x2(c, -s, s, c)); }\n\
         shader_body {\n  float n = 0;\n  for (int i = 0; i < 3; i++) n += tex3D(sampler_noisevol_hq, float3(uv*(i+1), time*0.1)).x / (i+1);\n\
           float2 p = rotate(uv - 0.5, n + time) + 0.5;\n  ret = tex2D(sampler_fc_main, p).xyz * 0.98;\n}",
        Stage::Warp
    ));
}

#[test]
fn write_masks_user_textures_and_texsize() {
    insta::assert_snapshot!(wgsl(
        "sampler sampler_clouds;\nfloat4 texsize_clouds;\n#define SCALE 2\n\
         shader_body {\n  ret.xy = tex2D(sampler_clouds, uv * texsize_clouds.zw * SCALE).yx;\n  ret.z = uv_orig.x > 0.5 ? 1 : 0;\n  q2 = 3;\n  ret.z *= q2;\n}",
        Stage::Warp
    ));
}

#[test]
fn out_parameters_and_arrays() {
    insta::assert_snapshot!(wgsl(
        "static const float w[3] = {0.25, 0.5, 0.25};\nvoid acc(inout float3 c, float2 p, int k) { c += GetPixel(p) * w[k]; }\n\
         shader_body {\n  float3 c = 0;\n  for (int k = 0; k < 3; k++) acc(c, uv_orig + float2(k - 1, 0) * texsize.zw, k);\n  ret = c;\n}",
        Stage::Warp
    ));
}
