//! The catalogue as it is written in `seed/` and as it is served: connectors with their
//! sources and fields, account types, currencies, client applications. The seed types are
//! strict (`deny_unknown_fields`) so a typo in a seed file fails at start, not at request time.
//!
//! The parts served exactly as written (country, stability, form fields, account types,
//! currencies) are also their wire types; the served connector and source, which add
//! computed fields, are in [`super::connector`].

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, Serialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Connector {
    pub id: i64,
    pub uuid: String,
    pub name: String,
    pub code: Option<String>,
    pub slug: Option<String>,
    pub color: Option<String>,
    pub hidden: bool,
    pub restricted: bool,
    pub beta: bool,
    pub charged: bool,
    pub months_to_fetch: Option<i64>,
    pub siret: Option<String>,
    pub capabilities: Vec<String>,
    pub products: Vec<String>,
    pub account_types: Vec<String>,
    pub account_usages: Option<Vec<String>>,
    pub countries: Vec<Country>,
    pub urls: Option<Vec<String>>,
    pub stability: Stability,
    /// How far back a new login's ledger goes, in days.
    pub history_days: i64,
    /// Average new transactions per account per day.
    pub daily_transactions: f64,
    /// Sandbox seconds before a decoupled validation completes.
    pub decoupled_delay_secs: i64,
    pub sources: Vec<ConnectorSource>,
    pub fields: Vec<ConnectorField>,
}

#[derive(Deserialize, Serialize, ToSchema, Clone, Debug)]
#[serde(deny_unknown_fields)]
#[schema(as = ConnectorCountry)]
pub struct Country {
    pub id: String,
    pub name: String,
}

#[derive(Deserialize, Serialize, ToSchema, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Stability {
    /// `stable` or `unstable`.
    pub status: String,
    #[schema(value_type = crate::model::format::DateTime)]
    pub last_update: String,
}

#[derive(Deserialize, Serialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ConnectorSource {
    pub id: i64,
    pub name: String,
    pub auth_mechanism: String,
    pub available_auth_mechanisms: Vec<String>,
    pub priority: i64,
    pub disabled: Option<String>,
    pub account_types: Vec<String>,
}

#[derive(Deserialize, Serialize, ToSchema, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
/// A form field of a connector (and of a connection waiting for more information).
#[schema(as = CredentialsField)]
pub struct ConnectorField {
    pub name: String,
    pub label: String,
    pub description: Option<String>,
    /// `text`, `password`, `list`, `date`, `number`.
    #[serde(rename = "type")]
    pub kind: String,
    pub required: bool,
    pub regex: Option<String>,
    pub values: Option<Vec<FieldValue>>,
    pub auth_mechanisms: Vec<String>,
    pub connector_sources: Vec<String>,
}

#[derive(Deserialize, Serialize, ToSchema, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FieldValue {
    pub label: String,
    pub value: String,
}

#[derive(Deserialize, Serialize, ToSchema, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct AccountType {
    pub id: i64,
    pub name: String,
    pub id_parent: Option<i64>,
    pub is_invest: bool,
    pub display_name: String,
    pub display_name_p: String,
}

#[derive(Deserialize, Serialize, ToSchema, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Currency {
    #[schema(example = "EUR")]
    pub id: String,
    pub name: String,
    pub symbol: String,
    #[schema(value_type = i64)]
    pub precision: u32,
    pub prefix: bool,
    pub crypto: bool,
}

#[derive(Deserialize, Serialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ClientApp {
    pub client_id: String,
    pub client_secret: String,
    pub name: String,
    pub redirect_uris: Vec<String>,
}

/// `GET /account_types`.
#[derive(Serialize, ToSchema)]
pub struct AccountTypesList {
    pub accounttypes: Vec<AccountType>,
    pub total: usize,
}

/// `GET /currencies`.
#[derive(Serialize, ToSchema)]
pub struct CurrenciesList {
    pub currencies: Vec<Currency>,
    pub total: usize,
}
