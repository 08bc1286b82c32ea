//! Hotkeys, as MilkDrop and projectM users know them.

use winit::keyboard::{Key, ModifiersState, NamedKey};

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Next,
    Previous,
    Random,
    HardCut,
    ToggleLock,
    ToggleHelp,
    ToggleFullscreen,
    /// Escape: close the help or the browser, else leave fullscreen.
    Back,
    SensitivityUp,
    SensitivityDown,
    ToggleFavourite,
    NeverAgain,
    ToggleName,
    ToggleFps,
    ToggleBrowser,
    Screenshot,
    Quit,
}

/// The help text: key, what it does.
pub const HELP: &[(&str, &str)] = &[
    ("n / space", "next preset (blend)"),
    ("p / backspace", "previous preset"),
    ("r", "random preset"),
    ("h", "hard cut to the next preset"),
    ("l", "lock / unlock the current preset"),
    ("b", "preset browser (type to search)"),
    ("* ", "favourite / unfavourite"),
    ("delete", "never play this preset again"),
    ("+ / - or up / down", "beat sensitivity"),
    ("i / F3", "show the preset name and track"),
    ("F4 / `", "show the frame rate"),
    ("s", "screenshot (PNG)"),
    ("f / alt+enter", "fullscreen"),
    ("F1", "this help"),
    ("escape", "close help or browser / leave fullscreen"),
    ("q", "quit"),
    ("drop files", ".milk: play it; audio: play with sound"),
];

/// The action of a key press, if any.
pub fn action(key: &Key, mods: ModifiersState) -> Option<Action> {
    use Action::*;
    let ctrl_or_super = mods.control_key() || mods.super_key();
    match key {
        Key::Named(named) => match named {
            NamedKey::Space => Some(Next),
            NamedKey::Backspace => Some(Previous),
            NamedKey::Enter if mods.alt_key() => Some(ToggleFullscreen),
            NamedKey::F1 => Some(ToggleHelp),
            NamedKey::F3 => Some(ToggleName),
            NamedKey::F4 => Some(ToggleFps),
            NamedKey::Escape => Some(Back),
            NamedKey::ArrowUp => Some(SensitivityUp),
            NamedKey::ArrowDown => Some(SensitivityDown),
            NamedKey::Delete => Some(NeverAgain),
            _ => None,
        },
        Key::Character(c) => {
            if ctrl_or_super || mods.alt_key() {
                // Leave shortcuts of the desktop alone, except ctrl+q.
                return (c.eq_ignore_ascii_case("q") && mods.control_key()).then_some(Quit);
            }
            match c.as_str() {
                "n" | "N" => Some(Next),
                "p" | "P" => Some(Previous),
                "r" | "R" => Some(Random),
                "h" | "H" => Some(HardCut),
                "l" | "L" => Some(ToggleLock),
                "f" | "F" => Some(ToggleFullscreen),
                "+" | "=" => Some(SensitivityUp),
                "-" | "_" => Some(SensitivityDown),
                "*" => Some(ToggleFavourite),
                "i" | "I" => Some(ToggleName),
                "`" | "~" => Some(ToggleFps),
                "b" | "B" => Some(ToggleBrowser),
                "s" | "S" => Some(Screenshot),
                "q" | "Q" => Some(Quit),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(s: &str) -> Key {
        Key::Character(s.into())
    }

    #[test]
    fn milkdrop_keys() {
        let none = ModifiersState::empty();
        assert_eq!(action(&ch("n"), none), Some(Action::Next));
        assert_eq!(
            action(&Key::Named(NamedKey::Space), none),
            Some(Action::Next)
        );
        assert_eq!(action(&ch("p"), none), Some(Action::Previous));
        assert_eq!(
            action(&Key::Named(NamedKey::Backspace), none),
            Some(Action::Previous)
        );
        assert_eq!(action(&ch("r"), none), Some(Action::Random));
        assert_eq!(action(&ch("h"), none), Some(Action::HardCut));
        assert_eq!(action(&ch("l"), none), Some(Action::ToggleLock));
        assert_eq!(action(&ch("f"), none), Some(Action::ToggleFullscreen));
        assert_eq!(
            action(&Key::Named(NamedKey::Enter), ModifiersState::ALT),
            Some(Action::ToggleFullscreen)
        );
        assert_eq!(action(&Key::Named(NamedKey::Enter), none), None);
        assert_eq!(
            action(&ch("+"), ModifiersState::SHIFT),
            Some(Action::SensitivityUp)
        );
        assert_eq!(action(&ch("-"), none), Some(Action::SensitivityDown));
        assert_eq!(
            action(&Key::Named(NamedKey::ArrowUp), none),
            Some(Action::SensitivityUp)
        );
        assert_eq!(
            action(&ch("*"), ModifiersState::SHIFT),
            Some(Action::ToggleFavourite)
        );
        assert_eq!(
            action(&Key::Named(NamedKey::Delete), none),
            Some(Action::NeverAgain)
        );
        assert_eq!(action(&ch("i"), none), Some(Action::ToggleName));
        assert_eq!(
            action(&Key::Named(NamedKey::F3), none),
            Some(Action::ToggleName)
        );
        assert_eq!(
            action(&Key::Named(NamedKey::F4), none),
            Some(Action::ToggleFps)
        );
        assert_eq!(action(&ch("`"), none), Some(Action::ToggleFps));
        assert_eq!(
            action(&Key::Named(NamedKey::F1), none),
            Some(Action::ToggleHelp)
        );
        assert_eq!(action(&ch("s"), none), Some(Action::Screenshot));
        assert_eq!(
            action(&Key::Named(NamedKey::Escape), none),
            Some(Action::Back)
        );
        assert_eq!(action(&ch("q"), none), Some(Action::Quit));
        assert_eq!(
            action(&ch("q"), ModifiersState::CONTROL),
            Some(Action::Quit)
        );
        // Desktop shortcuts are not ours.
        assert_eq!(action(&ch("n"), ModifiersState::CONTROL), None);
        assert_eq!(action(&ch("z"), none), None);
    }
}
