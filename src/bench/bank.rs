//! `kontor bench bank`: a camt.053 statement with one entry per open invoice, imported
//! against that many open invoices. The invoices are made by the real batch (PDFs and all),
//! which takes minutes; only the import is timed.

use std::time::Instant;

use chrono::NaiveDate;
use diesel::prelude::*;
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::{BenchError, Measurement, Report, Scratch, peak_rss_kib};
use crate::config::Settings;
use crate::db::schema::{customers, invoices};
use crate::money::Money;
use crate::payments::bank::ImportRequest;

/// The account the generated statement is for.
const BENCH_IBAN: &str = "DE02120300000000202051";
use crate::payments::bank::statement::{Movement, StatementHeader, write_camt053};

pub struct BankBench {
    /// Customers, open invoices and statement entries.
    pub entries: i64,
}

pub fn bank(settings: &Settings, params: BankBench) -> Result<Report, BenchError> {
    let scratch = Scratch::open(settings)?;
    let mut conn = PgConnection::establish(&scratch.url)?;
    let month: crate::invoicing::BillingMonth = "2026-12".parse().map_err(|_| BenchError::BatchSize)?;
    let mut report = Report { title: "bank statement import".to_owned(), ..Report::default() };

    let started = Instant::now();
    let pool = crate::db::pool(&scratch.url, 6)?;
    super::seed_and_invoice(settings, &mut conn, &pool, params.entries, month)?;
    report
        .notes
        .push(format!("setup (seed and invoice run): {:.0} s, not timed", started.elapsed().as_secs_f64()));

    let path = settings.data_dir.join("bench-camt053.xml");
    let movements = statement_movements(&mut conn)?;
    let entries = movements.len();
    {
        let file = std::fs::File::create(&path).map_err(|e| BenchError::Io(path.display().to_string(), e))?;
        let mut out = std::io::BufWriter::new(file);
        let header = StatementHeader { id: "BENCH-1", iban: BENCH_IBAN, created: day() };
        write_camt053(&mut out, &header, movements)
            .map_err(|e| BenchError::Io(path.display().to_string(), e))?;
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or_default();
    report.notes.push(format!("statement: {entries} entries, {:.1} MB", size as f64 / 1e6));

    // Peak memory from here on: the setup's batch is not the import's cost.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let returns = settings.sepa_returns();
    // The generated statement is for an account of its own, not the configured seller's.
    let accounts =
        [crate::payments::bank::OwnAccount { iban: BENCH_IBAN.to_owned(), currency: Currency::EUR }];
    let request = ImportRequest {
        file_name: "",
        actor: None,
        now: settings.clock.now(),
        returns: &returns,
        accounts: &accounts,
    };
    let actor = crate::audit::Actor::system("bench");
    let import = |conn: &mut diesel::PgConnection| {
        crate::payments::bank::import_file(conn, &path, &request, &actor, &|_| {})
            .map_err(|e| BenchError::Invoicing(e.to_string()))
    };
    let started = Instant::now();
    let summary = import(&mut conn)?;
    report.measurements.push(Measurement {
        label: "import: parse, match, book (one transaction)".to_owned(),
        entries,
        seconds: started.elapsed().as_secs_f64(),
    });
    report.peak_rss_kib = peak_rss_kib();
    report.notes.push(format!(
        "paid {}, partly paid {}, overpaid {}, unmatched {}",
        summary.paid, summary.partly_paid, summary.overpaid, summary.unmatched
    ));
    let started = Instant::now();
    let again = import(&mut conn)?;
    report.measurements.push(Measurement {
        label: "the same file again (everything already imported)".to_owned(),
        entries: again.already_imported as usize,
        seconds: started.elapsed().as_secs_f64(),
    });
    let _ = std::fs::remove_file(&path);
    drop(pool);
    drop(conn);
    scratch.finish()?;
    Ok(report)
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 10).unwrap_or_default()
}

/// One transfer per open invoice, the way customers pay: most with the RF reference, some
/// with the number in free text, some short, some over, and some naming nothing (by name).
fn statement_movements(conn: &mut PgConnection) -> Result<Vec<Movement>, BenchError> {
    let open: Vec<(String, String, Decimal, String, String)> = invoices::table
        .inner_join(customers::table.on(customers::id.eq(invoices::customer_id)))
        .filter(invoices::kind.eq("invoice").and(invoices::amount_due.gt(Decimal::ZERO)))
        .order(invoices::id)
        .select((
            invoices::number,
            invoices::payment_reference,
            invoices::amount_due,
            invoices::currency,
            customers::name,
        ))
        .load(conn)?;
    Ok(open
        .into_iter()
        .enumerate()
        .filter_map(|(i, (number, reference, due, currency, name))| {
            let currency = Currency::from_code(currency.trim())?;
            let amount = match i % 20 {
                18 => due - Decimal::new(10, 2),
                19 => due + Decimal::ONE,
                _ => due,
            };
            let mut m = Movement::transfer(Money::new(amount, currency), day(), &format!("BENCH-{i}"));
            m.debtor_name = Some(name);
            m.debtor_iban = Some(format!("DE{:020}", i));
            match i % 20 {
                0..=13 | 18 | 19 => m.creditor_reference = Some(reference),
                14..=16 => m.remittance = Some(format!("Rechnung {}", number.replace('-', " "))),
                _ => m.remittance = Some("Mailbox".to_owned()),
            }
            Some(m)
        })
        .collect())
}
