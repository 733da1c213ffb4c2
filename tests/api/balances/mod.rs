//! Balances (wealth and documents reference §3): an account's balance history, day by day
//! consistent with its booked transactions, grouped by period, its aliases, bad input, and
//! none for a disabled account.

use crate::common::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};

async fn checking(app: &TestApp, token: &str) -> Value {
    app.all_accounts(token)
        .await
        .into_iter()
        .find(|a| a["type"] == "checking")
        .unwrap()
}

#[tokio::test]
async fn a_days_balance_is_the_day_befores_plus_that_days_booked_transactions() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let token = &bank.token;
    let a = checking(&app, token).await;
    let id = id_of(&a);
    let today = app.sandbox_now().await[..10].to_string();
    let txs = app
        .walk_transactions(
            token,
            &format!("/users/me/accounts/{id}/transactions?limit=1000"),
        )
        .await;
    let first = txs
        .iter()
        .map(|t| t["date"].as_str().unwrap())
        .min()
        .unwrap()
        .to_string();
    let b = app
        .get(
            &format!(
                "/users/me/accounts/{id}/balances?min_date={first}&max_date={today}&period=1year"
            ),
            Some(token),
        )
        .await
        .ok();
    assert_eq!(b["first_date"], json!(first));
    assert_eq!(b["result_min_date"], json!(first));
    assert_eq!(b["result_max_date"], json!(today));
    let days: Vec<Value> = b["balances"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["daily_balances"].as_array().unwrap().clone())
        .collect();
    assert!(days.len() > 28);
    let booked_on = |day: &str| -> Decimal {
        txs.iter()
            .filter(|t| t["coming"] == false && t["date"] == day)
            .map(|t| dec(&t["value"]))
            .sum()
    };
    for w in days.windows(2) {
        let day = w[1]["date"].as_str().unwrap();
        assert_eq!(
            dec(&w[1]["balance"]),
            dec(&w[0]["balance"]) + booked_on(day),
            "{day}"
        );
        assert_eq!(dec(&w[1]["remains"]), booked_on(day));
        assert!(dec(&w[1]["expenses"]) <= Decimal::ZERO);
    }
    // Today's balance is the account's.
    assert_eq!(dec(&days.last().unwrap()["balance"]), dec(&a["balance"]));
    for g in b["balances"].as_array().unwrap() {
        assert_eq!(g["currencies"][0]["id"], "EUR");
        assert_eq!(g["currencies"][0]["symbol"], "€");
        assert_eq!(g["currencies"][0]["balance"], g["balance"]);
        assert_eq!(dec(&g["remains"]), dec(&g["incomes"]) + dec(&g["expenses"]));
        let below = g["daily_balances"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| dec(&d["balance"]) < Decimal::ZERO)
            .count();
        assert_eq!(g["n_overdraft"], below);
    }
}

#[tokio::test]
async fn without_dates_the_current_month_comes_as_one_group_without_daily_rows() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let id = id_of(&checking(&app, &bank.token).await);
    let now = app.sandbox_now().await;
    let b = app
        .get(
            &format!("/users/me/accounts/{id}/balances"),
            Some(&bank.token),
        )
        .await
        .ok();
    let groups = b["balances"].as_array().unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["min_date"], json!(format!("{}-01", &now[..7])));
    assert!(groups[0].get("daily_balances").is_none());
    // Split in two weeks from a given day, under the connection too.
    let path = format!(
        "/users/me/connections/{}/accounts/{id}/balances?min_date={}-01&max_date={}-28&period=2weeks",
        bank.connection,
        &now[..7],
        &now[..7]
    );
    let split = app.get(&path, Some(&bank.token)).await.ok();
    let groups = split["balances"].as_array().unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[1]["min_date"], json!(format!("{}-15", &now[..7])));
    assert_eq!(groups[0]["daily_balances"].as_array().unwrap().len(), 14);
}

#[tokio::test]
async fn bad_balance_queries_and_other_users_accounts_are_refused() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let id = id_of(&checking(&app, &bank.token).await);
    for (q, field) in [
        ("period=fortnight", "period"),
        ("period=0days", "period"),
        ("min_date=yesterday", "min_date"),
        ("min_date=2026-02-01&max_date=2026-01-01", "min_date"),
        ("min_date=1900-01-01&max_date=2100-01-01", "max_date"),
    ] {
        let r = app
            .get(
                &format!("/users/me/accounts/{id}/balances?{q}"),
                Some(&bank.token),
            )
            .await;
        r.assert_error(400, "invalidValue");
        assert!(
            r.body["description"].as_str().unwrap().contains(field),
            "{q}: {}",
            r.text
        );
    }
    let (_, other) = app.permanent_user().await;
    app.get(&format!("/users/me/accounts/{id}/balances"), Some(&other))
        .await
        .assert_error(404, "notFound");
    app.get(
        &format!(
            "/users/me/connections/{}/accounts/{id}/balances",
            bank.connection + 99
        ),
        Some(&bank.token),
    )
    .await
    .assert_error(404, "notFound");
}

#[tokio::test]
async fn a_disabled_account_has_no_balances() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let id = id_of(&checking(&app, &bank.token).await);
    app.post(
        &format!("/users/me/accounts/{id}?all"),
        Some(&bank.token),
        json!({"disabled": true}),
    )
    .await
    .ok();
    let b = app
        .get(
            &format!("/users/me/accounts/{id}/balances?min_date=2025-01-01"),
            Some(&bank.token),
        )
        .await
        .ok();
    assert_eq!(b["balances"], json!([]));
    assert_eq!(b["first_date"], Value::Null);
}
