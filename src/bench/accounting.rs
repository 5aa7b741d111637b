//! `kontor bench accounting`: N invoices over the 12 months of 2026, seeded set-based by
//! PostgreSQL (invoices, their VAT rows, journal entries and postings), then the OSS return of
//! Q4, closing November and November's DATEV export; beside the export, the plain SELECT of
//! the same rows (no pairing, formatting or encoding) as the peer it is measured against.

use std::time::Instant;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Numeric, Text};
use rust_decimal::Decimal;

use super::{BenchError, Measurement, Report, Scratch, peak_rss_kib};
use crate::accounting::{self, Quarter, datev, fx, period, vat_return};
use crate::audit::Actor;
use crate::config::Settings;

fn failed(error: accounting::AccountingError) -> BenchError {
    BenchError::Invoicing(error.to_string())
}

pub fn accounting(settings: &Settings, invoices: i64) -> Result<Report, BenchError> {
    let scratch = Scratch::open(settings)?;
    let mut conn = PgConnection::establish(&scratch.url)?;
    let mut report = Report { title: "accounting".to_owned(), ..Report::default() };
    let started = Instant::now();
    seed(&mut conn, invoices)?;
    report.measurements.push(Measurement {
        label: "seed invoices, VAT rows, journal entries and postings (set-based)".to_owned(),
        entries: invoices as usize,
        seconds: started.elapsed().as_secs_f64(),
    });
    fx::import(&mut conn, &fx::parse(fx::SAMPLE).map_err(failed)?).map_err(failed)?;

    let quarter: Quarter = "2026-Q4".parse().map_err(failed)?;
    let started = Instant::now();
    let oss = vat_return::oss(&mut conn, quarter, "DE").map_err(failed)?;
    report.measurements.push(Measurement {
        label: "OSS return 2026-Q4 (documents of the quarter)".to_owned(),
        entries: (invoices / 4) as usize,
        seconds: started.elapsed().as_secs_f64(),
    });
    report.notes.push(format!(
        "OSS 2026-Q4: {} supply lines, total VAT {} EUR",
        oss.supplies.len(),
        oss.total_vat()
    ));

    let month = accounting::parse_month("2026-11").map_err(failed)?;
    let zone = settings.time_zone;
    let actor = Actor::system("bench");
    let closing = period::Closing {
        zone,
        actor: &actor,
        explanation: "bench",
        now: settings.clock.now().max(accounting::start_of(month.end(), zone)),
    };
    let started = Instant::now();
    conn.transaction(|c| period::close(c, month, &closing)).map_err(failed)?;
    report.measurements.push(Measurement {
        label: "close 2026-11 (lock, claim its entries for DATEV)".to_owned(),
        entries: (invoices / 12) as usize,
        seconds: started.elapsed().as_secs_f64(),
    });

    let options = datev::Options {
        chart: datev::Chart::Skr03,
        consultant: 1001,
        client: 1,
        zone,
        now: settings.clock.now(),
    };
    let started = Instant::now();
    let exported = datev::export(&mut conn, month, &options, std::io::sink()).map_err(failed)?;
    report.measurements.push(Measurement {
        label: "DATEV export 2026-11 (booking rows)".to_owned(),
        entries: exported.rows as usize,
        seconds: started.elapsed().as_secs_f64(),
    });
    let started = Instant::now();
    let rows = plain_select(&mut conn, month)?;
    report.measurements.push(Measurement {
        label: "peer: plain SELECT of the same postings (rows)".to_owned(),
        entries: rows,
        seconds: started.elapsed().as_secs_f64(),
    });
    report.peak_rss_kib = peak_rss_kib();
    drop(conn);
    scratch.finish()?;
    Ok(report)
}

/// Customers in the seed's 12 countries; invoices spread over the months and days of 2026,
/// each booked receivable / revenue / VAT like the batch books them.
fn seed(conn: &mut PgConnection, invoices: i64) -> Result<(), BenchError> {
    let customers = (invoices / 12).max(12);
    crate::seed::customers(conn, customers, "2026-01".parse().map_err(|_| BenchError::BatchSize)?)?;
    conn.transaction(|conn| {
        conn.batch_execute(
            "CREATE TEMP TABLE bench_rates (country text PRIMARY KEY, rate numeric, treatment text) ON COMMIT DROP;
             INSERT INTO bench_rates VALUES ('DE', 19, 'domestic'), ('AT', 20, 'oss'), ('FR', 20, 'oss'),
               ('NL', 21, 'oss'), ('DK', 25, 'oss'), ('SE', 25, 'oss'), ('IT', 22, 'oss'),
               ('CH', 0, 'outside_eu'), ('NO', 0, 'outside_eu'), ('GB', 0, 'outside_eu')",
        )?;
        diesel::sql_query(
            "CREATE TEMP TABLE bench_customers ON COMMIT DROP AS
             SELECT row_number() OVER (ORDER BY c.id) - 1 AS k, c.id, c.country::text AS country,
                    c.currency::text AS currency, r.rate, r.treatment
               FROM customers c JOIN bench_rates r ON r.country = c.country",
        )
        .execute(conn)?;
        diesel::sql_query(
            "INSERT INTO ledger_accounts (code, name, kind, currency)
             SELECT DISTINCT a.code, a.code, a.kind, c.currency FROM bench_customers c,
               LATERAL (VALUES ('1400-' || c.currency, 'asset'), ('4400-' || c.currency || '-mailbox', 'revenue'),
                               ('1776-' || c.currency || '-' || c.country || '-' || c.rate, 'liability')) a(code, kind)
             ON CONFLICT (code) DO NOTHING",
        )
        .execute(conn)?;
        diesel::sql_query(
            "CREATE TEMP TABLE bench_invoices ON COMMIT DROP AS
             SELECT g AS n, c.id AS customer_id, c.country, c.currency, c.rate, c.treatment,
                    make_date(2026, 1 + (g % 12)::int, 1 + ((g / 12) % 28)::int) AS issue_date,
                    4.99::numeric AS net, round(4.99 * c.rate / 100, 2) AS vat
               FROM generate_series(1, $1) g
               JOIN bench_customers c ON c.k = (hashint8(g)::bigint & 2147483647) % (SELECT count(*) FROM bench_customers)",
        )
        .bind::<BigInt, _>(invoices)
        .execute(conn)?;
        diesel::sql_query(
            "CREATE TEMP TABLE bench_entries ON COMMIT DROP AS
             WITH e AS (
               INSERT INTO journal_entries (idempotency_key, kind, memo, occurred_at, reference_type, reference_id, fingerprint)
               SELECT 'bench:' || n, 'invoice_issued', 'Invoice B' || n, issue_date + time '06:00', 'invoice', 'B' || n,
                      sha256(convert_to('bench:' || n, 'UTF8'))
                 FROM bench_invoices ORDER BY n
               RETURNING id, reference_id)
             SELECT e.id, i.* FROM e JOIN bench_invoices i ON 'B' || i.n = e.reference_id",
        )
        .execute(conn)?;
        diesel::sql_query(
            "INSERT INTO postings (entry_id, account_id, currency, amount)
             SELECT e.id, a.id, e.currency, p.amount
               FROM bench_entries e,
                    LATERAL (VALUES ('1400-' || e.currency, e.net + e.vat),
                                    ('4400-' || e.currency || '-mailbox', -e.net),
                                    ('1776-' || e.currency || '-' || e.country || '-' || e.rate, -e.vat)) p(code, amount)
               JOIN ledger_accounts a ON a.code = p.code
              WHERE p.amount <> 0",
        )
        .execute(conn)?;
        diesel::sql_query(
            "INSERT INTO invoices (kind, number, series_year, sequence, customer_id, issue_date, due_date, currency,
                                   net, vat, gross, amount_due, vat_treatment, language, customer_snapshot,
                                   seller_snapshot, payment_reference, ledger_entry_id)
             SELECT 'invoice', 'B' || n, 2026, n, customer_id, issue_date, issue_date + 14, currency,
                    net, vat, net + vat, net + vat, treatment, 'en', jsonb_build_object('country', country),
                    '{}'::jsonb, 'RF-BENCH-' || n, id
               FROM bench_entries",
        )
        .execute(conn)?;
        diesel::sql_query(
            "INSERT INTO invoice_vat (invoice_id, rate, net, vat)
             SELECT i.id, e.rate, e.net, e.vat FROM bench_entries e JOIN invoices i ON i.number = 'B' || e.n",
        )
        .execute(conn)?;
        Ok::<_, diesel::result::Error>(())
    })?;
    diesel::sql_query("ANALYZE").execute(conn)?;
    Ok(())
}

#[derive(QueryableByName)]
#[allow(dead_code)] // Loaded to be measured, not read.
struct Row {
    #[diesel(sql_type = BigInt)]
    entry_id: i64,
    #[diesel(sql_type = Text)]
    number: String,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
    #[diesel(sql_type = Nullable<Text>)]
    treatment: Option<String>,
}

/// The export's rows as plain query results, nothing done with them.
fn plain_select(conn: &mut PgConnection, month: crate::invoicing::BillingMonth) -> Result<usize, BenchError> {
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT e.id AS entry_id, split_part(a.code, '-', 1) AS number, p.currency::text AS currency, p.amount,
                inv.vat_treatment AS treatment
           FROM datev_exported_entries x
           JOIN journal_entries e ON e.id = x.entry_id
           JOIN postings p ON p.entry_id = e.id
           JOIN ledger_accounts a ON a.id = p.account_id
           LEFT JOIN invoices inv ON inv.ledger_entry_id = e.id
          WHERE x.month = $1
          ORDER BY e.id, p.id",
    )
    .bind::<Date, _>(month.first_day())
    .load(conn)?;
    Ok(rows.len())
}
