//! Powens' time zone: the zone-less DateTimes the API writes and reads are Europe/Paris local
//! time (or `--timezone`'s zone), the transaction fields documented as UTC stay UTC, and the
//! control plane speaks the same zone as the API.

use crate::common::*;
use serde_json::{json, Value};

/// The same instant, 2026-01-15 09:00:00 UTC, on a Paris server and on a UTC one.
const WINTER_PARIS: &str = "2026-01-15 10:00:00";
const WINTER_UTC: &str = "2026-01-15 09:00:00";
/// 2026-07-15 08:00:00 UTC.
const SUMMER_PARIS: &str = "2026-07-15 10:00:00";
const SUMMER_UTC: &str = "2026-07-15 08:00:00";

/// A user with a synced test-connector connection (accounts enabled) and what the API shows.
struct Seen {
    connection: Value,
    source: Value,
    transactions: Vec<Value>,
}

async fn sync_a_user(app: &TestApp) -> Seen {
    let bank = app.user_with_bank().await;
    let connection = app
        .get(
            &format!("/users/me/connections/{}?expand=sources", bank.connection),
            Some(&bank.token),
        )
        .await
        .ok();
    let source = connection["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| !s["access_expire"].is_null())
        .expect("a PSD2 source")
        .clone();
    let transactions = app
        .walk_transactions(&bank.token, "/users/me/transactions?limit=500")
        .await;
    assert!(!transactions.is_empty());
    Seen {
        connection,
        source,
        transactions,
    }
}

/// The UTC fields of every transaction, in order.
fn utc_fields(txs: &[Value]) -> Vec<[Value; 4]> {
    txs.iter()
        .map(|t| {
            [
                t["datetime"].clone(),
                t["rdatetime"].clone(),
                t["vdatetime"].clone(),
                t["bdatetime"].clone(),
            ]
        })
        .collect()
}

#[tokio::test]
async fn a_winter_sandbox_writes_paris_time_one_hour_ahead_of_utc() {
    let paris = spawn_in_zone("Europe/Paris", WINTER_PARIS).await;
    let utc = spawn_in_zone("UTC", WINTER_UTC).await;
    assert_eq!(paris.sandbox_now().await, WINTER_PARIS);
    assert_eq!(utc.sandbox_now().await, WINTER_UTC);
    let p = sync_a_user(&paris).await;
    let u = sync_a_user(&utc).await;
    for (k, paris_value, utc_value) in [
        ("last_update", WINTER_PARIS, WINTER_UTC),
        ("created", WINTER_PARIS, WINTER_UTC),
    ] {
        assert_eq!(p.connection[k], paris_value, "connection {k}");
        assert_eq!(u.connection[k], utc_value, "connection {k}");
        assert_eq!(p.source[k], paris_value, "source {k}");
        assert_eq!(u.source[k], utc_value, "source {k}");
    }
    // Consent runs 180 days: it ends in summer time, two hours ahead of UTC.
    assert_eq!(p.source["access_expire"], "2026-07-14 11:00:00");
    assert_eq!(u.source["access_expire"], "2026-07-14 09:00:00");
    assert_eq!(p.transactions.len(), u.transactions.len());
    assert_eq!(p.transactions[0]["date_scraped"], WINTER_PARIS);
    assert_eq!(u.transactions[0]["date_scraped"], WINTER_UTC);
    assert_eq!(p.transactions[0]["last_update"], WINTER_PARIS);
}

#[tokio::test]
async fn the_transaction_fields_documented_as_utc_stay_utc_in_any_zone() {
    let paris = spawn_in_zone("Europe/Paris", SUMMER_PARIS).await;
    let utc = spawn_in_zone("UTC", SUMMER_UTC).await;
    let p = sync_a_user(&paris).await;
    let u = sync_a_user(&utc).await;
    assert_eq!(p.connection["last_update"], SUMMER_PARIS);
    assert_eq!(u.connection["last_update"], SUMMER_UTC);
    let fields = utc_fields(&p.transactions);
    assert!(
        fields.iter().any(|f| f[1].is_string()),
        "some transaction carries an rdatetime"
    );
    assert_eq!(fields, utc_fields(&u.transactions));
    assert_eq!(p.transactions[0]["date_scraped"], SUMMER_PARIS);
    assert_eq!(u.transactions[0]["date_scraped"], SUMMER_UTC);
}

#[tokio::test]
async fn a_last_update_filter_is_read_in_the_api_zone() {
    let app = spawn_in_zone("Europe/Paris", WINTER_PARIS).await;
    let bank = app.user_with_bank().await;
    let count = |b: Value| b["total"].as_i64().unwrap();
    let all = count(
        app.get("/users/me/transactions?limit=1", Some(&bank.token))
            .await
            .ok(),
    );
    assert!(all > 0);
    // Synced at 10:00 Paris time (09:00 UTC): 09:30 local is before, 10:30 local after.
    let since = |t: &str| {
        format!(
            "/users/me/transactions?limit=1&last_update={}",
            query_value(t)
        )
    };
    let before = app
        .get(&since("2026-01-15 09:30:00"), Some(&bank.token))
        .await
        .ok();
    assert_eq!(count(before), all);
    let after = app
        .get(&since("2026-01-15 10:30:00"), Some(&bank.token))
        .await
        .ok();
    assert_eq!(count(after), 0);
    // A day alone is that day's local midnight.
    let day = app.get(&since("2026-01-15"), Some(&bank.token)).await.ok();
    assert_eq!(count(day), all);
}

#[tokio::test]
async fn expire_is_given_and_shown_in_the_api_zone() {
    let paris = spawn_in_zone("Europe/Paris", WINTER_PARIS).await;
    let bank = paris.user_with_bank().await;
    let c = paris
        .post(
            &format!("/users/me/connections/{}", bank.connection),
            Some(&bank.token),
            json!({"expire": "2026-08-01 12:00:00"}),
        )
        .await
        .ok();
    assert_eq!(c["expire"], "2026-08-01 12:00:00");
    let again = paris.connection_of(&bank.token, bank.connection).await;
    assert_eq!(again["expire"], "2026-08-01 12:00:00");
}

#[tokio::test]
async fn the_clock_is_set_and_shown_in_the_api_zone_across_dst_changes() {
    let app = spawn_in_zone("Europe/Paris", WINTER_PARIS).await;
    let set = |t: &str| json!({"set": t});
    let now = |b: Value| b["now"].as_str().unwrap().to_string();
    // Spring forward: 02:00 becomes 03:00, so an hour after 01:30 is 03:30.
    let b = app
        .sandbox_post("/sandbox/clock", set("2026-03-29 01:30:00"))
        .await
        .ok();
    assert_eq!(now(b), "2026-03-29 01:30:00");
    assert_eq!(advance(&app, "1h").await, "2026-03-29 03:30:00");
    // Fall back: the hour from 02:00 to 03:00 is lived twice.
    app.sandbox_post("/sandbox/clock", set("2026-10-25 01:30:00"))
        .await
        .ok();
    assert_eq!(advance(&app, "1h").await, "2026-10-25 02:30:00");
    assert_eq!(advance(&app, "1h").await, "2026-10-25 02:30:00");
    assert_eq!(advance(&app, "1h").await, "2026-10-25 03:30:00");
    assert_eq!(app.sandbox_now().await, "2026-10-25 03:30:00");
}

#[tokio::test]
async fn a_time_in_the_spring_forward_gap_is_read_an_hour_later() {
    let app = spawn_in_zone("Europe/Paris", WINTER_PARIS).await;
    let b = app
        .sandbox_post("/sandbox/clock", json!({"set": "2026-03-29 02:30:00"}))
        .await
        .ok();
    assert_eq!(b["now"], "2026-03-29 03:30:00");
    // An ambiguous time is its first occurrence (summer time): an hour later is still 02:30.
    let app = spawn_in_zone("Europe/Paris", "2026-10-25 02:30:00").await;
    assert_eq!(app.sandbox_now().await, "2026-10-25 02:30:00");
    assert_eq!(advance(&app, "1h").await, "2026-10-25 02:30:00");
    assert_eq!(advance(&app, "1h").await, "2026-10-25 03:30:00");
}

#[tokio::test]
async fn a_utc_sandbox_sees_no_dst_change() {
    let app = spawn_in_zone("UTC", "2026-03-29 01:30:00").await;
    assert_eq!(advance(&app, "1h").await, "2026-03-29 02:30:00");
}

#[tokio::test]
async fn the_default_zone_is_paris() {
    let app = spawn_with(|c| c.clock_start = Some(SUMMER_PARIS.into())).await;
    let utc = spawn_in_zone("UTC", SUMMER_UTC).await;
    assert_eq!(app.sandbox_now().await, SUMMER_PARIS);
    let d = sync_a_user(&app).await;
    let u = sync_a_user(&utc).await;
    assert_eq!(d.connection["created"], SUMMER_PARIS);
    assert_eq!(u.connection["created"], SUMMER_UTC);
    // The same instant, hence the same generated transactions and UTC times.
    assert_eq!(utc_fields(&d.transactions), utc_fields(&u.transactions));
}

#[test]
fn an_unknown_time_zone_refuses_to_start_with_a_clear_message() {
    let bin = env!("CARGO_BIN_EXE_powens-sandbox");
    for (flag, env) in [(Some("Mars/Olympus"), None), (None, Some("Mars/Olympus"))] {
        let mut cmd = std::process::Command::new(bin);
        cmd.args(["--database", ":memory:", "--listen", "127.0.0.1:0"]);
        if let Some(z) = flag {
            cmd.args(["--timezone", z]);
        }
        if let Some(z) = env {
            cmd.env("POWENS_SANDBOX_TIMEZONE", z);
        }
        let out = cmd.output().expect("the binary runs");
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("unknown time zone \"Mars/Olympus\""),
            "stderr: {err}"
        );
    }
}
