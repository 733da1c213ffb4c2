//! The control plane's webhook objects: subscriptions, the delivery log, test events and
//! what the built-in receiver (the sink) got.

use crate::model::format::DateTime;
use crate::model::lenient;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema, sqlx::FromRow)]
pub struct Subscription {
    pub id: i64,
    pub url: String,
    /// One event, or null for all of them.
    pub event: Option<String>,
    pub id_auth: Option<i64>,
    /// `api` or `config`.
    pub origin: String,
    pub active: bool,
    pub paused: bool,
    pub consecutive_failures: i64,
    pub created: DateTime,
}

#[derive(Serialize, ToSchema)]
pub struct SubscriptionsList {
    pub subscriptions: Vec<Subscription>,
    pub total: usize,
}

/// `url` may be `sink`, the built-in receiver.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionRequest {
    #[serde(deserialize_with = "lenient::string")]
    pub url: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub event: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub id_auth: Option<i64>,
}

/// One event for one subscription, as delivered (or still to be).
#[derive(Serialize, ToSchema)]
pub struct Delivery {
    pub id: i64,
    /// The same as `id`: the receiver sees it in the payload.
    pub id_webhook_data: i64,
    pub event: String,
    pub url: String,
    pub id_subscription: i64,
    pub id_user: Option<i64>,
    pub id_connection: Option<i64>,
    /// `pending` or `delivered`.
    pub status: String,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub latency_ms: Option<f64>,
    /// The headers of the last attempt.
    pub headers: Option<Value>,
    /// The body as sent, `id_webhook_data` included.
    pub payload: Value,
    pub created: DateTime,
    pub delivered_at: Option<DateTime>,
    /// Why the delivery differs from the usual, e.g. sent without `Authorization` because the
    /// user had no valid permanent token left; null otherwise.
    pub note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveriesList {
    pub deliveries: Vec<Delivery>,
    pub total: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestEventRequest {
    #[serde(deserialize_with = "lenient::string")]
    pub event: String,
    /// Without it, the event carries a sample user, connection and account (ids 1), as
    /// Powens' console "send a test webhook" does, with no `Authorization` header.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub id_user: Option<i64>,
    /// The connection the connection and account events are about (default: the user's
    /// first connection).
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub id_connection: Option<i64>,
    /// 1 to 100000.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub count: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct TestEventQueued {
    pub event: String,
    pub queued: usize,
    pub first_event: Option<i64>,
}

/// A request the sink received.
#[derive(Serialize, ToSchema)]
pub struct SinkItem {
    pub id: i64,
    pub headers: Option<Value>,
    /// The body as JSON, or as a string when it was not JSON.
    pub body: Value,
    pub received: DateTime,
}

#[derive(Serialize, ToSchema)]
pub struct SinkList {
    pub received: Vec<SinkItem>,
    pub total: i64,
}
