//! The filtered, keyset-paginated transactions list. Pages walk the index
//! (scope, date DESC, id DESC) from a cursor, so a page 5,000 deep costs what the first does;
//! totals without filters come from per-account counters kept by triggers.

use crate::store::transactions::{Transaction, SELECT};
use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, SqliteConnection};

#[derive(Debug, Clone, Copy)]
pub enum TxScope {
    User(i64),
    Account(i64),
    Connection(i64),
}

impl TxScope {
    fn column(&self) -> (&'static str, i64) {
        match *self {
            TxScope::User(id) => ("id_user", id),
            TxScope::Account(id) => ("id_account", id),
            TxScope::Connection(id) => ("id_connection", id),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Next,
    Prev,
}

/// A position in the walk: the (date, id) of the row the page starts after.
#[derive(Debug, Clone)]
pub struct Position {
    pub date: String,
    pub id: i64,
    pub dir: Direction,
}

#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub min_date: Option<String>,
    pub max_date: Option<String>,
    pub income: Option<bool>,
    pub deleted: Option<bool>,
    pub all: bool,
    pub last_update: Option<String>,
    pub wording: Option<String>,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    pub values: Option<Vec<f64>>,
    pub search: Option<String>,
}

impl Filters {
    /// True when nothing but the scope restricts the list, so counters give the total.
    fn is_plain(&self) -> bool {
        self.min_date.is_none()
            && self.max_date.is_none()
            && self.income.is_none()
            && self.deleted.is_none()
            && !self.all
            && self.last_update.is_none()
            && self.wording.is_none()
            && self.min_value.is_none()
            && self.max_value.is_none()
            && self.values.is_none()
            && self.search.is_none()
    }
}

pub struct Query {
    pub scope: TxScope,
    /// `application_date` (default) or `date`.
    pub date_col: &'static str,
    pub filters: Filters,
    pub position: Option<Position>,
    pub offset: i64,
    pub limit: i64,
    /// The total carried by the cursor, so deep pages do not count again.
    pub known_total: Option<i64>,
}

pub struct Page {
    pub rows: Vec<Transaction>,
    /// More rows lie beyond this page in the walking direction.
    pub more: bool,
    pub total: i64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
}

fn like(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

type Args = SqliteArguments<'static>;

fn add<T>(args: &mut Args, v: T) -> sqlx::Result<()>
where
    T: 'static + Send + sqlx::Encode<'static, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
{
    args.add(v).map_err(sqlx::Error::Encode)
}

/// The WHERE clause of the scope and filters (no position), with its arguments.
fn conditions(q: &Query) -> sqlx::Result<(String, Args)> {
    let (col, id) = q.scope.column();
    let dc = q.date_col;
    let f = &q.filters;
    let mut w = vec![format!("t.{col} = ?")];
    let mut a = Args::default();
    add(&mut a, id)?;
    match (f.all, f.deleted) {
        (_, Some(true)) => w.push("t.deleted IS NOT NULL".into()),
        (true, _) => {}
        _ => w.push("t.deleted IS NULL".into()),
    }
    if let Some(d) = &f.min_date {
        w.push(format!("t.{dc} >= ?"));
        add(&mut a, d.clone())?;
    }
    if let Some(d) = &f.max_date {
        w.push(format!("t.{dc} <= ?"));
        add(&mut a, d.clone())?;
    }
    match f.income {
        Some(true) => w.push("CAST(t.value AS REAL) > 0".into()),
        Some(false) => w.push("CAST(t.value AS REAL) < 0".into()),
        None => {}
    }
    if let Some(t) = &f.last_update {
        w.push("t.last_update > ?".into());
        add(&mut a, t.clone())?;
    }
    if let Some(s) = &f.wording {
        w.push("(COALESCE(t.wording, t.simplified_wording) LIKE ? ESCAPE '\\' OR t.original_wording LIKE ? ESCAPE '\\')".into());
        add(&mut a, like(s))?;
        add(&mut a, like(s))?;
    }
    if let Some(v) = f.min_value {
        w.push("CAST(t.value AS REAL) >= ?".into());
        add(&mut a, v)?;
    }
    if let Some(v) = f.max_value {
        w.push("CAST(t.value AS REAL) <= ?".into());
        add(&mut a, v)?;
    }
    if let Some(vs) = &f.values {
        w.push(format!(
            "CAST(t.value AS REAL) IN ({})",
            vec!["?"; vs.len()].join(",")
        ));
        for v in vs {
            add(&mut a, *v)?;
        }
    }
    if let Some(s) = &f.search {
        let mut alts = vec![
            "COALESCE(t.wording, t.simplified_wording) LIKE ? ESCAPE '\\'".to_string(),
            "t.original_wording LIKE ? ESCAPE '\\'".to_string(),
        ];
        add(&mut a, like(s))?;
        add(&mut a, like(s))?;
        if let Ok(v) = s.replace(',', ".").parse::<f64>() {
            alts.push("ABS(CAST(t.value AS REAL)) = ?".into());
            add(&mut a, v.abs())?;
        }
        if crate::model::calendar::parse(s).is_some() {
            alts.push(format!("t.{dc} LIKE ?"));
            add(&mut a, format!("{}%", s.trim()))?;
        }
        w.push(format!("({})", alts.join(" OR ")));
    }
    Ok((w.join(" AND "), a))
}

/// The total and the bounds of all the scope's (non-deleted) data, in one statement: the
/// total from the cursor when it carries one, else from the per-account counters when no
/// filter applies, else counted; each bound is one index probe.
async fn summary(
    conn: &mut SqliteConnection,
    q: &Query,
    wh: &str,
    args: &Args,
) -> sqlx::Result<(i64, Option<String>, Option<String>)> {
    let (col, id) = q.scope.column();
    let dc = q.date_col;
    let mut a = Args::default();
    let total = if let Some(t) = q.known_total {
        add(&mut a, t)?;
        "?".to_string()
    } else if q.filters.is_plain() {
        let owner = match q.scope {
            TxScope::User(_) => "id_user",
            TxScope::Account(_) => "id",
            TxScope::Connection(_) => "id_connection",
        };
        add(&mut a, id)?;
        format!("(SELECT COALESCE(SUM(nb_transactions), 0) FROM accounts WHERE {owner} = ?)")
    } else {
        a = args.clone();
        format!("(SELECT COUNT(*) FROM transactions t WHERE {wh})")
    };
    add(&mut a, id)?;
    add(&mut a, id)?;
    sqlx::query_as_with(
        &format!(
            "SELECT {total},
               (SELECT MIN({dc}) FROM transactions WHERE {col} = ? AND deleted IS NULL),
               (SELECT MAX({dc}) FROM transactions WHERE {col} = ? AND deleted IS NULL)"
        ),
        a,
    )
    .fetch_one(conn)
    .await
}

pub async fn page(conn: &mut SqliteConnection, q: &Query) -> sqlx::Result<Page> {
    let (wh, args) = conditions(q)?;
    let (total, first_date, last_date) = summary(conn, q, &wh, &args).await?;
    let dc = q.date_col;
    let mut args = args;
    let mut sql = format!("{SELECT} WHERE {wh}");
    let dir = q
        .position
        .as_ref()
        .map(|p| p.dir)
        .unwrap_or(Direction::Next);
    if let Some(p) = &q.position {
        let op = if p.dir == Direction::Next { "<" } else { ">" };
        sql.push_str(&format!(" AND (t.{dc}, t.id) {op} (?, ?)"));
        add(&mut args, p.date.clone())?;
        add(&mut args, p.id)?;
    }
    let order = if dir == Direction::Next {
        "DESC"
    } else {
        "ASC"
    };
    sql.push_str(&format!(
        " ORDER BY t.{dc} {order}, t.id {order} LIMIT ? OFFSET ?"
    ));
    add(&mut args, q.limit + 1)?;
    add(&mut args, if q.position.is_some() { 0 } else { q.offset })?;
    let mut rows: Vec<Transaction> = sqlx::query_as_with(&sql, args).fetch_all(conn).await?;
    let more = rows.len() as i64 > q.limit;
    rows.truncate(q.limit as usize);
    if dir == Direction::Prev {
        rows.reverse();
    }
    Ok(Page {
        rows,
        more,
        total,
        first_date,
        last_date,
    })
}

/// The SQL a plain user-wide page runs, for showing its query plan.
pub fn plan_sql(deep: bool) -> String {
    let cursor = if deep {
        " AND (t.application_date, t.id) < ('2020-01-01', 1000000)"
    } else {
        ""
    };
    format!("{SELECT} WHERE t.id_user = 1 AND t.deleted IS NULL{cursor} ORDER BY t.application_date DESC, t.id DESC LIMIT 101")
}
