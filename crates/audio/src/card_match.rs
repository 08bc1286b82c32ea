//! Finding a capture device by what a person writes in a config file, for
//! boxes without a screen to pick from (the Raspberry Pi app): the exact
//! name or id first, then a sound card whose ALSA card id contains the text
//! (preferring its `plughw:` device, which converts rate and format when the
//! hardware's native ones are not what the stream asks for), then a device
//! whose name contains it, else the system's default input.
//!
//! Pure functions over a listing ([`crate::list_input_devices`]), so they
//! are tested on fake lists.

use crate::capture::{DeviceSelector, InputDevice};

/// How a configured device name was resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardMatch {
    /// A device's name or id is exactly the text.
    Exact(InputDevice),
    /// The text is part of this ALSA card id; `device` is the card's best
    /// capture device (`plughw:` over `dsnoop:`, `hw:`, `sysdefault:`).
    Card { card: String, device: InputDevice },
    /// The text is part of this device's name.
    Name(InputDevice),
    /// Nothing matched (or the text asked for it): the default input.
    /// `missing` is the text that matched nothing, if any.
    Default { missing: Option<String> },
}

impl CardMatch {
    /// The selector that opens the matched device with [`crate::Capture`].
    pub fn selector(&self) -> DeviceSelector {
        match self {
            CardMatch::Exact(d) | CardMatch::Name(d) | CardMatch::Card { device: d, .. } => {
                DeviceSelector::Name(if d.id.is_empty() {
                    d.name.clone()
                } else {
                    d.id.clone()
                })
            }
            CardMatch::Default { .. } => DeviceSelector::Default,
        }
    }

    /// The matched device, if one was.
    pub fn device(&self) -> Option<&InputDevice> {
        match self {
            CardMatch::Exact(d) | CardMatch::Name(d) | CardMatch::Card { device: d, .. } => Some(d),
            CardMatch::Default { .. } => None,
        }
    }
}

/// An ALSA PCM id without cpal's host prefix: `alsa:hw:CARD=x,DEV=0` ->
/// `hw:CARD=x,DEV=0`.
fn pcm_id(id: &str) -> &str {
    id.strip_prefix("alsa:").unwrap_or(id)
}

/// The `CARD=` value of an ALSA PCM id (`plughw:CARD=Device,DEV=0` ->
/// `Device`).
pub fn card_id(id: &str) -> Option<&str> {
    let (_, args) = pcm_id(id).split_once(':')?;
    args.split(',')
        .find_map(|a| a.trim().strip_prefix("CARD="))
        .filter(|c| !c.is_empty())
}

/// The ALSA plugin of a PCM id (`plughw`, `hw`, `dsnoop`, ...).
fn plugin(id: &str) -> &str {
    let id = pcm_id(id);
    id.split_once(':').map_or(id, |(p, _)| p)
}

/// Which of a card's devices to capture from: lower is better.
fn rank(id: &str) -> u32 {
    match plugin(id) {
        // alsa-lib converts rate, format and channels: opens whatever the
        // hardware's native configuration is.
        "plughw" => 0,
        // Shares the card with other recorders.
        "dsnoop" => 1,
        "hw" => 2,
        "sysdefault" => 3,
        // front:, surround51:, iec958: ... are outputs or special routes.
        _ => 10,
    }
}

/// Resolves `wanted` against `devices` (see the module documentation).
/// Empty, `default` and `auto` ask for the default input.
pub fn match_card(devices: &[InputDevice], wanted: &str) -> CardMatch {
    let wanted = wanted.trim();
    if wanted.is_empty() || ["default", "auto"].contains(&wanted.to_ascii_lowercase().as_str()) {
        return CardMatch::Default { missing: None };
    }
    if let Some(d) = devices
        .iter()
        .find(|d| d.name == wanted || d.id == wanted || pcm_id(&d.id) == wanted)
    {
        return CardMatch::Exact(d.clone());
    }
    let q = wanted.to_lowercase();
    let best = devices
        .iter()
        .filter_map(|d| Some((card_id(&d.id)?, d)))
        .filter(|(card, _)| card.to_lowercase().contains(&q))
        // The exact card id over a longer one containing it, then the best
        // plugin, then the first device of the card.
        .min_by_key(|(card, d)| {
            (
                !card.eq_ignore_ascii_case(wanted),
                rank(&d.id),
                d.dev_number(),
            )
        });
    if let Some((card, d)) = best {
        return CardMatch::Card {
            card: card.to_string(),
            device: d.clone(),
        };
    }
    if let Some(d) = devices.iter().find(|d| d.name.to_lowercase().contains(&q)) {
        return CardMatch::Name(d.clone());
    }
    CardMatch::Default {
        missing: Some(wanted.to_string()),
    }
}

trait DevNumber {
    fn dev_number(&self) -> u32;
}

impl DevNumber for InputDevice {
    /// The `DEV=` number of the PCM id (0 when it has none).
    fn dev_number(&self) -> u32 {
        pcm_id(&self.id)
            .split_once(':')
            .and_then(|(_, args)| {
                args.split(',')
                    .find_map(|a| a.trim().strip_prefix("DEV=")?.parse().ok())
            })
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev(index: usize, id: &str, name: &str) -> InputDevice {
        InputDevice {
            index,
            name: name.into(),
            id: format!("alsa:{id}"),
            host: "ALSA".into(),
            is_monitor: false,
            is_loopback: false,
        }
    }

    /// What cpal lists on a Pi with a HiFiBerry DAC+ADC and a USB dongle.
    fn pi() -> Vec<InputDevice> {
        [
            (
                "null",
                "Discard all samples (playback) or generate zero samples (capture)",
            ),
            (
                "default",
                "Default ALSA Output (currently PipeWire Media Server)",
            ),
            (
                "sysdefault:CARD=sndrpihifiberry",
                "snd_rpi_hifiberry_dacplusadc, ",
            ),
            (
                "dsnoop:CARD=sndrpihifiberry,DEV=0",
                "snd_rpi_hifiberry_dacplusadc, ",
            ),
            (
                "hw:CARD=sndrpihifiberry,DEV=0",
                "snd_rpi_hifiberry_dacplusadc, ",
            ),
            (
                "plughw:CARD=sndrpihifiberry,DEV=0",
                "snd_rpi_hifiberry_dacplusadc, ",
            ),
            ("sysdefault:CARD=Device", "USB Audio Device, USB Audio"),
            ("front:CARD=Device,DEV=0", "USB Audio Device, USB Audio"),
            ("hw:CARD=Device,DEV=0", "USB Audio Device, USB Audio"),
            ("plughw:CARD=Device,DEV=0", "USB Audio Device, USB Audio"),
            ("dsnoop:CARD=Device,DEV=0", "USB Audio Device, USB Audio"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (id, name))| dev(i, id, name))
        .collect()
    }

    #[test]
    fn card_ids_are_read_from_pcm_ids() {
        assert_eq!(card_id("alsa:plughw:CARD=Device,DEV=0"), Some("Device"));
        assert_eq!(
            card_id("sysdefault:CARD=sndrpihifiberry"),
            Some("sndrpihifiberry")
        );
        assert_eq!(card_id("alsa:default"), None);
        assert_eq!(card_id("hw:CARD=,DEV=0"), None);
    }

    #[test]
    fn an_exact_name_or_id_wins() {
        let list = pi();
        let m = match_card(&list, "hw:CARD=Device,DEV=0");
        assert_eq!(m, CardMatch::Exact(list[8].clone()));
        assert_eq!(
            m.selector(),
            DeviceSelector::Name("alsa:hw:CARD=Device,DEV=0".into())
        );
        assert_eq!(
            match_card(&list, "alsa:dsnoop:CARD=Device,DEV=0"),
            CardMatch::Exact(list[10].clone())
        );
        assert_eq!(
            match_card(&list, "USB Audio Device, USB Audio"),
            CardMatch::Exact(list[6].clone())
        );
    }

    #[test]
    fn part_of_a_card_id_picks_the_cards_plughw_device() {
        let list = pi();
        for text in ["hifiberry", "HiFiBerry", "sndrpihifiberry"] {
            assert_eq!(
                match_card(&list, text),
                CardMatch::Card {
                    card: "sndrpihifiberry".into(),
                    device: list[5].clone()
                },
                "{text}"
            );
        }
        assert_eq!(
            match_card(&list, "device").device(),
            Some(&list[9]),
            "plughw of the USB card"
        );
    }

    #[test]
    fn without_plughw_the_next_best_plugin() {
        let list: Vec<_> = pi()
            .into_iter()
            .filter(|d| !d.id.contains("plughw"))
            .collect();
        assert_eq!(
            match_card(&list, "hifiberry")
                .device()
                .map(|d| d.id.as_str()),
            Some("alsa:dsnoop:CARD=sndrpihifiberry,DEV=0")
        );
    }

    #[test]
    fn an_exact_card_id_beats_a_longer_one() {
        let list = vec![
            dev(0, "plughw:CARD=DeviceX,DEV=0", "X"),
            dev(1, "hw:CARD=Device,DEV=0", "Y"),
        ];
        assert_eq!(match_card(&list, "Device").device(), Some(&list[1]));
    }

    #[test]
    fn names_then_the_default() {
        let list = vec![dev(0, "default", "Default Audio Device")];
        assert_eq!(
            match_card(&list, "audio device"),
            CardMatch::Name(list[0].clone())
        );
        let m = match_card(&pi(), "Scarlett");
        assert_eq!(
            m,
            CardMatch::Default {
                missing: Some("Scarlett".into())
            }
        );
        assert_eq!(m.selector(), DeviceSelector::Default);
        assert_eq!(match_card(&[], "x").device(), None);
        for text in ["", " default ", "Auto"] {
            assert_eq!(
                match_card(&pi(), text),
                CardMatch::Default { missing: None }
            );
        }
    }
}
