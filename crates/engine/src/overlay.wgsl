// Kefir's overlay drawing: waves, motion vectors, borders and darken_center
// drawn into the feedback frame as coloured triangles (lines and dots are
// expanded into quads on the CPU so their size follows the resolution).
// Thick lines and dots come as one quad per segment or dot covering
// MilkDrop's four brush copies of it; the fragment shader counts the copies
// (see `Canvas::brushed_line_strip` in waves.rs).

struct OverlayOut {
    @builtin(position) pos: vec4<f32>,
    @location(0) color: vec4<f32>,
    // a.x, a.y, b.x, b.y in framebuffer pixels (a dot: its centre in xy)
    @location(1) @interpolate(flat) segment: vec4<f32>,
    // x: 0 plain, 1/2 brushed line (alpha/additive), 3/4 brushed dot
    // (alpha/additive); y: half width (size); z: brush step
    @location(2) @interpolate(flat) brush: vec4<f32>,
    // a line's unit direction (xy) and length (z) in pixels, worked out
    // once a triangle rather than per pixel
    @location(3) @interpolate(flat) axis: vec4<f32>,
};

@vertex
fn overlay_vs(
    @location(0) pos: vec2<f32>,
    @location(1) color: vec4<f32>,
    @location(2) segment: vec4<f32>,
    @location(3) brush: vec4<f32>,
) -> OverlayOut {
    var out: OverlayOut;
    out.pos = vec4<f32>(pos, 0.0, 1.0);
    out.color = color;
    out.segment = segment;
    out.brush = brush;
    let d = segment.zw - segment.xy;
    let len = length(d);
    out.axis = vec4<f32>(d / max(len, 1e-20), len, 0.0);
    return out;
}

// Plain triangles: their colour.
@fragment
fn overlay_fs(in: OverlayOut) -> @location(0) vec4<f32> {
    return in.color;
}

// Brushed lines and dots: the colour blended once per brush copy covering
// the pixel (drawn by their own pipelines, so plain triangles run none of
// this).
@fragment
fn overlay_brushed_fs(in: OverlayOut) -> @location(0) vec4<f32> {
    let mode = in.brush.x;
    let dot_mode = mode > 2.5;
    let a = in.segment.xy;
    let len = in.axis.z;
    let u = in.axis.xy;
    let n = vec2<f32>(-u.y, u.x);
    let half_width = in.brush.y;
    let step = in.brush.z;
    // MilkDrop's brush: the primitive, then one step right, down, and left.
    // k: the copies covering the pixel; keep: (1 - a)^k, what k draws at
    // alpha a leave of the colour under them.
    let c = clamp(in.color, vec4<f32>(0.0), vec4<f32>(1.0));
    var k = 0.0;
    var keep = 1.0;
    for (var i = 0u; i < 4u; i++) {
        let o = vec2<f32>(f32(i == 1u || i == 2u), f32(i >= 2u)) * step;
        let q = in.pos.xy - o - a;
        var inside: bool;
        if (dot_mode) {
            // The dot's square, its left and top edges in.
            inside = all(q >= vec2<f32>(-half_width)) && all(q < vec2<f32>(half_width));
        } else {
            let s = dot(q, u);
            inside = s >= 0.0 && s < len && abs(dot(q, n)) < half_width;
        }
        if (inside) {
            k += 1.0;
            keep *= 1.0 - c.a;
        }
    }
    if (k == 0.0) {
        discard;
    }
    if (mode < 1.5 || (mode > 2.5 && mode < 3.5)) {
        // k draws at alpha a: dst (1 - a)^k + c (1 - (1 - a)^k).
        return vec4<f32>(c.rgb, 1.0 - keep);
    }
    // k additive draws: dst + k a c (the pipeline adds rgb times alpha).
    return vec4<f32>(c.rgb * (c.a * k), 1.0);
}
