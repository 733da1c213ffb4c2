//! A state forced by the control plane (like Plaid's `reset_login`). Waiting states stick
//! until the PSU does what they ask; `rateLimiting`, `websiteUnavailable` and `bug` last
//! until the next sync; `None` clears every forced state and bank outage, then syncs. Each
//! ends like a sync ending in that state would: a log row and the same webhooks.

use crate::error::Result;
use crate::model::catalogue::{Connector, ConnectorField};
use crate::model::format;
use crate::model::states::ConnectionState;
use crate::state::AppState;
use crate::store::{self, connections::Connection};
use crate::sync::applied::Applied;
use crate::sync::login::{bank_changes_mut, decoupled_delay};
use crate::sync::options::Options;
use crate::sync::report::Report;
use crate::sync::run::{sync, write_log};
use crate::sync::states::{Pending, Step};
use crate::sync::timing::retry_after;
use crate::sync::{events, resume};
use chrono::NaiveDateTime;
use sqlx::SqliteConnection;

pub struct Forced {
    pub state: Option<&'static str>,
    pub source: Option<i64>,
    pub message: Option<String>,
    pub fields: Option<Vec<ConnectorField>>,
}

const BACKGROUND: Options = Options {
    psu_requested: false,
};

pub async fn apply(
    conn: &mut SqliteConnection,
    st: &AppState,
    connector: &Connector,
    c: &mut Connection,
    f: Forced,
    now: NaiveDateTime,
) -> Result<Applied> {
    match (f.state, f.state.and_then(Step::for_state)) {
        (_, Some(step)) => {
            // A waiting state is a pending step the sync reports until the PSU answers it.
            let delay = decoupled_delay(connector, c);
            let mut p = Pending::enter(connector, step, vec![], now, delay);
            p.source = f.source;
            if f.message.is_some() {
                p.error_message = f.message;
            }
            if f.fields.is_some() {
                p.fields = f.fields;
            }
            resume::set_pending(c, Some(p));
            store::connections::save(conn, c).await?;
            let report = sync(conn, st, c, now, BACKGROUND).await?;
            Ok(Applied::Synced(report))
        }
        (Some(state), None) => {
            passing_failure(conn, st, c, state, f.source, f.message, now).await?;
            Ok(Applied::Saved)
        }
        (None, None) => {
            resume::set_pending(c, None);
            bank_changes_mut(c).outage = None;
            store::connections::save(conn, c).await?;
            let report = sync(conn, st, c, now, BACKGROUND).await?;
            Ok(Applied::Synced(report))
        }
    }
}

/// A bank failure shown now and gone at the next sync: no bank is asked, so no account
/// changes; the log row and the webhooks are those of a sync that ended in `state`.
async fn passing_failure(
    conn: &mut SqliteConnection,
    st: &AppState,
    c: &mut Connection,
    state: &'static str,
    source: Option<i64>,
    message: Option<String>,
    now: NaiveDateTime,
) -> Result<()> {
    resume::set_pending(c, None);
    let message = message.or(Some(resume::outage_message(state).into()));
    let mut failing_source = None;
    for mut src in store::connections::sources(conn, c.id)
        .await?
        .into_iter()
        .filter(|x| source.is_none_or(|id| id == x.id))
    {
        failing_source = failing_source.or(Some(src.id));
        src.state = Some(ConnectionState::parse(state));
        src.error_message = message.clone();
        store::connections::save_source(conn, &src).await?;
    }
    c.state = Some(ConnectionState::parse(state));
    c.error_message = message;
    c.next_try = Some(format::datetime(now + retry_after(c.state.as_ref())));
    store::connections::save(conn, c).await?;
    write_log(conn, c, failing_source, 0, BACKGROUND, now).await?;
    let report = Report {
        state: c.state.clone(),
        ..Report::default()
    };
    events::sync_events(conn, st, c, &report, now).await
}
