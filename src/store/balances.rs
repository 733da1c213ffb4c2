//! What an account's balance history is computed from: its booked, live transactions.

use sqlx::SqliteConnection;

/// (date, value) of each booked transaction of the account that is not deleted.
pub async fn booked(
    conn: &mut SqliteConnection,
    id_account: i64,
) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT date, value FROM transactions
         WHERE id_account = ? AND coming = 0 AND deleted IS NULL ORDER BY date, id",
    )
    .bind(id_account)
    .fetch_all(conn)
    .await
}
