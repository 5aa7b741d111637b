//! Payouts: a transfer marked for refund and a closed account's credit become payout items;
//! finance approves them on its page (finance only), one pain.001.001.09 file (valid against
//! the ISO schema, stored, the same bytes on every download) carries them; the statement's
//! debit settles each once and books the refund once, a returned transfer puts it back; the
//! ledger verifies at every step.

use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::support::payouts::{
    PAYER_IBAN, import, ledger_clean, paid_out, queue_refund, returned, state_of, validates, written,
};
use crate::support::{TestDb, TestServer, count};
use kontor::accounts::Role;
use kontor::audit::Actor;
use kontor::payments::payouts::{PayoutError, approve, end_to_end_id, export_approved};

fn finance() -> Actor {
    Actor::system("finance test")
}

fn entries(db: &TestDb) -> i64 {
    count(db, "SELECT count(*) AS n FROM journal_entries")
}

fn export(db: &TestDb) -> Result<kontor::payments::payouts::Exported, PayoutError> {
    let settings = crate::support::seller_settings().payout_export();
    let today = crate::support::now().date_naive();
    export_approved(&mut db.conn(), &settings, today, crate::support::now(), &finance())
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

#[test]
fn a_queue_refund_goes_out_in_a_valid_file_and_the_statement_settles_it_once() {
    let db = TestDb::new();
    crate::support::bank::open_eur_invoices(&db);
    let (transfer, payout, amount) = queue_refund(&db, "REF-STRANGER-1", dec("12.34"), Some(PAYER_IBAN));
    assert_eq!(state_of(&db, payout), "proposed");
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT count(*) AS n FROM payouts WHERE id = {payout} AND iban = '{PAYER_IBAN}' AND amount = 12.34"
            )
        ),
        1,
        "the money goes back where it came from"
    );
    ledger_clean(&db);
    let booked = entries(&db);

    // Approving and writing the file book nothing: the money is still ours.
    approve(&mut db.conn(), payout, &finance(), crate::support::now()).unwrap();
    assert!(matches!(
        approve(&mut db.conn(), payout, &finance(), crate::support::now()),
        Err(PayoutError::NotProposed(_))
    ));
    let file = export(&db).unwrap();
    assert_eq!((file.count, file.control_sum), (1, amount));
    assert!(matches!(export(&db), Err(PayoutError::NothingApproved)), "a second file carries nothing twice");
    assert_eq!(entries(&db), booked);
    assert_eq!(state_of(&db, payout), "exported");
    ledger_clean(&db);

    let (valid, errors) = validates(&written("payouts.xml", &file.xml));
    assert!(valid, "{errors}");
    let xml = String::from_utf8(file.xml.clone()).unwrap();
    let e2e = end_to_end_id(payout);
    assert!(xml.contains(&format!("<EndToEndId>{e2e}</EndToEndId>")), "{xml}");
    assert!(xml.contains("<InstdAmt Ccy=\"EUR\">12.34</InstdAmt>"), "{xml}");
    assert!(xml.contains("<Nm>Joerg Mueller-Luedenscheidt</Nm>"), "{xml}");
    // A broken file would be caught: the schema refuses a transaction without an amount.
    let broken = xml.replace("<InstdAmt Ccy=\"EUR\">12.34</InstdAmt>", "");
    assert!(!validates(&written("broken.xml", broken.as_bytes())).0);

    // The money leaves: the statement's debit carries the end-to-end id.
    let statement = vec![paid_out(&e2e, amount, "OUT-1")];
    let summary = import(&db, "S-OUT-1", statement.clone());
    assert_eq!((summary.paid_out, summary.ignored), (1, 0), "{summary:?}");
    assert_eq!(state_of(&db, payout), "settled");
    assert_eq!(entries(&db), booked + 1, "the refund is booked once, when the money leaves");
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT count(*) AS n FROM bank_transactions WHERE id = {transfer} AND state = 'booked' AND outcome = 'refunded'"
            )
        ),
        1
    );
    assert!(
        kontor::payments::bank::queue::list(&mut db.conn(), 100).unwrap().iter().all(|i| i.id != transfer)
    );
    assert_eq!(
        crate::support::amount(
            &db,
            "SELECT COALESCE(sum(p.amount), 0) AS n FROM postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code = '1590-EUR'"
        ),
        Decimal::ZERO
    );
    ledger_clean(&db);

    // The same statement again (or an overlapping one) changes nothing.
    let again = import(&db, "S-OUT-1", statement);
    assert_eq!((again.paid_out, again.already_imported, again.new_transactions), (0, 1, 0), "{again:?}");
    assert_eq!(entries(&db), booked + 1);
    ledger_clean(&db);

    // The bank returns the transfer (account closed): the payout is back with its reason, and
    // the money waits in the queue again.
    let back = returned(&e2e, amount, "AC04", "BACK-1", 2);
    let came_back = import(&db, "S-BACK-1", vec![back.clone()]);
    assert_eq!(came_back.payouts_returned, 1, "{came_back:?}");
    assert_eq!(state_of(&db, payout), "returned");
    assert_eq!(
        count(
            &db,
            &format!("SELECT count(*) AS n FROM payouts WHERE id = {payout} AND return_reason = 'AC04'")
        ),
        1
    );
    let queued = kontor::payments::bank::queue::list(&mut db.conn(), 100).unwrap();
    assert!(queued.iter().any(|i| i.amount == amount && i.state == "unassigned"), "{queued:?}");
    assert_eq!(import(&db, "S-BACK-1", vec![back]).payouts_returned, 0);
    ledger_clean(&db);
}

#[test]
fn a_debit_of_another_amount_or_a_payout_not_sent_settles_nothing() {
    let db = TestDb::new();
    crate::support::bank::open_eur_invoices(&db);
    let (_, sent, amount) = queue_refund(&db, "REF-A", dec("20.00"), Some(PAYER_IBAN));
    let (_, kept, _) = queue_refund(&db, "REF-B", dec("7.00"), Some("NL91ABNA0417164300"));
    approve(&mut db.conn(), sent, &finance(), crate::support::now()).unwrap();
    export(&db).unwrap();
    let summary = import(
        &db,
        "S-ODD",
        vec![
            paid_out(&end_to_end_id(sent), amount - Decimal::ONE, "ODD-1"),
            paid_out(&end_to_end_id(kept), dec("7.00"), "ODD-2"),
        ],
    );
    assert_eq!((summary.paid_out, summary.ignored), (0, 2), "{summary:?}");
    assert_eq!(state_of(&db, sent), "exported");
    assert_eq!(state_of(&db, kept), "proposed");
    ledger_clean(&db);
}

#[test]
fn lifting_a_refund_mark_withdraws_its_payout_until_it_is_in_a_file() {
    let db = TestDb::new();
    crate::support::bank::open_eur_invoices(&db);
    let actor = finance();
    let now = crate::support::now();
    let (transfer, first, _) = queue_refund(&db, "REF-UNDO", dec("5.00"), Some(PAYER_IBAN));
    kontor::payments::bank::queue::undo(&mut db.conn(), transfer, &actor, now).unwrap();
    assert_eq!(state_of(&db, first), "withdrawn");
    assert!(matches!(approve(&mut db.conn(), first, &actor, now), Err(PayoutError::NotProposed(_))));
    ledger_clean(&db);

    // Marked again: a new item; once it is in a file, the mark stays.
    kontor::payments::bank::queue::mark_for_refund(&mut db.conn(), transfer, &actor, now).unwrap();
    let second = count(
        &db,
        &format!("SELECT id AS n FROM payouts WHERE bank_transaction_id = {transfer} AND state = 'proposed'"),
    );
    assert_ne!(second, first);
    approve(&mut db.conn(), second, &actor, now).unwrap();
    export(&db).unwrap();
    let refused = kontor::payments::bank::queue::undo(&mut db.conn(), transfer, &actor, now);
    assert!(
        matches!(refused, Err(kontor::payments::bank::BankError::Payout(PayoutError::Underway(_)))),
        "{refused:?}"
    );
    assert_eq!(state_of(&db, second), "exported");
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT count(*) AS n FROM bank_transactions WHERE id = {transfer} AND state = 'refund'"
            )
        ),
        1
    );
    ledger_clean(&db);
}

#[test]
fn a_transfer_without_a_usable_iban_stays_listed_with_its_reason_and_is_never_in_a_file() {
    let db = TestDb::new();
    crate::support::bank::open_eur_invoices(&db);
    let (_, none, _) = queue_refund(&db, "REF-NO-IBAN", dec("3.00"), None);
    let reason = |id: i64| {
        use kontor::db::schema::payouts as p;
        p::table.find(id).select(p::blocked_reason).first::<Option<String>>(&mut db.conn()).unwrap()
    };
    assert_eq!(reason(none).as_deref(), Some("payout-reason-no-iban"));
    assert!(matches!(
        approve(&mut db.conn(), none, &finance(), crate::support::now()),
        Err(PayoutError::Blocked(..))
    ));
    assert!(matches!(export(&db), Err(PayoutError::NothingApproved)));
    assert_eq!(state_of(&db, none), "proposed");
}

/// A closed EUR account with `extra` of credit (an overpayment) and a mandate's IBAN.
fn closed_with_credit(db: &TestDb, extra: Decimal) -> i64 {
    let (invoice, customer, due, _) = crate::support::payments::invoiced(db, 4)
        .into_iter()
        .find(|(_, _, _, currency)| currency == "EUR")
        .unwrap();
    crate::support::sepa::mandate(db, customer, "FR1420041010050500013M02606").unwrap();
    kontor::payments::apply_receipt(
        &mut db.conn(),
        &crate::support::payments::site(),
        &kontor::payments::Receipt {
            key: format!("cash:{customer}"),
            customer,
            amount: crate::support::bank::eur(due + extra),
            fee: None,
            received_in: kontor::ledger::chart::SystemAccount::Cash,
            method: kontor::payments::Method::BankTransfer,
            invoices: vec![invoice],
            occurred_at: crate::support::now(),
            memo: "overpaid".into(),
        },
    )
    .unwrap();
    diesel::sql_query(format!("UPDATE customers SET closed_at = now() WHERE id = {customer}"))
        .execute(&mut db.conn())
        .unwrap();
    customer
}

fn credit(db: &TestDb, customer: i64) -> Decimal {
    -crate::support::amount(
        db,
        &format!(
            "SELECT COALESCE(sum(p.amount), 0) AS n FROM postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code = '1750-EUR-C{customer}'"
        ),
    )
}

#[test]
fn a_closed_accounts_credit_is_paid_out_once_to_its_mandates_account() {
    let db = TestDb::new();
    let customer = closed_with_credit(&db, dec("9.50"));
    let now = crate::support::now();
    let payout = kontor::payments::payouts::propose_closed_account_credit(&mut db.conn(), customer, now)
        .unwrap()
        .expect("a payout of the credit");
    assert_eq!(
        kontor::payments::payouts::propose_closed_account_credit(&mut db.conn(), customer, now).unwrap(),
        None,
        "proposed once"
    );
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT count(*) AS n FROM payouts WHERE id = {payout} AND amount = 9.50 AND iban = 'FR1420041010050500013M02606'"
            )
        ),
        1
    );
    approve(&mut db.conn(), payout, &finance(), now).unwrap();
    let file = export(&db).unwrap();
    assert!(validates(&written("credit.xml", &file.xml)).0);
    assert_eq!(credit(&db, customer), dec("9.50"), "nothing leaves the credit before the money does");

    let summary = import(&db, "S-CREDIT", vec![paid_out(&end_to_end_id(payout), dec("9.50"), "OUT-C")]);
    assert_eq!(summary.paid_out, 1, "{summary:?}");
    assert_eq!(credit(&db, customer), Decimal::ZERO);
    assert_eq!(
        kontor::payments::payouts::propose_closed_account_credit(&mut db.conn(), customer, now).unwrap(),
        None
    );
    ledger_clean(&db);

    // The bank returns it: the money is the customer's credit again, waiting for finance.
    let back = returned(&end_to_end_id(payout), dec("9.50"), "AC06", "BACK-C", 1);
    let came_back = import(&db, "S-BACK-C", vec![back]);
    assert_eq!((came_back.payouts_returned, came_back.unmatched), (1, 0), "{came_back:?}");
    assert_eq!(credit(&db, customer), dec("9.50"));
    assert_eq!(state_of(&db, payout), "returned");
    ledger_clean(&db);
}

#[test]
fn a_credit_spent_after_approval_is_not_paid_out() {
    let db = TestDb::new();
    let customer = closed_with_credit(&db, dec("4.00"));
    let now = crate::support::now();
    let payout = kontor::payments::payouts::propose_closed_account_credit(&mut db.conn(), customer, now)
        .unwrap()
        .unwrap();
    // An open account is not proposed at all.
    let open = crate::support::payments::invoiced(&db, 1)[0].1;
    assert_eq!(
        kontor::payments::payouts::propose_closed_account_credit(&mut db.conn(), open, now).unwrap(),
        None
    );
    approve(&mut db.conn(), payout, &finance(), now).unwrap();
    // As if 1 EUR of the credit had been spent since: the payout asks for more than it holds.
    diesel::sql_query(format!("UPDATE payouts SET amount = 5.00 WHERE id = {payout}"))
        .execute(&mut db.conn())
        .unwrap();
    assert!(matches!(export(&db), Err(PayoutError::CreditChanged(_))));
    assert_eq!(state_of(&db, payout), "approved", "nothing was changed");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM payout_exports"), 0);
}

#[test]
fn finance_approves_and_downloads_the_file_support_and_strangers_do_not_see_it() {
    let db = TestDb::new();
    crate::support::bank::open_eur_invoices(&db);
    let (_, payout, _) = queue_refund(&db, "REF-WEB", dec("42.00"), Some(PAYER_IBAN));
    let (_, blocked, _) = queue_refund(&db, "REF-WEB-NONE", dec("1.00"), None);
    let server = TestServer::start(&db);

    let mut anonymous = server.browser();
    let answer = anonymous.get("/backoffice/payouts");
    assert_eq!(answer.status, 303);
    assert!(answer.location().starts_with("/login"), "{}", answer.location());
    let mut support =
        crate::support::accounts::staff_browser(&server, &db, "support@kontor.example", Role::Support);
    assert_eq!(support.get("/backoffice/payouts").status, 404);
    assert_eq!(support.post(&format!("/backoffice/payouts/{payout}/approve"), &[]).status, 404);
    assert_eq!(support.post("/backoffice/payouts/export", &[]).status, 404);
    assert_eq!(state_of(&db, payout), "proposed");

    let mut fin = crate::support::accounts::staff_browser(&server, &db, "fin@kontor.example", Role::Finance);
    let page = fin.get("/backoffice/payouts");
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&end_to_end_id(payout)) && page.body.contains("No IBAN known for the payee."));
    assert!(
        !page.body.contains(&format!("/backoffice/payouts/{blocked}/approve")),
        "nothing to approve there"
    );

    // Without the CSRF token nothing happens; a blocked item is refused with its reason.
    assert_eq!(fin.post_without_csrf(&format!("/backoffice/payouts/{payout}/approve"), &[]).status, 403);
    let refused = fin.post(&format!("/backoffice/payouts/{blocked}/approve"), &[]);
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("cannot be paid out as it is"));
    assert_eq!(fin.post("/backoffice/payouts/999999/approve", &[]).status, 404);
    assert_eq!(fin.post("/backoffice/payouts/export", &[]).status, 422, "nothing approved yet");

    let approved = fin.submit(&format!("/backoffice/payouts/{payout}/approve"), &[]);
    assert!(
        approved.body.contains(&format!("Payout {} is approved", end_to_end_id(payout))),
        "{}",
        approved.body
    );
    assert!(fin.reload_result().body.contains("is approved"), "a reload shows the result again");
    assert_eq!(state_of(&db, payout), "approved");
    assert_eq!(count(&db, "SELECT count(*) AS n FROM audit_log WHERE action = 'payout.approved'"), 1);

    let made = fin.submit("/backoffice/payouts/export", &[]);
    assert!(made.body.contains("1 transfers were written to KONTOR-CT-"), "{}", made.body);
    fin.reload_result();
    assert_eq!(count(&db, "SELECT count(*) AS n FROM payout_exports"), 1, "a reload writes nothing more");
    let export_id = count(&db, "SELECT id AS n FROM payout_exports");
    let link = format!("/backoffice/payouts/file?export={export_id}");
    let (first, bytes) = fin.get_bytes(&link);
    assert_eq!(first.status, 200);
    assert_eq!(fin.get_bytes(&link).1, bytes, "the same bytes on every download");
    let (valid, errors) = validates(&written("download.xml", &bytes));
    assert!(valid, "{errors}");
    assert_eq!(support.get(&link).status, 404);
    assert_eq!(fin.get("/backoffice/payouts/file?export=999999").status, 404);
    ledger_clean(&db);
}

#[test]
fn every_language_has_the_payout_page() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut fin = crate::support::accounts::staff_browser(&server, &db, "fin@kontor.example", Role::Finance);
    let mut titles = std::collections::BTreeSet::new();
    for code in kontor::i18n::LANGUAGES {
        let lang = kontor::i18n::Lang::supported(code).unwrap();
        diesel::sql_query(format!("UPDATE users SET language = '{code}' WHERE email = 'fin@kontor.example'"))
            .execute(&mut db.conn())
            .unwrap();
        let page = fin.get("/backoffice/payouts");
        assert_eq!(page.status, 200, "{code}");
        let title = kontor::i18n::t(&lang, "payout-title");
        assert!(page.body.contains(&title), "{code}: {title}");
        titles.insert(title);
    }
    assert!(titles.len() >= 5, "translated, not copied: {titles:?}");
}

#[test]
fn closing_a_settled_account_with_credit_proposes_its_payout_once() {
    let db = TestDb::new();
    let server = TestServer::start(&db);
    let mut browser =
        crate::support::accounts::signed_up_and_verified(&server, &db, "leaving@x.example", "Lena Leaving");
    let customer = count(&db, "SELECT customer_id AS n FROM users WHERE email = 'leaving@x.example'");
    let currency = {
        use kontor::db::schema::customers;
        customers::table.find(customer).select(customers::currency).first::<String>(&mut db.conn()).unwrap()
    };
    assert_eq!(currency.trim(), "EUR");
    crate::support::sepa::mandate(&db, customer, "NL91ABNA0417164300").unwrap();
    kontor::payments::apply_receipt(
        &mut db.conn(),
        &crate::support::payments::site(),
        &kontor::payments::Receipt {
            key: "cash:leaving".into(),
            customer,
            amount: crate::support::bank::eur(dec("6.66")),
            fee: None,
            received_in: kontor::ledger::chart::SystemAccount::Cash,
            method: kontor::payments::Method::BankTransfer,
            invoices: Vec::new(),
            occurred_at: crate::support::now(),
            memo: "paid ahead".into(),
        },
    )
    .unwrap();
    browser.submit("/account/close", &[("password", crate::support::accounts::PASSWORD)]);
    let proposed =
        "SELECT count(*) AS n FROM payouts WHERE source = 'closed_account_credit' AND amount = 6.66
                     AND iban = 'NL91ABNA0417164300' AND state = 'proposed'";
    assert_eq!(count(&db, &format!("{proposed} AND customer_id = {customer}")), 1);
    // The worker's sweep over settled accounts later proposes nothing more.
    kontor::closing::disable_settled(&mut db.conn(), crate::support::now()).unwrap();
    assert_eq!(count(&db, "SELECT count(*) AS n FROM payouts"), 1);
    ledger_clean(&db);
}

#[test]
fn the_demo_leaves_finance_a_stranger_s_transfer_to_pay_back_once() {
    let db = TestDb::new();
    let settings = crate::support::seller_settings();
    let today = crate::support::now().date_naive();
    let transfer = kontor::demo::refund_to_pay_back(&mut db.conn(), &settings, today).unwrap();
    assert!(transfer.is_some(), "the stranger's transfer is imported and marked");
    assert_eq!(
        kontor::demo::refund_to_pay_back(&mut db.conn(), &settings, today).unwrap(),
        None,
        "loading the demo again adds nothing"
    );
    let payout: i64 = count(
        &db,
        &format!(
            "SELECT id AS n FROM payouts WHERE iban = '{}' AND amount = 12.00 AND state = 'proposed'",
            kontor::demo::STRANGER_IBAN
        ),
    );
    approve(&mut db.conn(), payout, &finance(), crate::support::now()).unwrap();
    let file = export(&db).unwrap();
    assert_eq!((file.count, file.control_sum), (1, dec("12.00")));
    let (valid, errors) = validates(&written("demo-payouts.xml", &file.xml));
    assert!(valid, "{errors}");
    ledger_clean(&db);
}
