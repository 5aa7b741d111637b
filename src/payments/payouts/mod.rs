//! Payouts: money Kontor owes a customer and sends back by SEPA credit transfer. A transfer
//! finance marked for refund in the reconciliation queue, and the credit balance of a closed
//! account, become payout items (`proposed`); finance approves them (`approved`); one payout
//! export writes every approved item into a pain.001.001.09 file kept in PostgreSQL
//! (`exported`); the debit carrying the item's end-to-end id in a later bank statement settles
//! it (`settled`), and a credit transfer the bank returns puts it back (`returned`).
//!
//! Nothing is booked when an item is proposed, approved or exported: the money is still on our
//! account. The refund is posted once, when the statement shows the money leaving, under the
//! key `payout:<id>` (bank credit against suspense for a queue refund, against the customer's
//! credit for a closed account's balance). That keeps `ledger verify` true at every step:
//! suspense holds a marked transfer until its payout settles, exactly as "mark for refund"
//! always left it.

pub mod approval;
pub mod export;
pub mod propose;
pub mod settlement;

pub use approval::{PayoutItem, approve, latest, list};
pub use export::{ExportSettings, Exported, document, export_approved};
pub use propose::{propose_closed_account_credit, propose_queue_refund, withdraw_queue_refund};
pub use settlement::{Settled, settle_import};

use crate::ledger::LedgerError;

/// The end-to-end id a payout carries through the bank and back in its statement.
pub fn end_to_end_id(payout: i64) -> String {
    format!("{END_TO_END_PREFIX}{payout}")
}

/// The payout an end-to-end id names, if it is one of ours.
pub fn payout_of(end_to_end_id: &str) -> Option<i64> {
    end_to_end_id.strip_prefix(END_TO_END_PREFIX)?.parse().ok().filter(|id| *id > 0)
}

const END_TO_END_PREFIX: &str = "KONTOR-PO-";

/// What can go wrong with payouts. `message_id` is the Fluent key finance sees; refusals
/// change nothing.
#[derive(Debug, thiserror::Error)]
pub enum PayoutError {
    #[error("unknown payout {0}")]
    Unknown(i64),
    #[error("payout {0} is not waiting for approval")]
    NotProposed(i64),
    #[error("payout {0} cannot be paid out as it is: {1}")]
    Blocked(i64, String),
    #[error("the customer's credit is smaller than payout {0} now")]
    CreditChanged(i64),
    #[error("no payout is approved")]
    NothingApproved,
    #[error("the refund of bank transaction {0} is in a payment file already")]
    Underway(i64),
    #[error("the pain.001 file could not be written: {0}")]
    File(#[from] crate::payments::sepa::SepaError),
    #[error("unknown payout export {0}")]
    UnknownExport(i64),
    #[error("payout data Kontor cannot read: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl PayoutError {
    pub fn message_id(&self) -> &'static str {
        match self {
            PayoutError::Unknown(_) | PayoutError::UnknownExport(_) => "error-not-found",
            PayoutError::NotProposed(_) => "payout-error-not-proposed",
            PayoutError::Blocked(..) => "payout-error-blocked",
            PayoutError::CreditChanged(_) => "payout-error-credit-changed",
            PayoutError::NothingApproved => "payout-error-nothing-approved",
            PayoutError::Underway(_) => "payout-error-underway",
            PayoutError::Ledger(error) => error.message_id(),
            PayoutError::File(_)
            | PayoutError::Corrupt(_)
            | PayoutError::Audit(_)
            | PayoutError::Database(_) => "error-internal",
        }
    }

    /// A refusal finance can act on (the page shows it), not a fault.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            PayoutError::NotProposed(_)
                | PayoutError::Blocked(..)
                | PayoutError::CreditChanged(_)
                | PayoutError::NothingApproved
                | PayoutError::Underway(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{LANGUAGES, Lang, t};

    #[test]
    fn an_end_to_end_id_names_its_payout_and_nothing_else_does() {
        assert_eq!(payout_of(&end_to_end_id(42)), Some(42));
        assert!(end_to_end_id(i64::MAX).len() <= 35, "pain.001 allows 35 characters");
        for other in [
            "KONTOR-2026-000001-7",
            "KONTOR-PO-",
            "KONTOR-PO-x1",
            "KONTOR-PO-0",
            "kontor-po-4",
            "KONTOR-PO--3",
        ] {
            assert_eq!(payout_of(other), None, "{other}");
        }
    }

    #[test]
    fn every_refusal_and_reason_exists_in_every_language() {
        let refusals = [
            PayoutError::NotProposed(1),
            PayoutError::Blocked(1, String::new()),
            PayoutError::CreditChanged(1),
            PayoutError::NothingApproved,
            PayoutError::Underway(1),
        ];
        assert!(refusals.iter().all(PayoutError::is_refusal));
        for code in LANGUAGES {
            let lang = Lang::supported(code).unwrap();
            for id in refusals.iter().map(PayoutError::message_id).chain(propose::REASONS) {
                let text = t(&lang, id);
                assert!(!text.is_empty() && text != id, "{code}: {id}");
            }
        }
    }
}
