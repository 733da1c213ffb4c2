//! The BankAccount object.

use super::*;

#[tokio::test]
async fn an_enabled_account_has_the_full_bank_account_field_set() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let a = app
        .get(
            &format!("/users/me/accounts/{}", bank.accounts[0]),
            Some(&bank.token),
        )
        .await
        .ok();
    for key in [
        "balance",
        "bic",
        "bookmarked",
        "coming",
        "coming_balance",
        "company_name",
        "currency",
        "deleted",
        "disabled",
        "display",
        "error",
        "formatted_balance",
        "iban",
        "id",
        "id_connection",
        "id_parent",
        "id_source",
        "id_type",
        "id_user",
        "information",
        "last_update",
        "loan",
        "name",
        "number",
        "opening_date",
        "original_name",
        "ownership",
        "type",
        "usage",
        "webid",
    ] {
        assert!(a.get(key).is_some(), "missing {key} in {a}");
    }
    assert_eq!(a["id_user"], bank.id_user);
    assert_eq!(a["id_connection"], bank.connection);
    assert_eq!(a["type"], "checking");
    assert_eq!(a["bookmarked"], 0, "an integer, as observed");
    assert_eq!(a["display"], true);
    assert_eq!(a["usage"], "PRIV");
    assert_eq!(a["information"], json!({}));
    assert_eq!(a["loan"], Value::Null);
    assert!(a["webid"].is_string(), "{a}");
    assert!(a["id_source"].is_i64(), "{a}");
    let c = &a["currency"];
    assert_eq!(c["id"], "EUR");
    assert_eq!(c["symbol"], "€");
    assert_eq!(c["precision"], 2);
    assert_eq!(c["prefix"], false);
    assert_eq!(c["crypto"], false);
    assert!(c["name"].is_string(), "{c}");
    let opening = a["opening_date"].as_str().unwrap();
    assert!(
        chrono::NaiveDate::parse_from_str(opening, "%Y-%m-%d").is_ok(),
        "{opening}"
    );
}

#[tokio::test]
async fn account_types_are_names_with_the_matching_id_type() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let types = app.get("/account_types", None).await.ok();
    let ids_by_name: BTreeMap<String, i64> = types["accounttypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap().to_string(),
                t["id"].as_i64().unwrap(),
            )
        })
        .collect();
    for a in app.all_accounts(&bank.token).await {
        let name = a["type"].as_str().unwrap();
        assert_eq!(
            Some(&a["id_type"].as_i64().unwrap()),
            ids_by_name.get(name),
            "{a}"
        );
    }
}

#[tokio::test]
async fn current_and_savings_accounts_carry_valid_ibans_and_bics() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let accounts = app.all_accounts(&bank.token).await;
    for kind in ["checking", "savings", "livret_a"] {
        let a = by_type(&accounts, kind);
        let iban = a["iban"].as_str().unwrap_or_else(|| panic!("iban: {a}"));
        assert!(iban.starts_with("FR"), "{iban}");
        assert_eq!(iban.len(), 27, "{iban}");
        assert!(iban_is_valid(iban), "{iban}");
        let bic = a["bic"].as_str().unwrap();
        assert!(bic.len() == 8 || bic.len() == 11, "{bic}");
        assert_eq!(&bic[4..6], "FR", "{bic}");
        let number = a["number"].as_str().unwrap();
        assert!(iban.contains(number), "the IBAN holds the number: {a}");
    }
    let ibans: std::collections::BTreeSet<&str> =
        accounts.iter().filter_map(|a| a["iban"].as_str()).collect();
    assert_eq!(ibans.len(), 3, "distinct IBANs");
}

#[tokio::test]
async fn a_card_account_shows_a_masked_card_number_and_no_iban() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let accounts = app.all_accounts(&bank.token).await;
    let card = by_type(&accounts, "card");
    let number = card["number"].as_str().unwrap();
    assert!(number.contains("XXXXXX"), "{number}");
    assert_eq!(card["iban"], Value::Null);
}

#[tokio::test]
async fn a_loan_account_carries_its_loan_object() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let accounts = app.all_accounts(&bank.token).await;
    let a = by_type(&accounts, "loan");
    let loan = &a["loan"];
    assert!(loan.is_object(), "{a}");
    for key in [
        "total_amount",
        "available_amount",
        "used_amount",
        "subscription_date",
        "maturity_date",
        "next_payment_amount",
        "next_payment_date",
        "rate",
        "nb_payments_left",
        "nb_payments_done",
        "nb_payments_total",
        "last_payment_amount",
        "last_payment_date",
        "account_label",
        "insurance_label",
        "duration",
        "type",
    ] {
        assert!(loan.get(key).is_some(), "missing {key} in {loan}");
    }
    assert!(dec(&loan["total_amount"]) > Decimal::ZERO);
    assert!(dec(&loan["rate"]) > Decimal::ZERO);
    assert_eq!(
        loan["nb_payments_left"].as_i64().unwrap() + loan["nb_payments_done"].as_i64().unwrap(),
        loan["nb_payments_total"].as_i64().unwrap()
    );
    assert_eq!(loan["duration"], loan["nb_payments_total"]);
    assert!(loan["next_payment_date"].as_str().unwrap() > "2026-01-15");
    assert!(loan["maturity_date"].as_str() > loan["subscription_date"].as_str());
    // The capital still due shows as a negative balance.
    assert!(dec(&a["balance"]) < Decimal::ZERO, "{a}");
    assert!(-dec(&a["balance"]) <= dec(&loan["total_amount"]));
    // Other accounts have no loan object.
    assert_eq!(by_type(&accounts, "checking")["loan"], Value::Null);
}

#[tokio::test]
async fn coming_balance_and_formatted_balance_follow_the_balance() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    for a in app.all_accounts(&bank.token).await {
        let balance = dec(&a["balance"]);
        assert_eq!(
            dec(&a["coming_balance"]),
            balance + dec(&a["coming"]),
            "{a}"
        );
        assert_eq!(a["formatted_balance"], french(balance), "{a}");
    }
}

#[tokio::test]
async fn a_deferred_card_has_coming_payments() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let accounts = app.all_accounts(&bank.token).await;
    let card = by_type(&accounts, "card");
    assert!(dec(&card["coming"]) < Decimal::ZERO, "{card}");
}

#[tokio::test]
async fn the_list_sums_balances_per_currency() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let b = app.get("/users/me/accounts", Some(&bank.token)).await.ok();
    let keys: Vec<&String> = b.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "accounts",
            "balance",
            "balances",
            "coming_balances",
            "total"
        ]
    );
    let accounts = b["accounts"].as_array().unwrap();
    assert_eq!(b["total"], accounts.len());
    assert_eq!(accounts.len(), 7);
    let sum: Decimal = accounts.iter().map(|a| dec(&a["balance"])).sum();
    let coming: Decimal = accounts
        .iter()
        .map(|a| dec(&a["balance"]) + dec(&a["coming"]))
        .sum();
    assert_eq!(dec(&b["balance"]), sum);
    assert_eq!(b["balances"].as_object().unwrap().len(), 1);
    assert_eq!(dec(&b["balances"]["EUR"]), sum);
    assert_eq!(dec(&b["coming_balances"]["EUR"]), coming);
}

#[tokio::test]
async fn the_sums_leave_out_disabled_accounts() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    app.post(
        &format!("/users/me/accounts/{}", bank.accounts[0]),
        Some(&bank.token),
        json!({"disabled": true}),
    )
    .await
    .ok();
    let b = app
        .get("/users/me/accounts?all", Some(&bank.token))
        .await
        .ok();
    assert_eq!(b["total"], 7);
    let sum: Decimal = b["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["disabled"].is_null())
        .map(|a| dec(&a["balance"]))
        .sum();
    assert_eq!(dec(&b["balance"]), sum);
    assert_eq!(dec(&b["balances"]["EUR"]), sum);
}

#[tokio::test]
async fn balances_are_exact_json_numbers_with_at_most_two_decimals() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let r = app.get("/users/me/accounts", Some(&bank.token)).await;
    let re = regex::Regex::new(
        r#""(balance|coming|coming_balance|EUR|total_amount|used_amount|next_payment_amount|last_payment_amount)":([^,}\]]+)"#,
    )
    .unwrap();
    let number = regex::Regex::new(r"^-?[0-9]+(\.[0-9]{1,2})?$").unwrap();
    let mut seen = 0;
    for cap in re.captures_iter(&r.text) {
        let v = &cap[2];
        if v == "null" {
            continue;
        }
        seen += 1;
        assert!(number.is_match(v), "{} is {v} in {}", &cap[1], r.text);
    }
    assert!(seen > 20, "{}", r.text);
}
