//! `GET /webauth-url` and `GET /webauth` (powens-api.md §12.2): the entry of the webauth
//! flow. `/webauth` is navigated to in a browser, so its errors are an HTML page showing the
//! Powens error code, and it never redirects before every parameter is checked.

use crate::api::extract::Params;
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::auth::WebauthUrl;
use crate::pages::html::{self, found, with_query};
use crate::pages::webauth::{self, Flow, Target};
use crate::state::AppState;
use crate::store::tokens;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use chrono::TimeDelta;

/// `GET /webauth-url?client_id&redirect_uri&(connector_uuid|id_connector|id_connection)&source&state`
/// with the user's token: `{url}` of `/webauth` on this server, with a single-use code, for a
/// new connection or to resume one.
#[utoipa::path(get, path = "/2.0/webauth-url", tag = "webauth",
    params(
        ("client_id" = String, Query),
        ("redirect_uri" = String, Query),
        ("connector_uuid" = Option<String>, Query),
        ("id_connector" = Option<i64>, Query),
        ("id_connection" = Option<i64>, Query, description = "To resume a connection"),
        ("source" = Option<String>, Query),
        ("state" = Option<String>, Query),
    ),
    responses((status = 200, description = "The URL", body = WebauthUrl)),
    security(("bearerAuth" = [])))]
pub async fn url(
    State(st): State<AppState>,
    headers: HeaderMap,
    who: Principal,
    params: Params,
) -> Result<Json<WebauthUrl>> {
    let Principal::User { id_user, .. } = who else {
        return Err(ApiError::Unauthorized);
    };
    let mut conn = st.db.reader.acquire().await?;
    let (app, redirect_uri) = webauth::check_client(&mut conn, &params).await?;
    let (target, source) = webauth::check_target(&mut conn, &st, &params, id_user).await?;
    drop(conn);
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let expires = now + TimeDelta::seconds(webauth::LIFETIME_SECS);
    let code = tokens::create_code(&mut tx, id_user, "single", now, expires).await?;
    tx.commit().await?;
    let mut q: Vec<(&str, String)> = vec![
        ("client_id", app.client_id),
        ("redirect_uri", redirect_uri),
        ("token", code),
    ];
    match &target {
        Target::New(k) if params.text("connector_uuid").is_none() => {
            q.push(("id_connector", k.id.to_string()))
        }
        Target::New(k) => q.push(("connector_uuid", k.uuid.clone())),
        Target::Resume(c) => q.push(("id_connection", c.id.to_string())),
    }
    if let Some(s) = source {
        q.push(("source", s));
    }
    if let Some(s) = params.str("state") {
        q.push(("state", s.to_string()));
    }
    let base = format!("{}/2.0/webauth", st.base_url(&headers));
    Ok(Json(WebauthUrl {
        url: with_query(&base, &q),
    }))
}

/// `GET /webauth?client_id&redirect_uri&token&(connector_uuid|id_connector|id_connection)&source&state`:
/// checks, opens the flow and redirects (302) to the bank's consent page; an invalid request
/// shows an HTML page with the Powens error code instead.
#[utoipa::path(get, path = "/2.0/webauth", tag = "webauth",
    params(
        ("client_id" = String, Query),
        ("redirect_uri" = String, Query),
        ("token" = String, Query, description = "A temporary code"),
        ("connector_uuid" = Option<String>, Query),
        ("id_connector" = Option<i64>, Query),
        ("id_connection" = Option<i64>, Query, description = "To resume a connection"),
        ("source" = Option<String>, Query),
        ("state" = Option<String>, Query),
    ),
    responses(
        (status = 302, description = "To the bank's consent page"),
        (status = 400, description = "An HTML page naming the error", content_type = "text/html", body = String),
        (status = 401, description = "An HTML page naming the error", content_type = "text/html", body = String),
        (status = 404, description = "An HTML page naming the error", content_type = "text/html", body = String),
    ))]
pub async fn start(
    State(st): State<AppState>,
    headers: HeaderMap,
    params: std::result::Result<Params, ApiError>,
) -> Response {
    match open(&st, &headers, params).await {
        Ok(r) => r,
        Err(e) => html::error_page("en", &e),
    }
}

async fn open(
    st: &AppState,
    headers: &HeaderMap,
    params: std::result::Result<Params, ApiError>,
) -> Result<Response> {
    let params = params?;
    let now = st.clock.now();
    let mut conn = st.db.reader.acquire().await?;
    let (app, redirect_uri) = webauth::check_client(&mut conn, &params).await?;
    let token = params
        .text("token")
        .ok_or_else(|| ApiError::missing("token"))?;
    let id_user = webauth::code_user(&mut conn, "token", token, now).await?;
    let (target, source) = webauth::check_target(&mut conn, st, &params, id_user).await?;
    drop(conn);
    let mut tx = st.db.begin().await?;
    // Uses the code up: a singleAccess code opens one flow.
    if tokens::redeem_code(&mut tx, token, now).await? != Some(id_user) {
        return Err(ApiError::invalid(
            "token",
            "unknown, expired or already used temporary code",
        ));
    }
    let flow = Flow {
        client_id: app.client_id,
        redirect_uri,
        state: params.str("state").map(str::to_owned),
        id_user,
        target,
        source,
    };
    let id = webauth::open(&mut tx, &flow, now).await?;
    tx.commit().await?;
    Ok(found(&format!(
        "{}{}",
        st.base_url(headers),
        webauth::bank_path(&id)
    )))
}
