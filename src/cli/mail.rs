//! `kontor` commands for the outbox: deliver now, list and retry undeliverable mail.

use clap::Subcommand;
use diesel::prelude::*;

use super::{CliError, open_migrated};
use crate::config::Settings;
use crate::db::DbError;

#[derive(Subcommand)]
pub(super) enum MailCommand {
    /// Deliver every due message now (KONTOR_SMTP_URL, else $KONTOR_DATA_DIR/mail/outbox/*.eml).
    Deliver,
    /// List the messages that failed for good and wait for a person.
    Failed,
    /// Queue a failed message again (audited).
    Retry { id: i64 },
}

pub(super) fn mail(command: MailCommand, settings: &Settings) -> Result<(), CliError> {
    match command {
        MailCommand::Deliver => {
            let mut mailer = crate::mail::Mailer::new(&settings.mail_delivery())?;
            println!("{}", mailer.description());
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let report = mailer.deliver_due(&mut conn, settings.clock.now(), usize::MAX)?;
            println!(
                "sent {}, retrying later {}, failed permanently {}",
                report.sent, report.retrying, report.failed
            );
            if report.failed > 0 {
                println!("see `kontor mail failed`");
            }
            Ok(())
        }
        MailCommand::Failed => {
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let failed = crate::mail::outbox::failed(&mut conn, 1000)?;
            for mail in &failed {
                println!(
                    "{}\t{}\t{}\t{} attempt(s)\t{}\t{}",
                    mail.id,
                    mail.failed_at.format("%Y-%m-%d %H:%M:%S UTC"),
                    mail.recipient,
                    mail.attempts,
                    mail.subject,
                    mail.last_error.as_deref().unwrap_or("")
                );
            }
            println!("{} undeliverable message(s)", failed.len());
            Ok(())
        }
        MailCommand::Retry { id } => {
            let database = open_migrated(settings)?;
            let mut conn = database.pool.get().map_err(DbError::from)?;
            let operator = crate::audit::Actor::command_line();
            let now = settings.clock.now();
            if !conn.transaction(|conn| crate::mail::outbox::retry(conn, &operator, id, now))? {
                return Err(CliError::Usage(format!("message {id} is not a failed message")));
            }
            println!("message {id} is queued again");
            Ok(())
        }
    }
}
