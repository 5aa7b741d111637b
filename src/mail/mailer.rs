//! The delivery side as configured: which transport, which sender, how fast. One function
//! builds it from the settings, for the server's worker and `kontor mail deliver` alike.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use diesel::PgConnection;

use super::MailError;
use super::outbox::{DeliveryReport, deliver_paced};
use super::smtp::{SmtpTransport, SmtpUrl};
use super::transport::{FileTransport, Transport};

/// What delivery needs from the settings (`Settings::mail_delivery`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliverySettings {
    /// `KONTOR_MAIL_FROM`
    pub from: String,
    /// `KONTOR_SMTP_URL`; without it, mail is written to `file_dir`.
    pub smtp_url: Option<SmtpUrl>,
    /// `$KONTOR_DATA_DIR/mail/outbox`
    pub file_dir: PathBuf,
    /// `KONTOR_SMTP_RATE`: messages per second per process; 0 is unlimited.
    pub rate_per_second: u32,
}

pub struct Mailer {
    transport: Box<dyn Transport>,
    from: String,
    pacer: Pacer,
    description: String,
}

impl Mailer {
    pub fn new(settings: &DeliverySettings) -> Result<Mailer, MailError> {
        let (transport, description): (Box<dyn Transport>, String) = match &settings.smtp_url {
            Some(url) => (
                Box::new(SmtpTransport::new(url)?),
                format!(
                    "sending emails through {} (at most {})",
                    url.redacted(),
                    match settings.rate_per_second {
                        0 => "unlimited".to_owned(),
                        rate => format!("{rate} per second"),
                    }
                ),
            ),
            None => (
                Box::new(FileTransport::new(&settings.file_dir)),
                format!("no KONTOR_SMTP_URL: writing emails to {}", settings.file_dir.display()),
            ),
        };
        Ok(Mailer {
            transport,
            from: settings.from.clone(),
            pacer: Pacer::per_second(settings.rate_per_second),
            description,
        })
    }

    /// Where mail goes, for the log line at start.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Delivers up to `limit` due messages at the configured rate.
    pub fn deliver_due(
        &mut self,
        conn: &mut PgConnection,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<DeliveryReport, MailError> {
        deliver_paced(conn, self.transport.as_ref(), &self.from, now, limit, &mut self.pacer)
    }
}

/// Spaces sends evenly at a rate per second. Idle time earns no burst: after a pause the
/// next send goes at once and the ones after it keep the spacing again.
#[derive(Debug, Clone)]
pub struct Pacer {
    interval: Option<Duration>,
    next: Option<Instant>,
}

impl Pacer {
    /// `rate` messages per second; 0 means no limit.
    pub fn per_second(rate: u32) -> Pacer {
        let interval = (rate > 0).then(|| Duration::from_secs(1) / rate);
        Pacer { interval, next: None }
    }

    pub fn unlimited() -> Pacer {
        Pacer::per_second(0)
    }

    /// Books the next send at or after `now` and says how long to wait for it.
    pub fn delay(&mut self, now: Instant) -> Duration {
        let Some(interval) = self.interval else {
            return Duration::ZERO;
        };
        let start = self.next.filter(|next| *next > now).unwrap_or(now);
        self.next = Some(start + interval);
        start - now
    }

    /// Sleeps until the next send may go.
    pub fn wait(&mut self) {
        let delay = self.delay(Instant::now());
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_are_spaced_by_the_rate() {
        let mut pacer = Pacer::per_second(50);
        let start = Instant::now();
        assert_eq!(pacer.delay(start), Duration::ZERO);
        assert_eq!(pacer.delay(start), Duration::from_millis(20));
        assert_eq!(pacer.delay(start), Duration::from_millis(40));
        // Half-way through the wait for the fourth.
        assert_eq!(pacer.delay(start + Duration::from_millis(30)), Duration::from_millis(30));
    }

    #[test]
    fn idle_time_earns_no_burst() {
        let mut pacer = Pacer::per_second(10);
        let start = Instant::now();
        pacer.delay(start);
        let later = start + Duration::from_secs(60);
        assert_eq!(pacer.delay(later), Duration::ZERO);
        assert_eq!(pacer.delay(later), Duration::from_millis(100));
    }

    #[test]
    fn zero_is_unlimited() {
        let mut pacer = Pacer::per_second(0);
        let now = Instant::now();
        for _ in 0..1000 {
            assert_eq!(pacer.delay(now), Duration::ZERO);
        }
    }

    #[test]
    fn without_smtp_url_mail_goes_to_files() {
        let settings = DeliverySettings {
            from: "Kontor <no-reply@kontor.example>".to_owned(),
            smtp_url: None,
            file_dir: PathBuf::from("var/mail/outbox"),
            rate_per_second: 50,
        };
        let mailer = Mailer::new(&settings).unwrap();
        assert_eq!(mailer.description(), "no KONTOR_SMTP_URL: writing emails to var/mail/outbox");
        let smtp = DeliverySettings {
            smtp_url: Some(SmtpUrl::parse("smtp://u:secret@127.0.0.1:2525").unwrap()),
            ..settings
        };
        let mailer = Mailer::new(&smtp).unwrap();
        assert!(mailer.description().contains("smtp://u:***@127.0.0.1:2525"), "{}", mailer.description());
        assert!(mailer.description().contains("50 per second"));
    }
}
