//! The sandbox control plane (`/sandbox/...`, config token): the clock, due work, and changes
//! to the simulated banks. QA and test suites drive edge cases from here.

pub mod bank;
pub mod clock;
pub mod connections;
pub mod reset;
pub mod scenario;
pub mod webauth;
pub mod webhook_sink;
pub mod webhooks;

use crate::state::AppState;
use axum::routing::{delete, get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/clock", get(clock::get).post(clock::update))
        .route("/tick", post(clock::tick))
        .route("/reset", post(reset::reset))
        .route(
            "/webhooks/subscriptions",
            get(webhooks::list_subscriptions).post(webhooks::create_subscription),
        )
        .route(
            "/webhooks/subscriptions/{id}",
            delete(webhooks::delete_subscription),
        )
        .route("/webhooks/deliveries", get(webhooks::deliveries))
        .route("/webhooks/deliveries/{id}", get(webhooks::delivery))
        .route(
            "/webhooks/deliveries/{id}/redeliver",
            post(webhooks::redeliver),
        )
        .route("/webhooks/wait", get(webhooks::wait))
        .route("/webhooks/test", post(webhooks::test_event))
        .route(
            "/webhooks/sink",
            post(webhook_sink::sink_receive_root)
                .get(webhook_sink::sink_list)
                .delete(webhook_sink::sink_clear),
        )
        .route("/webhooks/sink/{*rest}", post(webhook_sink::sink_receive))
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
            "/connections/{id}/bank/transactions/{transaction}",
            delete(bank::delete_transaction).patch(bank::amend_transaction),
        )
        .route(
            "/connections/{id}/bank/outage",
            post(bank::start_outage).delete(bank::end_outage),
        )
}
