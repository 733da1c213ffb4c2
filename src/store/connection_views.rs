//! Connections and sources as the API shows them: the wire types built from the stored
//! records. The records (in [`super::connections`]) keep what the engine needs; this module
//! is the one place that turns them into Powens objects, so the model needs nothing above it.

use crate::model::catalogue::{Connector, ConnectorField};
use crate::model::connection::{Connection, ConnectionSource};
use crate::model::connector::ConnectorSource;
use crate::model::format::DateTime;
use crate::store::connections::{self as records, Source};
use sqlx::SqliteConnection;

/// A stored DateTime. Every writer stores the Powens format, so the fallback (the epoch)
/// only keeps a corrupted row readable instead of failing the whole answer.
fn datetime(s: &str) -> DateTime {
    DateTime::parse(s).unwrap_or(DateTime(chrono::NaiveDateTime::default()))
}

fn opt_datetime(s: &Option<String>) -> Option<DateTime> {
    s.as_deref().map(datetime)
}

/// The connection without expansions.
pub fn connection(c: &records::Connection) -> Connection {
    // The pending form is stored as JSON; an unreadable one is left out, as before.
    let fields: Option<Vec<ConnectorField>> = c
        .fields
        .as_deref()
        .and_then(|f| serde_json::from_str(f).ok());
    Connection {
        id: c.id,
        id_user: c.id_user,
        id_connector: c.id_connector,
        id_bank: c.id_connector,
        connector_uuid: c.connector_uuid.clone(),
        state: c.state.clone(),
        error: c.state.clone(),
        error_message: c.error_message.clone(),
        last_update: opt_datetime(&c.last_update),
        created: datetime(&c.created),
        active: c.active,
        last_push: opt_datetime(&c.last_push),
        expire: opt_datetime(&c.expire),
        next_try: opt_datetime(&c.next_try),
        fields,
        connector: None,
        sources: None,
        accounts: None,
        all_accounts: None,
        subscriptions: None,
        all_subscriptions: None,
    }
}

/// A source as the API shows it, with the connector's source object it was added from.
pub fn source(connector: Option<&Connector>, s: &Source) -> ConnectionSource {
    let of_connector = connector.and_then(|k| {
        k.sources
            .iter()
            .find(|cs| cs.id == s.id_connector_source)
            .map(|cs| ConnectorSource::new(k, cs))
    });
    ConnectionSource {
        id: s.id,
        id_connection: s.id_connection,
        id_connector_source: s.id_connector_source,
        name: s.name.clone(),
        state: s.state.clone(),
        error_message: s.error_message.clone(),
        last_update: opt_datetime(&s.last_update),
        created: datetime(&s.created),
        disabled: opt_datetime(&s.disabled),
        access_expire: opt_datetime(&s.access_expire),
        expire: opt_datetime(&s.expire),
        next_try: opt_datetime(&s.next_try),
        priority: s.priority,
        source: of_connector,
    }
}

/// A connection's sources in priority order, as the API shows them; `all` keeps the
/// disabled ones too.
pub async fn sources(
    conn: &mut SqliteConnection,
    connector: Option<&Connector>,
    id_connection: i64,
    all: bool,
) -> sqlx::Result<Vec<ConnectionSource>> {
    Ok(records::sources(conn, id_connection)
        .await?
        .iter()
        .filter(|s| all || s.disabled.is_none())
        .map(|s| source(connector, s))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn json(c: &records::Connection) -> Value {
        serde_json::to_value(connection(c)).unwrap()
    }

    fn record() -> records::Connection {
        records::Connection {
            id: 7,
            id_user: 3,
            id_connector: 40,
            connector_uuid: "u".into(),
            login: "l".into(),
            credentials: Default::default(),
            state: Some("SCARequired".into()),
            error_message: None,
            fields: None,
            active: true,
            created: "2026-01-15 10:00:00".into(),
            last_update: None,
            last_push: None,
            expire: None,
            next_try: Some("2026-01-16 10:00:00".into()),
            bank: Default::default(),
            pending: None,
        }
    }

    #[test]
    fn a_connection_keeps_the_wire_order_and_leaves_out_what_is_not_there() {
        let v = json(&record());
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "id",
                "id_user",
                "id_connector",
                "id_bank",
                "connector_uuid",
                "state",
                "error",
                "error_message",
                "last_update",
                "created",
                "active",
                "last_push",
                "expire",
                "next_try"
            ]
        );
        assert_eq!(v["error"], "SCARequired");
        // Stored in UTC, shown in Paris time outside any request (the default zone).
        assert_eq!(v["created"], "2026-01-15 11:00:00");
        assert_eq!(v["last_update"], Value::Null);
    }

    #[test]
    fn a_pending_form_is_shown_as_stored() {
        let mut c = record();
        c.fields = Some(r#"[{"name":"otp","label":"Code","description":null,"type":"text","required":true,"regex":null,"values":null,"auth_mechanisms":["credentials"],"connector_sources":["openapi"]}]"#.into());
        let v = json(&c);
        assert_eq!(
            v["fields"].to_string(),
            c.fields.unwrap(),
            "the same bytes as the stored form"
        );
    }
}
