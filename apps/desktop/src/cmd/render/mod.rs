//! `kefir render`: render a preset offline, headless, into numbered PNG
//! frames (`frame_00001.png`, ...) and/or a video through `ffmpeg`.
//!
//! Frame times are fixed (1/fps) and the audio is analysed frame by frame
//! from a file or the built-in demo track (`--synth`), so the same preset,
//! audio, size, fps and seed give the same frames on the same adapter.
//!
//! `--replay DIR` instead takes every frame's time step, audio levels,
//! waveform and spectrum from a refrender (butterchurn) output directory
//! (see [`replay`]), for comparing the two renderers on the same input;
//! `--dump-state FILE` writes the per-frame results of the preset's code
//! as JSON lines named as in refrender's `state.jsonl`.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result, bail, ensure};
use milk_audio::{Analyzer, AnalyzerConfig, AudioFrame, AudioSource, FileSource, demo_track};
use milk_engine::headless::Headless;
use milk_engine::{Config, Visualizer};
use milk_parser::Preset;

pub mod output;
mod replay;

use output::{FrameSink, Video};

#[derive(clap::Args)]
pub struct Args {
    /// The preset (.milk) to render.
    #[arg(long)]
    preset: PathBuf,
    /// Audio file to visualise (WAV, FLAC, MP3, Ogg Vorbis).
    #[arg(
        long,
        required_unless_present_any = ["synth", "replay"],
        conflicts_with_all = ["synth", "replay"]
    )]
    audio: Option<PathBuf>,
    /// Use the built-in, deterministic demo track instead of a file.
    #[arg(long, conflicts_with = "replay")]
    synth: bool,
    /// Replay the input of a refrender (butterchurn) run: each frame's time
    /// step, bass/mid/treb (and _att), waveform and spectrum come from
    /// DIR/state.jsonl and DIR/audio.bin instead of audio analysis. Renders
    /// as many frames as DIR has (or --frames, if fewer); --fps is ignored.
    /// Where the run recorded them (DIR/rand.jsonl, noise.bin in DIR or
    /// its parent: a refrender tapped by scripts/fidelity/tap_refrender.py),
    /// its equations' rand() values, the shaders' rand_frame/rand_preset
    /// and its noise textures are used too. The preset's per-frame code
    /// runs once before the first frame, as butterchurn runs it while
    /// loading (see --no-load-run).
    #[arg(long, value_name = "DIR", conflicts_with = "seconds")]
    replay: Option<PathBuf>,
    /// With --replay: keep Kefir's own random numbers and noise textures
    /// even where DIR has the reference's.
    #[arg(long, requires = "replay")]
    own_randoms: bool,
    /// With --replay: leave out the run of the preset's per-frame code that
    /// butterchurn makes while loading it (MilkDrop 2 has none; the replay
    /// makes it by default because the preset's own variables keep what it
    /// left, as part of the reference's input).
    #[arg(long, requires = "replay")]
    no_load_run: bool,
    /// With --replay: imitate these differences of butterchurn from
    /// MilkDrop 2 (comma-separated), to tell them apart from others:
    /// late-blur (blur levels from the frame before last: butterchurn's blur
    /// reads a mip level made two frames earlier, and repeats past the
    /// edges whenever wrap is not 0, where MilkDrop 2's clamps),
    /// warp-rad-ang and comp-rad-ang (the warp or composite shaders' rad and ang computed
    /// as butterchurn does), roam (the shaders' roam_cos/roam_sin without
    /// MilkDrop 2's phases), matrices (square matrices built in shaders
    /// transposed, as butterchurn's converter makes them), hue (the hue
    /// shader's colours placed as butterchurn's composite grid has them),
    /// wave-vars (a custom wave's per-point code sharing the variables of
    /// its init and per-frame code, as in butterchurn's one pool a wave),
    /// nan (shaders' sqrt, rsqrt and log of negative numbers, 0 / 0,
    /// inf * 0, x % 0 and the normal of a zero vector NaN, as in butterchurn's
    /// GLSL, and pow(0, y) and log2(0) SwiftShader's 2^(-127 y) and -127,
    /// where MilkDrop 2's Direct3D 9 takes |x|, makes 0 times anything 0
    /// and pow(0, y) 0),
    /// colour-clamp (shape, custom-wave, border and motion-vector colours past
    /// 0..1 clamped and MilkDrop 1's warp decay a float, where MilkDrop 2's
    /// byte conversion wraps them), main-wrap (shaders' plain
    /// sampler_main and the built-in warp wrapping whenever wrap is not 0 and
    /// clamping when it is, where MilkDrop 2 always wraps the shaders' plain
    /// sampler_main and its built-in warp wraps above 0.5), wave-gate (the
    /// main wave drawn only when wave_a is above 0.001 before the volume
    /// modulation), frame-alpha (the frame's
    /// alpha channel blended by shapes and waves and multiplying textured
    /// shapes, 0 on the first frame, where MilkDrop 2's frames have no
    /// alpha), mv-order (motion vectors drawn into the new frame after the
    /// warp, where MilkDrop 2 draws them into the previous frame before it),
    /// mv-length (motion vectors of a texel or longer, and those of no
    /// length, drawn one texel across and as high as they are, where
    /// MilkDrop 2 keeps them as they are),
    /// wave-window (the main wave and waveform custom waves drawn from
    /// butterchurn's 512 waveform samples as it picks them, custom waves
    /// with sep fewer points, where MilkDrop 2 has 480 and ignores sep in
    /// the count), wave-size (the main wave's dots and thick lines drawn
    /// four times at any width and its faint modes' alpha by width range,
    /// where MilkDrop 2 draws the four copies from 512 pixels and switches
    /// on exactly 256, 512, 1024 and 2048), wave-mode5 (the main wave's mode
    /// 5 scaled by aspect + 2 wave_x - 1 and aspect + 2 wave_y - 1 about the
    /// centre,
    /// where MilkDrop 2 adds wave_x and wave_y), float-mod (shaders' float
    /// `%` flooring as GLSL's mod, where HLSL's truncates as fmod),
    /// pixel-ang (the per-pixel code's ang in [0, 2pi), where MilkDrop 2's
    /// is atan2's (-pi, pi]), division (equation code's x/0 is 0, where
    /// MilkDrop 2's is ±inf until `=` stores it as 0), rand (equation
    /// code's rand(n) scaled by n itself, where MilkDrop 2 scales by
    /// max(floor(n), 1)), filters (presets without a composite shader:
    /// brighten as sqrt, solarize as 4x(1 - x) and gamma as a plain factor,
    /// where MilkDrop 2 blends 1 - (1 - x)^2 and 2x(1 - x) and redraws for
    /// gamma, each echo layer at least once), comp-frame (composite shaders
    /// read the new frame with this frame's shapes and waves, where
    /// MilkDrop 2's read the warp's source, the previous frame, as its blur
    /// levels do), vol (shaders' vol and vol_att the mean of bass, mid and
    /// treb, where MilkDrop 2's are a third of treb, C's comma operator),
    /// shape-wrap (textured shapes repeating the previous frame past its
    /// edges whenever wrap is not 0, clamping it otherwise, where MilkDrop
    /// 2's sample as Direct3D 9's sampler 0 was left), comp-uv-orig (a
    /// composite shader's uv_orig the screen position even after it assigns
    /// uv, where MilkDrop 2's is a second name of uv), pixel-centres
    /// (waves, shapes, borders and motion
    /// vectors lighting the pixels whose half-integer centres they cover,
    /// as WebGL does, where MilkDrop 2's Direct3D 9 centres sit on integer
    /// coordinates), anisotropic (shaders' filtered 2D reads of noise and
    /// user textures at the level of the read's shorter side, as
    /// butterchurn's anisotropic filtering picks it, where MilkDrop 2's
    /// trilinear filter takes the longer side's), mipmaps (the frame with
    /// mip levels made each frame, read at the level the coordinates'
    /// derivatives pick by shaders, the built-in warp and textured shapes,
    /// so fast-moving reads see it blurred, where MilkDrop 2's frame has
    /// one level).
    #[arg(
        long,
        requires = "replay",
        value_enum,
        value_delimiter = ',',
        value_name = "QUIRK"
    )]
    butterchurn: Vec<ButterchurnQuirk>,
    /// Write the per-frame results of the preset's code (time, fps, motion,
    /// decay, gamma, echo, wave and border values) to FILE, one JSON object
    /// per frame, named as in refrender's state.jsonl `frameVars`.
    #[arg(long, value_name = "FILE")]
    dump_state: Option<PathBuf>,
    /// Also write main_NNNNN.png into --out: the feedback texture after the
    /// warp, shapes and waves, before the composite (as refrender's
    /// --dump-main), at the render scale's size.
    #[arg(long, requires = "out")]
    dump_main: bool,
    /// Frame size, WIDTHxHEIGHT.
    #[arg(long, default_value = "1280x720", value_parser = parse_size)]
    size: (u32, u32),
    /// Frames per second (each frame advances time by exactly 1/fps).
    #[arg(long, default_value_t = 60.0)]
    fps: f64,
    /// Start this many seconds into the audio (--audio or --synth): the
    /// analysis runs over what comes before, one video frame at a time, as
    /// when a preset comes up in the middle of a song, and the preset
    /// starts at this point. Without it the first frames see MilkDrop 2's
    /// analysis warming up from silence (levels far above 1 for about two
    /// seconds), as when the visualizer itself starts.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 0.0,
        conflicts_with = "replay"
    )]
    audio_start: f64,
    /// Seconds to render (default with --audio: the whole file).
    #[arg(long, conflicts_with = "frames")]
    seconds: Option<f64>,
    /// Number of frames to render.
    #[arg(long)]
    frames: Option<u64>,
    /// Directory for the PNG frames (created if missing).
    #[arg(long, required_unless_present = "video")]
    out: Option<PathBuf>,
    /// Seed of the preset's random numbers.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Render at this fraction of --size each side, scaled up (0.1..1), as
    /// a weak device would.
    #[arg(long, default_value_t = 1.0)]
    render_scale: f32,
    /// The blur levels at this fraction of MilkDrop's size (0.25..1).
    #[arg(long, default_value_t = 1.0)]
    blur_scale: f32,
    /// Also encode the frames into this video file with ffmpeg (with the
    /// audio file's sound when --audio is given).
    #[arg(long)]
    video: Option<PathBuf>,
    /// The picture before the first frame: black (as MilkDrop), or a test
    /// pattern of rings and a grid that makes motion visible.
    #[arg(long, value_enum, default_value_t = Start::Black)]
    start: Start,
    /// Directories searched for the user textures a preset's shaders name
    /// (after the preset's own directory).
    #[arg(long = "textures", value_name = "DIR")]
    texture_dirs: Vec<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Start {
    Black,
    Pattern,
}

/// One of [`milk_engine::ButterchurnQuirks`].
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ButterchurnQuirk {
    LateBlur,
    WarpRadAng,
    CompRadAng,
    Roam,
    Matrices,
    Hue,
    WaveVars,
    Nan,
    ColourClamp,
    MainWrap,
    WaveGate,
    FrameAlpha,
    MvOrder,
    MvLength,
    WaveWindow,
    WaveSize,
    WaveMode5,
    FloatMod,
    PixelAng,
    Division,
    Rand,
    Filters,
    CompFrame,
    Vol,
    ShapeWrap,
    CompUvOrig,
    PixelCentres,
    Anisotropic,
    Mipmaps,
}

pub(crate) fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("expected WIDTHxHEIGHT, got {s:?}"))?;
    let parse = |v: &str| {
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|&n| (1..=16384).contains(&n))
            .ok_or_else(|| format!("{v:?} is not a size between 1 and 16384"))
    };
    Ok((parse(w)?, parse(h)?))
}

/// Audio analysed one video frame at a time: exactly the samples up to the
/// end of each frame, then silence when the source ends.
struct AudioFeed {
    source: Box<dyn AudioSource>,
    analyzer: Analyzer,
    buf: Vec<f32>,
    consumed: u64,
    ended: bool,
}

impl AudioFeed {
    fn frame(&mut self, index: u64, fps: f64) -> Result<&AudioFrame> {
        let format = self.source.format();
        let channels = usize::from(format.channels.max(1));
        let target = ((index + 1) as f64 / fps * f64::from(format.sample_rate)).round() as u64;
        while !self.ended && self.consumed < target {
            let want = ((target - self.consumed) as usize * channels).min(self.buf.len());
            let n = self
                .source
                .read(&mut self.buf[..want])
                .context("reading the audio")?;
            if n == 0 {
                self.ended = true;
                break;
            }
            self.analyzer.push_f32(&self.buf[..n], format);
            self.consumed += (n / channels) as u64;
        }
        Ok(self.analyzer.frame((1.0 / fps) as f32))
    }
}

pub fn run(args: &Args) -> Result<ExitCode> {
    ensure!(
        args.fps.is_finite() && (1.0..=1000.0).contains(&args.fps),
        "--fps must be between 1 and 1000"
    );
    // Before any work: --video without ffmpeg is an error, not a surprise
    // at the end.
    let ffmpeg = match &args.video {
        Some(_) => Some(output::require_ffmpeg(
            "--video",
            "leave out --video to write PNG frames only",
        )?),
        None => None,
    };

    let bytes = std::fs::read(&args.preset)
        .with_context(|| format!("reading {}", args.preset.display()))?;
    let preset =
        Preset::from_bytes(&bytes).with_context(|| format!("parsing {}", args.preset.display()))?;

    let mut replay = match &args.replay {
        Some(dir) => Some(
            replay::Replay::load(dir)
                .with_context(|| format!("reading the replay input in {}", dir.display()))?,
        ),
        None => None,
    };
    // The audio, and its length in seconds when the file says.
    let (source, length): (Box<dyn AudioSource>, Option<f64>) = match &args.audio {
        Some(path) => {
            let file =
                FileSource::open(path).with_context(|| format!("opening {}", path.display()))?;
            let rate = f64::from(file.format().sample_rate.max(1));
            let length = file.frames_hint().map(|f| f as f64 / rate);
            (Box::new(file), length)
        }
        None => (Box::new(demo_track(milk_audio::ANALYSIS_RATE)), None),
    };
    ensure!(
        args.audio_start.is_finite() && args.audio_start >= 0.0,
        "--audio-start must be a number of seconds, 0 or more"
    );
    // Video frames whose audio only warms the analysis up.
    let warm_up_frames = (args.audio_start * args.fps).round() as u64;
    let length = length.map(|l| (l - args.audio_start).max(0.0));
    let frames = match (args.frames, args.seconds.or(length)) {
        (n, _) if replay.is_some() => {
            let have = replay.as_ref().map_or(0, |r| r.frames.len() as u64);
            n.map_or(have, |n| n.min(have))
        }
        (Some(n), _) => n,
        (None, Some(s)) => {
            ensure!(
                s.is_finite() && s >= 0.0,
                "--seconds must be a positive number"
            );
            (s * args.fps).round() as u64
        }
        (None, None) => bail!("give --seconds or --frames (the audio's length is unknown)"),
    };
    ensure!(frames > 0, "nothing to render: 0 frames");

    let (width, height) = args.size;
    let gpu = Headless::new().context("creating a headless GPU device")?;
    let max = gpu.device.limits().max_texture_dimension_2d;
    ensure!(
        width <= max && height <= max,
        "--size {width}x{height} is larger than this adapter allows ({max}x{max})"
    );
    let video = match (&args.video, &ffmpeg) {
        (Some(path), Some(ffmpeg)) => Some(Video::start(
            ffmpeg,
            args.size,
            args.fps,
            args.audio.as_deref().map(|a| (a, args.audio_start)),
            path,
        )?),
        _ => None,
    };
    let sink = FrameSink::start(args.out.clone(), args.size, video)?;

    let mut vis = Visualizer::new(
        gpu.device.clone(),
        gpu.queue.clone(),
        Config {
            seed: args.seed,
            render_scale: args.render_scale,
            blur_scale: args.blur_scale,
            ..Config::default()
        },
    );
    vis.set_texture_dirs(args.texture_dirs.clone());
    if !args.butterchurn.is_empty() {
        let has = |quirk| args.butterchurn.contains(&quirk);
        vis.emulate_butterchurn(milk_engine::ButterchurnQuirks {
            late_blur: has(ButterchurnQuirk::LateBlur),
            warp_rad_ang: has(ButterchurnQuirk::WarpRadAng),
            comp_rad_ang: has(ButterchurnQuirk::CompRadAng),
            roam: has(ButterchurnQuirk::Roam),
            matrices: has(ButterchurnQuirk::Matrices),
            hue: has(ButterchurnQuirk::Hue),
            wave_vars: has(ButterchurnQuirk::WaveVars),
            nan: has(ButterchurnQuirk::Nan),
            colour_clamp: has(ButterchurnQuirk::ColourClamp),
            main_wrap: has(ButterchurnQuirk::MainWrap),
            wave_gate: has(ButterchurnQuirk::WaveGate),
            frame_alpha: has(ButterchurnQuirk::FrameAlpha),
            mv_order: has(ButterchurnQuirk::MvOrder),
            mv_length: has(ButterchurnQuirk::MvLength),
            wave_window: has(ButterchurnQuirk::WaveWindow),
            wave_size: has(ButterchurnQuirk::WaveSize),
            wave_mode5: has(ButterchurnQuirk::WaveMode5),
            float_mod: has(ButterchurnQuirk::FloatMod),
            pixel_ang: has(ButterchurnQuirk::PixelAng),
            division: has(ButterchurnQuirk::Division),
            rand: has(ButterchurnQuirk::Rand),
            filters: has(ButterchurnQuirk::Filters),
            comp_frame: has(ButterchurnQuirk::CompFrame),
            vol: has(ButterchurnQuirk::Vol),
            shape_wrap: has(ButterchurnQuirk::ShapeWrap),
            comp_uv_orig: has(ButterchurnQuirk::CompUvOrig),
            pixel_centres: has(ButterchurnQuirk::PixelCentres),
            anisotropic: has(ButterchurnQuirk::Anisotropic),
            mipmaps: has(ButterchurnQuirk::Mipmaps),
        });
        if let (Some(r), true) = (&mut replay, has(ButterchurnQuirk::WaveWindow)) {
            r.wave_placement = replay::WavePlacement::AsButterchurnHasIt;
        }
    }
    if let (Some(noise), false) = (
        replay.as_ref().and_then(|r| r.noise.as_ref()),
        args.own_randoms,
    ) {
        for (kind, rgba) in noise {
            vis.set_noise_texture(*kind, rgba)?;
        }
    }
    let report = vis.load_preset_in(&preset, args.preset.parent());
    for e in &report.errors {
        eprintln!(
            "kefir: {}:{e} (block disabled, rendering goes on)",
            args.preset.display()
        );
    }
    for f in &report.shader_failures {
        eprintln!(
            "kefir: {}: {f} (MilkDrop's default shader stands in)",
            args.preset.display()
        );
    }
    for w in &report.texture_warnings {
        eprintln!("kefir: {}: {w}", args.preset.display());
    }
    if let (Some(r), false) = (replay.as_mut(), args.no_load_run) {
        let randoms = match args.own_randoms {
            false => r.take_load_randoms(),
            true => Vec::new(),
        };
        vis.replay_butterchurn_load_run((width, height), randoms);
    }
    if args.start == Start::Pattern {
        vis.set_frame(
            width,
            height,
            &milk_engine::pattern::rings_and_grid(width, height),
        );
    }
    let target = gpu.target(width, height);
    let mut audio = AudioFeed {
        source,
        analyzer: Analyzer::new(AnalyzerConfig::default()),
        buf: vec![0.0; 8192],
        consumed: 0,
        ended: false,
    };
    for index in 0..warm_up_frames {
        audio.frame(index, args.fps)?;
    }

    eprintln!(
        "kefir: rendering {} frames of {} at {width}x{height}, {} fps, on {}",
        frames,
        args.preset.display(),
        args.fps,
        gpu.adapter_description()
    );
    let bar = output::frame_progress(frames);

    let mut dump = match &args.dump_state {
        Some(path) => Some(BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => None,
    };

    let started = Instant::now();
    let mut render_error = None;
    for index in 0..frames {
        let result = (|| -> Result<()> {
            let replayed;
            let (dt, frame) = match &replay {
                Some(r) => {
                    // The reference's clock, frame for frame.
                    let f = &r.frames[index as usize];
                    // (butterchurn counts frames from 1, MilkDrop from 0.)
                    vis.set_next_clock(f.time, f.fps, index + 1);
                    if let (Some(randoms), false) = (&f.randoms, args.own_randoms) {
                        vis.set_next_randoms(randoms.clone());
                    }
                    replayed = r.audio_frame(index as usize);
                    (r.dt(index as usize), &replayed)
                }
                None => (
                    1.0 / args.fps,
                    audio.frame(warm_up_frames + index, args.fps)?,
                ),
            };
            vis.render(dt, frame, &target)
                .with_context(|| format!("rendering frame {}", index + 1))?;
            let time = vis.time();
            if let (Some(out), Some(state)) = (dump.as_mut(), vis.frame_state()) {
                let mut line = state_json(index + 1, time, dt, frame, state);
                if let Some((unused, past)) = vis.rand_script_balance() {
                    // How the reference's rand() values fitted Kefir's calls.
                    line.insert("rand_unused".into(), unused.into());
                    line.insert("rand_past_script".into(), past.into());
                }
                serde_json::to_writer(&mut *out, &line)?;
                out.write_all(b"\n")?;
            }
            if let (true, Some(dir), Some(main)) =
                (args.dump_main, args.out.as_ref(), vis.frame_texture())
            {
                let rgba = gpu
                    .read_rgba(main)
                    .with_context(|| format!("reading frame {}'s feedback back", index + 1))?;
                let size = (main.width(), main.height());
                let path = dir.join(format!("main_{:05}.png", index + 1));
                output::write_png(&path, size, &rgba)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            let rgba = gpu
                .read_rgba(&target)
                .with_context(|| format!("reading frame {} back", index + 1))?;
            sink.send(index, rgba)
        })();
        if let Err(e) = result {
            render_error = Some(e);
            break;
        }
        bar.inc(1);
    }
    if let Some(mut out) = dump {
        out.flush().context("writing the state dump")?;
    }
    let written = sink.finish();
    bar.finish_and_clear();
    written?;
    if let Some(e) = render_error {
        return Err(e);
    }
    let secs = started.elapsed().as_secs_f64();
    let mut wrote = Vec::new();
    if let Some(dir) = &args.out {
        wrote.push(format!("{}/frame_NNNNN.png", dir.display()));
    }
    if let Some(video) = &args.video {
        wrote.push(video.display().to_string());
    }
    eprintln!(
        "kefir: rendered {frames} frames in {secs:.1} s ({:.1} fps) to {}",
        frames as f64 / secs.max(1e-9),
        wrote.join(" and ")
    );
    Ok(ExitCode::SUCCESS)
}

/// One frame of `--dump-state`: what the preset's per-frame code produced,
/// under the names refrender's `state.jsonl` uses in `frameVars`. `time` is
/// the engine's clock after the frame, `fps` is 1/dt.
fn state_json(
    frame: u64,
    time: f64,
    dt: f64,
    audio: &AudioFrame,
    s: &milk_engine::runtime::FrameState,
) -> serde_json::Map<String, serde_json::Value> {
    let m = &s.motion;
    let d = &s.draw;
    let flag = |b: bool| f64::from(u8::from(b));
    let values: [(&str, f64); 66] = [
        ("frame", frame as f64),
        ("time", time),
        ("fps", if dt > 0.0 { 1.0 / dt } else { 0.0 }),
        ("bass", f64::from(audio.bass)),
        ("mid", f64::from(audio.mid)),
        ("treb", f64::from(audio.treb)),
        ("bass_att", f64::from(audio.bass_att)),
        ("mid_att", f64::from(audio.mid_att)),
        ("treb_att", f64::from(audio.treb_att)),
        ("zoom", m.zoom),
        ("zoomexp", m.zoomexp),
        ("rot", m.rot),
        ("warp", m.warp),
        ("cx", m.cx),
        ("cy", m.cy),
        ("dx", m.dx),
        ("dy", m.dy),
        ("sx", m.sx),
        ("sy", m.sy),
        ("decay", s.decay),
        ("wrap", flag(s.wrap)),
        ("gammaadj", s.gamma),
        ("echo_alpha", s.echo_alpha),
        ("echo_zoom", s.echo_zoom),
        ("echo_orient", f64::from(s.echo_orient)),
        ("brighten", flag(s.brighten)),
        ("darken", flag(s.darken)),
        ("solarize", flag(s.solarize)),
        ("invert", flag(s.invert)),
        ("wave_r", d.wave_r),
        ("wave_g", d.wave_g),
        ("wave_b", d.wave_b),
        ("wave_a", d.wave_a),
        ("wave_x", d.wave_x),
        ("wave_y", d.wave_y),
        ("wave_mode", d.wave_mode),
        ("wave_mystery", d.wave_mystery),
        ("wave_dots", d.wave_usedots),
        ("wave_thick", d.wave_thick),
        ("additivewave", d.wave_additive),
        ("wave_brighten", d.wave_brighten),
        ("ob_size", d.ob_size),
        ("ob_r", d.ob_r),
        ("ob_g", d.ob_g),
        ("ob_b", d.ob_b),
        ("ob_a", d.ob_a),
        ("ib_size", d.ib_size),
        ("ib_r", d.ib_r),
        ("ib_g", d.ib_g),
        ("ib_b", d.ib_b),
        ("ib_a", d.ib_a),
        ("mv_x", d.mv_x),
        ("mv_y", d.mv_y),
        ("mv_dx", d.mv_dx),
        ("mv_dy", d.mv_dy),
        ("mv_l", d.mv_l),
        ("mv_r", d.mv_r),
        ("mv_g", d.mv_g),
        ("mv_b", d.mv_b),
        ("mv_a", d.mv_a),
        ("darken_center", d.darken_center),
        ("vol", f64::from(audio.vol)),
        ("vol_att", f64::from(audio.vol_att)),
        ("time_audio", audio.time),
        ("beat", flag(audio.beat)),
        ("dt", dt),
    ];
    // q1..q32 after the per-frame code (refrender's `qAfterFrame`).
    let q =
        s.q.iter()
            .enumerate()
            .map(|(i, v)| (format!("q{}", i + 1), *v));
    values
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .chain(q)
        .map(|(k, v)| (k, serde_json::json!(v)))
        .collect()
}
