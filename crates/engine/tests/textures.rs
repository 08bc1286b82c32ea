//! The texture store on a real wgpu device (Mesa's lavapipe in CI): noise
//! and user textures uploaded, read back and sampled.

use std::path::{Path, PathBuf};

use milk_engine::headless::{self, Headless};
use milk_engine::stand_in::{self, StandIn};
use milk_engine::textures::{
    MISSING_TEXTURE_RGBA, NoiseKind, TextureStore, TextureWarning, load_image,
};
use milk_hlsl::{SamplerDim, TextureSource};

const SEED: u64 = 0x5EED;

fn gpu() -> Headless {
    match Headless::new() {
        Ok(h) => h,
        Err(e) => panic!("milk-engine tests need a wgpu adapter: {e}"),
    }
}

/// The corpus's texture directory, or `None` (skip reported) without one.
fn texture_dir(test: &str) -> Option<PathBuf> {
    kefir_corpus::dir_or_skip(test).map(|d| d.join("textures"))
}

/// Writes a `width` x `height` PNG of one colour.
fn write_png(path: &Path, width: u32, height: u32, rgba: [u8; 4]) {
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut encoder = png::Encoder::new(file, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let pixels: Vec<u8> = (0..width * height).flat_map(|_| rgba).collect();
    encoder
        .write_header()
        .unwrap()
        .write_image_data(&pixels)
        .unwrap();
}

/// All texels of a 3D RGBA8 texture, x fastest, then y, then z.
fn read_volume(gpu: &Headless, texture: &wgpu::Texture) -> Vec<u8> {
    let (w, h, d) = (
        texture.width(),
        texture.height(),
        texture.depth_or_array_layers(),
    );
    let row = w * 4;
    let padded =
        row.div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT) * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
    let buffer = gpu.device.create_buffer(&wgpu::BufferDescriptor {
        label: None,
        size: u64::from(padded * h * d),
        usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
        mapped_at_creation: false,
    });
    let mut encoder = gpu.device.create_command_encoder(&Default::default());
    encoder.copy_texture_to_buffer(
        texture.as_image_copy(),
        wgpu::TexelCopyBufferInfo {
            buffer: &buffer,
            layout: wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(padded),
                rows_per_image: Some(h),
            },
        },
        texture.size(),
    );
    gpu.queue.submit([encoder.finish()]);
    buffer.map_async(wgpu::MapMode::Read, .., |r| r.expect("map"));
    gpu.device
        .poll(wgpu::PollType::wait_indefinitely())
        .expect("poll");
    let view = buffer.get_mapped_range(..).expect("mapped");
    let mut out = Vec::with_capacity((row * h * d) as usize);
    for r in 0..(h * d) as usize {
        let start = r * padded as usize;
        out.extend_from_slice(&view[start..start + row as usize]);
    }
    out
}

/// Renders a 32x32 image whose pixel (x, y) samples the 3D view at texel
/// (x, y, `slice`) with a nearest sampler.
fn sample_slice(gpu: &Headless, view: &wgpu::TextureView, slice: u32) -> Vec<u8> {
    let shader = gpu
        .device
        .create_shader_module(wgpu::ShaderModuleDescriptor {
            label: None,
            source: wgpu::ShaderSource::Wgsl(
                format!(
                    "@group(0) @binding(0) var t: texture_3d<f32>;
                     @group(0) @binding(1) var s: sampler;
                     @vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4<f32> {{
                         let p = vec2<f32>(f32((i << 1u) & 2u), f32(i & 2u));
                         return vec4<f32>(p * 2.0 - 1.0, 0.0, 1.0);
                     }}
                     @fragment fn fs(@builtin(position) p: vec4<f32>) -> @location(0) vec4<f32> {{
                         let uvw = vec3<f32>(p.xy / 32.0, ({slice}.0 + 0.5) / 32.0);
                         return textureSampleLevel(t, s, uvw, 0.0);
                     }}"
                )
                .into(),
            ),
        });
    let target = gpu.target(32, 32);
    let layout = gpu
        .device
        .create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: None,
            entries: &[
                wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Texture {
                        sample_type: wgpu::TextureSampleType::Float { filterable: true },
                        view_dimension: wgpu::TextureViewDimension::D3,
                        multisampled: false,
                    },
                    count: None,
                },
                wgpu::BindGroupLayoutEntry {
                    binding: 1,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
                    count: None,
                },
            ],
        });
    let sampler = gpu.device.create_sampler(&wgpu::SamplerDescriptor {
        address_mode_u: wgpu::AddressMode::Repeat,
        address_mode_v: wgpu::AddressMode::Repeat,
        address_mode_w: wgpu::AddressMode::Repeat,
        ..Default::default()
    });
    let bind = gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: None,
        layout: &layout,
        entries: &[
            wgpu::BindGroupEntry {
                binding: 0,
                resource: wgpu::BindingResource::TextureView(view),
            },
            wgpu::BindGroupEntry {
                binding: 1,
                resource: wgpu::BindingResource::Sampler(&sampler),
            },
        ],
    });
    let pipeline_layout = gpu
        .device
        .create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: None,
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
    let pipeline = gpu
        .device
        .create_render_pipeline(&wgpu::RenderPipelineDescriptor {
            label: None,
            layout: Some(&pipeline_layout),
            vertex: wgpu::VertexState {
                module: &shader,
                entry_point: Some("vs"),
                compilation_options: Default::default(),
                buffers: &[],
            },
            fragment: Some(wgpu::FragmentState {
                module: &shader,
                entry_point: Some("fs"),
                compilation_options: Default::default(),
                targets: &[Some(target.format().into())],
            }),
            primitive: Default::default(),
            depth_stencil: None,
            multisample: Default::default(),
            multiview_mask: None,
            cache: None,
        });
    let target_view = target.create_view(&Default::default());
    let mut encoder = gpu.device.create_command_encoder(&Default::default());
    {
        let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: None,
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view: &target_view,
                depth_slice: None,
                resolve_target: None,
                ops: wgpu::Operations {
                    load: wgpu::LoadOp::Clear(wgpu::Color::BLACK),
                    store: wgpu::StoreOp::Store,
                },
            })],
            depth_stencil_attachment: None,
            timestamp_writes: None,
            occlusion_query_set: None,
            multiview_mask: None,
        });
        pass.set_pipeline(&pipeline);
        pass.set_bind_group(0, &bind, &[]);
        pass.draw(0..3, 0..1);
    }
    gpu.queue.submit([encoder.finish()]);
    gpu.read_rgba(&target).expect("read back")
}

#[test]
fn noise_and_user_textures_upload_and_read_back() {
    let Some(texture_dir) = texture_dir("milk-engine noise_and_user_textures_upload_and_read_back")
    else {
        return;
    };
    let gpu = gpu();
    let mut store = TextureStore::new(SEED, vec![texture_dir.clone()]);
    store.begin_preset(1);

    // 2D noise: the texels generated on the CPU.
    let (hq, warning) = store.get(&gpu.device, &gpu.queue, &TextureSource::NoiseHq, None);
    assert_eq!(warning, None);
    assert_eq!((hq.size, hq.depth), ((256, 256), 1));
    let pixels = headless::read_rgba(&gpu.device, &gpu.queue, &hq.texture).expect("read back");
    assert_eq!(pixels, NoiseKind::Hq.generate(SEED).rgba);
    // With its mip chain, as MilkDrop 2's D3DUSAGE_AUTOGENMIPMAP: 256 -> 1.
    assert_eq!(hq.texture.mip_level_count(), 9);
    // Cached: the same texture again.
    let (again, _) = store.get(&gpu.device, &gpu.queue, &TextureSource::NoiseHq, None);
    assert_eq!(again.texture, hq.texture);

    // 3D noise: every slice, and sampled through its 3D view.
    let (vol, warning) = store.get(&gpu.device, &gpu.queue, &TextureSource::NoiseVolHq, None);
    assert_eq!(warning, None);
    assert_eq!((vol.size, vol.depth), ((32, 32), 32));
    assert_eq!(vol.texture.dimension(), wgpu::TextureDimension::D3);
    assert_eq!(vol.texture.mip_level_count(), 6);
    let expected = NoiseKind::VolHq.generate(SEED);
    assert_eq!(read_volume(&gpu, &vol.texture), expected.rgba);
    let slice = 5;
    let sampled = sample_slice(&gpu, &vol.view, slice);
    let start = (slice * 32 * 32 * 4) as usize;
    assert_eq!(sampled, expected.rgba[start..start + 32 * 32 * 4]);

    // A user texture, found in any case.
    let source = TextureSource::User("Clouds".into());
    let (clouds, warning) = store.get(&gpu.device, &gpu.queue, &source, None);
    assert_eq!(warning, None);
    assert_eq!(clouds.size, (128, 128));
    let image = load_image(&texture_dir.join("clouds.jpg")).expect("clouds.jpg");
    let pixels = headless::read_rgba(&gpu.device, &gpu.queue, &clouds.texture).expect("read");
    assert_eq!(pixels, image.rgba);

    // A random one, stable within the preset.
    let rand = TextureSource::User("rand04_smalltiled".into());
    let (r1, warning) = store.get(&gpu.device, &gpu.queue, &rand, None);
    assert_eq!(warning, None);
    let (r2, _) = store.get(&gpu.device, &gpu.queue, &rand, None);
    assert_eq!(r1.texture, r2.texture);
}

#[test]
fn missing_textures_get_a_generated_stand_in_with_a_warning() {
    let gpu = gpu();
    // A texture directory of our own: one 2D image, `clouds.png`.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("textures-missing");
    std::fs::create_dir_all(&dir).unwrap();
    write_png(&dir.join("clouds.png"), 4, 4, [40, 80, 120, 255]);
    let mut store = TextureStore::new(SEED, vec![dir]);
    let source = TextureSource::User("no_such_texture".into());
    let (t, warning) = store.get(&gpu.device, &gpu.queue, &source, None);
    assert!(
        matches!(&warning, Some(TextureWarning::NotFound { name, .. }) if name == "no_such_texture"),
        "{warning:?}"
    );
    let message = warning.unwrap().to_string();
    assert!(
        message.contains("drawn with Kefir's generated `pattern` image"),
        "{message}"
    );
    assert_eq!(t.size, (stand_in::SIZE, stand_in::SIZE));
    let pixels = headless::read_rgba(&gpu.device, &gpu.queue, &t.texture).expect("read");
    assert_eq!(pixels, StandIn::Pattern.generate());

    // A name of a stock MilkDrop image gets the stand-in of its kind, and a
    // `randNN` with nothing to pick one too.
    let (t, _) = store.get(
        &gpu.device,
        &gpu.queue,
        &TextureSource::User("worms".into()),
        None,
    );
    let pixels = headless::read_rgba(&gpu.device, &gpu.queue, &t.texture).expect("read");
    assert_eq!(pixels, StandIn::Veins.generate());
    let mut empty = TextureStore::new(SEED, vec![]);
    let rand = TextureSource::User("rand02".into());
    let (t, warning) = empty.get(&gpu.device, &gpu.queue, &rand, None);
    assert!(matches!(
        warning,
        Some(TextureWarning::NoRandomCandidates { .. })
    ));
    let pixels = headless::read_rgba(&gpu.device, &gpu.queue, &t.texture).expect("read");
    assert_eq!(pixels, StandIn::ALL[2].generate());

    // A 3D sampler naming an image file gets a 3D stand-in.
    let binding = milk_hlsl::TextureBinding {
        sampler_name: "sampler_clouds".into(),
        source: TextureSource::User("clouds".into()),
        dim: SamplerDim::D3,
        filter: milk_hlsl::Filter::Linear,
        wrap: milk_hlsl::Wrap::Repeat,
        texture_binding: 2,
        sampler_binding: 3,
        footprints: Vec::new(),
    };
    let (t, warning) = store.get_binding(&gpu.device, &gpu.queue, &binding, None);
    assert!(
        matches!(warning, Some(TextureWarning::WrongDimension { .. })),
        "{warning:?}"
    );
    assert_eq!(t.texture.dimension(), wgpu::TextureDimension::D3);
    assert_eq!(read_volume(&gpu, &t.texture), MISSING_TEXTURE_RGBA);

    // The engine's own targets are not the store's.
    let (_, warning) = store.get(&gpu.device, &gpu.queue, &TextureSource::Main, None);
    assert!(matches!(warning, Some(TextureWarning::NotStored(_))));
}
