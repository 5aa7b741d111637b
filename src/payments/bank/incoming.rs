//! From camt entries to bank transactions: one per booked movement (one per transaction of
//! a batch booking whose parts add up), each with the identity that recognises it when a
//! later file or an overlapping statement brings it again.

use std::collections::HashMap;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::money::Money;
use crate::payments::bank::camt::{CreditDebit, Entry, EntryStatus, Statement, Transaction};

/// One movement on one of our accounts, as the bank reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    pub identity: String,
    pub account_iban: String,
    pub direction: CreditDebit,
    pub amount: Money,
    pub booking_date: NaiveDate,
    pub value_date: Option<NaiveDate>,
    pub account_servicer_ref: Option<String>,
    pub reversal: bool,
    pub details: Transaction,
}

impl Incoming {
    /// A debit that undoes money we received: a returned transfer, a direct debit return or
    /// reject, a reversal.
    pub fn is_return(&self) -> bool {
        self.direction == CreditDebit::Debit && (self.reversal || self.details.return_reason.is_some())
    }
}

/// Splits entries into transactions and gives each its identity. Identities without the
/// bank's reference count repeats within the file, so two identical transfers on one day stay
/// two, and the same two in an overlapping statement are recognised.
#[derive(Default)]
pub struct Identities {
    repeats: HashMap<[u8; 32], u32>,
}

/// What an entry became: transactions to book, or why it is skipped.
pub enum Split {
    Transactions(Vec<Incoming>),
    /// Pending, information only or a future booking: not money on the account yet.
    NotBooked,
}

impl Identities {
    pub fn split(&mut self, statement: Option<&Statement>, entry: Entry, import_date: NaiveDate) -> Split {
        if entry.status != EntryStatus::Booked {
            return Split::NotBooked;
        }
        let account_iban = statement
            .and_then(|s| s.iban.as_deref())
            .map(|iban| iban.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase())
            .unwrap_or_else(|| "UNKNOWN".to_owned());
        let booking_date = entry.booking_date.or(entry.value_date).unwrap_or(import_date);
        let parts = parts_of(&entry);
        let several = parts.len() > 1;
        let mut out = Vec::with_capacity(parts.len());
        for (index, (amount, details)) in parts.into_iter().enumerate() {
            let identity = match &entry.account_servicer_ref {
                Some(reference) => {
                    let mut identity =
                        format!("{account_iban}|{reference}|{booking_date}|{}", amount.amount());
                    if several {
                        identity.push_str(&format!("|{index}"));
                    }
                    identity
                }
                None => self.fallback(&account_iban, entry.credit_debit, booking_date, amount, &details),
            };
            out.push(Incoming {
                identity: shorten(identity),
                account_iban: account_iban.clone(),
                direction: entry.credit_debit,
                amount,
                booking_date,
                value_date: entry.value_date,
                account_servicer_ref: entry.account_servicer_ref.clone(),
                reversal: entry.reversal,
                details,
            });
        }
        Split::Transactions(out)
    }

    /// Banks that omit references: the content of the movement and its repeat count.
    fn fallback(
        &mut self,
        account: &str,
        direction: CreditDebit,
        booking_date: NaiveDate,
        amount: Money,
        details: &Transaction,
    ) -> String {
        let mut hash = Sha256::new();
        for field in [
            Some(if direction == CreditDebit::Credit { "C" } else { "D" }),
            Some(&booking_date.to_string()[..]),
            Some(&amount.amount().to_string()[..]),
            details.end_to_end_id.as_deref(),
            details.creditor_reference.as_deref(),
            details.remittance.as_deref(),
            details.debtor_name.as_deref(),
            details.debtor_iban.as_deref(),
            details.return_reason.as_deref(),
        ] {
            hash.update(field.unwrap_or("").as_bytes());
            hash.update([0x1f]);
        }
        let digest: [u8; 32] = hash.finalize().into();
        let seen = self.repeats.entry(digest).or_insert(0);
        *seen += 1;
        format!("{account}|~{}|{booking_date}|{}|#{seen}", hex::encode(&digest[..12]), amount.amount())
    }
}

/// A batch booking whose transactions carry amounts adding up to the entry is split; anything
/// else is one transaction for the entry's amount with the first details.
fn parts_of(entry: &Entry) -> Vec<(Money, Transaction)> {
    let amounts: Option<Vec<Money>> = entry.transactions.iter().map(|t| t.amount).collect();
    if entry.transactions.len() > 1
        && let Some(amounts) = amounts
    {
        let total = Money::sum(entry.amount.currency(), amounts.iter().copied());
        let positive = amounts.iter().all(|a| a.is_positive() && a.currency() == entry.amount.currency());
        if positive && total.is_ok_and(|t| t == entry.amount) {
            return amounts.into_iter().zip(entry.transactions.iter().cloned()).collect();
        }
    }
    let mut details = entry.transactions.first().cloned().unwrap_or_default();
    if entry.transactions.len() > 1 {
        let texts: Vec<&str> = entry.transactions.iter().filter_map(|t| t.remittance.as_deref()).collect();
        details.remittance = (!texts.is_empty()).then(|| texts.join(" "));
    }
    vec![(entry.amount, details)]
}

/// Identities are at most 200 bytes (the column's limit): longer ones keep a readable start
/// and a hash of the whole.
fn shorten(identity: String) -> String {
    if identity.len() <= 200 {
        return identity;
    }
    let digest = hex::encode(Sha256::digest(identity.as_bytes()));
    let mut start = 120;
    while !identity.is_char_boundary(start) {
        start -= 1;
    }
    format!("{}|#{digest}", identity.get(..start).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use iso_currency::Currency;

    use super::*;
    use crate::payments::bank::camt::MessageKind;

    fn entry(reference: Option<&str>, amount: i64, transactions: Vec<Transaction>) -> Entry {
        Entry {
            amount: Money::from_minor(amount, Currency::EUR),
            credit_debit: CreditDebit::Credit,
            reversal: false,
            status: EntryStatus::Booked,
            booking_date: NaiveDate::from_ymd_opt(2026, 12, 3),
            value_date: None,
            account_servicer_ref: reference.map(str::to_owned),
            bank_transaction_code: None,
            transactions,
        }
    }

    fn statement() -> Statement {
        Statement {
            kind: MessageKind::Statement,
            version: 2,
            id: Some("S1".into()),
            iban: Some("DE89 3704 0044 0532 0130 00".into()),
            currency: Some(Currency::EUR),
        }
    }

    fn tx(amount: Option<i64>, text: &str) -> Transaction {
        Transaction {
            amount: amount.map(|a| Money::from_minor(a, Currency::EUR)),
            remittance: Some(text.to_owned()),
            ..Transaction::default()
        }
    }

    fn identities(ids: &mut Identities, e: Entry) -> Vec<String> {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        match ids.split(Some(&statement()), e, today) {
            Split::Transactions(t) => t.into_iter().map(|i| i.identity).collect(),
            Split::NotBooked => Vec::new(),
        }
    }

    #[test]
    fn identities_come_from_the_bank_reference_or_the_content_and_its_repeats() {
        let mut ids = Identities::default();
        let with_ref = identities(&mut ids, entry(Some("REF1"), 119, vec![tx(None, "a")]));
        assert_eq!(with_ref, ["DE89370400440532013000|REF1|2026-12-03|1.19"]);
        // No reference: two identical transfers are two, and the same pair read again (an
        // overlapping statement in a new import) gives the same two identities.
        let first = identities(&mut ids, entry(None, 500, vec![tx(None, "gift")]));
        let second = identities(&mut ids, entry(None, 500, vec![tx(None, "gift")]));
        assert_ne!(first, second);
        let mut again = Identities::default();
        assert_eq!(identities(&mut again, entry(None, 500, vec![tx(None, "gift")])), first);
        assert_eq!(identities(&mut again, entry(None, 500, vec![tx(None, "gift")])), second);
    }

    #[test]
    fn batch_bookings_split_when_their_parts_add_up() {
        let mut ids = Identities::default();
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let batch = entry(Some("B"), 300, vec![tx(Some(100), "one"), tx(Some(200), "two")]);
        let Split::Transactions(parts) = ids.split(Some(&statement()), batch, today) else { panic!() };
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].amount, Money::from_minor(200, Currency::EUR));
        assert!(parts[1].identity.ends_with("|1"));
        // Parts that do not add up: one transaction for the whole entry.
        let odd = entry(Some("C"), 300, vec![tx(Some(100), "one"), tx(Some(100), "two")]);
        let Split::Transactions(whole) = ids.split(Some(&statement()), odd, today) else { panic!() };
        assert_eq!(whole.len(), 1);
        assert_eq!(whole[0].details.remittance.as_deref(), Some("one two"));
        let mut pending = entry(Some("D"), 1, vec![]);
        pending.status = EntryStatus::Pending;
        assert!(matches!(ids.split(Some(&statement()), pending, today), Split::NotBooked));
        assert!(shorten("x".repeat(500)).len() <= 200);
    }
}
