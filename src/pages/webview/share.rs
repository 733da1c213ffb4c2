//! The end of the connect flow: the PSU chooses the accounts to share (enabled and fetched
//! at once), then another connection or back to the app with `connection_id`,
//! `connection_ids`, `code` (for a user the webview created) and `state`.

use super::visit::{answer, load, page, path, shareable, texts};
use crate::error::{ApiError, Result};
use crate::state::AppState;
use crate::store::sessions::{self, WebviewSession};
use crate::store::{accounts, tokens};
use crate::sync;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::TimeDelta;
use maud::html;

/// `GET /webview/session/{id}/connections/{c}/accounts`: which accounts to share.
pub async fn accounts_page(
    State(st): State<AppState>,
    Path((id, c)): Path<(String, String)>,
) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let run = async {
        let c = super::visit::connection(&st, &s, &c).await?;
        let connector = st.catalogue.connector_by_id(c.id_connector);
        let list = {
            let mut conn = st.db.reader.acquire().await?;
            shareable(&s, accounts::of_connection(&mut conn, c.id).await?)
        };
        let t = texts(&s);
        let body = html! {
            div.card {
                h2 { (t.accounts_heading) }
                form #accounts method="post" action=(path(&s, &format!("/connections/{}/accounts", c.id))) {
                    ul.list {
                        @for a in &list {
                            li {
                                label {
                                    input type="checkbox" name="account" value=(a.id) checked;
                                    " " (a.name)
                                }
                                span.muted { (a.kind) @if let Some(n) = &a.number { " · " (n) } }
                            }
                        }
                        @if list.is_empty() { li.muted { (t.no_account_found) } }
                    }
                    button #share type="submit" { (t.share) }
                }
            }
        };
        Ok(page(&s, t.accounts_title, connector, body))
    };
    answer(&s, run.await)
}

/// `POST /webview/session/{id}/connections/{c}/accounts` (`account=<id>` repeated): the
/// PSU's consent to these accounts: enabled and fetched at once, as the API does.
pub async fn share(
    State(st): State<AppState>,
    Path((id, c)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let run = async {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
            .map_err(|_| ApiError::InvalidValue("The form body is malformed.".into()))?;
        let chosen: Vec<i64> = pairs
            .iter()
            .filter(|(k, _)| k == "account")
            .filter_map(|(_, v)| v.parse().ok())
            .collect();
        let c = super::visit::connection(&st, &s, &c).await?;
        let now = st.clock.now();
        let mut tx = st.db.begin().await?;
        let offered = shareable(&s, accounts::of_connection(&mut tx, c.id).await?);
        for mut a in offered.into_iter().filter(|a| chosen.contains(&a.id)) {
            sync::lifecycle::enable_account(&mut tx, &st, &c, &mut a, now).await?;
        }
        let mut s = s.clone();
        if !s.connections.contains(&c.id) {
            s.connections.push(c.id);
        }
        sessions::save_webview(&mut tx, &s).await?;
        tx.commit().await?;
        let max = s
            .param("max_connections")
            .and_then(|m| m.parse::<usize>().ok())
            .unwrap_or(1);
        if s.connections.len() >= max {
            return finish_connect(&st, s).await;
        }
        let t = texts(&s);
        let body = html! {
            div.card {
                h2 { (t.connected_heading) }
                p { (t.connected_text) }
                a.button #another href=(path(&s, "")) { (t.another) }
                form.inline method="post" action=(path(&s, "/finish")) {
                    button #finish.secondary type="submit" { (t.finish) }
                }
            }
        };
        Ok(page(&s, t.connected_title, None, body))
    };
    answer(&s, run.await)
}

/// Back to the app with `connection_id`, `connection_ids`, `code` (only when the webview
/// created the user) and `state`.
pub async fn finish_connect(st: &AppState, s: WebviewSession) -> Result<Response> {
    let mut q: Vec<(&str, String)> = vec![];
    if let Some(last) = s.connections.last() {
        q.push(("connection_id", last.to_string()));
        let ids: Vec<String> = s.connections.iter().map(i64::to_string).collect();
        q.push(("connection_ids", ids.join(",")));
    }
    if s.new_user {
        let now = st.clock.now();
        let mut tx = st.db.begin().await?;
        let expires = now + TimeDelta::seconds(crate::api::auth::TEMPORARY_LIFETIME_SECS);
        let code = tokens::create_code(&mut tx, s.id_user, "standard", now, expires).await?;
        tx.commit().await?;
        q.push(("code", code));
    }
    super::visit::end(st, s, q).await
}
