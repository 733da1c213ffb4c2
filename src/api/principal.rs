//! Who is calling: a user (through an access token or a temporary code), the config token or
//! the users token. Resolved from `Authorization: Bearer ...` against the sandbox clock.

use crate::error::{ApiError, Result};
use crate::state::AppState;
use crate::store::users;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

#[derive(Debug, Clone)]
pub enum Principal {
    User {
        id_user: i64,
        /// The access token used, when it was one (not a temporary code).
        id_token: Option<i64>,
        permanent: bool,
    },
    Config,
    Users,
}

/// The bearer token of a request, if any.
pub fn bearer(parts: &Parts) -> Option<&str> {
    let v = parts.headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = v.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let token = bearer(parts).ok_or(ApiError::Unauthorized)?;
        if token == state.config.config_token {
            return Ok(Principal::Config);
        }
        if token == state.config.users_token {
            return Ok(Principal::Users);
        }
        let found = state.db.resolve_token(token, state.clock.now()).await?;
        let r = found.ok_or(ApiError::Unauthorized)?;
        crate::traffic::acted_as(r.id_user);
        Ok(Principal::User {
            id_user: r.id_user,
            id_token: r.id_token,
            permanent: r.kind == "permanent",
        })
    }
}

impl Principal {
    /// The user a `/users/{me|id}/...` path names, as this principal may see it.
    /// Another user's id is a 404, never a 403: it must not reveal that the user exists.
    pub async fn user(&self, state: &AppState, segment: &str) -> Result<i64> {
        let wanted = match segment {
            "me" => None,
            s => Some(s.parse::<i64>().map_err(|_| ApiError::not_found("User"))?),
        };
        match (self, wanted) {
            (Principal::User { id_user, .. }, None) => Ok(*id_user),
            (Principal::User { id_user, .. }, Some(id)) if id == *id_user => Ok(id),
            (Principal::User { .. }, Some(_)) => Err(ApiError::not_found("User")),
            (Principal::Config, Some(id)) => {
                let mut conn = state.db.reader.acquire().await?;
                users::get(&mut conn, id, state.clock.now())
                    .await?
                    .map(|u| u.id)
                    .ok_or_else(|| ApiError::not_found("User"))
            }
            (Principal::Config, None) => Err(ApiError::invalid(
                "userId",
                "the config token has no user of its own; name the user by id",
            )),
            (Principal::Users, _) => Err(ApiError::Unauthorized),
        }
    }

    pub fn require_config(&self) -> Result<()> {
        match self {
            Principal::Config => Ok(()),
            _ => Err(ApiError::Unauthorized),
        }
    }
}
