//! The VIES REST API over HTTPS: `POST {url}/check-vat-number`. A blocking call with a short
//! timeout (run it off the async executor, outside any transaction); every failure to get an
//! answer, from a refused connection to a member state that is down, is an `unavailable`
//! answer, never an error: the caller stores it and asks again later.

use super::wire::{self, CheckRequest};
use super::{Answer, ViesSettings};
use crate::country::VatId;

/// What VIES says about `vat_id` now.
pub fn check(settings: &ViesSettings, vat_id: &VatId) -> Answer {
    let country_code = vat_id.country().vat_prefix();
    let requester = settings.requester.as_ref();
    let request = CheckRequest {
        country_code,
        vat_number: vat_id.as_str(),
        requester_member_state_code: requester.map(|r| r.country().vat_prefix()),
        requester_number: requester.map(VatId::as_str),
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(settings.timeout))
        .http_status_as_error(false)
        .user_agent("kontor")
        .build()
        .into();
    let response = match agent
        .post(&format!("{}/check-vat-number", settings.url))
        .header("Accept", "application/json")
        .send_json(&request)
    {
        Ok(response) => response,
        Err(error) => return failed(vat_id, &error),
    };
    let status = response.status().as_u16();
    // Bounded: an answer is a few hundred bytes; a proxy's error page is not read to its end.
    match response.into_body().with_config().limit(64 * 1024).read_to_string() {
        Ok(body) => {
            let answer = wire::parse(status, &body);
            if let Some(reason) = &answer.reason {
                tracing::warn!(vat_id = %vat_id, reason, "VIES gave no verdict");
            }
            answer
        }
        Err(error) => failed(vat_id, &error),
    }
}

fn failed(vat_id: &VatId, error: &ureq::Error) -> Answer {
    tracing::warn!(vat_id = %vat_id, %error, "VIES unreachable");
    let reason = match error {
        ureq::Error::Timeout(_) => "TIMEOUT".to_owned(),
        other => format!("unreachable: {}", other.to_string().chars().take(200).collect::<String>()),
    };
    Answer::unavailable(&reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::country::Country;
    use crate::tax::vies::Verdict;

    #[test]
    fn nobody_listening_is_unavailable() {
        // Bound and dropped at once: connecting to it is refused.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let settings = ViesSettings {
            url: format!("http://127.0.0.1:{port}"),
            timeout: std::time::Duration::from_secs(2),
            requester: None,
        };
        let answer = check(&settings, &VatId::parse("ATU13585627", Country::Austria).unwrap());
        assert_eq!(answer.verdict, Verdict::Unavailable);
        assert!(answer.reason.is_some_and(|r| r.starts_with("unreachable")));
    }
}
