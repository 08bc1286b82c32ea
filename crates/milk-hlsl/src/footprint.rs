//! Texture reads that never minify: what the translator can prove about a
//! `tex2D`/`tex3D` coordinate's screen-space derivatives.
//!
//! The built-in noise textures and user textures have mip levels, and
//! Direct3D picks the level of each read from its coordinate's
//! derivatives. Most presets read
//! them at a fixed scale of the screen position (`uv_orig * texsize.xy *
//! texsize_noise_lq.zw`: one texel a pixel, MilkDrop 2's dithering idiom),
//! where the level is 0 at every pixel. Mip selection is dear on a
//! software rasteriser (llvmpipe: 2 ms for one full-screen read at 720p),
//! so where the coordinate is provably `slope * uv_orig + c`, with `c` the
//! same at every pixel and the slope known up to powers of `texsize`, the
//! read gets a binding of its own carrying its [`Footprint`], and the
//! engine binds the texture's level 0 alone there when no read of that
//! binding minifies at the frame's size: the same texels with the same
//! weights, so the same result.
//!
//! The analysis is an abstract evaluation of expressions, component by
//! component ([`Lane`]); anything it does not model is [`Lane::Varying`],
//! which keeps the read as it was.

use crate::ast::{Expr, ExprKind, Scalar, Stmt, StmtKind, Type};

/// A value `k * W^w * H^h`, where W and H are the main texture's size
/// (`texsize.xy`): a literal has `w = h = 0`, `texsize.x` is `(1, 1, 0)`,
/// `texsize.w` is `(1, 0, -1)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scaled {
    pub k: f64,
    pub w: i8,
    pub h: i8,
}

// `k` is never NaN (literals are numbers, products are checked finite).
impl Eq for Scaled {}

impl std::hash::Hash for Scaled {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // -0.0 and 0.0 are equal: hash them alike.
        (self.k + 0.0).to_bits().hash(state);
        self.w.hash(state);
        self.h.hash(state);
    }
}

/// Exponents beyond this are not followed (nothing real needs them).
const MAX_POWER: i8 = 4;

impl Scaled {
    pub const fn constant(k: f64) -> Self {
        Scaled { k, w: 0, h: 0 }
    }

    fn times(self, o: Scaled) -> Option<Scaled> {
        let (w, h) = (self.w + o.w, self.h + o.h);
        let k = self.k * o.k;
        (w.abs() <= MAX_POWER && h.abs() <= MAX_POWER && k.is_finite()).then_some(Scaled {
            k,
            w,
            h,
        })
    }

    fn over(self, o: Scaled) -> Option<Scaled> {
        if o.k == 0.0 {
            return None;
        }
        self.times(Scaled {
            k: 1.0 / o.k,
            w: -o.w,
            h: -o.h,
        })
    }

    /// The value for a main texture of `texsize` (width, height).
    pub fn value(self, texsize: (u32, u32)) -> f64 {
        let (w, h) = (f64::from(texsize.0.max(1)), f64::from(texsize.1.max(1)));
        self.k * w.powi(i32::from(self.w)) * h.powi(i32::from(self.h))
    }
}

/// One component of a value, as far as the analysis knows it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lane {
    /// The same at every pixel, and known.
    Known(Scaled),
    /// The same at every pixel; the value is not known here.
    Uniform,
    /// `slope * uv_orig[axis] + c`, with `c` the same at every pixel.
    Linear { axis: u8, slope: Scaled },
    /// Anything else.
    Varying,
}

impl Lane {
    fn is_uniform(self) -> bool {
        matches!(self, Lane::Known(_) | Lane::Uniform)
    }

    fn neg(self) -> Lane {
        match self {
            Lane::Known(s) => Lane::Known(Scaled { k: -s.k, ..s }),
            Lane::Linear { axis, slope } => Lane::Linear {
                axis,
                slope: Scaled {
                    k: -slope.k,
                    ..slope
                },
            },
            other => other,
        }
    }

    fn add(self, o: Lane) -> Lane {
        use Lane::*;
        match (self, o) {
            (Known(a), Known(b)) if (a.w, a.h) == (b.w, b.h) => Known(Scaled { k: a.k + b.k, ..a }),
            (a, b) if a.is_uniform() && b.is_uniform() => Uniform,
            (Linear { axis, slope }, b) | (b, Linear { axis, slope }) if b.is_uniform() => {
                Linear { axis, slope }
            }
            (Linear { axis: a, slope: s }, Linear { axis: b, slope: t })
                if a == b && (s.w, s.h) == (t.w, t.h) =>
            {
                Linear {
                    axis: a,
                    slope: Scaled { k: s.k + t.k, ..s },
                }
            }
            _ => Varying,
        }
    }

    fn mul(self, o: Lane) -> Lane {
        use Lane::*;
        let linear =
            |axis, slope: Option<Scaled>| slope.map_or(Varying, |slope| Linear { axis, slope });
        match (self, o) {
            (Known(a), Known(b)) => a.times(b).map_or(Uniform, Known),
            (a, b) if a.is_uniform() && b.is_uniform() => Uniform,
            (Linear { axis, slope }, Known(k)) | (Known(k), Linear { axis, slope }) => {
                linear(axis, slope.times(k))
            }
            _ => Varying,
        }
    }

    fn div(self, o: Lane) -> Lane {
        use Lane::*;
        match (self, o) {
            (Known(a), Known(b)) => a.over(b).map_or(Uniform, Known),
            (a, b) if a.is_uniform() && b.is_uniform() => Uniform,
            (Linear { axis, slope }, Known(k)) => slope
                .over(k)
                .map_or(Varying, |slope| Linear { axis, slope }),
            _ => Varying,
        }
    }
}

/// Lanes of a value of type `t` about which nothing is known.
pub fn varying(t: &Type) -> Vec<Lane> {
    vec![Lane::Varying; width(t).unwrap_or(1)]
}

/// Components of a scalar or vector type.
pub fn width(t: &Type) -> Option<usize> {
    match t {
        Type::Scalar(_) => Some(1),
        Type::Vector(_, n) => Some(usize::from(*n)),
        _ => None,
    }
}

/// `lanes` as a value of `n` components: a scalar spreads, a longer vector
/// is cut (HLSL's implicit truncation), a shorter one is unknown.
pub fn fit(lanes: Vec<Lane>, n: usize) -> Vec<Lane> {
    match lanes.len() {
        1 => vec![lanes[0]; n],
        l if l >= n => lanes[..n].to_vec(),
        _ => vec![Lane::Varying; n],
    }
}

/// Component-wise `+ - * /` of two values, HLSL-style: a scalar spreads,
/// the longer vector is cut to the shorter.
pub fn binary(op: &str, a: &[Lane], b: &[Lane]) -> Vec<Lane> {
    let n = if a.len() == 1 || b.len() == 1 {
        a.len().max(b.len())
    } else {
        a.len().min(b.len())
    };
    let (a, b) = (fit(a.to_vec(), n), fit(b.to_vec(), n));
    a.iter()
        .zip(&b)
        .map(|(&x, &y)| match op {
            "+" => x.add(y),
            "-" => x.add(y.neg()),
            "*" => x.mul(y),
            "/" => x.div(y),
            _ if x.is_uniform() && y.is_uniform() => Lane::Uniform,
            _ => Lane::Varying,
        })
        .collect()
}

/// `-x`, `+x`, `!x`, `~x`.
pub fn unary(op: &str, a: Vec<Lane>) -> Vec<Lane> {
    match op {
        "-" => a.into_iter().map(Lane::neg).collect(),
        "+" => a,
        _ => a.into_iter().map(uniform_or_varying).collect(),
    }
}

/// The same at every pixel (value unknown) or varying: what any function of
/// `l` is.
pub fn uniform_or_varying(l: Lane) -> Lane {
    if l.is_uniform() {
        Lane::Uniform
    } else {
        Lane::Varying
    }
}

/// A conversion to type `t`: floats keep what is known, integers and bools
/// of a uniform value stay uniform.
pub fn cast(a: Vec<Lane>, t: &Type) -> Vec<Lane> {
    let Some(n) = width(t) else {
        return varying(t);
    };
    let a = fit(a, n);
    match t {
        Type::Scalar(Scalar::Float) | Type::Vector(Scalar::Float, _) => a,
        _ => a.into_iter().map(uniform_or_varying).collect(),
    }
}

/// `v.xy`, `v.rgb`, `v.x`: the lanes a swizzle picks, or `None` when `m` is
/// not a swizzle of `a`.
pub fn swizzle(a: &[Lane], m: &str) -> Option<Vec<Lane>> {
    if m.is_empty() || m.len() > 4 {
        return None;
    }
    m.chars()
        .map(|c| {
            let i = match c {
                'x' | 'r' => 0,
                'y' | 'g' => 1,
                'z' | 'b' => 2,
                'w' | 'a' => 3,
                _ => return None,
            };
            // A scalar's `.xx` repeats it.
            if a.len() == 1 && i == 0 {
                return Some(a[0]);
            }
            a.get(i).copied()
        })
        .collect()
}

/// Intrinsics computed component by component, whose result is therefore
/// the same at every pixel when their arguments are.
const COMPONENT_WISE: &[&str] = &[
    "abs",
    "acos",
    "asin",
    "atan",
    "atan2",
    "ceil",
    "clamp",
    "cos",
    "cosh",
    "degrees",
    "exp",
    "exp2",
    "floor",
    "fmod",
    "frac",
    "lerp",
    "log",
    "log10",
    "log2",
    "max",
    "min",
    "pow",
    "radians",
    "round",
    "rsqrt",
    "saturate",
    "sign",
    "sin",
    "sinh",
    "smoothstep",
    "sqrt",
    "step",
    "tan",
    "tanh",
    "trunc",
];

/// What an intrinsic call gives, from its arguments' lanes: uniform where
/// every argument is (`sin(time)`, `frac(q1 * 3)`), else varying.
pub fn intrinsic(name: &str, args: &[Vec<Lane>]) -> Vec<Lane> {
    let uniform = args.iter().flatten().all(|l| l.is_uniform());
    let n = if COMPONENT_WISE.contains(&name) {
        args.iter().map(Vec::len).max().unwrap_or(1)
    } else if matches!(name, "dot" | "length" | "distance") {
        1
    } else {
        return vec![Lane::Varying];
    };
    vec![
        if uniform {
            Lane::Uniform
        } else {
            Lane::Varying
        };
        n
    ]
}

/// The names an expression writes (assignments, `++`/`--`, `out`
/// arguments of `sincos`/`modf` and of the shader's own functions):
/// what a loop must forget before it runs.
pub fn written_names(e: &Expr, user_function: &dyn Fn(&str) -> bool, out: &mut Vec<String>) {
    fn root(e: &Expr) -> Option<&str> {
        match &e.kind {
            ExprKind::Ident(n) => Some(n),
            ExprKind::Member(b, _) | ExprKind::Index(b, _) => root(b),
            _ => None,
        }
    }
    match &e.kind {
        ExprKind::Assign(_, l, r) => {
            out.extend(root(l).map(str::to_string));
            written_names(l, user_function, out);
            written_names(r, user_function, out);
        }
        ExprKind::IncDec(_, _, a) => {
            out.extend(root(a).map(str::to_string));
            written_names(a, user_function, out);
        }
        ExprKind::Call(name, args) => {
            let writes = user_function(name) || matches!(name.as_str(), "sincos" | "modf");
            for a in args {
                if writes {
                    out.extend(root(a).map(str::to_string));
                }
                written_names(a, user_function, out);
            }
        }
        ExprKind::Unary(_, a) | ExprKind::Cast(_, a) | ExprKind::Member(a, _) => {
            written_names(a, user_function, out)
        }
        ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) | ExprKind::Comma(a, b) => {
            written_names(a, user_function, out);
            written_names(b, user_function, out);
        }
        ExprKind::Ternary(a, b, c) => {
            for x in [a, b, c] {
                written_names(x, user_function, out);
            }
        }
        ExprKind::Construct(_, items) | ExprKind::InitList(items) => {
            for x in items {
                written_names(x, user_function, out);
            }
        }
        ExprKind::Ident(_) | ExprKind::Int(..) | ExprKind::Float(_) | ExprKind::Bool(_) => {}
    }
}

/// [`written_names`] of every expression in a statement and the statements
/// inside it.
pub fn written_in(s: &Stmt, user_function: &dyn Fn(&str) -> bool, out: &mut Vec<String>) {
    let expr = |e: &Expr, out: &mut Vec<String>| written_names(e, user_function, out);
    match &s.kind {
        StmtKind::Decl(ds) => {
            for d in ds {
                if let Some(e) = &d.init {
                    expr(e, out);
                }
            }
        }
        StmtKind::Expr(e) => expr(e, out),
        StmtKind::Return(e) => {
            if let Some(e) = e {
                expr(e, out);
            }
        }
        StmtKind::If(c, a, b) => {
            expr(c, out);
            written_in(a, user_function, out);
            if let Some(b) = b {
                written_in(b, user_function, out);
            }
        }
        StmtKind::For(init, cond, step, body) => {
            if let Some(i) = init {
                written_in(i, user_function, out);
            }
            for e in [cond, step].into_iter().flatten() {
                expr(e, out);
            }
            written_in(body, user_function, out);
        }
        StmtKind::While(c, body) | StmtKind::DoWhile(body, c) => {
            expr(c, out);
            written_in(body, user_function, out);
        }
        StmtKind::Block(b) => {
            for s in b {
                written_in(s, user_function, out);
            }
        }
        StmtKind::Switch(selector, cases) => {
            expr(selector, out);
            for s in cases.iter().flat_map(|c| &c.body) {
                written_in(s, user_function, out);
            }
        }
        StmtKind::Break | StmtKind::Continue | StmtKind::Discard | StmtKind::Empty => {}
    }
}

/// How one texture read's coordinate moves across the target: component
/// `i` is `slopes[i] * uv_orig[axis] + c` (`Some((axis, slope))`) or the
/// same at every pixel (`None`), with `uv_orig` running from 0 to 1 across
/// the target.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Footprint {
    pub slopes: Vec<Option<(u8, Scaled)>>,
}

impl Footprint {
    /// The footprint of a coordinate with these lanes, if every lane is
    /// known well enough.
    pub fn of(lanes: &[Lane]) -> Option<Footprint> {
        let slopes = lanes
            .iter()
            .map(|l| match *l {
                Lane::Known(_) | Lane::Uniform => Some(None),
                Lane::Linear { axis, slope } => Some(Some((axis, slope))),
                Lane::Varying => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Footprint { slopes })
    }

    /// Texels one pixel step covers: the longer of the coordinate's
    /// texel-space derivatives along the target's x and y (Direct3D's
    /// level of detail is its log2), for a main texture of `texsize`, a
    /// target of `target` pixels and a texture of `texture` texels
    /// (width, height, depth).
    pub fn texels_per_pixel(
        &self,
        texsize: (u32, u32),
        target: (u32, u32),
        texture: [u32; 3],
    ) -> f64 {
        let target = [target.0, target.1].map(|t| f64::from(t.max(1)));
        (0..2u8)
            .map(|screen_axis| {
                self.slopes
                    .iter()
                    .zip(texture)
                    .filter_map(|(s, size)| match s {
                        Some((axis, slope)) if *axis == screen_axis => Some(
                            slope.value(texsize) / target[usize::from(screen_axis)]
                                * f64::from(size),
                        ),
                        _ => None,
                    })
                    .map(|d| d * d)
                    .sum::<f64>()
                    .sqrt()
            })
            .fold(0.0, f64::max)
    }

    /// Whether the read takes level 0 at every pixel (at most one texel a
    /// pixel; the margin covers the rounding of the derivatives a GPU
    /// takes, which moves the level by far less than an 8-bit step).
    pub fn magnifies(&self, texsize: (u32, u32), target: (u32, u32), texture: [u32; 3]) -> bool {
        self.texels_per_pixel(texsize, target, texture) <= 1.0 + 1e-5
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const X: Lane = Lane::Linear {
        axis: 0,
        slope: Scaled::constant(1.0),
    };

    fn known(k: f64, w: i8, h: i8) -> Lane {
        Lane::Known(Scaled { k, w, h })
    }

    #[test]
    fn dithering_reads_one_texel_a_pixel_at_any_size() {
        // uv_orig * texsize.xy * texsize_noise_lq.zw + rand_frame.xy
        let uv = [
            X,
            Lane::Linear {
                axis: 1,
                slope: Scaled::constant(1.0),
            },
        ];
        let scaled = binary("*", &uv, &[known(1.0, 1, 0), known(1.0, 0, 1)]);
        let scaled = binary("*", &scaled, &[known(1.0 / 256.0, 0, 0)]);
        let coord = binary("+", &scaled, &[Lane::Uniform, Lane::Uniform]);
        let f = Footprint::of(&coord).unwrap();
        for size in [(640, 480), (1280, 720), (1921, 1079)] {
            let t = f.texels_per_pixel(size, size, [256, 256, 1]);
            assert!((t - 1.0).abs() < 1e-12, "{size:?}: {t}");
            assert!(f.magnifies(size, size, [256, 256, 1]));
        }
    }

    #[test]
    fn fixed_scales_magnify_only_on_large_targets() {
        // uv_orig * 4 on a 256-texel texture: 1024 texels across the target.
        let coord = binary(
            "*",
            &[
                X,
                Lane::Linear {
                    axis: 1,
                    slope: Scaled::constant(1.0),
                },
            ],
            &[known(4.0, 0, 0)],
        );
        let f = Footprint::of(&coord).unwrap();
        assert!(
            !f.magnifies((1280, 720), (1280, 720), [256, 256, 1]),
            "720 rows < 1024 texels"
        );
        assert!(f.magnifies((2048, 1152), (2048, 1152), [256, 256, 1]));
        assert!((f.texels_per_pixel((512, 512), (512, 512), [256, 256, 1]) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn unknown_slopes_and_varying_offsets_prove_nothing() {
        let uv = [X];
        // uv_orig.x * q1: the slope is not known.
        assert_eq!(Footprint::of(&binary("*", &uv, &[Lane::Uniform])), None);
        // uv_orig.x + ret.x: the offset varies.
        assert_eq!(Footprint::of(&binary("+", &uv, &[Lane::Varying])), None);
        // uv_orig.x * uv_orig.x is not linear.
        assert_eq!(Footprint::of(&binary("*", &uv, &uv)), None);
        // A constant coordinate reads one texel everywhere: level 0.
        let f = Footprint::of(&[Lane::Uniform, known(0.5, 0, 0)]).unwrap();
        assert_eq!(f.texels_per_pixel((64, 64), (64, 64), [256, 256, 1]), 0.0);
    }

    #[test]
    fn both_coordinates_along_one_screen_axis_add_up() {
        // float2(uv_orig.x, uv_orig.x) on a 256-texel texture and a
        // 256-pixel target: the derivative along x is (1, 1) texels,
        // sqrt(2) long.
        let coord = binary("*", &[X, X], &[known(1.0, 0, 0)]);
        let f = Footprint::of(&coord).unwrap();
        let t = f.texels_per_pixel((256, 256), (256, 256), [256, 256, 1]);
        assert!((t - 2f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn swizzles_and_truncation_follow_hlsl() {
        let v = [X, Lane::Uniform, known(2.0, 0, 0)];
        assert_eq!(swizzle(&v, "zx"), Some(vec![known(2.0, 0, 0), X]));
        assert_eq!(swizzle(&[X], "xx"), Some(vec![X, X]));
        assert_eq!(swizzle(&v, "q"), None);
        assert_eq!(fit(v.to_vec(), 2), vec![X, Lane::Uniform]);
        assert_eq!(fit(vec![X, X], 3), vec![Lane::Varying; 3]);
        // texsize.zw / texsize.zw is a known 1.
        let zw = [known(1.0, -1, 0), known(1.0, 0, -1)];
        assert_eq!(binary("/", &zw, &zw), vec![known(1.0, 0, 0); 2]);
    }
}
