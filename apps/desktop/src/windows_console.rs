//! Windows: `kefir.exe` is both the command line tool and the visualizer a
//! person double-clicks. Windows gives a console program started from
//! Explorer a console window of its own; when the visualizer starts that way
//! (no arguments, no other process on the console), the window is closed
//! again, and an error that ends the program is shown in a message box
//! instead of in the console nobody sees.

use windows_sys::Win32::System::Console::{FreeConsole, GetConsoleProcessList};
use windows_sys::Win32::UI::WindowsAndMessaging::{MB_ICONERROR, MB_OK, MessageBoxW};

/// Closes the console window Windows made for this process alone, when it
/// started with no arguments. Returns whether it did.
pub fn detach_own_console() -> bool {
    if std::env::args_os().len() > 1 {
        return false;
    }
    let mut processes = [0u32; 2];
    // SAFETY: the buffer holds `processes.len()` entries, as the call is told.
    let attached = unsafe { GetConsoleProcessList(processes.as_mut_ptr(), processes.len() as u32) };
    // 1: only this process (started from Explorer); 2+: a shell's console.
    // SAFETY: FreeConsole takes no arguments; it fails harmlessly without one.
    attached == 1 && unsafe { FreeConsole() } != 0
}

/// Shows an error that ends the program in a message box.
pub fn show_error(message: &str) {
    let wide = |s: &str| s.encode_utf16().chain([0]).collect::<Vec<u16>>();
    let (text, caption) = (wide(message), wide("Kefir"));
    // SAFETY: both strings are NUL-terminated UTF-16 that outlive the call;
    // a null owner window is allowed.
    unsafe {
        MessageBoxW(
            std::ptr::null_mut(),
            text.as_ptr(),
            caption.as_ptr(),
            MB_OK | MB_ICONERROR,
        );
    }
}
