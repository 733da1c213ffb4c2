//! Transitional: the control plane's shadow schemas still name these aggregation types here;
//! they are the model's own types.

pub use crate::model::account::BankAccount;
pub use crate::model::connection::{Connection, ConnectionSource};
