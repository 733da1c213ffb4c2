//! Creating a connection: the connector, the user, the answer.

use super::*;

#[tokio::test]
async fn creating_a_connection_answers_the_connection_already_synced() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            test_connector_credentials(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let c = &r.body;
    assert!(c["id"].is_i64(), "{}", r.text);
    assert_eq!(c["id_user"], id_user);
    assert_eq!(c["id_connector"], 40);
    assert_eq!(c["connector_uuid"], TEST_CONNECTOR_UUID);
    assert_eq!(c["state"], Value::Null);
    assert_eq!(c["error"], Value::Null);
    assert_eq!(c["active"], true);
    assert_eq!(c["created"], CLOCK_START);
    assert_eq!(c["last_update"], CLOCK_START, "the first sync is done");
    assert_eq!(c["next_try"], "2026-01-16 10:00:00");
    for key in [
        "active",
        "connector_uuid",
        "created",
        "error",
        "error_message",
        "expire",
        "id",
        "id_bank",
        "id_connector",
        "id_user",
        "last_push",
        "last_update",
        "next_try",
        "state",
    ] {
        assert!(c.get(key).is_some(), "missing {key} in {}", r.text);
    }
    assert!(c.get("connector").is_none(), "connector only with expand");
    assert!(
        !r.text.contains("1234"),
        "credentials never leak: {}",
        r.text
    );
}

#[tokio::test]
async fn a_connection_can_be_created_with_the_integer_connector_id() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(
            &token,
            json!({"id_connector": 40, "login": "Identifiant", "password": "1234"}),
        )
        .await;
    assert_eq!(c["connector_uuid"], TEST_CONNECTOR_UUID);
    let c = app
        .create_connection(
            &token,
            json!({"id_connector": "40", "login": "Identifiant", "password": "1234"}),
        )
        .await;
    assert_eq!(c["id_connector"], 40);
}

#[tokio::test]
async fn a_connection_can_be_created_through_the_users_numeric_id() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    let r = app
        .post(
            &format!("/users/{id_user}/connections"),
            Some(&token),
            test_connector_credentials(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["id_user"], id_user);
}

#[tokio::test]
async fn a_connection_can_be_created_from_a_form_body() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let form = app
        .client
        .post(app.url("/users/me/connections"))
        .bearer_auth(&token)
        .form(&[
            ("connector_uuid", TEST_CONNECTOR_UUID),
            ("login", "Identifiant"),
            ("password", "1234"),
        ]);
    let r = TestApp::reply(form.send().await.unwrap()).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn creating_a_connection_requires_a_token() {
    let app = spawn_frozen().await;
    app.post("/users/me/connections", None, test_connector_credentials())
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn creating_a_connection_for_another_user_is_not_found() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let (other, other_token) = app.permanent_user().await;
    app.post(
        &format!("/users/{other}/connections"),
        Some(&token),
        test_connector_credentials(),
    )
    .await
    .assert_error(404, "notFound");
    assert_eq!(connections_total(&app, &other_token).await, 0);
}

#[tokio::test]
async fn creating_without_a_connector_is_a_missing_parameter() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections",
            Some(&token),
            json!({"login": "Identifiant", "password": "1234"}),
        )
        .await;
    r.assert_error(400, "missingParameter");
    assert_eq!(connections_total(&app, &token).await, 0);
}

#[tokio::test]
async fn an_unknown_connector_is_an_invalid_value() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    for body in [
        json!({"connector_uuid": "00000000-0000-0000-0000-000000000000", "login": "a", "password": "b"}),
        json!({"id_connector": 999999, "login": "a", "password": "b"}),
    ] {
        app.post("/users/me/connections", Some(&token), body)
            .await
            .assert_error(400, "invalidValue");
    }
    assert_eq!(connections_total(&app, &token).await, 0);
}
