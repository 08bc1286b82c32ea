//! The ns-eel2 equation language.
