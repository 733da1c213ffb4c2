//! `GET /openapi.json` against the router it describes.
//!
//! The route tables are `OpenApiRouter`s, so a route registered with `routes!` is documented
//! by construction; what is left to check is the other direction, black-box: every (path,
//! method) the document lists is answered by a route (neither the unknown-route 404 nor a
//! 405), and every other method on those paths is refused with 405. The HTML pages for a
//! person (the bank's consent page, the webview) are not part of the API and not listed.

use crate::common::spawn_app;
use reqwest::Method;
use serde_json::Value;
use std::collections::BTreeSet;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// A concrete URL path for a path template: every parameter is `1`.
fn sample(template: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in template.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push('1');
            }
            '}' => in_param = false,
            c if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

#[tokio::test]
async fn every_documented_operation_is_routed_and_other_methods_answer_405() {
    let app = spawn_app().await;
    let doc = app.get("/openapi.json", None).await.ok();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().expect("paths");
    for known in [
        "/2.0/users/{user}/transactions",
        "/sandbox/scenario",
        "/2.0/auth/webview/{flow}",
        "/sandbox/webhooks/sink/{rest}",
        "/openapi.json",
    ] {
        assert!(paths.contains_key(known), "{known} is documented");
    }
    for (path, item) in paths {
        let documented: BTreeSet<&str> = item
            .as_object()
            .expect("path item")
            .keys()
            .map(String::as_str)
            .filter(|m| METHODS.contains(m))
            .collect();
        assert!(!documented.is_empty(), "{path} documents no operation");
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
            if documented.contains(m) {
                assert!(
                    !unknown_route && status != 405,
                    "{m} {path} is documented but the router answers {status} {body}"
                );
            } else {
                assert_eq!(
                    status, 405,
                    "{m} {path} is not documented, yet the router answers {status} {body}"
                );
            }
        }
    }
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
