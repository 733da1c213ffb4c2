//! Updates, syncs and deletion of a connection.

use super::*;

#[tokio::test]
async fn deactivating_a_connection_stops_its_automatic_syncs_without_syncing() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let path = format!("/users/me/connections/{id}");
    let b = app
        .post(&path, Some(&token), json!({"active": false}))
        .await
        .ok();
    assert_eq!(b["active"], false);
    assert_eq!(b["next_try"], Value::Null);
    let read = app.get(&path, Some(&token)).await.ok();
    assert_eq!(read["active"], false);
    let logs = app.get(&format!("{path}/logs"), Some(&token)).await.ok();
    assert_eq!(logs["total"], 1, "a settings change is not a sync: {logs}");
    let b = app
        .post(&path, Some(&token), json!({"active": true}))
        .await
        .ok();
    assert_eq!(b["active"], true);
    assert!(b["next_try"].is_string(), "{b}");
}

#[tokio::test]
async fn the_expire_date_can_be_set() {
    let app = spawn_frozen().await;
    let (token, path) = user_with_connection_path(&app).await;
    let b = app
        .post(
            &path,
            Some(&token),
            json!({"expire": "2026-06-01 00:00:00"}),
        )
        .await
        .ok();
    assert_eq!(b["expire"], "2026-06-01 00:00:00");
    assert_eq!(
        app.get(&path, Some(&token)).await.ok()["expire"],
        "2026-06-01 00:00:00"
    );
    let r = app
        .post(&path, Some(&token), json!({"expire": "next week"}))
        .await;
    r.assert_error_about(400, "invalidValue", "expire");
}

#[tokio::test]
async fn active_must_be_a_boolean() {
    let app = spawn_frozen().await;
    let (token, path) = user_with_connection_path(&app).await;
    let r = app
        .post(&path, Some(&token), json!({"active": "sometimes"}))
        .await;
    r.assert_error_about(400, "invalidValue", "active");
}

#[tokio::test]
async fn new_field_values_are_checked_and_trigger_a_sync() {
    let app = spawn_frozen().await;
    let (token, path) = user_with_connection_path(&app).await;
    let r = app
        .post(&path, Some(&token), json!({"openapiwebsite": "nope"}))
        .await;
    r.assert_error_about(400, "invalidValue", "openapiwebsite");
    let b = app
        .post(&path, Some(&token), json!({"password": "5678"}))
        .await
        .ok();
    assert_eq!(b["state"], Value::Null);
    let logs = app.get(&format!("{path}/logs"), Some(&token)).await.ok();
    assert_eq!(logs["total"], 2, "{logs}");
}

#[tokio::test]
async fn an_empty_update_syncs_the_connection() {
    let app = spawn_frozen().await;
    let (token, path) = user_with_connection_path(&app).await;
    app.post(&path, Some(&token), json!({})).await.ok();
    let logs = app.get(&format!("{path}/logs"), Some(&token)).await.ok();
    assert_eq!(logs["total"], 2, "{logs}");
}

#[tokio::test]
async fn refused_new_credentials_answer_wrongpass_and_the_connection_asks_for_them_again() {
    let app = spawn_frozen().await;
    let (token, path) = user_with_connection_path(&app).await;
    app.post(&path, Some(&token), json!({"password": "wrongpass"}))
        .await
        .assert_error(400, "wrongpass");
    // The connection is kept, in wrongpass, with the fields to prompt.
    let b = app.get(&path, Some(&token)).await.ok();
    assert_eq!(b["state"], "wrongpass");
    assert_eq!(b["error"], "wrongpass");
    assert!(b["error_message"].is_string(), "{b}");
    let names: Vec<&str> = b["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("fields in {b}"))
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"password"), "{b}");
    // Good credentials bring it back.
    let b = app
        .post(&path, Some(&token), json!({"password": "1234"}))
        .await
        .ok();
    assert_eq!(b["state"], Value::Null);
    assert!(b.get("fields").is_none_or(Value::is_null), "{b}");
}

#[tokio::test]
async fn a_put_syncs_the_connection_and_writes_one_log() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let b = app.sync_connection(&token, id).await;
    assert_eq!(b["id"], id);
    assert_eq!(b["state"], Value::Null);
    assert_eq!(b["last_update"], CLOCK_START);
    let r = app
        .put(&format!("/users/me/connections/{id}"), Some(&token), None)
        .await;
    assert_eq!(r.status, 200, "psu_requested defaults to true: {}", r.text);
    let logs = app
        .get(&format!("/users/me/connections/{id}/logs"), Some(&token))
        .await
        .ok();
    assert_eq!(logs["total"], 3, "{logs}");
}

#[tokio::test]
async fn psu_requested_must_be_a_boolean() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    app.put(
        &format!("/users/me/connections/{}?psu_requested=perhaps", c["id"]),
        Some(&token),
        None,
    )
    .await
    .assert_error(400, "invalidValue");
}

#[tokio::test]
async fn another_users_connection_is_not_found_on_every_route() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let (other_id, other) = app.permanent_user().await;
    let c = app
        .create_connection(&other, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let sources = app
        .get(&format!("/users/me/connections/{id}/sources"), Some(&other))
        .await
        .ok();
    let sid = sources["sources"][0]["id"].as_i64().unwrap();
    for user in ["me".to_string(), other_id.to_string()] {
        let base = format!("/users/{user}/connections/{id}");
        for path in [
            base.clone(),
            format!("{base}/sources"),
            format!("{base}/sources/{sid}"),
            format!("{base}/logs"),
            format!("{base}/accounts"),
            format!("{base}/transactions?limit=10"),
        ] {
            app.get(&path, Some(&token))
                .await
                .assert_error(404, "notFound");
        }
        app.post(&base, Some(&token), json!({"active": false}))
            .await
            .assert_error(404, "notFound");
        app.post(
            &format!("{base}/sources/{sid}"),
            Some(&token),
            json!({"disabled": true}),
        )
        .await
        .assert_error(404, "notFound");
        app.put(&base, Some(&token), None)
            .await
            .assert_error(404, "notFound");
        app.delete(&base, Some(&token))
            .await
            .assert_error(404, "notFound");
    }
    // Untouched.
    let b = app
        .get(&format!("/users/me/connections/{id}"), Some(&other))
        .await
        .ok();
    assert_eq!(b["active"], true);
    let logs = app
        .get(&format!("/users/me/connections/{id}/logs"), Some(&other))
        .await
        .ok();
    assert_eq!(logs["total"], 1);
    let s = app
        .get(&format!("/users/me/connections/{id}/sources"), Some(&other))
        .await
        .ok();
    assert_eq!(s["total"], 2);
}

// Deletion

#[tokio::test]
async fn deleting_a_connection_answers_204_and_it_is_gone() {
    let app = spawn_frozen().await;
    let (token, path) = user_with_connection_path(&app).await;
    let r = app.delete(&path, Some(&token)).await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert!(r.text.is_empty(), "{}", r.text);
    app.get(&path, Some(&token))
        .await
        .assert_error(404, "notFound");
    app.delete(&path, Some(&token))
        .await
        .assert_error(404, "notFound");
    assert_eq!(connections_total(&app, &token).await, 0);
}

#[tokio::test]
async fn a_connection_is_deleted_through_the_users_numeric_id() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let r = app
        .delete(
            &format!("/users/{id_user}/connections/{}", c["id"]),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert_eq!(connections_total(&app, &token).await, 0);
}
