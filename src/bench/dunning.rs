//! `kontor bench dunning`: the daily dunning run over N customers of whom about 8 % have not
//! paid (the provider's figure), on the day the friendly reminder is due: every letter rendered
//! as a PDF, stored, and queued as an email, in transactions of `chunk` notices, with the time
//! per phase (reads, render, writes, commit) summed over the workers. Beside it, in the same
//! run, the floor of the same rows: the notices inserted again with plain INSERTs, and the
//! next day's run when nothing is due. The invoices are made by the real batch and the 92 % paid
//! through the real allocation, which takes a while; only the runs are timed.

use std::time::Instant;

use diesel::prelude::*;
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::{BenchError, Measurement, Report, Scratch, peak_rss_kib};
use crate::config::Settings;
use crate::db::schema::invoices;
use crate::money::Money;
use crate::payments::allocation::{Method, Receipt, apply_receipts};

pub struct DunningBench {
    pub customers: i64,
    /// Percent of the invoices left unpaid.
    pub overdue_percent: i64,
    pub workers: usize,
    /// Notices per transaction.
    pub chunk: usize,
}

pub fn dunning(settings: &Settings, params: DunningBench) -> Result<Report, BenchError> {
    let scratch = Scratch::open(settings)?;
    let mut conn = PgConnection::establish(&scratch.url)?;
    let month: crate::invoicing::BillingMonth = "2026-12".parse().map_err(|_| BenchError::BatchSize)?;
    let mut report = Report { title: "daily dunning run".to_owned(), ..Report::default() };

    let started = Instant::now();
    let pool = crate::db::pool(&scratch.url, params.workers as u32 + 4)?;
    super::seed_and_invoice(settings, &mut conn, &pool, params.customers, month)?;
    let issued: Vec<(i64, i64, Decimal, String, chrono::NaiveDate)> = invoices::table
        .filter(invoices::kind.eq("invoice").and(invoices::amount_due.gt(Decimal::ZERO)))
        .order(invoices::id)
        .select((
            invoices::id,
            invoices::customer_id,
            invoices::amount_due,
            invoices::currency,
            invoices::due_date,
        ))
        .load(&mut conn)?;
    // Of every 100 customers, `overdue_percent` do not pay (the seed invoices about four in five
    // customers in December; the rest are in their free month).
    let receipts: Vec<Receipt> = issued
        .iter()
        .filter(|(_, customer, ..)| customer.rem_euclid(100) >= params.overdue_percent)
        .filter_map(|(id, customer, due, currency, _)| {
            Some(Receipt {
                key: format!("bench-paid:{id}"),
                customer: *customer,
                amount: Money::new(*due, Currency::from_code(currency.trim())?),
                fee: None,
                received_in: crate::ledger::chart::SystemAccount::Cash,
                method: Method::Manual,
                invoices: vec![*id],
                occurred_at: settings.clock.now(),
                memo: String::new(),
            })
        })
        .collect();
    let site = settings.site();
    for chunk in receipts.chunks(5_000) {
        conn.transaction(|conn| apply_receipts(conn, &site, chunk))
            .map_err(|e| BenchError::Invoicing(e.to_string()))?;
    }
    let last_due = issued.iter().map(|i| i.4).max().unwrap_or_else(|| settings.clock.today());
    report.notes.push(format!(
        "setup (seed, invoice run, {} of {} invoices paid): {:.0} s, not timed",
        receipts.len(),
        issued.len(),
        started.elapsed().as_secs_f64()
    ));

    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let publishing = settings.publishing();
    let billing = settings.billing();
    let close_account = crate::closing::for_dunning(&billing, &publishing.site, settings.clock.now());
    let profile = crate::collections::profile::Profile::default();
    let ctx = |today, profile| crate::collections::run::RunContext {
        publishing: &publishing,
        close_account: &close_account,
        payment_days: settings.payment_terms_days,
        today,
        now: settings.clock.now(),
        dry_run: false,
        chunk: params.chunk,
        profile,
    };
    let reminder_day = last_due + chrono::Days::new(3);
    let started = Instant::now();
    let summary = crate::collections::run::run(&pool, &ctx(reminder_day, Some(&profile)), params.workers)
        .map_err(|e| BenchError::Documents(e.to_string()))?;
    report.measurements.push(Measurement {
        label: format!(
            "run on {reminder_day}: letters (PDF, stored, email queued), {} worker(s), {} per transaction",
            params.workers, params.chunk
        ),
        entries: summary.sent.len(),
        seconds: started.elapsed().as_secs_f64(),
    });
    report.peak_rss_kib = peak_rss_kib();
    report.notes.push(format!("{} customers, {} overdue invoices", params.customers, summary.overdue));
    report.notes.push(format!("time per phase, summed over the workers: {}", profile.line()));

    // The floor: the same notice rows with plain INSERTs, one statement each, in one transaction.
    diesel::sql_query("CREATE TEMP TABLE peer_notices (LIKE dunning_notices INCLUDING DEFAULTS)")
        .execute(&mut conn)?;
    let ids: Vec<i64> = crate::db::schema::dunning_notices::table
        .select(crate::db::schema::dunning_notices::id)
        .load(&mut conn)?;
    let started = Instant::now();
    conn.transaction(|conn| {
        for id in &ids {
            diesel::sql_query(
                "INSERT INTO peer_notices (id, invoice_id, level, customer_id, action, sent_on, currency, open_amount, fee, interest, interest_until, charge_invoice_id, document_id, created_at)
                 SELECT id, invoice_id, level, customer_id, action, sent_on, currency, open_amount, fee, interest, interest_until, charge_invoice_id, document_id, created_at
                   FROM dunning_notices WHERE id = $1",
            )
            .bind::<diesel::sql_types::BigInt, _>(id)
            .execute(conn)?;
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    report.measurements.push(Measurement {
        label: "peer: the same notice rows, plain INSERTs (no PDF, no mail)".to_owned(),
        entries: ids.len(),
        seconds: started.elapsed().as_secs_f64(),
    });

    let started = Instant::now();
    let again = crate::collections::run::run(&pool, &ctx(reminder_day, None), params.workers)
        .map_err(|e| BenchError::Documents(e.to_string()))?;
    report.measurements.push(Measurement {
        label: "the same day again (every notice already sent)".to_owned(),
        entries: again.overdue,
        seconds: started.elapsed().as_secs_f64(),
    });
    drop(pool);
    drop(conn);
    scratch.finish()?;
    Ok(report)
}
