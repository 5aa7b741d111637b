//! Finance's month end: the OSS return against an independent recomputation from the invoice
//! CSV and the ECB sample, the DATEV file's format rules and sums, and the period lock held
//! by PostgreSQL itself.

use std::collections::BTreeMap;
use std::process::Command;

use diesel::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::support::invoicing::run_batch;
use crate::support::{TestDb, count};

fn kontor(db: &TestDb, args: &[&str]) -> Command {
    let mut command = crate::support::kontor_command();
    command.args(args).env("DATABASE_URL", db.url()).env("KONTOR_LOG_FORMAT", "json");
    command
}

fn run(db: &TestDb, args: &[&str]) -> String {
    let output = kontor(db, args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/ecb/eurofxref-sample.xml");

/// Customers in DE, AT, CH, FR, NL, DK, NO, SE, GB and IT (the seed's spread), invoiced from
/// September (Q3) to December (Q4) 2026.
fn four_months(db: &TestDb) {
    let made = kontor::seed::customers(&mut db.conn(), 24, "2026-09".parse().unwrap()).unwrap();
    assert_eq!(made, 24);
    for (month, at) in [
        ("2026-09", "2026-09-01T06:00:00Z"),
        ("2026-10", "2026-10-01T06:00:00Z"),
        ("2026-11", "2026-11-01T06:00:00Z"),
        ("2026-12", "2026-12-01T06:00:00Z"),
    ] {
        run_batch(db, month, at.parse().unwrap());
    }
}

/// The first invoice of `country` issued on `day`.
fn invoice_of(db: &TestDb, country: &str, day: &str) -> String {
    #[derive(QueryableByName)]
    struct Number {
        #[diesel(sql_type = diesel::sql_types::Text)]
        number: String,
    }
    let found: Number = diesel::sql_query(format!(
        "SELECT number FROM invoices WHERE kind = 'invoice' AND customer_snapshot->>'country' = '{country}'
            AND issue_date = '{day}' ORDER BY number LIMIT 1"
    ))
    .get_result(&mut db.conn())
    .unwrap();
    found.number
}

/// The ECB sample's rate of `currency` on `day`, read straight from the file.
fn sample_rate(currency: &str, day: &str) -> Decimal {
    let xml = std::fs::read_to_string(SAMPLE).unwrap();
    let block = xml.split(&format!("<Cube time='{day}'>")).nth(1).unwrap().split("</Cube>").next().unwrap();
    let rate =
        block.split(&format!("currency='{currency}' rate='")).nth(1).unwrap().split('\'').next().unwrap();
    rate.parse().unwrap()
}

fn cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn quarter_of(day: &str) -> String {
    let month: u32 = day[5..7].parse().unwrap();
    format!("{}-Q{}", &day[..4], (month - 1) / 3 + 1)
}

const EU_BUT_SELLER: [&str; 6] = ["AT", "FR", "NL", "DK", "SE", "IT"];

#[test]
fn the_oss_return_equals_a_recomputation_from_the_invoice_csv_and_the_ecb_sample() {
    let db = TestDb::new();
    four_months(&db);
    // A table of credit notes: in Q4 for invoices of Q3 (a correction, in DKK and in EUR) and
    // for an invoice of Q4 itself (part of the quarter's supplies).
    let credits = [
        (invoice_of(&db, "DK", "2026-09-01"), None),
        (invoice_of(&db, "AT", "2026-09-01"), Some("0.50")),
        (invoice_of(&db, "SE", "2026-11-01"), None),
        (invoice_of(&db, "FR", "2026-10-01"), Some("0.40")),
    ];
    let mut credited_by = BTreeMap::new();
    for (number, amount) in &credits {
        let mut args = vec!["invoice", "credit", number.as_str(), "--reason", "Goodwill for the test"];
        if let Some(amount) = amount {
            args.extend(["--amount", amount]);
        }
        run(&db, &args);
        let note: String = kontor::db::schema::invoices::table
            .filter(kontor::db::schema::invoices::kind.eq("credit_note"))
            .order(kontor::db::schema::invoices::id.desc())
            .select(kontor::db::schema::invoices::number)
            .first(&mut db.conn())
            .unwrap();
        credited_by.insert(note, number.clone());
    }
    // Without rates the return cannot be made.
    let refused = kontor(&db, &["vat", "oss", "--quarter", "2026-Q4"]).output().unwrap();
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("ECB"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(run(&db, &["fx", "import", SAMPLE]).contains("new"));
    assert!(run(&db, &["fx", "import", SAMPLE]).contains(", 0 new"));

    // The independent recomputation: every document of the quarter from the invoice CSV.
    let list = run(&db, &["invoice", "list", "--format", "csv"]);
    let rows: Vec<Vec<String>> =
        list.lines().skip(1).map(|l| l.split(',').map(str::to_owned).collect()).collect();
    let issue_day: BTreeMap<String, String> = rows.iter().map(|r| (r[0].clone(), r[2].clone())).collect();
    // The rate from an invoice's own figures; a credit note (small amounts, rounded) takes
    // its invoice's.
    let rate_of = |row: &Vec<String>| {
        let (net, vat): (Decimal, Decimal) = (row[7].parse().unwrap(), row[8].parse().unwrap());
        (vat / net * Decimal::ONE_HUNDRED).round_dp(0).to_string()
    };
    let row_of = |number: &str| rows.iter().find(|r| r[0] == number).unwrap();
    let mut per_group: BTreeMap<(String, String, String, String), (Decimal, Decimal)> = BTreeMap::new();
    for row in
        rows.iter().filter(|r| quarter_of(&r[2]) == "2026-Q4" && EU_BUT_SELLER.contains(&r[5].as_str()))
    {
        let (net, vat): (Decimal, Decimal) = (row[7].parse().unwrap(), row[8].parse().unwrap());
        let rate = rate_of(credited_by.get(&row[0]).map_or(row, |invoice| row_of(invoice)));
        let origin = match credited_by.get(&row[0]) {
            Some(invoice) => quarter_of(&issue_day[invoice]),
            None => "2026-Q4".to_owned(),
        };
        let sum = per_group.entry((origin, row[5].clone(), rate, row[6].clone())).or_default();
        sum.0 += net;
        sum.1 += vat;
    }
    let last_day = |quarter: &str| if quarter == "2026-Q4" { "2026-12-31" } else { "2026-09-30" };
    let mut expected: BTreeMap<(String, String, String), (Decimal, Decimal)> = BTreeMap::new();
    for ((origin, country, rate, currency), (net, vat)) in per_group {
        let (net, vat) = if currency == "EUR" {
            (net, vat)
        } else {
            let fx = sample_rate(&currency, last_day(&origin));
            (cents(net / fx), cents(vat / fx))
        };
        let key = if origin == "2026-Q4" {
            ("supply".into(), country, rate)
        } else {
            (origin, country, String::new())
        };
        let sum = expected.entry(key).or_default();
        sum.0 += net;
        sum.1 += vat;
    }

    let csv = run(&db, &["vat", "oss", "--quarter", "2026-Q4"]);
    let mut got: BTreeMap<(String, String, String), (Decimal, Decimal)> = BTreeMap::new();
    let mut total = None;
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 6, "{line}");
        match cells[0] {
            "supply" => {
                assert_eq!(cells[1], "2026-Q4");
                got.insert(
                    ("supply".into(), cells[2].into(), cells[3].into()),
                    (cells[4].parse().unwrap(), cells[5].parse().unwrap()),
                );
            }
            "correction" => {
                got.insert(
                    (cells[1].into(), cells[2].into(), String::new()),
                    (cells[4].parse().unwrap(), cells[5].parse().unwrap()),
                );
            }
            "total" => total = Some(cells[5].parse::<Decimal>().unwrap()),
            other => panic!("unexpected section {other}"),
        }
    }
    assert_eq!(got, expected, "{csv}");
    // The table covers what it claims: supplies in EUR and other currencies, two corrections
    // of Q3 (the DKK one converted at Q3's rate), no German and no non-EU line.
    assert!(got.keys().any(|k| k.0 == "supply" && k.1 == "DK"), "{csv}");
    assert!(got.keys().any(|k| k.0 == "supply" && k.1 == "SE"), "{csv}");
    assert!(got.contains_key(&("2026-Q3".into(), "DK".into(), String::new())), "{csv}");
    assert!(got.contains_key(&("2026-Q3".into(), "AT".into(), String::new())), "{csv}");
    assert!(got[&("2026-Q3".into(), "DK".into(), String::new())].1 < Decimal::ZERO);
    assert!(!got.keys().any(|k| ["DE", "CH", "NO", "GB"].contains(&k.1.as_str())), "{csv}");
    assert_eq!(total, Some(expected.values().map(|v| v.1).sum()));

    // A quarter without sales is a nil return: just the total, 0.00.
    let nil = run(&db, &["vat", "oss", "--quarter", "2026-Q1"]);
    assert_eq!(nil.lines().skip(1).collect::<Vec<_>>(), vec!["total,2026-Q1,,,,0.00"]);
}

/// Closes `month` in the domain (the checklist's statements are not what these tests are about).
fn close(db: &TestDb, month: &str) -> bool {
    let actor = kontor::audit::Actor::system("test");
    let closing = kontor::accounting::period::Closing {
        zone: chrono_tz::Europe::Berlin,
        actor: &actor,
        explanation: "",
        now: crate::support::now(),
    };
    db.conn()
        .transaction(|conn| kontor::accounting::period::close(conn, month.parse().unwrap(), &closing))
        .unwrap()
}

/// A DATEV field list split at `;` outside quotes.
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out
}

#[test]
fn the_datev_file_follows_the_format_and_sums_to_the_trial_balance_movements() {
    let db = TestDb::new();
    four_months(&db);
    let dir = crate::support::scratch_dir("datev");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("november.csv");
    let path = file.to_str().unwrap();
    // An open month is not exported: entries could still join it.
    assert!(
        !kontor(&db, &["export", "datev", "--month", "2026-11", "--out", path])
            .output()
            .unwrap()
            .status
            .success()
    );
    close(&db, "2026-11");
    run(&db, &["export", "datev", "--month", "2026-11", "--out", path]);
    let bytes = std::fs::read(&file).unwrap();

    // CRLF after every line and nowhere else; Windows-1252 (ü is 0xFC, no UTF-8).
    assert!(bytes.ends_with(b"\r\n"));
    assert_eq!(
        bytes.windows(2).filter(|w| w == b"\r\n").count(),
        bytes.iter().filter(|b| **b == b'\n').count()
    );
    assert_eq!(bytes.iter().filter(|b| **b == b'\r').count(), bytes.iter().filter(|b| **b == b'\n').count());
    assert!(bytes.windows(9).any(|w| w == b"Schl\xfcssel"));
    assert!(std::str::from_utf8(&bytes).is_err(), "Windows-1252, not UTF-8");
    let (text, _, malformed) = encoding_rs::WINDOWS_1252.decode(&bytes);
    assert!(!malformed);
    let lines: Vec<&str> = text.trim_end_matches("\r\n").split("\r\n").collect();

    let header = fields(lines[0]);
    assert_eq!(header.len(), 31, "{}", lines[0]);
    assert_eq!(&header[..5], ["EXTF", "700", "21", "Buchungsstapel", "13"]);
    assert_eq!((header[14].as_str(), header[15].as_str()), ("20261101", "20261130"));
    assert_eq!(header[26], "03");
    let columns = fields(lines[1]);
    assert_eq!(columns, kontor::accounting::datev::COLUMNS);

    let mut per_currency: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut oss_rows = 0;
    for line in &lines[2..] {
        let row = fields(line);
        assert_eq!(row.len(), 41, "{line}");
        let amount = &row[0];
        let (units, decimals) = amount.split_once(',').unwrap_or_else(|| panic!("decimal comma: {line}"));
        assert!(units.chars().all(|c| c.is_ascii_digit()) && decimals.len() == 2, "{line}");
        assert_eq!(row[1], "S");
        assert!(
            row[6].chars().all(|c| c.is_ascii_digit()) && row[7].chars().all(|c| c.is_ascii_digit()),
            "{line}"
        );
        assert_eq!(row[9].len(), 4, "TTMM: {line}");
        assert_eq!(&row[9][2..], "11", "{line}");
        if !row[39].is_empty() {
            oss_rows += 1;
            assert!(EU_BUT_SELLER.contains(&row[39].as_str()), "{line}");
            assert!(row[40].contains(','), "{line}");
        }
        *per_currency.entry(row[2].clone()).or_default() +=
            amount.replace(',', ".").parse::<Decimal>().unwrap();
    }
    assert!(oss_rows > 0);

    // The sum of the export per currency is the month's debit movement in the trial balance.
    let zone = chrono_tz::Europe::Berlin;
    let month = "2026-11".parse().unwrap();
    let (start, end) = kontor::accounting::month_bounds(month, zone);
    let balance = kontor::accounting::trial_balance::trial_balance(&mut db.conn(), start, end).unwrap();
    let mut debits: BTreeMap<String, Decimal> = BTreeMap::new();
    for row in &balance {
        assert_eq!(row.closing(), row.opening + row.debits - row.credits);
        *debits.entry(row.currency.clone()).or_default() += row.debits;
    }
    debits.retain(|_, d| !d.is_zero());
    assert_eq!(per_currency, debits);
    let credits: Decimal = balance.iter().map(|r| r.credits).sum();
    assert_eq!(credits, debits.values().copied().sum::<Decimal>(), "the month balances");

    // Every entry of the month went out once; exporting again writes the same file.
    let entries = count(
        &db,
        &format!(
            "SELECT count(*) AS n FROM journal_entries WHERE occurred_at >= '{start}' AND occurred_at < '{end}'"
        ),
    );
    assert!(entries > 0);
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM datev_exported_entries WHERE month = '2026-11-01'"),
        entries
    );
    run(&db, &["export", "datev", "--month", "2026-11", "--out", path]);
    assert_eq!(std::fs::read(&file).unwrap(), bytes);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM datev_exported_entries"), entries);

    // The plain journal: one row per posting of the month.
    let journal = dir.join("journal.csv");
    run(&db, &["export", "journal", "--month", "2026-11", "--out", journal.to_str().unwrap()]);
    let postings = count(
        &db,
        &format!(
            "SELECT count(*) AS n FROM postings p JOIN journal_entries e ON e.id = p.entry_id
              WHERE e.occurred_at >= '{start}' AND e.occurred_at < '{end}'"
        ),
    );
    assert_eq!(std::fs::read_to_string(&journal).unwrap().lines().count() as i64, postings + 1);
}

#[test]
fn postgresql_refuses_entries_in_a_closed_month_also_by_raw_sql() {
    let db = TestDb::new();
    four_months(&db);
    // The month has not ended: it cannot be closed.
    assert!(!kontor(&db, &["month", "close", "2026-12"]).output().unwrap().status.success());
    // Suspense is empty, the batch done, the ledger clean; no statements imported yet, so
    // the checklist says so and the close waits.
    let checklist = run(&db, &["month", "checklist", "2026-11"]);
    assert!(checklist.contains("statements") && checklist.contains("open"), "{checklist}");
    assert!(checklist.contains("dunning      open"), "no dunning run yet: {checklist}");
    let dunned = kontor(&db, &["dunning", "run", "--today", "2026-11-30"]).output().unwrap();
    assert!(dunned.status.success(), "{dunned:?}");
    let checklist = run(&db, &["month", "checklist", "2026-11"]);
    assert!(checklist.contains("dunning      done           2026-11-30"), "the last day's run: {checklist}");
    let refused = kontor(&db, &["month", "close", "2026-11"]).output().unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("statements"));
    assert!(close(&db, "2026-11"));
    assert!(!close(&db, "2026-11"), "once");
    let (actor, november) = (kontor::audit::Actor::system("test"), "2026-11".parse().unwrap());
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action = 'month.closed'"), 1);

    let raw = |at: &str| {
        let mut conn = db.conn();
        conn.transaction::<_, diesel::result::Error, _>(|conn| {
            let accounts: Vec<i64> = kontor::db::schema::ledger_accounts::table
                .filter(kontor::db::schema::ledger_accounts::currency.eq("EUR"))
                .filter(kontor::db::schema::ledger_accounts::customer_id.is_null())
                .select(kontor::db::schema::ledger_accounts::id)
                .limit(2)
                .load(conn)?;
            diesel::sql_query(format!(
                "WITH e AS (INSERT INTO journal_entries (idempotency_key, kind, occurred_at, fingerprint)
                            VALUES ('raw-{at}', 'adjustment', '{at}', sha256('x')) RETURNING id)
                 INSERT INTO postings (entry_id, account_id, currency, amount)
                 SELECT e.id, a, 'EUR', CASE WHEN a = {} THEN 1 ELSE -1 END FROM e, unnest(ARRAY[{}, {}]) a",
                accounts[0], accounts[0], accounts[1]
            ))
            .execute(conn)
        })
    };
    // Last second of November in Berlin: refused by the trigger, by name.
    let error = raw("2026-11-30T22:59:59Z").unwrap_err();
    match &error {
        diesel::result::Error::DatabaseError(_, info) => {
            assert_eq!(info.constraint_name(), Some("ledger_month_closed"), "{}", info.message())
        }
        other => panic!("{other}"),
    }
    // The first second of December (Berlin) is open: corrections go there.
    raw("2026-11-30T23:00:00Z").unwrap();
    // Kontor's own posting path gets a clear error.
    let entry = |key: &str| kontor::ledger::NewEntry {
        idempotency_key: key.into(),
        kind: "adjustment".into(),
        memo: String::new(),
        occurred_at: "2026-11-15T12:00:00Z".parse().unwrap(),
        reference: None,
        postings: {
            let mut conn = db.conn();
            let bank = kontor::ledger::chart::SystemAccount::Bank
                .open(&mut conn, iso_currency::Currency::EUR)
                .unwrap();
            let cash = kontor::ledger::chart::SystemAccount::Cash
                .open(&mut conn, iso_currency::Currency::EUR)
                .unwrap();
            let one = kontor::money::Money::from_minor(100, iso_currency::Currency::EUR);
            vec![
                kontor::ledger::NewPosting::debit(cash.id, one),
                kontor::ledger::NewPosting::credit(bank.id, one),
            ]
        },
    };
    let refused = db.conn().transaction(|conn| kontor::ledger::post_entry(conn, &entry("in-closed")));
    assert!(matches!(refused, Err(kontor::ledger::LedgerError::MonthClosed(_))), "{refused:?}");

    // Reopening: only an admin, only with a reason; audited; then November takes entries again.
    let finance = kontor::accounts::Role::Finance;
    let admin = kontor::accounts::Role::Admin;
    use kontor::accounting::{AccountingError, period::reopen};
    assert!(matches!(
        reopen(&mut db.conn(), november, finance, "typo", &actor),
        Err(AccountingError::NotAdmin)
    ));
    assert!(matches!(reopen(&mut db.conn(), november, admin, "  ", &actor), Err(AccountingError::NoReason)));
    reopen(&mut db.conn(), november, admin, "Late bank fee", &actor).unwrap();
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action = 'month.reopened'"), 1);
    raw("2026-11-30T22:59:59Z").unwrap();
}

/// November's statement arrives (a payment booked on 4 December by reference), so the
/// checklist's statements item is done and nothing waits in suspense.
fn statement_to_december(db: &TestDb) {
    use crate::support::bank::{eur, import_bytes, statement_bytes};
    let (number, due, reference): (String, Decimal, String) = kontor::db::schema::invoices::table
        .filter(kontor::db::schema::invoices::kind.eq("invoice"))
        .filter(kontor::db::schema::invoices::currency.eq("EUR"))
        .filter(kontor::db::schema::invoices::amount_due.gt(Decimal::ZERO))
        .order(kontor::db::schema::invoices::id)
        .select((
            kontor::db::schema::invoices::number,
            kontor::db::schema::invoices::amount_due,
            kontor::db::schema::invoices::payment_reference,
        ))
        .first(&mut db.conn())
        .unwrap();
    let mut movement = kontor::payments::bank::statement::Movement::transfer(
        eur(due),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
        &format!("PAY-{number}"),
    );
    movement.creditor_reference = Some(reference);
    let summary = import_bytes(db, &statement_bytes("ACC-1", vec![movement])).unwrap();
    assert_eq!(summary.paid, 1, "{summary:?}");
}

#[test]
fn finance_closes_november_downloads_oss_and_datev_in_chromium_in_german_and_english() {
    let db = TestDb::new();
    four_months(&db);
    statement_to_december(&db);
    kontor::accounting::fx::import(
        &mut db.conn(),
        &kontor::accounting::fx::parse(kontor::accounting::fx::SAMPLE).unwrap(),
    )
    .unwrap();
    let dunned = kontor(&db, &["dunning", "run", "--today", "2026-11-30"]).output().unwrap();
    assert!(dunned.status.success(), "{dunned:?}");
    let server = crate::support::TestServer::start(&db);
    let Some(chromium) = server.chromium() else { return };
    crate::browser::staff_in_chromium(
        &chromium,
        &server,
        &db,
        "fin@kontor.example",
        kontor::accounts::Role::Finance,
    );

    // Last month is what the page shows first: November, open, every item ready.
    chromium.goto("/backoffice/accounting");
    let page = chromium.wait_for_text("Month close 2026-11");
    assert!(page.contains("This month is open."), "{page}");
    assert!(page.contains("Dunning run\tdone"), "{page}");
    assert!(page.contains("OSS VAT return 2026-Q4"), "{page}");
    chromium.click_in("main", "Close the month");
    chromium.wait_for_text("2026-11 is closed.");
    // F5 on the result closes nothing twice.
    chromium.reload();
    let page = chromium.wait_for_text("This month was closed on");
    assert!(!page.contains("Close the month"), "{page}");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM closed_months"), 1);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action = 'month.closed'"), 1);

    // The downloads, with the session's cookies.
    let mut http = chromium.http();
    let oss_link = chromium.link("Download the OSS return (CSV)");
    let (response, oss) = http.get_bytes(&oss_link);
    assert_eq!(response.status, 200);
    assert!(String::from_utf8(oss).unwrap().starts_with("section,period,country,rate,taxable_eur,vat_eur\n"));
    let datev_link = chromium.link("Download the DATEV file");
    let (response, datev) = http.get_bytes(&datev_link);
    assert_eq!(response.status, 200);
    assert!(response.header("content-disposition").unwrap().contains("EXTF_Buchungsstapel_2026-11.csv"));
    assert!(datev.starts_with(b"\"EXTF\";700;21;\"Buchungsstapel\""));
    let (again, same) = http.get_bytes(&datev_link);
    assert_eq!((again.status, same), (200, datev), "a second download is the same file");

    // German: the same page in the seller's language.
    chromium.click_css("nav.languages a[hreflang=\"de\"]");
    chromium.wait_for_text("Abmelden");
    chromium.goto("/backoffice/accounting");
    let page = chromium.wait_for_text("Monatsabschluss 2026-11");
    assert!(page.contains("Dieser Monat wurde am"), "{page}");
    assert!(page.contains("DATEV-Datei herunterladen"), "{page}");
    chromium.reload();
    chromium.wait_for_text("OSS-Umsatzsteuererklärung 2026-Q4");
}

#[test]
fn a_manual_entry_needs_a_second_person_and_a_closed_month_refuses_it() {
    use kontor::accounts::Role;
    let db = TestDb::new();
    four_months(&db);
    assert!(close(&db, "2026-11"));
    let server = crate::support::TestServer::start(&db);
    let mut fin = crate::support::accounts::staff_browser(&server, &db, "fin@kontor.example", Role::Finance);
    let mut other =
        crate::support::accounts::staff_browser(&server, &db, "fin2@kontor.example", Role::Finance);
    let postings = "6855-EUR 12.50\n1000-EUR -12.50";
    for account in
        [kontor::ledger::chart::SystemAccount::Cash, kontor::ledger::chart::SystemAccount::PaymentFees]
    {
        account.open(&mut db.conn(), iso_currency::Currency::EUR).unwrap();
    }

    // Unbalanced: refused, nothing stored.
    let refused = fin.submit(
        "/backoffice/accounting/manual",
        &[("date", "2026-12-03"), ("memo", "Cash count"), ("postings", "6855-EUR 12.50\n1000-EUR -12.00")],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM manual_entries"), 0);

    let proposed = fin.submit(
        "/backoffice/accounting/manual",
        &[("date", "2026-12-03"), ("memo", "Cash count"), ("postings", postings)],
    );
    assert!(proposed.body.contains("is waiting for a second person"), "{}", proposed.body);
    assert_eq!(fin.reload_result().status, 200);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM manual_entries"), 1, "a reload proposes nothing more");
    let id = count(&db, "SELECT max(id) AS n FROM manual_entries").to_string();
    let entries = || count(&db, "SELECT count(*) AS n FROM journal_entries WHERE kind = 'manual_entry'");

    // The proposer cannot approve it.
    let own = fin.submit("/backoffice/accounting/manual/approve", &[("proposal", &id)]);
    assert_eq!(own.status, 422);
    assert!(own.body.contains("A second person approves"), "{}", own.body);
    assert_eq!(entries(), 0);
    // The database holds the rule too.
    let sneaky = diesel::sql_query(format!(
        "UPDATE manual_entries SET approved_by = proposed_by, approved_at = now() WHERE id = {id}"
    ))
    .execute(&mut db.conn());
    assert!(sneaky.is_err());

    let approved = other.submit("/backoffice/accounting/manual/approve", &[("proposal", &id)]);
    assert!(approved.body.contains("is posted"), "{}", approved.body);
    assert_eq!(other.reload_result().status, 200);
    assert_eq!(entries(), 1, "posted once");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action LIKE 'manual_entry.%'"), 2);

    // A proposal dated in the closed November is refused when approved: the lock holds.
    fin.submit(
        "/backoffice/accounting/manual",
        &[("date", "2026-11-20"), ("memo", "Late fee"), ("postings", postings)],
    );
    let late = count(&db, "SELECT max(id) AS n FROM manual_entries").to_string();
    let refused = other.submit("/backoffice/accounting/manual/approve", &[("proposal", &late)]);
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("This month is closed"), "{}", refused.body);
    assert_eq!(entries(), 1);
    let report = kontor::ledger::verify(&mut db.conn()).unwrap();
    assert!(report.is_healthy(), "{report}");
}

#[test]
fn two_finance_people_closing_the_same_month_at_once_close_it_once() {
    let db = TestDb::new();
    four_months(&db);
    let closes: Vec<bool> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..2).map(|_| scope.spawn(|| close(&db, "2026-11"))).collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert_eq!(closes.iter().filter(|closed| **closed).count(), 1, "{closes:?}");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM closed_months"), 1);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action = 'month.closed'"), 1);
    let (start, end) =
        kontor::accounting::month_bounds("2026-11".parse().unwrap(), chrono_tz::Europe::Berlin);
    let entries = count(
        &db,
        &format!(
            "SELECT count(*) AS n FROM journal_entries WHERE occurred_at >= '{start}' AND occurred_at < '{end}'"
        ),
    );
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM datev_exported_entries"),
        entries,
        "each entry claimed once"
    );
}
