//! The simulated bank's consent page, where `/webauth` sends the browser: in the connector's
//! name and colour, the PSU signs in, sees what is shared, and approves or refuses.
//!
//! Without a browser: `GET /bank/consent/{id}?outcome=approve|refuse|server_error` answers at
//! once (optionally with `&login=`), and so does every flow while the control plane's
//! `POST /sandbox/webauth {"auto": ...}` is set. The login `bankfailure` makes the bank fail.

use crate::api::extract::{Fields, Params};
use crate::error::{ApiError, Result};
use crate::model::format;
use crate::pages::html::{self, found, see_other};
use crate::pages::i18n::{self, fill, rich};
use crate::pages::webauth::{self, Decision, FAILING_LOGIN};
use crate::sandbox::webauth as auto;
use crate::state::AppState;
use crate::store::{self, client_apps, sessions};
use crate::sync::states;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;

/// The page's language: the webview visit's when the flow was opened by one (it comes back
/// to `/webview/session/{visit}/...`), English for a flow an app opened with `/webauth`.
async fn lang_of(st: &AppState, id: &str) -> String {
    let visit_lang = async {
        let mut conn = st.db.reader.acquire().await?;
        let Some(flow) = sessions::webauth(&mut conn, id).await? else {
            return Ok(None);
        };
        let Some(visit) = flow
            .redirect_uri
            .strip_prefix("/webview/session/")
            .and_then(|rest| rest.split('/').next())
        else {
            return Ok(None);
        };
        Ok::<_, sqlx::Error>(sessions::webview(&mut conn, visit).await?.map(|v| v.lang))
    };
    let code = visit_lang
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| "en".into());
    i18n::Lang::of_code(&code).code().to_string()
}

async fn page_error(st: &AppState, id: &str, e: ApiError) -> Response {
    html::error_page(&lang_of(st, id).await, &e)
}

/// `GET /bank/consent/{id}`: the page, or the answer at once when one is chosen.
pub async fn show(
    State(st): State<AppState>,
    Path(id): Path<String>,
    params: std::result::Result<Params, ApiError>,
) -> Response {
    let run = async {
        let params = params?;
        let now = st.clock.now();
        let chosen = match params.text("outcome") {
            Some(o) => Some(
                Decision::parse(o, params.text("login").map(str::to_owned)).ok_or_else(|| {
                    ApiError::invalid("outcome", "expected approve, refuse or server_error")
                })?,
            ),
            None => None,
        };
        let mut tx = st.db.begin().await?;
        webauth::live(&mut tx, &id, now).await?;
        let chosen = match chosen {
            Some(d) => Some(d),
            None => auto::take(&mut tx)
                .await?
                .and_then(|o| Decision::parse(&o, None)),
        };
        if let Some(d) = chosen {
            let url = webauth::finish(&mut tx, &st, &id, d, now).await?;
            tx.commit().await?;
            return Ok(found(&url));
        }
        drop(tx);
        consent_page(&st, &id).await
    };
    match run.await {
        Ok(r) => r,
        Err(e) => page_error(&st, &id, e).await,
    }
}

/// `POST /bank/consent/{id}`: the PSU's answer (`decision=approve|refuse`, `login`, `password`).
pub async fn submit(State(st): State<AppState>, Path(id): Path<String>, form: Fields) -> Response {
    let run = async {
        let login = form.str("login")?.map(|l| l.trim().to_string());
        let decision = match form.str("decision")?.as_deref() {
            Some("refuse") => Decision::Refuse,
            Some("approve") if login.as_deref() == Some(FAILING_LOGIN) => {
                Decision::Fail("The bank's authorisation server failed.".into())
            }
            Some("approve") => Decision::Approve { login },
            _ => return Err(ApiError::invalid("decision", "expected approve or refuse")),
        };
        let now = st.clock.now();
        let mut tx = st.db.begin().await?;
        let url = webauth::finish(&mut tx, &st, &id, decision, now).await?;
        tx.commit().await?;
        Ok(see_other(&url))
    };
    match run.await {
        Ok(r) => r,
        Err(e) => page_error(&st, &id, e).await,
    }
}

async fn consent_page(st: &AppState, id: &str) -> Result<Response> {
    // Before taking a connection of its own: the reading pool may have only one.
    let lang = lang_of(st, id).await;
    let now = st.clock.now();
    let mut conn = st.db.reader.acquire().await?;
    let s = webauth::live(&mut conn, id, now).await?;
    let connector = st
        .catalogue
        .connector_by_id(s.id_connector)
        .ok_or_else(|| ApiError::internal("connector missing"))?;
    let app = client_apps::by_client_id(&mut conn, &s.client_id)
        .await?
        .map(|a| a.name)
        .unwrap_or_else(|| s.client_id.clone());
    let login = match s.id_connection {
        Some(c) => store::connections::get(&mut conn, s.id_user, c)
            .await?
            .map(|c| c.login)
            .filter(|l| !l.starts_with("psu-")),
        None => None,
    };
    // The day consent ends, in the API's zone as every date the PSU is shown.
    let until =
        format::date(format::utc_to_local(states::consent_until(now), format::zone()).date());
    let accent = html::color(connector.color.as_deref());
    let renewing = s.id_connection.is_some();
    let t = i18n::texts(&lang);
    let days = connector.history_days.to_string();
    let body = html! {
        div.card {
            h2 { @if renewing { (t.consent_renew) } @else { (t.consent_sign_in) } }
            p {
                (rich(t.consent_asks, &[
                    ("app", html! { strong { (app) } }),
                    ("bank", html! { strong { (connector.name) } }),
                ]))
            }
            p { (t.consent_reads) }
            ul {
                li { (t.consent_accounts) }
                li { (t.consent_balances) }
                li { (fill(t.consent_history, &[("days", &days)])) }
            }
            p.muted { (fill(t.consent_lasts, &[("date", &until)])) }
            form method="post" action=(webauth::bank_path(id)) {
                label for="login" { (t.customer_number) }
                input #login type="text" name="login" autocomplete="username" value=[login.as_deref()];
                label for="password" { (t.password) }
                input #password type="password" name="password" autocomplete="current-password";
                div {
                    button #approve type="submit" name="decision" value="approve" { (t.approve) }
                    button #refuse.secondary type="submit" name="decision" value="refuse" formnovalidate { (t.refuse) }
                }
            }
        }
        div.card.muted {
            (rich(t.consent_sandbox, &[
                ("login", html! { code { (FAILING_LOGIN) } }),
                ("approve", html! { code { "?outcome=approve" } }),
                ("refuse", html! { code { "refuse" } }),
                ("server_error", html! { code { "server_error" } }),
            ]))
        }
    };
    Ok(html::respond(
        StatusCode::OK,
        html::page(&lang, t.consent_title, &connector.name, accent, body),
    ))
}
