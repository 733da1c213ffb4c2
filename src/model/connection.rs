//! The Connection and ConnectionSource objects.

use crate::store::connections::{Connection, Source};
use serde_json::{json, Value};

pub fn connection_json(c: &Connection) -> Value {
    let fields: Value = c
        .fields
        .as_deref()
        .and_then(|f| serde_json::from_str(f).ok())
        .unwrap_or(Value::Null);
    let mut v = json!({
        "id": c.id,
        "id_user": c.id_user,
        "id_connector": c.id_connector,
        "id_bank": c.id_connector,
        "connector_uuid": c.connector_uuid,
        "state": c.state,
        // Deprecated mirror of `state`, still read by older clients.
        "error": c.state,
        "error_message": c.error_message,
        "last_update": c.last_update,
        "created": c.created,
        "active": c.active,
        "last_push": c.last_push,
        "expire": c.expire,
        "next_try": c.next_try,
    });
    if !fields.is_null() {
        v["fields"] = fields;
    }
    v
}

pub fn source_json(s: &Source) -> Value {
    json!({
        "id": s.id,
        "id_connection": s.id_connection,
        "id_connector_source": s.id_connector_source,
        "name": s.name,
        "state": s.state,
        "error_message": s.error_message,
        "last_update": s.last_update,
        "created": s.created,
        "disabled": s.disabled,
        "access_expire": s.access_expire,
        "expire": s.expire,
        "next_try": s.next_try,
        "priority": s.priority,
    })
}
