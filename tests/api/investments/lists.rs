//! The lists and single reads, with their aliases, filters, pages and errors.

use super::*;
use serde_json::json;

#[tokio::test]
async fn the_users_investments_are_the_lines_of_its_investment_accounts() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    let list = app.get("/users/me/investments", Some(&b.token)).await.ok();
    let lines = list["investments"].as_array().unwrap();
    assert!(lines.len() >= 6, "{list}");
    assert_eq!(list["total"], lines.len());
    let market = account_of_type(&app, &b.token, "market").await;
    let life = account_of_type(&app, &b.token, "lifeinsurance").await;
    for l in lines {
        assert!(
            l["id_account"] == market["id"] || l["id_account"] == life["id"],
            "{l}"
        );
        assert_eq!(l["code_type"], "ISIN");
        assert_eq!(l["source"], "website");
        assert_eq!(l["deleted"], Value::Null);
        assert_eq!(l["vdate"], "2026-01-15");
        assert_eq!(l["prev_vdate"], "2026-01-14");
        assert_eq!(l["last_update"], "2026-01-15 10:00:00");
        assert_eq!(l["details"], Value::Null);
        assert!(
            l["quantity"].is_number() && l["unitprice"].is_number(),
            "{l}"
        );
        assert!(dec(&l["unitvalue"]) > Decimal::ZERO);
    }
    assert_eq!(dec(&list["valuation"]), sum(lines, "valuation"));
    assert_eq!(dec(&list["diff"]), sum(lines, "diff"));
}

#[tokio::test]
async fn the_account_and_connection_aliases_list_their_own_lines() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    let all = lines(&app, &b.token, "/users/me/investments").await;
    let market = account_of_type(&app, &b.token, "market").await;
    let (a, c) = (id_of(&market), b.connection);
    let of_account = lines(
        &app,
        &b.token,
        &format!("/users/me/accounts/{a}/investments"),
    )
    .await;
    let expected: Vec<Value> = all
        .iter()
        .filter(|l| l["id_account"] == a)
        .cloned()
        .collect();
    assert_eq!(of_account, expected);
    let nested = lines(
        &app,
        &b.token,
        &format!(
            "/users/{}/connections/{c}/accounts/{a}/investments",
            b.id_user
        ),
    )
    .await;
    assert_eq!(nested, expected);
    assert_eq!(
        lines(
            &app,
            &b.token,
            &format!("/users/me/connections/{c}/investments")
        )
        .await,
        all
    );
    // A checking account holds no lines.
    let checking = id_of(&account_of_type(&app, &b.token, "checking").await);
    assert!(lines(
        &app,
        &b.token,
        &format!("/users/me/accounts/{checking}/investments")
    )
    .await
    .is_empty());
}

#[tokio::test]
async fn label_keywords_and_isin_codes_filter_the_list() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    let all = lines(&app, &b.token, "/users/me/investments").await;
    let first = &all[0];
    let code = first["code"].as_str().unwrap();
    let by_code = lines(
        &app,
        &b.token,
        &format!("/users/me/investments?code={}", code.to_lowercase()),
    )
    .await;
    assert_eq!(by_code, vec![first.clone()]);
    let word = first["label"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    let by_label = lines(
        &app,
        &b.token,
        &format!("/users/me/investments?label={}", word.to_uppercase()),
    )
    .await;
    assert!(by_label.contains(first));
    assert!(by_label.iter().all(|l| l["label"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains(&word.to_lowercase())));
    let none = app
        .get(
            "/users/me/investments?label=nothing%20like%20this",
            Some(&b.token),
        )
        .await
        .ok();
    assert_eq!(none["investments"], json!([]));
    assert_eq!(none["total"], 0);
    assert_eq!(none["valuation"], 0);
}

#[tokio::test]
async fn limit_and_offset_page_every_wealth_list() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    for (path, key) in [
        ("/users/me/investments", "investments"),
        ("/users/me/pockets", "pockets"),
        ("/users/me/marketorders", "marketorders"),
    ] {
        let whole = app.get(path, Some(&b.token)).await.ok();
        let total = whole["total"].as_i64().unwrap();
        assert!(total > 0, "{path}: {whole}");
        let walked = app.walk_offsets(&b.token, path, key, 2, total).await;
        assert_eq!(walked, ids(&whole[key]), "{path}");
        app.assert_refuses_bad_pages(&b.token, path).await;
    }
}

#[tokio::test]
async fn single_lines_orders_and_pockets_read_with_or_without_the_user() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    for (list, key, one) in [
        ("/users/me/investments", "investments", "investments"),
        ("/users/me/pockets", "pockets", "pockets"),
        ("/users/me/marketorders", "marketorders", "marketorders"),
    ] {
        let first = app.get(list, Some(&b.token)).await.ok()[key][0].clone();
        let id = id_of(&first);
        for path in [
            format!("/{one}/{id}"),
            format!("/users/me/{one}/{id}"),
            format!("/users/{}/{one}/{id}", b.id_user),
        ] {
            assert_eq!(app.get(&path, Some(&b.token)).await.ok(), first, "{path}");
        }
        app.get(&format!("/{one}/999999"), Some(&b.token))
            .await
            .assert_error(404, "notFound");
        app.get(&format!("/{one}/abc"), Some(&b.token))
            .await
            .assert_error(404, "notFound");
    }
}

#[tokio::test]
async fn another_users_wealth_is_a_404_and_never_listed() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    let (_, other) = app.permanent_user().await;
    let line = lines(&app, &b.token, "/users/me/investments").await[0].clone();
    let order =
        app.get("/users/me/marketorders", Some(&b.token)).await.ok()["marketorders"][0].clone();
    let pocket = app.get("/users/me/pockets", Some(&b.token)).await.ok()["pockets"][0].clone();
    for path in [
        format!("/investments/{}", line["id"]),
        format!("/investments/{}/history", line["id"]),
        format!("/users/me/investments/{}", line["id"]),
        format!("/users/me/investments/{}/pockets", line["id"]),
        format!("/marketorders/{}", order["id"]),
        format!("/pockets/{}", pocket["id"]),
        format!("/users/me/accounts/{}/investments", line["id_account"]),
        format!("/users/me/connections/{}/marketorders", b.connection),
        format!("/users/me/connections/{}/pockets", b.connection),
    ] {
        app.get(&path, Some(&other))
            .await
            .assert_error(404, "notFound");
    }
    app.get(&format!("/users/{}/investments", b.id_user), Some(&other))
        .await
        .assert_error(404, "notFound");
    for path in [
        "/users/me/investments",
        "/users/me/pockets",
        "/users/me/marketorders",
    ] {
        assert_eq!(app.get(path, Some(&other)).await.ok()["total"], 0, "{path}");
    }
    app.get("/users/me/investments", None)
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn the_config_token_reads_any_users_line_by_id() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    let line = lines(&app, &b.token, "/users/me/investments").await[0].clone();
    let r = app
        .get(&format!("/investments/{}", line["id"]), Some(CONFIG_TOKEN))
        .await
        .ok();
    assert_eq!(r, line);
    let listed = app
        .get(
            &format!("/users/{}/investments", b.id_user),
            Some(CONFIG_TOKEN),
        )
        .await
        .ok();
    assert_eq!(listed["investments"][0], line);
}

#[tokio::test]
async fn the_pockets_of_a_line_are_listed_under_it_and_its_account() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    let life = id_of(&account_of_type(&app, &b.token, "lifeinsurance").await);
    let all = app.get("/users/me/pockets", Some(&b.token)).await.ok()["pockets"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        all.iter().all(|p| p["id_account"] == life),
        "only life insurance has pockets"
    );
    let of_account = app
        .get(
            &format!("/users/me/accounts/{life}/pockets"),
            Some(&b.token),
        )
        .await
        .ok();
    assert_eq!(of_account["pockets"].as_array().unwrap(), &all);
    for line in lines(
        &app,
        &b.token,
        &format!("/users/me/accounts/{life}/investments"),
    )
    .await
    {
        let under = app
            .get(
                &format!("/users/me/investments/{}/pockets", line["id"]),
                Some(&b.token),
            )
            .await
            .ok();
        let expected: Vec<&Value> = all
            .iter()
            .filter(|p| p["id_investment"] == line["id"])
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(
            under["pockets"]
                .as_array()
                .unwrap()
                .iter()
                .collect::<Vec<_>>(),
            expected
        );
        for p in under["pockets"].as_array().unwrap() {
            let cond = p["condition"].as_str().unwrap();
            assert!(["available", "date", "retirement"].contains(&cond), "{p}");
            assert_eq!(p["availability_date"].is_null(), cond != "date", "{p}");
        }
    }
}

#[tokio::test]
async fn a_bad_flag_or_unknown_line_answers_the_powens_error_body() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    app.get("/users/me/investments?all=maybe", Some(&b.token))
        .await
        .assert_error(400, "invalidValue");
    app.get("/users/me/investments/77777/pockets", Some(&b.token))
        .await
        .assert_error(404, "notFound");
    app.get("/users/me/accounts/77777/marketorders", Some(&b.token))
        .await
        .assert_error(404, "notFound");
    app.get("/users/me/connections/x/investments", Some(&b.token))
        .await
        .assert_error(404, "notFound");
}
