//! A job's progress page in the back office: how far it got, and its result once done. It
//! reloads itself while the job runs; reloading or leaving it changes nothing.

use actix_web::{HttpResponse, web};
use tera::Context;

use super::WebError;
use super::access::Finance;
use super::env::Env;
use super::form::path_id;
use super::incident_admin::issued_notice;
use super::render::page;
use crate::i18n::{t, t_args};
use crate::jobs::{self, State, Work};

pub async fn show(env: Env, _: Finance, id: web::Path<String>) -> Result<HttpResponse, WebError> {
    let id = path_id(&env.lang, &id)?;
    let job = env.run(move |conn| jobs::find(conn, id)).await?;
    let lang = &env.lang;
    let (title, back) = match &job.work {
        Work::CompensationIssue { incident, .. } => (
            t_args(lang, "job-compensation-issue", &[("incident", (*incident).into())]),
            format!("/backoffice/incidents/{incident}"),
        ),
    };
    let total = job.total.unwrap_or(0);
    let status = match job.state {
        State::Queued => t(lang, "job-queued"),
        State::Running => t_args(lang, "job-running", &[("done", job.done.into()), ("total", total.into())]),
        State::Done => match &job.work {
            Work::CompensationIssue { .. } => issued_notice(lang, &job.result),
        },
        State::Failed => t_args(
            lang,
            "job-failed",
            &[("reason", t(lang, job.error.as_deref().unwrap_or("error-internal")).into())],
        ),
    };
    let percent = if total > 0 { job.done.saturating_mul(100) / total } else { 0 };
    let mut context = Context::new();
    context.insert("title", &title);
    context.insert("status", &status);
    context.insert("percent", &percent);
    context.insert("running", &!job.state.is_finished());
    context.insert("back", &back);
    page("pages/job.html", &env, context)
}
