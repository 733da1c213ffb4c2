//! Creation: the sources a new connection gets and what its first sync discovers.

use super::*;

#[tokio::test]
async fn a_new_connection_gets_every_source_in_priority_order() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections?expand=sources",
            Some(&token),
            test_connector_credentials(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let sources = r.body["sources"].as_array().unwrap();
    let summary: Vec<(String, i64, i64)> = sources
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["priority"].as_i64().unwrap(),
                s["id_connector_source"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [("openapi".into(), 0, 400), ("directaccess".into(), 2, 401)]
    );
    assert!(sources[0]["id"].as_i64() < sources[1]["id"].as_i64());
    for s in sources {
        assert_eq!(s["id_connection"], r.body["id"]);
        assert_eq!(s["state"], Value::Null);
        assert_eq!(s["disabled"], Value::Null);
        assert_eq!(s["created"], CLOCK_START);
        assert_eq!(s["last_update"], CLOCK_START);
    }
    // Credentials given to the PSD2 source are a consent for 180 days.
    assert_eq!(sources[0]["access_expire"], "2026-07-14 11:00:00");
    assert_eq!(sources[1]["access_expire"], Value::Null);
}

#[tokio::test]
async fn the_source_parameter_adds_only_that_source() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections?source=directaccess&expand=sources",
            Some(&token),
            test_connector_credentials(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let names: Vec<&str> = r.body["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["directaccess"]);
    // Its accounts come from that source.
    let source_id = r.body["sources"][0]["id"].clone();
    for a in app.all_accounts(&token).await {
        assert_eq!(a["id_source"], source_id, "{a}");
    }
}

#[tokio::test]
async fn an_unknown_source_is_an_invalid_value() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections?source=nosuchsource",
            Some(&token),
            test_connector_credentials(),
        )
        .await;
    r.assert_error_about(400, "invalidValue", "source");
    assert_eq!(connections_total(&app, &token).await, 0);
}

#[tokio::test]
async fn the_first_sync_discovers_the_accounts_and_writes_a_log() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let r = app
        .post(
            "/users/me/connections?expand=accounts,all_accounts",
            Some(&token),
            test_connector_credentials(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Discovered accounts are disabled: not in `accounts`, all in `all_accounts`.
    assert_eq!(r.body["accounts"], json!([]));
    let all = r.body["all_accounts"].as_array().unwrap();
    let types: Vec<&str> = all.iter().map(|a| a["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "checking",
            "savings",
            "card",
            "loan",
            "market",
            "livret_a",
            "lifeinsurance"
        ]
    );
    for a in all {
        assert_eq!(a["disabled"], CLOCK_START, "{a}");
    }
    let id = r.body["id"].as_i64().unwrap();
    let logs = app
        .get(&format!("/users/me/connections/{id}/logs"), Some(&token))
        .await
        .ok();
    assert_eq!(logs["total"], 1, "{logs}");
}

#[tokio::test]
async fn an_unknown_expansion_is_an_invalid_value() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let id = c["id"].as_i64().unwrap();
    app.get("/users/me/connections?expand=nonsense", Some(&token))
        .await
        .assert_error(400, "invalidValue");
    app.get(
        &format!("/users/me/connections/{id}?expand=nonsense"),
        Some(&token),
    )
    .await
    .assert_error(400, "invalidValue");
}
