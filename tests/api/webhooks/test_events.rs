//! Test events.

use super::*;

#[tokio::test]
async fn a_test_event_of_every_type_is_delivered_count_times() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let bank = app.user_with_bank().await;
    let (id_user, id_connection) = (bank.id_user, bank.connection);
    settle(&app).await;
    let before = receiver.delivered().len();
    for event in EVENTS {
        let b = fire(
            &app,
            json!({"event": event, "id_user": id_user, "id_connection": id_connection}),
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
    let hits = receiver.delivered()[before..].to_vec();
    assert_eq!(hits.len(), EVENTS.len() + 3);
    let fired: Vec<&str> = hits[..EVENTS.len()].iter().map(Hit::event).collect();
    let mut sorted_fired = fired.clone();
    sorted_fired.sort();
    let mut sorted_all = EVENTS.to_vec();
    sorted_all.sort();
    assert_eq!(sorted_fired, sorted_all);
    for h in &hits {
        assert!(h.json["id_webhook_data"].is_i64(), "{}", h.body);
        assert!(h.header("authorization").is_some());
    }
    for h in &hits[..EVENTS.len()] {
        match h.event() {
            "USER_CREATED" | "USER_DELETED" => assert_eq!(h.json["id"], id_user),
            "CONNECTION_DELETED" => assert_eq!(h.json["id"], id_connection),
            "CONNECTION_SYNCED" | "ACCOUNTS_FETCHED" => {
                assert_eq!(h.json["user"]["id"], id_user);
                assert_eq!(h.json["connection"]["id"], id_connection);
            }
            "ACCOUNT_CATEGORIZED" => assert!(h.json["transactions"].is_array()),
            _ => {
                assert_eq!(h.json["id_connection"], id_connection);
                assert!(bank.accounts.contains(&id_of(&h.json)), "{}", h.body);
            }
        }
    }
    let three: BTreeSet<i64> = hits[EVENTS.len()..].iter().map(Hit::id).collect();
    assert_eq!(three.len(), 3, "each copy has its own id_webhook_data");
}

#[tokio::test]
async fn a_test_event_without_a_user_carries_a_sample_user_connection_and_account() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    settle(&app).await;
    let before = receiver.delivered().len();
    for event in EVENTS {
        let b = fire(&app, json!({"event": event})).await;
        assert_eq!(b["event"], event);
        assert_eq!(b["queued"], 1, "{event}: {b}");
    }
    fire(&app, json!({"event": "ACCOUNT_SYNCED"})).await;
    settle(&app).await;
    let hits = receiver.delivered()[before..].to_vec();
    assert_eq!(hits.len(), EVENTS.len() + 1);
    for h in &hits {
        assert!(h.json["id_webhook_data"].is_i64(), "{}", h.body);
        assert_eq!(h.header("authorization"), None, "no user, no token");
        match h.event() {
            "USER_CREATED" | "USER_DELETED" => {
                assert_eq!(h.json["id"], 1);
                assert_eq!(h.json["platform"], "sharedAccess");
                assert_eq!(h.json["signin"], CLOCK_START);
            }
            "CONNECTION_DELETED" => {
                assert_eq!(h.json["id"], 1);
                assert_eq!(h.json["id_user"], 1);
                assert_eq!(h.json["connector_uuid"], TEST_CONNECTOR_UUID);
            }
            "ACCOUNTS_FETCHED" | "CONNECTION_SYNCED" => {
                assert_eq!(h.json["user"]["id"], 1);
                let c = &h.json["connection"];
                assert_eq!(c["id"], 1);
                assert_eq!(c["connector"]["uuid"], TEST_CONNECTOR_UUID);
                assert_eq!(c["sources"].as_array().unwrap().len(), 1, "{c}");
                assert_eq!(c["sources"][0]["id_connection"], 1);
                assert_eq!(c["accounts"][0]["id"], 1);
                assert_eq!(c["accounts"][0]["disabled"], Value::Null);
                if h.event() == "CONNECTION_SYNCED" {
                    assert_eq!(c["accounts"][0]["transactions"][0]["id_account"], 1);
                }
            }
            "ACCOUNT_CATEGORIZED" => {
                assert_eq!(h.json["id_account"], 1);
                assert_eq!(h.json["transactions"].as_array().unwrap().len(), 1);
            }
            event => {
                let a = &h.json;
                assert_eq!(a["id"], 1, "{event}: {a}");
                assert_eq!(a["id_connection"], 1);
                assert_eq!(a["id_user"], 1);
                assert_eq!(a["type"], "checking");
                assert_eq!(a["currency"]["id"], "EUR");
                if event == "ACCOUNT_SYNCED" {
                    let t = &a["transactions"][0];
                    assert_eq!(t["id_account"], 1);
                    assert_eq!(t["value"], -42.5);
                    assert_eq!(t["type"], "card");
                    assert!(a["investments"].is_array());
                }
                let disabled = matches!(event, "ACCOUNT_FOUND" | "ACCOUNT_DISABLED");
                assert_eq!(a["disabled"].is_string(), disabled, "{event}: {a}");
            }
        }
    }
    let synced: Vec<&Hit> = hits
        .iter()
        .filter(|h| h.event() == "ACCOUNT_SYNCED")
        .collect();
    let strip = |h: &Hit| {
        let mut j = h.json.clone();
        j.as_object_mut().unwrap().remove("id_webhook_data");
        j
    };
    assert_eq!(
        strip(synced[0]),
        strip(synced[1]),
        "the sample is the same each time"
    );
    let log = deliveries(&app, "?event=ACCOUNT_SYNCED").await;
    assert_eq!(log["deliveries"][0]["id_user"], Value::Null);
}

#[tokio::test]
async fn a_test_event_of_a_user_carries_its_real_account_and_latest_transactions() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let bank = app.user_with_bank().await;
    settle(&app).await;
    let before = receiver.delivered().len();
    fire(
        &app,
        json!({"event": "ACCOUNT_SYNCED", "id_user": bank.id_user}),
    )
    .await;
    settle(&app).await;
    let hits = receiver.delivered()[before..].to_vec();
    assert_eq!(hits.len(), 1);
    let a = &hits[0].json;
    let id = id_of(a);
    assert_ne!(id, 0);
    let shown = app
        .get(&format!("/users/me/accounts/{id}"), Some(&bank.token))
        .await
        .ok();
    for key in [
        "id",
        "id_connection",
        "name",
        "balance",
        "iban",
        "number",
        "type",
    ] {
        assert_eq!(a[key], shown[key], "{key}");
    }
    let listed = app
        .get(
            &format!("/users/me/accounts/{id}/transactions?limit=1000"),
            Some(&bank.token),
        )
        .await
        .ok();
    let known = ids(&listed["transactions"]);
    let sent = ids(&a["transactions"]);
    assert!(!sent.is_empty(), "the latest sync's transactions: {a}");
    assert!(sent.iter().all(|t| known.contains(t)), "{sent:?}");
}

#[tokio::test]
async fn a_test_event_needs_a_known_event_a_permanent_user_and_a_sane_count() {
    let app = spawn_app().await;
    let (id_user, token) = app.permanent_user().await;
    let (temporary, _) = temporary_user(&app).await;
    let other = app.user_with_bank().await;
    for bad in [
        json!({"id_user": id_user}),
        json!({"event": "USER_EXPLODED", "id_user": id_user}),
        json!({"event": "USER_CREATED", "id_connection": other.connection}),
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
