//! `/users/{user}/amortizations` and its aliases under an account or a connection: the
//! amortization tables of the user's enabled loan accounts, from the loan each sync stored.

use crate::api::principal::Principal;
use crate::api::wealth_scope::{scope, Where};
use crate::error::Result;
use crate::model::format::DateTime;
use crate::model::loan::{Loan, LoanAmortization, LoanAmortizationsList};
use crate::state::AppState;
use crate::store::accounts;
use crate::store::investments::Scope;
use axum::extract::{Path, State};
use axum::Json;

async fn list_in(st: AppState, who: Principal, w: Where) -> Result<Json<LoanAmortizationsList>> {
    let id_user = who.user(&st, &w.user).await?;
    let mut conn = st.db.reader.acquire().await?;
    let rows = match scope(&mut conn, id_user, &w).await? {
        Scope::Connection(u, c) => {
            accounts::list(&mut conn, accounts::Scope::Connection(u, c), false).await?
        }
        Scope::Account(u, a) => accounts::get(&mut conn, u, a)
            .await?
            .filter(|a| a.disabled.is_none() && a.deleted.is_none())
            .into_iter()
            .collect(),
        _ => accounts::list(&mut conn, accounts::Scope::User(id_user), false).await?,
    };
    let mut loanamortizations = Vec::new();
    for a in &rows {
        let terms = a
            .loan
            .as_deref()
            .and_then(|l| serde_json::from_str::<Loan>(l).ok())
            .and_then(|l| l.terms());
        if let Some(terms) = terms {
            let last_update = a.last_update.as_deref().and_then(DateTime::parse);
            loanamortizations.extend(LoanAmortization::table(a.id, &terms, last_update));
        }
    }
    Ok(Json(LoanAmortizationsList { loanamortizations }))
}

/// The amortization rows of the user's enabled loan accounts, account by account, in
/// payment order.
#[utoipa::path(get, path = "/2.0/users/{user}/amortizations", tag = "wealth",
    params(("user" = String, Path, description = "`me` or the user's id")),
    responses((status = 200, description = "The amortization rows", body = LoanAmortizationsList)),
    security(("bearerAuth" = [])))]
pub async fn list(
    State(st): State<AppState>,
    who: Principal,
    Path(user): Path<String>,
) -> Result<Json<LoanAmortizationsList>> {
    let w = Where {
        user,
        ..Default::default()
    };
    list_in(st, who, w).await
}

#[utoipa::path(get, path = "/2.0/users/{user}/accounts/{a}/amortizations", tag = "wealth",
    params(("user" = String, Path, description = "`me` or the user's id"), ("a" = i64, Path, description = "The account")),
    responses((status = 200, description = "The account's amortization rows", body = LoanAmortizationsList)),
    security(("bearerAuth" = [])))]
pub async fn list_in_account(
    State(st): State<AppState>,
    who: Principal,
    Path((user, account)): Path<(String, String)>,
) -> Result<Json<LoanAmortizationsList>> {
    let w = Where {
        user,
        account: Some(account),
        ..Default::default()
    };
    list_in(st, who, w).await
}

#[utoipa::path(get, path = "/2.0/users/{user}/connections/{c}/amortizations", tag = "wealth",
    params(("user" = String, Path, description = "`me` or the user's id"), ("c" = i64, Path, description = "The connection")),
    responses((status = 200, description = "The connection's amortization rows", body = LoanAmortizationsList)),
    security(("bearerAuth" = [])))]
pub async fn list_in_connection(
    State(st): State<AppState>,
    who: Principal,
    Path((user, connection)): Path<(String, String)>,
) -> Result<Json<LoanAmortizationsList>> {
    let w = Where {
        user,
        connection: Some(connection),
        ..Default::default()
    };
    list_in(st, who, w).await
}
