//! Every scenario from a login form, SCARequired and additionalInformationNeeded.

use super::*;

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
        sources["openapi"]["access_expire"], "2026-07-14 12:00:00",
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
