//! Control without a desktop: keyboards, USB/IR remotes and gamepads as
//! Linux input devices (evdev), one reader thread per device, key presses
//! turned into [`Action`]s on a channel. In a window the same actions come
//! from winit's keys ([`Action::for_char`]).

use std::sync::mpsc::Sender;

/// What a key asks the player to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Next,
    Previous,
    /// Lock or unlock the preset (no automatic changes).
    Lock,
    Favourite,
    HardCut,
    ShowName,
    Quit,
}

impl Action {
    /// The action of a window key (letters and arrows as in the desktop
    /// app).
    pub fn for_char(c: &str) -> Option<Action> {
        Some(match c.to_ascii_lowercase().as_str() {
            "n" | "arrowright" => Action::Next,
            "p" | "arrowleft" => Action::Previous,
            "l" | " " | "space" => Action::Lock,
            "f" => Action::Favourite,
            "h" => Action::HardCut,
            "i" | "enter" => Action::ShowName,
            "q" | "escape" => Action::Quit,
            _ => return None,
        })
    }
}

/// The action of a Linux key code (keyboards, media remotes, gamepads).
#[cfg(target_os = "linux")]
pub fn for_key(key: evdev::KeyCode) -> Option<Action> {
    use evdev::KeyCode as K;
    Some(match key {
        K::KEY_N | K::KEY_RIGHT | K::KEY_NEXTSONG | K::KEY_NEXT | K::KEY_CHANNELUP | K::BTN_TR => {
            Action::Next
        }
        K::KEY_P
        | K::KEY_LEFT
        | K::KEY_PREVIOUSSONG
        | K::KEY_PREVIOUS
        | K::KEY_CHANNELDOWN
        | K::BTN_TL => Action::Previous,
        K::KEY_L | K::KEY_SPACE | K::KEY_PLAYPAUSE | K::KEY_PAUSE | K::BTN_SOUTH => Action::Lock,
        K::KEY_F | K::KEY_FAVORITES | K::KEY_BOOKMARKS | K::BTN_NORTH => Action::Favourite,
        K::KEY_H | K::KEY_FASTFORWARD | K::KEY_RED | K::BTN_EAST => Action::HardCut,
        K::KEY_I | K::KEY_ENTER | K::KEY_OK | K::KEY_INFO | K::KEY_SELECT | K::BTN_WEST => {
            Action::ShowName
        }
        _ => return None,
    })
}

/// Starts a reader thread for every input device with keys we know;
/// returns their names. Devices that cannot be opened (no access: the user
/// must be in the `input` group) are skipped.
#[cfg(target_os = "linux")]
pub fn start(actions: Sender<Action>) -> Vec<String> {
    let mut names = Vec::new();
    for (path, mut device) in evdev::enumerate() {
        let useful = device
            .supported_keys()
            .is_some_and(|keys| keys.iter().any(|k| for_key(k).is_some()));
        if !useful {
            continue;
        }
        let name = format!(
            "{} ({})",
            device.name().unwrap_or("unnamed"),
            path.display()
        );
        names.push(name);
        let tx = actions.clone();
        let spawned = std::thread::Builder::new()
            .name("kefir-input".into())
            .spawn(move || {
                while let Ok(events) = device.fetch_events() {
                    for e in events {
                        // 1: pressed (2 is auto-repeat, 0 released).
                        if let evdev::EventSummary::Key(_, key, 1) = e.destructure()
                            && let Some(a) = for_key(key)
                            && tx.send(a).is_err()
                        {
                            return;
                        }
                    }
                }
            });
        if spawned.is_err() {
            names.pop();
        }
    }
    names
}

#[cfg(not(target_os = "linux"))]
pub fn start(_actions: Sender<Action>) -> Vec<String> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_keys() {
        assert_eq!(Action::for_char("N"), Some(Action::Next));
        assert_eq!(Action::for_char("ArrowLeft"), Some(Action::Previous));
        assert_eq!(Action::for_char(" "), Some(Action::Lock));
        assert_eq!(Action::for_char("q"), Some(Action::Quit));
        assert_eq!(Action::for_char("z"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn remotes_and_gamepads() {
        use evdev::KeyCode as K;
        assert_eq!(for_key(K::KEY_NEXTSONG), Some(Action::Next));
        assert_eq!(for_key(K::BTN_TL), Some(Action::Previous));
        assert_eq!(for_key(K::KEY_PLAYPAUSE), Some(Action::Lock));
        assert_eq!(for_key(K::KEY_FAVORITES), Some(Action::Favourite));
        assert_eq!(for_key(K::BTN_EAST), Some(Action::HardCut));
        assert_eq!(for_key(K::KEY_OK), Some(Action::ShowName));
        // No quitting from a remote: the box runs until it is switched off.
        assert_eq!(for_key(K::KEY_ESC), None);
        assert_eq!(for_key(K::KEY_POWER), None);
    }
}
