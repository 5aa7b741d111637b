//! Where mail goes. The file transport writes one `.eml` file per message (development,
//! tests, and a drop folder for a mail relay); SMTP is in `smtp.rs`.

use std::fs;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use lettre::Message;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart};

use super::MailError;

/// One message as stored in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMail {
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub created_at: DateTime<Utc>,
    /// A stored document sent along (the invoice PDF).
    pub attachment: Option<StoredAttachment>,
    /// The one-click unsubscribe URL of a mailing (see `OutgoingMail::list_unsubscribe`).
    pub list_unsubscribe: Option<String>,
}

/// A document attached to a message, as stored in `documents`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAttachment {
    pub file_name: String,
    pub media_type: String,
    pub content: Vec<u8>,
}

pub trait Transport: Send + Sync {
    /// Sends one message. An error says by [`MailError::is_permanent`] whether trying again
    /// could help.
    fn send(&self, from: &str, mail: &StoredMail) -> Result<(), MailError>;
}

/// A part of the message that does not parse: what it was, and why.
fn built(what: String, cause: impl std::error::Error + Send + Sync + 'static) -> MailError {
    MailError::Build { what: Some(what), source: Some(Box::new(cause)) }
}

/// The message for `mail`: text and HTML alternatives (inside multipart/mixed with the
/// attachment, when there is one), its fixed Message-ID, and the enqueue time as Date, so the
/// same outbox row always gives the same message.
pub fn build_message(from: &str, mail: &StoredMail) -> Result<Message, MailError> {
    let from: Mailbox = from.parse().map_err(|e| built(format!("from {from:?}"), e))?;
    let to: Mailbox = mail.recipient.parse().map_err(|e| built(format!("to {:?}", mail.recipient), e))?;
    let alternative = MultiPart::alternative_plain_html(mail.text_body.clone(), mail.html_body.clone());
    let body = match &mail.attachment {
        None => alternative,
        Some(attachment) => {
            let media_type = ContentType::parse(&attachment.media_type)
                .map_err(|e| built(format!("media type {:?}", attachment.media_type), e))?;
            MultiPart::mixed().multipart(alternative).singlepart(
                Attachment::new(attachment.file_name.clone()).body(attachment.content.clone(), media_type),
            )
        }
    };
    let mut builder = Message::builder()
        // RFC 5322 wants the angle brackets; the outbox stores the id without them.
        .message_id(Some(format!("<{}>", mail.message_id)))
        .from(from)
        .to(to)
        .subject(mail.subject.clone())
        .date(mail.created_at.into());
    if let Some(url) = &mail.list_unsubscribe {
        // RFC 2369 and RFC 8058: a mail client's own button posts `List-Unsubscribe=One-Click`
        // to the URL, no page in between.
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
    }
    builder.multipart(body).map_err(|e| MailError::Build { what: None, source: Some(Box::new(e)) })
}

/// The RFC 5322 bytes of `mail` (see [`build_message`]).
pub fn format_message(from: &str, mail: &StoredMail) -> Result<Vec<u8>, MailError> {
    Ok(build_message(from, mail)?.formatted())
}

#[derive(Debug, Clone)]
pub struct FileTransport {
    pub dir: PathBuf,
}

impl FileTransport {
    pub fn new(dir: impl Into<PathBuf>) -> FileTransport {
        FileTransport { dir: dir.into() }
    }

    /// The file a message is (or would be) written to: named after its Message-ID, so a
    /// re-delivery overwrites instead of duplicating.
    pub fn path_of(&self, message_id: &str) -> PathBuf {
        let name: String = message_id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'))
            .collect();
        self.dir.join(format!("{name}.eml"))
    }
}

impl Transport for FileTransport {
    fn send(&self, from: &str, mail: &StoredMail) -> Result<(), MailError> {
        let bytes = format_message(from, mail)?;
        let fail = |e: std::io::Error| MailError::Transport {
            place: Some(self.dir.display().to_string()),
            source: Box::new(e),
        };
        fs::create_dir_all(&self.dir).map_err(fail)?;
        let target = self.path_of(&mail.message_id);
        // Write then rename: a reader never sees half a message.
        let partial = target.with_extension("eml.partial");
        fs::write(&partial, bytes).map_err(fail)?;
        fs::rename(&partial, &target).map_err(fail)
    }
}
