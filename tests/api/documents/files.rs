//! Document files: real PDFs, the same bytes every time, whose text matches the document
//! and, for statements, the account's ledger.

use super::*;
use rust_decimal::Decimal;

fn euros(v: Decimal) -> String {
    // The French style of the files: "1 234,56 €" (no-break spaces, read as plain ones).
    let s = format!("{:.2}", v.abs());
    let (int, frac) = s.split_once('.').unwrap();
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(ch);
    }
    let sign = if v.is_sign_negative() && !v.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{grouped},{frac} €")
}

#[tokio::test]
async fn a_bill_is_a_pdf_naming_its_issuer_period_and_amount() {
    let app = spawn_frozen().await;
    let (token, _, _) = provider_user(&app).await;
    let all = documents(&app, &token, "").await;
    let d = all["documents"].as_array().unwrap().last().unwrap().clone();
    let url = d["url"].as_str().unwrap();
    let (status, ct, bytes) = app.download(url, &token).await;
    assert_eq!(status, 200);
    assert_eq!(ct, "application/pdf");
    let text = pdf_text(&bytes);
    assert!(text.contains("Onde Télécom"), "{text}");
    assert!(text.contains(d["number"].as_str().unwrap()), "{text}");
    let period = d["name"].as_str().unwrap().trim_start_matches("Facture ");
    assert!(text.contains(&format!("Période : {period}")), "{text}");
    assert!(
        text.contains(&format!("Total TTC : {}", euros(dec(&d["total_amount"])))),
        "{text}"
    );
    let (_, _, again) = app.download(url, &token).await;
    assert_eq!(again, bytes);
    // Another sandbox with the same seed and the same requests serves the same bytes.
    let other = spawn_frozen().await;
    let (token2, _, _) = provider_user(&other).await;
    let d2 = documents(&other, &token2, "").await["documents"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    let (_, _, bytes2) = other.download(d2["url"].as_str().unwrap(), &token2).await;
    assert_eq!(bytes2, bytes);
}

#[tokio::test]
async fn a_statement_lists_the_month_s_transactions_between_its_opening_and_closing_balances() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    app.create_connection(&token, hermeline("12345678", "123456"))
        .await;
    app.enable_all_accounts(&token).await;
    app.enable_all_subscriptions(&token).await;
    let b = documents(&app, &token, "?id_type=6").await;
    let list = b["documents"].as_array().unwrap();
    assert!(list.len() >= 11, "{b}");
    // The statement of November 2025, issued on 1 December.
    let d = list
        .iter()
        .find(|d| d["date"] == "2025-12-01 00:00:00")
        .expect("November's statement");
    assert_eq!(d["issuer"], "Banque Hermeline");
    let (_, ct, bytes) = app.download(d["url"].as_str().unwrap(), &token).await;
    assert_eq!(ct, "application/pdf");
    let text = pdf_text(&bytes);
    assert!(text.contains("Période : novembre 2025"), "{text}");
    let accounts = app.all_accounts(&token).await;
    let checking = accounts.iter().find(|a| a["type"] == "checking").unwrap();
    let txs = app
        .walk_transactions(
            &token,
            &format!(
                "/users/me/accounts/{}/transactions?min_date=2025-11-01&max_date=2025-11-30&limit=1000",
                checking["id"]
            ),
        )
        .await;
    assert!(!txs.is_empty());
    assert!(
        text.contains(&format!("Nombre d'opérations : {}", txs.len())),
        "{text}"
    );
    let sum: Decimal = txs.iter().map(|t| dec(&t["value"])).sum();
    let balance = |label: &str| -> Decimal {
        let line = text
            .lines()
            .find(|l| l.contains(label))
            .unwrap_or_else(|| panic!("no {label} in {text}"));
        let v = line.rsplit(" : ").next().unwrap().trim();
        let v = v
            .trim_end_matches('€')
            .trim()
            .replace(['\u{a0}', ' '], "")
            .replace(',', ".");
        v.parse().unwrap()
    };
    let opening = balance("Solde au 31/10/2025");
    let closing = balance("Solde au 30/11/2025");
    assert_eq!(closing - opening, sum);
    for t in txs.iter().take(5) {
        assert!(
            text.contains(&euros(dec(&t["value"]))),
            "{} missing from {text}",
            t["value"]
        );
    }
}
