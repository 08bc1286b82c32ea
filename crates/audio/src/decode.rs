//! Streaming decode of audio files (WAV, FLAC, MP3, Ogg Vorbis) with
//! symphonia: packets are decoded one at a time as [`AudioSource::read`]
//! asks for samples, so a long file never sits in memory whole.

use std::fs::File;
use std::path::{Path, PathBuf};

use symphonia::core::codecs::audio::{AudioDecoder, AudioDecoderOptions};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

use crate::analyzer::PcmFormat;
use crate::error::AudioError;
use crate::source::AudioSource;

/// Malformed packets tolerated in a row before giving up on a file.
const MAX_BAD_PACKETS: u32 = 32;

/// An audio file opened for streaming decode.
pub struct FileSource {
    path: PathBuf,
    reader: Box<dyn FormatReader>,
    decoder: Box<dyn AudioDecoder>,
    track_id: u32,
    format: PcmFormat,
    /// Decoded samples not yet handed out (interleaved).
    pending: Vec<f32>,
    taken: usize,
    frames_hint: Option<u64>,
    ended: bool,
}

impl std::fmt::Debug for FileSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileSource")
            .field("path", &self.path)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

impl FileSource {
    /// Opens `path` and prepares its first audio track for decoding.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, AudioError> {
        let path = path.as_ref().to_path_buf();
        let file = File::open(&path).map_err(|error| AudioError::Io {
            path: path.clone(),
            error,
        })?;
        let decode_err = |message: String| AudioError::Decode {
            path: path.clone(),
            message,
        };
        let mut hint = Hint::new();
        if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
            hint.with_extension(ext);
        }
        let mss = MediaSourceStream::new(Box::new(file), Default::default());
        let reader = symphonia::default::get_probe()
            .probe(
                &hint,
                mss,
                FormatOptions::default(),
                MetadataOptions::default(),
            )
            .map_err(|e| decode_err(format!("not a supported audio file ({e})")))?;
        let track = reader
            .default_track(TrackType::Audio)
            .ok_or_else(|| decode_err("no audio track".into()))?;
        let params = track
            .codec_params
            .as_ref()
            .and_then(|p| p.audio())
            .ok_or_else(|| decode_err("no audio codec parameters".into()))?;
        let decoder = symphonia::default::get_codecs()
            .make_audio_decoder(params, &AudioDecoderOptions::default())
            .map_err(|e| decode_err(format!("unsupported codec ({e})")))?;
        let sample_rate = params.sample_rate.unwrap_or(44_100);
        let channels = params.channels.as_ref().map(|c| c.count()).unwrap_or(2) as u16;
        let track_id = track.id;
        let frames_hint = track.num_frames;
        Ok(FileSource {
            path,
            reader,
            decoder,
            track_id,
            format: PcmFormat::new(sample_rate, channels.max(1)),
            pending: Vec::new(),
            taken: 0,
            frames_hint,
            ended: false,
        })
    }

    /// Length in frames, when the container says.
    pub fn frames_hint(&self) -> Option<u64> {
        self.frames_hint
    }

    /// Decodes the next packet of our track into `pending`; false at the end.
    fn decode_next(&mut self) -> Result<bool, AudioError> {
        let mut bad = 0;
        loop {
            let packet = match self.reader.next_packet() {
                Ok(Some(p)) => p,
                Ok(None) => return Ok(false),
                // A truncated file ends where its data ends.
                Err(SymphoniaError::IoError(e))
                    if e.kind() == std::io::ErrorKind::UnexpectedEof =>
                {
                    return Ok(false);
                }
                Err(e) => {
                    return Err(AudioError::Decode {
                        path: self.path.clone(),
                        message: e.to_string(),
                    });
                }
            };
            if packet.track_id != self.track_id {
                continue;
            }
            match self.decoder.decode(&packet) {
                Ok(buf) => {
                    let spec_rate = buf.spec().rate();
                    let spec_channels = buf.spec().channels().count().max(1) as u16;
                    self.format = PcmFormat::new(spec_rate, spec_channels);
                    self.pending.clear();
                    self.pending.resize(buf.samples_interleaved(), 0.0);
                    buf.copy_to_slice_interleaved(&mut self.pending[..]);
                    self.taken = 0;
                    return Ok(true);
                }
                // Skip a damaged packet, as players do, unless the file is
                // nothing but damage.
                Err(SymphoniaError::DecodeError(msg)) => {
                    bad += 1;
                    if bad > MAX_BAD_PACKETS {
                        return Err(AudioError::Decode {
                            path: self.path.clone(),
                            message: msg.to_string(),
                        });
                    }
                }
                Err(e) => {
                    return Err(AudioError::Decode {
                        path: self.path.clone(),
                        message: e.to_string(),
                    });
                }
            }
        }
    }
}

impl AudioSource for FileSource {
    fn format(&self) -> PcmFormat {
        self.format
    }

    fn read(&mut self, buf: &mut [f32]) -> Result<usize, AudioError> {
        if self.ended {
            return Ok(0);
        }
        while self.taken >= self.pending.len() {
            if !self.decode_next()? {
                self.ended = true;
                return Ok(0);
            }
        }
        let channels = self.format.channels as usize;
        let room = buf.len() - buf.len() % channels;
        let n = room.min(self.pending.len() - self.taken);
        buf[..n].copy_from_slice(&self.pending[self.taken..self.taken + n]);
        self.taken += n;
        Ok(n)
    }
}
