//! `/sandbox/requests`: the request journal (what the app sent to `/2.0`, the webview and
//! the bank's consent page, and what it got), newest first, secrets redacted.

use crate::api::extract::Params;
use crate::api::principal::Principal;
use crate::error::{ApiError, Result};
use crate::model::format;
use crate::model::journal::{JournalEntry, JournalList};
use crate::state::AppState;
use crate::traffic::journal::Filter;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

/// The journal's filters; every given one must match.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // describes the query string, which `filter` reads
struct JournalFilters {
    /// An HTTP method.
    method: Option<String>,
    /// A prefix of the path (`/2.0/users/1/connections`).
    path: Option<String>,
    /// A matched route, exactly (`/2.0/users/{id_user}/connections/{id_connection}`).
    route: Option<String>,
    status: Option<u16>,
    id_user: Option<i64>,
    /// Requests from this sandbox time on (`YYYY-MM-DD HH:MM:SS`, inclusive).
    since: Option<String>,
    /// At most this many (up to 1000); default all.
    limit: Option<i64>,
}

/// The journal's filters from a query string: `GET /sandbox/requests` and the inspector.
pub fn filter(params: &Params) -> Result<Filter> {
    let status = match params.int("status")? {
        None => None,
        Some(s) => Some(
            u16::try_from(s)
                .ok()
                .filter(|s| (100..=599).contains(s))
                .ok_or_else(|| ApiError::invalid("status", "expected an HTTP status"))?,
        ),
    };
    let since = match params.text("since") {
        None => None,
        Some(s) => Some(
            format::parse_local(s)
                .ok_or_else(|| ApiError::invalid("since", "expected YYYY-MM-DD HH:MM:SS"))?,
        ),
    };
    Ok(Filter {
        method: params.text("method").map(str::to_owned),
        path: params.text("path").map(str::to_owned),
        route: params.text("route").map(str::to_owned),
        status,
        id_user: params.int("id_user")?,
        since,
        limit: params.bounded("limit", 1000)?.map(|l| l as usize),
    })
}

#[utoipa::path(get, path = "/sandbox/requests", tag = "sandbox",
    params(JournalFilters),
    responses((status = 200, description = "Recorded requests, newest first", body = JournalList)),
    security(("bearerAuth" = [])))]
pub async fn list(
    State(st): State<AppState>,
    who: Principal,
    params: Params,
) -> Result<Json<JournalList>> {
    who.require_config()?;
    let filter = filter(&params)?;
    let (requests, total) = st.traffic.journal.list(&filter);
    Ok(Json(JournalList {
        requests,
        total,
        capacity: st.traffic.journal.capacity(),
    }))
}

#[utoipa::path(get, path = "/sandbox/requests/{id}", tag = "sandbox",
    params(("id" = u64, Path)),
    responses((status = 200, description = "One recorded request", body = JournalEntry)),
    security(("bearerAuth" = [])))]
pub async fn get(
    State(st): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<Json<JournalEntry>> {
    who.require_config()?;
    id.parse()
        .ok()
        .and_then(|id| st.traffic.journal.get(id))
        .map(Json)
        .ok_or_else(|| ApiError::not_found("Request"))
}

#[utoipa::path(delete, path = "/sandbox/requests", tag = "sandbox",
    responses((status = 204, description = "The journal is empty; ids go on increasing")),
    security(("bearerAuth" = [])))]
pub async fn clear(State(st): State<AppState>, who: Principal) -> Result<StatusCode> {
    who.require_config()?;
    st.traffic.journal.clear();
    Ok(StatusCode::NO_CONTENT)
}
