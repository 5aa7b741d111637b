//! The outbox: mail is a row written in the same transaction as the action that causes it,
//! so an email is never sent for something that rolled back, and never lost for something
//! that committed. Workers claim rows with `FOR UPDATE SKIP LOCKED`, so any number of them
//! can deliver side by side; a transient failure is retried with growing pauses, a permanent
//! one (or `MAX_ATTEMPTS` transient ones) marks the row failed for a person to look at.
//!
//! Exactly once, almost: a row is claimed, sent and marked sent in one transaction that holds
//! its row lock during the SMTP exchange, so two workers never send the same row. The one
//! window left is a crash (or lost database connection) after the SMTP server accepted the
//! message and before the commit: the row is then sent again later, with the same
//! Message-ID, so receiving systems can recognise the duplicate.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use sha2::{Digest, Sha256};

use super::MailError;
use super::transport::{StoredAttachment, StoredMail, Transport};
use crate::audit::{self, Actor};
use crate::db::schema::{documents, mail_outbox};

/// Transient failures after which a message counts as failed (`last_error` says why).
pub const MAX_ATTEMPTS: i32 = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// One mail per business fact, e.g. `verify:<user>:<token hash>`: enqueueing twice is a no-op.
    pub idempotency_key: String,
    pub recipient: String,
    pub language: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    /// A stored document (`documents.id`) attached at delivery under its file name.
    pub attachment_document_id: Option<i64>,
    /// A single-use link's secret in the body, removed from the stored row once it is no
    /// longer needed.
    pub secret: Option<MailSecret>,
    /// The one-click unsubscribe URL of a mailing (RFC 8058), sent as `List-Unsubscribe` with
    /// `List-Unsubscribe-Post`; a secret in it is forgotten with the body's.
    pub list_unsubscribe: Option<String>,
}

/// A secret written into an email's body (the token of a verification or reset link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSecret {
    pub value: String,
    /// When the link dies: the secret is removed from the row then, even if undelivered.
    pub expires_at: DateTime<Utc>,
}

/// What stands where a secret was.
pub const REDACTED: &str = "[removed]";

/// The body without the secret. Secrets are long random tokens, so they occur nowhere else.
fn redact(text: &str, secret: &str) -> String {
    text.replace(secret, REDACTED)
}

/// The Message-ID of an outbox row, without angle brackets: `<row id>.<first 12 hex digits of
/// SHA-256 of the idempotency key>@<mail domain>`. It names the row for people reading a
/// bounce, and the hash keeps it unique across databases that reuse row ids.
pub fn message_id(row_id: i64, idempotency_key: &str, mail_domain: &str) -> String {
    format!("{row_id}.{}", message_id_suffix(idempotency_key, mail_domain))
}

fn message_id_suffix(idempotency_key: &str, mail_domain: &str) -> String {
    let hash = hex::encode(Sha256::digest(idempotency_key.as_bytes()));
    format!("{}@{mail_domain}", &hash[..12])
}

/// Queues `mail` inside the caller's transaction. Returns false when it was already queued.
/// The row id is taken from its sequence first, so the Message-ID derived from it is written
/// with the row in one statement.
pub fn enqueue(conn: &mut PgConnection, mail: &OutgoingMail, mail_domain: &str) -> Result<bool, MailError> {
    let inserted = diesel::sql_query(
        "WITH next AS (SELECT nextval(pg_get_serial_sequence('mail_outbox', 'id')) AS id) \
         INSERT INTO mail_outbox (id, idempotency_key, message_id, recipient, language, subject, \
                                  text_body, html_body, attachment_document_id, secret, secret_expires_at, \
                                  list_unsubscribe) \
         OVERRIDING SYSTEM VALUE \
         SELECT next.id, $1, next.id::text || '.' || $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM next \
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind::<Text, _>(&mail.idempotency_key)
    .bind::<Text, _>(message_id_suffix(&mail.idempotency_key, mail_domain))
    .bind::<Text, _>(&mail.recipient)
    .bind::<Text, _>(&mail.language)
    .bind::<Text, _>(&mail.subject)
    .bind::<Text, _>(&mail.text_body)
    .bind::<Text, _>(&mail.html_body)
    .bind::<Nullable<BigInt>, _>(mail.attachment_document_id)
    .bind::<Nullable<Text>, _>(mail.secret.as_ref().map(|s| s.value.as_str()))
    .bind::<Nullable<diesel::sql_types::Timestamptz>, _>(mail.secret.as_ref().map(|s| s.expires_at))
    .bind::<Nullable<Text>, _>(mail.list_unsubscribe.as_deref())
    .execute(conn)?;
    Ok(inserted == 1)
}

/// Queues many emails in one statement (the batch's invoice emails); returns how many were
/// new. Same rules as [`enqueue`]: one row per idempotency key, Message-ID from the row id.
/// Emails with a secret go through [`enqueue`].
pub fn enqueue_many(
    conn: &mut PgConnection,
    mails: &[OutgoingMail],
    mail_domain: &str,
) -> Result<usize, MailError> {
    use diesel::sql_types::Array;
    if mails.is_empty() {
        return Ok(0);
    }
    if mails.iter().any(|m| m.secret.is_some() || m.list_unsubscribe.is_some()) {
        return Err(MailError::Build {
            what: Some("emails with a secret or an unsubscribe link are queued one by one".to_owned()),
            source: None,
        });
    }
    // Borrowed, not copied: a chunk of rendered emails is megabytes.
    let column = |field: fn(&OutgoingMail) -> &str| mails.iter().map(field).collect::<Vec<&str>>();
    let suffixes: Vec<String> =
        mails.iter().map(|m| message_id_suffix(&m.idempotency_key, mail_domain)).collect();
    let attachments: Vec<Option<i64>> = mails.iter().map(|m| m.attachment_document_id).collect();
    // nextval() in the inner select list runs once per row.
    let inserted = diesel::sql_query(
        "INSERT INTO mail_outbox (id, idempotency_key, message_id, recipient, language, subject, \
                                  text_body, html_body, attachment_document_id) \
         OVERRIDING SYSTEM VALUE \
         SELECT id, key, id::text || '.' || suffix, recipient, language, subject, text_body, html_body, attachment \
           FROM (SELECT nextval(pg_get_serial_sequence('mail_outbox', 'id')) AS id, v.* \
                   FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
                               $7::text[], $8::bigint[]) \
                        AS v(key, suffix, recipient, language, subject, text_body, html_body, attachment)) s \
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind::<Array<Text>, _>(column(|m| &m.idempotency_key))
    .bind::<Array<Text>, _>(&suffixes)
    .bind::<Array<Text>, _>(column(|m| &m.recipient))
    .bind::<Array<Text>, _>(column(|m| &m.language))
    .bind::<Array<Text>, _>(column(|m| &m.subject))
    .bind::<Array<Text>, _>(column(|m| &m.text_body))
    .bind::<Array<Text>, _>(column(|m| &m.html_body))
    .bind::<Array<Nullable<BigInt>>, _>(&attachments)
    .execute(conn)?;
    Ok(inserted)
}

/// What one delivery round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    /// Failed for now; tried again after a pause.
    pub retrying: usize,
    /// Refused for good, or out of attempts: marked failed.
    pub failed: usize,
}

impl DeliveryReport {
    pub fn is_empty(&self) -> bool {
        *self == DeliveryReport::default()
    }
}

/// How a claimed row ended.
enum Outcome {
    Sent,
    Retrying,
    Failed,
}

type Claimed = (
    i64,
    String,
    String,
    String,
    String,
    String,
    DateTime<Utc>,
    i32,
    Option<i64>,
    Option<String>,
    Option<String>,
);

/// Delivers up to `limit` due messages, each in its own transaction: claim, send, mark.
pub fn deliver_pending(
    conn: &mut PgConnection,
    transport: &dyn Transport,
    from: &str,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<DeliveryReport, MailError> {
    deliver_paced(conn, transport, from, now, limit, &mut super::Pacer::unlimited())
}

/// Like [`deliver_pending`], waiting for `pacer` before each message.
pub fn deliver_paced(
    conn: &mut PgConnection,
    transport: &dyn Transport,
    from: &str,
    now: DateTime<Utc>,
    limit: usize,
    pacer: &mut super::Pacer,
) -> Result<DeliveryReport, MailError> {
    redact_expired(conn, now)?;
    let mut report = DeliveryReport::default();
    for _ in 0..limit {
        pacer.wait();
        match conn.transaction(|conn| deliver_one(conn, transport, from, now))? {
            None => break,
            Some(Outcome::Sent) => report.sent += 1,
            Some(Outcome::Retrying) => report.retrying += 1,
            Some(Outcome::Failed) => report.failed += 1,
        }
    }
    Ok(report)
}

/// Claims the next due row and sends it; its lock is held until the caller commits.
fn deliver_one(
    conn: &mut PgConnection,
    transport: &dyn Transport,
    from: &str,
    now: DateTime<Utc>,
) -> Result<Option<Outcome>, MailError> {
    let claimed: Option<Claimed> = mail_outbox::table
        .filter(mail_outbox::sent_at.is_null())
        .filter(mail_outbox::failed_at.is_null())
        .filter(mail_outbox::next_attempt_at.le(now))
        .order((mail_outbox::next_attempt_at, mail_outbox::id))
        .select((
            mail_outbox::id,
            mail_outbox::message_id,
            mail_outbox::recipient,
            mail_outbox::subject,
            mail_outbox::text_body,
            mail_outbox::html_body,
            mail_outbox::created_at,
            mail_outbox::attempts,
            mail_outbox::attachment_document_id,
            mail_outbox::secret,
            mail_outbox::list_unsubscribe,
        ))
        .for_update()
        .skip_locked()
        .first(conn)
        .optional()?;
    let Some((
        id,
        message_id,
        recipient,
        subject,
        text_body,
        html_body,
        created_at,
        attempts,
        document,
        secret,
        list_unsubscribe,
    )) = claimed
    else {
        return Ok(None);
    };
    let attachment = match document {
        None => None,
        Some(document) => {
            let (file_name, media_type, content) = documents::table
                .find(document)
                .select((documents::file_name, documents::media_type, documents::content))
                .first::<(String, String, Vec<u8>)>(conn)?;
            Some(StoredAttachment { file_name, media_type, content })
        }
    };
    let mail = StoredMail {
        message_id,
        recipient,
        subject,
        text_body,
        html_body,
        created_at,
        attachment,
        list_unsubscribe,
    };
    let row = mail_outbox::table.find(id);
    let attempts = attempts + 1;
    let error = match transport.send(from, &mail) {
        Ok(()) => {
            diesel::update(row)
                .set((mail_outbox::sent_at.eq(now), mail_outbox::attempts.eq(attempts)))
                .execute(conn)?;
            forget_secret(conn, id, secret.as_deref(), &mail)?;
            return Ok(Some(Outcome::Sent));
        }
        Err(error) => error,
    };
    let failed = error.is_permanent() || attempts >= MAX_ATTEMPTS;
    let error = crate::causes::cause_chain(&error);
    if failed {
        tracing::error!(%error, id, message_id = %mail.message_id, attempts, "mail undeliverable");
    } else {
        tracing::warn!(%error, id, message_id = %mail.message_id, attempts, "mail delivery failed; will retry");
    }
    diesel::update(row)
        .set((
            mail_outbox::attempts.eq(attempts),
            mail_outbox::last_error.eq(&error),
            mail_outbox::next_attempt_at.eq(now + backoff(attempts)),
            mail_outbox::failed_at.eq(failed.then_some(now)),
        ))
        .execute(conn)?;
    if failed {
        forget_secret(conn, id, secret.as_deref(), &mail)?;
    }
    Ok(Some(if failed { Outcome::Failed } else { Outcome::Retrying }))
}

/// Removes a delivered or abandoned email's secret from its stored bodies, in the transaction
/// that marks it so.
fn forget_secret(
    conn: &mut PgConnection,
    id: i64,
    secret: Option<&str>,
    mail: &StoredMail,
) -> Result<(), MailError> {
    let Some(secret) = secret else { return Ok(()) };
    diesel::update(mail_outbox::table.find(id))
        .set((
            mail_outbox::subject.eq(redact(&mail.subject, secret)),
            mail_outbox::text_body.eq(redact(&mail.text_body, secret)),
            mail_outbox::html_body.eq(redact(&mail.html_body, secret)),
            mail_outbox::list_unsubscribe.eq(mail.list_unsubscribe.as_deref().map(|u| redact(u, secret))),
            mail_outbox::secret.eq(None::<String>),
            mail_outbox::secret_expires_at.eq(None::<DateTime<Utc>>),
        ))
        .execute(conn)?;
    Ok(())
}

/// An email still waiting whose link has expired: id, subject, bodies, secret, unsubscribe URL.
type Expired = (i64, String, String, String, Option<String>, Option<String>);

/// Removes the secrets of links that have expired from emails still waiting (a retry after
/// the link died would only send a dead link). Returns how many emails were cleaned.
pub fn redact_expired(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<usize, MailError> {
    conn.transaction(|conn| {
        let expired: Vec<Expired> = mail_outbox::table
            .filter(mail_outbox::secret.is_not_null())
            .filter(mail_outbox::secret_expires_at.le(now))
            .select((
                mail_outbox::id,
                mail_outbox::subject,
                mail_outbox::text_body,
                mail_outbox::html_body,
                mail_outbox::secret,
                mail_outbox::list_unsubscribe,
            ))
            .limit(1_000)
            .for_update()
            .skip_locked()
            .load(conn)?;
        for (id, subject, text_body, html_body, secret, list_unsubscribe) in &expired {
            let Some(secret) = secret else { continue };
            diesel::update(mail_outbox::table.find(id))
                .set((
                    mail_outbox::subject.eq(redact(subject, secret)),
                    mail_outbox::text_body.eq(redact(text_body, secret)),
                    mail_outbox::html_body.eq(redact(html_body, secret)),
                    mail_outbox::list_unsubscribe.eq(list_unsubscribe.as_deref().map(|u| redact(u, secret))),
                    mail_outbox::secret.eq(None::<String>),
                    mail_outbox::secret_expires_at.eq(None::<DateTime<Utc>>),
                ))
                .execute(conn)?;
        }
        Ok(expired.len())
    })
}

/// 1, 2, 4, ... minutes, at most six hours.
fn backoff(attempts: i32) -> Duration {
    let minutes = 1i64 << attempts.clamp(0, 9);
    Duration::minutes(minutes.min(360))
}

/// A message that will not be delivered without a person's decision.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, serde::Serialize)]
pub struct FailedMail {
    pub id: i64,
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub created_at: DateTime<Utc>,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub failed_at: DateTime<Utc>,
}

/// Failed messages, the most recent failure first.
pub fn failed(conn: &mut PgConnection, limit: i64) -> Result<Vec<FailedMail>, MailError> {
    Ok(mail_outbox::table
        .filter(mail_outbox::failed_at.is_not_null())
        .order((mail_outbox::failed_at.desc(), mail_outbox::id.desc()))
        .limit(limit)
        .select((
            mail_outbox::id,
            mail_outbox::message_id,
            mail_outbox::recipient,
            mail_outbox::subject,
            mail_outbox::created_at,
            mail_outbox::attempts,
            mail_outbox::last_error,
            mail_outbox::failed_at.assume_not_null(),
        ))
        .load(conn)?)
}

/// Puts a failed message back in the queue, due at once with a fresh set of attempts, and
/// records who did it in the audit log. Returns false when `id` is not a failed message.
pub fn retry(
    conn: &mut PgConnection,
    operator: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, MailError> {
    let retried: Option<Option<String>> =
        diesel::update(mail_outbox::table.find(id).filter(mail_outbox::failed_at.is_not_null()))
            .set((
                mail_outbox::failed_at.eq(None::<DateTime<Utc>>),
                mail_outbox::attempts.eq(0),
                mail_outbox::next_attempt_at.eq(now),
            ))
            .returning(mail_outbox::last_error)
            .get_result(conn)
            .optional()?;
    let Some(last_error) = retried else {
        return Ok(false);
    };
    let event = operator
        .event("mail.retried")
        .target(format!("mail:{id}"))
        .details(serde_json::json!({ "last_error": last_error }));
    audit::record(conn, &event)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_are_capped() {
        assert_eq!(backoff(1), Duration::minutes(2));
        assert!(backoff(3) > backoff(2));
        assert_eq!(backoff(40), Duration::minutes(360));
    }

    #[test]
    fn message_ids_name_the_row_and_differ_by_key() {
        let id = message_id(42, "invoice:2026-000001", "kontor.example");
        assert!(id.starts_with("42."), "{id}");
        assert!(id.ends_with("@kontor.example"), "{id}");
        assert_eq!(id, message_id(42, "invoice:2026-000001", "kontor.example"), "stable");
        assert_ne!(id, message_id(42, "invoice:2026-000002", "kontor.example"));
        assert_eq!(id.len(), "42.".len() + 12 + "@kontor.example".len());
    }
}
