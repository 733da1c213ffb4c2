//! `/sandbox/connections/{id}/bank/documents`: the provider publishes documents of its own
//! on a subscription; the next sync of the enabled subscription (or the PSU's consent) stores
//! them with their PDF file, like the generated ones.

use crate::api::extract::{only_known, Fields};
use crate::api::principal::Principal;
use crate::bank::changes::InjectedDocument;
use crate::bank::documents;
use crate::error::{ApiError, Result};
use crate::model::calendar;
use crate::model::document::{DocumentsInjected, BILL, DOCUMENT_TYPES};
use crate::sandbox::bank::{connection, save};
use crate::state::AppState;
use crate::store;
use crate::sync;
use axum::extract::{Path, State};
use axum::Json;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use std::str::FromStr;

fn date_at(t: &Map<String, Value>, key: &str, at: &str) -> Result<Option<NaiveDate>> {
    match t.get(key).filter(|v| !v.is_null()) {
        None => Ok(None),
        Some(v) => v
            .as_str()
            .and_then(calendar::parse)
            .filter(|(a, b)| a == b)
            .map(|(a, _)| Some(a))
            .ok_or_else(|| ApiError::invalid(&format!("{at}{key}"), "expected YYYY-MM-DD")),
    }
}

fn text_at(t: &Map<String, Value>, key: &str, at: &str) -> Result<Option<String>> {
    match t.get(key).filter(|v| !v.is_null()) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::invalid(
            &format!("{at}{key}"),
            "expected a string",
        )),
    }
}

fn amount(t: &Map<String, Value>, key: &str, at: &str) -> Result<Option<Decimal>> {
    match t.get(key).filter(|v| !v.is_null()) {
        None => Ok(None),
        Some(v @ (Value::Number(_) | Value::String(_))) => {
            Decimal::from_str(v.to_string().trim_matches('"'))
                .map(Some)
                .map_err(|_| ApiError::invalid(&format!("{at}{key}"), "expected a number"))
        }
        Some(_) => Err(ApiError::invalid(
            &format!("{at}{key}"),
            "expected a number",
        )),
    }
}

fn parse(v: &Value, at: &str) -> Result<InjectedDocument> {
    let Value::Object(t) = v else {
        return Err(ApiError::invalid(
            at.trim_end_matches('.'),
            "expected an object",
        ));
    };
    only_known(
        t,
        &[
            "name",
            "date",
            "duedate",
            "id_type",
            "total_amount",
            "untaxed_amount",
            "vat",
            "income",
            "number",
        ],
        at,
    )?;
    let id_type = match t.get("id_type").filter(|v| !v.is_null()) {
        None => BILL,
        Some(v) => v
            .as_i64()
            .filter(|id| DOCUMENT_TYPES.iter().any(|(t, _, _)| t == id))
            .ok_or_else(|| ApiError::invalid(&format!("{at}id_type"), "no such document type"))?,
    };
    let income = match t.get("income").filter(|v| !v.is_null()) {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(ApiError::invalid(
                &format!("{at}income"),
                "expected a boolean",
            ))
        }
    };
    Ok(InjectedDocument {
        key: String::new(),
        subscription: String::new(),
        id_type,
        name: text_at(t, "name", at)?.ok_or_else(|| ApiError::missing(&format!("{at}name")))?,
        date: date_at(t, "date", at)?.ok_or_else(|| ApiError::missing(&format!("{at}date")))?,
        duedate: date_at(t, "duedate", at)?,
        total_amount: amount(t, "total_amount", at)?,
        untaxed_amount: amount(t, "untaxed_amount", at)?,
        vat: amount(t, "vat", at)?,
        income,
        number: text_at(t, "number", at)?,
        at: chrono::NaiveDateTime::default(),
    })
}

// Injects documents: `{id_subscription | subscription, documents: [{name, date, id_type?,
// duedate?, total_amount?, untaxed_amount?, vat?, income?, number?}]}`.
/// Documents the provider will show at the next sync of the subscription.
#[utoipa::path(post, path = "/sandbox/connections/{id}/bank/documents", tag = "sandbox",
    params(("id" = i64, Path)),
    request_body(content = Object, description = "`{id_subscription | subscription, documents: [...]}`"),
    responses((status = 200, description = "Injected", body = DocumentsInjected)),
    security(("bearerAuth" = [])))]
pub async fn inject(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    body: Fields,
) -> Result<Json<DocumentsInjected>> {
    who.require_config()?;
    body.only(&["id_subscription", "subscription", "documents"])?;
    let list = match body.get("documents") {
        Some(Value::Array(a)) if !a.is_empty() && a.len() <= 10_000 => a
            .iter()
            .enumerate()
            .map(|(i, d)| parse(d, &format!("documents[{i}].")))
            .collect::<Result<Vec<_>>>()?,
        Some(_) => {
            return Err(ApiError::invalid(
                "documents",
                "expected a non-empty array of at most 10000 items",
            ))
        }
        None => return Err(ApiError::missing("documents")),
    };
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let mut c = connection(&mut tx, &id).await?;
    let rows = store::subscriptions::of_connection(&mut tx, c.id).await?;
    let key = match (body.int("id_subscription")?, body.str("subscription")?) {
        (Some(s), _) => rows.iter().find(|r| r.id == s).map(|r| r.bank_key.clone()),
        (None, Some(k)) => Some(k),
        (None, None) => return Err(ApiError::missing("id_subscription")),
    }
    .ok_or_else(|| ApiError::not_found("Subscription"))?;
    let connector = st
        .catalogue
        .connector_by_id(c.id_connector)
        .ok_or_else(|| ApiError::not_found("Subscription"))?;
    let bank = sync::bank_accounts(&st, connector, &c);
    if !documents::subscriptions(st.config.seed, connector, &c.login, &bank)
        .iter()
        .any(|s| s.key == key)
    {
        return Err(ApiError::not_found("Subscription"));
    }
    let n = list.len();
    let mut changes = c.bank.0.clone();
    for mut d in list {
        d.key = format!("inj-doc-{}", changes.documents.len());
        d.subscription = key.clone();
        d.at = now;
        changes.documents.push(d);
    }
    save(&mut tx, &mut c, &changes).await?;
    tx.commit().await?;
    Ok(Json(DocumentsInjected {
        injected: n as i64,
        subscription: key,
    }))
}
