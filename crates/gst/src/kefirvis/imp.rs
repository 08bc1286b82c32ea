//! The element: pads, negotiation, buffer pool, QoS and latency, properties
//! and signals around a `kefir_player::Player` on a headless wgpu device.

use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use gst::glib;
use gst::prelude::*;
use gst::subclass::prelude::*;
use gst_video::prelude::*;
use kefir_player::{Player, PlayerConfig, PlayerEvent};
use milk_engine::headless::FrameReader;

use super::framer::{FrameTiming, Framer};
use super::gpu::{self, SharedGpu};
use super::settings::{Command, Settings, parse_mesh};

static CAT: LazyLock<gst::DebugCategory> = LazyLock::new(|| {
    gst::DebugCategory::new(
        "kefirvis",
        gst::DebugColorFlags::empty(),
        Some("Kefir MilkDrop visualizer"),
    )
});

/// Size and rate picked when downstream accepts any.
const DEFAULT_WIDTH: i32 = 640;
const DEFAULT_HEIGHT: i32 = 360;
const DEFAULT_FPS: i32 = 30;
/// Largest frame offered (the device's texture limit is checked too).
const MAX_SIZE: i32 = 8192;

/// Output formats, in order of preference: all 8-bit, 4 bytes a pixel, so a
/// frame is one wgpu texture (RGBA or BGRA order) read back as is.
const VIDEO_FORMATS: [gst_video::VideoFormat; 4] = [
    gst_video::VideoFormat::Bgrx,
    gst_video::VideoFormat::Rgbx,
    gst_video::VideoFormat::Bgra,
    gst_video::VideoFormat::Rgba,
];

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic caught while a lock was held leaves the data usable.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Properties and the requests made since the last frame (set from any
/// thread, taken by the streaming thread).
#[derive(Default)]
struct Control {
    settings: Settings,
    /// Player settings changed since the last frame.
    dirty: bool,
    commands: Vec<Command>,
    /// The preset playing, for `current-preset`.
    current: Option<String>,
}

/// What renders: the player and the texture it draws into.
struct Renderer {
    player: Player,
    target: Option<wgpu::Texture>,
    reader: FrameReader,
}

/// Streaming state.
#[derive(Default)]
struct State {
    /// The process's device ([`gpu`](super::gpu)), taken in NULL -> READY
    /// and let go in READY -> NULL.
    gpu: Option<Arc<SharedGpu>>,
    /// Created in READY -> PAUSED, dropped in PAUSED -> READY.
    renderer: Option<Renderer>,
    audio: Option<gst_audio::AudioInfo>,
    video: Option<gst_video::VideoInfo>,
    framer: Option<Framer>,
    segment: gst::FormattedSegment<gst::ClockTime>,
    pool: Option<gst::BufferPool>,
    /// The incoming buffer as f32, and one frame's share of it.
    converted: Vec<f32>,
    frame_audio: Vec<f32>,
    /// Seconds of frames skipped for QoS since the last rendered one.
    skipped: f64,
    processed: u64,
    dropped: u64,
    /// Events of the element's own to report with the next frame's (a
    /// preset skipped after a lost device).
    events: Vec<PlayerEvent>,
    /// `KEFIR_TEST_GPU_LOSS_FRAMES`: the frame at which to lose the device
    /// on purpose, for the test of what follows a loss.
    test_gpu_loss: Option<u64>,
}

/// Downstream's QoS report (updated from its thread).
#[derive(Default)]
struct Qos {
    proportion: f64,
    earliest: Option<gst::ClockTime>,
    frame_duration: gst::ClockTime,
}

/// What one step of the streaming loop made.
struct Produced {
    buffer: Option<gst::Buffer>,
    events: Vec<PlayerEvent>,
    qos: Option<gst::Message>,
}

pub struct KefirVis {
    sinkpad: gst::Pad,
    srcpad: gst::Pad,
    control: Mutex<Control>,
    state: Mutex<State>,
    qos: Mutex<Qos>,
}

#[glib::object_subclass]
impl ObjectSubclass for KefirVis {
    const NAME: &'static str = "GstKefirVis";
    type Type = super::KefirVis;
    type ParentType = gst::Element;

    fn with_class(klass: &Self::Class) -> Self {
        let sink_templ = klass.pad_template("sink").expect("sink template");
        let sinkpad = gst::Pad::builder_from_template(&sink_templ)
            .chain_function(|pad, parent, buffer| {
                KefirVis::catch_panic_pad_function(
                    parent,
                    || Err(gst::FlowError::Error),
                    |imp| imp.sink_chain(pad, buffer),
                )
            })
            .event_function(|pad, parent, event| {
                KefirVis::catch_panic_pad_function(
                    parent,
                    || false,
                    |imp| imp.sink_event(pad, event),
                )
            })
            .build();
        let src_templ = klass.pad_template("src").expect("src template");
        let srcpad = gst::Pad::builder_from_template(&src_templ)
            .event_function(|pad, parent, event| {
                KefirVis::catch_panic_pad_function(
                    parent,
                    || false,
                    |imp| imp.src_event(pad, event),
                )
            })
            .query_function(|pad, parent, query| {
                KefirVis::catch_panic_pad_function(
                    parent,
                    || false,
                    |imp| imp.src_query(pad, query),
                )
            })
            .build();
        KefirVis {
            sinkpad,
            srcpad,
            control: Mutex::new(Control::default()),
            state: Mutex::new(State::default()),
            qos: Mutex::new(Qos::default()),
        }
    }
}

/// Non-negative finite seconds from a property.
fn seconds(value: f64) -> f64 {
    if value.is_finite() {
        value.max(0.0)
    } else {
        0.0
    }
}

/// A path property: `None` for NULL or "".
fn path_value(value: &glib::Value) -> Option<PathBuf> {
    value
        .get::<Option<String>>()
        .ok()
        .flatten()
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
}

fn path_string(path: &Option<PathBuf>) -> Option<String> {
    path.as_ref().map(|p| p.to_string_lossy().into_owned())
}

impl ObjectImpl for KefirVis {
    fn properties() -> &'static [glib::ParamSpec] {
        static PROPERTIES: LazyLock<Vec<glib::ParamSpec>> = LazyLock::new(|| {
            let d = Settings::default();
            vec![
                glib::ParamSpecString::builder("preset")
                    .nick("Preset")
                    .blurb(
                        "A .milk file to play: first, when preset-dir is set; else alone, with no \
                         automatic changes. Setting it while playing switches to it",
                    )
                    .mutable_playing()
                    .build(),
                glib::ParamSpecString::builder("preset-dir")
                    .nick("Preset directory")
                    .blurb(
                        "Directory scanned recursively for .milk presets (default: the presets \
                         that come with Kefir, or $KEFIR_PRESETS)",
                    )
                    .mutable_playing()
                    .build(),
                glib::ParamSpecString::builder("texture-dir")
                    .nick("Texture directory")
                    .blurb("Directory searched for the textures presets use, after the preset's own")
                    .mutable_playing()
                    .build(),
                glib::ParamSpecDouble::builder("preset-duration")
                    .nick("Preset duration")
                    .blurb("Seconds a preset plays before the next blends in (0: no automatic changes)")
                    .minimum(0.0)
                    .maximum(86_400.0)
                    .default_value(d.preset_duration)
                    .mutable_playing()
                    .build(),
                glib::ParamSpecDouble::builder("preset-jitter")
                    .nick("Preset duration jitter")
                    .blurb("Up to this many random seconds are added to each preset's duration")
                    .minimum(0.0)
                    .maximum(86_400.0)
                    .default_value(d.preset_jitter)
                    .mutable_playing()
                    .build(),
                glib::ParamSpecDouble::builder("blend-duration")
                    .nick("Blend duration")
                    .blurb("Seconds one preset blends into the next (0: cut)")
                    .minimum(0.0)
                    .maximum(60.0)
                    .default_value(d.blend_duration)
                    .mutable_playing()
                    .build(),
                glib::ParamSpecBoolean::builder("shuffle")
                    .nick("Shuffle")
                    .blurb("Play presets in random order (else by file name)")
                    .default_value(d.shuffle)
                    .mutable_playing()
                    .build(),
                glib::ParamSpecBoolean::builder("hard-cuts")
                    .nick("Hard cuts")
                    .blurb("Cut to the next preset on loud beats")
                    .default_value(d.hard_cuts)
                    .mutable_playing()
                    .build(),
                glib::ParamSpecFloat::builder("beat-sensitivity")
                    .nick("Beat sensitivity")
                    .blurb("Beat detection sensitivity: higher finds more beats")
                    .minimum(0.0)
                    .maximum(1.0)
                    .default_value(d.beat_sensitivity)
                    .mutable_playing()
                    .build(),
                glib::ParamSpecBoolean::builder("locked")
                    .nick("Locked")
                    .blurb("Stay on the current preset (no automatic changes or hard cuts)")
                    .default_value(d.locked)
                    .mutable_playing()
                    .build(),
                glib::ParamSpecFloat::builder("render-scale")
                    .nick("Render scale")
                    .blurb(
                        "Render at this fraction of the video's size each side and scale up \
                         (0.5: a quarter of the pixels, for a weak GPU)",
                    )
                    .minimum(milk_engine::MIN_RENDER_SCALE)
                    .maximum(1.0)
                    .default_value(d.render_scale)
                    .mutable_playing()
                    .build(),
                glib::ParamSpecString::builder("mesh-size")
                    .nick("Mesh size")
                    .blurb("Warp mesh cells, COLUMNSxROWS (1 to 512 each)")
                    .default_value(Some("48x36"))
                    .mutable_ready()
                    .build(),
                glib::ParamSpecUInt64::builder("seed")
                    .nick("Seed")
                    .blurb(
                        "Seed of the shuffle, the duration jitter and the presets' random values: \
                         the same seed and audio give the same video",
                    )
                    .default_value(d.seed)
                    .mutable_ready()
                    .build(),
                glib::ParamSpecString::builder("current-preset")
                    .nick("Current preset")
                    .blurb("Name of the preset playing")
                    .read_only()
                    .build(),
            ]
        });
        PROPERTIES.as_ref()
    }

    fn signals() -> &'static [glib::subclass::Signal] {
        static SIGNALS: LazyLock<Vec<glib::subclass::Signal>> = LazyLock::new(|| {
            let action = |name: &'static str, command: Command| {
                glib::subclass::Signal::builder(name)
                    .action()
                    .class_handler(move |args| {
                        if let Some(Ok(element)) = args.first().map(|a| a.get::<super::KefirVis>())
                        {
                            element.imp().queue(command.clone());
                        }
                        None
                    })
                    .build()
            };
            vec![
                // name, path (NULL for presets not loaded from a file).
                glib::subclass::Signal::builder("preset-changed")
                    .param_types([String::static_type(), String::static_type()])
                    .run_last()
                    .build(),
                // path (or NULL), message.
                glib::subclass::Signal::builder("preset-failed")
                    .param_types([String::static_type(), String::static_type()])
                    .run_last()
                    .build(),
                action("next-preset", Command::Next),
                action("previous-preset", Command::Previous),
                action("random-preset", Command::Random),
            ]
        });
        SIGNALS.as_ref()
    }

    fn set_property(&self, _id: usize, value: &glib::Value, pspec: &glib::ParamSpec) {
        let mut control = lock(&self.control);
        let s = &mut control.settings;
        match pspec.name() {
            "preset" => {
                s.preset = path_value(value);
                if let Some(path) = s.preset.clone() {
                    control.commands.push(Command::Load(path));
                }
            }
            "preset-dir" => s.preset_dir = path_value(value),
            "texture-dir" => s.texture_dir = path_value(value),
            "preset-duration" => s.preset_duration = seconds(value.get().unwrap_or(0.0)),
            "preset-jitter" => s.preset_jitter = seconds(value.get().unwrap_or(0.0)),
            "blend-duration" => s.blend_duration = seconds(value.get().unwrap_or(0.0)),
            "shuffle" => s.shuffle = value.get().unwrap_or(true),
            "hard-cuts" => s.hard_cuts = value.get().unwrap_or(false),
            "beat-sensitivity" => s.beat_sensitivity = value.get().unwrap_or(0.5),
            "locked" => s.locked = value.get().unwrap_or(false),
            "render-scale" => {
                s.render_scale = value
                    .get::<f32>()
                    .unwrap_or(1.0)
                    .clamp(milk_engine::MIN_RENDER_SCALE, 1.0)
            }
            "mesh-size" => {
                let text = value.get::<Option<String>>().ok().flatten();
                match parse_mesh(text.as_deref().unwrap_or("48x36")) {
                    Ok(mesh) => s.mesh = mesh,
                    Err(e) => {
                        gst::warning!(CAT, imp = self, "{e}");
                        glib::g_warning!("kefirvis", "{e}; keeping {}x{}", s.mesh.0, s.mesh.1);
                    }
                }
            }
            "seed" => s.seed = value.get().unwrap_or(0),
            other => unreachable!("unknown property {other}"),
        }
        control.dirty = true;
    }

    fn property(&self, _id: usize, pspec: &glib::ParamSpec) -> glib::Value {
        let control = lock(&self.control);
        let s = &control.settings;
        match pspec.name() {
            "preset" => path_string(&s.preset).to_value(),
            "preset-dir" => path_string(&s.preset_dir).to_value(),
            "texture-dir" => path_string(&s.texture_dir).to_value(),
            "preset-duration" => s.preset_duration.to_value(),
            "preset-jitter" => s.preset_jitter.to_value(),
            "blend-duration" => s.blend_duration.to_value(),
            "shuffle" => s.shuffle.to_value(),
            "hard-cuts" => s.hard_cuts.to_value(),
            "beat-sensitivity" => s.beat_sensitivity.to_value(),
            "locked" => s.locked.to_value(),
            "render-scale" => s.render_scale.to_value(),
            "mesh-size" => format!("{}x{}", s.mesh.0, s.mesh.1).to_value(),
            "seed" => s.seed.to_value(),
            "current-preset" => control.current.to_value(),
            other => unreachable!("unknown property {other}"),
        }
    }

    fn constructed(&self) {
        self.parent_constructed();
        let obj = self.obj();
        obj.add_pad(&self.sinkpad).expect("adding the sink pad");
        obj.add_pad(&self.srcpad).expect("adding the src pad");
    }
}

impl GstObjectImpl for KefirVis {}

impl ElementImpl for KefirVis {
    fn metadata() -> Option<&'static gst::subclass::ElementMetadata> {
        static METADATA: LazyLock<gst::subclass::ElementMetadata> = LazyLock::new(|| {
            gst::subclass::ElementMetadata::new(
                "Kefir MilkDrop visualizer",
                "Visualization",
                "Renders MilkDrop presets to the music with Kefir (wgpu, no GL context needed)",
                "The Kefir developers",
            )
        });
        Some(&*METADATA)
    }

    fn pad_templates() -> &'static [gst::PadTemplate] {
        static TEMPLATES: LazyLock<Vec<gst::PadTemplate>> = LazyLock::new(|| {
            let audio = gst_audio::AudioCapsBuilder::new_interleaved()
                .format_list([gst_audio::AUDIO_FORMAT_F32, gst_audio::AUDIO_FORMAT_S16])
                .rate_range(1..=i32::MAX)
                .channels_range(1..=2)
                .build();
            let video = gst_video::VideoCapsBuilder::new()
                .format_list(VIDEO_FORMATS)
                .width_range(16..=MAX_SIZE)
                .height_range(16..=MAX_SIZE)
                .framerate_range(gst::Fraction::new(1, 1)..=gst::Fraction::new(i32::MAX, 1))
                .pixel_aspect_ratio(gst::Fraction::new(1, 1))
                .build();
            vec![
                gst::PadTemplate::new(
                    "sink",
                    gst::PadDirection::Sink,
                    gst::PadPresence::Always,
                    &audio,
                )
                .expect("sink template"),
                gst::PadTemplate::new(
                    "src",
                    gst::PadDirection::Src,
                    gst::PadPresence::Always,
                    &video,
                )
                .expect("src template"),
            ]
        });
        TEMPLATES.as_ref()
    }

    fn change_state(
        &self,
        transition: gst::StateChange,
    ) -> Result<gst::StateChangeSuccess, gst::StateChangeError> {
        match transition {
            gst::StateChange::NullToReady => self.open_device()?,
            gst::StateChange::ReadyToPaused => self.start()?,
            _ => {}
        }
        let success = self.parent_change_state(transition)?;
        match transition {
            gst::StateChange::PausedToReady => self.stop(),
            gst::StateChange::ReadyToNull => lock(&self.state).gpu = None,
            _ => {}
        }
        Ok(success)
    }
}

impl KefirVis {
    fn queue(&self, command: Command) {
        lock(&self.control).commands.push(command);
    }

    /// NULL -> READY: the GPU device (an error here fails the state change
    /// with a message saying what is missing).
    fn open_device(&self) -> Result<(), gst::StateChangeError> {
        let mut state = lock(&self.state);
        if state.gpu.is_some() {
            return Ok(());
        }
        match gpu::shared() {
            Ok(gpu) => {
                gst::info!(
                    CAT,
                    imp = self,
                    "rendering on {}",
                    gpu.headless.adapter_description()
                );
                state.gpu = Some(gpu);
                Ok(())
            }
            Err(e) => {
                gst::element_imp_error!(
                    self,
                    gst::LibraryError::Init,
                    ("No GPU device for rendering"),
                    ["{e}"]
                );
                Err(gst::StateChangeError)
            }
        }
    }

    /// READY -> PAUSED: a player with the current settings.
    fn start(&self) -> Result<(), gst::StateChangeError> {
        let settings = {
            let mut control = lock(&self.control);
            control.dirty = false;
            // The preset property is applied here, not as a command.
            control.commands.retain(|c| !matches!(c, Command::Load(_)));
            control.settings.clone()
        };
        let mut state = lock(&self.state);
        let Some(gpu) = &state.gpu else {
            return Err(gst::StateChangeError);
        };
        let config = settings.player_config(&PlayerConfig::default());
        let mut player = match Player::new(
            gpu.headless.device.clone(),
            gpu.headless.queue.clone(),
            config,
        ) {
            Ok(player) => player,
            Err(e) => {
                gst::element_imp_error!(self, gst::LibraryError::Settings, ("{e}"));
                return Err(gst::StateChangeError);
            }
        };
        player.set_locked(settings.locked);
        if let (Some(file), Some(_)) = (&settings.preset, &settings.preset_dir) {
            // Start on `preset` within the directory's playlist, cut in.
            let config = player.config().clone();
            let cut = PlayerConfig {
                user_blend_seconds: 0.0,
                ..config.clone()
            };
            if player.set_config(cut).is_ok() {
                player.load_file(file);
                let _ = player.set_config(config);
            }
        }
        state.renderer = Some(Renderer {
            player,
            target: None,
            reader: FrameReader::new(),
        });
        state.skipped = 0.0;
        state.processed = 0;
        state.dropped = 0;
        state.events.clear();
        state.test_gpu_loss = std::env::var("KEFIR_TEST_GPU_LOSS_FRAMES")
            .ok()
            .and_then(|s| s.parse().ok());
        state.segment = gst::FormattedSegment::new();
        if let Some(framer) = &mut state.framer {
            framer.reset();
        }
        drop(state);
        let mut qos = lock(&self.qos);
        qos.earliest = None;
        qos.proportion = 1.0;
        Ok(())
    }

    /// PAUSED -> READY: drops the player and the pool.
    fn stop(&self) {
        let mut state = lock(&self.state);
        state.renderer = None;
        if let Some(pool) = state.pool.take() {
            let _ = pool.set_active(false);
        }
        state.framer = None;
        state.audio = None;
        state.video = None;
        lock(&self.control).current = None;
    }

    fn sink_event(&self, pad: &gst::Pad, event: gst::Event) -> bool {
        use gst::EventView;
        gst::log!(CAT, obj = pad, "sink event {event:?}");
        match event.view() {
            EventView::Caps(c) => {
                let Ok(info) = gst_audio::AudioInfo::from_caps(c.caps()) else {
                    gst::warning!(CAT, imp = self, "unusable audio caps {:?}", c.caps());
                    return false;
                };
                let mut state = lock(&self.state);
                state.audio = Some(info);
                state.framer = None;
                if let Err(e) = self.negotiate(&mut state) {
                    // Tried again on the next buffer.
                    gst::debug!(CAT, imp = self, "video negotiation failed: {e:?}");
                    self.srcpad.mark_reconfigure();
                }
                true
            }
            EventView::Segment(s) => {
                let mut state = lock(&self.state);
                state.segment = s
                    .segment()
                    .downcast_ref::<gst::ClockTime>()
                    .cloned()
                    .unwrap_or_default();
                drop(state);
                self.srcpad.push_event(event)
            }
            EventView::FlushStop(_) => {
                let mut state = lock(&self.state);
                if let Some(framer) = &mut state.framer {
                    framer.reset();
                }
                state.skipped = 0.0;
                drop(state);
                lock(&self.qos).earliest = None;
                self.srcpad.push_event(event)
            }
            _ => gst::Pad::event_default(pad, Some(&*self.obj()), event),
        }
    }

    fn src_event(&self, pad: &gst::Pad, event: gst::Event) -> bool {
        use gst::EventView;
        match event.view() {
            EventView::Qos(q) => {
                let (_, proportion, diff, timestamp) = q.get();
                let mut qos = lock(&self.qos);
                qos.proportion = proportion;
                if let Some(ts) = timestamp {
                    // As GStreamer's video elements: when late, the next
                    // frame worth showing is about twice as late.
                    qos.earliest = Some(if diff >= 0 {
                        ts + gst::ClockTime::from_nseconds(2 * diff.unsigned_abs())
                            + qos.frame_duration
                    } else {
                        ts.saturating_sub(gst::ClockTime::from_nseconds(diff.unsigned_abs()))
                    });
                }
                drop(qos);
                self.sinkpad.push_event(event)
            }
            // Our output format is our business: upstream audio need not
            // renegotiate (the pad's NEED_RECONFIGURE flag is set already).
            EventView::Reconfigure(_) => true,
            _ => gst::Pad::event_default(pad, Some(&*self.obj()), event),
        }
    }

    fn src_query(&self, pad: &gst::Pad, query: &mut gst::QueryRef) -> bool {
        use gst::QueryViewMut;
        match query.view_mut() {
            QueryViewMut::Latency(q) => {
                let mut upstream = gst::query::Latency::new();
                if !self.sinkpad.peer_query(&mut upstream) {
                    return false;
                }
                let (live, min, max) = upstream.result();
                // A frame is made once all of its audio is in.
                let ours = lock(&self.qos).frame_duration;
                q.set(live, min + ours, max.map(|m| m + ours));
                true
            }
            _ => gst::Pad::query_default(pad, Some(&*self.obj()), query),
        }
    }

    /// Picks the output format (downstream's first choice; size and rate
    /// nearest 640x360 at 30 fps), announces it and sets up a buffer pool.
    fn negotiate(&self, state: &mut State) -> Result<(), gst::FlowError> {
        let audio = state.audio.clone().ok_or(gst::FlowError::NotNegotiated)?;
        let templ = self.srcpad.pad_template_caps();
        let mut caps = self.srcpad.peer_query_caps(Some(&templ));
        if caps.is_empty() {
            gst::debug!(CAT, imp = self, "downstream takes none of {templ:?}");
            return Err(gst::FlowError::NotNegotiated);
        }
        caps.truncate();
        {
            let caps = caps.make_mut();
            if let Some(s) = caps.structure_mut(0) {
                s.fixate_field_nearest_int("width", DEFAULT_WIDTH);
                s.fixate_field_nearest_int("height", DEFAULT_HEIGHT);
                s.fixate_field_nearest_fraction("framerate", gst::Fraction::new(DEFAULT_FPS, 1));
                if s.has_field("pixel-aspect-ratio") {
                    s.fixate_field_nearest_fraction("pixel-aspect-ratio", gst::Fraction::new(1, 1));
                }
            }
        }
        caps.fixate();
        let info =
            gst_video::VideoInfo::from_caps(&caps).map_err(|_| gst::FlowError::NotNegotiated)?;
        let fps = info.fps();
        if fps.numer() <= 0 || fps.denom() <= 0 {
            gst::element_imp_error!(
                self,
                gst::CoreError::Negotiation,
                ("kefirvis needs a fixed frame rate, got {fps}")
            );
            return Err(gst::FlowError::NotNegotiated);
        }
        if let Some(gpu) = &state.gpu {
            let max = gpu.headless.device.limits().max_texture_dimension_2d;
            if info.width() > max || info.height() > max {
                gst::element_imp_error!(
                    self,
                    gst::CoreError::Negotiation,
                    (
                        "{}x{} is larger than the GPU's {max}x{max}",
                        info.width(),
                        info.height()
                    )
                );
                return Err(gst::FlowError::NotNegotiated);
            }
        }
        gst::debug!(CAT, imp = self, "output {caps:?}");
        if !self.srcpad.push_event(gst::event::Caps::new(&caps)) {
            return Err(gst::FlowError::NotNegotiated);
        }
        let pool = self.decide_allocation(&caps, &info)?;
        if let Some(old) = state.pool.replace(pool) {
            let _ = old.set_active(false);
        }
        let framer = Framer::new(
            audio.rate(),
            audio.channels() as usize,
            fps.numer() as u32,
            fps.denom() as u32,
        );
        lock(&self.qos).frame_duration = gst::ClockTime::from_nseconds(framer.frame_duration());
        state.framer = Some(framer);
        state.video = Some(info);
        Ok(())
    }

    /// Downstream's pool if it offers one that takes our configuration,
    /// else a video buffer pool of our own; with video meta (strides of
    /// downstream's choice) when downstream supports it.
    fn decide_allocation(
        &self,
        caps: &gst::Caps,
        info: &gst_video::VideoInfo,
    ) -> Result<gst::BufferPool, gst::FlowError> {
        let mut query = gst::query::Allocation::new(Some(caps), true);
        if !self.srcpad.peer_query(&mut query) {
            gst::debug!(CAT, imp = self, "no allocation answer from downstream");
        }
        let size = u32::try_from(info.size()).map_err(|_| gst::FlowError::NotNegotiated)?;
        let video_meta = query
            .find_allocation_meta::<gst_video::VideoMeta>()
            .is_some();
        let configure = |pool: &gst::BufferPool, size: u32, min: u32, max: u32| {
            let mut config = pool.config();
            config.set_params(Some(caps), size, min, max);
            if video_meta {
                config.add_option(gst_video::BUFFER_POOL_OPTION_VIDEO_META);
            }
            pool.set_config(config).is_ok() && pool.set_active(true).is_ok()
        };
        if let Some((Some(pool), offered, min, max)) = query.allocation_pools().next()
            && configure(&pool, offered.max(size), min, max)
        {
            return Ok(pool);
        }
        let pool = gst_video::VideoBufferPool::new().upcast::<gst::BufferPool>();
        if configure(&pool, size, 0, 0) {
            Ok(pool)
        } else {
            gst::element_imp_error!(
                self,
                gst::ResourceError::Settings,
                ("No usable buffer pool")
            );
            Err(gst::FlowError::NotNegotiated)
        }
    }

    fn sink_chain(
        &self,
        _pad: &gst::Pad,
        buffer: gst::Buffer,
    ) -> Result<gst::FlowSuccess, gst::FlowError> {
        if self.srcpad.check_reconfigure() {
            let mut state = lock(&self.state);
            if let Err(e) = self.negotiate(&mut state) {
                self.srcpad.mark_reconfigure();
                if self.srcpad.pad_flags().contains(gst::PadFlags::FLUSHING) {
                    return Err(gst::FlowError::Flushing);
                }
                return Err(e);
            }
        }
        self.take_audio(&buffer)?;
        loop {
            let produced = {
                let mut state = lock(&self.state);
                self.next_frame(&mut state)?
            };
            let Some(produced) = produced else {
                return Ok(gst::FlowSuccess::Ok);
            };
            if let Some(message) = produced.qos {
                let _ = self.obj().post_message(message);
            }
            self.report(produced.events);
            let errors = lock(&self.state)
                .gpu
                .as_ref()
                .map(|gpu| gpu.take_errors())
                .unwrap_or_default();
            for error in errors {
                gst::element_imp_warning!(self, gst::LibraryError::Failed, ("GPU error: {error}"));
            }
            if let Some(buffer) = produced.buffer {
                self.srcpad.push(buffer)?;
            }
        }
    }

    /// The GPU device was lost (a reset): takes the process's new device
    /// ([`gpu::shared`]) and a player like the old one on it
    /// ([`Player::reopen_on`]), skipping the preset that was playing
    /// ([`Player::gpu_lost`]), reported as a failed preset.
    fn replace_lost_device(&self, state: &mut State) -> Result<(), gst::FlowError> {
        let gpu = gpu::shared().map_err(|e| {
            gst::element_imp_error!(
                self,
                gst::LibraryError::Init,
                ("The GPU was lost and no new device opened"),
                ["{e}"]
            );
            gst::FlowError::Error
        })?;
        if let Some(renderer) = state.renderer.as_mut() {
            let path = renderer
                .player
                .current_path()
                .map(std::path::Path::to_path_buf);
            let name = renderer.player.gpu_lost();
            let player = renderer
                .player
                .reopen_on(gpu.headless.device.clone(), gpu.headless.queue.clone())
                .map_err(|e| {
                    gst::element_imp_error!(self, gst::LibraryError::Settings, ("{e}"));
                    gst::FlowError::Error
                })?;
            state.events.extend(renderer.player.poll_events());
            state.events.push(PlayerEvent::Failed {
                path,
                error: match name {
                    Some(name) => format!(
                        "the GPU was lost while \"{name}\" played: skipped, on a new device"
                    ),
                    None => "the GPU was lost: rendering on a new device".to_owned(),
                },
            });
            *renderer = Renderer {
                player,
                target: None,
                reader: FrameReader::new(),
            };
        }
        state.gpu = Some(gpu);
        Ok(())
    }

    /// Converts the buffer's samples to f32 and hands them to the framer.
    fn take_audio(&self, buffer: &gst::Buffer) -> Result<(), gst::FlowError> {
        let mut state = lock(&self.state);
        let info = state.audio.clone().ok_or(gst::FlowError::NotNegotiated)?;
        let map = buffer.map_readable().map_err(|_| {
            gst::element_imp_error!(
                self,
                gst::CoreError::Failed,
                ("Cannot read an audio buffer")
            );
            gst::FlowError::Error
        })?;
        let mut converted = std::mem::take(&mut state.converted);
        converted.clear();
        match info.format() {
            gst_audio::AudioFormat::F32le | gst_audio::AudioFormat::F32be => {
                let be = info.format() == gst_audio::AudioFormat::F32be;
                converted.extend(map.chunks_exact(4).map(|b| {
                    let b = [b[0], b[1], b[2], b[3]];
                    if be {
                        f32::from_be_bytes(b)
                    } else {
                        f32::from_le_bytes(b)
                    }
                }));
            }
            gst_audio::AudioFormat::S16le | gst_audio::AudioFormat::S16be => {
                let be = info.format() == gst_audio::AudioFormat::S16be;
                converted.extend(map.chunks_exact(2).map(|b| {
                    let b = [b[0], b[1]];
                    f32::from(if be {
                        i16::from_be_bytes(b)
                    } else {
                        i16::from_le_bytes(b)
                    }) / 32768.0
                }));
            }
            other => {
                gst::element_imp_error!(
                    self,
                    gst::CoreError::Negotiation,
                    ("Unexpected audio format {other:?}")
                );
                return Err(gst::FlowError::NotNegotiated);
            }
        }
        drop(map);
        let fallback = state.segment.start().map_or(0, |t| t.nseconds());
        let discont = buffer.flags().contains(gst::BufferFlags::DISCONT);
        let Some(framer) = state.framer.as_mut() else {
            state.converted = converted;
            return Err(gst::FlowError::NotNegotiated);
        };
        framer.push(
            buffer.pts().map(|t| t.nseconds()),
            fallback,
            discont,
            &converted,
        );
        state.converted = converted;
        Ok(())
    }

    /// Makes the next frame if its audio is all in: renders it, or skips it
    /// when downstream said it would be too late (QoS).
    fn next_frame(&self, state: &mut State) -> Result<Option<Produced>, gst::FlowError> {
        let (Some(framer), Some(audio)) = (state.framer.as_mut(), state.audio.as_ref()) else {
            return Err(gst::FlowError::NotNegotiated);
        };
        let Some(timing) = framer.pop(&mut state.frame_audio) else {
            return Ok(None);
        };
        let (channels, rate) = (audio.channels() as u16, audio.rate());
        let Some(renderer) = state.renderer.as_mut() else {
            return Err(gst::FlowError::Flushing);
        };
        renderer
            .player
            .push_audio_f32(&state.frame_audio, channels, rate);
        let pts = gst::ClockTime::from_nseconds(timing.pts);
        let duration = gst::ClockTime::from_nseconds(timing.duration);
        if let Some(message) = self.qos_skip(state, pts, duration) {
            state.dropped += 1;
            state.skipped += duration.seconds_f64();
            return Ok(Some(Produced {
                buffer: None,
                events: Vec::new(),
                qos: Some(message),
            }));
        }
        state.processed += 1;
        let dt = duration.seconds_f64() + std::mem::take(&mut state.skipped);
        let buffer = self.render(state, timing, dt)?;
        let mut events = std::mem::take(&mut state.events);
        events.extend(
            state
                .renderer
                .as_mut()
                .map(|r| r.player.poll_events())
                .unwrap_or_default(),
        );
        Ok(Some(Produced {
            buffer: Some(buffer),
            events,
            qos: None,
        }))
    }

    /// A QoS message if the frame at `pts` would reach downstream too late.
    fn qos_skip(
        &self,
        state: &State,
        pts: gst::ClockTime,
        duration: gst::ClockTime,
    ) -> Option<gst::Message> {
        let running = state.segment.to_running_time(pts)?;
        let (earliest, proportion) = {
            let qos = lock(&self.qos);
            (qos.earliest?, qos.proportion)
        };
        if running + duration > earliest {
            return None;
        }
        gst::debug!(
            CAT,
            imp = self,
            "QoS: skipping the frame at {pts} (earliest {earliest})"
        );
        let jitter = earliest.nseconds() as i64 - (running + duration).nseconds() as i64;
        Some(
            gst::message::Qos::builder(false)
                .running_time(running + duration)
                .stream_time(state.segment.to_stream_time(pts))
                .timestamp(pts)
                .duration(duration)
                .values(jitter, proportion, 1_000_000)
                .stats(
                    gst::format::Buffers::from_u64(state.processed),
                    gst::format::Buffers::from_u64(state.dropped + 1),
                )
                .src(&*self.obj())
                .build(),
        )
    }

    /// Applies what hosts asked for since the last frame.
    fn apply_control(&self, player: &mut Player) {
        let (settings, commands) = {
            let mut control = lock(&self.control);
            let settings = control.dirty.then(|| control.settings.clone());
            control.dirty = false;
            (settings, std::mem::take(&mut control.commands))
        };
        if let Some(settings) = settings {
            let config = settings.player_config(player.config());
            if config != *player.config()
                && let Err(e) = player.set_config(config)
            {
                gst::element_imp_warning!(self, gst::LibraryError::Settings, ("{e}"));
            }
            if player.locked() != settings.locked {
                player.set_locked(settings.locked);
            }
        }
        for command in commands {
            match command {
                Command::Load(path) => player.load_file(&path),
                Command::Next => player.next(),
                Command::Previous => player.previous(),
                Command::Random => player.random(),
            }
        }
    }

    /// Renders one frame and reads it into a buffer from the pool.
    fn render(
        &self,
        state: &mut State,
        timing: FrameTiming,
        dt: f64,
    ) -> Result<gst::Buffer, gst::FlowError> {
        if let (Some(frame), Some(gpu)) = (state.test_gpu_loss, &state.gpu)
            && state.processed >= frame
        {
            state.test_gpu_loss = None;
            gpu.lose();
        }
        if state.gpu.as_ref().is_some_and(|gpu| gpu.is_lost()) {
            self.replace_lost_device(state)?;
        }
        let State {
            gpu,
            renderer,
            video,
            pool,
            ..
        } = state;
        let (Some(gpu), Some(renderer), Some(info), Some(pool)) = (
            gpu.as_ref(),
            renderer.as_mut(),
            video.as_ref(),
            pool.as_ref(),
        ) else {
            return Err(gst::FlowError::NotNegotiated);
        };
        self.apply_control(&mut renderer.player);
        let format = match info.format() {
            gst_video::VideoFormat::Rgbx | gst_video::VideoFormat::Rgba => {
                wgpu::TextureFormat::Rgba8Unorm
            }
            _ => wgpu::TextureFormat::Bgra8Unorm,
        };
        let target = match &renderer.target {
            Some(t)
                if t.width() == info.width()
                    && t.height() == info.height()
                    && t.format() == format =>
            {
                t.clone()
            }
            _ => {
                let t = gpu
                    .headless
                    .device
                    .create_texture(&wgpu::TextureDescriptor {
                        label: Some("kefirvis frame"),
                        size: wgpu::Extent3d {
                            width: info.width(),
                            height: info.height(),
                            depth_or_array_layers: 1,
                        },
                        mip_level_count: 1,
                        sample_count: 1,
                        dimension: wgpu::TextureDimension::D2,
                        format,
                        usage: wgpu::TextureUsages::RENDER_ATTACHMENT
                            | wgpu::TextureUsages::COPY_SRC,
                        view_formats: &[],
                    });
                renderer.target = Some(t.clone());
                t
            }
        };
        if let Err(e) = renderer.player.render(dt, &target) {
            gst::element_imp_error!(self, gst::LibraryError::Failed, ("Rendering failed: {e}"));
            return Err(gst::FlowError::Error);
        }
        let mut buffer = pool.acquire_buffer(None)?;
        {
            let buffer = buffer.get_mut().ok_or(gst::FlowError::Error)?;
            buffer.set_pts(gst::ClockTime::from_nseconds(timing.pts));
            buffer.set_duration(gst::ClockTime::from_nseconds(timing.duration));
            if timing.discont {
                buffer.set_flags(gst::BufferFlags::DISCONT);
            }
            let mut frame = gst_video::VideoFrameRef::from_buffer_ref_writable(buffer, info)
                .map_err(|_| gst::FlowError::Error)?;
            let stride =
                usize::try_from(frame.plane_stride()[0]).map_err(|_| gst::FlowError::Error)?;
            let data = frame.plane_data_mut(0).map_err(|_| gst::FlowError::Error)?;
            if let Err(e) = renderer.reader.read_into(
                &gpu.headless.device,
                &gpu.headless.queue,
                &target,
                data,
                stride,
            ) {
                gst::element_imp_error!(
                    self,
                    gst::LibraryError::Failed,
                    ("Reading the frame back failed: {e}")
                );
                return Err(gst::FlowError::Error);
            }
        }
        Ok(buffer)
    }

    /// Tells the application about preset changes and failures: bus
    /// messages (an element message per change, a warning per failure) and
    /// signals. Runs with no lock held, so handlers may use the element.
    fn report(&self, events: Vec<PlayerEvent>) {
        for event in events {
            match event {
                PlayerEvent::Switched {
                    path,
                    name,
                    blend,
                    report,
                } => {
                    gst::info!(
                        CAT,
                        imp = self,
                        "preset {name} ({} code errors, {} shader fallbacks, {:.1} ms)",
                        report.errors.len(),
                        report.shader_failures.len(),
                        report.prepare_time.as_secs_f64() * 1e3
                    );
                    for e in &report.errors {
                        gst::warning!(CAT, imp = self, "{name}: {e}");
                    }
                    for f in &report.shader_failures {
                        gst::warning!(CAT, imp = self, "{name}: {f}");
                    }
                    lock(&self.control).current = Some(name.clone());
                    let path = path_string(&path);
                    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
                    let structure = gst::Structure::builder("kefir-preset")
                        .field("name", &name)
                        .field_if_some("path", path.clone())
                        .field("blend", blend)
                        .field("code-errors", count(report.errors.len()))
                        .field("shader-failures", count(report.shader_failures.len()))
                        .field("missing-textures", count(report.texture_warnings.len()))
                        .field("prepare-ms", report.prepare_time.as_secs_f64() * 1e3)
                        .build();
                    let obj = self.obj();
                    let _ = obj
                        .post_message(gst::message::Element::builder(structure).src(&*obj).build());
                    obj.emit_by_name::<()>("preset-changed", &[&name, &path]);
                }
                PlayerEvent::Failed { path, error } => {
                    let shown = path
                        .as_ref()
                        .map_or_else(|| "preset text".to_owned(), |p| p.display().to_string());
                    gst::element_imp_warning!(
                        self,
                        gst::StreamError::Decode,
                        ("Skipped a preset that does not load: {shown}"),
                        ["{error}"]
                    );
                    self.obj()
                        .emit_by_name::<()>("preset-failed", &[&path_string(&path), &error]);
                }
                PlayerEvent::Warning { message } => {
                    gst::element_imp_warning!(self, gst::ResourceError::Settings, ("{message}"));
                }
                _ => {}
            }
        }
    }
}
