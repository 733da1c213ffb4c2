//! Disabling, and accounts that change at the bank (control plane).

use super::*;

#[tokio::test]
async fn disabling_an_account_deletes_its_transactions_and_hides_it() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let id = bank.accounts[0];
    let user_total = |b: Value| b["total"].as_i64().unwrap();
    let before = user_total(
        app.get("/users/me/transactions?limit=1", Some(&bank.token))
            .await
            .ok(),
    );
    let own = transactions_total(&app, &bank.token, id).await;
    assert!(own > 0);
    let a = app
        .post(
            &format!("/users/me/accounts/{id}"),
            Some(&bank.token),
            json!({"disabled": true}),
        )
        .await
        .ok();
    assert_eq!(a["disabled"], CLOCK_START);
    assert_eq!(transactions_total(&app, &bank.token, id).await, 0);
    let after = user_total(
        app.get("/users/me/transactions?limit=1", Some(&bank.token))
            .await
            .ok(),
    );
    assert_eq!(after, before - own);
    let list = app.get("/users/me/accounts", Some(&bank.token)).await.ok();
    assert!(!ids(&list["accounts"]).contains(&id));
}

#[tokio::test]
async fn re_enabling_an_account_fetches_its_history_again() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let id = bank.accounts[0];
    let first = transactions_total(&app, &bank.token, id).await;
    app.post(
        &format!("/users/me/accounts/{id}"),
        Some(&bank.token),
        json!({"disabled": true}),
    )
    .await
    .ok();
    app.enable_accounts(&bank.token, &[id]).await;
    assert_eq!(transactions_total(&app, &bank.token, id).await, first);
}

#[tokio::test]
async fn a_sync_leaves_disabled_accounts_without_transactions() {
    let app = spawn_frozen().await;
    let (token, id_connection, accounts) = discovered(&app).await;
    let checking = accounts[0]["id"].as_i64().unwrap();
    app.enable_accounts(&token, &[checking]).await;
    app.sync_connection(&token, id_connection).await;
    let b = app.get("/users/me/accounts?all", Some(&token)).await.ok();
    for a in b["accounts"].as_array().unwrap() {
        if a["id"] != checking {
            assert_eq!(a["disabled"], CLOCK_START, "{a}");
            assert_eq!(a["balance"], Value::Null, "{a}");
            let r = app
                .get(
                    &format!("/users/me/accounts/{}/transactions?limit=5", a["id"]),
                    Some(&token),
                )
                .await
                .ok();
            assert_eq!(r["total"], 0, "{r}");
        }
    }
}

// Accounts that change at the bank (control plane)

#[tokio::test]
async fn an_account_no_longer_at_the_bank_gets_its_deleted_date() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let gone = bank.accounts[1];
    let r = app
        .control(
            Method::DELETE,
            &format!(
                "/sandbox/connections/{}/bank/accounts/{gone}",
                bank.connection
            ),
            None,
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.text);
    // Not before the next sync.
    let a = app
        .get(&format!("/users/me/accounts/{gone}"), Some(&bank.token))
        .await
        .ok();
    assert_eq!(a["deleted"], Value::Null);
    app.advance_clock("1h").await;
    app.sync_connection(&bank.token, bank.connection).await;
    // Still readable by id, with its deleted date.
    let a = app
        .get(&format!("/users/me/accounts/{gone}"), Some(&bank.token))
        .await
        .ok();
    assert_eq!(a["deleted"], "2026-01-15 11:00:00", "{a}");
    // Hidden from lists, shown with ?all.
    for path in [
        "/users/me/accounts".to_string(),
        format!("/users/me/connections/{}/accounts", bank.connection),
    ] {
        let b = app.get(&path, Some(&bank.token)).await.ok();
        assert!(!ids(&b["accounts"]).contains(&gone), "{path}");
        assert_eq!(b["total"], 6);
        let b = app
            .get(&format!("{path}?all"), Some(&bank.token))
            .await
            .ok();
        assert!(ids(&b["accounts"]).contains(&gone), "{path}?all");
    }
    let c = app
        .get(
            &format!("/users/me/connections/{}?expand=accounts", bank.connection),
            Some(&bank.token),
        )
        .await
        .ok();
    assert!(!ids(&c["accounts"]).contains(&gone));
}

#[tokio::test]
async fn a_deleted_account_is_left_out_of_the_balances() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let gone = bank.accounts[1];
    app.control(
        Method::DELETE,
        &format!(
            "/sandbox/connections/{}/bank/accounts/{gone}",
            bank.connection
        ),
        None,
    )
    .await
    .ok();
    app.sync_connection(&bank.token, bank.connection).await;
    let b = app
        .get("/users/me/accounts?all", Some(&bank.token))
        .await
        .ok();
    let sum: Decimal = b["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["id"] != gone)
        .map(|a| dec(&a["balance"]))
        .sum();
    assert_eq!(dec(&b["balances"]["EUR"]), sum);
}

#[tokio::test]
async fn an_account_opened_at_the_bank_is_found_disabled_on_the_next_sync() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let r = app
        .control(
            Method::POST,
            &format!("/sandbox/connections/{}/bank/accounts", bank.connection),
            Some(json!({"type": "savings", "name": "Livret Bleu"})),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.text);
    assert!(r.body.get("key").is_some(), "{}", r.text);
    assert_eq!(app.all_accounts(&bank.token).await.len(), 7, "not yet");
    app.sync_connection(&bank.token, bank.connection).await;
    let all = app.all_accounts(&bank.token).await;
    assert_eq!(all.len(), 8);
    let new = all.iter().find(|a| a["name"] == "Livret Bleu").unwrap();
    assert_eq!(new["type"], "savings");
    assert_eq!(new["disabled"], CLOCK_START);
    assert_eq!(new["balance"], Value::Null);
    let list = app.get("/users/me/accounts", Some(&bank.token)).await.ok();
    assert_eq!(list["total"], 7, "found disabled");
    // Enabling it brings its data.
    let id = new["id"].as_i64().unwrap();
    let a = app.enable_accounts(&bank.token, &[id]).await;
    assert!(a["balance"].is_number(), "{a}");
}
