//! The control plane, `/sandbox/...` (config token).

use crate::openapi::control::*;

#[utoipa::path(get, path = "/sandbox/clock", tag = "sandbox",
    responses((status = 200, description = "The sandbox clock", body = Clock)),
    security(("bearerAuth" = [])))]
pub fn clock() {}

/// Moves the clock forward (`set`, `advance`) or freezes it.
#[utoipa::path(post, path = "/sandbox/clock", tag = "sandbox",
    request_body(content = ClockUpdate),
    responses((status = 200, description = "The clock as it is now", body = Clock)),
    security(("bearerAuth" = [])))]
pub fn clock_update() {}

/// Runs every job due at the sandbox's `now`: background syncs, decoupled validations,
/// purge of expired temporary users.
#[utoipa::path(post, path = "/sandbox/tick", tag = "sandbox",
    responses((status = 200, description = "What ran", body = Tick)),
    security(("bearerAuth" = [])))]
pub fn tick() {}

/// Every user and everything under them, and the clock, back to the seed.
#[utoipa::path(post, path = "/sandbox/reset", tag = "sandbox",
    responses((status = 200, description = "Reset", body = Reset)),
    security(("bearerAuth" = [])))]
pub fn reset() {}

#[utoipa::path(get, path = "/sandbox/webauth", tag = "sandbox",
    responses((status = 200, description = "How the bank's consent page answers", body = WebauthAuto)),
    security(("bearerAuth" = [])))]
pub fn webauth() {}

/// Makes the bank's consent page answer by itself (approve, refuse, server_error).
#[utoipa::path(post, path = "/sandbox/webauth", tag = "sandbox",
    request_body(content = WebauthAuto),
    responses((status = 200, description = "The setting", body = WebauthAuto)),
    security(("bearerAuth" = [])))]
pub fn webauth_set() {}

#[utoipa::path(get, path = "/sandbox/webhooks/subscriptions", tag = "sandbox",
    responses((status = 200, description = "Active subscriptions", body = SubscriptionsList)),
    security(("bearerAuth" = [])))]
pub fn subscriptions() {}

#[utoipa::path(post, path = "/sandbox/webhooks/subscriptions", tag = "sandbox",
    request_body(content = SubscriptionRequest),
    responses((status = 200, description = "The subscription", body = Subscription)),
    security(("bearerAuth" = [])))]
pub fn subscription_create() {}

#[utoipa::path(delete, path = "/sandbox/webhooks/subscriptions/{id}", tag = "sandbox",
    params(("id" = i64, Path)),
    responses((status = 204, description = "Deactivated")),
    security(("bearerAuth" = [])))]
pub fn subscription_delete() {}

/// Filters shared by the delivery log and the wait.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct DeliveryFilters {
    event: Option<String>,
    id_user: Option<i64>,
    id_connection: Option<i64>,
    /// `pending`, `delivered` or `any`.
    status: Option<String>,
    /// Only deliveries after this id.
    after: Option<i64>,
}

#[utoipa::path(get, path = "/sandbox/webhooks/deliveries", tag = "sandbox",
    params(DeliveryFilters, ("limit" = Option<i64>, Query, description = "At most 1000, default 100")),
    responses((status = 200, description = "The delivery log", body = DeliveriesList)),
    security(("bearerAuth" = [])))]
pub fn deliveries() {}

#[utoipa::path(get, path = "/sandbox/webhooks/deliveries/{id}", tag = "sandbox",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The delivery", body = Delivery)),
    security(("bearerAuth" = [])))]
pub fn delivery() {}

/// Sends a delivery again, with the same `id_webhook_data`.
#[utoipa::path(post, path = "/sandbox/webhooks/deliveries/{id}/redeliver", tag = "sandbox",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The delivery, pending again", body = Delivery)),
    security(("bearerAuth" = [])))]
pub fn redeliver() {}

/// Blocks until a matching delivery exists (default: delivered); 404 after `timeout`.
#[utoipa::path(get, path = "/sandbox/webhooks/wait", tag = "sandbox",
    params(DeliveryFilters, ("timeout" = Option<i64>, Query, description = "Seconds, default 10, at most 60")),
    responses((status = 200, description = "The first matching delivery", body = Delivery)),
    security(("bearerAuth" = [])))]
pub fn wait() {}

/// Fires a test event of any type.
#[utoipa::path(post, path = "/sandbox/webhooks/test", tag = "sandbox",
    request_body(content = TestEventRequest),
    responses((status = 200, description = "Queued", body = TestEventQueued)),
    security(("bearerAuth" = [])))]
pub fn test_event() {}

/// The built-in receiver: stores what it gets (no token needed).
#[utoipa::path(post, path = "/sandbox/webhooks/sink", tag = "sandbox",
    request_body(content = serde_json::Value, description = "Any body"),
    responses((status = 200, description = "Received")))]
pub fn sink_receive() {}

/// As `/sandbox/webhooks/sink`, under any path (the receiver's path is part of signatures).
#[utoipa::path(post, path = "/sandbox/webhooks/sink/{rest}", tag = "sandbox",
    params(("rest" = String, Path, description = "Any path")),
    request_body(content = serde_json::Value, description = "Any body"),
    responses((status = 200, description = "Received")))]
pub fn sink_receive_path() {}

#[utoipa::path(get, path = "/sandbox/webhooks/sink", tag = "sandbox",
    params(("limit" = Option<i64>, Query, description = "At most 1000, default 100")),
    responses((status = 200, description = "What the sink received, newest first", body = SinkList)),
    security(("bearerAuth" = [])))]
pub fn sink_list() {}

#[utoipa::path(delete, path = "/sandbox/webhooks/sink", tag = "sandbox",
    responses((status = 204, description = "Cleared")),
    security(("bearerAuth" = [])))]
pub fn sink_clear() {}
