//! Response times and their percentiles, as the benchmarks that time requests or queries
//! report them.

use std::time::Duration;

/// The nearest-rank percentile of `sorted` (ascending): the smallest time at least a share
/// `p` (0-1) of the samples do not exceed. Zero for no samples.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p.clamp(0.0, 1.0) * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.max(1) - 1).copied().unwrap_or_default()
}

/// The times of one kind of request.
#[derive(Debug, Clone, Default)]
pub struct Latencies {
    samples: Vec<Duration>,
}

/// What a table row shows of [`Latencies`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Spread {
    pub count: usize,
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Latencies {
    pub fn record(&mut self, time: Duration) {
        self.samples.push(time);
    }

    pub fn merge(&mut self, other: &Latencies) {
        self.samples.extend_from_slice(&other.samples);
    }

    pub fn spread(&self) -> Spread {
        let mut sorted = self.samples.clone();
        sorted.sort_unstable();
        Spread {
            count: sorted.len(),
            p50: percentile(&sorted, 0.50),
            p95: percentile(&sorted, 0.95),
            p99: percentile(&sorted, 0.99),
            max: sorted.last().copied().unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn percentiles_are_nearest_rank_values_of_the_samples() {
        let sorted: Vec<Duration> = (1..=100).map(ms).collect();
        assert_eq!(percentile(&sorted, 0.50), ms(50));
        assert_eq!(percentile(&sorted, 0.95), ms(95));
        assert_eq!(percentile(&sorted, 0.99), ms(99));
        assert_eq!(percentile(&sorted, 1.0), ms(100));
        assert_eq!(percentile(&sorted, 0.0), ms(1), "the smallest, never before the first");
        // Ten samples: the 99th percentile is the slowest, not something between.
        let ten: Vec<Duration> = (1..=10).map(ms).collect();
        assert_eq!(percentile(&ten, 0.99), ms(10));
        assert_eq!(percentile(&ten, 0.90), ms(9));
        assert_eq!(percentile(&[], 0.99), Duration::ZERO);
    }

    #[test]
    fn a_spread_sorts_what_was_recorded_in_any_order_and_merges_keep_every_sample() {
        let mut first = Latencies::default();
        for n in [30, 10, 20] {
            first.record(ms(n));
        }
        let mut second = Latencies::default();
        second.record(ms(400));
        first.merge(&second);
        let spread = first.spread();
        assert_eq!(spread.count, 4);
        assert_eq!(spread.p50, ms(20));
        assert_eq!(spread.p99, ms(400));
        assert_eq!(spread.max, ms(400));
        assert_eq!(Latencies::default().spread(), Spread::default());
    }
}
