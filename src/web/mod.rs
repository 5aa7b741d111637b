//! The actix-web shell: routes, templates, static assets, security middleware. Handlers
//! extract input, call one domain function and render; nothing blocking runs on the async
//! executor.

mod account_pages;
mod api;
mod assets;
mod backoffice;
mod bank_pages;
pub mod csrf;
pub mod env;
mod error;
mod incident_admin;
mod invoice_pages;
mod pages;
mod paypal_pages;
mod render;
mod sepa_pages;
mod settings_pages;
mod status_pages;
mod subscription_pages;
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
        let mut settings = settings.clone();
        // A public URL derived from a port-0 bind (no KONTOR_PUBLIC_URL) names the port just
        // taken, so links in emails and PayPal's return address reach this server.
        if settings.bind.port() == 0 && settings.public_url == format!("http://{}", settings.bind) {
            settings.public_url = format!("http://{}", listener.local_addr()?);
        }
        let state = web::Data::new(AppState {
            pool,
            templates: Templates::load().map_err(std::io::Error::other)?,
            settings,
        });
        let server = HttpServer::new(move || {
            let paypal = state.settings.paypal.as_ref().map(|p| p.approval_origin.as_str());
            App::new()
                .wrap(from_fn(csrf::middleware))
                .wrap(security_headers(state.settings.secure_cookies, paypal))
                .wrap(TracingLogger::default())
                .wrap(Compress::default())
                .app_data(state.clone())
                .configure(routes)
                .configure(status_pages::monitoring_routes)
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
///
/// Forms post only to the portal, and follow its redirects only back to it, with one exception
/// when PayPal is on: "Pay with PayPal" answers with a redirect to PayPal's approval page, which
/// browsers check against `form-action` too (Chromium refuses it otherwise, and the click does
/// nothing). So exactly that origin, `paypal_approval_origin`, is allowed besides 'self'.
pub fn security_headers(https: bool, paypal_approval_origin: Option<&str>) -> DefaultHeaders {
    let form_action = match paypal_approval_origin {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".to_owned(),
    };
    let headers = DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            format!(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                 object-src 'none'; base-uri 'none'; form-action {form_action}; frame-ancestors 'none'"
            ),
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

/// Declares every route once: `routes` registers them, `ROUTES` lists them for the tests
/// that walk every route (ownership, CSRF), so a new route is covered the moment it exists.
macro_rules! route_table {
    ($( $method:ident $path:literal => $handler:path ),* $(,)?) => {
        /// Every route, in one place.
        pub fn routes(cfg: &mut web::ServiceConfig) {
            $( cfg.route($path, web::$method().to($handler)); )*
            cfg.default_service(web::to(pages::not_found));
        }

        /// (method, path) of every route; path parameters name what they identify.
        pub const ROUTES: &[(&str, &str)] = &[$( (stringify!($method), $path) ),*];
    };
}

route_table! {
    get "/" => pages::home,
    get "/healthz" => pages::healthz,
    get "/lang/{code}" => pages::choose_language,
    get "/assets/{name}" => assets::serve,
    get "/signup" => account_pages::signup_form,
    post "/signup" => account_pages::signup,
    get "/verify" => account_pages::verify,
    post "/verify/resend" => account_pages::resend_verification,
    get "/login" => account_pages::login_form,
    post "/login" => account_pages::login,
    post "/logout" => account_pages::logout,
    get "/password/forgot" => account_pages::forgot_form,
    post "/password/forgot" => account_pages::forgot,
    get "/password/reset" => account_pages::new_password_form,
    post "/password/reset" => account_pages::new_password,
    get "/password/set" => account_pages::new_password_form,
    post "/password/set" => account_pages::new_password,
    get "/account" => settings_pages::overview,
    get "/account/settings" => settings_pages::settings_form,
    post "/account/settings" => settings_pages::settings,
    post "/account/password" => settings_pages::change_password,
    get "/account/sessions" => settings_pages::sessions,
    post "/account/sessions/end-all" => settings_pages::end_all_sessions,
    post "/account/sessions/{session}/end" => settings_pages::end_session,
    get "/account/data.json" => settings_pages::my_data,
    post "/account/close" => settings_pages::close_account,
    get "/login/2fa" => backoffice::challenge_form,
    post "/login/2fa" => backoffice::challenge,
    get "/backoffice" => backoffice::home,
    get "/backoffice/2fa/enrol" => backoffice::enrol_form,
    post "/backoffice/2fa/enrol" => backoffice::enrol,
    get "/backoffice/audit" => backoffice::audit_log,
    get "/backoffice/catalog" => backoffice::catalog_page,
    post "/backoffice/catalog/prices" => backoffice::add_price,
    get "/backoffice/bank" => bank_pages::bank_page,
    post "/backoffice/bank/import" => bank_pages::upload,
    post "/backoffice/bank/assign" => bank_pages::assign,
    post "/backoffice/bank/refund" => bank_pages::refund,
    post "/backoffice/bank/undo" => bank_pages::undo,
    get "/backoffice/mail" => backoffice::undeliverable_mail,
    post "/backoffice/mail/retry" => backoffice::retry_mail,
    post "/account/subscription/start" => subscription_pages::start,
    get "/account/subscription/cancel" => subscription_pages::cancel_form,
    post "/account/subscription/cancel" => subscription_pages::cancel,
    post "/account/subscription/reactivate" => subscription_pages::reactivate,
    get "/account/storage" => subscription_pages::storage,
    get "/account/storage/add" => subscription_pages::add_preview,
    post "/account/storage/add" => subscription_pages::add,
    post "/account/storage/{pack}/remove" => subscription_pages::remove,
    post "/account/storage/{pack}/switch" => subscription_pages::switch,
    get "/api/provisioning/events" => api::provisioning_events,
    get "/account/invoices" => invoice_pages::my_invoices,
    get "/account/invoices/{invoice}" => invoice_pages::my_invoice,
    get "/account/invoices/{invoice}/pdf" => invoice_pages::my_invoice_pdf,
    get "/backoffice/invoices" => invoice_pages::all_invoices,
    get "/backoffice/invoices/{invoice}" => invoice_pages::any_invoice,
    get "/backoffice/invoices/{invoice}/pdf" => invoice_pages::any_invoice_pdf,
    post "/backoffice/invoices/{invoice}/credit" => invoice_pages::credit,
    get "/account/direct-debit" => sepa_pages::mandate_page,
    post "/account/direct-debit" => sepa_pages::create,
    post "/account/direct-debit/revoke" => sepa_pages::revoke,
    get "/status" => status_pages::status_page,
    get "/status/feed.atom" => status_pages::atom,
    get "/status/feed.json" => status_pages::json_feed,
    get "/account/incidents" => status_pages::my_incidents,
    post "/account/incidents/notices" => status_pages::set_notices,
    post "/account/incidents/{incident}/choice" => status_pages::choose,
    get "/backoffice/incidents" => incident_admin::list,
    post "/backoffice/incidents" => incident_admin::open,
    get "/backoffice/incidents/{incident}" => incident_admin::show,
    post "/backoffice/incidents/{incident}/update" => incident_admin::update,
    post "/backoffice/incidents/{incident}/resolve" => incident_admin::resolve,
    post "/backoffice/incidents/{incident}/compensation" => incident_admin::issue,
    post "/account/invoices/{invoice}/paypal" => paypal_pages::pay,
    get "/paypal/return" => paypal_pages::return_leg,
    get "/paypal/cancel" => paypal_pages::cancel,
    post "/webhooks/paypal" => paypal_pages::webhook,
    get "/backoffice/paypal" => paypal_pages::backoffice,
    post "/backoffice/paypal/refund" => paypal_pages::refund,
}

pub use worker::spawn_mail_worker;
