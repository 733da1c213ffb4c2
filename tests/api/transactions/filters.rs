//! Date, value and text filters.

use super::*;

/// Which application dates a query should keep.
type DateRule = Box<dyn Fn(&str) -> bool>;

#[tokio::test]
async fn min_and_max_date_take_days_months_and_years_inclusively() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let path = "/users/me/transactions";
    let all = everything(&app, &bank.token, path).await;
    let ad = |t: &Value| t["application_date"].as_str().unwrap().to_string();
    // 2025-06-05 is rent day: there is at least one transaction on it.
    assert!(all.iter().any(|t| ad(t) == "2025-06-05"));
    let cases: Vec<(&str, DateRule)> = vec![
        ("min_date=2025-06-05", Box::new(|d| d >= "2025-06-05")),
        ("max_date=2025-06-05", Box::new(|d| d <= "2025-06-05")),
        (
            "min_date=2025-06-05&max_date=2025-06-05",
            Box::new(|d| d == "2025-06-05"),
        ),
        ("min_date=2025-06", Box::new(|d| d >= "2025-06-01")),
        ("max_date=2025-06", Box::new(|d| d <= "2025-06-30")),
        (
            "min_date=2025-06&max_date=2025-06",
            Box::new(|d| d.starts_with("2025-06")),
        ),
        ("min_date=2026", Box::new(|d| d.starts_with("2026"))),
        ("max_date=2025", Box::new(|d| d.starts_with("2025"))),
        (
            "min_date=2025-02&max_date=2025-02",
            Box::new(|d| d.starts_with("2025-02")),
        ),
        ("min_date=2030", Box::new(|_| false)),
        ("max_date=2020-01-01", Box::new(|_| false)),
        (
            "min_date=2025-07-01&max_date=2025-06-30",
            Box::new(|_| false),
        ),
    ];
    for (query, keep) in cases {
        let got = listed(&app, &bank.token, path, query).await;
        let want = expected(&all, |t| keep(&ad(t)));
        assert_eq!(got, want, "{query}");
        let b = app
            .get(&format!("{path}?limit=1&{query}"), Some(&bank.token))
            .await
            .ok();
        assert_eq!(b["total"], want.len(), "{query}");
    }
}

#[tokio::test]
async fn malformed_dates_are_invalid_values_naming_the_parameter() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    for (key, bad) in [
        ("min_date", "2025-13"),
        ("min_date", "2025/01/01"),
        ("max_date", "2025-02-30"),
        ("max_date", "15-01-2026"),
        ("min_date", "yesterday"),
        ("max_date", "2025-1"),
    ] {
        let r = app
            .get(
                &format!("/users/me/transactions?limit=10&{key}={bad}"),
                Some(&bank.token),
            )
            .await;
        r.assert_error(400, "invalidValue");
        assert!(
            r.body["description"].as_str().unwrap().contains(key),
            "{}",
            r.text
        );
    }
}

#[tokio::test]
async fn filter_chooses_between_application_date_and_date() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let page = app
        .get(
            "/users/me/transactions?limit=1&max_date=2025-10-10",
            Some(&bank.token),
        )
        .await
        .ok();
    let t = &page["transactions"][0];
    let id = t["id"].as_i64().unwrap();
    let date = t["date"].as_str().unwrap().to_string();
    app.post(
        &format!("/users/me/transactions/{id}"),
        Some(&bank.token),
        json!({"application_date": "2020-02-02"}),
    )
    .await
    .ok();
    let day = "min_date=2020-02-02&max_date=2020-02-02";
    for query in [day.to_string(), format!("{day}&filter=application_date")] {
        let got = listed(&app, &bank.token, "/users/me/transactions", &query).await;
        assert_eq!(got, [id], "{query}");
    }
    let got = listed(
        &app,
        &bank.token,
        "/users/me/transactions",
        &format!("{day}&filter=date"),
    )
    .await;
    assert!(got.is_empty(), "{got:?}");
    let got = listed(
        &app,
        &bank.token,
        "/users/me/transactions",
        &format!("min_date={date}&max_date={date}&filter=date"),
    )
    .await;
    assert!(got.contains(&id));
    let b = app
        .get(
            "/users/me/transactions?limit=1&filter=date",
            Some(&bank.token),
        )
        .await
        .ok();
    assert!(
        b["first_date"].as_str().unwrap() > "2020-02-02",
        "{}",
        b["first_date"]
    );
    let b = app
        .get("/users/me/transactions?limit=1", Some(&bank.token))
        .await
        .ok();
    assert_eq!(b["first_date"], "2020-02-02");
    app.get(
        "/users/me/transactions?limit=1&filter=rdate",
        Some(&bank.token),
    )
    .await
    .assert_error(400, "invalidValue");
}

// Value filters

#[tokio::test]
async fn income_separates_credits_from_debits() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let path = "/users/me/transactions";
    let all = everything(&app, &bank.token, path).await;
    let credits = listed(&app, &bank.token, path, "income=true").await;
    let debits = listed(&app, &bank.token, path, "income=false").await;
    assert!(!credits.is_empty() && !debits.is_empty());
    assert_eq!(
        credits,
        expected(&all, |t| dec(&t["value"]) > Decimal::ZERO)
    );
    assert_eq!(debits, expected(&all, |t| dec(&t["value"]) < Decimal::ZERO));
    app.get(&format!("{path}?limit=1&income=maybe"), Some(&bank.token))
        .await
        .assert_error(400, "invalidValue");
}

#[tokio::test]
async fn min_and_max_value_are_inclusive() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let path = "/users/me/transactions";
    let all = everything(&app, &bank.token, path).await;
    let pick = all
        .iter()
        .find(|t| t["type"] == "card")
        .unwrap_or_else(|| panic!("a card payment"));
    let v = dec(&pick["value"]);
    let id = pick["id"].as_i64().unwrap();
    let got = listed(&app, &bank.token, path, &format!("min_value={v}")).await;
    assert!(got.contains(&id));
    assert_eq!(got, expected(&all, |t| dec(&t["value"]) >= v));
    let got = listed(&app, &bank.token, path, &format!("max_value={v}")).await;
    assert!(got.contains(&id));
    assert_eq!(got, expected(&all, |t| dec(&t["value"]) <= v));
    let got = listed(
        &app,
        &bank.token,
        path,
        &format!("min_value={v}&max_value={v}"),
    )
    .await;
    assert!(got.contains(&id));
    assert_eq!(got, expected(&all, |t| dec(&t["value"]) == v));
    let got = listed(&app, &bank.token, path, "min_value=-50&max_value=-10.5").await;
    let lo = Decimal::from(-50);
    let hi = Decimal::from_str("-10.5").unwrap();
    assert_eq!(
        got,
        expected(&all, |t| (lo..=hi).contains(&dec(&t["value"])))
    );
    for bad in ["min_value=ten", "max_value=1,5"] {
        app.get(&format!("{path}?limit=1&{bad}"), Some(&bank.token))
            .await
            .assert_error(400, "invalidValue");
    }
}

#[tokio::test]
async fn value_matches_an_exact_amount_either_of_two_or_both_signs() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let path = "/users/me/transactions";
    let all = everything(&app, &bank.token, path).await;
    let pick = all.iter().find(|t| t["type"] == "card").unwrap();
    let v = dec(&pick["value"]);
    let abs = v.abs();
    let id = pick["id"].as_i64().unwrap();
    let exact = listed(&app, &bank.token, path, &format!("value={v}")).await;
    assert!(exact.contains(&id));
    assert_eq!(exact, expected(&all, |t| dec(&t["value"]) == v));
    let positive = listed(&app, &bank.token, path, &format!("value={abs}")).await;
    assert!(!positive.contains(&id), "a debit is not +{abs}");
    let either = listed(
        &app,
        &bank.token,
        path,
        &format!("value={}", enc(&format!("{abs}|-{abs}"))),
    )
    .await;
    let both = expected(&all, |t| dec(&t["value"]).abs() == abs);
    assert_eq!(either, both);
    let signless = listed(
        &app,
        &bank.token,
        path,
        &format!("value={}", enc(&format!("±{abs}"))),
    )
    .await;
    assert_eq!(signless, both);
    // Trailing zeros do not matter.
    let padded = listed(&app, &bank.token, path, &format!("value={v:.3}")).await;
    assert_eq!(padded, exact);
    app.get(&format!("{path}?limit=1&value=abc"), Some(&bank.token))
        .await
        .assert_error(400, "invalidValue");
}

// Text filters

#[tokio::test]
async fn wording_filters_on_a_case_insensitive_substring() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let path = "/users/me/transactions";
    let all = everything(&app, &bank.token, path).await;
    for needle in ["LOYER", "monoprix", "Prlv Sepa", "CB "] {
        let got = listed(&app, &bank.token, path, &format!("wording={}", enc(needle))).await;
        let want = expected(&all, |t| contains_ci(t, needle));
        assert!(!want.is_empty(), "{needle}");
        assert_eq!(got, want, "{needle}");
    }
    // LIKE wildcards are literal.
    let got = listed(&app, &bank.token, path, "wording=%25").await;
    assert!(got.is_empty(), "{got:?}");
    let got = listed(&app, &bank.token, path, "wording=_").await;
    assert!(got.is_empty(), "{got:?}");
}

#[tokio::test]
async fn an_edited_wording_is_searched_too() {
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
        json!({"wording": "Cadeau anniversaire Zoé"}),
    )
    .await
    .ok();
    let got = listed(
        &app,
        &bank.token,
        "/users/me/transactions",
        "wording=anniversaire",
    )
    .await;
    assert_eq!(got, [id]);
}

#[tokio::test]
async fn search_finds_wordings_amounts_and_dates() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let path = "/users/me/transactions";
    let all = everything(&app, &bank.token, path).await;
    let merchant = all.iter().find(|t| t["type"] == "card").unwrap()["simplified_wording"]
        .as_str()
        .unwrap()
        .to_lowercase();
    let got = listed(
        &app,
        &bank.token,
        path,
        &format!("search={}", enc(&merchant)),
    )
    .await;
    let want = expected(&all, |t| contains_ci(t, &merchant));
    assert!(!want.is_empty());
    assert_eq!(got, want);
    let pick = all.iter().find(|t| t["type"] == "card").unwrap();
    let abs = dec(&pick["value"]).abs();
    let got = listed(&app, &bank.token, path, &format!("search={abs}")).await;
    assert!(got.contains(&pick["id"].as_i64().unwrap()), "{abs}");
    for t in all
        .iter()
        .filter(|t| got.contains(&t["id"].as_i64().unwrap()))
    {
        assert!(
            dec(&t["value"]).abs() == abs || contains_ci(t, &abs.to_string()),
            "{t}"
        );
    }
    let got = listed(&app, &bank.token, path, "search=2025-06-05").await;
    let want = expected(&all, |t| t["application_date"] == "2025-06-05");
    assert!(!want.is_empty());
    for id in &want {
        assert!(got.contains(id), "{id} on 2025-06-05");
    }
}
