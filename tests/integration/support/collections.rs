//! Shared test helpers of the collections capability: customers with one large invoice on a
//! chosen due date, the dunning run on a chosen day, payments by hand.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use iso_currency::Currency;
use kontor::collections::run::{RunContext, Summary, run_on};
use kontor::invoicing::compose::{LineInput, totals};
use kontor::invoicing::issue::{Accounts, Draft, issue};
use kontor::invoicing::numbering::Series;
use kontor::ledger::chart::codes;
use kontor::ledger::{Account, AccountId};
use kontor::money::Money;
use rust_decimal::Decimal;

use crate::support::TestDb;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A customer in `country` paying in `currency`; a business when `vat_id` is given (VIES found
/// it valid).
pub fn customer(db: &TestDb, email: &str, country: &str, currency: &str, vat_id: Option<&str>) -> i64 {
    let user = crate::support::subscriptions::customer(&mut db.conn(), email, country, currency, vat_id);
    let id = user.customer_id.unwrap().0;
    if let Some(vat_id) = vat_id {
        vies_said(db, id, vat_id, "valid");
    }
    id
}

/// Records VIES's answer `result` about `customer`'s `vat_id`, as checked now.
pub fn vies_said(db: &TestDb, customer: i64, vat_id: &str, result: &str) {
    diesel::sql_query(
        "INSERT INTO vat_id_checks (customer_id, vat_id, result, reason, checked_at)
         VALUES ($1, $2, $3, CASE WHEN $3 = 'unavailable' THEN 'MS_UNAVAILABLE' END, now())",
    )
    .bind::<diesel::sql_types::BigInt, _>(customer)
    .bind::<diesel::sql_types::Text, _>(vat_id)
    .bind::<diesel::sql_types::Text, _>(result)
    .execute(&mut db.conn())
    .unwrap();
}

/// Issues an invoice of `net` + 19 % VAT to `customer`, due on `due`; returns (id, number).
pub fn invoice(
    db: &TestDb,
    customer: i64,
    net: Decimal,
    currency: Currency,
    due: NaiveDate,
) -> (i64, String) {
    let mut conn = db.conn();
    let rate = Decimal::from(19);
    let net = Money::new(net, currency);
    let line = LineInput {
        description: "Mailbox".into(),
        plan_code: None,
        product: "mailbox".into(),
        service_from: None,
        service_until: None,
        quantity: Decimal::ONE,
        unit_price: net,
        net,
        vat_rate: rate,
    };
    let totals = totals(currency, vec![line], Money::zero(currency)).unwrap();
    let specs = vec![
        codes::receivable(currency, customer),
        codes::credit(currency, customer),
        codes::revenue(currency, "mailbox"),
        codes::vat(currency, "DE", rate),
    ];
    let ids = Account::open_many(&mut conn, &specs).unwrap();
    let settings = crate::support::seller_settings();
    let mut draft = Draft {
        customer_id: customer,
        subscription_id: None,
        billing_period: None,
        credited_invoice_id: None,
        reason: None,
        service_from: None,
        service_until: None,
        issue_date: due - chrono::Days::new(14),
        due_date: due,
        currency,
        totals,
        vat_treatment: "domestic".into(),
        vat_note: None,
        language: "en".into(),
        customer_snapshot: serde_json::json!({
            "name": "Test Person", "street": "Street 1", "postal_code": "12345", "city": "Town",
            "country": "DE", "language": "en", "number": format!("K-{customer}"), "email": "x@example.com",
        }),
        seller_snapshot: kontor::invoicing::due::seller_snapshot(&settings.seller),
        pending_charge_ids: vec![],
        accounts: Accounts {
            receivable: AccountId(0),
            credit: AccountId(0),
            revenue: BTreeMap::new(),
            vat: BTreeMap::new(),
        },
        receivable_share: None,
    };
    kontor::invoicing::due::attach_accounts(&mut draft, &specs, &ids).unwrap();
    let issued = conn
        .transaction(|conn| {
            let issued = issue(conn, Series::Invoice, &[draft], crate::support::now())?;
            kontor::documents::publish(conn, &[issued[0].id], &settings.publishing())?;
            Ok::<_, kontor::invoicing::InvoicingError>(issued)
        })
        .unwrap();
    (issued[0].id, issued[0].number.clone())
}

/// The dunning run as on `today`.
pub fn dun(conn: &mut PgConnection, today: NaiveDate) -> Summary {
    let settings = crate::support::seller_settings();
    let publishing = settings.publishing();
    let billing = settings.billing();
    let close_account = kontor::closing::for_dunning(&billing, &publishing.site, crate::support::now());
    let ctx = RunContext {
        publishing: &publishing,
        close_account: &close_account,
        payment_days: 14,
        today,
        now: crate::support::now(),
        dry_run: false,
        chunk: kontor::collections::run::DEFAULT_CHUNK,
        profile: None,
    };
    run_on(conn, &ctx).unwrap()
}

/// Pays `amount` of `invoices` at the counter (cash: no bank statement to agree with).
pub fn pay(db: &TestDb, customer: i64, amount: Money, invoices: &[i64], key: &str) {
    let receipt = kontor::payments::allocation::Receipt {
        key: key.to_owned(),
        customer,
        amount,
        fee: None,
        received_in: kontor::ledger::chart::SystemAccount::Cash,
        method: kontor::payments::allocation::Method::Manual,
        invoices: invoices.to_vec(),
        occurred_at: crate::support::now(),
        memo: String::new(),
    };
    kontor::payments::allocation::apply_receipt(&mut db.conn(), &crate::support::payments::site(), &receipt)
        .unwrap();
}

/// (level, sent on, fee, interest) of every notice of `invoice`, in level order.
pub fn notices(db: &TestDb, invoice: i64) -> Vec<(i32, NaiveDate, Decimal, Decimal)> {
    use kontor::db::schema::dunning_notices as n;
    n::table
        .filter(n::invoice_id.eq(invoice))
        .order(n::level)
        .select((n::level, n::sent_on, n::fee, n::interest))
        .load(&mut db.conn())
        .unwrap()
}
