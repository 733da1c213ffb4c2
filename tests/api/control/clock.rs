//! The sandbox clock and due work.

use super::*;

#[tokio::test]
async fn the_clock_starts_frozen_at_clock_start() {
    let app = spawn_frozen().await;
    let b = app.sandbox_get("/sandbox/clock").await.ok();
    assert_eq!(b["now"], CLOCK_START, "{b}");
    assert_eq!(b["frozen"], true, "{b}");
    assert_eq!(b["offset_seconds"], 0, "{b}");
}

#[tokio::test]
async fn advancing_the_clock_adds_days_hours_and_minutes() {
    let app = spawn_frozen().await;
    assert_eq!(advance(&app, "90m").await, "2026-01-15 11:30:00");
    assert_eq!(advance(&app, "36h").await, "2026-01-16 23:30:00");
    assert_eq!(advance(&app, "1d12h").await, "2026-01-18 11:30:00");
    assert_eq!(advance(&app, "180d").await, "2026-07-17 12:30:00");
    let b = app.sandbox_get("/sandbox/clock").await.ok();
    assert_eq!(b["now"], "2026-07-17 12:30:00");
    assert_eq!(b["frozen"], true, "advancing keeps it frozen");
}

#[tokio::test]
async fn setting_the_clock_moves_it_forward_to_that_instant() {
    let app = spawn_frozen().await;
    let b = clock_post(&app, json!({"set": "2026-03-01 08:15:30"}))
        .await
        .ok();
    assert_eq!(b["now"], "2026-03-01 08:15:30");
    assert_eq!(app.sandbox_now().await, "2026-03-01 08:15:30");
    // Setting the instant it already shows is allowed.
    let b = clock_post(&app, json!({"set": "2026-03-01 08:15:30"}))
        .await
        .ok();
    assert_eq!(b["now"], "2026-03-01 08:15:30");
}

#[tokio::test]
async fn the_clock_refuses_to_move_backwards_once_a_user_exists() {
    let app = spawn_frozen().await;
    app.permanent_user().await;
    advance(&app, "1d").await;
    for body in [
        json!({"set": "2026-01-16 09:59:59"}),
        json!({"set": "2025-12-31 00:00:00"}),
    ] {
        clock_post(&app, body)
            .await
            .assert_error(400, "invalidValue");
    }
    assert_eq!(app.sandbox_now().await, "2026-01-16 10:00:00");
}

#[tokio::test]
async fn malformed_clock_changes_are_invalid_values() {
    let app = spawn_frozen().await;
    for body in [
        json!({"advance": "tomorrow"}),
        json!({"advance": "-1d"}),
        json!({"advance": "1.5d"}),
        json!({"advance": "12"}),
        json!({"advance": ""}),
        json!({"advance": true}),
        json!({"set": "2026-13-01 00:00:00"}),
        json!({"set": "2026-02-01"}),
        json!({"set": "soon"}),
        json!({"freeze": "maybe"}),
    ] {
        let r = clock_post(&app, body.clone()).await;
        r.assert_error(400, "invalidValue");
        assert!(
            r.body["description"].as_str().unwrap().len() > 10,
            "{body}: {}",
            r.text
        );
    }
    let b = app.sandbox_get("/sandbox/clock").await.ok();
    assert_eq!(b["now"], CLOCK_START, "nothing moved: {b}");
    assert_eq!(b["frozen"], true);
}

#[tokio::test]
async fn a_clock_change_needs_an_instruction() {
    let app = spawn_frozen().await;
    clock_post(&app, json!({}))
        .await
        .assert_error(400, "missingParameter");
}

#[tokio::test]
async fn unfreezing_lets_sandbox_time_run_from_where_it_stood() {
    let app = spawn_frozen().await;
    advance(&app, "10d").await;
    let b = clock_post(&app, json!({"freeze": false})).await.ok();
    assert_eq!(b["frozen"], false, "{b}");
    let now = b["now"].as_str().unwrap();
    assert!(
        ("2026-01-25 10:00:00".."2026-01-25 10:00:10").contains(&now),
        "running from where it stood: {b}"
    );
    let b = app.sandbox_get("/sandbox/clock").await.ok();
    assert_ne!(b["offset_seconds"], 0, "{b}");
    let b = clock_post(&app, json!({"freeze": true})).await.ok();
    assert_eq!(b["frozen"], true);
    assert_eq!(b["offset_seconds"], 0);
    let frozen_at = b["now"].as_str().unwrap().to_string();
    assert!(frozen_at.as_str() >= "2026-01-25 10:00:00", "{b}");
    assert_eq!(app.sandbox_now().await, frozen_at);
}

#[tokio::test]
async fn set_advance_and_freeze_combine_in_one_call() {
    let app = spawn_frozen().await;
    let b = clock_post(
        &app,
        json!({"set": "2026-02-01 00:00:00", "advance": "36h", "freeze": true}),
    )
    .await
    .ok();
    assert_eq!(b["now"], "2026-02-02 12:00:00", "{b}");
    assert_eq!(b["frozen"], true);
}

#[tokio::test]
async fn every_timestamp_follows_the_sandbox_clock() {
    let app = spawn_frozen().await;
    let now = advance(&app, "10d").await;
    assert_eq!(now, "2026-01-25 10:00:00");
    let (_, token) = app.permanent_user().await;
    let c = app
        .post(
            "/users/me/connections",
            Some(&token),
            test_connector_credentials(),
        )
        .await
        .ok();
    let id = id_of(&c);
    assert_eq!(c["created"], now);
    assert_eq!(c["last_update"], now);
    assert_eq!(c["next_try"], "2026-01-26 10:00:00");
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["created"], now);
    assert_eq!(sources["openapi"]["last_update"], now);
    assert_eq!(sources["openapi"]["access_expire"], "2026-07-24 11:00:00");
    for a in app.all_accounts(&token).await {
        assert_eq!(a["disabled"], now, "{a}");
    }
    enable_all(&app, &token).await;
    for a in app.all_accounts(&token).await {
        assert_eq!(a["last_update"], now, "{a}");
    }
    let list = transactions(&app, &token).await;
    assert!(!list.is_empty());
    for t in &list {
        let date = t["date"].as_str().unwrap();
        assert!(
            t["coming"] == true || date <= "2026-01-25",
            "nothing booked after sandbox today: {t}"
        );
    }
    let logs = app
        .get(&format!("/users/me/connections/{id}/logs"), Some(&token))
        .await
        .ok();
    assert_eq!(logs["connectionlogs"][0]["timestamp"], now, "{logs}");
}

#[tokio::test]
async fn the_clock_survives_a_restart_on_the_same_database_file() {
    let dir = TempDir::new("clock");
    let database = dir.file("sandbox.db");
    let db = database.clone();
    let first = spawn_with(move |c| {
        c.database = db;
        c.clock_start = Some(CLOCK_START.into());
    })
    .await;
    let (token, id) = user_with_connection(&first).await;
    assert_eq!(advance(&first, "3d").await, "2026-01-18 10:00:00");

    // A second server on the same file, started with the same --clock-start: the clock of
    // the database in use wins.
    let db = database.clone();
    let second = spawn_with(move |c| {
        c.database = db;
        c.clock_start = Some(CLOCK_START.into());
    })
    .await;
    let b = second.sandbox_get("/sandbox/clock").await.ok();
    assert_eq!(b["now"], "2026-01-18 10:00:00", "{b}");
    assert_eq!(b["frozen"], true);
    let c = second.connection_of(&token, id).await;
    assert_eq!(c["created"], CLOCK_START, "the data is there too: {c}");

    // And without --clock-start.
    let db = database.clone();
    let third = spawn_with(move |c| c.database = db).await;
    assert_eq!(third.sandbox_now().await, "2026-01-18 10:00:00");
}

#[tokio::test]
async fn an_unfrozen_clock_keeps_its_offset_across_a_restart() {
    let dir = TempDir::new("offset");
    let database = dir.file("sandbox.db");
    let db = database.clone();
    let first = spawn_with(move |c| {
        c.database = db;
        c.clock_start = Some(CLOCK_START.into());
    })
    .await;
    first.permanent_user().await;
    advance(&first, "2d").await;
    clock_post(&first, json!({"freeze": false})).await.ok();
    let db = database.clone();
    let second = spawn_with(move |c| c.database = db).await;
    let b = second.sandbox_get("/sandbox/clock").await.ok();
    assert_eq!(b["frozen"], false, "{b}");
    let now = b["now"].as_str().unwrap();
    assert!(
        ("2026-01-17 10:00:00".."2026-01-17 10:01:00").contains(&now),
        "{b}"
    );
}

// Due work

#[tokio::test]
async fn a_tick_answers_the_time_and_what_ran() {
    let app = spawn_frozen().await;
    let b = app.sandbox_post("/sandbox/tick", json!({})).await.ok();
    assert_eq!(b["now"], CLOCK_START, "{b}");
    assert_eq!(b["ran"], json!([]), "{b}");
    let (_, id) = user_with_connection(&app).await;
    advance(&app, "1d").await;
    let b = app.sandbox_post("/sandbox/tick", json!({})).await.ok();
    let job = &b["ran"][0];
    assert_eq!(job["job"], "sync", "{b}");
    assert_eq!(job["id_connection"], id, "{b}");
    assert!(job["id_user"].is_i64(), "{b}");
    assert_eq!(job["state"], Value::Null, "{b}");
    assert!(job["new_transactions"].is_u64(), "{b}");
}

#[tokio::test]
async fn a_tick_purges_temporary_users_whose_time_is_over() {
    let app = spawn_frozen().await;
    let b = app.post("/auth/init", None, json!({})).await.ok();
    let token = b["auth_token"].as_str().unwrap().to_string();
    app.get("/users/me", Some(&token)).await.ok();
    advance(&app, "31m").await;
    let ran = app.run_due_work().await;
    assert!(
        ran.iter().any(|j| j["job"] == "purge_temporary_users"),
        "{ran:?}"
    );
    assert_eq!(app.get("/users/me", Some(&token)).await.status, 401);
}

#[tokio::test]
async fn a_sandbox_without_users_takes_any_instant_even_in_the_past() {
    // A container started on real time, pinned by a CI job that did not start it.
    let app = spawn_app().await;
    let b = clock_post(&app, json!({"set": "2024-06-03 09:30:00", "freeze": true}))
        .await
        .ok();
    assert_eq!(b["now"], "2024-06-03 09:30:00", "{b}");
    assert_eq!(b["frozen"], true);
    // Still before any user: back again.
    let b = clock_post(&app, json!({"set": "2024-06-01 00:00:00"}))
        .await
        .ok();
    assert_eq!(b["now"], "2024-06-01 00:00:00", "{b}");
    let (_, token) = app.permanent_user().await;
    let me = app.get("/users/me", Some(&token)).await.ok();
    assert_eq!(me["signin"], "2024-06-01 00:00:00", "{me}");
}
