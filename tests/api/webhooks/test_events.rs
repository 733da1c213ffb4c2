//! Test events.

use super::*;

#[tokio::test]
async fn a_test_event_of_every_type_is_delivered_count_times() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let (id_user, _) = app.permanent_user().await;
    settle(&app).await;
    for event in EVENTS {
        let b = fire(
            &app,
            json!({"event": event, "id_user": id_user, "id_connection": 9}),
        )
        .await;
        assert_eq!(b["event"], event);
        assert_eq!(b["queued"], 1);
    }
    settle(&app).await;
    let b = fire(
        &app,
        json!({"event": "ACCOUNT_SYNCED", "id_user": id_user, "count": 3}),
    )
    .await;
    assert_eq!(b["queued"], 3);
    settle(&app).await;
    let hits = receiver.delivered();
    assert_eq!(hits.len(), 1 + EVENTS.len() + 3);
    let fired: Vec<&str> = hits[1..=EVENTS.len()].iter().map(Hit::event).collect();
    let mut sorted_fired = fired.clone();
    sorted_fired.sort();
    let mut sorted_all = EVENTS.to_vec();
    sorted_all.sort();
    assert_eq!(sorted_fired, sorted_all);
    for h in &hits {
        assert!(h.json["id_webhook_data"].is_i64(), "{}", h.body);
        assert!(h.header("authorization").is_some());
    }
    for h in &hits[1..=EVENTS.len()] {
        match h.event() {
            "USER_CREATED" | "USER_DELETED" => assert_eq!(h.json["id"], id_user),
            "CONNECTION_DELETED" => assert_eq!(h.json["id"], 9),
            "CONNECTION_SYNCED" | "ACCOUNTS_FETCHED" => {
                assert_eq!(h.json["user"]["id"], id_user);
                assert_eq!(h.json["connection"]["id"], 9);
            }
            "ACCOUNT_CATEGORIZED" => assert!(h.json["transactions"].is_array()),
            _ => assert_eq!(h.json["id_connection"], 9),
        }
    }
    let three: BTreeSet<i64> = hits[EVENTS.len() + 1..].iter().map(Hit::id).collect();
    assert_eq!(three.len(), 3, "each copy has its own id_webhook_data");
}

#[tokio::test]
async fn a_test_event_needs_a_known_event_a_permanent_user_and_a_sane_count() {
    let app = spawn_app().await;
    let (id_user, token) = app.permanent_user().await;
    let (temporary, _) = temporary_user(&app).await;
    for bad in [
        json!({"id_user": id_user}),
        json!({"event": "USER_EXPLODED", "id_user": id_user}),
        json!({"event": "USER_CREATED"}),
        json!({"event": "USER_CREATED", "id_user": temporary}),
        json!({"event": "USER_CREATED", "id_user": 999999}),
        json!({"event": "USER_CREATED", "id_user": id_user, "count": 0}),
        json!({"event": "USER_CREATED", "id_user": id_user, "count": 100001}),
    ] {
        let r = app
            .sandbox_post("/sandbox/webhooks/test", bad.clone())
            .await;
        assert_eq!(r.status, 400, "{bad} answered {} {}", r.status, r.text);
    }
    app.post(
        "/sandbox/webhooks/test",
        Some(&token),
        json!({"event": "USER_CREATED", "id_user": id_user}),
    )
    .await
    .assert_error(401, "unauthorized");
    // With no subscription, nothing is queued.
    let b = fire(&app, json!({"event": "USER_CREATED", "id_user": id_user})).await;
    assert_eq!(b["queued"], 0);
}
