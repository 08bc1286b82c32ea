//! `kefirvis` in gst-check's Harness (registered statically, rendering on
//! lavapipe without a GPU): negotiation, frame sizes and timestamps,
//! pictures that light up and move with a kick drum, the same video for the
//! same audio whatever the buffer sizes, broken presets, signals, bus
//! messages, latency and QoS.

use std::path::{Path, PathBuf};
use std::sync::Once;

use gst::glib;
use gst::prelude::*;
use gst_check::Harness;

mod common;
use common::{PresetSignals, lit};

const PRESETS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../presets");
const SECOND: u64 = 1_000_000_000;

fn init() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        gst::init().expect("GStreamer");
        gstkefir::plugin_register_static().expect("registering kefirvis");
    });
}

/// A 120 BPM kick drum (a decaying 50 Hz thump) over a quiet hi-hat
/// noise, `seconds` long, interleaved stereo.
fn kick(rate: u32, seconds: f64) -> Vec<f32> {
    let n = (f64::from(rate) * seconds) as usize;
    let mut noise = 0x1234_5678u32;
    let mut out = Vec::with_capacity(2 * n);
    for i in 0..n {
        let t = i as f64 / f64::from(rate);
        let beat = t % 0.5;
        let thump = (-beat * 18.0).exp() * (2.0 * std::f64::consts::PI * 50.0 * beat).sin();
        noise ^= noise << 13;
        noise ^= noise >> 17;
        noise ^= noise << 5;
        let hat = (f64::from(noise) / f64::from(u32::MAX) - 0.5) * 0.05;
        let s = (0.9 * thump + hat) as f32;
        out.extend([s, s * 0.9]);
    }
    out
}

/// An element with `props`, in a harness fed `audio_caps` and taking
/// `video_caps`.
fn harness(
    props: &[(&str, glib::Value)],
    audio_caps: &str,
    video_caps: &str,
) -> (Harness, gst::Bus) {
    init();
    let mut builder = gst::ElementFactory::make("kefirvis");
    for (name, value) in props {
        builder = builder.property(name, value.clone());
    }
    let element = builder.build().expect("kefirvis");
    let bus = gst::Bus::new();
    element.set_bus(Some(&bus));
    let mut h = Harness::with_element(&element, Some("sink"), Some("src"));
    h.play();
    h.set_sink_caps_str(video_caps);
    h.set_src_caps_str(audio_caps);
    (h, bus)
}

fn f32_caps(rate: u32, channels: u32) -> String {
    format!("audio/x-raw,format=F32LE,layout=interleaved,rate={rate},channels={channels}")
}

/// Pushes interleaved f32 samples in chunks of `chunk` audio frames,
/// starting at `start` nanoseconds.
fn push_f32(
    h: &mut Harness,
    samples: &[f32],
    channels: usize,
    rate: u32,
    start: u64,
    chunk: usize,
) {
    let mut sent = 0usize;
    for piece in samples.chunks(chunk * channels) {
        let bytes: Vec<u8> = piece.iter().flat_map(|s| s.to_le_bytes()).collect();
        let mut buffer = gst::Buffer::from_mut_slice(bytes);
        let pts = start + (sent as u64) * SECOND / u64::from(rate);
        buffer
            .get_mut()
            .unwrap()
            .set_pts(gst::ClockTime::from_nseconds(pts));
        h.push(buffer).expect("push");
        sent += piece.len() / channels;
    }
}

/// Every buffer out so far: (pts, duration, flags, bytes).
fn pull_all(h: &mut Harness) -> Vec<(u64, u64, gst::BufferFlags, Vec<u8>)> {
    let mut out = Vec::new();
    while let Some(buffer) = h.try_pull() {
        let map = buffer.map_readable().unwrap();
        out.push((
            buffer.pts().unwrap().nseconds(),
            buffer.duration().unwrap().nseconds(),
            buffer.flags(),
            map.to_vec(),
        ));
    }
    out
}

fn output_caps(h: &Harness) -> gst::Caps {
    h.sinkpad()
        .unwrap()
        .current_caps()
        .expect("negotiated caps")
}

/// Bus messages so far.
fn messages(bus: &gst::Bus) -> Vec<gst::Message> {
    std::iter::from_fn(|| bus.pop()).collect()
}

fn warnings(messages: &[gst::Message]) -> Vec<String> {
    messages
        .iter()
        .filter_map(|m| match m.view() {
            gst::MessageView::Warning(w) => Some(format!(
                "{} / {}",
                w.error(),
                w.debug().map(|d| d.to_string()).unwrap_or_default()
            )),
            _ => None,
        })
        .collect()
}

fn preset_messages(messages: &[gst::Message]) -> Vec<gst::Structure> {
    messages
        .iter()
        .filter_map(|m| match m.view() {
            gst::MessageView::Element(e) => e
                .structure()
                .filter(|s| s.name() == "kefir-preset")
                .map(|s| s.to_owned()),
            _ => None,
        })
        .collect()
}

fn dir_props(seed: u64) -> Vec<(&'static str, glib::Value)> {
    vec![
        ("preset-dir", PRESETS.to_value()),
        ("seed", seed.to_value()),
        ("mesh-size", "16x12".to_value()),
    ]
}

#[test]
fn frames_have_the_negotiated_size_rate_and_stream_timestamps() {
    let caps = "video/x-raw,format=RGBA,width=64,height=48,framerate=25/1,pixel-aspect-ratio=1/1";
    let (mut h, _bus) = harness(&dir_props(1), &f32_caps(48_000, 2), caps);
    // One second that starts 10 s into the stream, in 1024-sample buffers.
    push_f32(&mut h, &kick(48_000, 1.0), 2, 48_000, 10 * SECOND, 1024);
    let out = pull_all(&mut h);
    assert_eq!(out.len(), 25, "25 frames for a second at 25 fps");
    for (k, (pts, duration, flags, data)) in out.iter().enumerate() {
        assert_eq!(*pts, 10 * SECOND + k as u64 * 40_000_000, "frame {k}");
        assert_eq!(*duration, 40_000_000);
        assert_eq!(data.len(), 64 * 48 * 4);
        assert_eq!(flags.contains(gst::BufferFlags::DISCONT), k == 0);
    }
    let caps = output_caps(&h);
    let s = caps.structure(0).unwrap();
    assert_eq!(s.get::<&str>("format").unwrap(), "RGBA");
    assert_eq!(s.get::<i32>("width").unwrap(), 64);
    assert_eq!(
        s.get::<gst::Fraction>("framerate").unwrap(),
        gst::Fraction::new(25, 1)
    );
}

#[test]
fn unconstrained_output_is_640x360_at_30_fps() {
    let (mut h, _bus) = harness(&dir_props(1), &f32_caps(44_100, 1), "video/x-raw");
    let mono: Vec<f32> = kick(44_100, 0.1).into_iter().step_by(2).collect();
    push_f32(&mut h, &mono, 1, 44_100, 0, 4410);
    let caps = output_caps(&h);
    let s = caps.structure(0).unwrap();
    assert_eq!(s.get::<&str>("format").unwrap(), "BGRx");
    assert_eq!(
        (
            s.get::<i32>("width").unwrap(),
            s.get::<i32>("height").unwrap()
        ),
        (640, 360)
    );
    assert_eq!(
        s.get::<gst::Fraction>("framerate").unwrap(),
        gst::Fraction::new(30, 1)
    );
    let out = pull_all(&mut h);
    assert_eq!(out.len(), 3, "0.1 s at 30 fps");
    assert_eq!(out[0].3.len(), 640 * 360 * 4);
}

#[test]
fn a_kick_lights_the_picture_and_it_moves() {
    let caps = "video/x-raw,format=RGBA,width=64,height=48,framerate=30/1";
    let mut props = dir_props(3);
    props.push((
        "preset",
        format!("{PRESETS}/Kefir - Bass Tunnel.milk").to_value(),
    ));
    let (mut h, _bus) = harness(&props, &f32_caps(48_000, 2), caps);
    push_f32(&mut h, &kick(48_000, 2.0), 2, 48_000, 0, 960);
    let out = pull_all(&mut h);
    assert_eq!(out.len(), 60);
    for (k, (_, _, _, frame)) in out.iter().enumerate().skip(15) {
        assert!(lit(frame) > 0.05, "frame {k}: {:.3} lit", lit(frame));
        assert!(
            frame.chunks_exact(4).all(|p| p[3] == 255),
            "frame {k}: opaque"
        );
    }
    let moving = out.windows(2).skip(15).filter(|w| w[0].3 != w[1].3).count();
    assert!(
        moving >= 40,
        "{moving} of 44 frames differ from the one before"
    );
}

#[test]
fn the_same_audio_gives_the_same_video_whatever_the_buffer_sizes() {
    let caps = "video/x-raw,format=BGRx,width=48,height=32,framerate=24/1";
    let audio = "audio/x-raw,format=S16LE,layout=interleaved,rate=22050,channels=1";
    let pcm: Vec<i16> = kick(22_050, 1.5)
        .into_iter()
        .step_by(2)
        .map(|s| (s * 32767.0) as i16)
        .collect();
    let run = |chunks: &[usize]| {
        let (mut h, _bus) = harness(&dir_props(5), audio, caps);
        let (mut sent, mut i) = (0usize, 0usize);
        while sent < pcm.len() {
            let n = chunks[i % chunks.len()].min(pcm.len() - sent);
            let bytes: Vec<u8> = pcm[sent..sent + n]
                .iter()
                .flat_map(|s| s.to_le_bytes())
                .collect();
            let mut buffer = gst::Buffer::from_mut_slice(bytes);
            buffer
                .get_mut()
                .unwrap()
                .set_pts(gst::ClockTime::from_nseconds(sent as u64 * SECOND / 22_050));
            h.push(buffer).unwrap();
            sent += n;
            i += 1;
        }
        pull_all(&mut h)
    };
    let a = run(&[4096]);
    let b = run(&[100, 3001, 7]);
    assert_eq!(a.len(), 36, "1.5 s at 24 fps");
    assert_eq!(a.len(), b.len());
    for (k, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_eq!((x.0, x.1), (y.0, y.1), "frame {k} timing");
        assert!(x.3 == y.3, "frame {k} differs between the two chunkings");
    }
    assert!(lit(&a[30].3) > 0.05);
}

/// A file that is not a preset (NUL bytes), in its own directory.
fn broken_preset(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, b"[preset00]\nzoom=1\0\0\0\xff binary").unwrap();
    path
}

#[test]
fn broken_presets_post_warnings_and_frames_keep_coming() {
    let tmp = tempfile::tempdir().unwrap();
    let broken = broken_preset(tmp.path(), "broken.milk");
    let caps = "video/x-raw,format=RGBx,width=32,height=24,framerate=20/1";
    let (mut h, bus) = harness(
        &[("preset", broken.to_str().unwrap().to_value())],
        &f32_caps(16_000, 2),
        caps,
    );
    let element = h.element().unwrap();
    let PresetSignals { failed, changed } = PresetSignals::watch(&element);
    // The only preset does not load: MilkDrop's default preset plays.
    push_f32(&mut h, &kick(16_000, 0.5), 2, 16_000, 0, 800);
    assert_eq!(pull_all(&mut h).len(), 10);
    let w = warnings(&messages(&bus));
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("broken.milk"), "{w:?}");
    assert_eq!(failed.lock().unwrap().len(), 1);
    assert_eq!(
        failed.lock().unwrap()[0].0.as_deref(),
        broken.to_str(),
        "preset-failed names the file"
    );

    // Set while playing: another broken one, then a good one.
    let broken2 = broken_preset(tmp.path(), "broken2.milk");
    element.set_property("preset", broken2.to_str().unwrap());
    push_f32(&mut h, &kick(16_000, 0.5), 2, 16_000, SECOND / 2, 800);
    assert_eq!(pull_all(&mut h).len(), 10, "still producing");
    let w = warnings(&messages(&bus));
    assert!(w.len() == 1 && w[0].contains("broken2.milk"), "{w:?}");

    let good = format!("{PRESETS}/Kefir - Ember Dots.milk");
    element.set_property("preset", &good);
    push_f32(&mut h, &kick(16_000, 1.0), 2, 16_000, SECOND, 800);
    let out = pull_all(&mut h);
    assert_eq!(out.len(), 20);
    assert!(warnings(&messages(&bus)).is_empty());
    assert_eq!(
        changed.lock().unwrap().last().map(String::as_str),
        Some("Kefir - Ember Dots")
    );
    assert_eq!(
        element
            .property::<Option<String>>("current-preset")
            .as_deref(),
        Some("Kefir - Ember Dots")
    );
    assert!(lit(&out[19].3) > 0.02, "the good preset draws");
}

#[test]
fn preset_changes_are_signalled_and_posted() {
    let caps = "video/x-raw,format=BGRA,width=32,height=24,framerate=10/1";
    let mut props = dir_props(9);
    props.extend([
        ("shuffle", false.to_value()),
        ("preset-duration", 0.5f64.to_value()),
        ("preset-jitter", 0.0f64.to_value()),
        ("blend-duration", 0.0f64.to_value()),
    ]);
    let (mut h, bus) = harness(&props, &f32_caps(8_000, 1), caps);
    let mono: Vec<f32> = kick(8_000, 1.0).into_iter().step_by(2).collect();
    push_f32(&mut h, &mono, 1, 8_000, 0, 400);
    assert_eq!(pull_all(&mut h).len(), 10);
    // File order, a change every 0.5 s: the first two presets by name.
    let posted = preset_messages(&messages(&bus));
    let names: Vec<String> = posted
        .iter()
        .map(|s| s.get::<String>("name").unwrap())
        .collect();
    let mut files: Vec<String> = std::fs::read_dir(PRESETS)
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".milk")
                .to_owned()
        })
        .collect();
    files.sort();
    assert_eq!(names, files[..2].to_vec());
    let first = &posted[0];
    assert!(first.get::<String>("path").unwrap().ends_with(".milk"));
    assert!(!first.get::<bool>("blend").unwrap());
    assert_eq!(first.get::<u32>("code-errors").unwrap(), 0);
    assert!(first.get::<f64>("prepare-ms").unwrap() >= 0.0);

    // Locked: no more automatic changes; the action signal still moves on.
    let element = h.element().unwrap();
    element.set_property("locked", true);
    push_f32(&mut h, &mono, 1, 8_000, SECOND, 400);
    assert_eq!(pull_all(&mut h).len(), 10);
    assert!(preset_messages(&messages(&bus)).is_empty(), "locked");
    element.emit_by_name::<()>("next-preset", &[]);
    push_f32(&mut h, &mono[..800], 1, 8_000, 2 * SECOND, 400);
    assert_eq!(pull_all(&mut h).len(), 1);
    let posted = preset_messages(&messages(&bus));
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0].get::<String>("name").unwrap(), files[2]);
    assert_eq!(
        element.property::<Option<String>>("current-preset"),
        Some(files[2].clone())
    );
}

#[test]
fn latency_is_one_frame_more_than_upstream() {
    let caps = "video/x-raw,format=RGBA,width=16,height=16,framerate=25/1";
    let (mut h, _bus) = harness(&dir_props(1), &f32_caps(48_000, 2), caps);
    h.set_upstream_latency(gst::ClockTime::from_mseconds(10));
    assert_eq!(h.query_latency(), Some(gst::ClockTime::from_mseconds(50)));
}

#[test]
fn late_frames_are_skipped_and_reported() {
    let caps = "video/x-raw,format=RGBA,width=16,height=16,framerate=10/1";
    let (mut h, bus) = harness(&dir_props(1), &f32_caps(10_000, 1), caps);
    let mono: Vec<f32> = kick(10_000, 1.0).into_iter().step_by(2).collect();
    push_f32(&mut h, &mono[..2000], 1, 10_000, 0, 1000);
    assert_eq!(pull_all(&mut h).len(), 2);
    // Downstream: the frame at 0.1 s arrived 0.3 s late.
    let qos = gst::event::Qos::new(
        gst::QOSType::Underflow,
        0.5,
        300_000_000,
        gst::ClockTime::from_mseconds(100),
    );
    assert!(h.push_upstream_event(qos));
    // Next worth showing: 0.1 + 2 * 0.3 + 0.1 = 0.8 s; frames ending by then are skipped.
    push_f32(&mut h, &mono[2000..], 1, 10_000, 200_000_000, 1000);
    let out = pull_all(&mut h);
    let shown: Vec<u64> = out.iter().map(|o| o.0 / 100_000_000).collect();
    assert_eq!(shown, vec![8, 9], "frames 0.2 to 0.7 s skipped");
    let qos_messages = messages(&bus)
        .into_iter()
        .filter(|m| matches!(m.view(), gst::MessageView::Qos(_)))
        .count();
    assert_eq!(qos_messages, 6);
}

#[test]
fn render_scale_draws_fewer_pixels_scaled_up_to_the_video() {
    let caps = "video/x-raw,format=RGBA,width=64,height=48,framerate=30/1";
    let run = |scale: f32| {
        let mut props = dir_props(3);
        props.push((
            "preset",
            format!("{PRESETS}/Kefir - Bass Tunnel.milk").to_value(),
        ));
        props.push(("render-scale", scale.to_value()));
        let (mut h, _bus) = harness(&props, &f32_caps(48_000, 2), caps);
        assert_eq!(h.element().unwrap().property::<f32>("render-scale"), scale);
        push_f32(&mut h, &kick(48_000, 1.0), 2, 48_000, 0, 960);
        pull_all(&mut h)
    };
    let (full, half) = (run(1.0), run(0.5));
    assert_eq!(half.len(), 30);
    for (k, (_, _, _, frame)) in half.iter().enumerate().skip(15) {
        assert_eq!(frame.len(), 64 * 48 * 4, "frame {k}: the video's size");
        assert!(lit(frame) > 0.05, "frame {k}: {:.3} lit", lit(frame));
    }
    let differ = full.iter().zip(&half).filter(|(a, b)| a.3 != b.3).count();
    assert!(
        differ >= 25,
        "only {differ} of 30 frames differ from scale 1"
    );
}
