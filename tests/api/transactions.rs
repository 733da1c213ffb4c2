//! Transactions (§8): lists at user, account and connection scope with every filter and its
//! boundaries, the envelope and its absolute keyset `_links`, single reads, updates, exact
//! money, and isolation between users.

use crate::common::*;
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::str::FromStr;

fn tx_ids(list: &[Value]) -> Vec<i64> {
    list.iter().map(|t| t["id"].as_i64().unwrap()).collect()
}

fn page_ids(b: &Value) -> Vec<i64> {
    tx_ids(b["transactions"].as_array().unwrap())
}

/// Every transaction under `path` (a list route without query), walked 1000 at a time.
async fn everything(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    app.walk_transactions(token, &format!("{path}?limit=1000"))
        .await
}

fn contains_ci(t: &Value, needle: &str) -> bool {
    let n = needle.to_lowercase();
    ["wording", "original_wording", "simplified_wording"]
        .iter()
        .any(|k| t[*k].as_str().unwrap_or("").to_lowercase().contains(&n))
}

/// Percent-encodes a query value.
fn enc(s: &str) -> String {
    serde_urlencoded::to_string([("v", s)]).unwrap()[2..].to_string()
}

/// The ids `path` lists with `query` (all pages), in order.
async fn listed(app: &TestApp, token: &str, path: &str, query: &str) -> Vec<i64> {
    tx_ids(
        &app.walk_transactions(token, &format!("{path}?limit=1000&{query}"))
            .await,
    )
}

fn expected(all: &[Value], keep: impl Fn(&Value) -> bool) -> Vec<i64> {
    tx_ids(
        &all.iter()
            .filter(|t| keep(t))
            .cloned()
            .collect::<Vec<Value>>(),
    )
}

// The limit parameter

#[tokio::test]
async fn a_list_without_limit_is_a_missing_parameter() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    for path in [
        "/users/me/transactions".to_string(),
        format!("/users/me/accounts/{}/transactions", bank.accounts[0]),
        format!("/users/me/connections/{}/transactions", bank.connection),
    ] {
        let r = app.get(&path, Some(&bank.token)).await;
        r.assert_error(400, "missingParameter");
        assert!(r.body["description"].as_str().unwrap().contains("limit"));
    }
}

#[tokio::test]
async fn limit_must_be_between_one_and_a_thousand() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    for bad in ["0", "1001", "-1", "abc", "10.5"] {
        let r = app
            .get(
                &format!("/users/me/transactions?limit={bad}"),
                Some(&bank.token),
            )
            .await;
        r.assert_error(400, "invalidValue");
        assert!(
            r.body["description"].as_str().unwrap().contains("limit"),
            "{}",
            r.text
        );
    }
    let b = app
        .get("/users/me/transactions?limit=1000", Some(&bank.token))
        .await
        .ok();
    let total = b["total"].as_i64().unwrap();
    assert_eq!(
        b["transactions"].as_array().unwrap().len() as i64,
        total.min(1000)
    );
    let b = app
        .get("/users/me/transactions?limit=1", Some(&bank.token))
        .await
        .ok();
    assert_eq!(b["transactions"].as_array().unwrap().len(), 1);
}

// No enabled account

#[tokio::test]
async fn a_user_without_any_enabled_account_gets_409_no_account() {
    let app = spawn_frozen().await;
    let (id_user, token) = app.permanent_user().await;
    app.get("/users/me/transactions?limit=10", Some(&token))
        .await
        .assert_error(409, "noAccount");
    let c = app
        .create_connection(&token, test_connector_credentials())
        .await;
    let accounts = app.all_accounts(&token).await;
    let a = accounts[0]["id"].as_i64().unwrap();
    for path in [
        "/users/me/transactions".to_string(),
        format!("/users/{id_user}/transactions"),
        format!("/users/me/accounts/{a}/transactions"),
        format!("/users/me/connections/{}/transactions", c["id"]),
        format!(
            "/users/me/connections/{}/accounts/{a}/transactions",
            c["id"]
        ),
    ] {
        app.get(&format!("{path}?limit=10"), Some(&token))
            .await
            .assert_error(409, "noAccount");
    }
}

#[tokio::test]
async fn disabling_the_last_enabled_account_brings_back_no_account() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    app.create_connection(&token, test_connector_credentials())
        .await;
    let id = app.all_accounts(&token).await[0]["id"].as_i64().unwrap();
    app.enable_accounts(&token, &[id]).await;
    app.get("/users/me/transactions?limit=10", Some(&token))
        .await
        .ok();
    app.post(
        &format!("/users/me/accounts/{id}"),
        Some(&token),
        json!({"disabled": true}),
    )
    .await
    .ok();
    app.get("/users/me/transactions?limit=10", Some(&token))
        .await
        .assert_error(409, "noAccount");
}

// The envelope and its links

#[tokio::test]
async fn the_list_envelope_has_dates_total_and_absolute_links() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let r = app
        .get("/users/me/transactions?limit=50", Some(&bank.token))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let b = &r.body;
    let keys: BTreeSet<&str> = b.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "transactions",
            "first_date",
            "last_date",
            "result_min_date",
            "result_max_date",
            "total",
            "_links"
        ])
    );
    let list = b["transactions"].as_array().unwrap();
    assert_eq!(list.len(), 50);
    assert!(b["total"].as_i64().unwrap() > 500, "{}", b["total"]);
    let self_href = b["_links"]["self"]["href"].as_str().unwrap();
    assert_eq!(
        self_href,
        format!("{}/2.0/users/me/transactions?limit=50", app.base)
    );
    assert_eq!(b["_links"]["prev"], Value::Null, "first page");
    let next = b["_links"]["next"]["href"].as_str().unwrap();
    assert!(
        next.starts_with(&format!("{}/2.0/users/me/transactions?", app.base)),
        "{next}"
    );
    assert!(next.contains("cursor="), "{next}");
    assert!(next.contains("limit=50"), "{next}");
    // result_* bound this page, first/last_date all the data.
    let dates: Vec<&str> = list
        .iter()
        .map(|t| t["application_date"].as_str().unwrap())
        .collect();
    assert_eq!(b["result_min_date"], *dates.iter().min().unwrap());
    assert_eq!(b["result_max_date"], *dates.iter().max().unwrap());
    let all = everything(&app, &bank.token, "/users/me/transactions").await;
    let all_dates: Vec<&str> = all
        .iter()
        .map(|t| t["application_date"].as_str().unwrap())
        .collect();
    assert_eq!(b["first_date"], *all_dates.iter().min().unwrap());
    assert_eq!(b["last_date"], *all_dates.iter().max().unwrap());
}

#[tokio::test]
async fn transactions_come_newest_first_by_date_then_id() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let all = everything(&app, &bank.token, "/users/me/transactions").await;
    let keys: Vec<(String, i64)> = all
        .iter()
        .map(|t| {
            (
                t["application_date"].as_str().unwrap().to_string(),
                t["id"].as_i64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(keys, sorted);
}

#[tokio::test]
async fn following_next_returns_every_transaction_exactly_once() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let reference = everything(&app, &bank.token, "/users/me/transactions").await;
    let total = app
        .get("/users/me/transactions?limit=1", Some(&bank.token))
        .await
        .ok()["total"]
        .as_i64()
        .unwrap();
    assert_eq!(reference.len() as i64, total);
    for limit in [1000, 97, 10] {
        let walked = app
            .walk_transactions(
                &bank.token,
                &format!("/users/me/transactions?limit={limit}"),
            )
            .await;
        let ids = tx_ids(&walked);
        let unique: BTreeSet<i64> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "no duplicates with limit={limit}");
        assert_eq!(ids, tx_ids(&reference), "limit={limit}");
    }
}

#[tokio::test]
async fn every_page_reports_the_same_total_and_the_last_has_no_next() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let mut url = "/users/me/transactions?limit=300".to_string();
    let mut totals = BTreeSet::new();
    let mut pages = 0;
    loop {
        let b = app.get(&url, Some(&bank.token)).await.ok();
        pages += 1;
        totals.insert(b["total"].as_i64().unwrap());
        if pages > 1 {
            assert!(b["_links"]["prev"]["href"].is_string(), "{}", b["_links"]);
        }
        assert_eq!(b["_links"]["self"]["href"], app.url(&url).as_str());
        match b["_links"]["next"]["href"].as_str() {
            Some(n) => url = n.to_string(),
            None => {
                assert_eq!(b["_links"]["next"], Value::Null);
                break;
            }
        }
    }
    assert!(pages >= 3, "{pages} pages");
    assert_eq!(totals.len(), 1, "{totals:?}");
}

#[tokio::test]
async fn following_prev_returns_the_previous_page() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let first = app
        .get("/users/me/transactions?limit=25", Some(&bank.token))
        .await
        .ok();
    let second = app
        .get(
            first["_links"]["next"]["href"].as_str().unwrap(),
            Some(&bank.token),
        )
        .await
        .ok();
    let third = app
        .get(
            second["_links"]["next"]["href"].as_str().unwrap(),
            Some(&bank.token),
        )
        .await
        .ok();
    let back = app
        .get(
            third["_links"]["prev"]["href"].as_str().unwrap(),
            Some(&bank.token),
        )
        .await
        .ok();
    assert_eq!(page_ids(&back), page_ids(&second));
    let back = app
        .get(
            back["_links"]["prev"]["href"].as_str().unwrap(),
            Some(&bank.token),
        )
        .await
        .ok();
    assert_eq!(page_ids(&back), page_ids(&first));
    assert_eq!(back["_links"]["prev"], Value::Null, "back at the start");
    let forward = app
        .get(
            back["_links"]["next"]["href"].as_str().unwrap(),
            Some(&bank.token),
        )
        .await
        .ok();
    assert_eq!(page_ids(&forward), page_ids(&second));
}

#[tokio::test]
async fn links_keep_the_filters_of_the_request() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let query = "min_date=2025-06-01&max_date=2025-09-30&income=false&filter=date";
    let expected_ids = {
        let all = everything(&app, &bank.token, "/users/me/transactions").await;
        let mut v: Vec<(String, i64)> = all
            .iter()
            .filter(|t| {
                let d = t["date"].as_str().unwrap();
                ("2025-06-01"..="2025-09-30").contains(&d) && dec(&t["value"]) < Decimal::ZERO
            })
            .map(|t| {
                (
                    t["date"].as_str().unwrap().to_string(),
                    t["id"].as_i64().unwrap(),
                )
            })
            .collect();
        v.sort_by(|a, b| b.cmp(a));
        v.into_iter().map(|(_, id)| id).collect::<Vec<i64>>()
    };
    let first = app
        .get(
            &format!("/users/me/transactions?limit=40&{query}"),
            Some(&bank.token),
        )
        .await
        .ok();
    let next = first["_links"]["next"]["href"].as_str().unwrap();
    for part in query.split('&') {
        assert!(next.contains(part), "{part} in {next}");
    }
    let walked = app
        .walk_transactions(
            &bank.token,
            &format!("/users/me/transactions?limit=40&{query}"),
        )
        .await;
    assert_eq!(tx_ids(&walked), expected_ids);
    assert_eq!(first["total"], expected_ids.len());
}

#[tokio::test]
async fn links_are_built_from_the_host_the_client_used() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let r = app
        .client
        .get(app.url("/users/me/transactions?limit=5"))
        .bearer_auth(&bank.token)
        .header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", "bank.example.test")
        .send()
        .await
        .unwrap();
    let b: Value = r.json().await.unwrap();
    let next = b["_links"]["next"]["href"].as_str().unwrap();
    assert!(
        next.starts_with("https://bank.example.test/2.0/users/me/transactions?"),
        "{next}"
    );
}

#[tokio::test]
async fn a_malformed_cursor_is_an_invalid_value() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    for cursor in ["garbage", "W10", "eyJhIjoxfQ", "%00"] {
        app.get(
            &format!("/users/me/transactions?limit=10&cursor={cursor}"),
            Some(&bank.token),
        )
        .await
        .assert_error(400, "invalidValue");
    }
}

#[tokio::test]
async fn offset_skips_rows() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let twenty = app
        .get("/users/me/transactions?limit=20", Some(&bank.token))
        .await
        .ok();
    let skipped = app
        .get(
            "/users/me/transactions?limit=10&offset=10",
            Some(&bank.token),
        )
        .await
        .ok();
    assert_eq!(page_ids(&skipped), page_ids(&twenty)[10..]);
    assert_eq!(skipped["total"], twenty["total"]);
    assert!(skipped["_links"]["prev"]["href"].is_string());
    let far = app
        .get(
            "/users/me/transactions?limit=10&offset=100000",
            Some(&bank.token),
        )
        .await
        .ok();
    assert_eq!(far["transactions"], json!([]));
    assert_eq!(far["_links"]["next"], Value::Null);
    for bad in ["-1", "abc"] {
        app.get(
            &format!("/users/me/transactions?limit=10&offset={bad}"),
            Some(&bank.token),
        )
        .await
        .assert_error(400, "invalidValue");
    }
}

// Date filters

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

// Deleted, last_update

#[tokio::test]
async fn deleted_and_all_control_deleted_transactions() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let path = "/users/me/transactions";
    let total = |b: Value| b["total"].as_i64().unwrap();
    let plain = total(
        app.get(&format!("{path}?limit=1"), Some(&bank.token))
            .await
            .ok(),
    );
    let only_deleted = total(
        app.get(&format!("{path}?limit=1&deleted=true"), Some(&bank.token))
            .await
            .ok(),
    );
    assert_eq!(only_deleted, 0, "nothing was removed at the bank");
    for q in ["all", "all=", "all=true", "deleted=false"] {
        let t = total(
            app.get(&format!("{path}?limit=1&{q}"), Some(&bank.token))
                .await
                .ok(),
        );
        assert_eq!(t, plain, "{q}");
    }
    app.get(&format!("{path}?limit=1&deleted=sure"), Some(&bank.token))
        .await
        .assert_error(400, "invalidValue");
}

#[tokio::test]
async fn last_update_keeps_rows_updated_strictly_after_it() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let path = "/users/me/transactions";
    let total = |b: Value| b["total"].as_i64().unwrap();
    let plain = total(
        app.get(&format!("{path}?limit=1"), Some(&bank.token))
            .await
            .ok(),
    );
    let before = total(
        app.get(
            &format!("{path}?limit=1&last_update={}", enc("2026-01-15 09:59:59")),
            Some(&bank.token),
        )
        .await
        .ok(),
    );
    assert_eq!(before, plain);
    let at = total(
        app.get(
            &format!("{path}?limit=1&last_update={}", enc(CLOCK_START)),
            Some(&bank.token),
        )
        .await
        .ok(),
    );
    assert_eq!(at, 0);
    let r = app
        .get(
            &format!("{path}?limit=1&last_update=soon"),
            Some(&bank.token),
        )
        .await;
    r.assert_error(400, "invalidValue");
    assert!(r.body["description"]
        .as_str()
        .unwrap()
        .contains("last_update"));
}

// Scopes and aliases

#[tokio::test]
async fn every_scope_alias_lists_the_same_collection_filtered() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let second = app
        .create_connection(
            &bank.token,
            json!({"id_connector": 41, "login": "12345678", "password": "123456"}),
        )
        .await;
    app.enable_all_accounts(&bank.token).await;
    let (u, c) = (bank.id_user, bank.connection);
    let user_wide = everything(&app, &bank.token, "/users/me/transactions").await;
    assert_eq!(
        tx_ids(&everything(&app, &bank.token, &format!("/users/{u}/transactions")).await),
        tx_ids(&user_wide)
    );
    let mut accounts_seen = BTreeSet::new();
    for t in &user_wide {
        accounts_seen.insert(t["id_account"].as_i64().unwrap());
    }
    assert!(
        accounts_seen.len() > 7,
        "both connections: {accounts_seen:?}"
    );
    let own: Vec<i64> = bank.accounts.clone();
    let in_connection = expected(&user_wide, |t| {
        own.contains(&t["id_account"].as_i64().unwrap())
    });
    for path in [
        format!("/users/me/connections/{c}/transactions"),
        format!("/users/{u}/connections/{c}/transactions"),
    ] {
        assert_eq!(
            tx_ids(&everything(&app, &bank.token, &path).await),
            in_connection,
            "{path}"
        );
    }
    let other = second["id"].as_i64().unwrap();
    let in_other = everything(
        &app,
        &bank.token,
        &format!("/users/me/connections/{other}/transactions"),
    )
    .await;
    assert_eq!(in_other.len() + in_connection.len(), user_wide.len());
    for a in &bank.accounts {
        let want = expected(&user_wide, |t| t["id_account"] == *a);
        for path in [
            format!("/users/me/accounts/{a}/transactions"),
            format!("/users/{u}/accounts/{a}/transactions"),
            format!("/users/me/connections/{c}/accounts/{a}/transactions"),
            format!("/users/{u}/connections/{c}/accounts/{a}/transactions"),
        ] {
            assert_eq!(
                tx_ids(&everything(&app, &bank.token, &path).await),
                want,
                "{path}"
            );
        }
    }
}

#[tokio::test]
async fn scoped_lists_carry_their_own_totals_dates_and_links() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let a = bank.accounts[0];
    let path = format!(
        "/users/me/connections/{}/accounts/{a}/transactions",
        bank.connection
    );
    let b = app
        .get(&format!("{path}?limit=10"), Some(&bank.token))
        .await
        .ok();
    let all = everything(&app, &bank.token, &path).await;
    assert_eq!(b["total"], all.len());
    let dates: Vec<&str> = all
        .iter()
        .map(|t| t["application_date"].as_str().unwrap())
        .collect();
    assert_eq!(b["first_date"], *dates.iter().min().unwrap());
    assert_eq!(b["last_date"], *dates.iter().max().unwrap());
    let next = b["_links"]["next"]["href"].as_str().unwrap();
    assert!(
        next.starts_with(&format!("{}/2.0{path}?", app.base)),
        "{next}"
    );
}

#[tokio::test]
async fn an_account_of_another_connection_is_not_found_in_a_connection_scope() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let second = app
        .create_connection(
            &bank.token,
            json!({"id_connector": 41, "login": "12345678", "password": "123456"}),
        )
        .await;
    app.get(
        &format!(
            "/users/me/connections/{}/accounts/{}/transactions?limit=10",
            second["id"], bank.accounts[0]
        ),
        Some(&bank.token),
    )
    .await
    .assert_error(404, "notFound");
    for path in [
        "/users/me/accounts/999999/transactions?limit=10",
        "/users/me/accounts/abc/transactions?limit=10",
        "/users/me/connections/999999/transactions?limit=10",
    ] {
        app.get(path, Some(&bank.token))
            .await
            .assert_error(404, "notFound");
    }
}

#[tokio::test]
async fn a_deleted_or_disabled_account_scope_lists_nothing_new() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let a = bank.accounts[0];
    app.post(
        &format!("/users/me/accounts/{a}"),
        Some(&bank.token),
        json!({"disabled": true}),
    )
    .await
    .ok();
    let b = app
        .get(
            &format!("/users/me/accounts/{a}/transactions?limit=10"),
            Some(&bank.token),
        )
        .await
        .ok();
    assert_eq!(b["total"], 0);
    assert_eq!(b["transactions"], json!([]));
    assert_eq!(b["_links"]["next"], Value::Null);
    assert_eq!(b["first_date"], Value::Null);
}

#[tokio::test]
async fn another_users_transactions_are_never_visible() {
    let app = spawn_frozen().await;
    let mine = app.user_with_bank().await;
    let theirs = app.user_with_bank().await;
    let mine_all = everything(&app, &mine.token, "/users/me/transactions").await;
    let theirs_all = everything(&app, &theirs.token, "/users/me/transactions").await;
    let my_ids: BTreeSet<i64> = tx_ids(&mine_all).into_iter().collect();
    assert!(tx_ids(&theirs_all).iter().all(|id| !my_ids.contains(id)));
    let tid = theirs_all[0]["id"].as_i64().unwrap();
    let a = theirs.accounts[0];
    let c = theirs.connection;
    for user in ["me".to_string(), theirs.id_user.to_string()] {
        for path in [
            format!("/users/{user}/accounts/{a}/transactions?limit=10"),
            format!("/users/{user}/connections/{c}/transactions?limit=10"),
            format!("/users/{user}/connections/{c}/accounts/{a}/transactions?limit=10"),
            format!("/users/{user}/transactions/{tid}"),
            format!("/users/{user}/accounts/{a}/transactions/{tid}"),
        ] {
            app.get(&path, Some(&mine.token))
                .await
                .assert_error(404, "notFound");
        }
        app.post(
            &format!("/users/{user}/transactions/{tid}"),
            Some(&mine.token),
            json!({"comment": "mine now"}),
        )
        .await
        .assert_error(404, "notFound");
    }
    app.get(
        &format!("/users/{}/transactions?limit=10", theirs.id_user),
        Some(&mine.token),
    )
    .await
    .assert_error(404, "notFound");
    let t = app
        .get(
            &format!("/users/me/transactions/{tid}"),
            Some(&theirs.token),
        )
        .await
        .ok();
    assert_eq!(t["comment"], Value::Null);
}

// Single reads

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

// The control plane

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
