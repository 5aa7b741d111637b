//! How a bank movement is booked, the same way by the import, the queue and returns: the
//! idempotency key of its receipt and the instant its booking day stands for.

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};

/// The key of the receipt or suspense entry a bank movement books.
pub(crate) fn receipt_key(identity: &str) -> String {
    let key = format!("bank:{identity}");
    if key.len() <= 200 { key } else { format!("bank:#{}", hex::encode(Sha256::digest(identity.as_bytes()))) }
}

/// Booking dates are days; the ledger records instants. Noon UTC is the same day everywhere
/// our customers live.
pub(crate) fn at_noon(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc()
}
