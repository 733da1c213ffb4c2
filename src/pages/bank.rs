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
use crate::pages::webauth::{self, Decision, FAILING_LOGIN};
use crate::sandbox::webauth as auto;
use crate::state::AppState;
use crate::store::{self, client_apps};
use crate::sync::states;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;

fn page_error(e: ApiError) -> Response {
    html::error_page("en", &e)
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
    run.await.unwrap_or_else(page_error)
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
    run.await.unwrap_or_else(page_error)
}

async fn consent_page(st: &AppState, id: &str) -> Result<Response> {
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
    let body = html! {
        div.card {
            h2 { @if renewing { "Renew your consent" } @else { "Sign in to authorise access" } }
            p {
                strong { (app) } " asks " strong { (connector.name) }
                " for access to your accounts through the Powens service."
            }
            p { "If you approve, it will be able to read:" }
            ul {
                li { "the list of your accounts, their names, numbers and IBANs;" }
                li { "their balances;" }
                li { "their transactions, up to " (connector.history_days) " days back." }
            }
            p.muted { "This consent lasts 180 days, until " (until) ". You can withdraw it at any time." }
            form method="post" action=(webauth::bank_path(id)) {
                label for="login" { "Customer number" }
                input #login type="text" name="login" autocomplete="username" value=[login.as_deref()];
                label for="password" { "Password" }
                input #password type="password" name="password" autocomplete="current-password";
                div {
                    button #approve type="submit" name="decision" value="approve" { "Approve" }
                    button #refuse.secondary type="submit" name="decision" value="refuse" formnovalidate { "Refuse" }
                }
            }
        }
        div.card.muted {
            "Sandbox bank: any login and password are accepted; the login "
            code { (FAILING_LOGIN) } " makes the bank fail. Headless runs add "
            code { "?outcome=approve" } ", " code { "refuse" } " or " code { "server_error" }
            " to this page's URL."
        }
    };
    Ok(html::respond(
        StatusCode::OK,
        html::page("en", "Authorisation", &connector.name, accent, body),
    ))
}
