//! The `/2.0` surface. One route table: every path the API answers is listed here.

pub mod auth;
pub mod connectors;
pub mod extract;
pub mod principal;
pub mod reference;
pub mod users;

use crate::state::AppState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use connectors::{BANKS, CONNECTORS, PROVIDERS};
use extract::Params;

pub fn routes() -> Router<AppState> {
    Router::new()
        // Authentication (§2)
        .route("/auth/init", post(auth::init))
        .route("/auth/token/code", get(auth::code).post(auth::code))
        .route("/auth/token/access", post(auth::access))
        .route("/auth/renew", post(auth::renew))
        .route("/auth/token", axum::routing::delete(auth::revoke))
        // Users (§2)
        .route("/users", get(users::list))
        .route("/users/{user}", get(users::get).delete(users::delete))
        // Catalogue (§5, §9, §10)
        .route(
            "/connectors",
            get(|s: State<AppState>, p: Params| connectors::list(s, CONNECTORS, p))
                .patch(connectors::patch),
        )
        .route(
            "/connectors/{key}",
            get(connectors::get).put(connectors::update),
        )
        .route("/connectors/{key}/sources", get(connectors::sources))
        .route("/connectors/{key}/sources/{id}", get(connectors::source))
        .route("/connectors/{key}/fields", get(connectors::fields))
        .route(
            "/banks",
            get(|s: State<AppState>, p: Params| connectors::list(s, BANKS, p)),
        )
        .route("/banks/{key}", get(connectors::get))
        .route(
            "/providers",
            get(|s: State<AppState>, p: Params| connectors::list(s, PROVIDERS, p)),
        )
        .route("/providers/{key}", get(connectors::get))
        .route("/account_types", get(reference::account_types))
        .route("/account_types/{key}", get(reference::account_type))
        .route("/currencies", get(reference::currencies))
        .route("/currencies/{id}", get(reference::currency))
}
