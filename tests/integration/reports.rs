//! Finance reports on a small fixed data set: every figure equals what was worked out by hand
//! (in the comments beside each), the charts are well-formed SVG, the pages and CSVs are
//! finance's only, and the AR ageing drills down to its invoices.

use chrono::NaiveDate;
use diesel::prelude::*;
use kontor::accounts::Role;
use kontor::reports::{Filter, ar_ageing, compensation, mrr, payment_behaviour, revenue, signups};
use rust_decimal::Decimal;

use crate::support::accounts::staff_browser;
use crate::support::{TestDb, TestServer};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

const TODAY: (u32, u32) = (12, 5);
const BERLIN: &str = "Europe/Berlin";

fn today() -> NaiveDate {
    day(TODAY.0, TODAY.1)
}

/// Four customers over autumn 2026 (see the module's tests for what each adds up to):
/// - Anna (DE, EUR): signs up 3 Sep, free month to 3 Oct, pays on; a 10 GB mail pack from
///   10 Nov; invoices 3 Oct (paid 19 Oct by transfer, due 17 Oct), 3 Nov (half credited
///   20 Nov, rest open), 3 Dec (not yet due).
/// - Ben (DE, EUR): signs up 20 Sep, cancels in his free month (ends 20 Oct), closes 10 Nov.
/// - Chloé (FR, EUR): signs up 1 Oct, free month to 31 Oct, invoice 31 Oct paid 2 Nov by
///   PayPal, cancels for 30 Nov.
/// - Dario (CH, CHF): signs up 15 Oct paying at once; invoice 15 Oct, due 29 Oct, unpaid.
///
/// An incident on 5 Nov credits Anna 0.50 EUR and gives Chloé storage.
pub(crate) fn fixed_data_set(db: &TestDb) {
    use kontor::ledger::chart::SystemAccount;
    use kontor::ledger::{NewEntry, NewPosting, post_entry};
    let mut conn = db.conn();
    let eur = iso_currency::Currency::EUR;
    let cash = SystemAccount::Cash.open(&mut conn, eur).unwrap().id;
    let cash_id = cash.0;
    let revenue = SystemAccount::Revenue.open(&mut conn, eur).unwrap().id;
    let amount = kontor::money::Money::new(Decimal::ONE, eur);
    let entry = conn
        .transaction(|conn| {
            post_entry(
                conn,
                &NewEntry {
                    idempotency_key: "reports-fixed".to_owned(),
                    kind: kontor::ledger::EntryKind::InvoiceIssued.into(),
                    memo: "reports test".to_owned(),
                    occurred_at: crate::support::now(),
                    reference: None,
                    postings: vec![NewPosting::debit(cash, amount), NewPosting::credit(revenue, amount)],
                },
            )
        })
        .unwrap()
        .id()
        .0;
    let statements = [
        "INSERT INTO customers (id, email, name, country, language, currency, street, postal_code, city, created_at, closed_at)
         OVERRIDING SYSTEM VALUE VALUES
         (9001, 'anna@x.example', 'Anna', 'DE', 'de', 'EUR', 'S 1', '10115', 'Berlin', '2026-09-03 10:00Z', NULL),
         (9002, 'ben@x.example', 'Ben', 'DE', 'de', 'EUR', 'S 2', '10115', 'Berlin', '2026-09-20 10:00Z', '2026-11-10 10:00Z'),
         (9003, 'chloe@x.example', 'Chloé', 'FR', 'fr', 'EUR', 'R 3', '75001', 'Paris', '2026-09-30 21:30Z', NULL),
         (9004, 'dario@x.example', 'Dario', 'CH', 'de', 'CHF', 'V 4', '8001', 'Zürich', '2026-10-15 10:00Z', NULL)"
            .to_owned(),
        "INSERT INTO subscriptions (id, customer_id, plan_code, currency, anchor_date, status, trial_ends_on, cancel_on, ended_on)
         OVERRIDING SYSTEM VALUE VALUES
         (9101, 9001, 'mailbox_10gb', 'EUR', '2026-09-03', 'active', '2026-10-03', NULL, NULL),
         (9102, 9002, 'mailbox_10gb', 'EUR', '2026-09-20', 'ended', '2026-10-20', '2026-10-20', '2026-10-20'),
         (9103, 9003, 'mailbox_10gb', 'EUR', '2026-10-01', 'ended', '2026-10-31', '2026-11-30', '2026-11-30'),
         (9104, 9004, 'mailbox_10gb', 'CHF', '2026-10-15', 'active', NULL, NULL, NULL)"
            .to_owned(),
        "INSERT INTO subscription_packs (subscription_id, customer_id, plan_code, starts_on)
         VALUES (9101, 9001, 'mail_pack_10gb', '2026-11-10')"
            .to_owned(),
        format!(
            "INSERT INTO invoices (id, kind, number, series_year, sequence, customer_id, subscription_id, service_from,
                                   service_until, credited_invoice_id, issue_date, due_date, currency, net, vat, gross,
                                   amount_due, vat_treatment, language, customer_snapshot, seller_snapshot,
                                   payment_reference, ledger_entry_id)
             OVERRIDING SYSTEM VALUE VALUES
             (9201, 'invoice', '2026-009201', 2026, 9201, 9001, 9101, '2026-10-03', '2026-11-03', NULL, '2026-10-03', '2026-10-17', 'EUR', 1.00, 0.19, 1.19, 1.19, 'domestic', 'de', '{{\"country\":\"DE\",\"number\":\"K-9001\"}}', '{{}}', 'RF1', {entry}),
             (9202, 'invoice', '2026-009202', 2026, 9202, 9001, 9101, '2026-11-03', '2026-12-03', NULL, '2026-11-03', '2026-11-17', 'EUR', 1.00, 0.19, 1.19, 1.19, 'domestic', 'de', '{{\"country\":\"DE\",\"number\":\"K-9001\"}}', '{{}}', 'RF2', {entry}),
             (9203, 'invoice', '2026-009203', 2026, 9203, 9003, 9103, '2026-10-31', '2026-11-30', NULL, '2026-10-31', '2026-11-14', 'EUR', 1.00, 0.20, 1.20, 1.20, 'oss', 'fr', '{{\"country\":\"FR\",\"number\":\"K-9003\"}}', '{{}}', 'RF3', {entry}),
             (9204, 'invoice', '2026-009204', 2026, 9204, 9004, 9104, '2026-10-15', '2026-11-15', NULL, '2026-10-15', '2026-10-29', 'CHF', 1.00, 0.08, 1.08, 1.08, 'export', 'de', '{{\"country\":\"CH\",\"number\":\"K-9004\"}}', '{{}}', 'RF4', {entry}),
             (9205, 'invoice', '2026-009205', 2026, 9205, 9001, 9101, '2026-12-03', '2027-01-03', NULL, '2026-12-03', '2026-12-17', 'EUR', 1.00, 0.19, 1.19, 1.19, 'domestic', 'de', '{{\"country\":\"DE\",\"number\":\"K-9001\"}}', '{{}}', 'RF5', {entry}),
             (9206, 'credit_note', 'G-2026-009206', 2026, 9206, 9001, 9101, NULL, NULL, 9202, '2026-11-20', '2026-11-20', 'EUR', 0.42, 0.08, 0.50, 0.50, 'domestic', 'de', '{{\"country\":\"DE\",\"number\":\"K-9001\"}}', '{{}}', '', {entry})"
        ),
        "INSERT INTO invoice_lines (invoice_id, line_no, description, plan_code, service_from, service_until, quantity, unit_price, net, vat_rate, vat)
         VALUES (9201, 1, 'Mailbox', 'mailbox_10gb', '2026-10-03', '2026-11-03', 1, 1.00, 1.00, 19, 0.19),
                (9202, 1, 'Mailbox', 'mailbox_10gb', '2026-11-03', '2026-12-03', 1, 1.00, 1.00, 19, 0.19),
                (9203, 1, 'Mailbox', 'mailbox_10gb', '2026-10-31', '2026-11-30', 1, 1.00, 1.00, 20, 0.20),
                (9204, 1, 'Mailbox', 'mailbox_10gb', '2026-10-15', '2026-11-15', 1, 1.00, 1.00, 8.1, 0.08),
                (9205, 1, 'Mailbox', 'mailbox_10gb', '2026-12-03', '2027-01-03', 1, 1.00, 1.00, 19, 0.19),
                (9206, 1, 'Goodwill', 'mailbox_10gb', NULL, NULL, 1, 0.42, 0.42, 19, 0.08)"
            .to_owned(),
        format!(
            "INSERT INTO payment_receipts (key, customer_id, method, currency, amount, to_credit, received_in, ledger_entry_id, occurred_at)
             VALUES ('r-anna', 9001, 'bank_transfer', 'EUR', 1.19, 0, {cash_id}, {entry}, '2026-10-19 09:00Z'),
                    ('r-chloe', 9003, 'paypal', 'EUR', 1.20, 0, {cash_id}, {entry}, '2026-11-02 09:00Z')"
        ),
        format!(
            "INSERT INTO payment_allocations (receipt_key, invoice_id, customer_id, currency, amount, method, ledger_entry_id)
             VALUES ('r-anna', 9201, 9001, 'EUR', 1.19, 'bank_transfer', {entry}),
                    ('r-chloe', 9203, 9003, 'EUR', 1.20, 'paypal', {entry})"
        ),
        "INSERT INTO incidents (id, kind, severity, title, services, started_at, ended_at, announced_at)
         OVERRIDING SYSTEM VALUE VALUES
         (9301, 'incident', 'major', '{\"en\":\"Mail outage\",\"de\":\"Mailausfall\"}', '{mail}', '2026-11-05 08:00Z', '2026-11-05 12:00Z', '2026-11-05 08:05Z')"
            .to_owned(),
        format!(
            "INSERT INTO compensation_grants (incident_id, subscription_id, customer_id, currency, amount, downtime_seconds, percent, reason, option, ledger_entry_id, created_at)
             VALUES (9301, 9101, 9001, 'EUR', 0.50, 14400, 10, 'tier', 'credit', {entry}, '2026-11-06 10:00Z'),
                    (9301, 9103, 9003, 'EUR', 0, 14400, 10, 'tier', 'storage', NULL, '2026-11-06 10:00Z')"
        ),
    ];
    for sql in statements {
        diesel::sql_query(&sql).execute(&mut conn).unwrap_or_else(|e| panic!("{e}: {sql}"));
    }
}

fn autumn() -> Filter {
    Filter::new(day(9, 1), today(), None, None).unwrap()
}

#[test]
fn every_figure_on_the_fixed_data_set_equals_the_hand_computed_one() {
    let db = TestDb::new();
    fixed_data_set(&db);
    let mut conn = db.conn();
    let filter = autumn();

    // Chloé signed up at 23:30 Berlin time on 30 Sep: September, not October.
    let rows: Vec<(String, String, i64, i64, i64)> = signups::rows(&mut conn, &filter, BERLIN)
        .unwrap()
        .into_iter()
        .map(|r| (r.month, r.country, r.signups, r.cancellations, r.closings))
        .collect();
    let expected = [
        ("2026-09", "DE", 2, 0, 0),
        ("2026-09", "FR", 1, 0, 0),
        ("2026-10", "CH", 1, 0, 0),
        ("2026-10", "DE", 0, 1, 0),
        ("2026-11", "DE", 0, 0, 1),
        ("2026-11", "FR", 0, 1, 0),
    ];
    let expected: Vec<(String, String, i64, i64, i64)> =
        expected.iter().map(|(m, c, s, x, z)| (m.to_string(), c.to_string(), *s, *x, *z)).collect();
    assert_eq!(rows, expected);
    let germany = Filter { country: Some("DE".into()), ..autumn() };
    assert_eq!(signups::rows(&mut conn, &germany, BERLIN).unwrap().len(), 3);

    // Three free months ended in October (Anna, Ben, Chloé); Ben's ended with it.
    let conversion = signups::conversion(&mut conn, &filter, today()).unwrap();
    assert_eq!(conversion.len(), 1);
    assert_eq!((conversion[0].trials_ended, conversion[0].converted), (3, 2));
    assert_eq!(conversion[0].rate(), dec("66.7"));

    // Net by issue month; Anna's November is 1.00 less the 0.42 credited.
    let rows: Vec<(String, String, String, String, Decimal)> = revenue::rows(&mut conn, &filter)
        .unwrap()
        .into_iter()
        .map(|r| (r.month, r.product, r.country, r.currency, r.net))
        .collect();
    let expected = [
        ("2026-10", "mailbox", "CH", "CHF", "1.00"),
        ("2026-10", "mailbox", "DE", "EUR", "1.00"),
        ("2026-10", "mailbox", "FR", "EUR", "1.00"),
        ("2026-11", "mailbox", "DE", "EUR", "0.58"),
        ("2026-12", "mailbox", "DE", "EUR", "1.00"),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(m, p, c, k, n)| (m.to_string(), p.to_string(), c.to_string(), k.to_string(), dec(n)))
        .collect();
    assert_eq!(rows, expected);

    // By day (service_until exclusive). EUR October: Anna 29/31 + Chloé 1/30 = 0.9688 earned,
    // deferred Anna 2/31 + Chloé 29/30 = 1.0312. November: 2/31 + 28/30 + 29/30 = 1.9645,
    // deferred 2/30. December: 2/30 + 29/31 = 1.0022, deferred 2/31. CHF: 17/31 then 14/31.
    let rows: Vec<(String, String, Decimal, Decimal, Decimal)> = revenue::deferred(&mut conn, &filter)
        .unwrap()
        .into_iter()
        .map(|r| (r.month, r.currency, r.billed, r.recognised, r.deferred))
        .collect();
    let expected = [
        ("2026-10", "CHF", "1.00", "0.55", "0.45"),
        ("2026-11", "CHF", "0", "0.45", "0"),
        ("2026-10", "EUR", "2.00", "0.97", "1.03"),
        ("2026-11", "EUR", "1.00", "1.96", "0.07"),
        ("2026-12", "EUR", "1.00", "1.00", "0.06"),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(m, c, b, r, d)| (m.to_string(), c.to_string(), dec(b), dec(r), dec(d)))
        .collect();
    assert_eq!(rows, expected);

    // MRR on each month's last day (today for December), list prices 1.00 and 0.99 (pack).
    let rows: Vec<(String, String, [Decimal; 5])> = mrr::rows(&mut conn, &filter, today())
        .unwrap()
        .into_iter()
        .map(|r| (r.month, r.currency, [r.mrr, r.new, r.expansion, r.churned, r.reactivated]))
        .collect();
    let row = |m: &str, c: &str, v: [&str; 5]| (m.to_string(), c.to_string(), v.map(dec));
    assert_eq!(
        rows,
        vec![
            row("2026-10", "CHF", ["1.00", "1.00", "0", "0", "0"]),
            row("2026-11", "CHF", ["1.00", "0", "0", "0", "0"]),
            row("2026-12", "CHF", ["1.00", "0", "0", "0", "0"]),
            row("2026-10", "EUR", ["2.00", "2.00", "0", "0", "0"]),
            row("2026-11", "EUR", ["1.99", "0", "0.99", "-1.00", "0"]),
            row("2026-12", "EUR", ["1.99", "0", "0", "0", "0"]),
        ]
    );

    // Open today: Anna's 3 Dec invoice (not due), her November rest 0.69 (18 days), Dario's
    // 1.08 CHF (37 days).
    let rows: Vec<(String, &str, i64, Decimal)> = ar_ageing::rows(&mut conn, &filter, today())
        .unwrap()
        .into_iter()
        .map(|r| (r.currency.clone(), r.bucket().code(), r.invoices, r.open))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("CHF".to_owned(), "31-60", 1, dec("1.08")),
            ("EUR".to_owned(), "current", 1, dec("1.19")),
            ("EUR".to_owned(), "1-30", 1, dec("0.69")),
        ]
    );
    let behind =
        ar_ageing::invoices(&mut conn, &filter, today(), "EUR", ar_ageing::Bucket::Days1To30, 10).unwrap();
    assert_eq!(behind.len(), 1);
    assert_eq!(
        (behind[0].number.as_str(), behind[0].days_overdue, behind[0].open),
        ("2026-009202", 18, dec("0.69"))
    );

    // N = 4: Anna's October paid 2 days late (within), her free month ended 3 Oct (16 days
    // before paying: not within); Chloé paid 2 days after her free month; the December
    // invoice's window has not passed.
    let rows: Vec<(String, String, [i64; 4])> =
        payment_behaviour::rows(&mut conn, &filter, 4, today(), BERLIN)
            .unwrap()
            .into_iter()
            .map(|r| {
                (r.country, r.method, [r.invoices, r.paid_within, r.first_invoices, r.first_paid_within])
            })
            .collect();
    let row = |c: &str, m: &str, v: [i64; 4]| (c.to_string(), m.to_string(), v);
    assert_eq!(
        rows,
        vec![
            row("CH", "unpaid", [1, 0, 0, 0]),
            row("DE", "bank_transfer", [1, 1, 1, 0]),
            row("DE", "unpaid", [1, 0, 0, 0]),
            row("FR", "paypal", [1, 1, 1, 1]),
            row("", "", [4, 2, 2, 1]),
        ]
    );
    // One day: Anna's transfer (2 days late) no longer counts.
    let strict = payment_behaviour::rows(&mut conn, &filter, 1, today(), BERLIN).unwrap();
    let total = strict.iter().find(|r| r.is_total()).unwrap();
    assert_eq!((total.invoices, total.paid_within, total.share()), (4, 1, dec("25.0")));

    let rows = compensation::rows(&mut conn, &filter, BERLIN).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].incident, rows[0].grants, rows[0].credited), (9301, 2, dec("0.50")));
    assert_eq!(rows[0].title_in("de"), "Mailausfall");
    assert_eq!(rows[0].title_in("sv"), "Mail outage");

    // Narrowing to CHF leaves only Dario.
    let chf = Filter { currency: Some("CHF".into()), ..autumn() };
    assert!(ar_ageing::rows(&mut conn, &chf, today()).unwrap().iter().all(|r| r.currency == "CHF"));
    assert!(revenue::rows(&mut conn, &chf).unwrap().iter().all(|r| r.country == "CH"));
}

/// The settlement row follows every allocation and credit note in its own statement: Anna pays
/// the rest of her half-credited November invoice by direct debit (settled on 25 Nov), the
/// debit comes back (open again), and a credit note for the rest (owed nothing: left out).
/// At each step the report's settlements equal the allocations summed afresh.
#[test]
fn the_settlement_row_follows_payments_reversals_and_credit_notes() {
    let db = TestDb::new();
    fixed_data_set(&db);
    let mut conn = db.conn();
    let filter = autumn();
    let november = |conn: &mut PgConnection| {
        let kept = payment_behaviour::settlements(conn, &filter, BERLIN).unwrap();
        assert_eq!(kept, crate::support::reports::settlements(conn, &filter, BERLIN));
        kept.into_iter().find(|s| s.number == "2026-009202").map(|s| (s.method, s.paid_on))
    };
    assert_eq!(november(&mut conn), Some(("unpaid".to_owned(), None)));
    let entry: i64 = crate::support::count(&db, "SELECT max(id) AS n FROM journal_entries");
    let cash: i64 = crate::support::count(&db, "SELECT max(received_in) AS n FROM payment_receipts");
    let statements = [
        format!(
            "INSERT INTO payment_receipts (key, customer_id, method, currency, amount, to_credit, received_in, ledger_entry_id, occurred_at)
             VALUES ('r-anna-dd', 9001, 'direct_debit', 'EUR', 0.69, 0, {cash}, {entry}, '2026-11-25 07:30Z')"
        ),
        format!(
            "INSERT INTO payment_allocations (receipt_key, invoice_id, customer_id, currency, amount, method, ledger_entry_id)
             VALUES ('r-anna-dd', 9202, 9001, 'EUR', 0.69, 'direct_debit', {entry})"
        ),
        format!(
            "INSERT INTO payment_receipts (key, customer_id, method, currency, amount, to_credit, received_in, ledger_entry_id, occurred_at, reversal_of)
             VALUES ('r-anna-dd-back', 9001, 'direct_debit', 'EUR', 0.69, 0, {cash}, {entry}, '2026-11-28 07:30Z', 'r-anna-dd')"
        ),
        format!(
            "INSERT INTO payment_allocations (receipt_key, invoice_id, customer_id, currency, amount, method, ledger_entry_id)
             VALUES ('r-anna-dd-back', 9202, 9001, 'EUR', -0.69, 'direct_debit', {entry})"
        ),
        format!(
            "INSERT INTO invoices (id, kind, number, series_year, sequence, customer_id, subscription_id, credited_invoice_id,
                                   issue_date, due_date, currency, net, vat, gross, amount_due, vat_treatment, language,
                                   customer_snapshot, seller_snapshot, payment_reference, ledger_entry_id)
             OVERRIDING SYSTEM VALUE VALUES
             (9207, 'credit_note', 'G-2026-009207', 2026, 9207, 9001, 9101, 9202, '2026-11-30', '2026-11-30', 'EUR', 0.58,
              0.11, 0.69, 0.69, 'domestic', 'de', '{{\"country\":\"DE\"}}', '{{}}', '', {entry})"
        ),
    ];
    let mut run =
        |sql: &str| diesel::sql_query(sql).execute(&mut conn).unwrap_or_else(|e| panic!("{e}: {sql}"));
    run(&statements[0]);
    run(&statements[1]);
    let mut conn2 = db.conn();
    assert_eq!(november(&mut conn2), Some(("direct_debit".to_owned(), Some(day(11, 25)))));
    run(&statements[2]);
    run(&statements[3]);
    assert_eq!(november(&mut conn2), Some(("unpaid".to_owned(), None)));
    run(&statements[4]);
    assert_eq!(november(&mut conn2), None, "credited in full: owes nothing, left out");
}

fn parses_as_xml(svg: &str) {
    let mut reader = quick_xml::Reader::from_str(svg);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("the chart is not XML: {e}"),
        }
    }
}

/// The words a chart shows.
fn texts_of(svg: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut texts = Vec::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Text(t)) => {
                let text: &str = t.as_ref();
                if !text.trim().is_empty() {
                    texts.push(text.trim().to_owned());
                }
            }
            Ok(_) => {}
            Err(e) => panic!("the chart is not XML: {e}"),
        }
    }
    texts
}

/// The `<svg>…</svg>` in a page.
fn chart_of(page: &str) -> String {
    let start = page.find("<svg").expect("a chart");
    let end = page[start..].find("</svg>").expect("a closed chart") + start + "</svg>".len();
    page[start..end].to_owned()
}

#[test]
fn each_report_page_has_a_chart_a_table_and_a_csv_and_is_finance_only() {
    let db = TestDb::new();
    fixed_data_set(&db);
    let server = TestServer::start(&db);
    let mut finance = staff_browser(&server, &db, "fin@kontor.example", Role::Finance);
    let mut support = staff_browser(&server, &db, "sue@kontor.example", Role::Support);
    finance.get("/lang/de");
    let index = finance.get("/backoffice/reports");
    assert_eq!(index.status, 200);
    let query = "from=2026-09-01&until=2026-12-05";
    for (report, figure) in [
        ("signups", "<td>FR</td>"),
        ("trial-conversion", "66,7"),
        ("revenue", "0,58"),
        ("deferred-revenue", "1,03"),
        ("mrr", "1,99"),
        ("ar-ageing", "0,69"),
        ("payment-behaviour", "Überweisung"),
        ("compensation", "Mailausfall"),
    ] {
        assert!(index.body.contains(&format!("/backoffice/reports/{report}")), "{report} listed");
        let page = finance.get(&format!("/backoffice/reports/{report}?{query}"));
        assert_eq!(page.status, 200, "{report}: {}", page.body);
        assert!(page.body.contains(figure), "{report} shows {figure}");
        let svg = chart_of(&page.body);
        parses_as_xml(&svg);
        assert!(svg.contains("<title>"), "{report}: the chart has a title");
        assert!(svg.contains("<text"), "{report}: the chart has words");
        let csv = finance.get(&format!("/backoffice/reports/{report}/csv?{query}"));
        assert_eq!(csv.status, 200, "{report} csv");
        assert!(csv.header("content-type").unwrap_or_default().starts_with("text/csv"));
        let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
        assert!(reader.records().count() >= 1, "{report}: the CSV has rows");
        assert_eq!(
            support.get(&format!("/backoffice/reports/{report}")).status,
            404,
            "{report} is finance's"
        );
    }
    // The CSV carries raw figures: a point, no grouping, no currency sign.
    let csv = finance.get(&format!("/backoffice/reports/ar-ageing/csv?{query}"));
    assert_eq!(
        csv.body,
        "currency,bucket,invoices,open\nCHF,31-60,1,1.08\nEUR,current,1,1.19\nEUR,1-30,1,0.69\n"
    );
    // Drill-down from the figure to its invoices.
    let ageing = finance.get(&format!("/backoffice/reports/ar-ageing?{query}"));
    let link = "/backoffice/reports/ar-ageing/invoices?from=2026-09-01&amp;until=2026-12-05&amp;currency=EUR&amp;bucket=1-30";
    assert!(ageing.body.contains(link), "{}", ageing.body);
    let invoices = finance.get(&link.replace("&amp;", "&"));
    assert_eq!(invoices.status, 200);
    assert!(invoices.body.contains("2026-009202") && !invoices.body.contains("2026-009205"));
    // Bad input is a localized 400 or 404, never a 500.
    for bad in [
        "/backoffice/reports/signups?from=2026-13-01",
        "/backoffice/reports/signups?from=2026-12-01&until=2026-01-01",
        "/backoffice/reports/signups?country=%27%3B--",
        "/backoffice/reports/payment-behaviour?days=-1",
    ] {
        assert_eq!(finance.get(bad).status, 400, "{bad}");
    }
    assert_eq!(finance.get("/backoffice/reports/nonsense").status, 404);
    assert_eq!(finance.get("/backoffice/reports/ar-ageing/invoices?currency=EUR&bucket=x").status, 404);
}

#[test]
fn in_the_demo_finance_sees_sign_ups_per_country_and_payment_behaviour_as_charts_in_german_and_english() {
    let db = TestDb::new();
    let billing = crate::support::seller_settings().billing();
    kontor::demo::load(&mut db.conn(), &billing, crate::support::now()).unwrap();
    let month = crate::support::now().format("%Y-%m").to_string();
    crate::support::invoicing::run_batch(&db, &month, crate::support::now());
    let settings = kontor::demo::with_example_accounts(&crate::support::seller_settings());
    kontor::demo::swiss_payment(&mut db.conn(), &settings, crate::support::now().date_naive()).unwrap();
    let server = TestServer::start(&db);
    let mut finance = staff_browser(&server, &db, "fin@kontor.example", Role::Finance);
    for (lang, signups, behaviour) in
        [("de", "Anmeldungen", "Zahlungsverhalten"), ("en", "Sign-ups", "Payment behaviour")]
    {
        finance.get(&format!("/lang/{lang}"));
        // The demo's customers are created at the database's time, not the pinned clock's.
        let page = finance.get("/backoffice/reports/signups?until=2030-12-31");
        assert_eq!(page.status, 200);
        let svg = chart_of(&page.body);
        parses_as_xml(&svg);
        assert!(svg.contains(signups), "{lang}: the axis is in the reader's language");
        if let Ok(dir) = std::env::var("KONTOR_REPORTS_SVG_DIR") {
            // For looking at the charts (rsvg-convert, a browser) while changing them.
            std::fs::write(std::path::Path::new(&dir).join(format!("signups-{lang}.svg")), &svg).unwrap();
        }
        // A bar per country that signed up this month: DE, AT, CH, FR, ... in the legend.
        let texts = texts_of(&svg);
        for country in ["DE", "AT", "CH", "FR"] {
            assert!(texts.iter().any(|t| t == country), "{lang}: {country} in the chart: {texts:?}");
        }
        let page = finance.get("/backoffice/reports/payment-behaviour?until=2030-12-31");
        assert_eq!(page.status, 200);
        assert!(page.body.contains(behaviour));
        parses_as_xml(&chart_of(&page.body));
        assert!(page.body.contains("<td>CH</td>"), "{lang}: Lea's paid invoice is counted under CH");
    }
}
