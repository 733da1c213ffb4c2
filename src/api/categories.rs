//! Transaction categories: the catalogue's tree (`/banks/categories`, the legacy
//! `/users/{user}/categories/full`), the categories a user's or an account's transactions are
//! in, and `expand=categories` / `expand=category` on transactions. `GET /categories` is not
//! routed: live servers answer it 404.

use crate::api::connections::owned;
use crate::api::extract::{Fields, Params};
use crate::api::principal::Principal;
use crate::catalogue::Catalogue;
use crate::error::{ApiError, Result};
use crate::model::category::{BankCategoriesList, CategoriesList, Category, FullCategoriesList};
use crate::model::expand;
use crate::model::transaction::Transaction;
use crate::state::AppState;
use crate::store;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::Value;

/// The expansions a transaction accepts: Powens' documented ones and its spec's.
const EXPANDS: [&str; 5] = [
    "categories",
    "category",
    "attachments",
    "account",
    "documents",
];

/// Reads `expand=` of a transaction read: whether to add the categories. Anything outside
/// the documented names is refused.
pub fn wants_categories(params: &Params) -> Result<bool> {
    let items = params.expand()?;
    for i in &items {
        if !EXPANDS.contains(&expand::base(i)) {
            return Err(ApiError::invalid(
                "expand",
                format!(
                    "unknown expansion {i}; expected one of {}",
                    EXPANDS.join(", ")
                ),
            ));
        }
    }
    Ok(items
        .iter()
        .any(|i| matches!(expand::base(i), "categories" | "category")))
}

/// Fills `categories` with the transaction's category as `{code, parent_code}`.
pub fn add_categories(catalogue: &Catalogue, t: &mut Transaction) {
    let id = t
        .id_category
        .unwrap_or(crate::model::transaction::DEFAULT_CATEGORY);
    t.categories = Some(catalogue.transaction_category(id).into_iter().collect());
}

/// The category a transaction update names: `id_category` (deprecated, an id) or
/// `categories` (`[{"code": ...}]`, an id, or a code); `None` when it names none. An unknown
/// one is refused.
pub fn update_category(catalogue: &Catalogue, body: &Fields) -> Result<Option<i64>> {
    if let Some(id) = body.int("id_category")? {
        return catalogue
            .category(id)
            .map(|c| Some(c.id))
            .ok_or_else(|| ApiError::invalid("id_category", "unknown category"));
    }
    let Some(v) = body.get("categories") else {
        return Ok(None);
    };
    // A form sends the array as JSON text, or a bare code or id.
    let v = match v {
        Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| v.clone()),
        _ => v.clone(),
    };
    let item = match &v {
        Value::Array(items) => items
            .first()
            .cloned()
            .ok_or_else(|| ApiError::invalid("categories", "expected at least one category"))?,
        other => other.clone(),
    };
    let found = match &item {
        Value::Object(o) => {
            crate::api::extract::only_known(o, &["code", "parent_code"], "categories[0].")?;
            o.get("code")
                .and_then(Value::as_str)
                .and_then(|c| catalogue.category_by_code(c))
        }
        Value::Number(n) => n.as_i64().and_then(|id| catalogue.category(id)),
        Value::String(s) => catalogue
            .category_by_code(s)
            .or_else(|| s.parse().ok().and_then(|id| catalogue.category(id))),
        _ => None,
    };
    found
        .map(|c| Some(c.id))
        .ok_or_else(|| ApiError::invalid("categories", "unknown category"))
}

fn of(catalogue: &Catalogue, ids: &[i64]) -> CategoriesList {
    let categories: Vec<Category> = ids
        .iter()
        .filter_map(|id| catalogue.category(*id).cloned())
        .collect();
    CategoriesList {
        total: categories.len() as i64,
        categories,
    }
}

/// The catalogue's category tree, under the key live servers answer with.
#[utoipa::path(get, path = "/2.0/banks/categories", tag = "categories",
    responses((status = 200, description = "Every category", body = BankCategoriesList)))]
pub async fn bank_categories(State(st): State<AppState>) -> Json<BankCategoriesList> {
    let bank_category = st.catalogue.categories.clone();
    Json(BankCategoriesList {
        total: bank_category.len() as i64,
        bank_category,
    })
}

/// The whole tree (the legacy route; the user has no categories of their own here).
#[utoipa::path(get, path = "/2.0/users/{user}/categories/full", tag = "categories",
    params(("user" = String, Path, description = "`me` or the user's id")),
    responses((status = 200, description = "Every category", body = FullCategoriesList)),
    security(("bearerAuth" = [])))]
pub async fn full(
    State(st): State<AppState>,
    who: Principal,
    Path(user): Path<String>,
) -> Result<Json<FullCategoriesList>> {
    who.user(&st, &user).await?;
    let categorys = st.catalogue.categories.clone();
    Ok(Json(FullCategoriesList {
        total: categorys.len() as i64,
        categorys,
    }))
}

/// The categories the user's live transactions are in.
#[utoipa::path(get, path = "/2.0/users/{user}/categories", tag = "categories",
    params(("user" = String, Path, description = "`me` or the user's id")),
    responses((status = 200, description = "The categories in use", body = CategoriesList)),
    security(("bearerAuth" = [])))]
pub async fn of_user(
    State(st): State<AppState>,
    who: Principal,
    Path(user): Path<String>,
) -> Result<Json<CategoriesList>> {
    let id_user = who.user(&st, &user).await?;
    let mut conn = st.db.reader.acquire().await?;
    let ids = store::categories::used(&mut conn, id_user, None).await?;
    Ok(Json(of(&st.catalogue, &ids)))
}

async fn in_account(
    st: &AppState,
    who: Principal,
    user: &str,
    connection: Option<&str>,
    account: &str,
) -> Result<Json<CategoriesList>> {
    let id_user = who.user(st, user).await?;
    let mut conn = st.db.reader.acquire().await?;
    let id: i64 = account
        .parse()
        .map_err(|_| ApiError::not_found("Account"))?;
    let a = store::accounts::get(&mut conn, id_user, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Account"))?;
    if let Some(c) = connection {
        if owned(&mut conn, id_user, c).await?.id != a.id_connection {
            return Err(ApiError::not_found("Account"));
        }
    }
    let ids = store::categories::used(&mut conn, id_user, Some(a.id)).await?;
    Ok(Json(of(&st.catalogue, &ids)))
}

#[utoipa::path(get, path = "/2.0/users/{user}/accounts/{a}/categories", tag = "categories",
    params(("user" = String, Path, description = "`me` or the user's id"), ("a" = i64, Path, description = "The account")),
    responses((status = 200, description = "The categories of the account's transactions", body = CategoriesList)),
    security(("bearerAuth" = [])))]
pub async fn of_account(
    State(st): State<AppState>,
    who: Principal,
    Path((user, account)): Path<(String, String)>,
) -> Result<Json<CategoriesList>> {
    in_account(&st, who, &user, None, &account).await
}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{c}/accounts/{a}/categories", tag = "categories",
    params(
        ("user" = String, Path, description = "`me` or the user's id"),
        ("c" = i64, Path, description = "The connection"),
        ("a" = i64, Path, description = "The account"),
    ),
    responses((status = 200, description = "The categories of the account's transactions", body = CategoriesList)),
    security(("bearerAuth" = [])))]
pub async fn of_connection_account(
    State(st): State<AppState>,
    who: Principal,
    Path((user, connection, account)): Path<(String, String, String)>,
) -> Result<Json<CategoriesList>> {
    in_account(&st, who, &user, Some(&connection), &account).await
}
