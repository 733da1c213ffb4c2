//! The sandbox control plane (`/sandbox/...`, config token): the clock, due work, and changes
//! to the simulated banks. QA and test suites drive edge cases from here.

pub mod bank;
pub mod clock;

use crate::state::AppState;
use axum::routing::{delete, get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/clock", get(clock::get).post(clock::update))
        .route("/tick", post(clock::tick))
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
