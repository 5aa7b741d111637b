//! Jobs: work longer than a second (issuing an incident's compensation to 100,000
//! subscriptions, importing a 100 MB bank statement), kept in the `jobs` table and claimed with `FOR UPDATE SKIP LOCKED`, so any
//! number of workers on any number of machines share them. A claim holds a lease that every
//! step renews; each step commits its progress (done of total, the result so far) in its own
//! transaction, so a worker that dies leaves the job to the next claim once the lease runs
//! out, and that claim resumes after the last step committed.
//!
//! The request that asks for a job may run its first steps itself for a moment and hand the
//! rest to the worker ([`run::run_for`]), or, for work that is one transaction (a statement
//! import), wait for it a moment and leave it running ([`run::run_within`]); the back office
//! shows the job's progress page.

pub mod billing;
pub mod dunning;
pub mod run;
pub mod vat_ids;
pub mod worker;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Jsonb, Nullable};

use crate::db::schema::jobs;
use crate::ids::UserId;

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("unknown job {0}")]
    UnknownJob(i64),
    #[error("job {id} has parameters Kontor cannot read")]
    BadParams {
        id: i64,
        #[source]
        source: serde_json::Error,
    },
    #[error("stored job data is unreadable: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Incident(#[from] crate::incidents::IncidentError),
    #[error(transparent)]
    Bank(#[from] crate::payments::bank::BankError),
    #[error("starting a job's thread")]
    Thread(#[source] std::io::Error),
    #[error("database pool")]
    Pool(#[source] diesel::r2d2::PoolError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl crate::failure::UserFacing for JobError {
    fn message_id(&self) -> &'static str {
        match self {
            JobError::UnknownJob(_) => "error-not-found",
            JobError::Incident(e) => e.message_id(),
            JobError::Bank(e) => e.message_id(),
            _ => "error-internal",
        }
    }

    fn kind(&self) -> crate::failure::FailureKind {
        match self {
            JobError::UnknownJob(_) => crate::failure::FailureKind::NotFound,
            JobError::Incident(e) if e.message_id() != "error-internal" => crate::failure::FailureKind::Input,
            JobError::Bank(e) if e.message_id() != "error-internal" => crate::failure::FailureKind::Input,
            _ => crate::failure::FailureKind::Internal,
        }
    }
}

/// What a job does, as the `kind` column's CHECK names it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Work {
    /// `incidents::compensation::issue` for one resolved incident, on behalf of `user` at `ip`.
    CompensationIssue { incident: i64, user: Option<UserId>, ip: String },
    /// `payments::bank::import_statement` of the file at `upload` (in the data folder, removed
    /// once the job is done), which `user` uploaded as `file_name`. The seller's accounts and
    /// the return fee are the deployment's at the upload, so a redo imports the same way.
    StatementImport {
        upload: std::path::PathBuf,
        file_name: String,
        user: Option<UserId>,
        return_fee: Option<crate::money::Money>,
        accounts: Vec<crate::payments::bank::OwnAccount>,
    },
}

impl Work {
    pub fn kind(&self) -> Kind {
        match self {
            Work::CompensationIssue { .. } => Kind::CompensationIssue,
            Work::StatementImport { .. } => Kind::StatementImport,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    CompensationIssue,
    StatementImport,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::CompensationIssue, Kind::StatementImport];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::CompensationIssue => "compensation_issue",
            Kind::StatementImport => "statement_import",
        }
    }
}

/// A job's state, as the `state` column's CHECK names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Queued,
    Running,
    Done,
    Failed,
}

impl State {
    pub fn parse(text: &str) -> Option<State> {
        match text {
            "queued" => Some(State::Queued),
            "running" => Some(State::Running),
            "done" => Some(State::Done),
            "failed" => Some(State::Failed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Running => "running",
            State::Done => "done",
            State::Failed => "failed",
        }
    }

    pub fn is_finished(self) -> bool {
        matches!(self, State::Done | State::Failed)
    }
}

/// A job as its progress page shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Job {
    pub id: i64,
    pub work: Work,
    pub state: State,
    pub done: i64,
    pub total: Option<i64>,
    /// What the work reported so far (its own shape per kind).
    pub result: serde_json::Value,
    pub error: Option<String>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

/// A row of `jobs` as the progress page and the runner read it.
#[derive(Queryable, Selectable)]
#[diesel(table_name = jobs)]
struct Row {
    id: i64,
    params: serde_json::Value,
    state: String,
    done: i64,
    total: Option<i64>,
    result: serde_json::Value,
    error: Option<String>,
    created_by: Option<i64>,
    created_at: DateTime<Utc>,
}

fn from_row(row: Row) -> Result<Job, JobError> {
    let Row { id, params, state, done, total, result, error, created_by, created_at } = row;
    let work = serde_json::from_value(params).map_err(|source| JobError::BadParams { id, source })?;
    let state =
        State::parse(&state).ok_or_else(|| JobError::Corrupt(format!("job {id} in state {state:?}")))?;
    Ok(Job { id, work, state, done, total, result, error, created_by: created_by.map(UserId), created_at })
}

/// Queues `work`; returns the job's id. Run it in the transaction of what asks for it.
pub fn enqueue(conn: &mut PgConnection, work: &Work, created_by: Option<UserId>) -> Result<i64, JobError> {
    let params = serde_json::to_value(work).map_err(|e| JobError::Corrupt(e.to_string()))?;
    Ok(diesel::insert_into(jobs::table)
        .values((
            jobs::kind.eq(work.kind().as_str()),
            jobs::params.eq(params),
            jobs::created_by.eq(created_by.map(|u| u.0)),
        ))
        .returning(jobs::id)
        .get_result(conn)?)
}

pub fn find(conn: &mut PgConnection, id: i64) -> Result<Job, JobError> {
    let row: Option<Row> = jobs::table.find(id).select(Row::as_select()).first(conn).optional()?;
    from_row(row.ok_or(JobError::UnknownJob(id))?)
}

/// How many jobs are queued or running: the tests' teardown wants none left behind.
pub fn open_count(conn: &mut PgConnection) -> Result<i64, JobError> {
    Ok(jobs::table.filter(jobs::state.eq_any(["queued", "running"])).count().get_result(conn)?)
}

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Claims the oldest job that is queued, or running under a lease that ran out (its worker
/// died), for `lease_seconds`; `only` restricts the claim to one job. The lease is the
/// database's clock: it measures how long a worker may stay silent, not business time.
pub fn claim(
    conn: &mut PgConnection,
    only: Option<i64>,
    lease_seconds: f64,
) -> Result<Option<Job>, JobError> {
    let claimed: Option<Claimed> = diesel::sql_query(
        "UPDATE jobs SET state = 'running', attempts = attempts + 1,
                lease_until = clock_timestamp() + make_interval(secs => $2)
          WHERE id = (SELECT id FROM jobs
                       WHERE (state = 'queued' OR (state = 'running' AND lease_until < clock_timestamp()))
                         AND ($1::bigint IS NULL OR id = $1)
                       ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING id",
    )
    .bind::<Nullable<BigInt>, _>(only)
    .bind::<Double, _>(lease_seconds)
    .get_result(conn)
    .optional()?;
    claimed.map(|c| find(conn, c.id)).transpose()
}

/// Records a step: `done` of `total` and the result so far, and renews the lease. Run it in
/// the step's transaction, so progress and work commit together.
pub fn progress(
    conn: &mut PgConnection,
    id: i64,
    done: i64,
    total: i64,
    result: &serde_json::Value,
    lease_seconds: f64,
) -> Result<(), diesel::result::Error> {
    diesel::sql_query(
        "UPDATE jobs SET done = $2, total = $3, result = $4,
                lease_until = clock_timestamp() + make_interval(secs => $5)
          WHERE id = $1",
    )
    .bind::<BigInt, _>(id)
    .bind::<BigInt, _>(done)
    .bind::<BigInt, _>(total)
    .bind::<Jsonb, _>(result)
    .bind::<Double, _>(lease_seconds)
    .execute(conn)?;
    Ok(())
}

/// Gives the job back before its lease runs out: the worker takes it from here.
pub fn hand_over(conn: &mut PgConnection, id: i64) -> Result<(), JobError> {
    diesel::sql_query(
        "UPDATE jobs SET lease_until = clock_timestamp() - interval '1 second' WHERE id = $1 AND state = 'running'",
    )
    .bind::<BigInt, _>(id)
    .execute(conn)?;
    Ok(())
}

pub fn finish(conn: &mut PgConnection, id: i64, result: &serde_json::Value) -> Result<(), JobError> {
    close(conn, id, State::Done, Some(result), None)
}

/// A job that cannot succeed by running again: kept with its reason (a Fluent id when the
/// reason is the reader's, else the cause).
pub fn fail(conn: &mut PgConnection, id: i64, error: &str) -> Result<(), JobError> {
    close(conn, id, State::Failed, None, Some(error))
}

/// [`fail`] with what the reason's message names (a refused file's line and arguments), kept
/// as the job's result.
pub fn refuse(
    conn: &mut PgConnection,
    id: i64,
    error: &str,
    details: &serde_json::Value,
) -> Result<(), JobError> {
    close(conn, id, State::Failed, Some(details), Some(error))
}

fn close(
    conn: &mut PgConnection,
    id: i64,
    state: State,
    result: Option<&serde_json::Value>,
    error: Option<&str>,
) -> Result<(), JobError> {
    // Only an open job closes: a second close (a job that finished in the transaction of its
    // work, or that another claim finished first) changes nothing.
    conn.transaction(|conn| {
        let open = [State::Queued.as_str(), State::Running.as_str()];
        let closed = diesel::update(jobs::table.find(id).filter(jobs::state.eq_any(open)))
            .set((
                jobs::state.eq(state.as_str()),
                jobs::error.eq(error),
                jobs::lease_until.eq(None::<DateTime<Utc>>),
                jobs::finished_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
        if let Some(result) = result.filter(|_| closed > 0) {
            diesel::update(jobs::table.find(id)).set(jobs::result.eq(result)).execute(conn)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kinds_are_the_ones_the_database_allows() {
        let migration = include_str!("../../migrations/2026-12-11-000001_statement_import_jobs/up.sql");
        let allowed = crate::db::check_list(migration, "jobs", "kind");
        let ours: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(allowed, ours);
    }
}
