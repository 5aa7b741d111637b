//! Downtime per subscription: the union of its affected intervals (two overlapping incidents
//! are not counted twice), each clipped to the time the subscription was placed on the
//! affected resource and was subscribed. Integer seconds throughout, never floating point.

/// A half-open interval `[start, end)` in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Interval {
    pub start: i64,
    pub end: i64,
}

impl Interval {
    pub fn new(start: i64, end: i64) -> Interval {
        Interval { start, end }
    }

    pub fn seconds(self) -> i64 {
        (self.end - self.start).max(0)
    }

    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// The part of `self` inside `other` (possibly empty).
    pub fn clip(self, other: Interval) -> Interval {
        Interval { start: self.start.max(other.start), end: self.end.min(other.end) }
    }
}

/// One stretch of an incident on one resource, as it touched a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outage {
    /// When the resource was down (the incident's start to its end).
    pub window: Interval,
    /// When the subscription was placed on that resource.
    pub placement: Interval,
    /// Set for scheduled maintenance: when it was announced.
    pub maintenance_announced_at: Option<i64>,
}

/// Maintenance counts unless it was announced at least `announce_seconds` before it began.
pub fn counts(outage: &Outage, announce_seconds: i64) -> bool {
    match outage.maintenance_announced_at {
        None => true,
        Some(announced) => outage.window.start - announced < announce_seconds,
    }
}

/// Sorted, merged intervals covering the same seconds as `intervals` (empty ones dropped).
pub fn union(mut intervals: Vec<Interval>) -> Vec<Interval> {
    intervals.retain(|i| !i.is_empty());
    intervals.sort();
    let mut merged: Vec<Interval> = Vec::with_capacity(intervals.len());
    for interval in intervals {
        match merged.last_mut() {
            Some(last) if interval.start <= last.end => last.end = last.end.max(interval.end),
            _ => merged.push(interval),
        }
    }
    merged
}

/// Seconds a subscription was down within `period`: the union of the outages that count,
/// each clipped to its placement, to the subscription's own time and to the period.
pub fn downtime_seconds(
    outages: &[Outage],
    subscribed: Interval,
    period: Interval,
    announce_seconds: i64,
) -> i64 {
    let clipped = outages
        .iter()
        .filter(|o| counts(o, announce_seconds))
        .map(|o| o.window.clip(o.placement).clip(subscribed).clip(period))
        .collect();
    union(clipped).into_iter().map(Interval::seconds).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3600;
    const DAY: i64 = 24 * H;
    const ALWAYS: Interval = Interval { start: i64::MIN / 4, end: i64::MAX / 4 };
    const MONTH: Interval = Interval { start: 0, end: 30 * DAY };

    fn outage(start: i64, end: i64) -> Outage {
        Outage { window: Interval::new(start, end), placement: ALWAYS, maintenance_announced_at: None }
    }

    #[test]
    fn overlapping_incidents_are_counted_once() {
        let outages = [outage(10 * H, 14 * H), outage(12 * H, 18 * H)];
        assert_eq!(downtime_seconds(&outages, ALWAYS, MONTH, 0), 8 * H);
        // Touching intervals merge; a contained one adds nothing; a separate one adds.
        let outages = [outage(0, H), outage(H, 2 * H), outage(10 * H, 20 * H), outage(11 * H, 12 * H)];
        assert_eq!(downtime_seconds(&outages, ALWAYS, MONTH, 0), 12 * H);
    }

    #[test]
    fn a_customer_moved_mid_incident_counts_only_while_on_an_affected_resource() {
        // fs19 down 10h-20h, customer on fs19 until 15h, then moved to fs20 (not affected).
        let mut on_fs19 = outage(10 * H, 20 * H);
        on_fs19.placement = Interval::new(0, 15 * H);
        assert_eq!(downtime_seconds(&[on_fs19], ALWAYS, MONTH, 0), 5 * H);
        // Moved to fs20, which was down too, 16h-22h: union of 10-15 and 16-20.
        let mut on_fs20 = outage(16 * H, 22 * H);
        on_fs20.placement = Interval::new(15 * H, 20 * H);
        assert_eq!(downtime_seconds(&[on_fs19, on_fs20], ALWAYS, MONTH, 0), 9 * H);
    }

    #[test]
    fn a_customer_who_signed_up_during_the_incident_counts_from_sign_up() {
        let outages = [outage(10 * H, 20 * H)];
        assert_eq!(downtime_seconds(&outages, Interval::new(17 * H, i64::MAX / 4), MONTH, 0), 3 * H);
        // ... and one whose subscription ended during it, until the end.
        assert_eq!(downtime_seconds(&outages, Interval::new(0, 11 * H), MONTH, 0), H);
        // Signed up after it: nothing.
        assert_eq!(downtime_seconds(&outages, Interval::new(21 * H, i64::MAX / 4), MONTH, 0), 0);
    }

    #[test]
    fn maintenance_announced_ahead_is_excluded_and_late_notice_counts() {
        let announce = 7 * DAY;
        let mut planned = outage(20 * DAY, 20 * DAY + 2 * H);
        planned.maintenance_announced_at = Some(13 * DAY); // exactly 7 days ahead
        assert_eq!(downtime_seconds(&[planned], ALWAYS, MONTH, announce), 0);
        planned.maintenance_announced_at = Some(13 * DAY + 1); // one second short
        assert_eq!(downtime_seconds(&[planned], ALWAYS, MONTH, announce), 2 * H);
        // Excluded maintenance does not hide an incident overlapping it.
        planned.maintenance_announced_at = Some(0);
        let incident = outage(20 * DAY + H, 20 * DAY + 3 * H);
        assert_eq!(downtime_seconds(&[planned, incident], ALWAYS, MONTH, announce), 2 * H);
    }

    #[test]
    fn downtime_is_clipped_to_the_period() {
        let outages = [outage(-2 * H, 2 * H), outage(30 * DAY - H, 30 * DAY + 5 * H)];
        assert_eq!(downtime_seconds(&outages, ALWAYS, MONTH, 0), 3 * H);
    }

    #[test]
    fn union_is_sorted_and_disjoint() {
        let merged = union(vec![
            Interval::new(5, 9),
            Interval::new(1, 3),
            Interval::new(2, 4),
            Interval::new(7, 7),
            Interval::new(8, 12),
        ]);
        assert_eq!(merged, vec![Interval::new(1, 4), Interval::new(5, 12)]);
    }
}
