//! The Powens objects as the sandbox sends them, for the OpenAPI document. Handlers build
//! their bodies as JSON values; these types only describe them, and the HTTP tests validate
//! every response against the document, so a field added to a body and not here (or the
//! other way round) fails a test.

#![allow(dead_code)]

use utoipa::ToSchema;

// Transitional: the catalogue's types now live in `model`; these names keep the shadow types
// that still embed them compiling until those are typed too.
pub use crate::model::catalogue::ConnectorField as CredentialsField;
pub use crate::model::connector::Connector;

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
