//! Connection logs.

use super::*;

#[tokio::test]
async fn logs_have_one_row_per_sync_newest_first() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    app.sync_connection(&token, id).await;
    app.sync_connection(&token, id).await;
    let b = app
        .get(&format!("/users/me/connections/{id}/logs"), Some(&token))
        .await
        .ok();
    let keys: Vec<&String> = b.as_object().unwrap().keys().collect();
    for k in ["connectionlogs", "total", "first_date", "last_date"] {
        assert!(keys.iter().any(|x| *x == k), "missing {k} in {b}");
    }
    assert_eq!(b["total"], 3);
    let logs = b["connectionlogs"].as_array().unwrap();
    assert_eq!(logs.len(), 3);
    let log_ids: Vec<i64> = logs.iter().map(|l| l["id"].as_i64().unwrap()).collect();
    let mut sorted = log_ids.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(log_ids, sorted, "newest first");
    for l in logs {
        assert_eq!(l["id_user"], id_user);
        assert_eq!(l["id_connection"], id);
        assert_eq!(l["id_connector"], 40);
        assert_eq!(l["timestamp"], CLOCK_START);
        assert_eq!(l["error"], Value::Null);
        assert_eq!(l["nb_accounts"], 7, "{l}");
        for key in ["id_source", "start", "next_try", "error_message"] {
            assert!(l.get(key).is_some(), "missing {key} in {l}");
        }
    }
    assert_eq!(b["first_date"], CLOCK_START);
    assert_eq!(b["last_date"], CLOCK_START);
}

#[tokio::test]
async fn logs_are_paginated_with_limit_and_offset() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    for _ in 0..4 {
        app.sync_connection(&token, id).await;
    }
    let base = format!("/users/me/connections/{id}/logs");
    let all = app.get(&base, Some(&token)).await.ok();
    let all_ids: Vec<Value> = all["connectionlogs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].clone())
        .collect();
    assert_eq!(all_ids.len(), 5);
    let page = app
        .get(&format!("{base}?limit=2&offset=1"), Some(&token))
        .await
        .ok();
    assert_eq!(page["total"], 5, "total counts every match");
    let page_ids: Vec<Value> = page["connectionlogs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].clone())
        .collect();
    assert_eq!(page_ids, all_ids[1..3]);
    let past = app
        .get(&format!("{base}?offset=10"), Some(&token))
        .await
        .ok();
    assert_eq!(past["connectionlogs"], json!([]));
    assert_eq!(past["total"], 5);
    for bad in ["limit=abc", "limit=-1", "offset=-3", "limit=1001"] {
        app.get(&format!("{base}?{bad}"), Some(&token))
            .await
            .assert_error(400, "invalidValue");
    }
}

#[tokio::test]
async fn logs_are_filtered_by_date_inclusively() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let base = format!("/users/me/connections/{}/logs", c["id"]);
    for (query, total) in [
        ("min_date=2026-01-15", 1),
        ("max_date=2026-01-15", 1),
        ("min_date=2026-01-15&max_date=2026-01-15", 1),
        ("min_date=2026-01", 1),
        ("max_date=2026", 1),
        ("min_date=2026-01-16", 0),
        ("max_date=2026-01-14", 0),
        ("max_date=2025-12", 0),
        ("min_date=2027", 0),
    ] {
        let b = app.get(&format!("{base}?{query}"), Some(&token)).await.ok();
        assert_eq!(b["total"], total, "{query}: {b}");
        assert_eq!(
            b["connectionlogs"].as_array().unwrap().len(),
            total as usize,
            "{query}"
        );
    }
    for bad in [
        "min_date=15/01/2026",
        "max_date=2026-13",
        "min_date=yesterday",
    ] {
        app.get(&format!("{base}?{bad}"), Some(&token))
            .await
            .assert_error(400, "invalidValue");
    }
}

#[tokio::test]
async fn logs_are_filtered_by_source() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    let path = format!("/users/me/connections/{id}");
    // One failing sync, blamed on the source that refused the credentials.
    app.post(&path, Some(&token), json!({"password": "wrongpass"}))
        .await
        .assert_error(400, "wrongpass");
    let all = app.get(&format!("{path}/logs"), Some(&token)).await.ok();
    assert_eq!(all["total"], 2);
    let failing = all["connectionlogs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["error"] == "wrongpass")
        .unwrap_or_else(|| panic!("a wrongpass log in {all}"))
        .clone();
    let sid = failing["id_source"]
        .as_i64()
        .unwrap_or_else(|| panic!("the failing log names its source: {failing}"));
    let sources = app.get(&format!("{path}/sources"), Some(&token)).await.ok();
    assert!(sources["sources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == sid));
    let b = app
        .get(&format!("{path}/logs?id_source={sid}"), Some(&token))
        .await
        .ok();
    assert!(b["total"].as_i64().unwrap() >= 1, "{b}");
    for l in b["connectionlogs"].as_array().unwrap() {
        assert_eq!(l["id_source"], sid, "{l}");
    }
    let none = app
        .get(&format!("{path}/logs?id_source=999999"), Some(&token))
        .await
        .ok();
    assert_eq!(none["total"], 0);
    app.get(&format!("{path}/logs?id_source=abc"), Some(&token))
        .await
        .assert_error(400, "invalidValue");
}

#[tokio::test]
async fn a_failing_sync_log_carries_the_state() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let path = format!("/users/me/connections/{}", c["id"]);
    app.post(&path, Some(&token), json!({"password": "wrongpass"}))
        .await
        .assert_error(400, "wrongpass");
    let b = app
        .get(&format!("{path}/logs?limit=1"), Some(&token))
        .await
        .ok();
    let l = &b["connectionlogs"][0];
    assert_eq!(l["error"], "wrongpass", "{b}");
    assert!(l["error_message"].is_string(), "{b}");
}
