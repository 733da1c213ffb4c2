//! Webhooks: events written to an outbox in the same transaction as the change that caused
//! them, then delivered by a worker, signed, retried with backoff, in order per connection.

pub mod emit;
pub mod sign;
pub mod worker;

use std::sync::Arc;
use tokio::sync::Notify;

/// The documented events the sandbox emits.
pub const EVENTS: [&str; 12] = [
    "USER_CREATED",
    "USER_DELETED",
    "CONNECTION_SYNCED",
    "CONNECTION_DELETED",
    "ACCOUNTS_FETCHED",
    "ACCOUNT_SYNCED",
    "ACCOUNT_CATEGORIZED",
    "ACCOUNT_FOUND",
    "ACCOUNT_ENABLED",
    "ACCOUNT_DISABLED",
    "SUBSCRIPTION_FOUND",
    "SUBSCRIPTION_SYNCED",
];

/// Wakes the delivery worker once a change (and its events) is committed.
#[derive(Clone, Default)]
pub struct Wakeup(Arc<Notify>);

impl Wakeup {
    pub fn wake(&self) {
        self.0.notify_one();
    }

    pub async fn wait(&self) {
        self.0.notified().await;
    }
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
