//! Transactions through the control plane.

use super::*;

#[tokio::test]
async fn a_walk_sees_every_transaction_once_while_new_ones_arrive() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let before = everything(&app, &bank.token, "/users/me/transactions").await;
    let mut walked = Vec::new();
    let mut url = "/users/me/transactions?limit=60".to_string();
    let mut pages = 0;
    loop {
        let b = app.get(&url, Some(&bank.token)).await.ok();
        walked.extend(b["transactions"].as_array().unwrap().iter().cloned());
        pages += 1;
        if pages == 3 {
            // New transactions arrive in the middle of the walk.
            app.advance_clock("5d").await;
            let c = app.sync_connection(&bank.token, bank.connection).await;
            assert_eq!(c["state"], Value::Null);
        }
        match b["_links"]["next"]["href"].as_str() {
            Some(n) => url = n.to_string(),
            None => break,
        }
    }
    let ids = tx_ids(&walked);
    let unique: BTreeSet<i64> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "no transaction twice");
    for id in tx_ids(&before) {
        assert!(unique.contains(&id), "{id} was skipped");
    }
    let after = everything(&app, &bank.token, "/users/me/transactions").await;
    assert!(after.len() > before.len(), "the sync brought new ones");
}

#[tokio::test]
async fn last_update_finds_what_changed_since_a_previous_sync() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    app.advance_clock("1h").await;
    let page = app
        .get(
            "/users/me/transactions?limit=1&max_date=2025-12-01",
            Some(&bank.token),
        )
        .await
        .ok();
    let id = page["transactions"][0]["id"].as_i64().unwrap();
    let t = app
        .post(
            &format!("/users/me/transactions/{id}"),
            Some(&bank.token),
            json!({"comment": "vu"}),
        )
        .await
        .ok();
    assert_eq!(t["last_update"], "2026-01-15 11:00:00");
    let got = listed(
        &app,
        &bank.token,
        "/users/me/transactions",
        &format!("last_update={}", enc(CLOCK_START)),
    )
    .await;
    assert_eq!(got, [id]);
}

#[tokio::test]
async fn coming_card_payments_are_booked_once_their_date_has_come() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let all = everything(&app, &bank.token, "/users/me/transactions").await;
    let coming: Vec<&Value> = all.iter().filter(|t| t["coming"] == true).collect();
    assert!(!coming.is_empty());
    app.advance_clock("20d").await;
    app.sync_connection(&bank.token, bank.connection).await;
    for t in coming {
        let now = app
            .get(
                &format!("/users/me/transactions/{}", t["id"]),
                Some(&bank.token),
            )
            .await
            .ok();
        assert_eq!(now["coming"], false, "booked by 2026-02-04: {now}");
        assert_eq!(now["last_update"], "2026-02-04 10:00:00");
    }
}

/// Injects a card payment and a transfer into the bank's checking account and returns
/// that account's balance before any sync.
async fn inject_two(app: &TestApp, bank: &Bank) -> Decimal {
    let checking = bank.accounts[0];
    let r = app
        .control(
            Method::POST,
            &format!("/sandbox/connections/{}/bank/transactions", bank.connection),
            Some(json!({
                "id_account": checking,
                "transactions": [
                    {"date": "2026-01-15", "value": -12.34, "wording": "CB BOULANGERIE TEST", "type": "card"},
                    {"date": "2026-01-14", "value": 1500.5, "wording": "VIR SEPA REMBOURSEMENT", "type": "transfer"}
                ]
            })),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.text);
    assert!(injected(app, bank).await.is_empty(), "not before a sync");
    dec(&app
        .get(&format!("/users/me/accounts/{checking}"), Some(&bank.token))
        .await
        .ok()["balance"])
}

/// The injected transactions the checking account lists.
async fn injected(app: &TestApp, bank: &Bank) -> Vec<Value> {
    let path = format!("/users/me/accounts/{}/transactions", bank.accounts[0]);
    everything(app, &bank.token, &path)
        .await
        .into_iter()
        .filter(|t| {
            let w = t["original_wording"].as_str().unwrap();
            w.contains("BOULANGERIE TEST") || w.contains("REMBOURSEMENT")
        })
        .collect()
}

/// Syncs, then checks the injected transactions arrived once with their exact amounts.
async fn assert_injected_fetched(app: &TestApp, bank: &Bank, balance_before: Decimal) {
    app.sync_connection(&bank.token, bank.connection).await;
    let got = injected(app, bank).await;
    assert_eq!(got.len(), 2, "{got:?}");
    let card = got.iter().find(|t| t["type"] == "card").unwrap();
    assert_eq!(card["value"].to_string(), "-12.34");
    assert_eq!(card["date"], "2026-01-15");
    let transfer = got.iter().find(|t| t["type"] == "transfer").unwrap();
    assert_eq!(transfer["value"].to_string(), "1500.5");
    let balance_after = dec(&app
        .get(
            &format!("/users/me/accounts/{}", bank.accounts[0]),
            Some(&bank.token),
        )
        .await
        .ok()["balance"]);
    assert_eq!(
        balance_after - balance_before,
        Decimal::from_str("1488.16").unwrap()
    );
    // A second sync does not fetch them again.
    app.sync_connection(&bank.token, bank.connection).await;
    assert_eq!(injected(app, bank).await.len(), 2);
}

#[tokio::test]
async fn injected_transactions_are_fetched_by_the_next_sync() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    app.advance_clock("1m").await;
    let before = inject_two(&app, &bank).await;
    assert_injected_fetched(&app, &bank, before).await;
}

/// With the clock frozen, the injection happens at the very instant of the last sync.
#[tokio::test]
async fn injected_transactions_are_fetched_by_the_next_sync_with_the_clock_frozen() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let before = inject_two(&app, &bank).await;
    assert_injected_fetched(&app, &bank, before).await;
}
