//! Deterministic synthetic signals for tests, benchmarks and demos: sines,
//! seeded noise, tone bursts, kick drums and a drum pattern at a given tempo,
//! and the demo track Kefir plays when there is no input device.
//!
//! Every voice except noise is a function of time only, so the same signal
//! generated at 44.1, 48 or 96 kHz is the same continuous-time sound. Noise
//! comes from a seeded xorshift generator: the same seed gives the same
//! samples on every machine.

use crate::analyzer::PcmFormat;
use crate::error::AudioError;
use crate::source::AudioSource;

/// A small, fast, seeded random generator (xorshift64*).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        // Avoid the all-zero state; spread small seeds.
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [-1, 1).
    pub fn next_signed(&mut self) -> f32 {
        ((self.next_u64() >> 40) as f32 / (1u64 << 23) as f32) - 1.0
    }
}

/// One sound in a [`Synth`].
#[derive(Debug, Clone)]
pub enum Voice {
    /// A sine of `freq` Hz and peak `amp`.
    Sine { freq: f32, amp: f32 },
    /// White noise of peak `amp`, from `seed`.
    Noise { amp: f32, seed: u64 },
    /// A sine of `freq` Hz sounding for `on` seconds at the start of every
    /// `period` seconds (10 ms raised-cosine edges).
    Bursts {
        freq: f32,
        amp: f32,
        on: f32,
        period: f32,
    },
    /// A kick drum on every beat at `bpm`, the first at time 0.
    Kicks { bpm: f32, amp: f32 },
    /// A rock pattern at `bpm`: kick on beats 1 and 3, snare on 2 and 4,
    /// closed hi-hat on every eighth note.
    Drums { bpm: f32, amp: f32, seed: u64 },
}

impl Voice {
    fn noise_seed(&self) -> Option<u64> {
        match self {
            Voice::Noise { seed, .. } | Voice::Drums { seed, .. } => Some(*seed),
            _ => None,
        }
    }
}

/// A kick: a sine sweeping from 150 Hz down to 45 Hz with a 120 ms decay.
fn kick(t: f32) -> f32 {
    if !(0.0..0.6).contains(&t) {
        return 0.0;
    }
    // Phase of f(t) = 45 + 105 e^{-t/0.03}: integral of 2 pi f.
    let phase = std::f32::consts::TAU * (45.0 * t + 105.0 * 0.03 * (1.0 - (-t / 0.03).exp()));
    let attack = (t / 0.002).min(1.0);
    attack * (-t / 0.12).exp() * phase.sin()
}

/// Position in the current beat subdivision: seconds since the last step.
fn since_step(t: f32, step: f32) -> (u64, f32) {
    let n = (t / step).floor();
    (n as u64, t - n * step)
}

/// A sum of voices, each with a left and right gain, as an [`AudioSource`].
#[derive(Debug, Clone)]
pub struct Synth {
    sample_rate: u32,
    voices: Vec<(Voice, [f32; 2], Rng)>,
    frames: Option<u64>,
    looping: bool,
    position: u64,
}

impl Synth {
    /// An endless, silent synth at `sample_rate` Hz.
    pub fn new(sample_rate: u32) -> Self {
        Synth {
            sample_rate: sample_rate.max(1),
            voices: Vec::new(),
            frames: None,
            looping: false,
            position: 0,
        }
    }

    /// Adds a voice at equal gain on both sides.
    pub fn with(self, voice: Voice) -> Self {
        self.with_panned(voice, 1.0, 1.0)
    }

    /// Adds a voice with its own left and right gains.
    pub fn with_panned(mut self, voice: Voice, left: f32, right: f32) -> Self {
        let rng = Rng::new(voice.noise_seed().unwrap_or(0));
        self.voices.push((voice, [left, right], rng));
        self
    }

    /// Ends the signal after `seconds`.
    pub fn duration(mut self, seconds: f64) -> Self {
        self.frames = Some((seconds.max(0.0) * self.sample_rate as f64).round() as u64);
        self
    }

    /// Starts over at the end instead of ending (needs a duration).
    pub fn looping(mut self, looping: bool) -> Self {
        self.looping = looping;
        self
    }

    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// The next stereo frame, or `None` at the end.
    pub fn next_frame(&mut self) -> Option<[f32; 2]> {
        if let Some(total) = self.frames
            && self.position >= total
        {
            if !self.looping || total == 0 {
                return None;
            }
            self.position = 0;
            for (voice, _, rng) in &mut self.voices {
                *rng = Rng::new(voice.noise_seed().unwrap_or(0));
            }
        }
        let t = self.position as f64 / self.sample_rate as f64;
        self.position += 1;
        let tf = t as f32;
        let mut out = [0.0f32; 2];
        for (voice, gain, rng) in &mut self.voices {
            let v = match *voice {
                Voice::Sine { freq, amp } => {
                    amp * (std::f64::consts::TAU * freq as f64 * t).sin() as f32
                }
                Voice::Noise { amp, .. } => amp * rng.next_signed(),
                Voice::Bursts {
                    freq,
                    amp,
                    on,
                    period,
                } => {
                    let (_, local) = since_step(tf, period);
                    let edge = 0.01f32;
                    let env = if local >= on {
                        0.0
                    } else {
                        let rise = (local / edge).min(1.0);
                        let fall = ((on - local) / edge).min(1.0);
                        let x = rise.min(fall);
                        0.5 - 0.5 * (std::f32::consts::PI * x).cos()
                    };
                    amp * env * (std::f64::consts::TAU * freq as f64 * t).sin() as f32
                }
                Voice::Kicks { bpm, amp } => {
                    let (_, local) = since_step(tf, 60.0 / bpm);
                    amp * kick(local)
                }
                Voice::Drums { bpm, amp, .. } => {
                    let beat = 60.0 / bpm;
                    let (n, local) = since_step(tf, beat);
                    let (_, eighth) = since_step(tf, beat / 2.0);
                    let noise = rng.next_signed();
                    let mut v = 0.0;
                    if n % 2 == 0 {
                        v += kick(local);
                    } else {
                        // Snare: noise plus a 190 Hz body, 90 ms decay.
                        let body = (std::f32::consts::TAU * 190.0 * local).sin();
                        v += 0.5 * (-local / 0.09).exp() * (0.7 * noise + 0.3 * body);
                    }
                    // Hi-hat: noise with a 25 ms decay, quieter.
                    v += 0.12 * (-eighth / 0.025).exp() * noise;
                    amp * v
                }
            };
            out[0] += gain[0] * v;
            out[1] += gain[1] * v;
        }
        Some(out)
    }
}

impl AudioSource for Synth {
    fn format(&self) -> PcmFormat {
        PcmFormat::new(self.sample_rate, 2)
    }

    fn read(&mut self, buf: &mut [f32]) -> Result<usize, AudioError> {
        let mut written = 0;
        for frame in buf.chunks_exact_mut(2) {
            match self.next_frame() {
                Some([l, r]) => {
                    frame[0] = l;
                    frame[1] = r;
                    written += 2;
                }
                None => break,
            }
        }
        Ok(written)
    }
}

/// Kefir's demo track, made here rather than shipped as a file: 32 s at
/// 124 BPM of drums, a pulsing bass, a chord pad panned across the stereo
/// field and a high shimmer, looping. Used when there is no input device.
pub fn demo_track(sample_rate: u32) -> Synth {
    let bpm = 124.0;
    Synth::new(sample_rate)
        .with(Voice::Drums {
            bpm,
            amp: 0.6,
            seed: 0x6b65_6669,
        })
        .with(Voice::Bursts {
            freq: 55.0,
            amp: 0.3,
            on: 0.18,
            period: 60.0 / bpm / 2.0,
        })
        .with_panned(
            Voice::Sine {
                freq: 220.0,
                amp: 0.08,
            },
            1.0,
            0.4,
        )
        .with_panned(
            Voice::Sine {
                freq: 277.2,
                amp: 0.06,
            },
            0.4,
            1.0,
        )
        .with_panned(
            Voice::Sine {
                freq: 329.6,
                amp: 0.06,
            },
            0.7,
            0.7,
        )
        .with(Voice::Bursts {
            freq: 5274.0,
            amp: 0.03,
            on: 0.05,
            period: 60.0 / bpm / 4.0,
        })
        .with(Voice::Noise { amp: 0.01, seed: 7 })
        .duration(32.0)
        .looping(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_is_reproducible_and_in_range() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let mut c = Rng::new(43);
        let xs: Vec<f32> = (0..1000).map(|_| a.next_signed()).collect();
        assert!(xs.iter().all(|x| (-1.0..1.0).contains(x)));
        assert!(
            xs.iter()
                .zip((0..1000).map(|_| b.next_signed()))
                .all(|(x, y)| *x == y)
        );
        assert!(
            xs.iter()
                .zip((0..1000).map(|_| c.next_signed()))
                .any(|(x, y)| *x != y)
        );
        let mean = xs.iter().sum::<f32>() / 1000.0;
        assert!(mean.abs() < 0.1);
    }

    #[test]
    fn duration_and_looping() {
        let mut s = Synth::new(1000)
            .with(Voice::Sine {
                freq: 10.0,
                amp: 1.0,
            })
            .duration(0.5);
        let mut buf = vec![0.0; 4000];
        assert_eq!(s.read(&mut buf).unwrap(), 1000);
        assert_eq!(s.read(&mut buf).unwrap(), 0);
        let mut demo = demo_track(8000);
        let mut n = 0;
        for _ in 0..40 {
            n += demo.read(&mut buf).unwrap();
        }
        assert_eq!(n, 40 * 4000, "the demo track loops");
    }

    #[test]
    fn kicks_start_on_each_beat() {
        let mut s = Synth::new(44_100).with(Voice::Kicks {
            bpm: 120.0,
            amp: 1.0,
        });
        let frames: Vec<f32> = (0..88_200).map(|_| s.next_frame().unwrap()[0]).collect();
        // Loud just after 0, 0.5, 1.0, 1.5 s; quiet just before.
        for beat in 0..4 {
            let at = beat * 22_050;
            let after = frames[at + 200..at + 2000]
                .iter()
                .map(|v| v.abs())
                .fold(0.0, f32::max);
            assert!(after > 0.5, "beat {beat}: {after}");
            if at > 0 {
                let before = frames[at - 500..at]
                    .iter()
                    .map(|v| v.abs())
                    .fold(0.0, f32::max);
                assert!(before < 0.05, "beat {beat}: {before}");
            }
        }
    }
}
