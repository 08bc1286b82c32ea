//! Opening the GPU the way every front-end does: the instance flags for
//! playing, the adapter for a window or screen, the limits the engine asks
//! for, the surface's configuration and offscreen targets, and noticing a
//! lost device. The desktop app,
//! the Pi box and the page call these rather than each choosing for
//! itself, and so does [`crate::headless`], the device of the tests, the C
//! API and the GStreamer element.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Watches `device` for loss: the flag returned is raised when the device
/// is lost for good (a GPU reset, e.g. a driver's watchdog stopping a frame
/// that ran too long), not when it is destroyed on purpose
/// (`Device::destroy`, or when it is dropped). `say` hears the driver's
/// message. Nothing renders on a lost device again: the front-ends check
/// the flag each frame and open another (kefir-player's `Player::gpu_lost`
/// and `Player::reopen_on`).
pub fn loss_flag(device: &wgpu::Device, say: impl Fn(&str) + Send + 'static) -> Arc<AtomicBool> {
    let lost = Arc::new(AtomicBool::new(false));
    let flag = lost.clone();
    device.set_device_lost_callback(move |reason, message| {
        if reason != wgpu::DeviceLostReason::Destroyed {
            say(&message);
            flag.store(true, Ordering::Relaxed);
        }
    });
    lost
}

/// Instance flags for playing presets: wgpu's defaults without the
/// backend's validation layers and debug labels, which slow rendering down
/// a lot (debug builds turn them on by default). `WGPU_VALIDATION=1` and
/// wgpu's other variables turn them back on.
pub fn playback_instance_flags() -> wgpu::InstanceFlags {
    (wgpu::InstanceFlags::default() - wgpu::InstanceFlags::VALIDATION - wgpu::InstanceFlags::DEBUG)
        .with_env()
}

/// Adapter options for drawing to `surface`: the high-performance GPU where
/// a machine has two.
pub fn adapter_options<'a>(surface: &'a wgpu::Surface<'_>) -> wgpu::RequestAdapterOptions<'a, 'a> {
    wgpu::RequestAdapterOptions {
        power_preference: wgpu::PowerPreference::HighPerformance,
        force_fallback_adapter: false,
        compatible_surface: Some(surface),
        apply_limit_buckets: false,
    }
}

/// The limits the engine asks a native adapter for: wgpu's downlevel
/// defaults (what GLES 3.1 and the Pi's v3dv offer), the texture sizes
/// raised to the adapter's so a 4K screen gets 4K frames.
pub fn native_limits(adapter: &wgpu::Adapter) -> wgpu::Limits {
    wgpu::Limits::downlevel_defaults().using_resolution(adapter.limits())
}

/// The limits the engine asks a browser's adapter for: what WebGL2
/// guarantees, the texture sizes raised to the adapter's. The page asks for
/// them on WebGPU too, so both APIs run the same engine.
pub fn webgl2_limits(adapter: &wgpu::Adapter) -> wgpu::Limits {
    wgpu::Limits::downlevel_webgl2_defaults().using_resolution(adapter.limits())
}

/// Why a surface could not be configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SurfaceSetupError {
    #[error("the surface offers no format")]
    NoFormat,
    #[error("the adapter cannot present to this surface")]
    CannotPresent,
}

/// What a front-end wants of its window's or screen's surface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SurfaceRequest {
    /// Width and height in pixels (each taken as at least 1).
    pub size: (u32, u32),
    pub present_mode: wgpu::PresentMode,
    /// Whether frames should be readable (`COPY_SRC`, for screenshots),
    /// where the surface allows it.
    pub readable: bool,
}

/// Configures `surface` as `request` asks and returns its configuration:
/// [`surface_format`](crate::surface_format)'s format, at most two frames
/// queued, opaque where the compositor offers it (a preset's alpha is not
/// the window's).
pub fn configure_surface(
    surface: &wgpu::Surface<'_>,
    adapter: &wgpu::Adapter,
    device: &wgpu::Device,
    request: SurfaceRequest,
) -> Result<wgpu::SurfaceConfiguration, SurfaceSetupError> {
    let (width, height) = request.size;
    let caps = surface.get_capabilities(adapter);
    let format = crate::surface_format(&caps.formats).ok_or(SurfaceSetupError::NoFormat)?;
    let mut config = surface
        .get_default_config(adapter, width.max(1), height.max(1))
        .ok_or(SurfaceSetupError::CannotPresent)?;
    config.format = format;
    config.present_mode = request.present_mode;
    config.desired_maximum_frame_latency = 2;
    if request.readable && caps.usages.contains(wgpu::TextureUsages::COPY_SRC) {
        config.usage |= wgpu::TextureUsages::COPY_SRC;
    }
    if caps.alpha_modes.contains(&wgpu::CompositeAlphaMode::Opaque) {
        config.alpha_mode = wgpu::CompositeAlphaMode::Opaque;
    }
    surface.configure(device, &config);
    Ok(config)
}

/// A texture to render frames into and read back: RGBA8, `width` x
/// `height` (the caller keeps them within the device's limits).
pub fn offscreen_target(
    device: &wgpu::Device,
    (width, height): (u32, u32),
    label: &str,
) -> wgpu::Texture {
    device.create_texture(&wgpu::TextureDescriptor {
        label: Some(label),
        size: wgpu::Extent3d {
            width,
            height,
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: wgpu::TextureFormat::Rgba8Unorm,
        usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
        view_formats: &[],
    })
}
