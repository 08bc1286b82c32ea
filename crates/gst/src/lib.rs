//! Kefir's GStreamer plugin `kefir`: the `kefirvis` visualization element
//! (see [`KefirVis`] and `crates/gst/README.md`).
//!
//! Built as `libgstkefir.so`, which GStreamer loads from
//! `GST_PLUGIN_PATH` or its plugin directory; applications that link this
//! crate can register the element without the file through
//! [`plugin_register_static`].

mod kefirvis;

pub use kefirvis::KefirVis;
pub use kefirvis::settings::bundled_preset_dir;

use gst::glib;

fn plugin_init(plugin: &gst::Plugin) -> Result<(), glib::BoolError> {
    if let Some(file) = plugin.filename() {
        let _ = kefirvis::settings::PLUGIN_FILE.set(file);
    }
    kefirvis::register(plugin)
}

gst::plugin_define!(
    kefir,
    env!("CARGO_PKG_DESCRIPTION"),
    plugin_init,
    concat!(env!("CARGO_PKG_VERSION"), "-", env!("COMMIT_ID")),
    // GStreamer's name for MIT (the crate is MIT OR Apache-2.0).
    "MIT/X11",
    env!("CARGO_PKG_NAME"),
    env!("CARGO_PKG_NAME"),
    // Where the plugin comes from (GStreamer shows it as "Origin URL"; the
    // project has no public address yet).
    "Kefir",
    env!("BUILD_REL_DATE")
);
