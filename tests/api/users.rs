//! `/users`: the current user, a user by id, deletion, and the domain-wide list (§2).

use crate::common::*;
use serde_json::Value;

fn is_powens_datetime(v: &Value) -> bool {
    let Some(s) = v.as_str() else { return false };
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").is_ok()
}

#[tokio::test]
async fn the_current_user_has_an_id_a_signin_datetime_and_a_platform() {
    let app = spawn_app().await;
    let (id, token) = app.permanent_user().await;
    let r = app.get("/users/me", Some(&token)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["id"], id);
    assert!(is_powens_datetime(&r.body["signin"]), "{}", r.text);
    assert!(r.body["platform"].is_string(), "{}", r.text);
    let keys: Vec<&String> = r.body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "signin", "platform"], "{}", r.text);
}

#[tokio::test]
async fn a_user_can_read_itself_by_id() {
    let app = spawn_app().await;
    let (id, token) = app.permanent_user().await;
    let b = app.get(&format!("/users/{id}"), Some(&token)).await.ok();
    assert_eq!(b["id"], id);
}

#[tokio::test]
async fn another_users_id_is_not_found() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let (other, _) = app.permanent_user().await;
    app.get(&format!("/users/{other}"), Some(&token))
        .await
        .assert_error(404, "notFound");
    // Indistinguishable from a user that does not exist.
    app.get("/users/999999", Some(&token))
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn a_user_segment_that_is_neither_me_nor_a_number_is_not_found() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    app.get("/users/someone", Some(&token))
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn reading_a_user_requires_a_token() {
    let app = spawn_app().await;
    let (id, _) = app.permanent_user().await;
    app.get("/users/me", None)
        .await
        .assert_error(401, "unauthorized");
    app.get(&format!("/users/{id}"), None)
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn a_temporary_user_reads_itself() {
    let app = spawn_app().await;
    let (id, token) = temporary_user(&app).await;
    let b = app.get("/users/me", Some(&token)).await.ok();
    assert_eq!(b["id"], id);
    assert!(is_powens_datetime(&b["signin"]));
}

#[tokio::test]
async fn deleting_the_current_user_revokes_its_token() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let r = app.delete("/users/me", Some(&token)).await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert!(r.text.is_empty());
    app.get("/users/me", Some(&token))
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn deleting_a_user_removes_it_and_all_its_tokens_and_codes() {
    let app = spawn_app().await;
    let (id, token) = app.permanent_user().await;
    let code = temporary_code(&app, &token, "requestAccess").await;
    let b = app
        .post(
            "/auth/renew",
            None,
            serde_json::json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                               "id_user": id}),
        )
        .await
        .ok();
    let second = b["access_token"].as_str().unwrap().to_string();
    assert_eq!(
        app.delete(&format!("/users/{id}"), Some(&token))
            .await
            .status,
        204
    );
    for t in [&token, &second, &code] {
        app.get("/users/me", Some(t))
            .await
            .assert_error(401, "unauthorized");
    }
    exchange_code(&app, &code)
        .await
        .assert_error(400, "invalidValue");
    app.get(&format!("/users/{id}"), Some(CONFIG_TOKEN))
        .await
        .assert_error(404, "notFound");
    let list = app.get("/users", Some(USERS_TOKEN)).await.ok();
    assert_eq!(list["total"], 0);
}

#[tokio::test]
async fn a_user_cannot_delete_another_user() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let (other, other_token) = app.permanent_user().await;
    app.delete(&format!("/users/{other}"), Some(&token))
        .await
        .assert_error(404, "notFound");
    assert_eq!(
        app.get("/users/me", Some(&other_token)).await.ok()["id"],
        other
    );
}

#[tokio::test]
async fn deleting_a_user_requires_a_token() {
    let app = spawn_app().await;
    app.delete("/users/me", None)
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn user_ids_are_not_reused_after_a_delete() {
    let app = spawn_app().await;
    let (first, token) = app.permanent_user().await;
    assert_eq!(app.delete("/users/me", Some(&token)).await.status, 204);
    let (second, _) = app.permanent_user().await;
    assert!(second > first);
}

// ---- The config token ---------------------------------------------------------------------

#[tokio::test]
async fn the_config_token_reads_any_user_by_id() {
    let app = spawn_app().await;
    let (a, _) = app.permanent_user().await;
    let (b, _) = temporary_user(&app).await;
    for id in [a, b] {
        let r = app.get(&format!("/users/{id}"), Some(CONFIG_TOKEN)).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body["id"], id);
        assert!(is_powens_datetime(&r.body["signin"]));
    }
}

#[tokio::test]
async fn the_config_token_on_an_unknown_user_is_not_found() {
    let app = spawn_app().await;
    app.get("/users/424242", Some(CONFIG_TOKEN))
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn the_config_token_has_no_user_of_its_own() {
    let app = spawn_app().await;
    app.get("/users/me", Some(CONFIG_TOKEN))
        .await
        .assert_error(400, "invalidValue");
}

#[tokio::test]
async fn the_config_token_deletes_any_user() {
    let app = spawn_app().await;
    let (id, token) = app.permanent_user().await;
    let r = app
        .delete(&format!("/users/{id}"), Some(CONFIG_TOKEN))
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    app.get("/users/me", Some(&token))
        .await
        .assert_error(401, "unauthorized");
    app.delete(&format!("/users/{id}"), Some(CONFIG_TOKEN))
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn the_users_token_cannot_read_a_single_user() {
    let app = spawn_app().await;
    let (id, _) = app.permanent_user().await;
    app.get("/users/me", Some(USERS_TOKEN))
        .await
        .assert_error(401, "unauthorized");
    app.get(&format!("/users/{id}"), Some(USERS_TOKEN))
        .await
        .assert_error(401, "unauthorized");
}

// ---- GET /users ---------------------------------------------------------------------------

#[tokio::test]
async fn the_user_list_is_null_when_there_are_no_users() {
    let app = spawn_app().await;
    let r = app.get("/users", Some(USERS_TOKEN)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.body["users"].is_null(), "{}", r.text);
    assert!(r.body.get("users").is_some(), "{}", r.text);
    assert_eq!(r.body["total"], 0);
}

#[tokio::test]
async fn the_users_token_lists_every_user_in_id_order() {
    let app = spawn_app().await;
    let (a, _) = app.permanent_user().await;
    let (b, _) = temporary_user(&app).await;
    let (c, _) = app.permanent_user().await;
    let r = app.get("/users", Some(USERS_TOKEN)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["total"], 3);
    let users = r.body["users"].as_array().unwrap();
    let ids: Vec<i64> = users.iter().map(|u| u["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [a, b, c]);
    for u in users {
        assert!(is_powens_datetime(&u["signin"]), "{u}");
        assert!(u["platform"].is_string(), "{u}");
    }
}

#[tokio::test]
async fn the_user_list_pages_with_limit_and_offset() {
    let app = spawn_app().await;
    let mut ids = vec![];
    for _ in 0..3 {
        ids.push(app.permanent_user().await.0);
    }
    let b = app
        .get("/users?limit=1&offset=1", Some(USERS_TOKEN))
        .await
        .ok();
    assert_eq!(b["total"], 3);
    let page = b["users"].as_array().unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0]["id"], ids[1]);
}

#[tokio::test]
async fn the_user_list_rejects_a_bad_limit() {
    let app = spawn_app().await;
    for q in ["limit=abc", "limit=-1", "limit=1001", "offset=x"] {
        let r = app.get(&format!("/users?{q}"), Some(USERS_TOKEN)).await;
        r.assert_error(400, "invalidValue");
    }
}

#[tokio::test]
async fn the_config_token_may_list_users_too() {
    let app = spawn_app().await;
    app.permanent_user().await;
    let b = app.get("/users", Some(CONFIG_TOKEN)).await.ok();
    assert_eq!(b["total"], 1);
}

#[tokio::test]
async fn a_user_token_may_not_list_users() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    app.get("/users", Some(&token))
        .await
        .assert_error(403, "forbidden");
}

#[tokio::test]
async fn listing_users_without_a_token_is_unauthorized() {
    let app = spawn_app().await;
    app.get("/users", None)
        .await
        .assert_error(401, "unauthorized");
    app.get("/users", Some("wrong-users-token"))
        .await
        .assert_error(401, "unauthorized");
}
