//! Delivery: answers, retries, the pause, order, restarts.

use super::*;

#[tokio::test]
async fn a_failing_receiver_gets_retries_with_backoff_and_the_same_id_webhook_data() {
    let receiver = Receiver::start().await;
    receiver.answer(500);
    let app = hooked(&receiver).await;
    let (id_user, _) = app.permanent_user().await;
    let failed = receiver.wait_hits(4).await;
    let id = failed[0].id();

    let d = delivery(&app, id).await;
    assert_eq!(d["status"], "pending");
    assert!(d["attempts"].as_i64().unwrap() >= 3, "{d}");
    assert_eq!(d["last_status"], 500);
    assert_eq!(d["last_error"], "HTTP 500");
    let pending = deliveries(&app, &format!("?id_user={id_user}&status=pending")).await;
    assert_eq!(ids(&pending["deliveries"]), [id]);

    receiver.answer(200);
    let delivered = receiver.wait_delivered(1).await;
    let hits = receiver.hits();
    assert!(hits.iter().all(|h| h.id() == id), "{:?}", summary(&hits));
    assert!(hits.iter().all(|h| h.body == hits[0].body), "the same body");
    assert_eq!(delivered.len(), 1);
    // Exponential backoff: the gap before attempt k+1 is at least RETRY_MS * 2^(k-1).
    for (k, pair) in hits.windows(2).take(5).enumerate() {
        let gap = pair[1].at.duration_since(pair[0].at);
        let floor = Duration::from_millis(RETRY_MS << k);
        assert!(gap >= floor, "gap {k}: {gap:?} < {floor:?}");
    }

    let d = delivery(&app, id).await;
    assert_eq!(d["status"], "delivered");
    assert_eq!(d["attempts"], hits.len());
    assert_eq!(d["last_status"], 200);
    assert_eq!(d["last_error"], Value::Null);
    assert!(d["delivered_at"].is_string());
    let total_backoff: u64 = (0..3).map(|k| RETRY_MS << k).sum();
    assert!(
        d["latency_ms"].as_f64().unwrap() >= total_backoff as f64,
        "{d}"
    );
}

#[tokio::test]
async fn any_2xx_answer_is_a_delivery_and_a_redirect_is_not() {
    let receiver = Receiver::start().await;
    receiver.answer(302);
    let app = hooked(&receiver).await;
    app.permanent_user().await;
    let hits = receiver.wait_hits(2).await;
    let d = delivery(&app, hits[0].id()).await;
    assert_eq!(d["status"], "pending");
    assert_eq!(d["last_status"], 302);
    assert_eq!(d["last_error"], "HTTP 302");

    receiver.answer(202);
    receiver.wait_delivered(1).await;
    let d = delivery(&app, hits[0].id()).await;
    assert_eq!(d["status"], "delivered");
    assert_eq!(d["last_status"], 202);

    receiver.answer(204);
    let (id_user, _) = app.permanent_user().await;
    let d = app
        .sandbox_get(&format!(
            "/sandbox/webhooks/wait?event=USER_CREATED&id_user={id_user}&timeout=20"
        ))
        .await
        .ok();
    assert_eq!(d["attempts"], 1);
    assert_eq!(d["last_status"], 204);
}

#[tokio::test]
async fn a_receiver_that_does_not_answer_in_time_is_retried() {
    let receiver = Receiver::start().await;
    receiver.stall_first(1);
    let app = hooked_with(&receiver, |c| c.webhook_timeout = 1).await;
    app.permanent_user().await;
    let delivered = receiver.wait_delivered(1).await;
    let hits = receiver.hits();
    assert_eq!(hits.len(), 2, "{:?}", summary(&hits));
    assert_eq!(hits[0].id(), hits[1].id());
    let waited = hits[1].at.duration_since(hits[0].at);
    assert!(
        waited >= Duration::from_millis(900),
        "the first attempt was abandoned after the timeout, not before: {waited:?}"
    );
    assert!(waited < Duration::from_millis(2900), "{waited:?}");
    let d = delivery(&app, delivered[0].id()).await;
    assert_eq!(d["attempts"], 2);
    assert_eq!(d["status"], "delivered");
}

#[tokio::test]
async fn a_delivery_failing_ten_times_pauses_its_subscription_until_the_flush() {
    let receiver = Receiver::start().await;
    receiver.answer(500);
    let app = hooked_with(&receiver, |c| {
        c.webhook_retry_ms = 1;
        c.webhook_flush = 6;
    })
    .await;
    app.permanent_user().await;
    let hits = receiver.wait_hits(10).await;
    let id = hits[0].id();
    // Unpaused, the 11th attempt would come about 0.5 s after the 10th.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let hits = receiver.hits();
    let subs = subscriptions(&app).await;
    if subs[0]["paused"] == true {
        assert_eq!(hits.len(), 10, "{:?}", summary(&hits));
        assert_eq!(subs[0]["consecutive_failures"], 10);
    } else {
        panic!(
            "not paused after {} failures: {subs:?} {:?}",
            hits.len(),
            summary(&hits)
        );
    }
    let d = delivery(&app, id).await;
    assert_eq!(d["status"], "pending");
    assert_eq!(d["attempts"], 10);

    receiver.answer(200);
    receiver.wait_delivered(1).await;
    let hits = receiver.hits();
    assert_eq!(hits.len(), 11);
    assert!(hits.iter().all(|h| h.id() == id));
    let subs = subscriptions(&app).await;
    assert_eq!(subs[0]["paused"], false);
    assert_eq!(subs[0]["consecutive_failures"], 0);
}

#[tokio::test]
async fn ten_failures_across_connections_pause_the_subscription_and_the_flush_resumes_all() {
    let receiver = Receiver::start().await;
    receiver.answer(500);
    // The flush is long enough that a loaded machine still sees the pause before it ends.
    let app = hooked_with(&receiver, |c| c.webhook_flush = 10).await;
    let (id_user, _) = app.permanent_user().await;
    // Wait for USER_CREATED to fail once so the 10 below go out in one pass.
    receiver.wait_hits(1).await;
    receiver.answer(200);
    receiver.wait_delivered(1).await;
    receiver.answer(500);
    for c in 1..=10 {
        fire(
            &app,
            json!({"event": "ACCOUNT_SYNCED", "id_user": id_user, "id_connection": 1000 + c}),
        )
        .await;
    }
    let hits = receiver.wait_hits(12).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let subs = subscriptions(&app).await;
    let later = receiver.hits();
    assert_eq!(subs[0]["paused"], true, "{subs:?} {:?}", summary(&later));
    assert_eq!(later.len(), hits.len(), "nothing is sent while paused");
    assert!(subs[0]["consecutive_failures"].as_i64().unwrap() >= 10);

    receiver.answer(200);
    let delivered = receiver.wait_delivered(11).await;
    let connections: BTreeSet<i64> = delivered[1..]
        .iter()
        .map(|h| h.json["id_connection"].as_i64().unwrap())
        .collect();
    assert_eq!(connections, (1001..=1010).collect());
    assert_eq!(subscriptions(&app).await[0]["paused"], false);
}

/// Asserts that the requests for the deliveries `ids` came in order: none before every
/// earlier one was delivered.
fn assert_in_order(hits: &[Hit], ids: &BTreeSet<i64>) {
    let mut delivered: BTreeSet<i64> = BTreeSet::new();
    for h in hits.iter().filter(|h| ids.contains(&h.id())) {
        let id = h.id();
        let waiting: Vec<&i64> = ids.range(..id).filter(|e| !delivered.contains(e)).collect();
        assert!(
            waiting.is_empty(),
            "#{id} was sent before {waiting:?} were delivered: {:?}",
            summary(hits)
        );
        if h.delivered() {
            delivered.insert(id);
        }
    }
    assert_eq!(&delivered, ids, "every one delivered");
}

#[tokio::test]
async fn a_connections_events_arrive_in_order_when_every_other_request_fails() {
    let receiver = Receiver::start().await;
    let count = AtomicUsize::new(0);
    receiver.rule(move |_| {
        if count.fetch_add(1, SeqCst).is_multiple_of(2) {
            503
        } else {
            200
        }
    });
    let app = hooked(&receiver).await;
    let run = lifecycle(&app, &receiver).await;
    let b = deliveries(
        &app,
        &format!("?id_connection={}&limit=1000", run.connection),
    )
    .await;
    let of_connection: BTreeSet<i64> = ids(&b["deliveries"]).into_iter().collect();
    assert!(of_connection.len() > 10, "{b}");
    let hits = receiver.hits();
    assert_in_order(&hits, &of_connection);
    assert!(hits.iter().any(|h| !h.delivered()), "the receiver did fail");
}

#[tokio::test]
async fn a_connection_that_keeps_failing_holds_back_only_its_own_later_events() {
    let receiver = Receiver::start().await;
    receiver.rule(|h| {
        if h.json["id_connection"] == 501 {
            500
        } else {
            200
        }
    });
    let app = hooked(&receiver).await;
    let (id_user, _) = app.permanent_user().await;
    settle(&app).await;
    for _ in 0..3 {
        for c in [501, 502] {
            fire(
                &app,
                json!({"event": "ACCOUNT_SYNCED", "id_user": id_user, "id_connection": c}),
            )
            .await;
        }
    }
    let of = |c: i64, hits: &[Hit]| -> Vec<Hit> {
        hits.iter()
            .filter(|h| h.json["id_connection"] == c)
            .cloned()
            .collect()
    };
    let hits = receiver
        .wait_for(
            "the three events of connection 502 and retries of 501",
            |h| of(502, h).iter().filter(|x| x.delivered()).count() == 3 && of(501, h).len() >= 3,
        )
        .await;
    let blocked = of(501, &hits);
    let first = blocked[0].id();
    assert!(
        blocked.iter().all(|h| h.id() == first),
        "only the first of 501 is tried: {:?}",
        summary(&blocked)
    );
    let b = deliveries(&app, "?id_connection=501&status=pending").await;
    assert_eq!(b["total"], 3);

    receiver.clear_rule();
    settle(&app).await;
    let hits = receiver.hits();
    let b = deliveries(&app, "?id_connection=501").await;
    assert_in_order(&hits, &ids(&b["deliveries"]).into_iter().collect());
    let b = deliveries(&app, "?id_connection=502").await;
    assert_in_order(&hits, &ids(&b["deliveries"]).into_iter().collect());
}

#[tokio::test]
async fn a_restart_during_retries_loses_nothing_and_keeps_each_id_webhook_data() {
    let receiver = Receiver::start().await;
    receiver.answer(500);
    let dir = TempDir::new("webhooks-restart");
    let config = || {
        let mut c = Config::for_tests();
        c.database = dir.file("sandbox.db");
        c.clock_start = Some(CLOCK_START.into());
        c.webhook_urls = vec![receiver.url("/hooks")];
        c.webhook_retry_ms = 50;
        // Three failing chains reach ten failures quickly; the flush resumes them.
        c.webhook_flush = 1;
        c
    };

    let first = OwnServer::start(config()).await;
    let app = &first.app;
    let (id_user, token) = app.permanent_user().await;
    let c = app.create_connection(&token, par()).await;
    let id_connection = c["id"].as_i64().unwrap();
    fire(
        app,
        json!({"event": "ACCOUNT_CATEGORIZED", "id_user": id_user, "id_connection": 77, "count": 5}),
    )
    .await;
    let queued = deliveries(app, "?limit=1000").await;
    let all: BTreeSet<i64> = ids(&queued["deliveries"]).into_iter().collect();
    assert!(all.len() > 8, "{queued}");
    let subscription = subscriptions(app).await[0]["id"].clone();
    // The heads of the three chains (the user's, the connection's, connection 77's) fail
    // more than once each.
    let failed = receiver.wait_hits(9).await;
    first.stop().await;
    let at_stop = receiver.hits().len();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        receiver.hits().len(),
        at_stop,
        "nothing is sent once the server is gone"
    );
    let bodies: BTreeMap<i64, String> = failed.iter().map(|h| (h.id(), h.body.clone())).collect();
    let attempts_before: BTreeMap<i64, usize> = failed.iter().fold(BTreeMap::new(), |mut m, h| {
        *m.entry(h.id()).or_default() += 1;
        m
    });

    receiver.answer(200);
    let second = OwnServer::start(config()).await;
    let app = &second.app;
    assert_eq!(
        subscriptions(app).await[0]["id"],
        subscription,
        "the configured subscription keeps its id"
    );
    settle(app).await;
    let hits = receiver.hits();
    let delivered: BTreeSet<i64> = hits.iter().filter(|h| h.delivered()).map(Hit::id).collect();
    assert_eq!(delivered, all, "every event delivered, with the same ids");
    for (id, body) in &bodies {
        let after = hits
            .iter()
            .find(|h| h.delivered() && h.id() == *id)
            .expect("delivered");
        assert_eq!(&after.body, body, "#{id} is sent again unchanged");
    }
    for (id, n) in &attempts_before {
        let d = delivery(app, *id).await;
        // The receiver counted n failures and then the delivery; the one attempt in flight
        // when the server stopped may have been answered without being recorded.
        assert!(
            d["attempts"].as_u64().unwrap() as usize >= *n,
            "attempts are kept: {d}"
        );
    }
    let b = deliveries(app, &format!("?id_connection={id_connection}")).await;
    assert_in_order(&hits, &ids(&b["deliveries"]).into_iter().collect());
    let b = deliveries(app, "?id_connection=77").await;
    assert_in_order(&hits, &ids(&b["deliveries"]).into_iter().collect());
    // The Bearer token sent after the restart is still a token of the user.
    let bearer = hits.last().unwrap().header("authorization").unwrap();
    let me = app
        .get("/users/me", Some(bearer.strip_prefix("Bearer ").unwrap()))
        .await
        .ok();
    assert_eq!(me["id"], id_user);
    second.stop().await;
}

#[tokio::test]
async fn once_the_server_has_stopped_its_worker_sends_nothing() {
    let receiver = Receiver::start().await;
    receiver.answer(500);
    let mut config = Config::for_tests();
    config.webhook_urls = vec![receiver.url("/hooks")];
    config.webhook_retry_ms = RETRY_MS;
    let state = powens_sandbox::build_state(config).await.expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(powens_sandbox::run(state, listener, async {
        let _ = stopped.await;
    }));
    let app = TestApp {
        base,
        client: reqwest::Client::new(),
    };
    app.permanent_user().await;
    receiver.wait_hits(2).await;
    drop(app);
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
    let at_stop = receiver.hits().len();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let hits = receiver.hits();
    assert_eq!(
        hits.len(),
        at_stop,
        "run() returned, yet its delivery worker kept sending: {:?}",
        summary(&hits[at_stop..])
    );
}
