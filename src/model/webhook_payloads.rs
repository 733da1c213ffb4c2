//! The bodies of the documented webhooks, made of the same model types the API answers with,
//! so an event and a `GET` of the same object cannot disagree. The events that carry a bare
//! object (ACCOUNT_FOUND, ACCOUNT_ENABLED, ACCOUNT_DISABLED: a [`BankAccount`];
//! CONNECTION_DELETED: a [`Connection`]; USER_CREATED, USER_DELETED: a [`PayloadUser`]) need
//! no type of their own.

use crate::model::account::BankAccount;
use crate::model::connection::Connection;
use crate::model::document::SyncedSubscription;
use crate::model::investment::InvestmentWithPockets;
use crate::model::market_order::MarketOrder;
use crate::model::transaction::Transaction;
use crate::model::user::User;
use serde::Serialize;
use utoipa::ToSchema;

/// The user an event is about. Only its id once the user can no longer be read (a user whose
/// row is gone or no longer live), as before.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum PayloadUser {
    User(User),
    Id { id: i64 },
}

/// ACCOUNT_SYNCED: the account with what the sync found new.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountSyncedPayload {
    #[serde(flatten)]
    pub account: BankAccount,
    pub transactions: Vec<Transaction>,
    /// The lines this sync found new, each with its new pockets.
    pub investments: Vec<InvestmentWithPockets>,
}

/// ACCOUNT_CATEGORIZED: the account's new transactions, once categorized.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountCategorizedPayload {
    pub id_account: i64,
    pub transactions: Vec<Transaction>,
}

/// ACCOUNTS_FETCHED: the connection with its connector, the enabled sources that were synced
/// and the enabled accounts that were synced (before their transactions are processed).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountsFetchedPayload {
    pub user: PayloadUser,
    pub connection: Connection,
}

/// An account of CONNECTION_SYNCED: what the sync found new on it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SyncedAccount {
    #[serde(flatten)]
    pub account: BankAccount,
    pub transactions: Vec<Transaction>,
    /// The lines this sync found new, each with its new pockets.
    pub investments: Vec<InvestmentWithPockets>,
    /// The market orders this sync found new.
    pub market_orders: Vec<MarketOrder>,
}

/// The connection of CONNECTION_SYNCED: the [`Connection`] with its connector and the enabled
/// sources that were synced, then the enabled accounts that were synced and the synced
/// subscriptions with their new documents.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SyncedConnection {
    #[serde(flatten)]
    pub connection: Connection,
    pub accounts: Vec<SyncedAccount>,
    pub subscriptions: Vec<SyncedSubscription>,
}

/// CONNECTION_SYNCED.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConnectionSyncedPayload {
    pub user: PayloadUser,
    pub connection: SyncedConnection,
}
