//! The typed preset model: base values, custom waves and shapes, with
//! MilkDrop 2's defaults (`CState::Default` in MilkDrop 2.25's `state.cpp`).

use super::code::CodeBlock;
use super::value::{FieldValue, ParamValue};

/// Declares a struct of `.milk` parameters from one table: field, type,
/// default and key name (as MilkDrop writes and reads it). Generates
/// `Default`, the key list, lookup, set, write and a public iterator over
/// every field.
macro_rules! param_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty = $default:expr => $key:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            $( $(#[$fmeta])* #[doc = concat!("Key `", $key, "`, default `", stringify!($default), "`.")] pub $field: $ty, )*
        }

        impl Default for $name {
            fn default() -> Self {
                Self { $( $field: <$ty as FieldValue>::stored($default), )* }
            }
        }

        impl $name {
            /// The key names, spelled and ordered as MilkDrop writes them.
            pub const KEYS: &'static [&'static str] = &[$($key),*];

            /// Index in [`Self::KEYS`] of a key, ignoring ASCII case (the
            /// reader then tells a key in other letter case apart).
            pub(crate) fn field_index(key: &str) -> Option<usize> {
                Self::KEYS.iter().position(|k| k.eq_ignore_ascii_case(key))
            }

            /// Sets field `index` (of [`Self::KEYS`]) from a file value.
            #[allow(unused_assignments)]
            pub(crate) fn set_field(&mut self, index: usize, value: &str) {
                let mut i = 0usize;
                $(
                    if index == i {
                        FieldValue::set_from(&mut self.$field, value);
                        return;
                    }
                    i += 1;
                )*
            }

            /// Every field with its key, in [`Self::KEYS`]' order.
            pub fn fields(&self) -> impl Iterator<Item = (&'static str, ParamValue)> {
                [$( ($key, FieldValue::param(&self.$field)) ),*].into_iter()
            }

            /// Writes `prefix` + key + `=` + value lines for every field.
            pub(crate) fn write_fields(&self, out: &mut String, prefix: &str) {
                $(
                    out.push_str(prefix);
                    out.push_str($key);
                    out.push('=');
                    FieldValue::write_to(&self.$field, out);
                    out.push('\n');
                )*
            }
        }
    };
}

param_struct! {
    /// The preset-wide values (`fDecay=`, `zoom=`, ...), in MilkDrop's order.
    pub struct BaseValues {
        rating: f64 = 3.0 => "fRating",
        gamma_adj: f64 = 2.0 => "fGammaAdj",
        decay: f64 = 0.98 => "fDecay",
        video_echo_zoom: f64 = 2.0 => "fVideoEchoZoom",
        video_echo_alpha: f64 = 0.0 => "fVideoEchoAlpha",
        video_echo_orientation: i32 = 0 => "nVideoEchoOrientation",
        wave_mode: i32 = 0 => "nWaveMode",
        additive_waves: bool = false => "bAdditiveWaves",
        wave_dots: bool = false => "bWaveDots",
        wave_thick: bool = false => "bWaveThick",
        mod_wave_alpha_by_volume: bool = false => "bModWaveAlphaByVolume",
        maximize_wave_color: bool = true => "bMaximizeWaveColor",
        tex_wrap: bool = true => "bTexWrap",
        darken_center: bool = false => "bDarkenCenter",
        red_blue_stereo: bool = false => "bRedBlueStereo",
        brighten: bool = false => "bBrighten",
        darken: bool = false => "bDarken",
        solarize: bool = false => "bSolarize",
        invert: bool = false => "bInvert",
        wave_alpha: f64 = 0.8 => "fWaveAlpha",
        wave_scale: f64 = 1.0 => "fWaveScale",
        wave_smoothing: f64 = 0.75 => "fWaveSmoothing",
        wave_param: f64 = 0.0 => "fWaveParam",
        mod_wave_alpha_start: f64 = 0.75 => "fModWaveAlphaStart",
        mod_wave_alpha_end: f64 = 0.95 => "fModWaveAlphaEnd",
        warp_anim_speed: f64 = 1.0 => "fWarpAnimSpeed",
        warp_scale: f64 = 1.0 => "fWarpScale",
        zoom_exponent: f64 = 1.0 => "fZoomExponent",
        shader: f64 = 0.0 => "fShader",
        zoom: f64 = 1.0 => "zoom",
        rot: f64 = 0.0 => "rot",
        cx: f64 = 0.5 => "cx",
        cy: f64 = 0.5 => "cy",
        dx: f64 = 0.0 => "dx",
        dy: f64 = 0.0 => "dy",
        warp: f64 = 1.0 => "warp",
        sx: f64 = 1.0 => "sx",
        sy: f64 = 1.0 => "sy",
        wave_r: f64 = 1.0 => "wave_r",
        wave_g: f64 = 1.0 => "wave_g",
        wave_b: f64 = 1.0 => "wave_b",
        wave_x: f64 = 0.5 => "wave_x",
        wave_y: f64 = 0.5 => "wave_y",
        ob_size: f64 = 0.01 => "ob_size",
        ob_r: f64 = 0.0 => "ob_r",
        ob_g: f64 = 0.0 => "ob_g",
        ob_b: f64 = 0.0 => "ob_b",
        ob_a: f64 = 0.0 => "ob_a",
        ib_size: f64 = 0.01 => "ib_size",
        ib_r: f64 = 0.25 => "ib_r",
        ib_g: f64 = 0.25 => "ib_g",
        ib_b: f64 = 0.25 => "ib_b",
        ib_a: f64 = 0.0 => "ib_a",
        /// Motion vector grid width (a float in MilkDrop 2).
        mv_x: f64 = 12.0 => "nMotionVectorsX",
        /// Motion vector grid height (a float in MilkDrop 2).
        mv_y: f64 = 9.0 => "nMotionVectorsY",
        mv_dx: f64 = 0.0 => "mv_dx",
        mv_dy: f64 = 0.0 => "mv_dy",
        mv_l: f64 = 0.9 => "mv_l",
        mv_r: f64 = 1.0 => "mv_r",
        mv_g: f64 = 1.0 => "mv_g",
        mv_b: f64 = 1.0 => "mv_b",
        /// When a file has no `mv_a`, MilkDrop uses 1 if `bMotionVectorsOn`
        /// (MilkDrop 1.x) is non-zero, else 0; the parser does the same.
        mv_a: f64 = 1.0 => "mv_a",
        blur1_min: f64 = 0.0 => "b1n",
        blur2_min: f64 = 0.0 => "b2n",
        blur3_min: f64 = 0.0 => "b3n",
        blur1_max: f64 = 1.0 => "b1x",
        blur2_max: f64 = 1.0 => "b2x",
        blur3_max: f64 = 1.0 => "b3x",
        blur1_edge_darken: f64 = 0.25 => "b1ed",
    }
}

param_struct! {
    /// The values of one custom wave (`wavecode_K_...` keys, without the
    /// `wavecode_K_` prefix).
    pub struct WaveParams {
        enabled: bool = false => "enabled",
        samples: i32 = 512 => "samples",
        sep: i32 = 0 => "sep",
        spectrum: bool = false => "bSpectrum",
        use_dots: bool = false => "bUseDots",
        draw_thick: bool = false => "bDrawThick",
        additive: bool = false => "bAdditive",
        scaling: f64 = 1.0 => "scaling",
        smoothing: f64 = 0.5 => "smoothing",
        r: f64 = 1.0 => "r",
        g: f64 = 1.0 => "g",
        b: f64 = 1.0 => "b",
        a: f64 = 1.0 => "a",
    }
}

param_struct! {
    /// The values of one custom shape (`shapecode_K_...` keys, without the
    /// `shapecode_K_` prefix). The texture name (`image`) is in
    /// [`CustomShape::image`].
    pub struct ShapeParams {
        enabled: bool = false => "enabled",
        sides: i32 = 4 => "sides",
        additive: bool = false => "additive",
        thick_outline: bool = false => "thickOutline",
        textured: bool = false => "textured",
        num_inst: i32 = 1 => "num_inst",
        x: f64 = 0.5 => "x",
        y: f64 = 0.5 => "y",
        rad: f64 = 0.1 => "rad",
        ang: f64 = 0.0 => "ang",
        tex_ang: f64 = 0.0 => "tex_ang",
        tex_zoom: f64 = 1.0 => "tex_zoom",
        r: f64 = 1.0 => "r",
        g: f64 = 0.0 => "g",
        b: f64 = 0.0 => "b",
        a: f64 = 1.0 => "a",
        r2: f64 = 0.0 => "r2",
        g2: f64 = 1.0 => "g2",
        b2: f64 = 0.0 => "b2",
        a2: f64 = 0.0 => "a2",
        border_r: f64 = 1.0 => "border_r",
        border_g: f64 = 1.0 => "border_g",
        border_b: f64 = 1.0 => "border_b",
        border_a: f64 = 0.1 => "border_a",
    }
}

/// One of the 4 custom waves: its values and its 3 code blocks
/// (`wave_K_initN`, `wave_K_per_frameN`, `wave_K_per_pointN`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CustomWave {
    pub params: WaveParams,
    pub init: CodeBlock,
    pub per_frame: CodeBlock,
    pub per_point: CodeBlock,
}

/// One of the 4 custom shapes: its values, texture and 2 code blocks
/// (`shape_K_initN`, `shape_K_per_frameN`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CustomShape {
    pub params: ShapeParams,
    /// `shapecode_K_image=`: texture file name for a textured shape
    /// (MilkDrop 2.2+ style); `None` when absent. Kept verbatim.
    pub image: Option<String>,
    pub init: CodeBlock,
    pub per_frame: CodeBlock,
}
