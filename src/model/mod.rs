//! Powens JSON shapes and wire formats.

pub mod account;
pub mod calendar;
pub mod catalogue;
pub mod connection;
pub mod currency;
pub mod duration;
pub mod expand;
pub mod format;
pub mod loan;
pub mod money;
pub mod states;
pub mod transaction;
