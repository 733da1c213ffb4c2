//! The inspector (`/sandbox/inspector`): HTML pages for QA and developers to see the sandbox
//! and change it by hand. Usable without JavaScript, no external asset, behind the config
//! token (see `session`). Pages read through `store/`; every form calls the same engine
//! and control-plane functions as `/sandbox/...`, so a button does what the API would.

pub mod connection;
pub mod faults;
pub mod layout;
pub mod overview;
pub mod requests;
pub mod session;
pub mod users;
pub mod webhooks;

use crate::api::extract::{Fields, Params};
use crate::state::AppState;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maud::html;
use session::{Session, BASE, COOKIE_NAME, LIFETIME_SECS};
use utoipa_axum::router::OpenApiRouter;

/// Pages for a person: plain routes, not part of the API document.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route(BASE, get(overview::show))
        .route("/sandbox/inspector/", get(overview::show))
        .route(
            "/sandbox/inspector/sign-in",
            get(sign_in_page).post(sign_in),
        )
        .route("/sandbox/inspector/sign-out", post(sign_out))
        .route("/sandbox/inspector/clock", post(overview::clock))
        .route("/sandbox/inspector/tick", post(overview::tick))
        .route("/sandbox/inspector/users", get(users::list))
        .route("/sandbox/inspector/users/{id}", get(users::show))
        .route("/sandbox/inspector/connections/{id}", get(connection::show))
        .route(
            "/sandbox/inspector/connections/{id}/{op}",
            post(connection::act),
        )
        .route("/sandbox/inspector/requests", get(requests::list))
        .route("/sandbox/inspector/requests/{id}", get(requests::show))
        .route("/sandbox/inspector/faults", post(faults::add))
        .route(
            "/sandbox/inspector/faults/{id}/remove",
            post(faults::remove),
        )
        .route("/sandbox/inspector/webhooks", get(webhooks::list))
        .route("/sandbox/inspector/webhooks/{id}", get(webhooks::show))
        .route(
            "/sandbox/inspector/webhooks/{id}/redeliver",
            post(webhooks::redeliver),
        )
}

fn sign_in_form(status: StatusCode, next: &str, failed: bool) -> Response {
    layout::public(
        status,
        "Sign in",
        html! {
            div.card style="max-width:420px;margin:40px auto" {
                h1 { "Sign in" }
                @if failed { div.error #error { "That is not the config token." } }
                p.muted { "The inspector shows and changes the whole sandbox: it takes the config token (" code { "--config-token" } ")." }
                form method="post" action={ (BASE) "/sign-in" } id="sign-in" {
                    input type="hidden" name="next" value=(next);
                    p { label for="token" { "Config token" } br; input #token type="password" name="token" autocomplete="current-password" required style="width:100%"; }
                    button #submit type="submit" { "Sign in" }
                }
            }
        },
    )
}

async fn sign_in_page(params: Params) -> Response {
    sign_in_form(
        StatusCode::OK,
        &session::safe_next(params.text("next")),
        false,
    )
}

fn cookie(st: &AppState, headers: &HeaderMap, value: &str, max_age: i64) -> HeaderValue {
    let secure = if st.base_url(headers).starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let c = format!(
        "{COOKIE_NAME}={value}; Path={BASE}; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    );
    HeaderValue::from_str(&c).expect("a cookie of hex digits and fixed words")
}

/// `token` (and `next`): the config token sets the session cookie, anything else is refused.
async fn sign_in(State(st): State<AppState>, headers: HeaderMap, body: Fields) -> Response {
    let next = session::safe_next(body.str("next").ok().flatten().as_deref());
    let given = body.str("token").ok().flatten().unwrap_or_default();
    if !session::token_matches(&given, &st.config.config_token) {
        return sign_in_form(StatusCode::UNAUTHORIZED, &next, true);
    }
    let expires = session::unix_now() + LIFETIME_SECS;
    let value = session::issue(&st.config.config_token, &session::new_nonce(), expires);
    let mut res = crate::pages::html::see_other(&next);
    res.headers_mut()
        .insert(SET_COOKIE, cookie(&st, &headers, &value, LIFETIME_SECS));
    res
}

async fn sign_out(
    State(st): State<AppState>,
    who: Session,
    headers: HeaderMap,
    body: Fields,
) -> Response {
    if let Err(refused) = who.form(body) {
        return refused.into_response();
    }
    let mut res = crate::pages::html::see_other(&format!("{BASE}/sign-in"));
    res.headers_mut()
        .insert(SET_COOKIE, cookie(&st, &headers, "", 0));
    res
}
