//! The sandbox control plane (`/sandbox/...`, config token): the clock, due work, and changes
//! to the simulated banks. QA and test suites drive edge cases from here.

pub mod bank;
pub mod bank_documents;
pub mod bank_transactions;
pub mod bank_wealth;
pub mod clock;
pub mod connections;
pub mod faults;
pub mod requests;
pub mod reset;
pub mod scenario;
pub mod webauth;
pub mod webhook_sink;
pub mod webhooks;

use crate::state::AppState;
use axum::routing::post;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Each `routes!` group is one path, taken with its methods from the handlers'
/// `#[utoipa::path]` (full `/sandbox/...` paths: merged into the application, not nested).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(clock::get, clock::update))
        .routes(routes!(clock::tick))
        .routes(routes!(reset::reset))
        .routes(routes!(
            webhooks::list_subscriptions,
            webhooks::create_subscription
        ))
        .routes(routes!(webhooks::delete_subscription))
        .routes(routes!(webhooks::deliveries))
        .routes(routes!(webhooks::delivery))
        .routes(routes!(webhooks::redeliver))
        .routes(routes!(webhooks::wait))
        .routes(routes!(webhooks::test_event))
        .routes(routes!(
            webhook_sink::sink_receive_root,
            webhook_sink::sink_list,
            webhook_sink::sink_clear
        ))
        // A wildcard (`{*rest}`, any depth) has no OpenAPI form: routed by hand, and its
        // documented path (`{rest}`) added from the handler's `#[utoipa::path]`.
        .route(
            "/sandbox/webhooks/sink/{*rest}",
            post(webhook_sink::sink_receive),
        )
        .merge(OpenApiRouter::with_openapi(WildcardSink::openapi()))
        .routes(routes!(scenario::post))
        .routes(routes!(scenario::create_user))
        .routes(routes!(webauth::get, webauth::set))
        .routes(routes!(connections::get))
        .routes(routes!(connections::force_state))
        .routes(routes!(connections::validate))
        .routes(routes!(connections::sync_now))
        .routes(routes!(bank::add_account))
        .routes(routes!(bank::remove_account))
        .routes(routes!(bank::inject))
        .routes(routes!(bank_documents::inject))
        .routes(routes!(bank_wealth::inject_investment))
        .routes(routes!(bank_wealth::remove_investment))
        .routes(routes!(bank_wealth::inject_order))
        .routes(routes!(
            bank_transactions::delete_transaction,
            bank_transactions::amend_transaction
        ))
        .routes(routes!(bank::start_outage, bank::end_outage))
        // The request journal and fault injection (`crate::traffic`).
        .routes(routes!(requests::list, requests::clear))
        .routes(routes!(requests::get))
        .routes(routes!(faults::list, faults::create, faults::clear))
        .routes(routes!(faults::delete))
}

/// The documentation of the routes this table cannot register with `routes!`.
#[derive(utoipa::OpenApi)]
#[openapi(paths(webhook_sink::sink_receive))]
struct WildcardSink;
