//! `PUT`, `GET` and `DELETE /sandbox/tenants`: tenants made up front, listed and removed.

use crate::common::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_tenant_made_up_front_with_a_scenario_is_listed_and_deleted_with_its_file() {
    let dir = TempDir::new("tenants");
    let database = dir.file("sandbox.db");
    let app = spawn_with(move |c| c.database = database).await;
    let scenario = json!({
        "clock": {"set": "2025-03-03 10:00:00", "freeze": true},
        "users": [{"connections": [{"connector": TEST_CONNECTOR_UUID, "login": "alice", "password": "1234"}]}]
    });
    let r = app
        .control(Method::PUT, "/sandbox/tenants/acme", Some(scenario))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["domain"], "acme");
    assert_eq!(r.body["users"], 1);
    assert_eq!(r.body["connections"], 1);
    assert_eq!(r.body["clock"], "2025-03-03 10:00:00");
    let token = r.body["scenario"]["users"][0]["auth_token"]
        .as_str()
        .expect("token")
        .to_string();
    let acme = app.tenant("acme");
    assert_eq!(acme.get("/users/me", Some(&token)).await.ok()["id"], 1);
    assert_eq!(acme.sandbox_now().await, "2025-03-03 10:00:00");
    let file = dir.path.join("tenants").join("acme.db");
    assert!(file.exists(), "{file:?}");

    // Again: 200, the tenant is there already. A first request makes another.
    let again = app
        .control(Method::PUT, "/sandbox/tenants/acme", None)
        .await;
    assert_eq!(again.status, 200, "{}", again.text);
    app.tenant("other").permanent_user().await;
    let list = app.sandbox_get("/sandbox/tenants").await.ok();
    assert_eq!(list["total"], 2);
    assert_eq!(list["tenants"][0]["domain"], "acme");
    assert!(list["tenants"][0]["database_size"].as_u64().unwrap() > 0);
    assert_eq!(list["tenants"][1]["domain"], "other");
    assert_eq!(list["tenants"][1]["users"], 1);

    let gone = app
        .control(Method::DELETE, "/sandbox/tenants/acme", None)
        .await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    assert!(!file.exists());
    app.control(Method::DELETE, "/sandbox/tenants/acme", None)
        .await
        .assert_error(404, "notFound");
    // The next request makes it afresh: the old token is unknown.
    acme.get("/users/me", Some(&token))
        .await
        .assert_error(401, "unauthorized");
    let list = app.sandbox_get("/sandbox/tenants").await.ok();
    assert_eq!(list["total"], 2);
}

#[tokio::test]
async fn the_tenant_routes_want_the_config_token_and_a_domain_name() {
    let app = spawn_app().await;
    app.get("/sandbox/tenants", None)
        .await
        .assert_error(401, "unauthorized");
    app.control(Method::PUT, "/sandbox/tenants/Bad_Name", None)
        .await
        .assert_error(400, "invalidValue");
    app.control(
        Method::PUT,
        "/sandbox/tenants/acme",
        Some(json!({"nonsense": 1})),
    )
    .await
    .assert_error(400, "invalidValue");
}

#[tokio::test]
async fn an_idle_tenant_is_released_and_reopens_with_its_data() {
    let dir = TempDir::new("tenants-idle");
    let database = dir.file("sandbox.db");
    let app = spawn_with(move |c| {
        c.database = database;
        c.tenant_idle_ms = 150;
    })
    .await;
    let acme = app.tenant("acme");
    let (id, token) = acme.permanent_user().await;
    acme.advance_clock("3d").await;
    let clock = acme.sandbox_now().await;
    let listed = app.sandbox_get("/sandbox/tenants").await.ok();
    assert_eq!(listed["total"], 1);
    // Real time, not the sandbox clock: the idle limit is about database handles.
    let mut released = false;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        if app.sandbox_get("/sandbox/tenants").await.ok()["total"] == 0 {
            released = true;
            break;
        }
    }
    assert!(released, "the idle tenant is released");
    assert_eq!(acme.get("/users/me", Some(&token)).await.ok()["id"], id);
    assert_eq!(acme.sandbox_now().await, clock);
    assert_eq!(acme.permanent_user().await.0, id + 1);
}
