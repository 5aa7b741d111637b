//! `kontor` commands: benchmarks and development helpers (the fake PayPal).

use clap::Subcommand;

use super::CliError;
use crate::bench;
use crate::config::Settings;

#[derive(Subcommand)]
pub(super) enum BenchCommand {
    /// N invoices over 2026 seeded set-based; the OSS return of Q4, closing November and its
    /// DATEV export beside a plain SELECT of the same rows.
    Accounting {
        #[arg(long, default_value_t = 1_000_000)]
        invoices: i64,
    },
    /// Compensation preview and issue for one incident affecting N customers.
    Compensation {
        #[arg(long, default_value_t = 100_000)]
        customers: i64,
    },
    /// Seed customers and run the month's invoice batch; with --baseline also insert the same
    /// rows with plain multi-row INSERTs.
    Billing {
        #[arg(long, default_value_t = 100_000)]
        customers: i64,
        #[arg(long, default_value_t = 2)]
        workers: usize,
        #[arg(long, default_value_t = 500)]
        chunk: usize,
        #[arg(long)]
        baseline: bool,
    },
    /// The daily dunning run over N customers, 8 % of them overdue: letters with PDFs, beside
    /// plain INSERTs of the same notice rows.
    Dunning {
        #[arg(long, default_value_t = 100_000)]
        customers: i64,
        #[arg(long, default_value_t = 8)]
        overdue_percent: i64,
        #[arg(long, default_value_t = 2)]
        workers: usize,
        /// Notices per transaction (1: each its own, as before chunks).
        #[arg(long, default_value_t = crate::collections::run::DEFAULT_CHUNK)]
        chunk: usize,
    },
    /// Render invoice PDFs on one core (no database), and the same invoice with headless
    /// Chromium for comparison: started per invoice, and kept warm.
    Pdf {
        #[arg(long, default_value_t = 2_000)]
        count: usize,
        /// Cold Chromium runs, a browser start per invoice (0: skip both comparisons).
        #[arg(long, default_value_t = 5)]
        chromium_runs: usize,
        /// Invoices printed by one warm Chromium through chromedriver (0: skip).
        #[arg(long, default_value_t = 100)]
        warm_chromium_runs: usize,
        /// Also write a sample PDF per language to this folder.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Also render the same invoices as Factur-X (CII XML + PDF/A-3) in the same run.
        #[arg(long)]
        facturx: bool,
    },
    /// Signed-in customers reading their invoices (list, page, PDF) while the month's batch
    /// with PDFs runs: the portal's p50/p95/p99 alone and under the batch, and the batch's rate
    /// alone and under the load.
    Portal {
        /// Customers the batch invoices, once alone and once under load.
        #[arg(long, default_value_t = 100_000)]
        customers: i64,
        /// Customers signed in at once, one thread each.
        #[arg(long, default_value_t = 50)]
        signed_in: usize,
        /// Seconds the portal is measured alone.
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// Each customer asks for one page every this many milliseconds.
        #[arg(long, default_value_t = 1_000)]
        interval_ms: u64,
        #[arg(long, default_value_t = 2)]
        workers: usize,
        /// The batch's priority, 0-19 (default KONTOR_BATCH_NICE); 0 runs it like the portal.
        #[arg(long, value_parser = clap::value_parser!(i32).range(0..=19))]
        nice: Option<i32>,
    },
    /// Import a generated camt.053 with one entry per open invoice (the invoices are made by
    /// the real batch first, untimed).
    Bank {
        /// Statement sizes, comma-separated: each is imported against open invoices of its own,
        /// in the same run (`--entries 10000,100000` shows whether the cost per entry is flat).
        #[arg(long, value_delimiter = ',', default_value = "100000")]
        entries: Vec<i64>,
    },
    /// The support console's search box: N customers (invoices, mandates, PayPal orders)
    /// seeded by PostgreSQL, then p50/p99 of each kind of query beside primary-key lookups.
    Search {
        #[arg(long, default_value_t = 1_000_000)]
        customers: i64,
        /// Queries of each kind.
        #[arg(long, default_value_t = 200)]
        queries: usize,
        /// Leave the scratch database `kontor_bench` for looking at query plans.
        #[arg(long)]
        keep: bool,
    },
    /// Every finance report over a year of N invoices seeded by PostgreSQL, beside a plain
    /// count and sum over the same rows.
    Reports {
        #[arg(long, default_value_t = 1_000_000)]
        invoices: i64,
        /// Leave the scratch database `kontor_bench` for looking at query plans.
        #[arg(long)]
        keep: bool,
    },
    /// Post 4-posting journal entries: one per transaction, in batches, and plain INSERTs.
    Ledger {
        /// Entries posted one per transaction.
        #[arg(long, default_value_t = 2_000)]
        single: usize,
        /// Entries posted in batches.
        #[arg(long, default_value_t = 50_000)]
        batched: usize,
        /// Entries per batch (one transaction each).
        #[arg(long, default_value_t = 1_000)]
        batch_size: usize,
    },
}

#[derive(Subcommand)]
pub(super) enum DevCommand {
    /// Serve a fake PayPal API (orders, captures, refunds, webhook verification, an approval
    /// page) until Ctrl-C, for the demo; prints the KONTOR_PAYPAL_* variables to give Kontor.
    PaypalFake {
        #[arg(long, default_value = "127.0.0.1:8099")]
        bind: String,
        /// Kontor's webhook address; the fake then posts signed webhooks after each capture and
        /// refund (default: http://$KONTOR_BIND/webhooks/paypal).
        #[arg(long)]
        webhook_url: Option<String>,
    },
    /// Serve a fake VIES (the EU's VAT ID check) until Ctrl-C, for the demo: every VAT ID is
    /// valid but those given with --invalid; prints the KONTOR_VIES_URL to give Kontor.
    ViesFake {
        #[arg(long, default_value = "127.0.0.1:8098")]
        bind: String,
        /// A VAT ID (with its prefix, e.g. ATU13585627) the fake calls invalid; repeatable.
        #[arg(long)]
        invalid: Vec<String>,
    },
}

pub(super) fn bench(command: BenchCommand, settings: &Settings) -> Result<(), CliError> {
    match command {
        BenchCommand::Accounting { invoices } => {
            print!("{}", bench::accounting::accounting(settings, invoices)?);
            Ok(())
        }
        BenchCommand::Compensation { customers } => {
            print!("{}", bench::compensation::compensation(settings, customers)?);
            Ok(())
        }
        BenchCommand::Billing { customers, workers, chunk, baseline } => {
            let report =
                bench::billing(settings, bench::BillingBench { customers, workers, chunk, baseline })?;
            print!("{report}");
            Ok(())
        }
        BenchCommand::Dunning { customers, overdue_percent, workers, chunk } => {
            let params = bench::dunning::DunningBench { customers, overdue_percent, workers, chunk };
            print!("{}", bench::dunning::dunning(settings, params)?);
            Ok(())
        }
        BenchCommand::Portal { customers, signed_in, seconds, interval_ms, workers, nice } => {
            let params = bench::portal::PortalBench {
                customers,
                signed_in,
                seconds,
                interval: std::time::Duration::from_millis(interval_ms.max(1)),
                workers,
                nice: nice.unwrap_or(settings.batch_nice),
            };
            print!("{}", bench::portal::portal(settings, params)?);
            Ok(())
        }
        BenchCommand::Bank { entries } => {
            print!("{}", bench::bank(settings, bench::BankBench { entries })?);
            Ok(())
        }
        BenchCommand::Pdf { count, chromium_runs, warm_chromium_runs, out, facturx } => {
            let params = bench::PdfBench { count, chromium_runs, warm_chromium_runs, out, facturx };
            print!("{}", bench::pdf(params)?);
            Ok(())
        }
        BenchCommand::Search { customers, queries, keep } => {
            let params = bench::search::SearchBench { customers, queries, keep };
            print!("{}", bench::search::search(settings, params)?);
            Ok(())
        }
        BenchCommand::Reports { invoices, keep } => {
            let params = bench::reports::ReportsBench { invoices, keep };
            print!("{}", bench::reports::reports(settings, params)?);
            Ok(())
        }
        BenchCommand::Ledger { single, batched, batch_size } => {
            let report = bench::ledger(settings, bench::LedgerBench { single, batched, batch_size })?;
            print!("{report}");
            Ok(())
        }
    }
}

pub(super) fn dev(command: DevCommand, settings: &Settings) -> Result<(), CliError> {
    match command {
        DevCommand::PaypalFake { bind, webhook_url } => {
            use crate::payments::paypal::fake;
            let webhook_url =
                webhook_url.unwrap_or_else(|| format!("{}/webhooks/paypal", settings.public_url));
            fake::serve_until_stopped(&bind, Some(&webhook_url), |url| {
                println!("Fake PayPal on {url} (Ctrl-C stops it); webhooks go to {webhook_url}.");
                println!("Start Kontor with:");
                println!(
                    "  KONTOR_PAYPAL_CLIENT_ID={} KONTOR_PAYPAL_SECRET={} \\",
                    fake::CLIENT_ID,
                    fake::SECRET
                );
                println!(
                    "  KONTOR_PAYPAL_WEBHOOK_ID={} KONTOR_PAYPAL_API_URL={url} kontor demo",
                    fake::WEBHOOK_ID
                );
            })?;
            Ok(())
        }
        DevCommand::ViesFake { bind, invalid } => {
            crate::tax::vies::fake::serve_until_stopped(&bind, &invalid, |url| {
                println!("Fake VIES on {url} (Ctrl-C stops it): every VAT ID is valid but {invalid:?}.");
                println!("Start Kontor with:");
                println!("  KONTOR_VIES_URL={url} kontor demo");
            })?;
            Ok(())
        }
    }
}
