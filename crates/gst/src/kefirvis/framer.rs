//! Cutting the audio stream into video frames.
//!
//! Frame `k` after a sync point shows at `base + k / fps` and is made from
//! the audio samples `[end(k - 1), end(k))`, where `end(k)` is the first
//! sample at or after the end of the frame's time span. Frame times and
//! sample counts are computed from the frame index (never accumulated), so
//! the output has exactly the negotiated frame rate, no drift, and the same
//! frames whatever the sizes of the incoming buffers: a file rendered twice
//! gives the same video.
//!
//! The stream is resynchronised (pending samples dropped, frame count
//! restarted at the buffer's timestamp) on a discontinuity and when a
//! buffer's timestamp strays from the one its sample count predicts by
//! more than half a frame, so a live source that skips or drifts stays in
//! sync with what is heard.

/// Nanoseconds in a second.
const SECOND: u128 = 1_000_000_000;

/// One video frame's worth of audio, ready to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameTiming {
    /// Presentation time in nanoseconds.
    pub pts: u64,
    /// Nanoseconds until the next frame.
    pub duration: u64,
    /// Whether this is the first frame after a sync point.
    pub discont: bool,
}

/// Audio in, frame-sized runs of samples out. See the module docs.
#[derive(Debug)]
pub struct Framer {
    rate: u64,
    channels: usize,
    fps_n: u64,
    fps_d: u64,
    /// Time of the first sample since the last sync point, in nanoseconds.
    base: Option<u64>,
    /// Audio frames received since the sync point.
    received: u64,
    /// Video frames handed out since the sync point.
    done: u64,
    /// Interleaved samples from `end(done - 1)` on.
    pending: Vec<f32>,
}

impl Framer {
    /// A framer for `channels` channels at `rate` Hz and `fps_n / fps_d`
    /// frames per second (all non-zero).
    pub fn new(rate: u32, channels: usize, fps_n: u32, fps_d: u32) -> Self {
        Framer {
            rate: u64::from(rate.max(1)),
            channels: channels.max(1),
            fps_n: u64::from(fps_n.max(1)),
            fps_d: u64::from(fps_d.max(1)),
            base: None,
            received: 0,
            done: 0,
            pending: Vec::new(),
        }
    }

    /// Forgets the stream (after a flush): the next buffer is a sync point.
    pub fn reset(&mut self) {
        self.base = None;
        self.received = 0;
        self.done = 0;
        self.pending.clear();
    }

    /// `a * b / c` rounded down, without overflow for any u64 inputs
    /// (saturating at `u64::MAX`).
    fn mul_div(a: u64, b: u64, c: u64) -> u64 {
        let v = u128::from(a) * u128::from(b) / u128::from(c);
        u64::try_from(v).unwrap_or(u64::MAX)
    }

    /// `a * b / c` rounded up.
    fn mul_div_ceil(a: u64, b: u64, c: u64) -> u64 {
        let v = (u128::from(a) * u128::from(b)).div_ceil(u128::from(c));
        u64::try_from(v).unwrap_or(u64::MAX)
    }

    /// The first audio frame (sample index since the sync point) at or
    /// after the end of video frame `k`.
    fn end(&self, k: u64) -> u64 {
        Self::mul_div_ceil(k + 1, self.rate * self.fps_d, self.fps_n)
    }

    /// Nanoseconds from the sync point to the start of video frame `k`.
    fn offset(&self, k: u64) -> u64 {
        let v = u128::from(k) * SECOND * u128::from(self.fps_d) / u128::from(self.fps_n);
        u64::try_from(v).unwrap_or(u64::MAX)
    }

    /// One frame's duration in nanoseconds (frame 0's; the others differ by
    /// at most a nanosecond of rounding).
    pub fn frame_duration(&self) -> u64 {
        self.offset(1)
    }

    /// Where the next sample should be, in nanoseconds, if the stream is
    /// continuous.
    fn expected(&self) -> Option<u64> {
        self.base
            .map(|b| b.saturating_add(Self::mul_div(self.received, SECOND as u64, self.rate)))
    }

    /// Takes in interleaved samples that start at `pts` (nanoseconds;
    /// `None` when the buffer has no timestamp: it follows the previous
    /// one, or starts at `fallback` after a sync point). `discont` marks a
    /// discontinuity.
    pub fn push(&mut self, pts: Option<u64>, fallback: u64, discont: bool, samples: &[f32]) {
        let strayed = match (pts, self.expected()) {
            (Some(pts), Some(expected)) => pts.abs_diff(expected) > self.frame_duration() / 2,
            _ => false,
        };
        if self.base.is_none() || discont || strayed {
            self.base = Some(pts.unwrap_or_else(|| self.expected().unwrap_or(fallback)));
            self.received = 0;
            self.done = 0;
            self.pending.clear();
        }
        let whole = samples.len() - samples.len() % self.channels;
        self.pending.extend_from_slice(&samples[..whole]);
        self.received += (whole / self.channels) as u64;
    }

    /// The next complete frame: its timing, and its samples moved into
    /// `out` (cleared first). `None` until enough audio has arrived.
    pub fn pop(&mut self, out: &mut Vec<f32>) -> Option<FrameTiming> {
        let base = self.base?;
        let k = self.done;
        let end = self.end(k);
        if self.received < end {
            return None;
        }
        let start = if k == 0 { 0 } else { self.end(k - 1) };
        let n = ((end - start) as usize * self.channels).min(self.pending.len());
        out.clear();
        out.extend(self.pending.drain(..n));
        self.done += 1;
        let pts = base.saturating_add(self.offset(k));
        let next = base.saturating_add(self.offset(k + 1));
        Some(FrameTiming {
            pts,
            duration: next - pts,
            discont: k == 0,
        })
    }

    /// Audio frames waiting for the next video frame.
    #[cfg(test)]
    fn pending_frames(&self) -> usize {
        self.pending.len() / self.channels
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `total` stereo audio frames through a framer in chunks of the
    /// given sizes (cycled) and returns every frame's timing and sample
    /// count.
    fn frames(
        rate: u32,
        fps: (u32, u32),
        total: usize,
        chunks: &[usize],
    ) -> Vec<(FrameTiming, usize)> {
        let mut framer = Framer::new(rate, 2, fps.0, fps.1);
        let mut out = Vec::new();
        let mut buf = Vec::new();
        let mut sent = 0usize;
        let mut i = 0;
        while sent < total {
            let n = chunks[i % chunks.len()].min(total - sent);
            let pts = Framer::mul_div(sent as u64, SECOND as u64, u64::from(rate));
            let samples: Vec<f32> = (sent..sent + n)
                .flat_map(|s| [s as f32, -(s as f32)])
                .collect();
            framer.push(Some(pts), 0, false, &samples);
            while let Some(t) = framer.pop(&mut buf) {
                // The samples are the ones of this frame, in order.
                let first = buf[0] as u64;
                assert_eq!(first, framer.end(framer.done - 1) - (buf.len() / 2) as u64);
                out.push((t, buf.len() / 2));
            }
            sent += n;
            i += 1;
        }
        out
    }

    #[test]
    fn frames_have_the_frame_rate_whatever_the_buffer_sizes() {
        // The case GStreamer's own AudioVisualizer base class gets wrong:
        // 4096-sample buffers at 44.1 kHz, 25 fps (it outputs frames at
        // 0, 40, 52.9, 92.9 ms...).
        let a = frames(44_100, (25, 1), 44_100, &[4096]);
        assert_eq!(a.len(), 25);
        for (k, (t, n)) in a.iter().enumerate() {
            assert_eq!(t.pts, k as u64 * 40_000_000);
            assert_eq!(t.duration, 40_000_000);
            assert_eq!(*n, 1764);
            assert_eq!(t.discont, k == 0);
        }
        // Other chunkings give the same frames.
        assert_eq!(frames(44_100, (25, 1), 44_100, &[1]), a);
        assert_eq!(frames(44_100, (25, 1), 44_100, &[1000, 7, 30_000]), a);
    }

    #[test]
    fn fractional_rates_do_not_drift() {
        // 29.97 fps at 48 kHz: 1601.6 samples per frame.
        let f = frames(48_000, (30_000, 1001), 48_000 * 10, &[1024]);
        assert_eq!(f.len(), 299); // 10 s * 29.97
        let samples: usize = f.iter().map(|(_, n)| n).sum();
        // Every sample up to the end of the last frame was used once.
        assert_eq!(samples, 299 * 48_000 * 1001 / 30_000 + 1);
        for (_, n) in &f {
            assert!(*n == 1601 || *n == 1602, "{n}");
        }
        let (last, _) = f[298];
        assert_eq!(last.pts, 298 * 1_000_000_000 * 1001 / 30_000);
        // Durations add up exactly to the next frame's time.
        for w in f.windows(2) {
            assert_eq!(w[0].0.pts + w[0].0.duration, w[1].0.pts);
        }
    }

    #[test]
    fn a_discontinuity_restarts_at_the_buffer_time() {
        let mut framer = Framer::new(1000, 1, 10, 1);
        let mut buf = Vec::new();
        framer.push(Some(5_000_000_000), 0, false, &[0.0; 150]);
        let t = framer.pop(&mut buf).unwrap();
        assert_eq!((t.pts, t.discont, buf.len()), (5_000_000_000, true, 100));
        assert!(framer.pop(&mut buf).is_none());
        assert_eq!(framer.pending_frames(), 50);
        // A gap of a second: the partial frame is dropped, frames restart.
        framer.push(Some(6_150_000_000), 0, false, &[0.0; 100]);
        let t = framer.pop(&mut buf).unwrap();
        assert_eq!((t.pts, t.discont), (6_150_000_000, true));
        // A small jitter (under half a frame) does not resync.
        framer.push(Some(6_250_000_000 + 20_000_000), 0, false, &[0.0; 100]);
        let t = framer.pop(&mut buf).unwrap();
        assert_eq!((t.pts, t.discont), (6_250_000_000, false));
        // The DISCONT flag does.
        framer.push(Some(6_350_000_000), 0, true, &[0.0; 100]);
        assert!(framer.pop(&mut buf).unwrap().discont);
    }

    #[test]
    fn buffers_without_timestamps_follow_on() {
        let mut framer = Framer::new(1000, 1, 10, 1);
        let mut buf = Vec::new();
        framer.push(None, 2_000_000_000, false, &[0.0; 100]);
        assert_eq!(framer.pop(&mut buf).unwrap().pts, 2_000_000_000);
        framer.push(None, 0, false, &[0.0; 100]);
        let t = framer.pop(&mut buf).unwrap();
        assert_eq!((t.pts, t.discont), (2_100_000_000, false));
        framer.reset();
        framer.push(None, 7, false, &[0.0; 100]);
        assert_eq!(framer.pop(&mut buf).unwrap().pts, 7);
    }
}
