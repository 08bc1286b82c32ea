//! Lock-free hand-off of PCM from an audio thread to the render thread.
//!
//! A wait-free single-producer single-consumer ring buffer (`rtrb`) of
//! stereo frames at 44.1 kHz. The [`PcmWriter`] lives in the audio callback:
//! it converts and resamples what the device delivers and pushes it without
//! locking or allocating; when the ring is full (the render thread stalled)
//! the newest audio is dropped and counted. The [`PcmReader`] lives on the
//! render thread and drains everything into an [`Analyzer`] once per frame.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rtrb::{Consumer, Producer, RingBuffer};

use crate::analyzer::Analyzer;
use crate::resample::{ANALYSIS_RATE, Resampler};

/// Creates a ring holding `capacity` frames (at 44.1 kHz) whose writer
/// accepts PCM at `input_rate` Hz.
pub fn pcm_ring(capacity: usize, input_rate: u32) -> (PcmWriter, PcmReader) {
    let (producer, consumer) = RingBuffer::new(capacity.max(1));
    let dropped = Arc::new(AtomicU64::new(0));
    (
        PcmWriter {
            producer,
            resampler: Resampler::new(input_rate),
            dropped: dropped.clone(),
        },
        PcmReader { consumer, dropped },
    )
}

/// The audio-thread end: never blocks, never allocates.
pub struct PcmWriter {
    producer: Producer<[f32; 2]>,
    resampler: Resampler,
    dropped: Arc<AtomicU64>,
}

impl std::fmt::Debug for PcmWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PcmWriter")
            .field("input_rate", &self.resampler.in_rate())
            .finish_non_exhaustive()
    }
}

impl PcmWriter {
    /// Writes interleaved samples with `channels` channels (mono is used for
    /// both sides, channels past the second are ignored), converting each
    /// sample with `to_f32`.
    #[inline]
    pub fn write<T: Copy>(&mut self, samples: &[T], channels: u16, to_f32: impl Fn(T) -> f32) {
        let channels = channels as usize;
        if channels == 0 {
            return;
        }
        let Self {
            producer,
            resampler,
            dropped,
        } = self;
        for f in samples.chunks_exact(channels) {
            let l = to_f32(f[0]);
            let r = if channels > 1 { to_f32(f[1]) } else { l };
            resampler.push([l, r], &mut |frame| {
                if producer.push(frame).is_err() {
                    dropped.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    }

    /// Writes interleaved f32 samples.
    pub fn write_f32(&mut self, samples: &[f32], channels: u16) {
        self.write(samples, channels, |s| s);
    }

    /// The rate this writer accepts.
    pub fn input_rate(&self) -> u32 {
        self.resampler.in_rate()
    }
}

/// The render-thread end.
pub struct PcmReader {
    consumer: Consumer<[f32; 2]>,
    dropped: Arc<AtomicU64>,
}

impl std::fmt::Debug for PcmReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PcmReader")
            .field("available", &self.consumer.slots())
            .finish_non_exhaustive()
    }
}

impl PcmReader {
    /// Moves everything written so far into `analyzer`; returns the number of
    /// frames (at 44.1 kHz).
    pub fn drain_into(&mut self, analyzer: &mut Analyzer) -> usize {
        let n = self.consumer.slots();
        if n == 0 {
            return 0;
        }
        match self.consumer.read_chunk(n) {
            Ok(chunk) => {
                let (a, b) = chunk.as_slices();
                analyzer.push_analysis_rate(a);
                analyzer.push_analysis_rate(b);
                chunk.commit_all();
                n
            }
            Err(_) => 0,
        }
    }

    /// Takes every frame written so far (for tests of what writers write).
    #[cfg(test)]
    pub(crate) fn take_all(&mut self) -> Vec<[f32; 2]> {
        std::iter::from_fn(|| self.consumer.pop().ok()).collect()
    }

    /// Frames waiting to be read.
    pub fn available(&self) -> usize {
        self.consumer.slots()
    }

    /// Frames dropped because the ring was full.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Whether the writer is gone (its stream was closed).
    pub fn is_abandoned(&self) -> bool {
        self.consumer.is_abandoned()
    }

    /// Seconds of audio the ring holds at most.
    pub fn capacity_seconds(&self) -> f64 {
        self.consumer.buffer().capacity() as f64 / ANALYSIS_RATE as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyzer::PcmFormat;

    #[test]
    fn audio_thread_to_analyzer_matches_direct_push() {
        let input: Vec<f32> = (0..48_000 * 2)
            .map(|i| ((i / 2) as f32 * 0.05).sin() * if i % 2 == 0 { 0.5 } else { 0.3 })
            .collect();
        let (mut writer, mut reader) = pcm_ring(1 << 16, 48_000);
        let handle = std::thread::spawn(move || {
            for chunk in input.chunks(960) {
                writer.write_f32(chunk, 2);
            }
            input
        });
        let input = handle.join().unwrap();
        let mut via_ring = Analyzer::default();
        assert_eq!(reader.drain_into(&mut via_ring), 44_100);
        let mut direct = Analyzer::default();
        direct.push_f32(&input, PcmFormat::new(48_000, 2));
        assert_eq!(via_ring.frame(1.0 / 60.0), direct.frame(1.0 / 60.0));
        assert_eq!(reader.dropped(), 0);
        assert!(reader.is_abandoned());
    }

    #[test]
    fn a_full_ring_drops_and_counts_instead_of_blocking() {
        let (mut writer, mut reader) = pcm_ring(100, 44_100);
        writer.write_f32(&[0.1; 400], 2);
        assert_eq!(reader.available(), 100);
        assert_eq!(reader.dropped(), 100);
        let mut a = Analyzer::default();
        assert_eq!(reader.drain_into(&mut a), 100);
        assert_eq!(reader.drain_into(&mut a), 0);
    }
}
