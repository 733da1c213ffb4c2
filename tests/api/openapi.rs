//! `GET /openapi.json` against the code it describes.
//!
//! The route tables are read from the source (`src/lib.rs` names which module's `routes()` is
//! nested where; each of those files lists its `.route(path, methods)` calls). The reading
//! is checked twice, so that it cannot silently miss anything: every `.route(` of a file must
//! have been understood, and the running router must answer each routed method (neither the
//! unknown-route 404 nor the 405 fallback) and refuse, with 405, every other method on the
//! same path. The document must then list exactly these paths and methods. The HTML pages
//! outside `/2.0` (the bank's consent page, the webview) are not part of the API and are
//! left out of both.

use crate::common::spawn_app;
use reqwest::Method;
use serde_json::Value;
use std::collections::BTreeSet;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// (method, path) with path parameters written `{}`.
type Route = (String, String);

/// The `.route(...)` calls of one route table: (path, methods).
fn routes_in(source: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let calls = source.matches(".route(").count();
    let mut rest = source;
    while let Some(i) = rest.find(".route(") {
        rest = &rest[i + ".route(".len()..];
        let args = balanced(rest);
        let (path, methods) = args
            .trim_start()
            .strip_prefix('"')
            .and_then(|a| a.split_once('"'))
            .map(|(p, m)| {
                (
                    p.to_string(),
                    top_level_calls(m.trim_start().trim_start_matches(',')),
                )
            })
            .unwrap_or_else(|| panic!("a .route( call this test cannot read: {args}"));
        assert!(
            !methods.is_empty() && methods.iter().all(|m| METHODS.contains(&m.as_str())),
            "the methods of {path} are not readable: {methods:?}"
        );
        out.push((path, methods));
    }
    assert_eq!(out.len(), calls, "every .route( call is read");
    out
}

/// The text up to the parenthesis that closes the one just opened.
fn balanced(s: &str) -> &str {
    let mut depth = 1;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return &s[..i];
                }
            }
            _ => {}
        }
    }
    s
}

/// The functions called at the top level of a method-router chain, by their last path
/// segment: `get(a).post(b)` and `axum::routing::delete(c)` give `get, post` and `delete`.
fn top_level_calls(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut ident = String::new();
    for c in expr.chars() {
        match c {
            '(' => {
                if depth == 0 && !ident.is_empty() {
                    out.push(ident.rsplit("::").next().unwrap_or("").to_string());
                }
                ident.clear();
                depth += 1;
            }
            ')' => {
                depth -= 1;
                ident.clear();
            }
            c if depth == 0 && (c.is_alphanumeric() || c == '_' || c == ':') => ident.push(c),
            _ if depth == 0 => ident.clear(),
            _ => {}
        }
    }
    out
}

/// The file of `module::routes()`.
fn module_file(module: &str) -> String {
    let dir = format!("{ROOT}/src/{module}/mod.rs");
    if std::path::Path::new(&dir).exists() {
        dir
    } else {
        format!("{ROOT}/src/{module}.rs")
    }
}

fn normalize(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            c if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

/// Pages for a person, outside the API: not in the document.
fn is_page(path: &str) -> bool {
    path.starts_with("/bank/") || path.starts_with("/webview/")
}

/// Every (method, path) the application routes, read from the source.
fn routed() -> BTreeSet<Route> {
    let lib = std::fs::read_to_string(format!("{ROOT}/src/lib.rs")).expect("src/lib.rs");
    let app = &lib[lib.find("pub fn app(").expect("app() in src/lib.rs")..];
    let app = balanced(&app[app.find('{').expect("app body") + 1..]);
    let mut tables = Vec::new();
    for (kind, marker) in [("nest", ".nest(\""), ("merge", ".merge(")] {
        let mut rest = app;
        while let Some(i) = rest.find(marker) {
            rest = &rest[i + marker.len()..];
            let args = balanced(rest);
            let (prefix, call) = match kind {
                "nest" => {
                    let (p, c) = args.split_once('"').expect("nest prefix");
                    (p.to_string(), c.trim_start_matches(',').trim().to_string())
                }
                _ => (String::new(), args.trim().to_string()),
            };
            let module = call
                .strip_suffix("::routes()")
                .unwrap_or_else(|| panic!("a table this test cannot read: {call}"));
            tables.push((prefix, module.to_string()));
        }
    }
    assert!(tables.len() >= 3, "route tables found in app(): {tables:?}");
    let mut out = BTreeSet::new();
    for (prefix, module) in tables {
        let source = std::fs::read_to_string(module_file(&module)).expect("route table");
        for (path, methods) in routes_in(&source) {
            let full = format!("{prefix}{path}");
            if is_page(&full) {
                continue;
            }
            for m in methods {
                out.insert((m, normalize(&full)));
            }
        }
    }
    out
}

fn documented(doc: &Value) -> BTreeSet<Route> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for m in item.as_object().expect("path item").keys() {
            if METHODS.contains(&m.as_str()) {
                out.insert((m.clone(), normalize(path)));
            }
        }
    }
    out
}

/// A concrete URL path for a route template.
fn sample(path: &str) -> String {
    path.replace("{}", "1")
}

#[tokio::test]
async fn the_document_lists_exactly_the_routes_the_router_serves() {
    let app = spawn_app().await;
    let doc = app.get("/openapi.json", None).await.ok();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let routed = routed();
    for known in [
        ("get", "/2.0/users/{}/transactions"),
        ("put", "/2.0/users/{}/connections/{}"),
        ("post", "/sandbox/scenario"),
        ("get", "/2.0/auth/webview/{}"),
        ("get", "/openapi.json"),
    ] {
        let known = (known.0.to_string(), known.1.to_string());
        assert!(routed.contains(&known), "the reading misses {known:?}");
    }
    let documented = documented(&doc);
    let missing: Vec<_> = routed.difference(&documented).collect();
    let unrouted: Vec<_> = documented.difference(&routed).collect();
    assert!(
        missing.is_empty() && unrouted.is_empty(),
        "routes missing from /openapi.json: {missing:?}\ndocumented but not routed: {unrouted:?}"
    );
    // The source was read right: the router agrees, method by method.
    let paths: BTreeSet<&String> = routed.iter().map(|(_, p)| p).collect();
    for path in paths {
        for m in METHODS {
            let method = Method::from_bytes(m.to_ascii_uppercase().as_bytes()).unwrap();
            let res = app
                .client
                .request(method, format!("{}{}", app.base, sample(path)))
                .send()
                .await
                .expect("request");
            let status = res.status().as_u16();
            let body: Value = res.json().await.unwrap_or(Value::Null);
            let unknown_route = status == 404 && body["description"] == "Route not found.";
            if routed.contains(&(m.to_string(), path.clone())) {
                assert!(
                    !unknown_route && status != 405,
                    "{m} {path} is in the route table but the router answers {status} {body}"
                );
            } else {
                assert_eq!(
                    status, 405,
                    "{m} {path} is not in the route table as read, yet the router answers {status} {body}"
                );
            }
        }
    }
}

#[test]
fn the_route_table_reader_reads_chains_closures_and_full_paths() {
    let src = r#"
        .route("/a", get(x::get).post(|s: State<S>, p: P| y::post(s, p)))
        .route(
            "/b/{id}",
            axum::routing::delete(z::delete),
        )
        .route("/c", get(|s: State<AppState>, p: Params| connectors::list(s, CONNECTORS, p)).patch(k::patch))
    "#;
    assert_eq!(
        routes_in(src),
        vec![
            (
                "/a".to_string(),
                vec!["get".to_string(), "post".to_string()]
            ),
            ("/b/{id}".to_string(), vec!["delete".to_string()]),
            (
                "/c".to_string(),
                vec!["get".to_string(), "patch".to_string()]
            ),
        ]
    );
    assert_eq!(normalize("/users/{user}/x/{*rest}"), "/users/{}/x/{}");
}

#[tokio::test]
async fn every_operation_documents_the_powens_error_body() {
    let app = spawn_app().await;
    let doc = app.get("/openapi.json", None).await.ok();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (m, op) in item.as_object().unwrap() {
            let default = &op["responses"]["default"]["content"]["application/json"]["schema"];
            assert_eq!(
                default["$ref"], "#/components/schemas/ServiceError",
                "{m} {path}: default response"
            );
        }
    }
    assert!(doc["components"]["schemas"]["ServiceError"]["required"]
        .as_array()
        .unwrap()
        .contains(&Value::String("code".into())));
}
