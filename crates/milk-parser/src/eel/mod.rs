//! The ns-eel2 equation language of MilkDrop presets.
//!
//! Text is parsed by [`parser`] (nom) into an [`ast::Expr`], compiled against
//! a [`Context`] (names resolve to variable slots once, at compile time) into
//! a [`Program`] run by the scalar VM, or into a [`VertexProgram`] that also
//! has a batched form running per-vertex code over many vertices at once.
//!
//! Numeric semantics follow MilkDrop 2 (see [`builtins`]): all values are
//! f64, `x/0 = 0`, comparisons and truth tests use a 1e-5 tolerance, loops
//! stop after 1,048,576 iterations, and every run has an instruction budget so
//! untrusted code always terminates.

pub mod ast;
mod batch;
pub mod builtins;
mod compile;
pub mod parser;
mod state;

use std::collections::HashSet;

pub use batch::{LANES, ScalarReason, VertexJob};
pub use builtins::{DivisionByZero, RandScale};
pub use compile::CompileOptions;
pub use state::{
    Context, Globals, Limits, MEM_BLOCK, MEM_SIZE, Memory, REGISTERS, VarId, mem_index,
    register_index,
};

use compile::{Compiler, Env, Eval};

/// Why code did not compile; `offset` is a byte offset into the source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CodeError {
    pub offset: usize,
    pub message: String,
    pub kind: CodeErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeErrorKind {
    /// The text is not valid syntax.
    Syntax,
    /// Valid syntax that means nothing (unknown function, wrong arity...).
    Semantic,
}

impl CodeErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CodeErrorKind::Syntax => "syntax",
            CodeErrorKind::Semantic => "semantic",
        }
    }
}

/// Why a run stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    #[error("code ran past its budget of {0} instructions and was stopped")]
    BudgetExceeded(u64),
}

/// Parses `src` into a syntax tree.
pub fn parse(src: &str) -> Result<ast::Expr, CodeError> {
    parser::parse_program(src).map_err(|e| CodeError {
        offset: e.offset,
        message: e.message,
        kind: CodeErrorKind::Syntax,
    })
}

/// A compiled program for one [`Context`].
pub struct Program {
    eval: Eval,
    nodes: usize,
    slots: usize,
}

impl std::fmt::Debug for Program {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Program")
            .field("nodes", &self.nodes)
            .field("slots", &self.slots)
            .finish_non_exhaustive()
    }
}

impl Program {
    /// Compiles `src`, creating its variables in `ctx`.
    pub fn compile(src: &str, ctx: &mut Context, opts: CompileOptions) -> Result<Self, CodeError> {
        let ast = parse(src)?;
        Self::from_ast(&ast, ctx, opts)
    }

    pub fn from_ast(
        ast: &ast::Expr,
        ctx: &mut Context,
        opts: CompileOptions,
    ) -> Result<Self, CodeError> {
        let eval = Compiler { ctx, opts }.compile(ast).map_err(|e| CodeError {
            offset: e.span.start as usize,
            message: e.message,
            kind: CodeErrorKind::Semantic,
        })?;
        Ok(Program {
            eval,
            nodes: ast.size(),
            slots: ctx.len(),
        })
    }

    /// A program that does nothing (for empty code blocks).
    pub fn empty() -> Self {
        Program {
            eval: Box::new(|_| 0.0),
            nodes: 0,
            slots: 0,
        }
    }

    /// Size of the program in syntax nodes.
    pub fn nodes(&self) -> usize {
        self.nodes
    }

    /// Runs the program once; the value is that of the last statement.
    pub fn run(&self, ctx: &mut Context, globals: &mut Globals) -> Result<f64, RunError> {
        let budget = globals.limits.instructions;
        let mut env = env(ctx, globals, self.slots, budget);
        let value = (self.eval)(&mut env);
        if env.exceeded {
            Err(RunError::BudgetExceeded(budget))
        } else {
            Ok(value)
        }
    }
}

fn env<'a>(ctx: &'a mut Context, globals: &'a mut Globals, slots: usize, budget: u64) -> Env<'a> {
    ctx.ensure_len(slots);
    Env {
        vars: &mut ctx.values,
        regs: &mut globals.regs,
        mem: &mut ctx.megabuf,
        gmem: &mut globals.gmegabuf,
        pool: &globals.pool,
        rng: &mut globals.rng,
        budget,
        exceeded: false,
    }
}

/// Which VM runs per-vertex code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VertexMode {
    /// Batched when the code allows it, else scalar.
    #[default]
    Auto,
    /// Always one vertex at a time.
    Scalar,
}

/// Per-vertex code (MilkDrop's per-pixel code, custom wave per-point code):
/// one program run for many vertices, batched when it has no side effects.
pub struct VertexProgram {
    scalar: Program,
    batch: Option<batch::BatchCode>,
    scalar_reason: Option<ScalarReason>,
}

impl std::fmt::Debug for VertexProgram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VertexProgram")
            .field("scalar", &self.scalar)
            .field("batched", &self.batch.is_some())
            .finish()
    }
}

impl VertexProgram {
    /// Compiles `src`; `inputs` are the variables the host sets before every
    /// vertex (as `varying` or `reset` in a [`VertexJob`]).
    pub fn compile(
        src: &str,
        ctx: &mut Context,
        opts: CompileOptions,
        inputs: &[VarId],
    ) -> Result<Self, CodeError> {
        let ast = parse(src)?;
        Self::from_ast(&ast, ctx, opts, inputs)
    }

    pub fn from_ast(
        ast: &ast::Expr,
        ctx: &mut Context,
        opts: CompileOptions,
        inputs: &[VarId],
    ) -> Result<Self, CodeError> {
        let scalar = Program::from_ast(ast, ctx, opts)?;
        let names: HashSet<String> = inputs.iter().map(|v| ctx.name(*v).to_owned()).collect();
        let (batch, scalar_reason) = match batch::batchable(ast, &names) {
            Ok(()) => (Some(batch::BatchCode::lower(ast, ctx, opts, inputs)), None),
            Err(reason) => (None, Some(reason)),
        };
        Ok(VertexProgram {
            scalar,
            batch,
            scalar_reason,
        })
    }

    /// True when the batched VM can run this code.
    pub fn is_batched(&self) -> bool {
        self.batch.is_some()
    }

    /// Why the code runs on the scalar VM (`None` when batched).
    pub fn scalar_reason(&self) -> Option<&ScalarReason> {
        self.scalar_reason.as_ref()
    }

    /// Instructions of the batched form (0 if not batched).
    pub fn batch_instructions(&self) -> usize {
        self.batch.as_ref().map_or(0, |b| b.instructions())
    }

    /// Runs the code for every vertex of `job`, writing `job.outputs`.
    /// The context ends as the scalar VM would leave it after the last vertex.
    pub fn run(
        &self,
        ctx: &mut Context,
        globals: &mut Globals,
        job: &mut VertexJob<'_>,
        mode: VertexMode,
    ) -> Result<(), RunError> {
        if let (VertexMode::Auto, Some(batch)) = (mode, &self.batch)
            && batch.fits(job)
        {
            ctx.ensure_len(self.scalar.slots);
            batch.run(ctx, globals, job);
            return Ok(());
        }
        self.run_scalar(ctx, globals, job)
    }

    fn run_scalar(
        &self,
        ctx: &mut Context,
        globals: &mut Globals,
        job: &mut VertexJob<'_>,
    ) -> Result<(), RunError> {
        let budget = globals.limits.instructions;
        let mut env = env(ctx, globals, self.scalar.slots, budget);
        for i in 0..job.count {
            for (var, col) in job.varying {
                env.vars[var.0 as usize] = col.get(i).copied().unwrap_or(0.0);
            }
            for (var, value) in job.reset {
                env.vars[var.0 as usize] = *value;
            }
            (self.scalar.eval)(&mut env);
            if env.exceeded {
                return Err(RunError::BudgetExceeded(budget));
            }
            for (var, out) in job.outputs.iter_mut() {
                if let Some(o) = out.get_mut(i) {
                    *o = env.vars[var.0 as usize];
                }
            }
        }
        Ok(())
    }
}
