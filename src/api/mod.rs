//! The `/2.0` surface. One route table: every path the API answers is listed here.

pub mod accounts;
pub mod auth;
pub mod connection_update;
pub mod connections;
pub mod connectors;
pub mod extract;
pub mod principal;
pub mod reference;
pub mod sources;
pub mod transaction_query;
pub mod transactions;
pub mod users;
pub mod webauth;
pub mod webhooks_auth;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        // Authentication (§2)
        .route("/auth/init", post(auth::init))
        .route("/auth/token/code", get(auth::code).post(auth::code))
        .route("/auth/token/access", post(auth::access))
        .route("/auth/renew", post(auth::renew))
        .route("/auth/token", axum::routing::delete(auth::revoke))
        // Webauth (§12.2)
        .route("/webauth-url", get(webauth::url))
        .route("/webauth", get(webauth::start))
        // Users (§2)
        .route("/users", get(users::list))
        .route("/users/{user}", get(users::get).delete(users::delete))
        // Connections, sources, logs (§6)
        .route(
            "/users/{user}/connections",
            get(connections::list).post(connections::create),
        )
        .route(
            "/users/{user}/connections/{id}",
            get(connections::get)
                .post(connection_update::update)
                .put(connections::sync_now)
                .delete(connections::delete),
        )
        .route("/users/{user}/connections/{id}/sources", get(sources::list))
        .route(
            "/users/{user}/connections/{id}/sources/{sid}",
            get(sources::get).post(sources::update).put(sources::update),
        )
        .route("/users/{user}/connections/{id}/logs", get(sources::logs))
        // Bank accounts (§7)
        .route("/users/{user}/accounts", get(accounts::list))
        .route(
            "/users/{user}/accounts/{id}",
            get(accounts::get)
                .post(accounts::update)
                .put(accounts::update),
        )
        .route(
            "/users/{user}/connections/{c}/accounts",
            get(accounts::list_in_connection),
        )
        .route(
            "/users/{user}/connections/{c}/accounts/{id}",
            get(accounts::get_in_connection)
                .post(accounts::update_in_connection)
                .put(accounts::update_in_connection),
        )
        // Transactions (§8)
        .route("/users/{user}/transactions", get(transactions::list))
        .route(
            "/users/{user}/transactions/{id}",
            get(transactions::get)
                .post(transactions::update)
                .put(transactions::update),
        )
        .route(
            "/users/{user}/accounts/{a}/transactions",
            get(transactions::list_in_account),
        )
        .route(
            "/users/{user}/accounts/{a}/transactions/{id}",
            get(transactions::get_in_account),
        )
        .route(
            "/users/{user}/connections/{c}/transactions",
            get(transactions::list_in_connection),
        )
        .route(
            "/users/{user}/connections/{c}/accounts/{a}/transactions",
            get(transactions::list_in_connection_account),
        )
        // Catalogue (§5, §9, §10)
        .route(
            "/connectors",
            get(connectors::list).patch(connectors::patch),
        )
        .route(
            "/connectors/{key}",
            get(connectors::get).put(connectors::update),
        )
        .route("/connectors/{key}/sources", get(connectors::sources))
        .route("/connectors/{key}/sources/{id}", get(connectors::source))
        .route("/connectors/{key}/fields", get(connectors::fields))
        .route("/banks", get(connectors::list_banks))
        .route("/banks/{key}", get(connectors::get_bank))
        .route("/providers", get(connectors::list_providers))
        .route("/providers/{key}", get(connectors::get_provider))
        .route("/account_types", get(reference::account_types))
        .route("/account_types/{key}", get(reference::account_type))
        .route("/currencies", get(reference::currencies))
        .route("/currencies/{id}", get(reference::currency))
        // Webhook auth providers (§13, config token)
        .route(
            "/webhooks/auth",
            get(webhooks_auth::list).post(webhooks_auth::create),
        )
        .route(
            "/webhooks/auth/{id}",
            axum::routing::delete(webhooks_auth::delete),
        )
}
