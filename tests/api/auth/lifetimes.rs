//! Lifetimes, with the sandbox clock.

use super::*;

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
