//! The sandbox control plane (`/sandbox/...`, config token): the clock, due work, and changes
//! to the simulated banks. QA and test suites drive edge cases from here.

pub mod bank;
pub mod clock;
pub mod connections;
pub mod reset;
pub mod scenario;
pub mod webauth;

use crate::state::AppState;
use axum::routing::{delete, get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/clock", get(clock::get).post(clock::update))
        .route("/tick", post(clock::tick))
        .route("/reset", post(reset::reset))
        .route("/scenario", post(scenario::post))
        .route("/users", post(scenario::create_user))
        .route("/webauth", get(webauth::get).post(webauth::set))
        .route("/connections/{id}", get(connections::get))
        .route("/connections/{id}/state", post(connections::force_state))
        .route("/connections/{id}/validate", post(connections::validate))
        .route("/connections/{id}/sync", post(connections::sync_now))
        .route("/connections/{id}/bank/accounts", post(bank::add_account))
        .route(
            "/connections/{id}/bank/accounts/{account}",
            delete(bank::remove_account),
        )
        .route("/connections/{id}/bank/transactions", post(bank::inject))
        .route(
            "/connections/{id}/bank/outage",
            post(bank::start_outage).delete(bank::end_outage),
        )
}
