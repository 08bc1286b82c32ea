//! MilkDrop's shader environment: the uniform block, the names a preset's
//! shader may read without declaring them (MilkDrop defines them in its
//! shader prefix, `include.fx`), the built-in textures, and the binding
//! layout the translated shader follows.

use crate::ast::{SamplerDim, Scalar, Type};

/// Bind group used for everything.
pub const GROUP: u32 = 0;
/// Binding of the uniform block [`MilkUniforms`].
pub const UNIFORMS_BINDING: u32 = 0;
/// Binding of the `texsize_NAME` table (present only when used).
pub const TEXSIZES_BINDING: u32 = 1;
/// First texture binding: texture `i` (in [`BindingLayout::textures`]) is at
/// `FIRST_TEXTURE_BINDING + 2*i`, its sampler right after it.
pub const FIRST_TEXTURE_BINDING: u32 = 2;

/// Names of the 24 rotation matrices, in their order in the uniform block.
pub const ROT_NAMES: [&str; 24] = [
    "rot_s1",
    "rot_s2",
    "rot_s3",
    "rot_s4",
    "rot_d1",
    "rot_d2",
    "rot_d3",
    "rot_d4",
    "rot_f1",
    "rot_f2",
    "rot_f3",
    "rot_f4",
    "rot_vf1",
    "rot_vf2",
    "rot_vf3",
    "rot_vf4",
    "rot_uf1",
    "rot_uf2",
    "rot_uf3",
    "rot_uf4",
    "rot_rand1",
    "rot_rand2",
    "rot_rand3",
    "rot_rand4",
];

const Q_BANKS: [&str; 8] = ["_qa", "_qb", "_qc", "_qd", "_qe", "_qf", "_qg", "_qh"];

/// The uniform block every translated shader declares at
/// `@group(0) @binding(0)`, with MilkDrop's packing of its constants.
///
/// - `c[0]` (`_c0`): `aspect` (.xy multiplier to paste an image fullscreen,
///   aspect-aware; .zw its inverse)
/// - `c[2]`: `time`, `fps`, `frame`, `progress`
/// - `c[3]`: `bass`, `mid`, `treb`, `vol`; `c[4]`: the `_att` versions
/// - `c[5]`: scale, bias for reading blur1 (.xy) and blur2 (.zw);
///   `c[6]`: scale, bias for blur3 (.xy), `blur1_min`, `blur1_max`
/// - `c[7]`: `texsize` (width, height, 1/width, 1/height of the main texture)
/// - `c[8]`/`c[9]`: `roam_cos`/`roam_sin` (0.5+0.5*cos/sin(time*{0.3,1.3,5,20}))
/// - `c[10]`/`c[11]`: `slow_roam_cos`/`slow_roam_sin` (time*{0.005,0.008,0.013,0.022})
/// - `c[12]`: `mip_x`, `mip_y`, `mip_avg`; `c[13]`: `blur2_min`, `blur2_max`,
///   `blur3_min`, `blur3_max`; `c[1]` is unused
/// - `q`: q1..q32 four to a bank (`_qa` = q1..q4, ... `_qh` = q29..q32)
/// - `rot`: the matrices named in [`ROT_NAMES`], each 4 rows of 3 (rows 0-2
///   a rotation, row 3 a small translation), as HLSL `float4x3`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MilkUniforms {
    pub c: [[f32; 4]; 14],
    pub q: [[f32; 4]; 8],
    pub rand_frame: [f32; 4],
    pub rand_preset: [f32; 4],
    pub rot: [[[f32; 3]; 4]; 24],
}

impl MilkUniforms {
    /// Size of the block in bytes (WGSL uniform layout).
    pub const SIZE: usize = 24 * 16 + 24 * 64;

    /// The block as bytes in the WGSL layout of [`uniforms_wgsl`]: vec4s
    /// back to back, then each `mat4x3<f32>` as 4 rows padded to 16 bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::SIZE);
        let mut put = |v: &[f32]| {
            for x in v {
                out.extend_from_slice(&x.to_le_bytes());
            }
        };
        for v in self.c.iter().chain(&self.q) {
            put(v);
        }
        put(&self.rand_frame);
        put(&self.rand_preset);
        for m in &self.rot {
            for row in m {
                put(row);
                put(&[0.0]);
            }
        }
        out
    }

    /// Sets `q1..q32` from a slice (extra values are ignored).
    pub fn set_q(&mut self, q: &[f64]) {
        for (i, v) in q.iter().take(32).enumerate() {
            self.q[i / 4][i % 4] = *v as f32;
        }
    }
}

/// The WGSL declaration of [`MilkUniforms`].
pub fn uniforms_wgsl() -> String {
    let mut s = String::from("struct MilkUniforms {\n");
    for i in 0..14 {
        s.push_str(&format!("    _c{i}: vec4<f32>,\n"));
    }
    for q in Q_BANKS {
        s.push_str(&format!("    {q}: vec4<f32>,\n"));
    }
    s.push_str("    rand_frame: vec4<f32>,\n    rand_preset: vec4<f32>,\n");
    for r in ROT_NAMES {
        s.push_str(&format!("    {r}: mat4x3<f32>,\n"));
    }
    s.push_str("}\n");
    s
}

/// A name MilkDrop's prefix defines: its WGSL expression and type.
pub fn builtin_value(name: &str) -> Option<(String, Type)> {
    let f = Type::Scalar(Scalar::Float);
    let v = |n| Type::Vector(Scalar::Float, n);
    let c = |reg: u32, sw: &str, t: Type| Some((format!("U._c{reg}{sw}"), t));
    match name {
        "time" => c(2, ".x", f),
        "fps" => c(2, ".y", f),
        "frame" => c(2, ".z", f),
        "progress" => c(2, ".w", f),
        "bass" => c(3, ".x", f),
        "mid" => c(3, ".y", f),
        "treb" => c(3, ".z", f),
        "vol" => c(3, ".w", f),
        "bass_att" => c(4, ".x", f),
        "mid_att" => c(4, ".y", f),
        "treb_att" => c(4, ".z", f),
        "vol_att" => c(4, ".w", f),
        "aspect" => c(0, "", v(4)),
        "texsize" => c(7, "", v(4)),
        "roam_cos" => c(8, "", v(4)),
        "roam_sin" => c(9, "", v(4)),
        "slow_roam_cos" => c(10, "", v(4)),
        "slow_roam_sin" => c(11, "", v(4)),
        "mip_x" => c(12, ".x", f),
        "mip_y" => c(12, ".y", f),
        "mip_xy" => c(12, ".xy", v(2)),
        "mip_avg" => c(12, ".z", f),
        "blur1_min" => c(6, ".z", f),
        "blur1_max" => c(6, ".w", f),
        "blur2_min" => c(13, ".x", f),
        "blur2_max" => c(13, ".y", f),
        "blur3_min" => c(13, ".z", f),
        "blur3_max" => c(13, ".w", f),
        "rand_frame" | "rand_preset" => Some((format!("U.{name}"), v(4))),
        "M_PI" => Some(("3.14159265359f".into(), f)),
        "M_PI_2" => Some(("6.28318530718f".into(), f)),
        "M_INV_PI_2" => Some(("0.159154943091895f".into(), f)),
        _ => {
            if let Some(n) = name.strip_prefix("_c").and_then(|n| n.parse::<u32>().ok()) {
                return (n < 14 && name.len() <= 4).then(|| (format!("U.{name}"), v(4)));
            }
            if Q_BANKS.contains(&name) {
                return Some((format!("U.{name}"), v(4)));
            }
            if let Some(n) = name.strip_prefix('q').and_then(|n| n.parse::<usize>().ok())
                && (1..=32).contains(&n)
                && !name[1..].starts_with('0')
            {
                let comp = ["x", "y", "z", "w"][(n - 1) % 4];
                return Some((format!("U.{}.{comp}", Q_BANKS[(n - 1) / 4]), f));
            }
            if ROT_NAMES.contains(&name) {
                return Some((format!("U.{name}"), Type::Matrix(4, 3)));
            }
            None
        }
    }
}

/// Where a texture's pixels come from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TextureSource {
    /// The previous frame (warp) or the warped frame (comp).
    Main,
    /// Blur level 1..=3.
    Blur(u8),
    NoiseLq,
    NoiseLqLite,
    NoiseMq,
    NoiseHq,
    /// 3D noise.
    NoiseVolLq,
    NoiseVolHq,
    /// A user texture by file name (without extension), e.g. `clouds`, or a
    /// random one (`rand00`..`rand15`, optionally `rand03_smalltiled`).
    User(String),
}

impl TextureSource {
    /// Whether MilkDrop 2 gives the texture mip levels: the noise textures
    /// (`D3DUSAGE_AUTOGENMIPMAP`) and user textures (`D3DX_DEFAULT` levels),
    /// not the frame and its blur levels (render targets of one level).
    /// `tex2D`/`tex3D` of such a texture take the level from the
    /// coordinates' derivatives.
    pub fn has_mips(&self) -> bool {
        !matches!(self, TextureSource::Main | TextureSource::Blur(_))
    }

    /// The side of a built-in noise texture in texels (the volume ones are
    /// cubes), as MilkDrop 2 creates them: what its `texsize_NAME` says.
    pub fn noise_side(&self) -> Option<u32> {
        match self {
            TextureSource::NoiseLq | TextureSource::NoiseMq | TextureSource::NoiseHq => Some(256),
            TextureSource::NoiseLqLite | TextureSource::NoiseVolLq | TextureSource::NoiseVolHq => {
                Some(32)
            }
            _ => None,
        }
    }
}

/// Texture filtering picked by the sampler name's prefix (`f`/`p`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Filter {
    Linear,
    Point,
}

/// Address mode picked by the sampler name's prefix (`w`/`c`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Wrap {
    Repeat,
    Clamp,
}

/// One texture + sampler pair the shader reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextureBinding {
    /// The sampler as the shader names it, e.g. `sampler_fc_main`.
    pub sampler_name: String,
    pub source: TextureSource,
    pub dim: SamplerDim,
    pub filter: Filter,
    pub wrap: Wrap,
    /// `@binding` of the `texture_2d<f32>`/`texture_3d<f32>`.
    pub texture_binding: u32,
    /// `@binding` of the `sampler` (always `texture_binding + 1`).
    pub sampler_binding: u32,
    /// Empty for an ordinary binding. Otherwise the binding serves only
    /// implicit-level reads of a texture with mip levels whose coordinates
    /// the translator followed ([`crate::footprint`]), one footprint per
    /// distinct read: where none of them minifies at the frame's size,
    /// binding the texture's level 0 alone gives the same result, cheaper.
    /// The same texture then usually has an ordinary binding as well.
    pub footprints: Vec<crate::footprint::Footprint>,
}

impl TextureBinding {
    /// The WGSL names of the texture and sampler variables:
    /// `tex_NAME`/`samp_NAME` for `sampler_NAME`, `texl0_NAME`/`sampl0_NAME`
    /// for its footprint binding, and a `d` after `tex`/`samp`/`l0` for a
    /// sampler declared without the prefix (`sampler main;` beside
    /// `sampler_main`).
    pub fn wgsl_names(&self) -> (String, String) {
        let (short, declared) = match self.sampler_name.strip_prefix("sampler_") {
            Some(short) => (short, ""),
            None => (self.sampler_name.as_str(), "d"),
        };
        let (t, s) = if self.footprints.is_empty() {
            ("tex", "samp")
        } else {
            ("texl0", "sampl0")
        };
        (
            format!("{t}{declared}_{short}"),
            format!("{s}{declared}_{short}"),
        )
    }
}

/// Everything the engine must bind for one translated shader (all in
/// `@group(0)`).
///
/// - `@binding(0)`: `var<uniform> U: MilkUniforms` ([`MilkUniforms`]).
/// - `@binding(1)`, only when `texsizes` is not empty: `var<uniform>
///   TS: TexSizes`, an `array<vec4<f32>, N>` where element `i` is
///   (width, height, 1/width, 1/height) of the texture named `texsizes[i]`
///   (`texsize_NAME` in the shader).
/// - the textures and samplers listed in `textures`.
///
/// The fragment entry point `fs_main` takes `@location(0) uv: vec4<f32>`
/// (.xy warped uv, .zw `uv_orig`), `@location(1) rad_ang: vec2<f32>` and
/// `@location(2) hue_shader: vec4<f32>` (.xyz `hue_shader`), and returns
/// `vec4(ret, 1)` at `@location(0)`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BindingLayout {
    pub texsizes: Vec<String>,
    pub textures: Vec<TextureBinding>,
    /// The shader reads `rad`, `ang` or `hue_shader`, which MilkDrop 2
    /// interpolates over its mesh or composite grid (not affine in the
    /// screen position). A composite shader reading none of them sees the
    /// same inputs over one full-screen triangle, with no grid to draw.
    pub reads_grid_values: bool,
}

/// Built-in sampler names (after `sampler_` and any `fc_`-style prefix).
pub fn builtin_source(name: &str) -> Option<(TextureSource, SamplerDim)> {
    Some(match name.to_ascii_lowercase().as_str() {
        "main" => (TextureSource::Main, SamplerDim::D2),
        "blur1" => (TextureSource::Blur(1), SamplerDim::D2),
        "blur2" => (TextureSource::Blur(2), SamplerDim::D2),
        "blur3" => (TextureSource::Blur(3), SamplerDim::D2),
        "noise_lq" => (TextureSource::NoiseLq, SamplerDim::D2),
        "noise_lq_lite" => (TextureSource::NoiseLqLite, SamplerDim::D2),
        "noise_mq" => (TextureSource::NoiseMq, SamplerDim::D2),
        "noise_hq" => (TextureSource::NoiseHq, SamplerDim::D2),
        "noisevol_lq" => (TextureSource::NoiseVolLq, SamplerDim::D3),
        "noisevol_hq" => (TextureSource::NoiseVolHq, SamplerDim::D3),
        _ => return None,
    })
}

/// Splits `sampler_[fc_|fw_|pc_|pw_]NAME` into filter, wrap and texture name:
/// how the names MilkDrop 2's `include.fx` declares, and the names a shader
/// may use without declaring them, read.
pub fn split_sampler(name: &str) -> Option<(Filter, Wrap, &str)> {
    split_root(name.strip_prefix("sampler_")?)
}

/// Filter, wrap and texture of a sampler the shader declares, by MilkDrop 2's
/// rule (`CShaderParams::CacheParams`): the name less a `sampler_` prefix
/// (case-sensitive) where it has one, else the whole name, so `sampler
/// main;` reads the previous frame and `sampler clouds;` the texture
/// `clouds`; then any two characters and `_` ahead of a longer name are
/// peeled off, setting filter and wrap where they are one of `FW FC PW PC`
/// or their reverses (in either case).
pub fn split_declared_sampler(name: &str) -> Option<(Filter, Wrap, &str)> {
    split_root(name.strip_prefix("sampler_").unwrap_or(name))
}

fn split_root(root: &str) -> Option<(Filter, Wrap, &str)> {
    let peeled = root.len() > 3 && root.as_bytes()[2] == b'_';
    let (mode, tex) = if peeled {
        (Some(root[..2].to_ascii_uppercase()), &root[3..])
    } else {
        (None, root)
    };
    let (filter, wrap) = match mode.as_deref() {
        Some("FW" | "WF") => (Some(Filter::Linear), Some(Wrap::Repeat)),
        Some("FC" | "CF") => (Some(Filter::Linear), Some(Wrap::Clamp)),
        Some("PW" | "WP") => (Some(Filter::Point), Some(Wrap::Repeat)),
        Some("PC" | "CP") => (Some(Filter::Point), Some(Wrap::Clamp)),
        _ => (None, None),
    };
    if tex.is_empty() {
        return None;
    }
    // The blur textures clamp unless the name says otherwise; everything
    // else wraps.
    let default_wrap = match builtin_source(tex) {
        Some((TextureSource::Blur(_), _)) => Wrap::Clamp,
        _ => Wrap::Repeat,
    };
    Some((
        filter.unwrap_or(Filter::Linear),
        wrap.unwrap_or(default_wrap),
        tex,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q_vars_and_constants() {
        assert_eq!(builtin_value("q1").unwrap().0, "U._qa.x");
        assert_eq!(builtin_value("q32").unwrap().0, "U._qh.w");
        assert!(builtin_value("q33").is_none());
        assert!(builtin_value("q01").is_none());
        assert_eq!(builtin_value("time").unwrap().0, "U._c2.x");
        assert_eq!(builtin_value("rot_vf3").unwrap().1, Type::Matrix(4, 3));
    }

    #[test]
    fn sampler_prefixes() {
        assert_eq!(
            split_sampler("sampler_pc_main"),
            Some((Filter::Point, Wrap::Clamp, "main"))
        );
        assert_eq!(
            split_sampler("sampler_blur2"),
            Some((Filter::Linear, Wrap::Clamp, "blur2"))
        );
        assert_eq!(
            split_sampler("sampler_FW_clouds"),
            Some((Filter::Linear, Wrap::Repeat, "clouds"))
        );
        assert_eq!(split_sampler("foo"), None);
        assert_eq!(
            split_sampler("sampler_wp_clouds"),
            Some((Filter::Point, Wrap::Repeat, "clouds"))
        );
        // Any two characters and `_` are peeled off, as MilkDrop 2 does.
        assert_eq!(
            split_sampler("sampler_my_clouds"),
            Some((Filter::Linear, Wrap::Repeat, "clouds"))
        );
        assert_eq!(
            split_sampler("sampler_rand00_smalltiled"),
            Some((Filter::Linear, Wrap::Repeat, "rand00_smalltiled"))
        );
        // Only the blur textures clamp by default.
        assert_eq!(
            split_sampler("sampler_blurry"),
            Some((Filter::Linear, Wrap::Repeat, "blurry"))
        );
        assert_eq!(
            split_declared_sampler("main"),
            Some((Filter::Linear, Wrap::Repeat, "main"))
        );
        assert_eq!(
            split_declared_sampler("pc_blur2"),
            Some((Filter::Point, Wrap::Clamp, "blur2"))
        );
        assert_eq!(
            split_declared_sampler("ab_"),
            Some((Filter::Linear, Wrap::Repeat, "ab_"))
        );
    }

    #[test]
    fn uniform_bytes_match_size() {
        let mut u = MilkUniforms::default();
        u.set_q(&[1.0, 2.0]);
        assert_eq!(u.to_bytes().len(), MilkUniforms::SIZE);
        assert_eq!(u.q[0][1], 2.0);
    }
}
