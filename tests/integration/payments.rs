//! Receipts allocated to invoices: exact, partial and over-payment, several invoices in one
//! payment, reversal, idempotency under the same key, and the ledger verifying clean.

use diesel::prelude::*;
use iso_currency::Currency;
use kontor::ledger::chart::SystemAccount;
use kontor::money::Money;
use kontor::payments::{
    InvoiceState, Method, Receipt, apply_receipt, invoice_state, open_amounts, reverse_receipt,
};
use rust_decimal::Decimal;

use crate::support::payments::{invoiced, last_receipt_entry, site};
use crate::support::{TestDb, count};

fn receipt(key: &str, customer: i64, amount: Decimal, currency: &str, invoices: Vec<i64>) -> Receipt {
    Receipt {
        key: key.to_owned(),
        customer,
        amount: Money::new(amount, Currency::from_code(currency).unwrap()),
        fee: None,
        received_in: SystemAccount::Cash,
        method: Method::BankTransfer,
        invoices,
        occurred_at: crate::support::now(),
        memo: "test".to_owned(),
    }
}

fn ledger_clean(db: &TestDb) {
    let report = kontor::ledger::verify(&mut db.conn()).unwrap();
    assert!(report.is_healthy(), "{report}");
}

fn customer_credit(db: &TestDb, customer: i64, currency: &str) -> Decimal {
    #[derive(QueryableByName)]
    struct Sum {
        #[diesel(sql_type = diesel::sql_types::Numeric)]
        n: Decimal,
    }
    diesel::sql_query(format!(
        "SELECT COALESCE(-sum(p.amount), 0) AS n FROM postings p
           JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code = '1750-{currency}-C{customer}'"
    ))
    .get_result::<Sum>(&mut db.conn())
    .unwrap()
    .n
}

#[test]
fn receipts_pay_exactly_partly_or_over_and_are_booked_once() {
    let db = TestDb::new();
    let invoices = invoiced(&db, 4);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let mut conn = db.conn();
    let (exact, partial, over) = (&invoices[0], &invoices[1], &invoices[3]);

    let paid =
        apply_receipt(&mut conn, &site(), &receipt("r-exact", exact.1, exact.2, &exact.3, vec![exact.0]))
            .unwrap();
    assert!(!paid.already_applied);
    assert_eq!(paid.to_credit.amount(), Decimal::ZERO);
    assert_eq!(invoice_state(&mut conn, exact.0, today).unwrap(), InvoiceState::Paid);

    let half = (partial.2 / Decimal::TWO).round_dp(2);
    apply_receipt(&mut conn, &site(), &receipt("r-half", partial.1, half, &partial.3, vec![partial.0]))
        .unwrap();
    assert_eq!(invoice_state(&mut conn, partial.0, today).unwrap(), InvoiceState::PartlyPaid);
    assert_eq!(open_amounts(&mut conn, &[partial.0]).unwrap()[&partial.0].amount(), partial.2 - half);

    let extra = Decimal::new(500, 2);
    let over_paid =
        apply_receipt(&mut conn, &site(), &receipt("r-over", over.1, over.2 + extra, &over.3, vec![over.0]))
            .unwrap();
    assert_eq!(over_paid.to_credit.amount(), extra);
    assert_eq!(customer_credit(&db, over.1, &over.3), extra);
    assert_eq!(invoice_state(&mut conn, over.0, today).unwrap(), InvoiceState::Paid);

    // The same payment seen again books nothing and says what it did the first time.
    let again =
        apply_receipt(&mut conn, &site(), &receipt("r-over", over.1, over.2 + extra, &over.3, vec![over.0]))
            .unwrap();
    assert!(again.already_applied);
    assert_eq!((again.paid, again.to_credit), (over_paid.paid, over_paid.to_credit));
    assert_eq!(count(&db, "SELECT count(*) AS n FROM payment_receipts"), 3);
    assert_eq!(customer_credit(&db, over.1, &over.3), extra);
    // The same key with other content is refused.
    let conflict =
        apply_receipt(&mut conn, &site(), &receipt("r-over", over.1, Decimal::ONE, &over.3, vec![over.0]));
    assert!(conflict.is_err());

    // Another customer's invoice is refused, and nothing of it is written.
    let wrong = apply_receipt(
        &mut conn,
        &site(),
        &receipt("r-wrong", exact.1, Decimal::ONE, &exact.3, vec![partial.0]),
    );
    assert_eq!(wrong.unwrap_err().message_id(), "payment-not-the-customers");
    assert_eq!(invoice_state(&mut conn, invoices[2].0, today).unwrap(), InvoiceState::Open);
    assert_eq!(
        invoice_state(&mut conn, invoices[2].0, chrono::NaiveDate::from_ymd_opt(2027, 1, 30).unwrap())
            .unwrap(),
        InvoiceState::Overdue
    );
    ledger_clean(&db);
}

#[test]
fn a_reversal_opens_the_invoices_again_and_takes_back_the_credit_once() {
    let db = TestDb::new();
    let invoices = invoiced(&db, 1);
    let (invoice, customer, due, currency) = invoices[0].clone();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let mut conn = db.conn();
    let extra = Decimal::new(250, 2);
    apply_receipt(&mut conn, &site(), &receipt("r-1", customer, due + extra, &currency, vec![invoice]))
        .unwrap();
    assert_eq!(customer_credit(&db, customer, &currency), extra);

    let reversed = reverse_receipt(&mut conn, "r-1", "r-1:returned", crate::support::now(), "AM04").unwrap();
    assert_eq!(reversed.paid, vec![(invoice, Money::new(-due, Currency::from_code(&currency).unwrap()))]);
    assert_eq!(invoice_state(&mut conn, invoice, today).unwrap(), InvoiceState::Open);
    assert_eq!(customer_credit(&db, customer, &currency), Decimal::ZERO);
    // Reversing again under the same key changes nothing; under another key it is refused.
    assert!(
        reverse_receipt(&mut conn, "r-1", "r-1:returned", crate::support::now(), "AM04")
            .unwrap()
            .already_applied
    );
    assert_eq!(
        reverse_receipt(&mut conn, "r-1", "r-1:other", crate::support::now(), "x").unwrap_err().message_id(),
        "payment-already-reversed"
    );
    assert_eq!(count(&db, "SELECT count(*) AS n FROM payment_allocations"), 2);
    // Paying again afterwards works like the first time.
    apply_receipt(&mut conn, &site(), &receipt("r-2", customer, due, &currency, vec![invoice])).unwrap();
    assert_eq!(invoice_state(&mut conn, invoice, today).unwrap(), InvoiceState::Paid);
    ledger_clean(&db);
}

/// The simulated year's `receivable-mismatch`: a paid invoice credited in full (the payment's
/// share goes to the customer's credit), then the payment comes back. The return takes the
/// credit back instead of opening a receivable no invoice shows.
#[test]
fn a_payment_returned_after_a_credit_note_takes_the_credit_back_not_the_receivable() {
    let db = TestDb::new();
    let invoices = invoiced(&db, 1);
    let (invoice, customer, due, currency) = invoices[0].clone();
    let number: String = {
        use kontor::db::schema::invoices::dsl as i;
        i::invoices.find(invoice).select(i::number).first(&mut db.conn()).unwrap()
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let mut conn = db.conn();
    apply_receipt(&mut conn, &site(), &receipt("r-cn", customer, due, &currency, vec![invoice])).unwrap();
    let settings = crate::support::seller_settings();
    let (billing, publishing) = (settings.billing(), settings.publishing());
    let request = kontor::invoicing::credit_note::CreditRequest {
        invoice_number: &number,
        amount: None,
        reason: "Goodwill",
        actor: None,
        ip: "test",
        now: crate::support::now(),
    };
    conn.transaction(|c| {
        kontor::invoicing::credit_note::issue_credit_note(c, &billing, &publishing, &request)
    })
    .unwrap();
    assert_eq!(customer_credit(&db, customer, &currency), due);
    reverse_receipt(&mut conn, "r-cn", "r-cn:returned", crate::support::now(), "MD06").unwrap();
    // Credited in full: nothing is owed on the invoice, and the credit the payment became is gone.
    assert_eq!(invoice_state(&mut conn, invoice, today).unwrap(), InvoiceState::Credited);
    assert_eq!(open_amounts(&mut conn, &[invoice]).unwrap()[&invoice].amount(), Decimal::ZERO);
    assert_eq!(customer_credit(&db, customer, &currency), Decimal::ZERO);
    ledger_clean(&db);
}

#[test]
fn one_payment_splits_over_several_invoices_in_order() {
    let db = TestDb::new();
    let invoices = invoiced(&db, 1);
    let (first, customer, due, currency) = invoices[0].clone();
    // A second invoice for the same customer: a credit note would not do, so issue January.
    crate::support::invoicing::run_batch(&db, "2027-01", "2027-01-01T06:00:00Z".parse().unwrap());
    let second: i64 = {
        use kontor::db::schema::invoices::dsl as i;
        i::invoices
            .filter(i::kind.eq("invoice").and(i::customer_id.eq(customer)).and(i::id.ne(first)))
            .select(i::id)
            .first(&mut db.conn())
            .unwrap()
    };
    let mut conn = db.conn();
    let second_due = open_amounts(&mut conn, &[second]).unwrap()[&second].amount();
    let less = Decimal::new(10, 2);
    let applied = apply_receipt(
        &mut conn,
        &site(),
        &receipt("r-both", customer, due + second_due - less, &currency, vec![first, second]),
    )
    .unwrap();
    assert_eq!(applied.paid.len(), 2);
    assert_eq!(applied.paid[0].1.amount(), due);
    assert_eq!(applied.paid[1].1.amount(), second_due - less);
    let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 2).unwrap();
    assert_eq!(invoice_state(&mut conn, first, today).unwrap(), InvoiceState::Paid);
    assert_eq!(invoice_state(&mut conn, second, today).unwrap(), InvoiceState::PartlyPaid);
    ledger_clean(&db);
}

/// How many allocations to `invoice` and "paid" emails of it there are, read in one snapshot.
fn allocations_and_paid_emails(db: &TestDb, invoice: i64) -> (i64, i64) {
    #[derive(QueryableByName)]
    struct Both {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        allocations: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        emails: i64,
    }
    let both: Both = diesel::sql_query(format!(
        "SELECT (SELECT count(*) FROM payment_allocations WHERE invoice_id = {invoice}) AS allocations,
                (SELECT count(*) FROM mail_outbox WHERE idempotency_key = 'invoice-paid:{invoice}') AS emails"
    ))
    .get_result(&mut db.conn())
    .unwrap();
    (both.allocations, both.emails)
}

#[test]
fn the_paid_email_commits_with_its_payment_and_a_payment_reversed_and_made_again_sends_no_second() {
    let db = TestDb::new();
    let invoices = invoiced(&db, 1);
    let (invoice, customer, due, currency) = invoices[0].clone();
    // A payment whose transaction dies after its email was queued leaves neither behind.
    {
        let _armed = kontor::failpoint::arm("receipt-after-paid-notice", kontor::failpoint::Action::Panic);
        let died = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            apply_receipt(
                &mut db.conn(),
                &site(),
                &receipt("r-dies", customer, due, &currency, vec![invoice]),
            )
        }));
        assert!(died.is_err(), "the payment stopped at the failpoint");
    }
    assert_eq!(allocations_and_paid_emails(&db, invoice), (0, 0));

    // Paid for real: the allocation and the email, together.
    apply_receipt(&mut db.conn(), &site(), &receipt("r-1", customer, due, &currency, vec![invoice])).unwrap();
    assert_eq!(allocations_and_paid_emails(&db, invoice), (1, 1));
    let first = crate::support::payments::paid_emails(&db);
    assert!(
        first[0].text.contains(&format!("/account/payments/{}/receipt", last_receipt_entry(&db, invoice)))
    );

    // Returned by the bank, then paid again: open, then paid, and still the one email.
    let mut conn = db.conn();
    reverse_receipt(&mut conn, "r-1", "r-1:returned", crate::support::now(), "AM04").unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    assert_eq!(invoice_state(&mut conn, invoice, today).unwrap(), InvoiceState::Open);
    apply_receipt(&mut conn, &site(), &receipt("r-2", customer, due, &currency, vec![invoice])).unwrap();
    assert_eq!(invoice_state(&mut conn, invoice, today).unwrap(), InvoiceState::Paid);
    assert_eq!(allocations_and_paid_emails(&db, invoice), (3, 1));
    assert_eq!(crate::support::payments::paid_emails(&db), first);
    ledger_clean(&db);
}

#[test]
fn an_invoice_the_customers_credit_covers_at_issue_gets_no_paid_email() {
    let db = TestDb::new();
    let invoices = invoiced(&db, 1);
    let (december, customer, due, currency) = invoices[0].clone();
    // Paid with far more than due: the rest is credit the January invoice is covered by.
    let extra = Decimal::new(10_000, 2);
    apply_receipt(
        &mut db.conn(),
        &site(),
        &receipt("r-big", customer, due + extra, &currency, vec![december]),
    )
    .unwrap();
    crate::support::invoicing::run_batch(&db, "2027-01", "2027-01-01T06:00:00Z".parse().unwrap());
    let (january, amount_due): (i64, Decimal) = {
        use kontor::db::schema::invoices::dsl as i;
        i::invoices
            .filter(i::kind.eq("invoice").and(i::customer_id.eq(customer)).and(i::id.ne(december)))
            .select((i::id, i::amount_due))
            .first(&mut db.conn())
            .unwrap()
    };
    assert_eq!(amount_due, Decimal::ZERO, "credit covers January at issue");
    let keys: Vec<String> = crate::support::payments::paid_emails(&db).into_iter().map(|m| m.key).collect();
    assert_eq!(keys, vec![format!("invoice-paid:{december}")], "none for invoice {january}");
    ledger_clean(&db);
}
