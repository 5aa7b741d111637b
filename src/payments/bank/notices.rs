//! The "paid" emails of a statement import, written on a second thread while the import books
//! on. Each chunk's emails are queued when the next chunk has been booked (the last ones at the
//! end), always in the import's transaction: an email still leaves only if its payment commits.

use std::sync::mpsc;

use diesel::PgConnection;

use super::BankError;
use crate::mail::OutgoingMail;
use crate::payments::PaymentError;
use crate::payments::allocation::Settled;
use crate::payments::paid_notice::{self, Readers};
use crate::site::Site;

type Written = Result<Vec<OutgoingMail>, PaymentError>;

pub(super) struct Notices {
    to_write: Option<mpsc::Sender<Readers>>,
    written: mpsc::Receiver<Written>,
    /// Chunks sent to the writer whose emails are not queued yet.
    waiting: usize,
}

/// Runs `import` with a writer of "paid" emails beside it; the writer stops when `import` ends.
pub(super) fn with_writer<T>(site: &Site, import: impl FnOnce(&mut Notices) -> T) -> T {
    std::thread::scope(|scope| {
        let (to_write, inbox) = mpsc::channel::<Readers>();
        let (outbox, written) = mpsc::channel::<Written>();
        scope.spawn(move || {
            for readers in inbox {
                if outbox.send(paid_notice::compose(site, &readers)).is_err() {
                    break;
                }
            }
        });
        let mut notices = Notices { to_write: Some(to_write), written, waiting: 0 };
        let result = import(&mut notices);
        // Closing the channel ends the writer; the scope waits for it.
        notices.to_write = None;
        result
    })
}

impl Notices {
    /// Hands a chunk's settled invoices to the writer, then queues the emails of the chunks
    /// before it (written by now, most likely).
    pub(super) fn settled(
        &mut self,
        conn: &mut PgConnection,
        site: &Site,
        settled: &[Settled],
    ) -> Result<(), BankError> {
        if !settled.is_empty() {
            let readers = paid_notice::readers(conn, settled)?;
            crate::phases::lap("paid emails: recipients read");
            self.to_write
                .as_ref()
                .and_then(|to_write| to_write.send(readers).ok())
                .ok_or_else(|| BankError::Corrupt("the writer of paid emails stopped".to_owned()))?;
            self.waiting += 1;
        }
        self.queue(conn, site, 1)
    }

    /// Queues every email written or still being written.
    pub(super) fn finish(&mut self, conn: &mut PgConnection, site: &Site) -> Result<(), BankError> {
        self.queue(conn, site, 0)
    }

    fn queue(&mut self, conn: &mut PgConnection, site: &Site, keep_waiting: usize) -> Result<(), BankError> {
        while self.waiting > keep_waiting {
            let mails = self
                .written
                .recv()
                .map_err(|_| BankError::Corrupt("the writer of paid emails stopped".to_owned()))??;
            self.waiting -= 1;
            crate::phases::lap("paid emails: waiting for the writer");
            paid_notice::enqueue(conn, site, &mails)?;
            crate::phases::lap("paid emails queued");
        }
        Ok(())
    }
}
