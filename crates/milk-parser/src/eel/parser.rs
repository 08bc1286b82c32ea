//! nom parser for the equation language: text -> [`Expr`] with spans.
//!
//! Statements are separated by `;`. A newline also separates two statements
//! when the first is complete and the next token cannot continue it, because
//! many presets end code lines without `;` (`warp=0` on one line, `dy=0.01`
//! on the next) while others continue an expression on the next line.

use std::borrow::Cow;

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take_while, take_while1},
    character::complete::one_of,
    combinator::recognize,
    error::{ErrorKind, ParseError},
};

use super::ast::{AssignOp, BinaryOp, Expr, ExprKind, LogicOp, Span, UnaryOp};

/// Deepest expression tree accepted; deeper programs are rejected so that
/// compiling and running them cannot exhaust the stack.
pub const MAX_DEPTH: u32 = 512;

/// A syntax error: byte offset into the program text and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

#[derive(Debug)]
struct PErr<'a> {
    input: &'a str,
    message: Cow<'static, str>,
}

impl<'a> ParseError<&'a str> for PErr<'a> {
    fn from_error_kind(input: &'a str, _kind: ErrorKind) -> Self {
        PErr {
            input,
            message: Cow::Borrowed("syntax error"),
        }
    }

    fn append(_input: &'a str, _kind: ErrorKind, other: Self) -> Self {
        other
    }
}

type PResult<'a, T> = IResult<&'a str, T, PErr<'a>>;

fn fail<'a, T>(input: &'a str, message: impl Into<Cow<'static, str>>) -> PResult<'a, T> {
    Err(nom::Err::Failure(PErr {
        input,
        message: message.into(),
    }))
}

/// Parses a whole program (statements separated by `;` or newlines).
pub fn parse_program(src: &str) -> Result<Expr, SyntaxError> {
    let parser = Parser_ {
        src,
        nesting: std::cell::Cell::new(0),
    };
    let to_error = |e: PErr<'_>| SyntaxError {
        offset: src.len() - e.input.len(),
        message: e.message.into_owned(),
    };
    match parser.sequence(src) {
        Ok((rest, (expr, _))) => {
            let (rest, _) = skip_ws(rest);
            if rest.is_empty() {
                Ok(expr)
            } else {
                Err(to_error(PErr {
                    input: rest,
                    message: Cow::Owned(format!("unexpected {}", describe(rest))),
                }))
            }
        }
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(to_error(e)),
        Err(nom::Err::Incomplete(_)) => Err(SyntaxError {
            offset: src.len(),
            message: "unexpected end of code".into(),
        }),
    }
}

/// Describes the next token for an error message.
fn describe(rest: &str) -> String {
    match rest.chars().next() {
        None => "end of code".into(),
        Some(c) => {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .take(24)
                .collect();
            if word.is_empty() {
                format!("'{c}'")
            } else {
                format!("'{word}'")
            }
        }
    }
}

/// Skips whitespace and comments; says whether a newline was crossed.
fn skip_ws(mut i: &str) -> (&str, bool) {
    let mut newline = false;
    loop {
        let trimmed = i.trim_start_matches(|c: char| {
            if c == '\n' || c == '\r' {
                newline = true;
            }
            c.is_whitespace() || c == '\u{1a}'
        });
        i = trimmed;
        if let Some(rest) = i.strip_prefix("//").or_else(|| i.strip_prefix("\\\\")) {
            match rest.find('\n') {
                Some(p) => i = &rest[p..],
                None => i = "",
            }
        } else if let Some(rest) = i.strip_prefix("/*") {
            match rest.find("*/") {
                Some(p) => {
                    newline |= rest[..p].contains('\n');
                    i = &rest[p + 2..];
                }
                None => i = "",
            }
        } else {
            return (i, newline);
        }
    }
}

/// What may follow an operand.
#[derive(Debug, Clone, Copy)]
enum InfixOp {
    Binary(BinaryOp),
    Logic(LogicOp),
    Assign(AssignOp),
    Question,
}

/// Operator tokens, longest first so that `==` wins over `=`.
const INFIX: &[(&str, InfixOp)] = {
    use BinaryOp::*;
    use InfixOp::{Assign as A, Binary as B, Logic as L};
    &[
        ("===", B(ExactEq)),
        ("!==", B(ExactNe)),
        ("==", B(Eq)),
        ("!=", B(Ne)),
        ("<=", B(Le)),
        (">=", B(Ge)),
        ("<<", B(Shl)),
        (">>", B(Shr)),
        ("&&", L(LogicOp::And)),
        ("||", L(LogicOp::Or)),
        ("+=", A(AssignOp::Compound(Add))),
        ("-=", A(AssignOp::Compound(Sub))),
        ("*=", A(AssignOp::Compound(Mul))),
        ("/=", A(AssignOp::Compound(Div))),
        ("%=", A(AssignOp::Compound(Mod))),
        ("^=", A(AssignOp::Compound(Pow))),
        ("|=", A(AssignOp::Compound(BitOr))),
        ("&=", A(AssignOp::Compound(BitAnd))),
        ("~=", A(AssignOp::Compound(BitXor))),
        ("=", A(AssignOp::Set)),
        ("<", B(Lt)),
        (">", B(Gt)),
        ("+", B(Add)),
        ("-", B(Sub)),
        ("*", B(Mul)),
        ("/", B(Div)),
        ("%", B(Mod)),
        ("^", B(Pow)),
        ("|", B(BitOr)),
        ("&", B(BitAnd)),
        ("~", B(BitXor)),
        ("?", InfixOp::Question),
    ]
};

/// Binding power of prefix operators (`-x`, `!x`): tighter than `*` but
/// looser than `^` and `%`, so `-x^2` is `-(x^2)` as in MilkDrop 2's ns-eel2.
const PREFIX_BP: u8 = 21;

/// (left, right) binding powers; left < right means left-associative.
///
/// MilkDrop 2's levels, loosest first: assignment (right), `?:` (right),
/// `&&` and `||` (one level, left), comparisons (right-nested: `a<b==c` is
/// `a<(b==c)`), `|`, `&`, `+ -`, `* /`, then `^` and `%` on one level, left
/// to right (`3*2%5*7` is 42). `~ << >> === !==` come from later eel2
/// versions and sit at the nearest sensible level.
fn binding_power(op: InfixOp) -> (u8, u8) {
    use BinaryOp::*;
    match op {
        InfixOp::Assign(_) => (2, 1),
        InfixOp::Question => (4, 3),
        InfixOp::Logic(_) => (5, 6),
        InfixOp::Binary(op) => match op {
            Eq | Ne | ExactEq | ExactNe | Lt | Gt | Le | Ge => (8, 7),
            BitOr => (11, 12),
            BitXor => (13, 14),
            BitAnd => (15, 16),
            Add | Sub => (17, 18),
            Mul | Div | Shl | Shr => (19, 20),
            Mod | Pow => (23, 24),
        },
    }
}

fn peek_infix(i: &str) -> Option<(&'static str, InfixOp)> {
    let first = *i.as_bytes().first()?;
    if !b"=!<>&|+-*/%^~?".contains(&first) {
        return None;
    }
    INFIX.iter().copied().find(|(tok, _)| i.starts_with(tok))
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

fn identifier(i: &str) -> PResult<'_, &str> {
    recognize((take_while1(is_ident_start), take_while(is_ident_char))).parse(i)
}

/// Decimal number: `1`, `1.`, `.5`, `1.5e-3`.
fn decimal(i: &str) -> PResult<'_, f64> {
    let b = i.as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let int = digits(0);
    let mut end = int;
    if b.get(end) == Some(&b'.') {
        let frac = digits(end + 1);
        // A lone `.` reads as 0, as C's atof() reads it; a few presets
        // have `x*.` typos that MilkDrop tolerated.
        if int == 0
            && frac == 0
            && b.get(1)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        {
            return Err(nom::Err::Error(PErr::from_error_kind(i, ErrorKind::Digit)));
        }
        end += 1 + frac;
    } else if int == 0 {
        return Err(nom::Err::Error(PErr::from_error_kind(i, ErrorKind::Digit)));
    }
    if matches!(b.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(b.get(end + 1), Some(b'+' | b'-')));
        let exp = digits(end + 1 + sign);
        if exp > 0 {
            end += 1 + sign + exp;
        }
    }
    // The scan above only accepts text that `f64::from_str` accepts.
    let value = i[..end].parse::<f64>().unwrap_or(0.0);
    Ok((&i[end..], value))
}

fn hex_value(digits: &str) -> f64 {
    digits.chars().fold(0.0, |acc, c| {
        acc * 16.0 + f64::from(c.to_digit(16).unwrap_or(0))
    })
}

/// `0x1F`, `$x1F`, `$PI`, `$E`, `$PHI`, `$'c'`.
fn special_number(i: &str) -> PResult<'_, f64> {
    fn hex_digits(i: &str) -> PResult<'_, &str> {
        take_while1(|c: char| c.is_ascii_hexdigit()).parse(i)
    }
    let prefix = alt((tag::<_, _, PErr<'_>>("0x"), tag("0X")));
    if let Ok((rest, (_, digits))) = (prefix, hex_digits).parse(i) {
        return Ok((rest, hex_value(digits)));
    }
    let Some(after) = i.strip_prefix('$') else {
        return Err(nom::Err::Error(PErr::from_error_kind(i, ErrorKind::Tag)));
    };
    if let Ok((rest, (_, digits))) = (one_of::<_, _, PErr<'_>>("xX"), hex_digits).parse(after) {
        return Ok((rest, hex_value(digits)));
    }
    if let Some(rest) = after.strip_prefix('\'') {
        let mut chars = rest.chars();
        if let (Some(c), Some('\'')) = (chars.next(), chars.next()) {
            return Ok((chars.as_str(), f64::from(u32::from(c))));
        }
        return fail(i, "bad character constant, expected $'c'");
    }
    let (rest, name) = take_while1(|c: char| c.is_ascii_alphabetic()).parse(after)?;
    let value = match name.to_ascii_lowercase().as_str() {
        "pi" => std::f64::consts::PI,
        "e" => std::f64::consts::E,
        "phi" => 1.618_033_988_749_895,
        _ => return fail(i, format!("unknown constant ${name}")),
    };
    Ok((rest, value))
}

/// The parser proper; `src` is the whole program, for spans.
struct Parser_<'a> {
    src: &'a str,
    /// Current recursion depth, bounded by [`MAX_DEPTH`].
    nesting: std::cell::Cell<u32>,
}

type Node = (Expr, u32);

impl<'a> Parser_<'a> {
    fn offset(&self, i: &str) -> usize {
        self.src.len() - i.len()
    }

    fn span(&self, start: &str, end: &str) -> Span {
        Span::new(self.offset(start), self.offset(end))
    }

    fn check_depth(&self, i: &'a str, depth: u32) -> PResult<'a, ()> {
        if depth > MAX_DEPTH {
            return fail(
                i,
                format!("expression nested deeper than {MAX_DEPTH} levels"),
            );
        }
        Ok((i, ()))
    }

    /// Statements up to `)`, `]`, `,` or the end; `;` and newlines separate.
    fn sequence(&self, start: &'a str) -> PResult<'a, Node> {
        let mut items: Vec<Expr> = Vec::new();
        let mut depth = 0;
        let mut i = start;
        loop {
            let (j, _) = skip_ws(i);
            i = j;
            if let Some(rest) = i.strip_prefix(';') {
                i = rest;
                continue;
            }
            if i.is_empty() || i.starts_with([')', ']', ',']) {
                break;
            }
            let (j, (e, d)) = self.expr(i, 0)?;
            depth = depth.max(d);
            items.push(e);
            let (k, newline) = skip_ws(j);
            if let Some(rest) = k.strip_prefix(';') {
                i = rest;
            } else if k.is_empty() || k.starts_with([')', ']', ',']) {
                i = k;
                break;
            } else if newline {
                i = k;
            } else {
                return fail(
                    k,
                    format!("unexpected {}, expected an operator or ';'", describe(k)),
                );
            }
        }
        let span = self.span(start, i);
        let expr = if items.len() == 1 {
            items.pop().expect("one item")
        } else {
            Expr::new(ExprKind::Seq(items), span)
        };
        Ok((i, (expr, depth + 1)))
    }

    fn expr(&self, start: &'a str, min_bp: u8) -> PResult<'a, Node> {
        let level = self.nesting.get() + 1;
        if level > MAX_DEPTH {
            return fail(
                start,
                format!("expression nested deeper than {MAX_DEPTH} levels"),
            );
        }
        self.nesting.set(level);
        let result = self.expr_unguarded(start, min_bp);
        self.nesting.set(level - 1);
        result
    }

    fn expr_unguarded(&self, start: &'a str, min_bp: u8) -> PResult<'a, Node> {
        let (mut i, (mut lhs, mut depth)) = self.prefix(start)?;
        loop {
            let (j, _) = skip_ws(i);
            let Some((tok, op)) = peek_infix(j) else {
                break;
            };
            let (lbp, rbp) = binding_power(op);
            if lbp < min_bp {
                break;
            }
            let after_op = &j[tok.len()..];
            let (k, (rhs, rdepth)) = match op {
                InfixOp::Question => {
                    let (k, (then, tdepth)) = self.expr(after_op, 0)?;
                    let (k2, _) = skip_ws(k);
                    let (k, other) = if let Some(rest) = k2.strip_prefix(':') {
                        // The else branch may assign: `c ? x = 1 : x = 2`.
                        let (k, node) = self.expr(rest, rbp.min(1))?;
                        (k, Some(node))
                    } else {
                        (k, None)
                    };
                    depth = depth.max(tdepth).max(other.as_ref().map_or(0, |n| n.1)) + 1;
                    self.check_depth(k, depth)?;
                    let span = lhs.span.to(self.span(k, k));
                    lhs = Expr::new(
                        ExprKind::Ternary(
                            Box::new(lhs),
                            Box::new(then),
                            other.map(|n| Box::new(n.0)),
                        ),
                        span,
                    );
                    i = k;
                    continue;
                }
                _ => self.expr(after_op, rbp)?,
            };
            depth = depth.max(rdepth) + 1;
            self.check_depth(k, depth)?;
            let span = lhs.span.to(rhs.span);
            let kind = match op {
                InfixOp::Binary(b) => ExprKind::Binary(b, Box::new(lhs), Box::new(rhs)),
                InfixOp::Logic(l) => ExprKind::Logic(l, Box::new(lhs), Box::new(rhs)),
                InfixOp::Assign(a) => {
                    if !is_lvalue(&lhs) {
                        return fail(j, format!("cannot assign with '{tok}' to this expression"));
                    }
                    ExprKind::Assign(a, Box::new(lhs), Box::new(rhs))
                }
                InfixOp::Question => unreachable!("handled above"),
            };
            lhs = Expr::new(kind, span);
            i = k;
        }
        Ok((i, (lhs, depth)))
    }

    fn prefix(&self, start: &'a str) -> PResult<'a, Node> {
        let (i, _) = skip_ws(start);
        let op = if i.starts_with('!') && !i.starts_with("!=") {
            Some(UnaryOp::Not)
        } else if i.starts_with('-') {
            Some(UnaryOp::Neg)
        } else if let Some(rest) = i.strip_prefix('+') {
            // Unary plus changes nothing.
            let (j, (e, d)) = self.expr(rest, PREFIX_BP)?;
            return Ok((j, (e, d)));
        } else {
            None
        };
        if let Some(op) = op {
            let (j, (operand, d)) = self.expr(&i[1..], PREFIX_BP)?;
            self.check_depth(j, d + 1)?;
            let span = self.span(i, i).to(operand.span);
            // Fold `-<number>` so constants stay constants.
            if let (UnaryOp::Neg, ExprKind::Number(v)) = (op, &operand.kind) {
                return Ok((j, (Expr::new(ExprKind::Number(-v), span), d)));
            }
            return Ok((
                j,
                (
                    Expr::new(ExprKind::Unary(op, Box::new(operand)), span),
                    d + 1,
                ),
            ));
        }
        self.postfix(i)
    }

    fn postfix(&self, start: &'a str) -> PResult<'a, Node> {
        let (mut i, (mut e, mut depth)) = self.primary(start)?;
        loop {
            let (j, _) = skip_ws(i);
            let Some(rest) = j.strip_prefix('[') else {
                break;
            };
            let (k, (index, d)) = self.sequence(rest)?;
            let (k, _) = skip_ws(k);
            let Some(k) = k.strip_prefix(']') else {
                return fail(k, format!("unexpected {}, expected ']'", describe(k)));
            };
            depth = depth.max(d) + 1;
            self.check_depth(k, depth)?;
            let span = e.span.to(self.span(k, k));
            e = Expr::new(ExprKind::Index(Box::new(e), Box::new(index)), span);
            i = k;
        }
        Ok((i, (e, depth)))
    }

    fn primary(&self, i: &'a str) -> PResult<'a, Node> {
        if let Ok((rest, v)) = special_number(i).or_else(|_| decimal(i)) {
            return Ok((
                rest,
                (Expr::new(ExprKind::Number(v), self.span(i, rest)), 1),
            ));
        }
        if let Some(rest) = i.strip_prefix('(') {
            let (j, (inner, d)) = self.sequence(rest)?;
            let (j, _) = skip_ws(j);
            let Some(j) = j.strip_prefix(')') else {
                return fail(j, format!("unexpected {}, expected ')'", describe(j)));
            };
            self.check_depth(j, d + 1)?;
            return Ok((j, (inner, d + 1)));
        }
        if let Ok((rest, name)) = identifier(i) {
            let name_span = self.span(i, rest);
            let name = name.to_ascii_lowercase();
            let (j, _) = skip_ws(rest);
            if let Some(mut j) = j.strip_prefix('(') {
                let mut args = Vec::new();
                let mut depth = 0;
                loop {
                    let (k, (arg, d)) = self.sequence(j)?;
                    depth = depth.max(d);
                    args.push(arg);
                    let (k, _) = skip_ws(k);
                    if let Some(k) = k.strip_prefix(',') {
                        j = k;
                    } else if let Some(k) = k.strip_prefix(')') {
                        j = k;
                        break;
                    } else {
                        return fail(
                            k,
                            format!("unexpected {}, expected ',' or ')'", describe(k)),
                        );
                    }
                }
                // `f()` parses as one empty argument: treat it as no arguments.
                if args.len() == 1 && matches!(&args[0].kind, ExprKind::Seq(s) if s.is_empty()) {
                    args.clear();
                }
                self.check_depth(j, depth + 1)?;
                let span = self.span(i, j);
                let call = match internal_function(&name, args) {
                    Ok(kind) => kind,
                    Err(args) => ExprKind::Call {
                        name,
                        name_span,
                        args,
                    },
                };
                return Ok((j, (Expr::new(call, span), depth + 1)));
            }
            return Ok((rest, (Expr::new(ExprKind::Var(name), name_span), 1)));
        }
        if let Err(nom::Err::Failure(e)) = special_number(i) {
            return Err(nom::Err::Failure(e));
        }
        fail(i, format!("unexpected {}, expected a value", describe(i)))
    }
}

/// MilkDrop 2's ns-eel rewrites operators into internal functions
/// (`a>=b` into `_aboeq(a,b)`, ...) and presets may call those directly:
/// turn such calls back into operators. Other calls are handed back.
fn internal_function(name: &str, mut args: Vec<Expr>) -> Result<ExprKind, Vec<Expr>> {
    use BinaryOp::*;
    let binary = match name {
        "_equal" => Some(Eq),
        "_noteq" => Some(Ne),
        "_below" => Some(Lt),
        "_above" => Some(Gt),
        "_beleq" => Some(Le),
        "_aboeq" => Some(Ge),
        "_mod" => Some(Mod),
        _ => None,
    };
    let compound = match name {
        "_addop" => Some(Add),
        "_subop" => Some(Sub),
        "_mulop" => Some(Mul),
        "_divop" => Some(Div),
        "_modop" => Some(Mod),
        "_orop" => Some(BitOr),
        "_andop" => Some(BitAnd),
        "_powop" => Some(Pow),
        _ => None,
    };
    let two = args.len() == 2;
    if let (Some(op), true) = (binary, two) {
        let b = args.pop().expect("two");
        let a = args.pop().expect("two");
        return Ok(ExprKind::Binary(op, Box::new(a), Box::new(b)));
    }
    if two && (compound.is_some() || name == "_set") && is_lvalue(&args[0]) {
        let b = args.pop().expect("two");
        let a = args.pop().expect("two");
        let op = compound.map_or(AssignOp::Set, AssignOp::Compound);
        return Ok(ExprKind::Assign(op, Box::new(a), Box::new(b)));
    }
    if two && (name == "_and" || name == "_or") {
        let b = args.pop().expect("two");
        let a = args.pop().expect("two");
        let op = if name == "_and" {
            LogicOp::And
        } else {
            LogicOp::Or
        };
        return Ok(ExprKind::Logic(op, Box::new(a), Box::new(b)));
    }
    if args.len() == 1 && name == "_not" {
        let a = args.pop().expect("one");
        return Ok(ExprKind::Unary(UnaryOp::Not, Box::new(a)));
    }
    let renamed = match name {
        "_if" => "if",
        "_mem" => "megabuf",
        "_gmem" => "gmegabuf",
        _ => return Err(args),
    };
    let span = args.first().map_or_else(Span::default, |a| a.span);
    Ok(ExprKind::Call {
        name: renamed.to_owned(),
        name_span: span,
        args,
    })
}

fn is_lvalue(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Var(_) | ExprKind::Index(..) => true,
        ExprKind::Call { name, args, .. } => {
            matches!(name.as_str(), "megabuf" | "gmegabuf") && args.len() == 1
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sexp(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Number(v) => format!("{v}"),
            ExprKind::Var(n) => n.clone(),
            ExprKind::Unary(op, a) => format!("({op:?} {})", sexp(a)),
            ExprKind::Binary(op, a, b) => format!("({op:?} {} {})", sexp(a), sexp(b)),
            ExprKind::Logic(op, a, b) => format!("({op:?} {} {})", sexp(a), sexp(b)),
            ExprKind::Ternary(c, a, b) => format!(
                "(? {} {} {})",
                sexp(c),
                sexp(a),
                b.as_ref().map_or("-".into(), |b| sexp(b))
            ),
            ExprKind::Assign(op, a, b) => format!("({op:?} {} {})", sexp(a), sexp(b)),
            ExprKind::Call { name, args, .. } => format!(
                "{name}({})",
                args.iter().map(sexp).collect::<Vec<_>>().join(", ")
            ),
            ExprKind::Index(a, b) => format!("{}[{}]", sexp(a), sexp(b)),
            ExprKind::Seq(items) => {
                format!(
                    "{{{}}}",
                    items.iter().map(sexp).collect::<Vec<_>>().join("; ")
                )
            }
        }
    }

    fn p(src: &str) -> String {
        sexp(&parse_program(src).unwrap_or_else(|e| panic!("{src}: {e:?}")))
    }

    #[test]
    fn precedence() {
        assert_eq!(p("3*2%5*7"), "(Mul (Mul 3 (Mod 2 5)) 7)");
        assert_eq!(p("1+2*3"), "(Add 1 (Mul 2 3))");
        assert_eq!(p("-x^2"), "(Neg (Pow x 2))");
        assert_eq!(p("2^3^2"), "(Pow (Pow 2 3) 2)");
        assert_eq!(p("2^3%4"), "(Mod (Pow 2 3) 4)");
        assert_eq!(p("-x%3*2"), "(Mul (Neg (Mod x 3)) 2)");
        assert_eq!(p("2^-1"), "(Pow 2 -1)");
        assert_eq!(p("a<b==c"), "(Lt a (Eq b c))");
        assert_eq!(p("a = b = 1+1"), "(Set a (Set b (Add 1 1)))");
        assert_eq!(p("a < b && c || d"), "(Or (And (Lt a b) c) d)");
        assert_eq!(p("a || b && c"), "(And (Or a b) c)");
        assert_eq!(p("_aboeq(a, b)"), "(Ge a b)");
        assert_eq!(p("_addop(a, 1)"), "(Compound(Add) a 1)");
        assert_eq!(p("_if(a, b, c)"), "if(a, b, c)");
        assert_eq!(p("x = .+ 1"), "(Set x (Add 0 1))");
        assert_eq!(p("a ? b : c ? d : e"), "(? a b (? c d e))");
        assert_eq!(p("x += -1"), "(Compound(Add) x -1)");
        assert_eq!(p("a-b-c"), "(Sub (Sub a b) c)");
        assert_eq!(p("!a == b"), "(Eq (Not a) b)");
    }

    #[test]
    fn statements_and_newlines() {
        assert_eq!(p("a=1;b=2;"), "{(Set a 1); (Set b 2)}");
        assert_eq!(p("a=1\nb=2"), "{(Set a 1); (Set b 2)}");
        assert_eq!(p("a=1+\n2"), "(Set a (Add 1 2))");
        assert_eq!(p(";;"), "{}");
        assert_eq!(
            p("loop(3, a+=1; b+=2)"),
            "loop(3, {(Compound(Add) a 1); (Compound(Add) b 2)})"
        );
        assert_eq!(p("x = rand()"), "(Set x rand())");
    }

    #[test]
    fn numbers_and_names() {
        assert_eq!(
            p(".5 + 1. + 1e-3 + 2E+2"),
            "(Add (Add (Add 0.5 1) 0.001) 200)"
        );
        assert_eq!(p("$x1F + 0x10 + $'A'"), "(Add (Add 31 16) 65)");
        assert_eq!(p("ZoOm"), "zoom");
        assert_eq!(
            p("gmem[i+1] = megabuf(2)"),
            "(Set gmem[(Add i 1)] megabuf(2))"
        );
        assert_eq!(p("a // c\n/* x */ b"), "{a; b}");
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = parse_program("x = 1 +;").unwrap_err();
        assert_eq!(e.offset, 7);
        let e = parse_program("x = (1").unwrap_err();
        assert_eq!(e.offset, 6);
        let e = parse_program("x y").unwrap_err();
        assert_eq!(e.offset, 2);
        let e = parse_program("1 = 2").unwrap_err();
        assert!(e.message.contains("assign"), "{e:?}");
        let e = parse_program("$foo").unwrap_err();
        assert!(e.message.contains("$foo"), "{e:?}");
    }

    #[test]
    fn deep_nesting_is_rejected_not_a_stack_overflow() {
        let deep = "(".repeat(100_000);
        assert!(parse_program(&deep).is_err());
        let long = "a+".repeat(100_000) + "a";
        assert!(parse_program(&long).is_err());
        let minus = "-".repeat(100_000) + "1";
        assert!(parse_program(&minus).is_err());
    }
}
