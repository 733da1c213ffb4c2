//! Forcing states and syncs on demand.

use super::*;

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
    let without_psu = b["error_message"].clone();

    // With the PSU, the SCA starts; a sync never renews consent by itself.
    let b = sync_now(&app, id, json!({"psu_requested": true})).await;
    assert_connection_state(&b, Some("SCARequired"));
    let with_psu = b["error_message"].clone();
    assert_ne!(with_psu, without_psu, "{b}");
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["access_expire"], "2026-07-14 11:00:00");
    let r = app
        .post(
            &format!("/users/me/connections/{id}"),
            Some(&token),
            json!({}),
        )
        .await;
    assert_connection_state(&r.body, None);

    // The query string works too.
    advance(&app, "180d").await;
    let b = app
        .sandbox_post(
            &format!("/sandbox/connections/{id}/sync?psu_requested=true"),
            json!({}),
        )
        .await
        .ok();
    assert_connection_state(&b, Some("SCARequired"));
    assert_eq!(b["error_message"], with_psu, "{b}");
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
