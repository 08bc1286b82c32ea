//! The audio-source trait: anything that yields interleaved f32 PCM (decoded
//! files, synthetic signals), so analysis can be driven and tested without
//! sound hardware.

use crate::analyzer::{Analyzer, AudioFrame, PcmFormat};
use crate::error::AudioError;

/// A pull source of interleaved f32 PCM.
pub trait AudioSource {
    /// Rate and channel count of what [`AudioSource::read`] returns.
    fn format(&self) -> PcmFormat;

    /// Fills `buf` with interleaved samples (whole frames) and returns how
    /// many samples it wrote; 0 means the end of the source.
    fn read(&mut self, buf: &mut [f32]) -> Result<usize, AudioError>;
}

/// Runs a whole source through `analyzer` at `fps` video frames per second
/// (`fps` is clamped to 1..=1000) and calls `on_frame` with each frame's
/// index and analysis. The last, partial frame is analysed too. Returns the
/// number of frames.
pub fn analyze_source(
    source: &mut dyn AudioSource,
    analyzer: &mut Analyzer,
    fps: f64,
    mut on_frame: impl FnMut(u64, &AudioFrame),
) -> Result<u64, AudioError> {
    let fps = if fps.is_finite() {
        fps.clamp(1.0, 1000.0)
    } else {
        60.0
    };
    let dt = (1.0 / fps) as f32;
    let mut buf = vec![0.0f32; 8192];
    let mut pending: Vec<f32> = Vec::new();
    let mut frame_index = 0u64;
    let mut consumed_frames = 0u64;
    let mut finished = false;
    while !finished {
        let format = source.format();
        let channels = format.channels.max(1) as usize;
        // Input frames that end the next video frame.
        let target = (((frame_index + 1) as f64 / fps) * format.sample_rate as f64).round() as u64;
        while consumed_frames + ((pending.len() / channels) as u64) < target {
            let n = source.read(&mut buf)?;
            if n == 0 {
                finished = true;
                break;
            }
            pending.extend_from_slice(&buf[..n]);
        }
        let want = (target.saturating_sub(consumed_frames) as usize * channels).min(pending.len());
        let want = want - want % channels;
        analyzer.push_f32(&pending[..want], format);
        pending.drain(..want);
        consumed_frames += (want / channels) as u64;
        if finished && want == 0 && frame_index > 0 {
            break;
        }
        on_frame(frame_index, analyzer.frame(dt));
        frame_index += 1;
    }
    Ok(frame_index)
}
