//! The inspector's frame (navigation, sign-out), its small stylesheet, forms with their guard
//! field, error pages, and how times and durations are shown.

use super::session::{Refused, Session, BASE};
use crate::error::ApiError;
use crate::model::format;
use crate::pages::html::respond;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDateTime, TimeDelta};
use maud::{html, Markup, PreEscaped, DOCTYPE};

const STYLE: &str = "
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d2330;background:#f3f4f7}
header{background:#3b4a6b;color:#fff;padding:10px 20px;display:flex;align-items:center;gap:18px;flex-wrap:wrap}
header b{font-size:16px;margin-right:8px}
header a{color:#fff;text-decoration:none;opacity:.9}
header a:hover{text-decoration:underline}
header form{margin-left:auto}
main{max-width:1100px;margin:18px auto;padding:0 16px}
.card{background:#fff;border-radius:8px;padding:14px 18px;box-shadow:0 1px 3px rgba(0,0,0,.12);margin-bottom:14px;overflow-x:auto}
h1{font-size:20px;margin:0 0 12px}
h2{font-size:16px;margin:0 0 10px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e3e6ec;vertical-align:top}
th{font-weight:600;color:#5d6575;font-size:13px}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.stat{background:#f3f4f7;border-radius:6px;padding:8px 10px}
.stat b{display:block;font-size:20px}
form.row{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:6px 0}
form.inline{display:inline}
input,select{padding:5px 7px;border:1px solid #b8bfcc;border-radius:5px;font:inherit}
button{padding:5px 12px;border-radius:5px;border:1px solid #3b4a6b;background:#3b4a6b;color:#fff;font:inherit;cursor:pointer}
button.secondary{background:#fff;color:#1d2330;border-color:#b8bfcc}
button.danger{background:#b3261e;border-color:#b3261e}
.state{font-family:ui-monospace,monospace;padding:1px 6px;border-radius:4px;background:#e6f4ea}
.state.bad{background:#fdecea}
.error{background:#fdecea;border:1px solid #f5c2c0;color:#8a1c15;padding:8px;border-radius:6px;margin-bottom:12px}
.muted{color:#5d6575}
pre{background:#f3f4f7;padding:8px;border-radius:6px;overflow-x:auto;font-size:12px;margin:4px 0}
code{background:#eef0f4;padding:1px 4px;border-radius:4px}
";

fn document(title: &str, nav: Markup, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Powens sandbox inspector" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header { b { "Powens sandbox inspector" } (nav) }
                main { (body) }
            }
        }
    }
}

/// A signed-in page: navigation, a sign-out button, then `body`.
pub fn page(who: &Session, title: &str, body: Markup) -> Response {
    let nav = html! {
        a href=(BASE) { "Overview" }
        a href={ (BASE) "/users" } { "Users" }
        a href={ (BASE) "/webhooks" } { "Webhook deliveries" }
        a href={ (BASE) "/requests" } { "Requests" }
        @if who.csrf.is_some() {
            (form(who, "/sign-out", "sign-out", html! { button.secondary type="submit" { "Sign out" } }))
        }
    };
    respond(StatusCode::OK, document(title, nav, body))
}

/// A page for a visitor who is not signed in (no navigation).
pub fn public(status: StatusCode, title: &str, body: Markup) -> Response {
    respond(status, document(title, html! {}, body))
}

/// A POST form to `{BASE}{action}` carrying the session's guard field.
pub fn form(who: &Session, action: &str, id: &str, fields: Markup) -> Markup {
    html! {
        form.row method="post" action={ (BASE) (action) } id=(id) {
            @if let Some(t) = &who.csrf { input type="hidden" name="csrf" value=(t); }
            (fields)
        }
    }
}

/// What went wrong, with the Powens error code and description, and the error's status.
pub fn error(who: &Session, err: &ApiError) -> Response {
    if let ApiError::Internal(e) = err {
        tracing::error!(error = %e, "internal error on an inspector page");
    }
    let body = err.body();
    let mut res = page(
        who,
        "Error",
        html! {
            div.card {
                h1 { "That did not work" }
                div.error #error { code { (body.code) } " " (body.description) }
                @if let Some(m) = &body.message { p { (m) } }
                p { a href=(BASE) { "Back to the overview" } }
            }
        },
    );
    *res.status_mut() = err.status();
    res
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        forbidden()
    }
}

/// A form without a valid guard field: refused, nothing changed.
pub fn forbidden() -> Response {
    public(
        StatusCode::FORBIDDEN,
        "Refused",
        html! {
            div.card {
                h1 { "Refused" }
                div.error #error { "This form has expired or did not come from the inspector; nothing was changed." }
                p { a href=(BASE) { "Back to the overview" } }
            }
        },
    )
}

/// A stored (UTC) DateTime in the API's zone, or a dash.
pub fn when(stored: Option<&str>) -> String {
    stored.map_or_else(|| "–".to_string(), format::shown)
}

/// A UTC instant in the API's zone.
pub fn at(t: NaiveDateTime) -> String {
    format::local(t)
}

/// `until` seen from `now`: "in 3 d 4 h", or "expired 2 h 5 min ago".
pub fn time_left(until: NaiveDateTime, now: NaiveDateTime) -> String {
    let d = until - now;
    if d <= TimeDelta::zero() {
        format!("expired {} ago", span(-d))
    } else {
        format!("in {}", span(d))
    }
}

fn span(d: TimeDelta) -> String {
    let (days, hours, mins) = (d.num_days(), d.num_hours() % 24, d.num_minutes() % 60);
    if days > 0 {
        format!("{days} d {hours} h")
    } else if hours > 0 {
        format!("{hours} h {mins} min")
    } else if mins > 0 {
        format!("{mins} min")
    } else {
        format!("{} s", d.num_seconds())
    }
}

/// A state as a badge (`ok` for none).
pub fn state_badge(state: Option<&str>) -> Markup {
    html! {
        @match state {
            None => span.state { "ok" },
            Some(s) => span.state.bad { (s) },
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::format;
    use crate::pages::inspector::layout::time_left;
    use chrono::NaiveDateTime;

    fn t(s: &str) -> NaiveDateTime {
        format::parse_datetime(s).unwrap()
    }

    #[test]
    fn time_left_counts_down_then_says_how_long_ago() {
        let now = t("2026-01-15 10:00:00");
        assert_eq!(time_left(t("2026-07-14 12:30:00"), now), "in 180 d 2 h");
        assert_eq!(time_left(t("2026-01-15 12:30:00"), now), "in 2 h 30 min");
        assert_eq!(time_left(t("2026-01-15 10:00:01"), now), "in 1 s");
        assert_eq!(time_left(now, now), "expired 0 s ago");
        assert_eq!(
            time_left(t("2026-01-14 09:00:00"), now),
            "expired 1 d 1 h ago"
        );
    }
}
