//! Scenario documents: users, connections (connector, login, state, consent age), accounts
//! (enabled, disabled, deleted), transactions and the clock, set up in one call. Also the
//! headless shortcut `POST /sandbox/users` (one user, connections with accounts enabled).

use crate::api::extract::{only_known, typed, Body, Fields};
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::catalogue::{Connector, ConnectorSource};
use crate::model::format::DateTime;
use crate::model::scenario::{
    LoadedAccount, LoadedConnection, LoadedScenario, LoadedUser, ScenarioConnection,
    ScenarioDocument, ScenarioUser,
};
use crate::model::{duration, format, states};
use crate::state::AppState;
use crate::store::{self, tokens};
use crate::sync::states::consent_until;
use crate::sync::{self, Action, Options};
use axum::extract::State;
use axum::Json;
use chrono::NaiveDateTime;
use serde_json::{Map, Value};
use sqlx::SqliteConnection;

/// The ConnectionRequest keys of a scenario connection: `id_connector`, `connector_uuid`,
/// `source` and the connector's own fields, as `POST /users/{id}/connections` takes them.
fn request_keys(spec: &ScenarioConnection) -> Map<String, Value> {
    let mut keys = spec.request.clone();
    if let Some(id) = spec.id_connector {
        keys.insert("id_connector".into(), id.into());
    }
    if let Some(uuid) = &spec.connector_uuid {
        keys.insert("connector_uuid".into(), uuid.clone().into());
    }
    if let Some(source) = &spec.source {
        keys.insert("source".into(), source.clone().into());
    }
    keys
}

type Request<'a> = (&'a Connector, Vec<&'a ConnectorSource>, Map<String, Value>);

/// Today's scenario keys: `connector` (uuid or id), `login` and `password` (defaults when
/// the connector has such fields) and `fields`, on every enabled source.
fn legacy_request<'a>(
    st: &'a AppState,
    id_user: i64,
    spec: &ScenarioConnection,
    key: &Value,
    at: &str,
) -> Result<Request<'a>> {
    let request = request_keys(spec);
    if let Some(k) = request.keys().min() {
        return Err(ApiError::invalid(
            &format!("{at}.{k}"),
            "unknown field next to `connector` (give a ConnectionRequest with id_connector or connector_uuid to use the connector's own fields)",
        ));
    }
    let key = key.to_string().trim_matches('"').to_string();
    let connector = st
        .catalogue
        .connector(&key)
        .ok_or_else(|| ApiError::invalid(&format!("{at}.connector"), "unknown connector"))?;
    let mut values = spec.fields.clone();
    if connector.fields.iter().any(|f| f.name == "login") {
        values.insert(
            "login".into(),
            Value::String(
                spec.login
                    .clone()
                    .unwrap_or_else(|| format!("psu{id_user}")),
            ),
        );
    }
    if connector.fields.iter().any(|f| f.name == "password") {
        values.insert(
            "password".into(),
            Value::String(spec.password.clone().unwrap_or_else(|| "123456".into())),
        );
    }
    let sources: Vec<&ConnectorSource> = connector
        .sources
        .iter()
        .filter(|s| s.disabled.is_none())
        .collect();
    Ok((connector, sources, values))
}

async fn load_connection(
    conn: &mut SqliteConnection,
    st: &AppState,
    id_user: i64,
    spec: &ScenarioConnection,
    at: &str,
    now: NaiveDateTime,
) -> Result<LoadedConnection> {
    let (connector, sources, values) = match &spec.connector {
        Some(key) => legacy_request(st, id_user, spec, key, at)?,
        None => {
            let mut body = request_keys(spec);
            for (k, v) in &spec.fields {
                body.insert(k.clone(), v.clone());
            }
            if let Some(l) = &spec.login {
                body.insert("login".into(), Value::String(l.clone()));
            }
            if let Some(p) = &spec.password {
                body.insert("password".into(), Value::String(p.clone()));
            }
            let parsed = crate::api::connections::connection_request(st, &Fields(body), None)?;
            let mut known = vec!["id_connector", "connector_uuid", "source"];
            known.extend(parsed.0.fields.iter().map(|f| f.name.as_str()));
            only_known(&request_keys(spec), &known, &format!("{at}."))?;
            parsed
        }
    };
    let mut c =
        sync::create::connection(conn, st, id_user, connector, &sources, values, false, now)
            .await?
            .map_err(|_| {
                ApiError::invalid(
                    &format!("{at}.password"),
                    "these credentials are refused by the bank",
                )
            })?;
    if let Some(age) = &spec.consent_age {
        let age = duration::parse(age).ok_or_else(|| {
            ApiError::invalid(
                &format!("{at}.consent_age"),
                "expected a duration such as 170d",
            )
        })?;
        for mut s in store::connections::sources(conn, c.id).await? {
            if sync::is_psd2(&s) && s.access_expire.is_some() {
                s.access_expire = Some(format::datetime(consent_until(now - age)));
                store::connections::save_source(conn, &s).await?;
            }
        }
    }
    let mut changes = c.bank.0.clone();
    let rows = store::accounts::of_connection(conn, c.id).await?;
    for kind in &spec.accounts.deleted {
        let row = rows.iter().find(|a| &a.kind == kind).ok_or_else(|| {
            ApiError::invalid(
                &format!("{at}.accounts.deleted"),
                format!("no {kind} account at this bank"),
            )
        })?;
        changes.removed.push(row.bank_key.clone());
    }
    for (i, t) in spec.transactions.iter().enumerate() {
        let field = format!("{at}.transactions[{i}].account");
        let no_account = || ApiError::invalid(&field, "no account of this type");
        let row = rows
            .iter()
            .find(|a| a.kind == t.account)
            .ok_or_else(no_account)?;
        let account =
            crate::sandbox::bank::bank_account(st, &c, &row.bank_key).ok_or_else(no_account)?;
        let parsed = crate::sandbox::bank::injected(&t.transaction);
        crate::sandbox::bank::add_injected(st, &c, &mut changes, &account, vec![parsed], now);
    }
    *sync::bank_changes_mut(&mut c) = changes;
    store::connections::save(conn, &c).await?;
    for mut row in store::accounts::of_connection(conn, c.id).await? {
        if spec.accounts.enables(&row.kind) && !spec.accounts.deleted.contains(&row.kind) {
            sync::lifecycle::enable_account(conn, st, &c, &mut row, now).await?;
        }
    }
    // One sync applies it all: history of the enabled accounts, deletions, injections.
    sync::sync(
        conn,
        st,
        &mut c,
        now,
        Options {
            psu_requested: true,
        },
    )
    .await?;
    if let Some(s) = &spec.state {
        let s = states::canonical(s)
            .ok_or_else(|| ApiError::invalid(&format!("{at}.state"), "not a ConnectionState"))?;
        let forced = Action::ForceState {
            state: Some(s),
            source: None,
            message: None,
            fields: None,
        };
        sync::apply(conn, st, &mut c, forced, now).await?;
    }
    let accounts = store::accounts::of_connection(conn, c.id)
        .await?
        .into_iter()
        .map(|a| LoadedAccount {
            id: a.id,
            disabled: a.disabled.as_deref().and_then(DateTime::parse),
            deleted: a.deleted.as_deref().and_then(DateTime::parse),
            kind: a.kind,
            name: a.name,
            nb_transactions: a.nb_transactions,
        })
        .collect();
    Ok(LoadedConnection {
        id: c.id,
        id_connector: c.id_connector,
        state: c.state,
        accounts,
    })
}

async fn load_user(
    conn: &mut SqliteConnection,
    st: &AppState,
    spec: &ScenarioUser,
    at: &str,
    now: NaiveDateTime,
) -> Result<LoadedUser> {
    let id_user = sync::lifecycle::create_user(conn, None, now).await?;
    let token = tokens::create(conn, id_user, "permanent", now, None).await?;
    let mut out = Vec::new();
    for (i, c) in spec.connections.iter().enumerate() {
        out.push(
            load_connection(conn, st, id_user, c, &format!("{at}connections[{i}]"), now).await?,
        );
    }
    Ok(LoadedUser {
        id_user,
        auth_token: token,
        connections: out,
    })
}

/// Applies a whole document in one transaction: all of it, or nothing (a document that
/// fails leaves the clock where it was, too).
pub async fn load(st: &AppState, doc: &ScenarioDocument) -> Result<LoadedScenario> {
    let before = st.clock.setting();
    let out = load_at(st, doc).await;
    if out.is_err() && st.clock.setting() != before {
        let mut tx = st.db.begin().await?;
        store::clock::save(&mut tx, &before).await?;
        tx.commit().await?;
        st.clock.set(before);
    }
    out
}

async fn load_at(st: &AppState, doc: &ScenarioDocument) -> Result<LoadedScenario> {
    if let Some(clock) = &doc.clock {
        let mut body = Map::new();
        if let Some(s) = &clock.set {
            body.insert("set".into(), Value::String(s.clone()));
        }
        if let Some(f) = clock.freeze {
            body.insert("freeze".into(), Value::Bool(f));
        }
        if !body.is_empty() {
            crate::sandbox::clock::apply(st, &Fields(body)).await?;
        }
    }
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let mut out = Vec::new();
    for (i, u) in doc.users.iter().enumerate() {
        out.push(load_user(&mut tx, st, u, &format!("users[{i}]."), now).await?);
    }
    tx.commit().await?;
    Ok(LoadedScenario {
        now: DateTime(now),
        users: out,
    })
}

// `POST /sandbox/scenario`.
/// A scenario document: users, connections, accounts, transactions and the clock, all or
/// nothing.
#[utoipa::path(post, path = "/sandbox/scenario", tag = "sandbox",
    request_body(content = crate::model::scenario::ScenarioDocument),
    responses((status = 200, description = "Every id and token made", body = crate::model::scenario::LoadedScenario)),
    security(("bearerAuth" = [])))]
pub async fn post(
    State(st): State<AppState>,
    who: Principal,
    Body(doc): Body<ScenarioDocument>,
) -> Result<Json<LoadedScenario>> {
    who.require_config()?;
    Ok(Json(load(&st, &doc).await?))
}

// `POST /sandbox/users`: one user with a token, and its connections with accounts enabled.
/// One user with a token, and connections with their accounts enabled.
#[utoipa::path(post, path = "/sandbox/users", tag = "sandbox",
    request_body(content = crate::model::scenario::ScenarioUser),
    responses((status = 200, description = "The user", body = crate::model::scenario::LoadedUser)),
    security(("bearerAuth" = [])))]
pub async fn create_user(
    State(st): State<AppState>,
    who: Principal,
    body: Fields,
) -> Result<Json<LoadedUser>> {
    who.require_config()?;
    // A ConnectionRequest pasted as it is: one user with that connection.
    let spec: ScenarioUser = if body.has("id_connector") || body.has("connector_uuid") {
        ScenarioUser {
            connections: vec![typed(Value::Object(body.0))?],
        }
    } else {
        typed(Value::Object(body.0))?
    };
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let out = load_user(&mut tx, &st, &spec, "", now).await?;
    tx.commit().await?;
    Ok(Json(out))
}

/// `--scenario FILE` at start, on a database with no users yet.
pub async fn load_file(
    st: &AppState,
    path: &std::path::Path,
) -> std::result::Result<LoadedScenario, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("scenario {}: {e}", path.display()))?;
    let v: Value =
        serde_json::from_str(&text).map_err(|e| format!("scenario {}: {e}", path.display()))?;
    let doc: ScenarioDocument = typed(v).map_err(|e| e.body().description)?;
    load(st, &doc).await.map_err(|e| e.body().description)
}
