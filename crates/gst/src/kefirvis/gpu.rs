//! The GPU device every `kefirvis` element of the process renders on.
//!
//! Opened by the first element that goes to READY and kept for the life of
//! the process. Players create and destroy visualization elements as the
//! user switches them (playbin rebuilds its vis chain), and a Vulkan instance
//! and device per element cost a driver start-up each time and a driver
//! teardown while other elements of the process may still be rendering. One
//! device that is never destroyed gives neither: elements start quickly, and
//! nothing of the driver is torn down before the process exits.
//!
//! wgpu's default handler for errors outside an error scope panics; here
//! they are collected instead and posted as warnings by the element that
//! renders next.
//!
//! A GPU reset loses the device for good. Each element sees it at its next
//! frame ([`SharedGpu::is_lost`]) and asks for the device again: [`shared`]
//! never hands out a lost one, so the first to ask opens its successor.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use milk_engine::headless::{Headless, HeadlessError};

/// The shared device and the GPU errors reported on it.
pub(crate) struct SharedGpu {
    pub(crate) headless: Headless,
    errors: Arc<Mutex<Vec<String>>>,
    lost: Arc<AtomicBool>,
}

static GPU: Mutex<Option<Arc<SharedGpu>>> = Mutex::new(None);

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The process's device, opened on first use. A failure is not kept: the
/// next element to start tries again (a driver installed meanwhile, say).
pub(crate) fn shared() -> Result<Arc<SharedGpu>, HeadlessError> {
    let mut slot = lock(&GPU);
    if let Some(gpu) = &*slot
        && !gpu.is_lost()
    {
        return Ok(gpu.clone());
    }
    let headless = Headless::new()?;
    let errors: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = errors.clone();
    headless
        .device
        .on_uncaptured_error(Arc::new(move |error: wgpu::Error| {
            let mut errors = lock(&sink);
            // Bounded: a preset failing every frame must not grow memory
            // when no element renders to take them.
            if errors.len() < 64 {
                errors.push(error.to_string());
            }
        }));
    let lost = milk_engine::gpu::loss_flag(&headless.device, |_| {});
    let gpu = Arc::new(SharedGpu {
        headless,
        errors,
        lost,
    });
    *slot = Some(gpu.clone());
    Ok(gpu)
}

impl SharedGpu {
    /// Whether the device was lost (a GPU reset): nothing renders on it
    /// again, and [`shared`] opens another.
    pub(crate) fn is_lost(&self) -> bool {
        self.lost.load(Ordering::Relaxed)
    }

    /// Loses the device on purpose (`device.destroy()`), as a GPU reset
    /// would: for the test of what follows a loss
    /// (`KEFIR_TEST_GPU_LOSS_FRAMES`).
    pub(crate) fn lose(&self) {
        self.headless.device.destroy();
        self.lost.store(true, Ordering::Relaxed);
    }

    /// The errors reported since the last call.
    pub(crate) fn take_errors(&self) -> Vec<String> {
        std::mem::take(&mut *lock(&self.errors))
    }
}
