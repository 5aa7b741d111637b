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
    #[error("{0} exists already; choose another file (an export never replaces a file)")]
    FileExists(std::path::PathBuf),
    #[error(
        "export {export_id} is recorded with its collections, but its file could not be written to {path}: {reason}; write it with `kontor sepa file {export_id} --out FILE`"
    )]
    FileNotWritten { export_id: i64, path: std::path::PathBuf, reason: String },
    #[error("unknown export {0}, or one made before exports kept their document")]
    UnknownExport(i64),
    #[error("direct debit data Kontor cannot read: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Mail(#[from] MailError),
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
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
            SepaError::Xml(_)
            | SepaError::FileExists(_)
            | SepaError::FileNotWritten { .. }
            | SepaError::UnknownExport(_)
            | SepaError::Corrupt(_)
            | SepaError::Mail(_)
            | SepaError::Audit(_)
            | SepaError::Database(_) => "error-internal",
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{LANGUAGES, Lang, t_args};

    #[test]
    fn every_message_a_person_sees_exists_in_every_language() {
        let errors = [
            SepaError::InvalidIban,
            SepaError::IbanOutsideSepa,
            SepaError::InvalidBic,
            SepaError::InvalidName,
            SepaError::NotAccepted,
            SepaError::NotEur,
            SepaError::NoActiveMandate,
            SepaError::CollectionDateInPast(chrono::NaiveDate::MIN),
            SepaError::Xml(String::new()),
        ];
        let reasons = ["AM04", "MD06", "AC04", "MS02", "MD01", "AC06", "XX99"]
            .map(|code| super::super::collection::reason_message_id(Some(code)));
        assert_eq!(reasons.iter().collect::<std::collections::BTreeSet<_>>().len(), 7);
        for code in LANGUAGES {
            let lang = Lang::supported(code).unwrap();
            for id in errors.iter().map(SepaError::message_id).chain(reasons) {
                let text = t_args(&lang, id, &[("code", "XX99".into())]);
                assert!(!text.is_empty() && text != id, "{code}: {id}");
            }
        }
    }
}
