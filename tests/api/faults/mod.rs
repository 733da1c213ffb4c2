//! Fault injection (`/sandbox/faults`) and the `--rate-limit` mode.

mod actions;
mod rate_limit;
mod rules;
