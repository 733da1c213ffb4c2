//! Transactions the bank removes or changes: the next sync marks the aggregated one
//! `deleted`, or applies the new values with a new `last_update`.

use super::*;

fn bank_tx(id: i64, t: &Value) -> String {
    format!("/sandbox/connections/{id}/bank/transactions/{}", t["id"])
}

/// A synced connection with its accounts enabled: (token, connection, first account, its
/// transactions).
async fn with_history(app: &TestApp) -> (String, i64, i64, Vec<Value>) {
    let (token, id) = user_with_connection(app).await;
    let account = enable_all(app, &token).await[0];
    let list = app
        .walk_transactions(
            &token,
            &format!("/users/me/accounts/{account}/transactions?limit=1000"),
        )
        .await;
    assert!(list.len() > 3, "a history to change");
    (token, id, account, list)
}

async fn read(app: &TestApp, token: &str, t: &Value) -> Value {
    app.get(&format!("/users/me/transactions/{}", t["id"]), Some(token))
        .await
        .ok()
}

async fn balance(app: &TestApp, token: &str, account: i64) -> Value {
    app.get(&format!("/users/me/accounts/{account}"), Some(token))
        .await
        .ok()["balance"]
        .clone()
}

#[tokio::test]
async fn a_transaction_the_bank_removes_is_deleted_by_the_next_sync() {
    let app = spawn_frozen().await;
    let (token, id, account, list) = with_history(&app).await;
    let booked: Vec<&Value> = list.iter().filter(|t| t["coming"] == false).collect();
    let (gone, changed) = (booked[1].clone(), booked[2].clone());
    let before = dec(&balance(&app, &token, account).await);
    let r = app.control(Method::DELETE, &bank_tx(id, &gone), None).await;
    assert_eq!(r.status, 204, "{}", r.text);
    app.control(
        Method::PATCH,
        &bank_tx(id, &changed),
        Some(json!({"value": "-1.00"})),
    )
    .await
    .ok();
    assert!(
        read(&app, &token, &gone).await["deleted"].is_null(),
        "not before a sync"
    );
    // The clock is frozen: the sync brings nothing new, only the bank's changes.
    let now = app.sandbox_now().await;
    sync_now(&app, id, json!({})).await;
    let t = read(&app, &token, &gone).await;
    assert_eq!(t["deleted"], now.as_str(), "{t}");
    let path = format!("/users/me/accounts/{account}/transactions");
    let listed = |b: &Value| ids(&b["transactions"]);
    let default = app
        .get(&format!("{path}?limit=1000"), Some(&token))
        .await
        .ok();
    assert!(
        !listed(&default).contains(&id_of(&gone)),
        "left the default list"
    );
    assert_eq!(default["total"], list.len() as i64 - 1);
    let deleted = app
        .get(&format!("{path}?limit=1000&deleted=true"), Some(&token))
        .await
        .ok();
    assert_eq!(listed(&deleted), [id_of(&gone)]);
    let all = app
        .get(&format!("{path}?limit=1000&all"), Some(&token))
        .await
        .ok();
    assert!(listed(&all).contains(&id_of(&gone)), "listed with ?all");
    // The bank's balance no longer counts the one removed, and counts the new value.
    let after = dec(&balance(&app, &token, account).await);
    let minus_one = rust_decimal::Decimal::new(-100, 2);
    assert_eq!(
        after - before,
        -dec(&gone["value"]) + minus_one - dec(&changed["value"])
    );
    // Deleting it again: the bank has no such transaction any more.
    app.control(Method::DELETE, &bank_tx(id, &gone), None)
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn first_and_last_date_ignore_deleted_transactions() {
    let app = spawn_frozen().await;
    let (token, id, account, list) = with_history(&app).await;
    let path = format!("/users/me/accounts/{account}/transactions?limit=1");
    let b = app.get(&path, Some(&token)).await.ok();
    let first = b["first_date"].as_str().unwrap().to_string();
    for t in list.iter().filter(|t| t["date"] == first.as_str()) {
        let r = app.control(Method::DELETE, &bank_tx(id, t), None).await;
        assert_eq!(r.status, 204, "{}", r.text);
    }
    sync_now(&app, id, json!({})).await;
    let b = app.get(&path, Some(&token)).await.ok();
    let after = b["first_date"].as_str().unwrap();
    assert!(after > first.as_str(), "{first} -> {after}");
}

#[tokio::test]
async fn a_transaction_the_bank_changes_gets_the_new_values_and_a_new_last_update() {
    let app = spawn_frozen().await;
    let (token, id, _, list) = with_history(&app).await;
    let t = list[2].clone();
    let r = app
        .control(
            Method::PATCH,
            &bank_tx(id, &t),
            Some(json!({"value": -99.99, "original_wording": "CB CORRIGE PAR LA BANQUE"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        read(&app, &token, &t).await["value"],
        t["value"],
        "not before a sync"
    );
    let now = advance(&app, "1h").await;
    sync_now(&app, id, json!({})).await;
    let got = read(&app, &token, &t).await;
    assert_eq!(got["value"], json!(-99.99), "{got}");
    assert_eq!(got["original_wording"], "CB CORRIGE PAR LA BANQUE");
    assert_eq!(got["last_update"], now.as_str());
    assert!(got["deleted"].is_null());
    assert_eq!(got["date"], t["date"], "what the bank did not change stays");
    // The next sync changes nothing more.
    advance(&app, "1h").await;
    sync_now(&app, id, json!({})).await;
    assert_eq!(read(&app, &token, &t).await["last_update"], now.as_str());
}

#[tokio::test]
async fn changing_a_bank_transaction_refuses_what_it_does_not_know() {
    let app = spawn_frozen().await;
    let (_, id, _, list) = with_history(&app).await;
    let t = &list[0];
    app.control(Method::PATCH, &bank_tx(id, t), Some(json!({"amount": 1})))
        .await
        .assert_error(400, "invalidValue");
    app.control(
        Method::PATCH,
        &bank_tx(id, t),
        Some(json!({"value": "abc"})),
    )
    .await
    .assert_error(400, "invalidValue");
    app.control(Method::PATCH, &bank_tx(id, t), Some(json!({})))
        .await
        .assert_error(400, "missingParameter");
    let path = format!("/sandbox/connections/{id}/bank/transactions/999999");
    app.control(Method::PATCH, &path, Some(json!({"value": 1})))
        .await
        .assert_error(404, "notFound");
    app.control(Method::DELETE, &path, None)
        .await
        .assert_error(404, "notFound");
}
