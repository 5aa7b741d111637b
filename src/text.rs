//! Free text people type (names, incident titles and updates, credit-note reasons) reaches XML
//! feeds, PDFs and CSV files: it is checked where it is parsed, once, by these rules.

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextProblem {
    /// A control character: invalid in XML 1.0, invisible or garbling in a PDF or a CSV cell.
    #[error("the text holds a control character")]
    ControlCharacter,
    #[error("the text is longer than {0} characters")]
    TooLong(usize),
}

impl TextProblem {
    pub fn message_id(self) -> &'static str {
        match self {
            TextProblem::ControlCharacter => "text-control-character",
            TextProblem::TooLong(_) => "text-too-long",
        }
    }
}

/// Checks `text`: at most `max_chars` characters and no control character, except line feeds
/// and tabs in `multi_line` text.
pub fn check(text: &str, multi_line: bool, max_chars: usize) -> Result<(), TextProblem> {
    let allowed = |c: char| multi_line && (c == '\n' || c == '\t');
    // Unicode's other format controls that reorder or hide text count as control characters too.
    let hostile = |c: char| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c) || c == '\u{feff}';
    if text.chars().any(|c| hostile(c) && !allowed(c)) {
        return Err(TextProblem::ControlCharacter);
    }
    if text.chars().count() > max_chars {
        return Err(TextProblem::TooLong(max_chars));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_except_line_breaks_in_multi_line_text() {
        for bad in ["a\u{0}b", "a\u{7}", "\u{1b}[31m", "a\rb", "x\u{202e}y", "\u{85}"] {
            assert_eq!(check(bad, true, 100), Err(TextProblem::ControlCharacter), "{bad:?}");
        }
        assert_eq!(check("two\nlines\tand a tab", true, 100), Ok(()));
        assert_eq!(check("two\nlines", false, 100), Err(TextProblem::ControlCharacter));
        assert_eq!(check("<&\"'> 🚀 Ωmega", false, 100), Ok(()));
        assert_eq!(check(&"é".repeat(101), false, 100), Err(TextProblem::TooLong(100)));
        assert_eq!(check(&"é".repeat(100), false, 100), Ok(()));
    }
}
