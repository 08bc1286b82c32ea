// MilkDrop 2's blur passes (see blur.rs): per level a long horizontal pass
// (8 bilinear taps, scale and bias into the level's value range) into a
// scratch texture, then a short vertical pass (4 taps, edge darkening on
// level 1) into the level's texture.
//
// Coordinates follow what MilkDrop's full-screen quad gives each pixel under
// Direct3D 9 (see `d3d9_uv`); the one-texel offsets below are MilkDrop's and
// assume those coordinates.

struct BlurUniforms {
    // source texture: width, height, 1/width, 1/height
    src: vec4<f32>,
    // target texture: width, height, 1/width, 1/height
    dst: vec4<f32>,
    // horizontal pass: tap weights w1..w4;
    // vertical pass: weights w1, w2 and distances d1, d2 (source texels)
    taps: vec4<f32>,
    // horizontal pass: tap distances d1..d4 (source texels)
    dist: vec4<f32>,
    // horizontal pass: scale, bias, w_div, 0;
    // vertical pass: w_div, edge darkening c1, c2, c3
    params: vec4<f32>,
};

@group(0) @binding(0) var<uniform> u: BlurUniforms;
@group(0) @binding(1) var src_tex: texture_2d<f32>;
@group(0) @binding(2) var src_sampler: sampler;

// One triangle covering the target.
@vertex
fn blur_vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4<f32> {
    let p = vec2<f32>(f32((i << 1u) & 2u), f32(i & 2u));
    return vec4<f32>(p * 2.0 - 1.0, 0.0, 1.0);
}

// The texture coordinate MilkDrop's quad has at this pixel under Direct3D 9:
// pixel centres lie on integer window coordinates (so u = column / width),
// and the quad puts v = 0 at the bottom of the target and v = 1 at the top,
// so each pass flips the picture vertically (a level's two passes flip it
// back).
fn d3d9_uv(frag: vec4<f32>) -> vec2<f32> {
    let px = floor(frag.xy);
    return vec2<f32>(px.x / u.dst.x, 1.0 - px.y / u.dst.y);
}

fn tap(uv: vec2<f32>) -> vec3<f32> {
    return textureSampleLevel(src_tex, src_sampler, uv, 0.0).rgb;
}

@fragment
fn blur_h_fs(@builtin(position) frag: vec4<f32>) -> @location(0) vec4<f32> {
    // MilkDrop moves the taps' centre by one source texel right and down.
    let uv = d3d9_uv(frag) + u.src.zw;
    var blur = vec3<f32>(0.0);
    for (var k = 0; k < 4; k++) {
        let d = vec2<f32>(u.dist[k] * u.src.z, 0.0);
        blur += (tap(uv + d) + tap(uv - d)) * u.taps[k];
    }
    blur *= u.params.z;
    blur = blur * u.params.x + u.params.y;
    return vec4<f32>(blur, 1.0);
}

@fragment
fn blur_v_fs(@builtin(position) frag: vec4<f32>) -> @location(0) vec4<f32> {
    let uv = d3d9_uv(frag);
    // One source texel right, none vertically (MilkDrop's offset).
    let uv2 = uv + vec2<f32>(u.src.z, 0.0);
    let d1 = vec2<f32>(0.0, u.taps.z * u.src.w);
    let d2 = vec2<f32>(0.0, u.taps.w * u.src.w);
    var blur = (tap(uv2 + d1) + tap(uv2 - d1)) * u.taps.x
        + (tap(uv2 + d2) + tap(uv2 - d2)) * u.taps.y;
    blur *= u.params.x;
    // Edge darkening (c1 = 1, c2 = 0 turns it off).
    var t = min(min(uv.x, uv.y), 1.0 - max(uv.x, uv.y));
    t = sqrt(max(t, 0.0));
    t = u.params.y + u.params.z * saturate(t * u.params.w);
    return vec4<f32>(blur * t, 1.0);
}
