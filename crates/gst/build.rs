//! Commit id and release date for the plugin's metadata (what
//! `gst-inspect-1.0 kefir` shows), as gst-plugins-rs plugins do.

fn main() {
    gst_plugin_version_helper::info();
}
