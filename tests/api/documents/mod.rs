//! The Bill product (reference §8–§10, §12): subscriptions of a telecom provider and of
//! banks' checking accounts, their monthly documents with real PDF files, document types,
//! the lifecycle (disabled until consent, disabling deletes documents, deleting the
//! connection removes everything) and the SUBSCRIPTION_* events.

mod control;
mod files;
mod lists;
mod subscriptions;
mod webhooks;

use crate::common::*;
use serde_json::{json, Value};

/// A user with an Onde Télécom connection whose subscriptions are all enabled:
/// (token, connection, subscriptions).
async fn provider_user(app: &TestApp) -> (String, i64, Vec<i64>) {
    let (_, token) = app.permanent_user().await;
    let c = app
        .create_connection(&token, onde("camille@example.org"))
        .await;
    let subs = app.enable_all_subscriptions(&token).await;
    assert!(!subs.is_empty(), "the provider has contracts");
    (token, c["id"].as_i64().unwrap(), subs)
}

/// The user's documents, all of them.
async fn documents(app: &TestApp, token: &str, query: &str) -> Value {
    app.get(&format!("/users/me/documents{query}"), Some(token))
        .await
        .ok()
}

/// The text of a PDF, every page, as a PDF parser reads it.
fn pdf_text(bytes: &[u8]) -> String {
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF parser opens it");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    // No-break spaces (in amounts) read as plain ones, whichever way the parser maps them.
    doc.extract_text(&pages)
        .expect("its text reads")
        .replace('\u{a0}', " ")
}
