//! Conformance to Powens' own OpenAPI spec: every `/2.0` response the HTTP tests receive
//! through the harness is checked, status and body, against the operation it answers in
//! `../shared/specs/powens-api.bundled.json`. The spec's paths are relative to `/2.0` and
//! name the user `me`; `/users/{id}/...` and the documented aliases (accounts under a
//! connection, transactions under an account or a connection) are mapped onto them, and
//! paths the spec does not cover are skipped.
//!
//! Where the sandbox follows what the live API does rather than the spec, the difference is
//! listed, with its reason and source, in `conformance/deviations.json`; the validator allows
//! exactly those and nothing else. A response that breaks the spec fails the test that
//! received it, with every violation named.
//!
//! Every response is also checked against the sandbox's own document (`GET /openapi.json`,
//! generated from the handlers' `#[utoipa::path]`): this is what keeps the document's schemas
//! and statuses true to what the routes send.

use crate::common::Reply;
use jsonschema::Validator;
use reqwest::Method;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

mod mapping;
use mapping::{segments, spec_route, to_json_schema, url_path};

const SPEC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/specs/powens-api.bundled.json"
);
const DEVIATIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/conformance/deviations.json");

/// A deviation that changes which responses an operation may give: extra statuses, or other
/// bodies for a documented status.
struct ResponseDeviation {
    /// `"GET /users/me/transactions"`, or `"*"` for every operation of the spec.
    operations: Vec<String>,
    statuses: Vec<u16>,
    /// The body the status carries: a JSON schema, `"html"` for a page, None for no body.
    body: Option<Value>,
}

struct Operation {
    method: String,
    template: String,
    segments: Vec<String>,
    responses: Map<String, Value>,
}

pub struct Conformance {
    routes: Routes,
    root: Value,
    operations: Vec<Operation>,
    responses: Vec<ResponseDeviation>,
    validators: Mutex<HashMap<String, Arc<Validator>>>,
}

/// The spec with its deviations applied, or None (and one loud message) when the spec is not
/// beside the project.
pub fn spec() -> Option<&'static Conformance> {
    static SPEC_ONCE: OnceLock<Option<Conformance>> = OnceLock::new();
    SPEC_ONCE
        .get_or_init(|| match std::fs::read_to_string(SPEC) {
            Ok(text) => Some(Conformance::load(
                serde_json::from_str(&text).expect("the spec is JSON"),
                &deviations(),
                Routes::Powens,
            )),
            Err(e) => {
                eprintln!(
                    "\n!!! conformance: Powens' spec not found at {SPEC} ({e}); \
                     /2.0 responses are NOT checked against it\n"
                );
                None
            }
        })
        .as_ref()
}

pub fn deviations() -> Value {
    let text = std::fs::read_to_string(DEVIATIONS).expect("conformance/deviations.json");
    serde_json::from_str(&text).expect("conformance/deviations.json is JSON")
}

/// The sandbox's own document (`GET /openapi.json`), as the code generates it.
pub fn own() -> &'static Conformance {
    static OWN: OnceLock<Conformance> = OnceLock::new();
    OWN.get_or_init(|| {
        Conformance::load(
            powens_sandbox::document().clone(),
            &json!({"deviations": []}),
            Routes::Own,
        )
    })
}

/// Checks one response against Powens' spec (for `/2.0`) and against the sandbox's own
/// document (for everything it describes); panics with every violation.
pub fn check(method: &Method, url: &str, reply: &Reply) {
    let mut found = Vec::new();
    if let Some(spec) = spec() {
        for v in spec.violations(method.as_str(), url, reply) {
            found.push(format!("Powens' spec: {v}"));
        }
    }
    for v in own().violations(method.as_str(), url, reply) {
        found.push(format!("/openapi.json: {v}"));
    }
    assert!(
        found.is_empty(),
        "{method} {url} answered {} against the API documents:\n  - {}\nbody: {}",
        reply.status,
        found.join("\n  - "),
        reply.text.chars().take(2000).collect::<String>()
    );
}

/// How request paths map onto a document's path templates.
#[derive(Clone, Copy, PartialEq)]
pub enum Routes {
    /// Powens' spec: relative to `/2.0`, `me` for the user, aliases mapped.
    Powens,
    /// The sandbox's document: full paths, as routed.
    Own,
}

impl Conformance {
    pub fn load(mut root: Value, deviations: &Value, routes: Routes) -> Conformance {
        let mut responses = Vec::new();
        let list = deviations["deviations"]
            .as_array()
            .expect("deviations: a list");
        // Schema deviations are applied to the spec as written (OpenAPI 3.0), before the
        // translation to JSON Schema, so they read like the spec they amend.
        for d in list {
            let id = d["id"].as_str().expect("deviation id");
            assert!(
                d["reason"].is_string() && d["source"].is_string(),
                "deviation {id}: reason and source are required"
            );
            match d["kind"].as_str() {
                Some("schema") => {
                    let pointer = d["pointer"].as_str().expect("pointer");
                    let target = root
                        .pointer_mut(pointer)
                        .unwrap_or_else(|| panic!("deviation {id}: {pointer} is not in the spec"));
                    let original = target.take();
                    *target = json!({"anyOf": [original, d["also_allow"].clone()]});
                }
                Some("response") => {
                    let operations: Vec<String> = d["operations"]
                        .as_array()
                        .expect("operations")
                        .iter()
                        .map(|o| o.as_str().expect("operation").to_string())
                        .collect();
                    for op in &operations {
                        let found = op == "*"
                            || op.split_once(' ').is_some_and(|(m, p)| {
                                root["paths"][p][m.to_ascii_lowercase()].is_object()
                            });
                        assert!(
                            found,
                            "deviation {id}: {op} is not an operation of the spec"
                        );
                    }
                    responses.push(ResponseDeviation {
                        operations,
                        statuses: d["statuses"]
                            .as_array()
                            .expect("statuses")
                            .iter()
                            .map(|s| s.as_u64().expect("status") as u16)
                            .collect(),
                        body: match &d["body"] {
                            Value::Null => None,
                            b => Some(b.clone()),
                        },
                    });
                }
                other => panic!("deviation {id}: unknown kind {other:?}"),
            }
        }
        let mut operations = Vec::new();
        let paths = root["paths"].as_object().cloned().unwrap_or_default();
        for (template, item) in &paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                if method == "parameters" {
                    continue;
                }
                operations.push(Operation {
                    method: method.to_ascii_uppercase(),
                    template: template.clone(),
                    segments: segments(template),
                    responses: op["responses"].as_object().cloned().unwrap_or_default(),
                });
            }
        }
        to_json_schema(&mut root);
        Conformance {
            routes,
            root,
            operations,
            responses,
            validators: Mutex::new(HashMap::new()),
        }
    }

    /// Everything wrong with `reply` as the answer to `method url`; empty when it conforms or
    /// when the spec has no such operation.
    pub fn violations(&self, method: &str, url: &str, reply: &Reply) -> Vec<String> {
        let route = match self.routes {
            Routes::Powens => spec_route(method, url),
            Routes::Own => Some((method.to_string(), segments(url_path(url)))),
        };
        let Some((method, segs)) = route else {
            return vec![];
        };
        let Some(op) = self.find(&method, &segs) else {
            return vec![];
        };
        let status = reply.status.as_u16();
        let key = format!("{} {}", op.method, op.template);
        let documented = op
            .responses
            .get(&status.to_string())
            .or_else(|| op.responses.get("default"));
        let body_schema: Option<Value> = match documented {
            Some(r) => {
                let content = self.resolve(r)["content"].as_object().cloned();
                match content {
                    Some(c) if c.contains_key("application/json") => {
                        c["application/json"].get("schema").cloned()
                    }
                    Some(c) if !c.is_empty() => {
                        // Another media type (an HTML page): the content type must be one.
                        let ct = content_type(reply);
                        return if c.keys().any(|k| ct.starts_with(k.as_str())) {
                            vec![]
                        } else {
                            vec![format!("{key} {status} is {:?}, got {ct:?}", c.keys())]
                        };
                    }
                    _ => None,
                }
            }
            None => {
                let dev = self.responses.iter().find(|d| {
                    d.statuses.contains(&status)
                        && d.operations.iter().any(|o| o == "*" || *o == key)
                });
                match dev {
                    None => {
                        return vec![format!(
                        "status {status} is not documented for {key} (and no deviation allows it)"
                    )]
                    }
                    Some(d) => match &d.body {
                        Some(Value::String(s)) if s == "html" => {
                            let html = content_type(reply).starts_with("text/html");
                            return if html {
                                vec![]
                            } else {
                                vec![format!(
                                    "expected an HTML page, got {}",
                                    content_type(reply)
                                )]
                            };
                        }
                        other => other.clone(),
                    },
                }
            }
        };
        // Other bodies the deviations allow for a documented status.
        let extra: Vec<Value> = self
            .responses
            .iter()
            .filter(|d| {
                documented.is_some()
                    && d.statuses.contains(&status)
                    && d.operations.iter().any(|o| o == "*" || *o == key)
            })
            .filter_map(|d| d.body.clone())
            .collect();
        let Some(schema) = body_schema else {
            // Redirects may carry a note for people; a 204 has no body at all.
            return if status != 204 || reply.text.trim().is_empty() {
                vec![]
            } else {
                vec![format!("{key} {status} has no body in the spec, got one")]
            };
        };
        if !content_type(reply).starts_with("application/json") {
            return vec![format!(
                "expected a JSON body, got content type {:?}",
                content_type(reply)
            )];
        }
        let body: Value = match serde_json::from_str(&reply.text) {
            Ok(v) => v,
            Err(e) => return vec![format!("the body is not JSON: {e}")],
        };
        let schema = if extra.is_empty() {
            schema
        } else {
            let mut any = vec![schema];
            any.extend(extra);
            json!({ "anyOf": any })
        };
        let validator = self.validator(&format!("{key} {status}"), &schema);
        validator
            .iter_errors(&body)
            .map(|e| {
                let msg = e.to_string();
                let msg = if msg.len() > 300 {
                    format!("{}...", &msg[..msg.floor_char_boundary(300)])
                } else {
                    msg
                };
                format!(
                    "at {:?}: {msg} (schema {})",
                    e.instance_path().as_str(),
                    e.evaluation_path().as_str()
                )
            })
            .collect()
    }

    fn find(&self, method: &str, segs: &[String]) -> Option<&Operation> {
        let fits = |op: &&Operation| {
            op.method == method
                && op.segments.len() == segs.len()
                && op
                    .segments
                    .iter()
                    .zip(segs)
                    .all(|(t, s)| t.starts_with('{') || t == s)
        };
        // A literal segment beats a parameter (`/users/me` before `/users/{id}`).
        self.operations
            .iter()
            .filter(fits)
            .max_by_key(|op| op.segments.iter().filter(|s| !s.starts_with('{')).count())
    }

    fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => self
                .root
                .pointer(r.trim_start_matches('#'))
                .unwrap_or(&Value::Null),
            None => v,
        }
    }

    fn validator(&self, key: &str, schema: &Value) -> Arc<Validator> {
        let mut cache = self.validators.lock().unwrap();
        if let Some(v) = cache.get(key) {
            return v.clone();
        }
        // The response schema with the spec's components beside it, so that every
        // `#/components/...` reference resolves inside one document.
        let mut doc = json!({"allOf": [schema]});
        doc["components"] = self.root["components"].clone();
        let v = Arc::new(
            jsonschema::draft202012::options()
                .should_validate_formats(true)
                .build(&doc)
                .unwrap_or_else(|e| panic!("compiling the schema of {key}: {e}")),
        );
        cache.insert(key.to_string(), v.clone());
        v
    }
}

fn content_type(reply: &Reply) -> String {
    reply
        .headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase()
}

#[test]
fn every_deviation_has_a_reason_a_source_and_a_target_in_the_spec() {
    // Loading applies each deviation and fails on one that names nothing in the spec.
    if let Some(c) = spec() {
        assert!(!c.operations.is_empty());
    }
    let devs = deviations();
    let mut ids = std::collections::HashSet::new();
    for d in devs["deviations"].as_array().unwrap() {
        let id = d["id"].as_str().unwrap();
        assert!(ids.insert(id.to_string()), "deviation {id} is listed twice");
        assert!(!d["reason"].as_str().unwrap().is_empty(), "{id}: reason");
        assert!(!d["source"].as_str().unwrap().is_empty(), "{id}: source");
    }
}

#[test]
fn a_response_outside_the_spec_and_its_deviations_is_refused() {
    let Some(c) = spec() else { return };
    let reply = |status: u16, body: Value| Reply {
        status: reqwest::StatusCode::from_u16(status).unwrap(),
        headers: {
            let mut h = reqwest::header::HeaderMap::new();
            h.insert(
                reqwest::header::CONTENT_TYPE,
                "application/json".parse().unwrap(),
            );
            h
        },
        text: body.to_string(),
        body,
    };
    let url = "http://x/2.0/users/me";
    // `signin` must be a DateTime string.
    let bad = c.violations("GET", url, &reply(200, json!({"id": 1, "signin": 5})));
    assert!(!bad.is_empty());
    let good = c.violations(
        "GET",
        url,
        &reply(
            200,
            json!({"id": 1, "signin": "2026-01-15 10:00:00", "platform": "sharedAccess"}),
        ),
    );
    assert_eq!(good, Vec::<String>::new());
    // A status no deviation allows.
    let teapot = c.violations("GET", url, &reply(418, json!({})));
    assert!(!teapot.is_empty());
    // An error body that is not a ServiceError.
    let err = c.violations("GET", url, &reply(404, json!({"error": "nope"})));
    assert!(!err.is_empty());
}
