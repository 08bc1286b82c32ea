//! `kefirvis` after its GPU device is lost (a GPU reset; destroyed on
//! purpose here through `KEFIR_TEST_GPU_LOSS_FRAMES`, which is why this is
//! a test binary of its own): frames keep coming, drawn on a new device,
//! and the preset that was playing is skipped and reported.

use gst::prelude::*;
use gst_check::Harness;

mod common;
use common::{PresetSignals, lit};

const PRESETS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../presets");
const SECOND: u64 = 1_000_000_000;

/// `seconds` of a 110 Hz tone with a beat, interleaved stereo at 16 kHz.
fn tone(seconds: f64) -> Vec<f32> {
    let n = (16_000.0 * seconds) as usize;
    (0..n)
        .flat_map(|i| {
            let t = i as f64 / 16_000.0;
            let s = ((t * 110.0 * std::f64::consts::TAU).sin() * (0.3 + 0.6 * (t * 4.0).fract()))
                as f32;
            [s, s]
        })
        .collect()
}

fn push(h: &mut Harness, samples: &[f32], start: u64) {
    for (i, piece) in samples.chunks(2 * 800).enumerate() {
        let bytes: Vec<u8> = piece.iter().flat_map(|s| s.to_le_bytes()).collect();
        let mut buffer = gst::Buffer::from_mut_slice(bytes);
        let pts = start + i as u64 * 800 * SECOND / 16_000;
        buffer
            .get_mut()
            .unwrap()
            .set_pts(gst::ClockTime::from_nseconds(pts));
        h.push(buffer).expect("push");
    }
}

#[test]
fn a_lost_device_is_replaced_and_the_preset_that_played_is_skipped() {
    // SAFETY: set before any thread of this test binary reads it (its only
    // test starts the element below).
    unsafe { std::env::set_var("KEFIR_TEST_GPU_LOSS_FRAMES", "10") };
    gst::init().expect("GStreamer");
    gstkefir::plugin_register_static().expect("registering kefirvis");
    let element = gst::ElementFactory::make("kefirvis")
        .property("preset-dir", PRESETS)
        .property("seed", 3u64)
        .property("mesh-size", "16x12")
        .build()
        .expect("kefirvis");
    let bus = gst::Bus::new();
    element.set_bus(Some(&bus));
    let PresetSignals { failed, changed } = PresetSignals::watch(&element);
    let mut h = Harness::with_element(&element, Some("sink"), Some("src"));
    h.play();
    h.set_sink_caps_str("video/x-raw,format=RGBx,width=64,height=36,framerate=20/1");
    h.set_src_caps_str("audio/x-raw,format=F32LE,layout=interleaved,rate=16000,channels=2");
    push(&mut h, &tone(3.0), 0);
    let frames: Vec<Vec<u8>> = std::iter::from_fn(|| h.try_pull())
        .map(|b| b.map_readable().unwrap().to_vec())
        .collect();
    assert_eq!(frames.len(), 60, "every frame came");
    let first = changed
        .lock()
        .unwrap()
        .first()
        .cloned()
        .expect("a preset played");
    let failed = failed.lock().unwrap().clone();
    assert!(
        failed
            .iter()
            .any(|(_, error)| error.contains(&format!("the GPU was lost while \"{first}\" played"))),
        "{failed:?}"
    );
    let changed = changed.lock().unwrap().clone();
    assert!(
        changed.len() >= 2 && changed[1..].iter().all(|n| *n != first),
        "{changed:?}"
    );
    assert!(
        frames[40..].iter().all(|f| lit(f) > 0.01),
        "the frames on the new device are drawn: {:?}",
        frames[40..].iter().map(|f| lit(f)).collect::<Vec<_>>()
    );
}
