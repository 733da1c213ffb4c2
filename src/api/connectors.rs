//! `/connectors`, its deprecated aliases `/banks` and `/providers`, their sources and fields,
//! and the config-token settings (`PUT /connectors/{uuid}`, `PATCH /connectors`).

use crate::api::extract::{Fields, Params};
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::catalogue::{Connector, ConnectorSource};
use crate::model::expand;
use crate::state::AppState;
use crate::store::connector_settings;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Which list a route serves: the key it answers under and the capability it filters on.
#[derive(Clone, Copy)]
pub struct Flavor {
    key: &'static str,
    capability: Option<&'static str>,
}

pub const CONNECTORS: Flavor = Flavor {
    key: "connectors",
    capability: None,
};
pub const BANKS: Flavor = Flavor {
    key: "banks",
    capability: Some("bank"),
};
pub const PROVIDERS: Flavor = Flavor {
    key: "providers",
    capability: Some("document"),
};

/// The connector-level auth mechanism is that of its first source by priority.
fn main_source(c: &Connector) -> Option<&ConnectorSource> {
    c.sources.iter().min_by_key(|s| s.priority)
}

pub fn source_json(c: &Connector, s: &ConnectorSource) -> Value {
    json!({
        "id": s.id, "id_connector": c.id, "name": s.name,
        "auth_mechanism": s.auth_mechanism,
        "available_auth_mechanisms": s.available_auth_mechanisms,
        "disabled": s.disabled, "priority": s.priority,
        "account_types": s.account_types, "capabilities": c.capabilities,
        "stability": c.stability,
    })
}

pub fn connector_json(c: &Connector, hidden: bool, expands: &[String]) -> Value {
    let mut mechanisms: Vec<&str> = Vec::new();
    for s in &c.sources {
        for m in &s.available_auth_mechanisms {
            if !mechanisms.contains(&m.as_str()) {
                mechanisms.push(m);
            }
        }
    }
    let mut v = json!({
        "id": c.id, "uuid": c.uuid, "name": c.name, "hidden": hidden,
        "charged": c.charged, "code": c.code, "beta": c.beta, "color": c.color,
        "slug": c.slug, "sync_periodicity": null, "months_to_fetch": c.months_to_fetch,
        "auth_mechanism": main_source(c).map(|s| s.auth_mechanism.as_str()),
        "available_auth_mechanisms": mechanisms,
        "transfer_mechanism": null, "siret": c.siret, "restricted": c.restricted,
        "capabilities": c.capabilities, "account_types": c.account_types,
        "account_usages": c.account_usages, "products": c.products,
        "stability": c.stability, "categories": [],
    });
    let obj = v.as_object_mut().expect("object");
    for item in expands {
        match expand::base(item) {
            "sources" => {
                let mut sources: Vec<&ConnectorSource> = c.sources.iter().collect();
                sources.sort_by_key(|s| s.priority);
                obj.insert(
                    "sources".into(),
                    sources.iter().map(|s| source_json(c, s)).collect(),
                );
            }
            "fields" => {
                obj.insert(
                    "fields".into(),
                    serde_json::to_value(&c.fields).unwrap_or_default(),
                );
            }
            "countries" => {
                obj.insert(
                    "countries".into(),
                    serde_json::to_value(&c.countries).unwrap_or_default(),
                );
            }
            "urls" => {
                obj.insert(
                    "urls".into(),
                    serde_json::to_value(&c.urls).unwrap_or_default(),
                );
            }
            _ => {}
        }
    }
    v
}

const EXPANDS: [&str; 4] = ["sources", "fields", "countries", "urls"];

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

fn is_hidden(c: &Connector, overrides: &HashMap<i64, bool>) -> bool {
    overrides.get(&c.id).copied().unwrap_or(c.hidden)
}

pub async fn list(
    State(st): State<AppState>,
    flavor: Flavor,
    params: Params,
) -> Result<Json<Value>> {
    let expands = expands(&params)?;
    let countries: Option<Vec<String>> = params.text("country_codes").map(|s| {
        s.split(',')
            .map(|c| c.trim().to_ascii_lowercase())
            .collect()
    });
    let overrides = hidden_overrides(&st).await?;
    let list: Vec<Value> = st
        .catalogue
        .connectors
        .iter()
        .filter(|c| !is_hidden(c, &overrides))
        .filter(|c| {
            flavor
                .capability
                .is_none_or(|cap| c.capabilities.iter().any(|x| x == cap))
        })
        .filter(|c| {
            countries.as_ref().is_none_or(|cc| {
                c.countries
                    .iter()
                    .any(|k| cc.contains(&k.id.to_ascii_lowercase()))
            })
        })
        .map(|c| connector_json(c, false, &expands))
        .collect();
    let total = list.len();
    Ok(Json(json!({flavor.key: list, "total": total})))
}

fn find<'a>(st: &'a AppState, key: &str) -> Result<&'a Connector> {
    st.catalogue
        .connector(key)
        .ok_or_else(|| ApiError::not_found("Connector"))
}

pub async fn get(
    State(st): State<AppState>,
    Path(key): Path<String>,
    params: Params,
) -> Result<Json<Value>> {
    get_flavored(st, CONNECTORS, key, params).await
}

/// `/banks/{id}` and `/providers/{id}` only know connectors of their capability.
pub async fn get_flavored(
    st: AppState,
    flavor: Flavor,
    key: String,
    params: Params,
) -> Result<Json<Value>> {
    let expands = expands(&params)?;
    let c = find(&st, &key)?;
    if flavor
        .capability
        .is_some_and(|cap| !c.capabilities.iter().any(|x| x == cap))
    {
        return Err(ApiError::not_found("Connector"));
    }
    let overrides = hidden_overrides(&st).await?;
    Ok(Json(connector_json(c, is_hidden(c, &overrides), &expands)))
}

pub async fn sources(State(st): State<AppState>, Path(key): Path<String>) -> Result<Json<Value>> {
    let c = find(&st, &key)?;
    let mut sources: Vec<&ConnectorSource> = c.sources.iter().collect();
    sources.sort_by_key(|s| s.priority);
    let list: Vec<Value> = sources.iter().map(|s| source_json(c, s)).collect();
    Ok(Json(json!({"sources": list, "total": list.len()})))
}

pub async fn source(
    State(st): State<AppState>,
    Path((key, id)): Path<(String, String)>,
) -> Result<Json<Value>> {
    let c = find(&st, &key)?;
    let s = c
        .sources
        .iter()
        .find(|s| s.id.to_string() == id || s.name == id)
        .ok_or_else(|| ApiError::not_found("Source"))?;
    Ok(Json(source_json(c, s)))
}

pub async fn fields(State(st): State<AppState>, Path(key): Path<String>) -> Result<Json<Value>> {
    let c = find(&st, &key)?;
    Ok(Json(json!({"fields": c.fields, "total": c.fields.len()})))
}

/// `PUT /connectors/{uuid}` (config token): `{hidden}`. Accepts a comma list of ids too.
pub async fn update(
    State(st): State<AppState>,
    who: Principal,
    Path(key): Path<String>,
    body: Fields,
) -> Result<Json<Value>> {
    who.require_config()?;
    let hidden = body.bool("hidden")?;
    let targets: Vec<&Connector> = key
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
    let out: Vec<Value> = targets
        .iter()
        .map(|c| connector_json(c, is_hidden(c, &overrides), &[]))
        .collect();
    Ok(Json(if out.len() == 1 {
        out[0].clone()
    } else {
        json!({"connectors": out})
    }))
}

/// `PATCH /connectors` (config token): `{"<uuid>": {"hidden": bool}, ...}`.
pub async fn patch(
    State(st): State<AppState>,
    who: Principal,
    body: Fields,
) -> Result<Json<Value>> {
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
    let out: Vec<Value> = changes
        .iter()
        .map(|(c, _)| connector_json(c, is_hidden(c, &overrides), &[]))
        .collect();
    Ok(Json(json!({"connectors": out, "total": out.len()})))
}
