//! Subscriptions through the control plane, and the built-in sink.

use super::*;

#[tokio::test]
async fn subscriptions_are_created_listed_and_deleted_through_the_control_plane() {
    let receiver = Receiver::start().await;
    let app = spawn_app().await;
    assert!(subscriptions(&app).await.is_empty());

    let all = subscribe(&app, json!({"url": receiver.url("/all")})).await;
    assert_eq!(all["url"], receiver.url("/all"));
    assert_eq!(all["event"], Value::Null);
    assert_eq!(all["id_auth"], Value::Null);
    assert_eq!(all["origin"], "api");
    assert_eq!(all["active"], true);
    assert_eq!(all["paused"], false);
    let one = subscribe(
        &app,
        json!({"url": receiver.url("/enabled"), "event": "ACCOUNT_ENABLED"}),
    )
    .await;
    assert_eq!(one["event"], "ACCOUNT_ENABLED");
    let listed: Vec<i64> = subscriptions(&app)
        .await
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        listed,
        [all["id"].as_i64().unwrap(), one["id"].as_i64().unwrap()]
    );

    let path = format!("/sandbox/webhooks/subscriptions/{}", all["id"]);
    let r = app.control(Method::DELETE, &path, None).await;
    assert_eq!(r.status, 204, "{}", r.text);
    app.control(Method::DELETE, &path, None)
        .await
        .assert_error(404, "notFound");
    app.control(Method::DELETE, "/sandbox/webhooks/subscriptions/abc", None)
        .await
        .assert_error(404, "notFound");
    let left = subscriptions(&app).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["id"], one["id"]);
}

#[tokio::test]
async fn a_subscription_is_refused_without_the_config_token_or_with_bad_fields() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    let body = json!({"url": "http://127.0.0.1:9/hooks"});
    app.post(
        "/sandbox/webhooks/subscriptions",
        Some(&token),
        body.clone(),
    )
    .await
    .assert_error(401, "unauthorized");
    app.post("/sandbox/webhooks/subscriptions", None, body)
        .await
        .assert_error(401, "unauthorized");
    app.get("/sandbox/webhooks/subscriptions", Some(&token))
        .await
        .assert_error(401, "unauthorized");
    for bad in [
        json!({}),
        json!({"url": "ftp://127.0.0.1/hooks"}),
        json!({"url": "nowhere"}),
        json!({"url": "http://127.0.0.1:9/hooks", "event": "USER_EXPLODED"}),
        json!({"url": "http://127.0.0.1:9/hooks", "id_auth": 999}),
    ] {
        let r = app
            .sandbox_post("/sandbox/webhooks/subscriptions", bad.clone())
            .await;
        assert_eq!(r.status, 400, "{bad} answered {} {}", r.status, r.text);
    }
    assert!(subscriptions(&app).await.is_empty());
}

#[tokio::test]
async fn an_event_scoped_subscription_receives_only_its_event() {
    let receiver = Receiver::start().await;
    let app = spawn_app().await;
    subscribe(
        &app,
        json!({"url": receiver.url("/enabled"), "event": "ACCOUNT_ENABLED"}),
    )
    .await;
    let bank = app.user_with_bank().await;
    settle(&app).await;
    let hits = receiver.delivered();
    assert_eq!(hits.len(), bank.accounts.len(), "{:?}", summary(&hits));
    assert!(hits.iter().all(|h| h.event() == "ACCOUNT_ENABLED"));
    let got: BTreeSet<i64> = hits
        .iter()
        .map(|h| h.json["id"].as_i64().unwrap())
        .collect();
    assert_eq!(got, bank.accounts.iter().copied().collect());
}

#[tokio::test]
async fn a_deleted_subscription_receives_nothing_more() {
    let receiver = Receiver::start().await;
    let app = spawn_app().await;
    let s = subscribe(&app, json!({"url": receiver.url("/gone")})).await;
    let (id_user, _) = app.permanent_user().await;
    settle(&app).await;
    assert_eq!(receiver.delivered().len(), 1);
    let r = app
        .control(
            Method::DELETE,
            &format!("/sandbox/webhooks/subscriptions/{}", s["id"]),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    let (later, _) = app.permanent_user().await;
    // Deliveries are written with the change: none exist for a change after the deletion.
    let b = deliveries(&app, &format!("?id_user={later}")).await;
    assert_eq!(b["total"], 0, "{b}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let hits = receiver.hits();
    assert_eq!(hits.len(), 1, "{:?}", summary(&hits));
    assert_eq!(hits[0].json["id"], id_user);
}

#[tokio::test]
async fn the_sink_url_delivers_to_the_built_in_sink_which_lists_and_clears() {
    let app = spawn_app().await;
    let s = subscribe(&app, json!({"url": "sink"})).await;
    assert_eq!(s["url"], format!("{}/sandbox/webhooks/sink", app.base));
    let (id_user, _) = app.permanent_user().await;
    let waited = app
        .sandbox_get(&format!(
            "/sandbox/webhooks/wait?event=USER_CREATED&id_user={id_user}&timeout=20"
        ))
        .await
        .ok();
    assert_eq!(waited["status"], "delivered");

    let list = app.sandbox_get("/sandbox/webhooks/sink").await.ok();
    assert_eq!(list["total"], 1, "{list}");
    let got = &list["received"][0];
    assert_eq!(got["body"]["id"], id_user);
    assert_eq!(got["body"]["id_webhook_data"], waited["id"]);
    assert!(got["headers"]["authorization"]
        .as_str()
        .is_some_and(|a| a.starts_with("Bearer ")));
    assert!(got["received"].is_string());

    // The sink takes anything without a token, like a real receiver; reading it needs one.
    let r = send_raw(
        &app,
        Method::POST,
        "/sandbox/webhooks/sink",
        None,
        Some("application/json"),
        r#"{"hello": "sink"}"#,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    app.get("/sandbox/webhooks/sink", None)
        .await
        .assert_error(401, "unauthorized");
    let list = app.sandbox_get("/sandbox/webhooks/sink").await.ok();
    assert_eq!(list["total"], 2);
    assert_eq!(list["received"][0]["body"]["hello"], "sink", "newest first");
    let list = app.sandbox_get("/sandbox/webhooks/sink?limit=1").await.ok();
    assert_eq!(list["received"].as_array().unwrap().len(), 1);

    app.call(Method::DELETE, "/sandbox/webhooks/sink", None, None)
        .await
        .assert_error(401, "unauthorized");
    let r = app
        .control(Method::DELETE, "/sandbox/webhooks/sink", None)
        .await;
    assert_eq!(r.status, 204);
    let list = app.sandbox_get("/sandbox/webhooks/sink").await.ok();
    assert_eq!(list["total"], 0);
}
