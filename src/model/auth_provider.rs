//! Webhook auth providers (`/webhooks/auth`): HMAC secrets that sign webhook deliveries.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A provider as listed: its secret is never shown again after creation.
#[derive(Serialize, ToSchema, sqlx::FromRow)]
pub struct AuthProvider {
    pub id: i64,
    /// `hmac_signature`.
    #[serde(rename = "type")]
    #[sqlx(rename = "type")]
    pub kind: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuthProvidersList {
    pub authproviders: Vec<AuthProvider>,
    pub total: usize,
}

#[derive(Serialize, ToSchema)]
pub struct AuthProviderSecret {
    pub secret_key: String,
}

/// The provider as created: its secret is shown this once.
#[derive(Serialize, ToSchema)]
pub struct AuthProviderCreated {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub config: AuthProviderSecret,
}

/// `POST /webhooks/auth` (config token; JSON, form or query parameters). The handler reads
/// it field by field, so this type only describes it.
#[derive(Deserialize, ToSchema)]
pub struct AuthProviderRequest {
    /// `hmac_signature`.
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
}
