//! Powens JSON shapes and wire formats.

pub mod account;
pub mod auth;
pub mod auth_provider;
pub mod balance;
pub mod calendar;
pub mod catalogue;
pub mod category;
pub mod connection;
pub mod connector;
pub mod control;
pub mod control_bank;
pub mod control_connections;
pub mod currency;
pub mod duration;
pub mod expand;
pub mod format;
pub mod health;
pub mod loan;
pub mod log;
pub mod money;
pub mod scenario;
pub mod states;
pub mod transaction;
pub mod user;
pub mod webhook;
pub mod webhook_payloads;
