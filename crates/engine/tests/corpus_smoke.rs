//! Every preset of the butterchurn sample of the shared corpus renders a few
//! frames without an error or a panic (MilkDrop 1.x presets through the
//! fixed-function path, MilkDrop 2 presets through the generated shaders).

use milk_audio::AudioFrame;
use milk_engine::headless::Headless;
use milk_engine::{Config, Visualizer};
use milk_parser::Preset;

#[test]
fn butterchurn_presets_render() {
    let gpu = Headless::new().unwrap_or_else(|e| panic!("needs a wgpu adapter: {e}"));
    let files = kefir_corpus::milk_files_in(&kefir_corpus::presets_dir().join("butterchurn"));
    assert!(files.len() > 100, "corpus sample missing");
    let (w, h) = (64, 48);
    let target = gpu.target(w, h);
    let start: Vec<u8> = (0..w * h * 4).map(|i| (i * 7 % 251) as u8).collect();
    let mut vis = Visualizer::new(gpu.device.clone(), gpu.queue.clone(), Config::default());
    let audio = AudioFrame {
        bass: 1.3,
        mid: 0.8,
        treb: 1.1,
        ..AudioFrame::default()
    };
    let mut rendered = 0;
    for path in &files {
        let bytes = std::fs::read(path).expect("readable preset");
        let Ok(preset) = Preset::from_bytes(&bytes) else {
            continue;
        };
        vis.load_preset(&preset);
        vis.set_frame(w, h, &start);
        for _ in 0..3 {
            vis.render(1.0 / 60.0, &audio, &target)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        let img = gpu.read_rgba(&target).expect("read back");
        assert_eq!(img.len(), (w * h * 4) as usize);
        rendered += 1;
    }
    assert!(
        rendered * 10 >= files.len() * 9,
        "{rendered} of {}",
        files.len()
    );
}
