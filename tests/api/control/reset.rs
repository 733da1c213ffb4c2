//! Reset, and the config token that guards every endpoint.

use super::*;

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

#[tokio::test]
async fn reset_with_a_clock_body_pins_the_clock_of_the_reset_sandbox() {
    let app = spawn_frozen().await;
    app.permanent_user().await;
    advance(&app, "3d").await;
    let b = app
        .sandbox_post(
            "/sandbox/reset",
            json!({"clock": {"set": "2024-06-03 09:30:00", "freeze": true}}),
        )
        .await
        .ok();
    assert_eq!(b["now"], "2024-06-03 09:30:00", "{b}");
    let clock = app.sandbox_get("/sandbox/clock").await.ok();
    assert_eq!(clock["now"], "2024-06-03 09:30:00");
    assert_eq!(clock["frozen"], true);
    assert_eq!(users_total(&app).await, 0);
    // Without `freeze`, the pinned instant keeps the frozen start's setting.
    let b = app
        .sandbox_post(
            "/sandbox/reset",
            json!({"clock": {"set": "2025-01-01 00:00:00"}}),
        )
        .await
        .ok();
    assert_eq!(b["now"], "2025-01-01 00:00:00", "{b}");
}

#[tokio::test]
async fn reset_refuses_a_bad_clock_body_and_resets_nothing() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let cases = [
        (json!({"clock": {"set": "tomorrow"}}), "set"),
        (json!({"clock": "2024-06-03 09:30:00"}), "clock"),
        (
            json!({"clock": {"sett": "2024-06-03 09:30:00"}}),
            "clock.sett",
        ),
        (json!({"clok": {"set": "2024-06-03 09:30:00"}}), "clok"),
    ];
    for (body, field) in cases {
        let r = app.sandbox_post("/sandbox/reset", body.clone()).await;
        r.assert_error(400, "invalidValue");
        assert!(
            r.body["description"].as_str().unwrap().contains(field),
            "{body}: {}",
            r.text
        );
    }
    assert_eq!(app.get("/users/me", Some(&token)).await.status, 200);
    assert_eq!(app.sandbox_now().await, CLOCK_START);
}
