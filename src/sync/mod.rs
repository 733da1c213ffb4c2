//! The sync engine: reads the simulated bank at the sandbox clock's `now` and applies every
//! documented lifecycle rule (see [`run`]) inside the caller's database transaction. Every
//! change of a connection goes through [`apply`]. This module only declares the parts and
//! re-exports what the surfaces call; the parts import each other directly, never through
//! here, so the engine has no import circle.

pub mod action;
pub mod applied;
pub mod create;
pub mod events;
pub mod fetch;
mod forced;
pub mod lifecycle;
pub mod login;
pub mod options;
pub mod outcome;
pub mod report;
pub mod resume;
pub mod run;
pub mod sample;
pub mod source_outcome;
pub mod sources;
pub mod states;
pub mod subscription_events;
pub mod subscriptions;
pub mod timing;
pub mod wealth;
pub mod webauth;
pub mod webauth_url;

pub use action::{apply, Action};
pub use applied::Applied;
pub use fetch::{fetch_account, refresh};
pub use login::{bank_accounts, bank_changes_mut, credentials, decoupled_delay, set_credentials};
pub use options::Options;
pub use report::Report;
pub use run::sync;
pub use sources::{is_psd2, pending_source, webauth_only};
pub use timing::{retry_after, SYNC_INTERVAL_HOURS};
