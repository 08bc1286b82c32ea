//! `kefir eval 'CODE'`: run equation code once, as per-frame code of a
//! default preset, for preset authors trying out expressions.

use std::process::ExitCode;

use anyhow::Result;
use milk_parser::code::frame_context;
use milk_parser::eel::{
    self, CompileOptions, DivisionByZero, Globals, Limits, Program, ast::ExprKind,
};
use milk_parser::preset::{BaseValues, CodeBlock};

#[derive(clap::Args)]
pub struct Args {
    /// The code, e.g. 'x = 3*2%5*7; y = sin($PI/2)'.
    code: String,
    /// Seed for rand().
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Treat the code as MilkDrop 1 code (rand() returns integers).
    #[arg(long)]
    milkdrop1: bool,
    /// Divide as butterchurn does: `x/0` is 0 (MilkDrop 2: ±inf inside the
    /// expression, which `=` stores as 0).
    #[arg(long)]
    butterchurn_div: bool,
}

/// Assignment targets in order of first appearance.
fn assigned_names(ast: &eel::ast::Expr) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    ast.walk(&mut |e| {
        let target = match &e.kind {
            ExprKind::Assign(_, target, _) => Some(&**target),
            ExprKind::Call { name, args, .. } if name == "assign" => args.first(),
            _ => None,
        };
        if let Some(ExprKind::Var(name)) = target.map(|t| &t.kind)
            && !names.contains(name)
        {
            names.push(name.clone());
        }
    });
    names
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let block = CodeBlock::from_text(&args.code);
    let fail = |e: eel::CodeError| {
        let at = block.location(e.offset);
        eprintln!("error at {}:{}: {}", at.line, at.col, e.message);
        ExitCode::from(1)
    };
    let ast = match eel::parse(&block.text) {
        Ok(ast) => ast,
        Err(e) => return Ok(fail(e)),
    };
    let mut ctx = frame_context(&BaseValues::default());
    let mut globals = Globals::new(args.seed, Limits::default());
    let opts = CompileOptions {
        integer_rand: args.milkdrop1,
        division_by_zero: if args.butterchurn_div {
            DivisionByZero::Zero
        } else {
            DivisionByZero::Infinite
        },
        ..CompileOptions::default()
    };
    let program = match Program::from_ast(&ast, &mut ctx, opts) {
        Ok(p) => p,
        Err(e) => return Ok(fail(e)),
    };
    let value = match program.run(&mut ctx, &mut globals) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    println!("{value}");
    for name in assigned_names(&ast) {
        let v = match eel::register_index(&name) {
            Some(r) => globals.regs[r],
            None => ctx.get_named(&name),
        };
        println!("{name} = {v}");
    }
    Ok(ExitCode::SUCCESS)
}
