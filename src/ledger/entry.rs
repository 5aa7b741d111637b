//! Posting journal entries. Every entry has an idempotency key chosen by the caller before
//! it submits: posting the same entry again returns the first one, posting different
//! content under a used key is an error. The unique constraint on the key, not a check
//! here, is what makes this safe under concurrency.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, SecondsFormat, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::LedgerError;
use super::account::AccountId;
use crate::db::schema::{journal_entries, postings};
use crate::money::Money;

/// Entries per multi-row INSERT, well below PostgreSQL's 65,535 bind parameters.
const ROWS_PER_INSERT: usize = 4_000;
const MAX_KEY_LEN: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId(pub i64);

/// The business object an entry records (an invoice, a payment, a credit note).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub kind: String,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPosting {
    pub account: AccountId,
    /// Debits positive, credits negative.
    pub amount: Money,
}

impl NewPosting {
    pub fn debit(account: AccountId, amount: Money) -> NewPosting {
        NewPosting { account, amount }
    }

    pub fn credit(account: AccountId, amount: Money) -> NewPosting {
        NewPosting { account, amount: -amount }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub idempotency_key: String,
    /// Why the entry exists, e.g. `invoice_issued`, `payment_received`.
    pub kind: String,
    pub memo: String,
    pub occurred_at: DateTime<Utc>,
    pub reference: Option<Reference>,
    pub postings: Vec<NewPosting>,
}

/// The outcome of posting: a new entry, or the one already posted under the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posted {
    Created(EntryId),
    AlreadyPosted(EntryId),
}

impl Posted {
    pub fn id(self) -> EntryId {
        match self {
            Posted::Created(id) | Posted::AlreadyPosted(id) => id,
        }
    }
}

impl NewEntry {
    /// The checks the database would make at commit, made early with precise errors.
    pub fn validate(&self) -> Result<(), LedgerError> {
        if self.idempotency_key.trim().is_empty() {
            return Err(LedgerError::InvalidEntry("empty idempotency key"));
        }
        if self.idempotency_key.len() > MAX_KEY_LEN {
            return Err(LedgerError::InvalidEntry("idempotency key longer than 200 bytes"));
        }
        let kind_ok = self.kind.len() <= 63
            && self.kind.starts_with(|c: char| c.is_ascii_lowercase())
            && self.kind.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        if !kind_ok {
            return Err(LedgerError::InvalidEntry("entry kind must be lower_snake_case"));
        }
        if self.postings.len() < 2 {
            return Err(LedgerError::TooFewPostings);
        }
        let mut totals: BTreeMap<&str, Money> = BTreeMap::new();
        for posting in &self.postings {
            let amount = posting.amount;
            if amount.is_zero() {
                return Err(LedgerError::ZeroPosting);
            }
            if !amount.is_rounded() {
                return Err(LedgerError::NotRounded(amount.to_string()));
            }
            let currency = amount.currency();
            let total = totals.entry(currency.code()).or_insert_with(|| Money::zero(currency));
            *total = total.checked_add(amount)?;
        }
        if let Some((currency, total)) = totals.into_iter().find(|(_, total)| !total.is_zero()) {
            return Err(LedgerError::Unbalanced {
                currency: currency.to_owned(),
                total: total.amount().to_string(),
            });
        }
        Ok(())
    }

    /// SHA-256 over the entry's content in a canonical form (postings sorted), so a
    /// retry that lists the same postings in another order is still the same entry.
    pub fn fingerprint(&self) -> Vec<u8> {
        let mut postings: Vec<String> = self
            .postings
            .iter()
            .map(|p| {
                format!("{}:{}:{}", p.account.0, p.amount.currency().code(), p.amount.amount().normalize())
            })
            .collect();
        postings.sort();
        let (reference_kind, reference_id) = match &self.reference {
            Some(r) => (r.kind.as_str(), r.id.as_str()),
            None => ("", ""),
        };
        let mut hasher = Sha256::new();
        for part in [
            self.kind.as_str(),
            self.memo.as_str(),
            &self.occurred_at.to_rfc3339_opts(SecondsFormat::Micros, true),
            reference_kind,
            reference_id,
        ] {
            hasher.update(part.len().to_be_bytes());
            hasher.update(part.as_bytes());
        }
        for posting in postings {
            hasher.update(posting.len().to_be_bytes());
            hasher.update(posting.as_bytes());
        }
        hasher.finalize().to_vec()
    }
}

#[derive(Insertable)]
#[diesel(table_name = journal_entries)]
struct EntryRow<'a> {
    idempotency_key: &'a str,
    kind: &'a str,
    memo: &'a str,
    occurred_at: DateTime<Utc>,
    reference_type: Option<&'a str>,
    reference_id: Option<&'a str>,
    fingerprint: Vec<u8>,
}

#[derive(Insertable)]
#[diesel(table_name = postings, treat_none_as_default_value = false)]
struct PostingRow<'a> {
    entry_id: i64,
    account_id: i64,
    currency: &'a str,
    amount: Decimal,
}

impl<'a> EntryRow<'a> {
    fn of(entry: &'a NewEntry) -> EntryRow<'a> {
        EntryRow {
            idempotency_key: &entry.idempotency_key,
            kind: &entry.kind,
            memo: &entry.memo,
            occurred_at: entry.occurred_at,
            reference_type: entry.reference.as_ref().map(|r| r.kind.as_str()),
            reference_id: entry.reference.as_ref().map(|r| r.id.as_str()),
            fingerprint: entry.fingerprint(),
        }
    }
}

/// Posts one entry inside the caller's transaction. The balance is checked by the
/// database again at commit.
pub fn post_entry(conn: &mut PgConnection, entry: &NewEntry) -> Result<Posted, LedgerError> {
    post_entries(conn, std::slice::from_ref(entry))?
        .into_iter()
        .next()
        .ok_or(LedgerError::InvalidEntry("nothing posted"))
}

/// Posts many entries with a few multi-row INSERTs: the batch path for invoice runs and
/// statement imports. Returns one outcome per entry, in order. Nothing is written when
/// any entry is invalid or conflicts with an earlier one (as long as the caller rolls back
/// the transaction on error, which `Connection::transaction` does).
pub fn post_entries(conn: &mut PgConnection, entries: &[NewEntry]) -> Result<Vec<Posted>, LedgerError> {
    for entry in entries {
        entry.validate()?;
    }
    let rows: Vec<EntryRow<'_>> = entries.iter().map(EntryRow::of).collect();
    let mut created: HashMap<String, i64> = HashMap::with_capacity(rows.len());
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let inserted: Vec<(i64, String)> = diesel::insert_into(journal_entries::table)
            .values(chunk)
            .on_conflict(journal_entries::idempotency_key)
            .do_nothing()
            .returning((journal_entries::id, journal_entries::idempotency_key))
            .get_results(conn)?;
        created.extend(inserted.into_iter().map(|(id, key)| (key, id)));
    }
    let existing = existing_entries(conn, entries, &created)?;

    let mut outcomes = Vec::with_capacity(entries.len());
    let mut posting_rows: Vec<PostingRow<'_>> = Vec::new();
    let mut claimed = std::collections::HashSet::new();
    for (entry, row) in entries.iter().zip(&rows) {
        let key = entry.idempotency_key.as_str();
        match created.get(key) {
            // The first occurrence of a key in this batch gets the new entry's postings.
            Some(&id) if claimed.insert(key) => {
                posting_rows.extend(entry.postings.iter().map(|p| PostingRow {
                    entry_id: id,
                    account_id: p.account.0,
                    currency: p.amount.currency().code(),
                    amount: p.amount.amount(),
                }));
                outcomes.push(Posted::Created(EntryId(id)));
            }
            Some(&id) => {
                let first = entries.iter().find(|e| e.idempotency_key == key).map(NewEntry::fingerprint);
                if first.as_ref() != Some(&row.fingerprint) {
                    return Err(LedgerError::IdempotencyConflict { key: key.to_owned() });
                }
                outcomes.push(Posted::AlreadyPosted(EntryId(id)));
            }
            None => match existing.get(key) {
                Some((id, fingerprint)) if *fingerprint == row.fingerprint => {
                    outcomes.push(Posted::AlreadyPosted(EntryId(*id)));
                }
                _ => return Err(LedgerError::IdempotencyConflict { key: key.to_owned() }),
            },
        }
    }
    // One COPY: the database wants all postings of an entry in one statement, and COPY has
    // no bind-parameter limit and is several times faster than a multi-row INSERT.
    if !posting_rows.is_empty() {
        diesel::copy_from(postings::table).from_insertable(&posting_rows).execute(conn)?;
    }
    Ok(outcomes)
}

/// Id and fingerprint of the entries that were already in the ledger before this call.
fn existing_entries(
    conn: &mut PgConnection,
    entries: &[NewEntry],
    created: &HashMap<String, i64>,
) -> Result<HashMap<String, (i64, Vec<u8>)>, LedgerError> {
    let missing: Vec<&str> = entries
        .iter()
        .map(|e| e.idempotency_key.as_str())
        .filter(|key| !created.contains_key(*key))
        .collect();
    let mut found = HashMap::new();
    for chunk in missing.chunks(ROWS_PER_INSERT) {
        let rows: Vec<(i64, String, Vec<u8>)> = journal_entries::table
            .filter(journal_entries::idempotency_key.eq_any(chunk))
            .select((journal_entries::id, journal_entries::idempotency_key, journal_entries::fingerprint))
            .load(conn)?;
        found.extend(rows.into_iter().map(|(id, key, fp)| (key, (id, fp))));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use iso_currency::Currency;

    fn eur(minor: i64) -> Money {
        Money::from_minor(minor, Currency::EUR)
    }

    fn entry(postings: Vec<NewPosting>) -> NewEntry {
        NewEntry {
            idempotency_key: "test:1".into(),
            kind: "adjustment".into(),
            memo: String::new(),
            occurred_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            reference: None,
            postings,
        }
    }

    #[test]
    fn unbalanced_and_degenerate_entries_are_refused_early() {
        let a = AccountId(1);
        let b = AccountId(2);
        assert!(matches!(
            entry(vec![NewPosting::debit(a, eur(100))]).validate(),
            Err(LedgerError::TooFewPostings)
        ));
        assert!(matches!(
            entry(vec![NewPosting::debit(a, eur(100)), NewPosting::credit(b, eur(99))]).validate(),
            Err(LedgerError::Unbalanced { .. })
        ));
        assert!(matches!(
            entry(vec![NewPosting::debit(a, eur(0)), NewPosting::credit(b, eur(0))]).validate(),
            Err(LedgerError::ZeroPosting)
        ));
        let chf = Money::from_minor(100, Currency::CHF);
        assert!(matches!(
            entry(vec![NewPosting::debit(a, eur(100)), NewPosting::credit(b, chf)]).validate(),
            Err(LedgerError::Unbalanced { .. })
        ));
        let mut bad_kind = entry(vec![NewPosting::debit(a, eur(1)), NewPosting::credit(b, eur(1))]);
        bad_kind.kind = "Drop Table".into();
        assert!(matches!(bad_kind.validate(), Err(LedgerError::InvalidEntry(_))));
        let fine = entry(vec![NewPosting::debit(a, eur(100)), NewPosting::credit(b, eur(100))]);
        assert!(fine.validate().is_ok());
    }

    #[test]
    fn fingerprint_ignores_posting_order_but_not_content() {
        let a = AccountId(1);
        let b = AccountId(2);
        let one = entry(vec![NewPosting::debit(a, eur(100)), NewPosting::credit(b, eur(100))]);
        let swapped = entry(vec![NewPosting::credit(b, eur(100)), NewPosting::debit(a, eur(100))]);
        let other = entry(vec![NewPosting::debit(a, eur(101)), NewPosting::credit(b, eur(101))]);
        assert_eq!(one.fingerprint(), swapped.fingerprint());
        assert_ne!(one.fingerprint(), other.fingerprint());
        // 1.0 and 1.00 are the same amount.
        let scaled = entry(vec![
            NewPosting::debit(a, Money::new(Decimal::new(10, 1), Currency::EUR)),
            NewPosting::credit(b, Money::new(Decimal::new(100, 2), Currency::EUR)),
        ]);
        let plain = entry(vec![NewPosting::debit(a, eur(100)), NewPosting::credit(b, eur(100))]);
        assert_eq!(scaled.fingerprint(), plain.fingerprint());
    }
}
