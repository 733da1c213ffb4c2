//! Inspection: the delivery log, redelivery and waiting for a delivery.

use super::*;

#[tokio::test]
async fn deliveries_are_listed_with_what_was_sent_filtered_and_paged_with_after() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let alice = app.user_with_bank().await;
    let (bob, _) = app.permanent_user().await;
    settle(&app).await;

    let everything = deliveries(&app, "?limit=1000").await;
    let total = everything["total"].as_i64().unwrap();
    let list = everything["deliveries"].as_array().unwrap();
    assert_eq!(list.len() as i64, total);
    assert_eq!(total as usize, receiver.hits().len());
    let first = &list[0];
    assert_eq!(first["event"], "USER_CREATED");
    assert_eq!(first["id_user"], alice.id_user);
    assert_eq!(first["id_connection"], Value::Null);
    assert_eq!(first["url"], receiver.url("/hooks"));
    assert_eq!(first["status"], "delivered");
    assert_eq!(first["attempts"], 1);
    assert_eq!(first["last_status"], 200);
    assert_eq!(first["last_error"], Value::Null);
    assert!(
        first["latency_ms"].as_f64().is_some_and(|l| l >= 0.0),
        "{first}"
    );
    assert!(first["created"].is_string() && first["delivered_at"].is_string());
    assert_eq!(first["id_webhook_data"], first["id"]);
    assert_eq!(first["payload"]["id_webhook_data"], first["id"]);
    assert_eq!(first["payload"]["id"], alice.id_user);
    assert!(first["headers"]["Authorization"]
        .as_str()
        .is_some_and(|a| a.starts_with("Bearer ")));
    assert!(first["headers"]["User-Agent"].is_string());
    let hit = receiver
        .hits()
        .into_iter()
        .find(|h| h.id() == first["id"])
        .unwrap();
    assert_eq!(hit.json, first["payload"], "the payload is what was sent");

    let b = deliveries(&app, "?event=USER_CREATED").await;
    assert_eq!(b["total"], 2);
    assert!(b["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["event"] == "USER_CREATED"));
    let b = deliveries(&app, &format!("?id_user={bob}")).await;
    assert_eq!(b["total"], 1);
    assert_eq!(b["deliveries"][0]["payload"]["id"], bob);
    let b = deliveries(
        &app,
        &format!("?id_connection={}&limit=1000", alice.connection),
    )
    .await;
    assert_eq!(b["total"].as_i64().unwrap(), total - 2);
    assert!(b["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["id_connection"] == alice.connection));
    let b = deliveries(
        &app,
        &format!("?event=ACCOUNT_ENABLED&id_user={}", alice.id_user),
    )
    .await;
    assert_eq!(b["total"].as_i64().unwrap() as usize, alice.accounts.len());
    assert_eq!(deliveries(&app, "?status=delivered").await["total"], total);
    assert_eq!(deliveries(&app, "?status=pending").await["total"], 0);
    assert_eq!(deliveries(&app, "?status=any").await["total"], total);

    // Paging: 3 at a time, each page after the last id of the previous one.
    let mut paged = Vec::new();
    let mut after = 0;
    loop {
        let b = deliveries(&app, &format!("?limit=3&after={after}")).await;
        let page = ids(&b["deliveries"]);
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 3);
        after = *page.last().unwrap();
        paged.extend(page);
    }
    assert_eq!(paged, ids(&everything["deliveries"]));
    let default = deliveries(&app, "").await;
    assert!(default["deliveries"].as_array().unwrap().len() <= 100);

    // One delivery by id.
    let id = first["id"].as_i64().unwrap();
    assert_eq!(&delivery(&app, id).await, first);
    app.sandbox_get("/sandbox/webhooks/deliveries/999999")
        .await
        .assert_error(404, "notFound");
    app.sandbox_get("/sandbox/webhooks/deliveries/first")
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn the_delivery_log_refuses_bad_filters_and_other_tokens() {
    let app = spawn_app().await;
    let (_, token) = app.permanent_user().await;
    for q in [
        "?status=lost",
        "?event=USER_EXPLODED",
        "?limit=1001",
        "?limit=-1",
        "?id_user=me",
        "?after=x",
    ] {
        let r = app
            .sandbox_get(&format!("/sandbox/webhooks/deliveries{q}"))
            .await;
        assert_eq!(r.status, 400, "{q} answered {} {}", r.status, r.text);
        assert!(r.body["code"].is_string(), "{}", r.text);
    }
    for path in [
        "/sandbox/webhooks/deliveries",
        "/sandbox/webhooks/deliveries/1",
        "/sandbox/webhooks/wait?timeout=0",
    ] {
        app.get(path, Some(&token))
            .await
            .assert_error(401, "unauthorized");
        app.get(path, None).await.assert_error(401, "unauthorized");
    }
    app.post(
        "/sandbox/webhooks/deliveries/1/redeliver",
        Some(&token),
        json!({}),
    )
    .await
    .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn a_redelivery_sends_the_same_id_webhook_data_again() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    app.permanent_user().await;
    let first = receiver.wait_delivered(1).await.remove(0);
    let id = first.id();
    let d = app
        .sandbox_post(
            &format!("/sandbox/webhooks/deliveries/{id}/redeliver"),
            json!({}),
        )
        .await
        .ok();
    assert_eq!(d["id"], id);
    let again = receiver.wait_delivered(2).await;
    assert_eq!(again[1].id(), id);
    assert_eq!(again[1].body, first.body);
    settle(&app).await;
    let d = delivery(&app, id).await;
    assert_eq!(d["attempts"], 2);
    assert_eq!(d["status"], "delivered");
    app.sandbox_post("/sandbox/webhooks/deliveries/999999/redeliver", json!({}))
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn the_wait_blocks_until_a_matching_delivery_and_answers_404_on_timeout() {
    let receiver = Receiver::start().await;
    let app = hooked(&receiver).await;
    let (id_user, token) = app.permanent_user().await;
    settle(&app).await;

    let url = app.url(&format!(
        "/sandbox/webhooks/wait?event=USER_DELETED&id_user={id_user}&timeout=20"
    ));
    let client = app.client.clone();
    let waiting = tokio::spawn(async move {
        let r = client
            .get(url)
            .bearer_auth(CONFIG_TOKEN)
            .send()
            .await
            .unwrap();
        (r.status(), r.json::<Value>().await.unwrap(), Instant::now())
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!waiting.is_finished(), "the wait blocks");
    let deleted_at = Instant::now();
    assert_eq!(app.delete("/users/me", Some(&token)).await.status, 204);
    let (status, d, answered) = waiting.await.unwrap();
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["event"], "USER_DELETED");
    assert_eq!(d["status"], "delivered", "by default, a delivered one");
    assert_eq!(d["payload"]["id"], id_user);
    assert!(answered.duration_since(deleted_at) < Duration::from_secs(5));

    // A pending one, with status=pending; the default times out while the receiver fails.
    receiver.answer(500);
    let (other, _) = app.permanent_user().await;
    let d = app
        .sandbox_get(&format!(
            "/sandbox/webhooks/wait?event=USER_CREATED&id_user={other}&status=pending&timeout=5"
        ))
        .await
        .ok();
    assert_eq!(d["status"], "pending");
    let started = Instant::now();
    app.sandbox_get(&format!(
        "/sandbox/webhooks/wait?event=USER_CREATED&id_user={other}&timeout=1"
    ))
    .await
    .assert_error(404, "notFound");
    assert!(started.elapsed() >= Duration::from_millis(950));
    let d = app
        .sandbox_get(&format!(
            "/sandbox/webhooks/wait?id_user={other}&status=any&timeout=1"
        ))
        .await
        .ok();
    assert_eq!(d["event"], "USER_CREATED");
    app.sandbox_get("/sandbox/webhooks/wait?timeout=61")
        .await
        .assert_error(400, "invalidValue");
}
