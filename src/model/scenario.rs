//! The control plane's scenario bodies (`POST /sandbox/scenario`, `POST /sandbox/users`):
//! the documents the loader deserializes and the answers it sends.

use crate::model::control_bank::InjectedTransaction;
use crate::model::format::DateTime;
use crate::model::lenient;
use crate::model::states::ConnectionState;
use serde::de::Error;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioClock {
    #[schema(value_type = Option<DateTime>)]
    pub set: Option<String>,
    pub freeze: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioAccounts {
    /// `"all"` (default), `"none"`, or a list of account types to enable.
    #[serde(default = "all")]
    #[schema(value_type = Object)]
    pub enabled: Value,
    /// Account types the bank no longer shows (they get `deleted`).
    #[serde(default)]
    pub deleted: Vec<String>,
}

fn all() -> Value {
    Value::String("all".into())
}

impl Default for ScenarioAccounts {
    fn default() -> Self {
        ScenarioAccounts {
            enabled: all(),
            deleted: vec![],
        }
    }
}

impl ScenarioAccounts {
    /// Whether the scenario enables the accounts of this type.
    pub fn enables(&self, kind: &str) -> bool {
        match &self.enabled {
            Value::String(s) => s == "all",
            Value::Array(list) => list.iter().any(|v| v.as_str() == Some(kind)),
            Value::Bool(b) => *b,
            _ => false,
        }
    }
}

/// A transaction at the bank (the fields of an injected one) and the account it goes to.
#[derive(Debug, ToSchema)]
pub struct ScenarioTransaction {
    /// The account type the transaction goes to.
    pub account: String,
    #[serde(flatten)]
    pub transaction: InjectedTransaction,
}

/// Read by hand, so that a refusal inside the transaction still names its field (serde's
/// `flatten` would read the transaction from a buffer that no longer knows the path).
impl<'de> Deserialize<'de> for ScenarioTransaction {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut fields = Map::<String, Value>::deserialize(d)?;
        let account = match fields.remove("account") {
            None | Some(Value::Null) => return Err(D::Error::missing_field("account")),
            Some(Value::String(s)) => s,
            Some(_) => {
                return Err(D::Error::custom(lenient::nested(
                    "account",
                    "expected an account type",
                )))
            }
        };
        let transaction = serde_path_to_error::deserialize(Value::Object(fields)).map_err(|e| {
            D::Error::custom(lenient::nested(
                &e.path().to_string(),
                &e.inner().to_string(),
            ))
        })?;
        Ok(ScenarioTransaction {
            account,
            transaction,
        })
    }
}

/// A scenario connection: either the scenario's own keys (`connector`, `login`, `password`,
/// `fields`) or a ConnectionRequest as `POST /users/{id}/connections` takes it
/// (`id_connector` or `connector_uuid`, `source`, the connector's own fields), plus the
/// scenario's keys. Any other key is refused by name once the connector (and so its fields)
/// is known.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ScenarioConnection {
    /// A connector uuid or id (or give `id_connector` / `connector_uuid`).
    #[schema(value_type = Option<Object>)]
    pub connector: Option<Value>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub id_connector: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub connector_uuid: Option<String>,
    /// Only this source of the connector.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub source: Option<String>,
    pub login: Option<String>,
    pub password: Option<String>,
    /// Other field values (e.g. `openapiwebsite`).
    #[serde(default)]
    #[schema(value_type = Option<std::collections::BTreeMap<String, String>>)]
    pub fields: Map<String, Value>,
    /// A ConnectionState to put the connection in after its first sync.
    pub state: Option<String>,
    /// How long ago PSD2 consent was given, e.g. `179d`.
    pub consent_age: Option<String>,
    #[serde(default)]
    pub accounts: ScenarioAccounts,
    #[serde(default)]
    pub transactions: Vec<ScenarioTransaction>,
    /// The connector's own fields, given as in a ConnectionRequest.
    #[serde(flatten)]
    #[schema(ignore)]
    pub request: Map<String, Value>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioUser {
    #[serde(default)]
    pub connections: Vec<ScenarioConnection>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioDocument {
    pub clock: Option<ScenarioClock>,
    #[serde(default)]
    pub users: Vec<ScenarioUser>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoadedAccount {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub disabled: Option<DateTime>,
    pub deleted: Option<DateTime>,
    pub nb_transactions: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoadedConnection {
    pub id: i64,
    pub id_connector: i64,
    pub state: Option<ConnectionState>,
    pub accounts: Vec<LoadedAccount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoadedUser {
    pub id_user: i64,
    pub auth_token: String,
    pub connections: Vec<LoadedConnection>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoadedScenario {
    pub now: DateTime,
    pub users: Vec<LoadedUser>,
}
