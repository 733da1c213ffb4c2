//! Bank accounts (§7): lists and single reads at user and connection scope, the BankAccount
//! field set, discovery disabled, enabling as the PSU's consent, updates, comma-separated ids,
//! accounts that vanish from the bank, and isolation between users.

use crate::common::*;
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const TYPES: [&str; 7] = [
    "checking",
    "savings",
    "card",
    "loan",
    "market",
    "livret_a",
    "lifeinsurance",
];

fn by_type<'a>(accounts: &'a [Value], kind: &str) -> &'a Value {
    accounts
        .iter()
        .find(|a| a["type"] == kind)
        .unwrap_or_else(|| panic!("a {kind} account"))
}

/// ISO 13616: move the first four characters to the end, letters to numbers, mod 97 == 1.
fn iban_is_valid(iban: &str) -> bool {
    if iban.len() < 15 || !iban.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let rearranged = format!("{}{}", &iban[4..], &iban[..4]);
    let mut rem = 0u32;
    for c in rearranged.chars() {
        let n = c.to_digit(36).unwrap();
        rem = if n >= 10 {
            (rem * 100 + n) % 97
        } else {
            (rem * 10 + n) % 97
        };
    }
    rem == 1
}

/// A balance as Powens formats it: `-1 234,56 €` with non-breaking spaces.
fn french(v: Decimal) -> String {
    let s = format!("{:.2}", v.abs());
    let (int, frac) = s.split_once('.').unwrap();
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('\u{a0}');
        }
        grouped.push(ch);
    }
    let sign = if v.is_sign_negative() && !v.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{grouped},{frac}\u{a0}€")
}

/// A user with one test-connector connection whose accounts are still all disabled.
async fn discovered(app: &TestApp) -> (String, i64, Vec<Value>) {
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let accounts = app.all_accounts(&token).await;
    (token, c["id"].as_i64().unwrap(), accounts)
}

async fn transactions_total(app: &TestApp, token: &str, account: i64) -> i64 {
    let b = app
        .get(
            &format!("/users/me/accounts/{account}/transactions?limit=1"),
            Some(token),
        )
        .await
        .ok();
    b["total"].as_i64().unwrap()
}

// Discovery

#[tokio::test]
async fn a_new_connection_discovers_one_account_per_connector_account_type() {
    let app = spawn_frozen().await;
    let (_, id_connection, accounts) = discovered(&app).await;
    let types: Vec<&str> = accounts
        .iter()
        .map(|a| a["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, TYPES);
    for a in &accounts {
        assert_eq!(a["id_connection"], id_connection);
        assert!(
            !a["name"].as_str().unwrap().is_empty(),
            "a realistic name: {a}"
        );
        assert_eq!(a["name"], a["original_name"]);
    }
    let names: std::collections::BTreeSet<&str> = accounts
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), accounts.len(), "distinct names: {names:?}");
}

#[tokio::test]
async fn a_discovered_account_is_disabled_with_only_its_identity_name_and_type() {
    let app = spawn_frozen().await;
    let (token, _, accounts) = discovered(&app).await;
    for a in &accounts {
        assert_eq!(a["disabled"], CLOCK_START, "{a}");
        assert_eq!(a["deleted"], Value::Null);
        assert!(a["id"].is_i64() && a["id_type"].is_i64(), "{a}");
        for empty in [
            "balance",
            "coming",
            "coming_balance",
            "formatted_balance",
            "opening_date",
            "loan",
            "last_update",
        ] {
            assert_eq!(a[empty], Value::Null, "{empty} of a disabled account: {a}");
        }
        let id = a["id"].as_i64().unwrap();
        let b = app
            .get(
                &format!("/users/me/accounts/{id}/transactions?limit=10"),
                Some(&token),
            )
            .await;
        // No enabled account at all yet.
        b.assert_error(409, "noAccount");
    }
}

#[tokio::test]
async fn disabled_accounts_are_hidden_from_lists_unless_all_is_given() {
    let app = spawn_frozen().await;
    let (token, id_connection, _) = discovered(&app).await;
    for path in [
        "/users/me/accounts".to_string(),
        format!("/users/me/connections/{id_connection}/accounts"),
    ] {
        let b = app.get(&path, Some(&token)).await.ok();
        assert_eq!(b["accounts"], json!([]), "{path}");
        assert_eq!(b["total"], 0);
        assert_eq!(b["balance"], 0);
        assert_eq!(b["balances"], json!({}));
        assert_eq!(b["coming_balances"], json!({}));
        for all in ["?all", "?all=", "?all=true"] {
            let b = app.get(&format!("{path}{all}"), Some(&token)).await.ok();
            assert_eq!(b["total"], 7, "{path}{all}");
        }
    }
}

#[tokio::test]
async fn a_disabled_account_is_read_by_id_with_all() {
    let app = spawn_frozen().await;
    let (token, id_connection, accounts) = discovered(&app).await;
    let id = accounts[0]["id"].as_i64().unwrap();
    for path in [
        format!("/users/me/accounts/{id}?all"),
        format!("/users/me/connections/{id_connection}/accounts/{id}?all"),
    ] {
        let a = app.get(&path, Some(&token)).await.ok();
        assert_eq!(a, accounts[0], "{path}");
    }
}

#[tokio::test]
async fn a_disabled_account_is_not_found_by_id_without_all() {
    // "Disabled accounts will only appear when passing the all parameter" (seed, bank accounts).
    let app = spawn_frozen().await;
    let (token, _, accounts) = discovered(&app).await;
    let id = accounts[0]["id"].as_i64().unwrap();
    app.get(&format!("/users/me/accounts/{id}"), Some(&token))
        .await
        .assert_error(404, "notFound");
}

// Enabling: the PSU's consent

#[tokio::test]
async fn enabling_an_account_fetches_its_history_at_once() {
    let app = spawn_frozen().await;
    let (token, _, accounts) = discovered(&app).await;
    let checking = by_type(&accounts, "checking")["id"].as_i64().unwrap();
    let a = app
        .post(
            &format!("/users/me/accounts/{checking}?all"),
            Some(&token),
            json!({"disabled": false}),
        )
        .await
        .ok();
    assert_eq!(a["id"], checking);
    assert_eq!(a["disabled"], Value::Null);
    assert_eq!(a["last_update"], CLOCK_START);
    assert!(a["balance"].is_number(), "{a}");
    assert!(a["coming"].is_number(), "{a}");
    assert!(a["opening_date"].is_string(), "{a}");
    let b = app
        .get(
            &format!("/users/me/accounts/{checking}/transactions?limit=1000"),
            Some(&token),
        )
        .await
        .ok();
    assert!(
        b["total"].as_i64().unwrap() > 100,
        "a year of history: {}",
        b["total"]
    );
    // The test connector keeps a year of history.
    assert!(
        b["first_date"].as_str().unwrap() >= "2025-01-15",
        "{}",
        b["first_date"]
    );
    assert!(b["first_date"].as_str().unwrap() <= "2025-01-20");
    // Now listed.
    let list = app.get("/users/me/accounts", Some(&token)).await.ok();
    assert_eq!(ids(&list["accounts"]), [checking]);
}

#[tokio::test]
async fn enabling_requires_the_all_flag_to_address_a_disabled_account() {
    let app = spawn_frozen().await;
    let (token, _, accounts) = discovered(&app).await;
    let id = accounts[0]["id"].as_i64().unwrap();
    app.post(
        &format!("/users/me/accounts/{id}"),
        Some(&token),
        json!({"disabled": false}),
    )
    .await
    .assert_error(404, "notFound");
    let a = app
        .get(&format!("/users/me/accounts/{id}?all"), Some(&token))
        .await
        .ok();
    assert_eq!(a["disabled"], CLOCK_START, "still disabled");
}

#[tokio::test]
async fn several_accounts_are_enabled_at_once_by_comma_separated_ids() {
    let app = spawn_frozen().await;
    let (token, _, accounts) = discovered(&app).await;
    let chosen = [
        accounts[0]["id"].as_i64().unwrap(),
        accounts[1]["id"].as_i64().unwrap(),
    ];
    let b = app
        .post(
            &format!("/users/me/accounts/{},{}?all", chosen[0], chosen[1]),
            Some(&token),
            json!({"disabled": false}),
        )
        .await
        .ok();
    assert_eq!(b["total"], 2, "{b}");
    assert_eq!(ids(&b["accounts"]), chosen);
    for a in b["accounts"].as_array().unwrap() {
        assert_eq!(a["disabled"], Value::Null);
        assert!(a["balance"].is_number());
    }
    let list = app.get("/users/me/accounts", Some(&token)).await.ok();
    assert_eq!(ids(&list["accounts"]), chosen);
    // A multi-id read answers the same envelope.
    let read = app
        .get(
            &format!("/users/me/accounts/{},{}", chosen[0], chosen[1]),
            Some(&token),
        )
        .await
        .ok();
    assert_eq!(read["total"], 2);
    assert_eq!(ids(&read["accounts"]), chosen);
}

#[tokio::test]
async fn accounts_are_enabled_through_the_connection_alias() {
    let app = spawn_frozen().await;
    let (token, id_connection, accounts) = discovered(&app).await;
    let id = accounts[1]["id"].as_i64().unwrap();
    for method in [Method::POST, Method::PUT] {
        let a = app
            .call(
                method,
                &format!("/users/me/connections/{id_connection}/accounts/{id}?all"),
                Some(&token),
                Some(json!({"disabled": false})),
            )
            .await
            .ok();
        assert_eq!(a["disabled"], Value::Null);
    }
}

// The BankAccount object

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

// Lists and reads by scope

#[tokio::test]
async fn accounts_are_listed_at_user_and_connection_scope() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let other = app
        .create_connection(
            &bank.token,
            json!({"id_connector": 41, "login": "12345678", "password": "123456"}),
        )
        .await;
    let other_ids = app.enable_all_accounts(&bank.token).await;
    let user_wide = app.get("/users/me/accounts", Some(&bank.token)).await.ok();
    assert_eq!(ids(&user_wide["accounts"]), other_ids);
    let by_id = app
        .get(
            &format!("/users/{}/accounts", bank.id_user),
            Some(&bank.token),
        )
        .await
        .ok();
    assert_eq!(by_id, user_wide);
    let first = app
        .get(
            &format!("/users/me/connections/{}/accounts", bank.connection),
            Some(&bank.token),
        )
        .await
        .ok();
    assert_eq!(ids(&first["accounts"]), bank.accounts);
    assert_eq!(first["total"], 7);
    let second = app
        .get(
            &format!(
                "/users/{}/connections/{}/accounts",
                bank.id_user, other["id"]
            ),
            Some(&bank.token),
        )
        .await
        .ok();
    assert_eq!(second["total"], 6, "Hermeline has six account types");
    for a in second["accounts"].as_array().unwrap() {
        assert_eq!(a["id_connection"], other["id"]);
    }
}

#[tokio::test]
async fn an_account_is_read_at_user_and_connection_scope() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let id = bank.accounts[2];
    let one = app
        .get(&format!("/users/me/accounts/{id}"), Some(&bank.token))
        .await
        .ok();
    assert_eq!(one["id"], id);
    for path in [
        format!("/users/{}/accounts/{id}", bank.id_user),
        format!("/users/me/connections/{}/accounts/{id}", bank.connection),
        format!(
            "/users/{}/connections/{}/accounts/{id}",
            bank.id_user, bank.connection
        ),
    ] {
        assert_eq!(app.get(&path, Some(&bank.token)).await.ok(), one, "{path}");
    }
}

#[tokio::test]
async fn an_account_of_another_connection_is_not_found_under_this_one() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let other = app
        .create_connection(
            &bank.token,
            json!({"id_connector": 41, "login": "12345678", "password": "123456"}),
        )
        .await;
    let path = format!(
        "/users/me/connections/{}/accounts/{}",
        other["id"], bank.accounts[0]
    );
    app.get(&path, Some(&bank.token))
        .await
        .assert_error(404, "notFound");
    app.post(&path, Some(&bank.token), json!({"name": "x"}))
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn unknown_and_malformed_account_ids_are_not_found() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    for id in ["999999", "abc", "1,abc", "-1", "1.5", "1;2"] {
        app.get(&format!("/users/me/accounts/{id}"), Some(&bank.token))
            .await
            .assert_error(404, "notFound");
    }
    // One unknown id in a list fails the whole list and changes nothing.
    let path = format!("/users/me/accounts/{},999999", bank.accounts[0]);
    app.post(&path, Some(&bank.token), json!({"name": "Renamed"}))
        .await
        .assert_error(404, "notFound");
    let a = app
        .get(
            &format!("/users/me/accounts/{}", bank.accounts[0]),
            Some(&bank.token),
        )
        .await
        .ok();
    assert_ne!(a["name"], "Renamed");
}

#[tokio::test]
async fn another_users_accounts_are_not_found_on_every_route() {
    let app = spawn_frozen().await;
    let mine = app.user_with_bank().await;
    let theirs = app.user_with_bank().await;
    let id = theirs.accounts[0];
    for user in ["me".to_string(), theirs.id_user.to_string()] {
        for path in [
            format!("/users/{user}/accounts/{id}"),
            format!("/users/{user}/accounts/{id}?all"),
            format!("/users/{user}/accounts/{},{id}", mine.accounts[0]),
            format!("/users/{user}/connections/{}/accounts", theirs.connection),
            format!(
                "/users/{user}/connections/{}/accounts/{id}",
                theirs.connection
            ),
            format!("/users/{user}/accounts/{id}/transactions?limit=10"),
        ] {
            app.get(&path, Some(&mine.token))
                .await
                .assert_error(404, "notFound");
        }
        app.post(
            &format!("/users/{user}/accounts/{id}?all"),
            Some(&mine.token),
            json!({"disabled": true}),
        )
        .await
        .assert_error(404, "notFound");
    }
    // My list does not show theirs.
    let b = app
        .get("/users/me/accounts?all", Some(&mine.token))
        .await
        .ok();
    assert_eq!(ids(&b["accounts"]), mine.accounts);
    // Theirs is untouched.
    let a = app
        .get(&format!("/users/me/accounts/{id}"), Some(&theirs.token))
        .await
        .ok();
    assert_eq!(a["disabled"], Value::Null);
}

// Updates

#[tokio::test]
async fn name_display_bookmarked_and_usage_are_updated() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let path = format!("/users/me/accounts/{}", bank.accounts[0]);
    let before = app.get(&path, Some(&bank.token)).await.ok();
    let a = app
        .post(
            &path,
            Some(&bank.token),
            json!({"name": "Compte joint", "display": false, "bookmarked": true, "usage": "ORGA"}),
        )
        .await
        .ok();
    assert_eq!(a["name"], "Compte joint");
    assert_eq!(a["original_name"], before["original_name"]);
    assert_eq!(a["display"], false);
    assert_eq!(a["bookmarked"], 1);
    assert_eq!(a["usage"], "ORGA");
    assert_eq!(a["balance"], before["balance"]);
    assert_eq!(app.get(&path, Some(&bank.token)).await.ok(), a);
    let a = app
        .post(&path, Some(&bank.token), json!({"bookmarked": false}))
        .await
        .ok();
    assert_eq!(a["bookmarked"], 0);
    assert_eq!(a["name"], "Compte joint", "other fields are kept");
}

#[tokio::test]
async fn an_account_update_accepts_put_and_a_form_body() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let path = format!("/users/me/accounts/{}", bank.accounts[0]);
    let a = app
        .put(&path, Some(&bank.token), Some(json!({"name": "Par PUT"})))
        .await
        .ok();
    assert_eq!(a["name"], "Par PUT");
    let form = app
        .client
        .post(app.url(&path))
        .bearer_auth(&bank.token)
        .form(&[("display", "false"), ("usage", "PRIV")]);
    let a = TestApp::reply(form.send().await.unwrap()).await.ok();
    assert_eq!(a["display"], false);
}

#[tokio::test]
async fn a_hidden_account_stays_in_lists_with_display_false() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    app.post(
        &format!("/users/me/accounts/{}", bank.accounts[0]),
        Some(&bank.token),
        json!({"display": false}),
    )
    .await
    .ok();
    let b = app.get("/users/me/accounts", Some(&bank.token)).await.ok();
    assert_eq!(b["total"], 7);
    assert_eq!(b["accounts"][0]["display"], false);
}

#[tokio::test]
async fn an_update_of_several_accounts_answers_accounts_and_total() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let b = app
        .post(
            &format!(
                "/users/me/accounts/{},{},{}",
                bank.accounts[0], bank.accounts[1], bank.accounts[2]
            ),
            Some(&bank.token),
            json!({"usage": "ORGA"}),
        )
        .await
        .ok();
    assert_eq!(b["total"], 3);
    for a in b["accounts"].as_array().unwrap() {
        assert_eq!(a["usage"], "ORGA");
    }
    let list = app.get("/users/me/accounts", Some(&bank.token)).await.ok();
    let orga = list["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["usage"] == "ORGA")
        .count();
    assert_eq!(orga, 3);
}

#[tokio::test]
async fn invalid_update_values_are_refused_naming_the_field() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let path = format!("/users/me/accounts/{}", bank.accounts[0]);
    for (body, field) in [
        (json!({"usage": "FAMILY"}), "usage"),
        (json!({"name": "  "}), "name"),
        (json!({"display": "often"}), "display"),
        (json!({"bookmarked": "yes please"}), "bookmarked"),
        (json!({"disabled": [1]}), "disabled"),
    ] {
        let r = app.post(&path, Some(&bank.token), body).await;
        r.assert_error(400, "invalidValue");
        assert!(
            r.body["description"].as_str().unwrap().contains(field),
            "{}",
            r.text
        );
    }
    let a = app.get(&path, Some(&bank.token)).await.ok();
    assert_eq!(a["usage"], "PRIV");
    assert_eq!(a["disabled"], Value::Null);
}

// Disabling

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
