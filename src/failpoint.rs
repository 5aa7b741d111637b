//! Failpoints: named instants inside jobs (between a read and its write, after a commit and
//! before a file is written) where a test can stop, pause or kill the process, so a claim of
//! "exactly once" or "no race" is tested at the dangerous instant instead of by sleeping.
//!
//! Only debug builds (tests, `cargo run`) have them; in a release build [`hit`] is empty.
//!
//! - In a spawned `kontor` process: `KONTOR_FAILPOINT=name=action[,name=action...]`, where the
//!   action is `abort` (the process dies at once, like `kill -9`), `panic`, or
//!   `wait:PATH` (create `PATH.reached`, then wait until `PATH.release` exists). `action@N`
//!   acts at the N-th time the point is reached in the process, not before.
//! - In a test's own thread: [`arm`] the point for that thread; the guard disarms it.

/// What a failpoint does when reached.
#[derive(Debug, Clone)]
pub enum Action {
    /// Panic (an error the code did not expect).
    Panic,
    /// Pause: tell `reached`, then wait for a message on `release`.
    Pause {
        reached: std::sync::mpsc::SyncSender<()>,
        release: std::sync::Arc<std::sync::Mutex<std::sync::mpsc::Receiver<()>>>,
    },
}

/// Reaches the failpoint `name`: does nothing unless a test armed it.
#[inline]
pub fn hit(name: &str) {
    #[cfg(debug_assertions)]
    armed::hit(name);
    #[cfg(not(debug_assertions))]
    let _ = name;
}

/// Arms `name` for the calling thread until the guard is dropped (debug builds only).
#[cfg(debug_assertions)]
pub fn arm(name: &str, action: Action) -> armed::Guard {
    armed::arm(name, action)
}

/// A pause for [`arm`]: the action, a receiver that hears when the point is reached, and a
/// sender that lets it go on.
pub fn pause() -> (Action, std::sync::mpsc::Receiver<()>, std::sync::mpsc::SyncSender<()>) {
    let (reached_tx, reached_rx) = std::sync::mpsc::sync_channel(1);
    let (release_tx, release_rx) = std::sync::mpsc::sync_channel(1);
    let action = Action::Pause {
        reached: reached_tx,
        release: std::sync::Arc::new(std::sync::Mutex::new(release_rx)),
    };
    (action, reached_rx, release_tx)
}

#[cfg(debug_assertions)]
// Panicking is what the `Panic` action is for (a failure the code did not expect).
#[allow(clippy::panic)]
pub mod armed {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::Action;

    thread_local! {
        static ARMED: RefCell<HashMap<String, Action>> = RefCell::new(HashMap::new());
    }

    /// Disarms its failpoint when dropped.
    pub struct Guard {
        name: String,
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            ARMED.with(|armed| armed.borrow_mut().remove(&self.name));
        }
    }

    pub(super) fn arm(name: &str, action: Action) -> Guard {
        ARMED.with(|armed| armed.borrow_mut().insert(name.to_owned(), action));
        Guard { name: name.to_owned() }
    }

    /// From `KONTOR_FAILPOINT`: name -> (action, the hit it acts at, hits so far).
    struct FromEnv {
        action: String,
        at: u64,
        hits: AtomicU64,
    }

    fn from_env() -> &'static HashMap<String, FromEnv> {
        static PARSED: OnceLock<HashMap<String, FromEnv>> = OnceLock::new();
        PARSED.get_or_init(|| {
            let text = std::env::var("KONTOR_FAILPOINT").unwrap_or_default();
            text.split(',')
                .filter_map(|item| {
                    let (name, action) = item.trim().split_once('=')?;
                    let (action, at) = match action.rsplit_once('@') {
                        Some((action, n)) => (action, n.parse().unwrap_or(1)),
                        None => (action, 1),
                    };
                    Some((
                        name.trim().to_owned(),
                        FromEnv { action: action.to_owned(), at, hits: AtomicU64::new(0) },
                    ))
                })
                .collect()
        })
    }

    pub(super) fn hit(name: &str) {
        let local = ARMED.with(|armed| armed.borrow().get(name).cloned());
        if let Some(action) = local {
            act(name, action);
            return;
        }
        let Some(point) = from_env().get(name) else { return };
        let n = point.hits.fetch_add(1, Ordering::SeqCst) + 1;
        if n != point.at {
            return;
        }
        tracing::warn!(failpoint = name, action = %point.action, "failpoint reached");
        match point.action.as_str() {
            "abort" => std::process::abort(),
            "panic" => std::panic::panic_any(format!("failpoint {name}")),
            other => {
                if let Some(path) = other.strip_prefix("wait:") {
                    let _ = std::fs::write(format!("{path}.reached"), name);
                    let release = std::path::PathBuf::from(format!("{path}.release"));
                    while !release.exists() {
                        std::thread::sleep(std::time::Duration::from_millis(10));
                    }
                }
            }
        }
    }

    fn act(name: &str, action: Action) {
        match action {
            Action::Panic => std::panic::panic_any(format!("failpoint {name}")),
            Action::Pause { reached, release } => {
                let _ = reached.send(());
                if let Ok(release) = release.lock() {
                    let _ = release.recv();
                }
            }
        }
    }
}
