//! Choosing a connector and a mode from what the DRM device lists: pure
//! functions over plain lists, tested on fake connectors.

use crate::config::ModeRequest;

/// The largest mode chosen without being asked: 1080p at 60 Hz.
pub const AUTO_MAX: (u32, u32, u32) = (1920, 1080, 60_500);

/// One display mode, as DRM lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModeInfo {
    pub name: String,
    pub width: u32,
    pub height: u32,
    /// Pixel clock, kHz.
    pub clock_khz: u32,
    pub htotal: u32,
    pub vtotal: u32,
    pub vscan: u32,
    pub preferred: bool,
    pub interlaced: bool,
}

impl ModeInfo {
    /// The refresh rate in millihertz as Mesa's VK_KHR_display reports it
    /// (`clock * 1000 / (htotal * vtotal * max(vscan, 1))`, times 1000,
    /// rounded): wgpu-hal looks the mode up by exactly this number, so
    /// `vrefresh * 1000` (60000 for a 59.94 Hz mode) would not be found.
    pub fn refresh_mhz(&self) -> u32 {
        let denom = f64::from(self.htotal) * f64::from(self.vtotal) * f64::from(self.vscan.max(1));
        if denom == 0.0 {
            return 0;
        }
        (f64::from(self.clock_khz) * 1000.0 / denom * 1000.0 + 0.5) as u32
    }

    /// `1920x1080@60.00`.
    pub fn label(&self) -> String {
        format!(
            "{}x{}@{:.2}{}",
            self.width,
            self.height,
            f64::from(self.refresh_mhz()) / 1000.0,
            if self.interlaced { "i" } else { "" }
        )
    }
}

/// One connector of a DRM device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorInfo {
    /// The DRM object id (what `VK_EXT_acquire_drm_display` takes).
    pub id: u32,
    /// Its position in the device's connector list.
    pub index: usize,
    /// `HDMI-A-1`, as the kernel names it.
    pub name: String,
    pub connected: bool,
    pub modes: Vec<ModeInfo>,
}

/// The connector `wanted` names (case-insensitive), or with `auto` the
/// first connected one that has modes.
pub fn choose_connector<'a>(
    connectors: &'a [ConnectorInfo],
    wanted: &str,
) -> Result<&'a ConnectorInfo, String> {
    let listing = || {
        if connectors.is_empty() {
            "none".to_string()
        } else {
            connectors
                .iter()
                .map(|c| {
                    format!(
                        "{} ({})",
                        c.name,
                        if c.connected {
                            "connected"
                        } else {
                            "disconnected"
                        }
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let wanted = wanted.trim();
    if wanted.is_empty() || wanted.eq_ignore_ascii_case("auto") {
        return connectors
            .iter()
            .find(|c| c.connected && !c.modes.is_empty())
            .ok_or_else(|| format!("no display is connected (connectors: {})", listing()));
    }
    let c = connectors
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(wanted))
        .ok_or_else(|| format!("no connector {wanted:?} (connectors: {})", listing()))?;
    if !c.connected || c.modes.is_empty() {
        return Err(format!("nothing is connected to {}", c.name));
    }
    Ok(c)
}

/// The mode to use: with `auto` the connector's preferred mode if it is at
/// most 1080p60, else the largest mode within that (the highest refresh
/// within 60 Hz); with a size, that size (at the refresh closest to the one
/// asked for, else the highest within 60 Hz).
pub fn choose_mode(modes: &[ModeInfo], request: ModeRequest) -> Result<&ModeInfo, String> {
    let within = |m: &&ModeInfo| {
        m.width <= AUTO_MAX.0 && m.height <= AUTO_MAX.1 && m.refresh_mhz() <= AUTO_MAX.2
    };
    let progressive = || modes.iter().filter(|m| !m.interlaced);
    let listing = || {
        modes
            .iter()
            .map(ModeInfo::label)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match request {
        ModeRequest::Auto => progressive()
            .filter(|m| m.preferred)
            .find(within)
            .or_else(|| {
                progressive()
                    .filter(within)
                    .max_by_key(|m| (m.width * m.height, m.refresh_mhz()))
            })
            .or_else(|| progressive().min_by_key(|m| (m.width * m.height, m.refresh_mhz())))
            .ok_or_else(|| format!("the display lists no usable mode ({})", listing())),
        ModeRequest::Size { width, height, hz } => {
            let sized = || {
                modes
                    .iter()
                    .filter(|m| m.width == width && m.height == height)
            };
            let found = match hz {
                Some(hz) => {
                    let want = (hz * 1000.0).round() as i64;
                    sized()
                        .filter(|m| (i64::from(m.refresh_mhz()) - want).abs() <= 500)
                        .min_by_key(|m| (i64::from(m.refresh_mhz()) - want).abs())
                }
                None => sized()
                    .filter(|m| m.refresh_mhz() <= AUTO_MAX.2)
                    .max_by_key(|m| (!m.interlaced, m.refresh_mhz()))
                    .or_else(|| sized().min_by_key(|m| m.refresh_mhz())),
            };
            found.ok_or_else(|| format!("the display has no mode {request} (it has {})", listing()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mode with CEA-861 timings.
    fn mode(width: u32, height: u32, clock: u32, htotal: u32, vtotal: u32) -> ModeInfo {
        ModeInfo {
            name: format!("{width}x{height}"),
            width,
            height,
            clock_khz: clock,
            htotal,
            vtotal,
            vscan: 0,
            preferred: false,
            interlaced: false,
        }
    }

    /// What a 4K TV lists over HDMI.
    fn tv() -> Vec<ModeInfo> {
        let mut uhd = mode(3840, 2160, 594_000, 4400, 2250);
        uhd.preferred = true;
        vec![
            uhd,
            mode(3840, 2160, 297_000, 4400, 2250),
            mode(1920, 1080, 148_500, 2200, 1125),
            mode(1920, 1080, 148_352, 2200, 1125),
            mode(1920, 1080, 74_250, 2200, 1125),
            mode(1280, 720, 74_250, 1650, 750),
            mode(720, 480, 27_000, 858, 525),
        ]
    }

    #[test]
    fn refresh_is_computed_as_mesa_does() {
        assert_eq!(mode(1920, 1080, 148_500, 2200, 1125).refresh_mhz(), 60_000);
        assert_eq!(mode(1920, 1080, 148_352, 2200, 1125).refresh_mhz(), 59_940);
        assert_eq!(mode(720, 480, 27_000, 858, 525).refresh_mhz(), 59_940);
        let mut doubled = mode(640, 480, 25_175, 800, 525);
        assert_eq!(doubled.refresh_mhz(), 59_940);
        doubled.vscan = 2;
        assert_eq!(doubled.refresh_mhz(), 29_970);
        assert_eq!(mode(1, 1, 1, 0, 0).refresh_mhz(), 0);
        assert_eq!(tv()[2].label(), "1920x1080@60.00");
    }

    #[test]
    fn auto_caps_a_4k_tv_at_1080p60() {
        let modes = tv();
        assert_eq!(choose_mode(&modes, ModeRequest::Auto), Ok(&modes[2]));
    }

    #[test]
    fn auto_takes_a_preferred_mode_within_the_cap() {
        let mut modes = tv();
        modes[0].preferred = false;
        modes[5].preferred = true;
        assert_eq!(choose_mode(&modes, ModeRequest::Auto), Ok(&modes[5]));
        // Only modes above the cap: the smallest.
        let big = vec![tv()[0].clone(), tv()[1].clone()];
        assert_eq!(choose_mode(&big, ModeRequest::Auto), Ok(&big[1]));
        assert!(choose_mode(&[], ModeRequest::Auto).is_err());
    }

    #[test]
    fn a_forced_mode_must_exist() {
        let modes = tv();
        let size = |width, height, hz| ModeRequest::Size { width, height, hz };
        assert_eq!(choose_mode(&modes, size(1280, 720, None)), Ok(&modes[5]));
        assert_eq!(choose_mode(&modes, size(1920, 1080, None)), Ok(&modes[2]));
        assert_eq!(
            choose_mode(&modes, size(1920, 1080, Some(59.94))),
            Ok(&modes[3])
        );
        assert_eq!(
            choose_mode(&modes, size(1920, 1080, Some(30.0))),
            Ok(&modes[4])
        );
        assert_eq!(
            choose_mode(&modes, size(3840, 2160, None)),
            Ok(&modes[0]),
            "a forced size is not capped at 1080p: the highest refresh within 60 Hz"
        );
        let err = choose_mode(&modes, size(1024, 768, None)).unwrap_err();
        assert!(
            err.contains("no mode 1024x768") && err.contains("1280x720@60.00"),
            "{err}"
        );
        assert!(choose_mode(&modes, size(1920, 1080, Some(50.0))).is_err());
    }

    fn connector(index: usize, name: &str, connected: bool) -> ConnectorInfo {
        ConnectorInfo {
            id: 30 + index as u32,
            index,
            name: name.into(),
            connected,
            modes: if connected { tv() } else { Vec::new() },
        }
    }

    #[test]
    fn connectors_by_name_or_the_first_connected() {
        let list = vec![
            connector(0, "HDMI-A-1", false),
            connector(1, "HDMI-A-2", true),
            connector(2, "Composite-1", false),
        ];
        assert_eq!(choose_connector(&list, "auto").unwrap().name, "HDMI-A-2");
        assert_eq!(choose_connector(&list, "hdmi-a-2").unwrap().id, 31);
        let err = choose_connector(&list, "HDMI-A-1").unwrap_err();
        assert!(err.contains("nothing is connected to HDMI-A-1"), "{err}");
        let err = choose_connector(&list, "DP-1").unwrap_err();
        assert!(err.contains("HDMI-A-2 (connected)"), "{err}");
        let err = choose_connector(&list[..1], "auto").unwrap_err();
        assert!(err.contains("no display is connected"), "{err}");
    }
}
