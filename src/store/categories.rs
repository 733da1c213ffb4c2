//! Which categories a user's (or an account's) live transactions are in.

use sqlx::SqliteConnection;

/// The distinct category ids (the PSU's, else the bank's, else the default) of the live
/// transactions of `id_user`, or of one of their accounts, in id order.
pub async fn used(
    conn: &mut SqliteConnection,
    id_user: i64,
    id_account: Option<i64>,
) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT DISTINCT COALESCE(psu_id_category, id_category, 9998) AS c FROM transactions
         WHERE id_user = ? AND (? IS NULL OR id_account = ?) AND deleted IS NULL ORDER BY c",
    )
    .bind(id_user)
    .bind(id_account)
    .bind(id_account)
    .fetch_all(conn)
    .await
}
