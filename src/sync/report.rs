//! What one sync changed, for the events it sends and for the caller.

use crate::model::states::ConnectionState;

#[derive(Debug, Default)]
pub struct Report {
    pub state: Option<ConnectionState>,
    /// Accounts discovered by this sync (added disabled).
    pub found: Vec<i64>,
    /// Accounts that vanished at the bank during this sync.
    pub deleted: Vec<i64>,
    /// New transaction ids per enabled account that was refreshed.
    pub synced: Vec<(i64, Vec<i64>)>,
    /// The wealth ids before the sync: the lines, pockets and orders above are new.
    pub wealth: crate::sync::wealth::Floor,
    /// At least one source answered, so accounts were fetched.
    pub fetched: bool,
    /// Subscriptions discovered by this sync (added disabled).
    pub subscriptions_found: Vec<i64>,
    /// New document ids per enabled subscription that was refreshed.
    pub subscriptions_synced: Vec<(i64, Vec<i64>)>,
}
