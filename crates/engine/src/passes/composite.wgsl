// Kefir's built-in composite pass: MilkDrop's echo, gamma, hue shader and
// filters, and red-blue stereo (see composite.rs).

struct CompUniforms {
    // x: echo alpha (0 = no echo), y: 1 / echo zoom, z/w: echo flip (+-1)
    echo: vec4<f32>,
    // x: gain of the main layer, y: gain of the echo layer
    gain: vec4<f32>,
    // .rgb: the hue shader's cross term, times u * v (0 over MilkDrop's
    // two triangles; bilinear mixing, butterchurn's and MilkDrop 2's
    // composite grid, is affine plus this); .w: 1 when the quad's
    // triangles share the top-left to bottom-right diagonal (MilkDrop 1's
    // strip), 0 for top-right to bottom-left
    hue_cross: vec4<f32>,
    // the hue colours' affine part at the corners: top-left, top-right,
    // bottom-left, bottom-right; on MilkDrop 1's path (MILKDROP1_HUE) the
    // frame layer's vertex colours summed over its draws, gain and echo
    // mix included
    hue: array<vec4<f32>, 4>,
    // on MilkDrop 1's path, the echo layer's
    hue_echo: array<vec4<f32>, 4>,
};

@group(0) @binding(0) var<uniform> comp_u: CompUniforms;
@group(0) @binding(1) var comp_tex: texture_2d<f32>;
@group(0) @binding(2) var comp_sampler: sampler;

struct CompOut {
    @builtin(position) pos: vec4<f32>,
    @location(0) uv: vec2<f32>,
    // the hue shader's affine part (1 without the hue shader)
    @location(1) hue: vec3<f32>,
    // where the echo layer samples (affine in uv, so exact per vertex)
    @location(2) uv_echo: vec2<f32>,
    // the hue shader's cross term over v (affine in u)
    @location(3) hue_cross: vec3<f32>,
    // on MilkDrop 1's path, the echo layer's colour
    @location(4) hue_echo: vec3<f32>,
};

// MilkDrop's composite quad as two triangles, (top-left, top-right,
// bottom-left) and (top-right, bottom-right, bottom-left), or on MilkDrop
// 1's path (top-left, top-right, bottom-right) and (top-left, bottom-right,
// bottom-left), the hue colours on their corners: interpolated there, they
// cost a software rasteriser next to nothing per pixel.
@vertex
fn comp_vs(@builtin(vertex_index) i: u32) -> CompOut {
    var across = array<u32, 6>(0u, 1u, 2u, 1u, 3u, 2u);
    var down = array<u32, 6>(0u, 1u, 3u, 0u, 3u, 2u);
    let corner = select(across[i], down[i], comp_u.hue_cross.w > 0.5);
    let uv = vec2<f32>(f32(corner & 1u), f32(corner >> 1u));
    var out: CompOut;
    out.pos = vec4<f32>(uv.x * 2.0 - 1.0, 1.0 - uv.y * 2.0, 0.0, 1.0);
    out.uv = uv;
    out.hue = comp_u.hue[corner].rgb;
    out.hue_cross = comp_u.hue_cross.rgb * uv.x;
    out.hue_echo = comp_u.hue_echo[corner].rgb;
    out.uv_echo = (uv - 0.5) * comp_u.echo.y * comp_u.echo.zw + 0.5;
    return out;
}

// What a frame's composite does, fixed when its pipeline is built (see
// `CompVariant` in composite.rs): a pipeline per combination in use, so a
// software rasteriser runs only the code a preset needs.
override ECHO: bool = true;
override HUE: bool = true;
// The hue colours mix bilinearly (a cross term on top of the affine part).
override HUE_CROSS: bool = true;
// MilkDrop 2's generated composite shader rather than the fixed-function path.
override GENERATED: bool = false;
override BRIGHTEN: bool = false;
override DARKEN: bool = false;
override SOLARIZE: bool = false;
override INVERT: bool = false;
// The filters as the generated shader computes them, for the fixed-function
// path too (imitating butterchurn, ButterchurnQuirks::filters).
override SHADER_FILTERS: bool = false;
// The target encodes to sRGB on write.
override SRGB: bool = false;

@fragment
fn comp_fs(in: CompOut) -> @location(0) vec4<f32> {
    let uv = in.uv;
    var c = textureSampleLevel(comp_tex, comp_sampler, uv, 0.0).rgb;
    if (HUE && !GENERATED && !HUE_CROSS) {
        // MilkDrop 1's path: each layer times its vertex colours, which
        // carry the gain and the echo mix (bytes that wrap: composite.rs).
        c = c * in.hue;
        if (ECHO) {
            c += textureSampleLevel(comp_tex, comp_sampler, in.uv_echo, 0.0).rgb * in.hue_echo;
        }
    } else {
        c = c * comp_u.gain.x;
        if (ECHO) {
            let alpha = comp_u.echo.x;
            let e = textureSampleLevel(comp_tex, comp_sampler, in.uv_echo, 0.0).rgb;
            c = c * (1.0 - alpha) + e * (alpha * comp_u.gain.y);
        }
        if (HUE) {
            var hue = in.hue;
            if (HUE_CROSS) {
                hue += in.hue_cross * uv.y;
            }
            c = c * hue;
        }
    }
    if (!GENERATED && !SHADER_FILTERS) {
        // Fixed-function: the layers add up in an 8-bit framebuffer, then
        // full-screen blends filter it.
        c = clamp(c, vec3<f32>(0.0), vec3<f32>(1.0));
        if (BRIGHTEN) { c = 1.0 - (1.0 - c) * (1.0 - c); }
        if (DARKEN) { c = c * c; }
        if (SOLARIZE) { c = 2.0 * c * (1.0 - c); }
        if (INVERT) { c = 1.0 - c; }
    } else {
        // MilkDrop 2's generated composite shader.
        if (BRIGHTEN) { c = sqrt(max(c, vec3<f32>(0.0))); }
        if (DARKEN) { c = c * c; }
        if (SOLARIZE) { c = c * (1.0 - c) * 4.0; }
        if (INVERT) { c = 1.0 - c; }
        c = clamp(c, vec3<f32>(0.0), vec3<f32>(1.0));
    }
    if (SRGB) {
        // MilkDrop's values are already display values, so hand the target
        // their linear equivalent.
        c = srgb_to_linear(c);
    }
    return vec4<f32>(c, 1.0);
}

// Red-blue stereo (`bRedBlueStereo`), MilkDrop 1.x's `ShowToUser`: the new
// frame drawn twice through the warp mesh, once per eye, added. Each eye
// samples at the vertex's warp v and its screen u shifted by 0.3 times the
// length of the vertex's motion (screen position to warp UV), right eye to
// the right (cyan lens colour), left eye to the left (red). Gamma is the
// passes' total gain; echo, the hue shader and the filters do not apply.
struct StereoOut {
    @builtin(position) pos: vec4<f32>,
    @location(0) uv_right: vec2<f32>,
    @location(1) uv_left: vec2<f32>,
};

@vertex
fn stereo_vs(@location(0) pos: vec2<f32>, @location(1) uv: vec2<f32>) -> StereoOut {
    let screen = vec2<f32>(pos.x * 0.5 + 0.5, 0.5 - pos.y * 0.5);
    let shift = length(screen - uv) * 0.3;
    var out: StereoOut;
    out.pos = vec4<f32>(pos, 0.0, 1.0);
    out.uv_right = vec2<f32>(screen.x + shift, uv.y);
    out.uv_left = vec2<f32>(screen.x - shift, uv.y);
    return out;
}

@fragment
fn stereo_fs(in: StereoOut) -> @location(0) vec4<f32> {
    let right = textureSampleLevel(comp_tex, comp_sampler, in.uv_right, 0.0).rgb;
    let left = textureSampleLevel(comp_tex, comp_sampler, in.uv_left, 0.0).rgb;
    // MilkDrop 1.x's default lens colours: left (255, 0, 0), right (0, 255, 255).
    var c = vec3<f32>(left.r, right.g, right.b) * comp_u.gain.x;
    c = clamp(c, vec3<f32>(0.0), vec3<f32>(1.0));
    if (SRGB) {
        c = srgb_to_linear(c);
    }
    return vec4<f32>(c, 1.0);
}
