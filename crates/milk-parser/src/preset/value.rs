//! Numbers in `.milk` values, read the way MilkDrop reads them.
//!
//! MilkDrop 2 reads values with `sscanf(buf, "%d")` / `sscanf(buf, "%f")`:
//! leading whitespace is skipped, the longest numeric prefix is used and
//! anything after it is ignored (`1.000000 junk` is 1, `1.#INF` is 1). When
//! there is no number at all, the key's default is kept (not 0, unlike
//! `atof`). We return `None` in that case and the caller keeps its default.
//!
//! Float values are then stored as MilkDrop 2 stores them, as `float`s
//! (`FieldValue::stored`).
//!
//! As the C library MilkDrop 2 was built with (Visual C++ 2008's, before
//! C99's `inf` and `nan`), `inf`, `infinity` and `nan` are not numbers, so
//! the model never holds a NaN (which would break `==` on presets); values
//! too large for a float become infinite. Integers saturate at the `i32`
//! range.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::take_while,
    character::complete::{char, digit0, digit1, one_of},
    combinator::opt,
};

/// C's `isspace` set, which `scanf` skips before a number.
fn c_space(i: &str) -> IResult<&str, &str> {
    take_while(|c: char| matches!(c, ' ' | '\t' | '\n' | '\u{0b}' | '\u{0c}' | '\r')).parse(i)
}

/// Like nom's `recognize`, but computes the consumed text from the lengths
/// of input and remainder. (nom 8.0.0's `digit0`/`digit1` return a
/// remainder that points at the start of the input when they consume all
/// of it, which makes `recognize` return the wrong slice.)
fn consumed<'a, O>(
    mut parser: impl Parser<&'a str, Output = O, Error = nom::error::Error<&'a str>>,
) -> impl FnMut(&'a str) -> IResult<&'a str, &'a str> {
    move |i: &'a str| {
        let (rest, _) = parser.parse(i)?;
        Ok((rest, &i[..i.len() - rest.len()]))
    }
}

/// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`
fn decimal(i: &str) -> IResult<&str, &str> {
    consumed((
        opt(one_of("+-")),
        alt((
            (digit1, opt((char('.'), digit0))).map(|_| ()),
            (char('.'), digit1).map(|_| ()),
        )),
        opt((one_of("eE"), opt(one_of("+-")), digit1)),
    ))
    .parse(i)
}

/// The value of a float key, like `sscanf("%f")`; `None` when the text does
/// not start with a number.
pub fn parse_float(text: &str) -> Option<f64> {
    let (rest, _) = c_space(text).ok()?;
    if let Ok((_, num)) = decimal(rest) {
        // `decimal` only recognizes text that Rust's parser accepts; it is
        // correctly rounded, and overflows to +-inf rather than failing.
        return num.parse::<f64>().ok();
    }
    None
}

/// The value of an integer key, like `sscanf("%d")`: `2.9` is 2, `-0.5` is 0;
/// `None` when the text does not start with an integer.
pub fn parse_int(text: &str) -> Option<i32> {
    let (rest, _) = c_space(text).ok()?;
    let (_, (sign, digits)) = (opt(one_of::<_, _, nom::error::Error<&str>>("+-")), digit1)
        .parse(rest)
        .ok()?;
    let negative = sign == Some('-');
    let mut value: i64 = 0;
    for b in digits.bytes() {
        value = value * 10 + i64::from(b - b'0');
        if value > i64::from(i32::MAX) + 1 {
            break; // saturates below; no need to read more digits
        }
    }
    let value = if negative { -value } else { value };
    Some(value.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
}

/// A model field that can be read from, and written to, a `.milk` value.
/// One parameter's value as the model stores it (see
/// `BaseValues::fields` and the other parameter tables' `fields`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamValue {
    /// A `float` in MilkDrop 2, widened to `f64`.
    Float(f64),
    /// An `int` (`nWaveMode`, `samples`, `sides`, ...).
    Int(i32),
    /// A flag, read as an `int` that is non-zero.
    Bool(bool),
}

pub(crate) trait FieldValue {
    /// The value, tagged with its type.
    fn param(&self) -> ParamValue;
    /// Sets the field from a value; keeps it unchanged when the value is not
    /// a number (MilkDrop keeps the default).
    fn set_from(&mut self, text: &str);
    /// Writes the value so that [`FieldValue::set_from`] reads it back exactly.
    fn write_to(&self, out: &mut String);
    /// The value as MilkDrop 2 stores it (defaults too).
    fn stored(value: Self) -> Self;
}

impl FieldValue for f64 {
    fn param(&self) -> ParamValue {
        ParamValue::Float(*self)
    }
    /// MilkDrop 2 keeps file values as `float`s (`GetFastFloat` into
    /// `CBlendableFloat`), and its code sees them widened back: `zoom=1.01`
    /// reaches the equations as 1.0099999904632568.
    fn set_from(&mut self, text: &str) {
        if let Some(v) = parse_float(text) {
            *self = Self::stored(v);
        }
    }
    fn stored(value: Self) -> Self {
        f64::from(value as f32)
    }
    fn write_to(&self, out: &mut String) {
        use std::fmt::Write;
        // Rust's shortest representation that parses back to the same
        // value ("0.98", "2", "-0.001"): of the f32 where the value
        // is one, as values read from a file are.
        let single = *self as f32;
        if self.is_infinite() {
            // A number too large for a float, as `inf` is not one.
            out.push_str(if *self > 0.0 { "1e999" } else { "-1e999" });
        } else if f64::from(single) == *self {
            let _ = write!(out, "{single}");
        } else {
            let _ = write!(out, "{self}");
        }
    }
}

impl FieldValue for i32 {
    fn param(&self) -> ParamValue {
        ParamValue::Int(*self)
    }
    fn set_from(&mut self, text: &str) {
        if let Some(v) = parse_int(text) {
            *self = v;
        }
    }
    fn stored(value: Self) -> Self {
        value
    }
    fn write_to(&self, out: &mut String) {
        use std::fmt::Write;
        let _ = write!(out, "{self}");
    }
}

impl FieldValue for bool {
    fn param(&self) -> ParamValue {
        ParamValue::Bool(*self)
    }
    fn set_from(&mut self, text: &str) {
        if let Some(v) = parse_int(text) {
            *self = v != 0;
        }
    }
    fn stored(value: Self) -> Self {
        value
    }
    fn write_to(&self, out: &mut String) {
        out.push(if *self { '1' } else { '0' });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_like_scanf() {
        assert_eq!(parse_float("0.98"), Some(0.98));
        assert_eq!(parse_float("  -1.5e2xyz"), Some(-150.0));
        assert_eq!(parse_float("1.#INF00"), Some(1.0));
        assert_eq!(parse_float("1e"), Some(1.0));
        assert_eq!(parse_float("1e+"), Some(1.0));
        assert_eq!(parse_float(".5"), Some(0.5));
        assert_eq!(parse_float("5."), Some(5.0));
        assert_eq!(parse_float("+3"), Some(3.0));
        assert_eq!(parse_float("-.25;"), Some(-0.25));
        assert_eq!(parse_float("\t7"), Some(7.0));
        assert_eq!(parse_float("1e999"), Some(f64::INFINITY));
        assert_eq!(parse_float("-INF"), None);
        assert_eq!(parse_float("infinity"), None);
        assert_eq!(parse_float(""), None);
        assert_eq!(parse_float("abc"), None);
        assert_eq!(parse_float("."), None);
        assert_eq!(parse_float("-"), None);
        assert_eq!(parse_float("nan"), None);
        assert_eq!(parse_float("e5"), None);
    }

    #[test]
    fn ints_like_scanf() {
        assert_eq!(parse_int("1"), Some(1));
        assert_eq!(parse_int(" 1.000000"), Some(1));
        assert_eq!(parse_int("-0.5"), Some(0));
        assert_eq!(parse_int("-7x"), Some(-7));
        assert_eq!(parse_int("+2"), Some(2));
        assert_eq!(parse_int("99999999999999999999999"), Some(i32::MAX));
        assert_eq!(parse_int("-99999999999999999999999"), Some(i32::MIN));
        assert_eq!(parse_int("-2147483648"), Some(i32::MIN));
        assert_eq!(parse_int(".5"), None);
        assert_eq!(parse_int(""), None);
        assert_eq!(parse_int("x1"), None);
    }

    #[test]
    fn floats_write_back_exactly() {
        for v in [
            0.98,
            1.0 / 3.0,
            -0.0,
            1e300,
            1e-300,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::INFINITY,
            f64::NEG_INFINITY,
            123456.789,
        ] {
            let mut s = String::new();
            v.write_to(&mut s);
            assert_eq!(parse_float(&s), Some(v), "{s}");
        }
    }

    #[test]
    fn keeps_default_on_junk() {
        let mut f = 2.5f64;
        f.set_from("junk");
        assert_eq!(f, 2.5);
        let mut b = true;
        b.set_from("");
        assert!(b);
        b.set_from("0.9");
        assert!(!b);
        let mut i = 4;
        i.set_from("12abc");
        assert_eq!(i, 12);
    }
}
