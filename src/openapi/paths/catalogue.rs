//! Connectors and their deprecated aliases, account types, currencies, webhook auth
//! providers (powens-api.md §5, §9, §10, §13).

use crate::openapi::schemas::*;

/// Visible connectors.
#[utoipa::path(get, path = "/2.0/connectors", tag = "catalogue",
    params(
        ("country_codes" = Option<String>, Query, description = "A comma list of ISO 3166 codes"),
        ("expand" = Option<String>, Query, description = "`sources`, `fields`, `countries`, `urls`"),
    ),
    responses((status = 200, description = "The connectors", body = ConnectorsList)))]
pub fn connectors() {}

/// Hides or shows connectors (config token).
#[utoipa::path(patch, path = "/2.0/connectors", tag = "catalogue",
    request_body(content = ConnectorsPatch),
    responses((status = 200, description = "The connectors changed", body = ConnectorsList)),
    security(("bearerAuth" = [])))]
pub fn connectors_patch() {}

#[utoipa::path(get, path = "/2.0/connectors/{key}", tag = "catalogue",
    params(
        ("key" = String, Path, description = "The connector's uuid (or its deprecated integer id)"),
        ("expand" = Option<String>, Query, description = "`sources`, `fields`, `countries`, `urls`"),
    ),
    responses((status = 200, description = "The connector", body = Connector)))]
pub fn connector() {}

/// Hides or shows a connector, or several (a comma list of ids), with the config token.
#[utoipa::path(put, path = "/2.0/connectors/{key}", tag = "catalogue",
    params(("key" = String, Path, description = "A uuid, an id, or a comma list")),
    request_body(content = ConnectorSettings),
    responses((status = 200, description = "The connector (a list for several)", body = ConnectorOrList)),
    security(("bearerAuth" = [])))]
pub fn connector_update() {}

#[utoipa::path(get, path = "/2.0/connectors/{key}/sources", tag = "catalogue",
    params(("key" = String, Path, description = "The connector's uuid or id")),
    responses((status = 200, description = "The connector's sources", body = ConnectorSourcesList)))]
pub fn connector_sources() {}

#[utoipa::path(get, path = "/2.0/connectors/{key}/sources/{id}", tag = "catalogue",
    params(("key" = String, Path, description = "The connector's uuid or id"), ("id" = String, Path, description = "The source's id or name")),
    responses((status = 200, description = "The source", body = ConnectorSource)))]
pub fn connector_source() {}

/// The credentials form.
#[utoipa::path(get, path = "/2.0/connectors/{key}/fields", tag = "catalogue",
    params(("key" = String, Path, description = "The connector's uuid or id")),
    responses((status = 200, description = "The connector's fields", body = ConnectorFieldsList)))]
pub fn connector_fields() {}

/// Deprecated: connectors with the `bank` capability.
#[utoipa::path(get, path = "/2.0/banks", tag = "catalogue",
    params(
        ("country_codes" = Option<String>, Query),
        ("expand" = Option<String>, Query),
    ),
    responses((status = 200, description = "The banks", body = BanksList)))]
pub fn banks() {}

/// Deprecated alias of `/connectors/{key}`.
#[utoipa::path(get, path = "/2.0/banks/{key}", tag = "catalogue",
    params(("key" = String, Path), ("expand" = Option<String>, Query)),
    responses((status = 200, description = "The connector", body = Connector)))]
pub fn bank() {}

/// Deprecated: connectors with the `document` capability.
#[utoipa::path(get, path = "/2.0/providers", tag = "catalogue",
    params(
        ("country_codes" = Option<String>, Query),
        ("expand" = Option<String>, Query),
    ),
    responses((status = 200, description = "The providers", body = ProvidersList)))]
pub fn providers() {}

/// Deprecated alias of `/connectors/{key}`.
#[utoipa::path(get, path = "/2.0/providers/{key}", tag = "catalogue",
    params(("key" = String, Path), ("expand" = Option<String>, Query)),
    responses((status = 200, description = "The connector", body = Connector)))]
pub fn provider() {}

#[utoipa::path(get, path = "/2.0/account_types", tag = "catalogue",
    responses((status = 200, description = "Every account type", body = AccountTypesList)))]
pub fn account_types() {}

#[utoipa::path(get, path = "/2.0/account_types/{key}", tag = "catalogue",
    params(("key" = String, Path, description = "The type's id (or its name)")),
    responses((status = 200, description = "The account type", body = AccountType)))]
pub fn account_type() {}

#[utoipa::path(get, path = "/2.0/currencies", tag = "catalogue",
    responses((status = 200, description = "Every currency", body = CurrenciesList)))]
pub fn currencies() {}

#[utoipa::path(get, path = "/2.0/currencies/{id}", tag = "catalogue",
    params(("id" = String, Path, description = "ISO 4217 code")),
    responses((status = 200, description = "The currency", body = Currency)))]
pub fn currency() {}

/// HMAC providers for webhook signatures (config token).
#[utoipa::path(get, path = "/2.0/webhooks/auth", tag = "webhooks",
    responses((status = 200, description = "The providers", body = AuthProvidersList)),
    security(("bearerAuth" = [])))]
pub fn auth_providers() {}

/// A new HMAC provider; its secret is returned this once.
#[utoipa::path(post, path = "/2.0/webhooks/auth", tag = "webhooks",
    params(
        ("type" = Option<String>, Query, description = "As in the body"),
        ("name" = Option<String>, Query, description = "As in the body"),
    ),
    request_body(content = AuthProviderRequest, description = "JSON, form or query parameters"),
    responses((status = 200, description = "The provider", body = AuthProviderCreated)),
    security(("bearerAuth" = [])))]
pub fn auth_provider_create() {}

#[utoipa::path(delete, path = "/2.0/webhooks/auth/{id}", tag = "webhooks",
    params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted")),
    security(("bearerAuth" = [])))]
pub fn auth_provider_delete() {}
