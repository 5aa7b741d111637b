//! The outbox: mail is a row written in the same transaction as the action that causes it,
//! so an email is never sent for something that rolled back, and never lost for something
//! that committed. Workers claim rows with `FOR UPDATE SKIP LOCKED`, so any number of them
//! can deliver side by side; a failed delivery is retried with growing pauses.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::MailError;
use super::transport::{StoredMail, Transport};
use crate::accounts::token::Token;
use crate::db::schema::mail_outbox;

/// Attempts before a message is left for a person to look at (`last_error` says why).
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
}

/// Queues `mail` inside the caller's transaction. Returns false when it was already queued.
pub fn enqueue(conn: &mut PgConnection, mail: &OutgoingMail, mail_domain: &str) -> Result<bool, MailError> {
    let message_id = format!("{}@{mail_domain}", Token::generate()?.as_str());
    let inserted = diesel::insert_into(mail_outbox::table)
        .values((
            mail_outbox::idempotency_key.eq(&mail.idempotency_key),
            mail_outbox::message_id.eq(message_id),
            mail_outbox::recipient.eq(&mail.recipient),
            mail_outbox::language.eq(&mail.language),
            mail_outbox::subject.eq(&mail.subject),
            mail_outbox::text_body.eq(&mail.text_body),
            mail_outbox::html_body.eq(&mail.html_body),
            mail_outbox::attachment_document_id.eq(mail.attachment_document_id),
        ))
        .on_conflict(mail_outbox::idempotency_key)
        .do_nothing()
        .execute(conn)?;
    Ok(inserted == 1)
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    pub failed: usize,
}

type Claimed = (i64, String, String, String, String, String, DateTime<Utc>, i32);

/// Delivers up to `limit` due messages, each in its own transaction: claim, send, mark sent.
/// A crash between send and commit re-sends the message later with the same Message-ID.
pub fn deliver_pending(
    conn: &mut PgConnection,
    transport: &dyn Transport,
    from: &str,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<DeliveryReport, MailError> {
    let mut report = DeliveryReport::default();
    for _ in 0..limit {
        let delivered = conn.transaction(|conn| -> Result<Option<bool>, MailError> {
            let claimed: Option<Claimed> = mail_outbox::table
                .filter(mail_outbox::sent_at.is_null())
                .filter(mail_outbox::next_attempt_at.le(now))
                .filter(mail_outbox::attempts.lt(MAX_ATTEMPTS))
                .order(mail_outbox::next_attempt_at)
                .select((
                    mail_outbox::id,
                    mail_outbox::message_id,
                    mail_outbox::recipient,
                    mail_outbox::subject,
                    mail_outbox::text_body,
                    mail_outbox::html_body,
                    mail_outbox::created_at,
                    mail_outbox::attempts,
                ))
                .for_update()
                .skip_locked()
                .first(conn)
                .optional()?;
            let Some((id, message_id, recipient, subject, text_body, html_body, created_at, attempts)) =
                claimed
            else {
                return Ok(None);
            };
            let mail = StoredMail { message_id, recipient, subject, text_body, html_body, created_at };
            let row = mail_outbox::table.find(id);
            match transport.send(from, &mail) {
                Ok(()) => {
                    diesel::update(row)
                        .set((mail_outbox::sent_at.eq(now), mail_outbox::attempts.eq(attempts + 1)))
                        .execute(conn)?;
                    Ok(Some(true))
                }
                Err(error) => {
                    tracing::warn!(%error, message_id = %mail.message_id, "mail delivery failed; will retry");
                    diesel::update(row)
                        .set((
                            mail_outbox::attempts.eq(attempts + 1),
                            mail_outbox::last_error.eq(error.to_string()),
                            mail_outbox::next_attempt_at.eq(now + backoff(attempts + 1)),
                        ))
                        .execute(conn)?;
                    Ok(Some(false))
                }
            }
        })?;
        match delivered {
            None => break,
            Some(true) => report.sent += 1,
            Some(false) => report.failed += 1,
        }
    }
    Ok(report)
}

/// 1, 2, 4, ... minutes, at most six hours.
fn backoff(attempts: i32) -> Duration {
    let minutes = 1i64 << attempts.clamp(0, 9);
    Duration::minutes(minutes.min(360))
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
}
