//! Renders a few frames of a preset headless and writes the last one as a
//! PNG: `cargo run -p milk-engine --example frames -- PRESET OUT.png [FRAMES]`.
//! The start image is the rings-and-grid pattern, so motion shows; the
//! audio is a steady synthetic beat.

use milk_audio::AudioFrame;
use milk_engine::headless::Headless;
use milk_engine::{Config, Visualizer};
use milk_parser::Preset;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(preset), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: frames PRESET OUT.png [FRAMES]".into());
    };
    let frames: u32 = args.next().map_or(Ok(60), |f| f.parse())?;
    let (w, h) = (320, 240);
    let gpu = Headless::new()?;
    let preset = Preset::from_bytes(&std::fs::read(&preset)?)?;
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    let report = vis.load_preset(&preset);
    for e in &report.errors {
        eprintln!("{e}");
    }
    let start = milk_engine::pattern::rings_and_grid(w, h);
    vis.set_frame(w, h, &start);
    let target = gpu.target(w, h);
    for f in 0..frames {
        let beat = f % 30 < 3;
        let audio = AudioFrame {
            bass: if beat { 2.0 } else { 0.8 },
            mid: 1.0,
            treb: 1.0,
            bass_att: 1.1,
            mid_att: 1.0,
            treb_att: 1.0,
            ..AudioFrame::default()
        };
        vis.render(1.0 / 60.0, &audio, &target)?;
    }
    let rgba = gpu.read_rgba(&target)?;
    let file = std::io::BufWriter::new(std::fs::File::create(&out)?);
    let mut enc = png::Encoder::new(file, w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.write_header()?.write_image_data(&rgba)?;
    Ok(())
}
