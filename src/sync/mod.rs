//! The sync engine: reads the simulated bank at the sandbox clock's `now` and applies every
//! documented lifecycle rule in one place, inside the caller's database transaction:
//! - a newly discovered account is added disabled (identity, name and type only);
//! - an account no longer at the bank gets its `deleted` date;
//! - enabled accounts get balances and the transactions new since the last sync (first
//!   fetch: the connector's history depth);
//! - each source keeps its own state; the connection shows the first failing one by priority;
//! - one log row per sync.

pub mod action;
pub mod create;
pub mod events;
pub mod fetch;
mod forced;
pub mod lifecycle;
pub mod outcome;
pub mod report;
pub mod resume;
pub mod sample;
pub mod states;
pub mod webauth;

pub use action::{apply, Action, Applied};
pub use report::Report;

use crate::bank::accounts::{self, BankAccount};
use crate::bank::changes::BankChanges;
use crate::error::{ApiError, Result};
use crate::model::catalogue::Connector;
use crate::model::format;
use crate::state::AppState;
use crate::store::accounts::Account;
use crate::store::connections::{Connection, Source};
use crate::store::json_text::JsonText;
use crate::store::{self, logs};
use chrono::{NaiveDateTime, TimeDelta};
pub use fetch::{fetch_account, refresh};
use outcome::Outcome;
use serde_json::{Map, Value};
use sqlx::SqliteConnection;
use states::{Pending, Scenario, Step};
use std::collections::HashMap;

/// Background syncs run every 24 hours of sandbox time.
pub const SYNC_INTERVAL_HOURS: i64 = 24;

/// States that wait for the PSU (the API answers 202 with them).
pub const INTERACTIVE: [&str; 5] = [
    "SCARequired",
    "webauthRequired",
    "additionalInformationNeeded",
    "decoupled",
    "validating",
];

/// When the scheduler tries again: soon after a bank-side failure, else the daily sync.
pub fn retry_after(state: Option<&str>) -> TimeDelta {
    match state {
        Some("rateLimiting" | "websiteUnavailable" | "bug") => TimeDelta::hours(1),
        _ => TimeDelta::hours(SYNC_INTERVAL_HOURS),
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The PSU is present (may answer an SCA); false for background refreshes.
    pub psu_requested: bool,
}

/// The field values the PSU gave for this connection.
pub fn credentials(c: &Connection) -> Map<String, Value> {
    c.credentials.0.clone()
}

pub fn set_credentials(c: &mut Connection, values: Map<String, Value>) {
    c.credentials = JsonText(values);
}

/// What QA changed at the bank behind `c`, to change it.
pub fn bank_changes_mut(c: &mut Connection) -> &mut BankChanges {
    &mut c.bank.0
}

/// The accounts the bank shows for this connection's login, QA's changes applied.
pub fn bank_accounts(st: &AppState, connector: &Connector, c: &Connection) -> Vec<BankAccount> {
    let changes = &c.bank;
    let mut list: Vec<BankAccount> = accounts::generate(st.config.seed, connector, &c.login)
        .into_iter()
        .filter(|a| !changes.removed.contains(&a.key))
        .collect();
    list.extend(
        changes
            .added
            .iter()
            .filter(|a| !changes.removed.contains(&a.key))
            .cloned(),
    );
    list
}

fn connector_source<'a>(
    connector: &'a Connector,
    s: &Source,
) -> Option<&'a crate::model::catalogue::ConnectorSource> {
    connector
        .sources
        .iter()
        .find(|cs| cs.id == s.id_connector_source)
}

/// A source the PSU can only authorise in the bank's own pages.
pub fn webauth_only(connector: &Connector, s: &Source) -> bool {
    connector_source(connector, s).is_some_and(|cs| {
        !cs.available_auth_mechanisms
            .iter()
            .any(|m| m == "credentials")
    })
}

/// A PSD2 source: its access rests on a consent that expires.
pub fn is_psd2(s: &Source) -> bool {
    s.name == "openapi"
}

/// The source a pending step applies to: its own, else the first PSD2 one, else the first.
pub fn pending_source(p: &Pending, sources: &[Source]) -> Option<i64> {
    let enabled = || sources.iter().filter(|s| s.disabled.is_none());
    p.source
        .filter(|id| enabled().any(|s| s.id == *id))
        .or_else(|| enabled().find(|s| is_psd2(s)).map(|s| s.id))
        .or_else(|| enabled().next().map(|s| s.id))
}

/// The outcome of logging in to one source now. May start an SCA challenge (setting
/// `c.pending`) or renew consent (updating `source`) when the PSU is present.
fn source_outcome(
    connector: &Connector,
    c: &mut Connection,
    source: &mut Source,
    pending_for: Option<i64>,
    now: NaiveDateTime,
    opts: Options,
) -> Outcome {
    if let Some(o) = &c.bank.outage {
        if o.until.is_none_or(|u| u > now) {
            let state = crate::model::states::canonical(&o.state).unwrap_or("websiteUnavailable");
            return Outcome::Fail {
                state,
                message: o.error_message.clone(),
                fields: None,
            };
        }
    }
    if let (Some(p), true) = (resume::pending(c), pending_for == Some(source.id)) {
        return Outcome::Fail {
            state: p.step.state(),
            message: p.error_message,
            fields: p.fields,
        };
    }
    let webauth = webauth_only(connector, source);
    if webauth && source.access_expire.is_none() {
        // No consent was ever given in the bank's own pages.
        return Outcome::fail(
            "webauthRequired",
            "Veuillez vous authentifier auprès de votre banque.",
        );
    }
    let expire = source
        .access_expire
        .as_deref()
        .and_then(format::parse_datetime);
    if is_psd2(source) && states::consent_expired(expire, now) {
        if webauth {
            return Outcome::fail(
                "webauthRequired",
                "Votre consentement a expiré : authentifiez-vous auprès de votre banque.",
            );
        }
        if !opts.psu_requested {
            return Outcome::fail(
                "SCARequired",
                "Votre consentement a expiré : une authentification forte est requise.",
            );
        }
        // The PSU is here: the SCA challenge starts. Its form follows the login's scenario;
        // by default the sandbox bank approves at once and consent is renewed.
        let challenge: Vec<Step> = match states::scenario(&credentials(c)) {
            Scenario::Steps(steps, _) => steps
                .into_iter()
                .filter(|s| matches!(s, Step::Otp | Step::Decoupled))
                .collect(),
            _ => vec![],
        };
        if let Some((first, rest)) = challenge.split_first() {
            let mut p = Pending::enter(
                connector,
                *first,
                rest.to_vec(),
                now,
                decoupled_delay(connector, c),
            );
            p.source = Some(source.id);
            p.renews_consent = true;
            let out = Outcome::Fail {
                state: p.step.state(),
                message: p.error_message.clone(),
                fields: p.fields.clone(),
            };
            resume::set_pending(c, Some(p));
            return out;
        }
        source.access_expire = Some(format::datetime(states::consent_until(now)));
    }
    Outcome::Ok
}

/// Seconds before a decoupled validation completes for this connection.
pub fn decoupled_delay(connector: &Connector, c: &Connection) -> i64 {
    match states::scenario(&credentials(c)) {
        Scenario::Steps(_, Some(secs)) => secs,
        _ => connector.decoupled_delay_secs,
    }
}

/// The source that serves accounts of this type: the first enabled one by priority.
fn owner<'a>(connector: &Connector, sources: &'a [Source], kind: &str) -> Option<&'a Source> {
    sources.iter().filter(|s| s.disabled.is_none()).find(|s| {
        connector
            .sources
            .iter()
            .find(|cs| cs.id == s.id_connector_source)
            .is_some_and(|cs| cs.account_types.iter().any(|t| t == kind))
    })
}

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
        s.state = o.state().map(str::to_owned);
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

    let mut report = Report::default();
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
            c.state = Some(state.to_string());
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
        .then(|| format::datetime(now + retry_after(c.state.as_deref())));
    c.expire = sources.iter().filter_map(|s| s.expire.clone()).max();
    store::connections::save(conn, c).await?;
    write_log(conn, c, failing_source, nb_tx, opts, now).await?;
    report.state = c.state.clone();
    report.fetched = outcomes.values().any(|o| *o == Outcome::Ok);
    events::sync_events(conn, st, c, &report, now).await?;
    Ok(report)
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
            state: c.state.clone(),
            error_message: c.error_message.clone(),
            nb_accounts,
            nb_transactions,
            psu_requested: opts.psu_requested,
        },
    )
    .await?;
    Ok(())
}
