//! Loan amortizations: the table of the test connector's mortgage agrees with the loan
//! object of its account, under the user, the account and the connection.

use crate::common::*;
use rust_decimal::Decimal;
use serde_json::Value;

fn amount(v: &Value) -> Decimal {
    assert_eq!(v["currency"], "EUR", "{v}");
    dec(&v["value"])
}

#[tokio::test]
async fn the_amortization_table_agrees_with_the_loan() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let token = &bank.token;
    let accounts = app.all_accounts(token).await;
    let account = accounts.iter().find(|a| a["type"] == "loan").unwrap();
    let loan = &account["loan"];
    let body = app.get("/users/me/amortizations", Some(token)).await.ok();
    let rows = body["loanamortizations"].as_array().unwrap();
    assert_eq!(
        rows.len() as i64,
        loan["nb_payments_total"].as_i64().unwrap()
    );
    assert!(rows.iter().all(|r| r["id_account"] == account["id"]));
    assert!(rows.iter().all(|r| r.get("id").is_none()), "{}", rows[0]);
    // The capital owed falls by each principal, and the principals repay the whole loan.
    let mut owed = dec(&loan["total_amount"]);
    for r in rows {
        let principal = amount(&r["amortization_amount"]);
        let interest = amount(&r["interest_amount"]);
        assert_eq!(amount(&r["insurance_amount"]), Decimal::ZERO);
        assert_eq!(amount(&r["total_payment_amount"]), principal + interest);
        owed -= principal;
        assert_eq!(amount(&r["remaining_capital"]), owed, "{r}");
        let date = r["payment_date"].as_str().unwrap();
        assert_eq!(r["period"], format!("{}_{}", &date[..4], &date[5..7]));
        assert_eq!(r["deleted"], Value::Null);
        assert_eq!(r["last_update"], account["last_update"]);
    }
    assert_eq!(owed, Decimal::ZERO);
    let principals: Decimal = rows.iter().map(|r| amount(&r["amortization_amount"])).sum();
    assert_eq!(principals, dec(&loan["total_amount"]));
    assert!(rows[0]["payment_date"].as_str() > loan["subscription_date"].as_str());
    assert_eq!(rows.last().unwrap()["payment_date"], loan["maturity_date"]);
    // The next row due is the loan's next payment, and the one before it its last.
    let next = rows
        .iter()
        .position(|r| r["payment_date"] == loan["next_payment_date"])
        .expect("the next payment is in the table");
    assert_eq!(
        amount(&rows[next]["total_payment_amount"]),
        dec(&loan["next_payment_amount"])
    );
    assert_eq!(rows[next - 1]["payment_date"], loan["last_payment_date"]);
    assert_eq!(next as i64, loan["nb_payments_done"].as_i64().unwrap());
    assert_eq!(
        amount(&rows[next - 1]["remaining_capital"]),
        dec(&loan["remaining_capital"])
    );
    // The same table under the account and the connection; none under another account.
    let in_account = app
        .get(
            &format!("/users/me/accounts/{}/amortizations", id_of(account)),
            Some(token),
        )
        .await
        .ok();
    assert_eq!(in_account, body);
    let in_connection = app
        .get(
            &format!("/users/me/connections/{}/amortizations", bank.connection),
            Some(token),
        )
        .await
        .ok();
    assert_eq!(in_connection, body);
    let checking = accounts.iter().find(|a| a["type"] == "checking").unwrap();
    let none = app
        .get(
            &format!("/users/me/accounts/{}/amortizations", id_of(checking)),
            Some(token),
        )
        .await
        .ok();
    assert_eq!(none["loanamortizations"], serde_json::json!([]));
}

#[tokio::test]
async fn another_users_or_an_unknown_loan_is_a_404() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let token = &bank.token;
    let (_, other) = app.permanent_user().await;
    let loan = app
        .all_accounts(token)
        .await
        .into_iter()
        .find(|a| a["type"] == "loan")
        .unwrap();
    for path in [
        format!("/users/me/accounts/{}/amortizations", id_of(&loan)),
        format!("/users/me/connections/{}/amortizations", bank.connection),
        format!("/users/{}/amortizations", bank.id_user),
    ] {
        app.get(&path, Some(&other))
            .await
            .assert_error(404, "notFound");
    }
    let mine = app.get("/users/me/amortizations", Some(&other)).await.ok();
    assert_eq!(mine["loanamortizations"], serde_json::json!([]));
    app.get("/users/me/accounts/999999/amortizations", Some(token))
        .await
        .assert_error(404, "notFound");
    app.get("/users/me/connections/999999/amortizations", Some(token))
        .await
        .assert_error(404, "notFound");
    app.get("/users/me/amortizations", None)
        .await
        .assert_error(401, "unauthorized");
}
