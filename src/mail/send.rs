//! Sending a localized email from a business action: render it in the recipient's language
//! and queue it in the caller's transaction, so it leaves only if the action commits.

use super::MailError;
use super::outbox::{MailSecret, OutgoingMail, enqueue};
use super::templates::{EmailContent, render_email};
use crate::site::Site;

/// Renders an email in `lang` and queues it in the caller's transaction.
pub fn send(
    conn: &mut diesel::PgConnection,
    site: &Site,
    recipient: &str,
    lang: &crate::i18n::Lang,
    idempotency_key: String,
    content: &EmailContent<'_>,
) -> Result<(), MailError> {
    send_with_secret(conn, site, recipient, lang, idempotency_key, content, None)
}

/// Like [`send`], for an email carrying a single-use link: the outbox forgets `secret`
/// once the email is delivered or given up, or the link expires.
pub fn send_with_secret(
    conn: &mut diesel::PgConnection,
    site: &Site,
    recipient: &str,
    lang: &crate::i18n::Lang,
    idempotency_key: String,
    content: &EmailContent<'_>,
    secret: Option<MailSecret>,
) -> Result<(), MailError> {
    let rendered = render_email(lang, content)?;
    let mail = OutgoingMail {
        idempotency_key,
        recipient: recipient.to_owned(),
        language: lang.code().to_owned(),
        subject: rendered.subject,
        text_body: rendered.text,
        html_body: rendered.html,
        attachment_document_id: None,
        secret,
        list_unsubscribe: None,
    };
    enqueue(conn, &mail, &site.mail_domain)?;
    Ok(())
}
