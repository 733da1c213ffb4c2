//! A connection's page in any flow: what its state asks of the PSU (SCA, OTP, decoupled
//! validation, webauth, new credentials) and the forms that answer it, through the same
//! `sync::resume` functions as `POST /users/me/connections/{id}`. When nothing is asked any
//! more, connect goes on to the accounts, reconnect back to the app, manage to its overview.

use super::visit::{answer, load, page_with_status, path, texts};
use crate::api::connections::check_fields;
use crate::api::extract::Fields;
use crate::error::{ApiError, Result};
use crate::model::catalogue::{ConnectorField, ConnectorSource};
use crate::model::states::ConnectionState;
use crate::pages::html::{found, see_other};
use crate::pages::i18n::{fill, rich};
use crate::pages::webauth::Target;
use crate::state::AppState;
use crate::store::connections::Connection;
use crate::store::sessions::WebviewSession;
use crate::store::{self};
use crate::sync::{self, Action, Applied};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};

/// What the connection's state asks of the PSU.
enum Need {
    Nothing,
    Sca,
    Otp,
    Decoupled,
    Webauth,
    Credentials,
    /// Nothing the webview can do (actionNeeded, notSupported).
    Blocked,
    /// The bank fails for a while (rateLimiting, websiteUnavailable, bug).
    BankFailure,
}

fn need(c: &Connection) -> Need {
    use ConnectionState as S;
    match &c.state {
        None => Need::Nothing,
        Some(S::SCARequired) => Need::Sca,
        Some(S::WebauthRequired) => Need::Webauth,
        Some(S::AdditionalInformationNeeded) => Need::Otp,
        Some(S::Decoupled | S::Validating) => Need::Decoupled,
        Some(S::Wrongpass | S::PasswordExpired) => Need::Credentials,
        Some(S::RateLimiting | S::WebsiteUnavailable | S::Bug) => Need::BankFailure,
        Some(_) => Need::Blocked,
    }
}

fn action(s: &WebviewSession, c: &Connection, what: &str) -> String {
    path(s, &format!("/connections/{}/{what}", c.id))
}

fn message(c: &Connection) -> Markup {
    html! { @if let Some(m) = &c.error_message { div.notice #message { (m) } } }
}

/// `GET /webview/session/{id}/connections/{c}`.
pub async fn show(State(st): State<AppState>, Path((id, c)): Path<(String, String)>) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let run = async {
        let c = super::visit::connection(&st, &s, &c).await?;
        render(&st, s.clone(), &c, None, StatusCode::OK).await
    };
    answer(&s, run.await)
}

async fn render(
    st: &AppState,
    s: WebviewSession,
    c: &Connection,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response> {
    let connector = st.catalogue.connector_by_id(c.id_connector);
    let t = texts(&s);
    let name = connector.map(|k| k.name.as_str()).unwrap_or(t.your_bank);
    let bank = [("bank", name)];
    let err = html! { @if let Some(e) = error { div.error #error { (e) } } };
    let body = match need(c) {
        Need::Nothing => {
            return Ok(match s.flow.as_str() {
                "connect" if !super::visit::shared(&s, c.id) => {
                    found(&path(&s, &format!("/connections/{}/accounts", c.id)))
                }
                "connect" => found(&path(&s, "")),
                "manage" => found(&path(&s, "")),
                _ => super::visit::end(st, s, vec![]).await?,
            })
        }
        Need::Sca => html! {
            div.card {
                h2 { (t.sca_heading) }
                (err) (message(c))
                p { (fill(t.sca_text, &bank)) }
                form method="post" action=(action(&s, c, "sca")) {
                    button #authenticate type="submit" { (t.authenticate) }
                }
            }
        },
        Need::Otp => {
            let fields: Vec<ConnectorField> = c
                .fields
                .as_deref()
                .and_then(|f| serde_json::from_str(f).ok())
                .unwrap_or_else(|| vec![crate::sync::states::otp_field()]);
            html! {
                div.card {
                    h2 { (t.otp_heading) }
                    (err) (message(c))
                    form #otp-form method="post" action=(action(&s, c, "otp")) {
                        @for f in &fields { (super::form::field_input(t, f, None)) }
                        button #submit type="submit" { (t.validate) }
                    }
                    p.muted { (rich(t.otp_hint, &[("code", html! { code { (crate::sync::states::OTP) } })])) }
                }
            }
        }
        Need::Decoupled => html! {
            div.card {
                h2 { (t.decoupled_heading) }
                (err) (message(c))
                p { (fill(t.decoupled_text, &bank)) }
                form method="post" action=(action(&s, c, "resume")) {
                    button #resume type="submit" { (t.validated) }
                }
            }
        },
        Need::Webauth => html! {
            div.card {
                h2 { (t.webauth_heading) }
                (err) (message(c))
                form method="post" action=(action(&s, c, "webauth")) {
                    button #webauth type="submit" { (fill(t.continue_at, &bank)) }
                }
            }
        },
        Need::Credentials => {
            return credentials_page(st, &s, c, error, status);
        }
        Need::Blocked | Need::BankFailure => html! {
            div.card {
                h2 { (super::form::state_label(t, c.state.as_ref())) }
                (err) (message(c))
                p { (t.nothing_to_do) }
                form method="post" action=(path(&s, "/finish")) {
                    button #finish type="submit" { (t.back_to_app) }
                }
            }
        },
    };
    Ok(page_with_status(
        &s,
        status,
        t.connection_title,
        connector,
        body,
    ))
}

fn credentials_page(
    st: &AppState,
    s: &WebviewSession,
    c: &Connection,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response> {
    let connector = st
        .catalogue
        .connector_by_id(c.id_connector)
        .ok_or_else(|| ApiError::internal("connector missing"))?;
    let sources: Vec<&ConnectorSource> = connector.sources.iter().collect();
    let fields = super::form::credential_fields(connector, &sources);
    let login = (!c.login.starts_with("psu-")).then_some(c.login.as_str());
    let t = texts(s);
    let body = html! {
        div.card {
            h2 { (t.credentials_heading) }
            @if let Some(e) = error { div.error #error { (e) } }
            (message(c))
            form #credentials method="post" action=(action(s, c, "credentials")) {
                @for f in &fields {
                    (super::form::field_input(t, f, if f.name == "login" { login } else { None }))
                }
                button #submit type="submit" { (t.save) }
            }
        }
    };
    Ok(page_with_status(
        s,
        status,
        t.credentials_title,
        Some(connector),
        body,
    ))
}

/// `GET /webview/session/{id}/connections/{c}/credentials` (reconnect `reset_credentials`).
pub async fn credentials_form(
    State(st): State<AppState>,
    Path((id, c)): Path<(String, String)>,
) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let run = async {
        let c = super::visit::connection(&st, &s, &c).await?;
        credentials_page(&st, &s, &c, None, StatusCode::OK)
    };
    answer(&s, run.await)
}

/// Loads the connection, turns the PSU's answer into an engine action with `make` (or a
/// refusal to show), applies it in a write transaction and shows the connection's page again.
/// `rejected`: the text shown when the engine refuses the answer, instead of its own.
async fn act(
    st: &AppState,
    s: &WebviewSession,
    id: &str,
    rejected: Option<&str>,
    make: impl FnOnce(&Connection) -> std::result::Result<Action, String>,
) -> Result<Response> {
    let id = super::visit::connection(st, s, id).await?.id;
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let mut c = store::connections::get(&mut tx, s.id_user, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Connection"))?;
    let refusal = match make(&c) {
        Err(refusal) => Some(refusal),
        Ok(action) => match sync::apply(&mut tx, st, &mut c, action, now).await? {
            Applied::Rejected(_) => Some(rejected.unwrap_or(texts(s).rejected).to_owned()),
            Applied::NotValidated => Some(texts(s).not_validated.into()),
            _ => None,
        },
    };
    if let Some(refusal) = refusal {
        drop(tx);
        return render(st, s.clone(), &c, Some(&refusal), StatusCode::BAD_REQUEST).await;
    }
    tx.commit().await?;
    Ok(see_other(&path(s, &format!("/connections/{}", c.id))))
}

/// `POST .../sca`: the SCA is performed (a pending SCA step completes; an expired consent is
/// renewed by the sync with the PSU present), as an empty `POST /connections/{id}` does.
pub async fn sca(State(st): State<AppState>, Path((id, c)): Path<(String, String)>) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let r = act(&st, &s, &c, None, |_| Ok(Action::PerformSca)).await;
    answer(&s, r)
}

/// `POST .../otp` (`otp=`): the one-time code.
pub async fn otp(
    State(st): State<AppState>,
    Path((id, c)): Path<(String, String)>,
    form: Fields,
) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let code = match form.str("otp") {
        Ok(code) => code.unwrap_or_default(),
        Err(e) => return answer(&s, Err(e)),
    };
    let r = act(&st, &s, &c, Some(texts(&s).otp_refused), |_| {
        Ok(Action::Otp(code))
    })
    .await;
    answer(&s, r)
}

/// `POST .../resume`: the PSU says the bank's app validated.
pub async fn decoupled(
    State(st): State<AppState>,
    Path((id, c)): Path<(String, String)>,
) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let resume = Action::Resume { background: false };
    let r = act(&st, &s, &c, Some(texts(&s).not_validated), |_| Ok(resume)).await;
    answer(&s, r)
}

/// `POST .../credentials`: new credentials, as `POST /connections/{id}` with field values.
/// Refused credentials leave the connection in `wrongpass`, shown on its page.
pub async fn credentials(
    State(st): State<AppState>,
    Path((id, c)): Path<(String, String)>,
    form: Fields,
) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let form = super::form::filled(form);
    let r = act(&st, &s, &c, None, |c| {
        let t = texts(&s);
        let connector = sync::action::connector(&st, c).map_err(|_| t.rejected.to_string())?;
        let sources: Vec<&ConnectorSource> = connector.sources.iter().collect();
        match check_fields(connector, &sources, &form, false) {
            Ok(v) if v.is_empty() => Err(t.give_credentials.into()),
            Ok(v) => Ok(Action::Credentials(v)),
            Err(e) => Err(super::form::field_error(t, connector, &e)),
        }
    })
    .await;
    answer(&s, r)
}

/// `POST .../webauth`: to the bank's consent page, to resume this connection.
pub async fn webauth(
    State(st): State<AppState>,
    Path((id, c)): Path<(String, String)>,
) -> Response {
    let s = match load(&st, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let run = async {
        let c = super::visit::connection(&st, &s, &c).await?;
        if !crate::sync::webauth::needs_webauth(&c) {
            return Ok(see_other(&path(&s, &format!("/connections/{}", c.id))));
        }
        super::visit::start_webauth(&st, &s, Target::Resume(Box::new(c)), None).await
    };
    answer(&s, run.await)
}
