//! Where rendered frames go: numbered PNG files and/or a video encoded by
//! `ffmpeg` (with an audio track), written on a thread of their own beside
//! the renderer. Shared by `kefir render` and `kefir showcase`.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;

use anyhow::{Context as _, Result, bail, ensure};
use indicatif::{ProgressBar, ProgressStyle};

/// `ffmpeg` on PATH, or an error that says `what` needs it, how to get it,
/// and `otherwise` (what works without it).
pub fn require_ffmpeg(what: &str, otherwise: &str) -> Result<PathBuf> {
    find_ffmpeg().with_context(|| {
        format!(
            "{what} needs ffmpeg, and no ffmpeg was found on PATH; install it \
             (Debian: apt-get install ffmpeg) or {otherwise}"
        )
    })
}

/// A progress bar over `frames` frames, with a message slot (e.g. the
/// preset playing).
pub fn frame_progress(frames: u64) -> ProgressBar {
    let bar = ProgressBar::new(frames);
    bar.set_style(
        ProgressStyle::with_template(
            "{wide_bar} {pos}/{len} frames  {per_sec:.1}  {eta} left  {msg}",
        )
        .expect("valid progress template"),
    );
    bar
}

/// `ffmpeg` on PATH, if any.
fn find_ffmpeg() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let names: &[&str] = if cfg!(windows) {
        &["ffmpeg.exe"]
    } else {
        &["ffmpeg"]
    };
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

pub struct Video {
    child: Child,
    stdin: Option<BufWriter<ChildStdin>>,
    path: PathBuf,
}

impl Video {
    /// Starts `ffmpeg` encoding raw RGBA frames of `(w, h)` at `fps` into
    /// `out`, with the sound of `audio` when given, from its second offset
    /// (cut to the video's length).
    pub fn start(
        ffmpeg: &Path,
        (w, h): (u32, u32),
        fps: f64,
        audio: Option<(&Path, f64)>,
        out: &Path,
    ) -> Result<Video> {
        let mut cmd = Command::new(ffmpeg);
        cmd.args(["-hide_banner", "-loglevel", "error", "-y"])
            .args(["-f", "rawvideo", "-pix_fmt", "rgba"])
            .args(["-s", &format!("{w}x{h}"), "-framerate", &fps.to_string()])
            .args(["-i", "-"]);
        if let Some((audio, offset)) = audio {
            cmd.args(["-ss", &offset.to_string(), "-i"])
                .arg(audio)
                .args(["-map", "0:v", "-map", "1:a", "-shortest"]);
        }
        // yuv420p needs even sizes; pad odd ones by a pixel.
        cmd.args([
            "-vf",
            "pad=ceil(iw/2)*2:ceil(ih/2)*2",
            "-pix_fmt",
            "yuv420p",
        ])
        .arg(out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
        let mut child = cmd
            .spawn()
            .with_context(|| format!("starting {}", ffmpeg.display()))?;
        let stdin = child.stdin.take().map(BufWriter::new);
        Ok(Video {
            child,
            stdin,
            path: out.to_owned(),
        })
    }

    fn write(&mut self, rgba: &[u8]) -> Result<()> {
        let Some(stdin) = self.stdin.as_mut() else {
            bail!("ffmpeg's input is closed");
        };
        if let Err(e) = stdin.write_all(rgba) {
            // ffmpeg quit early: its own message is on stderr.
            let status = self.finish_child();
            bail!("ffmpeg stopped taking frames ({e}; ffmpeg {status})");
        }
        Ok(())
    }

    fn finish_child(&mut self) -> String {
        drop(self.stdin.take());
        match self.child.wait() {
            Ok(s) => s.to_string(),
            Err(e) => e.to_string(),
        }
    }

    fn finish(mut self) -> Result<()> {
        if let Some(mut stdin) = self.stdin.take() {
            stdin.flush().context("sending the last frames to ffmpeg")?;
        }
        let status = self.child.wait().context("waiting for ffmpeg")?;
        ensure!(
            status.success(),
            "ffmpeg failed ({status}) writing {}",
            self.path.display()
        );
        Ok(())
    }
}

/// Writes PNG frames and feeds ffmpeg.
struct Writer {
    out: Option<PathBuf>,
    size: (u32, u32),
    video: Option<Video>,
}

impl Writer {
    fn frame(&mut self, index: u64, rgba: &[u8]) -> Result<()> {
        if let Some(dir) = &self.out {
            let path = dir.join(format!("frame_{:05}.png", index + 1));
            write_png(&path, self.size, rgba)
                .with_context(|| format!("writing {}", path.display()))?;
        }
        if let Some(video) = &mut self.video {
            video.write(rgba)?;
        }
        Ok(())
    }

    fn finish(self) -> Result<()> {
        match self.video {
            Some(video) => video.finish(),
            None => Ok(()),
        }
    }
}

pub fn write_png(path: &Path, (w, h): (u32, u32), rgba: &[u8]) -> Result<()> {
    let file = BufWriter::new(std::fs::File::create(path)?);
    let mut enc = png::Encoder::new(file, w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    let mut writer = enc.write_header()?;
    writer.write_image_data(rgba)?;
    writer.finish()?;
    Ok(())
}

/// Frames handed to a writer thread through a short queue (which bounds the
/// memory when encoding is slower than rendering).
pub struct FrameSink {
    tx: Option<mpsc::SyncSender<(u64, Vec<u8>)>>,
    worker: JoinHandle<Result<()>>,
}

impl FrameSink {
    /// Writes `frame_NNNNN.png` files into `out` (created if missing) and/or
    /// feeds `video`.
    pub fn start(out: Option<PathBuf>, size: (u32, u32), video: Option<Video>) -> Result<Self> {
        if let Some(dir) = &out {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let (tx, rx) = mpsc::sync_channel::<(u64, Vec<u8>)>(3);
        let mut writer = Writer { out, size, video };
        let worker = std::thread::spawn(move || -> Result<()> {
            for (index, rgba) in rx {
                writer.frame(index, &rgba)?;
            }
            writer.finish()
        });
        Ok(FrameSink {
            tx: Some(tx),
            worker,
        })
    }

    /// Queues frame `index` (0-based).
    pub fn send(&self, index: u64, rgba: Vec<u8>) -> Result<()> {
        let tx = self.tx.as_ref().expect("sink is open until finish");
        // A closed channel means the writer failed: finish() says why.
        tx.send((index, rgba))
            .map_err(|_| anyhow::anyhow!("the frame writer stopped"))
    }

    /// Waits for every queued frame to be written and the video to be
    /// finished.
    pub fn finish(mut self) -> Result<()> {
        drop(self.tx.take());
        self.worker
            .join()
            .map_err(|_| anyhow::anyhow!("the frame writer panicked"))?
    }
}
