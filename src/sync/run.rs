//! One sync of a connection, applying every documented lifecycle rule in one place, inside
//! the caller's database transaction:
//! - a newly discovered account is added disabled (identity, name and type only);
//! - an account no longer at the bank gets its `deleted` date;
//! - enabled accounts get balances and the transactions new since the last sync (first
//!   fetch: the connector's history depth);
//! - each source keeps its own state; the connection shows the first failing one by priority;
//! - one log row per sync.

use crate::error::{ApiError, Result};
use crate::model::format;
use crate::model::states::{webauth_message, ConnectionState};
use crate::state::AppState;
use crate::store::accounts::Account;
use crate::store::connections::Connection;
use crate::store::{self, logs};
use crate::sync::events;
use crate::sync::fetch::{self, refresh};
use crate::sync::login::bank_accounts;
use crate::sync::options::Options;
use crate::sync::outcome::Outcome;
use crate::sync::report::Report;
use crate::sync::resume;
use crate::sync::source_outcome::source_outcome;
use crate::sync::sources::{owner, pending_source};
use crate::sync::timing::{retry_after, SYNC_INTERVAL_HOURS};
use crate::sync::webauth_url;
use chrono::{NaiveDateTime, TimeDelta};
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// Runs one sync of `c` and writes everything it changes. `c` is updated in place and saved.
pub async fn sync(
    conn: &mut SqliteConnection,
    st: &AppState,
    c: &mut Connection,
    now: NaiveDateTime,
    opts: Options,
) -> Result<Report> {
    let connector = st
        .catalogue
        .connector_by_id(c.id_connector)
        .ok_or_else(|| {
            ApiError::internal(format!(
                "connector {} missing from catalogue",
                c.id_connector
            ))
        })?
        .clone();
    let mut sources = store::connections::sources(conn, c.id).await?;
    let pending_for = resume::pending(c).and_then(|p| pending_source(&p, &sources));
    let mut outcomes: HashMap<i64, Outcome> = HashMap::new();
    for s in sources.iter_mut().filter(|s| s.disabled.is_none()) {
        let o = source_outcome(&connector, c, s, pending_for, now, opts);
        let o = with_webauth_url(st, c, o);
        s.state = o.state().map(ConnectionState::parse);
        s.error_message = match &o {
            Outcome::Fail { message, .. } => message.clone(),
            Outcome::Ok => None,
        };
        if o == Outcome::Ok {
            s.last_update = Some(format::datetime(now));
        }
        s.next_try = Some(format::datetime(
            now + TimeDelta::hours(SYNC_INTERVAL_HOURS),
        ));
        store::connections::save_source(conn, s).await?;
        outcomes.insert(s.id, o);
    }

    let mut report = Report {
        wealth: crate::sync::wealth::floor(conn).await?,
        ..Report::default()
    };
    let bank = bank_accounts(st, &connector, c);
    let existing = store::accounts::of_connection(conn, c.id).await?;
    let by_key: HashMap<&str, &Account> =
        existing.iter().map(|a| (a.bank_key.as_str(), a)).collect();
    let mut nb_tx = 0i64;
    for ba in &bank {
        let Some(src) = owner(&connector, &sources, &ba.kind) else {
            continue;
        };
        if outcomes.get(&src.id) != Some(&Outcome::Ok) {
            continue;
        }
        match by_key.get(ba.key.as_str()) {
            None => {
                let id = fetch::discover(conn, st, c, src.id, ba, now).await?;
                report.found.push(id);
            }
            Some(row) => {
                let mut row = (*row).clone();
                row.id_source = Some(src.id);
                if row.deleted.is_some() {
                    // Back at the bank: visible again.
                    row.deleted = None;
                }
                if row.disabled.is_none() {
                    let ids = refresh(conn, st, &connector, c, &bank, &mut row, ba, now).await?;
                    nb_tx += ids.len() as i64;
                    report.synced.push((row.id, ids));
                }
                store::accounts::save(conn, &row).await?;
            }
        }
    }
    // Accounts the bank no longer shows, among those whose source answered.
    for row in &existing {
        let at_bank = bank.iter().any(|b| b.key == row.bank_key);
        let answered = row
            .id_source
            .is_some_and(|s| outcomes.get(&s) == Some(&Outcome::Ok));
        if !at_bank && answered && row.deleted.is_none() {
            let mut row = row.clone();
            row.deleted = Some(format::datetime(now));
            store::accounts::save(conn, &row).await?;
            report.deleted.push(row.id);
        }
    }

    crate::sync::subscriptions::sync_subscriptions(
        conn,
        st,
        &connector,
        c,
        &sources,
        &outcomes,
        &bank,
        &mut report,
        now,
    )
    .await?;

    // The connection shows the first failing source by priority.
    let failing = sources
        .iter()
        .filter(|s| s.disabled.is_none())
        .find_map(|s| match outcomes.get(&s.id) {
            Some(o @ Outcome::Fail { .. }) => Some((s, o.clone())),
            _ => None,
        });
    let failing_source = failing.as_ref().map(|(s, _)| s.id);
    match failing {
        Some((
            _,
            Outcome::Fail {
                state,
                message,
                fields,
            },
        )) => {
            c.state = Some(ConnectionState::parse(state));
            c.error_message = message;
            c.fields = fields.map(|f| serde_json::to_string(&f).unwrap_or_default());
        }
        _ => {
            c.state = None;
            c.error_message = None;
            c.fields = None;
            c.last_update = Some(format::datetime(now));
        }
    }
    c.next_try = c
        .active
        .then(|| format::datetime(now + retry_after(c.state.as_ref())));
    c.expire = sources.iter().filter_map(|s| s.expire.clone()).max();
    store::connections::save(conn, c).await?;
    // The log is about the failing source, else the first one that synced.
    let log_source = failing_source.or_else(|| {
        sources
            .iter()
            .filter(|s| s.disabled.is_none())
            .find(|s| outcomes.get(&s.id) == Some(&Outcome::Ok))
            .map(|s| s.id)
    });
    write_log(conn, c, log_source, nb_tx, opts, now).await?;
    report.state = c.state.clone();
    report.fetched = outcomes.values().any(|o| *o == Outcome::Ok);
    events::sync_events(conn, st, c, &report, now).await?;
    Ok(report)
}

/// `webauthRequired` without a message of its own (one the control plane forced) tells the
/// PSU where to go: the connection's webauth URL.
fn with_webauth_url(st: &AppState, c: &Connection, o: Outcome) -> Outcome {
    match o {
        Outcome::Fail {
            state: "webauthRequired",
            message: None,
            fields,
        } => Outcome::Fail {
            state: "webauthRequired",
            message: Some(webauth_message(&webauth_url::url(st, c))),
            fields,
        },
        o => o,
    }
}

/// The log row of a sync that ended in `c`'s current state.
pub(crate) async fn write_log(
    conn: &mut SqliteConnection,
    c: &Connection,
    id_source: Option<i64>,
    nb_transactions: i64,
    opts: Options,
    now: NaiveDateTime,
) -> Result<()> {
    let nb_accounts = store::accounts::of_connection(conn, c.id)
        .await?
        .iter()
        .filter(|a| a.deleted.is_none())
        .count() as i64;
    logs::insert(
        conn,
        &logs::NewLog {
            id_user: c.id_user,
            id_connection: c.id,
            id_connector: c.id_connector,
            id_source,
            start: now,
            end: now,
            next_try: c.next_try.clone(),
            state: c.state.as_ref().map(|s| s.as_str().to_owned()),
            error_message: c.error_message.clone(),
            nb_accounts,
            nb_transactions,
            psu_requested: opts.psu_requested,
        },
    )
    .await?;
    Ok(())
}
