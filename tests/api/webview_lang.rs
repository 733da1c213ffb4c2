//! The webview's languages: `/webview/fr/...` in French, `/webview/en/...` in English, the
//! bare path from `Accept-Language` (French by default), other languages in English; and
//! the bank's consent page of a webview visit in the visit's language.

use crate::common::*;

fn connect_params() -> Vec<(&'static str, &'static str)> {
    vec![
        ("domain", "x"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", CALLBACK),
    ]
}

fn picker_url(prefix: &str) -> String {
    format!(
        "{prefix}/connect?{}",
        serde_urlencoded::to_string(connect_params()).unwrap()
    )
}

fn assert_french(h: &Hop) {
    assert!(h.text.contains("<html lang=\"fr\">"), "{}", h.text);
    assert!(h.text.contains("Choisissez votre banque"), "{}", h.text);
    assert!(h.text.contains("Refuser les conditions"), "{}", h.text);
    assert!(h.text.contains("Aucune vraie banque"), "{}", h.text);
    assert!(!h.text.contains("Choose your bank"), "{}", h.text);
}

fn assert_english(h: &Hop) {
    assert!(h.text.contains("<html lang=\"en\">"), "{}", h.text);
    assert!(h.text.contains("Choose your bank"), "{}", h.text);
    assert!(h.text.contains("Decline the terms"), "{}", h.text);
    assert!(!h.text.contains("Choisissez votre banque"), "{}", h.text);
}

#[tokio::test]
async fn the_language_in_the_path_chooses_french_or_english_whatever_the_browser_says() {
    let app = spawn_app().await;
    let (_, fr) = visit_url(&app, &picker_url("/webview/fr"), Some("en-US,en")).await;
    assert_french(&fr);
    let (_, en) = visit_url(&app, &picker_url("/webview/en"), Some("fr-FR,fr")).await;
    assert_english(&en);
    let (_, legacy) = visit_url(&app, &picker_url("/2.0/auth/webview/fr"), None).await;
    assert_french(&legacy);
    for other in ["de", "nl", "pt", "it", "es"] {
        let (_, page) = visit_url(&app, &picker_url(&format!("/webview/{other}")), None).await;
        assert_english(&page);
    }
}

#[tokio::test]
async fn the_bare_path_is_french_unless_the_browser_prefers_english_or_another_language() {
    let app = spawn_app().await;
    let (_, page) = visit_url(&app, &picker_url("/webview"), None).await;
    assert_french(&page);
    let cases = [
        ("fr-FR,fr;q=0.9,en;q=0.8", true),
        ("en-GB,en;q=0.9,fr;q=0.8", false),
        ("de-DE", false),
        ("de-DE, fr;q=0.5", true),
        ("*", true),
    ];
    for (accept, french) in cases {
        let (_, page) = visit_url(&app, &picker_url("/webview"), Some(accept)).await;
        if french {
            assert_french(&page);
        } else {
            assert_english(&page);
        }
    }
    let (_, page) = visit_url(&app, &picker_url("/2.0/auth/webview"), Some("en")).await;
    assert_english(&page);
}

#[tokio::test]
async fn entry_error_pages_speak_the_chosen_language() {
    let app = spawn_app().await;
    let url = |prefix: &str| format!("{prefix}/connect?client_id={CLIENT_ID}");
    let fr = hop(&app, &url("/webview/fr")).await;
    assert_error_page(&fr, 400, "missingParameter");
    assert!(
        fr.text.contains("Un paramètre obligatoire manque."),
        "{}",
        fr.text
    );
    assert!(fr.text.contains("Cette demande ne peut pas aboutir"));
    let bare = hop(&app, &url("/webview")).await;
    assert_error_page(&bare, 400, "missingParameter");
    assert!(bare.text.contains("Un paramètre obligatoire manque."));
    let en = hop_lang(&app, &url("/webview"), "en-US").await;
    assert_error_page(&en, 400, "missingParameter");
    assert!(
        en.text.contains("A required parameter is missing."),
        "{}",
        en.text
    );
    assert!(en.text.contains("This request cannot be served"));
    let unknown_flow = hop(&app, "/webview/fr/transfer?domain=x").await;
    assert_error_page(&unknown_flow, 404, "notFound");
    assert!(unknown_flow
        .text
        .contains("Ce qui est demandé n'existe pas."));
}

#[tokio::test]
async fn a_french_visit_connects_a_bank_in_french_to_the_end() {
    let app = spawn_frozen().await;
    let (_, token) = app.permanent_user().await;
    let code = temporary_code(&app, &token, "singleAccess").await;
    let mut params = connect_params();
    params.push(("code", &code));
    params.push(("connector_uuids", TEST_CONNECTOR_UUID));
    params.push(("max_connections", "2"));
    let (session, form) = visit_in(&app, "fr", "connect", &params).await;
    assert!(
        form.text.contains("Connecter Connecteur de test"),
        "{}",
        form.text
    );
    assert!(form.text.contains("Se connecter"));
    assert!(form.text.contains("(facultatif)"));
    let form_path = format!("{session}/connectors/{TEST_CONNECTOR_UUID}");
    let missing = hop_form(&app, &form_path, &[("login", "Identifiant")]).await;
    assert_eq!(missing.status, 400);
    assert!(
        missing.text.contains("Remplissez le champ"),
        "{}",
        missing.text
    );
    let created = hop_form(
        &app,
        &form_path,
        &[
            ("login", "Identifiant"),
            ("password", "1234"),
            ("openapiwebsite", "additionalInformationNeeded"),
        ],
    )
    .await;
    assert_eq!(created.status, 303, "{}", created.text);
    let conn_path = created.location.clone().unwrap();
    let otp = follow(&app, created).await;
    assert!(otp.text.contains("Code requis"), "{}", otp.text);
    assert!(otp
        .text
        .contains("La banque du bac à sable accepte le code <code>"));
    let wrong = hop_form(&app, &format!("{conn_path}/otp"), &[("otp", "000000")]).await;
    assert_eq!(wrong.status, 400);
    assert!(
        wrong.text.contains("Ce code a été refusé."),
        "{}",
        wrong.text
    );
    let ok = hop_form(&app, &format!("{conn_path}/otp"), &[("otp", "123456")]).await;
    let accounts = follow(&app, ok).await;
    assert!(
        accounts.text.contains("Choisissez les comptes à partager"),
        "{}",
        accounts.text
    );
    let ids = account_ids(&accounts.text);
    let shared = hop_form(
        &app,
        &format!("{conn_path}/accounts"),
        &[("account", ids[0].as_str())],
    )
    .await;
    assert_eq!(
        shared.status, 200,
        "one of two connections: {}",
        shared.text
    );
    assert!(shared.text.contains("Banque connectée"));
    assert!(shared.text.contains("Ajouter une autre banque"));
}

#[tokio::test]
async fn the_manage_page_follows_the_visit_language() {
    let app = spawn_app().await;
    let bank = app.user_with_bank().await;
    for (lang, texts) in [
        (
            "fr",
            [
                "Vos connexions",
                "Ne plus partager",
                "Supprimer cette connexion",
            ],
        ),
        (
            "en",
            ["Your connections", "Stop sharing", "Delete this connection"],
        ),
    ] {
        let code = temporary_code(&app, &bank.token, "requestAccess").await;
        let mut params = connect_params();
        params.push(("code", &code));
        let (_, page) = visit_in(&app, lang, "manage", &params).await;
        for t in texts {
            assert!(page.text.contains(t), "{lang}: {t} in {}", page.text);
        }
    }
}

#[tokio::test]
async fn the_bank_consent_page_of_a_visit_speaks_the_visit_language() {
    let app = spawn_app().await;
    let mut params = connect_params();
    params.push(("connector_uuids", WEBAUTH_ONLY_UUID));
    for (lang, texts) in [
        (
            "fr",
            [
                "Identifiez-vous pour autoriser l'accès",
                "Accepter",
                "Refuser",
                "Numéro client",
            ],
        ),
        (
            "en",
            [
                "Sign in to authorise access",
                "Approve",
                "Refuse",
                "Customer number",
            ],
        ),
    ] {
        let (session, page) = visit_in(&app, lang, "connect", &params).await;
        let continue_at = if lang == "fr" {
            "Continuer chez"
        } else {
            "Continue at"
        };
        assert!(page.text.contains(continue_at), "{}", page.text);
        let h = hop_form(
            &app,
            &format!("{session}/connectors/{WEBAUTH_ONLY_UUID}/webauth"),
            &[],
        )
        .await;
        assert_eq!(h.status, 303);
        let consent = follow(&app, h).await;
        assert_eq!(consent.status, 200);
        assert!(consent.text.contains(&format!("<html lang=\"{lang}\">")));
        for t in texts {
            assert!(consent.text.contains(t), "{lang}: {t} in {}", consent.text);
        }
        // Refusing comes back to the visit's page, in its language.
        let bank_path = consent
            .text
            .split("form method=\"post\" action=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .to_string();
        let back = hop_form(&app, &bank_path, &[("decision", "refuse")]).await;
        let refused = follow(&app, back).await;
        let denied = if lang == "fr" {
            "Accès refusé"
        } else {
            "Access refused"
        };
        assert!(refused.text.contains(denied), "{}", refused.text);
    }
}
