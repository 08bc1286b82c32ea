//! MilkDrop's HLSL pixel-shader dialect -> a validated [`naga::Module`] and
//! WGSL text.
//!
//! MilkDrop 2 presets carry a warp and a composite shader: HLSL (shader model
//! 2/3 era) with a `shader_body { ... }` block and a large set of names that
//! MilkDrop's shader prefix defines (q1..q32, `time`, `GetPixel`, the
//! `sampler_*` textures, ...). naga has no HLSL front-end, so this crate
//! translates:
//!
//! 1. [`lexer`] (nom) -> tokens with byte offsets;
//! 2. [`preprocess`]: `#define`, `#if` & co. on tokens;
//! 3. [`parser`]: recursive descent into [`ast`] with positions;
//! 4. [`mod@translate`]: a type checker that applies HLSL's implicit conversions
//!    ([`types`]) and intrinsic overloads ([`intrinsics`]) and writes WGSL,
//!    with MilkDrop's environment ([`mod@env`]) as a prelude;
//! 5. naga's WGSL front-end parses that text and its validator checks it, so
//!    nothing invalid reaches the GPU. The validated module goes to wgpu as
//!    it is (or the checked text, where wgpu takes text: the browser);
//!    [`Translation::naga_wgsl`] writes naga's normalised WGSL on demand
//!    (snapshots, debugging).
//!
//! The language is fxc's for shader models 2 and 3, which MilkDrop 2
//! compiles for, and so is the arithmetic: Direct3D 9's, not IEEE's. 0 times
//! anything is 0 (so x / 0 is ±FLT_MAX, 0 / 0, x % 0 and 0^0 are 0 or 1 as
//! there), `sqrt`, `log` and `pow` take |x|, `acos`/`asin` are fxc's finite
//! expansions, `round` is `floor(x + 0.5)`; bitwise operators and shader
//! model 5's intrinsics fail as fxc fails them. [`Options`] keeps butterchurn's readings for comparisons;
//! `docs/architecture.md` lists the rules with their sources.
//!
//! Errors are values ([`Error`]) with the line and column in the preset file
//! (when translating a [`CodeBlock`]); no input panics.
//!
//! ```
//! use milk_hlsl::{translate_str, Stage};
//! let t = translate_str("shader_body { ret = GetPixel(uv) * q1; }", Stage::Warp).unwrap();
//! assert_eq!(t.layout.textures[0].sampler_name, "sampler_main");
//! assert!(t.source_wgsl.contains("fn fs_main"));
//! ```

pub mod ast;
pub mod env;
pub mod footprint;
pub mod intrinsics;
pub mod lexer;
pub mod parser;
pub mod preprocess;
pub mod translate;
pub mod types;

use milk_parser::preset::CodeBlock;

pub use ast::SamplerDim;
pub use env::{BindingLayout, Filter, MilkUniforms, TextureBinding, TextureSource, Wrap};
pub use footprint::Footprint;

/// Which of a preset's two shaders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// The warp shader: `uv`, `uv_orig`, `rad`, `ang`.
    Warp,
    /// The composite shader: `uv`, `rad`, `ang`, `hue_shader`, and
    /// `uv_orig` as a second name of `uv` (MilkDrop 2 defines both as
    /// `_uv.xy`: after `uv = ...` it reads the new value).
    Comp,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Warp => "warp",
            Stage::Comp => "comp",
        }
    }
}

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    /// Tokens, directives or grammar.
    Syntax,
    /// Types, names, arguments.
    Type,
    /// Valid HLSL this translator does not handle.
    Unsupported,
    /// naga rejected the generated WGSL (a translator limitation, or a
    /// shader that also fails in MilkDrop in a way we do not detect earlier).
    Validation,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax",
            ErrorKind::Type => "type",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Validation => "validation",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A shader that could not be translated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{col}: {kind} error: {message}")]
pub struct Error {
    pub kind: ErrorKind,
    /// Byte offset in the shader text.
    pub offset: usize,
    /// 1-based line and column: in the preset file for [`translate()`], in
    /// the text for [`translate_str`].
    pub line: u32,
    pub col: u32,
    pub message: String,
}

impl Error {
    fn new(kind: ErrorKind, offset: usize, message: impl Into<String>) -> Self {
        Error {
            kind,
            offset,
            line: 0,
            col: 0,
            message: message.into(),
        }
    }
    pub(crate) fn syntax(offset: usize, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Syntax, offset, message)
    }
    pub(crate) fn type_error(offset: usize, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Type, offset, message)
    }
    pub(crate) fn unsupported(offset: usize, message: impl Into<String>) -> Self {
        Self::new(
            ErrorKind::Unsupported,
            offset,
            format!("{} are not supported", message.into()),
        )
    }
}

/// A translated shader.
#[derive(Debug, Clone)]
pub struct Translation {
    /// The validated module; its fragment entry point is `fs_main`.
    pub module: naga::Module,
    pub info: naga::valid::ModuleInfo,
    /// The WGSL this crate generated, which naga parsed into `module` and
    /// validated: what an API that takes shader text can be handed.
    pub source_wgsl: String,
    /// What the engine must bind.
    pub layout: BindingLayout,
}

impl Translation {
    /// naga's WGSL for `module` (normalised: one declaration a line,
    /// generated names), written now; for snapshots and debugging.
    pub fn naga_wgsl(&self) -> Result<String, naga::back::wgsl::Error> {
        naga::back::wgsl::write_string(
            &self.module,
            &self.info,
            naga::back::wgsl::WriterFlags::empty(),
        )
    }

    /// Whether the shader can `discard` a pixel (`clip` or `discard` in
    /// the HLSL): a pass running it must start from a cleared target,
    /// one that cannot may leave the target's old contents undefined.
    pub fn discards(&self) -> bool {
        let module = &self.module;
        module.functions.iter().any(|(_, f)| block_kills(&f.body))
            || module
                .entry_points
                .iter()
                .any(|e| block_kills(&e.function.body))
    }
}

/// Whether `block` or a block inside it holds a `discard`.
fn block_kills(block: &naga::Block) -> bool {
    use naga::Statement as S;
    block.iter().any(|s| match s {
        S::Kill => true,
        S::Block(b) => block_kills(b),
        S::If { accept, reject, .. } => block_kills(accept) || block_kills(reject),
        S::Switch { cases, .. } => cases.iter().any(|c| block_kills(&c.body)),
        S::Loop {
            body, continuing, ..
        } => block_kills(body) || block_kills(continuing),
        _ => false,
    })
}

/// How to read a shader where engines differ; the default is MilkDrop 2's
/// (fxc's) reading.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Square matrices built in the shader from vectors (`float2x2(q)` of
    /// a float4, `float3x3(row, row, row)`) come out transposed, as in
    /// butterchurn's presets, whose converter fills GLSL's column-major
    /// `mat2`/`mat3` with those vectors as columns and keeps `mul`'s
    /// operand order; HLSL fills rows. (It reorders lists of scalars
    /// correctly.) For comparing with butterchurn only.
    pub butterchurn_matrices: bool,
    /// `sqrt`, `rsqrt`, `log`, `log2` and `log10` of a negative number are
    /// NaN, as in butterchurn's GLSL, instead of MilkDrop 2's Direct3D 9
    /// results of |x| (its `rsq` and `log` instructions take the absolute
    /// value); `acos` and `asin` outside [-1, 1] are NaN instead of the
    /// finite values of fxc's polynomial expansion; float `*`, `/`, `%`
    /// and `normalize` follow IEEE (0 / 0, inf * 0, x % 0 and the normal of
    /// a zero vector are NaN) instead of Direct3D 9's 0 * anything = 0; a
    /// texture read at a NaN coordinate reads at 0, as SwiftShader (which
    /// draws butterchurn's references) does, where llvmpipe returns NaN;
    /// and `pow(x, y)` is SwiftShader's `exp2(y * log2|x|)` with a log2 of
    /// 0 of -127, not -inf, so `pow(0, 0.005)` is 0.64 (measured in
    /// butterchurn's page), where Direct3D 9 and WGSL give 0 (`log2`,
    /// `log` and `log10` of 0 are as finite: -127 for log2). For
    /// comparing with butterchurn only.
    pub butterchurn_nan: bool,
    /// Float `%` floors, as GLSL's `mod`, into which butterchurn's converter
    /// turns it (`-3.0 % 2.0` is 1); HLSL's `%` truncates as C's `fmod`
    /// (-1), in MilkDrop 2's Direct3D 9 as in WGSL. For comparing with
    /// butterchurn only.
    pub butterchurn_mod: bool,
    /// A comp shader's `uv_orig` is a variable of its own (the screen
    /// position), as butterchurn's varying is, instead of MilkDrop 2's
    /// second name of `uv`. For comparing with butterchurn only.
    pub butterchurn_uv_orig: bool,
    /// `tex2D` of a mipmapped texture (noise, user images) through a
    /// filtering sampler takes its level from the read's shorter side, as
    /// butterchurn's anisotropic filtering does (it sets the maximum
    /// `TEXTURE_MAX_ANISOTROPY_EXT`, 16 in SwiftShader): a 256-texel noise
    /// texture read across 192 rows stays at level 0 there, where MilkDrop
    /// 2's trilinear filter (`ApplyShaderParams`: `bAniso = false`) mixes
    /// in level 1. The longer side's extra taps are left out, and `tex3D`
    /// stays (SwiftShader filters 3D textures isotropically, measured).
    /// For comparing with butterchurn only.
    pub butterchurn_anisotropic: bool,
    /// `tex2D` and `GetPixel` of the frame (`sampler_main` and its
    /// `fw_`/`fc_`/`pw_`/`pc_` forms) take their level from the
    /// coordinates' derivatives, as butterchurn's do: it gives its frame
    /// textures mip levels (`generateMipmap` on the previous frame every
    /// frame) and samples them with `LINEAR_MIPMAP_LINEAR`
    /// (`NEAREST_MIPMAP_NEAREST` for `pw_`/`pc_`), so a read whose
    /// coordinates move fast from pixel to pixel sees a blurred frame.
    /// MilkDrop 2's frame has one level. The engine must bind a mipmapped
    /// frame. For comparing with butterchurn only.
    pub butterchurn_mipmaps: bool,
}

/// Translates one shader block of a preset; errors carry file positions.
pub fn translate(block: &CodeBlock, stage: Stage) -> Result<Translation, Error> {
    translate_with(block, stage, &Options::default())
}

/// [`translate()`] with [`Options`].
pub fn translate_with(
    block: &CodeBlock,
    stage: Stage,
    options: &Options,
) -> Result<Translation, Error> {
    translate_text(&block.text, stage, options).map_err(|mut e| {
        let loc = block.location(e.offset);
        e.line = loc.line;
        e.col = loc.col;
        e
    })
}

/// Translates shader text; errors carry line:col within `text`.
pub fn translate_str(text: &str, stage: Stage) -> Result<Translation, Error> {
    translate(&CodeBlock::from_text(text), stage)
}

/// Upper bound on shader text accepted (MilkDrop shaders are a few KiB).
pub const MAX_SHADER_BYTES: usize = 256 * 1024;

fn translate_text(text: &str, stage: Stage, options: &Options) -> Result<Translation, Error> {
    if text.len() > MAX_SHADER_BYTES {
        return Err(Error::syntax(0, "shader text is too long"));
    }
    let tokens = lexer::tokenize(text)?;
    let tokens = preprocess::preprocess(tokens)?;
    let tokens = parser::resolve_type_names(tokens)?;
    let shader = parser::Parser::new(&tokens, text.len()).parse()?;
    let out = translate::translate(stage, &shader, options)?;
    let fallback = shader_body_pos(&shader);
    let line_pos = |line: usize| -> usize {
        // naga reports 1-based lines; walk back to the nearest mapped line.
        let mut l = line
            .saturating_sub(1)
            .min(out.line_pos.len().saturating_sub(1));
        loop {
            if let Some(Some(p)) = out.line_pos.get(l) {
                return *p;
            }
            if l == 0 {
                return fallback;
            }
            l -= 1;
        }
    };
    let module = naga::front::wgsl::parse_str(&out.wgsl).map_err(|e| {
        let line = e.location(&out.wgsl).map_or(0, |l| l.line_number as usize);
        Error::new(
            ErrorKind::Validation,
            line_pos(line),
            format!("WGSL: {}", e.message()),
        )
    })?;
    let info = naga::valid::Validator::new(
        naga::valid::ValidationFlags::all(),
        naga::valid::Capabilities::default(),
    )
    .validate(&module)
    .map_err(|e| {
        let line = e
            .spans()
            .next()
            .map(|(span, _)| span.location(&out.wgsl).line_number as usize)
            .unwrap_or(0);
        let mut msg = e.as_inner().to_string();
        let mut src = std::error::Error::source(e.as_inner());
        while let Some(s) = src {
            msg.push_str(": ");
            msg.push_str(&s.to_string());
            src = s.source();
        }
        Error::new(ErrorKind::Validation, line_pos(line), msg)
    })?;
    Ok(Translation {
        module,
        info,
        source_wgsl: out.wgsl,
        layout: out.layout,
    })
}

fn shader_body_pos(s: &ast::Shader) -> usize {
    s.items
        .iter()
        .find_map(|i| match i {
            ast::Item::Body(_, p) => Some(*p),
            _ => None,
        })
        .unwrap_or(0)
}
