//! What Kefir asks of Mesa's software rasterisers (llvmpipe for GL,
//! lavapipe for Vulkan), so that a machine without a GPU draws what a GPU
//! draws.
//!
//! llvmpipe's fast texture path ("AoS" sampling) filters 8-bit textures in
//! 8-bit fixed point and hands the shader the filtered value rounded to a
//! 255th. GPUs, SwiftShader (butterchurn in a browser without a GPU) and
//! llvmpipe's own float path keep the fraction. Most pictures cannot tell,
//! but a shader that hashes a texture read, such as the noise idiom
//! `frac(8 * tex2D(sampler_noise_lq, uv))` or a distance packed into two
//! channels with `modf(d * 255)`, sees only whole 255ths and draws another
//! picture: benches/README.md (fifteenth session) measures 32 of 161 hard
//! pack presets closer to butterchurn with the float path and 7 further,
//! at no measured cost in frame time.

/// The variable and value that select llvmpipe's float texture path.
pub const GALLIVM_PERF: (&str, &str) = ("GALLIVM_PERF", "no_aos_sampling");

/// Asks llvmpipe/lavapipe, should wgpu land on one, to filter textures in
/// floating point as GPUs do (see the module docs), unless the user set
/// `GALLIVM_PERF` (even to nothing). Mesa reads it when its driver loads,
/// so call this before creating a `wgpu::Instance`. Drivers of real GPUs
/// ignore it. Returns whether it set the variable (false: the user's
/// setting stands).
///
/// # Safety
///
/// It sets a process environment variable ([`std::env::set_var`]): call it
/// while no other thread can read or write the environment, as the first
/// thing in `main`.
pub unsafe fn request_exact_texture_filtering() -> bool {
    let (name, value) = GALLIVM_PERF;
    if std::env::var_os(name).is_some() {
        return false;
    }
    // SAFETY: the caller guarantees no other thread touches the environment
    // now.
    unsafe { std::env::set_var(name, value) };
    true
}
