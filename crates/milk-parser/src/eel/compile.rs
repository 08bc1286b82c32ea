//! Compiles a syntax tree into a tree of closures (the scalar VM).
//!
//! Variables are resolved to slots of their [`Context`] at compile time, so
//! running code never looks a name up. Loops charge their body's size against
//! the run's instruction budget on every iteration.

use super::ast::{AssignOp, BinaryOp, Expr, ExprKind, LogicOp, Span, UnaryOp};
use super::builtins::{
    self, Builtin, DivisionByZero, Func1, Func2, LOOP_CAP, RandScale, Rng, truthy,
};
use super::state::{Context, Memory, MemoryPool, REGISTERS, mem_index, register_index};

/// Error found while compiling: unknown function, wrong argument count, ...
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    pub span: Span,
    pub message: String,
}

/// Options that change what code means.
#[derive(Debug, Clone, Copy, Default)]
pub struct CompileOptions {
    /// `rand(n)` returns integers (presets older than MilkDrop 2, version < 200).
    pub integer_rand: bool,
    /// What `/` gives for a divisor of 0.
    pub division_by_zero: DivisionByZero,
    /// What `rand(n)` scales its uniform number by.
    pub rand_scale: RandScale,
}

impl CompileOptions {
    /// The function a binary operator in an expression computes (`/` per
    /// [`CompileOptions::division_by_zero`]; compound assignments such as
    /// `/=` always take [`Func2::Op`]).
    pub(crate) fn binary(&self, op: BinaryOp) -> Func2 {
        match (op, self.division_by_zero) {
            (BinaryOp::Div, DivisionByZero::Zero) => Func2::DivOrZero,
            _ => Func2::Op(op),
        }
    }
}

/// What running code can touch.
pub(crate) struct Env<'a> {
    pub vars: &'a mut [f64],
    pub regs: &'a mut [f64; REGISTERS],
    pub mem: &'a mut Memory,
    pub gmem: &'a mut Memory,
    pub pool: &'a MemoryPool,
    pub rng: &'a mut Rng,
    /// Instructions left in this run.
    pub budget: u64,
    pub exceeded: bool,
}

impl Env<'_> {
    /// Takes `cost` from the budget; false (and stays false) once it is spent.
    #[inline]
    fn charge(&mut self, cost: u64) -> bool {
        if self.exceeded || self.budget < cost {
            self.exceeded = true;
            return false;
        }
        self.budget -= cost;
        true
    }
}

pub(crate) type Eval = Box<dyn Fn(&mut Env<'_>) -> f64 + Send + Sync>;

/// An operand after compilation: known leaves get specialised closures.
enum Operand {
    Const(f64),
    Var(usize),
    Code(Eval),
}

/// Where an assignment stores.
enum Place {
    Var(usize),
    Reg(usize),
    Mem { global: bool, addr: Eval },
}

pub(crate) struct Compiler<'c> {
    pub ctx: &'c mut Context,
    pub opts: CompileOptions,
}

fn err<T>(span: Span, message: impl Into<String>) -> Result<T, CompileError> {
    Err(CompileError {
        span,
        message: message.into(),
    })
}

macro_rules! specialise {
    ($f:expr, $a:expr, $b:expr) => {{
        let f = $f;
        let e: Eval = match ($a, $b) {
            (Operand::Const(x), Operand::Const(y)) => {
                let v = f(x, y);
                Box::new(move |_| v)
            }
            (Operand::Var(i), Operand::Const(c)) => Box::new(move |e| f(e.vars[i], c)),
            (Operand::Const(c), Operand::Var(i)) => Box::new(move |e| f(c, e.vars[i])),
            (Operand::Var(i), Operand::Var(j)) => Box::new(move |e| f(e.vars[i], e.vars[j])),
            (Operand::Code(a), Operand::Const(c)) => Box::new(move |e| f(a(e), c)),
            (Operand::Const(c), Operand::Code(b)) => Box::new(move |e| f(c, b(e))),
            (Operand::Code(a), Operand::Var(i)) => Box::new(move |e| {
                let x = a(e);
                f(x, e.vars[i])
            }),
            (Operand::Var(i), Operand::Code(b)) => Box::new(move |e| {
                // Left before right, as written.
                let x = e.vars[i];
                f(x, b(e))
            }),
            (Operand::Code(a), Operand::Code(b)) => Box::new(move |e| {
                let x = a(e);
                f(x, b(e))
            }),
        };
        e
    }};
}

/// Closure for a pure binary function, specialised per operator.
fn binary_eval(f: Func2, a: Operand, b: Operand) -> Eval {
    use BinaryOp::*;
    match f {
        Func2::Op(Add) => specialise!(|x: f64, y: f64| x + y, a, b),
        Func2::Op(Sub) => specialise!(|x: f64, y: f64| x - y, a, b),
        Func2::Op(Mul) => specialise!(|x: f64, y: f64| x * y, a, b),
        Func2::Op(Div) => specialise!(builtins::div, a, b),
        Func2::DivOrZero => specialise!(builtins::div_or_zero, a, b),
        Func2::Op(op) => specialise!(move |x, y| builtins::binary(op, x, y), a, b),
        f => specialise!(move |x, y| builtins::binary_fn(f, x, y), a, b),
    }
}

fn unary_eval(f: Func1, a: Operand) -> Eval {
    match a {
        Operand::Const(c) => {
            let v = builtins::unary(f, c);
            Box::new(move |_| v)
        }
        Operand::Var(i) => Box::new(move |e| builtins::unary(f, e.vars[i])),
        Operand::Code(a) => Box::new(move |e| builtins::unary(f, a(e))),
    }
}

impl Operand {
    fn into_eval(self) -> Eval {
        match self {
            Operand::Const(c) => Box::new(move |_| c),
            Operand::Var(i) => Box::new(move |e| e.vars[i]),
            Operand::Code(f) => f,
        }
    }
}

impl Compiler<'_> {
    pub fn compile(&mut self, e: &Expr) -> Result<Eval, CompileError> {
        Ok(self.operand(e)?.into_eval())
    }

    fn operand(&mut self, e: &Expr) -> Result<Operand, CompileError> {
        Ok(match &e.kind {
            ExprKind::Number(v) => Operand::Const(*v),
            ExprKind::Var(name) => match register_index(name) {
                Some(r) => Operand::Code(Box::new(move |e| e.regs[r])),
                None => Operand::Var(self.ctx.var(name).0 as usize),
            },
            ExprKind::Unary(op, a) => {
                let f = match op {
                    UnaryOp::Neg => Func1::Neg,
                    UnaryOp::Not => Func1::Not,
                };
                Operand::Code(unary_eval(f, self.operand(a)?))
            }
            ExprKind::Binary(op, a, b) => {
                let (a, b) = (self.operand(a)?, self.operand(b)?);
                Operand::Code(binary_eval(self.opts.binary(*op), a, b))
            }
            ExprKind::Logic(op, a, b) => {
                let (a, b) = (self.compile(a)?, self.compile(b)?);
                Operand::Code(match op {
                    LogicOp::And => {
                        Box::new(move |e| builtins::bool_f(truthy(a(e)) && truthy(b(e))))
                    }
                    LogicOp::Or => {
                        Box::new(move |e| builtins::bool_f(truthy(a(e)) || truthy(b(e))))
                    }
                })
            }
            ExprKind::Ternary(c, a, b) => {
                let c = self.compile(c)?;
                let a = self.compile(a)?;
                let b = match b {
                    Some(b) => self.compile(b)?,
                    None => Box::new(|_: &mut Env<'_>| 0.0),
                };
                Operand::Code(Box::new(move |e| if truthy(c(e)) { a(e) } else { b(e) }))
            }
            ExprKind::Assign(op, target, value) => Operand::Code(self.assign(*op, target, value)?),
            ExprKind::Index(base, index) => {
                let place = self.index_place(base, index)?;
                Operand::Code(read_place(place))
            }
            ExprKind::Seq(items) => Operand::Code(self.sequence(items)?),
            ExprKind::Call {
                name,
                name_span,
                args,
            } => self.call(name, *name_span, args, e.span)?,
        })
    }

    fn sequence(&mut self, items: &[Expr]) -> Result<Eval, CompileError> {
        let mut codes = items
            .iter()
            .map(|i| self.compile(i))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(match codes.len() {
            0 => Box::new(|_| 0.0),
            1 => codes.pop().expect("one"),
            2 => {
                let b = codes.pop().expect("two");
                let a = codes.pop().expect("two");
                Box::new(move |e| {
                    a(e);
                    b(e)
                })
            }
            _ => {
                let last = codes.pop().expect("many");
                Box::new(move |e| {
                    for c in &codes {
                        c(e);
                    }
                    last(e)
                })
            }
        })
    }

    fn index_place(&mut self, base: &Expr, index: &Expr) -> Result<Place, CompileError> {
        if matches!(&base.kind, ExprKind::Var(n) if n == "gmem") {
            return Ok(Place::Mem {
                global: true,
                addr: self.compile(index)?,
            });
        }
        let (b, i) = (self.operand(base)?, self.operand(index)?);
        Ok(Place::Mem {
            global: false,
            addr: binary_eval(Func2::Op(BinaryOp::Add), b, i),
        })
    }

    fn place(&mut self, target: &Expr) -> Result<Place, CompileError> {
        match &target.kind {
            ExprKind::Var(name) => Ok(match register_index(name) {
                Some(r) => Place::Reg(r),
                None => Place::Var(self.ctx.var(name).0 as usize),
            }),
            ExprKind::Index(base, index) => self.index_place(base, index),
            ExprKind::Call { name, args, .. }
                if args.len() == 1 && (name == "megabuf" || name == "gmegabuf") =>
            {
                Ok(Place::Mem {
                    global: name == "gmegabuf",
                    addr: self.compile(&args[0])?,
                })
            }
            _ => err(target.span, "cannot assign to this expression"),
        }
    }

    fn assign(&mut self, op: AssignOp, target: &Expr, value: &Expr) -> Result<Eval, CompileError> {
        let place = self.place(target)?;
        let value = self.operand(value)?;
        let combine: Option<Func2> = match op {
            AssignOp::Set => None,
            AssignOp::Compound(b) => Some(Func2::Op(b)),
        };
        Ok(match (place, combine) {
            (Place::Var(i), None) => match value {
                Operand::Const(c) => {
                    let c = builtins::flush(c);
                    Box::new(move |e| {
                        e.vars[i] = c;
                        c
                    })
                }
                Operand::Var(j) => Box::new(move |e| {
                    let v = builtins::flush(e.vars[j]);
                    e.vars[i] = v;
                    v
                }),
                Operand::Code(f) => Box::new(move |e| {
                    let v = builtins::flush(f(e));
                    e.vars[i] = v;
                    v
                }),
            },
            (Place::Var(i), Some(f)) => {
                let value = value.into_eval();
                Box::new(move |e| {
                    let rhs = value(e);
                    let v = builtins::binary_fn(f, e.vars[i], rhs);
                    e.vars[i] = v;
                    v
                })
            }
            (Place::Reg(r), combine) => {
                let value = value.into_eval();
                Box::new(move |e| {
                    let rhs = value(e);
                    let v = match combine {
                        None => builtins::flush(rhs),
                        Some(f) => builtins::binary_fn(f, e.regs[r], rhs),
                    };
                    e.regs[r] = v;
                    v
                })
            }
            (Place::Mem { global, addr }, combine) => {
                let value = value.into_eval();
                Box::new(move |e| {
                    let index = mem_index(addr(e));
                    let rhs = value(e);
                    let Some(index) = index else {
                        return rhs;
                    };
                    let mem = if global { &mut *e.gmem } else { &mut *e.mem };
                    let v = match combine {
                        None => builtins::flush(rhs),
                        Some(f) => builtins::binary_fn(f, mem.read(index), rhs),
                    };
                    mem.write(index, v, e.pool);
                    v
                })
            }
        })
    }

    fn call(
        &mut self,
        name: &str,
        name_span: Span,
        args: &[Expr],
        span: Span,
    ) -> Result<Operand, CompileError> {
        let Some((builtin, arity)) = Builtin::lookup(name) else {
            return err(name_span, format!("unknown function '{name}'"));
        };
        if args.len() != arity {
            return err(
                span,
                format!(
                    "'{name}' takes {arity} argument{}, got {}",
                    if arity == 1 { "" } else { "s" },
                    args.len()
                ),
            );
        }
        Ok(match builtin {
            Builtin::Pure1(f) => Operand::Code(unary_eval(f, self.operand(&args[0])?)),
            Builtin::Pure2(f) => {
                let (a, b) = (self.operand(&args[0])?, self.operand(&args[1])?);
                Operand::Code(binary_eval(f, a, b))
            }
            Builtin::If => {
                let c = self.compile(&args[0])?;
                let a = self.compile(&args[1])?;
                let b = self.compile(&args[2])?;
                Operand::Code(Box::new(move |e| if truthy(c(e)) { a(e) } else { b(e) }))
            }
            Builtin::Exec2 | Builtin::Exec3 => Operand::Code(self.sequence(args)?),
            Builtin::Assign => Operand::Code(self.assign(AssignOp::Set, &args[0], &args[1])?),
            Builtin::Loop => {
                let count = self.compile(&args[0])?;
                let cost = args[1].size() as u64;
                let body = self.compile(&args[1])?;
                Operand::Code(Box::new(move |e| {
                    let count = count(e);
                    let n = if count >= 1.0 {
                        (count as u64).min(LOOP_CAP)
                    } else {
                        0
                    };
                    // With no iteration MilkDrop leaves the count as the value.
                    let mut last = count;
                    for _ in 0..n {
                        if !e.charge(cost) {
                            break;
                        }
                        last = body(e);
                    }
                    last
                }))
            }
            Builtin::While => {
                let cost = args[0].size() as u64;
                let body = self.compile(&args[0])?;
                Operand::Code(Box::new(move |e| {
                    let mut last = 0.0;
                    for _ in 0..LOOP_CAP {
                        if !e.charge(cost) {
                            break;
                        }
                        last = body(e);
                        if !truthy(last) {
                            break;
                        }
                    }
                    last
                }))
            }
            Builtin::Rand => {
                let n = self.compile(&args[0])?;
                let integer = self.opts.integer_rand;
                Operand::Code(match self.opts.rand_scale {
                    RandScale::FlooredAtLeastOne => Box::new(move |e| {
                        let n = n(e);
                        e.rng.rand(n, integer)
                    }),
                    RandScale::AsGiven => Box::new(move |e| {
                        let n = n(e);
                        e.rng.rand_scaled(n, integer)
                    }),
                })
            }
            Builtin::Megabuf | Builtin::Gmegabuf => Operand::Code(read_place(Place::Mem {
                global: builtin == Builtin::Gmegabuf,
                addr: self.compile(&args[0])?,
            })),
            Builtin::Freembuf => {
                let top = self.compile(&args[0])?;
                Operand::Code(Box::new(move |e| {
                    let t = top(e);
                    let index = if t <= 0.0 {
                        0
                    } else {
                        mem_index(t).unwrap_or(usize::MAX)
                    };
                    e.mem.free_above(index);
                    t
                }))
            }
            Builtin::Memcpy => {
                let [d, s, n] = [0, 1, 2].map(|k| self.compile(&args[k]));
                let (d, s, n) = (d?, s?, n?);
                Operand::Code(Box::new(move |e| {
                    let (dst, src, len) = (d(e), s(e), n(e));
                    memory_copy(e, dst, src, len);
                    dst
                }))
            }
            Builtin::Memset => {
                let [d, v, n] = [0, 1, 2].map(|k| self.compile(&args[k]));
                let (d, v, n) = (d?, v?, n?);
                Operand::Code(Box::new(move |e| {
                    let (dst, value, len) = (d(e), v(e), n(e));
                    memory_set(e, dst, value, len);
                    dst
                }))
            }
        })
    }
}

fn read_place(place: Place) -> Eval {
    match place {
        Place::Var(i) => Box::new(move |e| e.vars[i]),
        Place::Reg(r) => Box::new(move |e| e.regs[r]),
        Place::Mem { global, addr } => Box::new(move |e| {
            let Some(index) = mem_index(addr(e)) else {
                return 0.0;
            };
            if global {
                e.gmem.read(index)
            } else {
                e.mem.read(index)
            }
        }),
    }
}

/// Number of cells a `memcpy`/`memset` touches, clipped to the memory and
/// charged to the budget (0 when the budget cannot pay for it).
fn clip_len(e: &mut Env<'_>, start: usize, len: f64) -> usize {
    let len = if len >= 1.0 { len as usize } else { 0 };
    let len = len.min(super::state::MEM_SIZE - start);
    if e.charge(len as u64 / 4 + 1) { len } else { 0 }
}

fn memory_copy(e: &mut Env<'_>, dst: f64, src: f64, len: f64) {
    let (Some(d), Some(s)) = (mem_index(dst), mem_index(src)) else {
        return;
    };
    let len = clip_len(e, d.max(s), len);
    if len == 0 || d == s {
        return;
    }
    // Copy in the direction that keeps overlapping ranges intact (memmove).
    let copy = |k: usize, e: &mut Env<'_>| {
        let v = e.mem.read(s + k);
        if v != 0.0 || e.mem.read(d + k) != 0.0 {
            e.mem.write(d + k, v, e.pool);
        }
    };
    if d < s {
        (0..len).for_each(|k| copy(k, e));
    } else {
        (0..len).rev().for_each(|k| copy(k, e));
    }
}

fn memory_set(e: &mut Env<'_>, dst: f64, value: f64, len: f64) {
    let Some(d) = mem_index(dst) else {
        return;
    };
    let len = clip_len(e, d, len);
    for k in d..d + len {
        if value != 0.0 || e.mem.read(k) != 0.0 {
            e.mem.write(k, value, e.pool);
        }
    }
}
