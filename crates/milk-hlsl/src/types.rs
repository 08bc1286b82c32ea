//! HLSL types and implicit conversions, written out as WGSL.
//!
//! HLSL converts freely between scalar types (bool < int < uint < float),
//! splats scalars to vectors and truncates vectors (to shorter vectors or to
//! their first component); WGSL converts nothing implicitly, so every
//! conversion the checker decides on is written out here.

use crate::ast::{Scalar, Type};

/// The WGSL spelling of a scalar type.
pub fn scalar_wgsl(s: Scalar) -> &'static str {
    match s {
        Scalar::Bool => "bool",
        Scalar::Int => "i32",
        Scalar::Uint => "u32",
        Scalar::Float => "f32",
    }
}

/// Component type and width (0 for scalars) of a scalar or vector type.
pub fn shape(t: &Type) -> Option<(Scalar, u8)> {
    match t {
        Type::Scalar(s) => Some((*s, 0)),
        Type::Vector(s, n) => Some((*s, *n)),
        _ => None,
    }
}

/// The type with the given component type and width (0 = scalar).
pub fn make(s: Scalar, n: u8) -> Type {
    if n == 0 {
        Type::Scalar(s)
    } else {
        Type::Vector(s, n)
    }
}

/// HLSL spelling, for messages.
pub fn hlsl_name(t: &Type, structs: &[String]) -> String {
    let sn = |s: Scalar| match s {
        Scalar::Bool => "bool",
        Scalar::Int => "int",
        Scalar::Uint => "uint",
        Scalar::Float => "float",
    };
    match t {
        Type::Void => "void".into(),
        Type::Scalar(s) => sn(*s).into(),
        Type::Vector(s, n) => format!("{}{n}", sn(*s)),
        Type::Matrix(r, c) => format!("float{r}x{c}"),
        Type::Array(e, n) => format!("{}[{n}]", hlsl_name(e, structs)),
        Type::Struct(i) => structs.get(*i).cloned().unwrap_or_default(),
        Type::Sampler(_) => "sampler".into(),
    }
}

/// WGSL spelling of a (non-sampler, non-void) type.
pub fn wgsl_type(t: &Type) -> String {
    match t {
        Type::Void | Type::Sampler(_) => "void".into(),
        Type::Scalar(s) => scalar_wgsl(*s).into(),
        Type::Vector(s, n) => format!("vec{n}<{}>", scalar_wgsl(*s)),
        // HLSL rows become WGSL columns: floatRxC is matRxC<f32>.
        Type::Matrix(r, c) => format!("mat{r}x{c}<f32>"),
        Type::Array(e, n) => format!("array<{}, {n}>", wgsl_type(e)),
        Type::Struct(i) => format!("S_{i}"),
    }
}

/// A float constant of type `t` (a float or a float vector) in WGSL:
/// `0.0f` for a scalar, `vec3<f32>(0.0f)` for a float3.
pub fn float_constant(t: &Type, value: &str) -> String {
    match t {
        Type::Vector(..) => format!("{}({value})", wgsl_type(t)),
        _ => value.to_string(),
    }
}

/// What a helper function's name ends with for arguments of type `t`, so
/// each type gets its own: nothing for a scalar, the width for a vector.
pub fn helper_suffix(t: &Type) -> String {
    match t {
        Type::Vector(_, n) => n.to_string(),
        _ => String::new(),
    }
}

/// Common type of two operands of an arithmetic/comparison operator:
/// the higher component type, and the shorter width when both are vectors.
pub fn common(a: &Type, b: &Type) -> Option<Type> {
    let (sa, na) = shape(a)?;
    let (sb, nb) = shape(b)?;
    let s = sa.max(sb);
    let n = match (na, nb) {
        (0, n) | (n, 0) => n,
        (x, y) => x.min(y),
    };
    Some(make(s, n))
}

/// A float literal as WGSL.
pub fn float_lit(v: f64) -> String {
    let f = v as f32;
    let f = if f.is_nan() {
        0.0
    } else if f.is_infinite() {
        f32::MAX.copysign(f)
    } else {
        f
    };
    format!("{f:?}f")
}

const COMPS: [&str; 4] = ["x", "y", "z", "w"];

/// Writes out the conversion of `e` (of type `from`) to `to`, or `None` when
/// HLSL has no implicit conversion between them.
pub fn convert(e: &str, from: &Type, to: &Type) -> Option<String> {
    if from == to {
        return Some(e.to_string());
    }
    match (from, to) {
        (Type::Matrix(r1, c1), Type::Matrix(r2, c2)) if r2 <= r1 && c2 <= c1 => {
            let sw = COMPS[..*c2 as usize].concat();
            let cols: Vec<String> = (0..*r2)
                .map(|i| {
                    if c1 == c2 {
                        format!("({e})[{i}]")
                    } else {
                        format!("({e})[{i}].{sw}")
                    }
                })
                .collect();
            Some(format!("{}({})", wgsl_type(to), cols.join(", ")))
        }
        // float4 <-> float2x2 (same number of components).
        (Type::Vector(_, 4), Type::Matrix(2, 2)) => {
            let v = convert(e, from, &Type::Vector(Scalar::Float, 4))?;
            Some(format!("mat2x2<f32>(({v}).xy, ({v}).zw)"))
        }
        (Type::Matrix(2, 2), Type::Vector(_, 4)) => {
            let v = format!("vec4<f32>(({e})[0], ({e})[1])");
            convert(&v, &Type::Vector(Scalar::Float, 4), to)
        }
        // A scalar fills every element (`float3x3 m = 0;`).
        (Type::Scalar(_), Type::Matrix(r, c)) => {
            let s = convert(e, from, &Type::Scalar(Scalar::Float))?;
            let row = format!("vec{c}<f32>({s})");
            Some(format!(
                "{}({})",
                wgsl_type(to),
                vec![row; *r as usize].join(", ")
            ))
        }
        (Type::Matrix(..), Type::Scalar(_)) => {
            convert(&format!("({e})[0].x"), &Type::Scalar(Scalar::Float), to)
        }
        _ => {
            let (sf, nf) = shape(from)?;
            let (st, nt) = shape(to)?;
            // Change width first.
            let (e, n) = if nf == nt {
                (e.to_string(), nf)
            } else if nf == 0 {
                // Splat after converting the scalar.
                let s = if sf == st {
                    e.to_string()
                } else {
                    format!("{}({e})", scalar_wgsl(st))
                };
                return Some(format!("vec{nt}<{}>({s})", scalar_wgsl(st)));
            } else if nt < nf {
                let sw = if nt == 0 {
                    "x".to_string()
                } else {
                    COMPS[..nt as usize].concat()
                };
                (format!("({e}).{sw}"), nt)
            } else {
                return None;
            };
            if sf == st {
                return Some(e);
            }
            Some(if n == 0 {
                format!("{}({e})", scalar_wgsl(st))
            } else {
                format!("vec{n}<{}>({e})", scalar_wgsl(st))
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: Type = Type::Scalar(Scalar::Float);
    const I: Type = Type::Scalar(Scalar::Int);
    const B: Type = Type::Scalar(Scalar::Bool);
    const F2: Type = Type::Vector(Scalar::Float, 2);
    const F3: Type = Type::Vector(Scalar::Float, 3);
    const F4: Type = Type::Vector(Scalar::Float, 4);

    #[test]
    fn scalar_splat() {
        assert_eq!(convert("x", &F, &F3).unwrap(), "vec3<f32>(x)");
        assert_eq!(convert("i", &I, &F2).unwrap(), "vec2<f32>(f32(i))");
    }

    #[test]
    fn vector_truncation() {
        assert_eq!(convert("v", &F4, &F3).unwrap(), "(v).xyz");
        assert_eq!(convert("v", &F4, &F).unwrap(), "(v).x");
        assert!(convert("v", &F2, &F3).is_none());
    }

    #[test]
    fn promotions() {
        assert_eq!(convert("b", &B, &F).unwrap(), "f32(b)");
        assert_eq!(convert("x", &F, &I).unwrap(), "i32(x)");
        assert_eq!(convert("x", &F, &B).unwrap(), "bool(x)");
        assert_eq!(common(&I, &F3), Some(F3));
        assert_eq!(common(&F4, &F2), Some(F2));
        assert_eq!(common(&B, &I), Some(I));
    }

    #[test]
    fn matrices() {
        assert_eq!(
            convert("m", &Type::Matrix(4, 3), &Type::Matrix(3, 3)).unwrap(),
            "mat3x3<f32>((m)[0], (m)[1], (m)[2])"
        );
    }

    #[test]
    fn a_scalar_fills_a_matrix() {
        assert_eq!(
            convert("i", &I, &Type::Matrix(2, 3)).unwrap(),
            "mat2x3<f32>(vec3<f32>(f32(i)), vec3<f32>(f32(i)))"
        );
    }

    #[test]
    fn float_literals() {
        assert_eq!(float_lit(0.5), "0.5f");
        assert_eq!(float_lit(1.0), "1.0f");
        assert_eq!(float_lit(1e-7), "1e-7f");
        assert_eq!(float_lit(1e300), "3.4028235e38f");
    }
}
