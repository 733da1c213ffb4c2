//! The Connection and ConnectionSource objects, their list envelopes and the bodies that
//! create and change them.

use crate::model::account::BankAccount;
use crate::model::catalogue::ConnectorField;
use crate::model::connector::Connector;
use crate::model::connector::ConnectorSource;
use crate::model::document::Subscription;
use crate::model::format::DateTime;
use crate::model::states::ConnectionState;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::openapi::schema::{ArrayBuilder, Schema};
use utoipa::openapi::{Ref, RefOr};
use utoipa::ToSchema;

/// A connection; `fields` only when the PSU must fill a form, the rest only with `expand`.
///
/// Field order is the wire order. The expansions come after the base fields in a fixed order
/// (connector, sources, accounts, all_accounts, subscriptions, all_subscriptions).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Connection {
    pub id: i64,
    pub id_user: i64,
    pub id_connector: i64,
    /// Deprecated alias of `id_connector`.
    pub id_bank: i64,
    pub connector_uuid: String,
    /// A ConnectionState, or null when the last sync went well.
    pub state: Option<ConnectionState>,
    /// Deprecated mirror of `state`, still read by older clients.
    pub error: Option<ConnectionState>,
    pub error_message: Option<String>,
    pub last_update: Option<DateTime>,
    pub created: DateTime,
    pub active: bool,
    pub last_push: Option<DateTime>,
    pub expire: Option<DateTime>,
    pub next_try: Option<DateTime>,
    /// The form the PSU must fill, while the connection waits for more information.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = credentials_fields, required = false)]
    pub fields: Option<Vec<ConnectorField>>,
    /// `expand=connector`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub connector: Option<Connector>,
    /// `expand=sources`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Vec<ConnectionSource>, required = false)]
    pub sources: Option<Vec<ConnectionSource>>,
    /// `expand=accounts`: the enabled accounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Vec<BankAccount>, required = false)]
    pub accounts: Option<Vec<BankAccount>>,
    /// `expand=all_accounts`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Vec<BankAccount>, required = false)]
    pub all_accounts: Option<Vec<BankAccount>>,
    /// `expand=subscriptions`: the enabled subscriptions (Bill connectors).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Vec<Subscription>, required = false)]
    pub subscriptions: Option<Vec<Subscription>>,
    /// `expand=all_subscriptions`: disabled and deleted ones too.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Vec<Subscription>, required = false)]
    pub all_subscriptions: Option<Vec<Subscription>>,
}

/// An array of a component named elsewhere: the pending form's fields are documented under
/// the name the credentials form uses.
fn array_of(name: &str, description: &str) -> Schema {
    ArrayBuilder::new()
        .items(RefOr::Ref(Ref::from_schema_name(name)))
        .description(Some(description))
        .build()
        .into()
}

fn credentials_fields() -> Schema {
    array_of("CredentialsField", "The form the PSU must fill.")
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConnectionsList {
    pub connections: Vec<Connection>,
    pub total: i64,
}

/// One of a connection's sources (a way of reaching the bank: API, scraping...).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConnectionSource {
    pub id: i64,
    pub id_connection: i64,
    pub id_connector_source: i64,
    #[schema(example = "openapi")]
    pub name: String,
    pub state: Option<ConnectionState>,
    pub error_message: Option<String>,
    pub last_update: Option<DateTime>,
    pub created: DateTime,
    pub disabled: Option<DateTime>,
    /// When PSD2 consent expires (consent + 180 days).
    pub access_expire: Option<DateTime>,
    pub expire: Option<DateTime>,
    pub next_try: Option<DateTime>,
    pub priority: i64,
    /// The connector's source this one was added from (`name`, `priority`,
    /// `auth_mechanism`, `disabled`...), as `GET /connectors/{id}/sources` shows it; null
    /// only if the connector has left the catalogue.
    pub source: Option<ConnectorSource>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConnectionSourcesList {
    pub sources: Vec<ConnectionSource>,
    pub total: i64,
}

/// `POST /users/{user}/connections`: the connector, then the values of its fields (`login`,
/// `password`, `openapiwebsite`...) as strings. Documentation only: the handler reads the
/// body as free fields, because the field names depend on the connector.
#[derive(ToSchema)]
pub struct ConnectionRequest {
    pub connector_uuid: Option<String>,
    /// Deprecated: use `connector_uuid`.
    pub id_connector: Option<i64>,
    /// The source to use, as `?source=` does.
    pub source: Option<String>,
    #[serde(flatten)]
    #[schema(additional_properties)]
    pub fields: BTreeMap<String, String>,
}

/// `POST /users/{user}/connections/{id}`: new field values (credentials, `otp`), or one of
/// the actions; an empty body performs a pending SCA and syncs with the PSU present.
/// Documentation only, as [`ConnectionRequest`].
#[derive(ToSchema)]
pub struct ConnectionUpdateRequest {
    /// The connector's source to add to the connection (as `?source=`), in priority order,
    /// with its field values.
    pub source: Option<String>,
    pub resume: Option<bool>,
    pub refresh_auth: Option<bool>,
    pub otp: Option<String>,
    pub active: Option<bool>,
    pub expire: Option<DateTime>,
    #[serde(flatten)]
    #[schema(additional_properties)]
    pub fields: BTreeMap<String, String>,
}

/// `POST /users/{user}/connections/{id}/sources/{sid}`. Documentation only.
#[derive(ToSchema)]
pub struct SourceUpdateRequest {
    pub disabled: Option<bool>,
}
