//! Showing a batch's progress: a bar with rate and ETA on a terminal, a structured log line
//! every few seconds otherwise (cron, CI, log shippers).

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// Progress of a run, reported as chunks finish.
pub trait Progress: Sync {
    fn started(&self, total: u64);
    fn advanced(&self, done: u64);
}

pub enum Reporter {
    Bar(ProgressBar),
    Log { total: Mutex<(u64, Instant)>, started: Instant },
    Silent,
}

impl Reporter {
    /// A bar when stderr is a terminal, log lines otherwise.
    pub fn for_stderr() -> Reporter {
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(0);
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} invoices  {per_sec}  ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            Reporter::Bar(bar)
        } else {
            Reporter::Log { total: Mutex::new((0, Instant::now())), started: Instant::now() }
        }
    }

    pub fn finish(&self) {
        if let Reporter::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Reporter {
    fn started(&self, total: u64) {
        match self {
            Reporter::Bar(bar) => bar.set_length(total),
            Reporter::Log { total: state, .. } => {
                if let Ok(mut state) = state.lock() {
                    state.0 = total;
                }
                tracing::info!(total, "billing run started");
            }
            Reporter::Silent => {}
        }
    }

    fn advanced(&self, done: u64) {
        match self {
            Reporter::Bar(bar) => bar.set_position(done),
            Reporter::Log { total, started } => {
                let Ok(mut state) = total.lock() else { return };
                if state.1.elapsed() < Duration::from_secs(5) && done < state.0 {
                    return;
                }
                state.1 = Instant::now();
                let elapsed = started.elapsed().as_secs_f64();
                let rate = if elapsed > 0.0 { done as f64 / elapsed } else { 0.0 };
                let eta = if rate > 0.0 { (state.0.saturating_sub(done)) as f64 / rate } else { 0.0 };
                tracing::info!(
                    done,
                    total = state.0,
                    rate = format!("{rate:.0}/s"),
                    eta_seconds = eta as u64,
                    "billing run"
                );
            }
            Reporter::Silent => {}
        }
    }
}
