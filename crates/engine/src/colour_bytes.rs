//! Vertex colours as MilkDrop 2 hands them to Direct3D 9, and as butterchurn
//! reads the same variables.
//!
//! MilkDrop 2 turns every colour a preset computes (shapes, custom waves,
//! borders, motion vectors, MilkDrop 1's warp decay and composite hue) into a
//! `D3DCOLOR` with `D3DCOLOR_RGBA_01`: `((int)(v * 255)) & 0xFF` a channel,
//! so a value past 0..1 wraps around (1.2 is 50/255) instead of saturating.
//! butterchurn hands the floats to WebGL, which clamps them.

/// One `D3DCOLOR_RGBA_01` channel: `((int)(v * 255)) & 0xFF`, with x86's
/// conversion (`cvttsd2si`), where a value outside `i32` or NaN becomes
/// `INT_MIN`, whose low byte is 0.
pub(crate) fn d3d_byte(v: f64) -> u8 {
    let scaled = v * 255.0;
    if !scaled.is_finite() || scaled.abs() >= 2_147_483_648.0 {
        return 0;
    }
    (scaled as i32 & 0xFF) as u8
}

/// [`d3d_byte`] as the 0..1 value the GPU reads from it.
pub(crate) fn d3d_channel(v: f64) -> f32 {
    f32::from(d3d_byte(v)) / 255.0
}

/// butterchurn's reading of the same channel: clamped to 0..1, NaN as 0.
pub(crate) fn clamped_channel(v: f64) -> f32 {
    if v.is_nan() {
        0.0
    } else {
        v.clamp(0.0, 1.0) as f32
    }
}

/// butterchurn's shape colour channel: the float the preset computed, which
/// WebGL clamps only after interpolating it (and, for a textured shape,
/// after multiplying the texel by it); NaN as 0, and bounded so that the
/// interpolation stays finite.
pub(crate) fn unclamped_channel(v: f64) -> f32 {
    if v.is_nan() {
        0.0
    } else {
        v.clamp(-1.0e6, 1.0e6) as f32
    }
}

/// A channel by MilkDrop 2's rule, or (`clamp`, see
/// [`crate::ButterchurnQuirks::colour_clamp`]) by butterchurn's.
pub(crate) fn channel(v: f64, clamp: bool) -> f32 {
    if clamp {
        clamped_channel(v)
    } else {
        d3d_channel(v)
    }
}

/// A 0..1 value as MilkDrop 2's clamped 8-bit vertex colour (the main
/// wave's, whose channels MilkDrop 2 clamps before the conversion):
/// truncated, NaN as 0.
pub(crate) fn quantize(v: f32) -> f32 {
    if v.is_nan() {
        return 0.0;
    }
    (v.clamp(0.0, 1.0) * 255.0).trunc() / 255.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_past_one_wrap_as_direct3d_bytes() {
        assert_eq!(d3d_byte(1.0), 255);
        assert_eq!(d3d_byte(0.5), 127);
        // (int)(1.5 * 255) = 382, & 0xFF = 126; (int)(-127.5) = -127 = 0x..81.
        assert_eq!(d3d_byte(1.5), 126);
        assert_eq!(d3d_byte(-0.5), 129);
        assert_eq!(d3d_byte(1.2), 50);
        assert!((d3d_channel(1.5) - 126.0 / 255.0).abs() < 1e-6);
    }

    #[test]
    fn out_of_range_conversions_give_x86s_int_min() {
        for v in [
            f64::NAN,
            f64::INFINITY,
            -f64::INFINITY,
            1.0e300,
            1.0e7,
            -1.0e7,
        ] {
            assert_eq!(d3d_byte(v), 0, "{v}");
        }
        // Just inside i32: kept, and wrapped.
        assert_eq!(d3d_byte(8_000_000.0), (2_040_000_000_i32 & 0xFF) as u8);
    }

    #[test]
    fn butterchurn_clamps_instead() {
        assert_eq!(
            [1.5, -0.5, 0.25, f64::NAN].map(clamped_channel),
            [1.0, 0.0, 0.25, 0.0]
        );
        assert_eq!(channel(1.2, true), 1.0);
        assert_eq!(
            [1.5, -0.5, 1.0e30, f64::NAN].map(unclamped_channel),
            [1.5, -0.5, 1.0e6, 0.0]
        );
        assert!((channel(1.2, false) - 50.0 / 255.0).abs() < 1e-6);
    }

    #[test]
    fn the_main_wave_clamps_and_truncates() {
        assert_eq!(quantize(2.0), 1.0);
        assert_eq!(quantize(f32::NAN), 0.0);
        assert_eq!(quantize(0.5), 127.0 / 255.0);
    }
}
