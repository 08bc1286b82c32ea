//! The textures MilkDrop 2 preset shaders read besides the frame itself:
//! the six built-in noise textures and user textures (image files named by
//! the sampler, `sampler_clouds` -> `clouds.jpg`, or picked at random,
//! `sampler_rand03_smalltiled`).
//!
//! The CPU side (noise generation, finding and decoding files, random
//! picks) is plain functions, testable without a GPU; [`TextureStore`]
//! uploads on demand and caches the wgpu textures.
//!
//! # Noise, as MilkDrop 2 makes it (`CPlugin::AddNoiseTex`/`AddNoiseVol`)
//!
//! | name            | texels       | lattice spacing (`zoom_factor`) |
//! |-----------------|--------------|---------------------------------|
//! | `noise_lq`      | 256x256      | 1 (pure noise)                  |
//! | `noise_lq_lite` | 32x32        | 1                               |
//! | `noise_mq`      | 256x256      | 4                               |
//! | `noise_hq`      | 256x256      | 8                               |
//! | `noisevol_lq`   | 32x32x32     | 1                               |
//! | `noisevol_hq`   | 32x32x32     | 4                               |
//!
//! Every texel starts as four random channels, each `rand() % RANGE +
//! RANGE / 2` with `RANGE` 256 for pure noise and 216 for zoomed noise,
//! packed into one A8R8G8B8 word: values above 255 wrap (pure noise is
//! therefore uniform over 0..=255; zoomed noise's lattice values avoid
//! 68..=107) and their ninth bit lands in the next channel's lowest bit.
//! With a zoom above 1 only the texels on a lattice every `zoom` texels
//! keep their random value; the others are cubic interpolations
//! (`a0 t^3 + a1 t^2 + a2 t + y1` with `a0 = y3 - y2 - y0 + y1`,
//! `a1 = y0 - y1 - a0`, `a2 = y2 - y0`) of the four nearest lattice values
//! on the same line, clamped to 0..1 and truncated to 8 bits, first along
//! x on the lattice rows, then along y everywhere (then along z), with
//! indices wrapping so the texture tiles. `texsize_noise_*` reports the
//! texel counts above. Kefir draws the random values from its own seeded
//! generator ([`SplitMix64`]), so a seed gives the same textures. MilkDrop
//! 2 creates them with `D3DUSAGE_AUTOGENMIPMAP`; Kefir uploads a box-filtered
//! mip chain ([`mip_levels`]) and preset shaders sample them with implicit
//! levels.
//!
//! # User textures, as MilkDrop 2 finds them (`CShaderParams::CacheParams`)
//!
//! `sampler_NAME` (after any `fc_`/`fw_`/`pc_`/`pw_` prefix) that is not a
//! built-in texture names a file `NAME.jpg|dds|png|tga|bmp|dib`
//! (Windows: any case) in MilkDrop's `textures` folder or the preset's
//! folder. `randNN` with NN 00..15, optionally `randNN_PREFIX`, picks a
//! random file from the `textures` folder whose name starts with `PREFIX`
//! (any case). A texture that cannot be loaded is reported ("could not load
//! texture NAME.jpg|png|dds|etc.") and the sampler is left unbound, which
//! Direct3D 9's reference rasterizer reads as opaque black.
//!
//! MilkDrop 2 loads them with a full mip chain (`D3DX_DEFAULT` levels,
//! box filter), and so does Kefir ([`mip_levels`]; the generated stand-ins
//! too): an image drawn smaller than its texel count averages.
//!
//! Kefir differs on purpose in four details: a user texture that is not
//! on disk (or does not decode) is still reported, but drawn with one of
//! Kefir's generated images ([`crate::stand_in`]) instead of black, so a
//! preset made for MilkDrop's texture pack does not go dark without it;
//! the preset's folder is searched before the configured texture folders
//! (MilkDrop searches its `textures` folder first), the first extension in
//! [`TEXTURE_EXTENSIONS`] order wins (MilkDrop's loop loads every match
//! and keeps the last), and a `randNN` slot resolves once per preset
//! ([`TextureStore::begin_preset`]) for both shaders (MilkDrop picks per
//! shader).
//!
//! Besides files, a host can add decoded images by file name
//! ([`TextureStore::add_image`]): the browser page decodes dropped pictures
//! with the browser's own decoders (the wasm build links no image decoder)
//! and adds them. Added images are searched after the preset's folder and
//! before the texture folders, and `randNN` picks among them too.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use milk_hlsl::{SamplerDim, TextureBinding, TextureSource};

use crate::stand_in::{self, StandIn};

/// The format of every texture here: 8-bit RGBA, read without sRGB
/// decoding (MilkDrop's textures are plain A8R8G8B8 / X8R8G8B8).
pub const TEXTURE_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8Unorm;

/// What a sampler with no texture of its kind reads as (a 3D sampler
/// naming an image, the engine's own targets asked of the store): opaque
/// black, Direct3D 9's value for an unbound sampler. Missing image files
/// get a generated stand-in instead ([`crate::stand_in`]).
pub const MISSING_TEXTURE_RGBA: [u8; 4] = [0, 0, 0, 255];

/// Image files larger than this on a side are scaled down (keeping their
/// aspect ratio) when loaded.
pub const MAX_TEXTURE_SIDE: u32 = 4096;

/// The file extensions of user textures, in the order they are tried:
/// MilkDrop 2's list (`jpg dds png tga bmp dib`), plus `jpeg`.
pub const TEXTURE_EXTENSIONS: [&str; 7] = ["jpg", "dds", "png", "tga", "bmp", "dib", "jpeg"];

/// Number of `randNN` slots (`rand00`..`rand15`).
pub const RAND_SLOTS: u8 = 16;

// ---------------------------------------------------------------------------
// Random numbers

/// The engine's generator under its algorithm's name.
pub use crate::rng::Rng as SplitMix64;

/// A seed derived from `seed` and a purpose, so streams for different
/// textures or slots are unrelated.
fn derive_seed(seed: u64, purpose: u64) -> u64 {
    SplitMix64::new(seed ^ purpose.wrapping_mul(0xD1B5_4A32_D192_ED03)).next_u64()
}

// ---------------------------------------------------------------------------
// Noise

/// One of MilkDrop 2's built-in noise textures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoiseKind {
    Lq,
    LqLite,
    Mq,
    Hq,
    VolLq,
    VolHq,
}

/// A generated noise texture: `width * height * depth` RGBA texels, x
/// fastest, then y, then z.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoiseTexture {
    pub kind: NoiseKind,
    pub width: u32,
    pub height: u32,
    pub depth: u32,
    pub rgba: Vec<u8>,
}

impl NoiseTexture {
    /// The texel at (x, y, z).
    pub fn texel(&self, x: u32, y: u32, z: u32) -> [u8; 4] {
        let i = (((z * self.height + y) * self.width + x) * 4) as usize;
        [
            self.rgba[i],
            self.rgba[i + 1],
            self.rgba[i + 2],
            self.rgba[i + 3],
        ]
    }
}

impl NoiseKind {
    pub const ALL: [NoiseKind; 6] = [
        NoiseKind::Lq,
        NoiseKind::LqLite,
        NoiseKind::Mq,
        NoiseKind::Hq,
        NoiseKind::VolLq,
        NoiseKind::VolHq,
    ];

    /// The noise texture a sampler source names, if it is one.
    pub fn from_source(source: &TextureSource) -> Option<Self> {
        Some(match source {
            TextureSource::NoiseLq => NoiseKind::Lq,
            TextureSource::NoiseLqLite => NoiseKind::LqLite,
            TextureSource::NoiseMq => NoiseKind::Mq,
            TextureSource::NoiseHq => NoiseKind::Hq,
            TextureSource::NoiseVolLq => NoiseKind::VolLq,
            TextureSource::NoiseVolHq => NoiseKind::VolHq,
            _ => return None,
        })
    }

    /// The name after `sampler_` (and in `texsize_`).
    pub fn name(self) -> &'static str {
        match self {
            NoiseKind::Lq => "noise_lq",
            NoiseKind::LqLite => "noise_lq_lite",
            NoiseKind::Mq => "noise_mq",
            NoiseKind::Hq => "noise_hq",
            NoiseKind::VolLq => "noisevol_lq",
            NoiseKind::VolHq => "noisevol_hq",
        }
    }

    /// Texels per side (MilkDrop's `size`).
    pub fn size(self) -> u32 {
        match self {
            NoiseKind::Lq | NoiseKind::Mq | NoiseKind::Hq => 256,
            NoiseKind::LqLite | NoiseKind::VolLq | NoiseKind::VolHq => 32,
        }
    }

    /// Spacing of the random lattice in texels (MilkDrop's `zoom_factor`).
    pub fn zoom(self) -> u32 {
        match self {
            NoiseKind::Lq | NoiseKind::LqLite | NoiseKind::VolLq => 1,
            NoiseKind::Mq | NoiseKind::VolHq => 4,
            NoiseKind::Hq => 8,
        }
    }

    pub fn is_volume(self) -> bool {
        matches!(self, NoiseKind::VolLq | NoiseKind::VolHq)
    }

    /// Bytes of the texture's RGBA texels.
    pub fn byte_len(self) -> usize {
        let side = self.size() as usize;
        let depth = if self.is_volume() { side } else { 1 };
        side * side * depth * 4
    }

    pub fn dim(self) -> SamplerDim {
        if self.is_volume() {
            SamplerDim::D3
        } else {
            SamplerDim::D2
        }
    }

    /// (width, height, depth).
    pub fn extent(self) -> (u32, u32, u32) {
        let n = self.size();
        (n, n, if self.is_volume() { n } else { 1 })
    }

    fn index(self) -> u64 {
        NoiseKind::ALL.iter().position(|k| *k == self).unwrap_or(0) as u64
    }

    /// Generates the texture MilkDrop's way (see the module docs) from
    /// `seed`; each kind draws from its own stream.
    pub fn generate(self, seed: u64) -> NoiseTexture {
        let (w, h, d) = self.extent();
        let zoom = self.zoom() as usize;
        let range = if zoom > 1 { 216 } else { 256 };
        let mut rng = SplitMix64::new(derive_seed(seed, 0x6E6F_6973_6500 + self.index()));
        let count = (w * h * d) as usize;
        let mut texels: Vec<[u8; 4]> = (0..count).map(|_| random_texel(&mut rng, range)).collect();
        if zoom > 1 {
            smooth(&mut texels, [w as usize, h as usize, d as usize], zoom);
        }
        NoiseTexture {
            kind: self,
            width: w,
            height: h,
            depth: d,
            rgba: texels.into_iter().flatten().collect(),
        }
    }
}

/// Four draws of `rand % range + range / 2` packed as MilkDrop packs them
/// into an A8R8G8B8 word (alpha first, shifts 24/16/8/0, OR-ed: overflow
/// wraps and spills one bit into the next channel), returned as RGBA.
fn random_texel(rng: &mut SplitMix64, range: u32) -> [u8; 4] {
    let mut word: u32 = 0;
    for shift in [24, 16, 8, 0] {
        let v = rng.below(range) + range / 2;
        word |= v << shift;
    }
    let [a, r, g, b] = word.to_be_bytes();
    [r, g, b, a]
}

/// MilkDrop's cubic through four equally spaced samples, `t` in 0..1
/// between `y1` and `y2`.
fn cubic(y0: f32, y1: f32, y2: f32, y3: f32, t: f32) -> f32 {
    let t2 = t * t;
    let a0 = y3 - y2 - y0 + y1;
    let a1 = y0 - y1 - a0;
    let a2 = y2 - y0;
    a0 * t * t2 + a1 * t2 + a2 * t + y1
}

/// [`cubic`] per channel on 0..1 values, clamped and truncated to 8 bits.
fn cubic_texel(taps: [[u8; 4]; 4], t: f32) -> [u8; 4] {
    std::array::from_fn(|c| {
        let y = |i: usize| f32::from(taps[i][c]) / 255.0;
        let f = cubic(y(0), y(1), y(2), y(3), t).clamp(0.0, 1.0);
        (f * 255.0) as u8
    })
}

/// Replaces every texel off the `zoom` lattice by cubic interpolation,
/// one axis after the other: axis `a` is interpolated on the lines whose
/// later axes are on the lattice (earlier axes are done already), reading
/// lattice texels of that line with wrapping.
fn smooth(texels: &mut [[u8; 4]], dims: [usize; 3], zoom: usize) {
    let index = |c: [usize; 3]| (c[2] * dims[1] + c[1]) * dims[0] + c[0];
    let axes = if dims[2] > 1 { 3 } else { 2 };
    for a in 0..axes {
        for z in 0..dims[2] {
            for y in 0..dims[1] {
                for x in 0..dims[0] {
                    let c = [x, y, z];
                    let off = c[a] % zoom;
                    if off == 0 || (a + 1..3).any(|b| c[b] % zoom != 0) {
                        continue;
                    }
                    let base = c[a] - off + dims[a];
                    let taps = [base - zoom, base, base + zoom, base + 2 * zoom].map(|p| {
                        let mut q = c;
                        q[a] = p % dims[a];
                        texels[index(q)]
                    });
                    texels[index(c)] = cubic_texel(taps, off as f32 / zoom as f32);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// User texture files

/// Why an image file could not be used.
/// Noise texels of the wrong size for [`TextureStore::set_noise`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}: {got} bytes of texels, expected {expected}")]
pub struct NoiseSizeError {
    pub name: &'static str,
    pub got: usize,
    pub expected: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextureError {
    #[error("cannot read {}: {message}", path.display())]
    Io { path: PathBuf, message: String },
    #[error("cannot decode {}: {message}", path.display())]
    Decode { path: PathBuf, message: String },
}

/// A decoded image: `width * height` RGBA texels, rows top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

impl Image {
    /// The image scaled down (area average, aspect kept, at least one
    /// texel a side) so that neither side exceeds `max_side`; unchanged if
    /// it fits.
    pub fn fit_within(self, max_side: u32) -> Image {
        let max_side = max_side.max(1);
        let (w, h) = (self.width, self.height);
        if w <= max_side && h <= max_side {
            return self;
        }
        let scale = f64::from(max_side) / f64::from(w.max(h));
        let nw = ((f64::from(w) * scale).round() as u32).clamp(1, max_side);
        let nh = ((f64::from(h) * scale).round() as u32).clamp(1, max_side);
        let rows = resample_rows(&self.rgba, (w, h), nw);
        let rgba = resample_columns(&rows, (nw, h), nh);
        Image {
            width: nw,
            height: nh,
            rgba: rgba
                .into_iter()
                .map(|v| v.round().clamp(0.0, 255.0) as u8)
                .collect(),
        }
    }
}

/// For each of `dst` texels along an axis of `src` texels (`dst <= src`),
/// the source texels it covers and their share of it (shares sum to 1).
fn box_coverage(src: u32, dst: u32) -> Vec<Vec<(usize, f32)>> {
    let scale = f64::from(src) / f64::from(dst);
    (0..dst)
        .map(|i| {
            let (a, b) = (f64::from(i) * scale, f64::from(i + 1) * scale);
            (a.floor() as usize..(b.ceil() as usize).min(src as usize))
                .filter_map(|j| {
                    let covered = b.min(j as f64 + 1.0) - a.max(j as f64);
                    (covered > 0.0).then_some((j, (covered / scale) as f32))
                })
                .collect()
        })
        .collect()
}

/// RGBA rows of `w` texels averaged down to `nw` texels (f32 channels).
fn resample_rows(rgba: &[u8], (w, h): (u32, u32), nw: u32) -> Vec<f32> {
    let cover = box_coverage(w, nw);
    let mut out = Vec::with_capacity(nw as usize * h as usize * 4);
    for row in rgba.chunks_exact(w as usize * 4).take(h as usize) {
        for texel in &cover {
            let mut sum = [0f32; 4];
            for &(j, share) in texel {
                for (c, s) in sum.iter_mut().enumerate() {
                    *s += f32::from(row[j * 4 + c]) * share;
                }
            }
            out.extend_from_slice(&sum);
        }
    }
    out
}

/// Columns of `h` texels (rows of `w` f32 RGBA texels) averaged down to
/// `nh` texels.
fn resample_columns(rows: &[f32], (w, h): (u32, u32), nh: u32) -> Vec<f32> {
    let stride = w as usize * 4;
    let mut out = vec![0f32; stride * nh as usize];
    for (y, texel) in box_coverage(h, nh).iter().enumerate() {
        let dst = &mut out[y * stride..(y + 1) * stride];
        for &(j, share) in texel {
            for (d, s) in dst.iter_mut().zip(&rows[j * stride..(j + 1) * stride]) {
                *d += s * share;
            }
        }
    }
    out
}

/// Where a user texture comes from: a file, or an image the host added
/// under a file name ([`TextureStore::add_image`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TextureKey {
    File(PathBuf),
    Added(String),
}

/// The stem and extension rank of an image file name, if its extension is
/// one of [`TEXTURE_EXTENSIONS`] (any case).
fn texture_name(file_name: &str) -> Option<(&str, usize)> {
    let (stem, ext) = file_name.rsplit_once('.')?;
    let rank = TEXTURE_EXTENSIONS
        .iter()
        .position(|x| x.eq_ignore_ascii_case(ext))?;
    Some((stem, rank))
}

/// Whether `file_name` starts with `prefix`, in any case.
fn has_prefix(file_name: &str, prefix: &str) -> bool {
    file_name
        .get(..prefix.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(prefix))
}

/// Why a user texture was replaced by the missing-texture texture.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TextureWarning {
    #[error(
        "texture `{name}` not found: no {name}.{{{}}} (any case) in {}; drawn with Kefir's generated `{}` image",
        TEXTURE_EXTENSIONS.join(","),
        list_dirs(searched),
        StandIn::for_name(name).name()
    )]
    NotFound {
        name: String,
        searched: Vec<PathBuf>,
    },
    #[error(
        "random texture `{name}`: no image file{} in {}; drawn with Kefir's generated `{}` image",
        if prefix.is_empty() { String::new() } else { format!(" named {prefix}*") },
        list_dirs(searched),
        StandIn::for_name(name).name()
    )]
    NoRandomCandidates {
        name: String,
        prefix: String,
        searched: Vec<PathBuf>,
    },
    #[error(
        "texture `{name}`: {error}; drawn with Kefir's generated `{}` image",
        StandIn::for_name(name).name()
    )]
    Unreadable { name: String, error: TextureError },
    #[error("texture `{name}` is sampled as {} but is {}", dim_name(*wanted), dim_name(*actual))]
    WrongDimension {
        name: String,
        wanted: SamplerDim,
        actual: SamplerDim,
    },
    #[error("{0:?} is the engine's own render target, not a stored texture")]
    NotStored(TextureSource),
}

fn list_dirs(dirs: &[PathBuf]) -> String {
    if dirs.is_empty() {
        return "no directory (none configured)".into();
    }
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn dim_name(d: SamplerDim) -> &'static str {
    match d {
        SamplerDim::D2 => "2D",
        SamplerDim::D3 => "3D",
    }
}

/// An image file in a directory: its path, the name before the last dot,
/// and the rank of its extension in [`TEXTURE_EXTENSIONS`].
struct TextureFile {
    path: PathBuf,
    file_name: String,
    stem: String,
    rank: usize,
}

/// The image files (by extension, any case) directly in `dir`, sorted by
/// file name; an unreadable directory has none.
fn texture_files(dir: &Path) -> Vec<TextureFile> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<TextureFile> = entries
        .filter_map(|e| {
            let e = e.ok()?;
            let file_name = e.file_name().into_string().ok()?;
            let (stem, rank) = texture_name(&file_name)?;
            let path = e.path();
            if !path.is_file() {
                return None;
            }
            Some(TextureFile {
                stem: stem.to_string(),
                path,
                rank,
                file_name,
            })
        })
        .collect();
    files.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    files
}

/// The file for texture `name` (without extension): the first directory
/// of `dirs` holding `name.EXT` for an extension of
/// [`TEXTURE_EXTENSIONS`] (names and extensions compared in any case;
/// within a directory the earliest extension in that list wins).
pub fn find_user_texture<P: AsRef<Path>>(name: &str, dirs: &[P]) -> Option<PathBuf> {
    dirs.iter().find_map(|dir| {
        texture_files(dir.as_ref())
            .into_iter()
            .filter(|f| f.stem.eq_ignore_ascii_case(name))
            .min_by_key(|f| f.rank)
            .map(|f| f.path)
    })
}

/// `randNN` or `randNN_PREFIX` with NN 00..=15: the slot and the prefix
/// ("" without one). Anything else (`rand16`, `rand1`, `random`) is an
/// ordinary texture name, as in MilkDrop 2.
pub fn parse_rand_name(name: &str) -> Option<(u8, &str)> {
    let rest = name.strip_prefix("rand")?;
    let digits = rest.get(..2)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let prefix = match &rest[2..] {
        "" => "",
        r => r.strip_prefix('_')?,
    };
    let slot: u8 = digits.parse().ok()?;
    (slot < RAND_SLOTS).then_some((slot, prefix))
}

/// The image files of `dirs` a `randNN_PREFIX` sampler may pick: names
/// starting with `prefix` in any case (all files for an empty prefix), in
/// directory order, then sorted by name.
pub fn random_texture_candidates<P: AsRef<Path>>(prefix: &str, dirs: &[P]) -> Vec<PathBuf> {
    dirs.iter()
        .flat_map(|d| texture_files(d.as_ref()))
        .filter(|f| has_prefix(&f.file_name, prefix))
        .map(|f| f.path)
        .collect()
}

/// The file slot `slot` picks from [`random_texture_candidates`], chosen
/// by `seed` (the same seed, slot and files give the same pick).
pub fn pick_random_texture<P: AsRef<Path>>(
    slot: u8,
    prefix: &str,
    seed: u64,
    dirs: &[P],
) -> Option<PathBuf> {
    pick_among(random_texture_candidates(prefix, dirs), slot, seed)
}

/// The candidate slot `slot` picks, chosen by `seed`.
fn pick_among<T>(candidates: Vec<T>, slot: u8, seed: u64) -> Option<T> {
    if candidates.is_empty() {
        return None;
    }
    let mut rng = SplitMix64::new(derive_seed(seed, 0x7261_6E64_0000 + u64::from(slot)));
    let n = u32::try_from(candidates.len()).unwrap_or(u32::MAX);
    candidates.into_iter().nth(rng.below(n) as usize)
}

/// Reads and decodes an image file (jpg, png, tga, bmp/dib, dds with DXT
/// compression) into RGBA8, scaled down to [`MAX_TEXTURE_SIDE`] if larger.
/// The format comes from the file's contents, else its extension.
pub fn load_image(path: &Path) -> Result<Image, TextureError> {
    let bytes = std::fs::read(path).map_err(|e| TextureError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    decode_image(&bytes, path, MAX_TEXTURE_SIDE)
}

/// Decodes image bytes (`path` names the file in errors and gives the
/// format when the contents do not) and scales the image down so neither
/// side exceeds `max_side`.
#[cfg(not(target_arch = "wasm32"))]
pub fn decode_image(bytes: &[u8], path: &Path, max_side: u32) -> Result<Image, TextureError> {
    let fail = |message: String| TextureError::Decode {
        path: path.to_path_buf(),
        message,
    };
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| fail(e.to_string()))?;
    if reader.format().is_none() {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let format = match ext.as_str() {
            "dib" => Some(image::ImageFormat::Bmp),
            "tga" => Some(image::ImageFormat::Tga),
            "dds" => Some(image::ImageFormat::Dds),
            _ => image::ImageFormat::from_extension(&ext),
        };
        match format {
            Some(f) => reader.set_format(f),
            None => return Err(fail("unknown image format".into())),
        }
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(1 << 15);
    limits.max_image_height = Some(1 << 15);
    limits.max_alloc = Some(1 << 30);
    reader.limits(limits);
    // The decoders are written not to panic on bad input; this keeps a
    // decoder bug from taking the visualizer down with one broken file.
    let decoded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reader.decode()))
        .map_err(|_| fail("the decoder crashed".into()))?
        .map_err(|e| fail(e.to_string()))?;
    let rgba = decoded.into_rgba8();
    if rgba.width() == 0 || rgba.height() == 0 {
        return Err(fail("the image is empty".into()));
    }
    let image = Image {
        width: rgba.width(),
        height: rgba.height(),
        rgba: rgba.into_raw(),
    };
    Ok(image.fit_within(max_side))
}

/// In the browser the page decodes pictures with the browser's decoders
/// and adds them ([`TextureStore::add_image`]); the wasm build links none.
#[cfg(target_arch = "wasm32")]
pub fn decode_image(_bytes: &[u8], path: &Path, _max_side: u32) -> Result<Image, TextureError> {
    Err(TextureError::Decode {
        path: path.to_path_buf(),
        message: "this build decodes no image files (add the decoded image instead)".into(),
    })
}

// ---------------------------------------------------------------------------
// GPU cache

/// A texture ready to bind.
#[derive(Debug, Clone)]
pub struct ResolvedTexture {
    pub texture: wgpu::Texture,
    /// A 2D view, or a 3D view for the volume noise textures.
    pub view: wgpu::TextureView,
    /// (width, height): what `texsize_NAME` reports.
    pub size: (u32, u32),
    /// 1 for 2D textures.
    pub depth: u32,
}

impl ResolvedTexture {
    /// A view of level 0 alone, for a texture with mip levels: reads that
    /// never minify give the same result through it, without the cost of
    /// choosing a level (see `milk_hlsl::footprint`).
    pub fn level0_view(&self) -> Option<wgpu::TextureView> {
        (self.texture.mip_level_count() > 1).then(|| {
            self.texture.create_view(&wgpu::TextureViewDescriptor {
                label: Some("kefir texture level 0"),
                dimension: Some(match self.depth {
                    1 => wgpu::TextureViewDimension::D2,
                    _ => wgpu::TextureViewDimension::D3,
                }),
                base_mip_level: 0,
                mip_level_count: Some(1),
                ..Default::default()
            })
        })
    }
}

struct CachedFile {
    result: Result<ResolvedTexture, TextureError>,
    bytes: u64,
    /// Generation of the last preset that used it.
    used: u64,
}

/// Noise and user textures on the GPU, created on demand and cached.
///
/// Noise textures are generated once per store from its seed; user
/// textures are cached by resolved path (textures unused for a while are
/// dropped at [`TextureStore::begin_preset`] once the cache exceeds its
/// byte budget). `randNN` picks are made once per preset.
pub struct TextureStore {
    seed: u64,
    texture_dirs: Vec<PathBuf>,
    noise: HashMap<NoiseKind, ResolvedTexture>,
    /// Images the host added, by file name, in name order.
    added: std::collections::BTreeMap<String, Image>,
    files: HashMap<TextureKey, CachedFile>,
    missing: HashMap<SamplerDim, ResolvedTexture>,
    stand_ins: HashMap<StandIn, ResolvedTexture>,
    preset_seed: u64,
    generation: u64,
    rand_picks: HashMap<u8, Result<TextureKey, TextureWarning>>,
    max_cached_bytes: u64,
}

impl TextureStore {
    /// Default budget for cached user textures.
    pub const DEFAULT_MAX_CACHED_BYTES: u64 = 256 << 20;

    /// A store whose noise comes from `seed` and whose user textures are
    /// looked up in `texture_dirs` (after the preset's own directory).
    pub fn new(seed: u64, texture_dirs: Vec<PathBuf>) -> Self {
        TextureStore {
            seed,
            texture_dirs,
            noise: HashMap::new(),
            added: Default::default(),
            files: HashMap::new(),
            missing: HashMap::new(),
            stand_ins: HashMap::new(),
            preset_seed: seed,
            generation: 0,
            rand_picks: HashMap::new(),
            max_cached_bytes: Self::DEFAULT_MAX_CACHED_BYTES,
        }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn texture_dirs(&self) -> &[PathBuf] {
        &self.texture_dirs
    }

    /// Starts over with `dirs` as the texture directories: cached textures,
    /// `randNN` picks and replaced noise go, the added images stay.
    pub fn set_texture_dirs(&mut self, dirs: Vec<PathBuf>) {
        let added = std::mem::take(&mut self.added);
        *self = TextureStore {
            added,
            ..TextureStore::new(self.seed, dirs)
        };
    }

    /// Makes `image` a user texture under `file_name` (`clouds.png` is
    /// `sampler_clouds`; the extension must be one of
    /// [`TEXTURE_EXTENSIONS`]), scaled to fit [`MAX_TEXTURE_SIDE`]: for
    /// hosts that decode pictures themselves, such as the browser page.
    /// Replaces an image added under the same name (in any case); presets
    /// prepared from now on see it. Returns false, adding nothing, for a
    /// name without an image extension or an empty or short image.
    pub fn add_image(&mut self, file_name: &str, image: Image) -> bool {
        let texels = image.width as usize * image.height as usize;
        if texture_name(file_name).is_none() || texels == 0 || image.rgba.len() < texels * 4 {
            return false;
        }
        self.remove_image(file_name);
        let mut image = image;
        image.rgba.truncate(texels * 4);
        let image = image.fit_within(MAX_TEXTURE_SIDE);
        self.added.insert(file_name.to_string(), image);
        true
    }

    /// Forgets the image added under `file_name` (any case); whether there
    /// was one.
    pub fn remove_image(&mut self, file_name: &str) -> bool {
        let old: Vec<String> = self
            .added
            .keys()
            .filter(|k| k.eq_ignore_ascii_case(file_name))
            .cloned()
            .collect();
        for k in &old {
            self.added.remove(k);
            self.files.remove(&TextureKey::Added(k.clone()));
        }
        !old.is_empty()
    }

    /// The file names of the added images, in name order.
    pub fn added_images(&self) -> impl Iterator<Item = &str> {
        self.added.keys().map(String::as_str)
    }

    /// The added image for texture `name`: its stem matches in any case;
    /// the earliest extension of [`TEXTURE_EXTENSIONS`] wins.
    fn find_added(&self, name: &str) -> Option<TextureKey> {
        self.added
            .keys()
            .filter_map(|k| texture_name(k).map(|(stem, rank)| (k, stem, rank)))
            .filter(|(_, stem, _)| stem.eq_ignore_ascii_case(name))
            .min_by_key(|(_, _, rank)| *rank)
            .map(|(k, _, _)| TextureKey::Added(k.clone()))
    }

    /// Sets the byte budget of cached user textures (applied at
    /// [`TextureStore::begin_preset`]).
    pub fn set_max_cached_bytes(&mut self, bytes: u64) {
        self.max_cached_bytes = bytes;
    }

    /// Starts a new preset: `randNN` textures are picked afresh from
    /// `seed`, files that failed to load are retried, and when the cache is
    /// over budget the textures unused longest (but not by the previous
    /// preset, which may still be blending out) are dropped.
    pub fn begin_preset(&mut self, seed: u64) {
        self.preset_seed = seed;
        self.rand_picks.clear();
        self.files.retain(|_, f| f.result.is_ok());
        self.generation += 1;
        let mut total: u64 = self.files.values().map(|f| f.bytes).sum();
        if total > self.max_cached_bytes {
            let mut old: Vec<(u64, TextureKey)> = self
                .files
                .iter()
                .filter(|(_, f)| f.used + 1 < self.generation)
                .map(|(p, f)| (f.used, p.clone()))
                .collect();
            old.sort();
            for (_, key) in old {
                if total <= self.max_cached_bytes {
                    break;
                }
                if let Some(f) = self.files.remove(&key) {
                    total -= f.bytes;
                }
            }
        }
    }

    /// The image a user texture name stands for: `randNN[_PREFIX]` picks
    /// from the added images and the texture directories (once per preset
    /// and slot), anything else is looked up in `preset_dir`, then the
    /// added images, then the texture directories.
    pub fn resolve_user(
        &mut self,
        name: &str,
        preset_dir: Option<&Path>,
    ) -> Result<TextureKey, TextureWarning> {
        if let Some((slot, prefix)) = parse_rand_name(name) {
            if let Some(pick) = self.rand_picks.get(&slot) {
                return pick.clone();
            }
            let candidates: Vec<TextureKey> = self
                .added
                .keys()
                .filter(|k| has_prefix(k, prefix))
                .map(|k| TextureKey::Added(k.clone()))
                .chain(
                    random_texture_candidates(prefix, &self.texture_dirs)
                        .into_iter()
                        .map(TextureKey::File),
                )
                .collect();
            let pick = pick_among(candidates, slot, self.preset_seed).ok_or_else(|| {
                TextureWarning::NoRandomCandidates {
                    name: name.to_string(),
                    prefix: prefix.to_string(),
                    searched: self.texture_dirs.clone(),
                }
            });
            self.rand_picks.insert(slot, pick.clone());
            return pick;
        }
        let in_preset_dir = preset_dir.and_then(|d| find_user_texture(name, &[d]));
        if let Some(path) = in_preset_dir {
            return Ok(TextureKey::File(path));
        }
        if let Some(key) = self.find_added(name) {
            return Ok(key);
        }
        if let Some(path) = find_user_texture(name, &self.texture_dirs) {
            return Ok(TextureKey::File(path));
        }
        Err(TextureWarning::NotFound {
            name: name.to_string(),
            searched: preset_dir
                .map(Path::to_path_buf)
                .into_iter()
                .chain(self.texture_dirs.iter().cloned())
                .collect(),
        })
    }

    /// The texture for a built-in noise source or a user texture, with its
    /// natural dimension (3D for `noisevol_*`, else 2D). Missing or broken
    /// user textures give a generated stand-in ([`crate::stand_in`]) and a
    /// warning; `Main` and `Blur`, which the engine provides itself, give
    /// [`MISSING_TEXTURE_RGBA`] and a warning.
    pub fn get(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        source: &TextureSource,
        preset_dir: Option<&Path>,
    ) -> (ResolvedTexture, Option<TextureWarning>) {
        let dim = NoiseKind::from_source(source).map_or(SamplerDim::D2, NoiseKind::dim);
        self.get_with_dim(device, queue, source, dim, preset_dir)
    }

    /// [`TextureStore::get`] for a binding of a translated shader: a
    /// texture of the dimension the shader declares (a mismatch, such as a
    /// `sampler3D` naming an image file, gives the missing texture of that
    /// dimension and a warning).
    pub fn get_binding(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        binding: &TextureBinding,
        preset_dir: Option<&Path>,
    ) -> (ResolvedTexture, Option<TextureWarning>) {
        self.get_with_dim(device, queue, &binding.source, binding.dim, preset_dir)
    }

    fn get_with_dim(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        source: &TextureSource,
        dim: SamplerDim,
        preset_dir: Option<&Path>,
    ) -> (ResolvedTexture, Option<TextureWarning>) {
        let name = match source {
            TextureSource::Main | TextureSource::Blur(_) => {
                let warning = TextureWarning::NotStored(source.clone());
                return (self.missing(device, queue, dim), Some(warning));
            }
            TextureSource::User(name) => name,
            noise => {
                let Some(kind) = NoiseKind::from_source(noise) else {
                    unreachable!("every other source is a noise texture");
                };
                if kind.dim() != dim {
                    let warning = TextureWarning::WrongDimension {
                        name: kind.name().to_string(),
                        wanted: dim,
                        actual: kind.dim(),
                    };
                    return (self.missing(device, queue, dim), Some(warning));
                }
                return (self.noise(device, queue, kind), None);
            }
        };
        if dim != SamplerDim::D2 {
            let warning = TextureWarning::WrongDimension {
                name: name.clone(),
                wanted: dim,
                actual: SamplerDim::D2,
            };
            return (self.missing(device, queue, dim), Some(warning));
        }
        let key = match self.resolve_user(name, preset_dir) {
            Ok(k) => k,
            Err(w) => {
                return (
                    self.stand_in(device, queue, StandIn::for_name(name)),
                    Some(w),
                );
            }
        };
        match self.user_texture(device, queue, &key) {
            Ok(t) => (t, None),
            Err(error) => {
                let warning = TextureWarning::Unreadable {
                    name: name.clone(),
                    error,
                };
                let stand_in = self.stand_in(device, queue, StandIn::for_name(name));
                (stand_in, Some(warning))
            }
        }
    }

    /// The generated image `kind`, made and uploaded on first use.
    pub fn stand_in(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        kind: StandIn,
    ) -> ResolvedTexture {
        self.stand_ins
            .entry(kind)
            .or_insert_with(|| {
                let label = format!("generated {} texture", kind.name());
                let extent = (stand_in::SIZE, stand_in::SIZE, 1);
                upload_mipmapped(
                    device,
                    queue,
                    &label,
                    SamplerDim::D2,
                    extent,
                    &kind.generate(),
                )
            })
            .clone()
    }

    /// The noise texture `kind`, generated and uploaded on first use.
    pub fn noise(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        kind: NoiseKind,
    ) -> ResolvedTexture {
        let seed = self.seed;
        self.noise
            .entry(kind)
            .or_insert_with(|| {
                let n = kind.generate(seed);
                upload_noise(device, queue, kind, &n.rgba)
            })
            .clone()
    }

    /// Uses `rgba` ([`NoiseKind::byte_len`] bytes, x fastest, then y, then
    /// z) as the noise texture `kind` in place of the generated one, for
    /// replaying another renderer's noise.
    pub fn set_noise(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        kind: NoiseKind,
        rgba: &[u8],
    ) -> Result<(), NoiseSizeError> {
        if rgba.len() != kind.byte_len() {
            return Err(NoiseSizeError {
                name: kind.name(),
                got: rgba.len(),
                expected: kind.byte_len(),
            });
        }
        self.noise
            .insert(kind, upload_noise(device, queue, kind, rgba));
        Ok(())
    }

    /// The 1x1 (x1) texture standing in for a missing one.
    pub fn missing(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        dim: SamplerDim,
    ) -> ResolvedTexture {
        self.missing
            .entry(dim)
            .or_insert_with(|| {
                upload_mipmapped(
                    device,
                    queue,
                    "missing texture",
                    dim,
                    (1, 1, 1),
                    &MISSING_TEXTURE_RGBA,
                )
            })
            .clone()
    }

    /// The user texture `key` on the GPU: decoded (or taken from the
    /// added images) and uploaded on first use, then cached.
    fn user_texture(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        key: &TextureKey,
    ) -> Result<ResolvedTexture, TextureError> {
        let generation = self.generation;
        if let Some(f) = self.files.get_mut(key) {
            f.used = generation;
            return f.result.clone();
        }
        let (image, label) = match key {
            TextureKey::File(path) => {
                let label = path.file_name().map_or_else(
                    || "user texture".into(),
                    |n| n.to_string_lossy().into_owned(),
                );
                (load_image(path), label)
            }
            TextureKey::Added(name) => {
                let image = self
                    .added
                    .get(name)
                    .cloned()
                    .ok_or_else(|| TextureError::Io {
                        path: PathBuf::from(name),
                        message: "the added image was removed".into(),
                    });
                (image, name.clone())
            }
        };
        let result = image.map(|img| {
            let img = img.fit_within(device.limits().max_texture_dimension_2d);
            let extent = (img.width, img.height, 1);
            upload_mipmapped(device, queue, &label, SamplerDim::D2, extent, &img.rgba)
        });
        // Level 0 and its mip levels, about a third more.
        let bytes = result
            .as_ref()
            .map_or(0, |t| u64::from(t.size.0) * u64::from(t.size.1) * 4 * 4 / 3);
        self.files.insert(
            key.clone(),
            CachedFile {
                result: result.clone(),
                bytes,
                used: generation,
            },
        );
        result
    }
}

/// A noise texture with its mip chain: MilkDrop 2 creates them with
/// `D3DUSAGE_AUTOGENMIPMAP`, so minified noise (far fields of tunnels,
/// `tex2D(sampler_noise_hq, uv * 16)`) averages instead of aliasing.
fn upload_noise(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    kind: NoiseKind,
    rgba: &[u8],
) -> ResolvedTexture {
    let side = kind.size();
    let depth = if kind.is_volume() { side } else { 1 };
    upload_mipmapped(
        device,
        queue,
        kind.name(),
        kind.dim(),
        (side, side, depth),
        rgba,
    )
}

/// Creates an RGBA8 texture of dimension `dim` holding `rgba` (depth 1
/// for 2D) and its box-filtered mip chain ([`mip_levels`]). MilkDrop 2
/// gives user textures one too (`D3DXCreateTextureFromFileExW` with
/// `D3DX_DEFAULT` mip levels and mip filter, as it does the noise), so an
/// image drawn smaller than its texel count averages instead of aliasing.
fn upload_mipmapped(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    label: &str,
    dim: SamplerDim,
    size: (u32, u32, u32),
    rgba: &[u8],
) -> ResolvedTexture {
    let smaller = mip_levels(rgba, size);
    let levels: Vec<&[u8]> = std::iter::once(rgba)
        .chain(smaller.iter().map(Vec::as_slice))
        .collect();
    upload_levels(device, queue, label, dim, size, &levels)
}

/// The mip levels below `rgba` (`w` x `h` x `d` texels, x fastest), down to
/// 1x1(x1), each the rounded mean of the 2x2(x2) texels above it (a box
/// filter, as automatic mip generation does). A side that is not a power of
/// two halves rounding down, each texel averaging the `side / (side / 2)`
/// texels above it (an odd side's last row or column is left out of the
/// level below).
pub fn mip_levels(rgba: &[u8], (w, h, d): (u32, u32, u32)) -> Vec<Vec<u8>> {
    let (mut w, mut h, mut d) = (w as usize, h as usize, d as usize);
    let mut levels: Vec<Vec<u8>> = Vec::new();
    while w > 1 || h > 1 || d > 1 {
        let above = levels.last().map_or(rgba, Vec::as_slice);
        let (nw, nh, nd) = ((w / 2).max(1), (h / 2).max(1), (d / 2).max(1));
        let next = if (w / nw, h / nh, d / nd) == (2, 2, 1) {
            halve_2d(above, w, (nw, nh))
        } else {
            box_filter(above, (w, h, d), (nw, nh, nd))
        };
        levels.push(next);
        (w, h, d) = (nw, nh, nd);
    }
    levels
}

/// The common case of [`mip_levels`]: a 2D level whose sides both halve
/// (rounding down), two rows at a time.
fn halve_2d(above: &[u8], w: usize, (nw, nh): (usize, usize)) -> Vec<u8> {
    let row = w * 4;
    let mut next = Vec::with_capacity(nw * nh * 4);
    for y in 0..nh {
        let top = &above[2 * y * row..][..nw * 8];
        let bottom = &above[(2 * y + 1) * row..][..nw * 8];
        for (a, b) in top.chunks_exact(8).zip(bottom.chunks_exact(8)) {
            for c in 0..4 {
                let sum =
                    u16::from(a[c]) + u16::from(a[c + 4]) + u16::from(b[c]) + u16::from(b[c + 4]);
                next.push(((sum + 2) / 4) as u8);
            }
        }
    }
    next
}

/// Any other level of [`mip_levels`]: each texel the rounded mean of the
/// `w / nw` x `h / nh` x `d / nd` texels above it.
fn box_filter(
    above: &[u8],
    (w, h, d): (usize, usize, usize),
    (nw, nh, nd): (usize, usize, usize),
) -> Vec<u8> {
    let (sx, sy, sz) = (w / nw, h / nh, d / nd);
    let count = (sx * sy * sz) as u32;
    let mut next = Vec::with_capacity(nw * nh * nd * 4);
    for z in 0..nd {
        for y in 0..nh {
            for x in 0..nw {
                let mut sum = [0u32; 4];
                for dz in 0..sz {
                    for dy in 0..sy {
                        for dx in 0..sx {
                            let i = (((z * sz + dz) * h + (y * sy + dy)) * w + (x * sx + dx)) * 4;
                            for (c, s) in sum.iter_mut().enumerate() {
                                *s += u32::from(above[i + c]);
                            }
                        }
                    }
                }
                next.extend(sum.map(|s| ((s + count / 2) / count) as u8));
            }
        }
    }
    next
}

/// An RGBA8 texture whose mip levels are `levels` (level 0 first, each
/// half the one before as [`mip_levels`] makes them).
fn upload_levels(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    label: &str,
    dim: SamplerDim,
    (width, height, depth): (u32, u32, u32),
    levels: &[&[u8]],
) -> ResolvedTexture {
    let (dimension, view_dimension) = match dim {
        SamplerDim::D2 => (wgpu::TextureDimension::D2, wgpu::TextureViewDimension::D2),
        SamplerDim::D3 => (wgpu::TextureDimension::D3, wgpu::TextureViewDimension::D3),
    };
    let texture = device.create_texture(&wgpu::TextureDescriptor {
        label: Some(&format!("kefir {label}")),
        size: wgpu::Extent3d {
            width,
            height,
            depth_or_array_layers: depth,
        },
        mip_level_count: levels.len().max(1) as u32,
        sample_count: 1,
        dimension,
        format: TEXTURE_FORMAT,
        usage: wgpu::TextureUsages::TEXTURE_BINDING
            | wgpu::TextureUsages::COPY_DST
            | wgpu::TextureUsages::COPY_SRC,
        view_formats: &[],
    });
    for (level, data) in levels.iter().enumerate() {
        let size = texture
            .size()
            .mip_level_size(level as u32, texture.dimension());
        queue.write_texture(
            wgpu::TexelCopyTextureInfo {
                texture: &texture,
                mip_level: level as u32,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            data,
            wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(size.width * 4),
                rows_per_image: Some(size.height),
            },
            size,
        );
    }
    let view = texture.create_view(&wgpu::TextureViewDescriptor {
        dimension: Some(view_dimension),
        ..Default::default()
    });
    ResolvedTexture {
        texture,
        view,
        size: (width, height),
        depth,
    }
}

impl fmt::Debug for TextureStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TextureStore")
            .field("seed", &self.seed)
            .field("texture_dirs", &self.texture_dirs)
            .field("noise", &self.noise.keys().collect::<Vec<_>>())
            .field("files", &self.files.keys().collect::<Vec<_>>())
            .field("preset_seed", &self.preset_seed)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch directory under the system's temp dir, removed on drop.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(tag: &str) -> Self {
            use std::sync::atomic::{AtomicU32, Ordering};
            static N: AtomicU32 = AtomicU32::new(0);
            let dir = std::env::temp_dir().join(format!(
                "kefir-textures-{tag}-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }

        fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
            let p = self.0.join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        }

        /// Writes a `w`x`h` image of one colour, format from the name.
        fn image(&self, name: &str, w: u32, h: u32, rgba: [u8; 4]) -> PathBuf {
            let p = self.0.join(name);
            let img = image::RgbaImage::from_pixel(w, h, image::Rgba(rgba));
            if name.ends_with(".jpg") || name.ends_with(".bmp") {
                image::DynamicImage::ImageRgba8(img)
                    .into_rgb8()
                    .save(&p)
                    .unwrap();
            } else {
                img.save(&p).unwrap();
            }
            p
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// The corpus's texture directory, or `None` (skip reported) without one.
    fn shared_textures(test: &str) -> Option<PathBuf> {
        kefir_corpus::dir_or_skip(&format!("milk-engine textures::{test}"))
            .map(|d| d.join("textures"))
    }

    /// Mean absolute difference between texels `d` apart along x (with
    /// wrapping), over all channels, for the rows in `rows`.
    fn mean_step(n: &NoiseTexture, xs: impl Iterator<Item = u32> + Clone) -> f64 {
        let mut sum = 0.0;
        let mut count = 0.0;
        for z in 0..n.depth {
            for y in 0..n.height {
                for x in xs.clone() {
                    let a = n.texel(x, y, z);
                    let b = n.texel((x + 1) % n.width, y, z);
                    for c in 0..4 {
                        sum += f64::from(a[c].abs_diff(b[c]));
                        count += 1.0;
                    }
                }
            }
        }
        sum / count
    }

    #[test]
    fn noise_sizes_match_milkdrop() {
        let expect = [
            (NoiseKind::Lq, "noise_lq", (256, 256, 1), 1),
            (NoiseKind::LqLite, "noise_lq_lite", (32, 32, 1), 1),
            (NoiseKind::Mq, "noise_mq", (256, 256, 1), 4),
            (NoiseKind::Hq, "noise_hq", (256, 256, 1), 8),
            (NoiseKind::VolLq, "noisevol_lq", (32, 32, 32), 1),
            (NoiseKind::VolHq, "noisevol_hq", (32, 32, 32), 4),
        ];
        for (kind, name, extent, zoom) in expect {
            assert_eq!(kind.name(), name);
            assert_eq!(kind.extent(), extent);
            assert_eq!(kind.zoom(), zoom);
            let n = kind.generate(1);
            assert_eq!((n.width, n.height, n.depth), extent);
            assert_eq!(n.rgba.len(), (extent.0 * extent.1 * extent.2 * 4) as usize);
        }
        assert_eq!(
            NoiseKind::from_source(&TextureSource::NoiseVolHq),
            Some(NoiseKind::VolHq)
        );
        assert_eq!(NoiseKind::from_source(&TextureSource::Main), None);
        // The translator's sizes (for the footprints of noise reads) agree.
        for source in [
            TextureSource::NoiseLq,
            TextureSource::NoiseLqLite,
            TextureSource::NoiseMq,
            TextureSource::NoiseHq,
            TextureSource::NoiseVolLq,
            TextureSource::NoiseVolHq,
        ] {
            let kind = NoiseKind::from_source(&source).unwrap();
            assert_eq!(source.noise_side(), Some(kind.size()), "{source:?}");
        }
        assert_eq!(NoiseKind::VolLq.dim(), SamplerDim::D3);
        assert_eq!(NoiseKind::Mq.dim(), SamplerDim::D2);
    }

    #[test]
    fn noise_is_deterministic_per_seed() {
        for kind in NoiseKind::ALL {
            assert_eq!(kind.generate(42), kind.generate(42), "{kind:?}");
            assert_ne!(kind.generate(42).rgba, kind.generate(43).rgba, "{kind:?}");
        }
        // Kinds of the same size draw different values from one seed.
        assert_ne!(
            NoiseKind::Lq.generate(7).rgba,
            NoiseKind::Mq.generate(7).rgba
        );
    }

    #[test]
    fn pure_noise_is_uniform_in_every_channel() {
        let n = NoiseKind::Lq.generate(3);
        for c in 0..4 {
            let mut bins = [0u32; 16];
            let mut sum = 0u64;
            for px in n.rgba.chunks_exact(4) {
                bins[usize::from(px[c] / 16)] += 1;
                sum += u64::from(px[c]);
            }
            let count = (n.rgba.len() / 4) as f64;
            let mean = sum as f64 / count;
            assert!((124.0..131.0).contains(&mean), "channel {c} mean {mean}");
            for (i, b) in bins.iter().enumerate() {
                let share = f64::from(*b) / count * 16.0;
                assert!((0.9..1.1).contains(&share), "channel {c} bin {i}: {share}");
            }
        }
        // The channels are not copies of each other.
        let differs = n.rgba.chunks_exact(4).filter(|p| p[0] != p[1]).count();
        assert!(differs > 60_000);
    }

    #[test]
    fn zoomed_lattice_values_wrap_like_milkdrop() {
        // rand() % 216 + 108 wraps past 255: lattice values skip 68..=107,
        // and both halves occur.
        let n = NoiseKind::Hq.generate(5);
        let (mut low, mut high) = (0, 0);
        for y in (0..256).step_by(8) {
            for x in (0..256).step_by(8) {
                for v in n.texel(x, y, 0) {
                    assert!(!(68..=107).contains(&v), "lattice value {v}");
                    if v < 68 { low += 1 } else { high += 1 }
                }
            }
        }
        assert!(low > 500 && high > 1500, "{low} {high}");
    }

    #[test]
    fn zoomed_noise_is_smooth_and_tiles() {
        let lq = mean_step(&NoiseKind::Lq.generate(9), 0..255);
        assert!(lq > 70.0, "pure noise steps {lq}");
        for kind in [NoiseKind::Mq, NoiseKind::Hq, NoiseKind::VolHq] {
            let n = kind.generate(9);
            let inner = mean_step(&n, 0..n.width - 1);
            let seam = mean_step(&n, n.width - 1..n.width);
            assert!(inner < lq / 3.0, "{kind:?}: steps {inner} vs {lq}");
            // Across the wrap the texture continues as smoothly as inside.
            assert!(seam < inner * 2.0 + 2.0, "{kind:?}: seam {seam} vs {inner}");
        }
        // Along y and z as well (transpose by sampling columns).
        let n = NoiseKind::VolHq.generate(9);
        let mut sum = [0.0f64; 2];
        for z in 0..32 {
            for y in 0..32 {
                for x in 0..32 {
                    let a = n.texel(x, y, z);
                    let by = n.texel(x, (y + 1) % 32, z);
                    let bz = n.texel(x, y, (z + 1) % 32);
                    for c in 0..4 {
                        sum[0] += f64::from(a[c].abs_diff(by[c]));
                        sum[1] += f64::from(a[c].abs_diff(bz[c]));
                    }
                }
            }
        }
        let per = 32.0 * 32.0 * 32.0 * 4.0;
        assert!(sum[0] / per < 35.0 && sum[1] / per < 35.0, "{sum:?}");
        let vol_lq = NoiseKind::VolLq.generate(9);
        assert!(mean_step(&vol_lq, 0..31) > 70.0);
    }

    #[test]
    fn cubic_passes_through_its_middle_samples() {
        assert_eq!(cubic(0.1, 0.4, 0.8, 0.3, 0.0), 0.4);
        assert!((cubic(0.1, 0.4, 0.8, 0.3, 1.0) - 0.8).abs() < 1e-6);
        assert_eq!(
            cubic_texel([[0; 4], [255; 4], [255; 4], [0; 4]], 0.5),
            [255; 4]
        );
    }

    #[test]
    fn finds_textures_in_any_case() {
        let Some(dir) = shared_textures("finds_textures_in_any_case") else {
            return;
        };
        let p = find_user_texture("CLOUDS", &[&dir]).expect("clouds.jpg");
        assert_eq!(p, dir.join("clouds.jpg"));
        let p = find_user_texture("oibeans1", &[&dir]).expect("OIbeans1.jpg");
        assert_eq!(p.file_name().unwrap(), "OIbeans1.jpg");
        assert_eq!(find_user_texture("no_such_texture", &[&dir]), None);
        // A missing directory is simply skipped.
        let p = find_user_texture("sky", &[dir.join("nope"), dir.clone()]);
        assert_eq!(p, Some(dir.join("sky.jpg")));
    }

    #[test]
    fn extensions_and_directory_order() {
        let a = Scratch::new("ext-a");
        let b = Scratch::new("ext-b");
        a.image("Tex.PNG", 2, 2, [255, 0, 0, 255]);
        a.image("tex.tga", 2, 2, [0, 255, 0, 255]);
        b.image("tex.jpg", 2, 2, [0, 0, 255, 255]);
        a.image("only_bmp.bmp", 3, 1, [9, 9, 9, 255]);
        // png comes before tga; the first directory wins over the second.
        assert_eq!(
            find_user_texture("tex", &[&a.0, &b.0]),
            Some(a.0.join("Tex.PNG"))
        );
        assert_eq!(
            find_user_texture("tex", &[&b.0, &a.0]),
            Some(b.0.join("tex.jpg"))
        );
        for (file, rgba) in [("Tex.PNG", [255, 0, 0, 255]), ("tex.tga", [0, 255, 0, 255])] {
            let img = load_image(&a.0.join(file)).unwrap();
            assert_eq!((img.width, img.height), (2, 2));
            assert_eq!(img.rgba[..4], rgba);
        }
        let bmp = load_image(&find_user_texture("ONLY_BMP", &[&a.0]).unwrap()).unwrap();
        assert_eq!((bmp.width, bmp.height), (3, 1));
        assert_eq!(bmp.rgba[..4], [9, 9, 9, 255]);
        // A bitmap named .dib loads as one.
        std::fs::copy(a.0.join("only_bmp.bmp"), a.0.join("dibbed.DIB")).unwrap();
        let dib = load_image(&find_user_texture("dibbed", &[&a.0]).unwrap()).unwrap();
        assert_eq!((dib.width, dib.height), (3, 1));
    }

    #[test]
    fn loads_a_real_texture() {
        let Some(dir) = shared_textures("loads_a_real_texture") else {
            return;
        };
        let img = load_image(&dir.join("clouds.jpg")).unwrap();
        assert_eq!((img.width, img.height), (128, 128));
        assert_eq!(img.rgba.len(), 128 * 128 * 4);
        assert!(img.rgba.chunks_exact(4).all(|p| p[3] == 255));
        let spread = img.rgba.chunks_exact(4).map(|p| p[0]).max().unwrap()
            - img.rgba.chunks_exact(4).map(|p| p[0]).min().unwrap();
        assert!(spread > 50, "a real picture, not a flat fill");
    }

    #[test]
    fn large_images_are_scaled_down() {
        let s = Scratch::new("big");
        let p = s.image("wide.png", 5000, 10, [10, 20, 30, 255]);
        let img = load_image(&p).unwrap();
        assert_eq!((img.width, img.height), (MAX_TEXTURE_SIDE, 8));
        assert_eq!(img.rgba[..4], [10, 20, 30, 255]);
        let bytes = std::fs::read(&p).unwrap();
        let small = decode_image(&bytes, &p, 100).unwrap();
        assert_eq!((small.width, small.height), (100, 1));
    }

    #[test]
    fn corrupt_files_are_errors() {
        let s = Scratch::new("corrupt");
        let garbage = s.write("clouds.jpg", b"this is not a picture at all");
        let err = load_image(&garbage).unwrap_err();
        assert!(matches!(&err, TextureError::Decode { path, .. } if *path == garbage));
        assert!(err.to_string().contains("clouds.jpg"), "{err}");
        // A truncated JPEG, PNG header only, an empty file.
        let real = std::fs::read(s.image("sky.jpg", 64, 64, [30, 90, 200, 255])).unwrap();
        let cut = s.write("cut.jpg", &real[..real.len() / 3]);
        let png = s.write("head.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x10\0");
        let empty = s.write("empty.tga", b"");
        for p in [cut, png, empty] {
            match load_image(&p) {
                Err(TextureError::Decode { path, .. }) => assert_eq!(path, p),
                // A decoder may fill in what a truncated file lacks.
                Ok(img) => assert!(img.width > 0),
                Err(e) => panic!("unexpected {e}"),
            }
        }
        let missing = s.0.join("gone.png");
        assert!(matches!(load_image(&missing), Err(TextureError::Io { .. })));
    }

    #[test]
    fn missing_textures_warn_with_the_places_searched() {
        let preset = Scratch::new("preset");
        let textures = Scratch::new("texture-dir");
        textures.image("clouds.jpg", 2, 2, [5, 6, 7, 255]);
        let mut store = TextureStore::new(1, vec![textures.0.clone()]);
        let w = store
            .resolve_user("no_such_texture", Some(&preset.0))
            .unwrap_err();
        let TextureWarning::NotFound { name, searched } = &w else {
            panic!("{w:?}");
        };
        assert_eq!(name, "no_such_texture");
        assert_eq!(searched, &vec![preset.0.clone(), textures.0.clone()]);
        let text = w.to_string();
        assert!(text.contains("no_such_texture") && text.contains(&*preset.0.to_string_lossy()));
        // Found next to the preset before the texture directories.
        preset.image("clouds.png", 1, 1, [1, 2, 3, 255]);
        assert_eq!(
            store.resolve_user("clouds", Some(&preset.0)),
            Ok(TextureKey::File(preset.0.join("clouds.png")))
        );
        assert_eq!(
            store.resolve_user("clouds", None),
            Ok(TextureKey::File(textures.0.join("clouds.jpg")))
        );
        // Added images come after the preset's folder, before the texture
        // directories.
        let added = Image {
            width: 1,
            height: 1,
            rgba: vec![9; 4],
        };
        assert!(store.add_image("Clouds.PNG", added.clone()));
        assert_eq!(
            store.resolve_user("clouds", None),
            Ok(TextureKey::Added("Clouds.PNG".into()))
        );
        assert_eq!(
            store.resolve_user("clouds", Some(&preset.0)),
            Ok(TextureKey::File(preset.0.join("clouds.png")))
        );
        // And stay when the directories change; removed, the file is back.
        store.set_texture_dirs(vec![textures.0.clone()]);
        assert_eq!(store.added_images().collect::<Vec<_>>(), ["Clouds.PNG"]);
        assert!(store.remove_image("clouds.png"));
        assert_eq!(
            store.resolve_user("clouds", None),
            Ok(TextureKey::File(textures.0.join("clouds.jpg")))
        );
        // Only image names and whole images are taken.
        assert!(!store.add_image("clouds.txt", added.clone()));
        assert!(!store.add_image("clouds", added.clone()));
        let short = Image {
            width: 2,
            height: 2,
            rgba: vec![0; 12],
        };
        assert!(!store.add_image("short.png", short));
        assert_eq!(store.added_images().count(), 0);
    }

    #[test]
    fn random_picks_include_added_images() {
        let mut store = TextureStore::new(1, Vec::new());
        let img = |v: u8| Image {
            width: 1,
            height: 1,
            rgba: vec![v; 4],
        };
        store.begin_preset(5);
        assert!(matches!(
            store.resolve_user("rand01_tiled", None),
            Err(TextureWarning::NoRandomCandidates { .. })
        ));
        store.add_image("tiled_a.png", img(1));
        store.add_image("TILED_b.jpg", img(2));
        store.add_image("other.png", img(3));
        let mut picked = std::collections::HashSet::new();
        for seed in 0..40 {
            store.begin_preset(seed);
            let pick = store.resolve_user("rand01_tiled", None).unwrap();
            assert_eq!(store.resolve_user("rand01_tiled", None), Ok(pick.clone()));
            picked.insert(pick);
        }
        let want: std::collections::HashSet<TextureKey> = ["TILED_b.jpg", "tiled_a.png"]
            .into_iter()
            .map(|n| TextureKey::Added(n.into()))
            .collect();
        assert_eq!(picked, want);
    }

    #[test]
    fn images_fit_by_area_average() {
        // 4x2 of two columns each: halves average pairs of texels.
        let px = |v: u8| [v, v, v, 255];
        let rgba: Vec<u8> = [0u8, 100, 200, 50, 10, 110, 210, 60]
            .into_iter()
            .flat_map(px)
            .collect();
        let img = Image {
            width: 4,
            height: 2,
            rgba,
        };
        assert_eq!(img.clone().fit_within(4), img);
        let half = img.clone().fit_within(2);
        assert_eq!((half.width, half.height), (2, 1));
        assert_eq!(half.rgba, [55, 55, 55, 255, 130, 130, 130, 255]);
        // 3 -> 2 texels: each output covers one and a half inputs.
        let row = Image {
            width: 3,
            height: 1,
            rgba: [0u8, 90, 180].into_iter().flat_map(px).collect(),
        };
        let two = row.fit_within(2);
        assert_eq!(two.rgba, [30, 30, 30, 255, 150, 150, 150, 255]);
        // Never below one texel a side.
        let thin = Image {
            width: 1000,
            height: 1,
            rgba: vec![7; 4000],
        }
        .fit_within(10);
        assert_eq!((thin.width, thin.height, thin.rgba[0]), (10, 1, 7));
    }

    /// Level 0 and the levels [`mip_levels`] makes, one after the other.
    fn mip_chain(rgba: &[u8], size: (u32, u32, u32)) -> (u32, Vec<u8>) {
        let levels = mip_levels(rgba, size);
        let mut out = rgba.to_vec();
        levels.iter().for_each(|l| out.extend_from_slice(l));
        (levels.len() as u32 + 1, out)
    }

    /// The chain without [`mip_levels`]'s 2x2 fast path: every level
    /// through [`box_filter`].
    fn mip_chain_general(rgba: &[u8], (w, h, d): (u32, u32, u32)) -> Vec<u8> {
        let (mut w, mut h, mut d) = (w as usize, h as usize, d as usize);
        let (mut out, mut above) = (rgba.to_vec(), rgba.to_vec());
        while w > 1 || h > 1 || d > 1 {
            let next_size = ((w / 2).max(1), (h / 2).max(1), (d / 2).max(1));
            above = box_filter(&above, (w, h, d), next_size);
            out.extend_from_slice(&above);
            (w, h, d) = next_size;
        }
        out
    }

    #[test]
    fn the_2x2_fast_path_gives_the_general_box_filter_s_texels() {
        for size in [
            (8, 8, 1),
            (25, 17, 1),
            (200, 3, 1),
            (1, 9, 1),
            (7, 6, 3),
            (64, 2, 1),
        ] {
            let n = (size.0 * size.1 * size.2 * 4) as usize;
            let rgba: Vec<u8> = (0..n as u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
                .collect();
            let (_, fast) = mip_chain(&rgba, size);
            assert!(fast == mip_chain_general(&rgba, size), "{size:?}");
        }
    }

    #[test]
    fn mip_chains_average_down_to_one_texel() {
        // 2x2: one level above 1x1, the rounded mean per channel.
        let rgba = [
            0, 10, 255, 255, 1, 10, 255, 255, 2, 10, 0, 255, 4, 11, 0, 255,
        ];
        let (levels, data) = mip_chain(&rgba, (2, 2, 1));
        assert_eq!(levels, 2);
        assert_eq!(data[..16], rgba);
        assert_eq!(data[16..], [2, 10, 128, 255]);
        // A 4x2 strip halves in x until 1x1: 4x2, 2x1, 1x1.
        let (levels, data) = mip_chain(&[100; 4 * 2 * 4], (4, 2, 1));
        assert_eq!((levels, data.len()), (3, (8 + 2 + 1) * 4));
        assert!(data.iter().all(|&v| v == 100));
        // Volume noise: 32^3 down to 1^3, six levels.
        let n = NoiseKind::VolLq.generate(7);
        let (levels, data) = mip_chain(&n.rgba, (32, 32, 32));
        assert_eq!(levels, 6);
        let texels: usize = (0..6).map(|l| (32usize >> l).pow(3)).sum();
        assert_eq!(data.len(), texels * 4);
        // Uniform noise averages towards the middle.
        let last = &data[data.len() - 4..];
        assert!(
            last[..3].iter().all(|&v| (112..=144).contains(&v)),
            "{last:?}"
        );
    }

    #[test]
    fn rand_names() {
        assert_eq!(parse_rand_name("rand00"), Some((0, "")));
        assert_eq!(parse_rand_name("rand15"), Some((15, "")));
        assert_eq!(
            parse_rand_name("rand02_smalltiled"),
            Some((2, "smalltiled"))
        );
        assert_eq!(parse_rand_name("rand07_"), Some((7, "")));
        assert_eq!(parse_rand_name("rand16"), None);
        assert_eq!(parse_rand_name("rand1"), None);
        assert_eq!(parse_rand_name("rand1x"), None);
        assert_eq!(parse_rand_name("rand012"), None);
        assert_eq!(parse_rand_name("random"), None);
        assert_eq!(parse_rand_name("clouds"), None);
    }

    #[test]
    fn rand_picks_are_stable_per_preset_and_seeded() {
        let Some(dir) = shared_textures("rand_picks_are_stable_per_preset_and_seeded") else {
            return;
        };
        let dirs = vec![dir];
        let mut store = TextureStore::new(1, dirs.clone());
        store.begin_preset(100);
        let first = store.resolve_user("rand03", None).unwrap();
        assert!(matches!(&first, TextureKey::File(p) if p.starts_with(&dirs[0])));
        assert_eq!(store.resolve_user("rand03", None), Ok(first.clone()));
        // The slot keeps its pick within the preset, whatever the suffix.
        assert_eq!(
            store.resolve_user("rand03_smalltiled", None),
            Ok(first.clone())
        );
        // Same seed, same pick; other seeds pick other files.
        let mut again = TextureStore::new(2, dirs.clone());
        again.begin_preset(100);
        assert_eq!(again.resolve_user("rand03", None), Ok(first.clone()));
        let picks: std::collections::HashSet<TextureKey> = (0..20)
            .map(|seed| {
                store.begin_preset(seed);
                store.resolve_user("rand03", None).unwrap()
            })
            .collect();
        assert!(picks.len() > 5, "{picks:?}");
        // Slots are independent.
        let slots: std::collections::HashSet<TextureKey> = (0..16)
            .map(|s| store.resolve_user(&format!("rand{s:02}"), None).unwrap())
            .collect();
        assert!(slots.len() > 5);
    }

    #[test]
    fn rand_prefix_restricts_the_pick() {
        let Some(dir) = shared_textures("rand_prefix_restricts_the_pick") else {
            return;
        };
        let dirs = vec![dir];
        let all = random_texture_candidates("", &dirs);
        assert!(all.len() >= 60, "{}", all.len());
        let tiled = random_texture_candidates("SmallTiled", &dirs);
        assert_eq!(tiled.len(), 4);
        for seed in 0..10 {
            let p = pick_random_texture(1, "smalltiled", seed, &dirs).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().to_lowercase();
            assert!(name.starts_with("smalltiled"), "{name}");
        }
        let mut store = TextureStore::new(0, dirs.clone());
        let w = store
            .resolve_user("rand05_nothinglikethis", None)
            .unwrap_err();
        assert!(
            matches!(&w, TextureWarning::NoRandomCandidates { prefix, .. } if prefix == "nothinglikethis"),
            "{w:?}"
        );
        // No texture directories: nothing to pick.
        let mut bare = TextureStore::new(0, Vec::new());
        assert!(bare.resolve_user("rand00", None).is_err());
        // rand16 is an ordinary (missing) name.
        assert!(matches!(
            store.resolve_user("rand16", None),
            Err(TextureWarning::NotFound { .. })
        ));
    }

    #[test]
    fn splitmix_below_stays_in_range() {
        let mut r = SplitMix64::new(0);
        let mut seen = [false; 7];
        for _ in 0..1000 {
            let v = r.below(7);
            seen[v as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
        assert_eq!(SplitMix64::new(5).next_u64(), SplitMix64::new(5).next_u64());
    }
}
