//! A connection's own webauth URL, the one its `error_message` gives while it is in
//! `webauthRequired`: `GET /bank/webauth/{id_connection}/{key}` opens a flow to resume that
//! connection and redirects (302) to the bank's consent page, as `/2.0/webauth` does; the
//! flow ends on `GET /bank/webauth/done`, which tells the PSU the outcome.

use crate::api::extract::Params;
use crate::error::{ApiError, Result};
use crate::pages::html::{self, found, SANDBOX_COLOR};
use crate::pages::i18n;
use crate::pages::webauth::bank_path;
use crate::state::AppState;
use crate::sync::webauth::open_for_connection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::html;

/// The pages an app did not open are in English, as those `/2.0/webauth` leads to.
const LANG: &str = "en";

/// `GET /bank/webauth/{id_connection}/{key}`.
pub async fn start(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path((id, key)): Path<(String, String)>,
) -> Response {
    let run = async {
        let id: i64 = id.parse().map_err(|_| ApiError::not_found("Connection"))?;
        let now = st.clock.now();
        let mut tx = st.db.begin().await?;
        let flow = open_for_connection(&mut tx, &st, id, &key, now).await?;
        tx.commit().await?;
        Ok::<_, ApiError>(found(&format!(
            "{}{}",
            st.base_url(&headers),
            bank_path(&flow)
        )))
    };
    match run.await {
        Ok(r) => r,
        Err(e) => html::error_page(LANG, &e),
    }
}

/// `GET /bank/webauth/done?id_connection=..` (renewed) or `?error=..&error_description=..`.
pub async fn done(params: Result<Params>) -> Response {
    let params = match params {
        Ok(p) => p,
        Err(e) => return html::error_page(LANG, &e),
    };
    let t = i18n::texts(LANG);
    let (title, text) = match params.text("id_connection") {
        Some(_) => (t.renewed_title, t.renewed_text.to_string()),
        None => (
            t.not_renewed_title,
            params
                .text("error_description")
                .or_else(|| params.text("error"))
                .unwrap_or("The bank did not authorise the access.")
                .to_string(),
        ),
    };
    let body = html! {
        div.card {
            h2 #outcome { (title) }
            p #text { (text) }
            @if let Some(e) = params.text("error") { p.muted { code #error { (e) } } }
        }
    };
    html::respond(
        StatusCode::OK,
        html::page(LANG, title, "Powens sandbox", SANDBOX_COLOR, body),
    )
}
