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
use super::returns;
use super::state::TransactionState;
use super::suspense::{self, SuspenseMove};
use crate::audit::{Actor, record};
use crate::db::schema::{bank_imports, bank_transactions};
use crate::ids::UserId;
use crate::ledger::chart::SystemAccount;
use crate::payments::allocation::{Method, Receipt, apply_receipts, balances};
use crate::payments::bank::camt::{CamtReader, CreditDebit, Item};
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
    input: impl Read,
    request: &ImportRequest<'_>,
    actor: &Actor,
    progress: &dyn Fn(u64),
) -> Result<Summary, BankError> {
    conn.transaction(|conn| {
        let summary = import(conn, input, request, progress)?;
        let details = serde_json::to_value(&summary).unwrap_or_default();
        record(conn, &actor.event("bank.imported").target(request.file_name).details(details))?;
        Ok(summary)
    })
}

/// Imports one camt document from `input`: all of it, or (on any error) nothing.
pub fn import(
    conn: &mut PgConnection,
    input: impl Read,
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
        {
            let reader = BufReader::with_capacity(256 * 1024, &mut hashing);
            let mut run = Run {
                import_id,
                today: request.now.date_naive(),
                now: request.now,
                returns: request.returns,
                steps: std::cell::RefCell::default(),
                identities: Identities::default(),
                seen: HashSet::new(),
                debits: Vec::new(),
                accounts: request.accounts,
            };
            read_all(conn, reader, &mut run, &mut summary, progress)?;
            let payouts =
                crate::payments::payouts::settle_import(conn, &request.returns.site, import_id, request.now)?;
            summary.count_payouts(payouts);
            let ms = run.steps.borrow().map(|d| d.as_millis());
            tracing::info!(
                lookup_ms = ms[0],
                matching_ms = ms[1],
                receipts_ms = ms[2],
                balances_ms = ms[3],
                suspense_ms = ms[4],
                rows_ms = ms[5],
                returns_ms = ms[6],
                "bank import steps"
            );
        }
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

struct Run<'a> {
    import_id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
    returns: &'a ReturnContext,
    /// Time spent per step of booking (lookup, matching, receipts, balances, suspense, rows,
    /// returns), logged at the end: where an import's time goes.
    steps: std::cell::RefCell<[std::time::Duration; 7]>,
    identities: Identities,
    /// Identities met in this file, so a movement listed twice in one file counts once.
    seen: HashSet<String>,
    /// Debits of the file, undone (if returns) after all its credits are booked.
    debits: Vec<Incoming>,
    accounts: &'a [super::OwnAccount],
}

fn read_all(
    conn: &mut PgConnection,
    reader: impl BufRead,
    run: &mut Run<'_>,
    summary: &mut Summary,
    progress: &dyn Fn(u64),
) -> Result<(), BankError> {
    let mut statement = None;
    let mut account: Option<&super::OwnAccount> = None;
    let mut pending: Vec<Incoming> = Vec::with_capacity(CHUNK);
    let mut items = CamtReader::new(reader);
    while let Some(item) = items.next() {
        match item? {
            Item::Statement(s) => {
                account = Some(own_account(run.accounts, &s, items.line())?);
                statement = Some(s);
            }
            Item::Entry(entry) => {
                summary.entries_read += 1;
                let Some(account) = account else {
                    return Err(BankError::NoAccount { line: items.line() });
                };
                if entry.amount.currency() != account.currency {
                    return Err(BankError::ForeignCurrency {
                        line: items.line(),
                        iban: account.iban.clone(),
                        currency: entry.amount.currency().code().to_owned(),
                        account_currency: account.currency.code().to_owned(),
                    });
                }
                match run.identities.split(statement.as_ref(), entry, run.today) {
                    Split::NotBooked => summary.not_booked += 1,
                    Split::Transactions(transactions) => {
                        for transaction in transactions {
                            if run.seen.insert(transaction.identity.clone()) {
                                pending.push(transaction);
                            } else {
                                summary.already_imported += 1;
                            }
                        }
                    }
                }
                if pending.len() >= CHUNK {
                    book_chunk(conn, run, std::mem::take(&mut pending), summary)?;
                    progress(summary.entries_read);
                }
            }
        }
    }
    book_chunk(conn, run, pending, summary)?;
    progress(summary.entries_read);
    undo_returns(conn, run, summary)
}

/// The file's returns, after all its credits: one customer after the other in id order (the
/// order of `db::locks`), each return locking its invoices and then its customer, so the
/// import never holds one customer while waiting for another that a batch chunk, which
/// takes its customers in id order, already holds.
fn undo_returns(conn: &mut PgConnection, run: &mut Run<'_>, summary: &mut Summary) -> Result<(), BankError> {
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
    run: &mut Run<'_>,
    chunk: Vec<Incoming>,
    summary: &mut Summary,
) -> Result<(), BankError> {
    if chunk.is_empty() {
        return Ok(());
    }
    let mut clock = std::time::Instant::now();
    let mut step = |index: usize| {
        if let Some(total) = run.steps.borrow_mut().get_mut(index) {
            *total += clock.elapsed();
        }
        clock = std::time::Instant::now();
    };
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
    step(0);
    let decisions = decide(conn, &credits)?;
    step(1);
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

    let applied = apply_receipts(conn, &run.returns.site, &receipts)?;
    step(2);
    let paid_invoices: Vec<i64> = applied.iter().flat_map(|a| a.paid.iter().map(|(i, _)| *i)).collect();
    let still_open: HashSet<i64> = balances(conn, &paid_invoices)?
        .into_values()
        .filter(|b| b.open_amount > rust_decimal::Decimal::ZERO)
        .map(|b| b.invoice_id)
        .collect();
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
    step(3);
    post_to_suspense(conn, &suspense)?;
    step(4);

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
    step(5);
    crate::failpoint::hit("bank-import-after-chunk");
    Ok(())
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

fn insert_rows(conn: &mut PgConnection, import_id: i64, rows: &[Stored<'_>]) -> Result<(), BankError> {
    let values: Vec<_> = rows
        .iter()
        .map(|row| {
            let t = row.incoming;
            let d = &t.details;
            (
                (
                    bank_transactions::identity.eq(&t.identity),
                    bank_transactions::import_id.eq(import_id),
                    bank_transactions::account_iban.eq(&t.account_iban),
                    bank_transactions::direction.eq(if t.direction == CreditDebit::Credit {
                        "credit"
                    } else {
                        "debit"
                    }),
                    bank_transactions::currency.eq(t.amount.currency().code()),
                    bank_transactions::amount.eq(t.amount.amount()),
                    bank_transactions::booking_date.eq(t.booking_date),
                    bank_transactions::value_date.eq(t.value_date),
                    bank_transactions::account_servicer_ref.eq(&t.account_servicer_ref),
                    bank_transactions::end_to_end_id.eq(&d.end_to_end_id),
                ),
                (
                    bank_transactions::creditor_reference.eq(&d.creditor_reference),
                    bank_transactions::remittance.eq(&d.remittance),
                    bank_transactions::debtor_name.eq(&d.debtor_name),
                    bank_transactions::debtor_iban.eq(&d.debtor_iban),
                    bank_transactions::return_reason.eq(&d.return_reason),
                    bank_transactions::reversal.eq(t.reversal),
                    bank_transactions::state.eq(row.state.as_str()),
                    bank_transactions::outcome.eq(row.outcome),
                    bank_transactions::customer_id.eq(row.customer),
                    bank_transactions::suggestions.eq(&row.suggestions),
                ),
            )
        })
        .collect();
    for chunk in values.chunks(1_000) {
        diesel::insert_into(bank_transactions::table).values(chunk).execute(conn)?;
    }
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
