//! The limit parameter, users without an enabled account, and the list envelope with its links.

use super::*;

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
        r.assert_error_about(400, "missingParameter", "limit");
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
