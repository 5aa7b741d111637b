//! Shared test helpers of payouts: a transfer marked for refund, the statement debit that pays
//! a payout out, and the XSD check of a pain.001 file.

use std::path::Path;

use kontor::payments::bank::statement::Movement;
use rust_decimal::Decimal;

use crate::support::TestDb;
use crate::support::bank::{day, eur, import_bytes, statement_bytes};

/// The official pain.001.001.09 schema (the same file as /work/shared/testdata/iso20022/xsd/).
pub const XSD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/iso20022/xsd/pain.001.001.09.xsd");

/// The IBAN the stranger's transfer comes from, and goes back to.
pub const PAYER_IBAN: &str = "DE89370400440532013000";

/// A stranger's transfer that names nothing of ours, imported and marked for refund by
/// finance: (bank transaction id, payout id, amount).
pub fn queue_refund(
    db: &TestDb,
    reference: &str,
    amount: Decimal,
    iban: Option<&str>,
) -> (i64, i64, Decimal) {
    let mut transfer = Movement::transfer(eur(amount), day(), reference);
    transfer.debtor_name = Some("Jörg Müller-Lüdenscheidt".into());
    transfer.debtor_iban = iban.map(str::to_owned);
    transfer.remittance = Some("Spende fuer den Sportverein".into());
    let summary = import_bytes(db, &statement_bytes(&format!("S-{reference}"), vec![transfer])).unwrap();
    assert_eq!(summary.unmatched, 1, "{summary:?}");
    let id = crate::support::count(
        db,
        &format!("SELECT id AS n FROM bank_transactions WHERE account_servicer_ref = '{reference}'"),
    );
    let actor = kontor::audit::Actor::system("test");
    kontor::payments::bank::queue::mark_for_refund(&mut db.conn(), id, &actor, crate::support::now())
        .unwrap();
    let payout =
        crate::support::count(db, &format!("SELECT id AS n FROM payouts WHERE bank_transaction_id = {id}"));
    (id, payout, amount)
}

/// The bank's debit of a payout, as the next statement shows it.
pub fn paid_out(end_to_end_id: &str, amount: Decimal, reference: &str) -> Movement {
    let mut debit = Movement::transfer(eur(amount), day().succ_opt().unwrap(), reference);
    debit.credit = false;
    debit.end_to_end_id = Some(end_to_end_id.to_owned());
    debit
}

pub fn import(db: &TestDb, id: &str, movements: Vec<Movement>) -> kontor::payments::bank::Summary {
    import_bytes(db, &statement_bytes(id, movements)).unwrap()
}

/// xmllint's verdict on `file` against the pain.001.001.09 schema.
pub fn validates(file: &Path) -> (bool, String) {
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--schema", XSD])
        .arg(file)
        .output()
        .expect("xmllint runs (apt-get install libxml2-utils)");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

pub fn ledger_clean(db: &TestDb) {
    let report = kontor::ledger::verify(&mut db.conn()).unwrap();
    assert!(report.is_healthy(), "{report}");
}

pub fn state_of(db: &TestDb, payout: i64) -> String {
    use diesel::prelude::*;
    kontor::db::schema::payouts::table
        .find(payout)
        .select(kontor::db::schema::payouts::state)
        .first(&mut db.conn())
        .unwrap()
}

/// `bytes` written to a fresh file named `name` (for xmllint).
pub fn written(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = crate::support::scratch_dir("payouts");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The bank returning a payout (a closed or wrong account): a credit with the payout's
/// end-to-end id and the reason code, `days` after the test day.
pub fn returned(end_to_end_id: &str, amount: Decimal, reason: &str, reference: &str, days: i64) -> Movement {
    let mut back = Movement::transfer(eur(amount), day() + chrono::Duration::days(days), reference);
    back.end_to_end_id = Some(end_to_end_id.to_owned());
    back.return_reason = Some(reason.to_owned());
    back
}
