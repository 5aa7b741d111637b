//! Running a claimed job step by step, its progress committed with each step: to the end (the
//! worker), or for a moment (the request that asked for it, which then hands it over).

use std::cell::RefCell;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use diesel::{Connection, PgConnection};

use super::{Job, JobError, State, Work};
use crate::audit::Actor;
use crate::db::PgPool;
use crate::ids::UserId;
use crate::incidents::IncidentError;
use crate::incidents::compensation::{self, Flow, IssueReport, Resume};
use crate::payments::bank::{self, BankError, ImportRequest, OwnAccount};
use crate::payments::sepa::ReturnContext;
use crate::site::Site;

/// How long the request that starts a job runs it (or waits for it) before the job's progress
/// page takes over.
pub const FIRST_STEPS: Duration = Duration::from_secs(2);

/// What jobs need from the deployment, and for how long a claim holds without a step.
#[derive(Debug, Clone)]
pub struct Context {
    pub site: Site,
    /// Whose VAT rules price a free month of compensation.
    pub seller: crate::tax::Seller,
    pub now: DateTime<Utc>,
    pub lease_seconds: f64,
}

/// How a run of a job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ran {
    /// Every step is done; the result is stored.
    Done,
    /// Refused for a reason the reader is told (a Fluent id); the job is failed with it.
    Refused(&'static str),
    /// The time given ran out; the job waits for the worker to go on.
    HandedOver,
}

fn connection(pool: &PgPool) -> Result<crate::db::PooledPg, JobError> {
    pool.get().map_err(JobError::Pool)
}

/// Claims the oldest claimable job and runs it to the end: the worker's round. `None` when
/// there is nothing to do.
pub fn run_next(pool: &PgPool, context: &Context) -> Result<Option<(i64, Ran)>, JobError> {
    let Some(job) = super::claim(&mut *connection(pool)?, None, context.lease_seconds)? else {
        return Ok(None);
    };
    Ok(Some((job.id, run(pool, context, &job, None)?)))
}

/// Claims job `id` and runs it for at most `budget`, then hands it over: the request that
/// asked for it shows the result at once when the job is short. `None` when another
/// process holds it or it is finished.
pub fn run_for(pool: &PgPool, context: &Context, id: i64, budget: Duration) -> Result<Option<Ran>, JobError> {
    let Some(job) = super::claim(&mut *connection(pool)?, Some(id), context.lease_seconds)? else {
        return Ok(None);
    };
    run(pool, context, &job, Some(Instant::now() + budget)).map(Some)
}

/// Runs job `id` ([`run_for`]) on a thread of its own and waits for it at most `budget`: the
/// request that asked for work that is one transaction and cannot stop at a step (a statement
/// import) shows its result when it is quick, and otherwise leaves it running in this process,
/// its lease renewed with each progress report. Should the process stop first, the lease runs
/// out and the worker does the job again. `None` when it still runs (here or elsewhere).
pub fn run_within(
    pool: &PgPool,
    context: &Context,
    id: i64,
    budget: Duration,
) -> Result<Option<Ran>, JobError> {
    let (sender, receiver) = std::sync::mpsc::sync_channel(1);
    let (pool, context) = (pool.clone(), context.clone());
    std::thread::Builder::new()
        .name("kontor-job".to_owned())
        .spawn(move || {
            // Nobody waits any more: the log hears how it ended.
            if let Err(unheard) = sender.send(run_for(&pool, &context, id, budget)) {
                match unheard.0 {
                    Ok(ran) => tracing::info!(job = id, ?ran, "job run"),
                    Err(error) => {
                        tracing::error!(job = id, error = %crate::failure::cause_chain(&error), "running a job")
                    }
                }
            }
        })
        .map_err(JobError::Thread)?;
    // Polled rather than `recv_timeout`: its absolute futex deadline never comes under a
    // shifted clock (faketime, a VM resumed), and the request must answer in any case.
    let deadline = Instant::now() + budget;
    loop {
        match receiver.try_recv() {
            Ok(ran) => return ran,
            // Its thread died: the lease tells the worker when to take the job.
            Err(std::sync::mpsc::TryRecvError::Disconnected) => return Ok(None),
            // Still running: after the budget, the worker takes it over when its lease ends.
            Err(std::sync::mpsc::TryRecvError::Empty) if Instant::now() >= deadline => {
                return Ok(None);
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// Runs a claimed `job` from its last committed step until done or `deadline`. A failure
/// the reader must hear about fails the job; any other error leaves it to a later claim.
fn run(pool: &PgPool, context: &Context, job: &Job, deadline: Option<Instant>) -> Result<Ran, JobError> {
    let outcome = match &job.work {
        Work::CompensationIssue { incident, user, ip } => compensation_issue(
            pool,
            context,
            job,
            *incident,
            Actor { user: *user, ip: ip.clone(), login: None },
            deadline,
        ),
        Work::StatementImport { upload, file_name, user, return_fee, accounts } => {
            let returns = ReturnContext { site: context.site.clone(), return_fee: *return_fee };
            let import = StatementImport { upload, file_name, user: *user, returns: &returns, accounts };
            statement_import(pool, context, job, &import)
        }
    };
    let mut conn = connection(pool)?;
    match outcome {
        Ok(Some(result)) => {
            super::finish(&mut conn, job.id, &result)?;
            Ok(Ran::Done)
        }
        Ok(None) => {
            super::hand_over(&mut conn, job.id)?;
            Ok(Ran::HandedOver)
        }
        Err(JobError::Incident(e)) if e.message_id() != "error-internal" => {
            super::fail(&mut conn, job.id, e.message_id())?;
            Ok(Ran::Refused(e.message_id()))
        }
        Err(JobError::Bank(e)) if e.message_id() != "error-internal" => {
            let details = serde_json::json!({ "line": e.line(), "args": e.message_args() });
            super::refuse(&mut conn, job.id, e.message_id(), &details)?;
            Ok(Ran::Refused(e.message_id()))
        }
        Err(e) => Err(e),
    }
}

/// What a statement import job imports, and for whom.
struct StatementImport<'a> {
    upload: &'a Path,
    file_name: &'a str,
    user: Option<UserId>,
    returns: &'a ReturnContext,
    accounts: &'a [OwnAccount],
}

/// How far a statement import got, as its job keeps it while it runs.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ImportProgress {
    pub entries_read: u64,
}

/// Imports the statement in one transaction, which finishes the job too; the file goes once
/// the job is done or refused. The deadline cannot stop it: a crash rolls all of it back, and
/// the next claim imports the file again (each movement once, by its identity).
fn statement_import(
    pool: &PgPool,
    context: &Context,
    job: &Job,
    import: &StatementImport<'_>,
) -> Result<Option<serde_json::Value>, JobError> {
    let file = std::fs::File::open(import.upload).map_err(|e| BankError::Unreadable {
        file: Some(import.upload.display().to_string()),
        source: Box::new(e),
    })?;
    let size = file.metadata().map(|m| i64::try_from(m.len()).unwrap_or(i64::MAX)).unwrap_or(0);
    let read = AtomicU64::new(0);
    // Progress commits on a connection of its own, outside the import's transaction.
    let reporter: RefCell<Option<crate::db::PooledPg>> = RefCell::new(None);
    let progress = |entries_read: u64| {
        let value = serde_json::to_value(ImportProgress { entries_read }).unwrap_or_default();
        let done = i64::try_from(read.load(Ordering::Relaxed)).unwrap_or(i64::MAX).min(size);
        let mut reporter = reporter.borrow_mut();
        if reporter.is_none() {
            match connection(pool) {
                Ok(conn) => *reporter = Some(conn),
                Err(error) => {
                    tracing::warn!(job = job.id, error = %crate::failure::cause_chain(&error), "reporting progress");
                    return;
                }
            }
        }
        if let Some(conn) = reporter.as_mut()
            && let Err(error) = super::progress(conn, job.id, done, size, &value, context.lease_seconds)
        {
            tracing::warn!(job = job.id, %error, "reporting progress");
        }
    };
    let input = Counting { inner: file, read: &read };
    let request = ImportRequest {
        file_name: import.file_name,
        actor: import.user,
        now: context.now,
        returns: import.returns,
        accounts: import.accounts,
    };
    // The web has always recorded imports without the address.
    let who = Actor { user: import.user, ip: String::new(), login: None };
    let imported = connection(pool)?.transaction(|conn| {
        let reader = std::io::BufReader::with_capacity(256 * 1024, input);
        let summary = bank::import_statement(conn, reader, &request, &who, &progress)?;
        let result = serde_json::to_value(&summary).unwrap_or_default();
        super::finish(conn, job.id, &result)?;
        Ok::<_, JobError>(result)
    });
    let finished = match &imported {
        Ok(_) => true,
        Err(JobError::Bank(e)) => e.message_id() != "error-internal",
        Err(_) => false,
    };
    if finished && let Err(error) = std::fs::remove_file(import.upload) {
        tracing::warn!(job = job.id, %error, file = %import.upload.display(), "removing an imported statement");
    }
    imported.map(Some)
}

/// A reader that counts the bytes read through it: how far into the file an import is.
struct Counting<'a, R> {
    inner: R,
    read: &'a AtomicU64,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The result when every subscription is done, `None` when the deadline stopped it first.
fn compensation_issue(
    pool: &PgPool,
    context: &Context,
    job: &Job,
    incident: i64,
    actor: Actor,
    deadline: Option<Instant>,
) -> Result<Option<serde_json::Value>, JobError> {
    // A job not started has an empty result; one resumed carries the report of its steps.
    let so_far: IssueReport = serde_json::from_value(job.result.clone()).unwrap_or_default();
    let resume = Resume { start: usize::try_from(job.done).unwrap_or_default(), so_far };
    let mut step = |conn: &mut PgConnection, done: usize, total: usize, report: &IssueReport| {
        let value = serde_json::to_value(report).map_err(|e| IncidentError::Corrupt(e.to_string()))?;
        let (done, total) =
            (i64::try_from(done).unwrap_or(i64::MAX), i64::try_from(total).unwrap_or(i64::MAX));
        super::progress(conn, job.id, done, total, &value, context.lease_seconds)?;
        // A worker killed here loses this step: its work and its progress roll back together.
        crate::failpoint::hit("job-step-recorded");
        Ok(if deadline.is_some_and(|d| Instant::now() >= d) { Flow::Stop } else { Flow::Continue })
    };
    let (report, finished) = compensation::issue_resumable(
        pool,
        &context.site,
        &context.seller,
        incident,
        &actor,
        context.now,
        resume,
        &mut step,
    )?;
    Ok(finished.then(|| serde_json::to_value(report).unwrap_or_default()))
}

/// Whether a job in `state` still changes: its page reloads itself until it does not.
pub fn is_open(state: State) -> bool {
    !state.is_finished()
}
