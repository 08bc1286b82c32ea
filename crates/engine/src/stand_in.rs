//! Kefir's own images for user textures that are not on disk.
//!
//! MilkDrop 2 leaves the sampler of a texture it cannot find unbound, which
//! reads as black: a preset written against MilkDrop's stock images
//! (`clouds`, `worms`, `lichen`, `cells`, `randNN`...) then draws a black
//! or empty picture for anyone without those files, and the texture pack is
//! not Kefir's to ship. Instead Kefir generates a small set of images of
//! its own (nothing here is derived from MilkDrop's files) and uses the one
//! whose kind fits the name the preset asked for; the warning that the file
//! is missing stays.
//!
//! | [`StandIn`] | used for names containing | image |
//! |---|---|---|
//! | `Clouds` | cloud, sky, smoke, fog, mist, nebula, sun, pano, water, sea | soft fractal noise, grey with a cool tint |
//! | `Veins` | worm, lichen, vein, vitriol, crack, marble, web, moss, rose | thin bright lines along contours of fractal noise, on dark |
//! | `Cells` | cell, tile, scale, mosaic, stone, grid, hex | coloured Voronoi cells with dark borders |
//! | `Gradient` | grad, ramp, fade, palette, colormap | a colour ramp along x (a palette for `tex2D(s, float2(v, 0))`) |
//! | `Pattern` | anything else | smooth colour interference bands |
//!
//! `randNN[_PREFIX]` with no file to pick takes the kind of its prefix, or
//! for no prefix the kind numbered by its slot. Every image is
//! [`SIZE`]x[`SIZE`], opaque, tiles seamlessly (all but the gradient's x
//! axis) and is the same on every run and platform.

use crate::rng::Rng;

/// Side of every generated image, in texels.
pub const SIZE: u32 = 256;

/// A kind of generated image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StandIn {
    Clouds,
    Veins,
    Cells,
    Gradient,
    Pattern,
}

/// The name fragments of each kind, tried in this order.
const KEYWORDS: [(StandIn, &[&str]); 4] = [
    (
        StandIn::Gradient,
        &["grad", "ramp", "fade", "palette", "colormap"],
    ),
    (
        StandIn::Cells,
        &["cell", "tile", "scale", "mosaic", "stone", "grid", "hex"],
    ),
    (
        StandIn::Veins,
        &[
            "worm", "lichen", "vein", "vitriol", "crack", "marble", "web", "moss", "rose",
        ],
    ),
    (
        StandIn::Clouds,
        &[
            "cloud", "sky", "smoke", "fog", "mist", "nebula", "sun", "pano", "water", "sea",
        ],
    ),
];

impl StandIn {
    /// Every kind, in slot order for `randNN` without a prefix.
    pub const ALL: [StandIn; 5] = [
        StandIn::Clouds,
        StandIn::Veins,
        StandIn::Cells,
        StandIn::Pattern,
        StandIn::Gradient,
    ];

    /// The kind standing in for the user texture `name` (the sampler's name
    /// without `sampler_` and any `fc_`-style prefix).
    pub fn for_name(name: &str) -> StandIn {
        let lower = name.to_ascii_lowercase();
        if let Some((slot, prefix)) = crate::textures::parse_rand_name(&lower) {
            if prefix.is_empty() {
                return Self::ALL[usize::from(slot) % Self::ALL.len()];
            }
            return Self::for_keywords(prefix);
        }
        Self::for_keywords(&lower)
    }

    fn for_keywords(lower: &str) -> StandIn {
        KEYWORDS
            .iter()
            .find(|(_, words)| words.iter().any(|w| lower.contains(w)))
            .map_or(StandIn::Pattern, |(kind, _)| *kind)
    }

    /// Its name in warnings and texture labels.
    pub fn name(self) -> &'static str {
        match self {
            StandIn::Clouds => "clouds",
            StandIn::Veins => "veins",
            StandIn::Cells => "cells",
            StandIn::Gradient => "gradient",
            StandIn::Pattern => "pattern",
        }
    }

    /// The image: [`SIZE`]x[`SIZE`] RGBA8 texels, rows from the top.
    pub fn generate(self) -> Vec<u8> {
        let noise = PeriodicNoise::new(0x4B65_6669_7200 + self as u64);
        let cells = Voronoi::new(0x6365_6C6C + self as u64, 8);
        let mut rgba = Vec::with_capacity((SIZE * SIZE * 4) as usize);
        for y in 0..SIZE {
            for x in 0..SIZE {
                let u = (x as f32 + 0.5) / SIZE as f32;
                let v = (y as f32 + 0.5) / SIZE as f32;
                let [r, g, b] = match self {
                    StandIn::Clouds => clouds(&noise, u, v),
                    StandIn::Veins => veins(&noise, u, v),
                    StandIn::Cells => cells.shade(u, v),
                    StandIn::Gradient => gradient(u, v),
                    StandIn::Pattern => pattern(&noise, u, v),
                };
                rgba.extend_from_slice(&[to_u8(r), to_u8(g), to_u8(b), 255]);
            }
        }
        rgba
    }
}

fn to_u8(c: f32) -> u8 {
    (c.clamp(0.0, 1.0) * 255.0 + 0.5) as u8
}

fn smoothstep(t: f32) -> f32 {
    t * t * (3.0 - 2.0 * t)
}

fn lerp(a: f32, b: f32, t: f32) -> f32 {
    a + (b - a) * t
}

/// Value noise on lattices that wrap at the texture's edge, so every octave
/// tiles.
struct PeriodicNoise {
    /// 64x64 random lattice values in 0..1.
    lattice: Vec<f32>,
}

const LATTICE: usize = 64;

impl PeriodicNoise {
    fn new(seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let lattice = (0..LATTICE * LATTICE)
            .map(|_| rng.below(1 << 16) as f32 / 65535.0)
            .collect();
        PeriodicNoise { lattice }
    }

    /// One octave with `period` lattice cells across the texture (a divisor
    /// of [`LATTICE`]).
    fn octave(&self, u: f32, v: f32, period: usize) -> f32 {
        let (fx, fy) = (u * period as f32, v * period as f32);
        let (x0, y0) = (fx.floor(), fy.floor());
        let (tx, ty) = (smoothstep(fx - x0), smoothstep(fy - y0));
        let step = LATTICE / period;
        let at = |ix: isize, iy: isize| {
            let ix = ix.rem_euclid(period as isize) as usize * step;
            let iy = iy.rem_euclid(period as isize) as usize * step;
            self.lattice[iy * LATTICE + ix]
        };
        let (ix, iy) = (x0 as isize, y0 as isize);
        let top = lerp(at(ix, iy), at(ix + 1, iy), tx);
        let bottom = lerp(at(ix, iy + 1), at(ix + 1, iy + 1), tx);
        lerp(top, bottom, ty)
    }

    /// Fractal sum of octaves from `period` up, each twice as fine and half
    /// as strong, normalised to 0..1.
    fn fbm(&self, u: f32, v: f32, period: usize, octaves: u32) -> f32 {
        let (mut sum, mut weight, mut amplitude, mut p) = (0.0, 0.0, 1.0, period);
        for _ in 0..octaves {
            sum += self.octave(u, v, p) * amplitude;
            weight += amplitude;
            amplitude *= 0.5;
            p = (p * 2).min(LATTICE);
        }
        sum / weight
    }
}

fn clouds(noise: &PeriodicNoise, u: f32, v: f32) -> [f32; 3] {
    // Stretch the fractal sum's narrow middle range over most of 0..1.
    let c = ((noise.fbm(u, v, 4, 6) - 0.5) * 1.7 + 0.5).clamp(0.0, 1.0);
    [c * 0.92, c * 0.96, c]
}

fn veins(noise: &PeriodicNoise, u: f32, v: f32) -> [f32; 3] {
    use std::f32::consts::TAU;
    let n = noise.fbm(u, v, 4, 4);
    // Thin bright lines along contours of the noise, several levels apart.
    let ridge = 1.0 - (TAU * 3.0 * n).sin().abs();
    let c = ridge.powi(3) * (0.6 + 0.4 * noise.octave(u, v, 16));
    [c * 0.95, c, c * 0.85]
}

fn gradient(u: f32, _v: f32) -> [f32; 3] {
    // Black, deep blue, magenta, orange, white.
    const STOPS: [[f32; 3]; 5] = [
        [0.0, 0.0, 0.0],
        [0.05, 0.1, 0.55],
        [0.75, 0.1, 0.6],
        [1.0, 0.6, 0.1],
        [1.0, 1.0, 1.0],
    ];
    let t = u * (STOPS.len() - 1) as f32;
    let i = (t.floor() as usize).min(STOPS.len() - 2);
    let f = smoothstep(t - i as f32);
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    [
        lerp(a[0], b[0], f),
        lerp(a[1], b[1], f),
        lerp(a[2], b[2], f),
    ]
}

fn pattern(noise: &PeriodicNoise, u: f32, v: f32) -> [f32; 3] {
    use std::f32::consts::TAU;
    // Whole periods across the texture, so the bands tile; noise bends them.
    let warp = noise.fbm(u, v, 4, 3) * 2.0;
    let a = (TAU * (2.0 * u + 3.0 * v) + warp * 3.0).sin();
    let b = (TAU * (5.0 * u - 2.0 * v) + warp * 2.0).sin();
    let s = 0.5 + 0.25 * (a + b);
    [
        0.5 + 0.5 * (TAU * s).cos(),
        0.5 + 0.5 * (TAU * (s + 0.33)).cos(),
        0.5 + 0.5 * (TAU * (s + 0.67)).cos(),
    ]
}

/// Voronoi cells: one jittered point per cell of an `n`x`n` grid that wraps.
struct Voronoi {
    n: usize,
    points: Vec<(f32, f32)>,
    colours: Vec<[f32; 3]>,
}

impl Voronoi {
    fn new(seed: u64, n: usize) -> Self {
        let mut rng = Rng::new(seed);
        let mut unit = move || rng.below(1 << 16) as f32 / 65536.0;
        let points = (0..n * n).map(|_| (unit(), unit())).collect();
        let colours = (0..n * n)
            .map(|_| {
                let hue = unit();
                let light = 0.55 + 0.45 * unit();
                hue_to_rgb(hue).map(|c| (0.25 + 0.75 * c) * light)
            })
            .collect();
        Voronoi { n, points, colours }
    }

    fn shade(&self, u: f32, v: f32) -> [f32; 3] {
        let n = self.n as isize;
        let (fx, fy) = (u * n as f32, v * n as f32);
        let (cx, cy) = (fx.floor() as isize, fy.floor() as isize);
        let (mut d1, mut d2, mut nearest) = (f32::MAX, f32::MAX, 0);
        for dy in -1..=1 {
            for dx in -1..=1 {
                let (gx, gy) = (cx + dx, cy + dy);
                let index = (gy.rem_euclid(n) * n + gx.rem_euclid(n)) as usize;
                let (px, py) = self.points[index];
                let (x, y) = (gx as f32 + px - fx, gy as f32 + py - fy);
                let d = (x * x + y * y).sqrt();
                if d < d1 {
                    (d2, d1, nearest) = (d1, d, index);
                } else if d < d2 {
                    d2 = d;
                }
            }
        }
        // Dark where the two nearest points are about as near: the borders.
        let edge = ((d2 - d1) * 6.0).min(1.0);
        let centre = 1.0 - 0.35 * d1.min(1.0);
        self.colours[nearest].map(|c| c * edge * centre)
    }
}

fn hue_to_rgb(h: f32) -> [f32; 3] {
    let channel = |offset: f32| {
        let t = (h + offset).fract() * 6.0;
        (if t < 3.0 { t - 1.0 } else { 5.0 - t }).clamp(0.0, 1.0)
    };
    [channel(0.0), channel(2.0 / 3.0), channel(1.0 / 3.0)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texel(img: &[u8], x: u32, y: u32) -> [u8; 4] {
        let i = ((y * SIZE + x) * 4) as usize;
        img[i..i + 4].try_into().unwrap()
    }

    fn mean_luma(img: &[u8]) -> f64 {
        img.chunks_exact(4)
            .map(|p| (f64::from(p[0]) + f64::from(p[1]) + f64::from(p[2])) / 3.0)
            .sum::<f64>()
            / f64::from(SIZE * SIZE)
    }

    #[test]
    fn names_pick_the_kind_that_fits() {
        assert_eq!(StandIn::for_name("clouds"), StandIn::Clouds);
        assert_eq!(StandIn::for_name("Clouds2"), StandIn::Clouds);
        assert_eq!(StandIn::for_name("pano_earth_clouds"), StandIn::Clouds);
        assert_eq!(StandIn::for_name("worms"), StandIn::Veins);
        assert_eq!(StandIn::for_name("lichen"), StandIn::Veins);
        assert_eq!(StandIn::for_name("cells"), StandIn::Cells);
        assert_eq!(StandIn::for_name("grad16"), StandIn::Gradient);
        assert_eq!(StandIn::for_name("fire_dis4"), StandIn::Pattern);
        assert_eq!(StandIn::for_name("rand03_smalltiled"), StandIn::Cells);
        assert_eq!(StandIn::for_name("rand00"), StandIn::ALL[0]);
        assert_eq!(StandIn::for_name("rand07"), StandIn::ALL[2]);
        // Not a randNN name: matched by keyword.
        assert_eq!(StandIn::for_name("random_sky"), StandIn::Clouds);
    }

    #[test]
    fn every_image_is_opaque_lit_and_textured() {
        for kind in StandIn::ALL {
            let img = kind.generate();
            assert_eq!(img.len(), (SIZE * SIZE * 4) as usize);
            assert!(img.chunks_exact(4).all(|p| p[3] == 255), "{kind:?}");
            let luma = mean_luma(&img);
            assert!((20.0..230.0).contains(&luma), "{kind:?}: mean {luma:.1}");
            let distinct: std::collections::HashSet<[u8; 4]> =
                img.chunks_exact(4).map(|p| p.try_into().unwrap()).collect();
            assert!(distinct.len() > 200, "{kind:?}: {} colours", distinct.len());
        }
    }

    #[test]
    fn images_are_deterministic() {
        for kind in StandIn::ALL {
            assert_eq!(kind.generate(), kind.generate(), "{kind:?}");
        }
    }

    #[test]
    fn images_tile_without_a_seam() {
        // Across the wrap, neighbouring texels differ no more than
        // neighbours inside the image do.
        for kind in [
            StandIn::Clouds,
            StandIn::Veins,
            StandIn::Cells,
            StandIn::Pattern,
        ] {
            let img = kind.generate();
            let step = |a: [u8; 4], b: [u8; 4]| {
                (0..3)
                    .map(|c| (i32::from(a[c]) - i32::from(b[c])).abs())
                    .max()
                    .unwrap()
            };
            let inner = (0..SIZE)
                .map(|y| step(texel(&img, 127, y), texel(&img, 128, y)))
                .max()
                .unwrap();
            let seam = (0..SIZE)
                .map(|y| step(texel(&img, SIZE - 1, y), texel(&img, 0, y)))
                .max()
                .unwrap();
            let inner_v = (0..SIZE)
                .map(|x| step(texel(&img, x, 127), texel(&img, x, 128)))
                .max()
                .unwrap();
            let seam_v = (0..SIZE)
                .map(|x| step(texel(&img, x, SIZE - 1), texel(&img, x, 0)))
                .max()
                .unwrap();
            let bound = inner.max(inner_v).max(8) * 2;
            assert!(seam <= bound, "{kind:?}: x seam {seam}, inside {inner}");
            assert!(
                seam_v <= bound,
                "{kind:?}: y seam {seam_v}, inside {inner_v}"
            );
        }
    }

    #[test]
    fn the_gradient_runs_dark_to_bright_along_x() {
        let img = StandIn::Gradient.generate();
        let luma = |x| {
            let p = texel(&img, x, 100);
            u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2])
        };
        assert!(luma(0) < 10);
        assert!(luma(SIZE - 1) > 740);
        assert_eq!(texel(&img, 40, 0), texel(&img, 40, SIZE - 1));
    }
}
