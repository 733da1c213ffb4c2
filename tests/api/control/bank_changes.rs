//! Changes at the bank.

use super::*;

#[tokio::test]
async fn an_account_opened_at_the_bank_is_found_disabled_on_the_next_sync() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let before = app.all_accounts(&token).await.len();
    let b = app
        .sandbox_post(
            &format!("/sandbox/connections/{id}/bank/accounts"),
            json!({"type": "savings", "name": "Livret Projet"}),
        )
        .await
        .ok();
    assert_eq!(b["type"], "savings", "{b}");
    assert_eq!(b["name"], "Livret Projet", "{b}");
    assert_eq!(
        app.all_accounts(&token).await.len(),
        before,
        "not before a sync"
    );
    let now = advance(&app, "1h").await;
    let s = sync_now(&app, id, json!({})).await;
    let found = s["sync"]["found"].as_array().unwrap().clone();
    assert_eq!(found.len(), 1, "{s}");
    let all = app.all_accounts(&token).await;
    assert_eq!(all.len(), before + 1);
    let new = all.iter().find(|a| a["id"] == found[0]).unwrap();
    assert_eq!(new["name"], "Livret Projet", "{new}");
    assert_eq!(new["type"], "savings");
    assert_eq!(new["disabled"], now, "found disabled: {new}");
    assert_eq!(new["balance"], Value::Null, "{new}");
    let enabled = app.get("/users/me/accounts", Some(&token)).await.ok();
    assert!(
        !enabled["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == found[0]),
        "{enabled}"
    );
}

#[tokio::test]
async fn an_opened_account_needs_a_known_type() {
    let app = spawn_frozen().await;
    let (_, id) = user_with_connection(&app).await;
    let path = format!("/sandbox/connections/{id}/bank/accounts");
    app.sandbox_post(&path, json!({"type": "piggybank"}))
        .await
        .assert_error(400, "invalidValue");
    app.sandbox_post(&path, json!({}))
        .await
        .assert_error(400, "missingParameter");
    app.sandbox_post(
        "/sandbox/connections/999/bank/accounts",
        json!({"type": "savings"}),
    )
    .await
    .assert_error(404, "notFound");
}

#[tokio::test]
async fn an_account_closed_at_the_bank_is_deleted_on_the_next_sync() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let ids = enable_all(&app, &token).await;
    let gone = ids[1];
    let r = app
        .call(
            Method::DELETE,
            &format!("/sandbox/connections/{id}/bank/accounts/{gone}"),
            Some(CONFIG_TOKEN),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let a = app
        .get(&format!("/users/me/accounts/{gone}"), Some(&token))
        .await
        .ok();
    assert_eq!(a["deleted"], Value::Null, "not before a sync: {a}");
    let now = advance(&app, "1h").await;
    let s = sync_now(&app, id, json!({})).await;
    assert_eq!(s["sync"]["deleted"], json!([gone]), "{s}");
    let all = app.all_accounts(&token).await;
    let a = all.iter().find(|a| a["id"] == gone).unwrap();
    assert_eq!(a["deleted"], now, "{a}");
    let visible = app.get("/users/me/accounts", Some(&token)).await.ok();
    assert!(
        !visible["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == gone),
        "{visible}"
    );
    // Closing an unknown account is a 404.
    let r = app
        .call(
            Method::DELETE,
            &format!("/sandbox/connections/{id}/bank/accounts/99999"),
            Some(CONFIG_TOKEN),
            None,
        )
        .await;
    r.assert_error(404, "notFound");
}

#[tokio::test]
async fn injected_transactions_appear_after_the_next_sync_of_an_enabled_account() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let ids = enable_all(&app, &token).await;
    let account = ids[0];
    let balance = |a: &Value| a["balance"].to_string().parse::<f64>().unwrap();
    let before = app
        .get(&format!("/users/me/accounts/{account}"), Some(&token))
        .await
        .ok();
    advance(&app, "1m").await;
    let b = app
        .sandbox_post(
            &format!("/sandbox/connections/{id}/bank/transactions"),
            json!({"id_account": account, "transactions": [
                {"date": "2026-01-14", "value": -42.5, "wording": "CB BOULANGERIE DU PORT"},
                {"date": "2026-01-15", "value": "1200.00", "wording": "VIR SALAIRE TEST", "type": "transfer"},
            ]}),
        )
        .await
        .ok();
    assert_eq!(b["injected"], 2, "{b}");
    let find = |list: &[Value], w: &str| list.iter().find(|t| t["original_wording"] == w).cloned();
    let list = transactions(&app, &token).await;
    assert!(
        find(&list, "CB BOULANGERIE DU PORT").is_none(),
        "not before a sync"
    );
    let s = sync_now(&app, id, json!({})).await;
    assert_eq!(s["sync"]["new_transactions"], 2, "{s}");
    let list = transactions(&app, &token).await;
    let t = find(&list, "CB BOULANGERIE DU PORT").expect("injected transaction");
    assert_eq!(t["id_account"], account);
    assert_eq!(t["value"], json!(-42.5));
    assert_eq!(t["date"], "2026-01-14");
    let t = find(&list, "VIR SALAIRE TEST").expect("injected transaction");
    assert_eq!(t["value"].as_f64(), Some(1200.0));
    assert_eq!(t["type"], "transfer");
    let after = app
        .get(&format!("/users/me/accounts/{account}"), Some(&token))
        .await
        .ok();
    assert!(
        (balance(&after) - balance(&before) - 1157.5).abs() < 1e-9,
        "the balance moves by the injected amounts: {before} -> {after}"
    );
    // A second sync does not fetch them again.
    let s = sync_now(&app, id, json!({})).await;
    assert_eq!(s["sync"]["new_transactions"], 0, "{s}");
}

#[tokio::test]
async fn transactions_injected_at_the_instant_of_the_last_sync_appear_on_the_next_one() {
    // A frozen clock: the injection and both syncs happen at the same second.
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let account = enable_all(&app, &token).await[0];
    app.sandbox_post(
        &format!("/sandbox/connections/{id}/bank/transactions"),
        json!({"id_account": account, "transactions": [
            {"date": "2026-01-15", "value": -3.2, "wording": "CB CAFE DE LA GARE"},
        ]}),
    )
    .await
    .ok();
    let s = sync_now(&app, id, json!({})).await;
    assert_eq!(s["sync"]["new_transactions"], 1, "{s}");
    assert!(transactions(&app, &token)
        .await
        .iter()
        .any(|t| t["original_wording"] == "CB CAFE DE LA GARE"));
}

#[tokio::test]
async fn transactions_injected_into_a_disabled_account_wait_until_it_is_enabled() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let account = id_of(&app.all_accounts(&token).await[0]);
    app.sandbox_post(
        &format!("/sandbox/connections/{id}/bank/transactions"),
        json!({"id_account": account, "transactions": [
            {"date": "2026-01-12", "value": -9.99, "wording": "PRLV ABONNEMENT TEST"},
        ]}),
    )
    .await
    .ok();
    sync_now(&app, id, json!({})).await;
    assert!(transactions(&app, &token).await.is_empty());
    app.post(
        &format!("/users/me/accounts/{account}?all"),
        Some(&token),
        json!({"disabled": false}),
    )
    .await
    .ok();
    let list = transactions(&app, &token).await;
    assert!(
        list.iter()
            .any(|t| t["original_wording"] == "PRLV ABONNEMENT TEST"),
        "fetched with the account's history"
    );
}

#[tokio::test]
async fn malformed_injections_are_refused() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let account = id_of(&app.all_accounts(&token).await[0]);
    let path = format!("/sandbox/connections/{id}/bank/transactions");
    let t = json!({"date": "2026-01-12", "value": -1, "wording": "X"});
    for (body, code) in [
        (json!({"id_account": account}), "missingParameter"),
        (json!({"transactions": [t.clone()]}), "missingParameter"),
        (
            json!({"id_account": account, "transactions": []}),
            "invalidValue",
        ),
        (
            json!({"id_account": account, "transactions": [{"date": "12/01/2026", "value": 1}]}),
            "invalidValue",
        ),
        (
            json!({"id_account": account, "transactions": [{"date": "2026-01-12", "value": "abc"}]}),
            "invalidValue",
        ),
    ] {
        app.sandbox_post(&path, body).await.assert_error(400, code);
    }
    app.sandbox_post(
        &path,
        json!({"id_account": 99999, "transactions": [t.clone()]}),
    )
    .await
    .assert_error(404, "notFound");
}

#[tokio::test]
async fn an_outage_with_a_duration_fails_syncs_until_it_ends() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    for state in ["websiteUnavailable", "rateLimiting", "bug"] {
        let start = app.sandbox_now().await;
        let b = app
            .sandbox_post(
                &format!("/sandbox/connections/{id}/bank/outage"),
                json!({"state": state, "duration": "2h"}),
            )
            .await
            .ok();
        assert_eq!(b["state"], state, "{b}");
        assert!(b["until"].as_str().unwrap() > start.as_str(), "{b}");
        let s = sync_now(&app, id, json!({})).await;
        assert_connection_state(&s, Some(state));
        for src in s["sources"].as_array().unwrap() {
            assert_eq!(src["state"], state, "every source: {s}");
        }
        advance(&app, "1h").await;
        let ran = app.run_due_work().await;
        assert_eq!(ran[0]["state"], state, "still down after 1 h: {ran:?}");
        advance(&app, "1h").await;
        let ran = app.run_due_work().await;
        assert_eq!(ran[0]["state"], Value::Null, "back after 2 h: {ran:?}");
        assert_connection_state(&app.connection_of(&token, id).await, None);
    }
}

#[tokio::test]
async fn an_outage_without_a_duration_lasts_until_it_is_ended() {
    let app = spawn_frozen().await;
    let (token, id) = user_with_connection(&app).await;
    let path = format!("/sandbox/connections/{id}/bank/outage");
    let b = app
        .sandbox_post(
            &path,
            json!({"state": "websiteUnavailable", "error_message": "Maintenance programmée."}),
        )
        .await
        .ok();
    assert_eq!(b["until"], Value::Null, "{b}");
    let s = sync_now(&app, id, json!({})).await;
    assert_connection_state(&s, Some("websiteUnavailable"));
    assert_eq!(s["error_message"], "Maintenance programmée.");
    advance(&app, "3d").await;
    app.run_due_work().await;
    assert_connection_state(
        &app.connection_of(&token, id).await,
        Some("websiteUnavailable"),
    );
    let r = app
        .call(Method::DELETE, &path, Some(CONFIG_TOKEN), None)
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let s = sync_now(&app, id, json!({})).await;
    assert_connection_state(&s, None);
    assert_eq!(s["error_message"], Value::Null);
}

#[tokio::test]
async fn an_outage_needs_a_state_and_a_duration_it_can_read() {
    let app = spawn_frozen().await;
    let (_, id) = user_with_connection(&app).await;
    let path = format!("/sandbox/connections/{id}/bank/outage");
    app.sandbox_post(&path, json!({"state": "down"}))
        .await
        .assert_error(400, "invalidValue");
    app.sandbox_post(&path, json!({"state": "bug", "duration": "a while"}))
        .await
        .assert_error(400, "invalidValue");
}
