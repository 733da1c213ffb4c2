//! Access tokens and temporary codes. Lookups go through SHA-256 digests; the clear text of
//! permanent tokens is kept too, because webhooks carry the user's own token.

use crate::model::format;
use crate::store::users::LIVE;
use chrono::NaiveDateTime;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;

pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The digest as bytes: the token cache's key.
pub fn digest_bytes(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// A token that resolved to a user.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Resolved {
    pub id_user: i64,
    /// `Some` for access tokens, `None` when a temporary code is used as a bearer token.
    pub id_token: Option<i64>,
    pub kind: String,
    /// When the token or code expires (stored format), if it does.
    pub expires_at: Option<String>,
    /// When its user expires, for a temporary user.
    pub user_expires_at: Option<String>,
}

/// Creates an access token for the user; returns the clear text (shown once).
pub async fn create(
    conn: &mut SqliteConnection,
    id_user: i64,
    kind: &str,
    now: NaiveDateTime,
    expires_at: Option<NaiveDateTime>,
) -> sqlx::Result<String> {
    let token = generate();
    let id = sqlx::query(
        "INSERT INTO tokens (id_user, hash, kind, created, expires_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(id_user)
    .bind(digest(&token))
    .bind(kind)
    .bind(format::datetime(now))
    .bind(expires_at.map(format::datetime))
    .execute(&mut *conn)
    .await?
    .last_insert_rowid();
    if kind == "permanent" {
        sqlx::query("INSERT INTO token_texts (id_token, token) VALUES (?, ?)")
            .bind(id)
            .bind(&token)
            .execute(conn)
            .await?;
    }
    Ok(token)
}

/// The user's latest permanent token that still works (not revoked, not expired), in clear:
/// the one webhooks carry.
pub async fn latest_permanent(
    conn: &mut SqliteConnection,
    id_user: i64,
    now: NaiveDateTime,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT x.token FROM tokens t JOIN token_texts x ON x.id_token = t.id
         WHERE t.id_user = ? AND t.kind = 'permanent' AND t.revoked_at IS NULL
           AND (t.expires_at IS NULL OR t.expires_at > ?)
         ORDER BY t.id DESC LIMIT 1",
    )
    .bind(id_user)
    .bind(format::datetime(now))
    .fetch_optional(conn)
    .await
}

/// Resolves a bearer token: an unrevoked, unexpired access token, or an unexpired temporary
/// code (which Powens also accepts as a temporary bearer token).
pub async fn resolve(
    conn: &mut SqliteConnection,
    token: &str,
    now: NaiveDateTime,
) -> sqlx::Result<Option<Resolved>> {
    let hash = digest(token);
    let now = format::datetime(now);
    let found = sqlx::query_as::<_, Resolved>(&format!(
        "SELECT t.id_user, t.id AS id_token, t.kind, t.expires_at,
                CASE WHEN users.kind = 'temporary' THEN users.expires_at END AS user_expires_at
         FROM tokens t
         JOIN users ON users.id = t.id_user
         WHERE t.hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)
           AND {LIVE}"
    ))
    .bind(&hash)
    .bind(&now)
    .bind(&now)
    .fetch_optional(&mut *conn)
    .await?;
    if found.is_some() {
        return Ok(found);
    }
    sqlx::query_as::<_, Resolved>(&format!(
        "SELECT c.id_user, NULL AS id_token, 'temporary' AS kind, c.expires_at,
                CASE WHEN users.kind = 'temporary' THEN users.expires_at END AS user_expires_at
         FROM auth_codes c
         JOIN users ON users.id = c.id_user
         WHERE c.hash = ? AND c.expires_at > ? AND (c.access = 'standard' OR c.used_at IS NULL)
           AND {LIVE}"
    ))
    .bind(&hash)
    .bind(&now)
    .bind(&now)
    .fetch_optional(conn)
    .await
}

pub async fn revoke(
    conn: &mut SqliteConnection,
    id_token: i64,
    now: NaiveDateTime,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
        .bind(format::datetime(now))
        .bind(id_token)
        .execute(conn)
        .await?;
    Ok(())
}

/// Revokes every token of the user except `keep`.
pub async fn revoke_all_but(
    conn: &mut SqliteConnection,
    id_user: i64,
    keep: &str,
    now: NaiveDateTime,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE tokens SET revoked_at = ? WHERE id_user = ? AND hash <> ? AND revoked_at IS NULL",
    )
    .bind(format::datetime(now))
    .bind(id_user)
    .bind(digest(keep))
    .execute(conn)
    .await?;
    Ok(())
}

/// Creates a temporary code; returns its clear text.
pub async fn create_code(
    conn: &mut SqliteConnection,
    id_user: i64,
    access: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> sqlx::Result<String> {
    let code = generate();
    sqlx::query("INSERT INTO auth_codes (id_user, hash, access, created, expires_at) VALUES (?, ?, ?, ?, ?)")
        .bind(id_user)
        .bind(digest(&code))
        .bind(access)
        .bind(format::datetime(now))
        .bind(format::datetime(expires_at))
        .execute(conn)
        .await?;
    Ok(code)
}

/// Redeems a temporary code: returns its user when the code is valid, and uses up a
/// single-access code. Call inside a write transaction so two redemptions cannot both win.
pub async fn redeem_code(
    conn: &mut SqliteConnection,
    code: &str,
    now: NaiveDateTime,
) -> sqlx::Result<Option<i64>> {
    let now = format::datetime(now);
    let row: Option<(i64, i64, String)> = sqlx::query_as(&format!(
        "SELECT c.id, c.id_user, c.access FROM auth_codes c
         JOIN users ON users.id = c.id_user
         WHERE c.hash = ? AND c.expires_at > ? AND (c.access = 'standard' OR c.used_at IS NULL)
           AND {LIVE}"
    ))
    .bind(digest(code))
    .bind(&now)
    .bind(&now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, id_user, access)) = row else {
        return Ok(None);
    };
    if access == "single" {
        sqlx::query("UPDATE auth_codes SET used_at = ? WHERE id = ?")
            .bind(&now)
            .bind(id)
            .execute(conn)
            .await?;
    }
    Ok(Some(id_user))
}
