//! What QA changed at the bank behind one connection. The bank a sync reads is the generated
//! institution plus these changes; they live on the connection row as JSON, typed in
//! `store::connection_columns` so the row is decoded once.

pub use crate::store::connection_columns::{BankChanges, InjectedTx, Outage};
