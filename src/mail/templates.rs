//! Localized emails. Every Kontor email has the same shape (greeting, paragraphs, an
//! optional button with a link, a footer), so one text and one HTML layout serve them all;
//! the words are Fluent messages in the recipient's language.

use std::sync::LazyLock;

use fluent_templates::fluent_bundle::FluentValue;
use tera::{Context, Tera};

use super::MailError;
use crate::i18n::{Lang, t, t_args};

const TEMPLATES: &[(&str, &str)] = &[
    ("emails/layout.txt", include_str!("../../templates/emails/layout.txt")),
    ("emails/layout.html", include_str!("../../templates/emails/layout.html")),
];

static TERA: LazyLock<Result<Tera, String>> = LazyLock::new(|| crate::templating::engine(TEMPLATES));

/// What an email says, as Fluent message ids and their arguments.
#[derive(Debug, Clone)]
pub struct EmailContent<'a> {
    pub subject: &'a str,
    pub paragraphs: &'a [&'a str],
    /// Button label id and the link it opens.
    pub action: Option<(&'a str, String)>,
    /// Arguments for every message above (`name`, `hours`, ...).
    pub args: Vec<(&'a str, FluentValue<'static>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub fn render_email(lang: &Lang, content: &EmailContent<'_>) -> Result<RenderedEmail, MailError> {
    let tera = TERA.as_ref().map_err(|e| MailError::Template { name: "emails".into(), detail: e.clone() })?;
    let message = |id: &str| t_args(lang, id, &content.args);
    let mut context = Context::new();
    context.insert("lang", lang.code());
    context.insert("greeting", &message("email-greeting"));
    context.insert("paragraphs", &content.paragraphs.iter().map(|id| message(id)).collect::<Vec<_>>());
    if let Some((label, url)) = &content.action {
        context.insert("action_label", &message(label));
        context.insert("action_url", url);
    }
    context.insert("signature", &t(lang, "email-signature"));
    context.insert("footer", &t(lang, "email-footer"));
    let render = |name: &str| {
        tera.render(name, &context)
            .map_err(|e| MailError::Template { name: name.to_owned(), detail: e.to_string() })
    };
    Ok(RenderedEmail {
        subject: message(content.subject),
        text: render("emails/layout.txt")?,
        html: render("emails/layout.html")?,
    })
}
