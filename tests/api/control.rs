//! The control plane (`/sandbox/...`, README): the one sandbox clock and its persistence,
//! due work, forced states, syncs on demand, changes at the bank (accounts, transactions,
//! outages), headless users, scenario documents (by call and at start), reset, and the
//! config token that guards all of it.

use crate::common::*;
use reqwest::Method;
use serde_json::{json, Value};

/// A user with one synced test-connector connection: (token, connection id).
async fn user_with_connection(app: &TestApp) -> (String, i64) {
    let (_, token) = app.permanent_user().await;
    let c = app
        .post(
            "/users/me/connections",
            Some(&token),
            test_connector_credentials(),
        )
        .await
        .ok();
    (token, id_of(&c))
}

/// The user's transactions (none while no account is enabled: the API answers 409 then).
async fn transactions(app: &TestApp, token: &str) -> Vec<Value> {
    let r = app
        .get("/users/me/transactions?limit=1000", Some(token))
        .await;
    if r.status == 409 && r.body["code"] == "noAccount" {
        return vec![];
    }
    r.ok()["transactions"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn clock_post(app: &TestApp, body: Value) -> Reply {
    app.sandbox_post("/sandbox/clock", body).await
}

async fn sync_now(app: &TestApp, id: i64, body: Value) -> Value {
    app.sandbox_post(&format!("/sandbox/connections/{id}/sync"), body)
        .await
        .ok()
}

async fn force(app: &TestApp, id: i64, body: Value) -> Reply {
    app.sandbox_post(&format!("/sandbox/connections/{id}/state"), body)
        .await
}

async fn users_total(app: &TestApp) -> i64 {
    let b = app.get("/users", Some(USERS_TOKEN)).await.ok();
    b["total"].as_i64().unwrap()
}

/// The README's scenario document, its clock at `at`.
fn readme_scenario(at: &str) -> Value {
    json!({
        "clock": {"set": at, "freeze": true},
        "users": [{"connections": [{
            "connector": TEST_CONNECTOR_UUID,
            "login": "alice", "password": "1234",
            "consent_age": "179d",
            "accounts": {"enabled": ["checking", "savings"], "deleted": ["card"]},
            "transactions": [{"account": "checking", "date": "2026-01-10", "value": -42.5, "wording": "CB TEST"}],
            "state": null
        }]}]
    })
}

// The sandbox clock

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
    assert_eq!(advance(&app, "180d").await, "2026-07-17 11:30:00");
    let b = app.sandbox_get("/sandbox/clock").await.ok();
    assert_eq!(b["now"], "2026-07-17 11:30:00");
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
async fn the_clock_refuses_to_move_backwards() {
    let app = spawn_frozen().await;
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
    assert_eq!(sources["openapi"]["access_expire"], "2026-07-24 10:00:00");
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

// Forcing states

#[tokio::test]
async fn any_state_can_be_forced_on_a_connection() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    for state in [
        "SCARequired",
        "webauthRequired",
        "additionalInformationNeeded",
        "decoupled",
        "validating",
        "actionNeeded",
        "passwordExpired",
        "wrongpass",
        "rateLimiting",
        "websiteUnavailable",
        "bug",
        "notSupported",
    ] {
        let c = app
            .post(
                "/users/me/connections",
                Some(&token),
                test_connector_credentials(),
            )
            .await
            .ok();
        let id = id_of(&c);
        let r = force(&app, id, json!({ "state": state })).await;
        assert_eq!(r.status, 200, "{state}: {}", r.text);
        assert_connection_state(&r.body, Some(state));
        assert!(r.body["sources"].is_array(), "{}", r.text);
        let c = app.connection_of(&token, id).await;
        assert_connection_state(&c, Some(state));
        assert!(
            c["error_message"].is_string() || state == "validating",
            "{state}: {c}"
        );
        let s = app.sandbox_get(&format!("/sandbox/connections/{id}")).await;
        assert_connection_state(&s.ok(), Some(state));
    }
}

#[tokio::test]
async fn a_forced_state_carries_the_given_message_and_fields() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let field = json!({
        "name": "code_carte",
        "label": "Code de la carte de clés",
        "description": null,
        "type": "text",
        "required": true,
        "regex": "^[0-9]{4}$",
        "values": null,
        "auth_mechanisms": ["credentials"],
        "connector_sources": ["directaccess"],
    });
    force(
        &app,
        id,
        json!({
            "state": "additionalInformationNeeded",
            "error_message": "Saisissez le code de la case B4.",
            "fields": [field.clone()],
        }),
    )
    .await
    .ok();
    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, Some("additionalInformationNeeded"));
    assert_eq!(c["error_message"], "Saisissez le code de la case B4.");
    assert_eq!(c["fields"], json!([field]), "{c}");
    // A forced message on a passing failure too.
    force(
        &app,
        id,
        json!({"state": "websiteUnavailable", "error_message": "Maintenance du samedi."}),
    )
    .await
    .ok();
    let c = app.connection_of(&token, id).await;
    assert_eq!(c["error_message"], "Maintenance du samedi.");
}

#[tokio::test]
async fn a_state_forced_on_one_source_shows_on_it_and_on_the_connection() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let r = force(
        &app,
        id,
        json!({"state": "SCARequired", "source": "directaccess"}),
    )
    .await
    .ok();
    assert_connection_state(&r, Some("SCARequired"));
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["directaccess"]["state"], "SCARequired");
    assert_eq!(sources["openapi"]["state"], Value::Null);
    assert_eq!(sources["openapi"]["last_update"], CLOCK_START);

    // A source is named by its id as well.
    let openapi = id_of(&sources["openapi"]);
    force(
        &app,
        id,
        json!({"state": "actionNeeded", "source": openapi}),
    )
    .await
    .ok();
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["state"], "actionNeeded");
    assert_connection_state(&app.connection_of(&token, id).await, Some("actionNeeded"));
}

#[tokio::test]
async fn forcing_null_clears_the_state_and_syncs() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    force(&app, id, json!({"state": "passwordExpired"}))
        .await
        .ok();
    let now = advance(&app, "2h").await;
    let r = force(&app, id, json!({"state": null})).await.ok();
    assert_connection_state(&r, None);
    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, None);
    assert_eq!(c["error_message"], Value::Null);
    assert!(c.get("fields").is_none(), "{c}");
    assert_eq!(c["last_update"], now);
}

#[tokio::test]
async fn a_forced_waiting_state_sticks_until_the_psu_acts() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    force(&app, id, json!({"state": "SCARequired"})).await.ok();
    advance(&app, "1d").await;
    let ran = app.run_due_work().await;
    assert_eq!(ran[0]["state"], "SCARequired", "{ran:?}");
    let r = app
        .post(
            &format!("/users/me/connections/{id}"),
            Some(&token),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_connection_state(&r.body, None);
}

#[tokio::test]
async fn a_forced_bank_failure_lasts_until_the_next_sync() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    for state in ["rateLimiting", "websiteUnavailable", "bug"] {
        force(&app, id, json!({ "state": state })).await.ok();
        let c = app.connection_of(&token, id).await;
        assert_connection_state(&c, Some(state));
        let sources = app.sources_by_name(&token, id).await;
        assert_eq!(sources["openapi"]["state"], state);
        let retry = app.sandbox_now().await;
        assert!(c["next_try"].as_str().unwrap() > retry.as_str());
        advance(&app, "1h").await;
        let ran = app.run_due_work().await;
        assert_eq!(ran.len(), 1, "retried within the hour: {ran:?}");
        assert_eq!(ran[0]["state"], Value::Null, "{ran:?}");
        assert_connection_state(&app.connection_of(&token, id).await, None);
    }
}

#[tokio::test]
async fn webauth_required_is_cleared_through_the_control_plane() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            json!({"id_connector": HERMELINE, "login": "12345678", "password": "121212"}),
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert_connection_state(&r.body, Some("webauthRequired"));
    let r = force(&app, id_of(&r.body), json!({"state": null}))
        .await
        .ok();
    assert_connection_state(&r, None);
}

#[tokio::test]
async fn forcing_needs_a_known_state_source_and_connection() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    force(&app, id, json!({}))
        .await
        .assert_error(400, "missingParameter");
    force(&app, id, json!({"state": "broken"}))
        .await
        .assert_error(400, "invalidValue");
    force(&app, id, json!({"state": "scarequired"}))
        .await
        .assert_error(400, "invalidValue");
    force(&app, id, json!({"state": "bug", "source": "nosuch"}))
        .await
        .assert_error(400, "invalidValue");
    force(&app, id, json!({"state": "bug", "fields": "otp"}))
        .await
        .assert_error(400, "invalidValue");
    force(&app, 999, json!({"state": "bug"}))
        .await
        .assert_error(404, "notFound");
    assert_connection_state(&app.connection_of(&token, id).await, None);
}

#[tokio::test]
async fn the_sandbox_view_of_a_connection_shows_its_pending_step_and_bank() {
    let app = spawn_frozen().await;
    let (_, id) = user_with_connection(&app).await;
    force(&app, id, json!({"state": "decoupled"})).await.ok();
    let b = app
        .sandbox_get(&format!("/sandbox/connections/{id}"))
        .await
        .ok();
    assert!(b["sources"].is_array(), "{b}");
    assert!(b["all_accounts"].is_array(), "{b}");
    assert_eq!(b["sandbox"]["login"], "Identifiant", "{b}");
    assert!(b["sandbox"]["pending"].is_object(), "{b}");
    assert!(b["sandbox"]["bank"].is_object(), "{b}");
    app.sandbox_get("/sandbox/connections/999")
        .await
        .assert_error(404, "notFound");
}

// Syncs on demand

#[tokio::test]
async fn a_sync_now_runs_without_the_psu_unless_asked() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    advance(&app, "180d").await;
    let b = sync_now(&app, id, json!({})).await;
    assert_connection_state(&b, Some("SCARequired"));
    assert_eq!(b["sync"]["new_transactions"], 0, "{b}");
    assert_eq!(b["sync"]["found"], json!([]), "{b}");
    let b = sync_now(&app, id, json!({"psu_requested": false})).await;
    assert_connection_state(&b, Some("SCARequired"));

    let b = sync_now(&app, id, json!({"psu_requested": true})).await;
    assert_connection_state(&b, None);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["access_expire"], "2027-01-10 10:00:00");

    // The query string works too.
    advance(&app, "180d").await;
    let b = app
        .sandbox_post(
            &format!("/sandbox/connections/{id}/sync?psu_requested=true"),
            json!({}),
        )
        .await
        .ok();
    assert_connection_state(&b, None);
}

#[tokio::test]
async fn a_sync_now_writes_a_log_and_moves_next_try() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let now = advance(&app, "5h").await;
    let b = sync_now(&app, id, json!({})).await;
    assert_eq!(b["last_update"], now);
    assert_eq!(b["next_try"], "2026-01-16 15:00:00");
    let logs = app
        .get(&format!("/users/me/connections/{id}/logs"), Some(&token))
        .await
        .ok();
    assert_eq!(logs["total"], 2, "{logs}");
}

// Changes at the bank

#[tokio::test]
async fn an_account_opened_at_the_bank_is_found_disabled_on_the_next_sync() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let before = app.all_accounts(&token).await.len();
    let b = app
        .sandbox_post(
            &format!("/sandbox/connections/{id}/bank/accounts"),
            json!({"type": "savings", "name": "Livret Projet"}),
        )
        .await
        .ok();
    assert_eq!(b["type"], "savings", "{b}");
    assert_eq!(b["name"], "Livret Projet", "{b}");
    assert_eq!(
        app.all_accounts(&token).await.len(),
        before,
        "not before a sync"
    );
    let now = advance(&app, "1h").await;
    let s = sync_now(&app, id, json!({})).await;
    let found = s["sync"]["found"].as_array().unwrap().clone();
    assert_eq!(found.len(), 1, "{s}");
    let all = app.all_accounts(&token).await;
    assert_eq!(all.len(), before + 1);
    let new = all.iter().find(|a| a["id"] == found[0]).unwrap();
    assert_eq!(new["name"], "Livret Projet", "{new}");
    assert_eq!(new["type"], "savings");
    assert_eq!(new["disabled"], now, "found disabled: {new}");
    assert_eq!(new["balance"], Value::Null, "{new}");
    let enabled = app.get("/users/me/accounts", Some(&token)).await.ok();
    assert!(
        !enabled["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == found[0]),
        "{enabled}"
    );
}

#[tokio::test]
async fn an_opened_account_needs_a_known_type() {
    let app = spawn_frozen().await;
    let (_, id) = user_with_connection(&app).await;
    let path = format!("/sandbox/connections/{id}/bank/accounts");
    app.sandbox_post(&path, json!({"type": "piggybank"}))
        .await
        .assert_error(400, "invalidValue");
    app.sandbox_post(&path, json!({}))
        .await
        .assert_error(400, "missingParameter");
    app.sandbox_post(
        "/sandbox/connections/999/bank/accounts",
        json!({"type": "savings"}),
    )
    .await
    .assert_error(404, "notFound");
}

#[tokio::test]
async fn an_account_closed_at_the_bank_is_deleted_on_the_next_sync() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let ids = enable_all(&app, &token).await;
    let gone = ids[1];
    let r = app
        .call(
            Method::DELETE,
            &format!("/sandbox/connections/{id}/bank/accounts/{gone}"),
            Some(CONFIG_TOKEN),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let a = app
        .get(&format!("/users/me/accounts/{gone}"), Some(&token))
        .await
        .ok();
    assert_eq!(a["deleted"], Value::Null, "not before a sync: {a}");
    let now = advance(&app, "1h").await;
    let s = sync_now(&app, id, json!({})).await;
    assert_eq!(s["sync"]["deleted"], json!([gone]), "{s}");
    let all = app.all_accounts(&token).await;
    let a = all.iter().find(|a| a["id"] == gone).unwrap();
    assert_eq!(a["deleted"], now, "{a}");
    let visible = app.get("/users/me/accounts", Some(&token)).await.ok();
    assert!(
        !visible["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == gone),
        "{visible}"
    );
    // Closing an unknown account is a 404.
    let r = app
        .call(
            Method::DELETE,
            &format!("/sandbox/connections/{id}/bank/accounts/99999"),
            Some(CONFIG_TOKEN),
            None,
        )
        .await;
    r.assert_error(404, "notFound");
}

#[tokio::test]
async fn injected_transactions_appear_after_the_next_sync_of_an_enabled_account() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let ids = enable_all(&app, &token).await;
    let account = ids[0];
    let balance = |a: &Value| a["balance"].to_string().parse::<f64>().unwrap();
    let before = app
        .get(&format!("/users/me/accounts/{account}"), Some(&token))
        .await
        .ok();
    advance(&app, "1m").await;
    let b = app
        .sandbox_post(
            &format!("/sandbox/connections/{id}/bank/transactions"),
            json!({"id_account": account, "transactions": [
                {"date": "2026-01-14", "value": -42.5, "wording": "CB BOULANGERIE DU PORT"},
                {"date": "2026-01-15", "value": "1200.00", "wording": "VIR SALAIRE TEST", "type": "transfer"},
            ]}),
        )
        .await
        .ok();
    assert_eq!(b["injected"], 2, "{b}");
    let find = |list: &[Value], w: &str| list.iter().find(|t| t["original_wording"] == w).cloned();
    let list = transactions(&app, &token).await;
    assert!(
        find(&list, "CB BOULANGERIE DU PORT").is_none(),
        "not before a sync"
    );
    let s = sync_now(&app, id, json!({})).await;
    assert_eq!(s["sync"]["new_transactions"], 2, "{s}");
    let list = transactions(&app, &token).await;
    let t = find(&list, "CB BOULANGERIE DU PORT").expect("injected transaction");
    assert_eq!(t["id_account"], account);
    assert_eq!(t["value"], json!(-42.5));
    assert_eq!(t["date"], "2026-01-14");
    let t = find(&list, "VIR SALAIRE TEST").expect("injected transaction");
    assert_eq!(t["value"].as_f64(), Some(1200.0));
    assert_eq!(t["type"], "transfer");
    let after = app
        .get(&format!("/users/me/accounts/{account}"), Some(&token))
        .await
        .ok();
    assert!(
        (balance(&after) - balance(&before) - 1157.5).abs() < 1e-9,
        "the balance moves by the injected amounts: {before} -> {after}"
    );
    // A second sync does not fetch them again.
    let s = sync_now(&app, id, json!({})).await;
    assert_eq!(s["sync"]["new_transactions"], 0, "{s}");
}

#[tokio::test]
async fn transactions_injected_at_the_instant_of_the_last_sync_appear_on_the_next_one() {
    // A frozen clock: the injection and both syncs happen at the same second.
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let account = enable_all(&app, &token).await[0];
    app.sandbox_post(
        &format!("/sandbox/connections/{id}/bank/transactions"),
        json!({"id_account": account, "transactions": [
            {"date": "2026-01-15", "value": -3.2, "wording": "CB CAFE DE LA GARE"},
        ]}),
    )
    .await
    .ok();
    let s = sync_now(&app, id, json!({})).await;
    assert_eq!(s["sync"]["new_transactions"], 1, "{s}");
    assert!(transactions(&app, &token)
        .await
        .iter()
        .any(|t| t["original_wording"] == "CB CAFE DE LA GARE"));
}

#[tokio::test]
async fn transactions_injected_into_a_disabled_account_wait_until_it_is_enabled() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let account = id_of(&app.all_accounts(&token).await[0]);
    app.sandbox_post(
        &format!("/sandbox/connections/{id}/bank/transactions"),
        json!({"id_account": account, "transactions": [
            {"date": "2026-01-12", "value": -9.99, "wording": "PRLV ABONNEMENT TEST"},
        ]}),
    )
    .await
    .ok();
    sync_now(&app, id, json!({})).await;
    assert!(transactions(&app, &token).await.is_empty());
    app.post(
        &format!("/users/me/accounts/{account}?all"),
        Some(&token),
        json!({"disabled": false}),
    )
    .await
    .ok();
    let list = transactions(&app, &token).await;
    assert!(
        list.iter()
            .any(|t| t["original_wording"] == "PRLV ABONNEMENT TEST"),
        "fetched with the account's history"
    );
}

#[tokio::test]
async fn malformed_injections_are_refused() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let account = id_of(&app.all_accounts(&token).await[0]);
    let path = format!("/sandbox/connections/{id}/bank/transactions");
    let t = json!({"date": "2026-01-12", "value": -1, "wording": "X"});
    for (body, code) in [
        (json!({"id_account": account}), "missingParameter"),
        (json!({"transactions": [t.clone()]}), "missingParameter"),
        (
            json!({"id_account": account, "transactions": []}),
            "invalidValue",
        ),
        (
            json!({"id_account": account, "transactions": [{"date": "12/01/2026", "value": 1}]}),
            "invalidValue",
        ),
        (
            json!({"id_account": account, "transactions": [{"date": "2026-01-12", "value": "abc"}]}),
            "invalidValue",
        ),
    ] {
        app.sandbox_post(&path, body).await.assert_error(400, code);
    }
    app.sandbox_post(
        &path,
        json!({"id_account": 99999, "transactions": [t.clone()]}),
    )
    .await
    .assert_error(404, "notFound");
}

#[tokio::test]
async fn an_outage_with_a_duration_fails_syncs_until_it_ends() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    for state in ["websiteUnavailable", "rateLimiting", "bug"] {
        let start = app.sandbox_now().await;
        let b = app
            .sandbox_post(
                &format!("/sandbox/connections/{id}/bank/outage"),
                json!({"state": state, "duration": "2h"}),
            )
            .await
            .ok();
        assert_eq!(b["state"], state, "{b}");
        assert!(b["until"].as_str().unwrap() > start.as_str(), "{b}");
        let s = sync_now(&app, id, json!({})).await;
        assert_connection_state(&s, Some(state));
        for src in s["sources"].as_array().unwrap() {
            assert_eq!(src["state"], state, "every source: {s}");
        }
        advance(&app, "1h").await;
        let ran = app.run_due_work().await;
        assert_eq!(ran[0]["state"], state, "still down after 1 h: {ran:?}");
        advance(&app, "1h").await;
        let ran = app.run_due_work().await;
        assert_eq!(ran[0]["state"], Value::Null, "back after 2 h: {ran:?}");
        assert_connection_state(&app.connection_of(&token, id).await, None);
    }
}

#[tokio::test]
async fn an_outage_without_a_duration_lasts_until_it_is_ended() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let path = format!("/sandbox/connections/{id}/bank/outage");
    let b = app
        .sandbox_post(
            &path,
            json!({"state": "websiteUnavailable", "error_message": "Maintenance programmée."}),
        )
        .await
        .ok();
    assert_eq!(b["until"], Value::Null, "{b}");
    let s = sync_now(&app, id, json!({})).await;
    assert_connection_state(&s, Some("websiteUnavailable"));
    assert_eq!(s["error_message"], "Maintenance programmée.");
    advance(&app, "3d").await;
    app.run_due_work().await;
    assert_connection_state(
        &app.connection_of(&token, id).await,
        Some("websiteUnavailable"),
    );
    let r = app
        .call(Method::DELETE, &path, Some(CONFIG_TOKEN), None)
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let s = sync_now(&app, id, json!({})).await;
    assert_connection_state(&s, None);
    assert_eq!(s["error_message"], Value::Null);
}

#[tokio::test]
async fn an_outage_needs_a_state_and_a_duration_it_can_read() {
    let app = spawn_frozen().await;
    let (_, id) = user_with_connection(&app).await;
    let path = format!("/sandbox/connections/{id}/bank/outage");
    app.sandbox_post(&path, json!({"state": "down"}))
        .await
        .assert_error(400, "invalidValue");
    app.sandbox_post(&path, json!({"state": "bug", "duration": "a while"}))
        .await
        .assert_error(400, "invalidValue");
}

// Headless users

#[tokio::test]
async fn a_sandbox_user_comes_with_a_token_and_connections_with_accounts_enabled() {
    let app = spawn_frozen().await;
    let b = app
        .sandbox_post(
            "/sandbox/users",
            json!({"connections": [
                {"connector": TEST_CONNECTOR_UUID, "login": "bob"},
                {"connector": HERMELINE, "login": "12345678"},
            ]}),
        )
        .await
        .ok();
    let id_user = b["id_user"].as_i64().unwrap();
    let token = b["auth_token"].as_str().unwrap().to_string();
    let me = app.get("/users/me", Some(&token)).await.ok();
    assert_eq!(me["id"], id_user, "{me}");
    let conns = b["connections"].as_array().unwrap();
    assert_eq!(conns.len(), 2, "{b}");
    let listed = app.get("/users/me/connections", Some(&token)).await.ok();
    assert_eq!(listed["total"], 2);
    for c in conns {
        assert_eq!(c["state"], Value::Null, "{c}");
        for a in c["accounts"].as_array().unwrap() {
            assert_eq!(a["disabled"], Value::Null, "enabled: {a}");
        }
    }
    let enabled = app.get("/users/me/accounts", Some(&token)).await.ok();
    let all = app.all_accounts(&token).await;
    assert_eq!(enabled["accounts"].as_array().unwrap().len(), all.len());
    assert!(
        !transactions(&app, &token).await.is_empty(),
        "history fetched"
    );
}

#[tokio::test]
async fn a_sandbox_user_without_connections_is_just_a_user() {
    let app = spawn_frozen().await;
    let b = app.sandbox_post("/sandbox/users", json!({})).await.ok();
    let token = b["auth_token"].as_str().unwrap();
    assert_eq!(b["connections"], json!([]));
    let c = app.get("/users/me/connections", Some(token)).await.ok();
    assert_eq!(c["total"], 0);
}

#[tokio::test]
async fn a_sandbox_user_with_refused_credentials_is_not_created() {
    let app = spawn_frozen().await;
    let r = app
        .sandbox_post(
            "/sandbox/users",
            json!({"connections": [{"connector": HERMELINE, "login": "12345678", "password": "666666"}]}),
        )
        .await;
    r.assert_error(400, "invalidValue");
    assert_eq!(users_total(&app).await, 0);
    app.sandbox_post("/sandbox/users", json!({"nickname": "x"}))
        .await
        .assert_error(400, "invalidValue");
}

// Scenario documents

#[tokio::test]
async fn a_scenario_document_sets_up_users_connections_accounts_and_the_clock() {
    let app = spawn_frozen().await;
    let b = app
        .sandbox_post("/sandbox/scenario", readme_scenario("2026-02-01 09:00:00"))
        .await
        .ok();
    assert_eq!(b["now"], "2026-02-01 09:00:00", "{b}");
    let clock = app.sandbox_get("/sandbox/clock").await.ok();
    assert_eq!(clock["now"], "2026-02-01 09:00:00");
    assert_eq!(clock["frozen"], true);

    let user = &b["users"][0];
    let token = user["auth_token"].as_str().unwrap();
    let me = app.get("/users/me", Some(token)).await.ok();
    assert_eq!(me["id"], user["id_user"]);
    let c = &user["connections"][0];
    let id = id_of(c);
    assert_eq!(c["state"], Value::Null, "{c}");
    for a in c["accounts"].as_array().unwrap() {
        match a["type"].as_str().unwrap() {
            "checking" | "savings" => {
                assert_eq!(a["disabled"], Value::Null, "{a}");
                assert_eq!(a["deleted"], Value::Null, "{a}");
            }
            "card" => assert!(a["deleted"].is_string(), "{a}"),
            _ => assert!(a["disabled"].is_string(), "{a}"),
        }
    }
    let listed = app.all_accounts(token).await;
    assert_eq!(listed.len(), c["accounts"].as_array().unwrap().len());
    let list = transactions(&app, token).await;
    let t = list
        .iter()
        .find(|t| t["original_wording"] == "CB TEST")
        .expect("the scenario's transaction");
    assert_eq!(t["value"], json!(-42.5));
    assert_eq!(t["date"], "2026-01-10");
    let checking = c["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["type"] == "checking")
        .unwrap();
    assert_eq!(t["id_account"], checking["id"]);

    // Consent given 179 days ago: one day left.
    let sources = app.sources_by_name(token, id).await;
    assert_eq!(sources["openapi"]["access_expire"], "2026-02-02 09:00:00");
    advance(&app, "1d").await;
    let ran = app.run_due_work().await;
    assert_eq!(ran[0]["state"], "SCARequired", "{ran:?}");
}

#[tokio::test]
async fn a_scenario_puts_connections_in_their_states_with_the_accounts_asked_for() {
    let app = spawn_frozen().await;
    let b = app
        .sandbox_post(
            "/sandbox/scenario",
            json!({"users": [
                {"connections": [
                    {"connector": HERMELINE, "login": "12345678", "state": "passwordExpired",
                     "accounts": {"enabled": "none"}},
                    {"connector": TEST_CONNECTOR_UUID, "login": "carol", "state": "SCARequired"},
                ]},
                {},
            ]}),
        )
        .await
        .ok();
    let users = b["users"].as_array().unwrap();
    assert_eq!(users.len(), 2);
    assert_ne!(users[0]["auth_token"], users[1]["auth_token"]);
    assert_eq!(users[1]["connections"], json!([]));
    let token = users[0]["auth_token"].as_str().unwrap();
    let conns = users[0]["connections"].as_array().unwrap();
    assert_eq!(conns[0]["state"], "passwordExpired");
    assert_eq!(conns[1]["state"], "SCARequired");
    let c = app.connection_of(token, id_of(&conns[0])).await;
    assert_connection_state(&c, Some("passwordExpired"));
    for a in conns[0]["accounts"].as_array().unwrap() {
        assert!(a["disabled"].is_string(), "{a}");
    }
    let r = app
        .post(
            &format!("/users/me/connections/{}", id_of(&conns[1])),
            Some(token),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    assert_eq!(users_total(&app).await, 2);
}

#[tokio::test]
async fn a_scenario_is_all_or_nothing() {
    let app = spawn_frozen().await;
    let mut doc = readme_scenario("2026-03-01 00:00:00");
    doc["users"]
        .as_array_mut()
        .unwrap()
        .push(json!({"connections": [{"connector": "no-such-bank"}]}));
    let r = app.sandbox_post("/sandbox/scenario", doc).await;
    r.assert_error(400, "invalidValue");
    assert!(
        r.body["description"].as_str().unwrap().contains("users[1]"),
        "names the faulty part: {}",
        r.text
    );
    assert_eq!(users_total(&app).await, 0, "no user kept");
    assert_eq!(
        app.sandbox_now().await,
        CLOCK_START,
        "nor the document's clock"
    );
}

#[tokio::test]
async fn a_scenario_with_unknown_keys_or_values_is_refused() {
    let app = spawn_frozen().await;
    for doc in [
        json!({"userz": []}),
        json!({"users": [{"connections": [{"connector": TEST_CONNECTOR_UUID, "colour": "red"}]}]}),
        json!({"users": [{"connections": [{"connector": TEST_CONNECTOR_UUID, "state": "sleepy"}]}]}),
        json!({"users": [{"connections": [{"connector": TEST_CONNECTOR_UUID, "consent_age": "old"}]}]}),
        json!({"users": [{"connections": [{"connector": TEST_CONNECTOR_UUID, "accounts": {"deleted": ["yacht"]}}]}]}),
        json!({"clock": {"set": "yesterday"}}),
    ] {
        app.sandbox_post("/sandbox/scenario", doc.clone())
            .await
            .assert_error(400, "invalidValue");
    }
    assert_eq!(users_total(&app).await, 0);
}

#[tokio::test]
async fn a_scenario_file_is_loaded_at_start() {
    let dir = TempDir::new("scenario");
    let file = dir.path.join("scenario.json");
    std::fs::write(&file, readme_scenario("2026-02-01 09:00:00").to_string()).unwrap();
    let path = file.clone();
    let app = spawn_with(move |c| {
        c.clock_start = Some(CLOCK_START.into());
        c.scenario = Some(path);
    })
    .await;
    let clock = app.sandbox_get("/sandbox/clock").await.ok();
    assert_eq!(clock["now"], "2026-02-01 09:00:00", "{clock}");
    assert_eq!(clock["frozen"], true);
    let users = app.get("/users", Some(USERS_TOKEN)).await.ok();
    assert_eq!(users["total"], 1, "{users}");
    let id_user = users["users"][0]["id"].as_i64().unwrap();
    // The config token acts for any user.
    let conns = app
        .get(&format!("/users/{id_user}/connections"), Some(CONFIG_TOKEN))
        .await
        .ok();
    assert_eq!(conns["total"], 1, "{conns}");
    let accounts = app
        .get(&format!("/users/{id_user}/accounts"), Some(CONFIG_TOKEN))
        .await
        .ok();
    let mut kinds: Vec<&str> = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["type"].as_str().unwrap())
        .collect();
    kinds.sort();
    assert_eq!(kinds, ["checking", "savings"], "{accounts}");
}

#[tokio::test]
async fn a_scenario_file_is_not_loaded_again_on_a_database_in_use() {
    let dir = TempDir::new("scenario-restart");
    let file = dir.path.join("scenario.json");
    std::fs::write(&file, readme_scenario("2026-02-01 09:00:00").to_string()).unwrap();
    let database = dir.file("sandbox.db");
    for _ in 0..2 {
        let (db, path) = (database.clone(), file.clone());
        let app = spawn_with(move |c| {
            c.database = db;
            c.clock_start = Some(CLOCK_START.into());
            c.scenario = Some(path);
        })
        .await;
        assert_eq!(users_total(&app).await, 1);
    }
}

#[tokio::test]
async fn a_broken_scenario_file_stops_the_start() {
    let dir = TempDir::new("scenario-broken");
    let file = dir.path.join("scenario.json");
    std::fs::write(
        &file,
        "{\"users\": [{\"connections\": [{\"connector\": 1}]}]}",
    )
    .unwrap();
    let mut config = powens_sandbox::config::Config::for_tests();
    config.scenario = Some(file);
    assert!(powens_sandbox::build_state(config).await.is_err());
}

#[tokio::test]
async fn the_same_scenario_on_two_fresh_servers_gives_the_same_bytes() {
    let start = |c: &mut powens_sandbox::config::Config| {
        c.clock_start = Some(CLOCK_START.into());
        c.public_url = Some("http://sandbox.test".into());
    };
    let mut bodies = Vec::new();
    let mut tokens = Vec::new();
    for _ in 0..2 {
        let app = spawn_with(start).await;
        let b = app
            .sandbox_post("/sandbox/scenario", readme_scenario(CLOCK_START))
            .await
            .ok();
        let token = b["users"][0]["auth_token"].as_str().unwrap().to_string();
        let accounts = app.get("/users/me/accounts", Some(&token)).await;
        let list = app
            .get("/users/me/transactions?limit=100", Some(&token))
            .await;
        assert!(accounts.status.is_success() && list.status.is_success());
        assert_eq!(list.body["transactions"].as_array().unwrap().len(), 100);
        let mut without_token = b.clone();
        without_token["users"][0]["auth_token"] = Value::Null;
        bodies.push((without_token, accounts.text, list.text));
        tokens.push(token);
    }
    assert_ne!(tokens[0], tokens[1], "tokens differ");
    assert_eq!(bodies[0].0, bodies[1].0, "ids equal");
    assert_eq!(bodies[0].1, bodies[1].1, "accounts");
    assert_eq!(bodies[0].2, bodies[1].2, "transactions");
}

// Reset

#[tokio::test]
async fn reset_brings_users_data_and_the_clock_back_to_the_seed() {
    let app = spawn_frozen().await;
    let (token, _) = user_with_connection(&app).await;
    enable_all(&app, &token).await;
    app.permanent_user().await;
    advance(&app, "40d").await;
    app.run_due_work().await;
    assert!(transactions(&app, &token).await.len() > 100, "some data");
    let b = app.sandbox_post("/sandbox/reset", json!({})).await.ok();
    let took = b["took_ms"].as_f64().expect("took_ms");
    eprintln!("POST /sandbox/reset took_ms = {took}");
    assert_eq!(b["now"], CLOCK_START, "{b}");
    let clock = app.sandbox_get("/sandbox/clock").await.ok();
    assert_eq!(clock["now"], CLOCK_START);
    assert_eq!(clock["frozen"], true);
    assert_eq!(users_total(&app).await, 0);
    assert_eq!(app.get("/users/me", Some(&token)).await.status, 401);

    // Ids start again from 1.
    let (id_user, token) = app.permanent_user().await;
    assert_eq!(id_user, 1);
    let c = app
        .post(
            "/users/me/connections",
            Some(&token),
            test_connector_credentials(),
        )
        .await
        .ok();
    assert_eq!(c["id"], 1);
    let mut ids: Vec<i64> = app.all_accounts(&token).await.iter().map(id_of).collect();
    ids.sort();
    assert_eq!(ids[0], 1, "{ids:?}");
    let sources = app.sources_by_name(&token, 1).await;
    assert_eq!(sources["openapi"]["id"], 1, "{sources:?}");
}

#[tokio::test]
async fn a_reset_sandbox_answers_like_a_new_one() {
    let fresh = spawn_with(|c| {
        c.clock_start = Some(CLOCK_START.into());
        c.public_url = Some("http://sandbox.test".into());
    })
    .await;
    let used = spawn_with(|c| {
        c.clock_start = Some(CLOCK_START.into());
        c.public_url = Some("http://sandbox.test".into());
    })
    .await;
    user_with_connection(&used).await;
    advance(&used, "12d").await;
    used.sandbox_post("/sandbox/reset", json!({})).await.ok();
    let mut out = Vec::new();
    for app in [&fresh, &used] {
        let b = app
            .sandbox_post("/sandbox/scenario", readme_scenario(CLOCK_START))
            .await
            .ok();
        let token = b["users"][0]["auth_token"].as_str().unwrap().to_string();
        let t = app
            .get("/users/me/transactions?limit=100", Some(&token))
            .await;
        let c = app
            .get("/users/me/connections?expand=sources", Some(&token))
            .await;
        out.push((t.text, c.text));
    }
    assert_eq!(out[0], out[1]);
}

#[tokio::test]
async fn reset_on_a_real_time_sandbox_unfreezes_the_clock() {
    let app = spawn_app().await;
    clock_post(&app, json!({"advance": "10d", "freeze": true}))
        .await
        .ok();
    let b = app.sandbox_post("/sandbox/reset", json!({})).await.ok();
    assert!(b["took_ms"].is_number(), "{b}");
    let clock = app.sandbox_get("/sandbox/clock").await.ok();
    assert_eq!(clock["frozen"], false, "{clock}");
    assert_eq!(clock["offset_seconds"], 0, "{clock}");
}

// The config token guards every endpoint

#[tokio::test]
async fn every_sandbox_endpoint_answers_401_without_the_config_token() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let account = id_of(&app.all_accounts(&token).await[0]);
    let calls: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/sandbox/clock".into(), None),
        (
            Method::POST,
            "/sandbox/clock".into(),
            Some(json!({"advance": "1d"})),
        ),
        (Method::POST, "/sandbox/tick".into(), Some(json!({}))),
        (Method::POST, "/sandbox/reset".into(), Some(json!({}))),
        (
            Method::POST,
            "/sandbox/scenario".into(),
            Some(json!({"users": [{}]})),
        ),
        (Method::POST, "/sandbox/users".into(), Some(json!({}))),
        (Method::GET, format!("/sandbox/connections/{id}"), None),
        (
            Method::POST,
            format!("/sandbox/connections/{id}/state"),
            Some(json!({"state": "bug"})),
        ),
        (
            Method::POST,
            format!("/sandbox/connections/{id}/validate"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/sandbox/connections/{id}/sync"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/sandbox/connections/{id}/bank/accounts"),
            Some(json!({"type": "savings"})),
        ),
        (
            Method::DELETE,
            format!("/sandbox/connections/{id}/bank/accounts/{account}"),
            None,
        ),
        (
            Method::POST,
            format!("/sandbox/connections/{id}/bank/transactions"),
            Some(
                json!({"id_account": account, "transactions": [{"date": "2026-01-10", "value": 1}]}),
            ),
        ),
        (
            Method::POST,
            format!("/sandbox/connections/{id}/bank/outage"),
            Some(json!({"state": "bug"})),
        ),
        (
            Method::DELETE,
            format!("/sandbox/connections/{id}/bank/outage"),
            None,
        ),
    ];
    for who in [None, Some(token.as_str()), Some(USERS_TOKEN), Some("nope")] {
        for (method, path, body) in &calls {
            let r = app.call(method.clone(), path, who, body.clone()).await;
            assert_eq!(
                r.status, 401,
                "{method} {path} with {who:?}: {} {}",
                r.status, r.text
            );
            r.assert_error(401, "unauthorized");
        }
    }
    // Nothing happened.
    assert_eq!(app.sandbox_now().await, CLOCK_START);
    assert_eq!(users_total(&app).await, 1);
    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, None);
    let s = app
        .sandbox_get(&format!("/sandbox/connections/{id}"))
        .await
        .ok();
    assert_eq!(s["sandbox"]["bank"]["outage"], Value::Null, "{s}");
    assert_eq!(app.all_accounts(&token).await.len(), 7);
}
