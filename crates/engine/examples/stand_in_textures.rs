//! Writes Kefir's generated stand-in textures as PNG files, to look at them:
//! `cargo run -p milk-engine --example stand_in_textures -- DIR`.

use milk_engine::stand_in::{SIZE, StandIn};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    std::fs::create_dir_all(&dir)?;
    for kind in StandIn::ALL {
        let path = std::path::Path::new(&dir).join(format!("{}.png", kind.name()));
        image::save_buffer(
            &path,
            &kind.generate(),
            SIZE,
            SIZE,
            image::ExtendedColorType::Rgba8,
        )?;
        println!("{}", path.display());
    }
    Ok(())
}
