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
