//! What crosses the wire to and from the VIES REST API (`POST /check-vat-number`): the request,
//! the answer and its error body, and how an HTTP answer becomes an [`Answer`].
//!
//! An answer to the check: `{"countryCode": "AT", "vatNumber": "U13585627", "requestDate":
//! "2026-12-05T09:00:00.000Z", "valid": true, "requestIdentifier": "WAPIAAAAW...", "name":
//! "...", "address": "..."}`, where a member state that shares no trader data says `"---"`.
//! A refusal: `{"actionSucceed": false, "errorWrappers": [{"error": "MS_UNAVAILABLE",
//! "message": "..."}]}`, with HTTP 200 as well as with an error status.

use serde::{Deserialize, Serialize};

use super::{Answer, Verdict};

/// The body of `POST /check-vat-number`. The requester (the seller's own VAT ID) makes VIES
/// give a consultation number, the evidence that the check was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckRequest<'a> {
    pub country_code: &'a str,
    pub vat_number: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requester_member_state_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requester_number: Option<&'a str>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CheckResponse {
    valid: bool,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    request_identifier: Option<String>,
    #[serde(default)]
    request_date: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorResponse {
    #[serde(default)]
    action_succeed: Option<bool>,
    #[serde(default)]
    error_wrappers: Vec<ErrorWrapper>,
}

#[derive(Debug, Clone, Deserialize)]
struct ErrorWrapper {
    #[serde(default)]
    error: Option<String>,
}

/// VIES refuses the number itself: the member state does not know it in that form. Every other
/// error code (MS_UNAVAILABLE, TIMEOUT, SERVICE_UNAVAILABLE, the concurrency limits, a refused
/// requester) says nothing about the number and is asked again later.
const NUMBER_REFUSED: &str = "INVALID_INPUT";

/// Longest text kept from an answer: VIES addresses are a few lines; anything longer is not one.
const MAX_TEXT: usize = 500;

/// The answer to an HTTP exchange with VIES: `status` and the body as received.
pub fn parse(status: u16, body: &str) -> Answer {
    if let Ok(error) = serde_json::from_str::<ErrorResponse>(body)
        && (error.action_succeed == Some(false) || !error.error_wrappers.is_empty())
    {
        let code = error
            .error_wrappers
            .iter()
            .find_map(|w| w.error.as_deref().map(str::trim).filter(|e| !e.is_empty()))
            .unwrap_or("UNKNOWN_ERROR");
        return if code == NUMBER_REFUSED {
            Answer { verdict: Verdict::Invalid, reason: Some(code.to_owned()), ..Answer::default() }
        } else {
            Answer::unavailable(code)
        };
    }
    if !(200..300).contains(&status) {
        return Answer::unavailable(&format!("HTTP {status}"));
    }
    match serde_json::from_str::<CheckResponse>(body) {
        Ok(answer) => Answer {
            verdict: if answer.valid { Verdict::Valid } else { Verdict::Invalid },
            name: shared(answer.name),
            address: shared(answer.address),
            request_identifier: shared(answer.request_identifier),
            request_date: shared(answer.request_date),
            reason: None,
        },
        Err(_) => Answer::unavailable("unreadable answer"),
    }
}

/// Trader data as Kontor keeps it: `None` where VIES shares none (`"---"` or empty), control
/// characters other than line breaks dropped, at most `MAX_TEXT` characters.
fn shared(text: Option<String>) -> Option<String> {
    let text = text?;
    let text = text.trim();
    if text.is_empty() || text.chars().all(|c| c == '-') {
        return None;
    }
    Some(text.chars().filter(|c| *c == '\n' || !c.is_control()).take(MAX_TEXT).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_number_with_trader_data() {
        let body = r#"{"countryCode":"AT","vatNumber":"U13585627","requestDate":"2026-12-05T09:00:00.123Z",
            "valid":true,"requestIdentifier":"WAPIAAAAZ1abcdef","name":"Gruber Hosting GmbH",
            "address":"Mariahilfer Straße 5\n1060 Wien","traderName":"---","traderStreet":"---"}"#;
        let answer = parse(200, body);
        assert_eq!(answer.verdict, Verdict::Valid);
        assert_eq!(answer.name.as_deref(), Some("Gruber Hosting GmbH"));
        assert_eq!(answer.address.as_deref(), Some("Mariahilfer Straße 5\n1060 Wien"));
        assert_eq!(answer.request_identifier.as_deref(), Some("WAPIAAAAZ1abcdef"));
        assert_eq!(answer.request_date.as_deref(), Some("2026-12-05T09:00:00.123Z"));
        assert_eq!(answer.reason, None);
    }

    #[test]
    fn a_valid_number_of_a_state_that_shares_nothing() {
        let body = r#"{"countryCode":"DE","vatNumber":"811907980","requestDate":"2026-12-05T09:00:00Z",
            "valid":true,"requestIdentifier":"","name":"---","address":"---"}"#;
        let answer = parse(200, body);
        assert_eq!(answer.verdict, Verdict::Valid);
        assert_eq!((answer.name, answer.address, answer.request_identifier), (None, None, None));
    }

    #[test]
    fn an_invalid_number() {
        let body = r#"{"countryCode":"FR","vatNumber":"40303265045","requestDate":"2026-12-05T09:00:00Z",
            "valid":false,"name":"---","address":"---"}"#;
        let answer = parse(200, body);
        assert_eq!(answer.verdict, Verdict::Invalid);
        assert_eq!(answer.reason, None);
    }

    #[test]
    fn error_bodies_are_unavailable_unless_the_number_itself_is_refused() {
        let down = r#"{"actionSucceed":false,"errorWrappers":[{"error":"MS_UNAVAILABLE","message":"The application at the Member State is not replying"}]}"#;
        for status in [200, 500] {
            let answer = parse(status, down);
            assert_eq!(answer.verdict, Verdict::Unavailable, "HTTP {status}");
            assert_eq!(answer.reason.as_deref(), Some("MS_UNAVAILABLE"));
        }
        let busy = r#"{"actionSucceed":false,"errorWrappers":[{"error":"MS_MAX_CONCURRENT_REQ"}]}"#;
        assert_eq!(parse(200, busy).reason.as_deref(), Some("MS_MAX_CONCURRENT_REQ"));
        let refused = r#"{"actionSucceed":false,"errorWrappers":[{"error":"INVALID_INPUT"}]}"#;
        assert_eq!(parse(400, refused).verdict, Verdict::Invalid);
        let bare = r#"{"actionSucceed":false}"#;
        assert_eq!(parse(200, bare).reason.as_deref(), Some("UNKNOWN_ERROR"));
    }

    #[test]
    fn anything_else_is_unavailable() {
        assert_eq!(parse(503, "<html>Service Unavailable</html>").reason.as_deref(), Some("HTTP 503"));
        assert_eq!(parse(200, "<html>maintenance</html>").reason.as_deref(), Some("unreadable answer"));
        assert_eq!(parse(200, r#"{"countryCode":"AT"}"#).verdict, Verdict::Unavailable, "no verdict");
    }

    #[test]
    fn trader_text_is_kept_clean_and_short() {
        assert_eq!(shared(Some(" A\u{7}B\r\nC ".to_owned())).as_deref(), Some("AB\nC"));
        assert_eq!(shared(Some("x".repeat(2000))).map(|s| s.chars().count()), Some(MAX_TEXT));
        assert_eq!(shared(Some("---".to_owned())), None);
    }

    #[test]
    fn the_request_names_the_requester_only_when_there_is_one() {
        let plain = CheckRequest {
            country_code: "AT",
            vat_number: "U13585627",
            requester_member_state_code: None,
            requester_number: None,
        };
        assert_eq!(
            serde_json::to_value(&plain).unwrap(),
            serde_json::json!({"countryCode": "AT", "vatNumber": "U13585627"})
        );
        let with = CheckRequest {
            requester_member_state_code: Some("DE"),
            requester_number: Some("811907980"),
            ..plain
        };
        assert_eq!(serde_json::to_value(&with).unwrap()["requesterNumber"], "811907980");
    }
}
