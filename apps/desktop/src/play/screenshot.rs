//! Screenshots: the frame (without the overlay) as a PNG.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result};

/// Reads `texture` back and writes it to a new PNG in `dir`, named after the
/// time and the preset.
pub fn save(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    texture: &wgpu::Texture,
    dir: &Path,
    preset: Option<&str>,
) -> Result<PathBuf> {
    let rgba =
        milk_engine::headless::read_rgba(device, queue, texture).map_err(|e| anyhow::anyhow!(e))?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = unique(dir, &file_name(SystemTime::now(), preset));
    write_png(&path, texture.width(), texture.height(), &rgba)?;
    Ok(path)
}

fn write_png(path: &Path, width: u32, height: u32, rgba: &[u8]) -> Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header()?;
    // The frame is opaque whatever the alpha channel holds.
    let opaque: Vec<u8> = rgba
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2], 255])
        .collect();
    w.write_image_data(&opaque)?;
    w.finish()?;
    Ok(())
}

/// `path`, or `path` with `-2`, `-3`... when it exists.
fn unique(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(format!("{name}.png"));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| dir.join(format!("{name}-{n}.png")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// `kefir-20260125-143005-Preset_Name`.
pub fn file_name(when: SystemTime, preset: Option<&str>) -> String {
    let secs = when
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (y, m, d) = civil_date((secs / 86_400) as i64);
    let s = secs % 86_400;
    let mut name = format!(
        "kefir-{y:04}{m:02}{d:02}-{:02}{:02}{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60
    );
    if let Some(p) = preset {
        let clean: String = p
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .take(80)
            .collect();
        if !clean.is_empty() {
            name.push('-');
            name.push_str(&clean);
        }
    }
    name
}

/// Year, month, day of a day count since 1970-01-01 (UTC), Howard
/// Hinnant's algorithm.
fn civil_date(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn names_carry_the_utc_time_and_the_preset() {
        // 2024-02-29 13:45:07 UTC.
        let t = UNIX_EPOCH + Duration::from_secs(1_709_214_307);
        assert_eq!(
            file_name(t, Some("Kefir - Solar Rain")),
            "kefir-20240229-134507-Kefir_-_Solar_Rain"
        );
        assert_eq!(file_name(UNIX_EPOCH, None), "kefir-19700101-000000");
        assert_eq!(civil_date(-1), (1969, 12, 31));
    }

    #[test]
    fn pngs_are_written_opaque_and_never_overwritten() {
        let dir = std::env::temp_dir().join(format!("kefir-shot-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let a = unique(&dir, "x");
        write_png(&a, 2, 1, &[1, 2, 3, 0, 4, 5, 6, 7]).unwrap();
        let b = unique(&dir, "x");
        assert_ne!(a, b);
        let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&a).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        assert_eq!(&buf[..8], &[1, 2, 3, 255, 4, 5, 6, 255]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
