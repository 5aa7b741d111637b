//! Who may call a route, decided before anything else runs.
//!
//! The route table names each route's [`Access`]. The [`gate`] middleware runs before routing
//! hands the request to its handler: it resolves the session from the cookie, compares it with
//! the route's access, and answers (sign-in page, second factor, not found, 401) without the
//! handler, its extractors or its body ever being touched. Handlers then name their caller in
//! their signature ([`Customer`], [`Staff`], [`Support`], [`Finance`], [`Admin`],
//! [`SignedIn`]); those extractors read what the gate resolved and refuse (fail closed) when
//! the route table and the signature disagree.

use std::collections::HashMap;
use std::sync::LazyLock;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError, web};
use futures_util::future::{Ready, ready};

use super::state::{AppState, SESSION_COOKIE, reader_lang};
use super::{Problem, WebError};
use crate::accounts::session::{self, Session, SessionId};
use crate::accounts::{Role, User};
use crate::ids::CustomerId;
use crate::token::constant_time_eq;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in, whatever their role, before a second factor: signing out.
    SignedIn,
    /// Staff who still have to set up or pass their second factor (those pages themselves).
    SecondFactor,
    /// A signed-in customer whose account is open.
    Customer,
    /// A signed-in customer, also one who closed their account: their invoices, payments and
    /// data, read-only, and paying what is open.
    Records,
    /// Any staff member, second factor passed.
    Staff,
    /// Support or admin staff (incidents).
    Support,
    /// Finance or admin staff (money).
    Finance,
    /// Admin staff.
    Admin,
    /// The mail and storage platform, with `KONTOR_PROVISIONING_TOKEN`.
    ProvisioningToken,
    /// Monitoring, with `KONTOR_INCIDENT_TOKEN`.
    MonitoringToken,
    /// PayPal: public, each event verified by its signature.
    Webhook,
}

impl Access {
    /// Forms people submit from pages (CSRF token and one-time key); machines' routes are not.
    pub fn is_form(self) -> bool {
        !matches!(self, Access::ProvisioningToken | Access::MonitoringToken | Access::Webhook)
    }

    /// A customer's own pages.
    pub fn is_customers(self) -> bool {
        matches!(self, Access::Customer | Access::Records)
    }

    /// Routes that need a signed-in person.
    pub fn needs_session(self) -> bool {
        !matches!(
            self,
            Access::Public | Access::ProvisioningToken | Access::MonitoringToken | Access::Webhook
        )
    }

    /// Whether a role may pass (before the second-factor check).
    pub fn admits(self, role: Role) -> bool {
        match self {
            Access::Public | Access::Webhook | Access::ProvisioningToken | Access::MonitoringToken => true,
            Access::SignedIn => true,
            Access::SecondFactor | Access::Staff => role.is_staff(),
            Access::Customer | Access::Records => role == Role::Customer,
            Access::Support => matches!(role, Role::Support | Role::Admin),
            Access::Finance => matches!(role, Role::Finance | Role::Admin),
            Access::Admin => role == Role::Admin,
        }
    }
}

/// What the gate resolved for this request: the session, if any.
#[derive(Debug, Clone)]
pub struct Caller(pub Option<Session>);

static ACCESS: LazyLock<HashMap<(String, String), Access>> = LazyLock::new(|| {
    super::ROUTES
        .iter()
        .map(|route| ((route.method.to_owned(), route.path.to_owned()), route.access))
        .collect()
});

/// The access of the route `method pattern`, if the table has it (HEAD is GET's).
pub fn access_of(method: &str, pattern: &str) -> Option<Access> {
    let method =
        if method.eq_ignore_ascii_case("head") { "get".to_owned() } else { method.to_ascii_lowercase() };
    ACCESS.get(&(method, pattern.to_owned())).copied()
}

/// Why a request is turned away before its handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    SignIn,
    SecondFactor(&'static str),
    NotFound,
    Unauthorized,
    /// A closed account may only read: back to its overview.
    Closed,
    /// Staff viewing the portal as a customer may only look.
    ReadOnly,
}

/// Customer pages reached by GET that still change something (PayPal's way back captures the
/// payment): refused while staff view the portal as a customer, like every POST.
const WRITING_GETS: &[&str] = &["/paypal/return", "/paypal/cancel"];

/// What a staff session viewing as a customer is on that customer's pages: the customer's
/// log-in, read-only (see [`Session::is_view_as`]). No log-in: no session.
fn view_of(
    conn: &mut diesel::PgConnection,
    staff: Session,
) -> Result<Option<Session>, crate::accounts::AccountError> {
    let Some(customer) = staff.view_as else {
        return Ok(Some(staff));
    };
    Ok(User::of_customer(conn, customer)?.map(|user| Session {
        id: staff.id,
        user,
        second_factor_done: staff.second_factor_done,
        view_as: Some(customer),
    }))
}

/// The decision for a route's access and the caller's session.
pub fn decide(access: Access, session: Option<&Session>) -> Result<(), Refusal> {
    if !access.needs_session() {
        return Ok(());
    }
    let Some(session) = session else {
        return Err(Refusal::SignIn);
    };
    let role = session.user.role;
    if !access.admits(role) {
        return Err(Refusal::NotFound);
    }
    if session.user.closed && access == Access::Customer {
        return Err(Refusal::Closed);
    }
    if role.requires_second_factor() && !matches!(access, Access::SignedIn | Access::SecondFactor) {
        if !session.user.totp_enabled {
            return Err(Refusal::SecondFactor("/backoffice/2fa/enrol"));
        }
        if !session.second_factor_done {
            return Err(Refusal::SecondFactor("/login/2fa"));
        }
    }
    Ok(())
}

/// A machine's bearer token: the API is off (not found) without a configured token.
fn token_refusal(req: &ServiceRequest, expected: Option<&str>) -> Option<Refusal> {
    let Some(expected) = expected else {
        return Some(Refusal::NotFound);
    };
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    (!constant_time_eq(presented.as_bytes(), expected.as_bytes())).then_some(Refusal::Unauthorized)
}

/// The answer for a refused request: a redirect for people, 401 for machines, 404 otherwise
/// (the same as for something that does not exist, so nothing is revealed).
fn refusal_response(req: &HttpRequest, refusal: &Refusal) -> HttpResponse {
    match refusal {
        Refusal::SignIn => HttpResponse::SeeOther().insert_header((header::LOCATION, "/login")).finish(),
        Refusal::SecondFactor(path) => {
            HttpResponse::SeeOther().insert_header((header::LOCATION, *path)).finish()
        }
        Refusal::Closed => HttpResponse::SeeOther().insert_header((header::LOCATION, "/account")).finish(),
        Refusal::Unauthorized => HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"kontor\""))
            .json(serde_json::json!({ "error": "unauthorized" })),
        Refusal::NotFound => WebError::not_found(&reader_lang(req, None)).error_response(),
        Refusal::ReadOnly => {
            WebError::new(&reader_lang(req, None), Problem::ReadOnly, "viewing as a customer")
                .error_response()
        }
    }
}

/// A refusal leaves the request body unread: the connection is closed after the answer, so
/// the server neither drains an unwanted upload nor waits for it.
fn unread(mut response: HttpResponse) -> HttpResponse {
    response.head_mut().set_connection_type(actix_web::http::ConnectionType::Close);
    response
}

/// Resolves the caller and lets the request through only when the route's access admits it.
pub async fn gate(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody + 'static>>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Err(WebError::internal(&reader_lang(req.request(), None), "application state missing").into());
    };
    // Unknown routes are public: they end at the not-found page.
    let access = req
        .match_pattern()
        .and_then(|pattern| access_of(req.method().as_str(), &pattern))
        .unwrap_or(Access::Public);
    let refused = match access {
        Access::ProvisioningToken => token_refusal(&req, state.settings.provisioning_token.as_deref()),
        Access::MonitoringToken => token_refusal(&req, state.settings.incident_token.as_deref()),
        _ => None,
    };
    if let Some(refusal) = refused {
        let response = match refusal {
            // Machines get bare answers, not a page.
            Refusal::NotFound => HttpResponse::NotFound().finish(),
            other => refusal_response(req.request(), &other),
        };
        return Ok(req.into_response(unread(response)).map_into_right_body());
    }
    let session = match req.cookie(SESSION_COOKIE) {
        Some(cookie) if access != Access::Webhook && access.is_form() => {
            let token = cookie.value().to_owned();
            let (pool, now) = (state.pool.clone(), state.settings.clock.now());
            let lang = reader_lang(req.request(), None);
            web::block(move || -> Result<Option<Session>, crate::accounts::AccountError> {
                let mut conn = pool
                    .get()
                    .map_err(|e| crate::accounts::AccountError::Corrupt(format!("database: {e}")))?;
                let session = session::resume(&mut conn, &token, now)?;
                match session {
                    Some(staff) if staff.view_as.is_some() && access.is_customers() => {
                        view_of(&mut conn, staff)
                    }
                    other => Ok(other),
                }
            })
            .await
            .map_err(|e| WebError::internal(&lang, e))?
            .map_err(|e| WebError::from_account(&lang, e))?
        }
        _ => None,
    };
    let read_only = session.as_ref().is_some_and(Session::is_view_as)
        && !(matches!(req.method().as_str(), "GET" | "HEAD")
            && req.match_pattern().is_some_and(|p| !WRITING_GETS.contains(&p.as_str())));
    let decision = if read_only { Err(Refusal::ReadOnly) } else { decide(access, session.as_ref()) };
    if let Err(refusal) = decision {
        tracing::debug!(?refusal, path = req.path(), "refused before the handler");
        let response = refusal_response(req.request(), &refusal);
        return Ok(req.into_response(unread(response)).map_into_right_body());
    }
    req.extensions_mut().insert(Caller(session));
    Ok(next.call(req).await?.map_into_left_body())
}

/// The session the gate resolved; refuses when there is none or the role does not fit.
fn resolved(req: &HttpRequest, access: Access) -> Result<Session, WebError> {
    let lang = reader_lang(req, None);
    let session = req.extensions().get::<Caller>().and_then(|c| c.0.clone());
    match session {
        Some(session) if decide(access, Some(&session)).is_ok() => Ok(session),
        Some(_) => Err(WebError::not_found(&lang)),
        // The gate sends people without a session to the sign-in page; reaching a handler that
        // needs one without it means the table and the signature disagree.
        None => Err(WebError::new(&lang, Problem::NotFound, "no session for a handler that needs one")),
    }
}

macro_rules! caller {
    ($(#[$doc:meta])* $name:ident, $access:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name {
            pub user: User,
            pub session: SessionId,
        }

        impl FromRequest for $name {
            type Error = WebError;
            type Future = Ready<Result<$name, WebError>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                ready(resolved(req, $access).map(|s| $name { user: s.user, session: s.id }))
            }
        }
    };
}

caller!(
    /// Any signed-in person (signing out).
    SignedIn,
    Access::SignedIn
);
caller!(
    /// Staff on their way in: setting up or passing the second factor.
    StaffSigningIn,
    Access::SecondFactor
);
caller!(
    /// Any staff member, second factor passed.
    Staff,
    Access::Staff
);
caller!(
    /// Support or admin.
    Support,
    Access::Support
);
caller!(
    /// Finance or admin.
    Finance,
    Access::Finance
);
caller!(
    /// Admin.
    Admin,
    Access::Admin
);

/// A signed-in customer, with the customer they are.
#[derive(Debug, Clone)]
pub struct Customer {
    pub user: User,
    pub session: SessionId,
    pub customer: CustomerId,
}

impl FromRequest for Customer {
    type Error = WebError;
    type Future = Ready<Result<Customer, WebError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // The gate decided whether a closed account may use this route; the extractor only
        // insists on a customer.
        ready(resolved(req, Access::Records).and_then(|s| match s.user.customer_id {
            Some(customer) => Ok(Customer { customer, session: s.id, user: s.user }),
            None => Err(WebError::not_found(&reader_lang(req, None))),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_has_one_access_and_machines_routes_are_not_forms() {
        let mut seen = std::collections::HashSet::new();
        for route in super::super::ROUTES {
            assert!(seen.insert((route.method, route.path)), "{} {} twice", route.method, route.path);
            assert_eq!(access_of(route.method, route.path), Some(route.access));
            if route.path.starts_with("/api/") || route.path.starts_with("/webhooks/") {
                assert!(!route.access.is_form(), "{} is a machine's route", route.path);
            }
            if route.path.starts_with("/backoffice") && route.path != "/backoffice/2fa/enrol" {
                assert!(
                    matches!(route.access, Access::Staff | Access::Support | Access::Finance | Access::Admin),
                    "{} {} is staff only",
                    route.method,
                    route.path
                );
            }
            if route.path.starts_with("/account") {
                assert!(
                    matches!(route.access, Access::Customer | Access::Records),
                    "{} {}",
                    route.method,
                    route.path
                );
            }
        }
    }

    #[test]
    fn staff_routes_refuse_customers_and_staff_without_their_second_factor() {
        use crate::ids::UserId;
        let user = |role: Role, totp: bool| User {
            id: UserId(1),
            email: "x@example.com".to_owned(),
            email_verified_at: None,
            password_hash: None,
            role,
            customer_id: (role == Role::Customer).then_some(CustomerId(1)),
            language: "en".to_owned(),
            totp_enabled: totp,
            disabled: false,
            closed: false,
        };
        let session = |role, totp, done| Session {
            id: SessionId(1),
            user: user(role, totp),
            second_factor_done: done,
            view_as: None,
        };
        assert_eq!(decide(Access::Finance, None), Err(Refusal::SignIn));
        assert_eq!(
            decide(Access::Finance, Some(&session(Role::Customer, false, false))),
            Err(Refusal::NotFound)
        );
        assert_eq!(
            decide(Access::Finance, Some(&session(Role::Support, true, true))),
            Err(Refusal::NotFound)
        );
        assert_eq!(
            decide(Access::Staff, Some(&session(Role::Support, false, false))),
            Err(Refusal::SecondFactor("/backoffice/2fa/enrol"))
        );
        assert_eq!(
            decide(Access::Staff, Some(&session(Role::Support, true, false))),
            Err(Refusal::SecondFactor("/login/2fa"))
        );
        assert_eq!(decide(Access::Staff, Some(&session(Role::Support, true, true))), Ok(()));
        assert_eq!(decide(Access::Finance, Some(&session(Role::Admin, true, true))), Ok(()));
        assert_eq!(decide(Access::Customer, Some(&session(Role::Admin, true, true))), Err(Refusal::NotFound));
        assert_eq!(decide(Access::SignedIn, Some(&session(Role::Finance, true, false))), Ok(()));
        assert_eq!(
            decide(Access::SecondFactor, Some(&session(Role::Customer, false, false))),
            Err(Refusal::NotFound)
        );
        assert_eq!(decide(Access::Public, None), Ok(()));
    }
}
