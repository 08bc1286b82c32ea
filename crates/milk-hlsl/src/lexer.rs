//! Tokenizer: shader text -> tokens with byte offsets, written with nom.
//!
//! Comments and whitespace are dropped; each token remembers whether it is
//! the first on its line, which is all the preprocessor needs to find
//! directives. Numbers are scanned by hand (see the note on `number`).

use nom::branch::alt;
use nom::bytes::complete::{tag, take_until, take_while, take_while1};
use nom::character::complete::{char, multispace1, not_line_ending};
use nom::combinator::value;
use nom::{IResult, Parser};

use crate::Error;

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident(String),
    /// An integer literal; `unsigned` when written with a `u` suffix.
    Int(u64, bool),
    Float(f64),
    /// A string literal (only seen in directives and annotations).
    Str(String),
    Punct(&'static str),
}

/// A token and where it starts in the source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    /// Byte offset in the original shader text.
    pub pos: usize,
    /// True when no other token precedes it on its line.
    pub line_start: bool,
}

impl Token {
    pub fn is_punct(&self, p: &str) -> bool {
        matches!(&self.tok, Tok::Punct(q) if *q == p)
    }
    pub fn ident(&self) -> Option<&str> {
        match &self.tok {
            Tok::Ident(s) => Some(s),
            _ => None,
        }
    }
}

impl std::fmt::Display for Tok {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tok::Ident(s) => write!(f, "`{s}`"),
            Tok::Int(v, _) => write!(f, "`{v}`"),
            Tok::Float(v) => write!(f, "`{v}`"),
            Tok::Str(s) => write!(f, "\"{s}\""),
            Tok::Punct(p) => write!(f, "`{p}`"),
        }
    }
}

/// Punctuators, longest first so that `<<=` wins over `<<` and `<`.
const PUNCTS: &[&str] = &[
    "<<=", ">>=", "...", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "==", "!=",
    "<=", ">=", "&&", "||", "<<", ">>", "::", "##", "+", "-", "*", "/", "%", "=", "<", ">", "!",
    "~", "&", "|", "^", "?", ":", ";", ",", ".", "(", ")", "[", "]", "{", "}", "#", "\\",
];

/// Whitespace or one comment. Unterminated block comments run to the end.
fn trivia(i: &str) -> IResult<&str, bool> {
    alt((
        value(true, multispace1),
        value(false, (tag("//"), not_line_ending)),
        value(true, (tag("/*"), take_until("*/"), tag("*/"))),
        value(true, (tag("/*"), nom::combinator::rest)),
    ))
    .parse(i)
}

fn ident(i: &str) -> IResult<&str, &str> {
    let (rest, _) = take_while1(|c: char| c.is_ascii_alphabetic() || c == '_')(i)?;
    let (rest, _) = take_while(|c: char| c.is_ascii_alphanumeric() || c == '_')(rest)?;
    Ok((rest, &i[..i.len() - rest.len()]))
}

fn punct(i: &str) -> IResult<&str, &'static str> {
    for p in PUNCTS {
        if let Some(rest) = i.strip_prefix(p) {
            return Ok((rest, p));
        }
    }
    Err(nom::Err::Error(nom::error::Error::new(
        i,
        nom::error::ErrorKind::Tag,
    )))
}

fn string(i: &str) -> IResult<&str, &str> {
    let (rest, _) = char('"')(i)?;
    let (rest, body) = take_while(|c| c != '"' && c != '\n')(rest)?;
    let rest = rest.strip_prefix('"').unwrap_or(rest);
    Ok((rest, body))
}

/// Numbers are scanned by hand: nom 8.0.0's `recognize` over `digit0` returns
/// a wrong slice at the end of the input.
fn number(i: &str) -> Option<(usize, Tok)> {
    let b = i.as_bytes();
    let digits = |mut k: usize| {
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        k
    };
    if b.len() > 2 && b[0] == b'0' && (b[1] == b'x' || b[1] == b'X') && b[2].is_ascii_hexdigit() {
        let mut k = 2;
        while k < b.len() && b[k].is_ascii_hexdigit() {
            k += 1;
        }
        let v = u64::from_str_radix(&i[2..k], 16).unwrap_or(u64::MAX);
        let (k, unsigned) = int_suffix(b, k);
        return Some((k, Tok::Int(v, unsigned)));
    }
    let int_end = digits(0);
    let mut k = int_end;
    let mut is_float = false;
    if k < b.len() && b[k] == b'.' {
        let frac_end = digits(k + 1);
        if int_end == 0 && frac_end == k + 1 {
            return None; // a lone `.`
        }
        k = frac_end;
        is_float = true;
    } else if int_end == 0 {
        return None;
    }
    if k < b.len() && (b[k] == b'e' || b[k] == b'E') {
        let mut e = k + 1;
        if e < b.len() && (b[e] == b'+' || b[e] == b'-') {
            e += 1;
        }
        let e_end = digits(e);
        if e_end > e {
            k = e_end;
            is_float = true;
        }
    }
    let text = &i[..k];
    if k < b.len() && matches!(b[k], b'f' | b'F' | b'h' | b'H') {
        return Some((k + 1, Tok::Float(text.parse().unwrap_or(0.0))));
    }
    if is_float {
        let k = if k < b.len() && matches!(b[k], b'l' | b'L') {
            k + 1
        } else {
            k
        };
        return Some((k, Tok::Float(text.parse().unwrap_or(0.0))));
    }
    let v = text.parse::<u64>().unwrap_or(u64::MAX);
    let (k, unsigned) = int_suffix(b, k);
    Some((k, Tok::Int(v, unsigned)))
}

fn int_suffix(b: &[u8], k: usize) -> (usize, bool) {
    match b.get(k) {
        Some(b'u' | b'U') => (k + 1, true),
        Some(b'l' | b'L') => (k + 1, false),
        _ => (k, false),
    }
}

/// Splits `text` into tokens.
pub fn tokenize(text: &str) -> Result<Vec<Token>, Error> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut line_start = true;
    while !rest.is_empty() {
        let pos = text.len() - rest.len();
        if let Ok((r, _)) = trivia(rest) {
            if rest[..rest.len() - r.len()].contains('\n') {
                line_start = true;
            }
            rest = r;
            continue;
        }
        let c = rest.as_bytes()[0];
        let (r, tok) = if c.is_ascii_digit() || (c == b'.' && number(rest).is_some()) {
            let (n, tok) = number(rest).ok_or_else(|| Error::syntax(pos, "bad number"))?;
            (&rest[n..], tok)
        } else if let Ok((r, id)) = ident(rest) {
            (r, Tok::Ident(id.to_string()))
        } else if let Ok((r, s)) = string(rest) {
            (r, Tok::Str(s.to_string()))
        } else if let Ok((r, p)) = punct(rest) {
            (r, Tok::Punct(p))
        } else {
            let ch = rest.chars().next().unwrap_or('?');
            return Err(Error::syntax(pos, format!("unexpected character {ch:?}")));
        };
        out.push(Token {
            tok,
            pos,
            line_start,
        });
        line_start = false;
        rest = r;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn numbers() {
        assert_eq!(
            toks("1 .5 2. 1e-3 3.0f 0x1F 7u 4h"),
            vec![
                Tok::Int(1, false),
                Tok::Float(0.5),
                Tok::Float(2.0),
                Tok::Float(0.001),
                Tok::Float(3.0),
                Tok::Int(31, false),
                Tok::Int(7, true),
                Tok::Float(4.0),
            ]
        );
        // A number at the very end of the input.
        assert_eq!(toks("12"), vec![Tok::Int(12, false)]);
    }

    #[test]
    fn comments_and_lines() {
        let t = tokenize("a // c\n/* x\n y */ b<<=c.x").unwrap();
        assert_eq!(t.len(), 6);
        assert!(t[1].line_start);
        assert_eq!(t[2].tok, Tok::Punct("<<="));
        assert_eq!(t[1].pos, 18);
    }

    #[test]
    fn bad_char() {
        assert!(tokenize("a @ b").is_err());
    }
}
