//! Signed-in customers reading their invoices, as a load on the portal: one thread per
//! customer with a blocking HTTP client that keeps its connection, as a browser does.
//!
//! Each customer asks for one page per `interval` on a fixed beat (a page that takes longer
//! than the beat is followed at once by the next, never by a burst to catch up), so the rate
//! is what the customers would ask for and the times are what they would wait.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::latency::Latencies;

/// What a customer looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `/account/invoices`
    List,
    /// `/account/invoices/{invoice}`
    Invoice,
    /// `/account/invoices/{invoice}/pdf`
    Pdf,
}

impl PageKind {
    pub const ALL: [PageKind; 3] = [PageKind::List, PageKind::Invoice, PageKind::Pdf];

    pub fn label(self) -> &'static str {
        match self {
            PageKind::List => "invoice list",
            PageKind::Invoice => "one invoice's page",
            PageKind::Pdf => "its PDF",
        }
    }
}

/// One request and what its answer must contain to count as served.
#[derive(Debug, Clone)]
pub struct Visit {
    pub kind: PageKind,
    pub path: String,
    /// Bytes the body must contain (the invoice number on its page, `%PDF-` in a PDF).
    pub expect: String,
}

/// A signed-in customer: their session cookie and the pages they go through, in turn.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub session_cookie: String,
    pub visits: Vec<Visit>,
}

/// The pages a customer with `invoices` (newest first) goes through: the list, then an
/// invoice's page and its PDF, for each invoice in turn.
pub fn visits_of(invoices: &[String]) -> Vec<Visit> {
    let list = Visit { kind: PageKind::List, path: "/account/invoices".to_owned(), expect: String::new() };
    if invoices.is_empty() {
        return vec![list];
    }
    invoices
        .iter()
        .flat_map(|number| {
            [
                list.clone(),
                Visit {
                    kind: PageKind::Invoice,
                    path: format!("/account/invoices/{number}"),
                    expect: number.clone(),
                },
                Visit {
                    kind: PageKind::Pdf,
                    path: format!("/account/invoices/{number}/pdf"),
                    expect: "%PDF-".to_owned(),
                },
            ]
        })
        .collect()
}

/// What the customers saw.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    list: Latencies,
    invoice: Latencies,
    pdf: Latencies,
    pub requests: usize,
    pub errors: usize,
    /// The first error, to say what went wrong.
    pub first_error: Option<String>,
    pub elapsed: Duration,
}

impl Tally {
    pub fn of(&self, kind: PageKind) -> &Latencies {
        match kind {
            PageKind::List => &self.list,
            PageKind::Invoice => &self.invoice,
            PageKind::Pdf => &self.pdf,
        }
    }

    fn of_mut(&mut self, kind: PageKind) -> &mut Latencies {
        match kind {
            PageKind::List => &mut self.list,
            PageKind::Invoice => &mut self.invoice,
            PageKind::Pdf => &mut self.pdf,
        }
    }

    /// The pages a person waits for on screen (the list and an invoice's page), not downloads.
    pub fn pages(&self) -> Latencies {
        let mut pages = self.of(PageKind::List).clone();
        pages.merge(self.of(PageKind::Invoice));
        pages
    }

    pub fn per_second(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 { self.requests as f64 / seconds } else { 0.0 }
    }

    fn record(&mut self, kind: PageKind, time: Duration, outcome: Result<(), String>) {
        self.requests += 1;
        match outcome {
            Ok(()) => self.of_mut(kind).record(time),
            Err(error) => {
                self.errors += 1;
                self.first_error.get_or_insert(error);
            }
        }
    }

    fn merge(&mut self, other: Tally) {
        for kind in PageKind::ALL {
            self.of_mut(kind).merge(other.of(kind));
        }
        self.requests += other.requests;
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }
}

/// How the customers behave and for how long at most.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// One page per customer per interval.
    pub interval: Duration,
    /// The load ends after this long, or earlier when `stop` is set.
    pub limit: Duration,
}

/// Runs every visitor against `base` (`http://127.0.0.1:PORT`) until `stop` or the limit.
/// Starts are spread evenly over the first interval, as customers do not arrive in step.
pub fn run(base: &str, visitors: &[Visitor], pace: Pace, stop: &AtomicBool) -> Tally {
    let started = Instant::now();
    let count = visitors.len().max(1) as u32;
    let mut tally = std::thread::scope(|scope| {
        let handles: Vec<_> = visitors
            .iter()
            .enumerate()
            .map(|(n, visitor)| {
                let offset = pace.interval * n as u32 / count;
                scope.spawn(move || browse(base, visitor, pace, offset, started, stop))
            })
            .collect();
        let mut tally = Tally::default();
        for handle in handles {
            match handle.join() {
                Ok(part) => tally.merge(part),
                Err(_) => tally.record(PageKind::List, Duration::ZERO, Err("a visitor panicked".to_owned())),
            }
        }
        tally
    });
    tally.elapsed = started.elapsed();
    tally
}

fn browse(
    base: &str,
    visitor: &Visitor,
    pace: Pace,
    offset: Duration,
    started: Instant,
    stop: &AtomicBool,
) -> Tally {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let cookie = format!("{}={}", crate::web::state::SESSION_COOKIE, visitor.session_cookie);
    let mut tally = Tally::default();
    let mut next = started + offset;
    for visit in visitor.visits.iter().cycle() {
        if !wait_until(next, started + pace.limit, stop) {
            break;
        }
        let asked = Instant::now();
        let outcome = fetch(&agent, &format!("{base}{}", visit.path), &cookie, &visit.expect);
        tally.record(visit.kind, asked.elapsed(), outcome);
        next = (next + pace.interval).max(Instant::now());
    }
    tally
}

/// Sleeps until `at`; false when the load is to end first.
fn wait_until(at: Instant, end: Instant, stop: &AtomicBool) -> bool {
    loop {
        let now = Instant::now();
        if stop.load(Ordering::Relaxed) || now >= end {
            return false;
        }
        if now >= at {
            return true;
        }
        // Short naps, so a stop is heard within a tenth of a second.
        std::thread::sleep((at - now).min(Duration::from_millis(100)));
    }
}

fn fetch(agent: &ureq::Agent, url: &str, cookie: &str, expect: &str) -> Result<(), String> {
    let response = agent.get(url).header("Cookie", cookie).call().map_err(|e| format!("{url}: {e}"))?;
    let status = response.status().as_u16();
    let body = response
        .into_body()
        .with_config()
        .limit(4 * 1024 * 1024)
        .read_to_vec()
        .map_err(|e| format!("{url}: reading the body: {e}"))?;
    if status != 200 {
        return Err(format!("{url}: status {status}"));
    }
    if !contains(&body, expect.as_bytes()) {
        return Err(format!("{url}: the answer lacks {expect:?}"));
    }
    Ok(())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_reads_the_list_then_each_invoice_s_page_and_pdf_in_turn() {
        let visits = visits_of(&["2026-000002".to_owned(), "2026-000001".to_owned()]);
        let paths: Vec<&str> = visits.iter().map(|v| v.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/account/invoices",
                "/account/invoices/2026-000002",
                "/account/invoices/2026-000002/pdf",
                "/account/invoices",
                "/account/invoices/2026-000001",
                "/account/invoices/2026-000001/pdf",
            ]
        );
        assert_eq!(visits[1].expect, "2026-000002");
        assert_eq!(visits[2].expect, "%PDF-");
        assert_eq!(visits_of(&[]).len(), 1, "without invoices only the list");
    }

    #[test]
    fn errors_are_counted_apart_from_the_times_and_the_first_one_is_kept() {
        let mut tally = Tally::default();
        tally.record(PageKind::List, Duration::from_millis(5), Ok(()));
        tally.record(PageKind::Pdf, Duration::from_millis(7), Err("first".to_owned()));
        let mut other = Tally::default();
        other.record(PageKind::Invoice, Duration::from_millis(9), Ok(()));
        other.record(PageKind::Invoice, Duration::from_millis(1), Err("second".to_owned()));
        tally.merge(other);
        assert_eq!((tally.requests, tally.errors), (4, 2));
        assert_eq!(tally.first_error.as_deref(), Some("first"));
        assert_eq!(tally.of(PageKind::Pdf).spread().count, 0, "a failed request has no time");
        assert_eq!(tally.pages().spread().count, 2);
        assert_eq!(tally.pages().spread().max, Duration::from_millis(9));
    }

    #[test]
    fn a_body_must_contain_what_the_page_is_for() {
        assert!(contains(b"%PDF-1.7 ...", b"%PDF-"));
        assert!(!contains(b"<html>sign in</html>", b"2026-000001"));
        assert!(contains(b"anything", b""));
    }

    #[test]
    fn a_wait_ends_at_once_when_told_to_stop_or_past_the_limit() {
        let stop = AtomicBool::new(true);
        let far = Instant::now() + Duration::from_secs(3600);
        assert!(!wait_until(far, far, &stop));
        let go = AtomicBool::new(false);
        assert!(!wait_until(far, Instant::now(), &go), "the limit has passed");
        assert!(wait_until(Instant::now(), far, &go), "the beat has come");
    }
}
