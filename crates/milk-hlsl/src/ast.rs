//! The syntax tree of a MilkDrop shader. Every node keeps the byte offset
//! (in the shader text) of the token that starts it.

/// Scalar component types. `half` and `double` are read as `float`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scalar {
    Bool,
    Int,
    Uint,
    Float,
}

/// Sampler declarations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SamplerDim {
    D2,
    D3,
}

/// A type as written in the source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    Void,
    Scalar(Scalar),
    /// A vector of 2..=4 components (`float1` is read as a scalar).
    Vector(Scalar, u8),
    /// `floatRxC`: R rows, C columns, both 2..=4.
    Matrix(u8, u8),
    Array(Box<Type>, u32),
    /// Index into the translator's struct table.
    Struct(usize),
    Sampler(SamplerDim),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub pos: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Ident(String),
    Int(u64, bool),
    Float(f64),
    Bool(bool),
    /// `-x`, `+x`, `!x`, `~x`.
    Unary(&'static str, Box<Expr>),
    /// `++x`/`--x` (prefix true) or `x++`/`x--`.
    IncDec(&'static str, bool, Box<Expr>),
    Binary(&'static str, Box<Expr>, Box<Expr>),
    /// `a = b` (op `=`) or a compound assignment (`+=`, ...).
    Assign(&'static str, Box<Expr>, Box<Expr>),
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
    Construct(Type, Vec<Expr>),
    Cast(Type, Box<Expr>),
    Member(Box<Expr>, String),
    Index(Box<Expr>, Box<Expr>),
    /// `{a, b, c}` in an initializer.
    InitList(Vec<Expr>),
    Comma(Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct VarDecl {
    pub ty: Type,
    pub name: String,
    pub init: Option<Expr>,
    pub pos: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub pos: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    Decl(Vec<VarDecl>),
    Expr(Expr),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    For(Option<Box<Stmt>>, Option<Expr>, Option<Expr>, Box<Stmt>),
    While(Expr, Box<Stmt>),
    DoWhile(Box<Stmt>, Expr),
    /// `switch (selector) { case 1: case 2: ... default: ... }`.
    Switch(Expr, Vec<SwitchCase>),
    Block(Vec<Stmt>),
    Return(Option<Expr>),
    Break,
    Continue,
    Discard,
    Empty,
}

/// One group of a `switch`: its labels (`None` for `default`) and the
/// statements after them (empty when it falls through to the next).
#[derive(Debug, Clone, PartialEq)]
pub struct SwitchCase {
    pub labels: Vec<Option<i64>>,
    pub body: Vec<Stmt>,
    pub pos: usize,
}

/// Parameter passing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamMode {
    In,
    Out,
    InOut,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub ty: Type,
    pub name: String,
    pub mode: ParamMode,
    /// A default value (`float y = 2`), which calls may leave out.
    pub default: Option<Expr>,
    pub pos: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    pub ret: Type,
    pub name: String,
    pub params: Vec<Param>,
    pub body: Vec<Stmt>,
    pub pos: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    pub name: String,
    pub fields: Vec<(Type, String)>,
    pub pos: usize,
}

/// Top-level items, in source order.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Function(Function),
    Global(VarDecl),
    Sampler(String, SamplerDim, usize),
    /// `shader_body { ... }`.
    Body(Vec<Stmt>, usize),
}

/// A whole shader.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shader {
    pub structs: Vec<StructDef>,
    pub items: Vec<Item>,
}
