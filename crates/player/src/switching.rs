//! How the player changes presets: the worker's look-ahead, switches
//! deferred to the worker, presets prepared on the calling thread when the
//! worker does not have them, and the switch itself (events, statistics,
//! the render scale for the new preset). Moving through the playlist skips
//! presets the cost file says are too heavy and marks those that fail.

use std::path::Path;

use kefir_perf::Advice;
use milk_engine::Switch;
use milk_playlist::preset_key;

use crate::worker::{self, Prepared, Reply, Source, Task};
use crate::{Current, Origin, PRELOAD_WAIT, Pending, Player, PlayerEvent, Preload, Step};

impl Player {
    /// Collects what the worker finished; makes a pending switch once its
    /// preset is prepared.
    pub(crate) fn poll_worker(&mut self) {
        let Some(worker) = &self.worker else {
            return;
        };
        let mut finished = None;
        while let Some(reply) = worker.try_recv() {
            match reply {
                Reply::Done { id, result } if self.pending.as_ref().is_some_and(|p| p.id == id) => {
                    finished = Some(*result);
                }
                reply => {
                    if let Some(preload) = &mut self.preload {
                        preload.take(reply);
                    }
                }
            }
        }
        if let Some(result) = finished
            && let Some(pending) = self.pending.take()
        {
            self.finish_pending(pending, result);
        }
    }

    /// Switches to (or reports the failure of) a deferred preset, then
    /// asks for the next look-ahead.
    pub(crate) fn finish_pending(&mut self, pending: Pending, result: Prepared) {
        let started = web_time::Instant::now();
        let ok = self.finish_start(
            &pending.source,
            result,
            pending.switch,
            Origin::Deferred,
            started,
        );
        if !ok && let Some(step) = pending.then {
            self.advance(step, pending.switch);
        }
        self.refresh_preload();
    }

    /// Whether switches wait for the worker rather than for a preparation
    /// here: asked for, a worker there, and a preset already playing.
    pub(crate) fn defers(&self) -> bool {
        self.config.defer_switches && self.worker.is_some() && self.current.is_some()
    }

    /// Hands `source` to the worker and switches when it is prepared (see
    /// [`PlayerConfig::defer_switches`]); a look-ahead already on it is
    /// taken over rather than started again.
    pub(crate) fn defer(&mut self, source: Source, switch: Switch, then: Option<Step>) {
        if self.worker.is_none() {
            return;
        }
        let current = self.generation;
        let under_way = match (&self.preload, source.path()) {
            (Some(p), Some(path)) if p.generation == current => {
                p.path.as_ref().is_some_and(|w| w.as_deref() == Some(path))
            }
            _ => false,
        };
        let id = if under_way {
            self.preload.take().map(|p| p.id).unwrap_or_default()
        } else {
            let id = self.next_job;
            self.next_job += 1;
            let serial = self.take_serial();
            let Some(worker) = &self.worker else {
                return;
            };
            worker.send(
                id,
                Task::Source(source.clone()),
                self.texts.clone(),
                serial,
                self.builder.clone(),
            );
            self.preload = None;
            id
        };
        self.pending = Some(Pending {
            id,
            source,
            switch,
            then,
        });
    }

    /// Asks the worker for the preset [`Player::next`] would play now
    /// (after a change, or when what it would play may have changed).
    pub(crate) fn refresh_preload(&mut self) {
        if self.pending.is_some() {
            // The worker is busy with the pending switch; the look-ahead
            // is asked for once it is made.
            return;
        }
        self.preload = None;
        let Some(worker) = &self.worker else {
            return;
        };
        let id = self.next_job;
        self.next_job += 1;
        let serial = self.serial;
        self.serial += 1;
        worker.send(
            id,
            Task::Next(self.playlist.clone()),
            self.texts.clone(),
            serial,
            self.builder.clone(),
        );
        self.preload = Some(Preload {
            id,
            generation: self.generation,
            path: None,
            result: None,
        });
    }

    /// Waits for the worker until `done` says the preload has what is
    /// needed; false (and no worker from now on) if it hung or died.
    pub(crate) fn wait_for_worker(&mut self, done: impl Fn(&Preload) -> bool) -> bool {
        loop {
            let Some(preload) = &mut self.preload else {
                return false;
            };
            if done(preload) {
                return true;
            }
            let Some(worker) = &self.worker else {
                return false;
            };
            match worker.recv_timeout(PRELOAD_WAIT) {
                Ok(reply) => {
                    preload.take(reply);
                }
                Err(()) => {
                    self.worker = None;
                    self.preload = None;
                    return false;
                }
            }
        }
    }

    pub(crate) fn take_serial(&mut self) -> u64 {
        let serial = self.serial;
        self.serial += 1;
        serial
    }

    /// The prepared preset for `source`: the worker's when it has it (or
    /// is on it), else prepared here.
    pub(crate) fn take_prepared(&mut self, source: &Source) -> (Prepared, Origin) {
        self.poll_worker();
        if let Some(path) = source.path()
            && self
                .preload
                .as_ref()
                .is_some_and(|p| p.generation == self.generation)
            && self.wait_for_worker(|p| p.path.is_some())
            && self
                .preload
                .as_ref()
                .is_some_and(|p| p.path.as_ref().is_some_and(|w| w.as_deref() == Some(path)))
        {
            let waited = self.preload.as_ref().is_some_and(|p| p.result.is_none());
            if self.wait_for_worker(|p| p.result.is_some())
                && let Some(result) = self.preload.take().and_then(|p| p.result)
            {
                let origin = if waited {
                    Origin::Waited
                } else {
                    Origin::Ready
                };
                return (result, origin);
            }
        }
        let serial = self.take_serial();
        (
            worker::prepare(&self.builder, source, &self.texts, serial),
            Origin::Here,
        )
    }

    /// Loads `source` and switches to it; on failure queues
    /// [`PlayerEvent::Failed`] and marks a playlist file broken. With
    /// [`PlayerConfig::defer_switches`] the switch is handed to the worker
    /// unless the look-ahead has the preset ready (true then; `then` is
    /// where to go on should it fail).
    pub(crate) fn start(&mut self, source: Source, switch: Switch, then: Option<Step>) -> bool {
        let started = web_time::Instant::now();
        if self.defers() {
            self.poll_worker();
            let ready = self.preload.as_ref().is_some_and(|p| {
                p.generation == self.generation
                    && p.result.is_some()
                    && p.path
                        .as_ref()
                        .is_some_and(|w| w.is_some() && w.as_deref() == source.path())
            });
            if !ready {
                self.defer(source, switch, then);
                return true;
            }
        }
        // A switch asked for now replaces one still waiting.
        self.pending = None;
        let (prepared, origin) = self.take_prepared(&source);
        self.finish_start(&source, prepared, switch, origin, started)
    }

    /// Switches to `prepared` (or reports why `source` failed); true when
    /// it plays.
    pub(crate) fn finish_start(
        &mut self,
        source: &Source,
        prepared: Prepared,
        switch: Switch,
        origin: Origin,
        started: web_time::Instant,
    ) -> bool {
        match prepared {
            Ok(prepared) => {
                if self.config.start_clean {
                    self.vis.clear_frame();
                }
                let switch = match switch {
                    Switch::Blend { seconds } if seconds.is_finite() && seconds > 0.0 => {
                        Switch::Blend { seconds }
                    }
                    _ => Switch::Cut,
                };
                let report = self.vis.switch_to(prepared, switch);
                self.pace_new_preset(source.path());
                self.stats.switches += 1;
                match origin {
                    Origin::Ready => self.stats.preloaded += 1,
                    Origin::Waited => {
                        self.stats.preloaded += 1;
                        self.stats.waited += 1;
                    }
                    Origin::Here => self.stats.prepared_here += 1,
                    Origin::Deferred => self.stats.deferred += 1,
                }
                self.stats.last_switch = started.elapsed();
                let current = Current {
                    name: source.name(),
                    path: source.path().map(Path::to_path_buf),
                };
                self.clock = 0.0;
                self.fresh = true;
                self.jitter = self.rng.next_f64();
                self.push_event(PlayerEvent::Switched {
                    path: current.path.clone(),
                    name: current.name.clone(),
                    blend: matches!(switch, Switch::Blend { .. }),
                    report,
                });
                self.current = Some(current);
                true
            }
            Err(error) => {
                self.stats.failed += 1;
                if let Some(path) = source.path() {
                    self.list().mark_broken(path, error.clone());
                }
                self.push_event(PlayerEvent::Failed {
                    path: source.path().map(Path::to_path_buf),
                    error,
                });
                false
            }
        }
    }

    /// Moves through the playlist until a preset loads (each failure is
    /// marked broken, so this ends). False when nothing could be played.
    pub(crate) fn advance(&mut self, step: Step, switch: Switch) -> bool {
        for _ in 0..=self.playlist.len() {
            let list = self.list();
            let entry = match step {
                Step::Next => list.next(),
                Step::Previous => list.previous(),
                Step::Random => list.random(),
            };
            let Some(entry) = entry else {
                return false;
            };
            let path = entry.path.clone();
            if self.pacer.advise(&preset_key(&path), self.target_size) == Advice::Skip {
                self.skip_heavy(&path, None);
                continue;
            }
            if self.start(Source::File(path), switch, Some(step)) {
                return true;
            }
        }
        false
    }
}
