// Helpers shared by the engine's WGSL modules (prepended to shaders.wgsl
// and stages.wgsl).

// The screen as one triangle: clip position and top-left-origin uv of
// vertex `i` (0..3).
fn fullscreen_triangle(i: u32) -> array<vec2<f32>, 2> {
    let p = vec2<f32>(f32((i << 1u) & 2u), f32(i & 2u));
    return array<vec2<f32>, 2>(p * 2.0 - 1.0, vec2<f32>(p.x, 1.0 - p.y));
}

// MilkDrop's values are display values: written to an sRGB target they
// must be decoded first so the hardware's encoding gives them back.
fn srgb_to_linear(c: vec3<f32>) -> vec3<f32> {
    let lo = c / 12.92;
    let hi = pow((c + 0.055) / 1.055, vec3<f32>(2.4));
    return select(hi, lo, c <= vec3<f32>(0.04045));
}
