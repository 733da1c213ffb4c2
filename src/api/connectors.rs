//! `/connectors`, its deprecated aliases `/banks` and `/providers`, their sources and fields,
//! and the config-token settings (`PUT /connectors/{uuid}`, `PATCH /connectors`).

use crate::api::extract::{Fields, Params};
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::catalogue;
use crate::model::connector::{
    BanksList, Connector, ConnectorFieldsList, ConnectorOrList, ConnectorSettings, ConnectorSource,
    ConnectorSourcesList, ConnectorsList, ConnectorsPatch, ConnectorsUpdated, ProvidersList,
    EXPANDS,
};
use crate::model::expand;
use crate::state::AppState;
use crate::store::connector_settings;
use axum::extract::{Path, State};
use axum::Json;
use std::collections::HashMap;

/// The capability `/banks` filters on.
const BANK: &str = "bank";
/// The capability `/providers` filters on.
const DOCUMENT: &str = "document";

fn expands(params: &Params) -> Result<Vec<String>> {
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

async fn hidden_overrides(st: &AppState) -> Result<HashMap<i64, bool>> {
    let mut conn = st.db.reader.acquire().await?;
    Ok(connector_settings::hidden(&mut conn).await?)
}

fn is_hidden(c: &catalogue::Connector, overrides: &HashMap<i64, bool>) -> bool {
    overrides.get(&c.id).copied().unwrap_or(c.hidden)
}

fn has_capability(c: &catalogue::Connector, capability: &str) -> bool {
    c.capabilities.iter().any(|x| x == capability)
}

/// The visible connectors (of `capability`, when given), filtered by `country_codes`.
async fn visible(
    st: &AppState,
    capability: Option<&str>,
    params: &Params,
) -> Result<Vec<Connector>> {
    let expands = expands(params)?;
    let countries: Option<Vec<String>> = params.text("country_codes").map(|s| {
        s.split(',')
            .map(|c| c.trim().to_ascii_lowercase())
            .collect()
    });
    let overrides = hidden_overrides(st).await?;
    Ok(st
        .catalogue
        .connectors
        .iter()
        .filter(|c| !is_hidden(c, &overrides))
        .filter(|c| capability.is_none_or(|cap| has_capability(c, cap)))
        .filter(|c| {
            countries.as_ref().is_none_or(|cc| {
                c.countries
                    .iter()
                    .any(|k| cc.contains(&k.id.to_ascii_lowercase()))
            })
        })
        .map(|c| Connector::new(c, false, &expands))
        .collect())
}

/// Visible connectors.
#[utoipa::path(get, path = "/2.0/connectors", tag = "catalogue",
    params(
        ("country_codes" = Option<String>, Query, description = "A comma list of ISO 3166 codes"),
        ("expand" = Option<String>, Query, description = "`sources`, `fields`, `countries`, `urls`"),
    ),
    responses((status = 200, description = "The connectors", body = ConnectorsList)))]
pub async fn list(State(st): State<AppState>, params: Params) -> Result<Json<ConnectorsList>> {
    let connectors = visible(&st, None, &params).await?;
    let total = connectors.len();
    Ok(Json(ConnectorsList { connectors, total }))
}

/// Deprecated: connectors with the `bank` capability.
#[utoipa::path(get, path = "/2.0/banks", tag = "catalogue",
    params(
        ("country_codes" = Option<String>, Query),
        ("expand" = Option<String>, Query),
    ),
    responses((status = 200, description = "The banks", body = BanksList)))]
pub async fn list_banks(State(st): State<AppState>, params: Params) -> Result<Json<BanksList>> {
    let banks = visible(&st, Some(BANK), &params).await?;
    let total = banks.len();
    Ok(Json(BanksList { banks, total }))
}

/// Deprecated: connectors with the `document` capability.
#[utoipa::path(get, path = "/2.0/providers", tag = "catalogue",
    params(
        ("country_codes" = Option<String>, Query),
        ("expand" = Option<String>, Query),
    ),
    responses((status = 200, description = "The providers", body = ProvidersList)))]
pub async fn list_providers(
    State(st): State<AppState>,
    params: Params,
) -> Result<Json<ProvidersList>> {
    let providers = visible(&st, Some(DOCUMENT), &params).await?;
    let total = providers.len();
    Ok(Json(ProvidersList { providers, total }))
}

fn find<'a>(st: &'a AppState, key: &str) -> Result<&'a catalogue::Connector> {
    st.catalogue
        .connector(key)
        .ok_or_else(|| ApiError::not_found("Connector"))
}

/// One connector, hidden or not; `/banks/{id}` and `/providers/{id}` only know connectors
/// of their capability.
async fn one(
    st: &AppState,
    capability: Option<&str>,
    key: &str,
    params: &Params,
) -> Result<Json<Connector>> {
    let expands = expands(params)?;
    let c = find(st, key)?;
    if capability.is_some_and(|cap| !has_capability(c, cap)) {
        return Err(ApiError::not_found("Connector"));
    }
    let overrides = hidden_overrides(st).await?;
    Ok(Json(Connector::new(c, is_hidden(c, &overrides), &expands)))
}

#[utoipa::path(get, path = "/2.0/connectors/{key}", tag = "catalogue",
    params(
        ("key" = String, Path, description = "The connector's uuid (or its deprecated integer id)"),
        ("expand" = Option<String>, Query, description = "`sources`, `fields`, `countries`, `urls`"),
    ),
    responses((status = 200, description = "The connector", body = Connector)))]
pub async fn get(
    State(st): State<AppState>,
    Path(key): Path<String>,
    params: Params,
) -> Result<Json<Connector>> {
    one(&st, None, &key, &params).await
}

/// Deprecated alias of `/connectors/{key}`.
#[utoipa::path(get, path = "/2.0/banks/{key}", tag = "catalogue",
    params(("key" = String, Path), ("expand" = Option<String>, Query)),
    responses((status = 200, description = "The connector", body = Connector)))]
pub async fn get_bank(
    State(st): State<AppState>,
    Path(key): Path<String>,
    params: Params,
) -> Result<Json<Connector>> {
    one(&st, Some(BANK), &key, &params).await
}

/// Deprecated alias of `/connectors/{key}`.
#[utoipa::path(get, path = "/2.0/providers/{key}", tag = "catalogue",
    params(("key" = String, Path), ("expand" = Option<String>, Query)),
    responses((status = 200, description = "The connector", body = Connector)))]
pub async fn get_provider(
    State(st): State<AppState>,
    Path(key): Path<String>,
    params: Params,
) -> Result<Json<Connector>> {
    one(&st, Some(DOCUMENT), &key, &params).await
}

#[utoipa::path(get, path = "/2.0/connectors/{key}/sources", tag = "catalogue",
    params(("key" = String, Path, description = "The connector's uuid or id")),
    responses((status = 200, description = "The connector's sources", body = ConnectorSourcesList)))]
pub async fn sources(
    State(st): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<ConnectorSourcesList>> {
    let sources = ConnectorSource::all_of(find(&st, &key)?);
    let total = sources.len();
    Ok(Json(ConnectorSourcesList { sources, total }))
}

#[utoipa::path(get, path = "/2.0/connectors/{key}/sources/{id}", tag = "catalogue",
    params(("key" = String, Path, description = "The connector's uuid or id"), ("id" = String, Path, description = "The source's id or name")),
    responses((status = 200, description = "The source", body = ConnectorSource)))]
pub async fn source(
    State(st): State<AppState>,
    Path((key, id)): Path<(String, String)>,
) -> Result<Json<ConnectorSource>> {
    let c = find(&st, &key)?;
    let s = c
        .sources
        .iter()
        .find(|s| s.id.to_string() == id || s.name == id)
        .ok_or_else(|| ApiError::not_found("Source"))?;
    Ok(Json(ConnectorSource::new(c, s)))
}

/// The credentials form.
#[utoipa::path(get, path = "/2.0/connectors/{key}/fields", tag = "catalogue",
    params(("key" = String, Path, description = "The connector's uuid or id")),
    responses((status = 200, description = "The connector's fields", body = ConnectorFieldsList)))]
pub async fn fields(
    State(st): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<ConnectorFieldsList>> {
    let fields = find(&st, &key)?.fields.clone();
    let total = fields.len();
    Ok(Json(ConnectorFieldsList { fields, total }))
}

/// Hides or shows a connector, or several (a comma list of ids), with the config token.
#[utoipa::path(put, path = "/2.0/connectors/{key}", tag = "catalogue",
    params(("key" = String, Path, description = "A uuid, an id, or a comma list")),
    request_body(content = ConnectorSettings),
    responses((status = 200, description = "The connector (a list for several)", body = ConnectorOrList)),
    security(("bearerAuth" = [])))]
pub async fn update(
    State(st): State<AppState>,
    who: Principal,
    Path(key): Path<String>,
    body: Fields,
) -> Result<Json<ConnectorOrList>> {
    who.require_config()?;
    let hidden = body.bool("hidden")?;
    let targets: Vec<&catalogue::Connector> = key
        .split(',')
        .map(|k| find(&st, k.trim()))
        .collect::<Result<_>>()?;
    let mut tx = st.db.begin().await?;
    if let Some(h) = hidden {
        for c in &targets {
            connector_settings::set_hidden(&mut tx, c.id, h).await?;
        }
    }
    let overrides = connector_settings::hidden(&mut tx).await?;
    tx.commit().await?;
    let mut connectors: Vec<Connector> = targets
        .iter()
        .map(|c| Connector::new(c, is_hidden(c, &overrides), &[]))
        .collect();
    Ok(Json(match connectors.len() {
        1 => ConnectorOrList::One(Box::new(connectors.remove(0))),
        _ => ConnectorOrList::Several(ConnectorsUpdated { connectors }),
    }))
}

/// Hides or shows connectors (config token): `{"<uuid>": {"hidden": bool}, ...}`.
#[utoipa::path(patch, path = "/2.0/connectors", tag = "catalogue",
    request_body(content = ConnectorsPatch),
    responses((status = 200, description = "The connectors changed", body = ConnectorsList)),
    security(("bearerAuth" = [])))]
pub async fn patch(
    State(st): State<AppState>,
    who: Principal,
    body: Fields,
) -> Result<Json<ConnectorsList>> {
    who.require_config()?;
    let mut changes = Vec::new();
    for (key, v) in &body.0 {
        let c = find(&st, key)?;
        let settings = v.as_object().ok_or_else(|| {
            ApiError::invalid(
                key,
                "expected an object of settings such as {\"hidden\": true}",
            )
        })?;
        let hidden = settings
            .get("hidden")
            .filter(|h| !h.is_null())
            .map(|h| crate::api::extract::parse_bool("hidden", h, false))
            .transpose()?;
        changes.push((c, hidden));
    }
    let mut tx = st.db.begin().await?;
    for (c, hidden) in &changes {
        if let Some(h) = hidden {
            connector_settings::set_hidden(&mut tx, c.id, *h).await?;
        }
    }
    let overrides = connector_settings::hidden(&mut tx).await?;
    tx.commit().await?;
    let connectors: Vec<Connector> = changes
        .iter()
        .map(|(c, _)| Connector::new(c, is_hidden(c, &overrides), &[]))
        .collect();
    let total = connectors.len();
    Ok(Json(ConnectorsList { connectors, total }))
}
