//! Running a claimed job step by step, its progress committed with each step: to the end (the
//! worker), or for a moment (the request that asked for it, which then hands it over).

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use diesel::PgConnection;

use super::{Job, JobError, State, Work};
use crate::audit::Actor;
use crate::db::PgPool;
use crate::incidents::IncidentError;
use crate::incidents::compensation::{self, Flow, IssueReport, Resume};
use crate::site::Site;

/// What jobs need from the deployment, and for how long a claim holds without a step.
#[derive(Debug, Clone)]
pub struct Context {
    pub site: Site,
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
        Err(e) => Err(e),
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
    let (report, finished) =
        compensation::issue_resumable(pool, &context.site, incident, &actor, context.now, resume, &mut step)?;
    Ok(finished.then(|| serde_json::to_value(report).unwrap_or_default()))
}

/// Whether a job in `state` still changes: its page reloads itself until it does not.
pub fn is_open(state: State) -> bool {
    !state.is_finished()
}
