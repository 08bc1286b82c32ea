//! The batched VM: per-vertex code over many vertices at once.
//!
//! Code is lowered to straight-line register code where every register holds
//! one value per lane (structure of arrays), so each instruction runs over
//! [`LANES`] vertices in a tight loop. Conditionals become predication: both
//! branches run, stores inside a branch are masked, and the result is
//! selected per lane. Only code without side effects can be batched: no
//! memory, no `rand`, no loops, no writes to registers, and no variable that
//! carries a value from one vertex to the next (read before it is written).
//! Everything else runs on the scalar VM, vertex by vertex, with identical
//! results.

use std::collections::HashSet;

use rustc_hash::{FxHashMap, FxHashSet};

use super::ast::{AssignOp, BinaryOp, Expr, ExprKind, LogicOp, UnaryOp};
use super::builtins::{self, Builtin, Func1, Func2, truthy};
use super::compile::CompileOptions;
use super::state::{Context, Globals, VarId, register_index, var_key};

/// Vertices per instruction.
pub const LANES: usize = 64;

type Lanes = [f64; LANES];
type Reg = u32;

#[derive(Debug, Clone, Copy)]
enum Op {
    Un {
        f: Func1,
        dst: Reg,
        a: Reg,
    },
    Bin {
        f: Func2,
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    /// dst = truthy(a) as 1/0.
    Truthy {
        dst: Reg,
        a: Reg,
    },
    /// dst = !truthy(a) as 1/0.
    Falsy {
        dst: Reg,
        a: Reg,
    },
    /// dst = mask && truthy(a) (mask holds 1/0).
    MaskAnd {
        dst: Reg,
        mask: Reg,
        a: Reg,
    },
    /// dst = mask && !truthy(a).
    MaskAndNot {
        dst: Reg,
        mask: Reg,
        a: Reg,
    },
    /// dst = mask || truthy(a).
    MaskOr {
        dst: Reg,
        mask: Reg,
        a: Reg,
    },
    /// dst = cond ? a : b, cond holding 1/0.
    Select {
        dst: Reg,
        cond: Reg,
        a: Reg,
        b: Reg,
    },
    Copy {
        dst: Reg,
        src: Reg,
    },
    /// dst = mask ? src : dst.
    MaskedCopy {
        dst: Reg,
        src: Reg,
        mask: Reg,
    },
    /// Skips the next `count` instructions when `mask`, a uniform register,
    /// is 0: a branch that no vertex takes this frame.
    SkipUnless {
        mask: Reg,
        count: u32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Source {
    Var(usize),
    Register(usize),
}

/// Batched form of a per-vertex program.
///
/// Work that is the same for every vertex (constants, variables the code
/// only reads such as q1 or time, and everything computed from those alone,
/// like `sin(time/3)`) is done once per run in a prologue; the body runs once
/// per chunk of [`LANES`] vertices.
#[derive(Debug, Clone)]
pub(crate) struct BatchCode {
    regs: usize,
    consts: Vec<(Reg, f64)>,
    /// Sources loaded once per run (read-only variables, registers).
    uniform_loads: Vec<(Reg, Source)>,
    /// Variables loaded for every chunk (the host's per-vertex inputs and
    /// variables the code writes).
    lane_loads: Vec<(Reg, usize)>,
    var_regs: FxHashMap<usize, Reg>,
    prologue: Vec<Op>,
    ops: Vec<Op>,
    /// Variable slots that the host resets or varies per vertex, sorted.
    inputs: Vec<usize>,
}

/// Per-vertex work: `count` vertices; `varying` variables take one value per
/// vertex, `reset` variables are set to a value before every vertex, and
/// `outputs` receive each vertex's final value of a variable.
pub struct VertexJob<'a> {
    pub count: usize,
    pub varying: &'a [(VarId, &'a [f64])],
    pub reset: &'a [(VarId, f64)],
    pub outputs: &'a mut [(VarId, &'a mut [f64])],
}

/// Why code cannot be batched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScalarReason {
    /// Writes a register or memory.
    SharedState,
    /// Calls a function with side effects or loops (`rand`, `loop`, ...).
    Function(String),
    /// Reads a variable before writing it, so its value carries over from
    /// the previous vertex.
    Carried(String),
    /// Writes a variable only on some paths, so its final value depends on
    /// which vertex wrote it last.
    ConditionalWrite(String),
}

impl std::fmt::Display for ScalarReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScalarReason::SharedState => f.write_str("writes registers or memory"),
            ScalarReason::Function(n) => write!(f, "calls {n}()"),
            ScalarReason::Carried(n) => write!(f, "'{n}' carries over between vertices"),
            ScalarReason::ConditionalWrite(n) => write!(f, "'{n}' is written on some paths only"),
        }
    }
}

/// Whether the program can be batched, given the variables the host sets
/// before every vertex.
pub(crate) fn batchable(root: &Expr, inputs: &HashSet<String>) -> Result<(), ScalarReason> {
    let mut written = HashSet::new();
    let mut problem = None;
    root.walk(&mut |e| match &e.kind {
        ExprKind::Assign(_, target, _) => match &target.kind {
            ExprKind::Var(name) if register_index(name).is_none() => {
                written.insert(var_key(name));
            }
            _ => problem = Some(ScalarReason::SharedState),
        },
        ExprKind::Index(..) => problem = Some(ScalarReason::SharedState),
        ExprKind::Call { name, args, .. } => match Builtin::lookup(name) {
            Some((Builtin::Pure1(_) | Builtin::Pure2(_) | Builtin::If, _))
            | Some((Builtin::Exec2 | Builtin::Exec3, _)) => {}
            Some((Builtin::Assign, _)) => match args.first().map(|a| &a.kind) {
                Some(ExprKind::Var(name)) if register_index(name).is_none() => {
                    written.insert(var_key(name));
                }
                _ => problem = Some(ScalarReason::SharedState),
            },
            _ => problem = Some(ScalarReason::Function(name.clone())),
        },
        _ => {}
    });
    if let Some(p) = problem {
        return Err(p);
    }
    // Only variables that are written and not reset per vertex can carry a
    // value from one vertex to the next: track just those, as a bit set.
    let tracked: Vec<String> = written
        .into_iter()
        .filter(|w| !inputs.contains(w))
        .collect();
    let mut flow = Flow {
        tracked: &tracked,
        assigned: Bits::new(tracked.len()),
        carried: None,
    };
    flow.visit(root);
    if let Some(name) = flow.carried {
        return Err(ScalarReason::Carried(name));
    }
    match (0..tracked.len()).find(|&i| !flow.assigned.get(i)) {
        Some(i) => Err(ScalarReason::ConditionalWrite(tracked[i].clone())),
        None => Ok(()),
    }
}

/// A small bit set.
#[derive(Clone)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Self {
        Bits(vec![0; n.div_ceil(64)])
    }

    fn get(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }

    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    fn intersect(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= b;
        }
    }
}

/// Definite-assignment analysis in evaluation order.
struct Flow<'a> {
    /// Written variables that the host does not reset per vertex.
    tracked: &'a [String],
    /// Which of them are assigned on every path so far.
    assigned: Bits,
    carried: Option<String>,
}

impl Flow<'_> {
    fn index(&self, name: &str) -> Option<usize> {
        // Names that agree in their first 16 characters are one variable.
        let key = var_key(name);
        self.tracked.iter().position(|t| *t == key)
    }

    fn read(&mut self, name: &str) {
        if self.carried.is_some() {
            return;
        }
        if let Some(i) = self.index(name)
            && !self.assigned.get(i)
        {
            self.carried = Some(name.to_owned());
        }
    }

    fn assign(&mut self, op: AssignOp, target: &Expr, value: &Expr) {
        self.visit(value);
        if let ExprKind::Var(name) = &target.kind {
            if op != AssignOp::Set {
                self.read(name);
            }
            if let Some(i) = self.index(name) {
                self.assigned.set(i);
            }
        }
    }

    /// Visits code that may not run: its assignments are not definite.
    fn maybe(&mut self, e: &Expr) {
        let before = self.assigned.clone();
        self.visit(e);
        self.assigned = before;
    }

    fn branches(&mut self, c: &Expr, a: &Expr, b: Option<&Expr>) {
        self.visit(c);
        let before = self.assigned.clone();
        self.visit(a);
        let after_a = std::mem::replace(&mut self.assigned, before);
        if let Some(b) = b {
            self.visit(b);
        }
        self.assigned.intersect(&after_a);
    }

    fn visit(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Number(_) => {}
            ExprKind::Var(name) => self.read(name),
            ExprKind::Unary(_, a) => self.visit(a),
            ExprKind::Binary(_, a, b) => {
                self.visit(a);
                self.visit(b);
            }
            ExprKind::Logic(_, a, b) => {
                self.visit(a);
                self.maybe(b);
            }
            ExprKind::Ternary(c, a, b) => self.branches(c, a, b.as_deref()),
            ExprKind::Assign(op, t, v) => self.assign(*op, t, v),
            ExprKind::Index(a, b) => {
                self.visit(a);
                self.visit(b);
            }
            ExprKind::Seq(items) => items.iter().for_each(|i| self.visit(i)),
            ExprKind::Call { name, args, .. } => match (name.as_str(), args.as_slice()) {
                ("if", [c, a, b]) => self.branches(c, a, Some(b)),
                ("assign", [t, v]) => self.assign(AssignOp::Set, t, v),
                _ => args.iter().for_each(|a| self.visit(a)),
            },
        }
    }
}

/// True when evaluating `e` may change a variable.
fn writes_vars(e: &Expr) -> bool {
    let mut w = false;
    e.walk(&mut |n| {
        if matches!(n.kind, ExprKind::Assign(..))
            || matches!(&n.kind, ExprKind::Call { name, .. } if name == "assign")
        {
            w = true;
        }
    });
    w
}

struct Lower<'c> {
    ctx: &'c mut Context,
    opts: CompileOptions,
    code: BatchCode,
    const_regs: FxHashMap<u64, Reg>,
    source_regs: FxHashMap<Source, Reg>,
    var_reg_set: FxHashSet<Reg>,
    /// Slots the code writes or the host sets per vertex: not uniform.
    varying_slots: FxHashSet<usize>,
    /// Registers holding the same value in every lane.
    uniform: Vec<bool>,
}

impl Lower<'_> {
    fn temp(&mut self) -> Reg {
        self.code.regs += 1;
        self.uniform.push(false);
        (self.code.regs - 1) as Reg
    }

    fn constant(&mut self, v: f64) -> Reg {
        if let Some(&r) = self.const_regs.get(&v.to_bits()) {
            return r;
        }
        let r = self.temp();
        self.uniform[r as usize] = true;
        self.code.consts.push((r, v));
        self.const_regs.insert(v.to_bits(), r);
        r
    }

    fn source(&mut self, s: Source) -> Reg {
        if let Some(&r) = self.source_regs.get(&s) {
            return r;
        }
        let r = self.temp();
        self.source_regs.insert(s, r);
        match s {
            Source::Var(slot) => {
                self.code.var_regs.insert(slot, r);
                self.var_reg_set.insert(r);
                if self.varying_slots.contains(&slot) {
                    self.code.lane_loads.push((r, slot));
                } else {
                    self.uniform[r as usize] = true;
                    self.code.uniform_loads.push((r, s));
                }
            }
            Source::Register(_) => {
                self.uniform[r as usize] = true;
                self.code.uniform_loads.push((r, s));
            }
        }
        r
    }

    fn var(&mut self, name: &str) -> Reg {
        match register_index(name) {
            Some(r) => self.source(Source::Register(r)),
            None => {
                let slot = self.ctx.var(name).0 as usize;
                self.source(Source::Var(slot))
            }
        }
    }

    /// Adds an instruction: to the prologue when it computes a fresh
    /// register from uniform registers only, else to the per-chunk body.
    fn emit(&mut self, op: Op) {
        let u = |r: Reg| self.uniform[r as usize];
        let (dst, uniform) = match op {
            Op::Un { dst, a, .. } | Op::Truthy { dst, a } | Op::Falsy { dst, a } => (dst, u(a)),
            Op::Bin { dst, a, b, .. } => (dst, u(a) && u(b)),
            Op::MaskAnd { dst, mask, a }
            | Op::MaskAndNot { dst, mask, a }
            | Op::MaskOr { dst, mask, a } => (dst, u(mask) && u(a)),
            Op::Select { dst, cond, a, b } => (dst, u(cond) && u(a) && u(b)),
            Op::Copy { dst, src } => (dst, u(src)),
            Op::MaskedCopy { dst, .. } => (dst, false),
            Op::SkipUnless { .. } => {
                self.code.ops.push(op);
                return;
            }
        };
        // Stores into variables always run per chunk.
        if uniform && !self.var_reg_set.contains(&dst) {
            self.uniform[dst as usize] = true;
            self.code.prologue.push(op);
        } else {
            self.code.ops.push(op);
        }
    }

    fn store(&mut self, target: Reg, value: Reg, mask: Option<Reg>) {
        match mask {
            None => self.emit(Op::Copy {
                dst: target,
                src: value,
            }),
            Some(mask) => self.emit(Op::MaskedCopy {
                dst: target,
                src: value,
                mask,
            }),
        }
    }

    /// Keeps a variable's current value if later code may overwrite it.
    fn stable(&mut self, r: Reg, later: &Expr) -> Reg {
        if self.var_reg_set.contains(&r) && writes_vars(later) {
            let t = self.temp();
            self.emit(Op::Copy { dst: t, src: r });
            t
        } else {
            r
        }
    }

    fn bin(&mut self, f: Func2, a: &Expr, b: &Expr, mask: Option<Reg>) -> Reg {
        let ra = self.lower(a, mask);
        let ra = self.stable(ra, b);
        let rb = self.lower(b, mask);
        let dst = self.temp();
        self.emit(Op::Bin {
            f,
            dst,
            a: ra,
            b: rb,
        });
        dst
    }

    fn branch_masks(&mut self, cond: Reg, mask: Option<Reg>) -> (Reg, Reg, Reg) {
        let t = self.temp();
        self.emit(Op::Truthy { dst: t, a: cond });
        let (on, off) = (self.temp(), self.temp());
        match mask {
            None => {
                self.emit(Op::Copy { dst: on, src: t });
                self.emit(Op::Falsy { dst: off, a: t });
            }
            Some(m) => {
                self.emit(Op::MaskAnd {
                    dst: on,
                    mask: m,
                    a: t,
                });
                self.emit(Op::MaskAndNot {
                    dst: off,
                    mask: m,
                    a: t,
                });
            }
        }
        (t, on, off)
    }

    /// Lowers code that runs under `mask`; when the mask is the same for
    /// every vertex, the code is skipped at run time while it is 0.
    fn guarded(&mut self, e: &Expr, mask: Reg) -> Reg {
        if !self.uniform[mask as usize] {
            return self.lower(e, Some(mask));
        }
        let at = self.code.ops.len();
        self.emit(Op::SkipUnless { mask, count: 0 });
        let r = self.lower(e, Some(mask));
        let count = (self.code.ops.len() - at - 1) as u32;
        self.code.ops[at] = Op::SkipUnless { mask, count };
        r
    }

    fn select(&mut self, c: &Expr, a: &Expr, b: Option<&Expr>, mask: Option<Reg>) -> Reg {
        let rc = self.lower(c, mask);
        let (t, on, off) = self.branch_masks(rc, mask);
        let ra = self.guarded(a, on);
        let rb = match b {
            Some(b) => self.guarded(b, off),
            None => self.constant(0.0),
        };
        let dst = self.temp();
        self.emit(Op::Select {
            dst,
            cond: t,
            a: ra,
            b: rb,
        });
        dst
    }

    fn assign(&mut self, op: AssignOp, target: &Expr, value: &Expr, mask: Option<Reg>) -> Reg {
        let ExprKind::Var(name) = &target.kind else {
            unreachable!("batchable() admits only variable targets");
        };
        let rv = self.lower(value, mask);
        let rx = self.var(name);
        let result = match op {
            AssignOp::Set => {
                let t = self.temp();
                self.emit(Op::Un {
                    f: Func1::Flush,
                    dst: t,
                    a: rv,
                });
                t
            }
            AssignOp::Compound(b) => {
                let t = self.temp();
                self.emit(Op::Bin {
                    f: Func2::Op(b),
                    dst: t,
                    a: rx,
                    b: rv,
                });
                t
            }
        };
        self.store(rx, result, mask);
        result
    }

    fn lower(&mut self, e: &Expr, mask: Option<Reg>) -> Reg {
        match &e.kind {
            ExprKind::Number(v) => self.constant(*v),
            ExprKind::Var(name) => self.var(name),
            ExprKind::Unary(op, a) => {
                let ra = self.lower(a, mask);
                let dst = self.temp();
                let f = match op {
                    UnaryOp::Neg => Func1::Neg,
                    UnaryOp::Not => Func1::Not,
                };
                self.emit(Op::Un { f, dst, a: ra });
                dst
            }
            ExprKind::Binary(op, a, b) => self.bin(self.opts.binary(*op), a, b, mask),
            ExprKind::Logic(op, a, b) => {
                let ra = self.lower(a, mask);
                let (t, on, off) = self.branch_masks(ra, mask);
                let dst = self.temp();
                match op {
                    LogicOp::And => {
                        let rb = self.guarded(b, on);
                        self.emit(Op::MaskAnd {
                            dst,
                            mask: t,
                            a: rb,
                        });
                    }
                    LogicOp::Or => {
                        let rb = self.guarded(b, off);
                        self.emit(Op::MaskOr {
                            dst,
                            mask: t,
                            a: rb,
                        });
                    }
                }
                dst
            }
            ExprKind::Ternary(c, a, b) => self.select(c, a, b.as_deref(), mask),
            ExprKind::Assign(op, t, v) => self.assign(*op, t, v, mask),
            ExprKind::Seq(items) => self.seq(items, mask),
            ExprKind::Call { name, args, .. } => match Builtin::lookup(name) {
                Some((Builtin::Pure1(f), _)) => {
                    let ra = self.lower(&args[0], mask);
                    let dst = self.temp();
                    self.emit(Op::Un { f, dst, a: ra });
                    dst
                }
                Some((Builtin::Pure2(f), _)) => self.bin(f, &args[0], &args[1], mask),
                Some((Builtin::If, _)) => self.select(&args[0], &args[1], Some(&args[2]), mask),
                Some((Builtin::Assign, _)) => self.assign(AssignOp::Set, &args[0], &args[1], mask),
                _ => self.seq(args, mask),
            },
            ExprKind::Index(..) => unreachable!("batchable() rejects memory access"),
        }
    }

    fn seq(&mut self, items: &[Expr], mask: Option<Reg>) -> Reg {
        let mut last = None;
        for item in items {
            last = Some(self.lower(item, mask));
        }
        last.unwrap_or_else(|| self.constant(0.0))
    }
}

impl BatchCode {
    /// Lowers `root`, which must have passed [`batchable`].
    pub(crate) fn lower(
        root: &Expr,
        ctx: &mut Context,
        opts: CompileOptions,
        inputs: &[VarId],
    ) -> BatchCode {
        let mut inputs_sorted: Vec<usize> = inputs.iter().map(|v| v.0 as usize).collect();
        inputs_sorted.sort_unstable();
        inputs_sorted.dedup();
        let mut varying_slots: FxHashSet<usize> = inputs_sorted.iter().copied().collect();
        root.walk(&mut |e| {
            let target = match &e.kind {
                ExprKind::Assign(_, t, _) => Some(&**t),
                ExprKind::Call { name, args, .. } if name == "assign" => args.first(),
                _ => None,
            };
            if let Some(ExprKind::Var(name)) = target.map(|t| &t.kind) {
                varying_slots.insert(ctx.var(name).0 as usize);
            }
        });
        let mut l = Lower {
            ctx,
            opts,
            code: BatchCode {
                regs: 0,
                consts: Vec::new(),
                uniform_loads: Vec::new(),
                lane_loads: Vec::new(),
                var_regs: FxHashMap::default(),
                prologue: Vec::new(),
                ops: Vec::new(),
                inputs: inputs_sorted,
            },
            const_regs: FxHashMap::default(),
            source_regs: FxHashMap::default(),
            var_reg_set: FxHashSet::default(),
            varying_slots,
            uniform: Vec::new(),
        };
        for v in inputs {
            l.source(Source::Var(v.0 as usize));
        }
        l.lower(root, None);
        l.code
    }

    /// True when the job sets exactly the variables this code was built for.
    pub(crate) fn fits(&self, job: &VertexJob<'_>) -> bool {
        let mut given: Vec<usize> = job
            .varying
            .iter()
            .map(|v| v.0.0 as usize)
            .chain(job.reset.iter().map(|v| v.0.0 as usize))
            .collect();
        given.sort_unstable();
        given.dedup();
        given == self.inputs
    }

    pub(crate) fn instructions(&self) -> usize {
        self.prologue.len() + self.ops.len()
    }

    pub(crate) fn run(&self, ctx: &mut Context, globals: &Globals, job: &mut VertexJob<'_>) {
        enum Load<'j> {
            Slice(&'j [f64]),
            Splat(f64),
        }
        let mut regs: Vec<Lanes> = vec![[0.0; LANES]; self.regs];
        for &(r, v) in &self.consts {
            regs[r as usize] = [v; LANES];
        }
        for &(r, s) in &self.uniform_loads {
            let v = match s {
                Source::Register(i) => globals.regs[i],
                Source::Var(slot) => ctx.values.get(slot).copied().unwrap_or(0.0),
            };
            regs[r as usize] = [v; LANES];
        }
        exec(&self.prologue, &mut regs);
        let loads: Vec<(usize, Load<'_>)> = self
            .lane_loads
            .iter()
            .map(|&(r, slot)| {
                let load = if let Some((_, col)) =
                    job.varying.iter().find(|(v, _)| v.0 as usize == slot)
                {
                    Load::Slice(col)
                } else if let Some((_, x)) = job.reset.iter().find(|(v, _)| v.0 as usize == slot) {
                    Load::Splat(*x)
                } else {
                    Load::Splat(ctx.values.get(slot).copied().unwrap_or(0.0))
                };
                (r as usize, load)
            })
            .collect();
        let outputs: Vec<Option<usize>> = job
            .outputs
            .iter()
            .map(|(var, _)| self.var_regs.get(&(var.0 as usize)).map(|&r| r as usize))
            .collect();
        let mut start = 0;
        while start < job.count {
            let n = LANES.min(job.count - start);
            for (r, load) in &loads {
                let reg = &mut regs[*r];
                match load {
                    Load::Slice(col) => {
                        let end = (start + n).min(col.len());
                        let got = end.saturating_sub(start);
                        reg[..got].copy_from_slice(&col[start.min(end)..end]);
                        reg[got..n].fill(0.0);
                    }
                    Load::Splat(v) => reg.fill(*v),
                }
            }
            exec(&self.ops, &mut regs);
            for ((var, out), reg) in job.outputs.iter_mut().zip(&outputs) {
                let end = (start + n).min(out.len());
                if end <= start {
                    continue;
                }
                match reg {
                    Some(r) => out[start..end].copy_from_slice(&regs[*r][..end - start]),
                    None => out[start..end].fill(ctx.get(*var)),
                }
            }
            start += n;
        }
        if job.count > 0 {
            let last = (job.count - 1) % LANES;
            for (&slot, &r) in &self.var_regs {
                if let Some(v) = ctx.values.get_mut(slot) {
                    *v = regs[r as usize][last];
                }
            }
        }
    }
}

/// Runs `ops` over every lane.
fn exec(ops: &[Op], regs: &mut [Lanes]) {
    use BinaryOp::*;
    let mut pc = 0;
    while let Some(op) = ops.get(pc) {
        pc += 1;
        match *op {
            Op::SkipUnless { mask, count } => {
                if regs[mask as usize][0] == 0.0 {
                    pc += count as usize;
                }
            }
            Op::Un { f, dst, a } => match f {
                Func1::Neg => apply1(regs, dst, a, |v| -v),
                Func1::Sin => trig(regs, dst, a, builtins::sin_reduced, builtins::sin),
                Func1::Cos => trig(regs, dst, a, builtins::cos_reduced, builtins::cos),
                Func1::Abs => apply1(regs, dst, a, f64::abs),
                Func1::Sqr => apply1(regs, dst, a, |v| v * v),
                Func1::Sqrt => apply1(regs, dst, a, |v| v.abs().sqrt()),
                Func1::Flush => apply1(regs, dst, a, flush_branchless),
                Func1::Not | Func1::Bnot => apply1(regs, dst, a, |v| builtins::bool_f(!truthy(v))),
                f => apply1(regs, dst, a, |v| builtins::unary(f, v)),
            },
            Op::Bin { f, dst, a, b } => match f {
                Func2::Op(Add) => apply2(regs, dst, a, b, |p, q| p + q),
                Func2::Op(Sub) => apply2(regs, dst, a, b, |p, q| p - q),
                Func2::Op(Mul) => apply2(regs, dst, a, b, |p, q| p * q),
                Func2::Op(Div) => apply2(regs, dst, a, b, builtins::div),
                Func2::DivOrZero => apply2(regs, dst, a, b, builtins::div_or_zero),
                Func2::Op(Mod) => apply2(regs, dst, a, b, builtins::modulo),
                Func2::Op(Pow) => apply2(regs, dst, a, b, builtins::pow),
                Func2::Op(Eq) | Func2::Equal => apply2(regs, dst, a, b, builtins::equal),
                Func2::Op(Lt) | Func2::Below => apply2(regs, dst, a, b, builtins::below),
                Func2::Op(Gt) | Func2::Above => {
                    apply2(regs, dst, a, b, |p, q| builtins::below(q, p))
                }
                Func2::Op(Le) => apply2(regs, dst, a, b, |p, q| builtins::bool_f(p <= q)),
                Func2::Op(Ge) => apply2(regs, dst, a, b, |p, q| builtins::bool_f(p >= q)),
                Func2::Min => apply2(regs, dst, a, b, builtins::min),
                Func2::Max => apply2(regs, dst, a, b, builtins::max),
                Func2::Op(op) => apply2(regs, dst, a, b, |p, q| builtins::binary(op, p, q)),
                f => apply2(regs, dst, a, b, |p, q| builtins::binary_fn(f, p, q)),
            },
            Op::Truthy { dst, a } => apply1(regs, dst, a, |v| builtins::bool_f(truthy(v))),
            Op::Falsy { dst, a } => apply1(regs, dst, a, |v| builtins::bool_f(!truthy(v))),
            Op::MaskAnd { dst, mask, a } => apply2(regs, dst, mask, a, |m, x| {
                builtins::bool_f(m != 0.0 && truthy(x))
            }),
            Op::MaskAndNot { dst, mask, a } => apply2(regs, dst, mask, a, |m, x| {
                builtins::bool_f(m != 0.0 && !truthy(x))
            }),
            Op::MaskOr { dst, mask, a } => apply2(regs, dst, mask, a, |m, x| {
                builtins::bool_f(m != 0.0 || truthy(x))
            }),
            Op::Select { dst, cond, a, b } => {
                let select = |d: &mut Lanes, c: &Lanes, x: &Lanes, y: &Lanes| {
                    for i in 0..LANES {
                        d[i] = if c[i] != 0.0 { x[i] } else { y[i] };
                    }
                };
                let idx = [dst, cond, a, b].map(|r| r as usize);
                match regs.get_disjoint_mut(idx) {
                    Ok([d, c, x, y]) => select(d, c, x, y),
                    Err(_) => {
                        let (c, x, y) = (regs[idx[1]], regs[idx[2]], regs[idx[3]]);
                        select(&mut regs[idx[0]], &c, &x, &y);
                    }
                }
            }
            Op::Copy { dst, src } => regs[dst as usize] = regs[src as usize],
            Op::MaskedCopy { dst, src, mask } => {
                let store = |d: &mut Lanes, s: &Lanes, m: &Lanes| {
                    for i in 0..LANES {
                        d[i] = if m[i] != 0.0 { s[i] } else { d[i] };
                    }
                };
                let idx = [dst, src, mask].map(|r| r as usize);
                match regs.get_disjoint_mut(idx) {
                    Ok([d, s, m]) => store(d, s, m),
                    Err(_) => {
                        let (s, m) = (regs[idx[1]], regs[idx[2]]);
                        store(&mut regs[idx[0]], &s, &m);
                    }
                }
            }
        }
    }
}

/// `dst = f(a)` lane by lane, borrowing without copies when `dst != a`.
#[inline(always)]
fn apply1(regs: &mut [Lanes], dst: Reg, a: Reg, f: impl Fn(f64) -> f64) {
    match regs.get_disjoint_mut([dst as usize, a as usize]) {
        Ok([d, x]) => map1(d, x, f),
        Err(_) => {
            let x = regs[a as usize];
            map1(&mut regs[dst as usize], &x, f);
        }
    }
}

/// `dst = sin/cos(a)`: the branch-free `reduced` kernel over all lanes
/// (it vectorises), or `exact` lane by lane when a lane's argument is past
/// the kernel's range (rare: only presets that mean to scatter points).
#[inline(always)]
fn trig(
    regs: &mut [Lanes],
    dst: Reg,
    a: Reg,
    reduced: impl Fn(f64) -> f64,
    exact: impl Fn(f64) -> f64,
) {
    // No early exit (`|`, not `any`), so the check vectorises. NaN lanes
    // count as past the range (`!(|x| <= max)`): the exact path gives NaN
    // for them and for infinities, as x87's `fsin` does and the scalar VM.
    let past = regs[a as usize]
        .iter()
        .fold(false, |past, &x| past | !builtins::trig_in_range(x));
    if !past {
        apply1(regs, dst, a, reduced);
    } else {
        apply1(regs, dst, a, exact);
    }
}

/// `dst = f(a, b)` lane by lane, borrowing without copies when all differ.
#[inline(always)]
fn apply2(regs: &mut [Lanes], dst: Reg, a: Reg, b: Reg, f: impl Fn(f64, f64) -> f64) {
    match regs.get_disjoint_mut([dst as usize, a as usize, b as usize]) {
        Ok([d, x, y]) => map2(d, x, y, f),
        Err(_) => {
            let (x, y) = (regs[a as usize], regs[b as usize]);
            map2(&mut regs[dst as usize], &x, &y, f);
        }
    }
}

/// [`builtins::flush`] without branches, so the lane loop vectorises.
#[inline(always)]
fn flush_branchless(x: f64) -> f64 {
    let exp = x.to_bits() & 0x7ff0_0000_0000_0000;
    if exp != 0 && exp != 0x7ff0_0000_0000_0000 {
        x
    } else {
        0.0
    }
}

#[inline(always)]
fn map1(d: &mut Lanes, a: &Lanes, f: impl Fn(f64) -> f64) {
    for i in 0..LANES {
        d[i] = f(a[i]);
    }
}

#[inline(always)]
fn map2(d: &mut Lanes, a: &Lanes, b: &Lanes, f: impl Fn(f64, f64) -> f64) {
    for i in 0..LANES {
        d[i] = f(a[i], b[i]);
    }
}
