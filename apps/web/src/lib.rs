//! Kefir in the browser: the wasm-bindgen bindings behind `apps/web`'s page
//! and JS module.
//!
//! Everything the page does goes through `kefir-player` (presets, playlist,
//! blends, favourites, audio analysis) on a wgpu device opened on the page's
//! canvas: WebGPU where the browser offers an adapter, else WebGL2, within
//! `wgpu::Limits::downlevel_webgl2_defaults()`. The `web` module (wasm32
//! only) is the binding, `offscreen` a WebGPU render without a canvas (a
//! check for tests and pages); [`report`] is what JavaScript is told, and
//! builds and is tested on any target.

#[cfg(target_arch = "wasm32")]
mod offscreen;
pub mod report;
#[cfg(target_arch = "wasm32")]
mod web;
