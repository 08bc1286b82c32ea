//! What making a texture's mip levels costs on the CPU ([`mip_levels`]: the
//! box filter user textures, generated stand-ins and noise get when they
//! load), for square RGBA images of common sizes and a volume.
//!
//! `cargo bench -p milk-engine --bench mips`: prints the best of 5 runs per
//! size, in ms.

use std::time::Instant;

use milk_engine::textures::mip_levels;

fn main() {
    println!("| image | levels | best of 5, ms |");
    println!("|---|---:|---:|");
    for (w, h, d) in [
        (256u32, 256u32, 1u32),
        (1024, 1024, 1),
        (2048, 2048, 1),
        (4096, 4096, 1),
        (1000, 750, 1),
        (32, 32, 32),
    ] {
        // Deterministic, not constant: every texel different enough that
        // nothing folds away.
        let rgba: Vec<u8> = (0..w * h * d * 4)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        let mut best = f64::INFINITY;
        let mut levels = 0;
        for _ in 0..5 {
            let t = Instant::now();
            let smaller = mip_levels(&rgba, (w, h, d));
            best = best.min(t.elapsed().as_secs_f64() * 1e3);
            levels = smaller.len() + 1;
            std::hint::black_box(smaller);
        }
        println!("| {w}x{h}x{d} | {levels} | {best:.2} |");
    }
}
