//! `kefir_get_preset_info`: what a player shows about a preset, in one
//! allocation the caller frees with `kefir_preset_info_free`.

use std::ffi::CString;
use std::path::{Path, PathBuf};

use milk_engine::LoadReport;

use crate::{c_string, kefir_preset_info};

/// The C struct followed by the strings it points into (`info` first, so
/// a pointer to the box is a pointer to the struct).
#[repr(C)]
struct InfoBox {
    info: kefir_preset_info,
    _strings: Vec<CString>,
}

/// Presets larger than this are not read for metadata (the player does not
/// load them either).
const MAX_PRESET_BYTES: u64 = 1 << 20;

/// What is known about a preset.
pub(crate) struct Facts<'a> {
    pub name: String,
    pub path: Option<PathBuf>,
    pub index: Option<usize>,
    pub current: bool,
    pub favourite: bool,
    pub never_again: bool,
    /// Why it failed to load, when it did.
    pub broken: Option<String>,
    /// Its text when it was not loaded from a file.
    pub text: Option<&'a str>,
    /// The current preset's load report, time played and time left.
    pub report: Option<&'a LoadReport>,
    pub seconds_played: f64,
    pub seconds_left: Option<f64>,
}

/// The preset's header values, parsed from its file or text.
fn header(path: Option<&Path>, text: Option<&str>) -> Option<milk_parser::preset::Preset> {
    let owned;
    let text = match (text, path) {
        (Some(text), _) => text,
        (None, Some(path)) => {
            if std::fs::metadata(path).ok()?.len() > MAX_PRESET_BYTES {
                return None;
            }
            // MilkDrop presets are often Latin-1: only the ASCII header
            // values matter here.
            owned = String::from_utf8_lossy(&std::fs::read(path).ok()?).into_owned();
            &owned
        }
        (None, None) => return None,
    };
    milk_parser::preset::Preset::parse(text).ok()
}

/// Builds the struct; the caller owns it.
pub(crate) fn boxed(facts: Facts<'_>) -> *mut kefir_preset_info {
    let mut strings = Vec::new();
    let mut keep = |s: CString| {
        let p = s.as_ptr();
        strings.push(s);
        p
    };
    let name = keep(c_string(&facts.name));
    let path = facts
        .path
        .as_ref()
        .map_or(std::ptr::null(), |p| keep(c_string(&p.to_string_lossy())));
    let mut problems = Vec::new();
    if let Some(reason) = &facts.broken {
        problems.push(format!("does not load: {reason}"));
    }
    if let Some(report) = facts.report {
        problems.extend(
            report
                .errors
                .iter()
                .map(|e| format!("{e} (block disabled)")),
        );
        problems.extend(
            report
                .shader_failures
                .iter()
                .map(|f| format!("{f} (default shader used)")),
        );
        problems.extend(report.texture_warnings.iter().map(ToString::to_string));
    }
    let problems = if problems.is_empty() {
        std::ptr::null()
    } else {
        keep(c_string(&problems.join("\n")))
    };
    let preset = header(facts.path.as_deref(), facts.text);
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let report = facts.report;
    let info = kefir_preset_info {
        name,
        path,
        index: facts
            .index
            .and_then(|i| i32::try_from(i).ok())
            .unwrap_or(-1),
        current: i32::from(facts.current),
        favourite: i32::from(facts.favourite),
        never_again: i32::from(facts.never_again),
        broken: i32::from(facts.broken.is_some()),
        parsed: i32::from(preset.is_some()),
        milkdrop_version: preset.as_ref().map_or(0, |p| p.version),
        ps_version_warp: preset.as_ref().map_or(0, |p| p.ps_version_warp),
        ps_version_comp: preset.as_ref().map_or(0, |p| p.ps_version_comp),
        rating: preset.as_ref().map_or(0.0, |p| p.base.rating),
        code_errors: report.map_or(0, |r| count(r.errors.len())),
        shader_failures: report.map_or(0, |r| count(r.shader_failures.len())),
        missing_textures: report.map_or(0, |r| count(r.texture_warnings.len())),
        warp_shader: report.map_or(0, |r| i32::from(r.warp_shader)),
        comp_shader: report.map_or(0, |r| i32::from(r.comp_shader)),
        seconds_played: if facts.current {
            facts.seconds_played
        } else {
            0.0
        },
        seconds_left: facts.seconds_left.unwrap_or(-1.0),
        problems,
    };
    Box::into_raw(Box::new(InfoBox {
        info,
        _strings: strings,
    }))
    .cast()
}

/// Frees what `boxed` made.
///
/// # Safety
/// `info` is NULL or from `boxed`, not freed yet.
pub(crate) unsafe fn free(info: *mut kefir_preset_info) {
    if !info.is_null() {
        // SAFETY: `boxed` made it from a Box<InfoBox> whose first field is
        // the struct.
        drop(unsafe { Box::from_raw(info.cast::<InfoBox>()) });
    }
}
