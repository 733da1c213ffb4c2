//! Creating a connection: its sources in priority order, the scenario its credentials run
//! into, and the first sync. Used by the API, the control plane and the webview.

use crate::error::{ApiError, Result};
use crate::model::catalogue::{Connector, ConnectorSource};
use crate::model::format;
use crate::state::AppState;
use crate::store::{self, connections::Connection, connections::NewConnection};
use crate::sync::options::Options;
use crate::sync::run::sync;
use crate::sync::sources::is_psd2;
use crate::sync::{resume, states};
use chrono::NaiveDateTime;
use serde_json::{Map, Value};
use sqlx::SqliteConnection;

/// Creates and syncs a connection. `Ok(Err(c))` means the bank refused the credentials:
/// the caller must drop the transaction so nothing is kept. `consented`: the PSU approved
/// in the bank's own pages (webauth), which gives every PSD2 source its 180-day consent.
#[allow(clippy::too_many_arguments)]
pub async fn connection(
    conn: &mut SqliteConnection,
    st: &AppState,
    id_user: i64,
    connector: &Connector,
    sources: &[&ConnectorSource],
    values: Map<String, Value>,
    consented: bool,
    now: NaiveDateTime,
) -> Result<std::result::Result<Connection, Connection>> {
    let login = values
        .get("login")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("psu-{id_user}"));
    let id = store::connections::insert(
        conn,
        &NewConnection {
            id_user,
            id_connector: connector.id,
            connector_uuid: &connector.uuid,
            login: &login,
            credentials: &values,
            now,
        },
    )
    .await?;
    for s in sources {
        store::connections::insert_source(conn, id, s.id, &s.name, s.priority, now).await?;
    }
    // Credentials given to a PSD2 source count as the PSU's consent, for 180 days.
    for mut src in store::connections::sources(conn, id).await? {
        let accepts_credentials = sources.iter().any(|s| {
            s.id == src.id_connector_source
                && s.available_auth_mechanisms
                    .iter()
                    .any(|m| m == "credentials")
        });
        if is_psd2(&src) && (accepts_credentials || consented) {
            src.access_expire = Some(format::datetime(states::consent_until(now)));
            store::connections::save_source(conn, &src).await?;
        }
    }
    let mut c = store::connections::by_id(conn, id)
        .await?
        .ok_or_else(|| ApiError::internal("connection vanished"))?;
    if !resume::start_scenario(connector, &mut c, now) {
        c.error_message = resume::pending(&c).and_then(|p| p.error_message);
        return Ok(Err(c));
    }
    store::connections::save(conn, &c).await?;
    sync(
        conn,
        st,
        &mut c,
        now,
        Options {
            psu_requested: true,
        },
    )
    .await?;
    Ok(Ok(c))
}
