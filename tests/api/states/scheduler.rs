//! Bank-side failures retried by the scheduler, states that wait for the PSU, and the
//! background syncs every 24 h of sandbox time.

use super::*;

#[tokio::test]
async fn bank_side_failures_are_retried_within_the_hour_and_recover_after_six_hours() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let mut failing = Vec::new();
    for (body, state) in [
        (hermeline("12345678", "777777"), "websiteUnavailable"),
        (hermeline("12345678", "888888"), "rateLimiting"),
        (hermeline("12345678", "999999"), "bug"),
        (test_connector("bug"), "bug"),
    ] {
        let c = connect(&app, &token, body, 200).await;
        assert_connection_state(&c, Some(state));
        assert!(has_message(&c), "{c}");
        assert_eq!(c["last_update"], Value::Null, "{c}");
        assert_eq!(
            c["next_try"], "2026-01-15 11:00:00",
            "retried within the hour"
        );
        failing.push((id_of(&c), state));
    }

    advance(&app, "59m59s").await;
    assert!(
        app.run_due_work().await.is_empty(),
        "nothing due before the hour"
    );

    advance(&app, "1s").await;
    let ran = app.run_due_work().await;
    for (id, state) in &failing {
        let jobs = syncs_of(&ran, *id);
        assert_eq!(jobs.len(), 1, "{id}: {ran:?}");
        assert_eq!(jobs[0]["state"], *state, "still failing: {ran:?}");
        let c = app.connection_of(&token, *id).await;
        assert_eq!(c["next_try"], "2026-01-15 12:00:00", "{c}");
    }

    // The outage lasts six hours: at 5:59:59 it is still there.
    advance(&app, "4h59m59s").await;
    let ran = app.run_due_work().await;
    for (id, state) in &failing {
        assert_eq!(syncs_of(&ran, *id)[0]["state"], *state, "{ran:?}");
    }

    let now = advance(&app, "1s").await;
    assert_eq!(now, "2026-01-15 16:00:00");
    // next_try is an hour after the last retry (15:59:59), so advance to it.
    let now = advance(&app, "59m59s").await;
    let ran = app.run_due_work().await;
    for (id, _) in &failing {
        let jobs = syncs_of(&ran, *id);
        assert_eq!(jobs.len(), 1, "{ran:?}");
        assert_eq!(jobs[0]["state"], Value::Null, "recovered: {ran:?}");
        let c = app.connection_of(&token, *id).await;
        assert_connection_state(&c, None);
        assert_eq!(c["error_message"], Value::Null);
        assert_eq!(c["last_update"], now);
        assert_eq!(c["next_try"], "2026-01-16 16:59:59", "back to daily syncs");
    }
}

// States that wait for the PSU

#[tokio::test]
async fn states_that_wait_for_the_psu_survive_background_syncs() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let mut waiting = Vec::new();
    for (password, state) in [
        ("111111", "SCARequired"),
        ("222222", "additionalInformationNeeded"),
        ("333333", "decoupled"),
        ("444444", "actionNeeded"),
        ("555555", "passwordExpired"),
        ("000000", "notSupported"),
        ("121212", "webauthRequired"),
    ] {
        let r = app
            .post(
                "/users/me/connections",
                Some(&token),
                hermeline("12345678", password),
            )
            .await;
        let c = r.ok();
        assert_eq!(c["next_try"], "2026-01-16 10:00:00", "{c}");
        waiting.push((id_of(&c), state));
    }
    advance(&app, "24h").await;
    let ran = app.run_due_work().await;
    for (id, state) in &waiting {
        let jobs = syncs_of(&ran, *id);
        assert_eq!(jobs.len(), 1, "{ran:?}");
        assert_eq!(jobs[0]["state"], *state, "{ran:?}");
        let c = app.connection_of(&token, *id).await;
        assert_connection_state(&c, Some(state));
        assert_eq!(c["next_try"], "2026-01-17 10:00:00", "{c}");
    }
}

#[tokio::test]
async fn not_supported_has_a_message_and_no_way_to_resume() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, hermeline("12345678", "000000"), 200).await;
    let id = id_of(&c);
    assert!(has_message(&c), "{c}");
    let r = update(&app, &token, id, json!({})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, Some("notSupported"));
    let r = put_sync(&app, &token, id, true).await;
    assert_connection_state(&r.body, Some("notSupported"));
}

#[tokio::test]
async fn a_webauth_only_source_without_consent_stays_webauth_required() {
    // Célestine Banque (42) has a single PSD2 source the PSU authorises in the bank's own
    // pages; without that flow no consent exists, with or without the PSU.
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, json!({"id_connector": 42}), 202).await;
    let id = id_of(&c);
    assert_connection_state(&c, Some("webauthRequired"));
    advance(&app, "24h").await;
    let ran = app.run_due_work().await;
    assert_eq!(syncs_of(&ran, id)[0]["state"], "webauthRequired", "{ran:?}");
    let r = put_sync(&app, &token, id, true).await;
    assert_eq!(status(&r), 202, "{}", r.text);
    assert_connection_state(&r.body, Some("webauthRequired"));
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["state"], "webauthRequired");
    assert_eq!(sources["openapi"]["access_expire"], Value::Null);
}

// Background syncs every 24 h of sandbox time

#[tokio::test]
async fn a_connection_is_synced_in_the_background_24_hours_after_its_last_sync() {
    let app = spawn_frozen().await;
    assert!(
        app.run_due_work().await.is_empty(),
        "nothing due on a new sandbox"
    );
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    assert_eq!(c["last_update"], CLOCK_START);
    assert_eq!(c["next_try"], "2026-01-16 10:00:00");
    let sources = app.sources_by_name(&token, id).await;
    for s in sources.values() {
        assert_eq!(s["next_try"], "2026-01-16 10:00:00", "{s}");
    }

    advance(&app, "23h59m59s").await;
    assert!(app.run_due_work().await.is_empty(), "a second early");
    assert_eq!(
        app.connection_of(&token, id).await["last_update"],
        CLOCK_START
    );

    let now = advance(&app, "1s").await;
    let ran = app.run_due_work().await;
    let jobs = syncs_of(&ran, id);
    assert_eq!(jobs.len(), 1, "{ran:?}");
    assert_eq!(jobs[0]["state"], Value::Null);
    let c = app.connection_of(&token, id).await;
    assert_eq!(c["last_update"], now);
    assert_eq!(c["next_try"], "2026-01-17 10:00:00");
    // Nothing more is due at the same instant.
    assert!(app.run_due_work().await.is_empty());
    let logs = app
        .get(&format!("/users/me/connections/{id}/logs"), Some(&token))
        .await
        .ok();
    assert_eq!(logs["total"], 2, "{logs}");
}

#[tokio::test]
async fn a_sync_by_the_psu_pushes_the_next_background_sync_back() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    advance(&app, "12h").await;
    let r = put_sync(&app, &token, id, true).await;
    assert_eq!(r.body["next_try"], "2026-01-16 22:00:00", "{}", r.text);
    advance(&app, "12h").await;
    assert!(app.run_due_work().await.is_empty());
    advance(&app, "12h").await;
    assert_eq!(syncs_of(&app.run_due_work().await, id).len(), 1);
}

#[tokio::test]
async fn a_late_tick_syncs_a_connection_once_not_once_per_missed_day() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    let now = advance(&app, "10d").await;
    let ran = app.run_due_work().await;
    assert_eq!(syncs_of(&ran, id).len(), 1, "{ran:?}");
    let c = app.connection_of(&token, id).await;
    assert_eq!(c["last_update"], now);
    assert_eq!(c["next_try"], "2026-01-26 10:00:00");
}

#[tokio::test]
async fn background_syncs_fetch_the_new_transactions_of_enabled_accounts() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    enable_all(&app, &token).await;
    let before = transactions_total(&app, &token).await;
    advance(&app, "3d").await;
    let ran = app.run_due_work().await;
    let jobs = syncs_of(&ran, id);
    let new = jobs[0]["new_transactions"].as_i64().unwrap();
    assert!(new > 0, "three days bring transactions: {ran:?}");
    assert_eq!(transactions_total(&app, &token).await, before + new);
}

#[tokio::test]
async fn an_inactive_connection_is_not_synced_in_the_background() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    update(&app, &token, id, json!({"active": false}))
        .await
        .ok();
    advance(&app, "2d").await;
    assert!(syncs_of(&app.run_due_work().await, id).is_empty());
    assert_eq!(
        app.connection_of(&token, id).await["last_update"],
        CLOCK_START
    );
}
