//! Reliability tests: the real binary as a child process, under load, killed with SIGKILL
//! mid-load, and under faults (a webhook receiver down, a full or read-only database, hostile
//! requests). The tests take turns; together they run for about three minutes.
//!
//! Environment: `RELIABILITY_LOAD_SECS` (default 60) and `RELIABILITY_CRASH_SECS` (default 20,
//! the kill comes half-way) set the load durations; `RELIABILITY_BINARY` tests another build
//! of the server (a release one, say). The storage faults mount small file systems and so
//! need root; they say SKIPPED otherwise.

mod faults;
mod harness;
mod load;
mod mounts;
mod receiver;
mod workload;
