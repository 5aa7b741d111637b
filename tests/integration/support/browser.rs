//! A real browser for the tests: headless Chromium driven over WebDriver (fantoccini talking
//! to Debian's `chromedriver`).
//!
//! One chromedriver serves the whole test run; the first test that asks starts it, like the
//! shared PostgreSQL cluster. Every test gets a Chromium of its own with a fresh profile (no
//! cookies, no cache), closed when the test ends, pass or fail. A watchdog ends chromedriver and
//! every Chromium it started when the test process ends, however it ends.
//!
//! The helpers are synchronous, like the rest of the suite: each call runs the WebDriver
//! command to completion on the session's own small runtime. Nothing sleeps to synchronise:
//! `wait_for_url` and `wait_for_text` poll for a condition, bounded, and fail with what the
//! browser shows instead.
//!
//! Without `chromium` and `chromedriver` on the machine, `TestServer::chromium` returns `None`
//! after printing that the test is skipped; with them, anything that goes wrong fails the test.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// How long a wait polls before the test fails. Generous: two cores shared with other
/// builds, a debug server, and a Chromium starting cold.
const WAIT: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(50);

/// The flags Chromium needs here: headless as root (no sandbox), no GPU, /dev/shm too small
/// in containers, and nothing that reaches for the network (it is closed) or slows start-up.
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-crash-reporter",
    "--disable-extensions",
    "--window-size=1280,900",
];

/// The chromedriver of this test run.
struct Driver {
    url: String,
    chromium: PathBuf,
    /// Profiles of the sessions live below; the watchdog removes it at the end.
    profiles: PathBuf,
    log: PathBuf,
    /// Both live as long as the test process: the watchdog ends chromedriver's process group
    /// when its stdin (held here) closes.
    _chromedriver: Child,
    _watchdog: Child,
}

static DRIVER: OnceLock<Option<Driver>> = OnceLock::new();

/// `name` on the PATH, as the shell would find it.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|candidate| {
        std::fs::metadata(candidate).is_ok_and(|m| {
            m.is_file() && std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o111 != 0
        })
    })
}

/// The run's chromedriver, started on first use; `None` when Chromium is not installed.
fn driver() -> Option<&'static Driver> {
    DRIVER
        .get_or_init(|| {
            let chromium = on_path("chromium").or_else(|| on_path("chromium-browser"));
            let chromedriver = on_path("chromedriver");
            let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
                return None;
            };
            Some(start_driver(&chromium, &chromedriver))
        })
        .as_ref()
}

fn start_driver(chromium: &Path, chromedriver: &Path) -> Driver {
    let root = super::scratch_dir("chromium");
    let profiles = root.join("profiles");
    std::fs::create_dir_all(&profiles).expect("a folder for Chromium profiles");
    let log = root.join("chromedriver.log");
    // Its own process group, which every Chromium it starts joins: the watchdog ends them all
    // with one signal (also after a Ctrl-C, which reaches only the test process's group).
    let mut child = Command::new(chromedriver)
        .arg("--port=0")
        .arg(format!("--log-path={}", log.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("{} does not start: {e}", chromedriver.display()));
    let group = child.id();
    let watchdog = Command::new("/bin/sh")
        .arg("-c")
        .arg(
            r#"trap '' INT TERM HUP
while read -r _; do :; done
# A negative pid is the whole group (dash's kill takes no "--"). Chromium shuts down on TERM;
# whatever is left after two seconds is killed.
kill -TERM "-$1" 2>/dev/null
sleep 2
kill -KILL "-$1" 2>/dev/null
rm -rf "$2""#,
        )
        .arg("kontor-chromium-watchdog")
        .arg(group.to_string())
        .arg(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("the Chromium watchdog starts");
    // chromedriver says which free port it took ("... started successfully on port 40123.").
    let stdout = child.stdout.take().expect("chromedriver's stdout");
    let mut lines = BufReader::new(stdout).lines();
    let port = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(rest) = line.split("successfully on port ").nth(1) {
                    break rest.trim_end_matches('.').trim().parse::<u16>().expect("chromedriver's port");
                }
            }
            _ => panic!(
                "chromedriver ended before it listened; its log:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            ),
        }
    };
    // Keep reading, so chromedriver never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Driver {
        url: format!("http://127.0.0.1:{port}"),
        chromium: chromium.to_owned(),
        profiles,
        log,
        _chromedriver: child,
        _watchdog: watchdog,
    }
}

/// One test's Chromium: its own profile and cookies, closed when dropped.
pub struct Chromium {
    runtime: tokio::runtime::Runtime,
    client: Option<Client>,
    /// The server under test: relative paths are resolved against it.
    base: url::Url,
    profile: PathBuf,
}

impl Chromium {
    /// A fresh Chromium pointed at `base` (`http://127.0.0.1:<port>`), or `None` after printing
    /// that the test is skipped when Chromium or chromedriver is not installed.
    pub fn start(base: &str) -> Option<Chromium> {
        Chromium::start_in_zone(base, None)
    }

    /// Like `start`, with the browser's clock in `zone` (an IANA name): Chromium takes its
    /// time zone from `TZ`, which one chromedriver for the whole run cannot set per session, so
    /// this session's "binary" is a small script that sets it and runs Chromium.
    pub fn start_in_zone(base: &str, zone: Option<&str>) -> Option<Chromium> {
        let Some(driver) = driver() else {
            // Straight to stderr: the test harness captures print!, and a skip must be seen.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: install chromium chromium-driver (no chromium or chromedriver on the PATH) \
                 to run the browser tests"
            );
            return None;
        };
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let profile = driver.profiles.join(NEXT.fetch_add(1, Ordering::Relaxed).to_string());
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| f.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let binary = match zone {
            None => driver.chromium.clone(),
            Some(zone) => {
                assert!(zone.chars().all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c)), "{zone}");
                let script = profile.with_extension("sh");
                let text = format!("#!/bin/sh\nTZ='{zone}' exec '{}' \"$@\"\n", driver.chromium.display());
                std::fs::write(&script, text).expect("the zone's Chromium script");
                std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
                    .expect("the script is executable");
                script
            }
        };
        let capabilities = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "timeouts": { "pageLoad": 30_000, "script": 10_000, "implicit": 0 },
            "goog:chromeOptions": { "binary": binary, "args": args },
        });
        let serde_json::Value::Object(capabilities) = capabilities else { unreachable!() };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .expect("a runtime for the WebDriver client");
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = runtime
            .block_on(ClientBuilder::new(connector).capabilities(capabilities).connect(&driver.url))
            .unwrap_or_else(|e| {
                // The log goes with the run's folder at exit, so its end is quoted here.
                let log = std::fs::read_to_string(&driver.log).unwrap_or_default();
                let lines: Vec<&str> = log.lines().collect();
                let tail = lines[lines.len().saturating_sub(40)..].join("\n");
                panic!("Chromium does not start under chromedriver: {e}; the end of its log:\n{tail}")
            });
        let base = url::Url::parse(base).expect("a base URL");
        Some(Chromium { runtime, client: Some(client), base, profile })
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("open until dropped")
    }

    fn run<T, E: std::fmt::Display>(&self, what: &str, future: impl Future<Output = Result<T, E>>) -> T {
        self.runtime.block_on(future).unwrap_or_else(|e| panic!("browser: {what}: {e}"))
    }

    fn absolute(&self, path_or_url: &str) -> String {
        self.base.join(path_or_url).expect("a URL").to_string()
    }

    /// Opens `path_or_url` (a path is on the server under test) and waits for it to load.
    pub fn goto(&self, path_or_url: &str) {
        let url = self.absolute(path_or_url);
        self.run(&format!("open {url}"), self.client().goto(&url));
    }

    /// Reloads the current page, as the reload button does. A page that answered a form is
    /// posted again: Chromium under WebDriver does not ask first.
    pub fn reload(&self) {
        self.run("reload", self.client().refresh());
    }

    /// The address the browser shows.
    pub fn url(&self) -> url::Url {
        self.run("read the URL", self.client().current_url())
    }

    /// The path and query when the browser is on the server under test, else the whole URL.
    pub fn path(&self) -> String {
        let url = self.url();
        if url.origin() == self.base.origin() {
            match url.query() {
                Some(query) => format!("{}?{query}", url.path()),
                None => url.path().to_owned(),
            }
        } else {
            url.to_string()
        }
    }

    /// The page's text as a reader sees it (`innerText`: no markup, hidden parts left out).
    pub fn text(&self) -> String {
        let script = "return document.body ? document.body.innerText : '';";
        let value = self.run("read the page text", self.client().execute(script, Vec::new()));
        value.as_str().unwrap_or_default().to_owned()
    }

    /// The page's markup.
    pub fn html(&self) -> String {
        self.run("read the page source", self.client().source())
    }

    /// The one element matching `css`.
    fn one(&self, css: &str) -> Element {
        let found = self.run(&format!("find {css}"), self.client().find_all(Locator::Css(css)));
        match found.len() {
            1 => found.into_iter().next().expect("one element"),
            0 => panic!("browser: nothing matches {css} on {}:\n{}", self.path(), self.text()),
            n => panic!("browser: {n} elements match {css} on {}; make the selector unique", self.path()),
        }
    }

    /// Types `value` into the field named `name` (or picks the option with that value of a
    /// `select`), replacing what was there.
    pub fn fill(&self, name: &str, value: &str) {
        let field = self.one(&format!("[name=\"{name}\"]"));
        let tag = self.run("read a tag name", field.tag_name());
        if tag.eq_ignore_ascii_case("select") {
            self.run(&format!("choose {value} in {name}"), field.select_by_value(value));
        } else {
            self.run(&format!("clear {name}"), field.clear());
            self.run(&format!("type into {name}"), field.send_keys(value));
        }
    }

    /// Fills several fields (see `fill`).
    pub fn fill_all(&self, fields: &[(&str, &str)]) {
        for (name, value) in fields {
            self.fill(name, value);
        }
    }

    /// The one link or button shown inside `scope` (CSS) whose visible text is exactly `text`
    /// (spaces normalised).
    fn by_text(&self, scope: &str, text: &str) -> Element {
        let literal = xpath_literal(text);
        let xpath = format!(
            ".//a[normalize-space(.)={literal}] | .//button[normalize-space(.)={literal}] \
             | .//input[(@type='submit' or @type='button') and @value={literal}]"
        );
        let within = self.one(scope);
        let candidates = self.run(&format!("find {text:?}"), within.find_all(Locator::XPath(&xpath)));
        let mut shown = Vec::new();
        for candidate in candidates {
            if self.run("check visibility", candidate.is_displayed()) {
                shown.push(candidate);
            }
        }
        match shown.len() {
            1 => shown.into_iter().next().expect("one element"),
            0 => {
                panic!("browser: no link or button {text:?} in {scope} on {}:\n{}", self.path(), self.text())
            }
            n => panic!(
                "browser: {n} links or buttons {text:?} in {scope} on {}; name a narrower scope",
                self.path()
            ),
        }
    }

    /// Clicks the one link or button whose visible text is exactly `text`.
    pub fn click(&self, text: &str) {
        self.click_in("body", text);
    }

    /// Clicks the one link or button inside `scope` (CSS, e.g. `main`, `form[action="/login"]`)
    /// whose visible text is exactly `text`: the same words may be a menu entry and a button.
    pub fn click_in(&self, scope: &str, text: &str) {
        let element = self.by_text(scope, text);
        self.run(&format!("click {text:?}"), element.click());
    }

    /// Where the one link with the visible text `text` leads, as written in the page.
    pub fn link(&self, text: &str) -> String {
        let element = self.by_text("body", text);
        let href = self.run(&format!("read the link of {text:?}"), element.attr("href"));
        href.unwrap_or_else(|| panic!("browser: {text:?} has no href"))
    }

    /// Clicks the one element matching `css`.
    pub fn click_css(&self, css: &str) {
        let element = self.one(css);
        self.run(&format!("click {css}"), element.click());
    }

    /// Polls until `check` gives a value; fails the test after `WAIT` with `what` and what the
    /// browser shows.
    pub fn wait_until<T>(&self, what: &str, mut check: impl FnMut(&Chromium) -> Option<T>) -> T {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(value) = check(self) {
                return value;
            }
            if Instant::now() >= deadline {
                panic!(
                    "browser: waited {} s for {what}; the browser is at {} showing:\n{}",
                    WAIT.as_secs(),
                    self.url(),
                    self.text()
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits until the address contains `part`; returns `path()`.
    pub fn wait_for_url(&self, part: &str) -> String {
        self.wait_until(&format!("an address containing {part:?}"), |c| {
            let url = c.url().to_string();
            url.contains(part).then(|| c.path())
        })
    }

    /// Waits until the page's text contains `text`; returns the page's text.
    pub fn wait_for_text(&self, text: &str) -> String {
        self.wait_until(&format!("the text {text:?}"), |c| {
            let page = c.text();
            page.contains(text).then_some(page)
        })
    }

    /// Sets the window's outer size, as a phone or a desktop would be (CSS pixels).
    pub fn window_size(&self, width: u32, height: u32) {
        self.run(&format!("resize to {width}x{height}"), self.client().set_window_size(width, height));
    }

    /// The page's layout viewport width in CSS pixels and how wide its content is: a page
    /// that scrolls sideways has content wider than the viewport.
    pub fn widths(&self) -> (i64, i64) {
        let script = "return [document.documentElement.clientWidth, document.documentElement.scrollWidth];";
        let value = self.run("measure the page", self.client().execute(script, Vec::new()));
        let width = |i: usize| value.get(i).and_then(serde_json::Value::as_i64).unwrap_or_default();
        (width(0), width(1))
    }

    /// Runs `script` in the page and returns what it returns.
    pub fn script(&self, script: &str) -> serde_json::Value {
        self.run("run a script", self.client().execute(script, Vec::new()))
    }

    /// Runs axe-core (the test asset `tests/assets/axe.min.js`) on the current page; returns
    /// its violations of impact serious or critical as "rule: target (impact)" lines. WebDriver
    /// runs the script outside the page's Content-Security-Policy, so the portal needs no
    /// exception for it.
    pub fn serious_accessibility_violations(&self) -> Vec<String> {
        const AXE: &str = include_str!("../../assets/axe.min.js");
        self.run("inject axe-core", self.client().execute(&format!("{AXE}\nreturn true;"), Vec::new()));
        let script = "const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] })
              .then(r => done(r.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .flatMap(v => v.nodes.map(n => v.id + ': ' + n.target.join(' ') + ' (' + v.impact + ') ' + n.failureSummary))))
              .catch(e => done(['axe failed: ' + e]));";
        let value = self.run("run axe-core", self.client().execute_async(script, Vec::new()));
        value
            .as_array()
            .map(|found| found.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_else(|| vec![format!("axe answered {value}")])
    }

    /// The session's cookies for the server under test (name, value).
    pub fn cookies(&self) -> Vec<(String, String)> {
        let cookies = self.run("read cookies", self.client().get_all_cookies());
        cookies.iter().map(|c| (c.name().to_owned(), c.value().to_owned())).collect()
    }

    /// A plain HTTP client carrying this session's cookies, for what a browser downloads
    /// rather than shows (PDFs). It comes from the address Chromium uses (loopback), not the
    /// documentation address `Browser` uses by default.
    pub fn http(&self) -> super::Browser {
        let mut browser = super::Browser::new(self.base.port().expect("a port"));
        browser.ip = "127.0.0.1".to_owned();
        browser.cookies = self.cookies().into_iter().collect();
        browser
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            // Ends the session: chromedriver quits this Chromium.
            let _ = self.runtime.block_on(client.close());
        }
        let _ = std::fs::remove_dir_all(&self.profile);
        let _ = std::fs::remove_file(self.profile.with_extension("sh"));
    }
}

/// `text` as an XPath string literal (XPath 1.0 has no escapes: quotes are mixed by concat).
fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

#[test]
fn xpath_literals_survive_quotes() {
    assert_eq!(xpath_literal("Pay now"), "'Pay now'");
    assert_eq!(xpath_literal("Don't"), "\"Don't\"");
    assert_eq!(xpath_literal("a'b\"c"), "concat('a', \"'\", 'b\"c')");
}
