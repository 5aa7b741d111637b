//! The status page as static files: after every change to an incident or maintenance the page
//! and its Atom and JSON feeds are rendered in every language into `KONTOR_STATUS_DIR`
//! (`<lang>/index.html`, `<lang>/feed.atom`, `<lang>/feed.json`), each written to a temporary
//! file and renamed into place so a reader never sees half a file. A file whose bytes did not
//! change is left alone. After a render that wrote something, `KONTOR_STATUS_PUBLISH` runs
//! (copying the folder to another host). `kontor serve` answers from these files when the
//! database does not.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use diesel::PgConnection;
use tera::Context;

use crate::config::Settings;
use crate::i18n::{LANGUAGES, Lang};
use crate::incidents::{feeds, status};

/// One render at a time in this process: a later render reads later data, so it must also
/// write later.
static RENDERING: Mutex<()> = Mutex::new(());

/// The files of one language, as they are named in the folder.
pub const PAGE: &str = "index.html";
pub const ATOM: &str = "feed.atom";
pub const JSON: &str = "feed.json";

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("reading the incidents: {0}")]
    Incidents(#[from] crate::incidents::IncidentError),
    #[error("rendering the status page: {0}")]
    Render(String),
    #[error("writing {path}: {source}")]
    Write { path: String, source: std::io::Error },
    #[error("the publish command failed: {0}")]
    Publish(String),
}

/// What a render did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rendered {
    pub written: usize,
    pub unchanged: usize,
}

/// Who reads a live page. The snapshot is rendered for no one in particular (the default):
/// times in UTC for the browser to rewrite, and a link to the portal's form to follow updates.
#[derive(Debug, Clone, Default)]
pub struct Reader {
    /// A signed-in customer: times in the zone of their settings, when they chose one.
    pub customer: Option<i64>,
    /// The visitor's CSRF token: the page carries the form to follow updates by email.
    pub csrf: Option<String>,
    /// Who is signed in, for the menu.
    pub signed_in: Option<(String, bool)>,
}

/// The three documents of one language.
pub fn documents(
    conn: &mut PgConnection,
    settings: &Settings,
    lang: &Lang,
    reader: &Reader,
) -> Result<[(&'static str, Vec<u8>); 3], SnapshotError> {
    let now = settings.clock.now();
    let base = settings.public_url.trim_end_matches('/');
    let zone = match reader.customer {
        Some(customer) => status::chosen_zone(conn, customer)?,
        None => None,
    };
    let page = status::public(conn, lang, zone, now)?;
    let mut context = Context::new();
    context.insert("status", &page);
    context.insert("staff_view", &false);
    context.insert("zone", &zone.map(|z| z.name()));
    context.insert("components", &super::status_subscribers::component_choices(lang));
    match &reader.csrf {
        Some(csrf) => context.insert("csrf", csrf),
        None => context.insert("subscribe_url", &format!("{base}/status/subscribe?lang={}", lang.code())),
    }
    if let Some((email, staff)) = &reader.signed_in {
        context.insert("nav_email", email);
        context.insert("nav_staff", staff);
    }
    let html = super::render::bare("pages/status.html", lang, context).map_err(SnapshotError::Render)?;
    let atom = feeds::atom(lang, &page, base, now);
    let json = feeds::json(lang, &page, base).to_string();
    Ok([(PAGE, html.into_bytes()), (ATOM, atom.into_bytes()), (JSON, json.into_bytes())])
}

/// Renders every language into the folder, then publishes when anything changed.
pub fn render(conn: &mut PgConnection, settings: &Settings) -> Result<Rendered, SnapshotError> {
    let _one_at_a_time = RENDERING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut rendered = Rendered { written: 0, unchanged: 0 };
    for code in LANGUAGES {
        let Some(lang) = Lang::supported(code) else { continue };
        for (name, bytes) in documents(conn, settings, &lang, &Reader::default())? {
            if write_if_changed(&settings.status_dir.join(code).join(name), &bytes)? {
                rendered.written += 1;
            } else {
                rendered.unchanged += 1;
            }
        }
    }
    if rendered.written > 0
        && let Some(command) = &settings.status_publish
    {
        publish(command, &settings.status_dir)?;
    }
    Ok(rendered)
}

/// Writes `bytes` to `path` through a temporary file and a rename, unless the file holds
/// them already. True when it wrote.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool, SnapshotError> {
    let failed = |source| SnapshotError::Write { path: path.display().to_string(), source };
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, bytes).map_err(failed)?;
    std::fs::rename(&temporary, path).map_err(failed)?;
    Ok(true)
}

fn publish(command: &str, dir: &Path) -> Result<(), SnapshotError> {
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .arg("kontor-status-publish")
        .arg(dir)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| SnapshotError::Publish(e.to_string()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(SnapshotError::Publish(format!(
            "{}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}

/// A stored document of the last render, if there is one.
pub fn read(settings: &Settings, lang: &Lang, name: &str) -> Option<Vec<u8>> {
    std::fs::read(settings.status_dir.join(lang.code()).join(name)).ok()
}

/// Renders after a change has been committed, on the blocking pool. A failure is logged, not
/// shown: the change itself is done, and the next change renders again.
pub async fn refresh(state: &actix_web::web::Data<super::AppState>) {
    let state = state.clone();
    let done = actix_web::web::block(move || -> Result<Rendered, String> {
        let mut conn = state.pool.get().map_err(|e| e.to_string())?;
        render(&mut conn, &state.settings).map_err(|e| crate::causes::cause_chain(&e))
    })
    .await;
    match done {
        Ok(Ok(rendered)) => tracing::debug!(?rendered, "status snapshot"),
        Ok(Err(error)) => tracing::error!(%error, "status snapshot"),
        Err(error) => tracing::error!(%error, "status snapshot"),
    }
}
