//! Where a long operation's time goes, phase by phase, for the benchmarks' profiles.
//!
//! The phases live in several modules (the statement import, allocation, the ledger), so
//! passing a timer through every signature would put a benchmark's concern into the domain's
//! APIs. Instead code marks the end of a phase with [`lap`], which costs one thread-local
//! check when nobody records, and a benchmark wraps the operation in [`record`].

use std::cell::RefCell;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Time per phase, in the order the phases first ended.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    pub phases: Vec<(&'static str, Duration)>,
}

impl Profile {
    fn merge(&mut self, other: Profile) {
        for (phase, spent) in other.phases {
            self.add(phase, spent);
        }
    }

    fn add(&mut self, phase: &'static str, spent: Duration) {
        match self.phases.iter_mut().find(|(name, _)| *name == phase) {
            Some((_, total)) => *total += spent,
            None => self.phases.push((phase, spent)),
        }
    }

    pub fn total(&self) -> Duration {
        self.phases.iter().map(|(_, d)| *d).sum()
    }

    pub fn get(&self, phase: &str) -> Duration {
        self.phases.iter().find(|(name, _)| *name == phase).map(|(_, d)| *d).unwrap_or_default()
    }
}

struct Recording {
    profile: Profile,
    since: Instant,
}

thread_local! {
    static RECORDING: RefCell<Option<Recording>> = const { RefCell::new(None) };
}

/// Runs `operation` and returns, with its result, the time each phase it marked took. The time
/// before the first mark and between marks is the marked phase's; the time after the last mark
/// is `unmarked`.
pub fn record<T>(operation: impl FnOnce() -> T) -> (T, Profile) {
    RECORDING
        .with(|r| *r.borrow_mut() = Some(Recording { profile: Profile::default(), since: Instant::now() }));
    let result = operation();
    lap("unmarked");
    let profile = RECORDING.with(|r| r.borrow_mut().take()).map(|r| r.profile).unwrap_or_default();
    (result, profile)
}

/// The phases of every thread that ran [`on_thread`] while [`record_threads`] was recording.
static THREADS: Mutex<Option<Profile>> = Mutex::new(None);

/// Like [`record`] for work done on other threads (a batch's workers): returns, with
/// `operation`'s result, the phases each [`on_thread`] inside it marked, summed over threads.
pub fn record_threads<T>(operation: impl FnOnce() -> T) -> (T, Profile) {
    if let Ok(mut shared) = THREADS.lock() {
        *shared = Some(Profile::default());
    }
    let result = operation();
    let profile = THREADS.lock().ok().and_then(|mut shared| shared.take()).unwrap_or_default();
    (result, profile)
}

/// Runs a thread's `work`, recording its marks for [`record_threads`] if it is recording;
/// otherwise just runs it.
pub fn on_thread<T>(work: impl FnOnce() -> T) -> T {
    let recording = THREADS.lock().is_ok_and(|shared| shared.is_some());
    if !recording {
        return work();
    }
    let (result, profile) = record(work);
    if let Ok(mut shared) = THREADS.lock()
        && let Some(total) = shared.as_mut()
    {
        total.merge(profile);
    }
    result
}

/// Ends `phase` on this thread: the time since the previous mark is added to it.
pub fn lap(phase: &'static str) {
    RECORDING.with(|r| {
        if let Some(recording) = r.borrow_mut().as_mut() {
            let now = Instant::now();
            recording.profile.add(phase, now - recording.since);
            recording.since = now;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_add_up_per_phase_and_nothing_is_kept_outside_a_recording() {
        lap("outside");
        let ((), profile) = record(|| {
            lap("a");
            lap("b");
            lap("a");
        });
        let names: Vec<&str> = profile.phases.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["a", "b", "unmarked"]);
        assert_eq!(profile.get("outside"), Duration::ZERO);
        let ((), again) = record(|| ());
        assert_eq!(again.phases.len(), 1, "a new recording starts empty: {again:?}");
    }

    #[test]
    fn threads_add_up_into_one_profile() {
        let ((), profile) = record_threads(|| {
            std::thread::scope(|scope| {
                for _ in 0..3 {
                    scope.spawn(|| {
                        on_thread(|| {
                            std::thread::sleep(Duration::from_millis(2));
                            lap("work");
                        })
                    });
                }
            })
        });
        assert!(profile.get("work") >= Duration::from_millis(6), "{profile:?}");
        assert_eq!(on_thread(|| 7), 7, "outside a recording the work just runs");
    }
}
