//! One documentation function per route, grouped by resource. Each names the real path and
//! method; the drift test holds them to the route tables.

pub mod auth;
pub mod catalogue;
pub mod connections;
pub mod ops;
pub mod sandbox;
