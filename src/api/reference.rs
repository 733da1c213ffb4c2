//! Reference data: account types and currencies.

use crate::error::{ApiError, Result};
use crate::model::catalogue::{AccountType, AccountTypesList, CurrenciesList, Currency};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;

#[utoipa::path(get, path = "/2.0/account_types", tag = "catalogue",
    responses((status = 200, description = "Every account type", body = AccountTypesList)))]
pub async fn account_types(State(st): State<AppState>) -> Json<AccountTypesList> {
    let accounttypes = st.catalogue.account_types.clone();
    let total = accounttypes.len();
    Json(AccountTypesList {
        accounttypes,
        total,
    })
}

/// By numeric id, or by name (`checking`) for convenience.
#[utoipa::path(get, path = "/2.0/account_types/{key}", tag = "catalogue",
    params(("key" = String, Path, description = "The type's id (or its name)")),
    responses((status = 200, description = "The account type", body = AccountType)))]
pub async fn account_type(
    State(st): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<AccountType>> {
    st.catalogue
        .account_types
        .iter()
        .find(|t| t.id.to_string() == key || t.name == key)
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::not_found("Account type"))
}

#[utoipa::path(get, path = "/2.0/currencies", tag = "catalogue",
    responses((status = 200, description = "Every currency", body = CurrenciesList)))]
pub async fn currencies(State(st): State<AppState>) -> Json<CurrenciesList> {
    let currencies = st.catalogue.currencies.clone();
    let total = currencies.len();
    Json(CurrenciesList { currencies, total })
}

#[utoipa::path(get, path = "/2.0/currencies/{id}", tag = "catalogue",
    params(("id" = String, Path, description = "ISO 4217 code")),
    responses((status = 200, description = "The currency", body = Currency)))]
pub async fn currency(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Currency>> {
    st.catalogue
        .currency(&id.to_ascii_uppercase())
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::not_found("Currency"))
}
