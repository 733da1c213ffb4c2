//! One test binary for the HTTP API: every module drives a real server over HTTP.

mod common;
mod conformance;
mod openapi;

mod auth;
mod catalogue;
mod errors;
mod logs;
mod users;

mod accounts;
mod connections;
mod investments;
mod lifecycle;
mod transactions;

mod control;
mod states;

mod webauth;
mod webview;
mod webview_lang;

mod webhooks;

mod timezone;
