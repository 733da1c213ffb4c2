//! Disabling an account deletes its wealth, deleting the connection removes it all, and the
//! webhooks of a sync carry the new lines (with their pockets) and orders.

use super::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_disabled_account_has_no_lines_pockets_or_orders_until_enabled_again() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    let life = id_of(&account_of_type(&app, &b.token, "lifeinsurance").await);
    let market = id_of(&account_of_type(&app, &b.token, "market").await);
    let before = lines(&app, &b.token, "/users/me/investments").await;
    for a in [life, market] {
        app.post(
            &format!("/users/me/accounts/{a}"),
            Some(&b.token),
            json!({"disabled": true}),
        )
        .await
        .ok();
    }
    for p in [
        "/users/me/investments?all",
        "/users/me/pockets?all",
        "/users/me/marketorders?all",
    ] {
        assert_eq!(app.get(p, Some(&b.token)).await.ok()["total"], 0, "{p}");
    }
    app.get(&format!("/investments/{}", before[0]["id"]), Some(&b.token))
        .await
        .assert_error(404, "notFound");
    app.enable_accounts(&b.token, &[life, market]).await;
    let again = lines(&app, &b.token, "/users/me/investments").await;
    assert_eq!(again.len(), before.len());
    assert!(
        id_of(&again[0]) > id_of(before.last().unwrap()),
        "new lines"
    );
}

#[tokio::test]
async fn deleting_the_connection_removes_its_wealth() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    let line = lines(&app, &b.token, "/users/me/investments").await[0].clone();
    app.delete(
        &format!("/users/me/connections/{}", b.connection),
        Some(&b.token),
    )
    .await;
    for p in [
        "/users/me/investments?all",
        "/users/me/pockets?all",
        "/users/me/marketorders?all",
    ] {
        assert_eq!(app.get(p, Some(&b.token)).await.ok()["total"], 0, "{p}");
    }
    app.get(&format!("/investments/{}", line["id"]), Some(&b.token))
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn an_investment_account_gone_at_the_bank_hides_its_lines_but_all_shows_them() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    let market = account_of_type(&app, &b.token, "market").await;
    let count = lines(
        &app,
        &b.token,
        &format!("/users/me/accounts/{}/investments", market["id"]),
    )
    .await
    .len();
    let r = app
        .control(
            Method::DELETE,
            &format!(
                "/sandbox/connections/{}/bank/accounts/{}",
                b.connection,
                market["webid"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text);
    app.sync_connection(&b.token, b.connection).await;
    let shown = lines(
        &app,
        &b.token,
        &format!("/users/me/accounts/{}/investments", market["id"]),
    )
    .await;
    assert!(shown.is_empty());
    let all = lines(
        &app,
        &b.token,
        &format!("/users/me/accounts/{}/investments?all", market["id"]),
    )
    .await;
    assert_eq!(all.len(), count);
}

#[tokio::test]
async fn the_webhooks_carry_the_new_lines_with_their_pockets_and_the_new_orders() {
    let app = spawn_frozen().await;
    app.subscribe_sink().await;
    let b = app.user_with_bank().await;
    // Enabling fetched the lines: ACCOUNT_SYNCED carries them, with their pockets.
    let life = id_of(&account_of_type(&app, &b.token, "lifeinsurance").await);
    let synced = app
        .queued("ACCOUNT_SYNCED")
        .await
        .into_iter()
        .find(|p| p["id"] == life)
        .expect("ACCOUNT_SYNCED of the life insurance");
    let carried = synced["investments"].as_array().unwrap();
    let listed = lines(
        &app,
        &b.token,
        &format!("/users/me/accounts/{life}/investments"),
    )
    .await;
    assert_eq!(carried.len(), listed.len());
    for (c, l) in carried.iter().zip(&listed) {
        let mut without = c.clone();
        without.as_object_mut().unwrap().remove("pockets");
        assert_eq!(&without, l);
        let pockets = app
            .get(
                &format!("/users/me/investments/{}/pockets", l["id"]),
                Some(&b.token),
            )
            .await
            .ok();
        assert_eq!(c["pockets"], pockets["pockets"]);
    }
    // A later sync finds no line new, but the orders passed since.
    advance(&app, "30d").await;
    app.sync_connection(&b.token, b.connection).await;
    let last = app
        .queued("CONNECTION_SYNCED")
        .await
        .pop()
        .expect("CONNECTION_SYNCED");
    let market = id_of(&account_of_type(&app, &b.token, "market").await);
    let accounts = last["connection"]["accounts"].as_array().unwrap();
    let a = accounts.iter().find(|a| a["id"] == market).unwrap();
    assert_eq!(a["investments"], json!([]));
    let orders = a["market_orders"].as_array().unwrap();
    assert!(!orders.is_empty(), "a month brings orders: {a}");
    for o in orders {
        let now = app
            .get(&format!("/marketorders/{}", o["id"]), Some(&b.token))
            .await
            .ok();
        assert_eq!(&now, o);
    }
    let life_synced = app
        .queued("ACCOUNT_SYNCED")
        .await
        .into_iter()
        .rev()
        .find(|p| p["id"] == life)
        .unwrap();
    assert_eq!(life_synced["investments"], json!([]), "no line is new");
}
