//! `/webhooks/auth` (config token): HMAC auth providers for webhook signatures. The secret
//! is returned once, at creation.

use crate::api::extract::{Fields, Params};
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::auth_provider::{
    AuthProviderCreated, AuthProviderRequest, AuthProviderSecret, AuthProvidersList,
};
use crate::state::AppState;
use crate::store::auth_providers;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rand::RngCore;

/// A new HMAC provider; its secret is returned this once.
/// `{type: "hmac_signature", name}` as JSON, form or query parameters.
#[utoipa::path(post, path = "/2.0/webhooks/auth", tag = "webhooks",
    params(
        ("type" = Option<String>, Query, description = "As in the body"),
        ("name" = Option<String>, Query, description = "As in the body"),
    ),
    request_body(content = AuthProviderRequest, description = "JSON, form or query parameters"),
    responses((status = 200, description = "The provider", body = AuthProviderCreated)),
    security(("bearerAuth" = [])))]
pub async fn create(
    State(st): State<AppState>,
    who: Principal,
    params: Params,
    body: Fields,
) -> Result<Json<AuthProviderCreated>> {
    who.require_config()?;
    let kind = body
        .str("type")?
        .or(params.text("type").map(str::to_owned))
        .ok_or_else(|| ApiError::missing("type"))?;
    let name = body
        .str("name")?
        .or(params.text("name").map(str::to_owned))
        .ok_or_else(|| ApiError::missing("name"))?;
    if kind != "hmac_signature" {
        return Err(ApiError::invalid(
            "type",
            "the sandbox supports hmac_signature providers",
        ));
    }
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || " _-.".contains(c))
    {
        return Err(ApiError::invalid(
            "name",
            "1 to 64 letters, digits, spaces, '_', '-' or '.'",
        ));
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    let mut tx = st.db.begin().await?;
    let id = auth_providers::create(&mut tx, &kind, &name, &secret, st.clock.now()).await?;
    tx.commit().await?;
    Ok(Json(AuthProviderCreated {
        id,
        kind,
        name,
        config: AuthProviderSecret { secret_key: secret },
    }))
}

/// HMAC providers for webhook signatures (config token).
#[utoipa::path(get, path = "/2.0/webhooks/auth", tag = "webhooks",
    responses((status = 200, description = "The providers", body = AuthProvidersList)),
    security(("bearerAuth" = [])))]
pub async fn list(State(st): State<AppState>, who: Principal) -> Result<Json<AuthProvidersList>> {
    who.require_config()?;
    let mut conn = st.db.reader.acquire().await?;
    let authproviders = auth_providers::list(&mut conn).await?;
    let total = authproviders.len();
    Ok(Json(AuthProvidersList {
        authproviders,
        total,
    }))
}

#[utoipa::path(delete, path = "/2.0/webhooks/auth/{id}", tag = "webhooks",
    params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted")),
    security(("bearerAuth" = [])))]
pub async fn delete(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    who.require_config()?;
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::not_found("Auth provider"))?;
    let mut tx = st.db.begin().await?;
    if !auth_providers::delete(&mut tx, id).await? {
        return Err(ApiError::not_found("Auth provider"));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
