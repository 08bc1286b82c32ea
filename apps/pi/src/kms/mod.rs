//! The display straight through KMS/DRM: no X, no Wayland. The `drm` crate
//! finds the device with a display engine (on a Pi the vc4 card, not the
//! v3d render device), a connected connector and a mode ([`select`]); wgpu
//! then draws to it through Vulkan's `VK_KHR_display`
//! (`SurfaceTargetUnsafe::Drm`, Mesa's v3dv on a Pi 4/5).
//!
//! wgpu-hal `expect()`s inside the display acquire, so everything it would
//! panic on is checked here first, and what remains runs under
//! `catch_unwind`: a display that cannot be driven is an error the app
//! reports (and falls back to a window on), never a crash. The DRM file
//! stays open, and this process DRM master, for as long as the surface
//! lives ([`KmsDisplay`] owns both).

pub mod select;

use std::fs::{File, OpenOptions};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};
use drm::Device as _;
use drm::control::{Device as _, ModeFlags, ModeTypeFlags, connector};

use crate::config::DisplayConfig;
use select::{ConnectorInfo, ModeInfo, choose_connector, choose_mode};

/// An open DRM device node.
struct Card(File);

impl AsFd for Card {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.0.as_fd()
    }
}
impl drm::Device for Card {}
impl drm::control::Device for Card {}

/// The `/dev/dri/card*` nodes, in order.
fn card_paths() -> Vec<PathBuf> {
    let mut cards: Vec<PathBuf> = std::fs::read_dir("/dev/dri")
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("card"))
                })
                .collect()
        })
        .unwrap_or_default();
    cards.sort();
    cards
}

fn open_card(path: &Path) -> Result<Card, String> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map(Card)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::PermissionDenied {
                format!("cannot open it ({e}): the user must be in the `video` group")
            } else {
                format!("cannot open it ({e})")
            }
        })
}

/// The connectors of a card, or why it has none (a render-only device).
fn connectors(card: &Card) -> Result<Vec<ConnectorInfo>, String> {
    let driver = card
        .get_driver()
        .map(|d| d.name().to_string_lossy().into_owned())
        .unwrap_or_else(|_| "?".into());
    let res = card.resource_handles().map_err(|e| {
        format!("driver {driver} has no display engine ({e}): a render-only device")
    })?;
    let mut out = Vec::new();
    for (index, &handle) in res.connectors().iter().enumerate() {
        let Ok(info) = card.get_connector(handle, true) else {
            continue;
        };
        out.push(ConnectorInfo {
            id: u32::from(info.handle()),
            index,
            name: format!("{}-{}", info.interface().as_str(), info.interface_id()),
            connected: info.state() == connector::State::Connected,
            modes: info
                .modes()
                .iter()
                .map(|m| {
                    let (width, height) = m.size();
                    ModeInfo {
                        name: m.name().to_string_lossy().into_owned(),
                        width: width.into(),
                        height: height.into(),
                        clock_khz: m.clock(),
                        htotal: m.hsync().2.into(),
                        vtotal: m.vsync().2.into(),
                        vscan: m.vscan().into(),
                        preferred: m.mode_type().contains(ModeTypeFlags::PREFERRED),
                        interlaced: m.flags().contains(ModeFlags::INTERLACE),
                    }
                })
                .collect(),
        });
    }
    if out.is_empty() {
        return Err(format!("driver {driver} lists no connectors"));
    }
    Ok(out)
}

/// `--list-modes`: every card, connector and mode, for the bring-up.
pub fn describe() -> String {
    let mut out = String::new();
    let cards = card_paths();
    if cards.is_empty() {
        out.push_str("no /dev/dri/card* devices (is dtoverlay=vc4-kms-v3d in config.txt?)\n");
    }
    for path in cards {
        out.push_str(&format!("{}:\n", path.display()));
        match open_card(&path).and_then(|c| connectors(&c)) {
            Err(e) => out.push_str(&format!("  {e}\n")),
            Ok(list) => {
                for c in list {
                    out.push_str(&format!(
                        "  {} (id {}, plane index {}): {}\n",
                        c.name,
                        c.id,
                        c.index,
                        if c.connected {
                            "connected"
                        } else {
                            "disconnected"
                        }
                    ));
                    for m in &c.modes {
                        out.push_str(&format!(
                            "    {}{} ({} mHz)\n",
                            m.label(),
                            if m.preferred { " preferred" } else { "" },
                            m.refresh_mhz()
                        ));
                    }
                }
            }
        }
    }
    out
}

/// A display driven through KMS: the surface, the adapter that can present
/// to it, and the DRM device kept open (and held as DRM master) while they
/// live.
pub struct KmsDisplay {
    /// Kept alive with the surface.
    _instance: wgpu::Instance,
    pub surface: wgpu::Surface<'static>,
    pub adapter: wgpu::Adapter,
    pub width: u32,
    pub height: u32,
    pub refresh_mhz: u32,
    /// `/dev/dri/card1 HDMI-A-1 1920x1080@60.00`.
    pub description: String,
    /// Declared last: dropped after the surface.
    _card: Card,
}

/// Finds the display, becomes DRM master and creates the wgpu surface.
pub fn open(config: &DisplayConfig) -> Result<KmsDisplay> {
    let cards = card_paths();
    if cards.is_empty() {
        bail!(
            "no DRM devices in /dev/dri: the KMS driver is not loaded (on a Pi: \
             dtoverlay=vc4-kms-v3d in /boot/firmware/config.txt)"
        );
    }
    let mut reasons = Vec::new();
    let mut found = None;
    for path in &cards {
        let chosen = open_card(path).and_then(|card| {
            let list = connectors(&card)?;
            let c = choose_connector(&list, &config.connector)?.clone();
            let m = choose_mode(&c.modes, config.mode)?.clone();
            Ok((card, c, m))
        });
        match chosen {
            Ok(f) => {
                found = Some((path.clone(), f));
                break;
            }
            Err(e) => reasons.push(format!("{}: {e}", path.display())),
        }
    }
    let Some((path, (card, connector, mode))) = found else {
        bail!("no display to draw on: {}", reasons.join("; "));
    };
    card.acquire_master_lock().map_err(|e| {
        anyhow!(
            "cannot become DRM master of {} ({e}): another program (a desktop, a \
             compositor, another kefir-pi) owns the display",
            path.display()
        )
    })?;
    let refresh_mhz = mode.refresh_mhz();
    if mode.width == 0 || mode.height == 0 || refresh_mhz == 0 {
        bail!(
            "{}: mode {} has no valid timings",
            connector.name,
            mode.label()
        );
    }
    // Mesa's VK_KHR_display numbers planes by connector (see the README's
    // bring-up checklist); KEFIR_PI_PLANE overrides it.
    let plane = match std::env::var("KEFIR_PI_PLANE") {
        Ok(v) => v
            .trim()
            .parse::<u32>()
            .with_context(|| format!("KEFIR_PI_PLANE={v:?} is not a plane index"))?,
        Err(_) => connector.index as u32,
    };
    let description = format!("{} {} {}", path.display(), connector.name, mode.label());

    let mut desc = wgpu::InstanceDescriptor::new_without_display_handle_from_env();
    desc.backends = wgpu::Backends::VULKAN;
    desc.flags = milk_engine::gpu::playback_instance_flags();
    let instance = wgpu::Instance::new(desc);
    if pollster::block_on(instance.enumerate_adapters(wgpu::Backends::VULKAN)).is_empty() {
        bail!("no Vulkan driver (KMS output needs Vulkan: apt-get install mesa-vulkan-drivers)");
    }
    let target = wgpu::SurfaceTargetUnsafe::Drm {
        fd: card.0.as_raw_fd(),
        plane,
        connector_id: connector.id,
        width: mode.width,
        height: mode.height,
        refresh_rate: refresh_mhz,
    };
    // SAFETY: the fd, connector and mode come from this open device, which
    // `KmsDisplay` keeps open for the surface's life.
    let created = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| unsafe {
        instance.create_surface_unsafe(target)
    }));
    let surface = match created {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => bail!("{description}: the Vulkan driver cannot drive this display: {e}"),
        Err(panic) => {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            bail!("{description}: the Vulkan driver refused the display ({what})")
        }
    };
    let adapter =
        pollster::block_on(instance.request_adapter(&milk_engine::gpu::adapter_options(&surface)))
            .map_err(|e| anyhow!("{description}: no Vulkan adapter can present to it ({e})"))?;
    Ok(KmsDisplay {
        _instance: instance,
        surface,
        adapter,
        width: mode.width,
        height: mode.height,
        refresh_mhz,
        description,
        _card: card,
    })
}
