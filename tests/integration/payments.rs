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

use crate::support::payments::invoiced;
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
        apply_receipt(&mut conn, &receipt("r-exact", exact.1, exact.2, &exact.3, vec![exact.0])).unwrap();
    assert!(!paid.already_applied);
    assert_eq!(paid.to_credit.amount(), Decimal::ZERO);
    assert_eq!(invoice_state(&mut conn, exact.0, today).unwrap(), InvoiceState::Paid);

    let half = (partial.2 / Decimal::TWO).round_dp(2);
    apply_receipt(&mut conn, &receipt("r-half", partial.1, half, &partial.3, vec![partial.0])).unwrap();
    assert_eq!(invoice_state(&mut conn, partial.0, today).unwrap(), InvoiceState::PartlyPaid);
    assert_eq!(open_amounts(&mut conn, &[partial.0]).unwrap()[&partial.0].amount(), partial.2 - half);

    let extra = Decimal::new(500, 2);
    let over_paid =
        apply_receipt(&mut conn, &receipt("r-over", over.1, over.2 + extra, &over.3, vec![over.0])).unwrap();
    assert_eq!(over_paid.to_credit.amount(), extra);
    assert_eq!(customer_credit(&db, over.1, &over.3), extra);
    assert_eq!(invoice_state(&mut conn, over.0, today).unwrap(), InvoiceState::Paid);

    // The same payment seen again books nothing and says what it did the first time.
    let again =
        apply_receipt(&mut conn, &receipt("r-over", over.1, over.2 + extra, &over.3, vec![over.0])).unwrap();
    assert!(again.already_applied);
    assert_eq!((again.paid, again.to_credit), (over_paid.paid, over_paid.to_credit));
    assert_eq!(count(&db, "SELECT count(*) AS n FROM payment_receipts"), 3);
    assert_eq!(customer_credit(&db, over.1, &over.3), extra);
    // The same key with other content is refused.
    let conflict = apply_receipt(&mut conn, &receipt("r-over", over.1, Decimal::ONE, &over.3, vec![over.0]));
    assert!(conflict.is_err());

    // Another customer's invoice is refused, and nothing of it is written.
    let wrong =
        apply_receipt(&mut conn, &receipt("r-wrong", exact.1, Decimal::ONE, &exact.3, vec![partial.0]));
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
    apply_receipt(&mut conn, &receipt("r-1", customer, due + extra, &currency, vec![invoice])).unwrap();
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
    apply_receipt(&mut conn, &receipt("r-2", customer, due, &currency, vec![invoice])).unwrap();
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
    apply_receipt(&mut conn, &receipt("r-cn", customer, due, &currency, vec![invoice])).unwrap();
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
