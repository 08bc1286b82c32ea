//! The preprocessor: `#define` (object- and function-like, with `##`),
//! `#undef`, `#if/#ifdef/#ifndef/#elif/#else/#endif` and `#pragma`/`#line`
//! (ignored), working on tokens. Tokens produced by a macro carry the
//! position of the macro's name where it was used, so errors point there.

use std::collections::HashMap;

use crate::Error;
use crate::lexer::{Tok, Token};

/// Upper bound on the tokens after expansion (a guard against macro bombs).
const MAX_TOKENS: usize = 200_000;
/// Upper bound on nested macro expansion.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone)]
struct Macro {
    params: Option<Vec<String>>,
    body: Vec<Token>,
}

/// Runs the preprocessor over `tokens`.
pub fn preprocess(tokens: Vec<Token>) -> Result<Vec<Token>, Error> {
    let mut macros: HashMap<String, Macro> = HashMap::new();
    let mut out = Vec::with_capacity(tokens.len());
    // Conditional stack: (this branch active, some branch already taken, parent active).
    let mut conds: Vec<(bool, bool, bool)> = Vec::new();
    let mut i = 0;
    let active = |conds: &Vec<(bool, bool, bool)>| conds.last().is_none_or(|c| c.0 && c.2);
    while i < tokens.len() {
        let t = &tokens[i];
        if t.line_start && t.is_punct("#") {
            let mut end = i + 1;
            while end < tokens.len() && !tokens[end].line_start {
                end += 1;
            }
            // A trailing `\` continues the directive on the next line.
            while end < tokens.len() && tokens[end - 1].is_punct("\\") {
                end += 1;
                while end < tokens.len() && !tokens[end].line_start {
                    end += 1;
                }
            }
            let line: Vec<Token> = tokens[i + 1..end]
                .iter()
                .filter(|t| !t.is_punct("\\"))
                .cloned()
                .collect();
            let pos = t.pos;
            i = end;
            let name = line.first().and_then(|t| t.ident()).unwrap_or("");
            match name {
                "if" | "ifdef" | "ifndef" => {
                    let parent = active(&conds);
                    let v = if !parent {
                        false
                    } else if name == "if" {
                        eval_cond(&line[1..], &macros) != 0
                    } else {
                        let defined = line
                            .get(1)
                            .and_then(|t| t.ident())
                            .is_some_and(|n| macros.contains_key(n));
                        defined == (name == "ifdef")
                    };
                    conds.push((v, v, parent));
                }
                "elif" => {
                    let Some(c) = conds.last_mut() else {
                        return Err(Error::syntax(pos, "#elif without #if"));
                    };
                    let v = !c.1 && c.2 && eval_cond(&line[1..], &macros) != 0;
                    c.0 = v;
                    c.1 |= v;
                }
                "else" => {
                    let Some(c) = conds.last_mut() else {
                        return Err(Error::syntax(pos, "#else without #if"));
                    };
                    c.0 = !c.1;
                    c.1 = true;
                }
                "endif" => {
                    if conds.pop().is_none() {
                        return Err(Error::syntax(pos, "#endif without #if"));
                    }
                }
                _ if !active(&conds) => {}
                "define" => {
                    let Some(n) = line.get(1).and_then(|t| t.ident()) else {
                        return Err(Error::syntax(pos, "#define needs a name"));
                    };
                    let n = n.to_string();
                    // Function-like only when `(` follows the name directly.
                    let fn_like = line
                        .get(2)
                        .is_some_and(|t| t.is_punct("(") && t.pos == line[1].pos + n.len());
                    let (params, body_start) = if fn_like {
                        let mut params = Vec::new();
                        let mut k = 3;
                        loop {
                            match line.get(k) {
                                Some(t) if t.is_punct(")") => break,
                                Some(t) if t.is_punct(",") => {}
                                Some(Token {
                                    tok: Tok::Ident(p), ..
                                }) => params.push(p.clone()),
                                _ => return Err(Error::syntax(pos, "bad #define parameters")),
                            }
                            k += 1;
                        }
                        (Some(params), k + 1)
                    } else {
                        (None, 2)
                    };
                    let body = line[body_start.min(line.len())..].to_vec();
                    macros.insert(n, Macro { params, body });
                }
                "undef" => {
                    if let Some(n) = line.get(1).and_then(|t| t.ident()) {
                        macros.remove(n);
                    }
                }
                "pragma" | "line" | "" => {}
                "include" => return Err(Error::syntax(pos, "#include is not supported")),
                "error" => return Err(Error::syntax(pos, "#error directive")),
                other => {
                    return Err(Error::syntax(pos, format!("unknown directive #{other}")));
                }
            }
            continue;
        }
        if !active(&conds) {
            i += 1;
            continue;
        }
        i = expand_one(&tokens, i, &macros, &mut Vec::new(), &mut out, None)?;
        if out.len() > MAX_TOKENS {
            return Err(Error::syntax(t.pos, "macro expansion is too large"));
        }
    }
    Ok(out)
}

/// Expands the token at `tokens[i]` (a macro use or a plain token) into
/// `out`; returns the index after what it consumed. `at` overrides the
/// position of every produced token (the outermost macro use).
fn expand_one(
    tokens: &[Token],
    i: usize,
    macros: &HashMap<String, Macro>,
    active: &mut Vec<String>,
    out: &mut Vec<Token>,
    at: Option<usize>,
) -> Result<usize, Error> {
    let t = &tokens[i];
    let pos = at.unwrap_or(t.pos);
    let push = |out: &mut Vec<Token>, t: &Token| {
        out.push(Token {
            tok: t.tok.clone(),
            pos,
            line_start: false,
        })
    };
    let Some(name) = t.ident() else {
        push(out, t);
        return Ok(i + 1);
    };
    let Some(m) = macros
        .get(name)
        .filter(|_| !active.iter().any(|a| a == name))
    else {
        push(out, t);
        return Ok(i + 1);
    };
    if active.len() > MAX_DEPTH || out.len() > MAX_TOKENS {
        return Err(Error::syntax(pos, "macro expansion is too deep"));
    }
    let (body, next) = match &m.params {
        None => (m.body.clone(), i + 1),
        Some(params) => {
            if !tokens.get(i + 1).is_some_and(|t| t.is_punct("(")) {
                push(out, t);
                return Ok(i + 1);
            }
            // Collect the arguments, split at top-level commas.
            let mut args: Vec<Vec<Token>> = vec![Vec::new()];
            let mut depth = 0usize;
            let mut k = i + 2;
            loop {
                let Some(a) = tokens.get(k) else {
                    return Err(Error::syntax(
                        pos,
                        format!("unterminated call of macro `{name}`"),
                    ));
                };
                if a.is_punct("(") {
                    depth += 1;
                } else if a.is_punct(")") {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                } else if a.is_punct(",") && depth == 0 {
                    args.push(Vec::new());
                    k += 1;
                    continue;
                }
                if let Some(last) = args.last_mut() {
                    last.push(a.clone());
                }
                k += 1;
            }
            if params.is_empty() && args.len() == 1 && args[0].is_empty() {
                args.clear();
            }
            if args.len() != params.len() {
                return Err(Error::syntax(
                    pos,
                    format!(
                        "macro `{name}` takes {} arguments, got {}",
                        params.len(),
                        args.len()
                    ),
                ));
            }
            // Arguments are fully expanded before substitution.
            let mut expanded = Vec::with_capacity(args.len());
            for a in &args {
                let mut e = Vec::new();
                let mut j = 0;
                while j < a.len() {
                    j = expand_one(a, j, macros, active, &mut e, Some(pos))?;
                }
                expanded.push(e);
            }
            let mut body = Vec::new();
            let mut j = 0;
            while j < m.body.len() {
                let b = &m.body[j];
                // `a ## b`: paste the neighbouring (unexpanded) tokens.
                if m.body.get(j + 1).is_some_and(|n| n.is_punct("##")) {
                    let left = subst_raw(b, params, &args);
                    let right = m.body.get(j + 2).map(|r| subst_raw(r, params, &args));
                    let joined = format!(
                        "{}{}",
                        tok_text(&left),
                        right.as_deref().map(tok_text).unwrap_or_default()
                    );
                    let toks = crate::lexer::tokenize(&joined).unwrap_or_default();
                    body.extend(toks.into_iter().map(|mut t| {
                        t.pos = pos;
                        t
                    }));
                    j += 3;
                    continue;
                }
                match b.ident().and_then(|n| params.iter().position(|p| p == n)) {
                    Some(p) => body.extend(expanded[p].iter().cloned()),
                    None => body.push(b.clone()),
                }
                j += 1;
            }
            (body, k + 1)
        }
    };
    active.push(name.to_string());
    let mut j = 0;
    while j < body.len() {
        j = expand_one(&body, j, macros, active, out, Some(pos))?;
        if out.len() > MAX_TOKENS {
            active.pop();
            return Err(Error::syntax(pos, "macro expansion is too large"));
        }
    }
    active.pop();
    Ok(next)
}

fn subst_raw(t: &Token, params: &[String], args: &[Vec<Token>]) -> Vec<Token> {
    match t.ident().and_then(|n| params.iter().position(|p| p == n)) {
        Some(p) => args[p].clone(),
        None => vec![t.clone()],
    }
}

fn tok_text(ts: &[Token]) -> String {
    ts.iter()
        .map(|t| match &t.tok {
            Tok::Ident(s) => s.clone(),
            Tok::Int(v, _) => v.to_string(),
            Tok::Float(v) => format!("{v:?}"),
            Tok::Str(s) => format!("\"{s}\""),
            Tok::Punct(p) => p.to_string(),
        })
        .collect()
}

/// Evaluates a `#if` condition: integers, `defined(X)`/`defined X`, macros
/// (expanded), `! && || == != < > <= >= + - * /` and parentheses. Unknown
/// names count as 0, as in C.
fn eval_cond(line: &[Token], macros: &HashMap<String, Macro>) -> i64 {
    // Replace `defined X` first, then expand macros.
    let mut pre = Vec::new();
    let mut k = 0;
    while k < line.len() {
        if line[k].ident() == Some("defined") {
            let (name, skip) = if line.get(k + 1).is_some_and(|t| t.is_punct("(")) {
                (line.get(k + 2).and_then(|t| t.ident()), 4)
            } else {
                (line.get(k + 1).and_then(|t| t.ident()), 2)
            };
            let v = name.is_some_and(|n| macros.contains_key(n));
            pre.push(Token {
                tok: Tok::Int(v as u64, false),
                pos: line[k].pos,
                line_start: false,
            });
            k += skip;
        } else {
            pre.push(line[k].clone());
            k += 1;
        }
    }
    let mut toks = Vec::new();
    let mut j = 0;
    while j < pre.len() {
        match expand_one(&pre, j, macros, &mut Vec::new(), &mut toks, None) {
            Ok(n) => j = n,
            Err(_) => return 0,
        }
    }
    let mut p = 0;
    cond_expr(&toks, &mut p, 0, 0)
}

fn cond_expr(t: &[Token], p: &mut usize, min_prec: u8, depth: usize) -> i64 {
    if depth > 64 {
        *p = t.len();
        return 0;
    }
    let mut lhs = cond_atom(t, p, depth);
    loop {
        let Some(Tok::Punct(op)) = t.get(*p).map(|t| &t.tok) else {
            return lhs;
        };
        let prec = match *op {
            "||" => 1,
            "&&" => 2,
            "==" | "!=" => 3,
            "<" | ">" | "<=" | ">=" => 4,
            "+" | "-" => 5,
            "*" | "/" | "%" => 6,
            _ => return lhs,
        };
        if prec < min_prec {
            return lhs;
        }
        let op = *op;
        *p += 1;
        let rhs = cond_expr(t, p, prec + 1, depth + 1);
        lhs = match op {
            "||" => (lhs != 0 || rhs != 0) as i64,
            "&&" => (lhs != 0 && rhs != 0) as i64,
            "==" => (lhs == rhs) as i64,
            "!=" => (lhs != rhs) as i64,
            "<" => (lhs < rhs) as i64,
            ">" => (lhs > rhs) as i64,
            "<=" => (lhs <= rhs) as i64,
            ">=" => (lhs >= rhs) as i64,
            "+" => lhs.wrapping_add(rhs),
            "-" => lhs.wrapping_sub(rhs),
            "*" => lhs.wrapping_mul(rhs),
            "/" => lhs.checked_div(rhs).unwrap_or(0),
            _ => lhs.checked_rem(rhs).unwrap_or(0),
        };
    }
}

fn cond_atom(t: &[Token], p: &mut usize, depth: usize) -> i64 {
    if depth > 64 {
        *p = t.len();
        return 0;
    }
    let Some(tok) = t.get(*p) else { return 0 };
    *p += 1;
    match &tok.tok {
        Tok::Int(v, _) => *v as i64,
        Tok::Float(v) => *v as i64,
        Tok::Punct("!") => (cond_atom(t, p, depth + 1) == 0) as i64,
        Tok::Punct("-") => cond_atom(t, p, depth + 1).wrapping_neg(),
        Tok::Punct("(") => {
            let v = cond_expr(t, p, 0, depth + 1);
            if t.get(*p).is_some_and(|t| t.is_punct(")")) {
                *p += 1;
            }
            v
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::tokenize;

    fn run(s: &str) -> String {
        let toks = preprocess(tokenize(s).unwrap()).unwrap();
        let parts: Vec<String> = toks
            .iter()
            .map(|t| tok_text(std::slice::from_ref(t)))
            .collect();
        parts.join(" ")
    }

    #[test]
    fn object_and_function_macros() {
        assert_eq!(
            run("#define A 2\n#define SQ(x) ((x)*(x))\nSQ(A+1)").trim(),
            "( ( 2 + 1 ) * ( 2 + 1 ) )"
        );
    }

    #[test]
    fn conditionals() {
        assert_eq!(
            run("#if 0\na\n#else\nb\n#endif\n#ifdef X\nc\n#endif").trim(),
            "b"
        );
        assert_eq!(run("#define X\n#if defined(X) && 1\nc\n#endif").trim(), "c");
    }

    #[test]
    fn recursive_macro_stops() {
        assert_eq!(run("#define a a+1\na").trim(), "a + 1");
    }

    #[test]
    fn expanded_tokens_point_at_use() {
        let toks = preprocess(tokenize("#define A (1)\nx A").unwrap()).unwrap();
        assert_eq!(toks[1].pos, 16);
        assert_eq!(toks[3].pos, 16);
    }
}
