//! A job's progress page in the back office (issuing compensation, importing a statement): how
//! far it got, and its result once done. It reloads itself while the job runs; reloading or
//! leaving it changes nothing.

use actix_web::{HttpResponse, web};
use tera::Context;

use super::WebError;
use super::access::Finance;
use super::bank_pages::{imported_text, refused_job_text};
use super::env::Env;
use super::form::path_id;
use super::incident_admin::issued_notice;
use super::render::page;
use crate::i18n::{t, t_args};
use crate::jobs::run::ImportProgress;
use crate::jobs::{self, State, Work};

pub async fn show(env: Env, _: Finance, id: web::Path<String>) -> Result<HttpResponse, WebError> {
    let id = path_id(&env.lang, &id)?;
    let job = env.run(move |conn| jobs::find(conn, id)).await?;
    let lang = &env.lang;
    let (title, back, back_text) = match &job.work {
        Work::CompensationIssue { incident, .. } => (
            t_args(lang, "job-compensation-issue", &[("incident", (*incident).into())]),
            format!("/backoffice/incidents/{incident}"),
            t(lang, "job-back"),
        ),
        Work::StatementImport { file_name, .. } => (
            t_args(lang, "job-statement-import", &[("file", file_name.clone().into())]),
            "/backoffice/bank".to_owned(),
            t(lang, "job-back-bank"),
        ),
    };
    let total = job.total.unwrap_or(0);
    let error = job.error.as_deref().unwrap_or("error-internal");
    let status = match (job.state, &job.work) {
        (State::Queued, _) => t(lang, "job-queued"),
        (State::Running, Work::CompensationIssue { .. }) => {
            t_args(lang, "job-running", &[("done", job.done.into()), ("total", total.into())])
        }
        (State::Running, Work::StatementImport { .. }) => {
            let read: ImportProgress = serde_json::from_value(job.result.clone()).unwrap_or_default();
            t_args(lang, "job-statement-import-running", &[("entries", read.entries_read.into())])
        }
        (State::Done, Work::CompensationIssue { .. }) => issued_notice(lang, &job.result),
        (State::Done, Work::StatementImport { .. }) => imported_text(lang, &job.result),
        (State::Failed, Work::CompensationIssue { .. }) => {
            t_args(lang, "job-failed", &[("reason", t(lang, error).into())])
        }
        (State::Failed, Work::StatementImport { .. }) => {
            t_args(lang, "job-failed", &[("reason", refused_job_text(lang, error, &job.result).into())])
        }
    };
    let percent = if total > 0 { job.done.saturating_mul(100) / total } else { 0 };
    let mut context = Context::new();
    context.insert("title", &title);
    context.insert("status", &status);
    context.insert("percent", &percent);
    context.insert("running", &!job.state.is_finished());
    context.insert("back", &back);
    context.insert("back_text", &back_text);
    page("pages/job.html", &env, context)
}
