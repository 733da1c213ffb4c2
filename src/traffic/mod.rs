//! What the sandbox does to the traffic itself, beside answering it: the request journal
//! (`/sandbox/requests`), fault injection (`/sandbox/faults`) and the `--rate-limit` mode.
//!
//! Everything is in memory and in one [`Traffic`], which the application state holds: a
//! tenant of its own will own one. The two layers are added in one place
//! ([`crate::ops::layers`]): [`record::layer`] outside (it sees every answer as the client
//! gets it, faulted ones included) and [`guard::layer`] inside it (rate limit, then faults,
//! before the handler runs, so a faulted request changes nothing).

pub mod faults;
pub mod guard;
pub mod journal;
pub mod rate_limit;
pub mod record;
pub mod redact;

use crate::config::Config;
use std::cell::Cell;

/// The journal, the fault rules and the rate limiter of one sandbox.
pub struct Traffic {
    pub journal: journal::Journal,
    pub faults: faults::Faults,
    /// Present with `--rate-limit`.
    pub limiter: Option<rate_limit::RateLimiter>,
    pub secrets: redact::Secrets,
}

impl Traffic {
    /// From the configuration; `password_fields` are the names of the catalogue's connector
    /// fields of type `password`, redacted like `password`.
    pub fn new(config: &Config, password_fields: impl IntoIterator<Item = String>) -> Traffic {
        Traffic {
            journal: journal::Journal::new(config.journal_size),
            faults: faults::Faults::new(config.seed),
            limiter: config
                .rate_limit
                .then(rate_limit::RateLimiter::sandbox_figures),
            secrets: redact::Secrets::new(password_fields),
        }
    }
}

tokio::task_local! {
    static ACTING_USER: Cell<Option<i64>>;
}

/// Notes the user the request being served acts as, for its journal entry. Called where a
/// principal is resolved (a user's token, or a user named by an admin call); outside a
/// journaled request it does nothing.
pub fn acted_as(id_user: i64) {
    let _ = ACTING_USER.try_with(|u| u.set(Some(id_user)));
}

/// Paths the journal records: the API, the webview and the bank's consent page.
pub fn journaled(path: &str) -> bool {
    path == "/2.0"
        || path.starts_with("/2.0/")
        || path.starts_with("/webview/")
        || path.starts_with("/bank/")
}

/// Paths faults may touch: all but the control plane and the ops routes.
pub fn faultable(path: &str) -> bool {
    !(path == "/sandbox"
        || path.starts_with("/sandbox/")
        || path == "/health"
        || path == "/openapi.json")
}

/// The numeric id after `segment` in a path (`/2.0/users/12/...` → 12 for `users`).
pub fn id_after(path: &str, segment: &str) -> Option<i64> {
    let mut parts = path.split('/');
    while let Some(p) = parts.next() {
        if p == segment {
            return parts.next().and_then(|id| id.parse().ok());
        }
    }
    None
}
