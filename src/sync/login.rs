//! What the engine reads of a connection's login at the simulated bank: the PSU's field
//! values (which pick the login's scenario), QA's changes to the bank and the accounts the
//! bank shows.

use crate::bank::accounts::{self, BankAccount};
use crate::bank::changes::BankChanges;
use crate::model::catalogue::Connector;
use crate::state::AppState;
use crate::store::connections::Connection;
use crate::store::json_text::JsonText;
use crate::sync::states::{self, Scenario};
use serde_json::{Map, Value};

/// The field values the PSU gave for this connection.
pub fn credentials(c: &Connection) -> Map<String, Value> {
    c.credentials.0.clone()
}

pub fn set_credentials(c: &mut Connection, values: Map<String, Value>) {
    c.credentials = JsonText(values);
}

/// What QA changed at the bank behind `c`, to change it.
pub fn bank_changes_mut(c: &mut Connection) -> &mut BankChanges {
    &mut c.bank.0
}

/// The accounts the bank shows for this connection's login, QA's changes applied.
pub fn bank_accounts(st: &AppState, connector: &Connector, c: &Connection) -> Vec<BankAccount> {
    let changes = &c.bank;
    let mut list: Vec<BankAccount> = accounts::generate(st.config.seed, connector, &c.login)
        .into_iter()
        .filter(|a| !changes.removed.contains(&a.key))
        .collect();
    list.extend(
        changes
            .added
            .iter()
            .filter(|a| !changes.removed.contains(&a.key))
            .cloned(),
    );
    list
}

/// Seconds before a decoupled validation completes for this connection.
pub fn decoupled_delay(connector: &Connector, c: &Connection) -> i64 {
    match states::scenario(&credentials(c)) {
        Scenario::Steps(_, Some(secs)) => secs,
        _ => connector.decoupled_delay_secs,
    }
}
