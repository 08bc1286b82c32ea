// Kefir's overlay drawing: waves, motion vectors, borders and darken_center
// drawn into the feedback frame as coloured triangles (lines and dots are
// expanded into quads on the CPU so their size follows the resolution).

struct OverlayOut {
    @builtin(position) pos: vec4<f32>,
    @location(0) color: vec4<f32>,
};

@vertex
fn overlay_vs(@location(0) pos: vec2<f32>, @location(1) color: vec4<f32>) -> OverlayOut {
    var out: OverlayOut;
    out.pos = vec4<f32>(pos, 0.0, 1.0);
    out.color = color;
    return out;
}

@fragment
fn overlay_fs(in: OverlayOut) -> @location(0) vec4<f32> {
    return in.color;
}
