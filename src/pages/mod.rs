//! HTML pages for a person or a headless browser: the simulated bank's consent page (where
//! `/2.0/webauth` leads), the webview (connect, reconnect, manage) and the inspector. Forms
//! and redirects only, no JavaScript, no external asset.

pub mod bank;
pub mod bank_webauth;
pub mod html;
pub mod i18n;
pub mod inspector;
pub mod webauth;
pub mod webview;

use crate::state::AppState;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use webview::{connect, manage, steps};

/// Pages for a person are plain routes, left out of the OpenAPI document: they are not part
/// of the API. Only the legacy webview entries on the API host, which API clients are
/// given, are registered with `routes!` and so documented.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(inspector::routes())
        // The bank's consent page (webauth).
        .route("/bank/consent/{id}", get(bank::show).post(bank::submit))
        // A connection's own webauth URL (its `error_message` in `webauthRequired`).
        .route("/bank/webauth/done", get(bank_webauth::done))
        .route("/bank/webauth/{id}/{key}", get(bank_webauth::start))
        // Webview entries, and the legacy ones on the API host.
        .route("/webview/{flow}", get(webview::start))
        .route("/webview/{lang}/{flow}", get(webview::start_lang))
        .routes(routes!(webview::start))
        .routes(routes!(webview::start_lang))
        // A webview visit.
        .route("/webview/session/{id}", get(webview::home))
        .route("/webview/session/{id}/cancel", post(webview::cancel))
        .route("/webview/session/{id}/finish", post(webview::finish))
        .route("/webview/session/{id}/connectors", get(connect::search))
        .route(
            "/webview/session/{id}/connectors/{key}",
            get(connect::form).post(connect::submit),
        )
        .route(
            "/webview/session/{id}/connectors/{key}/webauth",
            post(connect::webauth_new),
        )
        .route(
            "/webview/session/{id}/webauth-return",
            get(connect::webauth_return),
        )
        .route("/webview/session/{id}/connections/{c}", get(steps::show))
        .route(
            "/webview/session/{id}/connections/{c}/accounts",
            get(connect::accounts_page).post(connect::share),
        )
        .route(
            "/webview/session/{id}/connections/{c}/sca",
            post(steps::sca),
        )
        .route(
            "/webview/session/{id}/connections/{c}/otp",
            post(steps::otp),
        )
        .route(
            "/webview/session/{id}/connections/{c}/resume",
            post(steps::decoupled),
        )
        .route(
            "/webview/session/{id}/connections/{c}/credentials",
            get(steps::credentials_form).post(steps::credentials),
        )
        .route(
            "/webview/session/{id}/connections/{c}/webauth",
            post(steps::webauth),
        )
        .route(
            "/webview/session/{id}/connections/{c}/delete",
            post(manage::delete),
        )
        .route("/webview/session/{id}/accounts/{a}", post(manage::toggle))
}
