//! Connections through the control plane.

use super::*;

#[tokio::test]
async fn a_disabled_source_is_not_updated_by_later_syncs() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let base = format!("/users/me/connections/{id}/sources");
    let sid = app.get(&base, Some(&token)).await.ok()["sources"][1]["id"]
        .as_i64()
        .unwrap();
    app.post(
        &format!("{base}/{sid}"),
        Some(&token),
        json!({"disabled": true}),
    )
    .await
    .ok();
    let now = app.advance_clock("36h").await;
    assert_eq!(now["now"], "2026-01-16 22:00:00", "{now}");
    app.sync_connection(&token, id).await;
    let list = app.get(&format!("{base}?all"), Some(&token)).await.ok();
    let by_name = |name: &str| {
        list["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("openapi")["last_update"], "2026-01-16 22:00:00");
    assert_eq!(
        by_name("directaccess")["last_update"],
        CLOCK_START,
        "skipped by the sync: {list}"
    );
    let c = app
        .get(&format!("/users/me/connections/{id}"), Some(&token))
        .await
        .ok();
    assert_eq!(c["last_update"], "2026-01-16 22:00:00");
}

#[tokio::test]
async fn logs_follow_the_sandbox_clock_and_filter_on_it() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    app.advance_clock("2d").await;
    app.sync_connection(&token, id).await;
    app.advance_clock("2d").await;
    app.sync_connection(&token, id).await;
    let base = format!("/users/me/connections/{id}/logs");
    let b = app.get(&base, Some(&token)).await.ok();
    assert_eq!(b["total"], 3);
    assert_eq!(b["first_date"], CLOCK_START);
    assert_eq!(b["last_date"], "2026-01-19 10:00:00");
    let stamps: Vec<&str> = b["connectionlogs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["timestamp"].as_str().unwrap())
        .collect();
    assert_eq!(
        stamps,
        [
            "2026-01-19 10:00:00",
            "2026-01-17 10:00:00",
            "2026-01-15 10:00:00"
        ]
    );
    let mid = app
        .get(
            &format!("{base}?min_date=2026-01-16&max_date=2026-01-17"),
            Some(&token),
        )
        .await
        .ok();
    assert_eq!(mid["total"], 1, "{mid}");
    assert_eq!(mid["connectionlogs"][0]["timestamp"], "2026-01-17 10:00:00");
}

#[tokio::test]
async fn the_control_plane_refuses_user_tokens() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .call(
            Method::POST,
            "/sandbox/clock",
            Some(&token),
            Some(json!({"advance": "1d"})),
        )
        .await;
    assert!(
        r.status == 401 || r.status == 403,
        "status {} {}",
        r.status,
        r.text
    );
    let clock = app.control(Method::GET, "/sandbox/clock", None).await.ok();
    assert_eq!(clock["now"], CLOCK_START, "{clock}");
    assert_eq!(clock["frozen"], true, "{clock}");
}
