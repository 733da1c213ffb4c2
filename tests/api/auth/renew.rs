//! `POST /auth/renew`, `DELETE /auth/token` and bearer tokens.

use super::*;

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
    r.assert_error_about(400, "missingParameter", "client_id");
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
    r.assert_error_about(400, "invalidValue", "grant_type");
}

#[tokio::test]
async fn renew_with_a_non_numeric_id_user_is_an_invalid_value_naming_it() {
    let app = spawn_app().await;
    let mut body = renew_body(1);
    body["id_user"] = json!("abc");
    let r = app.post("/auth/renew", None, body).await;
    r.assert_error_about(400, "invalidValue", "id_user");
}

#[tokio::test]
async fn renew_with_a_non_boolean_revoke_previous_is_an_invalid_value_naming_it() {
    let app = spawn_app().await;
    let (id, old) = app.permanent_user().await;
    let mut body = renew_body(id);
    body["revoke_previous"] = json!("maybe");
    let r = app.post("/auth/renew", None, body).await;
    r.assert_error_about(400, "invalidValue", "revoke_previous");
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
