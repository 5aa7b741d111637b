//! Back office, finance: upload bank statements and work the reconciliation queue.

use actix_multipart::Multipart;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::Deserialize;
use tera::Context;

use super::access::Finance;
use super::csrf::{CSRF_COOKIE, CSRF_FIELD};
use super::env::Env;
use super::form::{Form, SUBMISSION_FIELD, SubmissionKey};
use super::render::page;
use super::submit::Outcome;
use super::{Problem, WebError};
use crate::audit::Actor;
use crate::i18n::format::money_in;
use crate::i18n::{Lang, t, t_args};
use crate::jobs::run::{FIRST_STEPS, Ran};
use crate::jobs::worker::LEASE_SECONDS;
use crate::jobs::{self, Work};
use crate::payments::bank::queue::{self, Target};
use crate::payments::bank::{BankError, Summary};
use crate::token::constant_time_eq;

/// Largest statement accepted through the browser; larger files go through `kontor bank import`.
const MAX_UPLOAD_BYTES: usize = 200 * 1024 * 1024;

/// A bank error as the reader's language says it; file errors name the line.
fn error_text(lang: &Lang, error: &BankError) -> String {
    refusal_text(lang, error.message_id(), error.line(), error.message_args())
}

/// A refusal as the reader's language says it: the message `id` with `args`, and the line of
/// the file when it names one.
fn refusal_text<N: AsRef<str>>(lang: &Lang, id: &str, line: Option<u64>, args: Vec<(N, String)>) -> String {
    let args: Vec<_> = args.iter().map(|(name, value)| (name.as_ref(), value.clone().into())).collect();
    let reason = t_args(lang, id, &args);
    match line {
        Some(line) => {
            t_args(lang, "bank-import-refused", &[("line", line.into()), ("reason", reason.into())])
        }
        None => reason,
    }
}

/// Why a statement import job was refused: its Fluent id and the details it kept as its result
/// (see `jobs::run`).
pub(super) fn refused_job_text(lang: &Lang, id: &str, details: &serde_json::Value) -> String {
    #[derive(Deserialize, Default)]
    struct Details {
        line: Option<u64>,
        #[serde(default)]
        args: Vec<(String, String)>,
    }
    let details: Details = serde_json::from_value(details.clone()).unwrap_or_default();
    refusal_text(lang, id, details.line, details.args)
}

/// What a statement import job did, from its result.
pub(super) fn imported_text(lang: &Lang, result: &serde_json::Value) -> String {
    summary_text(lang, &serde_json::from_value(result.clone()).unwrap_or_default())
}

fn summary_text(lang: &Lang, s: &Summary) -> String {
    let n = |v: u64| fluent_templates::fluent_bundle::FluentValue::from(v);
    let text = t_args(
        lang,
        "bank-import-summary",
        &[
            ("read", n(s.entries_read)),
            ("new", n(s.new_transactions)),
            ("paid", n(s.paid)),
            ("partly", n(s.partly_paid)),
            ("overpaid", n(s.overpaid)),
            ("unmatched", n(s.unmatched)),
            ("already", n(s.already_imported)),
            ("returned", n(s.returned)),
            ("ignored", n(s.ignored + s.not_booked)),
        ],
    );
    if s.paid_out + s.payouts_returned == 0 {
        return text;
    }
    let payouts =
        t_args(lang, "bank-import-payouts", &[("paid", n(s.paid_out)), ("returned", n(s.payouts_returned))]);
    format!("{text} {payouts}")
}

pub async fn bank_page(env: Env, _: Finance) -> Result<HttpResponse, WebError> {
    bank_view(&env, None, None).await
}

async fn bank_view(
    env: &Env,
    notice: Option<String>,
    error: Option<String>,
) -> Result<HttpResponse, WebError> {
    let items =
        env.db(|conn| Ok(queue::list(conn, 200))).await?.map_err(|e| WebError::internal(&env.lang, e))?;
    let lang = env.lang.clone();
    let rows: Vec<serde_json::Value> = items
        .iter()
        .map(|item| {
            let suggestions: Vec<serde_json::Value> = item
                .suggestions
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "customer": crate::invoicing::customer_number(s.customer_id),
                        "customer_id": s.customer_id,
                        "name": s.customer_name,
                        "reason": t(&lang, &format!("bank-suggestion-{}", s.reason)),
                        "invoice": s.invoice_number,
                        "open": s.open_amount.map(|o| money_in(&lang, o, &item.currency)),
                        "exact": s.exact_amount,
                    })
                })
                .collect();
            serde_json::json!({
                "id": item.id,
                "refund": item.state == "refund",
                "date": crate::i18n::format::date(&lang, item.booking_date),
                "amount": money_in(&lang, item.amount, &item.currency),
                "payer": item.debtor_name,
                "iban": item.debtor_iban,
                "text": item.remittance.clone().or(item.creditor_reference.clone()),
                "suggestions": suggestions,
            })
        })
        .collect();
    let mut context = Context::new();
    context.insert("rows", &rows);
    context.insert("notice", &notice);
    context.insert("error", &error);
    page("pages/bank.html", env, context)
}

/// A small text field of a multipart form.
async fn short_field(
    field: &mut actix_multipart::Field,
    lang: &crate::i18n::Lang,
) -> Result<Vec<u8>, WebError> {
    let mut value = Vec::new();
    while let Some(chunk) = field.next().await {
        value.extend_from_slice(&chunk.map_err(|e| WebError::bad_request(lang, "form-unreadable", e))?);
        if value.len() > 256 {
            return Err(WebError::bad_request(lang, "form-unreadable", "field too long"));
        }
    }
    Ok(value)
}

/// The upload: a multipart form whose first fields are the CSRF token and the submission key,
/// then the file, which is streamed to a file in the data folder and imported from there by a
/// job (all of it or nothing): a short import shows its summary at once, a long one the job's
/// progress page. The gate admitted finance staff before any byte of it was read.
pub async fn upload(
    env: Env,
    _: Finance,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, WebError> {
    let now = env.now;
    let lang = env.lang.clone();
    let refuse = |cause: &str| WebError::new(&lang, Problem::Csrf, cause);
    let mut form = Multipart::new(req.headers(), payload);
    let expected = req.cookie(CSRF_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    let mut token_ok = false;
    let mut key: Option<SubmissionKey> = None;
    let mut file: Option<(tempfile_path::ScratchFile, String)> = None;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| WebError::bad_request(&lang, "form-unreadable", e))?;
        let name = field.name().unwrap_or_default().to_owned();
        if name == CSRF_FIELD {
            let value = short_field(&mut field, &lang).await?;
            token_ok = !expected.is_empty() && constant_time_eq(&value, expected.as_bytes());
        } else if name == SUBMISSION_FIELD {
            let value = short_field(&mut field, &lang).await?;
            key = std::str::from_utf8(&value).ok().and_then(SubmissionKey::parse);
        } else if name == "statement" {
            if !token_ok {
                return Err(refuse("csrf token must come first"));
            }
            if key.is_none() {
                return Err(WebError::bad_request(
                    &lang,
                    "form-expired",
                    "no submission key before the file",
                ));
            }
            let file_name = field
                .content_disposition()
                .and_then(|d| d.get_filename())
                .unwrap_or("statement.xml")
                .to_owned();
            let mut scratch = tempfile_path::ScratchFile::create(&env.settings().data_dir)
                .map_err(|e| WebError::internal(&lang, e))?;
            let mut size = 0usize;
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(|e| WebError::internal(&lang, e))?;
                size += chunk.len();
                if size > MAX_UPLOAD_BYTES {
                    return bank_view(&env, None, Some(t(&lang, "bank-upload-too-large"))).await;
                }
                scratch.write(&chunk).map_err(|e| WebError::internal(&lang, e))?;
            }
            file = Some((scratch, file_name));
        }
    }
    if !token_ok {
        return Err(refuse("csrf token mismatch"));
    }
    let key = key.ok_or_else(|| WebError::bad_request(&lang, "form-expired", "no submission key"))?;
    let Some((scratch, file_name)) = file else {
        return bank_view(&env, None, Some(t(&lang, "bank-upload-missing"))).await;
    };
    // A statement is booked once whatever happens (each movement by its identity); the key
    // makes sending the form again lead where the first went instead of to a second import.
    if let Some(again) = env.claim(&key).await? {
        return Ok(again);
    }
    let user = env.session.as_ref().map(|s| s.user.id);
    let work = Work::StatementImport {
        upload: scratch.path().to_owned(),
        file_name,
        user,
        return_fee: env.settings().sepa_returns().return_fee,
        accounts: env.settings().own_bank_accounts(),
    };
    let started = env.run(move |conn| jobs::enqueue(conn, &work, user)).await;
    let job = match started {
        Ok(job) => job,
        Err(error) => {
            env.release(&key).await?;
            return Err(error);
        }
    };
    // The job has the file now: it removes it when done.
    scratch.keep();
    let context = jobs::run::Context {
        site: env.settings().site(),
        seller: env.settings().billing().seller,
        now,
        lease_seconds: LEASE_SECONDS,
    };
    let pool = env.state.pool.clone();
    let ran = web::block(move || jobs::run::run_within(&pool, &context, job, FIRST_STEPS))
        .await
        .map_err(|e| WebError::internal(&lang, e))
        .and_then(|ran| ran.map_err(|e| WebError::from_failure(&lang, &e)));
    match ran {
        Ok(Some(Ran::Done)) => {
            let done = env.run(move |conn| jobs::find(conn, job)).await?;
            let summary = imported_text(&env.lang, &done.result);
            env.finish(&key, "/backoffice/bank".to_owned(), Some(summary)).await
        }
        Ok(Some(Ran::Refused(message))) => {
            env.release(&key).await?;
            let refused = env.run(move |conn| jobs::find(conn, job)).await?;
            bank_view(&env, None, Some(refused_job_text(&env.lang, message, &refused.result))).await
        }
        Ok(Some(Ran::HandedOver) | None) => env.finish(&key, format!("/backoffice/jobs/{job}"), None).await,
        Err(error) => {
            env.release(&key).await?;
            Err(error)
        }
    }
}

#[derive(Deserialize)]
pub struct QueueForm {
    #[serde(default)]
    id: i64,
    /// Invoice numbers, separated by commas or spaces.
    #[serde(default)]
    invoices: String,
    /// A customer number (`K000042`) or id, for "to customer credit".
    #[serde(default)]
    customer: String,
}

/// One action on the queue, once per submission key; a refusal shows the queue with why.
async fn queue_action(
    env: &Env,
    who: &Finance,
    key: &SubmissionKey,
    action: impl FnOnce(&mut diesel::PgConnection, &Actor, DateTime<Utc>) -> Result<(), BankError>
    + Send
    + 'static,
    done_key: &'static str,
) -> Result<HttpResponse, WebError> {
    let (user, ip) = (who.user.id, env.ip.clone());
    let now = env.now;
    let notice = t(&env.lang, done_key);
    let outcome = env
        .submit(key, move |conn| {
            let actor = Actor::person(user, ip);
            match action(conn, &actor, now) {
                Ok(()) => Ok(Outcome::noted("/backoffice/bank", notice)),
                Err(error) if error.message_id() != "error-internal" => Ok(Outcome::Refused(error)),
                Err(error) => Err(error),
            }
        })
        .await?;
    match outcome {
        Ok(done) => Ok(done),
        Err(error) => bank_view(env, None, Some(error_text(&env.lang, &error))).await,
    }
}

pub async fn assign(env: Env, who: Finance, form: Form<QueueForm>) -> Result<HttpResponse, WebError> {
    let (key, form) = (form.key, form.fields);
    let id = form.id;
    let target = if form.customer.trim().is_empty() {
        Target::Invoices(
            form.invoices
                .split([',', ' ', ';'])
                .filter(|n| !n.trim().is_empty())
                .map(|n| n.trim().to_owned())
                .collect(),
        )
    } else {
        let digits = form.customer.trim().trim_start_matches(['K', 'k']);
        match digits.parse::<i64>() {
            Ok(customer) => Target::Credit(customer),
            Err(_) => return bank_view(&env, None, Some(t(&env.lang, "bank-unknown-customer"))).await,
        }
    };
    let site = env.settings().site();
    queue_action(
        &env,
        &who,
        &key,
        move |conn, actor, now| queue::assign(conn, &site, id, &target, actor, now).map(|_| ()),
        "bank-assigned",
    )
    .await
}

pub async fn refund(env: Env, who: Finance, form: Form<QueueForm>) -> Result<HttpResponse, WebError> {
    let id = form.fields.id;
    queue_action(
        &env,
        &who,
        &form.key,
        move |conn, actor, now| queue::mark_for_refund(conn, id, actor, now),
        "bank-refund-marked",
    )
    .await
}

pub async fn undo(env: Env, who: Finance, form: Form<QueueForm>) -> Result<HttpResponse, WebError> {
    let id = form.fields.id;
    queue_action(
        &env,
        &who,
        &form.key,
        move |conn, actor, now| queue::undo(conn, id, actor, now),
        "bank-undone",
    )
    .await
}

/// A file under the data folder for one upload, removed when dropped unless kept.
mod tempfile_path {
    use std::io::Write;
    use std::path::{Path, PathBuf};

    pub struct ScratchFile {
        path: PathBuf,
        file: std::fs::File,
        kept: bool,
    }

    impl ScratchFile {
        pub fn create(data_dir: &Path) -> std::io::Result<ScratchFile> {
            let dir = data_dir.join("uploads");
            std::fs::create_dir_all(&dir)?;
            let name = format!(
                "statement-{}-{}.xml",
                std::process::id(),
                crate::token::Token::generate().map(|t| t.as_str().to_owned()).unwrap_or_default()
            );
            let path = dir.join(name);
            let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path)?;
            Ok(ScratchFile { path, file, kept: false })
        }

        pub fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
            self.file.write_all(bytes)
        }

        pub fn path(&self) -> &Path {
            &self.path
        }

        /// Closes the file and leaves it in place: whoever took its path removes it.
        pub fn keep(mut self) {
            self.kept = true;
        }
    }

    impl Drop for ScratchFile {
        fn drop(&mut self) {
            if !self.kept {
                let _ = std::fs::remove_file(&self.path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_names_payouts_only_when_a_statement_had_some() {
        let lang = Lang::english();
        let plain = Summary { entries_read: 2, paid: 2, ..Summary::default() };
        assert!(!summary_text(&lang, &plain).contains("Payouts"));
        let with = Summary { paid_out: 3, payouts_returned: 1, ..plain };
        assert!(summary_text(&lang, &with).ends_with("Payouts: 3 paid out, 1 returned by the bank."));
    }
}
