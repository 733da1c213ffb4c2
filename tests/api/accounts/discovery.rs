//! Discovery, and enabling: the PSU's consent.

use super::*;

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

// What a disabled account shows: "a very limited set of values available (name)" (seeds)

/// The fields a disabled account keeps; every other nullable field is null.
const NULL_WHILE_DISABLED: [&str; 14] = [
    "id_parent",
    "number",
    "balance",
    "coming",
    "coming_balance",
    "formatted_balance",
    "usage",
    "ownership",
    "company_name",
    "iban",
    "bic",
    "opening_date",
    "loan",
    "last_update",
];

fn assert_shows_only_its_identity(a: &Value) {
    for key in NULL_WHILE_DISABLED {
        assert_eq!(a[key], Value::Null, "{key} of a disabled account: {a}");
    }
    for key in ["id", "id_connection", "id_user", "id_source"] {
        assert!(a[key].is_i64(), "{key}: {a}");
    }
    for key in ["webid", "name", "original_name", "type"] {
        assert!(a[key].is_string(), "{key}: {a}");
    }
    assert!(a["currency"]["id"].is_string(), "{a}");
    assert!(a["disabled"].is_string(), "{a}");
}

#[tokio::test]
async fn a_discovered_account_shows_no_number_iban_bic_or_usage() {
    let app = spawn_frozen().await;
    let (token, id_connection, accounts) = discovered(&app).await;
    for a in &accounts {
        assert_shows_only_its_identity(a);
    }
    // The same through the connection's expansion and a read by id.
    let c = app
        .get(
            &format!("/users/me/connections/{id_connection}?expand=all_accounts"),
            Some(&token),
        )
        .await
        .ok();
    for a in c["all_accounts"].as_array().unwrap() {
        assert_shows_only_its_identity(a);
    }
    let id = by_type(&accounts, "checking")["id"].as_i64().unwrap();
    let a = app
        .get(&format!("/users/me/accounts/{id}?all"), Some(&token))
        .await
        .ok();
    assert_shows_only_its_identity(&a);
}

#[tokio::test]
async fn enabling_an_account_fills_in_its_number_iban_bic_and_usage() {
    let app = spawn_frozen().await;
    let (token, _, accounts) = discovered(&app).await;
    let id = by_type(&accounts, "checking")["id"].as_i64().unwrap();
    let a = app
        .post(
            &format!("/users/me/accounts/{id}?all"),
            Some(&token),
            json!({"disabled": false}),
        )
        .await
        .ok();
    for key in [
        "number",
        "iban",
        "bic",
        "usage",
        "ownership",
        "opening_date",
    ] {
        assert!(a[key].is_string(), "{key} once enabled: {a}");
    }
    assert!(a["balance"].is_number(), "{a}");
    assert_eq!(a["usage"], "PRIV");
}

#[tokio::test]
async fn disabling_an_account_clears_its_details_and_enabling_it_again_restores_them() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let accounts = app.all_accounts(&bank.token).await;
    let enabled = by_type(&accounts, "checking").clone();
    let id = id_of(&enabled);
    let path = format!("/users/me/accounts/{id}?all");
    let a = app
        .post(&path, Some(&bank.token), json!({"disabled": true}))
        .await
        .ok();
    assert_shows_only_its_identity(&a);
    let read = app.get(&path, Some(&bank.token)).await.ok();
    assert_eq!(read, a, "as stored");
    advance(&app, "1d").await;
    let again = app
        .post(&path, Some(&bank.token), json!({"disabled": false}))
        .await
        .ok();
    for key in ["number", "iban", "bic", "usage", "opening_date"] {
        assert_eq!(again[key], enabled[key], "{key} read from the bank again");
    }
    assert!(again["balance"].is_number(), "{again}");
}
