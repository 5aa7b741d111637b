//! Importing a camt.053 / camt.054 file: read it streaming, store each booked movement once,
//! book what it pays, and park the rest in suspense for the reconciliation queue.
//!
//! A file is one database transaction: a malformed file (refused with its line and reason),
//! a crash or a kill midway books nothing, and importing it again books each movement once.
//! Imports take turns (an advisory lock), so two finance staff importing overlapping
//! statements at the same moment cannot both book a movement.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::BankError;
use super::booking::{at_noon, receipt_key};
use super::incoming::{Identities, Incoming, Split};
use super::matching::{Decision, decide};
use super::notices::{self, Notices};
use super::returns;
use super::state::TransactionState;
use super::suspense::{self, SuspenseMove};
use crate::audit::{Actor, record};
use crate::db::schema::{bank_imports, bank_transactions};
use crate::ids::UserId;
use crate::ledger::chart::SystemAccount;
use crate::payments::allocation::{
    Applied, Method, Receipt, Settled, apply_receipts_announcing_later, balances,
};
use crate::payments::bank::camt::{CamtError, CamtReader, CreditDebit, Item};
use crate::payments::sepa::{ReturnContext, settle_collection};

/// Movements handled per round of queries.
const CHUNK: usize = 2_000;
/// Any number shared by every Kontor process: the key of the import lock.
pub const IMPORT_LOCK: i64 = 0x6b6f_6e74_6261_6e6b;

/// What an import did, for the command line, the back office and the import log.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    /// `Ntry` elements in the file.
    pub entries_read: u64,
    /// Booked movements stored for the first time.
    pub new_transactions: u64,
    pub paid: u64,
    pub partly_paid: u64,
    pub overpaid: u64,
    /// Waiting in the reconciliation queue (with or without suggestions).
    pub unmatched: u64,
    /// Brought by an earlier import (the same file again, an overlapping statement).
    pub already_imported: u64,
    /// Returns and reversals that undid an earlier payment.
    pub returned: u64,
    /// Debits that are not returns, and returns of nothing we know: stored, not booked.
    pub ignored: u64,
    /// Pending or information-only entries: not money on the account yet.
    pub not_booked: u64,
    /// Debits that settled a payout of ours (see `payments::payouts`).
    #[serde(default)]
    pub paid_out: u64,
    /// Credits that brought a payout of ours back.
    #[serde(default)]
    pub payouts_returned: u64,
}

impl Summary {
    /// Moves what the payouts' settlement recognised out of "ignored" and "unmatched".
    fn count_payouts(&mut self, settled: crate::payments::payouts::Settled) {
        self.paid_out += settled.paid_out;
        self.ignored = self.ignored.saturating_sub(settled.paid_out);
        self.payouts_returned += settled.returned;
        self.unmatched = self.unmatched.saturating_sub(settled.back_to_credit);
    }
}

pub struct ImportRequest<'a> {
    pub file_name: &'a str,
    pub actor: Option<UserId>,
    pub now: DateTime<Utc>,
    /// What a returned direct debit costs the customer and how they are told.
    pub returns: &'a ReturnContext,
    /// The seller's accounts: a statement for any other account, or an entry in another
    /// currency than its account's, refuses the whole file.
    pub accounts: &'a [super::OwnAccount],
}

/// Imports a file from disk (`request.file_name` is replaced by the file's name).
pub fn import_file(
    conn: &mut PgConnection,
    path: &Path,
    request: &ImportRequest<'_>,
    actor: &Actor,
    progress: &dyn Fn(u64),
) -> Result<Summary, BankError> {
    let file = std::fs::File::open(path)
        .map_err(|e| BankError::Unreadable { file: Some(path.display().to_string()), source: Box::new(e) })?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let request = ImportRequest { file_name: &name, ..*request };
    import_statement(conn, BufReader::with_capacity(256 * 1024, file), &request, actor, progress)
}

/// A statement import as finance starts it, from the back office or `kontor bank import`
/// alike: the import and, in its transaction, the audit log's record of who imported what.
pub fn import_statement(
    conn: &mut PgConnection,
    input: impl Read + Send,
    request: &ImportRequest<'_>,
    actor: &Actor,
    progress: &dyn Fn(u64),
) -> Result<Summary, BankError> {
    let summary = conn.transaction(|conn| {
        let summary = import(conn, input, request, progress)?;
        let details = serde_json::to_value(&summary).unwrap_or_default();
        record(conn, &actor.event("bank.imported").target(request.file_name).details(details))?;
        crate::phases::lap("import log, audit record");
        Ok::<_, BankError>(summary)
    })?;
    // The ledger's deferred checks (every entry balances) run here.
    crate::phases::lap("commit");
    Ok(summary)
}

/// Imports one camt document from `input`: all of it, or (on any error) nothing.
pub fn import(
    conn: &mut PgConnection,
    input: impl Read + Send,
    request: &ImportRequest<'_>,
    progress: &dyn Fn(u64),
) -> Result<Summary, BankError> {
    conn.transaction(|conn| {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(IMPORT_LOCK)
            .execute(conn)?;
        let import_id: i64 = diesel::insert_into(bank_imports::table)
            .values((
                bank_imports::file_name.eq(request.file_name),
                bank_imports::file_sha256.eq(vec![0u8; 32]),
                bank_imports::imported_by.eq(request.actor.map(|a| a.0)),
                bank_imports::summary.eq(serde_json::json!({})),
            ))
            .returning(bank_imports::id)
            .get_result(conn)?;
        let mut hashing = Hashing { inner: input, hash: Sha256::new() };
        let mut summary = Summary::default();
        notices::with_writer(&request.returns.site, |notices| {
            let reader = BufReader::with_capacity(256 * 1024, &mut hashing);
            let mut run = Run {
                import_id,
                today: request.now.date_naive(),
                now: request.now,
                returns: request.returns,
                notices,
                identities: Identities::default(),
                seen: HashSet::new(),
                debits: Vec::new(),
                accounts: request.accounts,
            };
            read_all(conn, reader, &mut run, &mut summary, progress)
        })?;
        let payouts =
            crate::payments::payouts::settle_import(conn, &request.returns.site, import_id, request.now)?;
        summary.count_payouts(payouts);
        let digest: Vec<u8> = hashing.hash.finalize().to_vec();
        diesel::update(bank_imports::table.find(import_id))
            .set((
                bank_imports::file_sha256.eq(digest),
                bank_imports::summary.eq(serde_json::to_value(&summary).unwrap_or_default()),
            ))
            .execute(conn)?;
        Ok(summary)
    })
}

struct Run<'a, 'n> {
    import_id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
    returns: &'a ReturnContext,
    notices: &'n mut Notices,
    identities: Identities,
    /// Identities met in this file (their SHA-256), so a movement listed twice in one file
    /// counts once. Digests rather than the identities: a 100,000-entry file keeps them all
    /// until its end, and 32 bytes in place cost a third of a heap string.
    seen: HashSet<[u8; 32]>,
    /// Debits of the file, undone (if returns) after all its credits are booked.
    debits: Vec<Incoming>,
    accounts: &'a [super::OwnAccount],
}

/// Items the reader thread has parsed, with the line each ended on.
type Parsed = Vec<(Item, u64)>;

/// Items handed from the reader thread to the booking one at a time.
const PARSED_BATCH: usize = 500;

fn read_all(
    conn: &mut PgConnection,
    reader: impl BufRead + Send,
    run: &mut Run<'_, '_>,
    summary: &mut Summary,
    progress: &dyn Fn(u64),
) -> Result<(), BankError> {
    // The file is parsed on a thread of its own while this one books: reading is about a third
    // of the work. A few batches ahead at most, so memory stays flat whatever the file's size;
    // when booking fails, the closed channel stops the reader.
    std::thread::scope(|scope| {
        let (parsed, inbox) = std::sync::mpsc::sync_channel::<Result<Parsed, CamtError>>(4);
        scope.spawn(move || {
            let mut items = CamtReader::new(reader);
            let mut batch = Vec::with_capacity(PARSED_BATCH);
            while let Some(item) = items.next() {
                match item {
                    Ok(item) => batch.push((item, items.line())),
                    Err(error) => {
                        let _ = parsed.send(Err(error));
                        return;
                    }
                }
                if batch.len() >= PARSED_BATCH
                    && parsed
                        .send(Ok(std::mem::replace(&mut batch, Vec::with_capacity(PARSED_BATCH))))
                        .is_err()
                {
                    return;
                }
            }
            let _ = parsed.send(Ok(batch));
        });
        book_all(conn, inbox.into_iter().flat_map(flatten), run, summary, progress)
    })
}

fn flatten(batch: Result<Parsed, CamtError>) -> Vec<Result<(Item, u64), CamtError>> {
    match batch {
        Ok(items) => items.into_iter().map(Ok).collect(),
        Err(error) => vec![Err(error)],
    }
}

fn book_all(
    conn: &mut PgConnection,
    items: impl Iterator<Item = Result<(Item, u64), CamtError>>,
    run: &mut Run<'_, '_>,
    summary: &mut Summary,
    progress: &dyn Fn(u64),
) -> Result<(), BankError> {
    let mut statement = None;
    let mut account: Option<&super::OwnAccount> = None;
    let mut pending: Vec<Incoming> = Vec::with_capacity(CHUNK);
    for item in items {
        let (item, line) = item?;
        match item {
            Item::Statement(s) => {
                account = Some(own_account(run.accounts, &s, line)?);
                statement = Some(s);
            }
            Item::Entry(entry) => {
                summary.entries_read += 1;
                let Some(account) = account else {
                    return Err(BankError::NoAccount { line });
                };
                if entry.amount.currency() != account.currency {
                    return Err(BankError::ForeignCurrency {
                        line,
                        iban: account.iban.clone(),
                        currency: entry.amount.currency().code().to_owned(),
                        account_currency: account.currency.code().to_owned(),
                    });
                }
                match run.identities.split(statement.as_ref(), entry, run.today) {
                    Split::NotBooked => summary.not_booked += 1,
                    Split::Transactions(transactions) => {
                        for transaction in transactions {
                            if run.seen.insert(Sha256::digest(transaction.identity.as_bytes()).into()) {
                                pending.push(transaction);
                            } else {
                                summary.already_imported += 1;
                            }
                        }
                    }
                }
                if pending.len() >= CHUNK {
                    crate::phases::lap("parse (waiting for the reader thread)");
                    book_chunk(conn, run, std::mem::take(&mut pending), summary)?;
                    progress(summary.entries_read);
                }
            }
        }
    }
    crate::phases::lap("parse (waiting for the reader thread)");
    book_chunk(conn, run, pending, summary)?;
    run.notices.finish(conn, &run.returns.site)?;
    progress(summary.entries_read);
    undo_returns(conn, run, summary)?;
    crate::phases::lap("returns");
    Ok(())
}

/// The file's returns, after all its credits: one customer after the other in id order (the
/// order of `db::locks`), each return locking its invoices and then its customer, so the
/// import never holds one customer while waiting for another that a batch chunk, which
/// takes its customers in id order, already holds.
fn undo_returns(
    conn: &mut PgConnection,
    run: &mut Run<'_, '_>,
    summary: &mut Summary,
) -> Result<(), BankError> {
    let debits = std::mem::take(&mut run.debits);
    let mut ordered = Vec::with_capacity(debits.len());
    for (n, debit) in debits.into_iter().enumerate() {
        let customer = if debit.is_return() { returns::customer_of(conn, &debit)? } else { None };
        ordered.push((customer.unwrap_or(i64::MAX), n, debit));
    }
    ordered.sort_by_key(|(customer, n, _)| (*customer, *n));
    for (_, _, debit) in &ordered {
        if debit.is_return() && returns::undo(conn, debit, run.returns, run.now)? {
            summary.returned += 1;
        } else {
            summary.ignored += 1;
        }
    }
    Ok(())
}

/// The seller's account a statement is for. Its `Acct/Ccy`, when given, must be that account's
/// currency too: an account may be listed once per currency it is kept in.
fn own_account<'a>(
    accounts: &'a [super::OwnAccount],
    statement: &crate::payments::bank::camt::Statement,
    line: u64,
) -> Result<&'a super::OwnAccount, BankError> {
    let iban: String = statement
        .iban
        .as_deref()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if iban.is_empty() {
        return Err(BankError::NoAccount { line });
    }
    let mut kept_in = accounts.iter().filter(|a| a.iban == iban).peekable();
    let Some(first) = kept_in.peek().copied() else {
        return Err(BankError::ForeignAccount { line, iban });
    };
    match statement.currency {
        None => Ok(first),
        Some(currency) => {
            kept_in.find(|a| a.currency == currency).ok_or_else(|| BankError::ForeignCurrency {
                line,
                iban: iban.clone(),
                currency: currency.code().to_owned(),
                account_currency: first.currency.code().to_owned(),
            })
        }
    }
}

/// A row to insert into `bank_transactions`.
struct Stored<'a> {
    incoming: &'a Incoming,
    state: TransactionState,
    outcome: Option<&'static str>,
    customer: Option<i64>,
    suggestions: serde_json::Value,
}

fn book_chunk(
    conn: &mut PgConnection,
    run: &mut Run<'_, '_>,
    chunk: Vec<Incoming>,
    summary: &mut Summary,
) -> Result<(), BankError> {
    if chunk.is_empty() {
        return Ok(());
    }
    let identities: Vec<&str> = chunk.iter().map(|t| t.identity.as_str()).collect();
    let known: HashSet<String> = bank_transactions::table
        .filter(bank_transactions::identity.eq_any(&identities))
        .select(bank_transactions::identity)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let fresh: Vec<&Incoming> = chunk.iter().filter(|t| !known.contains(&t.identity)).collect();
    summary.already_imported += (chunk.len() - fresh.len()) as u64;
    summary.new_transactions += fresh.len() as u64;

    let credits: Vec<&Incoming> =
        fresh.iter().copied().filter(|t| t.direction == CreditDebit::Credit).collect();
    let mut stored: Vec<Stored<'_>> = Vec::with_capacity(fresh.len());
    let credits = settle_collections(conn, &run.returns.site, credits, &mut stored, summary)?;
    crate::phases::lap("known movements, direct debits settled");
    let decisions = decide(conn, &credits)?;
    crate::phases::lap("matching");
    let mut receipts = Vec::new();
    let mut receipt_of: HashMap<&str, usize> = HashMap::new();
    let mut suspense = Vec::new();
    // Transfers naming invoices of several customers: in suspense first, like unmatched
    // money, then paid from there once their rows exist (one receipt per customer).
    let mut split: Vec<(&Incoming, Vec<(i64, i64)>)> = Vec::new();
    for (transfer, decision) in credits.iter().zip(decisions) {
        match decision {
            Decision::Split { invoices } => {
                suspense.push(*transfer);
                summary.unmatched += 1;
                split.push((transfer, invoices));
                stored.push(Stored {
                    incoming: transfer,
                    state: TransactionState::Unassigned,
                    outcome: None,
                    customer: None,
                    suggestions: serde_json::json!([]),
                });
            }
            Decision::Pay { customer, invoices } => {
                receipt_of.insert(transfer.identity.as_str(), receipts.len());
                receipts.push(Receipt {
                    key: receipt_key(&transfer.identity),
                    customer,
                    amount: transfer.amount,
                    fee: None,
                    received_in: SystemAccount::Bank,
                    method: Method::BankTransfer,
                    invoices,
                    occurred_at: at_noon(transfer.booking_date),
                    memo: memo(transfer),
                });
                stored.push(Stored {
                    incoming: transfer,
                    state: TransactionState::Booked,
                    outcome: None,
                    customer: Some(customer),
                    suggestions: serde_json::json!([]),
                });
            }
            Decision::Suspense { suggestions } => {
                suspense.push(*transfer);
                summary.unmatched += 1;
                let state = if suggestions.is_empty() {
                    TransactionState::Unassigned
                } else {
                    TransactionState::Suggested
                };
                stored.push(Stored {
                    incoming: transfer,
                    state,
                    outcome: None,
                    customer: None,
                    suggestions: serde_json::to_value(&suggestions).unwrap_or_default(),
                });
            }
        }
    }

    let (applied, settled) = apply_receipts_announcing_later(conn, &run.returns.site, &receipts)?;
    run.notices.settled(conn, &run.returns.site, &settled)?;
    let still_open = still_open(conn, &applied, &settled)?;
    for row in &mut stored {
        let Some(&index) = receipt_of.get(row.incoming.identity.as_str()) else { continue };
        let Some(result) = applied.get(index) else { continue };
        row.outcome = Some(if result.to_credit.is_positive() && result.paid.is_empty() {
            summary.overpaid += 1;
            "credit"
        } else if result.to_credit.is_positive() {
            summary.overpaid += 1;
            "overpaid"
        } else if result.paid.iter().any(|(invoice, _)| still_open.contains(invoice)) {
            summary.partly_paid += 1;
            "partly_paid"
        } else {
            summary.paid += 1;
            "paid"
        });
    }
    crate::phases::lap("outcomes");
    post_to_suspense(conn, &suspense)?;
    crate::phases::lap("suspense entries");

    // Debits: returns undo what they return; anything else is the bank's business with us.
    let debits: Vec<&Incoming> =
        fresh.iter().copied().filter(|t| t.direction == CreditDebit::Debit).collect();
    for debit in &debits {
        stored.push(Stored {
            incoming: debit,
            state: TransactionState::Ignored,
            outcome: None,
            customer: None,
            suggestions: serde_json::json!([]),
        });
    }
    insert_rows(conn, run.import_id, &stored)?;
    crate::phases::lap("transaction rows");
    run.debits.extend(debits.iter().map(|d| (*d).clone()));
    for (transfer, invoices) in split {
        let id: i64 = bank_transactions::table
            .filter(bank_transactions::identity.eq(&transfer.identity))
            .select(bank_transactions::id)
            .first(conn)?;
        match super::queue::pay_named(conn, &run.returns.site, id, &invoices, run.now)? {
            super::queue::Named::Waiting => {}
            super::queue::Named::Paid { still_open } => {
                summary.unmatched -= 1;
                if still_open {
                    summary.partly_paid += 1;
                } else {
                    summary.paid += 1;
                }
            }
        }
    }
    crate::phases::lap("transfers naming several customers");
    crate::failpoint::hit("bank-import-after-chunk");
    Ok(())
}

/// The invoices the chunk's receipts paid that still have something open. What this import
/// applied settled exactly the invoices in `settled`; a receipt applied before (its key
/// already booked) is asked of the database.
fn still_open(
    conn: &mut PgConnection,
    applied: &[Applied],
    settled: &[Settled],
) -> Result<HashSet<i64>, BankError> {
    let settled: HashSet<i64> = settled.iter().map(|s| s.invoice).collect();
    let mut open: HashSet<i64> = applied
        .iter()
        .filter(|a| !a.already_applied)
        .flat_map(|a| a.paid.iter().map(|(invoice, _)| *invoice))
        .filter(|invoice| !settled.contains(invoice))
        .collect();
    let earlier: Vec<i64> =
        applied.iter().filter(|a| a.already_applied).flat_map(|a| a.paid.iter().map(|(i, _)| *i)).collect();
    if !earlier.is_empty() {
        open.extend(
            balances(conn, &earlier)?
                .into_values()
                .filter(|b| b.open_amount > rust_decimal::Decimal::ZERO)
                .map(|b| b.invoice_id),
        );
    }
    Ok(open)
}

/// Direct debits we collected come back with their end-to-end id: those settle their
/// collection. Returns the credits left to match from what the payer wrote.
fn settle_collections<'a>(
    conn: &mut PgConnection,
    site: &crate::site::Site,
    credits: Vec<&'a Incoming>,
    stored: &mut Vec<Stored<'a>>,
    summary: &mut Summary,
) -> Result<Vec<&'a Incoming>, BankError> {
    use crate::db::schema::direct_debit_collections;
    let ids: Vec<&str> = credits.iter().filter_map(|t| t.details.end_to_end_id.as_deref()).collect();
    if ids.is_empty() {
        return Ok(credits);
    }
    let collected: HashSet<String> = direct_debit_collections::table
        .filter(direct_debit_collections::end_to_end_id.eq_any(&ids))
        .select(direct_debit_collections::end_to_end_id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let mut left = Vec::with_capacity(credits.len());
    for transfer in credits {
        let Some(e2e) = transfer.details.end_to_end_id.as_deref().filter(|id| collected.contains(*id)) else {
            left.push(transfer);
            continue;
        };
        let key = receipt_key(&transfer.identity);
        let Some(settled) =
            settle_collection(conn, site, e2e, transfer.amount, at_noon(transfer.booking_date), &key)?
        else {
            left.push(transfer);
            continue;
        };
        let outcome = if settled.applied.to_credit.is_positive() {
            summary.overpaid += 1;
            "overpaid"
        } else {
            summary.paid += 1;
            "paid"
        };
        stored.push(Stored {
            incoming: transfer,
            state: TransactionState::Booked,
            outcome: Some(outcome),
            customer: Some(settled.customer_id),
            suggestions: serde_json::json!([]),
        });
    }
    Ok(left)
}

/// Money that names no invoice of ours waits in suspense: bank debit, suspense credit.
fn post_to_suspense(conn: &mut PgConnection, transfers: &[&Incoming]) -> Result<(), BankError> {
    let moves: Vec<SuspenseMove> = transfers
        .iter()
        .map(|t| SuspenseMove {
            key: receipt_key(&t.identity),
            kind: crate::ledger::EntryKind::PaymentUnassigned,
            memo: memo(t),
            occurred_at: at_noon(t.booking_date),
            identity: t.identity.clone(),
            amount: t.amount,
            into_suspense: true,
        })
        .collect();
    suspense::post(conn, &moves)
}

#[derive(Insertable)]
#[diesel(table_name = bank_transactions, treat_none_as_default_value = false)]
struct TransactionRow<'a> {
    identity: &'a str,
    import_id: i64,
    account_iban: &'a str,
    direction: &'static str,
    currency: &'static str,
    amount: rust_decimal::Decimal,
    booking_date: NaiveDate,
    value_date: Option<NaiveDate>,
    account_servicer_ref: Option<&'a str>,
    end_to_end_id: Option<&'a str>,
    creditor_reference: Option<&'a str>,
    remittance: Option<&'a str>,
    debtor_name: Option<&'a str>,
    debtor_iban: Option<&'a str>,
    return_reason: Option<&'a str>,
    reversal: bool,
    state: &'static str,
    outcome: Option<&'static str>,
    customer_id: Option<i64>,
    suggestions: &'a serde_json::Value,
}

/// One COPY for the chunk's rows: it checks the same constraints as an INSERT (a movement
/// stored twice is refused by the unique identity) at a fraction of the cost.
fn insert_rows(conn: &mut PgConnection, import_id: i64, rows: &[Stored<'_>]) -> Result<(), BankError> {
    if rows.is_empty() {
        return Ok(());
    }
    let values: Vec<TransactionRow<'_>> = rows
        .iter()
        .map(|row| {
            let t = row.incoming;
            let d = &t.details;
            TransactionRow {
                identity: &t.identity,
                import_id,
                account_iban: &t.account_iban,
                direction: if t.direction == CreditDebit::Credit { "credit" } else { "debit" },
                currency: t.amount.currency().code(),
                amount: t.amount.amount(),
                booking_date: t.booking_date,
                value_date: t.value_date,
                account_servicer_ref: t.account_servicer_ref.as_deref(),
                end_to_end_id: d.end_to_end_id.as_deref(),
                creditor_reference: d.creditor_reference.as_deref(),
                remittance: d.remittance.as_deref(),
                debtor_name: d.debtor_name.as_deref(),
                debtor_iban: d.debtor_iban.as_deref(),
                return_reason: d.return_reason.as_deref(),
                reversal: t.reversal,
                state: row.state.as_str(),
                outcome: row.outcome,
                customer_id: row.customer,
                suggestions: &row.suggestions,
            }
        })
        .collect();
    diesel::copy_from(bank_transactions::table).from_insertable(&values).execute(conn)?;
    Ok(())
}

fn memo(t: &Incoming) -> String {
    let text = t.details.remittance.as_deref().or(t.details.creditor_reference.as_deref()).unwrap_or("");
    let payer = t.details.debtor_name.as_deref().unwrap_or("");
    let memo = format!("{payer}: {text}");
    memo.chars().take(200).collect()
}

/// Hashes what is read, so the import log records the file's SHA-256 without a second pass.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(buf.get(..n).unwrap_or_default());
        Ok(n)
    }
}
