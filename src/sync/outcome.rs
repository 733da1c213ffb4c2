//! What the bank answers when a source logs in: success, or a connection state with an
//! optional message and fields to prompt. Pure functions of the connection and `now`.

use crate::model::catalogue::{Connector, ConnectorField};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Ok,
    Fail {
        state: &'static str,
        message: Option<String>,
        fields: Option<Vec<ConnectorField>>,
    },
}

impl Outcome {
    pub fn fail(state: &'static str, message: &str) -> Outcome {
        Outcome::Fail {
            state,
            message: Some(message.to_string()),
            fields: None,
        }
    }

    pub fn state(&self) -> Option<&'static str> {
        match self {
            Outcome::Ok => None,
            Outcome::Fail { state, .. } => Some(state),
        }
    }
}

pub fn value<'a>(credentials: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    credentials.get(key).and_then(Value::as_str)
}

/// The connector's credential fields (login, password...), as prompted again after wrongpass.
pub fn credential_fields(connector: &Connector) -> Vec<ConnectorField> {
    connector
        .fields
        .iter()
        .filter(|f| f.kind == "text" || f.kind == "password")
        .cloned()
        .collect()
}
