//! The events of the lifecycle and their payloads.

use super::*;

#[tokio::test]
async fn the_lifecycle_emits_every_documented_event_each_with_its_own_id_webhook_data() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let run = lifecycle(&app, &receiver).await;
    let hits = receiver.hits();
    assert!(hits.iter().all(Hit::delivered), "{:?}", summary(&hits));

    let seen: BTreeSet<&str> = hits.iter().map(Hit::event).collect();
    // The test connector also publishes a statements subscription, found (and left
    // disabled) by the first sync.
    let all: BTreeSet<&str> = EVENTS.into_iter().chain(["SUBSCRIPTION_FOUND"]).collect();
    assert_eq!(seen, all, "every event type");

    let got: Vec<i64> = hits.iter().map(Hit::id).collect();
    let unique: BTreeSet<i64> = got.iter().copied().collect();
    assert_eq!(unique.len(), got.len(), "id_webhook_data is unique");
    let b = deliveries(&app, "?limit=1000").await;
    let logged: BTreeSet<i64> = ids(&b["deliveries"]).into_iter().collect();
    assert_eq!(
        logged, unique,
        "one delivery per event, its id the id_webhook_data"
    );
    for d in b["deliveries"].as_array().unwrap() {
        assert_eq!(d["payload"]["id_webhook_data"], d["id"]);
        assert_eq!(d["id_user"], run.id_user);
        assert!(
            d["event"] == "USER_CREATED"
                || d["event"] == "USER_DELETED"
                || d["id_connection"] == run.connection,
            "{d}"
        );
    }

    // The connection's events, in the order of the lifecycle.
    let sequence: Vec<&str> = hits
        .iter()
        .map(Hit::event)
        .filter(|e| !e.starts_with("USER_") && !e.starts_with("SUBSCRIPTION_"))
        .collect();
    let n = run.accounts.len();
    let enabled_after = sequence
        .iter()
        .position(|e| *e == "ACCOUNT_ENABLED")
        .unwrap();
    assert_eq!(&sequence[..n], vec!["ACCOUNT_FOUND"; n].as_slice());
    assert_eq!(sequence[n], "ACCOUNTS_FETCHED");
    assert_eq!(sequence[n + 1], "CONNECTION_SYNCED");
    assert!(enabled_after >= n + 2);
    assert_eq!(sequence.last(), Some(&"CONNECTION_DELETED"));
    assert_eq!(sequence[sequence.len() - 2], "ACCOUNT_DISABLED");
    let users: Vec<&str> = hits
        .iter()
        .map(Hit::event)
        .filter(|e| e.starts_with("USER_"))
        .collect();
    assert_eq!(users, ["USER_CREATED", "USER_DELETED"]);
    assert_eq!(run.me_with_webhook_token["id"], run.id_user);
}

#[tokio::test]
async fn user_created_and_user_deleted_carry_the_user() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let run = lifecycle(&app, &receiver).await;
    let hits = receiver.hits();
    for event in ["USER_CREATED", "USER_DELETED"] {
        let got = of_event(&hits, event);
        assert_eq!(got.len(), 1, "{event}");
        let p = &got[0].json;
        assert_eq!(p["id"], run.id_user, "{event}: {p}");
        assert!(p["signin"].is_string(), "{event}: {p}");
        assert!(p["id_webhook_data"].is_i64(), "{event}: {p}");
    }
}

#[tokio::test]
async fn a_new_connection_sends_account_found_then_accounts_fetched_then_connection_synced() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let run = lifecycle(&app, &receiver).await;
    let hits = receiver.hits();

    let found = of_event(&hits, "ACCOUNT_FOUND");
    let found_ids: Vec<i64> = found
        .iter()
        .map(|h| h.json["id"].as_i64().unwrap())
        .collect();
    assert_eq!(found_ids, run.accounts, "one per account, in id order");
    for h in &found {
        let p = &h.json;
        assert_eq!(p["id_user"], run.id_user);
        assert_eq!(p["id_connection"], run.connection);
        assert!(p["disabled"].is_string(), "found disabled: {p}");
        assert!(p["type"].is_string(), "{p}");
        assert!(p["name"].is_string(), "{p}");
    }

    let fetched = of_event(&hits, "ACCOUNTS_FETCHED");
    assert_eq!(fetched.len(), 2, "at creation and at the sync");
    let p = &fetched[0].json;
    assert_eq!(p["user"]["id"], run.id_user);
    let c = &p["connection"];
    assert_eq!(c["id"], run.connection);
    assert_eq!(c["id_user"], run.id_user);
    assert_eq!(c["connector"]["uuid"], TEST_CONNECTOR_UUID);
    assert_eq!(c["connector"]["id"], 40);
    assert!(!c["sources"].as_array().unwrap().is_empty(), "{c}");
    assert!(c["sources"][0]["name"].is_string(), "{c}");
    // The accounts found at creation are disabled: the first sync lists none.
    assert_eq!(ids(&c["accounts"]), Vec::<i64>::new(), "{c}");
    let c = &fetched[1].json["connection"];
    assert_eq!(ids(&c["accounts"]), run.accounts);
    assert!(
        c["accounts"][0].get("transactions").is_none(),
        "before transactions: {c}"
    );

    // The first CONNECTION_SYNCED, at creation: accounts found disabled bring nothing.
    let synced = of_event(&hits, "CONNECTION_SYNCED");
    assert_eq!(synced.len(), 2, "at creation and at the sync");
    let p = &synced[0].json;
    assert_eq!(p["user"]["id"], run.id_user);
    let c = &p["connection"];
    assert_eq!(c["id"], run.connection);
    assert_eq!(c["state"], Value::Null);
    assert_eq!(c["connector"]["uuid"], TEST_CONNECTOR_UUID);
    assert!(!c["sources"].as_array().unwrap().is_empty());
    assert_eq!(ids(&c["accounts"]), Vec::<i64>::new(), "{c}");
}

#[tokio::test]
async fn account_enabled_and_account_disabled_carry_the_bank_account() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let run = lifecycle(&app, &receiver).await;
    let hits = receiver.hits();

    let enabled = of_event(&hits, "ACCOUNT_ENABLED");
    let enabled_ids: Vec<i64> = enabled
        .iter()
        .map(|h| h.json["id"].as_i64().unwrap())
        .collect();
    assert_eq!(enabled_ids, run.accounts);
    for h in &enabled {
        assert_eq!(h.json["disabled"], Value::Null, "{}", h.body);
        assert_eq!(h.json["id_connection"], run.connection);
        assert_eq!(h.json["id_user"], run.id_user);
        assert!(h.json["balance"].is_number(), "{}", h.body);
    }

    let disabled = of_event(&hits, "ACCOUNT_DISABLED");
    assert_eq!(disabled.len(), 1);
    let p = &disabled[0].json;
    assert_eq!(p["id"], run.disabled);
    assert!(p["disabled"].is_string(), "disabled is a date: {p}");
    assert_eq!(p["id_connection"], run.connection);
}

#[tokio::test]
async fn a_sync_sends_the_new_transactions_on_account_synced_account_categorized_and_connection_synced(
) {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let run = lifecycle(&app, &receiver).await;
    let hits = receiver.hits();
    assert!(
        run.new.values().any(|v| !v.is_empty()),
        "10 days bring transactions: {:?}",
        run.new
    );

    // Enabling the accounts sent their history first; the sync's events come last.
    let all_synced = of_event(&hits, "ACCOUNT_SYNCED");
    let synced = &all_synced[all_synced.len().saturating_sub(run.accounts.len())..];
    let synced_ids: Vec<i64> = synced
        .iter()
        .map(|h| h.json["id"].as_i64().unwrap())
        .collect();
    assert_eq!(synced_ids, run.accounts, "one per enabled account");
    for h in synced {
        let a = h.json["id"].as_i64().unwrap();
        let mut got = ids(&h.json["transactions"]);
        got.sort();
        let want = run.new.get(&a).cloned().unwrap_or_default();
        assert_eq!(got, want, "the new transactions of account {a}");
        assert!(h.json["transactions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["id_account"] == a && t["value"].is_number() && t["date"].is_string()));
        assert_eq!(h.json["investments"], json!([]));
        assert_eq!(h.json["id_connection"], run.connection);
        assert_eq!(h.json["disabled"], Value::Null);
    }

    let all_categorized = of_event(&hits, "ACCOUNT_CATEGORIZED");
    let with_new: Vec<i64> = run
        .new
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(a, _)| *a)
        .collect();
    let categorized = &all_categorized[all_categorized.len().saturating_sub(with_new.len())..];
    assert_eq!(categorized.len(), with_new.len());
    for h in categorized {
        let a = h.json["id_account"].as_i64().expect("id_account");
        let mut got = ids(&h.json["transactions"]);
        got.sort();
        assert_eq!(got, run.new[&a]);
    }

    let connection_synced = of_event(&hits, "CONNECTION_SYNCED");
    let p = &connection_synced.last().unwrap().json;
    assert_eq!(p["user"]["id"], run.id_user);
    let c = &p["connection"];
    assert_eq!(c["id"], run.connection);
    assert_eq!(c["connector"]["uuid"], TEST_CONNECTOR_UUID);
    assert!(!c["sources"].as_array().unwrap().is_empty());
    assert_eq!(ids(&c["accounts"]), run.accounts);
    for a in c["accounts"].as_array().unwrap() {
        let id = a["id"].as_i64().unwrap();
        let mut got = ids(&a["transactions"]);
        got.sort();
        assert_eq!(
            got,
            run.new.get(&id).cloned().unwrap_or_default(),
            "account {id}"
        );
        assert_eq!(a["investments"], json!([]));
    }
    // The ACCOUNT_SYNCED of each account comes before the CONNECTION_SYNCED.
    let last_account = synced.last().unwrap().id();
    assert!(connection_synced.last().unwrap().id() > last_account);
}

#[tokio::test]
async fn enabling_an_account_sends_the_history_it_fetched_on_account_synced() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let run = lifecycle(&app, &receiver).await;
    assert!(
        run.history.values().any(|v| !v.is_empty()),
        "enabling fetches history"
    );
    let hits = receiver.hits();
    // Every transaction the API shows must reach a receiver that keeps what webhooks carry.
    let mut carried: BTreeSet<i64> = BTreeSet::new();
    for h in of_event(&hits, "ACCOUNT_SYNCED") {
        carried.extend(ids(&h.json["transactions"]));
    }
    let history: BTreeSet<i64> = run.history.values().flatten().copied().collect();
    let missing: Vec<&i64> = history.difference(&carried).collect();
    assert!(
        missing.is_empty(),
        "{} of the {} transactions fetched when the accounts were enabled reached no ACCOUNT_SYNCED",
        missing.len(),
        history.len()
    );
}

#[tokio::test]
async fn connection_deleted_carries_the_connection() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let run = lifecycle(&app, &receiver).await;
    let got = of_event(&receiver.hits(), "CONNECTION_DELETED");
    assert_eq!(got.len(), 1);
    let p = &got[0].json;
    assert_eq!(p["id"], run.connection);
    assert_eq!(p["id_user"], run.id_user);
    assert_eq!(p["connector_uuid"], TEST_CONNECTOR_UUID);
}

#[tokio::test]
async fn a_background_sync_by_the_scheduler_emits_connection_synced() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let bank = app.user_with_bank().await;
    settle(&app).await;
    let before = of_event(&receiver.hits(), "CONNECTION_SYNCED").len();
    // Taken before the tick: its delivery may arrive before the wait is asked for.
    let last_before = receiver.hits().last().unwrap().id();
    app.advance_clock("25h").await;
    let ran = app.run_due_work().await;
    assert!(
        ran.iter()
            .any(|r| r["job"] == "sync" && r["id_connection"] == bank.connection),
        "{ran:?}"
    );
    let d = app
        .sandbox_get(&format!(
            "/sandbox/webhooks/wait?event=CONNECTION_SYNCED&id_connection={}&after={}&timeout=20",
            bank.connection, last_before
        ))
        .await
        .ok();
    assert_eq!(d["payload"]["connection"]["id"], bank.connection);
    settle(&app).await;
    assert_eq!(
        of_event(&receiver.hits(), "CONNECTION_SYNCED").len(),
        before + 1
    );
}

#[tokio::test]
async fn a_temporary_user_gets_no_webhooks_until_it_becomes_permanent() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let (id_user, token) = temporary_user(&app).await;
    app.create_connection(&token, par()).await;
    app.enable_all_accounts(&token).await;
    // Events are written with the change: none exist for the temporary user.
    let b = deliveries(&app, &format!("?id_user={id_user}&status=any")).await;
    assert_eq!(b["total"], 0, "{b}");

    // Exchanging a code makes the user permanent: USER_CREATED, then its changes are sent.
    let code = temporary_code(&app, &token, "singleAccess").await;
    let access = exchange_code(&app, &code).await.ok();
    let permanent = access["access_token"].as_str().unwrap();
    let d = app
        .sandbox_get(&format!(
            "/sandbox/webhooks/wait?event=USER_CREATED&id_user={id_user}&timeout=20"
        ))
        .await
        .ok();
    assert_eq!(d["payload"]["id"], id_user);
    let accounts = app.all_accounts(permanent).await;
    let first = accounts[0]["id"].as_i64().unwrap();
    app.post(
        &format!("/users/me/accounts/{first}?all"),
        Some(permanent),
        json!({"disabled": true}),
    )
    .await
    .ok();
    settle(&app).await;
    let events: Vec<String> = receiver
        .delivered()
        .iter()
        .map(|h| h.event().to_string())
        .collect();
    assert_eq!(events, ["USER_CREATED", "ACCOUNT_DISABLED"]);
}

#[tokio::test]
async fn a_change_that_is_refused_queues_no_event() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let (id_user, token) = app.permanent_user().await;
    let mut wrong = par();
    wrong["openapiwebsite"] = json!("wrongpass");
    wrong["password"] = json!("666666");
    let r = app.post("/users/me/connections", Some(&token), wrong).await;
    assert_eq!(r.status, 400, "{}", r.text);
    let b = deliveries(&app, &format!("?id_user={id_user}&status=any")).await;
    let events: Vec<&Value> = b["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["event"])
        .collect();
    assert_eq!(events, [&json!("USER_CREATED")], "{b}");
}
