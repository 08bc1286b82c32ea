//! Numeric semantics of ns-eel2 as MilkDrop presets rely on them, shared by
//! the scalar and the batched VM so both give bit-identical results.

use super::ast::BinaryOp;

/// Tolerance of `==`, `equal()` and every truth test (`if`, `&&`, `band`, ...).
pub const EPSILON: f64 = 0.00001;

/// Iteration cap of `loop()` and `while()`.
pub const LOOP_CAP: u64 = 1_048_576;

/// True when `x` counts as true in a condition (`if`, `?:`, `&&`, `||`,
/// `!`, `while`): `|x| >= 1e-5`; NaN is false.
#[inline]
pub fn truthy(x: f64) -> bool {
    x.abs() >= EPSILON
}

/// What `=` stores: MilkDrop 2 stores infinities, NaN and denormals as 0.
#[inline]
pub fn flush(x: f64) -> f64 {
    if x.is_normal() { x } else { 0.0 }
}

#[inline]
pub fn bool_f(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

/// Integer conversion used by `%`, `|`, `&`, `~`, `<<`, `>>`: truncation
/// toward zero, saturating at the i64 range (NaN gives 0).
#[inline]
pub fn to_int(x: f64) -> i64 {
    x as i64
}

/// A NaN result becomes 0, so NaN never leaks into preset state.
#[inline]
pub fn no_nan(x: f64) -> f64 {
    if x.is_nan() { 0.0 } else { x }
}

#[inline]
pub fn div(a: f64, b: f64) -> f64 {
    if b == 0.0 { 0.0 } else { no_nan(a / b) }
}

/// Integer modulo of the absolute values; 0 when the divisor is 0.
#[inline]
pub fn modulo(a: f64, b: f64) -> f64 {
    let b = to_int(b).unsigned_abs();
    if b == 0 {
        0.0
    } else {
        (to_int(a).unsigned_abs() % b) as f64
    }
}

#[inline]
pub fn pow(a: f64, b: f64) -> f64 {
    no_nan(a.powf(b))
}

#[inline]
pub fn shl(a: f64, b: f64) -> f64 {
    (to_int(a).wrapping_shl((to_int(b) & 63) as u32)) as f64
}

#[inline]
pub fn shr(a: f64, b: f64) -> f64 {
    (to_int(a).wrapping_shr((to_int(b) & 63) as u32)) as f64
}

#[inline]
pub fn binary(op: BinaryOp, a: f64, b: f64) -> f64 {
    use BinaryOp::*;
    match op {
        Add => a + b,
        Sub => a - b,
        Mul => a * b,
        Div => div(a, b),
        Mod => modulo(a, b),
        Pow => pow(a, b),
        BitOr => (to_int(a) | to_int(b)) as f64,
        BitAnd => (to_int(a) & to_int(b)) as f64,
        BitXor => (to_int(a) ^ to_int(b)) as f64,
        Shl => shl(a, b),
        Shr => shr(a, b),
        Eq => bool_f((a - b).abs() < EPSILON),
        Ne => bool_f((a - b).abs() >= EPSILON),
        ExactEq => bool_f(a == b),
        ExactNe => bool_f(a != b),
        Lt => bool_f(a < b),
        Gt => bool_f(a > b),
        Le => bool_f(a <= b),
        Ge => bool_f(a >= b),
    }
}

/// Pure functions of one argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Func1 {
    Neg,
    Not,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sqrt,
    Sqr,
    Exp,
    Log,
    Log10,
    Abs,
    Sign,
    Floor,
    Ceil,
    Int,
    InvSqrt,
    Bnot,
    /// What `=` stores ([`flush`]).
    Flush,
}

#[inline]
pub fn unary(f: Func1, x: f64) -> f64 {
    use Func1::*;
    match f {
        Neg => -x,
        Not | Bnot => bool_f(!truthy(x)),
        Sin => no_nan(x.sin()),
        Cos => no_nan(x.cos()),
        Tan => no_nan(x.tan()),
        Asin => no_nan(x.asin()),
        Acos => no_nan(x.acos()),
        Atan => x.atan(),
        Sqrt => x.abs().sqrt(),
        Sqr => x * x,
        Exp => x.exp(),
        Log => {
            if x > 0.0 {
                x.ln()
            } else {
                0.0
            }
        }
        Log10 => {
            if x > 0.0 {
                x.log10()
            } else {
                0.0
            }
        }
        Abs => x.abs(),
        Sign => {
            if x > 0.0 {
                1.0
            } else if x < 0.0 {
                -1.0
            } else {
                0.0
            }
        }
        Floor | Int => x.floor(),
        Ceil => x.ceil(),
        InvSqrt => fast_invsqrt(x),
        Flush => flush(x),
    }
}

/// MilkDrop 2's `invsqrt`: the float32 bit trick with one Newton step.
#[inline]
pub fn fast_invsqrt(x: f64) -> f64 {
    let xf = x as f32;
    let y = f32::from_bits(0x5f37_59df_u32.wrapping_sub(xf.to_bits() >> 1));
    let y = y * (1.5 - 0.5 * xf * y * y);
    no_nan(f64::from(y))
}

/// Pure functions of two arguments (besides the operators).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Func2 {
    Op(BinaryOp),
    Min,
    Max,
    Atan2,
    Above,
    Below,
    Equal,
    Band,
    Bor,
    Sigmoid,
    Fmod,
}

#[inline]
pub fn binary_fn(f: Func2, a: f64, b: f64) -> f64 {
    match f {
        Func2::Op(op) => binary(op, a, b),
        Func2::Min => {
            if a < b {
                a
            } else {
                b
            }
        }
        Func2::Max => {
            if a < b {
                b
            } else {
                a
            }
        }
        Func2::Atan2 => a.atan2(b),
        Func2::Above => bool_f(a > b),
        Func2::Below => bool_f(a < b),
        Func2::Equal => bool_f((a - b).abs() < EPSILON),
        Func2::Band => bool_f(a.abs() > EPSILON && b.abs() > EPSILON),
        Func2::Bor => bool_f(a.abs() > EPSILON || b.abs() > EPSILON),
        Func2::Sigmoid => {
            let t = 1.0 + (-a * b).exp();
            if t.abs() > EPSILON { 1.0 / t } else { 0.0 }
        }
        Func2::Fmod => {
            if b == 0.0 {
                0.0
            } else {
                no_nan(a % b)
            }
        }
    }
}

/// What a function name means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    Pure1(Func1),
    Pure2(Func2),
    /// `if(c, a, b)`: lazy.
    If,
    Loop,
    While,
    Exec2,
    Exec3,
    Assign,
    Rand,
    Megabuf,
    Gmegabuf,
    Freembuf,
    Memcpy,
    Memset,
}

impl Builtin {
    /// Looks up a (lowercase) function name; returns the function and its arity.
    pub fn lookup(name: &str) -> Option<(Builtin, usize)> {
        use Builtin::*;
        use Func1 as F1;
        use Func2 as F2;
        Some(match name {
            "sin" => (Pure1(F1::Sin), 1),
            "cos" => (Pure1(F1::Cos), 1),
            "tan" => (Pure1(F1::Tan), 1),
            "asin" => (Pure1(F1::Asin), 1),
            "acos" => (Pure1(F1::Acos), 1),
            "atan" => (Pure1(F1::Atan), 1),
            "sqrt" => (Pure1(F1::Sqrt), 1),
            "sqr" => (Pure1(F1::Sqr), 1),
            "exp" => (Pure1(F1::Exp), 1),
            "log" => (Pure1(F1::Log), 1),
            "log10" => (Pure1(F1::Log10), 1),
            "abs" => (Pure1(F1::Abs), 1),
            "sign" => (Pure1(F1::Sign), 1),
            "floor" => (Pure1(F1::Floor), 1),
            "ceil" => (Pure1(F1::Ceil), 1),
            "int" => (Pure1(F1::Int), 1),
            "invsqrt" => (Pure1(F1::InvSqrt), 1),
            "bnot" => (Pure1(F1::Bnot), 1),
            "min" => (Pure2(F2::Min), 2),
            "max" => (Pure2(F2::Max), 2),
            "atan2" => (Pure2(F2::Atan2), 2),
            "pow" => (Pure2(F2::Op(BinaryOp::Pow)), 2),
            "above" => (Pure2(F2::Above), 2),
            "below" => (Pure2(F2::Below), 2),
            "equal" => (Pure2(F2::Equal), 2),
            "band" => (Pure2(F2::Band), 2),
            "bor" => (Pure2(F2::Bor), 2),
            "sigmoid" => (Pure2(F2::Sigmoid), 2),
            "fmod" => (Pure2(F2::Fmod), 2),
            "if" => (If, 3),
            "loop" => (Loop, 2),
            "while" => (While, 1),
            "exec2" => (Exec2, 2),
            "exec3" => (Exec3, 3),
            "assign" => (Assign, 2),
            "rand" => (Rand, 1),
            "megabuf" => (Megabuf, 1),
            "gmegabuf" => (Gmegabuf, 1),
            "freembuf" => (Freembuf, 1),
            "memcpy" => (Memcpy, 3),
            "memset" => (Memset, 3),
            _ => return None,
        })
    }
}

/// Seeded random numbers for `rand()`: splitmix64, so a seed fixes a run.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `rand(n)`: with `top = max(floor(n), 1)`, a real in [0, top] as
    /// MilkDrop 2 returns it, or with `integer` (MilkDrop 1 presets) an
    /// integer in [0, top).
    pub fn rand(&mut self, n: f64, integer: bool) -> f64 {
        let top = n.floor().max(1.0);
        let top = if top.is_finite() {
            top.min(4_294_967_296.0)
        } else {
            1.0
        };
        let bits = (self.next_u64() >> 32) as u32;
        if integer {
            (u64::from(bits) % top as u64) as f64
        } else {
            f64::from(bits) / f64::from(u32::MAX) * top
        }
    }
}
