//! The simulated banks and the lifecycle across resources: deterministic ledgers (same
//! inputs, same bytes, whatever the order of requests), history depth, a ledger that grows
//! with the sandbox clock, and the hard delete of a connection with everything under it.

use crate::common::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A transaction as the bank defines it: everything but the aggregator's ids and timestamps.
fn bank_view(t: &Value) -> Value {
    let mut v = t.clone();
    let m = v.as_object_mut().unwrap();
    for k in ["id", "id_account", "date_scraped", "last_update"] {
        m.remove(k);
    }
    v
}

/// Every transaction of the user keyed by its bank id (`webid`), as the bank defines it.
async fn ledger(app: &TestApp, token: &str) -> BTreeMap<String, Value> {
    app.walk_transactions(token, "/users/me/transactions?limit=1000")
        .await
        .iter()
        .map(|t| (t["webid"].as_str().unwrap().to_string(), bank_view(t)))
        .collect()
}

/// The accounts of the user keyed by type, without the aggregator's ids.
async fn accounts_by_type(app: &TestApp, token: &str) -> BTreeMap<String, Value> {
    app.all_accounts(token)
        .await
        .into_iter()
        .map(|mut a| {
            let kind = a["type"].as_str().unwrap().to_string();
            let m = a.as_object_mut().unwrap();
            for k in ["id", "id_user", "id_connection", "id_source"] {
                m.remove(k);
            }
            (kind, a)
        })
        .collect()
}

// Determinism

/// The bodies a fixed script of requests gets from a fresh server, with the server's own
/// address replaced so two servers can be compared.
async fn script(app: &TestApp) -> Vec<String> {
    let mut out = Vec::new();
    let (_, token) = app.permanent_user().await;
    let t = Some(token.as_str());
    let mut keep = |r: Reply| {
        assert!(r.status.is_success(), "{} {}", r.status, r.text);
        out.push(r.text.replace(&app.base, "BASE"));
    };
    keep(
        app.post(
            "/users/me/connections?expand=sources,all_accounts",
            t,
            test_connector_credentials(),
        )
        .await,
    );
    keep(app.get("/users/me/accounts?all", t).await);
    keep(
        app.post(
            "/users/me/accounts/1,2,3,4,5,6,7?all",
            t,
            json!({"disabled": false}),
        )
        .await,
    );
    keep(
        app.post("/users/me/connections", t, hermeline("12345678", "123456"))
            .await,
    );
    keep(
        app.post(
            "/users/me/accounts/8,9,10,11,12,13?all",
            t,
            json!({"disabled": false}),
        )
        .await,
    );
    keep(
        app.get(
            "/users/me/connections?expand=accounts,all_accounts,sources,connector",
            t,
        )
        .await,
    );
    keep(app.get("/users/me/connections/1", t).await);
    keep(
        app.put("/users/me/connections/1?psu_requested=false", t, None)
            .await,
    );
    keep(app.get("/users/me/accounts", t).await);
    for id in 1..=13 {
        keep(app.get(&format!("/users/me/accounts/{id}"), t).await);
    }
    keep(app.get("/users/me/connections/1/accounts", t).await);
    let mut next = Some("/users/me/transactions?limit=250".to_string());
    while let Some(url) = next {
        let r = app.get(&url, t).await;
        next = r.body["_links"]["next"]["href"].as_str().map(str::to_owned);
        keep(r);
    }
    keep(
        app.get(
            "/users/me/transactions?limit=100&min_date=2025-06&max_date=2025-07&filter=date",
            t,
        )
        .await,
    );
    keep(
        app.get("/users/me/accounts/3/transactions?limit=1000", t)
            .await,
    );
    keep(
        app.get("/users/me/connections/2/transactions?limit=1000", t)
            .await,
    );
    keep(app.get("/users/me/transactions/42", t).await);
    keep(app.get("/users/me/connections/1/logs", t).await);
    keep(app.get("/users/me/connections/1/sources", t).await);
    out
}

#[tokio::test]
async fn two_fresh_servers_answer_the_same_bytes_to_the_same_requests() {
    let start = |c: &mut powens_sandbox::config::Config| c.clock_start = Some(CLOCK_START.into());
    let first = spawn_with(start).await;
    let second = spawn_with(start).await;
    let a = script(&first).await;
    let b = script(&second).await;
    assert_eq!(a.len(), b.len());
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_eq!(x, y, "response #{i} differs");
    }
    assert!(
        a.iter().map(String::len).sum::<usize>() > 100_000,
        "real data"
    );
}

#[tokio::test]
async fn the_same_login_gets_the_same_bank_whatever_the_order_of_requests() {
    let app = spawn_frozen().await;
    // One PSU enables its accounts one by one, in order.
    let (_, first) = app.permanent_user().await;
    app.create_connection(&first, test_connector_credentials())
        .await;
    for a in app.all_accounts(&first).await {
        app.enable_accounts(&first, &[a["id"].as_i64().unwrap()])
            .await;
    }
    // The same PSU login elsewhere syncs first, then enables them all at once, in reverse.
    let (_, second) = app.permanent_user().await;
    let c = app
        .create_connection(&second, test_connector_credentials())
        .await;
    app.sync_connection(&second, c["id"].as_i64().unwrap())
        .await;
    let mut ids: Vec<i64> = app
        .all_accounts(&second)
        .await
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    ids.reverse();
    app.enable_accounts(&second, &ids).await;
    assert_eq!(
        accounts_by_type(&app, &first).await,
        accounts_by_type(&app, &second).await
    );
    let a = ledger(&app, &first).await;
    assert!(a.len() > 500, "{}", a.len());
    assert_eq!(a, ledger(&app, &second).await);
}

#[tokio::test]
async fn another_login_gets_another_bank() {
    let app = spawn_frozen().await;
    let (_, first) = app.permanent_user().await;
    app.create_connection(&first, test_connector_credentials())
        .await;
    app.enable_all_accounts(&first).await;
    let (_, second) = app.permanent_user().await;
    let mut body = test_connector_credentials();
    body["login"] = json!("autre.identifiant");
    app.create_connection(&second, body).await;
    app.enable_all_accounts(&second).await;
    let a = accounts_by_type(&app, &first).await;
    let b = accounts_by_type(&app, &second).await;
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same account types"
    );
    assert_ne!(a["checking"]["number"], b["checking"]["number"]);
    assert_ne!(a["checking"]["iban"], b["checking"]["iban"]);
    assert_ne!(a["checking"]["balance"], b["checking"]["balance"]);
    assert_ne!(ledger(&app, &first).await, ledger(&app, &second).await);
}

#[tokio::test]
async fn another_sandbox_seed_gives_another_bank() {
    let default_seed = spawn_frozen().await;
    let other_seed = spawn_with(|c| {
        c.clock_start = Some(CLOCK_START.into());
        c.seed = c.seed.wrapping_add(1);
    })
    .await;
    let mut numbers = Vec::new();
    for app in [&default_seed, &other_seed] {
        let (_, token) = app.permanent_user().await;
        app.create_connection(&token, test_connector_credentials())
            .await;
        app.enable_all_accounts(&token).await;
        let accounts = accounts_by_type(app, &token).await;
        numbers.push((
            accounts["checking"]["number"].clone(),
            accounts["checking"]["balance"].clone(),
        ));
    }
    assert_ne!(numbers[0], numbers[1]);
}

// History depth

#[tokio::test]
async fn the_connector_sets_the_history_depth() {
    let app = spawn_frozen().await;
    for (body, earliest) in [
        (test_connector_credentials(), "2025-01-15"),
        (
            json!({"id_connector": 44, "login": "12345678", "password": "123456"}),
            "2024-01-15",
        ),
    ] {
        let (_, token) = app.permanent_user().await;
        app.create_connection(&token, body).await;
        let checking = app
            .all_accounts(&token)
            .await
            .into_iter()
            .find(|a| a["type"] == "checking")
            .unwrap();
        let id = checking["id"].as_i64().unwrap();
        app.enable_accounts(&token, &[id]).await;
        let b = app
            .get(
                &format!("/users/me/accounts/{id}/transactions?limit=1&filter=date"),
                Some(&token),
            )
            .await
            .ok();
        let first = b["first_date"].as_str().unwrap();
        assert!(first >= earliest, "{first} >= {earliest}");
        // A few days of slack: a checking account has something almost every day.
        let slack =
            chrono::NaiveDate::parse_from_str(earliest, "%Y-%m-%d").unwrap() + chrono::Days::new(5);
        assert!(
            first <= slack.to_string().as_str(),
            "{first} near {earliest}"
        );
        let orders = app
            .get(
                &format!("/users/me/accounts/{id}/transactions?limit=1000&max_date={earliest}&filter=date"),
                Some(&token),
            )
            .await
            .ok();
        for t in orders["transactions"].as_array().unwrap() {
            assert!(t["rdate"].as_str().unwrap() >= earliest, "{t}");
        }
    }
}

// A ledger that grows with the clock (control plane)

#[tokio::test]
async fn a_sync_thirty_days_later_brings_thirty_days_of_new_transactions() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let before = ledger(&app, &bank.token).await;
    let clock = app.advance_clock("30d").await;
    assert_eq!(clock["now"], "2026-02-14 10:00:00", "{clock}");
    let c = app.sync_connection(&bank.token, bank.connection).await;
    assert_eq!(c["last_update"], "2026-02-14 10:00:00");
    assert_eq!(c["next_try"], "2026-02-15 10:00:00");
    let after = ledger(&app, &bank.token).await;
    let new: Vec<&Value> = after
        .iter()
        .filter(|(k, _)| !before.contains_key(*k))
        .map(|(_, v)| v)
        .collect();
    assert!(new.len() > 40, "about a month of activity: {}", new.len());
    for t in &new {
        let rdate = t["rdate"].as_str().unwrap();
        assert!(
            ("2026-01-15"..="2026-02-14").contains(&rdate),
            "happened since the last sync: {t}"
        );
    }
    // Salary on the 28th, rent on the 5th: both months' worth arrived.
    assert!(new
        .iter()
        .any(|t| t["original_wording"].as_str().unwrap().contains("SALAIRE")));
    assert!(new
        .iter()
        .any(|t| t["original_wording"].as_str().unwrap().contains("LOYER")));
    for a in app.all_accounts(&bank.token).await {
        assert_eq!(a["last_update"], "2026-02-14 10:00:00", "{a}");
    }
    let logs = app
        .get(
            &format!("/users/me/connections/{}/logs", bank.connection),
            Some(&bank.token),
        )
        .await
        .ok();
    assert_eq!(logs["total"], 2);
    assert_eq!(logs["last_date"], "2026-02-14 10:00:00");
}

#[tokio::test]
async fn syncing_often_or_once_gives_the_same_ledger() {
    let often = spawn_frozen().await;
    let once = spawn_frozen().await;
    let a = often.user_with_bank().await;
    let b = once.user_with_bank().await;
    for step in ["3d", "36h", "9d", "12h", "90m"] {
        often.advance_clock(step).await;
        often.sync_connection(&a.token, a.connection).await;
    }
    let now = once.advance_clock("14d").await;
    once.advance_clock("90m").await;
    assert_eq!(now["now"], "2026-01-29 10:00:00");
    once.sync_connection(&b.token, b.connection).await;
    // When a transaction was first seen depends on the syncs, not on the bank: the bank's
    // view leaves it out.
    let left = ledger(&often, &a.token).await;
    let right = ledger(&once, &b.token).await;
    assert!(left.len() > 900);
    assert_eq!(
        left.keys().collect::<Vec<_>>(),
        right.keys().collect::<Vec<_>>()
    );
    assert_eq!(left, right);
    let balances = |accounts: BTreeMap<String, Value>| -> Vec<(String, Value, Value)> {
        accounts
            .into_iter()
            .map(|(k, a)| (k, a["balance"].clone(), a["coming"].clone()))
            .collect()
    };
    assert_eq!(
        balances(accounts_by_type(&often, &a.token).await),
        balances(accounts_by_type(&once, &b.token).await)
    );
}

#[tokio::test]
async fn balances_move_exactly_by_the_transactions_a_sync_brings() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let savings = app
        .all_accounts(&bank.token)
        .await
        .into_iter()
        .find(|a| a["type"] == "savings")
        .unwrap();
    let id = savings["id"].as_i64().unwrap();
    let path = format!("/users/me/accounts/{id}/transactions?limit=1000");
    let before: Vec<i64> = app
        .walk_transactions(&bank.token, &path)
        .await
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    app.advance_clock("60d").await;
    app.sync_connection(&bank.token, bank.connection).await;
    let brought: Decimal = app
        .walk_transactions(&bank.token, &path)
        .await
        .iter()
        .filter(|t| !before.contains(&t["id"].as_i64().unwrap()))
        .map(|t| dec(&t["value"]))
        .sum();
    let after = app
        .get(&format!("/users/me/accounts/{id}"), Some(&bank.token))
        .await
        .ok();
    assert_ne!(brought, Decimal::ZERO, "a standing order every month");
    assert_eq!(dec(&after["balance"]) - dec(&savings["balance"]), brought);
}

// Hard delete of a connection

#[tokio::test]
async fn deleting_a_connection_leaves_nothing_of_it_behind() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let t = Some(bank.token.as_str());
    let kept = app
        .create_connection(&bank.token, hermeline("12345678", "123456"))
        .await;
    let kept_id = kept["id"].as_i64().unwrap();
    let kept_accounts = app.enable_all_accounts(&bank.token).await;
    let kept_accounts: Vec<i64> = kept_accounts
        .into_iter()
        .filter(|a| !bank.accounts.contains(a))
        .collect();
    let c = bank.connection;
    let sources = app
        .get(&format!("/users/me/connections/{c}/sources"), t)
        .await
        .ok();
    let sid = sources["sources"][0]["id"].as_i64().unwrap();
    let gone_tx = app
        .get(
            &format!("/users/me/connections/{c}/transactions?limit=5"),
            t,
        )
        .await
        .ok();
    let gone_tx: Vec<i64> = gone_tx["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_i64().unwrap())
        .collect();
    let kept_total = app
        .get(
            &format!("/users/me/connections/{kept_id}/transactions?limit=1"),
            t,
        )
        .await
        .ok()["total"]
        .clone();
    let user_total = app.get("/users/me/transactions?limit=1", t).await.ok()["total"]
        .as_i64()
        .unwrap();
    assert!(user_total > kept_total.as_i64().unwrap());

    let r = app.delete(&format!("/users/me/connections/{c}"), t).await;
    assert_eq!(r.status, 204, "{}", r.text);

    // The connection and everything under it is gone.
    for path in [
        format!("/users/me/connections/{c}"),
        format!("/users/me/connections/{c}/sources"),
        format!("/users/me/connections/{c}/sources/{sid}?all"),
        format!("/users/me/connections/{c}/logs"),
        format!("/users/me/connections/{c}/accounts?all"),
        format!("/users/me/connections/{c}/transactions?limit=10"),
    ] {
        app.get(&path, t).await.assert_error(404, "notFound");
    }
    for a in &bank.accounts {
        for path in [
            format!("/users/me/accounts/{a}"),
            format!("/users/me/accounts/{a}?all"),
            format!("/users/me/accounts/{a}/transactions?limit=10"),
        ] {
            app.get(&path, t).await.assert_error(404, "notFound");
        }
        app.post(
            &format!("/users/me/accounts/{a}?all"),
            t,
            json!({"disabled": false}),
        )
        .await
        .assert_error(404, "notFound");
    }
    for id in &gone_tx {
        app.get(&format!("/users/me/transactions/{id}"), t)
            .await
            .assert_error(404, "notFound");
    }
    // The user's totals drop to what the other connection holds.
    let list = app.get("/users/me/connections", t).await.ok();
    assert_eq!(list["total"], 1);
    assert_eq!(list["connections"][0]["id"], kept_id);
    let accounts = app.get("/users/me/accounts?all", t).await.ok();
    let ids: Vec<i64> = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, kept_accounts);
    let sum: Decimal = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| dec(&a["balance"]))
        .sum();
    assert_eq!(dec(&accounts["balance"]), sum);
    let after = app.get("/users/me/transactions?limit=1", t).await.ok();
    assert_eq!(after["total"], kept_total);
    for tx in app
        .walk_transactions(&bank.token, "/users/me/transactions?limit=1000&all")
        .await
    {
        assert!(
            kept_accounts.contains(&tx["id_account"].as_i64().unwrap()),
            "{tx}"
        );
    }
    // The other connection is untouched.
    let logs = app
        .get(&format!("/users/me/connections/{kept_id}/logs"), t)
        .await
        .ok();
    assert_eq!(logs["total"], 1);
}

#[tokio::test]
async fn deleting_the_last_connection_leaves_no_account_at_all() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let t = Some(bank.token.as_str());
    app.delete(&format!("/users/me/connections/{}", bank.connection), t)
        .await;
    let accounts = app.get("/users/me/accounts?all", t).await.ok();
    assert_eq!(accounts["total"], 0);
    assert_eq!(accounts["accounts"], json!([]));
    assert_eq!(accounts["balance"], 0);
    assert_eq!(accounts["balances"], json!({}));
    app.get("/users/me/transactions?limit=10", t)
        .await
        .assert_error(409, "noAccount");
}

#[tokio::test]
async fn a_connection_created_again_after_deletion_starts_afresh() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let t = Some(bank.token.as_str());
    app.delete(&format!("/users/me/connections/{}", bank.connection), t)
        .await;
    let c = app
        .create_connection(&bank.token, test_connector_credentials())
        .await;
    assert_ne!(c["id"], bank.connection);
    let accounts = app.all_accounts(&bank.token).await;
    assert_eq!(accounts.len(), 7);
    for a in &accounts {
        assert!(!bank.accounts.contains(&a["id"].as_i64().unwrap()));
        assert_eq!(a["disabled"], CLOCK_START, "discovered again, disabled");
    }
    let logs = app
        .get(&format!("/users/me/connections/{}/logs", c["id"]), t)
        .await
        .ok();
    assert_eq!(
        logs["total"], 1,
        "the old logs went with the old connection"
    );
}

#[tokio::test]
async fn deleting_one_users_connection_leaves_other_users_alone() {
    let app = spawn_frozen().await;
    let mine = app.user_with_bank().await;
    let theirs = app.user_with_bank().await;
    let before = app
        .get("/users/me/transactions?limit=1", Some(&theirs.token))
        .await
        .ok();
    app.delete(
        &format!("/users/me/connections/{}", mine.connection),
        Some(&mine.token),
    )
    .await;
    let after = app
        .get("/users/me/transactions?limit=1", Some(&theirs.token))
        .await
        .ok();
    assert_eq!(after["total"], before["total"]);
    assert_eq!(app.all_accounts(&theirs.token).await.len(), 7);
}
