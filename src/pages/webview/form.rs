//! The forms of the webview: inputs generated from a connector's fields, the values a PSU
//! filled in, a refused field in the visit's words, and connection states as labels.

use crate::error::ApiError;
use crate::model::catalogue::{Connector, ConnectorField, ConnectorSource};
use crate::model::states::ConnectionState;
use crate::pages::i18n::{self, Texts};
use maud::{html, Markup};
use serde_json::Value;

/// The fields a PSU fills for these sources (those that take credentials).
pub fn credential_fields<'a>(
    connector: &'a Connector,
    sources: &[&ConnectorSource],
) -> Vec<&'a ConnectorField> {
    let names: Vec<&str> = sources
        .iter()
        .filter(|s| {
            s.available_auth_mechanisms
                .iter()
                .any(|m| m == "credentials")
        })
        .map(|s| s.name.as_str())
        .collect();
    connector
        .fields
        .iter()
        .filter(|f| {
            f.connector_sources
                .iter()
                .any(|s| names.contains(&s.as_str()))
        })
        .collect()
}

/// One form input for a connector field (`text`, `password`, `list`, `date`, `number`;
/// anything else is a text input).
pub fn field_input(t: &Texts, f: &ConnectorField, value: Option<&str>) -> Markup {
    let id = format!("field-{}", f.name);
    let kind = match f.kind.as_str() {
        "password" => "password",
        "date" => "date",
        "number" => "number",
        _ => "text",
    };
    html! {
        label for=(id) { (f.label) @if !f.required { " " span.muted { (t.optional) } } }
        @if let Some(values) = &f.values {
            select id=(id) name=(f.name) {
                @if !f.required { option value="" { "—" } }
                @for v in values {
                    option value=(v.value) selected[value == Some(v.value.as_str())] { (v.label) }
                }
            }
        } @else {
            input id=(id) type=(kind) name=(f.name) value=[value.filter(|_| kind != "password")]
                autocomplete=(if kind == "password" { "current-password" } else { "off" });
        }
        @if let Some(d) = &f.description { div.muted { (d) } }
    }
}

/// The form body without its empty values (an empty optional field is not a value).
pub fn filled(form: crate::api::extract::Fields) -> crate::api::extract::Fields {
    crate::api::extract::Fields(
        form.0
            .into_iter()
            .filter(|(_, v)| !matches!(v, Value::String(s) if s.trim().is_empty()))
            .collect(),
    )
}

/// A human label for a connection state.
pub fn state_label(t: &Texts, state: Option<&ConnectionState>) -> &'static str {
    use ConnectionState as S;
    match state {
        None => t.state_ok,
        Some(S::SCARequired) => t.state_sca,
        Some(S::WebauthRequired) => t.state_webauth,
        Some(S::AdditionalInformationNeeded) => t.state_otp,
        Some(S::Decoupled | S::Validating) => t.state_decoupled,
        Some(S::Wrongpass) => t.state_wrongpass,
        Some(S::PasswordExpired) => t.state_password_expired,
        Some(S::ActionNeeded) => t.state_action_needed,
        Some(S::RateLimiting | S::WebsiteUnavailable | S::Bug) => t.state_unavailable,
        Some(S::NotSupported) => t.state_not_supported,
        Some(S::Other(_)) => t.state_other,
    }
}

/// A form's refusal in the visit's words: which field is missing or invalid.
pub fn field_error(t: &Texts, connector: &Connector, e: &ApiError) -> String {
    let label = |name: &str| {
        connector
            .fields
            .iter()
            .find(|f| f.name == name)
            .map_or(name.to_string(), |f| f.label.clone())
    };
    match e {
        ApiError::MissingParameter(name) => i18n::fill(t.field_missing, &[("field", &label(name))]),
        _ => {
            let d = e.body().description;
            let name = connector
                .fields
                .iter()
                .find(|f| d.contains(&format!("'{}'", f.name)))
                .map_or(String::new(), |f| f.label.clone());
            i18n::fill(t.field_invalid, &[("field", &name)])
        }
    }
}
