//! Preparing presets: reading, parsing and [`PresetBuilder::prepare`], on a
//! worker thread (the next preset, while the current one plays) or, when
//! the worker has not got to it, on the render thread.

use std::any::Any;
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use milk_engine::{PreparedPreset, PresetBuilder};
use milk_parser::Preset;
use milk_playlist::Playlist;

/// Where a preset comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// A `.milk` file.
    File(PathBuf),
    /// Preset text handed over by the host, with a display name.
    Text { name: String, text: String },
}

impl Source {
    /// The file, for files.
    pub(crate) fn path(&self) -> Option<&Path> {
        match self {
            Source::File(path) => Some(path),
            Source::Text { .. } => None,
        }
    }

    /// What players show: the file name without `.milk`, or the given name.
    pub(crate) fn name(&self) -> String {
        match self {
            Source::File(path) => display_name(path),
            Source::Text { name, .. } => name.clone(),
        }
    }
}

/// A file's name without its `.milk` extension (any case).
pub(crate) fn display_name(path: &Path) -> String {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    match file.len().checked_sub(5) {
        Some(cut) if file.is_char_boundary(cut) && file[cut..].eq_ignore_ascii_case(".milk") => {
            file[..cut].to_owned()
        }
        _ => file,
    }
}

/// Preset texts the host handed over ([`crate::Player::add_texts`]), by the
/// path the playlist knows them by; looked up before the file system.
#[derive(Debug, Default, Clone)]
pub(crate) struct Texts {
    pub(crate) order: Vec<PathBuf>,
    pub(crate) by_path: HashMap<PathBuf, Arc<str>>,
}

/// A prepared preset, or why there is none.
pub(crate) type Prepared = Result<PreparedPreset, String>;

/// Reads, parses and prepares `source`. Never panics: a panic anywhere in
/// the parser or the engine becomes an error.
pub(crate) fn prepare(
    builder: &PresetBuilder,
    source: &Source,
    texts: &Texts,
    serial: u64,
) -> Prepared {
    catch_unwind(AssertUnwindSafe(|| {
        prepare_inner(builder, source, texts, serial)
    }))
    .unwrap_or_else(|panic| Err(format!("internal error: {}", panic_message(&panic))))
}

fn prepare_inner(builder: &PresetBuilder, source: &Source, texts: &Texts, serial: u64) -> Prepared {
    let (preset, dir) = load(source, texts)?;
    Ok(builder.prepare(&preset, dir, serial))
}

/// Reads and parses `source`; the preset and its directory (searched for
/// user textures).
fn load<'a>(source: &'a Source, texts: &Texts) -> Result<(Preset, Option<&'a Path>), String> {
    match source {
        Source::File(path) if texts.by_path.contains_key(path) => {
            let text = &texts.by_path[path];
            Ok((Preset::parse(text).map_err(|e| e.to_string())?, None))
        }
        Source::File(path) => {
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
            let preset = Preset::from_bytes(&bytes).map_err(|e| e.to_string())?;
            Ok((preset, path.parent()))
        }
        Source::Text { text, .. } => Ok((Preset::parse(text).map_err(|e| e.to_string())?, None)),
    }
}

/// The text of a panic payload.
pub(crate) fn panic_message(panic: &Box<dyn Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_owned()
    }
}

#[cfg(target_arch = "wasm32")]
pub(crate) use stepped::Worker;
#[cfg(not(target_arch = "wasm32"))]
pub(crate) use threaded::Worker;

/// What a job asks the worker for.
pub(crate) enum Task {
    /// The preset `Playlist::next` would give after this playlist's
    /// current one (the look-ahead).
    Next(Arc<Playlist>),
    /// This preset (a switch the player defers until it is prepared).
    Source(Source),
}

/// What the worker reports about a job: first which preset it is, then the
/// prepared preset.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub(crate) enum Reply {
    /// The preset `Playlist::next` would give (`None`: nothing to play;
    /// no `Done` follows then). Only for [`Task::Next`].
    Peeked { id: u64, path: Option<PathBuf> },
    /// The preset of job `id`, prepared (or why not).
    Done { id: u64, result: Box<Prepared> },
}

/// In the browser (wasm32) wgpu's objects cannot cross threads, so the
/// "worker" runs on the page's thread, a step at a time: each
/// [`Worker::try_recv`] (the player polls once per frame) does one part of
/// the job (look ahead in the playlist and parse, then the steps of
/// [`milk_engine::Preparation`]: the equations, each shader's translation,
/// the pipelines), so preparing the next preset never stalls a frame for
/// the whole of it. [`Worker::recv_timeout`] (the player needs the preset
/// now) runs the job to its end. Compiled on every target so its tests run
/// natively; only wasm32 uses it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod stepped {
    use super::*;
    use std::cell::{Cell, RefCell};
    use std::collections::VecDeque;

    use milk_engine::Preparation;

    struct Job {
        id: u64,
        state: State,
        texts: Arc<Texts>,
        serial: u64,
        builder: PresetBuilder,
    }

    enum State {
        /// Find the preset the playlist would play next, read and parse it.
        Peek(Arc<Playlist>),
        /// Read and parse this one.
        Load(Source),
        /// Prepare it.
        Prepare(Box<Preparation>),
    }

    /// The stepping worker.
    #[derive(Default)]
    pub(crate) struct Worker {
        job: RefCell<Option<Job>>,
        replies: RefCell<VecDeque<Reply>>,
        /// This run of `try_recv` calls has done its step (and returned
        /// its reply): the next call returns `None`.
        stepped: Cell<bool>,
    }

    impl Worker {
        pub(crate) fn start() -> Option<Worker> {
            Some(Worker::default())
        }

        /// Asks for `task`, replacing any job under way.
        pub(crate) fn send(
            &self,
            id: u64,
            task: Task,
            texts: Arc<Texts>,
            serial: u64,
            builder: PresetBuilder,
        ) {
            let state = match task {
                Task::Next(playlist) => State::Peek(playlist),
                Task::Source(source) => State::Load(source),
            };
            *self.job.borrow_mut() = Some(Job {
                id,
                state,
                texts,
                serial,
                builder,
            });
        }

        /// A reply, if one is waiting; else does one step of the job (at
        /// most one per run of calls that ends in `None`).
        pub(crate) fn try_recv(&self) -> Option<Reply> {
            if let Some(reply) = self.replies.borrow_mut().pop_front() {
                return Some(reply);
            }
            if self.stepped.replace(false) {
                return None;
            }
            self.step();
            let reply = self.replies.borrow_mut().pop_front();
            // The caller calls again after a reply: that call ends the run.
            self.stepped.set(reply.is_some());
            reply
        }

        /// The next reply, doing as many steps as it takes; `Err` when
        /// there is no job.
        pub(crate) fn recv_timeout(&self, _: Duration) -> Result<Reply, ()> {
            loop {
                if let Some(reply) = self.replies.borrow_mut().pop_front() {
                    return Ok(reply);
                }
                if !self.step() {
                    return Err(());
                }
            }
        }

        /// One step of the job; false when there is none.
        fn step(&self) -> bool {
            let Some(mut job) = self.job.borrow_mut().take() else {
                return false;
            };
            let id = job.id;
            let outcome = catch_unwind(AssertUnwindSafe(|| advance(&mut job)));
            let (replies, keep) = match outcome {
                Ok(result) => result,
                Err(panic) => (
                    vec![Reply::Done {
                        id,
                        result: Box::new(Err(format!("internal error: {}", panic_message(&panic)))),
                    }],
                    false,
                ),
            };
            self.replies.borrow_mut().extend(replies);
            if keep {
                *self.job.borrow_mut() = Some(job);
            }
            true
        }
    }

    /// Moves `job` on by one step: the replies it gives and whether the job
    /// goes on.
    fn advance(job: &mut Job) -> (Vec<Reply>, bool) {
        let id = job.id;
        let done = |result: Prepared| Reply::Done {
            id,
            result: Box::new(result),
        };
        match &mut job.state {
            State::Peek(playlist) => {
                let mut probe = Playlist::clone(playlist);
                let path = probe.next().map(|entry| entry.path.clone());
                let mut replies = vec![Reply::Peeked {
                    id,
                    path: path.clone(),
                }];
                let Some(path) = path else {
                    return (replies, false);
                };
                let (more, keep) = begin(job, &Source::File(path));
                replies.extend(more);
                (replies, keep)
            }
            State::Load(source) => {
                let source = source.clone();
                begin(job, &source)
            }
            State::Prepare(preparation) => match preparation.step() {
                Some(prepared) => (vec![done(Ok(prepared))], false),
                None => (Vec::new(), true),
            },
        }
    }

    /// Reads and parses `source` and starts preparing it (or replies why
    /// it cannot be read).
    fn begin(job: &mut Job, source: &Source) -> (Vec<Reply>, bool) {
        match load(source, &job.texts) {
            Ok((preset, dir)) => {
                let dir = dir.map(Path::to_path_buf);
                job.state = State::Prepare(Box::new(job.builder.begin(preset, dir, job.serial)));
                (Vec::new(), true)
            }
            Err(e) => (
                vec![Reply::Done {
                    id: job.id,
                    result: Box::new(Err(e)),
                }],
                false,
            ),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod threaded {
    use super::*;
    use std::sync::{Condvar, Mutex, MutexGuard, mpsc};
    use std::thread;

    /// A request: find the preset the playlist would play next (the look-ahead
    /// runs here, not on the render thread: cloning a large playlist costs
    /// milliseconds) and prepare it.
    struct Job {
        id: u64,
        task: Task,
        texts: Arc<Texts>,
        serial: u64,
        builder: PresetBuilder,
    }

    /// The job slot: only the newest job matters, so a new one replaces one the
    /// worker has not started (and drops its playlist snapshot at once).
    #[derive(Default)]
    struct Slot {
        job: Option<Job>,
        closed: bool,
    }

    /// The worker thread. Dropping it ends the thread (after the job under
    /// way, if any).
    pub(crate) struct Worker {
        slot: Arc<(Mutex<Slot>, Condvar)>,
        replies: mpsc::Receiver<Reply>,
        thread: Option<thread::JoinHandle<()>>,
    }

    fn lock(slot: &Mutex<Slot>) -> MutexGuard<'_, Slot> {
        slot.lock().unwrap_or_else(|e| e.into_inner())
    }

    impl Worker {
        /// Starts the thread; `None` if the system refuses one (the player
        /// then prepares everything on the render thread).
        pub(crate) fn start() -> Option<Worker> {
            let slot = Arc::new((Mutex::new(Slot::default()), Condvar::new()));
            let (reply, replies) = mpsc::channel();
            let shared = slot.clone();
            let thread = thread::Builder::new()
                .name("kefir-preload".into())
                .spawn(move || {
                    let (slot, ready) = &*shared;
                    loop {
                        let job = {
                            let mut guard = lock(slot);
                            loop {
                                if guard.closed {
                                    return;
                                }
                                if let Some(job) = guard.job.take() {
                                    break job;
                                }
                                guard = ready.wait(guard).unwrap_or_else(|e| e.into_inner());
                            }
                        };
                        let Job {
                            id,
                            task,
                            texts,
                            serial,
                            builder,
                        } = job;
                        let source = match task {
                            Task::Next(playlist) => {
                                let path = catch_unwind(AssertUnwindSafe(|| {
                                    let mut probe = Playlist::clone(&playlist);
                                    probe.next().map(|entry| entry.path.clone())
                                }))
                                .unwrap_or(None);
                                drop(playlist);
                                if reply
                                    .send(Reply::Peeked {
                                        id,
                                        path: path.clone(),
                                    })
                                    .is_err()
                                {
                                    return;
                                }
                                let Some(path) = path else {
                                    continue;
                                };
                                Source::File(path)
                            }
                            Task::Source(source) => source,
                        };
                        let result = prepare(&builder, &source, &texts, serial);
                        let result = Box::new(result);
                        if reply.send(Reply::Done { id, result }).is_err() {
                            return;
                        }
                    }
                })
                .ok()?;
            Some(Worker {
                slot,
                replies,
                thread: Some(thread),
            })
        }

        /// Asks for `task`, replacing any job not yet started.
        pub(crate) fn send(
            &self,
            id: u64,
            task: Task,
            texts: Arc<Texts>,
            serial: u64,
            builder: PresetBuilder,
        ) {
            let (slot, ready) = &*self.slot;
            lock(slot).job = Some(Job {
                id,
                task,
                texts,
                serial,
                builder,
            });
            ready.notify_one();
        }

        /// A reply, if one is waiting.
        pub(crate) fn try_recv(&self) -> Option<Reply> {
            self.replies.try_recv().ok()
        }

        /// Waits for the next reply; `Err` if the thread is gone or nothing
        /// came within `timeout`.
        pub(crate) fn recv_timeout(&self, timeout: Duration) -> Result<Reply, ()> {
            self.replies.recv_timeout(timeout).map_err(|_| ())
        }
    }

    impl Drop for Worker {
        fn drop(&mut self) {
            let (slot, ready) = &*self.slot;
            {
                let mut guard = lock(slot);
                guard.closed = true;
                guard.job = None;
            }
            ready.notify_one();
            if let Some(thread) = self.thread.take() {
                let _ = thread.join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The browser's stepping worker: one step per poll, the same replies
    /// as the thread's, and a finished preset that renders.
    /// One poll, as `Player::poll_worker` does: replies until `None`, of
    /// which there is at most one (one step per poll).
    fn poll(worker: &stepped::Worker) -> Option<Reply> {
        let mut replies = Vec::new();
        while let Some(reply) = worker.try_recv() {
            replies.push(reply);
        }
        assert!(replies.len() <= 1, "one step per poll");
        replies.pop()
    }

    /// A preset builder on the headless adapter.
    fn builder() -> PresetBuilder {
        let gpu = milk_engine::headless::Headless::new().expect("a wgpu adapter (lavapipe)");
        milk_engine::Visualizer::new(gpu.device, gpu.queue, milk_engine::Config::default())
            .builder()
    }

    #[test]
    fn the_stepping_worker_prepares_a_step_per_poll() {
        let builder = builder();
        let path = PathBuf::from("texts/a.milk");
        let mut texts = Texts::default();
        texts.order.push(path.clone());
        texts.by_path.insert(
            path.clone(),
            "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\nPSVERSION_COMP=2\n\
             warp_1=`shader_body { ret = tex2D(sampler_main, uv).xyz; }\n\
             comp_1=`shader_body { ret = GetPixel(uv); }\n"
                .into(),
        );
        let playlist = Playlist::new(vec![milk_playlist::PresetEntry::new(path.clone())], 1);
        let worker = stepped::Worker::start().expect("always starts");
        assert!(worker.try_recv().is_none(), "no job, no reply");
        worker.send(
            5,
            Task::Next(Arc::new(playlist)),
            Arc::new(texts),
            9,
            builder.clone(),
        );
        let mut peeked_at = None;
        let mut done = None;
        for polls in 1..=10 {
            match poll(&worker) {
                Some(Reply::Peeked { id, path: p }) => {
                    assert_eq!((id, p.as_deref()), (5, Some(path.as_path())));
                    peeked_at = Some(polls);
                }
                Some(Reply::Done { id, result }) => {
                    assert_eq!(id, 5);
                    done = Some((polls, result));
                    break;
                }
                None => {}
            }
        }
        // Peek and parse, then code, warp, comp and pipelines.
        assert_eq!(peeked_at, Some(1));
        let (polls, result) = done.expect("the job ends");
        assert_eq!(polls, 5);
        let prepared = result.expect("prepares");
        let report = prepared.report();
        assert!(report.warp_shader && report.comp_shader, "{report:?}");
        assert!(worker.try_recv().is_none() && worker.recv_timeout(Duration::ZERO).is_err());
    }

    /// A deferred switch's job: the given preset, parsed on the first poll
    /// and prepared a step per poll; text that does not parse ends the job
    /// with its error on the first poll.
    #[test]
    fn the_stepping_worker_prepares_a_given_preset() {
        let builder = builder();
        let worker = stepped::Worker::start().expect("always starts");
        let text = Source::Text {
            name: "t".into(),
            text: "[preset00]\nMILKDROP_PRESET_VERSION=201\nPSVERSION=2\nPSVERSION_WARP=2\n\
                   PSVERSION_COMP=2\nwarp_1=`shader_body { ret = tex2D(sampler_main, uv).xyz; }\n\
                   comp_1=`shader_body { ret = GetPixel(uv); }\n"
                .into(),
        };
        let texts = Arc::new(Texts::default());
        worker.send(7, Task::Source(text), texts.clone(), 1, builder.clone());
        let mut done = None;
        for polls in 1..=10 {
            match poll(&worker) {
                Some(Reply::Done { id, result }) => {
                    assert_eq!(id, 7);
                    done = Some((polls, result));
                    break;
                }
                Some(Reply::Peeked { .. }) => panic!("no look-ahead for a given preset"),
                None => {}
            }
        }
        let (polls, result) = done.expect("the job ends");
        // Parse, then code, warp, comp and pipelines.
        assert_eq!(polls, 5);
        assert!(result.expect("prepares").report().comp_shader);
        let junk = Source::Text {
            name: "junk".into(),
            text: "\u{0}\u{1}garbage".into(),
        };
        worker.send(8, Task::Source(junk), texts, 2, builder.clone());
        match worker.try_recv() {
            Some(Reply::Done { id: 8, result }) => assert!(result.is_err()),
            _ => panic!("the error on the first poll"),
        }
    }

    #[test]
    fn display_names() {
        assert_eq!(display_name(Path::new("a/b/Cool One.milk")), "Cool One");
        assert_eq!(display_name(Path::new("X.MILK")), "X");
        assert_eq!(display_name(Path::new("noext")), "noext");
        assert_eq!(display_name(Path::new(".milk")), "");
        assert_eq!(display_name(Path::new("é.milk")), "é");
    }
}
