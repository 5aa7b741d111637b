//! The daily dunning run (`kontor dunning run`, and the server's worker once a day): every
//! overdue invoice whose next step's day has come gets that step, in chunks of notices that
//! commit together (one commit, and its fsync, per chunk rather than per letter).
//!
//! Exactly once: each notice row is inserted under the `dunning_notices (invoice_id, level)`
//! UNIQUE key in the same transaction as its charges invoice, letter, email and suspension. A
//! second run (retried, racing beside it, or after a kill) either waits for that transaction and
//! then finds the row, or hits the key; a chunk that hits the key rolls back whole and is taken
//! again one notice per transaction, so the others in it are still sent and none twice. A run
//! killed midway leaves the chunks it committed and nothing of the one it was in; the next run
//! does the rest.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{BigInt, Date, Nullable, Numeric, Text};
use iso_currency::Currency;
use rust_decimal::Decimal;

use super::CollectionsError;
use super::charges::{Overdue, issue_charges};
use super::interest::{Stretch, stretches};
use super::ladder::{Action, CustomerType, Ladder, Level};
use super::letters::{InvoiceTerms, Notice, OpenInvoice, letter, payable, queue_email};
use super::profile::{Phase, Profile};
use crate::db::PgPool;
use crate::db::schema::dunning_notices;
use crate::documents::Publishing;
use crate::money::Money;

/// Notices per transaction by default: a commit (with its fsync) per hundred letters instead of
/// per letter, while a chunk that meets another run's notice is retried one by one cheaply.
pub const DEFAULT_CHUNK: usize = 100;

/// What a run needs from the edges.
#[derive(Clone)]
pub struct RunContext<'a> {
    pub publishing: &'a Publishing,
    /// The termination step's closing of the account (`closing::for_dunning`).
    pub close_account: super::termination::CloseAccount<'a>,
    /// Days a charges invoice gives to pay.
    pub payment_days: u32,
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
    /// Only say what would be sent.
    pub dry_run: bool,
    /// Notices committed together (1: each in its own transaction).
    pub chunk: usize,
    /// Where the time goes, when asked (`--profile`).
    pub profile: Option<&'a Profile>,
}

/// One notice sent (or, in a dry run, due).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Sent {
    pub invoice: String,
    pub customer_id: i64,
    pub level: i32,
    pub action: Action,
    pub fee: String,
    pub interest: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Overdue invoices looked at.
    pub overdue: usize,
    pub sent: Vec<Sent>,
    /// Notices another run had sent first.
    pub already_sent: usize,
    pub suspended: usize,
    pub terminated: usize,
    pub reactivated: usize,
    /// Trial-end reminders sent (by the edges' run, `jobs::dunning`).
    pub trial_reminders: usize,
}

impl Summary {
    pub fn per_level(&self) -> BTreeMap<i32, usize> {
        let mut out = BTreeMap::new();
        for sent in &self.sent {
            *out.entry(sent.level).or_default() += 1;
        }
        out
    }
}

/// An overdue invoice with where it stands on the ladder.
#[derive(QueryableByName, Debug, Clone)]
struct Candidate {
    #[diesel(sql_type = BigInt)]
    invoice_id: i64,
    #[diesel(sql_type = Text)]
    number: String,
    #[diesel(sql_type = BigInt)]
    customer_id: i64,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = Date)]
    due_date: NaiveDate,
    #[diesel(sql_type = Numeric)]
    open_amount: Decimal,
    #[diesel(sql_type = Nullable<diesel::sql_types::Integer>)]
    last_level: Option<i32>,
    #[diesel(sql_type = Nullable<Date>)]
    interest_until: Option<NaiveDate>,
    /// The customer's VAT ID as VIES last confirmed it (`vat_id_confirmed`): a business.
    #[diesel(sql_type = diesel::sql_types::Bool)]
    business: bool,
}

/// Overdue invoices, leaving out charges invoices (their fees are not dunned again), invoices a
/// direct debit is collecting or may still collect (`direct_debit`), customers whose dunning is
/// paused, and written-off ones (their open amount is zero).
const CANDIDATES: &str = "
    SELECT b.invoice_id, i.number, b.customer_id, trim(b.currency) AS currency, b.due_date, b.open_amount,
           (SELECT max(n.level) FROM dunning_notices n WHERE n.invoice_id = b.invoice_id) AS last_level,
           (SELECT max(n.interest_until) FROM dunning_notices n WHERE n.invoice_id = b.invoice_id) AS interest_until,
           vat_id_confirmed(c.id, c.vat_id) AS business
      FROM invoice_balances b
      JOIN invoices i ON i.id = b.invoice_id
      JOIN customers c ON c.id = b.customer_id
     WHERE b.open_amount > 0 AND b.due_date < $1
       AND NOT EXISTS (SELECT 1 FROM dunning_notices n WHERE n.charge_invoice_id = b.invoice_id)
       AND NOT EXISTS (SELECT 1 FROM direct_debit_collections d WHERE d.invoice_id = b.invoice_id AND d.status = 'pending')
       AND NOT (trim(b.currency) = 'EUR'
                AND EXISTS (SELECT 1 FROM sepa_mandates m WHERE m.customer_id = b.customer_id AND m.status = 'active')
                AND ({may}))
       AND NOT EXISTS (SELECT 1 FROM dunning_pauses p WHERE p.customer_id = b.customer_id AND p.until >= $1)
     ORDER BY b.customer_id, b.invoice_id";

/// The steps due today, in customer and invoice order.
fn due_steps(
    conn: &mut PgConnection,
    ladder: &Ladder,
    today: NaiveDate,
) -> Result<(usize, Vec<(Candidate, Level)>), CollectionsError> {
    let sql = CANDIDATES.replace("{may}", super::direct_debit::MAY_BE_COLLECTED);
    let candidates: Vec<Candidate> = diesel::sql_query(sql).bind::<Date, _>(today).load(conn)?;
    let overdue = candidates.len();
    let steps = candidates
        .into_iter()
        .filter_map(|c| {
            let kind = CustomerType::of(c.business);
            let days = (today - c.due_date).num_days();
            ladder.next(kind, c.last_level, days).cloned().map(|level| (c, level))
        })
        .collect();
    Ok((overdue, steps))
}

/// The interest a step charges: from the day after the due date (or after the last charged
/// day) to today.
fn interest_of(
    ladder: &Ladder,
    candidate: &Candidate,
    level: &Level,
    today: NaiveDate,
    open: Money,
) -> Result<Vec<Stretch>, CollectionsError> {
    if !level.charges_interest {
        return Ok(Vec::new());
    }
    let from = candidate.interest_until.unwrap_or(candidate.due_date).succ_opt().unwrap_or(today);
    let kind = CustomerType::of(candidate.business);
    stretches(open, from, today, &ladder.base_rates, ladder.points(kind))
}

/// The run with `workers` threads, each taking its share of the customers (one customer's
/// invoices stay on one thread, so its letters go out in order).
pub fn run(pool: &PgPool, ctx: &RunContext<'_>, workers: usize) -> Result<Summary, CollectionsError> {
    let mut conn = pool.get().map_err(CollectionsError::Pool)?;
    let ladder = Ladder::load(&mut conn)?;
    let (overdue, steps) =
        Profile::time(ctx.profile, Phase::Select, || due_steps(&mut conn, &ladder, ctx.today))?;
    let workers = workers.clamp(1, 16) as i64;
    let parts: Vec<Result<Summary, CollectionsError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|part| {
                let mine: Vec<&(Candidate, Level)> =
                    steps.iter().filter(|(c, _)| c.customer_id.rem_euclid(workers) == part).collect();
                let ladder = &ladder;
                scope.spawn(move || {
                    let mut conn = pool.get().map_err(CollectionsError::Pool)?;
                    let mut summary = Summary::default();
                    take_steps(&mut conn, ctx, ladder, mine, &mut summary)?;
                    Ok(summary)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(CollectionsError::Corrupt("a dunning worker panicked".to_owned()))
                })
            })
            .collect()
    });
    let mut summary = Summary { overdue, ..Summary::default() };
    for part in parts {
        let part = part?;
        summary.sent.extend(part.sent);
        summary.already_sent += part.already_sent;
        summary.suspended += part.suspended;
        summary.terminated += part.terminated;
    }
    summary.sent.sort_by(|a, b| (a.customer_id, &a.invoice).cmp(&(b.customer_id, &b.invoice)));
    finish(&mut conn, ctx, &mut summary)?;
    Ok(summary)
}

/// The run on one connection (each step commits on its own).
pub fn run_on(conn: &mut PgConnection, ctx: &RunContext<'_>) -> Result<Summary, CollectionsError> {
    let ladder = Ladder::load(conn)?;
    let (overdue, steps) = Profile::time(ctx.profile, Phase::Select, || due_steps(conn, &ladder, ctx.today))?;
    let mut summary = Summary { overdue, ..Summary::default() };
    take_steps(conn, ctx, &ladder, steps.iter().collect(), &mut summary)?;
    finish(conn, ctx, &mut summary)?;
    Ok(summary)
}

fn finish(
    conn: &mut PgConnection,
    ctx: &RunContext<'_>,
    summary: &mut Summary,
) -> Result<(), CollectionsError> {
    if !ctx.dry_run {
        summary.reactivated =
            super::suspension::reactivate_settled(conn, &ctx.publishing.site, ctx.today, ctx.now)?;
        record_run(conn, ctx, summary)?;
    }
    Ok(())
}

/// The day's run finished: the month close's checklist asks for the run of the month's last
/// day. A later run the same day adds what it sent.
fn record_run(
    conn: &mut PgConnection,
    ctx: &RunContext<'_>,
    summary: &Summary,
) -> Result<(), CollectionsError> {
    use crate::db::schema::dunning_runs as r;
    let notices = i32::try_from(summary.sent.len()).unwrap_or(i32::MAX);
    let reactivated = i32::try_from(summary.reactivated).unwrap_or(i32::MAX);
    diesel::insert_into(r::table)
        .values((
            r::day.eq(ctx.today),
            r::finished_at.eq(ctx.now),
            r::notices.eq(notices),
            r::reactivated.eq(reactivated),
        ))
        .on_conflict(r::day)
        .do_update()
        .set((
            r::finished_at.eq(ctx.now),
            r::notices.eq(r::notices + notices),
            r::reactivated.eq(r::reactivated + reactivated),
        ))
        .execute(conn)?;
    Ok(())
}

fn take_steps(
    conn: &mut PgConnection,
    ctx: &RunContext<'_>,
    ladder: &Ladder,
    steps: Vec<&(Candidate, Level)>,
    summary: &mut Summary,
) -> Result<(), CollectionsError> {
    if ctx.dry_run {
        for (candidate, level) in steps {
            let currency = currency(&candidate.currency)?;
            let open = Money::new(candidate.open_amount, currency);
            let interest = interest_of(ladder, candidate, level, ctx.today, open)?;
            summary.sent.push(sent(candidate, level, level.fee(currency), &interest)?);
        }
        return Ok(());
    }
    for chunk in steps.chunks(ctx.chunk.max(1)) {
        match commit_chunk(conn, ctx, ladder, chunk) {
            Ok(outcomes) => record(summary, outcomes),
            // Another run sent one of these first: the rest are still due, once each.
            Err(error) if already_sent(&error) && chunk.len() > 1 => {
                for single in chunk.chunks(1) {
                    match commit_chunk(conn, ctx, ladder, single) {
                        Ok(outcomes) => record(summary, outcomes),
                        Err(error) if already_sent(&error) => summary.already_sent += 1,
                        Err(other) => return Err(other),
                    }
                }
            }
            Err(error) if already_sent(&error) => summary.already_sent += 1,
            Err(other) => return Err(other),
        }
    }
    Ok(())
}

/// The steps of one chunk in one transaction. The chunk's customers are locked first, all at
/// once in id order (`db::locks`): a step's later locks (the number series of a charges
/// invoice, subscriptions) then never come before a customer lock of the same transaction.
fn commit_chunk(
    conn: &mut PgConnection,
    ctx: &RunContext<'_>,
    ladder: &Ladder,
    chunk: &[&(Candidate, Level)],
) -> Result<Vec<Option<(Sent, bool)>>, CollectionsError> {
    let started = std::time::Instant::now();
    let mut inside = std::time::Duration::ZERO;
    let outcome = conn.transaction(|conn| {
        let began = std::time::Instant::now();
        let customers: Vec<i64> = chunk.iter().map(|(c, _)| c.customer_id).collect();
        Profile::time(ctx.profile, Phase::Reads, || crate::db::locks::lock_customers(conn, &customers))?;
        let mut outcomes = Vec::with_capacity(chunk.len());
        for (candidate, level) in chunk {
            crate::failpoint::hit("dunning-before-step");
            outcomes.push(step(conn, ctx, ladder, candidate, level)?);
        }
        crate::failpoint::hit("dunning-before-commit");
        inside = began.elapsed();
        Ok(outcomes)
    });
    if let Some(profile) = ctx.profile {
        profile.add(Phase::Commit, started.elapsed().saturating_sub(inside).as_nanos());
    }
    outcome
}

fn record(summary: &mut Summary, outcomes: Vec<Option<(Sent, bool)>>) {
    for outcome in outcomes {
        match outcome {
            Some((row, suspended)) => {
                summary.terminated += usize::from(row.action == Action::Termination);
                summary.suspended += usize::from(suspended);
                summary.sent.push(row);
            }
            None => summary.already_sent += 1,
        }
    }
}

/// The notice's UNIQUE key: another run sent it first.
fn already_sent(error: &CollectionsError) -> bool {
    matches!(
        error,
        CollectionsError::Database(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info))
            if info.constraint_name() == Some("dunning_notices_invoice_id_level_key")
    )
}

fn currency(code: &str) -> Result<Currency, CollectionsError> {
    Currency::from_code(code.trim()).ok_or_else(|| CollectionsError::Corrupt(format!("currency {code}")))
}

fn sent(
    candidate: &Candidate,
    level: &Level,
    fee: Money,
    interest: &[Stretch],
) -> Result<Sent, CollectionsError> {
    let total = super::interest::total(fee.currency(), interest)?;
    Ok(Sent {
        invoice: candidate.number.clone(),
        customer_id: candidate.customer_id,
        level: level.level,
        action: level.action,
        fee: fee.to_string(),
        interest: total.to_string(),
    })
}

#[derive(QueryableByName)]
struct OtherOpen {
    #[diesel(sql_type = Text)]
    number: String,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = Date)]
    due_date: NaiveDate,
    #[diesel(sql_type = Numeric)]
    open_amount: Decimal,
}

/// The customer's invoices still open besides the dunned one and the charges it just got, oldest
/// first: a notice lists everything the customer owes.
fn other_open(
    conn: &mut PgConnection,
    customer: i64,
    invoice: i64,
    charges: Option<i64>,
) -> Result<Vec<OpenInvoice>, CollectionsError> {
    let rows: Vec<OtherOpen> = diesel::sql_query(
        "SELECT i.number, trim(b.currency) AS currency, b.due_date, b.open_amount
           FROM invoice_balances b JOIN invoices i ON i.id = b.invoice_id
          WHERE b.customer_id = $1 AND b.open_amount > 0 AND b.invoice_id <> $2
            AND b.invoice_id IS DISTINCT FROM $3
          ORDER BY b.due_date, i.number",
    )
    .bind::<BigInt, _>(customer)
    .bind::<BigInt, _>(invoice)
    .bind::<Nullable<BigInt>, _>(charges)
    .load(conn)?;
    rows.into_iter()
        .map(|row| {
            Ok(OpenInvoice {
                number: row.number,
                due_date: row.due_date,
                open: Money::new(row.open_amount, currency(&row.currency)?),
            })
        })
        .collect()
}

/// What a step reads about its invoice and customer, in one statement.
#[derive(QueryableByName)]
struct StepRow {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    taken: bool,
    #[diesel(sql_type = Nullable<Numeric>)]
    open_amount: Option<Decimal>,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    customer_snapshot: serde_json::Value,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    seller_snapshot: serde_json::Value,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    country: String,
    #[diesel(sql_type = Text)]
    language: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    payment_reference: String,
    #[diesel(sql_type = Numeric)]
    amount_due: Decimal,
}

/// What a step reads under the customer's lock.
struct Read {
    overdue: Overdue,
    terms: InvoiceTerms,
    open: Money,
    name: String,
    email: String,
}

/// One step for one invoice, in its chunk's transaction with its customer locked; `None` when
/// another run sent it first or it was paid since the list was read.
fn step(
    conn: &mut PgConnection,
    ctx: &RunContext<'_>,
    ladder: &Ladder,
    candidate: &Candidate,
    level: &Level,
) -> Result<Option<(Sent, bool)>, CollectionsError> {
    let Some(read) = Profile::time(ctx.profile, Phase::Reads, || read(conn, candidate, level))? else {
        return Ok(None);
    };
    let Read { overdue, terms, open, name, email } = read;
    let currency = overdue.currency;
    let fee = level.fee(currency);
    let interest = interest_of(ladder, candidate, level, ctx.today, open)?;
    let charges = Profile::time(ctx.profile, Phase::Charges, || {
        issue_charges(
            conn,
            ctx.publishing,
            &overdue,
            level.level,
            fee,
            open,
            &interest,
            ctx.today,
            ctx.payment_days,
            ctx.now,
        )
    })?;
    let charge_invoice_id = charges.as_ref().map(|(id, _)| *id);
    let charge_number = charges.map(|(_, number)| number);
    let (others, payable) = Profile::time(ctx.profile, Phase::Reads, || {
        let others = other_open(conn, candidate.customer_id, candidate.invoice_id, charge_invoice_id)?;
        let payable = payable(conn, &overdue, &terms, open, &ctx.publishing.seller_country)?;
        Ok::<_, CollectionsError>((others, payable))
    })?;
    let kind = CustomerType::of(candidate.business);
    let notice = Notice {
        overdue: &overdue,
        level: level.level,
        action: level.action,
        sent_on: ctx.today,
        open,
        fee,
        interest: &interest,
        suspension_day: ladder.suspension_day(kind, candidate.due_date),
        charge_number,
        customer_name: name,
        email,
        others,
    };
    let pdf = Profile::time(ctx.profile, Phase::Render, || letter(&notice, &payable, &ctx.publishing.site))?;
    Profile::time(ctx.profile, Phase::Writes, || {
        let document_id =
            crate::documents::store::store_pdf(conn, &format!("{}.pdf", notice.identifier()), &pdf)?;
        crate::failpoint::hit("dunning-before-notice");
        let interest_total = super::interest::total(currency, &interest)?;
        diesel::insert_into(dunning_notices::table)
            .values((
                dunning_notices::invoice_id.eq(candidate.invoice_id),
                dunning_notices::level.eq(level.level),
                dunning_notices::customer_id.eq(candidate.customer_id),
                dunning_notices::action.eq(level.action.as_str()),
                dunning_notices::sent_on.eq(ctx.today),
                dunning_notices::currency.eq(currency.code()),
                dunning_notices::open_amount.eq(open.amount()),
                dunning_notices::fee.eq(fee.amount()),
                dunning_notices::interest.eq(interest_total.amount()),
                dunning_notices::interest_until.eq(if level.charges_interest {
                    Some(ctx.today)
                } else {
                    candidate.interest_until
                }),
                dunning_notices::charge_invoice_id.eq(charge_invoice_id),
                dunning_notices::document_id.eq(Some(document_id)),
                dunning_notices::created_at.eq(ctx.now),
            ))
            .execute(conn)?;
        queue_email(conn, &notice, document_id, &payable, &ctx.publishing.site)?;
        let suspended = match level.action {
            Action::Suspension => super::suspension::suspend(
                conn,
                candidate.customer_id,
                candidate.invoice_id,
                ctx.today,
                ctx.now,
            )?,
            Action::Termination => {
                super::termination::terminate(conn, ctx.close_account, candidate.customer_id)?;
                false
            }
            _ => false,
        };
        Ok(Some((sent(candidate, level, fee, &interest)?, suspended)))
    })
}

/// The notice not yet sent, what is open now (a payment may have come in since the list was
/// read), and the invoice and customer as the notice names them; `None` when there is nothing
/// to send. One round trip: a letter's reads are much of its time.
fn read(
    conn: &mut PgConnection,
    candidate: &Candidate,
    level: &Level,
) -> Result<Option<Read>, CollectionsError> {
    // The customer's language now, not the invoice's: they read the reminder today.
    let row: StepRow = diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM dunning_notices n WHERE n.invoice_id = i.id AND n.level = $2) AS taken,
                b.open_amount, i.customer_snapshot, i.seller_snapshot,
                c.email, c.name, trim(c.country) AS country, c.language,
                i.kind, i.payment_reference, i.amount_due
           FROM invoices i
           JOIN customers c ON c.id = $3
           LEFT JOIN invoice_balances b ON b.invoice_id = i.id
          WHERE i.id = $1",
    )
    .bind::<BigInt, _>(candidate.invoice_id)
    .bind::<diesel::sql_types::Integer, _>(level.level)
    .bind::<BigInt, _>(candidate.customer_id)
    .get_result(conn)?;
    let Some(open) = row.open_amount.filter(|o| *o > Decimal::ZERO && !row.taken) else { return Ok(None) };
    let currency = currency(&candidate.currency)?;
    let overdue = Overdue {
        invoice_id: candidate.invoice_id,
        number: candidate.number.clone(),
        customer_id: candidate.customer_id,
        currency,
        due_date: candidate.due_date,
        language: row.language,
        country: row.country,
        customer_snapshot: row.customer_snapshot,
        seller_snapshot: row.seller_snapshot,
    };
    let terms = InvoiceTerms {
        credit_note: row.kind != "invoice",
        payment_reference: row.payment_reference,
        amount_due: Money::new(row.amount_due, currency),
    };
    Ok(Some(Read { overdue, terms, open: Money::new(open, currency), name: row.name, email: row.email }))
}
