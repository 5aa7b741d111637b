//! `kontor bench search`: the support console's search box at N customers. PostgreSQL makes
//! the data itself from `generate_series` (names from common European first names and
//! surnames, accents included; an invoice per customer with its RF reference; mandates for
//! three in ten; PayPal orders for one in twenty), the search indexes are built once after
//! the load, and then each kind of query is timed as the page runs it (`support::search`),
//! beside the same number of lookups of a customer by primary key, the floor of any query.

use std::fmt;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::{BenchError, Scratch};
use crate::config::Settings;
use crate::support::search;

pub struct SearchBench {
    pub customers: i64,
    /// Queries of each kind.
    pub queries: usize,
    /// Leave the scratch database (`kontor_bench`) for looking at query plans.
    pub keep: bool,
}

/// One kind of query: how long its searches took.
#[derive(Debug, Clone)]
pub struct Timing {
    pub label: String,
    pub queries: usize,
    /// Queries that found the customer they were made from.
    pub found: usize,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

#[derive(Debug, Clone, Default)]
pub struct SearchReport {
    pub customers: i64,
    pub setup: Vec<(String, f64)>,
    pub timings: Vec<Timing>,
}

impl fmt::Display for SearchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "search at {} customers", self.customers)?;
        for (step, seconds) in &self.setup {
            writeln!(f, "  setup: {step}: {seconds:.1} s")?;
        }
        writeln!(
            f,
            "{:<44} {:>7} {:>7} {:>10} {:>10} {:>10}",
            "query", "queries", "found", "p50 ms", "p99 ms", "max ms"
        )?;
        for t in &self.timings {
            writeln!(
                f,
                "{:<44} {:>7} {:>7} {:>10.2} {:>10.2} {:>10.2}",
                t.label,
                t.queries,
                t.found,
                t.p50.as_secs_f64() * 1e3,
                t.p99.as_secs_f64() * 1e3,
                t.max.as_secs_f64() * 1e3
            )?;
        }
        let worst = self.timings.iter().map(|t| t.p99).max().unwrap_or_default();
        writeln!(
            f,
            "goal p99 < 100 ms: {} (worst p99 {:.2} ms)",
            if worst < Duration::from_millis(100) { "met" } else { "NOT met" },
            worst.as_secs_f64() * 1e3
        )
    }
}

const FIRST_NAMES: &str = "Lea Anna Emma Mia Sofia Hanna Lena Marie Clara Ella Léa Chloé Manon Camille Inès \
    Zoé Julie Sarah Emma Noor Sanne Fleur Eva Ida Freja Astrid Ingrid Sigrid Maja Elsa Signe Karin Åsa \
    Ebba Linnéa Saga Olivia Amelia Isla Grace Lucas Leon Paul Jonas Felix Maximilian Lukas Elias Noah \
    Luis Louis Hugo Théo Gabriel Jules Raphaël Arthur Daan Sem Finn Bram Lars Mads Magnus Søren Jens \
    Erik Nils Olof Björn Jürgen Günter Jörg René Frédéric François Oliver George Harry Jack Thomas";
const SURNAMES: &str = "Müller Meier Meyer Maier Mayer Schmidt Schneider Fischer Weber Wagner Becker Schulz \
    Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger \
    Hofmann Hartmann Lange Schmitt Werner Schmitz Krause Meißner Lehmann Köhler Weiß Jäger Groß Gruber \
    Huber Pichler Moser Steiner Hofer Leitner Brunner Gasser Keller Frei Baumann Bühler Martin Bernard \
    Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre Michel Garcia David \
    Bertrand Roux Vincent Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Mercier Blanc Guérin \
    Faure André Chevalier François Gauthier Clément de\u{a0}Jong Jansen de\u{a0}Vries van\u{a0}den\u{a0}Berg Bakker \
    Visser Smit Meijer Mulder Bos Vos Peters Hendriks Dekker Brouwer Nielsen Jensen Hansen Pedersen \
    Andersen Christensen Larsen Sørensen Rasmussen Jørgensen Madsen Kristensen Olsen Thomsen Poulsen \
    Johansen Karlsen Berg Haugen Hagen Eriksen Bakken Solberg Strand Lie Dahl Lund Andersson Johansson \
    Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Pettersson Jonsson Lindqvist \
    Lindberg Lindström Bergström Åberg Öberg Ångström Smith Jones Williams Taylor Brown Davies Evans \
    Wilson Wright Walker Robinson Thompson White Hughes Edwards Green Hall Wood Harris Lewis Clarke";

fn words(list: &str) -> Vec<String> {
    list.split_whitespace().map(|w| w.replace('\u{a0}', " ")).collect()
}

pub fn search(settings: &Settings, params: SearchBench) -> Result<SearchReport, BenchError> {
    let scratch = Scratch::open(settings)?;
    let mut conn = PgConnection::establish(&scratch.url)?;
    let mut report = SearchReport { customers: params.customers, ..SearchReport::default() };
    let mut step = |label: &str, started: Instant| {
        report.setup.push((label.to_owned(), started.elapsed().as_secs_f64()));
    };

    // The trigram and email indexes are built once after the load (as after a restore), from
    // the definitions the migration gave them.
    let definitions: Vec<Definition> = diesel::sql_query(
        "SELECT indexname AS name, indexdef AS definition FROM pg_indexes
          WHERE indexname IN ('customers_search_name_idx', 'customers_email_prefix_idx',
                              'invoices_payment_reference_idx', 'invoices_number_digits_idx')",
    )
    .load(&mut conn)?;
    for index in &definitions {
        diesel::sql_query(format!("DROP INDEX {}", crate::db::launcher::quote_identifier(&index.name)))
            .execute(&mut conn)?;
    }
    let started = Instant::now();
    seed(&mut conn, params.customers, settings.clock.now())?;
    step("customers, invoices, mandates and PayPal orders", started);
    let started = Instant::now();
    for index in &definitions {
        diesel::sql_query(&index.definition).execute(&mut conn)?;
    }
    diesel::sql_query("ANALYZE").execute(&mut conn)?;
    step("search indexes and ANALYZE", started);

    let samples = samples(&mut conn, params.queries)?;
    report.timings = measure(&mut conn, &samples)?;
    drop(conn);
    if !params.keep {
        scratch.finish()?;
    }
    Ok(report)
}

#[derive(QueryableByName)]
struct Definition {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    definition: String,
}

/// Everything in a few statements; the ledger entry every synthetic invoice points at is one
/// balanced entry (the scratch database is dropped afterwards).
fn seed(
    conn: &mut PgConnection,
    customers: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), BenchError> {
    let entry = conn.transaction(|conn| -> Result<i64, BenchError> {
        use crate::ledger::chart::SystemAccount;
        use crate::ledger::{NewEntry, NewPosting, post_entry};
        let eur = iso_currency::Currency::EUR;
        let cash = SystemAccount::Cash.open(conn, eur)?.id;
        let revenue = SystemAccount::Revenue.open(conn, eur)?.id;
        let amount = crate::money::Money::new(rust_decimal::Decimal::ONE, eur);
        post_entry(
            conn,
            &NewEntry {
                idempotency_key: "bench-search".to_owned(),
                kind: crate::ledger::EntryKind::InvoiceIssued.into(),
                memo: "search benchmark".to_owned(),
                occurred_at: now,
                reference: None,
                postings: vec![NewPosting::debit(cash, amount), NewPosting::credit(revenue, amount)],
            },
        )
        .map(|posted| posted.id().0)
        .map_err(BenchError::from)
    })?;
    diesel::sql_query(
        "INSERT INTO customers (email, name, country, language, currency, street, postal_code, city)
         SELECT lower(translate(f.name || '.' || l.name, ' äöüßéèëïçåøæœñõÄÖÜÉÅØÆ', '-aousseeeicaoaonoAOUEAOA'))
                    || '.' || g || '@example.org',
                f.name || ' ' || l.name, v.country, v.lang, v.cur, 'Hauptstraße ' || (g % 200), '10115', 'Berlin'
           FROM generate_series(1, $1) g
           CROSS JOIN LATERAL (SELECT ($2::text[])[1 + (g * 7919) % cardinality($2::text[])] AS name) f
           CROSS JOIN LATERAL (SELECT ($3::text[])[1 + ((g * 104729) / 7) % cardinality($3::text[])] AS name) l
           JOIN (VALUES (0, 'DE', 'de', 'EUR'), (1, 'AT', 'de', 'EUR'), (2, 'CH', 'de', 'CHF'),
                        (3, 'FR', 'fr', 'EUR'), (4, 'NL', 'nl', 'EUR'), (5, 'DK', 'da', 'DKK'),
                        (6, 'NO', 'nb', 'NOK'), (7, 'SE', 'sv', 'SEK'), (8, 'GB', 'en', 'GBP'))
                AS v(k, country, lang, cur) ON v.k = g % 9",
    )
    .bind::<BigInt, _>(customers)
    .bind::<diesel::sql_types::Array<Text>, _>(words(FIRST_NAMES))
    .bind::<diesel::sql_types::Array<Text>, _>(words(SURNAMES))
    .execute(conn)?;
    // One invoice each; the RF reference's check digits by ISO 11649 (R = 27, F = 15).
    diesel::sql_query(
        "INSERT INTO invoices (kind, number, series_year, sequence, customer_id, issue_date, due_date, currency,
                               net, vat, gross, amount_due, vat_treatment, language, customer_snapshot,
                               seller_snapshot, payment_reference, ledger_entry_id)
         SELECT 'invoice', n.number, 2026, c.id, c.id, DATE '2026-12-01', DATE '2026-12-15', c.currency,
                1, 0.19, 1.19, 1.19, 'domestic', c.language, '{}', '{}',
                'RF' || lpad((98 - (n.digits || '271500')::numeric % 97)::text, 2, '0') || n.digits, $1
           FROM customers c
           CROSS JOIN LATERAL (SELECT '2026-' || lpad(c.id::text, 7, '0') AS number,
                                      '2026' || lpad(c.id::text, 7, '0') AS digits) n",
    )
    .bind::<BigInt, _>(entry)
    .execute(conn)?;
    diesel::sql_query(
        "INSERT INTO sepa_mandates (customer_id, reference, debtor_name, iban, signed_on, creditor_id,
                                    mandate_text_sha256, language)
         SELECT id, 'BENCH-' || id, name, 'DE' || lpad((abs(hashint8(id)::bigint) % 100)::text, 2, '0')
                    || lpad((abs(hashint8(-id)::bigint) % 1000000000)::text, 18, '0'),
                DATE '2026-11-01', 'DE98ZZZ09999999999', encode(sha256(convert_to('bench mandate ' || id, 'UTF8')), 'hex'), language
           FROM customers WHERE id % 10 IN (2, 5, 8)",
    )
    .execute(conn)?;
    diesel::sql_query(
        "INSERT INTO paypal_orders (request_id, order_id, invoice_id, customer_id, currency, amount, state, payer_id)
         SELECT 'bench-' || i.id, 'ORDER' || i.id, i.id, i.customer_id, i.currency, i.gross, 'captured',
                upper(substr(md5('payer' || i.customer_id), 1, 13))
           FROM invoices i WHERE i.customer_id % 20 = 3",
    )
    .execute(conn)?;
    Ok(())
}

/// A kind of query: its label and queries, each with the customer it should find.
type Kind = (String, Vec<(String, i64)>);

/// Queries made from customers picked evenly across the table: each kind from what that
/// customer has, with the customer it should find.
fn samples(conn: &mut PgConnection, per_kind: usize) -> Result<Vec<Kind>, BenchError> {
    #[derive(QueryableByName)]
    struct Sample {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = Text)]
        email: String,
        #[diesel(sql_type = Text)]
        number: String,
        #[diesel(sql_type = Text)]
        reference: String,
        #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
        iban: Option<String>,
        #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
        payer: Option<String>,
    }
    let rows: Vec<Sample> = diesel::sql_query(
        "SELECT c.id, c.name, c.email, i.number, i.payment_reference AS reference, m.iban, o.payer_id AS payer
           FROM customers c
           JOIN invoices i ON i.customer_id = c.id
           LEFT JOIN sepa_mandates m ON m.customer_id = c.id
           LEFT JOIN paypal_orders o ON o.customer_id = c.id
          WHERE abs(hashint8(c.id)::bigint) % greatest(1, (SELECT count(*) FROM customers) / ($1 * 20)) = 0
          ORDER BY c.id LIMIT $1 * 20",
    )
    .bind::<BigInt, _>(per_kind as i64)
    .load(conn)?;
    let take = |f: &dyn Fn(&Sample) -> Option<String>| -> Vec<(String, i64)> {
        rows.iter().filter_map(|r| f(r).map(|q| (q, r.id))).take(per_kind).collect()
    };
    let surname = |r: &Sample| r.name.rsplit(' ').next().map(str::to_owned);
    let unaccented = |text: &str| -> String {
        text.chars()
            .map(|c| match c {
                'ä' | 'å' | 'á' | 'à' => 'a',
                'ö' | 'ø' | 'ó' => 'o',
                'ü' => 'u',
                'é' | 'è' | 'ë' => 'e',
                'ï' => 'i',
                'ç' => 'c',
                other => other,
            })
            .collect()
    };
    Ok(vec![
        ("primary key (peer: the floor of any query)".to_owned(), take(&|r| Some(r.id.to_string()))),
        ("customer number".to_owned(), take(&|r| Some(crate::support::customer_number(r.id)))),
        ("invoice number".to_owned(), take(&|r| Some(r.number.clone()))),
        ("RF payment reference".to_owned(), take(&|r| Some(r.reference.clone()))),
        ("IBAN last 4".to_owned(), take(&|r| r.iban.as_deref().map(|i| i[i.len() - 4..].to_owned()))),
        ("email (whole)".to_owned(), take(&|r| Some(r.email.clone()))),
        ("PayPal payer id".to_owned(), take(&|r| r.payer.clone())),
        (
            "name: first and last, unaccented lower".to_owned(),
            take(&|r| Some(unaccented(&r.name.to_lowercase()))),
        ),
        (
            "name: surname only (thousands match)".to_owned(),
            take(&|r| surname(r).map(|s| unaccented(&s.to_lowercase()))),
        ),
        (
            "name: part of the surname".to_owned(),
            take(&|r| surname(r).map(|s| s.chars().skip(1).take(4).collect())),
        ),
    ])
}

fn measure(conn: &mut PgConnection, samples: &[Kind]) -> Result<Vec<Timing>, BenchError> {
    let mut timings = Vec::new();
    for (label, queries) in samples {
        let peer = label.starts_with("primary key");
        let mut times = Vec::with_capacity(queries.len());
        let mut found = 0;
        for (query, customer) in queries {
            let started = Instant::now();
            let hit = if peer {
                let id: Option<i64> = crate::db::schema::customers::table
                    .find(*customer)
                    .select(crate::db::schema::customers::id)
                    .first(conn)
                    .optional()?;
                id == Some(*customer)
            } else {
                let hits = search::search(conn, query).map_err(|e| BenchError::Invoicing(e.to_string()))?;
                hits.iter().any(|h| h.customer_id == *customer)
            };
            times.push(started.elapsed());
            found += usize::from(hit);
        }
        times.sort();
        timings.push(Timing {
            label: label.clone(),
            queries: times.len(),
            found,
            p50: super::latency::percentile(&times, 0.5),
            p99: super::latency::percentile(&times, 0.99),
            max: times.last().copied().unwrap_or_default(),
        });
    }
    Ok(timings)
}
