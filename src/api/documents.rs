//! `/users/{user}/documents` (and under a subscription or a connection), `/documents/{id}`,
//! the document files and `/documenttypes`. The Bill product's routes are grouped in
//! [`routes`], merged into the API's table.

use crate::api::connections::owned;
use crate::api::extract::{Fields, Params, MAX_LIMIT};
use crate::api::principal::Principal;
use crate::api::subscriptions;
use crate::error::{ApiError, Result};
use crate::model::document::{
    document_types, Document, DocumentTypesList, DocumentUpdateRequest, DocumentsList,
};
use crate::model::format::{self, Date};
use crate::model::money::Money;
use crate::state::AppState;
use crate::store::documents::{self as docs, Edit, Filter};
use crate::store::subscriptions as subs;
use crate::sync::subscription_events::document_models;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rust_decimal::Decimal;
use std::str::FromStr;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The Bill product's routes (subscriptions, documents, document types).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(subscriptions::list))
        .routes(routes!(subscriptions::get, subscriptions::update))
        .routes(routes!(subscriptions::list_in_connection))
        .routes(routes!(
            subscriptions::get_in_connection,
            subscriptions::update_in_connection
        ))
        .routes(routes!(list))
        .routes(routes!(list_in_subscription))
        .routes(routes!(list_in_connection))
        .routes(routes!(get, update))
        .routes(routes!(get_for_user))
        .routes(routes!(file))
        .routes(routes!(types))
}

fn decimal(params: &Params, key: &str) -> Result<Option<Decimal>> {
    params
        .text(key)
        .map(|v| {
            Decimal::from_str(v.trim()).map_err(|_| ApiError::invalid(key, "expected a number"))
        })
        .transpose()
}

fn date(params: &Params, key: &str) -> Result<Option<String>> {
    params
        .text(key)
        .map(|v| {
            Date::parse(v)
                .map(|d| format::date(d.0))
                .ok_or_else(|| ApiError::invalid(key, "expected a date (YYYY-MM-DD)"))
        })
        .transpose()
}

async fn list_in(
    st: AppState,
    who: Principal,
    user: String,
    connection: Option<String>,
    subscription: Option<String>,
    params: Params,
    headers: HeaderMap,
) -> Result<Json<DocumentsList>> {
    let id_user = who.user(&st, &user).await?;
    let (limit, offset) = params.page(MAX_LIMIT)?;
    let mut f = Filter {
        id_user,
        id_type: params.int("id_type")?,
        min_amount: decimal(&params, "min_amount")?,
        max_amount: decimal(&params, "max_amount")?,
        min_date: date(&params, "min_date")?,
        max_date: date(&params, "max_date")?,
        ..Filter::default()
    };
    let mut conn = st.db.reader.acquire().await?;
    if let Some(c) = connection {
        f.id_connection = Some(owned(&mut conn, id_user, &c).await?.id);
    }
    if let Some(s) = subscription {
        let id: i64 = s.parse().map_err(|_| ApiError::not_found("Subscription"))?;
        subs::get(&mut conn, id_user, id)
            .await?
            .ok_or_else(|| ApiError::not_found("Subscription"))?;
        f.id_subscription = Some(id);
    }
    let (rows, total, first, last) = docs::list(&mut conn, &f, limit, offset).await?;
    let documents = models(&st, &headers, &rows)?;
    let day = |s: &Option<String>| s.as_deref().and_then(Date::parse);
    Ok(Json(DocumentsList {
        result_min_date: rows.first().and_then(|r| Date::parse(&r.date)),
        result_max_date: rows.last().and_then(|r| Date::parse(&r.date)),
        first_date: day(&first),
        last_date: day(&last),
        documents,
        total,
    }))
}

/// The documents as this request's client sees them (absolute file URLs).
fn models(st: &AppState, headers: &HeaderMap, rows: &[docs::DocumentRow]) -> Result<Vec<Document>> {
    document_models(st, &st.base_url(headers), rows)
}

/// The user's documents by date, filtered by type, amount (`total_amount`, inclusive) and
/// date (inclusive).
#[utoipa::path(get, path = "/2.0/users/{user}/documents", tag = "documents",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 1000; the whole list without it"),
        ("offset" = Option<i64>, Query, description = "Documents to skip"),
        ("id_type" = Option<i64>, Query, description = "Only documents of this type"),
        ("min_amount" = Option<f64>, Query, description = "Smallest `total_amount`, inclusive"),
        ("max_amount" = Option<f64>, Query, description = "Largest `total_amount`, inclusive"),
        ("min_date" = Option<String>, Query, description = "Earliest date, inclusive"),
        ("max_date" = Option<String>, Query, description = "Latest date, inclusive"),
    ),
    responses((status = 200, description = "The documents", body = DocumentsList)),
    security(("bearerAuth" = [])))]
pub async fn list(
    State(st): State<AppState>,
    who: Principal,
    Path(user): Path<String>,
    params: Params,
    headers: HeaderMap,
) -> Result<Json<DocumentsList>> {
    list_in(st, who, user, None, None, params, headers).await
}

#[utoipa::path(get, path = "/2.0/users/{user}/subscriptions/{s}/documents", tag = "documents",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("s" = i64, Path, description = "The subscription"),
        ("limit" = Option<i64>, Query), ("offset" = Option<i64>, Query),
        ("id_type" = Option<i64>, Query), ("min_amount" = Option<f64>, Query),
        ("max_amount" = Option<f64>, Query), ("min_date" = Option<String>, Query),
        ("max_date" = Option<String>, Query),
    ),
    responses((status = 200, description = "The subscription's documents", body = DocumentsList)),
    security(("bearerAuth" = [])))]
pub async fn list_in_subscription(
    State(st): State<AppState>,
    who: Principal,
    Path((user, s)): Path<(String, String)>,
    params: Params,
    headers: HeaderMap,
) -> Result<Json<DocumentsList>> {
    list_in(st, who, user, None, Some(s), params, headers).await
}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{c}/documents", tag = "documents",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("c" = i64, Path, description = "The connection"),
        ("limit" = Option<i64>, Query), ("offset" = Option<i64>, Query),
        ("id_type" = Option<i64>, Query), ("min_amount" = Option<f64>, Query),
        ("max_amount" = Option<f64>, Query), ("min_date" = Option<String>, Query),
        ("max_date" = Option<String>, Query),
    ),
    responses((status = 200, description = "The connection's documents", body = DocumentsList)),
    security(("bearerAuth" = [])))]
pub async fn list_in_connection(
    State(st): State<AppState>,
    who: Principal,
    Path((user, c)): Path<(String, String)>,
    params: Params,
    headers: HeaderMap,
) -> Result<Json<DocumentsList>> {
    list_in(st, who, user, Some(c), None, params, headers).await
}

/// The token's user (the unscoped `/documents/{id}` reads the caller's own documents).
fn own_user(who: &Principal) -> Result<i64> {
    match who {
        Principal::User { id_user, .. } => Ok(*id_user),
        _ => Err(ApiError::Unauthorized),
    }
}

async fn load(st: &AppState, id_user: i64, id: &str) -> Result<docs::DocumentRow> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("Document"))?;
    let mut conn = st.db.reader.acquire().await?;
    docs::get(&mut conn, id_user, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Document"))
}

fn one(st: &AppState, headers: &HeaderMap, row: &docs::DocumentRow) -> Result<Json<Document>> {
    let mut list = models(st, headers, std::slice::from_ref(row))?;
    Ok(Json(list.remove(0)))
}

/// One of the caller's documents.
#[utoipa::path(get, path = "/2.0/documents/{id}", tag = "documents",
    params(("id" = i64, Path, description = "The document")),
    responses((status = 200, description = "The document", body = Document)),
    security(("bearerAuth" = [])))]
pub async fn get(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Document>> {
    let row = load(&st, own_user(&who)?, &id).await?;
    one(&st, &headers, &row)
}

/// One of the user's documents, by the user-scoped path.
#[utoipa::path(get, path = "/2.0/users/{user}/documents/{id}", tag = "documents",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path, description = "The document"),
    ),
    responses((status = 200, description = "The document", body = Document)),
    security(("bearerAuth" = [])))]
pub async fn get_for_user(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<Document>> {
    let id_user = who.user(&st, &user).await?;
    let row = load(&st, id_user, &id).await?;
    one(&st, &headers, &row)
}

fn money(body: &Fields, key: &str) -> Result<Option<Money>> {
    match body.get(key) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(v @ (serde_json::Value::Number(_) | serde_json::Value::String(_))) => {
            Decimal::from_str(v.to_string().trim_matches('"'))
                .map(|d| Some(Money(d)))
                .map_err(|_| ApiError::invalid(key, "expected a number"))
        }
        Some(_) => Err(ApiError::invalid(key, "expected a number")),
    }
}

fn body_date(body: &Fields, key: &str) -> Result<Option<Date>> {
    body.str(key)?
        .map(|s| {
            Date::parse(&s).ok_or_else(|| ApiError::invalid(key, "expected a date (YYYY-MM-DD)"))
        })
        .transpose()
}

/// The update body, with the Powens errors for bad values and unknown fields.
fn changes(body: &Fields) -> Result<DocumentUpdateRequest> {
    body.only(&[
        "id_type",
        "date",
        "duedate",
        "total_amount",
        "untaxed_amount",
        "vat",
        "income",
        "name",
    ])?;
    let id_type = body.int("id_type")?;
    if let Some(t) = id_type {
        if !crate::model::document::DOCUMENT_TYPES
            .iter()
            .any(|(id, _, _)| *id == t)
        {
            return Err(ApiError::invalid("id_type", "no such document type"));
        }
    }
    Ok(DocumentUpdateRequest {
        id_type,
        date: body_date(body, "date")?,
        duedate: body_date(body, "duedate")?,
        total_amount: money(body, "total_amount")?,
        untaxed_amount: money(body, "untaxed_amount")?,
        vat: money(body, "vat")?,
        income: body.bool("income")?,
        name: body.str("name")?,
    })
}

/// Changes a document's type, dates, amounts or name.
#[utoipa::path(post, path = "/2.0/documents/{id}", tag = "documents",
    params(("id" = i64, Path, description = "The document")),
    request_body(content = DocumentUpdateRequest, description = "JSON or form"),
    responses((status = 200, description = "The document", body = Document)),
    security(("bearerAuth" = [])))]
pub async fn update(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Fields,
) -> Result<Json<Document>> {
    let id_user = own_user(&who)?;
    let ch = changes(&body)?;
    let row = load(&st, id_user, &id).await?;
    let now = format::datetime(st.clock.now());
    let text = |m: Option<Money>| m.map(|m| m.0.to_string());
    let edit = Edit {
        id_type: ch.id_type,
        date: ch.date.map(|d| format::date(d.0)),
        duedate: ch.duedate.map(|d| format::date(d.0)),
        total_amount: text(ch.total_amount),
        untaxed_amount: text(ch.untaxed_amount),
        vat: text(ch.vat),
        income: ch.income,
        name: ch.name,
    };
    let mut tx = st.db.begin().await?;
    docs::edit(&mut tx, row.id, &edit, &now).await?;
    let row = docs::get(&mut tx, id_user, row.id)
        .await?
        .ok_or_else(|| ApiError::not_found("Document"))?;
    tx.commit().await?;
    one(&st, &headers, &row)
}

/// The document's file (its `url`), with its content type; the same bytes every time.
#[utoipa::path(get, path = "/2.0/users/{user}/documents/{id}/file", tag = "documents",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("id" = i64, Path, description = "The document"),
    ),
    responses((status = 200, description = "The file", content_type = "application/pdf", body = Vec<u8>)),
    security(("bearerAuth" = [])))]
pub async fn file(
    State(st): State<AppState>,
    who: Principal,
    Path((user, id)): Path<(String, String)>,
) -> Result<Response> {
    let id_user = who.user(&st, &user).await?;
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("Document"))?;
    let mut conn = st.db.reader.acquire().await?;
    let (content_type, filename, bytes) = docs::file(&mut conn, id_user, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Document"))?;
    let disposition = format!("inline; filename=\"{filename}\"");
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&content_type).map_err(ApiError::internal)?,
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(ApiError::internal)?,
    );
    Ok(res)
}

/// The document types, with fixed ids.
#[utoipa::path(get, path = "/2.0/documenttypes", tag = "documents",
    responses((status = 200, description = "The document types", body = DocumentTypesList)))]
pub async fn types() -> Json<DocumentTypesList> {
    Json(document_types())
}
