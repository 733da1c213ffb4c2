//! Connection logs: one row per sync.

use crate::model::format::{self, DateTime};
use crate::model::log::{ConnectionLog, ConnectionLogsList};
use chrono::NaiveDateTime;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, SqliteConnection};

pub struct NewLog {
    pub id_user: i64,
    pub id_connection: i64,
    pub id_connector: i64,
    pub id_source: Option<i64>,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub next_try: Option<String>,
    pub state: Option<String>,
    pub error_message: Option<String>,
    pub nb_accounts: i64,
    pub nb_transactions: i64,
    pub psu_requested: bool,
}

pub async fn insert(conn: &mut SqliteConnection, l: &NewLog) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO connection_logs (id_user, id_connection, id_connector, id_source, timestamp, start,
            next_try, state, error_message, nb_accounts, nb_transactions, psu_requested)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(l.id_user)
    .bind(l.id_connection)
    .bind(l.id_connector)
    .bind(l.id_source)
    .bind(format::datetime(l.end))
    .bind(format::datetime(l.start))
    .bind(&l.next_try)
    .bind(&l.state)
    .bind(&l.error_message)
    .bind(l.nb_accounts)
    .bind(l.nb_transactions)
    .bind(l.psu_requested)
    .execute(conn)
    .await?;
    Ok(())
}

pub struct Filter {
    pub id_connection: i64,
    pub min_date: Option<String>,
    pub max_date: Option<String>,
    pub id_source: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// Logs newest first, with the total and the date bounds of everything that matched.
pub async fn list(conn: &mut SqliteConnection, f: &Filter) -> sqlx::Result<ConnectionLogsList> {
    let mut wh = String::from("id_connection = ?");
    let mut args = SqliteArguments::default();
    args.add(f.id_connection).map_err(sqlx::Error::Encode)?;
    if let Some(d) = &f.min_date {
        wh.push_str(" AND timestamp >= ?");
        args.add(d.clone()).map_err(sqlx::Error::Encode)?;
    }
    if let Some(d) = &f.max_date {
        wh.push_str(" AND timestamp <= ?");
        args.add(d.clone()).map_err(sqlx::Error::Encode)?;
    }
    if let Some(s) = f.id_source {
        wh.push_str(" AND id_source = ?");
        args.add(s).map_err(sqlx::Error::Encode)?;
    }
    let (total, first_date, last_date): (i64, Option<DateTime>, Option<DateTime>) =
        sqlx::query_as_with(
            &format!(
                "SELECT COUNT(*), MIN(timestamp), MAX(timestamp) FROM connection_logs WHERE {wh}"
            ),
            args.clone(),
        )
        .fetch_one(&mut *conn)
        .await?;
    args.add(f.limit).map_err(sqlx::Error::Encode)?;
    args.add(f.offset).map_err(sqlx::Error::Encode)?;
    // `state` is `error` on the wire: the log keeps the field's historical name.
    let connectionlogs: Vec<ConnectionLog> = sqlx::query_as_with(
        &format!(
            "SELECT id, id_user, id_connection, id_connector, id_source, timestamp, start, next_try,
                state AS error, error_message, nb_accounts
             FROM connection_logs WHERE {wh} ORDER BY timestamp DESC, id DESC LIMIT ? OFFSET ?"
        ),
        args,
    )
    .fetch_all(conn)
    .await?;
    Ok(ConnectionLogsList {
        connectionlogs,
        total,
        first_date,
        last_date,
    })
}
