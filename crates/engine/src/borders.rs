//! Motion vectors, darken_center and the outer and inner borders, as
//! MilkDrop 2 draws them (`DrawMotionVectors`, `DrawSprites`).
//!
//! Motion vectors go into the *previous* frame before the warp pass (so the
//! warp moves and decays them, as in MilkDrop); darken_center and then the
//! borders are the last things drawn into the new frame, after the main
//! wave. See [`crate::waves`] for the whole order.

use crate::colour_bytes::{self, quantize};
use crate::mesh::WarpMesh;
use crate::waves::{Blend, Canvas, DrawVars, Point};

/// A border's or the motion vectors' colour as MilkDrop 2 hands it to
/// Direct3D (`D3DCOLOR_RGBA_01`: bytes, so channels past 0..1 wrap: an
/// `ob_a` of 1.2 draws at 50/255), or clamped as butterchurn does
/// (`clamp_colours`, [`crate::ButterchurnQuirks::colour_clamp`]).
fn rgba(r: f64, g: f64, b: f64, a: f64, clamp_colours: bool) -> [f32; 4] {
    [r, g, b, a].map(|c| colour_bytes::channel(c, clamp_colours))
}

/// MilkDrop's grid of motion vectors: `mv_x` x `mv_y` short lines (at most
/// 64 x 48; the fractional parts stretch the spacing), shifted by
/// `mv_dx`/`mv_dy`, each showing the warp's motion (`motion_at`), `mv_l`
/// times as long and at least one pixel. `uv(n)` is the texture coordinate
/// mesh vertex `n` samples (rows of the mesh from the top): MilkDrop 2's
/// `ReversePropagatePoint` reads `m_verts` before `ComputeGridAlphaValues`
/// fills them for this frame, so the caller hands the *previous* frame's
/// mesh (butterchurn's order reads this frame's).
///
/// MilkDrop 2's mesh UVs carry Direct3D 9's half-texel offset
/// (`texel_offset_x/y`, 0.5 / texture size, added to `tu` and `tv`), which
/// `DrawMotionVectors` takes for motion: every vector gets half a texel
/// right and half a texel up (y down: `1 - tv`) before `mv_l` scales it,
/// so a still picture shows `mv_l` x 0.7 texel diagonals up to the right
/// (at least a texel long), not the texel each way of a vector of no
/// length. butterchurn's UVs have no offset (`butterchurn_lengths` leaves
/// it out too).
///
/// Rows count from the top of the picture: `DrawMotionVectors` puts a
/// vector at y `fy * 2 - 1` in MilkDrop 2's 2D coordinates, which
/// `PrepareFor2DDrawing`'s flipped orthographic projection makes -1 at the
/// top (shapes go to `y * -2 + 1` there and are 0 at the bottom). So the
/// first row is near the top and a positive `mv_dy` moves the grid up, as
/// in MilkDrop 2 (and butterchurn and projectM).
pub fn draw_motion_vectors(
    canvas: &mut Canvas,
    v: &DrawVars,
    mesh: &WarpMesh,
    uv: &dyn Fn(usize) -> [f32; 2],
    rules: MotionVectorRules,
) {
    let MotionVectorRules {
        clamp_colours,
        butterchurn_lengths,
    } = rules;
    if v.mv_a.is_nan() || (v.mv_a as f32) < 0.001 {
        return;
    }
    let mut nx = v.mv_x as i64;
    let mut ny = v.mv_y as i64;
    let mut dx = v.mv_x as f32 - nx as f32;
    let mut dy = v.mv_y as f32 - ny as f32;
    if nx > 64 {
        nx = 64;
        dx = 0.0;
    }
    if ny > 48 {
        ny = 48;
        dy = 0.0;
    }
    if nx <= 0 || ny <= 0 {
        return;
    }
    let (dx2, dy2) = (v.mv_dx as f32, v.mv_dy as f32);
    let len_mult = v.mv_l as f32;
    let dx = if dx.is_nan() { 0.0 } else { dx.clamp(0.0, 1.0) };
    let dy = if dy.is_nan() { 0.0 } else { dy.clamp(0.0, 1.0) };
    let min_len = 1.0 / canvas.width() as f32;
    let half_texel = (0.5 / canvas.width() as f32, 0.5 / canvas.height() as f32);
    let color = rgba(v.mv_r, v.mv_g, v.mv_b, v.mv_a, clamp_colours);
    let (cols, rows) = (mesh.cols() as usize, mesh.rows() as usize);

    // Where the warp samples the point (fx, fy) (0..1, y down) from: the
    // mesh's UVs interpolated bilinearly, also y down.
    let source = |fx: f32, fy: f32| -> Option<(f32, f32)> {
        let gx = fx * cols as f32;
        let gy = fy * rows as f32;
        let (x0, y0) = (gx.floor(), gy.floor());
        if !(x0 >= 0.0 && y0 >= 0.0) {
            return None;
        }
        let (x0, y0) = (x0 as usize, y0 as usize);
        let (x1, y1) = ((x0 + 1).min(cols), (y0 + 1).min(rows));
        if x0 > cols || y0 > rows {
            return None;
        }
        let (tx, ty) = (gx - x0 as f32, gy - y0 as f32);
        let at = |x: usize, y: usize| uv(y * (cols + 1) + x);
        let (a, b, c, d) = (at(x0, y0), at(x1, y0), at(x0, y1), at(x1, y1));
        let mix = |k: usize| {
            a[k] * (1.0 - tx) * (1.0 - ty)
                + b[k] * tx * (1.0 - ty)
                + c[k] * (1.0 - tx) * ty
                + d[k] * tx * ty
        };
        Some((mix(0), mix(1)))
    };

    let s = canvas.scale();
    for y in 0..ny {
        let fy = (y as f32 + 0.25) / (ny as f32 + dy + 0.25 - 1.0) - dy2;
        if !(fy > 0.0001 && fy < 0.9999) {
            continue;
        }
        for x in 0..nx {
            let fx = (x as f32 + 0.25) / (nx as f32 + dx + 0.25 - 1.0) + dx2;
            if !(fx > 0.0001 && fx < 0.9999) {
                continue;
            }
            let Some((mut mx, mut my)) = motion_at(&source, fx, fy) else {
                continue;
            };
            if !butterchurn_lengths {
                mx += half_texel.0;
                my -= half_texel.1;
            }
            let (ddx, ddy) =
                vector_extent((mx * len_mult, my * len_mult), min_len, butterchurn_lengths);
            // Our clip space is y up.
            let a = Point::new(fx * 2.0 - 1.0, 1.0 - fy * 2.0, color);
            let b = Point::new((fx + ddx) * 2.0 - 1.0, 1.0 - (fy + ddy) * 2.0, color);
            if s == 1.0 {
                // MilkDrop's own scale: the pixels Direct3D 9's line
                // lights (a vector of minimum length lights one).
                canvas.diamond_line(Blend::Alpha, a, b);
            } else {
                // Scaled up: capped, so a short vector lights a dot.
                canvas.capped_line(Blend::Alpha, a, b, s);
            }
        }
    }
}

/// How [`draw_motion_vectors`] draws, MilkDrop 2's way unless told to
/// imitate butterchurn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MotionVectorRules {
    /// Colours past 0..1 clamped (butterchurn) instead of wrapped as bytes.
    pub clamp_colours: bool,
    /// butterchurn's lengths (`vector_extent`) and motion (no half-texel
    /// offset, see [`draw_motion_vectors`]).
    pub butterchurn_lengths: bool,
}

/// The motion a vector at `(fx, fy)` (0..1, y down) shows: that of the
/// point mirrored top to bottom, its vertical part reversed, as MilkDrop 2
/// draws it. `ReversePropagatePoint` reads the warp mesh at row
/// `fy * gridY` counted from `m_verts`' row 0, which is the bottom of the
/// picture (`y = -1`, drawn at `-y` under the flipped projection; its
/// per-vertex `y` is 1), and returns `1 - tv` for a vector drawn `fy` from
/// the top. butterchurn's `generateMotionVectors` and `getMotionDir` do the
/// same. `source(fx, fy)` is where the warp samples the point `(fx, fy)`
/// from, y down.
fn motion_at(
    source: &dyn Fn(f32, f32) -> Option<(f32, f32)>,
    fx: f32,
    fy: f32,
) -> Option<(f32, f32)> {
    let (sx, sy) = source(fx, 1.0 - fy)?;
    Some((sx - fx, (1.0 - fy) - sy))
}

/// A motion vector's extent from `(dx, dy)` (its motion times `mv_l`):
/// MilkDrop 2's `DrawMotionVectors` stretches one shorter than `min_len`
/// (a texel) to it, one of no length to a texel each way, and keeps the
/// rest. butterchurn (`butterchurn_lengths`, its `generateMotionVectors`)
/// stretches the short ones the same but gives every other one a texel
/// across and its own height (`dxi = minLen` twice, where `dyi` was
/// meant): vertical strokes.
fn vector_extent((dx, dy): (f32, f32), min_len: f32, butterchurn_lengths: bool) -> (f32, f32) {
    let len = (dx * dx + dy * dy).sqrt();
    if len < min_len && len > 0.000_000_01 {
        let k = min_len / len;
        (dx * k, dy * k)
    } else if butterchurn_lengths {
        (min_len, dy)
    } else if len > 0.000_000_01 {
        (dx, dy)
    } else {
        (min_len, min_len)
    }
}

/// darken_center (a faint dark diamond in the middle), then the outer and
/// inner borders, as MilkDrop's `DrawSprites`.
pub fn draw_sprites(canvas: &mut Canvas, v: &DrawVars, aspect: [f32; 2], clamp_colours: bool) {
    if v.darken_center != 0.0 {
        let half = 0.05;
        let dark = [0.0, 0.0, 0.0, quantize(3.0 / 32.0)];
        let clear = [0.0; 4];
        let centre = Point::new(0.0, 0.0, dark);
        let rim = [
            Point::new(-half * aspect[1], 0.0, clear),
            Point::new(0.0, -half, clear),
            Point::new(half * aspect[1], 0.0, clear),
            Point::new(0.0, half, clear),
        ];
        for i in 0..4 {
            canvas.triangle(Blend::Alpha, [centre, rim[i], rim[(i + 1) % 4]]);
        }
    }

    let outer = v.ob_size as f32;
    let inner = v.ib_size as f32;
    let borders = [
        (v.ob_r, v.ob_g, v.ob_b, v.ob_a, 1.0 - outer, 1.0),
        (
            v.ib_r,
            v.ib_g,
            v.ib_b,
            v.ib_a,
            1.0 - outer - inner,
            1.0 - outer,
        ),
    ];
    for (r, g, b, a, rad_in, rad_out) in borders {
        if a.is_nan() || a as f32 <= 0.001 {
            continue;
        }
        let c = rgba(r, g, b, a, clamp_colours);
        // The right-hand trapezoid, then the same turned by 90 degrees
        // three times (exactly: (x, y) -> (-y, x)).
        let mut quad = [
            (rad_in, rad_in),
            (rad_out, rad_out),
            (rad_out, -rad_out),
            (rad_in, -rad_in),
        ];
        for _ in 0..4 {
            let p = quad.map(|(x, y)| Point::new(x, y, c));
            canvas.triangle(Blend::Alpha, [p[0], p[1], p[2]]);
            canvas.triangle(Blend::Alpha, [p[0], p[2], p[3]]);
            quad = quad.map(|(x, y)| (-y, x));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::waves::DRAW_VARS;

    fn border_colours(ob: [f64; 4], clamp_colours: bool) -> Vec<[f32; 4]> {
        let mut vars = [0.0; 32];
        let mut set = |name: &str, value: f64| {
            let i = DRAW_VARS.iter().position(|n| *n == name).unwrap();
            vars[i] = value;
        };
        set("ob_size", 0.05);
        for (name, value) in ["ob_r", "ob_g", "ob_b", "ob_a"].into_iter().zip(ob) {
            set(name, value);
        }
        let mut canvas = Canvas::new(64, 48);
        draw_sprites(
            &mut canvas,
            &DrawVars::from_array(vars),
            [1.0, 1.0],
            clamp_colours,
        );
        canvas.vertex_colours()
    }

    #[test]
    fn motion_vectors_keep_their_length_in_milkdrop_and_turn_upright_in_butterchurn() {
        let texel = 0.01;
        // Long: kept (MilkDrop 2); a texel across, own height (butterchurn).
        assert_eq!(vector_extent((0.03, -0.04), texel, false), (0.03, -0.04));
        assert_eq!(vector_extent((0.03, -0.04), texel, true), (0.01, -0.04));
        // Short: stretched to a texel along itself, by both.
        for butterchurn in [false, true] {
            let (x, y) = vector_extent((0.003, 0.004), texel, butterchurn);
            assert!((x - 0.006).abs() < 1e-6 && (y - 0.008).abs() < 1e-6);
        }
        // None: a texel each way (MilkDrop 2), a texel across (butterchurn).
        assert_eq!(vector_extent((0.0, 0.0), texel, false), (0.01, 0.01));
        assert_eq!(vector_extent((0.0, 0.0), texel, true), (0.01, 0.0));
    }

    #[test]
    fn vectors_show_the_motion_of_the_mirrored_point_upside_down() {
        // The warp pulls each point from a little right and below, more so
        // further down.
        let source = |fx: f32, fy: f32| Some((fx + 0.01 * fy, fy + 0.02 * fy));
        // A vector near the top shows the motion at fy = 0.9, its vertical
        // part reversed (MilkDrop 2, and butterchurn).
        let (x, y) = motion_at(&source, 0.3, 0.1).unwrap();
        assert!((x - 0.009).abs() < 1e-6 && (y + 0.018).abs() < 1e-6);
        // No motion shows none anywhere.
        let still = |fx: f32, fy: f32| Some((fx, fy));
        assert_eq!(motion_at(&still, 0.7, 0.2), Some((0.0, 0.0)));
    }

    #[test]
    fn border_colours_past_one_wrap_as_direct3d_bytes() {
        // D3DCOLOR_RGBA_01: ((int)(v * 255)) & 0xFF.
        let colours = border_colours([1.5, -0.1, 0.5, 1.2], false);
        assert!(!colours.is_empty());
        for c in &colours {
            assert_eq!(
                c,
                &[126.0 / 255.0, 231.0 / 255.0, 127.0 / 255.0, 50.0 / 255.0]
            );
        }
        // butterchurn clamps the floats.
        for c in border_colours([1.5, -0.1, 0.5, 1.2], true) {
            assert_eq!(c, [1.0, 0.0, 0.5, 1.0]);
        }
    }
}
