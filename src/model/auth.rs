//! The answers of `/auth/...` and `/webauth-url`, and the bodies they read.
//!
//! The request types are documentation only: the handlers read JSON or form fields (and
//! HTTP Basic), so they describe what is accepted without being deserialized.

use serde::Serialize;
use utoipa::ToSchema;

/// `POST /auth/init`.
#[derive(ToSchema)]
pub struct AuthInitRequest {
    /// With `client_secret`: a permanent user; without: a temporary one (30 minutes).
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

/// A new user's token.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccessToken {
    pub auth_token: String,
    /// `permanent` or `temporary`.
    #[schema(example = "permanent")]
    #[serde(rename = "type")]
    pub kind: String,
    pub id_user: i64,
    /// Only for temporary tokens: seconds left. Observed on the real API: no key at all for
    /// permanent tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
}

/// A temporary code.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuthCode {
    pub code: String,
    #[schema(example = "temporary")]
    #[serde(rename = "type")]
    pub kind: String,
    /// `standard` (requestAccess) or `single` (singleAccess).
    pub access: String,
    pub expires_in: Option<i64>,
}

/// `POST /auth/token/access` (JSON or form; the client may also use HTTP Basic).
#[derive(ToSchema)]
pub struct ExchangeAccessTokenRequest {
    /// `authorization_code` (the default).
    pub grant_type: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub code: String,
    pub redirect_uri: Option<String>,
}

/// `POST /auth/renew`.
#[derive(ToSchema)]
pub struct RenewAccessTokenRequest {
    /// `client_credentials`.
    pub grant_type: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// Omitted: a new user is created.
    pub id_user: Option<i64>,
    pub revoke_previous: Option<bool>,
}

/// A permanent token, as `/auth/token/access` and `/auth/renew` answer it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExchangeAccessToken {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
}

impl ExchangeAccessToken {
    pub fn bearer(access_token: String) -> ExchangeAccessToken {
        ExchangeAccessToken {
            access_token,
            token_type: "Bearer".into(),
        }
    }
}

/// `GET /webauth-url`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebauthUrl {
    pub url: String,
}
