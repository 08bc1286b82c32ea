//! Which noise reads the translator proves never minify
//! (`milk_hlsl::footprint`): real shader idioms, and the writes, branches
//! and loops after which it must not claim anything.

use milk_hlsl::{Footprint, Stage, TextureBinding, translate_str};

fn translate(stage: Stage, body: &str) -> Vec<TextureBinding> {
    let t = translate_str(body, stage).unwrap_or_else(|e| panic!("{e}\n{body}"));
    t.layout.textures
}

/// The footprints of `sampler_name`'s footprint binding (empty: none).
fn footprints(bindings: &[TextureBinding], sampler_name: &str) -> Vec<Footprint> {
    bindings
        .iter()
        .filter(|b| b.sampler_name == sampler_name)
        .flat_map(|b| b.footprints.clone())
        .collect()
}

/// Texels a pixel of a `w`x`h` frame covers in a 256x256 noise texture.
fn texels(f: &Footprint, (w, h): (u32, u32)) -> f64 {
    f.texels_per_pixel((w, h), (w, h), [256, 256, 1])
}

#[test]
fn dithering_in_the_warp_reads_level_0_at_every_size() {
    let b = translate(
        Stage::Warp,
        "shader_body {
            float2 dither_uv = uv_orig*texsize.xy*texsize_noise_lq.zw * 1 + rand_frame.xy;
            ret = GetPixel(uv) + (tex2D(sampler_noise_lq, dither_uv).xyz - 0.5) * 0.1;
        }",
    );
    let f = footprints(&b, "sampler_noise_lq");
    assert_eq!(f.len(), 1);
    for size in [(320, 240), (1280, 720), (1366, 768), (3840, 2160)] {
        assert!((texels(&f[0], size) - 1.0).abs() < 1e-9, "{size:?}");
        assert!(f[0].magnifies(size, size, [256, 256, 1]));
    }
    // Only the footprint binding: no ordinary one left unused.
    assert_eq!(
        b.iter()
            .filter(|b| b.sampler_name == "sampler_noise_lq")
            .count(),
        1
    );
}

#[test]
fn the_composites_uv_is_the_screen_position_and_follows_its_rescaling() {
    let b = translate(
        Stage::Comp,
        "shader_body {
            uv = 0.03 + 0.94*uv;
            ret = GetPixel(uv);
            ret *= 1 + 0.15*(tex2D(sampler_noise_lq, rand_frame.xy + uv*texsize.xy*texsize_noise_lq.zw).xxx*2-1);
        }",
    );
    let f = footprints(&b, "sampler_noise_lq");
    assert_eq!(f.len(), 1);
    assert!((texels(&f[0], (1280, 720)) - 0.94).abs() < 1e-9);
}

#[test]
fn fixed_scales_depend_on_the_frame_size() {
    // uv_orig*4 of a 256-texel texture: 1024 texels across the frame.
    let b = translate(
        Stage::Warp,
        "shader_body { ret = tex2D(sampler_noise_hq, uv_orig*4 + rand_frame.xy).xyz; }",
    );
    let f = footprints(&b, "sampler_noise_hq");
    assert_eq!(f.len(), 1);
    assert!((texels(&f[0], (512, 512)) - 2.0).abs() < 1e-9);
    assert!(!f[0].magnifies((512, 512), (512, 512), [256, 256, 1]));
    assert!(f[0].magnifies((1024, 1024), (1024, 1024), [256, 256, 1]));
}

#[test]
fn volume_noise_with_a_uniform_depth() {
    let b = translate(
        Stage::Comp,
        "shader_body { ret = tex3D(sampler_noisevol_lq, float3(uv*texsize.xy/32, time*0.1)).xyz; }",
    );
    let f = footprints(&b, "sampler_noisevol_lq");
    assert_eq!(f.len(), 1);
    assert!((f[0].texels_per_pixel((640, 480), (640, 480), [32, 32, 32]) - 1.0).abs() < 1e-9);
}

#[test]
fn what_the_analysis_cannot_follow_keeps_the_ordinary_binding() {
    let cases = [
        // The warp's uv moves with the mesh.
        (
            Stage::Warp,
            "ret = tex2D(sampler_noise_lq, uv*texsize.xy*texsize_noise_lq.zw).xyz;",
        ),
        // A slope not known before the frame.
        (
            Stage::Warp,
            "ret = tex2D(sampler_noise_lq, uv_orig*q1).xyz;",
        ),
        // An offset that varies.
        (
            Stage::Warp,
            "ret = tex2D(sampler_noise_lq, uv_orig + GetPixel(uv).xy).xyz;",
        ),
        // Written in a branch.
        (
            Stage::Warp,
            "float2 p = uv_orig; if (q1 > 0) p = p*300; ret = tex2D(sampler_noise_lq, p).xyz;",
        ),
        // Written through a swizzle.
        (
            Stage::Warp,
            "float2 p = uv_orig; p.x *= 300; ret = tex2D(sampler_noise_lq, p).xyz;",
        ),
        // Read in a loop before the write that changes it.
        (
            Stage::Warp,
            "float2 p = uv_orig; for (int i = 0; i < 4; i++) { ret += tex2D(sampler_noise_lq, p).xyz; p = p*2; }",
        ),
        // Not linear in the position.
        (Stage::Comp, "ret = tex2D(sampler_noise_lq, uv*uv).xyz;"),
        (
            Stage::Comp,
            "ret = tex2D(sampler_noise_lq, float2(sin(uv.x), uv.y)).xyz;",
        ),
    ];
    for (stage, body) in cases {
        let b = translate(stage, &format!("shader_body {{ {body} }}"));
        assert!(b.iter().all(|b| b.footprints.is_empty()), "{body}: {b:?}");
        assert!(
            b.iter().any(|b| b.sampler_name == "sampler_noise_lq"),
            "{body}"
        );
    }
}

#[test]
fn out_arguments_of_the_shaders_functions_forget_what_was_known() {
    let b = translate(
        Stage::Warp,
        "void grow(inout float2 p) { p *= 300; }
        shader_body {
            float2 p = uv_orig;
            grow(p);
            ret = tex2D(sampler_noise_lq, p).xyz;
        }",
    );
    assert!(b.iter().all(|b| b.footprints.is_empty()), "{b:?}");
}

#[test]
fn reassignments_at_the_top_level_are_followed() {
    let b = translate(
        Stage::Warp,
        "shader_body {
            float2 p = uv_orig;
            p = p * texsize.xy;
            p /= 256;
            p += time;
            ret = tex2D(sampler_noise_lq, p).xyz + tex2D(sampler_noise_lq, p*2).xyz;
        }",
    );
    let mut f = footprints(&b, "sampler_noise_lq");
    f.sort_by(|a, b| texels(a, (800, 600)).total_cmp(&texels(b, (800, 600))));
    assert_eq!(f.len(), 2, "one footprint per distinct read");
    assert!((texels(&f[0], (800, 600)) - 1.0).abs() < 1e-9);
    assert!((texels(&f[1], (800, 600)) - 2.0).abs() < 1e-9);
}

#[test]
fn footprint_bindings_give_way_when_the_shader_needs_every_register() {
    // 15 user textures, an ordinary noise read and a dithering one: the
    // footprint binding would make 17 bindings, past the 16 of Direct3D 9
    // and wgpu's defaults.
    let mut src = String::new();
    for i in 0..15 {
        src.push_str(&format!("sampler sampler_t{i};\n"));
    }
    src.push_str("shader_body {\n");
    for i in 0..15 {
        src.push_str(&format!("ret += tex2D(sampler_t{i}, uv).xyz;\n"));
    }
    src.push_str("ret += tex2D(sampler_noise_lq, uv).xyz;\n");
    src.push_str("ret += tex2D(sampler_noise_lq, uv_orig*texsize.xy/256).xyz;\n}");
    let b = translate(Stage::Warp, &src);
    assert_eq!(b.len(), 16);
    assert!(b.iter().all(|b| b.footprints.is_empty()));
    // One fewer texture: room for it.
    let b = translate(
        Stage::Warp,
        &src.replace("ret += tex2D(sampler_t14, uv).xyz;\n", ""),
    );
    assert_eq!(b.len(), 16);
    assert_eq!(footprints(&b, "sampler_noise_lq").len(), 1);
}
