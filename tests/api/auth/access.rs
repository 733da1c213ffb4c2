//! `POST /auth/token/access`.

use super::*;

#[tokio::test]
async fn a_code_is_exchanged_for_a_permanent_bearer_token_of_the_same_user() {
    let app = spawn_app().await;
    let (id, token) = app.permanent_user().await;
    let code = temporary_code(&app, &token, "requestAccess").await;
    let r = exchange_code(&app, &code).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["token_type"], "Bearer");
    let access = r.body["access_token"].as_str().unwrap();
    assert_ne!(access, token);
    assert_ne!(access, code);
    let me = app.get("/users/me", Some(access)).await.ok();
    assert_eq!(me["id"], id);
}

#[tokio::test]
async fn a_single_access_code_can_be_exchanged_only_once() {
    let app = spawn_app().await;
    let code = permanent_user_code(&app, "singleAccess").await;
    exchange_code(&app, &code).await.ok();
    let r = exchange_code(&app, &code).await;
    r.assert_error_about(400, "invalidValue", "code");
}

#[tokio::test]
async fn a_single_access_code_exchanged_concurrently_succeeds_only_once() {
    let app = spawn_app().await;
    let code = permanent_user_code(&app, "singleAccess").await;
    let (a, b, c) = tokio::join!(
        exchange_code(&app, &code),
        exchange_code(&app, &code),
        exchange_code(&app, &code)
    );
    let ok = [&a, &b, &c]
        .iter()
        .filter(|r| r.status.is_success())
        .count();
    assert_eq!(ok, 1, "{} / {} / {}", a.text, b.text, c.text);
    for r in [a, b, c] {
        if !r.status.is_success() {
            r.assert_error(400, "invalidValue");
        }
    }
}

#[tokio::test]
async fn a_request_access_code_can_be_exchanged_more_than_once_while_valid() {
    let app = spawn_app().await;
    let code = permanent_user_code(&app, "requestAccess").await;
    let first = exchange_code(&app, &code).await.ok();
    let second = exchange_code(&app, &code).await.ok();
    assert_ne!(first["access_token"], second["access_token"]);
}

#[tokio::test]
async fn exchanging_a_temporary_users_code_makes_the_user_permanent() {
    let app = spawn_app().await;
    let (id, token) = temporary_user(&app).await;
    let code = temporary_code(&app, &token, "singleAccess").await;
    let b = exchange_code(&app, &code).await.ok();
    let access = b["access_token"].as_str().unwrap();
    let me = app.get("/users/me", Some(access)).await.ok();
    assert_eq!(me["id"], id);
    // The user is still listed, and its temporary token still works for now.
    let list = app.get("/users", Some(USERS_TOKEN)).await.ok();
    assert_eq!(list["total"], 1);
    app.get("/users/me", Some(&token)).await.ok();
}

#[tokio::test]
async fn the_code_exchange_accepts_a_form_body() {
    let app = spawn_app().await;
    let (id, token) = app.permanent_user().await;
    let code = temporary_code(&app, &token, "singleAccess").await;
    let r = post_form(
        &app,
        "/auth/token/access",
        None,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("code", &code),
        ],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let access = r.body["access_token"].as_str().unwrap();
    assert_eq!(app.get("/users/me", Some(access)).await.ok()["id"], id);
}

#[tokio::test]
async fn the_code_exchange_accepts_http_basic_client_authentication() {
    let app = spawn_app().await;
    let (id, token) = app.permanent_user().await;
    let code = temporary_code(&app, &token, "singleAccess").await;
    let res = app
        .client
        .post(app.url("/auth/token/access"))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .form(&[("code", code.as_str())])
        .send()
        .await
        .unwrap();
    let r = TestApp::reply(res).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["token_type"], "Bearer");
    let access = r.body["access_token"].as_str().unwrap();
    assert_eq!(app.get("/users/me", Some(access)).await.ok()["id"], id);
}

#[tokio::test]
async fn the_code_exchange_with_a_bad_client_secret_is_unauthorized() {
    let app = spawn_app().await;
    let code = permanent_user_code(&app, "singleAccess").await;
    let r = token_access(
        &app,
        json!({"client_id": CLIENT_ID, "client_secret": "wrong", "code": code}),
    )
    .await;
    r.assert_error(401, "unauthorized");
    // A refused attempt does not use the single-access code up.
    exchange_code(&app, &code).await.ok();
}

#[tokio::test]
async fn the_code_exchange_without_client_credentials_is_a_missing_parameter() {
    let app = spawn_app().await;
    let code = permanent_user_code(&app, "singleAccess").await;
    let r = token_access(&app, json!({"code": code})).await;
    r.assert_error_about(400, "missingParameter", "client_id");
}

#[tokio::test]
async fn the_code_exchange_without_a_code_is_a_missing_parameter() {
    let app = spawn_app().await;
    let r = token_access(
        &app,
        json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}),
    )
    .await;
    r.assert_error_about(400, "missingParameter", "code");
}

#[tokio::test]
async fn an_unknown_code_is_an_invalid_value() {
    let app = spawn_app().await;
    exchange_code(&app, "0123456789abcdef")
        .await
        .assert_error(400, "invalidValue");
}

#[tokio::test]
async fn an_access_token_is_not_a_code() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    exchange_code(&app, &token)
        .await
        .assert_error(400, "invalidValue");
}

#[tokio::test]
async fn a_grant_type_other_than_authorization_code_is_an_invalid_value() {
    let app = spawn_app().await;
    let code = permanent_user_code(&app, "singleAccess").await;
    let r = token_access(
        &app,
        json!({"grant_type": "password", "client_id": CLIENT_ID,
                   "client_secret": CLIENT_SECRET, "code": code}),
    )
    .await;
    r.assert_error_about(400, "invalidValue", "grant_type");
}

#[tokio::test]
async fn a_redirect_uri_not_registered_for_the_client_is_refused() {
    let app = spawn_app().await;
    let code = permanent_user_code(&app, "singleAccess").await;
    let r = token_access(
        &app,
        json!({"client_id": STRICT_CLIENT_ID, "client_secret": STRICT_CLIENT_SECRET,
                   "code": code, "redirect_uri": "https://evil.example.com/callback"}),
    )
    .await;
    r.assert_error_about(400, "invalidValue", "redirect_uri");
    // The refusal did not use the single-access code up.
    let r = token_access(
        &app,
        json!({"client_id": STRICT_CLIENT_ID, "client_secret": STRICT_CLIENT_SECRET,
                   "code": code, "redirect_uri": "https://app.example.com/callback"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn a_client_without_registered_redirect_uris_accepts_any() {
    let app = spawn_app().await;
    let code = permanent_user_code(&app, "singleAccess").await;
    let r = token_access(
        &app,
        json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                   "code": code, "redirect_uri": "https://anything.example.org/cb"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}
