//! Faults: a webhook receiver that is down for a while, a full and a read-only database, and
//! hostile requests (a 100 MB body, 10,000-deep JSON, 10,000 expansions, limit=10^12).

use crate::harness::{
    assert_powens_error, client, free_port, integrity_check, new_user, Server, TempDir,
    CONFIG_TOKEN, SERIAL, TEST_CONNECTOR_UUID,
};
use crate::mounts::{is_root, Mount};
use crate::receiver::Receiver;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A user with a test-connector connection: (token, id_connection, first account id).
async fn user_with_connection(server: &Server) -> (String, i64, i64) {
    let http = client();
    let (_, token) = new_user(&http, server).await;
    let c: Value = http
        .post(server.url("/2.0/users/me/connections"))
        .bearer_auth(&token)
        .json(&json!({"connector_uuid": TEST_CONNECTOR_UUID, "login": "faults", "password": "1234", "openapiwebsite": "par"}))
        .send()
        .await
        .expect("create a connection")
        .json()
        .await
        .expect("connection body");
    let id = c["id"].as_i64().expect("connection id");
    let accounts: Value = http
        .get(server.url("/2.0/users/me/accounts?all"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("accounts")
        .json()
        .await
        .expect("accounts body");
    let account = accounts["accounts"][0]["id"].as_i64().expect("an account");
    (token, id, account)
}

async fn status_and_text(r: reqwest::RequestBuilder) -> (u16, String) {
    let r = match r.send().await {
        Ok(r) => r,
        Err(e) => panic!("no answer: {}", e.without_url()),
    };
    let s = r.status().as_u16();
    (s, r.text().await.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_down_for_a_while_then_back_gets_every_event() {
    let _turn = SERIAL.lock().await;
    let dir = TempDir::new("receiver-down");
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/hook");
    let flags: Vec<String> = [
        "--webhook-url",
        &url,
        "--webhook-retry-ms",
        "200",
        "--webhook-flush",
        "1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let server = Server::start(&dir.path().join("sandbox.db"), &flags).await;
    let http = client();
    let mut users = Vec::new();
    for _ in 0..20 {
        users.push(new_user(&http, &server).await.0);
    }
    for _ in 0..3 {
        user_with_connection(&server).await;
    }
    // Nobody listens for a while: deliveries fail, back off, and the subscription pauses.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let mut conn = crate::harness::inspect(&server.database).await;
    let (pending, failed): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*) FILTER (WHERE status = 'pending'), COUNT(*) FILTER (WHERE attempts > 0) FROM webhook_deliveries",
    )
    .fetch_one(&mut conn)
    .await
    .expect("deliveries");
    drop(conn);
    assert!(
        pending > 0 && failed > 0,
        "{pending} pending, {failed} attempted while the receiver was down"
    );

    let receiver = Receiver::start(port, true).await;
    let t = Instant::now();
    let deadline = t + Duration::from_secs(90);
    let ids: Vec<i64> = loop {
        let mut conn = crate::harness::inspect(&server.database).await;
        let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, status FROM webhook_deliveries")
            .fetch_all(&mut conn)
            .await
            .expect("deliveries");
        if rows.iter().all(|(_, s)| s == "delivered") {
            break rows.into_iter().map(|(id, _)| id).collect();
        }
        assert!(
            Instant::now() < deadline,
            "deliveries still pending 90 s after the receiver came back"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    eprintln!(
        "receiver down: {} deliveries ({pending} pending at its return) all delivered {:.1} s after it came back",
        ids.len(),
        t.elapsed().as_secs_f64()
    );
    receiver.seen(|s| {
        let lost: Vec<&i64> = ids.iter().filter(|id| !s.deliveries.contains(id)).collect();
        assert!(lost.is_empty(), "deliveries never received: {lost:?}");
        for u in &users {
            assert!(s.users_created.contains(u), "no USER_CREATED for user {u}");
        }
    });
}

/// Writes through the API until one answers 503 (at most `tries`); every failure must be a
/// 503 in the Powens format. Returns how many 503s there were.
async fn write_until_503(server: &Server, id_connection: i64, account: i64, tries: usize) -> usize {
    let http = client();
    let batch: Vec<Value> = (0..5000)
        .map(|i| json!({"date": "2026-01-14", "value": -1.5, "wording": format!("CB FAULT {i} {}", "X".repeat(40))}))
        .collect();
    let mut unavailable = 0;
    for _ in 0..tries {
        let (s, text) = status_and_text(
            http.post(server.url(&format!(
                "/sandbox/connections/{id_connection}/bank/transactions"
            )))
            .bearer_auth(CONFIG_TOKEN)
            .json(&json!({"id_account": account, "transactions": batch})),
        )
        .await;
        assert!(
            s == 200 || s == 503,
            "a write during the fault: {s} {text}\n{}",
            server.log_tail()
        );
        if s == 503 {
            assert_powens_error(s, &text, 503);
            unavailable += 1;
            // A small write fails the same way, or succeeds: never anything else.
            let (s, text) = status_and_text(
                http.post(server.url("/2.0/auth/init"))
                    .json(&json!({"client_id": "12345678", "client_secret": "sandbox-secret"})),
            )
            .await;
            assert!(
                s == 200 || s == 503,
                "a small write during the fault: {s} {text}\n{}",
                server.log_tail()
            );
            if s != 200 {
                assert_powens_error(s, &text, 503);
            }
            break;
        }
        assert_eq!(s, 200, "a write during the fault: {text}");
    }
    unavailable
}

/// Reads still answer during a storage fault.
async fn reads_work(server: &Server, token: &str) {
    let (s, text) = status_and_text(
        client()
            .get(server.url("/2.0/users/me/accounts?all"))
            .bearer_auth(token),
    )
    .await;
    assert_eq!(s, 200, "a read during the fault: {text}");
}

/// Retries a write until it succeeds again (the fault is over); panics after 15 s.
async fn writes_recover(server: &Server) -> Duration {
    let http = client();
    let t = Instant::now();
    loop {
        let (s, text) = status_and_text(
            http.post(server.url("/2.0/auth/init"))
                .json(&json!({"client_id": "12345678", "client_secret": "sandbox-secret"})),
        )
        .await;
        if s == 200 {
            return t.elapsed();
        }
        assert_powens_error(s, &text, 503);
        assert!(
            t.elapsed() < Duration::from_secs(15),
            "writes still fail 15 s after the fault ended: {text}\n{}",
            server.log_tail()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_503_in_the_powens_format_and_the_server_recovers() {
    let _turn = SERIAL.lock().await;
    if !is_root() {
        eprintln!("SKIPPED: mounting a small tmpfs needs root");
        return;
    }
    let dir = TempDir::new("full");
    let mount = match Mount::tmpfs(&dir.path().join("mnt"), "24m") {
        Ok(m) => m,
        Err(e) => {
            eprintln!("SKIPPED: cannot mount a tmpfs: {e}");
            return;
        }
    };
    let server = Server::start(&mount.dir.join("sandbox.db"), &[]).await;
    let (token, id_connection, account) = user_with_connection(&server).await;

    // Fill the file system, leaving the database no room to grow.
    let filler = mount.dir.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).expect("filler");
        let chunk = vec![0u8; 64 << 10];
        while f.write_all(&chunk).is_ok() {}
        let byte = [0u8; 512];
        while f.write_all(&byte).is_ok() {}
    }
    let unavailable = write_until_503(&server, id_connection, account, 20).await;
    assert!(unavailable > 0, "no write failed on a full disk");
    reads_work(&server, &token).await;

    std::fs::remove_file(&filler).expect("remove the filler");
    let took = writes_recover(&server).await;
    eprintln!(
        "full disk: writes answered 503, then recovered {} ms after space was freed",
        took.as_millis()
    );
    let (s, text) = status_and_text(
        client()
            .post(server.url(&format!("/sandbox/connections/{id_connection}/bank/transactions")))
            .bearer_auth(CONFIG_TOKEN)
            .json(&json!({"id_account": account, "transactions": [{"date": "2026-01-14", "value": -1, "wording": "AFTER"}]})),
    )
    .await;
    assert_eq!(s, 200, "{text}");
    assert_eq!(integrity_check(&server.database).await, "ok");
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_database_answers_503_in_the_powens_format_and_the_server_recovers() {
    let _turn = SERIAL.lock().await;
    if !is_root() {
        eprintln!("SKIPPED: mounting an ext4 image needs root");
        return;
    }
    let dir = TempDir::new("read-only");
    let mount = match Mount::ext4(&dir.path().join("mnt"), 64) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("SKIPPED: cannot mount an ext4 image on a loop device: {e}");
            return;
        }
    };
    let server = Server::start(&mount.dir.join("sandbox.db"), &[]).await;
    let (token, id_connection, account) = user_with_connection(&server).await;

    // The database and its log become unwritable, through the server's open descriptors too.
    mount.immutable(&["sandbox.db", "sandbox.db-wal"], true);
    let unavailable = write_until_503(&server, id_connection, account, 3).await;
    assert!(unavailable > 0, "a write succeeded on a read-only database");
    reads_work(&server, &token).await;

    mount.immutable(&["sandbox.db", "sandbox.db-wal"], false);
    let took = writes_recover(&server).await;
    eprintln!(
        "read-only: writes answered 503, then recovered {} ms after the files became writable",
        took.as_millis()
    );
    assert_eq!(integrity_check(&server.database).await, "ok");
    drop(server);
}

/// Sends `head` then streams `total` bytes of body (chunked when `chunked`) while reading
/// the answer; returns (status, body, time to the answer). Stops sending once answered.
async fn huge_upload(
    port: u16,
    head: &str,
    total: usize,
    chunked: bool,
) -> (u16, String, Duration) {
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let (mut rd, mut wr) = stream.into_split();
    let t = Instant::now();
    let done = Arc::new(AtomicBool::new(false));
    let stop = done.clone();
    let head = head.to_string();
    let writer = tokio::spawn(async move {
        if wr.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let chunk = vec![b'7'; 64 << 10];
        let mut sent = 0;
        while sent < total && !stop.load(Ordering::Relaxed) {
            let r = if chunked {
                let framed =
                    [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
                wr.write_all(&framed).await
            } else {
                wr.write_all(&chunk).await
            };
            if r.is_err() {
                return;
            }
            sent += chunk.len();
        }
        if chunked {
            let _ = wr.write_all(b"0\r\n\r\n").await;
        }
    });
    let mut buf = Vec::new();
    let mut tmp = vec![0u8; 8192];
    let answer = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            let n = rd.read(&mut tmp).await.unwrap_or(0);
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&tmp[..n]);
            let text = String::from_utf8_lossy(&buf);
            if let Some(end) = text.find("\r\n\r\n") {
                let len = text[..end]
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse::<usize>().ok())?
                    })
                    .unwrap_or(0);
                if buf.len() >= end + 4 + len {
                    break;
                }
            }
        }
    })
    .await;
    let took = t.elapsed();
    done.store(true, Ordering::Relaxed);
    writer.abort();
    assert!(
        answer.is_ok(),
        "no answer within 30 s to a {total}-byte body"
    );
    let text = String::from_utf8_lossy(&buf).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body, took)
}

/// A 100 MB body to POST /2.0/auth/init, with a Content-Length or chunked: a 413.
async fn upload_100_mb(port: u16, chunked: bool) -> (String, Duration) {
    let mb100 = 100 << 20;
    let framing = if chunked {
        "Transfer-Encoding: chunked".to_string()
    } else {
        format!("Content-Length: {mb100}")
    };
    let head = format!("POST /2.0/auth/init HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{framing}\r\n\r\n");
    let (s, body, took) = huge_upload(port, &head, mb100, chunked).await;
    assert_powens_error(s, &body, 413);
    (format!("100 MB body ({framing})"), took)
}

/// Hostile requests that fit in memory: deep JSON, huge expansions, huge limits. Expansion
/// items are short: a client cannot even send a URI past 64 KB.
fn hostile_cases(server: &Server, token: &str) -> Vec<(&'static str, reqwest::RequestBuilder)> {
    let http = client();
    let deep = |open: &str, close: &str| format!("{}{}", open.repeat(10_000), close.repeat(10_000));
    let many = vec!["a"; 10_000].join(",");
    vec![
        (
            "10,000-deep JSON arrays",
            http.post(server.url("/2.0/auth/init"))
                .header("Content-Type", "application/json")
                .body(deep("[", "]")),
        ),
        (
            "10,000-deep JSON objects",
            http.post(server.url("/sandbox/scenario"))
                .bearer_auth(CONFIG_TOKEN)
                .header("Content-Type", "application/json")
                .body(format!(
                    "{}1{}",
                    "{\"a\":".repeat(10_000),
                    "}".repeat(10_000)
                )),
        ),
        (
            "10,000-deep JSON in a connection",
            http.post(server.url("/2.0/users/me/connections"))
                .bearer_auth(token)
                .header("Content-Type", "application/json")
                .body(format!("{{\"login\":{}}}", deep("[", "]"))),
        ),
        (
            "an expand of 10,000 items",
            http.get(server.url(&format!("/2.0/connectors?expand={many}"))),
        ),
        (
            "an expand of 10,000 items on connections",
            http.get(server.url(&format!("/2.0/users/me/connections?expand={many}")))
                .bearer_auth(token),
        ),
        (
            "an expand nested 10,000 deep",
            http.get(server.url(&format!("/2.0/connectors?expand={}", deep("a[", "]")))),
        ),
        (
            "limit=10^12 on transactions",
            http.get(server.url("/2.0/users/me/transactions?limit=1000000000000"))
                .bearer_auth(token),
        ),
        (
            "offset=10^12 on transactions",
            http.get(server.url("/2.0/users/me/transactions?limit=10&offset=1000000000000"))
                .bearer_auth(token),
        ),
        (
            "limit=10^12 on users",
            http.get(server.url("/2.0/users?limit=1000000000000"))
                .bearer_auth("sandbox-users-token"),
        ),
        (
            "limit=10^12 on webhook deliveries",
            http.get(server.url("/sandbox/webhooks/deliveries?limit=1000000000000"))
                .bearer_auth(CONFIG_TOKEN),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_requests_get_a_4xx_quickly_while_other_clients_are_served() {
    let _turn = SERIAL.lock().await;
    let dir = TempDir::new("hostile");
    let server = Server::start(&dir.path().join("sandbox.db"), &[]).await;
    let (token, _, _) = user_with_connection(&server).await;

    // Another client reads its accounts all along.
    let stop = Arc::new(AtomicBool::new(false));
    let served: Arc<Mutex<Vec<(u16, Duration)>>> = Arc::default();
    let bystander = {
        let (stop, served, url, token) = (
            stop.clone(),
            served.clone(),
            server.url("/2.0/users/me/accounts"),
            token.clone(),
        );
        tokio::spawn(async move {
            let http = client();
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                let s = match http.get(&url).bearer_auth(&token).send().await {
                    Ok(r) => r.status().as_u16(),
                    Err(_) => 0,
                };
                served.lock().unwrap().push((s, t.elapsed()));
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        })
    };

    let quick = Duration::from_secs(2);
    let mut slowest = Duration::ZERO;
    let t = Instant::now();
    // Rounds of every hostile request at once, for at least two seconds.
    let mut rounds = 0;
    while rounds < 3 || t.elapsed() < Duration::from_secs(2) {
        rounds += 1;
        let mut all = Vec::new();
        for chunked in [false, true] {
            all.push(tokio::spawn(upload_100_mb(server.port, chunked)));
        }
        for (what, req) in hostile_cases(&server, &token) {
            all.push(tokio::spawn(async move {
                let t = Instant::now();
                let (s, text) = status_and_text(req).await;
                assert!(
                    (400..500).contains(&s),
                    "{what}: {s} {}",
                    &text[..text.len().min(300)]
                );
                assert_powens_error(s, &text, s);
                (what.to_string(), t.elapsed())
            }));
        }
        for h in all {
            let (what, took) = h.await.expect("a hostile request");
            assert!(took < quick, "{what}: answered in {took:?}");
            slowest = slowest.max(took);
        }
    }

    stop.store(true, Ordering::Relaxed);
    bystander.await.expect("bystander");
    let served = served.lock().unwrap();
    let worst = served.iter().map(|(_, d)| *d).max().unwrap_or_default();
    let failed: Vec<u16> = served
        .iter()
        .map(|(s, _)| *s)
        .filter(|s| *s != 200)
        .collect();
    eprintln!(
        "hostile: {rounds} rounds of 12 hostile requests, all 4xx, slowest in {} ms; {} bystander reads, slowest {} ms",
        slowest.as_millis(),
        served.len(),
        worst.as_millis()
    );
    assert!(failed.is_empty(), "bystander reads failed: {failed:?}");
    assert!(
        served.len() > 10,
        "the bystander was barely served: {} reads",
        served.len()
    );
    assert!(
        worst < Duration::from_secs(1),
        "a bystander read took {worst:?}"
    );
}
