//! Decoupled validation, and new credentials for actionNeeded, passwordExpired and wrongpass.

use super::*;

#[tokio::test]
async fn a_blocking_resume_returns_once_the_psu_validates_in_the_bank_app() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, hermeline("12345678", "333333"), 202).await;
    let id = id_of(&c);
    assert_connection_state(&c, Some("decoupled"));
    let client = app.client.clone();
    let url = app.url(&format!("/users/me/connections/{id}"));
    let t = token.clone();
    let waiting = tokio::spawn(async move {
        let res = client
            .post(url)
            .bearer_auth(t)
            .json(&json!({"resume": true}))
            .send()
            .await
            .expect("request");
        TestApp::reply(res).await
    });
    // Whichever reaches the server first, the resume answers once the PSU has validated.
    app.sandbox_post(&format!("/sandbox/connections/{id}/validate"), json!({}))
        .await
        .ok();
    let r = waiting.await.expect("resume");
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    assert_eq!(r.body["last_update"], CLOCK_START);
}

#[tokio::test]
async fn a_blocking_resume_gives_up_still_decoupled_when_the_psu_never_validates() {
    // A 3 s request timeout bounds the wait to about a second.
    let app = spawn_with(|c| {
        c.clock_start = Some(CLOCK_START.into());
        c.request_timeout = 3;
    })
    .await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, hermeline("12345678", "333333"), 202).await;
    let started = Instant::now();
    let r = update(&app, &token, id_of(&c), json!({"resume": true})).await;
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "answered after {:?}: it did not wait",
        started.elapsed()
    );
    assert_eq!(status(&r), 202, "{}", r.text);
    assert_connection_state(&r.body, Some("decoupled"));
}

#[tokio::test]
async fn short_decoupled_is_validated_by_the_bank_app_after_three_seconds() {
    // Real time: the clock is not frozen, so the bank's app validates by itself.
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("shortDecoupled"), 202).await;
    assert_connection_state(&c, Some("decoupled"));
    let started = Instant::now();
    let r = update(&app, &token, id_of(&c), json!({"resume": true})).await;
    let waited = started.elapsed();
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    assert!(
        waited >= Duration::from_millis(1500) && waited < Duration::from_secs(10),
        "waited {waited:?}"
    );
}

#[tokio::test]
async fn a_background_resume_answers_validating_and_a_poll_sees_it_finish() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    // Banque Hermeline's app validates 30 s after the decoupled step starts.
    let c = connect(&app, &token, hermeline("12345678", "333333"), 202).await;
    let id = id_of(&c);
    let started = Instant::now();
    let r = app
        .post(
            &format!("/users/me/connections/{id}?background"),
            Some(&token),
            json!({"resume": true}),
        )
        .await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "it answers at once"
    );
    assert_eq!(status(&r), 202, "{}", r.text);
    assert_connection_state(&r.body, Some("validating"));
    assert_connection_state(&app.connection_of(&token, id).await, Some("validating"));

    advance(&app, "29s").await;
    let ran = app.run_due_work().await;
    assert!(ran.is_empty(), "not validated yet: {ran:?}");
    assert_connection_state(&app.connection_of(&token, id).await, Some("validating"));

    let now = advance(&app, "1s").await;
    let ran = app.run_due_work().await;
    assert!(
        ran.iter()
            .any(|j| j["job"] == "decoupled_validated" && j["id_connection"] == id),
        "{ran:?}"
    );
    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, None);
    assert_eq!(c["last_update"], now);
}

#[tokio::test]
async fn the_control_plane_validates_a_background_resume_at_once() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("SCARequiredAndDecoupled"), 202).await;
    let id = id_of(&c);
    update(&app, &token, id, json!({})).await;
    let r = app
        .post(
            &format!("/users/me/connections/{id}?background=true"),
            Some(&token),
            json!({"resume": true}),
        )
        .await;
    assert_eq!(status(&r), 202, "{}", r.text);
    assert_connection_state(&r.body, Some("validating"));
    // The test connector's app would take 60 s; the control plane does not wait.
    let now = advance(&app, "10s").await;
    let v = app
        .sandbox_post(&format!("/sandbox/connections/{id}/validate"), json!({}))
        .await
        .ok();
    assert_connection_state(&v, None);
    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, None);
    assert_eq!(c["last_update"], now);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(
        sources["openapi"]["access_expire"], "2026-07-14 11:00:10",
        "the SCA renewed consent when it completed"
    );
}

#[tokio::test]
async fn resume_is_refused_when_no_decoupled_validation_is_pending() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("SCARequired"), 202).await;
    update(&app, &token, id_of(&c), json!({"resume": true}))
        .await
        .assert_error(400, "invalidValue");
    app.sandbox_post(
        &format!("/sandbox/connections/{}/validate", id_of(&c)),
        json!({}),
    )
    .await
    .assert_error(400, "invalidValue");
}

// actionNeeded, passwordExpired, wrongpass: new credentials

#[tokio::test]
async fn action_needed_shows_the_banks_message_until_new_credentials() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("actionNeeded"), 200).await;
    let id = id_of(&c);
    assert_connection_state(&c, Some("actionNeeded"));
    let message = c["error_message"].as_str().unwrap();
    assert!(
        message.contains("conditions"),
        "a realistic message: {message}"
    );
    advance(&app, "24h").await;
    app.run_due_work().await;
    assert_connection_state(&app.connection_of(&token, id).await, Some("actionNeeded"));
    let r = update(
        &app,
        &token,
        id,
        json!({"password": "5678", "openapiwebsite": "par"}),
    )
    .await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    assert_eq!(r.body["error_message"], Value::Null);
}

#[tokio::test]
async fn password_expired_asks_for_a_new_password() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, hermeline("12345678", "555555"), 200).await;
    let id = id_of(&c);
    assert_connection_state(&c, Some("passwordExpired"));
    let message = c["error_message"].as_str().unwrap();
    assert!(
        message.contains("mot de passe") && message.contains("expiré"),
        "a realistic message: {message}"
    );
    assert_eq!(field_names(&c), ["login", "password"]);
    advance(&app, "24h").await;
    app.run_due_work().await;
    assert_connection_state(
        &app.connection_of(&token, id).await,
        Some("passwordExpired"),
    );
    let r = update(&app, &token, id, json!({"password": "654321"})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    assert!(r.body.get("fields").is_none(), "{}", r.text);
}

#[tokio::test]
async fn the_password_expired_value_of_the_test_connector_is_resumed_by_new_credentials() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("passwordExpired"), 200).await;
    assert!(field_names(&c).contains(&"password".to_string()), "{c}");
    let r = update(
        &app,
        &token,
        id_of(&c),
        json!({"password": "nouveau", "openapiwebsite": "par"}),
    )
    .await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
}

#[tokio::test]
async fn refused_new_credentials_leave_the_connection_in_wrongpass_until_good_ones() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, hermeline("12345678", "123456"), 200).await;
    let id = id_of(&c);
    let r = update(&app, &token, id, json!({"password": "666666"})).await;
    r.assert_error(400, "wrongpass");
    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, Some("wrongpass"));
    assert!(has_message(&c), "{c}");
    assert_eq!(field_names(&c), ["login", "password"]);
    assert_eq!(c["fields"][0]["regex"], "^[0-9]{8,11}$", "{c}");
    // The scheduler does not clear it: the credentials are still wrong.
    advance(&app, "24h").await;
    app.run_due_work().await;
    assert_connection_state(&app.connection_of(&token, id).await, Some("wrongpass"));
    let r = update(&app, &token, id, json!({"password": "123456"})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    assert!(r.body.get("fields").is_none(), "{}", r.text);
}

#[tokio::test]
async fn the_wrongpass_value_of_the_test_connector_refuses_an_update_too() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    update(&app, &token, id, json!({"openapiwebsite": "wrongpass"}))
        .await
        .assert_error(400, "wrongpass");
    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, Some("wrongpass"));
    assert!(field_names(&c).contains(&"login".to_string()), "{c}");
    let r = update(&app, &token, id, json!({"openapiwebsite": "par"})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
}
