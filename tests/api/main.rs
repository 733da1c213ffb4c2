//! One test binary for the HTTP API: every module drives a real server over HTTP.

mod common;
mod conformance;
mod openapi;

mod auth;
mod catalogue;
mod categories;
mod errors;
mod logs;
mod token_cache;
mod users;

mod accounts;
mod amortizations;
mod balances;
mod connections;
mod investments;
mod lifecycle;
mod loans;
mod transactions;

mod documents;

mod bodies;
mod control;
mod states;

mod webauth;
mod webauth_redirect;
mod webview;
mod webview_lang;

mod webhooks;

mod faults;
mod inspector;
mod journal;

mod tenants;
mod timezone;
