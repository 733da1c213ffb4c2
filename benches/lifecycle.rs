//! Lifecycle benchmarks: pagination over 1,000,000 transactions and a sync that brings
//! 10,000 new ones. Prints a Markdown table of medians.
//!
//!     cargo bench --bench lifecycle
//!
//! The million rows are written with SQL (the API would take minutes to sync that much
//! history); every measured request goes over HTTP to a real server on a loopback port.

use powens_sandbox::config::Config;
use serde_json::{json, Value};
use std::time::Instant;

const PAGE: usize = 100;
const SAMPLES: usize = 200;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

async fn time_get(client: &reqwest::Client, url: &str, token: &str) -> (f64, Value) {
    let t = Instant::now();
    let r = client.get(url).bearer_auth(token).send().await.unwrap();
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    assert!(status.is_success(), "{status} {body}");
    (ms, body)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // BENCH_ROWS / BENCH_DEPTH shrink the run for a quick look; the defaults are the issue's.
    let env = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    #[allow(non_snake_case)]
    let ROWS = env("BENCH_ROWS", 1_000_000) as i64;
    #[allow(non_snake_case)]
    let DEPTH = env("BENCH_DEPTH", 5_000);
    let dir = std::env::temp_dir().join(format!("powens-sandbox-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut config = Config::for_tests();
    config.database = dir.join("bench.db").display().to_string();
    config.clock_start = Some("2026-01-15 10:00:00".into());
    let state = powens_sandbox::build_state(config).await.unwrap();
    let db = state.db.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(powens_sandbox::run(state, listener, std::future::pending()));
    let client = reqwest::Client::new();
    let api = format!("{base}/2.0");
    let admin = "sandbox-config-token";

    let init: Value = client
        .post(format!("{api}/auth/init"))
        .json(&json!({"client_id": "12345678", "client_secret": "sandbox-secret"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = init["auth_token"].as_str().unwrap().to_string();
    let c: Value = client
        .post(format!("{api}/users/me/connections"))
        .bearer_auth(&token)
        .json(&json!({"id_connector": 41, "login": "12345678", "password": "123456"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id_connection = c["id"].as_i64().unwrap();
    let accounts: Value = client
        .get(format!("{api}/users/me/accounts?all"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let checking = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["type"] == "checking")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let savings = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["type"] == "livret_a")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    client
        .post(format!("{api}/users/me/accounts/{checking}?all"))
        .bearer_auth(&token)
        .json(&json!({"disabled": false}))
        .send()
        .await
        .unwrap();

    // A million rows for the user, in one transaction.
    let t = Instant::now();
    let mut tx = db.begin().await.unwrap();
    let id_user = init["id_user"].as_i64().unwrap();
    let start = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let mut n = 0i64;
    while n < ROWS {
        let mut sql = String::from("INSERT INTO transactions (id_account, id_user, id_connection, bank_key, webid, application_date, date, rdate, vdate, value, type, original_wording, simplified_wording, stemmed_wording, date_scraped, last_update) VALUES ");
        let chunk = 500.min(ROWS - n);
        for i in 0..chunk {
            let k = n + i;
            let d = (start + chrono::Days::new((k / 100) as u64))
                .format("%Y-%m-%d")
                .to_string();
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("({checking},{id_user},{id_connection},'bench-{k}','bench-{k}','{d}','{d}','{d}','{d}','-{}.{:02}','card','CB BENCH {k}','BENCH','bench','2026-01-15 10:00:00','2026-01-15 10:00:00')", k % 300, k % 100));
        }
        sqlx::query(&sql).execute(&mut *tx).await.unwrap();
        n += chunk;
    }
    sqlx::query("UPDATE accounts SET nb_transactions = nb_transactions + ? WHERE id = ?")
        .bind(ROWS)
        .bind(checking)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let load_s = t.elapsed().as_secs_f64();

    // First page and a page 5,000 deep (reached by following `next`).
    let first_url = format!("{api}/users/me/transactions?limit={PAGE}");
    let mut first = Vec::new();
    for _ in 0..SAMPLES {
        first.push(time_get(&client, &first_url, &token).await.0);
    }
    let mut url = first_url.clone();
    let walk = Instant::now();
    for _ in 0..DEPTH {
        let (_, body) = time_get(&client, &url, &token).await;
        url = body["_links"]["next"]["href"].as_str().unwrap().to_string();
    }
    let walk_s = walk.elapsed().as_secs_f64();
    let mut deep = Vec::new();
    let mut deep_body = Value::Null;
    for _ in 0..SAMPLES {
        let (ms, b) = time_get(&client, &url, &token).await;
        deep.push(ms);
        deep_body = b;
    }
    assert_eq!(deep_body["transactions"].as_array().unwrap().len(), PAGE);

    // The query plans of the first and a deep page.
    let mut conn = db.reader.acquire().await.unwrap();
    let mut plans = Vec::new();
    for deep in [false, true] {
        let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(&format!(
            "EXPLAIN QUERY PLAN {}",
            powens_sandbox::store::transaction_list::plan_sql(deep)
        ))
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        plans.push(rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("; "));
    }
    drop(conn);

    // A sync that brings 10,000 new transactions: injected at the bank, then one PUT.
    let txs: Vec<Value> = (0..10_000)
        .map(|i| json!({"date": "2026-01-14", "value": format!("-{}.{:02}", i % 90 + 1, i % 100), "wording": format!("CB SYNC {i}"), "type": "card"}))
        .collect();
    let r = client
        .post(format!(
            "{base}/sandbox/connections/{id_connection}/bank/transactions"
        ))
        .bearer_auth(admin)
        .json(&json!({"id_account": checking, "transactions": txs}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let _ = savings;
    let t = Instant::now();
    let r = client
        .put(format!(
            "{api}/users/me/connections/{id_connection}?psu_requested=false"
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let sync_ms = t.elapsed().as_secs_f64() * 1000.0;
    assert!(r.status().is_success());
    let logs: Value = client
        .get(format!(
            "{api}/users/me/connections/{id_connection}/logs?limit=1"
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let (f, d) = (median(first), median(deep));
    println!("| measurement | value |");
    println!("|---|---|");
    println!("| rows loaded | {ROWS} in {load_s:.1} s |");
    println!("| first page of {PAGE} (median of {SAMPLES}) | {f:.2} ms |");
    println!("| page {DEPTH} deep (median of {SAMPLES}) | {d:.2} ms |");
    println!("| deep / first | {:.2} |", d / f);
    println!(
        "| walking {DEPTH} pages through `next` | {walk_s:.1} s ({:.2} ms a page) |",
        walk_s * 1000.0 / DEPTH as f64
    );
    println!(
        "| sync bringing 10,000 transactions (one PUT, one DB transaction) | {sync_ms:.0} ms |"
    );
    println!(
        "| transactions the sync logged | {} |",
        logs["connectionlogs"][0]["nb_transactions"]
            .as_i64()
            .map(|n| n.to_string())
            .unwrap_or_else(|| "see log".into())
    );
    println!();
    println!("Query plan, first page: `{}`", plans[0]);
    println!("Query plan, deep page: `{}`", plans[1]);
    let _ = std::fs::remove_dir_all(&dir);
}
