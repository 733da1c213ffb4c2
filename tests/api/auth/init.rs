//! `POST /auth/init` and `GET|POST /auth/token/code`.

use super::*;

#[tokio::test]
async fn init_with_client_credentials_creates_a_permanent_user() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/auth/init",
            None,
            json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["type"], "permanent");
    assert!(r.body["id_user"].as_i64().unwrap() > 0);
    let token = r.body["auth_token"].as_str().unwrap();
    assert!(!token.is_empty());
    // Observed on the real API: a permanent token has no expires_in key at all.
    assert!(r.body.get("expires_in").is_none(), "{}", r.text);

    let me = app.get("/users/me", Some(token)).await.ok();
    assert_eq!(me["id"], r.body["id_user"]);
}

#[tokio::test]
async fn init_without_client_credentials_creates_a_temporary_user_for_thirty_minutes() {
    let app = spawn_app().await;
    let r = app.post("/auth/init", None, json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["type"], "temporary");
    assert_eq!(r.body["expires_in"], 1800);
    let token = r.body["auth_token"].as_str().unwrap();

    let me = app.get("/users/me", Some(token)).await.ok();
    assert_eq!(me["id"], r.body["id_user"]);
}

#[tokio::test]
async fn init_without_any_body_creates_a_temporary_user() {
    let app = spawn_app().await;
    let r = send_raw(&app, Method::POST, "/auth/init", None, None, "").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["type"], "temporary");
}

#[tokio::test]
async fn init_accepts_a_form_body() {
    let app = spawn_app().await;
    let r = post_form(
        &app,
        "/auth/init",
        None,
        &[("client_id", CLIENT_ID), ("client_secret", CLIENT_SECRET)],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["type"], "permanent");
}

#[tokio::test]
async fn init_accepts_client_credentials_in_http_basic_auth() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/auth/init"))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .send()
        .await
        .unwrap();
    let r = TestApp::reply(res).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["type"], "permanent");
}

#[tokio::test]
async fn init_accepts_a_numeric_client_id() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/auth/init",
            None,
            json!({"client_id": 12345678, "client_secret": CLIENT_SECRET}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["type"], "permanent");
}

#[tokio::test]
async fn init_with_a_wrong_client_secret_is_unauthorized() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/auth/init",
            None,
            json!({"client_id": CLIENT_ID, "client_secret": "nope"}),
        )
        .await;
    r.assert_error(401, "unauthorized");
}

#[tokio::test]
async fn init_with_an_unknown_client_id_is_unauthorized() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/auth/init",
            None,
            json!({"client_id": "99999999", "client_secret": CLIENT_SECRET}),
        )
        .await;
    r.assert_error(401, "unauthorized");
}

#[tokio::test]
async fn init_with_a_client_id_but_no_secret_is_a_missing_parameter() {
    let app = spawn_app().await;
    let r = app
        .post("/auth/init", None, json!({"client_id": CLIENT_ID}))
        .await;
    r.assert_error_about(400, "missingParameter", "client_secret");
}

#[tokio::test]
async fn init_with_a_secret_but_no_client_id_is_a_missing_parameter() {
    let app = spawn_app().await;
    let r = app
        .post("/auth/init", None, json!({"client_secret": CLIENT_SECRET}))
        .await;
    r.assert_error_about(400, "missingParameter", "client_id");
}

#[tokio::test]
async fn init_rejects_a_client_id_that_is_not_a_string() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/auth/init",
            None,
            json!({"client_id": true, "client_secret": CLIENT_SECRET}),
        )
        .await;
    r.assert_error_about(400, "invalidValue", "client_id");
}

#[tokio::test]
async fn init_rejects_malformed_basic_credentials() {
    let app = spawn_app().await;
    let r = send_basic(&app, "/auth/init", "Basic !!!not-base64!!!").await;
    r.assert_error(400, "invalidValue");
    // Valid base64 but no "id:secret" separator.
    let r = send_basic(&app, "/auth/init", "Basic MTIzNDU2Nzg=").await;
    r.assert_error(400, "invalidValue");
}

async fn send_basic(app: &TestApp, path: &str, authorization: &str) -> Reply {
    let res = app
        .client
        .post(app.url(path))
        .header("Authorization", authorization)
        .send()
        .await
        .unwrap();
    TestApp::reply(res).await
}

#[tokio::test]
async fn every_init_creates_a_new_user_with_a_distinct_token() {
    let app = spawn_app().await;
    let (a, ta) = app.permanent_user().await;
    let (b, tb) = app.permanent_user().await;
    let (c, tc) = temporary_user(&app).await;
    assert!(a != b && b != c && a != c);
    assert!(ta != tb && tb != tc);
}

// ---- GET|POST /auth/token/code ------------------------------------------------------------

#[tokio::test]
async fn a_request_access_code_is_temporary_standard_and_lasts_thirty_minutes() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .get("/auth/token/code?type=requestAccess", Some(&token))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(!r.body["code"].as_str().unwrap().is_empty());
    assert_eq!(r.body["type"], "temporary");
    assert_eq!(r.body["access"], "standard");
    assert_eq!(r.body["expires_in"], 1800);
}

#[tokio::test]
async fn the_code_type_defaults_to_request_access() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let b = app.get("/auth/token/code", Some(&token)).await.ok();
    assert_eq!(b["access"], "standard");
}

#[tokio::test]
async fn a_single_access_code_has_single_access() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let b = app
        .get("/auth/token/code?type=singleAccess", Some(&token))
        .await
        .ok();
    assert_eq!(b["type"], "temporary");
    assert_eq!(b["access"], "single");
    assert_eq!(b["expires_in"], 1800);
}

#[tokio::test]
async fn a_code_can_also_be_requested_with_post() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/auth/token/code?type=singleAccess",
            Some(&token),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["access"], "single");
    let r = send_raw(
        &app,
        Method::POST,
        "/auth/token/code",
        Some(&token),
        None,
        "",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["access"], "standard");
}

#[tokio::test]
async fn an_unknown_code_type_is_an_invalid_value() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .get("/auth/token/code?type=foreverAccess", Some(&token))
        .await;
    r.assert_error_about(400, "invalidValue", "type");
}

#[tokio::test]
async fn a_code_cannot_be_requested_without_a_token() {
    let app = spawn_app().await;
    app.get("/auth/token/code", None)
        .await
        .assert_error(401, "unauthorized");
    app.get("/auth/token/code", Some("not-a-token"))
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn a_temporary_user_can_request_a_code() {
    let app = spawn_app().await;
    let (_, token) = temporary_user(&app).await;
    let b = app.get("/auth/token/code", Some(&token)).await.ok();
    assert_eq!(b["access"], "standard");
}

#[tokio::test]
async fn a_request_access_code_works_as_a_bearer_token_for_its_user() {
    let app = spawn_app().await;
    let (id, token) = app.permanent_user().await;
    let code = temporary_code(&app, &token, "requestAccess").await;
    let me = app.get("/users/me", Some(&code)).await.ok();
    assert_eq!(me["id"], id);
    // And again: a standard code is not used up by being a bearer token.
    let me = app.get("/users/me", Some(&code)).await.ok();
    assert_eq!(me["id"], id);
}

#[tokio::test]
async fn a_single_access_code_works_as_a_bearer_token_until_it_is_exchanged() {
    let app = spawn_app().await;
    let (id, token) = app.permanent_user().await;
    let code = temporary_code(&app, &token, "singleAccess").await;
    let me = app.get("/users/me", Some(&code)).await.ok();
    assert_eq!(me["id"], id);
    exchange_code(&app, &code).await.ok();
    app.get("/users/me", Some(&code))
        .await
        .assert_error(401, "unauthorized");
}
