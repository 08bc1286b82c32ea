//! The element's properties, and how they map onto the player's settings.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kefir_player::PlayerConfig;

/// What a host asked for since the last frame, applied on the streaming
/// thread before the next frame renders.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Play this file (the `preset` property was set while playing).
    Load(PathBuf),
    Next,
    Previous,
    Random,
}

/// The property values.
#[derive(Debug, Clone)]
pub struct Settings {
    pub preset: Option<PathBuf>,
    pub preset_dir: Option<PathBuf>,
    pub texture_dir: Option<PathBuf>,
    pub preset_duration: f64,
    pub preset_jitter: f64,
    pub blend_duration: f64,
    pub shuffle: bool,
    pub hard_cuts: bool,
    pub beat_sensitivity: f32,
    pub locked: bool,
    pub mesh: (u32, u32),
    pub seed: u64,
    pub render_scale: f32,
}

impl Default for Settings {
    fn default() -> Self {
        let player = PlayerConfig::default();
        Settings {
            preset: None,
            preset_dir: None,
            texture_dir: None,
            preset_duration: player.preset_seconds,
            preset_jitter: player.preset_seconds_jitter,
            blend_duration: player.blend_seconds,
            shuffle: player.shuffle,
            hard_cuts: player.hard_cuts,
            beat_sensitivity: player.beat_sensitivity,
            locked: false,
            mesh: player.engine.mesh,
            seed: player.seed,
            render_scale: player.engine.render_scale,
        }
    }
}

impl Settings {
    /// The directories the playlist is made of: `preset-dir`; else the
    /// `preset` file alone; else the presets that come with Kefir.
    pub fn playlist_roots(&self) -> Vec<PathBuf> {
        match (&self.preset_dir, &self.preset) {
            (Some(dir), _) => vec![dir.clone()],
            (None, Some(file)) => vec![file.clone()],
            (None, None) => bundled_preset_dir().into_iter().collect(),
        }
    }

    /// `base` (the player's current settings) with these values in. The
    /// engine settings (mesh, seed) count only when a player is created;
    /// the render scale applies at once.
    /// A `preset` file alone (no `preset-dir`) has no automatic changes or
    /// hard cuts: they would only restart it.
    pub fn player_config(&self, base: &PlayerConfig) -> PlayerConfig {
        let alone = self.preset_dir.is_none() && self.preset.is_some();
        PlayerConfig {
            engine: milk_engine::Config {
                mesh: self.mesh,
                seed: self.seed,
                render_scale: self.render_scale,
                ..base.engine
            },
            preset_dirs: self.playlist_roots(),
            texture_dirs: self.texture_dir.iter().cloned().collect(),
            shuffle: self.shuffle,
            preset_seconds: if alone { 0.0 } else { self.preset_duration },
            preset_seconds_jitter: self.preset_jitter,
            blend_seconds: self.blend_duration,
            hard_cuts: self.hard_cuts && !alone,
            beat_sensitivity: self.beat_sensitivity,
            seed: self.seed,
            ..base.clone()
        }
    }
}

/// Parses `mesh-size`: "COLSxROWS", each 1..=512.
pub fn parse_mesh(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("mesh-size {text:?}: expected COLUMNSxROWS, each 1 to 512 (e.g. 48x36)");
    let (w, h) = text.trim().split_once(['x', 'X']).ok_or_else(bad)?;
    let w: u32 = w.trim().parse().map_err(|_| bad())?;
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    if !(1..=512).contains(&w) || !(1..=512).contains(&h) {
        return Err(bad());
    }
    Ok((w, h))
}

/// The plugin's file, recorded when GStreamer loads it (to find presets
/// installed beside it).
pub static PLUGIN_FILE: OnceLock<PathBuf> = OnceLock::new();

/// The presets that come with Kefir, as a directory the playlist can scan:
/// `$KEFIR_PRESETS`; else `share/kefir/presets` of the prefix the plugin is
/// installed in (`<prefix>/lib/gstreamer-1.0/libgstkefir.so` or
/// `<prefix>/lib/<triple>/gstreamer-1.0/...`, where `scripts/install.sh`
/// puts them); else the copies embedded in the plugin, written once to
/// `<user data dir>/kefir/bundled-presets` (a temporary folder if that
/// cannot be written), as the desktop app does. `None` only when even that
/// fails (the element then renders MilkDrop's default preset).
pub fn bundled_preset_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("KEFIR_PRESETS") {
        return Some(PathBuf::from(dir));
    }
    let installed_beside = PLUGIN_FILE.get().and_then(|f| f.parent()).and_then(|dir| {
        ["..", "../.."]
            .iter()
            .map(|up| dir.join(up).join("../share/kefir/presets"))
            .find(|d| is_bundled_preset_dir(d))
    });
    if let Some(dir) = installed_beside {
        return Some(dir.canonicalize().unwrap_or(dir));
    }
    [
        gst::glib::user_data_dir()
            .join("kefir")
            .join("bundled-presets"),
        std::env::temp_dir().join("kefir-bundled-presets"),
    ]
    .iter()
    .find_map(|dir| kefir_presets::install(dir).ok())
}

/// Whether `dir` holds Kefir's presets (not just any `presets` folder).
fn is_bundled_preset_dir(dir: &Path) -> bool {
    kefir_presets::BUNDLED
        .first()
        .is_some_and(|p| dir.join(p.file_name).is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mesh_sizes_parse() {
        assert_eq!(parse_mesh("48x36"), Ok((48, 36)));
        assert_eq!(parse_mesh(" 8 X 6 "), Ok((8, 6)));
        for bad in ["", "48", "0x36", "48x513", "ax3", "48x36x2"] {
            assert!(parse_mesh(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_playlist_is_the_dir_else_the_preset_else_the_bundled_set() {
        let mut s = Settings::default();
        let bundled = s.playlist_roots();
        assert_eq!(
            bundled.len(),
            1,
            "$KEFIR_PRESETS or the source tree's presets/"
        );
        if std::env::var_os("KEFIR_PRESETS").is_none() {
            for preset in kefir_presets::BUNDLED {
                assert!(
                    bundled[0].join(preset.file_name).is_file(),
                    "{}",
                    preset.file_name
                );
            }
        }
        s.preset = Some("/x/a.milk".into());
        assert_eq!(s.playlist_roots(), vec![PathBuf::from("/x/a.milk")]);
        s.preset_dir = Some("/y".into());
        assert_eq!(s.playlist_roots(), vec![PathBuf::from("/y")]);
    }

    #[test]
    fn settings_reach_the_player_config() {
        let s = Settings {
            preset_duration: 3.0,
            preset_jitter: 0.0,
            blend_duration: 0.5,
            shuffle: false,
            hard_cuts: true,
            beat_sensitivity: 0.9,
            mesh: (8, 6),
            seed: 7,
            texture_dir: Some("/t".into()),
            ..Settings::default()
        };
        let base = PlayerConfig {
            user_blend_seconds: 0.25,
            ..PlayerConfig::default()
        };
        let c = s.player_config(&base);
        assert_eq!(c.preset_seconds, 3.0);
        assert_eq!(c.preset_seconds_jitter, 0.0);
        assert_eq!(c.blend_seconds, 0.5);
        assert!(!c.shuffle && c.hard_cuts);
        assert_eq!(c.beat_sensitivity, 0.9);
        assert_eq!(c.engine.mesh, (8, 6));
        assert_eq!((c.seed, c.engine.seed), (7, 7));
        assert_eq!(c.texture_dirs, vec![PathBuf::from("/t")]);
        assert_eq!(c.user_blend_seconds, 0.25, "kept from the base");

        // A preset alone is not restarted by the timer or hard cuts.
        let alone = Settings {
            preset: Some("/x/a.milk".into()),
            ..s.clone()
        };
        let c = alone.player_config(&base);
        assert_eq!((c.preset_seconds, c.hard_cuts), (0.0, false));
        let in_dir = Settings {
            preset_dir: Some("/x".into()),
            ..alone
        };
        let c = in_dir.player_config(&base);
        assert_eq!((c.preset_seconds, c.hard_cuts), (3.0, true));
    }
}
