//! The Powens objects as the sandbox sends them, for the OpenAPI document. Handlers build
//! their bodies as JSON values; these types only describe them, and the HTTP tests validate
//! every response against the document, so a field added to a body and not here (or the
//! other way round) fails a test.

#![allow(dead_code)]

use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A DateTime in Powens' format, `YYYY-MM-DD HH:MM:SS` (no zone).
#[derive(ToSchema)]
#[schema(value_type = String, pattern = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", example = "2026-01-15 10:00:00")]
pub struct DateTime(String);

/// A date, `YYYY-MM-DD`.
#[derive(ToSchema)]
#[schema(value_type = String, pattern = r"^\d{4}-\d{2}-\d{2}$", example = "2026-01-15")]
pub struct Date(String);

/// An amount of money: an exact JSON number (never a string).
#[derive(ToSchema)]
#[schema(value_type = f64, example = -42.5)]
pub struct Money(f64);

/// The error body of every failure: `{code, description, message?, request_id}`.
#[derive(ToSchema)]
pub struct ServiceError {
    /// `invalidValue`, `missingParameter`, `unauthorized`, `forbidden`, `notFound`,
    /// `methodNotAllowed`, `noAccount`, `wrongpass`, `websiteUnavailable`, `bug`...
    #[schema(example = "invalidValue")]
    code: String,
    description: String,
    /// A message from the bank for the end user, untranslated, when there is one.
    message: Option<String>,
    request_id: Option<String>,
}

#[derive(ToSchema)]
pub struct FieldValue {
    label: String,
    value: String,
}

/// A form field of a connector (and of a connection waiting for more information).
#[derive(ToSchema)]
pub struct CredentialsField {
    name: String,
    label: String,
    description: Option<String>,
    /// `text`, `password`, `list`, `date`, `number`.
    #[serde(rename = "type")]
    kind: String,
    required: bool,
    regex: Option<String>,
    values: Option<Vec<FieldValue>>,
    auth_mechanisms: Vec<String>,
    connector_sources: Vec<String>,
}

#[derive(ToSchema)]
pub struct Stability {
    /// `stable` or `unstable`.
    status: String,
    last_update: DateTime,
}

#[derive(ToSchema)]
pub struct ConnectorCountry {
    id: String,
    name: String,
}

#[derive(ToSchema)]
pub struct ConnectorSource {
    id: i64,
    id_connector: i64,
    name: String,
    auth_mechanism: String,
    available_auth_mechanisms: Vec<String>,
    disabled: Option<DateTime>,
    priority: i64,
    account_types: Vec<String>,
    capabilities: Vec<String>,
    stability: Stability,
}

/// A connector; `sources`, `fields`, `countries` and `urls` only with `expand`.
#[derive(ToSchema)]
pub struct Connector {
    id: i64,
    uuid: String,
    name: String,
    hidden: bool,
    charged: bool,
    code: Option<String>,
    beta: bool,
    color: Option<String>,
    slug: Option<String>,
    sync_periodicity: Option<f64>,
    months_to_fetch: Option<i64>,
    auth_mechanism: Option<String>,
    available_auth_mechanisms: Vec<String>,
    transfer_mechanism: Option<String>,
    siret: Option<String>,
    restricted: bool,
    capabilities: Vec<String>,
    account_types: Vec<String>,
    account_usages: Option<Vec<String>>,
    products: Vec<String>,
    stability: Stability,
    categories: Vec<Value>,
    #[schema(required = false)]
    sources: Vec<ConnectorSource>,
    #[schema(required = false)]
    fields: Vec<CredentialsField>,
    #[schema(required = false)]
    countries: Vec<ConnectorCountry>,
    #[schema(required = false)]
    urls: Option<Vec<String>>,
}

#[derive(ToSchema)]
pub struct ConnectorsList {
    connectors: Vec<Connector>,
    total: i64,
}

/// `/banks`: connectors with the `bank` capability.
#[derive(ToSchema)]
pub struct BanksList {
    banks: Vec<Connector>,
    total: i64,
}

/// `/providers`: connectors with the `document` capability.
#[derive(ToSchema)]
pub struct ProvidersList {
    providers: Vec<Connector>,
    total: i64,
}

/// `PUT /connectors/{ids}` with several ids.
#[derive(ToSchema)]
pub struct ConnectorsUpdated {
    connectors: Vec<Connector>,
}

#[derive(ToSchema)]
pub struct ConnectorSourcesList {
    sources: Vec<ConnectorSource>,
    total: i64,
}

#[derive(ToSchema)]
pub struct ConnectorFieldsList {
    fields: Vec<CredentialsField>,
    total: i64,
}

/// `PUT /connectors/{uuid}` (config token).
#[derive(ToSchema)]
pub struct ConnectorSettings {
    hidden: Option<bool>,
}

/// `PATCH /connectors` (config token): settings by connector uuid (or id).
#[derive(ToSchema)]
pub struct ConnectorsPatch(BTreeMap<String, ConnectorSettings>);

#[derive(ToSchema)]
pub struct AccountType {
    id: i64,
    name: String,
    id_parent: Option<i64>,
    is_invest: bool,
    display_name: String,
    display_name_p: String,
}

#[derive(ToSchema)]
pub struct AccountTypesList {
    accounttypes: Vec<AccountType>,
    total: i64,
}

#[derive(ToSchema)]
pub struct Currency {
    #[schema(example = "EUR")]
    id: String,
    name: String,
    symbol: String,
    precision: i64,
    prefix: bool,
    crypto: bool,
}

#[derive(ToSchema)]
pub struct CurrenciesList {
    currencies: Vec<Currency>,
    total: i64,
}

/// The currency as embedded in an account.
#[derive(ToSchema)]
pub struct AccountCurrency {
    id: String,
    name: String,
    symbol: String,
    precision: i64,
    prefix: bool,
    crypto: bool,
    marketcap: Option<f64>,
    datetime: Option<DateTime>,
}

/// `POST /webhooks/auth` (config token; JSON, form or query parameters).
#[derive(ToSchema)]
pub struct AuthProviderRequest {
    /// `hmac_signature`.
    #[serde(rename = "type")]
    kind: String,
    name: String,
}

#[derive(ToSchema)]
pub struct AuthProviderSecret {
    secret_key: String,
}

/// The provider as created: its secret is shown this once.
#[derive(ToSchema)]
pub struct AuthProviderCreated {
    id: i64,
    #[serde(rename = "type")]
    kind: String,
    name: String,
    config: AuthProviderSecret,
}

#[derive(ToSchema)]
pub struct AuthProvider {
    id: i64,
    #[serde(rename = "type")]
    kind: String,
    name: String,
}

#[derive(ToSchema)]
pub struct AuthProvidersList {
    authproviders: Vec<AuthProvider>,
    total: i64,
}

/// `GET /health`.
#[derive(ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    status: String,
    version: String,
}

/// One connector, or `{connectors}` when the path names several.
#[derive(ToSchema)]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)] // never built: it only describes a body
pub enum ConnectorOrList {
    One(Connector),
    Several(ConnectorsUpdated),
}
