//! The webview's `connector_capabilities` filter: a wealth connection offers only the
//! connectors with every capability asked for.

use super::*;

async fn picker(app: &TestApp, caps: Option<&str>) -> String {
    let (_, token) = app.permanent_user().await;
    let code = temporary_code(app, &token, "singleAccess").await;
    let mut params = vec![
        ("domain", "x"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", CALLBACK),
        ("code", code.as_str()),
    ];
    if let Some(c) = caps {
        params.push(("connector_capabilities", c));
    }
    let (_, page) = visit(app, "connect", &params).await;
    assert_eq!(page.status, 200, "{}", page.text);
    page.text
}

#[tokio::test]
async fn the_picker_offers_only_connectors_with_every_capability_asked_for() {
    let app = spawn_frozen().await;
    let bank = picker(&app, None).await;
    assert!(bank.contains("Célestine Banque") && bank.contains("Connecteur de test"));
    let wealth = picker(&app, Some("bankwealth")).await;
    assert!(wealth.contains("Connecteur de test"));
    assert!(wealth.contains("Banque des Trois Rivières"));
    assert!(
        !wealth.contains("Célestine Banque"),
        "no wealth at Célestine"
    );
    assert!(!wealth.contains("Banque Hermeline"));
    let both = picker(&app, Some("bankwealth,document")).await;
    assert!(both.contains("Banque Marchande du Rhône"));
    assert!(
        !both.contains("Nordhafen Sparbank"),
        "wealth but no documents"
    );
}
