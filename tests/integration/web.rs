//! The web shell in-process: pages in the reader's language, health, language choice.

use actix_web::http::StatusCode;
use actix_web::{App, test, web};
use diesel::r2d2::{ConnectionManager, Pool};
use kontor::web::templates::Templates;
use kontor::web::{AppState, routes};

use crate::support::TestDb;

fn state(pool: kontor::db::PgPool) -> web::Data<AppState> {
    let mut settings = kontor::config::Settings::from_lookup(|_| None).unwrap();
    settings.secure_cookies = true;
    web::Data::new(AppState { pool, templates: Templates::load().unwrap(), settings })
}

async fn get(state: web::Data<AppState>, request: test::TestRequest) -> (StatusCode, String, String) {
    let app = test::init_service(App::new().app_data(state).configure(routes)).await;
    let response = test::call_service(&app, request.to_request()).await;
    let status = response.status();
    let language = response
        .headers()
        .get("content-language")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = String::from_utf8(test::read_body(response).await.to_vec()).unwrap();
    (status, language, body)
}

#[actix_web::test]
async fn the_home_page_speaks_the_readers_language() {
    let db = TestDb::new();
    let cases = [
        // Prices as the visitor would pay them: their country's currency and VAT, the country
        // guessed from the browser's languages (the seller's when none names one of ours).
        (
            "de-DE,de;q=0.9",
            "de",
            "Erster Monat kostenlos",
            "Preis für Deutschland: 1,19\u{a0}€ inkl. 19\u{a0}% MwSt.",
        ),
        ("fr-FR", "fr", "<html lang=\"fr\">", "1,20\u{a0}€ TTC"),
        ("sv", "sv", "<html lang=\"sv\">", "Pris för Sverige"),
        ("ja", "en", "First month free", "Price for Germany: €1.19 incl. 19"),
    ];
    for (accept, lang, text, price) in cases {
        let request = test::TestRequest::get().uri("/").insert_header(("Accept-Language", accept));
        let (status, language, body) = get(state(db.pool()), request).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(language, lang);
        assert!(body.contains(text) && body.contains(price), "{accept}: {body}");
    }
    // A chosen language (cookie) beats the browser's.
    let request = test::TestRequest::get()
        .uri("/")
        .insert_header(("Accept-Language", "de"))
        .cookie(actix_web::cookie::Cookie::new("kontor_lang", "nb"));
    let (_, language, _) = get(state(db.pool()), request).await;
    assert_eq!(language, "nb");
}

#[actix_web::test]
async fn choosing_a_language_sets_a_safe_cookie_and_never_redirects_off_site() {
    let db = TestDb::new();
    let app = test::init_service(App::new().app_data(state(db.pool())).configure(routes)).await;
    let response =
        test::call_service(&app, test::TestRequest::get().uri("/lang/da?next=/status").to_request()).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers().get("location").unwrap(), "/status");
    let cookie = response.response().cookies().find(|c| c.name() == "kontor_lang").unwrap();
    assert_eq!(cookie.value(), "da");
    assert_eq!(cookie.http_only(), Some(true));
    assert_eq!(cookie.secure(), Some(true));
    for next in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
        let uri = format!("/lang/da?next={}", next.replace('/', "%2F").replace('\\', "%5C"));
        let response = test::call_service(&app, test::TestRequest::get().uri(&uri).to_request()).await;
        assert_eq!(response.headers().get("location").unwrap(), "/", "{next}");
    }
    let response = test::call_service(&app, test::TestRequest::get().uri("/lang/xx").to_request()).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn unknown_pages_get_a_localized_404() {
    let db = TestDb::new();
    let request = test::TestRequest::get().uri("/no/such/page").insert_header(("Accept-Language", "nl"));
    let (status, language, body) = get(state(db.pool()), request).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(language, "nl");
    assert!(body.contains("<html lang=\"nl\">"), "{body}");
    assert!(!body.contains("error-not-found"), "the message id must be translated: {body}");
}

#[actix_web::test]
async fn health_reports_the_database() {
    let db = TestDb::new();
    let (status, _, body) = get(state(db.pool()), test::TestRequest::get().uri("/healthz")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"status\":\"ok\""), "{body}");

    // A pool that cannot reach its database: 503, quickly, with a localized message.
    let manager = ConnectionManager::new(format!("{}_missing", db.url().replace("?", "_x?")));
    let broken =
        Pool::builder().connection_timeout(std::time::Duration::from_millis(500)).build_unchecked(manager);
    let request = test::TestRequest::get().uri("/healthz").insert_header(("Accept-Language", "de"));
    let (status, _, body) = get(state(broken), request).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("\"database\":\"unreachable\"") && body.contains("Datenbank"), "{body}");
}

#[actix_web::test]
async fn static_assets_are_served() {
    let db = TestDb::new();
    let (status, _, body) = get(state(db.pool()), test::TestRequest::get().uri("/assets/kontor.css")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("--accent"));
}

#[actix_web::test]
async fn the_signup_form_guesses_country_and_language_from_the_browser() {
    let db = TestDb::new();
    let cases =
        [("fr-BE,fr;q=0.9", "BE", "fr"), ("de-AT", "AT", "de"), ("sv", "SE", "sv"), ("en-US", "GB", "en")];
    for (accept, country, language) in cases {
        let request = test::TestRequest::get().uri("/signup").insert_header(("Accept-Language", accept));
        let (status, _, body) = get(state(db.pool()), request).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            body.contains(&format!("<option value=\"{country}\" selected>")),
            "{accept}: country {}",
            &body[body.find("<select").unwrap_or(0)..][..400]
        );
        assert!(body.contains(&format!("<option value=\"{language}\" selected>")), "{accept}: language");
    }
}
