//! Generated ledgers that add up as a real bank's do: savings never below zero, transfers
//! between the PSU's own accounts on both accounts, card payments naming their card.

use super::*;

/// A user of the test connector with the login `alice` (the case) and every account
/// enabled; returns the token and the accounts by type.
async fn alice(app: &TestApp) -> (String, Vec<Value>) {
    let (_, token) = app.permanent_user().await;
    let mut body = test_connector_credentials();
    body["login"] = json!("alice");
    app.create_connection(&token, body).await;
    app.enable_all_accounts(&token).await;
    let accounts = app.all_accounts(&token).await;
    (token, accounts)
}

fn of_type<'a>(accounts: &'a [Value], kind: &str) -> &'a Value {
    accounts
        .iter()
        .find(|a| a["type"] == kind)
        .unwrap_or_else(|| panic!("a {kind} account"))
}

async fn account_transactions(app: &TestApp, token: &str, id: i64) -> Vec<Value> {
    everything(app, token, &format!("/users/me/accounts/{id}/transactions")).await
}

#[tokio::test]
async fn alices_savings_account_never_goes_below_zero() {
    // The day the issue found it at -1,673.44 EUR.
    let app = spawn_clock_at("2026-12-04 12:00:00").await;
    let (token, accounts) = alice(&app).await;
    let id = id_of(of_type(&accounts, "savings"));
    let id_connection = of_type(&accounts, "savings")["id_connection"]
        .as_i64()
        .unwrap();
    for step in 0..4 {
        if step > 0 {
            advance(&app, "200d").await;
            app.sync_connection(&token, id_connection).await;
        }
        let a = app
            .get(&format!("/users/me/accounts/{id}"), Some(&token))
            .await
            .ok();
        assert_eq!(a["name"], "Compte sur Livret");
        let balance = dec(&a["balance"]);
        assert!(balance >= Decimal::ZERO, "step {step}: {a}");
        // Walking the history back from the balance never dips below zero either.
        let mut running = balance;
        for t in account_transactions(&app, &token, id).await {
            if t["coming"] == true {
                continue;
            }
            running -= dec(&t["value"]);
            assert!(
                running >= Decimal::ZERO || t["date"].as_str().unwrap() < "2024-01-01",
                "before {t}: {running}"
            );
        }
    }
}

#[tokio::test]
async fn transfers_between_own_accounts_appear_on_both_with_opposite_values() {
    let app = spawn_frozen().await;
    let (token, accounts) = alice(&app).await;
    let checking = account_transactions(&app, &token, id_of(of_type(&accounts, "checking"))).await;
    let mut paired = 0;
    for kind in ["savings", "livret_a", "loan"] {
        let account = of_type(&accounts, kind);
        let own = account_transactions(&app, &token, id_of(account)).await;
        let incoming: Vec<&Value> = own
            .iter()
            .filter(|t| ["transfer", "loan_repayment"].contains(&t["type"].as_str().unwrap()))
            .collect();
        assert!(!incoming.is_empty(), "transfers on the {kind} account");
        for t in incoming {
            let mirror = checking
                .iter()
                .find(|c| {
                    dec(&c["value"]) == -dec(&t["value"])
                        && c["date"] == t["date"]
                        && c["original_wording"] == t["original_wording"]
                })
                .unwrap_or_else(|| panic!("no mirror on checking for {t}"));
            assert_eq!(mirror["simplified_wording"], t["simplified_wording"]);
            assert_eq!(mirror["counterparty"]["label"], account["name"], "{mirror}");
            assert_eq!(
                t["counterparty"]["label"],
                of_type(&accounts, "checking")["name"]
            );
            paired += 1;
        }
    }
    assert!(
        paired >= 30,
        "a year of standing transfers and repayments: {paired}"
    );
}

#[tokio::test]
async fn generated_card_payments_carry_their_masked_card_number() {
    let app = spawn_frozen().await;
    let (token, accounts) = alice(&app).await;
    let all = everything(&app, &token, "/users/me/transactions").await;
    let card_number = of_type(&accounts, "card")["number"]
        .as_str()
        .unwrap()
        .to_string();
    let mut seen = 0;
    for t in all
        .iter()
        .filter(|t| ["card", "deferred_card", "withdrawal"].contains(&t["type"].as_str().unwrap()))
    {
        let card = t["card"].as_str().unwrap_or_else(|| panic!("no card: {t}"));
        assert!(card.contains("XXXX"), "masked: {t}");
        assert!(
            card.chars().rev().take(4).all(|c| c.is_ascii_digit()),
            "{t}"
        );
        if t["type"] == "deferred_card" {
            assert_eq!(card, card_number, "the card account's number: {t}");
        }
        seen += 1;
    }
    assert!(seen > 50, "{seen}");
}
