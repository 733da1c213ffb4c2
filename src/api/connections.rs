//! `/users/{user}/connections`: create (with the first sync), list, read, update, sync,
//! delete. Lifecycle rules live in the sync engine; this module validates and answers.

use crate::api::extract::{Fields, Params};
use crate::api::principal::Principal;
use crate::error::{ApiError, Result, ServiceError};
use crate::model::catalogue::{Connector, ConnectorSource};
use crate::model::connection::{self as wire, ConnectionRequest, ConnectionsList};
use crate::model::connector::Connector as ConnectorView;
use crate::model::expand;
use crate::model::states::ConnectionState;
use crate::state::AppState;
use crate::store::connections::Connection;
use crate::store::{self, accounts, connection_views, subscriptions};
use crate::sync::{self, Options};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{Map, Value};
use sqlx::SqliteConnection;

const EXPANDS: [&str; 6] = [
    "accounts",
    "all_accounts",
    "sources",
    "connector",
    "subscriptions",
    "all_subscriptions",
];

pub fn parse_expand(params: &Params) -> Result<Vec<String>> {
    let items = params.expand()?;
    for i in &items {
        if !EXPANDS.contains(&expand::base(i)) {
            return Err(ApiError::invalid(
                "expand",
                format!("unknown expansion '{i}'"),
            ));
        }
    }
    Ok(items)
}

/// The connection as the API shows it, with the requested expansions (checked by
/// [`parse_expand`]).
pub async fn view(
    conn: &mut SqliteConnection,
    st: &AppState,
    c: &Connection,
    expands: &[String],
) -> Result<wire::Connection> {
    let mut v = connection_views::connection(c);
    for item in expands {
        match expand::base(item) {
            base @ ("accounts" | "all_accounts") => {
                let all = base == "all_accounts";
                let list =
                    accounts::list(conn, accounts::Scope::Connection(c.id_user, c.id), all).await?;
                let list = Some(
                    list.iter()
                        .map(|a| a.to_model(st.catalogue.currency(&a.currency)))
                        .collect::<sqlx::Result<Vec<_>>>()?,
                );
                if all {
                    v.all_accounts = list;
                } else {
                    v.accounts = list;
                }
            }
            "sources" => {
                let connector = st.catalogue.connector_by_id(c.id_connector);
                v.sources = Some(connection_views::sources(conn, connector, c.id, true).await?)
            }
            "connector" => {
                let nested = expand::nested(expands, "connector").unwrap_or_default();
                if let Some(k) = st.catalogue.connector_by_id(c.id_connector) {
                    v.connector = Some(ConnectorView::new(k, k.hidden, &nested));
                }
            }
            base @ ("subscriptions" | "all_subscriptions") => {
                let all = base == "all_subscriptions";
                let list = subscriptions::list(conn, c.id_user, Some(c.id), all)
                    .await?
                    .iter()
                    .map(|s| s.to_model())
                    .collect::<sqlx::Result<Vec<_>>>()?;
                if all {
                    v.all_subscriptions = Some(list);
                } else {
                    v.subscriptions = Some(list);
                }
            }
            // Refused by `parse_expand` before any work is done.
            _ => {}
        }
    }
    Ok(v)
}

/// 202 when the PSU has more to do, 200 otherwise.
pub fn status(c: &Connection) -> StatusCode {
    if c.state
        .as_ref()
        .is_some_and(ConnectionState::is_interactive)
    {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    }
}

pub(crate) fn wrongpass(c: &Connection) -> ApiError {
    ApiError::Business {
        status: StatusCode::BAD_REQUEST,
        code: "wrongpass",
        description: "The credentials were refused by the bank.".into(),
        message: c.error_message.clone(),
    }
}

/// Checks field values against the connector's definition for the chosen sources.
pub fn check_fields(
    connector: &Connector,
    sources: &[&ConnectorSource],
    body: &Fields,
    creating: bool,
) -> Result<Map<String, Value>> {
    let mut values = Map::new();
    let credentials_sources: Vec<&str> = sources
        .iter()
        .filter(|s| {
            s.available_auth_mechanisms
                .iter()
                .any(|m| m == "credentials")
        })
        .map(|s| s.name.as_str())
        .collect();
    for f in &connector.fields {
        if !f
            .connector_sources
            .iter()
            .any(|s| credentials_sources.contains(&s.as_str()))
        {
            continue;
        }
        let value = match body.get(&f.name) {
            None => {
                if f.required && creating {
                    return Err(ApiError::missing(&f.name));
                }
                continue;
            }
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(_) => return Err(ApiError::invalid(&f.name, "expected a string")),
        };
        if value.is_empty() && f.required {
            return Err(ApiError::missing(&f.name));
        }
        if let Some(re) = &f.regex {
            let ok = regex::Regex::new(re)
                .map(|r| r.is_match(&value))
                .unwrap_or(true);
            if !ok {
                return Err(ApiError::invalid(
                    &f.name,
                    "the value does not match the expected format",
                ));
            }
        }
        if let Some(list) = &f.values {
            if !value.is_empty() && !list.iter().any(|v| v.value == value) {
                return Err(ApiError::invalid(&f.name, "not one of the allowed values"));
            }
        }
        values.insert(f.name.clone(), Value::String(value));
    }
    Ok(values)
}

fn connector_of<'a>(st: &'a AppState, body: &Fields) -> Result<&'a Connector> {
    let key = match (body.str("connector_uuid")?, body.str("id_connector")?) {
        (Some(u), _) => u,
        (None, Some(id)) => id,
        (None, None) => return Err(ApiError::missing("id_connector")),
    };
    st.catalogue
        .connector(&key)
        .ok_or_else(|| ApiError::invalid("id_connector", "unknown connector"))
}

/// Reads a ConnectionRequest (`id_connector` or `connector_uuid`, `source`, the connector's
/// own fields): the connector, its chosen sources in priority order and the field values.
/// `source` given in the query wins over the body's.
/// Also read by the control plane's headless shortcuts, so a body that works here works there.
pub fn connection_request<'a>(
    st: &'a AppState,
    body: &Fields,
    source: Option<String>,
) -> Result<(&'a Connector, Vec<&'a ConnectorSource>, Map<String, Value>)> {
    let connector = connector_of(st, body)?;
    if connector.restricted {
        return Err(ApiError::invalid(
            "id_connector",
            "this connector is restricted: no new connection can be added",
        ));
    }
    let mut chosen: Vec<&ConnectorSource> = connector
        .sources
        .iter()
        .filter(|s| s.disabled.is_none())
        .collect();
    if let Some(name) = source.or(body.str("source")?) {
        chosen.retain(|s| s.name == name);
        if chosen.is_empty() {
            return Err(ApiError::invalid(
                "source",
                "no such enabled source on this connector",
            ));
        }
    }
    chosen.sort_by_key(|s| s.priority);
    let values = check_fields(connector, &chosen, body, true)?;
    Ok((connector, chosen, values))
}

/// Creates a connection and runs its first sync: 200 when it went through, 202 when the
/// PSU has more to do (SCA, OTP, decoupled validation), 400 `wrongpass` when the bank
/// refuses the credentials (nothing is kept).
#[utoipa::path(post, path = "/2.0/users/{user}/connections", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("source" = Option<String>, Query, description = "Only this source of the connector"),
        ("expand" = Option<String>, Query, description = "`accounts`, `all_accounts`, `sources`, `connector`, `subscriptions`, `all_subscriptions`"),
    ),
    request_body(content = ConnectionRequest, description = "JSON or form"),
    responses(
        (status = 200, description = "Synced", body = wire::Connection),
        (status = 202, description = "Waiting for the PSU: see `state` and `fields`", body = wire::Connection),
        (status = 400, description = "`wrongpass` and other client errors", body = ServiceError),
    ),
    security(("bearerAuth" = [])))]
pub async fn create(
    State(st): State<AppState>,
    who: Principal,
    Path(user): Path<String>,
    params: Params,
    body: Fields,
) -> Result<(StatusCode, Json<wire::Connection>)> {
    let id_user = who.user(&st, &user).await?;
    let expands = parse_expand(&params)?;
    let source = params.text("source").map(str::to_owned);
    let (connector, chosen, values) = connection_request(&st, &body, source)?;
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let c = match sync::create::connection(
        &mut tx, &st, id_user, connector, &chosen, values, false, now,
    )
    .await?
    {
        Ok(c) => c,
        // Refused credentials on creation: nothing is kept (the transaction is dropped).
        Err(refused) => return Err(wrongpass(&refused)),
    };
    let body = view(&mut tx, &st, &c, &expands).await?;
    tx.commit().await?;
    Ok((status(&c), Json(body)))
}

#[utoipa::path(get, path = "/2.0/users/{user}/connections", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("expand" = Option<String>, Query, description = "`accounts`, `all_accounts`, `sources`, `connector`, `subscriptions`, `all_subscriptions`"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 1000; the whole list without it"),
        ("offset" = Option<i64>, Query, description = "Connections to skip"),
    ),
    responses((status = 200, description = "The user's connections", body = ConnectionsList)),
    security(("bearerAuth" = [])))]
pub async fn list(
    State(st): State<AppState>,
    who: Principal,
    Path(user): Path<String>,
    params: Params,
) -> Result<Json<ConnectionsList>> {
    let id_user = who.user(&st, &user).await?;
    let expands = parse_expand(&params)?;
    let (limit, offset) = params.page(crate::api::extract::MAX_LIMIT)?;
    let mut conn = st.db.reader.acquire().await?;
    let (list, total) = store::connections::page(&mut conn, id_user, limit, offset).await?;
    let mut connections = Vec::with_capacity(list.len());
    for c in &list {
        connections.push(view(&mut conn, &st, c, &expands).await?);
    }
    Ok(Json(ConnectionsList { total, connections }))
}

/// The user's connection, or a 404 (also for another user's).
pub async fn owned(conn: &mut SqliteConnection, id_user: i64, id: &str) -> Result<Connection> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("Connection"))?;
    store::connections::get(conn, id_user, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Connection"))
}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{id}", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path),
        ("expand" = Option<String>, Query),
    ),
    responses((status = 200, description = "The connection", body = wire::Connection)),
    security(("bearerAuth" = [])))]
pub async fn get(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
    params: Params,
) -> Result<Json<wire::Connection>> {
    let id_user = who.user(&st, &user).await?;
    let expands = parse_expand(&params)?;
    let mut conn = st.db.reader.acquire().await?;
    let c = owned(&mut conn, id_user, &id).await?;
    Ok(Json(view(&mut conn, &st, &c, &expands).await?))
}

/// `PUT /connections/{id}?psu_requested=`: a sync now; `psu_requested=false` for a
/// background refresh without the PSU.
#[utoipa::path(put, path = "/2.0/users/{user}/connections/{id}", tag = "connections",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path),
        ("psu_requested" = Option<bool>, Query, description = "Default true"),
        ("expand" = Option<String>, Query),
    ),
    responses(
        (status = 200, description = "Synced", body = wire::Connection),
        (status = 202, description = "Waiting for the PSU", body = wire::Connection),
    ),
    security(("bearerAuth" = [])))]
pub async fn sync_now(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
    params: Params,
) -> Result<(StatusCode, Json<wire::Connection>)> {
    let id_user = who.user(&st, &user).await?;
    let expands = parse_expand(&params)?;
    let psu_requested = params.bool("psu_requested")?.unwrap_or(true);
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let mut c = owned(&mut tx, id_user, &id).await?;
    sync::sync(&mut tx, &st, &mut c, now, Options { psu_requested }).await?;
    let out = view(&mut tx, &st, &c, &expands).await?;
    tx.commit().await?;
    Ok((status(&c), Json(out)))
}

/// Hard delete: sources, accounts, transactions and logs go with it (foreign keys).
#[utoipa::path(delete, path = "/2.0/users/{user}/connections/{id}", operation_id = "deleteUserConnection", tag = "connections",
    params(("user" = String, Path, description = "`me` or the user's id"), ("id" = i64, Path)),
    responses((status = 204, description = "Deleted")),
    security(("bearerAuth" = [])))]
pub async fn delete(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
) -> Result<StatusCode> {
    let id_user = who.user(&st, &user).await?;
    let mut tx = st.db.begin().await?;
    let c = owned(&mut tx, id_user, &id).await?;
    sync::lifecycle::delete_connection(&mut tx, &st, &c, st.clock.now()).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
