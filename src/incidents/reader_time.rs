//! Times as the reader lives them: a customer's own time zone (their profile's, else their
//! country's main one), and an affected window written in it.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::i18n::format::Formats;

/// The main time zone of a country Kontor sells to (ISO code); Berlin for anything else.
pub fn zone_of_country(country: &str) -> Tz {
    use chrono_tz::Europe;
    match country.trim() {
        "AT" => Europe::Vienna,
        "BE" => Europe::Brussels,
        "BG" => Europe::Sofia,
        "HR" => Europe::Zagreb,
        "CY" => chrono_tz::Asia::Nicosia,
        "CZ" => Europe::Prague,
        "DK" => Europe::Copenhagen,
        "EE" => Europe::Tallinn,
        "FI" => Europe::Helsinki,
        "FR" => Europe::Paris,
        "GR" => Europe::Athens,
        "HU" => Europe::Budapest,
        "IE" => Europe::Dublin,
        "IT" => Europe::Rome,
        "LV" => Europe::Riga,
        "LT" => Europe::Vilnius,
        "LU" => Europe::Luxembourg,
        "MT" => Europe::Malta,
        "NL" => Europe::Amsterdam,
        "PL" => Europe::Warsaw,
        "PT" => Europe::Lisbon,
        "RO" => Europe::Bucharest,
        "SK" => Europe::Bratislava,
        "SI" => Europe::Ljubljana,
        "ES" => Europe::Madrid,
        "SE" => Europe::Stockholm,
        "CH" | "LI" => Europe::Zurich,
        "NO" => Europe::Oslo,
        "GB" => Europe::London,
        _ => Europe::Berlin,
    }
}

/// The customer's zone: the one they chose, else their country's.
pub fn zone(chosen: Option<&str>, country: &str) -> Tz {
    chosen.and_then(|name| name.parse::<Tz>().ok()).unwrap_or_else(|| zone_of_country(country))
}

/// `03.11.2026 11:00–16:00 (Europe/Oslo)`, or with both dates when the window spans midnight
/// there; an open window (still going on) ends in "…".
pub fn window_text(formats: &Formats, zone: Tz, from: DateTime<Utc>, until: Option<DateTime<Utc>>) -> String {
    let from = from.with_timezone(&zone);
    let start = format!("{} {}", formats.date(from.date_naive()), from.format("%H:%M"));
    let end = match until.map(|u| u.with_timezone(&zone)) {
        None => "…".to_owned(),
        Some(until) if until.date_naive() == from.date_naive() => until.format("%H:%M").to_string(),
        Some(until) => format!(" {} {}", formats.date(until.date_naive()), until.format("%H:%M")),
    };
    let dash = if end.starts_with(' ') { " –" } else { "–" };
    format!("{start}{dash}{end} ({})", zone.name())
}

/// A customer's windows in one line: `fs19: 03.11.2026 11:00–16:00 (Europe/Oslo); fs20: …`.
pub fn windows_text(formats: &Formats, zone: Tz, windows: &[super::windows::Window]) -> String {
    windows
        .iter()
        .map(|w| format!("{}: {}", w.resource, window_text(formats, zone, w.from, w.until)))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_window_is_written_in_the_reader_s_zone_and_language() {
        let nb = Formats::new(&Lang::supported("nb").unwrap(), "NO");
        let en = Formats::new(&Lang::english(), "GB");
        let from = Utc.with_ymd_and_hms(2026, 11, 3, 10, 0, 0).unwrap();
        let until = Utc.with_ymd_and_hms(2026, 11, 3, 15, 0, 0).unwrap();
        let oslo = zone(None, "NO");
        assert_eq!(window_text(&nb, oslo, from, Some(until)), "03.11.2026 11:00–16:00 (Europe/Oslo)");
        assert_eq!(
            window_text(&en, zone(None, "GB"), from, Some(until)),
            "03/11/2026 10:00–15:00 (Europe/London)"
        );
        // Over midnight in Oslo (New Year's Eve 23:30 to 2 January 19:00): both dates.
        let eve = Utc.with_ymd_and_hms(2026, 12, 31, 22, 30, 0).unwrap();
        let back = Utc.with_ymd_and_hms(2027, 1, 2, 18, 0, 0).unwrap();
        assert_eq!(
            window_text(&nb, oslo, eve, Some(back)),
            "31.12.2026 23:30 – 02.01.2027 19:00 (Europe/Oslo)"
        );
        assert_eq!(window_text(&nb, oslo, eve, None), "31.12.2026 23:30–… (Europe/Oslo)");
        // A chosen zone wins over the country's; an unknown name falls back to it.
        assert_eq!(zone(Some("America/New_York"), "NO").name(), "America/New_York");
        assert_eq!(zone(Some("Mars/Base"), "NO").name(), "Europe/Oslo");
    }
}
