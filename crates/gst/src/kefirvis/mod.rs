//! `kefirvis`: audio in, MilkDrop visuals out.
//!
//! A visualization element (klass "Visualization", like goom or
//! libvisual's): interleaved F32 or S16 audio, mono or stereo, at any rate
//! in; RGBx/BGRx/RGBA/BGRA video out at the size and frame rate
//! downstream negotiates (default 640x360 at 30 fps). Each frame is made
//! from exactly its own span of audio ([`framer`]) and stamped with the
//! stream's time, so file-to-video pipelines give the same video every run
//! and live pipelines stay in sync (late frames are skipped on QoS, their
//! audio still analysed).
//!
//! Rendering is Kefir's player (`kefir-player`: presets, playlist, blends,
//! hard cuts) on a headless wgpu device shared by the process's elements
//! ([`gpu`]), so no GL context is needed from the host; frames are read
//! back into the video buffers. A preset that does not load is reported (a warning on the bus
//! and the `preset-failed` signal) and skipped; the element keeps
//! producing frames.
//!
//! Properties: `preset`, `preset-dir`, `texture-dir`, `preset-duration`,
//! `preset-jitter`, `blend-duration`, `shuffle`, `hard-cuts`,
//! `beat-sensitivity`, `locked`, `mesh-size`, `seed` and the read-only
//! `current-preset`. Signals: `preset-changed (name, path)`,
//! `preset-failed (path, message)`, and the actions `next-preset`,
//! `previous-preset`, `random-preset`. Each change of preset also posts an
//! element message named `kefir-preset` (fields `name`, `path`, `blend`,
//! `code-errors`, `shader-failures`, `missing-textures`, `prepare-ms`).

mod framer;
mod gpu;
mod imp;
pub mod settings;

use gst::glib;
use gst::prelude::*;

glib::wrapper! {
    /// The `kefirvis` element.
    pub struct KefirVis(ObjectSubclass<imp::KefirVis>) @extends gst::Element, gst::Object;
}

/// Registers `kefirvis` with `plugin`.
pub fn register(plugin: &gst::Plugin) -> Result<(), glib::BoolError> {
    gst::Element::register(
        Some(plugin),
        "kefirvis",
        gst::Rank::NONE,
        KefirVis::static_type(),
    )
}
