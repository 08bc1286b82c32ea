//! Type checking and WGSL generation in one pass over the syntax tree.
//!
//! Every expression is translated to a WGSL expression string plus its HLSL
//! type; conversions are written out with [`crate::types::convert`]. Side
//! effects inside expressions (assignments, `++`, calls with `out`
//! arguments) are hoisted into statements just before the statement that
//! contains them.

use std::collections::{BTreeSet, HashMap};

use crate::Error;
use crate::Stage;
use crate::ast::*;
use crate::env::{self, BindingLayout, TextureBinding, TextureSource};
use crate::footprint::{self, Footprint, Lane, Scaled};
use crate::types::{
    common, convert, float_constant, float_lit, helper_suffix, make, shape, wgsl_type,
};

const F: Type = Type::Scalar(Scalar::Float);
const COMPS: [char; 4] = ['x', 'y', 'z', 'w'];

#[derive(Debug, Clone)]
struct Sym {
    wgsl: String,
    ty: Type,
    mutable: bool,
}

#[derive(Debug, Clone)]
struct FnSig {
    wgsl: String,
    ret: Type,
    params: Vec<Param>,
}

/// One emitted line of WGSL and the shader offset it came from.
type Line = (String, usize);

/// What an lvalue refers to.
struct LValue {
    /// WGSL reference expression of the whole variable/element.
    base: String,
    /// Type of `base`.
    ty: Type,
    /// Component indices when writing through a swizzle.
    swizzle: Option<Vec<usize>>,
}

pub struct Output {
    pub wgsl: String,
    /// For each line of `wgsl` (0-based), the shader offset it came from.
    pub line_pos: Vec<Option<usize>>,
    pub layout: BindingLayout,
}

/// Loop iterations one run of a preset shader (one pixel) may make, all of
/// its loops together: every iteration of any loop, nested or in a called
/// function, takes one from a budget the run starts with, and a loop whose
/// next iteration finds it spent stops. A guard per loop would not bound
/// nested loops (three loops of 1,000 are a billion iterations a pixel, a
/// hung GPU or a lost WebGL context); Direct3D 9's `ps_3_0`, the model
/// MilkDrop 2 compiles for, counted at most 255 iterations a loop and a
/// minimum of 65,535 executed instructions a pixel, so no preset that ran
/// at a usable frame rate came near this.
pub const MAX_LOOP_ITERATIONS: u32 = 4096;

/// The WGSL name of the loop budget ([`MAX_LOOP_ITERATIONS`]): a private
/// variable, so each invocation starts with the whole budget.
const LOOP_BUDGET: &str = "loop_budget";

pub struct Translator<'a> {
    stage: Stage,
    shader: &'a Shader,
    struct_names: Vec<String>,
    functions: HashMap<String, Vec<FnSig>>,
    globals: HashMap<String, Sym>,
    scopes: Vec<HashMap<String, Sym>>,
    name_counts: HashMap<String, u32>,
    samplers: HashMap<String, SamplerDim>,
    layout: BindingLayout,
    out: Vec<Line>,
    indent: usize,
    cur_pos: usize,
    tmp: u32,
    /// Return type of the function being translated; `None` in `shader_body`.
    ret: Option<Type>,
    /// Uniform registers the shader writes to (MilkDrop compiles shaders in
    /// backwards-compatibility mode, where uniforms are writable): these
    /// get private copies `w_REG`.
    writable: BTreeSet<String>,
    /// Registers found written during this run but not in `writable`.
    want_writable: BTreeSet<String>,
    /// Helper functions the translated code calls (Direct3D 9's expansions
    /// of intrinsics WGSL lacks), emitted once each after the prelude.
    pub(crate) helpers: BTreeSet<String>,
    pub(crate) options: crate::Options,
    /// The WGSL locals holding `rad`, `ang` and `hue_shader` in
    /// `shader_body`, and whether a name resolved to one of them
    /// ([`BindingLayout::reads_grid_values`]).
    grid_values: Vec<String>,
    grid_value_read: std::cell::Cell<bool>,
    /// What is known of `shader_body`'s locals (by WGSL name) at the
    /// statement being translated, for [`crate::footprint`]: set by
    /// declarations and whole assignments at the body's top level,
    /// forgotten on any other write and before loops that write them.
    forms: HashMap<String, Vec<Lane>>,
    /// Nesting of blocks, branches and loops (0: `shader_body`'s own
    /// statements).
    depth: usize,
    /// Whether implicit-level reads with a known footprint get their own
    /// bindings ([`TextureBinding::footprints`]); off in a second run when
    /// they would take the shader past [`MAX_TEXTURE_BINDINGS`].
    footprint_bindings: bool,
    /// Whether the shader has a loop, so the module declares the loop
    /// budget ([`MAX_LOOP_ITERATIONS`]).
    uses_loops: bool,
}

/// Texture bindings a shader may have (Direct3D 9's 16 sampler registers;
/// also wgpu's default per-stage limit). Extra footprint bindings stay
/// within it.
pub const MAX_TEXTURE_BINDINGS: usize = 16;

/// Translates a parsed shader, giving written uniforms private copies.
pub fn translate(stage: Stage, shader: &Shader, options: &crate::Options) -> Result<Output, Error> {
    let mut writable = BTreeSet::new();
    let mut footprint_bindings = true;
    loop {
        let mut t = Translator::new(stage, shader);
        t.options = *options;
        t.writable = writable.clone();
        t.footprint_bindings = footprint_bindings;
        match t.run() {
            Ok(o)
                if footprint_bindings
                    && o.layout.textures.len() > MAX_TEXTURE_BINDINGS
                    && o.layout.textures.iter().any(|t| !t.footprints.is_empty()) =>
            {
                footprint_bindings = false;
            }
            Ok(o) => return Ok(o),
            Err(e) => {
                if t.want_writable.is_empty() {
                    return Err(e);
                }
                writable.extend(t.want_writable);
            }
        }
    }
}

/// Splits a built-in's WGSL (`U._qa.x`) into register and swizzle.
fn builtin_register(wgsl: &str) -> Option<(&str, Option<&str>)> {
    let rest = wgsl.strip_prefix("U.")?;
    Some(match rest.split_once('.') {
        Some((r, sw)) => (r, Some(sw)),
        None => (rest, None),
    })
}

fn err<T>(pos: usize, msg: impl Into<String>) -> Result<T, Error> {
    Err(Error::type_error(pos, msg))
}

/// fxc refuses bitwise operators for the shader models MilkDrop 2 compiles
/// for (2 and 3; "error X3535: Bitwise operations not supported on legacy
/// targets"), so MilkDrop 2 draws its fallback shader for such a shader.
fn bitwise_refused(op: &str) -> String {
    format!(
        "`{op}`: bitwise operators need shader model 4; fxc refuses them for \
         MilkDrop 2's shader models 2 and 3 (error X3535)"
    )
}

impl<'a> Translator<'a> {
    pub fn new(stage: Stage, shader: &'a Shader) -> Self {
        Translator {
            stage,
            shader,
            struct_names: shader.structs.iter().map(|s| s.name.clone()).collect(),
            functions: HashMap::new(),
            globals: HashMap::new(),
            scopes: Vec::new(),
            name_counts: HashMap::new(),
            samplers: HashMap::new(),
            layout: BindingLayout::default(),
            out: Vec::new(),
            indent: 1,
            cur_pos: 0,
            tmp: 0,
            ret: None,
            writable: BTreeSet::new(),
            want_writable: BTreeSet::new(),
            helpers: BTreeSet::new(),
            options: crate::Options::default(),
            grid_values: Vec::new(),
            grid_value_read: std::cell::Cell::new(false),
            forms: HashMap::new(),
            depth: 0,
            footprint_bindings: true,
            uses_loops: false,
        }
    }

    fn tname(&self, t: &Type) -> String {
        crate::types::hlsl_name(t, &self.struct_names)
    }

    fn line(&mut self, s: impl Into<String>) {
        let s = s.into();
        self.out
            .push((format!("{}{s}", "    ".repeat(self.indent)), self.cur_pos));
    }

    fn fresh(&mut self) -> String {
        self.tmp += 1;
        format!("_t{}", self.tmp)
    }

    /// Opens a `loop {`; its body starts with [`Self::loop_iteration`]
    /// once the loop's own condition (if any) has passed.
    fn loop_start(&mut self) {
        self.line("loop {");
        self.indent += 1;
        self.uses_loops = true;
    }

    /// Takes one iteration from the run's loop budget, or leaves the loop
    /// when it is spent: preset shaders are untrusted, and an endless loop
    /// would hang the GPU ([`MAX_LOOP_ITERATIONS`]).
    fn loop_iteration(&mut self) {
        self.line(format!(
            "if {LOOP_BUDGET} == 0u {{ break; }} {LOOP_BUDGET} -= 1u;"
        ));
    }

    /// A unique WGSL name for a local called `name` in this function.
    fn local_name(&mut self, name: &str) -> String {
        let n = self.name_counts.entry(name.to_string()).or_insert(0);
        *n += 1;
        if *n == 1 {
            format!("v_{name}")
        } else {
            format!("v_{name}_{}", *n - 1)
        }
    }

    fn declare(&mut self, name: &str, sym: Sym) {
        if let Some(s) = self.scopes.last_mut() {
            s.insert(name.to_string(), sym);
        }
    }

    fn check_type(&self, t: &Type, pos: usize) -> Result<(), Error> {
        match t {
            Type::Void => err(pos, "a variable cannot be void"),
            Type::Sampler(_) => err(pos, "samplers can only be declared globally"),
            Type::Array(e, _) => self.check_type(e, pos),
            _ => Ok(()),
        }
    }

    /// Translates the whole shader.
    pub fn run(&mut self) -> Result<Output, Error> {
        let shader = self.shader;
        // Structs.
        let mut decls: Vec<String> = Vec::new();
        for (i, s) in shader.structs.iter().enumerate() {
            let mut d = format!("struct S_{i} {{\n");
            for (t, n) in &s.fields {
                self.check_type(t, s.pos)?;
                d.push_str(&format!("    m_{n}: {},\n", wgsl_type(t)));
            }
            d.push_str("}\n");
            decls.push(d);
        }
        // Signatures and globals first (HLSL needs declaration before use,
        // WGSL does not care about order).
        for reg in &self.writable {
            let t = if reg.starts_with("rot_") {
                "mat4x3<f32>"
            } else {
                "vec4<f32>"
            };
            decls.push(format!("var<private> w_{reg}: {t};\n"));
        }
        let mut global_inits: Vec<&VarDecl> = Vec::new();
        for item in &shader.items {
            match item {
                Item::Function(f) => {
                    let list = self.functions.entry(f.name.clone()).or_default();
                    let wgsl = if list.is_empty() {
                        format!("f_{}", f.name)
                    } else {
                        format!("f_{}_{}", f.name, list.len())
                    };
                    list.push(FnSig {
                        wgsl,
                        ret: f.ret.clone(),
                        params: f.params.clone(),
                    });
                }
                Item::Sampler(name, dim, _) => {
                    self.samplers.insert(name.clone(), *dim);
                }
                Item::Global(d) => {
                    if d.name.starts_with("texsize_") && d.ty == Type::Vector(Scalar::Float, 4) {
                        continue; // resolved through the texsize table
                    }
                    self.check_type(&d.ty, d.pos)?;
                    let wgsl = format!("g_{}", d.name);
                    decls.push(format!("var<private> {wgsl}: {};\n", wgsl_type(&d.ty)));
                    self.globals.insert(
                        d.name.clone(),
                        Sym {
                            wgsl,
                            ty: d.ty.clone(),
                            mutable: true,
                        },
                    );
                    if d.init.is_some() {
                        global_inits.push(d);
                    }
                }
                Item::Body(..) => {}
            }
        }
        // Function bodies.
        let mut fn_lines: Vec<Line> = Vec::new();
        for item in &shader.items {
            if let Item::Function(f) = item {
                let lines = self.function(f)?;
                fn_lines.extend(lines);
            }
        }
        // The entry point.
        let mut entry: Vec<Line> = Vec::new();
        for item in &shader.items {
            if let Item::Body(body, pos) = item {
                entry = self.entry(body, *pos, &global_inits)?;
            }
        }
        // Assemble: prelude, declarations, functions, entry.
        let mut text = String::new();
        let mut line_pos: Vec<Option<usize>> = Vec::new();
        let push_block = |s: &str, text: &mut String, lp: &mut Vec<Option<usize>>| {
            for l in s.lines() {
                text.push_str(l);
                text.push('\n');
                lp.push(None);
            }
        };
        push_block(&self.prelude(), &mut text, &mut line_pos);
        for h in &self.helpers {
            push_block(h, &mut text, &mut line_pos);
        }
        if self.uses_loops {
            decls.push(format!(
                "var<private> {LOOP_BUDGET}: u32 = {MAX_LOOP_ITERATIONS}u;\n"
            ));
        }
        for d in &decls {
            push_block(d, &mut text, &mut line_pos);
        }
        for (l, p) in fn_lines.iter().chain(&entry) {
            text.push_str(l);
            text.push('\n');
            line_pos.push(Some(*p));
        }
        Ok(Output {
            wgsl: text,
            line_pos,
            layout: BindingLayout {
                reads_grid_values: self.grid_value_read.get(),
                ..std::mem::take(&mut self.layout)
            },
        })
    }

    fn prelude(&self) -> String {
        // Noise textures are sampled with implicit derivatives (they have
        // mip levels), often inside branches and loops as Direct3D 9
        // allows; WGSL's uniformity analysis would reject that (naga lets
        // it through, browsers' WebGPU does not).
        let mut s = String::from("diagnostic(off, derivative_uniformity);\n");
        s.push_str(&env::uniforms_wgsl());
        s.push_str(&format!(
            "@group({}) @binding({}) var<uniform> U: MilkUniforms;\n",
            env::GROUP,
            env::UNIFORMS_BINDING
        ));
        if !self.layout.texsizes.is_empty() {
            s.push_str(&format!(
                "struct TexSizes {{\n    size: array<vec4<f32>, {}>,\n}}\n@group({}) @binding({}) var<uniform> TS: TexSizes;\n",
                self.layout.texsizes.len(),
                env::GROUP,
                env::TEXSIZES_BINDING
            ));
        }
        for t in &self.layout.textures {
            let (tex, samp) = t.wgsl_names();
            let tt = match t.dim {
                SamplerDim::D2 => "texture_2d<f32>",
                SamplerDim::D3 => "texture_3d<f32>",
            };
            s.push_str(&format!(
                "@group({g}) @binding({}) var {tex}: {tt};\n@group({g}) @binding({}) var {samp}: sampler;\n",
                t.texture_binding,
                t.sampler_binding,
                g = env::GROUP
            ));
        }
        s.push_str(
            "struct FragmentInput {\n    @location(0) uv: vec4<f32>,\n    @location(1) rad_ang: vec2<f32>,\n    @location(2) hue_shader: vec4<f32>,\n}\n",
        );
        s
    }

    fn function(&mut self, f: &Function) -> Result<Vec<Line>, Error> {
        self.cur_pos = f.pos;
        let sig = self
            .functions
            .get(&f.name)
            .and_then(|l| l.iter().find(|s| s.params == f.params))
            .cloned()
            .ok_or_else(|| Error::type_error(f.pos, "function lost"))?;
        self.name_counts.clear();
        self.scopes = vec![HashMap::new()];
        self.ret = Some(f.ret.clone());
        let saved = std::mem::take(&mut self.out);
        let mut params = Vec::new();
        let mut prologue = Vec::new();
        for p in &f.params {
            if let Type::Sampler(_) = p.ty {
                return Err(Error::unsupported(p.pos, "sampler parameters"));
            }
            self.check_type(&p.ty, p.pos)?;
            let local = self.local_name(&p.name);
            let t = wgsl_type(&p.ty);
            match p.mode {
                ParamMode::In => {
                    params.push(format!("p_{}: {t}", p.name));
                    prologue.push(format!("var {local}: {t} = p_{};", p.name));
                    self.declare(
                        &p.name,
                        Sym {
                            wgsl: local,
                            ty: p.ty.clone(),
                            mutable: true,
                        },
                    );
                }
                ParamMode::Out | ParamMode::InOut => {
                    params.push(format!("p_{}: ptr<function, {t}>", p.name));
                    self.declare(
                        &p.name,
                        Sym {
                            wgsl: format!("(*p_{})", p.name),
                            ty: p.ty.clone(),
                            mutable: true,
                        },
                    );
                }
            }
        }
        let ret = match &f.ret {
            Type::Void => String::new(),
            Type::Sampler(_) => {
                return Err(Error::unsupported(f.pos, "functions returning samplers"));
            }
            t => format!(" -> {}", wgsl_type(t)),
        };
        self.indent = 0;
        self.line(format!("fn {}({}){ret} {{", sig.wgsl, params.join(", ")));
        self.indent = 1;
        for p in prologue {
            self.line(p);
        }
        self.stmts(&f.body)?;
        if f.ret != Type::Void
            && !matches!(f.body.last().map(|s| &s.kind), Some(StmtKind::Return(_)))
        {
            self.line(format!("return {}();", wgsl_type(&f.ret)));
        }
        self.indent = 0;
        self.line("}");
        Ok(std::mem::replace(&mut self.out, saved))
    }

    fn entry(&mut self, body: &[Stmt], pos: usize, inits: &[&VarDecl]) -> Result<Vec<Line>, Error> {
        self.cur_pos = pos;
        self.name_counts.clear();
        self.scopes = vec![HashMap::new()];
        self.ret = None;
        let saved = std::mem::take(&mut self.out);
        self.indent = 0;
        self.line("@fragment");
        self.line("fn fs_main(fin: FragmentInput) -> @location(0) vec4<f32> {");
        self.indent = 1;
        for reg in self.writable.clone() {
            self.line(format!("w_{reg} = U.{reg};"));
        }
        for d in inits {
            self.cur_pos = d.pos;
            if let Some(init) = &d.init {
                let v = self.init_value(init, &d.ty)?;
                self.line(format!("g_{} = {v};", d.name));
            }
        }
        self.cur_pos = pos;
        let f2 = Type::Vector(Scalar::Float, 2);
        let f3 = Type::Vector(Scalar::Float, 3);
        let mut env: Vec<(&str, &str, Type)> = vec![
            ("ret", "vec3<f32>()", f3.clone()),
            ("uv", "fin.uv.xy", f2.clone()),
        ];
        // A comp shader's `uv_orig` is `uv` itself: MilkDrop 2 defines both
        // as `_uv.xy` (`szCompDefines`, "//[sic]"), so after `uv = ...` it
        // reads the new value (declared below as a second name of `uv`).
        // butterchurn's is a varying of its own.
        let uv_alias = self.stage == Stage::Comp && !self.options.butterchurn_uv_orig;
        if self.stage == Stage::Warp {
            env.push(("uv_orig", "fin.uv.zw", f2.clone()));
        } else if !uv_alias {
            env.push(("uv_orig", "fin.uv.xy", f2.clone()));
        }
        env.push(("rad", "fin.rad_ang.x", F));
        env.push(("ang", "fin.rad_ang.y", F));
        if self.stage == Stage::Comp {
            env.push(("hue_shader", "fin.hue_shader.xyz", f3));
        }
        self.forms.clear();
        self.depth = 0;
        for (name, init, ty) in env {
            let w = self.local_name(name);
            if matches!(name, "rad" | "ang" | "hue_shader") {
                self.grid_values.push(w.clone());
            }
            // `uv_orig` runs from 0 to 1 across the target (both stages'
            // grids and the composite's triangle put it at the vertices'
            // positions); so does the composite's `uv`, the warp's moves
            // with the mesh.
            if name == "uv_orig" || (name == "uv" && self.stage == Stage::Comp) {
                let screen = |axis| Lane::Linear {
                    axis,
                    slope: Scaled::constant(1.0),
                };
                self.forms.insert(w.clone(), vec![screen(0), screen(1)]);
            }
            self.line(format!("var {w}: {} = {init};", wgsl_type(&ty)));
            if name == "uv" && uv_alias {
                self.declare(
                    "uv_orig",
                    Sym {
                        wgsl: w.clone(),
                        ty: f2.clone(),
                        mutable: true,
                    },
                );
            }
            self.declare(
                name,
                Sym {
                    wgsl: w,
                    ty,
                    mutable: true,
                },
            );
        }
        self.stmts(body)?;
        self.line("return vec4<f32>(v_ret, 1.0f);");
        self.indent = 0;
        self.line("}");
        Ok(std::mem::replace(&mut self.out, saved))
    }

    // ---------------------------------------------------------------- statements

    fn stmts(&mut self, s: &[Stmt]) -> Result<(), Error> {
        for st in s {
            self.stmt(st)?;
        }
        Ok(())
    }

    fn scoped(&mut self, s: &Stmt) -> Result<(), Error> {
        self.scopes.push(HashMap::new());
        let r = match &s.kind {
            StmtKind::Block(b) => self.stmts(b),
            _ => self.stmt(s),
        };
        self.scopes.pop();
        r
    }

    fn bool_cond(&mut self, e: &Expr) -> Result<String, Error> {
        let (w, t) = self.expr(e)?;
        self.conv(&w, &t, &Type::Scalar(Scalar::Bool), e.pos)
    }

    fn stmt(&mut self, s: &Stmt) -> Result<(), Error> {
        self.cur_pos = s.pos;
        let nested = matches!(
            s.kind,
            StmtKind::Block(_)
                | StmtKind::If(..)
                | StmtKind::For(..)
                | StmtKind::While(..)
                | StmtKind::DoWhile(..)
                | StmtKind::Switch(..)
        );
        if matches!(
            s.kind,
            StmtKind::For(..) | StmtKind::While(..) | StmtKind::DoWhile(..)
        ) {
            // A read in the loop may come after a write further down in
            // an earlier iteration.
            self.forget_written(s);
        }
        // What a top-level `name = value;` makes of `name`, from the
        // values before it.
        let assigned = match &s.kind {
            StmtKind::Expr(Expr {
                kind: ExprKind::Assign(op, l, r),
                ..
            }) if self.depth == 0 => match &l.kind {
                ExprKind::Ident(name) => self.local(name).map(|sym| {
                    let value = self.lanes(r);
                    let value = match op.strip_suffix('=').filter(|o| !o.is_empty()) {
                        Some(bop) => footprint::binary(bop, &self.lanes(l), &value),
                        None => value,
                    };
                    let n = footprint::width(&sym.ty);
                    (sym.wgsl, n.map(|n| footprint::fit(value, n)))
                }),
                _ => None,
            },
            _ => None,
        };
        self.depth += usize::from(nested);
        let r = self.stmt_kind(s);
        self.depth -= usize::from(nested);
        r?;
        if let Some((wgsl, Some(lanes))) = assigned {
            self.forms.insert(wgsl, lanes);
        }
        Ok(())
    }

    fn stmt_kind(&mut self, s: &Stmt) -> Result<(), Error> {
        match &s.kind {
            StmtKind::Empty => {}
            StmtKind::Decl(ds) => {
                for d in ds {
                    self.cur_pos = d.pos;
                    self.check_type(&d.ty, d.pos)?;
                    let init = match &d.init {
                        Some(e) => Some(self.init_value(e, &d.ty)?),
                        None => None,
                    };
                    let w = self.local_name(&d.name);
                    let t = wgsl_type(&d.ty);
                    if self.depth == 0
                        && let Some(n) = footprint::width(&d.ty)
                    {
                        let value = match &d.init {
                            Some(e) => self.lanes(e),
                            None => vec![Lane::Known(Scaled::constant(0.0))],
                        };
                        self.forms.insert(w.clone(), footprint::fit(value, n));
                    }
                    match init {
                        Some(v) => self.line(format!("var {w}: {t} = {v};")),
                        None => self.line(format!("var {w}: {t};")),
                    }
                    self.declare(
                        &d.name,
                        Sym {
                            wgsl: w,
                            ty: d.ty.clone(),
                            mutable: true,
                        },
                    );
                }
            }
            StmtKind::Expr(e) => self.effect(e)?,
            StmtKind::Block(b) => {
                self.line("{");
                self.indent += 1;
                self.scopes.push(HashMap::new());
                let r = self.stmts(b);
                self.scopes.pop();
                r?;
                self.indent -= 1;
                self.line("}");
            }
            StmtKind::If(c, a, b) => {
                let c = self.bool_cond(c)?;
                self.line(format!("if {c} {{"));
                self.indent += 1;
                self.scoped(a)?;
                self.indent -= 1;
                if let Some(b) = b {
                    self.cur_pos = b.pos;
                    self.line("} else {");
                    self.indent += 1;
                    self.scoped(b)?;
                    self.indent -= 1;
                }
                self.line("}");
            }
            StmtKind::For(init, cond, step, body) => {
                // fxc lets the loop variable outlive the loop: declare it in
                // the enclosing scope.
                if let Some(i) = init {
                    self.stmt(i)?;
                }
                self.cur_pos = s.pos;
                self.loop_start();
                if let Some(c) = cond {
                    let c = self.bool_cond(c)?;
                    self.line(format!("if !({c}) {{ break; }}"));
                }
                self.loop_iteration();
                self.scoped(body)?;
                if let Some(step) = step {
                    self.cur_pos = step.pos;
                    self.line("continuing {");
                    self.indent += 1;
                    self.effect(step)?;
                    self.indent -= 1;
                    self.line("}");
                }
                self.indent -= 1;
                self.line("}");
            }
            StmtKind::While(c, body) => {
                self.loop_start();
                let c = self.bool_cond(c)?;
                self.line(format!("if !({c}) {{ break; }}"));
                self.loop_iteration();
                self.scoped(body)?;
                self.indent -= 1;
                self.line("}");
            }
            StmtKind::DoWhile(body, c) => {
                self.loop_start();
                self.loop_iteration();
                self.scoped(body)?;
                self.cur_pos = c.pos;
                self.line("continuing {");
                self.indent += 1;
                let c = self.bool_cond(c)?;
                self.line(format!("break if !({c});"));
                self.indent -= 1;
                self.line("}");
                self.indent -= 1;
                self.line("}");
            }
            StmtKind::Switch(selector, cases) => self.switch(selector, cases)?,
            StmtKind::Return(e) => match self.ret.clone() {
                None => {
                    if let Some(e) = e {
                        self.effect(e)?;
                    }
                    self.line("return vec4<f32>(v_ret, 1.0f);");
                }
                Some(Type::Void) => {
                    if let Some(e) = e {
                        self.effect(e)?;
                    }
                    self.line("return;");
                }
                Some(rt) => {
                    let Some(e) = e else {
                        return err(s.pos, "missing return value");
                    };
                    let v = self.value_as(e, &rt)?;
                    self.line(format!("return {v};"));
                }
            },
            StmtKind::Break => self.line("break;"),
            StmtKind::Continue => self.line("continue;"),
            StmtKind::Discard => self.line("discard;"),
        }
        Ok(())
    }

    /// A `switch`: WGSL's, with the labels of cases that fall through
    /// empty joined to the next case's (fxc allows no other falling
    /// through) and an empty `default` where HLSL has none.
    fn switch(&mut self, selector: &Expr, cases: &[SwitchCase]) -> Result<(), Error> {
        let (w, t) = self.expr(selector)?;
        let w = self.conv(&w, &t, &Type::Scalar(Scalar::Int), selector.pos)?;
        self.line(format!("switch {w} {{"));
        self.indent += 1;
        // Every label so far (no value twice), and those of the group the
        // next body belongs to.
        let mut seen = Vec::new();
        let mut group = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            self.cur_pos = case.pos;
            for label in &case.labels {
                let text = label.map_or("default".to_string(), |v| format!("{v}i"));
                if seen.contains(&text) {
                    let label = label.map_or("default".to_string(), |v| format!("case {v}"));
                    return err(case.pos, format!("a second `{label}` label"));
                }
                seen.push(text.clone());
                group.push(text);
            }
            let last = i + 1 == cases.len();
            if case.body.is_empty() && !last {
                continue;
            }
            let jumps = matches!(
                case.body.last().map(|s| &s.kind),
                Some(
                    StmtKind::Break | StmtKind::Return(_) | StmtKind::Continue | StmtKind::Discard
                )
            );
            if !jumps && !last {
                return err(
                    case.pos,
                    "a case falling through into the next needs a `break` (fxc allows none)",
                );
            }
            self.line(format!("case {}: {{", group.join(", ")));
            group.clear();
            self.indent += 1;
            self.scopes.push(HashMap::new());
            let r = self.stmts(&case.body);
            self.scopes.pop();
            r?;
            self.indent -= 1;
            self.line("}");
        }
        if !seen.iter().any(|l| l == "default") {
            self.line("default: {}");
        }
        self.indent -= 1;
        self.line("}");
        Ok(())
    }

    /// An expression evaluated for its side effects only.
    fn effect(&mut self, e: &Expr) -> Result<(), Error> {
        match &e.kind {
            ExprKind::Assign(..) | ExprKind::IncDec(..) => {
                self.expr(e)?;
            }
            ExprKind::Comma(a, b) => {
                self.effect(a)?;
                self.effect(b)?;
            }
            _ => {
                let (w, t) = self.expr(e)?;
                if !matches!(t, Type::Void | Type::Sampler(_))
                    && matches!(e.kind, ExprKind::Call(..))
                {
                    self.line(format!("_ = {w};"));
                }
            }
        }
        Ok(())
    }

    fn init_value(&mut self, e: &Expr, ty: &Type) -> Result<String, Error> {
        if let ExprKind::InitList(items) = &e.kind {
            return self.init_list(items, ty, e.pos);
        }
        self.value_as(e, ty)
    }

    /// Flattens an initializer list into scalars for vector/matrix targets.
    fn init_list(&mut self, items: &[Expr], ty: &Type, pos: usize) -> Result<String, Error> {
        match ty {
            Type::Array(elem, n) if items.len() != *n as usize => {
                // A flat list of components: `float2 a[2] = {1, 2, 3, 4}`.
                let per = match &**elem {
                    Type::Scalar(_) => 1,
                    Type::Vector(_, k) => *k as usize,
                    Type::Matrix(r, c) => (*r * *c) as usize,
                    _ => {
                        return err(
                            pos,
                            format!("{} initializers for an array of {n}", items.len()),
                        );
                    }
                };
                let scalars = self.flatten(items)?;
                if scalars.len() != per * *n as usize {
                    return err(
                        pos,
                        format!(
                            "{} components for an array of {n} {}",
                            scalars.len(),
                            self.tname(elem)
                        ),
                    );
                }
                let st = match &**elem {
                    Type::Scalar(s) | Type::Vector(s, _) => Type::Scalar(*s),
                    _ => F,
                };
                let mut parts = Vec::new();
                for chunk in scalars.chunks(per) {
                    let cs: Vec<String> = chunk
                        .iter()
                        .map(|(w, t)| self.conv(w, t, &st, pos))
                        .collect::<Result<_, _>>()?;
                    parts.push(if per == 1 {
                        cs[0].clone()
                    } else {
                        format!("{}({})", wgsl_type(elem), cs.join(", "))
                    });
                }
                Ok(format!("{}({})", wgsl_type(ty), parts.join(", ")))
            }
            Type::Array(elem, _) => {
                let mut parts = Vec::new();
                for it in items {
                    parts.push(self.init_value(it, elem)?);
                }
                Ok(format!("{}({})", wgsl_type(ty), parts.join(", ")))
            }
            Type::Struct(i) => {
                let fields = self.shader.structs[*i].fields.clone();
                if items.len() != fields.len() {
                    return err(pos, "wrong number of struct initializers");
                }
                let mut parts = Vec::new();
                for (it, (ft, _)) in items.iter().zip(&fields) {
                    parts.push(self.init_value(it, ft)?);
                }
                Ok(format!("{}({})", wgsl_type(ty), parts.join(", ")))
            }
            _ => {
                if items.len() == 1 {
                    return self.init_value(&items[0], ty);
                }
                let (w, t) = self.construct(ty, items, pos)?;
                self.conv(&w, &t, ty, pos)
            }
        }
    }

    /// All scalar components of an initializer list, in order.
    fn flatten(&mut self, items: &[Expr]) -> Result<Vec<(String, Type)>, Error> {
        let mut out = Vec::new();
        for it in items {
            if let ExprKind::InitList(inner) = &it.kind {
                out.extend(self.flatten(inner)?);
                continue;
            }
            let (w, t) = self.expr(it)?;
            match t {
                Type::Scalar(_) => out.push((w, t)),
                Type::Vector(s, n) => {
                    let tmp = self.fresh();
                    self.line(format!("let {tmp} = {w};"));
                    for c in COMPS.iter().take(n as usize) {
                        out.push((format!("{tmp}.{c}"), Type::Scalar(s)));
                    }
                }
                _ => {
                    return err(
                        it.pos,
                        format!("cannot use {} in an initializer list", self.tname(&t)),
                    );
                }
            }
        }
        Ok(out)
    }

    // ---------------------------------------------------------------- expressions

    fn conv(&self, w: &str, from: &Type, to: &Type, pos: usize) -> Result<String, Error> {
        convert(w, from, to).ok_or_else(|| {
            Error::type_error(
                pos,
                format!("cannot convert {} to {}", self.tname(from), self.tname(to)),
            )
        })
    }

    fn value_as(&mut self, e: &Expr, ty: &Type) -> Result<String, Error> {
        let (w, t) = self.expr(e)?;
        self.conv(&w, &t, ty, e.pos)
    }

    fn lookup(&self, name: &str) -> Option<Sym> {
        for s in self.scopes.iter().rev() {
            if let Some(v) = s.get(name) {
                if self.grid_values.contains(&v.wgsl) {
                    self.grid_value_read.set(true);
                }
                return Some(v.clone());
            }
        }
        if let Some(g) = self.globals.get(name) {
            return Some(g.clone());
        }
        let (wgsl, ty) = env::builtin_value(name)?;
        if let Some((reg, _)) = builtin_register(&wgsl)
            && self.writable.contains(reg)
        {
            return Some(Sym {
                wgsl: format!("w_{}", &wgsl[2..]),
                ty,
                mutable: true,
            });
        }
        Some(Sym {
            wgsl,
            ty,
            mutable: false,
        })
    }

    fn texsize(&mut self, name: &str) -> String {
        let i = match self.layout.texsizes.iter().position(|n| n == name) {
            Some(i) => i,
            None => {
                self.layout.texsizes.push(name.to_string());
                self.layout.texsizes.len() - 1
            }
        };
        format!("TS.size[{i}]")
    }

    /// The filter, wrap and texture of a sampler name, checked against the
    /// dimension it is read with.
    fn sampler_source(
        &self,
        name: &str,
        dim: SamplerDim,
        pos: usize,
    ) -> Result<(env::Filter, env::Wrap, TextureSource), Error> {
        let split = if self.samplers.contains_key(name) {
            env::split_declared_sampler(name)
        } else {
            env::split_sampler(name)
        };
        let Some((filter, wrap, tex)) = split else {
            return err(pos, format!("`{name}` is not a sampler"));
        };
        let source = match env::builtin_source(tex) {
            Some((s, d)) => {
                if d != dim {
                    return err(
                        pos,
                        format!(
                            "`{name}` is a {}D texture",
                            if d == SamplerDim::D2 { 2 } else { 3 }
                        ),
                    );
                }
                s
            }
            None => {
                if !self.samplers.contains_key(name) {
                    return err(pos, format!("unknown sampler `{name}`"));
                }
                TextureSource::User(tex.to_string())
            }
        };
        Ok((filter, wrap, source))
    }

    /// Registers a sampler the shader reads; returns its WGSL texture and
    /// sampler names.
    fn use_sampler(
        &mut self,
        name: &str,
        dim: SamplerDim,
        pos: usize,
    ) -> Result<(String, String), Error> {
        self.binding(name, dim, pos, None)
    }

    /// The binding of sampler expression `e` that serves implicit-level
    /// reads of known `footprint` ([`TextureBinding::footprints`]), or
    /// `None` where there is none to make (a texture without mip levels,
    /// or footprint bindings turned off).
    pub(crate) fn footprint_sampler(
        &mut self,
        e: &Expr,
        dim: SamplerDim,
        footprint: Footprint,
    ) -> Result<Option<(String, String)>, Error> {
        let ExprKind::Ident(name) = &e.kind else {
            return Ok(None);
        };
        if !self.footprint_bindings || !self.is_sampler_name(name) {
            return Ok(None);
        }
        let (_, _, source) = self.sampler_source(name, dim, e.pos)?;
        if !source.has_mips() {
            return Ok(None);
        }
        self.binding(name, dim, e.pos, Some(footprint)).map(Some)
    }

    /// The binding of sampler `name`, made on first use: its ordinary one,
    /// or with a `footprint` its footprint binding, which gathers the
    /// distinct footprints of its reads. Returns the WGSL names.
    fn binding(
        &mut self,
        name: &str,
        dim: SamplerDim,
        pos: usize,
        footprint: Option<Footprint>,
    ) -> Result<(String, String), Error> {
        let (filter, wrap, source) = self.sampler_source(name, dim, pos)?;
        let existing = self
            .layout
            .textures
            .iter_mut()
            .find(|t| t.sampler_name == name && t.footprints.is_empty() == footprint.is_none());
        if let Some(t) = existing {
            if t.dim != dim {
                return err(pos, format!("`{name}` used both as a 2D and a 3D texture"));
            }
            if let Some(f) = footprint
                && !t.footprints.contains(&f)
            {
                t.footprints.push(f);
            }
            return Ok(t.wgsl_names());
        }
        let i = self.layout.textures.len() as u32;
        let texture_binding = env::FIRST_TEXTURE_BINDING + 2 * i;
        let binding = TextureBinding {
            sampler_name: name.to_string(),
            source,
            dim,
            filter,
            wrap,
            texture_binding,
            sampler_binding: texture_binding + 1,
            footprints: footprint.into_iter().collect(),
        };
        let names = binding.wgsl_names();
        self.layout.textures.push(binding);
        Ok(names)
    }

    /// A local of `shader_body` (or of the function being translated) by
    /// its HLSL name; unlike [`Translator::lookup`], without side effects.
    fn local(&self, name: &str) -> Option<Sym> {
        self.scopes.iter().rev().find_map(|s| s.get(name)).cloned()
    }

    /// Forgets what is known of every variable statement `s` writes.
    fn forget_written(&mut self, s: &Stmt) {
        let mut names = Vec::new();
        let functions = &self.functions;
        footprint::written_in(s, &|n| functions.contains_key(n), &mut names);
        for n in names {
            if let Some(sym) = self.local(&n) {
                self.forms.remove(&sym.wgsl);
            }
        }
    }

    /// What [`crate::footprint`] knows of `e`'s value at this point, one
    /// lane per component.
    pub(crate) fn lanes(&self, e: &Expr) -> Vec<Lane> {
        let known = |k| Lane::Known(Scaled::constant(k));
        let is_uniform = |l: &Lane| matches!(l, Lane::Known(_) | Lane::Uniform);
        match &e.kind {
            ExprKind::Int(v, _) => vec![known(*v as f64)],
            ExprKind::Float(v) => vec![known(*v)],
            ExprKind::Bool(_) => vec![Lane::Uniform],
            ExprKind::Ident(name) => self.ident_lanes(name),
            ExprKind::Unary(op, a) => footprint::unary(op, self.lanes(a)),
            ExprKind::Binary(op, a, b) => footprint::binary(op, &self.lanes(a), &self.lanes(b)),
            ExprKind::Ternary(c, a, b) => {
                let [c, a, b] = [c, a, b].map(|x| self.lanes(x));
                let uniform = c.iter().chain(&a).chain(&b).all(is_uniform);
                let lane = if uniform {
                    Lane::Uniform
                } else {
                    Lane::Varying
                };
                vec![lane; a.len().max(b.len())]
            }
            ExprKind::Call(name, args) if !self.functions.contains_key(name) => {
                let args: Vec<_> = args.iter().map(|a| self.lanes(a)).collect();
                footprint::intrinsic(name, &args)
            }
            ExprKind::Construct(t, args) => {
                let n = footprint::width(t).unwrap_or(1);
                let lanes: Vec<Lane> = args.iter().flat_map(|a| self.lanes(a)).collect();
                // A varying argument may stand for several components.
                if lanes.contains(&Lane::Varying) {
                    vec![Lane::Varying; n]
                } else {
                    footprint::fit(lanes, n)
                }
            }
            ExprKind::Cast(t, a) => footprint::cast(self.lanes(a), t),
            ExprKind::Member(b, m) => {
                footprint::swizzle(&self.lanes(b), m).unwrap_or_else(|| vec![Lane::Varying])
            }
            _ => vec![Lane::Varying],
        }
    }

    /// [`Translator::lanes`] of a name.
    fn ident_lanes(&self, name: &str) -> Vec<Lane> {
        if let Some(sym) = self.local(name) {
            return match self.forms.get(&sym.wgsl) {
                Some(lanes) => lanes.clone(),
                None => footprint::varying(&sym.ty),
            };
        }
        if let Some(sym) = self.globals.get(name) {
            return footprint::varying(&sym.ty);
        }
        let scaled = |k, w, h| Lane::Known(Scaled { k, w, h });
        if let Some((wgsl, ty)) = env::builtin_value(name) {
            // A register the shader writes has a private copy, which varies.
            if builtin_register(&wgsl).is_some_and(|(reg, _)| self.writable.contains(reg)) {
                return footprint::varying(&ty);
            }
            if name == "texsize" {
                return vec![
                    scaled(1.0, 1, 0),
                    scaled(1.0, 0, 1),
                    scaled(1.0, -1, 0),
                    scaled(1.0, 0, -1),
                ];
            }
            return vec![Lane::Uniform; footprint::width(&ty).unwrap_or(1)];
        }
        if let Some(tex) = name.strip_prefix("texsize_") {
            return match env::builtin_source(tex).and_then(|(s, _)| s.noise_side()) {
                Some(n) => {
                    let n = f64::from(n);
                    [n, n, 1.0 / n, 1.0 / n].map(|k| scaled(k, 0, 0)).to_vec()
                }
                None => vec![Lane::Uniform; 4],
            };
        }
        vec![Lane::Varying]
    }

    fn is_sampler_name(&self, name: &str) -> bool {
        self.lookup(name).is_none()
            && (self.samplers.contains_key(name)
                || env::split_sampler(name)
                    .is_some_and(|(_, _, t)| env::builtin_source(t).is_some()))
    }

    pub fn expr(&mut self, e: &Expr) -> Result<(String, Type), Error> {
        let pos = e.pos;
        Ok(match &e.kind {
            ExprKind::Int(v, unsigned) => {
                if *unsigned && *v <= u32::MAX as u64 {
                    (format!("{v}u"), Type::Scalar(Scalar::Uint))
                } else if *v <= i32::MAX as u64 {
                    (format!("{v}i"), Type::Scalar(Scalar::Int))
                } else {
                    (float_lit(*v as f64), F)
                }
            }
            ExprKind::Float(v) => (float_lit(*v), F),
            ExprKind::Bool(b) => (b.to_string(), Type::Scalar(Scalar::Bool)),
            ExprKind::Ident(name) => {
                if let Some(s) = self.lookup(name) {
                    (s.wgsl, s.ty)
                } else if let Some(tex) = name.strip_prefix("texsize_") {
                    (self.texsize(tex), Type::Vector(Scalar::Float, 4))
                } else if self.is_sampler_name(name) {
                    (name.clone(), Type::Sampler(SamplerDim::D2))
                } else {
                    return err(pos, format!("unknown name `{name}`"));
                }
            }
            ExprKind::Unary(op, a) => {
                let (w, t) = self.expr(a)?;
                match *op {
                    "+" => (w, t),
                    "!" => {
                        let Some((_, n)) = shape(&t) else {
                            return err(pos, format!("cannot apply `!` to {}", self.tname(&t)));
                        };
                        let bt = make(Scalar::Bool, n);
                        (format!("(!{})", self.conv(&w, &t, &bt, pos)?), bt)
                    }
                    "~" => return err(pos, bitwise_refused(op)),
                    _ => match &t {
                        Type::Matrix(..) => (format!("(({w}) * -1.0f)"), t),
                        _ => {
                            let Some((s, n)) = shape(&t) else {
                                return err(pos, format!("cannot negate {}", self.tname(&t)));
                            };
                            let s = match s {
                                Scalar::Bool | Scalar::Uint => Scalar::Int,
                                s => s,
                            };
                            let nt = make(s, n);
                            (format!("(-({}))", self.conv(&w, &t, &nt, pos)?), nt)
                        }
                    },
                }
            }
            ExprKind::Binary(op, a, b) => self.binary(op, a, b, pos)?,
            ExprKind::Ternary(c, a, b) => {
                let (cw, ct) = self.expr(c)?;
                let (aw, at) = self.expr(a)?;
                let (bw, bt) = self.expr(b)?;
                let mut t = if at == bt {
                    at.clone()
                } else {
                    common(&at, &bt).ok_or_else(|| {
                        Error::type_error(
                            pos,
                            format!(
                                "`?:` branches {} and {} differ",
                                self.tname(&at),
                                self.tname(&bt)
                            ),
                        )
                    })?
                };
                let cn = shape(&ct).map(|(_, n)| n).unwrap_or(0);
                if let Some((s, 0)) = shape(&t)
                    && cn > 0
                {
                    t = make(s, cn);
                }
                let tn = shape(&t).map(|(_, n)| n).unwrap_or(0);
                let cond_t = make(Scalar::Bool, if cn == 0 { 0 } else { tn });
                let cw = self.conv(&cw, &ct, &cond_t, c.pos)?;
                let aw = self.conv(&aw, &at, &t, a.pos)?;
                let bw = self.conv(&bw, &bt, &t, b.pos)?;
                (format!("select({bw}, {aw}, {cw})"), t)
            }
            ExprKind::Assign(op, l, r) => self.assign(op, l, r, pos)?,
            ExprKind::IncDec(op, prefix, a) => {
                let lv = self.lvalue(a)?;
                let (cur, t) = self.read_lvalue(&lv);
                let Some((s, n)) = shape(&t) else {
                    return err(pos, format!("cannot apply `{op}` to {}", self.tname(&t)));
                };
                let one = match s {
                    Scalar::Float => "1.0f",
                    Scalar::Uint => "1u",
                    _ => "1i",
                };
                let one = if n == 0 {
                    one.to_string()
                } else {
                    format!("{}({one})", wgsl_type(&t))
                };
                let sign = if *op == "++" { "+" } else { "-" };
                let old = self.fresh();
                self.line(format!("let {old} = {cur};"));
                self.store(&lv, &format!("({old} {sign} {one})"), &t, pos)?;
                if *prefix {
                    self.read_lvalue(&lv)
                } else {
                    (old, t)
                }
            }
            ExprKind::Call(name, args) => self.call(name, args, pos)?,
            ExprKind::Construct(ty, args) => self.construct(ty, args, pos)?,
            ExprKind::Cast(ty, a) => {
                if let ExprKind::InitList(items) = &a.kind {
                    return Ok((self.init_list(items, ty, pos)?, ty.clone()));
                }
                let (w, t) = self.expr(a)?;
                // Casts may also widen a scalar and truncate anything.
                (self.conv(&w, &t, ty, pos)?, ty.clone())
            }
            ExprKind::Member(base, m) => {
                let (w, t) = self.expr(base)?;
                self.member(&w, &t, m, pos)?
            }
            ExprKind::Index(base, i) => {
                let (w, t) = self.expr(base)?;
                let iw = self.index_value(i)?;
                let et = self.element_type(&t, pos)?;
                (format!("{w}[{iw}]"), et)
            }
            ExprKind::InitList(_) => return err(pos, "`{...}` is only allowed in initializers"),
            ExprKind::Comma(a, b) => {
                self.effect(a)?;
                self.expr(b)?
            }
        })
    }

    fn index_value(&mut self, i: &Expr) -> Result<String, Error> {
        let (w, t) = self.expr(i)?;
        self.conv(&w, &t, &Type::Scalar(Scalar::Int), i.pos)
    }

    fn element_type(&self, t: &Type, pos: usize) -> Result<Type, Error> {
        Ok(match t {
            Type::Array(e, _) => (**e).clone(),
            Type::Vector(s, _) => Type::Scalar(*s),
            Type::Matrix(_, c) => Type::Vector(Scalar::Float, *c),
            _ => return err(pos, format!("cannot index {}", self.tname(t))),
        })
    }

    /// Swizzle letters to component indices.
    fn swizzle(m: &str) -> Option<Vec<usize>> {
        if m.is_empty() || m.len() > 4 {
            return None;
        }
        let xyzw = m.chars().all(|c| "xyzw".contains(c));
        let rgba = m.chars().all(|c| "rgba".contains(c));
        if !xyzw && !rgba {
            return None;
        }
        Some(
            m.chars()
                .map(|c| "xyzw".find(c).or_else(|| "rgba".find(c)).unwrap_or(0))
                .collect(),
        )
    }

    /// Matrix element names `_m01` (0-based) and `_12` (1-based).
    fn matrix_elems(m: &str) -> Option<Vec<(usize, usize)>> {
        let mut out = Vec::new();
        let mut rest = m;
        while !rest.is_empty() {
            let r = rest.strip_prefix('_')?;
            let (zero, r) = match r.strip_prefix('m') {
                Some(r) => (true, r),
                None => (false, r),
            };
            let b = r.as_bytes();
            if b.len() < 2 || !b[0].is_ascii_digit() || !b[1].is_ascii_digit() {
                return None;
            }
            let (mut i, mut j) = ((b[0] - b'0') as usize, (b[1] - b'0') as usize);
            if !zero {
                if i == 0 || j == 0 {
                    return None;
                }
                i -= 1;
                j -= 1;
            }
            out.push((i, j));
            rest = &r[2..];
        }
        (!out.is_empty() && out.len() <= 4).then_some(out)
    }

    fn member(&mut self, w: &str, t: &Type, m: &str, pos: usize) -> Result<(String, Type), Error> {
        match t {
            Type::Struct(i) => {
                let Some((ft, _)) = self.shader.structs[*i].fields.iter().find(|(_, n)| n == m)
                else {
                    return err(pos, format!("no field `{m}`"));
                };
                Ok((format!("{w}.m_{m}"), ft.clone()))
            }
            Type::Matrix(r, c) => {
                let Some(el) = Self::matrix_elems(m) else {
                    return err(pos, format!("bad matrix member `.{m}`"));
                };
                if el
                    .iter()
                    .any(|(i, j)| *i >= *r as usize || *j >= *c as usize)
                {
                    return err(pos, format!("`.{m}` is out of range"));
                }
                let parts: Vec<String> = el.iter().map(|(i, j)| format!("{w}[{i}][{j}]")).collect();
                if parts.len() == 1 {
                    Ok((parts[0].clone(), F))
                } else {
                    let n = parts.len() as u8;
                    Ok((
                        format!("vec{n}<f32>({})", parts.join(", ")),
                        make(Scalar::Float, n),
                    ))
                }
            }
            _ => {
                let Some((s, n)) = shape(t) else {
                    return err(pos, format!("{} has no member `.{m}`", self.tname(t)));
                };
                let Some(idx) = Self::swizzle(m) else {
                    return err(pos, format!("bad swizzle `.{m}`"));
                };
                let width = n.max(1) as usize;
                if idx.iter().any(|&i| i >= width) {
                    return err(
                        pos,
                        format!("swizzle `.{m}` is out of range for {}", self.tname(t)),
                    );
                }
                let rt = make(s, if idx.len() == 1 { 0 } else { idx.len() as u8 });
                if n == 0 {
                    // Swizzling a scalar repeats it.
                    return Ok(if idx.len() == 1 {
                        (w.to_string(), rt)
                    } else {
                        (format!("{}({w})", wgsl_type(&rt)), rt)
                    });
                }
                let sw: String = idx.iter().map(|&i| COMPS[i]).collect();
                Ok((format!("{w}.{sw}"), rt))
            }
        }
    }

    fn lvalue(&mut self, e: &Expr) -> Result<LValue, Error> {
        match &e.kind {
            ExprKind::Ident(name) => match self.lookup(name) {
                Some(s) if s.mutable => {
                    // A writable copy of a uniform register with a swizzle.
                    if let Some((base, sw)) = s
                        .wgsl
                        .strip_prefix("w_")
                        .and_then(|_| s.wgsl.split_once('.'))
                    {
                        let reg_t = if base.starts_with("w_rot_") {
                            Type::Matrix(4, 3)
                        } else {
                            Type::Vector(Scalar::Float, 4)
                        };
                        return Ok(LValue {
                            base: base.to_string(),
                            ty: reg_t,
                            swizzle: Self::swizzle(sw),
                        });
                    }
                    Ok(LValue {
                        base: s.wgsl,
                        ty: s.ty,
                        swizzle: None,
                    })
                }
                Some(s) if builtin_register(&s.wgsl).is_some() => {
                    if let Some((reg, _)) = builtin_register(&s.wgsl) {
                        self.want_writable.insert(reg.to_string());
                    }
                    err(e.pos, format!("`{name}` is read-only"))
                }
                Some(_) => err(e.pos, format!("`{name}` is read-only")),
                None => err(e.pos, format!("unknown name `{name}`")),
            },
            ExprKind::Index(b, i) => {
                let lv = self.lvalue(b)?;
                if lv.swizzle.is_some() {
                    return Err(Error::unsupported(
                        e.pos,
                        "indexing a swizzle in an assignment",
                    ));
                }
                let iw = self.index_value(i)?;
                let et = self.element_type(&lv.ty, e.pos)?;
                Ok(LValue {
                    base: format!("{}[{iw}]", lv.base),
                    ty: et,
                    swizzle: None,
                })
            }
            ExprKind::Member(b, m) => {
                let lv = self.lvalue(b)?;
                if lv.swizzle.is_some() {
                    return Err(Error::unsupported(
                        e.pos,
                        "swizzle of a swizzle in an assignment",
                    ));
                }
                match &lv.ty {
                    Type::Struct(_) | Type::Matrix(..) => {
                        let (w, t) = self.member(&lv.base, &lv.ty, m, e.pos)?;
                        if w.starts_with("vec") {
                            return Err(Error::unsupported(
                                e.pos,
                                "writing several matrix elements at once",
                            ));
                        }
                        Ok(LValue {
                            base: w,
                            ty: t,
                            swizzle: None,
                        })
                    }
                    t => {
                        let Some((_, n)) = shape(t) else {
                            return err(e.pos, "bad assignment target");
                        };
                        let Some(idx) = Self::swizzle(m) else {
                            return err(e.pos, format!("bad swizzle `.{m}`"));
                        };
                        if idx.iter().any(|&i| i >= n.max(1) as usize) {
                            return err(e.pos, format!("swizzle `.{m}` is out of range"));
                        }
                        let mut seen = [false; 4];
                        for &i in &idx {
                            if seen[i] {
                                return err(e.pos, format!("`.{m}` writes a component twice"));
                            }
                            seen[i] = true;
                        }
                        if n == 0 {
                            return Ok(lv);
                        }
                        Ok(LValue {
                            base: lv.base,
                            ty: lv.ty,
                            swizzle: Some(idx),
                        })
                    }
                }
            }
            _ => err(e.pos, "not an assignable expression"),
        }
    }

    /// The value an lvalue currently holds.
    fn read_lvalue(&self, lv: &LValue) -> (String, Type) {
        match &lv.swizzle {
            None => (lv.base.clone(), lv.ty.clone()),
            Some(idx) => {
                let s = shape(&lv.ty).map(|(s, _)| s).unwrap_or(Scalar::Float);
                let sw: String = idx.iter().map(|&i| COMPS[i]).collect();
                (
                    format!("{}.{sw}", lv.base),
                    make(s, if idx.len() == 1 { 0 } else { idx.len() as u8 }),
                )
            }
        }
    }

    /// Writes `value` (of type `vt`) through `lv`.
    fn store(&mut self, lv: &LValue, value: &str, vt: &Type, pos: usize) -> Result<(), Error> {
        // Whatever was known of the variable no longer holds (a top-level
        // whole assignment sets it again afterwards, see `stmt`).
        let root = lv.base.split(['[', '.']).next().unwrap_or(&lv.base);
        self.forms.remove(root);
        let (_, target_t) = self.read_lvalue(lv);
        let v = self.conv(value, vt, &target_t, pos)?;
        match &lv.swizzle {
            None => self.line(format!("{} = {v};", lv.base)),
            Some(idx) if idx.len() == 1 => {
                self.line(format!("{}.{} = {v};", lv.base, COMPS[idx[0]]))
            }
            Some(idx) => {
                let t = self.fresh();
                self.line(format!("let {t} = {v};"));
                for (k, &i) in idx.iter().enumerate() {
                    self.line(format!("{}.{} = {t}.{};", lv.base, COMPS[i], COMPS[k]));
                }
            }
        }
        Ok(())
    }

    fn assign(
        &mut self,
        op: &str,
        l: &Expr,
        r: &Expr,
        pos: usize,
    ) -> Result<(String, Type), Error> {
        let (rw, rt) = self.expr(r)?;
        let lv = self.lvalue(l)?;
        if op == "=" {
            if let Some(idx) = &lv.swizzle {
                // HLSL also accepts writing a scalar to several components.
                let _ = idx;
            }
            self.store(&lv, &rw, &rt, pos)?;
        } else {
            let (cur, ct) = self.read_lvalue(&lv);
            let bop = &op[..op.len() - 1];
            let plain = plain_arithmetic(bop, None, r);
            let (v, vt) = self.binary_values(bop, (cur, ct), (rw, rt), plain, pos)?;
            self.store(&lv, &v, &vt, pos)?;
        }
        Ok(self.read_lvalue(&lv))
    }

    fn binary(
        &mut self,
        op: &'static str,
        a: &Expr,
        b: &Expr,
        pos: usize,
    ) -> Result<(String, Type), Error> {
        let plain = plain_arithmetic(op, Some(a), b);
        let av = self.expr(a)?;
        let bv = self.expr(b)?;
        self.binary_values(op, av, bv, plain, pos)
    }

    /// `a op b` of translated operands. `plain`: the operands' literals
    /// make IEEE arithmetic give Direct3D 9's result ([`plain_arithmetic`]).
    fn binary_values(
        &mut self,
        op: &str,
        (aw, at): (String, Type),
        (bw, bt): (String, Type),
        plain: bool,
        pos: usize,
    ) -> Result<(String, Type), Error> {
        if matches!(at, Type::Matrix(..)) || matches!(bt, Type::Matrix(..)) {
            return self.matrix_binary(op, (aw, at), (bw, bt), pos);
        }
        let Some(ct) = common(&at, &bt) else {
            return err(
                pos,
                format!(
                    "cannot apply `{op}` to {} and {}",
                    self.tname(&at),
                    self.tname(&bt)
                ),
            );
        };
        let (s, n) = shape(&ct).unwrap_or((Scalar::Float, 0));
        match op {
            "%" if s == Scalar::Float && self.options.butterchurn_mod => {
                let t = make(s, n);
                let a = self.conv(&aw, &at, &t, pos)?;
                let b = self.conv(&bw, &bt, &t, pos)?;
                Ok((format!("({a} - {b} * floor({a} / {b}))"), t))
            }
            "*" | "/" | "%" if s == Scalar::Float && !plain && !self.options.butterchurn_nan => {
                let t = make(s, n);
                let a = self.conv(&aw, &at, &t, pos)?;
                let b = self.conv(&bw, &bt, &t, pos)?;
                let helper = self.d3d9_arithmetic(op, &t);
                Ok((format!("{helper}({a}, {b})"), t))
            }
            "+" | "-" | "*" | "/" | "%" => {
                let t = make(s.max(Scalar::Int), n);
                let a = self.conv(&aw, &at, &t, pos)?;
                let b = self.conv(&bw, &bt, &t, pos)?;
                Ok((format!("({a} {op} {b})"), t))
            }
            "<" | ">" | "<=" | ">=" | "==" | "!=" => {
                let t = if s == Scalar::Bool && !matches!(op, "==" | "!=") {
                    make(Scalar::Int, n)
                } else {
                    ct.clone()
                };
                let a = self.conv(&aw, &at, &t, pos)?;
                let b = self.conv(&bw, &bt, &t, pos)?;
                Ok((format!("({a} {op} {b})"), make(Scalar::Bool, n)))
            }
            "&&" | "||" => {
                let t = make(Scalar::Bool, n);
                let a = self.conv(&aw, &at, &t, pos)?;
                let b = self.conv(&bw, &bt, &t, pos)?;
                let wop = if n == 0 {
                    op
                } else if op == "&&" {
                    "&"
                } else {
                    "|"
                };
                Ok((format!("({a} {wop} {b})"), t))
            }
            "&" | "|" | "^" | "<<" | ">>" => err(pos, bitwise_refused(op)),
            _ => err(pos, format!("unknown operator `{op}`")),
        }
    }

    /// Names (and registers) the helper that multiplies, divides or takes
    /// the remainder of floats of type `t` as MilkDrop 2's Direct3D 9 does.
    ///
    /// Direct3D 9's shader multiply (`mul`, `mad`, the dot products) makes
    /// 0 times anything 0, infinity and NaN included (the rule AMD's
    /// `v_mul_legacy_f32` and DXVK's `d3d9.floatEmulation` keep for
    /// Direct3D 9 programs), and fxc compiles `a / b` into `a * rcp(b)`,
    /// where `rcp(0)` is infinity and `rcp(±inf)` is 0. So 0 / 0 is 0 and
    /// inf / inf is 0, where IEEE arithmetic (WGSL's) gives NaN, which a
    /// render target stores as black: a preset dividing by a `q` variable
    /// it never sets draws its picture in MilkDrop 2 and a black frame in
    /// engines with IEEE arithmetic.
    fn d3d9_arithmetic(&mut self, op: &str, t: &Type) -> String {
        let ty = wgsl_type(t);
        // The helpers test with `|`, not `||`: no short circuit, no branch.
        let zero = float_constant(t, "0.0f");
        // FLT_MAX: Kefir's stand-in for Direct3D 9's infinity (see `/`).
        let max = format!("{ty}(3.40282347e38f)");
        let suffix = helper_suffix(t);
        if op == "*" {
            let name = format!("d3d9_mul{suffix}");
            self.helpers.insert(format!(
                "fn {name}(a: {ty}, b: {ty}) -> {ty} {{\n    \
                 return select(a * b, {zero}, (a == {zero}) | (b == {zero}));\n}}"
            ));
            name
        } else if op == "%" {
            // fxc writes `a % b` as `frc(|a * rcp(b)|)`, signed as `a`,
            // times `b`: that last multiply makes x % 0 (and x % inf) 0,
            // where WGSL's `a - b * trunc(a / b)` is NaN.
            let name = format!("d3d9_rem{suffix}");
            self.helpers.insert(format!(
                "fn {name}(a: {ty}, b: {ty}) -> {ty} {{\n    \
                 return select(a % b, {zero}, (b == {zero}) | (abs(b) >= {max}));\n}}"
            ));
            name
        } else {
            // x / 0 is ±infinity in Direct3D 9; it is written as ±FLT_MAX
            // (WGSL has no infinite constants, and llvmpipe's division
            // gives NaN there), which FLT_MAX then also stands for as a
            // divisor (rcp(inf) = 0). Both store as 1 in a render target.
            let name = format!("d3d9_div{suffix}");
            self.helpers.insert(format!(
                "fn {name}(a: {ty}, b: {ty}) -> {ty} {{\n    \
                 let q = select(a / b, sign(a) * {max}, b == {zero});\n    \
                 return select(q, {zero}, (a == {zero}) | (abs(b) >= {max}));\n}}"
            ));
            name
        }
    }

    /// Component-wise arithmetic with matrices (HLSL `*` is not a matrix
    /// product; that is `mul`).
    fn matrix_binary(
        &mut self,
        op: &str,
        (aw, at): (String, Type),
        (bw, bt): (String, Type),
        pos: usize,
    ) -> Result<(String, Type), Error> {
        if !matches!(op, "+" | "-" | "*" | "/") {
            return err(pos, format!("cannot apply `{op}` to matrices"));
        }
        let mt = match (&at, &bt) {
            (Type::Matrix(..), Type::Matrix(..)) if at == bt => at.clone(),
            (Type::Matrix(..), o) | (o, Type::Matrix(..)) if matches!(o, Type::Scalar(_)) => {
                if matches!(at, Type::Matrix(..)) {
                    at.clone()
                } else {
                    bt.clone()
                }
            }
            _ => {
                return err(
                    pos,
                    format!(
                        "cannot apply `{op}` to {} and {}",
                        self.tname(&at),
                        self.tname(&bt)
                    ),
                );
            }
        };
        let Type::Matrix(r, _) = mt else {
            return err(pos, "matrix expected");
        };
        let side = |w: &str, t: &Type, me: &mut Self| -> Result<(String, bool), Error> {
            let tmp = me.fresh();
            if let Type::Matrix(..) = t {
                me.line(format!("let {tmp} = {w};"));
                Ok((tmp, true))
            } else {
                let v = me.conv(w, t, &F, pos)?;
                me.line(format!("let {tmp} = {v};"));
                Ok((tmp, false))
            }
        };
        let (a, am) = side(&aw, &at, self)?;
        let (b, bm) = side(&bw, &bt, self)?;
        let cols: Vec<String> = (0..r)
            .map(|i| {
                let x = if am { format!("{a}[{i}]") } else { a.clone() };
                let y = if bm { format!("{b}[{i}]") } else { b.clone() };
                format!("({x} {op} {y})")
            })
            .collect();
        Ok((format!("{}({})", wgsl_type(&mt), cols.join(", ")), mt))
    }

    fn construct(&mut self, ty: &Type, args: &[Expr], pos: usize) -> Result<(String, Type), Error> {
        let mut vals = Vec::new();
        for a in args {
            vals.push(self.expr(a)?);
        }
        match ty {
            Type::Scalar(_) => {
                if vals.len() != 1 {
                    return err(pos, "a scalar constructor takes one argument");
                }
                Ok((self.conv(&vals[0].0, &vals[0].1, ty, pos)?, ty.clone()))
            }
            Type::Vector(s, n) => {
                let n = *n as usize;
                if vals.len() == 1 {
                    let (w, t) = &vals[0];
                    if let Some((_, 0)) = shape(t) {
                        return Ok((self.conv(w, t, ty, pos)?, ty.clone()));
                    }
                }
                let mut parts = Vec::new();
                let mut count = 0;
                for (w, t) in &vals {
                    match shape(t) {
                        Some((_, k)) => {
                            let k = k.max(1) as usize;
                            parts.push(self.conv(
                                w,
                                t,
                                &make(*s, if k == 1 { 0 } else { k as u8 }),
                                pos,
                            )?);
                            count += k;
                        }
                        None if matches!(t, Type::Matrix(2, 2)) && n == 4 => {
                            parts.push(format!("vec4<f32>(({w})[0], ({w})[1])"));
                            count += 4;
                        }
                        None => {
                            return err(
                                pos,
                                format!("cannot build {} from {}", self.tname(ty), self.tname(t)),
                            );
                        }
                    }
                }
                if count != n {
                    return err(
                        pos,
                        format!("{} needs {n} components, got {count}", self.tname(ty)),
                    );
                }
                Ok((
                    format!("{}({})", wgsl_type(ty), parts.join(", ")),
                    ty.clone(),
                ))
            }
            Type::Matrix(r, c) => {
                let (r, c) = (*r as usize, *c as usize);
                let row_t = Type::Vector(Scalar::Float, c as u8);
                // butterchurn's reading: square matrices built here from
                // vectors come out transposed (`Options::butterchurn_matrices`).
                let from_vectors = vals.iter().any(|(_, t)| !matches!(t, Type::Scalar(_)));
                let transposed = self.options.butterchurn_matrices && r == c && from_vectors;
                let built = |text: String| {
                    if transposed {
                        format!("transpose({text})")
                    } else {
                        text
                    }
                };
                if vals.len() == r && vals.iter().all(|(_, t)| *t == row_t) {
                    let parts: Vec<String> = vals.iter().map(|(w, _)| w.clone()).collect();
                    return Ok((
                        built(format!("{}({})", wgsl_type(ty), parts.join(", "))),
                        ty.clone(),
                    ));
                }
                if vals.len() == 1 {
                    let (w, t) = &vals[0];
                    if let Type::Matrix(..) = t {
                        return Ok((self.conv(w, t, ty, pos)?, ty.clone()));
                    }
                }
                // Flatten everything into scalars.
                let mut scalars = Vec::new();
                for (w, t) in &vals {
                    match shape(t) {
                        Some((_, 0)) => scalars.push(self.conv(w, t, &F, pos)?),
                        Some((_, k)) => {
                            let v = self.conv(w, t, &Type::Vector(Scalar::Float, k), pos)?;
                            let tmp = self.fresh();
                            self.line(format!("let {tmp} = {v};"));
                            for c in COMPS.iter().take(k as usize) {
                                scalars.push(format!("{tmp}.{c}"));
                            }
                        }
                        None => {
                            return err(
                                pos,
                                format!("cannot build {} from {}", self.tname(ty), self.tname(t)),
                            );
                        }
                    }
                }
                if scalars.len() == 1 {
                    let tmp = self.fresh();
                    self.line(format!("let {tmp} = {};", scalars[0]));
                    scalars = vec![tmp; r * c];
                }
                if scalars.len() != r * c {
                    return err(
                        pos,
                        format!(
                            "{} needs {} components, got {}",
                            self.tname(ty),
                            r * c,
                            scalars.len()
                        ),
                    );
                }
                Ok((
                    built(format!("{}({})", wgsl_type(ty), scalars.join(", "))),
                    ty.clone(),
                ))
            }
            _ => err(pos, format!("cannot construct {}", self.tname(ty))),
        }
    }

    // ---------------------------------------------------------------- calls

    fn call(&mut self, name: &str, args: &[Expr], pos: usize) -> Result<(String, Type), Error> {
        if let Some(list) = self.functions.get(name).cloned() {
            return self.user_call(name, &list, args, pos);
        }
        crate::intrinsics::call(self, name, args, pos)
    }

    fn user_call(
        &mut self,
        name: &str,
        list: &[FnSig],
        args: &[Expr],
        pos: usize,
    ) -> Result<(String, Type), Error> {
        // Parameters left out take their default values.
        let takes = |s: &FnSig, n: usize| {
            s.params.len() >= n && s.params[n..].iter().all(|p| p.default.is_some())
        };
        let full: Vec<Expr>;
        let args = match list
            .iter()
            .filter(|s| takes(s, args.len()))
            .min_by_key(|s| s.params.len())
        {
            Some(s) if s.params.len() > args.len() => {
                full = args
                    .iter()
                    .cloned()
                    .chain(
                        s.params[args.len()..]
                            .iter()
                            .filter_map(|p| p.default.clone()),
                    )
                    .collect();
                &full[..]
            }
            _ => args,
        };
        let cands: Vec<&FnSig> = list
            .iter()
            .filter(|s| s.params.len() == args.len())
            .collect();
        if cands.is_empty() {
            return err(pos, format!("no `{name}` takes {} arguments", args.len()));
        }
        // Evaluate `in` arguments; keep lvalues for `out`/`inout`.
        let mut vals = Vec::new();
        for (i, a) in args.iter().enumerate() {
            let by_ref = cands.iter().any(|s| s.params[i].mode != ParamMode::In);
            if by_ref {
                vals.push(None);
            } else {
                vals.push(Some(self.expr(a)?));
            }
        }
        // Pick the overload with the most exactly matching argument types.
        let sig = (*cands
            .iter()
            .max_by_key(|s| {
                s.params
                    .iter()
                    .zip(&vals)
                    .filter(|(p, v)| v.as_ref().is_some_and(|(_, t)| *t == p.ty))
                    .count()
            })
            .unwrap_or(&cands[0]))
        .clone();
        let mut parts = Vec::new();
        let mut writeback = Vec::new();
        for (i, (p, v)) in sig.params.iter().zip(vals).enumerate() {
            match (p.mode, v) {
                (ParamMode::In, Some((w, t))) => {
                    parts.push(self.conv(&w, &t, &p.ty, args[i].pos)?)
                }
                (ParamMode::In, None) => parts.push(self.value_as(&args[i], &p.ty)?),
                (mode, _) => {
                    let lv = self.lvalue(&args[i])?;
                    let tmp = self.fresh();
                    let pt = wgsl_type(&p.ty);
                    if mode == ParamMode::InOut {
                        let (cw, ct) = self.read_lvalue(&lv);
                        let v = self.conv(&cw, &ct, &p.ty, args[i].pos)?;
                        self.line(format!("var {tmp}: {pt} = {v};"));
                    } else {
                        self.line(format!("var {tmp}: {pt};"));
                    }
                    parts.push(format!("&{tmp}"));
                    writeback.push((lv, tmp, p.ty.clone(), args[i].pos));
                }
            }
        }
        let call = format!("{}({})", sig.wgsl, parts.join(", "));
        if writeback.is_empty() {
            if sig.ret == Type::Void {
                self.line(format!("{call};"));
                return Ok((String::new(), Type::Void));
            }
            return Ok((call, sig.ret));
        }
        let result = if sig.ret == Type::Void {
            self.line(format!("{call};"));
            (String::new(), Type::Void)
        } else {
            let r = self.fresh();
            self.line(format!("let {r} = {call};"));
            (r, sig.ret.clone())
        };
        for (lv, tmp, t, p) in writeback {
            self.store(&lv, &tmp, &t, p)?;
        }
        Ok(result)
    }

    // Helpers for the intrinsics module.

    pub(crate) fn eval(&mut self, e: &Expr) -> Result<(String, Type), Error> {
        self.expr(e)
    }
    pub(crate) fn convert_to(
        &self,
        w: &str,
        from: &Type,
        to: &Type,
        pos: usize,
    ) -> Result<String, Error> {
        self.conv(w, from, to, pos)
    }
    pub(crate) fn type_name(&self, t: &Type) -> String {
        self.tname(t)
    }
    pub(crate) fn emit(&mut self, s: String) {
        self.line(s);
    }
    pub(crate) fn temp(&mut self) -> String {
        self.fresh()
    }
    pub(crate) fn sampler(&mut self, e: &Expr, dim: SamplerDim) -> Result<(String, String), Error> {
        match &e.kind {
            ExprKind::Ident(n) if self.is_sampler_name(n) => {
                self.use_sampler(&n.clone(), dim, e.pos)
            }
            _ => err(e.pos, "expected a sampler"),
        }
    }
    /// Whether texture `source` has mip levels here: as MilkDrop 2 makes
    /// it ([`TextureSource::has_mips`]), or the frame too under
    /// [`crate::Options::butterchurn_mipmaps`].
    pub(crate) fn source_has_mips(&self, source: &TextureSource) -> bool {
        source.has_mips()
            || (self.options.butterchurn_mipmaps && matches!(source, TextureSource::Main))
    }
    /// Whether the texture behind sampler expression `e` has mip levels
    /// ([`Translator::source_has_mips`]), so `tex2D`/`tex3D` take the level
    /// from the coordinates' derivatives.
    pub(crate) fn sampler_has_mips(&self, e: &Expr) -> bool {
        let ExprKind::Ident(name) = &e.kind else {
            return false;
        };
        self.layout
            .textures
            .iter()
            .any(|t| t.sampler_name == *name && self.source_has_mips(&t.source))
    }
    /// Whether 2D sampler expression `e` filters linearly a texture
    /// MilkDrop 2 gives mip levels (not a `pw_`/`pc_` point sampler, not
    /// the frame: butterchurn's frame samplers are not anisotropic, though
    /// its frame textures are).
    pub(crate) fn sampler_filters_mips(&self, e: &Expr) -> bool {
        let ExprKind::Ident(name) = &e.kind else {
            return false;
        };
        self.sampler_source(name, SamplerDim::D2, e.pos)
            .is_ok_and(|(filter, _, source)| filter == env::Filter::Linear && source.has_mips())
    }
    pub(crate) fn builtin_sampler(
        &mut self,
        name: &str,
        pos: usize,
    ) -> Result<(String, String), Error> {
        self.use_sampler(name, SamplerDim::D2, pos)
    }
    pub(crate) fn store_to(&mut self, target: &Expr, value: &str, vt: &Type) -> Result<(), Error> {
        let lv = self.lvalue(target)?;
        self.store(&lv, value, vt, target.pos)
    }
}

/// Whether IEEE arithmetic gives Direct3D 9's result for `a op b` (`a`
/// absent: a compound assignment) from the operands' literals alone: a
/// product with a non-zero finite literal factor (0 times it is 0 either
/// way, and it turns no infinity or NaN into 0), or a quotient or
/// remainder by one; a vector of such literals (`float3(0.4, 0.6, 1)`)
/// counts too. Saves the Direct3D 9 helper on the many `x * 0.5`, `x / 2`
/// and `x % 1` of presets.
fn plain_arithmetic(op: &str, a: Option<&Expr>, b: &Expr) -> bool {
    let exact = |e: &Expr| {
        crate::intrinsics::literal_components(e).is_some_and(|vs| {
            vs.iter()
                .all(|v| *v != 0.0 && v.is_finite() && v.abs() < 3.4e38)
        })
    };
    match op {
        "*" => exact(b) || a.is_some_and(exact),
        "/" | "%" => exact(b),
        _ => true,
    }
}
