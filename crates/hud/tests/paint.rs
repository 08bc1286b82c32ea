//! The HUD painted on the headless adapter (lavapipe in CI): text lands
//! where it belongs, nowhere else, and goes when its time is up.

use std::time::{Duration, Instant};

use kefir_hud::{Hud, Level, MAX_MESSAGES};
use milk_engine::headless::Headless;

const W: u32 = 640;
const H: u32 = 360;

fn gpu() -> Headless {
    Headless::new().unwrap_or_else(|e| panic!("kefir-hud tests need a wgpu adapter: {e}"))
}

/// Paints `hud` at `now` on a fresh black target; the RGBA pixels.
fn paint(gpu: &Headless, hud: &mut Hud, now: Instant) -> Vec<u8> {
    let target = gpu.target(W, H);
    let view = target.create_view(&Default::default());
    let mut encoder = gpu.device.create_command_encoder(&Default::default());
    hud.paint(&gpu.device, &gpu.queue, &mut encoder, &view, [W, H], now);
    gpu.queue.submit([encoder.finish()]);
    gpu.read_rgba(&target).expect("read back")
}

/// Pixels brighter than mid-grey in the rectangle [x0, x1) x [y0, y1).
fn lit(img: &[u8], (x0, y0): (u32, u32), (x1, y1): (u32, u32)) -> usize {
    let mut n = 0;
    for y in y0..y1 {
        for x in x0..x1 {
            let i = ((y * W + x) * 4) as usize;
            if img[i..i + 3].iter().any(|&c| c > 128) {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn text_goes_where_it_belongs_and_goes_away() {
    let gpu = gpu();
    let mut hud = Hud::new(&gpu.device, wgpu::TextureFormat::Rgba8Unorm);
    let t0 = Instant::now();
    assert!(!hud.is_showing(t0));
    let blank = paint(&gpu, &mut hud, t0);
    assert_eq!(lit(&blank, (0, 0), (W, H)), 0, "nothing up, nothing drawn");

    hud.caption("Geiss - Hurricane", t0);
    hud.message(
        Level::Error,
        "kefir.toml:4:8: display.mode: using \"auto\"",
        t0,
    );
    let img = paint(&gpu, &mut hud, t0);
    let (top_left, bottom_left) = ((0, 0), (0, H * 3 / 4));
    assert!(
        lit(&img, top_left, (W / 2, H / 4)) > 50,
        "the caption, top left"
    );
    assert!(
        lit(&img, bottom_left, (W * 3 / 4, H)) > 50,
        "the message, bottom left"
    );
    assert_eq!(lit(&img, (W / 2, 0), (W, H / 4)), 0, "no status yet");
    assert_eq!(
        lit(&img, (W / 4, H * 3 / 8), (W * 3 / 4, H * 5 / 8)),
        0,
        "the middle is left alone"
    );

    hud.set_status(Some("No audio input: playing the demo signal"));
    let img = paint(&gpu, &mut hud, t0 + Duration::from_secs(1));
    assert!(
        lit(&img, (W / 2, 0), (W, H / 4)) > 50,
        "the status, top right"
    );

    // The caption goes after 4 s, the error after 12 s; the status stays.
    let later = t0 + Duration::from_secs(6);
    let img = paint(&gpu, &mut hud, later);
    assert_eq!(lit(&img, top_left, (W / 3, H / 4)), 0, "caption gone");
    assert!(
        lit(&img, bottom_left, (W * 3 / 4, H)) > 50,
        "error still up"
    );
    let much_later = t0 + Duration::from_secs(13);
    let img = paint(&gpu, &mut hud, much_later);
    assert_eq!(lit(&img, bottom_left, (W * 3 / 4, H)), 0, "error gone");
    assert!(lit(&img, (W / 2, 0), (W, H / 4)) > 50, "status stays");
    hud.set_status(None);
    assert!(!hud.is_showing(much_later));
}

#[test]
fn messages_queue_renew_and_give_way() {
    let gpu = gpu();
    let mut hud = Hud::new(&gpu.device, wgpu::TextureFormat::Rgba8Unorm);
    let t0 = Instant::now();
    for i in 0..MAX_MESSAGES + 2 {
        hud.message(Level::Info, &format!("message {i}"), t0);
    }
    let up: Vec<_> = hud.messages(t0).map(|(t, _)| t.to_owned()).collect();
    assert_eq!(up.len(), MAX_MESSAGES);
    assert_eq!(
        up.first().map(String::as_str),
        Some("message 2"),
        "oldest give way"
    );
    // The same text again moves to the end instead of showing twice.
    hud.message(Level::Warning, "message 3", t0 + Duration::from_secs(2));
    let up: Vec<_> = hud.messages(t0).map(|(t, l)| (t.to_owned(), l)).collect();
    assert_eq!(up.len(), MAX_MESSAGES);
    assert_eq!(up.last(), Some(&("message 3".to_owned(), Level::Warning)));
    // Info goes after 4 s, the renewed warning stays.
    let left: Vec<_> = hud.messages(t0 + Duration::from_secs(5)).collect();
    assert_eq!(left, vec![("message 3", Level::Warning)]);
}
