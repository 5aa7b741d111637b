use crate::accounts::AccountError;
use crate::ledger::LedgerError;
use crate::mail::MailError;
use crate::subscriptions::SubscriptionError;

/// What can go wrong with mandates and direct debits. `message_id` is the Fluent key a person
/// sees; the input errors change nothing.
#[derive(Debug, thiserror::Error)]
pub enum SepaError {
    #[error("the IBAN is not valid")]
    InvalidIban,
    #[error("the IBAN is not in a SEPA country")]
    IbanOutsideSepa,
    #[error("the BIC is not valid")]
    InvalidBic,
    #[error("the account holder's name is missing or too long")]
    InvalidName,
    #[error("the mandate was not accepted")]
    NotAccepted,
    #[error("direct debit is only for customers billed in EUR")]
    NotEur,
    #[error("there is no active mandate")]
    NoActiveMandate,
    #[error("the collection date {0} is in the past")]
    CollectionDateInPast(chrono::NaiveDate),
    #[error("the pain.008 file could not be written: {0}")]
    Xml(String),
    #[error("direct debit data Kontor cannot read: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Mail(#[from] MailError),
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Subscription(#[from] SubscriptionError),
    #[error(transparent)]
    Money(#[from] crate::money::MoneyError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl SepaError {
    pub fn message_id(&self) -> &'static str {
        match self {
            SepaError::InvalidIban => "sepa-error-iban",
            SepaError::IbanOutsideSepa => "sepa-error-iban-area",
            SepaError::InvalidBic => "sepa-error-bic",
            SepaError::InvalidName => "sepa-error-name",
            SepaError::NotAccepted => "sepa-error-not-accepted",
            SepaError::NotEur => "sepa-error-currency",
            SepaError::NoActiveMandate => "sepa-error-no-mandate",
            SepaError::CollectionDateInPast(_) => "sepa-error-collection-date",
            SepaError::Ledger(error) => error.message_id(),
            SepaError::Money(error) => error.message_id(),
            SepaError::Account(error) => error.message_id(),
            SepaError::Subscription(error) => error.message_id(),
            SepaError::Xml(_) | SepaError::Corrupt(_) | SepaError::Mail(_) | SepaError::Database(_) => {
                "error-internal"
            }
        }
    }

    /// Whether the person who entered the data can fix it (the web page shows these inline).
    pub fn is_input_error(&self) -> bool {
        matches!(
            self,
            SepaError::InvalidIban
                | SepaError::IbanOutsideSepa
                | SepaError::InvalidBic
                | SepaError::InvalidName
                | SepaError::NotAccepted
                | SepaError::NotEur
                | SepaError::NoActiveMandate
        )
    }
}
