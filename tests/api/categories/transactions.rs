//! Categories on transactions: from the wording, under `expand=categories`, set by the PSU,
//! and on ACCOUNT_CATEGORIZED.

use super::*;

#[tokio::test]
async fn every_generated_transaction_gets_the_category_its_wording_names() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let txs = categorized(&app, &bank.token).await;
    let tree = app.get("/banks/categories", None).await.ok();
    let code_of = |id: &Value| {
        tree["bank_category"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == *id)
            .map(|c| c["code"].clone())
            .unwrap()
    };
    for (needle, code, parent) in [
        ("SALAIRE", "salary", "income"),
        ("LOYER", "rent", "housing"),
        ("PRLV SEPA EDF", "energy", "housing"),
        ("FREE MOBILE", "mobile_phone", "subscriptions"),
        ("FRAIS TENUE DE COMPTE", "bank_fees", "bank"),
        ("ECHEANCE PRET IMMOBILIER", "mortgage", "housing"),
        ("VIR PERMANENT EPARGNE", "savings_transfers", "savings"),
    ] {
        let t = worded(&txs, needle);
        assert_eq!(
            t["categories"],
            json!([{"code": code, "parent_code": parent}]),
            "{t}"
        );
        assert_eq!(code_of(&t["id_category"]), code, "{t}");
    }
    // Card payments at the bank's merchants.
    for t in txs.iter().filter(|t| t["type"] == "card") {
        let w = t["simplified_wording"].as_str().unwrap();
        let code = t["categories"][0]["code"].as_str().unwrap();
        let want = match w {
            "CARREFOUR MARKET" | "MONOPRIX" | "FRANPRIX" | "LECLERC" | "PICARD SURGELES" => {
                "groceries"
            }
            "TOTAL ENERGIES" => "fuel",
            "NETFLIX.COM" | "SPOTIFY" | "DEEZER" => "streaming",
            "PHARMACIE DU CENTRE" => "pharmacy",
            "SNCF" => "train",
            _ => continue,
        };
        assert_eq!(code, want, "{t}");
    }
    // Every transaction has one category, consistent with its id.
    for t in &txs {
        assert_eq!(t["categories"].as_array().unwrap().len(), 1, "{t}");
        assert_eq!(
            code_of(&t["id_category"]),
            t["categories"][0]["code"],
            "{t}"
        );
    }
}

#[tokio::test]
async fn categories_are_only_there_when_expanded_and_unknown_expansions_are_refused() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let token = &bank.token;
    let plain = app
        .get("/users/me/transactions?limit=5", Some(token))
        .await
        .ok();
    let t = &plain["transactions"][0];
    assert!(t.get("categories").is_none(), "{t}");
    assert!(t["id_category"].is_i64());
    let id = id_of(t);
    for expand in ["categories", "category", "categories,attachments"] {
        let one = app
            .get(
                &format!("/users/me/transactions/{id}?expand={expand}"),
                Some(token),
            )
            .await
            .ok();
        assert_eq!(one["categories"].as_array().unwrap().len(), 1, "{one}");
    }
    let in_account = app
        .get(
            &format!(
                "/users/me/accounts/{}/transactions?limit=3&expand=categories",
                t["id_account"]
            ),
            Some(token),
        )
        .await
        .ok();
    assert!(in_account["transactions"][0]["categories"].is_array());
    let r = app
        .get("/users/me/transactions?limit=5&expand=colours", Some(token))
        .await;
    r.assert_error(400, "invalidValue");
    assert!(r.body["description"].as_str().unwrap().contains("expand"));
}

#[tokio::test]
async fn a_category_the_psu_sets_sticks_across_later_syncs() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let token = &bank.token;
    let txs = categorized(&app, token).await;
    let rent = worded(&txs, "LOYER");
    let salary = worded(&txs, "SALAIRE");
    let path = format!("/users/me/transactions/{}", id_of(rent));
    // The current spelling, as py-powens sends it.
    let after = app
        .post(
            &format!("{path}?expand=categories"),
            Some(token),
            json!({"categories": [{"code": "restaurants", "parent_code": "food"}]}),
        )
        .await
        .ok();
    assert_eq!(after["id_category"], 302);
    assert_eq!(
        after["categories"],
        json!([{"code": "restaurants", "parent_code": "food"}])
    );
    // The deprecated id, as a legacy form.
    let spath = format!("/users/me/transactions/{}", id_of(salary));
    let form = post_form(&app, &spath, Some(token), &[("id_category", "103")]).await;
    assert_eq!(form.ok()["id_category"], 103);
    // PUT, the legacy verb.
    let put = app
        .put(&spath, Some(token), Some(json!({"id_category": 104})))
        .await
        .ok();
    assert_eq!(put["id_category"], 104);

    advance(&app, "40d").await;
    app.sync_connection(token, bank.connection).await;
    let again = app
        .get(&format!("{path}?expand=categories"), Some(token))
        .await
        .ok();
    assert_eq!(again["id_category"], 302);
    assert_eq!(again["categories"][0]["code"], "restaurants");
    let s = app.get(&spath, Some(token)).await.ok();
    assert_eq!(s["id_category"], 104);
    // The month's new rent is the bank's category again.
    let later = categorized(&app, token).await;
    let rents: Vec<&Value> = later
        .iter()
        .filter(|t| t["original_wording"].as_str().unwrap().contains("LOYER"))
        .collect();
    assert!(rents.len() >= 2);
    assert!(rents.iter().any(|t| t["categories"][0]["code"] == "rent"));
    // The user's categories now include the PSU's choice.
    let mine = app.get("/users/me/categories", Some(token)).await.ok();
    assert!(ids(&mine["categories"]).contains(&302));
}

#[tokio::test]
async fn a_bad_category_is_refused_and_changes_nothing() {
    let app = spawn_frozen().await;
    let bank = app.user_with_bank().await;
    let token = &bank.token;
    let t = app
        .get("/users/me/transactions?limit=1", Some(token))
        .await
        .ok()["transactions"][0]
        .clone();
    let path = format!("/users/me/transactions/{}", id_of(&t));
    for (mut body, field) in [
        (json!({"id_category": 424242}), "id_category"),
        (json!({"id_category": "abc"}), "id_category"),
        (
            json!({"categories": [{"code": "no_such_thing"}]}),
            "categories",
        ),
        (json!({"categories": []}), "categories"),
        (
            json!({"categories": [{"code": "rent", "colour": "red"}]}),
            "colour",
        ),
        (json!({"categories": true}), "categories"),
    ] {
        // Beside a valid change, which must not be written either.
        body["wording"] = json!("CHANGED");
        let r = app.post(&path, Some(token), body).await;
        r.assert_error(400, "invalidValue");
        assert!(
            r.body["description"].as_str().unwrap().contains(field),
            "{}",
            r.text
        );
    }
    let same = app.get(&path, Some(token)).await.ok();
    assert_eq!(same, t, "nothing written");
    // Another user's transaction is a 404.
    let (_, other) = app.permanent_user().await;
    app.post(&path, Some(&other), json!({"id_category": 301}))
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn account_categorized_carries_the_new_transactions_with_their_categories() {
    let app = spawn_with(|c| {
        c.clock_start = Some("2026-01-15 10:00:00".into());
        c.webhook_urls = vec!["http://127.0.0.1:9/hooks".into()];
    })
    .await;
    let bank = app.user_with_bank().await;
    let b = app
        .sandbox_get("/sandbox/webhooks/deliveries?limit=1000")
        .await
        .ok();
    let categorized: Vec<&Value> = b["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["event"] == "ACCOUNT_CATEGORIZED")
        .collect();
    assert!(!categorized.is_empty());
    let txs = super::categorized(&app, &bank.token).await;
    let mut seen = 0;
    for d in categorized {
        let p = &d["payload"];
        for t in p["transactions"].as_array().unwrap() {
            assert_eq!(t["id_account"], p["id_account"]);
            let listed = txs.iter().find(|x| x["id"] == t["id"]).unwrap();
            assert_eq!(t["categories"], listed["categories"], "{t}");
            assert_eq!(t["id_category"], listed["id_category"]);
            seen += 1;
        }
    }
    assert!(seen > 0);
}
