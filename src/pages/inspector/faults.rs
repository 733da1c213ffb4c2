//! Fault rules on the overview: the active rules with their hit counts and a remove button,
//! a form adding a status, latency or drop rule (through the same functions as
//! `/sandbox/faults`), and whether `--rate-limit` is on.

use super::layout::{self, form};
use super::session::{Session, BASE};
use crate::api::extract::Fields;
use crate::model::fault::{Fault, FaultAction};
use crate::pages::html::see_other;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde_json::{Map, Value};

/// The overview's card.
pub fn card(st: &AppState, who: &Session) -> Markup {
    let rules: Vec<Fault> = st
        .traffic
        .faults
        .list()
        .into_iter()
        .filter(|f| f.active)
        .collect();
    html! {
        div.card #faults {
            h2 { "Faults" }
            p #rate-limit {
                "Rate limit: "
                @if st.traffic.limiter.is_some() { span.state.bad { "on" } " (30 calls a minute, 86,400 a day)" }
                @else { span.state { "off" } span.muted { " (" code { "--rate-limit" } ")" } }
            }
            @if rules.is_empty() { p.muted #no-faults { "No active fault rule." } }
            @else {
                table #fault-rules {
                    tr { th { "id" } th { "matches" } th { "does" } th { "bound" } th.num { "matched" } th.num { "hits" } th {} }
                    @for f in &rules {
                        tr #{ "fault-" (f.id) } {
                            td { (f.id) }
                            td { (matches(f)) }
                            td { (does(f)) }
                            td { (bound(f)) }
                            td.num.matched { (f.matched) }
                            td.num.hits { (f.hits) }
                            td { (form(who, &format!("/faults/{}/remove", f.id), &format!("remove-fault-{}", f.id), html! {
                                button.danger type="submit" { "Remove" }
                            })) }
                        }
                    }
                }
            }
            (form(who, "/faults", "fault-form", html! {
                select #fault-action name="action" {
                    option value="status" { "status" }
                    option value="latency" { "latency" }
                    option value="drop" { "drop" }
                }
                input #fault-method type="text" name="method" placeholder="method" size="6";
                input #fault-path type="text" name="path" placeholder="path glob (/2.0/users/*/accounts)" size="30";
                input #fault-status type="text" name="status" placeholder="status" size="5";
                input #fault-latency type="text" name="latency_ms" placeholder="ms or min-max" size="9";
                input #fault-times type="text" name="times" placeholder="times" size="5";
                input #fault-probability type="text" name="probability" placeholder="probability" size="8";
                button #add-fault type="submit" { "Add a rule" }
            }))
        }
    }
}

fn matches(f: &Fault) -> String {
    let m = &f.matches;
    let mut parts = Vec::new();
    if let Some(v) = &m.method {
        parts.push(v.clone());
    }
    if let Some(v) = &m.path {
        parts.push(v.clone());
    }
    if let Some(v) = &m.route {
        parts.push(format!("route {v}"));
    }
    if let Some(v) = m.id_user {
        parts.push(format!("user {v}"));
    }
    if let Some(v) = m.id_connection {
        parts.push(format!("connection {v}"));
    }
    if parts.is_empty() {
        "every request".to_string()
    } else {
        parts.join(" ")
    }
}

fn does(f: &Fault) -> String {
    match f.action {
        FaultAction::Status => match f.retry_after {
            Some(r) => format!("status {} (Retry-After {r})", f.status.unwrap_or_default()),
            None => format!("status {}", f.status.unwrap_or_default()),
        },
        FaultAction::Latency => match f.latency_ms {
            Some([a, b]) if a == b => format!("latency {a} ms"),
            Some([a, b]) => format!("latency {a}–{b} ms"),
            None => "latency".to_string(),
        },
        FaultAction::Drop => "drop the connection".to_string(),
    }
}

fn bound(f: &Fault) -> String {
    let mut parts = Vec::new();
    if let Some(t) = f.times {
        parts.push(format!("next {t}"));
    }
    if let Some(p) = f.probability {
        parts.push(format!("p = {p}"));
    }
    if parts.is_empty() {
        "always".to_string()
    } else {
        parts.join(", ")
    }
}

/// A form's text as the JSON `POST /sandbox/faults` reads: numbers as numbers, a latency
/// `min-max` as a pair, empty fields left out, the match fields in `match`.
fn as_rule(fields: &Fields) -> Fields {
    let mut rule = Map::new();
    let mut matched = Map::new();
    for (k, v) in &fields.0 {
        let text = v.as_str().map(str::trim).unwrap_or_default();
        if text.is_empty() && v.is_string() {
            continue;
        }
        let number = |t: &str| {
            serde_json::from_str::<Value>(t)
                .ok()
                .filter(Value::is_number)
                .unwrap_or_else(|| Value::String(t.to_string()))
        };
        let value = match k.as_str() {
            "status" | "times" | "probability" | "retry_after" => number(text),
            "latency_ms" => match text.split_once('-') {
                Some((a, b)) => Value::Array(vec![number(a.trim()), number(b.trim())]),
                None => number(text),
            },
            _ => v.clone(),
        };
        if matches!(k.as_str(), "method" | "path" | "route") {
            matched.insert(k.clone(), value);
        } else {
            rule.insert(k.clone(), value);
        }
    }
    if !matched.is_empty() {
        rule.insert("match".into(), Value::Object(matched));
    }
    Fields(rule)
}

/// Adds a rule, as `POST /sandbox/faults` does.
pub async fn add(State(st): State<AppState>, who: Session, body: Fields) -> Response {
    let fields = match who.form(body) {
        Ok(f) => f,
        Err(refused) => return refused.into_response(),
    };
    match crate::sandbox::faults::add(&st, &as_rule(&fields)) {
        Ok(_) => see_other(BASE),
        Err(e) => layout::error(&who, &e),
    }
}

/// Removes a rule, as `DELETE /sandbox/faults/{id}` does.
pub async fn remove(
    State(st): State<AppState>,
    who: Session,
    Path(id): Path<String>,
    body: Fields,
) -> Response {
    let fields = match who.form(body) {
        Ok(f) => f,
        Err(refused) => return refused.into_response(),
    };
    let done = fields
        .only(&[])
        .and_then(|()| crate::sandbox::faults::remove(&st, &id));
    match done {
        Ok(()) => see_other(BASE),
        Err(e) => layout::error(&who, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::as_rule;
    use crate::api::extract::Fields;
    use serde_json::json;

    #[test]
    fn a_form_becomes_the_rule_the_control_plane_reads() {
        let form = json!({"action": "latency", "path": "/2.0/**", "method": "", "latency_ms": "100-300", "times": "2"});
        let Fields(rule) = as_rule(&Fields(form.as_object().unwrap().clone()));
        assert_eq!(
            serde_json::Value::Object(rule),
            json!({"action": "latency", "latency_ms": [100, 300], "times": 2, "match": {"path": "/2.0/**"}})
        );
    }
}
