//! Direct debit and the ladder: an invoice collected by direct debit is not dunned while the
//! debit may still collect it. A return for a reason that may pass (not enough money today) is
//! presented once more, announced by the return email; a second return, or any other reason,
//! leaves the invoice to be paid by transfer, and to the ladder. The SEPA export and the dunning
//! run read the same condition from here.

/// Return reasons after which the debit is presented once more (after the return email, which
/// is its pre-notification): not enough money on the account today may be enough next week.
/// A second return, or any other reason, leaves the invoice to be paid by transfer and to the
/// dunning ladder.
pub const PRESENTED_AGAIN_AFTER: [&str; 2] = ["AM04", "MS03"];

/// The SQL condition (on `i`, an invoice) that its collections allow a new one: none yet, or
/// one returned for a reason in [`PRESENTED_AGAIN_AFTER`]. `payments::sepa::export` and the
/// dunning run read it.
pub const MAY_BE_COLLECTED: &str =
    "(SELECT count(*) FROM direct_debit_collections c WHERE c.invoice_id = i.id) = 0
       OR ((SELECT count(*) FROM direct_debit_collections c WHERE c.invoice_id = i.id) = 1
           AND EXISTS (SELECT 1 FROM direct_debit_collections c WHERE c.invoice_id = i.id
                         AND c.status = 'returned' AND c.return_reason IN ('AM04', 'MS03')))";
