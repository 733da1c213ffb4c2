//! Connection states end to end (§11, README "Connection states and magic credentials"):
//! every ConnectionState reached from a login form and resumed the way the PSU would, PSD2
//! consent and its exact 180-day boundary, background syncs every 24 h of sandbox time, the
//! hourly retries after a bank-side failure, and per-source states.

use crate::common::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Creates a connection and checks the status; returns the body.
async fn connect(app: &TestApp, token: &str, body: Value, status: u16) -> Value {
    let r = app.post("/users/me/connections", Some(token), body).await;
    assert_eq!(r.status.as_u16(), status, "creating: {}", r.text);
    r.body
}

/// `POST /users/me/connections/{id}` (an update: credentials, OTP, resume, refresh_auth).
async fn update(app: &TestApp, token: &str, id: i64, body: Value) -> Reply {
    app.post(&format!("/users/me/connections/{id}"), Some(token), body)
        .await
}

/// `PUT /users/me/connections/{id}?psu_requested=...`.
async fn put_sync(app: &TestApp, token: &str, id: i64, psu_requested: bool) -> Reply {
    app.put(
        &format!("/users/me/connections/{id}?psu_requested={psu_requested}"),
        Some(token),
        None,
    )
    .await
}

fn status(r: &Reply) -> u16 {
    r.status.as_u16()
}

fn field_names(c: &Value) -> Vec<String> {
    c["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("fields in {c}"))
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect()
}

fn has_message(c: &Value) -> bool {
    c["error_message"]
        .as_str()
        .is_some_and(|m| !m.trim().is_empty())
}

/// The jobs of a tick that synced this connection.
fn syncs_of(ran: &[Value], id: i64) -> Vec<Value> {
    ran.iter()
        .filter(|j| j["job"] == "sync" && j["id_connection"] == id)
        .cloned()
        .collect()
}

async fn transactions_total(app: &TestApp, token: &str) -> i64 {
    let b = app
        .get("/users/me/transactions?limit=1", Some(token))
        .await
        .ok();
    b["total"].as_i64().unwrap()
}

// Every scenario from a login form

#[tokio::test]
async fn each_test_connector_value_reaches_the_state_its_name_says() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let table: [(&str, u16, Option<&str>); 10] = [
        ("par", 200, None),
        ("pro", 200, None),
        ("SCARequired", 202, Some("SCARequired")),
        ("SCARequiredAndOTP", 202, Some("SCARequired")),
        ("SCARequiredAndDecoupled", 202, Some("SCARequired")),
        ("shortDecoupled", 202, Some("decoupled")),
        (
            "additionalInformationNeeded",
            202,
            Some("additionalInformationNeeded"),
        ),
        ("actionNeeded", 200, Some("actionNeeded")),
        ("passwordExpired", 200, Some("passwordExpired")),
        ("bug", 200, Some("bug")),
    ];
    for (website, code, state) in table {
        let c = connect(&app, &token, test_connector(website), code).await;
        assert_connection_state(&c, state);
        if state.is_some() {
            assert!(has_message(&c), "{website}: a message for the PSU in {c}");
        } else {
            assert_eq!(c["error_message"], Value::Null, "{website}: {c}");
            assert_eq!(c["last_update"], CLOCK_START, "{website}: {c}");
        }
        let again = app.connection_of(&token, id_of(&c)).await;
        assert_connection_state(&again, state);
    }
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            test_connector("wrongpass"),
        )
        .await;
    r.assert_error(400, "wrongpass");
    let list = app.get("/users/me/connections", Some(&token)).await.ok();
    assert_eq!(list["total"], 10, "the refused one is not kept: {list}");
}

#[tokio::test]
async fn each_magic_password_reaches_its_state_from_a_credentials_form() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let table: [(&str, u16, Option<&str>); 14] = [
        ("123456", 200, None),
        ("111111", 202, Some("SCARequired")),
        ("112233", 202, Some("SCARequired")),
        ("113355", 202, Some("SCARequired")),
        ("222222", 202, Some("additionalInformationNeeded")),
        ("333333", 202, Some("decoupled")),
        ("334455", 202, Some("decoupled")),
        ("444444", 200, Some("actionNeeded")),
        ("555555", 200, Some("passwordExpired")),
        ("777777", 200, Some("websiteUnavailable")),
        ("888888", 200, Some("rateLimiting")),
        ("999999", 200, Some("bug")),
        ("000000", 200, Some("notSupported")),
        ("121212", 202, Some("webauthRequired")),
    ];
    for (password, code, state) in table {
        let c = connect(&app, &token, hermeline("12345678", password), code).await;
        assert_connection_state(&c, state);
        assert_eq!(
            state.is_some(),
            has_message(&c),
            "{password}: error_message in {c}"
        );
    }
    app.post(
        "/users/me/connections",
        Some(&token),
        hermeline("12345678", "666666"),
    )
    .await
    .assert_error(400, "wrongpass");
    let list = app.get("/users/me/connections", Some(&token)).await.ok();
    assert_eq!(list["total"], 14, "{list}");
}

#[tokio::test]
async fn the_magic_words_work_where_the_password_has_no_format() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    for (word, state) in [
        ("SCARequired", "SCARequired"),
        ("actionNeeded", "actionNeeded"),
        ("notSupported", "notSupported"),
        ("rateLimiting", "rateLimiting"),
    ] {
        let mut body = test_connector("par");
        body["password"] = json!(word);
        let r = app.post("/users/me/connections", Some(&token), body).await;
        assert!(r.status.is_success(), "{word}: {}", r.text);
        assert_connection_state(&r.body, Some(state));
    }
}

// SCARequired

#[tokio::test]
async fn sca_required_is_resumed_by_an_empty_post() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("SCARequired"), 202).await;
    let id = id_of(&c);
    assert_eq!(c["last_update"], Value::Null, "{c}");
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["state"], "SCARequired", "{sources:?}");
    assert!(sources["openapi"]["error_message"].is_string());
    assert_eq!(sources["openapi"]["last_update"], Value::Null);
    assert_eq!(sources["directaccess"]["state"], Value::Null);
    assert_eq!(sources["directaccess"]["last_update"], CLOCK_START);
    assert!(
        app.all_accounts(&token).await.is_empty(),
        "nothing is fetched from a source waiting for its SCA"
    );

    let now = advance(&app, "1h").await;
    let r = update(&app, &token, id, json!({})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    assert_eq!(r.body["error_message"], Value::Null);
    assert_eq!(r.body["last_update"], now);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["state"], Value::Null);
    assert_eq!(sources["openapi"]["last_update"], now);
    assert_eq!(
        sources["openapi"]["access_expire"], "2026-07-14 11:00:00",
        "the SCA renews consent for 180 days"
    );
    let accounts = app.all_accounts(&token).await;
    assert!(!accounts.is_empty(), "accounts found once the SCA is done");
    assert!(accounts.iter().all(|a| !a["disabled"].is_null()));
}

#[tokio::test]
async fn sca_then_otp_asks_for_the_code_after_the_sca() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("SCARequiredAndOTP"), 202).await;
    let id = id_of(&c);
    assert_connection_state(&c, Some("SCARequired"));
    let r = update(&app, &token, id, json!({})).await;
    assert_eq!(status(&r), 202, "{}", r.text);
    assert_connection_state(&r.body, Some("additionalInformationNeeded"));
    assert_eq!(field_names(&r.body), ["otp"]);
    let r = update(&app, &token, id, json!({"otp": "123456"})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    assert!(r.body.get("fields").is_none(), "{}", r.text);
    assert_eq!(r.body["last_update"], CLOCK_START);
}

#[tokio::test]
async fn sca_then_decoupled_waits_for_the_bank_app() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("SCARequiredAndDecoupled"), 202).await;
    let id = id_of(&c);
    assert_connection_state(&c, Some("SCARequired"));
    let r = update(&app, &token, id, json!({})).await;
    assert_eq!(status(&r), 202, "{}", r.text);
    assert_connection_state(&r.body, Some("decoupled"));
    assert!(has_message(&r.body), "{}", r.text);
    app.sandbox_post(&format!("/sandbox/connections/{id}/validate"), json!({}))
        .await
        .ok();
    let r = update(&app, &token, id, json!({"resume": true})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
}

// additionalInformationNeeded

#[tokio::test]
async fn a_wrong_otp_is_refused_and_the_connection_keeps_waiting_for_it() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(
        &app,
        &token,
        test_connector("additionalInformationNeeded"),
        202,
    )
    .await;
    let id = id_of(&c);
    assert_connection_state(&c, Some("additionalInformationNeeded"));
    let otp = &c["fields"][0];
    assert_eq!(otp["name"], "otp", "{c}");
    assert!(otp["label"].is_string(), "{c}");
    assert_eq!(otp["required"], true, "{c}");

    let r = update(&app, &token, id, json!({"otp": "654321"})).await;
    assert_eq!(status(&r), 400, "{}", r.text);
    assert!(r.body["code"].is_string() && r.body["request_id"].is_string());
    let still = app.connection_of(&token, id).await;
    assert_connection_state(&still, Some("additionalInformationNeeded"));
    assert_eq!(field_names(&still), ["otp"]);

    let r = update(&app, &token, id, json!({"otp": "123456"})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    let done = app.connection_of(&token, id).await;
    assert!(done.get("fields").is_none(), "{done}");
}

#[tokio::test]
async fn an_otp_is_refused_when_none_is_asked_for() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    update(&app, &token, id_of(&c), json!({"otp": "123456"}))
        .await
        .assert_error(400, "invalidValue");
}

#[tokio::test]
async fn the_otp_of_a_credentials_connector_resumes_it() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, hermeline("12345678", "222222"), 202).await;
    assert_eq!(field_names(&c), ["otp"]);
    let r = update(&app, &token, id_of(&c), json!({"otp": "123456"})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
}

#[tokio::test]
async fn the_sca_then_otp_chain_of_a_credentials_connector_resumes_it() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, hermeline("12345678", "112233"), 202).await;
    let id = id_of(&c);
    let r = update(&app, &token, id, json!({})).await;
    assert_eq!(status(&r), 202, "{}", r.text);
    assert_connection_state(&r.body, Some("additionalInformationNeeded"));
    let r = update(&app, &token, id, json!({"otp": "123456"})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
}

// decoupled and validating

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
        sources["openapi"]["access_expire"], "2026-07-14 10:00:10",
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

// Bank-side failures: retried by the scheduler

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

// PSD2 consent: 180 days

#[tokio::test]
async fn psd2_sources_carry_180_days_of_consent_from_the_credentials() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let sources = app.sources_by_name(&token, id_of(&c)).await;
    assert_eq!(sources["openapi"]["access_expire"], "2026-07-14 10:00:00");
    assert_eq!(
        sources["directaccess"]["access_expire"],
        Value::Null,
        "not a PSD2 source"
    );
    let h = connect(&app, &token, hermeline("12345678", "123456"), 200).await;
    let sources = app.sources_by_name(&token, id_of(&h)).await;
    assert_eq!(sources["directaccess"]["access_expire"], Value::Null);
}

#[tokio::test]
async fn one_second_before_180_days_a_background_sync_succeeds() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    let now = advance(&app, "179d23h59m59s").await;
    assert_eq!(now, "2026-07-14 09:59:59");
    let ran = app.run_due_work().await;
    assert_eq!(syncs_of(&ran, id)[0]["state"], Value::Null, "{ran:?}");
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["state"], Value::Null);
    assert_eq!(sources["openapi"]["last_update"], now);
    assert_eq!(
        sources["openapi"]["access_expire"], "2026-07-14 10:00:00",
        "a background sync does not renew consent"
    );
}

#[tokio::test]
async fn at_exactly_180_days_a_background_sync_ends_in_sca_required_for_the_psd2_source_only() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    enable_all(&app, &token).await;
    let before = transactions_total(&app, &token).await;
    let now = advance(&app, "180d").await;
    assert_eq!(now, "2026-07-14 10:00:00");
    let ran = app.run_due_work().await;
    let jobs = syncs_of(&ran, id);
    assert_eq!(jobs[0]["state"], "SCARequired", "{ran:?}");
    assert_eq!(jobs[0]["new_transactions"], 0, "nothing fetched: {ran:?}");

    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, Some("SCARequired"));
    assert!(has_message(&c), "{c}");
    assert_eq!(c["last_update"], CLOCK_START, "{c}");
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["state"], "SCARequired");
    assert_eq!(sources["openapi"]["last_update"], CLOCK_START);
    assert_eq!(sources["openapi"]["access_expire"], "2026-07-14 10:00:00");
    assert_eq!(
        sources["directaccess"]["state"],
        Value::Null,
        "the other source still syncs"
    );
    assert_eq!(sources["directaccess"]["last_update"], now);
    assert_eq!(transactions_total(&app, &token).await, before);
    for a in app.all_accounts(&token).await {
        assert_eq!(a["last_update"], CLOCK_START, "{a}");
    }
}

#[tokio::test]
async fn the_consent_boundary_is_exact_for_a_sync_without_the_psu() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    advance(&app, "179d23h59m59s").await;
    let r = put_sync(&app, &token, id, false).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    advance(&app, "1s").await;
    let r = put_sync(&app, &token, id, false).await;
    assert_eq!(status(&r), 202, "{}", r.text);
    assert_connection_state(&r.body, Some("SCARequired"));
}

#[tokio::test]
async fn with_the_psu_present_the_sca_runs_and_consent_is_renewed_for_180_days() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    enable_all(&app, &token).await;
    let now = advance(&app, "200d").await;
    app.run_due_work().await;
    assert_connection_state(&app.connection_of(&token, id).await, Some("SCARequired"));
    let before = transactions_total(&app, &token).await;

    let r = put_sync(&app, &token, id, true).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    assert_eq!(r.body["last_update"], now);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["state"], Value::Null);
    assert_eq!(sources["openapi"]["access_expire"], "2027-01-30 10:00:00");
    assert!(
        transactions_total(&app, &token).await > before,
        "the accounts are fetched again"
    );
    // The renewed consent holds for background syncs.
    advance(&app, "1d").await;
    let ran = app.run_due_work().await;
    assert_eq!(syncs_of(&ran, id)[0]["state"], Value::Null, "{ran:?}");
}

#[tokio::test]
async fn an_empty_post_after_expiry_renews_consent() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    advance(&app, "180d").await;
    app.run_due_work().await;
    let r = update(&app, &token, id, json!({})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["access_expire"], "2027-01-10 10:00:00");
}

#[tokio::test]
async fn refresh_auth_renews_consent_before_it_expires() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    advance(&app, "100d").await;
    let r = update(&app, &token, id, json!({"refresh_auth": true})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["access_expire"], "2026-10-22 10:00:00");
    advance(&app, "80d").await;
    let ran = app.run_due_work().await;
    assert_eq!(
        syncs_of(&ran, id)[0]["state"],
        Value::Null,
        "the old deadline has passed harmlessly: {ran:?}"
    );
}

#[tokio::test]
async fn an_expired_consent_renewed_with_the_psu_goes_through_the_logins_otp() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("SCARequiredAndOTP"), 202).await;
    let id = id_of(&c);
    update(&app, &token, id, json!({})).await;
    update(&app, &token, id, json!({"otp": "123456"}))
        .await
        .ok();
    advance(&app, "180d").await;
    app.run_due_work().await;
    assert_connection_state(&app.connection_of(&token, id).await, Some("SCARequired"));

    let now = advance(&app, "1h").await;
    let r = put_sync(&app, &token, id, true).await;
    assert_eq!(status(&r), 202, "{}", r.text);
    assert_connection_state(&r.body, Some("additionalInformationNeeded"));
    assert_eq!(field_names(&r.body), ["otp"]);
    let r = update(&app, &token, id, json!({"otp": "123456"})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    assert_eq!(r.body["last_update"], now);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["access_expire"], "2027-01-10 11:00:00");
}

#[tokio::test]
async fn refresh_auth_with_a_decoupled_login_waits_for_the_bank_app() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("SCARequiredAndDecoupled"), 202).await;
    let id = id_of(&c);
    update(&app, &token, id, json!({})).await;
    app.sandbox_post(&format!("/sandbox/connections/{id}/validate"), json!({}))
        .await
        .ok();
    update(&app, &token, id, json!({"resume": true})).await.ok();
    advance(&app, "90d").await;
    let r = update(&app, &token, id, json!({"refresh_auth": true})).await;
    assert_eq!(status(&r), 202, "{}", r.text);
    assert_connection_state(&r.body, Some("decoupled"));
    app.sandbox_post(&format!("/sandbox/connections/{id}/validate"), json!({}))
        .await
        .ok();
    let r = update(&app, &token, id, json!({"resume": true})).await;
    assert_eq!(status(&r), 200, "{}", r.text);
    assert_connection_state(&r.body, None);
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["access_expire"], "2026-10-12 10:00:00");
}

// Per-source states

#[tokio::test]
async fn the_connection_shows_the_first_failing_source_by_priority() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = connect(&app, &token, test_connector("par"), 200).await;
    let id = id_of(&c);
    // directaccess (priority 2) needs the PSU to act on the bank's site.
    app.sandbox_post(
        &format!("/sandbox/connections/{id}/state"),
        json!({"state": "actionNeeded", "source": "directaccess"}),
    )
    .await
    .ok();
    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, Some("actionNeeded"));
    // Then openapi (priority 0) loses its consent: it is the one shown.
    advance(&app, "180d").await;
    app.run_due_work().await;
    let c = app.connection_of(&token, id).await;
    assert_connection_state(&c, Some("SCARequired"));
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["state"], "SCARequired");
    assert_eq!(sources["directaccess"]["state"], "actionNeeded");
    // The PSU renews consent: directaccess's state shows again.
    let r = put_sync(&app, &token, id, true).await;
    assert_connection_state(&r.body, Some("actionNeeded"));
    let sources = app.sources_by_name(&token, id).await;
    assert_eq!(sources["openapi"]["state"], Value::Null);
    assert_eq!(sources["openapi"]["access_expire"], "2027-01-10 10:00:00");
}
