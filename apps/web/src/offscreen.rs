//! A render on WebGPU with no canvas, read back: proof that a preset runs
//! on the browser's WebGPU where presenting to a canvas cannot be tested
//! (headless Chromium's SwiftShader adapter loses the device at the first
//! present, see `tests/web.mjs`), and a way for a page to try a device
//! before drawing with it. Nothing here blocks: the read-back waits on the
//! browser's `mapAsync`.

use std::sync::{Arc, Mutex};

use kefir_player::{Player, PlayerConfig};
use milk_audio::DemoInput;
use milk_engine::headless::Staged;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::report::{Event, Report};

/// What `webgpuOffscreenCheck` resolves to.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Check {
    /// The adapter's name.
    adapter: String,
    /// "WebGPU".
    backend: &'static str,
    frames: u32,
    /// The load report of the preset.
    report: Option<Report>,
    /// Fraction of the last frame's pixels with a channel above 24.
    lit: f64,
    /// Mean of the last frame's RGB values (0-255).
    mean: f64,
    /// Mean absolute RGB difference between the middle and the last frame.
    change: f64,
    /// Errors the device reported (validation, out of memory).
    errors: Vec<String>,
}

fn js_error(message: impl std::fmt::Display) -> JsValue {
    js_sys::Error::new(&message.to_string()).into()
}

/// Renders `frames` frames (at 60 fps, the demo signal as audio) of preset
/// `text` into a `width`x`height` texture on a WebGPU device of its own,
/// and reads the middle and the last frame back. Rejects when the browser
/// offers no WebGPU adapter.
#[wasm_bindgen(js_name = webgpuOffscreenCheck)]
pub async fn webgpu_offscreen_check(
    name: String,
    text: String,
    width: u32,
    height: u32,
    frames: u32,
) -> Result<JsValue, JsValue> {
    let mut desc = wgpu::InstanceDescriptor::new_without_display_handle();
    desc.backends = wgpu::Backends::BROWSER_WEBGPU;
    let instance = wgpu::Instance::new(desc);
    let adapter = instance
        .request_adapter(&wgpu::RequestAdapterOptions::default())
        .await
        .map_err(|e| js_error(format!("no WebGPU adapter: {e}")))?;
    let limits = milk_engine::gpu::webgl2_limits(&adapter);
    let (device, queue) = adapter
        .request_device(&wgpu::DeviceDescriptor {
            label: Some("kefir offscreen check"),
            required_limits: limits,
            ..Default::default()
        })
        .await
        .map_err(|e| js_error(format!("no WebGPU device: {e}")))?;
    let errors = Arc::new(Mutex::new(Vec::new()));
    let sink = errors.clone();
    device.on_uncaptured_error(Arc::new(move |error| {
        if let Ok(mut errors) = sink.lock() {
            errors.push(error.to_string());
        }
    }));

    let config = PlayerConfig {
        preload: false,
        seed: 1,
        engine: milk_engine::Config {
            seed: 1,
            ..milk_engine::Config::default()
        },
        ..PlayerConfig::default()
    };
    let mut player =
        Player::new(device.clone(), queue.clone(), config).map_err(|e| js_error(e.to_string()))?;
    player.load_text(&name, &text);
    let report = player
        .poll_events()
        .iter()
        .filter_map(Event::from_player)
        .find_map(|event| match event {
            Event::Preset(report) => Some(report),
            _ => None,
        });

    let max = device.limits().max_texture_dimension_2d;
    let (width, height) = (width.clamp(1, max), height.clamp(1, max));
    let target =
        milk_engine::gpu::offscreen_target(&device, (width, height), "kefir offscreen frame");
    let frames = frames.max(2);
    let dt = 1.0 / 60.0;
    let mut demo = DemoInput::default();
    let mut middle = Vec::new();
    for frame in 1..=frames {
        player.feed_demo(&mut demo, dt);
        player.render(dt, &target).map_err(js_error)?;
        if frame == frames / 2 {
            middle = read_back(&device, &queue, &target).await?;
        }
    }
    let last = read_back(&device, &queue, &target).await?;

    let pixels = (last.len() / 4).max(1) as f64;
    let lit = last
        .chunks_exact(4)
        .filter(|p| p[..3].iter().any(|&c| c > 24))
        .count() as f64
        / pixels;
    let rgb =
        |img: &[u8]| -> Vec<u8> { img.chunks_exact(4).flat_map(|p| p[..3].to_vec()).collect() };
    let (last_rgb, middle_rgb) = (rgb(&last), rgb(&middle));
    let mean = last_rgb.iter().map(|&c| f64::from(c)).sum::<f64>() / last_rgb.len().max(1) as f64;
    let change = last_rgb
        .iter()
        .zip(&middle_rgb)
        .map(|(&a, &b)| f64::from(a.abs_diff(b)))
        .sum::<f64>()
        / last_rgb.len().max(1) as f64;
    let errors = errors.lock().map(|e| e.clone()).unwrap_or_default();
    let check = Check {
        adapter: adapter.get_info().name,
        backend: "WebGPU",
        frames,
        report,
        lit,
        mean,
        change,
        errors,
    };
    let value = crate::web::to_js(&check);
    if value.is_null() {
        return Err(js_error("the check's result did not serialise"));
    }
    Ok(value)
}

/// The texture's RGBA rows, tightly packed, once the browser has mapped the
/// copy.
async fn read_back(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    texture: &wgpu::Texture,
) -> Result<Vec<u8>, JsValue> {
    let staged = Staged::copy(device, queue, texture).map_err(js_error)?;
    let mapped = js_sys::Promise::new(&mut |resolve, reject| {
        staged
            .buffer
            .map_async(wgpu::MapMode::Read, .., move |result| {
                let _ = match result {
                    Ok(()) => resolve.call0(&JsValue::NULL),
                    Err(e) => reject.call1(&JsValue::NULL, &js_error(format!("read-back: {e}"))),
                };
            });
    });
    wasm_bindgen_futures::JsFuture::from(mapped).await?;
    staged.into_rgba().map_err(js_error)
}
