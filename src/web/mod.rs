//! The actix-web shell: routes, templates, static assets, security middleware. Handlers
//! extract input, call one domain function and render; nothing blocking runs on the async
//! executor.

mod account_pages;
mod assets;
mod backoffice;
pub mod csrf;
pub mod env;
mod error;
mod pages;
mod render;
mod settings_pages;
pub mod templates;
mod worker;

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, DefaultHeaders, from_fn};
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;

use crate::config::Settings;
use crate::db::PgPool;
pub use env::AppState;
pub use error::{Problem, WebError};
use templates::Templates;

/// The web server, bound and ready to run.
pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Binds `settings.bind` (port 0 picks a free port, as tests do) and registers every route.
    pub fn build(settings: &Settings, pool: PgPool) -> std::io::Result<Application> {
        let listener = TcpListener::bind(settings.bind)?;
        let port = listener.local_addr()?.port();
        let state = web::Data::new(AppState {
            pool,
            templates: Templates::load().map_err(std::io::Error::other)?,
            settings: settings.clone(),
        });
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(csrf::middleware))
                .wrap(security_headers(state.settings.secure_cookies))
                .wrap(TracingLogger::default())
                .wrap(Compress::default())
                .app_data(state.clone())
                .configure(routes)
        })
        .listen(listener)?
        .run();
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server from another thread (tests; `serve` stops on signals).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGINT or SIGTERM, then finishes in-flight requests and returns.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Headers every response carries: no inline scripts, no framing, no referrer (reset links
/// carry tokens), no MIME sniffing; HSTS when served over HTTPS.
pub fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Content-Type-Options", "nosniff"));
    if https {
        headers.add(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    } else {
        headers
    }
}

/// Every route, in one place. Customer routes that take an id are listed in
/// [`CUSTOMER_ID_ROUTES`] too, so a test can walk them all.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(pages::home))
        .route("/healthz", web::get().to(pages::healthz))
        .route("/lang/{code}", web::get().to(pages::choose_language))
        .route("/assets/{name}", web::get().to(assets::serve))
        .route("/signup", web::get().to(account_pages::signup_form))
        .route("/signup", web::post().to(account_pages::signup))
        .route("/verify", web::get().to(account_pages::verify))
        .route(
            "/verify/resend",
            web::post().to(account_pages::resend_verification),
        )
        .route("/login", web::get().to(account_pages::login_form))
        .route("/login", web::post().to(account_pages::login))
        .route("/logout", web::post().to(account_pages::logout))
        .route("/password/forgot", web::get().to(account_pages::forgot_form))
        .route("/password/forgot", web::post().to(account_pages::forgot))
        .route("/password/reset", web::get().to(account_pages::new_password_form))
        .route("/password/reset", web::post().to(account_pages::new_password))
        .route("/password/set", web::get().to(account_pages::new_password_form))
        .route("/password/set", web::post().to(account_pages::new_password))
        .route("/account", web::get().to(settings_pages::overview))
        .route("/account/settings", web::get().to(settings_pages::settings_form))
        .route("/account/settings", web::post().to(settings_pages::settings))
        .route(
            "/account/password",
            web::post().to(settings_pages::change_password),
        )
        .route("/account/sessions", web::get().to(settings_pages::sessions))
        .route(
            "/account/sessions/end-all",
            web::post().to(settings_pages::end_all_sessions),
        )
        .route(
            "/account/sessions/{id}/end",
            web::post().to(settings_pages::end_session),
        )
        .route("/account/data.json", web::get().to(settings_pages::my_data))
        .route("/account/close", web::post().to(settings_pages::close_account))
        .route("/login/2fa", web::get().to(backoffice::challenge_form))
        .route("/login/2fa", web::post().to(backoffice::challenge))
        .route("/backoffice", web::get().to(backoffice::home))
        .route("/backoffice/2fa/enrol", web::get().to(backoffice::enrol_form))
        .route("/backoffice/2fa/enrol", web::post().to(backoffice::enrol))
        .route("/backoffice/audit", web::get().to(backoffice::audit_log))
        .default_service(web::to(pages::not_found));
}

/// Customer routes with an id of a customer-owned object, as (method, path with `{id}`).
pub const CUSTOMER_ID_ROUTES: &[(&str, &str)] = &[("POST", "/account/sessions/{id}/end")];

/// Every state-changing route (all must refuse a request without a valid CSRF token).
pub const FORM_ROUTES: &[&str] = &[
    "/signup",
    "/verify/resend",
    "/login",
    "/logout",
    "/password/forgot",
    "/password/reset",
    "/password/set",
    "/account/settings",
    "/account/password",
    "/account/sessions/end-all",
    "/account/sessions/1/end",
    "/account/close",
    "/login/2fa",
    "/backoffice/2fa/enrol",
];

pub use worker::{mail_dir as worker_mail_dir, spawn_mail_worker};
