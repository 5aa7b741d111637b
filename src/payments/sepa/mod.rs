//! SEPA direct debit: the customer's mandate, the pain.008 file of due collections, and what
//! the bank statement import calls when a collection settles or comes back.
//!
//! The debit date of an invoice is its due date (and the collection date of the export that
//! carries it, if that is later): the invoice itself is the pre-notification, so it says
//! "will be debited on <due date>" and goes out 14 days (`KONTOR_PAYMENT_TERMS_DAYS`) before.

pub mod address;
pub mod collection;
pub mod confirmation;
pub mod error;
pub mod export;
pub mod ids;
pub mod mandate;
pub mod pain001;
pub mod pain008;
pub mod preview;
mod xml;

pub use collection::{Return, ReturnContext, Settlement, return_collection, settle_collection};
pub use error::SepaError;
pub use export::{ExportSummary, export_collections};
pub use mandate::{Mandate, MandateRequest, active_mandate, create_mandate, mandate_text, revoke_mandate};
