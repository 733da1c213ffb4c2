//! The catalogue: connectors and their aliases, sources, fields, account types, currencies,
//! and the config-token settings that hide connectors (§5, §9, §10).

use crate::common::*;
use reqwest::Method;
use serde_json::{json, Value};

const HIDDEN_CONNECTOR_UUID: &str = "165b2e53-4268-4306-a9b6-d6cba4b9d2ac";

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect()
}

// ---- GET /connectors ----------------------------------------------------------------------

#[tokio::test]
async fn connectors_are_public_and_exclude_hidden_ones() {
    let app = spawn_app().await;
    let r = app.get("/connectors", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let list = ids(&r.body["connectors"]);
    assert_eq!(list, [40, 41, 42, 43, 44, 46, 47, 48, 49]);
    assert_eq!(r.body["total"], 9);
    for c in r.body["connectors"].as_array().unwrap() {
        assert_eq!(c["hidden"], false, "{c}");
    }
}

#[tokio::test]
async fn the_test_connector_has_the_documented_shape() {
    let app = spawn_app().await;
    let b = app.get("/connectors", None).await.ok();
    let c = &b["connectors"][0];
    assert_eq!(c["id"], 40);
    assert_eq!(c["uuid"], TEST_CONNECTOR_UUID);
    assert_eq!(c["name"], "Connecteur de test");
    assert_eq!(c["hidden"], false);
    assert_eq!(c["restricted"], false);
    assert_eq!(c["beta"], false);
    assert_eq!(c["charged"], false);
    assert_eq!(c["color"], "5c2963");
    // The connector's mechanism is its first source's by priority.
    assert_eq!(c["auth_mechanism"], "webauth");
    assert_eq!(
        c["available_auth_mechanisms"],
        json!(["webauth", "credentials"])
    );
    assert!(c["capabilities"]
        .as_array()
        .unwrap()
        .contains(&json!("bank")));
    assert!(c["stability"]["status"].is_string());
    assert!(c["stability"]["last_update"].is_string());
    // Nothing expanded unless asked.
    for k in ["sources", "fields", "countries", "urls"] {
        assert!(c.get(k).is_none(), "{k} in {c}");
    }
    // Sandbox-only seed keys are never served.
    for k in ["history_days", "daily_transactions", "decoupled_delay_secs"] {
        assert!(c.get(k).is_none(), "{k} in {c}");
    }
}

#[tokio::test]
async fn connectors_filter_on_country_codes() {
    let app = spawn_app().await;
    let b = app.get("/connectors?country_codes=gb", None).await.ok();
    assert_eq!(ids(&b["connectors"]), [47]);
    assert_eq!(b["total"], 1);
    let b = app.get("/connectors?country_codes=AT", None).await.ok();
    assert_eq!(ids(&b["connectors"]), [48]);
    let b = app.get("/connectors?country_codes=gb,de", None).await.ok();
    assert_eq!(ids(&b["connectors"]), [47, 48]);
    let b = app.get("/connectors?country_codes=jp", None).await.ok();
    assert_eq!(b["connectors"], json!([]));
    assert_eq!(b["total"], 0);
}

#[tokio::test]
async fn connectors_expand_sources_fields_and_countries() {
    let app = spawn_app().await;
    let b = app
        .get("/connectors?expand=sources,fields,countries", None)
        .await
        .ok();
    let c = &b["connectors"][0];
    assert_eq!(c["uuid"], TEST_CONNECTOR_UUID);
    assert_eq!(names(&c["sources"]), ["openapi", "directaccess"]);
    let fields = names(&c["fields"]);
    for f in ["login", "password", "openapiwebsite"] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    assert_eq!(c["countries"], json!([{"id": "fr", "name": "France"}]));
    let nordhafen = b["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == 48)
        .unwrap();
    assert_eq!(
        nordhafen["countries"],
        json!([{"id": "de", "name": "Germany"}, {"id": "at", "name": "Austria"}])
    );
}

#[tokio::test]
async fn an_unknown_expansion_is_an_invalid_value() {
    let app = spawn_app().await;
    let r = app.get("/connectors?expand=sources,accounts", None).await;
    r.assert_error_about(400, "invalidValue", "expand");
    app.get(
        &format!("/connectors/{TEST_CONNECTOR_UUID}?expand=bogus"),
        None,
    )
    .await
    .assert_error(400, "invalidValue");
    app.get("/connectors?expand=sources[", None)
        .await
        .assert_error(400, "invalidValue");
}

// ---- GET /connectors/{uuid|id} ------------------------------------------------------------

#[tokio::test]
async fn a_connector_is_found_by_uuid_or_by_its_deprecated_integer_id() {
    let app = spawn_app().await;
    let by_uuid = app
        .get(&format!("/connectors/{TEST_CONNECTOR_UUID}"), None)
        .await
        .ok();
    let by_id = app.get("/connectors/40", None).await.ok();
    assert_eq!(by_uuid["id"], 40);
    assert_eq!(by_uuid, by_id);
    let upper = TEST_CONNECTOR_UUID.to_ascii_uppercase();
    let b = app.get(&format!("/connectors/{upper}"), None).await.ok();
    assert_eq!(b["id"], 40);
}

#[tokio::test]
async fn a_single_connector_can_be_expanded() {
    let app = spawn_app().await;
    let b = app
        .get("/connectors/40?expand=sources,countries", None)
        .await
        .ok();
    assert_eq!(names(&b["sources"]), ["openapi", "directaccess"]);
    assert_eq!(b["countries"][0]["id"], "fr");
    assert!(b.get("fields").is_none());
}

#[tokio::test]
async fn an_unknown_connector_is_not_found() {
    let app = spawn_app().await;
    for key in ["999", "00000000-0000-0000-0000-000000000000", "nope"] {
        app.get(&format!("/connectors/{key}"), None)
            .await
            .assert_error(404, "notFound");
        app.get(&format!("/connectors/{key}/sources"), None)
            .await
            .assert_error(404, "notFound");
        app.get(&format!("/connectors/{key}/fields"), None)
            .await
            .assert_error(404, "notFound");
    }
}

#[tokio::test]
async fn a_hidden_connector_can_still_be_read_directly() {
    let app = spawn_app().await;
    let b = app
        .get(&format!("/connectors/{HIDDEN_CONNECTOR_UUID}"), None)
        .await
        .ok();
    assert_eq!(b["id"], 45);
    assert_eq!(b["hidden"], true);
}

// ---- Sources and fields -------------------------------------------------------------------

#[tokio::test]
async fn the_test_connector_sources_are_listed_by_priority() {
    let app = spawn_app().await;
    let r = app
        .get(&format!("/connectors/{TEST_CONNECTOR_UUID}/sources"), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["total"], 2);
    let s = r.body["sources"].as_array().unwrap();
    assert_eq!(s[0]["id"], 400);
    assert_eq!(s[0]["id_connector"], 40);
    assert_eq!(s[0]["name"], "openapi");
    assert_eq!(s[0]["auth_mechanism"], "webauth");
    assert_eq!(s[0]["priority"], 0);
    assert!(s[0]["disabled"].is_null());
    assert_eq!(s[1]["id"], 401);
    assert_eq!(s[1]["name"], "directaccess");
    assert_eq!(s[1]["auth_mechanism"], "credentials");
    assert_eq!(s[1]["available_auth_mechanisms"], json!(["credentials"]));
    assert_eq!(s[1]["priority"], 2);
    // The integer id works too.
    let by_id = app.get("/connectors/40/sources", None).await.ok();
    assert_eq!(by_id, r.body);
}

#[tokio::test]
async fn a_disabled_source_shows_when_it_was_disabled() {
    let app = spawn_app().await;
    let b = app.get("/connectors/45/sources/451", None).await.ok();
    assert_eq!(b["name"], "directaccess");
    assert_eq!(b["disabled"], "2025-09-30 00:00:00");
}

#[tokio::test]
async fn a_single_source_is_found_by_id() {
    let app = spawn_app().await;
    let b = app
        .get(
            &format!("/connectors/{TEST_CONNECTOR_UUID}/sources/401"),
            None,
        )
        .await
        .ok();
    assert_eq!(b["id"], 401);
    assert_eq!(b["id_connector"], 40);
    assert_eq!(b["name"], "directaccess");
}

#[tokio::test]
async fn a_source_of_another_connector_or_an_unknown_source_is_not_found() {
    let app = spawn_app().await;
    for id in ["410", "999", "x"] {
        app.get(&format!("/connectors/40/sources/{id}"), None)
            .await
            .assert_error(404, "notFound");
    }
    app.get("/connectors/999/sources/400", None)
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn the_test_connector_fields_form_the_credentials_form() {
    let app = spawn_app().await;
    let r = app
        .get(&format!("/connectors/{TEST_CONNECTOR_UUID}/fields"), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let fields = r.body["fields"].as_array().unwrap();
    let field = |n: &str| fields.iter().find(|f| f["name"] == n).unwrap().clone();
    let login = field("login");
    assert_eq!(login["type"], "text");
    assert_eq!(login["required"], true);
    assert!(login["label"].is_string());
    assert_eq!(field("password")["type"], "password");
    let website = field("openapiwebsite");
    assert_eq!(website["type"], "list");
    assert_eq!(website["required"], false);
    let values: Vec<&str> = website["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    assert!(values.contains(&"par"), "{values:?}");
    assert!(values.contains(&"wrongpass"), "{values:?}");
    assert!(website["values"][0]["label"].is_string());
}

#[tokio::test]
async fn a_connector_without_fields_has_an_empty_list() {
    let app = spawn_app().await;
    let b = app.get("/connectors/42/fields", None).await.ok();
    assert_eq!(b["fields"], json!([]));
}

// ---- /banks and /providers ----------------------------------------------------------------

#[tokio::test]
async fn banks_list_connectors_with_the_bank_capability_under_the_banks_key() {
    let app = spawn_app().await;
    let b = app.get("/banks", None).await.ok();
    assert!(b.get("connectors").is_none());
    assert_eq!(ids(&b["banks"]), [40, 41, 42, 43, 44, 46, 47, 48]);
    assert_eq!(b["total"], 8);
    let b = app.get("/banks?country_codes=gb", None).await.ok();
    assert_eq!(ids(&b["banks"]), [47]);
    let one = app
        .get(&format!("/banks/{HERMELINE_UUID}"), None)
        .await
        .ok();
    assert_eq!(one["id"], 41);
    app.get("/banks/999", None)
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn providers_list_connectors_with_the_document_capability() {
    let app = spawn_app().await;
    let b = app.get("/providers", None).await.ok();
    assert_eq!(ids(&b["providers"]), [40, 41, 43, 44, 49]);
    assert_eq!(b["total"], 5);
    let one = app.get("/providers/41", None).await.ok();
    assert_eq!(one["uuid"], HERMELINE_UUID);
}

// ---- Hiding connectors with the config token ----------------------------------------------

#[tokio::test]
async fn the_config_token_hides_a_connector_from_the_lists() {
    let app = spawn_app().await;
    let r = app
        .put(
            &format!("/connectors/{TEST_CONNECTOR_UUID}"),
            Some(CONFIG_TOKEN),
            Some(json!({"hidden": true})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["uuid"], TEST_CONNECTOR_UUID);
    assert_eq!(r.body["hidden"], true);

    let b = app.get("/connectors", None).await.ok();
    assert!(!ids(&b["connectors"]).contains(&40));
    assert_eq!(b["total"], 8);
    assert!(!ids(&app.get("/banks", None).await.ok()["banks"]).contains(&40));
    let one = app.get("/connectors/40", None).await.ok();
    assert_eq!(one["hidden"], true);

    // And shows it again.
    let b = app
        .put(
            "/connectors/40",
            Some(CONFIG_TOKEN),
            Some(json!({"hidden": false})),
        )
        .await
        .ok();
    assert_eq!(b["hidden"], false);
    let b = app.get("/connectors", None).await.ok();
    assert!(ids(&b["connectors"]).contains(&40));
}

#[tokio::test]
async fn the_config_token_can_show_a_connector_hidden_by_the_seed() {
    let app = spawn_app().await;
    app.put(
        &format!("/connectors/{HIDDEN_CONNECTOR_UUID}"),
        Some(CONFIG_TOKEN),
        Some(json!({"hidden": false})),
    )
    .await
    .ok();
    let b = app.get("/connectors", None).await.ok();
    assert!(ids(&b["connectors"]).contains(&45));
    assert_eq!(b["total"], 10);
}

#[tokio::test]
async fn hiding_a_connector_does_not_leak_into_another_sandbox() {
    let first = spawn_app().await;
    first
        .put(
            "/connectors/40",
            Some(CONFIG_TOKEN),
            Some(json!({"hidden": true})),
        )
        .await
        .ok();
    let second = spawn_app().await;
    let b = second.get("/connectors", None).await.ok();
    assert!(ids(&b["connectors"]).contains(&40));
}

#[tokio::test]
async fn the_deprecated_batch_put_hides_several_connectors() {
    let app = spawn_app().await;
    let b = app
        .put(
            "/connectors/40,41",
            Some(CONFIG_TOKEN),
            Some(json!({"hidden": true})),
        )
        .await
        .ok();
    assert_eq!(ids(&b["connectors"]), [40, 41]);
    let b = app.get("/connectors", None).await.ok();
    assert_eq!(ids(&b["connectors"]), [42, 43, 44, 46, 47, 48, 49]);
}

#[tokio::test]
async fn changing_a_connector_requires_the_config_token() {
    let app = spawn_app().await;
    let path = format!("/connectors/{TEST_CONNECTOR_UUID}");
    let body = Some(json!({"hidden": true}));
    app.put(&path, None, body.clone())
        .await
        .assert_error(401, "unauthorized");
    let (_, user) = app.permanent_user().await;
    app.put(&path, Some(&user), body.clone())
        .await
        .assert_error(401, "unauthorized");
    app.put(&path, Some(USERS_TOKEN), body)
        .await
        .assert_error(401, "unauthorized");
    // Nothing changed.
    let b = app.get("/connectors", None).await.ok();
    assert!(ids(&b["connectors"]).contains(&40));
}

#[tokio::test]
async fn changing_an_unknown_connector_is_not_found() {
    let app = spawn_app().await;
    app.put(
        "/connectors/999",
        Some(CONFIG_TOKEN),
        Some(json!({"hidden": true})),
    )
    .await
    .assert_error(404, "notFound");
    // One unknown id in a batch changes nothing.
    app.put(
        "/connectors/40,999",
        Some(CONFIG_TOKEN),
        Some(json!({"hidden": true})),
    )
    .await
    .assert_error(404, "notFound");
    let b = app.get("/connectors", None).await.ok();
    assert!(ids(&b["connectors"]).contains(&40));
}

#[tokio::test]
async fn hidden_must_be_a_boolean() {
    let app = spawn_app().await;
    let r = app
        .put(
            "/connectors/40",
            Some(CONFIG_TOKEN),
            Some(json!({"hidden": "maybe"})),
        )
        .await;
    r.assert_error_about(400, "invalidValue", "hidden");
}

async fn patch(app: &TestApp, token: Option<&str>, body: Value) -> Reply {
    app.call(Method::PATCH, "/connectors", token, Some(body))
        .await
}

#[tokio::test]
async fn patch_hides_and_shows_several_connectors_at_once() {
    let app = spawn_app().await;
    let r = patch(
        &app,
        Some(CONFIG_TOKEN),
        json!({
            TEST_CONNECTOR_UUID: {"hidden": true},
            HIDDEN_CONNECTOR_UUID: {"hidden": false},
        }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let changed = r.body["connectors"].as_array().unwrap();
    assert_eq!(changed.len(), 2);
    assert_eq!(changed[0]["id"], 40);
    assert_eq!(changed[0]["hidden"], true);
    assert_eq!(changed[1]["id"], 45);
    assert_eq!(changed[1]["hidden"], false);

    let b = app.get("/connectors", None).await.ok();
    let list = ids(&b["connectors"]);
    assert!(!list.contains(&40));
    assert!(list.contains(&45));
}

#[tokio::test]
async fn patch_requires_the_config_token() {
    let app = spawn_app().await;
    let body = json!({TEST_CONNECTOR_UUID: {"hidden": true}});
    patch(&app, None, body.clone())
        .await
        .assert_error(401, "unauthorized");
    let (_, user) = app.permanent_user().await;
    patch(&app, Some(&user), body)
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn patch_with_an_unknown_connector_changes_nothing() {
    let app = spawn_app().await;
    let r = patch(
        &app,
        Some(CONFIG_TOKEN),
        json!({
            TEST_CONNECTOR_UUID: {"hidden": true},
            "00000000-0000-0000-0000-000000000000": {"hidden": true},
        }),
    )
    .await;
    r.assert_error(404, "notFound");
    let b = app.get("/connectors", None).await.ok();
    assert!(ids(&b["connectors"]).contains(&40));
}

#[tokio::test]
async fn patch_rejects_settings_that_are_not_objects_or_booleans() {
    let app = spawn_app().await;
    for body in [
        json!({TEST_CONNECTOR_UUID: true}),
        json!({TEST_CONNECTOR_UUID: {"hidden": "maybe"}}),
    ] {
        patch(&app, Some(CONFIG_TOKEN), body)
            .await
            .assert_error(400, "invalidValue");
    }
    patch(&app, Some(CONFIG_TOKEN), json!([TEST_CONNECTOR_UUID]))
        .await
        .assert_error(400, "invalidValue");
    let b = app.get("/connectors", None).await.ok();
    assert!(ids(&b["connectors"]).contains(&40));
}

// ---- Account types ------------------------------------------------------------------------

#[tokio::test]
async fn account_types_are_listed_with_a_total() {
    let app = spawn_app().await;
    let r = app.get("/account_types", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let list = r.body["accounttypes"].as_array().unwrap();
    assert_eq!(r.body["total"], list.len());
    let all = names(&r.body["accounttypes"]);
    for n in [
        "checking",
        "savings",
        "card",
        "loan",
        "market",
        "lifeinsurance",
        "livret_a",
        "pea",
        "unknown",
    ] {
        assert!(all.contains(&n), "{n} in {all:?}");
    }
    let checking = &list[0];
    assert_eq!(checking["id"], 1);
    assert_eq!(checking["name"], "checking");
    assert!(checking["id_parent"].is_null());
    assert_eq!(checking["is_invest"], false);
    assert!(checking["display_name"].is_string());
    assert!(checking["display_name_p"].is_string());
}

#[tokio::test]
async fn an_account_type_is_found_by_id_or_name() {
    let app = spawn_app().await;
    let by_id = app.get("/account_types/1", None).await.ok();
    assert_eq!(by_id["name"], "checking");
    let by_name = app.get("/account_types/checking", None).await.ok();
    assert_eq!(by_name, by_id);
    let livret_a = app.get("/account_types/livret_a", None).await.ok();
    assert_eq!(livret_a["id_parent"], 2);
}

#[tokio::test]
async fn an_unknown_account_type_is_not_found() {
    let app = spawn_app().await;
    for key in ["999", "chequing"] {
        app.get(&format!("/account_types/{key}"), None)
            .await
            .assert_error(404, "notFound");
    }
}

// ---- Currencies ---------------------------------------------------------------------------

#[tokio::test]
async fn currencies_carry_symbol_precision_prefix_and_crypto() {
    let app = spawn_app().await;
    let r = app.get("/currencies", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let list = r.body["currencies"].as_array().unwrap();
    let find = |id: &str| {
        list.iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("{id} missing"))
            .clone()
    };
    let eur = find("EUR");
    assert_eq!(eur["symbol"], "€");
    assert_eq!(eur["precision"], 2);
    assert_eq!(eur["prefix"], false);
    assert_eq!(eur["crypto"], false);
    assert!(eur["name"].is_string());
    let usd = find("USD");
    assert_eq!(usd["symbol"], "$");
    assert_eq!(usd["prefix"], true);
    assert_eq!(find("GBP")["symbol"], "£");
    assert_eq!(find("CHF")["symbol"], "CHF");
    let jpy = find("JPY");
    assert_eq!(jpy["symbol"], "¥");
    assert_eq!(jpy["precision"], 0);
}

#[tokio::test]
async fn a_currency_is_found_by_code_in_any_case() {
    let app = spawn_app().await;
    let b = app.get("/currencies/eur", None).await.ok();
    assert_eq!(b["id"], "EUR");
    app.get("/currencies/XXX", None)
        .await
        .assert_error(404, "notFound");
}

#[tokio::test]
async fn the_catalogue_needs_no_token_and_ignores_a_bad_one() {
    let app = spawn_app().await;
    for path in [
        "/connectors",
        "/connectors/40",
        "/connectors/40/sources",
        "/connectors/40/fields",
        "/banks",
        "/providers",
        "/account_types",
        "/currencies",
    ] {
        let r = app.get(path, Some("not-a-token")).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text);
    }
}
