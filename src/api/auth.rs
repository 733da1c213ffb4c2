//! `/auth/...`: anonymous and permanent users, temporary codes, code exchange, renewal,
//! revocation (powens-api.md §2).

use crate::api::extract::{Fields, Params};
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::auth::{
    AccessToken, AuthCode, AuthInitRequest, ExchangeAccessToken, ExchangeAccessTokenRequest,
    RenewAccessTokenRequest,
};
use crate::state::AppState;
use crate::store::client_apps::{self, ClientAppRow};
use crate::store::{tokens, users};
use crate::sync::events::user_event;
use axum::extract::State;
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use base64::Engine;
use chrono::TimeDelta;
use sqlx::SqliteConnection;

/// Temporary users, their tokens and temporary codes live 30 minutes.
pub const TEMPORARY_LIFETIME_SECS: i64 = 30 * 60;

/// Checks client credentials. A wrong pair is a 401 with the Powens body.
async fn client_app(
    conn: &mut SqliteConnection,
    client_id: &str,
    client_secret: &str,
) -> Result<ClientAppRow> {
    match client_apps::by_client_id(conn, client_id).await? {
        Some(app) if app.client_secret == client_secret => Ok(app),
        _ => Err(ApiError::Unauthorized),
    }
}

/// `client_id`/`client_secret` from the body, else from HTTP Basic auth.
fn client_credentials(body: &Fields, headers: &HeaderMap) -> Result<Option<(String, String)>> {
    let id = body.str("client_id")?;
    let secret = body.str("client_secret")?;
    match (id, secret) {
        (Some(i), Some(s)) => return Ok(Some((i, s))),
        (Some(_), None) => return Err(ApiError::missing("client_secret")),
        (None, Some(_)) => return Err(ApiError::missing("client_id")),
        (None, None) => {}
    }
    let basic = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Basic ")
                .or_else(|| v.strip_prefix("basic "))
        });
    let Some(b64) = basic else { return Ok(None) };
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| ApiError::invalid("Authorization", "malformed Basic credentials"))?;
    let (i, s) = decoded
        .split_once(':')
        .ok_or_else(|| ApiError::invalid("Authorization", "malformed Basic credentials"))?;
    Ok(Some((i.to_string(), s.to_string())))
}

/// `POST /auth/init`: a permanent user with client credentials, a temporary one without.
#[utoipa::path(post, path = "/2.0/auth/init", tag = "auth",
    request_body(content = AuthInitRequest, description = "JSON or form; the client may also use HTTP Basic."),
    responses((status = 200, description = "The user's token", body = AccessToken)))]
pub async fn init(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Fields,
) -> Result<Json<AccessToken>> {
    let creds = client_credentials(&body, &headers)?;
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let out = match creds {
        Some((id, secret)) => {
            let app = client_app(&mut tx, &id, &secret).await?;
            let id_user = users::create(&mut tx, "permanent", now, None, Some(app.id)).await?;
            let token = tokens::create(&mut tx, id_user, "permanent", now, None).await?;
            user_event(&mut tx, "USER_CREATED", id_user, now).await?;
            AccessToken {
                auth_token: token,
                kind: "permanent".into(),
                id_user,
                // Observed on the real API: no expires_in key for permanent tokens.
                expires_in: None,
            }
        }
        None => {
            let expires = now + TimeDelta::seconds(TEMPORARY_LIFETIME_SECS);
            let id_user = users::create(&mut tx, "temporary", now, Some(expires), None).await?;
            let token = tokens::create(&mut tx, id_user, "temporary", now, Some(expires)).await?;
            AccessToken {
                auth_token: token,
                kind: "temporary".into(),
                id_user,
                expires_in: Some(TEMPORARY_LIFETIME_SECS),
            }
        }
    };
    tx.commit().await?;
    Ok(Json(out))
}

/// `GET|POST /auth/token/code?type=requestAccess|singleAccess`: a temporary code for the
/// webview or `/webauth` (`requestAccess`: 30 minutes; `singleAccess`: one use). `POST` is
/// kept for clients following the legacy guide.
#[utoipa::path(method(get, post), path = "/2.0/auth/token/code", tag = "auth",
    params(("type" = Option<String>, Query, description = "`requestAccess` (default) or `singleAccess`")),
    responses((status = 200, description = "The code", body = AuthCode)),
    security(("bearerAuth" = [])))]
pub async fn code(
    State(st): State<AppState>,
    who: Principal,
    params: Params,
) -> Result<Json<AuthCode>> {
    let Principal::User { id_user, .. } = who else {
        return Err(ApiError::Unauthorized);
    };
    let access = match params.text("type").unwrap_or("requestAccess") {
        "requestAccess" => "standard",
        "singleAccess" => "single",
        _ => {
            return Err(ApiError::invalid(
                "type",
                "expected requestAccess or singleAccess",
            ))
        }
    };
    let now = st.clock.now();
    let expires = now + TimeDelta::seconds(TEMPORARY_LIFETIME_SECS);
    let mut tx = st.db.begin().await?;
    let code = tokens::create_code(&mut tx, id_user, access, now, expires).await?;
    tx.commit().await?;
    Ok(Json(AuthCode {
        code,
        kind: "temporary".into(),
        access: access.into(),
        expires_in: Some(TEMPORARY_LIFETIME_SECS),
    }))
}

/// `POST /auth/token/access`: exchanges a temporary code for a permanent token.
#[utoipa::path(post, path = "/2.0/auth/token/access", tag = "auth",
    request_body(content = ExchangeAccessTokenRequest, description = "JSON or form"),
    responses((status = 200, description = "A permanent token", body = ExchangeAccessToken)))]
pub async fn access(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Fields,
) -> Result<Json<ExchangeAccessToken>> {
    let grant = body
        .str("grant_type")?
        .unwrap_or_else(|| "authorization_code".into());
    if grant != "authorization_code" {
        return Err(ApiError::invalid(
            "grant_type",
            "expected authorization_code",
        ));
    }
    let (id, secret) =
        client_credentials(&body, &headers)?.ok_or_else(|| ApiError::missing("client_id"))?;
    let code = body.required_str("code")?;
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let app = client_app(&mut tx, &id, &secret).await?;
    if let Some(uri) = body.str("redirect_uri")? {
        if !app.allows_redirect(&uri) {
            return Err(ApiError::invalid(
                "redirect_uri",
                "not allowed for this client",
            ));
        }
    }
    let id_user = tokens::redeem_code(&mut tx, &code, now)
        .await?
        .ok_or_else(|| ApiError::invalid("code", "unknown, expired or already used code"))?;
    if users::make_permanent(&mut tx, id_user).await? {
        // Webhooks start when a user becomes permanent.
        user_event(&mut tx, "USER_CREATED", id_user, now).await?;
    }
    let token = tokens::create(&mut tx, id_user, "permanent", now, None).await?;
    tx.commit().await?;
    Ok(Json(ExchangeAccessToken::bearer(token)))
}

/// `POST /auth/renew`: a new permanent token for an existing user (or a new user).
#[utoipa::path(post, path = "/2.0/auth/renew", tag = "auth",
    request_body(content = RenewAccessTokenRequest, description = "JSON or form"),
    responses((status = 200, description = "A permanent token", body = ExchangeAccessToken)))]
pub async fn renew(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Fields,
) -> Result<Json<ExchangeAccessToken>> {
    if let Some(g) = body.str("grant_type")? {
        if g != "client_credentials" {
            return Err(ApiError::invalid(
                "grant_type",
                "expected client_credentials",
            ));
        }
    }
    let (id, secret) =
        client_credentials(&body, &headers)?.ok_or_else(|| ApiError::missing("client_id"))?;
    let revoke_previous = body.bool("revoke_previous")?.unwrap_or(false);
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let app = client_app(&mut tx, &id, &secret).await?;
    let id_user = match body.int("id_user")? {
        Some(u) => {
            users::get(&mut tx, u, now)
                .await?
                .ok_or_else(|| ApiError::not_found("User"))?;
            if users::make_permanent(&mut tx, u).await? {
                user_event(&mut tx, "USER_CREATED", u, now).await?;
            }
            u
        }
        None => {
            let u = users::create(&mut tx, "permanent", now, None, Some(app.id)).await?;
            user_event(&mut tx, "USER_CREATED", u, now).await?;
            u
        }
    };
    let token = tokens::create(&mut tx, id_user, "permanent", now, None).await?;
    if revoke_previous {
        tokens::revoke_all_but(&mut tx, id_user, &token, now).await?;
    }
    tx.commit().await?;
    Ok(Json(ExchangeAccessToken::bearer(token)))
}

/// `DELETE /auth/token`: revokes the token the request was made with.
#[utoipa::path(delete, path = "/2.0/auth/token", operation_id = "revokeAccessToken", tag = "auth",
    responses((status = 204, description = "Revoked")),
    security(("bearerAuth" = [])))]
pub async fn revoke(State(st): State<AppState>, who: Principal) -> Result<StatusCode> {
    let Principal::User {
        id_token: Some(id_token),
        ..
    } = who
    else {
        return Err(ApiError::Unauthorized);
    };
    let mut tx = st.db.begin().await?;
    tokens::revoke(&mut tx, id_token, st.clock.now()).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
