//! What an action did, for the caller to render. Its own module because the parts of the
//! engine that carry out an action ([`super::forced`]) answer it too.

use crate::error::ApiError;
use crate::store::connections::Source;
use crate::sync::report::Report;

/// What an action did, for the caller to render.
#[derive(Debug)]
pub enum Applied {
    /// Applied, then the connection synced.
    Synced(Report),
    /// The bank refused the new credentials: the connection synced into `wrongpass`.
    Refused(Report),
    /// Saved without a sync (settings; a decoupled step still waiting for the bank's app).
    Saved,
    /// The source after its change.
    Source(Source),
    /// The decoupled step is not validated yet: saved, nobody synced.
    NotValidated,
    /// Nothing to do (a refusal, a validation not due yet).
    Unchanged,
    /// The PSU's answer is refused (wrong code, no such step): nothing was written.
    Rejected(ApiError),
    /// The bank failed while the PSU was in its pages: nothing was written.
    BankFailed(String),
}

impl Applied {
    /// What the sync did, when the action ended in one (an empty report otherwise).
    pub fn into_report(self) -> Report {
        match self {
            Applied::Synced(r) | Applied::Refused(r) => r,
            _ => Report::default(),
        }
    }
}
