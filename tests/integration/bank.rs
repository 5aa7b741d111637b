//! Bank statement import against a real PostgreSQL: the matching table, returns, idempotency
//! (the same file twice, overlapping statements, a killed import), refused files, and the
//! reconciliation queue.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use diesel::prelude::*;
use iso_currency::Currency;
use kontor::audit::Actor;
use kontor::money::Money;
use kontor::payments::bank::queue::{self, Target};
use kontor::payments::bank::statement::{Movement, StatementHeader, write_camt053};
use kontor::payments::{InvoiceState, invoice_state};
use rust_decimal::Decimal;

use crate::support::bank::{IBAN, Open, day, eur, import_bytes, open_eur_invoices, statement_bytes};
use crate::support::payments::{last_receipt_entry, paid_emails, set_language, site};
use crate::support::{TestDb, count, scratch_dir};

fn state(db: &TestDb, invoice: i64) -> InvoiceState {
    invoice_state(&mut db.conn(), invoice, day()).unwrap()
}

fn ledger_clean(db: &TestDb) {
    let report = kontor::ledger::verify(&mut db.conn()).unwrap();
    assert!(report.is_healthy(), "{report}");
}

fn suspense(db: &TestDb) -> Decimal {
    #[derive(QueryableByName)]
    struct Sum {
        #[diesel(sql_type = diesel::sql_types::Numeric)]
        n: Decimal,
    }
    diesel::sql_query(
        "SELECT COALESCE(-sum(p.amount), 0) AS n FROM postings p
           JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code = '1590-EUR'",
    )
    .get_result::<Sum>(&mut db.conn())
    .unwrap()
    .n
}

/// The matching table: each kind of transfer a bank statement brings, and what it does.
struct Case {
    movements: Vec<Movement>,
}

fn matching_cases(open: &[Open]) -> Case {
    let mut movements = Vec::new();
    // 0: the RF reference in the structured remittance, exact amount.
    let mut rf = Movement::transfer(eur(open[0].due), day(), "REF-0");
    rf.creditor_reference = Some(open[0].reference.clone());
    rf.end_to_end_id = Some("E2E-RF".into());
    movements.push(rf);
    // 1: the invoice number in free text, with noise, lower case and a space for the dash.
    let mut text = Movement::transfer(eur(open[1].due), day(), "REF-1");
    text.remittance = Some(format!("rg.nr. {} vielen Dank!", open[1].number.replace('-', " ")));
    movements.push(text);
    // 2: less than due -> partly paid.
    let mut under = Movement::transfer(eur(open[2].due - Decimal::new(50, 2)), day(), "REF-2");
    under.remittance = Some(format!("Invoice {}", open[2].number));
    movements.push(under);
    // 3: more than due -> paid, the rest is the customer's credit.
    let mut over = Movement::transfer(eur(open[3].due + Decimal::new(1000, 2)), day(), "REF-3");
    over.creditor_reference = Some(open[3].reference.clone());
    movements.push(over);
    // 4: an unknown payer naming nothing -> queue, no suggestion.
    let mut unknown = Movement::transfer(eur(Decimal::new(4242, 2)), day(), "REF-4");
    unknown.debtor_name = Some("Somebody Else".into());
    unknown.remittance = Some("Spende".into());
    movements.push(unknown);
    // 5: no reference, but the payer's name is a customer's -> queue, suggested.
    let mut named = Movement::transfer(eur(open[5].due), day(), "REF-5");
    named.debtor_name = Some(open[5].name.to_uppercase());
    named.remittance = Some("Mailbox".into());
    movements.push(named);
    // 6: the bank returns transfer 0 (the payer's bank recalled it).
    let mut back = Movement::transfer(eur(open[0].due), day(), "REF-6");
    back.credit = false;
    back.end_to_end_id = Some("E2E-RF".into());
    back.return_reason = Some("AC04".into());
    movements.push(back);
    Case { movements }
}

#[test]
fn a_statement_pays_matches_queues_and_returns_by_the_matching_table() {
    let db = TestDb::new();
    let open = open_eur_invoices(&db);
    assert!(open.len() >= 6, "{open:?}");
    let xml = statement_bytes("S-1", matching_cases(&open).movements);
    let summary = import_bytes(&db, &xml).unwrap();
    assert_eq!(
        (summary.entries_read, summary.new_transactions, summary.paid, summary.partly_paid, summary.overpaid),
        (7, 7, 2, 1, 1),
        "{summary:?}"
    );
    assert_eq!((summary.unmatched, summary.returned, summary.already_imported), (2, 1, 0), "{summary:?}");

    assert_eq!(state(&db, open[0].id), InvoiceState::Open, "paid, then returned");
    assert_eq!(state(&db, open[1].id), InvoiceState::Paid);
    assert_eq!(state(&db, open[2].id), InvoiceState::PartlyPaid);
    assert_eq!(state(&db, open[3].id), InvoiceState::Paid);
    assert_eq!(state(&db, open[5].id), InvoiceState::Open);
    assert_eq!(suspense(&db), Decimal::new(4242, 2) + open[5].due);
    let credit = count(
        &db,
        &format!(
            "SELECT (-sum(p.amount) * 100)::bigint AS n FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
              WHERE a.code = '1750-EUR-C{}'",
            open[3].customer
        ),
    );
    assert_eq!(credit, 1000, "the overpayment is the customer's credit");

    let waiting = queue::list(&mut db.conn(), 100).unwrap();
    assert_eq!(waiting.len(), 2);
    let suggested = waiting.iter().find(|w| w.state == "suggested").expect("the named payer is suggested");
    assert_eq!(suggested.suggestions[0].customer_id, open[5].customer);
    assert_eq!(suggested.suggestions[0].invoice_number.as_deref(), Some(open[5].number.as_str()));
    assert!(suggested.suggestions[0].exact_amount);
    ledger_clean(&db);

    // The same file again books nothing.
    let again = import_bytes(&db, &xml).unwrap();
    assert_eq!((again.new_transactions, again.already_imported, again.paid), (0, 7, 0), "{again:?}");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM bank_transactions"), 7);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM payment_receipts"), 5, "4 receipts and 1 reversal");
    ledger_clean(&db);
}

#[test]
fn overlapping_statements_and_banks_without_references_book_each_movement_once() {
    let db = TestDb::new();
    let open = open_eur_invoices(&db);
    let transfer = |i: usize, reference: Option<&str>| {
        let mut m = Movement::transfer(eur(open[i].due), day(), "");
        m.account_servicer_ref = reference.map(str::to_owned);
        m.creditor_reference = Some(open[i].reference.clone());
        m
    };
    // Monday's statement: 0, 1; Tuesday's repeats 1 and adds 2. The bank gives no references
    // for 2 and for two identical transfers of 9.99 from one payer on one day.
    let mut gift = Movement::transfer(eur(Decimal::new(999, 2)), day(), "");
    gift.account_servicer_ref = None;
    gift.remittance = Some("Gift".into());
    let monday = statement_bytes(
        "S-MON",
        vec![transfer(0, Some("A")), transfer(1, Some("B")), gift.clone(), gift.clone()],
    );
    let tuesday =
        statement_bytes("S-TUE", vec![transfer(1, Some("B")), transfer(2, None), gift.clone(), gift]);
    let first = import_bytes(&db, &monday).unwrap();
    assert_eq!((first.new_transactions, first.paid, first.unmatched), (4, 2, 2), "{first:?}");
    let second = import_bytes(&db, &tuesday).unwrap();
    assert_eq!((second.new_transactions, second.already_imported, second.paid), (1, 3, 1), "{second:?}");
    for invoice in &open[..3] {
        assert_eq!(state(&db, invoice.id), InvoiceState::Paid);
    }
    assert_eq!(count(&db, "SELECT count(*) AS n FROM bank_transactions"), 5);
    assert_eq!(suspense(&db), Decimal::new(1998, 2));
    ledger_clean(&db);
}

/// (email, country) of `customer`.
fn address_of(db: &TestDb, customer: i64) -> (String, String) {
    use kontor::db::schema::customers as c;
    let (email, country): (String, String) =
        c::table.find(customer).select((c::email, c::country)).first(&mut db.conn()).unwrap();
    (email, country.trim().to_owned())
}

#[test]
fn a_statement_that_pays_an_invoice_in_full_queues_one_paid_email_in_the_customers_language() {
    use kontor::i18n::Lang;
    use kontor::i18n::format::Formats;
    let db = TestDb::new();
    let open = open_eur_invoices(&db);
    let (whole, part) = (&open[0], &open[1]);
    assert_ne!(whole.customer, part.customer);
    set_language(&db, whole.customer, "de");
    set_language(&db, part.customer, "sv");
    let paying = |invoice: &Open, amount: Decimal, on: NaiveDate, reference: &str| {
        let mut m = Movement::transfer(eur(amount), on, reference);
        m.creditor_reference = Some(invoice.reference.clone());
        m
    };
    let short = Decimal::new(50, 2);
    let first = statement_bytes(
        "S-PAID-1",
        vec![paying(whole, whole.due, day(), "PAID-1"), paying(part, part.due - short, day(), "PART-1")],
    );
    let summary = import_bytes(&db, &first).unwrap();
    assert_eq!((summary.paid, summary.partly_paid), (1, 1), "{summary:?}");

    // One email, for the invoice paid in full, in German: number, amount, day, how, receipt.
    let mails = paid_emails(&db);
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    let (email, country) = address_of(&db, whole.customer);
    assert_eq!(mail.key, format!("invoice-paid:{}", whole.id));
    assert_eq!((mail.recipient.as_str(), mail.language.as_str()), (email.as_str(), "de"));
    assert_eq!(mail.subject, format!("Rechnung {} ist bezahlt", whole.number));
    let de = Formats::new(&Lang::supported("de").unwrap(), &country);
    let receipt = format!("/account/payments/{}/receipt", last_receipt_entry(&db, whole.id));
    for fact in [
        whole.number.clone(),
        de.money(eur(whole.due)),
        de.date(day()),
        "Bezahlt per: Überweisung".to_owned(),
        receipt,
    ] {
        assert!(mail.text.contains(&fact), "{fact} missing from: {}", mail.text);
    }

    // The same statement again books nothing and queues nothing.
    let again = import_bytes(&db, &first).unwrap();
    assert_eq!(again.already_imported, 2, "{again:?}");
    assert_eq!(paid_emails(&db), mails);

    // The rest of the partly paid invoice: now it is paid, and its Swedish reader hears so once,
    // with the whole amount paid and the day of the last payment.
    let next_day = day().succ_opt().unwrap();
    let second = statement_bytes("S-PAID-2", vec![paying(part, short, next_day, "REST-1")]);
    import_bytes(&db, &second).unwrap();
    import_bytes(&db, &second).unwrap();
    let mails = paid_emails(&db);
    assert_eq!(mails.len(), 2, "{mails:?}");
    let mail = &mails[1];
    let (email, country) = address_of(&db, part.customer);
    assert_eq!(mail.key, format!("invoice-paid:{}", part.id));
    assert_eq!((mail.recipient.as_str(), mail.language.as_str()), (email.as_str(), "sv"));
    assert_eq!(mail.subject, format!("Faktura {} är betald", part.number));
    let sv = Formats::new(&Lang::supported("sv").unwrap(), &country);
    for fact in [sv.money(eur(part.due)), sv.date(next_day), "Betalt med: banköverföring".to_owned()] {
        assert!(mail.text.contains(&fact), "{fact} missing from: {}", mail.text);
    }
    ledger_clean(&db);
}

#[test]
fn a_refused_file_books_nothing_and_says_where() {
    let db = TestDb::new();
    let open = open_eur_invoices(&db);
    let mut paying = Movement::transfer(eur(open[0].due), day(), "OK-1");
    paying.creditor_reference = Some(open[0].reference.clone());
    let good = statement_bytes("S-1", vec![paying.clone(), paying]);
    let entries_before = count(&db, "SELECT count(*) AS n FROM journal_entries");
    // Truncated in the middle of the second entry: the first must not be booked either.
    let cut = &good[..good.len() - 200];
    let error = import_bytes(&db, cut).unwrap_err();
    assert_eq!(error.message_id(), "camt-truncated", "{error}");
    // An amount with too many decimals, a negative one, an unknown currency, a foreign namespace.
    let text = String::from_utf8(good.clone()).unwrap();
    let amount = format!(">{}<", open[0].due);
    for (bad, id) in [
        (text.replacen(&amount, ">1.001<", 1), "camt-amount-decimals"),
        (text.replacen(&amount, ">-1.00<", 1), "camt-amount-negative"),
        (text.replacen("Ccy=\"EUR\"", "Ccy=\"XYZ\"", 1), "camt-currency"),
        (text.replace("camt.053.001.02", "camt.053.001.99"), "camt-namespace"),
    ] {
        let error = import_bytes(&db, bad.as_bytes()).unwrap_err();
        assert_eq!(error.message_id(), id, "{error}");
        assert!(error.to_string().contains("line "), "{error}");
    }
    assert_eq!(count(&db, "SELECT count(*) AS n FROM bank_transactions"), 0);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM journal_entries"), entries_before);
    assert_eq!(state(&db, open[0].id), InvoiceState::Open);
}

fn write_big_statement(path: &Path, open: &[Open], entries: usize) {
    let file = std::fs::File::create(path).unwrap();
    let mut out = std::io::BufWriter::new(file);
    let movements = (0..entries).map(|i| {
        let invoice = &open[i % open.len()];
        let mut m = Movement::transfer(eur(Decimal::new(1, 2)), day(), &format!("BIG-{i}"));
        m.creditor_reference = Some(invoice.reference.clone());
        m
    });
    write_camt053(&mut out, &StatementHeader { id: "BIG", iban: IBAN, created: day() }, movements).unwrap();
}

#[test]
fn an_import_killed_midway_books_nothing_and_the_next_one_books_everything_once() {
    let db = TestDb::new();
    let open = open_eur_invoices(&db);
    let dir = scratch_dir("bank-kill");
    std::fs::create_dir_all(&dir).unwrap();
    let path: PathBuf = dir.join("big.xml");
    // Two chunks of 2,000 and a third: the kill lands after the second chunk is booked inside
    // the file's transaction.
    let entries = 4_500;
    write_big_statement(&path, &open, entries);
    let kontor = || {
        let mut command = crate::support::kontor_command();
        command.args(["bank", "import"]).arg(&path).env("DATABASE_URL", db.url());
        command
    };
    let killed = kontor()
        .env("KONTOR_FAILPOINT", "bank-import-after-chunk=abort@2")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!killed.success() && killed.code().is_none(), "killed by the failpoint: {killed:?}");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM bank_transactions"), 0, "4,000 booked, none kept");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM payment_receipts"), 0);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM bank_imports"), 0);
    let output = kontor().output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let again = kontor().output().unwrap();
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains(&format!("{entries} already imported")), "{stdout}");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM bank_transactions"), entries as i64);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM payment_receipts"), entries as i64);
    ledger_clean(&db);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_transfer_naming_invoices_of_two_customers_pays_both_in_order_and_queues_the_rest() {
    let db = TestDb::new();
    let open = open_eur_invoices(&db);
    let first = open[0].clone();
    let second = open.iter().find(|o| o.customer != first.customer).unwrap().clone();
    let others = |taken: &[i64]| open.iter().find(|o| !taken.contains(&o.customer)).unwrap().clone();
    let third = others(&[first.customer, second.customer]);
    let fourth = others(&[first.customer, second.customer, third.customer]);
    // One payer settles two friends' invoices and adds 2.50; another names three invoices
    // but sends less than all of them.
    let mut both = Movement::transfer(eur(first.due + second.due + Decimal::new(250, 2)), day(), "TWO-1");
    both.remittance = Some(format!("{} and {}", first.number, second.number));
    both.end_to_end_id = Some("E2E-TWO".into());
    let mut short = Movement::transfer(eur(third.due + Decimal::new(10, 2)), day(), "TWO-2");
    short.remittance = Some(format!("{} {}", third.number, fourth.number));
    let summary = import_bytes(&db, &statement_bytes("S-TWO", vec![both, short])).unwrap();
    assert_eq!((summary.paid, summary.partly_paid, summary.unmatched), (0, 1, 1), "{summary:?}");
    assert_eq!(state(&db, first.id), InvoiceState::Paid, "the first customer's invoice");
    assert_eq!(state(&db, second.id), InvoiceState::Paid, "and the second customer's");
    assert_eq!(state(&db, third.id), InvoiceState::Paid);
    assert_eq!(state(&db, fourth.id), InvoiceState::PartlyPaid, "the rest of the second transfer");
    // What the first transfer did not need waits for finance, for nobody's credit.
    assert_eq!(suspense(&db), Decimal::new(250, 2));
    let waiting = queue::list(&mut db.conn(), 10).unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].amount, Decimal::new(250, 2), "the queue shows what is left");
    for customer in [first.customer, second.customer] {
        assert_eq!(
            count(
                &db,
                &format!(
                    "SELECT count(*) AS n FROM payment_receipts WHERE customer_id = {customer} AND to_credit = 0"
                )
            ),
            1
        );
    }
    ledger_clean(&db);
    // Finance gives the rest to the first customer's credit; undoing it puts back only that.
    let (actor, now) = (Actor::system("127.0.0.1"), crate::support::now());
    let applied =
        queue::assign(&mut db.conn(), &site(), waiting[0].id, &Target::Credit(first.customer), &actor, now)
            .unwrap();
    assert_eq!(applied.to_credit.amount(), Decimal::new(250, 2));
    assert_eq!(suspense(&db), Decimal::ZERO);
    ledger_clean(&db);
    // The bank takes the whole transfer back: both payments are undone, the money leaves.
    let mut back = Movement::transfer(eur(first.due + second.due + Decimal::new(250, 2)), day(), "TWO-3");
    back.credit = false;
    back.end_to_end_id = Some("E2E-TWO".into());
    back.return_reason = Some("AC04".into());
    let returned = import_bytes(&db, &statement_bytes("S-TWO-BACK", vec![back])).unwrap();
    assert_eq!(returned.returned, 1, "{returned:?}");
    assert_eq!(state(&db, first.id), InvoiceState::Open);
    assert_eq!(state(&db, second.id), InvoiceState::Open);
    assert_eq!(suspense(&db), Decimal::ZERO);
    ledger_clean(&db);
}

#[test]
fn finance_assigns_undoes_and_marks_for_refund_from_the_queue() {
    let db = TestDb::new();
    let open = open_eur_invoices(&db);
    let mut anonymous = Movement::transfer(eur(open[0].due + Decimal::ONE), day(), "Q-1");
    anonymous.remittance = Some("for my mailbox".into());
    let mut stranger = Movement::transfer(eur(Decimal::new(500, 2)), day(), "Q-2");
    stranger.remittance = Some("?".into());
    import_bytes(&db, &statement_bytes("S-Q", vec![anonymous, stranger])).unwrap();
    let waiting = queue::list(&mut db.conn(), 10).unwrap();
    assert_eq!(waiting.len(), 2);
    let (first, second) = (waiting[0].id, waiting[1].id);
    let (actor, now) = (Actor::system("127.0.0.1"), crate::support::now());

    let applied = queue::assign(
        &mut db.conn(),
        &site(),
        first,
        &Target::Invoices(vec![open[0].number.clone()]),
        &actor,
        now,
    )
    .unwrap();
    assert_eq!(applied.to_credit.amount(), Decimal::ONE);
    assert_eq!(state(&db, open[0].id), InvoiceState::Paid);
    assert_eq!(suspense(&db), Decimal::new(500, 2));
    // Assigned money is not in the queue any more, and cannot be assigned twice.
    assert_eq!(queue::list(&mut db.conn(), 10).unwrap().len(), 1);
    let twice = queue::assign(&mut db.conn(), &site(), first, &Target::Credit(open[1].customer), &actor, now);
    assert_eq!(twice.unwrap_err().message_id(), "bank-not-in-queue");

    // Undo: counter-entries, the invoice is open again, the money back in suspense.
    queue::undo(&mut db.conn(), first, &actor, now).unwrap();
    assert_eq!(state(&db, open[0].id), InvoiceState::Open);
    assert_eq!(suspense(&db), open[0].due + Decimal::ONE + Decimal::new(500, 2));
    // Then to a customer's credit instead.
    let credited =
        queue::assign(&mut db.conn(), &site(), first, &Target::Credit(open[1].customer), &actor, now)
            .unwrap();
    assert!(credited.paid.is_empty());
    assert_eq!(credited.to_credit, eur(open[0].due + Decimal::ONE));

    // Wrong input changes nothing.
    let unknown = queue::assign(
        &mut db.conn(),
        &site(),
        second,
        &Target::Invoices(vec!["2026-999999".into()]),
        &actor,
        now,
    );
    assert_eq!(unknown.unwrap_err().message_id(), "bank-unknown-invoice");
    queue::mark_for_refund(&mut db.conn(), second, &actor, now).unwrap();
    assert_eq!(queue::list(&mut db.conn(), 10).unwrap()[0].state, "refund");
    queue::undo(&mut db.conn(), second, &actor, now).unwrap();
    assert_eq!(queue::list(&mut db.conn(), 10).unwrap()[0].state, "unassigned");

    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action LIKE 'bank.%'"), 5);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM bank_assignments WHERE undone_by IS NOT NULL"), 1);
    ledger_clean(&db);
}

#[test]
fn an_automatic_match_finance_undoes_goes_back_to_the_queue() {
    let db = TestDb::new();
    let open = open_eur_invoices(&db);
    let mut paying = Movement::transfer(eur(open[0].due), day(), "AUTO-1");
    paying.creditor_reference = Some(open[0].reference.clone());
    import_bytes(&db, &statement_bytes("S-A", vec![paying])).unwrap();
    assert_eq!(state(&db, open[0].id), InvoiceState::Paid);
    let id = count(&db, "SELECT id AS n FROM bank_transactions");
    let (actor, now) = (Actor::system("127.0.0.1"), crate::support::now());
    queue::undo(&mut db.conn(), id, &actor, now).unwrap();
    assert_eq!(state(&db, open[0].id), InvoiceState::Open);
    assert_eq!(suspense(&db), open[0].due);
    queue::assign(&mut db.conn(), &site(), id, &Target::Invoices(vec![open[0].number.clone()]), &actor, now)
        .unwrap();
    assert_eq!(state(&db, open[0].id), InvoiceState::Paid);
    assert_eq!(suspense(&db), Decimal::ZERO);
    ledger_clean(&db);
}

/// A server for the seller's account and finance staff signed in to it.
fn finance_at_the_bank(db: &TestDb) -> (crate::support::TestServer, crate::support::Browser) {
    let seller = [("KONTOR_SELLER_IBAN", IBAN.to_owned()), ("KONTOR_SELLER_BIC", "BYLADEM1001".to_owned())];
    let server = crate::support::TestServer::start_with(db, &seller);
    let finance = crate::support::accounts::staff_browser(
        &server,
        db,
        "bank@kontor.example",
        kontor::accounts::Role::Finance,
    );
    (server, finance)
}

/// A statement of two transfers: one paying the first open invoice by its reference, one for
/// the second that only names its payer.
fn two_transfers(open: &[Open]) -> String {
    let mut paying = Movement::transfer(eur(open[0].due), day(), "WEB-1");
    paying.creditor_reference = Some(open[0].reference.clone());
    let mut named = Movement::transfer(eur(open[1].due), day(), "WEB-2");
    named.debtor_name = Some(open[1].name.clone());
    String::from_utf8(statement_bytes("S-WEB", vec![paying, named])).unwrap()
}

#[test]
fn finance_uploads_a_statement_and_works_the_queue_in_the_back_office() {
    use kontor::accounts::Role;
    let db = TestDb::new();
    let open = open_eur_invoices(&db);
    let (server, mut finance) = finance_at_the_bank(&db);
    let xml = two_transfers(&open);

    let page = finance.get("/backoffice/bank");
    assert_eq!(page.status, 200, "{}", page.body);
    let token = finance.csrf();
    // The upload needs the CSRF token like every form.
    let forged =
        finance.post_file("/backoffice/bank/import", &[("csrf", "AAAA")], ("statement", "s.xml", &xml));
    assert_eq!(forged.status, 403);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM bank_transactions"), 0);
    let foreign = xml.replace(IBAN, "DE89370400440532013000");
    let refused =
        finance.post_file("/backoffice/bank/import", &[("csrf", &token)], ("statement", "s.xml", &foreign));
    assert!(
        refused.body.contains("nothing was booked: line ")
            && refused.body.contains("DE89370400440532013000, which is not one of our accounts"),
        "{}",
        refused.body
    );
    assert_eq!(count(&db, "SELECT count(*) AS n FROM bank_transactions"), 0);
    let token = finance.csrf();
    let uploaded =
        finance.post_file("/backoffice/bank/import", &[("csrf", &token)], ("statement", "s.xml", &xml));
    assert_eq!(uploaded.status, 303, "{}", uploaded.body);
    let uploaded = finance.follow(uploaded);
    assert_eq!(uploaded.status, 200, "{}", uploaded.body);
    assert!(uploaded.body.contains("2 entries read, 2 new: 1 paid"), "{}", uploaded.body);
    assert!(uploaded.body.contains(&open[1].number), "the suggestion names the open invoice");
    assert_eq!(state(&db, open[0].id), InvoiceState::Paid);
    let listed = finance.get(&format!("/backoffice/invoices?number={}", open[0].number));
    assert!(listed.body.contains("state-paid"), "{}", listed.body);
    let shown = finance.get(&format!("/backoffice/invoices/{}", open[2].number));
    // Open or overdue, depending on the day the test runs; either way something is left to pay.
    assert!(shown.body.contains("Still to pay"), "{}", shown.body);
    // A broken file: the line and the reason, in the reader's language; nothing booked.
    let broken = finance.post_file(
        "/backoffice/bank/import",
        &[("csrf", &token)],
        ("statement", "b.xml", &xml[..xml.len() / 2]),
    );
    assert!(broken.body.contains("nothing was booked: line "), "{}", broken.body);

    let id = count(&db, "SELECT id AS n FROM bank_transactions WHERE state = 'suggested'");
    let assigned =
        finance.submit("/backoffice/bank/assign", &[("id", &id.to_string()), ("invoices", &open[1].number)]);
    assert!(assigned.body.contains("assigned and booked"), "{}", assigned.body);
    assert_eq!(state(&db, open[1].id), InvoiceState::Paid);
    assert!(assigned.body.contains("Nothing is waiting"));
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM audit_log WHERE action IN ('bank.imported', 'bank.assigned')"),
        2
    );

    // Customers and support staff do not see it.
    let mut support =
        crate::support::accounts::staff_browser(&server, &db, "support@kontor.example", Role::Support);
    assert_eq!(support.get("/backoffice/bank").status, 404);
    ledger_clean(&db);
}

#[test]
fn a_statement_settles_direct_debits_and_its_returns_reopen_them() {
    use kontor::payments::sepa::export::export_collections;
    let db = TestDb::new();
    let invoices = crate::support::payments::invoiced(&db, 4);
    let (french, dutch) = (invoices[2].1, invoices[3].1);
    crate::support::sepa::mandate(&db, french, "FR1420041010050500013M02606").unwrap();
    crate::support::sepa::mandate(&db, dutch, "NL91ABNA0417164300").unwrap();
    let settings = crate::support::sepa::settings();
    let collection_day = NaiveDate::from_ymd_opt(2026, 12, 15).unwrap();
    let exported = export_collections(
        &mut db.conn(),
        &settings.sepa_export(),
        collection_day,
        NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
        crate::support::now(),
    )
    .unwrap();
    assert_eq!(exported.count, 2);
    let (french_e2e, french_amount, french_invoice) = crate::support::sepa::e2e_of(&db, french);
    let (dutch_e2e, dutch_amount, dutch_invoice) = crate::support::sepa::e2e_of(&db, dutch);

    // The bank books the collection as one batch entry with a transaction per debit.
    let mut batch = Movement::transfer(eur(french_amount + dutch_amount), collection_day, "DD-BATCH");
    batch.end_to_end_id = Some(french_e2e.clone());
    let mut xml = String::from_utf8(statement_bytes("S-DD", vec![batch])).unwrap();
    let single = |e2e: &str, amount: Decimal| {
        format!(
            "<TxDtls><Refs><EndToEndId>{e2e}</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy=\"EUR\">{amount}</Amt></TxAmt></AmtDtls></TxDtls>"
        )
    };
    let start = xml.find("<TxDtls>").unwrap();
    let end = xml.find("</TxDtls>").unwrap() + "</TxDtls>".len();
    xml.replace_range(start..end, &(single(&french_e2e, french_amount) + &single(&dutch_e2e, dutch_amount)));
    let settled = import_bytes(&db, xml.as_bytes()).unwrap();
    assert_eq!((settled.new_transactions, settled.paid, settled.unmatched), (2, 2, 0), "{settled:?}");
    let paid_on = NaiveDate::from_ymd_opt(2026, 12, 16).unwrap();
    assert_eq!(invoice_state(&mut db.conn(), french_invoice, paid_on).unwrap(), InvoiceState::Paid);
    assert_eq!(invoice_state(&mut db.conn(), dutch_invoice, paid_on).unwrap(), InvoiceState::Paid);

    // The French debit comes back: insufficient funds.
    let mut back = Movement::transfer(eur(french_amount), paid_on, "DD-RET-1");
    back.credit = false;
    back.end_to_end_id = Some(french_e2e);
    back.return_reason = Some("AM04".into());
    let returned = import_bytes(&db, &statement_bytes("S-DD-RET", vec![back])).unwrap();
    assert_eq!(returned.returned, 1, "{returned:?}");
    assert_ne!(invoice_state(&mut db.conn(), french_invoice, paid_on).unwrap(), InvoiceState::Paid);
    assert_eq!(invoice_state(&mut db.conn(), dutch_invoice, paid_on).unwrap(), InvoiceState::Paid);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM direct_debit_collections WHERE status = 'returned'"), 1);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM bank_transactions WHERE state = 'returned'"), 2);
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM mail_outbox WHERE idempotency_key LIKE 'sepa-return:%'"),
        1,
        "the customer is told once"
    );
    ledger_clean(&db);
}

#[test]
fn one_transfer_naming_two_invoices_pays_both_in_the_order_written() {
    let db = TestDb::new();
    let open = open_eur_invoices(&db);
    crate::support::invoicing::run_batch(&db, "2027-01", "2027-01-01T06:00:00Z".parse().unwrap());
    let first = &open[0];
    let (second_id, second_number, second_due): (i64, String, Decimal) = {
        use kontor::db::schema::invoices::dsl as i;
        i::invoices
            .filter(i::kind.eq("invoice").and(i::customer_id.eq(first.customer)).and(i::id.ne(first.id)))
            .select((i::id, i::number, i::amount_due))
            .first(&mut db.conn())
            .unwrap()
    };
    let mut both = Movement::transfer(eur(first.due + second_due), day(), "TWO-1");
    both.remittance = Some(format!("Rechnungen {} und {}", second_number, first.number.replace('-', "/")));
    let summary = import_bytes(&db, &statement_bytes("S-TWO", vec![both])).unwrap();
    assert_eq!(summary.paid, 1, "{summary:?}");
    let later = NaiveDate::from_ymd_opt(2027, 1, 2).unwrap();
    assert_eq!(invoice_state(&mut db.conn(), first.id, later).unwrap(), InvoiceState::Paid);
    assert_eq!(invoice_state(&mut db.conn(), second_id, later).unwrap(), InvoiceState::Paid);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM payment_allocations"), 2);
    ledger_clean(&db);
}

#[test]
fn the_queue_csv_quotes_as_rfc_4180_and_neutralises_payers_formulas() {
    let db = TestDb::new();
    open_eur_invoices(&db);
    let hostile = [
        ("=HYPERLINK(\"http://evil.example\",\"Refund\")", "plain"),
        ("Anna \"Ann\" Schmidt, GmbH", "line one, \"quoted\""),
        ("-1+2", "+SUM(A1:A9)"),
        ("@cmd", "Spende"),
    ];
    let movements = hostile
        .iter()
        .enumerate()
        .map(|(i, (payer, text))| {
            let mut m = Movement::transfer(eur(Decimal::new(1000 + i as i64, 2)), day(), &format!("CSV-{i}"));
            m.debtor_name = Some((*payer).to_owned());
            m.remittance = Some((*text).to_owned());
            m
        })
        .collect();
    import_bytes(&db, &statement_bytes("S-CSV", movements)).unwrap();
    let output = crate::support::kontor_command()
        .args(["bank", "queue", "--limit", "3"])
        .env("DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), queue::CSV_HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "--limit is honoured and no row is split");
    for (row, (payer, text)) in rows.iter().zip(hostile) {
        assert_eq!(row.len(), 8, "{row:?}");
        let neutral =
            |s: &str| if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_owned() };
        assert_eq!(&row[5], neutral(payer), "{row:?}");
        assert_eq!(&row[6], neutral(text), "{row:?}");
        assert!(row[2].parse::<Decimal>().is_ok(), "amounts stay numbers: {row:?}");
    }
    // Pages smaller than the queue still write every row once, in order.
    let mut paged = Vec::new();
    assert_eq!(queue::write_csv(&mut db.conn(), &mut paged, 100, 1).unwrap(), 4);
    let mut whole = Vec::new();
    assert_eq!(queue::write_csv(&mut db.conn(), &mut whole, 100, 1_000).unwrap(), 4);
    assert_eq!(paged, whole);
}

#[test]
fn a_statement_for_someone_else_s_account_or_a_foreign_currency_entry_books_nothing() {
    let db = TestDb::new();
    let open = open_eur_invoices(&db);
    let paying = || {
        let mut m = Movement::transfer(eur(open[0].due), day(), "OTHER-1");
        m.creditor_reference = Some(open[0].reference.clone());
        m
    };
    // Somebody else's account: the transfer names our invoice, but the money is not ours.
    let mut xml = Vec::new();
    let foreign = StatementHeader { id: "S-FOREIGN", iban: "DE89370400440532013000", created: day() };
    write_camt053(&mut xml, &foreign, vec![paying()]).unwrap();
    let error = import_bytes(&db, &xml).unwrap_err();
    assert!(
        matches!(&error, kontor::payments::bank::BankError::ForeignAccount { iban, .. } if iban == "DE89370400440532013000"),
        "{error}"
    );
    assert!(error.line().is_some_and(|line| line > 1), "the refusal names a line: {error}");
    // A CHF entry on our EUR account.
    let mut chf = Movement::transfer(Money::new(Decimal::new(1000, 2), Currency::CHF), day(), "CHF-1");
    chf.remittance = Some("Rechnung".into());
    let error = import_bytes(&db, &statement_bytes("S-CHF", vec![paying(), chf])).unwrap_err();
    assert!(
        matches!(&error, kontor::payments::bank::BankError::ForeignCurrency { currency, account_currency, .. }
            if currency == "CHF" && account_currency == "EUR"),
        "{error}"
    );
    let en = kontor::i18n::Lang::english();
    let text = kontor::i18n::t_args(
        &en,
        error.message_id(),
        &error.message_args().into_iter().map(|(k, v)| (k, v.into())).collect::<Vec<_>>(),
    );
    assert!(text.contains("CHF") && text.contains(IBAN), "{text}");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM bank_transactions"), 0, "nothing stored");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM payment_receipts"), 0, "nothing booked");
    assert_eq!(state(&db, open[0].id), InvoiceState::Open);
    // Our own account in its own currency books as before.
    import_bytes(&db, &statement_bytes("S-OWN", vec![paying()])).unwrap();
    assert_eq!(state(&db, open[0].id), InvoiceState::Paid);
    ledger_clean(&db);
}

/// A statement import job as the back office starts one, for the upload at `path`.
fn import_job(db: &TestDb, path: &Path) -> i64 {
    let settings = crate::support::seller_settings();
    let work = kontor::jobs::Work::StatementImport {
        upload: path.to_owned(),
        file_name: "big.xml".to_owned(),
        user: None,
        return_fee: settings.sepa_returns().return_fee,
        accounts: settings.own_bank_accounts(),
    };
    kontor::jobs::enqueue(&mut db.conn(), &work, None).unwrap()
}

#[test]
fn a_statement_import_job_stopped_mid_way_and_run_again_books_every_entry_once() {
    use kontor::jobs::run::{self, Context, Ran};
    use kontor::jobs::{self, State};
    let db = TestDb::new();
    let open = open_eur_invoices(&db);
    let dir = scratch_dir("bank-job");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("upload.xml");
    // A chunk of 2,000 and a second: the worker stops once the first is booked, inside the
    // file's transaction.
    let entries = 2_500;
    write_big_statement(&path, &open, entries);
    let size = i64::try_from(std::fs::metadata(&path).unwrap().len()).unwrap();
    let job = import_job(&db, &path);
    let pool = db.pool();
    // A lease of nothing: a worker that stopped is taken for dead at once.
    let context = Context {
        site: crate::support::seller_settings().site(),
        seller: crate::support::seller_settings().billing().seller,
        now: crate::support::now(),
        lease_seconds: 0.0,
    };
    {
        let _armed = kontor::failpoint::arm("bank-import-after-chunk", kontor::failpoint::Action::Panic);
        let stopped =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run::run_next(&pool, &context)));
        assert!(stopped.is_err(), "the worker stopped at the failpoint");
    }
    assert_eq!(jobs::find(&mut db.conn(), job).unwrap().state, State::Running);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM bank_transactions"), 0, "2,000 booked, none kept");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM bank_imports"), 0);
    assert!(path.exists(), "the upload waits for the next claim");
    // Started again: the job whose worker went silent is claimed and imports the file.
    assert_eq!(run::run_next(&pool, &context).unwrap(), Some((job, Ran::Done)));
    assert_eq!(run::run_next(&pool, &context).unwrap(), None, "nothing is left to claim");
    let done = jobs::find(&mut db.conn(), job).unwrap();
    assert_eq!((done.state, done.done, done.total), (State::Done, size, Some(size)));
    assert_eq!(done.result["entries_read"], entries);
    assert_eq!(done.result["new_transactions"], entries);
    assert_eq!(done.result["already_imported"], 0);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM bank_transactions"), entries as i64);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM payment_receipts"), entries as i64);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action = 'bank.imported'"), 1);
    assert_eq!(count(&db, "SELECT attempts::bigint AS n FROM jobs"), 2);
    assert!(!path.exists(), "the upload is removed once imported");
    ledger_clean(&db);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_upload_the_request_cannot_wait_for_shows_its_job_which_the_worker_finishes_after_a_restart() {
    use diesel::sql_types::BigInt;
    use kontor::jobs::run::{self, Context, Ran};
    let db = TestDb::new();
    let open = open_eur_invoices(&db);
    let (server, mut finance) = finance_at_the_bank(&db);
    let xml = two_transfers(&open);
    finance.get("/backoffice/bank");
    let token = finance.csrf();
    // Another import holds the import lock for longer than the request waits.
    let mut other = PgConnection::establish(&db.url()).unwrap();
    diesel::sql_query("BEGIN").execute(&mut other).unwrap();
    diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
        .bind::<BigInt, _>(kontor::payments::bank::import::IMPORT_LOCK)
        .execute(&mut other)
        .unwrap();
    let uploaded =
        finance.post_file("/backoffice/bank/import", &[("csrf", &token)], ("statement", "s.xml", &xml));
    assert_eq!(uploaded.status, 303, "{}", uploaded.body);
    let page = uploaded.location();
    let job: i64 = page.strip_prefix("/backoffice/jobs/").unwrap().parse().unwrap();
    let waiting = finance.follow(uploaded);
    assert_eq!(waiting.status, 200, "{}", waiting.body);
    assert!(waiting.body.contains("http-equiv=\"refresh\""), "{}", waiting.body);
    assert!(waiting.body.contains("Importing the bank statement"), "{}", waiting.body);
    assert!(waiting.body.contains("href=\"/backoffice/bank\""), "{}", waiting.body);
    // The server stops while its import waits: its connection is gone, the job is left
    // running until its lease runs out.
    let blocked = "SELECT count(*) AS n FROM pg_stat_activity
                    WHERE datname = current_database() AND wait_event_type = 'Lock'";
    assert!(crate::support::eventually(10, || count(&db, blocked) == 1), "the import waits for the lock");
    diesel::sql_query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'",
    )
    .execute(&mut other)
    .unwrap();
    diesel::sql_query("COMMIT").execute(&mut other).unwrap();
    assert_eq!(count(&db, "SELECT count(*) AS n FROM bank_transactions"), 0);
    assert!(finance.get(&page).body.contains("http-equiv=\"refresh\""), "still running");
    diesel::sql_query("UPDATE jobs SET lease_until = clock_timestamp() - interval '1 second'")
        .execute(&mut other)
        .unwrap();
    // The worker takes the job over and imports the file.
    let context = Context {
        site: server.settings.site(),
        seller: server.settings.billing().seller,
        now: crate::support::now(),
        lease_seconds: 60.0,
    };
    assert_eq!(run::run_next(&db.pool(), &context).unwrap(), Some((job, Ran::Done)));
    let done = finance.get(&page);
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(!done.body.contains("http-equiv=\"refresh\""), "a finished job's page stays: {}", done.body);
    assert!(done.body.contains("2 entries read, 2 new: 1 paid"), "{}", done.body);
    assert_eq!(state(&db, open[0].id), InvoiceState::Paid);
    let uploads = std::fs::read_dir(server.settings.data_dir.join("uploads")).unwrap().count();
    assert_eq!(uploads, 0, "the upload is removed once imported");
    ledger_clean(&db);
}

/// Settlement rows that differ from what the invoice, its credit notes and its allocations say
/// (the per-invoice definition of 2026-12-23-000001_reports_settlements), either way round.
fn settlement_rows_off(db: &TestDb) -> i64 {
    count(
        db,
        "WITH truth AS (
           SELECT i.id AS invoice_id, i.amount_due - COALESCE(c.credited, 0) AS owed, COALESCE(p.paid, 0) AS paid,
                  CASE WHEN COALESCE(p.paid, 0) >= i.amount_due - COALESCE(c.credited, 0) THEN p.last_at END AS settled_at,
                  CASE WHEN COALESCE(p.paid, 0) >= i.amount_due - COALESCE(c.credited, 0) AND p.last_at IS NOT NULL
                       THEN p.method ELSE 'unpaid' END AS method
             FROM invoices i
             LEFT JOIN LATERAL (SELECT sum(cn.gross) AS credited FROM invoices cn WHERE cn.credited_invoice_id = i.id) c ON true
             LEFT JOIN LATERAL (
                  SELECT sum(a.amount) AS paid, max(r.occurred_at) AS last_at,
                         (array_agg(a.method ORDER BY r.occurred_at DESC, a.id DESC))[1] AS method
                    FROM payment_allocations a JOIN payment_receipts r ON r.key = a.receipt_key
                   WHERE a.invoice_id = i.id) p ON true
            WHERE i.kind = 'invoice'),
         kept AS (SELECT invoice_id, owed, paid, settled_at, method FROM invoice_settlements)
         SELECT count(*) AS n FROM ((SELECT * FROM truth EXCEPT SELECT * FROM kept)
                                    UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM truth)) off",
    )
}

#[test]
fn a_statement_of_several_chunks_settles_invoices_across_chunks_with_one_email_each_and_true_settlement_rows()
{
    let db = TestDb::new();
    let open = open_eur_invoices(&db);
    // Each invoice: all but a cent in the first chunk of 2,000 movements, the cent in the
    // second, and cents beyond that go to the customer's credit. In between, transfers that
    // name nothing fill the first chunk.
    let entries = 2_500;
    let movements: Vec<Movement> = (0..entries)
        .map(|i| {
            let invoice = &open[i % open.len()];
            let amount = if i < open.len() { invoice.due - Decimal::new(1, 2) } else { Decimal::new(1, 2) };
            let mut m = Movement::transfer(eur(amount), day(), &format!("CHUNKS-{i}"));
            if i < open.len() || i >= 2_000 {
                m.creditor_reference = Some(invoice.reference.clone());
            }
            m
        })
        .collect();
    let xml = statement_bytes("CHUNKS", movements);
    let summary = import_bytes(&db, &xml).unwrap();
    assert_eq!(summary.new_transactions, entries as u64);
    assert_eq!(settlement_rows_off(&db), 0, "every settlement row says what its invoice's allocations say");
    for invoice in &open {
        assert_eq!(state(&db, invoice.id), InvoiceState::Paid, "{}", invoice.number);
    }
    let settled = count(
        &db,
        "SELECT count(*) AS n FROM invoice_settlements WHERE settled_at IS NOT NULL AND method = 'bank_transfer'",
    );
    assert_eq!(settled, open.len() as i64);
    let emails = "SELECT count(*) AS n FROM mail_outbox WHERE idempotency_key LIKE 'invoice-paid:%'";
    assert_eq!(count(&db, emails), open.len() as i64, "one paid email per invoice");

    let receipts = "SELECT count(*) AS n FROM payment_receipts";
    assert_eq!(count(&db, receipts), (open.len() + 500) as i64, "the transfers naming nothing wait");

    let again = import_bytes(&db, &xml).unwrap();
    assert_eq!((again.new_transactions, again.already_imported), (0, entries as u64));
    assert_eq!(count(&db, emails), open.len() as i64);
    assert_eq!(count(&db, receipts), (open.len() + 500) as i64);
    assert_eq!(settlement_rows_off(&db), 0);
    ledger_clean(&db);
}

/// The settlement triggers of an import refresh each touched invoice through the indexes of
/// its allocations and receipts. A plan that scans those tables costs the whole table per
/// chunk, and inside an import (statistics older than its rows) it was re-run per invoice: a
/// chunk of 2,000 took seconds. Tables this small invite a scan, so the test asks the hardest.
#[test]
fn the_settlement_rows_are_refreshed_through_indexes_whatever_the_statistics_say() {
    let db = TestDb::new();
    let open = open_eur_invoices(&db);
    let movements: Vec<Movement> = open
        .iter()
        .enumerate()
        .map(|(i, invoice)| {
            let mut m = Movement::transfer(eur(invoice.due), day(), &format!("INDEX-{i}"));
            m.creditor_reference = Some(invoice.reference.clone());
            m
        })
        .collect();
    let summary = import_bytes(&db, &statement_bytes("INDEX", movements)).unwrap();
    assert_eq!(summary.paid, open.len() as u64);
    let mut conn = db.conn();
    diesel::sql_query("ANALYZE invoices, payment_allocations, payment_receipts").execute(&mut conn).unwrap();
    // Counted as the difference, since the view also holds counts not yet flushed from earlier.
    let scans = "SELECT COALESCE(sum(seq_scan), 0)::int8 AS n FROM pg_stat_xact_user_tables
                  WHERE relname IN ('payment_allocations', 'payment_receipts')";
    let scans = conn
        .transaction(|conn| {
            let before = crate::support::scalar_count(conn, scans);
            diesel::sql_query("SELECT invoice_settlements_refresh(ARRAY(SELECT id FROM invoices))")
                .execute(conn)?;
            Ok::<_, diesel::result::Error>(crate::support::scalar_count(conn, scans) - before)
        })
        .unwrap();
    assert_eq!(scans, 0, "allocations and receipts read by index only");
    assert_eq!(settlement_rows_off(&db), 0, "and the rows say what the allocations say");
}
