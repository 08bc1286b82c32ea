//! Kefir's player: everything a host needs to show MilkDrop presets to
//! music, behind one type, [`Player`].
//!
//! A [`Player`] joins milk-engine's [`Visualizer`] (rendering, preset
//! preparation, blends), milk-audio's [`Analyzer`] (PCM in, bass/mid/treb
//! and beats out) and milk-playlist's [`Playlist`] (scan, shuffle, history,
//! favourites and "never again"), and plays presets the way MilkDrop 2
//! does:
//!
//! - **automatic changes**: a preset plays for `blend_seconds +
//!   preset_seconds + preset_seconds_jitter * u` seconds (`u` uniform in
//!   [0, 1), drawn per preset from the seed), as MilkDrop schedules
//!   `m_fBlendTimeAuto + m_fTimeBetweenPresets + m_fTimeBetweenPresetsRand *
//!   rand`, then the next preset blends in over `blend_seconds`;
//! - **hard cuts**: with [`PlayerConfig::hard_cuts`], a beat that is loud
//!   enough cuts to the next preset at once. Loud enough is MilkDrop's rule
//!   (`bass + mid + treb` over three times a threshold that doubles after
//!   each cut and relaxes towards [`PlayerConfig::hard_cut_loudness`] with a
//!   half-life), the beat is milk-audio's detector (tuned by
//!   [`PlayerConfig::beat_sensitivity`]), and no cut comes sooner than
//!   [`PlayerConfig::hard_cut_min_seconds`] after a change;
//! - **lock** ([`Player::set_locked`]) stops both (the timer starts over on
//!   unlock, as in MilkDrop); manual changes still work;
//! - **favourites and never-again** are saved to
//!   [`PlayerConfig::prefs_path`] at once;
//! - a preset that cannot be read or parsed is **skipped**: it is marked
//!   broken in the playlist, a [`PlayerEvent::Failed`] is queued and the
//!   next one plays. Nothing a preset file contains stops the player or
//!   panics;
//! - the next preset is **prepared in the background**: a worker thread
//!   reads, parses and builds it ([`milk_engine::PresetBuilder`]) while the
//!   current one plays, so the switch on the render thread is only
//!   [`Visualizer::switch_to`]. If the player needs a preset the worker has
//!   not prepared (previous, select, a file), it prepares it on the calling
//!   thread; if the worker is still busy with it, it waits for the worker.
//!   With [`PlayerConfig::defer_switches`] it waits for neither: the worker
//!   prepares that preset too and the switch comes from a later frame.
//!   In the browser the worker is the page's own thread, one step of the
//!   preparation per rendered frame ([`milk_engine::Preparation`]).
//!
//! Given the same presets, settings, seed, audio and frame times, a player
//! makes the same choices at the same frames: nothing depends on how fast
//! the worker is.
//!
//! ```no_run
//! use kefir_player::{Player, PlayerConfig};
//! use milk_engine::headless::Headless;
//!
//! let gpu = Headless::new().expect("a wgpu adapter");
//! let target = gpu.target(640, 360);
//! let config = PlayerConfig {
//!     preset_dirs: vec!["presets".into()],
//!     ..PlayerConfig::default()
//! };
//! let mut player = Player::new(gpu.device.clone(), gpu.queue.clone(), config).unwrap();
//! let pcm = vec![0.0f32; 2 * 735];
//! for _ in 0..60 {
//!     player.push_audio_f32(&pcm, 2, 44_100);
//!     player.render(1.0 / 60.0, &target).unwrap();
//!     for event in player.poll_events() {
//!         println!("{event:?}");
//!     }
//! }
//! ```

mod pacing;
mod scaling;
mod schedule;
mod switching;
mod worker;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use kefir_perf::Advice;
use milk_audio::{Analyzer, AnalyzerConfig, AudioFrame, PcmFormat};
use milk_engine::{LoadReport, PresetBuilder, RenderError, Switch, Visualizer};
use milk_playlist::{Filter, PlaylistError, Prefs, PresetEntry, preset_key};

pub use milk_playlist::Playlist;
pub use pacing::Pacing;
#[cfg(not(target_arch = "wasm32"))]
pub use pacing::WorkTimer;

use crate::pacing::Pacer;
use crate::schedule::{HardCutSettings, HardCuts, preset_duration, rng};
use crate::worker::{Prepared, Reply, Source, Texts, Worker};

/// How long a switch waits for the worker to finish the preset it is
/// preparing before preparing it on the calling thread instead.
const PRELOAD_WAIT: Duration = Duration::from_secs(30);

/// Events kept for [`Player::poll_events`]; older ones are dropped.
const MAX_EVENTS: usize = 1024;

/// How a [`Player`] is set up. [`PlayerConfig::default`] gives MilkDrop 2's
/// defaults, no preset directories and no prefs file.
#[derive(Debug, Clone, PartialEq)]
pub struct PlayerConfig {
    /// The visualizer's settings (warp mesh size, seed of the presets'
    /// random values). Used when the player is created; later changes
    /// through [`Player::set_config`] are ignored.
    pub engine: milk_engine::Config,
    /// Directories (or single `.milk` files) scanned recursively for
    /// presets.
    pub preset_dirs: Vec<PathBuf>,
    /// Globs a preset must match one of (all presets when empty); see
    /// [`milk_playlist::Filter`].
    pub include: Vec<String>,
    /// Globs that drop presets (and whole directories).
    pub exclude: Vec<String>,
    /// Directories searched for the textures preset shaders name, after the
    /// preset's own directory.
    pub texture_dirs: Vec<PathBuf>,
    /// Random order (rounds that play every preset once) rather than file
    /// order. Default true.
    pub shuffle: bool,
    /// Seconds between automatic changes, not counting the blend and the
    /// jitter (MilkDrop's `m_fTimeBetweenPresets`, default 16). 0 (or less)
    /// turns automatic changes off.
    pub preset_seconds: f64,
    /// Up to this many random seconds are added to each preset's time
    /// (MilkDrop's `m_fTimeBetweenPresetsRand`, default 10).
    pub preset_seconds_jitter: f64,
    /// Blend time of automatic changes (MilkDrop's `m_fBlendTimeAuto`,
    /// default 2.7); 0 cuts.
    pub blend_seconds: f64,
    /// Blend time of changes the user asks for: [`Player::next`],
    /// [`Player::previous`], [`Player::random`], [`Player::select`],
    /// [`Player::load_file`], [`Player::load_text`] (MilkDrop's
    /// `m_fBlendTimeUser`, default 1.7); 0 cuts.
    pub user_blend_seconds: f64,
    /// Cut to the next preset on loud beats (MilkDrop's hard cuts; off by
    /// default, as in MilkDrop).
    pub hard_cuts: bool,
    /// milk-audio's beat detection sensitivity, 0..=1 (default 0.5): higher
    /// finds more beats, so more hard cuts.
    pub beat_sensitivity: f32,
    /// MilkDrop's `m_fHardCutLoudnessThresh` (default 2.5): a hard cut needs
    /// `bass + mid + treb` above three times a threshold that starts at
    /// twice this, doubles after each cut and relaxes towards this.
    pub hard_cut_loudness: f32,
    /// MilkDrop's `m_fHardCutHalflife` in seconds (default 60): how fast the
    /// threshold relaxes (it loses three quarters of its excess in this
    /// time, as MilkDrop's does).
    pub hard_cut_half_life: f64,
    /// No hard cut sooner than this many seconds after a preset starts
    /// (default 1; MilkDrop has no such limit).
    pub hard_cut_min_seconds: f64,
    /// Clear the picture to black on each change instead of carrying the
    /// previous preset's image over (default false, as MilkDrop).
    pub start_clean: bool,
    /// Where favourites and never-again marks are kept (see
    /// [`milk_playlist::Prefs`]); `None` keeps them in memory only. Hosts
    /// that want the user's file pass [`Prefs::default_path`]. Needs the
    /// `prefs-file` feature (default); ignored without it.
    pub prefs_path: Option<PathBuf>,
    /// Seed of the shuffle and of the timer's jitter.
    pub seed: u64,
    /// Prepare the next preset ahead of time (default true): on a worker
    /// thread, or in the browser (wasm32, no threads for wgpu) a step per
    /// rendered frame on the page's thread. Without it (or where a thread
    /// cannot be started) every preset is prepared on the thread that
    /// switches to it.
    pub preload: bool,
    /// Frame budget, render scale governor and the device's preset costs
    /// (off by default); see [`Pacing`] and [`Player::report_frame_time`].
    pub pacing: Pacing,
    /// Switch to presets the worker has not prepared ([`Player::previous`],
    /// [`Player::select`], [`Player::load_file`], [`Player::load_text`], or
    /// a change before the look-ahead is done) once the worker has prepared
    /// them, instead of preparing or waiting on the calling thread: the
    /// current preset keeps playing meanwhile and no frame stalls (default
    /// false). The [`PlayerEvent::Switched`] or [`PlayerEvent::Failed`]
    /// then comes from a later [`Player::render`]. With a worker thread the
    /// frame of the switch depends on how fast the thread is; in the
    /// browser (one step per frame) it does not. Needs
    /// [`PlayerConfig::preload`]; the first preset is always prepared at
    /// once.
    pub defer_switches: bool,
}

impl Default for PlayerConfig {
    fn default() -> Self {
        PlayerConfig {
            engine: milk_engine::Config::default(),
            preset_dirs: Vec::new(),
            include: Vec::new(),
            exclude: Vec::new(),
            texture_dirs: Vec::new(),
            shuffle: true,
            preset_seconds: 16.0,
            preset_seconds_jitter: 10.0,
            blend_seconds: 2.7,
            user_blend_seconds: 1.7,
            hard_cuts: false,
            beat_sensitivity: 0.5,
            hard_cut_loudness: 2.5,
            hard_cut_half_life: 60.0,
            hard_cut_min_seconds: 1.0,
            start_clean: false,
            prefs_path: None,
            seed: 0,
            preload: true,
            pacing: Pacing::default(),
            defer_switches: false,
        }
    }
}

/// What happened, for the host to show or log ([`Player::poll_events`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum PlayerEvent {
    /// A preset started (after a cut or at the start of a blend).
    Switched {
        /// Its file; `None` for [`Player::load_text`].
        path: Option<PathBuf>,
        /// Its name (the file name without `.milk`).
        name: String,
        /// Whether it blends in (false: a cut).
        blend: bool,
        /// What loading it reported: code that did not compile, shaders
        /// that fell back, missing textures, preparation time.
        report: LoadReport,
    },
    /// A preset could not be read, parsed or prepared; it was skipped and
    /// marked broken in the playlist. The preset playing before goes on (or
    /// the next one that loads).
    Failed {
        /// Its file; `None` for [`Player::load_text`].
        path: Option<PathBuf>,
        /// Why.
        error: String,
    },
    /// A preset missed the frame budget ([`Pacing`]) for
    /// [`Pacing::heavy_seconds`] at the lowest render scale, or the cost
    /// file says it would: it was skipped and marked in the playlist (and
    /// the cost file, when it played).
    TooHeavy {
        path: Option<PathBuf>,
        name: String,
        /// Its frame time (75th percentile), ms; `None` when the cost file
        /// decided before it played.
        frame_ms: Option<f32>,
    },
    /// The render scale changed ([`Pacing::auto_scale`], or a preset's
    /// cost); the frames render at this fraction of the target's size (of
    /// the display's, where the host scales its target:
    /// [`Pacing::host_scales`]).
    RenderScale { scale: f32 },
    /// Something that does not stop the player went wrong: a preset
    /// directory could not be read, the prefs file could not be read or
    /// written.
    Warning {
        /// What, in words.
        message: String,
    },
}

/// Why a [`Player`] could not be created or reconfigured.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlayerError {
    /// An include or exclude pattern is not a valid glob.
    #[error("invalid preset filter: {0}")]
    Filter(#[source] PlaylistError),
}

/// Counters of how presets were switched, for hosts' diagnostics and for
/// tests ([`Player::stats`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlayerStats {
    /// Presets started.
    pub switches: u64,
    /// Of those, prepared by the worker thread ahead of time.
    pub preloaded: u64,
    /// Of the preloaded ones, those the switch had to wait for (the worker
    /// was still busy with it).
    pub waited: u64,
    /// Presets prepared on the calling thread (no preload for them).
    pub prepared_here: u64,
    /// Presets switched to once the worker had prepared them
    /// ([`PlayerConfig::defer_switches`]).
    pub deferred: u64,
    /// Presets that failed to load.
    pub failed: u64,
    /// Time the last switch took on the calling thread: waiting or
    /// preparing if it had to, and [`Visualizer::switch_to`].
    pub last_switch: Duration,
}

/// The preset playing.
#[derive(Debug, Clone)]
struct Current {
    name: String,
    path: Option<PathBuf>,
}

/// The preset asked of the worker: the one after the current preset.
struct Preload {
    id: u64,
    /// [`Player::generation`] when asked: builder and textures it used.
    generation: u64,
    /// Which preset that is, once the worker has looked (`Some(None)`:
    /// nothing to play).
    path: Option<Option<PathBuf>>,
    /// The prepared preset, once the worker is done.
    result: Option<Prepared>,
}

impl Preload {
    /// Takes in a reply of the worker's; true if it was about this job.
    fn take(&mut self, reply: Reply) -> bool {
        match reply {
            Reply::Peeked { id, path } if id == self.id => {
                self.path = Some(path);
                true
            }
            Reply::Done { id, result } if id == self.id => {
                self.result = Some(*result);
                true
            }
            _ => false,
        }
    }
}

/// A switch waiting for the worker ([`PlayerConfig::defer_switches`]).
struct Pending {
    /// The worker's job.
    id: u64,
    source: Source,
    switch: Switch,
    /// Where to go on if the preset fails to load (switches that move
    /// through the playlist skip broken presets).
    then: Option<Step>,
}

/// Which way [`Player::advance`] moves through the playlist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Next,
    Previous,
    Random,
}

/// How a switch got its preset.
enum Origin {
    Ready,
    Waited,
    Here,
    Deferred,
}

/// A MilkDrop player: visualizer, audio analysis, playlist and the rules of
/// automatic changes. See the crate documentation.
pub struct Player {
    vis: Visualizer,
    analyzer: Analyzer,
    /// Shared with the worker's look-ahead; changed through
    /// [`Player::list`] (copy on write, which only copies while the worker
    /// still reads a snapshot).
    playlist: Arc<Playlist>,
    /// Presets held as text ([`Player::add_texts`]), in the playlist too.
    texts: Arc<Texts>,
    config: PlayerConfig,
    events: Vec<PlayerEvent>,
    worker: Option<Worker>,
    builder: PresetBuilder,
    /// The composite format the builder prepares for.
    builder_format: wgpu::TextureFormat,
    /// Bumped when the builder or the texture directories change, which
    /// makes earlier preloads stale.
    generation: u64,
    rng: milk_engine::rng::Rng,
    current: Option<Current>,
    /// Seconds the current preset has played (0 on its first frame).
    clock: f64,
    /// The current preset has not rendered yet.
    fresh: bool,
    /// This preset's jitter draw, in [0, 1).
    jitter: f64,
    hard_cuts: HardCuts,
    locked: bool,
    /// Presets asked to be prepared so far (varies their random values).
    serial: u64,
    next_job: u64,
    preload: Option<Preload>,
    pending: Option<Pending>,
    /// The prefs file exists but did not load: never overwrite it.
    #[cfg_attr(not(feature = "prefs-file"), allow(dead_code))]
    prefs_blocked: bool,
    stats: PlayerStats,
    pacer: Pacer,
    /// The adapter, as cost files name it.
    device_info: kefir_perf::DeviceInfo,
    /// The last target's size.
    target_size: Option<(u32, u32)>,
    /// The fraction of the display the host sizes its target to
    /// ([`Pacing::host_scales`]; 1 otherwise).
    output_scale: f32,
}

/// The format composite pipelines are built for when rendering to `format`
/// (milk-engine draws sRGB targets through an 8-bit linear intermediate).
fn comp_format(format: wgpu::TextureFormat) -> wgpu::TextureFormat {
    if format.is_srgb() {
        milk_engine::FEEDBACK_FORMAT
    } else {
        format
    }
}

/// Non-negative finite seconds.
fn seconds(value: f64) -> f64 {
    if value.is_finite() {
        value.max(0.0)
    } else {
        0.0
    }
}

impl Player {
    /// A player on the host's device and queue: scans
    /// [`PlayerConfig::preset_dirs`], loads the prefs, starts the worker
    /// thread and loads the first preset (queuing [`PlayerEvent`]s for it).
    /// With no presets found it renders MilkDrop's default preset.
    ///
    /// # Errors
    /// [`PlayerError::Filter`] for an invalid include or exclude glob.
    /// Unreadable directories and prefs files are
    /// [`PlayerEvent::Warning`]s, not errors.
    pub fn new(
        device: wgpu::Device,
        queue: wgpu::Queue,
        config: PlayerConfig,
    ) -> Result<Player, PlayerError> {
        Self::open(device, queue, config, Arc::default(), None)
    }

    /// A player on `device` with `config` and the presets held as `texts`;
    /// with `like`, also that player's marks and broken presets, set before
    /// the first preset is chosen (so it is not one of them).
    fn open(
        device: wgpu::Device,
        queue: wgpu::Queue,
        config: PlayerConfig,
        texts: Arc<Texts>,
        like: Option<&Player>,
    ) -> Result<Player, PlayerError> {
        let mut events = Vec::new();
        let playlist = Self::scan_playlist(&config, &texts, &mut events)?;
        let info = device.adapter_info();
        let device_info = kefir_perf::DeviceInfo {
            name: info.name,
            backend: format!("{:?}", info.backend),
        };
        let mut vis = Visualizer::new(device, queue, config.engine);
        let mut warnings = Vec::new();
        let pacer = Pacer::new(
            config.pacing.clone(),
            vis.render_scale(),
            device_info.clone(),
            &mut warnings,
        );
        events.extend(
            warnings
                .into_iter()
                .map(|message| PlayerEvent::Warning { message }),
        );
        if !config.texture_dirs.is_empty() {
            vis.set_texture_dirs(config.texture_dirs.clone());
        }
        let builder = vis.builder();
        let analyzer = Analyzer::new(AnalyzerConfig {
            beat_sensitivity: config.beat_sensitivity,
        });
        let worker = if config.preload {
            Worker::start()
        } else {
            None
        };
        let mut player = Player {
            vis,
            analyzer,
            playlist: Arc::new(playlist),
            texts,
            rng: rng(config.seed),
            config,
            events,
            worker,
            builder,
            builder_format: wgpu::TextureFormat::Rgba8Unorm,
            generation: 0,
            current: None,
            clock: 0.0,
            fresh: true,
            jitter: 0.0,
            hard_cuts: HardCuts::new(),
            locked: false,
            serial: 0,
            next_job: 0,
            preload: None,
            pending: None,
            prefs_blocked: false,
            stats: PlayerStats::default(),
            pacer,
            device_info,
            target_size: None,
            output_scale: 1.0,
        };
        player.load_prefs();
        if let Some(like) = like {
            player.list().set_prefs(like.playlist.prefs().clone());
            for (path, reason) in like.playlist.broken() {
                player.list().mark_broken(path, reason.clone());
            }
            player.locked = like.locked;
        }
        player.jitter = player.rng.next_f64();
        player.advance(Step::Next, Switch::Cut);
        player.refresh_preload();
        Ok(player)
    }

    /// Scans the preset directories into a playlist (with the presets held
    /// as text after the files).
    fn scan_playlist(
        config: &PlayerConfig,
        texts: &Texts,
        events: &mut Vec<PlayerEvent>,
    ) -> Result<Playlist, PlayerError> {
        let include: Vec<&str> = config.include.iter().map(String::as_str).collect();
        let exclude: Vec<&str> = config.exclude.iter().map(String::as_str).collect();
        let filter = Filter::new(&include, &exclude).map_err(PlayerError::Filter)?;
        let scan = milk_playlist::scan(&config.preset_dirs, &filter);
        for error in scan.errors {
            events.push(PlayerEvent::Warning {
                message: error.to_string(),
            });
        }
        let mut entries = scan.entries;
        entries.extend(texts.order.iter().cloned().map(PresetEntry::new));
        let mut playlist = Playlist::new(entries, config.seed);
        playlist.set_shuffle(config.shuffle);
        Ok(playlist)
    }

    /// Adds presets held as text (hosts without a file system: the
    /// browser's bundled and dropped presets) to the playlist. Each is known
    /// by its `path` (any unique path ending in its file name, e.g.
    /// `bundled/Kefir - Bass Tunnel.milk`: favourites are kept by file
    /// name), which [`Player::select`] takes and events report; its text is
    /// used instead of reading the file. A path added again replaces its
    /// text. The playlist keeps its prefs, broken marks and current preset
    /// but starts a new shuffle round.
    pub fn add_texts(&mut self, presets: impl IntoIterator<Item = (PathBuf, String)>) {
        let texts = Arc::make_mut(&mut self.texts);
        for (path, text) in presets {
            if texts.by_path.insert(path.clone(), text.into()).is_none() {
                texts.order.push(path);
            }
        }
        let mut events = Vec::new();
        let Ok(mut playlist) = Self::scan_playlist(&self.config, &self.texts, &mut events) else {
            return;
        };
        playlist.set_prefs(self.playlist.prefs().clone());
        for (path, reason) in self.playlist.broken() {
            playlist.mark_broken(path, reason.clone());
        }
        if let Some(path) = self.current_path() {
            playlist.select(path);
        }
        self.playlist = Arc::new(playlist);
        self.refresh_preload();
    }

    /// Loads the prefs file into the playlist (empty prefs when there is
    /// none).
    #[cfg(feature = "prefs-file")]
    fn load_prefs(&mut self) {
        self.prefs_blocked = false;
        let prefs = match &self.config.prefs_path {
            None => Prefs::default(),
            Some(path) => match Prefs::load(path) {
                Ok(prefs) => prefs,
                Err(e) => {
                    self.prefs_blocked = true;
                    self.warn(format!(
                        "{e}; favourites and never-again marks will not be saved over it"
                    ));
                    Prefs::default()
                }
            },
        };
        self.list().set_prefs(prefs);
    }

    /// Without the `prefs-file` feature the prefs live in memory only.
    #[cfg(not(feature = "prefs-file"))]
    fn load_prefs(&mut self) {
        self.list().set_prefs(Prefs::default());
    }

    #[cfg(not(feature = "prefs-file"))]
    fn save_prefs(&mut self) {}

    #[cfg(feature = "prefs-file")]
    fn save_prefs(&mut self) {
        let Some(path) = self.config.prefs_path.clone() else {
            return;
        };
        if self.prefs_blocked {
            self.warn(format!(
                "{}: not saved, the file did not load (fix or remove it)",
                path.display()
            ));
            return;
        }
        if let Err(e) = self.playlist.prefs().save(&path) {
            self.warn(e.to_string());
        }
    }

    fn push_event(&mut self, event: PlayerEvent) {
        if self.events.len() >= MAX_EVENTS {
            self.events.remove(0);
        }
        self.events.push(event);
    }

    fn warn(&mut self, message: String) {
        self.push_event(PlayerEvent::Warning { message });
    }

    /// Interleaved f32 PCM (nominally in [-1, 1]) with `channels` channels
    /// (1: mono, 2: left/right, more: the first two are used) at any
    /// `sample_rate`. Push what arrived since the last frame, in chunks of
    /// any size; the analysis does not depend on the chunking.
    pub fn push_audio_f32(&mut self, interleaved: &[f32], channels: u16, sample_rate: u32) {
        self.analyzer
            .push_f32(interleaved, PcmFormat::new(sample_rate, channels));
    }

    /// Moves the audio `input` captured (or its demo signal produced) in the
    /// last `dt` seconds into the analysis: milk-audio's live capture with
    /// its device-loss recovery, for hosts that use it. Never blocks;
    /// returns the frames moved (at 44.1 kHz).
    #[cfg(feature = "capture")]
    pub fn feed(&mut self, input: &mut milk_audio::Input, dt: f64) -> usize {
        input.feed(&mut self.analyzer, dt.max(0.0))
    }

    /// Moves the next `dt` seconds of milk-audio's demo track into the
    /// analysis (hosts without capture: the browser before the user picks
    /// a source). Returns the frames moved (at 44.1 kHz).
    pub fn feed_demo(&mut self, demo: &mut milk_audio::DemoInput, dt: f64) -> usize {
        demo.feed(&mut self.analyzer, dt.max(0.0))
    }

    /// [`Player::push_audio_f32`] for signed 16-bit PCM.
    pub fn push_audio_i16(&mut self, interleaved: &[i16], channels: u16, sample_rate: u32) {
        self.analyzer
            .push_i16(interleaved, PcmFormat::new(sample_rate, channels));
    }

    /// Analyses the audio pushed since the last frame, advances the
    /// playlist when the preset's time is up (with a blend) or on a hard
    /// cut beat, swaps in the preloaded next preset, and renders one frame
    /// `dt` seconds after the previous one into `target` (see
    /// [`Visualizer::render`] for what targets work). A negative or NaN
    /// `dt` counts as 0.
    ///
    /// # Errors
    /// When `target` cannot be rendered to; nothing is drawn then, but the
    /// player's clock and audio have moved on.
    pub fn render(&mut self, dt: f64, target: &wgpu::Texture) -> Result<(), RenderError> {
        let dt = seconds(dt);
        self.target_size = Some((target.width(), target.height()));
        self.poll_worker();
        if self.fresh {
            self.fresh = false;
        } else {
            self.clock += dt;
        }
        if self.locked {
            // MilkDrop restarts the preset's time every frame while locked.
            self.clock = 0.0;
        }
        let audio = self.analyzer.frame(dt as f32);
        let (bass, mid, treb, beat) = (audio.bass, audio.mid, audio.treb, audio.beat);
        let due = self.duration().is_some_and(|d| self.clock + 1e-9 >= d) && !self.locked;
        let settings = HardCutSettings {
            loudness: self.config.hard_cut_loudness,
            half_life: self.config.hard_cut_half_life,
            min_seconds: self.config.hard_cut_min_seconds,
        };
        let levels = AudioFrame {
            bass,
            mid,
            treb,
            beat,
            ..AudioFrame::default()
        };
        let cut = self.hard_cuts.update(
            &levels,
            dt,
            self.clock,
            settings,
            self.config.hard_cuts && !self.locked,
        );
        if (due || cut) && self.pending.is_none() {
            let switch = if due {
                Switch::Blend {
                    seconds: self.config.blend_seconds,
                }
            } else {
                Switch::Cut
            };
            if !self.advance(Step::Next, switch) {
                // Nothing else plays: keep this one for another round.
                self.clock = 0.0;
            }
            self.refresh_preload();
            // This frame is the new preset's first.
            self.fresh = false;
        }
        // The presets' `progress`: how far through its planned time this
        // one is (0 while locked, when the clock stays at 0).
        let progress = self
            .duration()
            .filter(|d| *d > 0.0)
            .map_or(0.0, |d| self.clock / d);
        self.vis.set_progress(progress);
        let result = self.vis.render(dt, self.analyzer.last_frame(), target);
        let format = comp_format(target.format());
        if result.is_ok() && format != self.builder_format {
            // Prepare for the host's target format from now on.
            self.builder = self.vis.builder();
            self.builder_format = format;
            self.generation += 1;
            self.refresh_preload();
        }
        result
    }

    /// Seconds the current preset plays before the timer changes it, if
    /// the timer is on.
    fn duration(&self) -> Option<f64> {
        preset_duration(
            self.config.preset_seconds,
            self.config.preset_seconds_jitter,
            self.config.blend_seconds,
            self.jitter,
        )
    }

    /// The playlist, to change.
    fn list(&mut self) -> &mut Playlist {
        Arc::make_mut(&mut self.playlist)
    }

    fn user_blend(&self) -> Switch {
        Switch::Blend {
            seconds: self.config.user_blend_seconds,
        }
    }

    /// The next preset (forward through history after
    /// [`Player::previous`], else the playlist's next), blending in over
    /// [`PlayerConfig::user_blend_seconds`]. Works while locked.
    pub fn next(&mut self) {
        self.advance(Step::Next, self.user_blend());
        self.refresh_preload();
    }

    /// The preset played before this one, blending in.
    pub fn previous(&mut self) {
        self.advance(Step::Previous, self.user_blend());
        self.refresh_preload();
    }

    /// A random preset (see [`Playlist::random`]), blending in.
    pub fn random(&mut self) {
        self.advance(Step::Random, self.user_blend());
        self.refresh_preload();
    }

    /// The next preset at once, without a blend (MilkDrop's hard cut).
    pub fn hard_cut(&mut self) {
        self.advance(Step::Next, Switch::Cut);
        self.refresh_preload();
    }

    /// Plays the playlist's preset at `path`, blending in. A path not in
    /// the playlist, or marked broken, gives a [`PlayerEvent::Failed`];
    /// use [`Player::load_file`] for files outside the playlist.
    pub fn select(&mut self, path: &Path) {
        if self.list().select(path).is_some() {
            self.start(Source::File(path.to_path_buf()), self.user_blend(), None);
        } else {
            let error = match self.playlist.broken().iter().find(|(p, _)| p == path) {
                Some((_, reason)) => format!("marked broken: {reason}"),
                None => "not in the playlist".to_owned(),
            };
            self.push_event(PlayerEvent::Failed {
                path: Some(path.to_path_buf()),
                error,
            });
        }
        self.refresh_preload();
    }

    /// Plays any `.milk` file, also one outside the playlist, blending in.
    /// The playlist does not move (next goes on from where it was).
    pub fn load_file(&mut self, path: &Path) {
        self.start(Source::File(path.to_path_buf()), self.user_blend(), None);
    }

    /// Plays preset text (the contents of a `.milk` file) shown as `name`,
    /// blending in.
    pub fn load_text(&mut self, name: &str, text: &str) {
        let source = Source::Text {
            name: name.to_owned(),
            text: text.to_owned(),
        };
        self.start(source, self.user_blend(), None);
    }

    /// Replaces the favourites and never-again marks, for hosts that keep
    /// them elsewhere than in [`PlayerConfig::prefs_path`] (the browser's
    /// localStorage, as JSON through serde); nothing is saved.
    pub fn set_prefs(&mut self, prefs: Prefs) {
        self.list().set_prefs(prefs);
        self.refresh_preload();
    }

    /// Locks the current preset (no timer changes, no hard cuts) or
    /// unlocks it; its time starts over on unlock.
    pub fn set_locked(&mut self, locked: bool) {
        self.locked = locked;
    }

    /// Whether the current preset is locked.
    pub fn locked(&self) -> bool {
        self.locked
    }

    /// Marks the current preset a favourite, or unmarks it, and saves the
    /// prefs; returns whether it is a favourite now (false when the current
    /// preset is not a file).
    pub fn toggle_favourite(&mut self) -> bool {
        let Some(path) = self.current_path().map(Path::to_path_buf) else {
            return false;
        };
        let on = self.list().prefs_mut().toggle_favourite(&preset_key(&path));
        self.save_prefs();
        if self.playlist.prefs().favourites_only() {
            self.refresh_preload();
        }
        on
    }

    /// Whether the current preset is a favourite.
    pub fn is_favourite(&self) -> bool {
        self.current_path()
            .is_some_and(|p| self.playlist.prefs().is_favourite(&preset_key(p)))
    }

    /// Plays only favourites (when any are playable), or everything; saved
    /// with the prefs.
    pub fn set_favourites_only(&mut self, on: bool) {
        self.list().prefs_mut().set_favourites_only(on);
        self.save_prefs();
        self.refresh_preload();
    }

    /// Never plays the current preset again (saved with the prefs) and moves
    /// on to the next one. Does nothing when the current preset is not a
    /// file.
    pub fn never_again(&mut self) {
        let Some(path) = self.current_path().map(Path::to_path_buf) else {
            return;
        };
        self.list().prefs_mut().set_never(&preset_key(&path), true);
        self.save_prefs();
        self.advance(Step::Next, self.user_blend());
        self.refresh_preload();
    }

    /// Marks the playlist preset at `path` broken for this session, as a
    /// preset that fails to load is: next, previous and random skip it,
    /// [`Player::select`] refuses it, and [`Playlist::broken`] lists it
    /// with `reason`. For what only the host sees, e.g. a page whose
    /// graphics context was lost while the preset played; a path added to
    /// the playlist later is marked too. Not saved (see
    /// [`Player::never_again`]); the current preset plays on.
    pub fn mark_broken(&mut self, path: &Path, reason: impl Into<String>) {
        self.list().mark_broken(path, reason.into());
        self.refresh_preload();
    }

    /// A player like this one on another device, for a host whose device
    /// was lost (see [`Player::gpu_lost`]): the same settings, presets held
    /// as text, favourites and never-again marks, broken presets and lock;
    /// it starts on another preset when the one playing here is marked
    /// broken (the first preset is chosen with the marks in place). History,
    /// the audio analysis and the picture start afresh.
    ///
    /// # Errors
    /// As [`Player::new`].
    pub fn reopen_on(
        &self,
        device: wgpu::Device,
        queue: wgpu::Queue,
    ) -> Result<Player, PlayerError> {
        Self::open(
            device,
            queue,
            self.config.clone(),
            self.texts.clone(),
            Some(self),
        )
    }

    /// The name of the preset playing (the file name without `.milk`).
    pub fn current_name(&self) -> Option<&str> {
        self.current.as_ref().map(|c| c.name.as_str())
    }

    /// The file of the preset playing; `None` for text presets and before
    /// any preset loaded.
    pub fn current_path(&self) -> Option<&Path> {
        self.current.as_ref().and_then(|c| c.path.as_deref())
    }

    /// Seconds the current preset has played.
    pub fn preset_time(&self) -> f64 {
        self.clock
    }

    /// Seconds until the timer changes the preset; `None` when the timer is
    /// off or the preset is locked.
    pub fn time_left(&self) -> Option<f64> {
        if self.locked {
            return None;
        }
        self.duration().map(|d| (d - self.clock).max(0.0))
    }

    /// The events since the last call, oldest first.
    pub fn poll_events(&mut self) -> Vec<PlayerEvent> {
        std::mem::take(&mut self.events)
    }

    /// The audio analysis of the last frame.
    pub fn audio(&self) -> &AudioFrame {
        self.analyzer.last_frame()
    }

    /// The playlist (presets found, history, broken presets, prefs).
    pub fn playlist(&self) -> &Playlist {
        &self.playlist
    }

    /// The visualizer.
    pub fn visualizer(&self) -> &Visualizer {
        &self.vis
    }

    /// The visualizer, to change. Presets loaded directly on it bypass the
    /// player (no events, no playlist).
    pub fn visualizer_mut(&mut self) -> &mut Visualizer {
        &mut self.vis
    }

    /// Whether a switch waits for the worker
    /// ([`PlayerConfig::defer_switches`]).
    pub fn switch_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Makes a pending switch now: waits for the worker to finish it (in
    /// the browser: does the rest of its steps), for hosts that need the
    /// result before the next frame (the page's `loadPreset` while it is
    /// not rendering). Its events are queued as usual.
    pub fn settle(&mut self) {
        while let Some(id) = self.pending.as_ref().map(|p| p.id) {
            let reply = match &self.worker {
                Some(worker) => worker.recv_timeout(PRELOAD_WAIT),
                None => Err(()),
            };
            match reply {
                Ok(Reply::Done { id: done, result }) if done == id => {
                    if let Some(pending) = self.pending.take() {
                        self.finish_pending(pending, *result);
                    }
                }
                Ok(_) => {}
                Err(()) => {
                    // The worker hung or died: prepare it here.
                    self.worker = None;
                    if let Some(pending) = self.pending.take() {
                        let serial = self.take_serial();
                        let result =
                            worker::prepare(&self.builder, &pending.source, &self.texts, serial);
                        self.finish_pending(pending, result);
                    }
                }
            }
        }
    }

    /// How presets were switched so far.
    pub fn stats(&self) -> PlayerStats {
        self.stats
    }

    /// The settings in effect.
    pub fn config(&self) -> &PlayerConfig {
        &self.config
    }

    /// Changes the settings. Takes effect at once: new preset directories
    /// or filters rescan (the current preset keeps playing), new texture
    /// directories apply to presets loaded from now on, timer changes apply
    /// to the current preset, a new prefs path loads that file, a new
    /// [`milk_engine::Config::render_scale`] applies from the next frame
    /// (with [`Pacing::auto_scale`], as the highest scale), and so does a
    /// new [`milk_engine::Config::blur_scale`]. The rest of
    /// [`PlayerConfig::engine`] and [`PlayerConfig::seed`] only count when
    /// the player is created.
    ///
    /// # Errors
    /// [`PlayerError::Filter`] for an invalid glob; nothing changes then.
    pub fn set_config(&mut self, config: PlayerConfig) -> Result<(), PlayerError> {
        let rescan = config.preset_dirs != self.config.preset_dirs
            || config.include != self.config.include
            || config.exclude != self.config.exclude;
        if rescan {
            let mut events = Vec::new();
            let mut playlist = Self::scan_playlist(&config, &self.texts, &mut events)?;
            playlist.set_prefs(self.playlist.prefs().clone());
            for (path, reason) in self.playlist.broken() {
                playlist.mark_broken(path, reason.clone());
            }
            if let Some(path) = self.current_path() {
                playlist.select(path);
            }
            self.playlist = Arc::new(playlist);
            for event in events {
                self.push_event(event);
            }
        }
        let textures = config.texture_dirs != self.config.texture_dirs;
        let render_scale = config.engine.render_scale != self.config.engine.render_scale;
        let pacing = config.pacing != self.config.pacing || render_scale;
        let prefs = config.prefs_path != self.config.prefs_path;
        if config.engine.blur_scale != self.config.engine.blur_scale {
            self.vis.set_blur_scale(config.engine.blur_scale);
        }
        let engine = milk_engine::Config {
            render_scale: config.engine.render_scale,
            blur_scale: self.vis.blur_scale(),
            ..self.config.engine
        };
        let old_seed = self.config.seed;
        self.config = PlayerConfig {
            engine,
            seed: old_seed,
            ..config
        };
        if textures {
            self.vis.set_texture_dirs(self.config.texture_dirs.clone());
            self.generation += 1;
        }
        if prefs {
            self.load_prefs();
        }
        if pacing {
            // Both sides start over from the configured scale; the pacing
            // then moves its own.
            let before = self.render_scale();
            self.vis.set_render_scale(self.config.engine.render_scale);
            self.output_scale = 1.0;
            let mut warnings = Vec::new();
            self.pacer = Pacer::new(
                self.config.pacing.clone(),
                self.vis.render_scale(),
                self.device_info.clone(),
                &mut warnings,
            );
            for w in warnings {
                self.warn(w);
            }
            let scale = self.pacer.preset_started("", Advice::Play);
            self.apply_scale(scale);
            if (self.render_scale() - before).abs() > 1e-4 {
                self.push_event(PlayerEvent::RenderScale {
                    scale: self.render_scale(),
                });
            }
        }
        if !self.config.preload {
            if let Some(pending) = self.pending.take() {
                // No worker to wait for from now on: prepare it here.
                let serial = self.take_serial();
                let result = worker::prepare(&self.builder, &pending.source, &self.texts, serial);
                self.worker = None;
                self.finish_pending(pending, result);
            }
            self.worker = None;
            self.preload = None;
        } else if self.worker.is_none() {
            self.worker = Worker::start();
        }
        let shuffle = self.config.shuffle;
        if self.playlist.shuffle() != shuffle {
            self.list().set_shuffle(shuffle);
        }
        self.analyzer
            .set_beat_sensitivity(self.config.beat_sensitivity);
        self.refresh_preload();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn player_is_send() {
        fn send<T: Send>() {}
        send::<Player>();
        send::<PlayerEvent>();
    }
}
