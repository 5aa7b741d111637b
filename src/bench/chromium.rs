//! The peers' route to a PDF, kept warm: one headless Chromium behind Debian's `chromedriver`,
//! one page reused, each invoice loaded as HTML and printed with WebDriver's "Print Page"
//! command. This is how an HTML-to-PDF billing system prints at its best (no browser start per
//! invoice), so the comparison with Kontor's renderer is fair.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};

use super::BenchError;

/// A running chromedriver with one Chromium session; both end when it is dropped.
pub struct WarmChromium {
    driver: Child,
    /// Held open: chromedriver would die writing to a closed pipe.
    _output: BufReader<std::process::ChildStdout>,
    agent: ureq::Agent,
    session_url: String,
    /// Prints Chromium failed and that were asked again.
    pub retries: std::cell::Cell<usize>,
}

fn failed(what: &str, detail: impl std::fmt::Display) -> BenchError {
    BenchError::Documents(format!("warm chromium: {what}: {detail}"))
}

/// `name` on the PATH.
pub fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|dir| Path::new(dir).join(name)).find(|p| p.is_file())
}

impl WarmChromium {
    /// Starts chromedriver on a free port and a headless Chromium session in a fresh profile
    /// below `scratch`.
    pub fn start(chromium: &Path, chromedriver: &Path, scratch: &Path) -> Result<WarmChromium, BenchError> {
        // Port 0: chromedriver picks a free port and prints it.
        let mut driver = Command::new(chromedriver)
            .args(["--port=0", "--allowed-ips=127.0.0.1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| BenchError::Io(chromedriver.display().to_string(), e))?;
        let stdout = driver.stdout.take().ok_or_else(|| failed("chromedriver", "no output"))?;
        let mut output = BufReader::new(stdout);
        let port = (&mut output)
            .lines()
            .map_while(Result::ok)
            .find_map(|line| {
                let (_, rest) = line.split_once("successfully on port ")?;
                rest.trim_end_matches('.').trim().parse::<u16>().ok()
            })
            .ok_or_else(|| failed("chromedriver", "did not say its port"))?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(60)))
            .http_status_as_error(false)
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let profile = scratch.join("warm-profile");
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.display().to_string(),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", "--disable-extensions",
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
        }}});
        let mut warm = WarmChromium {
            driver,
            _output: output,
            agent,
            session_url: String::new(),
            retries: Default::default(),
        };
        let created = warm.call("POST", &format!("{base}/session"), &capabilities)?;
        let session = created
            .pointer("/value/sessionId")
            .and_then(Value::as_str)
            .ok_or_else(|| failed("new session", &created))?;
        warm.session_url = format!("{base}/session/{session}");
        Ok(warm)
    }

    fn call(&self, method: &str, url: &str, body: &Value) -> Result<Value, BenchError> {
        let response = match method {
            "POST" => self.agent.post(url).send(body.to_string().as_str()),
            _ => self.agent.delete(url).call(),
        }
        .map_err(|e| failed(url, e))?;
        let text = response.into_body().read_to_string().map_err(|e| failed(url, e))?;
        let value: Value = serde_json::from_str(&text).map_err(|e| failed(url, e))?;
        if value.pointer("/value/error").is_some() {
            return Err(failed(url, value));
        }
        Ok(value)
    }

    /// Loads `url` in the one page and prints it as an A4 PDF; returns the PDF's size.
    /// Chromium now and then answers a print with "Printing failed"; such a print is asked
    /// again (up to twice, counted in `retries`), as a billing system's job would.
    pub fn print(&self, url: &str) -> Result<usize, BenchError> {
        self.call("POST", &format!("{}/url", self.session_url), &json!({ "url": url }))?;
        let print = || {
            self.call(
                "POST",
                &format!("{}/print", self.session_url),
                &json!({ "page": { "width": 21.0, "height": 29.7 }, "background": true }),
            )
        };
        let mut printed = print();
        for _ in 0..2 {
            if printed.is_ok() {
                break;
            }
            self.retries.set(self.retries.get() + 1);
            printed = print();
        }
        let printed = printed?;
        let encoded = printed
            .get("value")
            .and_then(Value::as_str)
            .ok_or_else(|| failed("print", "no PDF in the answer"))?;
        let pdf =
            base64::engine::general_purpose::STANDARD.decode(encoded).map_err(|e| failed("print", e))?;
        if !pdf.starts_with(b"%PDF-") {
            return Err(failed("print", "the answer is not a PDF"));
        }
        Ok(pdf.len())
    }
}

impl Drop for WarmChromium {
    fn drop(&mut self) {
        if !self.session_url.is_empty() {
            let _ = self.call("DELETE", &self.session_url, &Value::Null);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
