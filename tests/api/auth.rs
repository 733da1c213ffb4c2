//! `/auth/...`: users created by `/auth/init`, temporary codes, code exchange, renewal and
//! revocation (powens-api.md §2).

use crate::common::*;
use reqwest::Method;
use serde_json::json;

const STRICT_CLIENT_ID: &str = "87654321";
const STRICT_CLIENT_SECRET: &str = "strict-app-secret";

// ---- POST /auth/init ----------------------------------------------------------------------

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
    r.assert_error(400, "missingParameter");
    assert!(r.body["description"]
        .as_str()
        .unwrap()
        .contains("client_secret"));
}

#[tokio::test]
async fn init_with_a_secret_but_no_client_id_is_a_missing_parameter() {
    let app = spawn_app().await;
    let r = app
        .post("/auth/init", None, json!({"client_secret": CLIENT_SECRET}))
        .await;
    r.assert_error(400, "missingParameter");
    assert!(r.body["description"]
        .as_str()
        .unwrap()
        .contains("client_id"));
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
    r.assert_error(400, "invalidValue");
    assert!(r.body["description"]
        .as_str()
        .unwrap()
        .contains("client_id"));
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
    r.assert_error(400, "invalidValue");
    assert!(r.body["description"].as_str().unwrap().contains("type"));
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

// ---- POST /auth/token/access --------------------------------------------------------------

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
    let (_, token) = app.permanent_user().await;
    let code = temporary_code(&app, &token, "singleAccess").await;
    exchange_code(&app, &code).await.ok();
    let r = exchange_code(&app, &code).await;
    r.assert_error(400, "invalidValue");
    assert!(r.body["description"].as_str().unwrap().contains("code"));
}

#[tokio::test]
async fn a_single_access_code_exchanged_concurrently_succeeds_only_once() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let code = temporary_code(&app, &token, "singleAccess").await;
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
    let (_, token) = app.permanent_user().await;
    let code = temporary_code(&app, &token, "requestAccess").await;
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
    let (_, token) = app.permanent_user().await;
    let code = temporary_code(&app, &token, "singleAccess").await;
    let r = app
        .post(
            "/auth/token/access",
            None,
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
    let (_, token) = app.permanent_user().await;
    let code = temporary_code(&app, &token, "singleAccess").await;
    let r = app
        .post("/auth/token/access", None, json!({"code": code}))
        .await;
    r.assert_error(400, "missingParameter");
    assert!(r.body["description"]
        .as_str()
        .unwrap()
        .contains("client_id"));
}

#[tokio::test]
async fn the_code_exchange_without_a_code_is_a_missing_parameter() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/auth/token/access",
            None,
            json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}),
        )
        .await;
    r.assert_error(400, "missingParameter");
    assert!(r.body["description"].as_str().unwrap().contains("code"));
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
    let (_, token) = app.permanent_user().await;
    let code = temporary_code(&app, &token, "singleAccess").await;
    let r = app
        .post(
            "/auth/token/access",
            None,
            json!({"grant_type": "password", "client_id": CLIENT_ID,
                   "client_secret": CLIENT_SECRET, "code": code}),
        )
        .await;
    r.assert_error(400, "invalidValue");
    assert!(r.body["description"]
        .as_str()
        .unwrap()
        .contains("grant_type"));
}

#[tokio::test]
async fn a_redirect_uri_not_registered_for_the_client_is_refused() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let code = temporary_code(&app, &token, "singleAccess").await;
    let r = app
        .post(
            "/auth/token/access",
            None,
            json!({"client_id": STRICT_CLIENT_ID, "client_secret": STRICT_CLIENT_SECRET,
                   "code": code, "redirect_uri": "https://evil.example.com/callback"}),
        )
        .await;
    r.assert_error(400, "invalidValue");
    assert!(r.body["description"]
        .as_str()
        .unwrap()
        .contains("redirect_uri"));
    // The refusal did not use the single-access code up.
    let r = app
        .post(
            "/auth/token/access",
            None,
            json!({"client_id": STRICT_CLIENT_ID, "client_secret": STRICT_CLIENT_SECRET,
                   "code": code, "redirect_uri": "https://app.example.com/callback"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn a_client_without_registered_redirect_uris_accepts_any() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let code = temporary_code(&app, &token, "singleAccess").await;
    let r = app
        .post(
            "/auth/token/access",
            None,
            json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                   "code": code, "redirect_uri": "https://anything.example.org/cb"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

// ---- POST /auth/renew ---------------------------------------------------------------------

fn renew_body(id_user: i64) -> serde_json::Value {
    json!({"grant_type": "client_credentials", "client_id": CLIENT_ID,
           "client_secret": CLIENT_SECRET, "id_user": id_user})
}

#[tokio::test]
async fn renew_gives_a_new_permanent_token_and_keeps_the_old_one() {
    let app = spawn_app().await;
    let (id, old) = app.permanent_user().await;
    let r = app.post("/auth/renew", None, renew_body(id)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["token_type"], "Bearer");
    let new = r.body["access_token"].as_str().unwrap();
    assert_ne!(new, old);
    assert_eq!(app.get("/users/me", Some(new)).await.ok()["id"], id);
    assert_eq!(app.get("/users/me", Some(&old)).await.ok()["id"], id);
}

#[tokio::test]
async fn renew_with_revoke_previous_revokes_the_old_tokens() {
    let app = spawn_app().await;
    let (id, old) = app.permanent_user().await;
    let mut body = renew_body(id);
    body["revoke_previous"] = json!(true);
    let b = app.post("/auth/renew", None, body).await.ok();
    let new = b["access_token"].as_str().unwrap();
    app.get("/users/me", Some(&old))
        .await
        .assert_error(401, "unauthorized");
    assert_eq!(app.get("/users/me", Some(new)).await.ok()["id"], id);
}

#[tokio::test]
async fn renew_only_revokes_the_tokens_of_the_renewed_user() {
    let app = spawn_app().await;
    let (id, _) = app.permanent_user().await;
    let (other, other_token) = app.permanent_user().await;
    let mut body = renew_body(id);
    body["revoke_previous"] = json!(true);
    app.post("/auth/renew", None, body).await.ok();
    assert_eq!(
        app.get("/users/me", Some(&other_token)).await.ok()["id"],
        other
    );
}

#[tokio::test]
async fn renew_accepts_a_form_body() {
    let app = spawn_app().await;
    let (id, old) = app.permanent_user().await;
    let id_s = id.to_string();
    let r = post_form(
        &app,
        "/auth/renew",
        None,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("id_user", &id_s),
            ("revoke_previous", "true"),
        ],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let new = r.body["access_token"].as_str().unwrap();
    assert_eq!(app.get("/users/me", Some(new)).await.ok()["id"], id);
    app.get("/users/me", Some(&old))
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn renew_without_id_user_creates_a_new_permanent_user() {
    let app = spawn_app().await;
    let (id, _) = app.permanent_user().await;
    let b = app
        .post(
            "/auth/renew",
            None,
            json!({"grant_type": "client_credentials", "client_id": CLIENT_ID,
                   "client_secret": CLIENT_SECRET}),
        )
        .await
        .ok();
    let me = app
        .get("/users/me", Some(b["access_token"].as_str().unwrap()))
        .await
        .ok();
    assert_ne!(me["id"], id);
}

#[tokio::test]
async fn renew_for_an_unknown_user_is_not_found() {
    let app = spawn_app().await;
    app.post("/auth/renew", None, renew_body(424242))
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn renew_without_client_id_is_a_missing_parameter() {
    let app = spawn_app().await;
    let (id, _) = app.permanent_user().await;
    let r = app
        .post(
            "/auth/renew",
            None,
            json!({"grant_type": "client_credentials", "client_secret": CLIENT_SECRET,
                   "id_user": id}),
        )
        .await;
    r.assert_error(400, "missingParameter");
    assert!(r.body["description"]
        .as_str()
        .unwrap()
        .contains("client_id"));
}

#[tokio::test]
async fn renew_with_a_wrong_client_secret_is_unauthorized() {
    let app = spawn_app().await;
    let (id, _) = app.permanent_user().await;
    let mut body = renew_body(id);
    body["client_secret"] = json!("wrong");
    app.post("/auth/renew", None, body)
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn renew_with_another_grant_type_is_an_invalid_value() {
    let app = spawn_app().await;
    let (id, _) = app.permanent_user().await;
    let mut body = renew_body(id);
    body["grant_type"] = json!("authorization_code");
    let r = app.post("/auth/renew", None, body).await;
    r.assert_error(400, "invalidValue");
    assert!(r.body["description"]
        .as_str()
        .unwrap()
        .contains("grant_type"));
}

#[tokio::test]
async fn renew_with_a_non_numeric_id_user_is_an_invalid_value_naming_it() {
    let app = spawn_app().await;
    let mut body = renew_body(1);
    body["id_user"] = json!("abc");
    let r = app.post("/auth/renew", None, body).await;
    r.assert_error(400, "invalidValue");
    assert!(r.body["description"].as_str().unwrap().contains("id_user"));
}

#[tokio::test]
async fn renew_with_a_non_boolean_revoke_previous_is_an_invalid_value_naming_it() {
    let app = spawn_app().await;
    let (id, old) = app.permanent_user().await;
    let mut body = renew_body(id);
    body["revoke_previous"] = json!("maybe");
    let r = app.post("/auth/renew", None, body).await;
    r.assert_error(400, "invalidValue");
    assert!(r.body["description"]
        .as_str()
        .unwrap()
        .contains("revoke_previous"));
    // Nothing was revoked.
    app.get("/users/me", Some(&old)).await.ok();
}

#[tokio::test]
async fn renew_makes_a_temporary_user_permanent() {
    let app = spawn_app().await;
    let (id, _) = temporary_user(&app).await;
    let b = app.post("/auth/renew", None, renew_body(id)).await.ok();
    let me = app
        .get("/users/me", Some(b["access_token"].as_str().unwrap()))
        .await
        .ok();
    assert_eq!(me["id"], id);
}

// ---- DELETE /auth/token -------------------------------------------------------------------

#[tokio::test]
async fn revoking_a_token_makes_it_unauthorized() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let r = app.delete("/auth/token", Some(&token)).await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert!(r.text.is_empty());
    app.get("/users/me", Some(&token))
        .await
        .assert_error(401, "unauthorized");
    app.delete("/auth/token", Some(&token))
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn revoking_a_token_leaves_the_users_other_tokens_working() {
    let app = spawn_app().await;
    let (id, token) = app.permanent_user().await;
    let b = app.post("/auth/renew", None, renew_body(id)).await.ok();
    let other = b["access_token"].as_str().unwrap();
    assert_eq!(app.delete("/auth/token", Some(&token)).await.status, 204);
    assert_eq!(app.get("/users/me", Some(other)).await.ok()["id"], id);
}

#[tokio::test]
async fn revoking_a_temporary_token_works_too() {
    let app = spawn_app().await;
    let (_, token) = temporary_user(&app).await;
    assert_eq!(app.delete("/auth/token", Some(&token)).await.status, 204);
    app.get("/users/me", Some(&token))
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn revoking_without_a_token_is_unauthorized() {
    let app = spawn_app().await;
    app.delete("/auth/token", None)
        .await
        .assert_error(401, "unauthorized");
}

// ---- Bearer tokens ------------------------------------------------------------------------

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let app = spawn_app().await;
    let (id, token) = app.permanent_user().await;
    let res = app
        .client
        .get(app.url("/users/me"))
        .header("Authorization", format!("bearer {token}"))
        .send()
        .await
        .unwrap();
    let r = TestApp::reply(res).await;
    assert_eq!(r.ok()["id"], id);
}

#[tokio::test]
async fn a_token_in_another_scheme_or_an_unknown_token_is_unauthorized() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let res = app
        .client
        .get(app.url("/users/me"))
        .header("Authorization", format!("Token {token}"))
        .send()
        .await
        .unwrap();
    TestApp::reply(res).await.assert_error(401, "unauthorized");
    app.get("/users/me", Some("deadbeef"))
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn the_unauthorized_body_is_the_one_powens_sends() {
    let app = spawn_app().await;
    let r = app.get("/users/me", None).await;
    r.assert_error(401, "unauthorized");
    assert_eq!(
        r.body["description"],
        "You don't have the required authorization parameter to access this endpoint."
    );
}

// ---- Lifetimes, with the sandbox clock ----------------------------------------------------

#[tokio::test]
async fn a_temporary_token_stops_working_after_thirty_minutes() {
    let app = spawn_frozen().await;
    let (id, token) = temporary_user(&app).await;
    advance(&app, "29m").await;
    assert_eq!(app.get("/users/me", Some(&token)).await.ok()["id"], id);
    advance(&app, "2m").await;
    app.get("/users/me", Some(&token))
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn a_temporary_user_is_gone_after_thirty_minutes() {
    let app = spawn_frozen().await;
    let (id, _) = temporary_user(&app).await;
    let (kept, _) = app.permanent_user().await;
    advance(&app, "31m").await;
    // Gone at once for every reader, whether or not the purge has run yet.
    app.get(&format!("/users/{id}"), Some(CONFIG_TOKEN))
        .await
        .assert_error(404, "notFound");
    let list = app.get("/users", Some(USERS_TOKEN)).await.ok();
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["users"][0]["id"], kept);
    app.post(
        "/auth/renew",
        None,
        json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "id_user": id}),
    )
    .await
    .assert_error(404, "notFound");
    // And after the purge.
    app.run_due_work().await;
    app.get(&format!("/users/{id}"), Some(CONFIG_TOKEN))
        .await
        .assert_error(404, "notFound");
    assert_eq!(app.get("/users", Some(USERS_TOKEN)).await.ok()["total"], 1);
}

#[tokio::test]
async fn a_code_expires_after_thirty_minutes() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let standard = temporary_code(&app, &token, "requestAccess").await;
    let single = temporary_code(&app, &token, "singleAccess").await;
    advance(&app, "31m").await;
    for code in [&standard, &single] {
        app.get("/users/me", Some(code))
            .await
            .assert_error(401, "unauthorized");
        exchange_code(&app, code)
            .await
            .assert_error(400, "invalidValue");
    }
    // The permanent token it came from is untouched.
    app.get("/users/me", Some(&token)).await.ok();
}

#[tokio::test]
async fn a_permanent_token_does_not_expire() {
    let app = spawn_frozen().await;
    let (id, token) = app.permanent_user().await;
    advance(&app, "400d").await;
    app.run_due_work().await;
    assert_eq!(app.get("/users/me", Some(&token)).await.ok()["id"], id);
}

#[tokio::test]
async fn a_temporary_user_made_permanent_by_a_code_exchange_outlives_thirty_minutes() {
    let app = spawn_frozen().await;
    let (id, temporary) = temporary_user(&app).await;
    let code = temporary_code(&app, &temporary, "singleAccess").await;
    let b = exchange_code(&app, &code).await.ok();
    let access = b["access_token"].as_str().unwrap().to_string();
    advance(&app, "31m").await;
    app.run_due_work().await;
    assert_eq!(app.get("/users/me", Some(&access)).await.ok()["id"], id);
    // Its temporary token still lasted only 30 minutes.
    app.get("/users/me", Some(&temporary))
        .await
        .assert_error(401, "unauthorized");
    let list = app.get("/users", Some(USERS_TOKEN)).await.ok();
    assert_eq!(list["total"], 1);
    assert_eq!(list["users"][0]["id"], id);
}

#[tokio::test]
async fn a_temporary_user_made_permanent_by_renew_outlives_thirty_minutes() {
    let app = spawn_frozen().await;
    let (id, _) = temporary_user(&app).await;
    let b = app.post("/auth/renew", None, renew_body(id)).await.ok();
    let access = b["access_token"].as_str().unwrap().to_string();
    advance(&app, "31m").await;
    app.run_due_work().await;
    assert_eq!(app.get("/users/me", Some(&access)).await.ok()["id"], id);
}
