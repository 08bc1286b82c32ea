// MilkDrop's custom shapes: triangle fans with a centre and a rim colour,
// optionally textured with the previous frame, and their outlines (drawn
// as thin quads). Positions arrive in clip space, colours as MilkDrop 2's
// 8-bit values (it packs them into D3DCOLORs) or, imitating butterchurn,
// as the floats the preset computed (clamped when written, after the
// interpolation and a textured shape's multiply).

@group(0) @binding(0) var shape_prev: texture_2d<f32>;
@group(0) @binding(1) var shape_sampler: sampler;

struct ShapeOut {
    @builtin(position) pos: vec4<f32>,
    @location(0) uv: vec2<f32>,
    @location(1) color: vec4<f32>,
};

@vertex
fn shape_vs(
    @location(0) pos: vec2<f32>,
    @location(1) uv: vec2<f32>,
    @location(2) color: vec4<f32>,
) -> ShapeOut {
    var out: ShapeOut;
    out.pos = vec4<f32>(pos, 0.0, 1.0);
    out.uv = uv;
    out.color = color;
    return out;
}

@fragment
fn shape_fs(in: ShapeOut) -> @location(0) vec4<f32> {
    return in.color;
}

// The previous frame modulated by the vertex colour; the frame textures
// have no meaningful alpha (MilkDrop's are X8R8G8B8), so alpha is the
// vertex alpha. The frame has one level (MilkDrop 2's) or, imitating
// butterchurn's mipmapped frame (`ButterchurnQuirks::mipmaps`), the level
// the derivatives pick.
@fragment
fn shape_textured_fs(in: ShapeOut) -> @location(0) vec4<f32> {
    let t = textureSample(shape_prev, shape_sampler, in.uv).rgb;
    return vec4<f32>(t * in.color.rgb, in.color.a);
}

// butterchurn's textured shape: the texel's alpha multiplies too (see
// `ButterchurnQuirks::frame_alpha`).
@fragment
fn shape_textured_frame_alpha_fs(in: ShapeOut) -> @location(0) vec4<f32> {
    return textureSample(shape_prev, shape_sampler, in.uv) * in.color;
}
