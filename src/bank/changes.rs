//! What QA changed at the bank behind one connection. The bank a sync reads is the generated
//! institution plus these changes; they live on the connection row as JSON, typed in
//! `store::connection_columns` so the row is decoded once.

pub use crate::store::connection_columns::{
    Amendment, BankChanges, InjectedDocument, InjectedTx, Outage, TxEdit,
};

/// The masked number of the login's debit card, as the checking account's generated card
/// payments carry it (`bank::kinds` keys it the same way).
pub fn debit_card_number(seed: u64, login: &str) -> String {
    format!(
        "XXXXXXXXXXXX{}",
        crate::bank::rng::Gen::new(&[&seed, &login, &"cardno"]).digits(4)
    )
}
