//! Why a journal entry exists, as `journal_entries.kind` stores it. The CHECK allows any short
//! snake_case word, so old and future kinds stay readable; these are the ones Kontor writes,
//! and a test holds each to the CHECK's pattern.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    InvoiceIssued,
    CreditNoteIssued,
    PaymentReceived,
    PaymentReversed,
    PaymentRefunded,
    PaymentReturned,
    /// Money on the bank account nobody is known to owe: parked in suspense.
    PaymentUnassigned,
    DirectDebitReturnFee,
    CompensationGranted,
    /// Outage compensation taken as a free month: customer credit of one month's price.
    CompensationFreeMonth,
    /// Outage compensation the customer gave to the provider's named charity (donations payable).
    CompensationDonated,
    /// Customer credit support grants as a gesture (with its reason in the memo).
    GoodwillCredited,
    /// A journal entry finance proposed by hand and a second person approved.
    ManualEntry,
    /// An uncollectable invoice's open amount taken out of the receivable.
    BadDebtWrittenOff,
}

impl EntryKind {
    pub const ALL: [EntryKind; 14] = [
        EntryKind::InvoiceIssued,
        EntryKind::CreditNoteIssued,
        EntryKind::PaymentReceived,
        EntryKind::PaymentReversed,
        EntryKind::PaymentRefunded,
        EntryKind::PaymentReturned,
        EntryKind::PaymentUnassigned,
        EntryKind::DirectDebitReturnFee,
        EntryKind::CompensationGranted,
        EntryKind::CompensationFreeMonth,
        EntryKind::CompensationDonated,
        EntryKind::GoodwillCredited,
        EntryKind::ManualEntry,
        EntryKind::BadDebtWrittenOff,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::InvoiceIssued => "invoice_issued",
            EntryKind::CreditNoteIssued => "credit_note_issued",
            EntryKind::PaymentReceived => "payment_received",
            EntryKind::PaymentReversed => "payment_reversed",
            EntryKind::PaymentRefunded => "payment_refunded",
            EntryKind::PaymentReturned => "payment_returned",
            EntryKind::PaymentUnassigned => "payment_unassigned",
            EntryKind::DirectDebitReturnFee => "direct_debit_return_fee",
            EntryKind::CompensationGranted => "compensation_granted",
            EntryKind::CompensationFreeMonth => "compensation_free_month",
            EntryKind::CompensationDonated => "compensation_donated",
            EntryKind::GoodwillCredited => "goodwill_credited",
            EntryKind::ManualEntry => "manual_entry",
            EntryKind::BadDebtWrittenOff => "bad_debt_written_off",
        }
    }

    pub fn parse(text: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

impl From<EntryKind> for String {
    fn from(kind: EntryKind) -> String {
        kind.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kinds_are_ones_the_database_allows() {
        let migration = include_str!("../../migrations/2026-11-21-000001_foundation/up.sql");
        let check = migration
            .lines()
            .find(|line| line.trim_start().starts_with("kind ") && line.contains("CHECK (kind ~"))
            .unwrap();
        // The pattern this test checks by hand; should the migration change it, so must this.
        assert!(check.contains("'^[a-z][a-z_]{0,62}$'"), "{check}");
        for kind in EntryKind::ALL {
            let text = kind.as_str();
            assert!(text.len() <= 63, "{text}");
            assert!(text.starts_with(|c: char| c.is_ascii_lowercase()), "{text}");
            assert!(text.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{text}");
            assert_eq!(EntryKind::parse(text), Some(kind));
        }
    }
}
