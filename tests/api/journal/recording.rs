use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn a_call_is_recorded_with_its_route_status_user_and_request_id() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    let reply = app.get("/users/me/accounts?all", Some(&token)).await;
    let e = app.last_request().await;
    assert_eq!(e["method"], "GET");
    assert_eq!(e["path"], "/2.0/users/me/accounts");
    assert_eq!(e["query"], "all");
    assert_eq!(e["route"], "/2.0/users/{user}/accounts");
    assert_eq!(e["status"], reply.status.as_u16());
    assert_eq!(e["id_user"], id_user);
    assert_eq!(
        e["request_id"],
        reply.headers["x-request-id"].to_str().unwrap()
    );
    assert_eq!(e["time"], CLOCK_START, "the sandbox clock");
    assert!(e["wall_time"].as_str().unwrap().ends_with('Z'));
    assert!(e["latency_ms"].as_f64().unwrap() >= 0.0);
    assert_eq!(e["fault"], serde_json::Value::Null);
    assert_eq!(e["response"]["body"], reply.text.as_str());
    assert_eq!(e["response"]["size"], reply.text.len());
    assert_eq!(e["response"]["truncated"], false);
    assert_eq!(
        e["response"]["headers"]["x-powens-sandbox"],
        reply.headers["x-powens-sandbox"].to_str().unwrap()
    );
}

#[tokio::test]
async fn a_request_body_is_recorded_as_sent() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    app.create_connection(&token, test_connector_credentials())
        .await;
    let accounts = app.all_accounts(&token).await;
    let id = accounts[0]["id"].as_i64().unwrap();
    app.post(
        &format!("/users/me/accounts/{id}?all"),
        Some(&token),
        json!({"disabled": false}),
    )
    .await
    .ok();
    let e = app.last_request().await;
    assert_eq!(e["method"], "POST");
    assert_eq!(e["route"], "/2.0/users/{user}/accounts/{id}");
    let sent: serde_json::Value =
        serde_json::from_str(e["request"]["body"].as_str().unwrap()).unwrap();
    assert_eq!(sent, json!({"disabled": false}));
    assert_eq!(e["request"]["headers"]["content-type"], "application/json");
}

#[tokio::test]
async fn entries_are_listed_newest_first_and_read_by_id() {
    let app = spawn_app().await;
    for path in ["/connectors", "/account_types", "/currencies"] {
        app.get(path, None).await.ok();
    }
    let list = app.journal("").await;
    assert_eq!(list["total"], 3);
    assert_eq!(list["capacity"], 1000);
    let paths: Vec<&str> = list["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["/2.0/currencies", "/2.0/account_types", "/2.0/connectors"]
    );
    let ids: Vec<i64> = list["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "{ids:?}");
    let one = app
        .sandbox_get(&format!("/sandbox/requests/{}", ids[1]))
        .await
        .ok();
    assert_eq!(one, list["requests"][1]);
    app.sandbox_get("/sandbox/requests/999")
        .await
        .assert_error(404, "notFound");
    app.sandbox_get("/sandbox/requests/x")
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn the_control_plane_health_and_the_document_are_not_recorded() {
    let app = spawn_app().await;
    app.get("/health", None).await.ok();
    app.get("/openapi.json", None).await.ok();
    app.sandbox_get("/sandbox/clock").await.ok();
    assert_eq!(app.journal("").await["total"], 0);
}

#[tokio::test]
async fn webview_pages_and_unknown_api_routes_are_recorded() {
    let app = spawn_app().await;
    let page = app
        .client
        .get(app.url("/webview/connect"))
        .send()
        .await
        .unwrap();
    let status = page.status().as_u16();
    app.get("/no/such/route", None)
        .await
        .assert_error(404, "notFound");
    let list = app.journal("").await;
    assert_eq!(list["total"], 2);
    let unknown = &list["requests"][0];
    assert_eq!(unknown["path"], "/2.0/no/such/route");
    assert_eq!(unknown["status"], 404);
    let webview = &list["requests"][1];
    assert_eq!(webview["path"], "/webview/connect");
    assert_eq!(webview["status"], status);
}

#[tokio::test]
async fn the_journal_needs_the_config_token() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    app.get("/sandbox/requests", Some(&token))
        .await
        .assert_error(401, "unauthorized");
    app.delete("/sandbox/requests", None)
        .await
        .assert_error(401, "unauthorized");
}
