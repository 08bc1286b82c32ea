//! `kefir render --replay DIR`: the exact input a refrender (butterchurn)
//! run saw, frame by frame, so a comparison of the two measures the
//! renderers and not their clocks or audio analysis.
//!
//! refrender writes, per render call N (1-based):
//!
//! * `state.jsonl`, line N: `time`, `fps` and `globals` with bass, mid,
//!   treb and their `_att` as butterchurn computed them, plus the
//!   per-frame variables after the frame equations (`frameVars`);
//! * `audio.bin`, record N: 3 x 1024 bytes (mono, left, right), the
//!   1024 samples butterchurn read from its analysers, `128 * (1 + x)`.
//!
//! From those bytes we rebuild what butterchurn hands its waveform and
//! spectrum code (its `AudioProcessor.processAudio`): the waveform is the
//! left/right bytes minus 128, each averaged with the sample before it and
//! decimated by 2 (512 samples, stored truncated to an integer as its
//! `Int8Array` does), in MilkDrop's 8-bit units, shifted so the middle of
//! its 512 lands on the middle of MilkDrop 2's 480 (both draw each wave
//! from the middle of their window); the spectrum is a
//! 1024-point FFT of the signed full-rate bytes (no window), magnitudes of
//! the first 512 bins times butterchurn's equaliser `-0.02 ln((512-i)/512)`.
//!
//! A refrender copy tapped by `scripts/fidelity/tap_refrender.py` also
//! writes, and the replay then uses:
//!
//! * `rand.jsonl`, line N: the `Math.random()` values butterchurn's
//!   equations drew (EEL `rand`), by code block, and the warp and comp
//!   shaders' `rand_frame` and `rand_preset`, and the hue shader's random
//!   phases `rand_start`. Each block's values go to the
//!   same block of Kefir's ([`milk_engine::FrameRandoms::eel`]), so a block
//!   one engine runs and the other skips (MilkDrop 2 runs the init code of
//!   disabled waves, butterchurn does not) shifts nothing; those of
//!   butterchurn's extra per-frame run while loading (`load_frame`, which
//!   MilkDrop 2 does not have) go to Kefir's imitation of that run
//!   ([`milk_engine::Visualizer::replay_butterchurn_load_run`]), and
//!   per-pixel values are used in the order drawn (butterchurn, MilkDrop 2
//!   and Kefir all run the per-pixel code from the bottom row of the mesh
//!   up);
//! * `noise.bin` (in DIR or its parent: it depends on the seed only):
//!   butterchurn's six noise textures, in [`NoiseKind::ALL`]'s order.

use std::io::BufRead as _;
use std::path::Path;

use anyhow::{Context as _, Result, bail, ensure};
use milk_audio::{AudioFrame, MILKDROP_WAVE_SCALE, SPECTRUM_BINS, WAVE_SAMPLES};
use milk_engine::textures::NoiseKind;
use milk_engine::{BlockId, FrameRandoms};

/// Bytes per channel and frame in `audio.bin`.
const WINDOW: usize = 1024;
/// Samples butterchurn's waveform keeps (1024 decimated by 2).
const DECIMATED: usize = WINDOW / 2;

/// One render call of the reference run.
#[derive(Debug, Clone)]
pub struct ReplayFrame {
    /// butterchurn's `time` and `fps` of this call.
    pub time: f64,
    pub fps: f64,
    pub levels: [f32; 6],
    /// Mono, left, right: 1024 bytes each.
    pub bytes: Box<[[u8; WINDOW]; 3]>,
    /// The random numbers of this call, when the run recorded them.
    pub randoms: Option<FrameRandoms>,
    /// What the `rand()` calls of butterchurn's per-frame run while loading
    /// the preset drew (first frame only).
    pub load_run_randoms: Vec<f64>,
}

/// All frames of a reference run.
#[derive(Debug, Clone)]
pub struct Replay {
    pub frames: Vec<ReplayFrame>,
    /// The reference's noise textures, when the run recorded them.
    pub noise: Option<NoiseTextures>,
    /// Where butterchurn's waveform goes in the engine's buffer: centred
    /// on MilkDrop 2's 480 samples, or as it is, for an engine that draws
    /// from butterchurn's window ([`milk_engine::ButterchurnQuirks::wave_window`]).
    pub wave_placement: WavePlacement,
}

/// How the replay puts butterchurn's 512 waveform samples into the engine's
/// buffer (see [`Replay::wave_placement`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum WavePlacement {
    /// Its sample `j + 16` is the engine's `j`, so the middles of the two
    /// windows meet ([`CENTRE_SHIFT`]).
    #[default]
    CentredOnMilkDrop,
    /// Its sample `j` is the engine's `j`.
    AsButterchurnHasIt,
}

/// Each noise texture's RGBA texels.
pub type NoiseTextures = Vec<(NoiseKind, Vec<u8>)>;

/// The code block a `rand.jsonl` phase names (`load_frame`, butterchurn's
/// extra per-frame run while loading, is none of Kefir's blocks).
fn block_of(phase: &str) -> Option<BlockId> {
    let indexed = |prefix: &str| -> Option<usize> {
        phase
            .strip_prefix(prefix)
            .and_then(|k| k.parse().ok())
            .filter(|k| *k < 4)
    };
    Some(match phase {
        "init" => BlockId::PerFrameInit,
        "frame" => BlockId::PerFrame,
        "pixel" => BlockId::PerPixel,
        _ => {
            if let Some(k) = indexed("wave_init") {
                BlockId::WaveInit(k)
            } else if let Some(k) = indexed("wave_frame") {
                BlockId::WavePerFrame(k)
            } else if let Some(k) = indexed("wave_point") {
                BlockId::WavePerPoint(k)
            } else if let Some(k) = indexed("shape_init") {
                BlockId::ShapeInit(k)
            } else if let Some(k) = indexed("shape_frame") {
                BlockId::ShapePerFrame(k)
            } else {
                return None;
            }
        }
    })
}

/// One line of `rand.jsonl`.
#[derive(Debug)]
struct RecordedRandoms {
    frame: FrameRandoms,
    /// Those of butterchurn's per-frame run while loading (first line only).
    load_run: Vec<f64>,
}

/// One `rand.jsonl` line.
fn frame_randoms(v: &serde_json::Value, line: usize) -> Result<RecordedRandoms> {
    let eel = v
        .get("eel")
        .and_then(serde_json::Value::as_object)
        .with_context(|| format!("rand.jsonl line {line}: no \"eel\" object"))?;
    let mut blocks = Vec::new();
    let mut load_frame = Vec::new();
    for (phase, list) in eel {
        let block = if phase == "load_frame" {
            None
        } else {
            Some(block_of(phase).with_context(|| {
                format!("rand.jsonl line {line}: unknown code block {phase:?} (refrender tapped by an older script?)")
            })?)
        };
        let list = list
            .as_array()
            .with_context(|| format!("rand.jsonl line {line}: {phase} is not a list"))?;
        let values = list
            .iter()
            .map(|u| {
                u.as_f64()
                    .with_context(|| format!("rand.jsonl line {line}: {phase}: not a number"))
            })
            .collect::<Result<Vec<f64>>>()?;
        match block {
            None => load_frame = values,
            Some(block) => blocks.push((block, values)),
        }
    }
    blocks.sort_by_key(|(b, _)| b.index());
    let vec4 = |key: &str| -> Result<Option<[f32; 4]>> {
        match v.get(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::Array(a)) if a.len() == 4 => {
                let mut out = [0.0f32; 4];
                for (o, x) in out.iter_mut().zip(a) {
                    *o = x
                        .as_f64()
                        .with_context(|| format!("rand.jsonl line {line}: {key}: not a number"))?
                        as f32;
                }
                Ok(Some(out))
            }
            Some(_) => bail!("rand.jsonl line {line}: {key} is not 4 numbers"),
        }
    };
    let randoms = FrameRandoms {
        eel: blocks,
        warp_rand_frame: vec4("warp_rand_frame")?,
        comp_rand_frame: vec4("comp_rand_frame")?,
        rand_preset: vec4("rand_preset")?,
        rand_start: vec4("rand_start")?,
    };
    Ok(RecordedRandoms {
        frame: randoms,
        load_run: load_frame,
    })
}

/// The JSON values of a JSON-lines file with their 1-based line numbers
/// (blank lines skipped).
fn json_lines(file: std::fs::File, path: &Path) -> Result<Vec<(usize, serde_json::Value)>> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut out = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let v = serde_json::from_str(&line)
            .with_context(|| format!("{name} line {}: not JSON", n + 1))?;
        out.push((n + 1, v));
    }
    Ok(out)
}

/// `rand.jsonl`'s lines, if the file is there.
fn load_randoms(dir: &Path) -> Result<Option<Vec<RecordedRandoms>>> {
    let path = dir.join("rand.jsonl");
    let Ok(file) = std::fs::File::open(&path) else {
        return Ok(None);
    };
    json_lines(file, &path)?
        .iter()
        .map(|(line, v)| frame_randoms(v, *line))
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

/// `noise.bin` from `dir` or its parent, split into the six textures.
fn load_noise(dir: &Path) -> Result<Option<NoiseTextures>> {
    let candidates = [
        Some(dir.join("noise.bin")),
        dir.parent().map(|p| p.join("noise.bin")),
    ];
    let Some(path) = candidates.into_iter().flatten().find(|p| p.is_file()) else {
        return Ok(None);
    };
    let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    let expected: usize = NoiseKind::ALL.iter().map(|k| k.byte_len()).sum();
    ensure!(
        bytes.len() == expected,
        "{}: {} bytes, expected {expected} (six RGBA8 noise textures)",
        path.display(),
        bytes.len()
    );
    let mut at = 0;
    let textures = NoiseKind::ALL
        .iter()
        .map(|&kind| {
            let part = bytes[at..at + kind.byte_len()].to_vec();
            at += kind.byte_len();
            (kind, part)
        })
        .collect();
    Ok(Some(textures))
}

fn number(v: &serde_json::Value, key: &str, line: usize) -> Result<f64> {
    v.get(key)
        .and_then(serde_json::Value::as_f64)
        .with_context(|| format!("state.jsonl line {line}: no number {key:?}"))
}

impl Replay {
    /// Reads `dir/state.jsonl` and `dir/audio.bin`.
    pub fn load(dir: &Path) -> Result<Replay> {
        let state_path = dir.join("state.jsonl");
        let audio_path = dir.join("audio.bin");
        let file = std::fs::File::open(&state_path)
            .with_context(|| format!("opening {}", state_path.display()))?;
        let audio = std::fs::read(&audio_path)
            .with_context(|| format!("reading {}", audio_path.display()))?;
        ensure!(
            audio.len() % (3 * WINDOW) == 0,
            "{}: {} bytes is not a whole number of 3x{WINDOW}-byte frames",
            audio_path.display(),
            audio.len()
        );
        let mut frames = Vec::new();
        for (line, v) in json_lines(file, &state_path)? {
            let globals = v
                .get("globals")
                .with_context(|| format!("state.jsonl line {line}: no \"globals\""))?;
            let level = |k: &str| number(globals, k, line).map(|x| x as f32);
            let levels = [
                level("bass")?,
                level("mid")?,
                level("treb")?,
                level("bass_att")?,
                level("mid_att")?,
                level("treb_att")?,
            ];
            let index = frames.len();
            let Some(chunk) = audio.get(index * 3 * WINDOW..(index + 1) * 3 * WINDOW) else {
                bail!(
                    "{} has fewer frames than {} ({index})",
                    audio_path.display(),
                    state_path.display()
                );
            };
            let mut bytes = Box::new([[0u8; WINDOW]; 3]);
            for (ch, dst) in bytes.iter_mut().enumerate() {
                dst.copy_from_slice(&chunk[ch * WINDOW..(ch + 1) * WINDOW]);
            }
            frames.push(ReplayFrame {
                time: number(&v, "time", line)?,
                fps: number(&v, "fps", line)?,
                levels,
                bytes,
                randoms: None,
                load_run_randoms: Vec::new(),
            });
        }
        ensure!(!frames.is_empty(), "{} has no frames", state_path.display());
        if let Some(randoms) = load_randoms(dir)? {
            ensure!(
                randoms.len() >= frames.len(),
                "{}: {} lines, state.jsonl has {} frames",
                dir.join("rand.jsonl").display(),
                randoms.len(),
                frames.len()
            );
            for (f, r) in frames.iter_mut().zip(randoms) {
                f.randoms = Some(r.frame);
                f.load_run_randoms = r.load_run;
            }
        }
        Ok(Replay {
            frames,
            noise: load_noise(dir)?,
            wave_placement: WavePlacement::default(),
        })
    }

    /// The time step of frame `index` (0-based): the difference of the
    /// reference's consecutive times (the first frame's step is its time).
    /// butterchurn, like MilkDrop 2's `DoTime`, adds 1/fps to its clock
    /// *before* drawing a frame, so its first frame sees time = 1/fps; an
    /// engine that advances its clock by dt before running the frame's code
    /// then sees exactly the reference's time.
    /// Times that do not increase fall back to 1/fps.
    pub fn dt(&self, index: usize) -> f64 {
        let f = &self.frames[index];
        let prev = index.checked_sub(1).map_or(0.0, |i| self.frames[i].time);
        if f.time > prev {
            f.time - prev
        } else if f.fps > 0.0 {
            1.0 / f.fps
        } else {
            1.0 / 30.0
        }
    }

    /// What the engine sees of frame `index`'s audio.
    pub fn audio_frame(&self, index: usize) -> AudioFrame {
        let f = &self.frames[index];
        let mut frame = AudioFrame::default();
        let shift = match self.wave_placement {
            WavePlacement::CentredOnMilkDrop => CENTRE_SHIFT,
            WavePlacement::AsButterchurnHasIt => 0,
        };
        for (ch, src) in [&f.bytes[1], &f.bytes[2]].into_iter().enumerate() {
            let wave = waveform(src, shift);
            for (dst, v) in frame.wave[ch].iter_mut().zip(wave.iter()) {
                *dst = *v / MILKDROP_WAVE_SCALE;
            }
            frame.spectrum[ch] = spectrum(src);
        }
        let [bass, mid, treb, bass_att, mid_att, treb_att] = f.levels;
        frame.bass = bass;
        frame.mid = mid;
        frame.treb = treb;
        frame.bass_att = bass_att;
        frame.mid_att = mid_att;
        frame.treb_att = treb_att;
        frame.vol = (bass + mid + treb) / 3.0;
        frame.vol_att = (bass_att + mid_att + treb_att) / 3.0;
        // butterchurn hands out the relative levels only (its wave mode 3
        // reads `treb` where MilkDrop 2 reads the absolute level).
        frame.imm = [bass, mid, treb];
        frame.time = f.time;
        frame
    }

    /// The random numbers of butterchurn's load: those of its per-frame run
    /// while loading, as [`BlockId::PerFrame`]'s, and the init code's (which
    /// butterchurn runs just before it), taken out of the first frame's.
    pub fn take_load_randoms(&mut self) -> Vec<(BlockId, Vec<f64>)> {
        let Some(first) = self.frames.first_mut() else {
            return Vec::new();
        };
        let mut load = Vec::new();
        if let Some(randoms) = &mut first.randoms {
            let is_init = |b: &BlockId| {
                matches!(
                    b,
                    BlockId::PerFrameInit | BlockId::WaveInit(_) | BlockId::ShapeInit(_)
                )
            };
            let (init, rest) = std::mem::take(&mut randoms.eel)
                .into_iter()
                .partition(|(b, _)| is_init(b));
            randoms.eel = rest;
            load = init;
        }
        load.push((
            BlockId::PerFrame,
            std::mem::take(&mut first.load_run_randoms),
        ));
        load
    }
}

/// Samples MilkDrop 2 draws its waves from (`NUM_WAVEFORM_SAMPLES`).
const MILKDROP_WAVE_WINDOW: usize = 480;

/// Where butterchurn's 512 samples start in Kefir's buffer: both engines
/// take each wave's samples from the middle of their window
/// (`(NUM_WAVEFORM_SAMPLES - n) / 2` in MilkDrop 2, `(512 - n) / 2` in
/// butterchurn), so the middles are put on each other.
const CENTRE_SHIFT: usize = (DECIMATED - MILKDROP_WAVE_WINDOW) / 2;

/// butterchurn's waveform of one channel, in MilkDrop units (-128..127):
/// each byte minus 128 averaged with the previous one (the first with
/// itself), every second sample, truncated toward zero; its sample
/// `j + shift` becomes Kefir's `j` ([`CENTRE_SHIFT`] or 0). The engine's
/// buffer holds 576 samples; those past butterchurn's stay 0.
fn waveform(bytes: &[u8; WINDOW], shift: usize) -> [f32; WAVE_SAMPLES] {
    let mut out = [0.0f32; WAVE_SAMPLES];
    let signed = |i: usize| f32::from(bytes[i]) - 128.0;
    for (j, dst) in out.iter_mut().take(DECIMATED - shift).enumerate() {
        let i = 2 * (j + shift);
        *dst = (0.5 * (signed(i) + signed(i.saturating_sub(1)))).trunc();
    }
    out
}

/// butterchurn's spectrum of one channel (see the module documentation).
fn spectrum(bytes: &[u8; WINDOW]) -> [f32; SPECTRUM_BINS] {
    let mut re: Vec<f64> = bytes.iter().map(|&b| f64::from(b) - 128.0).collect();
    let mut im = vec![0.0f64; WINDOW];
    fft(&mut re, &mut im);
    let mut out = [0.0f32; SPECTRUM_BINS];
    let half = SPECTRUM_BINS as f64;
    for (i, dst) in out.iter_mut().enumerate() {
        let eq = -0.02 * ((half - i as f64) / half).ln();
        *dst = (eq * re[i].hypot(im[i])) as f32;
    }
    out
}

/// In-place iterative radix-2 FFT (forward, e^{-2 pi i k n / N}); the
/// length must be a power of two.
fn fft(re: &mut [f64], im: &mut [f64]) {
    let n = re.len();
    debug_assert!(n.is_power_of_two() && im.len() == n);
    let bits = n.trailing_zeros();
    for i in 0..n {
        let j = i.reverse_bits() >> (usize::BITS - bits);
        if j > i {
            re.swap(i, j);
            im.swap(i, j);
        }
    }
    let mut len = 2;
    while len <= n {
        let step = -std::f64::consts::TAU / len as f64;
        for start in (0..n).step_by(len) {
            for k in 0..len / 2 {
                let (s, c) = (step * k as f64).sin_cos();
                let (a, b) = (start + k, start + k + len / 2);
                let tr = c * re[b] - s * im[b];
                let ti = c * im[b] + s * re[b];
                re[b] = re[a] - tr;
                im[b] = im[a] - ti;
                re[a] += tr;
                im[a] += ti;
            }
        }
        len *= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_pixel_randoms_stay_in_the_order_drawn() {
        // A value a vertex over the whole default mesh, numbered as
        // butterchurn drew them (bottom row first, as Kefir runs the code).
        let (cols, rows) = (
            milk_engine::mesh::DEFAULT_MESH.0 as usize + 1,
            milk_engine::mesh::DEFAULT_MESH.1 as usize + 1,
        );
        let drawn: Vec<f64> = (0..cols * rows).map(|i| i as f64 / 4096.0).collect();
        let line = serde_json::json!({"frame": 1, "eel": {"pixel": drawn}});
        let RecordedRandoms { frame, .. } = frame_randoms(&line, 1).unwrap();
        assert_eq!(frame.eel, [(BlockId::PerPixel, drawn)]);
    }

    #[test]
    fn randoms_go_to_their_blocks_and_the_load_run() {
        let line = serde_json::json!({
            "frame": 1,
            "eel": {
                "pixel": [0.5, 0.6],
                "wave_point1": [0.9],
                "load_frame": [0.01],
                "shape_frame0": [0.7],
                "frame": [0.4],
                "wave_frame1": [0.8],
                "shape_init2": [0.3],
                "wave_init0": [0.2],
                "init": [0.1]
            },
            "warp_rand_frame": [0.1, 0.2, 0.3, 0.4],
            "comp_rand_frame": null,
            "rand_preset": [1, 0, 0, 0],
            "rand_start": [0.25, 0.5, 0.75, 0.125]
        });
        let RecordedRandoms { frame: r, load_run } = frame_randoms(&line, 1).unwrap();
        assert_eq!(load_run, [0.01]);
        assert_eq!(
            r.eel,
            [
                (BlockId::PerFrameInit, vec![0.1]),
                (BlockId::PerFrame, vec![0.4]),
                (BlockId::PerPixel, vec![0.5, 0.6]),
                (BlockId::WaveInit(0), vec![0.2]),
                (BlockId::WavePerFrame(1), vec![0.8]),
                (BlockId::WavePerPoint(1), vec![0.9]),
                (BlockId::ShapePerFrame(0), vec![0.7]),
                (BlockId::ShapeInit(2), vec![0.3]),
            ]
        );
        assert_eq!(r.warp_rand_frame, Some([0.1, 0.2, 0.3, 0.4]));
        assert_eq!(r.comp_rand_frame, None);
        assert_eq!(r.rand_preset, Some([1.0, 0.0, 0.0, 0.0]));
        assert_eq!(r.rand_start, Some([0.25, 0.5, 0.75, 0.125]));
        for phase in ["?", "wave_init4", "shape_frame"] {
            let unknown = serde_json::json!({"eel": {phase: [0.5]}});
            let e = frame_randoms(&unknown, 3).unwrap_err().to_string();
            assert!(e.contains("line 3") && e.contains(phase), "{e}");
        }
    }

    #[test]
    fn the_load_takes_the_load_run_and_init_code_randoms_from_the_first_frame() {
        let line = serde_json::json!({
            "eel": {"frame": [0.4], "load_frame": [0.01], "wave_init0": [0.2], "init": [0.1]}
        });
        let RecordedRandoms { frame, load_run } = frame_randoms(&line, 1).unwrap();
        let mut replay = Replay {
            frames: vec![ReplayFrame {
                time: 1.0 / 30.0,
                fps: 30.0,
                levels: [1.0; 6],
                bytes: Box::new([[128; WINDOW]; 3]),
                randoms: Some(frame),
                load_run_randoms: load_run,
            }],
            noise: None,
            wave_placement: WavePlacement::default(),
        };
        assert_eq!(
            replay.take_load_randoms(),
            [
                (BlockId::PerFrameInit, vec![0.1]),
                (BlockId::WaveInit(0), vec![0.2]),
                (BlockId::PerFrame, vec![0.01]),
            ]
        );
        let first = replay.frames[0].randoms.as_ref().unwrap();
        assert_eq!(first.eel, [(BlockId::PerFrame, vec![0.4])]);
    }

    #[test]
    fn fft_finds_a_cosine_in_its_bin() {
        let n = 64;
        let mut re: Vec<f64> = (0..n)
            .map(|i| (std::f64::consts::TAU * 5.0 * i as f64 / n as f64).cos())
            .collect();
        let mut im = vec![0.0; n];
        fft(&mut re, &mut im);
        for k in 0..n {
            let mag = re[k].hypot(im[k]);
            let want = if k == 5 || k == n - 5 {
                n as f64 / 2.0
            } else {
                0.0
            };
            assert!((mag - want).abs() < 1e-9, "bin {k}: {mag}");
        }
    }

    #[test]
    fn waveform_averages_decimates_truncates_and_centres() {
        let mut bytes = [128u8; WINDOW];
        // butterchurn's samples 16, 17, 18 are Kefir's 0, 1, 2.
        let at = 2 * CENTRE_SHIFT;
        bytes[at - 1] = 131; // +3, averaged with 0: 1.5 -> 1
        bytes[at + 1] = 125; // -3
        bytes[at + 2] = 128; // 0, averaged with -3: -1.5 -> -1
        bytes[at + 4] = 200; // +72, averaged with 0: 36
        bytes[WINDOW - 2] = 178; // the last sample: +50, averaged with 0
        let w = waveform(&bytes, CENTRE_SHIFT);
        assert_eq!(&w[..3], &[1.0, -1.0, 36.0]);
        let last = DECIMATED - CENTRE_SHIFT - 1;
        assert_eq!(w[last], 25.0);
        // The middle of MilkDrop 2's 480 is the middle of butterchurn's 512.
        assert_eq!(MILKDROP_WAVE_WINDOW / 2 + CENTRE_SHIFT, DECIMATED / 2);
        assert!(w[last + 1..].iter().all(|&v| v == 0.0));
    }

    #[test]
    fn waveform_as_butterchurn_has_it_starts_at_its_first_sample() {
        let mut bytes = [128u8; WINDOW];
        bytes[0] = 138; // +10, averaged with itself
        bytes[1] = 148; // +20, only in sample 1's average
        bytes[2] = 108; // -20, averaged with +20: 0
        bytes[2 * CENTRE_SHIFT] = 228; // +100, averaged with 0: 50
        let w = waveform(&bytes, 0);
        assert_eq!(&w[..2], &[10.0, 0.0]);
        assert_eq!(w[CENTRE_SHIFT], 50.0);
        assert_eq!(w[DECIMATED - 1], 0.0);
        assert!(w[DECIMATED..].iter().all(|&v| v == 0.0));
        // Centred, the same bytes put that sample first.
        assert_eq!(waveform(&bytes, CENTRE_SHIFT)[0], 50.0);
    }
}
