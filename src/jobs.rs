//! Due work, run by the background scheduler and by `POST /sandbox/tick`: background syncs
//! of connections whose `next_try` has come (as `psu_requested=false`), and the purge of
//! temporary users whose 30 minutes are over. Each connection syncs in its own transaction.

use crate::error::Result;
use crate::model::states::ConnectionState;
use crate::state::AppState;
use crate::store::{self, users};
use crate::sync::{self, Action, Applied};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Ran {
    pub job: &'static str,
    pub id_connection: Option<i64>,
    pub id_user: Option<i64>,
    pub state: Option<ConnectionState>,
    pub new_transactions: usize,
}

pub async fn run_due(st: &AppState) -> Result<Vec<Ran>> {
    let now = st.clock.now();
    let mut ran = Vec::new();
    let due = {
        let mut conn = st.db.reader.acquire().await?;
        store::connections::due(&mut conn, now).await?
    };
    for id in due {
        let mut tx = st.db.begin().await?;
        // Re-read inside the write transaction: it may have been synced or deleted meanwhile.
        let Some(mut c) = store::connections::by_id(&mut tx, id).await? else {
            continue;
        };
        if !c.active
            || c.next_try
                .as_deref()
                .is_none_or(|t| t > crate::model::format::datetime(now).as_str())
        {
            continue;
        }
        let background = Action::Sync {
            psu_requested: false,
        };
        let report = sync::apply(&mut tx, st, &mut c, background, now)
            .await?
            .into_report();
        tx.commit().await?;
        ran.push(Ran {
            job: "sync",
            id_connection: Some(c.id),
            id_user: Some(c.id_user),
            state: c.state.clone(),
            new_transactions: report.synced.iter().map(|(_, ids)| ids.len()).sum(),
        });
    }
    ran.extend(finish_validations(st).await?);
    let mut tx = st.db.begin().await?;
    let purged = users::purge_expired(&mut tx, now).await?;
    tx.commit().await?;
    st.webhooks.wake();
    if purged > 0 {
        ran.push(Ran {
            job: "purge_temporary_users",
            id_connection: None,
            id_user: None,
            state: None,
            new_transactions: purged as usize,
        });
    }
    Ok(ran)
}

/// The background scheduler: looks for due work every `interval` of real time.
pub fn spawn_scheduler(st: AppState, interval: std::time::Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            let zone = st.config.timezone;
            if let Err(e) = crate::model::format::in_zone(zone, run_due(&st)).await {
                tracing::warn!(error = %e, "scheduled work failed; retrying at the next tick");
            }
        }
    })
}

/// Decoupled validations started with `?background` complete once the bank's app confirms.
async fn finish_validations(st: &AppState) -> Result<Vec<Ran>> {
    let now = st.clock.now();
    let ids: Vec<i64> = {
        let mut conn = st.db.reader.acquire().await?;
        store::connections::validating(&mut conn).await?
    };
    let mut ran = Vec::new();
    for id in ids {
        let mut tx = st.db.begin().await?;
        let Some(mut c) = store::connections::by_id(&mut tx, id).await? else {
            continue;
        };
        if let Applied::Unchanged =
            sync::apply(&mut tx, st, &mut c, Action::ValidationDue, now).await?
        {
            continue;
        }
        tx.commit().await?;
        ran.push(Ran {
            job: "decoupled_validated",
            id_connection: Some(c.id),
            id_user: Some(c.id_user),
            state: c.state.clone(),
            new_transactions: 0,
        });
    }
    Ok(ran)
}
