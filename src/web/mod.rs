//! The actix-web shell: routes, templates, static assets, security middleware. Handlers
//! extract input, call one domain function and render; nothing blocking runs on the async
//! executor.

pub mod access;
mod account_pages;
mod accounting_pages;
mod api;
mod assets;
mod backoffice;
mod bank_pages;
mod collections_pages;
pub mod csrf;
mod direct_debit_pages;
mod email_pages;
pub mod env;
mod error;
pub mod form;
mod incident_admin;
mod invoice_pages;
mod job_pages;
mod pages;
mod payment_files;
mod payment_methods;
mod payout_pages;
mod paypal_pages;
mod render;
mod report_pages;
mod request_log;
mod sepa_pages;
mod settings_pages;
pub mod state;
mod statement_pages;
mod status_pages;
pub mod status_snapshot;
mod status_subscribers;
mod submission;
mod submit;
mod subscription_pages;
mod support_actions;
mod support_pages;
pub mod templates;
mod vat_checks;

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, DefaultHeaders, from_fn};
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;

use crate::config::Settings;
use crate::db::PgPool;
pub use access::Access;
pub use error::{Problem, WebError};
pub use state::AppState;
pub use submission::purge as purge_submissions;
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
                .wrap(from_fn(access::gate))
                .wrap(from_fn(csrf::middleware))
                .wrap(security_headers(state.settings.secure_cookies, paypal))
                .wrap(TracingLogger::<request_log::RequestSpan>::new())
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

/// One route: its method, path pattern and who may call it.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

/// Declares every route once: `routes` registers them, `ROUTES` lists them with who may call
/// each, for the gate (which decides before any handler runs) and for the tests that walk
/// every route with every role, so a new route is covered the moment it exists.
macro_rules! route_table {
    ($( $method:ident $path:literal $access:ident => $handler:path ),* $(,)?) => {
        /// Every route, in one place.
        pub fn routes(cfg: &mut web::ServiceConfig) {
            $( cfg.route($path, web::$method().to($handler)); )*
            cfg.default_service(web::to(pages::not_found));
        }

        /// Every route with its access; path parameters name what they identify.
        pub const ROUTES: &[Route] =
            &[$( Route { method: stringify!($method), path: $path, access: Access::$access } ),*];
    };
}

route_table! {
    get "/" Public => pages::home,
    get "/healthz" Public => pages::healthz,
    get "/lang/{code}" Public => pages::choose_language,
    get "/assets/{name}" Public => assets::serve,
    get "/signup" Public => account_pages::signup_form,
    post "/signup" Public => account_pages::signup,
    get "/verify" Public => account_pages::verify,
    post "/verify/resend" Customer => account_pages::resend_verification,
    get "/login" Public => account_pages::login_form,
    post "/login" Public => account_pages::login,
    post "/logout" SignedIn => account_pages::logout,
    get "/password/forgot" Public => account_pages::forgot_form,
    post "/password/forgot" Public => account_pages::forgot,
    get "/password/reset" Public => account_pages::new_password_form,
    post "/password/reset" Public => account_pages::new_password,
    get "/password/set" Public => account_pages::new_password_form,
    post "/password/set" Public => account_pages::new_password,
    get "/account" Records => settings_pages::overview,
    get "/account/settings" Customer => settings_pages::settings_form,
    post "/account/settings" Customer => settings_pages::settings,
    post "/account/password" Customer => settings_pages::change_password,
    post "/account/e-invoice" Customer => settings_pages::e_invoice,
    post "/account/email" Customer => email_pages::change_email,
    get "/email/confirm" Public => email_pages::confirm_form,
    post "/email/confirm" Public => email_pages::confirm,
    get "/email/restore" Public => email_pages::confirm_form,
    post "/email/restore" Public => email_pages::confirm,
    get "/account/sessions" Records => settings_pages::sessions,
    post "/account/sessions/end-all" Customer => settings_pages::end_all_sessions,
    post "/account/sessions/{session}/end" Customer => settings_pages::end_session,
    get "/account/data.json" Records => settings_pages::my_data,
    post "/account/close" Customer => settings_pages::close_account,
    get "/login/2fa" SecondFactor => backoffice::challenge_form,
    post "/login/2fa" SecondFactor => backoffice::challenge,
    get "/backoffice" Staff => backoffice::home,
    get "/backoffice/2fa/enrol" SecondFactor => backoffice::enrol_form,
    post "/backoffice/2fa/enrol" SecondFactor => backoffice::enrol,
    get "/backoffice/audit" Admin => backoffice::audit_log,
    get "/backoffice/catalog" Staff => backoffice::catalog_page,
    post "/backoffice/catalog/prices" Finance => backoffice::add_price,
    get "/backoffice/bank" Finance => bank_pages::bank_page,
    post "/backoffice/bank/import" Finance => bank_pages::upload,
    post "/backoffice/bank/assign" Finance => bank_pages::assign,
    post "/backoffice/bank/refund" Finance => bank_pages::refund,
    post "/backoffice/bank/undo" Finance => bank_pages::undo,
    get "/backoffice/direct-debits" Finance => direct_debit_pages::overview,
    post "/backoffice/direct-debits/export" Finance => direct_debit_pages::export,
    get "/backoffice/direct-debits/file" Finance => direct_debit_pages::file,
    get "/backoffice/payouts" Finance => payout_pages::overview,
    post "/backoffice/payouts/{payout}/approve" Finance => payout_pages::approve,
    post "/backoffice/payouts/export" Finance => payout_pages::export,
    get "/backoffice/payouts/file" Finance => payout_pages::file,
    get "/backoffice/collections" Finance => collections_pages::collections_page,
    get "/backoffice/collections/steps/{level}" Finance => collections_pages::step_page,
    post "/backoffice/collections/pause" Finance => collections_pages::pause,
    post "/backoffice/collections/write-off" Finance => collections_pages::write_off,
    get "/backoffice/mail" Finance => backoffice::undeliverable_mail,
    post "/backoffice/mail/retry" Finance => backoffice::retry_mail,
    post "/account/subscription/start" Customer => subscription_pages::start,
    get "/account/subscription/cancel" Customer => subscription_pages::cancel_form,
    post "/account/subscription/cancel" Customer => subscription_pages::cancel,
    post "/account/subscription/reactivate" Customer => subscription_pages::reactivate,
    get "/account/storage" Customer => subscription_pages::storage,
    get "/account/storage/add" Customer => subscription_pages::add_preview,
    post "/account/storage/add" Customer => subscription_pages::add,
    post "/account/storage/{pack}/remove" Customer => subscription_pages::remove,
    post "/account/storage/{pack}/switch" Customer => subscription_pages::switch,
    get "/api/provisioning/events" ProvisioningToken => api::provisioning_events,
    put "/api/placements" ProvisioningToken => api::put_placements,
    get "/account/invoices" Records => invoice_pages::my_invoices,
    get "/account/invoices/{invoice}" Records => invoice_pages::my_invoice,
    get "/account/invoices/{invoice}/pdf" Records => invoice_pages::my_invoice_pdf,
    get "/account/invoices/{invoice}/xrechnung.xml" Records => invoice_pages::my_invoice_xrechnung,
    get "/account/statement" Records => statement_pages::statement_page,
    get "/account/statement/pdf" Records => statement_pages::statement_pdf,
    get "/account/statement/csv" Records => statement_pages::statement_csv,
    get "/account/statement/invoices/{year}" Records => statement_pages::year_zip,
    get "/account/payments/{payment}/receipt" Records => statement_pages::receipt_pdf,
    get "/backoffice/invoices" Staff => invoice_pages::all_invoices,
    get "/backoffice/invoices/{invoice}" Staff => invoice_pages::any_invoice,
    get "/backoffice/invoices/{invoice}/pdf" Staff => invoice_pages::any_invoice_pdf,
    get "/backoffice/invoices/{invoice}/xrechnung.xml" Staff => invoice_pages::any_invoice_xrechnung,
    post "/backoffice/invoices/{invoice}/credit" Finance => invoice_pages::credit,
    get "/account/payment-methods" Records => payment_methods::payment_methods,
    get "/account/direct-debit" Customer => sepa_pages::mandate_page,
    post "/account/direct-debit" Customer => sepa_pages::create,
    post "/account/direct-debit/revoke" Customer => sepa_pages::revoke,
    get "/status" Public => status_pages::status_page,
    get "/status/feed.atom" Public => status_pages::atom,
    get "/status/feed.json" Public => status_pages::json_feed,
    get "/status/subscribe" Public => status_subscribers::subscribe_form,
    post "/status/subscribe" Public => status_subscribers::subscribe,
    get "/status/subscribe/confirm" Public => status_subscribers::confirm_form,
    post "/status/subscribe/confirm" Public => status_subscribers::confirm,
    get "/status/unsubscribe" Public => status_subscribers::unsubscribe_form,
    post "/status/unsubscribe" Public => status_subscribers::unsubscribe,
    get "/account/incidents" Customer => status_pages::my_incidents,
    post "/account/incidents/notices" Customer => status_pages::set_notices,
    post "/account/incidents/{incident}/choice" Customer => status_pages::choose,
    get "/account/incidents/{incident}/letter.pdf" Customer => status_pages::letter,
    get "/backoffice/incidents" Staff => incident_admin::list,
    post "/backoffice/incidents" Support => incident_admin::open,
    get "/backoffice/incidents/{incident}" Staff => incident_admin::show,
    post "/backoffice/incidents/{incident}/update" Support => incident_admin::update,
    post "/backoffice/incidents/{incident}/resolve" Support => incident_admin::resolve,
    post "/backoffice/incidents/{incident}/compensation" Finance => incident_admin::issue,
    get "/backoffice/jobs/{job}" Finance => job_pages::show,
    post "/account/invoices/{invoice}/paypal" Records => paypal_pages::pay,
    get "/paypal/return" Records => paypal_pages::return_leg,
    get "/paypal/cancel" Records => paypal_pages::cancel,
    post "/webhooks/paypal" Webhook => paypal_pages::webhook,
    get "/backoffice/paypal" Finance => paypal_pages::backoffice,
    post "/backoffice/paypal/refund" Finance => paypal_pages::refund,
    post "/api/incidents" MonitoringToken => status_pages::api_open,
    post "/api/incidents/{incident}/updates" MonitoringToken => status_pages::api_update,
    post "/api/incidents/{incident}/resolve" MonitoringToken => status_pages::api_resolve,
    get "/backoffice/customers" Staff => support_pages::search,
    get "/backoffice/customers/{customer}" Staff => support_pages::customer_page,
    post "/backoffice/customers/{customer}/notes" Staff => support_actions::add_note,
    post "/backoffice/customers/{customer}/mail/resend" Support => support_actions::resend_mail,
    post "/backoffice/customers/{customer}/email" Support => support_actions::change_email,
    post "/backoffice/customers/{customer}/free-month" Finance => support_actions::extend_free_month,
    post "/backoffice/customers/{customer}/goodwill" Finance => support_actions::goodwill_credit,
    post "/backoffice/customers/{customer}/cancel" Support => support_actions::cancel,
    post "/backoffice/customers/{customer}/reactivate" Support => support_actions::reactivate,
    post "/backoffice/customers/{customer}/unlock" Support => support_actions::unlock,
    post "/backoffice/customers/{customer}/sessions/end" Support => support_actions::end_sessions,
    post "/backoffice/customers/{customer}/view-as" Support => support_actions::view_as,
    post "/backoffice/view-as/end" Support => support_actions::end_view_as,
    get "/backoffice/reports" Finance => report_pages::index,
    get "/backoffice/reports/ar-ageing/invoices" Finance => report_pages::ageing_invoices,
    get "/backoffice/reports/{report}" Finance => report_pages::show,
    get "/backoffice/reports/{report}/csv" Finance => report_pages::csv,

    get "/backoffice/accounting" Finance => accounting_pages::overview,
    post "/backoffice/accounting/close" Finance => accounting_pages::close,
    post "/backoffice/accounting/reopen" Admin => accounting_pages::reopen,
    get "/backoffice/accounting/oss.csv" Finance => accounting_pages::oss_csv,
    get "/backoffice/accounting/datev.csv" Finance => accounting_pages::datev_file,
    get "/backoffice/accounting/journal.csv" Finance => accounting_pages::journal_file,
    post "/backoffice/accounting/manual" Finance => accounting_pages::propose,
    post "/backoffice/accounting/manual/approve" Finance => accounting_pages::approve,
}
