//! Kefir's own presets (the repository's `presets/` folder), embedded in the
//! binary at build time, so an installed `kefir` (or the web page, or the Pi
//! box) plays them without any files beside it.
//!
//! Hosts that work with files (the playlist scans directories) call
//! [`install`] to write them into a folder of their own, once; hosts without
//! a file system (the browser) load [`BundledPreset::text`] directly.

use std::io;
use std::path::{Path, PathBuf};

/// One embedded preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BundledPreset {
    /// Its file name, e.g. `"Kefir - Bass Tunnel.milk"`.
    pub file_name: &'static str,
    /// The file's bytes, exactly as in `presets/`.
    pub bytes: &'static [u8],
}

impl BundledPreset {
    /// The preset's name: the file name without `.milk`.
    pub fn name(&self) -> &'static str {
        self.file_name
            .strip_suffix(".milk")
            .unwrap_or(self.file_name)
    }

    /// The file's text (the bundled presets are ASCII; anything else is
    /// replaced as milk-parser would read it).
    pub fn text(&self) -> std::borrow::Cow<'static, str> {
        String::from_utf8_lossy(self.bytes)
    }
}

/// Every bundled preset, sorted by file name.
pub const BUNDLED: &[BundledPreset] = include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// Writes the bundled presets into `dir` (created if missing) and returns
/// it. Files that already hold the same bytes are left alone, others are
/// (re)written through a temporary file, so a running player never reads a
/// half-written preset. Files in `dir` that are not bundled presets are not
/// touched.
pub fn install(dir: &Path) -> io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    for preset in BUNDLED {
        let path = dir.join(preset.file_name);
        if std::fs::read(&path).is_ok_and(|b| b == preset.bytes) {
            continue;
        }
        let partial = dir.join(format!(".{}.partial", preset.file_name));
        std::fs::write(&partial, preset.bytes)?;
        std::fs::rename(&partial, &path)?;
    }
    Ok(dir.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_the_presets_folder_is_embedded_byte_for_byte() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../presets");
        let mut on_disk: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "milk"))
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&p).unwrap())
            })
            .collect();
        on_disk.sort();
        let embedded: Vec<(String, Vec<u8>)> = BUNDLED
            .iter()
            .map(|p| (p.file_name.to_owned(), p.bytes.to_vec()))
            .collect();
        assert!(embedded.len() >= 12, "{} presets", embedded.len());
        assert_eq!(embedded, on_disk);
    }

    #[test]
    fn every_bundled_preset_parses_and_compiles_cleanly() {
        for preset in BUNDLED {
            let parsed = milk_parser::Preset::from_bytes(preset.bytes)
                .unwrap_or_else(|e| panic!("{}: {e}", preset.file_name));
            let code = milk_parser::PresetCode::compile(&parsed, Default::default());
            assert!(
                code.errors.is_empty(),
                "{}: {:?}",
                preset.file_name,
                code.errors
            );
            assert!(preset.name().starts_with("Kefir - "), "{}", preset.name());
        }
    }

    #[test]
    fn install_writes_each_preset_once_and_repairs_changed_files() {
        let dir =
            std::env::temp_dir().join(format!("kefir-presets-install-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let got = install(&dir).unwrap();
        assert_eq!(got, dir);
        for preset in BUNDLED {
            assert_eq!(
                std::fs::read(dir.join(preset.file_name)).unwrap(),
                preset.bytes
            );
        }
        // An edited copy is put back; a file of the user's stays.
        let first = dir.join(BUNDLED[0].file_name);
        std::fs::write(&first, b"edited").unwrap();
        std::fs::write(dir.join("mine.milk"), b"[preset00]\n").unwrap();
        install(&dir).unwrap();
        assert_eq!(std::fs::read(&first).unwrap(), BUNDLED[0].bytes);
        assert_eq!(
            std::fs::read(dir.join("mine.milk")).unwrap(),
            b"[preset00]\n"
        );
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".partial")
            })
            .collect();
        assert!(leftovers.is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
