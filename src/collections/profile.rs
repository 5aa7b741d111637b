//! Where a dunning run spends its time (`kontor dunning run --profile`, the benchmark): the
//! wall time of each phase summed over the workers, so a cure can be aimed at the phase that
//! costs the most rather than guessed.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// The phases of a notice, in the order a step takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The list of overdue invoices and what is due today.
    Select,
    /// Locks and the reads a notice needs: open amount, snapshots, other open invoices, how
    /// to pay.
    Reads,
    /// The charges invoice (fee and interest) with its number, ledger entry and PDF.
    Charges,
    /// The letter rendered as a PDF.
    Render,
    /// The letter stored, the notice row, the email rendered and queued, suspension or
    /// termination.
    Writes,
    /// Beginning and committing the transactions (fsync included).
    Commit,
}

impl Phase {
    pub const ALL: [Phase; 6] =
        [Phase::Select, Phase::Reads, Phase::Charges, Phase::Render, Phase::Writes, Phase::Commit];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Select => "select",
            Phase::Reads => "reads",
            Phase::Charges => "charges",
            Phase::Render => "render",
            Phase::Writes => "writes",
            Phase::Commit => "commit",
        }
    }
}

/// Nanoseconds per phase; shared by the workers of a run.
#[derive(Debug, Default)]
pub struct Profile {
    nanos: [AtomicU64; 6],
}

impl Profile {
    /// Runs `work`, adding its wall time to `phase`.
    pub fn time<T>(profile: Option<&Profile>, phase: Phase, work: impl FnOnce() -> T) -> T {
        let Some(profile) = profile else { return work() };
        let started = Instant::now();
        let out = work();
        profile.add(phase, started.elapsed().as_nanos());
        out
    }

    pub fn add(&self, phase: Phase, nanos: u128) {
        let nanos = u64::try_from(nanos).unwrap_or(u64::MAX);
        if let Some(sum) = self.nanos.get(phase as usize) {
            sum.fetch_add(nanos, Ordering::Relaxed);
        }
    }

    pub fn seconds(&self, phase: Phase) -> f64 {
        self.nanos.get(phase as usize).map_or(0, |sum| sum.load(Ordering::Relaxed)) as f64 / 1e9
    }

    /// "select 0.12 s, reads 1.30 s, ..." (summed over workers, so more than the wall time
    /// when several ran).
    pub fn line(&self) -> String {
        Phase::ALL
            .iter()
            .map(|phase| format!("{} {:.2} s", phase.as_str(), self.seconds(*phase)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_phase_adds_up_on_its_own() {
        let profile = Profile::default();
        profile.add(Phase::Render, 1_500_000_000);
        profile.add(Phase::Render, 500_000_000);
        profile.add(Phase::Commit, 250_000_000);
        assert_eq!(profile.seconds(Phase::Render), 2.0);
        assert_eq!(profile.seconds(Phase::Commit), 0.25);
        assert_eq!(profile.seconds(Phase::Reads), 0.0);
        assert!(profile.line().contains("render 2.00 s"), "{}", profile.line());
    }

    #[test]
    fn without_a_profile_the_work_still_runs() {
        assert_eq!(Profile::time(None, Phase::Reads, || 7), 7);
        let profile = Profile::default();
        assert_eq!(Profile::time(Some(&profile), Phase::Reads, || 8), 8);
    }
}
