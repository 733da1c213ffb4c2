//! Loans: the test connector's mortgage runs on the sandbox clock, its terms, balance and
//! the monthly repayments agreeing with an annuity.

use crate::common::*;
use rust_decimal::Decimal;

#[tokio::test]
async fn the_mortgage_runs_with_its_balance_its_terms_and_its_repayments_agreeing() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let token = &bank.token;
    let today = app.sandbox_now().await[..10].to_string();
    let accounts = app.all_accounts(token).await;
    let loan_account = accounts.iter().find(|a| a["type"] == "loan").unwrap();
    let loan = &loan_account["loan"];
    assert!(
        loan["maturity_date"].as_str().unwrap() > today.as_str(),
        "{loan}"
    );
    assert!(loan["nb_payments_left"].as_i64().unwrap() > 0, "{loan}");
    let remaining = dec(&loan["remaining_capital"]);
    assert!(remaining > Decimal::ZERO && remaining < dec(&loan["total_amount"]));
    assert_eq!(dec(&loan_account["balance"]), -remaining);
    let instalment = dec(&loan["next_payment_amount"]);
    assert_eq!(dec(&loan["last_payment_amount"]), instalment);
    // Checking pays exactly the instalment on the last payment date.
    let checking = accounts.iter().find(|a| a["type"] == "checking").unwrap();
    let paid = app
        .walk_transactions(
            token,
            &format!(
                "/users/me/accounts/{}/transactions?limit=1000",
                id_of(checking)
            ),
        )
        .await;
    let last = loan["last_payment_date"].as_str().unwrap();
    let repayment = paid
        .iter()
        .find(|t| t["type"] == "loan_repayment" && t["date"] == last)
        .unwrap_or_else(|| panic!("a repayment on {last}"));
    assert_eq!(dec(&repayment["value"]), -instalment);
    // On the loan, the instalment comes in and its interest goes out: the capital owed falls
    // by the principal alone, which is less than the instalment.
    let own = app
        .walk_transactions(
            token,
            &format!(
                "/users/me/accounts/{}/transactions?limit=1000",
                id_of(loan_account)
            ),
        )
        .await;
    let net: Decimal = own
        .iter()
        .filter(|t| t["date"] == last)
        .map(|t| dec(&t["value"]))
        .sum();
    assert!(net > Decimal::ZERO && net < instalment, "{net}");
    let b = app
        .get(
            &format!(
                "/users/me/accounts/{}/balances?min_date={}04&max_date={last}",
                id_of(loan_account),
                &last[..8]
            ),
            Some(token),
        )
        .await
        .ok();
    let days = b["balances"][0]["daily_balances"].as_array().unwrap();
    assert_eq!(dec(&days[1]["balance"]) - dec(&days[0]["balance"]), net);
}
