//! Load and crash: 64 clients at once, then the same load with a `kill -9` in the middle.

use crate::harness::{self, inspect, integrity_check, secs, Server, TempDir, SERIAL};
use crate::receiver::Receiver;
use crate::workload::{self, Tally};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

const CLIENTS: usize = 64;

fn webhook_flags(receiver: &Receiver) -> Vec<String> {
    [
        "--webhook-url",
        &receiver.url(),
        "--webhook-retry-ms",
        "200",
        "--webhook-flush",
        "1",
        // A held delivery waits for the receiver rather than failing.
        "--webhook-timeout",
        "600",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Pending deliveries and the highest delivery id in the file.
async fn deliveries(database: &std::path::Path) -> (i64, i64) {
    let mut conn = inspect(database).await;
    sqlx::query_as(
        "SELECT COUNT(*) FILTER (WHERE status = 'pending'), COALESCE(MAX(id), 0) FROM webhook_deliveries",
    )
    .fetch_one(&mut conn)
    .await
    .expect("count deliveries")
}

async fn delivery_ids(database: &std::path::Path) -> Vec<i64> {
    let mut conn = inspect(database).await;
    sqlx::query_scalar("SELECT id FROM webhook_deliveries ORDER BY id")
        .fetch_all(&mut conn)
        .await
        .expect("delivery ids")
}

/// Waits until the server has no pending delivery; panics after `limit`.
async fn drain(server: &Server, limit: Duration) {
    let deadline = Instant::now() + limit;
    loop {
        let (pending, _) = deliveries(&server.database).await;
        if pending == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{pending} deliveries still pending after {limit:?}:\n{}",
            server.log_tail()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_clients_get_no_5xx_and_every_acknowledged_write_reads_back() {
    let _turn = SERIAL.lock().await;
    let duration = secs("RELIABILITY_LOAD_SECS", 60);
    let dir = TempDir::new("load");
    let receiver = Receiver::start(0, true).await;
    let server = Server::start(&dir.path().join("sandbox.db"), &webhook_flags(&receiver)).await;
    let tally = Arc::new(Tally::default());
    let t = Instant::now();
    let users = workload::run(server.url(""), CLIENTS, duration, tally.clone()).await;
    let took = t.elapsed();
    eprintln!("load: {}", workload::summary(&users, &tally, took));

    let problems = tally.problems();
    assert!(
        problems.is_empty(),
        "{} problems under load, first ones:\n{}\nserver log:\n{}",
        problems.len(),
        problems.join("\n"),
        server.log_tail()
    );
    assert_eq!(tally.transport_errors.load(Ordering::Relaxed), 0);
    assert!(
        users.len() >= CLIENTS,
        "only {} users were created",
        users.len()
    );

    let missing = workload::verify(&server, &users).await;
    assert!(
        missing.is_empty(),
        "{} acknowledged writes do not read back:\n{}",
        missing.len(),
        missing[..missing.len().min(30)].join("\n")
    );
    assert_eq!(integrity_check(&server.database).await, "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_load_loses_no_acknowledged_write_and_pending_webhooks_go_out_after_restart() {
    let _turn = SERIAL.lock().await;
    let duration = secs("RELIABILITY_CRASH_SECS", 20);
    let dir = TempDir::new("crash");
    // Closed: every delivery is held, so events are still pending when the server dies.
    let receiver = Receiver::start(0, false).await;
    let mut server = Server::start(&dir.path().join("sandbox.db"), &webhook_flags(&receiver)).await;
    let tally = Arc::new(Tally::default());
    let t = Instant::now();
    let load = tokio::spawn(workload::run(
        server.url(""),
        CLIENTS,
        duration,
        tally.clone(),
    ));
    tokio::time::sleep(duration / 2).await;
    tally.crashing.store(true, Ordering::Relaxed);
    server.kill9();
    let users = load.await.expect("the load");
    eprintln!(
        "crash: killed after {:.1} s; {}",
        (duration / 2).as_secs_f64(),
        workload::summary(&users, &tally, t.elapsed())
    );
    let problems = tally.problems();
    assert!(
        problems.is_empty(),
        "{} problems before the kill:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        !users.is_empty(),
        "nothing was acknowledged before the kill"
    );

    // The file as the killed server left it (read-only: the restarted server recovers it).
    let (pending, _) = deliveries(&server.database).await;
    assert!(pending > 0, "no webhook was pending at the kill");

    receiver.open();
    let t = Instant::now();
    let server = server.restart().await;
    eprintln!(
        "crash: restarted in {} ms; {pending} deliveries were pending",
        t.elapsed().as_millis()
    );
    let missing = workload::verify(&server, &users).await;
    assert!(
        missing.is_empty(),
        "{} acknowledged writes lost in the crash:\n{}",
        missing.len(),
        missing[..missing.len().min(30)].join("\n")
    );
    assert_eq!(integrity_check(&server.database).await, "ok");

    drain(&server, Duration::from_secs(180)).await;
    let ids = delivery_ids(&server.database).await;
    let lost: Vec<i64> = receiver.seen(|s| {
        ids.iter()
            .filter(|id| !s.deliveries.contains(id))
            .copied()
            .collect()
    });
    assert!(
        lost.is_empty(),
        "{} deliveries marked delivered never reached the receiver: {:?}",
        lost.len(),
        &lost[..lost.len().min(20)]
    );
    let no_event: Vec<i64> = receiver.seen(|s| {
        users
            .iter()
            .map(|u| u.id)
            .filter(|id| !s.users_created.contains(id))
            .collect()
    });
    assert!(
        no_event.is_empty(),
        "acknowledged users without USER_CREATED at the receiver: {no_event:?}"
    );
    // And it still takes writes.
    harness::new_user(&harness::client(), &server).await;
    eprintln!(
        "crash: {} deliveries in all reached the receiver after the restart",
        ids.len()
    );
}
