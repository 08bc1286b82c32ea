// Kefir's built-in warp pass: MilkDrop's previous frame through the warp
// mesh, times decay (see warp.rs).

struct WarpUniforms {
    // x: decay, y: wrap, z: 1 to take the level from the derivatives
    // (butterchurn's mipmapped frame), else level 0
    params: vec4<f32>,
};

@group(0) @binding(0) var<uniform> warp_u: WarpUniforms;
@group(0) @binding(1) var warp_prev: texture_2d<f32>;
@group(0) @binding(2) var warp_sampler: sampler;

struct WarpOut {
    @builtin(position) pos: vec4<f32>,
    @location(0) uv: vec2<f32>,
};

@vertex
fn warp_vs(@location(0) pos: vec2<f32>, @location(1) uv: vec2<f32>) -> WarpOut {
    var out: WarpOut;
    out.pos = vec4<f32>(pos, 0.0, 1.0);
    out.uv = uv;
    return out;
}

@fragment
fn warp_fs(in: WarpOut) -> @location(0) vec4<f32> {
    var c: vec3<f32>;
    if warp_u.params.z > 0.5 {
        c = textureSample(warp_prev, warp_sampler, in.uv).rgb;
    } else {
        c = textureSampleLevel(warp_prev, warp_sampler, in.uv, 0.0).rgb;
    }
    return vec4<f32>(c * warp_u.params.x, 1.0);
}

