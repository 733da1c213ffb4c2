//! The rules between lines, pockets, balances, orders and the ledger, and their growth with
//! the sandbox clock.

use super::*;

/// The ISIN check digit rule (ISO 6166): letters as two digits, then Luhn.
fn isin_ok(code: &str) -> bool {
    let digits: String = code[..11]
        .chars()
        .map(|c| c.to_digit(36).unwrap().to_string())
        .collect();
    let sum: u32 = digits
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap();
            if i % 2 == 0 {
                (d * 2) / 10 + (d * 2) % 10
            } else {
                d
            }
        })
        .sum();
    code.len() == 12 && code[11..].parse::<u32>() == Ok((10 - sum % 10) % 10)
}

#[tokio::test]
async fn valuations_shares_and_balances_add_up_and_codes_are_valid_isins() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    for kind in ["market", "lifeinsurance"] {
        let account = account_of_type(&app, &b.token, kind).await;
        let id = id_of(&account);
        let list = lines(
            &app,
            &b.token,
            &format!("/users/me/accounts/{id}/investments"),
        )
        .await;
        assert!(list.len() >= 3, "{kind}");
        for l in &list {
            let (q, up, uv) = (
                dec(&l["quantity"]),
                dec(&l["unitprice"]),
                dec(&l["unitvalue"]),
            );
            assert_eq!(dec(&l["valuation"]), (q * uv).round_dp(2), "{l}");
            assert_eq!(
                dec(&l["diff"]),
                dec(&l["valuation"]) - (q * up).round_dp(2),
                "{l}"
            );
            assert!(isin_ok(l["code"].as_str().unwrap()), "{l}");
        }
        assert_eq!(sum(&list, "portfolio_share"), Decimal::ONE, "{kind}");
        assert_eq!(dec(&account["balance"]), sum(&list, "valuation"), "{kind}");
    }
}

#[tokio::test]
async fn the_pockets_of_a_line_split_its_quantity_and_value_exactly() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    let life = id_of(&account_of_type(&app, &b.token, "lifeinsurance").await);
    for l in lines(
        &app,
        &b.token,
        &format!("/users/me/accounts/{life}/investments"),
    )
    .await
    {
        let p = app
            .get(
                &format!("/users/me/investments/{}/pockets", l["id"]),
                Some(&b.token),
            )
            .await
            .ok();
        let p = p["pockets"].as_array().unwrap();
        assert_eq!(sum(p, "quantity"), dec(&l["quantity"]), "{l}");
        assert_eq!(sum(p, "value"), dec(&l["valuation"]), "{l}");
    }
}

#[tokio::test]
async fn every_executed_order_is_a_market_order_transaction_of_its_amount() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    let market = id_of(&account_of_type(&app, &b.token, "market").await);
    let orders = app
        .get(
            &format!("/users/me/accounts/{market}/marketorders"),
            Some(&b.token),
        )
        .await
        .ok();
    let orders = orders["marketorders"].as_array().unwrap().clone();
    assert!(orders.len() >= 3, "a year of orders: {}", orders.len());
    let txs = app
        .walk_transactions(
            &b.token,
            &format!("/users/me/accounts/{market}/transactions?limit=1000"),
        )
        .await;
    for o in &orders {
        let number = o["number"].as_str().unwrap();
        let direction = o["order_direction"]["name"].as_str().unwrap();
        assert!(["BUY", "SALE"].contains(&direction), "{o}");
        assert!(isin_ok(o["code"].as_str().unwrap()), "{o}");
        let of_order: Vec<&Value> = txs
            .iter()
            .filter(|t| t["original_wording"].as_str().unwrap().ends_with(number))
            .collect();
        if o["state"] == "Pending" {
            assert!(of_order.is_empty(), "{o}");
            continue;
        }
        assert_eq!(o["state"], "Executed");
        let amount = dec(&o["amount"]);
        assert_eq!(
            amount,
            (dec(&o["quantity"]) * dec(&o["unitprice"])).round_dp(2)
        );
        let t = of_order
            .iter()
            .find(|t| t["type"] == "market_order")
            .expect("its transaction");
        let signed = if direction == "BUY" { -amount } else { amount };
        assert_eq!(dec(&t["value"]), signed, "{o} {t}");
        assert_eq!(
            t["date"].as_str().unwrap(),
            &o["execution_date"].as_str().unwrap()[..10]
        );
        let fee = of_order
            .iter()
            .find(|t| t["type"] == "market_fee")
            .expect("its fee");
        assert!(dec(&fee["value"]) < Decimal::ZERO);
    }
    // And no market_order transaction without its order.
    let numbers: Vec<&str> = orders
        .iter()
        .map(|o| o["number"].as_str().unwrap())
        .collect();
    for t in txs.iter().filter(|t| t["type"] == "market_order") {
        let w = t["original_wording"].as_str().unwrap();
        assert!(numbers.iter().any(|n| w.ends_with(n)), "{t}");
    }
}

#[tokio::test]
async fn a_pending_order_is_executed_by_a_later_sync() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    let mut pending = None;
    for _ in 0..60 {
        let list = app.get("/users/me/marketorders", Some(&b.token)).await.ok();
        pending = list["marketorders"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["state"] == "Pending")
            .cloned();
        if pending.is_some() {
            break;
        }
        advance(&app, "1d").await;
        app.sync_connection(&b.token, b.connection).await;
    }
    let o = pending.expect("an order pending at some sync within two months");
    assert_eq!(o["execution_date"], Value::Null);
    assert_eq!(o["amount"], Value::Null);
    advance(&app, "4d").await;
    app.sync_connection(&b.token, b.connection).await;
    let later = app
        .get(&format!("/marketorders/{}", o["id"]), Some(&b.token))
        .await
        .ok();
    assert_eq!(later["state"], "Executed", "{later}");
    assert!(later["execution_date"].as_str().unwrap() > o["date"].as_str().unwrap());
    assert_eq!(later["number"], o["number"]);
}

#[tokio::test]
async fn a_later_sync_moves_the_value_date_and_grows_the_history() {
    let app = spawn_frozen().await;
    let b = app.user_with_bank().await;
    let first = lines(&app, &b.token, "/users/me/investments").await[0].clone();
    let h = app
        .get(
            &format!("/investments/{}/history", first["id"]),
            Some(&b.token),
        )
        .await
        .ok();
    let before = h["investmentvalues"].as_array().unwrap().clone();
    assert!(before.len() > 200, "a year of weekdays: {}", before.len());
    let last = before.last().unwrap();
    assert_eq!(last["vdate"], first["vdate"]);
    assert_eq!(last["unitvalue"], first["unitvalue"]);
    advance(&app, "7d").await;
    app.sync_connection(&b.token, b.connection).await;
    let now = app
        .get(&format!("/investments/{}", first["id"]), Some(&b.token))
        .await
        .ok();
    assert_eq!(now["vdate"], "2026-01-22");
    assert_eq!(now["prev_vdate"], "2026-01-21");
    let h = app
        .get(
            &format!("/users/me/investments/{}/history", first["id"]),
            Some(&b.token),
        )
        .await
        .ok();
    let after = h["investmentvalues"].as_array().unwrap();
    assert_eq!(after.len(), before.len() + 5, "five weekdays more");
    assert_eq!(&after[..before.len()], &before[..]);
    assert_eq!(after.last().unwrap()["unitvalue"], now["unitvalue"]);
}

#[tokio::test]
async fn the_same_seed_and_requests_give_the_same_wealth_bytes() {
    let mut bodies = Vec::new();
    for _ in 0..2 {
        let app = spawn_frozen().await;
        let b = app.user_with_bank().await;
        let mut out = String::new();
        for p in [
            "/users/me/investments",
            "/users/me/pockets",
            "/users/me/marketorders",
        ] {
            out.push_str(&app.get(p, Some(&b.token)).await.text);
        }
        bodies.push(out);
    }
    assert_eq!(bodies[0], bodies[1]);
}
