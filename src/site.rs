//! The deployment as the domain sees it: where links in emails point and the domain of
//! Message-IDs. Built by the edges from the settings and passed down.

/// What operations that write to people need from the deployment: where links point, who
/// mail is from.
#[derive(Debug, Clone)]
pub struct Site {
    /// The portal's public base URL, e.g. `https://portal.example` (no trailing slash).
    pub public_url: String,
    /// The domain of Message-IDs.
    pub mail_domain: String,
}

impl Site {
    pub fn link(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.public_url.trim_end_matches('/'))
    }
}
