//! Kefir's performance budgets: what a device can render and at what size.
//!
//! - [`governor`]: the render scale governor (frame times in, a scale for
//!   the feedback, warp and blur textures out, with hysteresis), used by the
//!   desktop app and the player.
//! - [`costs`]: per-device cost files (which presets a device renders in
//!   time), written by `kefir bench` and read by the player to skip or
//!   down-scale presets too heavy for the device.
//! - [`stats`]: percentiles of frame times.
//! - `bench` (feature `bench`): the headless benchmark behind `kefir
//!   bench`, which measures presets and writes the cost file.
//!
//! Without the `bench` feature nothing here touches the GPU or the clock:
//! callers feed measured times (so it builds for the web as well).

#[cfg(feature = "bench")]
pub mod bench;
pub mod costs;
pub mod governor;
pub mod stats;

pub use costs::{Advice, CostFile, CostSource, DeviceInfo, PresetCost};
pub use governor::{Governor, GovernorConfig, ScaleChange};
