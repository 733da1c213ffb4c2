//! The control plane puts lines and orders at the bank and takes lines away; the next sync
//! brings them, and a line gone at the bank keeps its id with `deleted` set.

use super::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn an_injected_line_arrives_and_a_removed_one_is_deleted_by_the_next_sync() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    let market = account_of_type(&app, &b.token, "market").await;
    let path = format!("/users/me/accounts/{}/investments", market["id"]);
    let before = lines(&app, &b.token, &path).await;
    let gone = before[0].clone();
    let r = app
        .control(
            Method::DELETE,
            &format!(
                "/sandbox/connections/{}/bank/investments/{}",
                b.connection, gone["id"]
            ),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let r = app
        .control(
            Method::POST,
            &format!("/sandbox/connections/{}/bank/investments", b.connection),
            Some(
                json!({"id_account": market["id"], "label": "Apple Inc.", "code": "US0378331005",
                "quantity": 10, "unitprice": 150.5, "unitvalue": 180.25}),
            ),
        )
        .await
        .ok();
    assert!(r["key"].is_string(), "{r}");
    advance(&app, "1d").await;
    app.sync_connection(&b.token, b.connection).await;
    let now = lines(&app, &b.token, &path).await;
    assert_eq!(now.len(), before.len());
    assert!(!now.iter().any(|l| l["id"] == gone["id"]));
    let added = now
        .iter()
        .find(|l| l["code"] == "US0378331005" && l["label"] == "Apple Inc.")
        .unwrap();
    assert_eq!(dec(&added["valuation"]), Decimal::new(180250, 2));
    assert_eq!(dec(&added["diff"]), Decimal::new(29750, 2));
    assert_eq!(sum(&now, "portfolio_share"), Decimal::ONE);
    let balance = app
        .get(
            &format!("/users/me/accounts/{}", market["id"]),
            Some(&b.token),
        )
        .await
        .ok()["balance"]
        .clone();
    assert_eq!(dec(&balance), sum(&now, "valuation"));
    let all = lines(&app, &b.token, &format!("{path}?all")).await;
    let deleted = all
        .iter()
        .find(|l| l["id"] == gone["id"])
        .expect("still there with all");
    assert_eq!(deleted["deleted"], "2026-01-16");
    let read = app
        .get(&format!("/investments/{}", gone["id"]), Some(&b.token))
        .await
        .ok();
    assert_eq!(read["deleted"], "2026-01-16");
}

#[tokio::test]
async fn an_injected_order_is_pending_then_executed() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    let market = account_of_type(&app, &b.token, "market").await;
    app.control(
        Method::POST,
        &format!("/sandbox/connections/{}/bank/marketorders", b.connection),
        Some(
            json!({"account": market["webid"], "number": "QA-1", "label": "Air Liquide",
            "code": "FR0000120073", "direction": "SALE", "quantity": 3, "unitprice": 170}),
        ),
    )
    .await
    .ok();
    app.sync_connection(&b.token, b.connection).await;
    let list = app.get("/users/me/marketorders", Some(&b.token)).await.ok();
    let o = list["marketorders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["number"] == "QA-1")
        .unwrap()
        .clone();
    assert_eq!(o["state"], "Pending");
    assert_eq!(o["order_direction"], json!({"id": 2, "name": "SALE"}));
    advance(&app, "2d").await;
    app.sync_connection(&b.token, b.connection).await;
    let o = app
        .get(&format!("/marketorders/{}", o["id"]), Some(&b.token))
        .await
        .ok();
    assert_eq!(o["state"], "Executed");
    assert_eq!(dec(&o["amount"]), Decimal::from(510));
}

#[tokio::test]
async fn the_control_plane_refuses_bad_lines_and_orders_with_the_error_body() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    let market = account_of_type(&app, &b.token, "market").await;
    let checking = account_of_type(&app, &b.token, "checking").await;
    let lines_path = format!("/sandbox/connections/{}/bank/investments", b.connection);
    let good = json!({"id_account": market["id"], "label": "X", "quantity": 1, "unitprice": 1, "unitvalue": 1});
    for (patch, code) in [
        (json!({"code": "US0378331004"}), "invalidValue"),
        (json!({"quantity": 0}), "invalidValue"),
        (json!({"colour": "red"}), "invalidValue"),
        (json!({"id_account": checking["id"]}), "invalidValue"),
    ] {
        let mut body = good.clone();
        body.as_object_mut()
            .unwrap()
            .extend(patch.as_object().unwrap().clone());
        app.control(Method::POST, &lines_path, Some(body))
            .await
            .assert_error(400, code);
    }
    let mut body = good.clone();
    body["id_account"] = json!(999999);
    app.control(Method::POST, &lines_path, Some(body))
        .await
        .assert_error(404, "notFound");
    let orders = format!("/sandbox/connections/{}/bank/marketorders", b.connection);
    let o = json!({"id_account": market["id"], "label": "X", "direction": "HOLD", "quantity": 1, "unitprice": 1});
    app.control(Method::POST, &orders, Some(o))
        .await
        .assert_error(400, "invalidValue");
    // Nothing was written.
    app.sync_connection(&b.token, b.connection).await;
    let all = lines(&app, &b.token, "/users/me/investments?all").await;
    assert!(all.iter().all(|l| l["label"] != "X"));
}
