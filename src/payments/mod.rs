//! Money coming in: bank statements, direct debits, PayPal.

pub mod camt;
pub mod sepa;
