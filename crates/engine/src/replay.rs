//! What comparing frames with another renderer needs: the random numbers it
//! drew ([`FrameRandoms`], so a replay compares renderers, not random
//! streams) and the differences of butterchurn from MilkDrop 2 that Kefir
//! can imitate ([`ButterchurnQuirks`]), to tell them apart from its own.

use milk_parser::preset::BlockId;

#[cfg(doc)]
use crate::Visualizer;
use crate::waves;

/// Where butterchurn 3 (the web's MilkDrop) differs from MilkDrop 2 in ways
/// Kefir can imitate, to tell such differences apart from others when
/// comparing frames with it (`kefir render --replay`). Kefir follows
/// MilkDrop 2: none is on unless asked for
/// ([`Visualizer::emulate_butterchurn`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ButterchurnQuirks {
    /// The blur levels come from the frame before last, a frame later than
    /// MilkDrop 2's (butterchurn's blur samples a mip level made two frames
    /// earlier); its composite shader sees that blur, its warp shader one a
    /// frame older still. And the blur passes repeat their sources past the
    /// edges whenever the frame's `wrap` is not 0: butterchurn's blur
    /// shaders bind no sampler and read through the frame's, which its warp
    /// left on unit 0 (MilkDrop 2's `BlurPasses` clamps).
    pub late_blur: bool,
    /// Warp shaders read `rad` and `ang` as butterchurn computes them per
    /// pixel: `length(uv_orig - 0.5)` (half MilkDrop 2's scale, no aspect
    /// correction) and `atan(uv_orig.x - 0.5, uv_orig.y - 0.5)` (turned a
    /// quarter turn, its seam above the centre). MilkDrop 2 gives them the
    /// mesh's per-vertex values, as the per-vertex code sees them
    /// (`m_verts[].rad`/`ang`: aspect-corrected, `atan2(y, x)`). Here as
    /// per-vertex values too, so cells across butterchurn's seam smear.
    pub warp_rad_ang: bool,
    /// Composite shaders read `rad` and `ang` as butterchurn computes them:
    /// `length(uv - 0.5)` (0.71 at the corners, no aspect correction) and
    /// `atan(uv.x - 0.5, uv.y - 0.5)`. MilkDrop 2's composite grid has
    /// `UvToMathSpace`'s: the aspect-corrected radius scaled to 1 at the
    /// corners and `atan2(y, x)` in 0..2pi.
    pub comp_rad_ang: bool,
    /// Shaders' `roam_cos`/`roam_sin` and `slow_roam_*` as butterchurn
    /// computes them: `0.5 + 0.5 cos(time * rate)` with the rates rounded
    /// (0.3, 1.3, 5, 20 and 0.005, 0.008, 0.013, 0.022) and no phases;
    /// MilkDrop 2's `ApplyShaderParams` adds a phase to each (1.2, 3.9, 2.5,
    /// 5.4 and 2.7, 5.3, 4.5, 3.8), so its values start elsewhere.
    pub roam: bool,
    /// Square matrices built in shaders from vectors come out transposed,
    /// as butterchurn's HLSL-to-GLSL converter makes them
    /// ([`milk_hlsl::Options::butterchurn_matrices`]); for presets loaded
    /// after the call.
    pub matrices: bool,
    /// The hue shader's four colours placed as butterchurn places them:
    /// bilinearly over its composite grid, upside down against MilkDrop 2's
    /// `ShowToUser_Shaders` (whose `y` runs up the screen, butterchurn's
    /// down), for composite shaders and the built-in composite alike.
    /// MilkDrop 2 without a composite shader (`ShowToUser_NoShaders`) puts
    /// `shade[i]` on corner i of its quad (top-left, top-right,
    /// bottom-left, bottom-right), two triangles.
    pub hue: bool,
    /// A custom wave's init, per-frame and per-point code share their
    /// variables, as in butterchurn's one variable pool a wave; MilkDrop 2
    /// runs per-point code in a VM of its own (`m_pp_eel`), which sees
    /// only q1..q32 and t1..t8 of the others, so a per-point variable the
    /// init code set starts at 0 there. For presets loaded after the call.
    pub wave_vars: bool,
    /// Shaders' `sqrt`, `rsqrt` and `log*` of negative numbers, 0 / 0,
    /// inf * 0, x % 0 and the normal of a zero vector are NaN (a black pixel
    /// once stored; a texture read at a NaN coordinate reads at 0, as on
    /// SwiftShader), as in butterchurn's GLSL, and `pow(0, y)` is
    /// SwiftShader's `2^(-127 y)` (0.64 for y = 0.005) and `log2(0)` its
    /// -127 ([`milk_hlsl::Options::butterchurn_nan`]); MilkDrop 2's
    /// Direct3D 9 takes |x|, makes 0 times anything 0, `pow(0, y)` 0 and
    /// `log2(0)` -FLT_MAX. For presets loaded after the call.
    pub nan: bool,
    /// Shaders' float `%` floors, as the GLSL `mod` butterchurn's converter
    /// writes for it (`-3 % 2` is 1), where HLSL's truncates as `fmod`
    /// (-1) in MilkDrop 2 ([`milk_hlsl::Options::butterchurn_mod`]). For
    /// presets loaded after the call.
    pub float_mod: bool,
    /// The per-vertex (per-pixel) code's `ang` in [0, 2pi), as butterchurn
    /// computes it (`atan2`, plus 2pi when negative); MilkDrop 2 hands the
    /// code `atan2f`'s (-pi, pi] (`m_vertinfo[].ang`). For presets loaded
    /// after the call.
    pub pixel_ang: bool,
    /// Shape, custom-wave, border and motion-vector colour channels past
    /// 0..1 are clamped, as butterchurn's float vertex colours are: WebGL
    /// clamps what the fragment shader writes, after interpolating (shapes
    /// here too: their colours go to the GPU as the floats the preset
    /// computed, and a textured shape's texel is multiplied by the
    /// unclamped colour, butterchurn's `texture(uTexture, vUv) * vColor`;
    /// waves, borders and motion vectors clamped per vertex). MilkDrop 2
    /// turns them into bytes as `((int)(v * 255)) & 0xFF` (DrawCustomShapes,
    /// DrawCustomWaves, DrawSprites, DrawMotionVectors), so 1.5 wraps to
    /// 126/255. MilkDrop 1's warp decay, also a vertex colour there (8
    /// becomes 248/255), is butterchurn's float uniform (8 brightens the
    /// frame eightfold). For presets loaded after the call (borders and
    /// motion vectors: at once).
    pub colour_clamp: bool,
    /// Warp and composite shaders' plain `sampler_main` wraps or clamps as
    /// the frame's `wrap` (bTexWrap) says, as in butterchurn; MilkDrop 2
    /// binds it with WRAP whatever `bTexWrap` is (`bWrap = true` in
    /// plugin.cpp's `CacheParams` unless an `fc_`/`pc_` prefix says
    /// otherwise; bTexWrap only picks the generated warp shader's
    /// `sampler_fc_main`). butterchurn's built-in warp reads the frame
    /// through the same sampler, and all of them wrap whenever `wrap` is
    /// not 0 ([`crate::runtime::FrameState::butterchurn_wrap`]), where
    /// MilkDrop 2's built-in warp wraps when it is above 0.5 and its
    /// generated warp shader as the file's bTexWrap says.
    pub main_wrap: bool,
    /// The main wave is drawn only when `wave_a` is above 0.001 before the
    /// volume modulation, as butterchurn's `BasicWaveform.generateWaveform`
    /// gates it (which also needs `(bass + mid + treb) / 3 > -0.01` after
    /// the per-frame code, a test only code that sets the levels negative
    /// fails; Kefir leaves it out); MilkDrop 2's `DrawWave` multiplies `wave_a` by the volume factor (unclamped:
    /// `fWaveAlpha` 0.001 on a loud frame comes to 0.01 or more) and draws.
    /// For presets loaded after the call.
    pub wave_gate: bool,
    /// The frame's alpha channel as butterchurn keeps it, and textured
    /// shapes multiplied by it: WebGL blends the alpha channel with the
    /// colour's factors, so shapes and waves drawn with alpha a leave
    /// `a * a + dst * (1 - a)` there (`min(1, a * a + dst)` for additive
    /// ones; below 1 where they are translucent; the warp writes 1 outside
    /// blends), and butterchurn's shape shader multiplies the vertex
    /// colour by the sampled texel, alpha included: a textured shape
    /// is fainter where the frame before had translucent overlays, and not
    /// drawn at all on the first frame (a new texture's alpha is 0).
    /// MilkDrop 2's feedback textures have no alpha channel (X8R8G8B8, read
    /// as 1), so its textured shapes take the vertex alpha alone.
    /// Approximations: motion vectors lower the alpha only with
    /// [`ButterchurnQuirks::mv_order`] (else they are drawn before the
    /// warp, which writes alpha 1), and a thick line's copies blend the
    /// alpha once with their combined coverage.
    pub frame_alpha: bool,
    /// Motion vectors drawn into the new frame after the warp (and the
    /// blur), as butterchurn draws them; MilkDrop 2 draws them into the
    /// previous frame before the warp (`DrawMotionVectors` into `VS[0]`,
    /// then `WarpedBlitFromVS0ToVS1`), so its vectors go through the warp
    /// in the frame they are drawn, and reads the motion from the previous
    /// frame's mesh (`ReversePropagatePoint` runs before
    /// `ComputeGridAlphaValues` fills `m_verts`), butterchurn from this
    /// frame's (for their lengths see [`ButterchurnQuirks::mv_length`]).
    pub mv_order: bool,
    /// Motion vectors as long as butterchurn draws them: its
    /// `generateMotionVectors` keeps MilkDrop 2's stretching of vectors
    /// shorter than a texel, but gives every other vector one texel across
    /// and its own height (a slip, `dxi = minLen` twice, where MilkDrop 2's
    /// `DrawMotionVectors` keeps the vector as it is), so its vectors are
    /// vertical strokes; nor do its vectors take the half texel up and
    /// right that MilkDrop 2's mesh UVs carry (`texel_offset_x/y`), which
    /// turns a still picture's vectors into `mv_l` x 0.7 texel diagonals.
    pub mv_length: bool,
    /// The main wave and waveform custom waves drawn from butterchurn's
    /// 512 waveform samples as it picks them ([`waves::WaveWindow`]), where
    /// MilkDrop 2 takes them from `NUM_WAVEFORM_SAMPLES` = 480 (each wave
    /// from the middle of the window, or from its start): the audio frames
    /// must then hold butterchurn's 512 samples as they are (a replay does
    /// so), and each custom wave draws `sep` fewer points
    /// (`this.samples -= sep`; MilkDrop 2's `nSamples -= sep` is
    /// overwritten by the per-frame code's `samples` before it is used).
    /// butterchurn's wave mode 5, scaled by `aspect + 2 * wave_x - 1`
    /// where MilkDrop 2 adds `wave_x`, is
    /// [`ButterchurnQuirks::wave_mode5`]. For presets loaded after the call.
    pub wave_window: bool,
    /// The main wave follows the texture width as in butterchurn's
    /// `BasicWaveform.generateWaveform`: dots and thick waves drawn four
    /// times a pixel apart at any width, and the faint modes' (2, 3, 5)
    /// alpha factors picked by range (below 1024, below 2048, from 2048
    /// up), mode 3's multiplying `wave_a`. MilkDrop 2's `DrawWave` draws the four copies only from
    /// `m_nTexSizeX` 512 up and switches on exactly 256, 512, 1024 and 2048
    /// for the factors (none at other widths; mode 3's replaces `wave_a`),
    /// so the two part below 512 pixels and at widths such as 1920. For
    /// presets loaded after the call.
    pub wave_size: bool,
    /// The main wave's mode 5 scaled by `aspect + 2 * wave_x - 1` across and
    /// `aspect + 2 * wave_y - 1` down (the position in clip space), about
    /// the centre, as butterchurn's `BasicWaveform.generateWaveform` has
    /// it; MilkDrop 2's `DrawWave` scales by the aspect and adds the position (`x * m_fAspectY + fWavePosX`), so there `wave_x`
    /// and `wave_y` move the figure and in butterchurn they grow it. For
    /// presets loaded after the call.
    pub wave_mode5: bool,
    /// Equation code's `/` gives 0 for a divisor of 0, as butterchurn's
    /// `div` does; MilkDrop 2's ns-eel2 divides with a plain `fdiv`, so
    /// `x/0` is ±inf inside the expression (`min(1/0, 5)` is 5 and
    /// `2 + 1/0` stored is 0, where butterchurn has 0 and 2). Both divide
    /// plainly in `/=`. For presets loaded after the call.
    pub division: bool,
    /// Equation code's `rand(n)` scaled by `n` itself, as butterchurn's
    /// `Math.random() * n` (floored, `floor(Math.random() * n)`, in
    /// presets its converter marks version 1, MilkDrop 1's, as Kefir
    /// floors them too); MilkDrop 2's `nseel_int_rand` scales by
    /// `max(floor(n), 1)`, so `rand(0.8)` reaches 1 there and stays below
    /// 0.8 in butterchurn. For presets loaded after the call.
    pub rand: bool,
    /// The built-in composite of presets without a composite shader
    /// filters and scales as butterchurn's does: `brighten` as `sqrt`,
    /// `solarize` as `4x(1 - x)`, gamma as a plain factor (a gamma below 1
    /// darkens with video echo too). MilkDrop 2's `ShowToUser_NoShaders`
    /// brightens with blends (invert, square, invert: `1 - (1 - x)^2`),
    /// solarizes to `2x(1 - x)` and applies gamma as additive redraws, each
    /// echo layer drawn at least once.
    pub filters: bool,
    /// A composite shader (the preset's, or the one MilkDrop 2 generates
    /// for presets without one) reads the new frame, with this frame's
    /// shapes and waves, as butterchurn's does. MilkDrop 2's reads the
    /// warp's source (`ApplyShaderParams` binds `m_lpVS[0]` for both
    /// stages): the previous frame with this frame's motion vectors, the
    /// image its blur levels are made from.
    pub comp_frame: bool,
    /// Shaders' `vol` and `vol_att` are the mean of bass, mid and treb (and
    /// of their `_att`), as butterchurn's. MilkDrop 2's `ApplyShaderParams`
    /// writes `0.3333f*(bass, mid, treb)`, which C's comma operator makes a
    /// third of `treb`.
    pub vol: bool,
    /// Textured shapes repeat the previous frame past its edges whenever
    /// the frame's `wrap` is not 0 and clamp it otherwise, as butterchurn
    /// sets its shape sampler from `wrap` (with the `!== 0` of
    /// [`crate::runtime::FrameState::butterchurn_wrap`]). MilkDrop 2 sets
    /// no address mode for them: they sample with what Direct3D 9's sampler 0 was left at,
    /// clamp after the blur passes (`BlurPasses` sets it, when a shader
    /// reads a blur level), else wrap after a shader warp
    /// (`RestoreShaderParams`), else the MilkDrop 1 warp's `wrap`.
    pub shape_wrap: bool,
    /// A comp shader's `uv_orig` stays the screen position when the shader
    /// assigns `uv`, as butterchurn's varying does
    /// ([`milk_hlsl::Options::butterchurn_uv_orig`]); MilkDrop 2 defines it
    /// as a second name of `uv`. For presets loaded after the call.
    pub comp_uv_orig: bool,
    /// Waves, shapes, borders and motion vectors light the pixels whose
    /// half-integer centres they cover, as in WebGL. MilkDrop 2 draws them
    /// in clip space on Direct3D 9, whose pixel centres are on integer
    /// coordinates, with no half-pixel correction: there they sit half a
    /// pixel right and down, and geometry thinner than a pixel lights
    /// other pixels or none ([`waves::PixelCentres`]).
    pub pixel_centres: bool,
    /// Shaders' filtered reads of the mipmapped textures (noise, user
    /// images) take their level from the read's shorter side, as
    /// butterchurn's anisotropic filtering does (it sets the maximum
    /// `TEXTURE_MAX_ANISOTROPY_EXT` on its noise, image, blur and frame
    /// textures): a 256-texel noise texture read across 192 rows stays
    /// at level 0. MilkDrop 2's `ApplyShaderParams` filters linearly within
    /// and between levels (`bAniso = false`), so such a read is blurrier
    /// there ([`milk_hlsl::Options::butterchurn_anisotropic`]). For presets
    /// loaded after the call.
    pub anisotropic: bool,
    /// The frame has mip levels, made anew from the previous frame before
    /// each warp, and the warp shader, the composite shader, the built-in
    /// warp and textured shapes read it at the level the coordinates'
    /// derivatives pick, as butterchurn does (`generateMipmap` on its
    /// previous frame every frame; `LINEAR_MIPMAP_LINEAR` samplers,
    /// `NEAREST_MIPMAP_NEAREST` for `pw_`/`pc_`). Where the coordinates
    /// move fast from pixel to pixel (a zoom below 1, noise or `tan`
    /// offsets) the read is blurred; a composite reading the new frame
    /// sees levels made two frames earlier, as there. MilkDrop 2's render
    /// targets have one level, read sharp (and aliased)
    /// ([`milk_hlsl::Options::butterchurn_mipmaps`]). Shaders: for
    /// presets loaded after the call.
    pub mipmaps: bool,
}

impl ButterchurnQuirks {
    /// The pixel centres overlays are drawn for.
    pub fn pixel_centres(&self) -> waves::PixelCentres {
        if self.pixel_centres {
            waves::PixelCentres::HalfInteger
        } else {
            waves::PixelCentres::Direct3D9
        }
    }
}

/// Random numbers another renderer drew for one frame, handed to
/// [`Visualizer::set_next_randoms`] so a replay compares renderers, not
/// random streams.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrameRandoms {
    /// Per code block, uniform values in [0, 1) for the playing preset's
    /// `rand()` calls in it, in the order it makes them (instance by
    /// instance for shapes, vertex by vertex in the order the code runs (the bottom row first) for per-pixel
    /// code). Calls past a block's list, and blocks not listed, draw
    /// Kefir's own numbers.
    pub eel: Vec<(BlockId, Vec<f64>)>,
    /// `rand_frame` of the warp shader and of the composite shader.
    pub warp_rand_frame: Option<[f32; 4]>,
    pub comp_rand_frame: Option<[f32; 4]>,
    /// `rand_preset` of both shaders.
    pub rand_preset: Option<[f32; 4]>,
    /// The hue shader's random start phases (MilkDrop 2's `m_fRandStart`,
    /// butterchurn's `rand_start`): the phases of the corner colours'
    /// sines, which every composite (and the `hue_shader` input of preset
    /// shaders) reads. Kept from then on.
    pub rand_start: Option<[f32; 4]>,
}
