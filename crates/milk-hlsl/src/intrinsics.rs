//! HLSL intrinsics and MilkDrop's helper macros (`GetPixel`, `GetBlur1..3`,
//! `lum`, `tex2d`) written out as WGSL.
//!
//! Texture reads use `textureSampleLevel` at level 0 (MilkDrop's render
//! targets have a single level), except `tex2D`/`tex3D` of the built-in
//! noise textures and of user textures, which have mip levels and sample
//! with implicit derivatives (`textureSample`, allowed in non-uniform
//! control flow by the shader's `diagnostic(off, derivative_uniformity)`);
//! `tex2Dlod` passes its level, `tex2Dbias` its bias to the implicit
//! level (`textureSampleBias`; level 0 on a texture of one level). Under
//! [`crate::Options::butterchurn_mipmaps`] the frame reads (`tex2D` of
//! `sampler_main`, `GetPixel`) take the implicit level too.

use crate::Error;
use crate::ast::{Expr, ExprKind, SamplerDim, Scalar, Type};
use crate::footprint::{self, Footprint};
use crate::translate::Translator;
use crate::types::{common, float_constant, float_lit, helper_suffix, make, shape, wgsl_type};

const F: Type = Type::Scalar(Scalar::Float);
const F2: Type = Type::Vector(Scalar::Float, 2);
const F3: Type = Type::Vector(Scalar::Float, 3);
const F4: Type = Type::Vector(Scalar::Float, 4);

fn err<T>(pos: usize, msg: impl Into<String>) -> Result<T, Error> {
    Err(Error::type_error(pos, msg))
}

/// Component-wise float functions of one argument: HLSL name, WGSL name.
const UNARY_FLOAT: &[(&str, &str)] = &[
    ("sin", "sin"),
    ("cos", "cos"),
    ("tan", "tan"),
    ("asin", "asin"),
    ("acos", "acos"),
    ("atan", "atan"),
    ("sinh", "sinh"),
    ("cosh", "cosh"),
    ("tanh", "tanh"),
    ("exp", "exp"),
    ("exp2", "exp2"),
    ("log", "log"),
    ("log2", "log2"),
    ("sqrt", "sqrt"),
    ("rsqrt", "inverseSqrt"),
    ("floor", "floor"),
    ("ceil", "ceil"),
    ("round", "round"),
    ("trunc", "trunc"),
    ("frac", "fract"),
    ("saturate", "saturate"),
    ("degrees", "degrees"),
    ("radians", "radians"),
    ("ddx", "dpdx"),
    ("ddy", "dpdy"),
    ("fwidth", "fwidth"),
];

/// Intrinsics of shader model 5 that WGSL could run but fxc does not know
/// for the shader models MilkDrop 2 compiles for (2 and 3), so MilkDrop 2
/// draws its fallback shader for a shader calling one.
const SHADER_MODEL_5: &[&str] = &["mad", "ddx_coarse", "ddy_coarse", "ddx_fine", "ddy_fine"];

/// Common type of several arguments (HLSL's rules for binary operators).
fn common_all(ts: &[Type], tr: &Translator, pos: usize) -> Result<Type, Error> {
    let mut t = ts[0].clone();
    for u in &ts[1..] {
        t = common(&t, u).ok_or_else(|| {
            Error::type_error(
                pos,
                format!(
                    "incompatible arguments {} and {}",
                    tr.type_name(&t),
                    tr.type_name(u)
                ),
            )
        })?;
    }
    if shape(&t).is_none() {
        return err(
            pos,
            format!("expected scalars or vectors, got {}", tr.type_name(&t)),
        );
    }
    Ok(t)
}

fn expect_args(name: &str, args: &[Expr], n: usize, pos: usize) -> Result<(), Error> {
    if args.len() != n {
        return err(
            pos,
            format!(
                "`{name}` takes {n} argument{}, got {}",
                if n == 1 { "" } else { "s" },
                args.len()
            ),
        );
    }
    Ok(())
}

/// The value of a numeric literal (also negated), if `e` is one.
fn literal(e: &Expr) -> Option<f64> {
    match &e.kind {
        ExprKind::Int(v, _) => Some(*v as f64),
        ExprKind::Float(v) => Some(*v),
        ExprKind::Unary("-", x) => literal(x).map(|v| -v),
        ExprKind::Unary("+", x) => literal(x),
        _ => None,
    }
}

/// Evaluates the arguments and converts them all to one common type
/// (at least `min` as component type).
fn args_common(
    tr: &mut Translator,
    args: &[Expr],
    min: Scalar,
    pos: usize,
) -> Result<(Vec<String>, Type), Error> {
    let mut vals = Vec::new();
    for a in args {
        vals.push(tr.eval(a)?);
    }
    let ts: Vec<Type> = vals.iter().map(|(_, t)| t.clone()).collect();
    let c = common_all(&ts, tr, pos)?;
    let (s, n) = shape(&c).unwrap_or((Scalar::Float, 0));
    let t = make(s.max(min), n);
    let mut out = Vec::new();
    for ((w, vt), a) in vals.iter().zip(args) {
        out.push(tr.convert_to(w, vt, &t, a.pos)?);
    }
    Ok((out, t))
}

/// A texture read: at `level`, or with `None` as `tex2D` reads (implicit
/// level where the texture has mips, else level 0); an implicit-level read
/// whose coordinate has a known `footprint` goes through the texture's
/// footprint binding ([`crate::footprint`]).
fn sample(
    tr: &mut Translator,
    sampler: &Expr,
    dim: SamplerDim,
    coord: &str,
    level: Option<&str>,
    footprint: Option<Footprint>,
) -> Result<String, Error> {
    if level.is_none()
        && dim == SamplerDim::D2
        && tr.options.butterchurn_anisotropic
        && tr.sampler_filters_mips(sampler)
    {
        let (t, s) = tr.sampler(sampler, dim)?;
        tr.helpers.insert(BC_ANISO_SAMPLE.to_string());
        return Ok(format!("bc_aniso_sample({t}, {s}, {coord})"));
    }
    if level.is_none()
        && let Some(footprint) = footprint
        && let Some((t, s)) = tr.footprint_sampler(sampler, dim, footprint)?
    {
        return Ok(format!("textureSample({t}, {s}, {coord})"));
    }
    let (t, s) = tr.sampler(sampler, dim)?;
    Ok(match level {
        // tex2D/tex3D: the level from the derivatives where there are mips.
        None if tr.sampler_has_mips(sampler) => format!("textureSample({t}, {s}, {coord})"),
        None => format!("textureSampleLevel({t}, {s}, {coord}, 0.0f)"),
        Some(level) => format!("textureSampleLevel({t}, {s}, {coord}, {level})"),
    })
}

/// Reads a mipmapped 2D texture as SwiftShader's anisotropic filter does
/// (butterchurn's references are drawn with it; `SamplerCore::computeLod2D`
/// and `sampleAniso`): the read's footprint in texels along each screen
/// axis gives the anisotropy, the longer side squared over the area, at
/// most 16; the level is the longer side over it (the shorter side, for
/// perpendicular axes), and that many reads, rounded, spread evenly along
/// the longer side are averaged ([`crate::Options::butterchurn_anisotropic`]).
/// SwiftShader filters 3D textures isotropically: those keep `tex3D`.
const BC_ANISO_SAMPLE: &str =
    "fn bc_aniso_sample(t: texture_2d<f32>, s: sampler, c: vec2<f32>) -> vec4<f32> {
    let size = vec2<f32>(textureDimensions(t));
    let gx = dpdx(c);
    let gy = dpdy(c);
    let tx = gx * size;
    let ty = gy * size;
    let lx = dot(tx, tx);
    let ly = dot(ty, ty);
    let area = abs(tx.x * ty.y - tx.y * ty.x);
    let anisotropy = clamp(max(lx, ly) / max(area, 1e-30f), 1.0f, 16.0f);
    let n = max(round(anisotropy), 1.0f);
    let along = select(gy, gx, lx >= ly);
    var sum = vec4<f32>(0.0f);
    for (var i = 0.0f; i < n; i += 1.0f) {
        let offset = (i - (n - 1.0f) * 0.5f) / n;
        sum += textureSampleGrad(t, s, c + along * offset, gx / anisotropy, gy / anisotropy);
    }
    return sum / n;
}";

fn coord(tr: &mut Translator, e: &Expr, t: &Type) -> Result<String, Error> {
    let (w, vt) = tr.eval(e)?;
    tr.convert_to(&w, &vt, t, e.pos)
}

/// [`coord`] for a texture read. With butterchurn's NaN
/// ([`crate::Options::butterchurn_nan`]) a NaN coordinate reads at 0:
/// SwiftShader, which butterchurn's references are drawn with, turns it
/// into a texel index as 0 does, where llvmpipe's filter returns NaN.
fn texture_coord(tr: &mut Translator, e: &Expr, t: &Type) -> Result<String, Error> {
    let c = coord(tr, e, t)?;
    if !tr.options.butterchurn_nan {
        return Ok(c);
    }
    // By the bits, as `isnan`: `c != c` may be folded away.
    let ty = wgsl_type(t);
    let name = format!("bc_nan_coord{}", helper_suffix(t));
    let zero = float_constant(t, "0.0f");
    let (bits, limit) = magnitude_bits("c", shape(t).map_or(0, |(_, n)| n));
    tr.helpers.insert(format!(
        "fn {name}(c: {ty}) -> {ty} {{\n    return select(c, {zero}, {bits} > {limit});\n}}"
    ));
    Ok(format!("{name}({c})"))
}

/// The bits of a float expression of `n` components (0: a scalar) without
/// its sign, and those of infinity to compare them with: above it is NaN,
/// at it infinite, below it finite. WGSL may assume floats are finite, so
/// `x != x` could be folded away; the bits cannot.
fn magnitude_bits(value: &str, n: u8) -> (String, String) {
    if n == 0 {
        (
            format!("(bitcast<u32>({value}) & 0x7fffffffu)"),
            "0x7f800000u".to_string(),
        )
    } else {
        (
            format!("(bitcast<vec{n}<u32>>({value}) & vec{n}<u32>(0x7fffffffu))"),
            format!("vec{n}<u32>(0x7f800000u)"),
        )
    }
}

/// Names (and registers with the translator) the helper computing `acos` of
/// a value of type `t` as fxc compiles it for shader model 2 and 3: a cubic
/// in |x| times `sqrt(1 - |x|)`, mirrored for negative x; `asin` is π/2
/// minus that. The square root is `rcp(rsq(..))`, and `rsq` takes the
/// absolute value, so |x| > 1 gives a finite number, not NaN.
fn d3d9_arc_cosine(tr: &mut Translator, t: &Type) -> String {
    let ty = wgsl_type(t);
    let name = match shape(t) {
        Some((_, n)) if n > 1 => format!("d3d9_acos{n}"),
        _ => "d3d9_acos".to_string(),
    };
    tr.helpers.insert(format!(
        "fn {name}(x: {ty}) -> {ty} {{\n    let a = abs(x);\n    \
         let p = ((a * -0.0187292993f + 0.0742610022f) * a - 0.212114394f) * a + 1.57072878f;\n    \
         let r = p * sqrt(abs(1.0f - a));\n    \
         return select(r, 3.14159274f - r, x < -x);\n}}"
    ));
    name
}

/// Names (and registers) the helper raising |x| to a computed power `y`
/// as Direct3D 9's `pow` does: `exp2(y * log2|x|)` with its multiply, for
/// which 0 times anything is 0, so y = 0 or |x| = 1 gives 1 whatever the
/// other operand (0^0, inf^0, 1^inf), where IEEE's product is NaN (WGSL
/// leaves `pow(0, 0)` to the driver; llvmpipe's 1^inf is NaN, a black
/// pixel).
fn d3d9_pow(tr: &mut Translator, t: &Type) -> String {
    let ty = wgsl_type(t);
    let name = format!("d3d9_powf{}", helper_suffix(t));
    let (zero, one) = (float_constant(t, "0.0f"), float_constant(t, "1.0f"));
    tr.helpers.insert(format!(
        "fn {name}(x: {ty}, y: {ty}) -> {ty} {{\n    let a = abs(x);\n    \
         return select(pow(a, y), {one}, (y == {zero}) | (a == {one}));\n}}"
    ));
    name
}

/// The literal values of `e`: a literal (one value) or a vector built of
/// literals.
pub(crate) fn literal_components(e: &Expr) -> Option<Vec<f64>> {
    match &e.kind {
        ExprKind::Construct(Type::Vector(..), parts) => parts.iter().map(literal).collect(),
        _ => literal(e).map(|k| vec![k]),
    }
}

/// A helper raising each component of |x| to its own literal exponent
/// `ks` (one a component): 0 gives 1, 1/2 a square root, 2..=8 squarings
/// ([`whole_power`]), others pow; its name.
fn component_powers(tr: &mut Translator, ks: &[f64]) -> String {
    let n = ks.len();
    let ty = format!("vec{n}<f32>");
    let name = format!(
        "d3d9_pow_{}",
        ks.iter()
            .map(|k| format!("{k}").replace('.', "p").replace('-', "m"))
            .collect::<Vec<_>>()
            .join("_")
    );
    let components: Vec<String> = ks
        .iter()
        .zip(["a.x", "a.y", "a.z", "a.w"])
        .map(|(&k, c)| match k {
            0.0 => "1.0f".to_string(),
            1.0 => c.to_string(),
            0.5 => format!("sqrt({c})"),
            k if k.fract() == 0.0 && (2.0..=8.0).contains(&k) => {
                format!(
                    "{}({c})",
                    whole_power(tr, &Type::Scalar(Scalar::Float), k as u32)
                )
            }
            k => format!("pow({c}, {})", float_lit(k)),
        })
        .collect();
    tr.helpers.insert(format!(
        "fn {name}(x: {ty}) -> {ty} {{\n    let a = abs(x);\n    return {ty}({});\n}}",
        components.join(", ")
    ));
    name
}

/// A helper raising |x| of type `t` to the whole power `k` (2..=8) by
/// squaring; its name.
fn whole_power(tr: &mut Translator, t: &Type, k: u32) -> String {
    let ty = wgsl_type(t);
    let name = match shape(t) {
        Some((_, n)) if n > 1 => format!("d3d9_pow{k}_{n}"),
        _ => format!("d3d9_pow{k}"),
    };
    // Binary powers a, a^2, a^4, a^8 and the product of those k needs.
    let mut body = String::from("    let p1 = abs(x);\n");
    let mut factors = Vec::new();
    let mut bit = 1;
    while bit <= k {
        if bit > 1 {
            body.push_str(&format!("    let p{bit} = p{h} * p{h};\n", h = bit / 2));
        }
        if k & bit != 0 {
            factors.push(format!("p{bit}"));
        }
        bit *= 2;
    }
    tr.helpers.insert(format!(
        "fn {name}(x: {ty}) -> {ty} {{\n{body}    return {};\n}}",
        factors.join(" * ")
    ));
    name
}

/// Translates a call of an intrinsic or MilkDrop helper.
pub fn call(
    tr: &mut Translator,
    name: &str,
    args: &[Expr],
    pos: usize,
) -> Result<(String, Type), Error> {
    if SHADER_MODEL_5.contains(&name) {
        return err(
            pos,
            format!(
                "`{name}` is an intrinsic of shader model 5; fxc does not know it for \
                 MilkDrop 2's shader models 2 and 3"
            ),
        );
    }
    if let Some((_, w)) = UNARY_FLOAT.iter().find(|(h, _)| *h == name) {
        expect_args(name, args, 1, pos)?;
        let (a, t) = args_common(tr, args, Scalar::Float, pos)?;
        // MilkDrop 2's shaders run on Direct3D 9, whose `rsq` and `log`
        // instructions take the absolute value of their operand ("rsq -
        // ps", "log - ps"), and HLSL's sqrt compiles to rcp(rsq(x)): a
        // negative number gives sqrt(|x|) and log(|x|), not WGSL's NaN
        // (which a render target stores as black).
        // `log` of 0 is -FLT_MAX there, not -infinity (so `log(0) * 0` is 0).
        // Direct3D 9 has no rounding instruction: fxc writes `round` for
        // ps_2/ps_3 as `x + 0.5 - frc(x + 0.5)`, so halves round up (2.5
        // to 3, -0.5 to 0) where WGSL's `round` goes to the even one.
        if name == "round" {
            return Ok((format!("floor({} + 0.5f)", a[0]), t));
        }
        if !tr.options.butterchurn_nan {
            match name {
                "sqrt" | "rsqrt" => return Ok((format!("{w}(abs({}))", a[0]), t)),
                "log" | "log2" => {
                    let floor = format!("{}(-3.4028235e38f)", wgsl_type(&t));
                    return Ok((format!("max({w}(abs({})), {floor})", a[0]), t));
                }
                "acos" | "asin" => {
                    let helper = d3d9_arc_cosine(tr, &t);
                    return Ok(if name == "acos" {
                        (format!("{helper}({})", a[0]), t)
                    } else {
                        (format!("(1.57079637f - {helper}({}))", a[0]), t)
                    });
                }
                _ => {}
            }
        }
        if matches!(name, "log" | "log2") {
            return Ok((swiftshader_log(w, &a[0], &t), t));
        }
        return Ok((format!("{w}({})", a[0]), t));
    }
    let blur = |n: u8| -> (String, &'static str, &'static str) {
        match n {
            1 => ("sampler_blur1".into(), "U._c5.x", "U._c5.y"),
            2 => ("sampler_blur2".into(), "U._c5.z", "U._c5.w"),
            _ => ("sampler_blur3".into(), "U._c6.x", "U._c6.y"),
        }
    };
    Ok(match name {
        "abs" | "sign" => {
            expect_args(name, args, 1, pos)?;
            let (a, t) = args_common(tr, args, Scalar::Int, pos)?;
            if name == "sign" {
                // HLSL's sign returns int.
                let (_, n) = shape(&t).unwrap_or((Scalar::Int, 0));
                let it = make(Scalar::Int, n);
                if shape(&t).is_some_and(|(s, _)| s == Scalar::Int) {
                    (format!("sign({})", a[0]), it)
                } else {
                    (format!("{}(sign({}))", wgsl_type(&it), a[0]), it)
                }
            } else {
                (format!("abs({})", a[0]), t)
            }
        }
        "log10" => {
            expect_args(name, args, 1, pos)?;
            let (a, t) = args_common(tr, args, Scalar::Float, pos)?;
            let log = if tr.options.butterchurn_nan {
                swiftshader_log("log", &a[0], &t)
            } else {
                format!("max(log(abs({})), {}(-3.4028235e38f))", a[0], wgsl_type(&t))
            };
            (format!("({log} * 0.4342944819f)"), t)
        }
        "normalize" => {
            expect_args(name, args, 1, pos)?;
            let (a, t) = args_common(tr, args, Scalar::Float, pos)?;
            if t == F {
                (format!("sign({})", a[0]), t)
            } else if tr.options.butterchurn_nan {
                (format!("normalize({})", a[0]), t)
            } else {
                // fxc writes normalize as v * rsq(dot(v, v)), and Direct3D
                // 9 multiplies 0 * inf as 0: a zero vector stays zero (the
                // common `normalize(uv - uv_orig)` where the warp does not
                // move), where WGSL's normalize gives NaN.
                let ty = wgsl_type(&t);
                let name = format!("d3d9_normalize{}", helper_suffix(&t));
                tr.helpers.insert(format!(
                    "fn {name}(v: {ty}) -> {ty} {{\n    \
                     return select(normalize(v), {ty}(0.0f), dot(v, v) == 0.0f);\n}}"
                ));
                (format!("{name}({})", a[0]), t)
            }
        }
        "length" => {
            expect_args(name, args, 1, pos)?;
            let (a, _) = args_common(tr, args, Scalar::Float, pos)?;
            (format!("length({})", a[0]), F)
        }
        "pow" => {
            // MilkDrop 2's shaders run on Direct3D 9, whose `pow` instruction
            // is |x|^y ("pow - ps": dest = abs(src0)^src1), so a negative base
            // gives a number, not WGSL's NaN. A literal exponent of 0 or 1 is
            // folded by the HLSL compiler (x^0 = 1 even for x = 0, x^1 = x),
            // where WGSL's pow(0, 0) is NaN ('ORB - Magma Pool' sums noise
            // octaves scaled by pow(q3, 0..3) with q3 = 0).
            expect_args(name, args, 2, pos)?;
            let (a, t) = args_common(tr, args, Scalar::Float, pos)?;
            let folds = matches!(t, Type::Scalar(_) | Type::Vector(..));
            // Literal exponents of 1/2 and small whole numbers become a
            // square root or multiplications: the same |x|^y, which a GPU's
            // pow computes as exp2(y * log2|x|), for a fraction of the
            // work on a software rasteriser (about 0.7 ms a full-screen
            // pow at 720p on llvmpipe), and shaders raise to 0.5, 2 and 8
            // often.
            let exponents = literal_components(&args[1]).filter(|_| folds);
            let uniform = match exponents.as_deref() {
                Some([k, rest @ ..]) if rest.iter().all(|r| r == k) => Some(*k),
                _ => None,
            };
            if let (None, Some(ks), Some((_, n))) = (uniform, &exponents, shape(&t))
                && ks.len() == n as usize
            {
                // Different literal exponents per component.
                return Ok((format!("{}({})", component_powers(tr, ks), a[0]), t));
            }
            let w = match uniform {
                Some(0.0) => format!("{}(1.0)", wgsl_type(&t)),
                Some(1.0) => format!("({})", a[0]),
                Some(0.5) => format!("sqrt(abs({}))", a[0]),
                Some(k) if k.fract() == 0.0 && (2.0..=8.0).contains(&k) => {
                    format!("{}({})", whole_power(tr, &t, k as u32), a[0])
                }
                // SwiftShader's pow (butterchurn's references): exp2 of
                // y times a log2 that reads 0 as 2^-127, so a small
                // exponent lifts black (pow(0, 0.005) is 0.64).
                _ if tr.options.butterchurn_nan && folds => format!(
                    "exp2(({}) * max(log2(abs({})), {}(-127.0)))",
                    a[1],
                    a[0],
                    wgsl_type(&t)
                ),
                // A literal exponent (not 0) agrees with IEEE's pow.
                _ if exponents.is_none() && folds => {
                    format!("{}({}, {})", d3d9_pow(tr, &t), a[0], a[1])
                }
                _ => format!("pow(abs({}), {})", a[0], a[1]),
            };
            (w, t)
        }
        "atan2" | "fmod" | "step" | "ldexp" => {
            expect_args(name, args, 2, pos)?;
            let (a, t) = args_common(tr, args, Scalar::Float, pos)?;
            let w = match name {
                "fmod" => format!("({} % {})", a[0], a[1]),
                "ldexp" => format!("({} * exp2({}))", a[0], a[1]),
                _ => format!("{name}({}, {})", a[0], a[1]),
            };
            (w, t)
        }
        "min" | "max" => {
            expect_args(name, args, 2, pos)?;
            let (a, t) = args_common(tr, args, Scalar::Int, pos)?;
            (format!("{name}({}, {})", a[0], a[1]), t)
        }
        "distance" => {
            expect_args(name, args, 2, pos)?;
            let (a, _) = args_common(tr, args, Scalar::Float, pos)?;
            (format!("distance({}, {})", a[0], a[1]), F)
        }
        "dot" => {
            expect_args(name, args, 2, pos)?;
            let (a, t) = args_common(tr, args, Scalar::Float, pos)?;
            if t == F {
                (format!("({} * {})", a[0], a[1]), F)
            } else {
                (format!("dot({}, {})", a[0], a[1]), F)
            }
        }
        "cross" => {
            expect_args(name, args, 2, pos)?;
            let a = coord(tr, &args[0], &F3)?;
            let b = coord(tr, &args[1], &F3)?;
            (format!("cross({a}, {b})"), F3)
        }
        "reflect" => {
            expect_args(name, args, 2, pos)?;
            let (a, t) = args_common(tr, args, Scalar::Float, pos)?;
            if t == F {
                return err(pos, "`reflect` needs vectors");
            }
            (format!("reflect({}, {})", a[0], a[1]), t)
        }
        "refract" => {
            expect_args(name, args, 3, pos)?;
            let (a, t) = args_common(tr, &args[..2], Scalar::Float, pos)?;
            if t == F {
                return err(pos, "`refract` needs vectors");
            }
            let eta = coord(tr, &args[2], &F)?;
            (format!("refract({}, {}, {eta})", a[0], a[1]), t)
        }
        "lerp" | "faceforward" => {
            expect_args(name, args, 3, pos)?;
            let (a, t) = args_common(tr, args, Scalar::Float, pos)?;
            let w = if name == "lerp" { "mix" } else { name };
            (format!("{w}({}, {}, {})", a[0], a[1], a[2]), t)
        }
        "smoothstep" => {
            // Written out as fxc does, so edges in either order (a common
            // way to invert) mean the same on every GPU: SPIR-V's
            // SmoothStep leaves `min >= max` undefined.
            expect_args(name, args, 3, pos)?;
            let (a, t) = args_common(tr, args, Scalar::Float, pos)?;
            let s = tr.temp();
            tr.emit(format!(
                "let {s} = saturate(({} - {}) / ({} - {}));",
                a[2], a[0], a[1], a[0]
            ));
            (format!("({s} * {s} * (3.0f - 2.0f * {s}))"), t)
        }
        "clamp" => {
            // HLSL's clamp is max then min, whatever the bounds' order
            // (SPIR-V's FClamp leaves `min > max` undefined).
            expect_args(name, args, 3, pos)?;
            let (a, t) = args_common(tr, args, Scalar::Int, pos)?;
            (format!("min(max({}, {}), {})", a[0], a[1], a[2]), t)
        }
        "any" | "all" => {
            expect_args(name, args, 1, pos)?;
            let (w, t) = tr.eval(&args[0])?;
            let Some((_, n)) = shape(&t) else {
                return err(pos, format!("`{name}` needs a scalar or vector"));
            };
            let b = tr.convert_to(&w, &t, &make(Scalar::Bool, n), pos)?;
            if n == 0 {
                (b, Type::Scalar(Scalar::Bool))
            } else {
                (format!("{name}({b})"), Type::Scalar(Scalar::Bool))
            }
        }
        "isnan" | "isinf" | "isfinite" => {
            // By the bits ([`magnitude_bits`]).
            expect_args(name, args, 1, pos)?;
            let (a, t) = args_common(tr, args, Scalar::Float, pos)?;
            let (_, n) = shape(&t).unwrap_or((Scalar::Float, 0));
            let (bits, limit) = magnitude_bits(&a[0], n);
            let op = match name {
                "isnan" => ">",
                "isinf" => "==",
                _ => "<",
            };
            (format!("({bits} {op} {limit})"), make(Scalar::Bool, n))
        }
        "lit" => {
            // (1, diffuse, specular, 1): no diffuse light facing away, no
            // specular light where either faces away.
            expect_args(name, args, 3, pos)?;
            let (a, _) = args_common(tr, args, Scalar::Float, pos)?;
            let (l, h, m) = (tr.temp(), tr.temp(), tr.temp());
            tr.emit(format!("let {l} = f32({});", a[0]));
            tr.emit(format!("let {h} = f32({});", a[1]));
            tr.emit(format!("let {m} = f32({});", a[2]));
            (
                format!(
                    "vec4<f32>(1.0f, max({l}, 0.0f), \
                     select(pow({h}, {m}), 0.0f, {l} < 0.0f || {h} < 0.0f), 1.0f)"
                ),
                F4,
            )
        }
        "dst" => {
            expect_args(name, args, 2, pos)?;
            let a = coord(tr, &args[0], &F4)?;
            let b = coord(tr, &args[1], &F4)?;
            (
                format!("vec4<f32>(1.0f, ({a}).y * ({b}).y, ({a}).z, ({b}).w)"),
                F4,
            )
        }
        "frexp" => {
            expect_args(name, args, 2, pos)?;
            let (a, t) = args_common(tr, &args[..1], Scalar::Float, pos)?;
            let tmp = tr.temp();
            tr.emit(format!("let {tmp} = frexp({});", a[0]));
            let exponent = format!("{}({tmp}.exp)", wgsl_type(&t));
            tr.store_to(&args[1], &exponent, &t)?;
            (format!("{tmp}.fract"), t)
        }
        "D3DCOLORtoUBYTE4" => {
            // The bytes of a D3DCOLOR (blue, green, red, alpha), as fxc
            // writes it: `(int4)(c.zyxw * 255.001953)`.
            expect_args(name, args, 1, pos)?;
            let c = coord(tr, &args[0], &F4)?;
            (
                format!("vec4<i32>(({c}).zyxw * 255.001953f)"),
                Type::Vector(Scalar::Int, 4),
            )
        }
        "determinant" => {
            expect_args(name, args, 1, pos)?;
            let (w, t) = tr.eval(&args[0])?;
            match t {
                Type::Matrix(r, c) if r == c => (format!("determinant({w})"), F),
                _ => return err(pos, "`determinant` needs a square matrix"),
            }
        }
        "transpose" => {
            expect_args(name, args, 1, pos)?;
            let (w, t) = tr.eval(&args[0])?;
            match t {
                Type::Matrix(r, c) => (format!("transpose({w})"), Type::Matrix(c, r)),
                _ => return err(pos, "`transpose` needs a matrix"),
            }
        }
        "mul" => {
            expect_args(name, args, 2, pos)?;
            let (aw, at) = tr.eval(&args[0])?;
            let (bw, bt) = tr.eval(&args[1])?;
            mul(tr, (aw, at), (bw, bt), pos)?
        }
        "modf" => {
            expect_args(name, args, 2, pos)?;
            let (a, t) = args_common(tr, &args[..1], Scalar::Float, pos)?;
            let tmp = tr.temp();
            tr.emit(format!("let {tmp} = modf({});", a[0]));
            tr.store_to(&args[1], &format!("{tmp}.whole"), &t)?;
            (format!("{tmp}.fract"), t)
        }
        "sincos" => {
            expect_args(name, args, 3, pos)?;
            let (a, t) = args_common(tr, &args[..1], Scalar::Float, pos)?;
            let tmp = tr.temp();
            tr.emit(format!("let {tmp} = {};", a[0]));
            tr.store_to(&args[1], &format!("sin({tmp})"), &t)?;
            tr.store_to(&args[2], &format!("cos({tmp})"), &t)?;
            (String::new(), Type::Void)
        }
        "clip" => {
            expect_args(name, args, 1, pos)?;
            let (a, t) = args_common(tr, args, Scalar::Float, pos)?;
            let cond = if t == F {
                format!("{} < 0.0f", a[0])
            } else {
                format!("any({} < {}())", a[0], wgsl_type(&t))
            };
            tr.emit(format!("if {cond} {{ discard; }}"));
            (String::new(), Type::Void)
        }
        "tex2D" | "tex2d" => {
            if args.len() != 2 && args.len() != 4 {
                return err(pos, "`tex2D` takes 2 or 4 arguments");
            }
            let footprint = Footprint::of(&footprint::fit(tr.lanes(&args[1]), 2));
            let uv = texture_coord(tr, &args[1], &F2)?;
            if args.len() == 4 {
                let dx = texture_coord(tr, &args[2], &F2)?;
                let dy = texture_coord(tr, &args[3], &F2)?;
                let (t, s) = tr.sampler(&args[0], SamplerDim::D2)?;
                (format!("textureSampleGrad({t}, {s}, {uv}, {dx}, {dy})"), F4)
            } else {
                (
                    sample(tr, &args[0], SamplerDim::D2, &uv, None, footprint)?,
                    F4,
                )
            }
        }
        "tex2Dbias" | "tex3Dbias" => {
            // The level from the derivatives, moved by w (Direct3D's
            // texldb); a texture of one level reads it whatever the bias.
            expect_args(name, args, 2, pos)?;
            let (dim, components) = if name == "tex2Dbias" {
                (SamplerDim::D2, "xy")
            } else {
                (SamplerDim::D3, "xyz")
            };
            let v = texture_coord(tr, &args[1], &F4)?;
            let tmp = tr.temp();
            tr.emit(format!("let {tmp} = {v};"));
            let (t, s) = tr.sampler(&args[0], dim)?;
            let read = if tr.sampler_has_mips(&args[0]) {
                format!(
                    "textureSampleBias({t}, {s}, {tmp}.{components}, clamp({tmp}.w, -16.0f, 15.99f))"
                )
            } else {
                format!("textureSampleLevel({t}, {s}, {tmp}.{components}, 0.0f)")
            };
            (read, F4)
        }
        "tex2Dlod" => {
            expect_args(name, args, 2, pos)?;
            let v = texture_coord(tr, &args[1], &F4)?;
            let tmp = tr.temp();
            tr.emit(format!("let {tmp} = {v};"));
            let level = format!("max({tmp}.w, 0.0f)");
            (
                sample(
                    tr,
                    &args[0],
                    SamplerDim::D2,
                    &format!("{tmp}.xy"),
                    Some(&level),
                    None,
                )?,
                F4,
            )
        }
        "tex2Dproj" => {
            expect_args(name, args, 2, pos)?;
            let v = texture_coord(tr, &args[1], &F4)?;
            let tmp = tr.temp();
            tr.emit(format!("let {tmp} = {v};"));
            (
                sample(
                    tr,
                    &args[0],
                    SamplerDim::D2,
                    &format!("({tmp}.xy / {tmp}.w)"),
                    Some("0.0f"),
                    None,
                )?,
                F4,
            )
        }
        "tex2Dgrad" => {
            expect_args(name, args, 4, pos)?;
            let uv = texture_coord(tr, &args[1], &F2)?;
            let dx = texture_coord(tr, &args[2], &F2)?;
            let dy = texture_coord(tr, &args[3], &F2)?;
            let (t, s) = tr.sampler(&args[0], SamplerDim::D2)?;
            (format!("textureSampleGrad({t}, {s}, {uv}, {dx}, {dy})"), F4)
        }
        "tex3D" | "tex3d" => {
            expect_args(name, args, 2, pos)?;
            let footprint = Footprint::of(&footprint::fit(tr.lanes(&args[1]), 3));
            let uvw = texture_coord(tr, &args[1], &F3)?;
            (
                sample(tr, &args[0], SamplerDim::D3, &uvw, None, footprint)?,
                F4,
            )
        }
        "tex3Dlod" => {
            expect_args(name, args, 2, pos)?;
            let v = texture_coord(tr, &args[1], &F4)?;
            let tmp = tr.temp();
            tr.emit(format!("let {tmp} = {v};"));
            let level = format!("max({tmp}.w, 0.0f)");
            (
                sample(
                    tr,
                    &args[0],
                    SamplerDim::D3,
                    &format!("{tmp}.xyz"),
                    Some(&level),
                    None,
                )?,
                F4,
            )
        }
        "GetPixel" | "GetMain" => {
            expect_args(name, args, 1, pos)?;
            let uv = texture_coord(tr, &args[0], &F2)?;
            if tr.options.butterchurn_mipmaps {
                // butterchurn's GetPixel is `texture(sampler_main, uv)`.
                let main = Expr {
                    kind: ExprKind::Ident("sampler_main".to_string()),
                    pos,
                };
                let read = sample(tr, &main, SamplerDim::D2, &uv, None, None)?;
                (format!("{read}.xyz"), F3)
            } else {
                let (t, s) = tr.builtin_sampler("sampler_main", pos)?;
                (format!("textureSampleLevel({t}, {s}, {uv}, 0.0f).xyz"), F3)
            }
        }
        "GetBlur1" | "GetBlur2" | "GetBlur3" => {
            expect_args(name, args, 1, pos)?;
            let uv = texture_coord(tr, &args[0], &F2)?;
            let n = name.as_bytes()[7] - b'0';
            let (sampler, scale, bias) = blur(n);
            let (t, s) = tr.builtin_sampler(&sampler, pos)?;
            (
                format!("(textureSampleLevel({t}, {s}, {uv}, 0.0f).xyz * {scale} + {bias})"),
                F3,
            )
        }
        "lum" => {
            // MilkDrop's macro: dot(x, float3(0.32, 0.49, 0.29)), so a
            // float2 uses the first two weights and a scalar is splat.
            expect_args(name, args, 1, pos)?;
            let (w, t) = tr.eval(&args[0])?;
            let n = match shape(&t) {
                Some((_, 2)) => 2,
                Some(_) => 3,
                None => return err(pos, format!("`lum` of {}", tr.type_name(&t))),
            };
            let v = tr.convert_to(&w, &t, &make(Scalar::Float, n), pos)?;
            if n == 2 {
                (format!("dot({v}, vec2<f32>(0.32f, 0.49f))"), F)
            } else {
                (format!("dot({v}, vec3<f32>(0.32f, 0.49f, 0.29f))"), F)
            }
        }
        _ => return err(pos, format!("unknown function `{name}`")),
    })
}

/// HLSL `mul`. HLSL matrix rows are WGSL columns here, so `mul(v, M)` is
/// `M * v`, `mul(M, v)` is `v * M` and `mul(A, B)` is `B * A`.
fn mul(
    tr: &mut Translator,
    (aw, at): (String, Type),
    (bw, bt): (String, Type),
    pos: usize,
) -> Result<(String, Type), Error> {
    match (&at, &bt) {
        (Type::Matrix(r1, c1), Type::Matrix(r2, c2)) => {
            if c1 != r2 {
                return err(
                    pos,
                    format!(
                        "mul: {} and {} do not fit",
                        tr.type_name(&at),
                        tr.type_name(&bt)
                    ),
                );
            }
            Ok((format!("({bw} * {aw})"), Type::Matrix(*r1, *c2)))
        }
        (_, Type::Matrix(r, c)) => {
            let Some((_, n)) = shape(&at) else {
                return err(pos, "mul: bad vector");
            };
            if n == 0 {
                return Ok((
                    format!("({bw} * {})", tr.convert_to(&aw, &at, &F, pos)?),
                    bt.clone(),
                ));
            }
            // The longer of the two is truncated, as HLSL does.
            if n < *r {
                let m = tr.convert_to(&bw, &bt, &Type::Matrix(n, *c), pos)?;
                let v = tr.convert_to(&aw, &at, &Type::Vector(Scalar::Float, n), pos)?;
                return Ok((format!("({m} * {v})"), Type::Vector(Scalar::Float, *c)));
            }
            let v = tr.convert_to(&aw, &at, &Type::Vector(Scalar::Float, *r), pos)?;
            Ok((format!("({bw} * {v})"), Type::Vector(Scalar::Float, *c)))
        }
        (Type::Matrix(r, c), _) => {
            let Some((_, n)) = shape(&bt) else {
                return err(pos, "mul: bad vector");
            };
            if n == 0 {
                return Ok((
                    format!("({aw} * {})", tr.convert_to(&bw, &bt, &F, pos)?),
                    at.clone(),
                ));
            }
            if n < *c {
                let m = tr.convert_to(&aw, &at, &Type::Matrix(*r, n), pos)?;
                let v = tr.convert_to(&bw, &bt, &Type::Vector(Scalar::Float, n), pos)?;
                return Ok((format!("({v} * {m})"), Type::Vector(Scalar::Float, *r)));
            }
            let v = tr.convert_to(&bw, &bt, &Type::Vector(Scalar::Float, *c), pos)?;
            Ok((format!("({v} * {aw})"), Type::Vector(Scalar::Float, *r)))
        }
        _ => {
            let Some(t) = common(&at, &bt) else {
                return err(pos, "mul: bad arguments");
            };
            let (s, n) = shape(&t).unwrap_or((Scalar::Float, 0));
            let t = make(s.max(Scalar::Int), n);
            let a = tr.convert_to(&aw, &at, &t, pos)?;
            let b = tr.convert_to(&bw, &bt, &t, pos)?;
            if n == 0
                || shape(&at).is_some_and(|(_, n)| n == 0)
                || shape(&bt).is_some_and(|(_, n)| n == 0)
            {
                Ok((format!("({a} * {b})"), t))
            } else {
                // vector . vector is a dot product.
                let ft = make(Scalar::Float, n);
                let a = tr.convert_to(&a, &t, &ft, pos)?;
                let b = tr.convert_to(&b, &t, &ft, pos)?;
                Ok((format!("dot({a}, {b})"), F))
            }
        }
    }
}

/// `log` or `log2` (`w`) of `x` as SwiftShader (which draws butterchurn's
/// references) computes it, for [`crate::Options::butterchurn_nan`]: the
/// log2 of 0 is -127 (measured in butterchurn's page: `-log2(0) / 255`
/// reads 127/255), not -infinity; negative numbers stay NaN.
fn swiftshader_log(w: &str, x: &str, t: &Type) -> String {
    let ty = wgsl_type(t);
    let zero = if w == "log2" {
        "-127.0f"
    } else {
        "-88.0296919f"
    };
    format!("select({w}({x}), {ty}({zero}), {x} == {ty}(0.0f))")
}
