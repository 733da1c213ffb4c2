//! Deleted transactions, last_update, and the scopes and aliases of the lists.

use super::*;

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
    r.assert_error_about(400, "invalidValue", "last_update");
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
