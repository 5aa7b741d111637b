//! An error with its causes in one line, for logs and stored failure reasons: a leaf every
//! module may use (the outbox keeps why a message failed; the edges log why a request did).

use std::error::Error;

/// The error and every cause under it, `outer: inner: innermost`, for the log.
pub fn cause_chain(error: &(dyn Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let line = cause.to_string();
        // `#[error(transparent)]` repeats its source's text; say each cause once.
        if !text.ends_with(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        source = cause.source();
    }
    text
}
