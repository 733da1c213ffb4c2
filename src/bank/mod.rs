//! The simulated banks: for each connector and PSU login, a deterministic institution whose
//! accounts and ledger are generated from the sandbox seed and grow with the sandbox clock.
//! The aggregator only ever learns about them through syncs.

pub mod accounts;
pub mod categories;
pub mod changes;
mod day;
pub mod documents;
mod kinds;
pub mod ledger;
pub mod pdf;
pub mod portfolio;
pub mod rng;
pub mod securities;
mod transfers;
pub mod wordings;

#[cfg(test)]
mod ledger_tests;
