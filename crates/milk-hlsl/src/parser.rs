//! Recursive-descent parser over preprocessed tokens, producing [`Shader`].
//!
//! Expressions use precedence climbing with C's levels. Declarations are
//! recognised by their leading type name (built-in types, declared structs,
//! samplers) after optional storage modifiers.

use crate::Error;
use crate::ast::*;
use crate::lexer::{Tok, Token};

/// Deepest nesting of expressions and statements accepted.
const MAX_DEPTH: usize = 256;
/// Most binary operators in one statement (each nests the tree one level).
const MAX_CHAIN: usize = 512;

pub struct Parser<'a> {
    toks: &'a [Token],
    p: usize,
    depth: usize,
    /// Operators chained at one level (`a+b+c+...`), which nest the tree.
    chain: usize,
    /// Position of the end of the input (for errors there).
    end_pos: usize,
    shader: Shader,
}

/// Storage and parameter modifiers that are skipped.
const MODIFIERS: &[&str] = &[
    "static",
    "const",
    "uniform",
    "extern",
    "shared",
    "volatile",
    "inline",
    "precise",
    "row_major",
    "column_major",
    "nointerpolation",
    "linear",
    "centroid",
    "noperspective",
];

/// Parses a built-in type name such as `float3`, `half2x2`, `int`, `bool4`.
pub fn builtin_type(name: &str) -> Option<Type> {
    let (scalar, rest) = [
        ("float", Scalar::Float),
        ("half", Scalar::Float),
        ("double", Scalar::Float),
        ("int", Scalar::Int),
        ("uint", Scalar::Uint),
        ("dword", Scalar::Uint),
        ("bool", Scalar::Bool),
    ]
    .iter()
    .find_map(|(p, s)| name.strip_prefix(p).map(|r| (*s, r)))?;
    let b = rest.as_bytes();
    let dim = |c: u8| (b'1'..=b'4').contains(&c).then_some(c - b'0');
    match b.len() {
        0 => Some(Type::Scalar(scalar)),
        1 => match dim(b[0])? {
            1 => Some(Type::Scalar(scalar)),
            n => Some(Type::Vector(scalar, n)),
        },
        3 if b[1] == b'x' => {
            let (r, c) = (dim(b[0])?, dim(b[2])?);
            match (r, c) {
                (1, 1) => Some(Type::Scalar(scalar)),
                (1, n) | (n, 1) => Some(Type::Vector(scalar, n)),
                _ => Some(Type::Matrix(r, c)),
            }
        }
        _ => None,
    }
}

fn sampler_type(name: &str) -> Option<SamplerDim> {
    match name {
        "sampler" | "sampler2D" | "sampler2d" | "texture" | "texture2D" | "Texture2D"
        | "SamplerState" => Some(SamplerDim::D2),
        "sampler3D" | "sampler3d" | "texture3D" | "Texture3D" | "samplerCUBE" => {
            Some(SamplerDim::D3)
        }
        _ => None,
    }
}

type PResult<T> = Result<T, Error>;

/// Writes HLSL's other spellings of types as the one-token names the parser
/// reads: `vector<float, 3>` as `float3` and `matrix<half, 2, 3>` as
/// `half2x3` (bare `vector` and `matrix` are `float4` and `float4x4`), and
/// each name a `typedef` gives a type as that type.
pub fn resolve_type_names(tokens: Vec<Token>) -> PResult<Vec<Token>> {
    let mut aliases: std::collections::HashMap<String, String> = Default::default();
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    // Where the `typedef` being read started in `out`, and its position.
    let mut typedef: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        i += 1;
        let named = |name: String| Token {
            tok: Tok::Ident(name),
            ..t.clone()
        };
        match t.ident() {
            Some(kind @ ("vector" | "matrix")) => {
                let (name, used) = template_type(&tokens[i..], kind == "matrix")
                    .ok_or_else(|| Error::syntax(t.pos, format!("a malformed `{kind}<...>`")))?;
                out.push(named(name));
                i += used;
            }
            Some("typedef") if typedef.is_none() => typedef = Some((out.len(), t.pos)),
            Some(name) if aliases.contains_key(name) => out.push(named(aliases[name].clone())),
            _ if t.is_punct(";") && typedef.is_some() => {
                let (start, pos) = typedef.take().unwrap_or_default();
                let names: Vec<&Token> = out[start..]
                    .iter()
                    .filter(|t| {
                        !t.ident()
                            .is_some_and(|n| MODIFIERS.contains(&n) || n == "const")
                    })
                    .collect();
                let (Some(ty), true) = (names.first().and_then(|t| t.ident()), names.len() >= 2)
                else {
                    return Err(Error::syntax(pos, "a malformed `typedef`"));
                };
                if builtin_type(ty).is_none() {
                    return Err(Error::unsupported(
                        pos,
                        "typedefs of types other than built-in ones",
                    ));
                }
                for (k, name) in names[1..].iter().enumerate() {
                    match name.ident() {
                        Some(n) if k % 2 == 0 => {
                            aliases.insert(n.to_string(), ty.to_string());
                        }
                        None if k % 2 == 1 && name.is_punct(",") => {}
                        _ => return Err(Error::syntax(name.pos, "a malformed `typedef`")),
                    }
                }
                out.truncate(start);
            }
            _ => out.push(t.clone()),
        }
    }
    if let Some((_, pos)) = typedef {
        return Err(Error::syntax(pos, "a `typedef` without its `;`"));
    }
    Ok(out)
}

/// The one-token name of the `<scalar, rows[, columns]>` after `vector` or
/// `matrix` at the start of `rest`, and how many tokens that took.
fn template_type(rest: &[Token], matrix: bool) -> Option<(String, usize)> {
    if !rest.first().is_some_and(|t| t.is_punct("<")) {
        return Some((if matrix { "float4x4" } else { "float4" }.to_string(), 0));
    }
    let scalar = rest.get(1)?.ident()?;
    let dim = |k: usize| match rest.get(k).map(|t| &t.tok) {
        Some(Tok::Int(n @ 1..=4, _)) => Some(*n),
        _ => None,
    };
    let comma = |k: usize| rest.get(k).is_some_and(|t| t.is_punct(","));
    let (name, used) = if matrix {
        (comma(2) && comma(4)).then_some(())?;
        (format!("{scalar}{}x{}", dim(3)?, dim(5)?), 7)
    } else {
        comma(2).then_some(())?;
        (format!("{scalar}{}", dim(3)?), 5)
    };
    let closed = rest.get(used - 1).is_some_and(|t| t.is_punct(">"));
    (closed && builtin_type(&name).is_some()).then_some((name, used))
}

/// The value of a `case` label: an integer literal, maybe negated.
fn case_label(e: &Expr) -> Option<i64> {
    match &e.kind {
        ExprKind::Int(v, _) => i64::try_from(*v).ok(),
        ExprKind::Unary("-", x) => case_label(x).map(|v| -v),
        ExprKind::Unary("+", x) => case_label(x),
        _ => None,
    }
}

impl<'a> Parser<'a> {
    pub fn new(toks: &'a [Token], text_len: usize) -> Self {
        Parser {
            toks,
            p: 0,
            depth: 0,
            chain: 0,
            end_pos: text_len,
            shader: Shader::default(),
        }
    }

    fn peek(&self) -> Option<&'a Token> {
        self.toks.get(self.p)
    }
    fn peek_at(&self, k: usize) -> Option<&'a Token> {
        self.toks.get(self.p + k)
    }
    fn pos(&self) -> usize {
        self.peek().map_or(self.end_pos, |t| t.pos)
    }
    fn is(&self, p: &str) -> bool {
        self.peek().is_some_and(|t| t.is_punct(p))
    }
    fn is_ident(&self, name: &str) -> bool {
        self.peek().and_then(|t| t.ident()) == Some(name)
    }
    fn eat(&mut self, p: &str) -> bool {
        if self.is(p) {
            self.p += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, p: &str) -> PResult<()> {
        if self.eat(p) {
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{p}`")))
        }
    }
    fn unexpected(&self, wanted: &str) -> Error {
        match self.peek() {
            Some(t) => Error::syntax(t.pos, format!("expected {wanted}, found {}", t.tok)),
            None => Error::syntax(
                self.end_pos,
                format!("expected {wanted}, found end of shader"),
            ),
        }
    }
    fn ident(&mut self) -> PResult<String> {
        match self.peek().and_then(|t| t.ident()) {
            Some(s) => {
                self.p += 1;
                Ok(s.to_string())
            }
            None => Err(self.unexpected("a name")),
        }
    }
    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error::syntax(self.pos(), "nesting is too deep"));
        }
        Ok(())
    }

    fn struct_index(&self, name: &str) -> Option<usize> {
        self.shader.structs.iter().position(|s| s.name == name)
    }

    /// A type name at the cursor (without consuming), if any.
    fn type_at(&self, k: usize) -> Option<Type> {
        let name = self.peek_at(k)?.ident()?;
        if let Some(t) = builtin_type(name) {
            return Some(t);
        }
        if name == "void" {
            return Some(Type::Void);
        }
        if let Some(d) = sampler_type(name) {
            return Some(Type::Sampler(d));
        }
        self.struct_index(name).map(Type::Struct)
    }

    fn skip_modifiers(&mut self) -> bool {
        let mut any = false;
        while let Some(name) = self.peek().and_then(|t| t.ident()) {
            if MODIFIERS.contains(&name) {
                self.p += 1;
                any = true;
            } else {
                break;
            }
        }
        any
    }

    /// Skips `: SEMANTIC`, `: register(x)` and `<annotations>` after a name.
    fn skip_semantics(&mut self) -> PResult<()> {
        while self.eat(":") {
            self.ident()?;
            if self.eat("(") {
                while !self.eat(")") {
                    if self.peek().is_none() {
                        return Err(self.unexpected("`)`"));
                    }
                    self.p += 1;
                }
            }
        }
        Ok(())
    }

    /// `[N]` suffixes after a declarator name.
    fn array_suffix(&mut self, mut ty: Type) -> PResult<Type> {
        let mut dims = Vec::new();
        while self.eat("[") {
            let pos = self.pos();
            let n = match self.peek().map(|t| &t.tok) {
                Some(Tok::Int(n, _)) => *n,
                _ => {
                    return Err(Error::unsupported(
                        pos,
                        "array sizes must be integer literals",
                    ));
                }
            };
            self.p += 1;
            self.expect("]")?;
            if n == 0 || n > 65536 {
                return Err(Error::type_error(pos, "bad array size"));
            }
            dims.push(n as u32);
        }
        for n in dims.into_iter().rev() {
            ty = Type::Array(Box::new(ty), n);
        }
        Ok(ty)
    }

    /// Parses the whole shader.
    pub fn parse(mut self) -> PResult<Shader> {
        let mut body_seen = false;
        while self.peek().is_some() {
            if self.eat(";") {
                continue;
            }
            if self.is_ident("shader_body") {
                let pos = self.pos();
                self.p += 1;
                body_seen = true;
                let body = self.block()?;
                self.shader.items.push(Item::Body(body, pos));
                // MilkDrop 2 ends the shader at the text's *last* `}`
                // (`strrchr`), where it appends the function's last line:
                // text after it (often a signature) is never compiled, but
                // a `}` after the body's own closing brace leaves the code
                // between outside the function, and fxc fails.
                if let Some(stray) = self.toks[self.p..].iter().find(|t| t.is_punct("}")) {
                    return Err(Error::syntax(
                        stray.pos,
                        "a `}` after the shader body's closing brace: MilkDrop 2 closes \
                         the shader at the last `}`, which leaves the code between outside \
                         the function (it does not compile there either)",
                    ));
                }
                break;
            }
            self.item()?;
        }
        if !body_seen {
            return Err(Error::syntax(self.end_pos, "no `shader_body`"));
        }
        Ok(self.shader)
    }

    fn item(&mut self) -> PResult<()> {
        self.chain = 0;
        // Attributes such as `[numthreads]` are not expected at top level.
        self.skip_modifiers();
        if self.is_ident("struct") {
            return self.struct_def();
        }
        let pos = self.pos();
        let Some(ty) = self.type_at(0) else {
            return Err(self.unexpected("a declaration"));
        };
        self.p += 1;
        if let Type::Sampler(dim) = ty {
            loop {
                let name_pos = self.pos();
                let name = self.ident()?;
                self.array_suffix(Type::Void)?;
                self.skip_semantics()?;
                if self.eat("=") {
                    self.skip_initializer()?;
                }
                self.shader.items.push(Item::Sampler(name, dim, name_pos));
                if !self.eat(",") {
                    break;
                }
            }
            return self.expect(";");
        }
        let name_pos = self.pos();
        let name = self.ident()?;
        if self.is("(") {
            return self.function(ty, name, pos);
        }
        self.declarators(ty, name, name_pos, true)?;
        Ok(())
    }

    /// Skips `sampler_state { ... }` or `<tex>` style initializers.
    fn skip_initializer(&mut self) -> PResult<()> {
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            if t.is_punct("{") {
                depth += 1;
            } else if t.is_punct("}") {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && (t.is_punct(";") || t.is_punct(",")) {
                return Ok(());
            }
            self.p += 1;
        }
        Err(self.unexpected("`;`"))
    }

    fn struct_def(&mut self) -> PResult<()> {
        let pos = self.pos();
        self.p += 1;
        let name = self.ident()?;
        self.expect("{")?;
        let mut fields = Vec::new();
        while !self.eat("}") {
            self.skip_modifiers();
            let Some(ty) = self.type_at(0) else {
                return Err(self.unexpected("a field type"));
            };
            self.p += 1;
            loop {
                let n = self.ident()?;
                let t = self.array_suffix(ty.clone())?;
                self.skip_semantics()?;
                fields.push((t, n));
                if !self.eat(",") {
                    break;
                }
            }
            self.expect(";")?;
        }
        self.expect(";")?;
        self.shader.structs.push(StructDef { name, fields, pos });
        Ok(())
    }

    fn function(&mut self, ret: Type, name: String, pos: usize) -> PResult<()> {
        self.expect("(")?;
        let mut params = Vec::new();
        if self.is_ident("void") && self.peek_at(1).is_some_and(|t| t.is_punct(")")) {
            self.p += 1;
        }
        while !self.eat(")") {
            if !params.is_empty() {
                self.expect(",")?;
            }
            let mut mode = ParamMode::In;
            loop {
                match self.peek().and_then(|t| t.ident()) {
                    Some("in") => {}
                    Some("out") => mode = ParamMode::Out,
                    Some("inout") => mode = ParamMode::InOut,
                    Some(m) if MODIFIERS.contains(&m) => {}
                    _ => break,
                }
                self.p += 1;
            }
            let ppos = self.pos();
            let Some(ty) = self.type_at(0) else {
                return Err(self.unexpected("a parameter type"));
            };
            self.p += 1;
            let pname = self.ident()?;
            let ty = self.array_suffix(ty)?;
            self.skip_semantics()?;
            let default = if self.eat("=") {
                Some(self.assignment()?)
            } else {
                None
            };
            params.push(Param {
                ty,
                name: pname,
                mode,
                default,
                pos: ppos,
            });
        }
        self.skip_semantics()?;
        if self.eat(";") {
            // A prototype; the definition follows later.
            return Ok(());
        }
        let body = self.block()?;
        self.shader.items.push(Item::Function(Function {
            ret,
            name,
            params,
            body,
            pos,
        }));
        Ok(())
    }

    /// The declarators after `TYPE NAME`; pushes globals when `global`.
    fn declarators(
        &mut self,
        ty: Type,
        first: String,
        first_pos: usize,
        global: bool,
    ) -> PResult<Vec<VarDecl>> {
        let mut out = Vec::new();
        let mut name = first;
        let mut pos = first_pos;
        loop {
            let t = self.array_suffix(ty.clone())?;
            self.skip_semantics()?;
            let init = if self.eat("=") {
                Some(self.initializer()?)
            } else {
                None
            };
            let d = VarDecl {
                ty: t,
                name,
                init,
                pos,
            };
            if global {
                self.shader.items.push(Item::Global(d));
            } else {
                out.push(d);
            }
            if !self.eat(",") {
                break;
            }
            pos = self.pos();
            name = self.ident()?;
        }
        self.expect(";")?;
        Ok(out)
    }

    fn initializer(&mut self) -> PResult<Expr> {
        if self.is("{") {
            let pos = self.pos();
            self.p += 1;
            self.enter()?;
            let mut items = Vec::new();
            while !self.eat("}") {
                items.push(self.initializer()?);
                if !self.eat(",") {
                    self.expect("}")?;
                    break;
                }
            }
            self.depth -= 1;
            return Ok(Expr {
                kind: ExprKind::InitList(items),
                pos,
            });
        }
        self.assignment()
    }

    fn block(&mut self) -> PResult<Vec<Stmt>> {
        self.expect("{")?;
        let mut out = Vec::new();
        while !self.eat("}") {
            if self.peek().is_none() {
                return Err(self.unexpected("`}`"));
            }
            out.push(self.statement()?);
        }
        Ok(out)
    }

    fn is_decl_start(&self) -> bool {
        let mut k = 0;
        while self
            .peek_at(k)
            .and_then(|t| t.ident())
            .is_some_and(|n| MODIFIERS.contains(&n))
        {
            k += 1;
        }
        self.type_at(k).is_some()
            && self
                .peek_at(k + 1)
                .is_some_and(|t| matches!(t.tok, Tok::Ident(_)))
    }

    fn statement(&mut self) -> PResult<Stmt> {
        self.enter()?;
        self.chain = 0;
        let r = self.statement_inner();
        self.depth -= 1;
        r
    }

    fn statement_inner(&mut self) -> PResult<Stmt> {
        let pos = self.pos();
        // Attributes: [unroll], [loop], [unroll(4)], [branch], [flatten].
        while self.is("[") && self.peek_at(1).is_some_and(|t| t.ident().is_some()) {
            self.p += 2;
            if self.eat("(") {
                while !self.eat(")") {
                    if self.peek().is_none() {
                        return Err(self.unexpected("`)`"));
                    }
                    self.p += 1;
                }
            }
            self.expect("]")?;
        }
        let kind = if self.is("{") {
            StmtKind::Block(self.block()?)
        } else if self.eat(";") {
            StmtKind::Empty
        } else if self.is_decl_start() {
            self.skip_modifiers();
            let ty = self.type_at(0).unwrap_or(Type::Void);
            self.p += 1;
            let npos = self.pos();
            let name = self.ident()?;
            StmtKind::Decl(self.declarators(ty, name, npos, false)?)
        } else {
            match self.peek().and_then(|t| t.ident()) {
                Some("if") => {
                    self.p += 1;
                    self.expect("(")?;
                    let c = self.expression()?;
                    self.expect(")")?;
                    let then = Box::new(self.statement()?);
                    let els = if self.is_ident("else") {
                        self.p += 1;
                        Some(Box::new(self.statement()?))
                    } else {
                        None
                    };
                    StmtKind::If(c, then, els)
                }
                Some("for") => {
                    self.p += 1;
                    self.expect("(")?;
                    let init = if self.eat(";") {
                        None
                    } else if self.is_decl_start() {
                        Some(Box::new(self.statement()?))
                    } else {
                        let ipos = self.pos();
                        let e = self.expression()?;
                        self.expect(";")?;
                        Some(Box::new(Stmt {
                            kind: StmtKind::Expr(e),
                            pos: ipos,
                        }))
                    };
                    let cond = if self.is(";") {
                        None
                    } else {
                        Some(self.expression()?)
                    };
                    self.expect(";")?;
                    let step = if self.is(")") {
                        None
                    } else {
                        Some(self.expression()?)
                    };
                    self.expect(")")?;
                    let body = Box::new(self.statement()?);
                    StmtKind::For(init, cond, step, body)
                }
                Some("while") => {
                    self.p += 1;
                    self.expect("(")?;
                    let c = self.expression()?;
                    self.expect(")")?;
                    StmtKind::While(c, Box::new(self.statement()?))
                }
                Some("do") => {
                    self.p += 1;
                    let body = Box::new(self.statement()?);
                    if !self.is_ident("while") {
                        return Err(self.unexpected("`while`"));
                    }
                    self.p += 1;
                    self.expect("(")?;
                    let c = self.expression()?;
                    self.expect(")")?;
                    self.expect(";")?;
                    StmtKind::DoWhile(body, c)
                }
                Some("return") => {
                    self.p += 1;
                    let e = if self.is(";") {
                        None
                    } else {
                        Some(self.expression()?)
                    };
                    self.expect(";")?;
                    StmtKind::Return(e)
                }
                Some("break") => {
                    self.p += 1;
                    self.expect(";")?;
                    StmtKind::Break
                }
                Some("continue") => {
                    self.p += 1;
                    self.expect(";")?;
                    StmtKind::Continue
                }
                Some("discard") => {
                    self.p += 1;
                    self.expect(";")?;
                    StmtKind::Discard
                }
                Some("switch") => {
                    self.p += 1;
                    self.expect("(")?;
                    let selector = self.expression()?;
                    self.expect(")")?;
                    StmtKind::Switch(selector, self.switch_cases()?)
                }
                Some("struct") => {
                    return Err(Error::unsupported(pos, "structs declared inside functions"));
                }
                _ => {
                    let e = self.expression()?;
                    self.expect(";")?;
                    StmtKind::Expr(e)
                }
            }
        };
        Ok(Stmt { kind, pos })
    }

    /// The `{ case N: ... default: ... }` of a `switch`.
    fn switch_cases(&mut self) -> PResult<Vec<SwitchCase>> {
        self.expect("{")?;
        let mut cases = Vec::new();
        while !self.eat("}") {
            let pos = self.pos();
            let mut labels = Vec::new();
            loop {
                if self.is_ident("default") {
                    self.p += 1;
                    labels.push(None);
                } else if self.is_ident("case") {
                    self.p += 1;
                    let label = self.ternary()?;
                    labels.push(Some(case_label(&label).ok_or_else(|| {
                        Error::unsupported(label.pos, "case labels other than integer literals")
                    })?));
                } else {
                    break;
                }
                self.expect(":")?;
            }
            if labels.is_empty() {
                return Err(self.unexpected("`case` or `default`"));
            }
            let mut body = Vec::new();
            while !(self.is("}") || self.is_ident("case") || self.is_ident("default")) {
                if self.peek().is_none() {
                    return Err(self.unexpected("`}`"));
                }
                body.push(self.statement()?);
            }
            cases.push(SwitchCase { labels, body, pos });
        }
        Ok(cases)
    }

    /// A full expression, including the comma operator.
    pub fn expression(&mut self) -> PResult<Expr> {
        let mut e = self.assignment()?;
        while self.is(",") {
            let pos = self.pos();
            self.p += 1;
            let r = self.assignment()?;
            e = Expr {
                kind: ExprKind::Comma(Box::new(e), Box::new(r)),
                pos,
            };
        }
        Ok(e)
    }

    fn assignment(&mut self) -> PResult<Expr> {
        self.enter()?;
        let lhs = self.ternary()?;
        let op = match self.peek().map(|t| &t.tok) {
            Some(Tok::Punct(
                op @ ("=" | "+=" | "-=" | "*=" | "/=" | "%=" | "&=" | "|=" | "^=" | "<<=" | ">>="),
            )) => Some(*op),
            _ => None,
        };
        let r = if let Some(op) = op {
            let pos = self.pos();
            self.p += 1;
            let rhs = self.assignment()?;
            Expr {
                kind: ExprKind::Assign(op, Box::new(lhs), Box::new(rhs)),
                pos,
            }
        } else {
            lhs
        };
        self.depth -= 1;
        Ok(r)
    }

    fn ternary(&mut self) -> PResult<Expr> {
        let c = self.binary(0)?;
        if !self.is("?") {
            return Ok(c);
        }
        let pos = self.pos();
        self.p += 1;
        self.enter()?;
        let a = self.assignment()?;
        self.expect(":")?;
        let b = self.assignment()?;
        self.depth -= 1;
        Ok(Expr {
            kind: ExprKind::Ternary(Box::new(c), Box::new(a), Box::new(b)),
            pos,
        })
    }

    fn binary(&mut self, min_prec: u8) -> PResult<Expr> {
        let mut lhs = self.unary()?;
        loop {
            let Some(Tok::Punct(op)) = self.peek().map(|t| &t.tok) else {
                return Ok(lhs);
            };
            let prec = match *op {
                "||" => 1,
                "&&" => 2,
                "|" => 3,
                "^" => 4,
                "&" => 5,
                "==" | "!=" => 6,
                "<" | ">" | "<=" | ">=" => 7,
                "<<" | ">>" => 8,
                "+" | "-" => 9,
                "*" | "/" | "%" => 10,
                _ => return Ok(lhs),
            };
            if prec < min_prec {
                return Ok(lhs);
            }
            let op: &'static str = op;
            let pos = self.pos();
            self.p += 1;
            self.enter()?;
            let rhs = self.binary(prec + 1)?;
            self.depth -= 1;
            // The left operand grows one level deeper per operator.
            self.chain += 1;
            if self.chain > MAX_CHAIN {
                return Err(Error::syntax(pos, "expression is too long"));
            }
            lhs = Expr {
                kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
                pos,
            };
        }
    }

    fn unary(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        self.enter()?;
        let r = match self.peek().map(|t| &t.tok) {
            Some(Tok::Punct(op @ ("-" | "+" | "!" | "~"))) => {
                let op: &'static str = op;
                self.p += 1;
                let e = self.unary()?;
                Ok(Expr {
                    kind: ExprKind::Unary(op, Box::new(e)),
                    pos,
                })
            }
            Some(Tok::Punct(op @ ("++" | "--"))) => {
                let op: &'static str = op;
                self.p += 1;
                let e = self.unary()?;
                Ok(Expr {
                    kind: ExprKind::IncDec(op, true, Box::new(e)),
                    pos,
                })
            }
            Some(Tok::Punct("(")) if self.is_cast() => {
                self.p += 1;
                let mut ty = self.type_at(0).unwrap_or(Type::Void);
                self.p += 1;
                ty = self.array_suffix(ty)?;
                self.expect(")")?;
                let e = self.unary()?;
                Ok(Expr {
                    kind: ExprKind::Cast(ty, Box::new(e)),
                    pos,
                })
            }
            _ => self.postfix(),
        };
        self.depth -= 1;
        r
    }

    fn is_cast(&self) -> bool {
        self.type_at(1)
            .is_some_and(|t| !matches!(t, Type::Sampler(_)))
            && self
                .peek_at(2)
                .is_some_and(|t| t.is_punct(")") || t.is_punct("["))
    }

    fn postfix(&mut self) -> PResult<Expr> {
        let mut e = self.primary()?;
        loop {
            let pos = self.pos();
            if self.eat(".") {
                let name = self.ident()?;
                e = Expr {
                    kind: ExprKind::Member(Box::new(e), name),
                    pos,
                };
            } else if self.eat("[") {
                let i = self.expression()?;
                self.expect("]")?;
                e = Expr {
                    kind: ExprKind::Index(Box::new(e), Box::new(i)),
                    pos,
                };
            } else if self.is("++") || self.is("--") {
                let op = if self.is("++") { "++" } else { "--" };
                self.p += 1;
                e = Expr {
                    kind: ExprKind::IncDec(op, false, Box::new(e)),
                    pos,
                };
            } else {
                return Ok(e);
            }
        }
    }

    fn args(&mut self) -> PResult<Vec<Expr>> {
        self.expect("(")?;
        let mut args = Vec::new();
        while !self.eat(")") {
            if !args.is_empty() {
                self.expect(",")?;
            }
            args.push(self.assignment()?);
        }
        Ok(args)
    }

    fn primary(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        let Some(t) = self.peek() else {
            return Err(self.unexpected("an expression"));
        };
        let kind = match &t.tok {
            Tok::Int(v, u) => {
                self.p += 1;
                ExprKind::Int(*v, *u)
            }
            Tok::Float(v) => {
                self.p += 1;
                ExprKind::Float(*v)
            }
            Tok::Punct("(") => {
                self.p += 1;
                let e = self.expression()?;
                self.expect(")")?;
                return Ok(e);
            }
            Tok::Ident(name) => {
                if name == "true" || name == "false" {
                    self.p += 1;
                    ExprKind::Bool(name == "true")
                } else if let Some(ty) = self.type_at(0).filter(|t| !matches!(t, Type::Sampler(_)))
                {
                    self.p += 1;
                    if !self.is("(") {
                        return Err(self.unexpected("`(` after a type name"));
                    }
                    ExprKind::Construct(ty, self.args()?)
                } else {
                    let name = name.clone();
                    self.p += 1;
                    if self.is("(") {
                        ExprKind::Call(name, self.args()?)
                    } else {
                        ExprKind::Ident(name)
                    }
                }
            }
            _ => return Err(self.unexpected("an expression")),
        };
        Ok(Expr { kind, pos })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::tokenize;

    fn parse(s: &str) -> PResult<Shader> {
        let t = tokenize(s)?;
        Parser::new(&t, s.len()).parse()
    }

    #[test]
    fn builtin_types() {
        assert_eq!(builtin_type("float3"), Some(Type::Vector(Scalar::Float, 3)));
        assert_eq!(builtin_type("half2x2"), Some(Type::Matrix(2, 2)));
        assert_eq!(builtin_type("float1"), Some(Type::Scalar(Scalar::Float)));
        assert_eq!(builtin_type("floaty"), None);
    }

    #[test]
    fn precedence_and_casts() {
        let s = parse("shader_body { float x = 1 + 2 * (float)3 - -y.x; }").unwrap();
        let Item::Body(b, _) = &s.items[0] else {
            panic!()
        };
        let StmtKind::Decl(d) = &b[0].kind else {
            panic!()
        };
        let Some(Expr {
            kind: ExprKind::Binary("-", l, _),
            ..
        }) = &d[0].init
        else {
            panic!()
        };
        assert!(matches!(l.kind, ExprKind::Binary("+", _, _)));
    }

    #[test]
    fn functions_samplers_and_globals() {
        let s = parse(
            "sampler2D sampler_foo : register(s0) = sampler_state { Filter = LINEAR; };\n\
             static const float k[2] = {1, 2};\n\
             float3 f(in float2 a, out float b) { b = a.x; return a.xyy; }\n\
             shader_body { [unroll] for (int i = 0; i < 2; i++) { ret += f(uv, x); } }",
        )
        .unwrap();
        assert_eq!(s.items.len(), 4);
    }

    #[test]
    fn errors_have_positions() {
        let e = parse("shader_body { x = ; }").unwrap_err();
        assert_eq!(e.offset, 18);
        assert!(parse("float x;").is_err());
    }
}
