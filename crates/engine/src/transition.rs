//! MilkDrop 2's blend patterns for soft transitions between presets.
//!
//! During a blend both presets run their per-frame and per-vertex code, and
//! each warp mesh vertex takes its texture coordinate from the old preset,
//! the new one, or a mix of both: `mix = clamp(a * progress + c, 0, 1)`
//! (0 = old, 1 = new) with per-vertex `a` and `c` from a random pattern
//! (MilkDrop 2's `RandomizeBlendPattern`). Every pattern has `mix <= 0` for
//! all vertices at progress 0 and `mix >= 1` at progress 1; a band of
//! vertices in between sweeps across the screen. Where shaders are involved
//! the same per-vertex `mix` is the alpha of the new preset's warp and
//! composite over the old one's. The per-frame values that do not move
//! pixels (colours, decay, gamma, echo, blur ranges) are mixed along a
//! cosine of the blend's progress instead ([`crate::runtime::FrameState::blended`]),
//! and two MilkDrop 1.x presets share one composite with those values.

use crate::rng::Rng;

/// How the hand-over sweeps across the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlendPattern {
    /// Everywhere at once (MilkDrop 2 no longer picks it: with shaders both
    /// presets would run on every pixel for the whole blend).
    Uniform,
    /// A straight edge crossing the screen in a random direction.
    Wipe,
    /// A plasma (midpoint-displacement) cloud: the new preset appears in
    /// random blobs.
    Plasma,
    /// A circle growing from the centre or closing in from the edges.
    Radial,
}

impl BlendPattern {
    /// The patterns MilkDrop 2 picks from, with equal chances.
    pub const RANDOM: [BlendPattern; 3] = [
        BlendPattern::Wipe,
        BlendPattern::Plasma,
        BlendPattern::Radial,
    ];

    /// A random pattern as MilkDrop 2 picks one.
    pub fn random(rng: &mut Rng) -> Self {
        Self::RANDOM[(rng.next_u64() % 3) as usize]
    }

    /// `(a, c)` for every vertex of a `cols` x `rows` cell mesh (rows of
    /// `cols + 1` vertices, as [`crate::mesh::WarpMesh`]), for MilkDrop's
    /// aspect factors.
    pub fn coefficients(
        self,
        cols: u32,
        rows: u32,
        aspect: [f32; 2],
        rng: &mut Rng,
    ) -> Vec<[f32; 2]> {
        let (w, h) = (cols as usize + 1, rows as usize + 1);
        let mut frand = || rng.next_f32();
        // Band width `band`: the fraction of the sweep over which a vertex
        // goes from old to new. `t` in 0..1 orders the vertices.
        let sweep = |band: f32, t: f32| {
            let inv = 1.0 / band;
            [inv * (1.0 + band), -inv + inv * t]
        };
        match self {
            BlendPattern::Uniform => vec![[1.0, 0.0]; w * h],
            BlendPattern::Wipe => {
                let ang = frand() * crate::stages::MILKDROP_TWO_PI;
                let (vx, vy) = (ang.cos(), ang.sin());
                let band = 0.1 + 0.2 * frand();
                let mut out = Vec::with_capacity(w * h);
                for y in 0..h {
                    let fy = y as f32 / rows.max(1) as f32 * aspect[1];
                    for x in 0..w {
                        let fx = x as f32 / cols.max(1) as f32 * aspect[0];
                        let t = (fx - 0.5) * vx + (fy - 0.5) * vy + 0.5;
                        let t = (t - 0.5) / std::f32::consts::SQRT_2 + 0.5;
                        out.push(sweep(band, t));
                    }
                }
                out
            }
            BlendPattern::Plasma => {
                let band = 0.12 + 0.13 * frand();
                let mut heights = vec![0.0f32; w * h];
                heights[0] = frand();
                heights[w - 1] = frand();
                heights[(h - 1) * w] = frand();
                heights[(h - 1) * w + w - 1] = frand();
                plasma(
                    &mut heights,
                    w,
                    (0, w - 1, 0, h - 1),
                    0.25,
                    aspect,
                    &mut frand,
                );
                let min = heights.iter().copied().fold(f32::INFINITY, f32::min);
                let max = heights.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                let scale = if max > min { 1.0 / (max - min) } else { 0.0 };
                heights
                    .iter()
                    .map(|v| sweep(band, (v - min) * scale))
                    .collect()
            }
            BlendPattern::Radial => {
                let band = 0.02 + 0.14 * frand() + 0.34 * frand();
                let inside_out = rng.next_u64().is_multiple_of(2);
                let mut out = Vec::with_capacity(w * h);
                for y in 0..h {
                    let dy = (y as f32 / rows.max(1) as f32 - 0.5) * aspect[1];
                    for x in 0..w {
                        let dx = (x as f32 / cols.max(1) as f32 - 0.5) * aspect[0];
                        let t = (dx * dx + dy * dy).sqrt() * std::f32::consts::SQRT_2;
                        out.push(sweep(band, if inside_out { 1.0 - t } else { t }));
                    }
                }
                out
            }
        }
    }
}

/// The per-vertex mix (0 = old preset, 1 = new) at `progress` (0..1).
pub fn mix(coefficients: [f32; 2], progress: f32) -> f32 {
    (coefficients[0] * progress + coefficients[1]).clamp(0.0, 1.0)
}

/// MilkDrop's midpoint displacement over the grid rectangle
/// `(x0, x1, y0, y1)`: edges get the average of their ends plus noise
/// scaled by `dt` (and the aspect factor), then the centre, then the four
/// quarters with half the noise.
fn plasma(
    heights: &mut [f32],
    w: usize,
    (x0, x1, y0, y1): (usize, usize, usize, usize),
    dt: f32,
    aspect: [f32; 2],
    frand: &mut dyn FnMut() -> f32,
) {
    let (mx, my) = ((x0 + x1) / 2, (y0 + y1) / 2);
    let at = |x: usize, y: usize| y * w + x;
    let (t00, t01, t10, t11) = (
        heights[at(x0, y0)],
        heights[at(x1, y0)],
        heights[at(x0, y1)],
        heights[at(x1, y1)],
    );
    if y1 - y0 >= 2 {
        if x0 == 0 {
            heights[at(x0, my)] = 0.5 * (t00 + t10) + (frand() * 2.0 - 1.0) * dt * aspect[1];
        }
        heights[at(x1, my)] = 0.5 * (t01 + t11) + (frand() * 2.0 - 1.0) * dt * aspect[1];
    }
    if x1 - x0 >= 2 {
        if y0 == 0 {
            heights[at(mx, y0)] = 0.5 * (t00 + t01) + (frand() * 2.0 - 1.0) * dt * aspect[0];
        }
        heights[at(mx, y1)] = 0.5 * (t10 + t11) + (frand() * 2.0 - 1.0) * dt * aspect[0];
    }
    if y1 - y0 >= 2 && x1 - x0 >= 2 {
        let sum =
            heights[at(x0, my)] + heights[at(x1, my)] + heights[at(mx, y0)] + heights[at(mx, y1)];
        heights[at(mx, my)] = 0.25 * sum + (frand() * 2.0 - 1.0) * dt;
        for (a, b, c, d) in [
            (x0, mx, y0, my),
            (mx, x1, y0, my),
            (x0, mx, my, y1),
            (mx, x1, my, y1),
        ] {
            plasma(heights, w, (a, b, c, d), dt * 0.5, aspect, frand);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_goes_from_old_to_new() {
        for (seed, pattern) in [
            BlendPattern::Uniform,
            BlendPattern::Wipe,
            BlendPattern::Plasma,
            BlendPattern::Radial,
        ]
        .into_iter()
        .enumerate()
        {
            for s in 0..8 {
                let mut rng = Rng::new(seed as u64 * 100 + s);
                let coeffs = pattern.coefficients(48, 36, [1.0, 0.75], &mut rng);
                assert_eq!(coeffs.len(), 49 * 37);
                // (within f32 rounding of `a + c` at the band's edge)
                assert!(
                    coeffs.iter().all(|&c| mix(c, 0.0) < 1e-5),
                    "{pattern:?} starts old"
                );
                assert!(
                    coeffs.iter().all(|&c| mix(c, 1.0) > 1.0 - 1e-5),
                    "{pattern:?} ends new"
                );
                // Mixing never goes back.
                for &c in &coeffs {
                    let steps: Vec<f32> = (0..=10).map(|i| mix(c, i as f32 / 10.0)).collect();
                    assert!(steps.windows(2).all(|p| p[1] >= p[0]));
                }
            }
        }
    }

    #[test]
    fn sweeps_are_spread_out_in_time() {
        // Halfway through, a wipe has parts fully old and fully new.
        let mut rng = Rng::new(3);
        let coeffs = BlendPattern::Wipe.coefficients(48, 36, [1.0, 0.75], &mut rng);
        let at = |p: f32| coeffs.iter().map(|&c| mix(c, p)).collect::<Vec<_>>();
        let mid = at(0.5);
        assert!(mid.contains(&0.0) || mid.contains(&1.0));
        assert!(mid.iter().any(|&m| m > 0.0 && m < 1.0), "a band in between");
        // Uniform mixes everywhere alike.
        let mut rng = Rng::new(3);
        let uniform = BlendPattern::Uniform.coefficients(8, 6, [1.0, 1.0], &mut rng);
        assert!(uniform.iter().all(|&c| mix(c, 0.3) == 0.3));
    }

    #[test]
    fn patterns_are_seeded() {
        let make =
            |seed| BlendPattern::Plasma.coefficients(32, 24, [1.0, 0.75], &mut Rng::new(seed));
        assert_eq!(make(1), make(1));
        assert_ne!(make(1), make(2));
    }
}
