//! Syntax tree of the equation language, with byte spans into the source.

/// Byte range `[start, end)` in the program text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Not,
}

/// Binary operators with eager evaluation of both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    BitOr,
    BitAnd,
    BitXor,
    Shl,
    Shr,
    Eq,
    Ne,
    ExactEq,
    ExactNe,
    Lt,
    Gt,
    Le,
    Ge,
}

/// Short-circuit operators: the right side runs only when needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogicOp {
    And,
    Or,
}

/// `=` or a compound assignment (`+=` applies [`BinaryOp::Add`], ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOp {
    Set,
    Compound(BinaryOp),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Number(f64),
    /// A variable; the name is lowercase.
    Var(String),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Logic(LogicOp, Box<Expr>, Box<Expr>),
    /// `c ? a : b`; without `: b` the else value is 0.
    Ternary(Box<Expr>, Box<Expr>, Option<Box<Expr>>),
    Assign(AssignOp, Box<Expr>, Box<Expr>),
    /// A function call; the name is lowercase.
    Call {
        name: String,
        name_span: Span,
        args: Vec<Expr>,
    },
    /// `base[index]`: memory at `base + index` (`gmem[i]` is global memory).
    Index(Box<Expr>, Box<Expr>),
    /// Statements separated by `;`; the value is the last one's (0 if empty).
    Seq(Vec<Expr>),
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }

    /// Calls `f` on this node and every node below it, parents first.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Number(_) | ExprKind::Var(_) => {}
            ExprKind::Unary(_, a) => a.walk(f),
            ExprKind::Binary(_, a, b)
            | ExprKind::Logic(_, a, b)
            | ExprKind::Assign(_, a, b)
            | ExprKind::Index(a, b) => {
                a.walk(f);
                b.walk(f);
            }
            ExprKind::Ternary(c, a, b) => {
                c.walk(f);
                a.walk(f);
                if let Some(b) = b {
                    b.walk(f);
                }
            }
            ExprKind::Call { args, .. } => args.iter().for_each(|a| a.walk(f)),
            ExprKind::Seq(items) => items.iter().for_each(|a| a.walk(f)),
        }
    }

    /// Number of nodes in the tree.
    pub fn size(&self) -> usize {
        let mut n = 0;
        self.walk(&mut |_| n += 1);
        n
    }
}
