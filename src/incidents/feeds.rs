//! The status page as feeds: Atom (RFC 4287) and JSON Feed 1.1, one entry per incident with its
//! latest update, in the reader's language.

use chrono::{DateTime, Utc};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::status::{IncidentView, StatusPage};
use crate::i18n::{Lang, t};

fn entries(page: &StatusPage) -> Vec<&IncidentView> {
    let mut all: Vec<&IncidentView> = page.current.iter().chain(&page.upcoming).chain(&page.recent).collect();
    all.sort_by(|a, b| b.updated_at_iso.cmp(&a.updated_at_iso));
    all
}

/// The latest update; in English with the page's note when staff wrote none in `lang`.
fn summary(lang: &Lang, i: &IncidentView) -> String {
    i.updates.first().map_or_else(String::new, |u| {
        if u.body_lang == lang.code() {
            format!("{}: {}", u.status, u.body)
        } else {
            format!("{}: {} ({})", u.status, u.body, t(lang, "status-english-only"))
        }
    })
}

/// The Atom document. `base` is the portal's public URL without a trailing slash. Written by
/// quick-xml's writer, which escapes every text and attribute; texts were checked for control
/// characters when they were entered.
pub fn atom(lang: &Lang, page: &StatusPage, base: &str, now: DateTime<Utc>) -> String {
    atom_document(lang, page, base, now).unwrap_or_default()
}

fn atom_document(lang: &Lang, page: &StatusPage, base: &str, now: DateTime<Utc>) -> std::io::Result<String> {
    let entries = entries(page);
    let updated = entries.first().map_or_else(|| now.to_rfc3339(), |e| e.updated_at_iso.clone());
    let mut writer = Writer::new_with_indent(Vec::with_capacity(4096), b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let status_url = format!("{base}/status");
    let self_url = format!("{base}/status/feed.atom?lang={}", lang.code());
    writer
        .create_element("feed")
        .with_attributes([("xmlns", "http://www.w3.org/2005/Atom"), ("xml:lang", lang.code())])
        .write_inner_content(|w| {
            text_element(w, "title", &t(lang, "status-title"))?;
            text_element(w, "id", &status_url)?;
            w.create_element("link")
                .with_attributes([("rel", "alternate"), ("type", "text/html"), ("href", status_url.as_str())])
                .write_empty()?;
            w.create_element("link")
                .with_attributes([
                    ("rel", "self"),
                    ("type", "application/atom+xml"),
                    ("href", self_url.as_str()),
                ])
                .write_empty()?;
            text_element(w, "updated", &updated)?;
            w.create_element("author")
                .write_inner_content(|w| text_element(w, "name", &t(lang, "product-name")))?;
            for e in &entries {
                let link = format!("{base}/status#incident-{}", e.id);
                w.create_element("entry").write_inner_content(|w| {
                    text_element(w, "id", &link)?;
                    text_element(w, "title", &format!("{} · {}", e.title, e.status))?;
                    w.create_element("link")
                        .with_attributes([("rel", "alternate"), ("href", link.as_str())])
                        .write_empty()?;
                    text_element(w, "published", &e.started_at_iso)?;
                    text_element(w, "updated", &e.updated_at_iso)?;
                    text_element(w, "summary", &summary(lang, e))?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    let mut xml = String::from_utf8(writer.into_inner()).map_err(std::io::Error::other)?;
    xml.push('\n');
    Ok(xml)
}

fn text_element(writer: &mut Writer<Vec<u8>>, name: &str, text: &str) -> std::io::Result<()> {
    writer.create_element(name).write_text_content(BytesText::new(text))?;
    Ok(())
}

/// The JSON Feed 1.1 document.
pub fn json(lang: &Lang, page: &StatusPage, base: &str) -> serde_json::Value {
    let items: Vec<serde_json::Value> = entries(page)
        .into_iter()
        .map(|e| {
            serde_json::json!({
                "id": format!("{base}/status#incident-{}", e.id),
                "url": format!("{base}/status#incident-{}", e.id),
                "title": format!("{} · {}", e.title, e.status),
                "content_text": summary(lang, e),
                "date_published": e.started_at_iso,
                "date_modified": e.updated_at_iso,
                "language": lang.code(),
                "_kontor": {
                    "kind": e.kind, "severity": e.severity, "services": e.services,
                    "resources": e.resources, "started_at": e.started_at_iso, "ended_at": e.ended_at_iso,
                    "updates": e.updates,
                },
            })
        })
        .collect();
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": t(lang, "status-title"),
        "home_page_url": format!("{base}/status"),
        "feed_url": format!("{base}/status/feed.json?lang={}", lang.code()),
        "language": lang.code(),
        "items": items,
    })
}
