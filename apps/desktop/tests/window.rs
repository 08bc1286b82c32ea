//! The windowed visualizer (`kefir` with no subcommand) as a user runs it,
//! on a virtual X display: the test starts its own Xvfb, runs `kefir` on
//! bundled presets with the demo signal and `--log-state` (JSON lines on
//! stdout), reads the window's pixels with ImageMagick's `import`, presses
//! hotkeys with `xdotool` and checks what happened.
//!
//! Needs Xvfb, ImageMagick and xdotool (`scripts/setup.sh` installs them)
//! and a wgpu adapter (Mesa's lavapipe without a GPU). Missing tools fail
//! the test with a message saying so.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

const SCREEN: (u32, u32) = (800, 600);
const WINDOW: (u32, u32) = (400, 240);

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kefir-window-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn require(tool: &str, package: &str) {
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
        .unwrap_or(false);
    assert!(
        found,
        "`{tool}` is not installed; the window test needs it (Debian package {package}). \
         Run scripts/setup.sh, or: apt-get install xvfb xauth imagemagick xdotool"
    );
}

/// A private X server, killed on drop.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Xvfb {
        require("Xvfb", "xvfb");
        let mut child = Command::new("Xvfb")
            .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0"])
            .arg(format!("{}x{}x24", SCREEN.0, SCREEN.1))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts");
        // Xvfb writes its display number once it accepts connections.
        let mut out = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 16];
            let mut line = Vec::new();
            while let Ok(n) = out.read(&mut buf) {
                if n == 0 {
                    break;
                }
                line.extend_from_slice(&buf[..n]);
                if line.contains(&b'\n') {
                    let _ = tx.send(String::from_utf8_lossy(&line).trim().to_string());
                    break;
                }
            }
        });
        let number = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("Xvfb reports its display within 20 s");
        Xvfb {
            child,
            display: format!(":{number}"),
        }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `kefir` running with `--log-state`, its state lines on a channel.
struct Kefir {
    child: Child,
    lines: Receiver<Value>,
    seen: Vec<Value>,
    stderr: Arc<Mutex<String>>,
}

impl Kefir {
    fn start(display: &str, home: &Path, args: &[&str]) -> Kefir {
        Kefir::start_with_env(display, home, args, &[])
    }

    fn start_with_env(display: &str, home: &Path, args: &[&str], envs: &[(&str, &str)]) -> Kefir {
        let runtime = home.join("runtime");
        std::fs::create_dir_all(&runtime).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_kefir"))
            .args(args)
            .env("DISPLAY", display)
            .env_remove("WAYLAND_DISPLAY")
            .env("XDG_RUNTIME_DIR", &runtime)
            // Favourites, config and screenshots stay in the test's home.
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .envs(envs.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kefir starts");
        let (tx, rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                match serde_json::from_str::<Value>(&line) {
                    Ok(v) => {
                        if tx.send(v).is_err() {
                            break;
                        }
                    }
                    Err(_) => eprintln!("kefir stdout: {line}"),
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Kefir {
            child,
            lines: rx,
            seen: Vec::new(),
            stderr,
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// The next state line matching `pred`, within `seconds`.
    fn wait_for(&mut self, what: &str, seconds: u64, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(v) => {
                    self.seen.push(v.clone());
                    if pred(&v) {
                        return v;
                    }
                }
                Err(RecvTimeoutError::Timeout) => panic!(
                    "no {what} within {seconds} s; state lines: {:#?}\nstderr:\n{}",
                    self.seen,
                    self.stderr()
                ),
                Err(RecvTimeoutError::Disconnected) => {
                    let status = self.child.try_wait().ok().flatten();
                    panic!(
                        "kefir ended ({status:?}) before {what}; state lines: {:#?}\nstderr:\n{}",
                        self.seen,
                        self.stderr()
                    )
                }
            }
        }
    }

    fn wait_event(&mut self, event: &str, seconds: u64) -> Value {
        let e = event.to_string();
        self.wait_for(event, seconds, move |v| v["event"] == e.as_str())
    }

    fn wait_exit(&mut self, seconds: u64) -> ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!(
                    "kefir did not quit within {seconds} s; stderr:\n{}",
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Kefir {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn xdotool(display: &str, args: &[&str]) {
    let out = Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .output()
        .expect("xdotool runs");
    assert!(
        out.status.success(),
        "xdotool {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The window's pixels (RGB) and size, through ImageMagick's `import`.
fn capture(display: &str, window: u64, path: &Path) -> (u32, u32, Vec<u8>) {
    let out = Command::new("import")
        .args(["-window", &window.to_string()])
        // 8-bit RGB always: a nearly black window would otherwise come as
        // a palette of 2 bits.
        .arg(format!("png24:{}", path.display()))
        .env("DISPLAY", display)
        .output()
        .expect("import runs");
    assert!(
        out.status.success(),
        "import: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let decoder = png::Decoder::new(BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    assert!(info.bit_depth == png::BitDepth::Eight, "{info:?}");
    let rgb = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .flat_map(|p| {
            if channels >= 3 {
                [p[0], p[1], p[2]]
            } else {
                [p[0]; 3]
            }
        })
        .collect();
    (info.width, info.height, rgb)
}

/// Share of pixels that are not (nearly) black, and the number of distinct
/// colours (quantised).
fn content(rgb: &[u8]) -> (f64, usize) {
    let mut lit = 0usize;
    let mut colours = std::collections::HashSet::new();
    for p in rgb.chunks_exact(3) {
        if p.iter().any(|&c| c > 24) {
            lit += 1;
        }
        colours.insert((p[0] >> 3, p[1] >> 3, p[2] >> 3));
    }
    (lit as f64 / (rgb.len() / 3) as f64, colours.len())
}

/// Whether a capture shows a picture, not a blank window.
fn lit_enough(rgb: &[u8]) -> bool {
    let (lit, colours) = content(rgb);
    lit > 0.02 && colours > 20
}

fn differing(a: &[u8], b: &[u8]) -> f64 {
    let n = a
        .chunks_exact(3)
        .zip(b.chunks_exact(3))
        .filter(|(p, q)| p.iter().zip(q.iter()).any(|(x, y)| x.abs_diff(*y) > 8))
        .count();
    n as f64 / (a.len() / 3) as f64
}

#[test]
fn the_window_shows_presets_and_answers_hotkeys() {
    require("import", "imagemagick");
    require("xdotool", "xdotool");
    let started = Instant::now();
    let xvfb = Xvfb::start();
    let display = xvfb.display.clone();
    let home = temp_dir("home");
    let presets = home.join("presets");
    std::fs::create_dir_all(&presets).unwrap();
    for name in [
        "Kefir - Spectrum Ribbon",
        "Kefir - Vortex Bloom",
        "Kefir - Twin Helix",
    ] {
        std::fs::copy(
            repo().join("presets").join(format!("{name}.milk")),
            presets.join(format!("{name}.milk")),
        )
        .unwrap();
    }
    let shots = home.join("shots");
    let size = format!("{}x{}", WINDOW.0, WINDOW.1);
    let mut kefir = Kefir::start(
        &display,
        &home,
        &[
            "--demo",
            "--no-config",
            "--log-state",
            "--presets",
            presets.to_str().unwrap(),
            "--sequential",
            "--preset-seconds",
            "0",
            "--size",
            &size,
            "--seed",
            "7",
            "--screenshot-dir",
            shots.to_str().unwrap(),
        ],
    );

    let ready = kefir.wait_event("ready", 60);
    assert_eq!(ready["width"], WINDOW.0, "{ready}");
    assert_eq!(ready["height"], WINDOW.1, "{ready}");
    assert_eq!(ready["audio"], "demo", "{ready}");
    assert_eq!(ready["presets"], 3, "{ready}");
    let format = ready["format"].as_str().unwrap();
    assert!(!format.contains("Srgb"), "a non-sRGB surface: {ready}");
    let window = ready["window"].as_u64().expect("an X11 window id");
    let first = kefir.wait_event("preset", 30);
    let first_name = first["name"].as_str().unwrap().to_string();
    // Frames are flowing.
    let fps = kefir.wait_event("fps", 30);
    eprintln!("window: {ready}\nfirst fps line: {fps}");

    // The window shows a non-blank image that changes. The preset's first
    // frames can be little more than its wave (the feedback has not built
    // up yet), and a loaded machine draws them slowly: look again for up to
    // 20 s before calling the window blank.
    let looked = Instant::now();
    let mut a = capture(&display, window, &home.join("a.png"));
    while !lit_enough(&a.2) && looked.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(500));
        a = capture(&display, window, &home.join("a.png"));
    }
    std::thread::sleep(Duration::from_millis(700));
    let b = capture(&display, window, &home.join("b.png"));
    assert_eq!((a.0, a.1), WINDOW);
    let (lit, colours) = content(&a.2);
    assert!(
        lit_enough(&a.2),
        "the window looks blank: {:.1}% lit, {colours} colours (see {})",
        lit * 100.0,
        home.join("a.png").display()
    );
    let changed = differing(&a.2, &b.2);
    assert!(
        changed > 0.01,
        "the image does not move: {:.2}% of pixels changed in 0.7 s",
        changed * 100.0
    );

    // Keys go to the window once it has the focus (no window manager here).
    xdotool(&display, &["windowfocus", "--sync", &window.to_string()]);

    // n: the next preset, blended in.
    xdotool(&display, &["key", "n"]);
    kefir.wait_for("the Next action", 15, |v| {
        v["event"] == "action" && v["action"] == "Next"
    });
    let next = kefir.wait_event("preset", 30);
    assert_ne!(next["name"], first_name.as_str(), "{next}");
    assert_eq!(next["blend"], true, "{next}");

    // f: fullscreen fills the screen; escape goes back.
    xdotool(&display, &["key", "f"]);
    kefir.wait_for("fullscreen on", 15, |v| {
        v["event"] == "fullscreen" && v["on"] == true
    });
    kefir.wait_for("a screen-sized surface", 15, |v| {
        v["event"] == "resize" && v["width"] == SCREEN.0 && v["height"] == SCREEN.1
    });
    xdotool(&display, &["key", "Escape"]);
    kefir.wait_for("fullscreen off", 15, |v| {
        v["event"] == "fullscreen" && v["on"] == false
    });
    kefir.wait_for("the window size back", 15, |v| {
        v["event"] == "resize" && v["width"] == WINDOW.0 && v["height"] == WINDOW.1
    });

    // s: a screenshot of the frame, as a PNG.
    xdotool(&display, &["key", "s"]);
    let shot = kefir.wait_event("screenshot", 20);
    let path = PathBuf::from(shot["path"].as_str().unwrap());
    assert!(path.starts_with(&shots), "{path:?}");
    let decoder = png::Decoder::new(BufReader::new(std::fs::File::open(&path).unwrap()));
    let reader = decoder.read_info().unwrap();
    assert_eq!((reader.info().width, reader.info().height), WINDOW);

    // q: a clean exit.
    xdotool(&display, &["key", "q"]);
    kefir.wait_event("quit", 15);
    let status = kefir.wait_exit(15);
    assert!(status.success(), "{status:?}; stderr:\n{}", kefir.stderr());
    let stderr = kefir.stderr();
    assert!(!stderr.contains("panicked"), "{stderr}");
    eprintln!("window test took {:.1} s", started.elapsed().as_secs_f64());
    drop(xvfb);
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn an_audio_file_plays_then_the_demo_takes_over() {
    let xvfb = Xvfb::start();
    let home = temp_dir("song");
    let song = home.join("tone.wav");
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 48_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&song, spec).unwrap();
    for i in 0..48_000 {
        let v = ((i as f32 * 0.05).sin() * 12_000.0) as i16;
        w.write_sample(v).unwrap();
        w.write_sample(-v).unwrap();
    }
    w.finalize().unwrap();
    let preset = repo().join("presets/Kefir - Spectrum Ribbon.milk");
    let mut kefir = Kefir::start(
        &xvfb.display,
        &home,
        &[
            song.to_str().unwrap(),
            preset.to_str().unwrap(),
            "--mute",
            "--demo",
            "--no-config",
            "--log-state",
            "--size",
            "320x180",
            "--quit-after",
            "4",
        ],
    );
    let ready = kefir.wait_event("ready", 60);
    assert_eq!(ready["audio"], "file", "{ready}");
    let playing = kefir.wait_event("audio", 10);
    assert!(
        playing["source"].as_str().unwrap().contains("tone"),
        "{playing}"
    );
    kefir.wait_for("the preset given on the command line", 30, |v| {
        v["event"] == "preset" && v["name"] == "Kefir - Spectrum Ribbon"
    });
    // One second of music, then the demo signal.
    let demo = kefir.wait_event("audio", 15);
    assert_eq!(demo["source"], "demo signal", "{demo}");
    let t = demo["t"].as_f64().unwrap();
    assert!(t > 0.9, "the file ended early, at {t} s");
    kefir.wait_event("quit", 15);
    let status = kefir.wait_exit(15);
    assert!(status.success(), "{status:?}; stderr:\n{}", kefir.stderr());
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn a_lost_gpu_device_is_replaced_and_its_preset_skipped() {
    // The device is destroyed on purpose at 2 s (a GPU reset loses it the
    // same way): Kefir opens another on the same window and goes on with
    // another preset, drawing.
    let xvfb = Xvfb::start();
    let home = temp_dir("gpu-lost");
    let mut kefir = Kefir::start_with_env(
        &xvfb.display,
        &home,
        &[
            "--demo",
            "--no-config",
            "--log-state",
            "--size",
            "320x180",
            "--quit-after",
            "14",
        ],
        &[("KEFIR_TEST_GPU_LOSS_SECONDS", "2")],
    );
    let ready = kefir.wait_event("ready", 60);
    let window = ready["window"].as_u64().expect("an X window id");
    let lost = kefir.wait_event("gpu_lost", 20);
    let name = lost["preset"]
        .as_str()
        .expect("the preset that played")
        .to_owned();
    let restored = kefir.wait_event("gpu_restored", 20);
    assert_ne!(
        restored["preset"].as_str(),
        Some(name.as_str()),
        "{restored}"
    );
    let fps = kefir.wait_event("fps", 10);
    assert!(fps["fps"].as_f64().unwrap() > 1.0, "{fps}");
    // The new preset starts from black: give it up to 8 s to light up (a
    // loaded machine draws few frames a second).
    let shot = home.join("a.png");
    let mut a = capture(&xvfb.display, window, &shot).2;
    for _ in 0..40 {
        if lit_enough(&a) {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
        a = capture(&xvfb.display, window, &shot).2;
    }
    assert!(lit_enough(&a), "black after the new device");
    std::thread::sleep(Duration::from_millis(500));
    let (_, _, b) = capture(&xvfb.display, window, &home.join("b.png"));
    assert!(differing(&a, &b) > 0.2, "not moving after the new device");
    kefir.wait_event("quit", 15);
    let status = kefir.wait_exit(15);
    assert!(status.success(), "{status:?}; stderr:\n{}", kefir.stderr());
    let played_again = kefir
        .seen
        .iter()
        .skip_while(|v| v["event"] != "gpu_lost")
        .any(|v| v["event"] == "preset" && v["name"] == name.as_str());
    assert!(!played_again, "{name} played again: {:#?}", kefir.seen);
    assert!(
        kefir
            .stderr()
            .contains(&format!("the GPU was lost while \"{name}\" played"))
    );
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn help_documents_the_visualizer() {
    let out = Command::new(env!("CARGO_BIN_EXE_kefir"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--presets",
        "--device",
        "--list-devices",
        "--demo",
        "--fullscreen",
        "--monitor",
        "--config",
        "--log-state",
        "render",
        "check",
        "eval",
        "analyze",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
    }
}

#[test]
fn print_config_shows_file_and_flags_merged() {
    let home = temp_dir("config");
    let config = home.join("kefir.toml");
    std::fs::write(
        &config,
        "[window]\nwidth = 1024\nheight = 576\n[presets]\nblend_seconds = 1.5\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kefir"))
        .args(["--print-config", "--config"])
        .arg(&config)
        .args(["--size", "800x450", "--no-vsync"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let v: toml::Table = text.parse().expect("--print-config prints TOML");
    assert_eq!(v["window"]["width"].as_integer(), Some(800), "{text}");
    assert_eq!(v["window"]["height"].as_integer(), Some(450), "{text}");
    assert_eq!(v["window"]["vsync"].as_bool(), Some(false), "{text}");
    assert_eq!(
        v["presets"]["blend_seconds"].as_float(),
        Some(1.5),
        "{text}"
    );

    // A typo in the file is an error naming the file and the key.
    std::fs::write(&config, "[window]\nfulscreen = true\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kefir"))
        .args(["--print-config", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("kefir.toml") && err.contains("fulscreen"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn without_a_display_it_says_so() {
    let home = temp_dir("nodisplay");
    let out = Command::new(env!("CARGO_BIN_EXE_kefir"))
        .args(["--demo", "--no-config", "--quit-after", "1"])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("XDG_RUNTIME_DIR", &home)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot open a window"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let _ = std::fs::remove_dir_all(&home);
}
