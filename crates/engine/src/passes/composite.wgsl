// Kefir's built-in composite pass: MilkDrop's echo, gamma, hue shader and
// filters, and red-blue stereo (see composite.rs).

struct CompUniforms {
    // x: echo alpha (0 = no echo), y: 1 / echo zoom, z/w: echo flip (+-1)
    echo: vec4<f32>,
    // x: gain of the main layer, y: gain of the echo layer
    gain: vec4<f32>,
    // x: 1 mixes the hue colours bilinearly (butterchurn), 0 over
    // MilkDrop's two triangles
    hue_mix: vec4<f32>,
    // hue shader colours at the corners: top-left, top-right,
    // bottom-left, bottom-right
    hue: array<vec4<f32>, 4>,
};

@group(0) @binding(0) var<uniform> comp_u: CompUniforms;
@group(0) @binding(1) var comp_tex: texture_2d<f32>;
@group(0) @binding(2) var comp_sampler: sampler;

struct CompOut {
    @builtin(position) pos: vec4<f32>,
    @location(0) uv: vec2<f32>,
};

// One triangle covering the screen.
@vertex
fn comp_vs(@builtin(vertex_index) i: u32) -> CompOut {
    let t = fullscreen_triangle(i);
    var out: CompOut;
    out.pos = vec4<f32>(t[0], 0.0, 1.0);
    out.uv = t[1];
    return out;
}

// What a frame's composite does, fixed when its pipeline is built (see
// `CompVariant` in composite.rs): a pipeline per combination in use, so a
// software rasteriser runs only the code a preset needs.
override ECHO: bool = true;
override HUE: bool = true;
// MilkDrop 2's generated composite shader rather than the fixed-function path.
override GENERATED: bool = false;
override BRIGHTEN: bool = false;
override DARKEN: bool = false;
override SOLARIZE: bool = false;
override INVERT: bool = false;
// The target encodes to sRGB on write.
override SRGB: bool = false;

@fragment
fn comp_fs(in: CompOut) -> @location(0) vec4<f32> {
    let uv = in.uv;
    var c = textureSampleLevel(comp_tex, comp_sampler, uv, 0.0).rgb * comp_u.gain.x;
    if (ECHO) {
        let alpha = comp_u.echo.x;
        let uv_echo = (uv - 0.5) * comp_u.echo.y * comp_u.echo.zw + 0.5;
        let e = textureSampleLevel(comp_tex, comp_sampler, uv_echo, 0.0).rgb;
        c = c * (1.0 - alpha) + e * (alpha * comp_u.gain.y);
    }
    if (HUE) {
        // Hue shader: the corner colours (x right, y down) across
        // MilkDrop's quad, a strip of two triangles (top-left, top-right,
        // bottom-left) and (top-right, bottom-left, bottom-right) whose
        // vertex colours interpolate linearly; or bilinearly.
        let x = uv.x;
        let y = uv.y;
        let tl = comp_u.hue[0].rgb;
        let tr = comp_u.hue[1].rgb;
        let bl = comp_u.hue[2].rgb;
        let br = comp_u.hue[3].rgb;
        var hue: vec3<f32>;
        if (comp_u.hue_mix.x > 0.5) {
            hue = mix(mix(tl, tr, x), mix(bl, br, x), y);
        } else if (x + y <= 1.0) {
            hue = tl * (1.0 - x - y) + tr * x + bl * y;
        } else {
            hue = br * (x + y - 1.0) + tr * (1.0 - y) + bl * (1.0 - x);
        }
        c = c * hue;
    }
    if (!GENERATED) {
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
