//! `kontor bench portal`: signed-in customers reading their invoices while the monthly batch
//! with PDFs runs on the same machine. Measured in one run, side by side: the portal's times
//! alone and while the batch runs, and the batch's rate alone and while the portal is used.
//!
//! The portal is the real server (in this process, its own pool as `kontor serve` has); the
//! batch is the real billing run with its own pool at the batch's priority, as
//! `kontor billing run` beside a server is. Customers are modelled by [`super::load`].

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::TimeZone;
use diesel::prelude::*;

use super::load::{self, Pace, PageKind, Tally, Visitor};
use super::{BenchError, Scratch};
use crate::config::Settings;
use crate::db::{PgPool, Workload};
use crate::invoicing::BillingMonth;

/// The bench's own instant: the fifth of December, when December's periods are due.
const NOW: (i32, u32, u32) = (2026, 12, 5);
/// The signed-in customers have been invoiced since September (three invoices each).
const HISTORY_FROM: &str = "2026-09";
const BATCH_MONTH: &str = "2026-12";
/// However the batch goes, the load ends after this long.
const LOAD_LIMIT: Duration = Duration::from_secs(3 * 3600);

#[derive(Debug, Clone)]
pub struct PortalBench {
    /// Customers the batch invoices (twice over: once alone, once under load).
    pub customers: i64,
    /// Customers signed in and reading their invoices.
    pub signed_in: usize,
    /// How long the portal is measured alone.
    pub seconds: u64,
    /// Each customer asks for one page per interval.
    pub interval: Duration,
    /// The batch's worker threads.
    pub workers: usize,
    /// The batch's priority (Unix nice) for its threads and database backends.
    pub nice: i32,
}

/// One billing run's rate.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BatchRate {
    pub invoices: usize,
    pub seconds: f64,
}

impl BatchRate {
    pub fn per_second(self) -> f64 {
        if self.seconds > 0.0 { self.invoices as f64 / self.seconds } else { 0.0 }
    }
}

#[derive(Debug, Clone)]
pub struct PortalReport {
    pub params: PortalBench,
    pub web_pool: u32,
    pub batch_pool: u32,
    pub idle: Tally,
    pub under_batch: Tally,
    pub batch_alone: BatchRate,
    pub batch_under_load: BatchRate,
}

/// The goals of issue 22: pages' p99 under 100 ms with no error while the batch runs, and the
/// batch at 80 % or more of its rate alone.
pub const PAGE_P99_GOAL: Duration = Duration::from_millis(100);
pub const BATCH_SHARE_GOAL: f64 = 0.8;

impl PortalReport {
    /// The batch's rate under load as a share of its rate alone.
    pub fn batch_share(&self) -> f64 {
        share(self.batch_under_load, self.batch_alone)
    }

    pub fn pages_goal_met(&self) -> bool {
        self.under_batch.errors == 0
            && self.under_batch.requests > 0
            && self.under_batch.pages().spread().p99 < PAGE_P99_GOAL
    }
}

fn share(loaded: BatchRate, alone: BatchRate) -> f64 {
    let alone = alone.per_second();
    if alone > 0.0 { loaded.per_second() / alone } else { 0.0 }
}

/// Runs the benchmark in the scratch database of the local cluster.
pub fn portal(settings: &Settings, params: PortalBench) -> Result<PortalReport, BenchError> {
    let scratch = Scratch::open(settings)?;
    let report = measure(settings, &scratch.url, params);
    scratch.finish()?;
    report
}

/// The benchmark in the migrated, empty database at `url`, which must be on this machine (the
/// batch's backends are reniced by process id).
pub fn measure(settings: &Settings, url: &str, params: PortalBench) -> Result<PortalReport, BenchError> {
    let settings = bench_settings(settings);
    let running = AtomicBool::new(true);
    std::thread::scope(|scope| {
        scope.spawn(|| keep_time(&settings.clock, &running));
        let report = phases(&settings, url, params);
        running.store(false, Ordering::Relaxed);
        report
    })
}

/// Moves the bench's clock on with the real one: sessions are touched and idle as they
/// would be, from the same instant in every run.
fn keep_time(clock: &crate::clock::Clock, running: &AtomicBool) {
    let mut last = Instant::now();
    while running.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(100));
        let now = Instant::now();
        clock.advance(chrono::Duration::from_std(now - last).unwrap_or_default());
        last = now;
    }
}

fn phases(settings: &Settings, url: &str, params: PortalBench) -> Result<PortalReport, BenchError> {
    let mut conn = PgConnection::establish(url)?;
    let batch_size = 2 * params.workers.max(1) as u32 + 2;
    let batch_pool =
        crate::db::pool_for(url, batch_size, Workload::Batch { backend_nice: Some(params.nice) })?;
    let month = |text: &str| text.parse::<BillingMonth>().map_err(|e| BenchError::Invoicing(e.to_string()));

    // Untimed setup: customers with a few months of invoices, signed in.
    crate::seed::customers(&mut conn, params.signed_in.max(1) as i64, month(HISTORY_FROM)?)?;
    let previous = month(BATCH_MONTH)?.first_day() - chrono::Days::new(1);
    billing_run(settings, &batch_pool, BillingMonth::containing(previous), true, &params)?;
    let visitors = sign_in(&mut conn, settings, params.signed_in)?;
    crate::seed::customers(&mut conn, params.customers, month(BATCH_MONTH)?)?;

    let server = Server::start(settings, crate::db::pool(url, settings.db_pool_size)?)?;
    let base = format!("http://127.0.0.1:{}", server.port);
    let never = AtomicBool::new(false);
    // One round unmeasured: connections opened, templates and caches warm.
    load::run(&base, &visitors, Pace { interval: params.interval, limit: params.interval }, &never);
    let idle = load::run(
        &base,
        &visitors,
        Pace { interval: params.interval, limit: Duration::from_secs(params.seconds) },
        &never,
    );

    let batch_alone = billing_run(settings, &batch_pool, month(BATCH_MONTH)?, false, &params)?;
    // As many customers again for the run under load, invoiced in the same month.
    crate::seed::customers(&mut conn, params.customers, month(BATCH_MONTH)?)?;
    let stop = AtomicBool::new(false);
    let (under_batch, batch_under_load) = std::thread::scope(|scope| {
        let customers = scope.spawn(|| {
            load::run(&base, &visitors, Pace { interval: params.interval, limit: LOAD_LIMIT }, &stop)
        });
        let load_started = Instant::now();
        let batch = billing_run(settings, &batch_pool, month(BATCH_MONTH)?, false, &params);
        // A batch shorter than one round of pages (a small one) still sees every page asked
        // for once; a real batch runs for minutes and is not lengthened.
        let round = params.interval * (PageKind::ALL.len() as u32 + 1);
        std::thread::sleep(round.saturating_sub(load_started.elapsed()));
        stop.store(true, Ordering::Relaxed);
        let tally = customers.join().map_err(|_| BenchError::Invoicing("the load panicked".to_owned()))?;
        Ok::<_, BenchError>((tally, batch?))
    })?;
    server.stop();
    Ok(PortalReport {
        params,
        web_pool: settings.db_pool_size,
        batch_pool: batch_size,
        idle,
        under_batch,
        batch_alone,
        batch_under_load,
    })
}

/// The settings with the bench's own clock (from a fixed instant), and a free port on the
/// loopback.
fn bench_settings(settings: &Settings) -> Settings {
    let mut settings = settings.clone();
    let (year, month, day) = NOW;
    let now = chrono::Utc.with_ymd_and_hms(year, month, day, 10, 0, 0).single().unwrap_or_default();
    settings.clock = crate::clock::Clock::fixed(now, settings.time_zone);
    settings.bind = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    settings.public_url = format!("http://{}", settings.bind);
    settings.secure_cookies = false;
    settings
}

/// The month's billing run on a thread of its own at the batch's priority (its workers and
/// renderers inherit it). Returns what it issued and how long it took.
fn billing_run(
    settings: &Settings,
    pool: &PgPool,
    month: BillingMonth,
    catch_up: bool,
    params: &PortalBench,
) -> Result<BatchRate, BenchError> {
    let options = crate::invoicing::batch::RunOptions {
        month,
        catch_up,
        workers: params.workers,
        chunk_size: 500,
        dry_run: false,
        lock_wait: crate::invoicing::batch::LOCK_WAIT,
    };
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                crate::priority::lower_this_thread(params.nice)
                    .map_err(|e| BenchError::Io("lowering the batch's priority".to_owned(), e))?;
                let started = Instant::now();
                let summary = crate::jobs::billing::run_configured(
                    settings,
                    pool,
                    &options,
                    &crate::invoicing::progress::Reporter::Silent,
                )
                .map_err(|e| BenchError::Invoicing(e.to_string()))?;
                if let Some((subscription, reason)) = summary.failed.first() {
                    return Err(BenchError::Invoicing(format!("subscription {subscription}: {reason}")));
                }
                Ok(BatchRate { invoices: summary.issued, seconds: started.elapsed().as_secs_f64() })
            })
            .join()
            .map_err(|_| BenchError::Invoicing("the batch panicked".to_owned()))?
    })
}

#[derive(QueryableByName)]
struct SignedIn {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    user_id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    customer_id: i64,
}

/// Gives `count` customers a log-in and a session each (as the tests' session helper does: no
/// password hashing, which is not what is measured); their pages are their invoices.
fn sign_in(conn: &mut PgConnection, settings: &Settings, count: usize) -> Result<Vec<Visitor>, BenchError> {
    use crate::db::schema::invoices;
    let now = settings.clock.now();
    let users: Vec<SignedIn> = diesel::sql_query(
        "INSERT INTO users (email, role, customer_id, language, email_verified_at)
         SELECT c.email, 'customer', c.id, c.language, $1 FROM customers c
          WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.customer_id = c.id)
          ORDER BY c.id LIMIT $2
         RETURNING id AS user_id, customer_id",
    )
    .bind::<diesel::sql_types::Timestamptz, _>(now)
    .bind::<diesel::sql_types::BigInt, _>(count as i64)
    .load(conn)?;
    let mut visitors = Vec::with_capacity(users.len());
    for user in users {
        let token = crate::accounts::session::start(
            conn,
            crate::ids::UserId(user.user_id),
            "127.0.0.1",
            "kontor bench",
            now,
        )
        .map_err(|e| BenchError::Invoicing(e.to_string()))?;
        let numbers: Vec<String> = invoices::table
            .filter(invoices::customer_id.eq(user.customer_id))
            .filter(invoices::kind.eq("invoice"))
            .order(invoices::number.desc())
            .select(invoices::number)
            .load(conn)?;
        visitors
            .push(Visitor { session_cookie: token.as_str().to_owned(), visits: load::visits_of(&numbers) });
    }
    Ok(visitors)
}

/// The portal on a thread of its own, as `kontor serve` runs it.
struct Server {
    port: u16,
    handle: actix_web::dev::ServerHandle,
    thread: std::thread::JoinHandle<()>,
}

impl Server {
    fn start(settings: &Settings, pool: PgPool) -> Result<Server, BenchError> {
        let (sender, receiver) = std::sync::mpsc::channel();
        let settings = settings.clone();
        let thread = std::thread::spawn(move || {
            let system = actix_web::rt::System::new();
            match system.block_on(async { crate::web::Application::build(&settings, pool) }) {
                Ok(app) => {
                    let _ = sender.send(Ok((app.port(), app.handle())));
                    let _ = system.block_on(app.run_until_stopped());
                }
                Err(error) => {
                    let _ = sender.send(Err(error));
                }
            }
        });
        let started = receiver.recv().map_err(std::io::Error::other).and_then(|r| r);
        let (port, handle) = started.map_err(|e| BenchError::Io("starting the portal".to_owned(), e))?;
        Ok(Server { port, handle, thread })
    }

    fn stop(self) {
        actix_web::rt::System::new().block_on(self.handle.stop(true));
        let _ = self.thread.join();
    }
}

impl fmt::Display for PortalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.params;
        writeln!(
            f,
            "{} signed-in customers, each asking for one page every {:.2} s on a fixed beat (their invoice list, \
             an invoice's page, its PDF, in turn); web pool {} connections",
            p.signed_in,
            p.interval.as_secs_f64(),
            self.web_pool
        )?;
        writeln!(
            f,
            "batch: {} customers with PDFs and emails, {} worker(s), pool {} connections, nice {}",
            p.customers, p.workers, self.batch_pool, p.nice
        )?;
        writeln!(
            f,
            "{:<22} {:<20} {:>8} {:>6} {:>8} {:>8} {:>8} {:>8}",
            "phase", "page", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms"
        )?;
        for (phase, tally) in [("portal alone", &self.idle), ("while the batch runs", &self.under_batch)] {
            for kind in PageKind::ALL {
                row(f, phase, kind.label(), tally.of(kind).spread().count, None, tally.of(kind).spread())?;
            }
            let pages = tally.pages().spread();
            row(f, phase, "pages (list + invoice)", pages.count, Some(tally.errors), pages)?;
        }
        for (phase, tally) in [("portal alone", &self.idle), ("while the batch runs", &self.under_batch)] {
            writeln!(
                f,
                "{phase}: {} requests in {:.1} s = {:.1} requests/s, {} errors{}",
                tally.requests,
                tally.elapsed.as_secs_f64(),
                tally.per_second(),
                tally.errors,
                tally.first_error.as_deref().map(|e| format!(" (first: {e})")).unwrap_or_default()
            )?;
        }
        for (label, rate) in [("batch alone", self.batch_alone), ("batch under load", self.batch_under_load)]
        {
            writeln!(
                f,
                "{label:<17} {:>8} invoices in {:>7.1} s = {:>6.0} invoices/s",
                rate.invoices,
                rate.seconds,
                rate.per_second()
            )?;
        }
        let pages = self.under_batch.pages().spread();
        writeln!(
            f,
            "goal pages' p99 < {} ms with 0 errors while the batch runs: {} (p99 {:.1} ms, {} errors)",
            PAGE_P99_GOAL.as_millis(),
            verdict(self.pages_goal_met()),
            millis(pages.p99),
            self.under_batch.errors
        )?;
        writeln!(
            f,
            "goal batch >= {:.0} % of its rate alone: {} ({:.0} %)",
            BATCH_SHARE_GOAL * 100.0,
            verdict(self.batch_share() >= BATCH_SHARE_GOAL),
            self.batch_share() * 100.0
        )
    }
}

fn row(
    f: &mut fmt::Formatter<'_>,
    phase: &str,
    page: &str,
    count: usize,
    errors: Option<usize>,
    spread: super::latency::Spread,
) -> fmt::Result {
    let errors = errors.map(|e| e.to_string()).unwrap_or_default();
    writeln!(
        f,
        "{phase:<22} {page:<20} {count:>8} {errors:>6} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
        millis(spread.p50),
        millis(spread.p95),
        millis(spread.p99),
        millis(spread.max)
    )
}

fn millis(time: Duration) -> f64 {
    time.as_secs_f64() * 1e3
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_batch_s_share_is_its_rate_under_load_over_its_rate_alone() {
        let alone = BatchRate { invoices: 1000, seconds: 2.0 };
        let loaded = BatchRate { invoices: 1000, seconds: 2.5 };
        assert!((share(loaded, alone) - 0.8).abs() < 1e-9);
        assert_eq!(share(loaded, BatchRate::default()), 0.0, "no rate alone, no share");
        assert_eq!(BatchRate { invoices: 5, seconds: 0.0 }.per_second(), 0.0);
    }

    #[test]
    fn the_bench_runs_on_its_own_day_and_port() {
        let settings = Settings::from_lookup(|_| None).unwrap();
        let bench = bench_settings(&settings);
        assert_eq!(bench.clock.today(), chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap());
        assert_eq!(bench.bind.port(), 0, "a free port");
        assert!(bench.bind.ip().is_loopback());
        assert_eq!(BillingMonth::containing(bench.clock.today()).to_string(), BATCH_MONTH);
    }
}
