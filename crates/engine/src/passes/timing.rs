//! GPU time per [`Pass`], from timestamp queries written at the start and
//! end of every render pass (wgpu's `TIMESTAMP_QUERY` feature: Vulkan,
//! Metal, DX12 and most GL drivers have it; a device created without it
//! gets no GPU times).
//!
//! Each frame's timestamps are resolved into one of a few read-back buffers
//! and mapped asynchronously after the submit; [`GpuTimer::collect`] picks
//! up whatever frames the GPU has finished, so the host never waits. A pass's
//! time is the sum of its render passes' (end - start); what the GPU does
//! between render passes (layout transitions, copies) is not counted.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use super::{Pass, PassTimes};

/// Timestamps one frame may write: two per render pass.
const QUERIES: u32 = 64;
/// Frames whose timestamps can be in flight at once.
const READBACKS: usize = 3;

const IDLE: u8 = 0;
const MAPPING: u8 = 1;
const MAPPED: u8 = 2;
const FAILED: u8 = 3;

struct Readback {
    buffer: wgpu::Buffer,
    /// The pass of each render pass (pair of queries) recorded into it.
    owners: Vec<Pass>,
    /// Which frame it holds (to keep the newest).
    frame: u64,
    state: Arc<AtomicU8>,
    /// Filled by the frame being recorded, mapped after its submit.
    pending: bool,
}

/// Timestamp queries around every render pass of a frame; see the module
/// documentation.
pub(crate) struct GpuTimer {
    query_set: wgpu::QuerySet,
    resolve: wgpu::Buffer,
    readbacks: Vec<Readback>,
    /// Render passes recorded this frame, by pass.
    owners: Vec<Pass>,
    /// Nanoseconds per timestamp tick.
    period: f64,
    frame: u64,
    latest: Option<(u64, PassTimes)>,
}

impl GpuTimer {
    /// A timer, if `device` was created with `TIMESTAMP_QUERY`.
    pub fn new(device: &wgpu::Device, queue: &wgpu::Queue) -> Option<Self> {
        if !device.features().contains(wgpu::Features::TIMESTAMP_QUERY) {
            return None;
        }
        let query_set = device.create_query_set(&wgpu::QuerySetDescriptor {
            label: Some("kefir pass timestamps"),
            ty: wgpu::QueryType::Timestamp,
            count: QUERIES,
        });
        let size = u64::from(QUERIES) * wgpu::QUERY_SIZE as u64;
        let resolve = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("kefir pass timestamps"),
            size,
            usage: wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        let readbacks = (0..READBACKS)
            .map(|_| Readback {
                buffer: device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("kefir pass timestamps read-back"),
                    size,
                    usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
                    mapped_at_creation: false,
                }),
                owners: Vec::new(),
                frame: 0,
                state: Arc::new(AtomicU8::new(IDLE)),
                pending: false,
            })
            .collect();
        Some(GpuTimer {
            query_set,
            resolve,
            readbacks,
            owners: Vec::new(),
            period: f64::from(queue.get_timestamp_period()),
            frame: 0,
            latest: None,
        })
    }

    /// Starts recording a frame.
    pub fn begin_frame(&mut self) {
        self.owners.clear();
        self.frame += 1;
    }

    /// The timestamp writes of the next render pass, which belongs to
    /// `pass`; `None` once the frame's queries are used up.
    pub fn writes(&mut self, pass: Pass) -> Option<wgpu::RenderPassTimestampWrites<'_>> {
        let n = self.owners.len() as u32 * 2;
        if n + 2 > QUERIES {
            return None;
        }
        self.owners.push(pass);
        Some(wgpu::RenderPassTimestampWrites {
            query_set: &self.query_set,
            beginning_of_pass_write_index: Some(n),
            end_of_pass_write_index: Some(n + 1),
        })
    }

    /// Resolves the frame's timestamps into a free read-back buffer (a
    /// frame finding none, because the GPU is far behind, goes untimed).
    pub fn end_frame(&mut self, encoder: &mut wgpu::CommandEncoder) {
        let count = self.owners.len() as u32 * 2;
        if count == 0 {
            return;
        }
        let Some(readback) = self
            .readbacks
            .iter_mut()
            .find(|r| !r.pending && r.state.load(Ordering::Acquire) == IDLE)
        else {
            return;
        };
        encoder.resolve_query_set(&self.query_set, 0..count, &self.resolve, 0);
        let bytes = u64::from(count) * wgpu::QUERY_SIZE as u64;
        encoder.copy_buffer_to_buffer(&self.resolve, 0, &readback.buffer, 0, bytes);
        readback.owners.clone_from(&self.owners);
        readback.frame = self.frame;
        readback.pending = true;
    }

    /// Maps the buffer [`GpuTimer::end_frame`] filled (call after the
    /// frame's submit).
    pub fn after_submit(&mut self) {
        for r in self.readbacks.iter_mut().filter(|r| r.pending) {
            r.pending = false;
            r.state.store(MAPPING, Ordering::Release);
            let state = r.state.clone();
            r.buffer.map_async(wgpu::MapMode::Read, .., move |result| {
                let s = if result.is_ok() { MAPPED } else { FAILED };
                state.store(s, Ordering::Release);
            });
        }
    }

    /// Reads the frames the GPU has finished; returns the newest frame's
    /// times (or the last ones read before).
    pub fn collect(&mut self) -> Option<PassTimes> {
        for r in &mut self.readbacks {
            match r.state.load(Ordering::Acquire) {
                MAPPED => {}
                FAILED => {
                    r.state.store(IDLE, Ordering::Release);
                    continue;
                }
                _ => continue,
            }
            let times = {
                let count = r.owners.len() * 2;
                let bytes = count as u64 * wgpu::QUERY_SIZE as u64;
                r.buffer.get_mapped_range(..bytes).ok().map(|view| {
                    let ticks: &[u64] = bytemuck::cast_slice(&view);
                    let mut times = PassTimes::default();
                    for (pair, pass) in ticks.chunks_exact(2).zip(&r.owners) {
                        let ns = pair[1].saturating_sub(pair[0]) as f64 * self.period;
                        times[*pass] += Duration::from_nanos(ns as u64);
                    }
                    times
                })
            };
            r.buffer.unmap();
            r.state.store(IDLE, Ordering::Release);
            if let Some(times) = times
                && self.latest.is_none_or(|(frame, _)| frame < r.frame)
            {
                self.latest = Some((r.frame, times));
            }
        }
        self.latest.map(|(_, t)| t)
    }
}
