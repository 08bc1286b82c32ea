//! The C API from Rust: bad arguments are errors (never crashes), audio
//! from another thread while rendering, callbacks that call back in.

use std::ffi::{CStr, CString, c_char, c_void};
use std::ptr::{null, null_mut};
use std::sync::atomic::{AtomicUsize, Ordering};

use ::kefir::*;

fn presets() -> CString {
    CString::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../presets")).unwrap()
}

fn last_error() -> String {
    unsafe { CStr::from_ptr(kefir_last_error()) }
        .to_string_lossy()
        .into_owned()
}

fn config(dir: &CString) -> kefir_config {
    let mut c = std::mem::MaybeUninit::<kefir_config>::uninit();
    assert_eq!(unsafe { kefir_config_default(c.as_mut_ptr()) }, KEFIR_OK);
    let mut c = unsafe { c.assume_init() };
    c.width = 48;
    c.height = 32;
    c.mesh_width = 12;
    c.mesh_height = 9;
    c.preset_dir = dir.as_ptr();
    c
}

#[test]
fn null_pointers_and_bad_strings_are_errors() {
    unsafe {
        assert_eq!(kefir_config_default(null_mut()), KEFIR_ERROR_NULL);
        assert!(last_error().contains("NULL"));
        let k: *mut kefir = null_mut();
        assert_eq!(kefir_render(k, 0.1, null_mut(), 0), KEFIR_ERROR_NULL);
        assert_eq!(
            kefir_push_audio_f32(k, null(), 10, 2, 44100),
            KEFIR_ERROR_NULL
        );
        assert_eq!(
            kefir_push_audio_i16(k, null(), 10, 2, 44100),
            KEFIR_ERROR_NULL
        );
        assert_eq!(kefir_next(k), KEFIR_ERROR_NULL);
        assert_eq!(kefir_previous(k), KEFIR_ERROR_NULL);
        assert_eq!(kefir_random(k), KEFIR_ERROR_NULL);
        assert_eq!(kefir_hard_cut(k), KEFIR_ERROR_NULL);
        assert_eq!(kefir_set_locked(k, 1), KEFIR_ERROR_NULL);
        assert_eq!(kefir_is_locked(k), KEFIR_ERROR_NULL);
        assert_eq!(kefir_toggle_favourite(k), KEFIR_ERROR_NULL);
        assert_eq!(kefir_never_again(k), KEFIR_ERROR_NULL);
        assert_eq!(kefir_load_preset_file(k, null()), KEFIR_ERROR_NULL);
        assert_eq!(kefir_load_preset_text(k, null(), null()), KEFIR_ERROR_NULL);
        assert_eq!(kefir_select(k, null()), KEFIR_ERROR_NULL);
        assert_eq!(kefir_resize(k, 4, 4), KEFIR_ERROR_NULL);
        assert_eq!(kefir_get_size(k, null_mut(), null_mut()), KEFIR_ERROR_NULL);
        assert_eq!(kefir_current_name(k, null_mut(), 0), KEFIR_ERROR_NULL);
        assert_eq!(kefir_preset_count(k), KEFIR_ERROR_NULL);
        assert_eq!(
            kefir_set_event_callback(k, None, null_mut()),
            KEFIR_ERROR_NULL
        );
        assert_eq!(kefir_set_preset_seconds(k, 1.0, 0.0), KEFIR_ERROR_NULL);
        assert_eq!(kefir_set_blend_seconds(k, 1.0, 0.0), KEFIR_ERROR_NULL);
        assert_eq!(kefir_set_shuffle(k, 1), KEFIR_ERROR_NULL);
        assert_eq!(kefir_set_hard_cuts(k, 1), KEFIR_ERROR_NULL);
        assert_eq!(kefir_set_beat_sensitivity(k, 0.5), KEFIR_ERROR_NULL);
        assert_eq!(kefir_set_preset_dir(k, null()), KEFIR_ERROR_NULL);
        assert_eq!(kefir_set_texture_dir(k, null()), KEFIR_ERROR_NULL);
        assert_eq!(kefir_get_audio_levels(k, null_mut()), KEFIR_ERROR_NULL);
        assert!(kefir_get_preset_info(k, -1).is_null());
        assert!(last_error().contains("NULL"));
        assert_eq!(kefir_select_index(k, 0), KEFIR_ERROR_NULL);
        assert_eq!(
            kefir_render_into(k, 0.1, kefir_pixel_format::Bgra, null_mut(), 0, 0),
            KEFIR_ERROR_NULL
        );
        kefir_preset_info_free(null_mut());
        kefir_destroy(null_mut());

        // A config with a path that is not UTF-8: no instance, an error.
        let bad = CString::new(vec![b'p', 0xff, 0xfe]).unwrap();
        let c = config(&bad);
        assert!(kefir_create(&c).is_null());
        assert!(
            last_error().contains("preset_dir is not UTF-8"),
            "{}",
            last_error()
        );
        let dir = presets();
        let mut c = config(&dir);
        c.width = 0;
        assert!(kefir_create(&c).is_null());
        assert!(last_error().contains("size 0x32"), "{}", last_error());

        let k = kefir_create(&config(&dir));
        assert!(!k.is_null(), "{}", last_error());
        assert_eq!(kefir_load_preset_file(k, bad.as_ptr()), KEFIR_ERROR_UTF8);
        assert_eq!(
            kefir_load_preset_text(k, bad.as_ptr(), c"x".as_ptr()),
            KEFIR_ERROR_UTF8
        );
        assert_eq!(kefir_set_preset_dir(k, bad.as_ptr()), KEFIR_ERROR_UTF8);
        assert_eq!(kefir_set_texture_dir(k, bad.as_ptr()), KEFIR_ERROR_UTF8);
        assert_eq!(kefir_set_texture_dir(k, dir.as_ptr()), KEFIR_OK);
        assert_eq!(kefir_set_texture_dir(k, null()), KEFIR_OK);
        assert_eq!(kefir_get_audio_levels(k, null_mut()), KEFIR_ERROR_NULL);
        assert_eq!(kefir_push_audio_f32(k, null(), 0, 2, 44100), KEFIR_OK);
        assert_eq!(
            kefir_push_audio_f32(k, null(), 5, 2, 44100),
            KEFIR_ERROR_NULL
        );
        let pcm = [0.5f32; 8];
        assert_eq!(
            kefir_push_audio_f32(k, pcm.as_ptr(), 4, 0, 44100),
            KEFIR_ERROR_ARGUMENT
        );
        assert_eq!(
            kefir_push_audio_f32(k, pcm.as_ptr(), 4, 2, 0),
            KEFIR_ERROR_ARGUMENT
        );
        assert_eq!(
            kefir_push_audio_f32(k, pcm.as_ptr(), usize::MAX, 2, 44100),
            KEFIR_ERROR_ARGUMENT
        );
        assert_eq!(
            kefir_push_audio_f32(k, pcm.as_ptr(), 4, 70_000, 44100),
            KEFIR_ERROR_ARGUMENT
        );
        let mut small = [0u8; 16];
        assert_eq!(
            kefir_render(k, 0.1, small.as_mut_ptr(), small.len()),
            KEFIR_ERROR_ARGUMENT
        );
        assert!(last_error().contains("6144"), "{}", last_error());
        // Rendering without read-back, with odd frame times.
        assert_eq!(kefir_render(k, f64::NAN, null_mut(), 0), KEFIR_OK);
        assert_eq!(kefir_render(k, -1.0, null_mut(), 0), KEFIR_OK);
        assert_eq!(
            kefir_load_preset_text(k, null(), c"[preset00]\nzoom=1.1\n".as_ptr()),
            KEFIR_OK
        );
        let mut name = [0 as c_char; 32];
        assert_eq!(kefir_current_name(k, name.as_mut_ptr(), name.len()), 8);
        assert_eq!(CStr::from_ptr(name.as_ptr()).to_str().unwrap(), "untitled");
        assert_eq!(kefir_current_name(k, null_mut(), 0), 8);
        // Favourites of a text preset: none.
        assert_eq!(kefir_toggle_favourite(k), 0);
        assert_eq!(
            kefir_select(k, c"/not/in/playlist.milk".as_ptr()),
            KEFIR_ERROR_PRESET
        );
        assert_eq!(kefir_set_preset_dir(k, null()), KEFIR_OK);
        assert_eq!(kefir_preset_count(k), 0);
        assert_eq!(kefir_next(k), 0);
        assert_eq!(kefir_set_preset_dir(k, dir.as_ptr()), KEFIR_OK);
        assert_eq!(kefir_preset_count(k), 12);
        assert_eq!(kefir_next(k), 1);
        // Strides and indices out of range.
        let mut image = vec![0u8; 48 * 4 * 32];
        assert_eq!(
            kefir_render_into(
                k,
                0.1,
                kefir_pixel_format::Rgba,
                image.as_mut_ptr(),
                47 * 4,
                image.len()
            ),
            KEFIR_ERROR_ARGUMENT
        );
        assert!(last_error().contains("stride 188"), "{}", last_error());
        assert_eq!(
            kefir_render_into(
                k,
                0.1,
                kefir_pixel_format::Rgba,
                image.as_mut_ptr(),
                49 * 4,
                image.len()
            ),
            KEFIR_ERROR_ARGUMENT
        );
        assert_eq!(
            kefir_render_into(
                k,
                0.1,
                kefir_pixel_format::Rgba,
                image.as_mut_ptr(),
                usize::MAX,
                image.len()
            ),
            KEFIR_ERROR_ARGUMENT
        );
        assert_eq!(kefir_select_index(k, -1), KEFIR_ERROR_ARGUMENT);
        assert_eq!(kefir_select_index(k, 12), KEFIR_ERROR_ARGUMENT);
        assert!(kefir_get_preset_info(k, 12).is_null());
        assert!(last_error().contains("outside 0..12"), "{}", last_error());
        let any_negative = kefir_get_preset_info(k, i32::MIN);
        assert!(
            !any_negative.is_null(),
            "a negative index is the current preset"
        );
        kefir_preset_info_free(any_negative);
        kefir_destroy(k);
        assert!(!CStr::from_ptr(kefir_version()).to_bytes().is_empty());
    }
}

struct Shared {
    k: *mut kefir,
    switches: AtomicUsize,
    names: std::sync::Mutex<Vec<String>>,
}

unsafe extern "C" fn reentrant(user_data: *mut c_void, event: *const kefir_event) {
    let shared = unsafe { &*(user_data as *const Shared) };
    let event = unsafe { &*event };
    if event.kind == kefir_event_kind::Switched {
        shared.switches.fetch_add(1, Ordering::SeqCst);
        let name = unsafe { CStr::from_ptr(event.name) }
            .to_string_lossy()
            .into_owned();
        // Calling back into the same instance from the callback works.
        let mut buf = [0 as c_char; 128];
        let len = unsafe { kefir_current_name(shared.k, buf.as_mut_ptr(), buf.len()) };
        assert!(len > 0);
        shared.names.lock().unwrap().push(name);
    }
}

#[test]
fn audio_from_another_thread_and_reentrant_callbacks() {
    let dir = presets();
    let mut c = config(&dir);
    c.preset_seconds = 0.2;
    c.preset_seconds_jitter = 0.0;
    c.blend_seconds = 0.1;
    let k = unsafe { kefir_create(&c) };
    assert!(!k.is_null(), "{}", last_error());
    let shared = Box::new(Shared {
        k,
        switches: AtomicUsize::new(0),
        names: Default::default(),
    });
    let user = &*shared as *const Shared as *mut c_void;
    assert_eq!(
        unsafe { kefir_set_event_callback(k, Some(reentrant), user) },
        KEFIR_OK
    );

    // An "audio thread" pushes 16-bit stereo at 48 kHz while we render.
    struct SendPtr(*mut kefir);
    unsafe impl Send for SendPtr {}
    let ptr = SendPtr(k);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop2 = stop.clone();
    let audio = std::thread::spawn(move || {
        let ptr = ptr;
        let mut t = 0u64;
        let mut pushes = 0;
        while !stop2.load(Ordering::SeqCst) {
            let pcm: Vec<i16> = (0..480)
                .flat_map(|i| {
                    let s = ((t + i) as f32 * 0.0072).sin() * 12000.0;
                    [s as i16, s as i16]
                })
                .collect();
            t += 480;
            assert_eq!(
                unsafe { kefir_push_audio_i16(ptr.0, pcm.as_ptr(), 480, 2, 48_000) },
                KEFIR_OK
            );
            pushes += 1;
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        pushes
    });
    let mut rgba = vec![0u8; 48 * 32 * 4];
    for _ in 0..30 {
        assert_eq!(
            unsafe { kefir_render(k, 0.05, rgba.as_mut_ptr(), rgba.len()) },
            KEFIR_OK,
            "{}",
            last_error()
        );
    }
    stop.store(true, Ordering::SeqCst);
    assert!(audio.join().unwrap() > 0);
    let mut levels = kefir_audio_levels::default();
    assert_eq!(unsafe { kefir_get_audio_levels(k, &mut levels) }, KEFIR_OK);
    assert!(levels.bass.is_finite());
    // 1.5 s with a change every 0.3 s, plus the first preset.
    let switches = shared.switches.load(Ordering::SeqCst);
    assert!((5..=7).contains(&switches), "{switches}");
    assert!(
        shared
            .names
            .lock()
            .unwrap()
            .iter()
            .all(|n| n.starts_with("Kefir - "))
    );
    assert!(rgba.chunks(4).any(|p| p[..3].iter().any(|&c| c > 16)));
    unsafe { kefir_destroy(k) };
}

/// BGRA is RGBA with red and blue swapped, in rows as far apart as asked,
/// the bytes between rows untouched; alpha is 255.
#[test]
fn bgra_into_padded_rows_matches_rgba() {
    let dir = presets();
    let c = config(&dir);
    let (a, b) = unsafe { (kefir_create(&c), kefir_create(&c)) };
    assert!(!a.is_null() && !b.is_null(), "{}", last_error());
    let (w, h) = (48usize, 32usize);
    let mut rgba = vec![0u8; w * h * 4];
    let stride = w * 4 + 12;
    let mut bgra = vec![7u8; stride * h];
    let pcm: Vec<f32> = (0..1470).map(|i| (i as f32 * 0.01).sin() * 0.8).collect();
    for _ in 0..12 {
        unsafe {
            assert_eq!(
                kefir_push_audio_f32(a, pcm.as_ptr(), 735, 2, 44_100),
                KEFIR_OK
            );
            assert_eq!(
                kefir_push_audio_f32(b, pcm.as_ptr(), 735, 2, 44_100),
                KEFIR_OK
            );
            assert_eq!(
                kefir_render(a, 1.0 / 30.0, rgba.as_mut_ptr(), rgba.len()),
                KEFIR_OK
            );
            assert_eq!(
                kefir_render_into(
                    b,
                    1.0 / 30.0,
                    kefir_pixel_format::Bgra,
                    bgra.as_mut_ptr(),
                    stride,
                    bgra.len()
                ),
                KEFIR_OK
            );
        }
    }
    for y in 0..h {
        let row = &bgra[y * stride..(y + 1) * stride];
        assert!(
            row[w * 4..].iter().all(|&v| v == 7),
            "row {y}: padding kept"
        );
        for x in 0..w {
            let p = &rgba[(y * w + x) * 4..][..4];
            let q = &row[x * 4..][..4];
            assert_eq!(
                [q[2], q[1], q[0], q[3]],
                [p[0], p[1], p[2], p[3]],
                "pixel {x},{y}"
            );
            assert_eq!(p[3], 255);
        }
    }
    assert!(rgba.chunks(4).any(|p| p[..3].iter().any(|&c| c > 16)));
    unsafe {
        kefir_destroy(a);
        kefir_destroy(b);
    }
}

static LOG_LINES: std::sync::Mutex<Vec<(kefir_log_level, String, String)>> =
    std::sync::Mutex::new(Vec::new());

unsafe extern "C" fn log_line(
    _user: *mut c_void,
    level: kefir_log_level,
    target: *const c_char,
    message: *const c_char,
) {
    let text = |p| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned();
    LOG_LINES
        .lock()
        .unwrap()
        .push((level, text(target), text(message)));
}

/// The log callback gets presets starting and every problem, located; the
/// metadata of the current preset and of playlist entries.
#[test]
fn logs_and_preset_metadata() {
    let dir = presets();
    let c = config(&dir);
    unsafe {
        assert_eq!(
            kefir_set_log_callback(Some(log_line), null_mut(), kefir_log_level::Info),
            KEFIR_OK
        );
        let k = kefir_create(&c);
        assert!(!k.is_null(), "{}", last_error());
        let text = c"[preset00]\nMILKDROP_PRESET_VERSION=201\nfRating=4.5\nper_frame_1=x = 1 +;\nper_frame_2=y = 2;\n";
        assert_eq!(
            kefir_load_preset_text(k, c"odd".as_ptr(), text.as_ptr()),
            KEFIR_OK
        );
        assert_eq!(
            kefir_load_preset_file(k, c"/nonexistent/gone.milk".as_ptr()),
            KEFIR_ERROR_PRESET
        );
        assert_eq!(
            kefir_set_log_callback(None, null_mut(), kefir_log_level::Trace),
            KEFIR_OK
        );
        let lines: Vec<_> = LOG_LINES
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, target, _)| target == "kefir")
            .cloned()
            .collect();
        let has = |level: kefir_log_level, needle: &str| {
            lines
                .iter()
                .any(|(l, _, m)| *l == level && m.contains(needle))
        };
        assert!(has(kefir_log_level::Info, "rendering on"), "{lines:#?}");
        assert!(
            has(kefir_log_level::Info, "preset odd started"),
            "{lines:#?}"
        );
        assert!(
            has(kefir_log_level::Warn, "odd: 4:"),
            "the code error, by line: {lines:#?}"
        );
        assert!(
            has(kefir_log_level::Warn, "/nonexistent/gone.milk"),
            "{lines:#?}"
        );

        let info = kefir_get_preset_info(k, -1);
        assert!(!info.is_null(), "{}", last_error());
        let i = &*info;
        assert_eq!(CStr::from_ptr(i.name).to_str().unwrap(), "odd");
        assert!(i.path.is_null());
        assert_eq!((i.index, i.current, i.parsed), (-1, 1, 1));
        assert_eq!((i.milkdrop_version, i.rating), (201, 4.5));
        assert_eq!((i.code_errors, i.shader_failures), (1, 0));
        let problems = CStr::from_ptr(i.problems).to_str().unwrap();
        assert!(problems.starts_with("4:"), "{problems}");
        assert!(i.seconds_left > 0.0 && i.seconds_played >= 0.0);
        kefir_preset_info_free(info);

        // Entry 3 of the playlist, then play it by index.
        let entry = kefir_get_preset_info(k, 3);
        assert!(!entry.is_null());
        let e = &*entry;
        let name = CStr::from_ptr(e.name).to_str().unwrap().to_owned();
        let path = CStr::from_ptr(e.path).to_str().unwrap().to_owned();
        assert!(path.ends_with(&format!("{name}.milk")), "{path}");
        assert_eq!((e.index, e.current, e.parsed, e.broken), (3, 0, 1, 0));
        assert!(e.milkdrop_version >= 100 && (0.0..=5.0).contains(&e.rating));
        assert!(e.problems.is_null());
        kefir_preset_info_free(entry);
        assert_eq!(kefir_select_index(k, 3), KEFIR_OK);
        let now = kefir_get_preset_info(k, -1);
        assert_eq!(((*now).index, (*now).current), (3, 1));
        assert_eq!(CStr::from_ptr((*now).name).to_str().unwrap(), name);
        kefir_preset_info_free(now);
        kefir_destroy(k);
    }
}

/// A fixed render scale, then the automatic one: frames that miss a budget
/// nothing meets take the scale down; turning it off goes back.
#[test]
fn render_scale_fixed_and_automatic() {
    let dir = presets();
    let mut c = config(&dir);
    c.preset_seconds = 0.0;
    let k = unsafe { kefir_create(&c) };
    assert!(!k.is_null(), "{}", last_error());
    let mut rgba = vec![0u8; 48 * 32 * 4];
    let mut render = |frames: usize| {
        for _ in 0..frames {
            assert_eq!(
                unsafe { kefir_render(k, 1.0 / 30.0, rgba.as_mut_ptr(), rgba.len()) },
                KEFIR_OK,
                "{}",
                last_error()
            );
        }
        rgba.clone()
    };
    unsafe {
        assert_eq!(kefir_get_render_scale(k), 1.0);
        assert_eq!(kefir_get_render_scale(null_mut()), 0.0);
        assert_eq!(kefir_set_render_scale(k, 0.5), KEFIR_OK);
        assert_eq!(kefir_get_render_scale(k), 0.5);
        assert_eq!(kefir_set_render_scale(k, f32::NAN), KEFIR_ERROR_ARGUMENT);
        assert!(last_error().contains("render scale"), "{}", last_error());
        assert_eq!(kefir_set_render_scale(null_mut(), 0.5), KEFIR_ERROR_NULL);
    }
    // Drawn at half size, scaled up to the whole target.
    let frame = render(20);
    let lit = |f: &[u8], rows: std::ops::Range<usize>| {
        rows.flat_map(|y| f[y * 48 * 4..(y + 1) * 48 * 4].chunks(4))
            .filter(|p| p[..3].iter().any(|&v| v > 16))
            .count()
    };
    assert!(lit(&frame, 0..32) > 48, "{}", lit(&frame, 0..32));
    assert!(lit(&frame, 16..32) > 0, "the lower half is drawn too");

    // 1 microsecond a frame: every frame misses.
    assert_eq!(unsafe { kefir_set_frame_budget(k, 0.001, 0.25) }, KEFIR_OK);
    assert_eq!(unsafe { kefir_get_render_scale(k) }, 0.5);
    render(60);
    let lowered = unsafe { kefir_get_render_scale(k) };
    assert!((0.25..0.5).contains(&lowered), "{lowered}");
    assert_eq!(unsafe { kefir_set_frame_budget(k, 0.0, 0.25) }, KEFIR_OK);
    assert_eq!(unsafe { kefir_get_render_scale(k) }, 0.5);
    unsafe { kefir_destroy(k) };
}
