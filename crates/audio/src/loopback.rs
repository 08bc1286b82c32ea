//! "What you hear" on each desktop OS: which capture sources record what the
//! machine plays, and what to tell the user where there is none.
//!
//! - **Linux**: PulseAudio and PipeWire list a monitor source per output
//!   (`<sink>.monitor`, "Monitor of ..."); they are ordinary inputs.
//! - **Windows**: WASAPI records any output device in loopback mode when it
//!   is opened as an input, so every output is also listed as a source
//!   (the default output first). No driver needed.
//! - **macOS**: from 14.6, CoreAudio's process tap records an output device
//!   the same way (cpal builds the tap and an aggregate device); the user
//!   must allow "System Audio Recording" once. Before 14.6 only a loopback
//!   driver (BlackHole, Soundflower, Loopback) can do it.
//!
//! Loopback drivers and mixer inputs that carry the output ("Stereo Mix",
//! VB-Audio's "CABLE Output", BlackHole...) count as monitors on every OS.
//! Everything here is pure (names and versions in, answers out) so it is
//! tested with the device names each OS really uses.

/// The operating systems whose naming and loopback support differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Linux,
    Windows,
    /// macOS with its product version (`major`, `minor`), when known.
    MacOs(Option<(u32, u32)>),
    Other,
}

impl Platform {
    /// The platform this program runs on (macOS asks `sw_vers` its version).
    pub fn current() -> Platform {
        if cfg!(target_os = "linux") {
            Platform::Linux
        } else if cfg!(target_os = "windows") {
            Platform::Windows
        } else if cfg!(target_os = "macos") {
            Platform::MacOs(macos_version())
        } else {
            Platform::Other
        }
    }

    /// Whether output devices can be opened as inputs that record what they
    /// play (WASAPI loopback; CoreAudio process taps from macOS 14.6).
    pub fn records_outputs(self) -> bool {
        match self {
            Platform::Windows => true,
            Platform::MacOs(Some(version)) => version >= (14, 6),
            // Unknown macOS version: try; opening says why if it cannot.
            Platform::MacOs(None) => true,
            Platform::Linux | Platform::Other => false,
        }
    }

    /// What to do when nothing records what the machine plays.
    pub fn monitor_help(self) -> String {
        match self {
            Platform::Linux => "Linux needs PulseAudio or PipeWire (pipewire-pulse) for this: \
                 their monitor sources record the output; with ALSA alone, use a loopback \
                 device (snd-aloop) or pick an input with --device"
                .to_string(),
            Platform::Windows => "Windows records output devices through WASAPI loopback, but \
                 none was found: check that an output device is enabled in the sound settings"
                .to_string(),
            Platform::MacOs(Some(v)) if v < (14, 6) => format!(
                "macOS {}.{} cannot record what the Mac plays (macOS 14.6 and later can); \
                 install the free BlackHole driver (existential.audio/blackhole), make a \
                 Multi-Output Device of your speakers and BlackHole in Audio MIDI Setup, play \
                 to it, and start Kefir with --device BlackHole",
                v.0, v.1
            ),
            Platform::MacOs(_) => "allow Kefir to record system audio in System Settings > \
                 Privacy & Security > Screen & System Audio Recording, then start it again; or \
                 use a loopback driver such as BlackHole with --device BlackHole"
                .to_string(),
            Platform::Other => "this system offers no way to record its output; pick an input \
                 with --device"
                .to_string(),
        }
    }
}

/// Whether a capture source with this name and id records what the machine
/// plays: a PulseAudio/PipeWire monitor, or a known loopback driver or mixer
/// input of any OS.
pub fn is_monitor_name(name: &str, id: &str) -> bool {
    let (name, id) = (name.to_lowercase(), id.to_lowercase());
    const LOOPBACK_NAMES: &[&str] = &[
        // Windows: the sound card's own mixer input, VB-Audio's cable.
        "stereo mix",
        "what u hear",
        "wave out mix",
        "cable output",
        // macOS loopback drivers.
        "blackhole",
        "soundflower",
        "loopback audio",
    ];
    id.ends_with(".monitor")
        || name.ends_with(".monitor")
        || name.starts_with("monitor of")
        || LOOPBACK_NAMES.iter().any(|n| name.contains(n))
}

/// The name under which an output device is listed as a capture source.
pub fn loopback_name(output_name: &str) -> String {
    format!("{output_name} (what you hear)")
}

/// The order in which outputs are listed as loopback sources: the default
/// output first (what [`crate::DeviceSelector::Monitor`] takes), then the
/// others in the system's order. `outputs` are (name, id); `default_id` is
/// the default output's id.
pub fn loopback_order(outputs: &[(String, String)], default_id: Option<&str>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..outputs.len()).collect();
    if let Some(default) = default_id
        && let Some(pos) = outputs.iter().position(|(_, id)| id == default)
    {
        order.remove(pos);
        order.insert(0, pos);
    }
    order
}

/// Parses `sw_vers -productVersion` output ("14.6.1", "15.0", "26") into
/// (major, minor).
pub fn parse_macos_version(text: &str) -> Option<(u32, u32)> {
    let mut parts = text.trim().split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = match parts.next() {
        Some(m) => m.parse().ok()?,
        None => 0,
    };
    Some((major, minor))
}

fn macos_version() -> Option<(u32, u32)> {
    let out = std::process::Command::new("sw_vers")
        .arg("-productVersion")
        .output()
        .ok()?;
    parse_macos_version(&String::from_utf8_lossy(&out.stdout))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monitors_by_each_os_naming() {
        // Linux: PulseAudio / PipeWire monitor sources.
        assert!(is_monitor_name(
            "Monitor of Built-in Audio Analog Stereo",
            "alsa_output.pci-0000_00_1f.3.analog-stereo.monitor"
        ));
        assert!(is_monitor_name("x", "alsa_output.usb-Focusrite.monitor"));
        assert!(!is_monitor_name(
            "Built-in Audio Analog Stereo",
            "alsa_input.pci-0000_00_1f.3.analog-stereo"
        ));
        assert!(!is_monitor_name("default", "default"));
        // Windows: mixer inputs and VB-Audio's cable; microphones are not.
        assert!(is_monitor_name("Stereo Mix (Realtek(R) Audio)", ""));
        assert!(is_monitor_name("What U Hear (Sound Blaster Z)", ""));
        assert!(is_monitor_name("CABLE Output (VB-Audio Virtual Cable)", ""));
        assert!(!is_monitor_name("Microphone (Realtek(R) Audio)", ""));
        assert!(!is_monitor_name("Line In (USB Audio CODEC)", ""));
        // macOS: loopback drivers; built-in devices are not.
        assert!(is_monitor_name("BlackHole 2ch", "BlackHole2ch_UID"));
        assert!(is_monitor_name("Soundflower (2ch)", ""));
        assert!(is_monitor_name("Loopback Audio", ""));
        assert!(!is_monitor_name(
            "MacBook Pro Microphone",
            "BuiltInMicrophoneDevice"
        ));
        assert!(!is_monitor_name("External Headphones", ""));
    }

    #[test]
    fn outputs_are_recorded_on_windows_and_recent_macos() {
        assert!(Platform::Windows.records_outputs());
        assert!(!Platform::Linux.records_outputs());
        assert!(Platform::MacOs(Some((14, 6))).records_outputs());
        assert!(Platform::MacOs(Some((15, 1))).records_outputs());
        assert!(Platform::MacOs(Some((26, 0))).records_outputs());
        assert!(!Platform::MacOs(Some((14, 5))).records_outputs());
        assert!(!Platform::MacOs(Some((13, 6))).records_outputs());
        assert!(Platform::MacOs(None).records_outputs());
    }

    #[test]
    fn macos_versions_parse() {
        assert_eq!(parse_macos_version("14.6.1\n"), Some((14, 6)));
        assert_eq!(parse_macos_version("15.0"), Some((15, 0)));
        assert_eq!(parse_macos_version("26"), Some((26, 0)));
        assert_eq!(parse_macos_version(""), None);
        assert_eq!(parse_macos_version("fourteen"), None);
    }

    #[test]
    fn help_says_what_to_do_on_each_os() {
        let old_mac = Platform::MacOs(Some((13, 6))).monitor_help();
        assert!(
            old_mac.contains("13.6") && old_mac.contains("BlackHole"),
            "{old_mac}"
        );
        assert!(old_mac.contains("--device BlackHole"), "{old_mac}");
        let mac = Platform::MacOs(Some((15, 0))).monitor_help();
        assert!(mac.contains("System Audio Recording"), "{mac}");
        assert!(Platform::Linux.monitor_help().contains("PipeWire"));
        assert!(Platform::Windows.monitor_help().contains("WASAPI"));
    }

    #[test]
    fn the_default_output_is_listed_first() {
        let outputs: Vec<(String, String)> = [
            ("Speakers (Realtek(R) Audio)", "{0.0.0.00000000}.{a}"),
            ("Headphones (USB Audio)", "{0.0.0.00000000}.{b}"),
            (
                "LG TV (NVIDIA High Definition Audio)",
                "{0.0.0.00000000}.{c}",
            ),
        ]
        .iter()
        .map(|(n, i)| (n.to_string(), i.to_string()))
        .collect();
        assert_eq!(
            loopback_order(&outputs, Some("{0.0.0.00000000}.{b}")),
            [1, 0, 2]
        );
        assert_eq!(loopback_order(&outputs, Some("gone")), [0, 1, 2]);
        assert_eq!(loopback_order(&outputs, None), [0, 1, 2]);
        assert_eq!(
            loopback_name("Speakers (Realtek(R) Audio)"),
            "Speakers (Realtek(R) Audio) (what you hear)"
        );
    }
}
