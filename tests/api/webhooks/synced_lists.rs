//! What CONNECTION_SYNCED and ACCOUNTS_FETCHED list: "the activated bank accounts /
//! connection sources that were synced", each account with what the sync found new, and the
//! documented keys present even while empty.

use super::*;

/// A connection whose accounts are all enabled but the first, with its second source
/// disabled, synced once more ten days on. Returns the connection, the enabled accounts and
/// the enabled source.
async fn partly_enabled(app: &TestApp) -> (i64, Vec<i64>, i64) {
    let (_, token) = app.permanent_user().await;
    let c = app.create_connection(&token, par()).await;
    let connection = c["id"].as_i64().unwrap();
    let accounts = ids(&Value::Array(app.all_accounts(&token).await));
    assert!(
        accounts.len() > 1,
        "the test connector has several accounts"
    );
    let enabled = accounts[1..].to_vec();
    app.enable_accounts(&token, &enabled).await;
    let base = format!("/users/me/connections/{connection}/sources");
    let sources = ids(&app.get(&base, Some(&token)).await.ok()["sources"]);
    assert_eq!(sources.len(), 2, "the test connector has two sources");
    app.post(
        &format!("{base}/{}", sources[1]),
        Some(&token),
        json!({"disabled": true}),
    )
    .await
    .ok();
    app.advance_clock("10d").await;
    app.sync_connection(&token, connection).await;
    settle(app).await;
    (connection, enabled, sources[0])
}

/// The last hit of `event` for `connection`.
fn last_of(hits: &[Hit], event: &str, connection: i64) -> Value {
    of_event(hits, event)
        .into_iter()
        .rev()
        .find(|h| h.json["connection"]["id"] == connection)
        .unwrap_or_else(|| panic!("no {event} for connection {connection}"))
        .json
        .clone()
}

#[tokio::test]
async fn the_first_sync_after_discovery_lists_no_account() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let (_, token) = app.permanent_user().await;
    let c = app.create_connection(&token, par()).await;
    let connection = c["id"].as_i64().unwrap();
    settle(&app).await;
    let hits = receiver.hits();
    assert!(
        !of_event(&hits, "ACCOUNT_FOUND").is_empty(),
        "accounts found"
    );
    for event in ["ACCOUNTS_FETCHED", "CONNECTION_SYNCED"] {
        let p = last_of(&hits, event, connection);
        assert_eq!(p["connection"]["accounts"], json!([]), "{event}: {p}");
    }
}

#[tokio::test]
async fn a_disabled_account_and_a_disabled_source_are_left_out_of_the_sync_events() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let (connection, enabled, source) = partly_enabled(&app).await;
    let hits = receiver.hits();
    for event in ["ACCOUNTS_FETCHED", "CONNECTION_SYNCED"] {
        let c = &last_of(&hits, event, connection)["connection"];
        assert_eq!(
            ids(&c["accounts"]),
            enabled,
            "{event}: only the enabled accounts"
        );
        assert!(
            c["accounts"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| a["disabled"].is_null()),
            "{event}: {c}"
        );
        assert_eq!(
            ids(&c["sources"]),
            vec![source],
            "{event}: only the enabled source"
        );
    }
}

#[tokio::test]
async fn connection_synced_carries_each_account_s_new_transactions_and_the_documented_empty_lists()
{
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let (connection, enabled, _) = partly_enabled(&app).await;
    let hits = receiver.hits();
    let c = &last_of(&hits, "CONNECTION_SYNCED", connection)["connection"];
    assert_eq!(c["subscriptions"], json!([]), "{c}");
    let mut carried = 0;
    for a in c["accounts"].as_array().unwrap() {
        // No line is new ten days after the first fetch; a brokerage account may have
        // passed orders since, every other account none.
        assert_eq!(a["investments"], json!([]), "{a}");
        if a["type"] != "market" && a["type"] != "pea" {
            assert_eq!(a["market_orders"], json!([]), "{a}");
        }
        let id = a["id"].as_i64().unwrap();
        // The same transactions as the account's own ACCOUNT_SYNCED of this sync.
        let own = of_event(&hits, "ACCOUNT_SYNCED")
            .into_iter()
            .rev()
            .find(|h| h.json["id"] == id)
            .expect("an ACCOUNT_SYNCED")
            .json
            .clone();
        assert_eq!(a["transactions"], own["transactions"], "account {id}");
        carried += a["transactions"].as_array().unwrap().len();
    }
    assert!(carried > 0, "ten days bring transactions");
    // ACCOUNTS_FETCHED comes before the transactions are processed.
    let fetched = &last_of(&hits, "ACCOUNTS_FETCHED", connection)["connection"];
    assert_eq!(ids(&fetched["accounts"]), enabled);
    assert!(
        fetched["accounts"][0].get("transactions").is_none(),
        "{fetched}"
    );
}
