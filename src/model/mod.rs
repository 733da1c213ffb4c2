//! Powens JSON shapes and wire formats.

pub mod account;
pub mod auth;
pub mod auth_provider;
pub mod calendar;
pub mod catalogue;
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
pub mod investment;
pub mod loan;
pub mod log;
pub mod market_order;
pub mod money;
pub mod scenario;
pub mod states;
pub mod transaction;
pub mod user;
pub mod webhook;
pub mod webhook_payloads;
