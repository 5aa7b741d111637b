//! `kontor bench reports`: every finance report over a year of N invoices. PostgreSQL makes
//! the data itself from `generate_series` (N/12 customers across nine countries, each with a
//! subscription after a free month, an invoice and its line every month of 2026, most paid
//! by transfer, direct debit or PayPal around the due date, one in five with a pack, one in
//! ten compensated for an incident), then each report runs as its page runs it, beside the
//! same run's floor: a plain `count(*)`/`sum` over the invoices and over the payments.

use std::fmt;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::{BenchError, Scratch};
use crate::config::Settings;
use crate::reports::{self, Filter};

pub struct ReportsBench {
    pub invoices: i64,
    /// Leave the scratch database (`kontor_bench`) for looking at query plans.
    pub keep: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ReportsReport {
    pub invoices: i64,
    pub setup: Vec<(String, f64)>,
    /// Each report (and the peers) with its time and the rows it returned.
    pub timings: Vec<(String, Duration, usize)>,
}

/// The goal for each report, from the issue.
const GOAL: Duration = Duration::from_secs(2);

impl fmt::Display for ReportsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "reports over {} invoices (12 months)", self.invoices)?;
        for (step, seconds) in &self.setup {
            writeln!(f, "  setup: {step}: {seconds:.1} s")?;
        }
        writeln!(f, "{:<52} {:>10} {:>8}", "query", "ms", "rows")?;
        for (label, took, rows) in &self.timings {
            writeln!(f, "{label:<52} {:>10.1} {rows:>8}", took.as_secs_f64() * 1e3)?;
        }
        let worst = self.timings.iter().filter(|(l, ..)| !l.starts_with("peer")).map(|(_, t, _)| *t).max();
        let worst = worst.unwrap_or_default();
        writeln!(
            f,
            "goal each report < 2 s: {} (slowest {:.1} ms)",
            if worst < GOAL { "met" } else { "NOT met" },
            worst.as_secs_f64() * 1e3
        )
    }
}

pub fn reports(settings: &Settings, params: ReportsBench) -> Result<ReportsReport, BenchError> {
    let scratch = Scratch::open(settings)?;
    let mut conn = PgConnection::establish(&scratch.url)?;
    crate::db::configure_session(&mut conn)?;
    let mut report = ReportsReport { invoices: params.invoices, ..ReportsReport::default() };
    let started = Instant::now();
    seed(&mut conn, params.invoices, settings.clock.now())?;
    diesel::sql_query("ANALYZE").execute(&mut conn)?;
    report.setup.push((
        "customers, subscriptions, invoices, payments, grants".to_owned(),
        started.elapsed().as_secs_f64(),
    ));

    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
    let filter =
        Filter::new(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(), today, None, None)
            .map_err(|e| BenchError::Invoicing(e.to_string()))?;
    let zone = settings.time_zone.name();
    let failed = |e: reports::ReportError| BenchError::Invoicing(e.to_string());
    let mut time = |label: &str, run: &mut dyn FnMut(&mut PgConnection) -> Result<usize, BenchError>| {
        let started = Instant::now();
        let rows = run(&mut conn)?;
        report.timings.push((label.to_owned(), started.elapsed(), rows));
        Ok::<(), BenchError>(())
    };
    time("peer: count(*), sum(gross) FROM invoices", &mut |c| {
        peer(c, "SELECT count(*) AS n, sum(gross)::int8 AS s FROM invoices")
    })?;
    time("peer: count(*), sum(amount) FROM payment_allocations", &mut |c| {
        peer(c, "SELECT count(*) AS n, sum(amount)::int8 AS s FROM payment_allocations")
    })?;
    time("sign-ups, cancellations, closings", &mut |c| {
        Ok(reports::signups::rows(c, &filter, zone).map_err(failed)?.len())
    })?;
    time("trial conversion", &mut |c| {
        Ok(reports::signups::conversion(c, &filter, today).map_err(failed)?.len())
    })?;
    time("revenue per month, product, country", &mut |c| {
        Ok(reports::revenue::rows(c, &filter).map_err(failed)?.len())
    })?;
    time("deferred revenue by day", &mut |c| {
        Ok(reports::revenue::deferred(c, &filter).map_err(failed)?.len())
    })?;
    time("MRR and its movements", &mut |c| Ok(reports::mrr::rows(c, &filter, today).map_err(failed)?.len()))?;
    time("AR ageing", &mut |c| Ok(reports::ar_ageing::rows(c, &filter, today).map_err(failed)?.len()))?;
    time("AR ageing drill-down (EUR, > 90 days, 500)", &mut |c| {
        let bucket = reports::ar_ageing::Bucket::Over90;
        Ok(reports::ar_ageing::invoices(c, &filter, today, "EUR", bucket, 500).map_err(failed)?.len())
    })?;
    time("payment behaviour (N = 4)", &mut |c| {
        Ok(reports::payment_behaviour::rows(c, &filter, 4, today, zone).map_err(failed)?.len())
    })?;
    time("compensation per incident", &mut |c| {
        Ok(reports::compensation::rows(c, &filter, zone).map_err(failed)?.len())
    })?;
    drop(conn);
    if !params.keep {
        scratch.finish()?;
    }
    Ok(report)
}

fn peer(conn: &mut PgConnection, sql: &str) -> Result<usize, BenchError> {
    #[derive(QueryableByName)]
    struct Sum {
        #[diesel(sql_type = BigInt)]
        n: i64,
        #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
        s: Option<i64>,
    }
    let sum: Sum = diesel::sql_query(sql).get_result(conn)?;
    Ok(usize::from(sum.n > 0 && sum.s.is_some()))
}

/// Everything in a few statements; every synthetic document and payment points at one
/// balanced entry (the scratch database is dropped afterwards).
fn seed(
    conn: &mut PgConnection,
    invoices: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), BenchError> {
    let (entry, cash) = conn.transaction(|conn| -> Result<(i64, i64), BenchError> {
        use crate::ledger::chart::SystemAccount;
        use crate::ledger::{NewEntry, NewPosting, post_entry};
        let eur = iso_currency::Currency::EUR;
        let cash = SystemAccount::Cash.open(conn, eur)?.id;
        let revenue = SystemAccount::Revenue.open(conn, eur)?.id;
        let amount = crate::money::Money::new(rust_decimal::Decimal::ONE, eur);
        let posted = post_entry(
            conn,
            &NewEntry {
                idempotency_key: "bench-reports".to_owned(),
                kind: crate::ledger::EntryKind::InvoiceIssued.into(),
                memo: "reports benchmark".to_owned(),
                occurred_at: now,
                reference: None,
                postings: vec![NewPosting::debit(cash, amount), NewPosting::credit(revenue, amount)],
            },
        )?;
        Ok((posted.id().0, cash.0))
    })?;
    let customers = (invoices + 11) / 12;
    let statements = [
        // Sign-ups spread over December 2025 to November 2026; one in 25 closes later.
        "INSERT INTO customers (email, name, country, language, currency, street, postal_code, city, created_at, closed_at)
         SELECT 'bench' || g || '@example.org', 'Bench ' || g, v.country, v.lang, v.cur, 'Street 1', '10115', 'Berlin',
                TIMESTAMPTZ '2025-12-01 09:00Z' + (g % 330) * interval '1 day',
                CASE WHEN g % 25 = 0 THEN TIMESTAMPTZ '2026-12-01 09:00Z' - (g % 20) * interval '1 day' END
           FROM generate_series(1, $1) g
           JOIN (VALUES (0, 'DE', 'de', 'EUR'), (1, 'AT', 'de', 'EUR'), (2, 'CH', 'de', 'CHF'),
                        (3, 'FR', 'fr', 'EUR'), (4, 'NL', 'nl', 'EUR'), (5, 'DK', 'da', 'DKK'),
                        (6, 'NO', 'nb', 'NOK'), (7, 'SE', 'sv', 'SEK'), (8, 'GB', 'en', 'GBP'))
                AS v(k, country, lang, cur) ON v.k = g % 9"
            .to_owned(),
        // A free month each; one in eight cancels after a few months.
        "INSERT INTO subscriptions (customer_id, plan_code, currency, anchor_date, status, trial_ends_on, cancel_on, ended_on)
         SELECT id, 'mailbox_10gb', currency, created_at::date, CASE WHEN id % 8 = 0 THEN 'ended' ELSE 'active' END,
                (created_at + interval '1 month')::date,
                CASE WHEN id % 8 = 0 THEN (created_at + interval '4 months')::date END,
                CASE WHEN id % 8 = 0 THEN (created_at + interval '4 months')::date END
           FROM customers"
            .to_owned(),
        "INSERT INTO subscription_packs (subscription_id, customer_id, plan_code, starts_on)
         SELECT id, customer_id, 'mail_pack_10gb', trial_ends_on + 40 FROM subscriptions WHERE id % 5 = 0"
            .to_owned(),
        // Twelve monthly invoices per customer in 2026 (issued, numbered, 14 days to pay).
        format!(
            "INSERT INTO invoices (kind, number, series_year, sequence, customer_id, subscription_id, service_from,
                                   service_until, issue_date, due_date, currency, net, vat, gross, amount_due,
                                   vat_treatment, language, customer_snapshot, seller_snapshot, payment_reference,
                                   ledger_entry_id)
             SELECT 'invoice', '2026-' || lpad(n::text, 8, '0'), 2026, n, s.customer_id, s.id, d, (d + interval '1 month')::date,
                    d, d + 14, s.currency, 1.00, 0.19, 1.19, 1.19, 'domestic', c.language,
                    jsonb_build_object('country', trim(c.country), 'number', 'K' || c.id), '{{}}', 'RF' || n, {entry}
               FROM subscriptions s JOIN customers c ON c.id = s.customer_id
              CROSS JOIN generate_series(0, 11) k
              CROSS JOIN LATERAL (SELECT (DATE '2026-01-01' + k * interval '1 month' + (s.id % 28) * interval '1 day')::date AS d,
                                         (s.id - 1) * 12 + k + 1 AS n) x
              WHERE n <= $1"
        ),
        "INSERT INTO invoice_lines (invoice_id, line_no, description, plan_code, service_from, service_until,
                                    quantity, unit_price, net, vat_rate, vat)
         SELECT id, 1, 'Mailbox', 'mailbox_10gb', service_from, service_until, 1, 1.00, 1.00, 19, 0.19 FROM invoices"
            .to_owned(),
        // Nine in ten paid, from 5 days early to 25 days late; the method by customer.
        format!(
            "INSERT INTO payment_receipts (key, customer_id, method, currency, amount, to_credit, received_in,
                                           ledger_entry_id, occurred_at)
             SELECT 'r' || id, customer_id, (ARRAY['bank_transfer', 'direct_debit', 'paypal'])[1 + customer_id % 3],
                    currency, gross, 0, {cash}, {entry}, (due_date + (id % 31 - 5)::int)::timestamp AT TIME ZONE 'UTC' + interval '9 hours'
               FROM invoices WHERE id % 10 <> 0 AND due_date + (id % 31 - 5)::int <= DATE '2026-12-31'"
        ),
        format!(
            "INSERT INTO payment_allocations (receipt_key, invoice_id, customer_id, currency, amount, method, ledger_entry_id)
             SELECT r.key, substr(r.key, 2)::int8, r.customer_id, r.currency, r.amount, r.method, {entry}
               FROM payment_receipts r"
        ),
        "INSERT INTO incidents (kind, severity, title, services, started_at, ended_at, announced_at)
         SELECT 'incident', 'major', jsonb_build_object('en', 'Outage ' || g), '{mail}',
                TIMESTAMPTZ '2026-01-10 08:00Z' + g * interval '1 month', TIMESTAMPTZ '2026-01-10 12:00Z' + g * interval '1 month',
                TIMESTAMPTZ '2026-01-10 08:05Z' + g * interval '1 month'
           FROM generate_series(0, 9) g"
            .to_owned(),
        "INSERT INTO compensation_grants (incident_id, subscription_id, customer_id, currency, amount, downtime_seconds,
                                          percent, reason, option, ledger_entry_id, created_at)
         SELECT i.id, s.id, s.customer_id, s.currency, 0, 14400, 10, 'tier', 'storage', NULL, i.ended_at
           FROM subscriptions s JOIN incidents i ON i.id = 1 + s.id % 10 WHERE s.id % 10 = 3"
            .to_owned(),
    ];
    for (index, sql) in statements.iter().enumerate() {
        let query = diesel::sql_query(sql.as_str());
        match index {
            0 => query.bind::<BigInt, _>(customers).execute(conn)?,
            3 => query.bind::<BigInt, _>(invoices).execute(conn)?,
            _ => query.execute(conn)?,
        };
    }
    Ok(())
}
