//! The manage flow: the user's connections (or the one named by `connection_id`) with their
//! accounts; share or stop sharing an account, fix a connection that needs action, delete a
//! connection. Closing goes back to the app with `state` (and `connection_id`,
//! `connection_deleted=true` when that connection was deleted).

use super::visit::{answer, load, page, path, texts};
use crate::api::extract::Fields;
use crate::error::{ApiError, Result};
use crate::pages::html::see_other;
use crate::pages::i18n::fill;
use crate::state::AppState;
use crate::store::sessions;
use crate::store::sessions::WebviewSession;
use crate::store::{self, accounts};
use crate::sync;
use axum::extract::{Path, State};
use axum::response::Response;
use maud::html;

/// The connections this visit manages.
async fn managed(
    st: &AppState,
    s: &WebviewSession,
) -> Result<Vec<crate::store::connections::Connection>> {
    let mut conn = st.db.reader.acquire().await?;
    let mut list = store::connections::list(&mut conn, s.id_user).await?;
    if let Some(id) = s.param("connection_id") {
        list.retain(|c| c.id.to_string() == id);
    }
    Ok(list)
}

/// `GET /webview/session/{id}` for manage.
pub async fn overview(st: &AppState, s: &WebviewSession) -> Response {
    let run = async {
        let list = managed(st, s).await?;
        let mut cards = Vec::new();
        for c in &list {
            let accs = {
                let mut conn = st.db.reader.acquire().await?;
                super::visit::shareable(s, accounts::of_connection(&mut conn, c.id).await?)
            };
            cards.push((c, st.catalogue.connector_by_id(c.id_connector), accs));
        }
        let t = texts(s);
        let body = html! {
            @if !s.deleted.is_empty() { div.notice { (t.deleted_notice) } }
            @for (c, k, accs) in &cards {
                div.card.connection id={ "connection-" (c.id) } {
                    h2 {
                        @if let Some(k) = k {
                            span.swatch style={ "background:#" (crate::pages::html::color(k.color.as_deref())) } {}
                            (k.name)
                        } @else { (fill(t.connection_n, &[("id", &c.id.to_string())])) }
                    }
                    p.muted {
                        (super::form::state_label(t, c.state.as_ref()))
                        @if let Some(d) = &c.last_update { " · " (fill(t.last_synced, &[("date", &crate::model::format::shown(d))])) }
                    }
                    @if c.state.is_some() {
                        a.button id={ "fix-" (c.id) } href=(path(s, &format!("/connections/{}", c.id))) { (t.fix) }
                    }
                    ul.list {
                        @for a in accs {
                            li id={ "account-" (a.id) } {
                                span {
                                    (a.name) " "
                                    span.muted { (a.kind) " · " @if a.disabled.is_some() { (t.not_shared) } @else { (t.shared) } }
                                }
                                form.inline method="post" action=(path(s, &format!("/accounts/{}", a.id))) {
                                    @if a.disabled.is_some() {
                                        input type="hidden" name="disabled" value="false";
                                        button id={ "toggle-" (a.id) } type="submit" { (t.share) }
                                    } @else {
                                        input type="hidden" name="disabled" value="true";
                                        button.secondary id={ "toggle-" (a.id) } type="submit" { (t.stop_sharing) }
                                    }
                                }
                            }
                        }
                        @if accs.is_empty() { li.muted { (t.no_account) } }
                    }
                    form method="post" action=(path(s, &format!("/connections/{}/delete", c.id))) {
                        button.danger id={ "delete-" (c.id) } type="submit" { (t.delete) }
                    }
                }
            }
            @if cards.is_empty() { div.card { p { (t.no_connection) } } }
            @if s.redirect_uri.is_some() {
                form method="post" action=(path(s, "/finish")) {
                    button #close type="submit" { (t.close) }
                }
            }
        };
        Ok(page(s, t.manage_title, None, body))
    };
    answer(s, run.await)
}

/// `POST /webview/session/{id}/accounts/{a}` (`disabled=true|false`): stop or start sharing
/// an account, as `POST /users/me/accounts/{id}` does.
pub async fn toggle(
    State(st): State<AppState>,
    Path((id, a)): Path<(String, String)>,
    form: Fields,
) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let run = async {
        let disable = form
            .bool("disabled")?
            .ok_or_else(|| ApiError::missing("disabled"))?;
        let a: i64 = a.parse().map_err(|_| ApiError::not_found("Account"))?;
        let now = st.clock.now();
        let mut tx = st.db.begin().await?;
        let mut acc = accounts::get(&mut tx, s.id_user, a)
            .await?
            .filter(|acc| {
                s.param("connection_id")
                    .is_none_or(|c| c == acc.id_connection.to_string())
            })
            .ok_or_else(|| ApiError::not_found("Account"))?;
        if disable {
            sync::lifecycle::disable_account(&mut tx, &st, &mut acc, now).await?;
        } else if acc.disabled.is_some() {
            let c = store::connections::by_id(&mut tx, acc.id_connection)
                .await?
                .ok_or_else(|| ApiError::internal("connection vanished"))?;
            sync::lifecycle::enable_account(&mut tx, &st, &c, &mut acc, now).await?;
        }
        tx.commit().await?;
        Ok(see_other(&path(&s, "")))
    };
    answer(&s, run.await)
}

/// `POST /webview/session/{id}/connections/{c}/delete`: hard delete, as the API does.
pub async fn delete(State(st): State<AppState>, Path((id, c)): Path<(String, String)>) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let run = async {
        let c = super::visit::connection(&st, &s, &c).await?;
        let mut s = s.clone();
        s.deleted.push(c.id);
        let mut tx = st.db.begin().await?;
        sync::lifecycle::delete_connection(&mut tx, &st, &c, st.clock.now()).await?;
        sessions::save_webview(&mut tx, &s).await?;
        tx.commit().await?;
        Ok(see_other(&path(&s, "")))
    };
    answer(&s, run.await)
}

/// Back to the app: `state`, and `connection_id` + `connection_deleted=true` when a
/// connection was deleted.
pub async fn close(st: &AppState, s: WebviewSession) -> Result<Response> {
    let mut q: Vec<(&str, String)> = vec![];
    if let Some(last) = s.deleted.last() {
        q.push(("connection_id", last.to_string()));
        q.push(("connection_deleted", "true".into()));
    } else if let Some(id) = s.param("connection_id") {
        q.push(("connection_id", id.to_string()));
    }
    super::visit::end(st, s, q).await
}
