//! Single reads and updates of a transaction.

use super::*;

#[tokio::test]
async fn a_transaction_is_read_by_id_as_it_is_listed() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let page = app
        .get("/users/me/transactions?limit=5", Some(&bank.token))
        .await
        .ok();
    for t in page["transactions"].as_array().unwrap() {
        let id = t["id"].as_i64().unwrap();
        let a = t["id_account"].as_i64().unwrap();
        for path in [
            format!("/users/me/transactions/{id}"),
            format!("/users/{}/transactions/{id}", bank.id_user),
            format!("/users/me/accounts/{a}/transactions/{id}"),
        ] {
            assert_eq!(&app.get(&path, Some(&bank.token)).await.ok(), t, "{path}");
        }
        let other = bank.accounts.iter().find(|x| **x != a).unwrap();
        app.get(
            &format!("/users/me/accounts/{other}/transactions/{id}"),
            Some(&bank.token),
        )
        .await
        .assert_error(404, "notFound");
    }
    for bad in ["999999999", "abc"] {
        app.get(&format!("/users/me/transactions/{bad}"), Some(&bank.token))
            .await
            .assert_error(404, "notFound");
    }
}

#[tokio::test]
async fn a_transaction_has_the_documented_and_observed_fields() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let all = everything(&app, &bank.token, "/users/me/transactions").await;
    let fields = [
        "id",
        "id_account",
        "application_date",
        "date",
        "datetime",
        "vdate",
        "vdatetime",
        "rdate",
        "rdatetime",
        "bdate",
        "bdatetime",
        "value",
        "gross_value",
        "type",
        "original_wording",
        "simplified_wording",
        "wording",
        "date_scraped",
        "coming",
        "active",
        "id_cluster",
        "comment",
        "last_update",
        "deleted",
        "original_value",
        "original_gross_value",
        "original_currency",
        "commission",
        "commission_currency",
        "country",
        "card",
        "counterparty",
        "webid",
        "stemmed_wording",
        "state",
        "formatted_value",
        "documents_count",
        "informations",
        "id_category",
    ];
    let types = [
        "transfer",
        "order",
        "check",
        "deposit",
        "payback",
        "withdrawal",
        "loan_repayment",
        "bank",
        "card",
        "deferred_card",
        "summary_card",
        "unknown",
        "market_order",
        "market_fee",
        "arbitrage",
        "profit",
        "refund",
        "payout",
        "payment",
        "fee",
    ];
    for t in &all {
        for f in fields {
            assert!(t.get(f).is_some(), "missing {f} in {t}");
        }
        assert!(types.contains(&t["type"].as_str().unwrap()), "{t}");
        assert!(!t["original_wording"].as_str().unwrap().is_empty());
        assert!(t["value"].is_number(), "{t}");
        assert_eq!(t["state"], "parsed");
        assert_eq!(t["active"], true);
        assert_eq!(t["deleted"], Value::Null);
        assert_eq!(t["date_scraped"], CLOCK_START);
        let date = t["date"].as_str().unwrap();
        let rdate = t["rdate"].as_str().unwrap();
        assert!(rdate <= date, "ordered before booked: {t}");
        assert!(rdate <= "2026-01-15", "nothing from the future: {t}");
        assert!(t["vdate"].is_string(), "{t}");
        for d in ["date", "rdate", "vdate", "application_date", "bdate"] {
            let s = t[d].as_str().unwrap();
            assert!(
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
                "{d}: {s}"
            );
        }
        assert_eq!(t["coming"], date > "2026-01-15", "coming until booked: {t}");
    }
}

#[tokio::test]
async fn the_simulated_ledger_looks_like_a_real_bank() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let all = everything(&app, &bank.token, "/users/me/transactions").await;
    let of_type = |k: &str| all.iter().filter(|t| t["type"] == k).collect::<Vec<_>>();
    // Card payments carry the card number and the time of payment.
    let cards = of_type("card");
    assert!(cards.len() > 50, "{}", cards.len());
    for t in &cards {
        assert!(t["card"].as_str().unwrap().contains("XXXX"), "{t}");
        assert!(t["rdatetime"].is_string(), "{t}");
    }
    // A deferred card's payments are coming until the end of the month.
    let deferred = of_type("deferred_card");
    assert!(deferred.iter().any(|t| t["coming"] == true));
    // Transfers such as the salary name their counterparty.
    let salary: Vec<&Value> = of_type("transfer")
        .into_iter()
        .filter(|t| t["original_wording"].as_str().unwrap().contains("SALAIRE"))
        .collect();
    assert!(salary.len() >= 12, "a salary each month: {}", salary.len());
    for t in &salary {
        let cp = &t["counterparty"];
        assert!(cp["label"].is_string(), "{t}");
        assert_eq!(cp["type"], "debtor", "{t}");
        assert_eq!(cp["account_scheme_name"], "iban", "{t}");
        assert!(dec(&t["value"]) > Decimal::ZERO);
    }
    assert!(!of_type("order").is_empty(), "direct debits");
    assert!(!of_type("loan_repayment").is_empty(), "loan repayments");
    assert!(!of_type("summary_card").is_empty(), "monthly card summary");
    // Wordings: simplified is a part of the original one.
    for t in &all {
        let original = t["original_wording"].as_str().unwrap();
        let simplified = t["simplified_wording"].as_str().unwrap();
        assert!(original.contains(simplified), "{t}");
        assert_eq!(t["wording"], t["simplified_wording"]);
    }
}

#[tokio::test]
async fn money_is_an_exact_json_number_with_at_most_two_decimals() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let r = app
        .get("/users/me/transactions?limit=1000", Some(&bank.token))
        .await;
    assert!(!r.text.contains("\"value\":\""), "never a string");
    let re = regex::Regex::new(r#""value":([^,}]+)"#).unwrap();
    let number = regex::Regex::new(r"^-?[0-9]+(\.[0-9]{1,2})?$").unwrap();
    let mut seen = 0;
    for cap in re.captures_iter(&r.text) {
        seen += 1;
        assert!(number.is_match(&cap[1]), "value {}", &cap[1]);
    }
    assert_eq!(seen, r.body["transactions"].as_array().unwrap().len());
    // formatted_value agrees with value.
    for t in r.body["transactions"].as_array().unwrap() {
        let v = dec(&t["value"]);
        let formatted = t["formatted_value"].as_str().unwrap();
        let digits: String = format!("{:.2}", v.abs()).replace('.', ",");
        assert!(
            formatted.replace('\u{a0}', "").contains(&digits),
            "{formatted} for {v}"
        );
        assert!(formatted.ends_with('€'), "{formatted}");
        assert_eq!(
            formatted.starts_with('-'),
            v.is_sign_negative(),
            "{formatted}"
        );
    }
}

// Updates

#[tokio::test]
async fn wording_application_date_comment_and_active_are_updated() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let page = app
        .get("/users/me/transactions?limit=1", Some(&bank.token))
        .await
        .ok();
    let before = page["transactions"][0].clone();
    let id = before["id"].as_i64().unwrap();
    let path = format!("/users/me/transactions/{id}");
    let t = app
        .post(
            &path,
            Some(&bank.token),
            json!({
                "wording": "Courses de la semaine",
                "application_date": "2026-01-01",
                "comment": "partagé avec Léa",
                "active": false,
            }),
        )
        .await
        .ok();
    assert_eq!(t["wording"], "Courses de la semaine");
    assert_eq!(t["application_date"], "2026-01-01");
    assert_eq!(t["comment"], "partagé avec Léa");
    assert_eq!(t["active"], false);
    // The bank's data is untouched.
    for k in [
        "original_wording",
        "simplified_wording",
        "date",
        "rdate",
        "value",
        "type",
    ] {
        assert_eq!(t[k], before[k], "{k}");
    }
    assert_eq!(app.get(&path, Some(&bank.token)).await.ok(), t);
    // null resets the wording to the simplified one and clears the comment.
    let t = app
        .post(
            &path,
            Some(&bank.token),
            json!({"wording": null, "comment": null}),
        )
        .await
        .ok();
    assert_eq!(t["wording"], before["simplified_wording"]);
    assert_eq!(t["comment"], Value::Null);
    assert_eq!(t["application_date"], "2026-01-01", "kept");
}

#[tokio::test]
async fn a_transaction_update_through_the_users_id_and_put_works() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let page = app
        .get("/users/me/transactions?limit=1", Some(&bank.token))
        .await
        .ok();
    let id = page["transactions"][0]["id"].as_i64().unwrap();
    let t = app
        .put(
            &format!("/users/{}/transactions/{id}", bank.id_user),
            Some(&bank.token),
            Some(json!({"comment": "via PUT"})),
        )
        .await
        .ok();
    assert_eq!(t["comment"], "via PUT");
}

#[tokio::test]
async fn invalid_transaction_updates_are_refused_naming_the_field() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let page = app
        .get("/users/me/transactions?limit=1", Some(&bank.token))
        .await
        .ok();
    let before = page["transactions"][0].clone();
    let path = format!("/users/me/transactions/{}", before["id"]);
    for (body, field) in [
        (
            json!({"application_date": "2026-02-30"}),
            "application_date",
        ),
        (json!({"application_date": "2026-02"}), "application_date"),
        (json!({"application_date": "tomorrow"}), "application_date"),
        (json!({"active": "nope"}), "active"),
        (json!({"wording": {"a": 1}}), "wording"),
    ] {
        let r = app.post(&path, Some(&bank.token), body).await;
        r.assert_error(400, "invalidValue");
        assert!(
            r.body["description"].as_str().unwrap().contains(field),
            "{}",
            r.text
        );
    }
    assert_eq!(app.get(&path, Some(&bank.token)).await.ok(), before);
}

#[tokio::test]
async fn an_inactive_transaction_is_still_listed() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let page = app
        .get("/users/me/transactions?limit=1", Some(&bank.token))
        .await
        .ok();
    let id = page["transactions"][0]["id"].as_i64().unwrap();
    app.post(
        &format!("/users/me/transactions/{id}"),
        Some(&bank.token),
        json!({"active": false}),
    )
    .await
    .ok();
    let again = app
        .get("/users/me/transactions?limit=1", Some(&bank.token))
        .await
        .ok();
    assert_eq!(page_ids(&again), [id]);
    assert_eq!(again["total"], page["total"]);
}
