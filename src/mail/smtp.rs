//! Delivery to an SMTP server with lettre: the connection URL is lettre's own
//! (`SmtpTransport::from_url`), connections are pooled and reused, and every failure is
//! classified as worth retrying or not.

use std::fmt;

use lettre::transport::smtp::response::{Code, Severity};

use super::MailError;
use super::transport::{StoredMail, Transport, build_message};

/// What `KONTOR_SMTP_URL` may look like, for error messages.
pub const URL_FORMS: &str = "smtp://[user:password@]host[:port][?tls=required|opportunistic] (STARTTLS; \
     no tls parameter: plain) or smtps://[user:password@]host[:port] (implicit TLS)";

/// A connection URL that lettre accepts. Its `Debug` hides the password.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl(String);

impl SmtpUrl {
    pub fn parse(url: &str) -> Result<SmtpUrl, MailError> {
        lettre::SmtpTransport::from_url(url).map_err(MailError::Config)?;
        Ok(SmtpUrl(url.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The URL with its password replaced by `***`, for logs and messages.
    pub fn redacted(&self) -> String {
        redact(&self.0)
    }
}

impl fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SmtpUrl({})", self.redacted())
    }
}

/// `url` with any password replaced by `***`; `(hidden)` when it is not a URL at all.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                // Cannot fail: a URL with a password has a host.
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => "(hidden)".to_owned(),
    }
}

/// Sends through one SMTP server, reusing pooled connections.
pub struct SmtpTransport {
    inner: lettre::SmtpTransport,
}

impl SmtpTransport {
    pub fn new(url: &SmtpUrl) -> Result<SmtpTransport, MailError> {
        let inner = lettre::SmtpTransport::from_url(url.as_str()).map_err(MailError::Config)?.build();
        Ok(SmtpTransport { inner })
    }
}

impl Transport for SmtpTransport {
    fn send(&self, from: &str, mail: &StoredMail) -> Result<(), MailError> {
        let message = build_message(from, mail)?;
        lettre::Transport::send(&self.inner, &message).map(drop).map_err(|error| {
            match failure(error.status()) {
                Failure::Permanent => MailError::Rejected(error.to_string()),
                Failure::Transient => MailError::Transport { place: None, source: Box::new(error) },
            }
        })
    }
}

/// Whether trying the same message again later can succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    Transient,
    Permanent,
}

/// Classifies a failed SMTP exchange by the server's reply code (none for connection, TLS and
/// protocol errors). 4xx and no code: transient. 5xx: the server refused this message for
/// good, except the authentication replies (530, 534, 535, 538), which are about our
/// credentials, not the message: those are retried so that fixing the setting lets the queue
/// drain instead of failing every email.
pub fn failure(code: Option<Code>) -> Failure {
    match code {
        Some(code) if code.severity == Severity::PermanentNegativeCompletion => {
            if matches!(u16::from(code), 530 | 534 | 535 | 538) {
                Failure::Transient
            } else {
                Failure::Permanent
            }
        }
        _ => Failure::Transient,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lettre::transport::smtp::response::{Category, Detail};

    fn code(severity: Severity, category: Category, detail: Detail) -> Option<Code> {
        Some(Code::new(severity, category, detail))
    }

    #[test]
    fn five_hundreds_are_permanent_four_hundreds_and_connection_errors_transient() {
        use Category::*;
        use Detail::*;
        use Severity::*;
        assert_eq!(failure(code(PermanentNegativeCompletion, MailSystem, Zero)), Failure::Permanent); // 550
        assert_eq!(failure(code(PermanentNegativeCompletion, MailSystem, Two)), Failure::Permanent); // 552
        assert_eq!(failure(code(PermanentNegativeCompletion, MailSystem, Four)), Failure::Permanent); // 554
        assert_eq!(failure(code(TransientNegativeCompletion, MailSystem, One)), Failure::Transient); // 451
        assert_eq!(failure(code(TransientNegativeCompletion, Connections, One)), Failure::Transient); // 421
        assert_eq!(failure(None), Failure::Transient, "connection, TLS and protocol errors");
        // Our credentials, not the message.
        assert_eq!(failure(code(PermanentNegativeCompletion, Unspecified3, Five)), Failure::Transient); // 535
        assert_eq!(failure(code(PermanentNegativeCompletion, Unspecified3, Zero)), Failure::Transient); // 530
    }

    #[test]
    fn lettre_urls_are_accepted_and_others_refused() {
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp://user:secret@mail.example.com:587?tls=required",
            "smtp://mail.example.com?tls=opportunistic",
            "smtps://user:secret@mail.example.com",
            "smtps://mail.example.com:465/kontor.example",
        ] {
            assert!(SmtpUrl::parse(url).is_ok(), "{url}");
        }
        for url in ["mail.example.com:25", "http://mail.example.com", "smtp://host?tls=sometimes", "smtp://"]
        {
            assert!(matches!(SmtpUrl::parse(url), Err(MailError::Config(_))), "{url}");
        }
    }

    #[test]
    fn passwords_never_show() {
        let url = SmtpUrl::parse("smtp://kontor:s3cret@mail.example.com:587?tls=required").unwrap();
        assert_eq!(url.redacted(), "smtp://kontor:***@mail.example.com:587?tls=required");
        assert!(!format!("{url:?}").contains("s3cret"));
        assert_eq!(redact("no url s3cret"), "(hidden)");
    }
}
