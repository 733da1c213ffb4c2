//! The scope of a wealth list (`investments`, `pockets`, `marketorders`): the user, one of
//! its connections or accounts (another user's is a 404), and who may read a single item
//! reached without a user in its path.

use crate::api::connections::owned;
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::state::AppState;
use crate::store::accounts;
use crate::store::investments::Scope;
use sqlx::SqliteConnection;

/// Path parts of a list route.
#[derive(Default)]
pub struct Where {
    pub user: String,
    pub connection: Option<String>,
    pub account: Option<String>,
}

/// The scope `w` names for `id_user` (resolved first: resolving the user may need a
/// connection of its own).
pub async fn scope(conn: &mut SqliteConnection, id_user: i64, w: &Where) -> Result<Scope> {
    let mut scope = Scope::User(id_user);
    let mut in_connection = None;
    if let Some(c) = &w.connection {
        let id = owned(conn, id_user, c).await?.id;
        in_connection = Some(id);
        scope = Scope::Connection(id_user, id);
    }
    if let Some(a) = &w.account {
        let id: i64 = a.parse().map_err(|_| ApiError::not_found("Account"))?;
        let acc = accounts::get(conn, id_user, id)
            .await?
            .ok_or_else(|| ApiError::not_found("Account"))?;
        if in_connection.is_some_and(|c| c != acc.id_connection) {
            return Err(ApiError::not_found("Account"));
        }
        scope = Scope::Account(id_user, acc.id);
    }
    Ok(scope)
}

/// The user whose item a path names: `users/{user}` when given, the token's user on the
/// unscoped routes (any user for the config token).
pub async fn reader(st: &AppState, who: &Principal, user: Option<&str>) -> Result<Option<i64>> {
    match (user, who) {
        (Some(u), _) => Ok(Some(who.user(st, u).await?)),
        (None, Principal::Config) => Ok(None),
        (None, _) => Ok(Some(who.user(st, "me").await?)),
    }
}

/// An item id from the path; anything else is the item's 404.
pub fn item_id(id: &str, what: &str) -> Result<i64> {
    id.parse().map_err(|_| ApiError::not_found(what))
}

/// The page `limit`/`offset` ask for.
pub fn page<T>(items: Vec<T>, limit: Option<i64>, offset: i64) -> Vec<T> {
    items
        .into_iter()
        .skip(offset.max(0) as usize)
        .take(limit.map_or(usize::MAX, |l| l as usize))
        .collect()
}
