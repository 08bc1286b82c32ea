//! One test per construct and per implicit-conversion rule: each shader must
//! translate and pass naga's validator (or fail with the expected error).

use milk_hlsl::{ErrorKind, Filter, Stage, TextureSource, Wrap, translate_str};

fn ok(src: &str) -> milk_hlsl::Translation {
    match translate_str(src, Stage::Warp) {
        Ok(t) => t,
        Err(e) => panic!("{src}\n-> {e}"),
    }
}

fn body(b: &str) -> milk_hlsl::Translation {
    ok(&format!("shader_body {{ {b} }}"))
}

fn fails(src: &str) -> milk_hlsl::Error {
    match translate_str(src, Stage::Warp) {
        Ok(t) => panic!("{src} translated:\n{}", t.source_wgsl),
        Err(e) => e,
    }
}

#[test]
fn scalar_splat_in_assignment_and_arithmetic() {
    let t = body("ret = 0.5; ret = ret * 2 + 1;");
    assert!(
        t.source_wgsl.contains("v_ret = vec3<f32>(0.5f);"),
        "{}",
        t.source_wgsl
    );
}

#[test]
fn vector_truncation() {
    let t = body("ret = tex2D(sampler_main, uv); float x = ret; float2 d = ret;");
    assert!(t.source_wgsl.contains(".xyz;"));
    body("ret = lerp(float4(1,2,3,4), ret, 0.5);");
}

#[test]
fn int_bool_float_promotion() {
    body("int i = 3; bool b = i > 2; float f = i / 2 + b; ret = f * i;");
    // HLSL integer division stays integer.
    let t = body("float f = 1 / 2;");
    assert!(
        t.source_wgsl.contains("f32((1i / 2i))"),
        "{}",
        t.source_wgsl
    );
}

#[test]
fn half_is_float() {
    body("half3 h = ret; half x = h.x; ret = h * x;");
}

#[test]
fn swizzles_and_write_masks() {
    body("ret.xy = uv.yx; ret.b = 1; ret.rg = ret.gr; ret.z += 1; float4 c = ret.xyzz;");
    body("float s = 2; ret = s.xxx;");
    assert_eq!(fails("shader_body { ret.xx = uv; }").kind, ErrorKind::Type);
    assert_eq!(fails("shader_body { ret.w = 1; }").kind, ErrorKind::Type);
}

#[test]
fn constructors() {
    body(
        "float4 a = float4(uv, 1, 2); float3 b = float3(a.xy, 0); float2 c = float2(1, 2); float3 d = float3(1, 1, 1);",
    );
    body(
        "float2x2 m = float2x2(1, 0, 0, 1); float3x3 n = float3x3(ret, ret, ret); float2x2 z = float2x2(uv, uv);",
    );
    assert_eq!(
        fails("shader_body { float3 a = float3(1, 2); }").kind,
        ErrorKind::Type
    );
}

#[test]
fn casts() {
    body("int i = (int)uv.x; float3 v = (float3)0.5; float2 w = (float2)ret; ret = (float3)i;");
    body("float3x3 m = (float3x3)rot_s1; ret = mul(ret, m);");
}

#[test]
fn control_flow() {
    body("for (int i = 0; i < 4; i++) { if (i == 2) continue; ret += 0.1; if (ret.x > 2) break; }");
    body("int n = 0; while (n < 3) n++; do { n--; } while (n > 0);");
    body(
        "ret = uv.x > 0.5 ? ret : 1 - ret; if (rad < 0.1) { ret = 0; } else if (rad < 0.2) ret = 1; else { ret = 2; }",
    );
    body("[unroll] for (int k = 0; k < 2; k++) ret += k; k = 0;");
}

#[test]
fn switch_statements_join_empty_cases_and_get_a_default() {
    let t = body(
        "int k = uv.x * 4; ret = 0;
         switch (k) { case 0: case -1: ret = 1; break; case 2: { ret = 0.5; } break;
                      case 3: return; }",
    );
    let w = &t.source_wgsl;
    assert!(w.contains("case 0i, -1i: {"), "{w}");
    assert!(w.contains("case 2i: {"), "{w}");
    assert!(w.contains("default: {}"), "{w}");
    // `default` among other labels, in a loop with `continue`.
    let t = body(
        "ret = 0; for (int i = 0; i < 4; i++) {
             switch (i) { case 1: continue; case 5: default: ret += 0.1; } }",
    );
    assert!(
        t.source_wgsl.contains("case 5i, default: {"),
        "{}",
        t.source_wgsl
    );
    assert_eq!(t.source_wgsl.matches("default").count(), 1);
    // fxc lets only empty cases fall through; labels are integer literals.
    let e =
        fails("shader_body { int k = 1; switch (k) { case 0: ret = 1; case 1: ret = 2; break; } }");
    assert!(e.message.contains("falling through"), "{e}");
    let e = fails("shader_body { int k = 1; switch (k) { case 1: break; case 1: break; } }");
    assert!(e.message.contains("a second `case 1`"), "{e}");
    let e = fails("shader_body { int k = 1; switch (k) { case k: break; } }");
    assert_eq!(e.kind, ErrorKind::Unsupported, "{e}");
}

#[test]
fn template_types_and_typedefs_name_built_in_types() {
    let t = ok("typedef float2 coord, point2;
                typedef vector<half, 3> colour;
                shader_body { coord a = uv; point2 b = a; colour c = float3(b, 1);
                matrix<float, 2, 3> m = 0; vector v = float4(c, 1); matrix n = 1;
                ret = c + mul(a, m) + v.xyz + n[3].xyz; }");
    let w = &t.source_wgsl;
    assert!(w.contains("var v_a: vec2<f32>"), "{w}");
    assert!(w.contains("var v_c: vec3<f32>"), "{w}");
    assert!(w.contains("var v_m: mat2x3<f32>"), "{w}");
    assert!(w.contains("var v_n: mat4x4<f32>"), "{w}");
    assert!(
        fails("typedef float2 shader_body { ret = 0; }")
            .message
            .contains("typedef")
    );
    assert!(
        fails("shader_body { vector<float, 5> v; }")
            .message
            .contains("vector<")
    );
}

#[test]
fn parameters_with_default_values_may_be_left_out() {
    let t = ok(
        "float f(float x, float y = 2, float z = 0.5) { return x * y + z; }
                shader_body { ret = f(uv.x) + f(uv.x, 1) + f(uv.x, 1, 0); }",
    );
    let w = &t.source_wgsl;
    assert!(w.contains("f_f(v_uv.x, f32(2i), 0.5f)"), "{w}");
    assert!(w.contains("f_f(v_uv.x, f32(1i), 0.5f)"), "{w}");
    assert!(w.contains("f_f(v_uv.x, f32(1i), f32(0i))"), "{w}");
    assert!(
        fails("float f(float x, float y = 2) { return x; } shader_body { ret = f(); }")
            .message
            .contains("no `f` takes 0 arguments")
    );
}

#[test]
fn shader_model_3_intrinsics_without_a_wgsl_twin() {
    let t = body(
        "float e; float m = frexp(uv.x, e); float4 l = lit(uv.x, uv.y, 8); \
         float4 d = dst(l, l); int4 b = D3DCOLORtoUBYTE4(l); \
         ret = float3(isnan(m), isinf(uv).x, isfinite(e)) + d.xyz + b.xyz;",
    );
    let w = &t.source_wgsl;
    // NaN and infinity by their bits: WGSL may fold `x != x` away.
    assert!(w.contains("& 0x7fffffffu) > 0x7f800000u)"), "{w}");
    assert!(w.contains("bitcast<vec2<u32>>"), "{w}");
    assert!(w.contains(".zyxw * 255.001953f"), "{w}");
}

#[test]
fn smoothstep_and_clamp_are_written_out_for_edges_in_either_order() {
    // SPIR-V's SmoothStep and FClamp leave reversed edges undefined; HLSL
    // defines them (fxc writes the formula, and max then min).
    let t = body("ret = float3(smoothstep(1, 0, uv.x), clamp(uv.y, 0.8, 0.2), 0);");
    let w = &t.source_wgsl;
    let line = w.lines().find(|l| l.contains("v_ret = ")).expect("ret set");
    assert!(
        !line.contains("smoothstep(") && !line.contains("clamp("),
        "{w}"
    );
    assert!(
        w.contains("= saturate((v_uv.x - f32(1i)) / (f32(0i) - f32(1i)));"),
        "{w}"
    );
    assert!(line.contains("min(max(v_uv.y, 0.8f), 0.2f)"), "{w}");
}

#[test]
fn a_scalar_fills_a_matrix_and_a_2x2_matrix_is_a_float4() {
    let t = body("float3x3 m = 0; float2x2 n = 0.5; float4 v = n; ret = m[1] + v.xyz;");
    let w = &t.source_wgsl;
    assert!(w.contains("mat3x3<f32>(vec3<f32>("), "{w}");
    assert!(w.contains("vec4<f32>((v_n)[0], (v_n)[1])"), "{w}");
}

#[test]
fn discards_are_found_wherever_they_are() {
    assert!(!body("ret = tex2D(sampler_main, uv).xyz;").discards());
    assert!(body("if (rad > 0.4) discard; ret = 1;").discards());
    assert!(body("for (int i = 0; i < 3; i++) { if (i == 2) { clip(uv.x - 0.5); } }").discards());
    assert!(body("clip(float3(uv, 1) - 0.5); ret = 1;").discards());
    assert!(
        ok("float3 f(float x) { if (x < 0) discard; return x; } shader_body { ret = f(uv.x); }")
            .discards()
    );
}

#[test]
fn reading_rad_ang_or_hue_shader_is_found() {
    let reads = |b: &str| -> bool {
        match translate_str(&format!("shader_body {{ {b} }}"), Stage::Comp) {
            Ok(t) => t.layout.reads_grid_values,
            Err(e) => panic!("{b}\n-> {e}"),
        }
    };
    assert!(!reads("ret = tex2D(sampler_main, uv).xyz;"));
    assert!(!reads("ret = GetBlur1(uv_orig) * texsize.x + time;"));
    assert!(reads("ret = hue_shader;"));
    assert!(reads("ret = tex2D(sampler_main, uv).xyz * rad;"));
    assert!(reads("float2 p = float2(cos(ang), sin(ang)); ret = p.x;"));
    // Locals and parameters of the same name are not the inputs.
    assert!(!reads("{ float ang = uv.x; ret = ang; }"));
    assert!(
        !translate_str(
            "float f(float rad) { return rad * 2; } shader_body { ret = f(uv.x); }",
            Stage::Comp
        )
        .expect("translates")
        .layout
        .reads_grid_values
    );
}

#[test]
fn every_loop_takes_its_iterations_from_one_budget() {
    // Endless loops in an untrusted shader must not hang the GPU: each
    // iteration of any loop takes one from a per-run budget (what it
    // counts is tested on the GPU in milk-engine's
    // `every_loop_of_a_shader_run_shares_one_iteration_budget`).
    let t = body("while (1) { ret += 0.001; } for (;;) {} do { ret -= 1; } while (true);");
    let budget = format!(
        "var<private> loop_budget: u32 = {}u;",
        milk_hlsl::translate::MAX_LOOP_ITERATIONS
    );
    assert_eq!(
        t.source_wgsl.matches(&budget).count(),
        1,
        "{}",
        t.source_wgsl
    );
    let takes = "if loop_budget == 0u { break; } loop_budget -= 1u;";
    assert_eq!(t.source_wgsl.matches(takes).count(), 3, "{}", t.source_wgsl);
    // A shader without loops has no budget.
    assert!(!body("ret = 1;").source_wgsl.contains("loop_budget"));
}

#[test]
fn compound_assignment_and_increments() {
    body(
        "float x = 1; x += 2; x -= 1; x *= 3; x /= 2; int i = 5; i %= 3; i *= 2; i++; --i; ret = x + i++;",
    );
    body("float a, b; a = b = 2; ret = a + b;");
}

#[test]
fn functions_with_out_parameters() {
    ok("void f(out float2 a, inout float b) { a = 1; b += 1; }\n\
        float3 g(float3 c) { c *= 2; return c; }\n\
        shader_body { float2 p; float q = 1; f(p, q); f(ret.xy, ret.z); ret = g(ret) + p.x + q; }");
}

#[test]
fn overloads_pick_by_type() {
    ok(
        "float h(float x) { return x; } float2 h(float2 x) { return x; }\nshader_body { ret.xy = h(uv); ret.z = h(1.0); }",
    );
}

#[test]
fn globals_static_const_and_arrays() {
    ok(
        "static const float k[3] = {1, 2, 3};\nfloat g = 2;\nfloat4 flat[2] = {1,2,3,4, 5,6,7,8};\n\
        shader_body { for (int i = 0; i < 3; i++) ret += k[i] * g; ret += flat[1].xyz; g = 3; }",
    );
}

#[test]
fn structs() {
    ok(
        "struct P { float2 pos; float r; };\nfloat f(P p) { return p.r; }\n\
        shader_body { P p; p.pos = uv; p.r = rad; ret = f(p) + p.pos.x; }",
    );
}

#[test]
fn defines() {
    ok(
        "#define A 2\n#define SQ(x) ((x)*(x))\n#if 0\nthis is not compiled\n#endif\nshader_body { ret = SQ(uv.x + A); }",
    );
}

#[test]
fn intrinsics() {
    body(
        "float2 v = uv; float a = atan2(v.y, v.x) + length(v) + distance(v, 0) + dot(v, v);\n\
         ret = saturate(frac(ret) + fmod(ret, 0.3) + pow(ret, 2) + sqrt(abs(ret)) + rsqrt(1 + ret));\n\
         ret += step(0.5, ret) + smoothstep(0, 1, ret) + clamp(ret, 0, 1) + exp(ret) + exp2(ret) + log(1 + ret) + log2(2 + ret);\n\
         ret += sin(a) + cos(a) + tan(a) + asin(0.5) + acos(0.5) + atan(a) + sinh(a) + cosh(a) + tanh(a);\n\
         ret += floor(ret) + ceil(ret) + round(ret) + trunc(ret) + sign(ret) + min(ret, 1) + max(ret, 0);\n\
         ret += normalize(ret) + cross(ret, float3(0,0,1)) + reflect(ret, float3(0,1,0)) + degrees(a) + radians(a);\n\
         ret += ddx(uv.x) + ddy(uv.y) + any(ret) + all(ret) + lerp(0, 1, 0.5);\n\
         float2x2 m = float2x2(1,2,3,4); ret += determinant(m) + transpose(m)[0].x;\n\
         float ip; ret += modf(2.5, ip) + ip; float s, c; sincos(a, s, c); ret += s + c;",
    );
}

#[test]
fn mul_follows_hlsl_order() {
    let t = body(
        "float2x2 m = float2x2(1,2,3,4); float2 a = mul(uv, m); float2 b = mul(m, uv); float2x2 p = mul(m, m);",
    );
    assert!(t.source_wgsl.contains("(v_m * v_uv)"), "{}", t.source_wgsl);
    assert!(t.source_wgsl.contains("(v_uv * v_m)"));
    // A shorter vector truncates the matrix.
    body("float3 r = mul(uv, rot_d2); float4x3 m = rot_s1; float3 s = mul(float4(ret, 1), m);");
}

#[test]
fn milkdrop_environment() {
    let t = ok(
        "shader_body { ret = GetPixel(uv) + GetBlur1(uv) + GetBlur2(uv_orig) + GetBlur3(uv) * lum(ret)\n\
                + q1 + q32 + time + fps + frame + progress + bass + mid + treb + bass_att + mid_att + treb_att\n\
                + aspect.x + texsize.z + rand_frame.x + rand_preset.y + roam_cos.x + slow_roam_sin.w\n\
                + blur1_min + blur3_max + _qc.x + rad + ang + M_PI; }",
    );
    let names: Vec<&str> = t
        .layout
        .textures
        .iter()
        .map(|b| b.sampler_name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "sampler_main",
            "sampler_blur1",
            "sampler_blur2",
            "sampler_blur3"
        ]
    );
    assert_eq!(t.layout.textures[1].wrap, Wrap::Clamp);
    assert_eq!(t.layout.textures[3].texture_binding, 8);
    assert_eq!(t.layout.textures[3].sampler_binding, 9);
}

#[test]
fn comp_has_hue_shader_warp_does_not() {
    translate_str("shader_body { ret = hue_shader; }", Stage::Comp).unwrap();
    assert!(translate_str("shader_body { ret = hue_shader; }", Stage::Warp).is_err());
}

#[test]
fn samplers_and_texsizes() {
    let t = ok(
        "sampler sampler_clouds;\nsampler2D sampler_pc_main : register(s1) = sampler_state { Filter = POINT; };\n\
                float4 texsize_clouds;\n\
                shader_body { ret = tex2D(sampler_clouds, uv * texsize_clouds.xy).xyz + tex2D(sampler_pc_main, uv).xyz\n\
                + tex3D(sampler_noisevol_hq, ret).xyz + tex2D(sampler_noise_lq, uv).x * texsize_noise_lq.z; }",
    );
    assert_eq!(t.layout.texsizes, ["clouds", "noise_lq"]);
    assert_eq!(
        t.layout.textures[0].source,
        TextureSource::User("clouds".into())
    );
    assert_eq!(t.layout.textures[1].filter, Filter::Point);
    assert_eq!(t.layout.textures[1].source, TextureSource::Main);
    assert_eq!(t.layout.textures[2].source, TextureSource::NoiseVolHq);
    // Undeclared user textures are an error, as in MilkDrop.
    assert!(
        translate_str(
            "shader_body { ret = tex2D(sampler_foo, uv).xyz; }",
            Stage::Warp
        )
        .is_err()
    );
}

#[test]
fn writing_uniforms_uses_private_copies() {
    let t = body("q1 = 2; texsize.x = 3; ret = q1 + texsize.x + q2;");
    assert!(
        t.source_wgsl.contains("w__qa = U._qa;"),
        "{}",
        t.source_wgsl
    );
}

#[test]
fn text_after_the_body_is_ignored() {
    ok("shader_body { ret = 1; }\nwritten by someone\nEND");
}

#[test]
fn errors_carry_line_and_column() {
    let e = fails("shader_body {\n  ret = 1;\n  ret = foo(uv);\n}");
    assert_eq!((e.line, e.col), (3, 9));
    assert_eq!(e.kind, ErrorKind::Type);
    assert!(e.message.contains("foo"), "{}", e.message);
    let e = fails("shader_body {\n ret = 1 +;\n}");
    assert_eq!((e.line, e.kind), (2, ErrorKind::Syntax));
    let e = fails("float x;");
    assert!(e.message.contains("shader_body"));
}

#[test]
fn errors_map_to_preset_file_positions() {
    let preset = "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\nwarp_1=`shader_body {\nwarp_2=`  ret = nope;\nwarp_3=`}\n";
    let p = milk_parser::Preset::parse(preset).unwrap();
    let e = milk_hlsl::translate(p.warp_shader.as_ref().unwrap(), Stage::Warp).unwrap_err();
    assert_eq!((e.line, e.col), (6, 17), "{e}");
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    for src in [
        "",
        "shader_body",
        "shader_body {",
        "}{",
        "#define A A A\nshader_body { A }",
        "shader_body { ret = ((((((; }",
        "#define X(a) X(a) X(a)\nshader_body { X(1); }",
        "shader_body { float a[0]; }",
        "shader_body { ret = 1/0; }",
        "\u{1F600}",
    ] {
        let _ = translate_str(src, Stage::Warp);
        let _ = translate_str(src, Stage::Comp);
    }
}

#[test]
fn deep_nesting_is_rejected() {
    let deep = format!(
        "shader_body {{ ret = {}1{}; }}",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    assert_eq!(fails(&deep).kind, ErrorKind::Syntax);
    let long = format!("shader_body {{ ret = 1{}; }}", "+1".repeat(100_000));
    assert_eq!(fails(&long).kind, ErrorKind::Syntax);
    body(&format!(
        "ret = 1{};",
        "+(1*(uv.x-(2/(1+uv.y))))".repeat(80)
    ));
    let ok_depth = format!(
        "shader_body {{ ret = {}1{}; }}",
        "(".repeat(60),
        ")".repeat(60)
    );
    body(&ok_depth[13..ok_depth.len() - 2]);
    let _ = translate_str(
        &format!("#if {}\nshader_body {{}}", "(".repeat(100_000)),
        Stage::Warp,
    );
}

#[test]
fn uniform_layout_matches_naga() {
    let t = body("ret = q1;");
    let m = &t.module;
    let mut layouter = naga::proc::Layouter::default();
    layouter.update(m.to_ctx()).unwrap();
    let (h, ty) = m
        .types
        .iter()
        .find(|(_, t)| t.name.as_deref() == Some("MilkUniforms"))
        .unwrap();
    assert_eq!(layouter[h].size as usize, milk_hlsl::MilkUniforms::SIZE);
    let naga::TypeInner::Struct { members, .. } = &ty.inner else {
        panic!()
    };
    let off = |n: &str| {
        members
            .iter()
            .find(|m| m.name.as_deref() == Some(n))
            .unwrap()
            .offset
    };
    assert_eq!(off("_qa"), 14 * 16);
    assert_eq!(off("rand_frame"), 22 * 16);
    assert_eq!(off("rot_s1"), 24 * 16);
    assert_eq!(off("rot_rand4"), 24 * 16 + 23 * 64);
}

#[test]
fn pow_follows_direct3d9() {
    // D3D9's pow is |x|^y; literal exponents 0 and 1 fold (x^0 = 1, x^1 = x).
    let t = body(
        "float z = uv.x - 1; ret = float3(pow(z, 0), pow(z, 1.0), pow(z, 2.5)); ret.xy = pow(uv, 0);",
    );
    let w = &t.source_wgsl;
    assert!(w.contains("f32(1.0)"), "{w}");
    assert!(w.contains("vec2<f32>(1.0)"), "{w}");
    assert!(w.contains("pow(abs("), "{w}");
    assert!(!w.contains("pow(v_z, 1"), "{w}");
    // 1/2 and whole exponents up to 8: a square root, or multiplications
    // of |x| (binary powers) in a helper per exponent and type.
    let t =
        body("float3 c = uv.xyx - 0.5; ret = pow(c, 0.5) + pow(c.x, 3) + pow(c, 8.0) + pow(c, 9);");
    let w = &t.source_wgsl;
    assert!(w.contains("sqrt(abs(v_c))"), "{w}");
    assert!(w.contains("fn d3d9_pow3(x: f32) -> f32 {"), "{w}");
    assert!(w.contains("return p1 * p2;"), "{w}");
    assert!(
        w.contains("fn d3d9_pow8_3(x: vec3<f32>) -> vec3<f32> {"),
        "{w}"
    );
    assert!(w.contains("return p8;"), "{w}");
    assert!(w.contains("pow(abs(v_c), vec3<f32>(f32(9i)))"), "{w}");
    // Vectors of literals: one exponent a component (or all alike: as one).
    let t = body(
        "float3 c = uv.xyx - 0.5; ret = pow(c, float3(0.5, 0.8, 4)) + pow(c, float3(2, 2, 2));",
    );
    let w = &t.source_wgsl;
    assert!(
        w.contains("return vec3<f32>(sqrt(a.x), pow(a.y, 0.8f), d3d9_pow4(a.z));"),
        "{w}"
    );
    assert!(w.contains("d3d9_pow2_3(v_c)"), "{w}");
}

/// `src` translated as a composite shader with `options`, as WGSL text.
fn comp_wgsl_with(src: &str, options: milk_hlsl::Options) -> String {
    let block = milk_parser::preset::CodeBlock::from_text(src);
    milk_hlsl::translate_with(&block, Stage::Comp, &options)
        .expect("translates")
        .source_wgsl
}

/// `src` as a composite shader, with butterchurn's NaN or Direct3D 9's math.
fn comp_wgsl_with_nan(src: &str, butterchurn_nan: bool) -> String {
    comp_wgsl_with(
        src,
        milk_hlsl::Options {
            butterchurn_nan,
            ..milk_hlsl::Options::default()
        },
    )
}

#[test]
fn float_remainders_truncate_as_hlsl_or_floor_as_butterchurns_glsl() {
    let src = "shader_body { float m = uv.x * 8 - 5; int k = 7; \
               float2 v = uv; v %= 0.25; ret = float3(m % 2.0, (k % 3) + v.x, fmod(m, 2.0)); }";
    let read = |butterchurn_mod| {
        comp_wgsl_with(
            src,
            milk_hlsl::Options {
                butterchurn_mod,
                ..milk_hlsl::Options::default()
            },
        )
    };
    // HLSL's float % truncates (-3 % 2 is -1), as WGSL's.
    let hlsl = read(false);
    assert!(hlsl.contains("(v_m % 2.0f)"), "{hlsl}");
    assert!(!hlsl.contains("floor("), "{hlsl}");
    // butterchurn's GLSL mod floors (-3 % 2 is 1); integer % and fmod keep
    // truncating.
    let glsl = read(true);
    assert!(glsl.contains("(v_m - 2.0f * floor(v_m / 2.0f))"), "{glsl}");
    assert!(glsl.contains("floor(v_v / vec2"), "{glsl}");
    assert!(glsl.contains("(v_k % 3i)"), "{glsl}");
    assert_eq!(glsl.matches("floor(").count(), 2, "{glsl}");
}

#[test]
fn square_roots_and_logs_take_the_absolute_value_as_direct3d9() {
    let src = "shader_body { float z = uv.x - 1; \
               ret = float3(sqrt(z), rsqrt(z) + log(z), log2(z) + log10(z)); }";
    let read = |butterchurn_nan| comp_wgsl_with_nan(src, butterchurn_nan);
    let d3d9 = read(false);
    for f in ["sqrt", "inverseSqrt", "log", "log2"] {
        assert!(d3d9.contains(&format!("{f}(abs(")), "{f}: {d3d9}");
    }
    // log(0) is -FLT_MAX, not -infinity.
    assert!(d3d9.contains("max(log(abs("), "{d3d9}");
    let glsl = read(true);
    assert!(!glsl.contains("(abs("), "{glsl}");
}

#[test]
fn butterchurn_pow_and_logs_read_a_log2_of_zero_as_swiftshader_does() {
    // SwiftShader's pow (butterchurn's references) is exp2(y * log2|x|)
    // with log2(0) = -127: pow(0, 0.005) is 0.64 there, 0 in Direct3D 9.
    let src = "shader_body { float z = uv.x; float3 v = GetPixel(uv); \
               ret = float3(pow(z, 0.005), pow(v, q1).y, pow(z, 2) + pow(z, 0)); }";
    let d3d9 = comp_wgsl_with_nan(src, false);
    assert!(!d3d9.contains("-127"), "{d3d9}");
    let glsl = comp_wgsl_with_nan(src, true);
    assert_eq!(glsl.matches("max(log2(abs(").count(), 2, "{glsl}");
    assert!(glsl.contains("f32(-127.0)"), "{glsl}");
    assert!(glsl.contains("vec3<f32>(-127.0)"), "{glsl}");
    // Whole and zero exponents stay as they were (SwiftShader's 2^-254
    // and 1 are what they give).
    assert!(!glsl.contains("pow("), "{glsl}");
    // Its logs of 0 are finite too: log2(0) is -127.
    let logs = "shader_body { float z = uv.x; ret = float3(log2(z), log(z), log10(z)); }";
    let glsl = comp_wgsl_with_nan(logs, true);
    assert_eq!(glsl.matches("== f32(0.0f))").count(), 3, "{glsl}");
    assert!(glsl.contains("f32(-127.0f)"), "{glsl}");
    assert!(!comp_wgsl_with_nan(logs, false).contains("-127"));
}

#[test]
fn arc_cosines_and_sines_use_fxc_expansion_finite_outside_minus_one_to_one() {
    let src = "shader_body { float2 z = uv * 3 - 1; \
               ret = float3(acos(z.x), asin(z).y, acos(float3(z, 0)).z); }";
    let read = |butterchurn_nan| comp_wgsl_with_nan(src, butterchurn_nan);
    let d3d9 = read(false);
    // One helper per type used, each emitted once.
    for helper in [
        "fn d3d9_acos(x: f32)",
        "fn d3d9_acos2(x: vec2<f32>)",
        "fn d3d9_acos3(x: vec3<f32>)",
    ] {
        assert_eq!(d3d9.matches(helper).count(), 1, "{helper}: {d3d9}");
    }
    assert!(d3d9.contains("sqrt(abs(1.0f - a))"), "{d3d9}");
    assert!(d3d9.contains("(1.57079637f - d3d9_acos2("), "{d3d9}");
    assert!(
        !d3d9.contains("acos(z") && !d3d9.contains(" asin("),
        "{d3d9}"
    );
    let glsl = read(true);
    assert!(
        !glsl.contains("d3d9_acos") && glsl.contains("asin("),
        "{glsl}"
    );
}

#[test]
fn noise_textures_sample_with_their_mips_render_targets_at_level_0() {
    // Branches and loops around the samples, as Direct3D 9 allows: the
    // uniformity diagnostic is off, so browsers' WebGPU takes it too.
    let t = body(
        "float3 a = 0;
         if (uv.x > 0.5) a = tex2D(sampler_noise_hq, uv * 16).xyz;
         for (int i = 0; i < 3; i++) a += tex3D(sampler_noisevol_lq, float3(uv, i)).xyz;
         a += tex2D(sampler_pw_noise_lq, uv).xyz + tex2Dlod(sampler_noise_mq, float4(uv, 0, 2)).xyz;
         ret = a + tex2D(sampler_main, uv).xyz + GetBlur1(uv);",
    );
    let w = &t.source_wgsl;
    assert!(
        w.starts_with("diagnostic(off, derivative_uniformity);"),
        "{w}"
    );
    assert!(
        w.contains("textureSample(tex_noise_hq, samp_noise_hq,"),
        "{w}"
    );
    assert!(
        w.contains("textureSample(tex_noisevol_lq, samp_noisevol_lq,"),
        "{w}"
    );
    assert!(
        w.contains("textureSample(tex_pw_noise_lq, samp_pw_noise_lq,"),
        "{w}"
    );
    // An explicit level stays explicit; render targets have one level.
    assert!(
        w.contains("textureSampleLevel(tex_noise_mq, samp_noise_mq,"),
        "{w}"
    );
    assert!(w.contains("textureSampleLevel(tex_main, samp_main,"), "{w}");
    assert!(
        w.contains("textureSampleLevel(tex_blur1, samp_blur1,"),
        "{w}"
    );
}

#[test]
fn bias_moves_the_implicit_level_of_textures_with_mips() {
    // Direct3D's texldb: the level from the derivatives plus w. User
    // textures have mips too (MilkDrop 2 loads them with a full chain);
    // the frame has one level, read whatever the bias.
    let t = ok("sampler sampler_clouds;
         shader_body {
             ret = tex2Dbias(sampler_noise_hq, float4(uv, 0, -0.5)).xyz
                 + tex2Dbias(sampler_clouds, float4(uv, 0, 1)).xyz
                 + tex3Dbias(sampler_noisevol_hq, float4(uv, 0.5, 2)).xyz
                 + tex2Dbias(sampler_main, float4(uv, 0, -0.5)).xyz;
         }");
    let w = &t.source_wgsl;
    for texture in ["noise_hq", "clouds", "noisevol_hq"] {
        assert!(
            w.contains(&format!("textureSampleBias(tex_{texture}, samp_{texture},")),
            "{texture}: {w}"
        );
    }
    assert!(w.contains(", -16.0f, 15.99f))"), "{w}");
    assert!(w.contains("textureSampleLevel(tex_main, samp_main,"), "{w}");
}

#[test]
fn butterchurns_reading_transposes_square_matrices_built_from_vectors() {
    let src = "shader_body { float2x2 m = float2x2(float4(0.2, 0.8, 0.4, 0.6)); \
               float2x2 s = float2x2(0.2, 0.8, 0.4, 0.6); \
               float3x2 n = float3x2(float2(1, 2), float2(3, 4), float2(5, 6)); \
               ret = float3(mul(float2(1, 0), m) + mul(float2(1, 0), s), n._m00); }";
    let read = |butterchurn_matrices| {
        comp_wgsl_with(
            src,
            milk_hlsl::Options {
                butterchurn_matrices,
                ..milk_hlsl::Options::default()
            },
        )
    };
    let hlsl = read(false);
    assert!(!hlsl.contains("transpose("), "{hlsl}");
    let butterchurn = read(true);
    // The 2x2 from a vector only: scalars are reordered right by
    // butterchurn's converter, and a non-square matrix keeps its shape.
    assert_eq!(
        butterchurn.matches("transpose(").count(),
        1,
        "{butterchurn}"
    );
}

#[test]
fn the_shader_ends_at_the_last_closing_brace_as_in_milkdrop_2() {
    // Text after the body's closing brace is never compiled...
    ok("shader_body { ret = GetPixel(uv); }\nwritten by martin END");
    ok("shader_body { ret = GetPixel(uv); }\n// a comment }\n");
    // ...but a `}` after it leaves code outside the function: MilkDrop 2
    // closes the shader at the last `}` of the text, and fxc fails.
    let e = fails(
        "shader_body {\n// for (int i = 0; i < 4; i++) {\n float2 d = 0; }\n ret = GetPixel(uv + d);\n}",
    );
    assert_eq!(e.kind, ErrorKind::Syntax, "{e}");
    assert!(e.message.contains("last `}`"), "{e}");
}

#[test]
fn declared_samplers_are_named_as_milkdrop_2_binds_them() {
    // `CacheParams` takes a declared sampler's whole name where it lacks the
    // `sampler_` prefix, and peels off any two characters and `_`.
    let t = ok(
        "#define base01 main\nsampler base01;\nsampler pw_clouds;\nsampler sampler_xy_noise_hq;\n\
                shader_body { ret = tex2D(base01, uv).xyz + tex2D(pw_clouds, uv).xyz\n\
                + tex2D(sampler_xy_noise_hq, uv).xyz; }",
    );
    let bound: Vec<_> = t
        .layout
        .textures
        .iter()
        .map(|b| (b.sampler_name.as_str(), b.source.clone(), b.filter, b.wrap))
        .collect();
    assert_eq!(
        bound,
        [
            ("main", TextureSource::Main, Filter::Linear, Wrap::Repeat),
            (
                "pw_clouds",
                TextureSource::User("clouds".into()),
                Filter::Point,
                Wrap::Repeat
            ),
            (
                "sampler_xy_noise_hq",
                TextureSource::NoiseHq,
                Filter::Linear,
                Wrap::Repeat
            ),
        ]
    );
    // Both spellings of one texture in one shader are two bindings.
    ok("sampler main;\nshader_body { ret = tex2D(main, uv).xyz + tex2D(sampler_main, uv).xyz; }");
    // An undeclared name still needs the prefix.
    assert!(translate_str("shader_body { ret = tex2D(main, uv).xyz; }", Stage::Warp).is_err());
}

/// Products and quotients go through Direct3D 9's multiply (0 times
/// anything is 0) unless a factor or the divisor is a non-zero literal, or
/// a vector of them, where IEEE arithmetic agrees; integers never do.
#[test]
fn products_take_direct3d_9s_multiply_unless_a_literal_settles_it() {
    let helpers = |src: &str| -> Vec<String> {
        let w = body(src).source_wgsl;
        ["d3d9_mul(", "d3d9_mul3(", "d3d9_div(", "d3d9_div3("]
            .iter()
            .filter(|h| w.contains(*h))
            .map(|h| h.trim_end_matches('(').to_string())
            .collect()
    };
    assert_eq!(
        helpers("ret = uv.xyy * float3(0.4, 0.6, 1) / 2;"),
        Vec::<String>::new()
    );
    assert_eq!(
        helpers("ret = 0.5 * uv.xyy; ret *= 3;"),
        Vec::<String>::new()
    );
    assert_eq!(helpers("ret = uv.xyy * float3(0.4, 0, 1);"), ["d3d9_mul3"]);
    assert_eq!(helpers("ret = uv.x * uv.y;"), ["d3d9_mul"]);
    assert_eq!(helpers("ret = 1 / uv.xyy;"), ["d3d9_div3"]);
    assert_eq!(helpers("float q = q1; q /= uv.x; ret = q;"), ["d3d9_div"]);
    assert_eq!(
        helpers("int i = 3; int j = i * i / i; ret = j;"),
        Vec::<String>::new()
    );
}

/// fxc writes `a % b` as `frc(|a / b|)` signed as `a`, times `b`, and
/// Direct3D 9's multiply makes that 0 when `b` is 0: the remainder by 0 is
/// 0 in MilkDrop 2, NaN (a black pixel) with WGSL's `%`.
#[test]
fn remainders_by_zero_are_zero_as_in_direct3d_9() {
    let w = body("ret = uv.x % q1; ret.yz = uv % q2; ret.x %= q3;").source_wgsl;
    assert!(w.contains("d3d9_rem("), "{w}");
    assert!(w.contains("d3d9_rem2("), "{w}");
    let helper = w
        .split("fn d3d9_rem(")
        .nth(1)
        .and_then(|h| h.split('}').next())
        .unwrap_or_default();
    assert!(helper.contains("b == 0.0f"), "{helper}");
    // A divisor that is a non-zero literal keeps WGSL's `%`, and so do
    // integers and butterchurn's floored `mod`.
    let plain = body("int i = 7; ret = uv.x % 0.25 + uv.yxy % float3(1, 2, 3) + i % 3;");
    assert!(
        !plain.source_wgsl.contains("d3d9_rem"),
        "{}",
        plain.source_wgsl
    );
    let options = milk_hlsl::Options {
        butterchurn_nan: true,
        ..Default::default()
    };
    let block = milk_parser::preset::CodeBlock::from_text("shader_body { ret = uv.x % q1; }");
    let ieee = milk_hlsl::translate_with(&block, Stage::Warp, &options).unwrap();
    assert!(
        !ieee.source_wgsl.contains("d3d9_rem"),
        "{}",
        ieee.source_wgsl
    );
}

/// butterchurn's NaN reads a texture at 0 for a NaN coordinate, as
/// SwiftShader does; MilkDrop 2's reading takes the coordinate as it is.
#[test]
fn butterchurns_nan_sanitises_texture_coordinates() {
    let src = "shader_body { ret = tex2D(sampler_noise_lq, uv).xyz + tex3D(sampler_noisevol_lq, uv.xyx).x \
               + GetBlur1(uv); }";
    let block = milk_parser::preset::CodeBlock::from_text(src);
    let options = milk_hlsl::Options {
        butterchurn_nan: true,
        ..Default::default()
    };
    let ieee = milk_hlsl::translate_with(&block, Stage::Warp, &options)
        .unwrap()
        .source_wgsl;
    for helper in ["bc_nan_coord2(", "bc_nan_coord3("] {
        assert!(ieee.contains(helper), "{helper}: {ieee}");
    }
    assert!(!ok(src).source_wgsl.contains("bc_nan_coord"));
}

/// butterchurn's anisotropic filtering: filtered 2D reads of mipmapped
/// textures (noise, user images) take the level of the read's shorter
/// side; point samplers, the frame, the blur levels, 3D textures and reads
/// at a given level keep their read.
#[test]
fn butterchurns_anisotropic_reads_take_the_level_of_the_shorter_side() {
    let src = "sampler sampler_clouds2; shader_body { \
               ret = tex2D(sampler_noise_lq, uv).xyz + tex2D(sampler_clouds2, uv * 3).xyz \
               + tex2D(sampler_pw_noise_lq, uv).xyz + tex3D(sampler_noisevol_lq, uv.xyx).xyz \
               + tex2D(sampler_main, uv).xyz + GetBlur1(uv) \
               + tex2Dlod(sampler_noise_mq, float4(uv, 0, 2)).xyz; }";
    let block = milk_parser::preset::CodeBlock::from_text(src);
    let options = milk_hlsl::Options {
        butterchurn_anisotropic: true,
        ..Default::default()
    };
    let wgsl = milk_hlsl::translate_with(&block, Stage::Warp, &options)
        .unwrap()
        .source_wgsl;
    assert_eq!(wgsl.matches("bc_aniso_sample(").count(), 3, "{wgsl}");
    let helper = wgsl.split("fn bc_aniso_sample(").nth(1).unwrap_or_default();
    assert!(helper.contains("textureSampleGrad("), "{helper}");
    assert!(!ok(src).source_wgsl.contains("bc_aniso_sample"));
}

/// butterchurn's mipmapped frame: `tex2D` and `GetPixel` of the frame take
/// the level from the derivatives (plainly, not anisotropically: its frame
/// samplers set no anisotropy), with every prefix; the blur levels and
/// reads at a given level keep level 0. Without the option the frame has
/// one level, read at level 0.
#[test]
fn butterchurns_frame_reads_take_the_implicit_level() {
    let src = "shader_body { \
               ret = tex2D(sampler_main, uv).xyz + tex2D(sampler_fc_main, uv).xyz \
               + tex2D(sampler_pw_main, uv).xyz + GetPixel(uv) + GetBlur1(uv) \
               + tex2Dlod(sampler_main, float4(uv, 0, 2)).xyz; }";
    let block = milk_parser::preset::CodeBlock::from_text(src);
    let options = milk_hlsl::Options {
        butterchurn_mipmaps: true,
        butterchurn_anisotropic: true,
        ..Default::default()
    };
    let wgsl = milk_hlsl::translate_with(&block, Stage::Warp, &options)
        .unwrap()
        .source_wgsl;
    assert_eq!(wgsl.matches("textureSample(").count(), 4, "{wgsl}");
    assert!(!wgsl.contains("bc_aniso_sample("), "{wgsl}");
    let plain = ok(src).source_wgsl;
    assert_eq!(plain.matches("textureSample(").count(), 0, "{plain}");
}

/// A computed exponent takes Direct3D 9's pow (`y == 0` or `|x| == 1`
/// gives 1); a literal one keeps its square root or multiplications.
#[test]
fn computed_powers_take_direct3d_9s_pow() {
    let w = body("ret = pow(uv.x, q1) + pow(uv.xyx, q2.xxx).y + pow(uv.y, 3);").source_wgsl;
    for helper in ["d3d9_powf(", "d3d9_powf3("] {
        assert!(w.contains(helper), "{helper}: {w}");
    }
    let helper = w.split("fn d3d9_powf(").nth(1).unwrap_or_default();
    assert!(helper.contains("y == 0.0f"), "{helper}");
    assert!(
        !body("ret = pow(uv.x, 2.5) + pow(uv.y, 0.5);")
            .source_wgsl
            .contains("d3d9_powf")
    );
}

/// fxc refuses `&`, `|`, `^`, `~`, `<<` and `>>` for shader models 2 and
/// 3 (error X3535), so MilkDrop 2 draws its fallback shader; Kefir's
/// translation fails as fxc's compile does, naming the place.
#[test]
fn bitwise_operators_fail_as_fxc_fails_them_for_shader_model_3() {
    for src in [
        "int i = 6; ret = i & 3;",
        "int i = 6; ret = i | 1;",
        "int i = 6; ret = i ^ 5;",
        "int i = 6; ret = ~i;",
        "int i = 6; ret = i << 2;",
        "int i = 6; ret = i >> 1;",
        "int i = 6; i &= 3; ret = i;",
        "int i = 6; i <<= 1; ret = i;",
    ] {
        let e = fails(&format!("shader_body {{\n{src}\n}}"));
        assert_eq!((e.kind, e.line), (ErrorKind::Type, 2), "{src}: {e}");
        assert!(e.message.contains("X3535"), "{src}: {e}");
    }
    // Logical operators are not bitwise.
    body("int i = 6; ret = (i > 2 && i < 9) || uv.x > 0.5;");
}

/// Shader model 5's `mad` and fine/coarse derivatives are unknown to fxc
/// for shader models 2 and 3; a function of the shader's own with such a
/// name is called as any other.
#[test]
fn shader_model_5_intrinsics_fail_as_fxc_fails_them() {
    for call in ["mad(uv.x, 2, 1)", "ddx_fine(uv.x)", "ddy_coarse(uv.y)"] {
        let e = fails(&format!("shader_body {{\nret = {call};\n}}"));
        assert_eq!((e.kind, e.line), (ErrorKind::Type, 2), "{call}: {e}");
        assert!(e.message.contains("shader model 5"), "{call}: {e}");
    }
    ok(
        "float mad(float a, float b, float c) { return a * b + c; }\n\
        shader_body { ret = mad(uv.x, 2, 1) + ddx(uv.x); }",
    );
}
