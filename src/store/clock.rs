//! The persisted clock setting.

use crate::clock::ClockSetting;
use crate::model::format;
use chrono::TimeDelta;
use sqlx::SqliteConnection;

pub async fn load(conn: &mut SqliteConnection) -> sqlx::Result<ClockSetting> {
    let (offset_ms, frozen_at): (i64, Option<String>) =
        sqlx::query_as("SELECT offset_ms, frozen_at FROM sandbox_clock WHERE id = 1")
            .fetch_one(conn)
            .await?;
    Ok(ClockSetting {
        offset: TimeDelta::milliseconds(offset_ms),
        frozen_at: frozen_at.as_deref().and_then(format::parse_datetime),
    })
}

pub async fn save(conn: &mut SqliteConnection, s: &ClockSetting) -> sqlx::Result<()> {
    sqlx::query("UPDATE sandbox_clock SET offset_ms = ?, frozen_at = ? WHERE id = 1")
        .bind(s.offset.num_milliseconds())
        .bind(s.frozen_at.map(format::datetime))
        .execute(conn)
        .await?;
    Ok(())
}
