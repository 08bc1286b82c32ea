//! The toast queue: short messages with a level and a lifetime, at most
//! `max_visible` on screen at once. Messages beyond that wait their turn
//! (their lifetime starts when they show), so a burst of them at start-up
//! (several bad config values, say) is read one screenful after another
//! rather than lost; a message equal to one already queued or shown counts
//! up (`×2`) instead of taking another line. Pure data, no drawing: the
//! [`Hud`](crate::Hud) draws it, and other front-ends can draw it their way.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// How much a message matters; the HUD colours it by level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    /// How long a message of this level stays by default: warnings and
    /// errors long enough to read a file name and line from across the room.
    pub fn default_lifetime(self) -> Duration {
        match self {
            Level::Info => Duration::from_secs(4),
            Level::Warning | Level::Error => Duration::from_secs(10),
        }
    }
}

/// The seconds over which a message fades out at the end of its life.
pub const FADE: Duration = Duration::from_millis(500);

#[derive(Debug, Clone)]
struct Toast {
    level: Level,
    text: String,
    lifetime: Duration,
    count: u32,
    /// When it came on screen; `None` while it waits.
    shown: Option<Instant>,
}

/// One message as it should look now.
#[derive(Debug, Clone, PartialEq)]
pub struct VisibleToast<'a> {
    pub level: Level,
    pub text: &'a str,
    /// How many times it was pushed (1 for most).
    pub count: u32,
    /// 1 while it is fully there, down to 0 over its last [`FADE`].
    pub alpha: f32,
}

/// A queue of messages; see the module documentation.
#[derive(Debug, Clone)]
pub struct Toasts {
    max_visible: usize,
    capacity: usize,
    /// Shown first (oldest first), then waiting.
    queue: VecDeque<Toast>,
    dropped: usize,
}

impl Toasts {
    /// At most `max_visible` (at least 1) on screen; at most 64 waiting
    /// (the oldest waiting ones are dropped beyond that, and counted).
    pub fn new(max_visible: usize) -> Toasts {
        Toasts {
            max_visible: max_visible.max(1),
            capacity: 64,
            queue: VecDeque::new(),
            dropped: 0,
        }
    }

    /// Queues `text` for `lifetime` (counted from when it shows).
    pub fn push(
        &mut self,
        level: Level,
        text: impl Into<String>,
        lifetime: Duration,
        now: Instant,
    ) {
        let text = text.into();
        if let Some(same) = self
            .queue
            .iter_mut()
            .find(|t| t.level == level && t.text == text)
        {
            same.count = same.count.saturating_add(1);
            // A repeated message stays as long as its latest copy would.
            if same.shown.is_some() {
                same.shown = Some(now);
            }
            same.lifetime = same.lifetime.max(lifetime);
            return;
        }
        self.queue.push_back(Toast {
            level,
            text,
            lifetime,
            count: 1,
            shown: None,
        });
        let waiting = self.queue.iter().filter(|t| t.shown.is_none()).count();
        if waiting > self.capacity
            && let Some(i) = self.queue.iter().position(|t| t.shown.is_none())
        {
            self.queue.remove(i);
            self.dropped += 1;
        }
        self.update(now);
    }

    /// Drops the messages whose time is up and shows waiting ones in their
    /// place.
    pub fn update(&mut self, now: Instant) {
        self.queue
            .retain(|t| t.shown.is_none_or(|at| now < at + t.lifetime));
        for t in self.queue.iter_mut().take(self.max_visible) {
            t.shown.get_or_insert(now);
        }
    }

    /// The messages on screen at `now`, oldest first (call
    /// [`Toasts::update`] first).
    pub fn visible(&self, now: Instant) -> impl Iterator<Item = VisibleToast<'_>> {
        self.queue.iter().filter_map(move |t| {
            let at = t.shown?;
            let end = at + t.lifetime;
            let left = end.checked_duration_since(now)?;
            if left.is_zero() {
                return None;
            }
            Some(VisibleToast {
                level: t.level,
                text: &t.text,
                count: t.count,
                alpha: (left.as_secs_f32() / FADE.as_secs_f32()).clamp(0.0, 1.0),
            })
        })
    }

    /// Messages waiting for a place on screen.
    pub fn waiting(&self) -> usize {
        self.queue.iter().filter(|t| t.shown.is_none()).count()
    }

    /// Messages dropped because too many were waiting.
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// Nothing shown or waiting.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    pub fn clear(&mut self) {
        self.queue.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    fn texts(t: &Toasts, now: Instant) -> Vec<String> {
        t.visible(now).map(|v| v.text.to_string()).collect()
    }

    #[test]
    fn at_most_n_show_and_the_rest_wait_their_turn() {
        let t0 = Instant::now();
        let mut t = Toasts::new(2);
        t.push(Level::Info, "a", S, t0);
        t.push(Level::Warning, "b", 3 * S, t0);
        t.push(Level::Error, "c", S, t0);
        assert_eq!(texts(&t, t0), ["a", "b"]);
        assert_eq!(t.waiting(), 1);
        // "a" goes after its second; "c" takes its place and gets its own
        // full second from then.
        let t1 = t0 + S + S / 10;
        t.update(t1);
        assert_eq!(texts(&t, t1), ["b", "c"]);
        t.update(t1 + S / 2);
        assert_eq!(texts(&t, t1 + S / 2), ["b", "c"]);
        t.update(t1 + S);
        assert_eq!(texts(&t, t1 + S), ["b"]);
        t.update(t0 + 4 * S);
        assert!(t.is_empty());
        assert_eq!(texts(&t, t0 + 4 * S), Vec::<String>::new());
    }

    #[test]
    fn repeats_count_up_and_stay() {
        let t0 = Instant::now();
        let mut t = Toasts::new(4);
        t.push(Level::Error, "broken", S, t0);
        t.push(Level::Error, "broken", S, t0 + S / 2);
        let v: Vec<_> = t.visible(t0 + S).collect();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].count, 2);
        // The same text at another level is another message.
        t.push(Level::Info, "broken", S, t0 + S);
        assert_eq!(t.visible(t0 + S).count(), 2);
    }

    #[test]
    fn fades_out_at_the_end() {
        let t0 = Instant::now();
        let mut t = Toasts::new(1);
        t.push(Level::Info, "x", 2 * S, t0);
        let alpha = |at| t.visible(at).next().map(|v| v.alpha);
        assert_eq!(alpha(t0), Some(1.0));
        let a = alpha(t0 + 2 * S - FADE / 2).unwrap();
        assert!((a - 0.5).abs() < 0.01, "{a}");
        assert_eq!(alpha(t0 + 2 * S), None);
    }

    #[test]
    fn a_flood_is_capped() {
        let t0 = Instant::now();
        let mut t = Toasts::new(1);
        for i in 0..100 {
            t.push(Level::Warning, format!("m{i}"), S, t0);
        }
        assert_eq!(t.waiting(), 64);
        assert_eq!(t.dropped(), 35);
        // The first stays on screen; the newest are kept.
        assert_eq!(texts(&t, t0), ["m0"]);
        t.update(t0 + S);
        assert_eq!(texts(&t, t0 + S), ["m36"]);
    }
}
