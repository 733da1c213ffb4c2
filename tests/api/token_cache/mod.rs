//! Bearer tokens are resolved from memory once seen: every change that ends a token is seen
//! at once, on an in-memory database and on a file (where reads and writes use different
//! connections). Each test uses the token first, so that it is remembered, then ends it.

use crate::common::*;
use serde_json::json;

/// Runs `check` on a server with an in-memory database, then on one with a database file.
async fn on_both<F, Fut>(check: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    check(spawn_frozen().await).await;
    let dir = TempDir::new("token-cache");
    check(spawn_frozen_on_file(&dir).await).await;
}

async fn assert_works(app: &TestApp, token: &str, id: i64) {
    for _ in 0..2 {
        assert_eq!(app.get("/users/me", Some(token)).await.ok()["id"], id);
    }
}

async fn assert_refused(app: &TestApp, token: &str) {
    app.get("/users/me", Some(token))
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn a_revoked_token_is_refused_at_once() {
    on_both(|app| async move {
        let (id, token) = app.permanent_user().await;
        let (other, other_token) = app.permanent_user().await;
        assert_works(&app, &token, id).await;
        assert_works(&app, &other_token, other).await;
        let r = app.delete("/auth/token", Some(&token)).await;
        assert!(r.status.is_success(), "{}", r.text);
        assert_refused(&app, &token).await;
        assert_works(&app, &other_token, other).await;
    })
    .await;
}

#[tokio::test]
async fn renewing_with_revoke_previous_refuses_the_old_token_at_once() {
    on_both(|app| async move {
        let (id, old) = app.permanent_user().await;
        assert_works(&app, &old, id).await;
        let b = app
            .post(
                "/auth/renew",
                None,
                json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                       "id_user": id, "revoke_previous": true}),
            )
            .await
            .ok();
        let new = b["access_token"].as_str().unwrap();
        assert_refused(&app, &old).await;
        assert_works(&app, new, id).await;
    })
    .await;
}

#[tokio::test]
async fn a_deleted_user_token_is_refused_at_once() {
    on_both(|app| async move {
        let (id, token) = app.permanent_user().await;
        assert_works(&app, &token, id).await;
        let r = app.delete("/users/me", Some(&token)).await;
        assert_eq!(r.status, 204, "{}", r.text);
        assert_refused(&app, &token).await;
    })
    .await;
}

#[tokio::test]
async fn a_temporary_token_is_refused_as_soon_as_the_clock_passes_its_expiry() {
    on_both(|app| async move {
        let (id, token) = temporary_user(&app).await;
        assert_works(&app, &token, id).await;
        advance(&app, "29m").await;
        assert_works(&app, &token, id).await;
        advance(&app, "2m").await;
        assert_refused(&app, &token).await;
    })
    .await;
}

#[tokio::test]
async fn a_temporary_user_made_permanent_keeps_its_token_past_thirty_minutes() {
    on_both(|app| async move {
        let (id, token) = temporary_user(&app).await;
        assert_works(&app, &token, id).await;
        // Exchanging a code of the temporary user makes it permanent.
        let code = temporary_code(&app, &token, "singleAccess").await;
        exchange_code(&app, &code).await.ok();
        advance(&app, "31m").await;
        let user = app.get(&format!("/users/{id}"), Some(CONFIG_TOKEN)).await;
        assert_eq!(user.status, 200, "{}", user.text);
    })
    .await;
}

#[tokio::test]
async fn a_single_access_code_used_as_a_bearer_is_refused_once_exchanged() {
    on_both(|app| async move {
        let (id, token) = app.permanent_user().await;
        let code = temporary_code(&app, &token, "singleAccess").await;
        assert_works(&app, &code, id).await;
        exchange_code(&app, &code).await.ok();
        assert_refused(&app, &code).await;
        assert_works(&app, &token, id).await;
    })
    .await;
}

#[tokio::test]
async fn a_reset_refuses_every_token_at_once() {
    on_both(|app| async move {
        let (id, token) = app.permanent_user().await;
        assert_works(&app, &token, id).await;
        app.sandbox_post("/sandbox/reset", json!({})).await.ok();
        assert_refused(&app, &token).await;
        // Ids start again at 1: a new user with the old one's id has a token of its own.
        let (again, new) = app.permanent_user().await;
        assert_eq!(again, id);
        assert_works(&app, &new, again).await;
        assert_refused(&app, &token).await;
    })
    .await;
}

#[tokio::test]
async fn a_scenario_moving_the_clock_ends_the_temporary_tokens_it_passes() {
    on_both(|app| async move {
        let (id, token) = temporary_user(&app).await;
        assert_works(&app, &token, id).await;
        app.sandbox_post(
            "/sandbox/scenario",
            json!({"clock": {"set": "2026-01-15 12:00:00"}, "users": []}),
        )
        .await
        .ok();
        assert_refused(&app, &token).await;
    })
    .await;
}

#[tokio::test]
async fn tokens_resolved_concurrently_with_revocations_end_refused() {
    on_both(|app| async move {
        let mut users = Vec::new();
        for _ in 0..8 {
            users.push(app.permanent_user().await);
        }
        // Readers keep using every token while each one is revoked in turn.
        let revoking = async {
            for (_, token) in &users {
                let r = app.delete("/auth/token", Some(token)).await;
                assert!(r.status.is_success(), "{}", r.text);
                assert_refused(&app, token).await;
            }
        };
        let reading = async {
            for _ in 0..10 {
                for (_, token) in &users {
                    let _ = app.get("/users/me", Some(token)).await;
                }
            }
        };
        tokio::join!(revoking, reading);
        for (_, token) in &users {
            assert_refused(&app, token).await;
        }
    })
    .await;
}
