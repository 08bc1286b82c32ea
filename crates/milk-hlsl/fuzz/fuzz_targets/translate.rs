//! No shader text panics or hangs the translator; whatever translates has
//! passed naga's validator, and an error has a position inside the text.
//!
//! `cargo +nightly fuzz run translate -- -max_total_time=300`
//! (seed corpus: `fuzz/corpus/translate`, shaders from the preset corpus).

#![no_main]

use libfuzzer_sys::fuzz_target;
use milk_hlsl::{Stage, translate_str};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for stage in [Stage::Warp, Stage::Comp] {
        match translate_str(&text, stage) {
            Ok(t) => assert!(t.naga_wgsl().is_ok_and(|w| w.contains("fs_main"))),
            Err(e) => assert!(e.offset <= text.len(), "{e}"),
        }
    }
});
