//! Creation: the connector's fields and their checks, refused credentials, and connectors
//! that refuse a connection or send it to webauth.

use super::*;

#[tokio::test]
async fn a_missing_required_field_is_a_missing_parameter_naming_the_field() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            json!({"connector_uuid": TEST_CONNECTOR_UUID, "login": "Identifiant"}),
        )
        .await;
    r.assert_error(400, "missingParameter");
    assert!(
        r.body["description"].as_str().unwrap().contains("password"),
        "{}",
        r.text
    );
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            json!({"id_connector": HERMELINE, "password": "123456"}),
        )
        .await;
    r.assert_error(400, "missingParameter");
    assert!(
        r.body["description"].as_str().unwrap().contains("login"),
        "{}",
        r.text
    );
    assert_eq!(connections_total(&app, &token).await, 0);
}

#[tokio::test]
async fn an_empty_required_field_is_a_missing_parameter() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            json!({"connector_uuid": TEST_CONNECTOR_UUID, "login": "Identifiant", "password": ""}),
        )
        .await;
    r.assert_error_about(400, "missingParameter", "password");
}

#[tokio::test]
async fn a_field_that_does_not_match_its_regex_is_an_invalid_value_naming_the_field() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            hermeline("abc", "123456"),
        )
        .await;
    r.assert_error_about(400, "invalidValue", "login");
    // Too short, then too long, for ^[0-9]{8,11}$.
    for login in ["1234567", "123456789012"] {
        app.post(
            "/users/me/connections",
            Some(&token),
            hermeline(login, "123456"),
        )
        .await
        .assert_error(400, "invalidValue");
    }
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            hermeline("12345678", "12345"),
        )
        .await;
    r.assert_error_about(400, "invalidValue", "password");
    assert_eq!(connections_total(&app, &token).await, 0);
}

#[tokio::test]
async fn values_matching_the_connector_regexes_are_accepted() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    for login in ["12345678", "12345678901"] {
        let c = app
            .create_connection(&token, hermeline(login, "123456"))
            .await;
        assert_eq!(c["id_connector"], HERMELINE);
        assert_eq!(c["state"], Value::Null);
    }
}

#[tokio::test]
async fn a_list_field_outside_its_values_is_an_invalid_value_naming_the_field() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let mut body = test_connector_credentials();
    body["openapiwebsite"] = json!("nosuchscenario");
    let r = app.post("/users/me/connections", Some(&token), body).await;
    r.assert_error_about(400, "invalidValue", "openapiwebsite");
    assert_eq!(connections_total(&app, &token).await, 0);
}

#[tokio::test]
async fn list_fields_of_other_connectors_are_checked_too() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let body = |espace: &str| json!({"id_connector": 44, "login": "12345678", "password": "123456", "espace": espace});
    let r = app
        .post("/users/me/connections", Some(&token), body("ent2"))
        .await;
    r.assert_error_about(400, "invalidValue", "espace");
    let c = app.create_connection(&token, body("ent")).await;
    assert_eq!(c["id_connector"], 44);
}

#[tokio::test]
async fn numeric_field_values_are_read_as_text() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(
            &token,
            json!({"id_connector": HERMELINE, "login": 12345678, "password": 123456}),
        )
        .await;
    assert_eq!(c["state"], Value::Null);
}

#[tokio::test]
async fn a_field_value_that_is_not_text_is_an_invalid_value_naming_the_field() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    for bad in [json!(true), json!(["1234"]), json!({"v": "1234"})] {
        let r = app
            .post(
                "/users/me/connections",
                Some(&token),
                json!({"connector_uuid": TEST_CONNECTOR_UUID, "login": "Identifiant", "password": bad}),
            )
            .await;
        r.assert_error_about(400, "invalidValue", "password");
    }
    assert_eq!(connections_total(&app, &token).await, 0);
}

#[tokio::test]
async fn refused_credentials_answer_wrongpass_and_no_connection_is_kept() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let kept = app
        .create_connection(&token, hermeline("12345678", "123456"))
        .await;
    let mut by_password = test_connector_credentials();
    by_password["password"] = json!("wrongpass");
    let mut by_scenario = test_connector_credentials();
    by_scenario["openapiwebsite"] = json!("wrongpass");
    for body in [by_password, by_scenario] {
        let r = app.post("/users/me/connections", Some(&token), body).await;
        r.assert_error(400, "wrongpass");
        assert!(
            r.body["message"].is_string(),
            "the bank's message: {}",
            r.text
        );
    }
    let list = app.get("/users/me/connections", Some(&token)).await.ok();
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["connections"][0]["id"], kept["id"]);
    // Nothing of the refused attempts was kept: every account is Hermeline's.
    for a in app.all_accounts(&token).await {
        assert_eq!(a["id_connection"], kept["id"], "{a}");
    }
}

#[tokio::test]
async fn refused_credentials_leave_no_accounts_behind() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let mut body = test_connector_credentials();
    body["password"] = json!("wrongpass");
    app.post("/users/me/connections", Some(&token), body)
        .await
        .assert_error(400, "wrongpass");
    let b = app.get("/users/me/accounts?all", Some(&token)).await.ok();
    assert_eq!(b["total"], 0, "{b}");
}

#[tokio::test]
async fn a_restricted_connector_refuses_new_connections() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    app.post(
        "/users/me/connections",
        Some(&token),
        json!({"id_connector": RESTRICTED, "login": "12345678", "password": "secret"}),
    )
    .await
    .assert_error(400, "invalidValue");
    assert_eq!(connections_total(&app, &token).await, 0);
}

#[tokio::test]
async fn a_webauth_only_connector_answers_202_in_webauth_required() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections?expand=all_accounts",
            Some(&token),
            json!({"id_connector": WEBAUTH_ONLY}),
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert_eq!(r.body["state"], "webauthRequired");
    assert_eq!(r.body["error"], "webauthRequired");
    assert_eq!(r.body["last_update"], Value::Null);
    assert_eq!(r.body["all_accounts"], json!([]));
    assert_eq!(connections_total(&app, &token).await, 1);
}

#[tokio::test]
async fn a_hidden_connector_still_accepts_connections() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections?expand=sources",
            Some(&token),
            json!({"id_connector": HIDDEN}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text);
    // Its disabled directaccess source is not added.
    let names: Vec<&str> = r.body["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["openapi"], "{}", r.text);
}
