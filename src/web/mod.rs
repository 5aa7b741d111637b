//! The actix-web shell: routes, templates, static assets. Handlers extract input, call one
//! domain function and render; nothing blocking runs on the async executor.

mod assets;
mod error;
mod locale;
mod pages;
pub mod templates;

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;

use crate::config::Settings;
use crate::db::PgPool;
pub use error::WebError;
use templates::Templates;

/// What every handler can reach.
pub struct AppState {
    pub pool: PgPool,
    pub templates: Templates,
    pub secure_cookies: bool,
}

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
            secure_cookies: settings.secure_cookies,
        });
        let server = HttpServer::new(move || {
            App::new()
                .wrap(TracingLogger::default())
                .wrap(actix_web::middleware::Compress::default())
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

    /// Serves until SIGINT or SIGTERM, then finishes in-flight requests and returns.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Every route, in one place.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(pages::home))
        .route("/healthz", web::get().to(pages::healthz))
        .route("/lang/{code}", web::get().to(pages::choose_language))
        .route("/assets/{name}", web::get().to(assets::serve))
        .default_service(web::to(pages::not_found));
}
