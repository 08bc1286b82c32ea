//! A start picture for offline renders and tests: presets warp a previous
//! frame, and a black one hides what the warp does.

/// Concentric rings (red/blue) and a grid (green), RGBA8, row by row.
/// `kefir render --start pattern` and the golden tests start from it.
pub fn rings_and_grid(width: u32, height: u32) -> Vec<u8> {
    let mut img = Vec::with_capacity(width as usize * height as usize * 4);
    let cell = (width.max(height) / 10).max(4);
    for y in 0..height {
        for x in 0..width {
            let (fx, fy) = (
                x as f32 / width as f32 - 0.5,
                y as f32 / height as f32 - 0.5,
            );
            let ring = (((fx * fx + fy * fy).sqrt() * 40.0) as u32 % 2) as u8 * 200;
            let grid = u8::from(x % cell == 0 || y % cell == 0) * 255;
            img.extend_from_slice(&[ring, grid, 255 - ring, 255]);
        }
    }
    img
}
