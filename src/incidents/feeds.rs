//! The status page as feeds: Atom (RFC 4287) and JSON Feed 1.1, one entry per incident with its
//! latest update, in the reader's language.

use chrono::{DateTime, Utc};
use quick_xml::escape::escape;

use super::status::{IncidentView, StatusPage};
use crate::i18n::{Lang, t};

fn entries(page: &StatusPage) -> Vec<&IncidentView> {
    let mut all: Vec<&IncidentView> = page.current.iter().chain(&page.upcoming).chain(&page.recent).collect();
    all.sort_by(|a, b| b.updated_at_iso.cmp(&a.updated_at_iso));
    all
}

fn summary(i: &IncidentView) -> String {
    i.updates.first().map_or_else(String::new, |u| format!("{}: {}", u.status, u.body))
}

/// The Atom document. `base` is the portal's public URL without a trailing slash.
pub fn atom(lang: &Lang, page: &StatusPage, base: &str, now: DateTime<Utc>) -> String {
    let entries = entries(page);
    let updated = entries.first().map_or_else(|| now.to_rfc3339(), |e| e.updated_at_iso.clone());
    let mut xml = String::with_capacity(4096);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n", lang.code()));
    xml.push_str(&format!("  <title>{}</title>\n", escape(t(lang, "status-title").as_str())));
    xml.push_str(&format!("  <id>{}/status</id>\n", escape(base)));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}/status\"/>\n",
        escape(base)
    ));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}/status/feed.atom?lang={}\"/>\n",
        escape(base),
        lang.code()
    ));
    xml.push_str(&format!("  <updated>{updated}</updated>\n"));
    xml.push_str(&format!("  <author><name>{}</name></author>\n", escape(t(lang, "product-name").as_str())));
    for e in entries {
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <id>{}/status#incident-{}</id>\n", escape(base), e.id));
        xml.push_str(&format!(
            "    <title>{} · {}</title>\n",
            escape(e.title.as_str()),
            escape(e.status.as_str())
        ));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" href=\"{}/status#incident-{}\"/>\n",
            escape(base),
            e.id
        ));
        xml.push_str(&format!("    <published>{}</published>\n", e.started_at_iso));
        xml.push_str(&format!("    <updated>{}</updated>\n", e.updated_at_iso));
        xml.push_str(&format!("    <summary>{}</summary>\n", escape(summary(e).as_str())));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
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
                "content_text": summary(e),
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
