//! Rendering without a window: a device on whatever adapter the machine has
//! (Mesa's lavapipe, software Vulkan, on machines without a GPU), offscreen
//! targets and read-back, for tests and `kefir render`.
//!
//! `WGPU_BACKEND=vulkan|gl|...` picks the backend (default: Vulkan, Metal,
//! DX12 and GL, in wgpu's order of preference); `WGPU_ADAPTER_NAME` picks an
//! adapter by name.

/// Why no device could be created.
#[derive(Debug, thiserror::Error)]
pub enum HeadlessError {
    #[error(
        "no wgpu adapter found (backends {0:?}); on Debian without a GPU install \
         Mesa's software Vulkan: apt-get install mesa-vulkan-drivers libvulkan1 \
         (scripts/setup.sh does), or try WGPU_BACKEND=gl"
    )]
    NoAdapter(wgpu::Backends),
    #[error("the adapter refused a device: {0}")]
    Device(#[from] wgpu::RequestDeviceError),
    #[error("reading the texture back failed: {0}")]
    Readback(String),
    #[error("read-back supports 8-bit RGBA/BGRA textures, not {0:?}")]
    Format(wgpu::TextureFormat),
    #[error("a {width}x{height} frame with rows of {stride} bytes does not fit {len} bytes")]
    Destination {
        width: u32,
        height: u32,
        stride: usize,
        len: usize,
    },
}

/// A device and queue without a window.
pub struct Headless {
    pub instance: wgpu::Instance,
    pub adapter: wgpu::Adapter,
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
}

impl Headless {
    /// Creates a device on the first adapter wgpu finds (honouring
    /// `WGPU_BACKEND` and `WGPU_ADAPTER_NAME`).
    pub fn new() -> Result<Self, HeadlessError> {
        pollster::block_on(Self::new_async())
    }

    pub async fn new_async() -> Result<Self, HeadlessError> {
        Self::with_features_async(wgpu::Features::empty()).await
    }

    /// [`Headless::new`], asking also for those of `wanted` the adapter
    /// has (for example `TIMESTAMP_QUERY`, for GPU time per pass).
    pub fn with_features(wanted: wgpu::Features) -> Result<Self, HeadlessError> {
        pollster::block_on(Self::with_features_async(wanted))
    }

    pub async fn with_features_async(wanted: wgpu::Features) -> Result<Self, HeadlessError> {
        let desc = wgpu::InstanceDescriptor::new_without_display_handle_from_env();
        let backends = desc.backends;
        let instance = wgpu::Instance::new(desc);
        let adapter = match wgpu::util::initialize_adapter_from_env(&instance, None).await {
            Ok(a) => a,
            Err(_) => instance
                .request_adapter(&wgpu::RequestAdapterOptions::default())
                .await
                .map_err(|_| HeadlessError::NoAdapter(backends))?,
        };
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("kefir headless"),
                required_features: wanted & adapter.features(),
                required_limits: crate::gpu::native_limits(&adapter),
                ..Default::default()
            })
            .await?;
        Ok(Headless {
            instance,
            adapter,
            device,
            queue,
        })
    }

    /// A device on wgpu's GL backend (Mesa's llvmpipe through EGL without a
    /// GPU) with only what WebGL2 guarantees:
    /// `wgpu::Limits::downlevel_webgl2_defaults()`, the texture size raised
    /// to the adapter's, as the browser build (apps/web) asks for. Tests
    /// render on it to check the engine stays within those limits.
    pub fn webgl2() -> Result<Self, HeadlessError> {
        pollster::block_on(async {
            let mut desc = wgpu::InstanceDescriptor::new_without_display_handle();
            desc.backends = wgpu::Backends::GL;
            let instance = wgpu::Instance::new(desc);
            let adapter = instance
                .request_adapter(&wgpu::RequestAdapterOptions::default())
                .await
                .map_err(|_| HeadlessError::NoAdapter(wgpu::Backends::GL))?;
            let (device, queue) = adapter
                .request_device(&wgpu::DeviceDescriptor {
                    label: Some("kefir headless webgl2"),
                    required_limits: crate::gpu::webgl2_limits(&adapter),
                    ..Default::default()
                })
                .await?;
            Ok(Headless {
                instance,
                adapter,
                device,
                queue,
            })
        })
    }

    /// "name (backend)" of the adapter, for logs.
    pub fn adapter_description(&self) -> String {
        let info = self.adapter.get_info();
        format!("{} ({:?})", info.name, info.backend)
    }

    /// An offscreen RGBA8 texture a [`crate::Visualizer`] can render into
    /// and [`Headless::read_rgba`] can read.
    pub fn target(&self, width: u32, height: u32) -> wgpu::Texture {
        crate::gpu::offscreen_target(&self.device, (width, height), "kefir offscreen target")
    }

    /// The pixels of `texture` as RGBA bytes, rows top to bottom.
    pub fn read_rgba(&self, texture: &wgpu::Texture) -> Result<Vec<u8>, HeadlessError> {
        read_rgba(&self.device, &self.queue, texture)
    }
}

/// The pixels of an 8-bit RGBA or BGRA `texture` (with `COPY_SRC` usage) as
/// RGBA bytes, rows top to bottom. Blocks until the GPU is done.
pub fn read_rgba(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    texture: &wgpu::Texture,
) -> Result<Vec<u8>, HeadlessError> {
    let staged = Staged::copy(device, queue, texture)?;
    let (tx, rx) = std::sync::mpsc::channel();
    staged.buffer.map_async(wgpu::MapMode::Read, .., move |r| {
        let _ = tx.send(r);
    });
    device
        .poll(wgpu::PollType::wait_indefinitely())
        .map_err(|e| HeadlessError::Readback(e.to_string()))?;
    rx.recv()
        .map_err(|e| HeadlessError::Readback(e.to_string()))?
        .map_err(|e| HeadlessError::Readback(e.to_string()))?;
    staged.into_rgba()
}

/// A texture's copy in a buffer to map, submitted: the half of a read-back
/// that does not wait. [`read_rgba`] waits by polling the device; on the web
/// the caller awaits the browser's `mapAsync` on [`Staged::buffer`] instead,
/// then calls [`Staged::into_rgba`].
pub struct Staged {
    /// The buffer holding the copy (rows padded to
    /// `COPY_BYTES_PER_ROW_ALIGNMENT`), usable with `map_async`.
    pub buffer: wgpu::Buffer,
    row: u32,
    padded: u32,
    height: u32,
    bgra: bool,
}

impl Staged {
    /// Copies `texture` (8-bit RGBA or BGRA) into a new buffer and submits
    /// the copy.
    pub fn copy(
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        texture: &wgpu::Texture,
    ) -> Result<Staged, HeadlessError> {
        use wgpu::TextureFormat as F;
        let bgra = match texture.format() {
            F::Rgba8Unorm | F::Rgba8UnormSrgb => false,
            F::Bgra8Unorm | F::Bgra8UnormSrgb => true,
            other => return Err(HeadlessError::Format(other)),
        };
        let (width, height) = (texture.width(), texture.height());
        let row = width * 4;
        let padded = row.next_multiple_of(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT);
        let buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("kefir read-back"),
            size: u64::from(padded) * u64::from(height),
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        let mut encoder = device.create_command_encoder(&Default::default());
        encoder.copy_texture_to_buffer(
            texture.as_image_copy(),
            wgpu::TexelCopyBufferInfo {
                buffer: &buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(padded),
                    rows_per_image: Some(height),
                },
            },
            texture.size(),
        );
        queue.submit([encoder.finish()]);
        Ok(Staged {
            buffer,
            row,
            padded,
            height,
            bgra,
        })
    }

    /// The pixels as tightly packed RGBA rows, once [`Staged::buffer`] is
    /// mapped.
    pub fn into_rgba(self) -> Result<Vec<u8>, HeadlessError> {
        let (row, padded) = (self.row as usize, self.padded as usize);
        let mut out = Vec::with_capacity(row * self.height as usize);
        {
            let view = self
                .buffer
                .get_mapped_range(..)
                .map_err(|e| HeadlessError::Readback(e.to_string()))?;
            for r in 0..self.height as usize {
                let start = r * padded;
                out.extend_from_slice(&view[start..start + row]);
            }
        }
        self.buffer.unmap();
        if self.bgra {
            for px in out.chunks_exact_mut(4) {
                px.swap(0, 2);
            }
        }
        Ok(out)
    }
}

/// Reads frames back into memory the caller owns, reusing one staging
/// buffer while the size stays the same: for hosts that copy every frame
/// out (the C API, the GStreamer element). The bytes are the texture's own
/// (RGBA or BGRA, as its format says), rows top to bottom.
#[derive(Default)]
pub struct FrameReader {
    staging: Option<Staging>,
}

struct Staging {
    buffer: wgpu::Buffer,
    size: (u32, u32),
    padded_row: u32,
}

impl FrameReader {
    pub fn new() -> Self {
        Self::default()
    }

    /// Copies an 8-bit RGBA or BGRA `texture` (with `COPY_SRC` usage) into
    /// `out`, row `y` starting at `y * stride` (`stride >= width * 4`; the
    /// bytes between rows are left alone). Blocks until the GPU is done.
    pub fn read_into(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        texture: &wgpu::Texture,
        out: &mut [u8],
        stride: usize,
    ) -> Result<(), HeadlessError> {
        use wgpu::TextureFormat as F;
        match texture.format() {
            F::Rgba8Unorm | F::Rgba8UnormSrgb | F::Bgra8Unorm | F::Bgra8UnormSrgb => {}
            other => return Err(HeadlessError::Format(other)),
        }
        let (width, height) = (texture.width(), texture.height());
        let row = width as usize * 4;
        let fits = stride >= row
            && stride
                .checked_mul(height.saturating_sub(1) as usize)
                .and_then(|n| n.checked_add(row))
                .is_some_and(|n| n <= out.len());
        if !fits {
            return Err(HeadlessError::Destination {
                width,
                height,
                stride,
                len: out.len(),
            });
        }
        if self
            .staging
            .as_ref()
            .is_none_or(|s| s.size != (width, height))
        {
            let padded_row = (width * 4).div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT)
                * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
            let buffer = device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("kefir frame read-back"),
                size: u64::from(padded_row) * u64::from(height),
                usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
                mapped_at_creation: false,
            });
            self.staging = Some(Staging {
                buffer,
                size: (width, height),
                padded_row,
            });
        }
        let Some(staging) = &self.staging else {
            return Err(HeadlessError::Readback("no staging buffer".into()));
        };
        let mut encoder = device.create_command_encoder(&Default::default());
        encoder.copy_texture_to_buffer(
            texture.as_image_copy(),
            wgpu::TexelCopyBufferInfo {
                buffer: &staging.buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(staging.padded_row),
                    rows_per_image: Some(height),
                },
            },
            texture.size(),
        );
        queue.submit([encoder.finish()]);
        let (tx, rx) = std::sync::mpsc::channel();
        staging.buffer.map_async(wgpu::MapMode::Read, .., move |r| {
            let _ = tx.send(r);
        });
        let failed = |e: String| HeadlessError::Readback(e);
        device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| failed(e.to_string()))?;
        rx.recv()
            .map_err(|e| failed(e.to_string()))?
            .map_err(|e| failed(e.to_string()))?;
        {
            let view = staging
                .buffer
                .get_mapped_range(..)
                .map_err(|e| failed(e.to_string()))?;
            let padded = staging.padded_row as usize;
            for y in 0..height as usize {
                out[y * stride..y * stride + row]
                    .copy_from_slice(&view[y * padded..y * padded + row]);
            }
        }
        staging.buffer.unmap();
        Ok(())
    }
}
