//! Money coming in: bank statements, direct debits, PayPal.

pub mod camt;
