//! SUBSCRIPTION_FOUND, SUBSCRIPTION_SYNCED and CONNECTION_SYNCED's `subscriptions`.

use super::*;
use reqwest::Method;

/// Subscribes the built-in sink to every event.
async fn hook_everything(app: &TestApp) {
    let url = app.url("/sandbox/webhooks/sink");
    let r = app
        .control(
            Method::POST,
            "/sandbox/webhooks/subscriptions",
            Some(json!({"url": url})),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text);
}

async fn payloads(app: &TestApp, event: &str) -> Vec<Value> {
    let b = app
        .control(
            Method::GET,
            &format!("/sandbox/webhooks/deliveries?event={event}&limit=1000"),
            None,
        )
        .await
        .ok();
    b["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["payload"].clone())
        .collect()
}

#[tokio::test]
async fn subscriptions_are_announced_when_found_and_synced_with_their_new_documents() {
    let app = spawn_frozen().await;
    hook_everything(&app).await;
    let (id_user, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, onde("camille@example.org"))
        .await;
    let all = app
        .get("/users/me/subscriptions?all", Some(&token))
        .await
        .ok();
    let found = payloads(&app, "SUBSCRIPTION_FOUND").await;
    assert_eq!(found.len(), all["subscriptions"].as_array().unwrap().len());
    assert_eq!(found[0]["id"], all["subscriptions"][0]["id"]);
    assert_eq!(found[0]["id_user"], id_user);
    assert_eq!(found[0]["id_connection"], c["id"]);
    // The first sync lists no subscription: they are all disabled.
    let synced = payloads(&app, "CONNECTION_SYNCED").await;
    assert_eq!(
        synced.last().unwrap()["connection"]["subscriptions"],
        json!([])
    );

    let subs = app.enable_all_subscriptions(&token).await;
    let on_consent = payloads(&app, "SUBSCRIPTION_SYNCED").await;
    assert_eq!(on_consent.len(), subs.len());
    assert_eq!(on_consent[0]["id"], subs[0]);
    assert_eq!(on_consent[0]["disabled"], Value::Null);
    let docs = on_consent[0]["documents"].as_array().unwrap();
    assert!(docs.len() >= 12);
    let listed = app
        .get(
            &format!("/users/me/subscriptions/{}/documents", subs[0]),
            Some(&token),
        )
        .await
        .ok();
    assert_eq!(ids(&on_consent[0]["documents"]), ids(&listed["documents"]));

    app.advance_clock("31d").await;
    app.sync_connection(&token, c["id"].as_i64().unwrap()).await;
    let synced = payloads(&app, "CONNECTION_SYNCED").await;
    let last = synced.last().unwrap();
    let in_sync = last["connection"]["subscriptions"].as_array().unwrap();
    assert_eq!(ids(&Value::Array(in_sync.clone())), subs);
    for s in in_sync {
        assert_eq!(s["documents"].as_array().unwrap().len(), 1, "{s}");
    }
    let per_subscription = payloads(&app, "SUBSCRIPTION_SYNCED").await;
    assert_eq!(per_subscription.len(), 2 * subs.len());
    assert_eq!(
        per_subscription.last().unwrap()["documents"],
        in_sync.last().unwrap()["documents"]
    );
}

/// The subscription and document keys of SUBSCRIPTION_SYNCED, none of an account's.
fn assert_subscription_shaped(p: &Value) {
    for key in [
        "id",
        "id_connection",
        "id_user",
        "label",
        "number",
        "documents",
    ] {
        assert!(p.get(key).is_some(), "{key}: {p}");
    }
    for key in ["balance", "type", "iban", "transactions"] {
        assert!(p.get(key).is_none(), "{key}: {p}");
    }
    for d in p["documents"].as_array().unwrap() {
        assert_eq!(d["id_subscription"], p["id"], "{d}");
        for key in [
            "id_type",
            "date",
            "url",
            "total_amount",
            "has_file_on_website",
        ] {
            assert!(d.get(key).is_some(), "{key}: {d}");
        }
    }
}

#[tokio::test]
async fn a_subscription_test_event_without_a_user_carries_a_sample_subscription_and_bill() {
    let app = spawn_frozen().await;
    hook_everything(&app).await;
    for event in ["SUBSCRIPTION_FOUND", "SUBSCRIPTION_SYNCED"] {
        let b = app
            .sandbox_post("/sandbox/webhooks/test", json!({"event": event}))
            .await
            .ok();
        assert_eq!(b["queued"], 1, "{b}");
    }
    let found = payloads(&app, "SUBSCRIPTION_FOUND").await;
    assert_eq!(found.len(), 1);
    for key in ["id", "id_user", "id_connection"] {
        assert_eq!(found[0][key], 1, "{key}: {}", found[0]);
    }
    assert!(found[0].get("balance").is_none(), "{}", found[0]);
    let synced = payloads(&app, "SUBSCRIPTION_SYNCED").await;
    assert_eq!(synced.len(), 1);
    let s = &synced[0];
    assert_subscription_shaped(s);
    assert_eq!(s["id"], 1);
    assert_eq!(s["disabled"], Value::Null);
    let docs = s["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["id_type"], 4, "a bill");
    assert_eq!(docs[0]["total_amount"], 19.99);
    assert!(docs[0]["url"]
        .as_str()
        .unwrap()
        .ends_with("/2.0/users/1/documents/1/file"));
}

#[tokio::test]
async fn a_subscription_test_event_for_a_user_carries_its_subscription_and_last_documents() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, onde("camille@example.org"))
        .await;
    let subs = app.enable_all_subscriptions(&token).await;
    hook_everything(&app).await;
    for event in ["SUBSCRIPTION_FOUND", "SUBSCRIPTION_SYNCED"] {
        let b = app
            .sandbox_post(
                "/sandbox/webhooks/test",
                json!({"event": event, "id_user": id_user, "id_connection": c["id"]}),
            )
            .await
            .ok();
        assert_eq!(b["queued"], 1, "{b}");
    }
    let found = payloads(&app, "SUBSCRIPTION_FOUND").await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["id"], *subs.last().unwrap());
    assert_eq!(found[0]["id_user"], id_user);
    assert_eq!(found[0]["id_connection"], c["id"]);
    let synced = payloads(&app, "SUBSCRIPTION_SYNCED").await;
    assert_eq!(synced.len(), 1);
    let s = &synced[0];
    assert_subscription_shaped(s);
    assert_eq!(s["id"], subs[0]);
    assert_eq!(s["id_user"], id_user);
    let listed = app
        .get(
            &format!("/users/me/subscriptions/{}/documents", subs[0]),
            Some(&token),
        )
        .await
        .ok();
    // The same documents (webhooks have no request: their URLs are under the public URL).
    assert_eq!(ids(&s["documents"]), ids(&listed["documents"]));
    assert_eq!(
        s["documents"][0]["number"],
        listed["documents"][0]["number"]
    );
    // A month on, a sync stores one new document: the event carries that one alone.
    app.advance_clock("31d").await;
    app.sync_connection(&token, c["id"].as_i64().unwrap()).await;
    app.sandbox_post(
        "/sandbox/webhooks/test",
        json!({"event": "SUBSCRIPTION_SYNCED", "id_user": id_user, "id_connection": c["id"]}),
    )
    .await
    .ok();
    let synced = payloads(&app, "SUBSCRIPTION_SYNCED").await;
    let last = synced.last().unwrap();
    let docs = last["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 1, "{last}");
    let url = docs[0]["url"].as_str().unwrap();
    let path = &url[url.find("/2.0").unwrap() + 4..];
    let (status, content_type, bytes) = app.download(path, &token).await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/pdf");
    assert!(bytes.starts_with(b"%PDF"));
}
