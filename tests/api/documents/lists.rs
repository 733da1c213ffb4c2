//! Documents: fetched on consent and by later syncs, listed with filters and pages under
//! the user, a subscription and a connection; document types; the lifecycle.

use super::*;
use std::collections::BTreeSet;

#[tokio::test]
async fn enabling_a_subscription_fetches_its_monthly_bills_of_the_last_year() {
    let app = spawn_frozen().await;
    let (token, _, subs) = provider_user(&app).await;
    let b = app
        .get(
            &format!("/users/me/subscriptions/{}/documents", subs[0]),
            Some(&token),
        )
        .await
        .ok();
    let docs = b["documents"].as_array().unwrap();
    assert!(docs.len() >= 12 && docs.len() <= 13, "{}", docs.len());
    assert_eq!(b["total"], docs.len());
    let months: BTreeSet<String> = docs
        .iter()
        .map(|d| d["date"].as_str().unwrap()[..7].to_string())
        .collect();
    assert_eq!(months.len(), docs.len(), "one bill a month");
    for d in docs {
        assert_eq!(d["id_subscription"], subs[0]);
        assert_eq!(d["id_type"], 4, "a bill");
        assert!(d["date"].as_str().unwrap().ends_with(" 00:00:00"));
        assert!(d["date"].as_str().unwrap() <= CLOCK_START);
        assert_eq!(d["issuer"], "Onde Télécom");
        assert_eq!(d["currency"]["id"], "EUR");
        assert_eq!(d["income"], false);
        let total = dec(&d["total_amount"]);
        assert_eq!(total, dec(&d["untaxed_amount"]) + dec(&d["vat"]));
        assert!(d["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/documents/{}/file", d["id"])));
        assert_eq!(d["thumb_url"], Value::Null);
    }
    assert_eq!(b["first_date"], b["result_min_date"]);
    assert_eq!(
        b["first_date"].as_str().unwrap(),
        &docs[0]["date"].as_str().unwrap()[..10]
    );
}

#[tokio::test]
async fn a_month_later_a_sync_brings_the_new_bill() {
    let app = spawn_frozen().await;
    let (token, connection, _) = provider_user(&app).await;
    let before = documents(&app, &token, "").await;
    app.advance_clock("31d").await;
    app.sync_connection(&token, connection).await;
    let after = documents(&app, &token, "").await;
    let old = ids(&before["documents"]);
    let new: Vec<i64> = ids(&after["documents"])
        .into_iter()
        .filter(|id| !old.contains(id))
        .collect();
    let subs = app.get("/users/me/subscriptions", Some(&token)).await.ok();
    assert_eq!(new.len(), subs["total"].as_i64().unwrap() as usize);
    assert!(after["last_date"].as_str().unwrap() > before["last_date"].as_str().unwrap());
}

#[tokio::test]
async fn documents_are_filtered_by_type_amount_and_date_and_paged() {
    let app = spawn_frozen().await;
    let (token, connection, subs) = provider_user(&app).await;
    let all = documents(&app, &token, "").await;
    let list = all["documents"].as_array().unwrap();
    let mut amounts: Vec<_> = list.iter().map(|d| dec(&d["total_amount"])).collect();
    amounts.sort();
    let mid = amounts[amounts.len() / 2];
    let b = documents(&app, &token, &format!("?min_amount={mid}")).await;
    assert!(b["documents"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| dec(&d["total_amount"]) >= mid));
    let low = documents(&app, &token, &format!("?max_amount={mid}")).await;
    // Both bounds are inclusive: the middle amount is on both sides.
    assert_eq!(
        b["total"].as_i64().unwrap() + low["total"].as_i64().unwrap(),
        all["total"].as_i64().unwrap() + 1
    );
    assert_eq!(
        documents(&app, &token, "?id_type=4").await["total"],
        all["total"]
    );
    assert_eq!(documents(&app, &token, "?id_type=6").await["total"], 0);
    let b = documents(&app, &token, "?min_date=2025-07-01&max_date=2025-09-30").await;
    assert!(b["documents"].as_array().unwrap().iter().all(|d| {
        let day = &d["date"].as_str().unwrap()[..10];
        ("2025-07-01"..="2025-09-30").contains(&day)
    }));
    assert_eq!(b["total"], 3 * subs.len());
    let walked = app
        .walk_offsets(
            &token,
            "/users/me/documents",
            "documents",
            5,
            all["total"].as_i64().unwrap(),
        )
        .await;
    assert_eq!(walked, ids(&all["documents"]));
    let via = app
        .get(
            &format!("/users/me/connections/{connection}/documents"),
            Some(&token),
        )
        .await
        .ok();
    assert_eq!(via["documents"], all["documents"]);
    for bad in [
        "?min_amount=lots",
        "?id_type=x",
        "?limit=1001",
        "?min_date=yesterday",
    ] {
        app.get(&format!("/users/me/documents{bad}"), Some(&token))
            .await
            .assert_error(400, "invalidValue");
    }
}

#[tokio::test]
async fn a_document_is_read_and_updated_by_its_id_and_hidden_from_other_users() {
    let app = spawn_frozen().await;
    let (token, _, _) = provider_user(&app).await;
    let all = documents(&app, &token, "").await;
    let d = &all["documents"][0];
    let id = d["id"].as_i64().unwrap();
    assert_eq!(
        &app.get(&format!("/documents/{id}"), Some(&token))
            .await
            .ok(),
        d
    );
    assert_eq!(
        &app.get(&format!("/users/me/documents/{id}"), Some(&token))
            .await
            .ok(),
        d
    );
    let (_, other) = app.permanent_user().await;
    app.get(&format!("/documents/{id}"), Some(&other))
        .await
        .assert_error(404, "notFound");
    let (status, _, _) = app
        .download(&format!("/users/me/documents/{id}/file"), &other)
        .await;
    assert_eq!(status, 404);
    let b = app
        .post(
            &format!("/documents/{id}"),
            Some(&token),
            json!({"name": "Ma facture", "duedate": "2026-02-01", "total_amount": 42.5}),
        )
        .await
        .ok();
    assert_eq!(b["name"], "Ma facture");
    assert_eq!(b["duedate"], "2026-02-01");
    assert_eq!(b["total_amount"], 42.5);
    assert_eq!(b["id"], id);
    app.post(
        &format!("/documents/{id}"),
        Some(&token),
        json!({"date": "soon"}),
    )
    .await
    .assert_error(400, "invalidValue");
    app.post(
        &format!("/documents/{id}"),
        Some(&token),
        json!({"id_type": 999}),
    )
    .await
    .assert_error(400, "invalidValue");
    app.post(
        &format!("/documents/{id}"),
        Some(&token),
        json!({"file": "x"}),
    )
    .await
    .assert_error(400, "invalidValue");
}

#[tokio::test]
async fn the_document_types_are_the_documented_names_with_fixed_ids() {
    let app = spawn_app().await;
    let b = app.get("/documenttypes", None).await.ok();
    let names: Vec<&str> = b["documenttypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"bill") && names.contains(&"statement"));
    assert_eq!(b["total"], names.len());
    assert_eq!(
        b["documenttypes"][3],
        json!({"id": 4, "name": "bill", "attacheable": true})
    );
}

#[tokio::test]
async fn disabling_a_subscription_deletes_its_documents_and_deleting_the_connection_removes_all() {
    let app = spawn_frozen().await;
    let (token, connection, subs) = provider_user(&app).await;
    let first = documents(&app, &token, "").await["documents"][0]["id"].clone();
    let b = app
        .post(
            &format!("/users/me/subscriptions/{}", subs[0]),
            Some(&token),
            json!({"disabled": true}),
        )
        .await
        .ok();
    assert_eq!(b["disabled"], CLOCK_START);
    let left = app
        .get(
            &format!("/users/me/subscriptions/{}/documents", subs[0]),
            Some(&token),
        )
        .await
        .ok();
    assert_eq!(left["total"], 0);
    app.get(&format!("/documents/{first}"), Some(&token))
        .await
        .assert_error(404, "notFound");
    // Enabled again: the same documents come back.
    app.enable_all_subscriptions(&token).await;
    assert!(documents(&app, &token, "").await["total"].as_i64().unwrap() >= 12);
    let any = documents(&app, &token, "").await["documents"][0]["id"].clone();
    let r = app
        .delete(&format!("/users/me/connections/{connection}"), Some(&token))
        .await;
    assert!(r.status.is_success(), "{}", r.text);
    assert_eq!(documents(&app, &token, "").await["total"], 0);
    let s = app
        .get("/users/me/subscriptions?all", Some(&token))
        .await
        .ok();
    assert_eq!(s["total"], 0);
    app.get(&format!("/documents/{any}"), Some(&token))
        .await
        .assert_error(404, "notFound");
}
