// Vertex stage shared by every translated preset shader (warp and
// composite): passes MilkDrop's per-vertex values through to the
// fragment shader milk-hlsl generated (its `FragmentInput`).

struct StageOut {
    @builtin(position) pos: vec4<f32>,
    // .xy the (warped) uv, .zw uv_orig
    @location(0) uv: vec4<f32>,
    @location(1) rad_ang: vec2<f32>,
    // .rgb the hue_shader colour
    @location(2) hue: vec4<f32>,
};

@vertex
fn stage_vs(
    @location(0) pos: vec2<f32>,
    @location(1) uv: vec4<f32>,
    @location(2) rad_ang: vec2<f32>,
    @location(3) hue: vec4<f32>,
) -> StageOut {
    var out: StageOut;
    out.pos = vec4<f32>(pos, 0.0, 1.0);
    out.uv = uv;
    out.rad_ang = rad_ang;
    out.hue = hue;
    return out;
}

// The present pass: the composite's 8-bit intermediate copied (scaled up,
// for a render scale below 1) into the target; for sRGB targets decoded so
// the display shows MilkDrop's values.
@group(0) @binding(0) var blit_tex: texture_2d<f32>;
@group(0) @binding(1) var blit_sampler: sampler;

struct BlitOut {
    @builtin(position) pos: vec4<f32>,
    @location(0) uv: vec2<f32>,
};

@vertex
fn blit_vs(@builtin(vertex_index) i: u32) -> BlitOut {
    let t = fullscreen_triangle(i);
    var out: BlitOut;
    out.pos = vec4<f32>(t[0], 0.0, 1.0);
    out.uv = t[1];
    return out;
}

@fragment
fn blit_fs(in: BlitOut) -> @location(0) vec4<f32> {
    return vec4<f32>(textureSampleLevel(blit_tex, blit_sampler, in.uv, 0.0).rgb, 1.0);
}

// One mip level from the level above it (bound as a view of that level
// alone): a bilinear read at each texel's centre, the 2x2 mean where the
// side halves evenly (WebGL's generateMipmap, for butterchurn's frame;
// how SwiftShader treats odd sides was not checked).
@fragment
fn mip_fs(in: BlitOut) -> @location(0) vec4<f32> {
    return textureSampleLevel(blit_tex, blit_sampler, in.uv, 0.0);
}

@fragment
fn blit_srgb_fs(in: BlitOut) -> @location(0) vec4<f32> {
    let c = textureSampleLevel(blit_tex, blit_sampler, in.uv, 0.0).rgb;
    return vec4<f32>(srgb_to_linear(c), 1.0);
}

// Preset blends: a picture drawn over another with a per-vertex alpha
// (MilkDrop 2's blend pattern), sampled pixel for pixel.
@group(0) @binding(0) var mix_tex: texture_2d<f32>;
@group(0) @binding(1) var mix_sampler: sampler;

struct MixOut {
    @builtin(position) pos: vec4<f32>,
    @location(0) uv: vec2<f32>,
    @location(1) alpha: f32,
};

@vertex
fn mix_vs(@location(0) pos: vec2<f32>, @location(1) alpha: f32) -> MixOut {
    var out: MixOut;
    out.pos = vec4<f32>(pos, 0.0, 1.0);
    out.uv = vec2<f32>(pos.x * 0.5 + 0.5, 0.5 - pos.y * 0.5);
    out.alpha = alpha;
    return out;
}

@fragment
fn mix_fs(in: MixOut) -> @location(0) vec4<f32> {
    return vec4<f32>(textureSampleLevel(mix_tex, mix_sampler, in.uv, 0.0).rgb, in.alpha);
}

@fragment
fn mix_srgb_fs(in: MixOut) -> @location(0) vec4<f32> {
    let c = textureSampleLevel(mix_tex, mix_sampler, in.uv, 0.0).rgb;
    return vec4<f32>(srgb_to_linear(c), in.alpha);
}
